#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two-factor recovery codes: given once when 2FA is turned on, kept only as
hashes, each usable once instead of an authenticator code (sign-in, turning
2FA off, new codes), renewed with the password or a code, the number left in
/me, gone with 2FA."""

import re
import unittest

from kerbside import ServerTestCase, PASSWORD, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, ADMIN
from test_account import totp, wait_for_fresh_step

CODE_SHAPE = r"^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$"


class RecoveryCodesTest(ServerTestCase):
    server_args = ["--throttle-account", "50"]

    def turn_on(self, server, email, step_offset=0):
        token = server.login(email)
        setup = self.ok(server.req("POST", "/api/v1/account/2fa/setup", token=token,
                                   json={"password": PASSWORD}))
        self.assertEqual(server.sql("SELECT count(*) FROM recovery_codes")[0][0], 0)
        wait_for_fresh_step()
        me = self.ok(server.req("POST", "/api/v1/account/2fa/enable", token=token,
                                json={"code": totp(setup["secret"], step_offset=step_offset)}))
        return token, setup["secret"], me

    def sign_in(self, server, email, code):
        body = self.ok(server.req("POST", "/api/v1/auth/login",
                                  json={"email": email, "password": PASSWORD}))
        self.assertTrue(body["two_factor_required"], body)
        return server.req("POST", "/api/v1/auth/login/2fa",
                          json={"challenge": body["challenge"], "code": code})

    def me_on(self, server, token):
        return self.ok(server.req("GET", "/api/v1/me", token=token))

    def user_id(self, server, email):
        return server.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]

    def test_given_once_kept_hashed_each_used_once(self):
        server = self.new_server("once")
        token, secret, me = self.turn_on(server, MAINTENANCE)
        codes = me["recovery_codes"]
        self.assertEqual(len(codes), 10, me)
        self.assertEqual(len(set(codes)), 10, codes)
        for c in codes:
            self.assertRegex(c, CODE_SHAPE)
        self.assertTrue(me["two_factor_enabled"])
        self.assertEqual(me["recovery_codes_left"], 10)
        # /me tells the count, never the codes
        again = self.me_on(server, token)
        self.assertEqual(again["recovery_codes_left"], 10)
        self.assertNotIn("recovery_codes", again)
        # only bcrypt hashes are kept, none of them the code
        uid = self.user_id(server, MAINTENANCE)
        rows = server.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?", (uid,))
        self.assertEqual(len(rows), 10)
        for (h,) in rows:
            self.assertTrue(h.startswith("$2b$"), h)
            for c in codes:
                self.assertNotIn(c.replace("-", ""), h)

        # a code signs in instead of the authenticator's, typed any way
        typed = codes[3].upper().replace("-", " ")
        session = self.ok(self.sign_in(server, MAINTENANCE, typed))
        self.assertIn("token", session)
        self.assertEqual(session["user"]["recovery_codes_left"], 9)
        method = server.sql("SELECT details FROM audit_log WHERE action = 'login' ORDER BY id DESC")[0][0]
        self.assertIn("password+recovery_code", method)
        # the same code a second time is refused, and changes nothing
        err = self.assertError(self.sign_in(server, MAINTENANCE, codes[3]), 401, "bad_code")
        self.assertIn("recovery code", err["message"])
        self.assertEqual(self.me_on(server, token)["recovery_codes_left"], 9)
        # a made-up code of the same shape is refused
        self.assertError(self.sign_in(server, MAINTENANCE, "abcde-fghjk"), 401, "bad_code")
        self.assertEqual(self.me_on(server, token)["recovery_codes_left"], 9)
        # the authenticator still works beside them
        self.ok(self.sign_in(server, MAINTENANCE, totp(secret, step_offset=1)))

    def test_new_codes_need_the_password_or_a_code(self):
        server = self.new_server("renew")
        token, secret, me = self.turn_on(server, INSPECTOR)
        old = me["recovery_codes"]
        uid = self.user_id(server, INSPECTOR)
        before = sorted(h for (h,) in server.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?", (uid,)))

        # a session alone is not enough; a wrong password changes nothing
        self.assertError(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token, json={}),
                         422, "password_required")
        self.assertError(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                    json={"password": "not the password"}), 422, "bad_credentials")
        self.assertError(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                    json={"code": "zzzzz-zzzzz"}), 422, "bad_code")
        self.assertError(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                    json={"password": PASSWORD, "extra": 1}), 422)
        after = sorted(h for (h,) in server.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?", (uid,)))
        self.assertEqual(before, after)

        # with the password: ten new codes, the old ones no longer work
        body = self.ok(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                  json={"password": PASSWORD}))
        self.assertEqual(body["recovery_codes_left"], 10)
        self.assertEqual(len(body["recovery_codes"]), 10)
        self.assertFalse(set(body["recovery_codes"]) & set(old))
        self.assertError(self.sign_in(server, INSPECTOR, old[0]), 401, "bad_code")
        self.assertEqual(self.me_on(server, token)["recovery_codes_left"], 10)

        # with one of the codes (lost phone, password known or not): that code is used up first
        newer = self.ok(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                   json={"code": body["recovery_codes"][0]}))
        self.assertEqual(newer["recovery_codes_left"], 10)
        # with the authenticator's code
        self.ok(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                           json={"code": totp(secret, step_offset=1)}))
        actions = [a for (a,) in server.sql("SELECT action FROM audit_log WHERE user_id = ? "
                                            "AND action IN ('recovery_codes_renewed', 'recovery_code_used') "
                                            "ORDER BY id", (uid,))]
        self.assertEqual(actions, ["recovery_codes_renewed", "recovery_code_used",
                                   "recovery_codes_renewed", "recovery_codes_renewed"])

    def test_without_2fa_there_are_none(self):
        server = self.new_server("off")
        token = server.login(CUSTOMER_SERVICES)
        self.assertEqual(self.me_on(server, token)["recovery_codes_left"], 0)
        self.assertError(server.req("POST", "/api/v1/account/2fa/recovery-codes", token=token,
                                    json={"password": PASSWORD}), 409, "conflict")
        self.assertEqual(server.sql("SELECT count(*) FROM recovery_codes")[0][0], 0)

    def test_turning_off_with_a_code_removes_them(self):
        """A lost phone: a recovery code turns 2FA off, and the codes go with it."""
        server = self.new_server("disable")
        token, secret, me = self.turn_on(server, CUSTOMER_SERVICES)
        codes = me["recovery_codes"]
        r = server.req("POST", "/api/v1/account/2fa/disable", token=token,
                       json={"code": codes[5], "password": PASSWORD})
        self.assertEqual(r.status, 204, r)
        self.assertFalse(self.me_on(server, token)["two_factor_enabled"])
        self.assertEqual(self.me_on(server, token)["recovery_codes_left"], 0)
        self.assertEqual(server.sql("SELECT count(*) FROM recovery_codes")[0][0], 0)
        # password alone signs in again
        body = self.ok(server.req("POST", "/api/v1/auth/login",
                                  json={"email": CUSTOMER_SERVICES, "password": PASSWORD}))
        self.assertIn("token", body)

    def test_an_administrators_reset_removes_them(self):
        server = self.new_server("reset")
        token, secret, me = self.turn_on(server, INSPECTOR)
        uid = self.user_id(server, INSPECTOR)
        admin = server.login(ADMIN)
        r = server.req("POST", "/api/v1/staff/%d/reset-2fa" % uid, token=admin, json={})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(server.sql("SELECT count(*) FROM recovery_codes WHERE user_id = ?", (uid,))[0][0], 0)
        # and a new set-up gives new codes
        token2, secret2, me2 = self.turn_on(server, INSPECTOR, step_offset=1)
        self.assertEqual(me2["recovery_codes_left"], 10)
        self.assertFalse(set(me2["recovery_codes"]) & set(me["recovery_codes"]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
