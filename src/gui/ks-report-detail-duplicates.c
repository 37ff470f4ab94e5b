/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-duplicates.c: the detail's "Duplicates" facet: the report this
 * one is a duplicate of (with Undo), the reports marked as duplicates of it
 * (above the timeline, shown when there are links), and the open reports of the
 * same category nearby, nearest first (after the timeline, which stays where
 * staff look for it), each of which can be chosen as the original ("Mark as
 * Duplicate of This"); and the "Mark as Duplicate…" dialog. Each report named
 * opens on a click (win.show-report). */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-states.h"
#include "ks-object-int64.h"

struct _KsDetailDuplicates
{
  KsReportDetail *detail;        /* owns this */
  GtkWidget      *box;
  GtkWidget      *links_group;
  GtkWidget      *links_list;
  GtkWidget      *nearby_group;
  GtkWidget      *nearby_list;
  GCancellable   *cancellable;
  gint64          fetched_id;    /* the report the nearby list is for */
  gint64          fetched_version;
  JsonObject     *nearby;        /* the server's answer, or NULL */
  char           *nearby_error;
};

static const char *
state_label (const char *state)
{
  const KsState *s = ks_state_lookup (state);

  return s ? s->label : (state ? state : "");
}

static gint64
member_int (JsonObject *obj,
            const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static const char *
member_string (JsonObject *obj,
               const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static JsonObject *
member_object (JsonObject *obj,
               const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *obj,
              const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static gboolean
may_mark (KsDetailDuplicates *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);

  return session != NULL && ks_session_can (session, KS_PERM_UPDATE_STATUS);
}

static gint64
shown_id (KsDetailDuplicates *self)
{
  KsReport *report = ks_report_detail_get_report (self->detail);

  return report ? ks_report_get_id (report) : 0;
}

/* ---- rows ---- */

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  gpointer       user_data)
{
  gint64 id = ks_object_get_int64 (row, "ks-report-id");

  if (id > 0)
    gtk_widget_activate_action (GTK_WIDGET (list), "win.show-report", "x", id);
}

/* A row naming a report, which opens it. */
static GtkWidget *
report_row (GtkWidget  *list,
            gint64      id,
            const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Open this report"));
  ks_object_set_int64 (row, "ks-report-id", id);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

/* A row that only says something (loading, none, an error). */
static void
note_row (GtkWidget  *list,
          const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "ks-note", label);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
on_mark_clicked (GtkButton          *button,
                 KsDetailDuplicates *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);
  gint64 of = ks_object_get_int64 (button, "ks-report-id");
  gint64 id = shown_id (self);
  g_autofree char *message = NULL;

  if (session == NULL || id == 0 || of == 0)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  message = g_strdup_printf (_("Marked as a duplicate of report %" G_GINT64_FORMAT "."), of);
  ks_session_mark_duplicate_async (session, id, of, NULL, ks_report_detail_action_done,
                                   ks_report_detail_action_data (self->detail, message));
}

static void
on_undo_clicked (GtkButton          *button,
                 KsDetailDuplicates *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);
  gint64 id = shown_id (self);

  if (session == NULL || id == 0)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  ks_session_unmark_duplicate_async (session, id, NULL, ks_report_detail_action_done,
                                     ks_report_detail_action_data (self->detail,
                                                                   _("No longer marked as a duplicate.")));
}

static GtkWidget *
suffix_button (GtkWidget  *row,
               const char *label,
               const char *tooltip,
               const char *name)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *text = gtk_label_new_with_mnemonic (label);

  /* Two short lines rather than one long one: the title keeps the room. */
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 12);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_label_set_mnemonic_widget (GTK_LABEL (text), button);
  gtk_button_set_child (GTK_BUTTON (button), text);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_name (button, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}

/* ---- the links ---- */

static void
show_links (KsDetailDuplicates *self,
            JsonObject         *detail)
{
  JsonObject *of = member_object (detail, "duplicate_of");
  JsonArray *dups = member_array (detail, "duplicates");
  guint n = dups ? json_array_get_length (dups) : 0;

  clear_list (self->links_list);
  if (of != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Duplicate of #%" G_GINT64_FORMAT " %s"),
                                                member_int (of, "id"),
                                                member_string (of, "title") ?: "");
      GtkWidget *row = report_row (self->links_list, member_int (of, "id"), title,
                                   state_label (member_string (of, "state")));

      if (may_mark (self))
        {
          GtkWidget *undo = suffix_button (row, _("_Undo"),
                                           _("This report is not a duplicate: give it back "
                                             "the state it had"), "undo");
          g_signal_connect (undo, "clicked", G_CALLBACK (on_undo_clicked), self);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (dups, i);
      JsonObject *d = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (d == NULL)
        continue;
      title = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", member_int (d, "id"),
                               member_string (d, "title") ?: "");
      subtitle = g_strdup_printf (_("A duplicate of this report · %s"),
                                  state_label (member_string (d, "state")));
      report_row (self->links_list, member_int (d, "id"), title, subtitle);
    }
  gtk_widget_set_visible (self->links_group, of != NULL || n > 0);
}

/* ---- nearby reports ---- */

static void
show_nearby (KsDetailDuplicates *self,
             JsonObject         *detail)
{
  JsonObject *of = member_object (detail, "duplicate_of");
  JsonArray *reports = member_array (self->nearby, "reports");
  gint64 radius = member_int (self->nearby, "radius");
  gboolean offer = may_mark (self) && of == NULL;
  guint n = reports ? json_array_get_length (reports) : 0;
  g_autofree char *description = NULL;

  clear_list (self->nearby_list);
  if (self->nearby_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The reports nearby could not be fetched: %s"),
                                               self->nearby_error);
      note_row (self->nearby_list, text);
      return;
    }
  if (self->nearby == NULL)
    {
      note_row (self->nearby_list, _("Looking for open reports nearby…"));
      return;
    }
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Open reports of the same category within %d metre, nearest first",
                                              "Open reports of the same category within %d metres, nearest first",
                                              (gulong) radius), (int) radius);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->nearby_group), description);
  if (n == 0)
    {
      note_row (self->nearby_list, _("No open report of this category nearby."));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (reports, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      gint64 id;

      if (r == NULL)
        continue;
      id = member_int (r, "id");
      title = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", id, member_string (r, "title") ?: "");
      /* TRANSLATORS: distance in metres, then the report's state */
      subtitle = g_strdup_printf (_("%" G_GINT64_FORMAT " m away · %s"), member_int (r, "distance"),
                                  state_label (member_string (r, "state")));
      row = report_row (self->nearby_list, id, title, subtitle);
      if (offer)
        {
          GtkWidget *mark = suffix_button (row, _("_Mark as Duplicate of This"),
                                           _("This report is the same problem as that one: "
                                             "close it as a duplicate of it"), "mark");
          ks_object_set_int64 (mark, "ks-report-id", id);
          g_signal_connect (mark, "clicked", G_CALLBACK (on_mark_clicked), self);
        }
    }
}

static void
on_nearby (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KsDetailDuplicates *self = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *answer = ks_session_nearby_finish (KS_SESSION (source), result, &error);

  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->nearby, json_object_unref);
  g_clear_pointer (&self->nearby_error, g_free);
  self->nearby = answer;
  if (answer == NULL)
    self->nearby_error = g_strdup (error->message);
  show_nearby (self, ks_report_detail_get_detail (self->detail));
}

static void
fetch_nearby (KsDetailDuplicates *self,
              gint64              id)
{
  KsSession *session = ks_report_detail_get_session (self->detail);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->nearby, json_object_unref);
  g_clear_pointer (&self->nearby_error, g_free);
  if (session == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  ks_session_nearby_async (session, id, self->cancellable, on_nearby, self);
}

/* ---- "Mark as Duplicate…": choose the original ---- */

gboolean
ks_detail_duplicates_may_mark (KsDetailDuplicates *self)
{
  JsonObject *detail = self ? ks_report_detail_get_detail (self->detail) : NULL;

  return member_object (detail, "duplicate_of") == NULL;
}

typedef struct {
  GWeakRef            detail;     /* the dialog may outlive the detail */
  gint64              report_id;
  GtkWidget          *dialog;
  GtkWidget          *list;
  GtkWidget          *number;     /* another report, by its number */
  GtkWidget          *first_check;
  GCancellable       *cancellable;
} Chooser;

static void
chooser_free (Chooser *c)
{
  g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  g_weak_ref_clear (&c->detail);
  g_free (c);
}

/* The report chosen as the original: the ticked report nearby, else the
 * number typed (0: none, or not a number). */
static gint64
chooser_choice (Chooser *c)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (c->number));
  char *end = NULL;
  gint64 typed;

  for (GtkWidget *row = gtk_widget_get_first_child (c->list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "ks-check");

      if (check && gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        return ks_object_get_int64 (row, "ks-report-id");
    }
  while (*text == '#' || g_ascii_isspace (*text))
    text++;
  typed = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || typed <= 0 || typed == c->report_id)
    return 0;
  return typed;
}

static void
chooser_update (Chooser *c)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (c->dialog), "mark",
                                           chooser_choice (c) != 0);
}

static void
on_chooser_number_changed (GtkEditable *editable,
                           Chooser     *c)
{
  /* Typing a number stands for another report than those listed. */
  if (*gtk_editable_get_text (editable) != '\0')
    for (GtkWidget *row = gtk_widget_get_first_child (c->list); row; row = gtk_widget_get_next_sibling (row))
      {
        GtkWidget *check = g_object_get_data (G_OBJECT (row), "ks-check");

        if (check)
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
      }
  chooser_update (c);
}

static void
on_chooser_check_toggled (GtkCheckButton *check,
                          Chooser        *c)
{
  if (gtk_check_button_get_active (check))
    gtk_editable_set_text (GTK_EDITABLE (c->number), "");
  chooser_update (c);
}

static void
chooser_fill (Chooser    *c,
              JsonObject *answer,
              const char *error)
{
  JsonArray *reports = member_array (answer, "reports");
  guint n = reports ? json_array_get_length (reports) : 0;
  guint shown = 0;

  clear_list (c->list);
  c->first_check = NULL;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The reports nearby could not be fetched: %s"), error);
      note_row (c->list, text);
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (reports, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 id = member_int (r, "id");
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      GtkWidget *row, *check;

      if (r == NULL || id == c->report_id)
        continue;
      title = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", id, member_string (r, "title") ?: "");
      subtitle = g_strdup_printf (_("%" G_GINT64_FORMAT " m away · %s"), member_int (r, "distance"),
                                  state_label (member_string (r, "state")));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      check = gtk_check_button_new ();
      name = g_strdup_printf ("original-%" G_GINT64_FORMAT, id);
      gtk_widget_set_name (check, name);
      if (c->first_check)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (c->first_check));
      else
        c->first_check = check;
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "ks-check", check);
      ks_object_set_int64 (row, "ks-report-id", id);
      g_signal_connect (check, "toggled", G_CALLBACK (on_chooser_check_toggled), c);
      gtk_list_box_append (GTK_LIST_BOX (c->list), row);
      shown++;
    }
  if (error == NULL && shown == 0)
    note_row (c->list, _("No open report of this category nearby. Type the number of the original below."));
  chooser_update (c);
}

static void
on_chooser_nearby (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Chooser *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = ks_session_nearby_finish (KS_SESSION (source), result, &error);

  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  chooser_fill (c, answer, answer ? NULL : error->message);
}

static void
on_chooser_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Chooser          *c)
{
  g_autoptr(KsReportDetail) detail = g_weak_ref_get (&c->detail);
  KsSession *session = detail ? ks_report_detail_get_session (detail) : NULL;
  gint64 of = chooser_choice (c);
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "mark") || session == NULL || of == 0)
    return;
  message = g_strdup_printf (_("Marked as a duplicate of report %" G_GINT64_FORMAT "."), of);
  ks_session_mark_duplicate_async (session, c->report_id, of, NULL, ks_report_detail_action_done,
                                   ks_report_detail_action_data (detail, message));
}

GtkWidget *
ks_detail_duplicates_chooser_new (KsDetailDuplicates *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->detail));
  gint64 id = shown_id (self);
  g_autofree char *body = NULL;
  GtkWidget *box, *label, *scroller;
  Chooser *c;

  if (session == NULL || id == 0)
    return NULL;
  c = g_new0 (Chooser, 1);
  g_weak_ref_init (&c->detail, self->detail);
  c->report_id = id;
  c->cancellable = g_cancellable_new ();
  body = g_strdup_printf (_("Report %" G_GINT64_FORMAT " is the same problem as another report: "
                            "choose that one, the original. This report closes as a duplicate "
                            "and the original lists it."), id);
  c->dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                      _("Mark as Duplicate"), body);
  gtk_widget_set_name (c->dialog, "duplicate");
  g_object_set_data_full (G_OBJECT (c->dialog), "ks-chooser", c, (GDestroyNotify) chooser_free);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (c->dialog),
                                    "cancel", _("_Cancel"),
                                    "mark", _("_Mark as Duplicate"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (c->dialog), "mark", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (c->dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  label = gtk_label_new (_("Open reports of the same category nearby, nearest first"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  c->list = gtk_list_box_new ();
  gtk_widget_set_name (c->list, "originals");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (c->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (c->list, "boxed-list");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), c->list);
  gtk_box_append (GTK_BOX (box), scroller);
  note_row (c->list, _("Looking for open reports nearby…"));

  label = gtk_label_new_with_mnemonic (_("Or the original’s _number"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_box_append (GTK_BOX (box), label);
  c->number = gtk_entry_new ();
  gtk_widget_set_name (c->number, "original-number");
  gtk_entry_set_input_purpose (GTK_ENTRY (c->number), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_placeholder_text (GTK_ENTRY (c->number), _("A report further away"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), c->number);
  g_signal_connect (c->number, "changed", G_CALLBACK (on_chooser_number_changed), c);
  gtk_box_append (GTK_BOX (box), c->number);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (c->dialog), box);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (c->dialog), "mark", FALSE);
  g_signal_connect (c->dialog, "response", G_CALLBACK (on_chooser_response), c);

  ks_session_nearby_async (session, id, c->cancellable, on_chooser_nearby, c);
  return c->dialog;
}

/* ---- the facet ---- */

KsDetailDuplicates *
ks_detail_duplicates_new (KsReportDetail *detail)
{
  KsDetailDuplicates *self = g_new0 (KsDetailDuplicates, 1);

  self->detail = detail;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_name (self->box, "duplicates");

  self->links_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->links_group), _("Duplicates"));
  self->links_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->links_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->links_list, "boxed-list");
  g_signal_connect (self->links_list, "row-activated", G_CALLBACK (on_row_activated), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->links_group), self->links_list);
  gtk_box_append (GTK_BOX (self->box), self->links_group);

  self->nearby_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->nearby_group), _("Nearby Open Reports"));
  self->nearby_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->nearby_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->nearby_list, "boxed-list");
  g_signal_connect (self->nearby_list, "row-activated", G_CALLBACK (on_row_activated), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->nearby_group), self->nearby_list);
  return self;
}

GtkWidget *
ks_detail_duplicates_get_widget (KsDetailDuplicates *self)
{
  return self->box;
}

GtkWidget *
ks_detail_duplicates_get_nearby_widget (KsDetailDuplicates *self)
{
  return self->nearby_group;
}

void
ks_detail_duplicates_update (KsDetailDuplicates *self)
{
  KsReport *report = self ? ks_report_detail_get_report (self->detail) : NULL;
  JsonObject *detail = self ? ks_report_detail_get_detail (self->detail) : NULL;
  gint64 id = report ? ks_report_get_id (report) : 0;
  gint64 version = report ? ks_report_get_version (report) : 0;

  if (self == NULL)
    return;
  gtk_widget_set_visible (self->box, id != 0);
  gtk_widget_set_visible (self->nearby_group, id != 0);
  if (id == 0)
    {
      g_cancellable_cancel (self->cancellable);
      self->fetched_id = 0;
      return;
    }
  /* The list is fetched again for another report, or once this one changed. */
  if (id != self->fetched_id || version != self->fetched_version)
    {
      self->fetched_id = id;
      self->fetched_version = version;
      fetch_nearby (self, id);
    }
  show_links (self, detail);
  show_nearby (self, detail);
}

void
ks_detail_duplicates_free (KsDetailDuplicates *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->nearby, json_object_unref);
  g_clear_pointer (&self->nearby_error, g_free);
  g_free (self);
}

/* ---- for tests ---- */

static void
add_rows (GStrvBuilder *builder,
          GtkWidget    *list)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *note = g_object_get_data (G_OBJECT (row), "ks-note");
      g_autofree char *text = NULL;

      if (note != NULL)
        text = g_strdup (gtk_label_get_text (GTK_LABEL (note)));
      else if (ADW_IS_ACTION_ROW (row))
        text = g_strdup_printf ("%s\n%s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      if (text != NULL)
        g_strv_builder_add (builder, text);
    }
}

char **
ks_detail_duplicates_get_rows (KsDetailDuplicates *self,
                               gboolean            nearby)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (nearby || gtk_widget_get_visible (self->links_group))
    add_rows (builder, nearby ? self->nearby_list : self->links_list);
  return g_strv_builder_end (builder);
}

/* The button named name ("mark", "undo") in the row of report id (0: any row). */
GtkWidget *
ks_detail_duplicates_get_button (KsDetailDuplicates *self,
                                 const char         *name,
                                 gint64              id)
{
  GtkWidget *lists[] = { self->links_list, self->nearby_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (GtkWidget *row = gtk_widget_get_first_child (lists[i]); row; row = gtk_widget_get_next_sibling (row))
      {
        gint64 row_id = ks_object_get_int64 (row, "ks-report-id");
        GtkWidget *found = NULL;

        if (id != 0 && row_id != id)
          continue;
        /* The suffix sits a few levels down the row: search its widgets. */
        for (GtkWidget *w = gtk_widget_get_first_child (row); w && !found; )
          {
            if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0)
              found = w;
            else if (gtk_widget_get_first_child (w))
              w = gtk_widget_get_first_child (w);
            else
              {
                while (w && w != row && !gtk_widget_get_next_sibling (w))
                  w = gtk_widget_get_parent (w);
                w = (w && w != row) ? gtk_widget_get_next_sibling (w) : NULL;
              }
          }
        if (found)
          return found;
      }
  return NULL;
}
