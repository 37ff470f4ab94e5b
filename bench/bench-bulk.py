#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk action benchmark: one POST /api/v1/reports/bulk changing the state of
1,000 reports (each on its own version, audited, answered item by item with the
report as it now is), on SQLite and on PostgreSQL with the same data.

Usage: bench-bulk.py KERBSIDE_SERVER [--reports N] [--items N] [--runs N]
                     [--data-dir DIR] [--store sqlite|postgresql|both] [--statements]

Creates (once, cached in DATA_DIR) a demo database of N reports (default 20,000),
starts the real server on 127.0.0.1 and times each request from sending it to
having read the whole answer. Each run moves the same reports to another state
(on the versions the previous answer gave), so that every item is a real change.
The target: under 2 s for 1,000 reports.

--statements logs every statement PostgreSQL runs (log_statement=all) and counts,
for each run, the round trips the bulk request made, per item and by statement
(the logging slows the server: read the times of such a run as a count, not a
measure).
"""
import argparse
import collections
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from kerbside_bench import demo_db, log, start_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pg"))
import pgcluster  # noqa: E402

PASSWORD = "street-lamp-orange-42"
STATES = ("investigating", "action_scheduled")
OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


def request(port, method, path, token=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def login(port, email):
    st, data = request(port, "POST", "/api/v1/auth/login",
                       body={"email": email, "password": PASSWORD})
    if st != 200:
        sys.exit(f"login failed: {st} {data[:200]}")
    return json.loads(data)["token"]


def open_reports(port, token, n):
    """n open reports of the council with their versions: {id: version}."""
    found, cursor = {}, None
    while len(found) < n:
        path = "/api/v1/reports?limit=500" + (f"&cursor={cursor}" if cursor else "")
        st, data = request(port, "GET", path, token)
        if st != 200:
            sys.exit(f"list failed: {st} {data[:200]}")
        page = json.loads(data)
        for r in page["reports"]:
            if r["state"] in OPEN and len(found) < n:
                found[r["id"]] = r["version"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    if len(found) < n:
        sys.exit(f"only {len(found)} open reports; make a bigger demo (--reports)")
    return found


def cpu_seconds(pid):
    """The server's CPU time so far (user + system), or None where /proc has none."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def statement_counts(log_path, start):
    """The statements the server logged after offset start: {name: count}."""
    counts = collections.Counter()
    with open(log_path, errors="replace") as f:
        f.seek(start)
        for line in f:
            if "LOG:  execute " in line:
                counts[line.split("LOG:  execute ", 1)[1].split(":", 1)[0]] += 1
            elif "LOG:  statement: " in line:
                counts[line.split("LOG:  statement: ", 1)[1].strip()[:60]] += 1
    return counts


def log_size(log_path):
    return os.path.getsize(log_path) if log_path else 0


def bench(label, port, args, pid=None, pg_log=None):
    token = login(port, "inspector@demo.invalid")
    versions = open_reports(port, token, args.items)
    times = []
    for run in range(args.runs):
        body = {"action": "state", "params": {"state": STATES[run % 2]},
                "items": [{"id": i, "version": v} for i, v in versions.items()]}
        c0 = cpu_seconds(pid) if pid else None
        log_start = log_size(pg_log)
        t0 = time.perf_counter()
        st, data = request(port, "POST", "/api/v1/reports/bulk", token, body)
        secs = time.perf_counter() - t0
        c1 = cpu_seconds(pid) if pid else None
        if st != 200:
            sys.exit(f"[{label}] bulk failed: {st} {data[:300]}")
        answer = json.loads(data)
        counts = answer["counts"]
        if counts["ok"] != args.items:
            sys.exit(f"[{label}] not every item succeeded: {counts}")
        for res in answer["results"]:
            versions[res["id"]] = res["report"]["version"]
        times.append(secs)
        # The server's own CPU time: what the machine's other load does not change.
        cpu = f", server CPU {c1 - c0:.2f} s" if c0 is not None and c1 is not None else ""
        log(f"[{label}] run {run + 1}: {args.items} reports in {secs:.2f} s{cpu} "
            f"({len(data) / 1e6:.1f} MB answered), {counts}")
        if pg_log:
            stmts = statement_counts(pg_log, log_start)
            total = sum(stmts.values())
            log(f"[{label}]   {total} statements, {total / args.items:.1f} a report:")
            for name, n in stmts.most_common(15):
                log(f"[{label}]     {n:6d}  {name}")
    log(f"[{label}] bulk state change of {args.items} reports: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs "
        f"(target < 2 s){'' if max(times) < 2 else ' -- MISSED'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--reports", type=int, default=20000)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--bcrypt-cost", type=int, default=12)
    ap.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--statements", action="store_true",
                    help="count PostgreSQL's statements per run (slows it down)")
    args = ap.parse_args()

    db = demo_db(args.server, args.data_dir, args.reports, args.bcrypt_cost)
    serve = ["--bcrypt-cost", str(args.bcrypt_cost), "--throttle-address", "0"]
    work = tempfile.mkdtemp(prefix="ks-bench-bulk-")
    try:
        if args.store in ("sqlite", "both"):
            # A copy: the runs change reports.
            copy = os.path.join(work, "bulk.db")
            shutil.copy(db, copy)
            proc, port = start_server(args.server, copy, serve)
            try:
                bench("sqlite", port, args, proc.pid)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
        if args.store in ("postgresql", "both"):
            try:
                settings = {"fsync": "on"}
                if args.statements:
                    settings["log_statement"] = "all"
                pg = pgcluster.Cluster(settings=settings).create()
            except pgcluster.Missing as e:
                log(f"PostgreSQL: not measured ({e})")
                return
            try:
                res = subprocess.run([args.server, "migrate-store", "--from", db, "--to", pg.uri],
                                     capture_output=True, text=True)
                if res.returncode != 0:
                    sys.exit("migrate-store failed:\n" + res.stderr[-2000:])
                media = os.path.join(work, "media")
                os.makedirs(media, exist_ok=True)
                proc, port = start_server(args.server, pg.uri, serve + [
                    "--media", media, "--outbox", os.path.join(work, "outbox")])
                try:
                    bench("postgresql", port, args, proc.pid,
                          pg.log if args.statements else None)
                finally:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=60)
            finally:
                pg.destroy()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
