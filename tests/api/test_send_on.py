#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reports sent on to the team or contractor of their category's destination: by
email (one .eml in the outbox, with the report's summary, state, location and map
link, answers and Reply-To the council), and by Open311 to a second kerbside-server
acting as the contractor's system (the report arrives there once; the contractor's
state change comes back as an update; a contractor that is down is retried with a
doubling wait and receives the report once it is back, once); staff resend; a
restart sends nothing again; the dashboard counts failures. A council's Open311
destinations are edited by its administrators (the api key write-only, a
database entry winning over the configuration's group of the same name), and a
category may only name one the council has; after a resend, the updates of the
earlier request at the contractor are still read."""

import email
import email.policy
import glob
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, items, unwrap  # noqa: E402

PUBLIC_URL = "https://fix.example.org"
TEAM = "roads.team@contractor.example"
WAIT = 90          # generous: AddressSanitizer builds are slow


class SendOnTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The contractor: a second server over its own copy of the demo council,
        # on a port of its own that stays the same when it is started again.
        cls.contractor = cls.new_server("contractor")
        port = cls.contractor.port
        cls.contractor.args += ["--listen", "127.0.0.1:%d" % port]
        res = subprocess.run([kerbside.server_binary(), "apikey", "create", "--db",
                              cls.contractor.db, "--name", "Kerbside send-on"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        key = res.stdout.strip()
        # Short waits for the test (docs/testing.md): the worker looks every second,
        # retries wait 2 s, then 4, 8 (at most 8), and updates are read every second.
        conf = os.path.join(cls.tmp, "send-on.conf")
        with open(conf, "w") as f:
            f.write("[server]\npublic-url=%s\n"
                    "[send-on]\npoll-seconds=1\nretry-seconds=2\nretry-max-seconds=8\n"
                    "max-attempts=50\nupdates-seconds=1\ntimeout-seconds=20\n"
                    "[open311 contractor]\nendpoint=http://127.0.0.1:%d/open311/v2/\n"
                    "api_key=%s\n" % (PUBLIC_URL, port, key))
        cls.server.stop()
        cls.server.args += ["--config", conf]
        cls.server.start()
        cls.admin = cls.token(ADMIN)
        r = cls.server.req("GET", "/api/v1/categories", token=cls.admin)
        cats = {c["code"]: c for c in items(r.body, "categories")}
        cls.email_cat = cats["potholes"]
        cls.open311_cat = cats["graffiti"]
        cls.nowhere_cat = cats["road_surface"]
        cls.contractor_key = key
        # "nowhere": a destination of the council, turned off after the category
        # names it (a category cannot name one the council does not have).
        r = cls.server.req("POST", "/api/v1/open311-destinations", token=cls.admin,
                           json={"name": "nowhere", "endpoint": "http://127.0.0.1:1/open311/v2/"})
        assert r.status == 201, r.body
        nowhere = r.body["id"]
        for cat, dest in ((cls.email_cat, TEAM), (cls.open311_cat, "open311:contractor"),
                          (cls.nowhere_cat, "open311:nowhere")):
            r = cls.server.req("PATCH", "/api/v1/categories/%d" % cat["id"], token=cls.admin,
                               json={"destination": dest})
            assert r.status == 200, r.body
        r = cls.server.req("PATCH", "/api/v1/open311-destinations/%d" % nowhere, token=cls.admin,
                           json={"active": False})
        assert r.status == 200, r.body

    # -- helpers ----------------------------------------------------------------

    def create(self, category, title, **extra):
        body = {"category_id": category["id"], "title": title,
                "detail": "Seen on the way to work", "lat": 51.7525, "lon": -1.2585,
                "as_council": True}
        body.update(extra)
        r = self.req("POST", "/api/v1/reports", token=self.admin, json=body)
        return unwrap(self.ok(r, 201), "report")

    def sendings(self, report_id, server=None):
        server = server or self.server
        r = server.req("GET", "/api/v1/reports/%d" % report_id, token=self.admin)
        return unwrap(self.ok(r, 200), "report")["sendings"]

    def wait_for(self, what, pred, timeout=WAIT):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = pred()
            if last:
                return last
            time.sleep(0.3)
        self.fail("%s did not happen in %d s (last: %r)\n%s"
                  % (what, timeout, last, self.server.log_tail()))

    def wait_status(self, report_id, status, timeout=WAIT):
        def check():
            s = self.sendings(report_id)
            return s if s and s[0]["status"] == status else None
        return self.wait_for("sending of report %d %s" % (report_id, status), check, timeout)

    def send_on_files(self):
        out = self.server.outbox
        return sorted(glob.glob(os.path.join(out, "sendon-*.eml")) +
                      glob.glob(os.path.join(out, "sent", "sendon-*.eml")))

    def contractor_reports(self, title):
        return self.contractor.sql("SELECT id, category_id FROM reports WHERE title = ?", (title,))

    # -- by email -----------------------------------------------------------------

    def test_1_email_written_once_with_the_report(self):
        before = set(self.send_on_files())
        title = "Deep pothole by the bus stop %d" % os.getpid()
        rep = self.create(self.email_cat, title, attributes={"depth": "over_10cm"})
        s = self.wait_status(rep["id"], "sent")
        self.assertEqual(len(s), 1)
        self.assertEqual(s[0]["destination"], TEAM)
        self.assertEqual(s[0]["attempts"], 1)
        self.assertIsNone(s[0]["last_error"])
        self.assertIsNotNone(s[0]["sent"])
        new = sorted(set(self.send_on_files()) - before)
        self.assertEqual(len(new), 1, new)
        with open(new[0]) as f:
            msg = email.message_from_file(f, policy=email.policy.default)
        self.assertEqual(msg["To"], TEAM)
        council = self.me(self.admin)
        self.assertIn(str(rep["id"]), msg["Subject"])
        self.assertIn(title, msg["Subject"])
        self.assertIsNotNone(msg["Reply-To"])
        text = msg.get_body(("plain",)).get_content()
        self.assertIn("Reference: %d" % rep["id"], text)
        self.assertIn(title, text)
        self.assertIn("Seen on the way to work", text)
        self.assertIn("State: ", text)
        self.assertIn("https://www.openstreetmap.org/?mlat=51.752500&mlon=-1.258500", text)
        self.assertIn("How deep is the pothole?: over_10cm", text)
        self.assertIn("%s/reports/%d" % (PUBLIC_URL, rep["id"]), text)
        self.assertIn(msg["Reply-To"].split("<")[-1].rstrip(">"), text)
        self.assertTrue(council)
        # Nothing more in the next rounds (the worker looks every second).
        time.sleep(4)
        self.assertEqual(sorted(set(self.send_on_files()) - before), new)
        self.assertEqual(self.sendings(rep["id"])[0]["status"], "sent")

    def test_2_moved_into_a_category_is_sent_on_once(self):
        before = set(self.send_on_files())
        rep = self.create(self.open311_cat, "Moved report %d" % os.getpid())
        # Send the first destination's request, then move it to the email team's category.
        self.wait_status(rep["id"], "sent")
        r = self.req("POST", "/api/v1/reports/%d/category" % rep["id"], token=self.admin,
                     json={"category_id": self.email_cat["id"], "version": rep["version"] + 0,
                           "attributes": {"depth": "under_4cm"}})
        if r.status == 409:
            cur = self.detail(self.admin, rep["id"])
            r = self.req("POST", "/api/v1/reports/%d/category" % rep["id"], token=self.admin,
                         json={"category_id": self.email_cat["id"], "version": cur["version"],
                               "attributes": {"depth": "under_4cm"}})
        self.ok(r, 200)
        self.wait_for("the email of the moved report",
                      lambda: len(set(self.send_on_files()) - before) == 1)
        dests = sorted(s["destination"] for s in self.sendings(rep["id"]))
        self.assertEqual(dests, sorted(["open311:contractor", TEAM]))
        time.sleep(3)
        self.assertEqual(len(set(self.send_on_files()) - before), 1)

    # -- by Open311 to the contractor's server --------------------------------------

    def test_3_open311_arrives_once_and_updates_come_back(self):
        title = "Graffiti on the underpass %d" % os.getpid()
        rep = self.create(self.open311_cat, title)
        s = self.wait_status(rep["id"], "sent")[0]
        self.assertEqual(s["destination"], "open311:contractor")
        self.assertIsNotNone(s["remote_id"])
        there = self.contractor_reports(title)
        self.assertEqual(len(there), 1, there)
        self.assertEqual(str(there[0][0]), s["remote_id"])
        # The contractor's staff set it in progress, with words; it comes back.
        ctoken = self.contractor.login(ADMIN)
        r = self.contractor.req("GET", "/api/v1/reports/%s" % s["remote_id"], token=ctoken)
        theirs = unwrap(self.ok(r, 200), "report")
        self.assertIn(title, theirs["title"])
        r = self.contractor.req("POST", "/api/v1/reports/%s/state" % s["remote_id"], token=ctoken,
                                json={"state": "in_progress", "version": theirs["version"],
                                      "text": "Crew booked for Tuesday"})
        self.ok(r, 200)

        def came_back():
            d = self.detail(self.admin, rep["id"])
            texts = [u.get("text") for u in d.get("updates", [])]
            return d if d["state"] == "in_progress" and "Crew booked for Tuesday" in texts else None
        d = self.wait_for("the contractor's update on the first server", came_back)
        ours = [u for u in d["updates"] if u.get("text") == "Crew booked for Tuesday"]
        self.assertEqual(len(ours), 1)
        # Read again every second: applied once.
        time.sleep(3)
        d = self.detail(self.admin, rep["id"])
        self.assertEqual(len([u for u in d["updates"]
                              if u.get("text") == "Crew booked for Tuesday"]), 1)
        self.assertEqual(len(self.contractor_reports(title)), 1)

    def test_4_contractor_down_is_retried_with_backoff_then_gets_it_once(self):
        title = "Graffiti while the contractor is down %d" % os.getpid()
        self.contractor.stop()
        try:
            rep = self.create(self.open311_cat, title)
            waits = []

            def retried_thrice():
                s = self.sendings(rep["id"])[0]
                if s["status"] == "retrying" and s["next_attempt"] is not None:
                    pair = (s["attempts"], s["next_attempt"], s["updated"])
                    if not waits or waits[-1][0] != pair[0]:
                        waits.append(pair)
                return s if s["attempts"] >= 3 and s["status"] == "retrying" else None
            s = self.wait_for("three failed attempts", retried_thrice, timeout=WAIT * 2)
            self.assertIn("refused", (s["last_error"] or "").lower())
            self.assertEqual(self.sendings(rep["id"])[0]["remote_id"], None)
        finally:
            self.contractor.start()
        # The wait doubles: 2 s after the first attempt, 4 after the second, then
        # 8 (the most). A slow build may not see every attempt: each seen is checked.
        gaps = {a: kerbside_seconds(n) - kerbside_seconds(u) for a, n, u in waits}
        self.assertTrue(gaps, waits)
        for attempt, gap in gaps.items():
            self.assertEqual(gap, min(2 << (attempt - 1), 8), waits)
        self.wait_status(rep["id"], "sent", timeout=WAIT)
        self.assertEqual(len(self.contractor_reports(title)), 1)
        time.sleep(3)
        self.assertEqual(len(self.contractor_reports(title)), 1)

    # -- resend, failures, restart ---------------------------------------------------

    def test_5_resend_and_failures(self):
        rep = self.create(self.nowhere_cat, "Report to nowhere %d" % os.getpid())
        s = self.wait_status(rep["id"], "failed")[0]
        self.assertIn("no such Open311 destination", s["last_error"])
        r = self.req("GET", "/api/v1/dashboard/summary", token=self.admin)
        self.assertGreaterEqual(self.ok(r, 200)["failed_sendings"], 1)

        before = set(self.send_on_files())
        rep = self.create(self.email_cat, "Resent pothole %d" % os.getpid(),
                          attributes={"depth": "4_to_10cm"})
        s = self.wait_status(rep["id"], "sent")[0]
        self.wait_for("the first email", lambda: len(set(self.send_on_files()) - before) == 1)
        path = "/api/v1/reports/%d/sendings/%d/resend" % (rep["id"], s["id"])
        # Customer services may not (the permission is "update a report's status").
        r = self.req("POST", path, token=self.token(CUSTOMER_SERVICES), json={})
        self.assertError(r, 403)
        r = self.req("POST", "/api/v1/reports/%d/sendings/999999/resend" % rep["id"],
                     token=self.token(INSPECTOR), json={})
        self.assertError(r, 404)
        r = self.req("POST", path, token=self.token(INSPECTOR), json={})
        self.ok(r, 200)
        self.wait_for("the resent email", lambda: len(set(self.send_on_files()) - before) == 2)
        self.assertEqual(self.wait_status(rep["id"], "sent")[0]["attempts"], 1)
        audit = self.server.sql("SELECT action FROM audit_log WHERE action = 'resend' "
                                "AND object_id = ?", (rep["id"],))
        self.assertEqual(len(audit), 1)

    def test_6_restart_sends_nothing_again(self):
        files = set(self.send_on_files())
        there = self.contractor.sql("SELECT COUNT(*) FROM reports")[0][0]
        rows = self.server.sql("SELECT id, status, attempts FROM sendings ORDER BY id")
        self.server.restart()
        time.sleep(5)
        self.assertEqual(set(self.send_on_files()), files)
        self.assertEqual(self.contractor.sql("SELECT COUNT(*) FROM reports")[0][0], there)
        self.assertEqual(self.server.sql("SELECT id, status, attempts FROM sendings ORDER BY id"),
                         rows)

    def test_7_destination_checked(self):
        for bad in ("open311:bad name", "not-an-address", "open311:"):
            r = self.req("PATCH", "/api/v1/categories/%d" % self.email_cat["id"],
                         token=self.admin, json={"destination": bad})
            self.assertError(r, 422)
        r = self.req("GET", "/api/v1/categories", token=self.admin)
        got = [c for c in items(self.ok(r, 200), "categories") if c["id"] == self.email_cat["id"]]
        self.assertEqual(got[0]["destination"], TEAM)

    def test_8_demo_destinations_send_nothing(self):
        # The demo council's teams are in .invalid, a domain no mail reaches.
        cats = items(self.ok(self.req("GET", "/api/v1/categories", token=self.admin), 200),
                     "categories")
        demo = [c for c in cats if (c.get("destination") or "").endswith("@demo.invalid")
                and c.get("active") and not c.get("private")]
        self.assertTrue(demo)
        rep = self.create(demo[0], "Report for a demo team %d" % os.getpid())
        self.assertEqual(self.detail(self.admin, rep["id"])["sendings"], [])

    def test_9_lost_answer_is_not_posted_again(self):
        # A claim whose answer never came (the server stopped after POSTing it):
        # this contractor's group does not say it honours Idempotency-Key, so the
        # sending fails, saying why, and the contractor gets nothing more.
        title = "Graffiti whose answer was lost %d" % os.getpid()
        rep = self.create(self.open311_cat, title)
        s = self.wait_status(rep["id"], "sent")[0]
        there = self.contractor.sql("SELECT COUNT(*) FROM reports")[0][0]
        self.server.sql("UPDATE sendings SET status = 'sending', next_attempt = 0, "
                        "remote_id = NULL WHERE id = ?", (s["id"],))
        s = self.wait_status(rep["id"], "failed")[0]
        self.assertIn("answer was lost", s["last_error"])
        self.assertIn("resend", s["last_error"])
        time.sleep(3)
        self.assertEqual(self.contractor.sql("SELECT COUNT(*) FROM reports")[0][0], there)
        self.assertEqual(len(self.contractor_reports(title)), 1)

    # -- the council's Open311 destinations ----------------------------------------

    def destinations(self):
        return self.ok(self.req("GET", "/api/v1/open311-destinations", token=self.admin), 200)

    def test_a_destinations_edited_by_administrators(self):
        listed = self.destinations()
        self.assertEqual([c["name"] for c in listed["configured"]], ["contractor"])
        self.assertEqual(listed["configured"][0]["source"], "config")
        self.assertFalse(listed["configured"][0]["replaced"])
        before = self.server.sql("SELECT id, name, endpoint, api_key FROM open311_destinations "
                                 "ORDER BY id")
        # Clear 422s that change nothing.
        for bad in ({"name": "highways", "endpoint": "ftp://contractor.example/open311/v2/"},
                    {"name": "highways", "endpoint": "https:///open311/v2/"},
                    {"name": "highways", "endpoint": "contractor.example/open311/v2/"},
                    {"name": "highways", "endpoint": "https://user:pw@contractor.example/"},
                    {"name": "high ways", "endpoint": "https://contractor.example/open311/v2/"},
                    {"endpoint": "https://contractor.example/open311/v2/"},
                    {"name": "highways", "endpoint": "https://contractor.example/", "api_key": ""},
                    {"name": "highways", "endpoint": "https://contractor.example/",
                     "idempotent": "yes"}):
            r = self.req("POST", "/api/v1/open311-destinations", token=self.admin, json=bad)
            self.assertError(r, 422)
        r = self.req("POST", "/api/v1/open311-destinations", token=self.admin,
                     json={"name": "nowhere", "endpoint": "https://contractor.example/"})
        self.assertError(r, 409)
        self.assertEqual(self.server.sql("SELECT id, name, endpoint, api_key FROM "
                                         "open311_destinations ORDER BY id"), before)
        # Only those who edit categories.
        for who in (INSPECTOR, CUSTOMER_SERVICES):
            r = self.req("GET", "/api/v1/open311-destinations", token=self.token(who))
            self.assertError(r, 403)
            r = self.req("POST", "/api/v1/open311-destinations", token=self.token(who),
                         json={"name": "highways", "endpoint": "https://contractor.example/"})
            self.assertError(r, 403)
        # The key is never given back: whether there is one and its last 4 characters.
        secret = "hw-secret-key-7Q2z"
        r = self.req("POST", "/api/v1/open311-destinations", token=self.admin,
                     json={"name": "highways", "endpoint": "https://contractor.example/open311/v2/",
                           "api_key": secret, "jurisdiction_id": "city.example",
                           "idempotent": True})
        made = self.ok(r, 201)
        self.assertNotIn("api_key", made)
        self.assertTrue(made["api_key_set"])
        self.assertEqual(made["api_key_last4"], "7Q2z")
        self.assertEqual(made["jurisdiction_id"], "city.example")
        self.assertTrue(made["idempotent"])
        self.assertTrue(made["active"])
        self.assertNotIn(secret, str(r.raw))
        got = [d for d in self.destinations()["open311_destinations"] if d["id"] == made["id"]]
        self.assertEqual(len(got), 1)
        self.assertNotIn("api_key", got[0])
        self.assertEqual(got[0]["api_key_last4"], "7Q2z")
        audit = self.server.sql("SELECT action, details FROM audit_log WHERE object_type = "
                                "'open311_destination' AND object_id = ?", (made["id"],))
        self.assertEqual([a for a, _ in audit], ["create_open311_destination"])
        self.assertNotIn(secret, audit[0][1])
        self.assertIn("api_key", audit[0][1])
        # Bad updates change nothing; a short key shows no last characters; null removes it.
        path = "/api/v1/open311-destinations/%d" % made["id"]
        for bad in ({"endpoint": "mailto:x@contractor.example"}, {"api_key": ""},
                    {"name": "renamed"}, {"active": 2}):
            r = self.req("PATCH", path, token=self.admin, json=bad)
            self.assertIn(r.status, (400, 422), r)
        r = self.req("PATCH", path, token=self.admin, json={"api_key": "abc"})
        self.assertIsNone(self.ok(r, 200)["api_key_last4"])
        self.assertTrue(r.body["api_key_set"])
        r = self.req("PATCH", path, token=self.admin, json={"api_key": None, "active": False})
        self.assertFalse(self.ok(r, 200)["api_key_set"])
        self.assertFalse(r.body["active"])
        self.assertEqual(r.body["endpoint"], "https://contractor.example/open311/v2/")
        self.assertEqual(self.server.sql("SELECT api_key FROM open311_destinations WHERE id = ?",
                                         (made["id"],)), [(None,)])
        # A category may only name a destination the council has, and active.
        cat = "/api/v1/categories/%d" % self.nowhere_cat["id"]
        for name in ("open311:unknown", "open311:highways"):
            r = self.req("PATCH", cat, token=self.admin, json={"destination": name})
            self.assertError(r, 422)
        self.assertEqual(self.detail_category(self.nowhere_cat["id"])["destination"],
                         "open311:nowhere")
        self.ok(self.req("PATCH", path, token=self.admin, json={"active": True}), 200)
        r = self.req("PATCH", cat, token=self.admin, json={"destination": "open311:highways"})
        self.assertEqual(self.ok(r, 200)["destination"], "open311:highways")
        self.ok(self.req("PATCH", path, token=self.admin, json={"active": False}), 200)

    def detail_category(self, category_id):
        cats = items(self.ok(self.req("GET", "/api/v1/categories", token=self.admin), 200),
                     "categories")
        return [c for c in cats if c["id"] == category_id][0]

    def test_b_database_destination_wins_over_the_configuration(self):
        # A database entry "contractor" whose endpoint nobody answers: used instead
        # of the configuration's group, so the request is retried, not sent.
        r = self.req("POST", "/api/v1/open311-destinations", token=self.admin,
                     json={"name": "contractor", "endpoint": "http://127.0.0.1:1/open311/v2/",
                           "api_key": self.contractor_key})
        mine = self.ok(r, 201)
        try:
            self.assertTrue(self.destinations()["configured"][0]["replaced"])
            title = "Graffiti for the database's contractor %d" % os.getpid()
            rep = self.create(self.open311_cat, title)
            s = self.wait_status(rep["id"], "retrying")[0]
            self.assertIn("refused", (s["last_error"] or "").lower())
            self.assertEqual(self.contractor_reports(title), [])
        finally:
            r = self.req("PATCH", "/api/v1/open311-destinations/%d" % mine["id"],
                         token=self.admin, json={"active": False})
            self.ok(r, 200)
        # Turned off: the configuration's group serves again.
        self.assertFalse(self.destinations()["configured"][0]["replaced"])
        self.wait_status(rep["id"], "sent", timeout=WAIT)
        self.assertEqual(len(self.contractor_reports(title)), 1)
        # A destination only the database has sends too.
        r = self.req("POST", "/api/v1/open311-destinations", token=self.admin,
                     json={"name": "dbcontractor",
                           "endpoint": "http://127.0.0.1:%d/open311/v2/" % self.contractor.port,
                           "api_key": self.contractor_key})
        self.ok(r, 201)
        cat = "/api/v1/categories/%d" % self.open311_cat["id"]
        self.ok(self.req("PATCH", cat, token=self.admin,
                         json={"destination": "open311:dbcontractor"}), 200)
        try:
            title = "Graffiti for the database's destination %d" % os.getpid()
            rep = self.create(self.open311_cat, title)
            s = self.wait_status(rep["id"], "sent")[0]
            self.assertEqual(s["destination"], "open311:dbcontractor")
            self.assertEqual([str(i) for i, _ in self.contractor_reports(title)],
                             [s["remote_id"]])
        finally:
            self.ok(self.req("PATCH", cat, token=self.admin,
                             json={"destination": "open311:contractor"}), 200)

    def test_c_updates_of_the_request_before_a_resend_are_still_read(self):
        title = "Graffiti sent twice %d" % os.getpid()
        rep = self.create(self.open311_cat, title)
        first = self.wait_status(rep["id"], "sent")[0]
        path = "/api/v1/reports/%d/sendings/%d/resend" % (rep["id"], first["id"])
        self.ok(self.req("POST", path, token=self.token(INSPECTOR), json={}), 200)
        second = self.wait_for("the second request", lambda: next(
            (s for s in self.sendings(rep["id"])
             if s["status"] == "sent" and s["remote_id"] not in (None, first["remote_id"])),
            None))
        self.assertEqual(len(self.contractor_reports(title)), 2)
        kept = self.server.sql("SELECT remote_id FROM sending_remote_ids WHERE sending_id = ? "
                               "ORDER BY remote_id", (first["id"],))
        self.assertEqual(sorted(r for (r,) in kept),
                         sorted([first["remote_id"], second["remote_id"]]))
        # The contractor answers on the first (old) request, then on the second.
        ctoken = self.contractor.login(ADMIN)
        for rid, state, text in ((first["remote_id"], "in_progress", "Old request: crew booked"),
                                 (second["remote_id"], "action_scheduled",
                                  "New request: scheduled")):
            theirs = unwrap(self.ok(self.contractor.req("GET", "/api/v1/reports/%s" % rid,
                                                        token=ctoken), 200), "report")
            r = self.contractor.req("POST", "/api/v1/reports/%s/state" % rid, token=ctoken,
                                    json={"state": state, "version": theirs["version"],
                                          "text": text})
            self.ok(r, 200)

        def both_came_back():
            d = self.detail(self.admin, rep["id"])
            texts = [u.get("text") for u in d.get("updates", [])]
            return d if ("Old request: crew booked" in texts and
                         "New request: scheduled" in texts) else None
        self.wait_for("both requests' updates", both_came_back)
        time.sleep(3)
        texts = [u.get("text") for u in self.detail(self.admin, rep["id"])["updates"]]
        self.assertEqual(texts.count("Old request: crew booked"), 1)
        self.assertEqual(texts.count("New request: scheduled"), 1)


def kerbside_seconds(stamp):
    """A wire timestamp (ISO 8601, UTC) in Unix seconds."""
    import datetime
    return int(datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


if __name__ == "__main__":
    unittest.main(verbosity=2)
