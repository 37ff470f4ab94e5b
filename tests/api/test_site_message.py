#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The council's site message: set by an administrator (with an optional end),
given to every member of its staff (GET /api/v1/site-message and /me's body),
gone once its end has passed (by the test clock) or when removed; audited; bad
input refused with nothing changed."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, MAINTENANCE, items  # noqa: E402


def iso(t):
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


class SiteMessageTest(kerbside.ServerTestCase):
    test_clock = True

    def message(self, who):
        r = self.req("GET", "/api/v1/site-message", token=self.server.login(who))
        return self.ok(r, 200)["site_message"]

    def test_set_seen_by_staff_expires_and_removed(self):
        admin = self.server.login(ADMIN)
        self.assertIsNone(self.message(INSPECTOR))
        self.assertIsNone(self.me(admin)["body"]["site_message"])

        # Only administrators set it; bad input changes nothing.
        r = self.req("PUT", "/api/v1/site-message", token=self.server.login(INSPECTOR),
                     json={"text": "Hello"})
        self.assertError(r, 403)
        for body in ({"text": "   "}, {"text": "x" * 501}, {},
                     {"text": "Past", "until": iso(self.server.now() - 60)},
                     {"text": "Bad end", "until": "tomorrow"}):
            r = self.req("PUT", "/api/v1/site-message", token=admin, json=body)
            self.assertError(r, 422)
        self.assertIsNone(self.message(MAINTENANCE))

        end = self.server.now() + 3600
        text = "Out of hours: urgent faults to the duty officer on 01865 000000."
        r = self.req("PUT", "/api/v1/site-message", token=admin, json={"text": text,
                                                                       "until": iso(end)})
        self.assertEqual(self.ok(r, 200)["site_message"], {"text": text, "until": iso(end)})
        for who in (INSPECTOR, MAINTENANCE):
            self.assertEqual(self.message(who)["text"], text)
        self.assertEqual(self.me(self.server.login(INSPECTOR))["body"]["site_message"]["text"],
                         text)
        audit = items(self.ok(self.req("GET", "/api/v1/audit", token=admin,
                                       query={"object_type": "body"}), 200), "entries")
        self.assertIn("set_site_message", [a["action"] for a in audit])

        # Past its end, nobody is given it.
        self.server.move_clock(3601)
        self.assertIsNone(self.message(INSPECTOR))
        self.assertIsNone(self.me(self.server.login(INSPECTOR))["body"]["site_message"])

        # Without an end it stays until removed.
        admin = self.server.login(ADMIN)
        r = self.req("PUT", "/api/v1/site-message", token=admin, json={"text": "Until removed"})
        self.assertEqual(self.ok(r, 200)["site_message"], {"text": "Until removed",
                                                           "until": None})
        self.server.move_clock(30 * 24 * 3600)
        self.assertEqual(self.message(INSPECTOR)["text"], "Until removed")
        admin = self.server.login(ADMIN)
        self.assertError(self.req("DELETE", "/api/v1/site-message",
                                  token=self.server.login(INSPECTOR)), 403)
        r = self.req("DELETE", "/api/v1/site-message", token=admin)
        self.assertEqual(r.status, 204, r)
        self.assertIsNone(self.message(INSPECTOR))
        audit = items(self.ok(self.req("GET", "/api/v1/audit", token=admin,
                                       query={"object_type": "body"}), 200), "entries")
        self.assertIn("remove_site_message", [a["action"] for a in audit])


if __name__ == "__main__":
    unittest.main(verbosity=2)
