# SPDX-License-Identifier: GPL-3.0-or-later
"""Staff who work in their own area: wards and categories assigned to staff and
roles (audited, shown in /me), and categories restricted to their assigned staff,
enforced both ways in the list, sync (tombstones when an assignment changes),
detail, actions, bulk actions, the dashboard and the export."""

import csv
import io
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE, items, unwrap  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


class AreasTest(kerbside.ServerTestCase):

    # -- helpers ----------------------------------------------------------------

    def staff_id(self, email):
        r = self.req("GET", "/api/v1/staff", token=self.token(ADMIN), query={"search": email})
        rows = [s for s in items(self.ok(r, 200), "staff") if s["email"] == email]
        self.assertEqual(len(rows), 1, rows)
        return rows[0]["id"]

    def role_id(self, name):
        r = self.req("GET", "/api/v1/roles", token=self.token(ADMIN))
        rows = [x for x in items(self.ok(r, 200), "roles") if x["name"] == name]
        self.assertEqual(len(rows), 1, rows)
        return rows[0]["id"]

    def patch_staff(self, email, body, who=ADMIN):
        return self.req("PATCH", "/api/v1/staff/%d" % self.staff_id(email),
                        token=self.token(who), json=body)

    def patch_role(self, name, body):
        return self.req("PATCH", "/api/v1/roles/%d" % self.role_id(name),
                        token=self.token(ADMIN), json=body)

    def restrict(self, category_id, on=True):
        r = self.req("PATCH", "/api/v1/categories/%d" % category_id, token=self.token(ADMIN),
                     json={"assigned_only": on})
        self.assertEqual(unwrap(self.ok(r, 200), "category")["assigned_only"], on)

    def category_reports(self, category_id):
        """The ids of the demo reports of a category (as the administrator sees them)."""
        return {r["id"] for r in self._load_pool() if r["category_id"] == category_id}

    def category_with_reports(self, used=set()):
        """A category with open reports that no other test of the class uses."""
        counts = {}
        for r in self._load_pool():
            if r["state"] in OPEN:
                counts[r["category_id"]] = counts.get(r["category_id"], 0) + 1
        for cid, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            if cid not in used and n >= 3:
                used.add(cid)
                return cid
        self.fail("no demo category left with open reports")

    def open_report_of(self, category_id):
        for r in self._load_pool():
            if r["category_id"] == category_id and r["state"] in OPEN and \
                    r["id"] not in self._claimed:
                self._claimed.add(r["id"])
                return self.detail(self.token(ADMIN), r["id"])
        self.fail("no open report left in category %d" % category_id)

    def listed_ids(self, who, **params):
        return {r["id"] for r in self.list_all(self.token(who), limit=1000, **params)}

    def synced(self, who, since=0):
        reports, tombstones, seq = self.sync_all(self.token(who), since=since, limit=1000)
        return {r["id"] for r in reports}, set(tombstones), seq

    def stats_keys(self, who):
        r = self.req("GET", "/api/v1/dashboard/stats", token=self.token(who),
                     query={"by": "category"})
        return {row["key"]: row["count"] for row in self.ok(r, 200)["rows"]}

    def export_ids(self, who):
        r = self.req("GET", "/api/v1/dashboard/export.csv", token=self.token(who))
        self.assertEqual(r.status, 200, r)
        text = r.raw.decode("utf-8") if isinstance(r.raw, bytes) else r.body
        return {int(row["id"]) for row in csv.DictReader(io.StringIO(text))}

    # -- assignment -------------------------------------------------------------

    def test_assignment_of_staff_and_roles(self):
        cats = [c["id"] for c in self.categories(self.token(ADMIN))][:2]
        body = self.ok(self.patch_staff(MAINTENANCE, {
            "wards": [" Carfax ", "Holywell"], "category_ids": cats}), 200)
        staff = unwrap(body, "staff")
        self.assertEqual(staff["wards"], ["Carfax", "Holywell"])
        self.assertEqual(sorted(staff["category_ids"]), sorted(cats))
        # A role's wards and categories add to the person's own.
        role = self.ok(self.patch_role("Internal maintenance", {"wards": ["Jericho"]}), 200)
        self.assertEqual(unwrap(role, "role")["wards"], ["Jericho"])
        me = self.me(self.token(MAINTENANCE))
        self.assertEqual(me["wards"], ["Carfax", "Holywell", "Jericho"])
        self.assertEqual(me["category_ids"], sorted(cats))
        self.assertFalse(me["sees_all_categories"])
        self.assertTrue(self.me(self.token(ADMIN))["sees_all_categories"])
        # Audited, naming what changed.
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "user", "object_id": self.staff_id(MAINTENANCE),
                            "limit": 5})
        entries = [e for e in items(self.ok(r, 200), "entries") if e["action"] == "update_staff"]
        self.assertTrue(entries)
        self.assertIn("wards", str(entries[0]["details"]))
        self.assertIn("category_ids", str(entries[0]["details"]))

    def test_assignment_bad_input_changes_nothing(self):
        before = self.me(self.token(INSPECTOR))
        for bad in ({"category_ids": [99999999]}, {"wards": "Carfax"}, {"wards": [""]},
                    {"wards": ["a|b"]}, {"wards": [3]}, {"category_ids": ["x"]}):
            r = self.patch_staff(INSPECTOR, bad)
            self.assertError(r, 422)
        r = self.patch_role("Inspectors", {"category_ids": [99999999]})
        self.assertError(r, 422)
        after = self.me(self.token(INSPECTOR))
        self.assertEqual((after["wards"], after["category_ids"]),
                         (before["wards"], before["category_ids"]))
        # Only those who manage staff assign.
        self.assertError(self.patch_staff(INSPECTOR, {"wards": ["Carfax"]}, who=INSPECTOR), 403)

    # -- restricted categories ----------------------------------------------------

    def test_restricted_category_both_ways(self):
        cid = self.category_with_reports()
        ids = self.category_reports(cid)
        rep = self.open_report_of(cid)
        _, _, seq0 = self.synced(CUSTOMER_SERVICES)
        self.restrict(cid)
        try:
            # Nobody assigned: staff without the administrators' permissions lose
            # sight of the category everywhere; administrators keep it.
            for who in (CUSTOMER_SERVICES, INSPECTOR):
                self.assertFalse(self.listed_ids(who) & ids, who)
                self.assertEqual(self.listed_ids(who, category=cid), set(), who)
                self.assertError(self.req("GET", "/api/v1/reports/%d" % rep["id"],
                                          token=self.token(who)), 404)
                self.assertError(self.req("POST", "/api/v1/reports/%d/acknowledge" % rep["id"],
                                          token=self.token(who), json={}), 404)
                self.assertNotIn(cid, self.stats_keys(who))
                self.assertFalse(self.export_ids(who) & ids, who)
            self.assertLessEqual(ids, self.listed_ids(ADMIN))
            self.assertIn(cid, self.stats_keys(ADMIN))
            self.assertEqual(self.detail(self.token(ADMIN), rep["id"])["id"], rep["id"])

            # Sync: an app that had them gets tombstones and never the reports.
            got, dropped, seq1 = self.synced(CUSTOMER_SERVICES, since=seq0)
            self.assertLessEqual(ids, dropped)
            self.assertFalse(got & ids)
            got, _, _ = self.synced(CUSTOMER_SERVICES)
            self.assertFalse(got & ids)
            # The administrator's app keeps them (they come again, no tombstone).
            got, dropped, _ = self.synced(ADMIN, since=seq0)
            self.assertLessEqual(ids, got)
            self.assertFalse(dropped & ids)

            # Assigned to one person: they see it all again, from the same sync.
            self.ok(self.patch_staff(CUSTOMER_SERVICES, {"category_ids": [cid]}), 200)
            got, dropped, seq2 = self.synced(CUSTOMER_SERVICES, since=seq1)
            self.assertLessEqual(ids, got)
            self.assertFalse(dropped & ids)
            self.assertLessEqual(ids, self.listed_ids(CUSTOMER_SERVICES))
            self.assertEqual(self.detail(self.token(CUSTOMER_SERVICES), rep["id"])["id"],
                             rep["id"])
            self.ok(self.req("POST", "/api/v1/reports/%d/acknowledge" % rep["id"],
                             token=self.token(CUSTOMER_SERVICES), json={}), 200)
            self.assertIn(cid, self.stats_keys(CUSTOMER_SERVICES))
            # ...while the inspector still does not.
            self.assertFalse(self.listed_ids(INSPECTOR) & ids)

            # Assigned through a role.
            self.ok(self.patch_role("Inspectors", {"category_ids": [cid]}), 200)
            self.assertLessEqual(ids, self.listed_ids(INSPECTOR))
            self.ok(self.patch_role("Inspectors", {"category_ids": []}), 200)
            self.assertFalse(self.listed_ids(INSPECTOR) & ids)

            # Unassigned again: the next sync drops them.
            self.ok(self.patch_staff(CUSTOMER_SERVICES, {"category_ids": []}), 200)
            got, dropped, _ = self.synced(CUSTOMER_SERVICES, since=seq2)
            self.assertLessEqual(ids, dropped)
            self.assertFalse(got & ids)
        finally:
            self.restrict(cid, False)
        # Unrestricted: everyone sees it again.
        got, dropped, _ = self.synced(INSPECTOR, since=seq0)
        self.assertLessEqual(ids, got)
        self.assertFalse(dropped & ids)
        self.assertLessEqual(ids, self.listed_ids(INSPECTOR))

    def test_restricted_category_in_bulk(self):
        cid = self.category_with_reports()
        rep = self.open_report_of(cid)
        other = self.open_report_of(self.category_with_reports())
        self.restrict(cid)
        try:
            r = self.req("POST", "/api/v1/reports/bulk", token=self.token(INSPECTOR), json={
                "action": "state", "params": {"state": "investigating"},
                "items": [{"id": rep["id"], "version": rep["version"]},
                          {"id": other["id"], "version": other["version"]}]})
            results = self.ok(r, 200)["results"]
            self.assertEqual([x["status"] for x in results], ["not_found", "ok"])
            self.assertNotIn("report", results[0])
            self.assertEqual(self.detail(self.token(ADMIN), rep["id"])["version"],
                             rep["version"])
            # The administrator acts on it.
            r = self.req("POST", "/api/v1/reports/bulk", token=self.token(ADMIN), json={
                "action": "state", "params": {"state": "investigating"},
                "items": [{"id": rep["id"], "version": rep["version"]}]})
            self.assertEqual([x["status"] for x in self.ok(r, 200)["results"]], ["ok"])
        finally:
            self.restrict(cid, False)

    def test_restriction_needs_edit_categories(self):
        cid = self.category_with_reports()
        r = self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(INSPECTOR),
                     json={"assigned_only": True})
        self.assertError(r, 403)
        r = self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                     json={"assigned_only": "yes"})
        self.assertError(r, 422)
        cat = [c for c in self.categories(self.token(ADMIN)) if c["id"] == cid][0]
        self.assertFalse(cat["assigned_only"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
