# SPDX-License-Identifier: GPL-3.0-or-later
"""Correcting a report: its category (the new category's questions and
priorities applied again, dropped answers kept in the timeline), its location
(the ward follows the point) and its answers to the category's questions;
allowed to update_status or moderate_report, version-checked, idempotent, in
the sync and in Open311."""

import os
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, items, unwrap  # noqa: E402

NEW_PASSWORD = "quiet-meadow-lantern-7391"
OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


def answers(rep):
    return [(a["code"], a["value"]) for a in rep["attributes"]]


class CorrectionsTest(kerbside.ServerTestCase):

    def act(self, who, rid, action, body, headers=None, token=None):
        return self.req("POST", "/api/v1/reports/%d/%s" % (rid, action),
                        token=token or self.token(who), json=body, headers=headers)

    def report_of(self, r):
        return unwrap(self.ok(r, 200), "report")

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def category(self, code):
        for c in self.categories(self.token(ADMIN)):
            if c.get("code") == code:
                return c
        self.fail("the demo council has no category %s" % code)

    def assertChanged(self, before, after):
        self.assertEqual(after["version"], before["version"] + 1)
        self.assertGreater(after["seq"], before["seq"])

    def entries(self, rep, kind):
        return [u for u in rep["updates"] if u["kind"] == kind]

    def audit_count(self, action, rid):
        return self.server.sql("SELECT count(*) FROM audit_log WHERE action = ? AND object_id = ?",
                               (action, rid))[0][0]

    def create_staff(self, permissions):
        email = "staff-%s@demo.invalid" % uuid.uuid4().hex[:10]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": email, "name": "Test Staff", "password": NEW_PASSWORD,
            "role_ids": [], "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        return self.server.login(email, NEW_PASSWORD)

    def pothole(self):
        """An open pothole report with both answers: a demo one nobody has
        claimed, or, when the demo has none left, one made here."""
        pot = self.category("potholes")
        fits = lambda r: (r["category_id"] == pot["id"] and r["state"] in OPEN
                          and len(r["attributes"]) == 2)
        if any(fits(r) and r["id"] not in self._claimed for r in self._load_pool()):
            return self.claim_report(fits)
        near = next(r for r in self._load_pool() if r["category_id"] == pot["id"])
        r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES), json={
            "category_id": pot["id"], "title": "Pothole by the kerb", "detail": "Made by the test.",
            "lat": near["lat"], "lon": near["lon"], "as_council": True,
            "attributes": {"depth": "4_to_10cm", "in_cycle_lane": "no"}})
        self.assertEqual(r.status, 201, r)
        rep = self.fresh(unwrap(r.body, "report")["id"])
        self.assertTrue(fits(rep), rep)
        return rep

    # -- the wire --------------------------------------------------------------

    def test_answers_in_detail_and_sync(self):
        rep = self.pothole()
        self.assertEqual([a["code"] for a in rep["attributes"]], ["depth", "in_cycle_lane"])
        detail = self.fresh(rep["id"])
        self.assertEqual(detail["attributes"], rep["attributes"])
        for u in detail["updates"]:
            self.assertEqual(u["previous_attributes"], [])
        plain = self.claim_report(lambda r: not r["attributes"])
        self.assertEqual(self.fresh(plain["id"])["attributes"], [])

    # -- category --------------------------------------------------------------

    def test_change_category_applies_new_questions(self):
        rep = self.pothole()
        tip = self.category("fly_tipping")
        before = self.fresh(rep["id"])
        seq = self.current_seq()
        # Fly-tipping asks a required question: without its answer nothing changes.
        r = self.act(INSPECTOR, rep["id"], "category",
                     {"category_id": tip["id"], "version": before["version"]})
        err = self.assertError(r, 422)
        self.assertIn("size", err["message"])
        self.assertEqual(self.fresh(rep["id"]), before)
        # A value the question does not list: refused too.
        r = self.act(INSPECTOR, rep["id"], "category",
                     {"category_id": tip["id"], "version": before["version"],
                      "attributes": {"size": "lorry_load"}})
        self.assertIn("car_boot", self.assertError(r, 422)["message"])
        self.assertEqual(self.fresh(rep["id"]), before)

        after = self.report_of(self.act(INSPECTOR, rep["id"], "category",
                                        {"category_id": tip["id"], "version": before["version"],
                                         "attributes": {"size": "car_boot"}}))
        self.assertChanged(before, after)
        self.assertEqual(after["category_id"], tip["id"])
        self.assertEqual(answers(after), [("size", "car_boot")])
        entry = self.entries(after, "category")[-1]
        self.assertFalse(entry["public"])
        self.assertIn("Fly", entry["text"])
        # The answers the new category does not ask are kept with the entry.
        self.assertEqual([(a["code"], a["value"]) for a in entry["previous_attributes"]],
                         answers(before))
        self.assertEqual(self.audit_count("change_category", rep["id"]), 1)
        # In the sync, with a new sequence number.
        synced = {r["id"]: r for r in self.sync_all(self.token(INSPECTOR), since=seq)[0]}
        self.assertIn(rep["id"], synced)
        self.assertEqual(synced[rep["id"]]["category_id"], tip["id"])
        self.assertEqual(synced[rep["id"]]["attributes"], after["attributes"])
        # Open311's service_code follows.
        r = self.req("GET", "/open311/v2/requests/%d.json" % rep["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body[0]["service_code"], "fly_tipping")

    def test_change_category_clears_priority_that_does_not_apply(self):
        prios = items(self.ok(self.req("GET", "/api/v1/priorities", token=self.token(ADMIN))),
                      "priorities")
        pot = self.category("potholes")
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        tied = [p for p in prios if p["active"] and p.get("category_ids")
                and pot["id"] in p["category_ids"] and light["id"] not in p["category_ids"]]
        general = [p for p in prios if p["active"] and not p.get("category_ids")]
        for prio, stays in [(p, False) for p in tied[:1]] + [(p, True) for p in general[:1]]:
            with self.subTest(priority=prio["name"]):
                rep = self.pothole()
                cur = self.fresh(rep["id"])
                cur = self.report_of(self.act(ADMIN, rep["id"], "priority",
                                              {"priority_id": prio["id"],
                                               "version": cur["version"]}))
                after = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "category",
                                                {"category_id": light["id"],
                                                 "version": cur["version"]}))
                self.assertEqual(after["priority_id"], prio["id"] if stays else None)
                self.assertEqual(answers(after), [])
                self.assertEqual(len(self.entries(after, "category")[-1]["previous_attributes"]), 2)
        self.assertTrue(tied or general, "the demo council has no priorities")

    def test_change_category_stale_version_and_bad_input(self):
        rep = self.pothole()
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        before = self.fresh(rep["id"])
        r = self.act(INSPECTOR, rep["id"], "category",
                     {"category_id": light["id"], "version": before["version"] - 1 or 999})
        self.assertError(r, 409, "conflict")
        self.assertEqual(r.body["current"], before)
        for body in ({"category_id": light["id"]},
                     {"category_id": 999999, "version": before["version"]},
                     {"category_id": "lights", "version": before["version"]}):
            with self.subTest(body=body):
                self.assertError(self.act(INSPECTOR, rep["id"], "category", body), 422)
        self.assertEqual(self.fresh(rep["id"]), before)

    def test_change_category_idempotent(self):
        rep = self.pothole()
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        before = self.fresh(rep["id"])
        key = str(uuid.uuid4())
        body = {"category_id": light["id"], "version": before["version"]}
        first = self.report_of(self.act(MAINTENANCE, rep["id"], "category", body,
                                        {"Idempotency-Key": key}))
        second = self.report_of(self.act(MAINTENANCE, rep["id"], "category", body,
                                         {"Idempotency-Key": key}))
        self.assertEqual(first, second)
        self.assertEqual(len(self.entries(self.fresh(rep["id"]), "category")), 1)
        # The same category again (a fresh request): nothing changes.
        again = self.report_of(self.act(MAINTENANCE, rep["id"], "category",
                                        {"category_id": light["id"],
                                         "version": first["version"]}))
        self.assertEqual(again, self.fresh(rep["id"]))
        self.assertEqual(again["version"], first["version"])

    # -- permissions -----------------------------------------------------------

    def test_permission_update_status_or_moderate_report(self):
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        for perms, allowed in ((["view_all_reports", "view_report", "update_status"], True),
                               (["view_all_reports", "view_report", "moderate_report"], True),
                               (["view_all_reports", "view_report", "acknowledge_report",
                                 "update_report", "prioritise_report", "hide_report"], False)):
            with self.subTest(permissions=perms):
                tok = self.create_staff(perms)
                for action, body in (
                        ("category", {"category_id": light["id"]}),
                        ("location", {"lat": 51.7525, "lon": -1.2575}),
                        ("attributes", {"attributes": {}})):
                    rep = self.claim_public_report(lambda r: r["state"] in OPEN and
                                            r["category_id"] != light["id"])
                    before = self.fresh(rep["id"])
                    r = self.act(None, rep["id"], action,
                                 dict(body, version=before["version"]), token=tok)
                    if allowed:
                        self.assertEqual(r.status, 200, r)
                    else:
                        err = self.assertError(r, 403, "forbidden")
                        self.assertIn("update_status", err["message"])
                        self.assertIn("moderate_report", err["message"])
                        self.assertEqual(self.fresh(rep["id"]), before)

    # -- location --------------------------------------------------------------

    def test_change_location_ward_follows(self):
        rep = self.claim_public_report(lambda r: r["state"] in OPEN and r["ward"])
        other = self.claim_report(lambda r: r["ward"] and r["ward"] != rep["ward"])
        before = self.fresh(rep["id"])
        seq = self.current_seq()
        lat, lon = other["lat"] + 0.00001, other["lon"] + 0.00001
        after = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "location",
                                        {"lat": lat, "lon": lon, "version": before["version"],
                                         "address": "Outside 12 High Street"}))
        self.assertChanged(before, after)
        self.assertAlmostEqual(after["lat"], lat, places=9)
        self.assertAlmostEqual(after["lon"], lon, places=9)
        self.assertEqual(after["ward"], other["ward"])
        self.assertEqual(after["address"], "Outside 12 High Street")
        entry = self.entries(after, "location")[-1]
        self.assertIn(other["ward"], entry["text"])
        self.assertFalse(entry["public"])
        self.assertEqual(self.audit_count("change_location", rep["id"]), 1)
        synced = {r["id"]: r for r in self.sync_all(self.token(INSPECTOR), since=seq)[0]}
        self.assertEqual(synced[rep["id"]]["ward"], other["ward"])
        # The same point again: nothing changes.
        again = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "location",
                                        {"lat": lat, "lon": lon, "version": after["version"]}))
        self.assertEqual(again["version"], after["version"])
        # Stale, out of range: refused, nothing changes.
        r = self.act(INSPECTOR, rep["id"], "location",
                     {"lat": 51.0, "lon": -1.0, "version": before["version"]})
        self.assertError(r, 409)
        for body in ({"lat": 91.0, "lon": 0.0}, {"lat": 51.0}, {"lat": "north", "lon": 0.0}):
            with self.subTest(body=body):
                self.assertError(self.act(INSPECTOR, rep["id"], "location",
                                          dict(body, version=after["version"])), 422)
        self.assertEqual(self.fresh(rep["id"]), after)
        # Open311 shows the new point.
        pub = self.req("GET", "/open311/v2/requests/%d.json" % rep["id"])
        if pub.status == 200:
            self.assertAlmostEqual(float(pub.body[0]["lat"]), lat, places=6)

    # -- answers ---------------------------------------------------------------

    def test_edit_answers(self):
        rep = self.pothole()
        before = self.fresh(rep["id"])
        depth = dict(answers(before))["depth"]
        new_depth = "over_10cm" if depth != "over_10cm" else "under_4cm"
        for bad, word in (({"depth": "bottomless"}, "under_4cm"),
                          ({"colour": "red"}, "colour"),
                          ({"depth": None}, "depth"),
                          ({"depth": ["under_4cm", "over_10cm"]}, "list")):
            with self.subTest(attributes=bad):
                r = self.act(INSPECTOR, rep["id"], "attributes",
                             {"attributes": bad, "version": before["version"]})
                self.assertIn(word, self.assertError(r, 422)["message"])
        self.assertError(self.act(INSPECTOR, rep["id"], "attributes",
                                  {"version": before["version"]}), 422)
        self.assertEqual(self.fresh(rep["id"]), before)

        key = str(uuid.uuid4())
        body = {"attributes": {"depth": new_depth}, "version": before["version"]}
        after = self.report_of(self.act(INSPECTOR, rep["id"], "attributes", body,
                                        {"Idempotency-Key": key}))
        replay = self.report_of(self.act(INSPECTOR, rep["id"], "attributes", body,
                                         {"Idempotency-Key": key}))
        self.assertEqual(after, replay)
        self.assertChanged(before, after)
        self.assertEqual(dict(answers(after))["depth"], new_depth)
        self.assertEqual(dict(answers(after))["in_cycle_lane"],
                         dict(answers(before))["in_cycle_lane"])
        entries = self.entries(after, "attributes")
        self.assertEqual(len(entries), 1)
        self.assertIn(new_depth, entries[0]["text"])
        self.assertEqual([(a["code"], a["value"]) for a in entries[0]["previous_attributes"]],
                         answers(before))
        self.assertEqual(self.audit_count("change_attributes", rep["id"]), 1)
        # The optional question can be left unanswered.
        cleared = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "attributes",
                                          {"attributes": {"in_cycle_lane": None},
                                           "version": after["version"]}))
        self.assertEqual(answers(cleared), [("depth", new_depth)])
        r = self.act(INSPECTOR, rep["id"], "attributes",
                     {"attributes": {"depth": depth}, "version": after["version"]})
        self.assertError(r, 409)


if __name__ == "__main__":
    unittest.main(verbosity=2)
