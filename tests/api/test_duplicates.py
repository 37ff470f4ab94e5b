# SPDX-License-Identifier: GPL-3.0-or-later
"""Duplicates: marking a report as a duplicate of another and undoing it (the link
both ways, the state, the timeline, the sync, versions, idempotency, permissions,
chains and cycles refused, Open311), and nearby suggestions (nearest first, the
category's radius, open reports of the same category and council only)."""

import math
import os
import sqlite3
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, MAINTENANCE, unwrap  # noqa: E402

NEW_PASSWORD = "quiet-meadow-lantern-7391"
# A place away from the demo's reports (about 40 km north of them).
HOME = (52.1000, -1.2500)
OTHER_COUNCIL_TITLE = "Pothole in the next council"


def offset(point, north_m, east_m):
    """The point north_m metres north and east_m metres east of point."""
    lat, lon = point
    dlat = north_m / 111194.93
    dlon = east_m / (111194.93 * math.cos(math.radians(lat)))
    return (lat + dlat, lon + dlon)


class DuplicatesTest(kerbside.ServerTestCase):

    @classmethod
    def prepare_db(cls, path):
        # A second council with a report in the same place: never suggested, never
        # an original for this council's reports.
        con = sqlite3.connect(path)
        # The reports made here are put north of the demo town, away from its own
        # reports, outside its approximate area: the council keeps no boundaries in
        # this suite (as before any import, new reports take the nearest ward).
        con.execute("DELETE FROM boundaries")
        now = 1700000000
        cur = con.execute("INSERT INTO bodies (name, slug, created) VALUES "
                          "('Elsewhere Council', 'elsewhere', ?)", (now,))
        body = cur.lastrowid
        cur = con.execute("INSERT INTO categories (body_id, code, name, updated) VALUES "
                          "(?, 'potholes', 'Potholes', ?)", (body, now))
        cat = cur.lastrowid
        con.execute("INSERT INTO reports (body_id, category_id, title, lat, lon, state, created, "
                    "updated, version, seq) VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?, 1, "
                    "(SELECT coalesce (max (seq), 0) + 1 FROM reports))",
                    (body, cat, OTHER_COUNCIL_TITLE, HOME[0], HOME[1], now, now))
        con.commit()
        con.close()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.token(ADMIN)
        cls.cats = {}
        for code in ("dup-lamps", "dup-signs", "dup-bins"):
            r = cls.server.req("POST", "/api/v1/categories", token=admin,
                               json={"code": code, "name": code.replace("-", " ").title()})
            assert r.status in (200, 201), r
            cls.cats[code] = unwrap(r.body, "category")["id"]
        cls.other_report = cls.server.sql("SELECT id FROM reports WHERE title = ?",
                                          (OTHER_COUNCIL_TITLE,))[0][0]
        # The demo's reports (and the other council's), before any case adds its own.
        cls.demo_last_id = cls.server.sql("SELECT max(id) FROM reports")[0][0]

    # -- helpers ----------------------------------------------------------------

    def create(self, point, category="dup-lamps", title=None):
        body = {"category_id": self.cats[category],
                "title": title or "Lamp out " + uuid.uuid4().hex[:6],
                "detail": "Seen by staff.", "lat": point[0], "lon": point[1], "as_council": True}
        r = self.req("POST", "/api/v1/reports", token=self.token(ADMIN), json=body)
        self.assertEqual(r.status, 201, r)
        return unwrap(r.body, "report")["id"]

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def mark(self, who, rid, of, version, headers=None):
        return self.req("POST", "/api/v1/reports/%d/duplicate" % rid, token=self.token(who),
                        json={"of": of, "version": version}, headers=headers)

    def unmark(self, who, rid, version):
        return self.req("DELETE", "/api/v1/reports/%d/duplicate" % rid, token=self.token(who),
                        json={"version": version})

    def nearby(self, who, **query):
        return self.req("GET", "/api/v1/nearby", token=self.token(who),
                        query={k: str(v) for k, v in query.items()})

    def audit_actions(self, rid):
        return [a for (a,) in self.server.sql(
            "SELECT action FROM audit_log WHERE object_type = 'report' AND object_id = ? "
            "ORDER BY id", (rid,))]

    # -- the demo's duplicates -------------------------------------------------------

    def test_demo_duplicates_link_to_what_they_repeat(self):
        rows = self.server.sql(
            "SELECT r.id, r.category_id, r.lat, r.lon, r.duplicate_of, r.state_before_duplicate, "
            "o.id, o.category_id, o.state, o.lat, o.lon, o.body_id, r.body_id "
            "FROM reports r LEFT JOIN reports o ON o.id = r.duplicate_of "
            "WHERE r.state = 'duplicate' AND r.id <= ? ORDER BY r.id", (self.demo_last_id,))

        def candidates(rid, after):
            """The reports a demo duplicate rid could repeat (among the 5,000 made
            before it), made after id after."""
            return self.server.sql(
                "SELECT o.id FROM reports o, reports r WHERE r.id = ? AND o.id < r.id "
                "AND o.id >= r.id - 5000 AND o.id > ? AND o.body_id = r.body_id AND o.category_id = r.category_id "
                "AND o.state NOT IN ('duplicate', 'hidden', 'unconfirmed') "
                "AND o.confirmed <= r.created", (rid, after))

        linked = [row for row in rows if row[4] is not None]
        self.assertGreater(len(linked), 0, rows)
        for (rid, cat, lat, lon, of, before, oid, ocat, ostate, olat, olon, obody,
             body) in rows:
            if of is None:
                # Nothing it could repeat was made before it.
                self.assertEqual(candidates(rid, 0), [], rid)
                continue
            self.assertEqual(oid, of, "report %d links to a report that is not there" % rid)
            self.assertEqual((ocat, obody), (cat, body))
            self.assertNotIn(ostate, ("duplicate", "hidden", "unconfirmed"))
            # The last such report before it.
            self.assertEqual(candidates(rid, of), [], (rid, of))
            self.assertIn((of,), candidates(rid, 0))
            self.assertEqual(before, "confirmed")
            north = (lat - olat) * 111194.93
            east = (lon - olon) * 111194.93 * math.cos(math.radians(olat))
            self.assertLess(math.hypot(north, east), 25, (rid, of))

        # The link both ways, as a marked report's; Undo gives it back as confirmed.
        rid, of = linked[0][0], linked[0][4]
        dup = self.fresh(rid)
        self.assertEqual(dup["duplicate_of"]["id"], of)
        self.assertIn(rid, [d["id"] for d in self.fresh(of)["duplicates"]])
        r = self.unmark(INSPECTOR, rid, dup["version"])
        self.assertEqual(unwrap(self.ok(r, 200), "report")["state"], "confirmed")
        self.assertNotIn(rid, [d["id"] for d in self.fresh(of)["duplicates"]])

    # -- marking and undoing ------------------------------------------------------

    def test_mark_and_undo(self):
        here = offset(HOME, 2000, 0)
        a = self.create(here, title="Lamp out on Church Lane")
        b = self.create(offset(here, 5, 0), title="Street light not working")
        r = self.req("POST", "/api/v1/reports/%d/state" % b, token=self.token(INSPECTOR),
                     json={"state": "investigating", "version": 1})
        self.ok(r, 200)
        a0, b0 = self.fresh(a), self.fresh(b)
        self.assertIsNone(b0["duplicate_of"])
        self.assertEqual(a0["duplicates"], [])

        r = self.mark(INSPECTOR, b, a, b0["version"])
        b1 = unwrap(self.ok(r, 200), "report")
        self.assertEqual(b1["state"], "duplicate")
        self.assertEqual(b1["duplicate_of"],
                         {"id": a, "title": "Lamp out on Church Lane", "state": "confirmed"})
        self.assertEqual(b1["version"], b0["version"] + 1)
        self.assertGreater(b1["seq"], b0["seq"])
        last = b1["updates"][-1]
        self.assertEqual((last["kind"], last["state"], last["public"]), ("state", "duplicate", True))
        self.assertIn(str(a), last["text"])

        # The original lists it, has a private note and a new seq, same version.
        a1 = self.fresh(a)
        self.assertEqual(a1["duplicates"],
                         [{"id": b, "title": "Street light not working", "state": "duplicate"}])
        self.assertIsNone(a1["duplicate_of"])
        self.assertEqual(a1["version"], a0["version"])
        self.assertGreater(a1["seq"], a0["seq"])
        note = a1["updates"][-1]
        self.assertFalse(note["public"])
        self.assertIn(str(b), note["text"])
        self.assertEqual(len(a1["updates"]), len(a0["updates"]) + 1)

        # Both come in the next sync.
        reports, _, _ = self.sync_all(self.token(INSPECTOR), since=min(a0["seq"], b0["seq"]))
        self.assertTrue({a, b} <= {x["id"] for x in reports})

        # Marking again: nothing changes.
        r = self.mark(INSPECTOR, b, a, b1["version"])
        self.assertEqual(unwrap(self.ok(r, 200), "report"), b1)
        self.assertEqual(self.fresh(a), a1)
        self.assertEqual(self.audit_actions(b).count("mark_duplicate"), 1)

        # Undo: the state it had before comes back; the link goes both ways.
        r = self.unmark(MAINTENANCE, b, b1["version"])
        b2 = unwrap(self.ok(r, 200), "report")
        self.assertEqual(b2["state"], "investigating")
        self.assertIsNone(b2["duplicate_of"])
        self.assertEqual(b2["version"], b1["version"] + 1)
        self.assertEqual((b2["updates"][-1]["kind"], b2["updates"][-1]["state"]),
                         ("state", "investigating"))
        a2 = self.fresh(a)
        self.assertEqual(a2["duplicates"], [])
        self.assertGreater(a2["seq"], a1["seq"])
        self.assertEqual(len(a2["updates"]), len(a1["updates"]) + 1)
        self.assertEqual(self.audit_actions(b).count("unmark_duplicate"), 1)

        # Undoing again: nothing changes.
        r = self.unmark(MAINTENANCE, b, b2["version"])
        self.assertEqual(unwrap(self.ok(r, 200), "report"), b2)
        self.assertEqual(self.audit_actions(b).count("unmark_duplicate"), 1)

    def test_idempotency_key(self):
        here = offset(HOME, 2500, 0)
        a, b = self.create(here), self.create(here)
        b0 = self.fresh(b)
        key = {"Idempotency-Key": "dup-" + uuid.uuid4().hex}
        first = self.mark(INSPECTOR, b, a, b0["version"], headers=key)
        self.ok(first, 200)
        second = self.mark(INSPECTOR, b, a, b0["version"], headers=key)
        self.assertEqual(second.status, 200)
        self.assertEqual(second.body, first.body)
        self.assertEqual(second.headers.get("Idempotent-Replayed"), "true")
        b1 = self.fresh(b)
        self.assertEqual(b1["version"], b0["version"] + 1)
        self.assertEqual(len(b1["updates"]), len(b0["updates"]) + 1)
        self.assertEqual(len(self.fresh(a)["duplicates"]), 1)

    def test_permission_both_ways(self):
        here = offset(HOME, 3000, 0)
        a, b = self.create(here), self.create(here)
        a0, b0 = self.fresh(a), self.fresh(b)
        # Customer Services lack update_status.
        r = self.mark(CUSTOMER_SERVICES, b, a, b0["version"])
        err = self.assertError(r, 403)
        self.assertIn("update_status", err["message"])
        self.assertEqual(self.fresh(b), b0)
        self.assertEqual(self.fresh(a), a0)
        b1 = unwrap(self.ok(self.mark(INSPECTOR, b, a, b0["version"]), 200), "report")
        r = self.unmark(CUSTOMER_SERVICES, b, b1["version"])
        self.assertError(r, 403)
        self.assertEqual(self.fresh(b), b1)

        # Nearby suggestions need view_report.
        email = "no-view-%s@demo.invalid" % uuid.uuid4().hex[:8]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": email, "name": "Nell Noview", "password": NEW_PASSWORD,
            "role_ids": [], "permissions": ["view_dashboard"]})
        self.ok(r, 200, 201)
        tok = self.server.login(email, NEW_PASSWORD)
        q = {"lat": str(here[0]), "lon": str(here[1]), "category_id": str(self.cats["dup-lamps"])}
        self.assertError(self.req("GET", "/api/v1/nearby", token=tok, query=q), 403)
        self.assertError(self.req("GET", "/api/v1/reports/%d/nearby" % a, token=tok), 403)
        for who in (CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE, ADMIN):
            self.ok(self.req("GET", "/api/v1/nearby", token=self.token(who), query=q), 200)

    def test_stale_version_conflicts(self):
        here = offset(HOME, 3500, 0)
        a, b = self.create(here), self.create(here)
        b0 = self.fresh(b)
        r = self.mark(INSPECTOR, b, a, b0["version"] + 5)
        self.assertError(r, 409, "conflict")
        self.assertEqual(r.body["current"]["id"], b)
        self.assertEqual(self.fresh(b), b0)
        self.assertEqual(self.fresh(a)["duplicates"], [])
        b1 = unwrap(self.ok(self.mark(INSPECTOR, b, a, b0["version"]), 200), "report")
        r = self.unmark(INSPECTOR, b, b0["version"])
        self.assertError(r, 409, "conflict")
        self.assertEqual(self.fresh(b), b1)
        # The version is required.
        r = self.req("DELETE", "/api/v1/reports/%d/duplicate" % b, token=self.token(INSPECTOR),
                     json={})
        self.assertError(r, 422)

    def test_refused_links(self):
        here = offset(HOME, 4000, 0)
        a, c, d = self.create(here), self.create(here), self.create(here)
        c1 = unwrap(self.ok(self.mark(INSPECTOR, c, a, 1), 200), "report")
        a0, d0 = self.fresh(a), self.fresh(d)
        seq = self.current_seq()
        cases = [
            (a, a, a0["version"], "itself"),
            (a, c, a0["version"], "duplicate of this report"),      # its own duplicate
            (d, c, d0["version"], "report %d instead" % a),         # a duplicate's duplicate
            (c, d, c1["version"], "Undo that first"),               # already a duplicate
            (d, 999999, d0["version"], "no report 999999"),
            (d, self.other_report, d0["version"], "no report %d" % self.other_report),
        ]
        for rid, of, version, says in cases:
            with self.subTest(rid=rid, of=of):
                r = self.mark(INSPECTOR, rid, of, version)
                err = self.assertError(r, 422, "invalid")
                self.assertIn(says, err["message"])
        for body in ({"version": d0["version"]}, {"of": "x", "version": d0["version"]},
                     {"of": 0, "version": d0["version"]}):
            with self.subTest(body=body):
                r = self.req("POST", "/api/v1/reports/%d/duplicate" % d,
                             token=self.token(INSPECTOR), json=body)
                self.assertError(r, 422)
        # Another council's report cannot be marked either.
        r = self.mark(INSPECTOR, self.other_report, a, 1)
        self.assertError(r, 404)
        self.assertEqual(self.current_seq(), seq)
        self.assertEqual(self.fresh(a), a0)
        self.assertEqual(self.fresh(d), d0)

    def test_open311_shows_the_duplicate(self):
        here = offset(HOME, 4500, 0)
        a, b = self.create(here), self.create(here)
        self.ok(self.mark(INSPECTOR, b, a, 1), 200)
        r = self.req("GET", "/open311/v2/requests/%d.json" % b)
        self.assertEqual(self.ok(r, 200)[0]["status"], "closed")
        r = self.req("GET", "/open311/v2/requests/%d.json" % a)
        self.assertEqual(self.ok(r, 200)[0]["status"], "open")
        r = self.req("POST", "/api/v1/api-keys", token=self.token(ADMIN),
                     json={"name": "Duplicates test"})
        key = self.ok(r, 201)["key"]
        r = self.req("GET", "/open311/v2/servicerequestupdates.json", query={"api_key": key})
        rows = self.ok(r, 200)
        mine = [u for u in rows if u["service_request_id"] == str(b)]
        self.assertEqual([u["status"] for u in mine], ["duplicate"])
        self.assertIn(str(a), mine[0]["description"])
        # The original's note is private: not published.
        self.assertEqual([u for u in rows if u["service_request_id"] == str(a)], [])

    # -- nearby suggestions ----------------------------------------------------------

    def test_nearby(self):
        here = HOME
        r10 = self.create(offset(here, 10, 0))
        r30 = self.create(offset(here, 0, 30))
        r45 = self.create(offset(here, -27, -36))
        r70 = self.create(offset(here, 70, 0))
        fixed = self.create(offset(here, 3, 0))
        self.ok(self.req("POST", "/api/v1/reports/%d/state" % fixed, token=self.token(INSPECTOR),
                         json={"state": "fixed", "version": 1}), 200)
        other_cat = self.create(offset(here, 2, 0), category="dup-signs")
        q = {"lat": here[0], "lon": here[1], "category_id": self.cats["dup-lamps"]}

        body = self.ok(self.nearby(INSPECTOR, **q), 200)
        self.assertEqual(body["radius"], 50)
        got = [(x["id"], x["distance"]) for x in body["reports"]]
        self.assertEqual(got, [(r10, 10), (r30, 30), (r45, 45)])
        first = body["reports"][0]
        self.assertEqual(first["category_id"], self.cats["dup-lamps"])
        self.assertEqual(first["state"], "confirmed")
        for k in ("title", "lat", "lon", "updated", "version"):
            self.assertIn(k, first)
        ids = {x["id"] for x in body["reports"]}
        self.assertNotIn(fixed, ids)
        self.assertNotIn(other_cat, ids)
        self.assertNotIn(self.other_report, ids)
        # limit
        body = self.ok(self.nearby(INSPECTOR, limit=2, **q), 200)
        self.assertEqual([x["id"] for x in body["reports"]], [r10, r30])

        # Around a report: itself left out, nearest first from it.
        r = self.req("GET", "/api/v1/reports/%d/nearby" % r10, token=self.token(CUSTOMER_SERVICES))
        body = self.ok(r, 200)
        got = [x["id"] for x in body["reports"]]
        self.assertEqual(got, [r30])   # r45 is ~52 m from it, r70 60 m

    def test_nearby_radius_is_the_categorys(self):
        here = offset(HOME, 0, 3000)
        near = self.create(offset(here, 40, 0), category="dup-bins")
        far = self.create(offset(here, 90, 0), category="dup-bins")
        q = {"lat": here[0], "lon": here[1], "category_id": self.cats["dup-bins"]}
        ids = lambda: [x["id"] for x in self.ok(self.nearby(INSPECTOR, **q), 200)["reports"]]
        self.assertEqual(ids(), [near])
        cat = "/api/v1/categories/%d" % self.cats["dup-bins"]
        r = self.req("PATCH", cat, token=self.token(ADMIN), json={"duplicate_radius": 100})
        self.ok(r, 200)
        self.assertEqual(self.ok(self.nearby(INSPECTOR, **q), 200)["radius"], 100)
        self.assertEqual(ids(), [near, far])
        r = self.req("PATCH", cat, token=self.token(ADMIN), json={"duplicate_radius": 0})
        self.ok(r, 200)
        self.assertEqual(ids(), [])
        # Bad radius: refused, nothing changes.
        for bad in (-1, 5001, "wide"):
            r = self.req("PATCH", cat, token=self.token(ADMIN), json={"duplicate_radius": bad})
            self.assertError(r, 422)
        listed = [c for c in self.categories(self.token(ADMIN)) if c["id"] == self.cats["dup-bins"]]
        self.assertEqual(listed[0]["duplicate_radius"], 0)
        # Only editors of categories may change it.
        r = self.req("PATCH", cat, token=self.token(INSPECTOR), json={"duplicate_radius": 80})
        self.assertError(r, 403)

    def test_nearby_bad_input(self):
        good = {"lat": HOME[0], "lon": HOME[1], "category_id": self.cats["dup-lamps"]}
        for bad in (dict(good, lat="north"), dict(good, lat=91), dict(good, lon=-181),
                    {k: v for k, v in good.items() if k != "lat"},
                    {k: v for k, v in good.items() if k != "category_id"},
                    dict(good, category_id=999999), dict(good, limit=0), dict(good, limit=51)):
            with self.subTest(query=bad):
                err = self.assertError(self.nearby(INSPECTOR, **bad), 422)
                self.assertTrue(err["message"].endswith("."))
        # Another council's category is not there for this council's staff.
        cat = self.server.sql("SELECT category_id FROM reports WHERE id = ?",
                              (self.other_report,))[0][0]
        self.assertError(self.nearby(INSPECTOR, **dict(good, category_id=cat)), 422)
        self.assertError(self.req("GET", "/api/v1/reports/999999/nearby",
                                  token=self.token(INSPECTOR)), 404)


if __name__ == "__main__":
    unittest.main()
