# SPDX-License-Identifier: GPL-3.0-or-later
"""Crash safety: the server killed with SIGKILL while several clients write.

Each round starts writers (public updates, state changes, new reports, each with
an Idempotency-Key), kills the server with SIGKILL in the middle of the load,
checks the database file (PRAGMA integrity_check) and starts the server again on
it. Then every write that was answered 2xx must be there, exactly once; replaying
its key must answer the stored answer without changing anything; and a write
whose answer was lost in the crash, sent again with its key, is there once."""

import http.client
import json
import os
import random
import sys
import threading
import time
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, items  # noqa: E402

ROUNDS = 5
WRITERS = 4
STATES = ("investigating", "in_progress")


class Writer(threading.Thread):
    """Writes to its own report (and creates reports) until the server dies."""

    def __init__(self, test, server, token, report, category_id, tag):
        super().__init__(daemon=True)
        self.server, self.token, self.report = server, token, report
        self.category_id, self.tag = category_id, tag
        self.version = report["version"]
        self.acked = []      # (kind, path, body, key, answer body)
        self.lost = []       # (kind, path, body, key): no answer (the crash)
        self.other = []      # unexpected answers
        self.n = 0

    def send(self, path, body, key):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.request("POST", path, body=json.dumps(body).encode(), headers={
                "Authorization": "Bearer " + self.token,
                "Content-Type": "application/json",
                "Idempotency-Key": key})
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
        finally:
            conn.close()

    def next_write(self):
        self.n += 1
        mark = "%s-n%d" % (self.tag, self.n)
        rid = self.report["id"]
        kind = ("update", "state", "create")[self.n % 3]
        if kind == "update":
            return kind, "/api/v1/reports/%d/updates" % rid, {"text": "update " + mark}
        if kind == "state":
            return kind, "/api/v1/reports/%d/state" % rid, {
                "state": STATES[self.n % 2], "version": self.version, "text": "state " + mark}
        return kind, "/api/v1/reports", {
            "category_id": self.category_id, "title": "created " + mark,
            "detail": "Made under load", "lat": 51.752, "lon": -1.258, "as_council": True}

    def run(self):
        while True:
            kind, path, body = self.next_write()
            key = str(uuid.uuid4())
            try:
                status, answer = self.send(path, body, key)
            except (OSError, http.client.HTTPException):
                self.lost.append((kind, path, body, key))
                return
            if 200 <= status < 300:
                self.acked.append((kind, path, body, key, answer))
                if kind != "create":
                    self.version = answer["report"]["version"]
            elif status == 409 and answer and "current" in answer:
                self.version = answer["current"]["version"]
            else:
                self.other.append((kind, status, answer))


class CrashTest(kerbside.ServerTestCase):

    def texts(self, token, report_id):
        d = self.ok(self.req("GET", "/api/v1/reports/%d" % report_id, token=token), 200)
        rep = d.get("report", d)
        return [u.get("text") or "" for u in rep.get("updates", [])], rep

    def test_kill9_under_write_load(self):
        admin = self.token(ADMIN)
        category = self.active_category(admin)["id"]
        reports = [self.claim_report(lambda r: r["state"] in ("confirmed",) + STATES)
                   for _ in range(WRITERS)]
        rng = random.Random(11)
        total_acked = total_lost = 0

        for rnd in range(1, ROUNDS + 1):
            # Each round's writers start from the reports as they are now.
            for i, r in enumerate(reports):
                reports[i] = self.texts(admin, r["id"])[1]
            writers = [Writer(self, self.server, admin, reports[i], category,
                              "r%d-w%d" % (rnd, i)) for i in range(WRITERS)]
            for w in writers:
                w.start()
            time.sleep(rng.uniform(1.0, 2.5))
            # On a slow machine (a sanitizer build under load) the kill waits
            # until the load has written something worth checking.
            deadline = time.monotonic() + 60
            while sum(len(w.acked) for w in writers) <= 10 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.server.kill()                      # SIGKILL, no chance to finish
            for w in writers:
                w.join(60)
                self.assertFalse(w.is_alive(), "a writer is still running after the kill")

            self.assertEqual(self.server.integrity_problems(), [])
            self.server.start()

            acked = [a for w in writers for a in w.acked]
            lost = [x for w in writers for x in w.lost]
            for w in writers:
                self.assertEqual(w.other, [], "unexpected answers under load")
            self.assertGreater(len(acked), 10, "the load wrote almost nothing")
            total_acked += len(acked)
            total_lost += len(lost)

            # Every acknowledged write is there, once.
            timeline = {}
            for r in reports:
                timeline[r["id"]] = self.texts(admin, r["id"])[0]
            for kind, path, body, key, answer in acked:
                with self.subTest(round=rnd, kind=kind, body=body):
                    if kind == "create":
                        rid = answer["report"]["id"]
                        _, rep = self.texts(admin, rid)
                        self.assertEqual(rep["title"], body["title"])
                    else:
                        rid = int(path.split("/")[4])
                        self.assertEqual(timeline[rid].count(body["text"]), 1)

            # Replaying an acknowledged key answers the stored answer, changes nothing.
            seq = self.current_seq(admin)
            for kind, path, body, key, answer in rng.sample(acked, min(20, len(acked))):
                with self.subTest(round=rnd, replay=key):
                    status, again = writers[0].send(path, body, key)
                    self.assertLess(status, 300)
                    self.assertEqual(again["report"]["id"], answer["report"]["id"])
            self.assertEqual(self.current_seq(admin), seq, "a replay changed something")

            # A write whose answer the crash swallowed, sent again with its key,
            # is applied once (now or before the kill, never twice).
            for kind, path, body, key in lost:
                with self.subTest(round=rnd, lost=body):
                    status, again = writers[0].send(path, body, key)
                    if status == 409:       # a state change based on an old version
                        continue
                    self.assertLess(status, 300, again)
                    rid = again["report"]["id"]
                    if kind == "create":
                        found = [r for r in items(self.ok(self.req(
                            "GET", "/api/v1/reports", token=admin,
                            query={"q": body["title"].split(" ", 1)[1]}), 200), "reports")
                            if r["title"] == body["title"]]
                        self.assertEqual(len(found), 1)
                    else:
                        self.assertEqual(self.texts(admin, rid)[0].count(body["text"]), 1)

        print("\n%d rounds of SIGKILL under %d writers: %d writes answered 2xx, all "
              "there once; %d in flight at a kill, sent again, applied once"
              % (ROUNDS, WRITERS, total_acked, total_lost), file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
