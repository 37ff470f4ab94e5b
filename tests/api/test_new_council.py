#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A council set up from nothing, as docs/admin.md tells its administrator (no
`kerbside-server demo`): an empty database, `council create`, `boundaries import`
of its wards, `places import` of its streets and postcodes, its first
platform operator and a member of staff made with `staff create` (the password
on standard input, the council's password policy applied), its first
administrator made by the platform operator, categories, the member of
staff given an area (a ward and a category), a report inside the area
(its ward from the polygons) and one outside (refused with the reason), an
Open311 request placed by its address alone, and the caller found by phone.
Everything goes through the real kerbside-server binary, on SQLite and on
PostgreSQL."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import kerbside
from kerbside import PASSWORD, PG, Server, unwrap

OPERATOR = "operator@platform.example"
ADMIN_EMAIL = "streets.admin@fenbridge.example"
ADMIN_PASSWORD = "quiet-heron-bridge-7731"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# Fenbridge, a made-up town: two wards side by side, split at latitude 52.20.
SOUTH = [[0.10, 52.18], [0.16, 52.18], [0.16, 52.20], [0.10, 52.20], [0.10, 52.18]]
NORTH = [[0.10, 52.20], [0.16, 52.20], [0.16, 52.22], [0.10, 52.22], [0.10, 52.20]]
WARDS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"ward_name": "Fenbridge South"},
     "geometry": {"type": "Polygon", "coordinates": [SOUTH]}},
    {"type": "Feature", "properties": {"ward_name": "Fenbridge North"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[NORTH]]}}]}
AREA = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"ward_name": "Fenbridge"},
     "geometry": {"type": "Polygon", "coordinates": [
         [[0.10, 52.18], [0.16, 52.18], [0.16, 52.22], [0.10, 52.22], [0.10, 52.18]]]}}]}
PLACES = ("name,kind,context,lat,lon\n"
          "Mill Road,street,Fenbridge,52.1905,0.1350\n"
          "Castle Lane,street,Fenbridge,52.2150,0.1210\n"
          "FB1 4QT,postcode,Fenbridge,52.2102,0.1480\n")


class NewCouncilTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kerbside-new-council-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        if PG:
            cls.db = kerbside.pg_create_db(kerbside.pg_new_name("newcouncil"))
        else:
            cls.db = os.path.join(cls.tmp, "kerbside.db")
        cls.files = {}
        for name, doc in (("wards.geojson", WARDS), ("area.geojson", AREA), ("places.csv", PLACES)):
            path = os.path.join(cls.tmp, name)
            with open(path, "w") as f:
                f.write(doc if isinstance(doc, str) else json.dumps(doc))
            cls.files[name] = path
        cls.server = None

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.stop()

    def cli(self, *args, ok=True, stdin=None):
        res = subprocess.run([kerbside.server_binary()] + list(args[:2]) + ["--db", self.db]
                             + list(args[2:]), capture_output=True, text=True, timeout=300,
                             input=stdin if stdin is not None else "")
        if ok:
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        return res

    def req(self, *args, **kwargs):
        return self.server.req(*args, **kwargs)

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.body

    def report(self, token, report_id):
        return unwrap(self.ok(self.req("GET", "/api/v1/reports/%s" % report_id, token=token)), "report")

    def test_council_from_nothing(self):
        # 1. The schema of an empty database, then the council.
        kerbside.upgrade_db(self.db)
        self.cli("council", "create", "--name", "Fenbridge Borough Council", "--slug", "fenbridge",
                 "--email", "streets@fenbridge.example",
                 "--public-url", "https://www.fenbridge.example/report",
                 "--require-2fa", "no", "--password-min-length", "12", "--duplicate-radius", "40")
        listed = self.cli("council", "list").stdout
        self.assertIn("fenbridge", listed)
        self.assertIn("Fenbridge Borough Council", listed)

        # 2. Its area and wards, named by the property "ward_name".
        out = self.cli("boundaries", "import", "--council", "fenbridge",
                       "--area", self.files["area.geojson"], "--wards", self.files["wards.geojson"],
                       "--name-property", "ward_name")
        self.assertIn("2 wards", out.stdout + out.stderr)
        # A file without the named property is refused, naming the feature.
        bad = self.cli("boundaries", "import", "--council", "fenbridge",
                       "--wards", self.files["wards.geojson"], "--name-property", "WD23NM", ok=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("WD23NM", bad.stderr)

        # 3. Its streets and postcodes.
        out = self.cli("places", "import", "--council", "fenbridge", self.files["places.csv"])
        self.assertIn("3", out.stdout + out.stderr)

        # 4. The first platform operator, with `staff create`: the password is read
        # from standard input (never an argument) and the policy holds.
        users = lambda: self.cli("staff", "list").stdout
        r = self.cli("staff", "create", "--superuser", "--email", OPERATOR, "--name", "Platform Operator",
                     "--password", PASSWORD, ok=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--password", r.stderr)
        r = self.cli("staff", "create", "--superuser", "--email", OPERATOR, "--name", "Platform Operator",
                     "--bcrypt-cost", "4", stdin="", ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("standard input", r.stderr)
        r = self.cli("staff", "create", "--superuser", "--email", OPERATOR, "--name", "Platform Operator",
                     "--bcrypt-cost", "4", stdin="password\n", ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Nothing was changed", r.stderr)
        self.assertNotIn(OPERATOR, users())
        out = self.cli("staff", "create", "--superuser", "--email", OPERATOR.upper(),
                       "--name", "Platform Operator", "--bcrypt-cost", "4", stdin=PASSWORD + "\n").stdout
        self.assertIn("platform operator", out)
        # A second account with the same address (in any case) is refused.
        r = self.cli("staff", "create", "--superuser", "--email", OPERATOR, "--name", "Again",
                     "--bcrypt-cost", "4", stdin=PASSWORD + "\n", ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already an account", r.stderr)
        # A council's member of staff: its 12-character policy, and a role it has.
        caller_desk = ["staff", "create", "--council", "Fenbridge Borough Council",
                       "--email", "desk@fenbridge.example", "--name", "Cal Desk",
                       "--role", "customer services", "--bcrypt-cost", "4"]
        r = self.cli(*caller_desk, stdin="heron-77\n", ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("12", r.stderr)
        r = self.cli(*(caller_desk[:-4] + ["--role", "Cashiers"]), stdin=ADMIN_PASSWORD + "\n", ok=False)
        self.assertIn("no role “Cashiers”", r.stderr)
        self.assertNotIn("desk@fenbridge.example", users())
        self.cli(*caller_desk, stdin=ADMIN_PASSWORD + "\n")
        listed = [line.split() for line in users().splitlines()[1:]]
        self.assertEqual([(x[1], x[2], x[3], x[4]) for x in listed],
                         [("-", "yes", "yes", OPERATOR), ("1", "yes", "no", "desk@fenbridge.example")])
        self.assertIn("Customer Services", users())

        # 5. Serve it. The operator sets up two-factor authentication, as operators
        # must, and creates the council's first administrator.
        self.__class__.server = Server(self.db, os.path.join(self.tmp, "serve"),
                                       media=os.path.join(self.tmp, "media"))
        os.makedirs(self.server.workdir, exist_ok=True)
        self.server.start()
        audit = self.server.sql("SELECT action, body_id FROM audit_log WHERE action = 'create_staff' "
                                "ORDER BY id")
        self.assertEqual([tuple(a) for a in audit], [("create_staff", None), ("create_staff", 1)])
        op = self.server.login(OPERATOR)
        self.assertEqual(self.req("GET", "/api/v1/councils", token=op).status, 403)
        setup = self.ok(self.req("POST", "/api/v1/account/2fa/setup", token=op, json={"password": PASSWORD}))
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.2)
        from test_councils import totp
        self.ok(self.req("POST", "/api/v1/account/2fa/enable", token=op, json={"code": totp(setup["secret"])}))

        councils = self.ok(self.req("GET", "/api/v1/councils", token=op))["councils"]
        self.assertEqual([c["slug"] for c in councils], ["fenbridge"])
        council = councils[0]
        self.assertEqual(council["name"], "Fenbridge Borough Council")
        self.assertEqual(council["area_name"], "Fenbridge")
        self.assertEqual(council["password_min_length"], 12)
        self.assertEqual(council["duplicate_radius"], 40)
        body_id = council["id"]

        roles = self.ok(self.req("GET", "/api/v1/roles", token=op, query={"body_id": body_id}))["roles"]
        self.assertEqual(sorted(r["name"] for r in roles),
                         ["Administrators", "Customer Services", "Inspectors", "Internal maintenance"])
        admin_role = [r["id"] for r in roles if r["name"] == "Administrators"]
        # The council's password policy holds for its staff: 12 characters.
        r = self.req("POST", "/api/v1/staff", token=op,
                     json={"body_id": body_id, "email": ADMIN_EMAIL, "name": "Ada Streets",
                           "password": "heron-77", "role_ids": admin_role})
        self.assertEqual(r.status, 422, r)
        self.assertIn("12", r.body["error"]["message"])
        self.ok(self.req("POST", "/api/v1/staff", token=op,
                         json={"body_id": body_id, "email": ADMIN_EMAIL, "name": "Ada Streets",
                               "password": ADMIN_PASSWORD, "role_ids": admin_role}), 201)

        # 6. The administrator signs in and finds their council as configured.
        admin = self.server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        me = self.ok(self.req("GET", "/api/v1/me", token=admin))
        self.assertEqual(me["body"]["slug"], "fenbridge")
        self.assertIn("edit_categories", me["permissions"])
        bounds = self.ok(self.req("GET", "/api/v1/boundaries", token=admin))
        self.assertEqual(sorted(w["name"] for w in bounds["wards"]), ["Fenbridge North", "Fenbridge South"])

        # 7. Categories.
        pothole = unwrap(self.ok(self.req("POST", "/api/v1/categories", token=admin,
                                          json={"code": "POT", "name": "Potholes", "groups": ["Roads"]}),
                                 201), "category")
        self.ok(self.req("POST", "/api/v1/categories", token=admin,
                         json={"code": "LIGHT", "name": "Street light not working",
                               "groups": ["Street lighting"]}), 201)
        cats = self.ok(self.req("GET", "/api/v1/categories", token=admin))["categories"]
        self.assertEqual(sorted(c["code"] for c in cats), ["LIGHT", "POT"])
        self.assertEqual(pothole["duplicate_radius"], 40)
        # The member of staff made on the command line works in an area: a ward
        # of the imported boundaries and the potholes.
        desk = [u for u in self.ok(self.req("GET", "/api/v1/staff", token=admin))["staff"]
                if u["email"] == "desk@fenbridge.example"][0]
        self.ok(self.req("PATCH", "/api/v1/staff/%d" % desk["id"], token=admin,
                         json={"wards": ["Fenbridge South"], "category_ids": [pothole["id"]]}))
        desk_me = self.ok(self.req("GET", "/api/v1/me",
                                   token=self.server.login("desk@fenbridge.example", ADMIN_PASSWORD)))
        self.assertEqual((desk_me["wards"], desk_me["category_ids"]), (["Fenbridge South"], [pothole["id"]]))

        # 8. A report inside the area takes its ward from the polygons...
        inside = unwrap(self.ok(self.req("POST", "/api/v1/reports", token=admin,
                                         json={"category_id": pothole["id"], "title": "Deep pothole",
                                               "detail": "By the bus stop", "lat": 52.2120, "lon": 0.1300,
                                               "as_council": True}), 201), "report")
        detail = self.report(admin, inside["id"])
        self.assertEqual(detail["ward"], "Fenbridge North")
        # ...one outside it is refused with the reason, and nothing is stored.
        before = self.server.sql("SELECT count(*) FROM reports")[0][0]
        r = self.req("POST", "/api/v1/reports", token=admin,
                     json={"category_id": pothole["id"], "title": "Elsewhere", "detail": "x",
                           "lat": 52.2500, "lon": 0.1300, "as_council": True})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.body["error"]["code"], "outside_area")
        self.assertIn("Fenbridge", r.body["error"]["message"])
        self.assertEqual(self.server.sql("SELECT count(*) FROM reports")[0][0], before)

        # 9. Open311: a key for the council's website, a request with only an
        # address, placed by the gazetteer in its ward.
        key = self.cli("apikey", "create", "--name", "Fenbridge website", "--body", "fenbridge").stdout.strip()
        self.assertTrue(key)
        form = {"api_key": key, "service_code": "POT", "description": "Pothole near number 12",
                "address_string": "12 Mill Road, Fenbridge", "first_name": "Gwen",
                "last_name": "Caller", "email": "gwen.caller@example.org", "phone": "01223 555 019"}
        r = self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form), headers=FORM)
        self.assertEqual(r.status, 200, r)
        rid = int(json.loads(r.raw)[0]["service_request_id"])
        placed = self.report(admin, rid)
        self.assertAlmostEqual(placed["lat"], 52.1905, places=4)
        self.assertAlmostEqual(placed["lon"], 0.1350, places=4)
        self.assertEqual(placed["ward"], "Fenbridge South")
        self.assertEqual(placed["address"], "12 Mill Road, Fenbridge")
        # The postcode places another.
        form.update(address_string="Flat 2, FB1 4QT", description="Light out")
        form.update(service_code="LIGHT")
        r = self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form), headers=FORM)
        self.assertEqual(r.status, 200, r)
        by_postcode = self.report(admin, json.loads(r.raw)[0]["service_request_id"])
        self.assertEqual(by_postcode["ward"], "Fenbridge North")
        # An address the gazetteer does not know is refused with the reason.
        form.update(address_string="1 Nowhere Lane")
        r = self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form), headers=FORM)
        self.assertEqual(r.status, 400, r)
        self.assertIn("Nowhere Lane", r.raw)
        self.assertIn("not an address this council knows", r.raw)

        # 10. Customer services find the caller's reports by phone.
        for who in (admin, self.server.login("desk@fenbridge.example", ADMIN_PASSWORD)):
            found = self.ok(self.req("GET", "/api/v1/caller-reports", token=who,
                                     query={"q": "01223 555019", "by": "phone"}))["reports"]
            self.assertEqual(sorted(x["id"] for x in found), sorted([rid, by_postcode["id"]]))

        # 11. The operator sees the council's reports, and only through it.
        listed = self.ok(self.req("GET", "/api/v1/reports", token=op, query={"body_id": body_id}))["reports"]
        self.assertEqual(sorted(x["id"] for x in listed), sorted([inside["id"], rid, by_postcode["id"]]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
