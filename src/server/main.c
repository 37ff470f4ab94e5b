/* main.c: kerbside-server's command line. */
#define G_LOG_DOMAIN "kerbside-server"

#include "config.h"
#include "ks-demo.h"
#include "ks-password-hash.h"
#include "ks-server.h"
#include "ks-sqlite-store.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>

static const char *usage_text =
  "Usage:\n"
  "  kerbside-server serve --db FILE [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
  "                        [--outbox DIR] [--config FILE] [options]\n"
  "  kerbside-server demo --db FILE [--reports N] [--seed S]\n"
  "  kerbside-server --version\n"
  "\n"
  "Run “kerbside-server COMMAND --help” for the options of a command.\n";

typedef struct {
  GMainLoop *loop;
  KsServer  *server;
} ServeState;

static void
shutdown_done (gpointer data)
{
  ServeState *state = data;
  g_main_loop_quit (state->loop);
}

static gboolean
on_signal (gpointer data)
{
  ServeState *state = data;
  g_message ("Shutting down: finishing requests in flight");
  ks_server_shutdown (state->server, G_CALLBACK (shutdown_done), state);
  return G_SOURCE_CONTINUE;
}

static char *
default_outbox (const char *db_path)
{
  return g_strconcat (db_path, ".outbox", NULL);
}

static int
cmd_serve (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- serve the Kerbside API");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autoptr(KsServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_file = NULL;
  KsServerConfig config;
  ServeState state;
  char *db = NULL, *listen = NULL, *cert = NULL, *key = NULL, *outbox = NULL, *port_file = NULL;
  char *public_url = NULL;
  int cost = -1, threads = -1, t_account = -1, t_address = -1;
  gint64 idle = -1, t_window = -1, max_body = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (created if missing)", "FILE" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address and port (default 127.0.0.1:8080; port 0 picks one)", "ADDR:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "TLS certificate (PEM) for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, "TLS private key (PEM) for HTTPS", "FILE" },
    { "outbox", 0, 0, G_OPTION_ARG_FILENAME, &outbox, "Directory the emails are written to (default DB.outbox)", "DIR" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, "Key file with a [server] group", "FILE" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the port listened on to this file", "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url, "Base URL used in links in emails", "URL" },
    { "bcrypt-cost", 0, 0, G_OPTION_ARG_INT, &cost, "bcrypt cost of password hashes (default 12)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Worker threads for API requests (default 2)", "N" },
    { "session-idle", 0, 0, G_OPTION_ARG_INT64, &idle, "Seconds a session lives without use (default 4 weeks)", "S" },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body, "Largest request body in bytes (default 8 MiB)", "BYTES" },
    { "throttle-account", 0, 0, G_OPTION_ARG_INT, &t_account, "Failed sign-ins allowed per account per window (default 5)", "N" },
    { "throttle-address", 0, 0, G_OPTION_ARG_INT, &t_address, "Failed sign-ins allowed per address per window (default 30)", "N" },
    { "throttle-window", 0, 0, G_OPTION_ARG_INT64, &t_window, "Throttling window in seconds (default 900)", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server serve: %s\n", error->message);
      return 2;
    }

  ks_server_config_init_defaults (&config);
  if (config_file && !ks_server_config_load_file (&config, config_file, &error))
    {
      g_printerr ("kerbside-server: could not read %s: %s\n", config_file, error->message);
      return 2;
    }
#define TAKE_STR(field, v) if (v) { g_free (config.field); config.field = v; }
  TAKE_STR (db_path, db);
  TAKE_STR (listen, listen);
  TAKE_STR (tls_cert, cert);
  TAKE_STR (tls_key, key);
  TAKE_STR (outbox_dir, outbox);
  TAKE_STR (port_file, port_file);
  TAKE_STR (public_url, public_url);
#undef TAKE_STR
  if (cost >= 0) config.bcrypt_cost = cost;
  if (threads > 0) config.threads = threads;
  if (idle > 0) config.session_idle = idle;
  if (max_body > 0) config.max_body = max_body;
  if (t_account >= 0) config.throttle_account = t_account;
  if (t_address >= 0) config.throttle_address = t_address;
  if (t_window > 0) config.throttle_window = t_window;

  if (config.db_path == NULL)
    {
      g_printerr ("kerbside-server serve: give the database with --db FILE.\n");
      return 2;
    }
  if (config.bcrypt_cost < KS_BCRYPT_COST_MIN || config.bcrypt_cost > KS_BCRYPT_COST_MAX)
    {
      g_printerr ("kerbside-server serve: --bcrypt-cost must be from %d to %d.\n",
                  KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
      return 2;
    }
  if (config.outbox_dir == NULL)
    config.outbox_dir = default_outbox (config.db_path);
  if (config.public_url == NULL)
    config.public_url = g_strdup ("https://kerbside.invalid");
  if (g_mkdir_with_parents (config.outbox_dir, 0700) != 0)
    {
      g_printerr ("kerbside-server: could not create the outbox directory %s: %s\n",
                  config.outbox_dir, g_strerror (errno));
      return 1;
    }

  store = ks_sqlite_store_new (config.db_path, &error);
  if (store == NULL)
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      return 1;
    }

  server = ks_server_new (&config, store);
  if (!ks_server_start (server, &error))
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      ks_server_config_clear (&config);
      return 1;
    }

  if (config.port_file)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", ks_server_get_port (server));
      if (!g_file_set_contents (config.port_file, text, -1, &error))
        g_warning ("Could not write %s: %s", config.port_file, error->message);
    }

  g_print ("kerbside-server %s listening on %s://%s (port %u), database %s\n",
           PACKAGE_VERSION, config.tls_cert ? "https" : "http", config.listen,
           ks_server_get_port (server), config.db_path);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.server = server;
  g_unix_signal_add (SIGTERM, on_signal, &state);
  g_unix_signal_add (SIGINT, on_signal, &state);
  g_main_loop_run (loop);

  g_message ("Stopped");
  ks_server_config_clear (&config);
  return 0;
}

static int
cmd_demo (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- create or refresh the demo council");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autofree char *db = NULL;
  gint64 reports = 20000;
  int seed = 42, cost = 12;
  KsDemoOptions options;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (created if missing)", "FILE" },
    { "reports", 0, 0, G_OPTION_ARG_INT64, &reports, "Number of reports (default 20000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 42)", "S" },
    { "bcrypt-cost", 0, 0, G_OPTION_ARG_INT, &cost, "bcrypt cost of the demo passwords (default 12)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server demo: %s\n", error->message);
      return 2;
    }
  if (db == NULL)
    {
      g_printerr ("kerbside-server demo: give the database with --db FILE.\n");
      return 2;
    }
  if (reports < 0 || reports > 10000000)
    {
      g_printerr ("kerbside-server demo: --reports must be from 0 to 10000000.\n");
      return 2;
    }
  if (cost < KS_BCRYPT_COST_MIN || cost > KS_BCRYPT_COST_MAX)
    {
      g_printerr ("kerbside-server demo: --bcrypt-cost must be from %d to %d.\n",
                  KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
      return 2;
    }

  store = ks_sqlite_store_new (db, &error);
  if (store == NULL)
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      return 1;
    }
  options.n_reports = reports;
  options.seed = seed;
  options.bcrypt_cost = cost;
  if (!ks_demo_generate (store, &options, &error))
    {
      g_printerr ("kerbside-server demo: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      g_print ("%s", usage_text);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("kerbside-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (strcmp (argv[1], "serve") == 0)
    return cmd_serve (argc - 1, argv + 1);
  if (strcmp (argv[1], "demo") == 0)
    return cmd_demo (argc - 1, argv + 1);

  g_printerr ("kerbside-server: unknown command “%s”.\n\n%s", argv[1], usage_text);
  return 2;
}
