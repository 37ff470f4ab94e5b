#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""kerbside-server backup: a consistent copy of the database (and its photos) made
while the server serves writes; a server started on the copy serves every report
acknowledged before the backup began, and none made after it ended. The backup
never overwrites a file, and bad input gets a sentence. On PostgreSQL (backed up
with pg_dump) the command refuses the database's URI, saying so, and writes
nothing."""

import os
import sqlite3
import subprocess
import threading
import time
import unittest

import kerbside
from kerbside import ServerTestCase, CUSTOMER_SERVICES, INSPECTOR, unwrap



def run_backup(*args, timeout=300):
    return subprocess.run([kerbside.server_binary(), "backup", *args], capture_output=True,
                          text=True, timeout=timeout)


class BackupTest(ServerTestCase):

    def create_report(self, token, category, title):
        r = self.req("POST", "/api/v1/reports", token=token, json={
            "category_id": category, "title": title, "detail": "Written during a backup test.",
            "lat": 51.752, "lon": -1.258, "as_council": True})
        return unwrap(self.ok(r, 201), "report")["id"]

    def test_backup_while_serving_writes(self):
        token = self.token(CUSTOMER_SERVICES)
        category = self.active_category(token)["id"]
        before = {self.create_report(token, category, "Before the backup %d" % i): i
                  for i in range(5)}

        # Writers keep creating reports while the backup runs.
        stop = threading.Event()
        written, failures = [], []

        def writer(n):
            i = 0
            while not stop.is_set():
                r = self.req("POST", "/api/v1/reports", token=token, json={
                    "category_id": category, "title": "Under load %d-%d" % (n, i),
                    "detail": "x", "lat": 51.75, "lon": -1.25, "as_council": True})
                (written if r.status == 201 else failures).append(r)
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        try:
            while len(written) < 5 and not failures:
                time.sleep(0.05)
            copy = os.path.join(self.tmp, "copy.db")
            # Small steps: the copy takes many of them while the writes go on.
            res = run_backup("--db", self.server.db, "--to", copy, "--pages-per-step", "8")
            during = len(written)
            while len(written) < during + 3 and not failures:
                time.sleep(0.05)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(failures, [], "writes failed during the backup")
        self.assertIn("Backing up", res.stderr)
        self.assertIn("100%", res.stderr)
        self.assertIn("Backed up", res.stdout)
        self.assertFalse(os.path.exists(copy + ".part"))
        after = self.create_report(token, category, "After the backup")

        con = sqlite3.connect(copy)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            # One moment: the change sequence covers every report in the copy.
            seq = con.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]
            self.assertGreaterEqual(seq, con.execute("SELECT max(seq) FROM reports").fetchone()[0])
            photos = [row[0] for row in con.execute(
                "SELECT photo FROM reports WHERE photo LIKE '/api/v1/media/%' LIMIT 3")]
        finally:
            con.close()

        workdir = os.path.join(self.tmp, "restored")
        os.makedirs(workdir)
        restored = kerbside.Server(copy, workdir)
        self.addCleanup(restored.kill)
        restored.start()
        tok = restored.login(INSPECTOR)
        for rid, i in before.items():
            r = restored.req("GET", "/api/v1/reports/%d" % rid, token=tok)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(unwrap(r.body, "report")["title"], "Before the backup %d" % i)
        self.assertEqual(restored.req("GET", "/api/v1/reports/%d" % after, token=tok).status, 404)
        self.assertTrue(photos, "the demo data has no stored photos to check")
        for ref in photos:
            r = restored.req("GET", ref, token=tok)
            self.assertEqual(r.status, 200, "photo %s of the copy: %r" % (ref, r))
        restored.stop()

    def test_never_overwrites(self):
        copy = os.path.join(self.tmp, "kept.db")
        with open(copy, "w") as f:
            f.write("an earlier backup")
        res = run_backup("--db", self.server.db, "--to", copy)
        self.assertEqual(res.returncode, 1)
        self.assertIn("exists already", res.stderr)
        with open(copy) as f:
            self.assertEqual(f.read(), "an earlier backup")
        # The photo directory of the copy is not overwritten either.
        other = os.path.join(self.tmp, "other.db")
        os.makedirs(other + ".media")
        res = run_backup("--db", self.server.db, "--to", other)
        self.assertEqual(res.returncode, 1)
        self.assertIn("exists already", res.stderr)
        self.assertFalse(os.path.exists(other))

    def test_bad_input(self):
        res = run_backup("--db", self.server.db)
        self.assertEqual(res.returncode, 2)
        self.assertIn("--to", res.stderr)
        missing = os.path.join(self.tmp, "missing.db")
        res = run_backup("--db", missing, "--to", os.path.join(self.tmp, "m-copy.db"))
        self.assertEqual(res.returncode, 1)
        self.assertIn("There is no database file", res.stderr)
        self.assertFalse(os.path.exists(missing))
        stranger = os.path.join(self.tmp, "stranger.db")
        sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.close()
        res = run_backup("--db", stranger, "--to", os.path.join(self.tmp, "s-copy.db"))
        self.assertEqual(res.returncode, 1)
        self.assertIn("is not a Kerbside database", res.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "s-copy.db")))
        res = run_backup("--db", self.server.db, "--to", os.path.join(self.tmp, "p.db"),
                         "--pages-per-step", "0")
        self.assertEqual(res.returncode, 2)


class PostgresqlBackupTest(ServerTestCase):

    def test_refuses_postgresql(self):
        copy = os.path.join(self.tmp, "pg-copy.db")
        res = run_backup("--db", self.server.db, "--to", copy)
        self.assertEqual(res.returncode, 1)
        self.assertIn("is a PostgreSQL database", res.stderr)
        self.assertIn("pg_dump", res.stderr)
        self.assertFalse(os.path.exists(copy))
        self.assertFalse(os.path.exists(copy + ".media"))
        # The server it names goes on serving.
        r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR), query={"limit": "1"})
        self.ok(r, 200)


def load_tests(loader, tests, pattern):
    """SQLite's copy, or PostgreSQL's refusal: the store the suite runs on."""
    return loader.loadTestsFromTestCase(PostgresqlBackupTest if kerbside.PG else BackupTest)


if __name__ == "__main__":
    unittest.main(verbosity=2)
