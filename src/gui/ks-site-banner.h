/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-banner.h: the council's site message as a banner across the top of
 * the main window, for every member of staff: shown from /me at sign-in,
 * fetched again after each sync, hidden when it is removed or its end passes. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_SITE_BANNER (ks_site_banner_get_type ())
G_DECLARE_FINAL_TYPE (KsSiteBanner, ks_site_banner, KS, SITE_BANNER, AdwBin)

/* Follows the session's syncs (NULL: hidden, follows nothing). */
void        ks_site_banner_set_session (KsSiteBanner *self, KsSession *session);
/* Asks the server again now. */
void        ks_site_banner_refresh     (KsSiteBanner *self);
/* The message shown, or NULL when the banner is hidden. */
const char *ks_site_banner_get_text    (KsSiteBanner *self);

G_END_DECLS
