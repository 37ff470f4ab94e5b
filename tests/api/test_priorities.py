#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Response priorities' id in other systems (external_id): given on creation,
changed and cleared, listed; a value that is not a code is refused with
nothing changed; audited like any change to a priority."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, items, unwrap  # noqa: E402


class PriorityExternalIdTest(kerbside.ServerTestCase):

    def listed(self, pid):
        rows = items(self.ok(self.req("GET", "/api/v1/priorities", token=self.token(ADMIN)), 200),
                     "priorities")
        return [p for p in rows if p["id"] == pid][0]

    def test_external_id(self):
        admin = self.token(ADMIN)
        r = self.req("POST", "/api/v1/priorities", token=admin,
                     json={"name": "Emergency (2 hours)", "response_hours": 2,
                           "external_id": "P1-EMERG"})
        made = unwrap(self.ok(r, 201), "priority")
        self.assertEqual(made["external_id"], "P1-EMERG")
        self.assertEqual(self.listed(made["id"])["external_id"], "P1-EMERG")

        # Refused: not a code, too long, not allowed; nothing changes.
        for body in ({"external_id": "P1 EMERG"}, {"external_id": "x" * 65},
                     {"external_id": 7}):
            self.assertError(self.req("PATCH", "/api/v1/priorities/%d" % made["id"],
                                      token=admin, json=body), 422)
        self.assertError(self.req("PATCH", "/api/v1/priorities/%d" % made["id"],
                                  token=self.token(INSPECTOR), json={"external_id": "P9"}), 403)
        self.assertEqual(self.listed(made["id"])["external_id"], "P1-EMERG")

        r = self.req("PATCH", "/api/v1/priorities/%d" % made["id"], token=admin,
                     json={"external_id": "CONTRACTOR.P1"})
        self.assertEqual(unwrap(self.ok(r, 200), "priority")["external_id"], "CONTRACTOR.P1")
        r = self.req("PATCH", "/api/v1/priorities/%d" % made["id"], token=admin,
                     json={"external_id": None})
        self.assertIsNone(unwrap(self.ok(r, 200), "priority")["external_id"])
        self.assertIsNone(self.listed(made["id"])["external_id"])
        actions = [a[0] for a in self.server.sql(
            "SELECT action FROM audit_log WHERE object_type = 'priority' AND object_id = ?",
            (made["id"],))]
        self.assertEqual(actions, ["create_priority", "update_priority", "update_priority"])


if __name__ == "__main__":
    unittest.main()
