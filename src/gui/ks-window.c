/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-window.c: the main window. The sign-in page first; once signed in, an
 * AdwLeaflet of filters, the map and list of reports, and the selected report's
 * detail. Results of actions appear as toasts; conflicts from the outbox as a
 * dialog with both versions. */
#define G_LOG_DOMAIN "ks-window"

#include "config.h"
#include "ks-window-private.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ks-account-window.h"
#include "ks-admin-window.h"
#include "ks-bulk-bar.h"
#include "ks-create-report-dialog.h"
#include "ks-error.h"
#include "ks-filter-sidebar.h"
#include "ks-geo.h"
#include "ks-map-view.h"
#include "ks-report-detail.h"
#include "ks-report-list.h"
#include "ks-number-format.h"
#include "ks-outbox-dialog.h"
#include "ks-sign-in-page.h"
#include "ks-site-banner.h"
#include "ks-states.h"
#include "ks-two-factor-setup.h"

G_DEFINE_FINAL_TYPE (KsWindow, ks_window, ADW_TYPE_APPLICATION_WINDOW)

static void enter_main (KsWindow *self);
static gboolean first_sync_pulse_cb (gpointer data);
static void enter_signed_in (KsWindow *self);

void
ks_window_add_toast (KsWindow   *self,
                     const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (KS_IS_WINDOW (self));

  /* Toast titles are markup; messages may quote names with & or < in them. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

/* Content page and counts */

static void on_lists_changed (KsWindow *self);

static void
update_content_page (KsWindow *self)
{
  guint n, total;
  const char *page = "reports";
  gboolean syncing;
  g_autofree char *count = NULL;

  if (self->filter == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filter));
  total = ks_report_filter_get_n_total (self->filter);
  syncing = self->sync && ks_sync_engine_get_syncing (self->sync);

  if (total == 0)
    {
      if (syncing)
        page = "loading";
      else if (self->offline)
        page = "offline";
      else
        {
          page = "empty";
          adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("No Reports Yet"));
          adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                           _("Reports appear here as residents send them. Press F5 to check now."));
        }
    }
  else if (n == 0)
    {
      page = "empty";
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("No Reports Match"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       _("Try fewer filters or another search."));
    }

  gtk_stack_set_visible_child_name (GTK_STACK (self->content_stack), page);
  if (g_str_equal (page, "loading") && self->first_sync_pulse == 0 &&
      gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (self->first_sync_progress)) == 0)
    self->first_sync_pulse = g_timeout_add (150, first_sync_pulse_cb, self);
  else if (!g_str_equal (page, "loading"))
    {
      g_clear_handle_id (&self->first_sync_pulse, g_source_remove);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->first_sync_progress), 0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->first_sync_progress), _("Downloading reports…"));
    }

  if (total)
    {
      g_autofree char *shown = ks_format_count (n);
      g_autofree char *all = ks_format_count (total);
      count = g_strdup_printf (_("%s of %s"), shown, all);
    }
  else
    count = g_strdup ("");
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
}

/* The offline banner, with the count of changes waiting to be sent. */
static void
update_offline_banner (KsWindow *self)
{
  guint n = self->outbox ? ks_outbox_get_n_pending (self->outbox) : 0;
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("Offline: showing the reports saved on this computer. Changes will be sent when the server can be reached."));
  else
    text = g_strdup_printf (ngettext ("Offline: showing the reports saved on this computer. %u change is waiting to be sent.",
                                      "Offline: showing the reports saved on this computer. %u changes are waiting to be sent.",
                                      n), n);
  gtk_label_set_text (GTK_LABEL (self->offline_label), text);
}

/* Says once that the changes made offline have gone. */
static void
check_unsent (KsWindow *self)
{
  guint n = self->outbox ? ks_outbox_get_n_pending (self->outbox) : 0;

  if (self->offline)
    self->unsent = MAX (self->unsent, n);
  else if (n == 0 && self->unsent > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Back online: %u waiting change was sent.",
                                                         "Back online: %u waiting changes were sent.",
                                                         self->unsent), self->unsent);
      self->unsent = 0;
      ks_window_add_toast (self, text);
    }
}

static void
set_offline (KsWindow *self,
             gboolean  offline)
{
  gboolean was_offline = self->offline;

  self->offline = offline;
  update_offline_banner (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer), offline);
  check_unsent (self);
  update_content_page (self);
  /* Back online: the open report's updates could not load meanwhile. */
  if (was_offline && !offline)
    ks_report_detail_reload (KS_REPORT_DETAIL (self->report_detail));
}

/* Selection and detail */

static void
show_detail (KsWindow *self,
             gint64    id)
{
  KsReport *report = (id && self->session) ? ks_session_lookup_report (self->session, id) : NULL;

  ks_report_detail_set_report (KS_REPORT_DETAIL (self->report_detail), report);
  if (self->map_view)
    ks_map_view_set_selected (KS_MAP_VIEW (self->map_view), report ? id : 0);
  if (report)
    {
      g_autofree char *subtitle = ks_session_is_placeholder (id)
                                  ? g_strdup (_("New Report"))
                                  : g_strdup_printf (_("Report %" G_GINT64_FORMAT), id);
      adw_window_title_set_title (ADW_WINDOW_TITLE (self->detail_title), subtitle);
    }
  else
    adw_window_title_set_title (ADW_WINDOW_TITLE (self->detail_title), "");
}

static void
on_report_selected (KsWindow *self,
                    gint64    id)
{
  show_detail (self, id);
}

static void
on_report_activated (KsWindow *self,
                     gint64    id)
{
  show_detail (self, id);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->detail_pane);
}

void
ks_window_show_report (KsWindow *self,
                       gint64    report_id)
{
  g_return_if_fail (KS_IS_WINDOW (self));

  if (!ks_report_list_select_id (KS_REPORT_LIST (self->report_list), report_id))
    ks_report_list_unselect (KS_REPORT_LIST (self->report_list));
  show_detail (self, report_id);
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->detail_pane);
}

static void
on_map_report_activated (KsWindow *self,
                         gint64    id)
{
  ks_window_show_report (self, id);
}

/* Selecting many: a rectangle on the map selects its reports in the list, where
 * the bulk bar acts on them. */
static void
on_area_selected (KsWindow *self,
                  GArray   *ids)
{
  guint n = ks_report_list_select_ids (KS_REPORT_LIST (self->report_list),
                                       (const gint64 *) ids->data, ids->len);

  if (n == 0)
    ks_window_add_toast (self, _("No reports in that area. Draw around the reports’ marks."));
  else if (n == 1)
    ks_window_add_toast (self, _("1 report selected"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->select_area_button), FALSE);
}

static void
on_view_changed (KsWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack));

  gtk_widget_set_visible (self->select_area_button, g_strcmp0 (name, "map") == 0);
}

/* Create on someone's behalf */

static void
on_report_created (KsWindow *self,
                   gint64    id,
                   gboolean  queued)
{
  if (queued)
    {
      ks_window_add_toast (self, _("Report saved on this computer. It will be sent when the server can be reached."));
      /* Its placeholder, until the server has it. */
      if (id != 0)
        ks_window_show_report (self, id);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " created"), id);
    ks_window_add_toast (self, message);
  }
  ks_window_show_report (self, id);
}

GtkWidget *
ks_window_create_report_at (KsWindow *self,
                            double    lat,
                            double    lon)
{
  GtkWidget *dialog;

  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);

  if (self->session == NULL || !ks_session_can (self->session, KS_PERM_CREATE_REPORT_ON_BEHALF))
    return NULL;

  dialog = ks_create_report_dialog_new (GTK_WINDOW (self), self->session, lat, lon);
  ks_create_report_dialog_set_tile_source (KS_CREATE_REPORT_DIALOG (dialog),
                                           ks_map_view_get_tile_source (KS_MAP_VIEW (self->map_view)));
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_report_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* A place chosen among the search's: the map shows it at street level, with the
 * reports around it. The text typed was the place's name, not words of the
 * reports wanted there, so it stops filtering them (it would mostly hide all). */
static void
on_place_chosen (KsWindow   *self,
                 JsonObject *place)
{
  ks_filter_sidebar_set_search_text (KS_FILTER_SIDEBAR (self->filter_sidebar), "");
  ks_window_set_view (self, "map");
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->content_pane);
  self->map_centred = TRUE;
  ks_map_view_center_on (KS_MAP_VIEW (self->map_view),
                         json_object_get_double_member_with_default (place, "lat", 0),
                         json_object_get_double_member_with_default (place, "lon", 0),
                         KS_WINDOW_PLACE_ZOOM);
}

static void
on_location_picked (KsWindow *self,
                    double    lat,
                    double    lon)
{
  ks_window_create_report_at (self, lat, lon);
}

/* Sync */

/* 12400 -> "12,400" (the locale's separator, a comma when it has none). */
static char *
format_count (guint64 n)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = ",";
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* Until the first page tells how many reports come, the bar pulses. */
static gboolean
first_sync_pulse_cb (gpointer data)
{
  KsWindow *self = data;

  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->first_sync_progress));
  return G_SOURCE_CONTINUE;
}

/* The sentence of a sync's progress: "Downloading reports: 12,400 of 100,000"
 * on the first sync, "Syncing reports: ..." after. */
static char *
progress_text (KsWindow *self,
               guint64   done,
               guint64   total)
{
  g_autofree char *done_s = format_count (done);
  g_autofree char *total_s = format_count (total);

  if (self->first_sync)
    return total > 0 ? g_strdup_printf (_("Downloading reports: %s of %s"), done_s, total_s)
                     : g_strdup_printf (_("Downloading reports: %s"), done_s);
  return total > 0 ? g_strdup_printf (_("Syncing reports: %s of %s"), done_s, total_s)
                   : g_strdup_printf (_("Syncing reports: %s"), done_s);
}

static void
on_sync_progress (KsWindow *self,
                  guint64   done,
                  guint64   total)
{
  g_autofree char *text = NULL;

  /* Later syncs show the bar only when they bring many reports; the first
   * always does. */
  if (!self->first_sync && total < SYNC_PROGRESS_THRESHOLD && done < SYNC_PROGRESS_THRESHOLD)
    return;

  text = progress_text (self, done, total);
  if (total > 0)
    {
      double fraction = MIN (1.0, (double) done / total);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->sync_progress), fraction);
      g_clear_handle_id (&self->first_sync_pulse, g_source_remove);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->first_sync_progress), fraction);
    }
  else
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->sync_progress));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->first_sync_progress), text);
  gtk_label_set_text (GTK_LABEL (self->sync_label), text);
  /* A last page that completes the run needs no bar any more. */
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->sync_revealer),
                                 total == 0 || done < total);
}

static void
on_sync_finished (KsWindow     *self,
                  const GError *error)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->sync_revealer), FALSE);

  if (error == NULL)
    set_offline (self, FALSE);
  else if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE))
    set_offline (self, TRUE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           && !g_error_matches (error, KS_ERROR, KS_ERROR_UNAUTHORIZED))
    ks_window_add_toast (self, error->message);

  update_content_page (self);
}

static void
on_sync_notify (KsWindow *self)
{
  gboolean syncing = self->sync && ks_sync_engine_get_syncing (self->sync);

  /* A run into an empty cache is the first sync (progress always shown). */
  if (syncing && self->filter && ks_report_filter_get_n_total (self->filter) == 0)
    self->first_sync = TRUE;
  else if (!syncing)
    self->first_sync = FALSE;
  update_content_page (self);
}

/* The outbox follows the client's reachability (health checked within seconds
 * of a failure), so the banner goes as soon as the server answers again. */
static void
on_outbox_online (KsWindow *self)
{
  gboolean online = TRUE;

  g_object_get (self->outbox, "online", &online, NULL);
  if (online != !self->offline)
    set_offline (self, !online);
}

static void
on_outbox_pending (KsWindow *self)
{
  update_offline_banner (self);
  check_unsent (self);
}

static void
on_outbox_changed (KsWindow *self)
{
  ks_report_detail_show_pending (KS_REPORT_DETAIL (self->report_detail));
}

/* Conflicts and rejections from the outbox */

static void
show_outbox_dialog (KsWindow      *self,
                    KsOutboxEntry *entry,
                    gboolean       conflict)
{
  GtkWidget *dialog = ks_outbox_dialog_new (GTK_WINDOW (self), self->session, entry, conflict);

  g_signal_connect_object (dialog, "toast", G_CALLBACK (ks_window_add_toast), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_outbox_conflict (KsWindow      *self,
                    KsOutboxEntry *entry)
{
  show_outbox_dialog (self, entry, TRUE);
}

static void
on_outbox_rejected (KsWindow      *self,
                    KsOutboxEntry *entry)
{
  show_outbox_dialog (self, entry, FALSE);
}

/* Session life cycle */

static void
disconnect_session_parts (KsWindow *self)
{
  if (self->sync)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  if (self->outbox)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->filter)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
  g_clear_object (&self->filter);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Once per sign-in, fits the map to the council's area: its bounds when the
 * server gives them, else where its reports are (a stray report or two far
 * away left out). */
static void
centre_map_on_reports (KsWindow *self)
{
  GListModel *model = self->session ? ks_session_get_reports (self->session) : NULL;
  guint n = model ? g_list_model_get_n_items (model) : 0;
  JsonObject *me = self->session ? ks_session_get_me (self->session) : NULL;
  JsonObject *body = me && json_object_has_member (me, "body")
                     && JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "body"))
                     ? json_object_get_object_member (me, "body") : NULL;
  JsonArray *bbox = body && json_object_has_member (body, "bbox")
                    && JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "bbox"))
                    ? json_object_get_array_member (body, "bbox") : NULL;
  g_autoptr(GArray) lats = NULL;
  g_autoptr(GArray) lons = NULL;
  guint step, lo, hi;

  if (self->map_centred || self->map_view == NULL)
    return;

  /* [min lon, min lat, max lon, max lat], as GeoJSON has it. */
  if (bbox != NULL && json_array_get_length (bbox) == 4)
    {
      double v[4];

      for (guint i = 0; i < 4; i++)
        v[i] = json_node_get_double (json_array_get_element (bbox, i));
      if (ks_geo_valid_lat_lon (v[1], v[0]) && ks_geo_valid_lat_lon (v[3], v[2])
          && v[1] < v[3] && v[0] < v[2])
        {
          ks_map_view_fit_bounds (KS_MAP_VIEW (self->map_view), v[1], v[0], v[3], v[2]);
          self->map_centred = TRUE;
          return;
        }
    }

  if (n == 0)
    return;

  /* A sample is enough to find the area. */
  lats = g_array_new (FALSE, FALSE, sizeof (double));
  lons = g_array_new (FALSE, FALSE, sizeof (double));
  step = MAX (1, n / 2000);
  for (guint i = 0; i < n; i += step)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      double lat = ks_report_get_lat (r), lon = ks_report_get_lon (r);

      if (!ks_geo_valid_lat_lon (lat, lon))
        continue;
      g_array_append_val (lats, lat);
      g_array_append_val (lons, lon);
    }
  if (lats->len == 0)
    return;
  g_array_sort (lats, compare_doubles);
  g_array_sort (lons, compare_doubles);
  lo = lats->len / 100;
  hi = lats->len - 1 - lats->len / 100;

  ks_map_view_fit_bounds (KS_MAP_VIEW (self->map_view),
                          g_array_index (lats, double, lo), g_array_index (lons, double, lo),
                          g_array_index (lats, double, hi), g_array_index (lons, double, hi));
  self->map_centred = TRUE;
}

static void
on_filter_items_changed (KsWindow *self)
{
  centre_map_on_reports (self);
  update_content_page (self);
}

static void
apply_tile_source (KsWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "tile-url");

  if (self->map_view)
    ks_map_view_set_tile_source (KS_MAP_VIEW (self->map_view), url);
  ks_report_detail_set_tile_source (KS_REPORT_DETAIL (self->report_detail), url);
}

static void
apply_sync_interval (KsWindow *self)
{
  if (self->sync)
    ks_sync_engine_set_interval (self->sync, g_settings_get_uint (self->settings, "sync-interval"));
}

static void
on_setting_changed (KsWindow   *self,
                    const char *key)
{
  if (g_str_equal (key, "tile-url"))
    apply_tile_source (self);
  else if (g_str_equal (key, "sync-interval"))
    apply_sync_interval (self);
}

static void
enter_main (KsWindow *self)
{
  g_autofree char *subtitle = NULL;

  disconnect_session_parts (self);

  self->filter = g_object_ref (ks_session_get_filter (self->session));
  g_signal_connect_swapped (self->filter, "items-changed", G_CALLBACK (on_filter_items_changed), self);

  if ((self->sync = ks_session_get_sync (self->session)))
    {
      g_object_ref (self->sync);
      g_signal_connect_swapped (self->sync, "progress", G_CALLBACK (on_sync_progress), self);
      g_signal_connect_swapped (self->sync, "finished", G_CALLBACK (on_sync_finished), self);
      g_signal_connect_swapped (self->sync, "notify::syncing", G_CALLBACK (on_sync_notify), self);
      apply_sync_interval (self);
      /* The first sync may have started with the session, before this. */
      self->first_sync = FALSE;
      on_sync_notify (self);
    }
  if ((self->outbox = ks_session_get_outbox (self->session)))
    {
      g_object_ref (self->outbox);
      g_signal_connect_swapped (self->outbox, "conflict", G_CALLBACK (on_outbox_conflict), self);
      g_signal_connect_swapped (self->outbox, "rejected", G_CALLBACK (on_outbox_rejected), self);
      g_signal_connect_swapped (self->outbox, "notify::online", G_CALLBACK (on_outbox_online), self);
      g_signal_connect_swapped (self->outbox, "notify::n-pending", G_CALLBACK (on_outbox_pending), self);
      g_signal_connect_swapped (self->outbox, "changed", G_CALLBACK (on_outbox_changed), self);
    }

  /* The sidebar's criteria and the list's column order each ask the filter
   * for its reports again: held until both are set, every report is sorted
   * once, in the list's order, and passed over once. */
  ks_report_filter_freeze (self->filter);
  ks_filter_sidebar_set_session (KS_FILTER_SIDEBAR (self->filter_sidebar), self->session);
  ks_report_list_set_session (KS_REPORT_LIST (self->report_list), self->session);
  ks_report_detail_set_session (KS_REPORT_DETAIL (self->report_detail), self->session);
  ks_bulk_bar_set_session (KS_BULK_BAR (self->bulk_bar), self->session);
  ks_site_banner_set_session (KS_SITE_BANNER (self->site_banner), self->session);
  if (self->map_view)
    ks_map_view_set_reports (KS_MAP_VIEW (self->map_view), G_LIST_MODEL (self->filter));
  ks_report_filter_thaw (self->filter);
  on_lists_changed (self);
  self->map_centred = FALSE;
  centre_map_on_reports (self);
  show_detail (self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-report",
                                 ks_session_can (self->session, KS_PERM_CREATE_REPORT_ON_BEHALF));
  gtk_widget_set_visible (self->new_report_button,
                          ks_session_can (self->session, KS_PERM_CREATE_REPORT_ON_BEHALF));

  ks_window_council_update (self);
  subtitle = g_strdup_printf ("%s", ks_session_get_user_name (self->session)
                                    ? ks_session_get_user_name (self->session) : "");
  adw_view_switcher_title_set_subtitle (ADW_VIEW_SWITCHER_TITLE (self->view_switcher_title), subtitle);

  self->unsent = 0;
  set_offline (self, FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "main");
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->content_pane);
  update_content_page (self);

  /* The outbox may hold conflicts from an earlier session. */
  if (self->outbox)
    {
      g_autoptr(GPtrArray) entries = ks_outbox_list (self->outbox);

      for (guint i = 0; entries && i < entries->len; i++)
        {
          KsOutboxEntry *entry = g_ptr_array_index (entries, i);

          if (entry->state == KS_OUTBOX_CONFLICT)
            show_outbox_dialog (self, entry, TRUE);
        }
    }
}

/* Closes what belongs to the session that ended: the account window and the
 * dialogs about reports (their answers could not be sent any more). */
static void
close_session_windows (KsWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (w) == GTK_WINDOW (self) &&
          (ADW_IS_MESSAGE_DIALOG (w) || KS_IS_ACCOUNT_WINDOW (w) || KS_IS_CREATE_REPORT_DIALOG (w)))
        g_ptr_array_add (doomed, g_object_ref (w));
    }
  for (guint i = 0; i < doomed->len; i++)
    gtk_window_destroy (g_ptr_array_index (doomed, i));
}

/* The widgets let go of the session's models. */
static void
detach_session (KsWindow *self)
{
  disconnect_session_parts (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-report", FALSE);
  gtk_widget_set_visible (self->new_report_button, FALSE);
  ks_report_detail_set_session (KS_REPORT_DETAIL (self->report_detail), NULL);
  ks_bulk_bar_set_session (KS_BULK_BAR (self->bulk_bar), NULL);
  ks_site_banner_set_session (KS_SITE_BANNER (self->site_banner), NULL);
  ks_report_list_set_session (KS_REPORT_LIST (self->report_list), NULL);
  ks_filter_sidebar_set_session (KS_FILTER_SIDEBAR (self->filter_sidebar), NULL);
  if (self->map_view)
    {
      ks_map_view_set_reports (KS_MAP_VIEW (self->map_view), NULL);
      ks_map_view_set_boundaries (KS_MAP_VIEW (self->map_view), NULL);
    }
  ks_two_factor_setup_set_session (KS_TWO_FACTOR_SETUP (self->two_factor_setup), NULL);
  close_session_windows (self);
}

void
ks_window_leave_main (KsWindow   *self,
                      const char *message)
{
  detach_session (self);
  ks_window_council_update (self);

  ks_sign_in_page_reset (KS_SIGN_IN_PAGE (self->sign_in_page), message);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "sign-in");
  ks_sign_in_page_focus (KS_SIGN_IN_PAGE (self->sign_in_page));
}

static void
on_signed_out (KsWindow   *self,
               const char *message)
{
  ks_window_leave_main (self, message);
}

/* Two-factor authentication must be set up before anything else. */
static void
show_two_factor_setup (KsWindow   *self,
                       const char *message)
{
  JsonObject *me = ks_session_get_me (self->session);
  JsonObject *body = NULL;
  g_autofree char *reason = NULL;

  detach_session (self);
  if (me && json_object_has_member (me, "body") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "body")))
    body = json_object_get_object_member (me, "body");

  gtk_label_set_text (GTK_LABEL (self->setup_title), _("Two-Factor Authentication Is Required"));
  if (me && json_object_get_boolean_member_with_default (me, "is_superuser", FALSE))
    reason = g_strdup (_("Platform operator accounts must use two-factor authentication. Set it up now to continue."));
  else if (body && json_object_get_string_member_with_default (body, "name", NULL))
    reason = g_strdup_printf (_("%s requires two-factor authentication for every staff account. Set it up now to continue."),
                              json_object_get_string_member (body, "name"));
  else
    reason = g_strdup (message ? message : _("Your council requires two-factor authentication. Set it up now to continue."));
  gtk_label_set_text (GTK_LABEL (self->setup_reason), reason);

  ks_sign_in_page_set_busy (KS_SIGN_IN_PAGE (self->sign_in_page), FALSE);
  ks_sign_in_page_set_password (KS_SIGN_IN_PAGE (self->sign_in_page), "");
  ks_two_factor_setup_set_session (KS_TWO_FACTOR_SETUP (self->two_factor_setup), self->session);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "two-factor-setup");
}

/* The council's border and wards on the map, as the session last fetched them. */
static void
on_lists_changed (KsWindow *self)
{
  if (self->map_view != NULL)
    ks_map_view_set_boundaries (KS_MAP_VIEW (self->map_view),
                                ks_session_get_boundaries (self->session));
}

static void
enter_signed_in (KsWindow *self)
{
  if (ks_session_get_two_factor_setup_required (self->session))
    show_two_factor_setup (self, NULL);
  else
    enter_main (self);
}

static void
on_session_setup_required (KsWindow   *self,
                           const char *message)
{
  /* Sign-in and resume decide themselves; this is for a council that starts
   * requiring 2FA while someone works. */
  if (g_strcmp0 (ks_window_get_page (self), "main") == 0)
    show_two_factor_setup (self, message);
}

static void
on_two_factor_enabled (KsWindow *self)
{
  ks_two_factor_setup_set_session (KS_TWO_FACTOR_SETUP (self->two_factor_setup), NULL);
  if (ks_session_is_signed_in (self->session))
    {
      enter_main (self);
      ks_window_add_toast (self, _("Two-factor authentication is on. You need your authenticator app each time you sign in."));
    }
}

static void
on_keyring_error (KsWindow     *self,
                  const GError *error)
{
  /* During a sign-in the page says it, with "for this session only". */
  if (!ks_sign_in_page_get_signing_in (KS_SIGN_IN_PAGE (self->sign_in_page)) && error)
    ks_window_add_toast (self, error->message);
}


gboolean
ks_window_in_main (KsWindow *self)
{
  return g_strcmp0 (ks_window_get_page (self), "main") == 0;
}

static void
on_detail_toast (KsWindow   *self,
                 const char *message)
{
  ks_window_add_toast (self, message);
}

static gboolean
ks_window_close_request (GtkWindow *window)
{
  KsWindow *self = KS_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (ks_window_parent_class)->close_request (window);
}

static void
ks_window_dispose (GObject *object)
{
  KsWindow *self = KS_WINDOW (object);

  g_clear_handle_id (&self->first_sync_pulse, g_source_remove);
  if (self->account_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->account_window), (gpointer *) &self->account_window);
      gtk_window_destroy (GTK_WINDOW (self->account_window));
      self->account_window = NULL;
    }
  disconnect_session_parts (self);
  ks_window_council_dispose (self);
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      if (self->settings)
        g_signal_handlers_disconnect_by_data (self->settings, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ks_window_parent_class)->dispose (object);
}

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static void ks_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void ks_window_constructed (GObject *object);

static void
ks_window_class_init (KsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ks_window_dispose;
  object_class->set_property = ks_window_set_property;
  object_class->constructed = ks_window_constructed;
  window_class->close_request = ks_window_close_request;

  g_type_ensure (KS_TYPE_SIGN_IN_PAGE);
  g_type_ensure (KS_TYPE_FILTER_SIDEBAR);
  g_type_ensure (KS_TYPE_REPORT_LIST);
  g_type_ensure (KS_TYPE_BULK_BAR);
  g_type_ensure (KS_TYPE_REPORT_DETAIL);
  g_type_ensure (KS_TYPE_TWO_FACTOR_SETUP);
  g_type_ensure (KS_TYPE_SITE_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, filter_sidebar);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, view_switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, map_bin);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, report_list);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, bulk_bar);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, select_area_button);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, report_detail);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, new_report_button);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, council_picker);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, site_banner);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, sync_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, sync_progress);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, first_sync_progress);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, setup_title);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, setup_reason);
  gtk_widget_class_bind_template_child (widget_class, KsWindow, two_factor_setup);

  ks_window_class_install_actions (widget_class);

  g_object_class_install_property (object_class, PROP_SESSION,
    g_param_spec_object ("session", NULL, NULL, KS_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
ks_window_init (KsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-report", FALSE);

  self->map_view = g_object_new (KS_TYPE_MAP_VIEW, NULL);
  adw_bin_set_child (ADW_BIN (self->map_bin), self->map_view);
  g_signal_connect_swapped (self->map_view, "report-activated", G_CALLBACK (on_map_report_activated), self);
  g_signal_connect_swapped (self->map_view, "location-picked", G_CALLBACK (on_location_picked), self);
  g_signal_connect_swapped (ks_filter_sidebar_get_place_search (KS_FILTER_SIDEBAR (self->filter_sidebar)),
                            "place-chosen", G_CALLBACK (on_place_chosen), self);

  g_signal_connect_swapped (self->sign_in_page, "signed-in", G_CALLBACK (enter_signed_in), self);
  g_signal_connect_swapped (self->two_factor_setup, "enabled", G_CALLBACK (on_two_factor_enabled), self);
  g_signal_connect_swapped (self->report_list, "report-selected", G_CALLBACK (on_report_selected), self);
  g_signal_connect_swapped (self->report_list, "report-activated", G_CALLBACK (on_report_activated), self);
  g_signal_connect_swapped (self->report_detail, "toast", G_CALLBACK (on_detail_toast), self);

  ks_bulk_bar_set_list (KS_BULK_BAR (self->bulk_bar), KS_REPORT_LIST (self->report_list));
  g_signal_connect_swapped (self->bulk_bar, "show-report", G_CALLBACK (ks_window_show_report), self);
  g_signal_connect_swapped (self->bulk_bar, "toast", G_CALLBACK (ks_window_add_toast), self);
  g_signal_connect_swapped (self->map_view, "area-selected", G_CALLBACK (on_area_selected), self);
  g_object_bind_property (self->select_area_button, "active", self->map_view, "select-area",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (on_view_changed), self);
  on_view_changed (self);
}

static void
ks_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  KsWindow *self = KS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The session given (one already reading the cache, see ks_window_new()),
 * or a new one. */
static void
ks_window_constructed (GObject *object)
{
  KsWindow *self = KS_WINDOW (object);

  G_OBJECT_CLASS (ks_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = ks_session_new ();
  g_signal_connect_swapped (self->session, "signed-out", G_CALLBACK (on_signed_out), self);
  g_signal_connect_swapped (self->session, "lists-changed", G_CALLBACK (on_lists_changed), self);
  /* A platform operator switched councils: everything starts again on it. */
  g_signal_connect_swapped (self->session, "council-changed", G_CALLBACK (enter_main), self);
  g_signal_connect_swapped (self->session, "keyring-error", G_CALLBACK (on_keyring_error), self);
  g_signal_connect_swapped (self->session, "two-factor-setup-required", G_CALLBACK (on_session_setup_required), self);
  /* "win.dashboard", "win.administration" and "win.find-caller" follow the
   * permissions. */
  g_signal_connect_swapped (self->session, "signed-in", G_CALLBACK (ks_window_update_actions), self);
  g_signal_connect_swapped (self->session, "signed-out", G_CALLBACK (ks_window_update_actions), self);
  g_signal_connect_swapped (self->session, "notify::signed-in", G_CALLBACK (ks_window_update_actions), self);
  g_signal_connect_swapped (self->session, "two-factor-setup-required", G_CALLBACK (ks_window_update_actions), self);
  ks_window_update_actions (self);
}

/* The council a platform operator's next sign-in starts in (GSettings
 * "last-council", which the council picker keeps). */
static void
remember_council (KsWindow *self)
{
  ks_session_set_preferred_council (self->session, g_settings_get_int64 (self->settings, "last-council"));
}

KsWindow *
ks_window_new (KsApplication *app)
{
  KsWindow *self;

  g_autoptr(KsSession) session = NULL;
  GSettings *settings;

  g_return_val_if_fail (KS_IS_APPLICATION (app), NULL);

  /* The cache of the account the sign-in page will resume is being read
   * (since the app's startup, for the first window) while the window is
   * built. */
  session = ks_application_new_session (app);
  settings = ks_application_get_settings (app);
  self = g_object_new (KS_TYPE_WINDOW, "application", app, "session", session, NULL);
  self->settings = g_object_ref (settings);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_setting_changed), self);
  /* A platform operator starts in the council they last worked in. */
  remember_council (self);
  g_signal_connect_swapped (self->settings, "changed::last-council", G_CALLBACK (remember_council), self);
  apply_tile_source (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "sign-in");
  ks_sign_in_page_start (KS_SIGN_IN_PAGE (self->sign_in_page), self->session, self->settings,
                         ks_application_get_server_override (app));

  return self;
}

KsSession *
ks_window_get_session (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->session;
}

const char *
ks_window_get_page (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->main_stack));
}

const char *
ks_window_get_content_page (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->content_stack));
}

GtkWidget *
ks_window_get_sign_in_page (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->sign_in_page;
}

GtkWidget *
ks_window_get_report_list (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->report_list;
}

GtkWidget *
ks_window_get_report_detail (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->report_detail;
}

GtkWidget *
ks_window_get_filter_sidebar (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->filter_sidebar;
}

GtkWidget *
ks_window_get_bulk_bar (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->bulk_bar;
}

GtkWidget *
ks_window_get_map_view (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->map_view;
}

void
ks_window_set_view (KsWindow   *self,
                    const char *name)
{
  g_return_if_fail (KS_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->view_stack), name);
}

GtkWidget *
ks_window_get_two_factor_setup (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return self->two_factor_setup;
}
