#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Idempotency-Key on an Open311 client's POST requests.json / requests.xml: the
same key and body again answer the first answer (same service_request_id, same
status) and create nothing; the same key with another body is refused (422) and
changes nothing; many requests with one key at once make one report; a key
belongs to its API key; a refused request leaves its key unused; a key answers
again for a day and is then forgotten (the housekeeping removes old ones); without
the header every POST makes a report, as before."""

import json
import os
import sys
import threading
import time
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN  # noqa: E402

V2 = "/open311/v2/"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}
DAY = 24 * 3600


class Open311IdempotencyTest(kerbside.ServerTestCase):
    test_clock = True

    @classmethod
    def setUpClass(cls):
        cls.conf_dir = kerbside.tempfile.mkdtemp(prefix="kerbside-o311-idem-")
        conf = os.path.join(cls.conf_dir, "server.conf")
        with open(conf, "w") as f:
            f.write("[server]\nhousekeeping-seconds=1\n")
        cls.server_args = ["--config", conf]
        super().setUpClass()
        cls.addClassCleanup(kerbside.shutil.rmtree, cls.conf_dir, True)
        cls.key, cls.key_id = cls.new_key("Idempotent client (tests)")

    @classmethod
    def new_key(cls, name):
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN), json={"name": name})
        assert r.status == 201, r
        return r.body["key"], r.body["api_key"]["id"]

    # -- helpers ----------------------------------------------------------------

    def form(self, description, key=None, **extra):
        form = {"api_key": key or self.key, "service_code": "graffiti", "lat": "51.752",
                "long": "-1.2577", "description": description, "first_name": "Idem",
                "last_name": "Potent", "email": "idem.potent@example.org"}
        form.update(extra)
        return form

    def post(self, fmt, form, idem=None):
        headers = dict(FORM)
        if idem is not None:
            headers["Idempotency-Key"] = idem
        return self.server.req("POST", V2 + "requests." + fmt,
                               body=urllib.parse.urlencode(form), headers=headers)

    @staticmethod
    def request_id(r, fmt):
        if fmt == "json":
            return int(json.loads(r.raw)[0]["service_request_id"])
        return int(ET.fromstring(r.raw.encode()).find("request/service_request_id").text)

    @staticmethod
    def error_text(r, fmt):
        if fmt == "json":
            return json.loads(r.raw)[0]["description"]
        return ET.fromstring(r.raw.encode()).find("error/description").text

    def reports(self, description):
        return [row[0] for row in self.server.sql(
            "SELECT id FROM reports WHERE detail = ? ORDER BY id", (description,))]

    def rows(self, key_id=None):
        return self.server.sql("SELECT key, status, response FROM open311_idempotency "
                               "WHERE api_key_id = ? ORDER BY key", (key_id or self.key_id,))

    def unique(self, what):
        return "%s %s" % (what, uuid.uuid4().hex[:10])

    # -- tests ------------------------------------------------------------------

    def test_replay_gives_the_first_answer_and_creates_nothing(self):
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                text = self.unique("Replayed tag (%s)" % fmt)
                idem = "replay-" + uuid.uuid4().hex
                first = self.post(fmt, self.form(text), idem)
                self.assertEqual(first.status, 200, first)
                self.assertIsNone(first.headers.get("Idempotent-Replayed"))
                rid = self.request_id(first, fmt)
                self.assertEqual(self.reports(text), [rid])
                for _ in range(2):
                    again = self.post(fmt, self.form(text), idem)
                    self.assertEqual(again.status, 200, again)
                    self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
                    self.assertEqual(again.raw, first.raw)
                    self.assertEqual(again.headers.get("Content-Type"),
                                     first.headers.get("Content-Type"))
                    self.assertEqual(self.request_id(again, fmt), rid)
                self.assertEqual(self.reports(text), [rid])
                stored = [row for row in self.rows() if row[0] == idem]
                self.assertEqual(len(stored), 1, stored)
                self.assertEqual(int(stored[0][1]), 200)
                self.assertEqual(stored[0][2], first.raw)

    def test_same_key_different_body_is_refused(self):
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                text = self.unique("First body (%s)" % fmt)
                other = self.unique("Second body (%s)" % fmt)
                idem = "body-" + uuid.uuid4().hex
                first = self.post(fmt, self.form(text), idem)
                self.assertEqual(first.status, 200, first)
                rid = self.request_id(first, fmt)
                before = self.rows()
                r = self.post(fmt, self.form(other), idem)
                self.assertEqual(r.status, 422, r)
                self.assertIn("Idempotency-Key was already used with a different request",
                              self.error_text(r, fmt))
                self.assertIsNone(r.headers.get("Idempotent-Replayed"))
                self.assertEqual(self.reports(other), [])
                self.assertEqual(self.reports(text), [rid])
                self.assertEqual(self.rows(), before)
                # The other format is another request too.
                other_fmt = "xml" if fmt == "json" else "json"
                r = self.post(other_fmt, self.form(text), idem)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(self.reports(text), [rid])
                # The first body still answers its answer.
                again = self.post(fmt, self.form(text), idem)
                self.assertEqual((again.status, again.raw), (200, first.raw))

    def test_concurrent_requests_with_one_key_make_one_report(self):
        text = self.unique("Raced tag")
        idem = "race-" + uuid.uuid4().hex
        n = 8
        answers = [None] * n
        start = threading.Barrier(n)

        def send(i):
            start.wait()
            answers[i] = self.post("json", self.form(text), idem)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertTrue(all(a is not None for a in answers), answers)
        self.assertEqual([a.status for a in answers], [200] * n, answers)
        ids = {self.request_id(a, "json") for a in answers}
        self.assertEqual(len(ids), 1, answers)
        self.assertEqual(self.reports(text), list(ids))
        replayed = [a.headers.get("Idempotent-Replayed") for a in answers]
        self.assertEqual(replayed.count("true"), n - 1, replayed)

    def test_without_a_key_every_post_makes_a_report(self):
        text = self.unique("Unkeyed tag")
        before = self.rows()
        ids = []
        for fmt in ("json", "xml", "json"):
            r = self.post(fmt, self.form(text))
            self.assertEqual(r.status, 200, r)
            self.assertIsNone(r.headers.get("Idempotent-Replayed"))
            ids.append(self.request_id(r, fmt))
        self.assertEqual(len(set(ids)), 3)
        self.assertEqual(self.reports(text), sorted(ids))
        self.assertEqual(self.rows(), before)

    def test_a_key_belongs_to_its_api_key(self):
        other_key, other_id = self.new_key("Second client (tests)")
        text = self.unique("Two clients' tag")
        idem = "shared-" + uuid.uuid4().hex
        a = self.post("json", self.form(text), idem)
        b = self.post("json", self.form(text, key=other_key), idem)
        self.assertEqual((a.status, b.status), (200, 200), (a, b))
        self.assertIsNone(b.headers.get("Idempotent-Replayed"))
        self.assertNotEqual(self.request_id(a, "json"), self.request_id(b, "json"))
        self.assertEqual(len(self.reports(text)), 2)
        self.assertEqual([row[0] for row in self.rows(other_id)], [idem])

    def test_a_refused_request_leaves_its_key_unused(self):
        text = self.unique("Refused then made")
        idem = "refused-" + uuid.uuid4().hex
        r = self.post("json", self.form(text, service_code="no_such_service"), idem)
        self.assertEqual(r.status, 400, r)
        r = self.post("json", self.form(text, lat="95"), idem)
        self.assertEqual(r.status, 400, r)
        self.assertNotIn(idem, [row[0] for row in self.rows()])
        self.assertEqual(self.reports(text), [])
        # Corrected, with the same key: made, once.
        r = self.post("json", self.form(text), idem)
        self.assertEqual(r.status, 200, r)
        again = self.post("json", self.form(text), idem)
        self.assertEqual((again.status, again.raw), (200, r.raw))
        self.assertEqual(self.reports(text), [self.request_id(r, "json")])
        # A bad header changes nothing.
        r = self.post("json", self.form(text), "x" * 201)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(len(self.reports(text)), 1)

    def test_a_key_is_kept_a_day_and_then_removed(self):
        text = self.unique("Day-old key")
        idem = "day-" + uuid.uuid4().hex
        first = self.post("json", self.form(text), idem)
        self.assertEqual(first.status, 200, first)
        self.server.move_clock(DAY - 120)
        again = self.post("json", self.form(text), idem)
        self.assertEqual((again.status, again.raw), (200, first.raw))
        self.server.move_clock(240)
        later = self.post("json", self.form(text), idem)
        self.assertEqual(later.status, 200, later)
        self.assertIsNone(later.headers.get("Idempotent-Replayed"))
        self.assertNotEqual(self.request_id(later, "json"), self.request_id(first, "json"))
        self.assertEqual(len(self.reports(text)), 2)
        # The housekeeping (every second here) removes a row older than a day.
        old = "old-" + uuid.uuid4().hex
        self.server.sql("INSERT INTO open311_idempotency (api_key_id, key, request_hash, "
                        "status, response, created) VALUES (?, ?, 'x', 200, '[]', ?)",
                        (self.key_id, old, int(time.time()) - DAY - 600))
        deadline = time.time() + 90
        while time.time() < deadline and old in [row[0] for row in self.rows()]:
            time.sleep(0.3)
        self.assertNotIn(old, [row[0] for row in self.rows()])


if __name__ == "__main__":
    unittest.main(verbosity=2)
