#!/bin/sh
# The randomized differential test's short campaign for `make test`: fixed
# seeds, each a pair of random lower layers and a random operation
# sequence run under fuss (both whiteout formats) and in a kernel overlayfs
# mount, compared after every step (tests/random/rdiff.py says how).
#   sh tests/random/run.sh /abs/path/fuss /abs/path/probe
# FUSS_RANDOM_SEEDS=A-B  the seeds (default 1-10)
# FUSS_RANDOM_OPS=N      operations per sequence (default 120)
# One check per seed and format; prints "random: N passed, N failed,
# N skipped" and exits 1 if anything failed. Not root, or no overlay
# mount: every check is a SKIP with the reason. `make soak SECONDS=N` runs
# fresh seeds for longer and minimises what fails.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: run.sh /abs/path/fuss [/abs/path/probe]" >&2
	exit 2
fi
FUSS=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/report.sh"
SEEDS=${FUSS_RANDOM_SEEDS:-1-10}
OPS=${FUSS_RANDOM_OPS:-120}

if ! command -v python3 >/dev/null 2>&1; then
	sk random "python3 is not installed"
else
	out=$(mktemp /tmp/fuss-random.XXXXXX)
	python3 "$HERE/rdiff.py" campaign --fuss "$FUSS" --seeds "$SEEDS" \
		--ops "$OPS" >"$out" 2>&1 || ko campaign "rdiff.py exited with $?"
	# rdiff.py prints "ok|ko|sk NAME [REASON]" and indented detail lines
	while IFS= read -r line; do
		name=${line#?? }
		name=${name%% *}
		case $line in
		"ok "*) ok "$name" ;;
		"ko "*) ko "$name" "${line#ko "$name" }" ;;
		"sk "*) sk "$name" "${line#sk "$name" }" ;;
		*) echo "$line" ;;
		esac
	done <"$out"
	rm -f "$out"
fi
echo "random: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
