/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-flow.c: the daily flow of the real window against a real kerbside-server
 * on loopback: keyboard triage in the list (the place kept after an action, the
 * sort and its arrow, the columns at 1440 and 1366 pixels, the column chooser,
 * one date style in the list and the detail), the way back online (the banner,
 * the count of waiting changes, the toast, the detail's updates reloaded), the
 * first sync's progress bar, and sign-in's connection handling (a bare loopback
 * address, Cancel, the sentence naming the cause, the field at fault, the
 * "Signing in as" page on relaunch), and a sign-in the server turns away as busy
 * (the countdown, Cancel, then the main window). Asserts on the widgets and saves PNGs into
 * KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-flow"

#include "config.h"

#include <adwaita.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-date-format.h"
#include "ks-report-detail.h"
#include "ks-report-list.h"
#include "ks-sign-in-page.h"
#include "ks-object-int64.h"

#define N_REPORTS 400

static KsTestServer  *server;
static KsWindow      *window;

/* Helpers */

/* The window's surface on screen (the widget is a few pixels narrower: the
 * frame's resize border). */
static int
surface_width (void)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return surface ? gdk_surface_get_width (surface) : 0;
}

static gboolean
window_width_is (gpointer data)
{
  return surface_width () == GPOINTER_TO_INT (data);
}

static void
resize_window (int width,
               int height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  if (!ks_test_wait_for (window_width_is, GINT_TO_POINTER (width), 20))
    g_error ("the window is %d px wide, not %d", surface_width (), width);
  ks_test_iterate (500);
}

static JsonObject *
server_report (gint64 id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server->url, "GET", path, token, NULL);
}

static KsReportList *
report_list (void)
{
  return KS_REPORT_LIST (ks_window_get_report_list (window));
}

static KsReportDetail *
report_detail (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
detail_loaded (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (report_detail ());

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (report_detail ()) != NULL;
}

static GtkWidget *
find_selected_row (GtkWidget *root)
{
  if (g_str_equal (gtk_widget_get_css_name (root), "row") &&
      (gtk_widget_get_state_flags (root) & GTK_STATE_FLAG_SELECTED))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_selected_row (c);
      if (found)
        return found;
    }
  return NULL;
}

/* The text of a row's first cell (the Id column). */
static const char *
row_first_text (GtkWidget *row)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (row); cell; cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);

      if (child && GTK_IS_INSCRIPTION (child))
        return gtk_inscription_get_text (GTK_INSCRIPTION (child));
    }
  return NULL;
}

static AdwActionRow *
find_action_row (GtkWidget  *root,
                 const char *title)
{
  if (ADW_IS_ACTION_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_ACTION_ROW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwActionRow *found = find_action_row (c, title);
      if (found)
        return found;
    }
  return NULL;
}

static guint
selected_position (void)
{
  GListModel *model = ks_report_list_get_model (report_list ());
  gint64 id = ks_report_list_get_selected_id (report_list ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (ks_report_get_id (r) == id)
        return i;
    }
  return G_MAXUINT;
}

static gint64
id_at (guint position)
{
  g_autoptr(KsReport) r = g_list_model_get_item (ks_report_list_get_model (report_list ()), position);

  return r ? ks_report_get_id (r) : 0;
}

/* Every visible column's header is on screen and its title not cut. */
static void
assert_headers_fit (const char *const *columns)
{
  GtkWidget *view = ks_report_list_get_column_view (report_list ());
  GtkWidget *list = ks_window_get_report_list (window);
  int list_width = gtk_widget_get_width (list);

  for (guint i = 0; columns[i]; i++)
    {
      GtkColumnViewColumn *column = ks_report_list_get_column (report_list (), columns[i]);
      const char *title = gtk_column_view_column_get_title (column);
      GtkWidget *label = ks_gui_find_label_exact (view, title);
      GtkWidget *header;
      graphene_point_t right;
      int natural = 0;

      g_assert_true (gtk_column_view_column_get_visible (column));
      g_assert_nonnull (label);
      g_assert_true (gtk_widget_get_mapped (label));
      /* The whole header (the label's box inside the column's title). */
      header = gtk_widget_get_parent (gtk_widget_get_parent (label));
      g_assert_true (gtk_widget_compute_point (header, list,
                                               &GRAPHENE_POINT_INIT (gtk_widget_get_width (header), 0),
                                               &right));
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_test_message ("column %s: header ends at %.0f of %d px, label %d of %d px", columns[i],
                      right.x, list_width, gtk_widget_get_width (label), natural);
      g_assert_cmpfloat (right.x, <=, list_width);
      g_assert_cmpint (gtk_widget_get_width (label), >=, natural);
    }
}

static gboolean
report_acknowledged_locally (gpointer data)
{
  KsSession *session = ks_window_get_session (window);
  KsReport *r = ks_session_lookup_report (session, *(gint64 *) data);

  return r && ks_report_get_acknowledged (r) != 0
         && ks_outbox_get_n_pending (ks_session_get_outbox (session)) == 0;
}

/* The Offline banner's revealer (around the label that starts "Offline:"). */
static GtkRevealer *
offline_banner (GtkWidget **out_label)
{
  GtkWidget *label = ks_gui_find_label_prefix (GTK_WIDGET (window), "Offline:");
  GtkWidget *w = label;

  while (w && !GTK_IS_REVEALER (w))
    w = gtk_widget_get_parent (w);
  if (out_label)
    *out_label = label;
  return w ? GTK_REVEALER (w) : NULL;
}

static gboolean
banner_shown (gpointer data)
{
  GtkRevealer *r = offline_banner (NULL);

  return r && gtk_revealer_get_reveal_child (r) == GPOINTER_TO_INT (data);
}

static gboolean
label_with_prefix_shown (gpointer data)
{
  GtkWidget *label = ks_gui_find_label_prefix (GTK_WIDGET (window), data);

  return label && gtk_widget_get_mapped (label);
}

static gboolean
is_unacknowledged (KsReport *r)
{
  return ks_report_get_acknowledged (r) == 0;
}

/* Ids of the first n reports the list shows that match. */
static GArray *
ids_where (gboolean (*pred) (KsReport *),
           guint    n)
{
  GListModel *model = ks_report_list_get_model (report_list ());
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (model) && ids->len < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (r);

      if (pred (r))
        g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
detail_failed_offline (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (report_detail ());

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_gui_find_label_prefix (ks_window_get_report_detail (window), "The updates appear when") != NULL;
}

static gboolean
server_has_acknowledged (gpointer data)
{
  GArray *ids = data;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) r = server_report (g_array_index (ids, gint64, i));

      if (json_node_is_null (json_object_get_member (r, "acknowledged")))
        return FALSE;
    }
  return TRUE;
}

/* Tests: back online */

static void
test_back_online (void)
{
  g_autoptr(GArray) ids = NULL;
  GtkWidget *label = NULL;
  KsOutbox *outbox;
  gint64 restarted, noticed;
  gint64 second;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ids = ids_where (is_unacknowledged, 2);
  outbox = ks_session_get_outbox (ks_window_get_session (window));
  g_assert_cmpuint (ids->len, ==, 2);
  second = g_array_index (ids, gint64, 1);
  g_assert_true (banner_shown (GINT_TO_POINTER (FALSE)));

  /* The server goes away; two reports are acknowledged meanwhile. */
  ks_test_server_stop (server);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      ks_window_show_report (window, id);
      g_assert_true (ks_test_wait_for (detail_failed_offline, &id, 30));
      g_assert_true (ks_report_detail_acknowledge (report_detail ()));
      ks_test_iterate (300);
    }
  g_assert_true (ks_test_wait_for (banner_shown, GINT_TO_POINTER (TRUE), 30));
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 2);

  /* The banner says how many changes wait; the open report's timeline shows
   * its change as pending. */
  offline_banner (&label);
  g_test_message ("offline: %s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "2 changes are waiting to be sent"));
  g_assert_nonnull (ks_gui_find_named (ks_window_get_report_detail (window), "pending-change"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-offline.png");

  /* The server comes back: noticed within seconds, the banner goes, the
   * changes go, a toast says so, the open report's updates load. */
  ks_test_server_start (server);
  restarted = g_get_monotonic_time ();
  g_assert_true (ks_test_wait_for (banner_shown, GINT_TO_POINTER (FALSE), 30));
  noticed = g_get_monotonic_time ();
  g_test_message ("back online noticed %.1f s after the server restarted",
                  (noticed - restarted) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (noticed - restarted, <, 8 * G_USEC_PER_SEC);
  g_assert_true (ks_test_wait_for (label_with_prefix_shown, (gpointer) "Back online: 2 waiting changes were sent", 30));
  g_assert_true (ks_test_wait_for (detail_loaded, &second, 30));
  g_assert_null (ks_gui_find_named (ks_window_get_report_detail (window), "pending-change"));
  g_assert_null (ks_gui_find_label_prefix (ks_window_get_report_detail (window), "The updates appear when"));
  g_assert_null (ks_gui_find_label_prefix (ks_window_get_report_detail (window), "Loading"));
  g_assert_true (server_has_acknowledged (ids));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-back-online.png");
}

/* Tests: the first sync's progress */

static GtkWidget *
find_banner_bar (GtkWidget *root)
{
  if (GTK_IS_PROGRESS_BAR (root) && !gtk_progress_bar_get_show_text (GTK_PROGRESS_BAR (root)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_banner_bar (c);
      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget *label;
  GtkWidget *revealer;
  GPtrArray *seen;      /* texts shown while the banner was revealed */
} ProgressWatch;

static void
on_progress_label (GtkWidget     *label,
                   GParamSpec    *pspec,
                   ProgressWatch *watch)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (gtk_revealer_get_reveal_child (GTK_REVEALER (watch->revealer)) ||
      g_str_has_prefix (text, "Downloading"))
    g_ptr_array_add (watch->seen, g_strdup (text));
}

static gboolean
progress_midway (gpointer data)
{
  ProgressWatch *watch = data;

  return gtk_revealer_get_reveal_child (GTK_REVEALER (watch->revealer)) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (watch->label)), "Downloading reports: 2,000 of");
}

static gboolean
all_reports_cached (gpointer data)
{
  KsSession *session = ks_window_get_session (window);

  return session && ks_session_is_signed_in (session)
         && g_list_model_get_n_items (ks_session_get_reports (session)) >= GPOINTER_TO_UINT (data)
         && !ks_sync_engine_get_syncing (ks_session_get_sync (session));
}

static void
test_first_sync_progress (void)
{
  g_autofree char *dir = ks_test_make_tmp ("kerbside-flow");
  KsTestServer *big = ks_test_server_new (dir, 5000);
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  ProgressWatch watch = { 0 };
  gint64 total;
  gboolean midway;

  ks_gui_sign_out (window);
  total = ks_test_server_query_int (big, "SELECT count(*) FROM reports WHERE state NOT IN ('hidden', 'unconfirmed')");
  /* The sync banner: its label sits just before its progress bar. */
  watch.label = gtk_widget_get_prev_sibling (find_banner_bar (GTK_WIDGET (window)));
  g_assert_true (GTK_IS_LABEL (watch.label));
  watch.revealer = watch.label;
  while (watch.revealer && !GTK_IS_REVEALER (watch.revealer))
    watch.revealer = gtk_widget_get_parent (watch.revealer);
  g_assert_nonnull (watch.revealer);
  watch.seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (watch.label, "notify::label", G_CALLBACK (on_progress_label), &watch);

  /* A first sync of 5,000 reports into an empty cache. */
  ks_sign_in_page_set_server (page, big->url);
  ks_sign_in_page_set_email (page, "inspector@demo.invalid");
  ks_sign_in_page_set_password (page, KS_TEST_PASSWORD);
  ks_sign_in_page_submit (page, FALSE);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  midway = ks_test_wait_for (progress_midway, &watch, 60);
  if (midway)
    ks_gui_save_screenshot (GTK_WIDGET (window), "flow-first-sync.png");
  g_assert_true (ks_test_wait_for (all_reports_cached, GUINT_TO_POINTER ((guint) total), 120));
  g_signal_handlers_disconnect_by_data (watch.label, &watch);

  for (guint i = 0; i < watch.seen->len; i++)
    g_test_message ("progress: %s", (char *) g_ptr_array_index (watch.seen, i));
  /* The count of reports to come is known after the opening page, and shown
   * with its thousands separator while the rest downloads. */
  {
    guint cached = g_list_model_get_n_items (ks_session_get_reports (ks_window_get_session (window)));
    g_autofree char *want = g_strdup_printf ("Downloading reports: 2,000 of %u,%03u", cached / 1000, cached % 1000);
    gboolean found = FALSE;

    for (guint i = 0; i < watch.seen->len; i++)
      found |= g_str_equal (g_ptr_array_index (watch.seen, i), want);
    g_assert_true (found);
  }
  g_ptr_array_unref (watch.seen);
  /* Done: the bar has gone. */
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (watch.revealer)));

  ks_gui_sign_out (window);
  ks_test_server_free (big);
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
}

/* Tests: sign-in's connection handling */

static gboolean
sign_in_error_shown (gpointer data)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));

  return !ks_sign_in_page_get_busy (page) && ks_sign_in_page_get_error (page) != NULL;
}

static gboolean
on_hanging_incoming (GSocketService     *service,
                     GSocketConnection  *connection,
                     GObject            *source,
                     GPtrArray          *held)
{
  /* Accept, never answer. */
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

static void
submit (const char *server_text,
        const char *email)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));

  ks_sign_in_page_set_server (page, server_text);
  ks_sign_in_page_set_email (page, email);
  ks_sign_in_page_set_password (page, KS_TEST_PASSWORD);
  ks_sign_in_page_submit (page, FALSE);
}

static void
test_sign_in_connection (void)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  g_autoptr(GSocketService) hanging = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *bare = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_autofree char *plain = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_autofree char *hang_url = NULL;
  GtkWidget *focus;
  guint16 hang_port;
  gint64 start;

  ks_gui_sign_out (window);

  /* Nothing listens: the sentence names the cause and the port, and the
   * focus goes to the server address. */
  submit ("127.0.0.1:1", "inspector@demo.invalid");
  g_assert_true (ks_test_wait_for (sign_in_error_shown, NULL, 30));
  g_test_message ("refused: %s", ks_sign_in_page_get_error (page));
  g_assert_nonnull (strstr (ks_sign_in_page_get_error (page), "127.0.0.1:1"));
  g_assert_nonnull (strstr (ks_sign_in_page_get_error (page), "refused"));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_EDITABLE (focus));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focus)), ==, "127.0.0.1:1");
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-sign-in-refused.png");

  /* A server that never answers: Cancel ends the wait at once. */
  hang_port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (hanging), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (hanging, "incoming", G_CALLBACK (on_hanging_incoming), held);
  g_socket_service_start (hanging);
  hang_url = g_strdup_printf ("http://127.0.0.1:%u", hang_port);
  submit (hang_url, "inspector@demo.invalid");
  ks_test_iterate (1000);
  g_assert_true (ks_sign_in_page_get_busy (page));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-sign-in-waiting.png");
  start = g_get_monotonic_time ();
  ks_sign_in_page_cancel (page);
  ks_test_iterate (200);
  g_assert_false (ks_sign_in_page_get_busy (page));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_nonnull (strstr (ks_sign_in_page_get_error (page), "cancelled"));
  g_socket_service_stop (hanging);

  /* A bare loopback address of a plain-http server: https is tried briefly,
   * then http; the address that worked, port included, is kept. */
  start = g_get_monotonic_time ();
  submit (bare, "inspector@demo.invalid");
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 30));
  g_test_message ("bare %s signed in after %.1f s", bare, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (ks_sign_in_page_get_server (page), ==, plain);

  /* Relaunch with the stored session: "Signing in as ..." at once, not an
   * empty password form. */
  gtk_window_destroy (GTK_WINDOW (window));
  window = ks_gui_test_new_window (1440, 900);
  page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  g_assert_cmpstr (ks_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (ks_sign_in_page_get_resuming (page), ==, "inspector@demo.invalid");
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (window), "Signing in as inspector@demo.invalid…"));
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_null (ks_sign_in_page_get_resuming (page));
}

static gboolean
visible_label_is (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text) &&
         gtk_widget_is_visible (widget);
}

static gboolean
sign_in_wait_shown (gpointer data)
{
  return ks_sign_in_page_get_wait (KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window))) != NULL;
}

static gboolean
sign_in_wait_or_main (gpointer data)
{
  return sign_in_wait_shown (NULL) || ks_gui_main_shown (window);
}

/* A sign-in the server has no time to check (503 busy, Retry-After): the page
 * says so and counts down, offers Cancel, tries again by itself and goes on to
 * the main window once the server takes it. The server checks passwords at a
 * bcrypt cost where one check takes over a second, and another person's
 * sign-in is under way. */
static void
test_sign_in_busy (void)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  KsTestLogin *ahead;
  const char *wait;
  GtkWidget *cancel;

  ks_gui_sign_out (window);
  ks_test_server_stop (server);
  server->bcrypt_cost = 15;
  ks_test_server_start (server);
  for (guint attempt = 0; ; attempt++)
    {
      g_assert_cmpuint (attempt, <, 3);
      /* The server has timed its checks (at start, and these sign-ins). */
      g_free (ks_test_api_login_admitted (server->url, "customer.services@demo.invalid"));
      ahead = ks_test_api_login_begin (server->url, "customer.services@demo.invalid");
      submit (server->url, "inspector@demo.invalid");
      g_assert_true (ks_test_wait_for (sign_in_wait_or_main, NULL, 60));
      if (sign_in_wait_shown (NULL))
        break;
      /* Let in at once: the server was still finishing the check before, and
       * turned the one ahead away instead. */
      g_test_message ("the sign-in ahead: %u", ks_test_api_login_end (ahead));
      ks_gui_sign_out (window);
    }
  wait = ks_sign_in_page_get_wait (page);
  g_test_message ("waiting: %s", wait);
  g_assert_true (g_str_has_prefix (wait, "The server is busy; trying again in "));
  g_assert_true (g_str_has_suffix (wait, " s…"));
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (window), wait));
  g_assert_true (ks_sign_in_page_get_busy (page));
  g_assert_cmpstr (ks_window_get_page (window), ==, "sign-in");
  cancel = ks_gui_find (GTK_WIDGET (page), visible_label_is, "Cancel");
  g_assert_nonnull (cancel);
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (window), 30));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-sign-in-busy.png");

  /* Let in once the other sign-in is done: the main window, the sentence gone. */
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 180));
  g_assert_null (ks_sign_in_page_get_wait (page));
  g_test_message ("the sign-in ahead: %u", ks_test_api_login_end (ahead));
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 120));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-sign-in-busy-admitted.png");

  ks_test_server_stop (server);
  server->bcrypt_cost = 0;
  ks_test_server_start (server);
}

/* Tests: the list */

static const char *const default_columns[] = { "id", "title", "state", "priority", "created", "ward", NULL };

/* Whether the report under the list's cursor is acknowledged. */
static gboolean
selected_is_acknowledged (void)
{
  KsReport *r = ks_session_lookup_report (ks_window_get_session (window),
                                          ks_report_list_get_selected_id (report_list ()));

  g_assert_nonnull (r);
  return ks_report_get_acknowledged (r) != 0;
}

static void
test_list_triage (void)
{
  GtkWidget *view, *row, *button;
  GListModel *model;
  guint pos;
  gint64 id, next_id;

  resize_window (1440, 900);
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_window_set_view (window, "list");
  ks_test_iterate (500);
  view = ks_report_list_get_column_view (report_list ());
  model = ks_report_list_get_model (report_list ());

  /* A sort that suits triage, and its arrow on the Priority header. */
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "Priority"), ==, "ascending");
  {
    g_autoptr(KsReport) first = g_list_model_get_item (model, 0);
    g_autoptr(KsReport) last = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);

    /* Reports with a priority come first, those without last. */
    g_assert_cmpint (ks_report_get_priority_id (first), >, 0);
    g_assert_cmpint (ks_report_get_priority_id (last), ==, 0);
  }

  /* Columns at 1440 pixels: every default column's header is there, whole. */
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-1440.png");
  assert_headers_fit (default_columns);

  /* Work down the list with j to a report not yet acknowledged, then act on
   * the report under the cursor. */
  for (guint i = 0; i < 6; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.next-report", NULL);
  for (guint k = 0; k < 300 && selected_is_acknowledged (); k++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.next-report", NULL);
  g_assert_false (selected_is_acknowledged ());
  ks_test_iterate (300);
  pos = selected_position ();
  g_assert_cmpuint (pos, >=, 5);
  id = ks_report_list_get_selected_id (report_list ());
  next_id = id_at (pos + 1);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  button = ks_report_detail_get_action_button (report_detail (), "acknowledge");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ks_test_wait_for (report_acknowledged_locally, &id, 30));
  ks_test_iterate (1000);

  /* The person's place is kept: the same report under the cursor, at the same
   * row, and j goes on to the report that was next. */
  g_assert_cmpint (ks_report_list_get_selected_id (report_list ()), ==, id);
  g_assert_cmpuint (selected_position (), ==, pos);
  row = find_selected_row (view);
  g_assert_nonnull (row);
  {
    g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_assert_cmpstr (row_first_text (row), ==, want);
  }
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-after-action.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-report", NULL);
  ks_test_iterate (200);
  g_assert_cmpint (ks_report_list_get_selected_id (report_list ()), ==, next_id);
  row = find_selected_row (view);
  g_assert_nonnull (row);
  {
    g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, next_id);
    g_assert_cmpstr (row_first_text (row), ==, want);
  }

  /* One date style, the desktop's locale, in the list and the detail. */
  g_assert_true (ks_test_wait_for (detail_loaded, &next_id, 30));
  {
    KsReport *r = ks_session_lookup_report (ks_window_get_session (window), next_id);
    g_autofree char *want = ks_date_format (ks_report_get_created (r));
    AdwActionRow *reported = find_action_row (ks_window_get_report_detail (window), "Reported");

    g_assert_null (strstr (want, "-"));   /* not ISO */
    g_assert_nonnull (ks_gui_find_label_exact (row, want));
    g_assert_nonnull (reported);
    g_assert_cmpstr (adw_action_row_get_subtitle (reported), ==, want);
    g_test_message ("report %" G_GINT64_FORMAT " reported: %s", next_id, want);
  }
}

static void
test_list_columns (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) shown = NULL;

  /* The list of the inspector's reports (alone: shown here). */
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_window_set_view (window, "list");
  ks_test_iterate (500);

  /* 1366 pixels: the default columns still fit. */
  resize_window (1366, 768);
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-1366.png");
  assert_headers_fit (default_columns);

  /* The header menu's chooser shows a column and remembers it. */
  g_assert_false (ks_report_list_get_column_visible (report_list (), "updated"));
  gtk_widget_activate_action (GTK_WIDGET (report_list ()), "report-list.column-updated", NULL);
  ks_test_iterate (200);
  g_assert_true (ks_report_list_get_column_visible (report_list (), "updated"));
  g_assert_nonnull (ks_gui_find_label_exact (ks_report_list_get_column_view (report_list ()), "Updated"));
  shown = g_settings_get_strv (settings, "list-columns");
  g_assert_true (g_strv_contains ((const char * const *) shown, "updated"));

  /* With Updated chosen too: at 1440 pixels every column fits, whole; at 1200
   * (the detail open beside the list) State, Priority, Updated and Ward fit,
   * and Created gives way while there is no room (still ticked), coming back
   * when there is. */
  {
    static const char *const with_updated[] = { "id", "title", "state", "priority", "created",
                                                "updated", "ward", NULL };
    static const char *const triage[] = { "id", "title", "state", "priority", "updated", "ward", NULL };

    resize_window (1440, 900);
    ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-1440-updated.png");
    assert_headers_fit (with_updated);
    resize_window (1200, 800);
    ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-1200-updated.png");
    assert_headers_fit (triage);
    g_assert_true (ks_report_list_get_column_visible (report_list (), "created"));
    g_assert_false (ks_report_list_get_column_shown (report_list (), "created"));
    g_assert_null (ks_gui_find_label_exact (ks_report_list_get_column_view (report_list ()), "Created"));
    resize_window (1440, 900);
    g_assert_true (ks_report_list_get_column_shown (report_list (), "created"));
    assert_headers_fit (with_updated);
    resize_window (1200, 800);
  }

  /* ...and hides it again; the default columns fit at 1200 pixels. */
  gtk_widget_activate_action (GTK_WIDGET (report_list ()), "report-list.column-updated", NULL);
  ks_test_iterate (200);
  g_assert_false (ks_report_list_get_column_visible (report_list (), "updated"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-1200.png");
  assert_headers_fit (default_columns);
  resize_window (1440, 900);
}

/* Tests: the selected rows are easy to see */

static gboolean
is_cell_of (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_INSCRIPTION (widget) &&
         ks_object_get_int64 (widget, "ks-report-id") == *(const gint64 *) data &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "ks-column"), "title") == 0;
}

/* The colour drawn at x in the middle of report id's row, in the column view. */
static void
row_pixel (GdkTexture *texture, GtkWidget *view, gint64 id, int x, guint8 rgb[3])
{
  GtkWidget *cell = ks_gui_find (view, is_cell_of, &id);
  graphene_rect_t bounds;
  gsize stride = gdk_texture_get_width (texture) * 4;
  g_autofree guchar *data = g_malloc (stride * gdk_texture_get_height (texture));
  int y;

  g_assert_nonnull (cell);
  g_assert_true (gtk_widget_compute_bounds (cell, view, &bounds));
  y = (int) (bounds.origin.y + bounds.size.height / 2);
  gdk_texture_download (texture, data, stride);
  /* Downloaded as cairo's ARGB32: B, G, R, A on little-endian machines. */
  rgb[0] = data[y * stride + x * 4 + 2];
  rgb[1] = data[y * stride + x * 4 + 1];
  rgb[2] = data[y * stride + x * 4 + 0];
}

static gboolean
is_accent (const guint8 rgb[3])
{
  /* The accent (blue, #3584e4 by default): blue well above red. */
  return rgb[2] > 150 && rgb[2] > rgb[0] + 80;
}

static void
test_list_selection_visible (void)
{
  GtkWidget *view;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(KsReport) a = NULL;
  g_autoptr(KsReport) b = NULL;
  g_autoptr(KsReport) c = NULL;
  gint64 ids[2];
  guint8 rgb[3];
  GtkSnapshot *snapshot;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_window_set_view (window, "list");
  ks_test_iterate (500);
  view = ks_report_list_get_column_view (report_list ());
  g_assert_true (gtk_widget_has_css_class (view, "ks-report-table"));

  /* Two of the first rows selected (as for a bulk action), the one between not. */
  a = g_list_model_get_item (ks_report_list_get_model (report_list ()), 1);
  b = g_list_model_get_item (ks_report_list_get_model (report_list ()), 2);
  c = g_list_model_get_item (ks_report_list_get_model (report_list ()), 3);
  ids[0] = ks_report_get_id (a);
  ids[1] = ks_report_get_id (c);
  g_assert_cmpuint (ks_report_list_select_ids (report_list (), ids, 2), ==, 2);
  ks_test_iterate (300);
  g_assert_true (ks_gui_wait_painted (view, 10));
  ks_gui_save_screenshot (GTK_WIDGET (window), "flow-list-selected.png");

  paintable = gtk_widget_paintable_new (view);
  for (guint i = 0; node == NULL && i < 50; i++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (view), gtk_widget_get_height (view));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        ks_test_iterate (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (view)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (view),
                                                              gtk_widget_get_height (view)));
  /* A bar along the start edge of each selected row... */
  row_pixel (texture, view, ids[0], 1, rgb);
  g_test_message ("selected row, start edge: %u %u %u", rgb[0], rgb[1], rgb[2]);
  g_assert_true (is_accent (rgb));
  row_pixel (texture, view, ids[1], 1, rgb);
  g_assert_true (is_accent (rgb));
  /* ...and none on the row between. */
  row_pixel (texture, view, ks_report_get_id (b), 1, rgb);
  g_test_message ("unselected row, start edge: %u %u %u", rgb[0], rgb[1], rgb[2]);
  g_assert_false (is_accent (rgb));
  ks_report_list_unselect (report_list ());
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1440, 900);

  g_test_add_func ("/flow/list-triage", test_list_triage);
  g_test_add_func ("/flow/list-columns", test_list_columns);
  g_test_add_func ("/flow/list-selection-visible", test_list_selection_visible);
  g_test_add_func ("/flow/back-online", test_back_online);
  g_test_add_func ("/flow/first-sync-progress", test_first_sync_progress);
  g_test_add_func ("/flow/sign-in-connection", test_sign_in_connection);
  g_test_add_func ("/flow/sign-in-busy", test_sign_in_busy);

  return ks_gui_test_run ();
}
