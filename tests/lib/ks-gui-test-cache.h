/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-cache.h: a full cache for the app benchmarks: a first process
 * signs in as the inspector (who may keep reports offline) and syncs every
 * report from the server, as a person would the day before. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs self (this program's argv[0]) as that first process for the server at
 * url and its n reports; with time, it prints how long the sync took from the
 * sign-in and from its launch, and returns the second (ms; -1 without time):
 * the process's start counted, its exit not. The first goes in *from_sign_in
 * (may be NULL). */
double    ks_gui_test_fill_cache        (const char *self, const char *url, guint n, gboolean time,
                                         double *from_sign_in);
/* In main, before anything else: when argv asks for that first process,
 * runs it and returns TRUE with its exit status in *status. */
gboolean  ks_gui_test_fill_cache_child  (int argc, char **argv, int *status);

G_END_DECLS
