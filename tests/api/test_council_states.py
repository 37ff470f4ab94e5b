# SPDX-License-Identifier: GPL-3.0-or-later
"""A council's own states: created and changed by those who set categories
(audited), listed with the built-in ones, usable by Change State, templates and
bulk actions, grouped by their kind in the list's filter, mapped in Open311;
bad input changes nothing; a state's code and an email template's kind are set
once (422 naming the field for a change)."""

import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, items, unwrap  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


def is_open(r):
    return r["state"] in OPEN


class CouncilStatesTest(kerbside.ServerTestCase):

    def create(self, body, who=ADMIN):
        return self.req("POST", "/api/v1/council-states", token=self.token(who), json=body)

    def state_ids(self, who=INSPECTOR):
        r = self.req("GET", "/api/v1/states", token=self.token(who))
        return {s["id"]: s for s in items(self.ok(r, 200), "states")}

    def set_state(self, rep, state, who=INSPECTOR):
        return self.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=self.token(who),
                        json={"state": state, "version": rep["version"]})

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def test_state_created_listed_and_used(self):
        r = self.create({"code": "awaiting_contractor", "label": "Awaiting contractor",
                         "kind": "open", "open311_status": "action_scheduled", "position": 2})
        made = unwrap(self.ok(r, 201), "state")
        self.assertEqual((made["code"], made["kind"], made["active"]),
                         ("awaiting_contractor", "open", True))
        # Listed after the built-in states, with its kind and mapping.
        states = self.state_ids()
        self.assertIn("confirmed", states)
        s = states["awaiting_contractor"]
        self.assertEqual((s["label"], s["kind"], s["open311_status"]),
                         ("Awaiting contractor", "open", "action_scheduled"))
        self.assertTrue(s["colour"].startswith("#"))
        # Audited.
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "state", "limit": 5})
        self.assertIn("create_state", [e["action"] for e in items(self.ok(r, 200), "entries")])

        # Change State takes it; the report carries it; the "open" group finds it.
        rep = self.fresh(self.claim_public_report(is_open)["id"])
        after = unwrap(self.ok(self.set_state(rep, "awaiting_contractor"), 200), "report")
        self.assertEqual(after["state"], "awaiting_contractor")
        self.assertEqual(self.fresh(rep["id"])["state"], "awaiting_contractor")
        ids = {x["id"] for x in self.list_all(self.token(INSPECTOR), state="open", limit=1000)}
        self.assertIn(rep["id"], ids)
        ids = {x["id"] for x in self.list_all(self.token(INSPECTOR), state="closed", limit=1000)}
        self.assertNotIn(rep["id"], ids)

        # Open311: open in GET requests, its own status in the updates.
        r = self.req("GET", "/open311/v2/requests/%d.json" % rep["id"])
        self.assertEqual(self.ok(r, 200)[0]["status"], "open")
        r = self.req("POST", "/api/v1/api-keys", token=self.token(ADMIN),
                     json={"name": "FixMyStreet (states)"})
        key = self.ok(r, 201)["key"]
        r = self.req("GET", "/open311/v2/servicerequestupdates.json",
                     query={"api_key": key, "start_date": "2000-01-01T00:00:00Z"})
        body = self.ok(r, 200)
        if isinstance(body, dict):
            body = body["service_request_updates"]
        mine = [u for u in body
                if u["service_request_id"] == str(rep["id"])]
        self.assertEqual(mine[-1]["status"], "action_scheduled")

    def test_closed_state_in_template_and_bulk(self):
        r = self.create({"code": "passed_to_highways", "label": "Passed to Highways England",
                         "kind": "closed"})
        self.ok(r, 201)
        r = self.req("POST", "/api/v1/templates", token=self.token(ADMIN), json={
            "title": "Highways England", "text": "We passed {{title}} to Highways England.",
            "state": "passed_to_highways", "category_ids": []})
        tid = unwrap(self.ok(r, 201), "template")["id"]
        rep = self.fresh(self.claim_public_report(is_open)["id"])
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=self.token(INSPECTOR),
                     json={"template_id": tid, "text": "We passed it on.",
                           "version": rep["version"]})
        self.assertEqual(unwrap(self.ok(r, 200, 201), "report")["state"], "passed_to_highways")
        self.assertEqual(self.state_ids()["passed_to_highways"]["open311_status"], "closed")
        r = self.req("GET", "/open311/v2/requests/%d.json" % rep["id"])
        self.assertEqual(self.ok(r, 200)[0]["status"], "closed")

        two = [self.fresh(self.claim_public_report(is_open)["id"]) for _ in range(2)]
        r = self.req("POST", "/api/v1/reports/bulk", token=self.token(INSPECTOR), json={
            "action": "state", "params": {"state": "passed_to_highways"},
            "items": [{"id": x["id"], "version": x["version"]} for x in two]})
        self.assertEqual([x["status"] for x in self.ok(r, 200)["results"]], ["ok", "ok"])
        for x in two:
            self.assertEqual(self.fresh(x["id"])["state"], "passed_to_highways")

    def test_inactive_state_not_offered(self):
        made = unwrap(self.ok(self.create({"code": "winter_backlog", "label": "Winter backlog",
                                           "kind": "open"}), 201), "state")
        r = self.req("PATCH", "/api/v1/council-states/%d" % made["id"], token=self.token(ADMIN),
                     json={"active": False, "label": "Winter backlog (old)"})
        self.assertFalse(unwrap(self.ok(r, 200), "state")["active"])
        self.assertEqual(self.state_ids()["winter_backlog"]["label"], "Winter backlog (old)")
        rep = self.fresh(self.claim_public_report(is_open)["id"])
        self.assertError(self.set_state(rep, "winter_backlog"), 422)
        self.assertEqual(self.fresh(rep["id"]), rep)

    def test_create_only_fields_cannot_be_changed(self):
        admin = self.token(ADMIN)
        made = unwrap(self.ok(self.create({"code": "awaiting_parts", "label": "Awaiting parts",
                                           "kind": "open"}), 201), "state")
        path = "/api/v1/council-states/%d" % made["id"]
        err = self.assertError(self.req("PATCH", path, token=admin,
                                        json={"code": "awaiting_stock", "label": "Changed"}),
                               422, "invalid")
        self.assertEqual(err.get("field"), "code")
        self.assertIn("code", err["message"])
        self.assertEqual(self.state_ids(ADMIN)["awaiting_parts"]["label"], "Awaiting parts")
        self.assertNotIn("awaiting_stock", self.state_ids(ADMIN))
        # An email template's kind, the same way.
        r = self.req("POST", "/api/v1/email-templates", token=admin,
                     json={"kind": "moderated", "subject": "Moderated", "text": "Changed: {{title}}"})
        tpl = unwrap(self.ok(r, 201), "email_template")
        self.addCleanup(self.req, "DELETE", "/api/v1/email-templates/%d" % tpl["id"], token=admin)
        path = "/api/v1/email-templates/%d" % tpl["id"]
        err = self.assertError(self.req("PATCH", path, token=admin,
                                        json={"kind": "update", "subject": "Other"}), 422, "invalid")
        self.assertEqual(err.get("field"), "kind")
        listed = self.ok(self.req("GET", "/api/v1/email-templates", token=admin))
        same = [t for t in listed["email_templates"] if t["id"] == tpl["id"]]
        self.assertEqual([(t["kind"], t["subject"]) for t in same], [("moderated", "Moderated")])
        # Repeating the kind it has changes the rest.
        r = self.req("PATCH", path, token=admin, json={"kind": "moderated", "subject": "Other"})
        self.assertEqual(unwrap(self.ok(r, 200), "email_template")["subject"], "Other")

    def test_bad_input_changes_nothing(self):
        before = self.state_ids(ADMIN)
        for bad in ({"code": "fixed", "label": "Fixed again", "kind": "fixed"},
                    {"code": "has space", "label": "X", "kind": "open"},
                    {"code": "pending_x", "label": "X", "kind": "pending"},
                    {"code": "pending_y", "label": "X", "kind": "hidden"},
                    {"code": "pending_z", "label": "X", "kind": "open",
                     "open311_status": "bogus"},
                    {"code": "pending_w", "label": "  ", "kind": "open"},
                    {"label": "No code", "kind": "open"}):
            self.assertError(self.create(bad), 422)
        self.assertError(self.create({"code": "by_inspector", "label": "X", "kind": "open"},
                                     who=INSPECTOR), 403)
        self.assertEqual(self.state_ids(ADMIN), before)
        # A state that does not exist is refused by Change State.
        rep = self.fresh(self.claim_public_report(is_open)["id"])
        self.assertError(self.set_state(rep, "no_such_state"), 422)


if __name__ == "__main__":
    unittest.main(verbosity=2)
