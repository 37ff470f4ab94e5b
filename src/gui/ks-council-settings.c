/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council-settings.c: the council's settings page (see ks-council-settings.h).
 * The fields send what the person typed; the server checks every value (one
 * set of rules, docs/api.md) and names the field it refuses, whose row then
 * shows the sentence. */
#define G_LOG_DOMAIN "ks-council-settings"

#include "ks-council-settings.h"
#include "ks-admin.h"
#include "ks-error.h"
#include "ks-field-form.h"
#include "ks-site-message-editor.h"

#include <glib/gi18n.h>

static const KsField fields[] = {
  { "name", N_("Name"), NULL, KS_FIELD_TEXT, TRUE },
  { "email", N_("Contact Address"), N_("Residents' emails come from it"), KS_FIELD_TEXT, FALSE },
  { "public_url", N_("Public URL"), N_("The council's own site for residents (https://…)"), KS_FIELD_TEXT, FALSE },
  { "require_2fa", N_("Require Two-Factor Authentication"), N_("Every member of staff must set it up"), KS_FIELD_SWITCH, FALSE },
  { "password_min_length", N_("Minimum Password Length"), N_("6 to 64 characters"), KS_FIELD_NUMBER, FALSE },
  { "duplicate_radius", N_("Duplicate Radius"), N_("Metres new categories look for duplicates within (0 to 5000)"), KS_FIELD_NUMBER, FALSE },
  { "max_photos", N_("Photos per Report"), N_("1 to 20"), KS_FIELD_NUMBER, FALSE },
  { "retention_reporter_days", N_("Keep Reporters' Details"), N_("Days after a report is closed; 0 keeps them"), KS_FIELD_NUMBER, FALSE },
  { "retention_audit_days", N_("Keep the Audit Log"), N_("Days; 0 keeps it"), KS_FIELD_NUMBER, FALSE },
  { "retention_staff_days", N_("Deactivate Unused Staff Accounts"), N_("Days without a sign-in; 0 never"), KS_FIELD_NUMBER, FALSE },
};
#define N_FIELDS G_N_ELEMENTS (fields)

struct _KsCouncilSettings
{
  AdwPreferencesPage parent_instance;

  KsSession    *session;
  GCancellable *cancellable;
  GtkWidget    *group;
  GtkWidget    *save_button;
  GtkWidget    *status;
  GtkWidget    *rows[N_FIELDS];
  GtkWidget    *inputs[N_FIELDS];   /* entry row, spin button or switch */
  GtkWidget    *errors[N_FIELDS];   /* the sentence under the row */
  JsonObject   *council;            /* as the server last gave it */
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (KsCouncilSettings, ks_council_settings, ADW_TYPE_PREFERENCES_PAGE)

static int
field_index (const char *name)
{
  return ks_field_index (fields, N_FIELDS, name);
}

static void
show_error (KsCouncilSettings *self,
            int                index,
            const char        *message)
{
  ks_field_errors_show (self->rows, self->errors, N_FIELDS, self->status, index, message);
}

static void
set_busy (KsCouncilSettings *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->save_button, !busy && self->council != NULL);
}

/* The fields show the council as the server gave it. */
static void
fill (KsCouncilSettings *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      JsonNode *node = self->council ? json_object_get_member (self->council, fields[i].name) : NULL;
      gboolean null = node == NULL || JSON_NODE_HOLDS_NULL (node);

      switch (fields[i].type)
        {
        case KS_FIELD_TEXT:
          gtk_editable_set_text (GTK_EDITABLE (self->inputs[i]), null ? "" : json_node_get_string (node));
          break;
        case KS_FIELD_NUMBER:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->inputs[i]), null ? 0 : json_node_get_int (node));
          break;
        case KS_FIELD_SWITCH:
          gtk_switch_set_active (GTK_SWITCH (self->inputs[i]), !null && json_node_get_boolean (node));
          break;
        }
    }
  if (self->council != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                           json_object_get_string_member_with_default (self->council, "slug", NULL));
}

static void
take_council (KsCouncilSettings *self,
              JsonNode          *node)
{
  g_clear_pointer (&self->council, json_object_unref);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->council = json_object_ref (json_node_get_object (node));
  fill (self);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KsCouncilSettings) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_admin_change_finish (KS_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (node == NULL)
    {
      show_error (self, -1, error->message);
      return;
    }
  take_council (self, node);
  set_busy (self, FALSE);
  show_error (self, -1, NULL);
}

void
ks_council_settings_reload (KsCouncilSettings *self)
{
  KsClient *client;

  g_return_if_fail (KS_IS_COUNCIL_SETTINGS (self));
  if ((client = ks_session_get_client (self->session)) == NULL)
    return;
  g_clear_pointer (&self->council, json_object_unref);
  set_busy (self, TRUE);
  ks_admin_get_council_async (client, self->cancellable, on_loaded, g_object_ref (self));
}

/* What the person changed, as the API takes it. */
static JsonNode *
changes (KsCouncilSettings *self)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  for (guint i = 0; i < N_FIELDS; i++)
    {
      JsonNode *was = self->council ? json_object_get_member (self->council, fields[i].name) : NULL;
      gboolean was_null = was == NULL || JSON_NODE_HOLDS_NULL (was);

      if (!gtk_widget_get_sensitive (self->rows[i]))
        continue;
      switch (fields[i].type)
        {
        case KS_FIELD_TEXT:
          {
            const char *text = gtk_editable_get_text (GTK_EDITABLE (self->inputs[i]));
            if (g_strcmp0 (text, was_null ? "" : json_node_get_string (was)) != 0)
              json_object_set_string_member (obj, fields[i].name, text);
          }
          break;
        case KS_FIELD_NUMBER:
          {
            gint64 value = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->inputs[i]));
            if (was_null || value != json_node_get_int (was))
              json_object_set_int_member (obj, fields[i].name, value);
          }
          break;
        case KS_FIELD_SWITCH:
          {
            gboolean on = gtk_switch_get_active (GTK_SWITCH (self->inputs[i]));
            if (was_null || on != json_node_get_boolean (was))
              json_object_set_boolean_member (obj, fields[i].name, on);
          }
          break;
        }
    }
  return json_node_init_object (json_node_alloc (), obj);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KsCouncilSettings) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_admin_change_finish (KS_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (node == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, field_index (ks_admin_error_field (result)), error->message);
      return;
    }
  take_council (self, node);
  set_busy (self, FALSE);
  show_error (self, -1, NULL);
}

void
ks_council_settings_save (KsCouncilSettings *self)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_COUNCIL_SETTINGS (self));
  if (self->busy || self->council == NULL || ks_session_get_client (self->session) == NULL)
    return;
  body = changes (self);
  show_error (self, -1, NULL);
  set_busy (self, TRUE);
  ks_admin_update_council_async (ks_session_get_client (self->session), body, self->cancellable,
                                 on_saved, g_object_ref (self));
}

static void
add_field (KsCouncilSettings *self,
           guint              i,
           gboolean           operator)
{
  const KsField *f = &fields[i];
  GtkWidget *row, *error_row;

  if (f->type == KS_FIELD_TEXT)
    {
      row = adw_entry_row_new ();
      self->inputs[i] = row;
    }
  else
    {
      row = adw_action_row_new ();
      if (f->type == KS_FIELD_NUMBER)
        {
          /* Wide limits: the server says which values a council may have. */
          self->inputs[i] = gtk_spin_button_new_with_range (0, 100000, 1);
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->inputs[i]), TRUE);
        }
      else
        self->inputs[i] = gtk_switch_new ();
      gtk_widget_set_valign (self->inputs[i], GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->inputs[i]);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->inputs[i]);
      if (f->subtitle)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(f->subtitle));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->title));
  gtk_widget_set_name (row, f->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->inputs[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(f->title), -1);
  if (f->operator_only && !operator)
    {
      gtk_widget_set_sensitive (row, FALSE);
      gtk_widget_set_tooltip_text (row, _("Only platform operators change a council's name."));
    }
  self->rows[i] = row;
  error_row = ks_field_error_row_new (&self->errors[i]);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), error_row);
}

gboolean
ks_council_settings_allowed (KsSession *session)
{
  return ks_session_is_signed_in (session) &&
         (ks_session_is_superuser (session) || ks_session_can (session, KS_PERM_MANAGE_STAFF));
}

GtkWidget *
ks_council_settings_new (KsSession *session)
{
  KsCouncilSettings *self;
  gboolean operator;
  GtkWidget *suffix;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_COUNCIL_SETTINGS, "name", "council", "title", _("Council"),
                       "icon-name", "preferences-system-symbolic", NULL);
  self->session = g_object_ref (session);
  operator = ks_session_is_superuser (session);

  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Council Settings"));
  suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_valign (self->save_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (ks_council_settings_save), self);
  gtk_box_append (GTK_BOX (suffix), self->save_button);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->group), suffix);

  self->status = ks_field_status_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->status);
  for (guint i = 0; i < N_FIELDS; i++)
    add_field (self, i, operator);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (self->group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self),
                            ADW_PREFERENCES_GROUP (ks_site_message_editor_new (session)));
  ks_council_settings_reload (self);
  return GTK_WIDGET (self);
}

char *
ks_council_settings_get (KsCouncilSettings *self,
                         const char        *field)
{
  int i = field_index (field);

  g_return_val_if_fail (KS_IS_COUNCIL_SETTINGS (self) && i >= 0, NULL);
  switch (fields[i].type)
    {
    case KS_FIELD_TEXT:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->inputs[i])));
    case KS_FIELD_NUMBER:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->inputs[i])));
    default:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (self->inputs[i])) ? "true" : "false");
    }
}

void
ks_council_settings_set (KsCouncilSettings *self,
                         const char        *field,
                         const char        *text)
{
  int i = field_index (field);

  g_return_if_fail (KS_IS_COUNCIL_SETTINGS (self) && i >= 0);
  switch (fields[i].type)
    {
    case KS_FIELD_TEXT:
      gtk_editable_set_text (GTK_EDITABLE (self->inputs[i]), text);
      break;
    case KS_FIELD_NUMBER:
      gtk_editable_set_text (GTK_EDITABLE (self->inputs[i]), text);
      gtk_spin_button_update (GTK_SPIN_BUTTON (self->inputs[i]));
      break;
    default:
      gtk_switch_set_active (GTK_SWITCH (self->inputs[i]), g_strcmp0 (text, "true") == 0);
    }
}

const char *
ks_council_settings_get_error (KsCouncilSettings *self,
                               const char        *field)
{
  int i = field_index (field);

  g_return_val_if_fail (KS_IS_COUNCIL_SETTINGS (self) && i >= 0, NULL);
  return ks_field_error_shown (self->errors[i]);
}

gboolean
ks_council_settings_get_busy (KsCouncilSettings *self)
{
  g_return_val_if_fail (KS_IS_COUNCIL_SETTINGS (self), FALSE);
  return self->busy;
}

gboolean
ks_council_settings_get_loaded (KsCouncilSettings *self)
{
  g_return_val_if_fail (KS_IS_COUNCIL_SETTINGS (self), FALSE);
  return !self->busy && self->council != NULL;
}

static void
ks_council_settings_dispose (GObject *object)
{
  KsCouncilSettings *self = KS_COUNCIL_SETTINGS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->council, json_object_unref);
  G_OBJECT_CLASS (ks_council_settings_parent_class)->dispose (object);
}

static void
ks_council_settings_class_init (KsCouncilSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ks_council_settings_dispose;
}

static void
ks_council_settings_init (KsCouncilSettings *self)
{
  self->cancellable = g_cancellable_new ();
}
