/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compact.h: a SQLite installation's database rewritten without its free
 * pages and with its pages filled (SQLite's VACUUM), in its own page size or
 * another, while no server has it open. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int    page_size_before;
  int    page_size_after;
  gint64 bytes_before;
  gint64 bytes_after;
} KsCompactResult;

/* Rewrites the Kerbside database at path, in pages of page_size bytes (0:
 * the size it has), and leaves it in WAL mode, as the server keeps it.
 * Nothing else may have the database open: KS_ERROR_UNAVAILABLE, and nothing
 * changed, when something does. SQLite's own journal makes the rewrite all or
 * nothing: stopped half-way, the database is as it was. out (may be NULL) is
 * filled in. */
gboolean ks_compact_sqlite (const char       *path,
                            int               page_size,
                            KsCompactResult  *out,
                            GError          **error);

G_END_DECLS
