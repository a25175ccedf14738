#!/usr/bin/env python3
"""Search latency while the index is rebuilt, beside the latency without.

Starts searchd on a free loopback port over a fresh index of SOURCES
(default: corpus/), then runs wrk (keep-alive, mixed queries: searches
with facets, the newest-articles listing, completions, the page) twice for
the same time:

- quiet: nothing else happens;
- rebuilding: full rebuilds one after the other, alternately `indexer build`
  on the command line and POST /api/admin/reindex (waited for), each
  followed by a few single-article updates through the admin API.

Prints requests/s, p50, p99 and the slowest request of each, the number of
non-2xx answers and socket errors, and the rebuilds done. wrk shares the
cores with searchd and the indexer: on a 2-core machine the figures show
the cost of rebuilding on the same machine. Asserts nothing.

    bench/reindex_bench.py --build build [--seconds 20] [--connections 16] [SOURCES...]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TOKEN = "reindex-bench-token"
PATHS = [
    "/api/search?q=forskning&facets=type,year",
    "/api/search?q=cellterapi%20Flemingsberg",
    "/api/search?size=5&facets=",
    "/api/suggest?q=fors",
    "/api/search?q=life%20science&type=news",
    "/?q=innovation",
]
WRK_SCRIPT = """
local paths = {%s}
local i = 0
wrk.headers["Connection"] = "keep-alive"
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


class Searchd:
    def __init__(self, build, config):
        env = dict(os.environ, SOK_ADMIN_TOKEN=TOKEN)
        self.process = subprocess.Popen(
            [os.path.join(build, "searchd", "searchd"), "--config", config, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("searchd did not start")
        self.base = "http://" + self.address

    def admin(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, method=method, data=body,
                                         headers={"Authorization": "Bearer " + TOKEN})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def wait_for(self, job):
        while True:
            state = self.admin("GET", job["href"])
            if state["state"] in ("done", "failed"):
                return state
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def milliseconds(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(searchd, seconds, connections, work):
    script = os.path.join(work, "mixed.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % ", ".join('"%s"' % p for p in PATHS))
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "--latency",
                          "-s", script, searchd.base], check=True, capture_output=True, text=True).stdout
    figure = {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for name, pattern in (("p50", r"50%\s+([\d.]+)(us|ms|s)"), ("p99", r"99%\s+([\d.]+)(us|ms|s)"),
                          ("max", r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)")):
        found = re.search(pattern, out)
        figure[name] = milliseconds(*found.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figure["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figure["errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    return figure


def rebuild_until(stop, searchd, indexer, sources, index, done):
    """Rebuilds by CLI and admin API in turn, each followed by 5 updates, until `stop` is set."""
    n = 0
    while not stop.is_set():
        if n % 2 == 0:
            subprocess.run([indexer, "build", *sources, "--index", index], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            searchd.wait_for(searchd.admin("POST", "/api/admin/reindex", b"")["job"])
        for i in range(5):
            record = {"id": "bench-%d-%d" % (n, i), "title": "Uppdatering %d" % i, "lang": "sv",
                      "type": "news", "published": "2026-05-01", "body": "Ett labb öppnar."}
            searchd.wait_for(searchd.admin("POST", "/api/admin/documents",
                                           json.dumps([record]).encode())["job"])
        n += 1
        done.append(n)


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", default=[os.path.join(here, "corpus")])
    parser.add_argument("--build", default=os.path.join(here, "build"))
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("reindex_bench: needs wrk (apt-get install wrk)")
    indexer = os.path.join(args.build, "indexer", "indexer")
    sources = [os.path.abspath(s) for s in args.sources]
    with tempfile.TemporaryDirectory(prefix="sok-reindex-bench-") as work:
        index = os.path.join(work, "index")
        subprocess.run([indexer, "build", *sources, "--index", index], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        config = os.path.join(work, "searchd.toml")
        with open(config, "w") as f:
            f.write("[index]\npaths = [%s]\nsources = [%s]\n"
                    % (json.dumps(index), ", ".join(json.dumps(s) for s in sources)))
        searchd = Searchd(args.build, config)
        try:
            quiet = run_wrk(searchd, args.seconds, args.connections, work)
            stop, done = threading.Event(), []
            writer = threading.Thread(target=rebuild_until,
                                      args=(stop, searchd, indexer, sources, index, done))
            writer.start()
            busy = run_wrk(searchd, args.seconds, args.connections, work)
            stop.set()
            writer.join()
        finally:
            searchd.stop()
    print("searchd on %d cores, wrk -t2 -c%d for %d s each, %d mixed queries, sources: %s"
          % (os.cpu_count(), args.connections, args.seconds, len(PATHS), " ".join(args.sources)))
    print("%-34s %9s %8s %8s %9s %7s %7s" % ("phase", "req/s", "p50 ms", "p99 ms", "max ms", "non-2xx",
                                             "errors"))
    for name, f in (("quiet", quiet), ("rebuilding (%d rebuilds)" % (done[-1] if done else 0), busy)):
        print("%-34s %9.0f %8.2f %8.2f %9.1f %7d %7d"
              % (name, f["rate"], f["p50"], f["p99"], f["max"], f["non2xx"], f["errors"]))


if __name__ == "__main__":
    main()
