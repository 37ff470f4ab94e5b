/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-admin-util.c: what the admin handlers share (see ks-api-admin-util.h). */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api-admin-util.h"
#include "api/ks-wire-admin.h"
#include "http/ks-idempotency.h"

#include <string.h>

#define MAX_IDS 1000

/* The council a new object goes to: the staff member's own; platform operators
 * name it with "body_id" in the body. */
gboolean
ks_api_admin_target_body (KsRequest  *req,
             JsonObject *obj,
             gint64     *out)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0, unused = 0;

  if (!req->principal.is_superuser)
    {
      *out = req->principal.body_id;
      return TRUE;
    }
  if (!ks_request_get_int (req, obj, "body_id", TRUE, 1, G_MAXINT64, &body_id))
    return FALSE;
  if (!ks_store_admin_object_body (req->store, KS_ADMIN_OBJECT_BODY, body_id, &unused, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  *out = body_id;
  return TRUE;
}

/* The object must exist and belong to the principal's council (404 otherwise,
 * so that other councils' objects are not revealed). */
gboolean
ks_api_admin_find (KsRequest     *req,
             KsAdminObject  kind,
             gint64         id,
             gint64        *out_body_id)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;

  if (!ks_store_admin_object_body (req->store, kind, id, &body_id, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!ks_principal_in_body (&req->principal, body_id))
    {
      const KsAdminKind *k = ks_admin_kind (kind);
      ks_request_error (req, 404, "not_found",
                        "There is no such %s. It may have been deleted: reload the list.",
                        k ? k->noun : "council");
      return FALSE;
    }
  if (out_body_id)
    *out_body_id = body_id;
  return TRUE;
}

/* A string member that, when present, must not be blank. */
gboolean
ks_api_admin_get_text (KsRequest   *req,
          JsonObject  *obj,
          const char  *name,
          gboolean     required,
          gsize        max_len,
          const char **out)
{
  const char *s = NULL;

  if (!ks_request_get_string (req, obj, name, required, max_len, &s))
    return FALSE;
  if (s != NULL && ks_api_is_blank (s))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must not be empty.", name);
      return FALSE;
    }
  if (s != NULL)
    *out = s;
  return TRUE;
}

gboolean
ks_api_admin_get_nullable_text (KsRequest   *req,
                     JsonObject  *obj,
                     const char  *name,
                     gsize        max_len,
                     gboolean    *set,
                     const char **out)
{
  JsonNode *n = ks_request_member (req, obj, name);

  *set = n != NULL;
  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  return ks_request_get_string (req, obj, name, FALSE, max_len, out);
}

gboolean
ks_api_admin_get_flag (KsRequest  *req,
          JsonObject *obj,
          const char *name,
          int        *out)
{
  gboolean v = FALSE;

  *out = -1;
  if (!ks_request_has (obj, name))
    return TRUE;
  if (!ks_request_get_bool (req, obj, name, FALSE, &v))
    return FALSE;
  *out = v ? 1 : 0;
  return TRUE;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* An array of positive ids (duplicates dropped); *out stays NULL when absent. */
gboolean
ks_api_admin_get_ids (KsRequest   *req,
              JsonObject  *obj,
              const char  *name,
              GArray     **out)
{
  JsonNode *n = ks_request_member (req, obj, name);
  g_autoptr(GArray) ids = NULL;
  JsonArray *array;
  guint len;

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be a list of ids.", name);
      return FALSE;
    }
  array = json_node_get_array (n);
  len = json_array_get_length (array);
  if (len > MAX_IDS)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” has too many ids (at most %d).",
                        name, MAX_IDS);
      return FALSE;
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), len);
  for (guint i = 0; i < len; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
          (id = json_node_get_int (e)) <= 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “%s” must be a list of ids (positive whole numbers).", name);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  for (guint i = 1; i < ids->len; )
    if (g_array_index (ids, gint64, i) == g_array_index (ids, gint64, i - 1))
      g_array_remove_index (ids, i);
    else
      i++;
  *out = g_steal_pointer (&ids);
  return TRUE;
}

/* An array of permission ids ("view_report", ...): unknown ones answer 422. */
gboolean
ks_api_admin_get_permissions (KsRequest       *req,
                 JsonObject      *obj,
                 const char      *name,
                 gboolean         required,
                 gboolean        *present,
                 KsPermissionSet *out)
{
  JsonNode *n = ks_request_member (req, obj, name);
  JsonArray *array;
  KsPermissionSet set = 0;

  *present = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        {
          ks_request_error (req, 422, "invalid", "The field “%s” is required.", name);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be a list of permission ids, such as "
                        "[\"view_report\", \"update_status\"].", name);
      return FALSE;
    }
  array = json_node_get_array (n);
  if (json_array_get_length (array) > 4 * KS_N_PERMISSIONS)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” lists too many permissions.", name);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      KsPermission p;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “%s” must be a list of permission ids (strings).", name);
          return FALSE;
        }
      if (!ks_permission_from_id (json_node_get_string (e), &p))
        {
          g_autofree char *shown = g_strndup (json_node_get_string (e), 64);
          ks_request_error (req, 422, "invalid",
                            "“%s” is not a permission. See GET /api/v1/permissions for the list.",
                            shown);
          return FALSE;
        }
      set |= 1u << p;
    }
  *present = TRUE;
  *out = set;
  return TRUE;
}

gboolean
ks_api_looks_like_email (const char *s)
{
  const char *at;

  if (s == NULL || *s == '\0' || strlen (s) > KS_API_MAX_EMAIL_LENGTH)
    return FALSE;
  for (const char *p = s; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;
  at = strchr (s, '@');
  if (at == NULL || at == s || strchr (at + 1, '@') != NULL)
    return FALSE;
  return strchr (at + 1, '.') != NULL && at[1] != '.' && !g_str_has_suffix (s, ".");
}

gboolean
ks_api_is_code (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* {"fields": [the members of the request body among names]}, for the audit log. */
char *
ks_api_admin_changed_fields (JsonObject         *obj,
                const char * const *names,
                const char         *extra_key,
                const char         *extra_value)
{
  g_autoptr(GString) s = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  if (extra_key != NULL)
    ks_json_writer_member_string (&w, extra_key, extra_value);
  ks_json_writer_key (&w, "fields");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; names[i]; i++)
    if (json_object_has_member (obj, names[i]))
      ks_json_writer_string (&w, names[i]);
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Answers 422 and returns FALSE when the signed-in staff member would lose
 * manage_staff through the change just made (the transaction then rolls back). */
gboolean
ks_api_admin_keeps_own_manage_staff (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsPermissionSet perms = 0;

  if (req->principal.is_superuser)
    return TRUE;
  if (!ks_store_admin_user_permissions (req->store, req->principal.user_id, &perms, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!KS_PERMISSION_SET_HAS (perms, KS_PERM_MANAGE_STAFF))
    {
      ks_request_error (req, 422, "invalid",
                        "This change would take away your own permission to manage staff "
                        "accounts. Ask another administrator to make it.");
      return FALSE;
    }
  return TRUE;
}

/* Transactions of routes that manage their own (KS_ROUTE_NO_TXN): opens the write
 * transaction and answers a replayed idempotency key; FALSE when answered. */
gboolean
ks_api_admin_own_write_begin (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return ks_idempotency_begin (req);
}

/* Commits when the answer is 2xx (with the idempotency record), else rolls back. */
void
ks_api_admin_own_write_finish (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  /* A body field the handler did not read is refused, as the framework does. */
  if (req->status < 200 || req->status >= 300 || !ks_request_check_fields (req))
    {
      ks_store_rollback (req->store);
      return;
    }
  if (!ks_idempotency_finish (req, &error) || !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
    }
}

char *
ks_api_admin_name_details (const char *name)
{
  g_autoptr(GString) s = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "name", name);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

void
ks_api_admin_answer_object (KsRequest     *req,
                            guint          status,
                            KsAdminObject  kind,
                            gint64         id)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) row = { 0 };
  KsJsonWriter w;

  if (!ks_store_admin_get (req->store, kind, id, &row, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, status, &w);
  ks_admin_write_row (&w, &row);
}

void
ks_api_admin_audit_and_answer (KsRequest     *req,
                               KsAdminObject  object,
                               const char    *verb,
                               JsonObject    *obj,
                               const char    *extra_key,
                               const char    *extra_value,
                               gint64         body_id,
                               gint64         id,
                               guint          status)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_autofree char *details = ks_api_admin_changed_fields (obj, kind->audit_fields, extra_key,
                                                          extra_value);

  if (ks_request_audit (req, body_id, verb, kind->object_type, id, details))
    ks_api_admin_answer_object (req, status, object, id);
}

void
ks_api_admin_answer_list (KsRequest          *req,
                          KsAdminObject       kind,
                          gint64              body_id,
                          const KsAdminQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  const KsAdminQuery all = KS_ADMIN_QUERY_INIT;
  gboolean more = FALSE;
  KsJsonWriter w;

  if (!ks_store_admin_list (req->store, kind, body_id, query ? query : &all, rows, &more, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_admin_write_list (&w, ks_admin_kind (kind), rows, more);
}

gboolean
ks_api_admin_visibility_changed (KsRequest *req,
                                 gint64     body_id,
                                 gint64     category_id)
{
  g_autoptr(GError) error = NULL;

  if (ks_store_admin_category_visibility_changed (req->store, body_id, category_id, &error))
    return TRUE;
  ks_request_gerror (req, error);
  return FALSE;
}

gboolean
ks_api_admin_changes_visibility (const KsAdminRow *in)
{
  static const char *const members[] = { "category_ids", "role_ids", "permissions" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (ks_admin_kind_field (in->kind, members[i]) >= 0 &&
        ks_admin_row_get (in, members[i])->set)
      return TRUE;
  return FALSE;
}
