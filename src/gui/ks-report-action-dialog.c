/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-action-dialog.c: the report detail's action dialogs. One template
 * holds every part; each action shows its own parts and sends its answer
 * through the session, with the detail showing the result. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-action-dialog.h"
#include "ks-report-detail-private.h"

#include <glib/gi18n.h>

#include "ks-photo-picker.h"
#include "ks-states.h"

typedef enum {
  DIALOG_UPDATE,
  DIALOG_STATE,
  DIALOG_PRIORITY,
  DIALOG_REQUEST_INFO,
  DIALOG_MODERATE,
  DIALOG_HIDE,
} DialogKind;

struct _KsReportActionDialog
{
  AdwMessageDialog  parent_instance;

  DialogKind        kind;
  GWeakRef          detail;
  KsReport         *report;          /* the report when the dialog opened */

  JsonArray        *templates;       /* update: the category's templates */
  char             *template_text;   /* update: the chosen template, expanded */
  gint64            template_id;
  const char       *template_state_id;
  const char       *state_id;        /* state: the chosen state */
  GArray           *priority_ids;    /* priority: an id per row (0: none) */
  guint             priority_now;    /* priority: the row of the report's own */
  char             *old_detail;      /* moderate: the text as it was */

  GtkWidget        *box;
  GtkWidget        *template_picker;
  GtkWidget        *template_state;
  GtkWidget        *state_picker;
  GtkWidget        *state_column_open;
  GtkWidget        *state_column_done;
  GtkWidget        *text_caption;
  GtkWidget        *title_entry;
  GtkWidget        *text_scroller;
  GtkWidget        *text_view;
  GtkWidget        *hide_name;
  GtkWidget        *remove_photo;
  GtkWidget        *photo_picker;
  GtkWidget        *reason_entry;
  GtkWidget        *priority_picker;
  GtkWidget        *internal_check;   /* the update: staff only */
};

G_DEFINE_FINAL_TYPE (KsReportActionDialog, ks_report_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const struct {
  const char *action;
  DialogKind  kind;
} kinds[] = {
  { "update",       DIALOG_UPDATE },
  { "state",        DIALOG_STATE },
  { "priority",     DIALOG_PRIORITY },
  { "request-info", DIALOG_REQUEST_INFO },
  { "moderate",     DIALOG_MODERATE },
  { "hide",         DIALOG_HIDE },
};

static char *
text_view_get_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

/* The heading, the body, Cancel and the action's own response. */
static void
set_responses (KsReportActionDialog  *self,
               const char            *heading,
               const char            *body,
               const char            *ok_id,
               const char            *ok_label,
               AdwResponseAppearance  appearance)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    ok_id, ok_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, ok_id, appearance);
  adw_message_dialog_set_default_response (dialog, appearance == ADW_RESPONSE_DESTRUCTIVE ? "cancel" : ok_id);
}

/* Enables the response only while the text view has text. */
static void
on_required_text_changed (GtkTextBuffer        *buffer,
                          KsReportActionDialog *self)
{
  const char *response = self->kind == DIALOG_UPDATE ? "send" : "ask";

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), response,
                                           gtk_text_buffer_get_char_count (buffer) != 0);
}

static void
require_text (KsReportActionDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));

  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_required_text_changed), self, 0);
  on_required_text_changed (buffer, self);
}

static void
show_text (KsReportActionDialog *self,
           const char           *initial)
{
  if (initial)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), initial, -1);
  gtk_widget_set_visible (self->text_scroller, TRUE);
}

/* Public update, with templates */

static guint
state_rank (const char *id)
{
  for (guint i = 0; i < ks_states_count (); i++)
    if (g_strcmp0 (ks_states_nth (i)->id, id) == 0)
      return i;
  return G_MAXUINT;
}

/* Says what the chosen template does to the state, and lets the person keep
 * the current one: "Also set the state to X", on by default only when X moves
 * the report forward. */
static void
show_template_state (KsReportActionDialog *self,
                     KsSession            *session,
                     JsonObject           *tmpl)
{
  GtkWidget *check = self->template_state;
  KsReport *report = self->report;
  const char *target = tmpl ? json_object_get_string_member_with_default (tmpl, "state", NULL) : NULL;
  const KsState *to = ks_state_lookup (target);
  const KsState *now = ks_state_lookup (ks_report_get_state (report));
  g_autofree char *text = NULL;
  gboolean forward;

  if (to == NULL || now == to || !ks_session_can (session, KS_PERM_UPDATE_STATUS))
    {
      gtk_widget_set_visible (check, FALSE);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
      return;
    }
  forward = state_rank (to->id) > state_rank (now ? now->id : ks_report_get_state (report));
  text = forward
    ? g_strdup_printf (_("Also set the state to “%s” (now “%s”)"), to->label, now ? now->label : ks_report_get_state (report))
    : g_strdup_printf (_("Also set the state back to “%s” (now “%s”)"), to->label, now ? now->label : ks_report_get_state (report));
  gtk_check_button_set_label (GTK_CHECK_BUTTON (check), text);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), forward);
  self->template_state_id = to->id;
  gtk_widget_set_visible (check, TRUE);
}

static void
on_template_selected (GtkDropDown          *dropdown,
                      GParamSpec           *pspec,
                      KsReportActionDialog *self)
{
  g_autoptr(KsReportDetail) detail = g_weak_ref_get (&self->detail);
  KsSession *session = detail ? ks_report_detail_get_session (detail) : NULL;
  guint pos = gtk_drop_down_get_selected (dropdown);
  JsonObject *tmpl;
  g_autofree char *text = NULL;

  if (session == NULL)
    return;
  if (pos == 0 || pos == GTK_INVALID_LIST_POSITION || self->templates == NULL)
    {
      show_template_state (self, session, NULL);
      return;
    }

  tmpl = json_array_get_object_element (self->templates, pos - 1);
  text = ks_session_expand_template (session,
                                     json_object_get_string_member_with_default (tmpl, "text", ""),
                                     self->report);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), text, -1);
  g_free (self->template_text);
  self->template_text = g_strdup (g_strstrip (text));
  self->template_id = json_object_get_int_member_with_default (tmpl, "id", 0);
  show_template_state (self, session, tmpl);
}

/* The update's audience: the public (the default) or staff only (an internal
 * note, never shown to the reporter or in Open311). */
static void
on_internal_toggled (GtkCheckButton       *check,
                     GParamSpec           *pspec,
                     KsReportActionDialog *self)
{
  gboolean internal = gtk_check_button_get_active (check);

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                  internal ? _("Internal Note") : _("Public Update"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               internal ? _("Only council staff will see this note. The reporter "
                                            "and the public will not.")
                                        : _("The reporter and everyone following the report will see this update."));
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "send",
                                         internal ? _("_Save Note") : _("_Post Update"));
}

static void
add_internal_choice (KsReportActionDialog *self)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (_("_Internal note: staff only, not shown publicly"));

  gtk_widget_set_name (check, "internal-note");
  g_signal_connect (check, "notify::active", G_CALLBACK (on_internal_toggled), self);
  gtk_box_append (GTK_BOX (self->box), check);
  self->internal_check = check;
}

static void
setup_update (KsReportActionDialog *self,
              KsSession            *session)
{
  set_responses (self, _("Public Update"),
                 _("The reporter and everyone following the report will see this update."),
                 "send", _("_Post Update"), ADW_RESPONSE_SUGGESTED);

  if (ks_session_can (session, KS_PERM_USE_TEMPLATES))
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      self->templates = ks_session_get_templates_for_category (session, ks_report_get_category_id (self->report));
      gtk_string_list_append (names, _("No template"));
      for (guint i = 0; self->templates && i < json_array_get_length (self->templates); i++)
        gtk_string_list_append (names, json_object_get_string_member_with_default (
                                  json_array_get_object_element (self->templates, i), "title", ""));

      gtk_drop_down_set_model (GTK_DROP_DOWN (self->template_picker), G_LIST_MODEL (names));
      gtk_widget_set_sensitive (self->template_picker,
                                self->templates && json_array_get_length (self->templates) > 0);
      g_signal_connect (self->template_picker, "notify::selected", G_CALLBACK (on_template_selected), self);
      gtk_widget_set_visible (self->template_picker, TRUE);
    }

  show_text (self, NULL);
  require_text (self);
  gtk_widget_set_visible (self->photo_picker, TRUE);
  add_internal_choice (self);
}

static void
respond_update (KsReportActionDialog *self,
                KsReportDetail       *detail,
                KsSession            *session)
{
  gint64 id = ks_report_get_id (self->report);
  g_autofree char *text = text_view_get_text (self->text_view);
  g_autofree char *message = g_strdup_printf (_("Update posted on report %" G_GINT64_FORMAT "."), id);
  GBytes *photo = ks_photo_picker_get_photo (KS_PHOTO_PICKER (self->photo_picker));
  gboolean apply_state = gtk_widget_get_visible (self->template_state)
                         && gtk_check_button_get_active (GTK_CHECK_BUTTON (self->template_state));
  gboolean internal = self->internal_check != NULL
                      && gtk_check_button_get_active (GTK_CHECK_BUTTON (self->internal_check));

  if (internal)
    {
      /* An internal note is only text (and a photo): no template reply, no state. */
      g_free (message);
      message = g_strdup_printf (_("Internal note saved on report %" G_GINT64_FORMAT "."), id);
      if (photo != NULL)
        ks_session_add_update_with_photo_async (session, id, text, FALSE, photo, NULL,
                                                ks_report_detail_action_done,
                                                ks_report_detail_action_data (detail, message));
      else
        ks_session_add_update_async (session, id, text, FALSE, NULL,
                                     ks_report_detail_action_done,
                                     ks_report_detail_action_data (detail, message));
    }
  else if (photo != NULL)
    ks_session_add_update_with_photo_async (session, id, text, TRUE, photo, NULL,
                                            ks_report_detail_action_done,
                                            ks_report_detail_action_data (detail, message));
  else if (self->template_id != 0 && self->template_text && g_str_equal (self->template_text, text))
    ks_session_use_template_async (session, id, self->template_id, apply_state, NULL,
                                   ks_report_detail_action_done,
                                   ks_report_detail_action_data (detail, message));
  else if (apply_state)
    /* The template's text was edited: the update and the state it asked for. */
    ks_session_set_state_async (session, id, self->template_state_id, text, NULL,
                                ks_report_detail_action_done,
                                ks_report_detail_action_data (detail, message));
  else
    ks_session_add_update_async (session, id, text, TRUE, NULL,
                                 ks_report_detail_action_done,
                                 ks_report_detail_action_data (detail, message));
}

/* State */

static void
on_state_toggled (GtkCheckButton       *check,
                  KsReportActionDialog *self)
{
  const char *state_id = g_object_get_data (G_OBJECT (check), "ks-state-id");

  if (!gtk_check_button_get_active (check))
    return;
  self->state_id = state_id;
  /* Changing to the state the report has would change nothing. */
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "change",
                                           g_strcmp0 (state_id, ks_report_get_state (self->report)) != 0);
}

/* The states a person may choose in Change State: open, fixed and closed, in
 * the order of the states table. Unconfirmed is the reporter's step, and
 * hiding has its own action (and permission). */
static gboolean
state_choosable (const KsState *state)
{
  return state->kind == KS_STATE_KIND_OPEN || state->kind == KS_STATE_KIND_FIXED
         || state->kind == KS_STATE_KIND_CLOSED;
}

static void
setup_state (KsReportActionDialog *self)
{
  static const struct { KsStateKind kind; const char *title; int column; } groups[] = {
    { KS_STATE_KIND_OPEN, N_("Open"), 0 },
    { KS_STATE_KIND_FIXED, N_("Fixed"), 1 },
    { KS_STATE_KIND_CLOSED, N_("Closed"), 1 },
  };
  GtkWidget *column[2] = { self->state_column_open, self->state_column_done };
  GtkCheckButton *first = NULL;
  const char *current = ks_report_get_state (self->report);

  set_responses (self, _("Change State"),
                 _("Choose the report’s new state. An optional public update explains the change."),
                 "change", _("C_hange State"), ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "change", FALSE);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      GtkWidget *heading = gtk_label_new (_(groups[g].title));

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      if (gtk_widget_get_first_child (column[groups[g].column]) != NULL)
        gtk_widget_set_margin_top (heading, 12);
      gtk_box_append (GTK_BOX (column[groups[g].column]), heading);
      for (guint i = 0; i < ks_states_count (); i++)
        {
          const KsState *state = ks_states_nth (i);
          g_autofree char *name = NULL;
          g_autofree char *text = NULL;
          GtkWidget *check;

          /* A council's inactive state is no longer offered; a report
           * already in it still shows it, as its current state. */
          if (state->kind != groups[g].kind || !state_choosable (state)
              || (state->inactive && g_strcmp0 (state->id, current) != 0))
            continue;
          text = g_strcmp0 (state->id, current) == 0
            ? g_strdup_printf (_("%s (now)"), state->label) : g_strdup (state->label);
          check = gtk_check_button_new_with_label (text);
          name = g_strdup_printf ("state-%s", state->id);
          gtk_widget_set_name (check, name);
          g_object_set_data (G_OBJECT (check), "ks-state-id", (gpointer) state->id);
          if (first == NULL)
            first = GTK_CHECK_BUTTON (check);
          else
            gtk_check_button_set_group (GTK_CHECK_BUTTON (check), first);
          if (g_strcmp0 (state->id, current) == 0)
            {
              gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
              self->state_id = state->id;
            }
          g_signal_connect_object (check, "toggled", G_CALLBACK (on_state_toggled), self, 0);
          gtk_box_append (GTK_BOX (column[groups[g].column]), check);
        }
    }
  gtk_widget_set_visible (self->state_picker, TRUE);
  gtk_widget_set_visible (self->text_caption, TRUE);
  show_text (self, NULL);
}

static void
respond_state (KsReportActionDialog *self,
               KsReportDetail       *detail,
               KsSession            *session)
{
  const KsState *state = ks_state_lookup (self->state_id);
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (state == NULL || g_strcmp0 (state->id, ks_report_get_state (self->report)) == 0)
    return;

  text = text_view_get_text (self->text_view);
  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " is now “%s”."),
                             ks_report_get_id (self->report), state->label);
  ks_session_set_state_async (session, ks_report_get_id (self->report), state->id,
                              *text ? text : NULL, NULL,
                              ks_report_detail_action_done, ks_report_detail_action_data (detail, message));
}

/* Priority */

/* Setting the priority the report has would change nothing. */
static void
on_priority_chosen (KsReportActionDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "set",
                                           gtk_drop_down_get_selected (GTK_DROP_DOWN (self->priority_picker))
                                           != self->priority_now);
}

/* A row of the priority picker: the report's own says so, as Change State's
 * does. */
static void
add_priority_row (KsReportActionDialog *self,
                  GtkStringList        *names,
                  gint64                id,
                  const char           *name)
{
  g_autofree char *text = NULL;

  if (id == ks_report_get_priority_id (self->report))
    {
      self->priority_now = self->priority_ids->len;
      text = g_strdup_printf (_("%s (now)"), name);
    }
  gtk_string_list_append (names, text ? text : name);
  g_array_append_val (self->priority_ids, id);
}

static void
setup_priority (KsReportActionDialog *self,
                KsSession            *session)
{
  g_autoptr(JsonArray) priorities = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gint64 own = ks_report_get_priority_id (self->report);

  self->priority_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->priority_now = G_MAXUINT;
  priorities = ks_session_get_priorities_for_category (session, ks_report_get_category_id (self->report));
  add_priority_row (self, names, 0, _("No priority"));
  for (guint i = 0; priorities && i < json_array_get_length (priorities); i++)
    {
      JsonObject *p = json_array_get_object_element (priorities, i);

      add_priority_row (self, names, json_object_get_int_member_with_default (p, "id", 0),
                        json_object_get_string_member_with_default (p, "name", ""));
    }
  /* A priority the report's category no longer offers (an administrator
   * tied it to other categories): still shown as the report's, not as no
   * priority. */
  if (self->priority_now == G_MAXUINT)
    {
      const char *name = ks_session_get_priority_name (session, own);

      add_priority_row (self, names, own, *name ? name : _("A priority no longer offered"));
    }

  set_responses (self, _("Prioritise"),
                 self->priority_ids->len > 1
                 ? _("Choose how quickly the council responds to this report.")
                 : _("No priorities apply to this category yet. An administrator can set them up."),
                 "set", _("_Set Priority"), ADW_RESPONSE_SUGGESTED);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->priority_picker), G_LIST_MODEL (names));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->priority_picker), self->priority_now);
  g_signal_connect_object (self->priority_picker, "notify::selected", G_CALLBACK (on_priority_chosen),
                           self, G_CONNECT_SWAPPED);
  on_priority_chosen (self);
  gtk_widget_set_visible (self->priority_picker, TRUE);
}

static void
respond_priority (KsReportActionDialog *self,
                  KsReportDetail       *detail,
                  KsSession            *session)
{
  guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->priority_picker));
  g_autofree char *message = NULL;
  gint64 id;

  if (pos == GTK_INVALID_LIST_POSITION || pos >= self->priority_ids->len || pos == self->priority_now)
    return;
  id = g_array_index (self->priority_ids, gint64, pos);
  message = id
    ? g_strdup_printf (_("Report %" G_GINT64_FORMAT " has priority “%s”."),
                       ks_report_get_id (self->report), ks_session_get_priority_name (session, id))
    : g_strdup_printf (_("Report %" G_GINT64_FORMAT " has no priority now."), ks_report_get_id (self->report));
  ks_session_set_priority_async (session, ks_report_get_id (self->report), id, NULL,
                                 ks_report_detail_action_done, ks_report_detail_action_data (detail, message));
}

/* Ask for more information */

static void
setup_request_info (KsReportActionDialog *self)
{
  set_responses (self, _("Ask for More Information"),
                 _("The reporter gets this question by email, and the report waits for the answer."),
                 "ask", _("_Send Question"), ADW_RESPONSE_SUGGESTED);
  show_text (self, NULL);
  require_text (self);
}

static void
respond_request_info (KsReportActionDialog *self,
                      KsReportDetail       *detail,
                      KsSession            *session)
{
  g_autofree char *text = text_view_get_text (self->text_view);
  g_autofree char *message = g_strdup_printf (_("Question sent to the reporter of report %" G_GINT64_FORMAT "."),
                                              ks_report_get_id (self->report));

  ks_session_request_info_async (session, ks_report_get_id (self->report), text, NULL,
                                 ks_report_detail_action_done, ks_report_detail_action_data (detail, message));
}

/* Moderate */

static void
on_moderate_reason_changed (GtkEditable          *entry,
                            KsReportActionDialog *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "moderate", *reason != '\0');
}

static void
setup_moderate (KsReportActionDialog *self,
                JsonObject           *detail)
{
  const char *old_detail = NULL;
  JsonNode *node = detail ? json_object_get_member (detail, "detail") : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    old_detail = json_node_get_string (node);
  if (old_detail == NULL)
    old_detail = ks_report_get_detail (self->report);
  self->old_detail = g_strdup (old_detail);

  set_responses (self, _("Moderate Report"),
                 _("Edit what the public sees. The original stays in the moderation history with your reason."),
                 "moderate", _("_Moderate"), ADW_RESPONSE_DESTRUCTIVE);
  gtk_box_set_spacing (GTK_BOX (self->box), 8);

  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), ks_report_get_title (self->report));
  gtk_widget_set_visible (self->title_entry, TRUE);
  show_text (self, old_detail);
  gtk_widget_set_visible (self->hide_name, TRUE);
  gtk_widget_set_visible (self->remove_photo, ks_report_get_has_photo (self->report));

  gtk_entry_set_placeholder_text (GTK_ENTRY (self->reason_entry), _("Reason (required)"));
  gtk_widget_set_visible (self->reason_entry, TRUE);
  g_signal_connect_object (self->reason_entry, "changed", G_CALLBACK (on_moderate_reason_changed), self, 0);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "moderate", FALSE);
}

static void
respond_moderate (KsReportActionDialog *self,
                  KsReportDetail       *detail,
                  KsSession            *session)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  g_autofree char *text = text_view_get_text (self->text_view);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " moderated. The original is kept in its history."),
                             ks_report_get_id (self->report));
  ks_session_moderate_async (session, ks_report_get_id (self->report),
                             g_strcmp0 (title, ks_report_get_title (self->report)) != 0 ? title : NULL,
                             g_strcmp0 (text, self->old_detail ? self->old_detail : "") != 0 ? text : NULL,
                             gtk_check_button_get_active (GTK_CHECK_BUTTON (self->hide_name)) ? 0 : -1,
                             gtk_widget_get_visible (self->remove_photo)
                             && gtk_check_button_get_active (GTK_CHECK_BUTTON (self->remove_photo)),
                             reason, NULL,
                             ks_report_detail_action_done, ks_report_detail_action_data (detail, message));
}

/* Hide */

static void
setup_hide (KsReportActionDialog *self)
{
  g_autofree char *heading = g_strdup_printf (_("Hide Report %" G_GINT64_FORMAT "?"),
                                              ks_report_get_id (self->report));

  set_responses (self, heading,
                 _("Hidden reports disappear from the public website and Open311. "
                   "They stay here with all their data."),
                 "hide", _("_Hide"), ADW_RESPONSE_DESTRUCTIVE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->reason_entry), _("Reason (optional)"));
  gtk_widget_set_visible (self->reason_entry, TRUE);
}

static void
respond_hide (KsReportActionDialog *self,
              KsReportDetail       *detail,
              KsSession            *session)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  g_autofree char *message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " is hidden from the public."),
                                              ks_report_get_id (self->report));
  KsReportActionData *data = ks_report_detail_action_data (detail, message);

  /* The toast offers Undo: the report is published again. */
  ks_report_action_data_offer_unhide (data, ks_report_get_id (self->report));
  ks_session_hide_async (session, ks_report_get_id (self->report), *reason ? reason : NULL, NULL,
                         ks_report_detail_action_done, data);
}

/* The dialog */

static void
ks_report_action_dialog_response (AdwMessageDialog *dialog,
                                  const char       *response)
{
  KsReportActionDialog *self = KS_REPORT_ACTION_DIALOG (dialog);
  g_autoptr(KsReportDetail) detail = g_weak_ref_get (&self->detail);
  KsSession *session = detail ? ks_report_detail_get_session (detail) : NULL;

  if (session != NULL && !g_str_equal (response, "cancel"))
    switch (self->kind)
      {
      case DIALOG_UPDATE:
        if (g_str_equal (response, "send"))
          respond_update (self, detail, session);
        break;
      case DIALOG_STATE:
        if (g_str_equal (response, "change"))
          respond_state (self, detail, session);
        break;
      case DIALOG_PRIORITY:
        if (g_str_equal (response, "set"))
          respond_priority (self, detail, session);
        break;
      case DIALOG_REQUEST_INFO:
        if (g_str_equal (response, "ask"))
          respond_request_info (self, detail, session);
        break;
      case DIALOG_MODERATE:
        if (g_str_equal (response, "moderate"))
          respond_moderate (self, detail, session);
        break;
      case DIALOG_HIDE:
        if (g_str_equal (response, "hide"))
          respond_hide (self, detail, session);
        break;
      default:
        g_assert_not_reached ();
      }

  if (ADW_MESSAGE_DIALOG_CLASS (ks_report_action_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (ks_report_action_dialog_parent_class)->response (dialog, response);
}

static void
ks_report_action_dialog_dispose (GObject *object)
{
  KsReportActionDialog *self = KS_REPORT_ACTION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_REPORT_ACTION_DIALOG);
  g_clear_object (&self->report);
  g_clear_pointer (&self->templates, json_array_unref);
  g_clear_pointer (&self->priority_ids, g_array_unref);

  G_OBJECT_CLASS (ks_report_action_dialog_parent_class)->dispose (object);
}

static void
ks_report_action_dialog_finalize (GObject *object)
{
  KsReportActionDialog *self = KS_REPORT_ACTION_DIALOG (object);

  g_weak_ref_clear (&self->detail);
  g_free (self->template_text);
  g_free (self->old_detail);

  G_OBJECT_CLASS (ks_report_action_dialog_parent_class)->finalize (object);
}

static void
ks_report_action_dialog_class_init (KsReportActionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = ks_report_action_dialog_dispose;
  object_class->finalize = ks_report_action_dialog_finalize;
  dialog_class->response = ks_report_action_dialog_response;

  g_type_ensure (KS_TYPE_PHOTO_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-report-action-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, box);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, template_picker);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, template_state);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, state_picker);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, state_column_open);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, state_column_done);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, text_caption);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, title_entry);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, hide_name);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, remove_photo);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, photo_picker);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, KsReportActionDialog, priority_picker);
}

static void
ks_report_action_dialog_init (KsReportActionDialog *self)
{
  g_weak_ref_init (&self->detail, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_report_action_dialog_new (KsReportDetail *detail,
                             const char     *action)
{
  KsSession *session;
  KsReport *report;
  KsReportActionDialog *self;
  GtkRoot *root;
  guint i;

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (detail), NULL);

  session = ks_report_detail_get_session (detail);
  report = ks_report_detail_get_report (detail);
  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].action, action) == 0)
      break;
  if (i == G_N_ELEMENTS (kinds) || session == NULL || report == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (detail));
  self = g_object_new (KS_TYPE_REPORT_ACTION_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       NULL);
  self->kind = kinds[i].kind;
  g_weak_ref_set (&self->detail, detail);
  self->report = g_object_ref (report);

  switch (self->kind)
    {
    case DIALOG_UPDATE:
      setup_update (self, session);
      break;
    case DIALOG_STATE:
      setup_state (self);
      break;
    case DIALOG_PRIORITY:
      setup_priority (self, session);
      break;
    case DIALOG_REQUEST_INFO:
      setup_request_info (self);
      break;
    case DIALOG_MODERATE:
      setup_moderate (self, ks_report_detail_get_detail (detail));
      break;
    case DIALOG_HIDE:
      setup_hide (self);
      break;
    default:
      g_assert_not_reached ();
    }
  return GTK_WIDGET (self);
}
