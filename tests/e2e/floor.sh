#!/bin/sh
# Smoke test of the floor tracer (perf/floor.c, built next to probe as
# perf/floor): the program's exit status comes back, a stat stops it, --regs
# reads the path it names, --same-cpu runs to the end on one CPU, bad usage
# exits 2.
#   sh tests/e2e/floor.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL per check and "floor: N passed, N failed, N skipped".
set -u
PROBE=$2
FLOOR=$(dirname "$PROBE")/perf/floor
T=$(mktemp -d /tmp/fuss-floor.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(cd "$(dirname "$0")" && pwd)/report.sh"
echo data >"$T/f"

# status NAME WANT CMD...: the exit status floor returns for CMD
status() {
	name=$1
	want=$2
	shift 2
	"$FLOOR" "$@" >"$T/out" 2>"$T/err"
	expect "floor-$name" "$want" "$?"
}

# stops NAME PATH OPTS...: probe stats $T/f under floor --count OPTS and
# succeeds; floor saw at least one stop and, read by --regs, PATH last.
stops() {
	name=$1
	want=$2
	shift 2
	"$FLOOR" --count "$@" -- "$PROBE" stat "$T/f" >"$T/out" 2>"$T/err"
	st=$?
	n=$(sed -n 's/^floor: \([0-9]*\) stops, .*/\1/p' "$T/err")
	last=$(sed -n 's/^floor: .*, last //p' "$T/err")
	if [ $st -eq 0 ] && grep -q '^OK' "$T/out" && [ "${n:-0}" -ge 1 ] && [ "$last" = "$want" ]; then
		ok "floor-$name"
	else
		ko "floor-$name" "status $st, out $(head -c 100 "$T/out"), err $(head -c 200 "$T/err")"
	fi
}

if [ ! -x "$FLOOR" ]; then
	ko floor-built "no $FLOOR (make builds it)"
else
	status exit-status 7 -- sh -c 'exit 7'
	status killed 137 -- sh -c 'kill -KILL $$'
	status not-found 127 -- "$T/none"
	status usage 2 --bogus -- true
	expect floor-usage-line 1 "$(wc -l <"$T/err")"
	status no-program 2 --regs --
	stops bare -
	stops regs "$T/f" --regs
	stops same-cpu "$T/f" --regs --same-cpu
	# the program inherits the one-CPU mask floor set itself
	cpus=$("$FLOOR" --same-cpu -- sh -c 'taskset -cp $$' 2>&1 | sed -n 's/.*affinity list: //p')
	case $cpus in
	'' | *[!0-9]*) ko floor-same-cpu-mask "affinity list [$cpus], want one CPU" ;;
	*) ok floor-same-cpu-mask ;;
	esac
fi
echo "floor: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
