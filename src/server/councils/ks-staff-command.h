/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-staff-command.h: `kerbside-server staff create|list`. */
#pragma once

/* Runs `kerbside-server staff` (argv[0] is "staff"); returns the exit status. */
int ks_staff_command (int argc, char **argv);
