# SPDX-License-Identifier: GPL-3.0-or-later
"""Sign-in, sign-out, /me, session expiry and sign-in throttling."""

import os
import re
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, CUSTOMER_SERVICES, PASSWORD  # noqa: E402


class AuthTest(kerbside.ServerTestCase):

    def login_req(self, server, email, password):
        return server.req("POST", "/api/v1/auth/login",
                          json={"email": email, "password": password})

    def test_health_is_public(self):
        r = self.req("GET", "/api/v1/health")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["status"], "ok")

    def test_login_ok(self):
        r = self.login_req(self.server, INSPECTOR, PASSWORD)
        self.assertEqual(r.status, 200, r)
        self.assertIsInstance(r.body["token"], str)
        self.assertGreaterEqual(len(r.body["token"]), 32)
        self.assertTrue(r.body["expires"].endswith("Z"))
        self.assertEqual(r.body["user"]["email"], INSPECTOR)
        # The token works.
        me = self.me(r.body["token"])
        self.assertEqual(me["email"], INSPECTOR)

    def test_login_email_case_insensitive(self):
        r = self.login_req(self.server, "  Inspector@Demo.INVALID ", PASSWORD)
        self.assertEqual(r.status, 200, r)

    def test_wrong_password_and_unknown_email_same_answer(self):
        wrong = self.login_req(self.server, MAINTENANCE, PASSWORD + "x")
        unknown = self.login_req(self.server, "nobody@demo.invalid", PASSWORD)
        self.assertError(wrong, 401)
        self.assertError(unknown, 401)
        self.assertEqual(wrong.body, unknown.body)
        self.assertNotIn("token", wrong.raw)

    def test_login_bad_input(self):
        r = self.req("POST", "/api/v1/auth/login", json={"email": ADMIN})
        self.assertError(r, 422)
        self.assertIn("password", r.body["error"]["message"])
        r = self.req("POST", "/api/v1/auth/login", json={"email": 5, "password": PASSWORD})
        self.assertError(r, 422)
        r = self.req("POST", "/api/v1/auth/login", body=b'{"email": ')
        self.assertError(r, 400)

    def test_me_per_role(self):
        for role, email in kerbside.ROLE_ACCOUNTS.items():
            with self.subTest(role=role):
                me = self.me(self.token(role))
                self.assertEqual(me["email"], email)
                self.assertIsInstance(me["id"], int)
                self.assertTrue(me["name"])
                self.assertFalse(me["is_superuser"])
                body = me["body"]
                self.assertIsInstance(body, dict)
                self.assertEqual(body["slug"], "oxford")
                self.assertEqual(body["name"], "Oxford City Council")
                self.assertEqual([x["name"] for x in me["roles"]], [role])
                # Exactly the role's permissions, in the table's order.
                self.assertEqual(me["permissions"], kerbside.role_permissions(role))

    def test_me_needs_token(self):
        r = self.req("GET", "/api/v1/me")
        self.assertError(r, 401)
        self.assertIn("Bearer", r.headers.get("WWW-Authenticate", ""))

    def test_logout_revokes(self):
        token = self.server.login(CUSTOMER_SERVICES)
        other = self.server.login(CUSTOMER_SERVICES)
        self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)
        r = self.req("POST", "/api/v1/auth/logout", token=token)
        self.assertIn(r.status, (200, 204), r)
        r = self.req("GET", "/api/v1/me", token=token)
        self.assertError(r, 401)
        # Signing out one session leaves the others.
        self.assertEqual(self.req("GET", "/api/v1/me", token=other).status, 200)
        # A second sign-out with the dead token is refused too.
        self.assertError(self.req("POST", "/api/v1/auth/logout", token=token), 401)

    def test_logout_everywhere(self):
        self._tokens.pop(MAINTENANCE, None)
        a = self.server.login(MAINTENANCE)
        b = self.server.login(MAINTENANCE)
        r = self.req("POST", "/api/v1/auth/logout-everywhere", token=a)
        self.assertIn(r.status, (200, 204), r)
        self.assertError(self.req("GET", "/api/v1/me", token=b), 401)

    def test_garbage_tokens(self):
        for tok in ["x", "0" * 64, "a" * 500, "Zm9vYmFy", "'; DROP TABLE sessions; --"]:
            with self.subTest(token=tok[:20]):
                self.assertError(self.req("GET", "/api/v1/me", token=tok), 401)
        r = self.req("GET", "/api/v1/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
        self.assertError(r, 401)
        # The sessions table still works.
        self.assertEqual(self.req("GET", "/api/v1/me", token=self.token(ADMIN)).status, 200)


class SessionExpiryTest(kerbside.ServerTestCase):
    server_args = ["--session-idle", "2"]
    test_clock = True

    def test_session_expires(self):
        token = self.server.login(INSPECTOR)
        self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)
        self.server.move_clock(3.2)
        r = self.req("GET", "/api/v1/me", token=token)
        err = self.assertError(r, 401)
        self.assertIn("expired", err["message"].lower())
        # Signing in again works.
        token = self.server.login(INSPECTOR)
        self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)


class AccountThrottleTest(kerbside.ServerTestCase):
    server_args = ["--throttle-account", "3"]

    def login_req(self, email, password):
        return self.req("POST", "/api/v1/auth/login",
                        json={"email": email, "password": password})

    def assertThrottled(self, r):
        self.assertError(r, 429)
        retry = r.headers.get("Retry-After")
        self.assertIsNotNone(retry, r)
        self.assertGreater(int(retry), 0)
        self.assertNotIn("token", r.body)

    def test_account_throttle_survives_restart(self):
        for i in range(3):
            self.assertError(self.login_req(INSPECTOR, "wrong-password-%d" % i), 401)
        # The fourth failure is refused before the password is even checked.
        self.assertThrottled(self.login_req(INSPECTOR, "wrong-password-4"))
        # Even the right password is refused while throttled.
        self.assertThrottled(self.login_req(INSPECTOR, PASSWORD))
        # Other accounts are not affected.
        self.assertEqual(self.login_req(MAINTENANCE, PASSWORD).status, 200)

        # The throttle is kept in the database: a restart does not reset it.
        self.server.restart()
        self.assertThrottled(self.login_req(INSPECTOR, PASSWORD))
        self.assertThrottled(self.login_req(INSPECTOR.upper(), PASSWORD))
        self.assertEqual(self.login_req(MAINTENANCE, PASSWORD).status, 200)

    def test_success_clears_failures(self):
        for i in range(2):
            self.assertError(self.login_req(CUSTOMER_SERVICES, "nope-%d" % i), 401)
        self.assertEqual(self.login_req(CUSTOMER_SERVICES, PASSWORD).status, 200)
        for i in range(2):
            self.assertError(self.login_req(CUSTOMER_SERVICES, "nope-again-%d" % i), 401)
        # Two failures after a success: not throttled yet.
        self.assertEqual(self.login_req(CUSTOMER_SERVICES, PASSWORD).status, 200)


class PairThrottleTest(kerbside.ServerTestCase):
    """A stranger's wrong guesses must not lock the owner out: the limit is per
    account and address pair; the account's total over every address only slows
    attempts down."""
    server_args = ["--throttle-account", "3"]

    def login_req(self, email, password, source=None):
        return self.req("POST", "/api/v1/auth/login",
                        json={"email": email, "password": password}, source=source)

    def test_stranger_cannot_lock_out_the_owner(self):
        stranger, owner = "127.0.0.1", "127.0.0.2"
        for i in range(3):
            self.assertError(self.login_req(INSPECTOR, "guess-%d" % i, stranger), 401)
        self.assertError(self.login_req(INSPECTOR, PASSWORD, stranger), 429)
        # The owner, from their own address, still signs in...
        self.assertEqual(self.login_req(INSPECTOR, PASSWORD, owner).status, 200)
        # ... and has their own count there.
        for i in range(2):
            self.assertError(self.login_req(INSPECTOR, "typo-%d" % i, owner), 401)
        self.assertEqual(self.login_req(INSPECTOR, PASSWORD, owner).status, 200)
        # Still throttled for the stranger, also after a restart.
        self.server.restart()
        self.assertError(self.login_req(INSPECTOR, PASSWORD, stranger), 429)
        self.assertEqual(self.login_req(INSPECTOR, PASSWORD, owner).status, 200)
        # Sign-in by email works even from the throttled address (the owner may
        # share it): wrong passwords do not count against emailed codes.
        self.assertEqual(self.req("POST", "/api/v1/auth/email", json={"email": INSPECTOR},
                                  source=stranger).status, 202)
        with open(kerbside.outbox_files(self.server.outbox)[-1]) as f:
            code = re.search(r"code is:\s+(\d{4} \d{4})", f.read()).group(1)
        r = self.req("POST", "/api/v1/auth/email/verify", json={"email": INSPECTOR, "code": code},
                     source=stranger)
        self.assertEqual(r.status, 200, r)
        # Proving the code there clears that address's count for the account.
        self.assertEqual(self.login_req(INSPECTOR, PASSWORD, stranger).status, 200)

    def test_many_addresses_slow_down_but_never_lock(self):
        # 3 (pair limit) x 10 = 30 failures from ten addresses.
        for n in range(10):
            for i in range(3):
                r = self.login_req(MAINTENANCE, "guess-%d-%d" % (n, i), "127.0.1.%d" % (n + 1))
                self.assertError(r, 401)
        t0 = time.monotonic()
        r = self.login_req(MAINTENANCE, PASSWORD, "127.0.2.1")
        slow = time.monotonic() - t0
        self.assertEqual(r.status, 200, r)
        self.assertGreaterEqual(slow, 2.0)
        t0 = time.monotonic()
        self.assertEqual(self.login_req(CUSTOMER_SERVICES, PASSWORD, "127.0.2.1").status, 200)
        self.assertLess(time.monotonic() - t0, 1.5)

    def test_slowed_sign_in_does_not_hold_up_others(self):
        # The slowed-down answer waits on a timer, not on the one thread that
        # checks passwords: another account signs in meanwhile without waiting.
        # An account of its own: the guesses of test_many_addresses_... at
        # MAINTENANCE (same server) would slow every guess here down too.
        for n in range(10):
            for i in range(3):
                r = self.login_req(ADMIN, "guess-%d-%d" % (n, i), "127.0.3.%d" % (n + 1))
                self.assertError(r, 401)
        slowed = {}

        def slow_sign_in():
            t = time.monotonic()
            slowed["status"] = self.login_req(ADMIN, PASSWORD, "127.0.4.1").status
            slowed["end"] = time.monotonic()
            slowed["took"] = slowed["end"] - t

        thread = threading.Thread(target=slow_sign_in)
        thread.start()
        time.sleep(0.5)  # the slowed sign-in is being answered meanwhile
        t0 = time.monotonic()
        self.assertEqual(self.login_req(CUSTOMER_SERVICES, PASSWORD, "127.0.4.2").status, 200)
        other_end = time.monotonic()
        thread.join(60)
        self.assertEqual(slowed.get("status"), 200)
        self.assertGreaterEqual(slowed["took"], 2.0)
        self.assertLess(other_end - t0, 1.5)
        self.assertLess(other_end, slowed["end"])


class AddressThrottleTest(kerbside.ServerTestCase):
    server_args = ["--throttle-address", "3", "--throttle-account", "100"]

    def login_req(self, email, password):
        return self.req("POST", "/api/v1/auth/login",
                        json={"email": email, "password": password})

    def test_address_throttle_survives_restart(self):
        # Failures against different accounts (some unknown) from one address.
        for email in ("nobody1@demo.invalid", MAINTENANCE, "nobody2@demo.invalid"):
            self.assertError(self.login_req(email, "not-the-password"), 401)
        r = self.login_req(ADMIN, PASSWORD)
        self.assertError(r, 429)
        self.assertGreater(int(r.headers.get("Retry-After", "0")), 0)
        self.server.restart()
        r = self.login_req(CUSTOMER_SERVICES, PASSWORD)
        self.assertError(r, 429)
        self.assertGreater(int(r.headers.get("Retry-After", "0")), 0)


class SignInRushTest(kerbside.ServerTestCase):
    """Many sign-ins at once, at the production bcrypt cost: the server admits
    as many as its bcrypt thread can check within about 1 s and answers the
    rest at once with 503 busy and Retry-After; the list never waits for them."""
    server_args = ["--bcrypt-cost", "12", "--throttle-address", "0"]
    RUSH = 30

    def test_rush_is_shed_with_retry_after(self):
        import threading
        token = self.token(INSPECTOR)   # the first sign-in: the hash moves to cost 12
        results = []
        lock = threading.Lock()
        start = threading.Barrier(self.RUSH + 1)

        def one():
            start.wait()
            t0 = time.monotonic()
            # Thirty connections at once may overflow the listening socket's
            # backlog on a loaded machine: a reset connection is tried again.
            for attempt in range(20):
                try:
                    r = self.req("POST", "/api/v1/auth/login",
                                 json={"email": INSPECTOR, "password": PASSWORD})
                    break
                except (ConnectionResetError, ConnectionRefusedError):
                    time.sleep(0.05)
            else:
                r = None
            with lock:
                results.append((r, time.monotonic() - t0))

        threads = [threading.Thread(target=one) for _ in range(self.RUSH)]
        for t in threads:
            t.start()
        start.wait()
        # While the rush is being checked, the list is answered.
        listed = self.req("GET", "/api/v1/reports?limit=5", token=token)
        for t in threads:
            t.join(timeout=300)
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual(len(results), self.RUSH)
        self.assertNotIn(None, [r for r, _ in results], "a sign-in never reached the server")
        signed_in = [(r, d) for r, d in results if r.status == 200]
        busy = [(r, d) for r, d in results if r.status == 503]
        self.assertEqual(len(signed_in) + len(busy), self.RUSH,
                         [r for r, _ in results if r.status not in (200, 503)])
        # A cost-12 check takes a good part of a second, so 30 at once cannot all
        # be done within the budget: most are turned away, some get in.
        self.assertGreater(len(signed_in), 0)
        self.assertGreater(len(busy), self.RUSH // 2)
        for r, _ in busy:
            self.assertEqual(r.body["error"]["code"], "busy", r)
            self.assertGreaterEqual(int(r.headers.get("Retry-After", "0")), 1, r)
        for r, _ in signed_in:
            self.assertTrue(r.body.get("token"), r)
        # Turned away at once: sooner than the slowest admitted sign-in.
        self.assertLess(min(d for _, d in busy), max(d for _, d in signed_in))
        # Once those ahead are done, a sign-in gets in again.
        deadline = time.monotonic() + 60
        while True:
            r = self.req("POST", "/api/v1/auth/login", json={"email": INSPECTOR, "password": PASSWORD})
            if r.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(int(r.headers.get("Retry-After", "1")))
        self.assertEqual(r.status, 200, r)

    def test_next_sign_in_after_an_answer_is_admitted(self):
        # A sign-in has stopped counting by the time its answer arrives: one
        # sent at once after it finds no one ahead and is never turned away,
        # however slow the machine makes the check.
        for attempt in range(8):
            r = self.req("POST", "/api/v1/auth/login",
                         json={"email": INSPECTOR, "password": PASSWORD})
            self.assertEqual(r.status, 200, (attempt, r))


if __name__ == "__main__":
    unittest.main(verbosity=2)
