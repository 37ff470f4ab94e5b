#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How kerbside-server is told about its PostgreSQL database: a postgresql:// URI
in --db or the [database] group of the configuration file; the password only
from a file the operator protects (or libpq's PGPASSWORD / ~/.pgpass), never on
a command line, and never in the log."""

import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pgcluster  # noqa: E402

PASSWORD = "kerb-side-db-secret-77"
ROLE = "kerbside_app"


def server_binary():
    path = os.environ.get("KERBSIDE_SERVER")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("set KERBSIDE_SERVER to the built kerbside-server (meson test does)")
    return path


class DatabaseSettingsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.pg = pgcluster.Cluster().create()
        # A role that must give its password (SCRAM) on the socket; the others
        # keep the cluster's trust.
        cls.pg.psql("CREATE ROLE %s LOGIN PASSWORD '%s'; ALTER DATABASE %s OWNER TO %s"
                    % (ROLE, PASSWORD, pgcluster.DATABASE, ROLE))
        hba = cls.pg.psql("SHOW hba_file")[0][0]
        with open(hba) as f:
            rules = f.read()
        with open(hba, "w") as f:
            f.write("local all %s scram-sha-256\n" % ROLE + rules)
        cls.pg.psql("SELECT pg_reload_conf()")
        cls.uri = "postgresql://%s@/%s?host=%s" % (ROLE, pgcluster.DATABASE,
                                                    urllib.parse.quote(cls.pg.dir, safe=""))

    @classmethod
    def tearDownClass(cls):
        cls.pg.destroy()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.env["HOME"] = self.dir     # no ~/.pgpass of the machine's user

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text, mode=0o600):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def config(self, uri, password_file):
        return self.write("kerbside.conf", "[database]\nuri=%s\npassword-file=%s\n"
                          % (uri, password_file))

    def run_server(self, *args, timeout=60):
        return subprocess.run([server_binary(), *args], capture_output=True, text=True,
                              env=self.env, timeout=timeout, stdin=subprocess.DEVNULL)

    def serve_args(self, *args):
        return ["serve", "--listen", "127.0.0.1:0",
                "--port-file", os.path.join(self.dir, "port"),
                "--outbox", os.path.join(self.dir, "outbox"),
                "--media", os.path.join(self.dir, "media"), *args]

    def start(self, *args):
        """Starts serve; returns (process, log path) once it listens."""
        log_path = os.path.join(self.dir, "server.log")
        log = open(log_path, "w")
        proc = subprocess.Popen([server_binary(), *self.serve_args(*args)], stdout=log,
                                stderr=subprocess.STDOUT, env=self.env, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                with open(log_path) as f:
                    self.fail("serve exited with %d:\n%s" % (proc.returncode, f.read()))
            # Listening (and its signal handlers in place) once it says so.
            with open(log_path) as f:
                if " listening on " in f.read():
                    return proc, log_path
            time.sleep(0.05)
        proc.kill()
        self.fail("serve did not listen in 60 s")

    def stop(self, proc):
        proc.terminate()
        status = proc.wait(timeout=30)
        if status != 0:
            with open(os.path.join(self.dir, "server.log")) as f:
                self.fail("serve exited with %d on SIGTERM:\n%s" % (status, f.read()))

    def test_password_in_db_argument_is_refused(self):
        # A database of its own, that nothing has touched.
        self.pg.psql("CREATE DATABASE untouched OWNER %s" % ROLE)
        uri = self.uri.replace("%s@" % ROLE, "%s:%s@" % (ROLE, PASSWORD)).replace(
            "/%s?" % pgcluster.DATABASE, "/untouched?")
        for args in (self.serve_args("--db", uri), ["apikey", "list", "--db", uri]):
            res = self.run_server(*args)
            self.assertEqual(res.returncode, 2, res.stderr)
            self.assertIn("do not put the database password in --db", res.stderr)
            self.assertIn("password-file", res.stderr)
        # Refused before connecting: nothing was created in the database.
        tables = self.pg.run("psql", "-h", self.pg.dir, "-U", "postgres", "-d", "untouched",
                             "-X", "-A", "-t", "-c",
                             "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        self.assertEqual(tables.stdout.strip(), "0")

    def test_password_file_from_configuration(self):
        uri_with_secret = self.uri.replace("%s@" % ROLE, "%s:not-used-%s@" % (ROLE, "x"))
        conf = self.config(self.uri, self.write("db-password", PASSWORD + "\n"))
        proc, log_path = self.start("--config", conf)
        self.stop(proc)
        with open(log_path) as f:
            log = f.read()
        self.assertIn("database postgresql://", log)
        self.assertNotIn(PASSWORD, log)
        # It connected as the role and migrated: the schema is there, owned by it.
        self.assertEqual(self.pg.psql("SELECT tableowner FROM pg_tables WHERE tablename = 'reports'"),
                         [[ROLE]])
        # A URI with a password in the (protected) file is shown without it.
        conf = self.config(uri_with_secret, self.write("db-password", PASSWORD))
        proc, log_path = self.start("--config", conf)
        self.stop(proc)
        with open(log_path) as f:
            log = f.read()
        self.assertNotIn("not-used-x", log)
        self.assertIn("%s:***@" % ROLE, log)

    def test_wrong_password_says_so(self):
        conf = self.config(self.uri, self.write("db-password", "wrong-password"))
        res = self.run_server(*self.serve_args("--config", conf))
        self.assertEqual(res.returncode, 1, res.stderr)
        self.assertIn("password authentication failed", res.stderr)
        self.assertNotIn("wrong-password", res.stderr)

    def test_unprotected_or_empty_password_file_is_refused(self):
        conf = self.config(self.uri, self.write("db-password", PASSWORD, mode=0o644))
        res = self.run_server(*self.serve_args("--config", conf))
        self.assertEqual(res.returncode, 2, res.stderr)
        self.assertIn("can be read by every user", res.stderr)
        self.assertNotIn(PASSWORD, res.stderr)
        conf = self.config(self.uri, self.write("db-password", "\n"))
        res = self.run_server(*self.serve_args("--config", conf))
        self.assertEqual(res.returncode, 2, res.stderr)
        self.assertIn("is empty", res.stderr)

    def test_password_from_environment(self):
        self.env["PGPASSWORD"] = PASSWORD
        proc, log_path = self.start("--db", self.uri)
        self.stop(proc)
        del self.env["PGPASSWORD"]
        res = self.run_server(*self.serve_args("--db", self.uri))
        self.assertEqual(res.returncode, 1, res.stderr)
        self.assertIn("Could not connect to the database", res.stderr)


if __name__ == "__main__":
    pgcluster.run_unittests()
