/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-args.c: statement parameters as libpq text values. */
#include "postgres/ks-pg-args.h"

int
ks_pg_args_take (KsPgArgs *args,
                 char     *text)
{
  g_assert (args->n < KS_PG_ARGS_MAX);
  args->owned[args->n] = text;
  args->values[args->n] = text;
  return ++args->n;
}

int
ks_pg_args_int_array (KsPgArgs     *args,
                      const gint64 *values,
                      guint         n_values)
{
  GString *a = g_string_new ("{");

  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (a, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", values[i]);
  g_string_append_c (a, '}');
  return ks_pg_args_take (args, g_string_free (a, FALSE));
}

int
ks_pg_args_text (KsPgArgs   *args,
                 const char *text)
{
  g_assert (args->n < KS_PG_ARGS_MAX);
  args->owned[args->n] = NULL;
  args->values[args->n] = text;
  return ++args->n;
}

int
ks_pg_args_null (KsPgArgs *args)
{
  return ks_pg_args_text (args, NULL);
}

int
ks_pg_args_int (KsPgArgs *args,
                gint64    value)
{
  return ks_pg_args_take (args, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

int
ks_pg_args_id (KsPgArgs *args,
               gint64    id)
{
  return id ? ks_pg_args_int (args, id) : ks_pg_args_null (args);
}

int
ks_pg_args_double (KsPgArgs *args,
                   double    value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return ks_pg_args_take (args, g_strdup (g_ascii_dtostr (buf, sizeof buf, value)));
}

int
ks_pg_args_bool (KsPgArgs *args,
                 gboolean  value)
{
  return ks_pg_args_text (args, value ? "t" : "f");
}

void
ks_pg_args_clear (KsPgArgs *args)
{
  for (int i = 0; i < args->n; i++)
    g_free (args->owned[i]);
  args->n = 0;
}
