/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: kerbside-server's command line. */
#define G_LOG_DOMAIN "kerbside-server"

#include "config.h"
#include "backup/ks-backup-command.h"
#include "backup/ks-compact-command.h"
#include "councils/ks-council-command.h"
#include "councils/ks-retention-command.h"
#include "councils/ks-abuse-command.h"
#include "councils/ks-staff-command.h"
#include "councils/ks-boundaries.h"
#include "migrate/ks-migrate-store-command.h"
#include "places/ks-places-command.h"
#include "ks-routes.h"
#include "api/ks-api-states.h"
#include "demo/ks-demo.h"
#include "mail/ks-mail-relay.h"
#include "mail/ks-notices.h"
#include "sendon/ks-send-on.h"
#include "auth/ks-password-hash.h"
#include "http/ks-server.h"
#include "sqlite/ks-sqlite-demo-writer.h"
#if HAVE_POSTGRESQL
#include "postgres/ks-pg-demo-writer.h"
#include "postgres/ks-pg-store.h"
#endif
#include "sqlite/ks-sqlite-store.h"
#include "ks-command-store.h"
#include "ks-store-open.h"
#include "ks-time.h"
#include "auth/ks-api-key.h"

#include <glib-unix.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <errno.h>
#include <string.h>

static const char *usage_text =
  "Usage (every command that opens a database takes --db FILE|URI or --config FILE):\n"
  "  kerbside-server serve --db FILE|URI [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
  "                        [--outbox DIR] [--media DIR] [--config FILE] [options]\n"
  "  kerbside-server demo --db FILE|URI [--reports N] [--seed S] [--media DIR]\n"
  "  kerbside-server council create|edit|list --db FILE|URI [--council ID|SLUG] [settings]\n"
  "  kerbside-server staff create --db FILE|URI [--council ID|SLUG|NAME] --email E --name N\n"
  "                        [--role ROLE]... [--superuser]   (the password on standard input)\n"
  "  kerbside-server staff list --db FILE|URI [--council ID|SLUG|NAME]\n"
  "  kerbside-server boundaries import --db FILE|URI --council ID|SLUG [--area FILE]\n"
  "                        --wards FILE --name-property PROP\n"
  "  kerbside-server retention --db FILE|URI [--council ID|SLUG] [--dry-run]\n"
  "  kerbside-server abuse list|add|remove --db FILE|URI --council ID|SLUG [--email|--phone|--domain V]\n"
  "  kerbside-server apikey create|list|set|revoke --db FILE|URI [--name NAME] [--body SLUG] [--id N]\n"
  "                         [--email-residents yes|no]\n"
  "  kerbside-server backup --db FILE --to COPY [--media DIR | --no-media]\n"
  "  kerbside-server compact --db FILE [--page-size N]   (no server running on it)\n"
  "  kerbside-server migrate-store --from FILE --to URI [--media-to DIR]\n"
  "  kerbside-server places import --db FILE|URI --council ID [--format FORMAT] FILE\n"
  "  kerbside-server upgrade --db FILE|URI\n"
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

static char *
default_media (const char *db_path)
{
  return g_strconcat (db_path, ".media", NULL);
}

static gboolean
make_media_dir (const char *dir)
{
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      g_printerr ("kerbside-server: could not create the media directory %s: %s\n",
                  dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* glibc's malloc gives memory back to the system whenever more than 128 KB is
 * free at the top of a heap, and takes it back, a page fault a page, at the
 * next request: each list answer (about 50 KB, and a page waiting to be put in
 * order beside it) did that, 3% of a request's CPU. A server keeps what it has
 * used (up to 32 MB free a heap), and blocks under 4 MB (a streamed sync
 * piece is 256 KB) come from the heap rather than a mapping of their own. */
static void
tune_malloc (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
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
  g_autofree char *test_clock = NULL;
  g_autofree char *db_password = NULL, *db_display = NULL;
  KsServerConfig config;
  KsMailRelay *relay;
  KsNotices *notices;
  KsSendOn *send_on;
  g_auto(KsSendOnConfig) send_on_config = { 0 };
  ServeState state;
  char *db = NULL, *listen = NULL, *cert = NULL, *key = NULL, *outbox = NULL, *port_file = NULL;
  char *public_url = NULL, *media = NULL;
  int cost = -1, threads = -1, t_account = -1, t_address = -1;
  gint64 idle = -1, max_age = -1, t_window = -1, max_body = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (created if missing), or a postgresql:// URI (no password: see --config)", "FILE|URI" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address and port (default 127.0.0.1:8080; port 0 picks one)", "ADDR:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "TLS certificate (PEM) for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, "TLS private key (PEM) for HTTPS", "FILE" },
    { "outbox", 0, 0, G_OPTION_ARG_FILENAME, &outbox, "Directory the emails are written to (default DB.outbox)", "DIR" },
    { "media", 0, 0, G_OPTION_ARG_FILENAME, &media, "Directory the photos are stored in (default DB.media)", "DIR" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, "Key file with [server], [database] and [smtp] groups", "FILE" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the port listened on to this file", "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url, "Base URL used in links in emails", "URL" },
    { "bcrypt-cost", 0, 0, G_OPTION_ARG_INT, &cost, "bcrypt cost of password hashes (default 12)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Worker threads for API requests (default 2 on SQLite, 4 on PostgreSQL)", "N" },
    { "session-idle", 0, 0, G_OPTION_ARG_INT64, &idle, "Seconds a session lives without use (default 4 weeks)", "S" },
    { "session-max-age", 0, 0, G_OPTION_ARG_INT64, &max_age, "Seconds a session lives at most, however much it is used (default 30 days)", "S" },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body, "Largest request body in bytes (default 8 MiB)", "BYTES" },
    { "throttle-account", 0, 0, G_OPTION_ARG_INT, &t_account, "Failed sign-ins allowed per account and client address per window (default 5)", "N" },
    { "throttle-address", 0, 0, G_OPTION_ARG_INT, &t_address, "Failed sign-ins allowed per address per window (default 30)", "N" },
    { "throttle-window", 0, 0, G_OPTION_ARG_INT64, &t_window, "Throttling window in seconds (default 900)", "S" },
    /* For tests only (docs/testing.md): never listed in --help. */
    { "test-clock", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &test_clock, "Seconds to add to the clock, read from FILE at every use", "FILE" },
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
  if (db != NULL && ks_command_refuse_password ("serve", db))
    {
      ks_server_config_clear (&config);
      return 2;
    }
  TAKE_STR (db_path, db);
  TAKE_STR (listen, listen);
  TAKE_STR (tls_cert, cert);
  TAKE_STR (tls_key, key);
  TAKE_STR (outbox_dir, outbox);
  TAKE_STR (media_dir, media);
  TAKE_STR (port_file, port_file);
  TAKE_STR (public_url, public_url);
#undef TAKE_STR
  if (cost >= 0) config.bcrypt_cost = cost;
  if (threads > 0) config.threads = threads;
  if (idle > 0) config.session_idle = idle;
  if (max_age > 0) config.session_max_age = max_age;
  if (max_body > 0) config.max_body = max_body;
  if (t_account >= 0) config.throttle_account = t_account;
  if (t_address >= 0) config.throttle_address = t_address;
  if (t_window > 0) config.throttle_window = t_window;

  if (!ks_send_on_config_load (&send_on_config, config_file, &error))
    {
      g_printerr ("kerbside-server: could not read %s: %s\n", config_file, error->message);
      ks_server_config_clear (&config);
      return 2;
    }
  ks_send_on_config_names (&send_on_config, &config.open311_names, &config.open311_endpoints);

  if (config.db_path == NULL)
    {
      g_printerr ("kerbside-server serve: give the database with --db FILE (SQLite) or --db postgresql://... (or [database] uri in --config).\n");
      return 2;
    }
  if (config.bcrypt_cost < KS_BCRYPT_COST_MIN || config.bcrypt_cost > KS_BCRYPT_COST_MAX)
    {
      g_printerr ("kerbside-server serve: --bcrypt-cost must be from %d to %d.\n",
                  KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
      return 2;
    }
  if (ks_store_db_is_postgresql (config.db_path) &&
      (config.outbox_dir == NULL || config.media_dir == NULL))
    {
      g_printerr ("kerbside-server serve: with a PostgreSQL database, give --outbox DIR and "
                  "--media DIR (directories every instance shares; docs/deploy.md).\n");
      ks_server_config_clear (&config);
      return 2;
    }
  /* API workers when none are set: a worker on SQLite uses the CPU for its whole
   * request; on PostgreSQL it waits for the database during most of it, holding
   * no CPU, so more workers keep the cores busy. */
  if (config.threads <= 0)
    config.threads = ks_store_db_is_postgresql (config.db_path) ? 4 : 2;
  if (config.outbox_dir == NULL)
    config.outbox_dir = default_outbox (config.db_path);
  if (config.media_dir == NULL)
    config.media_dir = default_media (config.db_path);
  if (!make_media_dir (config.media_dir))
    return 1;
  if (config.public_url == NULL)
    config.public_url = g_strdup ("https://kerbside.invalid");
  if (g_mkdir_with_parents (config.outbox_dir, 0700) != 0)
    {
      g_printerr ("kerbside-server: could not create the outbox directory %s: %s\n",
                  config.outbox_dir, g_strerror (errno));
      return 1;
    }

  /* The test clock lets a test move "now" forward. Plain HTTP is only served
   * on loopback (ks_server_start refuses it elsewhere), so this needs an
   * explicit option, a loopback listener and no TLS: a deployment never has all three (behind a proxy it has no reason to
   * pass a hidden option), and it says so loudly. */
  if (test_clock != NULL)
    {
      if (config.tls_cert != NULL)
        {
          g_printerr ("kerbside-server serve: --test-clock is for tests only and needs a plain-HTTP "
                      "listener on loopback; leave out --tls-cert or --test-clock.\n");
          ks_server_config_clear (&config);
          return 2;
        }
      if (!ks_time_set_test_clock (test_clock, &error))
        {
          g_printerr ("kerbside-server serve: %s\n", error->message);
          ks_server_config_clear (&config);
          return 2;
        }
      g_printerr ("kerbside-server: TEST CLOCK from %s: the time is not the real time. "
                  "Never run a council's server like this.\n", test_clock);
    }

  if (config.db_password_file != NULL)
    {
      db_password = ks_store_read_password_file (config.db_password_file, &error);
      if (db_password == NULL)
        {
          g_printerr ("kerbside-server serve: %s\n", error->message);
          ks_server_config_clear (&config);
          return 2;
        }
    }
  store = ks_store_open (config.db_path, db_password, &error);
  if (db_password != NULL)
    explicit_bzero (db_password, strlen (db_password));
  if (store == NULL)
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      ks_server_config_clear (&config);
      return 1;
    }

  if (!ks_api_states_load (store, &error))
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      ks_server_config_clear (&config);
      return 1;
    }
  {
    KsNoticeTimes times = { config.notice_delay, config.notice_gather,
                            config.questionnaire_delay, config.public_url };
    ks_store_notices_set_times (&times);
  }
  tune_malloc ();
  {
    KsRouter *router = ks_router_new ();
    ks_api_register_routes (router);
    server = ks_server_new (&config, store, router);
  }
  if (!ks_server_start (server, &error))
    {
      g_printerr ("kerbside-server: %s\n", error->message);
      ks_server_config_clear (&config);
      return 1;
    }

  /* Ready for SIGTERM before anyone learns the port: a supervisor (or a test)
   * may stop the server as soon as it is listening. */
  relay = ks_mail_relay_start (&config);
  notices = ks_notices_start (&config, store);
  send_on = ks_send_on_start (&config, &send_on_config, store);
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.server = server;
  g_unix_signal_add (SIGTERM, on_signal, &state);
  g_unix_signal_add (SIGINT, on_signal, &state);

  if (config.port_file)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", ks_server_get_port (server));
      if (!g_file_set_contents (config.port_file, text, -1, &error))
        g_warning ("Could not write %s: %s", config.port_file, error->message);
    }

  db_display = ks_store_db_display (config.db_path);
  g_print ("kerbside-server %s listening on %s://%s (port %u), database %s\n",
           PACKAGE_VERSION, config.tls_cert ? "https" : "http", config.listen,
           ks_server_get_port (server), db_display);
  fflush (stdout);

  g_main_loop_run (loop);

  ks_send_on_stop (send_on);
  ks_notices_stop (notices);
  ks_mail_relay_stop (relay);
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
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *media = NULL;
  gint64 reports = 20000;
  int seed = 42, cost = 12, status;
  KsDemoOptions options;
  const KsDemoWriter *writer = &ks_sqlite_demo_writer;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "reports", 0, 0, G_OPTION_ARG_INT64, &reports, "Number of reports (default 20000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 42)", "S" },
    { "bcrypt-cost", 0, 0, G_OPTION_ARG_INT, &cost, "bcrypt cost of the demo passwords (default 12)", "N" },
    { "media", 0, 0, G_OPTION_ARG_FILENAME, &media, "Directory the demo photos are written to (default DB.media)", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server demo: %s\n", error->message);
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

  if ((store = ks_command_open_store ("demo", &where, &status)) == NULL)
    return status;
  if (ks_store_db_is_postgresql (where.db) && media == NULL)
    {
      g_printerr ("kerbside-server demo: with a PostgreSQL database, give --media DIR (the "
                  "directory the servers are given with --media).\n");
      return 2;
    }
  if (media == NULL)
    media = default_media (where.db);
  if (!make_media_dir (media))
    return 1;
  options.n_reports = reports;
  options.media_dir = media;
  options.seed = seed;
  options.bcrypt_cost = cost;
#if HAVE_POSTGRESQL
  if (KS_IS_PG_STORE (store))
    writer = &ks_pg_demo_writer;
#endif
  if (!ks_demo_generate (store, writer, &options, &error))
    {
      g_printerr ("kerbside-server demo: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* upgrade: brings a database's schema up to date and exits (run before rolling
 * out new instances, so that none of them has to migrate while serving). */
static int
cmd_upgrade (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- bring a database's schema up to date");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *shown = NULL;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server upgrade: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("kerbside-server upgrade: give the database with --db FILE, --db "
                  "postgresql://... or --config FILE, and nothing else.\n");
      return 2;
    }
  if ((store = ks_command_open_store ("upgrade", &where, &status)) == NULL)
    return status;
  shown = ks_store_db_display (where.db);
  g_print ("The schema of %s is up to date.\n", shown);
  return 0;
}

/* The key's setting to email its residents, from the command line (audited). */
static gboolean
set_email_residents (KsStore *store, gint64 id, gboolean notify, GError **error)
{
  g_auto(KsApiKey) key = { 0 };
  gboolean found = FALSE;

  if (!ks_store_open311_get_api_key (store, id, &found, &key, error))
    return FALSE;
  if (!found || key.notify_residents == notify)
    return TRUE;
  return ks_api_key_set_notify_residents (store, NULL, "command line", &key, notify, error);
}

/* apikey: API keys of Open311 client applications. */
static int
cmd_apikey (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("create|list|set|revoke - API keys of Open311 clients");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *name = NULL, *body = NULL, *email_residents = NULL;
  gboolean notify = FALSE;
  gint64 id = 0;
  const char *action;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "create: name of the client application", "NAME" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, "create: the council's slug (default: the first council)", "SLUG" },
    { "id", 0, 0, G_OPTION_ARG_INT64, &id, "set, revoke: id of the key (see list)", "N" },
    { "email-residents", 0, 0, G_OPTION_ARG_STRING, &email_residents,
      "create, set: whether the residents whose reports the client sends get the council's emails "
      "(default no: the client tells its own users)", "yes|no" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server apikey: %s\n", error->message);
      return 2;
    }
  action = argc > 1 ? argv[1] : NULL;
  if (action == NULL || (strcmp (action, "create") != 0 && strcmp (action, "list") != 0 &&
                         strcmp (action, "set") != 0 && strcmp (action, "revoke") != 0))
    {
      g_printerr ("kerbside-server apikey: say create, list, set or revoke, e.g.\n"
                  "  kerbside-server apikey create --db FILE --name NAME [--body SLUG] [--email-residents yes|no]\n"
                  "  kerbside-server apikey list --db FILE\n"
                  "  kerbside-server apikey set --db FILE --id N --email-residents yes|no\n"
                  "  kerbside-server apikey revoke --db FILE --id N\n");
      return 2;
    }
  if (email_residents != NULL && g_strcmp0 (email_residents, "yes") != 0 &&
      g_strcmp0 (email_residents, "no") != 0)
    {
      g_printerr ("kerbside-server apikey: --email-residents takes yes or no, not “%s”.\n",
                  email_residents);
      return 2;
    }
  notify = g_strcmp0 (email_residents, "yes") == 0;
  if (strcmp (action, "set") == 0 && (email_residents == NULL || id <= 0))
    {
      g_printerr ("kerbside-server apikey set: give the key's id with --id N (see kerbside-server "
                  "apikey list) and --email-residents yes|no.\n");
      return 2;
    }
  if ((store = ks_command_open_store ("apikey", &where, &status)) == NULL)
    return status;

  if (strcmp (action, "list") == 0)
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (!ks_store_open311_list_api_keys (store, 0, &keys, &error))
        {
          g_printerr ("kerbside-server apikey: %s\n", error->message);
          return 1;
        }
      g_print ("%-6s %-12s %-21s %-21s %-21s %-7s %s\n", "ID", "COUNCIL", "CREATED", "LAST USED",
               "REVOKED", "EMAILS", "NAME");
      for (guint i = 0; i < keys->len; i++)
        {
          KsApiKey *k = g_ptr_array_index (keys, i);
          g_autofree char *created = ks_time_to_iso (k->created);
          g_autofree char *used = k->last_used ? ks_time_to_iso (k->last_used) : g_strdup ("-");
          g_autofree char *revoked = k->revoked ? ks_time_to_iso (k->revoked) : g_strdup ("-");

          g_print ("%-6" G_GINT64_FORMAT " %-12s %-21s %-21s %-21s %-7s %s\n", k->id, k->body_slug,
                   created, used, revoked, k->notify_residents ? "yes" : "no", k->name);
        }
      return 0;
    }

  if (strcmp (action, "create") == 0)
    {
      g_auto(KsOpen311Body) council = { 0 };
      g_autofree char *token = NULL;
      gboolean found = FALSE;
      gint64 key_id = 0;

      if (name == NULL || *g_strstrip (name) == '\0' || g_utf8_strlen (name, -1) > 100)
        {
          g_printerr ("kerbside-server apikey create: give the client's name with --name NAME "
                      "(1 to 100 characters).\n");
          return 2;
        }
      if (!ks_store_open311_find_body (store, body, &found, &council, &error))
        {
          g_printerr ("kerbside-server apikey: %s\n", error->message);
          return 1;
        }
      if (!found)
        {
          g_printerr ("kerbside-server apikey create: there is no council%s%s%s. "
                      "Create the council first, or give its slug with --body.\n",
                      body ? " “" : "", body ? body : "", body ? "”" : "");
          return 1;
        }
      if (!ks_store_begin_write (store, &error) ||
          !ks_api_key_issue (store, NULL, "command line", council.id, name, &key_id, &token,
                             &error) ||
          !set_email_residents (store, key_id, notify, &error) ||
          !ks_store_commit (store, &error))
        {
          ks_store_rollback (store);
          g_printerr ("kerbside-server apikey: %s\n", error->message);
          return 1;
        }
      g_printerr ("API key %" G_GINT64_FORMAT " for “%s” (council %s). It is shown only now: "
                  "keep it safe.\n", key_id, name, council.slug);
      g_print ("%s\n", token);
      return 0;
    }

  if (strcmp (action, "set") == 0)
    {
      g_auto(KsApiKey) key = { 0 };
      gboolean found = FALSE;

      if (!ks_store_open311_get_api_key (store, id, &found, &key, &error))
        {
          g_printerr ("kerbside-server apikey: %s\n", error->message);
          return 1;
        }
      if (!found)
        {
          g_printerr ("kerbside-server apikey set: there is no API key %" G_GINT64_FORMAT
                      ". See kerbside-server apikey list.\n", id);
          return 1;
        }
      if (!ks_store_begin_write (store, &error) ||
          !set_email_residents (store, id, notify, &error) ||
          !ks_store_commit (store, &error))
        {
          ks_store_rollback (store);
          g_printerr ("kerbside-server apikey: %s\n", error->message);
          return 1;
        }
      g_print ("API key %" G_GINT64_FORMAT " (“%s”): the residents whose reports it sends %s.\n",
               id, key.name, notify ? "get the council's emails"
                                    : "get no emails from the council (the client tells them)");
      return 0;
    }

  /* revoke */
  {
    g_auto(KsApiKey) key = { 0 };
    gboolean found = FALSE;

    if (id <= 0)
      {
        g_printerr ("kerbside-server apikey revoke: give the key's id with --id N "
                    "(see kerbside-server apikey list).\n");
        return 2;
      }
    if (!ks_store_open311_get_api_key (store, id, &found, &key, &error))
      {
        g_printerr ("kerbside-server apikey: %s\n", error->message);
        return 1;
      }
    if (!found)
      {
        g_printerr ("kerbside-server apikey revoke: there is no API key %" G_GINT64_FORMAT
                    ". See kerbside-server apikey list.\n", id);
        return 1;
      }
    if (key.revoked == 0 &&
        (!ks_store_begin_write (store, &error) ||
         !ks_api_key_revoke (store, NULL, "command line", &key, &error) ||
         !ks_store_commit (store, &error)))
      {
        ks_store_rollback (store);
        g_printerr ("kerbside-server apikey: %s\n", error->message);
        return 1;
      }
    g_print ("API key %" G_GINT64_FORMAT " (“%s”) is revoked.\n", id, key.name);
    return 0;
  }
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
  if (strcmp (argv[1], "apikey") == 0)
    return cmd_apikey (argc - 1, argv + 1);
  if (strcmp (argv[1], "council") == 0)
    return ks_council_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "staff") == 0)
    return ks_staff_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "abuse") == 0)
    return ks_abuse_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "retention") == 0)
    return ks_retention_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "boundaries") == 0)
    return ks_boundaries_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "backup") == 0)
    return ks_backup_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "compact") == 0)
    return ks_compact_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "migrate-store") == 0)
    return ks_migrate_store_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "places") == 0)
    return ks_places_command (argc - 1, argv + 1);
  if (strcmp (argv[1], "upgrade") == 0)
    return cmd_upgrade (argc - 1, argv + 1);

  g_printerr ("kerbside-server: unknown command “%s”.\n\n%s", argv[1], usage_text);
  return 2;
}
