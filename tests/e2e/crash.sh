#!/bin/sh
# Crash safety and full disks (README "Crashes and full disks"):
#  - storm: fuss SIGKILLed 0.2, 0.5 and 1 s into a storm of copy-ups,
#    appends, truncates and rewrites of 550 lower files (src/crash-storm.sh):
#    no process of the run survives, no file in upper is a partial copy or
#    holds a torn record (src/crash-check.py), the lower layer is unchanged,
#    and a second run reads every file, appends and leaves no temp entry;
#    and 12 times in a fork loop (processes in a hand-over between workers);
#  - vfsd SIGKILLed alone, under the storm and at a quiet moment: every
#    change fails with EIO, names already looked up still read, fuss prints
#    one line and exits non-zero (the command's status when that is not 0);
#  - stale temps: `.fuss-tmp.*` entries a killed run left (in the root and
#    deeper) are gone after the next run and were never visible; the kernel
#    mounts the result without them;
#  - full disk (root only): upper on a 2 MiB tmpfs, a 3 MiB lower file
#    opened for appending gives ENOSPC (as a kernel overlay with the same
#    upper does), nothing is left in upper, the run goes on.
#   sh tests/e2e/crash.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL/SKIP per check and "crash: N passed, N failed, N
# skipped"; exits 1 if anything failed. Every fuss run is time-limited.
set -u
FUSS=$1
PROBE=$2
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/src
T=$(mktemp -d /tmp/fuss-crash.XXXXXX)
M=$T/m
MOUNTS=
cleanup() {
	for _p in $(live_pids); do
		kill -KILL "$_p" 2>/dev/null
	done
	for _m in $MOUNTS; do
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. "$HERE/report.sh"

# Every process of a run has $T in its arguments (vfsd has fuss's) or
# FUSS_CRASH_MARK=$T in its environment.
live_pids() {
	{
		pgrep -f "$T" 2>/dev/null
		grep -las "FUSS_CRASH_MARK=$T" /proc/[0-9]*/environ 2>/dev/null |
			sed 's|/proc/\([0-9]*\)/environ|\1|'
	} | sort -un | while read -r _p; do
		alive "$_p" && echo "$_p"
	done
}
alive() {
	case $(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) in
	'' | Z) return 1 ;;
	esac
}
none_left() { [ -z "$(live_pids)" ]; }

# start LOWER UPPER ARGS...: fuss in the background, FPID its pid; its
# stdout in $T/out, its stderr in $T/err
start() {
	_l=$1
	_u=$2
	shift 2
	FUSS_CRASH_MARK=$T "$FUSS" --mountpoint="$M" --lowerdir="$_l" --upperdir="$_u" \
		--workers=2 "$@" >"$T/out" 2>"$T/err" &
	FPID=$!
}

# finish SECS: RC is fuss's exit status, or "hang" after SECS seconds
finish() {
	RC=
	if ! wait_for "$1" fuss_gone; then
		kill -KILL "$FPID" 2>/dev/null
		RC=hang
	fi
	wait "$FPID" 2>/dev/null
	_st=$?
	[ "$RC" = hang ] || RC=$_st
}
fuss_gone() { ! alive "$FPID"; }

# run SECS LOWER UPPER ARGS...: fuss in the foreground, bounded
run() {
	_secs=$1
	shift
	start "$@"
	finish "$_secs"
}

out() { head -c 300 "$T/$1" | paste -sd'|' -; }
check_layers() { python3 "$SRC/crash-check.py" check "$T/l" "$T/u" "$@" >"$T/check" 2>&1; }
lower_same() { TREE_RAW=1 sh "$HERE/tree.sh" "$1" | cmp -s - "$2"; }
copied() { [ -n "$(ls "$T/u" 2>/dev/null)" ]; }

if ! command -v python3 >/dev/null 2>&1; then
	sk crash "python3 is missing (make test-deps installs it)"
	echo "crash: $pass passed, $fail failed, $skip skipped"
	exit 0
fi

# ---- the layers of the storm ----
mkdir -p "$T/l"
python3 "$SRC/crash-check.py" gen "$T/l"
find "$T/l" -path '*/f[05]' -printf '%P %s\n' >"$T/sizes"
TREE_RAW=1 sh "$HERE/tree.sh" "$T/l" >"$T/lower.tree"

# after NAME: the layers a killed run left: no partial file, lower intact;
# then a second run reads the merged view (compared with the layers read
# directly), appends, and leaves no temp entry.
after() {
	if check_layers; then ok "$1-upper-whole ($(cat "$T/check"))"; else ko "$1-upper-whole" "$(out check)"; fi
	if lower_same "$T/l" "$T/lower.tree"; then ok "$1-lower-intact"; else ko "$1-lower-intact" "lower layer changed"; fi
	want=$(python3 "$SRC/crash-check.py" merged "$T/l" "$T/u")
	run 120 "$T/l" "$T/u" -- sh -c 'cd "$1" && find . -type f | sort | xargs cat | sha256sum |
		cut -d" " -f1 && echo "w9:1." >>d0/s0/f0 && tail -c 6 d0/s0/f0' sh "$M"
	expect "$1-second-run" "0 $want|w9:1." "$RC $(out out)"
	if check_layers --no-temps; then ok "$1-no-temps-after"; else ko "$1-no-temps-after" "$(out check)"; fi
}

# ---- 1. fuss SIGKILLed during the storm ----
for delay in 0.2 0.5 1; do
	rm -rf "$T/u" "$T/stop" && mkdir "$T/u"
	start "$T/l" "$T/u" -- sh "$SRC/crash-storm.sh" "$M" "$PROBE" "$T/stop" "$T/sizes" "$T/storm.err"
	if wait_for 30 copied; then
		sleep "$delay"
		kill -KILL "$FPID"
		finish 10
		expect "storm-$delay-killed" 137 "$RC"
	else
		ko "storm-$delay-killed" "no copy-up within 30 s ($(out err))"
		kill -KILL "$FPID"
		finish 10
	fi
	if wait_for 5 none_left; then
		ok "storm-$delay-no-process-left"
	else
		ko "storm-$delay-no-process-left" "$(ps -o pid=,stat=,args= -p "$(live_pids | paste -sd, -)" | paste -sd';' -)"
		for p in $(live_pids); do kill -KILL "$p"; done
	fi
	after "storm-$delay"
done

# ---- 1b. fuss SIGKILLed in a fork loop: new processes are handed from
# worker to worker, and one being handed over is traced by nobody (vfsd
# must kill it). 12 rounds: a leak in 1 round of 20 is seen 9 times in 20.
left=
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	rm -rf "$T/u" && mkdir "$T/u"
	start "$T/l" "$T/u" -- sh -c 'while :; do /bin/true & /bin/true; wait; done'
	sleep "0.$((i % 4 + 2))"
	kill -KILL "$FPID"
	finish 10
	if ! wait_for 5 none_left; then
		left="$left round $i: $(ps -o pid=,stat=,args= -p "$(live_pids | paste -sd, -)" | paste -sd';' -)"
		for p in $(live_pids); do kill -KILL "$p"; done
	fi
done
expect fork-loop-killed-no-process-left "" "$left"

# ---- 2. vfsd SIGKILLed alone during the storm ----
# The storm goes on after the kill until $T/stop exists: at least the
# pass under way of each process meets the dead vfsd.
rm -rf "$T/u" "$T/stop" && mkdir "$T/u"
start "$T/l" "$T/u" -- sh "$SRC/crash-storm.sh" "$M" "$PROBE" "$T/stop" "$T/sizes" "$T/storm.err"
if wait_for 30 copied && sleep 0.3 && vp=$(pgrep -x fuss-vfsd -P "$FPID"); then
	kill -KILL "$vp"
	sleep 0.3
	: >"$T/stop"
	finish 120
	expect vfsd-storm-status "1 1" "$RC $(grep -c 'vfsd died' "$T/err")"
	expect vfsd-storm-eio yes "$(grep -q 'Input/output error' "$T/storm.err" && echo yes)"
else
	ko vfsd-storm-status "the storm did not start, or no vfsd ($(out err))"
	kill -KILL "$FPID"
	finish 10
fi
wait_for 5 none_left
after vfsd-storm

# ---- 3. vfsd SIGKILLed at a quiet moment: which calls fail, how fuss ends ----
Q=$T/q
rm -rf "$Q" && mkdir -p "$Q/l/d" "$Q/u"
echo a >"$Q/l/a"
echo b >"$Q/l/b"
echo c >"$Q/l/c"
cat >"$T/quiet.sh" <<'EOF'
M=$1 PROBE=$2 ERR=$3
echo 1 >>"$M/a"
cat "$M/b" >/dev/null
pkill -KILL -x fuss-vfsd -P $PPID
n=0
until grep -q 'vfsd died' "$ERR" || [ $n -ge 200 ]; do sleep 0.05; n=$((n + 1)); done
"$PROBE" open "$M/a" 'O_WRONLY|O_APPEND'
"$PROBE" open "$M/b" 'O_WRONLY|O_APPEND'
"$PROBE" open "$M/new" 'O_WRONLY|O_CREAT'
"$PROBE" mkdir "$M/nd" 0755
"$PROBE" unlink "$M/b"
"$PROBE" rename "$M/a" "$M/z"
"$PROBE" chmod "$M/a" 0600
"$PROBE" truncate "$M/a" 0
cat "$M/a" "$M/b"
"$PROBE" stat "$M/c"
exit "$4"
EOF
run 30 "$Q/l" "$Q/u" -- sh "$T/quiet.sh" "$M" "$PROBE" "$T/err" 0
expect vfsd-quiet-calls "ERR EIO|ERR EIO|ERR EIO|ERR EIO|ERR EIO|ERR EIO|ERR EIO|ERR EIO|a|1|b|ERR EIO" "$(out out)"
expect vfsd-quiet-exit-1 "1 1 1" "$RC $(wc -l <"$T/err") $(grep -c 'vfsd died' "$T/err")"
expect vfsd-quiet-upper ".fuss-tmp.in-use|a|a|1" "$(ls -A "$Q/u" | paste -sd'|' -)|$(paste -sd'|' "$Q/u/a")"
rm -rf "$Q/u" && mkdir "$Q/u"
run 30 "$Q/l" "$Q/u" -- sh "$T/quiet.sh" "$M" "$PROBE" "$T/err" 3
expect vfsd-quiet-exit-command "3 1" "$RC $(wc -l <"$T/err")"
wait_for 5 none_left
run 30 "$Q/l" "$Q/u" -- sh -c 'cat "$1/a"; ls -A "$1"' sh "$M"
expect vfsd-quiet-next-run "0 a|1|a|b|c|d" "$RC $(out out)"
expect vfsd-quiet-next-run-no-temps "" "$(find "$Q/u" -name '.fuss-tmp.*')"

# ---- 4. stale temps of a killed run ----
S=$T/s
# plant [MARK]: the upper dir as a killed run leaves it (with its in-use
# mark when MARK is given): temp files and dirs in the root and deeper
plant() {
	rm -rf "$S" && mkdir -p "$S/l/d/e" "$S/u/d/e" "$S/w" "$S/k"
	echo low >"$S/l/d/e/x"
	echo top >"$S/u/d/e/y"
	[ $# -eq 0 ] || : >"$S/u/.fuss-tmp.in-use"
	echo half >"$S/u/.fuss-tmp.99999.1"
	mkdir "$S/u/.fuss-tmp.99999.2" && : >"$S/u/.fuss-tmp.99999.2/.wh..wh..opq"
	echo half >"$S/u/d/.fuss-tmp.99999.3"
	mkdir -p "$S/u/d/e/.fuss-tmp.99999.4/sub" && : >"$S/u/d/e/.fuss-tmp.99999.4/.wh.x"
	ln -s /nowhere "$S/u/d/e/.fuss-tmp.99999.5"
}
list_cmd='cd "$1" && find . | sort && "$2" stat "$1/d/.fuss-tmp.99999.3"'
merged=".|./d|./d/e|./d/e/x|./d/e/y|ERR ENOENT"
plant mark
run 30 "$S/l" "$S/u" -- sh -c "$list_cmd" sh "$M" "$PROBE"
expect stale-hidden "0 $merged" "$RC $(out out)"
expect stale-removed "d|d/e|d/e/y" "$(cd "$S/u" && find . -mindepth 1 | sed 's|^\./||' | sort | paste -sd'|' -)"
if [ "$(id -u)" != 0 ]; then
	sk stale-kernel-mount "mounting overlayfs needs root"
elif mount -t overlay overlay -o "lowerdir=$S/l,upperdir=$S/u,workdir=$S/w" "$S/k" 2>"$T/mount.err"; then
	MOUNTS="$S/k"
	expect stale-kernel-mount ".|./d|./d/e|./d/e/x|./d/e/y" "$(cd "$S/k" && find . | sort | paste -sd'|' -)"
	umount "$S/k" && MOUNTS=
else
	sk stale-kernel-mount "mount -t overlay failed: $(head -n 1 "$T/mount.err")"
fi
# Without the mark (a run that was not killed leaves none) only the root
# is swept; deeper temps stay hidden.
plant
run 30 "$S/l" "$S/u" -- sh -c "$list_cmd" sh "$M" "$PROBE"
expect stale-unmarked-hidden "0 $merged" "$RC $(out out)"
expect stale-unmarked-root-swept "" "$(ls -A "$S/u" | grep '^\.fuss-tmp')"

# ---- 5. full disk: upper on a 2 MiB tmpfs ----
F=$T/f
rm -rf "$F" && mkdir -p "$F/l/d" "$F/u" "$F/ku" "$F/k"
head -c 3145728 /dev/urandom >"$F/l/big"
echo small >"$F/l/small"
echo x >"$F/l/d/x"
TREE_RAW=1 sh "$HERE/tree.sh" "$F/l" >"$T/full.tree"
if [ "$(id -u)" != 0 ]; then
	sk full-disk "mounting a tmpfs needs root"
elif ! mount -t tmpfs -o size=2m fuss-crash "$F/u" 2>"$T/mount.err"; then
	sk full-disk "mount -t tmpfs failed: $(head -n 1 "$T/mount.err")"
else
	MOUNTS="$F/u"
	cat >"$T/full.sh" <<'EOF'
M=$1 PROBE=$2
"$PROBE" open "$M/big" 'O_WRONLY|O_APPEND'
"$PROBE" truncate "$M/big" 10
"$PROBE" stat "$M/big"
echo more >>"$M/small" && cat "$M/small"
echo new >"$M/new" && cat "$M/new"
"$PROBE" mkdir "$M/nd" 0755
"$PROBE" stat "$M/d/x"
dd if=/dev/zero of="$M/fill" bs=64k count=64 2>&1 | grep -c 'No space left on device'
[ "$(stat -c %s "$M/fill")" -gt 0 ] && echo filled
rm "$M/fill" && echo after >"$M/after" && cat "$M/after"
EOF
	run 60 "$F/l" "$F/u" -- sh "$T/full.sh" "$M" "$PROBE"
	expect full-disk-enospc "0 ERR ENOSPC|ERR ENOSPC|OK type=reg mode=0644 size=3145728 nlink=1" \
		"$RC $(head -n 3 "$T/out" | paste -sd'|' -)"
	expect full-disk-serves "small|more|new|OK|OK type=reg mode=0644 size=2 nlink=1|1|filled|after" \
		"$(tail -n +4 "$T/out" | paste -sd'|' -)"
	expect full-disk-upper "after|nd|new|small" "$(ls -A "$F/u" | paste -sd'|' -)"
	expect full-disk-no-partial "small|more" "$(paste -sd'|' "$F/u/small")"
	if lower_same "$F/l" "$T/full.tree"; then ok full-disk-lower-intact; else ko full-disk-lower-intact "lower layer changed"; fi
	umount "$F/u" && MOUNTS=
	# The kernel's answer with the same small upper
	if mount -t tmpfs -o size=2m fuss-crash "$F/ku" 2>"$T/mount.err" && MOUNTS="$F/ku" &&
		mkdir "$F/ku/u" "$F/ku/w" &&
		mount -t overlay overlay -o "lowerdir=$F/l,upperdir=$F/ku/u,workdir=$F/ku/w" "$F/k" 2>>"$T/mount.err"; then
		MOUNTS="$F/k $F/ku"
		expect full-disk-kernel-same "ERR ENOSPC|" \
			"$("$PROBE" open "$F/k/big" 'O_WRONLY|O_APPEND')|$(ls -A "$F/ku/u")"
		umount "$F/k"
	else
		sk full-disk-kernel-same "no kernel overlay on a tmpfs: $(head -n 1 "$T/mount.err")"
	fi
	umount "$F/ku" 2>/dev/null
	MOUNTS=
fi
wait_for 5 none_left || ko no-process-left "$(live_pids | paste -sd' ' -)"

echo "crash: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
