# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk actions (POST /api/v1/reports/bulk): each item applied on its own version
by the single action's own route, answered per item; permission per item, audit
per item, idempotent as a whole, and nothing written on a bad request."""

import os
import sqlite3
import sys
import time
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, items  # noqa: E402
from images import JPEG_16, b64  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}
MAX_ITEMS = 5000
NEW_PASSWORD = "quiet-meadow-lantern-7391"


def is_open(r):
    return r["state"] in OPEN


class BulkTest(kerbside.ServerTestCase):

    @classmethod
    def prepare_db(cls, path):
        """A second council with one report: named in a bulk, it is not found."""
        con = sqlite3.connect(path)
        try:
            now = int(time.time())
            cur = con.cursor()
            cur.execute("INSERT INTO bodies (name, slug, area_name, created) "
                        "VALUES ('Elsewhere District Council', 'elsewhere', 'Elsewhere', ?)",
                        (now,))
            body_id = cur.lastrowid
            cur.execute("INSERT INTO categories (body_id, code, name, group_name, updated) "
                        "VALUES (?, 'potholes', 'Potholes', 'Roads', ?)", (body_id, now))
            cat_id = cur.lastrowid
            cur.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq'")
            seq = cur.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]
            cur.execute("INSERT INTO reports (body_id, category_id, title, detail, lat, lon, "
                        "state, reporter_name, reporter_email, created, updated, seq) "
                        "VALUES (?, ?, 'Elsewhere pothole', 'Secret detail', 51.75, -1.25, "
                        "'confirmed', 'Other Person', 'other@example.org', ?, ?, ?)",
                        (body_id, cat_id, now - 100, now - 50, seq))
            cls.other_report = cur.lastrowid
            con.commit()
        finally:
            con.close()

    def bulk(self, who, body, headers=None):
        return self.req("POST", "/api/v1/reports/bulk", token=self.token(who), json=body,
                        headers=headers)

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def claim(self, n, pred=is_open):
        return [self.fresh(self.claim_public_report(pred)["id"]) for _ in range(n)]

    def results_of(self, r, n):
        body = self.ok(r, 200)
        self.assertEqual(len(body["results"]), n, body)
        for res in body["results"]:
            self.assertIn(res["status"], {"ok", "conflict", "forbidden", "not_found", "invalid"})
            if res["status"] != "ok":
                self.assertTrue(res["message"].strip(), res)
        counts = {}
        for res in body["results"]:
            counts[res["status"]] = counts.get(res["status"], 0) + 1
        for k, v in body["counts"].items():
            self.assertEqual(counts.get(k, 0), v, body["counts"])
        return body["results"]

    def audit_since(self, mark, rid):
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                     query={"object_type": "report", "object_id": rid, "limit": 50})
        body = self.ok(r, 200)
        rows = items(body, "entries") if "entries" in body else items(body, "audit")
        return [e for e in rows if e["id"] > mark and e["action"] != "view_personal_data"]

    def newest_audit(self):
        r = self.req("GET", "/api/v1/audit", token=self.token(ADMIN), query={"limit": 1})
        body = self.ok(r, 200)
        rows = items(body, "entries") if "entries" in body else items(body, "audit")
        return rows[0]["id"] if rows else 0

    # -- per item results ----------------------------------------------------------

    def test_state_per_item(self):
        reps = self.claim(4, lambda r: r["state"] == "confirmed")
        mark = self.newest_audit()
        body = {"action": "state", "params": {"state": "investigating", "text": "On our list."},
                "items": [{"id": reps[0]["id"], "version": reps[0]["version"]},
                          {"id": reps[1]["id"], "version": reps[1]["version"] - 1 or 99},
                          {"id": 99999999, "version": 1},
                          {"id": self.other_report, "version": 1},
                          {"id": reps[2]["id"], "version": reps[2]["version"]}]}
        results = self.results_of(self.bulk(INSPECTOR, body), 5)
        self.assertEqual([x["id"] for x in results], [i["id"] for i in body["items"]])
        self.assertEqual([x["status"] for x in results],
                         ["ok", "conflict", "not_found", "not_found", "ok"])
        # Each success answers the report as it now is, as the single action does.
        for res, rep in ((results[0], reps[0]), (results[4], reps[2])):
            self.assertEqual(res["report"]["state"], "investigating")
            self.assertEqual(res["report"]["version"], rep["version"] + 1)
            self.assertEqual(res["report"]["updates"][-1]["text"], "On our list.")
            self.assertEqual(self.fresh(rep["id"]), res["report"])
            # Audited as the single action is, one entry per report.
            entries = self.audit_since(mark, rep["id"])
            self.assertEqual([e["action"] for e in entries], ["update_status"], entries)
        # The conflict says why and carries the report as it is now, to retry on.
        self.assertIn("version", results[1]["message"])
        self.assertEqual(results[1]["report"], self.fresh(reps[1]["id"]))
        self.assertEqual(self.fresh(reps[1]["id"]), reps[1])
        self.assertNotIn("report", results[2])
        self.assertNotIn("report", results[3])
        # The failing items in the middle undid nothing of the others; retrying the
        # conflicted one on its current version succeeds.
        retry = {"action": "state", "params": {"state": "investigating"},
                 "items": [{"id": reps[1]["id"], "version": results[1]["report"]["version"]}]}
        again = self.results_of(self.bulk(INSPECTOR, retry), 1)
        self.assertEqual(again[0]["status"], "ok")
        self.assertEqual(self.fresh(reps[1]["id"])["state"], "investigating")
        self.assertEqual(self.fresh(reps[3]["id"]), reps[3])

    def test_answer_is_the_whole_detail(self):
        """The items' reports are written once every item was applied, read for all of
        them together: each is the detail a single read gives, its duplicate links,
        photos (and their Open311 addresses), timeline and emails included."""
        orig, dup, other = self.claim(3)
        tok = self.token(INSPECTOR)
        # The demo gives some reports photos of their own already.
        before = self.fresh(other["id"])
        r = self.req("POST", "/api/v1/reports/%d/duplicate" % dup["id"], token=tok,
                     json={"of": orig["id"], "version": dup["version"]})
        self.ok(r, 200)
        r = self.req("POST", "/api/v1/reports/%d/updates" % other["id"], token=tok,
                     json={"text": "Before the work.", "photo": b64(JPEG_16)})
        update_id = self.ok(r, 200)["report"]["updates"][-1]["id"]
        # The address an Open311 client gave with that photo.
        self.server.sql("INSERT INTO open311_media (report_id, update_id, position, url) "
                        "VALUES (?, ?, 0, 'https://photos.example.org/before.jpg')",
                        (other["id"], update_id))
        reps = [self.fresh(x["id"]) for x in (orig, dup, other)]
        self.assertEqual([d["id"] for d in reps[0]["duplicates"]], [dup["id"]])
        self.assertEqual(reps[1]["duplicate_of"]["id"], orig["id"])
        self.assertEqual(len(reps[2]["photos"]), len(before["photos"]) + 1, reps[2]["photos"])
        self.assertEqual(len(reps[2]["media_urls"]), len(before["media_urls"]) + 1,
                         reps[2]["media_urls"])

        body = {"action": "acknowledge", "params": {"text": "Seen by the team."},
                "items": [{"id": x["id"], "version": x["version"]} for x in reps]}
        results = self.results_of(self.bulk(INSPECTOR, body), 3)
        self.assertEqual([x["status"] for x in results], ["ok"] * 3)
        for res, rep in zip(results, reps):
            now = self.fresh(rep["id"])
            self.assertEqual(res["report"], now)
            self.assertEqual(now["version"], rep["version"] + 1)
            self.assertEqual(now["updates"][-1]["text"], "Seen by the team.")
        self.assertEqual(results[0]["report"]["duplicates"], reps[0]["duplicates"])
        self.assertEqual(results[2]["report"]["media_urls"], reps[2]["media_urls"])

    def test_hidden_report_conflicts(self):
        rep = self.claim(1)[0]
        r = self.req("POST", "/api/v1/reports/%d/hide" % rep["id"], token=self.token(ADMIN),
                     json={"version": rep["version"], "reason": "bulk test"})
        hidden = self.ok(r, 200)["report"]
        other = self.claim(1)[0]
        results = self.results_of(self.bulk(ADMIN, {
            "action": "state", "params": {"state": "fixed"},
            "items": [{"id": rep["id"], "version": hidden["version"]},
                      {"id": other["id"], "version": other["version"]}]}), 2)
        self.assertEqual([x["status"] for x in results], ["conflict", "ok"])
        self.assertIn("hidden", results[0]["message"])
        self.assertEqual(self.fresh(rep["id"])["state"], "hidden")
        self.assertEqual(self.fresh(other["id"])["state"], "fixed")

    def test_priority_per_item(self):
        prios = items(self.ok(self.req("GET", "/api/v1/priorities",
                                       token=self.token(INSPECTOR))), "priorities")
        tied = [p for p in prios if p["active"] and p.get("category_ids")]
        if not tied:
            self.skipTest("the demo council has no priority tied to categories")
        prio = tied[0]
        fits = self.claim(2, lambda r: is_open(r) and r["category_id"] in prio["category_ids"]
                          and r["priority_id"] != prio["id"])
        misfit = self.claim(1, lambda r: is_open(r) and
                            r["category_id"] not in prio["category_ids"])[0]
        results = self.results_of(self.bulk(INSPECTOR, {
            "action": "priority", "params": {"priority_id": prio["id"]},
            "items": [{"id": fits[0]["id"], "version": fits[0]["version"]},
                      {"id": misfit["id"], "version": misfit["version"]},
                      {"id": fits[1]["id"], "version": fits[1]["version"]}]}), 3)
        self.assertEqual([x["status"] for x in results], ["ok", "invalid", "ok"])
        self.assertIn("category", results[1]["message"])
        for rep in fits:
            self.assertEqual(self.fresh(rep["id"])["priority_id"], prio["id"])
        self.assertEqual(self.fresh(misfit["id"]), misfit)

    def test_template_reply(self):
        tpl = items(self.ok(self.req("GET", "/api/v1/templates", token=self.token(INSPECTOR))),
                    "templates")
        general = [t for t in tpl if not t.get("category_ids")]
        if not general:
            self.skipTest("the demo council has no template for every category")
        t = general[0]
        reps = self.claim(3, lambda r: is_open(r) and r["state"] != t.get("state"))
        results = self.results_of(self.bulk(INSPECTOR, {
            "action": "template", "params": {"template_id": t["id"]},
            "items": [{"id": x["id"], "version": x["version"]} for x in reps]}), 3)
        self.assertEqual([x["status"] for x in results], ["ok"] * 3)
        for rep, res in zip(reps, results):
            now = self.fresh(rep["id"])
            self.assertEqual(now, res["report"])
            self.assertEqual(len(now["updates"]), len(rep["updates"]) + 1)
            self.assertNotIn("{{", now["updates"][-1]["text"])
            if t.get("state"):
                self.assertEqual(now["state"], t["state"])

    def test_assign_per_item(self):
        reps = self.claim(3, lambda r: is_open(r) and r["shortlist_user"] is None)
        inspector = self.me(self.token(INSPECTOR))
        stale = dict(reps[1], version=reps[1]["version"] + 7)
        items_ = [{"id": x["id"], "version": x["version"]} for x in (reps[0], stale, reps[2])]
        body = {"action": "assign", "params": {"user_id": inspector["id"]}, "items": items_}
        # Customer services may not shortlist: refused item by item, nothing changes.
        res = self.results_of(self.bulk(CUSTOMER_SERVICES, body), 3)
        self.assertEqual({x["status"] for x in res}, {"forbidden"})
        self.assertIn("shortlist", res[0]["message"])
        for rep in reps:
            self.assertEqual(self.fresh(rep["id"]), rep)
        # A maintenance worker gives them to the inspector; the item on a version
        # the caller never saw conflicts, as the versioned actions do.
        res = self.results_of(self.bulk("maintenance@demo.invalid", body), 3)
        self.assertEqual([x["status"] for x in res], ["ok", "conflict", "ok"])
        self.assertIn("version", res[1]["message"])
        self.assertEqual(res[1]["report"]["id"], reps[1]["id"])
        for i in (0, 2):
            self.assertEqual(res[i]["report"]["shortlist_user"], inspector["id"])
            self.assertEqual(self.fresh(reps[i]["id"])["shortlist_user"], inspector["id"])
        self.assertIsNone(self.fresh(reps[1]["id"])["shortlist_user"])
        # A colleague who is no one's: refused as invalid for every item, so the
        # request itself.
        bad = dict(body, params={"user_id": 99999999},
                   items=[{"id": reps[1]["id"], "version": reps[1]["version"]}])
        self.assertError(self.bulk("maintenance@demo.invalid", bad), 422)
        self.assertIsNone(self.fresh(reps[1]["id"])["shortlist_user"])

    # -- category (a correction) ----------------------------------------------------

    @staticmethod
    def worked_on(r):
        """Open but not new: the confirmed ones are left to test_zz_many_items."""
        return r["state"] in OPEN and r["state"] != "confirmed"

    def category(self, code):
        for c in self.categories(self.token(ADMIN)):
            if c.get("code") == code:
                return c
        self.fail("the demo council has no category %s" % code)

    def create_staff(self, permissions):
        email = "staff-%s@demo.invalid" % uuid.uuid4().hex[:10]
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json={
            "email": email, "name": "Test Staff", "password": NEW_PASSWORD,
            "role_ids": [], "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        return self.server.login(email, NEW_PASSWORD)

    def test_category_per_item(self):
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        reps = self.claim(3, lambda r: self.worked_on(r) and r["category_id"] != light["id"])
        mark = self.newest_audit()
        stale = dict(reps[1], version=reps[1]["version"] + 5)
        body = {"action": "category", "params": {"category_id": light["id"]},
                "items": [{"id": x["id"], "version": x["version"]}
                          for x in (reps[0], stale, reps[2])]}
        results = self.results_of(self.bulk(INSPECTOR, body), 3)
        self.assertEqual([x["status"] for x in results], ["ok", "conflict", "ok"])
        self.assertIn("version", results[1]["message"])
        self.assertEqual(self.fresh(reps[1]["id"]), reps[1])
        for i in (0, 2):
            now = self.fresh(reps[i]["id"])
            self.assertEqual(results[i]["report"], now)
            self.assertEqual(now["category_id"], light["id"])
            self.assertEqual(now["version"], reps[i]["version"] + 1)
            # The single correction's internal timeline entry and audit entry.
            entry = [u for u in now["updates"] if u["kind"] == "category"][-1]
            self.assertFalse(entry["public"])
            self.assertEqual([e["action"] for e in self.audit_since(mark, reps[i]["id"])],
                             ["change_category"])
        # Open311 shows the new service code at once.
        r = self.req("GET", "/open311/v2/requests/%d.json" % reps[0]["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body[0]["service_code"], light["code"])

    def test_category_questions_and_attributes(self):
        tip = self.category("fly_tipping")
        reps = self.claim(2, lambda r: self.worked_on(r) and r["category_id"] != tip["id"])
        items_ = [{"id": x["id"], "version": x["version"]} for x in reps]
        # Fly-tipping asks a required question: every item refused for that one
        # reason, so the request itself is, and nothing changes.
        err = self.assertError(self.bulk(INSPECTOR, {
            "action": "category", "params": {"category_id": tip["id"]}, "items": items_}), 422)
        self.assertIn("size", err["message"])
        for rep in reps:
            self.assertEqual(self.fresh(rep["id"]), rep)
        # With the answer in "params", every report takes it.
        results = self.results_of(self.bulk(INSPECTOR, {
            "action": "category",
            "params": {"category_id": tip["id"], "attributes": {"size": "car_boot"}},
            "items": items_}), 2)
        self.assertEqual([x["status"] for x in results], ["ok", "ok"])
        for rep in reps:
            now = self.fresh(rep["id"])
            self.assertEqual(now["category_id"], tip["id"])
            self.assertEqual([(a["code"], a["value"]) for a in now["attributes"]],
                             [("size", "car_boot")])
        # A field the correction does not take is refused before anything is written.
        err = self.assertError(self.bulk(INSPECTOR, {
            "action": "category", "params": {"category_id": tip["id"], "lat": 51.7},
            "items": items_}), 422, "unknown_field")
        self.assertIn("lat", err["message"])

    def test_category_permission_both_ways(self):
        light = [c for c in self.categories(self.token(ADMIN))
                 if c["code"].startswith("street_light") and c.get("active")][0]
        for perms, allowed in ((["view_all_reports", "view_report", "moderate_report"], True),
                               (["view_all_reports", "view_report", "update_status"], True),
                               (["view_all_reports", "view_report", "acknowledge_report",
                                 "update_report", "prioritise_report", "shortlist"], False)):
            with self.subTest(permissions=perms):
                tok = self.create_staff(perms)
                reps = self.claim(2, lambda r: self.worked_on(r) and r["category_id"] != light["id"])
                r = self.req("POST", "/api/v1/reports/bulk", token=tok, json={
                    "action": "category", "params": {"category_id": light["id"]},
                    "items": [{"id": x["id"], "version": x["version"]} for x in reps]})
                results = self.results_of(r, 2)
                if allowed:
                    self.assertEqual([x["status"] for x in results], ["ok", "ok"])
                    for rep in reps:
                        self.assertEqual(self.fresh(rep["id"])["category_id"], light["id"])
                else:
                    self.assertEqual([x["status"] for x in results], ["forbidden"] * 2)
                    self.assertIn("update_status", results[0]["message"])
                    self.assertIn("moderate_report", results[0]["message"])
                    for rep in reps:
                        self.assertEqual(self.fresh(rep["id"]), rep)

    # -- permissions ---------------------------------------------------------------

    def test_permission_checked_per_item(self):
        reps = self.claim(2, lambda r: r["state"] == "confirmed")
        items_ = [{"id": x["id"], "version": x["version"]} for x in reps]
        # Customer services may not change a state: every item is refused, and
        # nothing changes.
        body = {"action": "state", "params": {"state": "in_progress"}, "items": items_}
        results = self.results_of(self.bulk(CUSTOMER_SERVICES, body), 2)
        self.assertEqual([x["status"] for x in results], ["forbidden", "forbidden"])
        self.assertIn("update_status", results[0]["message"])
        for rep in reps:
            self.assertEqual(self.fresh(rep["id"]), rep)
        # Nor prioritise, nor send template replies; but they may acknowledge.
        r = self.bulk(CUSTOMER_SERVICES, {"action": "priority", "params": {"priority_id": None},
                                          "items": items_})
        self.assertEqual({x["status"] for x in self.results_of(r, 2)}, {"forbidden"})
        ok = self.results_of(self.bulk(CUSTOMER_SERVICES, {"action": "acknowledge",
                                                           "items": items_}), 2)
        self.assertEqual([x["status"] for x in ok], ["ok", "ok"])
        # An inspector may change the state (on the versions as they are now).
        items_ = [{"id": x["report"]["id"], "version": x["report"]["version"]} for x in ok]
        body = {"action": "state", "params": {"state": "in_progress"}, "items": items_}
        results = self.results_of(self.bulk(INSPECTOR, body), 2)
        self.assertEqual([x["status"] for x in results], ["ok", "ok"])
        # The permission of what the item does: acknowledging with a template needs
        # use_templates, which customer services lack.
        tpl = items(self.ok(self.req("GET", "/api/v1/templates", token=self.token(INSPECTOR))),
                    "templates")
        if tpl:
            r = self.bulk(CUSTOMER_SERVICES, {"action": "acknowledge",
                                              "params": {"text": "x", "template_id": tpl[0]["id"]},
                                              "items": [{"id": x["report"]["id"],
                                                         "version": x["report"]["version"]}
                                                        for x in results]})
            res = self.results_of(r, 2)
            self.assertEqual({x["status"] for x in res}, {"forbidden"})
            self.assertIn("use_templates", res[0]["message"])

    def test_needs_sign_in(self):
        r = self.req("POST", "/api/v1/reports/bulk", json={"action": "state", "items": []})
        self.assertError(r, 401)

    # -- idempotency -----------------------------------------------------------------

    def test_idempotent_as_a_whole(self):
        reps = self.claim(3, lambda r: r["state"] == "confirmed")
        key = "bulk-" + uuid.uuid4().hex
        body = {"action": "state", "params": {"state": "action_scheduled"},
                "items": [{"id": x["id"], "version": x["version"]} for x in reps]}
        first = self.bulk(INSPECTOR, body, {"Idempotency-Key": key})
        self.assertEqual([x["status"] for x in self.results_of(first, 3)], ["ok"] * 3)
        after = [self.fresh(x["id"]) for x in reps]
        second = self.bulk(INSPECTOR, body, {"Idempotency-Key": key})
        self.assertEqual(second.status, first.status)
        self.assertEqual(second.body, first.body)
        self.assertEqual(second.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual([self.fresh(x["id"]) for x in reps], after)
        # Without the key the same body is a new request: its stale versions conflict.
        third = self.results_of(self.bulk(INSPECTOR, body), 3)
        self.assertEqual([x["status"] for x in third], ["conflict"] * 3)
        # The key with another body is refused.
        other = dict(body, params={"state": "fixed"})
        r = self.bulk(INSPECTOR, other, {"Idempotency-Key": key})
        self.assertError(r, 422, "idempotency_key_reused")
        self.assertEqual([self.fresh(x["id"]) for x in reps], after)

    # -- bad requests change nothing -----------------------------------------------------

    def test_bad_requests_change_nothing(self):
        reps = self.claim(2)
        good = [{"id": x["id"], "version": x["version"]} for x in reps]
        seq = self.current_seq()
        cases = [
            ({"action": "explode", "items": good}, "invalid", "state"),
            ({"params": {"state": "fixed"}, "items": good}, "invalid", "action"),
            ({"action": "state", "items": good}, "invalid", "state"),
            ({"action": "state", "params": {"state": "fixed", "colour": "red"}, "items": good},
             "unknown_field", "colour"),
            ({"action": "state", "params": {"state": "fixed", "version": 3}, "items": good},
             "invalid", "version"),
            ({"action": "state", "params": "fixed", "items": good}, "invalid", "params"),
            ({"action": "state", "params": {"state": "fixed"}}, "invalid", "items"),
            ({"action": "state", "params": {"state": "fixed"}, "items": []}, "invalid", "empty"),
            ({"action": "state", "params": {"state": "fixed"},
              "items": good + [{"id": reps[0]["id"], "version": reps[0]["version"]}]},
             "invalid", "twice"),
            ({"action": "state", "params": {"state": "fixed"},
              "items": good + [{"id": reps[0]["id"] + 1}]}, "invalid", "Item 3"),
            ({"action": "state", "params": {"state": "fixed"},
              "items": good + [{"id": "12", "version": 1}]}, "invalid", "Item 3"),
            ({"action": "state", "params": {"state": "fixed"},
              "items": good + [{"id": 5, "version": 1, "state": "closed"}]}, "invalid", "Item 3"),
            ({"action": "state", "params": {"state": "fixed"}, "items": good, "extra": 1},
             "unknown_field", "extra"),
            # Every item refused for one reason: the request itself is refused.
            ({"action": "state", "params": {"state": "melted"}, "items": good}, "invalid",
             "states"),
            ({"action": "state", "params": {"state": "fixed", "text": 7}, "items": good},
             "invalid", "text"),
            ({"action": "state", "params": {"state": "fixed"},
              "items": [{"id": i + 1, "version": 1} for i in range(MAX_ITEMS + 1)]},
             "too_many", str(MAX_ITEMS)),
        ]
        for body, code, word in cases:
            with self.subTest(body=str(body)[:120]):
                err = self.assertError(self.bulk(ADMIN, body), 422, code)
                self.assertIn(word, err["message"])
        r = self.req("POST", "/api/v1/reports/bulk", token=self.token(ADMIN), body=b"[1, 2]",
                     headers={"Content-Type": "application/json"})
        self.assertError(r, 400)
        self.assertEqual(self.current_seq(), seq)
        for rep in reps:
            self.assertEqual(self.fresh(rep["id"]), rep)

    def test_zz_many_items(self):
        """Many reports in one request, each changed once, answered in order."""
        # Reports of its own: the demo lays its states out from the current
        # time, so how many it leaves in one state varies from hour to hour.
        token = self.token(CUSTOMER_SERVICES)
        category = self.active_category(self.token(ADMIN))["id"]
        rows = []
        for i in range(40):
            made = self.ok(self.req("POST", "/api/v1/reports", token=token,
                                    json={"category_id": category, "title": "Bulk %d" % i,
                                          "detail": "Made for one bulk request",
                                          "lat": 51.7525, "lon": -1.2585,
                                          "reporter": {"name": "Bulk Caller"}}), 201)
            rows.append(kerbside.unwrap(made, "report"))
        self.assertEqual({r["state"] for r in rows}, {"confirmed"})
        body = {"action": "state", "params": {"state": "investigating"},
                "items": [{"id": r["id"], "version": r["version"]} for r in rows]}
        t0 = time.monotonic()
        results = self.results_of(self.bulk(INSPECTOR, body), len(rows))
        elapsed = time.monotonic() - t0
        self.assertEqual({x["status"] for x in results}, {"ok"})
        self.assertEqual([x["id"] for x in results], [r["id"] for r in rows])
        sample = rows[len(rows) // 2]
        self.assertEqual(self.fresh(sample["id"])["state"], "investigating")
        print("bulk state of %d reports: %.2f s" % (len(rows), elapsed), file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
