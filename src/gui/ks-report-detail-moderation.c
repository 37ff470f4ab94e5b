/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-moderation.c: the detail's facet for moderating one update of
 * the timeline. A hidden update is shown struck through and marked for staff;
 * staff who may moderate (moderate_report) or hide (hide_report) get a menu on
 * each update people wrote or the public saw: Edit…, Hide… or Show Again…, each
 * asking for a reason. The change goes through the session (the outbox when
 * offline) and the detail shows the result. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-permissions.h"

/* The kinds the server lets a moderator edit or hide (ks-api-moderation.c). */
static gboolean
kind_is_moderatable (const char *kind)
{
  return g_strcmp0 (kind, "update") == 0 || g_strcmp0 (kind, "state") == 0 ||
         g_strcmp0 (kind, "acknowledge") == 0 || g_strcmp0 (kind, "request_info") == 0;
}

/* The update with this id in the detail's timeline, or NULL. */
static JsonObject *
find_update (KsReportDetail *self,
             gint64          update_id)
{
  JsonObject *detail = ks_report_detail_get_detail (self);
  JsonArray *updates;

  if (detail == NULL || !json_object_has_member (detail, "updates") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (detail, "updates")))
    return NULL;
  updates = json_object_get_array_member (detail, "updates");
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonObject *u = json_array_get_object_element (updates, i);

      if (u != NULL && json_object_get_int_member_with_default (u, "id", 0) == update_id)
        return u;
    }
  return NULL;
}

/* ---- The dialog ---- */

typedef enum { MOD_EDIT, MOD_HIDE, MOD_UNHIDE } ModAction;

typedef struct {
  GWeakRef   detail;
  ModAction  action;
  gint64     report_id;
  gint64     update_id;
  char      *old_text;
  GtkWidget *text_view;   /* edit only */
  GtkWidget *reason;
} ModDialog;

static void
mod_dialog_free (gpointer data)
{
  ModDialog *d = data;

  g_weak_ref_clear (&d->detail);
  g_free (d->old_text);
  g_free (d);
}

static char *
edited_text (ModDialog *d)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (d->text_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static const char *
response_id (ModAction action)
{
  return action == MOD_EDIT ? "edit" : action == MOD_HIDE ? "hide" : "unhide";
}

/* The answer is enabled once there is a reason (and, to edit, a new text). */
static void
on_input_changed (AdwMessageDialog *dialog)
{
  ModDialog *d = g_object_get_data (G_OBJECT (dialog), "ks-mod");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->reason))));
  gboolean ok = *reason != '\0';

  if (ok && d->action == MOD_EDIT)
    {
      g_autofree char *text = edited_text (d);

      ok = *text != '\0' && g_strcmp0 (text, d->old_text) != 0;
    }
  adw_message_dialog_set_response_enabled (dialog, response_id (d->action), ok);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response)
{
  ModDialog *d = g_object_get_data (G_OBJECT (dialog), "ks-mod");
  g_autoptr(KsReportDetail) self = g_weak_ref_get (&d->detail);
  g_autofree char *reason = NULL;
  KsSession *session;

  if (self == NULL || g_strcmp0 (response, response_id (d->action)) != 0 ||
      (session = ks_report_detail_get_session (self)) == NULL)
    return;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->reason))));
  if (d->action == MOD_EDIT)
    {
      g_autofree char *text = edited_text (d);

      ks_session_moderate_update_async (session, d->report_id, d->update_id, text, reason, NULL,
                                        ks_report_detail_action_done,
                                        ks_report_detail_action_data (self, _("Update edited")));
    }
  else
    ks_session_set_update_hidden_async (session, d->report_id, d->update_id,
                                        d->action == MOD_HIDE, reason, NULL,
                                        ks_report_detail_action_done,
                                        ks_report_detail_action_data (
                                          self, d->action == MOD_HIDE
                                          ? _("Update hidden from the public")
                                          : _("Update shown to the public again")));
}

static GtkWidget *
mod_dialog_new (KsReportDetail *self,
                ModAction       action,
                gint64          update_id)
{
  KsReport *report = ks_report_detail_get_report (self);
  JsonObject *update = find_update (self, update_id);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *box;
  ModDialog *d;
  const char *text;

  if (report == NULL || update == NULL)
    return NULL;
  text = json_object_get_string_member_with_default (update, "text", "");

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       NULL, NULL));
  gtk_widget_set_name (GTK_WIDGET (dialog), "update-moderation-dialog");
  d = g_new0 (ModDialog, 1);
  g_weak_ref_init (&d->detail, self);
  d->action = action;
  d->report_id = ks_report_get_id (report);
  d->update_id = update_id;
  d->old_text = g_strdup (text);
  g_object_set_data_full (G_OBJECT (dialog), "ks-mod", d, mod_dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  switch (action)
    {
    case MOD_EDIT:
      adw_message_dialog_set_heading (dialog, _("Edit This Update?"));
      adw_message_dialog_set_body (dialog,
        _("Change what the public sees. The original stays in the moderation history with your reason."));
      {
        GtkWidget *scroller = gtk_scrolled_window_new ();

        d->text_view = gtk_text_view_new ();
        gtk_widget_set_name (d->text_view, "update-text");
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (d->text_view), GTK_WRAP_WORD_CHAR);
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (d->text_view)), text, -1);
        gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), d->text_view);
        gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 120);
        gtk_widget_add_css_class (scroller, "card");
        gtk_box_append (GTK_BOX (box), scroller);
        g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (d->text_view)), "changed",
                                  G_CALLBACK (on_input_changed), dialog);
      }
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "edit", _("_Save"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "edit", ADW_RESPONSE_SUGGESTED);
      break;
    case MOD_HIDE:
      adw_message_dialog_set_heading (dialog, _("Hide This Update?"));
      adw_message_dialog_set_body (dialog,
        _("It disappears from the public timeline and from Open311; staff still see it, marked hidden."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "hide", _("_Hide"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "hide", ADW_RESPONSE_DESTRUCTIVE);
      break;
    case MOD_UNHIDE:
    default:
      adw_message_dialog_set_heading (dialog, _("Show This Update Again?"));
      adw_message_dialog_set_body (dialog, _("It becomes public again, as it was before it was hidden."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "unhide", _("_Show Again"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "unhide", ADW_RESPONSE_SUGGESTED);
      break;
    }
  d->reason = gtk_entry_new ();
  gtk_widget_set_name (d->reason, "update-reason");
  gtk_entry_set_placeholder_text (GTK_ENTRY (d->reason), _("Reason (required)"));
  gtk_entry_set_activates_default (GTK_ENTRY (d->reason), TRUE);
  g_signal_connect_swapped (d->reason, "changed", G_CALLBACK (on_input_changed), dialog);
  gtk_box_append (GTK_BOX (box), d->reason);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, response_id (action), FALSE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), NULL);
  return GTK_WIDGET (dialog);
}

/* ---- The actions: update.edit, update.hide, update.unhide (the update's id) ---- */

static void
on_update_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KsReportDetail *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  ModAction kind = g_str_equal (name, "edit") ? MOD_EDIT
                 : g_str_equal (name, "hide") ? MOD_HIDE : MOD_UNHIDE;
  GtkWidget *dialog = mod_dialog_new (self, kind, g_variant_get_int64 (parameter));

  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

/* The detail's group of these actions, made once. Each row gets it (a group
 * inserted on the detail after its inner widgets made their action muxers would
 * not reach them). */
static GActionGroup *
ensure_actions (KsReportDetail *self)
{
  static const GActionEntry entries[] = {
    { "edit",   on_update_action, "x", NULL, NULL, { 0 } },
    { "hide",   on_update_action, "x", NULL, NULL, { 0 } },
    { "unhide", on_update_action, "x", NULL, NULL, { 0 } },
  };
  GSimpleActionGroup *group = g_object_get_data (G_OBJECT (self), "ks-update-actions");

  if (group != NULL)
    return G_ACTION_GROUP (group);
  group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  g_object_set_data_full (G_OBJECT (self), "ks-update-actions", group, g_object_unref);
  return G_ACTION_GROUP (group);
}

/* ---- The row ---- */

static void
strike (GtkWidget *label)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_add_css_class (label, "dim-label");
}

GtkWidget *
ks_report_detail_moderation_row (KsReportDetail *self,
                                 GtkWidget      *row,
                                 JsonObject     *update)
{
  KsSession *session = ks_report_detail_get_session (self);
  gboolean hidden = json_object_get_boolean_member_with_default (update, "hidden", FALSE);
  gint64 id = json_object_get_int_member_with_default (update, "id", 0);
  const char *kind = json_object_get_string_member_with_default (update, "kind", NULL);
  gboolean can_edit, can_hide;
  GtkWidget *outer, *button;
  g_autoptr(GMenu) menu = NULL;
  g_autofree char *name = NULL;

  if (hidden)
    {
      GtkWidget *body = g_object_get_data (G_OBJECT (row), "ks-body");
      GtkWidget *mark = gtk_label_new (_("Hidden from the public"));

      if (body != NULL)
        strike (body);
      gtk_widget_set_name (mark, "hidden-update-mark");
      gtk_label_set_xalign (GTK_LABEL (mark), 0);
      gtk_widget_add_css_class (mark, "caption");
      gtk_widget_add_css_class (mark, "warning");
      gtk_box_append (GTK_BOX (row), mark);
      g_object_set_data (G_OBJECT (row), "ks-hidden-mark", mark);
      gtk_widget_add_css_class (row, "ks-hidden-update");
    }

  can_edit = session != NULL && ks_session_can (session, KS_PERM_MODERATE_REPORT);
  can_hide = session != NULL && ks_session_can (session, KS_PERM_HIDE_REPORT);
  name = g_strdup_printf ("update-row-%" G_GINT64_FORMAT, id);
  gtk_widget_set_name (row, name);
  if (id <= 0 || !kind_is_moderatable (kind) || (!can_edit && !can_hide))
    return row;

  menu = g_menu_new ();
  if (can_edit)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("_Edit…"), NULL);
      g_menu_item_set_action_and_target_value (item, "update.edit", g_variant_new_int64 (id));
      g_menu_append_item (menu, item);
    }
  if (can_hide)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (hidden ? _("_Show Again…") : _("_Hide…"), NULL);
      g_menu_item_set_action_and_target_value (item, hidden ? "update.unhide" : "update.hide",
                                               g_variant_new_int64 (id));
      g_menu_append_item (menu, item);
    }

  button = gtk_menu_button_new ();
  gtk_widget_set_name (button, "update-menu");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (button, _("Moderate this update"));
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "flat");

  outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_insert_action_group (outer, "update", ensure_actions (self));
  gtk_widget_set_name (outer, name);
  gtk_widget_set_name (row, NULL);
  gtk_widget_set_hexpand (row, TRUE);
  gtk_box_append (GTK_BOX (outer), row);
  gtk_box_append (GTK_BOX (outer), button);
  /* What the timeline's readers look for sits on the row they get. */
  g_object_set_data (G_OBJECT (outer), "ks-heading", g_object_get_data (G_OBJECT (row), "ks-heading"));
  g_object_set_data (G_OBJECT (outer), "ks-body", g_object_get_data (G_OBJECT (row), "ks-body"));
  g_object_set_data (G_OBJECT (outer), "ks-hidden-mark", g_object_get_data (G_OBJECT (row), "ks-hidden-mark"));
  g_object_set_data (G_OBJECT (outer), "ks-menu", button);
  return outer;
}

/* ---- The moderation history ---- */

void
ks_report_detail_moderation_describe (JsonObject *entry,
                                      GString    *text)
{
  JsonObject *before = NULL, *after = NULL;
  const char *action;

  if (!json_object_has_member (entry, "update_id") ||
      json_object_get_null_member (entry, "update_id"))
    return;
  action = json_object_get_string_member_with_default (entry, "action", "edit");
  if (json_object_has_member (entry, "before") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, "before")))
    before = json_object_get_object_member (entry, "before");
  if (json_object_has_member (entry, "after") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, "after")))
    after = json_object_get_object_member (entry, "after");

  if (g_str_equal (action, "hide"))
    g_string_append (text, _("\nHid an update from the public"));
  else if (g_str_equal (action, "unhide"))
    g_string_append (text, _("\nMade an update public again"));
  else
    {
      g_string_append (text, _("\nEdited an update"));
      if (before != NULL && after != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (before, "text", NULL),
                     json_object_get_string_member_with_default (after, "text", NULL)) != 0)
        g_string_append_printf (text, _("\nUpdate text was: %s"),
                                json_object_get_string_member_with_default (before, "text", ""));
    }
}
