# SPDX-License-Identifier: GPL-3.0-or-later
"""Open311 as FixMyStreet's own client uses it: the statuses it sends
(CANCELLED), its backdated updates (a comment's own time, older than a state
change staff made since), busy update windows (it never pages), several photos,
and the CRLF line ends of form posts. Every answer is validated against the
schemas in tests/open311/, as in test_open311.py (whose helpers this reuses)."""

import base64
import http.client
import os
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR  # noqa: E402
import test_open311  # noqa: E402
from test_open311 import FORMATS, w3c  # noqa: E402


def public_open(rep):
    return (rep["state"] in ("confirmed", "investigating", "in_progress", "action_scheduled")
            and rep["created"] < w3c(time.time() - 86400))


# A bulk close five days ago: more updates in ten minutes than the 1,000 an
# answer used to hold (every public report closed several times over).
BULK_START = (int(time.time()) - 5 * 86400) // 3600 * 3600
BULK_SECONDS = 600
BULK_ROUNDS = 12

PUBLIC_UPDATES = (
    "SELECT u.id FROM updates u JOIN reports r ON r.id = u.report_id "
    "JOIN categories c ON c.id = r.category_id WHERE u.created >= ? AND u.created <= ? "
    "AND u.public = 1 AND (u.kind IN ('update', 'state', 'request_info') "
    "OR (u.kind = 'acknowledge' AND u.text <> '')) "
    "AND r.state NOT IN ('hidden', 'unconfirmed') AND c.private = 0 AND r.body_id = "
    "(SELECT min(id) FROM bodies) ORDER BY u.created, u.id")


class Open311InteropTest(test_open311.Open311Test):
    """Only the tests written here run (see load_tests): the base class gives
    the server, the API key and the helpers."""

    @classmethod
    def prepare_db(cls, path):
        super().prepare_db(path)
        import sqlite3
        con = sqlite3.connect(path)
        for n in range(BULK_ROUNDS):
            con.execute(
                "INSERT INTO updates (report_id, kind, text, state, public, source, created) "
                "SELECT r.id, 'state', 'Closed in the bulk close (' || ? || ')', 'closed', 1, "
                "'staff', ? + (r.id * 7 + ?) % ? FROM reports r "
                "JOIN categories c ON c.id = r.category_id "
                "WHERE r.state NOT IN ('hidden', 'unconfirmed') AND c.private = 0",
                (n, BULK_START, n, BULK_SECONDS))
        con.commit()
        con.close()

    def post_update(self, fmt, rid, update_id, code=200, **fields):
        form = {"api_key": self.key, "service_request_id": str(rid), "update_id": update_id}
        form.update(fields)
        doc, _ = self.call("POST", "servicerequestupdates", fmt, "post_update", status=code,
                           form=form)
        if code != 200:
            return doc, None
        if fmt == "json":
            return doc[0]["update_id"], doc[0].get("service_notice")
        return doc.findtext("request_update/update_id"), doc.findtext("request_update/service_notice")

    def staff_state(self, rid, state, text="Staff changed it"):
        before = self.detail(self.token(ADMIN), rid)
        self.ok(self.req("POST", "/api/v1/reports/%d/state" % rid, token=self.token(INSPECTOR),
                         json={"state": state, "version": before["version"], "text": text}))

    # -- statuses ------------------------------------------------------------------

    def test_cancelled_closes(self):
        for fmt in FORMATS:
            for status in ("CANCELLED", "cancelled", "Cancelled"):
                rid = self.new_request(fmt)
                uid, notice = self.post_update(fmt, rid, "fms-c-%s-%s" % (fmt, status), status=status,
                                               description="Withdrawn by the reporter")
                self.assertIsNone(notice)
                rep = self.detail(self.token(ADMIN), rid)
                self.assertEqual(rep["state"], "closed", status)
                self.assertEqual(rep["updates"][-1]["id"], int(uid))
                self.assertEqual(rep["updates"][-1]["text"], "Withdrawn by the reporter")
                # The public side says closed too.
                doc, _ = self.call("GET", "requests/%d" % rid, fmt, "service_requests")
                self.assertEqual(self.rows(doc, fmt, "request")[0]["status"], "closed")
        # Like "closed", it keeps a report that is already fixed as it is.
        rid = self.new_request("xml")
        self.post_update("xml", rid, "fms-fixed", status="FIXED", description="Mended")
        self.post_update("xml", rid, "fms-cancel-fixed", status="CANCELLED", description="Withdrawn")
        self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], "fixed")

    # -- backdated updates ---------------------------------------------------------------

    def test_older_status_never_undoes_newer_state_change(self):
        for fmt in FORMATS:
            rep = self.claim_public_report(public_open)
            rid = rep["id"]
            # Staff schedule the work now; FixMyStreet then sends a comment written
            # five minutes ago that says fixed.
            staff = "in_progress" if rep["state"] == "action_scheduled" else "action_scheduled"
            self.staff_state(rid, staff, "Crew booked")
            before = self.detail(self.token(ADMIN), rid)
            written = int(time.time()) - 300
            uid, notice = self.post_update(fmt, rid, "fms-old-" + fmt, status="FIXED",
                                           description="Looks fixed to me\r\nThanks",
                                           updated_datetime=w3c(written))
            self.assertTrue(notice and "not applied" in notice, notice)
            after = self.detail(self.token(ADMIN), rid)
            self.assertEqual(after["state"], staff, "an older status undid a newer change")
            # The text is kept, with its own time and without a state.
            mine = [u for u in after["updates"] if u["id"] == int(uid)]
            self.assertEqual(len(mine), 1, after["updates"])
            self.assertIn("Looks fixed to me", mine[0]["text"])
            row = self.server.sql("SELECT kind, state, created FROM updates WHERE id = ?", (int(uid),))
            self.assertEqual(row[0][0], "update")
            self.assertIsNone(row[0][1])
            self.assertEqual(row[0][2], written)
            self.assertGreater(after["version"], before["version"])
            # The public timeline shows it with the status the report had then.
            rows, _ = self.updates_window(fmt, written - 1, written + 1)
            shown = [u for u in rows if u["update_id"] == uid]
            self.assertEqual(len(shown), 1)
            self.assertNotEqual(shown[0]["status"], "fixed")
            # A status written after the staff change is applied, without a notice.
            uid2, notice2 = self.post_update(fmt, rid, "fms-new-" + fmt, status="FIXED",
                                             description="Now it is fixed")
            self.assertIsNone(notice2)
            self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], "fixed")
            # Sent again, the old one still changes nothing.
            again, _ = self.post_update(fmt, rid, "fms-old-" + fmt, status="FIXED",
                                        description="Looks fixed to me\r\nThanks",
                                        updated_datetime=w3c(written))
            self.assertEqual(again, uid)
            self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], "fixed")

    def test_backdated_status_applies_when_nothing_changed_since(self):
        rid = self.claim_public_report(public_open)["id"]
        last = self.server.sql("SELECT coalesce(max(created), 0) FROM updates WHERE report_id = ? "
                               "AND state IS NOT NULL", (rid,))[0][0]
        written = max(last + 1, int(time.time()) - 300)
        _, notice = self.post_update("json", rid, "fms-backdated-ok", status="IN_PROGRESS",
                                     description="On it", updated_datetime=w3c(written))
        self.assertIsNone(notice)
        self.assertEqual(self.detail(self.token(ADMIN), rid)["state"], "in_progress")

    # -- busy windows ----------------------------------------------------------------------

    def test_busy_window_answers_every_update(self):
        start, end = BULK_START, BULK_START + BULK_SECONDS
        expected = [str(r[0]) for r in self.server.sql(PUBLIC_UPDATES, (start, end))]
        self.assertGreater(len(expected), 2000, "the bulk close did not happen")
        for fmt in FORMATS:
            rows, r = self.updates_window(fmt, start, end)
            got = [u["update_id"] for u in rows]
            self.assertEqual(len(got), len(expected), "updates of the window were left out")
            self.assertEqual(got, expected)
            self.assertEqual(len(set(got)), len(got), "an update came twice")
            closed = [u for u in rows if u["description"].startswith("Closed in the bulk close")]
            self.assertTrue(closed and all(u["status"] == "closed" for u in closed))
            self.assertTrue(r.raw.rstrip().endswith("</service_request_updates>" if fmt == "xml"
                                                    else "]"))
            # Streamed out in chunks, not held whole.
            self.assertEqual(r.headers.get("Transfer-Encoding"), "chunked")
            self.assertIsNone(r.headers.get("Content-Length"))
        # A quiet window is one ordinary answer.
        rows, r = self.updates_window("xml", start - 3600, start - 3000)
        self.assertLess(len(r.raw), 64 * 1024)
        self.assertIsNotNone(r.headers.get("Content-Length"))

    # -- several photos, CRLF ------------------------------------------------------------

    def test_several_media_urls_and_crlf(self):
        photos = ["https://photos.example.org/a.jpg", "https://photos.example.org/b.jpg",
                  "http://photos.example.org/c.jpeg"]
        for fmt in FORMATS:
            rid = self.new_request(fmt, media_url=photos,
                                   description="Bin overflowing\r\nby the bus stop\r\n\r\nSmells.",
                                   first_name="Priya\r\nAnn", last_name="Open311")
            rep = self.detail(self.token(ADMIN), rid)
            self.assertEqual(rep["media_urls"], [{"url": u, "update_id": None} for u in photos])
            self.assertEqual(rep["photo"], photos[0])
            self.assertEqual(rep["detail"], "Bin overflowing\nby the bus stop\n\nSmells.")
            self.assertEqual(rep["title"], "Bin overflowing")
            self.assertEqual(rep["reporter"]["name"], "Priya\nAnn Open311")
            doc, _ = self.call("GET", "requests/%d" % rid, fmt, "service_requests")
            self.assertEqual(self.rows(doc, fmt, "request")[0]["media_url"], photos[0])
            self.assertEqual(self.rows(doc, fmt, "request")[0]["media_urls"], photos)
            # An update with several photos (also as media_url[]) and CR line ends.
            uid, _ = self.post_update(fmt, rid, "fms-media-" + fmt,
                                      description="Still there\r\nand worse\rnow",
                                      **{"media_url[]": photos[1:]})
            rep = self.detail(self.token(ADMIN), rid)
            self.assertEqual(rep["media_urls"][3:], [{"url": u, "update_id": int(uid)}
                                                     for u in photos[1:]])
            upd = [u for u in rep["updates"] if u["id"] == int(uid)][0]
            self.assertEqual(upd["text"], "Still there\nand worse\nnow")
            self.assertEqual(upd["photo"], photos[1])
            # The request's own photos only: the update's go with the update.
            for out in FORMATS:
                doc, _ = self.call("GET", "requests/%d" % rid, out, "service_requests")
                self.assertEqual(self.rows(doc, out, "request")[0]["media_urls"], photos)
        self.assertEqual(self.count("SELECT count(*) FROM updates WHERE source = 'open311' "
                                    "AND text LIKE ?", ("%" + "\r" + "%",)), 0)
        self.assertEqual(self.count("SELECT count(*) FROM reports WHERE source = 'open311' "
                                    "AND (detail LIKE ? OR reporter_name LIKE ?)",
                                    ("%" + "\r" + "%", "%" + "\r" + "%")), 0)

    def test_removed_photo_leaves_media_urls(self):
        photos = ["https://photos.example.org/face-1.jpg", "https://photos.example.org/face-2.jpg"]
        rid = self.new_request("xml", media_url=photos)
        uid, _ = self.post_update("xml", rid, "fms-keep-photo", description="Another one",
                                  media_url="https://photos.example.org/other.jpg")
        before = self.detail(self.token(ADMIN), rid)
        self.assertEqual(len(before["media_urls"]), 3)
        r = self.req("POST", "/api/v1/reports/%d/moderate" % rid, token=self.token(ADMIN),
                     json={"version": before["version"], "reason": "Face visible",
                           "remove_photo": True})
        self.ok(r)
        after = self.detail(self.token(ADMIN), rid)
        self.assertIsNone(after["photo"])
        self.assertEqual(after["media_urls"], [{"url": "https://photos.example.org/other.jpg",
                                                "update_id": int(uid)}])
        for fmt in FORMATS:
            doc, _ = self.call("GET", "requests/%d" % rid, fmt, "service_requests")
            row = self.rows(doc, fmt, "request")[0]
            self.assertIn(row["media_url"], (None, ""))
            self.assertEqual(row["media_urls"], [])

    def test_media_urls_list_every_stored_photo(self):
        """A report made in the app with several photos: media_urls lists each, in
        order, at the address Open311 publishes stored photos, media_url first;
        a photo removed by moderation leaves the list."""
        admin = self.token(ADMIN)
        cat = self.active_category(admin)
        pngs = [images.make_png(4, 4, lambda x, y, i=i: (40 * i, 90, 200)) for i in range(1, 4)]
        r = self.req("POST", "/api/v1/reports", token=admin, json={
            "category_id": cat["id"], "title": "Three photos of the same bin",
            "detail": "From three sides.", "lat": 51.752, "lon": -1.2577, "as_council": True,
            "photos": [base64.b64encode(p).decode() for p in pngs]})
        rep = kerbside.unwrap(self.ok(r, 201), "report")
        refs = [p["url"] for p in rep["photos"] if p["update_id"] is None]
        self.assertEqual(len(refs), 3)
        names = [u.rsplit("/", 1)[1] for u in refs]
        for fmt in FORMATS:
            doc, _ = self.call("GET", "requests/%d" % rep["id"], fmt, "service_requests")
            row = self.rows(doc, fmt, "request")[0]
            self.assertEqual([u.rsplit("/", 1)[1] for u in row["media_urls"]], names)
            for u in row["media_urls"]:
                self.assertRegex(u, r"^https?://.*/open311/v2/media/[0-9a-f]{32}\.png$")
            self.assertEqual(row["media_url"], row["media_urls"][0])
        # Each address answers the photo itself, without a session.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            conn.request("GET", "/open311/v2/media/" + names[1])
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read()), (200, pngs[1]))
        finally:
            conn.close()
        # The report's photo taken out by moderation: the next one leads.
        detail = self.detail(admin, rep["id"])
        self.ok(self.req("POST", "/api/v1/reports/%d/moderate" % rep["id"], token=admin,
                         json={"version": detail["version"], "reason": "A face",
                               "remove_photo": True}))
        doc, _ = self.call("GET", "requests/%d" % rep["id"], "json", "service_requests")
        self.assertEqual([u.rsplit("/", 1)[1] for u in doc[0]["media_urls"]], names[1:])
        self.assertEqual(doc[0]["media_url"], doc[0]["media_urls"][0])

    def test_bad_media_urls_change_nothing(self):
        rid = self.new_request("json")
        before = self.detail(self.token(ADMIN), rid)
        n_reports = self.count("SELECT count(*) FROM reports")
        good = ["https://photos.example.org/%d.jpg" % i for i in range(20)]
        for fmt in FORMATS:
            for urls in (good + ["https://photos.example.org/21.jpg"],
                         ["https://photos.example.org/ok.jpg", "ftp://photos.example.org/x.jpg"]):
                text = self.assertO311Error(fmt, 400, "POST", "servicerequestupdates", fmt, None,
                                            form={"api_key": self.key, "service_request_id": str(rid),
                                                  "update_id": "fms-bad-media", "description": "x",
                                                  "media_url": urls})
                self.assertIn("media_url", text)
                self.assertO311Error(fmt, 400, "POST", "requests", fmt, None,
                                     form={"api_key": self.key, "service_code": "graffiti",
                                           "lat": "51.752", "long": "-1.2577", "description": "x",
                                           "media_url": urls})
        self.assertEqual(self.detail(self.token(ADMIN), rid), before)
        self.assertEqual(self.count("SELECT count(*) FROM reports"), n_reports)
        # Twenty is allowed.
        rid2 = self.new_request("xml", media_url=good)
        self.assertEqual(len(self.detail(self.token(ADMIN), rid2)["media_urls"]), 20)


def load_tests(loader, tests, pattern):
    """Only this file's tests (the base class's run in test_open311.py)."""
    names = sorted(n for n, v in vars(Open311InteropTest).items()
                   if n.startswith("test") and callable(v))
    return unittest.TestSuite(Open311InteropTest(n) for n in names)


if __name__ == "__main__":
    unittest.main(verbosity=2)
