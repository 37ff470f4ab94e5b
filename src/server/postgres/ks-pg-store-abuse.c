/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-abuse.c: the councils' abuse lists in PostgreSQL (table
 * abuse_list; ks-store-abuse.h): the statements of ks-sqlite-store-abuse.c. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

#define ENTRY_COLUMNS \
  "a.id, a.kind, a.value, a.reason, a.created, u.name"
#define ENTRY_FROM \
  "FROM abuse_list a LEFT JOIN users u ON u.id = a.created_by "

static void
read_entry (const PGresult *res, int i, KsAbuseEntry *out)
{
  out->id = ks_pg_int (res, i, 0);
  out->kind = g_strdup (ks_pg_text (res, i, 1));
  out->value = g_strdup (ks_pg_text (res, i, 2));
  out->reason = g_strdup (ks_pg_text (res, i, 3));
  out->created = ks_pg_int (res, i, 4);
  out->created_by = ks_pg_null (res, i, 5) ? NULL : g_strdup (ks_pg_text (res, i, 5));
}

static gboolean
list (KsStore *store, gint64 body_id, GArray **out, GError **error)
{
  static const KsPgStatement st = { "abuse_list",
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM "WHERE a.body_id = $1 ORDER BY a.id DESC" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = ks_abuse_entries_new ();
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsAbuseEntry e = { 0 };

      read_entry (res, i, &e);
      g_array_append_val (*out, e);
    }
  return TRUE;
}

static gboolean
add (KsStore *store, gint64 body_id, const char *kind, const char *value, const char *reason,
     gint64 user_id, gint64 *out_id, GError **error)
{
  static const KsPgStatement st = { "abuse_add",
    "INSERT INTO abuse_list (body_id, kind, value, reason, created, created_by) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (body_id, kind, value) DO NOTHING "
    "RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, kind);
  ks_pg_args_text (&args, value);
  ks_pg_args_text (&args, reason ? reason : "");
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_id (&args, user_id > 0 ? user_id : 0);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_id = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
remove_entry (KsStore *store, gint64 body_id, gint64 id, KsAbuseEntry *out_removed,
              gboolean *out_found, GError **error)
{
  static const KsPgStatement get = { "abuse_get",
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM "WHERE a.body_id = $1 AND a.id = $2 FOR UPDATE OF a" };
  static const KsPgStatement del = { "abuse_remove", "DELETE FROM abuse_list WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) del_args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, id);
  if ((res = ks_pg_store_query (store, &get, &args, error)) == NULL)
    return FALSE;
  *out_found = PQntuples (res) > 0;
  if (!*out_found)
    return TRUE;
  read_entry (res, 0, out_removed);
  ks_pg_args_int (&del_args, id);
  return ks_pg_store_exec (store, &del, &del_args, NULL, error);
}

static gboolean
match (KsStore *store, gint64 body_id, const char *email, const char *domain, const char *phone,
       KsAbuseEntry *out, gboolean *out_found, GError **error)
{
  static const KsPgStatement st = { "abuse_match",
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM
    "WHERE a.body_id = $1 AND ((a.kind = 'email' AND a.value = $2::text) "
    "  OR (a.kind = 'domain' AND (a.value = $3::text OR $3::text LIKE '%.' || a.value)) "
    "  OR (a.kind = 'phone' AND a.value = $4::text)) "
    "ORDER BY a.id LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, email);
  ks_pg_args_text (&args, domain);
  ks_pg_args_text (&args, phone);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_found = PQntuples (res) > 0;
  if (*out_found)
    read_entry (res, 0, out);
  return TRUE;
}

void
ks_pg_store_abuse_init (KsStoreAbuseVTable *vtable)
{
  vtable->list = list;
  vtable->add = add;
  vtable->remove = remove_entry;
  vtable->match = match;
}
