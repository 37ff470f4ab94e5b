#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A council's abuse list: email addresses, phone numbers and email domains that
may not report. Managed by administrators (API and `kerbside-server abuse`),
audited without the personal data itself; a banned reporter is refused, with a
clear reason, through Open311 (its error format, XML and JSON) and on their
behalf by staff, and nothing is created."""

import json
import os
import subprocess
import sys
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, items, unwrap  # noqa: E402

V2 = "/open311/v2/"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}
PID = os.getpid()


class AbuseListTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN),
                           json={"name": "FixMyStreet (abuse tests)"})
        assert r.status == 201, r
        cls.key = r.body["key"]

    # -- helpers ----------------------------------------------------------------

    def add(self, kind, value, reason="Fake reports", status=201):
        r = self.req("POST", "/api/v1/abuse-list", token=self.token(ADMIN),
                     json={"kind": kind, "value": value, "reason": reason})
        if status != 201:
            return self.assertError(r, status)
        return self.ok(r, 201)

    def entries(self):
        return items(self.ok(self.req("GET", "/api/v1/abuse-list", token=self.token(ADMIN)),
                             200), "entries")

    def on_behalf(self, email=None, phone=None):
        reporter = {"name": "Sam Sender"}
        if email:
            reporter["email"] = email
        if phone:
            reporter["phone"] = phone
        return self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES),
                        json={"category_id": self.active_category(self.token(ADMIN))["id"],
                              "title": "Abuse list check", "detail": "Checked",
                              "lat": 51.7525, "lon": -1.2585, "reporter": reporter})

    def open311(self, fmt, email=None, phone=None):
        form = {"api_key": self.key, "service_code": "graffiti", "lat": "51.752",
                "long": "-1.2577", "description": "Tag on a wall", "first_name": "Sam",
                "last_name": "Sender"}
        if email:
            form["email"] = email
        if phone:
            form["phone"] = phone
        return self.server.req("POST", V2 + "requests." + fmt,
                               body=urllib.parse.urlencode(form), headers=FORM)

    def open311_error(self, r, fmt):
        if fmt == "json":
            doc = json.loads(r.raw)
            return doc[0]["code"], doc[0]["description"]
        e = ET.fromstring(r.raw.encode("utf-8")).find("error")
        return int(e.findtext("code")), e.findtext("description")

    def reports_of(self, email):
        r = self.req("GET", "/api/v1/caller-reports", token=self.token(CUSTOMER_SERVICES),
                     query={"by": "email", "q": email})
        return items(self.ok(r, 200), "reports")

    # -- tests --------------------------------------------------------------------

    def test_managed_by_administrators_and_checked(self):
        self.assertError(self.req("GET", "/api/v1/abuse-list", token=self.token(INSPECTOR)), 403)
        r = self.req("POST", "/api/v1/abuse-list", token=self.token(INSPECTOR),
                     json={"kind": "domain", "value": "nope.example"})
        self.assertError(r, 403)
        for kind, value in (("email", "not an address"), ("phone", "12"),
                            ("domain", "no_dots"), ("postcode", "OX1 1AA"), ("email", "")):
            self.add(kind, value, status=422)
        entry = self.add("email", "  Spammer.%d@Example.NET " % PID)
        self.assertEqual((entry["kind"], entry["value"], entry["reason"]),
                         ("email", "spammer.%d@example.net" % PID, "Fake reports"))
        self.add("email", "spammer.%d@example.net" % PID, status=409)
        phone = self.add("phone", "+44 (0)7700 9%05d" % (PID % 100000))
        self.assertEqual(len(phone["value"]), 10)
        self.assertIn(entry["id"], [e["id"] for e in self.entries()])

        # Audited without the address itself.
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "abuse_list", "object_id": entry["id"]})
        audit = items(self.ok(r, 200), "entries")
        self.assertEqual([a["action"] for a in audit], ["abuse_list_add"])
        self.assertNotIn("spammer", json.dumps(audit))

    def test_banned_reporters_are_refused_on_behalf_and_through_open311(self):
        address = "blocked.%d@example.org" % PID
        domain = "spam%d.example" % PID
        digits = "01865 %06d" % (PID % 1000000)
        by_email = self.add("email", address)["id"]
        by_domain = self.add("domain", "@" + domain)["id"]
        self.add("phone", digits)

        for email, phone, what in ((address.upper(), None, "email address"),
                                   ("anyone@mail." + domain, None, "email domain"),
                                   (None, "+44 1865 %06d" % (PID % 1000000), "phone number")):
            r = self.on_behalf(email=email, phone=phone)
            err = self.assertError(r, 403, "reporter_banned")
            self.assertIn("does not accept reports from this " + what, err["message"])
            for fmt in ("xml", "json"):
                r = self.open311(fmt, email=email, phone=phone)
                self.assertEqual(r.status, 403, r)
                code, text = self.open311_error(r, fmt)
                self.assertEqual(code, 403)
                self.assertIn("does not accept reports from this " + what, text)
        self.assertEqual(self.reports_of(address), [])

        # Not banned: a neighbouring domain, another address.
        self.ok(self.on_behalf(email="someone@not" + domain), 201)
        self.assertEqual(self.open311("json", email="other.%d@example.org" % PID).status, 200)

        # Removed from the list: accepted again; the removal is audited.
        for entry_id in (by_email, by_domain):
            r = self.req("DELETE", "/api/v1/abuse-list/%d" % entry_id, token=self.token(ADMIN))
            self.assertEqual(r.status, 204, r)
        self.assertError(self.req("DELETE", "/api/v1/abuse-list/%d" % by_email,
                                  token=self.token(ADMIN)), 404)
        created = unwrap(self.ok(self.on_behalf(email=address), 201), "report")
        self.assertEqual(created["reporter"]["email"], address)
        self.assertEqual(self.open311("xml", email="x@" + domain).status, 200)
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "abuse_list", "object_id": by_email})
        self.assertIn("abuse_list_remove", [a["action"] for a in items(self.ok(r, 200), "entries")])

    def test_command_line(self):
        domain = "cli%d.example" % PID
        binary = kerbside.server_binary()
        res = subprocess.run([binary, "abuse", "add", "--db", self.server.db, "--council", "1",
                              "--domain", domain, "--reason", "Bulk fake reports"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = subprocess.run([binary, "abuse", "list", "--db", self.server.db, "--council", "1"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(domain, res.stdout)
        r = self.open311("json", email="a@" + domain)
        self.assertEqual(r.status, 403, r)
        res = subprocess.run([binary, "abuse", "add", "--db", self.server.db, "--council", "1",
                              "--domain", "bad domain"], capture_output=True, text=True,
                             timeout=60)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("not an email domain", res.stderr)
        entry = [e for e in self.entries() if e["value"] == domain][0]
        self.assertEqual(entry["reason"], "Bulk fake reports")
        res = subprocess.run([binary, "abuse", "remove", "--db", self.server.db, "--council", "1",
                              "--id", str(entry["id"])], capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.open311("json", email="a@" + domain).status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
