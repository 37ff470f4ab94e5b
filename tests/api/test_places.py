# SPDX-License-Identifier: GPL-3.0-or-later
"""The gazetteer and finding a caller's reports: `kerbside-server places import`
(OS Open Names with British National Grid coordinates, CSV and GeoJSON with
latitude and longitude; re-import replaces; a bad file changes nothing; audited),
GET /api/v1/places (prefix matching, ranking, postcodes with or without their
space, any staff), Open311 requests placed by address_string (and refused when
the address is unknown), the detail's British National Grid coordinates, and
GET /api/v1/caller-reports (by email, phone, name and reference; audited as a
view of personal data; refused to staff who may not see it)."""

import json
import os
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, MAINTENANCE, items  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
OS_SAMPLE = os.path.join(DATA, "os-open-names-sample.csv")
CSV_SAMPLE = os.path.join(DATA, "places-sample.csv")
GEOJSON_SAMPLE = os.path.join(DATA, "places-sample.geojson")
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}

# High Street in the sample: easting 451593, northing 206253.
HIGH_STREET = (51.7526, -1.2540)
OX1_4AA = (51.7515, -1.2570)


def import_places(db, path, *args):
    return subprocess.run([kerbside.server_binary(), "places", "import", "--db", db,
                           "--council", "1"] + list(args) + [path],
                          capture_output=True, text=True, timeout=120)


class PlacesTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo ships its own gazetteer: searched before the tests replace it.
        cls.demo_places = {}
        for q in ("cornmarket", "headington", "cowley road", "ox3 1"):
            r = cls.server.req("GET", "/api/v1/places", token=cls.token(INSPECTOR), query={"q": q})
            assert r.status == 200, r
            cls.demo_places[q] = items(r.body, "places")
        res = import_places(cls.server.db, OS_SAMPLE)
        assert res.returncode == 0, res.stdout + res.stderr
        cls.import_output = res.stdout
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN),
                           json={"name": "Places (tests)"})
        assert r.status == 201, r
        cls.key = r.body["key"]

    # -- helpers ----------------------------------------------------------------

    def places(self, q, who=INSPECTOR, **params):
        r = self.req("GET", "/api/v1/places", token=self.token(who), query=dict(params, q=q))
        return items(self.ok(r, 200), "places")

    def names(self, q, **params):
        return [p["name"] for p in self.places(q, **params)]

    def post_open311(self, **fields):
        form = {"api_key": self.key, "service_code": self.service_code(),
                "description": "Broken paving slab", "first_name": "Ffion",
                "last_name": "Caller", "email": "Ffion.Caller@example.org",
                "phone": "07700 900456"}
        form.update(fields)
        import urllib.parse
        return self.server.req("POST", "/open311/v2/requests.json",
                               body=urllib.parse.urlencode(form), headers=FORM)

    def service_code(self):
        r = self.server.req("GET", "/open311/v2/services.json")
        return json.loads(r.raw)[0]["service_code"]

    def audit_entries(self, action, object_type):
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"limit": 100, "object_type": object_type})
        body = self.ok(r, 200)
        rows = body.get("entries", body.get("audit"))
        out = []
        for e in rows:
            if e["action"] != action:
                continue
            d = e.get("details")
            e["details"] = json.loads(d) if isinstance(d, str) else d
            out.append(e)
        return out

    # -- import -----------------------------------------------------------------

    @unittest.skipUnless(kerbside.PG, "the PostgreSQL store's word index")
    def test_pg_word_index_has_no_pending_list(self):
        # An import writes straight into the GIN index: with a pending list every
        # search would read all of it (docs/deploy.md, data/sql-pg/0045).
        opts = self.server.sql("SELECT reloptions::text FROM pg_class WHERE relname = 'places_words'")
        self.assertEqual(opts[0][0], "{fastupdate=off}")

    def test_demo_ships_places(self):
        cornmarket = self.demo_places["cornmarket"]
        self.assertEqual([(p["name"], p["kind"]) for p in cornmarket], [("Cornmarket Street", "street")])
        self.assertEqual(cornmarket[0]["context"], "Carfax & Jericho, Oxford")
        self.assertAlmostEqual(cornmarket[0]["lat"], 51.75345, delta=0.00001)
        self.assertAlmostEqual(cornmarket[0]["lon"], -1.25845, delta=0.00001)
        self.assertIn(("Headington", "place"), [(p["name"], p["kind"]) for p in self.demo_places["headington"]])
        self.assertEqual(self.demo_places["cowley road"][0]["name"], "Cowley Road")
        postcodes = self.demo_places["ox3 1"]
        self.assertTrue(postcodes)
        self.assertTrue(all(p["kind"] == "postcode" and p["name"].startswith("OX3 1") for p in postcodes))

    def test_import_os_open_names(self):
        self.assertIn("Imported 7 places (os-open-names)", self.import_output)
        self.assertIn("1 repeated rows were left out", self.import_output)
        street = self.places("high street")[0]
        self.assertEqual((street["name"], street["kind"], street["context"]),
                         ("High Street", "street", "Oxford, OX1"))
        # Converted from the British National Grid with PROJ: within a few metres.
        self.assertAlmostEqual(street["lat"], HIGH_STREET[0], delta=0.0001)
        self.assertAlmostEqual(street["lon"], HIGH_STREET[1], delta=0.0001)
        entries = self.audit_entries("places_import", "body")
        self.assertTrue(entries)
        self.assertEqual(entries[0]["details"]["format"], "os-open-names")
        self.assertEqual(entries[0]["details"]["added"], 7)

    def test_prefix_search_and_ranking(self):
        self.assertEqual(self.names("high st")[0], "High Street")
        self.assertEqual(self.names("High St.")[0], "High Street")
        self.assertEqual(self.names("cow"), ["Cowley Road"])
        self.assertEqual(self.names("ox1 4")[0], "OX1 4AA")
        self.assertEqual(self.names("ox14aa"), ["OX1 4AA"])
        self.assertEqual(self.names("OX1 4AA")[0], "OX1 4AA")
        self.assertEqual(set(self.names("high")), {"High Street", "Highfield"})
        self.assertEqual(self.names("street", limit=1), ["High Street"])
        self.assertEqual(self.names("zzzz"), [])
        # Words in any order each begin a word of the name.
        self.assertEqual(self.names("street park"), ["Park End Street"])
        # FTS and tsquery syntax is only text here.
        self.assertEqual(self.names('high" OR "*'), [])
        self.assertEqual(self.names("high':* | 'cow"), [])

    def test_places_permissions_and_errors(self):
        for who in kerbside.ROLES:
            self.assertTrue(self.places("cowley", who=who), who)
        r = self.req("GET", "/api/v1/places", query={"q": "cowley"})
        self.assertError(r, 401)
        for bad in ({}, {"q": ""}, {"q": "  ,. "}, {"q": "x" * 201}, {"q": "a", "limit": 0},
                    {"q": "a", "limit": 51}):
            r = self.req("GET", "/api/v1/places", token=self.token(INSPECTOR), query=bad)
            self.assertError(r, 422, "invalid")

    def test_reimport_replaces_and_bad_files_change_nothing(self):
        db = self.server.db
        try:
            res = import_places(db, CSV_SAMPLE)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("replace the 7 it had", res.stdout)
            self.assertEqual(self.names("high st"), [])
            self.assertEqual(self.names("broad"), ["Broad Street"])
            self.assertEqual(self.places("ox1 3bd")[0]["kind"], "postcode")

            res = import_places(db, GEOJSON_SAMPLE)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("1 features with no point or line", res.stdout)
            walton = self.places("walton")[0]
            self.assertAlmostEqual(walton["lat"], 51.7590)     # the line's middle vertex
            self.assertEqual(walton["context"], "Jericho")
            self.assertEqual(self.names("broad"), [])

            bad = os.path.join(self.tmp, "bad.csv")
            with open(bad, "w") as f:
                f.write("name,lat,lon\nGood Road,51.75,-1.25\nBad Road,north,-1.25\n")
            res = import_places(db, bad)
            self.assertEqual(res.returncode, 1)
            self.assertIn("line 3", res.stderr)
            self.assertIn("Nothing was changed", res.stderr)
            self.assertEqual(self.names("good road"), [])
            self.assertEqual(self.names("walton"), ["Walton Street"])
            res = import_places(db, bad, "--format", "nonsense")
            self.assertEqual(res.returncode, 2)
            res = subprocess.run([kerbside.server_binary(), "places", "import", "--db", db,
                                  "--council", "no-such-council", OS_SAMPLE],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(res.returncode, 1)
            self.assertIn("no council", res.stderr)
        finally:
            res = import_places(db, OS_SAMPLE)
            self.assertEqual(res.returncode, 0, res.stderr)

    # -- Open311 by address -----------------------------------------------------

    def test_open311_address_string_placed_by_gazetteer(self):
        cases = [("12 High Street, Oxford", HIGH_STREET),
                 ("Flat 2, 7 Somewhere Mews, OX1 4AA", OX1_4AA),
                 ("3 high st", HIGH_STREET)]
        for address, (lat, lon) in cases:
            r = self.post_open311(address_string=address)
            self.assertEqual(r.status, 200, r)
            rid = int(json.loads(r.raw)[0]["service_request_id"])
            d = self.detail(self.token(ADMIN), rid)
            self.assertEqual(d["address"], address)
            self.assertAlmostEqual(d["lat"], lat, delta=0.0001, msg=address)
            self.assertAlmostEqual(d["lon"], lon, delta=0.0001, msg=address)

    def test_open311_unknown_address_refused(self):
        before = self.server.sql("SELECT count(*) FROM reports")[0][0]
        for address in ("1 Nowhere Lane, Oxford", "High", "ZZ9 9ZZ"):
            r = self.post_open311(address_string=address)
            self.assertEqual(r.status, 400, r)
            body = json.loads(r.raw)
            self.assertIn("not an address this council knows", body[0]["description"])
        self.assertEqual(self.server.sql("SELECT count(*) FROM reports")[0][0], before)

    def test_detail_gives_british_national_grid(self):
        r = self.post_open311(address_string="12 High Street")
        rid = int(json.loads(r.raw)[0]["service_request_id"])
        grid = self.detail(self.token(INSPECTOR), rid)["grid"]
        self.assertEqual(grid["system"], "EPSG:27700")
        self.assertAlmostEqual(grid["easting"], 451593, delta=1)
        self.assertAlmostEqual(grid["northing"], 206253, delta=1)

    # -- a caller's reports -----------------------------------------------------

    def callers(self, who, **query):
        return self.req("GET", "/api/v1/caller-reports", token=self.token(who), query=query)

    def test_find_caller_reports(self):
        r = self.post_open311(address_string="Cowley Road", first_name="Gwen",
                              last_name="Telephone", email="Gwen.Telephone@Example.org",
                              phone="01865 249811")
        rid = int(json.loads(r.raw)[0]["service_request_id"])
        self.server.sql("UPDATE reports SET external_id = 'FMS-4242' WHERE id = %d" % rid)
        searches = [{"q": "+44 1865 249811", "by": "phone"}, {"q": "(01865) 249-811"},
                    {"q": "gwen.telephone@example.org"}, {"q": "GWEN.TELEPHONE@EXAMPLE.ORG", "by": "email"},
                    {"q": "telephone", "by": "name"}, {"q": "Gwen Tele"},
                    {"q": "FMS-4242", "by": "reference"}]
        for query in searches:
            body = self.ok(self.callers(CUSTOMER_SERVICES, **query), 200)
            found = [x for x in body["reports"] if x["id"] == rid]
            self.assertEqual(len(found), 1, query)
            self.assertEqual(found[0]["reporter"], {"name": "Gwen Telephone",
                                                   "email": "Gwen.Telephone@Example.org",
                                                   "phone": "01865 249811"})
            self.assertEqual(found[0]["address"], "Cowley Road")
        body = self.ok(self.callers(INSPECTOR, q="FMS-4243", by="reference"), 200)
        self.assertEqual(body["reports"], [])
        self.assertIsNone(body["next_cursor"])
        # Each search is audited as a view of personal data: the field and the reports.
        entries = self.audit_entries("view_personal_data", "report")
        searches_audited = [e for e in entries if e["details"] and "search" in e["details"]]
        self.assertGreaterEqual(len(searches_audited), len(searches) + 1)
        self.assertEqual(searches_audited[0]["details"],
                         {"search": "reference", "count": 0, "reports": []})
        self.assertIn(rid, searches_audited[1]["details"]["reports"])
        self.assertNotIn("Gwen", json.dumps(entries))

    def test_caller_pages(self):
        for i in range(3):
            r = self.post_open311(address_string="Park End Street", first_name="Paged",
                                  last_name="Person", email="paged.person@example.org")
            self.assertEqual(r.status, 200, r)
        seen, cursor = [], None
        while True:
            q = {"q": "paged.person@example.org", "limit": 2}
            if cursor:
                q["cursor"] = cursor
            body = self.ok(self.callers(ADMIN, **q), 200)
            seen += [x["id"] for x in body["reports"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(len(seen), 3)
        self.assertEqual(seen, sorted(seen, reverse=True))

    def test_caller_search_permission_both_ways(self):
        for role in kerbside.ROLES:
            allowed = "create_report_on_behalf" in kerbside.role_permissions(role)
            r = self.callers(role, q="07700 900456")
            if allowed:
                self.ok(r, 200)
            else:
                self.assertError(r, 403)
        self.assertError(self.req("GET", "/api/v1/caller-reports", query={"q": "x@y"}), 401)
        for bad in ({}, {"q": "12345", "by": "phone"}, {"q": "a", "by": "name"},
                    {"q": "x", "by": "postcode"}, {"q": " ", "by": "reference"}):
            self.assertError(self.callers(ADMIN, **bad), 422, "invalid")


if __name__ == "__main__":
    unittest.main(verbosity=2)
