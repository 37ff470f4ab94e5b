/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-args.h: the parameters of one statement ($1, $2...) as libpq's text
 * values, built up in order: integers and doubles formatted, 0 ids as NULL. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_PG_ARGS_MAX 64

typedef struct {
  int          n;
  const char  *values[KS_PG_ARGS_MAX];
  char        *owned[KS_PG_ARGS_MAX];
} KsPgArgs;

#define KS_PG_ARGS_INIT { 0 }

/* Each adds the next parameter and returns its number ($n), for SQL built at
 * run time. */
int  ks_pg_args_text   (KsPgArgs *args, const char *text);   /* NULL: SQL NULL */
int  ks_pg_args_int    (KsPgArgs *args, gint64 value);
int  ks_pg_args_id     (KsPgArgs *args, gint64 id);          /* 0: SQL NULL */
int  ks_pg_args_double (KsPgArgs *args, double value);
int  ks_pg_args_bool   (KsPgArgs *args, gboolean value);     /* "t" / "f" */
int  ks_pg_args_null   (KsPgArgs *args);
/* Takes text (g_free'd with the args). */
int  ks_pg_args_take   (KsPgArgs *args, char *text);
/* The values as one array literal ("{1,2,3}"), for $n::bigint[]. */
int  ks_pg_args_int_array (KsPgArgs *args, const gint64 *values, guint n_values);

void ks_pg_args_clear  (KsPgArgs *args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsPgArgs, ks_pg_args_clear)

G_END_DECLS
