#!/bin/sh
# Runs every test runner (units, fuss-only checks, the benchmarks' floor
# tracer and table, logs and --stats, packaging, end-to-end as root and
# unprivileged, randomized differential, life-cycle, interactive use and
# perf, memory, crash and full disk, real paths beyond PATH_MAX, the VFS
# interface and audit log, 32-bit programs in a VM, stress), shows their
# output, and closes with the sum of their "N passed, N failed" lines.
# Exits 1 if a runner failed or a check did.
#   sh tests/run-all.sh FUSS PROBE UNIT_BIN...
set -u
FUSS=$1
PROBE=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/fuss-tests.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/log
status=0

# runner CMD...: runs one runner, its output shown and kept in the log; its
# exit status counts (a pipe into tee would hide it). Its time goes to the
# summary at the end.
runner() {
	_t0=$(date +%s)
	{ "$@"; echo $? >"$T/rc"; } | tee -a "$LOG"
	[ "$(cat "$T/rc")" = 0 ] || status=1
	echo "$(($(date +%s) - _t0)) s: $*" | sed "s|$HERE/||" >>"$T/times"
}

runner sh "$HERE/run-units.sh" "$@"
runner sh "$HERE/e2e/fuss-only.sh" "$FUSS" "$PROBE"
# the floor tracer of the benchmarks (under a second)
runner sh "$HERE/e2e/floor.sh" "$FUSS" "$PROBE"
runner sh "$HERE/e2e/observe.sh" "$FUSS" "$PROBE"
runner sh "$HERE/install.sh" "$FUSS"
runner sh "$HERE/perf-table.sh"
# The end-to-end scenarios in two halves at once (they share nothing but
# the CPUs, which one run leaves partly idle while it waits on fuss, mounts
# and process start-up); the second half's output follows the first's.
(sh "$HERE/e2e/run.sh" "$FUSS" "$PROBE" 'p[!o]* po[!s]* [q-z]* [!a-z]*' >"$T/e2e-b" 2>&1
	echo $? >"$T/rc-b") &
runner sh "$HERE/e2e/run.sh" "$FUSS" "$PROBE" '[a-o]* pos*'
wait
tee -a "$LOG" <"$T/e2e-b"
[ "$(cat "$T/rc-b")" = 0 ] || status=1
# fuss and the scenarios as an unprivileged user (nobody), compared with the
# kernel: in the kernel's whiteout format, steps 1-4 only, on the scenarios
# where permissions and the markers fuss writes matter (`make check-unpriv`
# runs them all, in both formats, with every step).
UNPRIV_SCENARIOS="access-modes attr-bad-flags chmod-lower copyup-readonly-dir
	mkdir-over-whiteout posix-chmod-chown posix-mknod posix-rmdir posix-unlink
	posix-xattr-read rename-onto-whiteout rm-rf-merged tar-roundtrip xattr-set-lower"
runner env FUSS_E2E_USER=65534 FUSS_E2E_MODES=chardev FUSS_E2E_CROSS=0 \
	sh "$HERE/e2e/run.sh" "$FUSS" "$PROBE" "$UNPRIV_SCENARIOS"
runner sh "$HERE/random/run.sh" "$FUSS" "$PROBE"
runner sh "$HERE/e2e/lifecycle.sh" "$FUSS" "$PROBE"
# a terminal (tmux): job control, vim, less; perf of and under fuss
runner sh "$HERE/e2e/interactive.sh" "$FUSS"
runner sh "$HERE/e2e/memory.sh" "$FUSS" "$PROBE"
runner sh "$HERE/e2e/crash.sh" "$FUSS" "$PROBE"
runner sh "$HERE/e2e/deep.sh" "$FUSS" "$PROBE"
runner sh "$HERE/e2e/vfs.sh" "$FUSS" "$PROBE"
# 32-bit and x32 programs, in a VM whose kernel runs them
runner sh "$HERE/vm/compat.sh" "$FUSS" "$(dirname "$PROBE")"
# churn at half its default size keeps make test near 10 minutes; `sh
# tests/stress/run.sh` alone runs the full one
runner env FUSS_STRESS_CHURN="${FUSS_STRESS_CHURN:-32 150}" sh "$HERE/stress/run.sh" "$FUSS" "$PROBE"

echo "time per runner:"
sed 's/^/  /' "$T/times"
grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$LOG" | awk '
	{ p += $2; f += $4; if ($6 != "") s += $6 }
	END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' ||
	status=1
exit $status
