/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-account.c: account security in the real window against a real
 * kerbside-server on loopback: turning on two-factor authentication from the
 * account window (the QR code on screen is decoded with zbarimg and must be
 * the server's otpauth URI), signing in with a code, mandatory 2FA at sign-in,
 * changing the password with the live strength meter, sign-in by email (with
 * and without 2FA, then a new password without the old one), and an
 * expired session sending the window back to the sign-in page.
 * Screenshots are saved under the build directory (KS_SCREENSHOT_DIR). */
#define G_LOG_DOMAIN "test-account"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <liboath/oath.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-account-window.h"
#include "ks-credentials.h"
#include "ks-password-meter.h"
#include "ks-qr-code.h"
#include "ks-recovery-codes.h"
#include "ks-sign-in-page.h"
#include "ks-two-factor-setup.h"

#define N_REPORTS 200
#define INSPECTOR "inspector@demo.invalid"
#define MAINTENANCE "maintenance@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define ADMIN "admin@demo.invalid"

static KsTestServer  *server;
static KsWindow      *window;
static char          *inspector_secret;
static char         **inspector_codes;   /* the recovery codes the app showed */

/* Helpers */

/* What zbarimg reads in a picture (the first code). */
static char *
decode_qr (const char *png)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("zbarimg found no QR code in %s: %s", png, err);
  return g_strdup (g_strstrip (out));
}

/* The TOTP code of a base32 secret at the server's now, step_offset steps on. */
static char *
totp (const char *secret,
      int         step_offset)
{
  char *raw = NULL;
  size_t raw_len = 0;
  char code[16];

  g_assert_cmpint (oath_init (), ==, OATH_OK);
  g_assert_cmpint (oath_base32_decode (secret, strlen (secret), &raw, &raw_len), ==, OATH_OK);
  g_assert_cmpint (oath_totp_generate (raw, raw_len, ks_test_server_now (server) + step_offset * 30, 30, 0, 6, code), ==, OATH_OK);
  free (raw);
  return g_strdup (code);
}

static char *
secret_of_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_uri_get_scheme (parsed), ==, "otpauth");
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (g_hash_table_lookup (params, "secret"));
  return g_strdup (g_hash_table_lookup (params, "secret"));
}

static JsonObject *
me_of (const char *token)
{
  JsonObject *me = NULL;

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", token, NULL, &me), ==, 200);
  return me;
}

static KsSignInPage *
sign_in_page (void)
{
  return KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
}

static gboolean
page_is (gpointer data)
{
  return g_strcmp0 (ks_window_get_page (window), data) == 0;
}

static gboolean
step_is_idle (gpointer data)
{
  return ks_gui_sign_in_idle (window) && g_strcmp0 (ks_sign_in_page_get_step (sign_in_page ()), data) == 0;
}

static gboolean
sign_in_error_shown (gpointer data)
{
  return ks_gui_sign_in_idle (window) && ks_sign_in_page_get_error (sign_in_page ()) != NULL;
}

static gboolean
setup_ready (gpointer data)
{
  return g_strcmp0 (ks_two_factor_setup_get_state (data), "ready") == 0;
}

static gboolean
setup_asks_password (gpointer data)
{
  return g_strcmp0 (ks_two_factor_setup_get_state (data), "password") == 0;
}

/* The setup asks for the password first: a wrong one is refused with the
 * server's sentence and nothing is made; then the right one. */
static void
confirm_password (KsTwoFactorSetup *setup,
                  GtkWidget        *shot_of,
                  const char       *shot)
{
  g_assert_true (ks_test_wait_for (setup_asks_password, setup, 30));
  g_assert_null (ks_two_factor_setup_get_uri (setup));
  if (shot != NULL)
    {
      ks_two_factor_setup_set_password (setup, "not-my-password-at-all");
      ks_two_factor_setup_continue (setup);
      while (ks_two_factor_setup_get_password_error (setup) == NULL)
        ks_test_iterate (50);
      g_assert_true (setup_asks_password (setup));
      g_test_message ("wrong password: %s", ks_two_factor_setup_get_password_error (setup));
      g_free (ks_gui_save_screenshot_whole (shot_of, shot));
    }
  ks_two_factor_setup_set_password (setup, KS_TEST_PASSWORD);
  ks_two_factor_setup_continue (setup);
}

static gboolean
account_idle (gpointer data)
{
  return !ks_account_window_get_busy (data);
}

static gboolean
dialog_gone (gpointer data)
{
  return ks_account_window_get_two_factor_dialog (data) == NULL;
}

/* No page of the stacks around widget is still sliding or fading in. */
static gboolean
transitions_done (gpointer data)
{
  for (GtkWidget *w = gtk_widget_get_parent (data); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_STACK (w) && gtk_stack_get_transition_running (GTK_STACK (w)))
      return FALSE;
  return TRUE;
}

/* Decodes the setup's QR code from a screenshot of `shot_of` and checks it is
 * the server's URI; returns the secret it carries. */
static char *
check_qr_code (KsTwoFactorSetup *setup,
               GtkWidget        *shot_of,
               const char       *name)
{
  g_autofree char *png = NULL;
  g_autofree char *decoded = NULL;

  /* The page with the code has come in whole (a cross-fade from the sign-in
   * page shows both, and the code cannot be read through it). */
  g_assert_true (ks_test_wait_for (transitions_done, setup, 30));
  png = ks_gui_save_screenshot_whole (shot_of, name);
  decoded = decode_qr (png);
  const char *uri = ks_two_factor_setup_get_uri (setup);
  char *secret;

  g_test_message ("QR code: %s", decoded);
  g_assert_nonnull (uri);
  g_assert_cmpstr (decoded, ==, uri);
  g_assert_true (g_str_has_prefix (decoded, "otpauth://totp/"));
  secret = secret_of_uri (decoded);
  g_assert_cmpstr (secret, ==, ks_two_factor_setup_get_secret (setup));
  return secret;
}

/* The recovery codes on screen: ten labels, each shown and of the codes'
 * shape; returns their texts. */
static char **
codes_on_screen (KsRecoveryCodes *view)
{
  g_autoptr(GList) labels = ks_recovery_codes_get_labels (view);
  g_autoptr(GRegex) shape = g_regex_new ("^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$", 0, 0, NULL);
  g_autofree char *text = ks_recovery_codes_get_text (view);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **codes;

  g_assert_cmpuint (g_list_length (labels), ==, 10);
  for (GList *l = labels; l != NULL; l = l->next)
    {
      const char *code = gtk_label_get_text (GTK_LABEL (l->data));
      g_assert_true (gtk_widget_get_mapped (l->data));
      g_assert_true (g_regex_match (shape, code, 0, NULL));
      g_assert_nonnull (strstr (text, code));
      g_strv_builder_add (builder, code);
    }
  codes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  g_test_message ("recovery codes: %s ...", codes[0]);
  return codes;
}

static gboolean
setup_shows_codes (gpointer data)
{
  return g_strcmp0 (ks_two_factor_setup_get_state (data), "codes") == 0;
}

/* The account window's "Recovery codes" row says how many are left. */
static void
assert_codes_left (KsAccountWindow *account,
                   int              left)
{
  GtkWidget *row = ks_account_window_get_recovery_row (account);
  g_autofree char *prefix = g_strdup_printf ("%d left.", left);

  g_assert_true (gtk_widget_get_visible (row));
  g_test_message ("recovery row: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), prefix));
}

/* Tests */

/* (a) The account window turns 2FA on through the QR code. */
static void
test_two_factor_setup (void)
{
  KsAccountWindow *account;
  KsTwoFactorSetup *setup;
  GtkWindow *dialog;
  g_autoptr(JsonObject) me = NULL;
  g_autofree char *code = NULL;
  g_autofree char *sql = NULL;

  ks_gui_sign_in_as (window, INSPECTOR);
  account = KS_ACCOUNT_WINDOW (ks_window_show_account (window));
  g_assert_nonnull (account);
  g_assert_false (ks_account_window_get_two_factor_on (account));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "account.png"));

  setup = KS_TWO_FACTOR_SETUP (ks_account_window_turn_on_two_factor (account));
  dialog = ks_account_window_get_two_factor_dialog (account);
  confirm_password (setup, GTK_WIDGET (dialog), "two-factor-setup-password.png");
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM users WHERE email = '" INSPECTOR
                                                     "' AND totp_secret IS NULL"), ==, 1);
  g_assert_true (ks_test_wait_for (setup_ready, setup, 30));
  g_assert_nonnull (dialog);
  g_assert_cmpuint (ks_qr_code_get_modules (KS_QR_CODE (ks_two_factor_setup_get_qr_code (setup))), >=, 21);
  inspector_secret = check_qr_code (setup, GTK_WIDGET (dialog), "two-factor-setup.png");

  /* The secret waits on the server, not active yet. */
  sql = g_strdup_printf ("SELECT count(*) FROM users WHERE email = '%s' AND totp_secret = '%s' AND totp_enabled = 0",
                         INSPECTOR, inspector_secret);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);

  /* A wrong code: the server's sentence under the entry. */
  code = totp (inspector_secret, 0);
  ks_two_factor_setup_set_code (setup, g_str_equal (code, "000000") ? "111111" : "000000");
  g_assert_true (ks_test_wait_for (account_idle, account, 5));
  while (ks_two_factor_setup_get_busy (setup))
    ks_test_iterate (50);
  g_assert_nonnull (ks_two_factor_setup_get_error (setup));
  g_test_message ("wrong code: %s", ks_two_factor_setup_get_error (setup));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "two-factor-setup-wrong-code.png"));

  /* The right code, typed as people paste it. */
  g_free (code);
  code = totp (inspector_secret, 0);
  {
    g_autofree char *spaced = g_strdup_printf ("%.3s %s", code, code + 3);
    ks_two_factor_setup_set_code (setup, "");
    ks_two_factor_setup_set_code (setup, spaced);
  }
  /* On: the recovery codes are shown once, before the dialog goes. */
  g_assert_true (ks_test_wait_for (setup_shows_codes, setup, 30));
  g_assert_nonnull (ks_account_window_get_two_factor_dialog (account));
  inspector_codes = codes_on_screen (KS_RECOVERY_CODES (ks_two_factor_setup_get_recovery_codes (setup)));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "two-factor-recovery-codes.png"));
  ks_two_factor_setup_done (setup);
  g_assert_true (ks_test_wait_for (dialog_gone, account, 30));
  g_assert_true (ks_account_window_get_two_factor_on (account));
  assert_codes_left (account, 10);
  me = me_of (ks_gui_test_token (window));
  g_assert_true (json_object_get_boolean_member (me, "two_factor_enabled"));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "account-two-factor-on.png"));
  gtk_window_destroy (GTK_WINDOW (account));
}

/* The inspector has two-factor authentication on, with inspector_secret: set
 * up through the account window by /account/two-factor-setup, or through the
 * API when that case has not run (a case run alone). */
static void
inspector_has_two_factor (void)
{
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code = NULL;
  g_autoptr(JsonObject) setup = NULL;

  if (inspector_secret != NULL)
    return;
  token = ks_test_api_login (server->url, INSPECTOR);
  body = g_strdup_printf ("{\"password\": \"%s\"}", KS_TEST_PASSWORD);
  setup = ks_test_api (server->url, "POST", "/api/v1/account/2fa/setup", token, body);
  inspector_secret = g_strdup (json_object_get_string_member (setup, "secret"));
  code = totp (inspector_secret, 0);
  g_free (body);
  body = g_strdup_printf ("{\"code\": \"%s\"}", code);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/account/2fa/enable", token, body, NULL), <, 300);
}

/* (b) Signing in with 2FA on: the code step, a wrong code, then the right one. */
static void
test_sign_in_with_code (void)
{
  g_autofree char *code = NULL;
  g_autofree char *next = NULL;

  inspector_has_two_factor ();
  g_assert_nonnull (inspector_secret);
  ks_gui_sign_out (window);
  ks_gui_fill_sign_in (window, INSPECTOR, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (step_is_idle, "code", 30));
  g_test_message ("code step: %s", ks_sign_in_page_get_message (sign_in_page ()));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "sign-in-code.png"));

  code = totp (inspector_secret, 0);
  ks_sign_in_page_set_code (sign_in_page (), g_str_equal (code, "000000") ? "111111" : "000000");
  g_assert_true (ks_test_wait_for (sign_in_error_shown, NULL, 30));
  g_assert_cmpstr (ks_sign_in_page_get_step (sign_in_page ()), ==, "code");
  g_test_message ("wrong code: %s", ks_sign_in_page_get_error (sign_in_page ()));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "sign-in-code-wrong.png"));

  /* The code of enabling was used: the next step's code is new (the server
   * allows one step either side). */
  next = totp (inspector_secret, 1);
  ks_sign_in_page_set_code (sign_in_page (), next);
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 60));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "sign-in-code-main.png"));
  ks_gui_sign_out (window);
}

static char *next_totp (const char *email, const char *secret);

static gboolean
codes_dialog_shown (gpointer data)
{
  return ks_account_window_get_recovery_codes_dialog (data) != NULL;
}

/* (b2) A lost phone: a recovery code signs in instead (once), the account
 * window says how many are left, and new ones replace them. */
static void
test_recovery_codes (void)
{
  KsAccountWindow *account;
  GtkWindow *dialog;
  g_auto(GStrv) renewed = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *body = NULL;
  JsonObject *answer = NULL;

  inspector_has_two_factor ();
  if (inspector_codes == NULL)
    {
      /* The case run alone: new codes through the API. */
      g_autofree char *pw = g_strdup_printf ("{\"password\": \"%s\"}", KS_TEST_PASSWORD);
      g_autofree char *code = NULL;
      g_autoptr(JsonObject) got = NULL;
      JsonArray *array;

      body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", INSPECTOR, KS_TEST_PASSWORD);
      g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login", NULL, body, &login), ==, 200);
      g_free (body);
      body = g_strdup_printf ("{\"challenge\": \"%s\", \"code\": \"%s\"}",
                              json_object_get_string_member (login, "challenge"),
                              (code = next_totp (INSPECTOR, inspector_secret)));
      g_clear_pointer (&login, json_object_unref);
      g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login/2fa", NULL, body, &login), ==, 200);
      got = ks_test_api (server->url, "POST", "/api/v1/account/2fa/recovery-codes",
                         json_object_get_string_member (login, "token"), pw);
      array = json_object_get_array_member (got, "recovery_codes");
      inspector_codes = g_new0 (char *, json_array_get_length (array) + 1);
      for (guint i = 0; i < json_array_get_length (array); i++)
        inspector_codes[i] = g_strdup (json_array_get_string_element (array, i));
      g_clear_pointer (&login, json_object_unref);
      g_clear_pointer (&body, g_free);
    }

  /* The code step takes a recovery code as people type it from paper. */
  ks_gui_sign_out (window);
  ks_gui_fill_sign_in (window, INSPECTOR, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (step_is_idle, "code", 30));
  g_assert_nonnull (strstr (ks_sign_in_page_get_message (sign_in_page ()), "recovery code"));
  typed = g_ascii_strup (inspector_codes[0], -1);
  typed[5] = ' ';
  ks_sign_in_page_set_code (sign_in_page (), typed);
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 60));
  me = me_of (ks_gui_test_token (window));
  g_assert_cmpint (json_object_get_int_member (me, "recovery_codes_left"), ==, 9);

  account = KS_ACCOUNT_WINDOW (ks_window_show_account (window));
  assert_codes_left (account, 9);
  /* The two-factor group, below the fold of the page. */
  ks_gui_save_screenshot (gtk_widget_get_ancestor (ks_account_window_get_recovery_row (account),
                                                   ADW_TYPE_PREFERENCES_GROUP),
                          "account-recovery-codes-left.png");

  /* New codes: the password first, then ten new ones shown once. */
  dialog = ks_account_window_renew_recovery_codes (account, KS_TEST_PASSWORD);
  g_assert_nonnull (dialog);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "recovery-codes-renew.png"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "renew");
  gtk_window_close (dialog);
  g_assert_true (ks_test_wait_for (codes_dialog_shown, account, 60));
  renewed = codes_on_screen (KS_RECOVERY_CODES (ks_account_window_get_recovery_codes (account)));
  for (guint i = 0; renewed[i] != NULL; i++)
    g_assert_false (g_strv_contains ((const char *const *) inspector_codes, renewed[i]));
  assert_codes_left (account, 10);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (ks_account_window_get_recovery_codes_dialog (account)),
                                        "recovery-codes-new.png"));
  gtk_window_close (ks_account_window_get_recovery_codes_dialog (account));

  /* The old codes no longer sign in; a new one does. */
  body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", INSPECTOR, KS_TEST_PASSWORD);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login", NULL, body, &login), ==, 200);
  g_free (body);
  body = g_strdup_printf ("{\"challenge\": \"%s\", \"code\": \"%s\"}",
                          json_object_get_string_member (login, "challenge"), inspector_codes[1]);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login/2fa", NULL, body, &answer), ==, 401);
  g_clear_pointer (&answer, json_object_unref);
  g_free (body);
  body = g_strdup_printf ("{\"challenge\": \"%s\", \"code\": \"%s\"}",
                          json_object_get_string_member (login, "challenge"), renewed[1]);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login/2fa", NULL, body, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  gtk_window_destroy (GTK_WINDOW (account));
  ks_gui_sign_out (window);
}

/* (c) The council requires 2FA: the person lands in setup, then the reports. */
static void
test_mandatory_two_factor (void)
{
  KsTwoFactorSetup *setup = KS_TWO_FACTOR_SETUP (ks_window_get_two_factor_setup (window));
  g_autofree char *secret = NULL;
  g_autofree char *code = NULL;
  g_autoptr(JsonObject) me = NULL;
  JsonObject *answer = NULL;

  ks_test_server_exec (server, "UPDATE bodies SET require_2fa = 1");
  ks_gui_fill_sign_in (window, MAINTENANCE, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (page_is, (gpointer) "two-factor-setup", 60));
  g_assert_false (ks_session_is_signed_in (ks_window_get_session (window)));
  /* Nothing else is allowed meanwhile. */
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/categories", ks_gui_test_token (window), NULL, &answer), ==, 403);
  g_clear_pointer (&answer, json_object_unref);
  confirm_password (setup, NULL, NULL);
  g_assert_true (ks_test_wait_for (setup_ready, setup, 30));
  secret = check_qr_code (setup, GTK_WIDGET (window), "mandatory-setup.png");

  code = totp (secret, 0);
  ks_two_factor_setup_set_code (setup, code);
  g_assert_true (ks_test_wait_for (setup_shows_codes, setup, 60));
  g_assert_true (page_is ("two-factor-setup"));
  g_strfreev (codes_on_screen (KS_RECOVERY_CODES (ks_two_factor_setup_get_recovery_codes (setup))));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "mandatory-setup-recovery-codes.png"));
  ks_two_factor_setup_done (setup);
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 120));
  me = me_of (ks_gui_test_token (window));
  g_assert_true (json_object_get_boolean_member (me, "two_factor_enabled"));
  g_assert_false (json_object_get_boolean_member (me, "two_factor_setup_required"));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "mandatory-setup-done.png"));
  ks_gui_sign_out (window);
  ks_test_server_exec (server, "UPDATE bodies SET require_2fa = 0");
}

/* (d) Password change: the meter and the server's reason, then success, and
 * the other sessions are signed out. */
static void
test_change_password (void)
{
  KsAccountWindow *account;
  KsPasswordMeter *meter;
  g_autoptr(JsonObject) login = NULL;
  JsonObject *answer = NULL;
  const char *other_token;
  const char *good = "granite-heron-lantern-77";

  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login", NULL,
                                    "{\"email\": \"" CUSTOMER_SERVICES "\", \"password\": \"" KS_TEST_PASSWORD "\"}",
                                    &login), ==, 200);
  other_token = json_object_get_string_member (login, "token");
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", other_token, NULL, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  account = KS_ACCOUNT_WINDOW (ks_window_show_account (window));
  meter = KS_PASSWORD_METER (ks_account_window_get_password_meter (account));

  /* A weak password: the live meter says so, and so does the server. */
  ks_account_window_set_passwords (account, KS_TEST_PASSWORD, "password1", "password1");
  g_assert_false (ks_password_meter_get_acceptable (meter));
  g_assert_cmpint (ks_password_meter_get_score (meter), <=, 1);
  g_assert_cmpfloat (ks_password_meter_get_level (meter), <=, 2);
  g_test_message ("meter (weak): %d, %s", ks_password_meter_get_score (meter), ks_password_meter_get_text (meter));
  ks_account_window_change_password (account);
  g_assert_true (ks_account_window_get_busy (account));
  g_assert_true (ks_test_wait_for (account_idle, account, 30));
  g_assert_nonnull (ks_account_window_get_password_error (account));
  g_test_message ("server: %s", ks_account_window_get_password_error (account));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "password-weak.png"));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", other_token, NULL, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  /* A good one. */
  ks_account_window_set_passwords (account, KS_TEST_PASSWORD, good, good);
  g_assert_true (ks_password_meter_get_acceptable (meter));
  g_assert_cmpfloat (ks_password_meter_get_level (meter), >=, 3);
  g_test_message ("meter (good): %d, %s", ks_password_meter_get_score (meter), ks_password_meter_get_text (meter));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "password-good-meter.png"));
  ks_account_window_change_password (account);
  g_assert_true (ks_test_wait_for (account_idle, account, 30));
  g_assert_null (ks_account_window_get_password_error (account));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "password-changed.png"));

  /* The other session is gone; this one stays. */
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", other_token, NULL, &answer), ==, 401);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", ks_gui_test_token (window), NULL, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  /* The sessions page lists this device. */
  ks_account_window_show_page (account, "sessions");
  ks_account_window_reload_sessions (account);
  while (ks_account_window_get_n_sessions (account) < 0)
    ks_test_iterate (50);
  g_assert_cmpint (ks_account_window_get_n_sessions (account), ==, 1);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "sessions.png"));
  gtk_window_destroy (GTK_WINDOW (account));
  ks_gui_sign_out (window);
}

/* Sign-in by email: ask for a code, read it from the server's outbox, enter it. */
static char *
emailed_code (const char *to)
{
  g_autofree char *outbox = g_strconcat (server->db, ".outbox", NULL);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);
  g_autoptr(GRegex) re = g_regex_new ("code is:\\s+(\\d{4} \\d{4})", 0, 0, NULL);
  g_autofree char *best = NULL;
  gint64 best_time = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".eml") || !g_file_get_contents (path, &text, NULL, NULL) ||
          strstr (text, to) == NULL || !g_regex_match (re, text, 0, &match) || g_stat (path, &st) != 0)
        continue;
      if (best == NULL || st.st_mtime >= best_time)
        {
          g_free (best);
          best = g_match_info_fetch (match, 1);
          best_time = st.st_mtime;
        }
    }
  g_assert_nonnull (best);
  return g_steal_pointer (&best);
}

/* The next TOTP code the server will take for an account (each step once). */
static char *
next_totp (const char *email,
           const char *secret)
{
  g_autofree char *sql = g_strdup_printf ("SELECT totp_last_step FROM users WHERE email = '%s'", email);
  gint64 last = ks_test_server_query_int (server, sql);

  gint64 now = ks_test_server_now (server);

  /* The server takes a code of one step either side of its clock, once: when
   * it has taken the next step's already, its clock moves on to that step
   * (rather than the test waiting up to a minute). */
  if (last >= now / 30 + 1)
    ks_test_server_move_clock (server, last * 30 - now + 1);
  return totp (secret, last >= ks_test_server_now (server) / 30 ? 1 : 0);
}

/* Asks for a code by email on the sign-in page and types it in. */
static void
email_sign_in (const char *email)
{
  g_autofree char *code = NULL;

  ks_sign_in_page_set_step (sign_in_page (), "email");
  ks_sign_in_page_set_server (sign_in_page (), server->url);
  ks_sign_in_page_set_email (sign_in_page (), email);
  ks_sign_in_page_submit (sign_in_page (), FALSE);
  g_assert_true (ks_test_wait_for (step_is_idle, "email-code", 30));
  g_test_message ("email step: %s", ks_sign_in_page_get_message (sign_in_page ()));
  g_assert_nonnull (strstr (ks_sign_in_page_get_message (sign_in_page ()), "If there is"));
  code = emailed_code (email);
  ks_sign_in_page_set_code (sign_in_page (), code);
}

/* With 2FA on, the emailed code is followed by the authenticator's code, and
 * only then may a new password be chosen without the current one. */
static void
test_email_sign_in_two_factor (void)
{
  g_autofree char *code = NULL;
  g_autoptr(JsonObject) me = NULL;
  KsAccountWindow *account;

  inspector_has_two_factor ();
  g_assert_nonnull (inspector_secret);
  email_sign_in (INSPECTOR);
  g_assert_true (ks_test_wait_for (step_is_idle, "code", 30));
  g_assert_false (ks_session_is_signed_in (ks_window_get_session (window)));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "email-sign-in-two-factor.png"));
  code = next_totp (INSPECTOR, inspector_secret);
  ks_sign_in_page_set_code (sign_in_page (), code);
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 120));
  me = me_of (ks_gui_test_token (window));
  g_assert_false (json_object_get_null_member (me, "password_reset_expires"));

  account = KS_ACCOUNT_WINDOW (ks_window_show_account (window));
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, account, 20));
  g_assert_false (ks_account_window_get_needs_current_password (account));

  /* Turning 2FA off asks for the password too: a wrong one changes nothing. */
  {
    GtkWindow *dialog;
    g_autofree char *next = next_totp (INSPECTOR, inspector_secret);
    g_autoptr(JsonObject) after = NULL;

    dialog = ks_account_window_turn_off_two_factor (account, "not-my-password-at-all", next);
    g_assert_nonnull (dialog);
    g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "two-factor-off.png"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "turn-off");
    gtk_window_close (dialog);
    ks_test_iterate (1500);
    g_assert_true (ks_account_window_get_two_factor_on (account));
    g_assert_cmpint (ks_test_server_query_int (server, "SELECT totp_enabled FROM users WHERE email = '"
                                                       INSPECTOR "'"), ==, 1);
    dialog = ks_account_window_turn_off_two_factor (account, KS_TEST_PASSWORD, next);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "turn-off");
    gtk_window_close (dialog);
    while (ks_account_window_get_two_factor_on (account))
      ks_test_iterate (50);
    after = me_of (ks_gui_test_token (window));
    g_assert_false (json_object_get_boolean_member (after, "two_factor_enabled"));
    g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "two-factor-off-done.png"));
  }
  gtk_window_destroy (GTK_WINDOW (account));
  ks_gui_sign_out (window);
}

/* Sign-in by email, then a new password without the current one (once); the
 * request for the code carries no password. */
static void
test_email_sign_in (void)
{
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) me = NULL;
  JsonObject *answer = NULL;
  KsAccountWindow *account;
  const char *other_token;
  const char *chosen = "copper-wren-meadow-58";
  g_autofree char *body = NULL;

  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login", NULL,
                                    "{\"email\": \"" ADMIN "\", \"password\": \"" KS_TEST_PASSWORD "\"}",
                                    &login), ==, 200);
  other_token = json_object_get_string_member (login, "token");

  ks_sign_in_page_set_step (sign_in_page (), "email");
  ks_sign_in_page_set_server (sign_in_page (), server->url);
  ks_sign_in_page_set_email (sign_in_page (), ADMIN);
  g_assert_nonnull (strstr (ks_sign_in_page_get_message (sign_in_page ()), "then choose a new one"));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "email-sign-in.png"));
  email_sign_in (ADMIN);
  g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 120));
  /* Signing in changed nothing: the other session is still there. */
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", other_token, NULL, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  account = KS_ACCOUNT_WINDOW (ks_window_show_account (window));
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, account, 20));
  g_assert_false (ks_account_window_get_needs_current_password (account));
  ks_account_window_set_passwords (account, NULL, chosen, chosen);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "email-sign-in-new-password.png"));
  ks_account_window_change_password (account);
  g_assert_true (ks_test_wait_for (account_idle, account, 30));
  g_assert_null (ks_account_window_get_password_error (account));
  /* Once only: the current password is asked for again. */
  while (!ks_account_window_get_needs_current_password (account))
    ks_test_iterate (50);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (account), "email-sign-in-password-set.png"));
  gtk_window_destroy (GTK_WINDOW (account));

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/me", other_token, NULL, &answer), ==, 401);
  g_clear_pointer (&answer, json_object_unref);
  me = me_of (ks_gui_test_token (window));
  g_assert_true (json_object_get_null_member (me, "password_reset_expires"));
  body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", ADMIN, chosen);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/auth/login", NULL, body, &answer), ==, 200);
  g_clear_pointer (&answer, json_object_unref);

  /* Back to the demo password for the tests after this one. */
  g_free (body);
  body = g_strdup_printf ("{\"current_password\": \"%s\", \"new_password\": \"%s\"}", chosen, KS_TEST_PASSWORD);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/account/password", ks_gui_test_token (window), body, &answer), ==, 204);
  g_clear_pointer (&answer, json_object_unref);
}

/* The council starts requiring 2FA while someone works: the window goes to the
 * setup at the next request, and signing out from there works. */
static void
test_required_while_signed_in (void)
{
  if (!page_is ("main"))
    ks_gui_sign_in_as (window, ADMIN);
  g_assert_true (page_is ("main"));
  ks_test_server_exec (server, "UPDATE bodies SET require_2fa = 1");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  g_assert_true (ks_test_wait_for (page_is, (gpointer) "two-factor-setup", 60));
  g_assert_false (ks_session_is_signed_in (ks_window_get_session (window)));
  g_assert_true (ks_session_get_two_factor_setup_required (ks_window_get_session (window)));
  g_assert_true (ks_test_wait_for (setup_asks_password, ks_window_get_two_factor_setup (window), 30));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "required-while-signed-in.png"));
  ks_gui_sign_out (window);
  ks_test_server_exec (server, "UPDATE bodies SET require_2fa = 0");
}

/* (e) An expired session: back to the sign-in page with the server's sentence,
 * and the keyring entry is gone. */
static void
test_expired_session (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = g_strdup (server->url);

  if (!page_is ("main"))
    ks_gui_sign_in_as (window, ADMIN);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET expires = %" G_GINT64_FORMAT " - 10 "
                                            "WHERE revoked = 0 AND user_id = "
                                            "(SELECT id FROM users WHERE email = '" ADMIN "')",
                                            ks_test_server_now (server));
    ks_test_server_exec (server, sql);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  g_assert_true (ks_test_wait_for (sign_in_error_shown, NULL, 60));
  g_test_message ("expired: %s", ks_sign_in_page_get_error (sign_in_page ()));
  g_assert_cmpstr (ks_sign_in_page_get_error (sign_in_page ()), ==, "Your session has expired. Sign in again.");
  g_assert_cmpstr (ks_sign_in_page_get_step (sign_in_page ()), ==, "password");
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "session-expired.png"));

  /* Only one way back, no dialogs. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint visible = 0;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
        if (gtk_widget_get_visible (w))
          visible++;
      }
    g_assert_cmpuint (visible, ==, 1);
  }

  ks_test_iterate (500);
  ks_credentials_lookup_async (url, ADMIN, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  token = ks_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/account/two-factor-setup", test_two_factor_setup);
  g_test_add_func ("/account/sign-in-with-code", test_sign_in_with_code);
  g_test_add_func ("/account/recovery-codes", test_recovery_codes);
  g_test_add_func ("/account/mandatory-two-factor", test_mandatory_two_factor);
  g_test_add_func ("/account/change-password", test_change_password);
  g_test_add_func ("/account/email-sign-in-two-factor", test_email_sign_in_two_factor);
  g_test_add_func ("/account/email-sign-in", test_email_sign_in);
  g_test_add_func ("/account/required-while-signed-in", test_required_while_signed_in);
  g_test_add_func ("/account/expired-session", test_expired_session);

  return ks_gui_test_run ();
}
