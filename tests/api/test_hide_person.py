#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
""""Hide everywhere": a moderator (hide_report) hides all of one person's
reports and updates in the council at once, from one of their reports, and
undoes it: each report hidden and shown again in its earlier state with its
timeline row, each update hidden with its moderation record; exactly what was
hidden so is shown again (not what was hidden one by one); the sync carries
them; Open311 no longer gives them; audited without the address; refusals
change nothing."""

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
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, unwrap  # noqa: E402

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}
V2 = "/open311/v2/"


def w3c(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class HidePersonTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.req("POST", "/api/v1/api-keys", token=cls.token(ADMIN),
                           json={"name": "FixMyStreet (hide everywhere tests)"})
        assert r.status == 201, r
        cls.key = r.body["key"]

    def create(self, email, title):
        admin = self.token(ADMIN)
        category = self.active_category(admin)["id"]
        reporter = {"name": "Pat Person"}
        if email:
            reporter["email"] = email
        r = self.req("POST", "/api/v1/reports", token=admin,
                     json={"category_id": category, "title": title,
                           "detail": "Left on the pavement", "lat": 51.7525, "lon": -1.2585,
                           "reporter": reporter})
        return unwrap(self.ok(r, 201), "report")

    def open311_update(self, report_id, email):
        form = {"api_key": self.key, "service_request_id": str(report_id),
                "update_id": "fms-hide-%s" % uuid.uuid4().hex[:6],
                "description": "Still there, and the owner is a nuisance",
                "updated_datetime": w3c(int(time.time()) - 1),
                "first_name": "Pat", "last_name": "Person", "email": email}
        r = self.req("POST", V2 + "servicerequestupdates.json",
                     body=urllib.parse.urlencode(form), headers=FORM)
        self.assertEqual(r.status, 200, r)
        return int(json.loads(r.raw)[0]["update_id"])

    def open311_request(self, report_id):
        r = self.req("GET", V2 + "requests/%d.json" % report_id, headers=FORM)
        return r.status

    def open311_update_ids(self, start):
        q = urllib.parse.urlencode({"api_key": self.key, "start_date": w3c(start),
                                    "end_date": w3c(int(time.time()) + 1)})
        r = self.req("GET", V2 + "servicerequestupdates.json?" + q, headers=FORM)
        self.assertEqual(r.status, 200, r)
        return {int(u["update_id"]) for u in json.loads(r.raw)}

    def person(self, who, report_id, action, body):
        return self.req("POST", "/api/v1/reports/%d/reporter/%s" % (report_id, action),
                        token=self.token(who), json=body)

    def state(self, report_id):
        return self.detail(self.token(ADMIN), report_id)["state"]

    def update_hidden(self, report_id, update_id):
        rep = self.detail(self.token(ADMIN), report_id)
        return [u for u in rep["updates"] if u["id"] == update_id][0]["hidden"]

    def test_hide_everywhere_and_undo(self):
        t0 = int(time.time()) - 1
        tag = uuid.uuid4().hex[:6]
        email = "pat.person.%s@example.org" % tag
        mine = [self.create(email, "Sofa %d" % i) for i in range(2)]
        mine.append(self.create(email.upper(), "Mattress"))  # the same person, other case
        alone = self.create(email, "Hidden on its own")
        other = self.create("someone.else.%s@example.org" % tag, "Fridge")
        # Their update on someone else's report, through Open311.
        update = self.open311_update(other["id"], email)
        self.assertIn(update, self.open311_update_ids(t0))
        for rep in mine:
            self.assertEqual(self.open311_request(rep["id"]), 200)
        # One of theirs hidden on its own beforehand.
        r = self.req("POST", "/api/v1/reports/%d/hide" % alone["id"],
                     token=self.token(CUSTOMER_SERVICES),
                     json={"reason": "Rude", "version": alone["version"]})
        self.ok(r, 200)
        seq = self.current_seq()

        # Refusals change nothing: not allowed, no reason, no address to go by.
        self.assertError(self.person(INSPECTOR, mine[0]["id"], "hide", {"reason": "Abuse"}), 403)
        self.assertError(self.person(CUSTOMER_SERVICES, mine[0]["id"], "hide",
                                     {"reason": "  "}), 422)
        self.assertError(self.person(CUSTOMER_SERVICES, mine[0]["id"], "hide", {}), 422)
        no_email = self.create(None, "Phoned in")
        self.assertError(self.person(CUSTOMER_SERVICES, no_email["id"], "hide",
                                     {"reason": "Abuse"}), 422)
        self.assertError(self.person(CUSTOMER_SERVICES, mine[0]["id"], "unhide",
                                     {"reason": "Undo"}), 404)
        for rep in mine:
            self.assertEqual(self.state(rep["id"]), "confirmed")
        self.assertFalse(self.update_hidden(other["id"], update))

        # Hidden everywhere, from any of their reports.
        r = self.person(CUSTOMER_SERVICES, mine[1]["id"], "hide",
                        {"reason": "Abusive reports from one person"})
        body = self.ok(r, 200)
        self.assertTrue(body["hidden_everywhere"])
        self.assertEqual(sorted(body["reports"]), sorted(x["id"] for x in mine))
        self.assertEqual(body["updates"], [update])
        self.assertEqual(body["report"]["state"], "hidden")
        for rep in mine:
            detail = self.detail(self.token(ADMIN), rep["id"])
            self.assertEqual(detail["state"], "hidden")
            self.assertEqual(detail["updates"][-1]["kind"], "hide")
            self.assertEqual(detail["updates"][-1]["text"], "Abusive reports from one person")
            self.assertEqual(self.open311_request(rep["id"]), 404)
        self.assertTrue(self.update_hidden(other["id"], update))
        self.assertNotIn(update, self.open311_update_ids(t0))
        self.assertEqual(self.state(other["id"]), "confirmed")
        moderation = self.detail(self.token(ADMIN), other["id"])["moderation"]
        self.assertEqual([(m["update_id"], m["action"]) for m in moderation], [(update, "hide")])
        # The sync carries every one of them.
        reports, _, _ = self.sync_all(self.token(ADMIN), since=seq)
        synced = {x["id"]: x for x in reports}
        for rep in mine:
            self.assertEqual(synced[rep["id"]]["state"], "hidden")
        self.assertIn(other["id"], synced)
        # Audited, without the address.
        rows = self.server.sql("SELECT action, object_id, details FROM audit_log "
                               "WHERE action = 'hide_everywhere'")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], mine[1]["id"])
        self.assertNotIn(email, rows[0][2])
        self.assertEqual(json.loads(rows[0][2])["updates"], [update])
        # Again: nothing more to hide.
        again = self.ok(self.person(CUSTOMER_SERVICES, mine[0]["id"], "hide",
                                    {"reason": "Again"}), 200)
        self.assertEqual((again["reports"], again["updates"]), ([], []))

        # Undone: exactly those shown again, in the state they had.
        r = self.person(ADMIN, mine[2]["id"], "unhide", {"reason": "Sorted out with them"})
        body = self.ok(r, 200)
        self.assertFalse(body["hidden_everywhere"])
        self.assertEqual(sorted(body["reports"]), sorted(x["id"] for x in mine))
        self.assertEqual(body["updates"], [update])
        for rep in mine:
            self.assertEqual(self.state(rep["id"]), "confirmed")
            self.assertEqual(self.open311_request(rep["id"]), 200)
        self.assertEqual(self.state(alone["id"]), "hidden")
        self.assertFalse(self.update_hidden(other["id"], update))
        self.assertIn(update, self.open311_update_ids(t0))
        self.assertEqual(len(self.server.sql("SELECT id FROM audit_log "
                                             "WHERE action = 'unhide_everywhere'")), 1)
        self.assertError(self.person(ADMIN, mine[2]["id"], "unhide", {"reason": "Twice"}), 404)


if __name__ == "__main__":
    unittest.main()
