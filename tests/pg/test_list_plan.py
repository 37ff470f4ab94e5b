"""What the map's list costs PostgreSQL: two statements a request (the
authentication epoch, one row: the session's principal is kept in the server
while it has not moved; then the page), and a page read from the reports_cell
index alone, the cells merged in order (Merge Append): no lookup by id in the
table per row, no second round over the cells (the plans the server's prepared
statements ran, as auto_explain logs them).

Demo data in a throwaway cluster with pg_stat_statements loaded, the real
server on it, map requests as staff make them (a 1 x 1 km box, newest first,
100 a page); then the statements PostgreSQL saw are counted, and the plans it
ran for the pages are read from its log.

Skips (exit 77, with the reason) without PostgreSQL's programs or without
pg_stat_statements and auto_explain (both part of postgresql-15).
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402

REPORTS = 4000
REQUESTS = 30
# Oxford, where the demo council is.
LAT0, LAT1, LON0, LON1 = 51.72, 51.78, -1.30, -1.19


def random_box(rng):
    lat = LAT0 + rng.random() * (LAT1 - LAT0 - 0.009)
    lon = LON0 + rng.random() * (LON1 - LON0 - 0.0146)
    return "%.5f,%.5f,%.5f,%.5f" % (lon, lat, lon + 0.0146, lat + 0.009)


class ListPlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kerbside-list-plan-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.pg = pgcluster.Cluster(settings={"shared_preload_libraries": "pg_stat_statements,auto_explain"})
        cls.pg.create()
        cls.addClassCleanup(cls.pg.destroy)
        cls.pg.psql("CREATE EXTENSION pg_stat_statements")
        media = os.path.join(cls.tmp, "media")
        res = subprocess.run([kerbside.server_binary(), "demo", "--db", cls.pg.uri, "--media", media,
                              "--reports", str(REPORTS), "--seed", "5",
                              "--bcrypt-cost", kerbside.BCRYPT_COST],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        if res.returncode != 0:
            raise RuntimeError("kerbside-server demo failed:\n" + res.stdout.decode(errors="replace"))
        cls.pg.psql("ANALYZE")
        workdir = os.path.join(cls.tmp, "server")
        os.makedirs(workdir)
        cls.server = kerbside.Server(cls.pg.uri, workdir, media=media)
        cls.addClassCleanup(cls.server.kill)
        cls.server.start()
        cls.token = cls.server.login(kerbside.INSPECTOR)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def map_page(self, box):
        r = self.server.req("GET", "/api/v1/reports", token=self.token,
                            query={"bbox": box, "limit": "100"})
        self.assertEqual(r.status, 200, r)
        return r.body["reports"]

    def test_statements(self):
        rng = random.Random(3)
        # Past the first executions (planned with their values), as a running
        # server is.
        for _ in range(8):
            self.map_page(random_box(rng))
        self.pg.psql("SELECT pg_stat_statements_reset()")
        rows = 0
        for _ in range(REQUESTS):
            rows += len(self.map_page(random_box(rng)))
        self.assertGreater(rows, REQUESTS * 20, "the boxes hold reports")

        seen = self.pg.psql("SELECT calls, query FROM pg_stat_statements "
                            "WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE 'DELETE%'")
        calls = sum(int(c) for c, _ in seen)
        # The authentication epoch in one (the session, its user, permissions
        # and the categories kept from this person were read by the first
        # requests and kept); the page in one.
        self.assertEqual(calls, 2 * REQUESTS, "statements for %d map requests:\n%s" % (
            REQUESTS, "\n".join("%s x %s" % (c, q[:100]) for c, q in seen)))
        epochs = sum(int(c) for c, q in seen if q.startswith("SELECT n FROM auth_epoch"))
        self.assertEqual(epochs, REQUESTS)
        sessions = sum(int(c) for c, q in seen if q.startswith("SELECT s.id"))
        self.assertEqual(sessions, 0)

    def test_page_plan(self):
        rng = random.Random(4)
        # Each worker's connection prepares the statement once and plans its
        # first five executions with their values; then the generic plan runs.
        for _ in range(60):
            self.map_page(random_box(rng))
        with open(self.pg.log, errors="replace") as f:
            start = len(f.read())
        self.pg.psql("ALTER SYSTEM SET auto_explain.log_min_duration = 0")
        self.pg.psql("SELECT pg_reload_conf()")
        try:
            for _ in range(8):
                self.map_page(random_box(rng))
        finally:
            self.pg.psql("ALTER SYSTEM RESET auto_explain.log_min_duration")
            self.pg.psql("SELECT pg_reload_conf()")
        with open(self.pg.log, errors="replace") as f:
            log = f.read()[start:]
        # Every plan but the session's (and this test's own statements).
        plans = [p for p in log.split("plan:")[1:]
                 if "FROM reports" in p.split("\n", 2)[1] and "Query Text: SELECT s.id" not in p]
        self.assertGreaterEqual(len(plans), 3, "auto_explain logged no page:\n" + log[-3000:])
        for plan in plans:
            plan = plan.split(" LOG: ")[0]
            self.assertIn("Merge Append", plan)
            self.assertIn("Index Only Scan Backward using reports_cell", plan)
            self.assertNotIn("reports_pkey", plan)
            self.assertNotIn("Seq Scan on reports", plan)


if __name__ == "__main__":
    try:
        pgcluster.find_bindir()
        for lib in ("pg_stat_statements", "auto_explain"):
            if not os.path.exists(os.path.join(pgcluster.find_bindir(), "..", "lib", lib + ".so")):
                raise pgcluster.Missing("%s is not installed (it comes with postgresql-15)" % lib)
    except pgcluster.Missing as e:
        print("SKIP: %s" % e)
        sys.exit(pgcluster.SKIP)
    unittest.main(verbosity=2)
