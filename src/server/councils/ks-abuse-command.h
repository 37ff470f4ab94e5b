/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-abuse-command.h: `kerbside-server abuse list|add|remove`. */
#pragma once

/* Runs `kerbside-server abuse` (argv[0] is "abuse"); the exit status. */
int ks_abuse_command (int argc, char **argv);
