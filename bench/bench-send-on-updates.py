#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Send-on benchmark: the rounds that read a contractor's updates, with many
Open311 sendings (default 20,000: years of work sent to one contractor). The
contractor is a stub on loopback that answers every servicerequestupdates.json
with no updates, so what is measured is the server's own work a round: which
requests to look for, and how far it read. The server reads updates every
second here (production: every updates-seconds, 300 by default). Prints the
rounds the contractor saw in each window and the server's CPU a round, on
SQLite and on PostgreSQL (the same data, copied with migrate-store).

Usage: bench-send-on-updates.py KERBSIDE_SERVER [--sendings N] [--data-dir DIR]
                                [--seconds S] [--windows K] [--store sqlite|postgresql|both]
"""
import argparse
import http.server
import os
import shutil
import signal
import socketserver
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from kerbside_bench import demo_db, log, start_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pg"))
import pgcluster  # noqa: E402


class Contractor:
    """An Open311 service on loopback with no updates to give, counting the
    times it is asked."""

    def __init__(self):
        asked = self.asked = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                asked.append(time.monotonic())
                body = b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def with_sendings(demo, path, n):
    """A copy of the demo database whose first n reports were sent to the
    contractor, each with its request id, read up to now."""
    shutil.copy(demo, path)
    db = sqlite3.connect(path)
    now = int(time.time())
    db.execute("DELETE FROM sendings")
    db.execute("INSERT INTO sendings (report_id, destination, status, next_attempt, remote_id, "
               "created, updated, sent, polled_until) "
               "SELECT id, 'open311:contractor', 'sent', 0, 'R' || id, ?1, ?1, ?1, ?1 "
               "FROM reports ORDER BY id LIMIT ?2", (now, n))
    db.execute("INSERT INTO sending_remote_ids (sending_id, remote_id, created) "
               "SELECT id, remote_id, created FROM sendings")
    made = db.execute("SELECT count(*) FROM sendings").fetchone()[0]
    db.commit()
    db.close()
    if made != n:
        sys.exit("the demo database has %d reports, fewer than %d sendings" % (made, n))


def measure(server, target, conf, work, contractor, seconds, windows, label):
    proc, _ = start_server(server, target, ["--config", conf, "--media", os.path.join(work, "media"),
                                            "--outbox", os.path.join(work, "outbox")],
                           log_path=os.path.join(work, "server-%s.log" % label))
    per_round = []
    try:
        time.sleep(3)   # the start and its first round
        for w in range(windows):
            c0, r0 = cpu_seconds(proc.pid), len(contractor.asked)
            time.sleep(seconds)
            c1, r1 = cpu_seconds(proc.pid), len(contractor.asked)
            rounds = r1 - r0
            if rounds == 0:
                sys.exit("no round of updates in %d s (see %s)" % (seconds, work))
            per_round.append((c1 - c0) / rounds)
            log(f"  {label} window {w + 1}: {rounds} rounds in {seconds} s "
                f"(one every {seconds / rounds:.2f} s), "
                f"server CPU {per_round[-1] * 1000:.0f} ms a round")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    log(f"{label}: server CPU a round {min(per_round) * 1000:.0f}-{max(per_round) * 1000:.0f} ms "
        f"(median {statistics.median(per_round) * 1000:.0f}) over {windows} windows")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--sendings", type=int, default=20000)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()

    demo = demo_db(args.server, args.data_dir, max(args.sendings, 20000), 4)
    work = tempfile.mkdtemp(prefix="ks-bench-send-on-")
    contractor = Contractor()
    log(f"Send-on updates: {args.sendings} Open311 sendings to one contractor (a stub on "
        f"loopback with no updates), updates read every second")
    try:
        db = os.path.join(work, "server.db")
        with_sendings(demo, db, args.sendings)
        conf = os.path.join(work, "server.conf")
        with open(conf, "w") as f:
            f.write("[open311 contractor]\nendpoint=http://127.0.0.1:%d/\napi_key=key\n"
                    "[send-on]\npoll-seconds=1\nupdates-seconds=1\n"
                    "[server]\nkeep-items-ahead=false\n" % contractor.port)
        if args.store in ("sqlite", "both"):
            measure(args.server, db, conf, work, contractor, args.seconds, args.windows, "SQLite")
        if args.store in ("postgresql", "both"):
            cluster = pgcluster.Cluster(settings={"fsync": "on"})
            pg = cluster.create()
            try:
                subprocess.run([args.server, "migrate-store", "--from", db, "--to", pg.uri],
                               check=True, capture_output=True)
                measure(args.server, pg.uri, conf, work, contractor, args.seconds, args.windows,
                        "PostgreSQL")
            finally:
                pg.destroy()
    finally:
        shutil.rmtree(work, True)


if __name__ == "__main__":
    main()
