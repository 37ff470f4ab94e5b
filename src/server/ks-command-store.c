/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-command-store.c: the database of a kerbside-server command, from --db or the
 * server's configuration file, and the council it names. */
#define G_LOG_DOMAIN "kerbside-server"

#include "ks-command-store.h"
#include "http/ks-server-config.h"
#include "ks-store-open.h"

#include <string.h>

void
ks_command_store_clear (KsCommandStore *args)
{
  g_clear_pointer (&args->db, g_free);
  g_clear_pointer (&args->config, g_free);
}

gboolean
ks_command_refuse_password (const char *command,
                            const char *db)
{
  if (!ks_store_db_has_password (db))
    return FALSE;
  g_printerr ("kerbside-server %s: do not put the database password in --db: every user of "
              "this machine can read a command line. Give it in the configuration file "
              "([database] password-file, with --config FILE), in PGPASSWORD, or in "
              "~/.pgpass.\n", command);
  return TRUE;
}

KsStore *
ks_command_open_store (const char     *command,
                       KsCommandStore *args,
                       int            *out_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  KsServerConfig config;
  KsStore *store = NULL;

  *out_status = 2;
  if (args->db != NULL && ks_command_refuse_password (command, args->db))
    return NULL;
  ks_server_config_init_defaults (&config);
  if (args->config != NULL && !ks_server_config_load_file (&config, args->config, &error))
    {
      g_printerr ("kerbside-server %s: could not read %s: %s\n", command, args->config,
                  error->message);
      goto out;
    }
  if (args->db == NULL)
    args->db = g_steal_pointer (&config.db_path);
  if (args->db == NULL)
    {
      g_printerr ("kerbside-server %s: give the database with --db FILE, --db "
                  "postgresql://... or --config FILE (the server's configuration).\n", command);
      goto out;
    }
  *out_status = 1;
  if (config.db_password_file != NULL &&
      (password = ks_store_read_password_file (config.db_password_file, &error)) == NULL)
    {
      g_printerr ("kerbside-server %s: %s\n", command, error->message);
      goto out;
    }
  store = ks_store_open (args->db, password, &error);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  if (store == NULL)
    g_printerr ("kerbside-server %s: %s\n", command, error->message);
  else
    *out_status = 0;
out:
  ks_server_config_clear (&config);
  return store;
}

/* The council whose name is council (any case); 0 when none is. */
static gboolean
find_by_name (KsStore     *store,
              GArray      *ids,
              const char  *council,
              gint64      *out_id,
              GError     **error)
{
  *out_id = 0;
  for (guint i = 0; i < ids->len && *out_id == 0; i++)
    {
      g_auto(KsBodyRow) b = { 0 };
      g_autofree char *a = NULL, *want = NULL;

      if (!ks_store_admin_get_body (store, g_array_index (ids, gint64, i), &b, error))
        return FALSE;
      a = g_utf8_casefold (b.name, -1);
      want = g_utf8_casefold (council, -1);
      if (strcmp (a, want) == 0)
        *out_id = b.id;
    }
  return TRUE;
}

gint64
ks_command_find_council (KsStore    *store,
                         const char *command,
                         const char *council)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(KsOpen311Body) body = { 0 };
  gboolean found = FALSE;
  char *end = NULL;
  gint64 id;

  if (council == NULL || *council == '\0')
    {
      g_printerr ("kerbside-server %s: say which council with --council ID, SLUG or NAME "
                  "(see kerbside-server council list).\n", command);
      return 0;
    }
  if (!ks_store_councils_list_bodies (store, &ids, &error))
    goto failed;
  id = g_ascii_strtoll (council, &end, 10);
  if (end != NULL && end != council && *end == '\0' && id > 0)
    {
      for (guint i = 0; i < ids->len; i++)
        if (g_array_index (ids, gint64, i) == id)
          return id;
    }
  else
    {
      if (!ks_store_open311_find_body (store, council, &found, &body, &error))
        goto failed;
      if (found)
        return body.id;
      if (!find_by_name (store, ids, council, &id, &error))
        goto failed;
      if (id != 0)
        return id;
    }
  g_printerr ("kerbside-server %s: there is no council “%s”. See kerbside-server council "
              "list, or create it with kerbside-server council create.\n", command, council);
  return 0;

failed:
  g_printerr ("kerbside-server %s: %s\n", command, error->message);
  return 0;
}
