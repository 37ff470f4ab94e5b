#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tests' throwaway PostgreSQL cluster (pgcluster.py): no TCP, not run as root,
stopped and removed at the end even when the test fails or is killed; and the
PostgreSQL migrations (data/sql-pg) give the SQLite schema's tables, columns and
indexes (data/sql)."""

import glob
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import pgcluster  # noqa: E402

HELPER = os.path.join(HERE, "pgcluster.py")


def process_alive(pid):
    """True while pid runs (a zombie, already ended, is not running)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except FileNotFoundError:
        return False
    return True


def process_uid(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    raise AssertionError("no Uid in /proc/%d/status" % pid)


def postmaster_pid(data):
    with open(os.path.join(data, "postmaster.pid")) as f:
        return int(f.readline())


def wait_gone(pid, seconds=30):
    deadline = time.monotonic() + seconds
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not process_alive(pid)


class ClusterTest(unittest.TestCase):

    def test_lifecycle(self):
        with pgcluster.Cluster() as pg:
            pid = postmaster_pid(pg.data)
            self.assertTrue(process_alive(pid))
            self.assertNotEqual(process_uid(pid), 0, "PostgreSQL runs as root")
            self.assertEqual(pg.psql("SELECT current_database(), 1 + 1"), [["kerbside", "2"]])
            # Nothing listens on TCP; the socket is in the cluster's own directory.
            self.assertEqual(pg.psql("SELECT '[' || current_setting('listen_addresses') || ']'"), [["[]"]])
            self.assertTrue(glob.glob(os.path.join(pg.dir, ".s.PGSQL.*")))
            self.assertIn(pg.dir.replace("/", "%2F"), pg.uri)
            # Stop and start again (restart tests): the data is still there.
            pg.psql("CREATE TABLE kept (x integer); INSERT INTO kept VALUES (42)")
            pg.stop()
            self.assertTrue(wait_gone(pid))
            pg.start()
            self.assertEqual(pg.psql("SELECT x FROM kept"), [["42"]])
            pid = postmaster_pid(pg.data)
            directory = pg.dir
        self.assertTrue(wait_gone(pid), "PostgreSQL still runs after the cluster was removed")
        self.assertFalse(os.path.exists(directory))

    def run_helper(self, script, **kwargs):
        return subprocess.Popen([sys.executable, HELPER, "run", "--", "sh", "-c", script],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                **kwargs)

    def test_run_removes_cluster_after_failure(self):
        # The test inside fails: its status comes out, and the cluster is gone.
        proc = self.run_helper('cat "$KS_PG_DATA/postmaster.pid" | head -1; echo "$KS_PG_HOST"; exit 5')
        out, err = proc.communicate(timeout=240)
        self.assertEqual(proc.returncode, 5, err)
        pid, directory = out.split()[:2]
        self.assertIn("exited with 5", err)
        self.assertTrue(wait_gone(int(pid)))
        self.assertFalse(os.path.exists(directory))

    def test_run_removes_cluster_when_killed(self):
        # meson ends a test that runs too long with SIGTERM; what the test started
        # (here a sleep in the background, holding the output open) ends with it.
        proc = self.run_helper('head -1 "$KS_PG_DATA/postmaster.pid"; echo "$KS_PG_HOST"; '
                               'sleep 600 & wait')
        pid = int(proc.stdout.readline())
        directory = proc.stdout.readline().strip()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(wait_gone(pid))
        self.assertFalse(os.path.exists(directory))

    def test_skip_says_why(self):
        res = subprocess.run([sys.executable, HELPER, "skip", "no", "libpq"], capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(res.returncode, 77)
        self.assertIn("SKIP: no libpq", res.stdout)


def sqlite_schema():
    """{table: {column: notnull}} and the index names of the SQLite migrations."""
    con = sqlite3.connect(":memory:")
    for path in sorted(glob.glob(os.path.join(SOURCE, "data", "sql", "*.sql"))):
        with open(path) as f:
            con.executescript(f.read())
    tables = {}
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if name.startswith(("sqlite_", "reports_rtree", "reports_fts", "places_fts")):
            continue   # PostgreSQL: reports.pos and reports.search instead
        tables[name] = {row[1]: bool(row[3] or row[5]) for row in
                        con.execute("PRAGMA table_info(%s)" % name)}
    indexes = {name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    return tables, indexes


class SchemaTest(unittest.TestCase):

    def test_same_tables_columns_and_indexes(self):
        lite_tables, lite_indexes = sqlite_schema()
        with pgcluster.Cluster() as pg:
            for path in sorted(glob.glob(os.path.join(SOURCE, "data", "sql-pg", "*.sql"))):
                # Read here and given on standard input: psql runs as the
                # cluster's owner, who may not enter the checkout.
                with open(path) as f:
                    pg.run("psql", "-h", pg.dir, "-U", "postgres", "-d", pgcluster.DATABASE, "-X",
                           "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", "-", input=f.read())
            tables = {}
            for table, column, nullable in pg.psql(
                    "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                    "WHERE table_schema = 'public'"):
                tables.setdefault(table, {})[column] = nullable == "NO"
            indexes = {row[0] for row in pg.psql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
        self.assertEqual(sorted(tables), sorted(lite_tables))
        for table, columns in lite_tables.items():
            # PostgreSQL's own text-search and map columns (SQLite keeps those in
            # FTS5 and R*Tree tables).
            extra = {"reports": {"pos", "search"}, "places": {"words"}}.get(table, set())
            self.assertEqual(sorted(set(tables[table]) - extra), sorted(columns), table)
            for column, notnull in columns.items():
                self.assertEqual(tables[table][column], notnull, "%s.%s NOT NULL" % (table, column))
        self.assertEqual(sorted(lite_indexes - indexes), [],
                         "SQLite indexes with no PostgreSQL index of that name")


if __name__ == "__main__":
    pgcluster.run_unittests()
