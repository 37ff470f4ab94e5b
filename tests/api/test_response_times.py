#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Response times: a report's "responded" time is its first staff public update
or staff move to a state other than confirmed, unconfirmed or hidden (not an
acknowledgement without words, a private note, a priority, a hide); the
dashboard's response times count, per priority and overall, the reports of the
period met, late, overdue and waiting, exactly, for reports arranged here on
the server's test clock."""

import os
import sys
import time
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, unwrap  # noqa: E402

HOUR = 3600
LAT, LON = 51.752, -1.2577


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class ResponseTimesTest(kerbside.ServerTestCase):

    test_clock = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        made = cls.admin_made

        cls.two = made("/api/v1/priorities", "priority",
                       {"name": "Response test 2 h", "response_hours": 2})
        cls.day = made("/api/v1/priorities", "priority",
                       {"name": "Response test 24 h", "response_hours": 24})
        cls.none = made("/api/v1/priorities", "priority", {"name": "Response test no target"})
        cls.cat = made("/api/v1/categories", "category",
                       {"code": "rt_" + uuid.uuid4().hex[:6], "name": "Response test",
                        "default_priority_id": cls.two["id"]})
        # Everything below happens after the demo's reports: a period of our own.
        cls.server.move_clock(120)
        cls.start = int(cls.server.now())
        cls.arrange()

    # -- the reports, on the test clock -------------------------------------------

    @classmethod
    def act(cls, who, rid, action, body):
        r = cls.server.req("GET", "/api/v1/reports/%d" % rid, token=cls.token(ADMIN))
        assert r.status == 200, r
        body = dict(body, version=unwrap(r.body, "report")["version"])
        r = cls.server.req("POST", "/api/v1/reports/%d/%s" % (rid, action),
                           token=cls.token(who), json=body)
        assert 200 <= r.status < 300, (action, r)
        return unwrap(r.body, "report")

    @classmethod
    def create(cls):
        r = cls.server.req("POST", "/api/v1/reports", token=cls.token(CUSTOMER_SERVICES),
                           json={"category_id": cls.cat["id"], "title": "Response test",
                                 "detail": "Made by the test.", "lat": LAT, "lon": LON,
                                 "as_council": True})
        assert r.status == 201, r
        rep = unwrap(r.body, "report")
        assert rep["priority_id"] == cls.two["id"], rep
        return rep["id"]

    @classmethod
    def arrange(cls):
        s = cls.server
        ids = cls.ids = {}
        for name in ("met", "late", "overdue", "acknowledged", "private_note", "day_met",
                     "hidden", "no_target"):
            ids[name] = cls.create()
        cls.act(INSPECTOR, ids["day_met"], "priority", {"priority_id": cls.day["id"]})
        cls.act(INSPECTOR, ids["no_target"], "priority", {"priority_id": cls.none["id"]})
        s.move_clock(HOUR)
        cls.met_at = int(s.now())
        cls.act(INSPECTOR, ids["met"], "state", {"state": "investigating"})
        cls.act(INSPECTOR, ids["acknowledged"], "acknowledge", {})
        cls.act(INSPECTOR, ids["private_note"], "updates",
                {"text": "Asked the depot.", "public": False})
        cls.act(ADMIN, ids["hidden"], "hide", {"reason": "Test of a hidden report."})
        s.move_clock(2 * HOUR)
        cls.act(INSPECTOR, ids["late"], "updates", {"text": "We are on it."})
        cls.act(INSPECTOR, ids["day_met"], "updates", {"text": "Booked for tomorrow."})
        cls.act(INSPECTOR, ids["no_target"], "updates", {"text": "Noted."})
        cls.before_waiting = int(s.now())
        s.move_clock(60)
        ids["waiting"] = cls.create()

    # -- helpers ------------------------------------------------------------------

    def times(self, **query):
        q = {"from": iso(self.start - 1)}
        q.update(query)
        r = self.req("GET", "/api/v1/dashboard/response-times", token=self.token(INSPECTOR),
                     query=q)
        return self.ok(r, 200)

    @staticmethod
    def counts(c):
        return {k: c[k] for k in ("with_target", "met", "late", "met_percent", "overdue",
                                  "waiting")}

    def priority(self, body, pid):
        return [p for p in body["priorities"] if p["id"] == pid][0]

    # -- tests --------------------------------------------------------------------

    def test_responded_times(self):
        admin = self.token(ADMIN)
        met = self.detail(admin, self.ids["met"])
        state_entry = [u for u in met["updates"] if u["kind"] == "state"][0]
        self.assertEqual(met["responded"], state_entry["created"])
        self.assertLess(abs(kerbside_time(met["responded"]) - self.met_at), 5)
        late = self.detail(admin, self.ids["late"])
        self.assertEqual(late["responded"],
                         [u for u in late["updates"] if u["kind"] == "update"][0]["created"])
        # Not responses: no words on an acknowledgement, a private note, a
        # priority set, a hide.
        for name in ("overdue", "acknowledged", "private_note", "hidden", "waiting"):
            self.assertIsNone(self.detail(admin, self.ids[name])["responded"], name)
        # The first response stays: a later one does not move it.
        after = self.act(INSPECTOR, self.ids["met"], "updates", {"text": "Still looking."})
        self.assertEqual(after["responded"], met["responded"])
        # The sync carries it too.
        reports, _, _ = self.sync_all(admin)
        synced = {r["id"]: r for r in reports}
        self.assertEqual(synced[self.ids["late"]]["responded"], late["responded"])
        self.assertIsNone(synced[self.ids["overdue"]]["responded"])

    def test_dashboard_counts(self):
        body = self.times()
        two = self.priority(body, self.two["id"])
        self.assertEqual(two["name"], "Response test 2 h")
        self.assertEqual(two["response_hours"], 2)
        # met; late; overdue, acknowledged, private_note (open, 3 h past a 2 h
        # target); waiting (created a minute ago). hidden is left out.
        self.assertEqual(self.counts(two), {"with_target": 6, "met": 1, "late": 1,
                                            "met_percent": 50, "overdue": 3, "waiting": 1})
        day = self.priority(body, self.day["id"])
        self.assertEqual(self.counts(day), {"with_target": 1, "met": 1, "late": 0,
                                            "met_percent": 100, "overdue": 0, "waiting": 0})
        # No target: not measured, not listed.
        self.assertNotIn(self.none["id"], [p["id"] for p in body["priorities"]])
        # Overall: only these reports were created in the period.
        self.assertEqual(self.counts(body["overall"]),
                         {"with_target": 7, "met": 2, "late": 1, "met_percent": 67,
                          "overdue": 3, "waiting": 1})

    def test_period(self):
        # Up to before the last report: it is left out.
        body = self.times(to=iso(self.before_waiting))
        self.assertEqual(self.counts(self.priority(body, self.two["id"])),
                         {"with_target": 5, "met": 1, "late": 1, "met_percent": 50,
                          "overdue": 3, "waiting": 0})
        # A period with no report: nothing counted, no share.
        body = self.times(**{"from": iso(self.server.now() + 10 * HOUR)})
        self.assertEqual(self.counts(body["overall"]),
                         {"with_target": 0, "met": 0, "late": 0, "met_percent": None,
                          "overdue": 0, "waiting": 0})
        self.assertEqual(self.counts(self.priority(body, self.two["id"]))["with_target"], 0)
        r = self.req("GET", "/api/v1/dashboard/response-times", token=self.token(INSPECTOR),
                     query={"from": "yesterday"})
        self.assertIn("from", self.assertError(r, 422, "invalid")["message"])

    def test_demo_reports_responded_as_their_timelines_say(self):
        rows = self.server.sql(
            "SELECT r.id, r.responded, (SELECT min(u.created) FROM updates u "
            "  WHERE u.report_id = r.id AND u.user_id IS NOT NULL AND u.source = 'staff' "
            "    AND (u.public != 0 OR (u.state IS NOT NULL "
            "         AND u.state NOT IN ('confirmed', 'unconfirmed', 'hidden')))) "
            "FROM reports r")
        self.assertGreater(len(rows), 100)
        self.assertGreater(len([r for r in rows if r[1] is not None]), 10)
        for rid, responded, first in rows:
            self.assertEqual(responded, first, "report %d" % rid)


def kerbside_time(text):
    return int(time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


if __name__ == "__main__":
    unittest.main()
