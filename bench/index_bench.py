#!/usr/bin/python3
"""Indexing speed of sok against its peers, side by side on the same text.

    bench/index_bench.py [--indexer build/indexer/indexer] [--data ../shared/data]
                         [--runs 3] [--peers] [--scale 1000000]

For Reuters-21578 (English) and the Swedish LibreOffice help pages it times a
full `indexer build`, and with --peers the same text indexed by Xapian's own
scriptindex (xapian-omega), SQLite FTS5 and PostgreSQL full-text search
(to_tsvector + GIN, a throwaway cluster on a Unix socket). It prints
documents/s, MB/s of text, index size and peak memory, and (with --peers,
from bench/index_phases beside the indexer) how long Xapian alone takes to
write sok's documents analysed beforehand, with each system's
rate as a ratio of sok's: medians of --runs rounds, each running every system
once, so a machine that slows down midway weighs on all of them alike. --scale N builds an index
of N documents (the corpora repeated under new ids) and reports time, size
and peak memory. It prints tables and asserts nothing.

Needs Debian's xapian-omega and postgresql for --peers.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from peers import Corpus, Postgres, folder_mb, libreoffice_records, reuters_records, timed


def run_sok(indexer, corpus, work):
    index = os.path.join(work, "sok-index")
    shutil.rmtree(index, ignore_errors=True)
    seconds, peak = timed([indexer, "build", corpus.jsonl, "--index", index])
    return seconds, folder_mb(index), peak


def run_xapian_alone(phases, corpus, work):
    """Seconds Xapian takes to write sok's documents, analysed beforehand
    (bench/index_phases: shards, spelling, compaction): what a build costs
    however fast the analysis were."""
    out = subprocess.run([phases, "--source", corpus.jsonl, "--work", os.path.join(work, "phases"), "--runs", "1"],
                         check=True, capture_output=True, text=True).stdout
    seconds = float(re.search(r"^xapian total\s+([\d.]+)", out, re.MULTILINE).group(1))
    return seconds, float("nan"), float("nan")


def run_scriptindex(corpus, work):
    db = os.path.join(work, "scriptindex-db")
    shutil.rmtree(db, ignore_errors=True)
    script = os.path.join(work, "index.script")
    with open(script, "w") as f:
        f.write("id : unique=Q boolean=Q\ntitle : index=S index field=title\nbody : index field=text\n")
    stemmer = "swedish" if corpus.language == "sv" else "english"
    seconds, peak = timed(["scriptindex", "--stemmer=" + stemmer, db, script, corpus.scriptindex_input])
    return seconds, folder_mb(db), peak


SQLITE_SCRIPT = """
import csv, sqlite3, sys
csv.field_size_limit(1 << 30)
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body)")
with open(sys.argv[2], encoding="utf-8", newline="") as f, db:
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", csv.reader(f))
db.close()
"""


def run_sqlite(corpus, work):
    path = os.path.join(work, "fts5.sqlite")
    if os.path.exists(path):
        os.remove(path)
    seconds, peak = timed(["/usr/bin/python3", "-c", SQLITE_SCRIPT, path, corpus.csv])
    return seconds, os.path.getsize(path) / 1e6, peak


def median_rows(runs, systems):
    """Runs every system once a round, `runs` rounds, so a machine that slows
    down midway weighs on all of them alike. A row a system: name, median
    seconds, index size of the last run, highest peak memory."""
    results = {name: [] for name, _ in systems}
    for _ in range(runs):
        for name, run in systems:
            results[name].append(run())
    return [(name, statistics.median(r[0] for r in results[name]), results[name][-1][1],
             max(r[2] for r in results[name])) for name, _ in systems]


def print_table(corpus, rows):
    print("\n%s: %d documents, %.1f MB of text" % (corpus.name, corpus.docs, corpus.text_bytes / 1e6))
    print("%-28s %9s %10s %8s %10s %9s %10s" % ("system", "seconds", "docs/s", "MB/s", "index MB", "peak MB",
                                                 "vs sok"))
    sok_rate = corpus.docs / rows[0][1]
    for name, seconds, size, peak in rows:
        rate = corpus.docs / seconds
        print("%-28s %9.2f %10.0f %8.2f %10s %9s %9.2fx" % (name, seconds, rate, corpus.text_bytes / 1e6 / seconds,
                                                            "n/a" if size != size else "%.1f" % size,
                                                            "n/a" if peak != peak else "%.0f" % peak,
                                                            rate / sok_rate))


def scale(indexer, corpora, n, work):
    path = os.path.join(work, "scale.jsonl")
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        copy = 0
        while written < n:
            for corpus in corpora:
                for r in corpus.records:
                    if written >= n:
                        break
                    rec = dict(r, id="%s-copy%d" % (r["id"], copy))
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    written += 1
            copy += 1
    index = os.path.join(work, "scale-index")
    shutil.rmtree(index, ignore_errors=True)
    mb = os.path.getsize(path) / 1e6
    seconds, peak = timed([indexer, "build", path, "--index", index])
    print("\nScale: %d documents (%.0f MB of JSON Lines)" % (n, mb))
    print("%-10s %9s %10s %10s %9s" % ("documents", "seconds", "docs/s", "index MB", "peak MB"))
    print("%-10d %9.1f %10.0f %10.1f %9.0f" % (n, seconds, n / seconds, folder_mb(index), peak))
    shutil.rmtree(index, ignore_errors=True)
    os.remove(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexer", default="build/indexer/indexer")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 20), metavar="1-19")
    parser.add_argument("--peers", action="store_true", help="also time scriptindex, SQLite FTS5, PostgreSQL")
    parser.add_argument("--scale", type=int, default=0, metavar="N", help="also build an index of N documents")
    parser.add_argument("--work", default=None, help="scratch folder (default: a new temporary one)")
    args = parser.parse_args()
    if not os.access(args.indexer, os.X_OK):
        sys.exit("index_bench: no indexer at %s (build first, or give --indexer)" % args.indexer)
    work = args.work or tempfile.mkdtemp(prefix="sok-bench-")
    os.makedirs(work, exist_ok=True)
    phases = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.indexer))), "bench", "index_phases")
    corpora = [Corpus("reuters21578", "en", reuters_records(args.data), work),
               Corpus("libreoffice-help-sv", "sv", libreoffice_records(args.data), work)]
    postgres = Postgres(work) if args.peers else None
    try:
        for corpus in corpora:
            systems = [("sok indexer build", lambda: run_sok(args.indexer, corpus, work))]
            if args.peers:
                corpus.scriptindex_input = os.path.join(work, corpus.name + ".scriptindex")
                corpus.write_scriptindex_input(corpus.scriptindex_input)
                corpus.csv = os.path.join(work, corpus.name + ".csv")
                corpus.write_csv(corpus.csv)
                systems += [("xapian scriptindex", lambda: run_scriptindex(corpus, work)),
                            ("sqlite fts5", lambda: run_sqlite(corpus, work)),
                            ("postgresql to_tsvector+gin", lambda: postgres.run(corpus))]
                if os.access(phases, os.X_OK):
                    systems.append(("sok's xapian writing alone", lambda: run_xapian_alone(phases, corpus, work)))
            print_table(corpus, median_rows(args.runs, systems))
        if args.scale:
            scale(args.indexer, corpora, args.scale, work)
    finally:
        if postgres:
            postgres.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
