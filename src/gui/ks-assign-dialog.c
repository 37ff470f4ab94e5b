/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-assign-dialog.c: assigning a report to someone's shortlist. The people are
 * the session's assignees (those who can hold reports), the current holder
 * marked; choosing one and Assign sends it through the session. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-assign-dialog.h"
#include "ks-report-detail-private.h"
#include "ks-object-int64.h"

#include <glib/gi18n.h>

struct _KsAssignDialog
{
  AdwMessageDialog  parent_instance;

  GWeakRef          detail;
  KsSession        *session;
  KsReport         *report;
  gint64            chosen;
  GtkWidget        *first_check;     /* the radio group's leader */

  GtkWidget        *people;
  GtkWidget        *note;
};

G_DEFINE_FINAL_TYPE (KsAssignDialog, ks_assign_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_check_toggled (GtkCheckButton *check,
                  KsAssignDialog *self)
{
  gint64 id = ks_object_get_int64 (check, "ks-user-id");

  if (!gtk_check_button_get_active (check))
    return;
  self->chosen = id;
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "assign",
                                           id != ks_report_get_shortlist_user (self->report));
}

static void
add_person (KsAssignDialog *self,
            JsonObject     *person)
{
  gint64 id = json_object_get_int_member_with_default (person, "id", 0);
  gint64 held = json_object_get_int_member_with_default (person, "held", 0);
  gint64 me = ks_session_get_user_id (self->session);
  gint64 holder = ks_report_get_shortlist_user (self->report);
  const char *name = json_object_get_string_member_with_default (person, "name", "");
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *widget_name = g_strdup_printf ("assignee-%" G_GINT64_FORMAT, id);

  if (id <= 0 || !json_object_get_boolean_member_with_default (person, "can_hold", FALSE))
    return;
  title = id == me ? g_strdup_printf (_("%s (you)"), name) : g_strdup (name);
  subtitle = id == holder
    ? g_strdup (_("Holds this report"))
    : g_strdup_printf (ngettext ("%" G_GINT64_FORMAT " report on their shortlist",
                                 "%" G_GINT64_FORMAT " reports on their shortlist", held), held);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, widget_name);
  ks_object_set_int64 (check, "ks-user-id", id);
  ks_object_set_int64 (row, "ks-user-id", id);
  g_object_set_data (G_OBJECT (row), "ks-check", check);
  if (self->first_check != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (self->first_check));
  else
    self->first_check = check;
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  if (id == holder)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
  gtk_list_box_append (GTK_LIST_BOX (self->people), row);
}

static void
fill (KsAssignDialog *self)
{
  JsonArray *people = ks_session_get_assignees (self->session);
  gint64 holder = ks_report_get_shortlist_user (self->report);
  gint64 me = ks_session_get_user_id (self->session);
  g_autofree char *body = NULL;

  for (guint i = 0; i < json_array_get_length (people); i++)
    {
      JsonNode *node = json_array_get_element (people, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_person (self, json_node_get_object (node));
    }
  if (self->first_check == NULL)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty),
                                     _("Nobody can hold reports yet. Refresh once you are online."));
      gtk_list_box_append (GTK_LIST_BOX (self->people), empty);
    }

  body = g_strdup_printf (_("Choose whose shortlist report %" G_GINT64_FORMAT " goes on."),
                          ks_report_get_id (self->report));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  if (holder != 0 && holder != me)
    {
      const char *name = ks_session_get_assignee_name (self->session, holder);
      g_autofree char *note = g_strdup_printf (_("%s holds it now: assigning it takes it off their shortlist."),
                                               name ? name : _("A colleague"));

      gtk_label_set_text (GTK_LABEL (self->note), note);
      gtk_widget_set_visible (self->note, TRUE);
    }
}

static void
ks_assign_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  KsAssignDialog *self = KS_ASSIGN_DIALOG (dialog);
  g_autoptr(KsReportDetail) detail = g_weak_ref_get (&self->detail);
  gint64 holder = ks_report_get_shortlist_user (self->report);
  gint64 me = ks_session_get_user_id (self->session);

  if (g_strcmp0 (response, "assign") == 0 && detail != NULL && self->chosen > 0 &&
      self->chosen != holder)
    {
      const char *name = ks_session_get_assignee_name (self->session, self->chosen);
      g_autofree char *message = self->chosen == me
        ? g_strdup_printf (_("Report %" G_GINT64_FORMAT " added to your shortlist."),
                           ks_report_get_id (self->report))
        : g_strdup_printf (_("Report %" G_GINT64_FORMAT " assigned to %s."),
                           ks_report_get_id (self->report), name ? name : _("a colleague"));

      /* The holder was shown: choosing someone else takes it over. */
      ks_session_assign_async (self->session, ks_report_get_id (self->report), self->chosen,
                               holder != 0 && holder != me, NULL, ks_report_detail_action_done,
                               ks_report_detail_action_data (detail, message));
    }
  if (ADW_MESSAGE_DIALOG_CLASS (ks_assign_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (ks_assign_dialog_parent_class)->response (dialog, response);
}

gboolean
ks_assign_dialog_choose (KsAssignDialog *self,
                         gint64          user_id)
{
  g_return_val_if_fail (KS_IS_ASSIGN_DIALOG (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (self->people); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ks_object_get_int64 (row, "ks-user-id") == user_id)
      {
        gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "ks-check"), TRUE);
        return TRUE;
      }
  return FALSE;
}

static void
ks_assign_dialog_dispose (GObject *object)
{
  KsAssignDialog *self = KS_ASSIGN_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->report);
  G_OBJECT_CLASS (ks_assign_dialog_parent_class)->dispose (object);
}

static void
ks_assign_dialog_finalize (GObject *object)
{
  KsAssignDialog *self = KS_ASSIGN_DIALOG (object);

  g_weak_ref_clear (&self->detail);
  G_OBJECT_CLASS (ks_assign_dialog_parent_class)->finalize (object);
}

static void
ks_assign_dialog_class_init (KsAssignDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = ks_assign_dialog_dispose;
  object_class->finalize = ks_assign_dialog_finalize;
  dialog_class->response = ks_assign_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-assign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KsAssignDialog, people);
  gtk_widget_class_bind_template_child (widget_class, KsAssignDialog, note);
}

static void
ks_assign_dialog_init (KsAssignDialog *self)
{
  g_weak_ref_init (&self->detail, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_assign_dialog_new (KsReportDetail *detail)
{
  KsSession *session;
  KsReport *report;
  KsAssignDialog *self;
  GtkRoot *root;

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (detail), NULL);

  session = ks_report_detail_get_session (detail);
  report = ks_report_detail_get_report (detail);
  if (session == NULL || report == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (detail));
  self = g_object_new (KS_TYPE_ASSIGN_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       NULL);
  g_weak_ref_set (&self->detail, detail);
  self->session = g_object_ref (session);
  self->report = g_object_ref (report);
  fill (self);
  return GTK_WIDGET (self);
}
