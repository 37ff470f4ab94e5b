/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-actions.c: the report actions in PostgreSQL: what staff do to a
 * report, its timeline, moderation, the email record and shortlists. The same
 * statements as the SQLite store's (ks-sqlite-store-actions.c), so that both give
 * the same answers; writes run inside the request's write transaction. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-report-rows.h"
#include "ks-time.h"

/* The id an INSERT ... RETURNING id gave back. */
static gboolean
insert_returning_id (KsStore              *store,
                     const KsPgStatement  *stmt,
                     KsPgArgs             *args,
                     gint64               *out_id,
                     GError              **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, args, error);

  if (res == NULL)
    return FALSE;
  if (out_id != NULL)
    *out_id = PQntuples (res) == 1 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
get_report (KsStore *store, gint64 report_id, gboolean *found, KsReportCore *out,
            GError **error)
{
  static const KsPgStatement st = { "actions_get_report",
    "SELECT r.id, r.body_id, b.name, r.category_id, c.name, r.title, r.detail, r.ward, "
    "       r.state, r.priority_id, r.reporter_name, r.reporter_email, r.show_name, r.photo, "
    "       r.acknowledged, r.shortlist_user, u.name, r.version "
    "FROM reports r JOIN bodies b ON b.id = r.body_id "
    "JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN users u ON u.id = r.shortlist_user WHERE r.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  out->id = ks_pg_int (res, 0, 0);
  out->body_id = ks_pg_int (res, 0, 1);
  out->council = g_strdup (ks_pg_text (res, 0, 2));
  out->category_id = ks_pg_int (res, 0, 3);
  out->category = g_strdup (ks_pg_text (res, 0, 4));
  out->title = g_strdup (ks_pg_text (res, 0, 5));
  out->detail = g_strdup (ks_pg_text (res, 0, 6));
  out->ward = g_strdup (ks_pg_text (res, 0, 7));
  out->state = g_strdup (ks_pg_text (res, 0, 8));
  out->priority_id = ks_pg_int (res, 0, 9);
  out->reporter_name = g_strdup (ks_pg_text (res, 0, 10));
  out->reporter_email = g_strdup (ks_pg_text (res, 0, 11));
  out->show_name = ks_pg_int (res, 0, 12) != 0;
  out->photo = g_strdup (ks_pg_text (res, 0, 13));
  out->acknowledged = ks_pg_int (res, 0, 14);
  out->shortlist_user = ks_pg_int (res, 0, 15);
  out->shortlist_user_name = g_strdup (ks_pg_text (res, 0, 16));
  out->version = ks_pg_int (res, 0, 17);
  return TRUE;
}

static gboolean
get_council_name (KsStore *store, gint64 body_id, char **out_name, GError **error)
{
  static const KsPgStatement st = { "actions_council_name",
    "SELECT name FROM bodies WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such council. Refresh the app and try again.");
      return FALSE;
    }
  *out_name = g_strdup (ks_pg_text (res, 0, 0));
  return TRUE;
}

static gboolean
get_category (KsStore *store, gint64 category_id, gboolean *found, gint64 *out_body_id,
              gboolean *out_active, char **out_extra, GError **error)
{
  static const KsPgStatement st = { "actions_get_category",
    "SELECT body_id, active, extra FROM categories WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, category_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  *out_body_id = ks_pg_int (res, 0, 0);
  *out_active = ks_pg_int (res, 0, 1) != 0;
  if (out_extra != NULL)
    *out_extra = g_strdup (ks_pg_text (res, 0, 2));
  return TRUE;
}

static gboolean
get_priority (KsStore *store, gint64 priority_id, gint64 category_id, gboolean *found,
              gint64 *out_body_id, gboolean *out_active, gboolean *out_applies,
              GError **error)
{
  static const KsPgStatement st = { "actions_get_priority",
    "SELECT p.body_id, p.active, "
    "       NOT EXISTS (SELECT 1 FROM priority_categories pc WHERE pc.priority_id = p.id) "
    "       OR EXISTS (SELECT 1 FROM priority_categories pc "
    "                  WHERE pc.priority_id = p.id AND pc.category_id = $2) "
    "FROM priorities p WHERE p.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, priority_id);
  ks_pg_args_int (&args, category_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  *out_body_id = ks_pg_int (res, 0, 0);
  *out_active = ks_pg_int (res, 0, 1) != 0;
  *out_applies = ks_pg_bool (res, 0, 2);
  return TRUE;
}

static gboolean
get_template (KsStore *store, gint64 template_id, gint64 category_id, gboolean *found,
              KsTemplateRow *out, GError **error)
{
  static const KsPgStatement st = { "actions_get_template",
    "SELECT t.id, t.body_id, t.title, t.text, t.state, "
    "       NOT EXISTS (SELECT 1 FROM template_categories tc WHERE tc.template_id = t.id) "
    "       OR EXISTS (SELECT 1 FROM template_categories tc "
    "                  WHERE tc.template_id = t.id AND tc.category_id = $2), "
    "       t.email_text, t.external_status_code "
    "FROM templates t WHERE t.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  const char *state;

  ks_pg_args_int (&args, template_id);
  ks_pg_args_int (&args, category_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  out->id = ks_pg_int (res, 0, 0);
  out->body_id = ks_pg_int (res, 0, 1);
  out->title = g_strdup (ks_pg_text (res, 0, 2));
  out->text = g_strdup (ks_pg_text (res, 0, 3));
  state = ks_pg_text (res, 0, 4);
  out->state = state == NULL || *state == '\0' ? NULL : g_strdup (state);
  out->applies = ks_pg_bool (res, 0, 5);
  state = ks_pg_text (res, 0, 6);
  out->email_text = state == NULL || *state == '\0' ? NULL : g_strdup (state);
  state = ks_pg_text (res, 0, 7);
  out->external_status_code = state == NULL || *state == '\0' ? NULL : g_strdup (state);
  return TRUE;
}

/* The ward of the council's nearest report that has one, looking in widening boxes
 * (degrees); NULL when there is none nearby. The boxes go through the GiST index
 * on pos, as SQLite's go through its R*Tree. */
static gboolean
nearest_ward (KsStore *store, gint64 body_id, double lat, double lon, gint64 except_id,
              char **out_ward, GError **error)
{
  static const double spans[] = { 0.005, 0.05, 0.5 };
  static const KsPgStatement st = { "actions_nearest_ward",
    "SELECT r.ward FROM reports r "
    "WHERE r.pos <@ box (point ($3::float8, $1::float8), point ($4::float8, $2::float8)) "
    "  AND r.body_id = $5 AND r.ward <> '' AND r.id <> $8 "
    "ORDER BY (r.lat - $6::float8) * (r.lat - $6::float8) "
    "       + (r.lon - $7::float8) * (r.lon - $7::float8), r.id LIMIT 1" };

  *out_ward = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;

      ks_pg_args_double (&args, lat - spans[i]);
      ks_pg_args_double (&args, lat + spans[i]);
      ks_pg_args_double (&args, lon - spans[i]);
      ks_pg_args_double (&args, lon + spans[i]);
      ks_pg_args_int (&args, body_id);
      ks_pg_args_double (&args, lat);
      ks_pg_args_double (&args, lon);
      ks_pg_args_int (&args, except_id);
      if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          *out_ward = g_strdup (ks_pg_text (res, 0, 0));
          return TRUE;
        }
    }
  return TRUE;
}

static gboolean
create_report (KsStore *store, const KsNewReport *r, gint64 *out_report_id, GError **error)
{
  static const KsPgStatement st = { "actions_create_report",
    "INSERT INTO reports (body_id, category_id, title, detail, lat, lon, ward, address, "
    "  state, reporter_name, reporter_email, reporter_phone, show_name, source, created_by, "
    "  created, confirmed, updated, version, seq, photo) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $10, $11, $12, 'staff', $13, "
    "  $14, $14, $14, 1, $15, $16) RETURNING id" };
  static const KsPgStatement at = { "actions_create_report_attribute",
    "INSERT INTO report_attributes (report_id, position, code, value) VALUES ($1, $2, $3, $4)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autofree char *ward = NULL;
  gint64 now = ks_time_now ();
  gint64 seq;

  if (r->ward != NULL)
    ward = g_strdup (r->ward);
  else if (!nearest_ward (store, r->body_id, r->lat, r->lon, 0, &ward, error))
    return FALSE;
  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_int (&args, r->body_id);
  ks_pg_args_int (&args, r->category_id);
  ks_pg_args_text (&args, r->title);
  ks_pg_args_text (&args, r->detail ? r->detail : "");
  ks_pg_args_double (&args, r->lat);
  ks_pg_args_double (&args, r->lon);
  ks_pg_args_text (&args, ward ? ward : "");
  ks_pg_args_text (&args, r->address);
  ks_pg_args_text (&args, r->reporter_name);
  ks_pg_args_text (&args, r->reporter_email);
  ks_pg_args_text (&args, r->reporter_phone);
  ks_pg_args_int (&args, r->show_name ? 1 : 0);
  ks_pg_args_id (&args, r->created_by);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, seq);
  ks_pg_args_text (&args, r->photo);
  if (!insert_returning_id (store, &st, &args, out_report_id, error))
    return FALSE;

  for (guint i = 0; i < r->n_attributes; i++)
    {
      g_auto(KsPgArgs) a = KS_PG_ARGS_INIT;

      ks_pg_args_int (&a, *out_report_id);
      ks_pg_args_int (&a, i);
      ks_pg_args_text (&a, r->attributes[2 * i]);
      ks_pg_args_text (&a, r->attributes[2 * i + 1]);
      if (!ks_pg_store_exec (store, &at, &a, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
change_report (KsStore *store, gint64 report_id, const KsReportChange *c, GError **error)
{
  /* One prepared statement for every change: each field is written only when its
   * flag is set, otherwise it keeps its value; the change sequence is moved on in
   * the same round trip. */
  static const KsPgStatement st = { "actions_change_report",
    "WITH s AS (UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value) "
    "UPDATE reports SET version = version + 1, updated = $1, seq = (SELECT value FROM s), "
    "  state = CASE WHEN $2::boolean THEN $3::text ELSE state END, "
    "  priority_id = CASE WHEN $4::boolean THEN $5::bigint ELSE priority_id END, "
    "  acknowledged = CASE WHEN $6::boolean THEN $7::bigint ELSE acknowledged END, "
    "  acknowledged_by = CASE WHEN $6::boolean THEN $8::bigint ELSE acknowledged_by END, "
    "  title = CASE WHEN $9::boolean THEN $10::text ELSE title END, "
    "  detail = CASE WHEN $11::boolean THEN $12::text ELSE detail END, "
    "  show_name = CASE WHEN $13::boolean THEN $14::integer ELSE show_name END, "
    "  photo = CASE WHEN $15::boolean THEN NULL ELSE photo END "
    "WHERE id = $16" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n_changed = 0;

  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_bool (&args, c->set_state);
  ks_pg_args_text (&args, c->set_state ? c->state : NULL);
  ks_pg_args_bool (&args, c->set_priority);
  ks_pg_args_id (&args, c->set_priority ? c->priority_id : 0);
  ks_pg_args_bool (&args, c->set_acknowledged);
  ks_pg_args_id (&args, c->set_acknowledged ? c->acknowledged : 0);
  ks_pg_args_id (&args, c->set_acknowledged ? c->acknowledged_by : 0);
  ks_pg_args_bool (&args, c->set_title);
  ks_pg_args_text (&args, c->set_title ? c->title : NULL);
  ks_pg_args_bool (&args, c->set_detail);
  ks_pg_args_text (&args, c->set_detail ? (c->detail ? c->detail : "") : NULL);
  ks_pg_args_bool (&args, c->set_show_name);
  ks_pg_args_int (&args, c->show_name ? 1 : 0);
  ks_pg_args_bool (&args, c->remove_photo);
  ks_pg_args_int (&args, report_id);
  if (!ks_pg_store_exec (store, &st, &args, &n_changed, error))
    return FALSE;
  if (n_changed != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such report. Check the number, or refresh your list.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_update (KsStore *store, const KsNewUpdate *u, gint64 *out_update_id, GError **error)
{
  static const KsPgStatement st = { "actions_add_update",
    "INSERT INTO updates (report_id, user_id, author_name, kind, text, state, priority_id, "
    "  public, source, created, photo, email_text, external_status_code) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'staff', $9, $10, $11, $12) RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, u->report_id);
  ks_pg_args_id (&args, u->user_id);
  ks_pg_args_text (&args, u->author_name);
  ks_pg_args_text (&args, u->kind);
  ks_pg_args_text (&args, u->text ? u->text : "");
  ks_pg_args_text (&args, u->state);
  ks_pg_args_id (&args, u->priority_id);
  ks_pg_args_int (&args, u->public ? 1 : 0);
  ks_pg_args_int (&args, u->created);
  ks_pg_args_text (&args, u->photo);
  ks_pg_args_text (&args, u->email_text);
  ks_pg_args_text (&args, u->external_status_code);
  return insert_returning_id (store, &st, &args, out_update_id, error);
}

static gboolean
add_moderation (KsStore *store, const KsNewModeration *m, gint64 *out_moderation_id,
                GError **error)
{
  static const KsPgStatement st = { "actions_add_moderation",
    "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
    "  old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, m->report_id);
  ks_pg_args_id (&args, m->user_id);
  ks_pg_args_text (&args, m->reason);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_text (&args, m->old_title);
  ks_pg_args_text (&args, m->new_title);
  ks_pg_args_text (&args, m->old_detail);
  ks_pg_args_text (&args, m->new_detail);
  ks_pg_args_int (&args, m->old_show_name ? 1 : 0);
  ks_pg_args_int (&args, m->new_show_name ? 1 : 0);
  ks_pg_args_text (&args, m->old_photo);
  ks_pg_args_int (&args, m->photo_removed ? 1 : 0);
  return insert_returning_id (store, &st, &args, out_moderation_id, error);
}

static gboolean
state_before_hide (KsStore *store, gint64 report_id, char **out_state, GError **error)
{
  /* The state remembered when it was hidden; for reports hidden before the store
   * remembered it (copied from an older SQLite database), the last state the
   * timeline recorded before the latest hide. */
  static const KsPgStatement st = { "actions_state_before_hide",
    "SELECT coalesce ((SELECT state_before_hide FROM reports WHERE id = $1), "
    "  (SELECT state FROM updates "
    "   WHERE report_id = $1 AND state IS NOT NULL AND state <> 'hidden' "
    "     AND id < coalesce ((SELECT max(id) FROM updates WHERE report_id = $1 AND kind = 'hide'), "
    "                        9223372036854775807) "
    "   ORDER BY id DESC LIMIT 1))" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) > 0 && !ks_pg_null (res, 0, 0))
    *out_state = g_strdup (ks_pg_text (res, 0, 0));
  else
    *out_state = g_strdup ("confirmed");
  return TRUE;
}

static gboolean
record_email (KsStore *store, const char *recipient, const char *subject, const char *file,
              gint64 report_id, gint64 *out_email_id, GError **error)
{
  static const KsPgStatement st = { "actions_record_email",
    "INSERT INTO emails (recipient, subject, file, report_id, created) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, recipient);
  ks_pg_args_text (&args, subject);
  ks_pg_args_text (&args, file);
  ks_pg_args_id (&args, report_id);
  ks_pg_args_int (&args, ks_time_now ());
  return insert_returning_id (store, &st, &args, out_email_id, error);
}

static gboolean
shortlist_ids (KsStore *store, gint64 user_id, GArray **out_report_ids, GError **error)
{
  static const KsPgStatement st = { "actions_shortlist_ids",
    "SELECT id FROM reports WHERE shortlist_user = $1 ORDER BY shortlist_pos, id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) ids = NULL;

  ks_pg_args_int (&args, user_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (res));
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = ks_pg_int (res, i, 0);
      g_array_append_val (ids, id);
    }
  *out_report_ids = g_steal_pointer (&ids);
  return TRUE;
}

static gboolean
shortlist_set (KsStore *store, gint64 report_id, gint64 user_id, gint64 position,
               GError **error)
{
  /* Position 0: after the user's last one. */
  static const KsPgStatement st = { "actions_shortlist_set",
    "UPDATE reports SET shortlist_user = $1::bigint, "
    "  shortlist_pos = CASE WHEN $1::bigint IS NULL THEN NULL WHEN $2::integer > 0 THEN $2::integer "
    "    ELSE coalesce ((SELECT max(shortlist_pos) FROM reports "
    "                    WHERE shortlist_user = $1::bigint AND id <> $4), 0) + 1 END, "
    "  seq = $3 WHERE id = $4" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_id (&args, user_id);
  ks_pg_args_int (&args, position);
  ks_pg_args_int (&args, seq);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
user_sees_all (KsStore *store, gint64 user_id, gboolean *out_sees_all, GError **error)
{
  static const KsPgStatement st = { "actions_user_sees_all",
    "SELECT u.is_superuser <> 0 "
    "    OR EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id "
    "               WHERE ur.user_id = u.id AND rp.permission = 'view_all_reports') "
    "    OR EXISTS (SELECT 1 FROM user_permissions up "
    "               WHERE up.user_id = u.id AND up.permission = 'view_all_reports') "
    "FROM users u WHERE u.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_sees_all = PQntuples (res) > 0 && ks_pg_bool (res, 0, 0);
  return TRUE;
}

static gboolean
add_tombstone (KsStore *store, gint64 report_id, gint64 body_id, gint64 user_id,
               GError **error)
{
  static const KsPgStatement st = { "actions_add_tombstone",
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) VALUES ($1, $2, $3, $4)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_int (&args, report_id);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_id (&args, user_id);
  ks_pg_args_int (&args, seq);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
shortlist (KsStore *store, gint64 user_id, KsReportRowFunc func, gpointer user_data,
           GError **error)
{
  static const KsPgStatement st = { "actions_shortlist",
    "SELECT r.id, r.title, r.category_id, c.name, c.group_name, r.state, r.priority_id, "
    "       r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged, r.shortlist_user, "
    "       r.photo IS NOT NULL, r.version, r.seq, r.shortlist_pos "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "WHERE r.shortlist_user = $1 ORDER BY r.shortlist_pos, r.id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsReportRow r;

      ks_pg_report_row_list (&r, res, i);
      r.shortlist_position = ks_pg_int (res, i, 17);
      func (&r, (guint) i, user_data);
    }
  return TRUE;
}

void
ks_pg_store_actions_init (KsStoreActionsVTable *vtable)
{
  vtable->get_report = get_report;
  vtable->get_council_name = get_council_name;
  vtable->get_category = get_category;
  vtable->get_priority = get_priority;
  vtable->get_template = get_template;
  vtable->create_report = create_report;
  vtable->change_report = change_report;
  vtable->ward_at = nearest_ward;
  ks_pg_store_corrections_init (vtable);
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
