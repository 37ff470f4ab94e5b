/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-caller-reports-dialog.c: a caller's reports, found by their email,
 * phone number or name. */
#define G_LOG_DOMAIN "ks-caller-reports-dialog"

#include "config.h"
#include "ks-caller-reports-dialog.h"

#include <glib/gi18n.h>

#include "ks-date-format.h"
#include "ks-places.h"
#include "ks-rows-text.h"
#include "ks-states.h"
#include "ks-object-int64.h"

struct _KsCallerReportsDialog
{
  AdwWindow     parent_instance;

  KsSession    *session;
  GCancellable *cancellable;   /* the search running, or NULL */
  GtkWidget    *entry;
  GtkWidget    *search_button;
  GtkWidget    *spinner;
  GtkWidget    *status_label;
  GtkWidget    *list;
};

G_DEFINE_FINAL_TYPE (KsCallerReportsDialog, ks_caller_reports_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_REPORT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_status (KsCallerReportsDialog *self,
            const char            *text,
            gboolean               error)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text ? text : "");
  gtk_widget_set_visible (self->status_label, text && *text);
  if (error)
    {
      gtk_widget_remove_css_class (self->status_label, "dim-label");
      gtk_widget_add_css_class (self->status_label, "error");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_label, "error");
      gtk_widget_add_css_class (self->status_label, "dim-label");
    }
}

static void
set_busy (KsCallerReportsDialog *self,
          gboolean               busy)
{
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
}

static void
clear_rows (KsCallerReportsDialog *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), row);
  gtk_widget_set_visible (self->list, FALSE);
}

/* "2026-12-03T10:00:00Z" as the app shows dates. */
static char *
format_when (const char *iso)
{
  g_autoptr(GDateTime) when = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return when ? ks_date_format (g_date_time_to_unix (when)) : g_strdup ("");
}

static GtkWidget *
report_row (JsonObject *report)
{
  gint64 id = json_object_get_int_member_with_default (report, "id", 0);
  const KsState *state = ks_state_lookup (json_object_get_string_member_with_default (report, "state", ""));
  const char *address = json_object_get_string_member_with_default (report, "address", NULL);
  g_autofree char *when = format_when (json_object_get_string_member_with_default (report, "created", NULL));
  g_autofree char *title = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", id,
                                            json_object_get_string_member_with_default (report, "title", ""));
  GString *subtitle = g_string_new (state ? state->label
                                    : json_object_get_string_member_with_default (report, "state", ""));
  GtkWidget *row = adw_action_row_new ();

  if (*when)
    g_string_append_printf (subtitle, " · %s", when);
  if (address && *address)
    g_string_append_printf (subtitle, " · %s", address);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_widget_set_name (row, "caller-report-row");
  ks_object_set_int64 (row, "ks-report-id", id);
  g_string_free (subtitle, TRUE);
  return row;
}

static const char *
by_label (const char *by)
{
  if (g_strcmp0 (by, "email") == 0)
    return _("email address");
  if (g_strcmp0 (by, "phone") == 0)
    return _("phone number");
  if (g_strcmp0 (by, "reference") == 0)
    return _("reference");
  return _("name");
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KsCallerReportsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = ks_places_find_caller_reports_finish (KS_SESSION (source), result, &error);
  g_autofree char *status = NULL;
  JsonArray *reports;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  reports = json_object_get_array_member (answer, "reports");
  n = json_array_get_length (reports);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), report_row (json_array_get_object_element (reports, i)));
  gtk_widget_set_visible (self->list, n > 0);
  if (n == 0)
    status = g_strdup_printf (_("No reports from a caller with this %s."),
                              by_label (json_object_get_string_member_with_default (answer, "by", "")));
  else
    status = g_strdup_printf (g_dngettext (NULL, "%u report, found by %s", "%u reports, found by %s", n),
                              n, by_label (json_object_get_string_member_with_default (answer, "by", "")));
  set_status (self, status, FALSE);
}

void
ks_caller_reports_dialog_search (KsCallerReportsDialog *self,
                                 const char            *text)
{
  g_autofree char *q = NULL;

  g_return_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  q = g_strstrip (g_strdup (text ? text : ""));
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_rows (self);
  if (g_utf8_strlen (q, -1) < 2)
    {
      set_busy (self, FALSE);
      set_status (self, _("Type at least 2 characters of the caller’s email, phone number or name."), FALSE);
      return;
    }
  set_busy (self, TRUE);
  set_status (self, _("Searching…"), FALSE);
  self->cancellable = g_cancellable_new ();
  ks_places_find_caller_reports_async (self->session, q, NULL, self->cancellable,
                                       on_found, g_object_ref (self));
}

static void
on_activate (KsCallerReportsDialog *self)
{
  ks_caller_reports_dialog_search (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
on_row_activated (KsCallerReportsDialog *self,
                  GtkListBoxRow         *row)
{
  gint64 id = ks_object_get_int64 (row, "ks-report-id");

  if (id > 0)
    g_signal_emit (self, signals[SIGNAL_REPORT_ACTIVATED], 0, id);
}

static void
ks_caller_reports_dialog_dispose (GObject *object)
{
  KsCallerReportsDialog *self = KS_CALLER_REPORTS_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ks_caller_reports_dialog_parent_class)->dispose (object);
}

static void
ks_caller_reports_dialog_class_init (KsCallerReportsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_caller_reports_dialog_dispose;
  signals[SIGNAL_REPORT_ACTIVATED] =
    g_signal_new ("report-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ks_caller_reports_dialog_init (KsCallerReportsDialog *self)
{
  GtkWidget *box, *header, *scroller, *clamp, *content, *search_box, *title;

  gtk_window_set_title (GTK_WINDOW (self), _("Find Caller’s Reports"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 620);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (_("Find Caller’s Reports"), NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  search_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->entry = gtk_search_entry_new ();
  gtk_widget_set_name (self->entry, "caller-entry");
  gtk_widget_set_hexpand (self->entry, TRUE);
  g_object_set (self->entry, "placeholder-text", _("Caller’s email, phone number or name"), NULL);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_activate), self);
  /* Escape in the entry closes the dialog, as it does elsewhere in it. */
  g_signal_connect_swapped (self->entry, "stop-search", G_CALLBACK (gtk_window_close), self);
  gtk_box_append (GTK_BOX (search_box), self->entry);
  self->search_button = gtk_button_new_with_mnemonic (_("_Search"));
  gtk_widget_add_css_class (self->search_button, "suggested-action");
  g_signal_connect_swapped (self->search_button, "clicked", G_CALLBACK (on_activate), self);
  gtk_box_append (GTK_BOX (search_box), self->search_button);
  gtk_box_append (GTK_BOX (content), search_box);

  self->status_label = gtk_label_new (_("Each search is recorded as a view of the caller’s personal data."));
  gtk_widget_set_name (self->status_label, "caller-status");
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_box_append (GTK_BOX (content), self->status_label);

  self->list = gtk_list_box_new ();
  gtk_widget_set_name (self->list, "caller-reports");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_visible (self->list, FALSE);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_box_append (GTK_BOX (content), self->list);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
ks_caller_reports_dialog_new (GtkWindow *parent,
                              KsSession *session)
{
  KsCallerReportsDialog *self;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_CALLER_REPORTS_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  gtk_widget_grab_focus (self->entry);
  return GTK_WIDGET (self);
}

gboolean
ks_caller_reports_dialog_is_busy (KsCallerReportsDialog *self)
{
  g_return_val_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

char *
ks_caller_reports_dialog_get_rows_text (KsCallerReportsDialog *self)
{
  g_return_val_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self), NULL);
  return ks_rows_text (self->list);
}

guint
ks_caller_reports_dialog_get_n_rows (KsCallerReportsDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self), 0);
  for (GtkWidget *row = gtk_widget_get_first_child (self->list); row; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

const char *
ks_caller_reports_dialog_get_status (KsCallerReportsDialog *self)
{
  g_return_val_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

gboolean
ks_caller_reports_dialog_open (KsCallerReportsDialog *self,
                               guint                  index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (KS_IS_CALLER_REPORTS_DIALOG (self), FALSE);
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), (int) index);
  if (row == NULL)
    return FALSE;
  on_row_activated (self, row);
  return TRUE;
}
