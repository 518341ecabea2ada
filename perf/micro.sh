#!/bin/sh
# W5 micro benchmark: native vs fuss, medians of 5 alternating runs, ratios.
# usage: sh perf/micro.sh [ITERATIONS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20000}
make -C "$top" --no-print-directory fuss build/perf/micro >/dev/null
work=$(mktemp -d /tmp/fuss-micro.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lower" "$work/upper"
echo data > "$work/lower/micro-file"
micro=$top/build/perf/micro
for i in 1 2 3 4 5; do
	"$micro" "$work/lower" "$n" | sed 's/^/native /' >> "$work/out"
	"$top/fuss" --mountpoint="$work/m" --lowerdir="$work/lower" --upperdir="$work/upper" \
		-- "$micro" "$work/m" "$n" | sed 's/^/fuss /' >> "$work/out"
done
printf '%-14s %10s %10s %8s\n' op native_ns fuss_ns ratio
for op in stat_in stat_out open_close_in getpid; do
	nat=$(awk -v op=$op '$1=="native" && $2==op {print $3}' "$work/out" | sort -n | sed -n 3p)
	fus=$(awk -v op=$op '$1=="fuss" && $2==op {print $3}' "$work/out" | sort -n | sed -n 3p)
	awk -v op=$op -v a="$nat" -v b="$fus" 'BEGIN { printf "%-14s %10d %10d %7.1fx\n", op, a, b, b / a }'
done
