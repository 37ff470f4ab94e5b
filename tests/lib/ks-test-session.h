/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-session.h: a signed-in KsSession on the test server, for core tests. */
#pragma once

#include "ks-session.h"
#include "ks-test-server.h"

G_BEGIN_DECLS

KsSession *ks_test_sign_in (KsTestServer *server,
                            const char   *email);

G_END_DECLS
