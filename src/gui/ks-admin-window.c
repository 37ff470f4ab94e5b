/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-window.c: the council's administration. One AdwPreferencesPage per
 * kind of object the person may manage (staff, roles, categories, priorities,
 * templates, the texts of the emails to residents, Open311 API keys), each a
 * list of rows from the staff API. The
 * pages are described by tables (kinds and their fields), so that one editor
 * (a subpage of the window) serves them all. Over 1,000 lines: that editor
 * is the next facet to move out. */
#define G_LOG_DOMAIN "ks-admin-window"

#include "config.h"
#include "ks-admin-window.h"
#include "ks-admin.h"
#include "ks-admin-priority-row.h"
#include "ks-admin-configured-row.h"
#include "ks-council-settings.h"

#include <glib/gi18n.h>

#include "ks-error.h"
#include "ks-password-meter.h"
#include "ks-states.h"

typedef enum {
  F_TEXT,
  F_MULTILINE,
  F_BOOL,
  F_NUMBER,
  F_CSV,
  F_STATE,
  F_EMAIL_KIND,
  F_PRIORITY,    /* a priority of the council for the category, or none */
  F_CATEGORIES,
  F_ROLES,
  F_PERMISSIONS,
  F_PASSWORD,
  F_SECRET,      /* write-only: never shown; left empty, nothing is sent */
} FieldType;

enum {
  ON_CREATE = 1 << 0,
  ON_EDIT   = 1 << 1,
  BOTH      = ON_CREATE | ON_EDIT,
  REQUIRED  = 1 << 2,
  NULL_IF_EMPTY = 1 << 3,   /* an empty text is sent as null */
};

typedef struct {
  const char *member;
  const char *title;
  FieldType   type;
  guint       flags;
  gboolean    default_on;   /* switches */
} Field;

typedef struct {
  const char   *name;
  const char   *title;
  const char   *icon;
  KsPermission  perm;
  KsAdminCollection collection;
  const char   *title_member;
  const char   *singular;     /* "Category" */
  const char   *description;
  gboolean      can_edit;
  gboolean      can_delete;
  const Field  *fields;
} Kind;

static const Field staff_fields[] = {
  { "email", N_("Email"), F_TEXT, ON_CREATE | REQUIRED },
  { "name", N_("Name"), F_TEXT, BOTH | REQUIRED },
  { "role_ids", N_("Roles"), F_ROLES, BOTH },
  { "permissions", N_("Single Permissions"), F_PERMISSIONS, BOTH },
  { "wards", N_("Wards they work in (separated by commas)"), F_CSV, BOTH },
  { "category_ids", N_("Categories they work in"), F_CATEGORIES, BOTH },
  { "password", N_("Password (optional)"), F_PASSWORD, ON_CREATE },
  { NULL }
};

static const Field role_fields[] = {
  { "name", N_("Name"), F_TEXT, BOTH | REQUIRED },
  { "permissions", N_("Permissions"), F_PERMISSIONS, BOTH },
  { "wards", N_("Wards its staff work in (separated by commas)"), F_CSV, BOTH },
  { "category_ids", N_("Categories its staff work in"), F_CATEGORIES, BOTH },
  { NULL }
};

static const Field category_fields[] = {
  { "name", N_("Name"), F_TEXT, BOTH | REQUIRED },
  { "code", N_("Code (Open311 service code)"), F_TEXT, BOTH | REQUIRED },
  { "groups", N_("Groups (separated by commas)"), F_CSV, BOTH },
  { "active", N_("Active"), F_BOOL, BOTH, TRUE },
  { "private", N_("Private (kept out of public output)"), F_BOOL, BOTH, FALSE },
  { "assigned_only", N_("Only its assigned staff see its reports"), F_BOOL, BOTH, FALSE },
  { "default_priority_id", N_("Default priority"), F_PRIORITY, BOTH },
  { NULL }
};

static const Field priority_fields[] = {
  { "name", N_("Name"), F_TEXT, BOTH | REQUIRED },
  { "description", N_("Description"), F_TEXT, BOTH },
  { "response_hours", N_("Response time in hours"), F_NUMBER, BOTH },
  { "external_id", N_("External id (other systems)"), F_TEXT, BOTH | NULL_IF_EMPTY },
  { "active", N_("Active"), F_BOOL, BOTH, TRUE },
  { "category_ids", N_("Categories it applies to"), F_CATEGORIES, BOTH },
  { NULL }
};

static const Field template_fields[] = {
  { "title", N_("Title"), F_TEXT, BOTH | REQUIRED },
  { "text", N_("Text"), F_MULTILINE, BOTH | REQUIRED },
  { "state", N_("Sets the state to"), F_STATE, BOTH },
  { "auto_response", N_("Apply by itself when a report reaches this state"), F_BOOL, BOTH, FALSE },
  { "email_text", N_("Text of the resident’s email (empty: the text above)"), F_MULTILINE,
    BOTH | NULL_IF_EMPTY },
  { "external_status_code", N_("External status code (other systems)"), F_TEXT, BOTH | NULL_IF_EMPTY },
  { "category_ids", N_("Categories (none: every category)"), F_CATEGORIES, BOTH },
  { NULL }
};

static const Field state_fields[] = {
  { "label", N_("Label"), F_TEXT, BOTH | REQUIRED },
  { "code", N_("Code (letters, digits, “_”; kept on reports)"), F_TEXT, ON_CREATE | REQUIRED },
  { "kind", N_("Counts as (open, fixed or closed)"), F_TEXT, BOTH | REQUIRED },
  { "open311_status", N_("Open311 status (empty: by what it counts as)"), F_TEXT, BOTH },
  { "position", N_("Position among its kind"), F_NUMBER, BOTH },
  { "active", N_("Offered in Change State"), F_BOOL, BOTH, TRUE },
  { NULL }
};

static const Field email_template_fields[] = {
  { "kind", N_("Email"), F_EMAIL_KIND, ON_CREATE | REQUIRED },
  { "subject", N_("Subject"), F_TEXT, BOTH | REQUIRED },
  { "text", N_("Text"), F_MULTILINE, BOTH | REQUIRED },
  { "html", N_("HTML (empty: made from the text)"), F_MULTILINE, BOTH },
  { NULL }
};

/* The emails to residents, as the server names them. */
static const struct {
  const char *id;
  const char *label;
} email_kinds[] = {
  { "confirmation", N_("Confirmation of a report taken for a resident") },
  { "update", N_("News of updates and state changes") },
  { "moderated", N_("Their report was moderated") },
  { "questionnaire", N_("Questionnaire: was it fixed?") },
};

static const char *
email_kind_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (email_kinds); i++)
    if (g_strcmp0 (email_kinds[i].id, id) == 0)
      return _(email_kinds[i].label);
  return id;
}

static const Field api_key_fields[] = {
  { "name", N_("Name of the client (e.g. FixMyStreet)"), F_TEXT, ON_CREATE | REQUIRED },
  { "notify_residents", N_("Email the residents whose reports it sends"), F_BOOL, ON_EDIT, FALSE },
  { NULL }
};

static const Field open311_destination_fields[] = {
  { "name", N_("Name (categories send to open311:NAME)"), F_TEXT, ON_CREATE | REQUIRED },
  { "endpoint", N_("Endpoint (the address before requests.json)"), F_TEXT, BOTH | REQUIRED },
  { "api_key", N_("API key (empty: keep the saved one)"), F_SECRET, BOTH },
  { "jurisdiction_id", N_("Jurisdiction id (optional)"), F_TEXT, BOTH | NULL_IF_EMPTY },
  { "idempotent", N_("Honours Idempotency-Key (sent again after a lost answer)"), F_BOOL, BOTH, FALSE },
  { "active", N_("Active"), F_BOOL, BOTH, TRUE },
  { NULL }
};

static const Kind kinds[] = {
  { "staff", N_("Staff"), "system-users-symbolic", KS_PERM_MANAGE_STAFF,
    KS_ADMIN_STAFF, "name", N_("Staff Account"),
    N_("Staff accounts of the council, their roles and single permissions."),
    TRUE, FALSE, staff_fields },
  { "roles", N_("Roles"), "emblem-system-symbolic", KS_PERM_MANAGE_STAFF,
    KS_ADMIN_ROLES, "name", N_("Role"),
    N_("The four default roles are fixed; custom roles combine permissions freely."),
    TRUE, TRUE, role_fields },
  { "categories", N_("Categories"), "view-list-symbolic", KS_PERM_EDIT_CATEGORIES,
    KS_ADMIN_CATEGORIES, "name", N_("Category"),
    N_("Report categories (Open311 services). Deactivate a category instead of deleting it."),
    TRUE, FALSE, category_fields },
  { "priorities", N_("Priorities"), "view-sort-descending-symbolic", KS_PERM_EDIT_PRIORITIES,
    KS_ADMIN_PRIORITIES, "name", N_("Priority"),
    N_("Response priorities and the categories they apply to."),
    TRUE, TRUE, priority_fields },
  { "templates", N_("Templates"), "document-edit-symbolic", KS_PERM_EDIT_TEMPLATES,
    KS_ADMIN_TEMPLATES, "title", N_("Template"),
    N_("Canned replies staff can send as a public update."),
    TRUE, TRUE, template_fields },
  { "email-templates", N_("Emails"), "mail-unread-symbolic", KS_PERM_EDIT_TEMPLATES,
    KS_ADMIN_EMAIL_TEMPLATES, "kind", N_("Email Template"),
    N_("The council’s words for the emails residents get about their reports. An email "
       "without a template of its own uses the built-in text."),
    TRUE, TRUE, email_template_fields },
  { "api-keys", N_("API Keys"), "dialog-password-symbolic", KS_PERM_MANAGE_STAFF,
    KS_ADMIN_API_KEYS, "name", N_("API Key"),
    N_("Keys that let Open311 clients such as FixMyStreet send reports in. Their "
       "residents get the council’s emails only when the key says so."),
    TRUE, FALSE, api_key_fields },
  { "states", N_("States"), "emblem-default-symbolic", KS_PERM_EDIT_CATEGORIES,
    KS_ADMIN_STATES, "label", N_("State"),
    N_("The council's own report states, beside the built-in ones. Each counts as open, "
       "fixed or closed; deactivate one instead of deleting it."),
    TRUE, FALSE, state_fields },
  { "open311-destinations", N_("Open311"), "network-server-symbolic", KS_PERM_EDIT_CATEGORIES,
    KS_ADMIN_OPEN311_DESTINATIONS, "name", N_("Open311 Destination"),
    N_("Contractors' Open311 services that categories send their reports to (destination "
       "open311:NAME). The API key is never shown again once saved. One of these wins over "
       "a group of the same name in the server's configuration; turn one off instead of "
       "deleting it."),
    TRUE, FALSE, open311_destination_fields },
};

/* "Staff Account" -> "Staff account", "API Key" -> "API key": a title in the
 * sentence case that toasts use (words in capitals stay). */
char *
ks_admin_sentence_case (const char *title)
{
  g_auto(GStrv) words = g_strsplit (title, " ", -1);

  for (guint i = 1; words[i] != NULL; i++)
    {
      gboolean acronym = TRUE;

      for (const char *p = words[i]; *p; p++)
        if (g_ascii_islower (*p))
          acronym = FALSE;
      if (!acronym && g_ascii_isupper (words[i][0]))
        words[i][0] = g_ascii_tolower (words[i][0]);
    }
  return g_strjoinv (" ", words);
}
#define sentence_case ks_admin_sentence_case

typedef struct {
  const Kind  *kind;
  GtkWidget   *page;
  GtkWidget   *group;
  GtkWidget   *status_row;
  GtkWidget   *status_spinner;
  GtkWidget   *retry_button;
  GtkWidget   *search;
  GPtrArray   *rows;
  JsonArray   *items;
  GCancellable *cancellable;
  int          n_rows;
} Page;

typedef struct {
  const Field *field;
  GtkWidget   *widget;
  GtkWidget   *meter;
  GPtrArray   *checks;   /* GtkCheckButton with "ks-id" */
} FieldWidget;

typedef struct {
  Page        *page;
  gint64       id;
  JsonObject  *obj;       /* NULL: a new one */
  GArray      *fields;    /* of FieldWidget */
  GtkWidget   *box;
  GtkWidget   *save_button;
  GtkWidget   *error_label;
  gboolean     read_only;
} Editor;

struct _KsAdminWindow
{
  AdwPreferencesWindow  parent_instance;

  KsSession    *session;
  GCancellable *cancellable;
  GPtrArray    *pages;      /* of Page* */
  Editor       *editor;     /* the open one, or NULL */
  GtkWidget    *subpages;   /* the window's leaflet of subpages, once known */
  GtkWidget    *waiting;    /* an editor's box waiting for the leaflet to stop (owned) */
  JsonArray    *roles;      /* for the staff editor */
  GtkWidget    *council_page; /* KsCouncilSettings, or NULL */
  int           busy;
  char         *last_toast;
  char         *new_key;
};

G_DEFINE_FINAL_TYPE (KsAdminWindow, ks_admin_window, ADW_TYPE_PREFERENCES_WINDOW)

static void load_page (KsAdminWindow *self, Page *page);

static void
toast (KsAdminWindow *self,
       const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
}

static Page *
find_page (KsAdminWindow *self,
           const char    *name)
{
  for (guint i = 0; self->pages && i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      if (g_strcmp0 (page->kind->name, name) == 0)
        return page;
    }
  return NULL;
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_clear_pointer (&page->items, json_array_unref);
  g_free (page);
}

static void
editor_free (Editor *editor)
{
  for (guint i = 0; i < editor->fields->len; i++)
    {
      FieldWidget *fw = &g_array_index (editor->fields, FieldWidget, i);
      g_clear_pointer (&fw->checks, g_ptr_array_unref);
    }
  g_array_unref (editor->fields);
  g_clear_pointer (&editor->obj, json_object_unref);
  g_free (editor);
}

static const char *
str_member (JsonObject *o,
            const char *member)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, member))
    return NULL;
  n = json_object_get_member (o, member);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonArray *
array_member (JsonObject *o,
              const char *member)
{
  if (o == NULL || !json_object_has_member (o, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, member)))
    return NULL;
  return json_object_get_array_member (o, member);
}

static gboolean
bool_member (JsonObject *o,
             const char *member,
             gboolean    fallback)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, member))
    return fallback;
  n = json_object_get_member (o, member);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (n);
}

static char *
short_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%-d %b %Y") : g_strdup (iso ? iso : "");
}

/* The subtitle of an object's row. */
static char *
describe (const Kind *kind,
          JsonObject *o)
{
  GString *s = g_string_new (NULL);
  JsonArray *a;

#define SEP() G_STMT_START { if (s->len) g_string_append (s, " · "); } G_STMT_END
  if (g_str_equal (kind->name, "staff"))
    {
      g_string_append (s, str_member (o, "email") ? str_member (o, "email") : "");
      if ((a = array_member (o, "roles")))
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            JsonNode *n = json_array_get_element (a, i);
            if (JSON_NODE_HOLDS_OBJECT (n) && str_member (json_node_get_object (n), "name"))
              {
                SEP ();
                g_string_append (s, str_member (json_node_get_object (n), "name"));
              }
          }
      if (!bool_member (o, "active", TRUE))
        {
          SEP ();
          g_string_append (s, _("deactivated"));
        }
      if (bool_member (o, "two_factor_enabled", FALSE))
        {
          SEP ();
          g_string_append (s, _("two-factor on"));
        }
    }
  else if (g_str_equal (kind->name, "roles"))
    {
      a = array_member (o, "permissions");
      if (bool_member (o, "is_default", FALSE))
        g_string_append (s, _("Default role"));
      SEP ();
      g_string_append_printf (s, ngettext ("%u permission", "%u permissions", a ? json_array_get_length (a) : 0),
                              a ? json_array_get_length (a) : 0);
      SEP ();
      g_string_append_printf (s, _("%" G_GINT64_FORMAT " active staff"),
                              json_object_get_int_member_with_default (o, "active_staff", 0));
    }
  else if (g_str_equal (kind->name, "categories"))
    {
      g_string_append (s, str_member (o, "code") ? str_member (o, "code") : "");
      if ((a = array_member (o, "groups")))
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            SEP ();
            g_string_append (s, json_array_get_string_element (a, i));
          }
      if (!bool_member (o, "active", TRUE))
        {
          SEP ();
          g_string_append (s, _("inactive"));
        }
      if (bool_member (o, "private", FALSE))
        {
          SEP ();
          g_string_append (s, _("private"));
        }
    }
  else if (g_str_equal (kind->name, "priorities"))
    {
      JsonNode *hours = json_object_get_member (o, "response_hours");

      if (str_member (o, "description") && *str_member (o, "description"))
        g_string_append (s, str_member (o, "description"));
      if (hours && JSON_NODE_HOLDS_VALUE (hours))
        {
          SEP ();
          g_string_append_printf (s, _("respond within %" G_GINT64_FORMAT " h"), json_node_get_int (hours));
        }
      if (!bool_member (o, "active", TRUE))
        {
          SEP ();
          g_string_append (s, _("inactive"));
        }
    }
  else if (g_str_equal (kind->name, "templates"))
    {
      const KsState *state = ks_state_lookup (str_member (o, "state"));
      g_autofree char *text = g_strdup (str_member (o, "text") ? str_member (o, "text") : "");

      if (state)
        g_string_append_printf (s, bool_member (o, "auto_response", FALSE)
                                   ? _("sets “%s” · applied by itself") : _("sets “%s”"),
                                state->label);
      if (g_utf8_strlen (text, -1) > 80)
        {
          char *end = g_utf8_offset_to_pointer (text, 80);
          strcpy (end, "…");
        }
      g_strdelimit (text, "\n", ' ');
      SEP ();
      g_string_append (s, text);
    }
  else if (g_str_equal (kind->name, "email-templates"))
    g_string_append (s, str_member (o, "subject") ? str_member (o, "subject") : "");
  else if (g_str_equal (kind->name, "open311-destinations"))
    {
      g_string_append (s, str_member (o, "endpoint") ? str_member (o, "endpoint") : "");
      SEP ();
      if (!bool_member (o, "api_key_set", FALSE))
        g_string_append (s, _("no key"));
      else if (str_member (o, "api_key_last4"))
        g_string_append_printf (s, _("key …%s"), str_member (o, "api_key_last4"));
      else
        g_string_append (s, _("key set"));
      if (bool_member (o, "idempotent", FALSE))
        {
          SEP ();
          g_string_append (s, _("idempotent"));
        }
      if (!bool_member (o, "active", TRUE))
        {
          SEP ();
          g_string_append (s, _("inactive"));
        }
    }
  else if (g_str_equal (kind->name, "api-keys"))
    {
      g_autofree char *created = short_time (str_member (o, "created"));

      g_string_append_printf (s, _("Created %s"), created);
      if (bool_member (o, "notify_residents", FALSE))
        {
          SEP ();
          g_string_append (s, _("residents emailed"));
        }
      if (str_member (o, "revoked"))
        {
          g_autofree char *revoked = short_time (str_member (o, "revoked"));
          SEP ();
          g_string_append_printf (s, _("revoked %s"), revoked);
        }
      else if (str_member (o, "last_used"))
        {
          g_autofree char *used = short_time (str_member (o, "last_used"));
          SEP ();
          g_string_append_printf (s, _("last used %s"), used);
        }
      else
        {
          SEP ();
          g_string_append (s, _("never used"));
        }
    }
#undef SEP
  return g_string_free (s, FALSE);
}

/* Requests */

typedef enum {
  OP_SAVE,
  OP_DELETE,
  OP_ACTION,
  OP_CREATE_KEY,
} OpKind;

typedef struct {
  KsAdminWindow *self;
  Page          *page;
  OpKind         kind;
  char          *success;
  gboolean       close_editor;
} Op;

static void
op_free (Op *op)
{
  g_object_unref (op->self);
  g_free (op->success);
  g_free (op);
}

static void
set_busy (KsAdminWindow *self,
          gboolean       busy)
{
  self->busy += busy ? 1 : -1;
  if (self->editor)
    gtk_widget_set_sensitive (self->editor->save_button, self->busy == 0 && !self->editor->read_only);
}

static void
show_editor_error (KsAdminWindow *self,
                   const char    *message)
{
  if (self->editor == NULL)
    return;
  gtk_label_set_text (GTK_LABEL (self->editor->error_label), message ? message : "");
  gtk_widget_set_visible (self->editor->error_label, message != NULL);
}

static void
close_editor (KsAdminWindow *self)
{
  if (self->editor == NULL)
    return;
  self->editor = NULL;
  if (self->waiting != NULL)
    {
      /* Never shown: it goes (the editor with it) and the window stays as it is. */
      g_clear_object (&self->waiting);
      return;
    }
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void present_editor (KsAdminWindow *self, GtkWidget *box);

static void
on_subpages_transition (KsAdminWindow *self)
{
  g_autoptr(GtkWidget) box = NULL;

  if (self->waiting == NULL ||
      adw_leaflet_get_child_transition_running (ADW_LEAFLET (self->subpages)))
    return;
  box = g_steal_pointer (&self->waiting);
  present_editor (self, box);
}

/* Shows an editor's box as the window's subpage. libadwaita 1.2 loses the
 * subpage it is leaving when another is presented before the slide back has
 * ended (a Gtk-CRITICAL, then a stale page: seen when a busy machine draws
 * the slide slowly), so a new editor waits for the slide to end; meanwhile
 * it is already the open one (fields can be set, Save works). */
static void
present_editor (KsAdminWindow *self,
                GtkWidget     *box)
{
  GtkWidget *parent;

  if (self->subpages != NULL &&
      adw_leaflet_get_child_transition_running (ADW_LEAFLET (self->subpages)))
    {
      g_set_object (&self->waiting, g_object_ref_sink (box));
      g_object_unref (box);
      return;
    }
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), box);
  parent = gtk_widget_get_parent (box);
  if (self->subpages == NULL && ADW_IS_LEAFLET (parent))
    {
      self->subpages = parent;
      g_signal_connect_object (parent, "notify::child-transition-running",
                               G_CALLBACK (on_subpages_transition), self, G_CONNECT_SWAPPED);
    }
}

static void show_new_key (KsAdminWindow *self, JsonObject *answer);

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;
  KsAdminWindow *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_admin_change_finish (KS_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_free (op);
      return;
    }
  set_busy (self, FALSE);
  if (node == NULL)
    {
      if (self->editor && op->close_editor)
        show_editor_error (self, error->message);
      else
        toast (self, error->message);
      op_free (op);
      return;
    }

  if (op->kind == OP_CREATE_KEY && JSON_NODE_HOLDS_OBJECT (node))
    show_new_key (self, json_node_get_object (node));
  if (op->success)
    toast (self, op->success);
  if (op->close_editor)
    close_editor (self);
  load_page (self, op->page);
  if (g_str_equal (op->page->kind->name, "roles"))
    {
      Page *staff = find_page (self, "staff");
      if (staff)
        load_page (self, staff);
    }
  if (g_str_equal (op->page->kind->name, "categories") ||
      g_str_equal (op->page->kind->name, "priorities") ||
      g_str_equal (op->page->kind->name, "templates"))
    ks_session_refresh_lists_async (self->session, NULL, NULL, NULL);
  op_free (op);
}

/* What a change does, sent by send_op(). */
typedef enum {
  CHANGE_CREATE,
  CHANGE_UPDATE,
  CHANGE_DELETE,
  CHANGE_SIGN_OUT,
} Change;

static void
send_op (KsAdminWindow *self,
         Page          *page,
         OpKind         kind,
         Change         change,
         gint64         id,
         JsonNode      *body,
         const char    *success,
         gboolean       close)
{
  KsClient *client = ks_session_get_client (self->session);
  KsAdminCollection collection = page->kind->collection;
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->page = page;
  op->kind = kind;
  op->success = g_strdup (success);
  op->close_editor = close;
  set_busy (self, TRUE);
  show_editor_error (self, NULL);
  switch (change)
    {
    case CHANGE_CREATE:
      ks_admin_create_async (client, collection, body, self->cancellable, on_op_done, op);
      break;
    case CHANGE_UPDATE:
      ks_admin_update_async (client, collection, id, body, self->cancellable, on_op_done, op);
      break;
    case CHANGE_DELETE:
      ks_admin_delete_async (client, collection, id, self->cancellable, on_op_done, op);
      break;
    case CHANGE_SIGN_OUT:
    default:
      ks_admin_sign_out_everywhere_async (client, id, self->cancellable, on_op_done, op);
      break;
    }
}

/* Confirmations */

typedef struct {
  Page     *page;
  OpKind    kind;
  Change    change;
  gint64    id;
  JsonNode *body;
  char     *success;
  gboolean  close;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_clear_pointer (&p->body, json_node_unref);
  g_free (p->success);
  g_free (p);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     KsAdminWindow    *self)
{
  Pending *p = g_object_get_data (G_OBJECT (dialog), "ks-pending");

  if (g_str_equal (response, "confirm") && p)
    send_op (self, p->page, p->kind, p->change, p->id, p->body, p->success, p->close);
}

static void
confirm (KsAdminWindow *self,
         const char    *heading,
         const char    *body,
         const char    *confirm_label,
         Page          *page,
         Change         change,
         gint64         id,
         JsonNode      *json,
         const char    *success,
         gboolean       close)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  Pending *p = g_new0 (Pending, 1);

  p->page = page;
  p->kind = OP_ACTION;
  p->change = change;
  p->id = id;
  p->body = json ? json_node_ref (json) : NULL;
  p->success = g_strdup (success);
  p->close = close;
  g_object_set_data_full (G_OBJECT (dialog), "ks-pending", p, pending_free);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", confirm_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static JsonNode *
single_member (const char *member,
               gboolean    value)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_boolean_member (o, member, value);
  json_node_take_object (node, o);
  return node;
}

/* The new API key, shown once */

static void
on_copy_key (GtkButton     *button,
             KsAdminWindow *self)
{
  if (self->new_key)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), self->new_key);
      gtk_button_set_icon_name (button, "object-select-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
    }
}

static void
show_new_key (KsAdminWindow *self,
              JsonObject    *answer)
{
  const char *key = str_member (answer, "key");
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *copy;

  if (key == NULL)
    return;
  g_free (self->new_key);
  self->new_key = g_strdup (key);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("API Key Created"),
                                                       _("Copy the key now and give it to the client’s operator: "
                                                         "it is shown only this once. If it is lost, revoke it and "
                                                         "create another.")));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (key);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_hexpand (label, TRUE);
  copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_tooltip_text (copy, _("Copy the key"));
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  g_signal_connect_object (copy, "clicked", G_CALLBACK (on_copy_key), self, 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_response (dialog, "close", _("_Done"));
  adw_message_dialog_set_default_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The editor */

static void
on_password_changed (GtkEditable *row,
                     GtkWidget   *meter)
{
  ks_password_meter_set_password (KS_PASSWORD_METER (meter), gtk_editable_get_text (row));
}

static GtkWidget *
check_row (GPtrArray  *checks,
           const char *title,
           const char *subtitle,
           const char *id,
           gboolean    active,
           gboolean    sensitive)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_widget_set_sensitive (check, sensitive);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data_full (G_OBJECT (check), "ks-id", g_strdup (id), g_free);
  g_ptr_array_add (checks, check);
  return row;
}

static gboolean
array_has_id (JsonArray  *a,
              const char *id)
{
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      char buf[32];

      if (JSON_NODE_HOLDS_OBJECT (n))
        n = json_object_get_member (json_node_get_object (n), "id");
      if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
        continue;
      if (json_node_get_value_type (n) == G_TYPE_STRING)
        {
          if (g_strcmp0 (json_node_get_string (n), id) == 0)
            return TRUE;
          continue;
        }
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (n));
      if (g_str_equal (buf, id))
        return TRUE;
    }
  return FALSE;
}

/* The states a template may set: the built-in ones and the council's own that
 * are active (a council deactivates a state to stop offering it), and the
 * template's current one even when it is no longer active, so that saving the
 * template does not change it. */
static GPtrArray *
offered_states (KsAdminWindow *self,
                const char    *current)
{
  GPtrArray *states = g_ptr_array_new ();
  gint64 council = ks_session_get_council_id (self->session);

  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *state = ks_states_nth (i);

      if (g_strcmp0 (state->id, current) == 0 ||
          (!state->inactive && ks_state_in_body (state, council)))
        g_ptr_array_add (states, (gpointer) state);
    }
  return states;
}

static void
add_field (KsAdminWindow *self,
           Editor        *editor,
           GtkWidget     *group,
           const Field   *field)
{
  FieldWidget fw = { field, NULL, NULL, NULL };
  JsonObject *o = editor->obj;
  gboolean editable = !editor->read_only && (o ? (field->flags & ON_EDIT) : (field->flags & ON_CREATE));
  const char *title = _(field->title);

  switch (field->type)
    {
    case F_TEXT:
    case F_NUMBER:
    case F_CSV:
      {
        GtkWidget *row = adw_entry_row_new ();
        g_autofree char *text = NULL;

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        if (field->type == F_CSV && array_member (o, field->member))
          {
            JsonArray *a = array_member (o, field->member);
            GString *s = g_string_new (NULL);

            for (guint i = 0; i < json_array_get_length (a); i++)
              g_string_append_printf (s, "%s%s", i ? ", " : "", json_array_get_string_element (a, i));
            text = g_string_free (s, FALSE);
          }
        else if (field->type == F_NUMBER && o && json_object_has_member (o, field->member) &&
                 JSON_NODE_HOLDS_VALUE (json_object_get_member (o, field->member)))
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, field->member));
        else
          text = g_strdup (str_member (o, field->member));
        gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
        gtk_widget_set_sensitive (row, editable);
        if (field->type == F_NUMBER)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        fw.widget = row;
      }
      break;

    case F_SECRET:
      {
        GtkWidget *row = adw_password_entry_row_new ();

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        gtk_widget_set_sensitive (row, editable);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        fw.widget = row;
      }
      break;

    case F_PASSWORD:
      {
        GtkWidget *row = adw_password_entry_row_new ();
        GtkWidget *meter = ks_password_meter_new ();

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        gtk_widget_set_sensitive (row, editable);
        gtk_widget_set_margin_top (meter, 6);
        g_signal_connect (row, "changed", G_CALLBACK (on_password_changed), meter);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), meter);
        fw.widget = row;
        fw.meter = meter;
      }
      break;

    case F_MULTILINE:
      {
        GtkWidget *label = gtk_label_new (title);
        GtkWidget *frame = gtk_frame_new (NULL);
        GtkWidget *view = gtk_text_view_new ();
        gboolean email = g_str_equal (editor->page->kind->name, "email-templates");
        GtkWidget *help = gtk_label_new (email
          ? _("Placeholders filled from the report: {{reference}}, {{title}}, {{category}}, "
              "{{ward}}, {{state}}, {{council}}, {{reply_to}} (the council’s address), {{url}}, "
              "{{update}} (the news, in update emails), {{fixed_url}} and {{not_fixed_url}} "
              "(questionnaire). The opt-out link is added to every email.")
          : _("Placeholders filled from the report: {{id}}, {{title}}, "
              "{{category}}, {{ward}}, {{state}}, {{user}} (the staff "
              "member sending it), {{council}}."));
        const char *text = str_member (o, field->member);

        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_widget_add_css_class (label, "heading");
        gtk_widget_set_margin_top (label, 12);
        gtk_widget_set_margin_bottom (label, 6);
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
        gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
        gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
        gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
        gtk_widget_set_size_request (view, -1, 120);
        gtk_widget_set_name (view, field->member);
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text ? text : "", -1);
        gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
        gtk_frame_set_child (GTK_FRAME (frame), view);
        gtk_label_set_wrap (GTK_LABEL (help), TRUE);
        gtk_label_set_xalign (GTK_LABEL (help), 0);
        gtk_widget_add_css_class (help, "dim-label");
        gtk_widget_add_css_class (help, "caption");
        gtk_widget_set_margin_top (help, 6);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), help);
        fw.widget = view;
      }
      break;

    case F_BOOL:
      {
        GtkWidget *row = adw_action_row_new ();
        GtkWidget *sw = gtk_switch_new ();

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        gtk_switch_set_active (GTK_SWITCH (sw), bool_member (o, field->member, field->default_on));
        gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
        gtk_widget_set_sensitive (sw, editable);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        fw.widget = sw;
      }
      break;

    case F_STATE:
      {
        GtkWidget *row = adw_combo_row_new ();
        GtkStringList *list = gtk_string_list_new (NULL);
        const char *current = str_member (o, field->member);
        guint selected = 0;

        GPtrArray *ids = offered_states (self, current);

        gtk_string_list_append (list, _("No change"));
        for (guint i = 0; i < ids->len; i++)
          {
            const KsState *state = g_ptr_array_index (ids, i);

            gtk_string_list_append (list, state->label);
            if (g_strcmp0 (current, state->id) == 0)
              selected = i + 1;
          }
        g_object_set_data_full (G_OBJECT (row), "ks-states", ids, (GDestroyNotify) g_ptr_array_unref);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
        gtk_widget_set_sensitive (row, editable);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        g_object_unref (list);
        fw.widget = row;
      }
      break;

    case F_PRIORITY:
      fw.widget = ks_admin_priority_row_new (self->session, title, o, editable);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), fw.widget);
      break;

    case F_EMAIL_KIND:
      {
        GtkWidget *row = adw_combo_row_new ();
        GtkStringList *list = gtk_string_list_new (NULL);
        const char *current = str_member (o, field->member);
        guint selected = 0;

        for (guint i = 0; i < G_N_ELEMENTS (email_kinds); i++)
          {
            gtk_string_list_append (list, _(email_kinds[i].label));
            if (g_strcmp0 (current, email_kinds[i].id) == 0)
              selected = i;
          }
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
        gtk_widget_set_sensitive (row, editable);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        g_object_unref (list);
        fw.widget = row;
      }
      break;

    case F_CATEGORIES:
    case F_ROLES:
    case F_PERMISSIONS:
      {
        GtkWidget *row = adw_expander_row_new ();
        JsonArray *have = array_member (o, field->type == F_ROLES ? "roles" :
                                           field->type == F_CATEGORIES ? "category_ids" : "permissions");
        guint n_on = 0;

        fw.checks = g_ptr_array_new ();
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        if (field->type == F_PERMISSIONS)
          for (guint p = 0; p < KS_N_PERMISSIONS; p++)
            {
              const char *id = ks_permission_id (p);
              gboolean on = array_has_id (have, id);

              n_on += on;
              adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                        check_row (fw.checks, ks_permission_label (p), id, id, on, editable));
            }
        else
          {
            JsonArray *options = field->type == F_ROLES ? self->roles : ks_session_get_categories (self->session);

            for (guint i = 0; options && i < json_array_get_length (options); i++)
              {
                JsonNode *n = json_array_get_element (options, i);
                JsonObject *opt;
                char id[32];
                gboolean on;

                if (!JSON_NODE_HOLDS_OBJECT (n))
                  continue;
                opt = json_node_get_object (n);
                g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, json_object_get_int_member_with_default (opt, "id", 0));
                on = array_has_id (have, id);
                n_on += on;
                adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                          check_row (fw.checks, str_member (opt, "name") ? str_member (opt, "name") : id,
                                                     NULL, id, on, editable));
              }
          }
        if (n_on > 0)
          {
            g_autofree char *sub = g_strdup_printf (ngettext ("%u chosen", "%u chosen", n_on), n_on);
            adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), sub);
          }
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        fw.widget = row;
      }
      break;

    default:
      g_assert_not_reached ();
    }
  g_array_append_val (editor->fields, fw);
}

static char *
field_text (FieldWidget *fw)
{
  if (fw->field->type == F_MULTILINE)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (fw->widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (fw->widget)));
}

/* Builds the body of a save; NULL with a sentence when something is missing. */
static JsonNode *
editor_body (KsAdminWindow *self,
             Editor        *editor,
             char         **out_error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint i = 0; i < editor->fields->len; i++)
    {
      FieldWidget *fw = &g_array_index (editor->fields, FieldWidget, i);
      const Field *f = fw->field;

      if (!(f->flags & (editor->obj ? ON_EDIT : ON_CREATE)))
        continue;
      switch (f->type)
        {
        case F_TEXT:
        case F_MULTILINE:
        case F_PASSWORD:
        case F_SECRET:
        case F_NUMBER:
        case F_CSV:
          {
            g_autofree char *text = field_text (fw);
            char *trimmed = f->type == F_PASSWORD ? text : g_strstrip (text);

            if (f->type == F_SECRET && *trimmed == '\0')
              break;

            if (*trimmed == '\0' && (f->flags & REQUIRED))
              {
                *out_error = g_strdup_printf (_("Fill in “%s”, then save again."), _(f->title));
                return NULL;
              }
            if (f->type == F_PASSWORD)
              {
                if (*trimmed == '\0')
                  break;
                if (!ks_password_meter_get_acceptable (KS_PASSWORD_METER (fw->meter)))
                  {
                    *out_error = g_strdup (ks_password_meter_get_text (KS_PASSWORD_METER (fw->meter)));
                    return NULL;
                  }
              }
            json_builder_set_member_name (b, f->member);
            if (f->type == F_NUMBER)
              {
                char *end = NULL;
                gint64 v;

                if (*trimmed == '\0')
                  {
                    json_builder_add_null_value (b);
                    break;
                  }
                v = g_ascii_strtoll (trimmed, &end, 10);
                if (end == trimmed || *end != '\0' || v < 0)
                  {
                    *out_error = g_strdup_printf (_("“%s” must be a whole number of hours, or empty."), _(f->title));
                    return NULL;
                  }
                json_builder_add_int_value (b, v);
              }
            else if (f->type == F_CSV)
              {
                g_auto(GStrv) parts = g_strsplit (trimmed, ",", -1);

                json_builder_begin_array (b);
                for (guint p = 0; parts[p]; p++)
                  if (*g_strstrip (parts[p]))
                    json_builder_add_string_value (b, parts[p]);
                json_builder_end_array (b);
              }
            else if (*trimmed == '\0' && (f->flags & NULL_IF_EMPTY))
              json_builder_add_null_value (b);
            else
              json_builder_add_string_value (b, trimmed);
          }
          break;

        case F_EMAIL_KIND:
          {
            guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (fw->widget));

            if (sel >= G_N_ELEMENTS (email_kinds))
              sel = 0;
            json_builder_set_member_name (b, f->member);
            json_builder_add_string_value (b, email_kinds[sel].id);
          }
          break;

        case F_BOOL:
          json_builder_set_member_name (b, f->member);
          json_builder_add_boolean_value (b, gtk_switch_get_active (GTK_SWITCH (fw->widget)));
          break;

        case F_PRIORITY:
          {
            gint64 id = 0;

            /* Sent only when chosen: a default no longer offered stays as it is. */
            if (!ks_admin_priority_row_changed (fw->widget, &id))
              break;
            json_builder_set_member_name (b, f->member);
            if (id == 0)
              json_builder_add_null_value (b);
            else
              json_builder_add_int_value (b, id);
          }
          break;

        case F_STATE:
          {
            guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (fw->widget));
            GPtrArray *states = g_object_get_data (G_OBJECT (fw->widget), "ks-states");

            json_builder_set_member_name (b, f->member);
            if (sel == 0 || sel == GTK_INVALID_LIST_POSITION || sel > states->len)
              json_builder_add_null_value (b);
            else
              json_builder_add_string_value (b, ((const KsState *) g_ptr_array_index (states, sel - 1))->id);
          }
          break;

        case F_CATEGORIES:
        case F_ROLES:
        case F_PERMISSIONS:
          json_builder_set_member_name (b, f->member);
          json_builder_begin_array (b);
          for (guint c = 0; c < fw->checks->len; c++)
            {
              GtkCheckButton *check = g_ptr_array_index (fw->checks, c);
              const char *id = g_object_get_data (G_OBJECT (check), "ks-id");

              if (!gtk_check_button_get_active (check))
                continue;
              if (f->type == F_PERMISSIONS)
                json_builder_add_string_value (b, id);
              else
                json_builder_add_int_value (b, g_ascii_strtoll (id, NULL, 10));
            }
          json_builder_end_array (b);
          break;

        default:
          break;
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
on_save_clicked (KsAdminWindow *self)
{
  Editor *editor = self->editor;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *error = NULL;
  g_autofree char *success = NULL;
  const Kind *kind;

  if (editor == NULL || editor->read_only || self->busy > 0)
    return;
  kind = editor->page->kind;
  body = editor_body (self, editor, &error);
  if (body == NULL)
    {
      show_editor_error (self, error);
      return;
    }
  if (editor->obj)
    {
      g_autofree char *what = sentence_case (_(kind->singular));
      success = g_strdup_printf (_("%s saved"), what);
      send_op (self, editor->page, OP_SAVE, CHANGE_UPDATE, editor->id, body, success, TRUE);
    }
  else
    {
      g_autofree char *what = sentence_case (_(kind->singular));
      success = g_strdup_printf (_("%s created"), what);
      send_op (self, editor->page, g_str_equal (kind->name, "api-keys") ? OP_CREATE_KEY : OP_SAVE,
               CHANGE_CREATE, 0, body, success, TRUE);
    }
}

static void
on_back_clicked (KsAdminWindow *self)
{
  close_editor (self);
}

static void
on_delete_clicked (KsAdminWindow *self)
{
  Editor *editor = self->editor;
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;
  const char *name;

  if (editor == NULL || editor->obj == NULL)
    return;
  name = str_member (editor->obj, editor->page->kind->title_member);
  heading = g_strdup_printf (_("Delete “%s”?"), name ? name : "");
  success = g_strdup_printf (_("“%s” deleted."), name ? name : "");
  confirm (self, heading, _("This cannot be undone."), _("_Delete"), editor->page, CHANGE_DELETE, editor->id, NULL,
           success, TRUE);
}

static void
on_staff_action (GtkButton     *button,
                 KsAdminWindow *self)
{
  Editor *editor = self->editor;
  const char *what = g_object_get_data (G_OBJECT (button), "ks-action");
  const char *name;
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (editor == NULL || editor->obj == NULL)
    return;
  name = str_member (editor->obj, "name");
  if (g_str_equal (what, "logout"))
    {
      success = g_strdup_printf (_("%s is signed out everywhere."), name);
      send_op (self, editor->page, OP_ACTION, CHANGE_SIGN_OUT, editor->id, NULL, success, FALSE);
      return;
    }
  if (g_str_equal (what, "deactivate"))
    {
      body = single_member ("active", FALSE);
      heading = g_strdup_printf (_("Deactivate %s?"), name);
      success = g_strdup_printf (_("%s is deactivated."), name);
      confirm (self, heading, _("They are signed out everywhere and cannot sign in until the account is reactivated."),
               _("_Deactivate"), editor->page, CHANGE_UPDATE, editor->id, body, success, TRUE);
    }
  else if (g_str_equal (what, "reactivate"))
    {
      body = single_member ("active", TRUE);
      success = g_strdup_printf (_("%s can sign in again."), name);
      send_op (self, editor->page, OP_ACTION, CHANGE_UPDATE, editor->id, body, success, TRUE);
    }
  else if (g_str_equal (what, "reset-2fa"))
    {
      body = single_member ("two_factor_enabled", FALSE);
      heading = g_strdup_printf (_("Reset Two-Factor Authentication for %s?"), name);
      success = g_strdup_printf (_("Two-factor authentication is off for %s."), name);
      confirm (self, heading, _("Their authenticator app stops working for this account; they can set it up again "
                                "(or must, if the council requires it)."),
               _("_Reset"), editor->page, CHANGE_UPDATE, editor->id, body, success, TRUE);
    }
}

static GtkWidget *
action_button (KsAdminWindow *self,
               const char    *label,
               const char    *action,
               gboolean       destructive)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 6);
  if (destructive)
    gtk_widget_add_css_class (button, "destructive-action");
  if (action)
    {
      g_object_set_data (G_OBJECT (button), "ks-action", (gpointer) action);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_staff_action), self, 0);
    }
  else
    g_signal_connect_object (button, "clicked", G_CALLBACK (on_delete_clicked), self, G_CONNECT_SWAPPED);
  return button;
}

static void
on_editor_destroyed (gpointer data)
{
  Editor *editor = data;
  KsAdminWindow *self = g_object_get_data (G_OBJECT (editor->box), "ks-window");

  if (self && self->editor == editor)
    self->editor = NULL;
  editor_free (editor);
}

/* Going back (button, Escape, swipe) leaves the editor. */
static void
on_editor_unmapped (GtkWidget *box)
{
  KsAdminWindow *self = g_object_get_data (G_OBJECT (box), "ks-window");
  Editor *editor = g_object_get_data (G_OBJECT (box), "ks-editor");

  if (self && self->editor == editor)
    self->editor = NULL;
}

static GtkWidget *
open_editor (KsAdminWindow *self,
             Page          *page,
             JsonObject    *obj)
{
  const Kind *kind = page->kind;
  Editor *editor = g_new0 (Editor, 1);
  GtkWidget *header, *title, *back, *prefs, *group, *error_group;
  g_autofree char *heading = NULL;
  const char *name = str_member (obj, kind->title_member);

  if (name != NULL && g_str_equal (kind->name, "email-templates"))
    name = email_kind_label (name);
  editor->page = page;
  editor->obj = obj ? json_object_ref (obj) : NULL;
  editor->id = obj ? json_object_get_int_member_with_default (obj, "id", 0) : 0;
  editor->fields = g_array_new (FALSE, TRUE, sizeof (FieldWidget));
  editor->read_only = obj && bool_member (obj, "is_default", FALSE);

  editor->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_object_set_data (G_OBJECT (editor->box), "ks-window", self);
  g_object_set_data_full (G_OBJECT (editor->box), "ks-editor", editor, on_editor_destroyed);
  g_signal_connect (editor->box, "unmap", G_CALLBACK (on_editor_unmapped), NULL);

  header = adw_header_bar_new ();
  heading = obj ? g_strdup (name ? name : _(kind->singular))
                : g_strdup_printf (_("New %s"), _(kind->singular));
  title = adw_window_title_new (heading, obj ? _(kind->singular) : NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_widget_set_name (back, "back");
  g_signal_connect_object (back, "clicked", G_CALLBACK (on_back_clicked), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  editor->save_button = gtk_button_new_with_mnemonic (obj ? _("_Save") : _("C_reate"));
  gtk_widget_add_css_class (editor->save_button, "suggested-action");
  g_signal_connect_object (editor->save_button, "clicked", G_CALLBACK (on_save_clicked), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (editor->save_button, !editor->read_only);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), editor->save_button);
  gtk_box_append (GTK_BOX (editor->box), header);

  prefs = adw_preferences_page_new ();
  gtk_widget_set_vexpand (prefs, TRUE);
  gtk_box_append (GTK_BOX (editor->box), prefs);

  error_group = adw_preferences_group_new ();
  editor->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (editor->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (editor->error_label), 0);
  gtk_widget_add_css_class (editor->error_label, "error");
  gtk_widget_set_visible (editor->error_label, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (error_group), editor->error_label);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (prefs), ADW_PREFERENCES_GROUP (error_group));

  group = adw_preferences_group_new ();
  if (editor->read_only)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("This is one of the four default roles: its name and permissions are "
                                             "fixed. Create a custom role for other combinations."));
  else if (g_str_equal (kind->name, "staff") && obj == NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Without a password, the person signs in with a code sent by email."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (prefs), ADW_PREFERENCES_GROUP (group));
  self->editor = editor;
  for (const Field *f = kind->fields; f->member; f++)
    {
      if (obj == NULL && !(f->flags & ON_CREATE))
        continue;
      add_field (self, editor, group, f);
    }

  if (obj && (g_str_equal (kind->name, "staff") || (kind->can_delete && !editor->read_only)))
    {
      GtkWidget *actions = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (actions), _("Actions"));
      if (g_str_equal (kind->name, "staff"))
        {
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions),
                                     action_button (self, _("Sign Out _Everywhere"), "logout", FALSE));
          if (bool_member (obj, "two_factor_enabled", FALSE))
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions),
                                       action_button (self, _("Reset _Two-Factor Authentication…"), "reset-2fa", FALSE));
          if (bool_member (obj, "active", TRUE))
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions),
                                       action_button (self, _("_Deactivate…"), "deactivate", TRUE));
          else
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions),
                                       action_button (self, _("_Reactivate"), "reactivate", FALSE));
        }
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions),
                                   action_button (self, _("_Delete…"), NULL, TRUE));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (prefs), ADW_PREFERENCES_GROUP (actions));
    }

  present_editor (self, editor->box);
  return editor->box;
}

/* Pages and their lists */

static void
on_row_activated (AdwActionRow  *row,
                  KsAdminWindow *self)
{
  Page *page = g_object_get_data (G_OBJECT (row), "ks-page");
  JsonObject *obj = g_object_get_data (G_OBJECT (row), "ks-object");

  if (page && obj && self->busy == 0)
    open_editor (self, page, obj);
}

static void
on_revoke_clicked (GtkButton     *button,
                   KsAdminWindow *self)
{
  Page *page = g_object_get_data (G_OBJECT (button), "ks-page");
  JsonObject *obj = g_object_get_data (G_OBJECT (button), "ks-object");
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;
  const char *name = str_member (obj, "name");

  heading = g_strdup_printf (_("Revoke the Key of “%s”?"), name ? name : "");
  success = g_strdup_printf (_("The key of “%s” is revoked."), name ? name : "");
  confirm (self, heading, _("The client’s requests with this key are refused from now on. This cannot be undone."),
           _("_Revoke"), page, CHANGE_DELETE,
           json_object_get_int_member_with_default (obj, "id", 0), NULL, success, FALSE);
}

static void
clear_rows (Page *page)
{
  for (guint i = 0; i < page->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (page->group), g_ptr_array_index (page->rows, i));
  g_ptr_array_set_size (page->rows, 0);
}

static void
set_status (Page       *page,
            const char *title,
            const char *subtitle,
            gboolean    loading)
{
  gtk_widget_set_visible (page->status_row, title != NULL);
  if (title)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (page->status_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (page->status_row), subtitle ? subtitle : "");
    }
  gtk_widget_set_visible (page->status_spinner, loading);
  gtk_spinner_set_spinning (GTK_SPINNER (page->status_spinner), loading);
  gtk_widget_set_visible (page->retry_button, title != NULL && !loading);
}

static void
show_items (KsAdminWindow *self,
            Page          *page)
{
  const Kind *kind = page->kind;
  guint n = page->items ? json_array_get_length (page->items) : 0;

  clear_rows (page);
  page->n_rows = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (page->items, i);
      JsonObject *o;
      GtkWidget *row;
      g_autofree char *sub = NULL;
      const char *title;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      if (ks_admin_configured_row_is_for (o))
        {
          row = ks_admin_configured_row_new (o);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (page->group), row);
          g_ptr_array_add (page->rows, row);
          page->n_rows++;
          continue;
        }
      title = str_member (o, kind->title_member);
      if (g_str_equal (kind->name, "email-templates"))
        title = email_kind_label (title);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
      sub = describe (kind, o);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      g_object_set_data_full (G_OBJECT (row), "ks-object", json_object_ref (o), (GDestroyNotify) json_object_unref);
      g_object_set_data (G_OBJECT (row), "ks-page", page);
      if (kind->can_edit)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated), self, 0);
        }
      if (g_str_equal (kind->name, "api-keys") && str_member (o, "revoked") == NULL)
        {
          GtkWidget *revoke = gtk_button_new_with_mnemonic (_("_Revoke…"));

          gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (revoke, "destructive-action");
          g_object_set_data_full (G_OBJECT (revoke), "ks-object", json_object_ref (o), (GDestroyNotify) json_object_unref);
          g_object_set_data (G_OBJECT (revoke), "ks-page", page);
          g_signal_connect_object (revoke, "clicked", G_CALLBACK (on_revoke_clicked), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (page->group), row);
      g_ptr_array_add (page->rows, row);
      page->n_rows++;
    }
  if (page->n_rows == 0)
    {
      const char *search = page->search ? gtk_editable_get_text (GTK_EDITABLE (page->search)) : NULL;

      set_status (page, search && *search ? _("No accounts match the search") : _("None yet"), NULL, FALSE);
      gtk_widget_set_visible (page->retry_button, FALSE);
    }
  else
    set_status (page, NULL, NULL, FALSE);
}

typedef struct {
  KsAdminWindow *self;
  Page          *page;
} LoadData;

static void
on_page_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(KsAdminWindow) self = data->self;
  Page *page = data->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = ks_admin_list_finish (KS_CLIENT (source), result, &error);

  g_free (data);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      page->n_rows = -1;
      clear_rows (page);
      set_status (page, _("Could not load the list"), error->message, FALSE);
      return;
    }
  g_clear_pointer (&page->items, json_array_unref);
  page->items = json_array_ref (items);
  if (g_str_equal (page->kind->name, "roles"))
    {
      g_clear_pointer (&self->roles, json_array_unref);
      self->roles = json_array_ref (items);
    }
  show_items (self, page);
}

static void
load_page (KsAdminWindow *self,
           Page          *page)
{
  LoadData *data = g_new0 (LoadData, 1);
  const char *search = NULL;

  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  page->cancellable = g_cancellable_new ();
  page->n_rows = -1;
  if (page->kind->collection == KS_ADMIN_STAFF)
    search = gtk_editable_get_text (GTK_EDITABLE (page->search));
  if (page->rows->len == 0)
    set_status (page, _("Loading…"), NULL, TRUE);
  data->self = g_object_ref (self);
  data->page = page;
  ks_admin_list_async (ks_session_get_client (self->session), page->kind->collection, search,
                       page->cancellable, on_page_loaded, data);
}

static void
on_new_clicked (GtkButton     *button,
                KsAdminWindow *self)
{
  Page *page = g_object_get_data (G_OBJECT (button), "ks-page");

  if (self->busy == 0)
    open_editor (self, page, NULL);
}

static void
on_retry_clicked (GtkButton     *button,
                  KsAdminWindow *self)
{
  load_page (self, g_object_get_data (G_OBJECT (button), "ks-page"));
}

static void
on_search_changed (GtkSearchEntry *entry,
                   KsAdminWindow  *self)
{
  load_page (self, g_object_get_data (G_OBJECT (entry), "ks-page"));
}

static void
add_page (KsAdminWindow *self,
          const Kind    *kind)
{
  Page *page = g_new0 (Page, 1);
  GtkWidget *suffix, *new_button, *search_group;
  g_autofree char *new_label = g_strdup_printf (_("New %s…"), _(kind->singular));

  page->kind = kind;
  page->rows = g_ptr_array_new ();
  page->n_rows = -1;
  page->page = adw_preferences_page_new ();
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (page->page), kind->name);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page->page), _(kind->title));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page->page), kind->icon);

  page->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (page->group), _(kind->title));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (page->group), _(kind->description));

  suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (g_str_equal (kind->name, "staff"))
    {
      page->search = gtk_search_entry_new ();
      g_object_set (page->search, "placeholder-text", _("Search by name or email"), NULL);
      gtk_widget_set_valign (page->search, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (page->search), "ks-page", page);
      g_signal_connect_object (page->search, "search-changed", G_CALLBACK (on_search_changed), self, 0);
      search_group = adw_preferences_group_new ();
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (search_group), page->search);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page->page), ADW_PREFERENCES_GROUP (search_group));
    }
  new_button = gtk_button_new_with_label (new_label);
  gtk_widget_set_valign (new_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (new_button, "suggested-action");
  g_object_set_data (G_OBJECT (new_button), "ks-page", page);
  g_signal_connect_object (new_button, "clicked", G_CALLBACK (on_new_clicked), self, 0);
  gtk_box_append (GTK_BOX (suffix), new_button);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (page->group), suffix);

  page->status_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (page->status_row), FALSE);
  page->status_spinner = gtk_spinner_new ();
  page->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_valign (page->retry_button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (page->retry_button), "ks-page", page);
  g_signal_connect_object (page->retry_button, "clicked", G_CALLBACK (on_retry_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (page->status_row), page->status_spinner);
  adw_action_row_add_suffix (ADW_ACTION_ROW (page->status_row), page->retry_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (page->group), page->status_row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page->page), ADW_PREFERENCES_GROUP (page->group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page->page));
  g_ptr_array_add (self->pages, page);
}

static void
ks_admin_window_dispose (GObject *object)
{
  KsAdminWindow *self = KS_ADMIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint i = 0; self->pages && i < self->pages->len; i++)
    g_cancellable_cancel (((Page *) g_ptr_array_index (self->pages, i))->cancellable);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  self->editor = NULL;
  g_clear_object (&self->waiting);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_ADMIN_WINDOW);

  G_OBJECT_CLASS (ks_admin_window_parent_class)->dispose (object);
}

static void
ks_admin_window_finalize (GObject *object)
{
  KsAdminWindow *self = KS_ADMIN_WINDOW (object);

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->roles, json_array_unref);
  g_clear_object (&self->session);
  g_free (self->last_toast);
  g_free (self->new_key);

  G_OBJECT_CLASS (ks_admin_window_parent_class)->finalize (object);
}

static void
ks_admin_window_class_init (KsAdminWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_admin_window_dispose;
  object_class->finalize = ks_admin_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-admin-window.ui");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
ks_admin_window_init (KsAdminWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pages = g_ptr_array_new_with_free_func (page_free);
  self->cancellable = g_cancellable_new ();
}

static void
on_session_ended (KsAdminWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

gboolean
ks_admin_window_has_pages (KsSession *session)
{
  g_return_val_if_fail (KS_IS_SESSION (session), FALSE);

  if (!ks_session_is_signed_in (session))
    return FALSE;
  if (ks_council_settings_allowed (session))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (ks_session_can (session, kinds[i].perm))
      return TRUE;
  return FALSE;
}

GtkWidget *
ks_admin_window_new (GtkWindow *parent,
                     KsSession *session)
{
  KsAdminWindow *self;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_ADMIN_WINDOW, "transient-for", parent, NULL);
  if (parent)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "signed-out", G_CALLBACK (on_session_ended), self);
  g_signal_connect_swapped (session, "two-factor-setup-required", G_CALLBACK (on_session_ended), self);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (ks_session_can (session, kinds[i].perm))
      add_page (self, &kinds[i]);
  for (guint i = 0; i < self->pages->len; i++)
    load_page (self, g_ptr_array_index (self->pages, i));
  if (ks_council_settings_allowed (session))
    {
      self->council_page = ks_council_settings_new (session);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->council_page));
    }
  return GTK_WIDGET (self);
}

GtkWidget *
ks_admin_window_show (GtkWindow *parent,
                      KsSession *session)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *window = NULL;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  if (!ks_admin_window_has_pages (session))
    return NULL;
  for (guint i = 0; window == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (KS_IS_ADMIN_WINDOW (w) && gtk_window_get_transient_for (w) == parent &&
          KS_ADMIN_WINDOW (w)->session == session)
        window = GTK_WIDGET (w);
    }
  if (window == NULL)
    window = ks_admin_window_new (parent, session);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* For tests */

char **
ks_admin_window_get_page_names (KsAdminWindow *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  for (guint i = 0; i < self->pages->len; i++)
    g_strv_builder_add (b, ((Page *) g_ptr_array_index (self->pages, i))->kind->name);
  return g_strv_builder_end (b);
}

void
ks_admin_window_show_page (KsAdminWindow *self,
                           const char    *name)
{
  Page *page;

  g_return_if_fail (KS_IS_ADMIN_WINDOW (self));
  if ((page = find_page (self, name)))
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page->page));
  else if (g_strcmp0 (name, "council") == 0 && self->council_page != NULL)
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                             ADW_PREFERENCES_PAGE (self->council_page));
}

GtkWidget *
ks_admin_window_get_council_settings (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  return self->council_page;
}

int
ks_admin_window_get_n_rows (KsAdminWindow *self,
                            const char    *name)
{
  Page *page;

  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), -1);
  page = find_page (self, name);
  return page ? page->n_rows : -1;
}

GtkWidget *
ks_admin_window_open_editor (KsAdminWindow *self,
                             const char    *name,
                             gint64         id)
{
  Page *page;

  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  if ((page = find_page (self, name)) == NULL)
    return NULL;
  if (id == 0)
    return open_editor (self, page, NULL);
  for (guint i = 0; page->items && i < json_array_get_length (page->items); i++)
    {
      JsonObject *o = json_array_get_object_element (page->items, i);

      if (o && json_object_get_int_member_with_default (o, "id", 0) == id)
        return open_editor (self, page, o);
    }
  return NULL;
}

static FieldWidget *
editor_field (KsAdminWindow *self,
              const char    *member)
{
  for (guint i = 0; self->editor && i < self->editor->fields->len; i++)
    {
      FieldWidget *fw = &g_array_index (self->editor->fields, FieldWidget, i);

      if (g_str_equal (fw->field->member, member))
        return fw;
    }
  return NULL;
}

void
ks_admin_window_editor_set (KsAdminWindow *self,
                            const char    *member,
                            const char    *value)
{
  FieldWidget *fw;

  g_return_if_fail (KS_IS_ADMIN_WINDOW (self));
  fw = editor_field (self, member);
  g_return_if_fail (fw != NULL);

  switch (fw->field->type)
    {
    case F_MULTILINE:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (fw->widget)), value ? value : "", -1);
      break;
    case F_BOOL:
      gtk_switch_set_active (GTK_SWITCH (fw->widget), g_strcmp0 (value, "true") == 0);
      break;
    case F_STATE:
      {
        GPtrArray *states = g_object_get_data (G_OBJECT (fw->widget), "ks-states");

        adw_combo_row_set_selected (ADW_COMBO_ROW (fw->widget), 0);
        for (guint i = 0; value && i < states->len; i++)
          if (g_str_equal (((const KsState *) g_ptr_array_index (states, i))->id, value))
            adw_combo_row_set_selected (ADW_COMBO_ROW (fw->widget), i + 1);
      }
      break;
    case F_PRIORITY:
      ks_admin_priority_row_select (fw->widget, value);
      break;
    case F_EMAIL_KIND:
      for (guint i = 0; value && i < G_N_ELEMENTS (email_kinds); i++)
        if (g_str_equal (email_kinds[i].id, value))
          adw_combo_row_set_selected (ADW_COMBO_ROW (fw->widget), i);
      break;
    case F_CATEGORIES:
    case F_ROLES:
    case F_PERMISSIONS:
      g_return_if_reached ();
    default:
      gtk_editable_set_text (GTK_EDITABLE (fw->widget), value ? value : "");
    }
}

char **
ks_admin_window_editor_choices (KsAdminWindow *self,
                                const char    *member)
{
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  FieldWidget *fw;
  GListModel *model;

  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  fw = editor_field (self, member);
  g_return_val_if_fail (fw != NULL && ADW_IS_COMBO_ROW (fw->widget), NULL);
  model = adw_combo_row_get_model (ADW_COMBO_ROW (fw->widget));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_strv_builder_add (labels, gtk_string_object_get_string (item));
    }
  return g_strv_builder_end (labels);
}

void
ks_admin_window_editor_check (KsAdminWindow *self,
                              const char    *member,
                              const char    *id,
                              gboolean       checked)
{
  FieldWidget *fw;

  g_return_if_fail (KS_IS_ADMIN_WINDOW (self));
  fw = editor_field (self, member);
  g_return_if_fail (fw != NULL && fw->checks != NULL);

  for (guint i = 0; i < fw->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (fw->checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "ks-id"), id) == 0)
        {
          gtk_check_button_set_active (check, checked);
          return;
        }
    }
  g_warning ("No choice %s in %s", id, member);
}

void
ks_admin_window_editor_save (KsAdminWindow *self)
{
  g_return_if_fail (KS_IS_ADMIN_WINDOW (self));
  on_save_clicked (self);
}

gboolean
ks_admin_window_get_busy (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), FALSE);
  return self->busy > 0;
}

gboolean
ks_admin_window_editor_open (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), FALSE);
  return self->editor != NULL;
}

const char *
ks_admin_window_get_editor_error (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  if (self->editor == NULL || !gtk_widget_get_visible (self->editor->error_label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->editor->error_label));
}

const char *
ks_admin_window_get_last_toast (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  return self->last_toast;
}

const char *
ks_admin_window_get_new_key (KsAdminWindow *self)
{
  g_return_val_if_fail (KS_IS_ADMIN_WINDOW (self), NULL);
  return self->new_key;
}
