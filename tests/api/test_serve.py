#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""kerbside-server serve: HTTPS with a certificate, plain HTTP only on loopback,
clean shutdown that finishes requests in flight, and the command line's errors."""

import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

import kerbside
from kerbside import ServerTestCase, INSPECTOR, PASSWORD


def cpu_seconds(pid):
    """The CPU time (user and system) a process has used, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class ServeTest(ServerTestCase):

    def test_https(self):
        if not shutil.which("openssl"):
            self.skipTest("openssl is not installed")
        cert, key = make_certificate(self.tmp)
        server = self.new_server("tls", ["--tls-cert", cert, "--tls-key", key])
        ctx = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=30)
        conn.request("POST", "/api/v1/auth/login",
                     body=json.dumps({"email": INSPECTOR, "password": PASSWORD}),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        body = json.loads(r.read())
        self.assertEqual(r.status, 200)
        self.assertIn("token", body)
        conn.close()
        # plain HTTP to the TLS port does not get an answer with data
        plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        with self.assertRaises(Exception):
            plain.request("GET", "/api/v1/health")
            resp = plain.getresponse()
            if resp.status == 200:
                raise AssertionError("plain HTTP was served on the HTTPS port")
            raise ConnectionError(resp.status)
        server.stop()

    def run_server(self, *args, timeout=30):
        return subprocess.run([kerbside.server_binary(), *args], capture_output=True,
                              text=True, timeout=timeout)

    def test_plain_http_only_on_loopback(self):
        db = os.path.join(self.tmp, "refuse.db")
        r = self.run_server("serve", "--db", db, "--listen", "0.0.0.0:0")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("loopback", r.stderr)
        r = self.run_server("serve", "--db", db, "--listen", "not-an-address")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ADDRESS:PORT", r.stderr)
        r = self.run_server("serve", "--db", db, "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem")
        self.assertNotEqual(r.returncode, 0)
        r = self.run_server("serve")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--db", r.stderr)
        r = self.run_server("frobnicate")
        self.assertEqual(r.returncode, 2)
        r = self.run_server("demo", "--db", db, "--reports", "-5")
        self.assertEqual(r.returncode, 2)

    def test_sigterm_finishes_requests_in_flight(self):
        # A sign-in at a high bcrypt cost takes a while; SIGTERM arrives meanwhile.
        server = self.new_server("shutdown", ["--bcrypt-cost", "4"])
        # make the inspector's hash expensive, so the sign-in is slow
        import crypt
        slow = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2 ** 13))
        server.sql("UPDATE users SET password_hash = ? WHERE email = ?", (slow, INSPECTOR))
        result = {}

        def sign_in():
            try:
                result["r"] = server.req("POST", "/api/v1/auth/login",
                                         json={"email": INSPECTOR, "password": PASSWORD})
            except Exception as e:  # noqa: BLE001
                result["e"] = e

        proc = server.proc
        # The server idle first (its start-up work, housekeeping at start,
        # done), so that the CPU time counted next is the sign-in's.
        deadline = time.monotonic() + 60
        before = cpu_seconds(proc.pid)
        while True:
            time.sleep(0.1)
            now = cpu_seconds(proc.pid)
            if now - before < 0.005:
                break
            self.assertLess(time.monotonic(), deadline, "the server never went idle")
            before = now
        t = threading.Thread(target=sign_in)
        t.start()
        # SIGTERM once the sign-in is being checked (the server's CPU time
        # grows by a tenth of a second: the hash), not after a guessed pause: a
        # request the server has not read yet when it stops is not in flight.
        deadline = time.monotonic() + 60
        while cpu_seconds(proc.pid) - before < 0.1:
            self.assertLess(time.monotonic(), deadline, "the sign-in never reached the server")
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        t.join(timeout=60)
        self.assertNotIn("e", result)
        self.assertEqual(result["r"].status, 200, result["r"])
        self.assertIn("token", result["r"].body)
        self.assertEqual(proc.wait(timeout=30), 0)
        server.proc = None
        if server.log:
            server.log.close()
            server.log = None
        # and the session it made was committed: a restart accepts the token
        server.start()
        self.assertEqual(server.req("GET", "/api/v1/me", token=result["r"].body["token"]).status, 200)
        server.stop()

    def test_housekeeping_at_start(self):
        server = self.new_server("housekeeping", start=False)
        old = int(time.time()) - 8 * 24 * 3600
        server.sql("INSERT INTO idempotency (user_id, key, method, path, status, response, created) "
                   "VALUES (1, 'old-key', 'POST', '/x', 200, '{}', ?), "
                   "(1, 'new-key', 'POST', '/x', 200, '{}', ?)", (old, int(time.time())))
        server.start()
        deadline = time.time() + 10
        while time.time() < deadline:
            keys = [k for (k,) in server.sql("SELECT key FROM idempotency WHERE user_id = 1")]
            if "old-key" not in keys:
                break
            time.sleep(0.1)
        self.assertEqual(keys, ["new-key"])
        server.stop()

    def test_housekeeping_removes_old_unreferenced_photos(self):
        server = self.new_server("media-housekeeping", start=False)
        media = server.media
        os.makedirs(media, exist_ok=True)
        png = bytes.fromhex("89504e470d0a1a0a")
        old = time.time() - 2 * 24 * 3600
        orphan = os.path.join(media, "0" * 32 + ".png")
        young = os.path.join(media, "1" * 32 + ".png")
        for path in (orphan, young):
            with open(path, "wb") as f:
                f.write(png)
        os.utime(orphan, (old, old))
        used = [r for (r,) in server.sql("SELECT DISTINCT photo FROM reports WHERE photo LIKE '/api/v1/media/%' LIMIT 1")]
        self.assertTrue(used, "the demo has photos")
        used_path = os.path.join(media, used[0].rsplit("/", 1)[1])
        os.utime(used_path, (old, old))
        server.start()
        deadline = time.time() + 10
        while os.path.exists(orphan) and time.time() < deadline:
            time.sleep(0.1)
        self.assertFalse(os.path.exists(orphan))
        self.assertTrue(os.path.exists(young))      # too new to judge
        self.assertTrue(os.path.exists(used_path))  # a report shows it
        server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
