/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-demo-writer.c: the demo data set written straight into SQLite in one
 * transaction: the council and its catalogue, then every report and update with
 * the b-tree, R*Tree and full-text indexes dropped and built once at the end,
 * which is what makes a million reports quick. Over ~1,000 lines: one bulk load,
 * its steps share the saved schema and the plan's ids. */
#define G_LOG_DOMAIN "ks-demo"

#include "sqlite/ks-sqlite-demo-writer.h"
#include "sqlite/ks-sqlite-db.h"
#include "demo/ks-demo-rows.h"
#include "auth/ks-password-hash.h"
#include "ks-permissions.h"
#include "ks-states.h"
#include "store/ks-store-admin.h"
#include "store/ks-store-photos.h"
#include "ks-time.h"

#include <stdlib.h>
#include <string.h>

/* Database: the council and its settings */

static gboolean
step_id (sqlite3_stmt *st, gint64 *out_id, GError **error)
{
  int rc = sqlite3_step (st);

  if (rc == SQLITE_ROW)
    {
      if (out_id)
        *out_id = sqlite3_column_int64 (st, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The demo data could not be written (a row went missing); run the command again.");
      return FALSE;
    }
  return ks_sqlite_fail (sqlite3_db_handle (st), error);
}

static gboolean
ensure_body (KsStore *store, KsDemoPlan *d, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO bodies (name, slug, area_name, min_lat, min_lon, max_lat, max_lon, email, created) "
    "VALUES ('Oxford City Council', '" DEMO_SLUG "', 'Oxford', 51.71, -1.31, 51.79, -1.18, "
    "'enquiries@demo.invalid', ?) "
    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, area_name = excluded.area_name, "
    "min_lat = excluded.min_lat, min_lon = excluded.min_lon, max_lat = excluded.max_lat, "
    "max_lon = excluded.max_lon, email = excluded.email RETURNING id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->now);
  return step_id (st, &d->body_id, error);
}

/* The four default roles with exactly the permissions of the product's table. */
static gboolean
ensure_roles (KsStore *store, KsDemoPlan *d, gint64 role_ids[KS_N_DEFAULT_ROLES], GError **error)
{
  if (!ks_store_admin_ensure_default_roles (store, d->body_id, error))
    return FALSE;
  for (guint role = 0; role < KS_N_DEFAULT_ROLES; role++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "SELECT id FROM roles WHERE body_id = ? AND name = ?", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, ks_default_role_name (role));
      if (!step_id (st, &role_ids[role], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_staff (KsStore *store, KsDemoPlan *d, char **hashes, const gint64 role_ids[KS_N_DEFAULT_ROLES],
              GError **error)
{
  for (guint s = 0; s < N_STAFF; s++)
    {
      const KsDemoStaff *staff = &ks_demo_staff[s];
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO users (body_id, email, name, password_hash, active, created, updated) "
        "VALUES (?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (email) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, "
        "password_hash = excluded.password_hash, active = 1, updated = excluded.updated "
        "RETURNING id", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, staff->email);
      ks_bind_text (st, 3, staff->name);
      ks_bind_text (st, 4, hashes[s]);
      sqlite3_bind_int64 (st, 5, d->now);
      sqlite3_bind_int64 (st, 6, d->now);
      if (!step_id (st, &d->staff_ids[s], error))
        return FALSE;

      {
        g_autoptr(KsStmt) role = ks_sqlite_stmt (store,
          "INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?, ?)", error);
        if (role == NULL)
          return FALSE;
        sqlite3_bind_int64 (role, 1, d->staff_ids[s]);
        sqlite3_bind_int64 (role, 2, role_ids[staff->role]);
        if (!ks_sqlite_step_done (role, error))
          return FALSE;
      }
      {
        /* A refreshed demo can be signed in to straight away. */
        g_autoptr(KsStmt) unthrottle = ks_sqlite_stmt (store,
          "DELETE FROM login_failures WHERE scope = 'account' AND key = lower (?)", error);
        if (unthrottle == NULL)
          return FALSE;
        ks_bind_text (unthrottle, 1, staff->email);
        if (!ks_sqlite_step_done (unthrottle, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
ensure_categories (KsStore *store, KsDemoPlan *d, GError **error)
{
  d->category_ids = g_new0 (gint64, ks_demo_n_categories);
  for (guint c = 0; c < ks_demo_n_categories; c++)
    {
      const KsDemoCategory *cat = &ks_demo_categories[c];
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO categories (body_id, code, name, group_name, description, active, private, "
        "destination, extra, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (body_id, code) DO UPDATE SET name = excluded.name, "
        "group_name = excluded.group_name, description = excluded.description, "
        "active = excluded.active, private = excluded.private, "
        "destination = excluded.destination, extra = excluded.extra, updated = excluded.updated "
        "RETURNING id", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, cat->code);
      ks_bind_text (st, 3, cat->name);
      ks_bind_text (st, 4, cat->group);
      ks_bind_text (st, 5, cat->description);
      sqlite3_bind_int (st, 6, cat->active);
      sqlite3_bind_int (st, 7, cat->is_private);
      ks_bind_text (st, 8, cat->destination);
      ks_bind_text (st, 9, cat->extra);
      sqlite3_bind_int64 (st, 10, d->now);
      if (!step_id (st, &d->category_ids[c], error))
        return FALSE;
    }
  return TRUE;
}

/* Finds a row of the council by its name in a table without a unique key
 * (priorities by name, templates by title). */
static gboolean
find_by_name (KsStore *store, const char *sql, gint64 body_id, const char *name,
              gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, name);
  rc = sqlite3_step (st);
  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ks_sqlite_fail (sqlite3_db_handle (st), error);
  return TRUE;
}

static gboolean
ensure_priorities (KsStore *store, KsDemoPlan *d, GError **error)
{
  d->priority_ids = g_new0 (gint64, ks_demo_n_priorities);
  for (guint p = 0; p < ks_demo_n_priorities; p++)
    {
      const KsDemoPriority *pr = &ks_demo_priorities[p];
      gint64 id;

      if (!find_by_name (store, "SELECT id FROM priorities WHERE body_id = ? AND name = ? "
                         "ORDER BY id LIMIT 1", d->body_id, pr->name, &id, error))
        return FALSE;
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "INSERT INTO priorities (id, body_id, name, description, response_hours, position, "
          "active, updated) VALUES (?, ?, ?, ?, ?, ?, 1, ?) "
          "ON CONFLICT (id) DO UPDATE SET description = excluded.description, "
          "response_hours = excluded.response_hours, position = excluded.position, "
          "active = 1, updated = excluded.updated RETURNING id", error);
        if (st == NULL)
          return FALSE;
        ks_bind_id (st, 1, id);
        sqlite3_bind_int64 (st, 2, d->body_id);
        ks_bind_text (st, 3, pr->name);
        ks_bind_text (st, 4, pr->description);
        sqlite3_bind_int (st, 5, pr->response_hours);
        sqlite3_bind_int (st, 6, p + 1);
        sqlite3_bind_int64 (st, 7, d->now);
        if (!step_id (st, &d->priority_ids[p], error))
          return FALSE;
      }
      {
        g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
          "DELETE FROM priority_categories WHERE priority_id = ?", error);
        if (del == NULL)
          return FALSE;
        sqlite3_bind_int64 (del, 1, d->priority_ids[p]);
        if (!ks_sqlite_step_done (del, error))
          return FALSE;
      }
      for (guint c = 0; c < ks_demo_n_categories; c++)
        {
          const KsDemoCategory *cat = &ks_demo_categories[c];
          g_autoptr(KsStmt) ins = NULL;

          if (!(pr->all_categories || (pr->hazard_only ? cat->hazard : cat->urgent)))
            continue;
          ins = ks_sqlite_stmt (store,
            "INSERT INTO priority_categories (priority_id, category_id) VALUES (?, ?)", error);
          if (ins == NULL)
            return FALSE;
          sqlite3_bind_int64 (ins, 1, d->priority_ids[p]);
          sqlite3_bind_int64 (ins, 2, d->category_ids[c]);
          if (!ks_sqlite_step_done (ins, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
ensure_templates (KsStore *store, KsDemoPlan *d, GError **error)
{
  for (guint t = 0; t < ks_demo_n_templates; t++)
    {
      const KsDemoTemplate *tp = &ks_demo_templates[t];
      gint64 id, template_id;

      if (!find_by_name (store, "SELECT id FROM templates WHERE body_id = ? AND title = ? "
                         "ORDER BY id LIMIT 1", d->body_id, tp->title, &id, error))
        return FALSE;
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "INSERT INTO templates (id, body_id, title, text, state, position, updated) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET text = excluded.text, state = excluded.state, "
          "position = excluded.position, updated = excluded.updated RETURNING id", error);
        if (st == NULL)
          return FALSE;
        ks_bind_id (st, 1, id);
        sqlite3_bind_int64 (st, 2, d->body_id);
        ks_bind_text (st, 3, tp->title);
        ks_bind_text (st, 4, tp->text);
        ks_bind_text (st, 5, tp->state);
        sqlite3_bind_int (st, 6, t + 1);
        sqlite3_bind_int64 (st, 7, d->now);
        if (!step_id (st, &template_id, error))
          return FALSE;
      }
      {
        g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
          "DELETE FROM template_categories WHERE template_id = ?", error);
        if (del == NULL)
          return FALSE;
        sqlite3_bind_int64 (del, 1, template_id);
        if (!ks_sqlite_step_done (del, error))
          return FALSE;
      }
      if (tp->categories != NULL)
        {
          g_auto(GStrv) codes = g_strsplit (tp->categories, "|", -1);

          for (guint k = 0; codes[k]; k++)
            for (guint c = 0; c < ks_demo_n_categories; c++)
              {
                g_autoptr(KsStmt) ins = NULL;

                if (strcmp (codes[k], ks_demo_categories[c].code) != 0)
                  continue;
                ins = ks_sqlite_stmt (store,
                  "INSERT INTO template_categories (template_id, category_id) VALUES (?, ?)", error);
                if (ins == NULL)
                  return FALSE;
                sqlite3_bind_int64 (ins, 1, template_id);
                sqlite3_bind_int64 (ins, 2, d->category_ids[c]);
                if (!ks_sqlite_step_done (ins, error))
                  return FALSE;
              }
        }
    }
  return TRUE;
}

/* Database: bulk work */

typedef struct {
  GPtrArray *indexes;    /* CREATE INDEX statements of reports and updates */
  GPtrArray *triggers;   /* the insert/delete triggers that feed the R*Tree and FTS */
  char      *rtree_sql;
} SavedSchema;

static void
saved_schema_clear (SavedSchema *s)
{
  g_clear_pointer (&s->indexes, g_ptr_array_unref);
  g_clear_pointer (&s->triggers, g_ptr_array_unref);
  g_clear_pointer (&s->rtree_sql, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SavedSchema, saved_schema_clear)

static gboolean
collect_sql (KsStore *store, const char *select, GPtrArray *names, GPtrArray *sqls,
             GError **error)
{
  sqlite3_stmt *st = ks_sqlite_prepare (store, select, error);
  int rc;

  if (st == NULL)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (names)
        g_ptr_array_add (names, g_strdup (ks_col_text (st, 0)));
      g_ptr_array_add (sqls, g_strdup (ks_col_text (st, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      ks_sqlite_fail (sqlite3_db_handle (st), error);
      sqlite3_finalize (st);
      return FALSE;
    }
  sqlite3_finalize (st);
  return TRUE;
}

static gboolean
exec_printf (KsStore *store, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
exec_printf (KsStore *store, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return ks_sqlite_exec (store, sql, error);
}

/* Drops the reports' and updates' indexes and the triggers that keep the R*Tree
 * and the full-text index in step, remembering their exact SQL. The names come
 * from sqlite_master (identifiers of the schema, not input). */
static gboolean
drop_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  g_autoptr(GPtrArray) index_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) trigger_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rtree = g_ptr_array_new_with_free_func (g_free);

  saved->indexes = g_ptr_array_new_with_free_func (g_free);
  saved->triggers = g_ptr_array_new_with_free_func (g_free);
  if (!collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name IN ('reports', 'updates') AND sql IS NOT NULL",
                    index_names, saved->indexes, error) ||
      !collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND name IN ('reports_ai', 'reports_ad')",
                    trigger_names, saved->triggers, error) ||
      !collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE name = 'reports_rtree'",
                    NULL, rtree, error))
    return FALSE;
  if (trigger_names->len != 2 || rtree->len != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The database schema is not the one this version expects; "
                   "use a database created by this version of kerbside-server.");
      return FALSE;
    }
  saved->rtree_sql = g_strdup (g_ptr_array_index (rtree, 0));
  for (guint i = 0; i < trigger_names->len; i++)
    if (!exec_printf (store, error, "DROP TRIGGER \"%s\"", (char *) g_ptr_array_index (trigger_names, i)))
      return FALSE;
  for (guint i = 0; i < index_names->len; i++)
    if (!exec_printf (store, error, "DROP INDEX \"%s\"", (char *) g_ptr_array_index (index_names, i)))
      return FALSE;
  return TRUE;
}

static gboolean
restore_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  for (guint i = 0; i < saved->indexes->len; i++)
    if (!ks_sqlite_exec (store, g_ptr_array_index (saved->indexes, i), error))
      return FALSE;
  for (guint i = 0; i < saved->triggers->len; i++)
    if (!ks_sqlite_exec (store, g_ptr_array_index (saved->triggers, i), error))
      return FALSE;
  return TRUE;
}

/* Removes the council's previous demo reports and everything that hangs off them:
 * the rows of every table with a foreign key to reports (updates, moderation,
 * answers to extra questions...), found in the schema so that tables added later
 * are covered too, and the council's tombstones. */
static gboolean
delete_old_reports (KsStore *store, KsDemoPlan *d, gint64 *n_old, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KsStmt) st = NULL;

  if (!ks_sqlite_exec (store,
                       "CREATE TEMP TABLE IF NOT EXISTS demo_old (id INTEGER PRIMARY KEY);"
                       "DELETE FROM temp.demo_old;", error))
    return FALSE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO temp.demo_old (id) SELECT id FROM reports WHERE body_id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->body_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *n_old = ks_sqlite_changes (store);
  if (*n_old == 0)
    return TRUE;

  if (!collect_sql (store,
                    "SELECT m.name, f.\"from\" FROM sqlite_master m, "
                    "pragma_foreign_key_list (m.name) f "
                    "WHERE m.type = 'table' AND f.\"table\" = 'reports' AND m.name <> 'reports'",
                    tables, columns, error))
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    if (!exec_printf (store, error, "DELETE FROM \"%s\" WHERE \"%s\" IN (SELECT id FROM temp.demo_old)",
                      (char *) g_ptr_array_index (tables, i), (char *) g_ptr_array_index (columns, i)))
      return FALSE;
  if (!ks_sqlite_exec (store, "DELETE FROM reports WHERE id IN (SELECT id FROM temp.demo_old)", error))
    return FALSE;
  {
    g_autoptr(KsStmt) tomb = ks_sqlite_stmt (store,
      "DELETE FROM tombstones WHERE body_id = ?", error);
    if (tomb == NULL)
      return FALSE;
    sqlite3_bind_int64 (tomb, 1, d->body_id);
    return ks_sqlite_step_done (tomb, error);
  }
}

static void
progress (const char *what, guint done, guint total, gint64 t0)
{
  g_printerr ("demo: %s %u/%u (%.1f s)\n", what, done, total,
              (g_get_monotonic_time () - t0) / 1e6);
}

static gboolean
query_int (KsStore *store, const char *sql, gint64 *out, GError **error)
{
  sqlite3_stmt *st = ks_sqlite_prepare (store, sql, error);
  gboolean ok;

  if (st == NULL)
    return FALSE;
  ok = sqlite3_step (st) == SQLITE_ROW;
  if (ok)
    *out = sqlite3_column_int64 (st, 0);
  else
    ks_sqlite_fail (sqlite3_db_handle (st), error);
  sqlite3_finalize (st);
  return ok;
}

static void
bind_text_or_null (sqlite3_stmt *st, int i, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (st, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (st, i);
}

static void
bind_int_or_null (sqlite3_stmt *st, int i, gint64 value, gboolean is_null)
{
  if (is_null)
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_int64 (st, i, value);
}

/* Answers to the category's extra questions, as an Open311 client sends them. */
static gboolean
write_attributes (sqlite3_stmt *st, const KsDemoReportRow *row, GError **error)
{
  for (guint k = 0; k < row->n_attributes; k++)
    {
      sqlite3_bind_int64 (st, 1, row->id);
      sqlite3_bind_int (st, 2, k);
      sqlite3_bind_text (st, 3, row->attribute_codes[k], -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 4, row->attribute_values[k], -1, SQLITE_STATIC);
      if (sqlite3_step (st) != SQLITE_DONE)
        return ks_sqlite_fail (sqlite3_db_handle (st), error);
      sqlite3_reset (st);
    }
  return TRUE;
}

static gboolean
write_moderation (sqlite3_stmt *mod, const KsDemoReportRow *row, GError **error)
{
  sqlite3_bind_int64 (mod, 1, row->id);
  sqlite3_bind_int64 (mod, 2, row->mod_user_id);
  sqlite3_bind_text (mod, 3, row->mod_reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (mod, 4, row->mod_created);
  bind_text_or_null (mod, 5, row->mod_old_title);
  bind_text_or_null (mod, 6, row->mod_new_title);
  bind_text_or_null (mod, 7, row->mod_old_detail);
  bind_text_or_null (mod, 8, row->mod_new_detail);
  bind_int_or_null (mod, 9, 1, !row->mod_show_name_changed);
  bind_int_or_null (mod, 10, 0, !row->mod_show_name_changed);
  bind_text_or_null (mod, 11, row->mod_old_photo);
  sqlite3_bind_int (mod, 12, row->mod_photo_removed);
  if (sqlite3_step (mod) != SQLITE_DONE)
    return ks_sqlite_fail (sqlite3_db_handle (mod), error);
  sqlite3_reset (mod);
  return TRUE;
}

static gboolean
write_reports (KsStore *store, KsDemoPlan *d, gint64 t0, GError **error)
{
  sqlite3_stmt *st = NULL, *mod = NULL, *attr = NULL;
  gint64 has_attributes = 0;
  g_auto(KsDemoReportRow) row;
  gboolean ok = FALSE;

  ks_demo_report_row_init (&row);
  st = ks_sqlite_prepare (store,
    "INSERT INTO reports (id, body_id, category_id, title, detail, lat, lon, ward, address, "
    "state, priority_id, reporter_name, reporter_email, reporter_phone, show_name, photo, "
    "source, external_id, created_by, created, confirmed, updated, acknowledged, "
    "acknowledged_by, shortlist_user, shortlist_pos, version, seq, duplicate_of, "
    "state_before_duplicate) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?)",
    error);
  mod = ks_sqlite_prepare (store,
    "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
    "old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL || mod == NULL)
    goto out;
  if (!query_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                  "AND name = 'report_attributes'", &has_attributes, error))
    goto out;
  if (has_attributes &&
      (attr = ks_sqlite_prepare (store,
         "INSERT INTO report_attributes (report_id, position, code, value) VALUES (?, ?, ?, ?)",
         error)) == NULL)
    goto out;

  for (guint i = 0; i < d->n; i++)
    {
      ks_demo_report_row_fill (&row, d, i);

      sqlite3_bind_int64 (st, 1, row.id);
      sqlite3_bind_int64 (st, 2, d->body_id);
      sqlite3_bind_int64 (st, 3, row.category_id);
      sqlite3_bind_text (st, 4, row.title, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 5, row.detail, -1, SQLITE_STATIC);
      sqlite3_bind_double (st, 6, row.lat);
      sqlite3_bind_double (st, 7, row.lon);
      sqlite3_bind_text (st, 8, row.ward, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 9, row.address, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 10, row.state, -1, SQLITE_STATIC);
      bind_int_or_null (st, 11, row.priority_id, row.priority_id == 0);
      bind_text_or_null (st, 12, row.reporter_name);
      bind_text_or_null (st, 13, row.reporter_email);
      bind_text_or_null (st, 14, row.reporter_phone);
      sqlite3_bind_int (st, 15, row.show_name);
      bind_text_or_null (st, 16, row.photo);
      sqlite3_bind_text (st, 17, row.source, -1, SQLITE_STATIC);
      bind_text_or_null (st, 18, row.external_id);
      bind_int_or_null (st, 19, row.created_by, row.created_by == 0);
      sqlite3_bind_int64 (st, 20, row.created);
      bind_int_or_null (st, 21, row.confirmed, row.confirmed == 0);
      sqlite3_bind_int64 (st, 22, row.updated);
      bind_int_or_null (st, 23, row.acknowledged, row.acknowledged_by == 0);
      bind_int_or_null (st, 24, row.acknowledged_by, row.acknowledged_by == 0);
      bind_int_or_null (st, 25, row.shortlist_user, row.shortlist_user == 0);
      bind_int_or_null (st, 26, row.shortlist_pos, row.shortlist_user == 0);
      sqlite3_bind_int (st, 27, row.version);
      sqlite3_bind_int64 (st, 28, row.seq);
      bind_int_or_null (st, 29, row.duplicate_of, row.duplicate_of == 0);
      bind_text_or_null (st, 30, row.state_before_duplicate);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          ks_sqlite_fail (sqlite3_db_handle (st), error);
          goto out;
        }
      sqlite3_reset (st);
      if (attr != NULL && !write_attributes (attr, &row, error))
        goto out;
      if (row.has_moderation && !write_moderation (mod, &row, error))
        goto out;

      if ((i + 1) % 100000 == 0)
        progress ("reports written", i + 1, d->n, t0);
    }
  ok = TRUE;

out:
  sqlite3_finalize (st);
  sqlite3_finalize (mod);
  sqlite3_finalize (attr);
  return ok;
}

static gboolean
write_updates (KsStore *store, KsDemoPlan *d, gint64 t0, GError **error)
{
  sqlite3_stmt *st;
  g_auto(KsDemoUpdateRow) row;
  gboolean ok = FALSE;

  ks_demo_update_row_init (&row);
  st = ks_sqlite_prepare (store,
    "INSERT INTO updates (report_id, user_id, author_name, kind, text, photo, state, "
    "priority_id, public, source, external_id, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;

  for (guint e = 0; e < d->events->len; e++)
    {
      ks_demo_update_row_fill (&row, d, e);
      sqlite3_bind_int64 (st, 1, row.report_id);
      bind_int_or_null (st, 2, row.user_id, row.user_id == 0);
      sqlite3_bind_text (st, 3, row.author_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 4, row.kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 5, row.text, -1, SQLITE_STATIC);
      bind_text_or_null (st, 6, row.photo);
      bind_text_or_null (st, 7, row.state);
      bind_int_or_null (st, 8, row.priority_id, row.priority_id == 0);
      sqlite3_bind_int (st, 9, row.is_public);
      sqlite3_bind_text (st, 10, row.source, -1, SQLITE_STATIC);
      bind_text_or_null (st, 11, row.external_id);
      sqlite3_bind_int64 (st, 12, row.created);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          ks_sqlite_fail (sqlite3_db_handle (st), error);
          goto out;
        }
      sqlite3_reset (st);
      if ((e + 1) % 250000 == 0)
        progress ("updates written", e + 1, d->events->len, t0);
    }
  ok = TRUE;

out:
  sqlite3_finalize (st);
  return ok;
}

/* Rebuilds the R*Tree and the full-text index from the reports table. With no
 * old rows removed, only the new reports need adding. */
static gboolean
rebuild_search (KsStore *store, KsDemoPlan *d, SavedSchema *saved, gboolean full, gint64 t0,
                GError **error)
{
  g_autoptr(KsStmt) rt = NULL;
  g_autoptr(KsStmt) fts = NULL;

  if (full)
    {
      if (!ks_sqlite_exec (store, "DROP TABLE reports_rtree", error) ||
          !ks_sqlite_exec (store, saved->rtree_sql, error))
        return FALSE;
    }
  rt = ks_sqlite_stmt (store,
    "INSERT INTO reports_rtree (id, min_lat, max_lat, min_lon, max_lon, updated) "
    "SELECT id, lat, lat, lon, lon, updated FROM reports WHERE id >= ? ORDER BY id", error);
  if (rt == NULL)
    return FALSE;
  sqlite3_bind_int64 (rt, 1, full ? 0 : d->first_id);
  if (!ks_sqlite_step_done (rt, error))
    return FALSE;
  g_printerr ("demo: map index built (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);

  if (full)
    return ks_sqlite_exec (store, "INSERT INTO reports_fts (reports_fts) VALUES ('rebuild')", error);
  fts = ks_sqlite_stmt (store,
    "INSERT INTO reports_fts (rowid, title, detail) "
    "SELECT id, title, detail FROM reports WHERE id >= ? ORDER BY id", error);
  if (fts == NULL)
    return FALSE;
  sqlite3_bind_int64 (fts, 1, d->first_id);
  return ks_sqlite_step_done (fts, error);
}

static gboolean
write_sequence (KsStore *store, KsDemoPlan *d, GError **error)
{
  gint64 next = d->seq_base + d->n;
  g_autoptr(KsStmt) tomb = NULL;
  g_autoptr(KsStmt) meta = NULL;

  /* Old reports that are gone for good: tell syncing apps to drop them. */
  tomb = ks_sqlite_stmt (store,
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) "
    "SELECT o.id, ?1, NULL, ?2 + row_number () OVER (ORDER BY o.id) FROM temp.demo_old o "
    "WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = o.id AND r.body_id = ?1)", error);
  if (tomb == NULL)
    return FALSE;
  sqlite3_bind_int64 (tomb, 1, d->body_id);
  sqlite3_bind_int64 (tomb, 2, next);
  if (!ks_sqlite_step_done (tomb, error))
    return FALSE;
  next += ks_sqlite_changes (store);

  meta = ks_sqlite_stmt (store, "UPDATE meta SET value = ? WHERE key = 'seq'", error);
  if (meta == NULL)
    return FALSE;
  sqlite3_bind_int64 (meta, 1, next);
  return ks_sqlite_step_done (meta, error);
}

/* Hidden demo reports were hidden soon after they were confirmed: unhiding one
 * brings it back as confirmed (when the schema remembers the state). */
static gboolean
remember_state_before_hide (KsStore *store, KsDemoPlan *d, GError **error)
{
  gint64 has_column = 0;
  sqlite3_stmt *st;
  gboolean ok;

  if (!query_int (store, "SELECT count(*) FROM pragma_table_info ('reports') "
                  "WHERE name = 'state_before_hide'", &has_column, error))
    return FALSE;
  if (!has_column)
    return TRUE;
  st = ks_sqlite_prepare (store,
    "UPDATE reports SET state_before_hide = 'confirmed' "
    "WHERE id >= ? AND body_id = ? AND state = 'hidden'", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->first_id);
  sqlite3_bind_int64 (st, 2, d->body_id);
  ok = ks_sqlite_step_done (st, error);
  sqlite3_finalize (st);
  return ok;
}

/* The demo's photos in the list of each report's photos, and when the council
 * first responded to each report. */
static gboolean
list_photos (KsStore *store, KsDemoPlan *d, GError **error)
{
  g_autofree char *sql = ks_store_photos_list_sql (d->first_id);
  g_autofree char *responded = ks_response_times_fill_sql (d->first_id);

  return ks_sqlite_exec (store, sql, error) && ks_sqlite_exec (store, responded, error);
}

static gboolean
ks_sqlite_demo_write (KsStore *store, KsDemoPlan *d, char **hashes, gint64 t0, GError **error)
{
  g_auto(SavedSchema) saved = { NULL, };
  gint64 role_ids[KS_N_DEFAULT_ROLES];
  gint64 n_old = 0;

  if (!ensure_body (store, d, error) ||
      !ensure_roles (store, d, role_ids, error) ||
      !ensure_staff (store, d, hashes, role_ids, error) ||
      !ensure_categories (store, d, error) ||
      !ensure_priorities (store, d, error) ||
      !ensure_templates (store, d, error))
    return FALSE;

  if (!drop_indexes (store, &saved, error) ||
      !delete_old_reports (store, d, &n_old, error))
    return FALSE;
  if (n_old > 0)
    g_printerr ("demo: removed %" G_GINT64_FORMAT " earlier demo reports (%.1f s)\n",
                n_old, (g_get_monotonic_time () - t0) / 1e6);

  if (!query_int (store, "SELECT coalesce (max (id), 0) + 1 FROM reports", &d->first_id, error) ||
      !query_int (store, "SELECT value FROM meta WHERE key = 'seq'", &d->seq_base, error))
    return FALSE;

  if (!write_reports (store, d, t0, error) ||
      !remember_state_before_hide (store, d, error))
    return FALSE;
  g_printerr ("demo: %u reports written (%.1f s)\n", d->n, (g_get_monotonic_time () - t0) / 1e6);
  if (!write_updates (store, d, t0, error) || !list_photos (store, d, error))
    return FALSE;
  g_printerr ("demo: %u updates written (%.1f s)\n", d->events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  if (!write_sequence (store, d, error))
    return FALSE;

  if (!rebuild_search (store, d, &saved, n_old > 0, t0, error))
    return FALSE;
  g_printerr ("demo: text search index built (%.1f s)\n",
              (g_get_monotonic_time () - t0) / 1e6);
  if (!restore_indexes (store, &saved, error))
    return FALSE;
  g_printerr ("demo: indexes built (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);

  /* The statistics the query planner chooses indexes by, for the new volume. */
  if (!ks_sqlite_exec (store, "ANALYZE", error))
    return FALSE;
  g_printerr ("demo: query statistics gathered (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

/* Connection settings for the bulk load, and how to put them back. */
static gboolean
ks_sqlite_demo_begin (KsStore *store, gint64 *old_cache, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!query_int (store, "PRAGMA cache_size", old_cache, error))
    return FALSE;
  if (!ks_sqlite_exec (store,
                       "PRAGMA foreign_keys = OFF;"
                       "PRAGMA synchronous = OFF;"
                       "PRAGMA cache_size = -524288;"
                       "PRAGMA threads = 2;", error))
    return FALSE;
  if (!ks_sqlite_exec (store, "BEGIN IMMEDIATE", &local_error))
    {
      if (g_error_matches (local_error, KS_ERROR, KS_ERROR_UNAVAILABLE))
        g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                     "The database is busy with another program's writes; stop kerbside-server "
                     "on this database (or wait for it to finish) and run the demo again.");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
ks_sqlite_demo_end (KsStore *store, gint64 old_cache)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA foreign_keys = ON;"
                                          "PRAGMA synchronous = NORMAL;"
                                          "PRAGMA threads = 0;"
                                          "PRAGMA cache_size = %" G_GINT64_FORMAT ";",
                                          old_cache);
  ks_sqlite_exec (store, sql, NULL);
}

static void
ks_sqlite_demo_checkpoint (KsStore *store)
{
  ks_sqlite_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);
}

const KsDemoWriter ks_sqlite_demo_writer = {
  .begin = ks_sqlite_demo_begin,
  .end = ks_sqlite_demo_end,
  .write = ks_sqlite_demo_write,
  .checkpoint = ks_sqlite_demo_checkpoint,
};
