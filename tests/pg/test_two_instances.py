#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two kerbside-server instances on one PostgreSQL database, as behind a load
balancer: a write on one is seen by a sync on the other; a sign-out on one
revokes the token on the other; sign-in throttling counts across both; an
idempotent replay on the second returns the first one's answer; and the mail
outbox they share is delivered exactly once (each message by one instance) to an
SMTP sink on loopback.

Runs in its own throwaway cluster (tests/api/kerbside.py with
KERBSIDE_TEST_STORE=postgresql); exits 77 (SKIP) where PostgreSQL cannot run."""

import email
import email.policy
import glob
import os
import socketserver
import sys
import threading
import time
import unittest
import uuid

os.environ["KERBSIDE_TEST_STORE"] = "postgresql"
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kerbside  # noqa: E402  (runs this process again inside a cluster)
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE, PASSWORD, items, unwrap  # noqa: E402
from test_account import SmtpHandler  # noqa: E402


class SlowSmtpHandler(SmtpHandler):
    """The tests' SMTP sink, a little slow to accept each message, so that the two
    instances' relays are at work on the outbox at the same time."""

    def handle(self):
        time.sleep(0.05)
        super().handle()


class SmtpSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.received = []
        super().__init__(("127.0.0.1", 0), SlowSmtpHandler)


class TwoInstancesTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        threading.Thread(target=cls.smtp.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.smtp.server_close)
        cls.addClassCleanup(cls.smtp.shutdown)
        cls.conf_dir = kerbside.tempfile.mkdtemp(prefix="kerbside-two-")
        cls.addClassCleanup(kerbside.shutil.rmtree, cls.conf_dir, True)
        conf = os.path.join(cls.conf_dir, "kerbside.conf")
        with open(conf, "w") as f:
            f.write("[server]\npublic-url=https://fix.example.org\n"
                    "[smtp]\nhost=127.0.0.1\nport=%d\nstarttls=false\npoll-seconds=1\n"
                    % cls.smtp.server_address[1])
        cls.server_args = ["--config", conf, "--throttle-account", "3"]
        super().setUpClass()
        # The second instance: same database, same photos, same outbox.
        a = cls.server
        workdir = os.path.join(cls.tmp, "b")
        os.makedirs(workdir)
        cls.other = kerbside.Server(a.db, workdir, cls.server_args, media=a.media,
                                    outbox=a.outbox)
        cls.addClassCleanup(cls.other.kill)
        cls.other.start()

    @classmethod
    def tearDownClass(cls):
        cls.other.stop()
        super().tearDownClass()

    def both(self):
        return self.server, self.other

    # -- the same database ------------------------------------------------------

    def test_write_on_one_is_seen_by_sync_on_the_other(self):
        a, b = self.both()
        tok_a, tok_b = a.login(CUSTOMER_SERVICES), b.login(CUSTOMER_SERVICES)
        _, _, seq = self.sync_on(b, tok_b, 0)
        category = self.active_category(tok_a)["id"]
        r = a.req("POST", "/api/v1/reports", token=tok_a, json={
            "category_id": category, "title": "Seen from the other instance",
            "detail": "Written on one instance.", "lat": 51.752, "lon": -1.258,
            "as_council": True})
        rid = unwrap(self.ok(r, 201), "report")["id"]
        reports, _, seq2 = self.sync_on(b, tok_b, seq)
        self.assertGreater(seq2, seq)
        self.assertIn(rid, [x["id"] for x in reports])
        self.assertEqual(unwrap(self.ok(b.req("GET", "/api/v1/reports/%d" % rid, token=tok_b)),
                                "report")["title"], "Seen from the other instance")

    def sync_on(self, server, token, since):
        reports, tombstones, seq = [], [], since
        while True:
            body = self.ok(server.req("GET", "/api/v1/sync", token=token,
                                      query={"since": seq, "limit": 1000}), 200)
            reports += items(body, "reports")
            tombstones += body["tombstones"]
            seq = body["seq"]
            if not body["more"]:
                return reports, tombstones, seq

    def test_sign_out_on_one_revokes_the_token_on_the_other(self):
        a, b = self.both()
        token = a.login(INSPECTOR)
        self.assertEqual(b.req("GET", "/api/v1/me", token=token).status, 200)
        self.assertIn(a.req("POST", "/api/v1/auth/logout", token=token).status, (200, 204))
        self.assertError(b.req("GET", "/api/v1/me", token=token), 401)
        self.assertError(a.req("GET", "/api/v1/me", token=token), 401)

    def test_throttling_counts_across_both(self):
        a, b = self.both()
        # Three failures (the limit), spread over both instances, from one address.
        src = "127.0.0.7"
        for server, i in ((a, 1), (b, 2), (a, 3)):
            r = server.req("POST", "/api/v1/auth/login", source=src,
                           json={"email": MAINTENANCE, "password": "wrong-guess-%d" % i})
            self.assertError(r, 401)
        # Either instance now refuses even the right password.
        for server in (b, a):
            r = server.req("POST", "/api/v1/auth/login", source=src,
                           json={"email": MAINTENANCE, "password": PASSWORD})
            self.assertError(r, 429)
            self.assertGreater(int(r.headers["Retry-After"]), 0)

    def test_idempotent_replay_on_the_second_returns_the_first_answer(self):
        a, b = self.both()
        token = a.login(INSPECTOR)
        rep = self.claim_report(lambda x: x["state"] in ("confirmed", "investigating",
                                                         "in_progress", "action_scheduled"))
        path = "/api/v1/reports/%d/updates" % rep["id"]
        before = unwrap(self.ok(a.req("GET", "/api/v1/reports/%d" % rep["id"], token=token)), "report")
        key = "two-" + uuid.uuid4().hex
        body = {"text": "Written once, whichever instance answers."}
        first = a.req("POST", path, token=token, json=body, headers={"Idempotency-Key": key})
        self.ok(first, 200, 201)
        self.assertNotEqual(first.headers.get("Idempotent-Replayed"), "true")
        second = b.req("POST", path, token=token, json=body, headers={"Idempotency-Key": key})
        self.assertEqual(second.status, first.status)
        self.assertEqual(second.body, first.body)
        self.assertEqual(second.headers.get("Idempotent-Replayed"), "true")
        after = unwrap(self.ok(b.req("GET", "/api/v1/reports/%d" % rep["id"], token=token)), "report")
        self.assertEqual(len(after["updates"]), len(before["updates"]) + 1)

    # -- the shared outbox ------------------------------------------------------

    def wait_delivered(self, outbox, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not glob.glob(os.path.join(outbox, "*.eml")) and \
                    not glob.glob(os.path.join(outbox, "sending", "*", "*.eml")):
                return
            time.sleep(0.2)
        self.fail("the outbox was not delivered in %d s: %s" % (timeout, sorted(os.listdir(outbox))))

    def test_every_outbox_message_is_delivered_exactly_once(self):
        a, b = self.both()
        outbox = a.outbox
        self.wait_delivered(outbox)
        # Messages waiting while no instance runs; then both start and race for them.
        a.stop()
        b.stop()
        self.smtp.received.clear()
        sent_before = set(os.listdir(os.path.join(outbox, "sent"))) \
            if os.path.isdir(os.path.join(outbox, "sent")) else set()
        waiting = []
        for i in range(30):
            mid = "<%s@two-instances.invalid>" % uuid.uuid4().hex
            name = "%d-%03d-waiting.eml" % (int(time.time()), i)
            with open(os.path.join(outbox, name), "w") as f:
                f.write("From: Kerbside <noreply@fix.example.org>\nTo: someone%d@example.org\n"
                        "Subject: Waiting %d\nMessage-ID: %s\n\nMessage %d.\n" % (i, i, mid, i))
            waiting.append(mid)
        threads = [threading.Thread(target=s.start) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # And messages the instances write themselves, on both.
        made = 0
        for i, who in enumerate([INSPECTOR, CUSTOMER_SERVICES, ADMIN, MAINTENANCE] * 2):
            server = (a, b)[i % 2]
            r = server.req("POST", "/api/v1/auth/email", json={"email": who},
                           source="127.0.1.%d" % (i + 1))
            self.assertEqual(r.status, 202, r)
            made += 1
        self.wait_delivered(outbox)
        time.sleep(1.5)   # a duplicate would arrive now
        sent = set(os.listdir(os.path.join(outbox, "sent"))) - sent_before
        ids = []
        for env in list(self.smtp.received):
            msg = email.message_from_string(env["data"], policy=email.policy.default)
            ids.append(msg["Message-ID"])
        dupes = sorted({m for m in ids if ids.count(m) > 1})
        self.assertEqual(dupes, [], "messages delivered more than once")
        for mid in waiting:
            self.assertIn(mid, ids)
        self.assertEqual(len(ids), len(sent))
        self.assertGreaterEqual(len(sent), len(waiting) + made)
        self.assertEqual(glob.glob(os.path.join(outbox, "sending", "*", "*")), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
