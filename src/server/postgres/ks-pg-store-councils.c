/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-councils.c: councils' settings and boundaries in PostgreSQL. The
 * same statements as the SQLite store's (ks-sqlite-store-councils.c). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "ks-error.h"
#include "ks-time.h"

static gboolean
list_bodies (KsStore *store, GArray **out_ids, GError **error)
{
  static const KsPgStatement st = { "councils_list_bodies",
    "SELECT id FROM bodies ORDER BY name, id" };
  g_autoptr(PGresult) res = ks_pg_store_query (store, &st, NULL, error);

  if (res == NULL)
    return FALSE;
  *out_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = ks_pg_int (res, i, 0);
      g_array_append_val (*out_ids, id);
    }
  return TRUE;
}

static gboolean
create_body (KsStore *store, const KsBodySettings *s, gint64 *out_id, GError **error)
{
  static const KsPgStatement st = { "councils_create_body",
    "INSERT INTO bodies (name, slug, email, public_url, require_2fa, password_min_length, "
    "  duplicate_radius, retention_reporter_days, retention_audit_days, created, "
    "  retention_staff_days) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_text (&args, s->name);
  ks_pg_args_text (&args, s->slug);
  ks_pg_args_text (&args, s->email && *s->email ? s->email : NULL);
  ks_pg_args_text (&args, s->public_url && *s->public_url ? s->public_url : NULL);
  ks_pg_args_int (&args, s->require_2fa > 0);
  ks_pg_args_int (&args, s->password_min_length);
  ks_pg_args_int (&args, s->duplicate_radius);
  ks_pg_args_int (&args, s->retention_reporter_days);
  ks_pg_args_int (&args, s->retention_audit_days);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, s->retention_staff_days);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_id = ks_pg_int (res, 0, 0);
  return TRUE;
}

static gboolean
edit_body (KsStore *store, gint64 body_id, const KsBodySettings *s, GError **error)
{
  static const KsPgStatement st = { "councils_edit_body",
    "UPDATE bodies SET name = coalesce ($1, name), slug = coalesce ($2, slug), "
    "  email = CASE WHEN $3::text IS NULL THEN email ELSE nullif ($3, '') END, "
    "  public_url = CASE WHEN $4::text IS NULL THEN public_url ELSE nullif ($4, '') END, "
    "  require_2fa = CASE WHEN $5::integer >= 0 THEN $5::integer ELSE require_2fa END, "
    "  password_min_length = CASE WHEN $6::integer >= 0 THEN $6::integer ELSE password_min_length END, "
    "  duplicate_radius = CASE WHEN $7::integer >= 0 THEN $7::integer ELSE duplicate_radius END, "
    "  retention_reporter_days = CASE WHEN $8::integer >= 0 THEN $8::integer "
    "    ELSE retention_reporter_days END, "
    "  retention_audit_days = CASE WHEN $9::integer >= 0 THEN $9::integer "
    "    ELSE retention_audit_days END, "
    "  retention_staff_days = CASE WHEN $11::integer >= 0 THEN $11::integer "
    "    ELSE retention_staff_days END "
    "WHERE id = $10::bigint" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n = 0;

  ks_pg_args_text (&args, s->name);
  ks_pg_args_text (&args, s->slug);
  ks_pg_args_text (&args, s->email);
  ks_pg_args_text (&args, s->public_url);
  ks_pg_args_int (&args, s->require_2fa < 0 ? -1 : s->require_2fa != 0);
  ks_pg_args_int (&args, s->password_min_length);
  ks_pg_args_int (&args, s->duplicate_radius);
  ks_pg_args_int (&args, s->retention_reporter_days);
  ks_pg_args_int (&args, s->retention_audit_days);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, s->retention_staff_days);
  if (!ks_pg_store_exec (store, &st, &args, &n, error))
    return FALSE;
  if (n == 0)
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
  static const KsPgStatement st = { "councils_boundaries_version",
    "SELECT value FROM meta WHERE key = 'boundaries'" };
  g_autoptr(PGresult) res = ks_pg_store_query (store, &st, NULL, error);

  *out = 0;
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out = ks_pg_int (res, 0, 0);
  return TRUE;
}

static gboolean
boundaries_load (KsStore *store, gint64 body_id, KsBoundaryRowFunc func, gpointer user_data,
                 GError **error)
{
  static const KsPgStatement st = { "councils_boundaries_load",
    "SELECT kind, name, geometry, min_lat, min_lon, max_lat, max_lon FROM boundaries "
    "WHERE body_id = $1 ORDER BY kind = 'ward', name, id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsBoundaryRow row = {
        .kind = ks_pg_text (res, i, 0), .name = ks_pg_text (res, i, 1),
        .geometry = ks_pg_text (res, i, 2),
        .min_lat = ks_pg_double (res, i, 3), .min_lon = ks_pg_double (res, i, 4),
        .max_lat = ks_pg_double (res, i, 5), .max_lon = ks_pg_double (res, i, 6),
      };
      func (&row, user_data);
    }
  return TRUE;
}

static gboolean
boundaries_replace (KsStore *store, gint64 body_id, const char *area_name,
                    const KsBoundaryRow *rows, guint n_rows, GError **error)
{
  static const KsPgStatement del = { "councils_boundaries_delete",
    "DELETE FROM boundaries WHERE body_id = $1" };
  static const KsPgStatement ins = { "councils_boundaries_insert",
    "INSERT INTO boundaries (body_id, kind, name, geometry, min_lat, min_lon, max_lat, max_lon, "
    "  imported) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)" };
  static const KsPgStatement body = { "councils_boundaries_body",
    "UPDATE bodies SET area_name = coalesce ($2, area_name), "
    "  (min_lat, min_lon, max_lat, max_lon) = (SELECT min_lat, min_lon, max_lat, max_lon "
    "    FROM boundaries WHERE body_id = $1 AND kind = 'area') "
    "WHERE id = $1" };
  static const KsPgStatement bump = { "councils_boundaries_bump",
    "UPDATE meta SET value = value + 1 WHERE key = 'boundaries'" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) bargs = KS_PG_ARGS_INIT;
  gint64 now = ks_time_now ();

  ks_pg_args_int (&args, body_id);
  if (!ks_pg_store_exec (store, &del, &args, NULL, error))
    return FALSE;
  for (guint i = 0; i < n_rows; i++)
    {
      g_auto(KsPgArgs) a = KS_PG_ARGS_INIT;
      const KsBoundaryRow *r = &rows[i];

      ks_pg_args_int (&a, body_id);
      ks_pg_args_text (&a, r->kind);
      ks_pg_args_text (&a, r->name);
      ks_pg_args_text (&a, r->geometry);
      ks_pg_args_double (&a, r->min_lat);
      ks_pg_args_double (&a, r->min_lon);
      ks_pg_args_double (&a, r->max_lat);
      ks_pg_args_double (&a, r->max_lon);
      ks_pg_args_int (&a, now);
      if (!ks_pg_store_exec (store, &ins, &a, NULL, error))
        return FALSE;
    }
  ks_pg_args_int (&bargs, body_id);
  ks_pg_args_text (&bargs, area_name);
  return ks_pg_store_exec (store, &body, &bargs, NULL, error) &&
         ks_pg_store_exec (store, &bump, NULL, NULL, error);
}

static gboolean
report_points (KsStore *store, gint64 body_id, gint64 after_id, guint limit, GArray **out,
               GError **error)
{
  static const KsPgStatement st = { "councils_report_points",
    "SELECT id, lat, lon, ward FROM reports WHERE body_id = $1 AND id > $2 ORDER BY id LIMIT $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  GArray *points;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, after_id);
  ks_pg_args_int (&args, limit);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  points = ks_report_points_new ();
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsReportPoint p = {
        .id = ks_pg_int (res, i, 0), .lat = ks_pg_double (res, i, 1),
        .lon = ks_pg_double (res, i, 2),
        .ward = g_strdup (ks_pg_null (res, i, 3) ? "" : ks_pg_text (res, i, 3)),
      };
      g_array_append_val (points, p);
    }
  *out = points;
  return TRUE;
}

static gboolean
set_report_ward (KsStore *store, gint64 report_id, const char *ward, GError **error)
{
  static const KsPgStatement st = { "councils_set_report_ward",
    "UPDATE reports SET ward = $1, seq = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_text (&args, ward);
  ks_pg_args_int (&args, seq);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
get_site_message (KsStore *store, gint64 body_id, gint64 now, char **out_text, gint64 *out_until,
                  GError **error)
{
  static const KsPgStatement st = { "councils_get_site_message",
    "SELECT site_message, coalesce (site_message_until, 0) FROM bodies "
    "WHERE id = $1 AND site_message IS NOT NULL "
    "  AND (site_message_until IS NULL OR site_message_until > $2)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_text = NULL;
  *out_until = 0;
  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, now);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *out_text = g_strdup (ks_pg_text (res, 0, 0));
      *out_until = ks_pg_int (res, 0, 1);
    }
  return TRUE;
}

static gboolean
set_site_message (KsStore *store, gint64 body_id, const char *text, gint64 until, GError **error)
{
  static const KsPgStatement st = { "councils_set_site_message",
    "UPDATE bodies SET site_message = $1, site_message_until = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, text);
  ks_pg_args_id (&args, text != NULL ? until : 0);
  ks_pg_args_int (&args, body_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
create_staff (KsStore *store, gint64 body_id, const char *email, const char *name,
              const char *password_hash, gboolean superuser, GArray *role_ids, gint64 *out_id,
              GError **error)
{
  static const KsPgStatement taken_st = { "councils_staff_taken",
    "SELECT 1 FROM users WHERE lower (email) = lower ($1 COLLATE \"C\")" };
  static const KsPgStatement st = { "councils_create_staff",
    "INSERT INTO users (body_id, email, name, password_hash, is_superuser, active, created, "
    "  updated) VALUES (nullif ($1::bigint, 0), $2, $3, $4, $5, 1, $6, $6) RETURNING id" };
  static const KsPgStatement link_st = { "councils_create_staff_role",
    "INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING" };
  g_auto(KsPgArgs) check = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) taken = NULL;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_text (&check, email);
  if ((taken = ks_pg_store_query (store, &taken_st, &check, error)) == NULL)
    return FALSE;
  if (PQntuples (taken) > 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                   "There is already an account with the email address “%s”.", email);
      return FALSE;
    }
  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, email);
  ks_pg_args_text (&args, name);
  ks_pg_args_text (&args, password_hash);
  ks_pg_args_int (&args, superuser != FALSE);
  ks_pg_args_int (&args, ks_time_now ());
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_id = ks_pg_int (res, 0, 0);
  for (guint i = 0; role_ids != NULL && i < role_ids->len; i++)
    {
      g_auto(KsPgArgs) link = KS_PG_ARGS_INIT;

      ks_pg_args_int (&link, *out_id);
      ks_pg_args_int (&link, g_array_index (role_ids, gint64, i));
      if (!ks_pg_store_exec (store, &link_st, &link, NULL, error))
        return FALSE;
    }
  return TRUE;
}

void
ks_pg_store_councils_init (KsStoreCouncilsVTable *vtable)
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
