/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-photos.c: the stored photos of reports and updates, the council's
 * limit and the history of redactions in SQLite (see ks-store-photos.h). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

/* Runs a statement with id as ?1 (and update_id, or NULL for 0, as ?2 when it has
 * one) and gives the first column of its first row (0 when none). */
static gboolean
report_scalar (KsStore *store, const char *sql, gint64 report_id, gint64 update_id,
               gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_bind_id (st, 2, update_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

static gboolean
max_photos (KsStore *store, gint64 body_id, guint *out, GError **error)
{
  gint64 n = 0;

  if (!report_scalar (store, "SELECT max_photos FROM bodies WHERE id = ?1",
                      body_id, 0, &n, error))
    return FALSE;
  *out = n > 0 ? (guint) n : 5;
  return TRUE;
}

static gboolean
set_max_photos (KsStore *store, gint64 body_id, guint max, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE bodies SET max_photos = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, max);
  sqlite3_bind_int64 (st, 2, body_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
count (KsStore *store, gint64 report_id, gint64 update_id, guint *out, GError **error)
{
  gint64 n = 0;

  if (!report_scalar (store,
        "SELECT count(*) FROM photos WHERE report_id = ?1 AND update_id IS ?2",
        report_id, update_id, &n, error))
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

static gboolean
add (KsStore *store, gint64 report_id, gint64 update_id, const char * const *refs,
     guint n_refs, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  g_autoptr(KsStmt) first = NULL;
  gint64 now = ks_time_now ();

  if (n_refs == 0)
    return TRUE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO photos (report_id, update_id, position, ref, created) "
    "VALUES (?1, ?2, (SELECT coalesce (max (position) + 1, 0) FROM photos "
    "                 WHERE report_id = ?1 AND update_id IS ?2), ?3, ?4)", error);
  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < n_refs; i++)
    {
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, report_id);
      ks_bind_id (st, 2, update_id);
      ks_bind_text (st, 3, refs[i]);
      sqlite3_bind_int64 (st, 4, now);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  first = ks_sqlite_stmt (store, update_id == 0
    ? "UPDATE reports SET photo = ?1 WHERE id = ?2 AND photo IS NULL"
    : "UPDATE updates SET photo = ?1 WHERE id = ?2 AND photo IS NULL", error);
  if (first == NULL)
    return FALSE;
  ks_bind_text (first, 1, refs[0]);
  sqlite3_bind_int64 (first, 2, update_id == 0 ? report_id : update_id);
  return ks_sqlite_step_done (first, error);
}

static gboolean
find (KsStore *store, gint64 report_id, const char *ref, gboolean *found,
      gint64 *out_update_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT coalesce (update_id, 0) FROM photos WHERE report_id = ? AND ref = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_bind_text (st, 2, ref);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  *out_update_id = *found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

/* Runs each statement with ?1 report_id, ?2 and ?3 the two texts. */
static gboolean
run_all (KsStore *store, const char * const *sqls, gint64 report_id, const char *a,
         const char *b, GError **error)
{
  for (guint i = 0; sqls[i] != NULL; i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sqls[i], error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, report_id);
      ks_bind_text (st, 2, a);
      ks_bind_text (st, 3, b);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
replace (KsStore *store, gint64 report_id, const char *old_ref, const char *new_ref,
         GError **error)
{
  static const char * const sqls[] = {
    "UPDATE photos SET ref = ?3 WHERE report_id = ?1 AND ref = ?2",
    "UPDATE reports SET photo = ?3 WHERE id = ?1 AND photo = ?2",
    "UPDATE updates SET photo = ?3 WHERE report_id = ?1 AND photo = ?2",
    NULL
  };

  return run_all (store, sqls, report_id, old_ref, new_ref, error);
}

static gboolean
remove_photo (KsStore *store, gint64 report_id, const char *ref, GError **error)
{
  static const char * const sqls[] = {
    "DELETE FROM photos WHERE report_id = ?1 AND update_id IS NULL AND ref = ?2",
    "UPDATE reports SET photo = (SELECT ref FROM photos WHERE report_id = ?1 "
    "                            AND update_id IS NULL ORDER BY position LIMIT 1) "
    "WHERE id = ?1 AND (photo IS NULL OR photo = ?2)",
    NULL
  };

  return run_all (store, sqls, report_id, ref, NULL, error);
}

static gboolean
record (KsStore *store, const KsNewPhotoModeration *m, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO moderation (report_id, update_id, user_id, reason, created, action, "
    "  old_photo, new_photo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, m->report_id);
  ks_bind_id (st, 2, m->update_id);
  ks_bind_id (st, 3, m->user_id);
  ks_bind_text (st, 4, m->reason);
  sqlite3_bind_int64 (st, 5, ks_time_now ());
  ks_bind_text (st, 6, m->action);
  ks_bind_text (st, 7, m->old_photo);
  ks_bind_text (st, 8, m->new_photo);
  return ks_sqlite_step_done (st, error);
}

static gboolean
original (KsStore *store, gint64 report_id, const char *ref, char **out_original,
          GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT old_photo FROM moderation WHERE report_id = ? AND new_photo = ? "
    "  AND action = 'redact_photo' ORDER BY id DESC LIMIT 1", error);
  gboolean found = FALSE;

  *out_original = NULL;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_bind_text (st, 2, ref);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    *out_original = g_strdup (ks_col_text (st, 0));
  return TRUE;
}

void
ks_sqlite_store_photos_init (KsStorePhotosVTable *vtable)
{
  vtable->max_photos = max_photos;
  vtable->set_max_photos = set_max_photos;
  vtable->count = count;
  vtable->add = add;
  vtable->find = find;
  vtable->replace = replace;
  vtable->remove = remove_photo;
  vtable->record = record;
  vtable->original = original;
}
