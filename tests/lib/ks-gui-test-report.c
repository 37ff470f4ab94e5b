/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-report.c: what GUI tests do to one report as a person would. */
#include "config.h"

#include "ks-gui-test-report.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-test-http.h"

typedef struct {
  KsWindow *window;
  gint64    id;
} Wanted;

static gboolean
detail_loaded (gpointer data)
{
  Wanted *w = data;
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (w->window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == w->id
         && ks_report_detail_get_detail (detail) != NULL;
}

KsReportDetail *
ks_gui_open_report (KsWindow *window,
                    gint64    id)
{
  Wanted w = { window, id };

  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &w, 30));
  ks_test_iterate (200);
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
row_on_screen (gpointer data)
{
  Wanted *w = data;
  g_autofree char *cell = ks_gui_list_cell (w->window, w->id, "id");

  return cell != NULL;
}

gint64
ks_gui_report_on_screen (KsWindow   *window,
                         const char *state,
                         gint64      not_this)
{
  KsReportList *list = KS_REPORT_LIST (ks_window_get_report_list (window));
  GListModel *model = ks_report_list_get_model (list);

  ks_window_set_view (window, "list");
  ks_test_iterate (300);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);
      Wanted w = { window, ks_report_get_id (report) };

      if (w.id == not_this || (state && g_strcmp0 (ks_report_get_state (report), state) != 0))
        continue;
      g_assert_true (ks_report_list_select_id (list, w.id));
      g_assert_true (ks_test_wait_for (row_on_screen, &w, 10));
      return w.id;
    }
  g_assert_not_reached ();
  return 0;
}

void
ks_gui_click_action (KsWindow   *window,
                     const char *action)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  GtkWidget *button = ks_report_detail_get_action_button (detail, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

void
ks_gui_choose_state (AdwMessageDialog *dialog,
                     const char       *state_id)
{
  g_autofree char *name = g_strdup_printf ("state-%s", state_id);
  GtkWidget *check = ks_gui_find_named (GTK_WIDGET (dialog), name);

  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

JsonObject *
ks_gui_server_report (const char *server_url,
                      gint64      id)
{
  g_autofree char *token = ks_test_api_login (server_url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server_url, "GET", path, token, NULL);
}
