/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-config.c: reads [send-on] and [open311 NAME] (ks-send-on-config.h). */
#define G_LOG_DOMAIN "ks-send-on"

#include "sendon/ks-send-on-config.h"
#include "ks-error.h"

#include <string.h>

#define OPEN311_GROUP "open311 "

KsOpen311Endpoint *
ks_open311_endpoint_new (const char *name, const char *endpoint, const char *api_key,
                         const char *jurisdiction_id, gboolean idempotent)
{
  KsOpen311Endpoint *e = g_new0 (KsOpen311Endpoint, 1);

  e->name = g_strdup (name);
  e->endpoint = g_strdup (endpoint);
  e->api_key = g_strdup (api_key);
  e->jurisdiction_id = g_strdup (jurisdiction_id);
  e->service_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->idempotent = idempotent;
  return e;
}

void
ks_open311_endpoint_free (KsOpen311Endpoint *e)
{
  if (e == NULL)
    return;

  g_free (e->name);
  g_free (e->endpoint);
  g_free (e->api_key);
  g_free (e->jurisdiction_id);
  g_clear_pointer (&e->service_codes, g_hash_table_unref);
  g_free (e);
}

static gboolean
read_int (GKeyFile *kf, const char *key, gint64 min, gint64 *value, GError **error)
{
  g_autoptr(GError) local = NULL;
  gint64 v;

  if (!g_key_file_has_key (kf, "send-on", key, NULL))
    return TRUE;
  v = g_key_file_get_int64 (kf, "send-on", key, &local);
  if (local != NULL || v < min)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "[send-on] %s must be a whole number, at least %" G_GINT64_FORMAT ".", key, min);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

static gboolean
read_endpoint (GKeyFile *kf, const char *group, KsSendOnConfig *config, GError **error)
{
  KsOpen311Endpoint *e = g_new0 (KsOpen311Endpoint, 1);
  g_auto(GStrv) codes = NULL;

  e->name = g_strdup (group + strlen (OPEN311_GROUP));
  g_strstrip (e->name);
  e->endpoint = g_key_file_get_string (kf, group, "endpoint", NULL);
  e->api_key = g_key_file_get_string (kf, group, "api_key", NULL);
  e->jurisdiction_id = g_key_file_get_string (kf, group, "jurisdiction_id", NULL);
  e->idempotent = g_key_file_get_boolean (kf, group, "idempotent", NULL);
  e->service_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (*e->name == '\0' || e->endpoint == NULL ||
      !(g_str_has_prefix (e->endpoint, "http://") || g_str_has_prefix (e->endpoint, "https://")))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "[%s] needs a name and an endpoint, the http:// or https:// address of the "
                   "contractor's Open311 service (the part before requests.json).", group);
      ks_open311_endpoint_free (e);
      return FALSE;
    }
  /* service_code.OURS = THEIRS */
  codes = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    if (g_str_has_prefix (codes[i], "service_code."))
      g_hash_table_insert (e->service_codes, g_strdup (codes[i] + strlen ("service_code.")),
                           g_key_file_get_string (kf, group, codes[i], NULL));
  g_hash_table_replace (config->endpoints, e->name, e);
  return TRUE;
}

gboolean
ks_send_on_config_load (KsSendOnConfig *config, const char *path, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  gint64 poll = 10, retry = 60, retry_max = 6 * 3600, attempts = 10, updates = 300, timeout = 30;

  memset (config, 0, sizeof *config);
  config->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ks_open311_endpoint_free);
  if (path != NULL)
    {
      if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
        return FALSE;
      if (!read_int (kf, "poll-seconds", 1, &poll, error) ||
          !read_int (kf, "retry-seconds", 1, &retry, error) ||
          !read_int (kf, "retry-max-seconds", 1, &retry_max, error) ||
          !read_int (kf, "max-attempts", 1, &attempts, error) ||
          !read_int (kf, "updates-seconds", 1, &updates, error) ||
          !read_int (kf, "timeout-seconds", 1, &timeout, error))
        return FALSE;
      groups = g_key_file_get_groups (kf, NULL);
      for (guint i = 0; groups[i] != NULL; i++)
        if (g_str_has_prefix (groups[i], OPEN311_GROUP) &&
            !read_endpoint (kf, groups[i], config, error))
          return FALSE;
    }
  config->poll_seconds = (int) MIN (poll, 86400);
  config->retry_seconds = retry;
  config->retry_max_seconds = MAX (retry_max, retry);
  config->max_attempts = (int) MIN (attempts, 1000);
  config->updates_seconds = (int) MIN (updates, 86400);
  config->timeout_seconds = (int) MIN (timeout, 3600);
  return TRUE;
}

void
ks_send_on_config_clear (KsSendOnConfig *config)
{
  g_clear_pointer (&config->endpoints, g_hash_table_unref);
}

const KsOpen311Endpoint *
ks_send_on_config_endpoint (const KsSendOnConfig *config, const char *destination)
{
  if (!g_str_has_prefix (destination, "open311:"))
    return NULL;
  return g_hash_table_lookup (config->endpoints, destination + strlen ("open311:"));
}

static gint
compare_names (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
ks_send_on_config_names (const KsSendOnConfig *config, char ***out_names, char ***out_endpoints)
{
  g_autofree const char **keys = NULL;
  guint n = 0;

  keys = (const char **) g_hash_table_get_keys_as_array (config->endpoints, &n);
  g_qsort_with_data (keys, n, sizeof (char *), compare_names, NULL);
  *out_names = g_new0 (char *, n + 1);
  *out_endpoints = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const KsOpen311Endpoint *e = g_hash_table_lookup (config->endpoints, keys[i]);
      (*out_names)[i] = g_strdup (keys[i]);
      (*out_endpoints)[i] = g_strdup (e->endpoint);
    }
}
