/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-photos.c: the stored photos of reports and updates, the council's
 * limit and the history of redactions in PostgreSQL. The same statements as
 * ks-sqlite-store-photos.c. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "ks-time.h"

/* Runs a statement whose first column of the first row is an integer (0: no row). */
static gboolean
scalar (KsStore *store, const KsPgStatement *st, KsPgArgs *args, gint64 *out,
        GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, st, args, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
max_photos (KsStore *store, gint64 body_id, guint *out, GError **error)
{
  static const KsPgStatement st = { "photos_max",
    "SELECT max_photos FROM bodies WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n = 0;

  ks_pg_args_int (&args, body_id);
  if (!scalar (store, &st, &args, &n, error))
    return FALSE;
  *out = n > 0 ? (guint) n : 5;
  return TRUE;
}

static gboolean
set_max_photos (KsStore *store, gint64 body_id, guint max, GError **error)
{
  static const KsPgStatement st = { "photos_set_max",
    "UPDATE bodies SET max_photos = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, max);
  ks_pg_args_int (&args, body_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
count (KsStore *store, gint64 report_id, gint64 update_id, guint *out, GError **error)
{
  static const KsPgStatement st = { "photos_count",
    "SELECT count(*) FROM photos WHERE report_id = $1 "
    "  AND update_id IS NOT DISTINCT FROM $2::bigint" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n = 0;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_id (&args, update_id);
  if (!scalar (store, &st, &args, &n, error))
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

static gboolean
add (KsStore *store, gint64 report_id, gint64 update_id, const char * const *refs,
     guint n_refs, GError **error)
{
  static const KsPgStatement insert = { "photos_add",
    "INSERT INTO photos (report_id, update_id, position, ref, created) "
    "VALUES ($1, $2::bigint, (SELECT coalesce (max (position) + 1, 0) FROM photos "
    "                         WHERE report_id = $1 "
    "                           AND update_id IS NOT DISTINCT FROM $2::bigint), $3, $4)" };
  static const KsPgStatement report_first = { "photos_report_first",
    "UPDATE reports SET photo = $1 WHERE id = $2 AND photo IS NULL" };
  static const KsPgStatement update_first = { "photos_update_first",
    "UPDATE updates SET photo = $1 WHERE id = $2 AND photo IS NULL" };
  g_auto(KsPgArgs) first = KS_PG_ARGS_INIT;
  gint64 now = ks_time_now ();

  if (n_refs == 0)
    return TRUE;
  for (guint i = 0; i < n_refs; i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, report_id);
      ks_pg_args_id (&args, update_id);
      ks_pg_args_text (&args, refs[i]);
      ks_pg_args_int (&args, now);
      if (!ks_pg_store_exec (store, &insert, &args, NULL, error))
        return FALSE;
    }
  ks_pg_args_text (&first, refs[0]);
  ks_pg_args_int (&first, update_id == 0 ? report_id : update_id);
  return ks_pg_store_exec (store, update_id == 0 ? &report_first : &update_first, &first,
                           NULL, error);
}

static gboolean
find (KsStore *store, gint64 report_id, const char *ref, gboolean *found,
      gint64 *out_update_id, GError **error)
{
  static const KsPgStatement st = { "photos_find",
    "SELECT coalesce (update_id, 0) FROM photos WHERE report_id = $1 AND ref = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_text (&args, ref);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  *out_update_id = *found ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

/* Runs each statement with $1 report_id, $2 and $3 the two texts. */
static gboolean
run_all (KsStore *store, const KsPgStatement *sts, guint n, gint64 report_id,
         const char *a, const char *b, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, report_id);
      ks_pg_args_text (&args, a);
      if (b != NULL)
        ks_pg_args_text (&args, b);
      if (!ks_pg_store_exec (store, &sts[i], &args, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
replace (KsStore *store, gint64 report_id, const char *old_ref, const char *new_ref,
         GError **error)
{
  static const KsPgStatement sts[] = {
    { "photos_replace_list", "UPDATE photos SET ref = $3 WHERE report_id = $1 AND ref = $2" },
    { "photos_replace_report", "UPDATE reports SET photo = $3 WHERE id = $1 AND photo = $2" },
    { "photos_replace_updates",
      "UPDATE updates SET photo = $3 WHERE report_id = $1 AND photo = $2" },
  };

  return run_all (store, sts, G_N_ELEMENTS (sts), report_id, old_ref, new_ref, error);
}

static gboolean
remove_photo (KsStore *store, gint64 report_id, const char *ref, GError **error)
{
  static const KsPgStatement sts[] = {
    { "photos_remove",
      "DELETE FROM photos WHERE report_id = $1 AND update_id IS NULL AND ref = $2" },
    { "photos_remove_first",
      "UPDATE reports SET photo = (SELECT ref FROM photos WHERE report_id = $1 "
      "                            AND update_id IS NULL ORDER BY position LIMIT 1) "
      "WHERE id = $1 AND (photo IS NULL OR photo = $2)" },
  };

  return run_all (store, sts, G_N_ELEMENTS (sts), report_id, ref, NULL, error);
}

static gboolean
record (KsStore *store, const KsNewPhotoModeration *m, GError **error)
{
  static const KsPgStatement st = { "photos_record",
    "INSERT INTO moderation (report_id, update_id, user_id, reason, created, action, "
    "  old_photo, new_photo) VALUES ($1, $2::bigint, $3::bigint, $4, $5, $6, $7, $8)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, m->report_id);
  ks_pg_args_id (&args, m->update_id);
  ks_pg_args_id (&args, m->user_id);
  ks_pg_args_text (&args, m->reason);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_text (&args, m->action);
  ks_pg_args_text (&args, m->old_photo);
  ks_pg_args_text (&args, m->new_photo);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
original (KsStore *store, gint64 report_id, const char *ref, char **out_original,
          GError **error)
{
  static const KsPgStatement st = { "photos_original",
    "SELECT old_photo FROM moderation WHERE report_id = $1 AND new_photo = $2 "
    "  AND action = 'redact_photo' ORDER BY id DESC LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_original = NULL;
  ks_pg_args_int (&args, report_id);
  ks_pg_args_text (&args, ref);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out_original = g_strdup (ks_pg_text (res, 0, 0));
  return TRUE;
}

void
ks_pg_store_photos_init (KsStorePhotosVTable *vtable)
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
