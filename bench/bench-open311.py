#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open311 benchmark: GET requests.xml answering 1000 requests from a
1,000,000-report database, one client at a time and under concurrent load;
also requests.json and a FixMyStreet-style servicerequestupdates poll.

Usage: bench-open311.py KERBSIDE_SERVER [--reports N] [--data-dir DIR]
                        [--duration S] [--connections C] [--db FILE]

Creates (once, cached in DATA_DIR, shared with bench-server.py) a demo database
of N reports (default 1,000,000), starts the real server on 127.0.0.1 and
prints requests/s and latencies. Uses wrk for the load when it is installed,
else Python threads.
"""
import argparse
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from kerbside_bench import demo_db, log, start_server

PATH_XML = "/open311/v2/requests.xml"
PATH_JSON = "/open311/v2/requests.json"


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"GET {path}: {r.status} {data[:300]!r}")
    return data


def sequential(port, path, n):
    """n requests one after another on one connection: latencies in ms, bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    lat, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        data = get(conn, path)
        lat.append((time.perf_counter() - t0) * 1000)
        size = len(data)
    conn.close()
    lat.sort()
    return lat, size


def pct(sorted_values, p):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]


WRK_LUA = r"""
local pages = tonumber(os.getenv("KS_PAGES"))
local base = os.getenv("KS_PATH")
math.randomseed(os.time())
request = function()
  local path = base
  if pages > 1 then
    path = string.format("%s?page=%d", base, math.random(1, pages))
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.2f %.2f\n", summary.requests,
           summary.errors.status + summary.errors.connect + summary.errors.read +
           summary.errors.write + summary.errors.timeout,
           summary.requests / (summary.duration / 1e6),
           latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def load_wrk(port, path, pages, duration, conns):
    script = tempfile.mktemp(suffix=".lua")
    with open(script, "w") as f:
        f.write(WRK_LUA)
    env = dict(os.environ, KS_PATH=path, KS_PAGES=str(pages))
    out = subprocess.run(["wrk", "-t2", "-c%d" % conns, "-d%ds" % duration, "--timeout", "30s",
                          "-s", script, "http://127.0.0.1:%d" % port],
                         env=env, capture_output=True, text=True).stdout
    os.unlink(script)
    for line in out.splitlines():
        if line.startswith("RESULT"):
            _, n, errors, rate, p50, p99 = line.split()
            return int(n), int(errors), float(rate), float(p50), float(p99)
    sys.exit("wrk gave no result:\n" + out)


def load_threads(port, path, pages, duration, conns):
    lat, errors = [], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def worker(seed):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        i = seed
        mine = []
        while time.perf_counter() < stop:
            p = path if pages <= 1 else "%s?page=%d" % (path, i % pages + 1)
            i += 7
            t0 = time.perf_counter()
            try:
                conn.request("GET", p)
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            lat.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - t0
    lat.sort()
    return len(lat), errors[0], len(lat) / secs, pct(lat, 50), pct(lat, 99)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--reports", type=int, default=1000000)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--db", help="use this database instead of the cached demo one")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--bcrypt-cost", type=int, default=12)
    args = ap.parse_args()

    db = args.db
    if db is None:
        db = demo_db(args.server, args.data_dir, args.reports, args.bcrypt_cost)

    # An API key for the updates poll (the key is printed once on stdout).
    res = subprocess.run([args.server, "apikey", "create", "--db", db, "--name", "bench-open311"],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("could not make an API key: " + res.stderr)
    key = res.stdout.strip()

    load = load_wrk if shutil.which("wrk") else load_threads
    tool = "wrk" if load is load_wrk else "python threads"
    proc, port = start_server(args.server, db)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        body = get(conn, PATH_XML)
        conn.close()
        n = body.count(b"<request>")
        log(f"GET {PATH_XML}: {n} requests, {len(body) / 1e6:.2f} MB an answer")
        if n != 1000:
            sys.exit("expected 1000 requests in the answer: is the database large enough?")

        sequential(port, PATH_XML, 5)  # warm the page cache
        for path in (PATH_XML, PATH_JSON):
            lat, size = sequential(port, path, 50)
            log(f"{path}, one client, 50 requests: p50 {pct(lat, 50):.1f} ms, "
                f"p99 {pct(lat, 99):.1f} ms, mean {statistics.mean(lat):.1f} ms "
                f"({1000 / statistics.mean(lat):.0f} req/s), {size / 1e6:.2f} MB")

        for path, pages in ((PATH_XML, 1), (PATH_XML, 50), (PATH_JSON, 1)):
            n, errors, rate, p50, p99 = load(port, path, pages, args.duration, args.connections)
            what = "page 1" if pages == 1 else f"random pages 1-{pages}"
            log(f"{path} ({what}), {tool} {args.connections} connections {args.duration}s: "
                f"{rate:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors")

        now = int(time.time())
        q = "?api_key=%s&start_date=%s&end_date=%s" % (
            key, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 7200)),
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)))
        lat, size = sequential(port, "/open311/v2/servicerequestupdates.xml" + q, 50)
        log(f"servicerequestupdates.xml (2-hour window), one client: p50 {pct(lat, 50):.1f} ms, "
            f"p99 {pct(lat, 99):.1f} ms, {size / 1e3:.1f} kB")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        subprocess.run([args.server, "apikey", "revoke", "--db", db, "--id",
                        _key_id(args.server, db)], capture_output=True)


def _key_id(exe, db):
    out = subprocess.run([exe, "apikey", "list", "--db", db], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.endswith("bench-open311") and line.split()[4] == "-":
            return line.split()[0]
    return "0"


if __name__ == "__main__":
    main()
