/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-backup-command.h: `kerbside-server backup`, its options and its output. */
#pragma once

/* Runs `kerbside-server backup` (argv[0] is "backup"); returns the exit status. */
int ks_backup_command (int argc, char **argv);
