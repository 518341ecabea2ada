#!/bin/sh
# Scale benchmark (make bench-scale): how the tracer's workers share the
# stops of a parallel workload, and what a dentry-cache hit and miss cost.
#   1. stops handled per second per worker: P processes each stat a file
#      in the overlay in a loop, under --workers=1, 2 and 4 (--stats gives
#      each worker's stops and the time it spent handling them);
#   2. the spread of stops across 4 workers for `make -j8` of a generated
#      200-file C project, with --balance=fork and --balance=none;
#   3. dentry-cache hit, miss through vfsd and request round trip, in ns
#      (build/perf/dcache).
# usage: sh perf/scale.sh [ITERATIONS_PER_PROCESS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20000}
procs=8
make -C "$top" --no-print-directory fuss build/perf/micro build/perf/dcache >/dev/null
fuss=$top/fuss
work=$(mktemp -d /tmp/fuss-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
now() { date +%s%N; }

# --- 1. stops per second per worker ----------------------------------------
mkdir -p "$work/lower" "$work/upper"
echo data >"$work/lower/micro-file"
cat >"$work/statloop.sh" <<EOF
i=0
while [ \$i -lt $procs ]; do
	"$top/build/perf/micro" "\$1" $n >/dev/null &
	i=\$((i + 1))
done
wait
EOF
echo "== stops handled per worker: $procs processes x $n iterations of stat/open in the overlay"
printf '%-8s %10s %8s %12s %16s %14s\n' workers stops wall_s stops/s stops/s/worker busy_us/stop
for w in 1 2 4; do
	t0=$(now)
	"$fuss" --stats --workers=$w --mountpoint="$work/m" --lowerdir="$work/lower" \
		--upperdir="$work/upper" -- sh "$work/statloop.sh" "$work/m" 2>"$work/stats"
	t1=$(now)
	awk -v w=$w -v ns=$((t1 - t0)) '
		/stats: w[0-9]/ { busy += $5 }
		/stats: total/ { stops = $4 }
		END {
			s = ns / 1e9
			printf "%-8d %10d %8.2f %12.0f %16.0f %14.1f\n", w, stops, s,
				stops / s, stops / s / w, busy * 1000 / stops
		}' "$work/stats"
done
echo "(busy_us/stop: time a worker spends on one stop, from waitid's return to the resume;"
echo " stops/s/worker: the whole run's stops over its wall time, divided by the workers)"

# --- 2. spread of stops across workers ---------------------------------------
proj=$work/proj
mkdir -p "$proj/lower/src" "$proj/upper"
i=0
while [ $i -lt 200 ]; do
	printf '#include "common.h"\nint f%d(int x) { return x * %d + COMMON; }\n' $i $i \
		>"$proj/lower/src/f$i.c"
	i=$((i + 1))
done
echo '#define COMMON 7' >"$proj/lower/src/common.h"
cat >"$proj/lower/src/Makefile" <<'EOF'
SRCS := $(wildcard f*.c)
OBJS := $(SRCS:.c=.o)
libp.a: $(OBJS)
	ar rcs $@ $(OBJS)
%.o: %.c common.h
	cc -O1 -c $< -o $@
EOF
echo
echo "== spread of stops: make -j8 of a 200-file project, --workers=4"
printf '%-14s %8s %s\n' balance max/mean "stops per worker"
for b in fork none; do
	rm -rf "$proj/upper" && mkdir "$proj/upper"
	"$fuss" --stats --workers=4 --balance=$b --mountpoint="$proj/m" \
		--lowerdir="$proj/lower" --upperdir="$proj/upper" \
		-- make -s -j8 -C "$proj/m/src" >/dev/null 2>"$work/stats"
	[ -f "$proj/upper/src/libp.a" ] || { echo "scale: the build failed" >&2; cat "$work/stats" >&2; exit 1; }
	awk -v b=$b '
		/stats: w[0-9]/ { per = per " " $4 }
		/stats: total/ { ratio = $NF }
		END { printf "%-14s %8s %s\n", b, ratio, per }' "$work/stats"
done

# --- 3. dentry cache ----------------------------------------------------------
echo
echo "== dentry cache (ns per lookup)"
"$top/build/perf/dcache"
