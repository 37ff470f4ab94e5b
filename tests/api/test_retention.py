#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The daily retention job: a council's settings applied by the server's own
housekeeping (once a day, by the test clock): reports finished for longer than
retention_reporter_days anonymised, staff accounts unused for longer than
retention_staff_days deactivated, audit entries older than retention_audit_days
deleted; the dry run (GET /api/v1/retention and `kerbside-server retention
--dry-run`) lists exactly what the job then changes, and every change is
audited."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, PASSWORD, items, unwrap  # noqa: E402

DAY = 24 * 3600


class RetentionTest(kerbside.ServerTestCase):
    test_clock = True

    @classmethod
    def setUpClass(cls):
        conf_dir = tempfile.mkdtemp(prefix="kerbside-retention-")
        cls.addClassCleanup(shutil.rmtree, conf_dir, True)
        conf = os.path.join(conf_dir, "server.conf")
        with open(conf, "w") as f:
            f.write("[server]\nhousekeeping-seconds=1\n")
        cls.server_args = ["--config", conf]
        super().setUpClass()

    # -- helpers ----------------------------------------------------------------

    def admin(self):
        # A fresh sign-in: after the clock moved, an old session has expired,
        # and the sign-in is what keeps the account in use.
        return self.server.login(ADMIN)

    def today(self):
        return int(self.server.now()) // DAY

    def retention(self, token):
        return self.ok(self.req("GET", "/api/v1/retention", token=token), 200)

    def wait_run(self, token, day, timeout=60):
        """Waits until the job's run of day (Unix days) happened."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            body = self.retention(token)
            last = body["last_run_day"]
            if last is not None and kerbside_day(last) >= day:
                return body
            time.sleep(0.3)
        self.fail("the retention job did not run for day %d in %d s:\n%s"
                  % (day, timeout, self.server.log_tail()))

    def report(self, token, category, state, title):
        r = self.req("POST", "/api/v1/reports", token=token,
                     json={"category_id": category, "title": title, "detail": "Kept or not",
                           "lat": 51.7525, "lon": -1.2585,
                           "reporter": {"name": "Robin Reporter",
                                        "email": "robin.%d@example.net" % os.getpid(),
                                        "phone": "01865 000000"}})
        rep = unwrap(self.ok(r, 201), "report")
        if state != rep["state"]:
            r = self.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=token,
                         json={"state": state, "version": rep["version"]})
            rep = unwrap(self.ok(r, 200), "report")
        return rep

    def staff(self, token, name):
        email = "%s.%d@demo.invalid" % (name.lower().replace(" ", "."), os.getpid())
        r = self.req("POST", "/api/v1/staff", token=token,
                     json={"email": email, "name": name, "password": PASSWORD,
                           "role_ids": [], "permissions": ["view_report"]})
        return unwrap(self.ok(r, 200, 201), "staff"), email

    def reporter(self, token, report_id):
        return self.detail(token, report_id)["reporter"]

    def audit(self, token, **params):
        body = self.ok(self.req("GET", "/api/v1/audit", token=token, query=params), 200)
        return items(body, "entries") if "entries" in body else items(body, "audit")

    # -- the test ---------------------------------------------------------------

    def test_settings_checked(self):
        tok = self.admin()
        r = self.req("PATCH", "/api/v1/body", token=tok, json={"retention_staff_days": -1})
        self.assertError(r, 422)
        r = self.req("PATCH", "/api/v1/body", token=tok, json={"retention_staff_days": 40000})
        self.assertError(r, 422)
        self.assertEqual(self.ok(self.req("GET", "/api/v1/body", token=tok), 200)
                         ["retention_staff_days"], 0)
        # Only administrators see the dry run.
        r = self.req("GET", "/api/v1/retention", token=self.server.login(INSPECTOR))
        self.assertError(r, 403)

    def test_the_daily_job_changes_what_the_settings_say(self):
        tok = self.admin()
        category = self.active_category(tok)["id"]
        # The first run, of the day the server started, found nothing to do (every
        # setting is 0: kept).
        self.wait_run(tok, self.today())
        old_fixed = self.report(tok, category, "fixed", "Old fixed pothole")
        old_closed = self.report(tok, category, "closed", "Old closed sign")
        old_open = self.report(tok, category, "confirmed", "Old open drain")
        unused, unused_email = self.staff(tok, "Una Unused")
        kept, kept_email = self.staff(tok, "Kit Kept")

        self.server.move_clock(200 * DAY)
        tok = self.admin()
        self.wait_run(tok, self.today())
        new_fixed = self.report(tok, category, "fixed", "New fixed lamp")
        self.server.login(kept_email)
        for r in (old_fixed, old_closed, old_open, new_fixed):
            self.assertIsNotNone(self.reporter(tok, r["id"])["email"])

        r = self.req("PATCH", "/api/v1/body", token=tok,
                     json={"retention_reporter_days": 100, "retention_staff_days": 150,
                           "retention_audit_days": 190})
        body = self.ok(r, 200)
        self.assertEqual((body["retention_reporter_days"], body["retention_staff_days"],
                          body["retention_audit_days"]), (100, 150, 190))

        # The dry run: what would change, and nothing changes.
        plan = self.retention(tok)["plan"]
        planned_reports = {p["id"] for p in plan["reports"]}
        planned_staff = {s["id"] for s in plan["staff"]}
        self.assertIn(old_fixed["id"], planned_reports)
        self.assertIn(old_closed["id"], planned_reports)
        self.assertNotIn(old_open["id"], planned_reports)
        self.assertNotIn(new_fixed["id"], planned_reports)
        self.assertIn(unused["id"], planned_staff)
        self.assertNotIn(kept["id"], planned_staff)
        self.assertNotIn(self.me(tok)["id"], planned_staff)
        self.assertGreater(plan["audit_entries"], 0)

        out = subprocess.run(
            [kerbside.server_binary(), "retention", "--db", self.server.db, "--dry-run",
             "--test-clock", self.server.clock_file],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("anonymise report %d " % old_fixed["id"], out.stdout)
        self.assertIn("deactivate staff account %d " % unused["id"], out.stdout)
        self.assertNotIn("anonymise report %d " % new_fixed["id"], out.stdout)
        self.assertIn("Dry run: nothing was changed.", out.stdout)
        self.assertEqual(self.reporter(tok, old_fixed["id"])["name"], "Robin Reporter")
        self.assertTrue(self.staff_row(tok, unused["id"])["active"])

        # The next day's run changes exactly that.
        self.server.move_clock(DAY)
        tok = self.admin()
        self.wait_run(tok, self.today())
        # The run takes its day first, then works through the councils: done when
        # nothing is left to do.
        deadline = time.time() + 60
        while True:
            left = self.retention(tok)["plan"]
            if (left["reports"], left["staff"], left["audit_entries"]) == ([], [], 0):
                break
            if time.time() > deadline:
                self.fail("the retention job left %r:\n%s" % (left, self.server.log_tail()))
            time.sleep(0.3)
        for rid in planned_reports:
            gone = self.reporter(tok, rid)
            self.assertEqual((gone["name"], gone["email"], gone["phone"]), (None, None, None),
                             rid)
        for r in (old_open, new_fixed):
            self.assertEqual(self.reporter(tok, r["id"])["name"], "Robin Reporter")
        self.assertFalse(self.staff_row(tok, unused["id"])["active"])
        self.assertTrue(self.staff_row(tok, kept["id"])["active"])
        for sid in planned_staff:
            self.assertFalse(self.staff_row(tok, sid)["active"])
        r = self.req("POST", "/api/v1/auth/login", json={"email": unused_email,
                                                         "password": PASSWORD})
        self.assertNotEqual(r.status, 200)
        self.server.login(kept_email)

        # Every change is audited, saying it was the job.
        entries = self.audit(tok, object_type="report", object_id=old_fixed["id"])
        anonymised = [e for e in entries if e["action"] == "anonymise"]
        self.assertEqual(len(anonymised), 1, entries)
        self.assertEqual(details(anonymised[0])["via"], "housekeeping")
        entries = self.audit(tok, object_type="user", object_id=unused["id"])
        self.assertTrue(any(e["action"] == "update_staff" and details(e).get("via") ==
                            "housekeeping" for e in entries), entries)
        purged = [e for e in self.audit(tok, object_type="body") if e["action"] == "purge_audit"]
        self.assertEqual(len(purged), 1)
        self.assertEqual(details(purged[0])["entries"], plan["audit_entries"])

        # A second run changes nothing.
        out = subprocess.run(
            [kerbside.server_binary(), "retention", "--db", self.server.db,
             "--test-clock", self.server.clock_file],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("done: 0 reports anonymised, 0 staff accounts deactivated, "
                      "0 audit entries deleted", out.stdout)

    def staff_row(self, token, staff_id):
        body = self.ok(self.req("GET", "/api/v1/staff/%d" % staff_id, token=token), 200)
        return body["staff"] if "staff" in body else body


def details(entry):
    import json
    d = entry.get("details")
    return json.loads(d) if isinstance(d, str) else (d or {})


def kerbside_day(timestamp):
    """The Unix day of an ISO 8601 timestamp of the API."""
    import datetime
    t = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return int(t.timestamp()) // DAY


if __name__ == "__main__":
    unittest.main(verbosity=2)
