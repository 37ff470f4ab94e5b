#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test inside its own D-Bus session with a real, unlocked Secret Service
# (gnome-keyring-daemon), with private data and runtime directories.
set -e
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kerbside-keyring-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/run" "$tmp/home"
chmod 700 "$tmp/run"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" HOME="$tmp/home"
dbus-run-session -- sh -c '
  eval "$(printf kerbside-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"
' sh "$@"
