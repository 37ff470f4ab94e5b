/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-backup.h: a consistent copy of a SQLite installation while it is served: the
 * database through SQLite's online backup, then the photos it refers to. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called after each chunk of pages copied. */
typedef void (*KsBackupProgress) (int       pages_done,
                                  int       pages_total,
                                  gpointer  data);

/* Copies the SQLite database db_path to copy_path, as it was when the copy began,
 * pages_per_step pages at a time. In WAL mode (the server's) one read transaction
 * holds that moment for the whole copy, and writers are never blocked; otherwise
 * writers wait at most one step. The copy is written next to copy_path and moved
 * into place when it is complete and checked: copy_path is never half written and
 * never overwritten (KS_ERROR_CONFLICT when it exists). pages_total (may be NULL)
 * is set to the size copied, in pages. */
gboolean ks_backup_sqlite (const char        *db_path,
                           const char        *copy_path,
                           int                pages_per_step,
                           KsBackupProgress   progress,
                           gpointer           data,
                           int               *pages_total,
                           GError           **error);

/* Copies the photos of media_dir (the files with valid media names) into
 * copy_dir, which must not exist yet (KS_ERROR_CONFLICT). n_files (may be NULL)
 * is set to how many were copied. */
gboolean ks_backup_media  (const char        *media_dir,
                           const char        *copy_dir,
                           guint             *n_files,
                           GError           **error);

G_END_DECLS
