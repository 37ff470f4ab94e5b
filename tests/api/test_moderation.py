# SPDX-License-Identifier: GPL-3.0-or-later
"""Moderating single updates of a report's timeline: editing an update's text
(moderate_report), hiding and showing it again (hide_report), the moderation
history, the sync, the audit, and Open311 output without hidden updates."""

import json
import os
import sys
import time
import unittest
import urllib.parse
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}


def w3c(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class ModerationTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN),
                           json={"name": "FixMyStreet (moderation tests)"})
        assert r.status == 201, r
        cls.key = r.body["key"]

    # -- helpers ----------------------------------------------------------------

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def on_update(self, who, rid, uid, action, body, headers=None):
        return self.req("POST", "/api/v1/reports/%d/updates/%d/%s" % (rid, uid, action),
                        token=self.token(who), json=body, headers=headers)

    def report_of(self, r):
        body = self.ok(r, 200)
        self.assertIn("report", body, r)
        return body["report"]

    def with_public_update(self, text=None):
        """A claimed open report with a new public staff update; (report, update)."""
        rep = self.claim_public_report(lambda r: r["state"] in OPEN)
        text = text or "Crew booked for Tuesday (%s)." % uuid.uuid4().hex[:6]
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"],
                     token=self.token(INSPECTOR), json={"text": text})
        after = self.ok(r, 200, 201)["report"]
        return after, after["updates"][-1]

    def update_of(self, report, uid):
        return [u for u in report["updates"] if u["id"] == uid][0]

    def open311_update_ids(self, start, end):
        q = urllib.parse.urlencode({"api_key": self.key, "start_date": w3c(start),
                                    "end_date": w3c(end)})
        ids = set()
        for fmt in ("json", "xml"):
            r = self.req("GET", "/open311/v2/servicerequestupdates.%s?%s" % (fmt, q),
                         headers=FORM)
            self.assertEqual(r.status, 200, r)
            if fmt == "json":
                ids |= {u["update_id"] for u in json.loads(r.raw)}
            else:
                import xml.etree.ElementTree as ET
                ids |= {e.findtext("update_id")
                        for e in ET.fromstring(r.raw.encode()).findall("request_update")}
        return ids, r

    def assertChanged(self, before, after):
        self.assertEqual(after["version"], before["version"] + 1)
        self.assertGreater(after["seq"], before["seq"])

    # -- edit ---------------------------------------------------------------------

    def test_moderate_update_text_keeps_history(self):
        before, upd = self.with_public_update("Call 07700 900999 for Mr Smith's car.")
        r = self.on_update(CUSTOMER_SERVICES, before["id"], upd["id"], "moderate", {
            "text": "Crew booked.", "reason": "Personal details in the text",
            "version": before["version"]})
        after = self.report_of(r)
        self.assertChanged(before, after)
        self.assertEqual(self.update_of(after, upd["id"])["text"], "Crew booked.")
        self.assertFalse(self.update_of(after, upd["id"])["hidden"])
        m = after["moderation"][-1]
        self.assertEqual(m["update_id"], upd["id"])
        self.assertEqual(m["action"], "edit")
        self.assertEqual(m["reason"], "Personal details in the text")
        self.assertEqual(m["before"]["text"], "Call 07700 900999 for Mr Smith's car.")
        self.assertEqual(m["after"]["text"], "Crew booked.")
        self.assertTrue(m["user"])
        self.assertTrue(m["created"])
        self.assertEqual(self.fresh(before["id"]), after)
        # The sync carries the change.
        page = self.ok(self.req("GET", "/api/v1/sync?since=%d" % before["seq"],
                                token=self.token(ADMIN)))
        self.assertIn(before["id"], [x["id"] for x in page["reports"]])
        # The same text again changes nothing, whatever version it was based on.
        again = self.report_of(self.on_update(CUSTOMER_SERVICES, before["id"], upd["id"],
                                              "moderate", {"text": "Crew booked.",
                                                           "reason": "again",
                                                           "version": before["version"]}))
        self.assertEqual(again, after)
        # Audited.
        rows = self.server.sql("SELECT details FROM audit_log WHERE action = 'moderate_update' "
                               "AND object_id = ?", (before["id"],))
        self.assertEqual(len(rows), 1)
        self.assertEqual(json.loads(rows[0][0])["update_id"], upd["id"])

    def test_moderate_update_refusals_change_nothing(self):
        before, upd = self.with_public_update()
        rid, uid = before["id"], upd["id"]
        cases = [
            (INSPECTOR, "moderate", {"text": "x", "reason": "r", "version": before["version"]}, 403),
            (MAINTENANCE, "moderate", {"text": "x", "reason": "r", "version": before["version"]}, 403),
            (CUSTOMER_SERVICES, "moderate", {"text": "x", "version": before["version"]}, 422),
            (CUSTOMER_SERVICES, "moderate", {"text": "x", "reason": "  ", "version": before["version"]}, 422),
            (CUSTOMER_SERVICES, "moderate", {"text": " ", "reason": "r", "version": before["version"]}, 422),
            (CUSTOMER_SERVICES, "moderate", {"text": "x", "reason": "r"}, 422),
            (CUSTOMER_SERVICES, "moderate", {"text": "x", "reason": "r", "version": before["version"] - 1}, 409),
            (CUSTOMER_SERVICES, "moderate", {"text": 5, "reason": "r", "version": before["version"]}, 422),
            (INSPECTOR, "hide", {"reason": "r", "version": before["version"]}, 403),
            (MAINTENANCE, "hide", {"reason": "r", "version": before["version"]}, 403),
            (CUSTOMER_SERVICES, "hide", {"version": before["version"]}, 422),
            (CUSTOMER_SERVICES, "hide", {"reason": "r", "version": before["version"] - 1}, 409),
        ]
        for who, action, body, status in cases:
            r = self.on_update(who, rid, uid, action, body)
            self.assertError(r, status)
            self.assertTrue(r.body["error"]["message"].endswith("."), r)
            self.assertEqual(self.fresh(rid), before, (who, action, body))
        # No such update, or an update of another report: 404.
        other, other_upd = self.with_public_update()
        r = self.on_update(CUSTOMER_SERVICES, rid, other_upd["id"], "hide",
                           {"reason": "r", "version": before["version"]})
        self.assertError(r, 404)
        r = self.on_update(CUSTOMER_SERVICES, rid, 999999999, "moderate",
                           {"text": "x", "reason": "r", "version": before["version"]})
        self.assertError(r, 404)
        # A record of a staff action (the "created" entry, a priority change) is not moderated.
        created = [u for u in before["updates"] if u["kind"] not in
                   ("update", "state", "acknowledge", "request_info")]
        if created:
            r = self.on_update(ADMIN, rid, created[0]["id"], "hide",
                               {"reason": "r", "version": before["version"]})
            self.assertError(r, 422)
        self.assertEqual(self.fresh(rid), before)
        self.assertEqual(self.fresh(other["id"]), other)

    # -- hide and unhide ---------------------------------------------------------

    def test_hide_and_unhide_update(self):
        t0 = int(time.time()) - 1
        before, upd = self.with_public_update()
        rid, uid = before["id"], upd["id"]
        ids, _ = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertIn(str(uid), ids)
        key = str(uuid.uuid4())
        r = self.on_update(CUSTOMER_SERVICES, rid, uid, "hide",
                           {"reason": "Abusive language", "version": before["version"]},
                           {"Idempotency-Key": key})
        hidden = self.report_of(r)
        self.assertChanged(before, hidden)
        self.assertTrue(self.update_of(hidden, uid)["hidden"])
        self.assertEqual(self.update_of(hidden, uid)["text"], upd["text"])
        m = hidden["moderation"][-1]
        self.assertEqual((m["update_id"], m["action"], m["reason"]),
                         (uid, "hide", "Abusive language"))
        self.assertEqual((m["before"]["hidden"], m["after"]["hidden"]), (False, True))
        # The same key again: the same answer, nothing applied twice.
        again = self.on_update(CUSTOMER_SERVICES, rid, uid, "hide",
                               {"reason": "Abusive language", "version": before["version"]},
                               {"Idempotency-Key": key})
        self.assertEqual(again.status, 200)
        self.assertEqual(again.body, r.body)
        self.assertEqual(self.fresh(rid), hidden)
        # Hiding a hidden update (any version) changes nothing.
        self.assertEqual(self.report_of(self.on_update(
            ADMIN, rid, uid, "hide", {"reason": "twice", "version": before["version"]})), hidden)
        # Gone from Open311 (both formats), still there for staff.
        ids, raw = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertNotIn(str(uid), ids)
        self.assertNotIn(upd["text"], raw.raw)
        self.assertIn(uid, [u["id"] for u in self.fresh(rid)["updates"]])
        # Unhide needs hide_report too.
        r = self.on_update(INSPECTOR, rid, uid, "unhide",
                           {"reason": "mistake", "version": hidden["version"]})
        self.assertError(r, 403)
        self.assertEqual(self.fresh(rid), hidden)
        shown = self.report_of(self.on_update(ADMIN, rid, uid, "unhide",
                                              {"reason": "Hidden by mistake",
                                               "version": hidden["version"]}))
        self.assertChanged(hidden, shown)
        self.assertFalse(self.update_of(shown, uid)["hidden"])
        self.assertEqual(shown["moderation"][-1]["action"], "unhide")
        ids, _ = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertIn(str(uid), ids)
        actions = [a for (a,) in self.server.sql(
            "SELECT action FROM audit_log WHERE object_id = ? AND action LIKE '%_update' "
            "ORDER BY id", (rid,))]
        self.assertEqual(actions, ["update_report", "hide_update", "unhide_update"]
                         if "update_report" in actions else ["hide_update", "unhide_update"])

    def test_open311_update_moderated_and_hidden(self):
        # An update that came from an Open311 client (FixMyStreet) is moderated the same way.
        rep = self.claim_public_report(lambda r: r["state"] in OPEN)
        t0 = int(time.time()) - 1
        form = {"api_key": self.key, "service_request_id": str(rep["id"]),
                "update_id": "fms-mod-%s" % uuid.uuid4().hex[:6],
                "description": "The driver of AB12 CDE did this, ring me on 07700 900111",
                "updated_datetime": w3c(int(time.time()) - 1),
                "first_name": "Pat", "last_name": "Resident", "email": "pat@example.org"}
        r = self.req("POST", "/open311/v2/servicerequestupdates.json",
                     body=urllib.parse.urlencode(form), headers=FORM)
        self.assertEqual(r.status, 200, r)
        uid = int(json.loads(r.raw)[0]["update_id"])
        before = self.fresh(rep["id"])
        upd = self.update_of(before, uid)
        self.assertEqual(upd["source"], "open311")
        ids, _ = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertIn(str(uid), ids)
        edited = self.report_of(self.on_update(
            CUSTOMER_SERVICES, rep["id"], uid, "moderate",
            {"text": "The driver of [number plate removed] did this.",
             "reason": "Number plate and phone number", "version": before["version"]}))
        ids, raw = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertIn(str(uid), ids)
        self.assertNotIn("AB12 CDE", raw.raw)
        self.assertIn("[number plate removed]", raw.raw)
        hidden = self.report_of(self.on_update(
            CUSTOMER_SERVICES, rep["id"], uid, "hide",
            {"reason": "Still too much", "version": edited["version"]}))
        self.assertTrue(self.update_of(hidden, uid)["hidden"])
        ids, raw = self.open311_update_ids(t0, int(time.time()) + 1)
        self.assertNotIn(str(uid), ids)
        self.assertNotIn("number plate removed", raw.raw)
        entries = [m for m in hidden["moderation"] if m["update_id"] == uid]
        self.assertEqual([m["action"] for m in entries], ["edit", "hide"])
        self.assertIn("AB12 CDE", entries[0]["before"]["text"])

    def test_hidden_update_photo_is_not_public(self):
        rep = self.claim_public_report(lambda r: r["state"] in OPEN)
        png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=self.token(INSPECTOR),
                     json={"text": "Photo of the hole.", "photo": png})
        after = self.ok(r, 200, 201)["report"]
        upd = after["updates"][-1]
        self.assertTrue(upd["photo"])
        name = upd["photo"].rsplit("/", 1)[-1]
        public = self.req("GET", "/open311/v2/media/" + name)
        hidden = self.report_of(self.on_update(CUSTOMER_SERVICES, rep["id"], upd["id"], "hide",
                                               {"reason": "Face", "version": after["version"]}))
        self.assertTrue(self.update_of(hidden, upd["id"])["hidden"])
        self.assertEqual(public.status, 200, public)
        self.assertEqual(self.req("GET", "/open311/v2/media/" + name).status, 404)
        # Staff still see it.
        self.assertEqual(self.req("GET", upd["photo"], token=self.token(CUSTOMER_SERVICES)).status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
