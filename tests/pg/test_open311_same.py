#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open311 on both stores: one installation (demo data, a category with extra
questions, a private category, an API key) served from SQLite and, moved by
migrate-store, from PostgreSQL. Every Open311 answer (XML and JSON: services,
definitions, request lists with each filter, single requests, update windows,
errors) is byte for byte the same on both; so are the answers to the same
client writes (reports with attributes, updates, a repeated update id), what
they change, and API keys issued, listed and revoked on each store."""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402

V2 = "/open311/v2/"
EPOCH = 946684800                      # 2000-01-01: before any demo report
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
EXTRA = [
    {"code": "depth_cm", "datatype": "number", "required": True, "order": 1,
     "description": "Depth (cm)"},
    {"code": "colour", "datatype": "singlevaluelist", "required": False, "order": 2,
     "description": "Colour", "values": [{"key": "blue", "name": "Blue"},
                                         {"key": "red", "name": "Red"}]},
]


def w3c(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def prepare(path):
    """A category with extra questions and a private one, in the first council."""
    import sqlite3
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO categories (body_id, code, name, group_name, description, active, "
        "private, extra, updated) SELECT id, 'same_questions', 'Same questions', "
        "'Testing|Roads', 'Questions \"quoted\" & <marked>.', 1, 0, ?, 0 "
        "FROM bodies ORDER BY id LIMIT 1", (json.dumps(EXTRA),))
    con.execute(
        "INSERT INTO categories (body_id, code, name, group_name, description, active, "
        "private, extra, updated) SELECT id, 'same_private', 'Private matters', '', '', 1, 1, "
        "'[]', 0 FROM bodies ORDER BY id LIMIT 1")
    con.commit()
    con.close()


class Open311SameTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        try:
            pgcluster.find_bindir()
        except pgcluster.Missing as e:
            raise unittest.SkipTest(str(e))
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        os.chmod(cls.dir, 0o755)
        cls.db = kerbside.make_demo_db(os.path.join(cls.dir, "kerbside.db"))
        prepare(cls.db)
        # The council's places (moved with the rest), for requests by address.
        res = subprocess.run([kerbside.server_binary(), "places", "import", "--db", cls.db,
                              "--council", "1",
                              os.path.join(HERE, "..", "data", "os-open-names-sample.csv")],
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        res = subprocess.run([kerbside.server_binary(), "apikey", "create", "--db", cls.db,
                              "--name", "FixMyStreet (same)"],
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        cls.key = res.stdout.strip()
        cls.pg = pgcluster.Cluster().create()
        res = subprocess.run([kerbside.server_binary(), "migrate-store", "--from", cls.db,
                              "--to", cls.pg.uri, "--media-to", os.path.join(cls.dir, "pg-media")],
                             capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stdout + res.stderr
        cls.servers = []
        for name, db in (("sqlite", cls.db), ("postgresql", cls.pg.uri)):
            work = os.path.join(cls.dir, name)
            os.makedirs(work)
            args = ["--media", os.path.join(work, "media")]
            cls.servers.append(kerbside.Server(db, work, args=args, test_clock=True).start())
        # Both servers' clocks are held at the same second for each request.
        cls.now = int(time.time())

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "servers", []):
            s.stop()
        if hasattr(cls, "pg"):
            cls.pg.destroy()
        if hasattr(cls, "tmp"):
            cls.tmp.cleanup()

    def set_clock(self, server):
        """Holds the server's "now" at self.now for the next request (its clock
        reads real time plus an offset: a second is left for the request)."""
        server.clock_offset = self.now + 0.02 - time.time()
        server._write_clock()

    def both(self, method, path, query=None, form=None, token=None, json_body=None):
        """The same request to both servers; asserts the same status, type and
        bytes; returns the SQLite server's answer."""
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        answers = []
        for s in self.servers:
            self.set_clock(s)
            if form is not None:
                r = s.req(method, path, body=urllib.parse.urlencode(form, doseq=True),
                          headers=FORM, token=token)
            else:
                r = s.req(method, path, token=token, json=json_body)
            answers.append(r)
        a, b = answers
        self.assertEqual((a.status, a.headers.get("Content-Type")),
                         (b.status, b.headers.get("Content-Type")), "%s %s" % (method, path))
        self.assertEqual(a.raw, b.raw, "%s %s: the stores answer differently" % (method, path))
        return a

    def assertSameRows(self, sql, at_least):
        """The same rows in both databases (as psql prints them: NULL as "", so one
        line a row: texts that may hold a line break are compared by length)."""
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            lite = [["" if v is None else str(v) for v in row] for row in con.execute(sql)]
        finally:
            con.close()
        self.assertGreaterEqual(len(lite), at_least, sql)
        self.assertEqual(lite, self.pg.psql(sql), sql)

    def reads(self):
        """Every kind of Open311 read, in both formats; returns how many answers
        listed something."""
        created = json.loads(self.both("GET", V2 + "requests.json",
                                       query={"page_size": 1000, "start_date": w3c(EPOCH)}).raw)
        self.assertGreater(len(created), 100)
        ids = [int(r["service_request_id"]) for r in created]
        codes = sorted({r["service_code"] for r in created})
        times = sorted(int(time.mktime(time.strptime(r["requested_datetime"][:19],
                                                     "%Y-%m-%dT%H:%M:%S"))) - time.timezone
                       for r in created)
        mid = times[len(times) // 2]
        queries = [
            {},
            {"start_date": w3c(EPOCH)},
            {"status": "open", "start_date": w3c(EPOCH)},
            {"status": "closed", "start_date": w3c(EPOCH), "page_size": 7, "page": 2},
            {"status": "open,closed"},
            {"service_code": ",".join(codes[:2]), "start_date": w3c(EPOCH)},
            {"service_code": "same_questions,no_such_code"},
            {"start_date": w3c(mid), "end_date": w3c(mid + 86400 * 3)},
            {"end_date": w3c(mid)},
            {"service_request_id": ",".join(str(i) for i in ids[::7] + [1, 2, 3, 999999])},
            {"service_request_id": str(ids[0]), "status": "closed"},
            {"page_size": 5, "page": 3, "start_date": w3c(EPOCH)},
            {"page": 1000000},
            {"status": "sideways"},
            {"service_request_id": "x"},
            {"jurisdiction_id": "nowhere"},
        ]
        for fmt in ("xml", "json"):
            self.both("GET", V2 + "discovery." + fmt)
            services = self.both("GET", V2 + "services." + fmt)
            for code in codes + ["same_questions", "same_private", "no_such_code"]:
                self.both("GET", V2 + "services/%s.%s" % (code, fmt))
            for q in queries:
                self.both("GET", V2 + "requests." + fmt, query=q)
            for rid in ids[:40:3] + [1, 999999]:
                self.both("GET", V2 + "requests/%d.%s" % (rid, fmt))
                self.both("GET", V2 + "tokens/%d.%s" % (rid, fmt))
            for start, end in ((EPOCH, self.now + 1), (mid, mid + 86400 * 5), (self.now - 3600, None),
                               (None, None)):
                q = {"api_key": self.key}
                if start is not None:
                    q["start_date"] = w3c(start)
                if end is not None:
                    q["end_date"] = w3c(end)
                self.both("GET", V2 + "servicerequestupdates." + fmt, query=q)
            self.both("GET", V2 + "servicerequestupdates." + fmt, query={"api_key": "nope"})
        self.assertIn("same_questions", services.raw)
        self.assertNotIn("same_private", services.raw)
        return ids

    def test_1_same_answers_before_and_after_client_writes(self):
        self.reads()
        admin = [s.login(kerbside.ADMIN) for s in self.servers]

        # Client writes: the same answers (ids included), then the same reads. A
        # minute on, the key's use is recorded again, inside the first write.
        self.now += 61
        for fmt in ("xml", "json"):
            r = self.both("POST", V2 + "requests." + fmt, form={
                "api_key": self.key, "service_code": "same_questions", "lat": "51.752",
                "long": "-1.2577", "description": "Deep hole\nby the bus stop.",
                "attribute[depth_cm]": "12", "attribute[colour]": "blue",
                "first_name": "Priya", "last_name": "Same", "email": "priya.same@example.org"})
            self.assertEqual(r.status, 200, r)
            r = self.both("POST", V2 + "requests." + fmt, form={
                "api_key": self.key, "service_code": "same_questions", "lat": "51.752",
                "long": "-1.2577", "description": "No depth"})
            self.assertEqual(r.status, 400, r)
            r = self.both("POST", V2 + "requests." + fmt, form={"api_key": "nope"})
            self.assertEqual(r.status, 403, r)
        rid = json.loads(self.both("POST", V2 + "requests.json", form={
            "api_key": self.key, "service_code": "same_questions", "address_string": "1 High St",
            "description": "By address", "attribute[depth_cm]": "3"}).raw)[0]["service_request_id"]
        update = {"api_key": self.key, "service_request_id": rid, "update_id": "same-1",
                  "status": "IN_PROGRESS", "description": "Any news?",
                  "updated_datetime": w3c(self.now - 5), "first_name": "Priya",
                  "last_name": "Same", "email": "priya.same@example.org"}
        for fmt in ("xml", "json"):       # the second time: the first one's answer
            r = self.both("POST", V2 + "servicerequestupdates." + fmt, form=update)
            self.assertEqual(r.status, 200, r)
        r = self.both("POST", V2 + "servicerequestupdates.json",
                      form=dict(update, update_id="same-2", status="FIXED", description="Done"))
        self.assertEqual(r.status, 200, r)
        r = self.both("POST", V2 + "servicerequestupdates.json",
                      form={"api_key": self.key, "service_request_id": rid,
                            "update_id": "same-3", "description": "Thanks!"})
        self.assertEqual(r.status, 200, r)
        r = self.both("POST", V2 + "servicerequestupdates.json",
                      form=dict(update, service_request_id="999999", update_id="same-4"))
        self.assertEqual(r.status, 404, r)
        self.now += 1
        self.reads()
        self.assertSameRows(
            "SELECT id, body_id, category_id, title, length (detail), ward, address, state, reporter_name, "
            "reporter_email, reporter_phone, show_name, photo, source, created, confirmed, "
            "updated, version, seq FROM reports WHERE source = 'open311' ORDER BY id", 3)
        self.assertSameRows(
            "SELECT report_id, position, code, value FROM report_attributes ORDER BY 1, 2", 3)
        self.assertSameRows(
            "SELECT id, report_id, author_name, author_email, kind, length (text), photo, state, public, "
            "source, external_id, created FROM updates WHERE source = 'open311' ORDER BY id", 3)
        self.assertSameRows("SELECT value FROM meta WHERE key = 'seq'", 1)
        self.assertSameRows("SELECT id, body_id, name, key_hash, created, revoked, last_used "
                            "FROM api_keys ORDER BY id", 1)
        self.assertEqual(self.pg.psql("SELECT last_used FROM api_keys")[0][0], str(self.now - 1))

        # API keys issued, listed and revoked through the staff API on each store.
        issued = []
        for s, token in zip(self.servers, admin):
            self.set_clock(s)
            r = s.req("POST", "/api/v1/api-keys", token=token, json={"name": "Same website"})
            self.assertEqual(r.status, 201, r)
            issued.append(r.body)
        self.assertEqual(issued[0]["api_key"], issued[1]["api_key"])
        lists = []
        for s, token in zip(self.servers, admin):
            r = s.req("GET", "/api/v1/api-keys", token=token)
            self.assertEqual(r.status, 200, r)
            lists.append(r.raw)
        self.assertEqual(lists[0], lists[1])
        self.assertIn('"last_used"', lists[0])
        for s, body in zip(self.servers, issued):
            self.set_clock(s)
            r = s.req("GET", V2 + "servicerequestupdates.json", query={"api_key": body["key"]})
            self.assertEqual(r.status, 200, r)
        kid = issued[0]["api_key"]["id"]
        revoked = []
        for s, token in zip(self.servers, admin):
            self.set_clock(s)
            r = s.req("DELETE", "/api/v1/api-keys/%d" % kid, token=token)
            self.assertEqual(r.status, 200, r)
            revoked.append(r.raw)
        self.assertEqual(revoked[0], revoked[1])
        for s, body in zip(self.servers, issued):
            r = s.req("GET", V2 + "servicerequestupdates.json", query={"api_key": body["key"]})
            self.assertEqual(r.status, 403, r)

    def test_2_apikey_command_on_postgresql(self):
        exe = kerbside.server_binary()

        def run(*args):
            res = subprocess.run([exe, "apikey"] + list(args) + ["--db", self.pg.uri],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            return res.stdout

        key = run("create", "--name", "CLI on PostgreSQL").strip()
        self.assertGreaterEqual(len(key), 40)
        pg = self.servers[1]
        self.set_clock(pg)
        r = pg.req("GET", V2 + "servicerequestupdates.json", query={"api_key": key})
        self.assertEqual(r.status, 200, r)
        listed = run("list")
        line = [x for x in listed.splitlines() if x.endswith("CLI on PostgreSQL")]
        self.assertEqual(len(line), 1, listed)
        self.assertNotIn(key, listed)
        run("revoke", "--id", line[0].split()[0])
        r = pg.req("GET", V2 + "servicerequestupdates.json", query={"api_key": key})
        self.assertEqual(r.status, 403, r)
        line = [x for x in run("list").splitlines() if x.endswith("CLI on PostgreSQL")]
        self.assertNotEqual(line[0].split()[4], "-", line)      # the REVOKED column


if __name__ == "__main__":
    unittest.main(verbosity=2)
