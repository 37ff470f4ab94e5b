/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-open311-destinations.c: GET, POST /api/v1/open311-destinations and PATCH
 * /api/v1/open311-destinations/{id}: a council's Open311 destinations, edited by
 * those who edit categories. The api key is write-only: an answer says whether
 * there is one and its last four characters. The list also shows the [open311
 * NAME] groups of the server's configuration, and which of them a database entry
 * of the same name replaces. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-api-open311-destinations.h"
#include "api/ks-wire-admin.h"
#include "http/ks-server-config.h"
#include "ks-json-writer.h"

#include <string.h>

#define MAX_KEY_LENGTH  1024
/* Keys shorter than this show no last characters (they would give most of it away). */
#define MIN_KEY_FOR_HINT 8

gboolean
ks_api_open311_destination_parse_key (KsRequest *req, JsonObject *obj, gboolean create,
                                      KsAdminRow *row)
{
  const char *key = NULL;
  gboolean set = FALSE;
  glong chars;

  if (!create && json_object_has_member (obj, "name"))
    {
      ks_request_error (req, 422, "invalid",
                        "The name of an Open311 destination cannot be changed, since categories "
                        "name it: add one with the new name, move the categories to it, and turn "
                        "this one off.");
      return FALSE;
    }

  if (!ks_api_admin_get_nullable_text (req, obj, "api_key", MAX_KEY_LENGTH, &set, &key))
    return FALSE;
  if (!set)
    return TRUE;
  if (key == NULL)
    {
      ks_admin_row_set_null (row, "api_key");
      ks_admin_row_set_number (row, "api_key_set", 0);
      ks_admin_row_set_null (row, "api_key_last4");
      return TRUE;
    }
  for (const char *p = key; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      {
        ks_request_error (req, 422, "invalid",
                          "The api key may not have spaces or control characters.");
        return FALSE;
      }
  if (*key == '\0')
    {
      ks_request_error (req, 422, "invalid",
                        "The api key is empty: give the key, or null to remove it.");
      return FALSE;
    }
  chars = g_utf8_strlen (key, -1);
  ks_admin_row_set_text (row, "api_key", key);
  ks_admin_row_set_number (row, "api_key_set", 1);
  if (chars >= MIN_KEY_FOR_HINT)
    ks_admin_row_set_text (row, "api_key_last4", g_utf8_offset_to_pointer (key, chars - 4));
  else
    ks_admin_row_set_null (row, "api_key_last4");
  return TRUE;
}

static gboolean
in_config (KsRequest *req, const char *name)
{
  return req->config->open311_names != NULL &&
         g_strv_contains ((const char * const *) req->config->open311_names, name);
}

gboolean
ks_api_open311_destination_check (KsRequest *req, gint64 body_id, const char *destination)
{
  g_auto(KsSendingDestination) d = { 0 };
  g_autoptr(GError) error = NULL;
  const char *name;
  gboolean found = FALSE;

  if (destination == NULL || !g_str_has_prefix (destination, "open311:"))
    return TRUE;
  name = destination + strlen ("open311:");
  if (in_config (req, name))
    return TRUE;
  if (!ks_store_sendings_destination (req->store, body_id, name, &found, &d, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (found)
    return TRUE;
  ks_request_error (req, 422, "invalid",
                    "This council has no active Open311 destination called “%s”: add it (or "
                    "turn it on again) under Open311 destinations first, or use the name of an "
                    "[open311 NAME] group of the server's configuration.", name);
  return FALSE;
}

static void handle_create (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_OPEN311_DESTINATION); }
static void handle_update (KsRequest *req) { ks_api_admin_update (req, KS_ADMIN_OBJECT_OPEN311_DESTINATION); }

/* {"open311_destinations": [the council's], "next_cursor": null,
 *  "configured": [{"name", "endpoint", "source": "config", "replaced": bool}]}. */
static void
handle_list (KsRequest *req)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_OPEN311_DESTINATION);
  const KsAdminQuery all = KS_ADMIN_QUERY_INIT;
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ours = g_hash_table_new (g_str_hash, g_str_equal);
  char **names = req->config->open311_names;
  char **endpoints = req->config->open311_endpoints;
  gint64 body_id = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  if (!ks_store_admin_list (req->store, kind->object, body_id, &all, rows, NULL, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, kind->list_key);
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < rows->len; i++)
    {
      const KsAdminRow *row = &g_array_index (rows, KsAdminRow, i);

      ks_admin_write_row (&w, row);
      if (ks_admin_row_get (row, "active")->number)
        g_hash_table_add (ours, ks_admin_row_get (row, "name")->text);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_key (&w, "next_cursor");
  ks_json_writer_null (&w);
  ks_json_writer_key (&w, "configured");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "name", names[i]);
      ks_json_writer_member_string (&w, "endpoint", endpoints[i]);
      ks_json_writer_member_string (&w, "source", "config");
      /* An active database entry of the same name is used instead (body_id 0: any council's). */
      ks_json_writer_member_bool (&w, "replaced", g_hash_table_contains (ours, names[i]));
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

void
ks_api_open311_destinations_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/open311-destinations", 0, KS_PERM_EDIT_CATEGORIES, handle_list);
  ks_router_add (router, "POST", "/api/v1/open311-destinations", 0, KS_PERM_EDIT_CATEGORIES, handle_create);
  ks_router_add (router, "PATCH", "/api/v1/open311-destinations/{id}", 0, KS_PERM_EDIT_CATEGORIES, handle_update);
}
