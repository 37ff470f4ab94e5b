/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-window-actions.c: the main window's "win." actions (installed on the
 * widget class) and their keyboard shortcuts. */
#define G_LOG_DOMAIN "ks-window"

#include "config.h"
#include "ks-window-private.h"

#include <glib/gi18n.h>

#include "ks-account-window.h"
#include "ks-admin-window.h"
#include "ks-dashboard-window.h"
#include "ks-error.h"
#include "ks-caller-reports-dialog.h"
#include "ks-filter-sidebar.h"
#include "ks-map-view.h"
#include "ks-report-detail.h"
#include "ks-report-list.h"

/* A new report at the middle of the map as it is now. */
static void
action_new_report (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KsWindow *self = KS_WINDOW (widget);
  ShumateViewport *viewport;

  if (self->map_view == NULL)
    return;
  viewport = ks_map_view_get_viewport (KS_MAP_VIEW (self->map_view));
  ks_window_create_report_at (self, shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                              shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
}

static void
on_sync_now_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_sync_engine_sync_finish (KS_SYNC_ENGINE (source), result, &error))
    {
      if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE))
        ks_window_add_toast (self, error->message);
      return;
    }
}


static void
action_sync (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (self->sync == NULL)
    return;
  ks_sync_engine_sync_async (self->sync, NULL, on_sync_now_done, g_object_ref (self));
  if (self->outbox)
    ks_outbox_flush (self->outbox);
  if (ks_session_get_client (self->session))
    ks_client_check_reachable (ks_session_get_client (self->session));
}

static void
on_sign_out_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_session_sign_out_finish (KS_SESSION (source), result, &error))
    ks_window_add_toast (self, error->message);
  if (!ks_session_is_signed_in (self->session)
      && g_strcmp0 (ks_window_get_page (self), "sign-in") != 0)
    ks_window_leave_main (self, NULL);
}

static void
action_sign_out (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (!ks_session_is_signed_in (self->session) && !ks_session_get_two_factor_setup_required (self->session))
    return;
  ks_session_sign_out_async (self->session, NULL, on_sign_out_done, g_object_ref (self));
}

GtkWidget *
ks_window_show_account (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);

  if (!ks_window_in_main (self) || !ks_session_is_signed_in (self->session))
    return NULL;
  if (self->account_window == NULL)
    {
      self->account_window = ks_account_window_new (GTK_WINDOW (self), self->session);
      g_object_add_weak_pointer (G_OBJECT (self->account_window), (gpointer *) &self->account_window);
    }
  gtk_window_present (GTK_WINDOW (self->account_window));
  return self->account_window;
}

static void
action_account (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  ks_window_show_account (KS_WINDOW (widget));
}

static void
action_move (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (!ks_window_in_main (self))
    return;
  ks_report_list_move_selection (KS_REPORT_LIST (self->report_list),
                                 g_str_equal (name, "win.next-report") ? 1 : -1);
}

static void
action_acknowledge (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (ks_window_in_main (self))
    ks_report_detail_acknowledge (KS_REPORT_DETAIL (self->report_detail));
}

/* s, u, p: the open report's State, Update and Prioritise, as their buttons. */
static void
action_detail (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);
  GtkWidget *button;

  if (!ks_window_in_main (self))
    return;
  button = ks_report_detail_get_action_button (KS_REPORT_DETAIL (self->report_detail),
                                               g_variant_get_string (param, NULL));
  if (button != NULL && gtk_widget_is_sensitive (button) && gtk_widget_get_visible (button))
    g_signal_emit_by_name (button, "clicked");
}

/* Shows a report by its id (a link from the detail or a dialog). */
static void
action_show_report (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  gint64 id = g_variant_get_int64 (param);

  if (id > 0)
    ks_window_show_report (KS_WINDOW (widget), id);
}

static void
action_focus_search (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (!ks_window_in_main (self))
    return;
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->sidebar_pane);
  ks_filter_sidebar_focus_search (KS_FILTER_SIDEBAR (self->filter_sidebar));
}

static void
action_show_filters (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->sidebar_pane);
}

static void
action_show_reports (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->content_pane);
}

static void
action_clear_filters (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);
  ks_filter_sidebar_clear (KS_FILTER_SIDEBAR (self->filter_sidebar));
}

static void
action_show_view (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (ks_window_in_main (self))
    ks_window_set_view (self, g_variant_get_string (param, NULL));
}

typedef struct {
  KsWindow *window;
  gint64    id;
} CallerReport;

static void
on_caller_report_synced (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CallerReport *c = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_sync_engine_sync_finish (KS_SYNC_ENGINE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ks_window_add_toast (c->window, error->message);
  if (c->window->session && ks_session_lookup_report (c->window->session, c->id))
    ks_window_show_report (c->window, c->id);
  g_object_unref (c->window);
  g_free (c);
}

/* A caller's report, found on the server, may be newer than the last sync:
 * then it is shown after the next one. */
static void
on_caller_report_activated (KsWindow *self,
                            gint64    id)
{
  CallerReport *c;

  if (self->session == NULL)
    return;
  if (ks_session_lookup_report (self->session, id) != NULL || self->sync == NULL)
    {
      ks_window_show_report (self, id);
      return;
    }
  c = g_new0 (CallerReport, 1);
  c->window = g_object_ref (self);
  c->id = id;
  ks_sync_engine_sync_async (self->sync, NULL, on_caller_report_synced, c);
}

/* Find Caller's Reports: for staff who take callers' details. The dialog
 * stays open beside the window; a report chosen in it opens in the detail. */
static void
action_find_caller (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);
  GtkWidget *dialog;

  if (self->session == NULL || !ks_session_can (self->session, KS_PERM_CREATE_REPORT_ON_BEHALF))
    return;
  dialog = ks_caller_reports_dialog_new (GTK_WINDOW (self), self->session);
  g_signal_connect_object (dialog, "report-activated", G_CALLBACK (on_caller_report_activated), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Dashboard and administration: enabled by the permissions. */

static void
action_dashboard (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (self->session)
    ks_dashboard_window_show (GTK_WINDOW (self), self->session);
}

static void
action_administration (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  KsWindow *self = KS_WINDOW (widget);

  if (self->session)
    ks_admin_window_show (GTK_WINDOW (self), self->session);
}

void
ks_window_update_actions (KsWindow *self)
{
  gboolean signed_in = self->session && ks_session_is_signed_in (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dashboard",
                                 signed_in && ks_session_can (self->session, KS_PERM_VIEW_DASHBOARD));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.administration",
                                 signed_in && ks_admin_window_has_pages (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find-caller",
                                 signed_in && ks_session_can (self->session, KS_PERM_CREATE_REPORT_ON_BEHALF));
}

void
ks_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, action_sync);
  gtk_widget_class_install_action (widget_class, "win.new-report", NULL, action_new_report);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, action_sign_out);
  gtk_widget_class_install_action (widget_class, "win.account", NULL, action_account);
  gtk_widget_class_install_action (widget_class, "win.next-report", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "win.previous-report", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "win.acknowledge", NULL, action_acknowledge);
  gtk_widget_class_install_action (widget_class, "win.detail-action", "s", action_detail);
  gtk_widget_class_install_action (widget_class, "win.show-report", "x", action_show_report);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, action_focus_search);
  gtk_widget_class_install_action (widget_class, "win.show-filters", NULL, action_show_filters);
  gtk_widget_class_install_action (widget_class, "win.show-reports", NULL, action_show_reports);
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL, action_clear_filters);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", action_show_view);
  gtk_widget_class_install_action (widget_class, "win.dashboard", NULL, action_dashboard);
  gtk_widget_class_install_action (widget_class, "win.administration", NULL, action_administration);
  gtk_widget_class_install_action (widget_class, "win.find-caller", NULL, action_find_caller);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_CONTROL_MASK, "win.next-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_CONTROL_MASK, "win.previous-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.acknowledge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.acknowledge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "win.detail-action", "s", "state");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, 0, "win.detail-action", "s", "update");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "win.detail-action", "s", "priority");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.show-view", "s", "map");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.show-view", "s", "list");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.dashboard", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-caller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-caller", NULL);
}
