/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council-command.h: `kerbside-server council create|edit|list` and
 * `kerbside-server boundaries import`. */
#pragma once

#include "store/ks-store.h"
#include "councils/ks-boundaries.h"

/* Runs `kerbside-server council` (argv[0] is "council"); returns the exit status. */
int      ks_council_command    (int argc, char **argv);
/* Runs `kerbside-server boundaries` (argv[0] is "boundaries"). */
int      ks_boundaries_command (int argc, char **argv);

/* Opens the store of a command's --db (refusing a password in it); NULL after
 * saying why on stderr. */
KsStore *ks_command_open_store (const char *command, const char *db);
/* The council a command names by id or slug; 0 after saying why on stderr. */
gint64   ks_command_find_council (KsStore *store, const char *command, const char *council);
