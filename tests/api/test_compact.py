#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Database pages: a database the server creates has pages of 16 KB; one made
with SQLite's default 4 KB keeps them when served and upgraded, and
`kerbside-server compact` rewrites it in 16 KB pages with every row as it was,
in WAL mode, and a server serves it after. While a server has the database
open the command refuses and changes nothing; bad input gets a sentence. On
PostgreSQL the command refuses the database's URI."""

import hashlib
import os
import sqlite3
import subprocess
import unittest

import kerbside
from kerbside import ServerTestCase, INSPECTOR, Server, copy_db


def run_compact(*args, timeout=300):
    return subprocess.run([kerbside.server_binary(), "compact", *args], capture_output=True,
                          text=True, timeout=timeout)


def pragma(db, name):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA %s" % name).fetchone()[0]
    finally:
        con.close()


def digest(db):
    """Every row of every table, in order: what a rewrite must not change."""
    con = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' ORDER BY name")]
        for t in tables:
            for row in sorted(repr(r) for r in con.execute('SELECT * FROM "%s"' % t)):
                h.update(row.encode())
        return h.hexdigest(), len(tables)
    finally:
        con.close()


class CompactTest(ServerTestCase):

    def old_database(self, name):
        """A copy of the demo database in 4 KB pages, as databases were made."""
        path = os.path.join(self.tmp, name)
        copy_db(self.pristine, path + ".src")
        con = sqlite3.connect(path + ".src")
        con.execute("VACUUM INTO ?", (path,))
        con.close()
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA page_size = 4096")
        con.execute("VACUUM")
        con.execute("PRAGMA journal_mode = WAL")
        con.close()
        self.assertEqual(pragma(path, "page_size"), 4096)
        return path

    def test_new_database_has_16k_pages(self):
        self.assertEqual(pragma(self.pristine, "page_size"), 16384)
        self.assertEqual(pragma(self.server.db, "page_size"), 16384)
        self.assertEqual(pragma(self.server.db, "journal_mode"), "wal")

    def test_an_old_database_keeps_its_pages_until_compacted(self):
        db = self.old_database("old.db")
        res = subprocess.run([kerbside.server_binary(), "upgrade", "--db", db],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(pragma(db, "page_size"), 4096)
        before, tables = digest(db)
        self.assertGreater(tables, 20)

        res = run_compact("--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("Compacted %s" % db, res.stdout)
        self.assertIn("in pages of 4096 bytes before", res.stdout)
        self.assertIn("in pages of 16384 bytes now", res.stdout)
        self.assertEqual(pragma(db, "page_size"), 16384)
        self.assertEqual(pragma(db, "journal_mode"), "wal")
        self.assertEqual(pragma(db, "integrity_check"), "ok")
        self.assertEqual(digest(db), (before, tables))
        self.assertFalse(os.path.exists(db + "-journal"))

        # A server serves it: the inspector signs in and reads a report.
        server = Server(db, os.path.join(self.tmp, "served-old"), media=self.pristine + ".media")
        self.addCleanup(server.kill)
        server.start()
        token = server.login(INSPECTOR)
        r = server.req("GET", "/api/v1/reports", token=token, query={"limit": "5"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(len(r.body["reports"]), 5)
        server.stop()
        self.assertEqual(pragma(db, "page_size"), 16384)

    def test_refuses_while_served(self):
        db = self.server.db
        res = run_compact("--db", db)
        self.assertEqual(res.returncode, 1)
        self.assertIn("is in use: stop the server", res.stderr)
        self.assertIn("Nothing was changed", res.stderr)
        self.assertNotIn("Compacted", res.stdout)
        # (The server may be writing meanwhile: the database's form is checked.)
        self.assertEqual(pragma(db, "journal_mode"), "wal")
        self.assertEqual(pragma(db, "page_size"), 16384)
        self.assertFalse(os.path.exists(db + "-journal"))
        # The server goes on serving, and writing.
        token = self.token(INSPECTOR)
        r = self.req("GET", "/api/v1/reports", token=token, query={"limit": "1"})
        self.ok(r, 200)
        report = r.body["reports"][0]["id"]
        r = self.req("POST", "/api/v1/reports/%d/updates" % report, token=token,
                     json={"text": "Written after a refused compact."})
        self.ok(r, 200, 201)

    def test_bad_input(self):
        res = run_compact()
        self.assertEqual(res.returncode, 2)
        self.assertIn("--db", res.stderr)
        res = run_compact("--db", self.server.db, "extra")
        self.assertEqual(res.returncode, 2)
        missing = os.path.join(self.tmp, "missing.db")
        res = run_compact("--db", missing)
        self.assertEqual(res.returncode, 1)
        self.assertIn("There is no database file", res.stderr)
        self.assertEqual(res.stdout, "")
        self.assertFalse(os.path.exists(missing))
        stranger = os.path.join(self.tmp, "stranger.db")
        con = sqlite3.connect(stranger)
        con.execute("PRAGMA page_size = 4096")
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        res = run_compact("--db", stranger)
        self.assertEqual(res.returncode, 1)
        self.assertIn("is not a Kerbside database", res.stderr)
        self.assertEqual(pragma(stranger, "page_size"), 4096)


class PostgresqlCompactTest(ServerTestCase):

    def test_refuses_postgresql(self):
        res = run_compact("--db", self.server.db)
        self.assertEqual(res.returncode, 1)
        self.assertIn("is a PostgreSQL database", res.stderr)
        # The server it names goes on serving.
        r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR), query={"limit": "1"})
        self.ok(r, 200)


def load_tests(loader, tests, pattern):
    """SQLite's rewrite, or PostgreSQL's refusal: the store the suite runs on."""
    return loader.loadTestsFromTestCase(PostgresqlCompactTest if kerbside.PG else CompactTest)


if __name__ == "__main__":
    unittest.main(verbosity=2)
