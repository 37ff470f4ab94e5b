# SPDX-License-Identifier: GPL-3.0-or-later
"""What the server benchmarks share: starting the real server on 127.0.0.1 and
the cached demo database."""
import os
import subprocess
import sys
import tempfile
import time


def log(*a):
    print(*a, flush=True)


def start_server(exe, db, extra=(), log_path=None, debug_domains=None):
    """Starts `exe serve` on a free port of 127.0.0.1: (process, port). Its
    output goes to log_path when given (with G_MESSAGES_DEBUG=debug_domains:
    GLib writes debug lines on stdout)."""
    port_file = tempfile.mktemp(prefix="ks-bench-port-")
    env = dict(os.environ)
    if debug_domains:
        env["G_MESSAGES_DEBUG"] = debug_domains
    err = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen([exe, "serve", "--db", db, "--listen", "127.0.0.1:0",
                             "--port-file", port_file, *extra],
                            stdout=err, stderr=err, env=env)
    if log_path:
        err.close()
    for _ in range(600):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            port = int(open(port_file).read())
            os.unlink(port_file)
            return proc, port
        time.sleep(0.05)
    proc.kill()
    sys.exit("the server did not start")


def demo_db(exe, data_dir, reports, bcrypt_cost):
    """The path of a demo database of this many reports in data_dir, made once."""
    os.makedirs(data_dir, exist_ok=True)
    db = os.path.join(data_dir, "demo-%d-cost%d.db" % (reports, bcrypt_cost))
    if not os.path.exists(db):
        log(f"creating a demo database of {reports} reports (once) ...")
        t0 = time.perf_counter()
        subprocess.run([exe, "demo", "--db", db + ".tmp", "--reports", str(reports),
                        "--bcrypt-cost", str(bcrypt_cost)], check=True)
        # The database, its journal and the folders the server keeps beside it.
        for suffix in ("", "-wal", "-shm", ".media", ".outbox"):
            if os.path.exists(db + ".tmp" + suffix):
                os.rename(db + ".tmp" + suffix, db + suffix)
        took = time.perf_counter() - t0
        with open(db + ".demo-seconds", "w") as f:
            f.write("%.1f\n" % took)
        log(f"  created in {took:.1f} s")
    return db


def demo_seconds(db):
    """How long making the demo database took (None when not recorded)."""
    try:
        with open(db + ".demo-seconds") as f:
            return float(f.read())
    except (OSError, ValueError):
        return None
