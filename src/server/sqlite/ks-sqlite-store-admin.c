/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-admin.c: the admin operations in SQLite besides the generic
 * ones over the admin kinds (ks-sqlite-admin-kinds.c): objects' councils, the
 * default roles, council settings, dashboard, audit log. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "sqlite/ks-sqlite-admin-kinds.h"
#include "sqlite/ks-sqlite-permissions.h"
#include "ks-states.h"
#include "ks-time.h"

#include <stdlib.h>
#include <string.h>

#define DAY (24 * 3600)

/* Runs a "SELECT count(*) ..." statement whose parameters are bound. */
static gboolean
count_rows (sqlite3_stmt *st,
            gint64       *out,
            GError      **error)
{
  if (sqlite3_step (st) != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  *out = ks_col_int (st, 0);
  return TRUE;
}

/* Objects and their councils */

static const struct {
  const char *sql;
  const char *noun;
} object_kinds[] = {
  [KS_ADMIN_OBJECT_BODY]     = { "SELECT id FROM bodies WHERE id = ?", "council" },
  [KS_ADMIN_OBJECT_CATEGORY] = { "SELECT body_id FROM categories WHERE id = ?", "category" },
  [KS_ADMIN_OBJECT_PRIORITY] = { "SELECT body_id FROM priorities WHERE id = ?", "priority" },
  [KS_ADMIN_OBJECT_TEMPLATE] = { "SELECT body_id FROM templates WHERE id = ?", "template" },
  [KS_ADMIN_OBJECT_ROLE]     = { "SELECT body_id FROM roles WHERE id = ?", "role" },
  [KS_ADMIN_OBJECT_USER]     = { "SELECT body_id FROM users WHERE id = ?", "staff account" },
  [KS_ADMIN_OBJECT_STATE]    = { "SELECT body_id FROM states WHERE id = ?", "state" },
  [KS_ADMIN_OBJECT_EMAIL_TEMPLATE] = { "SELECT body_id FROM email_templates WHERE id = ?",
                                       "email template" },
  [KS_ADMIN_OBJECT_OPEN311_DESTINATION] = { "SELECT body_id FROM open311_destinations WHERE id = ?",
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
  g_autoptr(KsStmt) st = NULL;

  g_return_val_if_fail (kind < KS_N_ADMIN_OBJECTS, FALSE);
  st = ks_sqlite_stmt (store, object_kinds[kind].sql, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  *out_body_id = *found ? ks_col_int (st, 0) : 0;
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

/* Runs sql, a query of one object of this kind by its id (parameter 1): the
 * statement on its row, or NULL with an error (KS_ERROR_NOT_FOUND when there is
 * no such object). sql must be static, as for ks_sqlite_stmt(). */
static KsStmt *
fetch_object (KsStore *store, const char *sql, KsAdminObject kind, gint64 id,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  gboolean found;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, &found, error))
    return NULL;
  if (!found)
    {
      ks_admin_not_found (object_kinds[kind].noun, error);
      return NULL;
    }
  return g_steal_pointer (&st);
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
  g_autoptr(KsStmt) su = fetch_object (store,
    "SELECT is_superuser FROM users WHERE id = ?",
    KS_ADMIN_OBJECT_USER, user_id, error);

  if (su == NULL)
    return FALSE;
  if (ks_col_int (su, 0) != 0)
    {
      *out = KS_PERMISSION_SET_ALL;
      return TRUE;
    }
  return ks_sqlite_user_permissions (store, user_id, out, error);
}

/* Roles */

static gboolean
role_permissions (KsStore *store, gint64 role_id, KsPermissionSet *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT permission FROM role_permissions WHERE role_id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, role_id);
  return ks_sqlite_read_permission_set (st, out, error);
}

static gboolean
set_role_permissions (KsStore *store, gint64 id, KsPermissionSet set, GError **error)
{
  return ks_sqlite_replace_permissions (store,
                                        "DELETE FROM role_permissions WHERE role_id = ?",
                                        "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                                        id, set, error);
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
  gint64 unused = 0;

  if (!object_body (store, KS_ADMIN_OBJECT_BODY, body_id, &unused, error))
    return FALSE;

  for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
    {
      const char *name = ks_default_role_name (r);
      KsPermissionSet want = ks_default_role_permissions (r);
      KsPermissionSet have = 0;
      g_autoptr(KsStmt) find = ks_sqlite_stmt (store,
        "SELECT id, is_default FROM roles WHERE body_id = ? AND name = ?", error);
      gint64 id = 0;
      int rc;

      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, body_id);
      ks_bind_text (find, 2, name);
      rc = sqlite3_step (find);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (find, error);
      if (rc == SQLITE_DONE)
        {
          ks_stmt_release (g_steal_pointer (&find));
          if (!create_default_role (store, body_id, name, want, error))
            return FALSE;
          continue;
        }
      id = ks_col_int (find, 0);
      if (ks_col_int (find, 1) == 0)
        {
          g_autoptr(KsStmt) mark = ks_sqlite_stmt (store,
            "UPDATE roles SET is_default = 1 WHERE id = ?", error);
          if (mark == NULL)
            return FALSE;
          sqlite3_bind_int64 (mark, 1, id);
          if (!ks_sqlite_step_done (mark, error))
            return FALSE;
        }
      ks_stmt_release (g_steal_pointer (&find));
      if (!role_permissions (store, id, &have, error))
        return FALSE;
      if (have != want && !set_role_permissions (store, id, want, error))
        return FALSE;
    }

  /* Only the four are default roles. */
  {
    g_autoptr(KsStmt) others = ks_sqlite_stmt (store,
      "UPDATE roles SET is_default = 0 WHERE body_id = ? AND is_default = 1 "
      "AND name NOT IN (?, ?, ?, ?)", error);
    if (others == NULL)
      return FALSE;
    sqlite3_bind_int64 (others, 1, body_id);
    for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
      ks_bind_text (others, 2 + r, ks_default_role_name (r));
    return ks_sqlite_step_done (others, error);
  }
}

static gboolean
ensure_default_roles (KsStore *store, gint64 body_id, GError **error)
{
  G_STATIC_ASSERT (KS_N_DEFAULT_ROLES == 4);

  if (!ks_sqlite_exec (store, "SAVEPOINT ks_default_roles", error))
    return FALSE;
  if (!ensure_default_roles_in (store, body_id, error))
    {
      ks_sqlite_exec (store, "ROLLBACK TO ks_default_roles; RELEASE ks_default_roles", NULL);
      return FALSE;
    }
  return ks_sqlite_exec (store, "RELEASE ks_default_roles", error);
}

/* Council settings */

static gboolean
get_body (KsStore *store, gint64 body_id, KsBodyRow *out, GError **error)
{
  g_autoptr(KsStmt) st = fetch_object (store,
    "SELECT id, name, slug, area_name, min_lat, min_lon, max_lat, max_lon, "
    "       require_2fa, password_min_length, email, created, max_photos, public_url, "
    "       duplicate_radius, retention_reporter_days, retention_audit_days, "
    "       retention_staff_days "
    "FROM bodies WHERE id = ?",
    KS_ADMIN_OBJECT_BODY, body_id, error);

  if (st == NULL)
    return FALSE;
  out->id = ks_col_int (st, 0);
  out->name = g_strdup (ks_col_text (st, 1));
  out->slug = g_strdup (ks_col_text (st, 2));
  out->area_name = g_strdup (ks_col_text (st, 3));
  out->has_bbox = !(ks_col_null (st, 4) || ks_col_null (st, 5) || ks_col_null (st, 6) ||
                    ks_col_null (st, 7));
  out->min_lat = ks_col_double (st, 4);
  out->min_lon = ks_col_double (st, 5);
  out->max_lat = ks_col_double (st, 6);
  out->max_lon = ks_col_double (st, 7);
  out->require_2fa = ks_col_int (st, 8) != 0;
  out->password_min_length = ks_col_int (st, 9);
  out->email = g_strdup (ks_col_text (st, 10));
  out->created = ks_col_int (st, 11);
  out->max_photos = ks_col_int (st, 12);
  out->public_url = ks_col_null (st, 13) ? NULL : g_strdup (ks_col_text (st, 13));
  out->duplicate_radius = ks_col_int (st, 14);
  out->retention_reporter_days = ks_col_int (st, 15);
  out->retention_audit_days = ks_col_int (st, 16);
  out->retention_staff_days = ks_col_int (st, 17);
  return TRUE;
}

static gboolean
body_password_min_length (KsStore *store, gint64 body_id, guint *out, GError **error)
{
  g_autoptr(KsStmt) st = fetch_object (store,
    "SELECT password_min_length FROM bodies WHERE id = ?",
    KS_ADMIN_OBJECT_BODY, body_id, error);

  if (st == NULL)
    return FALSE;
  *out = (guint) CLAMP (ks_col_int (st, 0), 0, G_MAXINT);
  return TRUE;
}

static gboolean
update_body (KsStore *store, gint64 body_id, int require_2fa, int password_min_length,
             GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE bodies SET require_2fa = CASE WHEN ?1 >= 0 THEN ?1 ELSE require_2fa END, "
    "  password_min_length = CASE WHEN ?2 >= 0 THEN ?2 ELSE password_min_length END "
    "WHERE id = ?3", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int (st, 1, require_2fa < 0 ? -1 : require_2fa != 0);
  sqlite3_bind_int (st, 2, password_min_length);
  sqlite3_bind_int64 (st, 3, body_id);
  return ks_sqlite_step_done (st, error);
}

/* Dashboard */

/* Reports whose state was set to a fixed-kind state since a time (each counted once). */
static gboolean
count_fixed_since (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 since,
                   gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT count(DISTINCT u.report_id) FROM updates u JOIN reports r ON r.id = u.report_id "
    "WHERE u.state = ?2 AND u.created >= ?3 AND r.body_id = ?1 AND " KS_SQLITE_SEES ("?9"), error);

  *out = 0;
  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      gint64 n = 0;

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, body_id);
      ks_bind_text (st, 2, s->id);
      sqlite3_bind_int64 (st, 3, since);
      ks_sqlite_bind_hidden (st, 9, who);
      if (!count_rows (st, &n, error))
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT min(u.created) - r.created FROM updates u JOIN reports r ON r.id = u.report_id "
    "WHERE u.state = ?2 AND u.created >= ?3 AND r.body_id = ?1 AND " KS_SQLITE_SEES ("?9")
    " GROUP BY u.report_id", error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  *out = -1;
  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      int rc;

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, body_id);
      ks_bind_text (st, 2, s->id);
      sqlite3_bind_int64 (st, 3, since);
      ks_sqlite_bind_hidden (st, 9, who);
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          gint64 t = MAX (0, ks_col_int (st, 0));
          g_array_append_val (times, t);
        }
      if (rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (st, error);
    }
  *out = ks_dashboard_median_seconds (times);
  return TRUE;
}

static gboolean
dashboard_summary (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 now,
                   KsDashboardSummary *out, GError **error)
{
  g_autoptr(KsStmt) by_state = ks_sqlite_stmt (store,
    "SELECT state, count(*) FROM reports r WHERE body_id = ?1 AND " KS_SQLITE_SEES ("?9")
    " GROUP BY state", error);
  gint64 created7 = 0, created30 = 0, fixed7 = 0, fixed30 = 0, unack = 0;
  double median = -1;
  int rc;

  ks_dashboard_summary_start (out, body_id, now);

  if (by_state == NULL)
    return FALSE;
  sqlite3_bind_int64 (by_state, 1, body_id);
  ks_sqlite_bind_hidden (by_state, 9, who);
  while ((rc = sqlite3_step (by_state)) == SQLITE_ROW)
    ks_dashboard_summary_add_state (out, ks_col_text (by_state, 0), ks_col_int (by_state, 1));
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (by_state, error);
  ks_stmt_release (g_steal_pointer (&by_state));

  {
    g_autoptr(KsStmt) created = ks_sqlite_stmt (store,
      "SELECT count(*) FROM reports r WHERE body_id = ?1 AND created >= ?2 AND "
      KS_SQLITE_SEES ("?9"), error);
    if (created == NULL)
      return FALSE;
    sqlite3_bind_int64 (created, 1, body_id);
    ks_sqlite_bind_hidden (created, 9, who);
    sqlite3_bind_int64 (created, 2, now - 7 * DAY);
    if (!count_rows (created, &created7, error))
      return FALSE;
    sqlite3_reset (created);
    sqlite3_bind_int64 (created, 2, now - 30 * DAY);
    if (!count_rows (created, &created30, error))
      return FALSE;
  }

  if (!count_fixed_since (store, who, body_id, now - 7 * DAY, &fixed7, error) ||
      !count_fixed_since (store, who, body_id, now - 30 * DAY, &fixed30, error) ||
      !median_seconds_to_fix (store, who, body_id, now - 90 * DAY, &median, error))
    return FALSE;

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT count(*) FROM reports r WHERE body_id = ?1 AND state = ?2 AND acknowledged IS NULL "
      "AND " KS_SQLITE_SEES ("?9"), error);
    if (st == NULL)
      return FALSE;
    for (guint i = 0; i < ks_states_count (); i++)
      {
        const KsState *s = ks_states_nth (i);
        gint64 n = 0;

        if (s->kind != KS_STATE_KIND_OPEN)
          continue;
        sqlite3_reset (st);
        sqlite3_bind_int64 (st, 1, body_id);
        ks_bind_text (st, 2, s->id);
        ks_sqlite_bind_hidden (st, 9, who);
        if (!count_rows (st, &n, error))
          return FALSE;
        unack += n;
      }
  }

  out->created_7_days = created7;
  out->created_30_days = created30;
  out->fixed_7_days = fixed7;
  out->fixed_30_days = fixed30;
  out->median_seconds_to_fix = median;
  out->unacknowledged_open = unack;
  return TRUE;
}

static gboolean
dashboard_timeline (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 now,
                    guint days, KsDashboardTimeline *out, GError **error)
{
  gint64 start = (now / DAY - (gint64) days + 1) * DAY;
  gint64 *created = out->created = g_new0 (gint64, days);
  gint64 *fixed = out->fixed = g_new0 (gint64, days);
  gint64 *closed = out->closed = g_new0 (gint64, days);
  int rc;

  out->body_id = body_id;
  out->start = start;
  out->days = days;

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT (created - ?2) / 86400, count(*) FROM reports r "
      "WHERE body_id = ?1 AND created >= ?2 AND " KS_SQLITE_SEES ("?9") " GROUP BY 1", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, body_id);
    ks_sqlite_bind_hidden (st, 9, who);
    sqlite3_bind_int64 (st, 2, start);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        gint64 d = ks_col_int (st, 0);
        if (d >= 0 && d < days)
          created[d] += ks_col_int (st, 1);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT (u.created - ?3) / 86400, count(*) FROM updates u JOIN reports r ON r.id = u.report_id "
      "WHERE u.state = ?2 AND u.created >= ?3 AND r.body_id = ?1 AND " KS_SQLITE_SEES ("?9")
      " GROUP BY 1", error);
    if (st == NULL)
      return FALSE;
    for (guint i = 0; i < ks_states_count (); i++)
      {
        const KsState *s = ks_states_nth (i);
        gint64 *into;

        if (s->kind == KS_STATE_KIND_FIXED)
          into = fixed;
        else if (s->kind == KS_STATE_KIND_CLOSED)
          into = closed;
        else
          continue;
        sqlite3_reset (st);
        sqlite3_bind_int64 (st, 1, body_id);
        ks_bind_text (st, 2, s->id);
        sqlite3_bind_int64 (st, 3, start);
        ks_sqlite_bind_hidden (st, 9, who);
        while ((rc = sqlite3_step (st)) == SQLITE_ROW)
          {
            gint64 d = ks_col_int (st, 0);
            if (d >= 0 && d < days)
              into[d] += ks_col_int (st, 1);
          }
        if (rc != SQLITE_DONE)
          return ks_sqlite_stmt_fail (st, error);
      }
  }

  return TRUE;
}

/* Names of a council's categories or priorities by id (as text). */
static gboolean
load_labels (KsStore *store, const char *sql, gint64 body_id, GHashTable *labels,
             GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_hash_table_insert (labels, g_strdup (ks_col_text (st, 0)), g_strdup (ks_col_text (st, 1)));
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
dashboard_stats (KsStore *store, const KsPrincipal *who, gint64 body_id, KsStatsBy by,
                 gint64 from, gint64 to, KsDashboardStats *out, GError **error)
{
  /* Rows are counted here rather than with GROUP BY: over a million reports
   * SQLite's sorter costs several times the scan itself. */
  static const char *sql[] = {
    [KS_STATS_BY_CATEGORY] =
      "SELECT category_id, state FROM reports r WHERE body_id = ?1 AND created >= ?2 AND created < ?3 "
      "AND " KS_SQLITE_SEES ("?9"),
    [KS_STATS_BY_STATE] =
      "SELECT state, state FROM reports r WHERE body_id = ?1 AND created >= ?2 AND created < ?3 "
      "AND " KS_SQLITE_SEES ("?9"),
    [KS_STATS_BY_WARD] =
      "SELECT ward, state FROM reports r WHERE body_id = ?1 AND created >= ?2 AND created < ?3 "
      "AND " KS_SQLITE_SEES ("?9"),
    [KS_STATS_BY_PRIORITY] =
      "SELECT priority_id, state FROM reports r WHERE body_id = ?1 AND created >= ?2 AND created < ?3 "
      "AND " KS_SQLITE_SEES ("?9"),
  };
  g_autoptr(KsStmt) st = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  KsStatsTally tally;
  int rc;

  g_return_val_if_fail (by <= KS_STATS_BY_PRIORITY, FALSE);
  if (by == KS_STATS_BY_CATEGORY &&
      !load_labels (store, "SELECT id, name FROM categories WHERE body_id = ?", body_id, labels, error))
    return FALSE;
  if (by == KS_STATS_BY_PRIORITY &&
      !load_labels (store, "SELECT id, name FROM priorities WHERE body_id = ?", body_id, labels, error))
    return FALSE;

  st = ks_sqlite_stmt (store, sql[by], error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, from > 0 ? from : G_MININT64);
  sqlite3_bind_int64 (st, 3, to > 0 ? to : G_MAXINT64);
  ks_sqlite_bind_hidden (st, 9, who);
  ks_stats_tally_start (&tally, out, body_id, by, from, to);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    ks_stats_tally_add (&tally, ks_col_text (st, 0), ks_col_text (st, 1), 1);
  if (rc != SQLITE_DONE)
    {
      ks_stats_tally_finish (&tally, NULL);
      return ks_sqlite_stmt_fail (st, error);
    }
  ks_stats_tally_finish (&tally, labels);
  return TRUE;
}

static gboolean
dashboard_export_csv (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 from,
                      gint64 to, GString *out, gint64 *out_rows, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, r.created, c.name, r.state, p.name, r.ward, r.lat, r.lon, r.title "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN priorities p ON p.id = r.priority_id "
    "WHERE r.body_id = ?1 AND r.created >= ?2 AND r.created < ?3 AND " KS_SQLITE_SEES ("?9")
    " ORDER BY r.created DESC, r.id DESC", error);
  gint64 n = 0;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, from > 0 ? from : G_MININT64);
  sqlite3_bind_int64 (st, 3, to > 0 ? to : G_MAXINT64);
  ks_sqlite_bind_hidden (st, 9, who);
  g_string_append (out, KS_DASHBOARD_CSV_HEADER);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      ks_dashboard_csv_append_report (out, ks_col_int (st, 0), ks_col_int (st, 1),
                                      ks_col_text (st, 2), ks_col_text (st, 3),
                                      ks_col_text (st, 4), ks_col_text (st, 5),
                                      ks_col_double (st, 6), ks_col_double (st, 7),
                                      ks_col_text (st, 8));
      n++;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
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
    "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE 1");
  sqlite3_stmt *st;
  guint n = 0;
  int rc;

  *out_more = FALSE;
  /* Fixed fragments only; every value is bound. With a person or an object to
   * look for, their index is the narrower one ("+" keeps SQLite off the council's). */
  if (body_id != 0)
    g_string_append (sql, (q->user_id != 0 || q->object_id != 0)
                          ? " AND +a.body_id = ?1" : " AND a.body_id = ?1");
  if (q->user_id != 0)
    g_string_append (sql, " AND a.user_id = ?2");
  if (q->object_type != NULL)
    g_string_append (sql, " AND a.object_type = ?3");
  if (q->object_id != 0)
    g_string_append (sql, " AND a.object_id = ?4");
  if (q->cursor_at != 0)
    g_string_append (sql, " AND a.at <= ?5 AND (a.at < ?5 OR a.id < ?6)");
  g_string_append (sql, " ORDER BY a.at DESC, a.id DESC LIMIT ?7");

  st = ks_sqlite_prepare (store, sql->str, error);
  if (st == NULL)
    return FALSE;
  if (body_id != 0)
    sqlite3_bind_int64 (st, 1, body_id);
  if (q->user_id != 0)
    sqlite3_bind_int64 (st, 2, q->user_id);
  if (q->object_type != NULL)
    ks_bind_text (st, 3, q->object_type);
  if (q->object_id != 0)
    sqlite3_bind_int64 (st, 4, q->object_id);
  if (q->cursor_at != 0)
    {
      sqlite3_bind_int64 (st, 5, q->cursor_at);
      sqlite3_bind_int64 (st, 6, q->cursor_id);
    }
  sqlite3_bind_int64 (st, 7, (gint64) q->limit + 1);

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsAuditEntry *e;

      if (n == q->limit)
        {
          *out_more = TRUE;
          break;
        }
      e = g_new0 (KsAuditEntry, 1);
      e->id = ks_col_int (st, 0);
      e->at = ks_col_int (st, 1);
      e->has_body = !ks_col_null (st, 10);
      e->body_id = ks_col_int (st, 10);
      e->has_user = !ks_col_null (st, 2);
      e->user_id = ks_col_int (st, 2);
      e->user_name = g_strdup (ks_col_text (st, 3));
      e->user_email = g_strdup (ks_col_text (st, 4));
      e->action = g_strdup (ks_col_text (st, 5));
      e->object_type = g_strdup (ks_col_text (st, 6));
      e->has_object = !ks_col_null (st, 7);
      e->object_id = ks_col_int (st, 7);
      e->address = g_strdup (ks_col_text (st, 8));
      e->details = g_strdup (ks_col_text (st, 9));
      g_ptr_array_add (out, e);
      n++;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ks_sqlite_stmt_fail (st, error);
      sqlite3_finalize (st);
      return FALSE;
    }
  sqlite3_finalize (st);
  return TRUE;
}

void
ks_sqlite_store_admin_init (KsStoreAdminVTable *vtable)
{
  vtable->object_body = object_body;
  vtable->check_ids = check_ids;
  ks_sqlite_admin_kinds_init (vtable);
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
