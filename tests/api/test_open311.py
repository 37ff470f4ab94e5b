# SPDX-License-Identifier: GPL-3.0-or-later
"""Open311 GeoReport v2 with servicerequestupdates: discovery, services, service
definitions, requests in and out, updates in and out, API keys, errors, and what
must never appear publicly. Every answer is validated against the schemas in
tests/open311/ (XSD with xmllint for XML, JSON Schema for JSON)."""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES  # noqa: E402

try:
    import jsonschema
except ImportError:  # tools/install-deps installs python3-jsonschema
    jsonschema = None

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "open311")
V2 = "/open311/v2/"
FORMATS = ("xml", "json")
PLACES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                      "places-sample.csv")
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}

# A category of our own with every kind of question, added before the server starts.
TEST_EXTRA = [
    {"code": "colours", "datatype": "multivaluelist", "required": True, "order": 1,
     "description": "Which colours?", "values": [
         {"key": "red", "name": "Red"}, {"key": "blue", "name": "Blue"},
         {"key": "green", "name": "Green"}]},
    {"code": "size", "datatype": "number", "required": False, "order": 2,
     "description": "How big, in metres?"},
    {"code": "asset_id", "datatype": "string", "required": False, "order": 3,
     "description": "Asset", "automated": "hidden_field"},
    {"code": "internal_ref", "datatype": "string", "required": False, "order": 4,
     "description": "Set by the council", "automated": "server_set"},
]


def w3c(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class Open311Test(kerbside.ServerTestCase):

    @classmethod
    def prepare_db(cls, path):
        import sqlite3
        con = sqlite3.connect(path)
        con.execute(
            "INSERT INTO categories (body_id, code, name, group_name, description, active, "
            "private, extra, updated) SELECT id, 'test_questions', 'Test questions', "
            "'Testing|Roads', 'A category with every kind of question.', 1, 0, ?, 0 "
            "FROM bodies ORDER BY id LIMIT 1", (json.dumps(TEST_EXTRA),))
        con.commit()
        con.close()
        # The council's places, so that a request giving only its address is placed.
        res = subprocess.run([kerbside.server_binary(), "places", "import", "--db", path,
                              "--council", "1", "--format", "csv", PLACES],
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if jsonschema is None:
            raise unittest.SkipTest("python3-jsonschema is missing: run tools/install-deps")
        if subprocess.run(["sh", "-c", "command -v xmllint"], capture_output=True).returncode:
            raise unittest.SkipTest("xmllint is missing (libxml2-utils): run tools/install-deps")
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN),
                           json={"name": "FixMyStreet (tests)"})
        assert r.status == 201, r
        cls.key = r.body["key"]
        cls.key_id = r.body["api_key"]["id"]
        cls._schemas = {}
        cls._update_seq = 0

    # -- helpers ----------------------------------------------------------------

    def schema(self, name):
        if name not in self._schemas:
            with open(os.path.join(SCHEMAS, name + ".schema.json")) as f:
                self._schemas[name] = json.load(f)
        return self._schemas[name]

    def validate(self, r, fmt, schema):
        """Validates an answer against the schema; returns the parsed document."""
        if fmt == "json":
            self.assertIn("application/json", r.headers.get("Content-Type", ""), r)
            data = json.loads(r.raw)
            try:
                jsonschema.validate(data, self.schema(schema))
            except jsonschema.ValidationError as e:
                self.fail("%s.json does not match %s: %s\n%s" % (schema, schema, e.message, r.raw[:800]))
            return data
        self.assertIn("text/xml", r.headers.get("Content-Type", ""), r)
        self.assertTrue(r.raw.startswith('<?xml version="1.0" encoding="utf-8"?>'), r)
        with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8", delete=False) as f:
            f.write(r.raw)
            name = f.name
        try:
            res = subprocess.run(["xmllint", "--noout", "--schema",
                                  os.path.join(SCHEMAS, schema + ".xsd"), name],
                                 capture_output=True, text=True)
        finally:
            os.unlink(name)
        self.assertEqual(res.returncode, 0, "%s.xml does not match %s.xsd: %s\n%s"
                         % (schema, schema, res.stderr, r.raw[:800]))
        return ET.fromstring(r.raw.encode("utf-8"))

    def call(self, method, name, fmt, schema, status=200, query=None, form=None, raw_path=None):
        """One Open311 request; asserts the status and validates the answer
        (with the error schema when status >= 400)."""
        path = raw_path or (V2 + name + "." + fmt)
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        r = self.server.req(method, path, body=body, headers=FORM)
        self.assertEqual(r.status, status, r)
        return self.validate(r, fmt, "errors" if status >= 400 else schema), r

    def error_of(self, doc, fmt):
        if fmt == "json":
            return doc[0]["code"], doc[0]["description"]
        e = doc.find("error")
        return int(e.findtext("code")), e.findtext("description")

    def assertO311Error(self, fmt, status, *args, **kwargs):
        doc, r = self.call(*args, status=status, **kwargs)
        code, text = self.error_of(doc, fmt)
        self.assertEqual(code, status)
        return text

    @staticmethod
    def rows(doc, fmt, item):
        """Open311 list items as dicts of strings (XML) or as they are (JSON); an XML
        element that holds a list (media_urls) gives the list of its items' texts."""
        if fmt == "json":
            return doc
        return [{c.tag: ([g.text or "" for g in c] if c.tag == "media_urls" else (c.text or ""))
                 for c in el} for el in doc.findall(item)]

    def new_request(self, fmt="xml", **extra):
        form = {"api_key": self.key, "service_code": "graffiti", "lat": "51.752",
                "long": "-1.2577", "description": "Tag on the wall of the library\nBig and blue.",
                "first_name": "Priya", "last_name": "Open311", "email": "priya.open311@example.org",
                "phone": "07700 900123"}
        form.update(extra)
        doc, _ = self.call("POST", "requests", fmt, "post_request", form=form)
        rows = self.rows(doc, fmt, "request")
        return int(rows[0]["service_request_id"])

    def test_tokens(self):
        for fmt in ("xml", "json"):
            rid = self.new_request(fmt)
            doc, _ = self.call("GET", "tokens/%d" % rid, fmt, "token")
            row = self.rows(doc, fmt, "request")[0]
            self.assertEqual(row["service_request_id"], str(rid))
            self.call("GET", "tokens/999999999", fmt, "errors", status=404)
            self.call("GET", "tokens/not-a-token", fmt, "errors", status=404)

    def count(self, sql, params=()):
        return self.server.sql(sql, params)[0][0]

    def updates_window(self, fmt, start, end, key=None, status=200):
        q = {"api_key": key or self.key}
        if start is not None:
            q["start_date"] = w3c(start)
        if end is not None:
            q["end_date"] = w3c(end)
        doc, r = self.call("GET", "servicerequestupdates", fmt, "service_request_updates",
                           status=status, query=q)
        return (self.rows(doc, fmt, "request_update") if status == 200 else doc), r

    # -- discovery, services, definitions ---------------------------------------------

    def test_discovery(self):
        for fmt in FORMATS:
            doc, _ = self.call("GET", "discovery", fmt, "discovery")
            if fmt == "json":
                ep = doc["endpoints"][0]
                self.assertEqual(ep["formats"], ["text/xml", "application/json"])
                self.assertTrue(ep["url"].endswith("/open311/v2"))
            else:
                self.assertTrue(doc.findtext("endpoints/endpoint/url").endswith("/open311/v2"))

    def test_services_are_active_public_categories(self):
        cats = self.categories(self.token(ADMIN))
        expected = {c["code"] for c in cats if c["active"] and not c["private"]}
        self.assertIn("test_questions", expected)
        for fmt in FORMATS:
            doc, _ = self.call("GET", "services", fmt, "services")
            if fmt == "json":
                got = {s["service_code"]: s for s in doc}
                groups = {k: s.get("groups") for k, s in got.items()}
                metadata = {k: s["metadata"] for k, s in got.items()}
            else:
                got = {s.findtext("service_code"): s for s in doc.findall("service")}
                groups = {k: [g.text for g in s.findall("groups/group")] or None
                          for k, s in got.items()}
                metadata = {k: s.findtext("metadata") == "true" for k, s in got.items()}
            self.assertEqual(set(got), expected, fmt)
            self.assertNotIn("needles", got)              # private
            self.assertNotIn("abandoned_bicycle", got)    # inactive
            self.assertEqual(groups["test_questions"], ["Testing", "Roads"])
            self.assertIsNone(groups["graffiti"])
            self.assertTrue(metadata["potholes"])
            self.assertFalse(metadata["graffiti"])

    def test_service_definition(self):
        for fmt in FORMATS:
            doc, _ = self.call("GET", "services/test_questions", fmt, "service_definition")
            if fmt == "json":
                attrs = doc["attributes"]
            else:
                attrs = []
                for a in doc.findall("attributes/attribute"):
                    d = {c.tag: c.text or "" for c in a if c.tag != "values"}
                    d["values"] = [{"key": v.findtext("key"), "name": v.findtext("name")}
                                   for v in a.findall("values/value")]
                    d["required"] = d["required"] == "true"
                    d["variable"] = d["variable"] == "true"
                    d["order"] = int(d["order"])
                    attrs.append(d)
            codes = [a["code"] for a in attrs]
            # server_set questions are left out; hidden fields are marked.
            self.assertEqual(codes, ["colours", "size", "asset_id"])
            self.assertEqual(attrs[0]["datatype"], "multivaluelist")
            self.assertTrue(attrs[0]["required"])
            self.assertEqual([v["key"] for v in attrs[0]["values"]], ["red", "blue", "green"])
            self.assertEqual(attrs[2]["automated"], "hidden_field")
            self.assertNotIn("automated", attrs[0])
            for code in ("no_such_service", "needles", "abandoned_bicycle"):
                self.assertO311Error(fmt, 404, "GET", "services/" + code, fmt, None)

    # -- POST requests ------------------------------------------------------------------

    def test_post_request_seen_by_staff_not_public_personal_data(self):
        for fmt in FORMATS:
            rid = self.new_request(fmt, **{"attribute[colours][]": ["red", "green"],
                                           "attribute[size]": "2.5",
                                           "service_code": "test_questions",
                                           "media_url": "https://photos.example.org/1.jpg"})
            staff = self.detail(self.token(ADMIN), rid)
            self.assertEqual(staff["state"], "confirmed")
            self.assertEqual(staff["source"], "open311")
            self.assertEqual(staff["category"], "Test questions")
            self.assertEqual(staff["title"], "Tag on the wall of the library")
            self.assertEqual(staff["reporter"]["email"], "priya.open311@example.org")
            self.assertEqual(staff["reporter"]["name"], "Priya Open311")
            self.assertEqual(staff["version"], 1)
            attrs = self.server.sql("SELECT code, value FROM report_attributes WHERE report_id = ? "
                                    "ORDER BY position", (rid,))
            self.assertEqual(attrs, [("colours", "red"), ("colours", "green"), ("size", "2.5")])
            # The audit log names the key, with no staff member.
            audit = self.server.sql("SELECT user_id, details FROM audit_log WHERE action = "
                                    "'open311_create_request' AND object_id = ?", (rid,))
            self.assertEqual(len(audit), 1)
            self.assertIsNone(audit[0][0])
            self.assertEqual(json.loads(audit[0][1])["api_key"], "FixMyStreet (tests)")
            # Public output: the request, without personal data.
            for out in FORMATS:
                doc, r = self.call("GET", "requests/%d" % rid, out, "service_requests")
                row = self.rows(doc, out, "request")[0]
                self.assertEqual(row["service_request_id"], str(rid))
                self.assertEqual(row["status"], "open")
                self.assertEqual(row["service_code"], "test_questions")
                self.assertEqual(row["media_url"], "https://photos.example.org/1.jpg")
                self.assertEqual(row["media_urls"], ["https://photos.example.org/1.jpg"])
                for secret in ("priya.open311@example.org", "07700 900123", "Priya", "Open311"):
                    self.assertNotIn(secret, r.raw)

    def test_post_request_address_only_and_attribute_title(self):
        rid = self.new_request("json", lat="", long="", address_string="12 Broad Street, Oxford",
                               **{"attribute[title]": "Graffiti on the bank"})
        staff = self.detail(self.token(ADMIN), rid)
        self.assertEqual(staff["address"], "12 Broad Street, Oxford")
        self.assertEqual(staff["title"], "Graffiti on the bank")

    def test_post_request_errors_change_nothing(self):
        before = self.count("SELECT count(*) FROM reports")
        good = {"api_key": self.key, "service_code": "graffiti", "lat": "51.75", "long": "-1.25",
                "description": "Graffiti"}
        cases = [
            (403, dict(good, api_key="")),
            (403, dict(good, api_key="not-a-key")),
            (400, dict(good, service_code="")),
            (400, dict(good, service_code="no_such_service")),
            (400, dict(good, service_code="abandoned_bicycle")),   # inactive
            (400, dict(good, service_code="needles")),             # private
            (400, dict(good, lat="", long="")),                    # no location
            (400, dict(good, long="")),
            (400, dict(good, lat="91")),
            (400, dict(good, long="-180.5")),
            (400, dict(good, lat="north")),
            (400, dict(good, service_code="potholes")),            # required attribute
            (400, dict(good, service_code="potholes", **{"attribute[depth]": "bottomless"})),
            (400, dict(good, service_code="test_questions", **{"attribute[colours][]": ["red", "pink"]})),
            (400, dict(good, service_code="test_questions", **{"attribute[colours][]": "red",
                                                               "attribute[size]": "big"})),
            (400, dict(good, **{"attribute[oops": "x"})),
            (400, dict(good, email="not an email")),
            (400, dict(good, media_url="javascript:alert(1)")),
            (400, dict(good, description="x" * 4001)),
        ]
        for status, form in cases:
            for fmt in FORMATS:
                with self.subTest(form=str(form)[:120], fmt=fmt):
                    text = self.assertO311Error(fmt, status, "POST", "requests", fmt, None, form=form)
                    self.assertTrue(text.endswith("."), text)
        # A form that is not form-encoded, and a malformed escape.
        r = self.server.req("POST", V2 + "requests.xml", json={"service_code": "graffiti"})
        self.assertEqual(r.status, 400, r)
        self.validate(r, "xml", "errors")
        r = self.server.req("POST", V2 + "requests.json", body="api_key=%zz", headers=FORM)
        self.assertEqual(r.status, 400, r)
        self.validate(r, "json", "errors")
        self.assertEqual(self.count("SELECT count(*) FROM reports"), before)
        # A revoked key is refused.
        r = self.req("POST", "/api/v1/api-keys", token=self.token(ADMIN), json={"name": "Short-lived"})
        key, kid = r.body["key"], r.body["api_key"]["id"]
        self.new_request("xml", api_key=key)
        self.ok(self.req("DELETE", "/api/v1/api-keys/%d" % kid, token=self.token(ADMIN)))
        self.assertO311Error("xml", 403, "POST", "requests", "xml", None, form=dict(good, api_key=key))

    def test_text_is_escaped_and_valid_utf8(self):
        text = 'Bell\x01\x07 <script>alert(1)</script> caf\u00e9 \U0001F600 &amp; "q"\r\nnext'
        rid = self.new_request("json", description=text)
        doc, r = self.call("GET", "requests/%d" % rid, "xml", "service_requests")
        self.assertNotIn("<script>", r.raw)
        # Characters XML does not allow are dropped; the rest comes back as sent
        # (the form's CRLF line end stored as LF).
        self.assertEqual(doc.findtext("request/description"),
                         text.replace("\x01", "").replace("\x07", "").replace("\r\n", "\n"))
        doc, _ = self.call("GET", "requests/%d" % rid, "json", "service_requests")
        self.assertEqual(doc[0]["description"], text.replace("\r\n", "\n"))
        for bad in ("description=%FF", "description=a%00b"):
            r = self.server.req("POST", V2 + "requests.xml", headers=FORM,
                                body="api_key=%s&service_code=graffiti&lat=51.75&long=-1.25&%s"
                                % (self.key, bad))
            self.assertEqual(r.status, 400, r)
            self.validate(r, "xml", "errors")

    def test_jurisdiction(self):
        slug = self.server.sql("SELECT slug FROM bodies ORDER BY id LIMIT 1")[0][0]
        for fmt in FORMATS:
            self.call("GET", "services", fmt, "services", query={"jurisdiction_id": slug})
            self.assertO311Error(fmt, 404, "GET", "services", fmt, None,
                                 query={"jurisdiction_id": "atlantis"})
            self.assertO311Error(fmt, 404, "POST", "requests", fmt, None,
                                 form={"jurisdiction_id": "atlantis", "api_key": self.key})
            self.updates_window(fmt, None, None)
            doc, _ = self.call("GET", "servicerequestupdates", fmt, None, status=404,
                               query={"api_key": self.key, "jurisdiction_id": "atlantis"})

    def test_framework_errors_use_open311_format(self):
        for fmt in FORMATS:
            self.call("GET", None, fmt, None, status=404, raw_path=V2 + "nothing." + fmt)
            self.call("DELETE", None, fmt, None, status=405, raw_path=V2 + "requests." + fmt)
            self.call("GET", None, fmt, None, status=400, raw_path=V2 + "/requests." + fmt)
            self.call("GET", None, fmt, None, status=404, raw_path=V2 + "requests/abc." + fmt)
        # No ending: XML, the Open311 default.
        self.call("GET", None, "xml", None, status=404, raw_path=V2 + "requests")

    # -- GET requests -------------------------------------------------------------------

    def public_ids(self, since=0):
        rows = self.server.sql(
            "SELECT r.id FROM reports r JOIN categories c ON c.id = r.category_id "
            "WHERE r.state NOT IN ('hidden', 'unconfirmed') AND c.private = 0 AND r.created >= ?",
            (since,))
        return {r[0] for r in rows}

    def test_requests_list_only_public_and_no_personal_data(self):
        start = 1
        for fmt in FORMATS:
            doc, r = self.call("GET", "requests", fmt, "service_requests",
                               query={"start_date": w3c(start)})
            rows = self.rows(doc, fmt, "request")
            ids = [int(x["service_request_id"]) for x in rows]
            expected = self.public_ids(start)
            self.assertEqual(len(ids), min(len(expected), 1000))
            self.assertTrue(set(ids) <= expected)
            created = [x["requested_datetime"] for x in rows]
            self.assertEqual(created, sorted(created, reverse=True))
            hidden = self.server.sql(
                "SELECT r.id FROM reports r JOIN categories c ON c.id = r.category_id "
                "WHERE r.state IN ('hidden', 'unconfirmed') OR c.private = 1")
            self.assertTrue(hidden, "the demo data has no hidden, unconfirmed or private reports")
            self.assertFalse(set(ids) & {h[0] for h in hidden})
            personal = self.server.sql(
                "SELECT reporter_email, reporter_phone, reporter_name FROM reports WHERE id IN (%s)"
                % ",".join(str(i) for i in ids[:300]))
            for email, phone, name in personal:
                for secret in (email, phone):
                    if secret:
                        self.assertNotIn(secret, r.raw)
                if name:
                    self.assertNotIn("<reporter", r.raw)
                    self.assertNotIn('"' + name + '"', r.raw)
            # Hidden, unconfirmed and private reports are 404 one by one, too.
            for (hid,) in hidden[:5]:
                self.assertO311Error(fmt, 404, "GET", "requests/%d" % hid, fmt, None)

    def test_requests_filters(self):
        now = int(time.time())
        for fmt in FORMATS:
            # status
            for status in ("open", "closed"):
                doc, _ = self.call("GET", "requests", fmt, "service_requests",
                                   query={"status": status, "start_date": w3c(1)})
                rows = self.rows(doc, fmt, "request")
                self.assertTrue(rows, status)
                self.assertEqual({x["status"] for x in rows}, {status})
            # service_code (comma list)
            doc, _ = self.call("GET", "requests", fmt, "service_requests",
                               query={"service_code": "potholes,graffiti", "start_date": w3c(1)})
            rows = self.rows(doc, fmt, "request")
            self.assertTrue(rows)
            self.assertEqual({x["service_code"] for x in rows} - {"potholes", "graffiti"}, set())
            # ids (comma list); a hidden one is left out.
            hidden = self.hidden_report()
            ids = sorted(self.public_ids())[:3]
            doc, _ = self.call("GET", "requests", fmt, "service_requests",
                               query={"service_request_id": ",".join(map(str, ids + [hidden]))})
            self.assertEqual(sorted(int(x["service_request_id"]) for x in self.rows(doc, fmt, "request")), ids)
            # dates: a window
            lo, hi = now - 60 * 86400, now - 30 * 86400
            doc, _ = self.call("GET", "requests", fmt, "service_requests",
                               query={"start_date": w3c(lo), "end_date": w3c(hi)})
            got = {int(x["service_request_id"]) for x in self.rows(doc, fmt, "request")}
            expected = self.public_ids(lo) - self.public_ids(hi + 1)
            self.assertEqual(got, expected)
            # paging
            doc1, _ = self.call("GET", "requests", fmt, "service_requests",
                                query={"start_date": w3c(1), "page_size": 5})
            doc2, _ = self.call("GET", "requests", fmt, "service_requests",
                                query={"start_date": w3c(1), "page_size": 5, "page": 2})
            p1 = [x["service_request_id"] for x in self.rows(doc1, fmt, "request")]
            p2 = [x["service_request_id"] for x in self.rows(doc2, fmt, "request")]
            self.assertEqual(len(p1), 5)
            self.assertEqual(len(p2), 5)
            self.assertFalse(set(p1) & set(p2))

    def test_requests_bad_parameters(self):
        for fmt in FORMATS:
            for q in ({"start_date": "yesterday"}, {"end_date": "2026-13-45T00:00:00Z"},
                      {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
                      {"status": "sideways"}, {"page_size": "1001"}, {"page": "0"},
                      {"service_request_id": "1,two"}):
                with self.subTest(q=q, fmt=fmt):
                    self.assertO311Error(fmt, 400, "GET", "requests", fmt, None, query=q)
            # A time zone offset whose '+' arrived as a space is still read.
            self.call("GET", "requests", fmt, "service_requests",
                      raw_path=V2 + "requests." + fmt + "?start_date=2026-01-01T00:00:00+00:00")

    # -- servicerequestupdates ------------------------------------------------------------

    def test_staff_state_change_appears_with_stable_update_id(self):
        rid = self.new_request("xml")
        before = self.detail(self.token(ADMIN), rid)
        t0 = int(time.time()) - 1
        r = self.req("POST", "/api/v1/reports/%d/state" % rid, token=self.token(INSPECTOR),
                     json={"state": "action_scheduled", "version": before["version"],
                           "text": "Booked for <Tuesday> & Wednesday"})
        self.ok(r)
        t1 = int(time.time()) + 1
        seen = {}
        for fmt in FORMATS:
            for poll in range(2):
                rows, _ = self.updates_window(fmt, t0, t1)
                mine = [u for u in rows if u["service_request_id"] == str(rid)]
                self.assertEqual(len(mine), 1, rows)
                u = mine[0]
                self.assertEqual(u["status"], "action_scheduled")
                self.assertEqual(u["external_status_code"], "action_scheduled")
                self.assertEqual(u["description"], "Booked for <Tuesday> & Wednesday")
                seen.setdefault("id", u["update_id"])
                self.assertEqual(u["update_id"], seen["id"], "update_id changed between polls")
        # A window before the change does not show it.
        rows, _ = self.updates_window("json", t0 - 7200, t0 - 1)
        self.assertNotIn(str(rid), [u["service_request_id"] for u in rows])

    def test_template_external_status_code(self):
        """An update made from a template with an external status code carries that
        code as external_status_code (as it was when the update was made); other
        updates carry the report's state, as before."""
        admin = self.token(ADMIN)
        coded = self.ok(self.req("POST", "/api/v1/templates", token=admin, json={
            "title": "Booked (coded)", "text": "Work on {{title}} is booked.",
            "state": "action_scheduled", "external_status_code": "CONTRACTOR_BOOKED"}), 201)
        coded = kerbside.unwrap(coded, "template")["id"]
        plain = kerbside.unwrap(self.ok(self.req("POST", "/api/v1/templates", token=admin, json={
            "title": "Still booked (no code)", "text": "Still booked."}), 201), "template")["id"]
        auto = kerbside.unwrap(self.ok(self.req("POST", "/api/v1/templates", token=admin, json={
            "title": "Looking (automatic)", "text": "We are looking at it.",
            "state": "investigating", "auto_response": True,
            "external_status_code": "AUTO_LOOKING"}), 201), "template")["id"]
        for tid in (coded, plain, auto):
            self.addCleanup(self.req, "DELETE", "/api/v1/templates/%d" % tid, token=admin)
        self.assertEqual(self.count("SELECT COUNT(*) FROM templates WHERE id = ? AND "
                                    "external_status_code IS NULL", (plain,)), 1)
        rid = self.new_request("json")
        t0 = int(time.time()) - 1
        path = "/api/v1/reports/%d/updates" % rid
        inspector = self.token(INSPECTOR)
        for body in ({"template_id": coded}, {"template_id": plain},
                     {"text": "No template at all."}):
            self.ok(self.req("POST", path, token=inspector, json=body), 200, 201)
        r = self.req("POST", "/api/v1/reports/%d/acknowledge" % rid, token=inspector,
                     json={"template_id": coded})
        self.ok(r, 200)
        # A state change without words gets the automatic response, with its code.
        version = self.detail(admin, rid)["version"]
        self.ok(self.req("POST", "/api/v1/reports/%d/state" % rid, token=inspector,
                         json={"state": "investigating", "version": version}), 200)
        # Changing the template later does not change what its updates said.
        self.ok(self.req("PATCH", "/api/v1/templates/%d" % coded, token=admin,
                         json={"external_status_code": "CHANGED_SINCE"}), 200)
        t1 = int(time.time()) + 1
        for fmt in FORMATS:
            rows, _ = self.updates_window(fmt, t0, t1)
            mine = [u for u in rows if u["service_request_id"] == str(rid)]
            self.assertEqual([(u["description"], u["status"], u["external_status_code"])
                              for u in mine],
                             [("Work on %s is booked." % "Tag on the wall of the library",
                               "action_scheduled", "CONTRACTOR_BOOKED"),
                              ("Still booked.", "action_scheduled", "action_scheduled"),
                              ("No template at all.", "action_scheduled", "action_scheduled"),
                              ("Work on %s is booked." % "Tag on the wall of the library",
                               "action_scheduled", "CONTRACTOR_BOOKED"),
                              ("", "investigating", "investigating"),
                              ("We are looking at it.", "investigating", "AUTO_LOOKING")],
                             (fmt, mine))

    def test_updates_windows_and_key(self):
        now = int(time.time())
        for fmt in FORMATS:
            # FixMyStreet's two-hour window, and no dates at all (the last day).
            rows2, _ = self.updates_window(fmt, now - 7200, now)
            rows0, _ = self.updates_window(fmt, None, None)
            self.assertTrue(set(u["update_id"] for u in rows2) <= set(u["update_id"] for u in rows0))
            for rows in (rows2, rows0):
                times = [(u["updated_datetime"], int(u["update_id"])) for u in rows]
                self.assertEqual(times, sorted(times), "updates are not in time order")
            # A wide window matches the public updates in the database.
            rows, _ = self.updates_window(fmt, now - 3 * 86400, now)
            expected = self.server.sql(
                "SELECT u.id FROM updates u JOIN reports r ON r.id = u.report_id "
                "JOIN categories c ON c.id = r.category_id WHERE u.created >= ? AND u.created <= ? "
                "AND u.public = 1 AND u.kind IN ('update', 'state', 'request_info') "
                "AND r.state NOT IN ('hidden', 'unconfirmed') AND c.private = 0", (now - 3 * 86400, now))
            self.assertTrue({str(e[0]) for e in expected} <= {u["update_id"] for u in rows})
            # Key required; bad dates refused.
            self.updates_window(fmt, None, None, key="wrong", status=403)
            self.call("GET", "servicerequestupdates", fmt, None, status=403)
            self.updates_window(fmt, now, now - 10, status=400)
            self.assertO311Error(fmt, 400, "GET", "servicerequestupdates", fmt, None,
                                 query={"api_key": self.key, "start_date": "soon", "end_date": w3c(now)})

    def test_updates_never_show_hidden_private_or_internal(self):
        bad = self.server.sql(
            "SELECT u.id, u.created FROM updates u JOIN reports r ON r.id = u.report_id "
            "JOIN categories c ON c.id = r.category_id "
            "WHERE r.state IN ('hidden', 'unconfirmed') OR c.private = 1 OR u.public = 0 "
            "ORDER BY u.id DESC LIMIT 20")
        self.assertTrue(bad, "the demo data has no non-public updates")
        for uid, created in bad:
            rows, r = self.updates_window("xml", created - 1, created + 1)
            self.assertNotIn(str(uid), [u["update_id"] for u in rows])
            self.assertNotIn("@example.", r.raw)

    def test_post_update(self):
        rid = self.new_request("json")
        before = self.detail(self.token(ADMIN), rid)
        n_updates = self.count("SELECT count(*) FROM updates WHERE report_id = ?", (rid,))
        form = {"api_key": self.key, "service_request_id": str(rid), "update_id": "fms-77",
                "status": "IN_PROGRESS", "description": "Any news? It is getting bigger.",
                "updated_datetime": w3c(int(time.time()) - 1), "first_name": "Priya",
                "last_name": "Open311", "email": "priya.open311@example.org",
                "media_url": "https://photos.example.org/2.jpg"}
        doc, _ = self.call("POST", "servicerequestupdates", "xml", "post_update", form=form)
        uid = doc.findtext("request_update/update_id")
        after = self.detail(self.token(ADMIN), rid)
        self.assertEqual(after["state"], "in_progress")
        self.assertEqual(after["version"], before["version"] + 1)
        self.assertGreater(after["seq"], before["seq"])
        self.assertEqual(after["updates"][-1]["id"], int(uid))
        self.assertEqual(after["updates"][-1]["source"], "open311")
        # The same client update id again: the same answer, nothing applied twice.
        for fmt in FORMATS:
            doc, _ = self.call("POST", "servicerequestupdates", fmt, "post_update",
                               form=dict(form, status="FIXED"))
            again = doc[0]["update_id"] if fmt == "json" else doc.findtext("request_update/update_id")
            self.assertEqual(again, uid)
        self.assertEqual(self.count("SELECT count(*) FROM updates WHERE report_id = ?", (rid,)),
                         n_updates + 1)
        self.assertEqual(self.detail(self.token(ADMIN), rid), after)
        # It shows in GET servicerequestupdates, without the author's details.
        rows, r = self.updates_window("json", int(time.time()) - 60, int(time.time()) + 1)
        mine = [u for u in rows if u["update_id"] == uid]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["status"], "in_progress")
        self.assertNotIn("priya.open311@example.org", r.raw)
        self.assertNotIn("Priya", r.raw)
        # Statuses: case and spaces do not matter; a generic "closed" keeps "fixed".
        for status, state in (("fixed", "fixed"), ("Closed", "fixed"), ("REOPEN", "confirmed"),
                              ("open", "confirmed"), ("not councils responsibility", "not_responsible"),
                              ("closed", "not_responsible"), ("OPEN", "confirmed")):
            self._update_seq += 1
            self.call("POST", "servicerequestupdates", "json", "post_update",
                      form=dict(form, update_id="fms-s%d" % self._update_seq, status=status))
            self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], state, status)
        # A comment with no status leaves the state alone.
        self.call("POST", "servicerequestupdates", "json", "post_update",
                  form={"api_key": self.key, "service_request_id": str(rid),
                        "update_id": "fms-comment", "description": "Thanks!"})
        self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], "confirmed")
        audit = self.server.sql("SELECT details FROM audit_log WHERE object_id = ? AND action "
                                "LIKE 'open311_update%'", (rid,))
        self.assertTrue(audit)
        self.assertEqual(json.loads(audit[0][0])["api_key"], "FixMyStreet (tests)")

    def test_post_update_errors_change_nothing(self):
        rid = self.new_request("xml")
        hidden = self.hidden_report()
        before = self.detail(self.token(ADMIN), rid)
        good = {"api_key": self.key, "service_request_id": str(rid), "update_id": "e-1",
                "status": "FIXED", "description": "Done"}
        cases = [
            (403, dict(good, api_key="")),
            (403, dict(good, api_key="nope")),
            (404, dict(good, service_request_id="99999999")),
            (404, dict(good, service_request_id=str(hidden))),
            (400, dict(good, service_request_id="")),
            (400, dict(good, update_id="")),
            (400, dict(good, status="SIDEWAYS")),
            (400, dict(good, updated_datetime="last week")),
            (400, dict(good, status="", description="")),
            (400, dict(good, email="@")),
        ]
        for status, form in cases:
            for fmt in FORMATS:
                with self.subTest(form=form, fmt=fmt):
                    self.assertO311Error(fmt, status, "POST", "servicerequestupdates", fmt, None, form=form)
        self.assertEqual(self.detail(self.token(ADMIN), rid), before)

    # -- API keys -------------------------------------------------------------------------

    def test_api_keys_staff_endpoints(self):
        admin = self.token(ADMIN)
        for who in (INSPECTOR, CUSTOMER_SERVICES):
            self.assertError(self.req("GET", "/api/v1/api-keys", token=self.token(who)), 403)
            self.assertError(self.req("POST", "/api/v1/api-keys", token=self.token(who),
                                      json={"name": "x"}), 403)
        self.assertError(self.req("GET", "/api/v1/api-keys"), 401)
        self.assertError(self.req("POST", "/api/v1/api-keys", token=admin, json={}), 422)
        r = self.req("POST", "/api/v1/api-keys", token=admin, json={"name": "Council website"})
        body = self.ok(r, 201)
        key, kid = body["key"], body["api_key"]["id"]
        self.assertGreaterEqual(len(key), 40)
        listed = self.ok(self.req("GET", "/api/v1/api-keys", token=admin))["api_keys"]
        mine = [k for k in listed if k["id"] == kid]
        self.assertEqual(len(mine), 1)
        self.assertNotIn(key, json.dumps(listed))         # shown once only
        stored = self.server.sql("SELECT key_hash FROM api_keys WHERE id = ?", (kid,))[0][0]
        self.assertNotEqual(stored, key)
        self.assertEqual(len(stored), 64)
        self.updates_window("xml", None, None, key=key)
        revoked = self.ok(self.req("DELETE", "/api/v1/api-keys/%d" % kid, token=admin))
        self.assertIsNotNone(revoked["api_key"]["revoked"])
        self.assertError(self.req("DELETE", "/api/v1/api-keys/999999", token=admin), 404)
        self.updates_window("xml", None, None, key=key, status=403)
        actions = {a for (a,) in self.server.sql(
            "SELECT action FROM audit_log WHERE object_type = 'api_key' AND object_id = ?", (kid,))}
        self.assertEqual(actions, {"api_key_create", "api_key_revoke"})

    def test_apikey_command(self):
        exe = kerbside.server_binary()
        res = subprocess.run([exe, "apikey", "create", "--db", self.server.db, "--name", "CLI client"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        key = res.stdout.strip()
        self.assertGreaterEqual(len(key), 40)
        self.new_request("xml", api_key=key)
        res = subprocess.run([exe, "apikey", "list", "--db", self.server.db],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        line = [x for x in res.stdout.splitlines() if x.endswith("CLI client")]
        self.assertEqual(len(line), 1, res.stdout)
        self.assertNotIn(key, res.stdout)
        kid = line[0].split()[0]
        res = subprocess.run([exe, "apikey", "revoke", "--db", self.server.db, "--id", kid],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.updates_window("json", None, None, key=key, status=403)
        res = subprocess.run([exe, "apikey", "create", "--db", self.server.db, "--name", "x",
                              "--body", "atlantis"], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(res.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
