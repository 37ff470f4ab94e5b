#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a GUI test under its own X server (xvfb-run -a) and D-Bus session with a
# real, unlocked Secret Service (gnome-keyring-daemon), with private data,
# runtime and home directories.
set -e
# Without the tools the test is skipped (77), saying which is missing.
for tool in xvfb-run dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is missing: GUI tests need an X server and a keyring (tools/install-deps installs them)" >&2
    exit 77
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kerbside-gui-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/run" "$tmp/home" "$tmp/cache" "$tmp/config"
chmod 700 "$tmp/run"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config"
export GTK_A11Y=none GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
# Not exec: the trap removes the private directories when the test is done.
status=0
xvfb-run -a -s "-screen 0 1920x1200x24" dbus-run-session -- sh -c '
  eval "$(printf kerbside-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"
' sh "$@" || status=$?
exit $status
