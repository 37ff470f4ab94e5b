/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-server-config.c: server settings and their defaults. */
#include "http/ks-server-config.h"
#include "ks-error.h"

#include <string.h>

void
ks_server_config_init_defaults (KsServerConfig *config)
{
  memset (config, 0, sizeof *config);
  config->listen = g_strdup ("127.0.0.1:8080");
  config->bcrypt_cost = 12;
  config->session_idle = 28 * 24 * 3600;
  config->session_max_age = 30 * 24 * 3600;
  config->max_body = 8 * 1024 * 1024;
  config->threads = 0;   /* the store's default */
  config->throttle_account = 5;
  config->throttle_address = 30;
  config->throttle_window = 15 * 60;
  config->housekeeping_seconds = 3600;
  config->keep_items_ahead = TRUE;
  config->smtp_starttls = TRUE;
  config->smtp_poll_seconds = 5;
  config->notice_poll_seconds = 10;
  config->notice_delay = 60;
  config->notice_gather = 300;
  config->questionnaire_delay = 28 * 24 * 3600;
}

void
ks_server_config_clear (KsServerConfig *config)
{
  g_free (config->db_path);
  g_free (config->listen);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config->outbox_dir);
  g_free (config->media_dir);
  g_free (config->port_file);
  g_free (config->public_url);
  g_free (config->smtp_host);
  g_free (config->smtp_username);
  if (config->smtp_password)
    memset (config->smtp_password, 0, strlen (config->smtp_password));
  g_free (config->smtp_password);
  g_free (config->db_password_file);
  g_strfreev (config->open311_names);
  g_strfreev (config->open311_endpoints);
  memset (config, 0, sizeof *config);
}

void
ks_server_config_copy (KsServerConfig       *dst,
                       const KsServerConfig *src)
{
  *dst = *src;
  /* Every string field (as ks_server_config_clear() frees them). */
  dst->db_path = g_strdup (src->db_path);
  dst->db_password_file = g_strdup (src->db_password_file);
  dst->listen = g_strdup (src->listen);
  dst->tls_cert = g_strdup (src->tls_cert);
  dst->tls_key = g_strdup (src->tls_key);
  dst->outbox_dir = g_strdup (src->outbox_dir);
  dst->media_dir = g_strdup (src->media_dir);
  dst->port_file = g_strdup (src->port_file);
  dst->public_url = g_strdup (src->public_url);
  dst->smtp_host = g_strdup (src->smtp_host);
  dst->smtp_username = g_strdup (src->smtp_username);
  dst->smtp_password = g_strdup (src->smtp_password);
  dst->open311_names = g_strdupv (src->open311_names);
  dst->open311_endpoints = g_strdupv (src->open311_endpoints);
}

static void
take_string (GKeyFile *kf, const char *key, char **field)
{
  char *v = g_key_file_get_string (kf, "server", key, NULL);
  if (v != NULL)
    {
      g_free (*field);
      *field = v;
    }
}

static void
take_int (GKeyFile *kf, const char *key, gint64 *field)
{
  g_autoptr(GError) error = NULL;
  gint64 v = g_key_file_get_int64 (kf, "server", key, &error);
  if (error == NULL)
    *field = v;
}

gboolean
ks_server_config_load_file (KsServerConfig *config,
                            const char     *path,
                            GError        **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  gint64 v;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return FALSE;
  take_string (kf, "db", &config->db_path);
  take_string (kf, "listen", &config->listen);
  take_string (kf, "tls-cert", &config->tls_cert);
  take_string (kf, "tls-key", &config->tls_key);
  take_string (kf, "outbox", &config->outbox_dir);
  take_string (kf, "media", &config->media_dir);
  take_string (kf, "public-url", &config->public_url);
  v = config->bcrypt_cost; take_int (kf, "bcrypt-cost", &v); config->bcrypt_cost = v;
  take_int (kf, "session-idle", &config->session_idle);
  take_int (kf, "session-max-age", &config->session_max_age);
  v = config->max_body; take_int (kf, "max-body", &v); config->max_body = v;
  v = config->threads; take_int (kf, "threads", &v); config->threads = v;
  v = config->throttle_account; take_int (kf, "throttle-account", &v); config->throttle_account = v;
  v = config->throttle_address; take_int (kf, "throttle-address", &v); config->throttle_address = v;
  take_int (kf, "throttle-window", &config->throttle_window);
  take_int (kf, "housekeeping-seconds", &config->housekeeping_seconds);
  if (config->housekeeping_seconds < 1)
    config->housekeeping_seconds = 1;
  if (g_key_file_has_key (kf, "server", "keep-items-ahead", NULL))
    {
      g_autoptr(GError) bool_error = NULL;
      gboolean on = g_key_file_get_boolean (kf, "server", "keep-items-ahead", &bool_error);

      if (bool_error != NULL)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "[server] keep-items-ahead must be true or false.");
          return FALSE;
        }
      config->keep_items_ahead = on;
    }

  /* [database]: uri (a PostgreSQL URI or a SQLite file, as --db) and
   * password-file; the password never goes on a command line. */
  if (g_key_file_has_group (kf, "database"))
    {
      char *uri = g_key_file_get_string (kf, "database", "uri", NULL);
      char *password_file = g_key_file_get_string (kf, "database", "password-file", NULL);

      if (uri != NULL)
        {
          g_free (config->db_path);
          config->db_path = uri;
        }
      if (password_file != NULL)
        {
          g_free (config->db_password_file);
          config->db_password_file = password_file;
        }
    }

  if (g_key_file_has_group (kf, "smtp"))
    {
      g_autoptr(GError) local = NULL;
      gboolean starttls;

      config->smtp_host = g_key_file_get_string (kf, "smtp", "host", NULL);
      config->smtp_username = g_key_file_get_string (kf, "smtp", "username", NULL);
      config->smtp_password = g_key_file_get_string (kf, "smtp", "password", NULL);
      starttls = g_key_file_get_boolean (kf, "smtp", "starttls", &local);
      if (local == NULL)
        config->smtp_starttls = starttls;
      g_clear_error (&local);
      v = g_key_file_get_integer (kf, "smtp", "port", &local);
      if (local == NULL)
        config->smtp_port = v;
      g_clear_error (&local);
      v = g_key_file_get_integer (kf, "smtp", "poll-seconds", &local);
      if (local == NULL && v > 0)
        config->smtp_poll_seconds = v;
      if (config->smtp_host != NULL && config->smtp_port <= 0)
        config->smtp_port = config->smtp_starttls ? 587 : 25;
      if (config->smtp_port < 0 || config->smtp_port > 65535)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "[smtp] port must be from 1 to 65535.");
          return FALSE;
        }
    }

  /* [mail]: when the emails to residents go (seconds). */
  {
    static const struct { const char *key; gsize offset; gint64 min; } mail_keys[] = {
      { "poll-seconds", G_STRUCT_OFFSET (KsServerConfig, notice_poll_seconds), 1 },
      { "delay", G_STRUCT_OFFSET (KsServerConfig, notice_delay), 0 },
      { "gather", G_STRUCT_OFFSET (KsServerConfig, notice_gather), 0 },
      { "questionnaire-delay", G_STRUCT_OFFSET (KsServerConfig, questionnaire_delay), 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (mail_keys) && g_key_file_has_group (kf, "mail"); i++)
      {
        g_autoptr(GError) local = NULL;
        gint64 n = g_key_file_get_int64 (kf, "mail", mail_keys[i].key, &local);

        if (local != NULL && g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
          continue;
        if (local != NULL || n < mail_keys[i].min || n > G_MAXINT)
          {
            g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                         "[mail] %s must be a whole number of seconds, at least %" G_GINT64_FORMAT ".",
                         mail_keys[i].key, mail_keys[i].min);
            return FALSE;
          }
        if (i == 0)
          G_STRUCT_MEMBER (int, config, mail_keys[i].offset) = (int) n;
        else
          G_STRUCT_MEMBER (gint64, config, mail_keys[i].offset) = n;
      }
  }
  return TRUE;
}
