"""What the benchmarks share: the corpora as each system reads them, timing,
and a throwaway PostgreSQL cluster."""
import csv
import json
import os
import shutil
import subprocess
import time

MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def reuters_records(data):
    with open(os.path.join(data, "reuters21578", "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            title = (d.get("title") or "").strip() or (d.get("text") or "").strip()[:60] or "untitled"
            rec = {"id": "reuters-" + d["_id"], "lang": "en", "type": "news", "title": title,
                   "body": d.get("text") or "", "tags": d.get("topics") or [], "partners": d.get("places") or []}
            try:
                day, mon, rest = d["date"].strip().split("-", 2)
                rec["published"] = "%s-%02d-%02d" % (rest[:4], MONTHS[mon.upper()], int(day))
            except (KeyError, ValueError):
                pass
            yield rec


def libreoffice_records(data):
    with open(os.path.join(data, "libreoffice-help-sv-en", "corpus_sv.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield {"id": "lo-" + d["_id"], "lang": "sv", "type": "page", "title": d.get("title") or d["_id"],
                   "body": d.get("text") or ""}


class Corpus:
    """One corpus in the formats the systems read, written once to `work`."""

    def __init__(self, name, language, records, work):
        self.name, self.language = name, language
        self.records = list(records)
        self.docs = len(self.records)
        self.text_bytes = sum(len((r["title"] + "\n" + r["body"]).encode()) for r in self.records)
        self.jsonl = os.path.join(work, name + ".jsonl")
        with open(self.jsonl, "w", encoding="utf-8") as out:
            for r in self.records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")

    def write_scriptindex_input(self, path):
        with open(path, "w", encoding="utf-8") as out:
            for r in self.records:
                out.write("id=%s\n" % r["id"])
                for field in ("title", "body"):
                    lines = r[field].replace("\r", "").split("\n")
                    out.write("%s=%s\n" % (field, lines[0]))
                    for more in lines[1:]:
                        out.write("=%s\n" % more)
                out.write("\n")

    def write_csv(self, path):
        with open(path, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out)
            for r in self.records:
                w.writerow([r["id"], r["title"], r["body"]])


def timed(cmd, **kw):
    """(seconds, peak resident MB) of a command, via /usr/bin/time."""
    start = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, **kw)
    seconds = time.monotonic() - start
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], r.returncode, r.stderr[-2000:]))
    peak_kb = int(r.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def folder_mb(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total / 1e6


class Postgres:
    """A throwaway PostgreSQL cluster listening on a Unix socket only."""

    def __init__(self, work):
        bins = sorted(d for d in os.listdir("/usr/lib/postgresql"))
        self.bin = os.path.join("/usr/lib/postgresql", bins[-1], "bin")
        self.dir = os.path.join(work, "pg")
        self.socket = os.path.join(work, "pgsock")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.socket, exist_ok=True)
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres")
        shutil.chown(self.socket, "postgres")
        os.chmod(work, 0o755)
        self.as_postgres([os.path.join(self.bin, "initdb"), "-D", self.dir, "-U", "postgres", "--auth=trust"])
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.dir, "-l", os.path.join(self.dir, "log"),
                          "-o", "-k %s -c listen_addresses='' -p 5499" % self.socket, "-w", "start"])

    def as_postgres(self, cmd):
        subprocess.run(["runuser", "-u", "postgres", "--"] + cmd, check=True, capture_output=True)

    def psql(self, sql):
        return ["runuser", "-u", "postgres", "--", "psql", "-h", self.socket, "-p", "5499", "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]

    def run(self, corpus):
        config = "swedish" if corpus.language == "sv" else "english"
        subprocess.run(self.psql("DROP TABLE IF EXISTS docs"), check=True, capture_output=True)
        os.chmod(corpus.csv, 0o644)
        sql = ("CREATE TABLE docs (id text PRIMARY KEY, title text, body text, tsv tsvector GENERATED ALWAYS AS "
               "(setweight(to_tsvector('%s', coalesce(title, '')), 'A') || to_tsvector('%s', coalesce(body, ''))) "
               "STORED); CREATE INDEX docs_tsv ON docs USING gin (tsv); "
               "COPY docs (id, title, body) FROM '%s' WITH (FORMAT csv)") % (config, config, corpus.csv)
        start = time.monotonic()
        subprocess.run(self.psql(sql), check=True, capture_output=True)
        seconds = time.monotonic() - start
        size = subprocess.run(self.psql("SELECT pg_total_relation_size('docs')").__add__(["-t", "-A"]),
                              check=True, capture_output=True, text=True).stdout.strip()
        return seconds, int(size) / 1e6, float("nan")

    def stop(self):
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.dir, "-m", "fast", "stop"])
