/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-command-store.h: what every kerbside-server command that works on a database
 * shares: its --db and --config options, opening the store they name (never
 * with a password on the command line), and finding the council it names. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* The database a command works on: --db, or the [database] group of the
 * server's configuration file (--config), whose password-file is read. */
typedef struct {
  char *db;
  char *config;
} KsCommandStore;

void ks_command_store_clear (KsCommandStore *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsCommandStore, ks_command_store_clear)

#define KS_COMMAND_STORE_OPTIONS(args) \
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &(args)->db, \
    "SQLite database file, or a postgresql:// URI (its password from --config, PGPASSWORD or ~/.pgpass)", \
    "FILE|URI" }, \
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &(args)->config, \
    "The server's configuration file: the database of its [database] group", "FILE" }

/* TRUE, after saying so on stderr, when db carries a PostgreSQL password: every
 * user of the machine can read a command line. */
gboolean  ks_command_refuse_password (const char *command,
                                      const char *db);

/* Opens the store args name (args->db becomes the database --config names when
 * --db is not given); NULL after saying why on stderr, with *out_status 2 for
 * a mistake in the command line and 1 otherwise. */
KsStore  *ks_command_open_store      (const char     *command,
                                      KsCommandStore *args,
                                      int            *out_status);

/* The council a command names by its id, its slug or its name; 0 after saying
 * why on stderr. */
gint64    ks_command_find_council    (KsStore    *store,
                                      const char *command,
                                      const char *council);

G_END_DECLS
