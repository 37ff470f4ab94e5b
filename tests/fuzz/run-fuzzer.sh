#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer harness for a while from its seed corpus; fails on a crash.
#   run-fuzzer.sh FUZZER CORPUS_DIR [SECONDS]
# (libFuzzer's own exit code for a crash, 77, would read as a skip to meson.)
# SECONDS defaults to $KS_FUZZ_SECONDS or 45. New inputs go to a scratch copy of the
# corpus (the seeds in the source tree are left alone); a crashing input is kept as
# fuzz-crashes/NAME-crash-* in the current directory (the build directory under
# meson test), and the run ends with libFuzzer's figures (cov:, exec/s, runs).
set -eu
fuzzer=$1
corpus=$2
seconds=${3:-${KS_FUZZ_SECONDS:-45}}
name=$(basename "$fuzzer")

work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" fuzz-crashes
cp "$corpus"/* "$work/corpus/" 2>/dev/null || true

# Leaks are checked input by input (libFuzzer notices an input that allocates
# more than it frees), not at exit: at exit LeakSanitizer also reports blocks the
# uninstrumented GLib keeps for the process's life.
# (Added after what meson test or the caller set: later options win.)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:leak_check_at_exit=0:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
# GLib's one-time allocations (type system, quarks) look like leaks to LeakSanitizer.
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"

# A dictionary of tokens, when the harness has one (NAME.dict next to this script).
dict=$(dirname "$0")/${name#fuzz-}.dict
dict_arg=
[ -f "$dict" ] && dict_arg="-dict=$dict"

status=0
"$fuzzer" $dict_arg -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -max_len=8192 \
  -print_final_stats=1 -artifact_prefix="fuzz-crashes/$name-" \
  "$work/corpus" >"$work/log" 2>&1 || status=$?

# The last coverage line and the final figures.
grep -E '^#[0-9]+.*(DONE|cov:)' "$work/log" | tail -n 1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log" || true
if [ "$status" -ne 0 ]; then
  echo "$name failed (exit $status); the crashing input is in $(pwd)/fuzz-crashes/:" >&2
  tail -n 60 "$work/log" >&2
fi
exit "$status"
