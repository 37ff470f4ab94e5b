# SPDX-License-Identifier: GPL-3.0-or-later
"""Test harness for the Kerbside API tests.

Starts the real kerbside-server (path in the environment variable
KERBSIDE_SERVER) on 127.0.0.1 with an ephemeral port and a temporary database,
talks HTTP to it with http.client, and stops it with SIGTERM, checking that it
exits cleanly. Only ever talks to 127.0.0.1.

The store is SQLite, or PostgreSQL with KERBSIDE_TEST_STORE=postgresql: then the
test process runs inside its own throwaway cluster (tests/pg/pgcluster.py run,
stopped and removed when the process ends, whatever happens), the demo is made
in SQLite as always and its rows copied into a PostgreSQL database
(tests/pg/copy_sqlite.py), and each server gets a fresh database made from that
one (CREATE DATABASE ... TEMPLATE). Where PostgreSQL cannot run, the process
exits 77 (SKIP) saying why.
"""

import glob
import http.client
import itertools
import json as jsonlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PGCLUSTER = os.path.join(HERE, "..", "pg", "pgcluster.py")
COPY_SQLITE = os.path.join(HERE, "..", "pg", "copy_sqlite.py")
SKIP = 77

# The store the servers of this process run on: "sqlite" or "postgresql".
STORE = os.environ.get("KERBSIDE_TEST_STORE") or "sqlite"
if STORE not in ("sqlite", "postgresql"):
    raise SystemExit("KERBSIDE_TEST_STORE must be sqlite or postgresql, not %r" % STORE)
PG = STORE == "postgresql"


def _enter_cluster():
    """On PostgreSQL, runs this very process again inside a throwaway cluster of
    its own (pgcluster.py run: stopped and removed at exit, whatever happens;
    exit 77 saying why when PostgreSQL cannot run)."""
    if not PG or os.environ.get("KS_PG_HOST"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, PGCLUSTER, "run", "--", sys.executable] + sys.argv)


_enter_cluster()


def skip_on_postgresql(reason):
    """Ends a suite that has no PostgreSQL counterpart with SKIP (exit 77), saying why."""
    if PG:
        print("SKIP: %s" % reason, flush=True)
        sys.exit(SKIP)


PASSWORD = "street-lamp-orange-42"
BCRYPT_COST = "4"
DEMO_REPORTS = 300
DEMO_SEED = 7

CUSTOMER_SERVICES = "customer.services@demo.invalid"
INSPECTOR = "inspector@demo.invalid"
MAINTENANCE = "maintenance@demo.invalid"
ADMIN = "admin@demo.invalid"

# Default role name -> demo account holding it.
ROLE_ACCOUNTS = {
    "Customer Services": CUSTOMER_SERVICES,
    "Inspectors": INSPECTOR,
    "Internal maintenance": MAINTENANCE,
    "Administrators": ADMIN,
}
ROLES = list(ROLE_ACCOUNTS)

# DESIGN.md section 1, the product's specification, in the table's order.
# Columns: Customer Services, Inspectors, Internal maintenance, Administrators.
PERMISSION_TABLE = [
    ("view_all_reports",        "YYYY"),
    ("view_report",             "YYYY"),
    ("acknowledge_report",      "YYYY"),
    ("update_report",           "NYYY"),
    ("create_report_on_behalf", "YYNY"),
    ("prioritise_report",       "NYYY"),
    ("moderate_report",         "YNNY"),
    ("hide_report",             "YNNY"),
    ("update_status",           "NYYY"),
    ("request_more_info",       "NYYY"),
    ("use_templates",           "NYYY"),
    ("edit_templates",          "NNNY"),
    ("shortlist",               "NYYY"),
    ("view_offline",            "NYYY"),
    ("manage_staff",            "NNNY"),
    ("edit_categories",         "NNNY"),
    ("view_dashboard",          "YYYY"),
    ("edit_priorities",         "NNNY"),
]
PERMISSIONS = [p for p, _ in PERMISSION_TABLE]


def role_permissions(role):
    """The permission ids of a default role, in the table's order."""
    col = ROLES.index(role)
    return [p for p, row in PERMISSION_TABLE if row[col] == "Y"]


def server_binary():
    path = os.environ.get("KERBSIDE_SERVER")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "build", "src", "server", "kerbside-server")
    if not os.access(path, os.X_OK):
        raise RuntimeError("kerbside-server not found: set KERBSIDE_SERVER to the built binary "
                           "(meson test does this)")
    return path


def make_demo_db(path, reports=DEMO_REPORTS, seed=DEMO_SEED):
    """Creates a demo database with `kerbside-server demo`."""
    cmd = [server_binary(), "demo", "--db", path, "--reports", str(reports),
           "--seed", str(seed), "--bcrypt-cost", BCRYPT_COST]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         timeout=300)
    if res.returncode != 0:
        raise RuntimeError("kerbside-server demo failed (exit %d):\n%s"
                           % (res.returncode, res.stdout.decode(errors="replace")))
    return path


# -- PostgreSQL ---------------------------------------------------------------------

_pg_names = itertools.count(1)
_pg_templates = {}


def pg_uri(dbname):
    """The libpq URI of a database of this process's cluster."""
    return "postgresql://postgres@/%s?host=%s" % (dbname, urllib.parse.quote(os.environ["KS_PG_HOST"], safe=""))


def pg_new_name(prefix):
    return "%s_%d_%d" % (prefix, os.getpid(), next(_pg_names))


def _psql(uri, sql):
    psql = os.path.join(os.environ.get("KS_PG_BINDIR", ""), "psql")
    if not os.access(psql, os.X_OK):
        psql = "psql"
    res = subprocess.run([psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri,
                          "-c", sql], capture_output=True, text=True, timeout=300,
                         stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError("psql failed on %s: %s" % (sql[:300], res.stderr.strip()))
    return res.stdout


def pg_create_db(name, template=None):
    """Creates a database in the cluster (empty, or a copy of template); returns its URI."""
    _psql(pg_uri("postgres"), 'CREATE DATABASE "%s"%s' % (name, ' TEMPLATE "%s"' % template if template else ""))
    return pg_uri(name)


def upgrade_db(db):
    """kerbside-server upgrade: brings the schema of db (file or URI) up to date."""
    res = subprocess.run([server_binary(), "upgrade", "--db", db], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300)
    out = res.stdout.decode(errors="replace")
    if res.returncode != 0 and "built without PostgreSQL" in out:
        print("SKIP: " + out.strip(), flush=True)
        sys.exit(SKIP)
    if res.returncode != 0:
        raise RuntimeError("kerbside-server upgrade failed (exit %d):\n%s" % (res.returncode, out))


def pg_load_sqlite(path, prefix="kerbside"):
    """A fresh PostgreSQL database with the server's schema and the rows of the
    SQLite database at path; returns its URI."""
    uri = pg_create_db(pg_new_name(prefix))
    upgrade_db(uri)
    res = subprocess.run([sys.executable, COPY_SQLITE, path, uri], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=600)
    if res.returncode != 0:
        raise RuntimeError("copy_sqlite.py failed (exit %d):\n%s"
                           % (res.returncode, res.stdout.decode(errors="replace")))
    return uri


def pg_template(sqlite_path):
    """The name of the PostgreSQL database holding the rows of a pristine SQLite
    demo (made once per process; never served, only copied)."""
    if sqlite_path not in _pg_templates:
        uri = pg_load_sqlite(sqlite_path, "demo")
        _pg_templates[sqlite_path] = urllib.parse.urlsplit(uri).path.lstrip("/")
    return _pg_templates[sqlite_path]


def _pg_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (bytes, bytearray)):
        return "'\\x%s'::bytea" % bytes(value).hex()
    return "'%s'" % str(value).replace("'", "''")


def _pg_inline(query, params):
    """query with each ? (outside quotes) replaced by the literal of its parameter."""
    out, i, args = [], 0, list(params)
    quote = None
    for ch in query:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            if i >= len(args):
                raise ValueError("more ? than parameters in %r" % query)
            out.append(_pg_literal(args[i]))
            i += 1
        else:
            out.append(ch)
    if i != len(args):
        raise ValueError("%d parameters for %d ? in %r" % (len(args), i, query))
    return "".join(out)


class _Pairs(list):
    pass


def _plain(v):
    if isinstance(v, _Pairs):
        return {k: _plain(x) for k, x in v}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def pg_sql(uri, query, params=()):
    """Runs one statement on a PostgreSQL database; returns its rows as tuples of
    Python values (as sqlite3 would: int, float, str, None; booleans as bool)."""
    text = _pg_inline(query, params).strip().rstrip(";")
    head = text.split(None, 1)[0].upper() if text else ""
    if head in ("SELECT", "WITH", "VALUES", "TABLE") or " RETURNING " in text.upper().replace("\n", " "):
        out = _psql(uri, "WITH q AS (%s) SELECT json_agg(q) FROM q" % text).strip()
        if not out:
            return []
        rows = jsonlib.loads(out, object_pairs_hook=_Pairs)
        return [tuple(_plain(v) for _, v in row) for row in rows]
    _psql(uri, text)
    return []


def db_sql(db, query, params=()):
    """Runs one statement on a test database (a SQLite file, or a PostgreSQL URI)
    and commits it; returns the rows. Write the SQL both engines understand, with
    ? for parameters."""
    if db.startswith("postgresql://"):
        return pg_sql(db, query, params)
    con = sqlite3.connect(db, timeout=30)
    try:
        cur = con.execute(query, params)
        rows = cur.fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def copy_db(src, dst):
    """Copies a database that no server has open (with its WAL, if any, and its
    media directory of photos)."""
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)
    if os.path.isdir(src + ".media"):
        shutil.copytree(src + ".media", dst + ".media", dirs_exist_ok=True)
    return dst


def outbox_files(directory, pattern="*.eml"):
    """The mail files in an outbox directory, leaving out the emails to residents
    about their reports (resident-ID.eml): the server writes those by itself a
    little after a change (tests/api/test_resident_emails.py tests them)."""
    return sorted(p for p in glob.glob(os.path.join(directory, pattern))
                  if not os.path.basename(p).startswith("resident-"))


def unwrap(data, key):
    """An answer may wrap its object ({"report": {...}}); returns the object."""
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return data[key]
    return data


def items(data, key):
    """The list of an answer: data[key] when data is an object, else data itself."""
    if isinstance(data, dict):
        value = data.get(key)
        if not isinstance(value, list):
            raise AssertionError("answer has no list %r: %r" % (key, str(data)[:300]))
        return value
    if isinstance(data, list):
        return data
    raise AssertionError("answer is not a list or object: %r" % (str(data)[:300],))


class Response:
    """One HTTP answer: status, headers (case-insensitive), parsed body."""

    def __init__(self, status, headers, body, raw):
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:400])


class Server:
    """A kerbside-server process on 127.0.0.1 over a database file."""

    def __init__(self, db, workdir, args=(), test_clock=False, media=None, outbox=None):
        self.db = db
        self.workdir = workdir
        # The photos: beside a SQLite file (its default), or a directory given.
        if media is None:
            media = (os.path.join(workdir, "media") if db.startswith("postgresql://")
                     else db + ".media")
        self.media = media
        self.args = list(args)
        # With test_clock, the server's "now" is the real time plus
        # clock_offset (serve --test-clock): move_clock() instead of sleeping.
        self.clock_file = os.path.join(workdir, "clock") if test_clock else None
        self.clock_offset = 0.0
        self.outbox = outbox or os.path.join(workdir, "outbox")
        self.port_file = os.path.join(workdir, "port")
        self.log_path = os.path.join(workdir, "server.log")
        self.proc = None
        self.port = None
        self.log = None

    # -- process --------------------------------------------------------------

    def start(self, timeout=30):
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        os.makedirs(self.outbox, exist_ok=True)
        cmd = [server_binary(), "serve", "--db", self.db, "--listen", "127.0.0.1:0",
               "--port-file", self.port_file, "--outbox", self.outbox,
               "--media", self.media, "--bcrypt-cost", BCRYPT_COST] + self.args
        if self.clock_file:
            self._write_clock()
            cmd += ["--test-clock", self.clock_file]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError("kerbside-server exited with %d before listening:\n%s"
                                   % (self.proc.returncode, self.log_tail()))
            try:
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return self
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("kerbside-server did not write its port file in %d s:\n%s"
                           % (timeout, self.log_tail()))

    def stop(self, timeout=30):
        """Stops the server with SIGTERM; returns its exit status."""
        if self.proc is None:
            return 0
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            rc = "killed after %d s without stopping" % timeout
        if self.log:
            self.log.close()
            self.log = None
        if rc != 0:
            raise AssertionError("kerbside-server did not exit cleanly on SIGTERM (%s):\n%s"
                                 % (rc, self.log_tail()))
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        if self.log:
            self.log.close()
            self.log = None

    def restart(self):
        self.stop()
        return self.start()

    # -- the test clock -------------------------------------------------------

    def move_clock(self, seconds):
        """Moves the server's clock forward by seconds (the next request sees it)."""
        assert self.clock_file, "the server runs without a test clock (test_clock=True)"
        self.clock_offset += seconds
        self._write_clock()

    def now(self):
        """The server's "now", in Unix seconds (with its test clock)."""
        return time.time() + self.clock_offset

    def _write_clock(self):
        new = self.clock_file + ".new"
        with open(new, "w") as f:
            f.write(repr(self.clock_offset))
        os.chmod(new, 0o600)
        os.replace(new, self.clock_file)

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"

    # -- HTTP -----------------------------------------------------------------

    def req(self, method, path, token=None, json=None, headers=None, body=None,
            query=None, source=None):
        """Sends one request; returns a Response (status, headers, body).

        path is sent as it is (so path tricks reach the server untouched);
        query, if given, is a dict encoded and appended. json is encoded as
        the body; body gives raw bytes instead. source, if given, is the
        loopback address to connect from (such as "127.0.0.2"), as another
        client would."""
        assert self.port, "the server is not running"
        if query:
            path = path + ("&" if "?" in path else "?") + urllib.parse.urlencode(query)
        hdrs = {"Accept": "application/json"}
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if json is not None:
            body = jsonlib.dumps(json).encode()
        if body is not None:
            if isinstance(body, str):
                body = body.encode()
            hdrs["Content-Type"] = "application/json"
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            rheaders = resp.headers
            status = resp.status
        finally:
            conn.close()
        text = raw.decode("utf-8", errors="replace")
        parsed = text
        ctype = rheaders.get("Content-Type", "") or ""
        if raw and "json" in ctype:
            parsed = jsonlib.loads(text)
        elif not raw:
            parsed = None
        return Response(status, rheaders, parsed, text)

    def login(self, email, password=PASSWORD):
        r = self.req("POST", "/api/v1/auth/login", json={"email": email, "password": password})
        if r.status != 200:
            raise AssertionError("sign-in as %s failed: %r" % (email, r))
        return r.body["token"]

    # -- direct database access (test set-up and checks only) ------------------

    def sql(self, query, params=()):
        """Runs SQL on the server's database, SQLite or PostgreSQL (the server
        may be running). SQL both engines understand, ? for parameters."""
        return db_sql(self.db, query, params)

    def tables(self):
        """The names of the database's tables."""
        if self.db.startswith("postgresql://"):
            q = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                 "AND table_type = 'BASE TABLE' ORDER BY 1")
        else:
            q = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                 "AND upper(coalesce(sql, '')) NOT LIKE 'CREATE VIRTUAL%' ORDER BY 1")
        return [t for (t,) in self.sql(q)]

    def integrity_problems(self, timeout=20):
        """After the server was killed: what is wrong with its database ([] when
        nothing). SQLite: the file's integrity and foreign keys. PostgreSQL
        checks both by itself; what a killed instance could leave behind is its
        write lock (an advisory lock) held by a session that never ends."""
        if not self.db.startswith("postgresql://"):
            problems = [r for r in self.sql("PRAGMA integrity_check") if r != ("ok",)]
            return problems + self.sql("PRAGMA foreign_key_check")
        deadline = time.monotonic() + timeout
        while True:
            held = self.sql("SELECT l.pid, a.state, a.query FROM pg_locks l "
                            "JOIN pg_stat_activity a ON a.pid = l.pid "
                            "WHERE l.locktype = 'advisory' AND l.granted")
            if not held or time.monotonic() > deadline:
                return held
            time.sleep(0.1)


_demo_cache = {}


class ServerTestCase(unittest.TestCase):
    """Base class: one demo database and one server per test module (class).

    Subclasses may set server_args (extra `serve` options) and test_clock (the
    server runs with a test clock: self.server.move_clock(seconds))."""

    server_args = []
    test_clock = False
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kerbside-test-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.pristine = cls.demo_db()
        cls.server = cls.new_server("main", cls.server_args)
        cls._tokens = {}

    @classmethod
    def demo_db(cls):
        """The module's pristine demo database (made once, never served)."""
        key = (DEMO_REPORTS, DEMO_SEED)
        given = os.environ.get("KERBSIDE_TEST_DB")
        if given:
            # A database made beforehand (copied, never changed).
            return given
        if key not in _demo_cache:
            d = tempfile.mkdtemp(prefix="kerbside-demo-")
            import atexit
            atexit.register(shutil.rmtree, d, True)
            _demo_cache[key] = make_demo_db(os.path.join(d, "demo.db"))
        return _demo_cache[key]

    @classmethod
    def prepare_db(cls, path):
        """Hook: change a fresh copy of the demo database before it is served.
        path is always a SQLite file (its photos in path + ".media"): on
        PostgreSQL its rows are then copied into the server's database."""

    @classmethod
    def new_server(cls, name, args=(), start=True):
        """A server over a fresh copy of the demo database, stopped at class end."""
        workdir = os.path.join(cls.tmp, name)
        os.makedirs(workdir)
        db = copy_db(cls.pristine, os.path.join(workdir, "kerbside.db"))
        media = db + ".media"
        cls.prepare_db(db)
        if PG:
            if cls.prepare_db.__func__ is ServerTestCase.prepare_db.__func__:
                db = pg_create_db(pg_new_name(name), template=pg_template(cls.pristine))
            else:
                db = pg_load_sqlite(db, name)
        server = Server(db, workdir, args, test_clock=cls.test_clock, media=media)
        cls.addClassCleanup(server.kill)
        if start:
            server.start()
        return server

    @classmethod
    def token(cls, who):
        """A cached token for a demo account (email or default role name)."""
        email = ROLE_ACCOUNTS.get(who, who)
        if email not in cls._tokens:
            cls._tokens[email] = cls.server.login(email)
        return cls._tokens[email]

    @classmethod
    def admin_made(cls, path, key, body):
        """POSTs body to path as the council's administrator; asserts 201 and
        returns the object made (the answer's key)."""
        r = cls.server.req("POST", path, token=cls.token(ADMIN), json=body)
        assert r.status == 201, r
        return unwrap(r.body, key)

    @classmethod
    def tearDownClass(cls):
        # Stop the main server here so that an unclean exit fails the module.
        cls.server.stop()

    # -- helpers --------------------------------------------------------------

    def req(self, *args, **kwargs):
        return self.server.req(*args, **kwargs)

    def ok(self, r, *statuses):
        """Asserts a 2xx answer (or one of statuses) and returns the body."""
        if statuses:
            self.assertIn(r.status, statuses, r)
        else:
            self.assertTrue(200 <= r.status < 300, r)
        return r.body

    def assertError(self, r, status, code=None):
        """Asserts an error answer with the documented shape."""
        self.assertEqual(r.status, status, r)
        self.assertIsInstance(r.body, dict, r)
        self.assertIn("error", r.body, r)
        err = r.body["error"]
        self.assertIsInstance(err.get("code"), str, r)
        self.assertIsInstance(err.get("message"), str, r)
        self.assertTrue(err["message"].strip(), r)
        if code is not None:
            self.assertEqual(err["code"], code, r)
        return err

    def me(self, token):
        return self.ok(self.req("GET", "/api/v1/me", token=token))

    def detail(self, token, report_id):
        r = self.req("GET", "/api/v1/reports/%d" % report_id, token=token)
        return unwrap(self.ok(r, 200), "report")

    def list_page(self, token, **params):
        r = self.req("GET", "/api/v1/reports", token=token, query=params)
        body = self.ok(r, 200)
        return items(body, "reports"), body.get("next_cursor")

    def list_all(self, token, **params):
        """Walks every page of GET /api/v1/reports; returns the rows in order."""
        rows, seen_cursors = [], set()
        params = dict(params)
        while True:
            page, cursor = self.list_page(token, **params)
            rows.extend(page)
            if cursor is None:
                return rows
            self.assertNotIn(cursor, seen_cursors, "a cursor came back twice")
            seen_cursors.add(cursor)
            self.assertTrue(page, "an empty page has a next_cursor")
            params["cursor"] = cursor

    def sync_all(self, token, since=0, limit=None, **params):
        """Pages through GET /api/v1/sync; returns (reports, tombstones, seq)."""
        reports, tombstones = [], []
        seq = since
        for _ in range(10000):
            q = dict(params, since=seq)
            if limit:
                q["limit"] = limit
            r = self.req("GET", "/api/v1/sync", token=token, query=q)
            body = self.ok(r, 200)
            self.assertIn("tombstones", body)
            self.assertIn("seq", body)
            self.assertIn("more", body)
            reports.extend(items(body, "reports"))
            tombstones.extend(body["tombstones"])
            self.assertGreaterEqual(body["seq"], seq)
            seq = body["seq"]
            if not body["more"]:
                return reports, tombstones, seq
        self.fail("sync did not end")

    def current_seq(self, token=None):
        """The sync position now."""
        _, _, seq = self.sync_all(token or self.token("Administrators"))
        return seq

    @classmethod
    def _load_pool(cls):
        if getattr(cls, "_pool", None) is None:
            s = cls.server
            tok = cls.token("Administrators")
            pool, seq = [], 0
            while True:
                r = s.req("GET", "/api/v1/sync", token=tok,
                          query={"since": seq, "offline": 1, "limit": 1000})
                if r.status != 200:
                    raise AssertionError("sync for the report pool failed: %r" % (r,))
                pool.extend(items(r.body, "reports"))
                seq = r.body["seq"]
                if not r.body["more"]:
                    break
            cls._pool = pool
            cls._claimed = set()
        return cls._pool

    def claim_report(self, pred=None):
        """A demo report (as sync showed it at first) that no other test of
        this class has claimed, for which pred(report) holds."""
        for rep in self._load_pool():
            if rep["id"] in self._claimed:
                continue
            if pred is None or pred(rep):
                self._claimed.add(rep["id"])
                return rep
        self.fail("no unclaimed demo report fits this test")

    def in_public_category(self, rep):
        """Whether rep's category is public: Open311 shows only the reports of
        those (which demo reports fall in the private one moves with the date
        the demo is made)."""
        cls = type(self)
        if getattr(cls, "_private_categories", None) is None:
            cls._private_categories = {c["id"] for c in self.categories(self.token("Administrators"))
                                       if c.get("private")}
        return rep["category_id"] not in cls._private_categories

    def claim_public_report(self, pred=None):
        """As claim_report(), among the reports of public categories."""
        return self.claim_report(lambda r: self.in_public_category(r) and (pred is None or pred(r)))

    def hidden_report(self):
        """The id of a hidden report: the demo's first, or, when the demo hides
        none (how many it hides depends on the hour it is made), a fixed report
        no other test claimed, hidden by customer services through the API."""
        rows = self.server.sql("SELECT id FROM reports WHERE state = 'hidden' ORDER BY id")
        sys.stderr.write("hidden reports in the served database: %d\n" % len(rows))
        if rows:
            return rows[0][0]
        rid = self.claim_report(lambda r: r["state"] == "fixed")["id"]
        tok = self.token(CUSTOMER_SERVICES)
        version = self.detail(tok, rid)["version"]
        body = self.ok(self.req("POST", "/api/v1/reports/%d/hide" % rid, token=tok,
                                json={"reason": "Personal details in the text.",
                                      "version": version}), 200)
        self.assertEqual(body["report"]["state"], "hidden")
        return rid

    def categories(self, token):
        return items(self.ok(self.req("GET", "/api/v1/categories", token=token), 200),
                     "categories")

    def active_category(self, token):
        for c in self.categories(token):
            if c.get("active") and not c.get("private"):
                return c
        self.fail("the demo council has no active public category")
