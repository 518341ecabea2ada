#!/bin/sh
# End-to-end harness: runs every scenario under fuss and in a kernel
# overlayfs mount built from identical layers, compares the two, and checks
# that fuss, the kernel and fuse-overlayfs read each other's layers.
#   sh tests/e2e/run.sh /abs/path/fuss /abs/path/probe [SCENARIO-GLOB]
# (SCENARIO-GLOB may hold several patterns separated by spaces)
#
# fixture.sh builds the starting layers once; every run below starts from
# a fresh copy of them (cp -a, checked once to copy them exactly).
# For each scenario and each whiteout mode (fileprefix, chardev):
#  1. fresh layers, the scenario run under fuss;
#  2. the lower layers must be unchanged by that run (raw tree.sh), and
#     nothing may appear in the host's directory at the mountpoint path;
#  3. fresh identical layers mounted with `mount -t overlay` at the same
#     mountpoint, the scenario run with plain sh -e, and the kernel's merged
#     view (tree.sh, no markers) taken before it unmounts. The kernel's run
#     does not depend on fuss's mode: it runs once per scenario, in the
#     first mode, and serves both;
#  4. exit status, stdout, stderr (run-dir paths replaced by placeholders)
#     and the upper dirs (tree.sh, markers normalised) must be equal; fuss's
#     upper dir is read in the marker format of the mode it ran in, so
#     markers of the other format show up as differences;
#  5. chardev mode only: the kernel mounts fuss's own resulting layers and
#     must show its merged view of step 3 (the kernel does not read the
#     fileprefix format);
#  6. fuse-overlayfs mounts fuss's resulting layers (L1:L2 lower, U upper,
#     a fresh workdir), in both modes (it reads .wh.NAME, .wh..wh..opq, 0:0
#     devices and opaque xattrs), and must show the kernel's merged view;
#  7. once per scenario, with the kernel's run: fuss, read-only, reads the
#     kernel's resulting layers (its upper dir as the top lower layer:
#     --lowerdir=U:L1:L2) and must show the kernel's merged view;
#  8. chardev mode only, for scenarios with "# interop: fuse-overlayfs":
#     the scenario runs again in a fuse-overlayfs mount of a third fresh
#     copy of the layers (as root it writes chardev whiteouts); fuss then
#     reads those layers as in 7 and must show fuse-overlayfs's own merged
#     view (fuse-overlayfs is no oracle: where its view differs from the
#     kernel's, a NOTE line shows the difference and nothing fails).
# Steps 6 and 8 print a SKIP line with the reason (counted as skipped) when
# fuse-overlayfs, fusermount3 or /dev/fuse is missing or a test mount fails.
#
# A scenario NAME.sh may come with NAME.layers, a script run as
# `sh NAME.layers DIR` once on a copy of the fixture's layers (DIR/L1,
# DIR/L2, DIR/U); every run of that scenario then starts from a copy of
# the result. It is for layers too big or too odd to put in every
# scenario's fixture (thousands of entries, very long names).
#
# Scenario headers (comment lines): "# modes: chardev", "# needs: git make",
# "# tree: mtime" (also compare mtimes of regular files in the upper dirs),
# "# interop: fuse-overlayfs" (step 8), "# interop: none" (no steps 5-8:
# layers too big to be read four more times), "# upper: none" (no upper dir: fuss
# runs without --upperdir, the kernel mounts lowerdir=L1:L2 read-only; steps
# 1-4 without the upper-dir comparison, no steps 5-8 since no layer can
# change).
#
# "# unpriv: skip REASON": the scenario cannot run unprivileged (below); it
# prints SKIP with REASON in an unprivileged run.
#
# Unprivileged run (FUSS_E2E_USER=UID[:GID], GID defaults to UID): the
# harness stays root, but fuss and every scenario run as that user with no
# capabilities (setpriv --reuid --regid --clear-groups), on layers the user
# owns: every entry of the fixture is chowned to the user (modes are kept,
# so 0600/0700/0444 entries keep their meaning for their owner) and its
# opaque marker becomes user.overlay.opaque, since trusted.* xattrs are
# invisible without CAP_SYS_ADMIN. The kernel side is mounted by root with
# userxattr (it then reads and writes user.overlay.*, as fuss does
# unprivileged) and the scenario runs inside it as the same user, so
# permission checks apply to that user; the kernel's copy-up still runs
# with the mounter's credentials. Step 8 is skipped (fuse-overlayfs mounted
# by root writes trusted.overlay.* markers, unreadable by the user). Runner
# name: e2e-unpriv.
#
# FUSS_E2E_MODES="chardev"  whiteout modes to run (default: both)
# FUSS_E2E_CROSS=0     only steps 1-4 (no cross-reading steps 5-8)
# FUSS_E2E_KEEP=1      keep the run directories (/tmp/fuss-e2e.*)
# FUSS_E2E_SELFTEST=1  run the kernel in place of fuss (validates the harness)
# FUSS_E2E_TIMEOUT=N   seconds allowed for one scenario run (default 120)
#
# Prints PASS/FAIL/SKIP per scenario and mode (and SKIP lines for the
# fuse-overlayfs steps), then "e2e: N passed, N failed, N skipped"; exits 1
# if anything failed.
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
MODES=${FUSS_E2E_MODES:-fileprefix chardev}
CROSS=${FUSS_E2E_CROSS:-1}
UNPRIV=${FUSS_E2E_USER:-}
DIFFCAP=40
RUNNER=e2e
# AS_USER: the prefix that runs fuss and the scenarios (empty: as root).
AS_USER=
if [ -n "$UNPRIV" ]; then
	RUNNER=e2e-unpriv
	UUID=${UNPRIV%%:*}
	UGID=${UNPRIV#*:}
	case $UUID:$UGID in
	:* | *: | *[!0-9:]* | *:*:*)
		echo "run.sh: FUSS_E2E_USER=$UNPRIV: expected UID or UID:GID" >&2
		exit 2
		;;
	esac
	AS_USER="setpriv --reuid=$UUID --regid=$UGID --clear-groups"
fi

export LC_ALL=C TZ=UTC
unset CDPATH ENV BASH_ENV GIT_DIR GIT_WORK_TREE 2>/dev/null || true
umask 022

for mode in $MODES; do
	case $mode in
	fileprefix | chardev) ;;
	*)
		echo "run.sh: FUSS_E2E_MODES: $mode: expected fileprefix or chardev" >&2
		exit 2
		;;
	esac
done
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
# EXDEV). With an empty WORKDIR: the read-only overlay of L1:L2 alone.
# In an unprivileged run it reads and writes user.overlay.* (userxattr).
ovl_mount() {
	if [ -z "$2" ]; then
		mount -t overlay overlay -o "lowerdir=$1/L1:$1/L2$OVL_XATTR" "$M"
		return
	fi
	mkdir -p "$2"
	mount -t overlay overlay \
		-o "lowerdir=$1/L1:$1/L2,upperdir=$1/U,workdir=$2,$OVL_REDIRECT,index=off,metacopy=off$OVL_XATTR" \
		"$M"
}
# (userxattr refuses redirect_dir=off, which follows redirects: nofollow
# neither makes nor follows them.)
OVL_XATTR=
OVL_REDIRECT=redirect_dir=off
if [ -n "$UNPRIV" ]; then
	OVL_XATTR=,userxattr
	OVL_REDIRECT=redirect_dir=nofollow
fi

# fovl_mount LAYERDIR WORKDIR: fuse-overlayfs of LAYERDIR/{L1,L2,U} at $M
# (it puts itself in the background once the mount is up).
fovl_mount() {
	mkdir -p "$2"
	fuse-overlayfs -o "lowerdir=$1/L1:$1/L2,upperdir=$1/U,workdir=$2" "$M"
}

fovl_umount() {
	fusermount3 -u "$M" 2>/dev/null || umount "$M" 2>/dev/null || true
	unmount_all
}

# merged_view OUT: the merged tree mounted at $M (no markers) into OUT.
merged_view() {
	TREE_MARKERS=none timeout -k 5 60 sh "$HERE/tree.sh" "$M" >"$1" 2>&1 ||
		echo "tree.sh failed: $?" >>"$1"
}

# fuss_view OUT LAYERDIR: the merged tree fuss shows, read-only, of
# LAYERDIR/U:LAYERDIR/L1:LAYERDIR/L2 (the upper dir as the top lower layer),
# into OUT. A failure shows up in OUT. In selftest mode the kernel reads.
fuss_view() {
	reset_m
	if [ "$SELFTEST" = 1 ]; then
		if mount -t overlay overlay \
			-o "lowerdir=$2/U:$2/L1:$2/L2$OVL_XATTR" "$M" 2>"$1.err"; then
			merged_view "$1"
			unmount_all
		else
			cat "$1.err" >"$1"
		fi
	else
		# shellcheck disable=SC2086 # $AS_USER: a command prefix or none
		TREE_MARKERS=none timeout -k 5 "$TMO" $AS_USER "$FUSS" --mountpoint="$M" \
			--lowerdir="$2/U:$2/L1:$2/L2" -- sh "$HERE/tree.sh" "$M" \
			>"$1" 2>&1 </dev/null || echo "fuss failed: $?" >>"$1"
	fi
}

# scenario_fixture SCENARIO NAME: sets SFIX to the layers the scenario
# starts from (and SFIX.L1, SFIX.L2 to their raw trees): the shared
# fixture, or a copy of it with NAME.layers run on it, made once.
scenario_fixture() {
	SFIX=$FIX
	[ -f "${1%.sh}.layers" ] || return 0
	SFIX=$TOP/$2.fixture
	cp -a "$FIX" "$SFIX"
	if ! sh -e "${1%.sh}.layers" "$SFIX" >"$SFIX.log" 2>&1; then
		echo "FAIL $2: $2.layers failed:"
		sed -n "1,${DIFFCAP}p" "$SFIX.log"
		return 1
	fi
	[ -n "$UNPRIV" ] && unpriv_fixture "$SFIX"
	TREE_RAW=1 sh "$HERE/tree.sh" "$SFIX/L1" >"$SFIX.L1"
	TREE_RAW=1 sh "$HERE/tree.sh" "$SFIX/L2" >"$SFIX.L2"
}

# header SCENARIO KEY: the words after "# KEY:" in the scenario's header.
header() {
	sed -n "s/^# $2:[[:space:]]*//p" "$1" | head -n 1
}

# run_scenario SCENARIO RUNDIR CMD...: runs CMD with cwd=/, env for the
# scenario, output into RUNDIR/{stdout,stderr,status}. The caller puts
# $AS_USER in CMD where it belongs; HOME is the user's.
run_scenario() {
	scen=$1
	rdir=$2
	shift 2
	mkdir -p "$rdir/home"
	[ -n "$UNPRIV" ] && chown "$UUID:$UGID" "$rdir/home"
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

# unpriv_check: prints why the unprivileged run cannot go ahead, or
# nothing. The user must reach fuss, the probe and the scenarios, and must
# have no capability left (fuss has to run entirely unprivileged).
unpriv_check() {
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "setpriv is not installed (package util-linux)"
		return
	fi
	for f in "$FUSS" "$PROBE"; do
		[ "$SELFTEST" = 1 ] && [ "$f" = "$FUSS" ] && continue
		if ! $AS_USER test -x "$f"; then
			echo "user $UNPRIV cannot run $f"
			return
		fi
	done
	if ! $AS_USER test -r "$HERE/scenarios" || ! $AS_USER test -x "$HERE/scenarios"; then
		echo "user $UNPRIV cannot read $HERE/scenarios"
		return
	fi
	caps=$($AS_USER sh -c "grep -E '^Cap(Prm|Eff|Amb):' /proc/self/status" |
		awk '{ print $2 }' | sort -u)
	if [ "$caps" != 0000000000000000 ]; then
		echo "setpriv leaves capabilities to user $UNPRIV: $caps"
	fi
}

# unpriv_fixture DIR: the fixture as the user's own layers: every entry
# chowned to the user, trusted.overlay.opaque replaced by user.overlay.opaque
# (the kernel with userxattr and an unprivileged fuss read only that one).
unpriv_fixture() {
	chown -R -h "$UUID:$UGID" "$1"
	getfattr -R -P -h -n trusted.overlay.opaque --absolute-names "$1" 2>/dev/null |
		sed -n 's/^# file: //p' | while IFS= read -r f; do
		setfattr -h -x trusted.overlay.opaque "$f"
		setfattr -h -n user.overlay.opaque -v y "$f"
	done
	# setfattr changes ctime only; mtimes stay the fixture's
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
if [ -z "$skip_all" ] && [ -n "$UNPRIV" ]; then
	skip_all=$(unpriv_check)
fi

# The fuse-overlayfs steps (6 and 8) need the tool, /dev/fuse and a mount.
fovl_skip=
if [ -n "$skip_all" ]; then
	fovl_skip=$skip_all
elif ! command -v fuse-overlayfs >/dev/null 2>&1; then
	fovl_skip="fuse-overlayfs is not installed"
elif ! command -v fusermount3 >/dev/null 2>&1; then
	fovl_skip="fusermount3 is not installed (package fuse3)"
elif [ ! -c /dev/fuse ]; then
	fovl_skip="/dev/fuse is missing"
else
	t=$TOP/fovl-test
	mkdir -p "$t/L1" "$t/L2" "$t/U"
	reset_m
	if fovl_mount "$t" "$t/W" >"$t/err" 2>&1 && mountpoint -q "$M"; then
		fovl_umount
	else
		fovl_skip="fuse-overlayfs mount failed: $(grep -v '^unknown argument ignored' "$t/err" | head -n 1)"
	fi
	rm -rf "$t"
fi

# fovl_skip_line NAME MODE STEP: the SKIP line of a fuse-overlayfs step.
fovl_skip_line() {
	echo "SKIP $1 [$2] $3: $fovl_skip"
	skipped=$((skipped + 1))
}

# Every run starts from a copy (cp -a) of layers fixture.sh builds once; a
# copy that does not read back identical (raw tree.sh) stops the harness.
FIX=$TOP/fixture
if [ -z "$skip_all" ]; then
	if ! sh "$HERE/fixture.sh" "$FIX" "$M" >"$TOP/fixture.log" 2>&1; then
		echo "run.sh: fixture.sh failed:" >&2
		sed -n "1,${DIFFCAP}p" "$TOP/fixture.log" >&2
		exit 2
	fi
	[ -n "$UNPRIV" ] && unpriv_fixture "$FIX"
	cp -a "$FIX" "$TOP/fixture-copy"
	for l in L1 L2 U; do
		TREE_RAW=1 sh "$HERE/tree.sh" "$FIX/$l" >"$TOP/fixture.$l"
		TREE_RAW=1 sh "$HERE/tree.sh" "$TOP/fixture-copy/$l" >"$TOP/copy.$l"
		if ! cmp -s "$TOP/fixture.$l" "$TOP/copy.$l"; then
			echo "run.sh: cp -a does not copy the fixture's $l exactly:" >&2
			diff -u "$TOP/fixture.$l" "$TOP/copy.$l" | head -n "$DIFFCAP" >&2
			exit 2
		fi
	done
	rm -rf "$TOP/fixture-copy"
fi

[ "$CROSS" = 1 ] || echo "run.sh: FUSS_E2E_CROSS=$CROSS: steps 5-8 (layer cross-reading) not run"
[ -n "$UNPRIV" ] && echo "run.sh: fuss and the scenarios run as $UUID:$UGID, the kernel side mounted with userxattr"
for scen in "$HERE"/scenarios/*.sh; do
	[ -e "$scen" ] || continue
	name=$(basename "$scen" .sh)
	selected=0
	set -f # the patterns are matched against names, not expanded
	for g in $GLOB; do
		# shellcheck disable=SC2254 # GLOB is a pattern on purpose
		case $name in
		$g) selected=1 ;;
		esac
	done
	set +f
	[ "$selected" = 1 ] || continue
	modes=$(header "$scen" modes)
	needs=$(header "$scen" needs)
	treeopt=$(header "$scen" tree)
	interop=$(header "$scen" interop)
	upperopt=$(header "$scen" upper)
	unpriv_skip=
	[ -n "$UNPRIV" ] && unpriv_skip=$(header "$scen" unpriv)
	case $unpriv_skip in
	"" | "skip "?*) ;;
	*)
		echo "FAIL $name: unknown header \"# unpriv: $unpriv_skip\""
		failed=$((failed + 1))
		continue
		;;
	esac
	missing=
	for tool in $needs; do
		command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
	done
	tree_mtime=0
	case " $treeopt " in *" mtime "*) tree_mtime=1 ;; esac
	fovl_writer=0
	# "# fuse-overlayfs: skip REASON": fuse-overlayfs itself cannot read
	# the scenario's layers (a fuse-overlayfs problem, said in REASON).
	fovl_noread=$(header "$scen" fuse-overlayfs)
	case " $interop " in *" fuse-overlayfs "*) fovl_writer=1 ;; esac
	cross=1
	case " $interop " in *" none "*) cross=0 ;; esac
	upper=1
	case $upperopt in
	"") ;;
	none) upper=0 ;;
	*)
		echo "FAIL $name: unknown header \"# upper: $upperopt\""
		failed=$((failed + 1))
		continue
		;;
	esac
	# The kernel's run does not depend on the mode fuss writes in: it runs
	# once per scenario (in the first mode) and serves both modes.
	K=$TOP/$name.kernel
	if [ -z "$skip_all" ] && [ -z "$missing" ] && ! scenario_fixture "$scen" "$name"; then
		failed=$((failed + 1))
		continue
	fi
	kdone=0
	kok=0
	scen_failed=0

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
		if [ -n "$unpriv_skip" ]; then
			echo "SKIP $name [$mode]: unprivileged: ${unpriv_skip#skip }"
			skipped=$((skipped + 1))
			continue
		fi

		rd=$TOP/$name.$mode
		F=$rd/f
		O=$rd/o
		mkdir -p "$rd"
		: >"$rd/detail"
		what=
		cp -a "$SFIX" "$F"
		cp "$SFIX.L1" "$rd/l1.before"
		cp "$SFIX.L2" "$rd/l2.before"
		fupper=--upperdir=$F/U
		fw=$F/W
		kw=$K/W
		if [ "$upper" = 0 ]; then
			fupper=
			fw=
			kw=
		fi

		# 1. under fuss (or the kernel, in selftest mode)
		reset_m
		if [ "$SELFTEST" = 1 ]; then
			if ovl_mount "$F" "$fw" 2>"$F/mount.err"; then
				# shellcheck disable=SC2086 # a command prefix or none
				run_scenario "$scen" "$F" $AS_USER sh -e "$scen"
				unmount_all
			else
				what="selftest mount failed"
				cat "$F/mount.err" >>"$rd/detail"
			fi
		else
			# shellcheck disable=SC2086 # $fupper: one word or none; options, prefix
			run_scenario "$scen" "$F" $AS_USER "$FUSS" ${FUSS_E2E_OPTS:-} --mountpoint="$M" \
				--lowerdir="$F/L1:$F/L2" $fupper \
				--whiteout="$mode" -- sh -e "$scen"
		fi

		# 2. the lower layers and the host's mountpoint dir must not change
		if [ -n "$(ls -A "$M")" ]; then
			what="$what${what:+, }wrote into the host's mountpoint dir"
			find "$M" -mindepth 1 | head -n 10 >>"$rd/detail"
		fi
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L1" >"$rd/l1.after"
		TREE_RAW=1 sh "$HERE/tree.sh" "$F/L2" >"$rd/l2.after"
		compare "lower L1 changed" "$rd/l1.before" "$rd/l1.after" before after
		compare "lower L2 changed" "$rd/l2.before" "$rd/l2.after" before after

		# 3. the oracle: a kernel overlayfs mount of identical layers
		# (first mode only), with its merged view and upper dir
		if [ "$kdone" = 0 ]; then
			kdone=1
			cp -a "$SFIX" "$K"
			reset_m
			if ovl_mount "$K" "$kw" 2>"$K/mount.err"; then
				# shellcheck disable=SC2086 # a command prefix or none
				run_scenario "$scen" "$K" $AS_USER sh -e "$scen"
				[ "$upper" = 1 ] && merged_view "$K/merged"
				unmount_all
				kok=1
				[ "$upper" = 1 ] && TREE_MARKERS=chardev TREE_MTIME=$tree_mtime \
					sh "$HERE/tree.sh" "$K/U" >"$K/upper"
			fi
			# 7. fuss reads the kernel's layers (once per scenario)
			if [ "$kok" = 1 ] && [ "$upper" = 1 ] && [ "$cross" = 1 ] && [ "$CROSS" = 1 ]; then
				fuss_view "$K/merged.fuss" "$K"
				compare "fuss's view of the kernel's layers" \
					"$K/merged" "$K/merged.fuss" \
					"kernel, own run:" "fuss on the kernel's layers:"
			fi
		fi
		if [ "$kok" = 0 ]; then
			what="$what${what:+, }kernel mount failed"
			cat "$K/mount.err" >>"$rd/detail"
		fi

		# 4. compare the runs
		if [ "$kok" = 1 ]; then
			fs=$(cat "$F/status" 2>/dev/null || echo none)
			ks=$(cat "$K/status")
			if [ "$fs" != "$ks" ]; then
				what="$what${what:+, }exit status (kernel $ks, fuss $fs)"
			fi
			normalise "$K" "$K/stdout" >"$rd/stdout.kernel"
			normalise "$F" "$F/stdout" >"$rd/stdout.fuss"
			normalise "$K" "$K/stderr" >"$rd/stderr.kernel"
			normalise "$F" "$F/stderr" >"$rd/stderr.fuss"
			compare stdout "$rd/stdout.kernel" "$rd/stdout.fuss"
			compare stderr "$rd/stderr.kernel" "$rd/stderr.fuss"
			# Equal failures to switch user would compare nothing.
			if [ -n "$UNPRIV" ] && grep -q '^probe: cannot drop to' "$K/stderr"; then
				what="$what${what:+, }switches user unprivileged (needs \"# unpriv: skip REASON\")"
			fi
		fi
		if [ "$kok" = 1 ] && [ "$upper" = 1 ]; then
			# The kernel writes chardev markers; fuss must write only
			# the format it was asked for (the selftest's kernel
			# writes chardev markers in both modes).
			fmarkers=$mode
			[ "$SELFTEST" = 1 ] && fmarkers=chardev
			TREE_MARKERS=$fmarkers TREE_MTIME=$tree_mtime \
				sh "$HERE/tree.sh" "$F/U" >"$rd/upper.fuss"
			compare "upper tree" "$K/upper" "$rd/upper.fuss"

			# 5. the kernel reads fuss's layers as it read its own
			if [ "$fmarkers" = chardev ] && [ "$cross" = 1 ] && [ "$CROSS" = 1 ]; then
				reset_m
				if ovl_mount "$F" "$F/W2" 2>"$F/mount2.err"; then
					merged_view "$rd/merged.kernel-on-fuss"
					unmount_all
					compare "kernel's view of fuss's layers" \
						"$K/merged" "$rd/merged.kernel-on-fuss" \
						"kernel, own run:" "kernel on fuss's layers:"
				else
					what="$what${what:+, }kernel cannot mount fuss's layers"
					cat "$F/mount2.err" >>"$rd/detail"
				fi
			fi

			# 6. fuse-overlayfs reads fuss's layers
			if [ "$cross" = 0 ] || [ "$CROSS" != 1 ]; then
				:
			elif [ -n "$fovl_skip" ]; then
				fovl_skip_line "$name" "$mode" "fuse-overlayfs reading fuss's layers"
			elif [ -n "$fovl_noread" ]; then
				echo "SKIP $name [$mode] fuse-overlayfs reading fuss's layers: ${fovl_noread#skip }"
				skipped=$((skipped + 1))
			else
				reset_m
				if fovl_mount "$F" "$F/W3" >"$F/mount3.err" 2>&1; then
					merged_view "$rd/merged.fovl-on-fuss"
					fovl_umount
					# fuse-overlayfs 1.10 can report nlink 1 for a
					# copied-up file with a second link in upper
					# (posix-link) where the kernel, reading the same
					# layers, reports 2: link counts are left out of
					# this comparison (step 5 checks them).
					sed 's/ nlink=[0-9]*//' "$K/merged" >"$rd/merged.kernel-nolinks"
					sed -i 's/ nlink=[0-9]*//' "$rd/merged.fovl-on-fuss"
					compare "fuse-overlayfs's view of fuss's layers" \
						"$rd/merged.kernel-nolinks" "$rd/merged.fovl-on-fuss" \
						"kernel, own run:" "fuse-overlayfs on fuss's layers:"
				else
					what="$what${what:+, }fuse-overlayfs cannot mount fuss's layers"
					cat "$F/mount3.err" >>"$rd/detail"
				fi
			fi
		fi

		# 8. fuss reads what fuse-overlayfs wrote
		if [ "$upper" = 1 ] && [ "$fovl_writer" = 1 ] && [ "$mode" = chardev ] &&
			[ "$CROSS" = 1 ]; then
			if [ -n "$UNPRIV" ]; then
				echo "SKIP $name [$mode] fuss reading fuse-overlayfs's layers: unprivileged: fuse-overlayfs mounted by root writes trusted.overlay.* markers, which the user cannot read"
				skipped=$((skipped + 1))
			elif [ -n "$fovl_skip" ]; then
				fovl_skip_line "$name" "$mode" "fuss reading fuse-overlayfs's layers"
			else
				cp -a "$SFIX" "$O"
				reset_m
				if fovl_mount "$O" "$O/W" >"$O/mount.err" 2>&1; then
					run_scenario "$scen" "$O" sh -e "$scen"
					merged_view "$rd/merged.fovl"
					fovl_umount
					fuss_view "$rd/merged.fuss-on-fovl" "$O"
					compare "fuss's view of fuse-overlayfs's layers" \
						"$rd/merged.fovl" "$rd/merged.fuss-on-fovl" \
						"fuse-overlayfs, own run:" "fuss on fuse-overlayfs's layers:"
					if [ "$kok" = 1 ] &&
						! cmp -s "$K/merged" "$rd/merged.fovl"; then
						echo "NOTE $name [$mode]: fuse-overlayfs's merged view differs from the kernel's (not a failure)"
						diff -u --label kernel --label fuse-overlayfs \
							"$K/merged" "$rd/merged.fovl" |
							sed -n "3,${DIFFCAP}p"
					fi
				else
					what="$what${what:+, }fuse-overlayfs mount failed"
					cat "$O/mount.err" >>"$rd/detail"
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
			scen_failed=1
		fi
	done
	if [ "$KEEP" != 1 ] && [ "$scen_failed" = 0 ]; then
		rm -rf "$K"
		[ "$SFIX" = "$FIX" ] || rm -rf "$SFIX" "$SFIX".*
	fi
done

echo "$RUNNER: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
