#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The same request gives the same answer on both stores.

The same demo data goes into a SQLite database and a PostgreSQL one, each by
`kerbside-server demo` with the same seed and the same KERBSIDE_DEMO_NOW (twice:
a first data set, then a refresh with another seed, so that ids were reused and
the sync has tombstones). The demo is run into each store rather than copied
with copy_sqlite.py because the PostgreSQL demo writer is itself under test: the
first check is that both databases hold the same rows, table by table.

Then one server on each, and the same requests on both, as each staff role:
report lists with every filter and each sort, every cursor page to the end,
bounding boxes, text search (odd queries included), the sync from 0 page by page
and from a middle seq, report details, the catalogue, the dashboard, and the
public Open311 reads in JSON and XML. The answers' bodies must be byte for byte
the same. Nothing is masked but what must differ: sign-in tokens are never
compared (each server makes its own), and a dashboard or Open311 answer that
depends on the server's clock is asked again when the clock moved past a day
boundary between the two requests.

Skips (exit 77, with the reason) without PostgreSQL's programs.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import pgcluster  # noqa: E402
import kerbside  # noqa: E402

# The demo data sets: (reports, seed), written in this order.
DEMO_RUNS = [(1700, 11), (1200, 7)]
# The moment the demo is laid out from (2026-01-01T00:00:00Z), in both stores.
DEMO_NOW = "1767225600"
PAGE = 150

# Tables whose rows the two databases must share; columns only one schema has
# (PostgreSQL's generated pos and search) are left out by reading the common ones.
SKIP_TABLES = {"schema_migrations"}
# bcrypt salts are random: the same password hashes differently in each store.
MASKED_COLUMNS = {("users", "password_hash"),
                  # The demo imports its boundaries as an administrator would: at the
                  # real time (not the demo's clock), audited at that time, and
                  # PostgreSQL's identity goes on past the rows a rewrite replaced.
                  ("boundaries", "id"), ("boundaries", "imported"), ("audit_log", "at"),
                  # Its gazetteer too: a refresh imports it again, replacing the rows.
                  ("places", "id")}
# Columns left out of one row only: the demo's platform operator is made as
# `staff create` makes one, at the real time.
MASKED_IN_ROW = {("users", "email", "platform@demo.invalid"): ("created", "updated")}


def masked_row(table, keep, row):
    """The row with the columns MASKED_IN_ROW names for it set to None."""
    for (t, col, value), cols in MASKED_IN_ROW.items():
        if t == table and col in keep and row[keep.index(col)] == value:
            row = [None if c in cols else v for c, v in zip(keep, row)]
    return row


def run_demo(db, media, reports, seed):
    cmd = [kerbside.server_binary(), "demo", "--db", db, "--media", media,
           "--reports", str(reports), "--seed", str(seed), "--bcrypt-cost", kerbside.BCRYPT_COST]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600,
                         env=dict(os.environ, KERBSIDE_DEMO_NOW=DEMO_NOW))
    if res.returncode != 0:
        raise RuntimeError("kerbside-server demo --db %s failed (exit %d):\n%s"
                           % (db, res.returncode, res.stdout.decode(errors="replace")))


# -- rows of each database -------------------------------------------------------

def sqlite_tables(path):
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    tables = {}
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"):
        if name.startswith(("sqlite_", "reports_rtree", "reports_fts", "places_fts")) or name in SKIP_TABLES:
            continue
        tables[name] = [r[1] for r in con.execute("PRAGMA table_info(%s)" % name)]
    return con, tables


def pg_copy_out(pg, sql):
    """Rows of a query through COPY's text format (exact, NULL as None)."""
    res = pg.run("psql", "-h", pg.dir, "-U", "postgres", "-d", pgcluster.DATABASE, "-X", "-q",
                 "-v", "ON_ERROR_STOP=1", "-c", "COPY (%s) TO STDOUT" % sql, timeout=300)
    rows = []
    for line in res.stdout.split("\n"):
        if line == "":
            continue
        values = []
        for field in line.split("\t"):
            if field == "\\N":
                values.append(None)
                continue
            out, i = [], 0
            while i < len(field):
                c = field[i]
                if c == "\\" and i + 1 < len(field):
                    nxt = field[i + 1]
                    out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, nxt))
                    i += 2
                else:
                    out.append(c)
                    i += 1
            values.append("".join(out))
        rows.append(values)
    return rows


def pg_column_types(pg):
    rows = pg.psql("SELECT table_name, column_name, data_type FROM information_schema.columns "
                   "WHERE table_schema = 'public'")
    return {(t, c): ty for t, c, ty in rows}


def typed(value, pg_type):
    if value is None:
        return None
    if pg_type in ("bigint", "integer", "smallint"):
        return int(value)
    if pg_type in ("double precision", "real", "numeric"):
        return float(value)
    return value


def row_key(row):
    return [(0, "") if v is None else (1, v) for v in row]


# -- the comparison ------------------------------------------------------------

def first_difference(a, b):
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, n - 160)
    return ("first difference at byte %d (lengths %d and %d):\n  SQLite:     ...%s...\n"
            "  PostgreSQL: ...%s..." % (n, len(a), len(b), a[lo:n + 160], b[lo:n + 160]))


class SameAnswersTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kerbside-same-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.pg = pgcluster.Cluster()
        cls.pg.create()
        cls.addClassCleanup(cls.pg.destroy)

        cls.lite_db = os.path.join(cls.tmp, "kerbside.db")
        lite_media = cls.lite_media = os.path.join(cls.tmp, "lite-media")
        pg_media = cls.pg_media = os.path.join(cls.tmp, "pg-media")
        for reports, seed in DEMO_RUNS:
            run_demo(cls.lite_db, lite_media, reports, seed)
            run_demo(cls.pg.uri, pg_media, reports, seed)

        servers = []
        for name, db, media in (("lite", cls.lite_db, lite_media), ("pg", cls.pg.uri, pg_media)):
            workdir = os.path.join(cls.tmp, name)
            os.makedirs(workdir)
            server = kerbside.Server(db, workdir, media=media)
            cls.addClassCleanup(server.kill)
            server.start()
            servers.append(server)
        cls.lite, cls.pgs = servers
        cls.tokens = {}

    @classmethod
    def tearDownClass(cls):
        cls.lite.stop()
        cls.pgs.stop()

    # -- helpers ---------------------------------------------------------------

    def token(self, server, role):
        key = (id(server), role)
        if key not in self.tokens:
            self.tokens[key] = server.login(kerbside.ROLE_ACCOUNTS[role])
        return self.tokens[key]

    def both(self, path, role="Administrators", query=None, clock=False):
        """Asks both servers; asserts the same status, type and body; returns the
        SQLite server's answer. clock: the answer depends on the server's "now"
        (asked again once if the two answers differ, in case a day began between
        them)."""
        def ask():
            out = []
            for server in (self.lite, self.pgs):
                tok = self.token(server, role) if role else None
                out.append(server.req("GET", path, token=tok, query=query,
                                      headers={"Accept": "*/*"}))
            return out
        a, b = ask()
        if clock and a.raw != b.raw:
            a, b = ask()
        where = "%s %s as %s" % (path, urllib.parse.urlencode(query or {}), role)
        self.assertEqual(a.status, b.status, "%s: status %d on SQLite, %d on PostgreSQL\n%r\n%r"
                         % (where, a.status, b.status, a, b))
        self.assertEqual(a.headers.get("Content-Type"), b.headers.get("Content-Type"), where)
        if a.raw != b.raw:
            self.fail("%s: the answers differ; %s" % (where, first_difference(a.raw, b.raw)))
        return a

    def all_pages(self, path, query, role="Administrators", key="reports", errors_too=False):
        """Every page of a list, following next_cursor; returns the rows (None
        for an error answer, with errors_too; else an error fails)."""
        query = dict(query)
        rows, pages = [], 0
        while True:
            r = self.both(path, role, query)
            if errors_too and r.status != 200 and pages == 0:
                return None
            self.assertEqual(r.status, 200, "%s %r: %r" % (path, query, r))
            rows.extend(r.body[key])
            pages += 1
            self.assertLess(pages, 1000, "the pages do not end")
            if r.body.get("next_cursor") is None:
                return rows
            query["cursor"] = r.body["next_cursor"]

    def sync_pages(self, since, limit, role="Administrators", **extra):
        rows, seq = [], since
        for _ in range(1000):
            r = self.both("/api/v1/sync", role, dict(extra, since=seq, limit=limit))
            self.assertEqual(r.status, 200, r)
            rows.extend(r.body["reports"])
            seq = r.body["seq"]
            if not r.body["more"]:
                return rows, seq
        self.fail("the sync does not end")

    def catalogue(self):
        cats = self.both("/api/v1/categories").body["categories"]
        prios = self.both("/api/v1/priorities").body["priorities"]
        return cats, prios

    # -- the data ----------------------------------------------------------------

    def test_00_same_rows(self):
        """The demo writers left the same rows in both databases."""
        con, tables = sqlite_tables(self.lite_db)
        types = pg_column_types(self.pg)
        for table, columns in sorted(tables.items()):
            with self.subTest(table=table):
                cols = [c for c in columns if (table, c) in types]
                self.assertEqual(cols, columns, "%s: columns PostgreSQL does not have" % table)
                keep = [c for c in cols if (table, c) not in MASKED_COLUMNS]
                select = "SELECT %s FROM %s" % (", ".join('"%s"' % c for c in keep), table)
                # Sorted here: the two engines order text differently.
                lite_rows = sorted((masked_row(table, keep, list(r))
                                    for r in con.execute(select)), key=row_key)
                pg_rows = sorted((masked_row(table, keep,
                                             [typed(v, types[(table, c)]) for v, c in zip(row, keep)])
                                  for row in pg_copy_out(self.pg, select)), key=row_key)
                self.assertEqual(len(lite_rows), len(pg_rows), "%s: row count" % table)
                for lr, pr in zip(lite_rows, pg_rows):
                    if lr != pr:
                        self.fail("%s: first different row:\n  SQLite:     %r\n  PostgreSQL: %r"
                                  % (table, dict(zip(keep, lr)), dict(zip(keep, pr))))
        # The identity sequences continue where SQLite's rowids would.
        for table in ("bodies", "users", "roles", "categories", "priorities", "templates",
                      "reports", "updates", "moderation"):
            with self.subTest(sequence=table):
                (lite_next,), = con.execute("SELECT coalesce (max (rowid), 0) + 1 FROM %s" % table)
                rows = self.pg.psql("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
                                    "FROM %s" % self.pg.psql(
                                        "SELECT pg_get_serial_sequence ('%s', 'id')" % table)[0][0])
                self.assertEqual(int(rows[0][0]), lite_next, table)
        con.close()

    def test_01_same_photos(self):
        """The demo photos went to --media, the same files for both stores."""
        names = sorted(os.listdir(self.lite_media))
        self.assertTrue(names, "no demo photos")
        self.assertEqual(sorted(os.listdir(self.pg_media)), names)
        for name in names:
            with open(os.path.join(self.lite_media, name), "rb") as a, \
                 open(os.path.join(self.pg_media, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    # -- lists -------------------------------------------------------------------

    def test_sorts(self):
        for sort in ("id", "created", "updated", "state", "priority", "category", "title", "ward"):
            for direction in ("", "-"):
                with self.subTest(sort=direction + sort):
                    rows = self.all_pages("/api/v1/reports", {"sort": direction + sort, "limit": PAGE})
                    self.assertEqual(len(rows), DEMO_RUNS[-1][0])
        with self.subTest(sort="default"):
            self.all_pages("/api/v1/reports", {})

    def test_filters(self):
        cats, prios = self.catalogue()
        groups = sorted({g for c in cats for g in (c.get("groups") or [])})
        wards = sorted({r["ward"] for r in self.both("/api/v1/reports", query={"limit": 1000}).body["reports"]})
        filters = [{"state": s} for s in ("open", "fixed", "closed", "unconfirmed", "hidden",
                                          "confirmed,investigating", "action_scheduled")]
        filters += [{"category": str(cats[0]["id"])},
                    {"category": ",".join(str(c["id"]) for c in cats[:5])},
                    {"priority": str(prios[0]["id"])}, {"priority": "none"},
                    {"priority": "%d,none" % prios[-1]["id"]},
                    {"created_from": "2025-06-01", "created_to": "2025-09-30"},
                    {"updated_from": "2025-12-01T00:00:00Z"},
                    {"updated_to": "2025-03-01T12:30:00Z"},
                    {"created_from": "2025-12-25", "created_to": "2025-12-25"},
                    {"state": "open", "category": str(cats[1]["id"]), "sort": "-created"},
                    {"state": "closed", "priority": "none", "sort": "title"}]
        filters += [{"group": g} for g in groups[:4]]
        filters += [{"ward": w} for w in wards[:3]] + [{"ward": "Nowhere"}]
        found = {}
        for f in filters:
            for sort in ("-updated", "id"):
                q = dict({"sort": sort, "limit": PAGE}, **f)
                with self.subTest(query=q):
                    found[json.dumps(f, sort_keys=True)] = len(self.all_pages("/api/v1/reports", q))
        # The filters select something (and not everything).
        for f in ({"state": "open"}, {"state": "fixed"}, {"priority": "none"},
                  {"category": str(cats[0]["id"])}, {"ward": wards[0]}, {"group": groups[0]},
                  {"created_from": "2025-06-01", "created_to": "2025-09-30"}):
            self.assertTrue(0 < found[json.dumps(f, sort_keys=True)] < DEMO_RUNS[-1][0], f)
        for role in ("Inspectors", "Internal maintenance"):
            with self.subTest(shortlist=role):
                self.all_pages("/api/v1/reports", {"shortlist": "mine", "limit": 20}, role=role)
                self.both("/api/v1/shortlist", role)

    def test_bbox(self):
        boxes = ["-1.2600,51.7480,-1.2450,51.7570",     # a few cells: the cell index
                 "-1.31,51.71,-1.18,51.79",             # the whole council
                 "-1.2700,51.7500,-1.2300,51.7700",
                 "-1.3,51.70,-1.29,51.701",              # empty
                 "-1.25,51.75,-1.25,51.75"]              # a point
        for box in boxes:
            for extra in ({}, {"state": "open"}, {"sort": "id"}, {"sort": "-created", "state": "fixed"},
                          {"priority": "none"}):
                q = dict({"bbox": box, "limit": PAGE}, **extra)
                with self.subTest(query=q):
                    rows = self.all_pages("/api/v1/reports", q)
                    if not extra and box == boxes[1]:
                        self.assertGreater(len(rows), DEMO_RUNS[-1][0] * 9 // 10, "the council")
                    if not extra and box == boxes[0]:
                        self.assertTrue(rows, "a box in the centre of Oxford")
        for bad in ("1,2,3", "-1.2,51.8,-1.3,51.7", "a,b,c,d", "-200,51,-1,52"):
            with self.subTest(bad_bbox=bad):
                self.both("/api/v1/reports", query={"bbox": bad})

    def test_text_search(self):
        queries = ["pothole", "Pothole", "POTHOLE deep", "street light", "lamp", "lamp post",
                   "fly tipping", "bins", "dog", "graffiti", "blocked drain", "near the school",
                   "cafe", "café", "CAFÉ", "Cowley Road", "road", "the", "a", "Oxford",
                   "12", "100", "1", "999999", "0042",
                   '"pothole"', "pothole OR lamp", "NEAR(pothole lamp)", "pot*", "pothole*",
                   "-pothole", "pothole -deep", "o'clock", "don't", "it's", "a-b", "x_y",
                   "%", "100%", "_", "\\", "pothole; DROP TABLE reports", "über straße",
                   "ÉCOLE", "naïve", "日本", "🙂 pothole", "  spaces   around  ", "tab\tword",
                   "***", "''", "&", "|", "!", ":", "pothole & lamp", "(pothole)", "pothole:*",
                   "x" * 200, "x" * 201]
        found = {}
        for q in queries:
            for extra in ({}, {"sort": "id"}, {"state": "open", "sort": "-created"}):
                query = dict({"q": q, "limit": PAGE}, **extra)
                with self.subTest(query=query):
                    rows = self.all_pages("/api/v1/reports", query, errors_too=True)
                    if not extra:
                        found[q] = rows
        for q in ("pothole", "Pothole", "street light", "lamp", "road", "12"):
            self.assertTrue(found[q], "nothing found for %r" % q)
        self.assertIsNone(found["x" * 201], "a query over 200 characters is refused")
        with self.subTest(query="bbox and q"):
            self.all_pages("/api/v1/reports", {"q": "road", "bbox": "-1.31,51.71,-1.18,51.79"})

    def test_bad_list_requests(self):
        for q in ({"sort": "colour"}, {"limit": "0"}, {"limit": "1001"}, {"cursor": "garbage"},
                  {"state": "nonsense"}, {"category": "1,x"}, {"created_from": "yesterday"},
                  {"colour": "red"}, {"shortlist": "theirs"}):
            with self.subTest(query=q):
                self.both("/api/v1/reports", query=q)
        # A cursor of one sort sent with another.
        r = self.both("/api/v1/reports", query={"sort": "id", "limit": 5})
        with self.subTest(query="foreign cursor"):
            self.both("/api/v1/reports", query={"sort": "title", "limit": 5,
                                                "cursor": r.body["next_cursor"]})

    # -- sync and details ----------------------------------------------------------

    def test_sync(self):
        rows, seq = self.sync_pages(0, 97)
        self.assertEqual(len(rows), DEMO_RUNS[-1][0])
        middle = rows[len(rows) // 2]["seq"]
        self.sync_pages(middle, 50)
        self.sync_pages(seq, 10)
        self.sync_pages(0, 5000)
        self.both("/api/v1/sync", query={"since": 0, "limit": 40, "count": 1})
        self.both("/api/v1/sync", query={"since": middle, "limit": 40, "count": 1})
        self.both("/api/v1/sync", "Inspectors", {"since": middle, "limit": 25, "offline": 1})
        for q in ({"since": -1}, {"limit": 0}, {"count": "maybe"}):
            self.both("/api/v1/sync", query=q)

    def test_details(self):
        rows, _ = self.sync_pages(0, 5000)
        picks = {}
        for rep in rows:
            for key, pred in (("photo", lambda r: r.get("photo")),
                              ("hidden", lambda r: r["state"] == "hidden"),
                              ("unconfirmed", lambda r: r["state"] == "unconfirmed"),
                              ("fixed", lambda r: r["state"] == "fixed"),
                              ("acknowledged", lambda r: r.get("acknowledged_by")),
                              ("shortlisted", lambda r: r.get("shortlist_position") is not None),
                              ("prioritised", lambda r: r.get("priority_id"))):
                if key not in picks and pred(rep):
                    picks[key] = rep["id"]
        ids = sorted(set(picks.values()) | {rows[0]["id"], rows[-1]["id"]}
                     | {r["id"] for r in rows[::97]})
        for report_id in ids:
            for role in ("Administrators", "Customer Services"):
                with self.subTest(report=report_id, role=role):
                    self.both("/api/v1/reports/%d" % report_id, role)
        # A demo photo, served from each store's media directory.
        photo = next(r["photo"] for r in rows if r.get("photo"))
        with self.subTest(photo=photo):
            self.assertEqual(self.both(photo).status, 200)
        for missing in ("0", "999999", "abc"):
            with self.subTest(report=missing):
                self.both("/api/v1/reports/" + missing)

    # -- catalogue, dashboard --------------------------------------------------------

    def test_catalogue(self):
        for path in ("/api/v1/categories", "/api/v1/priorities", "/api/v1/templates",
                     "/api/v1/body", "/api/v1/roles", "/api/v1/states", "/api/v1/permissions"):
            with self.subTest(path=path):
                self.both(path)
        cats, _ = self.catalogue()
        with self.subTest(path="templates by category"):
            self.both("/api/v1/templates", query={"category_id": cats[0]["id"]})

    def test_dashboard(self):
        paths = [("/api/v1/dashboard/summary", None),
                 ("/api/v1/dashboard/timeline", None),
                 ("/api/v1/dashboard/timeline", {"days": 366}),
                 ("/api/v1/dashboard/timeline", {"days": 7})]
        for by in ("category", "state", "ward", "priority"):
            paths.append(("/api/v1/dashboard/stats", {"by": by}))
            paths.append(("/api/v1/dashboard/stats", {"by": by, "from": "2025-03-01",
                                                       "to": "2025-10-31"}))
        paths.append(("/api/v1/dashboard/export.csv", None))
        paths.append(("/api/v1/dashboard/export.csv", {"from": "2025-11-01", "to": "2025-12-31"}))
        for path, query in paths:
            for role in ("Administrators", "Inspectors"):
                with self.subTest(path=path, query=query, role=role):
                    self.both(path, role, query, clock=True)

    # -- Open311 -------------------------------------------------------------------

    def test_open311(self):
        services = self.both("/open311/v2/services.json", None).body
        codes = [s["service_code"] for s in services]
        reads = [("services.xml", None), ("discovery.json", None), ("discovery.xml", None)]
        reads += [("services/%s.json" % c, None) for c in codes[:6]]
        reads += [("services/%s.xml" % c, None) for c in codes[:6]]
        for fmt in ("json", "xml"):
            for q in (None, {"status": "open"}, {"status": "closed"}, {"status": "open,closed"},
                      {"service_code": codes[0]}, {"service_code": ",".join(codes[:3])},
                      {"start_date": "2024-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
                      {"start_date": "2025-06-01T00:00:00Z", "page_size": 100, "page": 2},
                      {"start_date": "2024-01-01T00:00:00Z", "page_size": 1000, "page": 3},
                      {"jurisdiction_id": "oxford", "page_size": 10},
                      {"start_date": "yesterday"}, {"status": "lost"}, {"page_size": 1001}):
                reads.append(("requests." + fmt, q))
        listed = self.both("/open311/v2/requests.json", None,
                           {"start_date": "2024-01-01T00:00:00Z", "page_size": 1000}).body
        ids = [r["service_request_id"] for r in listed]
        for i in ids[::53] + ["1", "999999"]:
            reads.append(("requests/%s.json" % i, None))
            reads.append(("requests/%s.xml" % i, None))
        reads.append(("requests.json", {"service_request_id": ",".join(ids[:20])}))
        reads.append(("requests.xml", {"service_request_id": ",".join(ids[:20])}))
        for path, query in reads:
            with self.subTest(path=path, query=query):
                self.both("/open311/v2/" + path, None, query, clock=True)


if __name__ == "__main__":
    pgcluster.run_unittests()
