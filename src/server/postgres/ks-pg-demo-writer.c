/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-demo-writer.c: the demo data set written into PostgreSQL in one
 * transaction, under the store's write lock: the council and its catalogue, then
 * every report, moderation entry, answer and update by COPY with the secondary
 * indexes of those tables dropped and built once at the end (the GiST, GIN and
 * b-tree builds are much quicker in one go than row by row).
 *
 * The rows are demo/ks-demo-rows.c's, as the SQLite writer's, and the ids are
 * given as SQLite gives them (the highest id plus one, with no gaps): so the same
 * seed gives the same rows, ids and change sequence in both stores. Each identity
 * sequence is set just past the highest id after every insert, so a row added
 * later gets the id SQLite would give it too. */
#define G_LOG_DOMAIN "ks-demo"

#include "postgres/ks-pg-demo-writer.h"
#include "postgres/ks-pg-copy.h"
#include "postgres/ks-pg-store-private.h"
#include "demo/ks-demo-rows.h"
#include "ks-permissions.h"
#include "store/ks-store-admin.h"
#include "store/ks-store-photos.h"

#include <string.h>

/* Helpers */

static void
progress (const char *what, guint done, guint total, gint64 t0)
{
  g_printerr ("demo: %s %u/%u (%.1f s)\n", what, done, total,
              (g_get_monotonic_time () - t0) / 1e6);
}

static gboolean
exec_sql (KsStore *store, const char *sql, GError **error)
{
  return ks_pg_db_exec (ks_pg_store_db (store), sql, error);
}

/* Runs stmt and gives the first column of its one row (0 when it has none). */
static gboolean
query_id (KsStore *store, const KsPgStatement *stmt, KsPgArgs *args, gint64 *out,
          GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, args, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
query_int_sql (KsStore *store, const char *sql, KsPgArgs *args, gint64 *out, GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query_sql (store, sql, args, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

/* The tables whose ids the demo hands out. */
static const char * const id_tables[] = {
  "bodies", "users", "roles", "categories", "priorities", "templates",
  "reports", "updates", "moderation", "photos", NULL
};

/* Moves table's identity sequence so that its next id is the highest plus one,
 * as SQLite's rowids (an insert that met a conflict has used a number up; rows
 * given their id by COPY have not moved it). table: one of id_tables. */
static gboolean
align_ids (KsStore *store, const char *table, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT setval (pg_get_serial_sequence ('%s', 'id'), coalesce (max (id), 0) + 1, false) "
    "FROM %s", table, table);

  return exec_sql (store, sql, error);
}

/* The id SQLite would give the next row of table (one of id_tables). */
static gboolean
next_id (KsStore *store, const char *table, gint64 *out, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (id), 0) + 1 FROM %s", table);

  return query_int_sql (store, sql, NULL, out, error);
}

/* The council, its staff and catalogue */

static gboolean
ensure_body (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const KsPgStatement st = { "demo_ensure_body",
    "INSERT INTO bodies (name, slug, area_name, min_lat, min_lon, max_lat, max_lon, email, created) "
    "VALUES ('Oxford City Council', '" DEMO_SLUG "', 'Oxford', 51.71, -1.31, 51.79, -1.18, "
    "'enquiries@demo.invalid', $1) "
    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, area_name = excluded.area_name, "
    "min_lat = excluded.min_lat, min_lon = excluded.min_lon, max_lat = excluded.max_lat, "
    "max_lon = excluded.max_lon, email = excluded.email RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, d->now);
  return align_ids (store, "bodies", error) &&
         query_id (store, &st, &args, &d->body_id, error) &&
         align_ids (store, "bodies", error);
}

/* The four default roles with exactly the permissions of the product's table. */
static gboolean
ensure_roles (KsStore *store, KsDemoPlan *d, gint64 role_ids[KS_N_DEFAULT_ROLES], GError **error)
{
  static const KsPgStatement st = { "demo_role_id",
    "SELECT id FROM roles WHERE body_id = $1 AND name = $2" };

  if (!align_ids (store, "roles", error) ||
      !ks_store_admin_ensure_default_roles (store, d->body_id, error) ||
      !align_ids (store, "roles", error))
    return FALSE;
  for (guint role = 0; role < KS_N_DEFAULT_ROLES; role++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, d->body_id);
      ks_pg_args_text (&args, ks_default_role_name (role));
      if (!query_id (store, &st, &args, &role_ids[role], error))
        return FALSE;
      if (role_ids[role] == 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "The demo data could not be written (a role went missing); run the command again.");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
ensure_staff (KsStore *store, KsDemoPlan *d, char **hashes, const gint64 role_ids[KS_N_DEFAULT_ROLES],
              GError **error)
{
  static const KsPgStatement user = { "demo_ensure_user",
    "INSERT INTO users (body_id, email, name, password_hash, active, created, updated) "
    "VALUES ($1, $2, $3, $4, 1, $5, $5) "
    "ON CONFLICT ((lower (email))) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, "
    "password_hash = excluded.password_hash, active = 1, updated = excluded.updated "
    "RETURNING id" };
  static const KsPgStatement role = { "demo_ensure_user_role",
    "INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING" };
  /* A refreshed demo can be signed in to straight away. */
  static const KsPgStatement unthrottle = { "demo_unthrottle",
    "DELETE FROM login_failures WHERE scope = 'account' AND key = lower ($1)" };

  for (guint s = 0; s < N_STAFF; s++)
    {
      const KsDemoStaff *staff = &ks_demo_staff[s];
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) role_args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) email_args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, d->body_id);
      ks_pg_args_text (&args, staff->email);
      ks_pg_args_text (&args, staff->name);
      ks_pg_args_text (&args, hashes[s]);
      ks_pg_args_int (&args, d->now);
      if (!align_ids (store, "users", error) ||
          !query_id (store, &user, &args, &d->staff_ids[s], error))
        return FALSE;
      ks_pg_args_int (&role_args, d->staff_ids[s]);
      ks_pg_args_int (&role_args, role_ids[staff->role]);
      ks_pg_args_text (&email_args, staff->email);
      if (!ks_pg_store_exec (store, &role, &role_args, NULL, error) ||
          !ks_pg_store_exec (store, &unthrottle, &email_args, NULL, error))
        return FALSE;
    }
  return align_ids (store, "users", error);
}

static gboolean
ensure_categories (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const KsPgStatement st = { "demo_ensure_category",
    "INSERT INTO categories (body_id, code, name, group_name, description, active, private, "
    "destination, extra, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (body_id, code) DO UPDATE SET name = excluded.name, "
    "group_name = excluded.group_name, description = excluded.description, "
    "active = excluded.active, private = excluded.private, "
    "destination = excluded.destination, extra = excluded.extra, updated = excluded.updated "
    "RETURNING id" };

  d->category_ids = g_new0 (gint64, ks_demo_n_categories);
  for (guint c = 0; c < ks_demo_n_categories; c++)
    {
      const KsDemoCategory *cat = &ks_demo_categories[c];
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, d->body_id);
      ks_pg_args_text (&args, cat->code);
      ks_pg_args_text (&args, cat->name);
      ks_pg_args_text (&args, cat->group);
      ks_pg_args_text (&args, cat->description);
      ks_pg_args_int (&args, cat->active);
      ks_pg_args_int (&args, cat->is_private);
      ks_pg_args_text (&args, cat->destination);
      ks_pg_args_text (&args, cat->extra);
      ks_pg_args_int (&args, d->now);
      if (!align_ids (store, "categories", error) ||
          !query_id (store, &st, &args, &d->category_ids[c], error))
        return FALSE;
    }
  return align_ids (store, "categories", error);
}

static gboolean
ensure_priorities (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const KsPgStatement find = { "demo_find_priority",
    "SELECT id FROM priorities WHERE body_id = $1 AND name = $2 ORDER BY id LIMIT 1" };
  static const KsPgStatement upsert = { "demo_ensure_priority",
    "INSERT INTO priorities (id, body_id, name, description, response_hours, position, "
    "active, updated) VALUES (coalesce ($1, (SELECT coalesce (max (id), 0) + 1 FROM priorities)), "
    "$2, $3, $4, $5, $6, 1, $7) "
    "ON CONFLICT (id) DO UPDATE SET description = excluded.description, "
    "response_hours = excluded.response_hours, position = excluded.position, "
    "active = 1, updated = excluded.updated RETURNING id" };
  static const KsPgStatement unlink = { "demo_priority_unlink",
    "DELETE FROM priority_categories WHERE priority_id = $1" };
  static const KsPgStatement link = { "demo_priority_link",
    "INSERT INTO priority_categories (priority_id, category_id) VALUES ($1, $2)" };

  d->priority_ids = g_new0 (gint64, ks_demo_n_priorities);
  for (guint p = 0; p < ks_demo_n_priorities; p++)
    {
      const KsDemoPriority *pr = &ks_demo_priorities[p];
      g_auto(KsPgArgs) find_args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) unlink_args = KS_PG_ARGS_INIT;
      gint64 id;

      ks_pg_args_int (&find_args, d->body_id);
      ks_pg_args_text (&find_args, pr->name);
      if (!query_id (store, &find, &find_args, &id, error))
        return FALSE;
      ks_pg_args_id (&args, id);
      ks_pg_args_int (&args, d->body_id);
      ks_pg_args_text (&args, pr->name);
      ks_pg_args_text (&args, pr->description);
      ks_pg_args_int (&args, pr->response_hours);
      ks_pg_args_int (&args, p + 1);
      ks_pg_args_int (&args, d->now);
      if (!query_id (store, &upsert, &args, &d->priority_ids[p], error))
        return FALSE;
      ks_pg_args_int (&unlink_args, d->priority_ids[p]);
      if (!ks_pg_store_exec (store, &unlink, &unlink_args, NULL, error))
        return FALSE;
      for (guint c = 0; c < ks_demo_n_categories; c++)
        {
          const KsDemoCategory *cat = &ks_demo_categories[c];
          g_auto(KsPgArgs) link_args = KS_PG_ARGS_INIT;

          if (!(pr->all_categories || (pr->hazard_only ? cat->hazard : cat->urgent)))
            continue;
          ks_pg_args_int (&link_args, d->priority_ids[p]);
          ks_pg_args_int (&link_args, d->category_ids[c]);
          if (!ks_pg_store_exec (store, &link, &link_args, NULL, error))
            return FALSE;
        }
    }
  return align_ids (store, "priorities", error);
}

static gboolean
ensure_templates (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const KsPgStatement find = { "demo_find_template",
    "SELECT id FROM templates WHERE body_id = $1 AND title = $2 ORDER BY id LIMIT 1" };
  static const KsPgStatement upsert = { "demo_ensure_template",
    "INSERT INTO templates (id, body_id, title, text, state, position, updated) "
    "VALUES (coalesce ($1, (SELECT coalesce (max (id), 0) + 1 FROM templates)), "
    "$2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (id) DO UPDATE SET text = excluded.text, state = excluded.state, "
    "position = excluded.position, updated = excluded.updated RETURNING id" };
  static const KsPgStatement unlink = { "demo_template_unlink",
    "DELETE FROM template_categories WHERE template_id = $1" };
  static const KsPgStatement link = { "demo_template_link",
    "INSERT INTO template_categories (template_id, category_id) VALUES ($1, $2)" };

  for (guint t = 0; t < ks_demo_n_templates; t++)
    {
      const KsDemoTemplate *tp = &ks_demo_templates[t];
      g_auto(KsPgArgs) find_args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_auto(KsPgArgs) unlink_args = KS_PG_ARGS_INIT;
      gint64 id, template_id;

      ks_pg_args_int (&find_args, d->body_id);
      ks_pg_args_text (&find_args, tp->title);
      if (!query_id (store, &find, &find_args, &id, error))
        return FALSE;
      ks_pg_args_id (&args, id);
      ks_pg_args_int (&args, d->body_id);
      ks_pg_args_text (&args, tp->title);
      ks_pg_args_text (&args, tp->text);
      ks_pg_args_text (&args, tp->state);
      ks_pg_args_int (&args, t + 1);
      ks_pg_args_int (&args, d->now);
      if (!query_id (store, &upsert, &args, &template_id, error))
        return FALSE;
      ks_pg_args_int (&unlink_args, template_id);
      if (!ks_pg_store_exec (store, &unlink, &unlink_args, NULL, error))
        return FALSE;
      if (tp->categories != NULL)
        {
          g_auto(GStrv) codes = g_strsplit (tp->categories, "|", -1);

          for (guint k = 0; codes[k]; k++)
            for (guint c = 0; c < ks_demo_n_categories; c++)
              {
                g_auto(KsPgArgs) link_args = KS_PG_ARGS_INIT;

                if (strcmp (codes[k], ks_demo_categories[c].code) != 0)
                  continue;
                ks_pg_args_int (&link_args, template_id);
                ks_pg_args_int (&link_args, d->category_ids[c]);
                if (!ks_pg_store_exec (store, &link, &link_args, NULL, error))
                  return FALSE;
              }
        }
    }
  return align_ids (store, "templates", error);
}

/* Bulk work */

#define BULK_TABLES \
  "('reports'::regclass, 'updates'::regclass, 'moderation'::regclass, 'report_attributes'::regclass)"

/* The secondary indexes of the tables the demo fills (not those behind a primary
 * key or unique constraint) and their foreign keys, with the SQL that makes each
 * again: checking a foreign key once for the whole table, and building an index
 * in one go, is much quicker than doing either row by row. */
typedef struct {
  GPtrArray *restore;
} SavedSchema;

static void
saved_schema_clear (SavedSchema *s)
{
  g_clear_pointer (&s->restore, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SavedSchema, saved_schema_clear)

/* Runs the first column of each row of select (DROP statements), keeping the
 * second (what makes it again). The names come from the catalogue, quoted. */
static gboolean
drop_each (KsStore *store, SavedSchema *saved, const char *select, GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query_sql (store, select, NULL, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      if (!exec_sql (store, ks_pg_text (res, row, 0), error))
        return FALSE;
      g_ptr_array_add (saved->restore, g_strdup (ks_pg_text (res, row, 1)));
    }
  return TRUE;
}

static gboolean
drop_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  saved->restore = g_ptr_array_new_with_free_func (g_free);
  return drop_each (store, saved,
    "SELECT 'DROP INDEX ' || quote_ident (n.nspname) || '.' || quote_ident (c.relname), "
    "       pg_get_indexdef (i.indexrelid) "
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE i.indrelid IN " BULK_TABLES " "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
    "                AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
    "ORDER BY c.relname", error) &&
         drop_each (store, saved,
    "SELECT 'ALTER TABLE ' || k.conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident (k.conname), "
    "       'ALTER TABLE ' || k.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident (k.conname) "
    "       || ' ' || pg_get_constraintdef (k.oid) "
    "FROM pg_constraint k WHERE k.contype = 'f' AND k.conrelid IN " BULK_TABLES " "
    "ORDER BY k.conrelid::regclass::text, k.conname", error);
}

static gboolean
restore_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  for (guint i = 0; i < saved->restore->len; i++)
    if (!exec_sql (store, g_ptr_array_index (saved->restore, i), error))
      return FALSE;
  return TRUE;
}

/* Removes the council's previous demo reports and everything that hangs off them:
 * the rows of every table with a foreign key to reports (found in the catalogue,
 * so that tables added later are covered too), and the council's tombstones. The
 * ids removed stay in demo_old (until the transaction ends) for the tombstones. */
static gboolean
delete_old_reports (KsStore *store, KsDemoPlan *d, gint64 *n_old, GError **error)
{
  static const KsPgStatement keep = { "demo_old_reports",
    "INSERT INTO demo_old (id) SELECT id FROM reports WHERE body_id = $1" };
  static const KsPgStatement tombstones = { "demo_delete_tombstones",
    "DELETE FROM tombstones WHERE body_id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) refs = NULL;

  if (!exec_sql (store, "CREATE TEMP TABLE demo_old (id bigint PRIMARY KEY) ON COMMIT DROP", error))
    return FALSE;
  ks_pg_args_int (&args, d->body_id);
  if (!ks_pg_store_exec (store, &keep, &args, n_old, error))
    return FALSE;
  if (*n_old == 0)
    return TRUE;

  refs = ks_pg_store_query_sql (store,
    "SELECT k.conrelid::regclass::text, quote_ident (a.attname) FROM pg_constraint k "
    "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
    "WHERE k.contype = 'f' AND k.confrelid = 'reports'::regclass "
    "AND k.conrelid <> 'reports'::regclass ORDER BY 1, 2", NULL, error);
  if (refs == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (refs); row++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s IN (SELECT id FROM demo_old)",
                                              ks_pg_text (refs, row, 0), ks_pg_text (refs, row, 1));
      if (!exec_sql (store, sql, error))
        return FALSE;
    }
  return exec_sql (store, "DELETE FROM reports WHERE id IN (SELECT id FROM demo_old)", error) &&
         ks_pg_store_exec (store, &tombstones, &args, NULL, error);
}

/* COPY's text values of one row: integers formatted into slots of their own. */
typedef struct {
  const char *values[32];
  char        slots[32][G_ASCII_DTOSTR_BUF_SIZE];
  guint       n;
} CopyRow;

static void
row_text (CopyRow *row, const char *text)
{
  row->values[row->n++] = text;
}

static void
row_int (CopyRow *row, gint64 value)
{
  g_snprintf (row->slots[row->n], sizeof row->slots[row->n], "%" G_GINT64_FORMAT, value);
  row->values[row->n] = row->slots[row->n];
  row->n++;
}

/* 0 is NULL */
static void
row_id (CopyRow *row, gint64 id)
{
  if (id == 0)
    row_text (row, NULL);
  else
    row_int (row, id);
}

static void
row_double (CopyRow *row, double value)
{
  /* Seventeen digits: PostgreSQL reads back exactly the double SQLite keeps. */
  g_ascii_dtostr (row->slots[row->n], sizeof row->slots[row->n], value);
  row->values[row->n] = row->slots[row->n];
  row->n++;
}

static KsPgCopy *
copy_begin (KsStore *store, const char *table, const char * const *columns, GError **error)
{
  return ks_pg_copy_begin (ks_pg_store_db (store), table, columns, error);
}

static gboolean
copy_end (KsPgCopy *copy, gboolean ok, GError **error)
{
  if (!ok)
    {
      ks_pg_copy_abort (copy);
      return FALSE;
    }
  return ks_pg_copy_end (copy, NULL, error);
}

static gboolean
copy_reports (KsStore *store, KsDemoPlan *d, gint64 t0, GError **error)
{
  static const char * const columns[] = {
    "id", "body_id", "category_id", "title", "detail", "lat", "lon", "ward", "address",
    "state", "priority_id", "reporter_name", "reporter_email", "reporter_phone", "show_name",
    "photo", "source", "external_id", "created_by", "created", "confirmed", "updated",
    "acknowledged", "acknowledged_by", "shortlist_user", "shortlist_pos", "version", "seq",
    "state_before_hide", "duplicate_of", "state_before_duplicate", NULL
  };
  g_auto(KsDemoReportRow) r;
  KsPgCopy *copy = copy_begin (store, "reports", columns, error);
  gboolean ok = TRUE;

  if (copy == NULL)
    return FALSE;
  ks_demo_report_row_init (&r);
  for (guint i = 0; ok && i < d->n; i++)
    {
      CopyRow row = { .n = 0 };

      ks_demo_report_row_fill (&r, d, i);
      row_int (&row, r.id);
      row_int (&row, d->body_id);
      row_int (&row, r.category_id);
      row_text (&row, r.title);
      row_text (&row, r.detail);
      row_double (&row, r.lat);
      row_double (&row, r.lon);
      row_text (&row, r.ward);
      row_text (&row, r.address);
      row_text (&row, r.state);
      row_id (&row, r.priority_id);
      row_text (&row, r.reporter_name);
      row_text (&row, r.reporter_email);
      row_text (&row, r.reporter_phone);
      row_int (&row, r.show_name);
      row_text (&row, r.photo);
      row_text (&row, r.source);
      row_text (&row, r.external_id);
      row_id (&row, r.created_by);
      row_int (&row, r.created);
      row_id (&row, r.confirmed);
      row_int (&row, r.updated);
      if (r.acknowledged_by != 0)
        row_int (&row, r.acknowledged);
      else
        row_text (&row, NULL);
      row_id (&row, r.acknowledged_by);
      row_id (&row, r.shortlist_user);
      if (r.shortlist_user != 0)
        row_int (&row, r.shortlist_pos);
      else
        row_text (&row, NULL);
      row_int (&row, r.version);
      row_int (&row, r.seq);
      /* Hidden demo reports were hidden soon after they were confirmed: unhiding
       * one brings it back as confirmed (the SQLite writer's UPDATE). */
      row_text (&row, strcmp (r.state, "hidden") == 0 ? "confirmed" : NULL);
      row_id (&row, r.duplicate_of);
      row_text (&row, r.state_before_duplicate);
      ok = ks_pg_copy_row (copy, row.values, error);
      if ((i + 1) % 100000 == 0)
        progress ("reports written", i + 1, d->n, t0);
    }
  return copy_end (copy, ok, error);
}

/* The moderation entries, in the order of their reports (ids as SQLite's). */
static gboolean
copy_moderation (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const char * const columns[] = {
    "id", "report_id", "user_id", "reason", "created", "old_title", "new_title", "old_detail",
    "new_detail", "old_show_name", "new_show_name", "old_photo", "photo_removed", NULL
  };
  g_auto(KsDemoReportRow) r;
  KsPgCopy *copy;
  gint64 id;
  gboolean ok = TRUE;

  if (!next_id (store, "moderation", &id, error) ||
      (copy = copy_begin (store, "moderation", columns, error)) == NULL)
    return FALSE;
  ks_demo_report_row_init (&r);
  for (guint i = 0; ok && i < d->n; i++)
    {
      CopyRow row = { .n = 0 };

      if (d->reports[i].mod_kind == MOD_NONE)
        continue;
      ks_demo_report_row_fill (&r, d, i);
      row_int (&row, id++);
      row_int (&row, r.id);
      row_int (&row, r.mod_user_id);
      row_text (&row, r.mod_reason);
      row_int (&row, r.mod_created);
      row_text (&row, r.mod_old_title);
      row_text (&row, r.mod_new_title);
      row_text (&row, r.mod_old_detail);
      row_text (&row, r.mod_new_detail);
      row_text (&row, r.mod_show_name_changed ? "1" : NULL);
      row_text (&row, r.mod_show_name_changed ? "0" : NULL);
      row_text (&row, r.mod_old_photo);
      row_int (&row, r.mod_photo_removed);
      ok = ks_pg_copy_row (copy, row.values, error);
    }
  return copy_end (copy, ok, error);
}

static gboolean
copy_attributes (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const char * const columns[] = { "report_id", "position", "code", "value", NULL };
  g_auto(KsDemoReportRow) r;
  KsPgCopy *copy = copy_begin (store, "report_attributes", columns, error);
  gboolean ok = TRUE;

  if (copy == NULL)
    return FALSE;
  ks_demo_report_row_init (&r);
  for (guint i = 0; ok && i < d->n; i++)
    {
      ks_demo_report_row_fill (&r, d, i);
      for (guint k = 0; ok && k < r.n_attributes; k++)
        {
          CopyRow row = { .n = 0 };

          row_int (&row, r.id);
          row_int (&row, k);
          row_text (&row, r.attribute_codes[k]);
          row_text (&row, r.attribute_values[k]);
          ok = ks_pg_copy_row (copy, row.values, error);
        }
    }
  return copy_end (copy, ok, error);
}

static gboolean
copy_updates (KsStore *store, KsDemoPlan *d, gint64 t0, GError **error)
{
  static const char * const columns[] = {
    "id", "report_id", "user_id", "author_name", "kind", "text", "photo", "state",
    "priority_id", "public", "source", "external_id", "created", NULL
  };
  g_auto(KsDemoUpdateRow) u;
  KsPgCopy *copy;
  gint64 first;
  gboolean ok = TRUE;

  if (!next_id (store, "updates", &first, error) ||
      (copy = copy_begin (store, "updates", columns, error)) == NULL)
    return FALSE;
  ks_demo_update_row_init (&u);
  for (guint e = 0; ok && e < d->events->len; e++)
    {
      CopyRow row = { .n = 0 };

      ks_demo_update_row_fill (&u, d, e);
      row_int (&row, first + e);
      row_int (&row, u.report_id);
      row_id (&row, u.user_id);
      row_text (&row, u.author_name);
      row_text (&row, u.kind);
      row_text (&row, u.text);
      row_text (&row, u.photo);
      row_text (&row, u.state);
      row_id (&row, u.priority_id);
      row_int (&row, u.is_public);
      row_text (&row, u.source);
      row_text (&row, u.external_id);
      row_int (&row, u.created);
      ok = ks_pg_copy_row (copy, row.values, error);
      if ((e + 1) % 250000 == 0)
        progress ("updates written", e + 1, d->events->len, t0);
    }
  return copy_end (copy, ok, error);
}

/* Tombstones for the old reports gone for good, then the change sequence past
 * every number handed out. */
static gboolean
write_sequence (KsStore *store, KsDemoPlan *d, GError **error)
{
  static const KsPgStatement tomb = { "demo_tombstones",
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) "
    "SELECT o.id, $1, NULL, $2 + row_number () OVER (ORDER BY o.id) FROM demo_old o "
    "WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = o.id AND r.body_id = $1)" };
  static const KsPgStatement meta = { "demo_set_seq",
    "UPDATE meta SET value = $1 WHERE key = 'seq'" };
  gint64 next = d->seq_base + d->n;
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) meta_args = KS_PG_ARGS_INIT;
  gint64 n_tombstones = 0;

  ks_pg_args_int (&args, d->body_id);
  ks_pg_args_int (&args, next);
  if (!ks_pg_store_exec (store, &tomb, &args, &n_tombstones, error))
    return FALSE;
  ks_pg_args_int (&meta_args, next + n_tombstones);
  return ks_pg_store_exec (store, &meta, &meta_args, NULL, error);
}

/* The demo's photos in the list of each report's photos, and when the council
 * first responded to each report. */
static gboolean
list_photos (KsStore *store, KsDemoPlan *d, GError **error)
{
  g_autofree char *sql = ks_store_photos_list_sql (d->first_id);
  g_autofree char *responded = ks_response_times_fill_sql (d->first_id);

  return exec_sql (store, sql, error) && exec_sql (store, responded, error);
}

static gboolean
ks_pg_demo_write (KsStore *store, KsDemoPlan *d, char **hashes, gint64 t0, GError **error)
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

  /* First the old reports (the foreign keys name what hangs off them). */
  if (!delete_old_reports (store, d, &n_old, error) ||
      !drop_indexes (store, &saved, error))
    return FALSE;
  if (n_old > 0)
    g_printerr ("demo: removed %" G_GINT64_FORMAT " earlier demo reports (%.1f s)\n",
                n_old, (g_get_monotonic_time () - t0) / 1e6);

  if (!next_id (store, "reports", &d->first_id, error) ||
      !query_int_sql (store, "SELECT value FROM meta WHERE key = 'seq'", NULL, &d->seq_base, error))
    return FALSE;

  if (!copy_reports (store, d, t0, error) ||
      !copy_moderation (store, d, error) ||
      !copy_attributes (store, d, error))
    return FALSE;
  g_printerr ("demo: %u reports written (%.1f s)\n", d->n, (g_get_monotonic_time () - t0) / 1e6);
  if (!copy_updates (store, d, t0, error) || !list_photos (store, d, error))
    return FALSE;
  g_printerr ("demo: %u updates written (%.1f s)\n", d->events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  if (!write_sequence (store, d, error))
    return FALSE;
  for (guint t = 0; id_tables[t] != NULL; t++)
    if (!align_ids (store, id_tables[t], error))
      return FALSE;

  if (!restore_indexes (store, &saved, error))
    return FALSE;
  g_printerr ("demo: indexes and foreign keys built (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

/* The store's write transaction (its lock keeps every instance's writes out
 * until the demo is committed), with settings for a bulk load. */
static gboolean
ks_pg_demo_begin (KsStore *store, gint64 *old_cache, GError **error)
{
  *old_cache = 0;
  if (!ks_store_begin_write (store, error))
    return FALSE;
  return exec_sql (store,
                   "SET LOCAL synchronous_commit = off;"
                   "SET LOCAL maintenance_work_mem = '256MB';"
                   "SET LOCAL work_mem = '64MB';", error);
}

static void
ks_pg_demo_end (KsStore *store, gint64 old_cache)
{
  /* SET LOCAL ends with the transaction. */
}

/* The statistics the query planner chooses indexes by, for the new volume. */
static void
ks_pg_demo_checkpoint (KsStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!exec_sql (store, "ANALYZE", &error))
    g_printerr ("demo: the query statistics could not be gathered (%s); run ANALYZE "
                "on the database.\n", error->message);
  else
    g_printerr ("demo: query statistics gathered (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
}

const KsDemoWriter ks_pg_demo_writer = {
  .begin = ks_pg_demo_begin,
  .end = ks_pg_demo_end,
  .write = ks_pg_demo_write,
  .checkpoint = ks_pg_demo_checkpoint,
};
