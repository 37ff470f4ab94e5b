/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-results-dialog.c: the results of a bulk action, in words. */
#define G_LOG_DOMAIN "ks-bulk"

#include "config.h"
#include "ks-bulk-results-dialog.h"
#include "ks-states.h"
#include "ks-object-int64.h"

#include <glib/gi18n.h>

struct _KsBulkResultsDialog
{
  AdwMessageDialog  parent_instance;

  KsSession        *session;
  GHashTable       *reasons;    /* id (gint64 *) -> reason ("" when it succeeded) */
  GtkStringList    *rows;       /* the refused reports' ids, as text, in the bulk's order */
  GtkWidget        *list_view;
};

G_DEFINE_FINAL_TYPE (KsBulkResultsDialog, ks_bulk_results_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum { SHOW_REPORT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Why an item was refused, in the staff's words: the server's own sentence only
 * where it says something about this report that the app cannot. */
static char *
reason_for (const KsBulkItem *item)
{
  switch (item->status)
    {
    case KS_BULK_OK:
      return g_strdup ("");
    case KS_BULK_CONFLICT:
      return g_strdup (_("Someone changed it after you selected it, so it was left as they "
                         "left it. Open it to check, then change it again."));
    case KS_BULK_FORBIDDEN:
      return g_strdup (_("Your role may not make this change. Ask a colleague who may."));
    case KS_BULK_NOT_FOUND:
      return g_strdup (_("It is no longer there: deleted, or not your council’s report."));
    case KS_BULK_INVALID:
    case KS_BULK_N_STATUS:
    default:
      return g_strdup (item->message && *item->message
                       ? item->message : _("This change does not fit this report."));
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_widget_add_css_class (reason, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          KsBulkResultsDialog      *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *reason = gtk_widget_get_next_sibling (title);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  gint64 id = g_ascii_strtoll (text, NULL, 10);
  KsReport *report = self->session ? ks_session_lookup_report (self->session, id) : NULL;
  g_autofree char *heading = NULL;

  if (report != NULL)
    {
      const KsState *state = ks_state_lookup (ks_report_get_state (report));
      heading = g_strdup_printf (_("%" G_GINT64_FORMAT " · %s (now %s)"), id,
                                 ks_report_get_title (report),
                                 state ? state->label : ks_report_get_state (report));
    }
  else
    heading = g_strdup_printf (_("Report %" G_GINT64_FORMAT), id);
  gtk_label_set_text (GTK_LABEL (title), heading);
  gtk_widget_set_tooltip_text (title, heading);
  gtk_label_set_text (GTK_LABEL (reason), g_hash_table_lookup (self->reasons, &id));
  ks_object_set_int64 (box, "ks-report-id", id);
  gtk_widget_set_name (box, "bulk-result-row");
}

static void
on_row_activated (KsBulkResultsDialog *self,
                  guint                position)
{
  const char *text = gtk_string_list_get_string (self->rows, position);

  if (text != NULL)
    ks_bulk_results_dialog_activate (self, g_ascii_strtoll (text, NULL, 10));
}

static void
ks_bulk_results_dialog_dispose (GObject *object)
{
  KsBulkResultsDialog *self = KS_BULK_RESULTS_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->reasons, g_hash_table_unref);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (ks_bulk_results_dialog_parent_class)->dispose (object);
}

static void
ks_bulk_results_dialog_class_init (KsBulkResultsDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ks_bulk_results_dialog_dispose;

  signals[SHOW_REPORT] =
    g_signal_new ("show-report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
ks_bulk_results_dialog_init (KsBulkResultsDialog *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->reasons = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->rows = gtk_string_list_new (NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                         G_LIST_MODEL (g_object_ref (self->rows)))),
                                       factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list_view), TRUE);
  gtk_widget_add_css_class (self->list_view, "boxed-list");
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_row_activated), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list_view);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), scroller);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "close");
}

GtkWidget *
ks_bulk_results_dialog_new (GtkWindow          *parent,
                            KsSession          *session,
                            const char         *what,
                            const KsBulkResult *result)
{
  KsBulkResultsDialog *self;
  g_autoptr(GString) body = g_string_new (what);
  g_autoptr(GPtrArray) refused = g_ptr_array_new ();
  g_autofree char *heading = NULL;
  guint n = result->items->len, ok = result->counts[KS_BULK_OK];

  self = g_object_new (KS_TYPE_BULK_RESULTS_DIALOG, "transient-for", parent, "modal", TRUE,
                       "default-width", 560, NULL);
  self->session = session ? g_object_ref (session) : NULL;

  for (guint i = 0; i < n; i++)
    {
      const KsBulkItem *item = &g_array_index (result->items, KsBulkItem, i);
      gint64 *key = g_new (gint64, 1);

      *key = item->id;
      g_hash_table_replace (self->reasons, key, reason_for (item));
      if (item->status != KS_BULK_OK)
        g_ptr_array_add (refused, g_strdup_printf ("%" G_GINT64_FORMAT, item->id));
    }
  g_ptr_array_add (refused, NULL);
  /* One splice: the list hears of all the rows at once. */
  gtk_string_list_splice (self->rows, 0, 0, (const char * const *) refused->pdata);
  for (guint i = 0; i + 1 < refused->len; i++)
    g_free (refused->pdata[i]);

  if (ok == n)
    heading = g_strdup_printf (ngettext ("The report was changed", "All %u reports were changed", n), n);
  else if (ok == 0)
    heading = g_strdup_printf (ngettext ("The report was not changed",
                                         "None of the %u reports was changed", n), n);
  else
    heading = g_strdup_printf (ngettext ("%u of %u report was changed",
                                         "%u of %u reports were changed", n), ok, n);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);

  if (ok < n)
    {
      static const struct { KsBulkStatus status; const char *one; const char *many; } parts[] = {
        { KS_BULK_CONFLICT, N_("%u changed by someone else since you selected it"),
                            N_("%u changed by someone else since you selected them") },
        { KS_BULK_FORBIDDEN, N_("%u your role may not change"), N_("%u your role may not change") },
        { KS_BULK_NOT_FOUND, N_("%u no longer there"), N_("%u no longer there") },
        { KS_BULK_INVALID, N_("%u where the change does not fit"),
                           N_("%u where the change does not fit") },
      };
      gboolean first = TRUE;

      g_string_append (body, "\n\n");
      g_string_append (body, _("Not changed: "));
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          guint count = result->counts[parts[i].status];
          if (count == 0)
            continue;
          if (!first)
            g_string_append (body, ", ");
          g_string_append_printf (body, ngettext (parts[i].one, parts[i].many, count), count);
          first = FALSE;
        }
      g_string_append (body, _(". Click a report to open it."));
    }
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body->str);
  gtk_widget_set_visible (gtk_widget_get_parent (self->list_view), ok < n);
  return GTK_WIDGET (self);
}

const char *
ks_bulk_results_dialog_get_reason (KsBulkResultsDialog *self,
                                   gint64               id)
{
  g_return_val_if_fail (KS_IS_BULK_RESULTS_DIALOG (self), NULL);
  return g_hash_table_lookup (self->reasons, &id);
}

guint
ks_bulk_results_dialog_get_n_rows (KsBulkResultsDialog *self)
{
  g_return_val_if_fail (KS_IS_BULK_RESULTS_DIALOG (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

gboolean
ks_bulk_results_dialog_activate (KsBulkResultsDialog *self,
                                 gint64               id)
{
  const char *reason;

  g_return_val_if_fail (KS_IS_BULK_RESULTS_DIALOG (self), FALSE);

  reason = g_hash_table_lookup (self->reasons, &id);
  if (reason == NULL)
    return FALSE;
  g_signal_emit (self, signals[SHOW_REPORT], 0, id);
  return TRUE;
}
