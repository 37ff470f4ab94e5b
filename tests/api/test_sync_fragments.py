# SPDX-License-Identifier: GPL-3.0-or-later
"""The rendered sync items the store keeps (report_fragments): each kind of
change deletes the items it touches in its own transaction, and the next sync
answers byte for byte what a sync rendering every report afresh answers, with
and without the reporter (offline). The map's list copies the kept items too:
its answers around each changed report are the same bytes whether the items
are kept, gone with the change, or all deleted."""

import json
import os
import re
import subprocess
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, items, unwrap  # noqa: E402
from images import b64, make_png, pattern  # noqa: E402

OPEN = {"confirmed", "investigating", "in_progress", "action_scheduled", "awaiting_information"}


def config_file(cls, text):
    """A configuration file for the class's servers (removed at class end)."""
    d = kerbside.tempfile.mkdtemp(prefix="kerbside-fragments-")
    cls.addClassCleanup(kerbside.shutil.rmtree, d, True)
    path = os.path.join(d, "server.conf")
    with open(path, "w") as f:
        f.write(text)
    return path


class SyncFragmentsTest(kerbside.ServerTestCase):
    """With the housekeeping's keeping ahead off: what a sync renders and keeps
    by itself, and what each change deletes, must not be filled in behind the
    test's back (KeptAheadTest below has it on)."""

    @classmethod
    def setUpClass(cls):
        cls.server_args = ["--config", config_file(cls, "[server]\nkeep-items-ahead=false\n")]
        super().setUpClass()

    # -- helpers ------------------------------------------------------------------

    def raw_sync(self, **params):
        """The whole sync from the start as the server wrote it (one page)."""
        r = self.req("GET", "/api/v1/sync", token=self.token(INSPECTOR),
                     query=dict(params, since=0, limit=50000))
        body = self.ok(r, 200)
        self.assertFalse(body["more"])
        return r.raw, {rep["id"]: rep for rep in items(body, "reports")}

    def raw_lists(self, rids):
        """The list around each report's place now, as the server wrote it: the
        whole box newest first and newest created first, and the report's state
        alone in pages of 7 (so that the report is on the page, hidden ones
        included, with a cursor)."""
        out = []
        for rid in rids:
            rep = self.fresh(rid)
            bbox = "%.6f,%.6f,%.6f,%.6f" % (rep["lon"] - 0.006, rep["lat"] - 0.004,
                                            rep["lon"] + 0.006, rep["lat"] + 0.004)
            r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR),
                         query={"bbox": bbox, "limit": 1000})
            self.ok(r, 200)
            out.append(r.raw)
            # Another order: the box through its spatial index, not the cells.
            r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR),
                         query={"bbox": bbox, "sort": "-created", "limit": 1000})
            self.ok(r, 200)
            out.append(r.raw)
            query = {"bbox": bbox, "state": rep["state"], "limit": 7}
            seen = []
            while True:
                r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR), query=query)
                body = self.ok(r, 200)
                out.append(r.raw)
                seen += [x["id"] for x in items(body, "reports")]
                if body["next_cursor"] is None or rid in seen:
                    break
                query["cursor"] = body["next_cursor"]
            self.assertIn(rid, seen, "report %d is not in the list around it" % rid)
        return out

    def kept(self, rid):
        return self.server.sql("SELECT count(*) FROM report_fragments WHERE report_id = ?",
                               (rid,))[0][0]

    def fresh(self, rid):
        return self.detail(self.token(ADMIN), rid)

    def post(self, path, who, body, *statuses):
        return self.ok(self.req("POST", path, token=self.token(who), json=body),
                       *(statuses or (200,)))

    def category(self, code):
        for c in items(self.ok(self.req("GET", "/api/v1/categories",
                                        token=self.token(ADMIN)), 200), "categories"):
            if c.get("code") == code:
                return c
        self.fail("the demo council has no category %s" % code)

    def check(self, rids, change, expect):
        """Fills every item, makes the change, and checks that the items of rids
        went with it, that the next syncs (copying kept items, then rendering
        everything afresh) answer the same bytes, and expect(report) on each."""
        self.raw_sync()
        for rid in rids:
            self.assertEqual(self.kept(rid), 1, "report %d has no kept item before" % rid)
        change()
        for rid in rids:
            self.assertEqual(self.kept(rid), 0, "the change left report %d's item" % rid)
        listed = self.raw_lists(rids[:3])       # the changed ones read from their rows
        first, reports = self.raw_sync()        # renders the changed ones
        for rid in rids:
            self.assertEqual(self.kept(rid), 1, "the sync did not keep report %d's item" % rid)
            expect(reports[rid])
        listed_copied = self.raw_lists(rids[:3])
        copied, _ = self.raw_sync()             # copies every item
        offline_copied, _ = self.raw_sync(offline=1)
        self.server.sql("DELETE FROM report_fragments")
        listed_rendered = self.raw_lists(rids[:3])
        self.assertEqual(listed, listed_rendered)
        self.assertEqual(listed_copied, listed_rendered)
        rendered, _ = self.raw_sync()           # renders every item
        self.server.sql("DELETE FROM report_fragments")
        offline_rendered, offline = self.raw_sync(offline=1)
        self.assertEqual(first, rendered)
        self.assertEqual(copied, rendered)
        self.assertEqual(offline_copied, offline_rendered)
        self.assertIn("reporter", offline[rids[0]])

    # -- each kind of change --------------------------------------------------------

    def test_public_update_with_state(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN and r["state"] != "in_progress")
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/updates" % rep["id"], INSPECTOR,
            {"text": "Crew booked.", "state": "in_progress"}),
            lambda r: self.assertEqual(r["state"], "in_progress"))

    def test_state(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/state" % rep["id"], INSPECTOR,
            {"state": "fixed", "version": self.fresh(rep["id"])["version"]}),
            lambda r: self.assertEqual(r["state"], "fixed"))

    def test_moderated_title(self):
        """Characters of more than one byte in the list's members and after
        them: the list cuts a kept item's list members in bytes."""
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        title = "Caf\u00e9 fa\u00e7ade \u2014 \u201cbroken\u201d sign, \u00a35 \u2713 \U0001f6a7"
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/moderate" % rep["id"], CUSTOMER_SERVICES,
            {"version": self.fresh(rep["id"])["version"], "reason": "Tidied",
             "title": title, "detail": "D\u00e9j\u00e0 vu \u2014 " * 40}),
            lambda r: self.assertEqual(r["title"], title))

    def test_priority(self):
        rep = self.claim_report(lambda r: r["priority_id"] is not None and r["state"] in OPEN)
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/priority" % rep["id"], INSPECTOR,
            {"priority_id": None, "version": self.fresh(rep["id"])["version"]}),
            lambda r: self.assertIsNone(r["priority_id"]))

    def test_hide(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/hide" % rep["id"], ADMIN,
            {"version": self.fresh(rep["id"])["version"], "reason": "Spam"}),
            lambda r: self.assertEqual(r["state"], "hidden"))

    def test_location(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        lat, lon = round(rep["lat"] + 0.0007, 6), round(rep["lon"] - 0.0004, 6)
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/location" % rep["id"], INSPECTOR,
            {"lat": lat, "lon": lon, "version": self.fresh(rep["id"])["version"]}),
            lambda r: self.assertAlmostEqual(r["lat"], lat, places=5))

    def test_category_change(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN and not r["attributes"])
        cats = items(self.ok(self.req("GET", "/api/v1/categories", token=self.token(ADMIN)),
                             200), "categories")
        target = next(c for c in cats if c.get("active") and c["id"] != rep["category_id"]
                      and not c.get("questions"))
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/category" % rep["id"], INSPECTOR,
            {"category_id": target["id"], "version": self.fresh(rep["id"])["version"]}),
            lambda r: self.assertEqual((r["category_id"], r["category"]),
                                       (target["id"], target["name"])))

    def test_answers(self):
        pot = self.category("potholes")
        rep = self.claim_report(lambda r: r["category_id"] == pot["id"] and r["state"] in OPEN
                                and len(r["attributes"]) == 2)
        answers = {a["code"]: a["value"] for a in rep["attributes"]}
        answers["in_cycle_lane"] = "yes" if answers.get("in_cycle_lane") == "no" else "no"
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/attributes" % rep["id"], INSPECTOR,
            {"attributes": answers, "version": self.fresh(rep["id"])["version"]}),
            lambda r: self.assertIn({"code": "in_cycle_lane", "value": answers["in_cycle_lane"]},
                                    r["attributes"]))

    def test_photo_and_redaction(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        png = b64(make_png(16, 16, pattern))
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/photos" % rep["id"], INSPECTOR, {"photos": [png]}),
            lambda r: self.assertTrue(r["photos"] and not r["photos"][-1]["redacted"]))
        url = self.fresh(rep["id"])["photos"][-1]["url"]
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/reports/%d/photos/%s/redact" % (rep["id"], url.rsplit("/", 1)[1]),
            CUSTOMER_SERVICES, {"reason": "A face",
                                "rectangles": [{"x": 0, "y": 0, "width": 8, "height": 8}]}),
            lambda r: self.assertTrue(r["photos"][-1]["redacted"]))

    def test_duplicate(self):
        dup = self.claim_report(lambda r: r["state"] in OPEN)
        orig = self.claim_report(lambda r: r["state"] in OPEN)
        self.check([dup["id"]], lambda: self.post(
            "/api/v1/reports/%d/duplicate" % dup["id"], INSPECTOR,
            {"of": orig["id"], "version": self.fresh(dup["id"])["version"]}),
            lambda r: self.assertEqual((r["state"], r["duplicate_of"]), ("duplicate", orig["id"])))
        # The link is in the sync item (the id alone; the detail names it).
        _, reports = self.raw_sync()
        self.assertIsNone(reports[orig["id"]]["duplicate_of"])
        self.assertEqual(self.fresh(dup["id"])["duplicate_of"]["id"], orig["id"])
        # Undone: the kept item goes with the link.
        self.check([dup["id"]], lambda: self.ok(self.req(
            "DELETE", "/api/v1/reports/%d/duplicate" % dup["id"], token=self.token(INSPECTOR),
            json={"version": self.fresh(dup["id"])["version"]}), 200),
            lambda r: self.assertIsNone(r["duplicate_of"]))

    def test_shortlist(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN and r["shortlist_user"] is None)
        me = self.me(self.token(INSPECTOR))
        self.check([rep["id"]], lambda: self.post(
            "/api/v1/shortlist", INSPECTOR, {"report_id": rep["id"]}),
            lambda r: self.assertEqual(r["shortlist_user"], me["id"]))

    def test_category_rename(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        others = [r["id"] for r in self.raw_sync()[1].values()
                  if r["category_id"] == rep["category_id"]]
        r = self.req("PATCH", "/api/v1/categories/%d" % rep["category_id"],
                     token=self.token(ADMIN), json={"name": "Renamed for the sync"})
        self.ok(r, 200)
        # The rename itself: the same in every report of the category.
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM report_fragments f JOIN reports r ON r.id = f.report_id "
            "WHERE r.category_id = ?", (rep["category_id"],))[0][0], 0)
        self.check(others, lambda: self.ok(self.req(
            "PATCH", "/api/v1/categories/%d" % rep["category_id"], token=self.token(ADMIN),
            json={"name": "Renamed again"}), 200),
            lambda r: self.assertEqual(r["category"], "Renamed again"))

    def test_staff_rename(self):
        rep = self.claim_report(lambda r: r["state"] in OPEN and r["acknowledged"] is None)
        self.post("/api/v1/reports/%d/acknowledge" % rep["id"], INSPECTOR,
                  {"version": self.fresh(rep["id"])["version"]})
        uid = self.me(self.token(INSPECTOR))["id"]
        acked = [r["id"] for r in self.raw_sync()[1].values()
                 if (r.get("acknowledged_by") or {}).get("id") == uid]
        self.assertIn(rep["id"], acked)
        self.check(acked, lambda: self.ok(self.req(
            "PATCH", "/api/v1/staff/%d" % uid, token=self.token(ADMIN),
            json={"name": "Tom Renamed"}), 200),
            lambda r: self.assertEqual(r["acknowledged_by"]["name"], "Tom Renamed"))

    def test_no_personal_data_kept(self):
        """An offline sync (with the reporter) keeps items too, never with the
        reporter in them."""
        self.server.sql("DELETE FROM report_fragments")
        self.raw_sync(offline=1)
        bodies = [b for (b,) in self.server.sql("SELECT body FROM report_fragments")]
        self.assertGreater(len(bodies), 100)
        emails = [e for (e,) in self.server.sql(
            "SELECT reporter_email FROM reports WHERE reporter_email IS NOT NULL")]
        self.assertTrue(emails)
        everything = "\n".join(bodies)
        self.assertNotIn('"reporter"', everything)
        for e in emails:
            self.assertNotIn(e, everything)

    @unittest.skipIf(kerbside.PG, "SQLite's query plan")
    def test_council_walk_reads_the_index_alone(self):
        """A council's sync walks reports_body_seq alone (it holds the category,
        which decides what the caller may see, and the reporter, which an
        offline sync sends) beside the kept items: with or without the
        reporter, the walk never reads the reports' rows."""
        for columns in ("r.id, r.seq, f.body, f.list_len",
                        "r.id, r.seq, f.body, f.list_len, r.body_id, r.reporter_name, "
                        "r.reporter_email, r.reporter_phone, r.show_name"):
            plan = " ".join(str(row[-1]) for row in self.server.sql(
                "EXPLAIN QUERY PLAN SELECT " + columns + " "
                "FROM reports r INDEXED BY reports_body_seq "
                "LEFT JOIN report_fragments f ON f.report_id = r.id AND f.seq = r.seq "
                "WHERE r.body_id = 1 AND r.seq > 0 "
                "AND r.category_id NOT IN (SELECT value FROM json_each ('[2]')) ORDER BY r.seq"))
            self.assertIn("COVERING INDEX reports_body_seq", plan, columns)


class KeptAheadTest(kerbside.ServerTestCase):
    """The housekeeping (every second here) keeps ahead the items the reports
    lack, without any sync: at start, on a database that has none, and after a
    change that dropped many (a category's rename); the bytes it keeps are
    those a sync renders."""

    @classmethod
    def setUpClass(cls):
        cls.conf = config_file(cls, "[server]\nhousekeeping-seconds=1\n")
        cls.server_args = ["--config", cls.conf]
        super().setUpClass()

    def missing(self):
        return self.server.sql(
            "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM report_fragments f "
            "WHERE f.report_id = r.id AND f.seq = r.seq)")[0][0]

    def wait_all_kept(self, what):
        deadline = time.monotonic() + 30
        while self.missing() > 0:
            if time.monotonic() > deadline:
                self.fail("%d reports still have no item %s" % (self.missing(), what))
            time.sleep(0.1)

    def kept_bodies(self):
        return dict(self.server.sql("SELECT report_id, body FROM report_fragments"))

    def test_a_setting_neither_true_nor_false_is_refused(self):
        conf = config_file(self, "[server]\nkeep-items-ahead=perhaps\n")
        db = os.path.join(self.tmp, "refused.db")
        r = subprocess.run([kerbside.server_binary(), "serve", "--config", conf, "--db", db,
                            "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("keep-items-ahead must be true or false", r.stderr)
        self.assertFalse(os.path.exists(db), "the refused server made its database")

    def test_after_one_change_the_walk_starts_at_that_report(self):
        """Once every report has its item, the next walk starts at the first
        report without one: after one change, at that report, not at the
        first report of all (the log says where it started and how many it
        walked); and with none missing, no walk at all."""
        self.wait_all_kept("after the start")
        total = self.server.sql("SELECT count(*) FROM reports")[0][0]
        rep = self.claim_report(lambda r: r["state"] in OPEN)
        mark = os.path.getsize(self.server.log_path)
        self.ok(self.req("POST", "/api/v1/reports/%d/state" % rep["id"], token=self.token(INSPECTOR),
                         json={"state": "fixed", "version": self.detail(self.token(ADMIN), rep["id"])["version"]}),
                200)
        seq = self.server.sql("SELECT seq FROM reports WHERE id = ?", (rep["id"],))[0][0]
        self.wait_all_kept("after the change")
        pattern = (r"Kept (\d+) reports' sync items ahead in [\d.]+ s "
                   r"\((\d+) reports walked after seq (\d+)\)")
        deadline = time.monotonic() + 10
        while True:
            with open(self.server.log_path, encoding="utf-8", errors="replace") as f:
                f.seek(mark)
                log = f.read()
            walks = re.findall(pattern, log)
            if walks or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertTrue(walks, "no walk logged after the change: " + log[-2000:])
        kept, walked, since = (int(n) for n in walks[0])
        self.assertEqual(kept, 1, log[-2000:])
        self.assertEqual(since, seq - 1, log[-2000:])
        self.assertEqual(walked, self.server.sql("SELECT count(*) FROM reports WHERE seq >= ?",
                                                 (seq,))[0][0])
        self.assertLess(walked, total)
        # Nothing missing: the runs after it walk nothing and log nothing.
        time.sleep(2.5)
        with open(self.server.log_path, encoding="utf-8", errors="replace") as f:
            f.seek(mark)
            self.assertEqual(len(re.findall(pattern, f.read())), 1)

    def test_kept_at_start_and_after_a_rename(self):
        total = self.server.sql("SELECT count(*) FROM reports")[0][0]
        self.assertGreater(total, 100)
        # The demo keeps none; nothing here syncs.
        self.wait_all_kept("after the start")
        with open(self.server.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        # The first walk, at the start, kept them all (the test before may
        # have made more since).
        kept = re.findall(r"Kept (\d+) reports' sync items ahead", log)
        self.assertTrue(kept, log[-2000:])
        self.assertEqual(int(kept[0]), total, log[-2000:])

        # A rename drops the items of its category's reports; the next
        # housekeeping brings them back, with the new name.
        cat = self.server.sql("SELECT category_id, count(*) FROM reports GROUP BY category_id "
                              "ORDER BY 2 DESC LIMIT 1")[0][0]
        self.ok(self.req("PATCH", "/api/v1/categories/%d" % cat, token=self.token(ADMIN),
                         json={"name": "Renamed while kept ahead"}), 200)
        self.wait_all_kept("after the rename")
        renamed = self.server.sql(
            "SELECT f.body FROM report_fragments f JOIN reports r ON r.id = f.report_id "
            "WHERE r.category_id = ?", (cat,))
        self.assertTrue(renamed)
        for (body,) in renamed:
            self.assertEqual(json.loads(body)["category"], "Renamed while kept ahead")
        ahead = self.kept_bodies()
        self.assertEqual(len(ahead), total)

        # The same bytes as a sync renders: the server again without keeping
        # ahead, every item deleted, one sync.
        self.server.stop()
        self.server.args = ["--config", config_file(self, "[server]\nkeep-items-ahead=false\n")]
        self.server.sql("DELETE FROM report_fragments")
        self.server.start()
        self.ok(self.req("GET", "/api/v1/sync", token=self.server.login(ADMIN),
                         query={"since": 0, "limit": 50000}), 200)
        rendered = self.kept_bodies()
        self.assertEqual(set(rendered), set(ahead))
        for rid, body in ahead.items():
            self.assertEqual(body, rendered[rid], "report %d" % rid)


if __name__ == "__main__":
    unittest.main()
