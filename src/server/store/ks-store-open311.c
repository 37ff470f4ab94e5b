/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open311.c: dispatchers of the store's Open311 operations. */
#define G_LOG_DOMAIN "ks-store"

#include "store/ks-store.h"
#include "ks-states.h"
#include "ks-time.h"

void
ks_open311_body_clear (KsOpen311Body *body)
{
  g_clear_pointer (&body->slug, g_free);
  g_clear_pointer (&body->name, g_free);
  g_clear_pointer (&body->email, g_free);
}

void
ks_open311_service_clear (KsOpen311Service *service)
{
  g_clear_pointer (&service->code, g_free);
  g_clear_pointer (&service->name, g_free);
  g_clear_pointer (&service->group_name, g_free);
  g_clear_pointer (&service->description, g_free);
  g_clear_pointer (&service->extra, g_free);
}

void
ks_open311_service_free (KsOpen311Service *service)
{
  if (service == NULL)
    return;
  ks_open311_service_clear (service);
  g_free (service);
}

void
ks_api_key_clear (KsApiKey *key)
{
  g_clear_pointer (&key->body_slug, g_free);
  g_clear_pointer (&key->name, g_free);
}

void
ks_api_key_free (KsApiKey *key)
{
  if (key == NULL)
    return;
  ks_api_key_clear (key);
  g_free (key);
}

void
ks_open311_report_info_clear (KsOpen311ReportInfo *info)
{
  g_clear_pointer (&info->state, g_free);
}

GPtrArray *
ks_open311_status_states (KsOpen311StatusFilter status)
{
  GPtrArray *ids = g_ptr_array_new ();

  if (status == KS_OPEN311_STATUS_ANY)
    return ids;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      gboolean keep = status == KS_OPEN311_STATUS_OPEN
        ? s->kind == KS_STATE_KIND_OPEN
        : (s->kind == KS_STATE_KIND_FIXED || s->kind == KS_STATE_KIND_CLOSED);
      if (keep)
        g_ptr_array_add (ids, (gpointer) s->id);
    }
  return ids;
}

gboolean ks_store_open311_find_body (KsStore *self, const char *slug, gboolean *found, KsOpen311Body *out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, find_body, slug, found, out, error); }
gboolean ks_store_open311_list_services (KsStore *self, gint64 body_id, GPtrArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, list_services, body_id, out, error); }
gboolean ks_store_open311_get_service (KsStore *self, gint64 body_id, const char *code, gboolean *found, KsOpen311Service *out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, get_service, body_id, code, found, out, error); }
gboolean ks_store_open311_foreach_request (KsStore *self, const KsOpen311Query *q, KsOpen311RequestFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, open311, foreach_request, q, func, user_data, error); }
gboolean ks_store_open311_foreach_update (KsStore *self, gint64 body_id, gint64 start, gint64 end, guint limit, KsOpen311UpdateFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, open311, foreach_update, body_id, start, end, limit, func, user_data, error); }
gboolean ks_store_open311_get_report_info (KsStore *self, gint64 report_id, gboolean *found, KsOpen311ReportInfo *out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, get_report_info, report_id, found, out, error); }
/* A new report is sent on to its category's destination. */
gboolean ks_store_open311_create_request (KsStore *self, const KsOpen311NewRequest *request, gint64 *out_id, GError **error)
{
  return KS_STORE_DISPATCH (self, open311, create_request, request, out_id, error) &&
         ks_store_sendings_note (self, *out_id, ks_time_now (), error);
}
gboolean ks_store_open311_find_client_update (KsStore *self, gint64 report_id, const char *external_id, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, open311, find_client_update, report_id, external_id, out_id, error); }
gboolean ks_store_open311_add_update (KsStore *self, const KsOpen311NewUpdate *update, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, open311, add_update, update, out_id, error); }
gboolean ks_store_open311_foreach_media (KsStore *self, gint64 report_id, KsOpen311MediaFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, open311, foreach_media, report_id, func, user_data, error); }
gboolean ks_store_open311_create_api_key (KsStore *self, gint64 body_id, const char *name, const char *key_hash, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, open311, create_api_key, body_id, name, key_hash, out_id, error); }
/* How often a key's last_used time is written, at most. */
#define KEY_TOUCH_SECONDS 60

gboolean
ks_store_open311_find_api_key (KsStore *self, const char *key_hash, gboolean touch,
                               gboolean *found, KsApiKey *out, GError **error)
{
  gint64 now = ks_time_now ();

  if (!KS_STORE_DISPATCH (self, open311, find_api_key, key_hash, found, out, error))
    return FALSE;
  if (*found && touch && now - out->last_used >= KEY_TOUCH_SECONDS)
    {
      g_autoptr(GError) local = NULL;
      /* Only a record of use: a busy database must not refuse the request. */
      if (!KS_STORE_DISPATCH (self, open311, touch_api_key, out->id, now, &local))
        g_debug ("Could not record the use of API key %" G_GINT64_FORMAT ": %s",
                 out->id, local->message);
      else
        out->last_used = now;
    }
  return TRUE;
}
gboolean ks_store_open311_get_api_key (KsStore *self, gint64 id, gboolean *found, KsApiKey *out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, get_api_key, id, found, out, error); }
gboolean ks_store_open311_list_api_keys (KsStore *self, gint64 body_id, GPtrArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, open311, list_api_keys, body_id, out, error); }
gboolean ks_store_open311_revoke_api_key (KsStore *self, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, open311, revoke_api_key, id, error); }
gboolean ks_store_open311_claim_idempotency (KsStore *self, gint64 api_key_id, const char *key, const char *request_hash, gint64 now, gint64 since, gboolean *out_claimed, char **out_hash, guint *out_status, char **out_response, GError **error)
{ return KS_STORE_DISPATCH (self, open311, claim_idempotency, api_key_id, key, request_hash, now, since, out_claimed, out_hash, out_status, out_response, error); }
gboolean ks_store_open311_answer_idempotency (KsStore *self, gint64 api_key_id, const char *key, guint status, const char *response, GError **error)
{ return KS_STORE_DISPATCH (self, open311, answer_idempotency, api_key_id, key, status, response, error); }
