#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Councils and their boundaries: `kerbside-server council` and `boundaries
import` (and their errors), the councils API for platform operators (and its
refusal to everyone else), the wards every report gets from the polygons (staff
creation, Open311, a location change, every report after an import), points
outside the council's area refused, and the boundaries the app reads."""

import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import time
import unittest
import urllib.parse

import kerbside
from kerbside import ServerTestCase, PASSWORD, ADMIN, INSPECTOR, CUSTOMER_SERVICES, unwrap

OPERATOR = "operator@demo.invalid"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# A test council's shapes over the demo town (longitude, latitude): West and
# East split the area at -1.25; East is a MultiPolygon whose first polygon has a
# hole, which is the ward "Hole"; its second polygon is an island off to the east.
AREA = [[-1.32, 51.70], [-1.16, 51.70], [-1.16, 51.80], [-1.32, 51.80], [-1.32, 51.70]]
WEST = [[-1.32, 51.70], [-1.25, 51.70], [-1.25, 51.80], [-1.32, 51.80], [-1.32, 51.70]]
EAST_OUTER = [[-1.25, 51.70], [-1.17, 51.70], [-1.17, 51.80], [-1.25, 51.80], [-1.25, 51.70]]
HOLE = [[-1.23, 51.74], [-1.21, 51.74], [-1.21, 51.76], [-1.23, 51.76], [-1.23, 51.74]]
EAST_ISLAND = [[-1.169, 51.75], [-1.161, 51.75], [-1.161, 51.76], [-1.169, 51.76], [-1.169, 51.75]]


def feature(name, geometry, prop="WD23NM"):
    return {"type": "Feature", "properties": {prop: name, "other": 1}, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


WARDS = collection(
    feature("West", {"type": "Polygon", "coordinates": [WEST]}),
    feature("East", {"type": "MultiPolygon",
                     "coordinates": [[EAST_OUTER, list(reversed(HOLE))], [EAST_ISLAND]]}),
    feature("Hole", {"type": "Polygon", "coordinates": [HOLE]}))
AREA_FC = collection(feature("Test Town", {"type": "Polygon", "coordinates": [AREA]}))


def expected_ward(lat, lon):
    if -1.23 < lon < -1.21 and 51.74 < lat < 51.76:
        return "Hole"
    if lon < -1.25:
        return "West"
    if lon < -1.17 or (-1.169 < lon < -1.161 and 51.75 < lat < 51.76):
        return "East"
    return ""


def totp(secret):
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    o = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class CouncilsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = os.path.join(cls.tmp, "files")
        os.makedirs(cls.files)
        for name, doc in (("area.geojson", AREA_FC), ("wards.geojson", WARDS)):
            with open(os.path.join(cls.files, name), "w") as f:
                json.dump(doc, f)

    # -- helpers ----------------------------------------------------------------

    def cli(self, *args):
        res = subprocess.run([kerbside.server_binary()] + list(args[:1]) + ["--db", self.server.db]
                             + list(args[1:]), capture_output=True, text=True, timeout=300)
        return res.returncode, res.stdout + res.stderr

    def path(self, name):
        return os.path.join(self.files, name)

    def write(self, name, doc):
        with open(self.path(name), "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return self.path(name)

    def import_test_wards(self):
        code, out = self.cli("boundaries", "import", "--council", "oxford", "--area",
                             self.path("area.geojson"), "--wards", self.path("wards.geojson"),
                             "--name-property", "WD23NM")
        self.assertEqual(code, 0, out)
        return out

    def operator_token(self):
        if getattr(self, "_operator", None):
            return self._operator
        import crypt
        h = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
        if not self.server.sql("SELECT id FROM users WHERE email = ?", (OPERATOR,)):
            self.server.sql("INSERT INTO users (email, name, password_hash, is_superuser, created, "
                            "updated) VALUES (?, 'Operator', ?, 1, 0, 0)", (OPERATOR, h))
        token = self.server.login(OPERATOR)
        setup = self.ok(self.req("POST", "/api/v1/account/2fa/setup", token=token,
                                 json={"password": PASSWORD}))
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.2)
        self.ok(self.req("POST", "/api/v1/account/2fa/enable", token=token,
                         json={"code": totp(setup["secret"])}))
        type(self)._operator = token
        return token

    def new_report(self, lat, lon, token=None):
        cat = self.active_category(self.token(CUSTOMER_SERVICES))
        return self.req("POST", "/api/v1/reports", token=token or self.token(CUSTOMER_SERVICES),
                        json={"category_id": cat["id"], "title": "Ward test", "detail": "x",
                              "lat": lat, "lon": lon, "as_council": True})

    def open311_key(self):
        if getattr(self, "_key", None):
            return self._key
        r = self.req("POST", "/api/v1/api-keys", token=self.token(ADMIN), json={"name": "Ward tests"})
        self.assertEqual(r.status, 201, r)
        type(self)._key = r.body["key"]
        return self._key

    def open311_post(self, **fields):
        form = {"api_key": self.open311_key(), "service_code": "graffiti",
                "description": "Tag on a wall", "email": "ward.test@example.org"}
        form.update(fields)
        return self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form),
                        headers=FORM)

    def count_reports(self):
        return self.server.sql("SELECT count(*) FROM reports")[0][0]

    # -- the command line -----------------------------------------------------

    def test_a_council_command(self):
        code, out = self.cli("council", "create", "--name", "Testshire County Council",
                             "--slug", "testshire", "--email", "streets@testshire.example",
                             "--public-url", "https://testshire.example/report",
                             "--require-2fa", "yes", "--password-min-length", "10",
                             "--duplicate-radius", "75", "--retain-reporters-days", "730",
                             "--retain-audit-days", "2555")
        self.assertEqual(code, 0, out)
        self.assertIn("Testshire County Council", out)
        row = self.server.sql("SELECT id, name, email, public_url, require_2fa, password_min_length, "
                              "duplicate_radius, retention_reporter_days, retention_audit_days "
                              "FROM bodies WHERE slug = 'testshire'")
        self.assertEqual(list(row[0][1:]), ["Testshire County Council", "streets@testshire.example",
                                            "https://testshire.example/report", 1, 10, 75, 730, 2555])
        tid = row[0][0]
        # its default roles, and the audit entry
        self.assertEqual(self.server.sql("SELECT count(*) FROM roles WHERE body_id = ?", (tid,))[0][0], 4)
        audit = self.server.sql("SELECT details FROM audit_log WHERE action = 'create_body' AND "
                                "object_id = ?", (tid,))
        self.assertEqual(json.loads(audit[0][0])["via"], "command line")

        code, out = self.cli("council", "edit", "--council", "testshire", "--require-2fa", "no",
                             "--public-url", "")
        self.assertEqual(code, 0, out)
        self.assertEqual(list(self.server.sql("SELECT require_2fa, public_url FROM bodies WHERE id = ?",
                                              (tid,))[0]), [0, None])
        code, out = self.cli("council", "list")
        self.assertEqual(code, 0, out)
        self.assertIn("testshire", out)
        self.assertIn("oxford", out)

        before = self.server.sql("SELECT * FROM bodies ORDER BY id")
        for args, status, words in (
                (("council", "create", "--name", "Again", "--slug", "testshire"), 1, "belongs to council"),
                (("council", "create", "--name", "Bad", "--slug", "Bad Slug"), 1, "not usable"),
                (("council", "create", "--slug", "noname"), 1, "needs a name"),
                (("council", "create", "--name", "X", "--slug", "x", "--email", "nope"), 1, "not a valid email"),
                (("council", "create", "--name", "X", "--slug", "x", "--public-url", "ftp://x"), 1, "https://"),
                (("council", "create", "--name", "X", "--slug", "x", "--password-min-length", "3"), 1, "from 6 to 64"),
                (("council", "create", "--name", "X", "--slug", "x", "--require-2fa", "maybe"), 2, "yes or no"),
                (("council", "edit", "--council", "atlantis", "--require-2fa", "yes"), 1, "no council"),
                (("council", "edit", "--council", "testshire"), 2, "say what to change"),
                (("council", "edit", "--council", "testshire", "--slug", "oxford"), 1, "belongs to council"),
                (("council", "frobnicate"), 2, "create, edit or list")):
            with self.subTest(args=args):
                code, out = self.cli(*args)
                self.assertEqual(code, status, out)
                self.assertIn(words, out)
        self.assertEqual(self.server.sql("SELECT * FROM bodies ORDER BY id"), before)

    def test_b_boundaries_import_errors_change_nothing(self):
        version = self.server.sql("SELECT value FROM meta WHERE key = 'boundaries'")[0][0]
        stored = self.server.sql("SELECT count(*) FROM boundaries")[0][0]
        line = collection(feature("Line", {"type": "LineString", "coordinates": [[-1.2, 51.7], [-1.1, 51.8]]}))
        bng = collection(feature("Grid", {"type": "Polygon", "coordinates": [[[450000, 200000], [451000, 200000], [451000, 201000], [450000, 200000]]]}))
        bowtie = collection(feature("Bowtie", {"type": "Polygon", "coordinates": [[[-1.3, 51.7], [-1.2, 51.8], [-1.2, 51.7], [-1.3, 51.8], [-1.3, 51.7]]]}))
        cases = (
            (["--wards", self.write("line.geojson", line)], "is a LineString"),
            (["--wards", self.write("bng.geojson", bng)], "EPSG:4326"),
            (["--wards", self.write("bowtie.geojson", bowtie)], "not a valid polygon"),
            (["--wards", self.write("notjson.geojson", "{not json")], "not JSON"),
            (["--wards", self.write("feature.geojson", WARDS["features"][0])], "not a GeoJSON FeatureCollection"),
            (["--wards", self.path("wards.geojson"), "--name-property", "NAME"], "no property “NAME”"),
            (["--wards", self.path("missing.geojson")], "missing.geojson"),
        )
        for extra, words in cases:
            with self.subTest(words=words):
                args = ["boundaries", "import", "--council", "oxford"] + extra
                if "--name-property" not in extra:
                    args += ["--name-property", "WD23NM"]
                code, out = self.cli(*args)
                self.assertEqual(code, 1, out)
                self.assertIn(words, out)
        code, out = self.cli("boundaries", "import", "--council", "atlantis", "--wards",
                             self.path("wards.geojson"), "--name-property", "WD23NM")
        self.assertEqual(code, 1, out)
        self.assertIn("no council “atlantis”", out)
        code, out = self.cli("boundaries", "import", "--council", "oxford")
        self.assertEqual(code, 2, out)
        self.assertEqual(self.server.sql("SELECT value FROM meta WHERE key = 'boundaries'")[0][0], version)
        self.assertEqual(self.server.sql("SELECT count(*) FROM boundaries")[0][0], stored)

    def test_c_import_rewards_every_report_and_the_running_server_follows(self):
        token = self.token(INSPECTOR)
        seq = self.current_seq(token)
        # the demo's approximate wards are in use before the import
        demo = self.ok(self.req("GET", "/api/v1/boundaries", token=token))
        self.assertEqual(len(demo["wards"]), 24)
        self.assertEqual(demo["area"]["name"], "Oxford")

        out = self.import_test_wards()
        self.assertIn("Read 3 wards of “Test Town”", out)
        self.assertRegex(out, r"Wards of reports: \d+ checked, \d+ changed")
        # every report has the ward its point falls in
        rows = self.server.sql("SELECT id, lat, lon, ward FROM reports WHERE body_id = "
                               "(SELECT id FROM bodies WHERE slug = 'oxford')")
        wrong = [(i, lat, lon, w) for i, lat, lon, w in rows if w != expected_ward(lat, lon)]
        self.assertEqual(wrong, [])
        self.assertEqual({w for _, _, _, w in rows} - {""}, {"West", "East", "Hole"})
        # audited: the import and the re-warding, with the count
        audit = dict(self.server.sql("SELECT action, details FROM audit_log WHERE action IN "
                                     "('import_boundaries', 'reward_reports') ORDER BY id"))
        self.assertEqual(json.loads(audit["import_boundaries"])["wards"], 3)
        self.assertEqual(json.loads(audit["reward_reports"])["reports"], len(rows))
        # the changed reports come down in a sync
        changed = self.sync_all(token, since=seq)[0]
        self.assertGreater(len(changed), 0)
        self.assertTrue(all(r["ward"] in ("West", "East", "Hole") for r in changed))

        # what the app reads
        b = self.ok(self.req("GET", "/api/v1/boundaries", token=token))
        self.assertEqual([w["name"] for w in b["wards"]], ["East", "Hole", "West"])
        self.assertEqual(b["area"]["name"], "Test Town")
        east = b["wards"][0]
        self.assertEqual(east["geometry"]["type"], "MultiPolygon")
        self.assertEqual(len(east["geometry"]["coordinates"][0]), 2)  # the outer ring and the hole
        self.assertEqual([round(v, 3) for v in east["bbox"]], [-1.25, 51.7, -1.161, 51.8])

        # the running server noticed the import: new reports take the new wards
        for lat, lon, ward in ((51.75, -1.22, "Hole"), (51.75, -1.24, "East"),
                               (51.755, -1.165, "East"), (51.75, -1.30, "West")):
            with self.subTest(point=(lat, lon)):
                rep = unwrap(self.ok(self.new_report(lat, lon), 201), "report")
                self.assertEqual(rep["ward"], ward)
        # inside the area but in no ward: no ward
        rep = unwrap(self.ok(self.new_report(51.72, -1.165), 201), "report")
        self.assertEqual(rep["ward"], "")

    def test_d_outside_refused(self):
        self.import_test_wards()
        n = self.count_reports()
        r = self.new_report(51.5074, -0.1278)
        err = self.assertError(r, 422, "outside_area")
        self.assertIn("outside Test Town's area", err["message"])
        # Open311: 400 with the reason
        r = self.open311_post(lat="51.5074", long="-0.1278")
        self.assertEqual(r.status, 400, r)
        self.assertIn("outside Test Town's area", r.body[0]["description"])
        self.assertEqual(self.count_reports(), n)
        # inside: the ward from the polygons
        r = self.open311_post(lat="51.745", long="-1.215")
        self.assertEqual(r.status, 200, r)
        rid = int(r.body[0]["service_request_id"])
        self.assertEqual(self.server.sql("SELECT ward FROM reports WHERE id = ?", (rid,))[0][0], "Hole")

        # a location change follows the polygons, and may not leave the area
        rep = unwrap(self.ok(self.new_report(51.75, -1.30), 201), "report")
        self.assertEqual(rep["ward"], "West")
        r = self.req("POST", "/api/v1/reports/%d/location" % rep["id"], token=self.token(INSPECTOR),
                     json={"lat": 51.755, "lon": -1.219, "version": rep["version"]})
        moved = unwrap(self.ok(r, 200), "report")
        self.assertEqual(moved["ward"], "Hole")
        r = self.req("POST", "/api/v1/reports/%d/location" % rep["id"], token=self.token(INSPECTOR),
                     json={"lat": 52.2, "lon": 0.12, "version": moved["version"]})
        self.assertError(r, 422, "outside_area")
        self.assertEqual(self.detail(self.token(ADMIN), rep["id"])["ward"], "Hole")

    # -- the councils API ---------------------------------------------------------

    def test_e_councils_api_operators_only(self):
        admin = self.token(ADMIN)
        for method, path, body in (("GET", "/api/v1/councils", None),
                                   ("POST", "/api/v1/councils", {"name": "Nope", "slug": "nope"}),
                                   ("PATCH", "/api/v1/councils/1", {"name": "Renamed"})):
            with self.subTest(path=path, method=method):
                err = self.assertError(self.req(method, path, token=admin, json=body), 403, "forbidden")
                self.assertIn("platform operators", err["message"])
        self.assertEqual(self.server.sql("SELECT count(*) FROM bodies WHERE slug = 'nope'")[0][0], 0)
        # a council's administrator changes its settings, not its name
        r = self.req("PATCH", "/api/v1/body", token=admin,
                     json={"duplicate_radius": 60, "retention_audit_days": 400,
                           "email": "streets@oxford.example"})
        body = self.ok(r, 200)
        self.assertEqual((body["duplicate_radius"], body["retention_audit_days"], body["email"]),
                         (60, 400, "streets@oxford.example"))
        self.assertError(self.req("PATCH", "/api/v1/body", token=admin, json={"name": "Renamed"}),
                         422, "unknown_field")
        # a new category takes the council's duplicate radius unless it is given one
        for code, given, radius in (("ward-test-a", None, 60), ("ward-test-b", 25, 25)):
            body = {"code": code, "name": code}
            if given is not None:
                body["duplicate_radius"] = given
            cat = unwrap(self.ok(self.req("POST", "/api/v1/categories", token=admin, json=body), 201),
                         "category")
            self.assertEqual(cat["duplicate_radius"], radius, cat)
        self.assertError(self.req("PATCH", "/api/v1/body", token=self.token(INSPECTOR),
                                  json={"duplicate_radius": 70}), 403)

        op = self.operator_token()
        councils = self.ok(self.req("GET", "/api/v1/councils", token=op))["councils"]
        self.assertIn("oxford", [c["slug"] for c in councils])
        r = self.req("POST", "/api/v1/councils", token=op,
                     json={"name": "Brightwell Borough Council", "slug": "brightwell",
                           "require_2fa": True, "retention_reporter_days": 365})
        created = self.ok(r, 201)
        self.assertEqual(r.headers["Location"], "/api/v1/councils/%d" % created["id"])
        self.assertEqual((created["require_2fa"], created["retention_reporter_days"],
                          created["duplicate_radius"], created["password_min_length"]),
                         (True, 365, 50, 8))
        self.assertError(self.req("POST", "/api/v1/councils", token=op,
                                  json={"name": "Other", "slug": "brightwell"}), 409)
        self.assertError(self.req("POST", "/api/v1/councils", token=op,
                                  json={"name": "Other", "slug": "Not A Slug"}), 422)
        self.assertError(self.req("POST", "/api/v1/councils", token=op, json={"name": "Other"}), 422)
        edited = self.ok(self.req("PATCH", "/api/v1/councils/%d" % created["id"], token=op,
                                  json={"name": "Brightwell District Council",
                                        "public_url": "https://brightwell.example"}))
        self.assertEqual((edited["name"], edited["public_url"], edited["slug"]),
                         ("Brightwell District Council", "https://brightwell.example", "brightwell"))
        self.assertError(self.req("PATCH", "/api/v1/councils/999999", token=op,
                                  json={"name": "Ghost"}), 404)
        actions = [a for (a,) in self.server.sql(
            "SELECT action FROM audit_log WHERE object_type = 'body' AND object_id = ? ORDER BY id",
            (created["id"],))]
        self.assertEqual(actions, ["create_body", "update_body"])
        # a new council without boundaries: no wards to offer yet
        b = self.ok(self.req("GET", "/api/v1/boundaries?body_id=%d" % created["id"], token=op))
        self.assertEqual((b["area"], b["wards"]), (None, []))

    def test_f_operator_syncs_one_council(self):
        """A platform operator's sync and states name one council (the app keeps a
        cache per council); staff may not name another."""
        op = self.operator_token()
        oxford = self.me(self.token(ADMIN))["body"]["id"]
        other = self.ok(self.req("POST", "/api/v1/councils", token=op,
                                 json={"name": "Sync Test Council", "slug": "sync-test"}), 201)
        cat = unwrap(self.ok(self.req("POST", "/api/v1/categories", token=op,
                                      json={"body_id": other["id"], "code": "POT", "name": "Potholes"}),
                             201), "category")
        mine = unwrap(self.ok(self.req("POST", "/api/v1/reports", token=op,
                                       json={"category_id": cat["id"], "title": "Other council's",
                                             "detail": "x", "lat": 51.75, "lon": -1.25,
                                             "as_council": True}), 201), "report")
        self.ok(self.req("POST", "/api/v1/council-states", token=op,
                         json={"body_id": other["id"], "code": "sync_test_waiting",
                               "label": "Waiting (sync test)", "kind": "open"}), 201)

        theirs, _, _ = self.sync_all(op, body_id=other["id"])
        self.assertEqual([r["id"] for r in theirs], [mine["id"]])
        oxfords, _, _ = self.sync_all(op, body_id=oxford)
        self.assertGreater(len(oxfords), 10)
        self.assertNotIn(mine["id"], [r["id"] for r in oxfords])
        everything, _, _ = self.sync_all(op)
        self.assertIn(mine["id"], [r["id"] for r in everything])
        self.assertEqual(len(everything), len(oxfords) + 1)
        self.assertError(self.req("GET", "/api/v1/sync", token=op, query={"body_id": 999999}), 404)
        # Staff: their own council is allowed, another is not found.
        self.ok(self.req("GET", "/api/v1/sync", token=self.token(INSPECTOR), query={"body_id": oxford}))
        self.assertError(self.req("GET", "/api/v1/sync", token=self.token(INSPECTOR),
                                  query={"body_id": other["id"]}), 404)

        def state_ids(**query):
            body = self.ok(self.req("GET", "/api/v1/states", token=op, query=query))
            return {s["id"] for s in body["states"]}
        self.assertIn("sync_test_waiting", state_ids(body_id=other["id"]))
        self.assertNotIn("sync_test_waiting", state_ids(body_id=oxford))
        self.assertIn("confirmed", state_ids(body_id=oxford))

    def test_g_settings_error_names_the_field(self):
        op = self.operator_token()
        council = self.ok(self.req("POST", "/api/v1/councils", token=op,
                                   json={"name": "Field Test Council", "slug": "field-test"}), 201)
        for fields, field in (({"public_url": "ftp://files.example"}, "public_url"),
                              ({"email": "not an address", "duplicate_radius": 20}, "email"),
                              ({"password_min_length": 3}, "password_min_length"),
                              ({"retention_audit_days": 40000}, "retention_audit_days"),
                              ({"retention_staff_days": 40000}, "retention_staff_days")):
            r = self.req("PATCH", "/api/v1/councils/%d" % council["id"], token=op, json=fields)
            self.assertError(r, 422, "invalid")
            self.assertEqual(r.body["error"]["field"], field, r)
        again = self.ok(self.req("GET", "/api/v1/body", token=op, query={"body_id": council["id"]}))
        self.assertEqual((again["public_url"], again["email"], again["duplicate_radius"]), (None, None, 50))
        r = self.req("PATCH", "/api/v1/body", token=self.token(ADMIN), json={"public_url": "oxford"})
        self.assertError(r, 422, "invalid")
        self.assertEqual(r.body["error"]["field"], "public_url")


if __name__ == "__main__":
    unittest.main(verbosity=2)
