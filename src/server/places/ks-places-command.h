/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-command.h: `kerbside-server places import`, its options and output. */
#pragma once

/* Runs `kerbside-server places ...` (argv[0] is "places"); returns the exit status. */
int ks_places_command (int argc, char **argv);
