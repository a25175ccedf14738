#!/usr/bin/python3
"""Search speed of one index against the same articles in 3 remote shards.

    bench/shards_bench.py [--build build] [--data ../shared/data] [--scale N]
                          [--limit N] [--queries 300] [--seconds 10] [--work DIR]

Indexes Reuters-21578 (or, with --scale N, N documents: Reuters repeated under
new ids; --limit N takes only its first N articles, for a quick run) twice:
as one index, and with `indexer build --shards 3`, whose shards three
xapian-tcpsrv processes serve on loopback. Then searchd answers the same 1-3
word queries (top 10 with snippets and an exact year facet) from each layout:
throughput with wrk (keep-alive, 32 connections) and the server time p50/p99
searchd reports, printed as a table with ratios. Everything shares this
machine's cores, so the figure says what the remote protocol costs, not what
three machines would do. Asserts nothing.

Needs Debian's xapian-tools and wrk.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import reuters_records  # noqa: E402
from search_peers import Searchd, draw_queries, percentile, wrk  # noqa: E402

SHARDS = 3


class Records:
    def __init__(self, records):
        self.records = records
        self.docs = len(records)


def write_corpus(args, work):
    records = list(reuters_records(args.data))
    if args.limit:
        records = records[:args.limit]
    total = args.scale or len(records)
    path = os.path.join(work, "corpus.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for n in range(total):
            r = records[n % len(records)]
            copy = n // len(records)
            out.write(json.dumps(dict(r, id=r["id"] if copy == 0 else "%s-copy%d" % (r["id"], copy)),
                                 ensure_ascii=False) + "\n")
    return Records(records), path, total


def build(indexer, corpus, index, shards):
    shutil.rmtree(index, ignore_errors=True)
    start = time.time()
    cmd = [indexer, "build", corpus, "--index", index] + (["--shards", str(shards)] if shards > 1 else [])
    subprocess.run(cmd, check=True, capture_output=True)
    return time.time() - start


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve_shards(index):
    """xapian-tcpsrv for each shard folder; (processes, tcp:// urls)."""
    processes, urls = [], []
    for i in range(SHARDS):
        port = free_port()
        processes.append(subprocess.Popen(
            ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
             os.path.join(index, "shard-%d" % i)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        urls.append("tcp://127.0.0.1:%d" % port)
    for url in urls:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
    return processes, urls


class ShardedSearchd(Searchd):
    """searchd over several --index locations (Searchd takes one)."""

    def __init__(self, build_dir, indexes, threads):
        args = [os.path.join(build_dir, "searchd", "searchd"), "--listen", "127.0.0.1:0",
                "--threads", str(threads), "--rate-limit", "0"]
        for index in indexes:
            args += ["--index", index]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("searchd did not start")
        self.host, self.port = self.address.rsplit(":", 1)


def measure(args, indexes, queries, work, threads):
    searchd = ShardedSearchd(args.build, indexes, threads)
    try:
        server = searchd.server_times(queries)
        rate, p99 = wrk(searchd, [searchd.path(q) for q in queries], args.seconds, work)
        rss, _ = searchd.resident_mb()
    finally:
        searchd.stop()
    return {"p50": percentile(server, 0.5), "p99": percentile(server, 0.99), "rate": rate, "http_p99": p99,
            "rss": rss}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="build folder with indexer and searchd")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--scale", type=int, default=0, help="documents to index (Reuters repeated); 0: Reuters once")
    parser.add_argument("--limit", type=int, default=0, help="only the first N Reuters articles (quick runs)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--remote-threads", type=int, default=16,
                        help="searchd threads for remote shards too (a thread mostly waits on the network)")
    args = parser.parse_args()
    for program in ("xapian-tcpsrv", "wrk"):
        if not shutil.which(program):
            sys.exit("shards_bench: %s is not installed" % program)
    work = args.work or tempfile.mkdtemp(prefix="sok-shards-bench-")
    os.makedirs(work, exist_ok=True)
    cores = os.cpu_count() or 1
    random.seed(8)
    records, corpus, total = write_corpus(args, work)
    queries = draw_queries(records, args.queries)
    indexer = os.path.join(args.build, "indexer", "indexer")
    one, sharded = os.path.join(work, "one"), os.path.join(work, "sharded")
    build_one = build(indexer, corpus, one, 1)
    build_sharded = build(indexer, corpus, sharded, SHARDS)
    os.remove(corpus)
    results = {"1 local index": measure(args, [one], queries, work, cores)}
    processes, urls = serve_shards(sharded)
    try:
        results["%d remote shards (tcpsrv)" % SHARDS] = measure(args, urls, queries, work, cores)
        results["%d remote, %d threads" % (SHARDS, args.remote_threads)] = measure(
            args, urls, queries, work, args.remote_threads)
    finally:
        for p in processes:
            os.killpg(p.pid, signal.SIGTERM)
    results["%d local shards (one folder)" % SHARDS] = measure(args, [sharded], queries, work, cores)
    base = results["1 local index"]
    print("\n%d documents; %d queries of 1-3 words, top 10 + snippets + exact year facet; %d cores shared by "
          "searchd, xapian-tcpsrv and wrk; searchd with %d threads unless said" % (total, len(queries), cores, cores))
    print("build: 1 index %.0f s, %d shards %.0f s" % (build_one, SHARDS, build_sharded))
    print("%-30s %9s %9s %9s %10s %9s %10s" % ("layout", "q/s", "vs 1", "p50 ms", "p99 ms", "vs 1", "HTTP p99"))
    for name, r in results.items():
        print("%-30s %9.0f %8.2fx %9.2f %10.2f %8.2fx %10.2f" % (
            name, r["rate"], r["rate"] / base["rate"], r["p50"], r["p99"], r["p99"] / base["p99"], r["http_p99"]))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
