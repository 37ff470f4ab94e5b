#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A category's default priority: set and shown in the admin API, refused with
nothing changed when it is not an active priority of the council for the
category; given to a report created without a priority (staff, on behalf,
Open311) and to one moved into the category without a priority, never over a
priority a person set; the timeline and the audit say where it came from."""

import json
import os
import sys
import unittest
import urllib.parse
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, unwrap  # noqa: E402

DEFAULT_TEXT = "From the category's default priority."
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}
LAT, LON = 51.752, -1.2577


class DefaultPriorityTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.token(ADMIN)
        made = cls.admin_made

        # P: for every category; Q: also for every category; ONLY_B: for B alone;
        # OFF: no longer in use.
        cls.p = made("/api/v1/priorities", "priority", {"name": "Default test P", "response_hours": 4})
        cls.q = made("/api/v1/priorities", "priority", {"name": "Default test Q", "response_hours": 48})
        cls.off = made("/api/v1/priorities", "priority", {"name": "Default test off", "active": False})
        cls.a = made("/api/v1/categories", "category",
                     {"code": "dp_a_" + uuid.uuid4().hex[:6], "name": "Default test A",
                      "default_priority_id": cls.p["id"]})
        cls.b = made("/api/v1/categories", "category",
                     {"code": "dp_b_" + uuid.uuid4().hex[:6], "name": "Default test B"})
        cls.only_b = made("/api/v1/priorities", "priority",
                          {"name": "Default test only B", "category_ids": [cls.b["id"]]})
        r = cls.server.req("POST", "/api/v1/api-keys", token=admin,
                           json={"name": "Default priority tests"})
        assert r.status == 201, r
        cls.key = r.body["key"]

    # -- helpers ----------------------------------------------------------------

    def category(self, cid):
        r = self.req("GET", "/api/v1/categories", token=self.token(ADMIN))
        return [c for c in kerbside.items(self.ok(r, 200), "categories") if c["id"] == cid][0]

    def create(self, category, as_council=True, token=None):
        body = {"category_id": category["id"], "title": "Default priority test",
                "detail": "Made by the test.", "lat": LAT, "lon": LON}
        if as_council:
            body["as_council"] = True
        else:
            body["reporter"] = {"name": "Rowan Caller", "email": "rowan@example.org"}
        r = self.req("POST", "/api/v1/reports", token=token or self.token(CUSTOMER_SERVICES),
                     json=body)
        return unwrap(self.ok(r, 201), "report")

    def defaults_in_timeline(self, rid):
        rep = self.detail(self.token(ADMIN), rid)
        return [(u["priority_id"], u["text"]) for u in rep["updates"] if u["kind"] == "priority"]

    def audit_details(self, action, rid):
        rows = self.server.sql("SELECT details FROM audit_log WHERE action = ? AND object_id = ?",
                               (action, rid))
        return [json.loads(d[0]) for d in rows]

    def move(self, rid, category, version):
        r = self.req("POST", "/api/v1/reports/%d/category" % rid, token=self.token(INSPECTOR),
                     json={"category_id": category["id"], "version": version})
        return unwrap(self.ok(r, 200), "report")

    # -- the admin API ----------------------------------------------------------

    def test_shown_set_and_cleared(self):
        self.assertEqual(self.category(self.a["id"])["default_priority_id"], self.p["id"])
        self.assertIsNone(self.category(self.b["id"])["default_priority_id"])
        admin = self.token(ADMIN)
        code = "dp_c_" + uuid.uuid4().hex[:6]
        c = unwrap(self.ok(self.req("POST", "/api/v1/categories", token=admin,
                                    json={"code": code, "name": "Default test C"}), 201),
                   "category")
        self.assertIsNone(c["default_priority_id"])
        r = self.req("PATCH", "/api/v1/categories/%d" % c["id"], token=admin,
                     json={"default_priority_id": self.q["id"]})
        self.assertEqual(unwrap(self.ok(r, 200), "category")["default_priority_id"], self.q["id"])
        r = self.req("PATCH", "/api/v1/categories/%d" % c["id"], token=admin,
                     json={"default_priority_id": None})
        self.assertIsNone(unwrap(self.ok(r, 200), "category")["default_priority_id"])
        details = [json.loads(d[0]) for d in self.server.sql(
            "SELECT details FROM audit_log WHERE action = 'update_category' AND object_id = ?",
            (c["id"],))]
        self.assertEqual(len(details), 2)
        self.assertIn("default_priority_id", json.dumps(details))

    def test_bad_default_refused_nothing_changed(self):
        admin = self.token(ADMIN)
        before = self.category(self.b["id"])
        bad = [(999999, "no priority"), (self.off["id"], "not in use"),
               (self.only_b["id"], None), ("high", None), (-3, None)]
        # only_b is for B: fine for B, but refused for A.
        for value, words in bad:
            if value == self.only_b["id"]:
                continue
            r = self.req("PATCH", "/api/v1/categories/%d" % self.b["id"], token=admin,
                         json={"default_priority_id": value, "name": "Renamed by a bad request"})
            err = self.assertError(r, 422, "invalid")
            self.assertIn("default_priority_id", err["message"])
            if words:
                self.assertIn(words, err["message"])
        self.assertEqual(self.category(self.b["id"]), before)

        r = self.req("PATCH", "/api/v1/categories/%d" % self.a["id"], token=admin,
                     json={"default_priority_id": self.only_b["id"]})
        err = self.assertError(r, 422, "invalid")
        self.assertIn("not for this category", err["message"])
        self.assertEqual(self.category(self.a["id"])["default_priority_id"], self.p["id"])

        # A new category: only priorities tied to no category are for it.
        n = self.server.sql("SELECT count(*) FROM categories")[0][0]
        for value in (self.only_b["id"], self.off["id"], 999999):
            r = self.req("POST", "/api/v1/categories", token=admin,
                         json={"code": "dp_bad_" + uuid.uuid4().hex[:6], "name": "Refused",
                               "default_priority_id": value})
            self.assertIn("default_priority_id", self.assertError(r, 422, "invalid")["message"])
        self.assertEqual(self.server.sql("SELECT count(*) FROM categories")[0][0], n)
        # Not an administrator's: refused.
        r = self.req("PATCH", "/api/v1/categories/%d" % self.b["id"], token=self.token(INSPECTOR),
                     json={"default_priority_id": self.p["id"]})
        self.assertError(r, 403)
        self.assertEqual(self.category(self.b["id"]), before)

    # -- reports ----------------------------------------------------------------

    def test_staff_create_as_council_and_on_behalf(self):
        for as_council in (True, False):
            rep = self.create(self.a, as_council=as_council)
            self.assertEqual(rep["priority_id"], self.p["id"])
            self.assertEqual(rep["version"], 1)
            self.assertEqual(self.defaults_in_timeline(rep["id"]), [(self.p["id"], DEFAULT_TEXT)])
            audit = self.audit_details("create_report", rep["id"])
            self.assertEqual(audit[0]["default_priority_id"], self.p["id"])
        # A category without a default: no priority, no entry.
        rep = self.create(self.b)
        self.assertIsNone(rep["priority_id"])
        self.assertEqual(self.defaults_in_timeline(rep["id"]), [])
        self.assertNotIn("default_priority_id", self.audit_details("create_report", rep["id"])[0])

    def test_open311_create(self):
        form = {"api_key": self.key, "service_code": self.a["code"], "lat": str(LAT),
                "long": str(LON), "description": "Sent by an Open311 client.",
                "email": "open311.default@example.org"}
        r = self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form),
                     headers=FORM)
        self.assertEqual(r.status, 200, r)
        rid = int(json.loads(r.raw)[0]["service_request_id"])
        self.assertEqual(self.detail(self.token(ADMIN), rid)["priority_id"], self.p["id"])
        self.assertEqual(self.defaults_in_timeline(rid), [(self.p["id"], DEFAULT_TEXT)])

    def test_moved_into_the_category(self):
        # Without a priority: takes A's default.
        rep = self.create(self.b)
        moved = self.move(rep["id"], self.a, rep["version"])
        self.assertEqual(moved["priority_id"], self.p["id"])
        self.assertEqual(moved["version"], rep["version"] + 1)
        self.assertEqual(self.defaults_in_timeline(rep["id"]), [(self.p["id"], DEFAULT_TEXT)])
        self.assertEqual(self.audit_details("change_category", rep["id"])[0]["default_priority_id"],
                         self.p["id"])

        # With a priority a person set that is for A too: kept.
        rep = self.create(self.b)
        r = self.req("POST", "/api/v1/reports/%d/priority" % rep["id"], token=self.token(INSPECTOR),
                     json={"priority_id": self.q["id"], "version": rep["version"]})
        rep = unwrap(self.ok(r, 200), "report")
        moved = self.move(rep["id"], self.a, rep["version"])
        self.assertEqual(moved["priority_id"], self.q["id"])
        self.assertEqual([p for p, _ in self.defaults_in_timeline(rep["id"])], [self.q["id"]])
        self.assertNotIn("default_priority_id", self.audit_details("change_category", rep["id"])[0])

        # With one that is not for A: cleared by the move, then A's default.
        rep = self.create(self.b)
        r = self.req("POST", "/api/v1/reports/%d/priority" % rep["id"], token=self.token(INSPECTOR),
                     json={"priority_id": self.only_b["id"], "version": rep["version"]})
        rep = unwrap(self.ok(r, 200), "report")
        moved = self.move(rep["id"], self.a, rep["version"])
        self.assertEqual(moved["priority_id"], self.p["id"])
        self.assertEqual(self.defaults_in_timeline(rep["id"]),
                         [(self.only_b["id"], ""), (self.p["id"], DEFAULT_TEXT)])

        # Moved back into B (no default): the priority stays.
        moved = self.move(rep["id"], self.b, moved["version"])
        self.assertEqual(moved["priority_id"], self.p["id"])

    def test_inactive_default_is_not_given(self):
        admin = self.token(ADMIN)
        code = "dp_d_" + uuid.uuid4().hex[:6]
        pr = unwrap(self.ok(self.req("POST", "/api/v1/priorities", token=admin,
                                     json={"name": "Default test later off"}), 201), "priority")
        c = unwrap(self.ok(self.req("POST", "/api/v1/categories", token=admin,
                                    json={"code": code, "name": "Default test D",
                                          "default_priority_id": pr["id"]}), 201), "category")
        self.ok(self.req("PATCH", "/api/v1/priorities/%d" % pr["id"], token=admin,
                         json={"active": False}), 200)
        rep = self.create(c)
        self.assertIsNone(rep["priority_id"])
        self.assertEqual(self.defaults_in_timeline(rep["id"]), [])


if __name__ == "__main__":
    unittest.main()
