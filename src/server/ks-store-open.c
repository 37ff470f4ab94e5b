/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open.c: picks the store for a --db value, and keeps a PostgreSQL
 * password out of command lines and logs. */
#include "config.h"
#include "ks-store-open.h"
#include "ks-error.h"
#include "sqlite/ks-sqlite-store.h"
#if HAVE_POSTGRESQL
#include "postgres/ks-pg-store.h"
#include <libpq-fe.h>
#endif

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

gboolean
ks_store_db_is_postgresql (const char *db)
{
  return db != NULL && (g_str_has_prefix (db, "postgresql://") || g_str_has_prefix (db, "postgres://"));
}

gboolean
ks_store_db_has_password (const char *db)
{
  gboolean found = FALSE;

  if (!ks_store_db_is_postgresql (db))
    return FALSE;
#if HAVE_POSTGRESQL
  {
    PQconninfoOption *options = PQconninfoParse (db, NULL);

    for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
      if (strcmp (o->keyword, "password") == 0 && o->val != NULL && *o->val != '\0')
        found = TRUE;
    PQconninfoFree (options);
  }
#else
  /* Without libpq, a user:password@ part is the only way to tell. */
  {
    const char *at = strchr (db, '@'), *colon = strchr (db + strlen ("postgres://"), ':');
    found = at != NULL && colon != NULL && colon < at;
  }
#endif
  return found;
}

char *
ks_store_db_display (const char *db)
{
  g_autoptr(GString) out = NULL;
  const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;

  if (db == NULL)
    return g_strdup ("(none)");
  if (!ks_store_db_has_password (db))
    return g_strdup (db);
#if HAVE_POSTGRESQL
  {
    PQconninfoOption *options = PQconninfoParse (db, NULL);

    for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
      {
        if (o->val == NULL || *o->val == '\0')
          continue;
        if (strcmp (o->keyword, "user") == 0) user = o->val;
        else if (strcmp (o->keyword, "host") == 0) host = o->val;
        else if (strcmp (o->keyword, "port") == 0) port = o->val;
        else if (strcmp (o->keyword, "dbname") == 0) dbname = o->val;
      }
    out = g_string_new ("postgresql://");
    if (user)
      g_string_append_printf (out, "%s:***@", user);
    if (host && host[0] != '/')
      g_string_append (out, host);
    if (port)
      g_string_append_printf (out, ":%s", port);
    g_string_append_printf (out, "/%s", dbname ? dbname : "");
    if (host && host[0] == '/')
      g_string_append_printf (out, "?host=%s", host);
    PQconninfoFree (options);
    return g_string_free (g_steal_pointer (&out), FALSE);
  }
#else
  (void) user; (void) host; (void) port; (void) dbname;
  return g_strdup ("postgresql://***");
#endif
}

char *
ks_store_read_password_file (const char  *path,
                             GError     **error)
{
  g_autofree char *text = NULL;
  struct stat st;
  char *nl;

  if (stat (path, &st) != 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "The database password file %s: %s.",
                   path, g_strerror (errno));
      return NULL;
    }
  if (st.st_mode & S_IROTH)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The database password file %s can be read by every user of the machine. "
                   "Make it readable by the server alone: chmod 600 %s (or 640 for its group).",
                   path, path);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  nl = strpbrk (text, "\r\n");
  if (nl != NULL)
    *nl = '\0';
  if (*text == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The database password file %s is empty: write the password on its first line.",
                   path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

KsStore *
ks_store_open (const char  *db,
               const char  *password,
               GError     **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  if (ks_store_db_is_postgresql (db))
    {
#if HAVE_POSTGRESQL
      return ks_pg_store_new (db, password, error);
#else
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "This kerbside-server was built without PostgreSQL: install libpq-dev "
                   "and build it again (meson setup --reconfigure -Dpostgresql=enabled).");
      return NULL;
#endif
    }
  return ks_sqlite_store_new (db, error);
}
