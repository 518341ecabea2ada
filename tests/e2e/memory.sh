#!/bin/sh
# Memory bound: fuss's resident memory (tracer + vfsd) while find, du -s
# and ls -lR walk a 70 000-file tree spread over two lower layers, which
# is larger than a small dentry cache (so the cache is flushed and refilled
# during the walk) and than the default one.
#   1. --cache-mb=4, default workers: find and ls -lR;
#   2. default cache (10 MiB), --workers=8: find and du -s.
# (Each of ls -lR and du -s stats every file: one of them per run keeps
# the runner near half a minute on an idle 2-core machine.)
# Each run must stay under 64 MiB + the cache size, measured as the sum of
# both processes' VmHWM (the shared segment counted twice: a stricter
# figure than the real one), and print what each walk prints over a kernel
# overlayfs mount of the same layers (or, where it cannot mount, a merged
# copy: file count and du only).
#   sh tests/e2e/memory.sh /abs/path/fuss /abs/path/probe
# FUSS_MEMORY_BOUND_MB=N replaces the 64 MiB (a sanitizer build's shadow
# memory does not fit in it).
# Prints PASS/FAIL/SKIP per check and "memory: N passed, N failed, N skipped".
set -u
FUSS=$1
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C
T=$(mktemp -d /tmp/fuss-memory.XXXXXX)
cleanup() {
	mountpoint -q "$T/k" 2>/dev/null && umount "$T/k"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$HERE/report.sh"

BOUND_MB=${FUSS_MEMORY_BOUND_MB:-64}
M=$T/m

python3 "$HERE/memory.py" tree "$T" || { echo "memory: cannot build the tree" >&2; exit 1; }

# The expected output, from the same walks in a kernel overlay mount; the
# walks run from inside the mount so the paths they print are relative.
walks='find . | wc -l; du -s .; ls -lR . | md5sum'
mkdir "$T/k"
if mount -t overlay overlay -o "lowerdir=$T/l1:$T/l2" "$T/k" 2>/dev/null; then
	ref="kernel overlayfs"
	(cd "$T/k" && sh -c "$walks") >"$T/want"
	umount "$T/k"
else
	ref="merged copy"
	mkdir "$T/copy"
	cp -a "$T/l2/." "$T/copy" && cp -a "$T/l1/." "$T/copy"
	(cd "$T/copy" && sh -c "$walks") >"$T/want"
	rm -rf "$T/copy"
fi

# mem_run NAME CACHE_MB WALKS FUSS_OPTION...
mem_run() {
	name=$1 mb=$2 cmd=$3
	shift 3
	python3 "$HERE/memory.py" watch "$T/peaks" -- "$FUSS" --mountpoint="$M" \
		--lowerdir="$T/l1:$T/l2" --cache-mb="$mb" "$@" \
		-- sh -c "cd '$M' && { $cmd; }" >"$T/got" 2>"$T/err"
	st=$?
	read -r tr vf once <"$T/peaks"
	sum=$((tr + vf))
	limit=$(((BOUND_MB + mb) * 1024))
	echo "memory: $name: tracer peak $((tr / 1024)) MiB, vfsd peak $((vf / 1024)) MiB," \
		"sum $((sum / 1024)) MiB (shared segment counted once: $((once / 1024)) MiB);" \
		"bound $((limit / 1024)) MiB"
	if [ "$st" -ne 0 ] || [ "$tr" -eq 0 ] || [ "$vf" -eq 0 ]; then
		ko "$name-rss" "status $st, no sample of both processes: $(head -c 300 "$T/err")"
	elif [ "$sum" -lt "$limit" ]; then
		ok "$name-rss"
	else
		ko "$name-rss" "tracer + vfsd peak $sum KiB >= $limit KiB"
	fi
}

# expect_walks NAME SED: the reference lines SED selects (1: find's count,
# 2: du -s, 3: ls -lR's checksum).
expect_walks() {
	sed -n "$2" "$T/want" >"$T/want.n"
	cp "$T/got" "$T/got.n"
	if [ "$ref" = "merged copy" ] && grep -q ' -$' "$T/want.n"; then
		sed -i '$d' "$T/want.n"
		sed -i '$d' "$T/got.n"
		sk "$1-ls-lR" "no kernel overlay mount here: ls -lR of a copy shows other times and sizes"
	fi
	if cmp -s "$T/want.n" "$T/got.n"; then
		ok "$1-output"
	else
		ko "$1-output" "want [$(tr '\n' ' ' <"$T/want.n")] ($ref), got [$(tr '\n' ' ' <"$T/got.n")]"
	fi
}

mem_run small-cache 4 'find . | wc -l; ls -lR . | md5sum'
expect_walks small-cache '1p;3p'
mem_run workers-8 10 'find . | wc -l; du -s .' --workers=8
expect_walks workers-8 '1p;2p'

echo "memory: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
