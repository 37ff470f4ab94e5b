#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Emails to residents: confirmation of a report taken on their behalf, news of
public updates and state changes (gathered, not one per click), moderation, the
"was it fixed?" questionnaire, the opt-out link, Open311 clients' setting, the
council's email templates and auto-responses; each email written once, through
the real outbox and an SMTP relay the test runs, across restarts and instances."""

import email
import email.policy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, items, unwrap  # noqa: E402
from test_account import FakeSmtp  # noqa: E402

PUBLIC_URL = "https://fix.example.org"
DELAY, GATHER, QUESTIONNAIRE = 60, 300, 3600
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}

_addresses = iter(range(1, 100000))


def new_address():
    return "resident%d.%d@example.net" % (next(_addresses), os.getpid())


class MailTestCase(kerbside.ServerTestCase):
    """A server with a test clock whose outbox goes to an SMTP relay of the test's."""
    test_clock = True

    @classmethod
    def setUpClass(cls):
        cls.smtp = FakeSmtp()
        threading.Thread(target=cls.smtp.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.smtp.shutdown)
        cls.conf_dir = tempfile.mkdtemp(prefix="kerbside-mail-")
        cls.addClassCleanup(shutil.rmtree, cls.conf_dir, True)
        conf = os.path.join(cls.conf_dir, "mail.conf")
        with open(conf, "w") as f:
            f.write("[server]\npublic-url=%s\n"
                    "[smtp]\nhost=127.0.0.1\nport=%d\nstarttls=false\npoll-seconds=1\n"
                    "[mail]\npoll-seconds=1\ndelay=%d\ngather=%d\nquestionnaire-delay=%d\n"
                    % (PUBLIC_URL, cls.smtp.server_address[1], DELAY, GATHER, QUESTIONNAIRE))
        cls.server_args = ["--config", conf]
        super().setUpClass()
        cls.admin = cls.token(ADMIN)
        cls.category = None

    # -- helpers ----------------------------------------------------------------

    def mails_to(self, address):
        """The messages the relay delivered to address, parsed, in order."""
        out = []
        for env in list(self.smtp.received):
            if env.get("to") == "<%s>" % address:
                out.append(email.message_from_string(env["data"], policy=email.policy.default))
        return out

    def wait_mails(self, address, n, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.mails_to(address)
            if len(got) >= n:
                return got
            time.sleep(0.2)
        self.fail("%d emails to %s did not come in %d s (got %d):\n%s"
                  % (n, address, timeout, len(self.mails_to(address)), self.server.log_tail()))

    def drained(self, server=None):
        """Nothing is left for the server to send by its clock now: no email
        queued and due (one written to the outbox is marked sent in the same
        round), none waiting in the outbox, none being sent (the relay moves a
        file out of sending/ only once our relay has it)."""
        server = server or self.server
        now = int(time.time() + server.clock_offset)
        due = server.sql("SELECT count(*) FROM resident_emails WHERE state = 'queued' AND due <= ?",
                         (now,))[0][0]
        waiting = [n for n in os.listdir(server.outbox) if n.endswith(".eml")]
        sending = glob.glob(os.path.join(server.outbox, "sending", "*", "*.eml"))
        return due == 0 and not waiting and not sending

    def wait_drained(self, timeout=20):
        deadline = time.time() + timeout
        while not self.drained():
            if time.time() > deadline:
                self.fail("the server still had emails to send after %d s:\n%s"
                          % (timeout, self.server.log_tail()))
            time.sleep(0.1)

    def assert_no_more(self, address, n, wait=0):
        """No more than n emails reach address: once the server has sent all
        that is due by its clock (wait_drained). wait first gives the worker
        and the relay (each polling every second) that long to send what is
        not due yet, wrongly."""
        time.sleep(wait)
        self.wait_drained()
        self.assertEqual(len(self.mails_to(address)), n)

    def parts(self, msg):
        """The text and HTML parts of a multipart/alternative message."""
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        return text, html

    def optout_token(self, msg):
        text, html = self.parts(msg)
        m = re.search(re.escape(PUBLIC_URL) + r"/unsubscribe\?token=([A-Za-z0-9_-]+)", text)
        self.assertIsNotNone(m, text)
        self.assertIn(PUBLIC_URL + "/unsubscribe?token=" + m.group(1), html)
        self.assertIn(m.group(1), msg["List-Unsubscribe"])
        return m.group(1)

    def create(self, address, title="Broken bollard"):
        if self.category is None:
            type(self).category = self.active_category(self.admin)["id"]
        r = self.req("POST", "/api/v1/reports", token=self.admin,
                     json={"category_id": self.category, "title": title,
                           "detail": "Knocked over by a van", "lat": 51.7525, "lon": -1.2585,
                           "reporter": {"name": "Pat Resident", "email": address}})
        return unwrap(self.ok(r, 201), "report")

    def emails_of(self, report_id):
        return self.detail(self.admin, report_id)["emails"]

    def change(self, report_id, path, body):
        r = self.req("POST", "/api/v1/reports/%d/%s" % (report_id, path), token=self.admin,
                     json=body)
        return unwrap(self.ok(r, 200), "report")

    def set_state(self, report, state, text=None):
        body = {"state": state, "version": report["version"]}
        if text:
            body["text"] = text
        return self.change(report["id"], "state", body)

    def confirmed(self, title="Broken bollard"):
        """A report taken for a new address, with its confirmation delivered."""
        address = new_address()
        report = self.create(address, title)
        self.wait_mails(address, 1)
        return address, report



class ResidentEmailsTest(MailTestCase):

    def test_confirmation_once_with_the_right_text(self):
        address = new_address()
        report = self.create(address, "Lamp out on Cowley Road")
        msgs = self.wait_mails(address, 1)
        self.assert_no_more(address, 1)
        msg = msgs[0]
        council = self.ok(self.req("GET", "/api/v1/body", token=self.admin))["name"]
        self.assertIn(council, msg["From"])
        self.assertIn("reference %d" % report["id"], msg["Subject"])
        self.assertEqual(msg["X-Kerbside-Report"], str(report["id"]))
        text, html = self.parts(msg)
        for part in (text, html):
            self.assertIn(council, part)
            self.assertIn("Lamp out on Cowley Road", part)
            self.assertIn("%s/reports/%d" % (PUBLIC_URL, report["id"]), part)
            self.assertIn("Open", part)            # the state's label
            self.assertNotIn("{{", part)           # every placeholder filled
        self.optout_token(msg)
        # one file in the outbox, delivered to sent/
        sent = [n for n in os.listdir(os.path.join(self.server.outbox, "sent"))
                if n.startswith("resident-")]
        self.assertTrue(sent)
        emails = self.emails_of(report["id"])
        self.assertEqual([(e["kind"], e["state"]) for e in emails], [("confirmation", "sent")])
        self.assertIsNotNone(emails[0]["sent"])

    def test_reply_address_set_through_the_body_api(self):
        before = self.ok(self.req("GET", "/api/v1/body", token=self.admin))["email"]
        self.addCleanup(self.req, "PATCH", "/api/v1/body", token=self.admin,
                        json={"email": before or ""})
        reply = "streets.%d@council.example" % os.getpid()
        r = self.req("PATCH", "/api/v1/body", token=self.admin, json={"email": "not an address"})
        self.assertError(r, 422)
        self.assertEqual(self.ok(self.req("GET", "/api/v1/body", token=self.admin))["email"],
                         before)
        body = self.ok(self.req("PATCH", "/api/v1/body", token=self.admin,
                                json={"email": reply}), 200)
        self.assertEqual(body["email"], reply)
        address = new_address()
        self.create(address, "Leaning lamp post")
        msg = self.wait_mails(address, 1)[0]
        self.assertEqual([a.addr_spec for a in msg["Reply-To"].addresses], [reply])
        text, _ = self.parts(msg)
        self.assertIn(reply, text)

    def test_rapid_changes_gather_into_one_email(self):
        address, report = self.confirmed("Pothole by the school")
        report = self.set_state(report, "investigating", "We are looking at it.")
        report = self.change(report["id"], "updates", {"text": "An inspector will visit on Monday."})
        report = self.set_state(report, "action_scheduled")
        emails = self.emails_of(report["id"])
        self.assertEqual([(e["kind"], e["state"]) for e in emails],
                         [("confirmation", "sent"), ("update", "queued")])
        self.assert_no_more(address, 1, wait=2)      # not before the delay
        self.server.move_clock(DELAY + 1)
        msgs = self.wait_mails(address, 2)
        self.assert_no_more(address, 2)
        text, html = self.parts(msgs[1])
        for part in (text, html):
            self.assertIn("We are looking at it.", part)
            self.assertIn("An inspector will visit on Monday.", part)
            self.assertIn("Action scheduled", part)
        self.assertIn("Action scheduled", msgs[1]["Subject"])

        # More news soon after waits for the gathering time, then comes as one.
        report = self.change(report["id"], "updates", {"text": "The visit is moved to Tuesday."})
        report = self.change(report["id"], "updates", {"text": "Cones are in place."})
        self.server.move_clock(DELAY + 1)
        self.assert_no_more(address, 2)
        self.server.move_clock(GATHER)
        msgs = self.wait_mails(address, 3)
        self.assert_no_more(address, 3)
        text, _ = self.parts(msgs[2])
        self.assertIn("The visit is moved to Tuesday.", text)
        self.assertIn("Cones are in place.", text)
        self.assertNotIn("An inspector will visit on Monday.", text)
        kinds = [(e["kind"], e["state"]) for e in self.emails_of(report["id"])]
        self.assertEqual(kinds, [("confirmation", "sent"), ("update", "sent"), ("update", "sent")])
        # private notes and priority changes are no news
        self.change(report["id"], "updates", {"text": "Internal: call the contractor.",
                                              "public": False})
        self.server.move_clock(GATHER + DELAY + 1)
        self.assert_no_more(address, 3)

    def test_opt_out_link_stops_later_emails(self):
        address, report = self.confirmed("Overflowing bin")
        token = self.optout_token(self.mails_to(address)[0])
        r = self.req("GET", "/api/v1/unsubscribe", query={"token": token})
        self.assertTrue(self.ok(r, 200)["unsubscribed"])
        self.set_state(report, "in_progress", "Emptying it today.")
        self.server.move_clock(DELAY + 1)
        deadline = time.time() + 15
        while time.time() < deadline:
            states = [e["state"] for e in self.emails_of(report["id"]) if e["kind"] == "update"]
            if states and states[0] != "queued":
                break
            time.sleep(0.3)
        self.assertEqual(states, ["opted_out"])
        self.assert_no_more(address, 1)
        # and a second report for the same address is not confirmed either
        other = self.create(address.upper(), "Another bin")
        deadline = time.time() + 15
        while time.time() < deadline and self.emails_of(other["id"])[0]["state"] == "queued":
            time.sleep(0.3)
        self.assertEqual(self.emails_of(other["id"])[0]["state"], "opted_out")
        self.assert_no_more(address, 1, wait=1)

    def test_moderation_is_emailed(self):
        address, report = self.confirmed("Graffiti naming a neighbour")
        self.change(report["id"], "moderate", {"title": "Graffiti on the wall",
                                               "reason": "Personal details removed.",
                                               "version": report["version"]})
        self.server.move_clock(DELAY + 1)
        msgs = self.wait_mails(address, 2)
        self.assert_no_more(address, 2)
        text, _ = self.parts(msgs[1])
        self.assertIn("edited", text)
        self.assertIn("Graffiti on the wall", text)
        self.assertNotIn("naming a neighbour", text)

    def questionnaire_link(self, msg, answer):
        text, html = self.parts(msg)
        m = re.search(re.escape(PUBLIC_URL) + r"/questionnaire\?token=([A-Za-z0-9_-]+)&answer="
                      + answer, text)
        self.assertIsNotNone(m, text)
        self.assertIn(m.group(1), html)
        return m.group(1)

    def test_questionnaire_not_fixed_reopens(self):
        address, report = self.confirmed("Broken swing")
        report = self.set_state(report, "fixed", "The swing is repaired.")
        self.server.move_clock(DELAY + 1)
        self.wait_mails(address, 2)                 # the news that it is fixed
        self.assert_no_more(address, 2, wait=2)     # the questionnaire waits
        self.server.move_clock(QUESTIONNAIRE)
        msgs = self.wait_mails(address, 3)
        self.assert_no_more(address, 3)
        self.assertIn("fixed", msgs[2]["Subject"].lower())
        token = self.questionnaire_link(msgs[2], "not_fixed")
        self.assertEqual(token, self.questionnaire_link(msgs[2], "fixed"))

        # bad links change nothing
        self.assertError(self.req("GET", "/api/v1/questionnaire",
                                  query={"token": token, "answer": "maybe"}), 422, "invalid")
        self.assertError(self.req("GET", "/api/v1/questionnaire",
                                  query={"token": "x" + token, "answer": "fixed"}), 404)
        self.assertEqual(self.detail(self.admin, report["id"])["state"], "fixed")

        r = self.req("GET", "/api/v1/questionnaire", query={"token": token, "answer": "not_fixed"})
        body = self.ok(r, 200)
        self.assertEqual((body["answer"], body["reopened"]), ("not_fixed", True))
        detail = self.detail(self.admin, report["id"])
        self.assertEqual(detail["state"], "confirmed")
        last = detail["updates"][-1]
        self.assertEqual((last["kind"], last["state"], last["public"]),
                         ("questionnaire", "confirmed", False))
        self.assertIn("not fixed", last["text"])
        q = [e for e in detail["emails"] if e["kind"] == "questionnaire"]
        self.assertEqual((q[0]["state"], q[0]["answer"]), ("sent", "not_fixed"))
        # a second click changes nothing
        body = self.ok(self.req("POST", "/api/v1/questionnaire",
                                query={"token": token, "answer": "fixed"}), 200)
        self.assertEqual((body["answer"], body["reopened"]), ("not_fixed", False))
        self.assertEqual(len(self.detail(self.admin, report["id"])["updates"]),
                         len(detail["updates"]))
        # reopening is not news mailed to the resident who said so
        self.server.move_clock(GATHER + DELAY + 1)
        self.assert_no_more(address, 3)

    def test_questionnaire_fixed_is_recorded(self):
        address, report = self.confirmed("Leaning sign")
        self.set_state(report, "fixed")
        self.server.move_clock(QUESTIONNAIRE + 1)
        msgs = self.wait_mails(address, 3)
        q = [m for m in msgs if m["Subject"].startswith("Has it been fixed?")]
        token = self.questionnaire_link(q[0], "fixed")
        body = self.ok(self.req("GET", "/api/v1/questionnaire",
                                query={"token": token, "answer": "fixed"}), 200)
        self.assertEqual((body["answer"], body["reopened"]), ("fixed", False))
        detail = self.detail(self.admin, report["id"])
        self.assertEqual(detail["state"], "fixed")
        self.assertEqual(detail["updates"][-1]["kind"], "questionnaire")

    def open311_request(self, key, address):
        form = {"api_key": key, "service_code": "graffiti", "lat": "51.752", "long": "-1.2577",
                "description": "Tag on the bus shelter", "first_name": "Sam",
                "last_name": "Client", "email": address}
        r = self.req("POST", "/open311/v2/requests.json", body=urllib.parse.urlencode(form),
                     headers=FORM)
        self.assertEqual(r.status, 200, r)
        return int(r.body[0]["service_request_id"])

    def test_open311_reports_only_with_the_client_setting(self):
        r = self.req("POST", "/api/v1/api-keys", token=self.admin, json={"name": "FixMyStreet"})
        key, key_id = self.ok(r, 201)["key"], r.body["api_key"]["id"]
        self.assertFalse(r.body["api_key"]["notify_residents"])

        address = new_address()
        rid = self.open311_request(key, address)
        report = self.detail(self.admin, rid)
        self.set_state(report, "in_progress", "Booked for cleaning.")
        self.server.move_clock(DELAY + 1)
        self.assert_no_more(address, 0)
        self.assertEqual(self.emails_of(rid), [])

        # bad input changes nothing
        self.assertError(self.req("PATCH", "/api/v1/api-keys/%d" % key_id, token=self.admin,
                                  json={"notify_residents": "yes"}), 422)
        self.assertError(self.req("PATCH", "/api/v1/api-keys/999999", token=self.admin,
                                  json={"notify_residents": True}), 404)
        self.assertError(self.req("PATCH", "/api/v1/api-keys/%d" % key_id,
                                  token=self.token("Inspectors"),
                                  json={"notify_residents": True}), 403)
        r = self.req("PATCH", "/api/v1/api-keys/%d" % key_id, token=self.admin,
                     json={"notify_residents": True})
        self.assertTrue(unwrap(self.ok(r, 200), "api_key")["notify_residents"])

        address = new_address()
        rid = self.open311_request(key, address)
        self.wait_mails(address, 1)                  # its confirmation
        report = self.detail(self.admin, rid)
        self.set_state(report, "in_progress", "Booked for cleaning.")
        self.server.move_clock(DELAY + 1)
        msgs = self.wait_mails(address, 2)
        self.assert_no_more(address, 2)
        self.assertIn("Booked for cleaning.", self.parts(msgs[1])[0])

    def test_open311_setting_from_the_command_line(self):
        def cli(*args):
            return subprocess.run([kerbside.server_binary(), "apikey"] + list(args)
                                  + ["--db", self.server.db],
                                  capture_output=True, text=True, timeout=300)

        name = "Client %s" % new_address().split("@")[0]
        # Bad input: refused, nothing made.
        res = cli("create", "--name", name, "--email-residents", "maybe")
        self.assertEqual(res.returncode, 2, res.stdout + res.stderr)
        self.assertIn("yes or no", res.stderr)
        keys = items(self.ok(self.req("GET", "/api/v1/api-keys", token=self.admin), 200),
                     "api_keys")
        self.assertNotIn(name, [k["name"] for k in keys])

        res = cli("create", "--name", name, "--email-residents", "yes")
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        key = res.stdout.strip()
        keys = items(self.ok(self.req("GET", "/api/v1/api-keys", token=self.admin), 200),
                     "api_keys")
        made = [k for k in keys if k["name"] == name][0]
        self.assertTrue(made["notify_residents"])
        listed = [line for line in cli("list").stdout.splitlines()
                  if line.split()[0] == str(made["id"])][0]
        self.assertIn(" yes ", listed)
        address = new_address()
        self.open311_request(key, address)
        self.wait_mails(address, 1)                  # its confirmation

        # Switched off from the command line: audited, and no more emails.
        self.assertEqual(cli("set", "--id", "999999", "--email-residents", "no").returncode, 1)
        self.assertEqual(cli("set", "--id", str(made["id"])).returncode, 2)
        res = cli("set", "--id", str(made["id"]), "--email-residents", "no")
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        keys = items(self.ok(self.req("GET", "/api/v1/api-keys", token=self.admin), 200),
                     "api_keys")
        self.assertFalse([k for k in keys if k["id"] == made["id"]][0]["notify_residents"])
        audit = self.server.sql("SELECT details FROM audit_log WHERE action = 'update_api_key' "
                                "AND object_id = ?", (made["id"],))
        self.assertEqual([json.loads(a[0]) for a in audit],
                         [{"notify_residents": True, "via": "command line"},
                          {"notify_residents": False, "via": "command line"}])
        address = new_address()
        rid = self.open311_request(key, address)
        report = self.detail(self.admin, rid)
        self.set_state(report, "in_progress", "Booked for cleaning.")
        self.server.move_clock(DELAY + 1)
        self.assert_no_more(address, 0)

    def test_council_templates_and_auto_response(self):
        r = self.req("POST", "/api/v1/email-templates", token=self.admin,
                     json={"kind": "update", "subject": "News on {{reference}}: {{state}}",
                           "text": "Dear resident,\n{{update}}\nNow: {{state}}. {{url}}\n"
                                   "Reply to {{reply_to}}.",
                           "html": "<p class=\"news\">{{update}}</p><p>{{title}}</p>"})
        tpl = unwrap(self.ok(r, 201), "email_template")
        self.addCleanup(self.req, "DELETE", "/api/v1/email-templates/%d" % tpl["id"],
                        token=self.admin)
        # one per kind, and only the kinds there are
        self.assertError(self.req("POST", "/api/v1/email-templates", token=self.admin,
                                  json={"kind": "update", "subject": "x", "text": "y"}), 409)
        self.assertError(self.req("POST", "/api/v1/email-templates", token=self.admin,
                                  json={"kind": "newsletter", "subject": "x", "text": "y"}), 422)
        listed = self.ok(self.req("GET", "/api/v1/email-templates", token=self.admin))
        self.assertIn(tpl["id"], [t["id"] for t in listed["email_templates"]])

        r = self.req("POST", "/api/v1/templates", token=self.admin,
                     json={"title": "Scheduled", "text": "Work on {{title}} is booked.",
                           "email_text": "Good news: work on {{title}} is booked.",
                           "state": "action_scheduled", "auto_response": True,
                           "external_status_code": "SCHEDULED"})
        resp = unwrap(self.ok(r, 201), "template")
        self.addCleanup(self.req, "DELETE", "/api/v1/templates/%d" % resp["id"], token=self.admin)
        self.assertEqual((resp["auto_response"], resp["external_status_code"]),
                         (True, "SCHEDULED"))
        self.assertError(self.req("PATCH", "/api/v1/templates/%d" % resp["id"], token=self.admin,
                                  json={"external_status_code": "has space"}), 422)

        address, report = self.confirmed("Fence <b>down</b>")
        report = self.set_state(report, "action_scheduled")
        last = report["updates"][-1]
        self.assertEqual((last["kind"], last["public"]), ("update", True))
        self.assertEqual(last["text"], "Work on Fence <b>down</b> is booked.")
        self.server.move_clock(DELAY + 1)
        msgs = self.wait_mails(address, 2)
        self.assert_no_more(address, 2)
        self.assertEqual(msgs[1]["Subject"], "News on %d: Action scheduled" % report["id"])
        text, html = self.parts(msgs[1])
        self.assertIn("Good news: work on Fence <b>down</b> is booked.", text)
        self.assertNotIn("Work on Fence", text)
        self.assertIn("Dear resident", text)
        self.assertIn('<p class="news">', html)
        self.assertIn("Fence &lt;b&gt;down&lt;/b&gt;", html)   # values escaped in HTML
        self.assertNotIn("<b>down</b>", html)
        self.optout_token(msgs[1])

        # A template staff choose: the public text on the report, its email text
        # in the email.
        r = self.req("POST", "/api/v1/templates", token=self.admin,
                     json={"title": "Visit", "text": "A visit is booked for report {{id}}.",
                           "email_text": "Our inspector will visit soon (report {{id}})."})
        visit = unwrap(self.ok(r, 201), "template")
        self.addCleanup(self.req, "DELETE", "/api/v1/templates/%d" % visit["id"], token=self.admin)
        report = self.change(report["id"], "updates", {"template_id": visit["id"]})
        self.assertEqual(report["updates"][-1]["text"],
                         "A visit is booked for report %d." % report["id"])
        self.server.move_clock(GATHER + 1)
        msgs = self.wait_mails(address, 3)
        text, _ = self.parts(msgs[2])
        self.assertIn("Our inspector will visit soon (report %d)." % report["id"], text)
        self.assertNotIn("A visit is booked", text)

    def test_detail_emails_only_for_personal_data(self):
        address, report = self.confirmed("Blocked drain")
        self.assertEqual(len(self.emails_of(report["id"])), 1)
        r = self.req("GET", "/api/v1/reports/%d" % report["id"], token=self.token("Inspectors"))
        self.assertEqual(unwrap(self.ok(r, 200), "report")["emails"][0]["kind"], "confirmation")


class ResidentEmailsRestartTest(MailTestCase):
    """The queue is in the database: a restart (clean or killed) neither loses
    nor repeats an email, and two instances on one database send each once."""

    def test_restart_in_the_middle_sends_once(self):
        address, report = self.confirmed("Cracked paving")
        report = self.set_state(report, "investigating", "Looking into it.")
        self.server.restart()
        report = self.change(report["id"], "updates", {"text": "Still looking."})
        # killed hard, as in a crash, with the email queued
        self.server.kill()
        self.server.start()
        self.server.move_clock(DELAY + 1)
        msgs = self.wait_mails(address, 2)
        self.assert_no_more(address, 2)
        text, _ = self.parts(msgs[1])
        self.assertIn("Looking into it.", text)
        self.assertIn("Still looking.", text)

    def test_two_instances_send_each_once(self):
        second = kerbside.Server(self.server.db, os.path.join(self.tmp, "second"),
                                 self.server.args, test_clock=True, media=self.server.media,
                                 outbox=self.server.outbox)
        os.makedirs(second.workdir, exist_ok=True)
        self.addCleanup(second.kill)
        second.clock_offset = self.server.clock_offset
        second.start()
        addresses, reports = [], []
        for i in range(6):
            address = new_address()
            reports.append(self.create(address, "Report %d" % i))
            addresses.append(address)
        for a in addresses:
            self.wait_mails(a, 1)
        for i, rep in enumerate(reports):
            rep = self.detail(self.admin, rep["id"])
            srv = self.server if i % 2 else second
            r = srv.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=self.admin,
                        json={"state": "in_progress", "text": "On it %d." % i,
                              "version": rep["version"]})
            self.assertEqual(r.status, 200, r)
        self.server.move_clock(DELAY + 1)
        second.move_clock(DELAY + 1)
        for a in addresses:
            self.wait_mails(a, 2)
        self.wait_drained()
        for a in addresses:
            self.assertEqual(len(self.mails_to(a)), 2, a)
        second.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
