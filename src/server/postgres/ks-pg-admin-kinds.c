/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-admin-kinds.c: list, get, create, update and delete of every admin kind
 * in PostgreSQL, with SQL built once per kind from its description
 * (store/ks-admin-kind.h) and prepared by name on each connection.
 *
 * Parameters carry explicit casts: a statement is prepared without types, and
 * PostgreSQL cannot guess the type of "$1 IS NULL" or "CASE WHEN $1". */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-admin-kinds.h"
#include "postgres/ks-pg-permissions.h"
#include "ks-time.h"

#include <string.h>

/* The statements of one kind, built once for the life of the process. */
typedef struct {
  KsPgStatement select_one;
  KsPgStatement select_list;
  KsPgStatement next_id;
  KsPgStatement insert;
  KsPgStatement update;
  KsPgStatement unique;
  KsPgStatement in_use;
  KsPgStatement remove;
  int           column[KS_ADMIN_MAX_FIELDS];     /* in the select; -1: none */
  KsPgStatement link_select[KS_ADMIN_MAX_FIELDS];
  KsPgStatement link_delete[KS_ADMIN_MAX_FIELDS];
  KsPgStatement link_insert[KS_ADMIN_MAX_FIELDS];
} KindSql;

/* What each kind's list adds to "rows of the council" ($1; $2 is the limit),
 * with the query's parameters: staff $3 after_id, $4 active, $5 search (lower
 * case); templates $3 category_id. name and email are COLLATE "C", so lower()
 * folds A-Z only, as SQLite's does. */
static const char *list_filters[KS_N_ADMIN_OBJECTS] = {
  [KS_ADMIN_OBJECT_USER] =
    " AND t.id > $3::bigint AND ($4::integer < 0 OR t.active = $4::integer) "
    " AND ($5::text IS NULL OR strpos(lower(t.name), $5::text) > 0 "
    "      OR strpos(lower(t.email), $5::text) > 0)",
  [KS_ADMIN_OBJECT_TEMPLATE] =
    " AND ($3::bigint = 0 "
    "  OR NOT EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id) "
    "  OR EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id "
    "             AND c.category_id = $3::bigint))",
};

static gboolean
writable (const KsAdminField *f)
{
  return f->column != NULL && !(f->flags & KS_ADMIN_FIELD_READ_ONLY);
}

/* A column an insert names. */
static gboolean
creatable (const KsAdminField *f)
{
  return f->column != NULL && !(f->flags & KS_ADMIN_FIELD_UPDATE_ONLY) &&
         (writable (f) || f->has_default);
}

static gboolean
is_link (const KsAdminField *f)
{
  return f->type == KS_ADMIN_TYPE_ID_LINKS || f->type == KS_ADMIN_TYPE_PERMISSIONS ||
         f->type == KS_ADMIN_TYPE_REFS || f->type == KS_ADMIN_TYPE_COUNT;
}

static gboolean
is_text (const KsAdminField *f)
{
  return f->type == KS_ADMIN_TYPE_TEXT || f->type == KS_ADMIN_TYPE_GROUPS ||
         f->type == KS_ADMIN_TYPE_QUESTIONS;
}

static void
set_statement (KsPgStatement *st, const KsAdminKind *kind, const char *what, char *sql)
{
  st->name = g_strdup_printf ("admin_%s_%s", kind->table, what);
  st->sql = sql;
}

static void
build_links (KindSql *sql, const KsAdminKind *kind, guint i)
{
  const KsAdminField *f = &kind->fields[i];
  const KsAdminKind *other = f->link_kind ? ks_admin_kind (f->link_kind) : NULL;
  g_autofree char *select = g_strdup_printf ("%s_select", f->name);
  g_autofree char *delete = g_strdup_printf ("%s_delete", f->name);
  g_autofree char *insert = g_strdup_printf ("%s_insert", f->name);

  switch (f->type)
    {
    case KS_ADMIN_TYPE_ID_LINKS:
    case KS_ADMIN_TYPE_PERMISSIONS:
      set_statement (&sql->link_select[i], kind, select,
                     g_strdup_printf ("SELECT %s FROM %s WHERE %s = $1::bigint ORDER BY %s",
                                      f->link_value, f->link_table, f->link_owner,
                                      f->link_value));
      set_statement (&sql->link_delete[i], kind, delete,
                     g_strdup_printf ("DELETE FROM %s WHERE %s = $1::bigint",
                                      f->link_table, f->link_owner));
      set_statement (&sql->link_insert[i], kind, insert,
                     g_strdup_printf ("INSERT INTO %s (%s, %s) VALUES ($1, $2) "
                                      "ON CONFLICT DO NOTHING",
                                      f->link_table, f->link_owner, f->link_value));
      break;
    case KS_ADMIN_TYPE_REFS:
      set_statement (&sql->link_select[i], kind, select,
                     g_strdup_printf ("SELECT o.id, o.name FROM %s l JOIN %s o ON o.id = l.%s "
                                      "WHERE l.%s = $1::bigint ORDER BY o.name",
                                      f->link_table, other->table, f->link_value,
                                      f->link_owner));
      break;
    case KS_ADMIN_TYPE_COUNT:
      set_statement (&sql->link_select[i], kind, select,
                     g_strdup_printf ("SELECT count(*) FROM %s l JOIN %s o ON o.id = l.%s "
                                      "WHERE l.%s = $1::bigint AND o.%s <> 0",
                                      f->link_table, other->table, f->link_value,
                                      f->link_owner, f->where));
      break;
    default:
      break;
    }
}

static KindSql *
build_sql (const KsAdminKind *kind)
{
  KindSql *sql = g_new0 (KindSql, 1);
  g_autoptr(GString) cols = g_string_new (NULL);
  g_autoptr(GString) ins_cols = g_string_new ("body_id");
  g_autoptr(GString) ins_vals = g_string_new ("$1");
  g_autoptr(GString) upd = g_string_new (NULL);
  const KsAdminUnique *u = &kind->unique;
  int n = 0, param = 0, ins_param = 1;

  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];

      sql->column[i] = -1;
      if (is_link (f))
        {
          build_links (sql, kind, i);
          continue;
        }
      if (!(f->flags & KS_ADMIN_FIELD_WRITE_ONLY))
        {
          g_string_append_printf (cols, "%st.%s", n ? ", " : "", f->column);
          sql->column[i] = n++;
        }
      if (creatable (f))
        {
          g_string_append_printf (ins_cols, ", %s", f->column);
          g_string_append_printf (ins_vals, ", $%d", ++ins_param);
        }
      if (writable (f) && !(f->flags & KS_ADMIN_FIELD_CREATE_ONLY))
        {
          g_string_append_printf (upd, "%s%s = CASE WHEN $%d::boolean THEN $%d::%s ELSE %s END",
                                  upd->len ? ", " : "", f->column, param + 1, param + 2,
                                  is_text (f) ? "text" : "bigint", f->column);
          if (f->clears)
            g_string_append_printf (upd, ", %s = CASE WHEN $%d::boolean THEN NULL ELSE %s END",
                                    f->clears, param + 1, f->clears);
          param += 2;
        }
    }
  if (kind->stamps_updated)
    {
      g_string_append (ins_cols, ", updated");
      g_string_append_printf (ins_vals, ", $%d", ++ins_param);
      g_string_append_printf (upd, ", updated = $%d::bigint", ++param);
    }
  if (kind->stamps_created)
    {
      g_string_append (ins_cols, ", created");
      g_string_append_printf (ins_vals, ", $%d", ++ins_param);
    }

  set_statement (&sql->select_one, kind, "get",
                 g_strdup_printf ("SELECT %s FROM %s t WHERE t.id = $1::bigint",
                                  cols->str, kind->table));
  set_statement (&sql->select_list, kind, "list",
                 g_strdup_printf ("SELECT %s FROM %s t "
                                  "WHERE ($1::bigint = 0 OR t.body_id = $1::bigint)%s "
                                  "ORDER BY %s LIMIT $2::bigint", cols->str, kind->table,
                                  list_filters[kind->object] ? list_filters[kind->object] : "",
                                  kind->order_by));
  /* SQLite gives a new row the id after the highest one there is (so after
   * the newest was deleted, its id again); an identity sequence never goes
   * back. Writes hold the write lock, so setting the sequence to the same
   * next id just before the insert gives the same ids on both stores. */
  set_statement (&sql->next_id, kind, "next_id",
                 g_strdup_printf ("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                                  "COALESCE(max(id), 0) + 1, false) FROM %s",
                                  kind->table, kind->table));
  set_statement (&sql->insert, kind, "insert",
                 g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s) RETURNING id", kind->table,
                                  ins_cols->str, ins_vals->str));
  set_statement (&sql->update, kind, "update",
                 g_strdup_printf ("UPDATE %s SET %s WHERE id = $%d::bigint", kind->table,
                                  upd->str, param + 1));
  if (u->field != NULL)
    {
      const char *column = kind->fields[ks_admin_kind_field (kind, u->field)].column;
      g_autofree char *compare = u->nocase
        ? g_strdup_printf ("lower(%s) = lower($2::text COLLATE \"C\")", column)
        : g_strdup_printf ("%s = $2::text", column);

      set_statement (&sql->unique, kind, "unique",
                     g_strdup_printf ("SELECT count(*) FROM %s WHERE %s AND %s AND id <> $3::bigint",
                                      kind->table,
                                      u->global ? "$1::bigint = $1::bigint" : "body_id = $1::bigint",
                                      compare));
    }
  if (kind->in_use_table != NULL)
    set_statement (&sql->in_use, kind, "in_use",
                   g_strdup_printf ("SELECT count(*) FROM %s WHERE %s = $1::bigint",
                                    kind->in_use_table, kind->in_use_column));
  set_statement (&sql->remove, kind, "remove",
                 g_strdup_printf ("DELETE FROM %s WHERE id = $1::bigint", kind->table));
  return sql;
}

static const KindSql *
kind_sql (const KsAdminKind *kind)
{
  static gsize ready = 0;
  static KindSql *all[KS_N_ADMIN_OBJECTS];

  if (g_once_init_enter (&ready))
    {
      for (guint k = 0; k < KS_N_ADMIN_OBJECTS; k++)
        if (ks_admin_kind (k) != NULL)
          all[k] = build_sql (ks_admin_kind (k));
      g_once_init_leave (&ready, 1);
    }
  return all[kind->object];
}

/* Reads the links of field i of the object id into v. */
static gboolean
read_links (KsStore            *store,
            const KindSql      *sql,
            const KsAdminField *f,
            guint               i,
            gint64              id,
            KsAdminValue       *v,
            GError            **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, id);
  res = ks_pg_store_query (store, &sql->link_select[i], &args, error);
  if (res == NULL)
    return FALSE;
  v->set = TRUE;
  switch (f->type)
    {
    case KS_ADMIN_TYPE_PERMISSIONS:
      ks_pg_read_permission_set (res, &v->permissions);
      return TRUE;
    case KS_ADMIN_TYPE_COUNT:
      v->number = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
      return TRUE;
    case KS_ADMIN_TYPE_REFS:
      v->names = g_ptr_array_new_with_free_func (g_free);
      G_GNUC_FALLTHROUGH;
    default:
      v->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (int r = 0; r < PQntuples (res); r++)
        {
          gint64 linked = ks_pg_int (res, r, 0);
          g_array_append_val (v->ids, linked);
          if (v->names)
            g_ptr_array_add (v->names, g_strdup (ks_pg_text (res, r, 1)));
        }
      return TRUE;
    }
}

/* Fills row from row r of a select's result, then its links. */
static gboolean
read_row (KsStore           *store,
          const KsAdminKind *kind,
          const PGresult    *res,
          int                r,
          KsAdminRow        *row,
          GError           **error)
{
  const KindSql *sql = kind_sql (kind);

  ks_admin_row_init (row, kind);
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      KsAdminValue *v = &row->values[i];
      int c = sql->column[i];

      if (c < 0)
        continue;
      v->set = TRUE;
      v->is_null = ks_pg_null (res, r, c);
      if (is_text (f))
        v->text = g_strdup (ks_pg_text (res, r, c));
      else
        v->number = ks_pg_int (res, r, c);
    }
  for (guint i = 0; kind->fields[i].name; i++)
    if (sql->link_select[i].name != NULL && !(kind->fields[i].flags & KS_ADMIN_FIELD_WRITE_ONLY) &&
        !read_links (store, sql, &kind->fields[i], i, ks_admin_row_id (row), &row->values[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
admin_list (KsStore            *store,
            KsAdminObject       object,
            gint64              body_id,
            const KsAdminQuery *q,
            GArray             *rows,
            gboolean           *out_more,
            GError            **error)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  int n;

  if (out_more)
    *out_more = FALSE;
  ks_pg_args_int (&args, body_id);
  if (q->limit > 0)
    ks_pg_args_int (&args, (gint64) q->limit + 1);
  else
    ks_pg_args_null (&args);
  if (object == KS_ADMIN_OBJECT_USER)
    {
      ks_pg_args_int (&args, q->after_id);
      ks_pg_args_int (&args, q->active);
      ks_pg_args_take (&args, q->search ? g_ascii_strdown (q->search, -1) : NULL);
    }
  else if (object == KS_ADMIN_OBJECT_TEMPLATE)
    ks_pg_args_int (&args, q->category_id);

  res = ks_pg_store_query (store, &kind_sql (kind)->select_list, &args, error);
  if (res == NULL)
    return FALSE;
  n = PQntuples (res);
  for (int r = 0; r < n; r++)
    {
      if (q->limit > 0 && rows->len == q->limit)
        {
          if (out_more)
            *out_more = TRUE;
          return TRUE;
        }
      g_array_set_size (rows, rows->len + 1);
      if (!read_row (store, kind, res, r, &g_array_index (rows, KsAdminRow, rows->len - 1), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
admin_get (KsStore       *store,
           KsAdminObject  object,
           gint64         id,
           KsAdminRow    *out,
           GError       **error)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_admin_row_init (out, kind);
  ks_pg_args_int (&args, id);
  res = ks_pg_store_query (store, &kind_sql (kind)->select_one, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return ks_admin_not_found (kind->noun, error);
  return read_row (store, kind, res, 0, out, error);
}

/* KS_ERROR_CONFLICT when another object has the unique field's value. */
static gboolean
check_unique (KsStore           *store,
              const KsAdminKind *kind,
              gint64             body_id,
              gint64             except_id,
              const KsAdminRow  *in,
              GError           **error)
{
  const KsAdminValue *v;
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  if (kind->unique.field == NULL)
    return TRUE;
  v = ks_admin_row_get (in, kind->unique.field);
  if (!v->set || v->text == NULL)
    return TRUE;
  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, v->text);
  ks_pg_args_int (&args, except_id);
  res = ks_pg_store_query (store, &kind_sql (kind)->unique, &args, error);
  if (res == NULL)
    return FALSE;
  if (ks_pg_int (res, 0, 0) > 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT, kind->unique.message, v->text);
      return FALSE;
    }
  return TRUE;
}

static void
add_value (KsPgArgs           *args,
           const KsAdminField *f,
           const KsAdminValue *v)
{
  if (v->is_null)
    ks_pg_args_null (args);
  else if (is_text (f))
    ks_pg_args_text (args, v->text);
  else if (f->type == KS_ADMIN_TYPE_BOOL)
    ks_pg_args_int (args, v->number != 0);
  else
    ks_pg_args_int (args, v->number);
}

/* Writes the links given in the row for the object id. */
static gboolean
write_links (KsStore           *store,
             const KsAdminKind *kind,
             gint64             id,
             const KsAdminRow  *in,
             GError           **error)
{
  const KindSql *sql = kind_sql (kind);

  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &in->values[i];
      g_auto(KsPgArgs) del = KS_PG_ARGS_INIT;

      if (!v->set || (f->flags & KS_ADMIN_FIELD_READ_ONLY) || sql->link_delete[i].name == NULL)
        continue;
      if (f->type == KS_ADMIN_TYPE_PERMISSIONS)
        {
          if (!ks_pg_replace_permissions (store, &sql->link_delete[i], &sql->link_insert[i],
                                          id, v->permissions, error))
            return FALSE;
          continue;
        }
      ks_pg_args_int (&del, id);
      if (!ks_pg_store_exec (store, &sql->link_delete[i], &del, NULL, error))
        return FALSE;
      for (guint j = 0; v->ids != NULL && j < v->ids->len; j++)
        {
          g_auto(KsPgArgs) ins = KS_PG_ARGS_INIT;

          ks_pg_args_int (&ins, id);
          ks_pg_args_int (&ins, g_array_index (v->ids, gint64, j));
          if (!ks_pg_store_exec (store, &sql->link_insert[i], &ins, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
admin_create (KsStore           *store,
              KsAdminObject      object,
              gint64             body_id,
              const KsAdminRow  *in,
              gint64            *out_id,
              GError           **error)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  gint64 now = ks_time_now ();

  if (!check_unique (store, kind, body_id, 0, in, error) ||
      !ks_pg_store_exec (store, &kind_sql (kind)->next_id, NULL, NULL, error))
    return FALSE;
  ks_pg_args_int (&args, body_id);
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &in->values[i];

      if (is_link (f) || !creatable (f))
        continue;
      if (v->set)
        add_value (&args, f, v);
      else if (f->has_default && f->create_text != NULL)
        ks_pg_args_text (&args, f->create_text);
      else if (f->has_default)
        ks_pg_args_int (&args, f->create_number);
      else
        ks_pg_args_null (&args);
    }
  if (kind->stamps_updated)
    ks_pg_args_int (&args, now);
  if (kind->stamps_created)
    ks_pg_args_int (&args, now);
  res = ks_pg_store_query (store, &kind_sql (kind)->insert, &args, error);
  if (res == NULL)
    return FALSE;
  *out_id = ks_pg_int (res, 0, 0);
  return write_links (store, kind, *out_id, in, error);
}

static gboolean
admin_update (KsStore           *store,
              KsAdminObject      object,
              gint64             id,
              const KsAdminRow  *in,
              GError           **error)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  if (kind->unique.field != NULL && ks_admin_row_get (in, kind->unique.field)->set)
    {
      gint64 body_id = 0;

      if (!ks_store_admin_object_body (store, object, id, &body_id, error) ||
          !check_unique (store, kind, body_id, id, in, error))
        return FALSE;
    }
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &in->values[i];

      if (is_link (f) || !writable (f) || (f->flags & KS_ADMIN_FIELD_CREATE_ONLY))
        continue;
      ks_pg_args_bool (&args, v->set);
      add_value (&args, f, v);
    }
  if (kind->stamps_updated)
    ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, id);
  if (!ks_pg_store_exec (store, &kind_sql (kind)->update, &args, NULL, error))
    return FALSE;
  return write_links (store, kind, id, in, error);
}

static gboolean
admin_remove (KsStore       *store,
              KsAdminObject  object,
              gint64         id,
              GError       **error)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  const KindSql *sql = kind_sql (kind);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  if (sql->in_use.name != NULL)
    {
      g_autoptr(PGresult) used = ks_pg_store_query (store, &sql->in_use, &args, error);
      gint64 n;

      if (used == NULL)
        return FALSE;
      n = ks_pg_int (used, 0, 0);
      if (n > 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                       "%" G_GINT64_FORMAT " %s this %s, so it cannot be deleted. "
                       "Deactivate it instead (set “active” to false).",
                       n, n == 1 ? "report uses" : "reports use", kind->noun);
          return FALSE;
        }
    }
  return ks_pg_store_exec (store, &sql->remove, &args, NULL, error);
}

void
ks_pg_admin_kinds_init (KsStoreAdminVTable *vtable)
{
  vtable->list = admin_list;
  vtable->get = admin_get;
  vtable->create = admin_create;
  vtable->update = admin_update;
  vtable->remove = admin_remove;
}
