/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-migrate-store-command.h: `kerbside-server migrate-store`, its options and its
 * output. */
#pragma once

/* Runs `kerbside-server migrate-store` (argv[0] is "migrate-store"); returns the
 * exit status. */
int ks_migrate_store_command (int argc, char **argv);
