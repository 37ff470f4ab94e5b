/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-session.h: a signed-in KsSession on the test server, for core tests. */
#pragma once

#include "ks-session.h"
#include "ks-test-server.h"

G_BEGIN_DECLS

KsSession *ks_test_sign_in (KsTestServer *server,
                            const char   *email);

/* Signs the session out and waits (fails the test on an error; the session is
 * signed out afterwards). */
void       ks_test_sign_out (KsSession *session);

/* Reloads the session's reference lists (categories, priorities, staff...) and
 * waits (fails the test on an error). */
void       ks_test_refresh_lists (KsSession *session);

/* Runs the session's sync once and waits for it (fails the test on an error). */
void       ks_test_sync    (KsSession *session);

/* An active category of the session's catalogue that asks no required
 * question (a report can be made in it with title and detail alone). */
gint64     ks_test_category_without_required_questions (KsSession *session);

G_END_DECLS
