/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-json-writer.h: a fast streaming JSON writer over a GString.
 *
 * Written by hand rather than with json-glib's builder because the server's hot
 * paths (report lists and sync dumps) spend most of their time building JSON, and
 * json-glib's node tree costs several times more time and memory there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GString *str;
  guint    depth;
  guint64  need_comma; /* bit per nesting level: an element was written at this level */
  gboolean after_key;
} KsJsonWriter;

void   ks_json_writer_init         (KsJsonWriter *w, GString *str);
void   ks_json_writer_begin_object (KsJsonWriter *w);
void   ks_json_writer_end_object   (KsJsonWriter *w);
void   ks_json_writer_begin_array  (KsJsonWriter *w);
void   ks_json_writer_end_array    (KsJsonWriter *w);
void   ks_json_writer_key          (KsJsonWriter *w, const char *key);
/* A key given encoded, with its quotes and colon: KS_JSON_WRITER_KEY (w, "id") for
 * a key known when compiling (plain ASCII with nothing to escape), which the hot
 * paths write without escaping it again each time. */
void   ks_json_writer_key_encoded  (KsJsonWriter *w, const char *encoded, gsize len);
#define KS_JSON_WRITER_KEY(w, key) \
  ks_json_writer_key_encoded ((w), "\"" key "\":", sizeof ("\"" key "\":") - 1)
void   ks_json_writer_string       (KsJsonWriter *w, const char *value); /* NULL writes null */
void   ks_json_writer_string_len   (KsJsonWriter *w, const char *value, gssize len);
void   ks_json_writer_int          (KsJsonWriter *w, gint64 value);
void   ks_json_writer_double       (KsJsonWriter *w, double value);
void   ks_json_writer_bool         (KsJsonWriter *w, gboolean value);
void   ks_json_writer_null         (KsJsonWriter *w);
/* Writes an already-encoded JSON value verbatim. */
void   ks_json_writer_raw          (KsJsonWriter *w, const char *json);
void   ks_json_writer_raw_len      (KsJsonWriter *w, const char *json, gsize len);
/* Writes an already-encoded JSON object but for its closing brace, and stays
 * inside it: members written next are added to it, and
 * ks_json_writer_end_object closes it. Adds to a kept object without copying
 * it twice. */
void   ks_json_writer_reopen_object (KsJsonWriter *w, const char *json, gsize len);
/* A W3C/ISO 8601 UTC timestamp ("2025-03-01T12:00:00Z") from Unix seconds; 0 writes null. */
void   ks_json_writer_timestamp    (KsJsonWriter *w, gint64 unix_seconds);

/* Shorthands for "key": value */
void   ks_json_writer_member_string    (KsJsonWriter *w, const char *key, const char *value);
void   ks_json_writer_member_int       (KsJsonWriter *w, const char *key, gint64 value);
void   ks_json_writer_member_double    (KsJsonWriter *w, const char *key, double value);
void   ks_json_writer_member_bool      (KsJsonWriter *w, const char *key, gboolean value);
void   ks_json_writer_member_null      (KsJsonWriter *w, const char *key);
void   ks_json_writer_member_timestamp (KsJsonWriter *w, const char *key, gint64 unix_seconds);

/* Appends s to str as a JSON string literal, quotes included. */
void   ks_json_escape_append (GString *str, const char *s, gssize len);

G_END_DECLS
