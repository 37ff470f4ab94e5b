# SPDX-License-Identifier: GPL-3.0-or-later
"""Several photos per report and per update (the council's limit, files that are
not real images refused), and redacting a photo: the served file has the
rectangles filled and no metadata, the original is kept for moderators only, and
a moderator can restore it."""

import http.client
import os
import shutil
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, unwrap  # noqa: E402
from images import JPEG_16, b64, jpeg_with_exif, make_png, pattern, read_png  # noqa: E402

BLACK = (0, 0, 0)
OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled"}


class PhotoSetsTest(kerbside.ServerTestCase):

    # -- helpers ------------------------------------------------------------------

    def get_bytes(self, path, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            headers = {"Authorization": "Bearer " + token} if token else {}
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def media_files(self):
        return sorted(os.listdir(self.server.media))

    def new_report(self, photos):
        admin = self.token(ADMIN)
        cat = self.active_category(admin)
        r = self.req("POST", "/api/v1/reports", token=admin, json={
            "category_id": cat["id"], "title": "Van parked on the pavement",
            "detail": "Plate and driver visible.", "lat": 51.752, "lon": -1.2577,
            "as_council": True, "photos": [b64(p) for p in photos]})
        return unwrap(self.ok(r, 201), "report")

    def redact(self, report, url, rects, who=CUSTOMER_SERVICES, reason="Face and plate",
               **extra):
        body = {"reason": reason, "rectangles": rects}
        body.update(extra)
        return self.req("POST", "/api/v1/reports/%d/photos/%s/redact"
                        % (report["id"], url.rsplit("/", 1)[1]),
                        token=self.token(who), json=body)

    def restore(self, report, url, who=CUSTOMER_SERVICES):
        return self.req("POST", "/api/v1/reports/%d/photos/%s/restore"
                        % (report["id"], url.rsplit("/", 1)[1]),
                        token=self.token(who), json={"reason": "Nothing to hide after all"})

    def set_limit(self, n):
        r = self.req("PATCH", "/api/v1/body", token=self.token(ADMIN), json={"max_photos": n})
        self.assertEqual(self.ok(r, 200)["max_photos"], n)

    # -- several photos -----------------------------------------------------------

    def test_update_with_several_photos(self):
        rep = self.claim_public_report(lambda r: r["state"] in OPEN)
        files = [make_png(8, 6, lambda x, y: (200, 10 * x, 10 * y)), JPEG_16,
                 make_png(3, 3, lambda x, y: (1, 2, 3))]
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"],
                     token=self.token(INSPECTOR),
                     json={"text": "Three photos of the repair.",
                           "photos": [b64(f) for f in files]})
        detail = unwrap(self.ok(r, 200), "report")
        update = detail["updates"][-1]
        mine = [p for p in detail["photos"] if p["update_id"] == update["id"]]
        self.assertEqual(len(mine), 3)
        self.assertEqual(update["photo"], mine[0]["url"])
        self.assertEqual([p["url"].rsplit(".", 1)[1] for p in mine], ["png", "jpeg", "png"])
        for p, data in zip(mine, files):
            self.assertFalse(p["redacted"])
            self.assertEqual(self.get_bytes(p["url"], self.token(CUSTOMER_SERVICES)),
                             (200, data))
        # The sync carries the same list.
        synced = [x for x in self.sync_all(self.token(INSPECTOR))[0]
                  if x["id"] == rep["id"]]
        self.assertEqual(synced[-1]["photos"], detail["photos"])

        # Redacting the update's second photo leaves its first (the update's
        # "photo") alone.
        after = unwrap(self.ok(self.redact(detail, mine[1]["url"],
                                           [{"x": 0, "y": 0, "width": 4, "height": 4}]), 200),
                       "report")
        now = [p for p in after["photos"] if p["update_id"] == update["id"]]
        self.assertEqual(now[0]["url"], mine[0]["url"])
        self.assertNotEqual(now[1]["url"], mine[1]["url"])
        self.assertTrue(now[1]["redacted"])
        self.assertEqual(after["updates"][-1]["photo"], mine[0]["url"])

    def test_add_photos_and_the_limit(self):
        rep = self.claim_public_report(lambda r: r["state"] in OPEN and not r["has_photo"])
        path = "/api/v1/reports/%d/photos" % rep["id"]
        one = make_png(4, 4, pattern)
        self.set_limit(3)
        try:
            self.assertEqual(self.ok(self.req("GET", "/api/v1/body",
                                              token=self.token(INSPECTOR)), 200)["max_photos"], 3)
            # Without update_report: refused.
            self.assertError(self.req("POST", path, token=self.token(CUSTOMER_SERVICES),
                                      json={"photos": [b64(one)]}), 403)
            r = self.req("POST", path, token=self.token(INSPECTOR),
                         json={"photos": [b64(one), b64(JPEG_16)], "version": rep["version"]})
            detail = unwrap(self.ok(r, 200), "report")
            own = [p for p in detail["photos"] if p["update_id"] is None]
            self.assertEqual(len(own), 2)
            self.assertTrue(detail["has_photo"])
            self.assertEqual(detail["photo"], own[0]["url"])
            self.assertGreater(detail["version"], rep["version"])

            files = self.media_files()
            before = self.detail(self.token(ADMIN), rep["id"])
            r = self.req("POST", path, token=self.token(INSPECTOR),
                         json={"photos": [b64(one), b64(one)]})
            self.assertError(r, 422, "too_many_photos")
            self.assertIn("3", r.body["error"]["message"])
            self.assertEqual(self.media_files(), files)
            self.assertEqual(self.detail(self.token(ADMIN), rep["id"]), before)

            # With an update, the limit is per update.
            r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"],
                         token=self.token(INSPECTOR),
                         json={"text": "Four photos.", "photos": [b64(one)] * 4})
            self.assertError(r, 422, "too_many_photos")
            r = self.req("POST", path, token=self.token(INSPECTOR), json={"photos": [b64(one)]})
            self.assertEqual(len(unwrap(self.ok(r, 200), "report")["photos"]), 3)
            # Out of range limits are refused.
            for bad in (0, 21, "5"):
                self.assertError(self.req("PATCH", "/api/v1/body", token=self.token(ADMIN),
                                          json={"max_photos": bad}), 422)
        finally:
            self.set_limit(5)

    def test_files_that_are_not_real_images_are_refused(self):
        rep = self.claim_public_report(lambda r: r["state"] in OPEN)
        png = make_png(16, 16, pattern)
        cases = {
            "gif": b"GIF89a" + b"\x00" * 64,
            "text": b"<html>not a photo</html>",
            "png cut short": png[:len(png) // 2],
            "png header only": png[:33],
            "jpeg markers only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
                                 b"\x00\x00\xff\xd9",
            "jpeg cut short": JPEG_16[:200],
        }
        files = self.media_files()
        before = self.detail(self.token(ADMIN), rep["id"])
        for label, data in cases.items():
            with self.subTest(case=label):
                r = self.req("POST", "/api/v1/reports/%d/photos" % rep["id"],
                             token=self.token(INSPECTOR), json={"photos": [b64(png), b64(data)]})
                self.assertError(r, 422)
                self.assertIsInstance(r.body["error"]["message"], str)
        r = self.req("POST", "/api/v1/reports/%d/photos" % rep["id"],
                     token=self.token(INSPECTOR), json={"photos": "not a list"})
        self.assertError(r, 422)
        self.assertEqual(self.media_files(), files)
        self.assertEqual(self.detail(self.token(ADMIN), rep["id"]), before)

    # -- redaction ----------------------------------------------------------------

    def test_redact_png(self):
        original = make_png(40, 30, pattern, text=("Comment", "taken at 12 Acacia Avenue"))
        report = self.new_report([original, JPEG_16])
        url = report["photos"][0]["url"]
        rect = {"x": 5, "y": 4, "width": 10, "height": 8}

        # Without moderate_report: refused, nothing changed.
        self.assertError(self.redact(report, url, [rect], who=INSPECTOR), 403)
        self.assertEqual(self.detail(self.token(ADMIN), report["id"])["photos"], report["photos"])

        r = self.redact(report, url, [rect, {"x": 38, "y": 28, "width": 50, "height": 50}],
                        version=report["version"])
        after = unwrap(self.ok(r, 200), "report")
        new_url = after["photos"][0]["url"]
        self.assertNotEqual(new_url, url)
        self.assertTrue(after["photos"][0]["redacted"])
        self.assertEqual(after["photo"], new_url)
        self.assertEqual(after["photos"][1], report["photos"][1])
        entry = after["moderation"][-1]
        self.assertEqual(entry["action"], "redact_photo")
        self.assertEqual((entry["before"]["photo"], entry["after"]["photo"]), (url, new_url))

        # What everyone sees: the rectangles black, every other pixel as it was,
        # and no text chunk of the original.
        status, served = self.get_bytes(new_url, self.token(INSPECTOR))
        self.assertEqual(status, 200)
        width, height, rows, kinds = read_png(served)
        self.assertEqual((width, height), (40, 30))
        self.assertNotIn(b"tEXt", kinds)
        self.assertNotIn(b"Acacia", served)
        for y in range(height):
            for x in range(width):
                inside = (5 <= x < 15 and 4 <= y < 12) or (x >= 38 and y >= 28)
                want = BLACK if inside else pattern(x, y)
                if rows[y][x] != want:
                    self.fail("pixel (%d, %d) is %r, not %r" % (x, y, rows[y][x], want))

        # The original: only for moderators, and not named to others.
        self.assertEqual(self.get_bytes(url, self.token(INSPECTOR))[0], 404)
        self.assertEqual(self.get_bytes(url, self.token(CUSTOMER_SERVICES)), (200, original))
        seen = self.detail(self.token(INSPECTOR), report["id"])["moderation"][-1]
        self.assertIsNone(seen["before"]["photo"])
        # Open311 serves the redacted file, never the original.
        name = new_url.rsplit("/", 1)[1]
        self.assertEqual(self.get_bytes("/open311/v2/media/" + name), (200, served))
        self.assertEqual(self.get_bytes("/open311/v2/media/" + url.rsplit("/", 1)[1])[0], 404)

        # A stale version is refused.
        r = self.redact(after, new_url, [rect], version=report["version"])
        self.assertError(r, 409)

        # Undo: without moderate_report refused; a moderator restores the original.
        self.assertError(self.restore(after, new_url, who=INSPECTOR), 403)
        back = unwrap(self.ok(self.restore(after, new_url), 200), "report")
        self.assertEqual(back["photos"][0]["url"], url)
        self.assertFalse(back["photos"][0]["redacted"])
        self.assertEqual(back["moderation"][-1]["action"], "restore_photo")
        self.assertEqual(self.get_bytes(url, self.token(INSPECTOR)), (200, original))
        self.assertEqual(self.get_bytes(new_url, self.token(INSPECTOR))[0], 404)
        self.assertError(self.restore(back, url), 422, "not_redacted")

        # Both are audited.
        audit = self.ok(self.req("GET", "/api/v1/audit", token=self.token(ADMIN),
                                 query={"object_type": "report", "object_id": report["id"]}), 200)
        actions = [e["action"] for e in audit.get("entries", audit.get("audit"))]
        self.assertIn("redact_photo", actions)
        self.assertIn("restore_photo", actions)

    def test_redact_jpeg_strips_exif(self):
        original = jpeg_with_exif()
        self.assertIn(b"GPS 51.7520N", original)
        report = self.new_report([original])
        url = report["photos"][0]["url"]
        after = unwrap(self.ok(self.redact(report, url, [{"x": 0, "y": 0, "width": 8,
                                                          "height": 16}]), 200), "report")
        status, served = self.get_bytes(after["photos"][0]["url"], self.token(INSPECTOR))
        self.assertEqual(status, 200)
        self.assertEqual(served[:3], b"\xff\xd8\xff")
        self.assertEqual(served[-2:], b"\xff\xd9")
        self.assertNotIn(b"Exif", served)
        self.assertNotIn(b"GPS 51.7520N", served)
        convert = shutil.which("convert")
        if convert is None:
            self.skipTest("ImageMagick's convert is not installed: the JPEG's pixels are "
                          "not checked")
        ppm = subprocess.run([convert, "jpeg:-", "-depth", "8", "ppm:-"], input=served,
                             stdout=subprocess.PIPE, check=True).stdout
        header, pixels = ppm.split(b"\n", 3)[:3], ppm.split(b"\n", 3)[3]
        self.assertEqual(header[1], b"16 16")
        # JPEG is lossy (8 x 8 blocks, colour at half resolution): away from the
        # rectangle's edge its pixels are black within a small tolerance.
        for y in range(16):
            for x in range(6):
                rgb = pixels[(y * 16 + x) * 3:(y * 16 + x) * 3 + 3]
                self.assertLessEqual(max(rgb), 24, "pixel (%d, %d) is not black" % (x, y))
        # The right half still has the gradient's colour.
        right = pixels[(8 * 16 + 12) * 3:(8 * 16 + 12) * 3 + 3]
        self.assertGreater(max(right), 100)

    def test_redact_bad_input_changes_nothing(self):
        report = self.new_report([make_png(20, 10, pattern)])
        url = report["photos"][0]["url"]
        other = self.new_report([make_png(4, 4, pattern)])
        before = self.detail(self.token(ADMIN), report["id"])
        files = self.media_files()
        good = [{"x": 1, "y": 1, "width": 2, "height": 2}]
        cases = [
            (self.redact(report, url, [{"x": 25, "y": 1, "width": 5, "height": 5}]), 422),
            (self.redact(report, url, []), 422),
            (self.redact(report, url, [{"x": 1, "y": 1, "width": 0, "height": 2}]), 422),
            (self.redact(report, url, [{"x": -1, "y": 1, "width": 2, "height": 2}]), 422),
            (self.redact(report, url, ["1,1,2,2"]), 422),
            (self.redact(report, url, good, reason=""), 422),
            (self.redact(report, other["photos"][0]["url"], good), 404),
            (self.redact(report, "/api/v1/media/0123456789abcdef0123456789abcdef.png", good), 404),
            (self.redact(report, url, good, shape="oval"), 422),
        ]
        for i, (r, status) in enumerate(cases):
            with self.subTest(case=i):
                self.assertError(r, status)
        self.assertEqual(self.media_files(), files)
        self.assertEqual(self.detail(self.token(ADMIN), report["id"]), before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
