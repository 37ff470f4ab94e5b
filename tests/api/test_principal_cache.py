# SPDX-License-Identifier: GPL-3.0-or-later
"""The principals the server keeps in memory per session: every change that
takes a right away is seen by the very next request, whoever made it (this
server, a second server on the same database, a command-line change or
another process writing the database): a sign-out, a role changed, a role's
permissions changed, an area (assigned category) taken away, an account
deactivated, a session's idle expiry passed, a council's two-factor rule.
Each request is made twice before the change, so that the second is answered
from what was kept; the status after the change is asserted exactly. Signing
in and using a session do not move the authentication epoch (which would drop
everything kept), and the idle expiry still moves forward on use."""

import os
import subprocess
import sys
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, items, unwrap  # noqa: E402

NEW_PASSWORD = "quiet-meadow-lantern-7391"
DASHBOARD = "/api/v1/dashboard/summary"   # needs view_dashboard


def is_open(rep):
    return rep["state"] in {"confirmed", "investigating", "in_progress", "action_scheduled"}


class CacheHelpers:
    """Staff, roles and requests shared by the test classes."""

    def create_role(self, permissions):
        r = self.req("POST", "/api/v1/roles", token=self.token(ADMIN), json={
            "name": "Role %s" % uuid.uuid4().hex[:8], "permissions": list(permissions)})
        self.assertIn(r.status, (200, 201), r)
        return unwrap(r.body, "role")["id"]

    def create_staff(self, role_ids=(), permissions=(), **fields):
        """A new member of staff: (id, email, token)."""
        email = "cache-%s@demo.invalid" % uuid.uuid4().hex[:10]
        body = {"email": email, "name": "Cache Test", "password": NEW_PASSWORD,
                "role_ids": list(role_ids), "permissions": list(permissions)}
        body.update(fields)
        r = self.req("POST", "/api/v1/staff", token=self.token(ADMIN), json=body)
        self.assertIn(r.status, (200, 201), r)
        return unwrap(r.body, "staff")["id"], email, self.server.login(email, NEW_PASSWORD)

    def patch_staff(self, staff_id, body):
        return self.ok(self.req("PATCH", "/api/v1/staff/%d" % staff_id,
                                token=self.token(ADMIN), json=body), 200)

    def status(self, token, path=DASHBOARD, server=None):
        return (server or self.server).req("GET", path, token=token).status

    def twice(self, token, status, path=DASHBOARD, server=None):
        """The same request twice (the second from what the server kept)."""
        for _ in range(2):
            self.assertEqual(self.status(token, path, server), status)

    def epoch(self):
        return int(self.server.sql("SELECT n FROM auth_epoch WHERE id = 1")[0][0])


class PrincipalCacheTest(CacheHelpers, kerbside.ServerTestCase):

    def test_sign_out(self):
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        other = self.server.login(INSPECTOR)
        self.twice(token, 200)
        self.twice(other, 200, "/api/v1/me")
        r = self.req("POST", "/api/v1/auth/logout", token=token)
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.status(token), 401)
        # Another session is kept and still works.
        self.assertEqual(self.status(other, "/api/v1/me"), 200)

    def test_sign_out_everywhere(self):
        _, email, token = self.create_staff(permissions=["view_dashboard"])
        second = self.server.login(email, NEW_PASSWORD)
        self.twice(token, 200)
        self.twice(second, 200)
        r = self.req("POST", "/api/v1/auth/logout-everywhere", token=token)
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.status(second), 401)
        self.assertEqual(self.status(token), 401)

    def test_role_changed(self):
        with_dash = self.create_role(["view_report", "view_dashboard"])
        without = self.create_role(["view_report"])
        staff_id, _, token = self.create_staff(role_ids=[with_dash])
        self.twice(token, 200)
        self.patch_staff(staff_id, {"role_ids": [without]})
        self.assertEqual(self.status(token), 403)
        self.patch_staff(staff_id, {"role_ids": [with_dash]})
        self.assertEqual(self.status(token), 200)

    def test_role_permissions_changed(self):
        role = self.create_role(["view_report", "view_dashboard"])
        _, _, token = self.create_staff(role_ids=[role])
        self.twice(token, 200)
        self.ok(self.req("PATCH", "/api/v1/roles/%d" % role, token=self.token(ADMIN),
                         json={"permissions": ["view_report"]}), 200)
        self.assertEqual(self.status(token), 403)
        self.ok(self.req("PATCH", "/api/v1/roles/%d" % role, token=self.token(ADMIN),
                         json={"permissions": ["view_report", "view_dashboard"]}), 200)
        self.assertEqual(self.status(token), 200)

    def test_own_permission_taken_away(self):
        staff_id, _, token = self.create_staff(permissions=["view_report", "view_dashboard"])
        self.twice(token, 200)
        self.patch_staff(staff_id, {"permissions": ["view_report"]})
        self.assertEqual(self.status(token), 403)

    def test_area_taken_away(self):
        rep = self.claim_report(is_open)
        cid = rep["category_id"]
        path = "/api/v1/reports/%d" % rep["id"]
        staff_id, _, token = self.create_staff(permissions=["view_report"], category_ids=[cid])
        r = self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                     json={"assigned_only": True})
        self.ok(r, 200)
        try:
            self.twice(token, 200, path)
            self.patch_staff(staff_id, {"category_ids": []})
            self.assertEqual(self.status(token, path), 404)
            self.patch_staff(staff_id, {"category_ids": [cid]})
            self.assertEqual(self.status(token, path), 200)
        finally:
            self.ok(self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                             json={"assigned_only": False}), 200)
        # The restriction lifted is seen too: another category's staff see it.
        _, _, other = self.create_staff(permissions=["view_report"])
        self.twice(other, 200, path)

    def test_category_restricted(self):
        rep = self.claim_report(is_open)
        cid = rep["category_id"]
        path = "/api/v1/reports/%d" % rep["id"]
        _, _, token = self.create_staff(permissions=["view_report"])
        self.twice(token, 200, path)
        self.ok(self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                         json={"assigned_only": True}), 200)
        try:
            self.assertEqual(self.status(token, path), 404)
        finally:
            self.ok(self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                             json={"assigned_only": False}), 200)
        self.assertEqual(self.status(token, path), 200)

    def test_deactivated(self):
        staff_id, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200)
        self.patch_staff(staff_id, {"active": False})
        self.assertEqual(self.status(token), 401)
        self.assertEqual(self.status(token, "/api/v1/me"), 401)

    def test_changed_by_another_process(self):
        """A change written to the database by another program (here: SQL)."""
        staff_id, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200)
        self.server.sql("UPDATE users SET active = 0 WHERE id = ?", (staff_id,))
        self.assertEqual(self.status(token), 401)

    def test_command_line_change(self):
        """kerbside-server council edit --require-2fa: the council's staff must
        set up two-factor authentication before anything else (403)."""
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        slug = self.ok(self.req("GET", "/api/v1/me", token=token), 200)["body"]["slug"]

        def council_edit(value):
            res = subprocess.run([kerbside.server_binary(), "council", "edit", "--db",
                                  self.server.db, "--council", slug, "--require-2fa", value],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)

        self.twice(token, 200)
        council_edit("yes")
        try:
            r = self.req("GET", DASHBOARD, token=token)
            self.assertError(r, 403, "two_factor_setup_required")
        finally:
            council_edit("no")
        self.assertEqual(self.status(token), 200)

    def test_staff_command_creates_no_churn(self):
        """kerbside-server staff create adds an account: it takes nothing away,
        and the sessions kept go on working."""
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200)
        res = subprocess.run([kerbside.server_binary(), "staff", "create", "--db", self.server.db,
                              "--council", "1", "--email",
                              "cli-%s@demo.invalid" % uuid.uuid4().hex[:8], "--name", "From CLI",
                              "--role", "Inspectors", "--bcrypt-cost", "4"],
                             input=NEW_PASSWORD + "\n", capture_output=True, text=True, timeout=300)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertEqual(self.status(token), 200)

    def test_epoch_moves_only_on_changes(self):
        """Signing in and using sessions do not drop what is kept; a sign-out does."""
        before = self.epoch()
        token = self.server.login(INSPECTOR)
        for _ in range(3):
            self.assertEqual(self.status(token, "/api/v1/reports?limit=5"), 200)
        self.assertEqual(self.epoch(), before)
        self.ok(self.req("POST", "/api/v1/auth/logout", token=token), 200, 204)
        self.assertGreater(self.epoch(), before)

    def test_epoch_row_missing(self):
        """A database whose epoch row was removed by hand: nothing is kept, and
        every change is still seen at the next request."""
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.server.sql("DELETE FROM auth_epoch")
        try:
            self.twice(token, 200)
            self.ok(self.req("POST", "/api/v1/auth/logout", token=token), 200, 204)
            self.assertEqual(self.status(token), 401)
        finally:
            self.server.sql("INSERT INTO auth_epoch (id, n) VALUES (1, 1000000)")

    def test_garbage_tokens(self):
        for tok in ["x", "0" * 64, "a" * 500]:
            with self.subTest(token=tok[:10]):
                self.assertEqual(self.status(tok, "/api/v1/me"), 401)


class SecondInstanceTest(CacheHelpers, kerbside.ServerTestCase):
    """Two servers on one database (PostgreSQL: the deployment with several
    instances): a change made through one is seen by the other's next request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not kerbside.PG:
            return
        workdir = os.path.join(cls.tmp, "second")
        os.makedirs(workdir)
        cls.second = kerbside.Server(cls.server.db, workdir, media=cls.server.media)
        cls.addClassCleanup(cls.second.kill)
        cls.second.start()

    def setUp(self):
        if not kerbside.PG:
            self.skipTest("several instances share a PostgreSQL database only")

    def test_sign_out_on_the_other(self):
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200, server=self.second)
        self.ok(self.req("POST", "/api/v1/auth/logout", token=token), 200, 204)
        self.assertEqual(self.status(token, server=self.second), 401)

    def test_role_permissions_on_the_other(self):
        role = self.create_role(["view_report", "view_dashboard"])
        _, _, token = self.create_staff(role_ids=[role])
        self.twice(token, 200, server=self.second)
        self.ok(self.req("PATCH", "/api/v1/roles/%d" % role, token=self.token(ADMIN),
                         json={"permissions": ["view_report"]}), 200)
        self.assertEqual(self.status(token, server=self.second), 403)

    def test_role_changed_on_the_other(self):
        with_dash = self.create_role(["view_report", "view_dashboard"])
        without = self.create_role(["view_report"])
        staff_id, _, token = self.create_staff(role_ids=[with_dash])
        self.twice(token, 200, server=self.second)
        self.patch_staff(staff_id, {"role_ids": [without]})
        self.assertEqual(self.status(token, server=self.second), 403)

    def test_area_on_the_other(self):
        rep = self.claim_report(is_open)
        cid = rep["category_id"]
        path = "/api/v1/reports/%d" % rep["id"]
        staff_id, _, token = self.create_staff(permissions=["view_report"], category_ids=[cid])
        self.ok(self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                         json={"assigned_only": True}), 200)
        try:
            self.twice(token, 200, path, server=self.second)
            self.patch_staff(staff_id, {"category_ids": []})
            self.assertEqual(self.status(token, path, server=self.second), 404)
        finally:
            self.ok(self.req("PATCH", "/api/v1/categories/%d" % cid, token=self.token(ADMIN),
                             json={"assigned_only": False}), 200)

    def test_deactivated_on_the_other(self):
        staff_id, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200, server=self.second)
        self.patch_staff(staff_id, {"active": False})
        self.assertEqual(self.status(token, server=self.second), 401)

    def test_command_line_on_the_other(self):
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        slug = self.ok(self.req("GET", "/api/v1/me", token=token), 200)["body"]["slug"]
        self.twice(token, 200, server=self.second)
        for value, status in (("yes", 403), ("no", 200)):
            res = subprocess.run([kerbside.server_binary(), "council", "edit", "--db",
                                  self.server.db, "--council", slug, "--require-2fa", value],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            self.assertEqual(self.status(token, server=self.second), status)


def kerbside_hash(token):
    import hashlib
    return hashlib.sha256(token.encode()).hexdigest()


class IdleExpiryElsewhereTest(CacheHelpers, kerbside.ServerTestCase):
    """A session used on one instance only is not refused by another because
    of the idle expiry that one kept: past it, it asks the database."""
    server_args = ["--session-idle", "100"]

    def setUp(self):
        if not kerbside.PG:
            self.skipTest("several instances share a PostgreSQL database only")

    def test_idle_expiry_moved_by_the_other(self):
        workdir = os.path.join(self.tmp, "second")
        os.makedirs(workdir)
        second = kerbside.Server(self.server.db, workdir, args=["--session-idle", "100"],
                                 test_clock=True, media=self.server.media)
        self.addCleanup(second.kill)
        second.start()
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200, server=second)
        # The second instance's clock passes the expiry it kept, while the
        # session was used (and moved forward) elsewhere meanwhile.
        second.move_clock(150)
        self.server.sql("UPDATE sessions SET last_used = last_used + 150, expires = expires + 150 "
                        "WHERE token_hash = ?", (kerbside_hash(token),))
        self.assertEqual(self.status(token, server=second), 200)
        # And past the one in the database, it is refused.
        second.move_clock(150)
        self.assertEqual(self.status(token, server=second), 401)
        second.stop()


class IdleExpiryTest(CacheHelpers, kerbside.ServerTestCase):
    """The idle expiry: passed, the next request is refused even though the
    principal is kept; used, it moves forward although the principal is kept."""
    server_args = ["--session-idle", "100"]
    test_clock = True

    def setUp(self):
        # The clock moves on: every test signs the administrator in afresh.
        self.__class__._tokens = {}

    def test_expiry_passed(self):
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200)
        self.server.move_clock(101)
        r = self.req("GET", DASHBOARD, token=token)
        self.assertIn("expired", self.assertError(r, 401)["message"].lower())

    def test_expiry_moves_forward_on_use(self):
        _, _, token = self.create_staff(permissions=["view_dashboard"])
        self.twice(token, 200)
        expires0 = int(self.server.sql("SELECT expires FROM sessions WHERE token_hash = ?",
                                       (kerbside_hash(token),))[0][0])
        self.server.move_clock(70)
        self.assertEqual(self.status(token), 200)   # kept, and moved forward
        expires1 = int(self.server.sql("SELECT expires FROM sessions WHERE token_hash = ?",
                                       (kerbside_hash(token),))[0][0])
        self.assertGreaterEqual(expires1, expires0 + 60)
        self.server.move_clock(70)                  # past the first expiry
        self.assertEqual(self.status(token), 200)
        self.server.move_clock(101)                 # past the second
        self.assertEqual(self.status(token), 401)


if __name__ == "__main__":
    unittest.main()
