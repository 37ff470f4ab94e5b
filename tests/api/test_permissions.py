# SPDX-License-Identifier: GPL-3.0-or-later
"""The permission matrix: every permission of DESIGN.md's table, both ways, for
each default role; custom roles without a permission; single permissions."""

import os
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, PERMISSION_TABLE, PERMISSIONS, ROLES, items, unwrap  # noqa: E402

NEW_PASSWORD = "quiet-meadow-lantern-7391"
OPEN_STATES = {"confirmed", "investigating", "in_progress", "action_scheduled",
               "awaiting_information"}
PUBLIC_STATES = OPEN_STATES | {"fixed", "no_further_action", "not_responsible",
                               "duplicate", "internal_referral", "closed"}


def is_open(rep):
    return rep["state"] in OPEN_STATES and rep["state"] != "awaiting_information"


def is_public(rep):
    return rep["state"] in PUBLIC_STATES


class PermissionMatrixTest(kerbside.ServerTestCase):

    # -- what each permission's endpoint needs --------------------------------
    #
    # Each entry: (needs a report, predicate for the report, call) where call is
    # call(self, token, report_or_None, tag) -> Response. The call sends a request
    # that is valid, so that a role with the permission gets 2xx.

    def call_view_all_reports(self, tok, rep, tag):
        return self.req("GET", "/api/v1/reports", token=tok, query={"limit": 5})

    def call_view_report(self, tok, rep, tag):
        return self.req("GET", "/api/v1/reports/%d" % rep["id"], token=tok)

    def call_acknowledge_report(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/acknowledge" % rep["id"], token=tok, json={})

    def call_update_report(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=tok,
                        json={"text": "We have looked at this (%s)." % tag})

    def call_create_report_on_behalf(self, tok, rep, tag):
        cat = self.active_category(self.token(ADMIN))
        return self.req("POST", "/api/v1/reports", token=tok, json={
            "category_id": cat["id"], "title": "Reported by phone (%s)" % tag,
            "detail": "Caller says the problem is by the post box.",
            "lat": rep["lat"], "lon": rep["lon"],
            "reporter": {"name": "Pat Caller", "email": "pat.caller@example.org",
                         "show_name": False}})

    def call_prioritise_report(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/priority" % rep["id"], token=tok,
                        json={"priority_id": None, "version": self.version(rep)})

    def call_moderate_report(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/moderate" % rep["id"], token=tok,
                        json={"version": self.version(rep), "reason": "Tidy the title",
                              "title": "Moderated title (%s)" % tag})

    def call_hide_report(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/hide" % rep["id"], token=tok,
                        json={"version": self.version(rep), "reason": "Abusive text"})

    def call_update_status(self, tok, rep, tag):
        state = "in_progress" if rep["state"] != "in_progress" else "investigating"
        return self.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=tok,
                        json={"state": state, "version": self.version(rep)})

    def call_request_more_info(self, tok, rep, tag):
        return self.req("POST", "/api/v1/reports/%d/request-info" % rep["id"], token=tok,
                        json={"text": "Which side of the road is it on?"})

    def call_use_templates(self, tok, rep, tag):
        return self.req("GET", "/api/v1/templates", token=tok)

    def call_edit_templates(self, tok, rep, tag):
        return self.req("POST", "/api/v1/templates", token=tok, json={
            "title": "Template %s" % tag, "text": "Thank you for reporting {{title}}.",
            "state": None, "category_ids": []})

    def call_shortlist(self, tok, rep, tag):
        return self.req("POST", "/api/v1/shortlist", token=tok,
                        json={"report_id": rep["id"], "take": True})

    def call_view_offline(self, tok, rep, tag):
        return self.req("GET", "/api/v1/sync", token=tok,
                        query={"offline": 1, "since": 0, "limit": 5})

    def call_manage_staff(self, tok, rep, tag):
        return self.req("GET", "/api/v1/staff", token=tok)

    def call_edit_categories(self, tok, rep, tag):
        code = "perm-%s" % uuid.uuid4().hex[:8]
        return self.req("POST", "/api/v1/categories", token=tok, json={
            "code": code, "name": "Category %s" % tag, "groups": ["Tests"],
            "description": "", "active": True, "private": False, "extra": []})

    def call_view_dashboard(self, tok, rep, tag):
        return self.req("GET", "/api/v1/dashboard/summary", token=tok)

    def call_edit_priorities(self, tok, rep, tag):
        return self.req("POST", "/api/v1/priorities", token=tok, json={
            "name": "Priority %s" % tag, "description": "", "response_hours": 48,
            "active": True, "category_ids": []})

    REPORT_PREDICATES = {
        "view_report": is_public,
        "acknowledge_report": lambda r: is_public(r) and not r.get("acknowledged"),
        "update_report": is_public,
        "create_report_on_behalf": is_public,   # for its location
        "prioritise_report": is_open,
        "moderate_report": is_public,
        "hide_report": is_public,
        "update_status": is_open,
        "request_more_info": is_open,
        "shortlist": is_open,
    }

    # Collections a refused write must leave unchanged (admin's view).
    COLLECTIONS = {
        "edit_templates": ("/api/v1/templates", "templates"),
        "edit_categories": ("/api/v1/categories", "categories"),
        "edit_priorities": ("/api/v1/priorities", "priorities"),
        "shortlist": ("/api/v1/shortlist", "reports"),
    }

    def version(self, rep):
        """The report's version now (so the call is never stale)."""
        return self.detail(self.token(ADMIN), rep["id"])["version"]

    def snapshot(self, perm, rep, tok):
        """What a refused call must not change."""
        admin = self.token(ADMIN)
        snap = {"seq": self.current_seq()}
        if rep is not None:
            snap["report"] = self.detail(admin, rep["id"])
        if perm in self.COLLECTIONS:
            path, key = self.COLLECTIONS[perm]
            # For the shortlist, the caller's own list.
            r = self.req("GET", path, token=tok if perm == "shortlist" else admin)
            if r.status == 200:
                snap["collection"] = r.body
        return snap

    def check(self, perm, role):
        col = ROLES.index(role)
        allowed = dict(PERMISSION_TABLE)[perm][col] == "Y"
        tok = self.token(role)
        pred = self.REPORT_PREDICATES.get(perm)
        rep = self.claim_report(pred) if perm in self.REPORT_PREDICATES else None
        call = getattr(self, "call_" + perm)
        tag = "%s %s" % (perm, role)
        if allowed:
            r = call(tok, rep, tag)
            self.assertTrue(200 <= r.status < 300,
                            "%s has %s but got %r" % (role, perm, r))
        else:
            before = self.snapshot(perm, rep, tok)
            r = call(tok, rep, tag)
            err = self.assertError(r, 403)
            self.assertIn(perm, err["message"])
            after = self.snapshot(perm, rep, tok)
            self.assertEqual(before, after, "a refused %s changed data" % perm)

    # -- the defaults themselves ----------------------------------------------

    def test_permissions_endpoint_lists_table(self):
        body = self.ok(self.req("GET", "/api/v1/permissions", token=self.token(ADMIN)), 200)
        self.assertEqual([p["id"] for p in body["permissions"]], PERMISSIONS)
        defaults = {r["name"]: r["permissions"] for r in body["default_roles"]}
        self.assertEqual(defaults, {role: kerbside.role_permissions(role) for role in ROLES})

    def test_default_roles_in_database(self):
        body = self.ok(self.req("GET", "/api/v1/roles", token=self.token(ADMIN)), 200)
        roles = {r["name"]: r for r in items(body, "roles")}
        for role in ROLES:
            with self.subTest(role=role):
                self.assertIn(role, roles)
                self.assertTrue(roles[role]["is_default"])
                self.assertEqual(sorted(roles[role]["permissions"]),
                                 sorted(kerbside.role_permissions(role)))

    def test_default_roles_cannot_change(self):
        admin = self.token(ADMIN)
        body = self.ok(self.req("GET", "/api/v1/roles", token=admin), 200)
        cs = [r for r in items(body, "roles") if r["name"] == "Customer Services"][0]
        r = self.req("PATCH", "/api/v1/roles/%d" % cs["id"], token=admin,
                     json={"permissions": kerbside.PERMISSIONS})
        self.assertError(r, 422)
        r = self.req("DELETE", "/api/v1/roles/%d" % cs["id"], token=admin)
        self.assertError(r, 422)
        after = self.ok(self.req("GET", "/api/v1/roles", token=admin), 200)
        self.assertEqual(body, after)
        me = self.me(self.token("Customer Services"))
        self.assertEqual(me["permissions"], kerbside.role_permissions("Customer Services"))

    # -- custom roles and single permissions ---------------------------------

    def create_staff(self, role_ids=(), permissions=()):
        admin = self.token(ADMIN)
        email = "staff-%s@demo.invalid" % uuid.uuid4().hex[:10]
        r = self.req("POST", "/api/v1/staff", token=admin, json={
            "email": email, "name": "Test Staff", "password": NEW_PASSWORD,
            "role_ids": list(role_ids), "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        return self.server.login(email, NEW_PASSWORD)

    def create_role(self, permissions):
        r = self.req("POST", "/api/v1/roles", token=self.token(ADMIN), json={
            "name": "Role %s" % uuid.uuid4().hex[:8], "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        role = unwrap(r.body, "role")
        self.assertEqual(sorted(role["permissions"]), sorted(permissions))
        return role["id"]

    def test_custom_role_without_everyone_permissions(self):
        for perm in ("view_all_reports", "view_report", "acknowledge_report", "view_dashboard"):
            with self.subTest(permission=perm):
                perms = [p for p in PERMISSIONS if p != perm]
                tok = self.create_staff(role_ids=[self.create_role(perms)])
                me = self.me(tok)
                self.assertEqual(me["permissions"], perms)
                rep = self.claim_report(self.REPORT_PREDICATES.get(perm, is_public))
                before = self.snapshot(perm, rep, tok)
                r = getattr(self, "call_" + perm)(tok, rep, "custom " + perm)
                err = self.assertError(r, 403)
                self.assertIn(perm, err["message"])
                self.assertEqual(before, self.snapshot(perm, rep, tok))
                # The rest of the role still works: e.g. the staff list.
                self.assertEqual(self.call_manage_staff(tok, None, "").status, 200)

    def test_single_permission_grants(self):
        for perm in ("view_dashboard", "view_report", "acknowledge_report", "edit_priorities",
                     "view_all_reports"):
            with self.subTest(permission=perm):
                tok = self.create_staff(permissions=[perm])
                self.assertEqual(self.me(tok)["permissions"], [perm])
                rep = self.claim_report(self.REPORT_PREDICATES.get(perm, is_public))
                r = getattr(self, "call_" + perm)(tok, rep, "single " + perm)
                self.assertTrue(200 <= r.status < 300, "granted %s alone: %r" % (perm, r))
                # And nothing else.
                other = "manage_staff" if perm != "manage_staff" else "view_dashboard"
                self.assertError(getattr(self, "call_" + other)(tok, None, ""), 403)

    def test_view_report_only_sees_own_shortlist(self):
        tok = self.create_staff(permissions=["view_report"])
        self.assertError(self.req("GET", "/api/v1/reports", token=tok), 403)
        r = self.req("GET", "/api/v1/reports", token=tok, query={"shortlist": "mine"})
        body = self.ok(r, 200)
        self.assertEqual(items(body, "reports"), [])


def _make_test(perm, role):
    def test(self):
        self.check(perm, role)
    test.__doc__ = "%s: %s" % (perm, role)
    return test


for _perm in PERMISSIONS:
    for _role in ROLES:
        _name = "test_matrix_%02d_%s_%s" % (PERMISSIONS.index(_perm), _perm,
                                             _role.lower().replace(" ", "_"))
        setattr(PermissionMatrixTest, _name, _make_test(_perm, _role))


if __name__ == "__main__":
    unittest.main(verbosity=2)
