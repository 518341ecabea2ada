#!/bin/sh
# W5 micro benchmark on every system, alternating systems within each round:
# native, kernel overlayfs, fuse-overlayfs, PRoot, fuss, fuss pinned to CPU 0
# (fuss-cpu0), and the floor tracer (perf/floor.c) bare, bare with tracer and
# program on one CPU, and reading registers and the path. Each run of
# build/perf/micro prints one line per op, on stdout:
#   W5 <op> <system> <ns_per_op>
# A system that cannot run prints "SKIP W5 <system>: reason" once (or once
# per round it failed in). The floor stops on the stat family only: compare
# its stat_in with fuss's stat_in; its other ops are near native.
#   sh perf/w5.sh [ROUNDS [ITERATIONS]]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
n=${2:-20000}
case $rounds$n in *[!0-9]*) echo "w5: ROUNDS and ITERATIONS are numbers" >&2; exit 2 ;; esac
make -C "$top" --no-print-directory fuss build/perf/micro build/perf/floor >/dev/null
micro=$top/build/perf/micro
floor=$top/build/perf/floor
fuss=$top/fuss
work=$(mktemp -d /tmp/fuss-w5.XXXXXX)
mounts=
cleanup() {
	for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# each overlay its own upper layer (none is written to)
mkdir -p "$work/lower" "$work/upper" "$work/kupper" "$work/kwork" "$work/kovl" \
	"$work/fupper" "$work/fwork" "$work/fovl" "$work/pm"
echo data >"$work/lower/micro-file"

# The systems this machine can run; the others get their SKIP line now.
systems="native"
skip() { echo "SKIP W5 $1: $2"; }
why() { head -c 200 "$work/err" | tr '\n' ' '; }
if [ "$(id -u)" -ne 0 ]; then
	skip overlay "not root (mount -t overlay needs it)"
elif ! mount -t overlay overlay -o "lowerdir=$work/lower,upperdir=$work/kupper,workdir=$work/kwork" \
	"$work/kovl" 2>"$work/err"; then
	skip overlay "mount failed: $(why)"
else
	mounts="$work/kovl"
	systems="$systems overlay"
fi
if ! command -v fuse-overlayfs >/dev/null; then
	skip fuse-overlayfs "not installed"
elif ! fuse-overlayfs -o "lowerdir=$work/lower,upperdir=$work/fupper,workdir=$work/fwork" \
	"$work/fovl" 2>"$work/err"; then
	skip fuse-overlayfs "mount failed: $(why)"
else
	mounts="$mounts $work/fovl"
	systems="$systems fuse-overlayfs"
fi
if ! command -v proot >/dev/null && [ "$(id -u)" -eq 0 ]; then
	sh "$top/tests/deps.sh" proot >&2 || true
fi
if command -v proot >/dev/null; then
	systems="$systems proot"
else
	skip proot "not installed and not installable (apt-get install proot)"
fi
systems="$systems fuss fuss-cpu0 floor-bare floor-bare-samecpu floor-regs"

# run SYSTEM: micro under SYSTEM, its "OP NS" lines in $work/out
run() {
	fo="--mountpoint=$work/m --lowerdir=$work/lower --upperdir=$work/upper"
	# shellcheck disable=SC2086 # $fo: fuss's options, one word each
	case $1 in
	native) "$micro" "$work/lower" "$n" ;;
	overlay) "$micro" "$work/kovl" "$n" ;;
	fuse-overlayfs) "$micro" "$work/fovl" "$n" ;;
	proot) proot -b "$work/lower:$work/pm" "$micro" "$work/pm" "$n" ;;
	fuss) "$fuss" $fo -- "$micro" "$work/m" "$n" ;;
	fuss-cpu0) taskset -c 0 "$fuss" $fo -- "$micro" "$work/m" "$n" ;;
	floor-bare) "$floor" -- "$micro" "$work/lower" "$n" ;;
	floor-bare-samecpu) "$floor" --same-cpu -- "$micro" "$work/lower" "$n" ;;
	floor-regs) "$floor" --regs -- "$micro" "$work/lower" "$n" ;;
	esac >"$work/out" 2>"$work/err"
}

r=1
while [ "$r" -le "$rounds" ]; do
	for s in $systems; do
		if run "$s"; then
			awk -v s="$s" 'NF == 2 { print "W5", $1, s, $2 }' "$work/out"
		else
			skip "$s" "round $r failed (status $?): $(why)"
		fi
	done
	r=$((r + 1))
done
