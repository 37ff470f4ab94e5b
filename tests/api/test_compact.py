#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""kerbside-server compact: a database no server has open is rewritten
without its free space, in its own page size (4 KB for a database the server
made) or in the one asked for, with every row of every table as it was, back in
WAL mode, and a server serves it after. While a server has the database open the
command refuses and changes nothing; bad input gets a sentence. On PostgreSQL
the command refuses the database's URI."""

import hashlib
import os
import sqlite3
import subprocess
import unittest

import kerbside
from kerbside import ServerTestCase, INSPECTOR, Server, copy_db, db_sql


def run_compact(*args, timeout=300):
    return subprocess.run([kerbside.server_binary(), "compact", *args], capture_output=True,
                          text=True, timeout=timeout)


def pragma(db, name):
    return db_sql(db, "PRAGMA %s" % name)[0][0]


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

    def copy(self, name):
        """A copy of the demo database, as the server made it."""
        return copy_db(self.pristine, os.path.join(self.tmp, name))

    def test_gives_back_free_space_in_its_page_size(self):
        db = self.copy("freed.db")
        self.assertEqual(pragma(db, "page_size"), 4096)
        db_sql(db, "DELETE FROM report_fragments")   # derived data: always safe
        before, tables = digest(db)
        self.assertGreater(tables, 20)
        size = os.path.getsize(db)
        free = pragma(db, "freelist_count")

        res = run_compact("--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("Compacted %s" % db, res.stdout)
        self.assertIn("in pages of 4096 bytes before", res.stdout)
        self.assertIn("in pages of 4096 bytes now", res.stdout)
        self.assertEqual(pragma(db, "page_size"), 4096)
        self.assertEqual(pragma(db, "freelist_count"), 0)
        self.assertEqual(pragma(db, "journal_mode"), "wal")
        self.assertEqual(pragma(db, "integrity_check"), "ok")
        self.assertEqual(digest(db), (before, tables))
        self.assertLess(os.path.getsize(db), size - free * 4096 // 2,
                        "the freed pages were not given back")
        self.assertFalse(os.path.exists(db + "-journal"))

    def test_other_pages_and_served_after(self):
        db = self.copy("pages.db")
        res = subprocess.run([kerbside.server_binary(), "upgrade", "--db", db],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        before, tables = digest(db)

        res = run_compact("--db", db, "--page-size", "16384")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("in pages of 4096 bytes before", res.stdout)
        self.assertIn("in pages of 16384 bytes now", res.stdout)
        self.assertEqual(pragma(db, "page_size"), 16384)
        self.assertEqual(pragma(db, "journal_mode"), "wal")
        self.assertEqual(pragma(db, "integrity_check"), "ok")
        self.assertEqual(digest(db), (before, tables))

        # A server serves it, and keeps its pages: the inspector signs in and
        # reads reports; a second compact without the option keeps 16 KB.
        server = Server(db, os.path.join(self.tmp, "served-pages"),
                        media=self.pristine + ".media")
        self.addCleanup(server.kill)
        server.start()
        token = server.login(INSPECTOR)
        r = server.req("GET", "/api/v1/reports", token=token, query={"limit": "5"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(len(r.body["reports"]), 5)
        server.stop()
        res = run_compact("--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("in pages of 16384 bytes now", res.stdout)
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
        self.assertEqual(pragma(db, "page_size"), 4096)
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
        for size in ("2048", "1000", "131072", "none"):
            res = run_compact("--db", self.server.db, "--page-size", size)
            self.assertEqual(res.returncode, 2, size)
            self.assertIn("--page-size", res.stderr)
            self.assertEqual(pragma(self.server.db, "page_size"), 4096)
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
