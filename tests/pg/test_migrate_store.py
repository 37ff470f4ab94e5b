#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""kerbside-server migrate-store: a whole SQLite installation (after some use:
sessions, actions, audit, API keys, photos) copied into an empty PostgreSQL
database, every table's rows the same on both sides; a copy that does not match
is not committed; a database that holds data, a missing file or a password on
the command line are refused and change nothing."""

import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402

# Tables SQLite has for its own indexes (FTS5, R*Tree): PostgreSQL has none.
SQLITE_ONLY = ("reports_fts", "reports_rtree", "places_fts")


def sqlite_tables(path):
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
        # The authentication epoch is each database's own (not copied).
        names = [n for n in names if not n.startswith(SQLITE_ONLY)
                 and n not in ("schema_migrations", "auth_epoch")]
        return {n: con.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0] for n in names}
    finally:
        con.close()


class MigrateStoreTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        os.chmod(cls.dir, 0o755)
        cls.db = kerbside.make_demo_db(os.path.join(cls.dir, "kerbside.db"), reports=2000)
        # Some use, so that sessions, audit, updates and API keys have rows.
        server = kerbside.Server(cls.db, os.path.join(cls.dir, "serve")).start()
        try:
            token = server.login(kerbside.INSPECTOR)
            server.login(kerbside.ADMIN)
            rid = server.req("GET", "/api/v1/reports", token=token, query={"limit": 1}).body
            rid = kerbside.items(rid, "reports")[0]["id"]
            r = server.req("POST", "/api/v1/reports/%d/updates" % rid, token=token,
                           json={"text": "Inspected: a deep pothole, coned off. ‘Quotes’ & ünïcode"})
            assert r.status in (200, 201), r
        finally:
            server.stop()
        res = subprocess.run([kerbside.server_binary(), "apikey", "create", "--db", cls.db,
                              "--name", "FixMyStreet"], capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        cls.counts = sqlite_tables(cls.db)
        assert cls.counts["sessions"] >= 2 and cls.counts["audit_log"] >= 1, cls.counts
        assert cls.counts["api_keys"] == 1, cls.counts
        cls.pg = pgcluster.Cluster().create()

    @classmethod
    def tearDownClass(cls):
        cls.pg.destroy()
        cls.tmp.cleanup()

    def new_database(self, name):
        self.pg.psql("CREATE DATABASE %s" % name)
        return self.pg.uri.replace("/%s?" % pgcluster.DATABASE, "/%s?" % name)

    def psql(self, uri, sql):
        res = subprocess.run(["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-d", uri, "-c", sql], capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        return [line.split("\t") for line in res.stdout.splitlines() if line]

    def migrate(self, *args):
        return subprocess.run([kerbside.server_binary(), "migrate-store", *args],
                              capture_output=True, text=True, timeout=600)

    def pg_counts(self, uri):
        tables = [r[0] for r in self.psql(uri,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT IN ('schema_migrations', 'auth_epoch')")]
        return {t: int(self.psql(uri, 'SELECT count(*) FROM "%s"' % t)[0][0]) for t in tables}

    def test_copies_everything_and_verifies(self):
        uri = self.new_database("copied")
        media_to = os.path.join(self.dir, "shared-media")
        res = self.migrate("--from", self.db, "--to", uri, "--media-to", media_to)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn("Copying reports: 2000 of 2000 rows (100%)", res.stderr)
        self.assertEqual(self.pg_counts(uri), self.counts)
        for table, n in self.counts.items():
            self.assertRegex(res.stdout, r"(?m)^%s +%d rows  checksum [0-9a-f]{16}  verified$"
                             % (table, n))
        self.assertIn("Copied and verified %d tables" % len(self.counts), res.stdout)
        # The authentication epoch's own row, which the server reads at every request.
        self.assertEqual(self.psql(uri, "SELECT count(*) FROM auth_epoch"), [["1"]])
        # Values, not only counts: the update's text, a report's position.
        self.assertEqual(self.psql(uri, "SELECT count(*) FROM updates WHERE text LIKE "
                                        "'Inspected: a deep pothole%ünïcode'"), [["1"]])
        lite = sqlite3.connect(self.db)
        title, lat, lon, seq = lite.execute(
            "SELECT title, lat, lon, (SELECT value FROM meta WHERE key = 'seq') "
            "FROM reports WHERE id = 1234").fetchone()
        lite.close()
        row = self.psql(uri, "SELECT title, lat, lon, (SELECT value FROM meta WHERE key = 'seq') "
                             "FROM reports WHERE id = 1234")[0]
        self.assertEqual(row[0], title)
        self.assertEqual((float(row[1]), float(row[2]), int(row[3])), (lat, lon, seq))
        # New rows continue after the copied ids.
        self.assertEqual(self.psql(uri, "SELECT nextval(pg_get_serial_sequence('reports', 'id'))"),
                         [["2001"]])
        # The photos, every one.
        lite_media = os.path.join(self.db + ".media")
        self.assertEqual(sorted(os.listdir(media_to)), sorted(os.listdir(lite_media)))
        self.assertGreater(len(os.listdir(media_to)), 0)

        # Again into the same database: refused, nothing changed.
        before = self.pg_counts(uri)
        res = self.migrate("--from", self.db, "--to", uri)
        self.assertEqual(res.returncode, 1)
        self.assertIn("already holds data", res.stderr)
        self.assertEqual(self.pg_counts(uri), before)

    def test_a_copy_that_differs_is_not_committed(self):
        uri = self.new_database("tampered")
        # The schema first (the migrations), then a trigger that changes what
        # is written: the verification must catch it and commit nothing.
        res = self.migrate("--from", os.path.join(self.dir, "missing.db"), "--to", uri)
        self.assertEqual(res.returncode, 1)
        self.assertIn("no SQLite database at", res.stderr)
        empty = kerbside.make_demo_db(os.path.join(self.dir, "empty.db"), reports=0)
        self.assertEqual(self.migrate("--from", empty, "--to", uri).returncode, 0)
        # (the demo's boundary import is in the audit log)
        self.psql(uri, "TRUNCATE bodies, categories, priorities, roles, users, templates, "
                       "meta, reports, audit_log CASCADE")
        self.psql(uri, "CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       "BEGIN IF NEW.id = 77 THEN NEW.title := NEW.title || '!'; END IF; "
                       "RETURN NEW; END $$; "
                       "CREATE TRIGGER tamper BEFORE INSERT ON reports FOR EACH ROW "
                       "EXECUTE FUNCTION tamper()")
        res = self.migrate("--from", self.db, "--to", uri)
        self.assertEqual(res.returncode, 1, res.stdout)
        self.assertIn("The copy of table reports differs from the original", res.stderr)
        self.assertIn("Nothing was committed", res.stderr)
        counts = self.pg_counts(uri)
        self.assertEqual(sum(counts.values()), 0, counts)

    def test_password_on_the_command_line_is_refused(self):
        uri = self.pg.uri.replace("postgres@", "postgres:secret@")
        res = self.migrate("--from", self.db, "--to", uri)
        self.assertEqual(res.returncode, 2)
        self.assertIn("do not put the database password in --to", res.stderr)
        self.assertNotIn("secret", res.stdout + res.stderr.replace("do not put the database password", ""))


if __name__ == "__main__":
    pgcluster.run_unittests()
