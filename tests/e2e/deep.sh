#!/bin/sh
# Real paths longer than PATH_MAX (README "Names and sizes"): the layers sit
# under a 2 KB host path, so a directory tree whose overlay path fits in
# PATH_MAX has real paths beyond it. Each scenario runs under fuss and in a
# kernel overlayfs mount of identical fresh layers (mounted with paths
# relative to the layers' parent, as the full ones do not fit in the
# mount's options); exit status, output and the upper dir (tree.sh) must
# match, and the lower layer must be unchanged. After every fuss run its
# private alias directory (a symlink per long parent directory, made in
# $TMPDIR) must be gone, also when fuss was SIGKILLed.
#   sh tests/e2e/deep.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL/SKIP per check and "deep: N passed, N failed, N skipped";
# exits 1 if anything failed.
set -u
FUSS=$1
PROBE=$2
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/fuss-deep.XXXXXX)
chmod 755 "$T" # scenario 4 reads the layers as another user
M=$T/m
cleanup() {
	umount "$M" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. "$HERE/report.sh"

BASE=$T
for i in 1 2 3 4 5 6 7 8 9 10; do
	BASE=$BASE/$(printf '%0200d' "$i")
done
mkdir -p "$BASE" "$M" "$T/tmp" "$T/out"
N250=$(printf '%250s' "" | tr ' ' d)
export N250 PROBE M

# Fresh layers: L holds a chain of ten 250-byte directories with a file, a
# program and a script at the bottom, and a deep tree to remove.
fresh() {
	rm -rf "$BASE/L" "$BASE/U" "$BASE/W"
	mkdir -p "$BASE/L" "$BASE/U" "$BASE/W"
	# python: the shell's cd would hand the kernel the full path
	python3 - "$BASE/L" <<-'EOF' || exit 1
	import os, shutil, sys
	os.chdir(sys.argv[1])
	for i in range(1, 11):
	    name = os.environ["N250"] + str(i)
	    os.mkdir(name)
	    os.chdir(name)
	open("deepfile", "w").write("lower\n")
	shutil.copy("/bin/true", "true-copy")
	open("script.sh", "w").write('#!/bin/sh\necho "script ran: $0"\n')
	os.chmod("script.sh", 0o755)
	os.makedirs("gone/a/b")
	open("gone/a/b/f", "w").write("x\n")
	EOF
}

run_scenario() {
	_n=$1
	_name=$2
	fresh
	_before=$(TREE_RAW=1 sh "$HERE/tree.sh" "$BASE/L")
	TMPDIR=$T/tmp timeout 120 "$FUSS" --mountpoint="$M" --lowerdir="$BASE/L" \
		--upperdir="$BASE/U" -- sh "$HERE/src/deep-scenario.sh" "$_n" >"$T/out/fuss" 2>&1
	echo "rc $?" >>"$T/out/fuss"
	sh "$HERE/tree.sh" "$BASE/U" >"$T/out/fuss-tree" 2>&1
	_after=$(TREE_RAW=1 sh "$HERE/tree.sh" "$BASE/L")
	_left=$(ls -A "$T/tmp")
	fresh
	if ! (cd "$BASE" && mount -t overlay overlay -o lowerdir=L,upperdir=U,workdir=W "$M"); then
		sk "$_name" "mount -t overlay failed (not root, or no overlayfs)"
		return
	fi
	sh "$HERE/src/deep-scenario.sh" "$_n" >"$T/out/kernel" 2>&1
	echo "rc $?" >>"$T/out/kernel"
	umount "$M"
	sh "$HERE/tree.sh" "$BASE/U" >"$T/out/kernel-tree" 2>&1
	# fuss's messages name the tracer; the kernel's run has no such lines
	if ! diff "$T/out/kernel" "$T/out/fuss" >"$T/out/diff"; then
		ko "$_name" "output differs from the kernel's: $(sed 's/d\{20,\}/D/g' "$T/out/diff" | head -20)"
	elif ! diff "$T/out/kernel-tree" "$T/out/fuss-tree" >"$T/out/diff"; then
		ko "$_name" "upper dir differs: $(sed 's/d\{20,\}/D/g' "$T/out/diff" | head -20)"
	elif [ "$_before" != "$_after" ]; then
		ko "$_name" "the lower layer changed"
	else
		ok "$_name"
	fi
	expect "$_name-aliases-removed" "" "$_left"
}

run_scenario 1 deep-lower-tree
run_scenario 2 deep-16-levels
if command -v python3 >/dev/null; then
	run_scenario 3 deep-exec-socket
else
	sk deep-exec-socket "python3 missing"
fi
run_scenario 4 deep-other-user

# fuss SIGKILLed while a call at depth holds an alias: vfsd removes them.
fresh
TMPDIR=$T/tmp "$FUSS" --mountpoint="$M" --lowerdir="$BASE/L" --upperdir="$BASE/U" -- \
	sh -c "cd '$M'/$N250*1/$N250*2/$N250*3/$N250*4/$N250*5/$N250*6/$N250*7/$N250*8/$N250*9/$N250*10 &&
		cat deepfile && sleep 30" >"$T/out/killed" 2>&1 &
FPID=$!
if wait_for 10 grep -q lower "$T/out/killed"; then
	made=$(ls -A "$T/tmp" | wc -l)
	kill -KILL "$FPID"
	wait "$FPID" 2>/dev/null
	if wait_for 10 sh -c "[ -z \"\$(ls -A '$T/tmp')\" ]"; then
		expect deep-killed-aliases-removed "made 1, left 0" "made $made, left 0"
	else
		ko deep-killed-aliases-removed "left: $(ls -A "$T/tmp")"
	fi
else
	kill -KILL "$FPID" 2>/dev/null
	ko deep-killed-aliases-removed "the run did not start: $(cat "$T/out/killed")"
fi

echo "deep: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
