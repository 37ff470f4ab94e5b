/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-councils.c: councils' settings and boundaries in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"
#include "ks-error.h"
#include "ks-time.h"

static gboolean
list_bodies (KsStore *store, GArray **out_ids, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT id FROM bodies ORDER BY name, id", error);

  if (st == NULL)
    return FALSE;
  return ks_sqlite_collect_ids (st, out_ids, error);
}

static gboolean
create_body (KsStore *store, const KsBodySettings *s, gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO bodies (name, slug, email, public_url, require_2fa, password_min_length, "
    "  duplicate_radius, retention_reporter_days, retention_audit_days, created, "
    "  retention_staff_days) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, s->name);
  ks_bind_text (st, 2, s->slug);
  ks_bind_text (st, 3, s->email && *s->email ? s->email : NULL);
  ks_bind_text (st, 4, s->public_url && *s->public_url ? s->public_url : NULL);
  sqlite3_bind_int (st, 5, s->require_2fa > 0);
  sqlite3_bind_int64 (st, 6, s->password_min_length);
  sqlite3_bind_int64 (st, 7, s->duplicate_radius);
  sqlite3_bind_int64 (st, 8, s->retention_reporter_days);
  sqlite3_bind_int64 (st, 9, s->retention_audit_days);
  sqlite3_bind_int64 (st, 10, ks_time_now ());
  sqlite3_bind_int64 (st, 11, s->retention_staff_days);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

static gboolean
edit_body (KsStore *store, gint64 body_id, const KsBodySettings *s, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE bodies SET name = coalesce (?1, name), slug = coalesce (?2, slug), "
    "  email = CASE WHEN ?3 IS NULL THEN email ELSE nullif (?3, '') END, "
    "  public_url = CASE WHEN ?4 IS NULL THEN public_url ELSE nullif (?4, '') END, "
    "  require_2fa = CASE WHEN ?5 >= 0 THEN ?5 ELSE require_2fa END, "
    "  password_min_length = CASE WHEN ?6 >= 0 THEN ?6 ELSE password_min_length END, "
    "  duplicate_radius = CASE WHEN ?7 >= 0 THEN ?7 ELSE duplicate_radius END, "
    "  retention_reporter_days = CASE WHEN ?8 >= 0 THEN ?8 ELSE retention_reporter_days END, "
    "  retention_audit_days = CASE WHEN ?9 >= 0 THEN ?9 ELSE retention_audit_days END, "
    "  retention_staff_days = CASE WHEN ?11 >= 0 THEN ?11 ELSE retention_staff_days END "
    "WHERE id = ?10", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, s->name);
  ks_bind_text (st, 2, s->slug);
  ks_bind_text (st, 3, s->email);
  ks_bind_text (st, 4, s->public_url);
  sqlite3_bind_int (st, 5, s->require_2fa < 0 ? -1 : s->require_2fa != 0);
  sqlite3_bind_int64 (st, 6, s->password_min_length);
  sqlite3_bind_int64 (st, 7, s->duplicate_radius);
  sqlite3_bind_int64 (st, 8, s->retention_reporter_days);
  sqlite3_bind_int64 (st, 9, s->retention_audit_days);
  sqlite3_bind_int64 (st, 10, body_id);
  sqlite3_bind_int64 (st, 11, s->retention_staff_days);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (ks_sqlite_changes (store) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no council %" G_GINT64_FORMAT ".", body_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
boundaries_version (KsStore *store, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT value FROM meta WHERE key = 'boundaries'", error);
  gboolean found = FALSE;

  *out = 0;
  if (st == NULL || !ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    *out = ks_col_int (st, 0);
  return TRUE;
}

static gboolean
boundaries_load (KsStore *store, gint64 body_id, KsBoundaryRowFunc func, gpointer user_data,
                 GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT kind, name, geometry, min_lat, min_lon, max_lat, max_lon FROM boundaries "
    "WHERE body_id = ? ORDER BY kind = 'ward', name, id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsBoundaryRow row = {
        .kind = ks_col_text (st, 0), .name = ks_col_text (st, 1),
        .geometry = ks_col_text (st, 2),
        .min_lat = ks_col_double (st, 3), .min_lon = ks_col_double (st, 4),
        .max_lat = ks_col_double (st, 5), .max_lon = ks_col_double (st, 6),
      };
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
boundaries_replace (KsStore *store, gint64 body_id, const char *area_name,
                    const KsBoundaryRow *rows, guint n_rows, GError **error)
{
  g_autoptr(KsStmt) del = ks_sqlite_stmt (store, "DELETE FROM boundaries WHERE body_id = ?", error);
  g_autoptr(KsStmt) ins = NULL;
  g_autoptr(KsStmt) body = NULL;
  g_autoptr(KsStmt) bump = NULL;
  gint64 now = ks_time_now ();

  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, body_id);
  if (!ks_sqlite_step_done (del, error))
    return FALSE;
  ins = ks_sqlite_stmt (store,
    "INSERT INTO boundaries (body_id, kind, name, geometry, min_lat, min_lon, max_lat, max_lon, "
    "  imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (ins == NULL)
    return FALSE;
  for (guint i = 0; i < n_rows; i++)
    {
      const KsBoundaryRow *r = &rows[i];

      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, body_id);
      ks_bind_text (ins, 2, r->kind);
      ks_bind_text (ins, 3, r->name);
      ks_bind_text (ins, 4, r->geometry);
      sqlite3_bind_double (ins, 5, r->min_lat);
      sqlite3_bind_double (ins, 6, r->min_lon);
      sqlite3_bind_double (ins, 7, r->max_lat);
      sqlite3_bind_double (ins, 8, r->max_lon);
      sqlite3_bind_int64 (ins, 9, now);
      if (!ks_sqlite_step_done (ins, error))
        return FALSE;
    }
  body = ks_sqlite_stmt (store,
    "UPDATE bodies SET area_name = coalesce (?2, area_name), "
    "  (min_lat, min_lon, max_lat, max_lon) = (SELECT min_lat, min_lon, max_lat, max_lon "
    "    FROM boundaries WHERE body_id = ?1 AND kind = 'area') "
    "WHERE id = ?1", error);
  if (body == NULL)
    return FALSE;
  sqlite3_bind_int64 (body, 1, body_id);
  ks_bind_text (body, 2, area_name);
  if (!ks_sqlite_step_done (body, error))
    return FALSE;
  bump = ks_sqlite_stmt (store, "UPDATE meta SET value = value + 1 WHERE key = 'boundaries'", error);
  return bump != NULL && ks_sqlite_step_done (bump, error);
}

static gboolean
report_points (KsStore *store, gint64 body_id, gint64 after_id, guint limit, GArray **out,
               GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, lat, lon, ward FROM reports WHERE body_id = ? AND id > ? ORDER BY id LIMIT ?",
    error);
  g_autoptr(GArray) points = NULL;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, after_id);
  sqlite3_bind_int64 (st, 3, limit);
  points = ks_report_points_new ();
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsReportPoint p = {
        .id = ks_col_int (st, 0), .lat = ks_col_double (st, 1), .lon = ks_col_double (st, 2),
        .ward = g_strdup (ks_col_null (st, 3) ? "" : ks_col_text (st, 3)),
      };
      g_array_append_val (points, p);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  *out = g_steal_pointer (&points);
  return TRUE;
}

static gboolean
set_report_ward (KsStore *store, gint64 report_id, const char *ward, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  st = ks_sqlite_stmt (store, "UPDATE reports SET ward = ?, seq = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, ward);
  sqlite3_bind_int64 (st, 2, seq);
  sqlite3_bind_int64 (st, 3, report_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
get_site_message (KsStore *store, gint64 body_id, gint64 now, char **out_text, gint64 *out_until,
                  GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT site_message, coalesce (site_message_until, 0) FROM bodies "
    "WHERE id = ?1 AND site_message IS NOT NULL "
    "  AND (site_message_until IS NULL OR site_message_until > ?2)", error);
  gboolean found = FALSE;

  *out_text = NULL;
  *out_until = 0;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, now);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    {
      *out_text = g_strdup (ks_col_text (st, 0));
      *out_until = ks_col_int (st, 1);
    }
  return TRUE;
}

static gboolean
set_site_message (KsStore *store, gint64 body_id, const char *text, gint64 until, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE bodies SET site_message = ?1, site_message_until = ?2 WHERE id = ?3", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, text);
  ks_bind_id (st, 2, text != NULL ? until : 0);
  sqlite3_bind_int64 (st, 3, body_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
create_staff (KsStore *store, gint64 body_id, const char *email, const char *name,
              const char *password_hash, gboolean superuser, GArray *role_ids, gint64 *out_id,
              GError **error)
{
  g_autoptr(KsStmt) taken = ks_sqlite_stmt (store,
    "SELECT 1 FROM users WHERE email = ? COLLATE NOCASE", error);
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;
  gint64 now = ks_time_now ();

  if (taken == NULL)
    return FALSE;
  ks_bind_text (taken, 1, email);
  if (!ks_sqlite_step_row (taken, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                   "There is already an account with the email address “%s”.", email);
      return FALSE;
    }
  st = ks_sqlite_stmt (store,
    "INSERT INTO users (body_id, email, name, password_hash, is_superuser, active, created, "
    "  updated) VALUES (nullif (?, 0), ?, ?, ?, ?, 1, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, email);
  ks_bind_text (st, 3, name);
  ks_bind_text (st, 4, password_hash);
  sqlite3_bind_int (st, 5, superuser != FALSE);
  sqlite3_bind_int64 (st, 6, now);
  sqlite3_bind_int64 (st, 7, now);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_last_insert_rowid (store);
  for (guint i = 0; role_ids != NULL && i < role_ids->len; i++)
    {
      g_autoptr(KsStmt) link = ks_sqlite_stmt (store,
        "INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?, ?)", error);

      if (link == NULL)
        return FALSE;
      sqlite3_bind_int64 (link, 1, *out_id);
      sqlite3_bind_int64 (link, 2, g_array_index (role_ids, gint64, i));
      if (!ks_sqlite_step_done (link, error))
        return FALSE;
    }
  return TRUE;
}

void
ks_sqlite_store_councils_init (KsStoreCouncilsVTable *vtable)
{
  vtable->list_bodies = list_bodies;
  vtable->create_body = create_body;
  vtable->edit_body = edit_body;
  vtable->boundaries_version = boundaries_version;
  vtable->boundaries_load = boundaries_load;
  vtable->boundaries_replace = boundaries_replace;
  vtable->report_points = report_points;
  vtable->set_report_ward = set_report_ward;
  vtable->get_site_message = get_site_message;
  vtable->set_site_message = set_site_message;
  vtable->create_staff = create_staff;
}
