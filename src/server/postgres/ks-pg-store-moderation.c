/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-moderation.c: moderating single updates of a report's timeline in
 * PostgreSQL: reading one, changing its text or hidden flag, and the history. The
 * same statements as ks-sqlite-store-moderation.c. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "ks-time.h"

static gboolean
get_update (KsStore *store, gint64 report_id, gint64 update_id, gboolean *found,
            KsUpdateCore *out, GError **error)
{
  static const KsPgStatement st = { "moderation_get_update",
    "SELECT id, report_id, kind, text, source, public, hidden FROM updates "
    "WHERE id = $1 AND report_id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, update_id);
  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  out->id = ks_pg_int (res, 0, 0);
  out->report_id = ks_pg_int (res, 0, 1);
  out->kind = g_strdup (ks_pg_text (res, 0, 2));
  out->text = g_strdup (ks_pg_text (res, 0, 3));
  out->source = g_strdup (ks_pg_text (res, 0, 4));
  out->public = ks_pg_int (res, 0, 5) != 0;
  out->hidden = ks_pg_int (res, 0, 6) != 0;
  return TRUE;
}

static gboolean
change_update (KsStore *store, gint64 update_id, const char *text, int hidden,
               GError **error)
{
  static const KsPgStatement st = { "moderation_change_update",
    "UPDATE updates SET text = coalesce ($1, text), "
    "  hidden = CASE WHEN $2::integer < 0 THEN hidden ELSE $2::integer END WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n_changed = 0;

  ks_pg_args_text (&args, text);
  ks_pg_args_int (&args, hidden < 0 ? -1 : hidden != 0);
  ks_pg_args_int (&args, update_id);
  if (!ks_pg_store_exec (store, &st, &args, &n_changed, error))
    return FALSE;
  if (n_changed != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such update. Refresh the report and try again.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_update_moderation (KsStore *store, const KsNewUpdateModeration *m,
                       gint64 *out_moderation_id, GError **error)
{
  static const KsPgStatement st = { "moderation_add_update_moderation",
    "INSERT INTO moderation (report_id, update_id, user_id, reason, created, action, "
    "  old_text, new_text, old_hidden, new_hidden) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, m->report_id);
  ks_pg_args_int (&args, m->update_id);
  ks_pg_args_id (&args, m->user_id);
  ks_pg_args_text (&args, m->reason);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_text (&args, m->action);
  ks_pg_args_text (&args, m->old_text);
  ks_pg_args_text (&args, m->new_text);
  ks_pg_args_int (&args, m->old_hidden ? 1 : 0);
  ks_pg_args_int (&args, m->new_hidden ? 1 : 0);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (out_moderation_id != NULL)
    *out_moderation_id = PQntuples (res) == 1 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

void
ks_pg_store_moderation_init (KsStoreActionsVTable *vtable)
{
  vtable->get_update = get_update;
  vtable->change_update = change_update;
  vtable->add_update_moderation = add_update_moderation;
}
