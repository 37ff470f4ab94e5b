#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Stands in for a test whose tool is missing on this machine, so that the test
# is reported as skipped (with the reason) instead of vanishing from the suite.
# Usage: skip-test.sh [--tap] REASON...
# Exits 77 (meson's "skipped"); with --tap, prints a TAP plan of no tests with
# the reason as its SKIP directive and exits 0, which meson counts as skipped.
tap=0
if [ "${1:-}" = "--tap" ]; then tap=1; shift; fi
echo "SKIP: $*" >&2
if [ $tap = 1 ]; then
  echo "1..0 # SKIP $*"
  exit 0
fi
exit 77
