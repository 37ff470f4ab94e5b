/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-admin.c: the admin operations in PostgreSQL besides the generic
 * ones over the admin kinds (ks-pg-admin-kinds.c): objects' councils, the
 * default roles, council settings, dashboard, audit log.
 *
 * The dashboard buckets times by whole days of Unix seconds, (t - start) /
 * 86400 in integers, exactly as the SQLite store does: no time zone enters,
 * so both stores give the same figures for the same rows. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "postgres/ks-pg-admin-kinds.h"
#include "postgres/ks-pg-permissions.h"
#include "store/ks-store.h"
#include "ks-states.h"

#include <string.h>

#define DAY (24 * 3600)

/* Runs a "SELECT count(*) ..." statement. */
static gboolean
count_rows (KsStore *store, const KsPgStatement *stmt, KsPgArgs *args, gint64 *out,
            GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, args, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

/* Objects and their councils */

static const struct {
  KsPgStatement  stmt;
  const char    *noun;
} object_kinds[] = {
  [KS_ADMIN_OBJECT_BODY]     = { { "admin_body_of_body", "SELECT id FROM bodies WHERE id = $1::bigint" },
                                 "council" },
  [KS_ADMIN_OBJECT_CATEGORY] = { { "admin_body_of_category", "SELECT body_id FROM categories WHERE id = $1::bigint" },
                                 "category" },
  [KS_ADMIN_OBJECT_PRIORITY] = { { "admin_body_of_priority", "SELECT body_id FROM priorities WHERE id = $1::bigint" },
                                 "priority" },
  [KS_ADMIN_OBJECT_TEMPLATE] = { { "admin_body_of_template", "SELECT body_id FROM templates WHERE id = $1::bigint" },
                                 "template" },
  [KS_ADMIN_OBJECT_ROLE]     = { { "admin_body_of_role", "SELECT body_id FROM roles WHERE id = $1::bigint" },
                                 "role" },
  [KS_ADMIN_OBJECT_USER]     = { { "admin_body_of_user", "SELECT body_id FROM users WHERE id = $1::bigint" },
                                 "staff account" },
  [KS_ADMIN_OBJECT_STATE]    = { { "admin_body_of_state", "SELECT body_id FROM states WHERE id = $1::bigint" },
                                 "state" },
  [KS_ADMIN_OBJECT_EMAIL_TEMPLATE] = { { "admin_body_of_email_template",
                                         "SELECT body_id FROM email_templates WHERE id = $1::bigint" },
                                       "email template" },
  [KS_ADMIN_OBJECT_OPEN311_DESTINATION] = { { "admin_body_of_open311_destination",
                                              "SELECT body_id FROM open311_destinations WHERE id = $1::bigint" },
                                            "Open311 destination" },
};

static gboolean
lookup_body (KsStore       *store,
             KsAdminObject  kind,
             gint64         id,
             gboolean      *found,
             gint64        *out_body_id,
             GError       **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (kind < KS_N_ADMIN_OBJECTS, FALSE);
  ks_pg_args_int (&args, id);
  res = ks_pg_store_query (store, &object_kinds[kind].stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  *out_body_id = *found ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
object_body (KsStore *store, KsAdminObject kind, gint64 id, gint64 *out_body_id,
             GError **error)
{
  gboolean found = FALSE;

  if (!lookup_body (store, kind, id, &found, out_body_id, error))
    return FALSE;
  if (!found)
    return ks_admin_not_found (object_kinds[kind].noun, error);
  return TRUE;
}

/* Runs stmt, a query of one object of this kind by its id ($1): its result
 * with one row, or NULL with an error (KS_ERROR_NOT_FOUND when there is no
 * such object). */
static PGresult *
fetch_object (KsStore *store, const KsPgStatement *stmt, KsAdminObject kind, gint64 id,
              GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, id);
  res = ks_pg_store_query (store, stmt, &args, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      ks_admin_not_found (object_kinds[kind].noun, error);
      return NULL;
    }
  return g_steal_pointer (&res);
}

static gboolean
check_ids (KsStore *store, KsAdminObject kind, gint64 body_id, GArray *ids, GError **error)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gboolean found = FALSE;
      gint64 owner = 0;

      if (!lookup_body (store, kind, id, &found, &owner, error))
        return FALSE;
      if (!found || owner != body_id)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "There is no %s with id %" G_GINT64_FORMAT " in this council. "
                       "Choose one from the list.", object_kinds[kind].noun, id);
          return FALSE;
        }
    }
  return TRUE;
}

/* Staff */

static gboolean
user_permissions (KsStore *store, gint64 user_id, KsPermissionSet *out, GError **error)
{
  static const KsPgStatement su_stmt = { "admin_user_is_superuser",
    "SELECT is_superuser FROM users WHERE id = $1::bigint" };
  g_autoptr(PGresult) su = fetch_object (store, &su_stmt, KS_ADMIN_OBJECT_USER, user_id, error);

  if (su == NULL)
    return FALSE;
  if (ks_pg_int (su, 0, 0) != 0)
    {
      *out = KS_PERMISSION_SET_ALL;
      return TRUE;
    }
  return ks_pg_user_permissions (store, user_id, out, error);
}

/* Roles */

static const KsPgStatement role_permissions_select = { "admin_role_permissions",
  "SELECT permission FROM role_permissions WHERE role_id = $1::bigint" };
static const KsPgStatement role_permissions_delete = { "admin_role_permissions_delete",
  "DELETE FROM role_permissions WHERE role_id = $1::bigint" };
static const KsPgStatement role_permissions_insert = { "admin_role_permissions_insert",
  "INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)" };

static gboolean
role_permissions (KsStore *store, gint64 role_id, KsPermissionSet *out, GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, role_id);
  res = ks_pg_store_query (store, &role_permissions_select, &args, error);
  if (res == NULL)
    return FALSE;
  ks_pg_read_permission_set (res, out);
  return TRUE;
}

static gboolean
create_default_role (KsStore *store, gint64 body_id, const char *name, KsPermissionSet want,
                     GError **error)
{
  g_auto(KsAdminRow) row = { 0 };
  gint64 id = 0;

  ks_admin_row_init (&row, ks_admin_kind (KS_ADMIN_OBJECT_ROLE));
  ks_admin_row_set_text (&row, "name", name);
  ks_admin_row_set_number (&row, "is_default", 1);
  ks_admin_row_set_permissions (&row, "permissions", want);
  return ks_store_admin_create (store, KS_ADMIN_OBJECT_ROLE, body_id, &row, &id, error);
}

static gboolean
ensure_default_roles_in (KsStore *store, gint64 body_id, GError **error)
{
  static const KsPgStatement find_stmt = { "admin_default_role_find",
    "SELECT id, is_default FROM roles WHERE body_id = $1::bigint AND name = $2::text" };
  static const KsPgStatement mark_stmt = { "admin_default_role_mark",
    "UPDATE roles SET is_default = 1 WHERE id = $1::bigint" };
  static const KsPgStatement others_stmt = { "admin_default_role_others",
    "UPDATE roles SET is_default = 0 WHERE body_id = $1::bigint AND is_default = 1 "
    "AND name NOT IN ($2::text, $3::text, $4::text, $5::text)" };
  g_auto(KsPgArgs) others = KS_PG_ARGS_INIT;
  gint64 unused = 0;

  if (!object_body (store, KS_ADMIN_OBJECT_BODY, body_id, &unused, error))
    return FALSE;

  for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
    {
      const char *name = ks_default_role_name (r);
      KsPermissionSet want = ks_default_role_permissions (r);
      KsPermissionSet have = 0;
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) found = NULL;
      gint64 id;

      ks_pg_args_int (&args, body_id);
      ks_pg_args_text (&args, name);
      found = ks_pg_store_query (store, &find_stmt, &args, error);
      if (found == NULL)
        return FALSE;
      if (PQntuples (found) == 0)
        {
          if (!create_default_role (store, body_id, name, want, error))
            return FALSE;
          continue;
        }
      id = ks_pg_int (found, 0, 0);
      if (ks_pg_int (found, 0, 1) == 0)
        {
          g_auto(KsPgArgs) mark = KS_PG_ARGS_INIT;

          ks_pg_args_int (&mark, id);
          if (!ks_pg_store_exec (store, &mark_stmt, &mark, NULL, error))
            return FALSE;
        }
      if (!role_permissions (store, id, &have, error))
        return FALSE;
      if (have != want &&
          !ks_pg_replace_permissions (store, &role_permissions_delete,
                                      &role_permissions_insert, id, want, error))
        return FALSE;
    }

  /* Only the four are default roles. */
  ks_pg_args_int (&others, body_id);
  for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
    ks_pg_args_text (&others, ks_default_role_name (r));
  return ks_pg_store_exec (store, &others_stmt, &others, NULL, error);
}

/* Inside the caller's transaction, in a savepoint; outside one, in a write
 * transaction of its own (a savepoint needs a transaction in PostgreSQL). */
static gboolean
ensure_default_roles (KsStore *store, gint64 body_id, GError **error)
{
  KsPgDb *db = ks_pg_store_db (store);

  G_STATIC_ASSERT (KS_N_DEFAULT_ROLES == 4);

  if (!ks_pg_db_in_transaction (db))
    {
      if (!ks_store_begin_write (store, error))
        return FALSE;
      if (!ensure_default_roles_in (store, body_id, error))
        {
          ks_store_rollback (store);
          return FALSE;
        }
      return ks_store_commit (store, error);
    }

  if (!ks_pg_db_exec (db, "SAVEPOINT ks_default_roles", error))
    return FALSE;
  if (!ensure_default_roles_in (store, body_id, error))
    {
      ks_pg_db_exec (db, "ROLLBACK TO ks_default_roles; RELEASE ks_default_roles", NULL);
      return FALSE;
    }
  return ks_pg_db_exec (db, "RELEASE ks_default_roles", error);
}

/* Council settings */

static gboolean
get_body (KsStore *store, gint64 body_id, KsBodyRow *out, GError **error)
{
  static const KsPgStatement stmt = { "admin_get_body",
    "SELECT id, name, slug, area_name, min_lat, min_lon, max_lat, max_lon, "
    "       require_2fa, password_min_length, email, created, max_photos, public_url, "
    "       duplicate_radius, retention_reporter_days, retention_audit_days, "
    "       retention_staff_days "
    "FROM bodies WHERE id = $1::bigint" };
  g_autoptr(PGresult) res = fetch_object (store, &stmt, KS_ADMIN_OBJECT_BODY, body_id, error);

  if (res == NULL)
    return FALSE;
  out->id = ks_pg_int (res, 0, 0);
  out->name = g_strdup (ks_pg_text (res, 0, 1));
  out->slug = g_strdup (ks_pg_text (res, 0, 2));
  out->area_name = g_strdup (ks_pg_text (res, 0, 3));
  out->has_bbox = !(ks_pg_null (res, 0, 4) || ks_pg_null (res, 0, 5) || ks_pg_null (res, 0, 6) ||
                    ks_pg_null (res, 0, 7));
  out->min_lat = ks_pg_double (res, 0, 4);
  out->min_lon = ks_pg_double (res, 0, 5);
  out->max_lat = ks_pg_double (res, 0, 6);
  out->max_lon = ks_pg_double (res, 0, 7);
  out->require_2fa = ks_pg_int (res, 0, 8) != 0;
  out->password_min_length = ks_pg_int (res, 0, 9);
  out->email = g_strdup (ks_pg_text (res, 0, 10));
  out->created = ks_pg_int (res, 0, 11);
  out->max_photos = ks_pg_int (res, 0, 12);
  out->public_url = ks_pg_null (res, 0, 13) ? NULL : g_strdup (ks_pg_text (res, 0, 13));
  out->duplicate_radius = ks_pg_int (res, 0, 14);
  out->retention_reporter_days = ks_pg_int (res, 0, 15);
  out->retention_audit_days = ks_pg_int (res, 0, 16);
  out->retention_staff_days = ks_pg_int (res, 0, 17);
  return TRUE;
}

static gboolean
body_password_min_length (KsStore *store, gint64 body_id, guint *out, GError **error)
{
  static const KsPgStatement stmt = { "admin_body_password_min_length",
    "SELECT password_min_length FROM bodies WHERE id = $1::bigint" };
  g_autoptr(PGresult) res = fetch_object (store, &stmt, KS_ADMIN_OBJECT_BODY, body_id, error);

  if (res == NULL)
    return FALSE;
  *out = (guint) CLAMP (ks_pg_int (res, 0, 0), 0, G_MAXINT);
  return TRUE;
}

static gboolean
update_body (KsStore *store, gint64 body_id, int require_2fa, int password_min_length,
             GError **error)
{
  static const KsPgStatement stmt = { "admin_update_body",
    "UPDATE bodies SET require_2fa = CASE WHEN $1::integer >= 0 THEN $1::integer ELSE require_2fa END, "
    "  password_min_length = CASE WHEN $2::integer >= 0 THEN $2::integer ELSE password_min_length END "
    "WHERE id = $3::bigint" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, require_2fa < 0 ? -1 : require_2fa != 0);
  ks_pg_args_int (&args, password_min_length);
  ks_pg_args_int (&args, body_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* Dashboard */

/* Reports whose state was set to a fixed-kind state since a time (each counted
 * once per such state, as in the SQLite store). */
static gboolean
count_fixed_since (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 since,
                   gint64 *out, GError **error)
{
  static const KsPgStatement stmt = { "admin_dashboard_fixed_since",
    "SELECT count(DISTINCT u.report_id) FROM updates u JOIN reports r ON r.id = u.report_id "
    "WHERE u.state = $2::text AND u.created >= $3::bigint AND r.body_id = $1::bigint "
    "AND " KS_PG_SEES ("$4") };

  *out = 0;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      gint64 n = 0;

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      ks_pg_args_int (&args, body_id);
      ks_pg_args_text (&args, s->id);
      ks_pg_args_int (&args, since);
      ks_pg_args_hidden (&args, who);
      if (!count_rows (store, &stmt, &args, &n, error))
        return FALSE;
      *out += n;
    }
  return TRUE;
}

/* Median of (first fix - creation) over the reports fixed since a time; < 0 when none. */
static gboolean
median_seconds_to_fix (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 since,
                       double *out, GError **error)
{
  static const KsPgStatement stmt = { "admin_dashboard_fix_times",
    "SELECT min(u.created) - r.created FROM updates u JOIN reports r ON r.id = u.report_id "
    "WHERE u.state = $2::text AND u.created >= $3::bigint AND r.body_id = $1::bigint "
    "AND " KS_PG_SEES ("$4") " "
    "GROUP BY u.report_id, r.created" };
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  *out = -1;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      ks_pg_args_int (&args, body_id);
      ks_pg_args_text (&args, s->id);
      ks_pg_args_int (&args, since);
      ks_pg_args_hidden (&args, who);
      res = ks_pg_store_query (store, &stmt, &args, error);
      if (res == NULL)
        return FALSE;
      for (int r = 0; r < PQntuples (res); r++)
        {
          gint64 t = MAX (0, ks_pg_int (res, r, 0));
          g_array_append_val (times, t);
        }
    }
  *out = ks_dashboard_median_seconds (times);
  return TRUE;
}

static gboolean
dashboard_summary (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 now,
                   KsDashboardSummary *out, GError **error)
{
  static const KsPgStatement by_state_stmt = { "admin_dashboard_by_state",
    "SELECT state, count(*) FROM reports r WHERE body_id = $1::bigint AND " KS_PG_SEES ("$2")
    " GROUP BY state" };
  static const KsPgStatement created_stmt = { "admin_dashboard_created_since",
    "SELECT count(*) FROM reports r WHERE body_id = $1::bigint AND created >= $2::bigint "
    "AND " KS_PG_SEES ("$3") };
  static const KsPgStatement unack_stmt = { "admin_dashboard_unacknowledged",
    "SELECT count(*) FROM reports r WHERE body_id = $1::bigint AND state = $2::text "
    "AND acknowledged IS NULL AND " KS_PG_SEES ("$3") };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) by_state = NULL;
  gint64 created7 = 0, created30 = 0, fixed7 = 0, fixed30 = 0, unack = 0;
  double median = -1;

  ks_dashboard_summary_start (out, body_id, now);

  ks_pg_args_int (&args, body_id);
  ks_pg_args_hidden (&args, who);
  by_state = ks_pg_store_query (store, &by_state_stmt, &args, error);
  if (by_state == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (by_state); r++)
    ks_dashboard_summary_add_state (out, ks_pg_text (by_state, r, 0), ks_pg_int (by_state, r, 1));

  {
    g_auto(KsPgArgs) a7 = KS_PG_ARGS_INIT;
    g_auto(KsPgArgs) a30 = KS_PG_ARGS_INIT;

    ks_pg_args_int (&a7, body_id);
    ks_pg_args_int (&a7, now - 7 * DAY);
    ks_pg_args_hidden (&a7, who);
    ks_pg_args_int (&a30, body_id);
    ks_pg_args_int (&a30, now - 30 * DAY);
    ks_pg_args_hidden (&a30, who);
    if (!count_rows (store, &created_stmt, &a7, &created7, error) ||
        !count_rows (store, &created_stmt, &a30, &created30, error))
      return FALSE;
  }

  if (!count_fixed_since (store, who, body_id, now - 7 * DAY, &fixed7, error) ||
      !count_fixed_since (store, who, body_id, now - 30 * DAY, &fixed30, error) ||
      !median_seconds_to_fix (store, who, body_id, now - 90 * DAY, &median, error))
    return FALSE;

  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      g_auto(KsPgArgs) a = KS_PG_ARGS_INIT;
      gint64 n = 0;

      if (s->kind != KS_STATE_KIND_OPEN)
        continue;
      ks_pg_args_int (&a, body_id);
      ks_pg_args_text (&a, s->id);
      ks_pg_args_hidden (&a, who);
      if (!count_rows (store, &unack_stmt, &a, &n, error))
        return FALSE;
      unack += n;
    }

  out->created_7_days = created7;
  out->created_30_days = created30;
  out->fixed_7_days = fixed7;
  out->fixed_30_days = fixed30;
  out->median_seconds_to_fix = median;
  out->unacknowledged_open = unack;
  return TRUE;
}

/* Adds the (day, count) rows of res to per_day. */
static void
add_days (const PGresult *res, gint64 *per_day, guint days)
{
  for (int r = 0; r < PQntuples (res); r++)
    {
      gint64 d = ks_pg_int (res, r, 0);
      if (d >= 0 && d < days)
        per_day[d] += ks_pg_int (res, r, 1);
    }
}

static gboolean
dashboard_timeline (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 now,
                    guint days, KsDashboardTimeline *out, GError **error)
{
  static const KsPgStatement created_stmt = { "admin_dashboard_created_by_day",
    "SELECT (created - $2::bigint) / 86400, count(*) FROM reports r "
    "WHERE body_id = $1::bigint AND created >= $2::bigint AND " KS_PG_SEES ("$3") " GROUP BY 1" };
  static const KsPgStatement state_stmt = { "admin_dashboard_state_by_day",
    "SELECT (u.created - $3::bigint) / 86400, count(*) FROM updates u "
    "JOIN reports r ON r.id = u.report_id "
    "WHERE u.state = $2::text AND u.created >= $3::bigint AND r.body_id = $1::bigint "
    "AND " KS_PG_SEES ("$4") " GROUP BY 1" };
  gint64 start = (now / DAY - (gint64) days + 1) * DAY;
  gint64 *created = out->created = g_new0 (gint64, days);
  gint64 *fixed = out->fixed = g_new0 (gint64, days);
  gint64 *closed = out->closed = g_new0 (gint64, days);

  out->body_id = body_id;
  out->start = start;
  out->days = days;

  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_int (&args, body_id);
    ks_pg_args_int (&args, start);
    ks_pg_args_hidden (&args, who);
    res = ks_pg_store_query (store, &created_stmt, &args, error);
    if (res == NULL)
      return FALSE;
    add_days (res, created, days);
  }

  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;
      gint64 *into;

      if (s->kind == KS_STATE_KIND_FIXED)
        into = fixed;
      else if (s->kind == KS_STATE_KIND_CLOSED)
        into = closed;
      else
        continue;
      ks_pg_args_int (&args, body_id);
      ks_pg_args_text (&args, s->id);
      ks_pg_args_int (&args, start);
      ks_pg_args_hidden (&args, who);
      res = ks_pg_store_query (store, &state_stmt, &args, error);
      if (res == NULL)
        return FALSE;
      add_days (res, into, days);
    }

  return TRUE;
}

/* Names of a council's categories or priorities by id (as text). */
static gboolean
load_labels (KsStore *store, const KsPgStatement *stmt, gint64 body_id, GHashTable *labels,
             GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  res = ks_pg_store_query (store, stmt, &args, error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    g_hash_table_insert (labels, g_strdup (ks_pg_text (res, r, 0)),
                         g_strdup (ks_pg_text (res, r, 1)));
  return TRUE;
}

static gboolean
dashboard_stats (KsStore *store, const KsPrincipal *who, gint64 body_id, KsStatsBy by,
                 gint64 from, gint64 to, KsDashboardStats *out, GError **error)
{
  /* Grouped here by key and state, then tallied as the SQLite store tallies
   * its rows one by one. */
#define STATS_SQL(key) \
  "SELECT " key ", state, count(*) FROM reports r " \
  "WHERE body_id = $1::bigint AND created >= $2::bigint AND created < $3::bigint " \
  "AND " KS_PG_SEES ("$4") " GROUP BY 1, 2"
  static const KsPgStatement stmts[] = {
    [KS_STATS_BY_CATEGORY] = { "admin_stats_by_category", STATS_SQL ("category_id::text") },
    [KS_STATS_BY_STATE]    = { "admin_stats_by_state", STATS_SQL ("state") },
    [KS_STATS_BY_WARD]     = { "admin_stats_by_ward", STATS_SQL ("ward") },
    [KS_STATS_BY_PRIORITY] = { "admin_stats_by_priority", STATS_SQL ("priority_id::text") },
  };
#undef STATS_SQL
  static const KsPgStatement category_labels = { "admin_stats_category_labels",
    "SELECT id::text, name FROM categories WHERE body_id = $1::bigint" };
  static const KsPgStatement priority_labels = { "admin_stats_priority_labels",
    "SELECT id::text, name FROM priorities WHERE body_id = $1::bigint" };
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  KsStatsTally tally;

  g_return_val_if_fail (by <= KS_STATS_BY_PRIORITY, FALSE);
  if (by == KS_STATS_BY_CATEGORY &&
      !load_labels (store, &category_labels, body_id, labels, error))
    return FALSE;
  if (by == KS_STATS_BY_PRIORITY &&
      !load_labels (store, &priority_labels, body_id, labels, error))
    return FALSE;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, from > 0 ? from : G_MININT64);
  ks_pg_args_int (&args, to > 0 ? to : G_MAXINT64);
  ks_pg_args_hidden (&args, who);
  res = ks_pg_store_query (store, &stmts[by], &args, error);
  if (res == NULL)
    return FALSE;
  ks_stats_tally_start (&tally, out, body_id, by, from, to);
  for (int r = 0; r < PQntuples (res); r++)
    ks_stats_tally_add (&tally, ks_pg_text (res, r, 0), ks_pg_text (res, r, 1),
                        ks_pg_int (res, r, 2));
  ks_stats_tally_finish (&tally, labels);
  return TRUE;
}

static gboolean
dashboard_export_csv (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 from,
                      gint64 to, GString *out, gint64 *out_rows, GError **error)
{
  static const KsPgStatement stmt = { "admin_dashboard_export_csv",
    "SELECT r.id, r.created, c.name, r.state, p.name, r.ward, r.lat, r.lon, r.title "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN priorities p ON p.id = r.priority_id "
    "WHERE r.body_id = $1::bigint AND r.created >= $2::bigint AND r.created < $3::bigint "
    "AND " KS_PG_SEES ("$4") " ORDER BY r.created DESC, r.id DESC" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  int n;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, from > 0 ? from : G_MININT64);
  ks_pg_args_int (&args, to > 0 ? to : G_MAXINT64);
  ks_pg_args_hidden (&args, who);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  n = PQntuples (res);
  g_string_append (out, KS_DASHBOARD_CSV_HEADER);
  for (int r = 0; r < n; r++)
    ks_dashboard_csv_append_report (out, ks_pg_int (res, r, 0), ks_pg_int (res, r, 1),
                                    ks_pg_text (res, r, 2), ks_pg_text (res, r, 3),
                                    ks_pg_text (res, r, 4), ks_pg_text (res, r, 5),
                                    ks_pg_double (res, r, 6), ks_pg_double (res, r, 7),
                                    ks_pg_text (res, r, 8));
  *out_rows = n;
  return TRUE;
}

/* Audit log */

static gboolean
list_audit (KsStore *store, gint64 body_id, const KsAuditQuery *q, GPtrArray *out,
            gboolean *out_more, GError **error)
{
  g_autoptr(GString) sql = g_string_new (
    "SELECT a.id, a.at, a.user_id, u.name, u.email, a.action, a.object_type, a.object_id, "
    "       a.address, a.details, a.body_id "
    "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE TRUE");
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  guint n = 0;

  *out_more = FALSE;
  /* Fixed fragments only; every value is a parameter. */
  if (body_id != 0)
    g_string_append_printf (sql, " AND a.body_id = $%d::bigint", ks_pg_args_int (&args, body_id));
  if (q->user_id != 0)
    g_string_append_printf (sql, " AND a.user_id = $%d::bigint", ks_pg_args_int (&args, q->user_id));
  if (q->object_type != NULL)
    g_string_append_printf (sql, " AND a.object_type = $%d::text",
                            ks_pg_args_text (&args, q->object_type));
  if (q->object_id != 0)
    g_string_append_printf (sql, " AND a.object_id = $%d::bigint",
                            ks_pg_args_int (&args, q->object_id));
  if (q->cursor_at != 0)
    {
      int at = ks_pg_args_int (&args, q->cursor_at);
      int id = ks_pg_args_int (&args, q->cursor_id);

      g_string_append_printf (sql, " AND a.at <= $%d::bigint AND (a.at < $%d::bigint OR a.id < $%d::bigint)",
                              at, at, id);
    }
  g_string_append_printf (sql, " ORDER BY a.at DESC, a.id DESC LIMIT $%d::bigint",
                          ks_pg_args_int (&args, (gint64) q->limit + 1));

  res = ks_pg_store_query_sql (store, sql->str, &args, error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      KsAuditEntry *e;

      if (n == q->limit)
        {
          *out_more = TRUE;
          break;
        }
      e = g_new0 (KsAuditEntry, 1);
      e->id = ks_pg_int (res, r, 0);
      e->at = ks_pg_int (res, r, 1);
      e->has_body = !ks_pg_null (res, r, 10);
      e->body_id = ks_pg_int (res, r, 10);
      e->has_user = !ks_pg_null (res, r, 2);
      e->user_id = ks_pg_int (res, r, 2);
      e->user_name = g_strdup (ks_pg_text (res, r, 3));
      e->user_email = g_strdup (ks_pg_text (res, r, 4));
      e->action = g_strdup (ks_pg_text (res, r, 5));
      e->object_type = g_strdup (ks_pg_text (res, r, 6));
      e->has_object = !ks_pg_null (res, r, 7);
      e->object_id = ks_pg_int (res, r, 7);
      e->address = g_strdup (ks_pg_text (res, r, 8));
      e->details = g_strdup (ks_pg_text (res, r, 9));
      g_ptr_array_add (out, e);
      n++;
    }
  return TRUE;
}

void
ks_pg_store_admin_init (KsStoreAdminVTable *vtable)
{
  vtable->object_body = object_body;
  vtable->check_ids = check_ids;
  ks_pg_admin_kinds_init (vtable);
  vtable->user_permissions = user_permissions;
  vtable->ensure_default_roles = ensure_default_roles;
  vtable->get_body = get_body;
  vtable->body_password_min_length = body_password_min_length;
  vtable->update_body = update_body;
  vtable->dashboard_summary = dashboard_summary;
  vtable->dashboard_timeline = dashboard_timeline;
  vtable->dashboard_stats = dashboard_stats;
  vtable->dashboard_export_csv = dashboard_export_csv;
  vtable->list_audit = list_audit;
}
