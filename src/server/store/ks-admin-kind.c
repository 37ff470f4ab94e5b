/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-kind.c: the descriptions of the admin kinds (one table each) and the
 * row that carries one object. A new field of a kind is one line here. */
#include "store/ks-admin-kind.h"
#include "ks-error.h"

#include <string.h>

#define MAX_NAME_LENGTH        200
#define MAX_CODE_LENGTH        64
#define MAX_TEXT_LENGTH        8000
#define MAX_HTML_LENGTH        32000
#define MAX_EMAIL_LENGTH       254
#define MAX_RESPONSE_HOURS     (24 * 366)
#define MAX_POSITION           1000000
#define MAX_DUPLICATE_RADIUS   5000     /* metres */

#define RO KS_ADMIN_FIELD_READ_ONLY
#define WO KS_ADMIN_FIELD_WRITE_ONLY
#define REQ (KS_ADMIN_FIELD_REQUIRED | KS_ADMIN_FIELD_NOT_BLANK)
#define NOT_BLANK KS_ADMIN_FIELD_NOT_BLANK
#define NULLABLE KS_ADMIN_FIELD_NULLABLE

#define ID_FIELD      { "id", "id", KS_ADMIN_TYPE_INT, RO }
#define BODY_FIELD    { "body_id", "body_id", KS_ADMIN_TYPE_INT, RO }
#define UPDATED_FIELD { "updated", "updated", KS_ADMIN_TYPE_TIMESTAMP, RO }
/* The wards a staff member or role works in (names, as reports carry them). */
#define WARDS_FIELD   { "wards", "wards", KS_ADMIN_TYPE_GROUPS, 0, 200, .has_default = TRUE, \
                        .create_text = "" }
#define CATEGORY_LINKS(table, owner) \
  { "category_ids", NULL, KS_ADMIN_TYPE_ID_LINKS, 0, .link_table = table, \
    .link_owner = owner, .link_value = "category_id", .link_kind = KS_ADMIN_OBJECT_CATEGORY }

static const KsAdminField category_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "code", "code", KS_ADMIN_TYPE_TEXT, REQ, MAX_CODE_LENGTH, KS_ADMIN_CHECK_CODE },
  { "name", "name", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  { "groups", "group_name", KS_ADMIN_TYPE_GROUPS, 0, .has_default = TRUE, .create_text = "" },
  { "description", "description", KS_ADMIN_TYPE_TEXT, 0, MAX_TEXT_LENGTH,
    .has_default = TRUE, .create_text = "" },
  { "active", "active", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 1 },
  { "private", "private", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 0 },
  { "destination", "destination", KS_ADMIN_TYPE_TEXT, NULLABLE, MAX_EMAIL_LENGTH,
    KS_ADMIN_CHECK_EMAIL },
  { "extra", "extra", KS_ADMIN_TYPE_QUESTIONS, 0, .has_default = TRUE, .create_text = "[]" },
  /* Nearby suggestions look this far (metres; 0: none). */
  { "duplicate_radius", "duplicate_radius", KS_ADMIN_TYPE_INT, 0, MAX_DUPLICATE_RADIUS,
    .has_default = TRUE, .create_number = 50 },
  /* Only the staff assigned the category (and administrators) see its reports. */
  { "assigned_only", "assigned_only", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE,
    .create_number = 0 },
  /* The priority a report gets when it comes into the category without one
   * (an active priority of the council for the category; the API checks it). */
  { "default_priority_id", "default_priority_id", KS_ADMIN_TYPE_NULLABLE_INT, NULLABLE,
    G_MAXINT64 },
  UPDATED_FIELD,
  { NULL }
};

static const KsAdminField priority_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "name", "name", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  { "description", "description", KS_ADMIN_TYPE_TEXT, 0, MAX_TEXT_LENGTH,
    .has_default = TRUE, .create_text = "" },
  { "response_hours", "response_hours", KS_ADMIN_TYPE_NULLABLE_INT, NULLABLE, MAX_RESPONSE_HOURS },
  /* Its id in other systems (a contractor's, an asset system's). */
  { "external_id", "external_id", KS_ADMIN_TYPE_TEXT, NULLABLE, MAX_CODE_LENGTH,
    KS_ADMIN_CHECK_CODE },
  { "position", "position", KS_ADMIN_TYPE_INT, 0, MAX_POSITION,
    .has_default = TRUE, .create_number = 0 },
  { "active", "active", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 1 },
  UPDATED_FIELD,
  CATEGORY_LINKS ("priority_categories", "priority_id"),
  { NULL }
};

static const KsAdminField template_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "title", "title", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  { "text", "text", KS_ADMIN_TYPE_TEXT, REQ, MAX_TEXT_LENGTH },
  { "state", "state", KS_ADMIN_TYPE_TEXT, NULLABLE, 64, KS_ADMIN_CHECK_STATE },
  { "position", "position", KS_ADMIN_TYPE_INT, 0, MAX_POSITION,
    .has_default = TRUE, .create_number = 0 },
  /* The status code other systems know the response by (Open311 clients). */
  { "external_status_code", "external_status_code", KS_ADMIN_TYPE_TEXT, NULLABLE,
    MAX_CODE_LENGTH, KS_ADMIN_CHECK_CODE },
  /* What the resident's email says instead of text; null: text. */
  { "email_text", "email_text", KS_ADMIN_TYPE_TEXT, NULLABLE, MAX_TEXT_LENGTH },
  /* Applied by itself when a report reaches state with no words of its own. */
  { "auto_response", "auto_response", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE,
    .create_number = 0 },
  UPDATED_FIELD,
  CATEGORY_LINKS ("template_categories", "template_id"),
  { NULL }
};

static const KsAdminField email_template_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "kind", "kind", KS_ADMIN_TYPE_TEXT, REQ | KS_ADMIN_FIELD_CREATE_ONLY, 32,
    KS_ADMIN_CHECK_NOTICE_KIND },
  { "subject", "subject", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  { "text", "text", KS_ADMIN_TYPE_TEXT, REQ, MAX_TEXT_LENGTH },
  /* Empty: the HTML part is made from text. */
  { "html", "html", KS_ADMIN_TYPE_TEXT, 0, MAX_HTML_LENGTH, .has_default = TRUE,
    .create_text = "" },
  UPDATED_FIELD,
  { NULL }
};

static const KsAdminField role_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "name", "name", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  /* Set by the store for the four default roles only. */
  { "is_default", "is_default", KS_ADMIN_TYPE_BOOL, RO, .has_default = TRUE, .create_number = 0 },
  { "permissions", NULL, KS_ADMIN_TYPE_PERMISSIONS, KS_ADMIN_FIELD_REQUIRED,
    .link_table = "role_permissions", .link_owner = "role_id", .link_value = "permission" },
  { "active_staff", NULL, KS_ADMIN_TYPE_COUNT, RO, .link_table = "user_roles",
    .link_owner = "role_id", .link_value = "user_id", .link_kind = KS_ADMIN_OBJECT_USER,
    .where = "active" },
  WARDS_FIELD,
  CATEGORY_LINKS ("role_categories", "role_id"),
  { NULL }
};

static const KsAdminField staff_fields[] = {
  ID_FIELD,
  { "body_id", "body_id", KS_ADMIN_TYPE_NULLABLE_INT, RO },  /* null: platform operators */
  { "email", "email", KS_ADMIN_TYPE_TEXT, REQ | KS_ADMIN_FIELD_CREATE_ONLY | KS_ADMIN_FIELD_CUSTOM,
    MAX_EMAIL_LENGTH },
  { "name", "name", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  /* The API hashes the password; the store keeps the hash. */
  { "password", "password_hash", KS_ADMIN_TYPE_TEXT, WO | KS_ADMIN_FIELD_CUSTOM, 1024 },
  { "active", "active", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 1 },
  { "is_superuser", "is_superuser", KS_ADMIN_TYPE_BOOL, RO },
  /* Only ever turned off here, which forgets the secret. */
  { "two_factor_enabled", "totp_enabled", KS_ADMIN_TYPE_BOOL,
    KS_ADMIN_FIELD_CUSTOM | KS_ADMIN_FIELD_UPDATE_ONLY, .clears = "totp_secret" },
  { "last_login", "last_login", KS_ADMIN_TYPE_TIMESTAMP, RO },
  { "created", "created", KS_ADMIN_TYPE_TIMESTAMP, RO },
  { "roles", NULL, KS_ADMIN_TYPE_REFS, RO, .link_table = "user_roles", .link_owner = "user_id",
    .link_value = "role_id", .link_kind = KS_ADMIN_OBJECT_ROLE },
  { "role_ids", NULL, KS_ADMIN_TYPE_ID_LINKS, WO, .link_table = "user_roles",
    .link_owner = "user_id", .link_value = "role_id", .link_kind = KS_ADMIN_OBJECT_ROLE },
  { "permissions", NULL, KS_ADMIN_TYPE_PERMISSIONS, 0, .link_table = "user_permissions",
    .link_owner = "user_id", .link_value = "permission" },
  WARDS_FIELD,
  CATEGORY_LINKS ("user_categories", "user_id"),
  { NULL }
};

static const KsAdminField state_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  /* The report's state column holds it (40 as the actions read a state). */
  { "code", "code", KS_ADMIN_TYPE_TEXT, REQ | KS_ADMIN_FIELD_CREATE_ONLY, 40,
    KS_ADMIN_CHECK_NEW_STATE },
  { "label", "label", KS_ADMIN_TYPE_TEXT, REQ, MAX_NAME_LENGTH },
  { "kind", "kind", KS_ADMIN_TYPE_TEXT, REQ, 16, KS_ADMIN_CHECK_STATE_KIND },
  { "open311_status", "open311_status", KS_ADMIN_TYPE_TEXT, NULLABLE, 64,
    KS_ADMIN_CHECK_OPEN311_STATUS },
  { "position", "position", KS_ADMIN_TYPE_INT, 0, MAX_POSITION,
    .has_default = TRUE, .create_number = 0 },
  { "active", "active", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 1 },
  UPDATED_FIELD,
  { NULL }
};

/* A contractor's Open311 service that categories' destination open311:NAME names.
 * The API sets the api_key columns (api/ks-api-open311-destinations.c): the key
 * is never given back, only whether there is one and its last four characters. */
static const KsAdminField open311_destination_fields[] = {
  ID_FIELD,
  BODY_FIELD,
  { "name", "name", KS_ADMIN_TYPE_TEXT, REQ | KS_ADMIN_FIELD_CREATE_ONLY, MAX_CODE_LENGTH,
    KS_ADMIN_CHECK_CODE },
  { "endpoint", "endpoint", KS_ADMIN_TYPE_TEXT, REQ, 2000, KS_ADMIN_CHECK_HTTP_URL },
  { "api_key", "api_key", KS_ADMIN_TYPE_TEXT, WO | KS_ADMIN_FIELD_CUSTOM | NULLABLE, 1024 },
  { "api_key_set", "api_key_set", KS_ADMIN_TYPE_BOOL, KS_ADMIN_FIELD_CUSTOM, .has_default = TRUE,
    .create_number = 0 },
  { "api_key_last4", "api_key_last4", KS_ADMIN_TYPE_TEXT, KS_ADMIN_FIELD_CUSTOM | NULLABLE, 4 },
  { "jurisdiction_id", "jurisdiction_id", KS_ADMIN_TYPE_TEXT, NULLABLE, MAX_NAME_LENGTH },
  { "idempotent", "idempotent", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 0 },
  { "active", "active", KS_ADMIN_TYPE_BOOL, 0, .has_default = TRUE, .create_number = 1 },
  UPDATED_FIELD,
  { NULL }
};

static const KsAdminKind kinds[] = {
  [KS_ADMIN_OBJECT_CATEGORY] = {
    KS_ADMIN_OBJECT_CATEGORY, "category", "categories", "categories", "body_id, name, id",
    "category", "create_category", "update_category", NULL, "code",
    (const char * const []) { "code", "name", "groups", "description", "destination", "extra",
                              "active", "private", "duplicate_radius", "assigned_only",
                              "default_priority_id", NULL },
    KS_PERM_EDIT_CATEGORIES, TRUE, FALSE,
    { "code", FALSE, FALSE,
      "This council already has a category with the code “%s”. Choose another code." },
    .fields = category_fields },
  [KS_ADMIN_OBJECT_PRIORITY] = {
    KS_ADMIN_OBJECT_PRIORITY, "priority", "priorities", "priorities", "body_id, position, id",
    "priority", "create_priority", "update_priority", "delete_priority", "name",
    (const char * const []) { "name", "description", "response_hours", "external_id",
                              "position", "active", "category_ids", NULL },
    KS_PERM_EDIT_PRIORITIES, TRUE, FALSE, { NULL },
    "reports", "priority_id", priority_fields },
  [KS_ADMIN_OBJECT_TEMPLATE] = {
    KS_ADMIN_OBJECT_TEMPLATE, "template", "templates", "templates",
    "body_id, position, title, id",
    "template", "create_template", "update_template", "delete_template", "title",
    (const char * const []) { "title", "text", "state", "position", "external_status_code",
                              "email_text", "auto_response", "category_ids", NULL },
    KS_PERM_EDIT_TEMPLATES, TRUE, FALSE, { NULL },
    .fields = template_fields },
  [KS_ADMIN_OBJECT_EMAIL_TEMPLATE] = {
    KS_ADMIN_OBJECT_EMAIL_TEMPLATE, "email template", "email_templates", "email_templates",
    "body_id, kind, id",
    "email_template", "create_email_template", "update_email_template", "delete_email_template",
    "kind",
    (const char * const []) { "kind", "subject", "text", "html", NULL },
    KS_PERM_EDIT_TEMPLATES, TRUE, FALSE,
    { "kind", FALSE, FALSE,
      "This council already has an email template for “%s”. Edit that one instead." },
    .fields = email_template_fields },
  [KS_ADMIN_OBJECT_ROLE] = {
    KS_ADMIN_OBJECT_ROLE, "role", "roles", "roles",
    "body_id, is_default DESC, CASE WHEN is_default <> 0 THEN id END, name, id",
    "role", "create_role", "update_role", "delete_role", "name",
    (const char * const []) { "name", "permissions", "wards", "category_ids", NULL },
    KS_PERM_MANAGE_STAFF, FALSE, FALSE,
    { "name", FALSE, TRUE, "This council already has a role called “%s”. Choose another name." },
    .fields = role_fields },
  [KS_ADMIN_OBJECT_USER] = {
    KS_ADMIN_OBJECT_USER, "staff account", "staff", "users", "id",
    "user", "create_staff", "update_staff", NULL, NULL,
    (const char * const []) { "email", "name", "password", "active", "role_ids", "permissions",
                              "two_factor_enabled", "wards", "category_ids", NULL },
    KS_PERM_MANAGE_STAFF, TRUE, TRUE,
    { "email", TRUE, TRUE,
      "There is already an account with the email address “%s”. "
      "Use another address, or edit that account." },
    .fields = staff_fields },
  [KS_ADMIN_OBJECT_STATE] = {
    KS_ADMIN_OBJECT_STATE, "state", "states", "states", "body_id, kind, position, label, id",
    "state", "create_state", "update_state", NULL, "code",
    (const char * const []) { "code", "label", "kind", "open311_status", "position", "active",
                              NULL },
    KS_PERM_EDIT_CATEGORIES, TRUE, FALSE,
    { "code", TRUE, FALSE,
      "There is already a state with the code “%s” (codes are unique across councils). "
      "Choose another code." },
    .fields = state_fields },
  [KS_ADMIN_OBJECT_OPEN311_DESTINATION] = {
    KS_ADMIN_OBJECT_OPEN311_DESTINATION, "Open311 destination", "open311_destinations",
    "open311_destinations", "body_id, name, id",
    "open311_destination", "create_open311_destination", "update_open311_destination", NULL,
    "name",
    (const char * const []) { "name", "endpoint", "api_key", "jurisdiction_id", "idempotent",
                              "active", NULL },
    KS_PERM_EDIT_CATEGORIES, TRUE, FALSE,
    { "name", FALSE, FALSE,
      "This council already has an Open311 destination called “%s”. Edit that one instead." },
    .fields = open311_destination_fields },
};

const KsAdminKind *
ks_admin_kind (KsAdminObject object)
{
  g_return_val_if_fail (object < KS_N_ADMIN_OBJECTS, NULL);
  return kinds[object].fields != NULL ? &kinds[object] : NULL;
}

int
ks_admin_kind_field (const KsAdminKind *kind,
                     const char        *name)
{
  for (int i = 0; kind->fields[i].name; i++)
    if (strcmp (kind->fields[i].name, name) == 0)
      return i;
  return -1;
}

guint
ks_admin_kind_n_fields (const KsAdminKind *kind)
{
  guint n = 0;

  while (kind->fields[n].name)
    n++;
  return n;
}

void
ks_admin_row_init (KsAdminRow        *row,
                   const KsAdminKind *kind)
{
  g_assert (ks_admin_kind_n_fields (kind) <= KS_ADMIN_MAX_FIELDS);
  memset (row, 0, sizeof *row);
  row->kind = kind;
}

void
ks_admin_row_clear (KsAdminRow *row)
{
  for (guint i = 0; i < KS_ADMIN_MAX_FIELDS; i++)
    {
      KsAdminValue *v = &row->values[i];

      g_clear_pointer (&v->text, g_free);
      g_clear_pointer (&v->ids, g_array_unref);
      g_clear_pointer (&v->names, g_ptr_array_unref);
    }
  memset (row->values, 0, sizeof row->values);
}

KsAdminValue *
ks_admin_row_value (KsAdminRow *row,
                    const char *name)
{
  int i = ks_admin_kind_field (row->kind, name);

  g_return_val_if_fail (i >= 0, NULL);
  return &row->values[i];
}

const KsAdminValue *
ks_admin_row_get (const KsAdminRow *row,
                  const char       *name)
{
  return ks_admin_row_value ((KsAdminRow *) row, name);
}

gint64
ks_admin_row_id (const KsAdminRow *row)
{
  return row->values[0].number;
}

void
ks_admin_row_set_text (KsAdminRow *row,
                       const char *name,
                       const char *text)
{
  KsAdminValue *v = ks_admin_row_value (row, name);

  g_free (v->text);
  v->text = g_strdup (text);
  v->is_null = text == NULL;
  v->set = TRUE;
}

void
ks_admin_row_set_number (KsAdminRow *row,
                         const char *name,
                         gint64      number)
{
  KsAdminValue *v = ks_admin_row_value (row, name);

  v->number = number;
  v->is_null = FALSE;
  v->set = TRUE;
}

void
ks_admin_row_set_null (KsAdminRow *row,
                       const char *name)
{
  KsAdminValue *v = ks_admin_row_value (row, name);

  g_clear_pointer (&v->text, g_free);
  v->is_null = TRUE;
  v->set = TRUE;
}

void
ks_admin_row_set_ids (KsAdminRow *row,
                      const char *name,
                      GArray     *ids)
{
  KsAdminValue *v = ks_admin_row_value (row, name);

  g_clear_pointer (&v->ids, g_array_unref);
  v->ids = ids ? g_array_ref (ids) : NULL;
  v->set = ids != NULL;
}

void
ks_admin_row_set_permissions (KsAdminRow      *row,
                              const char      *name,
                              KsPermissionSet  permissions)
{
  KsAdminValue *v = ks_admin_row_value (row, name);

  v->permissions = permissions;
  v->set = TRUE;
}

static void
row_clear (gpointer data)
{
  ks_admin_row_clear (data);
}

GArray *
ks_admin_rows_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (KsAdminRow));

  g_array_set_clear_func (rows, row_clear);
  return rows;
}

gboolean
ks_admin_not_found (const char  *noun,
                    GError     **error)
{
  g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
               "There is no such %s. It may have been deleted: reload the list.", noun);
  return FALSE;
}
