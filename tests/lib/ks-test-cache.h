/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-cache.h: the app's cache file as a core test reads and alters it
 * (to check what was kept, and to make a cache of an older version). */
#pragma once

#include "ks-report.h"

G_BEGIN_DECLS

/* Report id as the cache file at path holds it (fails the test when absent). */
KsReport *ks_test_cached_report (const char *path,
                                 gint64      id);
/* Runs sql on the SQLite file at path (fails the test on an error). */
void      ks_test_sql_on        (const char *path,
                                 const char *sql);
/* Turns the cache file at path back into the layout of the version that kept
 * each report's JSON in its row (version 4). */
void      ks_test_cache_json_in_rows (const char *path);

G_END_DECLS
