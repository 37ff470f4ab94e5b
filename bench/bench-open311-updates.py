#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open311 busy-window benchmark: GET servicerequestupdates over a window that
holds N public updates (default 100,000: a bulk close), answered whole. Prints
the time of each answer, its size, and the server's resident memory before and
at its peak (VmHWM).

Usage: bench-open311-updates.py KERBSIDE_SERVER [--updates N] [--reports R]
                                [--data-dir DIR] [--rounds K]
"""
import argparse
import http.client
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from kerbside_bench import demo_db, log, start_server


def memory_kb(pid):
    """(VmRSS, VmHWM) of a process, in kB."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out.get("VmRSS", 0), out.get("VmHWM", 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--updates", type=int, default=100000)
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--bcrypt-cost", type=int, default=4)
    args = ap.parse_args()

    base = demo_db(args.server, args.data_dir, args.reports, args.bcrypt_cost)
    work = tempfile.mkdtemp(prefix="ks-bench-updates-")
    db = os.path.join(work, "kerbside.db")
    shutil.copyfile(base, db)
    start = (int(time.time()) - 3 * 86400) // 3600 * 3600
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute(
        "SELECT r.id FROM reports r JOIN categories c ON c.id = r.category_id "
        "WHERE r.state NOT IN ('hidden', 'unconfirmed') AND c.private = 0 "
        "AND r.body_id = (SELECT min(id) FROM bodies)")]
    con.executemany(
        "INSERT INTO updates (report_id, kind, text, state, public, source, created) "
        "VALUES (?, 'state', ?, 'closed', 1, 'staff', ?)",
        ((ids[i % len(ids)], "Closed in a bulk close: the work is done (%d)." % i,
          start + i * 7200 // args.updates) for i in range(args.updates)))
    con.commit()
    con.close()

    res = subprocess.run([args.server, "apikey", "create", "--db", db, "--name", "bench"],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("could not make an API key: " + res.stderr)
    key = res.stdout.strip()
    proc, port = start_server(args.server, db)
    try:
        q = "?api_key=%s&start_date=%s&end_date=%s" % (
            key, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 7200)))
        rss0, _ = memory_kb(proc.pid)
        log(f"{args.updates} updates in a two-hour window; server RSS before: {rss0 / 1024:.1f} MB")
        for fmt in ("xml", "json"):
            times = []
            for _ in range(args.rounds):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                t0 = time.perf_counter()
                conn.request("GET", "/open311/v2/servicerequestupdates.%s%s" % (fmt, q))
                r = conn.getresponse()
                data = r.read()
                times.append(time.perf_counter() - t0)
                conn.close()
                if r.status != 200:
                    sys.exit(f"{r.status}: {data[:300]!r}")
                n = data.count(b"<request_update>") if fmt == "xml" else data.count(b'"update_id"')
                if n < args.updates:
                    sys.exit(f"only {n} of {args.updates} updates answered")
            rss, hwm = memory_kb(proc.pid)
            times.sort()
            log(f"servicerequestupdates.{fmt}: {n} updates, {len(data) / 1e6:.1f} MB, "
                f"{args.rounds} rounds: min {times[0]:.2f} s, median {times[len(times) // 2]:.2f} s, "
                f"max {times[-1]:.2f} s; server RSS after {rss / 1024:.1f} MB, "
                f"peak {hwm / 1024:.1f} MB")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        shutil.rmtree(work, True)


if __name__ == "__main__":
    main()
