#!/bin/sh
# Runs every test runner (units, fuss-only checks, end-to-end as root and
# unprivileged, randomized differential, life-cycle, memory, crash and full
# disk, stress), shows their output, and closes with the sum of their
# "N passed, N failed" lines.
#   sh tests/run-all.sh FUSS PROBE UNIT_BIN...
set -u
FUSS=$1
PROBE=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
LOG=$(mktemp /tmp/fuss-tests.XXXXXX)
trap 'rm -f "$LOG"' EXIT
status=0

sh "$HERE/run-units.sh" "$@" | tee -a "$LOG" || status=1
sh "$HERE/e2e/fuss-only.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
sh "$HERE/e2e/run.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
# fuss and the scenarios as an unprivileged user (nobody), compared with the
# kernel: in the kernel's whiteout format, steps 1-4 only, on the scenarios
# where permissions and the markers fuss writes matter (`make check-unpriv`
# runs them all, in both formats, with every step).
UNPRIV_SCENARIOS="access-modes attr-bad-flags chmod-lower copyup-readonly-dir
	mkdir-over-whiteout posix-chmod-chown posix-mknod posix-rmdir posix-unlink
	posix-xattr-read rename-onto-whiteout rm-rf-merged tar-roundtrip xattr-set-lower"
FUSS_E2E_USER=65534 FUSS_E2E_MODES=chardev FUSS_E2E_CROSS=0 \
	sh "$HERE/e2e/run.sh" "$FUSS" "$PROBE" "$UNPRIV_SCENARIOS" | tee -a "$LOG" || status=1
sh "$HERE/random/run.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
sh "$HERE/e2e/lifecycle.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
sh "$HERE/e2e/memory.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
sh "$HERE/e2e/crash.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1
sh "$HERE/stress/run.sh" "$FUSS" "$PROBE" | tee -a "$LOG" || status=1

grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$LOG" | awk '
	{ p += $2; f += $4; if ($6 != "") s += $6 }
	END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }'
exit $status
