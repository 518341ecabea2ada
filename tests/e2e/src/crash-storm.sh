#!/bin/sh
# The storm of tests/e2e/crash.sh, run under fuss over the layers of
# crash-check.py: 6 processes append whole records ("wP:SEQ.") to the 500
# lower files, each starting in another dir so copy-ups overlap; one
# truncates every 5th file back to its lower size; one rewrites r/r*
# ("r7:SEQ."). Each makes PASSES passes. Errors go to stderr and the storm
# goes on (vfsd may be killed under it).
#   sh crash-storm.sh MOUNTPOINT PROBE PASSES SIZES ERRFILE
# SIZES lists "PATH SIZE" of the files to truncate, PATH relative; the
# storm's errors go to ERRFILE.
M=$1
PROBE=$2
PASSES=$3
SIZES=$4
exec 2>"$5"

append() {
	n=0
	pass=0
	while [ $pass -lt "$PASSES" ]; do
		for i in 0 1 2 3 4 5 6 7 8 9; do
			d=$(((i + $1) % 10))
			for s in 0 1 2 3 4; do
				for f in 0 1 2 3 4 5 6 7 8 9; do
					n=$((n + 1))
					echo "w$1:$n." >>"$M/d$d/s$s/f$f"
				done
			done
		done
		pass=$((pass + 1))
	done
}

truncate_back() {
	pass=0
	while [ $pass -lt "$PASSES" ]; do
		while read -r rel size; do
			"$PROBE" truncate "$M/$rel" "$size" >/dev/null
		done <"$SIZES"
		pass=$((pass + 1))
	done
}

rewrite() {
	n=0
	while [ $n -lt $((PASSES * 50)) ]; do
		n=$((n + 1))
		echo "r7:$n." >"$M/r/r$((n % 50))"
	done
}

for p in 0 1 2 3 4 5; do
	append $p &
done
truncate_back &
rewrite &
wait
