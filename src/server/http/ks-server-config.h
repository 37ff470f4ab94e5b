/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-server-config.h: kerbside-server's settings, from the command line and an
 * optional key file (see docs/server.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct _KsServerConfig {
  char   *db_path;           /* a SQLite file or a postgresql:// URI */
  char   *db_password_file;  /* [database] password-file: PostgreSQL's password */
  char   *listen;            /* ADDR:PORT; port 0 picks a free one */
  char   *tls_cert;
  char   *tls_key;
  char   *outbox_dir;        /* emails are written here as .eml files */
  char   *media_dir;         /* photos are stored here (ks-media.h) */
  char   *port_file;         /* if set, the bound port is written here */
  int     bcrypt_cost;       /* 12 in production */
  gint64  session_idle;      /* seconds a session lives without use */
  gint64  session_max_age;   /* seconds a session lives at most, used or not */
  gsize   max_body;          /* bytes */
  int     threads;           /* worker threads for API requests; 0: the store's default */
  int     throttle_account;  /* failed sign-ins per account per window */
  int     throttle_address;  /* failed sign-ins per client address per window */
  gint64  throttle_window;   /* seconds */
  gint64  housekeeping_seconds; /* how often housekeeping runs (3600); the retention job once a day */
  gboolean keep_items_ahead;  /* housekeeping renders the sync items reports lack (default true) */
  char   *public_url;        /* base URL for links in emails */
  /* SMTP relay for the outbox ([smtp] group of the configuration file) */
  char   *smtp_host;         /* none: the outbox directory is the delivery */
  int     smtp_port;         /* default 587 with STARTTLS, else 25 */
  gboolean smtp_starttls;    /* default true */
  char   *smtp_username;
  char   *smtp_password;
  int     smtp_poll_seconds; /* how often the outbox is looked at (default 5) */
  /* Emails to residents ([mail] group; mail/ks-notices.h) */
  int     notice_poll_seconds;   /* how often due emails are looked for (default 10) */
  gint64  notice_delay;          /* a change's email waits for more changes (60) */
  gint64  notice_gather;         /* the next waits this long after one was sent (300) */
  gint64  questionnaire_delay;   /* after a report is fixed (28 days) */
  /* The [open311 NAME] groups (sendon/ks-send-on-config.h), for the API to show:
   * their names and, at the same index, their endpoints (NULL: none). */
  char  **open311_names;
  char  **open311_endpoints;
};

typedef struct _KsServerConfig KsServerConfig;

void ks_server_config_init_defaults (KsServerConfig *config);
void ks_server_config_clear         (KsServerConfig *config);
/* dst becomes a copy of src with strings of its own (clear both). */
void ks_server_config_copy          (KsServerConfig       *dst,
                                     const KsServerConfig *src);
/* Reads the [server] group of a key file over the defaults. */
gboolean ks_server_config_load_file (KsServerConfig *config, const char *path, GError **error);

G_END_DECLS
