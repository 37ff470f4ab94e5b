/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-retention-command.h: `kerbside-server retention [--dry-run]`. */
#pragma once

/* Runs `kerbside-server retention` (argv[0] is "retention"); the exit status. */
int ks_retention_command (int argc, char **argv);
