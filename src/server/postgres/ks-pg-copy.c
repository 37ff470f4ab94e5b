/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-copy.c: bulk loading with COPY ... FROM STDIN (see ks-pg-copy.h). */
#include "postgres/ks-pg-copy.h"

#include "ks-error.h"

#include <string.h>

/* Sent to the server whenever this much is buffered. */
#define CHUNK (256 * 1024)

struct _KsPgCopy {
  KsPgDb  *db;
  PGconn  *conn;
  guint    n_columns;
  GString *buf;
};

KsPgCopy *
ks_pg_copy_begin (KsPgDb             *db,
                  const char         *table,
                  const char * const *columns,
                  GError            **error)
{
  PGconn *conn = ks_pg_db_conn (db, error);
  g_autoptr(GString) sql = g_string_new ("COPY ");
  g_autoptr(PGresult) res = NULL;
  char *quoted;
  KsPgCopy *copy;
  guint n = 0;

  if (conn == NULL)
    return NULL;
  quoted = PQescapeIdentifier (conn, table, strlen (table));
  g_string_append (sql, quoted);
  PQfreemem (quoted);
  g_string_append (sql, " (");
  for (; columns[n] != NULL; n++)
    {
      quoted = PQescapeIdentifier (conn, columns[n], strlen (columns[n]));
      g_string_append_printf (sql, "%s%s", n ? ", " : "", quoted);
      PQfreemem (quoted);
    }
  g_string_append (sql, ") FROM STDIN");

  res = PQexec (conn, sql->str);
  if (res == NULL || PQresultStatus (res) != PGRES_COPY_IN)
    {
      ks_pg_db_check_result (db, res, error);
      return NULL;
    }
  copy = g_new0 (KsPgCopy, 1);
  copy->db = db;
  copy->conn = conn;
  copy->n_columns = n;
  copy->buf = g_string_sized_new (CHUNK + 4096);
  return copy;
}

static gboolean
send_buffer (KsPgCopy  *copy,
             GError   **error)
{
  if (copy->buf->len > 0 && PQputCopyData (copy->conn, copy->buf->str, (int) copy->buf->len) != 1)
    return ks_pg_fail (copy->conn, NULL, error);
  g_string_truncate (copy->buf, 0);
  return TRUE;
}

/* COPY's text format: backslash escapes for the delimiter, line ends and the
 * backslash itself; \N is NULL. */
static void
append_value (GString    *buf,
              const char *value)
{
  if (value == NULL)
    {
      g_string_append (buf, "\\N");
      return;
    }
  for (const char *p = value; *p; p++)
    switch (*p)
      {
      case '\\': g_string_append (buf, "\\\\"); break;
      case '\t': g_string_append (buf, "\\t"); break;
      case '\n': g_string_append (buf, "\\n"); break;
      case '\r': g_string_append (buf, "\\r"); break;
      default:   g_string_append_c (buf, *p); break;
      }
}

gboolean
ks_pg_copy_row (KsPgCopy           *copy,
                const char * const *values,
                GError            **error)
{
  for (guint i = 0; i < copy->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (copy->buf, '\t');
      append_value (copy->buf, values[i]);
    }
  g_string_append_c (copy->buf, '\n');
  return copy->buf->len < CHUNK || send_buffer (copy, error);
}

static void
copy_free (KsPgCopy *copy)
{
  PGresult *res;

  /* Read every result, so that the connection is ready for the next command. */
  while ((res = PQgetResult (copy->conn)) != NULL)
    PQclear (res);
  g_string_free (copy->buf, TRUE);
  g_free (copy);
}

gboolean
ks_pg_copy_end (KsPgCopy  *copy,
                gint64    *n_rows,
                GError   **error)
{
  g_autoptr(PGresult) res = NULL;
  gboolean ok;

  if (!send_buffer (copy, error) || PQputCopyEnd (copy->conn, NULL) != 1)
    {
      if (error == NULL || *error == NULL)
        ks_pg_fail (copy->conn, NULL, error);
      PQputCopyEnd (copy->conn, "the client could not send every row");
      copy_free (copy);
      return FALSE;
    }
  res = PQgetResult (copy->conn);
  ok = ks_pg_db_check_result (copy->db, res, error);
  if (ok && n_rows != NULL)
    *n_rows = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  copy_free (copy);
  return ok;
}

void
ks_pg_copy_abort (KsPgCopy *copy)
{
  PQputCopyEnd (copy->conn, "abandoned by the client");
  copy_free (copy);
}
