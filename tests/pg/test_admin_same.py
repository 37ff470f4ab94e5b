#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The council's administration gives the same answers on both stores: one
kerbside-server on SQLite and one on PostgreSQL, over the same demo data, get the
same requests (the catalogue, roles, staff, council settings, the dashboard's
figures and its CSV export, the audit log; creates, updates, deletes and the
conflicts they meet) and must answer with the same status and JSON: same
numbers, same order, same ids, same errors. Only the clock readings of the two
servers may differ."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402

# Members that read the server's clock (each server reads its own).
CLOCK = {"generated", "updated", "at", "created", "last_login", "expires", "token"}


def clockless(value):
    """value with the clock readings blanked out; a cursor "at.id" keeps its id."""
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            if key in CLOCK:
                v = "*"
            elif key in ("next_cursor", "next") and isinstance(v, str) and "." in v:
                v = "*." + v.split(".", 1)[1]
            else:
                v = clockless(v)
            out[key] = v
        return out
    if isinstance(value, list):
        return [clockless(v) for v in value]
    return value


class AdminSameAnswersTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kerbside-admin-same-")
        cls.pg = pgcluster.Cluster().create()
        try:
            demo = kerbside.make_demo_db(os.path.join(cls.tmp, "demo.db"))
            sqlite_db = kerbside.copy_db(demo, os.path.join(cls.tmp, "served.db"))
            dirs = {}
            for name in ("sqlite", "pg", "media"):
                dirs[name] = os.path.join(cls.tmp, name)
                os.makedirs(dirs[name])
            cls.servers = [kerbside.Server(sqlite_db, dirs["sqlite"]).start(),
                           kerbside.Server(cls.pg.uri, dirs["pg"], args=["--media", dirs["media"]])]
            # The server makes the schema; then the demo's rows go in.
            cls.servers[1].start().stop()
            subprocess.run([sys.executable, os.path.join(HERE, "copy_sqlite.py"), demo, cls.pg.uri],
                           check=True, timeout=600)
            cls.servers[1].start()
            cls.tokens = []
            for server in cls.servers:
                r = server.req("POST", "/api/v1/auth/login",
                               json={"email": kerbside.ADMIN, "password": kerbside.PASSWORD})
                assert r.status == 200, r
                cls.tokens.append(r.body["token"])
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for server in getattr(cls, "servers", []):
            server.stop()
        cls.servers = []
        cls.pg.destroy()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def same(self, method, path, body=None, status=None):
        """Sends the request to both servers; asserts the same answer (and the
        status, if given); returns the PostgreSQL one's body."""
        answers = []
        for server, token in zip(self.servers, self.tokens):
            r = server.req(method, path, token=token, json=body)
            answers.append((r.status, clockless(r.body) if r.body is not None else r.raw))
        self.assertEqual(answers[1], answers[0],
                         "%s %s: PostgreSQL (first) and SQLite answer differently" % (method, path))
        if status is not None:
            self.assertEqual(answers[0][0], status, "%s %s: %r" % (method, path, answers[0]))
        return answers[1][1]

    def test_1_reads(self):
        body = self.same("GET", "/api/v1/body", status=200)
        self.assertEqual(body["id"], 1)
        for path in ("/api/v1/categories", "/api/v1/categories?all=1", "/api/v1/priorities",
                     "/api/v1/templates", "/api/v1/templates?category_id=3", "/api/v1/roles",
                     "/api/v1/staff", "/api/v1/staff?search=IN", "/api/v1/staff?limit=2",
                     "/api/v1/staff?active=false", "/api/v1/staff/2"):
            self.same("GET", path, status=200)
        self.same("GET", "/api/v1/staff/999", status=404)

    def test_2_dashboard(self):
        summary = self.same("GET", "/api/v1/dashboard/summary", status=200)
        self.assertGreater(summary["total"], 0)
        for days in ("", "?days=7", "?days=90", "?days=365"):
            self.same("GET", "/api/v1/dashboard/timeline" + days, status=200)
        for by in ("category", "state", "ward", "priority"):
            stats = self.same("GET", "/api/v1/dashboard/stats?by=" + by, status=200)
            self.assertTrue(stats["rows"])
            self.same("GET", "/api/v1/dashboard/stats?by=%s&from=2025-01-01&to=2026-06-30" % by,
                      status=200)
        csv = self.same("GET", "/api/v1/dashboard/export.csv", status=200)
        self.assertGreater(csv.count("\n"), summary["total"])
        self.same("GET", "/api/v1/dashboard/export.csv?from=2025-06-01&to=2026-01-01", status=200)

    def test_3_writes(self):
        category = self.same("POST", "/api/v1/categories",
                             {"code": "zz_new", "name": "Zeta", "groups": ["A", "B"],
                              "destination": "roads@example.org"}, status=201)
        cid = category["id"]
        self.same("POST", "/api/v1/categories", {"code": "zz_new", "name": "Zeta"}, status=409)
        self.same("PATCH", "/api/v1/categories/%d" % cid,
                  {"name": "Alpha", "destination": None, "active": False}, status=200)
        self.same("PATCH", "/api/v1/categories/%d" % cid, {"code": "potholes"}, status=409)

        priority = self.same("POST", "/api/v1/priorities",
                             {"name": "Soon", "response_hours": 12, "category_ids": [1, 3]},
                             status=201)
        pid = priority["id"]
        self.same("PATCH", "/api/v1/priorities/%d" % pid,
                  {"response_hours": None, "position": 7, "category_ids": [2]}, status=200)
        self.same("DELETE", "/api/v1/priorities/4", status=409)      # reports use it
        self.same("DELETE", "/api/v1/priorities/%d" % pid, status=204)

        template = self.same("POST", "/api/v1/templates",
                             {"title": "T", "text": "Body", "state": "fixed", "category_ids": [1]},
                             status=201)
        tid = template["id"]
        self.same("PATCH", "/api/v1/templates/%d" % tid, {"state": None, "category_ids": []},
                  status=200)
        self.same("DELETE", "/api/v1/templates/%d" % tid, status=204)
        # SQLite gives the next object the id after the highest there is, so the
        # deleted newest one's id again: so must PostgreSQL.
        again = self.same("POST", "/api/v1/templates", {"title": "T2", "text": "Body"}, status=201)
        self.assertEqual(again["id"], tid)

        role = self.same("POST", "/api/v1/roles",
                         {"name": "Night", "permissions": ["view_dashboard", "edit_templates"]},
                         status=201)
        rid = role["id"]
        # Role names are unique in a council whatever their case.
        self.same("POST", "/api/v1/roles", {"name": "NIGHT", "permissions": []}, status=409)
        self.same("PATCH", "/api/v1/roles/%d" % rid,
                  {"name": "Evening", "permissions": ["manage_staff"]}, status=200)

        staff = self.same("POST", "/api/v1/staff",
                          {"email": "New@Example.org", "name": "New One",
                           "password": "a long enough password 123", "role_ids": [rid, 1],
                           "permissions": ["view_dashboard"]}, status=201)
        sid = staff["id"]
        # Email addresses are unique whatever their case.
        self.same("POST", "/api/v1/staff", {"email": "new@example.ORG", "name": "Dup",
                                            "password": "a long enough password 123"}, status=409)
        self.same("PATCH", "/api/v1/staff/%d" % sid,
                  {"name": "Renamed", "active": False, "role_ids": [2]}, status=200)
        self.same("GET", "/api/v1/staff/%d" % sid, status=200)
        self.same("DELETE", "/api/v1/roles/%d" % rid, status=204)
        self.same("POST", "/api/v1/roles", {"name": "Weekend", "permissions": []}, status=201)
        self.same("PATCH", "/api/v1/body", {"require_2fa": False, "password_min_length": 10},
                  status=200)

        for path in ("/api/v1/body", "/api/v1/categories", "/api/v1/priorities",
                     "/api/v1/templates", "/api/v1/roles", "/api/v1/staff",
                     "/api/v1/staff?active=false", "/api/v1/dashboard/summary"):
            self.same("GET", path, status=200)

    def test_4_audit(self):
        log = self.same("GET", "/api/v1/audit", status=200)
        self.assertTrue(log["entries"])
        for query in ("?object_type=role", "?object_type=user&object_id=2", "?user_id=4"):
            self.same("GET", "/api/v1/audit" + query, status=200)
        # Page by page, each server through its own cursor (its clock's times).
        pages = []
        for server, token in zip(self.servers, self.tokens):
            seen, cursor = [], None
            for _ in range(100):
                query = {"limit": 4, "object_type": "user"}
                if cursor:
                    query["cursor"] = cursor
                r = server.req("GET", "/api/v1/audit", token=token, query=query)
                self.assertEqual(r.status, 200, r)
                seen.append(clockless(r.body))
                cursor = r.body["next_cursor"]
                if not cursor:
                    break
            pages.append(seen)
        self.assertGreater(len(pages[0]), 1)
        self.assertEqual(pages[1], pages[0])
        # A cursor that is not one is refused alike.
        self.same("GET", "/api/v1/audit?cursor=nonsense", status=422)

if __name__ == "__main__":
    pgcluster.run_unittests()
