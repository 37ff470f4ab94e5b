#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers compressed on the wire: a client that names zstd (Accept-Encoding)
gets the sync, the list and the other long JSON answers in zstd, one that takes
only gzip gets them gzipped, each decoding to the very bytes a client that does
not ask gets plain; a page long enough to be streamed is compressed as one
stream over its chunks. The q-values decide between the codings, q=0 refuses
one. Short answers and errors stay plain. zstd is decoded with the zstd
command (Python has no zstd module of its own)."""

import gzip
import http.client
import json
import os
import subprocess
import tempfile
import unittest
import zlib

import kerbside
from kerbside import ServerTestCase, INSPECTOR

# Enough reports that a sync page (about 600 bytes a report) passes the size
# at which the server streams it out in pieces (256 KB).
REPORTS = 1500


def get(server, path, token, accept_encoding=None):
    """GET path with the given Accept-Encoding (None: none sent at all);
    returns (status, headers, raw body bytes), the body as it came."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.putheader("Authorization", "Bearer " + token)
        if accept_encoding is not None:
            conn.putheader("Accept-Encoding", accept_encoding)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def unzstd(packed):
    """The bytes of a whole zstd stream; fails on a damaged or cut one."""
    out = subprocess.run(["zstd", "-d", "-c", "-q"], input=packed,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if out.returncode != 0:
        raise AssertionError("not a whole zstd stream: " + out.stderr.decode())
    return out.stdout


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class CompressionTest(ServerTestCase):

    @classmethod
    def demo_db(cls):
        d = tempfile.mkdtemp(prefix="kerbside-demo-", dir=cls.tmp)
        return kerbside.make_demo_db(os.path.join(d, "demo.db"), reports=REPORTS)

    def plain_and_gzip(self, path):
        """The same answer asked for twice: plain, then with gzip."""
        token = self.token(INSPECTOR)
        st, h, plain = get(self.server, path, token)
        self.assertEqual(st, 200, plain[:300])
        self.assertIsNone(h.get("Content-Encoding"))
        st, hz, packed = get(self.server, path, token, "gzip, deflate, br")
        self.assertEqual(st, 200, packed[:300])
        return plain, h, packed, hz

    def test_sync_page_streamed_and_gzipped(self):
        plain, h, packed, hz = self.plain_and_gzip("/api/v1/sync?since=0&limit=50000")
        page = json.loads(plain)
        self.assertEqual(len(page["reports"]), REPORTS)
        self.assertFalse(page["more"])
        self.assertGreater(len(plain), 256 * 1024, "the page is too short to be streamed")
        self.assertEqual(hz.get("Content-Encoding"), "gzip")
        self.assertIn("Accept-Encoding", hz.get("Vary", ""))
        # Long enough to go out in chunks, and still one gzip stream.
        self.assertEqual(hz.get("Transfer-Encoding"), "chunked")
        self.assertEqual(h.get("Transfer-Encoding"), "chunked")
        self.assertEqual(packed[:2], b"\x1f\x8b")
        self.assertEqual(json.loads(gzip.decompress(packed)), page)
        self.assertLess(len(packed), len(plain) / 4,
                        "gzip should shrink the JSON at least four times")

    def test_small_sync_page_gzipped_whole(self):
        plain, h, packed, hz = self.plain_and_gzip("/api/v1/sync?since=0&limit=20")
        self.assertEqual(hz.get("Content-Encoding"), "gzip")
        self.assertEqual(int(hz.get("Content-Length")), len(packed))
        self.assertEqual(json.loads(gzip.decompress(packed)), json.loads(plain))

    def test_list_gzipped(self):
        plain, h, packed, hz = self.plain_and_gzip("/api/v1/reports?limit=200&sort=id")
        self.assertEqual(hz.get("Content-Encoding"), "gzip")
        listed = json.loads(plain)
        self.assertEqual(len(listed["reports"]), 200)
        self.assertEqual(json.loads(gzip.decompress(packed)), listed)

    def test_clients_not_asking_get_plain(self):
        token = self.token(INSPECTOR)
        path = "/api/v1/sync?since=0&limit=20"
        for accept in (None, "identity", "gzip;q=0", "br", "*;q=0, identity", "gzip;q=0, *"):
            with self.subTest(accept=accept):
                st, h, body = get(self.server, path, token, accept)
                self.assertEqual(st, 200)
                self.assertIsNone(h.get("Content-Encoding"))
                self.assertEqual(len(json.loads(body)["reports"]), 20)

    def test_any_coding_accepted_means_gzip(self):
        token = self.token(INSPECTOR)
        for accept in ("*", "GZIP", "deflate;q=0.5, gzip;q=0.9", "x-gzip"):
            with self.subTest(accept=accept):
                st, h, body = get(self.server, "/api/v1/sync?since=0&limit=20", token, accept)
                self.assertEqual(st, 200)
                self.assertEqual(h.get("Content-Encoding"), "gzip")
                self.assertEqual(len(json.loads(gzip.decompress(body))["reports"]), 20)

    def test_short_answers_and_errors_stay_plain(self):
        token = self.token(INSPECTOR)
        for accept in ("gzip", "zstd"):
            with self.subTest(accept=accept):
                st, h, body = get(self.server, "/api/v1/reports/999999999", token, accept)
                self.assertEqual(st, 404)
                self.assertIsNone(h.get("Content-Encoding"))
                self.assertEqual(json.loads(body)["error"]["code"], "not_found")
                st, h, body = get(self.server, "/api/v1/sync?since=0&limit=0", token, accept)
                self.assertEqual(st, 422)
                self.assertIsNone(h.get("Content-Encoding"))
                self.assertIn("error", json.loads(body))

    def test_sync_page_streamed_in_zstd(self):
        token = self.token(INSPECTOR)
        path = "/api/v1/sync?since=0&limit=50000"
        st, h, plain = get(self.server, path, token)
        self.assertEqual(st, 200, plain[:300])
        self.assertGreater(len(plain), 256 * 1024, "the page is too short to be streamed")
        st, hz, packed = get(self.server, path, token, "zstd, gzip")
        self.assertEqual(st, 200, packed[:300])
        self.assertEqual(hz.get("Content-Encoding"), "zstd")
        self.assertEqual(hz.get("Transfer-Encoding"), "chunked")
        self.assertIn("Accept-Encoding", hz.get("Vary", ""))
        self.assertIn("Accept-Encoding", h.get("Vary", ""))
        self.assertEqual(packed[:4], ZSTD_MAGIC)
        self.assertEqual(unzstd(packed), plain)
        self.assertEqual(len(json.loads(plain)["reports"]), REPORTS)
        self.assertLess(len(packed), len(plain) / 4,
                        "zstd should shrink the JSON at least four times")
        # Cut short, it is not taken for a whole answer.
        with self.assertRaises(AssertionError):
            unzstd(packed[:len(packed) // 2])

    def test_offline_sync_page_packed_whole(self):
        """A page with the reporters (offline=1) leaves only once its audit entry
        is written, so it is not streamed: it is compressed as it is written
        and sent whole, one stream decoding to the plain answer's bytes."""
        token = self.token(INSPECTOR)
        path = "/api/v1/sync?since=0&limit=50000&offline=1"
        st, h, plain = get(self.server, path, token)
        self.assertEqual(st, 200, plain[:300])
        self.assertGreater(len(plain), 4 * 256 * 1024, "the page is too short to be packed in pieces")
        self.assertIn('"reporter"', plain.decode())
        for accept, coding, decode in (("zstd, gzip", "zstd", unzstd), ("gzip", "gzip", gzip.decompress)):
            with self.subTest(accept=accept):
                st, hz, packed = get(self.server, path, token, accept)
                self.assertEqual(st, 200, packed[:300])
                self.assertEqual(hz.get("Content-Encoding"), coding)
                self.assertIn("Accept-Encoding", hz.get("Vary", ""))
                self.assertIsNone(hz.get("Transfer-Encoding"))
                self.assertEqual(int(hz.get("Content-Length")), len(packed))
                self.assertEqual(decode(packed), plain)
                self.assertLess(len(packed), len(plain) / 4)

    def test_small_answers_whole_in_zstd(self):
        token = self.token(INSPECTOR)
        for path in ("/api/v1/sync?since=0&limit=20", "/api/v1/reports?limit=200&sort=id"):
            with self.subTest(path=path):
                st, h, plain = get(self.server, path, token)
                self.assertEqual(st, 200)
                self.assertIsNone(h.get("Content-Encoding"))
                st, hz, packed = get(self.server, path, token, "zstd")
                self.assertEqual(st, 200)
                self.assertEqual(hz.get("Content-Encoding"), "zstd")
                self.assertEqual(int(hz.get("Content-Length")), len(packed))
                self.assertIn("Accept-Encoding", hz.get("Vary", ""))
                self.assertEqual(unzstd(packed), plain)

    def test_coding_chosen_by_quality(self):
        token = self.token(INSPECTOR)
        path = "/api/v1/sync?since=0&limit=20"
        st, h, plain = get(self.server, path, token)
        self.assertEqual(st, 200)
        cases = {
            "zstd, gzip": "zstd",
            "gzip, zstd": "zstd",            # equal quality: zstd first
            "gzip, deflate, br, zstd": "zstd",
            "ZSTD;q=0.8, gzip;q=0.8": "zstd",
            "zstd;q=0.5, gzip;q=0.9": "gzip",  # gzip preferred by the client
            "zstd;q=0, gzip": "gzip",        # zstd refused
            "zstd;q=0": None,
            "zstd;q=0, *": "gzip",           # "*" means any other: gzip
            "gzip;q=0, zstd": "zstd",
            "gzip;q=0, zstd;q=0, *": None,
            "*": "gzip",                     # zstd only when named
            "gzip": "gzip",
            "identity": None,
            None: None,
        }
        for accept, coding in cases.items():
            with self.subTest(accept=accept):
                st, h, body = get(self.server, path, token, accept)
                self.assertEqual(st, 200)
                self.assertEqual(h.get("Content-Encoding"), coding)
                if coding == "zstd":
                    body = unzstd(body)
                elif coding == "gzip":
                    body = gzip.decompress(body)
                self.assertEqual(body, plain)

    def test_gzip_stream_is_whole(self):
        """Decoding the stream piece by piece ends exactly at its end: no data
        after the gzip trailer, nothing missing before it."""
        token = self.token(INSPECTOR)
        st, h, packed = get(self.server, "/api/v1/sync?since=0&limit=50000", token, "gzip")
        self.assertEqual(st, 200)
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = b"".join(d.decompress(packed[i:i + 4096]) for i in range(0, len(packed), 4096))
        self.assertTrue(d.eof)
        self.assertEqual(d.unused_data, b"")
        self.assertEqual(len(json.loads(out)["reports"]), REPORTS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
