/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-key.c: issuing and revoking Open311 clients' API keys. */
#include "auth/ks-api-key.h"
#include "auth/ks-token.h"
#include "ks-json-writer.h"

/* The audit details: {"name": name, "via": via}, each when given; NULL when neither. */
static char *
details (const char *name,
         const char *via)
{
  g_autoptr(GString) s = NULL;
  KsJsonWriter w;

  if (name == NULL && via == NULL)
    return NULL;
  s = g_string_new (NULL);
  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  if (name != NULL)
    ks_json_writer_member_string (&w, "name", name);
  if (via != NULL)
    ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
ks_api_key_issue (KsStore            *store,
                  const KsPrincipal  *who,
                  const char         *via,
                  gint64              body_id,
                  const char         *name,
                  gint64             *out_id,
                  char              **out_token,
                  GError            **error)
{
  g_autofree char *token = ks_token_generate ();
  g_autofree char *hash = ks_token_hash (token);
  g_autofree char *what = details (name, via);

  if (!ks_store_open311_create_api_key (store, body_id, name, hash, out_id, error) ||
      !ks_store_audit (store, who, body_id, "api_key_create", "api_key", *out_id, what, error))
    return FALSE;
  *out_token = g_steal_pointer (&token);
  return TRUE;
}

gboolean
ks_api_key_revoke (KsStore           *store,
                   const KsPrincipal *who,
                   const char        *via,
                   KsApiKey          *key,
                   GError           **error)
{
  g_autofree char *what = details (NULL, via);
  gint64 id = key->id;
  gboolean found = FALSE;

  if (key->revoked != 0)
    return TRUE;
  ks_api_key_clear (key);
  if (!ks_store_open311_revoke_api_key (store, id, error) ||
      !ks_store_open311_get_api_key (store, id, &found, key, error))
    return FALSE;
  return ks_store_audit (store, who, key->body_id, "api_key_revoke", "api_key", id, what, error);
}

gboolean
ks_api_key_set_notify_residents (KsStore           *store,
                                 const KsPrincipal *who,
                                 const char        *via,
                                 KsApiKey          *key,
                                 gboolean           notify,
                                 GError           **error)
{
  g_autoptr(GString) what = g_string_new (NULL);
  gint64 id = key->id, body_id = key->body_id;
  gboolean found = FALSE;
  KsJsonWriter w;

  ks_json_writer_init (&w, what);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_bool (&w, "notify_residents", notify);
  if (via != NULL)
    ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_end_object (&w);
  if (!ks_store_notices_set_client_notify (store, id, notify, error) ||
      !ks_store_audit (store, who, body_id, "update_api_key", "api_key", id, what->str, error))
    return FALSE;
  ks_api_key_clear (key);
  return ks_store_open311_get_api_key (store, id, &found, key, error);
}
