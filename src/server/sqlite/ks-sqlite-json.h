/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-json.h: columns of a SQLite row written straight into JSON. */
#pragma once

#include "sqlite/ks-sqlite-db.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

/* Writes column i of s to w as its natural JSON type (integer, real, text or null). */
void      ks_sqlite_write_column (KsJsonWriter *w, sqlite3_stmt *s, int i);
/* "key": column i of s as a string, or null. */
static inline void
ks_sqlite_member_text (KsJsonWriter *w, const char *key, sqlite3_stmt *s, int i)
{
  ks_json_writer_key (w, key);
  if (ks_col_null (s, i))
    ks_json_writer_null (w);
  else
    ks_json_writer_string_len (w, ks_col_text (s, i), sqlite3_column_bytes (s, i));
}
/* "key": column i of s as an integer, or null. */
static inline void
ks_sqlite_member_id (KsJsonWriter *w, const char *key, sqlite3_stmt *s, int i)
{
  ks_json_writer_key (w, key);
  if (ks_col_null (s, i))
    ks_json_writer_null (w);
  else
    ks_json_writer_int (w, ks_col_int (s, i));
}

G_END_DECLS
