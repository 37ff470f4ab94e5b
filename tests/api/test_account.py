#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Account security: two-factor sign-in, mandatory 2FA, sign-in by email,
password change and policy, sessions, and delivery of the outbox over SMTP."""

import base64
import email
import email.policy
import glob
import hashlib
import hmac
import os
import re
import socketserver
import statistics
import struct
import threading
import time
import unittest

import kerbside
from kerbside import ServerTestCase, PASSWORD, INSPECTOR, MAINTENANCE, ADMIN, CUSTOMER_SERVICES


def totp(secret, when=None, step_offset=0):
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    counter = int((time.time() if when is None else when) // 30) + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def wait_for_fresh_step():
    """Avoids a code that changes between computing and checking it."""
    if time.time() % 30 > 26:
        time.sleep(30 - time.time() % 30 + 0.2)


class TwoFactorTest(ServerTestCase):
    server_args = ["--throttle-account", "20"]

    def enable_2fa(self, token):
        setup = self.ok(self.req("POST", "/api/v1/account/2fa/setup", token=token, json={"password": PASSWORD}))
        self.assertRegex(setup["secret"], r"^[A-Z2-7]{32}$")
        self.assertTrue(setup["otpauth_uri"].startswith("otpauth://totp/Kerbside:"), setup)
        self.assertIn("secret=" + setup["secret"], setup["otpauth_uri"])
        self.assertIn("issuer=Kerbside", setup["otpauth_uri"])
        wait_for_fresh_step()
        # a wrong code does not enable it
        self.assertError(self.req("POST", "/api/v1/account/2fa/enable", token=token,
                                  json={"code": "000000" if totp(setup["secret"]) != "000000" else "111111"}),
                         422, "bad_code")
        me = self.ok(self.req("POST", "/api/v1/account/2fa/enable", token=token,
                              json={"code": totp(setup["secret"])}))
        self.assertTrue(me["two_factor_enabled"])
        return setup["secret"]

    def test_enable_login_replay_window_disable(self):
        token = self.server.login(MAINTENANCE)
        secret = self.enable_2fa(token)

        # password alone no longer gives a session
        r = self.req("POST", "/api/v1/auth/login", json={"email": MAINTENANCE, "password": PASSWORD})
        body = self.ok(r, 200)
        self.assertTrue(body["two_factor_required"])
        self.assertNotIn("token", body)
        challenge = body["challenge"]

        # the code used to enable cannot be used again
        self.assertError(self.req("POST", "/api/v1/auth/login/2fa",
                                  json={"challenge": challenge, "code": totp(secret)}), 401, "code_used")
        # a wrong code is refused
        self.assertError(self.req("POST", "/api/v1/auth/login/2fa",
                                  json={"challenge": challenge, "code": "12345"}), 401)
        # the next step's code (one step ahead of the clock) is accepted, once
        r = self.req("POST", "/api/v1/auth/login/2fa",
                     json={"challenge": challenge, "code": totp(secret, step_offset=1)})
        session = self.ok(r, 200)
        self.assertIn("token", session)
        self.assertEqual(self.me(session["token"])["email"], MAINTENANCE)
        # the challenge is used up
        self.assertError(self.req("POST", "/api/v1/auth/login/2fa",
                                  json={"challenge": challenge, "code": totp(secret, step_offset=1)}), 401)
        # a code two steps away is outside the window
        body = self.ok(self.req("POST", "/api/v1/auth/login",
                                json={"email": MAINTENANCE, "password": PASSWORD}))
        self.assertError(self.req("POST", "/api/v1/auth/login/2fa",
                                  json={"challenge": body["challenge"], "code": totp(secret, step_offset=3)}), 401)
        # turning it off needs a current, unused code
        self.assertError(self.req("POST", "/api/v1/account/2fa/disable", token=session["token"],
                                  json={"code": totp(secret, step_offset=1), "password": PASSWORD}),
                         422, "code_used")
        other = self.server.login(CUSTOMER_SERVICES)
        other_secret = self.enable_2fa(other)  # uses the current step's code
        r = self.req("POST", "/api/v1/account/2fa/disable", token=other,
                     json={"code": totp(other_secret, step_offset=1), "password": PASSWORD})
        self.assertEqual(r.status, 204, r)
        self.assertFalse(self.me(other)["two_factor_enabled"])
        self.ok(self.req("POST", "/api/v1/auth/login", json={"email": CUSTOMER_SERVICES, "password": PASSWORD}))
        audit = self.ok(self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                                 query={"object_type": "user"}))
        actions = {e["action"] for e in audit["entries"]} if "entries" in audit else \
                  {e["action"] for e in kerbside.items(audit, "audit")}
        self.assertIn("two_factor_enabled", actions)
        self.assertIn("two_factor_disabled", actions)

    def test_turning_on_or_off_needs_the_password(self):
        """A session alone (a stolen token) cannot set up or remove 2FA."""
        server = self.new_server("reauth")
        token = server.login(INSPECTOR)
        for body, code in (({}, "password_required"), ({"password": "not my password"}, "bad_credentials")):
            r = server.req("POST", "/api/v1/account/2fa/setup", token=token, json=body)
            self.assertError(r, 422, code)
        self.assertEqual(server.sql("SELECT totp_secret IS NULL FROM users WHERE email = ?", (INSPECTOR,))[0][0], 1)
        setup = self.ok(server.req("POST", "/api/v1/account/2fa/setup", token=token, json={"password": PASSWORD}))
        wait_for_fresh_step()
        self.ok(server.req("POST", "/api/v1/account/2fa/enable", token=token, json={"code": totp(setup["secret"])}))
        for body, code in (({}, "password_required"), ({"password": "not my password"}, "bad_credentials")):
            body["code"] = totp(setup["secret"], step_offset=1)
            r = server.req("POST", "/api/v1/account/2fa/disable", token=token, json=body)
            self.assertError(r, 422, code)
        self.assertTrue(server.req("GET", "/api/v1/me", token=token).body["two_factor_enabled"])
        # Wrong passwords here count toward the sign-in throttling.
        rows = server.sql("SELECT count(*) FROM login_failures WHERE scope = 'account' AND key = ?", (INSPECTOR,))
        self.assertEqual(rows[0][0], 2)
        r = server.req("POST", "/api/v1/account/2fa/disable", token=token,
                       json={"code": totp(setup["secret"], step_offset=1), "password": PASSWORD})
        self.assertEqual(r.status, 204, r)
        # Just after signing in by email (every factor proven), the session may
        # set it up without a password: it may choose a new password anyway.
        server.req("POST", "/api/v1/auth/email", json={"email": INSPECTOR})
        msgs = EmailSignInTest.outbox_messages(self, server, INSPECTOR)
        code, _ = EmailSignInTest.code_from(self, msgs[-1])
        emailed = self.ok(server.req("POST", "/api/v1/auth/email/verify", json={"email": INSPECTOR, "code": code}))
        self.ok(server.req("POST", "/api/v1/account/2fa/setup", token=emailed["token"], json={}))
        self.assertError(server.req("POST", "/api/v1/account/2fa/setup", token=token, json={}), 422,
                         "password_required")
        server.stop()

    def test_failed_codes_are_throttled(self):
        server = self.new_server("throttle", ["--throttle-account", "3"])
        token = server.login(INSPECTOR)
        setup = server.req("POST", "/api/v1/account/2fa/setup", token=token, json={"password": PASSWORD}).body
        wait_for_fresh_step()
        server.req("POST", "/api/v1/account/2fa/enable", token=token, json={"code": totp(setup["secret"])})
        challenge = server.req("POST", "/api/v1/auth/login",
                               json={"email": INSPECTOR, "password": PASSWORD}).body["challenge"]
        statuses = [server.req("POST", "/api/v1/auth/login/2fa",
                               json={"challenge": challenge, "code": "000001"}).status for _ in range(4)]
        self.assertEqual(statuses[:3], [401, 401, 401])
        self.assertEqual(statuses[3], 429)
        r = server.req("POST", "/api/v1/auth/login/2fa",
                       json={"challenge": challenge, "code": totp(setup["secret"], step_offset=1)})
        self.assertError(r, 429, "throttled")
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        server.stop()

    def test_mandatory_2fa_for_council(self):
        server = self.new_server("mandatory")
        admin = server.login(ADMIN)
        admin_setup = server.req("POST", "/api/v1/account/2fa/setup", token=admin, json={"password": PASSWORD}).body
        wait_for_fresh_step()
        server.req("POST", "/api/v1/account/2fa/enable", token=admin, json={"code": totp(admin_setup["secret"])})
        r = server.req("PATCH", "/api/v1/body", token=admin, json={"require_2fa": True})
        self.assertTrue(200 <= r.status < 300, r)
        token = server.login(CUSTOMER_SERVICES)
        me = server.req("GET", "/api/v1/me", token=token).body
        self.assertTrue(me["two_factor_setup_required"])
        # nothing else works until set up
        r = server.req("GET", "/api/v1/reports", token=token)
        self.assertError(r, 403, "two_factor_setup_required")
        setup = server.req("POST", "/api/v1/account/2fa/setup", token=token, json={"password": PASSWORD}).body
        wait_for_fresh_step()
        me = server.req("POST", "/api/v1/account/2fa/enable", token=token,
                        json={"code": totp(setup["secret"])}).body
        self.assertFalse(me["two_factor_setup_required"])
        self.assertEqual(server.req("GET", "/api/v1/reports", token=token).status, 200)
        # and it cannot be turned off while required
        r = server.req("POST", "/api/v1/account/2fa/disable", token=token,
                       json={"code": totp(setup["secret"], step_offset=1)})
        self.assertError(r, 422, "two_factor_required")
        # an administrator can reset it (audited); the user is signed out
        uid = me["id"]
        r = server.req("POST", "/api/v1/staff/%d/reset-2fa" % uid, token=admin, json={})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(server.req("GET", "/api/v1/me", token=token).status, 401)
        # only with manage_staff
        insp = server.login(INSPECTOR)
        self.assertError(server.req("POST", "/api/v1/staff/%d/reset-2fa" % uid, token=insp, json={}), 403)
        server.stop()

    def test_superuser_needs_2fa(self):
        server = self.new_server("superuser")
        import crypt
        h = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
        server.sql("INSERT INTO users (email, name, password_hash, is_superuser, created, updated) "
                   "VALUES ('operator@demo.invalid', 'Operator', ?, 1, 0, 0)", (h,))
        token = server.login("operator@demo.invalid")
        self.assertTrue(server.req("GET", "/api/v1/me", token=token).body["two_factor_setup_required"])
        self.assertError(server.req("GET", "/api/v1/reports", token=token), 403, "two_factor_setup_required")
        server.stop()


class PasswordTest(ServerTestCase):

    def test_change_revokes_other_sessions(self):
        first = self.server.login(INSPECTOR)
        second = self.server.login(INSPECTOR)
        sessions = self.ok(self.req("GET", "/api/v1/account/sessions", token=first))["sessions"]
        self.assertGreaterEqual(len(sessions), 2)
        self.assertEqual(sum(1 for s in sessions if s["current"]), 1)

        r = self.req("POST", "/api/v1/account/password", token=first,
                     json={"current_password": PASSWORD, "new_password": "abc12"})
        err = self.assertError(r, 422, "weak_password")
        self.assertIn("at least 8 characters", err["message"])
        r = self.req("POST", "/api/v1/account/password", token=first,
                     json={"current_password": PASSWORD, "new_password": "password"})
        err = self.assertError(r, 422, "weak_password")
        self.assertIn("easy to guess", err["message"])
        r = self.req("POST", "/api/v1/account/password", token=first,
                     json={"current_password": PASSWORD, "new_password": "inspector-demo"})
        self.assertError(r, 422, "weak_password")
        r = self.req("POST", "/api/v1/account/password", token=first,
                     json={"current_password": "wrong password here", "new_password": "amber quartz lantern 77"})
        self.assertError(r, 422, "bad_credentials")
        # nothing changed so far
        self.assertEqual(self.req("GET", "/api/v1/me", token=second).status, 200)

        r = self.req("POST", "/api/v1/account/password", token=first,
                     json={"current_password": PASSWORD, "new_password": "amber quartz lantern 77"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.req("GET", "/api/v1/me", token=first).status, 200)
        self.assertEqual(self.req("GET", "/api/v1/me", token=second).status, 401)
        self.server.login(INSPECTOR, "amber quartz lantern 77")
        r = self.req("POST", "/api/v1/auth/login", json={"email": INSPECTOR, "password": PASSWORD})
        self.assertEqual(r.status, 401)

    def test_passwords_over_72_bytes_refused_everywhere(self):
        """bcrypt reads only 72 bytes: a longer password is refused with a
        sentence, not cut, on every path that sets one."""
        server = self.new_server("bytes")
        token = server.login(CUSTOMER_SERVICES)
        most = "quiet-meadow-lantern-7391-amber-harbour-violet-spruce-cobalt-walrus-1234"
        self.assertEqual(len(most.encode()), 72)
        over = most + "x"
        accents = "é" * 37  # 37 letters, 74 bytes
        for pw in (over, accents):
            r = server.req("POST", "/api/v1/account/password", token=token,
                           json={"current_password": PASSWORD, "new_password": pw})
            err = self.assertError(r, 422, "weak_password")
            self.assertIn("72 bytes", err["message"])
            r = server.req("POST", "/api/v1/staff", token=server.login(ADMIN),
                           json={"email": "long.password@demo.invalid", "name": "Long Password",
                                 "password": pw, "role_ids": []})
            err = self.assertError(r, 422, "weak_password")
            self.assertIn("72 bytes", err["message"])
        server.login(CUSTOMER_SERVICES)  # unchanged
        r = server.req("POST", "/api/v1/account/password", token=token,
                       json={"current_password": PASSWORD, "new_password": most})
        self.assertEqual(r.status, 204, r)
        server.login(CUSTOMER_SERVICES, most)
        self.assertEqual(server.req("POST", "/api/v1/auth/login",
                                    json={"email": CUSTOMER_SERVICES, "password": most[:71]}).status, 401)
        server.stop()

    def test_council_and_product_names_are_known_words(self):
        token = self.server.login(CUSTOMER_SERVICES)
        me = self.me(token)
        self.assertEqual(me["body"]["name"], "Oxford City Council")
        for weak in ("oxfordcitycouncil", "oxfordcity2026", "Kerbside2026!", "kerbsideoxford"):
            r = self.req("POST", "/api/v1/account/password", token=token,
                         json={"current_password": PASSWORD, "new_password": weak})
            err = self.assertError(r, 422, "weak_password")
            self.assertIn("easy to guess", err["message"])
        self.server.login(CUSTOMER_SERVICES)

    def test_sign_out_one_session(self):
        a = self.server.login(MAINTENANCE)
        b = self.server.login(MAINTENANCE)
        mine = self.ok(self.req("GET", "/api/v1/account/sessions", token=a))["sessions"]
        other = [s for s in mine if not s["current"]][0]
        self.assertEqual(self.req("DELETE", "/api/v1/account/sessions/%d" % other["id"], token=a).status, 204)
        self.assertEqual(self.req("GET", "/api/v1/me", token=b).status, 401)
        self.assertEqual(self.req("GET", "/api/v1/me", token=a).status, 200)
        # another user's session is not found
        admin_sessions = self.ok(self.req("GET", "/api/v1/account/sessions", token=self.token(ADMIN)))["sessions"]
        r = self.req("DELETE", "/api/v1/account/sessions/%d" % admin_sessions[0]["id"], token=a)
        self.assertError(r, 404)

    def test_rehash_on_login_when_cost_changes(self):
        server = self.new_server("rehash", ["--bcrypt-cost", "5"])
        before = server.sql("SELECT password_hash FROM users WHERE email = ?", (ADMIN,))[0][0]
        self.assertTrue(before.startswith("$2b$04$"), before)
        server.login(ADMIN)
        after = server.sql("SELECT password_hash FROM users WHERE email = ?", (ADMIN,))[0][0]
        self.assertTrue(after.startswith("$2b$05$"), after)
        server.login(ADMIN)
        server.stop()


class EmailSignInTest(ServerTestCase):
    test_clock = True

    def outbox_messages(self, server, to):
        out = []
        for path in sorted(glob.glob(os.path.join(server.outbox, "*.eml"))):
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if to in msg["To"]:
                out.append(msg)
        return out

    def code_from(self, msg):
        text = msg.get_content()
        code = re.search(r"code is:\s+(\d{4} \d{4})", text).group(1)
        token = re.search(r"token=([A-Za-z0-9_-]+)", text).group(1)
        return code, token

    def test_code_single_use(self):
        r = self.req("POST", "/api/v1/auth/email", json={"email": MAINTENANCE})
        self.assertEqual(r.status, 202, r)
        msgs = self.outbox_messages(self.server, MAINTENANCE)
        self.assertEqual(len(msgs), 1)
        self.assertNotIn("List-Unsubscribe", msgs[0])  # a security message
        code, _ = self.code_from(msgs[0])
        self.assertError(self.req("POST", "/api/v1/auth/email/verify",
                                  json={"email": MAINTENANCE, "code": "0000 0000"}), 401, "bad_code")
        session = self.ok(self.req("POST", "/api/v1/auth/email/verify",
                                   json={"email": MAINTENANCE, "code": code}))
        self.assertEqual(self.me(session["token"])["email"], MAINTENANCE)
        self.assertError(self.req("POST", "/api/v1/auth/email/verify",
                                  json={"email": MAINTENANCE, "code": code}), 401, "bad_code")

    def test_link_and_expiry(self):
        self.req("POST", "/api/v1/auth/email", json={"email": CUSTOMER_SERVICES})
        code, token = self.code_from(self.outbox_messages(self.server, CUSTOMER_SERVICES)[-1])
        # a day later the code is dead
        self.server.sql("UPDATE email_codes SET expires = expires - 86401")
        self.assertError(self.req("POST", "/api/v1/auth/email/verify", json={"token": token}), 401)
        self.req("POST", "/api/v1/auth/email", json={"email": CUSTOMER_SERVICES})
        code, token = self.code_from(self.outbox_messages(self.server, CUSTOMER_SERVICES)[-1])
        session = self.ok(self.req("POST", "/api/v1/auth/email/verify", json={"token": token}))
        self.assertEqual(self.me(session["token"])["email"], CUSTOMER_SERVICES)

    def test_request_for_a_code_takes_no_password(self):
        """The attack: asking for a code for someone else's address with a
        password of one's choosing. Refused, nothing sent, nothing changed."""
        server = self.new_server("plant")
        other = server.login(ADMIN)
        before = len(self.outbox_messages(server, ADMIN))
        for planted in ("velvet harbour compass 31", "", None):
            r = server.req("POST", "/api/v1/auth/email", json={"email": ADMIN, "new_password": planted})
            err = self.assertError(r, 422, "new_password_not_allowed")
            self.assertIn("choose a new password", err["message"])
        self.assertEqual(len(self.outbox_messages(server, ADMIN)), before)
        # The honest request; the victim uses the code: the password is the old one
        # and the other sessions go on.
        self.assertEqual(server.req("POST", "/api/v1/auth/email", json={"email": ADMIN}).status, 202)
        code, _ = self.code_from(self.outbox_messages(server, ADMIN)[-1])
        session = self.ok(server.req("POST", "/api/v1/auth/email/verify", json={"email": ADMIN, "code": code}))
        self.assertEqual(server.req("GET", "/api/v1/me", token=other).status, 200)
        server.login(ADMIN)
        self.assertEqual(server.req("POST", "/api/v1/auth/login",
                                    json={"email": ADMIN, "password": "velvet harbour compass 31"}).status, 401)
        # The only password change left is the session's own, after the code.
        self.assertIsNotNone(session["password_reset_expires"])
        server.stop()

    def test_new_password_after_the_code(self):
        server = self.new_server("reset")
        other = server.login(ADMIN)
        plain = server.login(ADMIN)
        # A session signed in with the password cannot skip the current password.
        r = server.req("POST", "/api/v1/account/password", token=plain,
                       json={"new_password": "velvet harbour compass 31"})
        self.assertError(r, 422, "current_password_required")
        self.assertIsNone(server.req("GET", "/api/v1/me", token=plain).body["password_reset_expires"])

        server.req("POST", "/api/v1/auth/email", json={"email": ADMIN})
        code, _ = self.code_from(self.outbox_messages(server, ADMIN)[-1])
        session = self.ok(server.req("POST", "/api/v1/auth/email/verify", json={"email": ADMIN, "code": code}))
        token = session["token"]
        self.assertIsNotNone(session["password_reset_expires"])
        me = server.req("GET", "/api/v1/me", token=token).body
        self.assertEqual(me["password_reset_expires"], session["password_reset_expires"])
        # Nothing changed yet.
        self.assertEqual(server.req("GET", "/api/v1/me", token=other).status, 200)
        server.login(ADMIN)
        # A weak password is refused and the grant stays.
        r = server.req("POST", "/api/v1/account/password", token=token, json={"new_password": "12345678"})
        self.assertError(r, 422, "weak_password")
        self.assertIsNotNone(server.req("GET", "/api/v1/me", token=token).body["password_reset_expires"])
        r = server.req("POST", "/api/v1/account/password", token=token,
                       json={"new_password": "velvet harbour compass 31"})
        self.assertEqual(r.status, 204, r)
        server.login(ADMIN, "velvet harbour compass 31")
        self.assertEqual(server.req("POST", "/api/v1/auth/login",
                                    json={"email": ADMIN, "password": PASSWORD}).status, 401)
        self.assertEqual(server.req("GET", "/api/v1/me", token=other).status, 401)
        self.assertEqual(server.req("GET", "/api/v1/me", token=token).status, 200)
        # Once only.
        r = server.req("POST", "/api/v1/account/password", token=token,
                       json={"new_password": "another harbour compass 32"})
        self.assertError(r, 422, "current_password_required")
        audit = server.sql("SELECT details FROM audit_log WHERE action = 'password_changed'")
        self.assertTrue(any('"email"' in (d or "") for (d,) in audit), audit)

        # The grant lasts a short time.
        server.req("POST", "/api/v1/auth/email", json={"email": ADMIN})
        code, _ = self.code_from(self.outbox_messages(server, ADMIN)[-1])
        token = self.ok(server.req("POST", "/api/v1/auth/email/verify",
                                   json={"email": ADMIN, "code": code}))["token"]
        server.sql("UPDATE sessions SET reset_until = ? WHERE reset_until > 0", (int(time.time()) - 1,))
        r = server.req("POST", "/api/v1/account/password", token=token,
                       json={"new_password": "another harbour compass 32"})
        self.assertError(r, 422, "current_password_required")
        server.login(ADMIN, "velvet harbour compass 31")
        server.stop()

    def test_with_two_factor_nothing_changes_before_the_second_factor(self):
        server = self.new_server("reset2fa")
        token = server.login(MAINTENANCE)
        setup = server.req("POST", "/api/v1/account/2fa/setup", token=token,
                           json={"password": PASSWORD}).body
        wait_for_fresh_step()
        self.assertEqual(server.req("POST", "/api/v1/account/2fa/enable", token=token,
                                    json={"code": totp(setup["secret"])}).status, 200)
        hash_before = server.sql("SELECT password_hash FROM users WHERE email = ?", (MAINTENANCE,))[0][0]

        server.req("POST", "/api/v1/auth/email", json={"email": MAINTENANCE})
        _, link = self.code_from(self.outbox_messages(server, MAINTENANCE)[-1])
        body = self.ok(server.req("POST", "/api/v1/auth/email/verify", json={"token": link}))
        self.assertTrue(body["two_factor_required"])
        self.assertNotIn("token", body)
        self.assertNotIn("password_reset_expires", body)
        # A wrong second factor: still nothing changed, the other session goes on.
        self.assertError(server.req("POST", "/api/v1/auth/login/2fa",
                                    json={"challenge": body["challenge"], "code": "00000"}), 401)
        self.assertEqual(server.req("GET", "/api/v1/me", token=token).status, 200)
        self.assertEqual(server.sql("SELECT password_hash FROM users WHERE email = ?", (MAINTENANCE,))[0][0],
                         hash_before)
        self.assertEqual(server.sql("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                                    "WHERE u.email = ? AND s.reset_until > 0", (MAINTENANCE,))[0][0], 0)
        # Both factors: a session that may choose a new password.
        session = self.ok(server.req("POST", "/api/v1/auth/login/2fa",
                                     json={"challenge": body["challenge"],
                                           "code": totp(setup["secret"], step_offset=1)}))
        self.assertIsNotNone(session["password_reset_expires"])
        self.assertEqual(server.req("GET", "/api/v1/me", token=token).status, 200)
        r = server.req("POST", "/api/v1/account/password", token=session["token"],
                       json={"new_password": "velvet harbour compass 31"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(server.req("GET", "/api/v1/me", token=token).status, 401)
        body = self.ok(server.req("POST", "/api/v1/auth/login",
                                  json={"email": MAINTENANCE, "password": "velvet harbour compass 31"}))
        self.assertTrue(body["two_factor_required"])
        # A password sign-in with 2FA gives no such grant.
        session = self.ok(server.req("POST", "/api/v1/auth/login/2fa",
                                     json={"challenge": body["challenge"],
                                           "code": self.next_code(server, setup["secret"])}))
        self.assertIsNone(session["password_reset_expires"])
        server.stop()

    def next_code(self, server, secret):
        """A code for a step the server has not accepted yet: when it has taken
        the next step's code already, its test clock moves on to that step
        (rather than the test waiting up to a minute)."""
        last = server.sql("SELECT totp_last_step FROM users WHERE email = ?", (MAINTENANCE,))[0][0]
        if last >= int(server.now() // 30) + 1:
            server.move_clock(last * 30 - server.now() + 1)
        now_step = int(server.now() // 30)
        return totp(secret, when=server.now(), step_offset=1 if last >= now_step else 0)

    def test_no_account_enumeration(self):
        server = self.new_server("enum", ["--throttle-address", "0"])
        answers = {}
        times = {"known": [], "unknown": []}
        for i in range(6):
            for kind, addr in (("known", INSPECTOR), ("unknown", "nobody%d@demo.invalid" % i)):
                t0 = time.perf_counter()
                r = server.req("POST", "/api/v1/auth/email", json={"email": addr})
                times[kind].append(time.perf_counter() - t0)
                answers.setdefault(kind, set()).add((r.status, r.raw))
        self.assertEqual(answers["known"], answers["unknown"])
        diff = abs(statistics.median(times["known"]) - statistics.median(times["unknown"]))
        self.assertLess(diff, 0.05, times)
        # the same for a wrong password: same status and body for known and unknown
        a = server.req("POST", "/api/v1/auth/login", json={"email": ADMIN, "password": "nope nope"})
        b = server.req("POST", "/api/v1/auth/login", json={"email": "ghost@demo.invalid", "password": "nope nope"})
        self.assertEqual((a.status, a.raw), (b.status, b.raw))
        server.stop()


class FakeSmtp(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.received = []
        super().__init__(("127.0.0.1", 0), SmtpHandler)


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        def say(s):
            self.wfile.write((s + "\r\n").encode())
        say("220 test ESMTP")
        envelope, data = {}, None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if data is not None:
                if line == ".":
                    envelope["data"] = "\n".join(data)
                    self.server.received.append(envelope)
                    envelope, data = {}, None
                    say("250 queued")
                else:
                    data.append(line[1:] if line.startswith("..") else line)
                continue
            cmd = line.upper()
            if cmd.startswith("EHLO"):
                say("250-test")
                say("250 AUTH PLAIN")
            elif cmd.startswith("AUTH PLAIN"):
                envelope["auth"] = base64.b64decode(line.split()[2]).split(b"\0")
                say("235 ok")
            elif cmd.startswith("MAIL FROM:"):
                envelope["from"] = line[10:]
                say("250 ok")
            elif cmd.startswith("RCPT TO:"):
                envelope["to"] = line[8:]
                say("250 ok")
            elif cmd == "DATA":
                data = []
                say("354 go on")
            elif cmd == "QUIT":
                say("221 bye")
                return
            else:
                say("502 no")


class SmtpRelayTest(ServerTestCase):

    def test_outbox_goes_to_relay(self):
        smtp = FakeSmtp()
        threading.Thread(target=smtp.serve_forever, daemon=True).start()
        self.addCleanup(smtp.shutdown)
        conf = os.path.join(self.tmp, "relay.conf")
        with open(conf, "w") as f:
            f.write("[server]\npublic-url=https://fix.example.org\n"
                    "[smtp]\nhost=127.0.0.1\nport=%d\nstarttls=false\nusername=relay-user\n"
                    "password=relay-secret\npoll-seconds=1\n" % smtp.server_address[1])
        server = self.new_server("relay", ["--config", conf])
        self.assertEqual(server.req("POST", "/api/v1/auth/email", json={"email": INSPECTOR}).status, 202)
        deadline = time.time() + 15
        while not smtp.received and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(len(smtp.received), 1)
        env = smtp.received[0]
        self.assertEqual(env["to"], "<%s>" % INSPECTOR)
        self.assertEqual(env["auth"][1:], [b"relay-user", b"relay-secret"])
        self.assertIn("Subject: Your Kerbside sign-in code", env["data"])
        # delivered files move to sent/
        self.assertEqual(glob.glob(os.path.join(server.outbox, "*.eml")), [])
        self.assertEqual(len(glob.glob(os.path.join(server.outbox, "sent", "*.eml"))), 1)
        server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
