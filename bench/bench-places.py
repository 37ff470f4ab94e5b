#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: GET /api/v1/places with 100,000 places, on SQLite and PostgreSQL.

Usage: bench-places.py SERVER [--places N] [--runs R] [--data-dir DIR]
                       [--store sqlite|postgresql|both]

Writes a gazetteer of N places (streets named from common words and suffixes in
ten towns, and postcodes), imports it with `kerbside-server places import` (timed),
then asks each of a set of searches, from one letter to a full postcode, 20 times a
run, one request at a time over loopback HTTP, and prints the median, the 95th
percentile and the slowest answer of each (the time of the whole request, as the
app sees it), with the machine's load average before and after each run. The target
is under 20 ms."""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kerbside_bench import log, start_server, demo_db  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pg"))
import pgcluster  # noqa: E402

PASSWORD = "street-lamp-orange-42"
WORDS = ("High Church Mill Station Victoria Albert Queen King Park Green Bridge Castle "
         "Manor Abbey Chapel Market London Oxford Banbury Woodstock Cowley Botley Iffley "
         "Headington Marston Wolvercote Summertown Jericho Osney Grandpont Rose Cherry Oak "
         "Elm Ash Beech Willow Maple Holly Ivy Laurel Meadow Field Brook River Lake Hill "
         "Vale Spring Orchard Garden Farm Mead Grove Wood Forest Heath Moor Common Cross "
         "Well Pound Windmill Kiln Forge Tannery Quarry Granary Dairy Priory Rectory Vicarage "
         "School College Hospital Canal Wharf Lock Weir Ferry Ford Marsh Fen Down Ridge "
         "Crescent Tower Gate Barton Littlemore Rivermead Blackbird Lye Northway Wood Farm "
         "Sandhills Risinghurst Templars Temple Cumnor Wytham Godstow Binsey Medley "
         "Walton Kingston Cranham Hollow Ferry Juxon Leckford Polstead Rawlinson Staverton").split()
SUFFIXES = ("Street", "Road", "Lane", "Close", "Avenue", "Way", "Drive", "Place", "Court",
            "Gardens", "Terrace", "Crescent", "Walk", "Row", "Mews", "Square", "Rise", "Hill",
            "View", "Grove")
TOWNS = ("Oxford", "Abingdon", "Banbury", "Bicester", "Didcot", "Witney", "Thame",
         "Wallingford", "Henley", "Kidlington")
QUERIES = ("h", "hi", "high", "high st", "church", "church la", "mill lane", "st", "road",
           "ox1", "ox4 3", "ox4 3ab", "ox43ab", "victoria rd", "zzzz")


def write_places(path, n, seed=11):
    rnd = random.Random(seed)
    n_postcodes = n * 3 // 10
    rows = 0
    with open(path, "w") as f:
        f.write("name,kind,context,lat,lon\n")
        seen = set()
        while rows < n - n_postcodes:
            town = rnd.choice(TOWNS)
            name = "%s %s" % (rnd.choice(WORDS), rnd.choice(SUFFIXES))
            if rnd.random() < 0.3:
                name = "%s %s" % (rnd.choice(WORDS), name)
            if (name, town) in seen:
                continue
            seen.add((name, town))
            f.write("%s,street,%s,%.6f,%.6f\n" % (name, town, 51.6 + rnd.random() * 0.4,
                                                   -1.6 + rnd.random() * 0.6))
            rows += 1
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        while rows < n:
            pc = "OX%d %d%s%s" % (rnd.randint(1, 49), rnd.randint(0, 9), rnd.choice(letters),
                                  rnd.choice(letters))
            if pc in seen:
                continue
            seen.add(pc)
            f.write("%s,postcode,,%.6f,%.6f\n" % (pc, 51.6 + rnd.random() * 0.4,
                                                  -1.6 + rnd.random() * 0.6))
            rows += 1


def import_places(server, db, path):
    t0 = time.perf_counter()
    res = subprocess.run([server, "places", "import", "--db", db, "--council", "1", path],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("places import failed:\n" + res.stderr[-2000:])
    return time.perf_counter() - t0


def load():
    return "%.2f" % os.getloadavg()[0]


def bench(store, port, runs, import_s):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/api/v1/auth/login",
              body=json.dumps({"email": "inspector@demo.invalid", "password": PASSWORD}),
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    token = json.loads(r.read())["token"]
    headers = {"Authorization": "Bearer " + token}
    log(f"{store}: import {import_s:.1f} s")

    def ask(q):
        t0 = time.perf_counter()
        c.request("GET", "/api/v1/places?" + urllib.parse.urlencode({"q": q}), headers=headers)
        r = c.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            sys.exit(f"{q!r}: {r.status} {body[:200]}")
        return dt, len(json.loads(body)["places"])

    for q in QUERIES:       # warm the caches
        ask(q)
    for run in range(1, runs + 1):
        before = load()
        all_times = []
        lines = []
        for q in QUERIES:
            times = []
            for _ in range(20):
                dt, n = ask(q)
                times.append(dt)
            times.sort()
            all_times += times
            lines.append(f"    {q!r:14} {n:2d} found  median {statistics.median(times):6.2f} ms  "
                         f"p95 {times[18]:6.2f} ms  max {times[-1]:6.2f} ms")
        all_times.sort()
        log(f"  {store} run {run}: load {before} -> {load()}; all searches: median "
            f"{statistics.median(all_times):.2f} ms, p95 {all_times[int(len(all_times) * 0.95)]:.2f} ms, "
            f"max {all_times[-1]:.2f} ms")
        for line in lines:
            log(line)
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--places", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data-dir", default=os.path.join(os.getcwd(), "bench-data"))
    ap.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()

    db = demo_db(args.server, args.data_dir, 1000, 4)
    serve = ["--bcrypt-cost", "4", "--throttle-address", "0"]
    work = tempfile.mkdtemp(prefix="ks-bench-places-")
    try:
        csv = os.path.join(work, "places.csv")
        write_places(csv, args.places)
        log(f"{args.places} places, {len(QUERIES)} searches x 20 a run, {args.runs} runs; "
            f"{os.cpu_count()} cores, load {load()}")
        if args.store in ("sqlite", "both"):
            copy = os.path.join(work, "places.db")
            shutil.copy(db, copy)
            import_s = import_places(args.server, copy, csv)
            proc, port = start_server(args.server, copy, serve)
            try:
                bench("sqlite", port, args.runs, import_s)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
        if args.store in ("postgresql", "both"):
            try:
                pg = pgcluster.Cluster().create()
            except pgcluster.Missing as e:
                log(f"PostgreSQL: not measured ({e})")
                return
            try:
                res = subprocess.run([args.server, "migrate-store", "--from", db, "--to", pg.uri],
                                     capture_output=True, text=True)
                if res.returncode != 0:
                    sys.exit("migrate-store failed:\n" + res.stderr[-2000:])
                import_s = import_places(args.server, pg.uri, csv)
                media = os.path.join(work, "media")
                os.makedirs(media, exist_ok=True)
                proc, port = start_server(args.server, pg.uri, serve + [
                    "--media", media, "--outbox", os.path.join(work, "outbox")])
                try:
                    bench("postgresql", port, args.runs, import_s)
                finally:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=60)
            finally:
                pg.destroy()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
