/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council-command.h: `kerbside-server council create|edit|list` and
 * `kerbside-server boundaries import`. */
#pragma once

#include "store/ks-store.h"
#include "councils/ks-boundaries.h"
#include "ks-command-store.h"

/* Runs `kerbside-server council` (argv[0] is "council"); returns the exit status. */
int      ks_council_command    (int argc, char **argv);
/* Runs `kerbside-server boundaries` (argv[0] is "boundaries"). */
int      ks_boundaries_command (int argc, char **argv);
