# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input gets a clear error and changes nothing: malformed JSON, wrong
types, missing fields, huge bodies, unknown ids, SQL metacharacters, path
tricks, bad tokens, and reports of another council."""

import os
import sqlite3
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import CUSTOMER_SERVICES, ADMIN, INSPECTOR, items, unwrap  # noqa: E402

MAX_BODY = 10000
SQL = "'; DROP TABLE reports; --"
OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


class BadInputTest(kerbside.ServerTestCase):
    server_args = ["--max-body", str(MAX_BODY)]

    @classmethod
    def prepare_db(cls, path):
        """Adds a second council with one report, straight into the database."""
        con = sqlite3.connect(path)
        try:
            now = int(time.time())
            cur = con.cursor()
            cur.execute("INSERT INTO bodies (name, slug, area_name, created) "
                        "VALUES ('Elsewhere District Council', 'elsewhere', 'Elsewhere', ?)",
                        (now,))
            body_id = cur.lastrowid
            cur.execute("INSERT INTO categories (body_id, code, name, group_name, updated) "
                        "VALUES (?, 'potholes', 'Potholes', 'Roads', ?)", (body_id, now))
            cat_id = cur.lastrowid
            cur.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq'")
            seq = cur.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]
            cur.execute("INSERT INTO reports (body_id, category_id, title, detail, lat, lon, "
                        "state, reporter_name, reporter_email, created, updated, seq) "
                        "VALUES (?, ?, 'Elsewhere pothole', 'Secret detail', 51.75, -1.25, "
                        "'confirmed', 'Other Person', 'other@example.org', ?, ?, ?)",
                        (body_id, cat_id, now - 100, now - 50, seq))
            cls.other_report = cur.lastrowid
            cls.other_category = cat_id
            con.commit()
        finally:
            con.close()

    def setUp(self):
        self.changes = False
        self.target = self.claim_report(lambda r: r["state"] in OPEN)
        self.before = self.state()

    def tearDown(self):
        if not self.changes:
            self.assertEqual(self.state(), self.before, "bad input changed data")

    def state(self):
        admin = self.token(ADMIN)
        return {"seq": self.current_seq(),
                "target": self.detail(admin, self.target["id"]),
                "reports": self.server.sql("SELECT count(*) FROM reports")[0][0],
                "templates": self.req("GET", "/api/v1/templates", token=admin).raw,
                "categories": self.req("GET", "/api/v1/categories", token=admin).raw,
                "priorities": self.req("GET", "/api/v1/priorities", token=admin).raw,
                "staff": self.server.sql("SELECT count(*), max(updated) FROM users")[0]}

    def post(self, action, json=None, body=None, who=ADMIN, rid=None):
        rid = self.target["id"] if rid is None else rid
        return self.req("POST", "/api/v1/reports/%d/%s" % (rid, action),
                        token=self.token(who), json=json, body=body)

    # -- bodies --------------------------------------------------------------------

    def test_malformed_json_400(self):
        for body in (b'{"text": ', b"{text: 'x'}", b"not json", b'{"text": "a"} trailing',
                     b"[1, 2]", b'"a string"', b"", b"\xff\xfe{}", b"null"):
            with self.subTest(body=body):
                self.assertError(self.post("updates", body=body), 400)
        for path in ("/api/v1/templates", "/api/v1/categories", "/api/v1/priorities",
                     "/api/v1/staff", "/api/v1/roles", "/api/v1/reports", "/api/v1/shortlist"):
            with self.subTest(path=path):
                r = self.req("POST", path, token=self.token(ADMIN), body=b'{"a": [}')
                self.assertError(r, 400)

    def test_deeply_nested_json_400_and_server_lives(self):
        # json-glib recurses per level: a deep body must be refused, not crash the server.
        for body in (b"[" * 4000 + b"]" * 4000, b'{"a":' * 1500 + b"1" + b"}" * 1500):
            with self.subTest(size=len(body)):
                err = self.assertError(self.req("POST", "/api/v1/auth/login", body=body), 400)
                self.assertIn("deep", err["message"])
        self.assertEqual(self.req("GET", "/api/v1/health").status, 200)
        # brackets inside strings are only text: this one fails on its type, not its depth
        r = self.post("updates", json={"text": 5, "note": "[" * 100 + "{" * 100})
        self.assertError(r, 422)

    def test_json_with_quotes_or_comments_400(self):
        # json-glib also reads 'single quotes' and /* comments */: a '"' inside them
        # must not hide the brackets after it from the depth guard (a deep enough
        # body overflows the worker's stack), and such bodies are not JSON anyway.
        deep = b"[" * 3000 + b"]" * 3000
        for body in (b'{"email":\'"\',"password":' + deep + b'}',
                     b'{"email":/* " */' + deep + b',"password":"x"}',
                     b"{'email':'inspector@demo.invalid','password':'x'}",
                     b'{"email":"inspector@demo.invalid", /* c */ "password":"x"}'):
            with self.subTest(body=body[:40]):
                err = self.assertError(self.req("POST", "/api/v1/auth/login", body=body), 400)
                self.assertIn("double quotes", err["message"])
        self.assertEqual(self.req("GET", "/api/v1/health").status, 200)

    def test_wrong_types_422(self):
        v = self.before["target"]["version"]
        cases = [("updates", {"text": 5}), ("updates", {"text": ["a"]}),
                 ("updates", {"text": {"a": 1}}), ("updates", {"text": "ok", "public": "yes"}),
                 ("updates", {"text": "ok", "version": "3"}),
                 ("state", {"state": "fixed", "version": 1.5}),
                 ("state", {"state": True, "version": v}),
                 ("state", {"state": "fixed", "version": 10 ** 30}),
                 ("priority", {"priority_id": "high", "version": v}),
                 ("moderate", {"version": v, "reason": "x", "show_name": "no"}),
                 ("hide", {"version": v, "reason": 7}),
                 ("acknowledge", {"template_id": "one"}),
                 ("request-info", {"text": None})]
        for action, body in cases:
            with self.subTest(action=action, body=body):
                err = self.assertError(self.post(action, json=body), 422)
                self.assertTrue(any(k in err["message"] for k in body), err)

    def test_missing_fields_422(self):
        v = self.before["target"]["version"]
        for action, body in (("updates", {}), ("state", {"version": v}),
                             ("moderate", {"version": v}), ("request-info", {}),
                             ("priority", {})):
            with self.subTest(action=action):
                self.assertError(self.post(action, json=body), 422)
        admin = self.token(ADMIN)
        for path, body in (("/api/v1/templates", {"text": "no title"}),
                           ("/api/v1/categories", {"name": "No code"}),
                           ("/api/v1/priorities", {"description": "no name"}),
                           ("/api/v1/staff", {"name": "No Email"}),
                           ("/api/v1/roles", {"permissions": []}),
                           ("/api/v1/shortlist", {}),
                           ("/api/v1/auth/login", {"password": "x"})):
            with self.subTest(path=path):
                self.assertError(self.req("POST", path, token=admin, json=body), 422)

    def test_bad_values_422(self):
        admin = self.token(ADMIN)
        long_text = "x" * 5000
        for path, body in (("/api/v1/categories", {"code": "c1", "name": long_text}),
                           ("/api/v1/categories", {"code": "c2", "name": "Bad extra",
                                                   "extra": [{"code": "q", "datatype": "colour"}]}),
                           ("/api/v1/templates", {"title": "t", "text": "t", "state": "bogus"}),
                           ("/api/v1/priorities", {"name": "p", "response_hours": -5}),
                           ("/api/v1/staff", {"email": "weak@demo.invalid", "name": "Weak",
                                              "password": "password123"}),
                           ("/api/v1/staff", {"email": "perm@demo.invalid", "name": "Perm",
                                              "password": "quiet-meadow-lantern-7391",
                                              "permissions": ["fly"]}),
                           ("/api/v1/roles", {"name": "r", "permissions": ["root"]})):
            with self.subTest(path=path, body=str(body)[:60]):
                self.assertError(self.req("POST", path, token=admin, json=body), 422)
        r = self.req("PATCH", "/api/v1/body", token=admin, json={"password_min_length": 3})
        self.assertError(r, 422)

    def test_huge_body_413(self):
        big = {"text": "x" * (MAX_BODY * 2)}
        self.assertError(self.post("updates", json=big), 413)
        r = self.req("POST", "/api/v1/auth/login",
                     json={"email": "a@b.c", "password": "p" * (MAX_BODY + 10)})
        self.assertError(r, 413)
        # The server is still fine.
        self.assertEqual(self.req("GET", "/api/v1/health").status, 200)

    # -- ids -----------------------------------------------------------------------------

    def test_unknown_ids_404(self):
        admin = self.token(ADMIN)
        for rid in ("999999", "0", "-3", "abc", "99999999999999999999", "1e3"):
            with self.subTest(id=rid):
                self.assertError(self.req("GET", "/api/v1/reports/" + rid, token=admin), 404)
                r = self.req("POST", "/api/v1/reports/%s/updates" % rid, token=admin,
                             json={"text": "x"})
                self.assertError(r, 404)
        for action, body in (("acknowledge", {}), ("state", {"state": "fixed", "version": 1}),
                             ("priority", {"priority_id": None, "version": 1}),
                             ("moderate", {"version": 1, "reason": "r", "title": "t"}),
                             ("hide", {"version": 1}), ("unhide", {"version": 1}),
                             ("request-info", {"text": "q"})):
            with self.subTest(action=action):
                self.assertError(self.post(action, json=body, rid=999999), 404)
        for method, path, body in (("PATCH", "/api/v1/categories/999999", {"name": "x"}),
                                   ("PATCH", "/api/v1/priorities/999999", {"name": "x"}),
                                   ("DELETE", "/api/v1/priorities/999999", None),
                                   ("PATCH", "/api/v1/templates/999999", {"title": "x"}),
                                   ("DELETE", "/api/v1/templates/999999", None),
                                   ("GET", "/api/v1/staff/999999", None),
                                   ("PATCH", "/api/v1/staff/999999", {"name": "x"}),
                                   ("PATCH", "/api/v1/roles/999999", {"name": "x"}),
                                   ("DELETE", "/api/v1/roles/999999", None),
                                   ("DELETE", "/api/v1/shortlist/999999", None)):
            with self.subTest(method=method, path=path):
                self.assertError(self.req(method, path, token=admin, json=body), 404)
        r = self.req("POST", "/api/v1/shortlist", token=admin, json={"report_id": 999999})
        self.assertIn(r.status, (404, 422), r)

    def test_unknown_route_and_method(self):
        admin = self.token(ADMIN)
        self.assertError(self.req("GET", "/api/v1/nothing-here", token=admin), 404)
        self.assertError(self.req("GET", "/etc/passwd"), 404)
        r = self.req("DELETE", "/api/v1/reports/%d" % self.target["id"], token=admin)
        self.assertError(r, 405)

    # -- SQL metacharacters -------------------------------------------------------------

    def test_sql_metacharacters_in_queries(self):
        tok = self.token(INSPECTOR)
        r = self.req("GET", "/api/v1/reports", token=tok, query={"q": SQL})
        self.assertEqual(r.status, 200, r)
        for name in ("state", "category", "sort", "ward", "priority", "bbox", "cursor",
                     "created_from", "group"):
            with self.subTest(name=name):
                r = self.req("GET", "/api/v1/reports", token=tok, query={name: SQL})
                self.assertIn(r.status, (200, 422), r)
                if name == "ward" or name == "group":
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(items(r.body, "reports"), [])
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": SQL})
        self.assertIn(r.status, (200, 422), r)
        self.assertIn("reports", self.server.tables())

    def test_sql_metacharacters_stored_verbatim(self):
        self.changes = True
        admin = self.token(ADMIN)
        cat = self.active_category(admin)
        title = "Pothole " + SQL + " \" \\ \u00e9\u2603 <b>&amp;"
        r = self.req("POST", "/api/v1/reports", token=admin, json={
            "category_id": cat["id"], "title": title, "detail": SQL, "lat": 51.752,
            "lon": -1.257, "reporter": {"name": "Robert'); DROP TABLE users; --"}})
        self.assertEqual(r.status, 201, r)
        rid = unwrap(r.body, "report")["id"]
        d = self.detail(admin, rid)
        self.assertEqual(d["title"], title)
        self.assertEqual(d["detail"], SQL)
        self.assertEqual(d["reporter"]["name"], "Robert'); DROP TABLE users; --")
        before = self.detail(admin, self.target["id"])
        r = self.post("updates", json={"text": SQL})
        self.ok(r, 200, 201)
        self.assertEqual(self.detail(admin, self.target["id"])["updates"][-1]["text"], SQL)
        self.assertEqual(self.detail(admin, self.target["id"])["version"], before["version"] + 1)
        # The tables are all there and whole.
        self.assertEqual(self.server.sql("SELECT count(*) FROM reports")[0][0],
                         kerbside.DEMO_REPORTS + 2)
        self.assertEqual(self.server.sql("SELECT title FROM reports WHERE id = ?", (rid,))[0][0],
                         title)
        # And the text search finds it by its words.
        rows = self.list_all(admin, q="DROP TABLE", limit=100)
        self.assertIn(rid, [x["id"] for x in rows])

    # -- paths ---------------------------------------------------------------------------

    def test_path_tricks(self):
        # The HTTP layer normalises a path as RFC 3986 says (dot segments removed,
        # percent-escapes decoded) before routing, so a trick can only ever reach a
        # route the caller could name directly, and that route's permission check
        # applies: Customer Services never reach the staff list this way.
        cs = self.token(CUSTOMER_SERVICES)
        rid = self.target["id"]
        for path in ("/api/v1/reports/../staff", "/api/v1/reports/%2e%2e/staff",
                     "/api/v1/reports/%2E%2E/staff", "//api/v1/staff", "/api/v1//staff",
                     "/api/v1/./staff", "/api/v1/reports/%d/../../staff" % rid,
                     "/api/v1/staff%2F1", "/api/v1/reports/%d%%00" % rid,
                     "/api/v1/reports\\..\\staff", "/api/v1/reports/..%2fstaff",
                     "/api/v1/staff/.", "/api/v1/me/%2e%2e/staff",
                     "/api/v1/reports/%c0%ae%c0%ae/staff", "/api/v1/reports/../../../etc/passwd"):
            with self.subTest(path=path):
                r = self.req("GET", path, token=cs)
                self.assertIn(r.status, (400, 403, 404), r)
                self.assertNotIn("@demo.invalid", r.raw)
        # Malformed paths are refused outright, whatever the token.
        admin = self.token(ADMIN)
        for path in ("//api/v1/staff", "/api/v1//staff", "/api/v1/reports\\..\\staff",
                     "/api/v1/reports/%d%%00" % rid, "/api/v1/reports/%c0%ae%c0%ae/staff"):
            with self.subTest(path=path, who="admin"):
                r = self.req("GET", path, token=admin)
                self.assertIn(r.status, (400, 404), r)

    # -- tokens ------------------------------------------------------------------------------

    def test_bad_tokens_401(self):
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer "},
                        {"Authorization": "Bearer garbage"},
                        {"Authorization": "Bearer " + "A" * 5000},
                        {"Authorization": "Basic YWRtaW46cGFzcw=="},
                        {"Authorization": "bearer' OR '1'='1"}):
            with self.subTest(headers=str(headers)[:60]):
                r = self.req("GET", "/api/v1/reports", headers=headers)
                self.assertError(r, 401)
                r = self.req("POST", "/api/v1/reports/%d/updates" % self.target["id"],
                             headers=headers, json={"text": "sneaky"})
                self.assertError(r, 401)

    def test_expired_and_revoked_tokens_401(self):
        tok = self.server.login(INSPECTOR)
        self.assertEqual(self.req("GET", "/api/v1/me", token=tok).status, 200)
        # The newest session is this one: move its expiry into the past.
        self.server.sql("UPDATE sessions SET expires = 1 WHERE id = "
                        "(SELECT max(id) FROM sessions)")
        r = self.req("GET", "/api/v1/me", token=tok)
        err = self.assertError(r, 401)
        self.assertIn("expired", err["message"].lower())
        r = self.req("POST", "/api/v1/reports/%d/updates" % self.target["id"],
                     token=tok, json={"text": "late"})
        self.assertError(r, 401)
        tok2 = self.server.login(INSPECTOR)
        self.assertIn(self.req("POST", "/api/v1/auth/logout", token=tok2).status, (200, 204))
        r = self.req("POST", "/api/v1/reports/%d/updates" % self.target["id"], token=tok2,
                     json={"text": "after sign-out"})
        self.assertError(r, 401)

    # -- another council -------------------------------------------------------------------

    def test_other_council_is_invisible(self):
        admin = self.token(ADMIN)
        oid = self.other_report
        self.assertError(self.req("GET", "/api/v1/reports/%d" % oid, token=admin), 404)
        for action, body in (("acknowledge", {}), ("updates", {"text": "x"}),
                             ("state", {"state": "fixed", "version": 1}),
                             ("priority", {"priority_id": None, "version": 1}),
                             ("moderate", {"version": 1, "reason": "r", "title": "t"}),
                             ("hide", {"version": 1}), ("request-info", {"text": "q"})):
            with self.subTest(action=action):
                self.assertError(self.post(action, json=body, rid=oid), 404)
        r = self.req("POST", "/api/v1/shortlist", token=admin, json={"report_id": oid})
        self.assertIn(r.status, (404, 422), r)
        rows = self.list_all(admin, limit=1000)
        self.assertNotIn(oid, [x["id"] for x in rows])
        self.assertNotIn("Elsewhere", " ".join(x["title"] for x in rows))
        reports, _, _ = self.sync_all(admin)
        self.assertNotIn(oid, [x["id"] for x in reports])
        # Its category is not ours either.
        cats = [c["id"] for c in self.categories(admin)]
        self.assertNotIn(self.other_category, cats)
        r = self.req("POST", "/api/v1/reports", token=admin, json={
            "category_id": self.other_category, "title": "Wrong council", "detail": "",
            "lat": 51.75, "lon": -1.25, "as_council": True})
        self.assertIn(r.status, (404, 422), r)
        r = self.req("PATCH", "/api/v1/categories/%d" % self.other_category, token=admin,
                     json={"name": "Taken over"})
        self.assertError(r, 404)
        self.assertEqual(self.server.sql("SELECT title, state, version FROM reports WHERE id = ?",
                                         (oid,)),
                         [("Elsewhere pothole", "confirmed", 1)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
