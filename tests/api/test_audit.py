# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit log: changes and views of personal data leave entries with who,
what, which object and from where."""

import json
import os
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, items  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


def details_of(entry):
    d = entry.get("details")
    if isinstance(d, str):
        d = json.loads(d)
    return d


class AuditTest(kerbside.ServerTestCase):

    def audit(self, **params):
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN), query=params)
        body = self.ok(r, 200)
        return items(body, "entries") if "entries" in body else items(body, "audit")

    def newest_id(self):
        rows = self.audit(limit=1)
        return rows[0]["id"] if rows else 0

    def since(self, mark, **params):
        """Entries newer than mark (an audit id), oldest first."""
        rows = [e for e in self.audit(limit=200, **params) if e["id"] > mark]
        return list(reversed(rows))

    def user_id(self, who):
        return self.me(self.token(who))["id"]

    def assertEntry(self, e, who, action=None, object_type=None, object_id=None):
        self.assertLessEqual({"id", "at", "user", "action", "object_type", "object_id",
                              "address", "details"}, set(e))
        self.assertEqual(e["user"]["id"], self.user_id(who))
        self.assertEqual(e["user"]["email"], kerbside.ROLE_ACCOUNTS.get(who, who))
        self.assertTrue(e["user"]["name"])
        self.assertEqual(e["address"], "127.0.0.1")
        self.assertTrue(e["at"].endswith("Z"))
        if action:
            self.assertEqual(e["action"], action)
        if object_type:
            self.assertEqual(e["object_type"], object_type)
        if object_id is not None:
            self.assertEqual(e["object_id"], object_id)

    def find(self, entries, **match):
        for e in entries:
            if all(e.get(k) == v for k, v in match.items()):
                return e
        self.fail("no audit entry with %r in %r" % (match, entries))

    def test_view_personal_data(self):
        rep = self.claim_report(lambda r: r.get("reporter") and r["reporter"].get("email"))
        mark = self.newest_id()
        d = self.detail(self.token(CUSTOMER_SERVICES), rep["id"])
        self.assertEqual(d["reporter"]["email"], rep["reporter"]["email"])
        e = self.find(self.since(mark), action="view_personal_data", object_id=rep["id"])
        self.assertEntry(e, CUSTOMER_SERVICES, "view_personal_data", "report", rep["id"])

    def test_list_is_not_personal(self):
        mark = self.newest_id()
        self.list_page(self.token(INSPECTOR), limit=50)
        self.assertFalse([e for e in self.since(mark) if e["action"] == "view_personal_data"])

    def test_sync_offline_audited_per_page(self):
        mark = self.newest_id()
        reports, _, _ = self.sync_all(self.token(MAINTENANCE), offline=1, limit=100)
        entries = [e for e in self.since(mark) if e["action"] == "sync_personal_data"]
        self.assertGreaterEqual(len(entries), (len(reports) + 99) // 100)
        for e in entries:
            self.assertEntry(e, MAINTENANCE, "sync_personal_data")
        counts = [details_of(e).get("count") for e in entries]
        self.assertEqual(sum(c for c in counts if c), len(reports))
        # Without offline=1 there is no personal data and no such entry.
        mark = self.newest_id()
        self.sync_all(self.token(MAINTENANCE), limit=100)
        self.assertFalse([e for e in self.since(mark) if e["action"] == "sync_personal_data"])

    def test_actions_audited(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN and not r["acknowledged"] and
                                r["state"] != "in_progress" and r["priority_id"] is not None)
        rid = rep["id"]
        admin = self.token(ADMIN)
        mark = self.newest_id()
        v = self.detail(admin, rid)["version"]
        calls = [
            (INSPECTOR, "acknowledge", {}),
            (INSPECTOR, "updates", {"text": "Audited update."}),
            (MAINTENANCE, "state", {"state": "in_progress", "version": v + 2}),
            (INSPECTOR, "priority", {"priority_id": None, "version": v + 3}),
            (CUSTOMER_SERVICES, "moderate", {"version": v + 4, "reason": "Audit test",
                                             "title": "Audited title"}),
            (INSPECTOR, "request-info", {"text": "Audited question?"}),
            (CUSTOMER_SERVICES, "hide", {"version": v + 6, "reason": "Audit test"}),
        ]
        for who, action, body in calls:
            r = self.req("POST", "/api/v1/reports/%d/%s" % (rid, action),
                         token=self.token(who), json=body)
            self.assertTrue(200 <= r.status < 300, (action, r))
        entries = [e for e in self.since(mark, object_type="report", object_id=rid)
                   if e["action"] != "view_personal_data"]
        self.assertGreaterEqual(len(entries), len(calls), entries)
        users = {w: self.user_id(w) for w, _, _ in calls}
        by_id = {v: k for k, v in users.items()}
        for e in entries:
            self.assertIn(e["user"]["id"], by_id, e)
            self.assertEntry(e, by_id[e["user"]["id"]], None, "report", rid)
        # The log keeps who did what, in order; each action has its own name.

        def runs(seq):
            return [x for i, x in enumerate(seq) if i == 0 or seq[i - 1] != x]
        self.assertEqual(runs([e["user"]["id"] for e in entries]),
                         runs([users[w] for w, _, _ in calls]))
        self.assertGreaterEqual(len({e["action"] for e in entries}), len(calls))

    def test_refused_action_not_audited_as_change(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        mark = self.newest_id()
        r = self.req("POST", "/api/v1/reports/%d/hide" % rep["id"], token=self.token(INSPECTOR),
                     json={"version": 1})
        self.assertError(r, 403)
        r = self.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=self.token(ADMIN),
                     json={"state": "nope", "version": 1})
        self.assertError(r, 422)
        self.assertEqual([e for e in self.since(mark, object_type="report", object_id=rep["id"])],
                         [])

    def test_sign_in_and_out(self):
        mark = self.newest_id()
        tok = self.server.login(MAINTENANCE)
        self.req("POST", "/api/v1/auth/logout", token=tok)
        entries = self.since(mark)
        uid = self.user_id(MAINTENANCE)
        login = self.find(entries, action="login")
        self.assertEntry(login, MAINTENANCE, "login", "user", uid)
        logout = self.find(entries, action="logout")
        self.assertEntry(logout, MAINTENANCE, "logout")

    def test_staff_changes_audited(self):
        mark = self.newest_id()
        email = "audited-%s@demo.invalid" % uuid.uuid4().hex[:8]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": email, "name": "Audrey Audit", "password": "quiet-meadow-lantern-7391",
            "permissions": ["view_dashboard"]})
        self.ok(r, 200, 201)
        entries = [e for e in self.since(mark) if e["object_type"] in ("user", "staff")]
        self.assertTrue(entries)
        self.assertEntry(entries[0], ADMIN)
        # The password never reaches the log.
        self.assertNotIn("quiet-meadow", json.dumps(self.audit(limit=50)))

    def test_export_audited(self):
        mark = self.newest_id()
        r = self.req("GET", "/api/v1/dashboard/export.csv", token=self.token(INSPECTOR))
        self.assertEqual(r.status, 200, r)
        self.assertIn("text/csv", r.headers.get("Content-Type", ""))
        header = r.raw.splitlines()[0]
        for col in ("id", "created", "category", "state", "title"):
            self.assertIn(col, header)
        for personal in ("reporter", "email", "phone"):
            self.assertNotIn(personal, header)
        emails = {p["reporter"]["email"] for p in self._load_pool()
                  if p.get("reporter") and p["reporter"].get("email")}
        self.assertFalse([e for e in emails if e in r.raw], "reporter emails in the export")
        entries = self.since(mark)
        self.assertTrue(entries)
        self.assertEntry(entries[-1], INSPECTOR)

    def test_audit_filters_and_pages(self):
        uid = self.user_id(CUSTOMER_SERVICES)
        rows = self.audit(user_id=uid, limit=200)
        self.assertTrue(rows)
        self.assertTrue(all(e["user"]["id"] == uid for e in rows))
        # Pages: newest first, no duplicates.
        seen, cursor, prev = [], None, None
        for _ in range(1000):
            q = {"limit": 7}
            if cursor:
                q["cursor"] = cursor
            body = self.ok(self.req("GET", "/api/v1/audit", token=self.token(ADMIN), query=q))
            page = body.get("entries", body.get("audit"))
            seen.extend(e["id"] for e in page)
            cursor = body.get("next_cursor")
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertGreater(len(seen), 7)

    def test_audit_needs_manage_staff(self):
        for who in (CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE):
            with self.subTest(who=who):
                r = self.req("GET", "/api/v1/audit", token=self.token(who))
                self.assertError(r, 403)


if __name__ == "__main__":
    unittest.main(verbosity=2)
