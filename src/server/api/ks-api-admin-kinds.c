/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-admin-kinds.c: the generic handlers of the admin kinds: reading a
 * kind's fields from a request by its description, and list, create, update and
 * delete with the kind's audit verbs. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api-admin-util.h"
#include "api/ks-api-category-extra.h"
#include "api/ks-api-open311-destinations.h"
#include "api/ks-api-states.h"
#include "store/ks-store.h"
#include "open311/ks-open311-status.h"
#include "ks-states.h"

#include <string.h>

static gboolean
parse_field (KsRequest          *req,
             JsonObject         *obj,
             gboolean            create,
             const KsAdminField *f,
             KsAdminValue       *v)
{
  gboolean required = create && (f->flags & KS_ADMIN_FIELD_REQUIRED);
  const char *text = NULL;
  g_autofree char *owned = NULL;

  switch (f->type)
    {
    case KS_ADMIN_TYPE_TEXT:
      if (f->flags & KS_ADMIN_FIELD_NOT_BLANK)
        {
          if (!ks_api_admin_get_text (req, obj, f->name, required, f->max, &text))
            return FALSE;
          v->set = text != NULL;
        }
      else if (f->flags & KS_ADMIN_FIELD_NULLABLE)
        {
          if (!ks_api_admin_get_nullable_text (req, obj, f->name, f->max, &v->set, &text))
            return FALSE;
        }
      else
        {
          if (!ks_request_get_string (req, obj, f->name, FALSE, f->max, &text))
            return FALSE;
          v->set = text != NULL;
        }
      v->text = g_strdup (text);
      v->is_null = text == NULL;
      return TRUE;
    case KS_ADMIN_TYPE_BOOL:
      {
        int flag = -1;
        if (!ks_api_admin_get_flag (req, obj, f->name, &flag))
          return FALSE;
        v->set = flag >= 0;
        v->number = flag > 0;
        return TRUE;
      }
    case KS_ADMIN_TYPE_INT:
      v->set = ks_request_has (obj, f->name);
      return ks_request_get_int (req, obj, f->name, FALSE, 0, f->max, &v->number);
    case KS_ADMIN_TYPE_NULLABLE_INT:
      v->set = ks_request_member (req, obj, f->name) != NULL;
      v->number = -1;
      if (!ks_request_get_int (req, obj, f->name, FALSE, 0, f->max, &v->number))
        return FALSE;
      v->is_null = v->number < 0;
      return TRUE;
    case KS_ADMIN_TYPE_GROUPS:
    case KS_ADMIN_TYPE_QUESTIONS:
      if (!(f->type == KS_ADMIN_TYPE_GROUPS ? ks_api_category_get_groups (req, obj, f->name, f->max, &owned)
                                             : ks_api_category_get_extra (req, obj, &owned)))
        return FALSE;
      v->set = owned != NULL;
      v->text = g_steal_pointer (&owned);
      return TRUE;
    case KS_ADMIN_TYPE_ID_LINKS:
      if (!ks_api_admin_get_ids (req, obj, f->name, &v->ids))
        return FALSE;
      v->set = v->ids != NULL;
      return TRUE;
    case KS_ADMIN_TYPE_PERMISSIONS:
      return ks_api_admin_get_permissions (req, obj, f->name, required, &v->set,
                                           &v->permissions);
    default:
      g_assert_not_reached ();
    }
}

/* What a value must look like beyond its type. */
static gboolean
check_field (KsRequest          *req,
             const KsAdminField *f,
             KsAdminValue       *v)
{
  if (v->text == NULL)
    return TRUE;
  switch (f->check)
    {
    case KS_ADMIN_CHECK_CODE:
      if (!ks_api_is_code (v->text))
        {
          ks_request_error (req, 422, "invalid",
                            "The code may only have letters, digits, “_”, “-” and “.” (as used by Open311).");
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_EMAIL:
      if (*v->text == '\0')
        {
          g_clear_pointer (&v->text, g_free);
          v->is_null = TRUE;
          return TRUE;
        }
      /* open311:NAME sends to the council's Open311 destination NAME (checked with
       * the council, ks-api-open311-destinations.c). */
      if (g_str_has_prefix (v->text, "open311:") ? !ks_api_is_code (v->text + strlen ("open311:"))
                                                 : !ks_api_looks_like_email (v->text))
        {
          ks_request_error (req, 422, "invalid",
                            "The destination must be an email address, such as roads@council.example, "
                            "or open311:NAME for a contractor's Open311 service (one of the council's "
                            "Open311 destinations), such as open311:highways.");
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_NEW_STATE:
      if (!ks_api_is_code (v->text) || ks_state_lookup (v->text) != NULL)
        {
          g_autofree char *shown = g_strndup (v->text, 64);
          ks_request_error (req, 422, "invalid",
                            "The code “%s” is taken or not valid: a state's code may only have "
                            "letters, digits, “_”, “-” and “.”, and cannot be that of another "
                            "state (see GET /api/v1/states).", shown);
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_STATE_KIND:
      {
        KsStateKind kind;
        if (!ks_state_kind_from_id (v->text, &kind))
          {
            ks_request_error (req, 422, "invalid",
                              "The kind of a state must be “open”, “fixed” or “closed”.");
            return FALSE;
          }
        return TRUE;
      }
    case KS_ADMIN_CHECK_OPEN311_STATUS:
      if (!ks_open311_status_known (v->text))
        {
          ks_request_error (req, 422, "invalid",
                            "“%s” is not an Open311 status. Use one of those docs/open311.md "
                            "lists (such as in_progress, fixed or closed), or null to map the "
                            "state by its kind.", v->text);
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_STATE:
      if (ks_api_state_lookup (req->store, v->text) == NULL)
        {
          g_autofree char *shown = g_strndup (v->text, 64);
          ks_request_error (req, 422, "invalid",
                            "“%s” is not a report state. Use one of GET /api/v1/states, or null.",
                            shown);
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_NOTICE_KIND:
      if (!ks_notices_kind_is_valid (v->text))
        {
          g_autofree char *shown = g_strndup (v->text, 64);
          ks_request_error (req, 422, "invalid",
                            "“%s” is not a kind of email. Use one of "
                            "confirmation, update, moderated, questionnaire, send_on.", shown);
          return FALSE;
        }
      return TRUE;
    case KS_ADMIN_CHECK_HTTP_URL:
      {
        g_autoptr(GUri) uri = g_uri_parse (v->text, G_URI_FLAGS_NONE, NULL);
        const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
        const char *host = uri ? g_uri_get_host (uri) : NULL;

        if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 &&
                               g_ascii_strcasecmp (scheme, "https") != 0) ||
            host == NULL || *host == '\0' || g_uri_get_userinfo (uri) != NULL)
          {
            ks_request_error (req, 422, "invalid",
                              "The endpoint must be an http:// or https:// address with a host "
                              "(and no user name or password in it), such as "
                              "https://contractor.example/open311/v2/.");
            return FALSE;
          }
        return TRUE;
      }
    case KS_ADMIN_CHECK_NONE:
    default:
      return TRUE;
    }
}

gboolean
ks_api_admin_parse_row (KsRequest  *req,
                        JsonObject *obj,
                        gboolean    create,
                        KsAdminRow *row)
{
  const KsAdminKind *kind = row->kind;
  const guint skip = KS_ADMIN_FIELD_READ_ONLY | KS_ADMIN_FIELD_CUSTOM;

  for (guint i = 0; kind->fields[i].name; i++)
    if (!(kind->fields[i].flags & skip) &&
        !parse_field (req, obj, create, &kind->fields[i], &row->values[i]))
      return FALSE;
  for (guint i = 0; kind->fields[i].name; i++)
    if (!(kind->fields[i].flags & skip) &&
        !check_field (req, &kind->fields[i], &row->values[i]))
      return FALSE;
  if (kind->object == KS_ADMIN_OBJECT_OPEN311_DESTINATION &&
      !ks_api_open311_destination_parse_key (req, obj, create, row))
    return FALSE;
  return TRUE;
}

/* A category's open311:NAME destination must be one the council has. */
static gboolean
check_destination (KsRequest *req, const KsAdminRow *row, gint64 body_id)
{
  const KsAdminValue *v;

  if (row->kind->object != KS_ADMIN_OBJECT_CATEGORY)
    return TRUE;
  v = ks_admin_row_get (row, "destination");
  return !v->set || ks_api_open311_destination_check (req, body_id, v->text);
}

/* A field set once on create (a state's code, an email template's kind): an
 * update may repeat it but not change it (422 naming it; the row is untouched). */
static gboolean
check_create_only (KsRequest        *req,
                   KsAdminObject     object,
                   gint64            id,
                   const KsAdminRow *row)
{
  const KsAdminKind *kind = row->kind;
  g_auto(KsAdminRow) before = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      const KsAdminValue *v = &row->values[i];
      g_autofree char *message = NULL;

      if (!(f->flags & KS_ADMIN_FIELD_CREATE_ONLY) || (f->flags & KS_ADMIN_FIELD_CUSTOM) || !v->set)
        continue;
      if (before.kind == NULL && !ks_store_admin_get (req->store, object, id, &before, &error))
        {
          ks_request_gerror (req, error);
          return FALSE;
        }
      if (v->is_null == before.values[i].is_null && v->number == before.values[i].number &&
          g_strcmp0 (v->text, before.values[i].text) == 0)
        continue;
      message = g_strdup_printf ("The %s is set when it is created and cannot be changed.", f->name);
      ks_request_field_error (req, f->name, message);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_api_admin_check_links (KsRequest        *req,
                          const KsAdminRow *row,
                          gint64            body_id)
{
  const KsAdminKind *kind = row->kind;

  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];
      g_autoptr(GError) error = NULL;

      if (f->type != KS_ADMIN_TYPE_ID_LINKS || (f->flags & KS_ADMIN_FIELD_READ_ONLY) ||
          !row->values[i].set)
        continue;
      if (!ks_store_admin_check_ids (req->store, f->link_kind, body_id, row->values[i].ids,
                                     &error))
        {
          ks_request_gerror (req, error);
          return FALSE;
        }
    }
  return TRUE;
}

/* A category's default priority (when given, not null) must be an active priority
 * of its council that is for the category (category_id 0: a new category, which
 * only the priorities tied to no category are for). */
static gboolean
check_default_priority (KsRequest        *req,
                        const KsAdminRow *row,
                        gint64            body_id,
                        gint64            category_id)
{
  const KsAdminValue *v = ks_admin_row_get (row, "default_priority_id");
  g_autoptr(GError) error = NULL;
  gint64 priority_body = 0;
  gboolean found = FALSE, active = FALSE, applies = FALSE;

  if (v == NULL || !v->set || v->is_null)
    return TRUE;
  if (!ks_store_actions_get_priority (req->store, v->number, category_id, &found,
                                      &priority_body, &active, &applies, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found || priority_body != body_id)
    ks_request_error (req, 422, "invalid",
                      "The field “default_priority_id”: there is no priority %" G_GINT64_FORMAT
                      " in this council. Choose one from the list of priorities, or null.",
                      v->number);
  else if (!active)
    ks_request_error (req, 422, "invalid",
                      "The field “default_priority_id”: that priority is not in use any more. "
                      "Choose another priority, or null.");
  else if (!applies)
    ks_request_error (req, 422, "invalid",
                      "The field “default_priority_id”: that priority is not for this category. "
                      "Choose one of the priorities set for the category, or null.");
  else
    return TRUE;
  return FALSE;
}

void
ks_api_admin_list (KsRequest     *req,
                   KsAdminObject  kind)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  ks_api_admin_answer_list (req, kind, body_id, NULL);
}

void
ks_api_admin_create (KsRequest     *req,
                     KsAdminObject  object)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) row = { 0 };
  JsonObject *obj;
  gint64 body_id = 0, id = 0;

  ks_admin_row_init (&row, kind);
  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_target_body (req, obj, &body_id) ||
      !ks_api_admin_parse_row (req, obj, TRUE, &row) ||
      !ks_api_admin_check_links (req, &row, body_id) ||
      (object == KS_ADMIN_OBJECT_CATEGORY && !check_default_priority (req, &row, body_id, 0)) ||
      !check_destination (req, &row, body_id))
    return;
  /* A new category looks for duplicates as far as its council's setting says,
   * unless it is given its own radius. */
  if (object == KS_ADMIN_OBJECT_CATEGORY && !ks_admin_row_get (&row, "duplicate_radius")->set)
    {
      g_auto(KsBodyRow) body = { 0 };

      if (!ks_store_admin_get_body (req->store, body_id, &body, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      ks_admin_row_set_number (&row, "duplicate_radius", body.duplicate_radius);
    }
  if (!ks_store_admin_create (req->store, object, body_id, &row, &id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_api_admin_audit_and_answer (req, object, kind->audit_create, obj, kind->audit_name,
                                 ks_admin_row_get (&row, kind->audit_name)->text, body_id, id, 201);
}

void
ks_api_admin_update (KsRequest     *req,
                     KsAdminObject  object)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) row = { 0 };
  g_auto(KsAdminRow) before = { 0 };
  JsonObject *obj;
  gint64 id, body_id = 0;

  ks_admin_row_init (&row, kind);
  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, object, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_parse_row (req, obj, FALSE, &row) ||
      !check_create_only (req, object, id, &row) ||
      !ks_api_admin_check_links (req, &row, body_id) ||
      (object == KS_ADMIN_OBJECT_CATEGORY && !check_default_priority (req, &row, body_id, id)) ||
      !check_destination (req, &row, body_id))
    return;
  if (object == KS_ADMIN_OBJECT_CATEGORY &&
      ks_admin_row_get (&row, "assigned_only")->set &&
      !ks_store_admin_get (req->store, object, id, &before, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_store_admin_update (req->store, object, id, &row, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  /* Who sees the category's reports changed: tell syncing apps. */
  if (before.kind != NULL &&
      ks_admin_row_get (&before, "assigned_only")->number !=
      ks_admin_row_get (&row, "assigned_only")->number &&
      !ks_api_admin_visibility_changed (req, body_id, id))
    return;
  ks_api_admin_audit_and_answer (req, object, kind->audit_update, obj, NULL, NULL, body_id, id,
                                 200);
}

void
ks_api_admin_delete (KsRequest     *req,
                     KsAdminObject  object)
{
  const KsAdminKind *kind = ks_admin_kind (object);
  g_autoptr(GError) error = NULL;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, object, id, &body_id))
    return;
  if (!ks_store_admin_remove (req->store, object, id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, body_id, kind->audit_delete, kind->object_type, id, NULL))
    return;
  ks_request_no_content (req);
}
