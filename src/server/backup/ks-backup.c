/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-backup.c: a consistent copy of a SQLite installation while it is served
 * (see ks-backup.h). */
#include "backup/ks-backup.h"

#include "backup/ks-sqlite-file.h"
#include "http/ks-media.h"
#include "ks-error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

static void
remove_partial (const char *part)
{
  static const char *const suffixes[] = { "", "-journal", "-wal", "-shm", NULL };

  for (guint i = 0; suffixes[i]; i++)
    {
      g_autofree char *f = g_strconcat (part, suffixes[i], NULL);
      g_unlink (f);
    }
}

static gboolean
copy_pages (sqlite3           *src,
            sqlite3           *dst,
            gboolean           wal,
            int                pages_per_step,
            KsBackupProgress   progress,
            gpointer           data,
            int               *pages_total,
            GError           **error)
{
  sqlite3_backup *b = sqlite3_backup_init (dst, "main", src, "main");
  int rc;

  if (b == NULL)
    return ks_sqlite_file_fail (dst, "Could not start the backup", error);
  do
    {
      rc = sqlite3_backup_step (b, pages_per_step);
      if (progress)
        progress (sqlite3_backup_pagecount (b) - sqlite3_backup_remaining (b),
                  sqlite3_backup_pagecount (b), data);
      if (pages_total)
        *pages_total = sqlite3_backup_pagecount (b);
      /* Without WAL, writers wait while a step reads: let them in between. */
      if ((rc == SQLITE_OK && !wal) || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        g_usleep (10 * 1000);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (b);
  if (rc != SQLITE_DONE)
    return ks_sqlite_file_fail (dst, "The backup stopped", error);
  return TRUE;
}

gboolean
ks_backup_sqlite (const char        *db_path,
                  const char        *copy_path,
                  int                pages_per_step,
                  KsBackupProgress   progress,
                  gpointer           data,
                  int               *pages_total,
                  GError           **error)
{
  g_autofree char *part = g_strconcat (copy_path, ".part", NULL);
  g_autofree char *check = NULL;
  sqlite3 *src = NULL, *dst = NULL;
  gboolean wal = FALSE, ok = FALSE;
  int fd;

  if (g_file_test (copy_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                   "%s exists already. Give the backup a new file name: it never overwrites one.",
                   copy_path);
      return FALSE;
    }
  if ((src = ks_sqlite_file_open (db_path, &wal, error)) == NULL)
    return FALSE;

  /* The copy is made under a name of its own, which nobody else may be using. */
  fd = g_open (part, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, KS_ERROR, saved == EEXIST ? KS_ERROR_CONFLICT : KS_ERROR_FAILED,
                   "Could not create %s: %s%s", part, g_strerror (saved),
                   saved == EEXIST ? ". Another backup is running, or one stopped half-way: "
                                     "remove the file once no backup is running." : ".");
      sqlite3_close_v2 (src);
      return FALSE;
    }
  close (fd);

  /* In WAL mode, one read transaction keeps the moment the copy began for the
   * whole copy (writers carry on; a checkpoint waits for it). */
  if (wal && sqlite3_exec (src, "BEGIN; SELECT count(*) FROM sqlite_master;",
                           NULL, NULL, NULL) != SQLITE_OK)
    {
      ks_sqlite_file_fail (src, "Could not read the database", error);
      goto out;
    }
  if (sqlite3_open_v2 (part, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      ks_sqlite_file_fail (dst, "Could not open the copy", error);
      goto out;
    }
  if (!copy_pages (src, dst, wal, MAX (pages_per_step, 1), progress, data, pages_total, error))
    goto out;
  if (wal)
    sqlite3_exec (src, "COMMIT", NULL, NULL, NULL);

  check = ks_sqlite_file_query (dst, "PRAGMA quick_check");
  if (g_strcmp0 (check, "ok") != 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The copy does not pass SQLite's check (%s); it was removed.",
                   check ? check : sqlite3_errmsg (dst));
      goto out;
    }
  if (sqlite3_close (dst) != SQLITE_OK)
    {
      ks_sqlite_file_fail (dst, "Could not close the copy", error);
      goto out;
    }
  dst = NULL;
  /* link() refuses to replace a file that appeared meanwhile; rename() would not. */
  if (link (part, copy_path) != 0)
    {
      int saved = errno;
      g_set_error (error, KS_ERROR, saved == EEXIST ? KS_ERROR_CONFLICT : KS_ERROR_FAILED,
                   "Could not put the copy in place as %s: %s.", copy_path, g_strerror (saved));
      goto out;
    }
  ok = TRUE;

out:
  if (dst != NULL)
    sqlite3_close_v2 (dst);
  sqlite3_close_v2 (src);
  remove_partial (part);
  return ok;
}

gboolean
ks_backup_media (const char  *media_dir,
                 const char  *copy_dir,
                 guint       *n_files,
                 GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (n_files)
    *n_files = 0;
  if ((dir = g_dir_open (media_dir, 0, error)) == NULL)
    return FALSE;
  if (g_mkdir (copy_dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, KS_ERROR, saved == EEXIST ? KS_ERROR_CONFLICT : KS_ERROR_FAILED,
                   "Could not create the photo directory %s: %s.", copy_dir, g_strerror (saved));
      return FALSE;
    }
  /* Photos are written before the rows that refer to them commit, and never
   * changed: those of the database's copy are all here now. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from_path = NULL, *to_path = NULL;
      g_autoptr(GFile) from = NULL, to = NULL;
      g_autoptr(GError) local = NULL;

      if (!ks_media_name_is_valid (name))
        continue;
      from_path = g_build_filename (media_dir, name, NULL);
      to_path = g_build_filename (copy_dir, name, NULL);
      from = g_file_new_for_path (from_path);
      to = g_file_new_for_path (to_path);
      if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local))
        {
          /* Erased since the copy of the database began. */
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            continue;
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "Could not copy the photo %s: %s",
                       name, local->message);
          return FALSE;
        }
      n++;
    }
  if (n_files)
    *n_files = n;
  return TRUE;
}
