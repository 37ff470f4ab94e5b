/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-json.c: columns of a SQLite row written straight into JSON. */
#define G_LOG_DOMAIN "ks-sqlite-json"

#include "sqlite/ks-sqlite-json.h"

void
ks_sqlite_write_column (KsJsonWriter *w,
                        sqlite3_stmt *s,
                        int           i)
{
  switch (sqlite3_column_type (s, i))
    {
    case SQLITE_INTEGER:
      ks_json_writer_int (w, sqlite3_column_int64 (s, i));
      break;
    case SQLITE_FLOAT:
      ks_json_writer_double (w, sqlite3_column_double (s, i));
      break;
    case SQLITE_NULL:
      ks_json_writer_null (w);
      break;
    default:
      ks_json_writer_string_len (w, (const char *) sqlite3_column_text (s, i),
                                 sqlite3_column_bytes (s, i));
    }
}
