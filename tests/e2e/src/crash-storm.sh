#!/bin/sh
# The storm of tests/e2e/crash.sh, run under fuss over the layers of
# crash-check.py: 6 processes append whole records ("wP:SEQ.") to the 500
# lower files, each starting in another dir so copy-ups overlap; one
# truncates every 5th file back to its lower size; one rewrites r/r*
# ("r7:SEQ."). Each goes over its files again and again until the host
# file STOP exists (or it is killed). Errors go to ERRFILE and the storm
# goes on (vfsd may be killed under it).
#   sh crash-storm.sh MOUNTPOINT PROBE STOP SIZES ERRFILE
# SIZES lists "PATH SIZE" of the files to truncate, PATH relative.
M=$1
PROBE=$2
STOP=$3
SIZES=$4
exec 2>"$5"

append() {
	n=0
	while [ ! -e "$STOP" ]; do
		for i in 0 1 2 3 4 5 6 7 8 9; do
			d=$(((i + $1) % 10))
			for s in 0 1 2 3 4; do
				for f in 0 1 2 3 4 5 6 7 8 9; do
					n=$((n + 1))
					echo "w$1:$n." >>"$M/d$d/s$s/f$f"
				done
			done
		done
	done
}

truncate_back() {
	while [ ! -e "$STOP" ]; do
		while read -r rel size; do
			"$PROBE" truncate "$M/$rel" "$size" >/dev/null
		done <"$SIZES"
	done
}

rewrite() {
	n=0
	while [ ! -e "$STOP" ]; do
		for i in 0 1 2 3 4 5 6 7 8 9; do
			n=$((n + 1))
			echo "r7:$n." >"$M/r/r$((n % 50))"
		done
	done
}

for p in 0 1 2 3 4 5; do
	append $p &
done
truncate_back &
rewrite &
wait
