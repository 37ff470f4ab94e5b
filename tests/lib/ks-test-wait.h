/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-wait.h: waiting in a test while the main loop runs: for an async
 * result, for a condition, or for a while. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs the main loop until *result is set (fails the test after 120 s). */
void          ks_test_wait          (GAsyncResult **result);
/* The GAsyncReadyCallback that stores the result for ks_test_wait(). */
void          ks_test_store_result  (GObject *source, GAsyncResult *result, gpointer user_data);
/* Runs the main loop until cond(data) is TRUE or timeout_s passed. */
gboolean      ks_test_wait_for      (gboolean (*cond) (gpointer), gpointer data, guint timeout_s);
/* Runs the main loop for ms milliseconds, without blocking in it. */
void          ks_test_iterate       (guint ms);

G_END_DECLS
