# SPDX-License-Identifier: GPL-3.0-or-later
"""Report actions: what each changes, idempotent replays, stale versions,
the shortlist, the outbox, and reports created on a resident's behalf."""

import os
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, items, unwrap  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}
NEW_PASSWORD = "quiet-meadow-lantern-7391"


def is_open(r):
    return r["state"] in OPEN


def has_email(r):
    return bool(r.get("reporter") and r["reporter"].get("email"))


class ActionsTest(kerbside.ServerTestCase):

    def act(self, who, rid, action, body, headers=None):
        return self.req("POST", "/api/v1/reports/%d/%s" % (rid, action),
                        token=self.token(who), json=body, headers=headers)

    def report_of(self, r, *statuses):
        body = self.ok(r, *(statuses or (200,)))
        self.assertIn("report", body, r)
        return body["report"]

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def assertChanged(self, before, after, n=1):
        self.assertEqual(after["version"], before["version"] + n)
        self.assertGreater(after["seq"], before["seq"])
        self.assertGreaterEqual(after["updated"], before["updated"])

    def assertUnchanged(self, before, rid):
        self.assertEqual(self.fresh(rid), before)

    def outbox_files(self):
        return kerbside.outbox_files(self.server.outbox, "*")

    # -- acknowledge -------------------------------------------------------------

    def test_acknowledge(self):
        rep = self.claim_report(lambda r: is_open(r) and not r["acknowledged"])
        before = self.fresh(rep["id"])
        after = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "acknowledge", {}))
        self.assertIsNotNone(after["acknowledged"])
        self.assertTrue(after["acknowledged_by"])
        self.assertEqual(after["state"], before["state"])
        self.assertChanged(before, after)
        self.assertEqual(self.fresh(rep["id"]), after)
        # A second acknowledgement keeps the first one's time.
        again = self.report_of(self.act(INSPECTOR, rep["id"], "acknowledge", {}))
        self.assertEqual(again["acknowledged"], after["acknowledged"])
        self.assertEqual(again["acknowledged_by"], after["acknowledged_by"])

    def test_acknowledge_with_template_needs_use_templates(self):
        tpl = items(self.ok(self.req("GET", "/api/v1/templates", token=self.token(INSPECTOR))),
                    "templates")
        self.assertTrue(tpl, "the demo council has no templates")
        rep = self.claim_report(lambda r: is_open(r) and not r["acknowledged"])
        before = self.fresh(rep["id"])
        r = self.act(CUSTOMER_SERVICES, rep["id"], "acknowledge", {"template_id": tpl[0]["id"]})
        self.assertError(r, 403)
        self.assertIn("use_templates", r.body["error"]["message"])
        self.assertUnchanged(before, rep["id"])

    # -- updates -----------------------------------------------------------------

    def test_public_update(self):
        rep = self.claim_report(is_open)
        before = self.fresh(rep["id"])
        text = "We have ordered the part; it will be fitted next week."
        r = self.act(INSPECTOR, rep["id"], "updates", {"text": text})
        after = self.report_of(r, 200, 201)
        self.assertChanged(before, after)
        self.assertEqual(len(after["updates"]), len(before["updates"]) + 1)
        last = after["updates"][-1]
        self.assertEqual(last["text"], text)
        self.assertEqual(last["kind"], "update")
        self.assertTrue(last["public"])
        self.assertEqual(after["state"], before["state"])
        self.assertEqual(self.fresh(rep["id"]), after)

    def test_update_with_state_needs_update_status(self):
        email = "updater-%s@demo.invalid" % uuid.uuid4().hex[:8]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": email, "name": "Una Updater", "password": NEW_PASSWORD,
            "role_ids": [], "permissions": ["view_report", "update_report"]})
        self.ok(r, 200, 201)
        tok = self.server.login(email, NEW_PASSWORD)
        rep = self.claim_report(is_open)
        before = self.fresh(rep["id"])
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=tok,
                     json={"text": "Fixed now.", "state": "fixed"})
        self.assertError(r, 403)
        self.assertIn("update_status", r.body["error"]["message"])
        self.assertUnchanged(before, rep["id"])
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=tok,
                     json={"text": "Looked at it."})
        self.ok(r, 200, 201)
        # With update_status (inspector) the state moves.
        r = self.act(INSPECTOR, rep["id"], "updates", {"text": "Repaired.", "state": "fixed"})
        after = self.report_of(r, 200, 201)
        self.assertEqual(after["state"], "fixed")
        self.assertEqual(after["updates"][-1]["state"], "fixed")

    def test_update_with_template_fills_and_sets_state(self):
        tpl = items(self.ok(self.req("GET", "/api/v1/templates", token=self.token(INSPECTOR))),
                    "templates")
        with_state = [t for t in tpl if t.get("state") and "{{title}}" in t["text"]] or \
                     [t for t in tpl if t.get("state")]
        self.assertTrue(with_state, "no demo template sets a state")
        t = with_state[0]
        rep = self.claim_report(lambda r: is_open(r) and r["state"] != t["state"] and
                                (not t.get("category_ids") or
                                 r["category_id"] in t["category_ids"]))
        before = self.fresh(rep["id"])
        r = self.act(INSPECTOR, rep["id"], "updates",
                     {"template_id": t["id"], "version": before["version"]})
        after = self.report_of(r, 200, 201)
        self.assertEqual(after["state"], t["state"])
        text = after["updates"][-1]["text"]
        self.assertNotIn("{{title}}", text)
        self.assertNotIn("{{category}}", text)
        if "{{title}}" in t["text"]:
            self.assertIn(before["title"], text)

    # -- state -------------------------------------------------------------------

    def test_state_change(self):
        rep = self.claim_report(lambda r: r["state"] == "confirmed")
        before = self.fresh(rep["id"])
        r = self.act(MAINTENANCE, rep["id"], "state",
                     {"state": "investigating", "version": before["version"],
                      "text": "Inspector on the way."})
        after = self.report_of(r)
        self.assertEqual(after["state"], "investigating")
        self.assertChanged(before, after)
        last = after["updates"][-1]
        self.assertEqual(last["kind"], "state")
        self.assertEqual(last["state"], "investigating")
        self.assertEqual(self.fresh(rep["id"]), after)

    def test_state_bad_input(self):
        rep = self.claim_report(is_open)
        before = self.fresh(rep["id"])
        for body in ({"state": "bogus", "version": before["version"]},
                     {"state": "", "version": before["version"]},
                     {"state": 3, "version": before["version"]},
                     {"version": before["version"]},
                     {"state": "fixed"},
                     {"state": "fixed", "version": "1"}):
            with self.subTest(body=body):
                self.assertError(self.act(INSPECTOR, rep["id"], "state", body), 422)
        self.assertUnchanged(before, rep["id"])

    # -- stale versions -----------------------------------------------------------

    def test_stale_version_conflicts(self):
        for action, body in (("state", {"state": "in_progress"}),
                             ("priority", {"priority_id": None}),
                             ("moderate", {"reason": "Typo", "title": "Edited title"}),
                             ("hide", {"reason": "Spam"}),
                             ("updates", {"text": "An update on an old copy."}),
                             ("request-info", {"text": "Where exactly?"})):
            with self.subTest(action=action):
                rep = self.claim_report(is_open)
                before = self.fresh(rep["id"])
                r = self.act(ADMIN, rep["id"], action,
                             dict(body, version=before["version"] - 1 or 999))
                err = self.assertError(r, 409)
                self.assertEqual(err["code"], "conflict")
                current = r.body.get("current")
                self.assertIsInstance(current, dict, r)
                current = unwrap(current, "report")
                self.assertEqual(current["id"], rep["id"])
                self.assertEqual(current["version"], before["version"])
                self.assertUnchanged(before, rep["id"])

    def test_version_required(self):
        for action, body in (("state", {"state": "in_progress"}),
                             ("priority", {"priority_id": None}),
                             ("moderate", {"reason": "Typo", "title": "Edited"}),
                             ("hide", {"reason": "Spam"})):
            with self.subTest(action=action):
                rep = self.claim_report(is_open)
                before = self.fresh(rep["id"])
                err = self.assertError(self.act(ADMIN, rep["id"], action, body), 422)
                self.assertIn("version", err["message"])
                self.assertUnchanged(before, rep["id"])

    # -- priority ------------------------------------------------------------------

    def test_priority(self):
        prios = items(self.ok(self.req("GET", "/api/v1/priorities",
                                       token=self.token(INSPECTOR))), "priorities")
        general = [p for p in prios if p["active"] and not p.get("category_ids")]
        tied = [p for p in prios if p["active"] and p.get("category_ids")]
        self.assertTrue(general or tied, "the demo council has no priorities")
        if general:
            prio = general[0]
            rep = self.claim_report(lambda r: is_open(r) and r["priority_id"] != prio["id"])
        else:
            prio = tied[0]
            rep = self.claim_report(lambda r: is_open(r) and
                                    r["category_id"] in prio["category_ids"] and
                                    r["priority_id"] != prio["id"])
        before = self.fresh(rep["id"])
        after = self.report_of(self.act(INSPECTOR, rep["id"], "priority",
                                        {"priority_id": prio["id"],
                                         "version": before["version"]}))
        self.assertEqual(after["priority_id"], prio["id"])
        self.assertChanged(before, after)
        after2 = self.report_of(self.act(INSPECTOR, rep["id"], "priority",
                                         {"priority_id": None, "version": after["version"]}))
        self.assertIsNone(after2["priority_id"])
        # Unknown priority, and one tied to other categories only: refused.
        r = self.act(INSPECTOR, rep["id"], "priority",
                     {"priority_id": 999999, "version": after2["version"]})
        self.assertError(r, 422)
        other = [p for p in tied if rep["category_id"] not in p["category_ids"]]
        if other:
            r = self.act(INSPECTOR, rep["id"], "priority",
                         {"priority_id": other[0]["id"], "version": after2["version"]})
            self.assertError(r, 422)
        self.assertEqual(self.fresh(rep["id"]), after2)

    # -- moderation ---------------------------------------------------------------

    def test_moderate(self):
        rep = self.claim_report(lambda r: is_open(r) and r.get("reporter") and
                                r["reporter"].get("show_name"))
        before = self.fresh(rep["id"])
        r = self.act(CUSTOMER_SERVICES, rep["id"], "moderate", {
            "version": before["version"], "reason": "The reporter asked to hide their name",
            "title": "Broken street light", "detail": "The lamp is out.", "show_name": False})
        after = self.report_of(r)
        self.assertEqual(after["title"], "Broken street light")
        self.assertEqual(after["detail"], "The lamp is out.")
        self.assertFalse(after["reporter"]["show_name"])
        self.assertChanged(before, after)
        m = after["moderation"][-1]
        self.assertEqual(m["reason"], "The reporter asked to hide their name")
        self.assertEqual(m["before"]["title"], before["title"])
        self.assertEqual(m["before"]["detail"], before["detail"])
        self.assertEqual(m["after"]["title"], "Broken street light")
        self.assertTrue(m["user"])
        self.assertTrue(m["created"])
        # The reason is required.
        r = self.act(CUSTOMER_SERVICES, rep["id"], "moderate",
                     {"version": after["version"], "title": "x"})
        self.assertError(r, 422)
        self.assertEqual(self.fresh(rep["id"]), after)

    def test_moderate_remove_photo(self):
        rep = self.claim_report(lambda r: r.get("photo") and is_open(r))
        before = self.fresh(rep["id"])
        after = self.report_of(self.act(ADMIN, rep["id"], "moderate", {
            "version": before["version"], "reason": "Face visible", "remove_photo": True}))
        self.assertFalse(after["photo"])
        self.assertFalse(after["has_photo"])
        self.assertEqual(after["moderation"][-1]["before"]["photo"], before["photo"])

    # -- hide ------------------------------------------------------------------------

    def test_hide_and_unhide(self):
        rep = self.claim_report(lambda r: is_open(r) and r["state"] != "confirmed")
        before = self.fresh(rep["id"])
        hidden = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "hide",
                                         {"version": before["version"], "reason": "Abuse"}))
        self.assertEqual(hidden["state"], "hidden")
        self.assertChanged(before, hidden)
        shown = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "unhide",
                                        {"version": hidden["version"]}))
        self.assertEqual(shown["state"], before["state"])
        self.assertChanged(hidden, shown)
        # Inspectors lack hide_report.
        r = self.act(INSPECTOR, rep["id"], "hide", {"version": shown["version"]})
        self.assertError(r, 403)

    def test_unhide_restores_exact_state_without_timeline(self):
        # An imported report whose state no update recorded still comes back as it was.
        rep = self.claim_report(lambda r: is_open(r) and r["state"] not in ("confirmed", "hidden"))
        self.server.sql("DELETE FROM updates WHERE report_id = ?", (rep["id"],))
        before = self.fresh(rep["id"])
        hidden = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "hide",
                                         {"version": before["version"], "reason": "Abuse"}))
        shown = self.report_of(self.act(CUSTOMER_SERVICES, rep["id"], "unhide",
                                        {"version": hidden["version"]}))
        self.assertEqual(shown["state"], before["state"])

    # -- request more information ---------------------------------------------------

    def test_request_info_sends_email(self):
        rep = self.claim_report(lambda r: is_open(r) and has_email(r))
        before = self.fresh(rep["id"])
        files = self.outbox_files()
        question = "Could you tell us the lamp post number?"
        after = self.report_of(self.act(INSPECTOR, rep["id"], "request-info",
                                        {"text": question}))
        self.assertEqual(after["state"], "awaiting_information")
        self.assertChanged(before, after)
        last = after["updates"][-1]
        self.assertEqual(last["kind"], "request_info")
        self.assertIn(question, last["text"])
        new = [f for f in self.outbox_files() if f not in files]
        self.assertEqual(len(new), 1, new)
        self.assertTrue(new[0].endswith(".eml"), new)
        with open(new[0], encoding="utf-8", errors="replace") as f:
            mail = f.read()
        head, _, text = mail.replace("\r\n", "\n").partition("\n\n")
        self.assertIn(before["reporter"]["email"], head)
        self.assertRegex(head, r"(?im)^to:")
        self.assertRegex(head, r"(?im)^subject:")
        self.assertRegex(head, r"(?im)^list-unsubscribe:")
        self.assertIn("lamp post number", mail)

    def test_request_info_without_email(self):
        rep = self.claim_report(lambda r: is_open(r) and r.get("reporter") is not None and
                                not has_email(r))
        before = self.fresh(rep["id"])
        files = self.outbox_files()
        after = self.report_of(self.act(MAINTENANCE, rep["id"], "request-info",
                                        {"text": "Is it still there?"}))
        self.assertEqual(after["state"], "awaiting_information")
        self.assertEqual(after["updates"][-1]["kind"], "request_info")
        self.assertChanged(before, after)
        self.assertEqual(self.outbox_files(), files)

    # -- idempotency -------------------------------------------------------------------

    def test_idempotent_replay(self):
        rep = self.claim_report(is_open)
        before = self.fresh(rep["id"])
        key = "key-" + uuid.uuid4().hex
        body = {"text": "Replayed update."}
        first = self.act(INSPECTOR, rep["id"], "updates", body, {"Idempotency-Key": key})
        self.ok(first, 200, 201)
        self.assertNotEqual(first.headers.get("Idempotent-Replayed"), "true")
        second = self.act(INSPECTOR, rep["id"], "updates", body, {"Idempotency-Key": key})
        self.assertEqual(second.status, first.status)
        self.assertEqual(second.body, first.body)
        self.assertEqual(second.headers.get("Idempotent-Replayed"), "true")
        after = self.fresh(rep["id"])
        self.assertEqual(len(after["updates"]), len(before["updates"]) + 1)
        self.assertEqual(after["version"], before["version"] + 1)
        # The key for another request is refused.
        r = self.act(INSPECTOR, rep["id"], "acknowledge", {}, {"Idempotency-Key": key})
        self.assertError(r, 422, "idempotency_key_reused")
        self.assertEqual(self.fresh(rep["id"]), after)
        # Another user's key space is separate.
        r = self.act(MAINTENANCE, rep["id"], "updates", body, {"Idempotency-Key": key})
        self.ok(r, 200, 201)
        self.assertNotEqual(r.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(len(self.fresh(rep["id"])["updates"]), len(before["updates"]) + 2)

    def test_idempotency_key_with_another_body(self):
        rep = self.claim_report(is_open)
        key = "key-" + uuid.uuid4().hex
        first = self.act(INSPECTOR, rep["id"], "updates", {"text": "First text."},
                         {"Idempotency-Key": key})
        self.ok(first, 200, 201)
        after = self.fresh(rep["id"])
        # The same key on the same path with another body: refused, nothing changes.
        r = self.act(INSPECTOR, rep["id"], "updates", {"text": "Second text."},
                     {"Idempotency-Key": key})
        err = self.assertError(r, 422, "idempotency_key_reused")
        self.assertIn("different body", err["message"])
        self.assertNotEqual(r.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.fresh(rep["id"]), after)
        self.assertNotIn("Second text.", [u["text"] for u in after["updates"]])
        # The same body still replays the first answer.
        again = self.act(INSPECTOR, rep["id"], "updates", {"text": "First text."},
                         {"Idempotency-Key": key})
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.fresh(rep["id"]), after)
        # The same for routes that hold their own transaction (staff accounts).
        key = "key-" + uuid.uuid4().hex
        address = "idem-%s@demo.invalid" % uuid.uuid4().hex[:8]
        staff = {"email": address, "name": "Idem Potent", "password": "quiet-meadow-lantern-7391",
                 "role_ids": []}
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json=staff,
                     headers={"Idempotency-Key": key})
        self.ok(r, 200, 201)
        other = dict(staff, email="other-" + address)
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json=other,
                     headers={"Idempotency-Key": key})
        self.assertError(r, 422, "idempotency_key_reused")
        listed = [s["email"] for s in items(self.ok(self.req(
            "GET", "/api/v1/staff", token=self.token(ADMIN)), 200), "staff")]
        self.assertIn(address, listed)
        self.assertNotIn("other-" + address, listed)

    def test_replay_with_personal_data_is_audited(self):
        cat = self.active_category(self.token(CUSTOMER_SERVICES))
        key = "key-" + uuid.uuid4().hex
        body = {"category_id": cat["id"], "title": "Replayed report", "detail": "x",
                "lat": 51.752, "lon": -1.258,
                "reporter": {"name": "Quentin Replay", "email": "quentin.replay@example.org"}}
        first = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES),
                         json=body, headers={"Idempotency-Key": key})
        rid = unwrap(self.ok(first, 201), "report")["id"]

        def views():
            return self.server.sql("SELECT details FROM audit_log WHERE action = "
                                   "'view_personal_data' AND object_type = 'report' AND "
                                   "object_id = ?", (rid,))
        before = views()
        again = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES),
                         json=body, headers={"Idempotency-Key": key})
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(unwrap(again.body, "report")["reporter"]["name"], "Quentin Replay")
        after = views()
        self.assertEqual(len(after), len(before) + 1)
        self.assertIn('"replayed":true', after[-1][0])
        # A replay without personal data is not a view of it.
        key = "key-" + uuid.uuid4().hex
        cat = {"code": "R" + uuid.uuid4().hex[:8], "name": "Replayed category"}
        self.ok(self.req("POST", "/api/v1/categories", token=self.token(ADMIN), json=cat,
                         headers={"Idempotency-Key": key}), 201)
        n = self.server.sql("SELECT count(*) FROM audit_log WHERE action = 'view_personal_data'")
        r = self.req("POST", "/api/v1/categories", token=self.token(ADMIN), json=cat,
                     headers={"Idempotency-Key": key})
        self.assertEqual(r.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.server.sql("SELECT count(*) FROM audit_log WHERE action = "
                                         "'view_personal_data'"), n)

    def test_failed_request_does_not_burn_key(self):
        rep = self.claim_report(is_open)
        before = self.fresh(rep["id"])
        key = "key-" + uuid.uuid4().hex
        r = self.act(INSPECTOR, rep["id"], "state", {"state": "bogus",
                                                     "version": before["version"]},
                     {"Idempotency-Key": key})
        self.assertError(r, 422)
        r = self.act(INSPECTOR, rep["id"], "state", {"state": "in_progress",
                                                     "version": before["version"]},
                     {"Idempotency-Key": key})
        self.assertEqual(self.report_of(r)["state"], "in_progress")

    # -- shortlist ---------------------------------------------------------------------

    def shortlist(self, who):
        r = self.req("GET", "/api/v1/shortlist", token=self.token(who))
        return [x["id"] for x in items(self.ok(r, 200), "reports")]

    def add(self, who, rid, take=None):
        body = {"report_id": rid}
        if take is not None:
            body["take"] = take
        return self.req("POST", "/api/v1/shortlist", token=self.token(who), json=body)

    def test_shortlist_one_holder(self):
        rep = self.claim_report(lambda r: is_open(r) and r["shortlist_user"] is None)
        before = self.fresh(rep["id"])
        self.ok(self.add(INSPECTOR, rep["id"]), 200, 201)
        self.assertIn(rep["id"], self.shortlist(INSPECTOR))
        held = self.fresh(rep["id"])
        inspector = self.me(self.token(INSPECTOR))
        self.assertEqual(held["shortlist_user"], inspector["id"])
        # Shortlists bump seq (syncs see them) but not the version.
        self.assertEqual(held["version"], before["version"])
        self.assertGreater(held["seq"], before["seq"])

        r = self.add(MAINTENANCE, rep["id"])
        err = self.assertError(r, 409)
        self.assertIn(inspector["name"], err["message"])
        self.assertIn(rep["id"], self.shortlist(INSPECTOR))
        self.assertNotIn(rep["id"], self.shortlist(MAINTENANCE))

        self.ok(self.add(MAINTENANCE, rep["id"], take=True), 200, 201)
        self.assertNotIn(rep["id"], self.shortlist(INSPECTOR))
        self.assertIn(rep["id"], self.shortlist(MAINTENANCE))
        self.assertEqual(self.fresh(rep["id"])["shortlist_user"],
                         self.me(self.token(MAINTENANCE))["id"])

        r = self.req("DELETE", "/api/v1/shortlist/%d" % rep["id"], token=self.token(MAINTENANCE))
        self.assertIn(r.status, (200, 204), r)
        self.assertNotIn(rep["id"], self.shortlist(MAINTENANCE))
        self.assertIsNone(self.fresh(rep["id"])["shortlist_user"])

    def test_shortlist_reorder(self):
        reps = [self.claim_report(lambda r: is_open(r) and r["shortlist_user"] is None)["id"]
                for _ in range(3)]
        start = self.shortlist(ADMIN)
        for rid in reps:
            self.ok(self.add(ADMIN, rid), 200, 201)
        self.assertEqual(self.shortlist(ADMIN), start + reps)
        order = list(reversed(start + reps))
        r = self.req("PUT", "/api/v1/shortlist", token=self.token(ADMIN),
                     json={"report_ids": order})
        self.ok(r, 200, 204)
        self.assertEqual(self.shortlist(ADMIN), order)
        for bad in (order[:-1], order + [999999], order + order[:1], []):
            with self.subTest(ids=bad):
                r = self.req("PUT", "/api/v1/shortlist", token=self.token(ADMIN),
                             json={"report_ids": bad})
                self.assertError(r, 422)
                self.assertEqual(self.shortlist(ADMIN), order)
        positions = [self.fresh(rid)["shortlist_position"] for rid in order]
        self.assertEqual(positions, sorted(positions))

    # -- create on behalf --------------------------------------------------------------

    def test_create_on_behalf(self):
        cat = self.active_category(self.token(ADMIN))
        payload = {"category_id": cat["id"], "title": "Fly-tipped mattress on Iffley Road",
                   "detail": "Reported by phone.", "lat": 51.7445, "lon": -1.2355,
                   "address": "Iffley Road, Oxford",
                   "reporter": {"name": "Sam Resident", "email": "sam.resident@example.org",
                                "phone": "07700 900123", "show_name": True}}
        r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES), json=payload)
        self.assertEqual(r.status, 201, r)
        rep = unwrap(r.body, "report")
        d = self.fresh(rep["id"])
        self.assertEqual(d["state"], "confirmed")
        self.assertEqual(d["source"], "staff")
        self.assertEqual(d["title"], payload["title"])
        self.assertEqual(d["detail"], payload["detail"])
        self.assertEqual(d["category_id"], cat["id"])
        self.assertAlmostEqual(d["lat"], payload["lat"], places=5)
        self.assertAlmostEqual(d["lon"], payload["lon"], places=5)
        self.assertEqual(d["reporter"]["name"], "Sam Resident")
        self.assertEqual(d["reporter"]["email"], "sam.resident@example.org")
        # It shows in lists and sync.
        rows = self.list_all(self.token(INSPECTOR), limit=1000, q="mattress Iffley")
        self.assertIn(rep["id"], [x["id"] for x in rows])

        r = self.req("POST", "/api/v1/reports", token=self.token(ADMIN), json=dict(
            {k: v for k, v in payload.items() if k != "reporter"}, as_council=True,
            title="Damaged bollard noticed by the council"))
        self.assertEqual(r.status, 201, r)

    def test_create_on_behalf_bad_input(self):
        cat = self.active_category(self.token(ADMIN))
        good = {"category_id": cat["id"], "title": "Broken bench", "detail": "",
                "lat": 51.75, "lon": -1.25, "reporter": {"name": "Kim"}}
        seq = self.current_seq()
        inactive = [c for c in self.categories(self.token(ADMIN)) if not c.get("active")]
        bad = [dict(good, category_id=999999), dict(good, lat=95.0), dict(good, lon="west"),
               dict(good, title=""), {k: v for k, v in good.items() if k != "title"},
               {k: v for k, v in good.items() if k != "reporter"},
               dict(good, reporter={"email": "no-name@example.org"}),
               dict(good, category_id="3")]
        if inactive:
            bad.append(dict(good, category_id=inactive[0]["id"]))
        for body in bad:
            with self.subTest(body=body):
                r = self.req("POST", "/api/v1/reports", token=self.token(ADMIN), json=body)
                self.assertError(r, 422)
        self.assertEqual(self.current_seq(), seq)


    def test_create_on_behalf_answers(self):
        """The category's questions are answered as Open311 requires: a required one
        left out, a value not listed, a list for a one-answer question or a question
        the category lacks answer 422 naming the question, and change nothing."""
        cats = {c["code"]: c for c in self.categories(self.token(ADMIN))}
        pot = cats["potholes"]
        self.assertTrue([q for q in pot["extra"] if q["code"] == "depth" and q["required"]])
        good = {"category_id": pot["id"], "title": "Pothole by the bus stop", "detail": "By phone.",
                "lat": 51.7520, "lon": -1.2570, "as_council": True}
        seq = self.current_seq()
        cases = [
            ({}, "depth"),
            ({"attributes": {}}, "depth"),
            ({"attributes": {"depth": ""}}, "depth"),
            ({"attributes": {"in_cycle_lane": "no"}}, "How deep is the pothole?"),
            ({"attributes": {"depth": "bottomless"}}, "bottomless"),
            ({"attributes": {"depth": ["under_4cm"]}}, "depth"),
            ({"attributes": {"depth": "under_4cm", "colour": "red"}}, "colour"),
            ({"attributes": {"depth": {"cm": 3}}}, "depth"),
            ({"attributes": ["depth", "under_4cm"]}, "attributes"),
        ]
        for extra, named in cases:
            with self.subTest(extra=extra):
                r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES),
                             json=dict(good, **extra))
                self.assertError(r, 422)
                self.assertIn(named, r.body["error"]["message"])
        self.assertEqual(self.current_seq(), seq)

        r = self.req("POST", "/api/v1/reports", token=self.token(CUSTOMER_SERVICES),
                     json=dict(good, attributes={"depth": "over_10cm", "in_cycle_lane": "yes"}))
        self.assertEqual(r.status, 201, r)
        rid = unwrap(r.body, "report")["id"]
        rows = self.server.sql("SELECT code, value FROM report_attributes WHERE report_id = ? "
                               "ORDER BY position", (rid,))
        self.assertEqual(sorted(rows), [("depth", "over_10cm"), ("in_cycle_lane", "yes")])


if __name__ == "__main__":
    unittest.main(verbosity=2)
