/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-admin-kinds.c: list, get, create, update and delete of every admin
 * kind in SQLite, with SQL built once per kind from its description
 * (store/ks-admin-kind.h); the statements are then cached like any other. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-admin-kinds.h"
#include "sqlite/ks-sqlite-permissions.h"
#include "ks-time.h"

#include <string.h>

/* The SQL of one kind, built once and kept for the life of the process (the
 * statement cache is keyed by the text's address). */
typedef struct {
  char *select_one;
  char *select_list;
  char *insert;
  char *update;
  char *unique;
  char *in_use;
  char *remove;
  int   column[KS_ADMIN_MAX_FIELDS];     /* in the select; -1: none */
  char *link_select[KS_ADMIN_MAX_FIELDS];
  char *link_delete[KS_ADMIN_MAX_FIELDS];
  char *link_insert[KS_ADMIN_MAX_FIELDS];
} KindSql;

/* What each kind's list adds to "rows of the council" (?1), with the query's
 * parameters: ?2 after_id, ?3 active, ?4 search, ?6 category_id; ?5 is the limit. */
static const char *list_filters[KS_N_ADMIN_OBJECTS] = {
  [KS_ADMIN_OBJECT_USER] =
    " AND t.id > ?2 AND (?3 < 0 OR t.active = ?3) "
    " AND (?4 IS NULL OR instr(lower(t.name), ?4) > 0 OR instr(lower(t.email), ?4) > 0)",
  [KS_ADMIN_OBJECT_TEMPLATE] =
    " AND (?6 = 0 "
    "  OR NOT EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id) "
    "  OR EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id AND c.category_id = ?6))",
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

static void
build_links (KindSql *sql, const KsAdminKind *kind, guint i)
{
  const KsAdminField *f = &kind->fields[i];
  const KsAdminKind *other = f->link_kind ? ks_admin_kind (f->link_kind) : NULL;

  switch (f->type)
    {
    case KS_ADMIN_TYPE_ID_LINKS:
    case KS_ADMIN_TYPE_PERMISSIONS:
      sql->link_select[i] = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ? ORDER BY %s",
                                             f->link_value, f->link_table, f->link_owner,
                                             f->link_value);
      sql->link_delete[i] = g_strdup_printf ("DELETE FROM %s WHERE %s = ?",
                                             f->link_table, f->link_owner);
      sql->link_insert[i] = g_strdup_printf ("INSERT OR IGNORE INTO %s (%s, %s) VALUES (?, ?)",
                                             f->link_table, f->link_owner, f->link_value);
      break;
    case KS_ADMIN_TYPE_REFS:
      sql->link_select[i] = g_strdup_printf ("SELECT o.id, o.name FROM %s l JOIN %s o ON o.id = l.%s "
                                             "WHERE l.%s = ? ORDER BY o.name",
                                             f->link_table, other->table, f->link_value,
                                             f->link_owner);
      break;
    case KS_ADMIN_TYPE_COUNT:
      sql->link_select[i] = g_strdup_printf ("SELECT count(*) FROM %s l JOIN %s o ON o.id = l.%s "
                                             "WHERE l.%s = ? AND o.%s",
                                             f->link_table, other->table, f->link_value,
                                             f->link_owner, f->where);
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
  g_autoptr(GString) ins_vals = g_string_new ("?");
  g_autoptr(GString) upd = g_string_new (NULL);
  const KsAdminUnique *u = &kind->unique;
  int n = 0, param = 0;

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
          g_string_append (ins_vals, ", ?");
        }
      if (writable (f) && !(f->flags & KS_ADMIN_FIELD_CREATE_ONLY))
        {
          g_string_append_printf (upd, "%s%s = CASE WHEN ?%d THEN ?%d ELSE %s END",
                                  upd->len ? ", " : "", f->column, param + 1, param + 2,
                                  f->column);
          if (f->clears)
            g_string_append_printf (upd, ", %s = CASE WHEN ?%d THEN NULL ELSE %s END",
                                    f->clears, param + 1, f->clears);
          param += 2;
        }
    }
  if (kind->stamps_updated)
    {
      g_string_append (ins_cols, ", updated");
      g_string_append (ins_vals, ", ?");
      g_string_append_printf (upd, ", updated = ?%d", ++param);
    }
  if (kind->stamps_created)
    {
      g_string_append (ins_cols, ", created");
      g_string_append (ins_vals, ", ?");
    }

  sql->select_one = g_strdup_printf ("SELECT %s FROM %s t WHERE t.id = ?", cols->str, kind->table);
  sql->select_list = g_strdup_printf ("SELECT %s FROM %s t WHERE (?1 = 0 OR t.body_id = ?1)%s "
                                      "ORDER BY %s LIMIT ?5", cols->str, kind->table,
                                      list_filters[kind->object] ? list_filters[kind->object] : "",
                                      kind->order_by);
  sql->insert = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", kind->table, ins_cols->str,
                                 ins_vals->str);
  sql->update = g_strdup_printf ("UPDATE %s SET %s WHERE id = ?%d", kind->table, upd->str,
                                 param + 1);
  if (u->field != NULL)
    sql->unique = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s AND %s = ?2%s AND id != ?3",
                                   kind->table, u->global ? "?1 = ?1" : "body_id = ?1",
                                   kind->fields[ks_admin_kind_field (kind, u->field)].column,
                                   u->nocase ? " COLLATE NOCASE" : "");
  if (kind->in_use_table != NULL)
    sql->in_use = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s = ?", kind->in_use_table,
                                   kind->in_use_column);
  sql->remove = g_strdup_printf ("DELETE FROM %s WHERE id = ?", kind->table);
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql->link_select[i], error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  v->set = TRUE;
  switch (f->type)
    {
    case KS_ADMIN_TYPE_PERMISSIONS:
      return ks_sqlite_read_permission_set (st, &v->permissions, error);
    case KS_ADMIN_TYPE_COUNT:
      if (sqlite3_step (st) != SQLITE_ROW)
        return ks_sqlite_stmt_fail (st, error);
      v->number = ks_col_int (st, 0);
      return TRUE;
    case KS_ADMIN_TYPE_REFS:
      v->names = g_ptr_array_new_with_free_func (g_free);
      G_GNUC_FALLTHROUGH;
    default:
      v->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          gint64 linked = ks_col_int (st, 0);
          g_array_append_val (v->ids, linked);
          if (v->names)
            g_ptr_array_add (v->names, g_strdup (ks_col_text (st, 1)));
        }
      if (rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (st, error);
      return TRUE;
    }
}

/* Fills row from the current row of a select statement, then its links. */
static gboolean
read_row (KsStore           *store,
          const KsAdminKind *kind,
          sqlite3_stmt      *st,
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
      v->is_null = ks_col_null (st, c);
      if (f->type == KS_ADMIN_TYPE_TEXT || f->type == KS_ADMIN_TYPE_GROUPS ||
          f->type == KS_ADMIN_TYPE_QUESTIONS)
        v->text = g_strdup (ks_col_text (st, c));
      else
        v->number = ks_col_int (st, c);
    }
  for (guint i = 0; kind->fields[i].name; i++)
    if (sql->link_select[i] != NULL && !(kind->fields[i].flags & KS_ADMIN_FIELD_WRITE_ONLY) &&
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, kind_sql (kind)->select_list, error);
  g_autofree char *search = q->search ? g_ascii_strdown (q->search, -1) : NULL;
  int rc;

  if (out_more)
    *out_more = FALSE;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 5, q->limit > 0 ? (gint64) q->limit + 1 : -1);
  if (sqlite3_bind_parameter_count (st) > 5)
    sqlite3_bind_int64 (st, 6, q->category_id);
  if (sqlite3_bind_parameter_count (st) >= 4)
    {
      sqlite3_bind_int64 (st, 2, q->after_id);
      sqlite3_bind_int (st, 3, q->active);
      ks_bind_text (st, 4, search);
    }
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (q->limit > 0 && rows->len == q->limit)
        {
          if (out_more)
            *out_more = TRUE;
          return TRUE;
        }
      g_array_set_size (rows, rows->len + 1);
      if (!read_row (store, kind, st, &g_array_index (rows, KsAdminRow, rows->len - 1), error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, kind_sql (kind)->select_one, error);
  gboolean found = FALSE;

  ks_admin_row_init (out, kind);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (!found)
    return ks_admin_not_found (kind->noun, error);
  return read_row (store, kind, st, out, error);
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
  g_autoptr(KsStmt) st = NULL;

  if (kind->unique.field == NULL)
    return TRUE;
  v = ks_admin_row_get (in, kind->unique.field);
  if (!v->set || v->text == NULL)
    return TRUE;
  st = ks_sqlite_stmt (store, kind_sql (kind)->unique, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, v->text);
  sqlite3_bind_int64 (st, 3, except_id);
  if (sqlite3_step (st) != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  if (ks_col_int (st, 0) > 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT, kind->unique.message, v->text);
      return FALSE;
    }
  return TRUE;
}

static void
bind_value (sqlite3_stmt       *st,
            int                 i,
            const KsAdminField *f,
            const KsAdminValue *v)
{
  if (v->is_null)
    sqlite3_bind_null (st, i);
  else if (f->type == KS_ADMIN_TYPE_TEXT || f->type == KS_ADMIN_TYPE_GROUPS ||
           f->type == KS_ADMIN_TYPE_QUESTIONS)
    ks_bind_text (st, i, v->text);
  else if (f->type == KS_ADMIN_TYPE_BOOL)
    sqlite3_bind_int (st, i, v->number != 0);
  else
    sqlite3_bind_int64 (st, i, v->number);
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
      g_autoptr(KsStmt) del = NULL;

      if (!v->set || (f->flags & KS_ADMIN_FIELD_READ_ONLY) || sql->link_delete[i] == NULL)
        continue;
      if (f->type == KS_ADMIN_TYPE_PERMISSIONS)
        {
          if (!ks_sqlite_replace_permissions (store, sql->link_delete[i], sql->link_insert[i],
                                              id, v->permissions, error))
            return FALSE;
          continue;
        }
      del = ks_sqlite_stmt (store, sql->link_delete[i], error);
      if (del == NULL)
        return FALSE;
      sqlite3_bind_int64 (del, 1, id);
      if (!ks_sqlite_step_done (del, error))
        return FALSE;
      for (guint j = 0; v->ids != NULL && j < v->ids->len; j++)
        {
          g_autoptr(KsStmt) ins = ks_sqlite_stmt (store, sql->link_insert[i], error);
          if (ins == NULL)
            return FALSE;
          sqlite3_bind_int64 (ins, 1, id);
          sqlite3_bind_int64 (ins, 2, g_array_index (v->ids, gint64, j));
          if (!ks_sqlite_step_done (ins, error))
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
  g_autoptr(KsStmt) st = NULL;
  gint64 now = ks_time_now ();
  int p = 1;

  if (!check_unique (store, kind, body_id, 0, in, error))
    return FALSE;
  st = ks_sqlite_stmt (store, kind_sql (kind)->insert, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, p++, body_id);
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &in->values[i];

      if (is_link (f) || !creatable (f))
        continue;
      if (v->set)
        bind_value (st, p, f, v);
      else if (f->has_default && f->create_text != NULL)
        ks_bind_text (st, p, f->create_text);
      else if (f->has_default)
        sqlite3_bind_int64 (st, p, f->create_number);
      else
        sqlite3_bind_null (st, p);
      p++;
    }
  if (kind->stamps_updated)
    sqlite3_bind_int64 (st, p++, now);
  if (kind->stamps_created)
    sqlite3_bind_int64 (st, p++, now);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_last_insert_rowid (store);
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
  g_autoptr(KsStmt) st = NULL;
  int p = 1;

  if (kind->unique.field != NULL && ks_admin_row_get (in, kind->unique.field)->set)
    {
      gint64 body_id = 0;

      if (!ks_store_admin_object_body (store, object, id, &body_id, error) ||
          !check_unique (store, kind, body_id, id, in, error))
        return FALSE;
    }
  st = ks_sqlite_stmt (store, kind_sql (kind)->update, error);
  if (st == NULL)
    return FALSE;
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &in->values[i];

      if (is_link (f) || !writable (f) || (f->flags & KS_ADMIN_FIELD_CREATE_ONLY))
        continue;
      sqlite3_bind_int (st, p, v->set);
      bind_value (st, p + 1, f, v);
      p += 2;
    }
  if (kind->stamps_updated)
    sqlite3_bind_int64 (st, p++, ks_time_now ());
  sqlite3_bind_int64 (st, p, id);
  if (!ks_sqlite_step_done (st, error))
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
  g_autoptr(KsStmt) del = NULL;

  if (sql->in_use != NULL)
    {
      g_autoptr(KsStmt) used = ks_sqlite_stmt (store, sql->in_use, error);
      gint64 n;

      if (used == NULL)
        return FALSE;
      sqlite3_bind_int64 (used, 1, id);
      if (sqlite3_step (used) != SQLITE_ROW)
        return ks_sqlite_stmt_fail (used, error);
      n = ks_col_int (used, 0);
      if (n > 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                       "%" G_GINT64_FORMAT " %s this %s, so it cannot be deleted. "
                       "Deactivate it instead (set “active” to false).",
                       n, n == 1 ? "report uses" : "reports use", kind->noun);
          return FALSE;
        }
    }
  del = ks_sqlite_stmt (store, sql->remove, error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, id);
  return ks_sqlite_step_done (del, error);
}

void
ks_sqlite_admin_kinds_init (KsStoreAdminVTable *vtable)
{
  vtable->list = admin_list;
  vtable->get = admin_get;
  vtable->create = admin_create;
  vtable->update = admin_update;
  vtable->remove = admin_remove;
}
