#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Server benchmark: bounding-box list queries under load, a 100k-report sync
(plain, gzip, zstd, and zstd with the reporters as an inspector's app asks),
list latency while sign-ins run beside them (the median over several pairs
of windows, alone then with them), then while internal notes are
written beside them (ten a second each, started whether or not the last has
finished), and writes; on SQLite and on
PostgreSQL with the same data in the same run, then two instances on one
PostgreSQL database.

Usage: bench-server.py KERBSIDE_SERVER [--reports N] [--data-dir DIR] [--duration S]
                       [--store sqlite|postgresql|both] [--pg-threads N] [--server-log FILE]
                       [--list-items kept|none] [--sign-in-pairs N]
       bench-server.py KERBSIDE_SERVER --scale 100000,1000000[,5000000] [...]

Creates (once, cached in DATA_DIR) a demo database of N reports (default
1,000,000), starts the real server on 127.0.0.1, and prints figures. For
PostgreSQL it starts a throwaway cluster (tests/pg/pgcluster.py, with fsync on
as a deployment has it) and copies the same demo database into it with
`kerbside-server migrate-store`. Needs wrk.

The list is measured as a working server runs it: after one full sync, which
keeps every report's rendered sync item, so that a page copies them and reads
and writes only the reports changed since (--list-items none: with every item
deleted first, each report read and written, and the server's housekeeping
keeping none ahead). It prints which, and for PostgreSQL its processes' CPU a
request beside the server's.

--scale prints the scale table instead (SQLite): for each size, the sync of the
first 100,000 reports (the first one, which renders and keeps every report's
sync item, on a server whose housekeeping keeps none ahead, then three that
copy them), the list throughput and p99 (after that
first sync: with the items kept), the database's size and how long the demo
took to make.

KS_BENCH_SHAPE=1 prints each wrk run's latency percentiles from p90 to the
maximum (a p99 moved by a few long stalls looks different from one moved by
every request being slower).
"""
import argparse
import atexit
import gzip
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from kerbside_bench import demo_db, demo_seconds, log, start_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pg"))
import pgcluster  # noqa: E402

PASSWORD = "street-lamp-orange-42"
# Oxford, where the demo council is.
LAT0, LAT1, LON0, LON1 = 51.72, 51.78, -1.30, -1.19


def request(port, method, path, token=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def login(port, email):
    st, data = request(port, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})
    if st != 200:
        sys.exit(f"login failed: {st} {data[:200]}")
    return json.loads(data)["token"]


WRK_LUA = r"""
local token = os.getenv("KS_TOKEN")
math.randomseed(os.time())
request = function()
  -- a 1 x 1 km box somewhere in the town
  local lat = %f + math.random() * %f
  local lon = %f + math.random() * %f
  local path = string.format("/api/v1/reports?bbox=%%.5f,%%.5f,%%.5f,%%.5f&limit=100",
                             lon, lat, lon + 0.0146, lat + 0.009)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  io.write(string.format("SHAPE p90 %%.1f p95 %%.1f p98 %%.1f p99 %%.1f p99.5 %%.1f p99.9 %%.1f max %%.1f ms\n",
           latency:percentile(90) / 1000, latency:percentile(95) / 1000, latency:percentile(98) / 1000,
           latency:percentile(99) / 1000, latency:percentile(99.5) / 1000, latency:percentile(99.9) / 1000,
           latency.max / 1000))
  io.write(string.format("RESULT %%d %%d %%.1f %%.2f %%.2f %%d\n", summary.requests,
           summary.errors.status + summary.errors.connect + summary.errors.read +
           summary.errors.write + summary.errors.timeout,
           summary.requests / (summary.duration / 1e6),
           latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration))
end
""" % (LAT0, LAT1 - LAT0 - 0.009, LON0, LON1 - LON0 - 0.0146)


# Writes: an internal note on a random report, each its own transaction.
WRK_WRITE_LUA = r"""
local token = os.getenv("KS_TOKEN")
local reports = tonumber(os.getenv("KS_REPORTS"))
math.randomseed(os.time())
request = function()
  local path = string.format("/api/v1/reports/%d/updates", math.random(1, reports))
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token,
                                   ["Content-Type"] = "application/json"},
                    '{"text": "Checked on site by the benchmark.", "public": false}')
end
""" + WRK_LUA[WRK_LUA.index("done = function"):]


def run_wrk(port, token, duration, conns=50, threads=2, lua=None, env_extra=None):
    script = tempfile.mktemp(suffix=".lua")
    with open(script, "w") as f:
        f.write(lua or WRK_LUA)
    env = dict(os.environ, KS_TOKEN=token, **(env_extra or {}))
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration,
                          "-s", script, "http://127.0.0.1:%d" % port],
                         env=env, capture_output=True, text=True).stdout
    os.unlink(script)
    for line in out.splitlines():
        if line.startswith("SHAPE") and os.environ.get("KS_BENCH_SHAPE"):
            log(line)
        if line.startswith("RESULT"):
            _, n, errors, rate, p50, p99, _dur = line.split()
            return int(n), int(errors), float(rate), float(p50), float(p99)
    sys.exit("wrk gave no result:\n" + out)


def cpu_seconds(pid):
    """User + system CPU the process has used so far (all its threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster_cpu_seconds(pg):
    """User + system CPU PostgreSQL's processes have used so far (the postmaster
    and its children: the server's backends among them, and those that have
    ended, such as a parallel query's workers, which the postmaster reaped)."""
    with open(os.path.join(pg.data, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    with open("/proc/%d/stat" % postmaster) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    total = sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def unzstd(data):
    """A zstd answer decoded with the zstd command (Python has no zstd module)."""
    return subprocess.run(["zstd", "-d", "-c", "-q"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


# What each kind of client sends: none, a gzip-only client (as browsers and
# older libsoup), the app.
ACCEPT = {"plain": None, "gzip": "gzip, deflate, br", "zstd": "zstd, gzip"}


def sync_time(port, token, total, pid, compressed=False, offline=False):
    """A full sync of total reports in pages of 50,000, as the app asks for them
    (compressed: False for plain, True or "gzip" for gzip, "zstd" for zstd;
    offline: with the reporters, as an inspector's app asks, offline=1):
    (seconds to the last byte, reports, bytes on the
    wire, JSON bytes, the server's CPU seconds). The pages are parsed after the
    clock stops, so that the client's parsing is not counted."""
    pages = []
    got, since, wire, plain = 0, 0, 0, 0
    cpu0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    elapsed = 0.0
    while got < total:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        c.putrequest("GET", "/api/v1/sync?since=%d&limit=50000%s" % (since, "&offline=1" if offline else ""),
                     skip_accept_encoding=True)
        c.putheader("Authorization", "Bearer " + token)
        accept = ACCEPT[{False: "plain", True: "gzip"}.get(compressed, compressed)]
        if accept:
            c.putheader("Accept-Encoding", accept)
        c.endheaders()
        r = c.getresponse()
        data = r.read()
        c.close()
        elapsed = time.perf_counter() - t0
        if r.status != 200:
            sys.exit(f"sync failed: {r.status} {data[:200]}")
        wire += len(data)
        if r.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        elif r.headers.get("Content-Encoding") == "zstd":
            data = unzstd(data)
        elif compressed:
            log("  (the server answered the sync uncompressed to a client asking for it compressed)")
        plain += len(data)
        # Only what the next page needs, cheaply: the page's seq and more are
        # its last members.
        tail = json.loads("{" + data[data.rindex(b'"tombstones"'):].decode())
        pages.append(data)
        since = tail["seq"]
        got += data.count(b'"detail":')
        if not tail["more"]:
            break
    cpu = cpu_seconds(pid) - cpu0
    got = sum(len(json.loads(p)["reports"]) for p in pages)
    return elapsed, got, wire, plain, cpu


def log_sync(label, port, token, pid, runs=3):
    """The full sync, plain, gzipped and in zstd, and in zstd with the
    reporters (offline=1, the inspector's app), in turn (interleaved), several
    runs."""
    kinds = ((False, False), ("gzip", False), ("zstd", False), ("zstd", True))
    res = {k: [] for k in kinds}
    for _ in range(runs):
        for kind in kinds:
            res[kind].append(sync_time(port, token, 100000, pid, *kind))
    for kind in kinds:
        compressed, offline = kind
        rs = res[kind]
        secs = sorted(r[0] for r in rs)
        cpus = sorted(r[4] for r in rs)
        got, wire, plain = rs[0][1], rs[0][2], rs[0][3]
        log(f"[{label}] full sync of {got} reports, {compressed or 'plain'}{' offline' if offline else ''}: "
            f"{secs[0]:.2f}-{secs[-1]:.2f} s to the last byte, server CPU {cpus[0]:.2f}-{cpus[-1]:.2f} s "
            f"(target < 0.3 s: {met(cpus[-1] < 0.3)}), {wire / 1e6:.1f} MB on the wire "
            f"(target < 15 MB: {met(wire < 15e6)}; JSON {plain / 1e6:.1f} MB), "
            f"{runs} runs, load average {os.getloadavg()[0]:.1f}")


def open_loop(stop, per_second, counts, call):
    """Open loop: starts call() every 1/per_second s, whether or not the
    earlier ones have finished (as independent people would), and appends its
    (status, seconds) to counts."""
    interval = 1.0 / per_second
    threads = []

    def one():
        t0 = time.perf_counter()
        try:
            st, _ = call()
        except Exception:
            st = 0
        counts.append((st, time.perf_counter() - t0))

    nxt = time.perf_counter()
    while not stop.is_set():
        th = threading.Thread(target=one, daemon=True)
        th.start()
        threads.append(th)
        nxt += interval
        delay = nxt - time.perf_counter()
        if delay > 0:
            stop.wait(delay)
    for th in threads:
        th.join(timeout=120)


def login_loop(port, stop, per_second, counts):
    """Sign-ins, as people arriving at work."""
    open_loop(stop, per_second, counts,
              lambda: request(port, "POST", "/api/v1/auth/login",
                              body={"email": "inspector@demo.invalid", "password": PASSWORD}))


def note_loop(port, token, reports, stop, per_second, counts):
    """Internal notes on random reports, as staff at work: each one a commit."""
    rng = random.Random(1)
    open_loop(stop, per_second, counts,
              lambda: request(port, "POST", f"/api/v1/reports/{rng.randint(1, reports)}/updates", token,
                              body={"text": "Checked on site by the benchmark.", "public": False}))


def run_writes(port, token, args, label):
    """Every commit is synced to disk before it is answered (synchronous = FULL)."""
    for conns in (1, 8):
        n, errors, rate, p50, p99 = run_wrk(port, token, args.duration, conns=conns,
                                            threads=min(2, conns), lua=WRK_WRITE_LUA,
                                            env_extra={"KS_REPORTS": str(args.reports)})
        log(f"[{label}] writes (an internal note each, wrk -c{conns} {args.duration}s): {rate:.0f} req/s, "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, {errors} errors")


def statements_per_request(pg, n):
    """What PostgreSQL ran for n list requests: statements, and the time in each kind."""
    rows = pg.psql("SELECT sum(calls), string_agg(format('%s x %s: %s ms', "
                   "round(calls::numeric / " + str(n) + ", 2), "
                   "left(regexp_replace(query, '\\s+', ' ', 'g'), 30), "
                   "round((total_exec_time / calls)::numeric, 3)), '; ' ORDER BY calls DESC) "
                   "FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'")
    return float(rows[0][0] or 0) / n, rows[0][1]


def met(ok):
    return "met" if ok else "missed"


def percentile(values, p):
    """The p-th percentile (0-100) of values, nearest rank; 0 when empty."""
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


SIGN_IN_LINE = re.compile(r"waited (-?\d+) ms, bcrypt (-?\d+) ms, the rest (-?\d+) ms, CPU (-?\d+) ms; "
                          r"done (-?\d+) ms after admission, expected (-?\d+) ms")


def log_sign_ins(label, port, token, args, files, first_p99):
    """The list with ten sign-ins a second beside, against the list alone, in
    --sign-in-pairs pairs of windows (the first pair's list alone is the run
    measured just before): one window's p99 against another's moves with the
    scheduler and an occasional stall on these two shared cores, so the figure
    that counts is the median of the pairs' ratios."""
    ratios, lat, away, started = [], [], [], 0
    for i in range(args.sign_in_pairs):
        if i == 0:
            alone = first_p99
        else:
            read_files(label, files)
            alone = run_wrk(port, token, args.duration)[4]
        read_files(label, files)
        stop = threading.Event()
        counts = []
        t = threading.Thread(target=login_loop, args=(port, stop, 10, counts))
        t.start()
        _, errors, rate, _, p99 = run_wrk(port, token, args.duration)
        stop.set()
        t.join()
        ok = [d * 1000 for st, d in counts if st == 200]
        shed = [d * 1000 for st, d in counts if st == 503]
        ratios.append(p99 / alone)
        lat += ok
        away += shed
        started += len(counts)
        log(f"[{label}] pair {i + 1}: bbox list p99 alone {alone:.2f} ms; with 10 sign-ins/s beside "
            f"(bcrypt cost {args.bcrypt_cost}) {rate:.0f} req/s, p99 {p99:.2f} ms, {p99 / alone:.2f}x, "
            f"{errors} errors; sign-ins started {len(counts)}, signed in {len(ok)} "
            f"(median {percentile(ok, 50):.0f} ms, p95 {percentile(ok, 95):.0f} ms), "
            f"turned away busy (503) {len(shed)}, load average {os.getloadavg()[0]:.1f}")
    med = statistics.median(ratios)
    log(f"[{label}] bbox list p99 with 10 sign-ins/s beside, against alone, {len(ratios)} pairs: "
        f"{', '.join(f'{r:.2f}x' for r in ratios)}; median {med:.2f}x (target <= 1.5x: {met(med <= 1.5)}); "
        f"sign-ins started {started}, signed in {len(lat)} (median {percentile(lat, 50):.0f} ms, "
        f"p95 {percentile(lat, 95):.0f} ms, target p95 < 2,000 ms: "
        f"{met(bool(lat) and percentile(lat, 95) < 2000)}), turned away busy (503) {len(away)} "
        f"(answered in {percentile(away, 95):.0f} ms p95)")


def log_sign_in_times(label, log_path, offset):
    """Where the admitted sign-ins' time went, from the server's debug lines
    (G_MESSAGES_DEBUG=ks-server) written since offset."""
    with open(log_path, errors="replace") as f:
        f.seek(offset)
        rows = [[int(x) for x in m.groups()] for m in SIGN_IN_LINE.finditer(f.read())]
    if not rows:
        log(f"[{label}] admitted sign-ins in the server: none logged")
        return

    def col(i):
        v = [r[i] for r in rows]
        return f"{percentile(v, 50)}/{percentile(v, 95)}"
    log(f"[{label}] admitted sign-ins in the server, median/p95 ms: waiting for the bcrypt thread {col(0)}, "
        f"bcrypt {col(1)}, the rest {col(2)}, CPU {col(3)} ({sum(r[3] for r in rows) / 1000:.1f} s in all); "
        f"admission to done {col(4)} "
        f"(expected at admission {col(5)}); {len(rows)} logged in {log_path}")


def prepare_list(label, port, token, args, pid, sql):
    """Puts the store in the state the list is to be measured in (--list-items)
    and says which path that is: with the items kept, as a working server has
    them (every sync keeps the items it renders, and the app syncs at sign-in),
    after one full sync; or with none, every report's row read and written."""
    if args.list_items == "kept":
        sync_time(port, token, args.reports, pid)
    else:
        sql("DELETE FROM report_fragments")
    kept = int(sql("SELECT count(*) FROM report_fragments")[0][0])
    total = int(sql("SELECT count(*) FROM reports")[0][0])
    log(f"[{label}] the list measured with "
        + (f"the items kept (one full sync first): {kept:,} of {total:,} reports have one; "
           f"a page's reports without one are read and written"
           if args.list_items == "kept" else
           f"no item kept ({kept} of {total:,}): every report of a page is read and written"))


def read_files(label, paths):
    """Reads every file under paths once, into the kernel's page cache. This
    machine's kernel pages out file pages untouched for about a minute (DAMON's
    reclaim: 1.1 GB of a 2.4 GB database was left cached after a run), so a database
    bigger than what the last run touched is otherwise partly read from the
    disk, by an amount that differs from run to run. A server busy all day
    keeps its pages; the time this takes says how many had gone."""
    t0 = time.perf_counter()
    total = 0
    files = [p for top in paths
             for p in ([top] if not os.path.isdir(top) else
                       (os.path.join(root, n) for root, _, names in os.walk(top) for n in names))]
    for path in files:
        try:
            with open(path, "rb", buffering=0) as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
        except OSError:
            pass
    log(f"[{label}] the store's files read into the page cache: {total / 1e6:,.0f} MB "
        f"in {time.perf_counter() - t0:.1f} s")


def sqlite_files(db):
    """A SQLite store's files: the database and its write-ahead log."""
    return (db, db + "-wal")


def measure(label, port, token, args, pid, sql, pg=None, files=()):
    """The read figures of one server: returns the list p99 (for comparisons).
    files: the store's files, read before each run (read_files)."""
    if args.only != "sync":
        prepare_list(label, port, token, args, pid, sql)
    read_files(label, files)
    # warm the caches
    run_wrk(port, token, 3)
    if args.only == "sync":
        log_sync(label, port, token, pid)
        return None
    counting = pg is not None and "shared_preload_libraries" in pg.settings
    if counting:
        pg.psql("SELECT pg_stat_statements_reset()")
    cpu0 = cpu_seconds(pid)
    pg_cpu0 = cluster_cpu_seconds(pg) if pg is not None else 0.0
    n, errors, rate, p50, p99 = run_wrk(port, token, args.duration)
    # The server's CPU per request moves much less with the machine's load
    # than the rate does: the figure to compare two builds on a busy machine.
    cpu_us = (cpu_seconds(pid) - cpu0) / max(n, 1) * 1e6
    pg_cpu = ""
    if pg is not None:
        pg_cpu = (f", PostgreSQL's CPU {(cluster_cpu_seconds(pg) - pg_cpu0) / max(n, 1) * 1e6:.0f} us "
                  f"a request")
    log(f"[{label}] bbox list (1x1 km, 100 a page), wrk -c50 -t2 {args.duration}s: "
        f"{rate:.0f} req/s (target >= 4,000: {met(rate >= 4000)}), p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms (target < 25 ms: {met(p99 < 25)}), server CPU {cpu_us:.0f} us a request"
        f"{pg_cpu}, {errors} errors, load average {os.getloadavg()[0]:.1f}")
    if counting:
        per, detail = statements_per_request(pg, n)
        log(f"[{label}] statements (round trips) per list request: {per:.2f} ({detail})")

    if args.only is None:
        log_sync(label, port, token, pid)

    log_offset = os.path.getsize(args.server_log) if args.server_log and pg is None else None
    log_sign_ins(label, port, token, args, files, p99)
    if log_offset is not None:
        log_sign_in_times(label, args.server_log, log_offset)

    # Writes beside the list: every commit makes each worker's connection
    # drop what it had read of the database (SQLite starts its next read
    # afresh once the database has changed).
    read_files(label, files)
    stop = threading.Event()
    counts = []
    t = threading.Thread(target=note_loop, args=(port, token, args.reports, stop, 10, counts))
    t.start()
    n3, errors3, rate3, p50c, p99c = run_wrk(port, token, args.duration)
    stop.set()
    t.join()
    lat = [d * 1000 for st, d in counts if st in (200, 201)]
    log(f"[{label}] bbox list with 10 notes/s beside: {rate3:.0f} req/s, p99 {p99c:.2f} ms, "
        f"{p99c / p99:.2f}x the p99 without, {errors3} errors; notes written: {len(lat)} of {len(counts)} "
        f"(median {percentile(lat, 50):.0f} ms, p95 {percentile(lat, 95):.0f} ms), "
        f"load average {os.getloadavg()[0]:.1f}")
    return p99


def serve_args(args):
    return ["--bcrypt-cost", str(args.bcrypt_cost), "--throttle-address", "0"]


def no_keeping_ahead():
    """serve options for a server whose housekeeping does not keep the
    reports' items ahead: where the benchmark measures a sync or a list that
    renders them itself."""
    global _no_keep_conf
    if _no_keep_conf is None:
        fd, _no_keep_conf = tempfile.mkstemp(prefix="ks-bench-", suffix=".conf")
        with os.fdopen(fd, "w") as f:
            f.write("[server]\nkeep-items-ahead=false\n")
        atexit.register(os.unlink, _no_keep_conf)
    return ["--config", _no_keep_conf]


_no_keep_conf = None


def list_args(args):
    """serve options for the server the list is measured on: with no item
    kept (--list-items none), none is kept ahead either."""
    return serve_args(args) + (no_keeping_ahead() if args.list_items == "none" else [])


def sqlite_sql(db, query):
    with sqlite3.connect(db, timeout=60) as c:
        return c.execute(query).fetchall()


def log_pages(db):
    """The database's page size and how full its sync items' pages are: a
    database whose items the housekeeping kept has them about 79% full, one
    rewritten by `kerbside-server compact` about 91% (README.md), and the sync
    reads that many pages."""
    size, count = sqlite_sql(db, "SELECT page_size, page_count FROM pragma_page_size, "
                                 "pragma_page_count")[0]
    try:
        if not sqlite_sql(db, "SELECT EXISTS (SELECT 1 FROM report_fragments)")[0][0]:
            raise sqlite3.Error("none kept yet; the server keeps them ahead at its start")
        pages, fill = sqlite_sql(db, "SELECT count(*), sum(pgsize - unused) * 1.0 / sum(pgsize) "
                                     "FROM dbstat WHERE name = 'report_fragments'")[0]
        items = f"; the kept items in {pages:,} pages, {(fill or 0) * 100:.0f}% full"
    except sqlite3.Error as e:
        items = f"; the sync items' pages not counted: {e}"
    log(f"[sqlite] {size * count / 1e6:,.0f} MB in pages of {size:,} bytes{items}")


def bench_sqlite(args, db):
    log_pages(db)
    proc, port = start_server(args.server, db, list_args(args), log_path=args.server_log,
                              debug_domains="ks-server" if args.server_log else None)
    try:
        token = login(port, "inspector@demo.invalid")
        if args.writes_only:
            run_writes(port, token, args, "sqlite")
            return None
        p99 = measure("sqlite", port, token, args, proc.pid, lambda q: sqlite_sql(db, q),
                      files=sqlite_files(db))
        # Last, as it adds notes to the cached database.
        if not args.only:
            run_writes(port, token, args, "sqlite")
        return p99
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def pg_cluster(args, db):
    """A cluster with the same data as db (migrate-store), or None with the reason."""
    settings = {"fsync": "on", "shared_buffers": "2GB", "max_connections": "200"}
    try:
        cluster = pgcluster.Cluster(settings=settings)
        # Counts the statements a list request makes (pg_stat_statements, in
        # postgresql-15 itself).
        if os.path.exists(os.path.join(cluster.bindir, "..", "lib", "pg_stat_statements.so")):
            cluster.settings["shared_preload_libraries"] = "pg_stat_statements"
        pg = cluster.create()
    except pgcluster.Missing as e:
        log(f"PostgreSQL: not measured ({e})")
        return None
    t0 = time.perf_counter()
    res = subprocess.run([args.server, "migrate-store", "--from", db, "--to", pg.uri],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pg.destroy()
        sys.exit("migrate-store failed:\n" + res.stderr[-2000:])
    size = pg.psql("SELECT pg_database_size(current_database())")[0][0]
    if "shared_preload_libraries" in pg.settings:
        pg.psql("CREATE EXTENSION pg_stat_statements")
    log(f"[postgresql] migrate-store of the demo database: {time.perf_counter() - t0:.1f} s, "
        f"database {int(size) / 1e9:.2f} GB")
    return pg


def start_pg_server(args, pg, workdir, name):
    media = os.path.join(workdir, "media")
    outbox = os.path.join(workdir, "outbox-" + name)
    os.makedirs(media, exist_ok=True)
    threads = ["--threads", str(args.pg_threads)] if args.pg_threads else []
    return start_server(args.server, pg.uri, list_args(args) + threads + ["--media", media, "--outbox", outbox])


def bench_pg(args, pg, sqlite_p99):
    workdir = tempfile.mkdtemp(prefix="ks-bench-pg-")
    proc, port = start_pg_server(args, pg, workdir, "a")
    try:
        token = login(port, "inspector@demo.invalid")
        if args.writes_only:
            run_writes(port, token, args, "postgresql")
            return
        p99 = measure("postgresql", port, token, args, proc.pid, pg.psql, pg, files=(pg.data,))
        if sqlite_p99 and p99:
            log(f"[postgresql] list p99 is {p99 / sqlite_p99:.2f}x SQLite's at the same load")
        if args.only:
            return
        run_writes(port, token, args, "postgresql")
        proc2, port2 = start_pg_server(args, pg, workdir, "b")
        try:
            two_instances(args, token, port, port2)
        finally:
            proc2.send_signal(signal.SIGTERM)
            proc2.wait(timeout=60)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


def two_instances(args, token, port_a, port_b):
    """The same list load (50 connections) split over two instances, at once."""
    results = {}

    def half(name, port):
        results[name] = run_wrk(port, token, args.duration, conns=25, threads=1)

    threads = [threading.Thread(target=half, args=(n, p)) for n, p in (("a", port_a), ("b", port_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = sum(r[2] for r in results.values())
    errors = sum(r[1] for r in results.values())
    p99 = max(r[4] for r in results.values())
    log(f"[postgresql, 2 instances] bbox list, wrk -c25 on each {args.duration}s: {rate:.0f} req/s "
        f"in all, p99 {p99:.2f} ms (the worse of the two), {errors} errors")


def db_bytes(db):
    return sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))


def forget_kept_items(exe, db):
    """So that the first sync renders every report, as on a database from before
    the items were kept (the server's migrations run first; the servers of the
    scale table keep none ahead)."""
    proc, _ = start_server(exe, db, no_keeping_ahead())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM report_fragments")


def scale_table(args):
    """The scale table (SQLite): one row per size."""
    rows = []
    for n in args.scale:
        db = demo_db(args.server, args.data_dir, n, args.bcrypt_cost)
        forget_kept_items(args.server, db)
        proc, port = start_server(args.server, db, serve_args(args) + no_keeping_ahead())
        try:
            token = login(port, "inspector@demo.invalid")
            # The first sync keeps the items, and the list is measured with
            # them, as a working server runs it.
            first = sync_time(port, token, 100000, proc.pid)
            read_files(f"scale {n}", sqlite_files(db))
            run_wrk(port, token, 3)
            _, errors, rate, _, p99 = run_wrk(port, token, args.duration)
            plain = [sync_time(port, token, 100000, proc.pid) for _ in range(3)]
            gz = [sync_time(port, token, 100000, proc.pid, True) for _ in range(3)]
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        demo = demo_seconds(db)
        rows.append((n, rate, p99, errors, first, plain, gz, db_bytes(db), demo))
        log(f"[scale {n}] done, load average {os.getloadavg()[0]:.1f}")

    def spread(runs, i):
        v = sorted(r[i] for r in runs)
        return f"{v[0]:.2f}-{v[-1]:.2f}"

    log("")
    log(f"Scale (SQLite; list: 1x1 km boxes, 100 a page, wrk -c50 -t2 {args.duration}s; "
        f"sync: the first 100,000 reports, server CPU s; load average {os.getloadavg()[0]:.1f})")
    log("| reports | list req/s (>= 4,000) | list p99 ms (< 25) | first sync, keeps items | "
        "sync plain, 3 runs (< 0.3) | sync gzip, 3 runs | database | demo |")
    log("|---|---|---|---|---|---|---|---|")
    for n, rate, p99, errors, first, plain, gz, size, demo in rows:
        log(f"| {n:,} | {rate:,.0f}{f' ({errors} errors)' if errors else ''} | {p99:.1f} | "
            f"{first[4]:.2f} | {spread(plain, 4)} | {spread(gz, 4)} | {size / 1e9:.2f} GB | "
            f"{f'{demo:.0f} s' if demo else 'not recorded'} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--reports", type=int, default=1000000)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--bcrypt-cost", type=int, default=12)
    ap.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--pg-threads", type=int, default=0,
                    help="API workers of the PostgreSQL server (default: the server's own, 4)")
    ap.add_argument("--sign-in-pairs", type=int, default=3, metavar="N",
                    help="pairs of windows (the list alone, then with sign-ins beside) whose "
                         "ratios' median is the sign-ins' figure (default 3)")
    ap.add_argument("--only", choices=("sync", "sign-ins"),
                    help="measure only the sync, or only the list with and without sign-ins beside")
    ap.add_argument("--list-items", choices=("kept", "none"), default="kept",
                    help="the list measured with every item kept, as a working server has them "
                         "(one full sync first; the default), or with none (deleted first: every "
                         "report read and written)")
    ap.add_argument("--server-log", metavar="FILE",
                    help="the SQLite server's messages go to FILE, with its debug lines, and "
                         "where each admitted sign-in's time went is printed")
    ap.add_argument("--writes-only", action="store_true",
                    help="measure only the write load (to compare storage settings)")
    ap.add_argument("--scale", type=lambda v: [int(x) for x in v.split(",")],
                    help="print the scale table at these sizes (e.g. 100000,1000000) instead")
    args = ap.parse_args()

    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    if args.scale:
        scale_table(args)
        return
    db = demo_db(args.server, args.data_dir, args.reports, args.bcrypt_cost)
    # PostgreSQL gets its copy first: the SQLite run adds notes to the cached database.
    pg = pg_cluster(args, db) if args.store in ("postgresql", "both") else None
    try:
        sqlite_p99 = bench_sqlite(args, db) if args.store in ("sqlite", "both") else None
        if pg is not None:
            bench_pg(args, pg, sqlite_p99)
    finally:
        if pg is not None:
            pg.destroy()


if __name__ == "__main__":
    main()
