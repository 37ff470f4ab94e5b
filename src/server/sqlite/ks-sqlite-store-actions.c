/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-actions.c: the report actions in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"
#include "store/ks-store.h"
#include "ks-time.h"

#include <string.h>

static gboolean
get_report (KsStore *store, gint64 report_id, gboolean *found, KsReportCore *out,
            GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, r.body_id, b.name, r.category_id, c.name, r.title, r.detail, r.ward, "
    "       r.state, r.priority_id, r.reporter_name, r.reporter_email, r.show_name, r.photo, "
    "       r.acknowledged, r.shortlist_user, u.name, r.version "
    "FROM reports r JOIN bodies b ON b.id = r.body_id "
    "JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN users u ON u.id = r.shortlist_user WHERE r.id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  out->id = ks_col_int (st, 0);
  out->body_id = ks_col_int (st, 1);
  out->council = g_strdup (ks_col_text (st, 2));
  out->category_id = ks_col_int (st, 3);
  out->category = g_strdup (ks_col_text (st, 4));
  out->title = g_strdup (ks_col_text (st, 5));
  out->detail = g_strdup (ks_col_text (st, 6));
  out->ward = g_strdup (ks_col_text (st, 7));
  out->state = g_strdup (ks_col_text (st, 8));
  out->priority_id = ks_col_int (st, 9);
  out->reporter_name = g_strdup (ks_col_text (st, 10));
  out->reporter_email = g_strdup (ks_col_text (st, 11));
  out->show_name = ks_col_int (st, 12) != 0;
  out->photo = g_strdup (ks_col_text (st, 13));
  out->acknowledged = ks_col_int (st, 14);
  out->shortlist_user = ks_col_int (st, 15);
  out->shortlist_user_name = g_strdup (ks_col_text (st, 16));
  out->version = ks_col_int (st, 17);
  return TRUE;
}

static gboolean
get_council_name (KsStore *store, gint64 body_id, char **out_name, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT name FROM bodies WHERE id = ?", error);
  gboolean found;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such council. Refresh the app and try again.");
      return FALSE;
    }
  *out_name = g_strdup (ks_col_text (st, 0));
  return TRUE;
}

static gboolean
get_category (KsStore *store, gint64 category_id, gboolean *found, gint64 *out_body_id,
              gboolean *out_active, char **out_extra, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT body_id, active, extra FROM categories WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, category_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  *out_body_id = ks_col_int (st, 0);
  *out_active = ks_col_int (st, 1) != 0;
  if (out_extra != NULL)
    *out_extra = sqlite3_column_type (st, 2) == SQLITE_NULL ? NULL : g_strdup (ks_col_text (st, 2));
  return TRUE;
}

static gboolean
get_priority (KsStore *store, gint64 priority_id, gint64 category_id, gboolean *found,
              gint64 *out_body_id, gboolean *out_active, gboolean *out_applies,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT p.body_id, p.active, "
    "       NOT EXISTS (SELECT 1 FROM priority_categories pc WHERE pc.priority_id = p.id) "
    "       OR EXISTS (SELECT 1 FROM priority_categories pc "
    "                  WHERE pc.priority_id = p.id AND pc.category_id = ?2) "
    "FROM priorities p WHERE p.id = ?1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, priority_id);
  sqlite3_bind_int64 (st, 2, category_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  *out_body_id = ks_col_int (st, 0);
  *out_active = ks_col_int (st, 1) != 0;
  *out_applies = ks_col_int (st, 2) != 0;
  return TRUE;
}

static gboolean
get_template (KsStore *store, gint64 template_id, gint64 category_id, gboolean *found,
              KsTemplateRow *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT t.id, t.body_id, t.title, t.text, t.state, "
    "       NOT EXISTS (SELECT 1 FROM template_categories tc WHERE tc.template_id = t.id) "
    "       OR EXISTS (SELECT 1 FROM template_categories tc "
    "                  WHERE tc.template_id = t.id AND tc.category_id = ?2), "
    "       t.email_text, t.external_status_code "
    "FROM templates t WHERE t.id = ?1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, template_id);
  sqlite3_bind_int64 (st, 2, category_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  out->id = ks_col_int (st, 0);
  out->body_id = ks_col_int (st, 1);
  out->title = g_strdup (ks_col_text (st, 2));
  out->text = g_strdup (ks_col_text (st, 3));
  out->state = ks_col_null (st, 4) || *ks_col_text (st, 4) == '\0'
               ? NULL : g_strdup (ks_col_text (st, 4));
  out->applies = ks_col_int (st, 5) != 0;
  out->email_text = ks_col_null (st, 6) || *ks_col_text (st, 6) == '\0'
                    ? NULL : g_strdup (ks_col_text (st, 6));
  out->external_status_code = ks_col_null (st, 7) || *ks_col_text (st, 7) == '\0'
                              ? NULL : g_strdup (ks_col_text (st, 7));
  return TRUE;
}

/* The ward of the council's nearest report that has one (except_id left out),
 * looking in widening boxes (degrees); NULL when there is none nearby. */
static gboolean
nearest_ward (KsStore *store, gint64 body_id, double lat, double lon, gint64 except_id,
              char **out_ward, GError **error)
{
  static const double spans[] = { 0.005, 0.05, 0.5 };
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.ward FROM reports_rtree t JOIN reports r ON r.id = t.id "
    "WHERE t.min_lat >= ?1 AND t.max_lat <= ?2 AND t.min_lon >= ?3 AND t.max_lon <= ?4 "
    "  AND r.body_id = ?5 AND r.ward != '' AND r.id != ?8 "
    "ORDER BY (r.lat - ?6) * (r.lat - ?6) + (r.lon - ?7) * (r.lon - ?7) LIMIT 1", error);

  *out_ward = NULL;
  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      int rc;

      sqlite3_reset (st);
      sqlite3_bind_double (st, 1, lat - spans[i]);
      sqlite3_bind_double (st, 2, lat + spans[i]);
      sqlite3_bind_double (st, 3, lon - spans[i]);
      sqlite3_bind_double (st, 4, lon + spans[i]);
      sqlite3_bind_int64 (st, 5, body_id);
      sqlite3_bind_double (st, 6, lat);
      sqlite3_bind_double (st, 7, lon);
      sqlite3_bind_int64 (st, 8, except_id);
      rc = sqlite3_step (st);
      if (rc == SQLITE_ROW)
        {
          *out_ward = g_strdup (ks_col_text (st, 0));
          return TRUE;
        }
      if (rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (st, error);
    }
  return TRUE;
}

static gboolean
create_report (KsStore *store, const KsNewReport *r, gint64 *out_report_id, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  g_autofree char *ward = NULL;
  gint64 now = ks_time_now ();
  gint64 seq;

  if (r->ward != NULL)
    ward = g_strdup (r->ward);
  else if (!nearest_ward (store, r->body_id, r->lat, r->lon, 0, &ward, error))
    return FALSE;
  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO reports (body_id, category_id, title, detail, lat, lon, ward, address, "
    "  state, reporter_name, reporter_email, reporter_phone, show_name, source, created_by, "
    "  created, confirmed, updated, version, seq, photo) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'confirmed', ?9, ?10, ?11, ?12, 'staff', ?13, "
    "  ?14, ?14, ?14, 1, ?15, ?16)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, r->body_id);
  sqlite3_bind_int64 (st, 2, r->category_id);
  ks_bind_text (st, 3, r->title);
  ks_bind_text (st, 4, r->detail ? r->detail : "");
  sqlite3_bind_double (st, 5, r->lat);
  sqlite3_bind_double (st, 6, r->lon);
  ks_bind_text (st, 7, ward ? ward : "");
  ks_bind_text (st, 8, r->address);
  ks_bind_text (st, 9, r->reporter_name);
  ks_bind_text (st, 10, r->reporter_email);
  ks_bind_text (st, 11, r->reporter_phone);
  sqlite3_bind_int (st, 12, r->show_name ? 1 : 0);
  ks_bind_id (st, 13, r->created_by);
  sqlite3_bind_int64 (st, 14, now);
  sqlite3_bind_int64 (st, 15, seq);
  ks_bind_text (st, 16, r->photo);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_report_id = ks_sqlite_last_insert_rowid (store);

  for (guint i = 0; i < r->n_attributes; i++)
    {
      g_autoptr(KsStmt) at = ks_sqlite_stmt (store,
        "INSERT INTO report_attributes (report_id, position, code, value) VALUES (?, ?, ?, ?)",
        error);
      if (at == NULL)
        return FALSE;
      sqlite3_bind_int64 (at, 1, *out_report_id);
      sqlite3_bind_int (at, 2, (int) i);
      ks_bind_text (at, 3, r->attributes[2 * i]);
      ks_bind_text (at, 4, r->attributes[2 * i + 1]);
      if (!ks_sqlite_step_done (at, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
change_report (KsStore *store, gint64 report_id, const KsReportChange *c, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("UPDATE reports SET version = version + 1, updated = ?, seq = ?");
  sqlite3_stmt *st;
  gint64 seq;
  gboolean ok;
  int i = 1;

  /* Only fixed column names go into the text; every value is bound. */
  if (c->set_state)
    g_string_append (sql, ", state = ?");
  if (c->set_priority)
    g_string_append (sql, ", priority_id = ?");
  if (c->set_acknowledged)
    g_string_append (sql, ", acknowledged = ?, acknowledged_by = ?");
  if (c->set_title)
    g_string_append (sql, ", title = ?");
  if (c->set_detail)
    g_string_append (sql, ", detail = ?");
  if (c->set_show_name)
    g_string_append (sql, ", show_name = ?");
  if (c->remove_photo)
    g_string_append (sql, ", photo = NULL");
  g_string_append (sql, " WHERE id = ?");

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  if ((st = ks_sqlite_prepare (store, sql->str, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, i++, ks_time_now ());
  sqlite3_bind_int64 (st, i++, seq);
  if (c->set_state)
    ks_bind_text (st, i++, c->state);
  if (c->set_priority)
    ks_bind_id (st, i++, c->priority_id);
  if (c->set_acknowledged)
    {
      ks_bind_id (st, i++, c->acknowledged);
      ks_bind_id (st, i++, c->acknowledged_by);
    }
  if (c->set_title)
    ks_bind_text (st, i++, c->title);
  if (c->set_detail)
    ks_bind_text (st, i++, c->detail ? c->detail : "");
  if (c->set_show_name)
    sqlite3_bind_int (st, i++, c->show_name ? 1 : 0);
  sqlite3_bind_int64 (st, i++, report_id);

  ok = ks_sqlite_step_done (st, error);
  sqlite3_finalize (st);
  if (ok && ks_sqlite_changes (store) != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such report. Check the number, or refresh your list.");
      return FALSE;
    }
  return ok;
}

static gboolean
add_update (KsStore *store, const KsNewUpdate *u, gint64 *out_update_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO updates (report_id, user_id, author_name, kind, text, state, priority_id, "
    "  public, source, created, photo, email_text, external_status_code) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'staff', ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, u->report_id);
  ks_bind_id (st, 2, u->user_id);
  ks_bind_text (st, 3, u->author_name);
  ks_bind_text (st, 4, u->kind);
  ks_bind_text (st, 5, u->text ? u->text : "");
  ks_bind_text (st, 6, u->state);
  ks_bind_id (st, 7, u->priority_id);
  sqlite3_bind_int (st, 8, u->public ? 1 : 0);
  sqlite3_bind_int64 (st, 9, u->created);
  ks_bind_text (st, 10, u->photo);
  ks_bind_text (st, 11, u->email_text);
  ks_bind_text (st, 12, u->external_status_code);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (out_update_id)
    *out_update_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

static gboolean
add_moderation (KsStore *store, const KsNewModeration *m, gint64 *out_moderation_id,
                GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
    "  old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, m->report_id);
  ks_bind_id (st, 2, m->user_id);
  ks_bind_text (st, 3, m->reason);
  sqlite3_bind_int64 (st, 4, ks_time_now ());
  ks_bind_text (st, 5, m->old_title);
  ks_bind_text (st, 6, m->new_title);
  ks_bind_text (st, 7, m->old_detail);
  ks_bind_text (st, 8, m->new_detail);
  sqlite3_bind_int (st, 9, m->old_show_name ? 1 : 0);
  sqlite3_bind_int (st, 10, m->new_show_name ? 1 : 0);
  ks_bind_text (st, 11, m->old_photo);
  sqlite3_bind_int (st, 12, m->photo_removed ? 1 : 0);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (out_moderation_id)
    *out_moderation_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

static gboolean
state_before_hide (KsStore *store, gint64 report_id, char **out_state, GError **error)
{
  /* The state remembered when it was hidden (data/sql/0008); for reports hidden
   * before that, the last state the timeline recorded before the latest hide. */
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT coalesce ((SELECT state_before_hide FROM reports WHERE id = ?1), "
    "  (SELECT state FROM updates "
    "   WHERE report_id = ?1 AND state IS NOT NULL AND state != 'hidden' "
    "     AND id < COALESCE ((SELECT max(id) FROM updates WHERE report_id = ?1 AND kind = 'hide'), "
    "                        9223372036854775807) "
    "   ORDER BY id DESC LIMIT 1))", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && !ks_col_null (st, 0))
    *out_state = g_strdup (ks_col_text (st, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    *out_state = g_strdup ("confirmed");
  else
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
record_email (KsStore *store, const char *recipient, const char *subject, const char *file,
              gint64 report_id, gint64 *out_email_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO emails (recipient, subject, file, report_id, created) VALUES (?, ?, ?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, recipient);
  ks_bind_text (st, 2, subject);
  ks_bind_text (st, 3, file);
  ks_bind_id (st, 4, report_id);
  sqlite3_bind_int64 (st, 5, ks_time_now ());
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (out_email_id)
    *out_email_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

static gboolean
shortlist_ids (KsStore *store, gint64 user_id, GArray **out_report_ids, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM reports WHERE shortlist_user = ? ORDER BY shortlist_pos, id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  return ks_sqlite_collect_ids (st, out_report_ids, error);
}

static gboolean
shortlist_set (KsStore *store, gint64 report_id, gint64 user_id, gint64 position,
               GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  /* Position 0: after the user's last one. */
  st = ks_sqlite_stmt (store,
    "UPDATE reports SET shortlist_user = ?1, "
    "  shortlist_pos = CASE WHEN ?1 IS NULL THEN NULL WHEN ?2 > 0 THEN ?2 "
    "    ELSE COALESCE ((SELECT max(shortlist_pos) FROM reports "
    "                    WHERE shortlist_user = ?1 AND id != ?4), 0) + 1 END, "
    "  seq = ?3 WHERE id = ?4", error);
  if (st == NULL)
    return FALSE;
  ks_bind_id (st, 1, user_id);
  sqlite3_bind_int64 (st, 2, position);
  sqlite3_bind_int64 (st, 3, seq);
  sqlite3_bind_int64 (st, 4, report_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
user_sees_all (KsStore *store, gint64 user_id, gboolean *out_sees_all, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT u.is_superuser "
    "    OR EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id "
    "               WHERE ur.user_id = u.id AND rp.permission = 'view_all_reports') "
    "    OR EXISTS (SELECT 1 FROM user_permissions up "
    "               WHERE up.user_id = u.id AND up.permission = 'view_all_reports') "
    "FROM users u WHERE u.id = ?", error);
  gboolean found;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_sees_all = found && ks_col_int (st, 0) != 0;
  return TRUE;
}

static gboolean
add_tombstone (KsStore *store, gint64 report_id, gint64 body_id, gint64 user_id,
               GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) VALUES (?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  sqlite3_bind_int64 (st, 2, body_id);
  ks_bind_id (st, 3, user_id);
  sqlite3_bind_int64 (st, 4, seq);
  return ks_sqlite_step_done (st, error);
}

static gboolean
shortlist (KsStore *store, gint64 user_id, KsReportRowFunc func, gpointer user_data,
           GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, r.title, r.category_id, c.name, c.group_name, r.state, r.priority_id, "
    "       r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged, r.shortlist_user, "
    "       r.photo IS NOT NULL, r.version, r.seq, r.shortlist_pos "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "WHERE r.shortlist_user = ? ORDER BY r.shortlist_pos, r.id", error);
  guint n = 0;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsReportRow r;

      ks_sqlite_report_row_list (&r, st);
      r.shortlist_position = ks_col_int (st, 17);
      func (&r, n++, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

void
ks_sqlite_store_actions_init (KsStoreActionsVTable *vtable)
{
  vtable->get_report = get_report;
  vtable->get_council_name = get_council_name;
  vtable->get_category = get_category;
  vtable->get_priority = get_priority;
  vtable->get_template = get_template;
  vtable->create_report = create_report;
  vtable->change_report = change_report;
  vtable->ward_at = nearest_ward;
  ks_sqlite_store_corrections_init (vtable);
  vtable->add_update = add_update;
  vtable->add_moderation = add_moderation;
  vtable->state_before_hide = state_before_hide;
  vtable->record_email = record_email;
  vtable->shortlist_ids = shortlist_ids;
  vtable->shortlist_set = shortlist_set;
  vtable->user_sees_all = user_sees_all;
  vtable->add_tombstone = add_tombstone;
  vtable->shortlist = shortlist;
}
