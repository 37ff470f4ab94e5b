#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two kerbside-server instances on one database, both sending reports on, and a
third kerbside-server as the contractor behind an Open311 destination: one
Idempotency-Key sent to both instances at once makes one report; 40 reports
made on both instances each arrive at the contractor exactly once, both instances
sending; and an instance killed while its POST is under way (held by a proxy on
loopback, then let through to the contractor) leaves a claimed sending that the
other instance does not touch before the claim's lease ends, then sends again
with the same Idempotency-Key, which the contractor (Kerbside honours it) answers
with the first answer: one report at the contractor.

On PostgreSQL (api-pg-two-senders) this is the deployment of several instances;
on SQLite (api-two-senders) two processes on one file, which SQLite's locking
allows and the write transactions serialise the same way."""

import http.client
import http.server
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, items, unwrap  # noqa: E402
import test_send_on  # noqa: E402  (its helpers; its tests are not run here)

PUBLIC_URL = "https://fix.example.org"
WAIT = 120          # generous: AddressSanitizer builds are slow
N = 40
TIMEOUT = 5         # [send-on] timeout-seconds: a claim's lease is 2 * 5 + 60 s


class Proxy(http.server.ThreadingHTTPServer):
    """An HTTP proxy on loopback in front of the contractor: it records every POST
    (path, Idempotency-Key, the answer's status and Idempotent-Replayed) and, while
    holding, keeps POSTs waiting until released."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.posts = []            # dicts, in the order answered
        self.held = []             # Idempotency-Keys of POSTs waiting
        self.hold = False
        self.release = threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ProxyHandler)

    @property
    def port(self):
        return self.server_address[1]


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        p = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key")
        if self.command == "POST" and p.hold:
            with p.lock:
                p.held.append(key)
            p.release.wait(WAIT * 2)
        conn = http.client.HTTPConnection("127.0.0.1", p.upstream_port, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive", "content-length")}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if self.command == "POST":
            with p.lock:
                p.posts.append({"path": self.path, "key": key, "status": resp.status,
                                "replayed": resp.getheader("Idempotent-Replayed"),
                                "answer": data.decode("utf-8", "replace")})
        conn.close()
        try:
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                     "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass    # the sender is gone (killed): the contractor has it all the same

    do_GET = forward
    do_POST = forward


class TwoSendersTest(kerbside.ServerTestCase):
    test_clock = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.server
        cls.contractor = cls.new_server("contractor")
        res = subprocess.run([kerbside.server_binary(), "apikey", "create", "--db",
                              cls.contractor.db, "--name", "Kerbside send-on"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        key = res.stdout.strip()
        # One proxy in front of the contractor for each instance: what each sent.
        cls.proxies = []
        for _ in range(2):
            p = Proxy(cls.contractor.port)
            threading.Thread(target=p.serve_forever, daemon=True).start()
            cls.addClassCleanup(p.server_close)
            cls.addClassCleanup(p.shutdown)
            cls.proxies.append(p)
        confs = []
        for i, p in enumerate(cls.proxies):
            conf = os.path.join(cls.tmp, "send-on-%d.conf" % i)
            with open(conf, "w") as f:
                f.write("[server]\npublic-url=%s\n"
                        "[send-on]\npoll-seconds=1\nretry-seconds=2\nretry-max-seconds=4\n"
                        "max-attempts=50\nupdates-seconds=3600\ntimeout-seconds=%d\n"
                        "[open311 contractor]\nendpoint=http://127.0.0.1:%d/open311/v2/\n"
                        "api_key=%s\nidempotent=true\n" % (PUBLIC_URL, TIMEOUT, p.port, key))
            confs.append(conf)
        a.stop()
        a.args += ["--config", confs[0]]
        a.start()
        cls.admin = cls.token(ADMIN)
        r = a.req("GET", "/api/v1/categories", token=cls.admin)
        cls.category = {c["code"]: c for c in items(r.body, "categories")}["graffiti"]
        r = a.req("PATCH", "/api/v1/categories/%d" % cls.category["id"], token=cls.admin,
                  json={"destination": "open311:contractor"})
        assert r.status == 200, r.body
        # The second instance: the same database, photos and outbox.
        workdir = os.path.join(cls.tmp, "b")
        os.makedirs(workdir)
        cls.other = kerbside.Server(a.db, workdir, ["--config", confs[1]], test_clock=True,
                                    media=a.media, outbox=a.outbox)
        cls.addClassCleanup(cls.other.kill)
        cls.other.start()

    @classmethod
    def tearDownClass(cls):
        cls.other.stop()
        super().tearDownClass()

    # -- helpers ----------------------------------------------------------------

    def create(self, server, token, title):
        r = server.req("POST", "/api/v1/reports", token=token, json={
            "category_id": self.category["id"], "title": title,
            "detail": "Sprayed on the wall", "lat": 51.7525, "lon": -1.2585,
            "as_council": True})
        return unwrap(self.ok(r, 201), "report")["id"]

    def sending(self, report_id):
        rows = self.server.sql("SELECT status, remote_id, attempts FROM sendings "
                               "WHERE report_id = ?", (report_id,))
        return rows[0] if rows else None

    # Polls pred until it holds (WAIT seconds at most), as the send-on tests do.
    wait_for = test_send_on.SendOnTest.wait_for

    def at_contractor(self, title):
        return [row[0] for row in self.contractor.sql(
            "SELECT id FROM reports WHERE title = ?", (title,))]

    # -- tests ------------------------------------------------------------------

    def test_0_one_idempotency_key_on_both_instances_at_once_makes_one_report(self):
        # Kerbside's own Open311 POST: the same key sent to both instances at once.
        r = self.server.req("POST", "/api/v1/api-keys", token=self.admin,
                            json={"name": "Client of both instances"})
        key = self.ok(r, 201)["key"]
        title = "One key, two instances %d" % os.getpid()
        form = urllib.parse.urlencode({
            "api_key": key, "service_code": "graffiti", "lat": "51.752", "long": "-1.2577",
            "description": title, "email": "both.instances@example.org"})
        idem = "both-%d" % os.getpid()
        n = 8
        answers = [None] * n
        start = threading.Barrier(n)

        def send(i):
            start.wait()
            answers[i] = (self.server, self.other)[i % 2].req(
                "POST", "/open311/v2/requests.json", body=form, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Idempotency-Key": idem})

        threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
        self.assertEqual([a.status for a in answers], [200] * n, answers)
        self.assertEqual(len({a.raw for a in answers}), 1, answers)
        self.assertEqual([a.headers.get("Idempotent-Replayed") for a in answers].count("true"),
                         n - 1)
        made = self.server.sql("SELECT id FROM reports WHERE detail = ?", (title,))
        self.assertEqual(len(made), 1, made)
        self.assertEqual(answers[0].body[0]["service_request_id"], str(made[0][0]))
        # Its category sends it on: once, before the next test counts the POSTs.
        self.wait_for("the report sent on", lambda: (self.sending(made[0][0]) or ("",))[0] == "sent")
        self.assertEqual(len(self.at_contractor(title[:120])), 1)

    def test_1_every_report_arrives_once_from_two_senders(self):
        a, b = self.server, self.other
        before = [len(p.posts) for p in self.proxies]
        token_b = b.login(ADMIN)
        tag = "Two senders %d" % os.getpid()
        made = {}
        for i in range(N):
            title = "%s #%02d" % (tag, i)
            server, token = (a, self.admin) if i % 2 == 0 else (b, token_b)
            made[self.create(server, token, title)] = title
            time.sleep(0.1)
        ids = sorted(made)
        marks = ",".join("?" * len(ids))
        self.wait_for("every sending sent", lambda: self.server.sql(
            "SELECT COUNT(*) FROM sendings WHERE status = 'sent' AND report_id IN (%s)" % marks,
            ids)[0][0] == N)
        time.sleep(3)   # a second sending would go now
        there = dict(self.contractor.sql(
            "SELECT title, COUNT(*) FROM reports WHERE title LIKE ? GROUP BY title", (tag + " #%",)))
        self.assertEqual(there, {t: 1 for t in made.values()})
        for rid, title in made.items():
            status, remote, attempts = self.sending(rid)
            self.assertEqual((status, int(attempts)), ("sent", 1), rid)
            self.assertEqual(int(remote), self.at_contractor(title)[0])
        sent = [len(p.posts) - n for p, n in zip(self.proxies, before)]
        self.assertEqual(sum(sent), N, sent)
        self.assertTrue(all(n > 0 for n in sent), "both instances send: %r" % (sent,))
        print("sent by the first and second instance: %r" % (sent,), file=sys.stderr)
        keys = [p["key"] for prox in self.proxies for p in prox.posts]
        self.assertEqual(len(set(keys)), len(keys), keys)
        self.assertTrue(all(k and k.startswith("kerbside-") for k in keys), keys)

    def test_2_a_killed_senders_claim_is_taken_over_after_its_lease(self):
        a, b = self.server, self.other
        held, through = self.proxies
        # Only the first instance sees the report as due: the second's clock is an
        # hour behind while it is made.
        b.move_clock(-3600)
        held.hold = True
        title = "Claimed by a killed sender %d" % os.getpid()
        rid = self.create(a, self.admin, title)
        self.wait_for("the first instance's POST under way", lambda: held.held)
        key = held.held[0]
        self.assertEqual(self.sending(rid)[0], "sending")
        a.kill()
        # The POST reaches the contractor after all: the answer is what was lost.
        held.release.set()
        self.wait_for("the held POST at the contractor", lambda: self.at_contractor(title))
        first_id = self.at_contractor(title)[0]
        # Within the claim's lease (2 * timeout + 60 s) the other instance leaves it.
        b.move_clock(3600 + 10)
        time.sleep(4)
        self.assertEqual(self.sending(rid)[0], "sending")
        self.assertNotIn(key, [p["key"] for p in through.posts])
        # After the lease it sends again, with the same key: the contractor answers
        # its first answer and makes nothing.
        b.move_clock(2 * TIMEOUT + 60)
        self.wait_for("the sending sent by the other instance",
                      lambda: self.sending(rid)[0] == "sent")
        status, remote, attempts = self.sending(rid)
        self.assertEqual(int(remote), first_id)
        self.assertEqual(int(attempts), 2)
        again = [p for p in through.posts if p["key"] == key]
        self.assertEqual(len(again), 1, through.posts[-3:])
        self.assertEqual((again[0]["status"], again[0]["replayed"]), (200, "true"))
        time.sleep(3)
        self.assertEqual(self.at_contractor(title), [first_id])


if __name__ == "__main__":
    unittest.main(verbosity=2)
