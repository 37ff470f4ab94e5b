# SPDX-License-Identifier: GPL-3.0-or-later
"""Data protection: anonymising a report, the right-of-access export,
terminating a person's data, the research export and the email opt-out."""

import csv
import email
import email.policy
import hashlib
import io
import json
import os
import re
import sys
import time
import unittest
import urllib.parse
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, items, unwrap  # noqa: E402

NEW_PASSWORD = "quiet-meadow-lantern-7391"
OTHER_EMAIL = "someone.elsewhere@example.org"
OTHER_NAME = "Zebedee Elsewhere"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sha256(text):
    return hashlib.sha256(text.lower().encode()).hexdigest()


class PrivacyTest(kerbside.ServerTestCase):

    @classmethod
    def prepare_db(cls, path):
        """A second council with one report, to check that nothing crosses over."""
        import sqlite3
        con = sqlite3.connect(path)
        try:
            now = int(time.time())
            cur = con.execute(
                "INSERT INTO bodies (name, slug, created) VALUES ('Elsewhere Council', "
                "'elsewhere', ?)", (now,))
            body = cur.lastrowid
            cur = con.execute(
                "INSERT INTO categories (body_id, code, name, updated) VALUES (?, 'POT', "
                "'Potholes', ?)", (body, now))
            cat = cur.lastrowid
            seq = con.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq' "
                              "RETURNING value").fetchone()[0]
            cur = con.execute(
                "INSERT INTO reports (body_id, category_id, title, detail, lat, lon, state, "
                "reporter_name, reporter_email, reporter_phone, show_name, created, confirmed, "
                "updated, seq) VALUES (?, ?, 'Hole elsewhere', 'Deep', 52.1, -1.1, 'confirmed', "
                "?, ?, '01234 567890', 1, ?, ?, ?, ?)",
                (body, cat, OTHER_NAME, OTHER_EMAIL, now, now, now, seq))
            cls.other_report = cur.lastrowid
            con.commit()
        finally:
            con.close()

    # -- helpers ---------------------------------------------------------------

    def sql(self, query, params=()):
        return self.server.sql(query, params)

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def anonymise(self, who, rid, body):
        return self.req("POST", "/api/v1/reports/%d/anonymise" % rid, token=self.token(who),
                        json=body)

    def export(self, who, address):
        return self.req("GET", "/api/v1/people/export", token=self.token(who),
                        query={"email": address})

    def terminate(self, who, address, reason="The person asked us to erase their data"):
        return self.req("POST", "/api/v1/people/terminate", token=self.token(who),
                        json={"email": address, "reason": reason})

    def research(self, token, **params):
        return self.req("GET", "/api/v1/research/export", token=token, query=params)

    def aggregate(self, token, **params):
        return self.req("GET", "/api/v1/research/aggregate", token=token, query=params)

    def audit_newest(self, action):
        rows = self.sql("SELECT object_type, object_id, details FROM audit_log "
                        "WHERE action = ? ORDER BY id DESC LIMIT 1", (action,))
        self.assertTrue(rows, "no audit entry %s" % action)
        return rows[0][0], rows[0][1], json.loads(rows[0][2]) if rows[0][2] else None

    def resident_with_updates(self, exclude=()):
        """A resident of the demo council with an email, reports, and at least one
        update they wrote; not yet used by another test."""
        rows = self.sql(
            "SELECT r.reporter_email, r.id FROM reports r JOIN updates u ON u.report_id = r.id "
            "WHERE r.body_id = 1 AND r.reporter_email IS NOT NULL AND u.user_id IS NULL "
            "AND r.reporter_email NOT LIKE '%@demo.invalid' ORDER BY r.id")
        for address, rid in rows:
            if address in exclude or rid in self._claimed_ids():
                continue
            self._claimed_ids().add(rid)
            return address, rid
        self.fail("the demo has no resident with updates left")

    @classmethod
    def _claimed_ids(cls):
        if not hasattr(cls, "_used"):
            cls._used = set()
        return cls._used

    def create_staff(self, role_ids=(), permissions=()):
        address = "staff-%s@demo.invalid" % uuid.uuid4().hex[:10]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": address, "name": "Test Staff %s" % uuid.uuid4().hex[:6],
            "password": NEW_PASSWORD, "role_ids": list(role_ids),
            "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        staff = unwrap(r.body, "staff")
        return address, staff["id"], self.server.login(address, NEW_PASSWORD)

    def role_id(self, name):
        roles = items(self.ok(self.req("GET", "/api/v1/roles", token=self.token(ADMIN))),
                      "roles")
        return [r["id"] for r in roles if r["name"] == name][0]

    def outbox(self):
        return set(kerbside.outbox_files(self.server.outbox))

    def create_report_for(self, address, name="Pat Resident"):
        cat = self.active_category(self.token(CUSTOMER_SERVICES))
        r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES), json={
            "category_id": cat["id"], "title": "Broken bollard", "detail": "Knocked over",
            "lat": 51.752, "lon": -1.258,
            "reporter": {"name": name, "email": address, "show_name": True}})
        return unwrap(self.ok(r, 201), "report")["id"]

    def request_info(self, rid, text="Where exactly is it?"):
        r = self.req("POST", "/api/v1/reports/%d/request-info" % rid,
                     token=self.token(MAINTENANCE), json={"text": text})
        self.ok(r, 200)

    # -- anonymise -------------------------------------------------------------

    def test_anonymise_needs_moderate_report(self):
        address, rid = self.resident_with_updates()
        before = self.fresh(rid)
        for who in (INSPECTOR, MAINTENANCE):
            self.assertError(self.anonymise(who, rid, {"reason": "x", "version": before["version"]}),
                             403)
        self.assertEqual(self.fresh(rid), before)

    def test_anonymise_removes_personal_data_keeps_content(self):
        address, rid = self.resident_with_updates()
        before = self.fresh(rid)
        self.assertEqual(before["reporter"]["email"], address)
        name = before["reporter"]["name"]
        self.assertTrue(name)
        theirs = [u["id"] for u in before["updates"] if u["user_id"] is None]
        self.assertTrue(theirs)

        # Bad input changes nothing.
        self.assertError(self.anonymise(CUSTOMER_SERVICES, rid, {"version": before["version"]}), 422)
        self.assertError(self.anonymise(CUSTOMER_SERVICES, rid, {"reason": "x"}), 422)
        r = self.anonymise(CUSTOMER_SERVICES, rid, {"reason": "x", "version": before["version"] - 1})
        self.assertError(r, 409, "conflict")
        self.assertEqual(r.body["current"]["id"], rid)
        self.assertEqual(self.fresh(rid), before)

        r = self.anonymise(CUSTOMER_SERVICES, rid,
                           {"reason": "The resident asked us to", "version": before["version"]})
        after = unwrap(self.ok(r, 200), "report")
        self.assertTrue(r.body["changed"])
        self.assertEqual(after, self.fresh(rid))
        self.assertEqual(after["reporter"], {"name": None, "email": None, "phone": None,
                                             "show_name": False})
        for key in ("title", "detail", "address", "category_id", "state", "lat", "lon", "ward",
                    "photo", "source"):
            self.assertEqual(after[key], before[key], key)
        self.assertEqual([(u["id"], u["text"], u["kind"], u["public"]) for u in after["updates"]],
                         [(u["id"], u["text"], u["kind"], u["public"]) for u in before["updates"]])
        for u in after["updates"]:
            if u["id"] in theirs:
                self.assertIsNone(u["user"])
        self.assertEqual(after["version"], before["version"] + 1)
        self.assertGreater(after["seq"], before["seq"])
        mod = after["moderation"][-1]
        self.assertEqual(mod["reason"], "The resident asked us to")
        self.assertEqual(mod["before"]["title"], mod["after"]["title"])
        self.assertFalse(mod["after"]["show_name"])
        # Nothing of the reporter is left in the database rows of the report.
        text = json.dumps(after)
        self.assertNotIn(address, text)
        self.assertNotIn(name, text)
        rows = self.sql("SELECT count(*) FROM updates WHERE report_id = ? AND "
                        "(author_name = ? OR lower(author_email) = lower(?))", (rid, name, address))
        self.assertEqual(rows[0][0], 0)
        otype, oid, details = self.audit_newest("anonymise")
        self.assertEqual((otype, oid), ("report", rid))
        self.assertEqual(details["updates"], len(theirs))

        # Again: nothing left to remove, nothing changes.
        again = self.anonymise(CUSTOMER_SERVICES, rid, {"reason": "again", "version": after["version"]})
        self.assertFalse(self.ok(again, 200)["changed"])
        self.assertEqual(self.fresh(rid), after)

    def test_anonymise_other_council_is_not_found(self):
        r = self.anonymise(ADMIN, self.other_report, {"reason": "x", "version": 1})
        self.assertError(r, 404, "not_found")
        rows = self.sql("SELECT reporter_email FROM reports WHERE id = ?", (self.other_report,))
        self.assertEqual(rows[0][0], OTHER_EMAIL)

    # -- right of access -------------------------------------------------------

    def test_export_needs_manage_staff(self):
        for who in (CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE):
            self.assertError(self.export(who, "anyone@example.org"), 403)

    def test_export_bad_email(self):
        self.assertError(self.req("GET", "/api/v1/people/export", token=self.token(ADMIN)), 422)
        self.assertError(self.export(ADMIN, "not an address"), 422)
        self.assertError(self.export(ADMIN, "x' OR 1=1 --@x"), 422)

    def test_export_has_the_person_and_nobody_else(self):
        address, _ = self.resident_with_updates()
        body = self.ok(self.export(ADMIN, address.upper()), 200)
        want = {r[0] for r in self.sql(
            "SELECT id FROM reports WHERE body_id = 1 AND lower(reporter_email) = lower(?)",
            (address,))}
        self.assertEqual({r["id"] for r in body["reports"]}, want)
        for r in body["reports"]:
            self.assertEqual(r["reporter"]["email"].lower(), address.lower())
            self.assertIn("title", r)
            self.assertIn("detail", r)
        self.assertTrue(body["updates"])
        for u in body["updates"]:
            self.assertIn(u["report_id"], want)
            self.assertEqual(u["written_as"], "resident")
        self.assertIsNone(body["staff_account"])
        self.assertIn("emails", body)
        self.assertIn("audit", body)
        # Nothing of anyone else: no other reporter's email or name.
        text = json.dumps(body).lower()
        others = self.sql("SELECT DISTINCT reporter_email, reporter_name FROM reports "
                          "WHERE reporter_email IS NOT NULL AND lower(reporter_email) != lower(?)",
                          (address,))
        own_name = body["reports"][0]["reporter"]["name"]
        for other_email, other_name in others:
            self.assertNotIn(other_email.lower(), text)
            if other_name and other_name != own_name:
                self.assertNotIn(other_name.lower(), text)
        # Audited, without the address itself.
        otype, oid, details = self.audit_newest("personal_data_export")
        self.assertEqual(otype, "person")
        self.assertEqual(details["email_sha256"], sha256(address))
        self.assertEqual(details["reports"], len(want))
        self.assertNotIn(address, json.dumps(details))

    def test_export_other_council_stays_out(self):
        body = self.ok(self.export(ADMIN, OTHER_EMAIL), 200)
        self.assertEqual(body["reports"], [])
        self.assertNotIn("Hole elsewhere", json.dumps(body))

    def test_export_staff_account(self):
        address, staff_id, tok = self.create_staff(role_ids=[self.role_id("Inspectors")])
        rid = self.claim_report(lambda r: r["state"] == "confirmed" and not r["shortlist_user"])["id"]
        self.ok(self.req("POST", "/api/v1/shortlist", token=tok, json={"report_id": rid}))
        body = self.ok(self.export(ADMIN, address), 200)
        acc = body["staff_account"]
        self.assertEqual(acc["id"], staff_id)
        self.assertEqual(acc["email"], address)
        self.assertEqual([r["name"] for r in acc["roles"]], ["Inspectors"])
        self.assertEqual(acc["shortlist"], [rid])
        self.assertTrue(acc["sessions"])
        self.assertTrue(any(a["by_this_person"] and a["action"] == "shortlist_add"
                            for a in body["audit"]))
        secret_hash, = self.sql("SELECT password_hash FROM users WHERE id = ?", (staff_id,))[0]
        tokens = [t for t, in self.sql("SELECT token_hash FROM sessions WHERE user_id = ?",
                                       (staff_id,))]
        text = json.dumps(body)
        self.assertNotIn(secret_hash, text)
        for t in tokens:
            self.assertNotIn(t, text)
        for key in ("password_hash", "totp_secret", "token_hash"):
            self.assertNotIn(key, text)
        otype, oid, _ = self.audit_newest("personal_data_export")
        self.assertEqual((otype, oid), ("user", staff_id))

    def open311_post(self, name, form):
        body = urllib.parse.urlencode(dict(form, api_key=self.open311_key()), doseq=True)
        r = self.req("POST", "/open311/v2/%s.json" % name, body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r)
        return r.body[0]

    def open311_key(self):
        if not hasattr(type(self), "_open311_key"):
            r = self.req("POST", "/api/v1/api-keys", token=self.token(ADMIN),
                         json={"name": "FixMyStreet (privacy tests)"})
            self.assertEqual(r.status, 201, r)
            type(self)._open311_key = r.body["key"]
        return type(self)._open311_key

    def test_export_has_answer_history_update_moderation_and_media(self):
        """What corrections replaced of the person's answers, the moderation of
        the updates they wrote, and every photo address they sent: theirs. The
        same kinds of data about someone else on their report are not."""
        address = "media-%s@example.org" % uuid.uuid4().hex[:8]
        other = "neighbour-%s@example.org" % uuid.uuid4().hex[:8]
        photos = ["https://photos.example.org/%s-%d.jpg" % (uuid.uuid4().hex[:6], i)
                  for i in range(3)]
        rid = int(self.open311_post("requests", {
            "service_code": "potholes", "lat": "51.752", "long": "-1.2577",
            "description": "Deep hole by the crossing", "email": address,
            "first_name": "Mo", "last_name": "Media", "attribute[depth]": "over_10cm",
            "attribute[in_cycle_lane]": "yes", "media_url": photos[:2]})["service_request_id"])
        own_uid = int(self.open311_post("servicerequestupdates", {
            "service_request_id": str(rid), "update_id": "fms-own-" + uuid.uuid4().hex[:6],
            "status": "IN_PROGRESS", "description": "Call me on 07700 900111", "email": address,
            "first_name": "Mo", "last_name": "Media", "media_url": photos[2],
            "updated_datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})["update_id"])
        other_photo = "https://photos.example.org/neighbour-%s.jpg" % uuid.uuid4().hex[:6]
        other_uid = int(self.open311_post("servicerequestupdates", {
            "service_request_id": str(rid), "update_id": "fms-other-" + uuid.uuid4().hex[:6],
            "status": "IN_PROGRESS", "description": "Neighbour here, it is worse", "email": other,
            "first_name": "Nel", "last_name": "Bour", "media_url": other_photo,
            "updated_datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})["update_id"])
        # Staff correct the answers, and moderate both updates.
        before = self.fresh(rid)
        after = unwrap(self.ok(self.req(
            "POST", "/api/v1/reports/%d/attributes" % rid, token=self.token(INSPECTOR),
            json={"attributes": {"depth": "4_to_10cm"}, "version": before["version"]})),
            "report")
        for uid, text in ((own_uid, "Call me"), (other_uid, "Neighbour here")):
            after = unwrap(self.ok(self.req(
                "POST", "/api/v1/reports/%d/updates/%d/moderate" % (rid, uid),
                token=self.token(CUSTOMER_SERVICES),
                json={"text": text, "reason": "A phone number", "version": after["version"]})),
                "report")

        body = self.ok(self.export(ADMIN, address), 200)
        rep = [r for r in body["reports"] if r["id"] == rid][0]
        self.assertEqual([(a["code"], a["value"]) for a in rep["attributes"]],
                         [("depth", "4_to_10cm"), ("in_cycle_lane", "yes")])
        correction = [u for u in after["updates"] if u["kind"] == "attributes"][0]
        self.assertEqual([(a["update_id"], a["code"], a["value"]) for a in rep["attribute_history"]],
                         [(correction["id"], "depth", "over_10cm"),
                          (correction["id"], "in_cycle_lane", "yes")])
        self.assertTrue(all(a["changed"] == correction["created"]
                            for a in rep["attribute_history"]))
        # The moderation of their update, with their words before; not the neighbour's.
        upd_mod = [m for m in body["moderation"] if m["update_id"] is not None]
        self.assertEqual([(m["update_id"], m["action"]) for m in upd_mod], [(own_uid, "edit")])
        self.assertEqual(upd_mod[0]["before"]["text"], "Call me on 07700 900111")
        self.assertEqual(upd_mod[0]["after"]["text"], "Call me")
        self.assertEqual(upd_mod[0]["report_id"], rid)
        self.assertNotIn("user", upd_mod[0])
        for m in body["moderation"]:
            self.assertIn("action", m)
        # Every photo address they sent, in order; not the neighbour's.
        self.assertEqual([(m["report_id"], m["update_id"], m["url"]) for m in body["media_urls"]],
                         [(rid, None, photos[0]), (rid, None, photos[1]), (rid, own_uid, photos[2])])
        text = json.dumps(body)
        for leak in (other, other_photo, "Neighbour here", "Nel"):
            self.assertNotIn(leak, text)
        # The neighbour's export has their photo.
        self.assertEqual(self.ok(self.export(ADMIN, other), 200)["media_urls"],
                         [{"report_id": rid, "update_id": other_uid, "url": other_photo}])

    def test_export_staff_update_moderation(self):
        """A staff member's own updates that a moderator edited are theirs too."""
        address, staff_id, tok = self.create_staff(role_ids=[self.role_id("Inspectors")])
        rid = self.claim_report(lambda r: r["state"] == "confirmed")["id"]
        after = unwrap(self.ok(self.req("POST", "/api/v1/reports/%d/updates" % rid, token=tok,
                                        json={"text": "Mr Jones at no. 4 says hi"}), 200, 201),
                       "report")
        uid = after["updates"][-1]["id"]
        self.ok(self.req("POST", "/api/v1/reports/%d/updates/%d/hide" % (rid, uid),
                         token=self.token(CUSTOMER_SERVICES),
                         json={"reason": "A name", "version": after["version"]}))
        body = self.ok(self.export(ADMIN, address), 200)
        mods = [m for m in body["moderation"] if m["update_id"] == uid]
        self.assertEqual([m["action"] for m in mods], ["hide"])
        self.assertEqual(mods[0]["before"]["hidden"], False)
        self.assertEqual(mods[0]["after"]["hidden"], True)
        self.assertEqual(body["media_urls"], [])

    # -- terminate -------------------------------------------------------------

    def test_terminate_needs_manage_staff(self):
        address, staff_id, tok = self.create_staff(role_ids=[self.role_id("Inspectors")])
        for who in (CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE):
            self.assertError(self.terminate(who, address), 403)
        self.assertEqual(self.me(tok)["id"], staff_id)

    def test_terminate_bad_input(self):
        me = self.me(self.token(ADMIN))
        self.assertError(self.terminate(ADMIN, ADMIN.upper()), 422)
        self.assertError(self.terminate(ADMIN, "not an address"), 422)
        self.assertError(self.terminate(ADMIN, "a@example.org", reason=""), 422)
        r = self.req("POST", "/api/v1/people/terminate", token=self.token(ADMIN),
                     json={"email": 5, "reason": "x"})
        self.assertError(r, 422)
        self.assertEqual(self.me(self.token(ADMIN))["id"], me["id"])

    def test_terminate_staff_account(self):
        address, staff_id, tok = self.create_staff(role_ids=[self.role_id("Inspectors")])
        rid = self.create_report_for(address, "Staff As Resident")
        held = self.claim_report(lambda r: r["state"] == "confirmed" and not r["shortlist_user"])["id"]
        self.ok(self.req("POST", "/api/v1/shortlist", token=tok, json={"report_id": held}))
        self.ok(self.req("POST", "/api/v1/reports/%d/updates" % held, token=tok,
                         json={"text": "Inspected today"}))
        before_held = self.fresh(held)

        r = self.terminate(ADMIN, address)
        body = self.ok(r, 200)
        self.assertTrue(body["account_removed"])
        self.assertEqual(body["staff_id"], staff_id)
        self.assertEqual(body["reports_anonymised"], 1)
        self.assertEqual(body["shortlist_released"], 1)
        self.assertEqual(body["staff_updates"], 1)
        self.assertGreaterEqual(body["sessions_ended"], 1)

        # The account is gone: its token no longer works, nor its password.
        self.assertError(self.req("GET", "/api/v1/me", token=tok), 401)
        r = self.req("POST", "/api/v1/auth/login", json={"email": address, "password": NEW_PASSWORD})
        self.assertEqual(r.status, 401, r)
        self.assertError(self.req("GET", "/api/v1/staff/%d" % staff_id, token=self.token(ADMIN)), 404)
        for table, col in (("sessions", "user_id"), ("user_roles", "user_id"),
                           ("updates", "user_id"), ("reports", "shortlist_user")):
            n = self.sql("SELECT count(*) FROM %s WHERE %s = ?" % (table, col), (staff_id,))[0][0]
            self.assertEqual(n, 0, table)
        # Its report is anonymised; what it did stays, without its name.
        rep = self.fresh(rid)
        self.assertEqual(rep["reporter"]["email"], None)
        self.assertEqual(rep["reporter"]["name"], None)
        held_after = self.fresh(held)
        self.assertIsNone(held_after["shortlist_user"])
        self.assertGreater(held_after["seq"], before_held["seq"])
        self.assertIn("Inspected today", [u["text"] for u in held_after["updates"]])
        otype, oid, details = self.audit_newest("terminate_person")
        self.assertEqual((otype, oid), ("user", staff_id))
        self.assertTrue(details["account_removed"])
        self.assertNotIn(address, json.dumps(details))
        # Nothing is held any more.
        after = self.ok(self.export(ADMIN, address), 200)
        self.assertIsNone(after["staff_account"])
        self.assertEqual(after["reports"], [])
        self.assertEqual(after["updates"], [])

    def test_terminate_resident(self):
        address, _ = self.resident_with_updates()
        want = self.sql("SELECT count(*) FROM reports WHERE lower(reporter_email) = lower(?) "
                        "AND body_id = 1", (address,))[0][0]
        body = self.ok(self.terminate(ADMIN, address.upper()), 200)
        self.assertFalse(body["account_removed"])
        self.assertIsNone(body["staff_id"])
        self.assertEqual(body["reports_anonymised"], want)
        self.assertGreaterEqual(body["updates_anonymised"], 1)
        for table, col in (("reports", "reporter_email"), ("updates", "author_email"),
                           ("emails", "recipient")):
            n = self.sql("SELECT count(*) FROM %s WHERE lower(%s) = lower(?)" % (table, col),
                         (address,))[0][0]
            self.assertEqual(n, 0, table)
        after = self.ok(self.export(ADMIN, address), 200)
        self.assertEqual((after["reports"], after["updates"], after["emails"]), ([], [], []))
        # Another council's data is not touched.
        self.ok(self.terminate(ADMIN, OTHER_EMAIL), 200)
        self.assertEqual(self.sql("SELECT reporter_email FROM reports WHERE id = ?",
                                  (self.other_report,))[0][0], OTHER_EMAIL)

    # -- research export -------------------------------------------------------

    def personal_strings(self):
        """Every reporter email, name and phone, and every staff name and email."""
        out = set()
        for row in self.sql("SELECT reporter_email, reporter_name, reporter_phone FROM reports "
                            "UNION SELECT author_email, author_name, NULL FROM updates "
                            "UNION SELECT email, name, phone FROM users"):
            for v in row:
                if v and len(v) >= 5:
                    out.add(v.lower())
        self.assertGreater(len(out), 50)
        return out

    def test_research_export_needs_view_dashboard(self):
        r = self.req("POST", "/api/v1/roles", token=self.token(ADMIN), json={
            "name": "No dashboard %s" % uuid.uuid4().hex[:6],
            "permissions": ["view_all_reports", "view_report"]})
        role = unwrap(self.ok(r, 201), "role")["id"]
        _, _, tok = self.create_staff(role_ids=[role])
        err = self.assertError(self.research(tok), 403)
        self.assertIn("view_dashboard", err["message"])
        err = self.assertError(self.aggregate(tok), 403)
        self.assertIn("view_dashboard", err["message"])
        for who in kerbside.ROLES:
            self.assertEqual(self.research(self.token(who)).status, 200)
            self.assertEqual(self.aggregate(self.token(who)).status, 200)

    def test_research_export_json_is_anonymous(self):
        r = self.research(self.token(CUSTOMER_SERVICES))
        body = self.ok(r, 200)
        # No report id (nor any other link to the public report).
        self.assertEqual(body["columns"], ["category", "group", "state", "priority", "ward",
                                           "created", "confirmed", "fixed", "lat", "lon",
                                           "has_photo", "source"])
        public = self.sql("SELECT id, lat, lon FROM reports WHERE body_id = 1 "
                          "AND state NOT IN ('unconfirmed', 'hidden')")
        self.assertEqual(body["count"], len(body["rows"]))
        self.assertEqual(body["count"], len(public))
        for row in body["rows"]:
            self.assertEqual(len(row), 12)
            self.assertNotIsInstance(row[0], int)
        text = r.raw.lower()
        for s in self.personal_strings():
            self.assertNotIn(s, text)
        for t, in self.sql("SELECT title FROM reports WHERE body_id = 1"):
            if len(t) > 30:
                self.assertNotIn(json.dumps(t).lower(), text)
        # Each place is a real report's, on a grid of 3 decimals (about 100 m).
        grid = sorted((round(lat, 3), round(lon, 3)) for _, lat, lon in public)
        self.assertEqual(sorted((row[8], row[9]) for row in body["rows"]), grid)
        for row in body["rows"]:
            lat, lon = row[8], row[9]
            self.assertEqual(round(lat, 3), lat)
            self.assertEqual(round(lon, 3), lon)
            for d in row[5:8]:
                self.assertTrue(d is None or DAY.match(d), d)
            self.assertIsInstance(row[10], bool)
        self.assertNotIn("Hole elsewhere".lower(), text)
        # Every decimal has at most 3 places.
        self.assertIsNone(re.search(r"\d\.\d{4,}", r.raw))
        otype, oid, details = self.audit_newest("research_export")
        self.assertEqual((otype, oid), ("body", 1))
        self.assertEqual(details["rows"], body["count"])

    def test_research_export_csv_and_range(self):
        r = self.research(self.token(INSPECTOR), format="csv", **{"from": "2025-01-01",
                                                                  "to": "2025-06-30"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.raw)))
        self.assertEqual(rows[0][0], "category")
        self.assertNotIn("id", rows[0])
        self.assertEqual(len(rows[0]), 12)
        for row in rows[1:]:
            self.assertTrue("2025-01-01" <= row[5] <= "2025-06-30", row)
            self.assertRegex(row[8], r"^-?\d+\.\d{3}$")
        text = r.raw.lower()
        for s in self.personal_strings():
            self.assertNotIn(s, text)
        self.assertError(self.research(self.token(INSPECTOR), format="xml"), 422)
        self.assertError(self.research(self.token(INSPECTOR), **{"from": "2025-02-30x"}), 422)
        self.assertError(self.research(self.token(INSPECTOR), body_id=2), 404)

    def test_research_aggregate_suppresses_small_counts(self):
        truth = {w or None: n for w, n in self.sql(
            "SELECT ward, count(*) FROM reports WHERE body_id = 1 "
            "AND state NOT IN ('unconfirmed', 'hidden') GROUP BY ward")}
        self.assertTrue(any(n < 5 for n in truth.values()) or len(truth) > 0)
        body = self.ok(self.aggregate(self.token(INSPECTOR), by="ward"), 200)
        self.assertEqual(body["by"], ["ward"])
        self.assertEqual(body["min_count"], 5)
        got = {row["ward"]: row["count"] for row in body["rows"]}
        self.assertEqual(set(got), set(truth))
        for ward, n in truth.items():
            self.assertEqual(got[ward], n if n >= 5 else "<5", ward)
        self.assertEqual(body["suppressed"], sum(1 for n in truth.values() if n < 5))
        # Finer cells: many are small; none is given exactly below 5.
        def cells():
            truth = {}
            for c, created in self.sql(
                    "SELECT c.name, r.created FROM reports r "
                    "JOIN categories c ON c.id = r.category_id WHERE r.body_id = 1 "
                    "AND r.state NOT IN ('unconfirmed', 'hidden')"):
                month = time.strftime("%Y-%m", time.gmtime(created))
                truth[(c, month)] = truth.get((c, month), 0) + 1
            return truth
        truth = cells()
        if not any(n >= 5 for n in truth.values()):
            # The demo spreads its reports thinly: give one cell five (this month's).
            for i in range(5):
                self.create_report_for("research%d@example.org" % i)
            truth = cells()
        self.assertTrue(any(n < 5 for n in truth.values()))
        self.assertTrue(any(n >= 5 for n in truth.values()))
        r = self.aggregate(self.token(INSPECTOR), by="category,month", format="csv")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.raw)))
        self.assertEqual(rows[0], ["category", "month", "count"])
        names = {c for c, _ in truth}
        # (Category names a spreadsheet would run come with a leading ', as in any CSV.)
        got = {(row[0][1:] if row[0][:1] == "'" and row[0][1:] in names else row[0], row[1]): row[2]
               for row in rows[1:]}
        self.assertEqual(set(got), set(truth))
        for cell, n in truth.items():
            self.assertEqual(got[cell], str(n) if n >= 5 else "<5", cell)
        # Small cells come last, in key order: their place says nothing of their size.
        counts = [row[2] for row in rows[1:]]
        shown = [int(c) for c in counts if c != "<5"]
        self.assertEqual(counts, [str(c) for c in shown] + ["<5"] * (len(counts) - len(shown)))
        self.assertEqual(shown, sorted(shown, reverse=True))
        otype, oid, details = self.audit_newest("research_aggregate")
        self.assertEqual((otype, oid, details["by"]), ("body", 1, ["category", "month"]))
        # No personal data, and bad input is refused.
        text = r.raw.lower() + json.dumps(body).lower()
        for s in self.personal_strings():
            self.assertNotIn(s, text)
        for by in ("nope", "ward,ward", "ward,category,month,state", ",", "id"):
            self.assertError(self.aggregate(self.token(INSPECTOR), by=by), 422)
        self.assertError(self.aggregate(self.token(INSPECTOR), format="xml"), 422)
        self.assertError(self.aggregate(self.token(INSPECTOR), body_id=2), 404)

    FORMULAS = ["=1+2", "  =HYPERLINK(\"http://evil.invalid\",\"x\")", " +SUM(A1)", "\t=1",
                "\r\n@cmd", "\u00a0-2+3", "\u3000=1", "\uff1d1+1", "\u200b=1", "\tplain"]

    def assertNoFormula(self, raw):
        """Every cell of a CSV that a spreadsheet would run as a formula starts with '."""
        runnable = re.compile("^[\\s\u00a0\u200b\u3000\ufeff]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
        number = re.compile(r"^-?\d+(\.\d+)?$")
        for row in csv.reader(io.StringIO(raw, newline="")):
            for cell in row:
                if number.match(cell):
                    continue
                self.assertFalse(runnable.match(cell) or cell[:1] in ("\t", "\r"),
                                 "a spreadsheet would run %r" % cell)

    def test_csv_exports_neutralise_formulas(self):
        cats = []
        for i, text in enumerate(self.FORMULAS):
            r = self.req("POST", "/api/v1/categories", token=self.token(ADMIN), json={
                "code": "F%d%s" % (i, uuid.uuid4().hex[:6]), "name": text + " cat",
                "groups": [" @group%d" % i]})
            cats.append(unwrap(self.ok(r, 201), "category"))
        for cat, text in zip(cats, self.FORMULAS):
            r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES), json={
                "category_id": cat["id"], "title": re.sub(r"[\t\r\n]", " ", text),
                "detail": "Formula test",
                "lat": 51.752, "lon": -1.258, "reporter": {"name": "Formula Tester"}})
            self.ok(r, 201)
        runnable = re.compile("^[\\s\u00a0\u200b\u3000]*[=+\\-@\uff1d]")
        ids = [c["id"] for c in cats]
        marks = ",".join("?" * len(ids))
        names = [n for n, in self.sql("SELECT name FROM categories WHERE id IN (%s)" % marks, ids)]
        titles = [t for t, in self.sql("SELECT title FROM reports WHERE category_id IN (%s)" % marks,
                                       ids)]
        for path, query, texts in (("/api/v1/research/export", {"format": "csv"}, names),
                                   ("/api/v1/dashboard/export.csv", {}, titles)):
            r = self.req("GET", path, token=self.token(ADMIN), query=query)
            self.assertEqual(r.status, 200, r)
            self.assertNoFormula(r.raw)
            cells = {c for row in csv.reader(io.StringIO(r.raw, newline="")) for c in row}
            # Neutralised, not dropped: the text follows the apostrophe unchanged.
            self.assertEqual(len(texts), len(self.FORMULAS))
            for text in texts:
                if runnable.match(text) or text[:1] in ("\t", "\r"):
                    self.assertIn("'" + text, cells, path)
                else:
                    self.assertIn(text, cells, path)

    # -- email opt-out ---------------------------------------------------------

    def new_mails(self, before):
        out = []
        for path in sorted(self.outbox() - before):
            with open(path, "rb") as f:
                out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
        return out

    def optout_link(self, msg):
        text = msg.get_content()
        m = re.search(r"/unsubscribe\?token=([A-Za-z0-9_-]+)", text)
        self.assertTrue(m, text)
        self.assertIn(m.group(1), msg["List-Unsubscribe"])
        return m.group(1)

    def test_unsubscribe_bad_tokens(self):
        count = self.sql("SELECT count(*) FROM email_optouts")[0][0]
        self.assertError(self.req("GET", "/api/v1/unsubscribe"), 422)
        self.assertError(self.req("GET", "/api/v1/unsubscribe", query={"token": "x" * 43}), 404)
        self.assertError(self.req("GET", "/api/v1/unsubscribe", query={"token": "' OR 1=1 --"}), 404)
        self.assertError(self.req("POST", "/api/v1/unsubscribe", query={"token": "y" * 500}), 404)
        self.assertEqual(self.sql("SELECT count(*) FROM email_optouts")[0][0], count)

    def test_optout_stops_mail_for_that_address_only(self):
        a = "optout-a-%s@example.org" % uuid.uuid4().hex[:8]
        b = "optout-b-%s@example.org" % uuid.uuid4().hex[:8]
        ra, rb = self.create_report_for(a), self.create_report_for(b)
        before = self.outbox()
        self.request_info(ra)
        mails = self.new_mails(before)
        self.assertEqual(len(mails), 1)
        token = self.optout_link(mails[0])
        # The link works without signing in, and more than once.
        for _ in range(2):
            r = self.req("GET", "/api/v1/unsubscribe", query={"token": token})
            self.assertTrue(self.ok(r, 200)["unsubscribed"])
        self.assertEqual(self.sql("SELECT count(*) FROM email_optouts WHERE address_hash = ?",
                                  (sha256(a),))[0][0], 1)
        self.assertEqual(self.sql("SELECT count(*) FROM email_optouts WHERE address_hash = ?",
                                  (sha256(b),))[0][0], 0)
        # The next mail to a is recorded but not written; b still gets theirs.
        before = self.outbox()
        self.request_info(ra, "Still there?")
        self.request_info(rb)
        mails = self.new_mails(before)
        self.assertEqual([str(m["To"]).strip("<>") for m in mails], [b])
        rows = self.sql("SELECT file FROM emails WHERE recipient = ? AND subject LIKE ? ORDER BY id",
                        (a, "%needs more information%"))
        self.assertEqual(len(rows), 2)
        self.assertIsNotNone(rows[0][0])
        self.assertIsNone(rows[1][0])

    def test_optout_keeps_sign_in_codes(self):
        # A staff member who opted out of report mail still gets sign-in codes.
        address, _, _ = self.create_staff(role_ids=[self.role_id("Inspectors")])
        rid = self.create_report_for(address, "Staff Resident")
        before = self.outbox()
        self.request_info(rid)
        token = self.optout_link(self.new_mails(before)[0])
        self.ok(self.req("GET", "/api/v1/unsubscribe", query={"token": token}), 200)
        before = self.outbox()
        self.request_info(rid, "Any news?")
        self.assertEqual(self.new_mails(before), [])
        r = self.req("POST", "/api/v1/auth/email", json={"email": address})
        self.assertEqual(r.status, 202, r)
        mails = self.new_mails(before)
        self.assertEqual(len(mails), 1)
        self.assertIn("sign-in", str(mails[0]["Subject"]).lower())
        self.assertIsNone(mails[0]["List-Unsubscribe"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
