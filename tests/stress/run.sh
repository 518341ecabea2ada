#!/bin/sh
# Stress checks: many processes and threads using the overlay at once.
#   sh tests/stress/run.sh /abs/path/fuss /abs/path/probe [CHECK-GLOB]
# (PROBE is taken like the other runners take it; no check needs it yet.)
#
# Each check builds its lower layers once, runs a workload natively on a
# plain copy of the merged tree (the expected result), then under fuss on
# fresh copies of the layers, with --workers=4 --whiteout=chardev (and the
# runs FUSS_STRESS_RUNS lists, e.g. "4:chardev 1:fileprefix"). Each fuss
# run must:
#  - exit 0 and print what the native run printed (run-dir paths replaced);
#  - show, at the end of the same run, the merged tree of the native run
#    (tests/e2e/tree.sh: paths, types, modes, sizes, checksums, xattrs);
#  - leave layers that fuss, started again read-only on them, shows as
#    the same tree;
#  - leave the lower layers byte-identical and the host's mountpoint path
#    empty;
#  - leave an upper dir without temp files: every entry in it is in the
#    merged view, and every whiteout hides a name of a lower layer.
# Where root can mount a kernel overlayfs, the workloads marked for it also
# run in a kernel overlay of identical fresh layers, and fuss's upper dir
# must equal the kernel's (markers normalised as in tests/e2e/run.sh);
# otherwise that comparison prints SKIP with the reason.
#
# The checks:
#  make-j32   a generated 500-file C project (tests/stress/project.sh) split
#             over two lower layers, changed in the overlay, built with
#             make -j32, changed again and rebuilt: make's work, the
#             objects, the archive and the program are the same bytes as
#             in the native build
#  churn      64 processes x 200 iterations of create, write, rename and
#             unlink in a shared directory of the lower layers (copy-ups,
#             whiteouts) and in private directories (src/churn.c)
#  threads    16 threads of one process doing open, stat, unlink, create,
#             write and read-back on lower and new files (src/threads.c)
# The workloads check every result themselves and exit non-zero on the
# first wrong one.
#
# FUSS_BALANCE=MODE       pass --balance=MODE to fuss
# FUSS_STRESS_RUNS="W:MODE ..."  the fuss runs: workers and whiteout format
#                         of each (default "4:chardev")
# FUSS_STRESS_TIMEOUT=N   seconds allowed for one run (default 300); a run
#                         that takes longer is killed and fails
# FUSS_STRESS_KEEP=1      keep the run directory (/tmp/fuss-stress.*)
# FUSS_STRESS_CHURN="P I" churn's processes and iterations (default "64 200")
# FUSS_STRESS_THREADS="T I" threads' threads and iterations (default "16 400");
#                         make check-asan runs lighter settings
#
# Prints PASS/FAIL/SKIP per check, then "stress: N passed, N failed,
# N skipped"; exits 1 if anything failed.
set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: run.sh /abs/path/fuss /abs/path/probe [CHECK-GLOB]" >&2
	exit 2
fi
FUSS=$1
PROBE=$2
GLOB=${3:-*}
HERE=$(cd "$(dirname "$0")" && pwd)
TREE=$HERE/../e2e/tree.sh
TMO=${FUSS_STRESS_TIMEOUT:-300}
KEEP=${FUSS_STRESS_KEEP:-0}
BALANCE=
[ -n "${FUSS_BALANCE:-}" ] && BALANCE=--balance=$FUSS_BALANCE
# workers and whiteout format of each fuss run
RUNS=${FUSS_STRESS_RUNS:-4:chardev}

export LC_ALL=C TZ=UTC
unset CDPATH ENV BASH_ENV 2>/dev/null || true
umask 022

for x in "$FUSS" "$PROBE"; do
	if [ ! -x "$x" ]; then
		echo "run.sh: $x: not an executable" >&2
		exit 2
	fi
done

TOP=$(mktemp -d /tmp/fuss-stress.XXXXXX)
chmod 0755 "$TOP"
M=$(mktemp -d /tmp/fuss-stress-m.XXXXXX)

unmount_all() {
	n=0
	while mountpoint -q "$M" 2>/dev/null && [ $n -lt 10 ]; do
		umount "$M" 2>/dev/null || umount -l "$M" 2>/dev/null || true
		n=$((n + 1))
	done
}

cleanup() {
	unmount_all
	if [ "$KEEP" = 1 ]; then
		echo "run.sh: kept $TOP (mountpoint $M)" >&2
	else
		rm -rf "$TOP"
		mountpoint -q "$M" || rm -rf "$M"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

passed=0
failed=0
skipped=0

# result NAME SECONDS: PASS or FAIL with the reasons gathered in $why.
result() {
	if [ -z "$why" ]; then
		echo "PASS $1 (${2}s)"
		passed=$((passed + 1))
	else
		echo "FAIL $1: $why"
		[ -s "$detail" ] && head -n 40 "$detail"
		failed=$((failed + 1))
	fi
	: >"$detail"
}

skip() {
	echo "SKIP $1: $2"
	skipped=$((skipped + 1))
}

# bad REASON: adds a reason to $why.
bad() {
	why="$why${why:+; }$1"
}

# same WHAT EXPECTED ACTUAL: a reason and a capped diff when they differ.
same() {
	if ! cmp -s "$2" "$3"; then
		bad "$1"
		diff -u --label expected --label actual "$2" "$3" |
			head -n 30 >>"$detail"
	fi
}

detail=$TOP/detail
: >"$detail"

# The kernel overlay is the second oracle where root can mount it.
kskip=
if [ "$(id -u)" -ne 0 ]; then
	kskip="not root: a kernel overlayfs mount is needed"
else
	t=$TOP/mount-test
	mkdir -p "$t/L1" "$t/L2" "$t/U" "$t/W"
	if mount -t overlay overlay -o "lowerdir=$t/L1:$t/L2,upperdir=$t/U,workdir=$t/W" \
		"$M" 2>"$t/err"; then
		unmount_all
	else
		kskip="mount -t overlay failed: $(head -n 1 "$t/err")"
	fi
	rm -rf "$t"
fi

# Helper programs.
BIN=$TOP/bin
mkdir -p "$BIN"
build_err=
for p in churn threads; do
	if ! cc -std=gnu11 -Wall -Wextra -Werror -O2 -pthread \
		-o "$BIN/$p" "$HERE/src/$p.c" 2>"$TOP/cc.err"; then
		build_err="$build_err${build_err:+; }$p: $(head -n 1 "$TOP/cc.err")"
	fi
done
if [ -n "$build_err" ]; then
	why="cc failed: $build_err"
	result build 0
fi

now() { date +%s; }

# flatten OUT LOWER...: a plain copy of the merged view of the lower layers
# (given bottom first) in OUT. The layers hold `.wh.NAME` whiteouts only.
flatten() {
	fout=$1
	shift
	mkdir -p "$fout"
	for fl in "$@"; do
		(cd "$fl" && find . -name '.wh.*' ! -name '.wh..wh..opq') |
			while read -r fw; do
				rm -rf "${fout:?}/${fw%/*}/${fw##*/.wh.}"
			done
		cp -a "$fl/." "$fout/"
		find "$fout" -name '.wh.*' -exec rm -f {} +
	done
}

# merged_tree DIR OUT: the merged view below DIR (no markers).
merged_tree() {
	TREE_MARKERS=none timeout -k 5 "$TMO" sh "$TREE" "$1" >"$2" 2>&1 ||
		echo "tree.sh failed: $?" >>"$2"
}

# check_upper RUNDIR MODE MERGED: an upper dir without strays: no temp
# names, every entry in the merged view, every whiteout over a lower name.
check_upper() {
	cu=$1
	if [ -n "$(find "$cu/U" -name '.fuss-tmp*' | head -n 1)" ]; then
		bad "temp files of fuss left in the upper dir"
		find "$cu/U" -name '.fuss-tmp*' | head -n 10 >>"$detail"
	fi
	TREE_MARKERS=$2 sh "$TREE" "$cu/U" >"$cu/upper.tree"
	awk '{ print $1 }' "$3" | sort >"$cu/merged.paths"
	awk '$2 != "WHITEOUT" { print $1 }' "$cu/upper.tree" | sort >"$cu/upper.paths"
	comm -13 "$cu/merged.paths" "$cu/upper.paths" >"$cu/stray"
	if [ -s "$cu/stray" ]; then
		bad "upper entries that are not in the merged view"
		head -n 10 "$cu/stray" >>"$detail"
	fi
	awk '$2 == "WHITEOUT" { print $1 }' "$cu/upper.tree" | while read -r wp; do
		if grep -qxF "$wp" "$cu/merged.paths"; then
			echo "whiteout over a visible name: $wp"
		elif [ ! -e "$cu/L1/$wp" ] && [ ! -L "$cu/L1/$wp" ] &&
			[ ! -e "$cu/L2/$wp" ] && [ ! -L "$cu/L2/$wp" ]; then
			echo "whiteout that hides nothing: $wp"
		fi
	done >"$cu/badwh"
	if [ -s "$cu/badwh" ]; then
		bad "wrong whiteouts in the upper dir"
		head -n 10 "$cu/badwh" >>"$detail"
	fi
}

# workload NAME KERNEL SETUP CMD...: the check described at the top. SETUP
# L1 L2 writes the lower layers; CMD DIR runs the workload on DIR (a plain
# tree or the overlay). KERNEL=1: also in a kernel overlay.
workload() {
	name=$1
	kernel=$2
	setup=$3
	shift 3
	# shellcheck disable=SC2254 # GLOB is a pattern on purpose
	case $name in
	$GLOB) ;;
	*) return ;;
	esac
	W=$TOP/$name
	mkdir -p "$W/base/L1" "$W/base/L2"
	why=
	if ! $setup "$W/base/L1" "$W/base/L2" >"$W/setup.log" 2>&1; then
		bad "setup failed: $(head -n 1 "$W/setup.log")"
		result "$name" 0
		return
	fi
	for l in L1 L2; do
		TREE_RAW=1 sh "$TREE" "$W/base/$l" >"$W/$l.before"
	done

	# the expected result: the workload on a plain copy
	t0=$(now)
	flatten "$W/native" "$W/base/L2" "$W/base/L1"
	(cd / && timeout -k 5 "$TMO" "$@" "$W/native" \
		>"$W/native.out" 2>"$W/native.err" </dev/null)
	st=$?
	merged_tree "$W/native" "$W/expected"
	sed "s|$W/native|<DIR>|g" "$W/native.out" >"$W/expected.out"
	if [ $st -ne 0 ]; then
		bad "native run failed with status $st"
		head -n 20 "$W/native.err" >>"$detail"
		result "$name native" $(($(now) - t0))
		return
	fi
	[ "$KEEP" = 1 ] || rm -rf "$W/native"

	# the kernel's upper dir
	kok=0
	if [ "$kernel" = 1 ] && [ -z "$kskip" ]; then
		K=$W/kernel
		cp -a "$W/base" "$K"
		mkdir -p "$K/U" "$K/W"
		t0=$(now)
		if mount -t overlay overlay -o "lowerdir=$K/L1:$K/L2,upperdir=$K/U,workdir=$K/W,redirect_dir=off,index=off,metacopy=off" \
			"$M" 2>"$K/mount.err"; then
			(cd / && timeout -k 5 "$TMO" "$@" "$M" >"$K/out" 2>"$K/err" </dev/null)
			st=$?
			merged_tree "$M" "$K/merged"
			unmount_all
			TREE_MARKERS=chardev sh "$TREE" "$K/U" >"$K/upper"
			[ $st -eq 0 ] || bad "status $st in the kernel overlay"
			sed "s|$M|<DIR>|g" "$K/out" >"$K/out.n"
			same "the kernel run's output differs from the native run" \
				"$W/expected.out" "$K/out.n"
			same "the kernel's merged view differs from the native run" \
				"$W/expected" "$K/merged"
			if [ -z "$why" ]; then
				kok=1
			else
				head -n 20 "$K/err" >>"$detail"
			fi
		else
			bad "mount -t overlay failed: $(head -n 1 "$K/mount.err")"
		fi
		result "$name kernel-oracle" $(($(now) - t0))
	fi

	for r in $RUNS; do
		workers=${r%%:*}
		mode=${r#*:}
		label="$name [workers=$workers whiteout=$mode]"
		R=$W/run-$workers-$mode
		cp -a "$W/base" "$R"
		mkdir -p "$R/U"
		why=
		t0=$(now)
		# The workload, then the merged tree as fuss shows it.
		# shellcheck disable=SC2086,SC2016 # $BALANCE: one word or none
		(cd / && OUT=$R timeout -k 5 "$TMO" "$FUSS" --mountpoint="$M" \
			--lowerdir="$R/L1:$R/L2" --upperdir="$R/U" \
			--workers="$workers" --whiteout="$mode" $BALANCE -- \
			sh -c '"$@" "$M" >"$OUT/out" 2>"$OUT/err" || exit $?
				TREE_MARKERS=none exec sh "$TREE" "$M"' sh "$@" \
			>"$R/merged" 2>"$R/tree.err" </dev/null)
		st=$?
		t1=$(now)
		for l in L1 L2; do
			TREE_RAW=1 sh "$TREE" "$R/$l" >"$R/$l.after"
			same "lower $l changed" "$W/$l.before" "$R/$l.after"
		done
		if [ -n "$(ls -A "$M")" ]; then
			bad "wrote into the host's mountpoint dir"
			find "$M" -mindepth 1 | head -n 10 >>"$detail"
		fi
		if [ $st -ne 0 ]; then
			# the rest would only show that the run did not finish
			if [ $st -eq 124 ] || [ $st -eq 137 ]; then
				bad "timed out after ${TMO}s (status $st)"
			else
				bad "status $st"
			fi
			for f in "$R/err" "$R/tree.err"; do
				[ -s "$f" ] && head -n 20 "$f" >>"$detail"
			done
		else
			sed "s|$M|<DIR>|g" "$R/out" >"$R/out.n"
			same "output differs from the native run" \
				"$W/expected.out" "$R/out.n"
			same "merged view at the end of the run differs from the native run" \
				"$W/expected" "$R/merged"
			# the layers as left on disk, read by a new read-only fuss
			TREE_MARKERS=none timeout -k 5 "$TMO" "$FUSS" --mountpoint="$M" \
				--lowerdir="$R/U:$R/L1:$R/L2" -- sh "$TREE" "$M" \
				>"$R/reread" 2>&1 </dev/null ||
				echo "fuss failed: $?" >>"$R/reread"
			same "the layers read again differ from the native run" \
				"$W/expected" "$R/reread"
			check_upper "$R" "$mode" "$W/expected"
		fi
		result "$label" $((t1 - t0))

		if [ "$kernel" = 1 ]; then
			if [ $st -ne 0 ]; then
				skip "$label upper = kernel's upper" "the run under fuss failed"
			elif [ -n "$kskip" ]; then
				skip "$label upper = kernel's upper" "$kskip"
			elif [ "$kok" = 0 ]; then
				skip "$label upper = kernel's upper" "the kernel's run failed"
			else
				why=
				same "upper dir differs from the kernel's" "$K/upper" "$R/upper.tree"
				result "$label upper = kernel's upper" 0
			fi
		fi
		[ "$KEEP" = 1 ] || rm -rf "$R"
	done
}
export M TREE

# ---- make -j32 of a 500-file project ----
setup_make() {
	sh "$HERE/project.sh" layers "$1" "$2"
}
if command -v make >/dev/null 2>&1 && command -v cc >/dev/null 2>&1; then
	workload make-j32 0 setup_make sh "$HERE/project.sh" build
else
	skip make-j32 "needs make and cc"
fi

# ---- 64 processes x 200 iterations ----
# shared/low-<i>-<k>: k < 3 in L2, k >= 3 in L1 over an older copy in L2;
# priv/p<i> with old-0..2 in L2 for even i.
setup_churn() {
	mkdir -p "$1/shared" "$2/shared" "$2/priv"
	i=0
	while [ $i -lt 64 ]; do
		for k in 0 1 2; do
			printf 'low %d %d bottom\n' $i $k >"$2/shared/low-$i-$k"
		done
		for k in 3 4; do
			printf 'low %d %d top\n' $i $k >"$1/shared/low-$i-$k"
			printf 'old copy %d %d\n' $i $k >"$2/shared/low-$i-$k"
		done
		if [ $((i % 2)) -eq 0 ]; then
			mkdir "$2/priv/p$i"
			for k in 0 1 2; do
				printf 'old %d %d\n' $i $k >"$2/priv/p$i/old-$k"
			done
		fi
		i=$((i + 1))
	done
	printf 'not touched\n' >"$2/shared/untouched"
}
if [ -x "$BIN/churn" ]; then
	# shellcheck disable=SC2086 # two numbers
	workload churn 1 setup_churn "$BIN/churn" ${FUSS_STRESS_CHURN:-64 200}
else
	skip churn "the helper did not build"
fi

# ---- 16 threads ----
setup_threads() {
	mkdir -p "$1/tl" "$2/tl" "$2/tw"
	for c in 0 1 2 3; do
		printf 'common %d bottom\n' $c >"$2/tl/common-$c"
	done
	printf 'common 2 top\n' >"$1/tl/common-2"
	t=0
	while [ $t -lt 16 ]; do
		for k in 0 1 2; do
			printf 'own %d %d\n' $t $k >"$2/tl/own-$t-$k"
		done
		t=$((t + 1))
	done
	printf 'lower\n' >"$2/tw/present"
}
if [ -x "$BIN/threads" ]; then
	# shellcheck disable=SC2086 # two numbers
	workload threads 1 setup_threads "$BIN/threads" ${FUSS_STRESS_THREADS:-16 400}
else
	skip threads "the helper did not build"
fi

echo "stress: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
