# SPDX-License-Identifier: GPL-3.0-or-later
"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory,
a Unix socket in that directory and no TCP, stopped and removed at the end.

PostgreSQL refuses to run as root: when the tests run as root, the cluster runs as
the unprivileged `postgres` user (the directory is handed to it). As a module:

    with pgcluster.Cluster() as pg:       # pgcluster.Missing when it cannot run
        subprocess.run([..., "--db", pg.uri])

As a program (the C tests are run through it, so that the cluster is stopped and
removed whatever happens to the test):

    pgcluster.py run -- COMMAND ARGS...   # KS_PG_URI, KS_PG_HOST, KS_PG_DATA set
    pgcluster.py stop | start             # inside `run`: for restart tests
    pgcluster.py skip REASON              # exit 77 (meson: SKIP), saying why
"""

import glob
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

SKIP = 77
DATABASE = "kerbside"


class Missing(Exception):
    """PostgreSQL cannot run here (the reason says what to install)."""


def find_bindir():
    """The directory of initdb and pg_ctl, or raises Missing."""
    candidates = []
    if os.environ.get("KS_PG_BINDIR"):
        candidates.append(os.environ["KS_PG_BINDIR"])
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                 timeout=30)
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
                         reverse=True)
    for d in candidates:
        if d and all(os.access(os.path.join(d, p), os.X_OK) for p in ("initdb", "pg_ctl", "postgres")):
            return d
    raise Missing("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                  "install postgresql-15 (tools/install-deps), or set KS_PG_BINDIR")


def _run_as_owner():
    """The user the cluster runs as: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        import pwd
        return pwd.getpwnam("postgres")
    except KeyError:
        raise Missing("the tests run as root and there is no unprivileged `postgres` "
                      "user to run PostgreSQL as (install postgresql-15)")


class Cluster:
    """One cluster in its own temporary directory."""

    def __init__(self, settings=None):
        """settings: server settings over the tests' (fsync off; the benchmark
        turns it on, as a deployment has it)."""
        self.settings = {"fsync": "off", "max_connections": "60"}
        self.settings.update(settings or {})
        self.bindir = find_bindir()
        self.owner = _run_as_owner()
        self.dir = None
        self.log = None
        self.running = False

    # -- paths ----------------------------------------------------------------

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    @property
    def uri(self):
        """libpq URI of the test database (socket in the cluster's directory)."""
        return "postgresql://postgres@/%s?host=%s" % (DATABASE, urllib.parse.quote(self.dir, safe=""))

    # -- running programs as the cluster's owner -------------------------------

    def _cmd(self, program, *args):
        argv = [os.path.join(self.bindir, program), *args]
        if self.owner is None:
            return argv
        return ["su", self.owner.pw_name, "-s", "/bin/sh", "-c", shlex.join(argv)]

    def run(self, program, *args, check=True, timeout=120, input=None):
        """Runs a PostgreSQL program as the cluster's owner; input (text) goes to
        its standard input: a file the owner may not read (a checkout under a
        home directory only root enters) is passed that way."""
        res = subprocess.run(self._cmd(program, *args), capture_output=True, text=True,
                             timeout=timeout, input=input,
                             stdin=subprocess.DEVNULL if input is None else None)
        if check and res.returncode != 0:
            raise RuntimeError("%s failed (exit %d):\n%s%s%s" % (
                program, res.returncode, res.stdout, res.stderr, self.log_tail()))
        return res

    def log_tail(self, n=30):
        try:
            with open(self.log, errors="replace") as f:
                return "\n-- server log --\n" + "\n".join(f.read().splitlines()[-n:])
        except (OSError, TypeError):
            return ""

    # -- life -----------------------------------------------------------------

    def create(self):
        """initdb, start, and create the test database."""
        self.dir = tempfile.mkdtemp(prefix="kerbside-pg-")
        self.log = os.path.join(self.dir, "server.log")
        if self.owner is not None:
            os.chown(self.dir, self.owner.pw_uid, self.owner.pw_gid)
        os.chmod(self.dir, 0o700)
        try:
            self.run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            self.start()
            self.run("createdb", "-h", self.dir, "-U", "postgres", DATABASE)
        except BaseException:
            self.destroy()
            raise
        return self

    def start(self):
        # No TCP at all (listen_addresses empty); the socket lives in our directory.
        # fsync off: a test cluster needs no durability across power cuts, and
        # this machine's disk is shared with many tests.
        opts = "-k %s -c listen_addresses=''" % self.dir
        opts += "".join(" -c %s=%s" % kv for kv in sorted(self.settings.items()))
        self.run("pg_ctl", "-D", self.data, "-l", self.log, "-o", opts, "-w", "-t", "60",
                 "start")
        self.running = True

    def stop(self):
        """Stops the server (fast: open sessions are ended); no-op when stopped."""
        if self.dir is None or not os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.running = False
            return
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop", check=False)
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            # Still up after a fast stop: end it without waiting for anything.
            self.run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", "30", "stop",
                     check=False)
        self.running = False

    def destroy(self):
        """Stops the server and removes the directory."""
        if self.dir is None:
            return
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def psql(self, sql):
        """Runs SQL in the test database; returns the rows as lists of strings."""
        res = self.run("psql", "-h", self.dir, "-U", "postgres", "-d", DATABASE,
                       "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql)
        return [line.split("\t") for line in res.stdout.splitlines() if line]

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc):
        self.destroy()
        return False


# -- command line ---------------------------------------------------------------

class _Terminated(Exception):
    pass



def run_unittests():
    """The __main__ of a PostgreSQL test script: SKIP (exit 77, said aloud) when
    this machine has no PostgreSQL server binaries, else run its unittest cases."""
    import unittest
    try:
        Cluster()
    except Missing as e:
        print("SKIP: %s" % e)
        sys.exit(SKIP)
    unittest.main(module="__main__", verbosity=2)

def _on_signal(signum, frame):
    raise _Terminated("signal %d" % signum)


def _env_cluster():
    """The cluster of an enclosing `run` (for stop/start)."""
    c = Cluster()
    c.dir = os.environ.get("KS_PG_HOST")
    if not c.dir:
        raise SystemExit("pgcluster.py stop/start: only inside `pgcluster.py run`")
    c.log = os.path.join(c.dir, "server.log")
    return c


def main(argv):
    if len(argv) >= 1 and argv[0] == "skip":
        print("SKIP: " + " ".join(argv[1:]), flush=True)
        return SKIP
    if len(argv) == 1 and argv[0] in ("stop", "start"):
        c = _env_cluster()
        c.stop() if argv[0] == "stop" else c.start()
        return 0
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    try:
        cluster = Cluster()
    except Missing as e:
        print("SKIP: " + str(e), flush=True)
        return SKIP
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    child = None
    try:
        cluster.create()
        env = dict(os.environ, KS_PG_URI=cluster.uri, KS_PG_HOST=cluster.dir,
                   KS_PG_DATA=cluster.data, KS_PG_BINDIR=cluster.bindir,
                   KS_PG_HELPER=os.path.abspath(__file__))
        started = time.monotonic()
        # A process group of its own: whatever the test started goes with it.
        child = subprocess.Popen(argv[2:], env=env, start_new_session=True)
        rc = child.wait()
        if rc != 0 and rc != SKIP:
            print("pgcluster: the test exited with %d after %.1f s%s"
                  % (rc, time.monotonic() - started, cluster.log_tail()), file=sys.stderr)
        return rc
    except _Terminated as e:
        print("pgcluster: stopped by %s; removing the cluster" % e, file=sys.stderr)
        return 1
    finally:
        if child is not None:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            child.wait()
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
