#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The app run from the build directory finds its settings schema: straight
# (BUILD/src/gui/kerbside finds BUILD/data) and through `meson devenv`; a copy
# with no schema anywhere exits 1 with a sentence instead of aborting.
# Usage: run-from-build.sh KERBSIDE BUILD_ROOT [MESON]
set -u
app="$1"; build="$2"; meson="${3:-}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/empty" "$tmp/bin"
fail=0

run() { env -u GSETTINGS_SCHEMA_DIR -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_DIRS="$tmp/empty" \
          XDG_DATA_HOME="$tmp/empty" "$@"; }

if out=$(run "$app" --version 2>&1); then
  echo "ok 1 - straight from the build directory: $out"
else
  echo "not ok 1 - straight from the build directory failed: $out"; fail=1
fi

if [ -n "$meson" ]; then
  if out=$(cd "$build" && run "$meson" devenv -C "$build" kerbside --version 2>&1); then
    echo "ok 2 - meson devenv: $out"
  else
    echo "not ok 2 - meson devenv failed: $out"; fail=1
  fi
else
  echo "ok 2 # SKIP meson not found"
fi

cp "$app" "$tmp/bin/kerbside"
out=$(run "$tmp/bin/kerbside" --version 2>&1); rc=$?
case "$rc:$out" in
  1:*"settings schema"*"meson devenv"*) echo "ok 3 - no schema: exit 1, $out" ;;
  *) echo "not ok 3 - no schema: exit $rc, $out"; fail=1 ;;
esac
echo "1..3"
exit $fail
