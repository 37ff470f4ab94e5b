/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-server.h: runs the real kerbside-server on a demo database for the
 * core and GUI tests and the app benchmarks. */
#pragma once

#include <gio/gio.h>

#include "ks-test-wait.h"

G_BEGIN_DECLS

#define KS_TEST_PASSWORD "street-lamp-orange-42"

typedef struct {
  char        *dir;       /* temp dir: database, port file, XDG dirs */
  char        *db;
  char        *url;       /* http://127.0.0.1:PORT */
  guint        port;
  GSubprocess *proc;
  char        *clock;     /* the test clock's file, or NULL (real time) */
  double       clock_offset;
  int          bcrypt_cost; /* serve --bcrypt-cost from the next start (0: 4, quick) */
  char        *config;    /* serve --config from the next start, or NULL (owned) */
} KsTestServer;

/* A new temp dir (prefix-XXXXXX), removed with all it holds when the process
 * exits normally (a failed test aborts, and its dir is kept to look at). */
char         *ks_test_make_tmp      (const char *prefix);
/* Points XDG_* at fresh directories under a new temp dir (call first in main). */
char         *ks_test_init_dirs     (void);
/* The same, and pins the clock (below): what the core and GUI tests call
 * first; the benchmarks keep the real time. */
char         *ks_test_init_env      (void);
/* Pins this process's "now" (ks_time_now(), which the app's code reads) to
 * a fixed moment, from which it runs on in real time: $KS_TEST_NOW in Unix
 * seconds, or KS_TEST_NOW_DEFAULT. Every server made from then on lays its
 * demo out from the process's "now" and keeps its clock with it, so what the
 * tests see of the demo does not depend on the hour or the day they run.
 * Call before the first server; once only. */
#define KS_TEST_NOW_DEFAULT G_GINT64_CONSTANT (1794997800) /* Wed 18 Nov 2026, 10:30 UTC */
void          ks_test_pin_clock     (void);
/* Makes a demo database with n reports and starts the server on it. */
KsTestServer *ks_test_server_new    (const char *dir, int n_reports);
/* The same, with a test clock (serve --test-clock): the server's "now" is
 * the real time plus what ks_test_server_move_clock() added (and, once the
 * process's clock is pinned, the pin's offset; every server has one then). */
KsTestServer *ks_test_server_new_with_clock (const char *dir, int n_reports);
/* Moves the server's clock forward, and the pinned process's with it; its
 * next request sees it. */
void          ks_test_server_move_clock (KsTestServer *server, double seconds);
/* The server's "now" in Unix seconds. */
gint64        ks_test_server_now    (KsTestServer *server);
void          ks_test_server_stop   (KsTestServer *server);
/* Starts again on the same database and the same port. */
void          ks_test_server_start  (KsTestServer *server);
void          ks_test_server_free   (KsTestServer *server);
/* A single integer from the server's database (read-only, while it runs). */
gint64        ks_test_server_query_int (KsTestServer *server, const char *sql);
/* Writes to the server's database while it runs (fails the test on an error). */
void          ks_test_server_exec   (KsTestServer *server, const char *sql);

/* Imports the gazetteer file named by $KS_TEST_PLACES (the test data's OS Open
 * Names sample: High Street, Cornmarket Street, Cowley Road, OX1 4AA...) into
 * the demo council (the first) with `kerbside-server places import`, while the server runs. */
void          ks_test_server_import_places (KsTestServer *server);

G_END_DECLS
