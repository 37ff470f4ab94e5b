#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every case of GUI test programs alone (-p /its/path), each in a fresh
# process with its own server, X server and keyring (run-gui-test.sh), to show
# that no case needs the ones before it. Prints one TAP line a case.
# Usage: run-each-case.sh BUILD TEST-PROGRAM...   (e.g. BUILD/tests/gui/test-flow)
# Needs KERBSIDE_SERVER and GSETTINGS_SCHEMA_DIR as meson test sets them; with
# only BUILD given they are taken from it.
set -u
build="$1"; shift
here=$(dirname "$0")
export KERBSIDE_SERVER="${KERBSIDE_SERVER:-$build/src/server/kerbside-server}"
export GSETTINGS_SCHEMA_DIR="${GSETTINGS_SCHEMA_DIR:-$build/data}"
export KS_SCREENSHOT_DIR="${KS_SCREENSHOT_DIR:-$build/tests/gui/screenshots-alone}"
export G_TEST_SRCDIR="${G_TEST_SRCDIR:-$here}"
n=0; failed=0
for program in "$@"; do
  for case in $("$here/run-gui-test.sh" "$program" -l 2>/dev/null | grep '^/'); do
    n=$((n + 1))
    log=$(mktemp)
    if "$here/run-gui-test.sh" "$program" -p "$case" >"$log" 2>&1; then
      echo "ok $n - $(basename "$program") $case"
    else
      echo "not ok $n - $(basename "$program") $case"
      sed 's/^/# /' "$log" | grep -v DEBUG | tail -15
      failed=$((failed + 1))
    fi
    rm -f "$log"
  done
done
echo "1..$n"
[ $failed = 0 ]
