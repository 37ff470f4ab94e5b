#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PostgreSQL restarted under a write load. Writers create reports and add
updates (each with an Idempotency-Key) while the database is stopped and started
again under the running server:

- while it is down, writes are answered 503 with Retry-After and the JSON error;
- the server reconnects by itself: writes succeed again without a restart;
- every acknowledged (2xx) write is there exactly once, and nothing else: a
  write answered 503 is either absent, or (its connection lost during COMMIT)
  present, and then its replay with the same key says so (Idempotent-Replayed);
- no write is half-applied: a report has its creation update, its audit record
  and its stored answer; an update is there exactly when its stored answer is.

Runs in its own throwaway cluster (tests/api/kerbside.py with
KERBSIDE_TEST_STORE=postgresql); exits 77 (SKIP) where PostgreSQL cannot run."""

import os
import subprocess
import sys
import threading
import time
import unittest
import uuid

os.environ["KERBSIDE_TEST_STORE"] = "postgresql"
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kerbside  # noqa: E402  (runs this process again inside a cluster)
from kerbside import INSPECTOR, unwrap  # noqa: E402

WRITERS = 4
DOWN_SECONDS = 4


def cluster(action):
    """Stops or starts the cluster this process runs in (pgcluster.py stop/start)."""
    res = subprocess.run([sys.executable, os.environ["KS_PG_HELPER"], action],
                         capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise AssertionError("pgcluster.py %s failed: %s%s" % (action, res.stdout, res.stderr))


class Writer(threading.Thread):
    """Creates reports and adds updates to its last one until told to stop."""

    def __init__(self, server, token, category, tag):
        super().__init__(daemon=True)
        self.server, self.token, self.category, self.tag = server, token, category, tag
        self.stop = threading.Event()
        self.writes = []     # (kind, path, body, key, Response)
        self.errors = []     # anything but an answer
        self.report = None   # the id of its last acknowledged report

    def run(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            key = "restart-%s-%d-%s" % (self.tag, i, uuid.uuid4().hex[:8])
            if self.report is None or i % 2:
                kind, path = "report", "/api/v1/reports"
                body = {"category_id": self.category, "title": "Restart %s %d" % (self.tag, i),
                        "detail": "Written while the database restarts.", "lat": 51.752,
                        "lon": -1.258, "as_council": True}
            else:
                kind, path = "update", "/api/v1/reports/%d/updates" % self.report
                body = {"text": "Restart update %s %d" % (self.tag, i)}
            try:
                r = self.server.req("POST", path, token=self.token, json=body,
                                    headers={"Idempotency-Key": key})
            except OSError as e:
                self.errors.append("%s: %r" % (path, e))
                time.sleep(0.2)
                continue
            self.writes.append((kind, path, body, key, r))
            if kind == "report" and r.status == 201:
                self.report = unwrap(r.body, "report")["id"]
            if r.status == 503:
                time.sleep(0.2)


class RestartTest(kerbside.ServerTestCase):

    server_args = ["--threads", "4"]

    def count(self, sql, *params):
        return self.server.sql(sql, params)[0][0]

    def test_restart_under_write_load(self):
        s = self.server
        token = s.login(INSPECTOR)
        user_id = self.me(token)["id"]
        category = self.active_category(token)["id"]
        writers = [Writer(s, token, category, "w%d" % n) for n in range(WRITERS)]
        for w in writers:
            w.start()
        time.sleep(2)
        acked_before = sum(1 for w in writers for x in w.writes if x[4].status in (200, 201))
        self.assertGreater(acked_before, 0, "no write succeeded before the restart")

        cluster("stop")
        down_at = time.monotonic()
        time.sleep(DOWN_SECONDS)
        # While it is down: the JSON error with Retry-After, and health says so too.
        r = s.req("POST", "/api/v1/reports/1/updates", token=token, json={"text": "x"})
        self.assertError(r, 503)
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        self.assertEqual(s.req("GET", "/api/v1/health").status, 503)
        n_down = len([x for w in writers for x in w.writes])
        cluster("start")
        up_at = time.monotonic()

        # The server reconnects by itself: each writer succeeds again.
        deadline = time.monotonic() + 60
        marks = {w: len(w.writes) for w in writers}
        while time.monotonic() < deadline:
            if all(any(x[4].status in (200, 201) for x in w.writes[marks[w]:]) for w in writers):
                break
            time.sleep(0.2)
        else:
            self.fail("the writes did not succeed again within 60 s of the restart:\n%s"
                      % s.log_tail())
        time.sleep(1)
        for w in writers:
            w.stop.set()
        for w in writers:
            w.join(120)
            self.assertFalse(w.is_alive())
        self.assertEqual([e for w in writers for e in w.errors], [])
        self.assertEqual(s.req("GET", "/api/v1/health").status, 200)

        writes = [x for w in writers for x in w.writes]
        unavailable = [x for x in writes if x[4].status == 503]
        self.assertTrue(unavailable, "no write was answered 503 while the database was down "
                        "(%d writes, %.1f s down)" % (n_down, up_at - down_at))
        print("%d writes: %d acknowledged, %d answered 503 (%.1f s down)"
              % (len(writes), sum(1 for x in writes if x[4].status in (200, 201)),
                 len(unavailable), up_at - down_at), flush=True)
        for kind, path, body, key, r in writes:
            self.assertIn(r.status, (200, 201, 503), (path, r))
            if r.status == 503:
                err = self.assertError(r, 503)
                self.assertEqual(err["code"], "unavailable", r)
                self.assertGreater(int(r.headers["Retry-After"]), 0, r)

        def present():
            """How many times each of our reports and updates is there."""
            rows = self.server.sql(
                "SELECT 'report', title, count(*) FROM reports WHERE title LIKE 'Restart w%' "
                "GROUP BY title UNION ALL "
                "SELECT 'update', text, count(*) FROM updates WHERE text LIKE 'Restart update w%' "
                "GROUP BY text")
            return {(kind, text): n for kind, text, n in rows}

        def what(kind, body):
            return (kind, body["title"] if kind == "report" else body["text"])

        # Every acknowledged write is there, once; nothing else is but writes
        # answered 503.
        there = present()
        acked = {what(k, b) for k, _, b, _, r in writes if r.status in (200, 201)}
        for x in acked:
            self.assertEqual(there.get(x), 1, x)
        self.assertEqual(set(there) - acked, {what(k, b) for k, _, b, _, _ in unavailable} & set(there))
        self.assertTrue(all(n == 1 for n in there.values()), there)
        # A write answered 503 is absent, or was committed as its connection was
        # lost: then (and only then) its replay says it was applied.
        for kind, path, body, key, r in unavailable:
            again = s.req("POST", path, token=token, json=body, headers={"Idempotency-Key": key})
            self.assertIn(again.status, (200, 201), (path, again))
            self.assertEqual(again.headers.get("Idempotent-Replayed") == "true",
                             what(kind, body) in there, (kind, body, again))
        # Now each write is there exactly once, and nothing else of ours.
        after = present()
        self.assertEqual(after, {what(k, b): 1 for k, _, b, _, _ in writes})

        # No half-applied write: each report with its creation record, audit and
        # stored answer; each update with its stored answer.
        half = self.server.sql(
            "SELECT r.id, r.title, "
            "(SELECT count(*) FROM updates u WHERE u.report_id = r.id AND u.kind = 'created'), "
            "(SELECT count(*) FROM audit_log a WHERE a.object_id = r.id "
            " AND a.action = 'create_report') "
            "FROM reports r WHERE r.title LIKE 'Restart w%' ORDER BY r.id")
        for rid, title, created, audited in half:
            self.assertEqual((created, audited), (1, 1), (rid, title))
        keys = {key: kind for kind, _, _, key, _ in writes}
        stored = dict(self.server.sql(
            "SELECT key, status FROM idempotency WHERE user_id = ? AND key LIKE 'restart-%'",
            (user_id,)))
        self.assertEqual(set(stored), set(keys))
        self.assertTrue(all(v in (200, 201) for v in stored.values()), stored)
        # The change sequence has no number twice.
        self.assertEqual(self.count("SELECT count(*) - count(DISTINCT seq) FROM reports"), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
