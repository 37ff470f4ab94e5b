/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-application.c: the Kerbside desktop application: command line, app-wide
 * actions (preferences, about, quit) and the main window. */
#define G_LOG_DOMAIN "ks-application"

#include "config.h"
#include "ks-settings.h"
#include "ks-application.h"

#include <glib/gi18n.h>

#include "ks-client.h"
#include "ks-preferences-window.h"
#include "ks-session.h"
#include "ks-window.h"

struct _KsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *server_override;
  /* The first window's session, made at startup before GTK starts, the
   * cache of the account it will resume already being read. */
  KsSession      *first_session;
};

G_DEFINE_FINAL_TYPE (KsApplication, ks_application, ADW_TYPE_APPLICATION)

static GtkWindow *
get_main_window (KsApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (KS_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
ks_application_activate (GApplication *app)
{
  KsApplication *self = KS_APPLICATION (app);
  GtkWindow *window = get_main_window (self);

  if (window == NULL)
    window = GTK_WINDOW (ks_window_new (self));

  gtk_window_present (window);
}

static int
ks_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  KsApplication *self = KS_APPLICATION (app);
  const char *server = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("kerbside %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = ks_client_normalise_url (server, &error);

      if (url == NULL)
        {
          g_printerr ("kerbside: %s\n", error->message);
          return 1;
        }
      g_free (self->server_override);
      self->server_override = g_steal_pointer (&url);
    }

  return -1;
}

static void
on_quit (GSimpleAction *action,
         GVariant      *param,
         gpointer       user_data)
{
  KsApplication *self = user_data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    gtk_window_close (l->data);
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  KsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *prefs = ks_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
on_about (GSimpleAction *action,
          GVariant      *param,
          gpointer       user_data)
{
  KsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Kerbside developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Kerbside"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Kerbside developers"),
                        "developers", developers,
                        "comments", _("The back office of a council’s street-fault reporting service: "
                                      "triage, inspect, prioritise and update the reports residents send."),
                        "website", "https://kerbside.org/",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2025 The Kerbside developers",
                        NULL);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Map Data"),
                                      "© OpenStreetMap contributors",
                                      GTK_LICENSE_CUSTOM,
                                      _("Map tiles and data from OpenStreetMap, available under the Open Database License."));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit },
  { "preferences", on_preferences },
  { "about", on_about },
};

/* A session, reading ahead the cache of the account the sign-in page will
 * resume (see ks_sign_in_page_start()): the saved server, or --server's, and
 * the last email. */
static KsSession *
session_reading_ahead (KsApplication *self)
{
  KsSession *session = ks_session_new ();
  g_autofree char *server = self->server_override
                            ? g_strdup (self->server_override)
                            : g_settings_get_string (self->settings, "server-url");
  g_autofree char *email = g_settings_get_string (self->settings, "last-email");

  if (*server && *email)
    ks_session_read_cache_ahead (session, server, email);
  return session;
}

static void
ks_application_startup (GApplication *app)
{
  KsApplication *self = KS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  /* Before GTK starts (the display, the theme): a cache of 100,000 reports
   * takes about a third of a second to read. */
  self->first_session = session_reading_ahead (self);
  G_APPLICATION_CLASS (ks_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
ks_application_finalize (GObject *object)
{
  KsApplication *self = KS_APPLICATION (object);

  g_clear_object (&self->first_session);
  g_clear_object (&self->settings);
  g_free (self->server_override);

  G_OBJECT_CLASS (ks_application_parent_class)->finalize (object);
}

static void
ks_application_class_init (KsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ks_application_finalize;
  app_class->activate = ks_application_activate;
  app_class->startup = ks_application_startup;
  app_class->handle_local_options = ks_application_handle_local_options;
}

static void
ks_application_init (KsApplication *self)
{
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("Server to sign in to (instead of the saved one)"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  self->settings = ks_settings_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The Kerbside back office for street-fault reports."));
}

KsApplication *
ks_application_new (void)
{
  return g_object_new (KS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

GSettings *
ks_application_get_settings (KsApplication *self)
{
  g_return_val_if_fail (KS_IS_APPLICATION (self), NULL);
  return self->settings;
}

const char *
ks_application_get_server_override (KsApplication *self)
{
  g_return_val_if_fail (KS_IS_APPLICATION (self), NULL);
  return self->server_override;
}

KsSession *
ks_application_new_session (KsApplication *self)
{
  g_return_val_if_fail (KS_IS_APPLICATION (self), NULL);
  if (self->first_session != NULL)
    return g_steal_pointer (&self->first_session);
  return session_reading_ahead (self);
}
