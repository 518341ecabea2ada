#!/bin/sh
# The arm64 build's unit tests under qemu-user (qemu-aarch64-static, the
# arm64 libraries from Debian's multiarch packages under /), then two
# checks that the arm64 fuss and probe run there: fuss --version, and the
# probe's stat of / (a real arm64 newfstatat through qemu). No unit test
# uses ptrace or seccomp (qemu-user emulates neither; the filter is checked
# by evaluating its BPF), so none is skipped for that; fuss's tracing
# itself cannot run under qemu-user.
#   sh tests/arm64/units.sh BUILD_DIR/tests/unit/test_... (BUILD_DIR=build-arm64)
# Closes with "arm64-units: N passed, N failed, N skipped".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
QEMU=qemu-aarch64-static
. "$HERE/../e2e/report.sh"

if ! command -v $QEMU >/dev/null; then
	sk arm64-units "$QEMU missing (Debian qemu-user-static; make deps-arm64)"
	echo "arm64-units: $pass passed, $fail failed, $skip skipped"
	exit 0
fi
# the build directory: BUILD/tests/unit/test_x
B=$(dirname "$(dirname "$(dirname "$1")")")
out=$(mktemp "${TMPDIR:-/tmp}/fuss-arm64.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM
FUSS_UNIT_EXEC="$QEMU -L /" FUSS_UNIT_NAME=arm64-cmocka sh "$HERE/../run-units.sh" "$@" |
	tee "$out"
set -- $(sed -n 's/^arm64-cmocka: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$out")
[ $# -eq 3 ] || set -- 0 1 0
pass=$1 fail=$2 skip=$3

expect arm64-fuss-version "fuss" "$($QEMU -L / "$B/fuss" --version | cut -d' ' -f1)"
expect arm64-probe-stat "OK" "$($QEMU -L / "$B/probe" stat / | cut -d' ' -f1)"
echo "arm64-units: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
