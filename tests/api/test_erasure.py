# SPDX-License-Identifier: GPL-3.0-or-later
"""Erasure reaches every copy: after anonymising a report and terminating a
person (a resident, and a member of staff), nothing of their name, email
address or phone number is left anywhere the server keeps data: no table of the
database file, no byte of the file, its write-ahead log or shared-memory file,
no email in the outbox or in outbox/sent/, no stored idempotency answer (a
replayed key answers without them)."""

import glob
import json
import os
import sys
import threading
import time
import unittest
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, CUSTOMER_SERVICES, INSPECTOR, MAINTENANCE, unwrap  # noqa: E402
from test_account import FakeSmtp  # noqa: E402

STAFF_PASSWORD = "quiet-meadow-lantern-7391"


class ErasureTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A server whose outbox is delivered over SMTP, so that mails reach sent/.
        cls.smtp = FakeSmtp()
        threading.Thread(target=cls.smtp.serve_forever, daemon=True).start()
        conf = os.path.join(cls.tmp, "relay.conf")
        with open(conf, "w") as f:
            f.write("[smtp]\nhost=127.0.0.1\nport=%d\nstarttls=false\npoll-seconds=1\n"
                    % cls.smtp.server_address[1])
        cls.server.stop()
        cls.server = cls.new_server("erasure", ["--config", conf])
        cls._tokens = {}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.smtp.shutdown()
        cls.smtp.server_close()     # a second time does no harm

    # -- helpers ---------------------------------------------------------------

    def key(self):
        return "erase-" + uuid.uuid4().hex

    def write(self, method, path, token, body, key):
        r = self.req(method, path, token=token, json=body, headers={"Idempotency-Key": key})
        self.assertTrue(200 <= r.status < 300, r)
        self.keys.append((method, path, token, body, key, r.status))
        return r

    def wait_sent(self, n):
        """Waits until the relay has delivered n mails (moved to sent/)."""
        deadline = time.time() + 20
        sent = os.path.join(self.server.outbox, "sent")
        while time.time() < deadline:
            if len(glob.glob(os.path.join(sent, "*.eml"))) >= n and \
                    not glob.glob(os.path.join(self.server.outbox, "*.eml")):
                return
            time.sleep(0.2)
        self.fail("the relay did not deliver the mails")

    def traces(self, needles):
        """Every place that still holds one of needles (lower-cased strings)."""
        found = []
        needles = [n.lower() for n in needles]
        db = self.server.db
        # Raw bytes first, before anything reads or writes the database again
        # (a SQLite file and its WAL).
        for path in (() if kerbside.PG else (db, db + "-wal", db + "-shm")):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read().lower()
                for n in needles:
                    if n.encode() in data:
                        found.append("%s: %r" % (os.path.basename(path), n))
        for path in glob.glob(os.path.join(self.server.outbox, "**"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    data = f.read().lower()
                for n in needles:
                    if n.encode() in data:
                        found.append("outbox %s: %r" % (os.path.relpath(path, self.server.outbox), n))
        # Every text and blob of every table (virtual tables' shadow tables too;
        # on PostgreSQL every column, the text search vectors included).
        tables = self.server.tables()
        self.assertIn("idempotency", tables)
        if not kerbside.PG:
            self.assertIn("reports_fts_data", tables)
        for t in tables:
            for row in self.server.sql('SELECT * FROM "%s"' % t.replace('"', '""')):
                for v in row:
                    if isinstance(v, bytes):
                        v = v.decode("utf-8", "replace")
                    if isinstance(v, str):
                        low = v.lower()
                        for n in needles:
                            if n in low:
                                found.append("table %s: %r" % (t, n))
        return sorted(set(found))

    def assertWalEmpty(self):
        """SQLite: the erasure checkpointed its WAL down to nothing (a PostgreSQL
        server recycles its write-ahead log by itself)."""
        if not kerbside.PG:
            self.assertEqual(os.path.getsize(self.server.db + "-wal"), 0)

    def assertReplaysClean(self, needles):
        for method, path, token, body, key, status in self.keys:
            r = self.req(method, path, token=token, json=body, headers={"Idempotency-Key": key})
            self.assertEqual(r.status, status, (path, r))
            self.assertEqual(r.headers.get("Idempotent-Replayed"), "true", (path, r))
            for n in needles:
                self.assertNotIn(n.lower(), r.raw.lower(), (path, r))

    # -- a resident ------------------------------------------------------------

    def test_resident(self):
        self.keys = []
        tag = uuid.uuid4().hex[:8]
        name = "Wilhelmina Quarrendon %s" % tag
        address = "w_quarrendon+%s@example.org" % tag
        phone = "07700 913%s" % tag[:3].translate(str.maketrans("abcdef", "123456"))
        needles = [name, address, phone]
        cs, maint, insp = (self.token(CUSTOMER_SERVICES), self.token(MAINTENANCE),
                           self.token(INSPECTOR))
        cat = self.active_category(cs)

        # Two reports; actions whose answers are stored with their keys; two
        # mails, one delivered (sent/), one still waiting in the outbox; a
        # failed sign-in under the address.
        reports = []
        for title in ("Cracked kerb by the bus stop", "Leaning lamp post"):
            r = self.write("POST", "/api/v1/reports", cs, {
                "category_id": cat["id"], "title": title, "detail": "Please look at it.",
                "lat": 51.752, "lon": -1.258,
                "reporter": {"name": name, "email": address, "phone": phone,
                             "show_name": True}}, self.key())
            reports.append(unwrap(r.body, "report")["id"])
        first, second = reports
        self.write("POST", "/api/v1/reports/%d/request-info" % first, maint,
                   {"text": "Which side of the road?"}, self.key())
        self.wait_sent(1)
        self.smtp.shutdown()            # the relay cannot deliver now
        self.smtp.server_close()
        self.write("POST", "/api/v1/reports/%d/request-info" % second, maint,
                   {"text": "Is it still leaning?"}, self.key())
        self.assertEqual(len(kerbside.outbox_files(self.server.outbox)), 1)
        self.write("POST", "/api/v1/reports/%d/acknowledge" % first, insp, {}, self.key())
        r = self.req("POST", "/api/v1/auth/login", json={"email": address, "password": "wrong-guess-1"})
        self.assertEqual(r.status, 401, r)
        self.assertTrue(self.traces(needles), "the set-up left no trace to erase")

        # Before the erasure a replay shows the reporter, and is audited as a view.
        views = self.server.sql("SELECT count(*) FROM audit_log WHERE action = "
                                "'view_personal_data' AND object_id = ?", (first,))[0][0]
        method, path, token, body, key, _ = self.keys[0]
        r = self.req(method, path, token=token, json=body, headers={"Idempotency-Key": key})
        self.assertIn(address, r.raw)
        self.assertEqual(self.server.sql("SELECT count(*) FROM audit_log WHERE action = "
                                         "'view_personal_data' AND object_id = ?",
                                         (first,))[0][0], views + 1)

        # Anonymise the first report: its copies go.
        version = self.detail(cs, first)["version"]
        r = self.write("POST", "/api/v1/reports/%d/anonymise" % first, cs,
                       {"reason": "The resident asked us to", "version": version}, self.key())
        self.assertTrue(r.body["changed"])
        for method, path, token, body, key, status in self.keys:
            if "/%d/" % first in path or (path == "/api/v1/reports" and
                                          body["title"].startswith("Cracked")):
                r = self.req(method, path, token=token, json=body,
                             headers={"Idempotency-Key": key})
                self.assertEqual(r.headers.get("Idempotent-Replayed"), "true")
                for n in needles:
                    self.assertNotIn(n.lower(), r.raw.lower(), path)
        delivered = glob.glob(os.path.join(self.server.outbox, "sent", "*.eml"))
        for path in delivered:
            with open(path, "rb") as f:
                self.assertNotIn(address.encode(), f.read())

        # Terminate the person: everything else goes.
        r = self.write("POST", "/api/v1/people/terminate", self.token(ADMIN),
                       {"email": address.upper(), "reason": "Right to erasure"}, self.key())
        self.assertEqual(r.body["reports_anonymised"], 1)
        self.assertEqual(self.traces(needles), [])
        self.assertEqual(glob.glob(os.path.join(self.server.outbox, "*.eml")), [])
        self.assertWalEmpty()

        # Replays answer as before, without the person, and are no views of them.
        views = self.server.sql("SELECT count(*) FROM audit_log WHERE action = "
                                "'view_personal_data'")[0][0]
        self.assertReplaysClean(needles)
        self.assertEqual(self.server.sql("SELECT count(*) FROM audit_log WHERE action = "
                                         "'view_personal_data'")[0][0], views)
        # The reports themselves are still there, with their content.
        self.assertEqual(self.detail(cs, second)["title"], "Leaning lamp post")

    # -- a member of staff -----------------------------------------------------

    def test_staff(self):
        self.keys = []
        tag = uuid.uuid4().hex[:8]
        name = "Ottoline Vexborough %s" % tag
        address = "o.vexborough.%s@demo.invalid" % tag
        phone = "01865 24%s" % tag[:4].translate(str.maketrans("abcdef", "123456"))
        needles = [name, address, phone]
        admin = self.token(ADMIN)
        roles = kerbside.items(self.ok(self.req("GET", "/api/v1/roles", token=admin)), "roles")
        inspectors = [x["id"] for x in roles if x["name"] == "Inspectors"]
        r = self.write("POST", "/api/v1/staff", admin, {
            "email": address, "name": name, "password": STAFF_PASSWORD,
            "role_ids": inspectors}, self.key())
        staff_id = unwrap(r.body, "staff")["id"]
        # The API sets no phone for staff; an account may still hold one.
        self.server.sql("UPDATE users SET phone = ? WHERE id = ?", (phone, staff_id))
        tok = self.server.login(address, STAFF_PASSWORD)
        rid = self.claim_report(lambda x: x["state"] == "confirmed")["id"]
        self.write("POST", "/api/v1/reports/%d/updates" % rid, tok, {"text": "Inspected."},
                   self.key())
        self.write("POST", "/api/v1/reports/%d/updates" % rid, self.token(INSPECTOR),
                   {"text": "Seen too."}, self.key())
        r = self.req("POST", "/api/v1/auth/login", json={"email": address, "password": "wrong-guess-2"})
        self.assertEqual(r.status, 401, r)
        r = self.req("POST", "/api/v1/auth/email", json={"email": address})
        self.assertEqual(r.status, 202, r)
        self.assertTrue(self.traces(needles))

        r = self.write("POST", "/api/v1/people/terminate", admin,
                       {"email": address, "reason": "Left the council"}, self.key())
        self.assertTrue(r.body["account_removed"])
        self.assertEqual(r.body["staff_id"], staff_id)
        self.assertEqual(self.traces(needles), [])
        self.assertWalEmpty()
        # The staff member's own keys went with the account; the others replay.
        self.keys = [k for k in self.keys if k[2] != tok]
        self.assertReplaysClean(needles)
        self.assertIn("Inspected.", [u["text"] for u in self.detail(admin, rid)["updates"]])


    # -- a mail in a relay's hands -----------------------------------------------

    def mail_file(self, address):
        """The outbox file of a mail to address, wherever the relay has it."""
        deadline = time.time() + 10
        while time.time() < deadline:
            for path in glob.glob(os.path.join(self.server.outbox, "**", "*.eml"), recursive=True):
                try:
                    with open(path, "rb") as f:
                        if address.encode() in f.read():
                            return path
                except FileNotFoundError:
                    pass    # moved by the relay meanwhile
            time.sleep(0.1)
        self.fail("no mail to %s in the outbox" % address)

    def test_staff_mail_in_a_relays_hands(self):
        """A mail that a relay holds while the person is erased (claimed in
        sending/INSTANCE/, here another instance's) goes too; and a copy that
        relay puts back after the erasure (its delivery failed) is dropped at
        the next round of this server's relay: neither delivered nor kept."""
        self.keys = []
        tag = uuid.uuid4().hex[:8]
        name = "Perpetua Quillfeather %s" % tag
        address = "p.quillfeather.%s@demo.invalid" % tag
        needles = [name, address]
        admin = self.token(ADMIN)
        roles = kerbside.items(self.ok(self.req("GET", "/api/v1/roles", token=admin)), "roles")
        inspectors = [x["id"] for x in roles if x["name"] == "Inspectors"]
        self.write("POST", "/api/v1/staff", admin, {
            "email": address, "name": name, "password": STAFF_PASSWORD,
            "role_ids": inspectors}, self.key())
        r = self.req("POST", "/api/v1/auth/email", json={"email": address})
        self.assertEqual(r.status, 202, r)
        path = self.mail_file(address)
        mail = os.path.basename(path)
        with open(path, "rb") as f:
            content = f.read()
        hands = os.path.join(self.server.outbox, "sending", "other-instance-%s" % tag)
        os.makedirs(hands)
        with open(os.path.join(hands, mail), "wb") as f:
            f.write(content)

        r = self.write("POST", "/api/v1/people/terminate", admin,
                       {"email": address, "reason": "Left the council"}, self.key())
        self.assertTrue(r.body["account_removed"])
        self.assertEqual(self.traces(needles), [])
        self.assertTrue(os.path.exists(os.path.join(self.server.outbox, "erased", mail)))

        # The other instance's delivery fails and it puts its copy back.
        delivered = len(self.smtp.received)
        back = os.path.join(self.server.outbox, mail)
        with open(back + ".tmp", "wb") as f:
            f.write(content)
        os.rename(back + ".tmp", back)
        deadline = time.time() + 10
        while os.path.exists(back) and time.time() < deadline:
            time.sleep(0.1)
        # A relay whose delivery fails puts a mail back each round (every
        # second here): gone for good, not just in its hands for a moment.
        time.sleep(2.5)
        self.assertFalse(os.path.exists(back), "the relay left the erased mail in the outbox")
        self.assertEqual(self.traces(needles), [])
        self.assertEqual([m for m in self.smtp.received[delivered:]
                          if address in m.get("to", "") or address in m.get("data", "")], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
