/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-dashboard-window.c: the council's dashboard. Summary cards; a period (the
 * last 7, 30 or 90 days) whose days KsTimelineChart draws and whose response
 * times a card gives; a sortable table of the statistics by a grouping; and
 * "Export CSV…" saving the reports to a file (the figures come from
 * ks-dashboard.h). */
#define G_LOG_DOMAIN "ks-dashboard-window"

#include "config.h"
#include "ks-number-format.h"
#include "ks-dashboard-window.h"

#include <glib/gi18n.h>

#include "ks-dashboard.h"
#include "ks-settings.h"
#include "ks-stats-row.h"
#include "ks-time.h"
#include "ks-timeline-chart.h"

typedef struct {
  const char *key;
  const char *caption;
} CardInfo;

static const CardInfo card_info[] = {
  { "open", N_("Open") },
  { "unacknowledged", N_("Open, not acknowledged") },
  { "fixed", N_("Fixed") },
  { "closed", N_("Closed") },
  { "median", N_("Median time to fix (last 90 days)") },
  { "created-7", N_("Created in the last 7 days") },
  { "created-30", N_("Created in the last 30 days") },
  { "fixed-7", N_("Fixed in the last 7 days") },
  { "fixed-30", N_("Fixed in the last 30 days") },
  { "failed-sendings", N_("Not sent on: failed") },
  { "response-times", N_("Response times (last 30 days)") },
};
#define N_CARDS G_N_ELEMENTS (card_info)

static const char *grouping_ids[] = { "category", "state", "ward", "priority" };
static const char *grouping_titles[] = { N_("Category"), N_("State"), N_("Ward"), N_("Priority") };

/* The period dropdown's choices, in days (its items say the same). */
static const guint period_days[] = { 7, 30, 90 };
#define DEFAULT_PERIOD 1
/* The GSettings key that remembers the period chosen last. */
#define PERIOD_KEY "dashboard-period"

struct _KsDashboardWindow
{
  AdwWindow      parent_instance;

  GtkWidget     *toast_overlay;
  GtkWidget     *reload_button;
  GtkWidget     *export_button;
  GtkWidget     *export_spinner;
  GtkWidget     *stack;
  GtkWidget     *loading_spinner;
  GtkWidget     *error_page;
  GtkWidget     *cards;
  GtkWidget     *generated_label;
  GtkWidget     *timeline;
  GtkWidget     *period_heading;
  GtkWidget     *period_dropdown;
  GtkWidget     *by_dropdown;
  GtkWidget     *stats_stack;
  GtkWidget     *stats_spinner;
  GtkWidget     *stats_error_page;
  GtkWidget     *stats_view;

  GtkWidget     *card_values[N_CARDS];
  GtkWidget     *card_captions[N_CARDS];
  GtkColumnViewColumn *label_column;

  KsSession     *session;
  GSettings     *settings;
  GCancellable  *cancellable;        /* the summary */
  GCancellable  *period_cancellable; /* the timeline and the response times */
  GCancellable  *stats_cancellable;
  GCancellable  *export_cancellable;
  GListStore    *stats_store;
  GtkSortListModel *stats_sorted;
  GtkFileChooserNative *chooser;

  guint          pending;
  gboolean       period_in_reload;   /* the period's answers count for a reload */
  char          *error;
  char          *last_toast;
  gboolean       exporting;
};

G_DEFINE_FINAL_TYPE (KsDashboardWindow, ks_dashboard_window, ADW_TYPE_WINDOW)

static void
toast (KsDashboardWindow *self,
       const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), t);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
}

/* Summary and timeline */

static void
set_state (KsDashboardWindow *self,
           const char        *state)
{
  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), state);
}

/* The card's place in card_info, N_CARDS for none. */
static guint
card_index (const char *key)
{
  guint i = 0;

  while (i < N_CARDS && !g_str_equal (card_info[i].key, key))
    i++;
  return i;
}

static void
set_card (KsDashboardWindow *self,
          const char        *key,
          const char        *value)
{
  guint i = card_index (key);

  if (i < N_CARDS)
    gtk_label_set_text (GTK_LABEL (self->card_values[i]), value);
}

static void
set_card_int (KsDashboardWindow *self,
              const char        *key,
              JsonObject        *o,
              const char        *member)
{
  g_autofree char *text = ks_format_count (o ? json_object_get_int_member_with_default (o, member, 0) : 0);

  set_card (self, key, text);
}

static void
show_summary (KsDashboardWindow *self,
              JsonObject        *summary)
{
  JsonObject *by_kind = NULL;
  JsonNode *median = json_object_get_member (summary, "median_hours_to_fix_90_days");
  const char *generated = json_object_get_string_member_with_default (summary, "generated", NULL);

  if (json_object_has_member (summary, "by_kind") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (summary, "by_kind")))
    by_kind = json_object_get_object_member (summary, "by_kind");

  set_card_int (self, "open", by_kind, "open");
  set_card_int (self, "fixed", by_kind, "fixed");
  set_card_int (self, "closed", by_kind, "closed");
  set_card_int (self, "unacknowledged", summary, "unacknowledged_open");
  set_card_int (self, "created-7", summary, "created_last_7_days");
  set_card_int (self, "created-30", summary, "created_last_30_days");
  set_card_int (self, "fixed-7", summary, "fixed_last_7_days");
  set_card_int (self, "fixed-30", summary, "fixed_last_30_days");
  set_card_int (self, "failed-sendings", summary, "failed_sendings");

  if (median && JSON_NODE_HOLDS_VALUE (median))
    {
      g_autofree char *text = ks_format_duration (json_node_get_double (median));

      set_card (self, "median", text);
    }
  else
    set_card (self, "median", "—");

  if (generated)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (generated, NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%-d %B %Y, %H:%M") : g_strdup (generated);
      g_autofree char *text = g_strdup_printf (_("Figures as of %s."), g_strstrip (when));

      gtk_label_set_text (GTK_LABEL (self->generated_label), text);
    }
}

static void
part_failed (KsDashboardWindow *self,
             GError            *error)
{
  if (self->error == NULL)
    self->error = g_strdup (error->message);
}

static void
part_done (KsDashboardWindow *self)
{
  if (self->pending > 0)
    self->pending--;
  if (self->pending > 0)
    return;
  self->period_in_reload = FALSE;
  gtk_widget_set_sensitive (self->reload_button, TRUE);
  if (self->error)
    {
      g_autofree char *escaped = g_markup_escape_text (self->error, -1); /* descriptions are markup */
      adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), escaped);
      set_state (self, "error");
    }
  else
    set_state (self, "content");
}

static void
on_summary_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = ks_dashboard_get_summary_finish (KS_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (summary == NULL)
    part_failed (self, error);
  else
    show_summary (self, summary);
  part_done (self);
}

/* One of the period's two answers is in (error set when it failed). Part of a
 * reload, it counts for the reload's page; asked for alone (another period
 * chosen), the rest of the dashboard stays as it is and a failure is told in
 * a toast. */
static void
period_part_done (KsDashboardWindow *self,
                  GError            *error)
{
  if (self->period_in_reload)
    {
      if (error != NULL)
        part_failed (self, error);
      part_done (self);
    }
  else if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the period's figures: %s"), error->message);

      toast (self, message);
    }
}

static void
on_timeline_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) timeline = ks_dashboard_get_timeline_finish (KS_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (timeline != NULL)
    ks_timeline_chart_set_timeline (KS_TIMELINE_CHART (self->timeline), timeline);
  period_part_done (self, error);
}

/* "67% met · 3 overdue": the share of the responses in time, and the open
 * reports past their target with none yet ("—" for the share when none was
 * responded to). */
static void
show_response_times (KsDashboardWindow *self,
                     JsonObject        *times)
{
  JsonObject *overall = json_object_get_object_member (times, "overall");
  JsonNode *percent = json_object_get_member (overall, "met_percent");
  gint64 overdue = json_object_get_int_member_with_default (overall, "overdue", 0);
  g_autofree char *share = percent && JSON_NODE_HOLDS_VALUE (percent)
    ? g_strdup_printf (_("%" G_GINT64_FORMAT "%% met"), json_node_get_int (percent))
    : g_strdup (_("— met"));
  g_autofree char *late = g_strdup_printf (g_dngettext (NULL, "%" G_GINT64_FORMAT " overdue",
                                                        "%" G_GINT64_FORMAT " overdue", overdue),
                                           overdue);
  g_autofree char *text = g_strdup_printf ("%s · %s", share, late);

  set_card (self, "response-times", text);
}

static void
on_response_times_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) times = ks_dashboard_get_response_times_finish (KS_SESSION (source),
                                                                        result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (times != NULL)
    show_response_times (self, times);
  period_part_done (self, error);
}

/* Statistics */

static const char *
current_grouping (KsDashboardWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->by_dropdown));

  return i < G_N_ELEMENTS (grouping_ids) ? grouping_ids[i] : grouping_ids[0];
}

static void
on_stats_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ks_dashboard_get_stats_finish (KS_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (GTK_SPINNER (self->stats_spinner), FALSE);
  if (rows == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->stats_error_page), escaped);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stats_stack), "error");
      return;
    }

  g_list_store_remove_all (self->stats_store);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *rn = json_array_get_element (rows, i);
      JsonObject *r;
      g_autoptr(KsStatsRow) row = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (rn))
        continue;
      r = json_node_get_object (rn);
      row = ks_stats_row_new (json_object_get_string_member_with_default (r, "label", ""),
                              json_object_get_int_member_with_default (r, "count", 0),
                              json_object_get_int_member_with_default (r, "open", 0),
                              json_object_get_int_member_with_default (r, "fixed", 0),
                              json_object_get_int_member_with_default (r, "closed", 0));
      g_list_store_append (self->stats_store, row);
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stats_stack), "table");
}

static void
load_stats (KsDashboardWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->by_dropdown));

  g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
  self->stats_cancellable = g_cancellable_new ();

  if (i < G_N_ELEMENTS (grouping_titles))
    gtk_column_view_column_set_title (self->label_column, _(grouping_titles[i]));
  gtk_spinner_set_spinning (GTK_SPINNER (self->stats_spinner), TRUE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stats_stack), "loading");
  ks_dashboard_get_stats_async (self->session, current_grouping (self), self->stats_cancellable,
                                on_stats_done, g_object_ref (self));
}

static guint
current_days (KsDashboardWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->period_dropdown));

  return period_days[i < G_N_ELEMENTS (period_days) ? i : DEFAULT_PERIOD];
}

static void
set_card_caption (KsDashboardWindow *self,
                  const char        *key,
                  const char        *caption)
{
  guint i = card_index (key);

  if (i < N_CARDS)
    gtk_label_set_text (GTK_LABEL (self->card_captions[i]), caption);
}

/* The chart and the response times for the chosen period, headed by it. */
static void
load_period (KsDashboardWindow *self)
{
  guint days = current_days (self);
  g_autofree char *heading = g_strdup_printf (g_dngettext (NULL, "Last %u Day", "Last %u Days", days), days);
  g_autofree char *caption = g_strdup_printf (g_dngettext (NULL, "Response times (last %u day)",
                                                           "Response times (last %u days)", days), days);

  g_cancellable_cancel (self->period_cancellable);
  g_clear_object (&self->period_cancellable);
  self->period_cancellable = g_cancellable_new ();
  gtk_label_set_text (GTK_LABEL (self->period_heading), heading);
  set_card_caption (self, "response-times", caption);
  ks_dashboard_get_timeline_async (self->session, days, self->period_cancellable,
                                   on_timeline_done, g_object_ref (self));
  ks_dashboard_get_response_times_async (self->session, days, self->period_cancellable,
                                         on_response_times_done, g_object_ref (self));
}

static void
on_period_changed (KsDashboardWindow *self)
{
  if (self->settings != NULL)
    g_settings_set_uint (self->settings, PERIOD_KEY, current_days (self));
  if (self->session == NULL || !ks_session_is_signed_in (self->session))
    return;
  /* During a reload (period_in_reload), the new period's answers take the
   * place of the old's in it. */
  load_period (self);
}

void
ks_dashboard_window_reload (KsDashboardWindow *self)
{
  g_return_if_fail (KS_IS_DASHBOARD_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);
  if (self->session == NULL || !ks_session_is_signed_in (self->session))
    return;

  self->cancellable = g_cancellable_new ();
  self->pending = 3;
  gtk_widget_set_sensitive (self->reload_button, FALSE);
  set_state (self, "loading");

  ks_dashboard_get_summary_async (self->session, self->cancellable,
                                  on_summary_done, g_object_ref (self));
  self->period_in_reload = TRUE;
  load_period (self);
  load_stats (self);
}

static void
on_reload_clicked (KsDashboardWindow *self)
{
  ks_dashboard_window_reload (self);
}

static void
action_reload (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  ks_dashboard_window_reload (KS_DASHBOARD_WINDOW (widget));
}

static void
on_stats_retry_clicked (KsDashboardWindow *self)
{
  load_stats (self);
}

static void
on_by_changed (KsDashboardWindow *self)
{
  if (self->session)
    load_stats (self);
}

/* Export */

static void
set_exporting (KsDashboardWindow *self,
               gboolean           exporting)
{
  self->exporting = exporting;
  gtk_widget_set_sensitive (self->export_button, !exporting);
  gtk_spinner_set_spinning (GTK_SPINNER (self->export_spinner), exporting);
}

static void
on_export_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not save %s: %s. Choose another folder and try again."),
                                 name, error->message);
      toast (self, message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Reports saved to %s"), name);
      toast (self, message);
    }
  set_exporting (self, FALSE);
}

static void
on_export_downloaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KsDashboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ks_dashboard_export_csv_finish (KS_SESSION (source), result, &error);
  GFile *file = g_object_get_data (G_OBJECT (self), "ks-export-file");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      toast (self, error->message);
      set_exporting (self, FALSE);
      return;
    }
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->export_cancellable, on_export_saved, g_object_ref (self));
}

void
ks_dashboard_window_export_to_file (KsDashboardWindow *self,
                                    GFile             *file)
{
  g_return_if_fail (KS_IS_DASHBOARD_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->exporting || self->session == NULL)
    return;
  g_object_set_data_full (G_OBJECT (self), "ks-export-file", g_object_ref (file), g_object_unref);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  set_exporting (self, TRUE);
  ks_dashboard_export_csv_async (self->session, self->export_cancellable,
                                 on_export_downloaded, g_object_ref (self));
}

static void
on_chooser_response (KsDashboardWindow *self,
                     int                response,
                     GtkNativeDialog   *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file)
        ks_dashboard_window_export_to_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_export_clicked (KsDashboardWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (ks_time_now ());
  g_autofree char *name = g_date_time_format (now, "reports-%Y-%m-%d.csv");

  if (self->exporting || self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Reports as CSV"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Building */

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const char *property = g_object_get_data (G_OBJECT (factory), "ks-property");
  KsStatsRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  if (g_str_equal (property, "label"))
    gtk_label_set_text (GTK_LABEL (label), ks_stats_row_get_label (row));
  else
    {
      gint64 value = 0;
      g_autofree char *text = NULL;

      g_object_get (row, property, &value, NULL);
      text = ks_format_count (value);
      gtk_label_set_text (GTK_LABEL (label), text);
    }
}

static GtkColumnViewColumn *
add_column (KsDashboardWindow *self,
            const char        *title,
            const char        *property)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  gboolean numeric = !g_str_equal (property, "label");
  GtkExpression *expr = gtk_property_expression_new (KS_TYPE_STATS_ROW, NULL, property);
  GtkSorter *sorter;
  GtkColumnViewColumn *column;

  g_object_set_data_full (G_OBJECT (factory), "ks-property", g_strdup (property), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), NULL);
  if (numeric)
    sorter = GTK_SORTER (gtk_numeric_sorter_new (expr));
  else
    {
      sorter = GTK_SORTER (gtk_string_sorter_new (expr));
      gtk_string_sorter_set_ignore_case (GTK_STRING_SORTER (sorter), TRUE);
    }
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (numeric)
    gtk_column_view_column_set_fixed_width (column, 110);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->stats_view), column);
  g_object_unref (sorter);
  g_object_unref (column);
  return column;
}

static void
build_cards (KsDashboardWindow *self)
{
  for (guint i = 0; i < N_CARDS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *caption = gtk_label_new (_(card_info[i].caption));

      gtk_widget_add_css_class (box, "card");
      gtk_widget_set_size_request (box, 160, -1);
      gtk_widget_add_css_class (value, "title-1");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_widget_set_margin_top (value, 12);
      gtk_widget_set_margin_start (value, 12);
      gtk_widget_set_margin_end (value, 12);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_widget_set_margin_bottom (caption, 12);
      gtk_widget_set_margin_start (caption, 12);
      gtk_widget_set_margin_end (caption, 12);
      gtk_widget_set_vexpand (caption, TRUE);
      gtk_label_set_yalign (GTK_LABEL (caption), 0);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_widget_set_name (box, card_info[i].key);
      gtk_flow_box_append (GTK_FLOW_BOX (self->cards), box);
      self->card_values[i] = value;
      self->card_captions[i] = caption;
    }
}

static void
ks_dashboard_window_dispose (GObject *object)
{
  KsDashboardWindow *self = KS_DASHBOARD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->period_cancellable);
  g_cancellable_cancel (self->stats_cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->period_cancellable);
  g_clear_object (&self->stats_cancellable);
  g_clear_object (&self->export_cancellable);
  if (self->chooser)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_DASHBOARD_WINDOW);
  g_clear_object (&self->stats_sorted);
  g_clear_object (&self->stats_store);

  G_OBJECT_CLASS (ks_dashboard_window_parent_class)->dispose (object);
}

static void
ks_dashboard_window_finalize (GObject *object)
{
  KsDashboardWindow *self = KS_DASHBOARD_WINDOW (object);

  g_free (self->error);
  g_free (self->last_toast);

  G_OBJECT_CLASS (ks_dashboard_window_parent_class)->finalize (object);
}

static void
ks_dashboard_window_class_init (KsDashboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_dashboard_window_dispose;
  object_class->finalize = ks_dashboard_window_finalize;

  g_type_ensure (KS_TYPE_TIMELINE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-dashboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, export_spinner);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, cards);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, generated_label);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, by_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, period_heading);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, stats_stack);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, stats_spinner);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, stats_error_page);
  gtk_widget_class_bind_template_child (widget_class, KsDashboardWindow, stats_view);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_by_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stats_retry_clicked);

  gtk_widget_class_install_action (widget_class, "dashboard.reload", NULL, action_reload);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "dashboard.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "dashboard.reload", NULL);
}

/* The period chosen last. The settings are kept only after, so that this
 * choice is not written back. */
static void
choose_remembered_period (KsDashboardWindow *self)
{
  g_autoptr(GSettings) settings = ks_settings_new ();

  ks_dashboard_window_set_period (self, g_settings_get_uint (settings, PERIOD_KEY));
  self->settings = g_steal_pointer (&settings);
}

static void
ks_dashboard_window_init (KsDashboardWindow *self)
{
  GtkColumnViewColumn *count_column;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  build_cards (self);
  choose_remembered_period (self);

  self->stats_store = g_list_store_new (KS_TYPE_STATS_ROW);
  self->label_column = add_column (self, _("Category"), "label");
  count_column = add_column (self, _("Reports"), "count");
  add_column (self, _("Open"), "open");
  add_column (self, _("Fixed"), "fixed");
  add_column (self, _("Closed"), "closed");
  self->stats_sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->stats_store)),
                                                g_object_ref (gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->stats_view))));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->stats_sorted)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->stats_view), GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->stats_view), count_column, GTK_SORT_DESCENDING);
}

static void
on_session_ended (KsDashboardWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

GtkWidget *
ks_dashboard_window_new (GtkWindow *parent,
                         KsSession *session)
{
  KsDashboardWindow *self;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_DASHBOARD_WINDOW, "transient-for", parent, NULL);
  if (parent)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->session = g_object_ref (session);
  /* What the dashboard shows belongs to the session: it closes with it. */
  g_signal_connect_swapped (session, "signed-out", G_CALLBACK (on_session_ended), self);
  g_signal_connect_swapped (session, "two-factor-setup-required", G_CALLBACK (on_session_ended), self);
  ks_dashboard_window_reload (self);
  return GTK_WIDGET (self);
}

GtkWidget *
ks_dashboard_window_show (GtkWindow *parent,
                          KsSession *session)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *window = NULL;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  if (!ks_session_is_signed_in (session) || !ks_session_can (session, KS_PERM_VIEW_DASHBOARD))
    return NULL;
  for (guint i = 0; window == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (KS_IS_DASHBOARD_WINDOW (w) && gtk_window_get_transient_for (w) == parent &&
          KS_DASHBOARD_WINDOW (w)->session == session)
        window = GTK_WIDGET (w);
    }
  if (window == NULL)
    window = ks_dashboard_window_new (parent, session);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

const char *
ks_dashboard_window_get_state (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

const char *
ks_dashboard_window_get_error (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return self->error;
}

const char *
ks_dashboard_window_get_card_value (KsDashboardWindow *self,
                                    const char        *key)
{
  guint i;

  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  i = card_index (key);
  return i < N_CARDS ? gtk_label_get_text (GTK_LABEL (self->card_values[i])) : NULL;
}

GtkWidget *
ks_dashboard_window_get_timeline (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return self->timeline;
}

void
ks_dashboard_window_set_grouping (KsDashboardWindow *self,
                                  const char        *by)
{
  g_return_if_fail (KS_IS_DASHBOARD_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (grouping_ids); i++)
    if (g_strcmp0 (grouping_ids[i], by) == 0)
      {
        if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->by_dropdown)) == i)
          load_stats (self);
        else
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->by_dropdown), i);
      }
}

gboolean
ks_dashboard_window_set_period (KsDashboardWindow *self,
                                guint              days)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (period_days); i++)
    if (period_days[i] == days)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->period_dropdown), i);
        return TRUE;
      }
  return FALSE;
}

const char *
ks_dashboard_window_get_stats_state (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stats_stack));
}

GListModel *
ks_dashboard_window_get_stats_model (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return G_LIST_MODEL (self->stats_sorted);
}

GtkWidget *
ks_dashboard_window_get_stats_view (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return self->stats_view;
}

gboolean
ks_dashboard_window_get_exporting (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), FALSE);
  return self->exporting;
}

const char *
ks_dashboard_window_get_last_toast (KsDashboardWindow *self)
{
  g_return_val_if_fail (KS_IS_DASHBOARD_WINDOW (self), NULL);
  return self->last_toast;
}
