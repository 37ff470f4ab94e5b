/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report-actions.c: after each action the app makes or receives, what a
 * person sees (the list row, the map marker, the detail and its small map) shows
 * the new state; the action dialogs say what they will do, in the staff's words.
 * The real window against a real kerbside-server on loopback; screenshots under
 * KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-report-actions"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-filter-sidebar.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-states.h"
#include "ks-test-http.h"
#include "ks-object-int64.h"

#define N_REPORTS 200

static KsTestServer  *server;
static KsWindow      *window;

/* Helpers */

static gboolean
detail_loaded (gpointer data)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (detail) != NULL;
}

static KsReportDetail *
open_report (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  ks_test_iterate (200);
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
row_on_screen (gpointer data)
{
  g_autofree char *cell = ks_gui_list_cell (window, *(gint64 *) data, "id");

  return cell != NULL;
}

/* A report whose state is state (NULL: any), scrolled into view in the list. */
static gint64
report_on_screen (const char *state,
                  gint64      not_this)
{
  KsReportList *list = KS_REPORT_LIST (ks_window_get_report_list (window));
  GListModel *model = ks_report_list_get_model (list);

  ks_window_set_view (window, "list");
  ks_test_iterate (300);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (report);

      if (id == not_this || (state && g_strcmp0 (ks_report_get_state (report), state) != 0))
        continue;
      g_assert_true (ks_report_list_select_id (list, id));
      g_assert_true (ks_test_wait_for (row_on_screen, &id, 10));
      return id;
    }
  g_assert_not_reached ();
  return 0;
}

static void
click_action (const char *action)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  GtkWidget *button = ks_report_detail_get_action_button (detail, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static JsonObject *
server_report (gint64 id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server->url, "GET", path, token, NULL);
}

static const char *
label_of (const char *state_id)
{
  return ks_state_lookup (state_id)->label;
}

/* Everything a person sees of report id shows state_id. */
static void
assert_shown_everywhere (gint64      id,
                         const char *state_id)
{
  const char *label = label_of (state_id);

  ks_window_set_view (window, "list");
  g_assert_true (ks_gui_wait_list_cell (window, id, "state", label, 10));
  g_assert_true (ks_gui_wait_map_state (window, id, state_id, 10));
  g_assert_true (ks_gui_wait_detail_field (window, "state", label, 10));
  g_assert_cmpstr (ks_gui_detail_map_state (window, id), ==, state_id);
}

/* Picks the state in the Change State dialog (a radio row per allowed state). */
static void
choose_state (AdwMessageDialog *dialog,
              const char       *state_id)
{
  g_autofree char *name = g_strdup_printf ("state-%s", state_id);
  GtkWidget *check = ks_gui_find_named (GTK_WIDGET (dialog), name);

  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

/* Tests */

static void
test_state_shown (void)
{
  gint64 id;
  AdwMessageDialog *dialog;

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  open_report (id);
  assert_shown_everywhere (id, "confirmed");

  click_action ("state");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  choose_state (dialog, "investigating");
  ks_gui_respond (dialog, "change");

  assert_shown_everywhere (id, "investigating");
  ks_gui_save_screenshot (GTK_WIDGET (window), "actions-state-shown.png");
  {
    g_autoptr(JsonObject) after = server_report (id);
    g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "investigating");
  }
  /* Still shown once the server's answer came back and the detail was fetched. */
  ks_test_iterate (1500);
  assert_shown_everywhere (id, "investigating");
}

/* Prioritise on the open report, and its picker. */
static AdwMessageDialog *
open_prioritise (GtkWidget **picker)
{
  AdwMessageDialog *dialog;

  click_action ("priority");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  *picker = ks_gui_find_named (GTK_WIDGET (dialog), "priority-picker");
  g_assert_nonnull (*picker);
  return dialog;
}

static void
test_priority_shown (void)
{
  gint64 id;
  AdwMessageDialog *dialog;
  GtkWidget *picker;
  g_auto(GStrv) names = NULL;

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  id = report_on_screen (NULL, 0);
  open_report (id);
  dialog = open_prioritise (&picker);
  names = ks_gui_dropdown_labels (GTK_DROP_DOWN (picker));
  if (g_strv_length (names) < 2)
    {
      ks_gui_respond (dialog, "cancel");
      g_test_skip ("the report's category has no priorities");
      return;
    }
  /* The report's own priority is chosen and says so; setting it again would
   * change nothing, so Set Priority waits for another. */
  {
    guint now = gtk_drop_down_get_selected (GTK_DROP_DOWN (picker));
    guint pick = now == 1 ? 2 : 1;

    g_assert_cmpuint (now, <, g_strv_length (names));
    g_assert_true (g_str_has_suffix (names[now], " (now)"));
    for (guint i = 0; names[i]; i++)
      g_assert_true (i == now || !g_str_has_suffix (names[i], " (now)"));
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "set"));
    g_assert_cmpuint (pick, <, g_strv_length (names));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (picker), pick);
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "set"));
    ks_gui_save_screenshot (GTK_WIDGET (dialog), "actions-priority-dialog.png");
    ks_gui_respond (dialog, "set");
    ks_window_set_view (window, "list");
    g_assert_true (ks_gui_wait_list_cell (window, id, "priority", names[pick], 10));
    g_assert_true (ks_gui_wait_detail_field (window, "priority", names[pick], 10));
  }
  ks_gui_save_screenshot (GTK_WIDGET (window), "actions-priority-shown.png");
}

static gint64
answer_id (JsonObject *answer,
           const char *key)
{
  JsonObject *o = json_object_has_member (answer, key) ? json_object_get_object_member (answer, key) : answer;

  return json_object_get_int_member (o, "id");
}

/* A report whose priority its category no longer offers (an administrator
 * moved the priority to another category): Prioritise shows that priority as
 * the report's, not "No priority", and setting it again stays disabled. */
static void
test_priority_not_offered (void)
{
  g_autofree char *admin = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) made = NULL;
  g_autoptr(JsonObject) other = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) names = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *picker;
  gint64 id, pid, other_id;
  guint now;

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  before = server_report (id);
  body = g_strdup_printf ("{\"name\": \"Within a month\", \"response_hours\": 720, \"category_ids\": [%" G_GINT64_FORMAT "]}",
                          json_object_get_int_member (before, "category_id"));
  made = ks_test_api (server->url, "POST", "/api/v1/priorities", admin, body);
  pid = answer_id (made, "priority");
  other = ks_test_api (server->url, "POST", "/api/v1/categories", admin,
                       "{\"code\": \"SIGN_FADED\", \"name\": \"Faded sign\"}");
  other_id = answer_id (other, "category");
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"priority_id\": %" G_GINT64_FORMAT ", \"version\": %" G_GINT64_FORMAT "}",
                          pid, json_object_get_int_member (before, "version"));
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/priority", id);
  set = ks_test_api (server->url, "POST", path, admin, body);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&path, g_free);
  body = g_strdup_printf ("{\"category_ids\": [%" G_GINT64_FORMAT "]}", other_id);
  path = g_strdup_printf ("/api/v1/priorities/%" G_GINT64_FORMAT, pid);
  moved = ks_test_api (server->url, "PATCH", path, admin, body);

  /* The app hears of both. */
  ks_session_refresh_lists_async (ks_window_get_session (window), NULL, NULL, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  g_assert_true (ks_gui_wait_list_cell (window, id, "priority", "Within a month", 20));

  open_report (id);
  dialog = open_prioritise (&picker);
  names = ks_gui_dropdown_labels (GTK_DROP_DOWN (picker));
  now = gtk_drop_down_get_selected (GTK_DROP_DOWN (picker));
  g_assert_cmpuint (now, <, g_strv_length (names));
  g_assert_cmpstr (names[now], ==, "Within a month (now)");
  g_assert_cmpstr (names[0], ==, "No priority");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "set"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "actions-priority-not-offered.png");
  ks_gui_respond (dialog, "cancel");
}

/* A change made by another user reaches the list, the map and the detail with
 * the next sync. */
static void
test_sync_shown (void)
{
  gint64 id;
  g_autofree char *token = ks_test_api_login (server->url, "inspector@demo.invalid");
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/state", id);
  before = server_report (id);
  body = g_strdup_printf ("{\"state\": \"action_scheduled\", \"version\": %" G_GINT64_FORMAT "}",
                          json_object_get_int_member (before, "version"));
  open_report (id);
  assert_shown_everywhere (id, "confirmed");
  answer = ks_test_api (server->url, "POST", path, token, body);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  assert_shown_everywhere (id, "action_scheduled");
  ks_gui_save_screenshot (GTK_WIDGET (window), "actions-sync-shown.png");
}

static gboolean
toast_with_undo (gpointer data)
{
  const char *text = ks_gui_toast_text (window);

  return text && strstr (text, "hidden");
}

static gboolean
hide_button_says (gpointer data)
{
  GtkWidget *button = ks_report_detail_get_action_button (KS_REPORT_DETAIL (ks_window_get_report_detail (window)), "hide");
  g_autofree char *text = button ? ks_gui_all_text (button) : NULL;

  return g_strcmp0 (text, data) == 0;
}

static void
test_hide_shown (void)
{
  gint64 id;
  AdwMessageDialog *dialog;

  ks_gui_sign_in_as (window, "customer.services@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  open_report (id);
  /* Every state, so that the hidden report keeps its row (the window
   * starts on the open ones). */
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "all");
  click_action ("hide");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  ks_gui_respond (dialog, "hide");
  assert_shown_everywhere (id, "hidden");
  g_assert_true (ks_test_wait_for (toast_with_undo, NULL, 10));
  ks_gui_save_screenshot (GTK_WIDGET (window), "actions-hide-shown.png");

  /* Undo on the toast publishes it again, in the state it had. */
  g_assert_true (ks_gui_click_toast_button (window, "Undo"));
  assert_shown_everywhere (id, "confirmed");

  /* Hidden again, the Hide button offers Unhide. */
  click_action ("hide");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  ks_gui_respond (dialog, "hide");
  assert_shown_everywhere (id, "hidden");
  g_assert_true (ks_test_wait_for (hide_button_says, "Unhide", 10));
  ks_gui_save_screenshot (GTK_WIDGET (window), "actions-unhide-offered.png");
  click_action ("hide");
  assert_shown_everywhere (id, "confirmed");
  g_assert_true (ks_test_wait_for (hide_button_says, "Hide", 10));
  {
    g_autoptr(JsonObject) after = server_report (id);
    g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "confirmed");
  }
}

static gboolean
timeline_has (gpointer data)
{
  g_auto(GStrv) rows = ks_gui_detail_timeline (window);

  for (guint i = 0; rows && rows[i]; i++)
    if (g_str_has_prefix (rows[i], data))
      return TRUE;
  return FALSE;
}

/* The timeline speaks in sentences, never in the wire's words. */
static void
test_timeline_sentences (void)
{
  AdwMessageDialog *dialog;
  g_auto(GStrv) rows = NULL;
  gint64 id;

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  open_report (id);
  if (ks_report_get_acknowledged (ks_report_detail_get_report (KS_REPORT_DETAIL (ks_window_get_report_detail (window)))) == 0)
    {
      click_action ("acknowledge");
      g_assert_true (ks_test_wait_for (timeline_has, "Acknowledged the report (not shown publicly)\n", 20));
    }
  click_action ("state");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  choose_state (dialog, "action_scheduled");
  ks_gui_respond (dialog, "change");
  g_assert_true (ks_test_wait_for (timeline_has, "Changed the state to Action scheduled\n", 20));

  rows = ks_gui_detail_timeline (window);
  for (guint i = 0; rows[i]; i++)
    {
      g_autofree char *heading = g_strndup (rows[i], strcspn (rows[i], "\n"));

      g_test_message ("timeline: %s", heading);
      g_assert_null (strstr (heading, "->"));
      g_assert_null (strstr (heading, "→"));
      g_assert_null (strstr (heading, "(internal)"));
      g_assert_null (strchr (heading, '_'));
      g_assert_true (g_ascii_isupper (heading[0]));
    }
  ks_gui_save_screenshot (ks_report_detail_get_timeline_group (KS_REPORT_DETAIL (ks_window_get_report_detail (window))),
                          "detail-timeline.png");
}

static gboolean
template_known (gpointer data)
{
  KsSession *session = ks_window_get_session (window);
  JsonArray *templates = ks_session_get_templates (session);

  for (guint i = 0; templates && i < json_array_get_length (templates); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (templates, i),
                                                               "title", ""), data) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
server_state_is (gpointer data)
{
  gint64 id = ks_object_get_int64 (window, "ks-test-id");
  g_autoptr(JsonObject) report = server_report (id);

  return g_strcmp0 (json_object_get_string_member (report, "state"), data) == 0;
}

static AdwMessageDialog *
update_dialog_with_template (const char *title)
{
  AdwMessageDialog *dialog;
  GtkWidget *picker;
  g_auto(GStrv) names = NULL;

  click_action ("update");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  picker = ks_gui_find_named (GTK_WIDGET (dialog), "template-picker");
  g_assert_nonnull (picker);
  names = ks_gui_dropdown_labels (GTK_DROP_DOWN (picker));
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], title))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (picker), i);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (picker)), >, 0);
  return dialog;
}

/* A template that sets a state says so, and the person can keep the current
 * state: off by default when the template would move the report backwards. */
static void
test_template_state (void)
{
  g_autofree char *admin = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *check;
  gint64 id;

  created = ks_test_api (server->url, "POST", "/api/v1/templates", admin,
                        "{\"title\": \"Looking into it\", \"text\": \"We are looking into report {{id}}.\", "
                        "\"state\": \"investigating\"}");
  g_clear_pointer (&created, json_object_unref);
  created = ks_test_api (server->url, "POST", "/api/v1/templates", admin,
                        "{\"title\": \"Crew booked\", \"text\": \"A crew is booked.\", "
                        "\"state\": \"action_scheduled\"}");
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_session_refresh_lists_async (ks_window_get_session (window), NULL, NULL, NULL);
  g_assert_true (ks_test_wait_for (template_known, "Looking into it", 20));

  /* A report in Action scheduled. */
  id = report_on_screen ("confirmed", 0);
  before = server_report (id);
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/state", id);
  body = g_strdup_printf ("{\"state\": \"action_scheduled\", \"version\": %" G_GINT64_FORMAT "}",
                          json_object_get_int_member (before, "version"));
  moved = ks_test_api (server->url, "POST", path, admin, body);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  open_report (id);
  assert_shown_everywhere (id, "action_scheduled");
  ks_object_set_int64 (window, "ks-test-id", id);

  /* Backwards: said, and off. */
  dialog = update_dialog_with_template ("Looking into it");
  check = ks_gui_find_named (GTK_WIDGET (dialog), "template-state");
  g_assert_nonnull (check);
  g_assert_true (gtk_widget_get_visible (check));
  g_test_message ("%s", gtk_check_button_get_label (GTK_CHECK_BUTTON (check)));
  g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "Investigating"));
  g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "Action scheduled"));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-update-template.png");
  ks_gui_respond (dialog, "send");
  g_assert_true (ks_test_wait_for (timeline_has, "Posted an update\n", 20));
  g_assert_true (server_state_is ("action_scheduled"));
  ks_test_iterate (1000);
  assert_shown_everywhere (id, "action_scheduled");

  /* Chosen: the template's state is set, and shown everywhere. */
  dialog = update_dialog_with_template ("Looking into it");
  check = ks_gui_find_named (GTK_WIDGET (dialog), "template-state");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  ks_gui_respond (dialog, "send");
  assert_shown_everywhere (id, "investigating");
  g_assert_true (ks_test_wait_for (server_state_is, "investigating", 20));

  /* The state it already has: nothing to say. */
  dialog = update_dialog_with_template ("Looking into it");
  check = ks_gui_find_named (GTK_WIDGET (dialog), "template-state");
  g_assert_false (gtk_widget_get_visible (check));
  ks_gui_respond (dialog, "cancel");
  ks_test_iterate (200);

  /* Forward: on by default. */
  dialog = update_dialog_with_template ("Crew booked");
  check = ks_gui_find_named (GTK_WIDGET (dialog), "template-state");
  g_assert_true (gtk_widget_get_visible (check));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  ks_gui_respond (dialog, "cancel");
  ks_test_iterate (200);
}

static gboolean
conflict_shown (gpointer data)
{
  AdwMessageDialog *dialog = ks_gui_find_dialog ();

  return dialog && g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (dialog)), "conflict-dialog") == 0;
}

static gboolean
no_dialog (gpointer data)
{
  return ks_gui_find_dialog () == NULL;
}

/* A colleague (a maintenance user, through the API) holds the report; the
 * inspector tries to shortlist it: the dialog names the holder in plain words
 * and offers Take Over; leaving it there does not come back; taking it over
 * puts it on the inspector's shortlist, and the detail says so. */
static void
test_shortlist_take_over (void)
{
  g_autofree char *other = ks_test_api_login (server->url, "maintenance@demo.invalid");
  g_autoptr(JsonObject) held = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *body = NULL;
  g_autofree char *want_row = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  const char *holder_name;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = report_on_screen ("confirmed", 0);
  /* "take": whoever held it before, the colleague holds it now. */
  body = g_strdup_printf ("{\"report_id\": %" G_GINT64_FORMAT ", \"take\": true}", id);
  held = ks_test_api (server->url, "POST", "/api/v1/shortlist", other, body);
  report = server_report (id);
  holder_name = json_object_get_string_member (json_object_get_object_member (report, "shortlist_holder"), "name");
  g_assert_nonnull (holder_name);
  want_row = g_strdup_printf ("On %s’s shortlist", holder_name);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  ks_test_iterate (1500);
  open_report (id);
  g_assert_true (ks_gui_wait_detail_field (window, "shortlist", want_row, 10));

  /* Leave it with them: no loop. */
  click_action ("shortlist");
  g_assert_true (ks_test_wait_for (conflict_shown, NULL, 20));
  dialog = ks_gui_find_dialog ();
  text = ks_gui_all_text (GTK_WIDGET (dialog));
  g_test_message ("%s", text);
  g_assert_null (strstr (text, "shortlist_add"));
  g_assert_null (strstr (text, "report_id"));
  g_assert_null (strstr (text, "(not known)"));
  g_assert_nonnull (strstr (text, holder_name));
  g_assert_true (adw_message_dialog_has_response (dialog, "take"));
  g_assert_false (adw_message_dialog_has_response (dialog, "mine"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-shortlist-held.png");
  g_assert_true (ks_gui_click_button (GTK_WIDGET (dialog), "Leave It with Them"));
  g_assert_true (ks_test_wait_for (no_dialog, NULL, 5));
  ks_test_iterate (3000);
  g_assert_null (ks_gui_find_dialog ());
  g_assert_true (ks_gui_wait_detail_field (window, "shortlist", want_row, 10));

  /* Take over. */
  click_action ("shortlist");
  g_assert_true (ks_test_wait_for (conflict_shown, NULL, 20));
  g_assert_true (ks_gui_click_button (GTK_WIDGET (ks_gui_find_dialog ()), "Take Over"));
  g_assert_true (ks_gui_wait_detail_field (window, "shortlist", "On your shortlist", 20));
  ks_test_iterate (2000);
  g_assert_null (ks_gui_find_dialog ());
  g_assert_cmpstr (ks_gui_detail_field (window, "shortlist"), ==, "On your shortlist");
  {
    g_autoptr(JsonObject) after = server_report (id);
    g_assert_cmpint (json_object_get_int_member (after, "shortlist_user"), ==,
                     ks_session_get_user_id (ks_window_get_session (window)));
  }
  ks_gui_save_screenshot (GTK_WIDGET (window), "detail-shortlist-taken.png");
}

static AdwComboRow *
combo_row (GtkWidget  *root,
           const char *title)
{
  if (ADW_IS_COMBO_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_COMBO_ROW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwComboRow *found = combo_row (c, title);
      if (found)
        return found;
    }
  return NULL;
}

static guint
combo_n_items (const char *title)
{
  AdwComboRow *row = combo_row (ks_window_get_filter_sidebar (window), title);

  g_assert_nonnull (row);
  return g_list_model_get_n_items (adw_combo_row_get_model (row));
}

static gboolean
priorities_filled (gpointer data)
{
  return combo_n_items ("Priority") >= GPOINTER_TO_UINT (data);
}

static guint
api_count (const char *token,
           const char *path,
           const char *member,
           GHashTable *groups)
{
  g_autoptr(JsonObject) answer = ks_test_api (server->url, "GET", path, token, NULL);
  JsonArray *array = json_object_get_array_member (answer, member);

  for (guint i = 0; groups && i < json_array_get_length (array); i++)
    {
      JsonObject *c = json_array_get_object_element (array, i);
      JsonArray *names = json_object_has_member (c, "groups") && !json_object_get_null_member (c, "groups")
        ? json_object_get_array_member (c, "groups") : NULL;

      for (guint j = 0; names && j < json_array_get_length (names); j++)
        g_hash_table_add (groups, g_strdup (json_array_get_string_element (names, j)));
    }
  return json_array_get_length (array);
}

/* On a first run (nothing cached for this person), every filter is filled as
 * soon as the catalogue arrives: groups, categories, priorities. */
static void
test_filters_first_run (void)
{
  g_autofree char *token = ks_test_api_login (server->url, "maintenance@demo.invalid");
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_categories = api_count (token, "/api/v1/categories", "categories", groups);
  guint n_priorities = api_count (token, "/api/v1/priorities", "priorities", NULL);
  AdwComboRow *row;

  g_assert_cmpuint (n_priorities, >, 0);
  g_assert_cmpuint (g_hash_table_size (groups), >, 1);
  ks_gui_sign_in_as (window, "maintenance@demo.invalid");
  g_assert_true (ks_test_wait_for (priorities_filled, GUINT_TO_POINTER (n_priorities + 2), 20));
  g_test_message ("groups %u, categories %u, priorities %u",
                  combo_n_items ("Group"), combo_n_items ("Category"), combo_n_items ("Priority"));
  g_assert_cmpuint (combo_n_items ("Priority"), ==, n_priorities + 2);
  g_assert_cmpuint (combo_n_items ("Group"), ==, g_hash_table_size (groups) + 1);
  g_assert_cmpuint (combo_n_items ("Category"), ==, n_categories + 1);
  row = combo_row (ks_window_get_filter_sidebar (window), "Priority");
  {
    GListModel *model = adw_combo_row_get_model (row);
    g_autoptr(GtkStringObject) first = g_list_model_get_item (model, 0);
    g_autoptr(GtkStringObject) second = g_list_model_get_item (model, 1);
    g_autoptr(GtkStringObject) third = g_list_model_get_item (model, 2);

    g_assert_cmpstr (gtk_string_object_get_string (first), ==, "Any priority");
    g_assert_cmpstr (gtk_string_object_get_string (second), ==, "No priority");
    g_assert_cmpstr (gtk_string_object_get_string (third), !=, "");
  }
  /* Choosing a group narrows the categories. */
  adw_combo_row_set_selected (combo_row (ks_window_get_filter_sidebar (window), "Group"), 1);
  ks_test_iterate (200);
  g_assert_cmpuint (combo_n_items ("Category"), <, n_categories + 1);
  g_assert_cmpuint (combo_n_items ("Category"), >, 1);
  ks_gui_save_screenshot (ks_window_get_filter_sidebar (window), "filters-first-run.png");
  adw_combo_row_set_selected (combo_row (ks_window_get_filter_sidebar (window), "Group"), 0);
  ks_test_iterate (200);
}

static void
collect_check_names (GtkWidget *root,
                     GString   *out)
{
  if (GTK_IS_CHECK_BUTTON (root))
    g_string_append_printf (out, "%s%s", out->len ? "," : "", gtk_widget_get_name (root) + strlen ("state-"));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_check_names (c, out);
}

/* Change State offers only the states staff may choose, grouped (Open, Fixed,
 * Closed) in the order of the states table, and cannot be confirmed while the
 * report's own state is chosen. */
static void
test_state_dialog (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *picker;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = report_on_screen ("investigating", 0);
  open_report (id);
  click_action ("state");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  picker = ks_gui_find_named (GTK_WIDGET (dialog), "state-picker");
  g_assert_nonnull (picker);
  collect_check_names (picker, names);
  g_test_message ("offered: %s", names->str);
  g_assert_cmpstr (names->str, ==,
                   "confirmed,investigating,in_progress,action_scheduled,awaiting_information,"
                   "fixed,no_further_action,not_responsible,duplicate,internal_referral,closed");
  text = ks_gui_all_text (picker);
  g_test_message ("shown: %s", text);
  g_assert_true (g_str_has_prefix (text, "Open\nOpen\nInvestigating (now)\n"));
  g_assert_nonnull (strstr (text, "\nFixed\nFixed\nClosed\nNo further action\n"));
  g_assert_null (strstr (text, "Hidden"));
  g_assert_null (strstr (text, "Unconfirmed"));

  /* The current state is chosen: nothing would change. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (ks_gui_find_named (picker, "state-investigating"))));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-state-current.png");
  choose_state (dialog, "fixed");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "change"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-state.png");
  choose_state (dialog, "investigating");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  ks_gui_respond (dialog, "cancel");
  ks_test_iterate (200);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/actions/filters-first-run", test_filters_first_run);
  g_test_add_func ("/actions/state-shown", test_state_shown);
  g_test_add_func ("/actions/priority-shown", test_priority_shown);
  g_test_add_func ("/actions/priority-not-offered", test_priority_not_offered);
  g_test_add_func ("/actions/sync-shown", test_sync_shown);
  g_test_add_func ("/actions/hide-shown", test_hide_shown);
  g_test_add_func ("/actions/state-dialog", test_state_dialog);
  g_test_add_func ("/actions/timeline-sentences", test_timeline_sentences);
  g_test_add_func ("/actions/template-state", test_template_state);
  g_test_add_func ("/actions/shortlist-take-over", test_shortlist_take_over);

  return ks_gui_test_run ();
}
