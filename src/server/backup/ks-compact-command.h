/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compact-command.h: `kerbside-server compact`, its options and its output. */
#pragma once

/* Runs `kerbside-server compact` (argv[0] is "compact"); returns the exit status. */
int ks_compact_command (int argc, char **argv);
