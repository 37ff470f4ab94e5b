#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP frame of kerbside-server under abuse: bodies too large refused from
their headers and cut off as they stream in (the server's memory stays flat),
errors raised before routing answered in the JSON error format, query values
that are not UTF-8 refused, and unknown JSON fields refused by name."""

import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import kerbside
from kerbside import ServerTestCase, INSPECTOR

GIB = 1 << 30
MIB = 1 << 20
# How much the server's resident memory may grow while it is offered 1 GiB.
RSS_SLACK = 50 * MIB


def rss(pid):
    """The resident set size of a process in bytes, from /proc."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS for process %d" % pid)


def body_stream(total, chunked, block=64 * 1024):
    """Yields total bytes of body, in HTTP/1.1 chunks when chunked; never holds
    more than one block."""
    data = b"x" * block
    sent = 0
    while sent < total:
        n = min(block, total - sent)
        piece = data[:n]
        sent += n
        if chunked:
            yield b"%x\r\n" % n + piece + b"\r\n"
        else:
            yield piece
    if chunked:
        yield b"0\r\n\r\n"


def parse_answer(raw):
    """(status, headers dict, body bytes) of a raw HTTP answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class Offer:
    """What came of offering a body: the answer (if any), bytes sent, seconds
    taken and the largest growth of the server's memory seen meanwhile."""
    status = None
    headers = None
    body = None
    sent = 0
    seconds = 0.0
    rss_growth = 0
    closed = False


class FrameTestCase(ServerTestCase):

    def offer(self, head, chunks, limit_seconds=60):
        """Sends head, then chunks while the server has not answered, reading the
        answer as soon as there is one (as a browser would). Stops at the first
        answer, at a closed connection or after limit_seconds."""
        pid = self.server.proc.pid
        base = rss(pid)
        out = Offer()
        start = time.monotonic()
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        s.setblocking(False)
        pending = head
        raw = b""
        chunks = iter(chunks)
        last_sample = 0
        try:
            while time.monotonic() - start < limit_seconds:
                want_write = [s] if pending is not None else []
                readable, writable, _ = select.select([s], want_write, [], 1.0)
                if readable:
                    try:
                        data = s.recv(65536)
                    except (ConnectionResetError, BrokenPipeError):
                        data = b""
                    if not data:
                        out.closed = True
                        break
                    raw += data
                    if b"\r\n\r\n" in raw:
                        status, headers, body = parse_answer(raw)
                        length = int(headers.get("content-length", "0"))
                        if len(body) >= length:
                            out.status, out.headers, out.body = status, headers, body
                            break
                    continue
                if writable and pending is not None:
                    try:
                        n = s.send(pending)
                    except (ConnectionResetError, BrokenPipeError):
                        out.closed = True
                        break
                    except BlockingIOError:
                        continue
                    out.sent += n
                    pending = pending[n:]
                    if not pending:
                        pending = next(chunks, None)
                if out.sent - last_sample > 16 * MIB:
                    last_sample = out.sent
                    out.rss_growth = max(out.rss_growth, rss(pid) - base)
        finally:
            s.close()
        out.seconds = time.monotonic() - start
        out.rss_growth = max(out.rss_growth, rss(pid) - base)
        return out

    def assertRefused(self, out, what):
        """413 with the JSON error, or at least a closed connection, quickly; the
        server's memory did not follow the body."""
        self.assertLess(out.rss_growth, RSS_SLACK,
                        "%s: the server's memory grew by %.0f MB (%.0f MB sent)"
                        % (what, out.rss_growth / MIB, out.sent / MIB))
        self.assertLess(out.sent, 256 * MIB, "%s: the server read %.0f MB before refusing"
                        % (what, out.sent / MIB))
        self.assertLess(out.seconds, 20, "%s: took %.1f s" % (what, out.seconds))
        self.assertTrue(out.status is not None or out.closed, what)
        if out.status is not None:
            self.assertEqual(out.status, 413, (what, out.body))
            self.assertIn("json", out.headers.get("content-type", ""))
            self.assertEqual(out.headers.get("connection"), "close")
            answer = json.loads(out.body)
            if isinstance(answer, list):
                # Open311 paths answer in Open311's own error format.
                self.assertEqual(answer[0]["code"], 413)
                self.assertIn("too large", answer[0]["description"])
            else:
                self.assertEqual(answer["error"]["code"], "too_large")
                self.assertIn("too large", answer["error"]["message"])

    def assertAlive(self):
        self.assertEqual(self.req("GET", "/api/v1/health").status, 200)


class BodyLimitTest(FrameTestCase):
    """Default --max-body (8 MiB)."""

    def test_announced_gigabyte_refused_from_headers(self):
        for path in ("/api/v1/health", "/api/v1/auth/login", "/open311/v2/requests.json"):
            with self.subTest(path=path):
                head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: %d\r\n\r\n" % (path, GIB)).encode()
                out = self.offer(head, body_stream(GIB, chunked=False))
                self.assertRefused(out, "1 GiB with Content-Length to " + path)
                # The answer comes before the body, not after it.
                self.assertIsNotNone(out.status, "no answer to " + path)
                self.assertLess(out.sent, 16 * MIB)
        self.assertAlive()

    def test_chunked_gigabyte_cut_off(self):
        for path in ("/api/v1/health", "/api/v1/reports"):
            with self.subTest(path=path):
                head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" % path).encode()
                out = self.offer(head, body_stream(GIB, chunked=True))
                self.assertRefused(out, "1 GiB chunked to " + path)
        self.assertAlive()

    def test_absurd_content_length_answered_at_once(self):
        for length in ("1000000000000000000", "99999999999999999999999"):
            with self.subTest(length=length):
                head = ("POST /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Length: %s\r\n\r\n" % length).encode()
                out = self.offer(head, iter(()), limit_seconds=10)
                self.assertLess(out.seconds, 5, "no answer in 5 s")
                self.assertTrue(out.status is not None, "no answer, only a closed connection")
                self.assertIn(out.status, (400, 413))
                self.assertIn("error", json.loads(out.body))
        self.assertAlive()

    def test_expect_continue_refused_without_body(self):
        head = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                "Content-Length: %d\r\n\r\n" % GIB).encode()
        out = self.offer(head, iter(()), limit_seconds=10)
        self.assertEqual(out.status, 413)
        self.assertEqual(json.loads(out.body)["error"]["code"], "too_large")
        self.assertAlive()

    def test_body_under_the_limit_still_works(self):
        body = json.dumps({"email": INSPECTOR, "password": kerbside.PASSWORD})
        head = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
        chunks = [b"%x\r\n%s\r\n" % (len(body), body.encode()), b"0\r\n\r\n"]
        out = self.offer(head, iter(chunks), limit_seconds=30)
        self.assertEqual(out.status, 200, out.body)
        self.assertIn("token", json.loads(out.body))


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes, reads the answer until the connection closes or its
    Content-Length is in; returns (status, headers, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        raw = b""
        while True:
            try:
                got = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not got:
                break
            raw += got
            if b"\r\n\r\n" in raw:
                _, headers, body = parse_answer(raw)
                if len(body) >= int(headers.get("content-length", "0")):
                    break
    finally:
        s.close()
    if not raw:
        raise AssertionError("no answer to %r" % data[:80])
    return parse_answer(raw)


class PreRoutingErrorTest(FrameTestCase):
    """Errors raised before a request reaches a route carry the JSON error."""

    def assertJsonError(self, status, headers, body, expected_status, what):
        self.assertEqual(status, expected_status, (what, body))
        self.assertIn("application/json", headers.get("content-type", ""), what)
        err = json.loads(body)["error"]
        self.assertIsInstance(err["code"], str, what)
        self.assertTrue(err["message"].strip(), what)
        return err

    def test_unreadable_requests(self):
        cases = [
            (b"GARBAGE\r\n\r\n", 400, "request line"),
            (b"GET /api/v1/health HTTP/1.1\r\n\r\n", 400, "no Host"),
            (b"GET /api/v1/health HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "Host with a slash"),
            (b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400,
             "Content-Length not a number"),
            (b"POST /api/v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
             "unknown Transfer-Encoding"),
            (b"GET https://127.0.0.1/api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400,
             "https address over plain HTTP"),
            (b"GET /api/v1/health HTTP/3.0\r\nHost: x\r\n\r\n", 505, "HTTP version"),
        ]
        for data, expected, what in cases:
            with self.subTest(what=what):
                self.assertJsonError(*raw_exchange(self.server.port, data), expected, what)
        self.assertAlive()

    def test_query_values_not_utf8_400(self):
        token = self.token(INSPECTOR)
        for query, name in (("q=%ff%fe", "q"), ("state=open&ward=Carfax%c3", "ward"),
                            ("q=a%00b", "q")):
            with self.subTest(query=query):
                r = self.req("GET", "/api/v1/reports?" + query, token=token)
                err = self.assertError(r, 400, "bad_request")
                self.assertIn("“%s”" % name, err["message"])
        r = self.req("GET", "/api/v1/reports?%ff=1", token=token)
        self.assertError(r, 400, "bad_request")
        # A malformed escape: libsoup cannot read the address at all.
        r = self.req("GET", "/api/v1/reports?limit=%zz", token=token)
        self.assertError(r, 400, "bad_request")
        # Good UTF-8 still works, and an Open311 path answers in its own format.
        self.ok(self.req("GET", "/api/v1/reports?q=caf%C3%A9&limit=5", token=token))
        r = self.req("GET", "/open311/v2/requests.json?status=%ff")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.body[0]["code"], 400, r)
        self.assertIn("“status”", r.body[0]["description"])


class UnknownFieldTest(FrameTestCase):
    """A JSON body with a field the request does not take is refused (422,
    naming it) and changes nothing; the same body without it works."""

    def report(self, token):
        rows, _ = self.list_page(token, limit=1)
        return self.detail(token, rows[0]["id"])

    def test_unknown_field_refused_by_name(self):
        token = self.token(INSPECTOR)
        rep = self.report(token)
        seq = self.server.sql("SELECT max(seq) FROM reports")[0][0]
        path = "/api/v1/reports/%d/updates" % rep["id"]
        r = self.req("POST", path, token=token,
                     json={"text": "Checked on site.", "public": False, "colour": "red"})
        err = self.assertError(r, 422, "unknown_field")
        self.assertIn("“colour”", err["message"])
        # Nothing changed.
        self.assertEqual(self.detail(token, rep["id"])["version"], rep["version"])
        self.assertEqual(self.server.sql("SELECT max(seq) FROM reports")[0][0], seq)
        # A misspelt field is not taken for the right one.
        r = self.req("POST", path, token=token, json={"text": "Checked on site.", "publc": True})
        self.assertIn("“publc”", self.assertError(r, 422, "unknown_field")["message"])
        self.assertEqual(self.detail(token, rep["id"])["version"], rep["version"])
        # Without it, the same request works.
        self.ok(self.req("POST", path, token=token, json={"text": "Checked on site.", "public": False}))
        self.assertEqual(self.detail(token, rep["id"])["version"], rep["version"] + 1)

    def test_unknown_field_in_admin_writes(self):
        admin = self.token("Administrators")
        before = self.server.sql("SELECT count(*) FROM categories")[0][0]
        r = self.req("POST", "/api/v1/categories", token=admin, json={
            "code": "unknown-field", "name": "Category with a stray field", "groups": ["Tests"],
            "description": "", "active": True, "private": False, "extra": [], "owner": "me"})
        self.assertIn("“owner”", self.assertError(r, 422, "unknown_field")["message"])
        self.assertEqual(self.server.sql("SELECT count(*) FROM categories")[0][0], before)
        r = self.req("POST", "/api/v1/categories", token=admin, json={
            "code": "unknown-field", "name": "Category with a stray field", "groups": ["Tests"],
            "description": "", "active": True, "private": False, "extra": []})
        self.ok(r)
        # Staff changes commit on their own (after bcrypt): refused the same way.
        staff = kerbside.items(self.ok(self.req("GET", "/api/v1/staff", token=admin)), "staff")
        inspector = [u for u in staff if u["email"] == INSPECTOR][0]
        path = "/api/v1/staff/%d" % inspector["id"]
        r = self.req("PATCH", path, token=admin, json={"name": "Renamed", "is_superuser": True})
        self.assertIn("“is_superuser”", self.assertError(r, 422, "unknown_field")["message"])
        self.assertEqual(self.server.sql("SELECT name, is_superuser FROM users WHERE id = ?",
                                         (inspector["id"],)), [(inspector["name"], 0)])

    def test_unknown_field_in_routes_that_commit_themselves(self):
        """Sign-in, sign-in by email, 2FA, password change and erasure hold their
        own transactions: a stray field is refused before anything changes."""
        def refused(r, name):
            self.assertIn("\u201c%s\u201d" % name, self.assertError(r, 422, "unknown_field")["message"])

        sessions = self.server.sql("SELECT count(*) FROM sessions")[0][0]
        refused(self.req("POST", "/api/v1/auth/login", json={
            "email": INSPECTOR, "password": kerbside.PASSWORD, "remember": True}), "remember")
        self.assertEqual(self.server.sql("SELECT count(*) FROM sessions")[0][0], sessions)
        codes = self.server.sql("SELECT count(*) FROM email_codes")[0][0]
        refused(self.req("POST", "/api/v1/auth/email", json={"email": INSPECTOR, "lang": "en"}), "lang")
        self.assertEqual(self.server.sql("SELECT count(*) FROM email_codes")[0][0], codes)
        refused(self.req("POST", "/api/v1/auth/email/verify", json={
            "email": INSPECTOR, "code": "123456", "trust": 1}), "trust")
        refused(self.req("POST", "/api/v1/auth/login/2fa", json={
            "challenge": "x", "code": "123456", "device": "phone"}), "device")

        token = self.token(INSPECTOR)
        refused(self.req("POST", "/api/v1/account/2fa/setup", token=token, json={
            "password": kerbside.PASSWORD, "issuer": "Elsewhere"}), "issuer")
        self.assertEqual(self.server.sql(
            "SELECT totp_secret IS NULL FROM users WHERE email = ?", (INSPECTOR,)), [(1,)])
        hash_before = self.server.sql("SELECT password_hash FROM users WHERE email = ?", (INSPECTOR,))
        refused(self.req("POST", "/api/v1/account/password", token=token, json={
            "current_password": kerbside.PASSWORD, "new_password": "quiet-harbour-lantern-77",
            "confirm": "quiet-harbour-lantern-77"}), "confirm")
        self.assertEqual(self.server.sql("SELECT password_hash FROM users WHERE email = ?", (INSPECTOR,)),
                         hash_before)

        admin = self.token("Administrators")
        rows = self.server.sql("SELECT id, version, reporter_name FROM reports "
                               "WHERE reporter_name IS NOT NULL AND reporter_name != '' LIMIT 1")
        rid, version, name = rows[0]
        refused(self.req("POST", "/api/v1/reports/%d/anonymise" % rid, token=admin, json={
            "reason": "Asked by the resident.", "version": version, "notify": True}), "notify")
        self.assertEqual(self.server.sql("SELECT version, reporter_name FROM reports WHERE id = ?", (rid,)),
                         [(version, name)])

class SessionLifetimeTest(FrameTestCase):
    """Sessions end a set time after signing in, however much they are used."""

    def test_default_absolute_lifetime_30_days(self):
        r = self.req("POST", "/api/v1/auth/login",
                     json={"email": INSPECTOR, "password": kerbside.PASSWORD})
        body = self.ok(r, 200)
        token, sid = body["token"], body["session_id"]
        self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)
        now = int(time.time())
        # In use a minute ago, idle expiry weeks away, but begun 29 days ago: still fine.
        self.server.sql("UPDATE sessions SET created = ?, last_used = ?, expires = ? WHERE id = ?",
                        (now - 29 * 86400, now - 60, now + 20 * 86400, sid))
        self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)
        # Begun just over 30 days ago: over.
        self.server.sql("UPDATE sessions SET created = ?, last_used = ? WHERE id = ?",
                        (now - 30 * 86400 - 5, now - 60, sid))
        r = self.req("GET", "/api/v1/me", token=token)
        err = self.assertError(r, 401, "unauthorized")
        self.assertIn("expired", err["message"])
        self.assertIn("Sign in again", err["message"])
        # Other sessions are not touched, and signing in again works.
        self.assertEqual(self.req("GET", "/api/v1/me", token=self.server.login(INSPECTOR)).status, 200)


class SessionMaxAgeOptionTest(FrameTestCase):
    # The test clock adds to the real time, so the steps are large enough that
    # a slow machine (a sanitizer build under load) cannot cross the limit early.
    server_args = ["--session-max-age", "60"]
    test_clock = True

    def test_session_ends_while_in_use(self):
        token = self.server.login(INSPECTOR)
        # In use every 10 s for 40 s, then 62 s after signing in.
        for _ in range(4):
            self.assertEqual(self.req("GET", "/api/v1/me", token=token).status, 200)
            self.server.move_clock(10)
        self.server.move_clock(22)
        err = self.assertError(self.req("GET", "/api/v1/me", token=token), 401)
        self.assertIn("expired", err["message"])

def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class TlsTest(ServerTestCase):
    """HTTPS takes TLS 1.2 and 1.3 with forward secrecy only, by default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("openssl"):
            cls.tls = None
            return
        d = tempfile.mkdtemp(prefix="kerbside-tls-")
        cls.addClassCleanup(shutil.rmtree, d, True)
        cert, key = make_certificate(d)
        env_before = os.environ.pop("G_TLS_GNUTLS_PRIORITY", None)
        try:
            cls.tls = cls.new_server("tls", ["--tls-cert", cert, "--tls-key", key])
        finally:
            if env_before is not None:
                os.environ["G_TLS_GNUTLS_PRIORITY"] = env_before

    def setUp(self):
        if self.tls is None:
            self.skipTest("openssl is not installed")

    def handshake(self, *options):
        """(protocol, cipher) the server agreed to, or None when it refused."""
        r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.tls.port,
                            "-servername", "127.0.0.1"] + list(options),
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        out = r.stdout.decode(errors="replace")
        if r.returncode != 0:
            return None
        protocol = cipher = None
        for line in out.splitlines():
            line = line.strip()
            # "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"; "(NONE)" when refused.
            # (The version there is the cipher's; the session block, when
            # printed, has the protocol agreed.)
            if line.startswith("New, ") and ", Cipher is " in line:
                protocol = line[len("New, "):].split(",")[0].strip()
                cipher = line.split(", Cipher is ", 1)[1].strip()
            elif line.startswith("Protocol") and ":" in line:
                protocol = line.split(":", 1)[1].strip()
        if cipher is None or cipher == "(NONE)":
            return None
        return protocol, cipher

    def test_oversized_body_refused_over_tls(self):
        import ssl
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", self.tls.port), timeout=10) as raw:
            with ctx.wrap_socket(raw) as s:
                s.sendall(("POST /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Length: %d\r\n\r\n" % GIB).encode() + b"x" * 65536)
                answer = b""
                while b"too large" not in answer:
                    got = s.recv(65536)
                    if not got:
                        break
                    answer += got
        status, headers, body = parse_answer(answer)
        self.assertEqual(status, 413, answer)
        self.assertEqual(json.loads(body)["error"]["code"], "too_large")

    def test_old_protocols_refused(self):
        # OpenSSL's own default level would refuse these: lower it to see the server's.
        for option in ("-tls1", "-tls1_1"):
            with self.subTest(option=option):
                self.assertIsNone(self.handshake(option, "-cipher", "DEFAULT:@SECLEVEL=0"))

    def test_suites_without_forward_secrecy_refused(self):
        for suite in ("AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384"):
            with self.subTest(suite=suite):
                self.assertIsNone(self.handshake("-tls1_2", "-cipher", suite))

    def test_tls12_with_ecdhe_and_tls13_accepted(self):
        self.assertEqual(self.handshake("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
                         ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"))
        agreed = self.handshake("-tls1_3")
        self.assertIsNotNone(agreed)
        self.assertEqual(agreed[0], "TLSv1.3")
        # A client offering everything gets a forward-secret suite.
        agreed = self.handshake("-cipher", "DEFAULT:@SECLEVEL=0")
        self.assertIsNotNone(agreed)
        self.assertIn(agreed[0], ("TLSv1.2", "TLSv1.3"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
