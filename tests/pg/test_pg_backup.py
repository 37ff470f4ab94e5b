#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The PostgreSQL backup path of docs/deploy.md: pg_dump (custom format) of a
database being served and written to, pg_restore into a new database, and
kerbside-server serving from the restored copy: it answers what the original
answered when the dump began, and nothing written after it."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402


class PgBackupTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        os.chmod(self.dir, 0o755)
        self.pg = pgcluster.Cluster().create()
        self.addCleanup(self.pg.destroy)
        self.addCleanup(self.tmp.cleanup)
        lite = kerbside.make_demo_db(os.path.join(self.dir, "kerbside.db"))
        self.media = os.path.join(self.dir, "media")
        res = subprocess.run([kerbside.server_binary(), "migrate-store", "--from", lite,
                              "--to", self.pg.uri, "--media-to", self.media],
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(res.returncode, 0, res.stderr)

    def server(self, uri, name):
        workdir = os.path.join(self.dir, name)
        os.makedirs(workdir)
        server = kerbside.Server(uri, workdir, ["--media", self.media]).start()
        self.addCleanup(server.kill)
        return server

    def answers(self, server, token, rid):
        """What a member of staff sees: a list page, a report, the sync from 0."""
        out = []
        for path, query in (("/api/v1/reports", {"limit": 50, "sort": "-updated"}),
                            ("/api/v1/reports/%d" % rid, None),
                            ("/api/v1/sync", {"since": 0, "limit": 500})):
            r = server.req("GET", path, token=token, query=query)
            self.assertEqual(r.status, 200, r)
            out.append(r.body)
        return out

    def add_note(self, server, token, rid, text):
        r = server.req("POST", "/api/v1/reports/%d/updates" % rid, token=token,
                       json={"text": text})
        self.assertIn(r.status, (200, 201), r)

    def test_dump_while_serving_then_restore_and_serve(self):
        original = self.server(self.pg.uri, "original")
        token = original.login(kerbside.INSPECTOR)
        rid = kerbside.items(original.req("GET", "/api/v1/reports", token=token,
                                          query={"limit": 1}).body, "reports")[0]["id"]
        self.add_note(original, token, rid, "Before the backup: kerb stone loose.")
        before = self.answers(original, token, rid)

        dump = os.path.join(self.pg.dir, "kerbside.dump")
        self.pg.run("pg_dump", "-h", self.pg.dir, "-U", "postgres", "-Fc", "-f", dump,
                    pgcluster.DATABASE)
        self.add_note(original, token, rid, "After the backup: must not be in the copy.")
        after = self.answers(original, token, rid)
        self.assertNotEqual(after, before)
        original.stop()

        self.pg.run("createdb", "-h", self.pg.dir, "-U", "postgres", "restored")
        self.pg.run("pg_restore", "-h", self.pg.dir, "-U", "postgres", "--no-owner",
                    "--exit-on-error", "-d", "restored", dump)
        restored_uri = self.pg.uri.replace("/%s?" % pgcluster.DATABASE, "/restored?")
        restored = self.server(restored_uri, "restored")
        token = restored.login(kerbside.INSPECTOR)
        self.assertEqual(self.answers(restored, token, rid), before)
        # The restored copy takes writes: its ids and change sequence continue.
        self.add_note(restored, token, rid, "Written on the restored copy.")
        restored.stop()


if __name__ == "__main__":
    pgcluster.run_unittests()
