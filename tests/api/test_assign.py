# SPDX-License-Identifier: GPL-3.0-or-later
"""Assigning reports to a colleague's shortlist: who may, who can hold them, the
list of assignees, the list filter `assigned`, the audit, replays and the sync."""

import os
import sqlite3
import sys
import time
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, items, unwrap  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}
NEW_PASSWORD = "quiet-meadow-lantern-7391"


def is_free(r):
    return r["state"] in OPEN and r["shortlist_user"] is None


class AssignTest(kerbside.ServerTestCase):

    @classmethod
    def prepare_db(cls, path):
        """A second council with one member of staff holding shortlist."""
        con = sqlite3.connect(path)
        try:
            now = int(time.time())
            cur = con.cursor()
            cur.execute("INSERT INTO bodies (name, slug, area_name, created) "
                        "VALUES ('Elsewhere District Council', 'elsewhere', 'Elsewhere', ?)",
                        (now,))
            body_id = cur.lastrowid
            cur.execute("INSERT INTO users (body_id, email, name, created, updated) "
                        "VALUES (?, 'elsewhere.inspector@demo.invalid', 'Elsa Elsewhere', ?, ?)",
                        (body_id, now, now))
            cls.other_council_user = cur.lastrowid
            cur.execute("INSERT INTO user_permissions (user_id, permission) VALUES (?, 'shortlist')",
                        (cls.other_council_user,))
            con.commit()
        finally:
            con.close()

    # -- helpers -----------------------------------------------------------------------

    def uid(self, who):
        return self.me(self.token(who))["id"]

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def assign(self, who, rid, user_id=None, take=None, headers=None):
        body = {"report_id": rid}
        if user_id is not None:
            body["user_id"] = user_id
        if take is not None:
            body["take"] = take
        return self.req("POST", "/api/v1/shortlist", token=self.token(who), json=body,
                        headers=headers)

    def shortlist(self, who):
        r = self.req("GET", "/api/v1/shortlist", token=self.token(who))
        return [x["id"] for x in items(self.ok(r, 200), "reports")]

    def assignees(self, who=ADMIN, **query):
        r = self.req("GET", "/api/v1/assignees", token=self.token(who), query=query)
        return items(self.ok(r, 200), "assignees")

    def new_staff(self, name, **fields):
        email = "%s-%s@demo.invalid" % (name.split()[0].lower(), uuid.uuid4().hex[:8])
        body = {"email": email, "name": name, "password": NEW_PASSWORD, "role_ids": []}
        body.update(fields)
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json=body)
        return self.ok(r, 200, 201), email

    def audit(self, rid):
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "report", "object_id": rid})
        return items(self.ok(r, 200), "entries")

    # -- assigning ---------------------------------------------------------------------

    def test_assign_to_colleague(self):
        rep = self.claim_report(is_free)
        before = self.fresh(rep["id"])
        inspector = self.me(self.token(INSPECTOR))
        r = self.assign(MAINTENANCE, rep["id"], user_id=inspector["id"])
        after = unwrap(self.ok(r, 200), "report")
        self.assertEqual(after["shortlist_user"], inspector["id"])
        self.assertEqual(after["shortlist_holder"], {"id": inspector["id"],
                                                     "name": inspector["name"]})
        self.assertEqual(after["version"], before["version"])
        self.assertGreater(after["seq"], before["seq"])
        self.assertIn(rep["id"], self.shortlist(INSPECTOR))
        self.assertNotIn(rep["id"], self.shortlist(MAINTENANCE))
        self.assertEqual(self.shortlist(INSPECTOR)[-1], rep["id"])
        # The sync carries it.
        _, _, _ = self.sync_all(self.token(ADMIN))
        synced, _, _ = self.sync_all(self.token(ADMIN), since=before["seq"])
        mine = [x for x in synced if x["id"] == rep["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["shortlist_user"], inspector["id"])
        # Audited under the assigner, naming the assignee.
        entry = [e for e in self.audit(rep["id"]) if e["action"] == "shortlist_assign"]
        self.assertEqual(len(entry), 1, self.audit(rep["id"]))
        self.assertEqual(entry[0]["user"]["id"], self.uid(MAINTENANCE))
        self.assertEqual(entry[0]["details"], {"user_id": inspector["id"]})
        # Again: nothing changes.
        again = unwrap(self.ok(self.assign(MAINTENANCE, rep["id"], user_id=inspector["id"]), 200),
                       "report")
        self.assertEqual(again["seq"], after["seq"])
        self.assertEqual(len([e for e in self.audit(rep["id"])
                              if e["action"] == "shortlist_assign"]), 1)

    def test_assign_from_own_shortlist_needs_no_take(self):
        rep = self.claim_report(is_free)
        self.ok(self.assign(INSPECTOR, rep["id"]), 200)
        maint = self.uid(MAINTENANCE)
        r = self.assign(INSPECTOR, rep["id"], user_id=maint)
        self.assertEqual(unwrap(self.ok(r, 200), "report")["shortlist_user"], maint)
        entry = [e for e in self.audit(rep["id"]) if e["action"] == "shortlist_assign"][0]
        self.assertEqual(entry["details"], {"user_id": maint, "taken_from": self.uid(INSPECTOR)})

    def test_taking_from_another_holder_needs_take(self):
        rep = self.claim_report(is_free)
        self.ok(self.assign(INSPECTOR, rep["id"]), 200)
        before = self.fresh(rep["id"])
        maint = self.me(self.token(MAINTENANCE))
        inspector = self.me(self.token(INSPECTOR))
        r = self.assign(ADMIN, rep["id"], user_id=maint["id"])
        err = self.assertError(r, 409, "conflict")
        self.assertIn(inspector["name"], err["message"])
        self.assertIn(maint["name"], err["message"])
        self.assertEqual(r.body["holder"], {"id": inspector["id"], "name": inspector["name"]})
        self.assertEqual(self.fresh(rep["id"]), before)
        r = self.assign(ADMIN, rep["id"], user_id=maint["id"], take=True)
        self.assertEqual(unwrap(self.ok(r, 200), "report")["shortlist_user"], maint["id"])
        self.assertNotIn(rep["id"], self.shortlist(INSPECTOR))
        self.assertIn(rep["id"], self.shortlist(MAINTENANCE))

    def test_permission_both_ways(self):
        rep = self.claim_report(is_free)
        before = self.fresh(rep["id"])
        # Customer services do not hold shortlist: 403, nothing changes.
        r = self.assign(CUSTOMER_SERVICES, rep["id"], user_id=self.uid(INSPECTOR))
        err = self.assertError(r, 403, "forbidden")
        self.assertIn("shortlist", err["message"])
        self.assertEqual(self.fresh(rep["id"]), before)
        # An inspector (who does) may assign.
        r = self.assign(INSPECTOR, rep["id"], user_id=self.uid(MAINTENANCE))
        self.assertEqual(unwrap(self.ok(r, 200), "report")["shortlist_user"],
                         self.uid(MAINTENANCE))

    def test_colleague_rules(self):
        rep = self.claim_report(is_free)
        before = self.fresh(rep["id"])
        cs = self.me(self.token(CUSTOMER_SERVICES))
        # Without shortlist.
        r = self.assign(ADMIN, rep["id"], user_id=cs["id"])
        err = self.assertError(r, 422, "invalid")
        self.assertIn(cs["name"], err["message"])
        self.assertIn("shortlist", err["message"])
        # Deactivated.
        gone, _ = self.new_staff("Dora Deactivated", permissions=["view_report", "shortlist"],
                                 active=False)
        err = self.assertError(self.assign(ADMIN, rep["id"], user_id=gone["id"]), 422, "invalid")
        self.assertIn("deactivated", err["message"])
        # Of another council, or nobody at all: the same sentence.
        for uid in (self.other_council_user, 987654321):
            with self.subTest(user_id=uid):
                err = self.assertError(self.assign(ADMIN, rep["id"], user_id=uid), 422, "invalid")
                self.assertIn("no member of staff %d" % uid, err["message"])
        # Not a number.
        for bad in ("2", 0, -3, 1.5, True):
            with self.subTest(user_id=bad):
                self.assertError(self.assign(ADMIN, rep["id"], user_id=bad), 422)
        self.assertEqual(self.fresh(rep["id"]), before)
        # A person given shortlist alone (no role) can hold it.
        solo, _ = self.new_staff("Sol Solo", permissions=["view_report", "shortlist"])
        r = self.assign(ADMIN, rep["id"], user_id=solo["id"])
        self.assertEqual(unwrap(self.ok(r, 200), "report")["shortlist_user"], solo["id"])

    def test_holder_without_view_all_gets_tombstone(self):
        rep = self.claim_report(is_free)
        solo, email = self.new_staff("Tom Tombstone", permissions=["view_report", "shortlist"])
        tok = self.server.login(email, NEW_PASSWORD)
        self.ok(self.assign(ADMIN, rep["id"], user_id=solo["id"]), 200)
        r = self.req("GET", "/api/v1/reports", token=tok, query={"assigned": "me"})
        self.assertEqual([x["id"] for x in items(self.ok(r, 200), "reports")], [rep["id"]])
        seq_before = self.server.sql("SELECT max(seq) FROM tombstones")[0][0] or 0
        self.ok(self.assign(ADMIN, rep["id"], user_id=self.uid(INSPECTOR), take=True), 200)
        rows = self.server.sql("SELECT report_id, user_id FROM tombstones WHERE seq > ?",
                               (seq_before,))
        self.assertIn((rep["id"], solo["id"]), [tuple(x) for x in rows])

    def test_idempotent_replay(self):
        rep = self.claim_report(is_free)
        key = "assign-" + uuid.uuid4().hex
        insp = self.uid(INSPECTOR)
        first = self.assign(ADMIN, rep["id"], user_id=insp, headers={"Idempotency-Key": key})
        self.ok(first, 200)
        # Someone takes it meanwhile; the replay answers the first answer, changes nothing.
        self.ok(self.assign(MAINTENANCE, rep["id"], take=True), 200)
        moved = self.fresh(rep["id"])
        again = self.assign(ADMIN, rep["id"], user_id=insp, headers={"Idempotency-Key": key})
        self.assertEqual(again.status, 200)
        self.assertEqual(again.body, first.body)
        self.assertEqual(self.fresh(rep["id"]), moved)

    # -- taking a report off a colleague's shortlist -------------------------------------

    def remove(self, who, rid, holder=None):
        query = {"holder": holder} if holder is not None else None
        return self.req("DELETE", "/api/v1/shortlist/%d" % rid, token=self.token(who), query=query)

    def test_remove_from_colleague(self):
        rep = self.claim_report(is_free)
        self.ok(self.assign(INSPECTOR, rep["id"]), 200)
        insp = self.uid(INSPECTOR)
        before = self.fresh(rep["id"])
        r = self.remove(MAINTENANCE, rep["id"], holder=insp)
        after = unwrap(self.ok(r, 200), "report")
        self.assertIsNone(after["shortlist_user"])
        self.assertIsNone(after["shortlist_holder"])
        self.assertEqual(after["version"], before["version"])
        self.assertGreater(after["seq"], before["seq"])
        self.assertNotIn(rep["id"], self.shortlist(INSPECTOR))
        # Audited under the one who removed it, naming the holder.
        entry = [e for e in self.audit(rep["id"]) if e["action"] == "shortlist_remove"]
        self.assertEqual(len(entry), 1, self.audit(rep["id"]))
        self.assertEqual(entry[0]["user"]["id"], self.uid(MAINTENANCE))
        self.assertEqual(entry[0]["details"], {"holder": insp})
        # Again: no longer there, 404, nothing changes.
        gone = self.fresh(rep["id"])
        err = self.assertError(self.remove(MAINTENANCE, rep["id"], holder=insp), 404, "not_found")
        self.assertIn("member of staff %d" % insp, err["message"])
        self.assertEqual(self.fresh(rep["id"]), gone)

    def test_remove_from_colleague_refusals(self):
        rep = self.claim_report(is_free)
        self.ok(self.assign(INSPECTOR, rep["id"]), 200)
        insp = self.uid(INSPECTOR)
        before = self.fresh(rep["id"])
        # Customer services may not assign to colleagues (no shortlist): 403.
        err = self.assertError(self.remove(CUSTOMER_SERVICES, rep["id"], holder=insp), 403, "forbidden")
        self.assertIn("shortlist", err["message"])
        # Someone who is not its holder: 404.
        err = self.assertError(self.remove(ADMIN, rep["id"], holder=self.uid(MAINTENANCE)), 404,
                               "not_found")
        self.assertIn("Refresh", err["message"])
        # Without holder it is the caller's own shortlist, where it is not.
        err = self.assertError(self.remove(ADMIN, rep["id"]), 404, "not_found")
        self.assertIn("not on your shortlist", err["message"])
        # Malformed holders.
        for bad in ("abc", "0", "-2", "1.5"):
            with self.subTest(holder=bad):
                err = self.assertError(self.remove(ADMIN, rep["id"], holder=bad), 422, "invalid")
                self.assertIn("holder", err["message"])
        self.assertEqual(self.fresh(rep["id"]), before)
        self.assertIn(rep["id"], self.shortlist(INSPECTOR))
        # The holder themselves may name themselves.
        self.ok(self.remove(INSPECTOR, rep["id"], holder=insp), 200)
        self.assertNotIn(rep["id"], self.shortlist(INSPECTOR))

    # -- the assignees -----------------------------------------------------------------

    def test_assignees(self):
        rows = self.assignees()
        names = {x["name"]: x for x in rows}
        for who in (INSPECTOR, MAINTENANCE, ADMIN):
            me = self.me(self.token(who))
            self.assertIn(me["name"], names)
            self.assertTrue(names[me["name"]]["can_hold"])
            self.assertEqual(names[me["name"]]["id"], me["id"])
        self.assertNotIn(self.me(self.token(CUSTOMER_SERVICES))["name"], names)
        self.assertNotIn("Elsa Elsewhere", names)
        for x in rows:
            self.assertEqual(set(x), {"id", "name", "can_hold", "held"})
        # Sorted by name.
        self.assertEqual([x["name"] for x in rows], sorted(x["name"] for x in rows))
        # held counts the shortlist.
        insp = self.uid(INSPECTOR)
        self.assertEqual([x["held"] for x in rows if x["id"] == insp][0],
                         len(self.shortlist(INSPECTOR)))
        # Everyone who sees reports may read it (the list's names): customer services too.
        self.assertEqual(self.assignees(CUSTOMER_SERVICES), rows)

    def test_assignees_keeps_a_holder_who_can_no_longer_hold(self):
        rep = self.claim_report(is_free)
        who, _ = self.new_staff("Hal Holder", permissions=["view_report", "shortlist"])
        self.ok(self.assign(ADMIN, rep["id"], user_id=who["id"]), 200)
        r = self.req("PATCH", "/api/v1/staff/%d" % who["id"], token=self.token(ADMIN),
                     json={"active": False})
        self.ok(r, 200)
        row = [x for x in self.assignees() if x["id"] == who["id"]]
        self.assertEqual(row, [{"id": who["id"], "name": "Hal Holder", "can_hold": False,
                                "held": 1}])

    def test_assignees_needs_view_report(self):
        nobody, email = self.new_staff("Nora Nothing", permissions=[])
        tok = self.server.login(email, NEW_PASSWORD)
        r = self.req("GET", "/api/v1/assignees", token=tok)
        self.assertError(r, 403, "forbidden")
        self.assertError(self.req("GET", "/api/v1/assignees"), 401)

    # -- the list filter ---------------------------------------------------------------

    def test_list_filter_assigned(self):
        tok = self.token(ADMIN)
        rep = self.claim_report(is_free)
        self.ok(self.assign(ADMIN, rep["id"], user_id=self.uid(MAINTENANCE)), 200)
        all_ids = {x["id"] for x in self.list_all(tok, limit=1000)}
        anyone = self.list_all(tok, assigned="anyone", limit=1000)
        none = self.list_all(tok, assigned="none", limit=1000)
        self.assertTrue(anyone)
        self.assertTrue(all(x["shortlist_user"] is not None for x in anyone))
        self.assertTrue(all(x["shortlist_user"] is None for x in none))
        self.assertEqual({x["id"] for x in anyone} | {x["id"] for x in none}, all_ids)
        self.assertIn(rep["id"], {x["id"] for x in anyone})
        mine = self.list_all(self.token(MAINTENANCE), assigned="me")
        self.assertEqual({x["id"] for x in mine}, set(self.shortlist(MAINTENANCE)))
        by_id = self.list_all(tok, assigned=str(self.uid(MAINTENANCE)))
        self.assertEqual({x["id"] for x in by_id}, set(self.shortlist(MAINTENANCE)))
        # With a state, a box, paging: the same filter.
        paged = self.list_all(tok, assigned="none", state="open", limit=7, sort="title")
        open_ids = {x["id"] for x in self.list_all(tok, state="open", limit=1000)}
        self.assertTrue(paged)
        self.assertEqual({x["id"] for x in paged}, {x["id"] for x in none} & open_ids)
        box = self.list_all(tok, assigned="anyone", bbox="-1.40,51.65,-1.10,51.85")
        self.assertTrue(all(x["shortlist_user"] is not None for x in box))
        # With shortlist=mine: someone else's holds nothing of mine.
        self.assertEqual(self.list_all(self.token(MAINTENANCE), shortlist="mine",
                                       assigned=str(self.uid(INSPECTOR))), [])
        self.assertEqual(self.list_all(self.token(MAINTENANCE), shortlist="mine",
                                       assigned="none"), [])

    def test_list_filter_assigned_bad(self):
        for bad in ("everyone", "-1", "0", "me,none", "1e3"):
            with self.subTest(assigned=bad):
                r = self.req("GET", "/api/v1/reports", token=self.token(ADMIN),
                             query={"assigned": bad})
                err = self.assertError(r, 422, "invalid")
                self.assertIn("assigned", err["message"])

    def test_list_assigned_me_without_view_all(self):
        solo, email = self.new_staff("Vic Viewer", permissions=["view_report", "shortlist"])
        tok = self.server.login(email, NEW_PASSWORD)
        self.assertError(self.req("GET", "/api/v1/reports", token=tok,
                                  query={"assigned": "anyone"}), 403)
        r = self.req("GET", "/api/v1/reports", token=tok, query={"assigned": "me"})
        self.assertEqual(items(self.ok(r, 200), "reports"), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
