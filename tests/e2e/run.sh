#!/bin/sh
# End-to-end harness: runs every scenario under fuss and in a kernel
# overlayfs mount built from identical layers, and compares the two.
#   sh tests/e2e/run.sh /abs/path/fuss /abs/path/probe [SCENARIO-GLOB]
#
# For each scenario and each whiteout mode (fileprefix, chardev):
#  1. fresh layers (fixture.sh), the scenario run under fuss;
#  2. the lower layers must be unchanged by that run (raw tree.sh), and
#     nothing may appear in the host's directory at the mountpoint path;
#  3. fresh identical layers mounted with `mount -t overlay` at the same
#     mountpoint, the scenario run with plain sh -e;
#  4. exit status, stdout, stderr (run-dir paths replaced by placeholders)
#     and the upper dirs (tree.sh, markers normalised) must be equal; fuss's
#     upper dir is read in the marker format of the mode it ran in, so
#     markers of the other format show up as differences;
#  5. chardev mode only: the kernel mounts fuss's own resulting layers and
#     must show the same merged tree as in its own run.
# Scenario headers (comment lines): "# modes: chardev", "# needs: git make",
# "# tree: mtime" (also compare mtimes of regular files in the upper dirs).
#
# FUSS_E2E_KEEP=1      keep the run directories (/tmp/fuss-e2e.*)
# FUSS_E2E_SELFTEST=1  run the kernel in place of fuss (validates the harness)
# FUSS_E2E_TIMEOUT=N   seconds allowed for one scenario run (default 120)
#
# Prints PASS/FAIL/SKIP per scenario and mode, then
# "e2e: N passed, N failed, N skipped"; exits 1 if anything failed.
set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: run.sh /abs/path/fuss /abs/path/probe [SCENARIO-GLOB]" >&2
	exit 2
fi
FUSS=$1
PROBE=$2
GLOB=${3:-*}
HERE=$(cd "$(dirname "$0")" && pwd)
SELFTEST=${FUSS_E2E_SELFTEST:-0}
KEEP=${FUSS_E2E_KEEP:-0}
TMO=${FUSS_E2E_TIMEOUT:-120}
MODES="fileprefix chardev"
DIFFCAP=40

export LC_ALL=C TZ=UTC
unset CDPATH ENV BASH_ENV GIT_DIR GIT_WORK_TREE 2>/dev/null || true
umask 022

if [ "$SELFTEST" != 1 ] && [ ! -x "$FUSS" ]; then
	echo "run.sh: $FUSS: not an executable" >&2
	exit 2
fi
if [ ! -x "$PROBE" ]; then
	echo "run.sh: $PROBE: not an executable" >&2
	exit 2
fi

TOP=$(mktemp -d /tmp/fuss-e2e.XXXXXX)
# Layers must be reachable by a scenario that drops to another user, as a
# user's own layers are under fuss (the kernel reads them as the mounter).
chmod 0755 "$TOP"
M=$(mktemp -d /tmp/fuss-e2e-m.XXXXXX)

# Unmounts everything stacked on $M.
unmount_all() {
	n=0
	while mountpoint -q "$M" 2>/dev/null && [ $n -lt 10 ]; do
		umount "$M" 2>/dev/null || umount -l "$M" 2>/dev/null || true
		n=$((n + 1))
	done
}

# reset_m: an empty mountpoint directory, whatever an earlier run left there.
reset_m() {
	unmount_all
	if mountpoint -q "$M"; then
		echo "run.sh: cannot unmount $M" >&2
		exit 2
	fi
	rm -rf "$M"
	mkdir -m 0755 "$M"
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
trap 'exit 141' PIPE

# ovl_mount LAYERDIR WORKDIR: kernel overlay of LAYERDIR/{L1,L2,U} at $M.
# redirect_dir, index and metacopy are off so that the kernel writes the
# plain format fuss writes (a directory rename that needs a redirect gives
# EXDEV).
ovl_mount() {
	mkdir -p "$2"
	mount -t overlay overlay \
		-o "lowerdir=$1/L1:$1/L2,upperdir=$1/U,workdir=$2,redirect_dir=off,index=off,metacopy=off" \
		"$M"
}

# header SCENARIO KEY: the words after "# KEY:" in the scenario's header.
header() {
	sed -n "s/^# $2:[[:space:]]*//p" "$1" | head -n 1
}

# run_scenario SCENARIO RUNDIR CMD...: runs CMD with cwd=/, env for the
# scenario, output into RUNDIR/{stdout,stderr,status}.
run_scenario() {
	scen=$1
	rdir=$2
	shift 2
	mkdir -p "$rdir/home"
	(
		cd / || exit 1
		HOME=$rdir/home M=$M PROBE=$PROBE GIT_CONFIG_NOSYSTEM=1 \
			timeout -k 5 "$TMO" "$@" </dev/null >"$rdir/stdout" 2>"$rdir/stderr"
	)
	echo $? >"$rdir/status"
}

# normalise RUNDIR FILE: replaces run-dir paths with placeholders.
normalise() {
	sed -e "s|$M|<M>|g" -e "s|$1|<RUN>|g" -e "s|$TOP|<TOP>|g" "$2"
}

# compare WHAT EXPECTED ACTUAL [LABEL1 LABEL2]: appends a capped unified
# diff to $rd/detail and WHAT to $what when the files differ.
compare() {
	if ! cmp -s "$2" "$3"; then
		what="$what${what:+, }$1"
		diff -u --label "${4:-kernel} $1" --label "${5:-fuss} $1" "$2" "$3" >"$rd/diff.tmp"
		lines=$(wc -l <"$rd/diff.tmp")
		head -n "$DIFFCAP" "$rd/diff.tmp" >>"$rd/detail"
		if [ "$lines" -gt "$DIFFCAP" ]; then
			echo "... ($((lines - DIFFCAP)) more lines)" >>"$rd/detail"
		fi
	fi
}

passed=0
failed=0
skipped=0

skip_all=
if [ "$(id -u)" -ne 0 ]; then
	skip_all="not root: a kernel overlayfs mount is needed as the oracle"
else
	t=$TOP/mount-test
	mkdir -p "$t/L1" "$t/L2" "$t/U"
	if ovl_mount "$t" "$t/W" 2>"$t/err"; then
		unmount_all
	else
		skip_all="mount -t overlay failed: $(head -n 1 "$t/err")"
	fi
	rm -rf "$t"
fi

for scen in "$HERE"/scenarios/*.sh; do
	[ -e "$scen" ] || continue
	name=$(basename "$scen" .sh)
	# shellcheck disable=SC2254 # GLOB is a pattern on purpose
	case $name in
	$GLOB) ;;
	*) continue ;;
	esac
	modes=$(header "$scen" modes)
	needs=$(header "$scen" needs)
	treeopt=$(header "$scen" tree)
	missing=
	for tool in $needs; do
		command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
	done
	tree_mtime=0
	case " $treeopt " in *" mtime "*) tree_mtime=1 ;; esac

	for mode in $MODES; do
		if [ -n "$modes" ]; then
			case " $modes " in
			*" $mode "*) ;;
			*) continue ;;
			esac
		fi
		if [ -n "$skip_all" ]; then
			echo "SKIP $name [$mode]: $skip_all"
			skipped=$((skipped + 1))
			continue
		fi
		if [ -n "$missing" ]; then
			echo "SKIP $name [$mode]: needs$missing"
			skipped=$((skipped + 1))
			continue
		fi

		rd=$TOP/$name.$mode
		F=$rd/f
		K=$rd/k
		mkdir -p "$rd"
		: >"$rd/detail"
		what=
		if ! sh "$HERE/fixture.sh" "$F" "$M" >"$rd/fixture.log" 2>&1 ||
			! sh "$HERE/fixture.sh" "$K" "$M" >>"$rd/fixture.log" 2>&1; then
			echo "FAIL $name [$mode]: fixture.sh failed"
			sed -n "1,${DIFFCAP}p" "$rd/fixture.log"
			failed=$((failed + 1))
			continue
		fi
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L1" >"$rd/l1.before"
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L2" >"$rd/l2.before"

		# 1. under fuss (or the kernel, in selftest mode)
		reset_m
		if [ "$SELFTEST" = 1 ]; then
			if ovl_mount "$F" "$F/W" 2>"$F/mount.err"; then
				run_scenario "$scen" "$F" sh -e "$scen"
				unmount_all
			else
				what="selftest mount failed"
				cat "$F/mount.err" >>"$rd/detail"
			fi
		else
			run_scenario "$scen" "$F" "$FUSS" --mountpoint="$M" \
				--lowerdir="$F/L1:$F/L2" --upperdir="$F/U" \
				--whiteout="$mode" -- sh -e "$scen"
		fi

		# 2. the lower layers and the host's mountpoint dir must not change
		if [ -n "$(ls -A "$M")" ]; then
			what="wrote into the host's mountpoint dir"
			find "$M" -mindepth 1 | head -n 10 >>"$rd/detail"
		fi
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L1" >"$rd/l1.after"
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L2" >"$rd/l2.after"
		compare "lower L1 changed" "$rd/l1.before" "$rd/l1.after" before after
		compare "lower L2 changed" "$rd/l2.before" "$rd/l2.after" before after

		# 3. the oracle: a kernel overlayfs mount of identical layers
		reset_m
		if ovl_mount "$K" "$K/W" 2>"$K/mount.err"; then
			run_scenario "$scen" "$K" sh -e "$scen"
			if [ "$mode" = chardev ]; then
				TREE_MARKERS=none sh "$HERE/tree.sh" "$M" \
					>"$rd/merged.kernel" 2>&1
			fi
			unmount_all
		else
			what="$what${what:+, }kernel mount failed"
			cat "$K/mount.err" >>"$rd/detail"
		fi

		# 4. compare the runs
		if [ -z "$what" ]; then
			fs=$(cat "$F/status")
			ks=$(cat "$K/status")
			if [ "$fs" != "$ks" ]; then
				what="exit status (kernel $ks, fuss $fs)"
			fi
			normalise "$K" "$K/stdout" >"$rd/stdout.kernel"
			normalise "$F" "$F/stdout" >"$rd/stdout.fuss"
			normalise "$K" "$K/stderr" >"$rd/stderr.kernel"
			normalise "$F" "$F/stderr" >"$rd/stderr.fuss"
			compare stdout "$rd/stdout.kernel" "$rd/stdout.fuss"
			compare stderr "$rd/stderr.kernel" "$rd/stderr.fuss"
			# The kernel writes chardev markers; fuss must write only
			# the format it was asked for (the selftest's kernel
			# writes chardev markers in both modes).
			fmarkers=$mode
			[ "$SELFTEST" = 1 ] && fmarkers=chardev
			TREE_MARKERS=chardev TREE_MTIME=$tree_mtime \
				sh "$HERE/tree.sh" "$K/U" >"$rd/upper.kernel"
			TREE_MARKERS=$fmarkers TREE_MTIME=$tree_mtime \
				sh "$HERE/tree.sh" "$F/U" >"$rd/upper.fuss"
			compare "upper tree" "$rd/upper.kernel" "$rd/upper.fuss"

			# 5. the kernel reads fuss's layers as it read its own
			if [ "$mode" = chardev ]; then
				reset_m
			if ovl_mount "$F" "$F/W2" 2>"$F/mount2.err"; then
					TREE_MARKERS=none sh "$HERE/tree.sh" "$M" \
						>"$rd/merged.fuss" 2>&1
					unmount_all
					compare "merged view of fuss's layers" \
						"$rd/merged.kernel" "$rd/merged.fuss"
				else
					what="$what${what:+, }kernel cannot mount fuss's layers"
					cat "$F/mount2.err" >>"$rd/detail"
				fi
			fi
		fi

		if [ -z "$what" ]; then
			echo "PASS $name [$mode]"
			passed=$((passed + 1))
			[ "$KEEP" = 1 ] || rm -rf "$rd"
		else
			echo "FAIL $name [$mode]: $what"
			cat "$rd/detail"
			failed=$((failed + 1))
		fi
	done
done

echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
