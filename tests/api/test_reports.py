# SPDX-License-Identifier: GPL-3.0-or-later
"""Report reads: list filters, sorting and cursor pages; sync; detail."""

import datetime
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kerbside  # noqa: E402
from kerbside import ADMIN, INSPECTOR, CUSTOMER_SERVICES, items  # noqa: E402

LIST_FIELDS = {"id", "title", "category_id", "category", "group", "state", "priority_id",
               "lat", "lon", "ward", "created", "updated", "acknowledged", "shortlist_user",
               "has_photo", "version", "seq"}
SYNC_EXTRA = {"detail", "address", "photo", "acknowledged_by", "shortlist_position"}
DETAIL_EXTRA = {"detail", "address", "photo", "source", "shortlist_position",
                "acknowledged_by", "reporter", "updates", "moderation"}
PERSONAL = {"reporter", "reporter_name", "reporter_email", "reporter_phone"}
KINDS = {
    "open": {"confirmed", "investigating", "in_progress", "action_scheduled",
             "awaiting_information"},
    "fixed": {"fixed"},
    "closed": {"no_further_action", "not_responsible", "duplicate", "internal_referral",
               "closed"},
}

STATE_ORDER = ["unconfirmed", "hidden", "confirmed", "investigating", "in_progress",
               "action_scheduled", "awaiting_information", "fixed", "no_further_action",
               "not_responsible", "duplicate", "internal_referral", "closed"]


def iso_date(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


class ReportsTest(kerbside.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Everything the council holds, as the reference for the filters.
        tok = cls.token(ADMIN)
        reports, seq = [], 0
        while True:
            r = cls.server.req("GET", "/api/v1/sync", token=tok,
                               query={"since": seq, "limit": 1000})
            assert r.status == 200, r
            reports.extend(r.body["reports"])
            seq = r.body["seq"]
            if not r.body["more"]:
                break
        cls.all = {rep["id"]: rep for rep in reports}

    def ids(self, rows):
        ids = [r["id"] for r in rows]
        self.assertEqual(len(ids), len(set(ids)), "duplicate reports in a list")
        return set(ids)

    def fresh(self):
        """Every report as sync shows it now (other tests change a few)."""
        reports, _, _ = self.sync_all(self.token(ADMIN), limit=1000)
        return {rep["id"]: rep for rep in reports}

    def expect_filter(self, params, pred):
        """The list with params holds exactly the reports for which pred holds."""
        now = self.fresh()
        rows = self.list_all(self.token(INSPECTOR), limit=40, **params)
        got = self.ids(rows)
        want = {i for i, rep in now.items() if pred(rep)}
        self.assertEqual(got, want, "filter %r" % (params,))
        return rows

    # -- list ------------------------------------------------------------------

    def test_demo_has_the_reports(self):
        self.assertEqual(len(self.all), kerbside.DEMO_REPORTS)

    def test_list_shape_and_no_personal_data(self):
        now = self.fresh()
        rows, cursor = self.list_page(self.token(CUSTOMER_SERVICES), limit=50)
        self.assertEqual(len(rows), 50)
        self.assertIsNotNone(cursor)
        for row in rows:
            self.assertLessEqual(LIST_FIELDS, set(row), row)
            self.assertFalse(PERSONAL & set(row), "personal data in a list: %r" % row)
            for f in LIST_FIELDS:
                self.assertEqual(row[f], now[row["id"]][f], f)

    def test_default_sort_is_updated_descending(self):
        rows, _ = self.list_page(self.token(ADMIN), limit=100)
        keys = [(r["updated"], r["id"]) for r in rows]
        self.assertEqual(keys, sorted(keys, reverse=True))

    def test_cursor_walks_all_pages(self):
        for limit in (1, 7, 100, 1000):
            with self.subTest(limit=limit):
                rows = self.list_all(self.token(INSPECTOR), limit=limit)
                self.assertEqual(self.ids(rows), set(self.all))
                if limit == 1000:
                    self.assertEqual(len(rows), len(self.all))

    def test_sorts(self):
        tok = self.token(INSPECTOR)
        for sort, field in (("id", "id"), ("created", "created"), ("updated", "updated"),
                            ("state", "state"), ("title", "title"), ("ward", "ward"),
                            ("category", "category"), ("priority", "priority_id")):
            for desc in (False, True):
                param = ("-" if desc else "") + sort
                with self.subTest(sort=param):
                    rows = self.list_all(tok, limit=23, sort=param)
                    self.assertEqual(self.ids(rows), set(self.all))
                    # The same walk with other page sizes gives the same order.
                    again = self.list_all(tok, limit=61, sort=param)
                    self.assertEqual([r["id"] for r in rows], [r["id"] for r in again])
                    vals = [r[field] for r in rows]
                    if field == "priority_id":
                        # Priorities sort by their rank, NULLs where the server puts
                        # them: equal priorities must at least be together.
                        runs = [v for i, v in enumerate(vals) if i == 0 or vals[i - 1] != v]
                        self.assertEqual(len(runs), len(set(runs)), param)
                    elif field == "state":
                        # By state id or by the states table's order.
                        ranks = [STATE_ORDER.index(v) for v in vals]
                        self.assertTrue(vals == sorted(vals, reverse=desc) or
                                        ranks == sorted(ranks, reverse=desc), param)
                    elif field == "category" and [r["category_id"] for r in rows] == sorted(
                            [r["category_id"] for r in rows], reverse=desc):
                        pass  # by category id: fine too
                    elif field in ("title", "ward", "category"):
                        # Binary or case-insensitive collation: either is fine.
                        folded = [v.casefold() for v in vals]
                        self.assertTrue(vals == sorted(vals, reverse=desc) or
                                        folded == sorted(folded, reverse=desc),
                                        "%s not ordered: %r" % (param, vals[:20]))
                    else:
                        self.assertEqual(vals, sorted(vals, reverse=desc), param)
                    # Ties are broken by id in the same direction.
                    for a, b in zip(rows, rows[1:]):
                        if a[field] == b[field]:
                            self.assertEqual(a["id"] < b["id"], not desc, param)

    def test_filter_state(self):
        self.expect_filter({"state": "fixed"}, lambda r: r["state"] == "fixed")
        self.expect_filter({"state": "confirmed,investigating"},
                           lambda r: r["state"] in ("confirmed", "investigating"))
        for kind, states in KINDS.items():
            with self.subTest(kind=kind):
                rows = self.expect_filter({"state": kind}, lambda r: r["state"] in states)
                self.assertTrue(rows, "the demo has no %s reports" % kind)
        self.expect_filter({"state": "open,closed"},
                           lambda r: r["state"] in KINDS["open"] | KINDS["closed"])

    def test_filter_category(self):
        cats = sorted({r["category_id"] for r in self.all.values()})
        self.assertGreater(len(cats), 3)
        self.expect_filter({"category": str(cats[0])}, lambda r: r["category_id"] == cats[0])
        two = "%d,%d" % (cats[1], cats[2])
        self.expect_filter({"category": two}, lambda r: r["category_id"] in cats[1:3])

    def test_filter_group(self):
        self.expect_filter({"group": "Roads"},
                           lambda r: "Roads" in (r["group"] or "").split("|"))

    def test_filter_priority(self):
        prios = sorted({r["priority_id"] for r in self.all.values() if r["priority_id"]})
        self.assertTrue(prios)
        self.expect_filter({"priority": str(prios[0])}, lambda r: r["priority_id"] == prios[0])
        self.expect_filter({"priority": "none"}, lambda r: r["priority_id"] is None)

    def test_filter_ward(self):
        ward = sorted({r["ward"] for r in self.all.values() if r["ward"]})[0]
        self.expect_filter({"ward": ward}, lambda r: r["ward"] == ward)

    def test_filter_bbox(self):
        lats = sorted(r["lat"] for r in self.all.values())
        lons = sorted(r["lon"] for r in self.all.values())
        n = len(lats)
        box = (lons[n // 4], lats[n // 4], lons[3 * n // 4], lats[3 * n // 4])
        rows = self.list_all(self.token(INSPECTOR), limit=50,
                             bbox="%.6f,%.6f,%.6f,%.6f" % box)
        got = self.ids(rows)
        eps = 1e-4  # the R*Tree keeps 32-bit coordinates
        inside = {i for i, r in self.all.items()
                  if box[0] + eps <= r["lon"] <= box[2] - eps and
                  box[1] + eps <= r["lat"] <= box[3] - eps}
        near = {i for i, r in self.all.items()
                if box[0] - eps <= r["lon"] <= box[2] + eps and
                box[1] - eps <= r["lat"] <= box[3] + eps}
        self.assertTrue(inside)
        self.assertLessEqual(inside, got)
        self.assertLessEqual(got, near)
        # A box far away is empty; a box around everything has everything.
        rows, cursor = self.list_page(self.token(INSPECTOR), bbox="10,10,11,11")
        self.assertEqual(rows, [])
        self.assertIsNone(cursor)
        rows = self.list_all(self.token(INSPECTOR), limit=1000, bbox="-2,51,0,52")
        self.assertEqual(self.ids(rows), set(self.all))

    def test_filter_bbox_with_state_and_sort(self):
        rows = self.list_all(self.token(INSPECTOR), limit=9, bbox="-2,51,0,52", state="open",
                             sort="-created")
        self.assertEqual(self.ids(rows), {i for i, r in self.all.items()
                                          if r["state"] in KINDS["open"]})
        keys = [(r["created"], r["id"]) for r in rows]
        self.assertEqual(keys, sorted(keys, reverse=True))

    def test_filter_dates(self):
        created = sorted(iso_date(r["created"]) for r in self.all.values())
        mid = created[len(created) // 2].date()
        lo = mid - datetime.timedelta(days=60)
        hi = mid + datetime.timedelta(days=60)
        rows = self.list_all(self.token(INSPECTOR), limit=50,
                             created_from=lo.isoformat(), created_to=hi.isoformat())
        got = self.ids(rows)
        start = datetime.datetime.combine(lo, datetime.time())
        end = datetime.datetime.combine(hi, datetime.time())
        # Whether created_to takes in its whole day is the server's choice:
        # everything strictly inside must be there, nothing outside the day.
        must = {i for i, r in self.all.items() if start <= iso_date(r["created"]) < end}
        may = {i for i, r in self.all.items()
               if start <= iso_date(r["created"]) < end + datetime.timedelta(days=1)}
        self.assertTrue(must)
        self.assertLessEqual(must, got)
        self.assertLessEqual(got, may)
        # Full ISO timestamps work too.
        now = self.fresh()
        ts = now[min(now)]["updated"]
        rows = self.list_all(self.token(INSPECTOR), limit=100, updated_from=ts)
        self.assertEqual(self.ids(rows), {i for i, r in now.items() if r["updated"] >= ts})

    def test_filter_text(self):
        # A word from a title finds that report, and only reports with the word.
        # The first report from the middle on with a word of five letters or more
        # in its title (some demo titles have none: "Lamp post 4194 lit all day").
        ids = sorted(self.all)
        ids = ids[len(ids) // 2:] + ids[:len(ids) // 2]
        candidates = [(self.all[i], [w for w in self.all[i]["title"].split()
                                     if len(w) >= 5 and w.isalpha()]) for i in ids]
        sample, words = next(((r, w) for r, w in candidates if w), (None, []))
        self.assertTrue(words, "no demo title has a word of five letters")
        word = words[0]
        rows = self.list_all(self.token(INSPECTOR), limit=100, q=word)
        got = self.ids(rows)
        self.assertIn(sample["id"], got)
        for rep in rows:
            # As it is now: another test of this class retitles a report.
            full = self.detail(self.token(ADMIN), rep["id"])
            text = (full["title"] + " " + full["detail"]).casefold()
            self.assertIn(word.casefold()[:4], text)
        # Text that looks like FTS syntax is taken as words, never an error.
        for q in ('pothole"', "NEAR(pothole", "a OR", "title:x", "AND", "pothole AND NOT",
                  '"pothole', "pot*", "-pothole", "pothole)"):
            with self.subTest(q=q):
                r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR),
                             query={"q": q})
                self.assertEqual(r.status, 200, r)
        # Text without any word may be refused, naming the parameter (never a 500).
        for q in ('"', "*", "(", "^", "-", '""'):
            with self.subTest(q=q):
                r = self.req("GET", "/api/v1/reports", token=self.token(INSPECTOR),
                             query={"q": q})
                if r.status != 200:
                    self.assertIn("q", self.assertError(r, 422)["message"])

    def test_combined_filters(self):
        cat = self.all[min(self.all)]["category_id"]
        self.expect_filter({"state": "fixed,closed", "category": str(cat)},
                           lambda r: r["category_id"] == cat and
                           r["state"] in KINDS["fixed"] | KINDS["closed"])

    def test_bad_parameters_422(self):
        tok = self.token(INSPECTOR)
        for name, value in (("bbox", "1,2,3"), ("bbox", "a,b,c,d"), ("bbox", "5,5,1,1"),
                            ("state", "nonsense"), ("category", "abc"), ("sort", "colour"),
                            ("sort", "-"), ("limit", "0"), ("limit", "1001"), ("limit", "x"),
                            ("created_from", "yesterday"), ("updated_to", "2025-13-45"),
                            ("cursor", "!!!not-a-cursor"), ("priority", "high")):
            with self.subTest(name=name, value=value):
                r = self.req("GET", "/api/v1/reports", token=tok, query={name: value})
                err = self.assertError(r, 422)
                self.assertIn(name, err["message"])

    # -- sync ------------------------------------------------------------------

    def test_sync_pages_through_everything(self):
        reports, tombstones, seq = self.sync_all(self.token(INSPECTOR), since=0, limit=47)
        self.assertEqual(self.ids(reports), set(self.all))
        seqs = [r["seq"] for r in reports]
        self.assertEqual(len(seqs), len(set(seqs)))
        self.assertGreaterEqual(seq, max(seqs))
        self.assertIsInstance(tombstones, list)
        for rep in reports:
            self.assertLessEqual(LIST_FIELDS | SYNC_EXTRA, set(rep))
            self.assertFalse(PERSONAL & set(rep), "personal data in sync without offline")

    def test_sync_pages_follow_seq_and_hold_ids_in_order(self):
        """Each page holds the reports changed after the page before it, up to
        its own seq, every one of them after every one of the page before; within
        a page they come in the order of their ids."""
        tok, since, pages = self.token(INSPECTOR), 0, 0
        for _ in range(1000):
            body = self.ok(self.req("GET", "/api/v1/sync", token=tok,
                                    query={"since": since, "limit": 47}), 200)
            page = items(body, "reports")
            ids = [r["id"] for r in page]
            self.assertEqual(ids, sorted(ids), "page %d not in id order" % pages)
            for r in page:
                self.assertGreater(r["seq"], since)
                self.assertLessEqual(r["seq"], body["seq"])
            if body["more"]:
                self.assertGreaterEqual(len(page), 47)
            since, pages = body["seq"], pages + 1
            if not body["more"]:
                break
        self.assertGreater(pages, 2, "the test wants several pages")

    def test_sync_incremental_after_change(self):
        admin = self.token(ADMIN)
        _, _, seq = self.sync_all(admin)
        r = self.sync_all(admin, since=seq)
        self.assertEqual(r[0], [])
        rep = self.claim_report(lambda x: x["state"] in KINDS["open"] and not x["acknowledged"])
        res = self.req("POST", "/api/v1/reports/%d/acknowledge" % rep["id"], token=admin, json={})
        self.ok(res, 200)
        reports, tombstones, seq2 = self.sync_all(self.token(INSPECTOR), since=seq)
        self.assertEqual([x["id"] for x in reports], [rep["id"]])
        self.assertGreater(seq2, seq)
        self.assertGreater(reports[0]["seq"], seq)
        self.assertIsNotNone(reports[0]["acknowledged"])
        self.assertIsInstance(tombstones, list)
        # Nothing new after that.
        reports, _, seq3 = self.sync_all(self.token(INSPECTOR), since=seq2)
        self.assertEqual(reports, [])
        self.assertEqual(seq3, seq2)

    def test_sync_offline_carries_reporter(self):
        reports, _, _ = self.sync_all(self.token(INSPECTOR), offline=1, limit=500)
        self.assertEqual(self.ids(reports), set(self.all))
        with_email = [r for r in reports if r.get("reporter") and r["reporter"].get("email")]
        self.assertTrue(with_email)
        self.assertTrue(all("reporter" in r for r in reports))
        # Customer Services lacks view_offline.
        r = self.req("GET", "/api/v1/sync", token=self.token(CUSTOMER_SERVICES),
                     query={"since": 0, "offline": 1})
        self.assertError(r, 403)

    def test_sync_limits(self):
        tok = self.token(INSPECTOR)
        for q in ({"since": "x"}, {"since": -1}, {"limit": 0}, {"limit": 50001}, {"count": "2"}):
            with self.subTest(q=q):
                self.assertError(self.req("GET", "/api/v1/sync", token=tok, query=q), 422)

    def test_sync_count_remaining(self):
        tok = self.token(INSPECTOR)
        everything, _, _ = self.sync_all(tok, limit=1000)
        r = self.req("GET", "/api/v1/sync", token=tok, query={"since": 0, "limit": 7, "count": 1})
        self.ok(r, 200)
        self.assertEqual(len(r.body["reports"]) + r.body["remaining"], len(everything))
        # Only when asked.
        r2 = self.req("GET", "/api/v1/sync", token=tok, query={"since": r.body["seq"], "limit": 7})
        self.ok(r2, 200)
        self.assertNotIn("remaining", r2.body)
        # The last page: nothing remains.
        r3 = self.req("GET", "/api/v1/sync", token=tok,
                      query={"since": 0, "limit": 50000, "count": "true"})
        self.assertFalse(r3.body["more"])
        self.assertEqual(r3.body["remaining"], 0)

    # -- detail ------------------------------------------------------------------

    def test_detail_shape(self):
        tok = self.token(CUSTOMER_SERVICES)
        rep = self.all[min(self.all)]
        d = self.detail(tok, rep["id"])
        self.assertLessEqual(LIST_FIELDS | DETAIL_EXTRA, set(d))
        for f in ("title", "state", "category_id", "version", "seq", "created", "updated"):
            self.assertEqual(d[f], rep[f], f)
        self.assertIsInstance(d["updates"], list)
        self.assertIsInstance(d["moderation"], list)
        # Staff of the report's council see the reporter.
        self.assertIsInstance(d["reporter"], dict)
        self.assertLessEqual({"name", "email", "phone", "show_name"}, set(d["reporter"]))

    def test_detail_updates_oldest_first(self):
        tok = self.token(INSPECTOR)
        found = 0
        for rid in sorted(self.all)[:60]:
            d = self.detail(tok, rid)
            ups = d["updates"]
            if len(ups) >= 2:
                found += 1
                times = [(u["created"], u["id"]) for u in ups]
                self.assertEqual(times, sorted(times))
                for u in ups:
                    self.assertLessEqual({"id", "kind", "text", "state", "priority_id", "user",
                                          "public", "created"}, set(u))
        self.assertGreater(found, 0, "no demo report with two updates among 60")

    def test_detail_shows_new_update_and_moderation(self):
        admin = self.token(ADMIN)
        rep = self.claim_report(lambda x: x["state"] in KINDS["open"])
        before = self.detail(admin, rep["id"])
        r = self.req("POST", "/api/v1/reports/%d/updates" % rep["id"], token=admin,
                     json={"text": "Crew booked for Tuesday."})
        self.ok(r, 200, 201)
        r = self.req("POST", "/api/v1/reports/%d/moderate" % rep["id"], token=admin,
                     json={"version": before["version"] + 1, "reason": "Personal details in title",
                           "title": "Pothole on the main road"})
        self.ok(r, 200)
        d = self.detail(self.token(INSPECTOR), rep["id"])
        self.assertEqual(d["updates"][-1]["text"], "Crew booked for Tuesday.")
        self.assertEqual(len(d["updates"]), len(before["updates"]) + 1)
        self.assertEqual(d["title"], "Pothole on the main road")
        m = d["moderation"][-1]
        self.assertEqual(m["reason"], "Personal details in title")
        self.assertEqual(m["before"]["title"], before["title"])
        self.assertEqual(m["after"]["title"], "Pothole on the main road")
        self.assertEqual(len(d["moderation"]), len(before["moderation"]) + 1)
        self.assertEqual(d["version"], before["version"] + 2)

    def test_detail_unknown(self):
        tok = self.token(INSPECTOR)
        for rid in ("999999", "0", "-1", "abc", "1.5"):
            with self.subTest(id=rid):
                self.assertError(self.req("GET", "/api/v1/reports/" + rid, token=tok), 404)


class TextSearchWordsTest(kerbside.ServerTestCase):
    """The words of the text search are runs of letters and digits, whatever
    punctuation joins them in the report ("A-5", "3.5", an address), on every
    store. A server of its own: the report it adds would change the lists above."""

    def test_words_joined_by_punctuation(self):
        cs = self.token(CUSTOMER_SERVICES)
        cat = self.active_category(cs)["id"]
        r = self.req("POST", "/api/v1/reports", token=cs, json={
            "category_id": cat, "title": "Sunken drain 3.5 m from the A-5 kerb",
            "detail": "Seen 10-12 May; photos to roads@council.example or "
                      "www.example.org/drains, caf\u00e9-side.",
            "lat": 51.752, "lon": -1.258, "as_council": True})
        rid = kerbside.unwrap(self.ok(r, 201), "report")["id"]
        tok = self.token(INSPECTOR)

        def found(q):
            rows = self.list_all(tok, limit=1000, q=q)
            return rid in {row["id"] for row in rows}

        for q in ("3", "5", "3.5", "A-5", "a 5", "12", "10-12", "roads", "council",
                  "roads@council.example", "example", "org", "drains", "SUNKEN Drain",
                  "cafe side", "Caf\u00c9"):
            with self.subTest(q=q):
                self.assertTrue(found(q), "q=%r does not find the report" % q)
        # Whole words only: neither glued together nor cut short.
        for q in ("35", "a5", "1012", "exampl", "sunk", "drain 3 6"):
            with self.subTest(q=q):
                self.assertFalse(found(q), "q=%r finds the report" % q)


if __name__ == "__main__":
    unittest.main(verbosity=2)
