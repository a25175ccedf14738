#!/usr/bin/python3
"""Search speed of sok against its peers, side by side on the same queries.

    bench/search_peers.py [--build build] [--data ../shared/data] [--queries 500]
                          [--seconds 10] [--scale N | --scale-index DIR] [--work DIR]

Indexes Reuters-21578 with sok, SQLite FTS5 and PostgreSQL full-text search,
draws 1-3-word queries from the corpus's own words (the same for every
system) and measures, for top-10 hits with snippets and one exact facet count
(the year):

- in-process latency p50/p99 on one core: sok's Searcher (bench/search_bench),
  SQLite FTS5 (bm25 + snippet + GROUP BY, Python's sqlite3) and PostgreSQL
  (ts_rank_cd + ts_headline + GROUP BY, psycopg2 on a Unix socket);
- throughput on all cores: searchd over HTTP with wrk (keep-alive, 32
  connections, loopback; wrk shares the cores), its server time p50/p99 and
  resident memory, and the peers with one client per core.

--scale N also builds an index of N documents (Reuters repeated under new ids)
and measures sok on it; --scale-index DIR measures an index built so before. Prints tables and asserts nothing.

Needs Debian's postgresql, python3-psycopg2 and wrk.
"""
import argparse
import collections
import json
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import http.client

import psycopg2
import xapian

from peers import Corpus, Postgres, reuters_records

FACET = "year"
WRK_CONNECTIONS = 32


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def draw_queries(corpus, count):
    """1-3-word queries as visitors type them: words of one article, the
    frequent ones more often (so that every system has hits to rank, cut and
    count), each found in 5 or more articles but not in more than a third of
    them (those are words like "said" and "with")."""
    def words_of(record):
        return re.findall(r"[a-z]{4,}", (record["title"] + " " + record["body"]).lower())

    document_frequency = collections.Counter()
    for r in corpus.records:
        document_frequency.update(set(words_of(r)))
    rng = random.Random(42)
    queries = []
    while len(queries) < count:
        words = [w for w in words_of(rng.choice(corpus.records))
                 if 5 <= document_frequency[w] <= corpus.docs // 3]
        if words:
            picked = dict.fromkeys(rng.choice(words) for _ in range(rng.randint(1, 3)))
            queries.append(" ".join(picked))
    return queries


def year_of(record):
    return int(record["published"][:4]) if record.get("published") else None


# --- SQLite FTS5 ---------------------------------------------------------

SQLITE_HITS = ("SELECT id, title, snippet(docs, 2, '<mark>', '</mark>', '...', 24), bm25(docs, 10.0, 1.0) "
               "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 10.0, 1.0) LIMIT 10")
SQLITE_FACET = "SELECT year, count(*) FROM docs WHERE docs MATCH ? GROUP BY year"


def sqlite_load(corpus, path):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, year UNINDEXED)")
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                       ((r["id"], r["title"], r["body"], year_of(r)) for r in corpus.records))
    db.close()


def sqlite_match(query):
    return " ".join('"%s"' % word for word in query.split())


def sqlite_times(path, queries):
    db = sqlite3.connect(path)
    times = []
    for query in queries:
        start = time.perf_counter()
        db.execute(SQLITE_HITS, (sqlite_match(query),)).fetchall()
        db.execute(SQLITE_FACET, (sqlite_match(query),)).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    db.close()
    return times


# --- PostgreSQL ----------------------------------------------------------

PG_HITS = ("SELECT id, title, ts_headline('english', body, q, 'MaxFragments=1, MinWords=15, MaxWords=30') "
           "FROM (SELECT id, title, body, q, ts_rank_cd(tsv, q) AS rank FROM search_docs, "
           "plainto_tsquery('english', %s) q WHERE tsv @@ q ORDER BY rank DESC LIMIT 10) top")
PG_FACET = ("SELECT year, count(*) FROM search_docs, plainto_tsquery('english', %s) q "
            "WHERE tsv @@ q GROUP BY year")


def pg_connect(postgres):
    return psycopg2.connect(host=postgres.socket, port=5499, user="postgres", dbname="postgres")


def pg_load(postgres, corpus):
    with pg_connect(postgres) as db, db.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS search_docs")
        cur.execute("CREATE TABLE search_docs (id text PRIMARY KEY, title text, body text, year int, "
                    "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || "
                    "to_tsvector('english', body)) STORED)")
        cur.executemany("INSERT INTO search_docs (id, title, body, year) VALUES (%s, %s, %s, %s)",
                        [(r["id"], r["title"], r["body"], year_of(r)) for r in corpus.records])
        cur.execute("CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv)")
        cur.execute("ANALYZE search_docs")


def pg_times(postgres, queries):
    db = pg_connect(postgres)
    times = []
    with db.cursor() as cur:
        for query in queries:
            start = time.perf_counter()
            cur.execute(PG_HITS, (query,))
            cur.fetchall()
            cur.execute(PG_FACET, (query,))
            cur.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    db.close()
    return times


def parallel_rate(run, clients, queries):
    """Queries a second with `clients` concurrent runs of `run(queries)`."""
    start = time.perf_counter()
    run(clients, queries)
    return clients * len(queries) / (time.perf_counter() - start)


def sqlite_parallel(path):
    def run(clients, queries):
        with multiprocessing.Pool(clients) as pool:
            pool.starmap(sqlite_times, [(path, queries)] * clients)
    return run


def pg_parallel(postgres):
    def run(clients, queries):
        threads = [threading.Thread(target=pg_times, args=(postgres, queries)) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return run


# --- sok -------------------------------------------------------------------

def sok_build(indexer, jsonl, index):
    shutil.rmtree(index, ignore_errors=True)
    subprocess.run([indexer, "build", jsonl, "--index", index], check=True, capture_output=True)


def sok_in_process(build, index, query_file):
    """(p50, p99, q/s) of the Searcher with one exact facet, from search_bench,
    with snippets and without."""
    out = subprocess.run([os.path.join(build, "bench", "search_bench"), "--index", index, "--query-file",
                          query_file, "--facets", FACET], check=True, capture_output=True, text=True).stdout

    def setting(name):
        fields = next(l for l in out.splitlines() if l.startswith(name)).split()
        return float(fields[-4]), float(fields[-3]), float(fields[-2])
    return setting("top 10 + snippets + exact facets"), setting("top 10, no snippets, exact facets")


class Searchd:
    """searchd on a free loopback port."""

    def __init__(self, build, index, threads):
        self.process = subprocess.Popen(
            [os.path.join(build, "searchd", "searchd"), "--index", index, "--listen", "127.0.0.1:0",
             "--threads", str(threads), "--rate-limit", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("searchd did not start")
        self.host, self.port = self.address.rsplit(":", 1)

    def path(self, query):
        return "/api/search?facets=%s&q=%s" % (FACET, urllib.parse.quote(query))

    def server_times(self, queries):
        """Server time (ms) searchd reports for each query, over one keep-alive connection."""
        connection = http.client.HTTPConnection(self.host, int(self.port))
        times = []
        for query in queries:
            connection.request("GET", self.path(query))
            body = json.loads(connection.getresponse().read())
            times.append(body["took_ms"])
        connection.close()
        return times

    def resident_mb(self):
        with open("/proc/%d/status" % self.process.pid) as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk(searchd, paths, seconds, work):
    """(requests/s, p99 ms) of wrk against searchd, cycling through the paths."""
    path_file = os.path.join(work, "paths.txt")
    with open(path_file, "w") as f:
        f.write("\n".join(paths) + "\n")
    script = os.path.join(work, "queries.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % path_file)
    threads = str(max(1, os.cpu_count() or 1))
    out = subprocess.run(["wrk", "-t", threads, "-c", str(WRK_CONNECTIONS), "-d", "%ds" % seconds, "--latency",
                          "-s", script, "http://%s" % searchd.address], check=True, capture_output=True,
                         text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print("  (wrk: %s responses were not 2xx)" % errors.group(1))
    return rate, p99_ms


def measure_sok(args, index, queries, query_file, work, cores):
    (p50, p99, rate), bare = sok_in_process(args.build, index, query_file)
    searchd = Searchd(args.build, index, cores)
    try:
        server = searchd.server_times(queries)
        http_rate, http_p99 = wrk(searchd, [searchd.path(q) for q in queries], args.seconds, work)
        rss, peak = searchd.resident_mb()
        # The same requests' cost without a search: what HTTP alone allows.
        http_alone, _ = wrk(searchd, ["/healthz"], args.seconds, work)
    finally:
        searchd.stop()
    return {"p50": p50, "p99": p99, "rate": rate, "server_p50": percentile(server, 0.5),
            "server_p99": percentile(server, 0.99), "http_rate": http_rate, "http_p99": http_p99,
            "rss": rss, "peak": peak, "http_alone": http_alone, "bare": bare}


def print_tables(corpus, queries, sok, peers, cores):
    print("\n%s: %d documents, %d queries of 1-3 words, top 10 + snippets + exact '%s' facet"
          % (corpus.name, corpus.docs, len(queries), FACET))
    print("\nIn-process, one core")
    print("%-26s %9s %9s %9s %9s" % ("system", "p50 ms", "p99 ms", "q/s", "vs sok"))
    print("%-26s %9.2f %9.2f %9.0f %8.2fx" % ("sok Searcher", sok["p50"], sok["p99"], sok["rate"], 1))
    print("%-26s %9.2f %9.2f %9.0f %8.2fx" % ("sok, no snippets", sok["bare"][0], sok["bare"][1], sok["bare"][2],
                                              sok["bare"][2] / sok["rate"]))
    for name, (times, _) in peers.items():
        rate = 1000 * len(times) / sum(times)
        print("%-26s %9.2f %9.2f %9.0f %8.3fx" % (name, percentile(times, 0.5), percentile(times, 0.99), rate,
                                                 rate / sok["rate"]))
    print("\nThroughput on %d cores" % cores)
    print("%-40s %9s %9s %9s" % ("system", "q/s", "p99 ms", "vs sok"))
    print("%-40s %9.0f %9.2f %8.2fx" % ("searchd HTTP (wrk, %d connections)" % WRK_CONNECTIONS, sok["http_rate"],
                                        sok["http_p99"], 1))
    for name, (_, rate) in peers.items():
        print("%-40s %9.0f %9s %8.3fx" % ("%s, %d clients" % (name, cores), rate, "", rate / sok["http_rate"]))
    print("%-40s %9.0f %9s %8.2fx" % ("searchd GET /healthz (HTTP, no search)", sok["http_alone"], "",
                                      sok["http_alone"] / sok["http_rate"]))
    fastest = max(rate for _, rate in peers.values())
    print("\n20x the fastest peer is %.0f q/s; searchd answers %.0f requests/s that do no search at all"
          % (20 * fastest, sok["http_alone"]))
    print("\nsearchd: server time p50 %.2f ms, p99 %.2f ms; resident %.0f MB (peak %.0f MB)"
          % (sok["server_p50"], sok["server_p99"], sok["rss"], sok["peak"]))


def scale(args, corpus, queries, query_file, work, cores):
    index = args.scale_index
    if not index:
        path = os.path.join(work, "scale.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            for n in range(args.scale):
                r = corpus.records[n % corpus.docs]
                out.write(json.dumps(dict(r, id="%s-copy%d" % (r["id"], n // corpus.docs)), ensure_ascii=False)
                          + "\n")
        index = os.path.join(work, "scale-index")
        sok_build(os.path.join(args.build, "indexer", "indexer"), path, index)
        os.remove(path)
    documents = xapian.Database(index).get_doccount()
    sok = measure_sok(args, index, queries, query_file, work, cores)
    print("\nScale: sok on %d documents" % documents)
    print("%-26s %9s %9s %9s %11s %10s %11s" % ("index", "p50 ms", "p99 ms", "q/s", "HTTP q/s", "HTTP p99",
                                                "searchd MB"))
    print("%-26s %9.2f %9.2f %9.0f %11.0f %10.2f %11.0f" % ("%d documents" % documents, sok["p50"], sok["p99"],
                                                            sok["rate"], sok["http_rate"], sok["http_p99"],
                                                            sok["rss"]))
    if not args.scale_index:
        shutil.rmtree(index, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="build folder with indexer, searchd, search_bench")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--scale", type=int, default=0, metavar="N", help="also measure sok on N documents")
    parser.add_argument("--scale-index", default=None, metavar="DIR",
                        help="also measure sok on this index (built from Reuters repeated, as --scale does)")
    parser.add_argument("--work", default=None, help="scratch folder (default: a new temporary one)")
    args = parser.parse_args()
    for tool in ("indexer/indexer", "searchd/searchd", "bench/search_bench"):
        if not os.access(os.path.join(args.build, tool), os.X_OK):
            sys.exit("search_peers: no %s in %s (build first, or give --build)" % (tool, args.build))
    if not shutil.which("wrk"):
        sys.exit("search_peers: needs wrk (Debian package wrk)")
    work = args.work or tempfile.mkdtemp(prefix="sok-bench-")
    os.makedirs(work, exist_ok=True)
    cores = os.cpu_count() or 1
    corpus = Corpus("reuters21578", "en", reuters_records(args.data), work)
    queries = draw_queries(corpus, args.queries)
    query_file = os.path.join(work, "queries.txt")
    with open(query_file, "w") as f:
        f.write("\n".join(queries) + "\n")
    postgres = Postgres(work)
    try:
        index = os.path.join(work, "search-index")
        sok_build(os.path.join(args.build, "indexer", "indexer"), corpus.jsonl, index)
        sok = measure_sok(args, index, queries, query_file, work, cores)
        sqlite_path = os.path.join(work, "search.sqlite")
        sqlite_load(corpus, sqlite_path)
        pg_load(postgres, corpus)
        peers = {
            "sqlite fts5": (sqlite_times(sqlite_path, queries),
                            parallel_rate(sqlite_parallel(sqlite_path), cores, queries)),
            "postgresql": (pg_times(postgres, queries), parallel_rate(pg_parallel(postgres), cores, queries)),
        }
        print_tables(corpus, queries, sok, peers, cores)
        if args.scale or args.scale_index:
            scale(args, corpus, queries, query_file, work, cores)
    finally:
        postgres.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
