#!/bin/sh
# Checks of fuss's own behaviour where the kernel is no oracle: the command
# line (one line, exit 2, nothing created), exit statuses, the read-only
# overlay, reserved `.wh.` names, OCI-style `.wh.` layers, chardev mode
# refused without mknod and run unprivileged, that vfsd and the worker
# threads are separate processes/threads, and the calls fuss refuses
# (32-bit, x32, io_uring, file handles, mount family, ptrace).
#   sh tests/e2e/fuss-only.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL per check and "fuss-only: N passed, N failed".
set -u
FUSS=$1
PROBE=$2
export LC_ALL=C
T=$(mktemp -d /tmp/fuss-only.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(cd "$(dirname "$0")" && pwd)/report.sh"

fresh() {
	rm -rf "$T/l1" "$T/l2" "$T/u" "$T/m"
	mkdir -p "$T/l1/d" "$T/l2/d" "$T/u"
	echo top >"$T/l1/f"
	echo bottom >"$T/l2/f"
	echo low >"$T/l2/d/x"
}

# usage errors: exit 2, exactly one line on stderr, nothing created.
# $WRAP: a command prefix fuss runs under; $OWN: owner given to the layers.
WRAP=
OWN=
usage_case() {
	name=$1
	shift
	fresh
	[ -z "$OWN" ] || chown -R "$OWN" "$T/l1" "$T/l2" "$T/u"
	before=$(find "$T" -path "$T/out" -prune -o -path "$T/err" -prune -o -print | sort | md5sum)
	# shellcheck disable=SC2086 # a command prefix or none
	$WRAP "$FUSS" "$@" >"$T/out" 2>"$T/err"
	st=$?
	after=$(find "$T" -path "$T/out" -prune -o -path "$T/err" -prune -o -print | sort | md5sum)
	lines=$(wc -l <"$T/err")
	if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && [ "$before" = "$after" ] && grep -q '^fuss: ' "$T/err"; then
		ok "usage-$name"
	else
		ko "usage-$name" "status $st, $lines stderr lines: $(head -c 200 "$T/err")"
	fi
}
usage_case no-mountpoint --lowerdir="$T/l1" -- true
usage_case relative-mountpoint --mountpoint=m --lowerdir="$T/l1" -- true
usage_case no-lowerdir --mountpoint="$T/m" -- true
usage_case missing-lower --mountpoint="$T/m" --lowerdir="$T/nope" -- true
usage_case lower-not-dir --mountpoint="$T/m" --lowerdir="$T/l1/f" -- true
usage_case relative-lower --mountpoint="$T/m" --lowerdir=l1 -- true
usage_case missing-upper --mountpoint="$T/m" --lowerdir="$T/l1" --upperdir="$T/nope" -- true
usage_case upper-in-lower --mountpoint="$T/m" --lowerdir="$T/l1" --upperdir="$T/l1/d" -- true
usage_case lower-in-upper --mountpoint="$T/m" --lowerdir="$T/u" --upperdir="$T" -- true
usage_case bad-whiteout --mountpoint="$T/m" --lowerdir="$T/l1" --whiteout=odd -- true
usage_case bad-workers --mountpoint="$T/m" --lowerdir="$T/l1" --workers=0 -- true
usage_case cache-mb-zero --mountpoint="$T/m" --lowerdir="$T/l1" --cache-mb=0 -- true
usage_case cache-mb-too-big --mountpoint="$T/m" --lowerdir="$T/l1" --cache-mb=305 -- true
usage_case cache-mb-not-number --mountpoint="$T/m" --lowerdir="$T/l1" --cache-mb=4M -- true
usage_case cache-mb-overflow --mountpoint="$T/m" --lowerdir="$T/l1" --cache-mb=99999999999999999999 -- true
usage_case bad-balance --mountpoint="$T/m" --lowerdir="$T/l1" --balance=random -- true
usage_case stats-value --mountpoint="$T/m" --lowerdir="$T/l1" --stats=yes -- true
usage_case unknown-option --mountpoint="$T/m" --lowerdir="$T/l1" --frobnicate -- true
usage_case no-command --mountpoint="$T/m" --lowerdir="$T/l1" --
usage_case empty-command --mountpoint="$T/m" --lowerdir="$T/l1" -- ''

fresh
"$FUSS" --help >"$T/out" 2>&1
expect help-exit0 "0 yes" "$? $(grep -q -- --mountpoint "$T/out" && echo yes)"
"$FUSS" --version >"$T/out" 2>&1
expect version "0" "$?"

run() { "$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1:$T/l2" --upperdir="$T/u" "$@"; }

# both --opt=value and --opt value
fresh
out=$("$FUSS" --mountpoint "$T/m" --lowerdir "$T/l1:$T/l2" --upperdir "$T/u" --whiteout fileprefix --workers 2 --cache-mb 1 -- cat "$T/m/f")
expect opt-space-form "top" "$out"

# exit statuses
fresh
run -- sh -c 'exit 7'
expect exit-status "7" "$?"
run -- sh -c 'kill -9 $$'
expect exit-signal "137" "$?"
run -- /nonexistent/program 2>/dev/null
expect exit-not-found "127" "$?"

# read-only overlay without --upperdir
fresh
out=$("$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1:$T/l2" -- sh -c "
	$PROBE open $T/m/f O_WRONLY; $PROBE unlink $T/m/f; $PROBE mkdir $T/m/n 0755
	$PROBE open $T/m/new 'O_WRONLY|O_CREAT'; $PROBE chmod $T/m/f 0600; cat $T/m/d/x")
expect erofs-without-upper "ERR EROFS
ERR EROFS
ERR EROFS
ERR EROFS
ERR EROFS
low" "$out"

# reserved .wh. names: refused in both modes by every call that makes a
# name, nothing written (fuss reads a .wh.NAME file as a whiteout in every
# layer whatever mode it writes in, so such a file would hide NAME)
for mode in fileprefix chardev; do
	fresh
	out=$(run --whiteout=$mode -- sh -c "
		$PROBE open $T/m/.wh.f 'O_WRONLY|O_CREAT'; $PROBE mkdir $T/m/.wh.d 0755
		$PROBE symlink x $T/m/.wh.l; $PROBE rename $T/m/f $T/m/.wh.g
		$PROBE link $T/m/f $T/m/.wh.h; $PROBE mknod-fifo $T/m/d/.wh.p 0644
		$PROBE renameat2 $T/m/f $T/m/.wh.x RENAME_NOREPLACE; cat $T/m/f")
	expect "wh-name-refused-$mode" "ERR EINVAL
ERR EINVAL
ERR EINVAL
ERR EINVAL
ERR EINVAL
ERR EINVAL
ERR EINVAL
top" "$out$(ls -A "$T/u")"
done

# fileprefix form: a lower name longer than 251 bytes cannot be deleted or
# renamed away (".wh." + the name would exceed 255 bytes): ENAMETOOLONG,
# the name still there, nothing copied up. chardev form: it can (0:0
# device of that name).
long=$(printf '%255s' "" | tr ' ' a)
for mode in fileprefix chardev; do
	fresh
	echo low >"$T/l2/d/$long"
	out=$(run --whiteout=$mode -- sh -c "$PROBE unlink $T/m/d/$long; ls $T/m/d | wc -l")
	want="ERR ENAMETOOLONG
2"
	[ $mode = chardev ] && want="OK
1"
	expect "wh-name-too-long-$mode" "$want" "$out"
	# a refused rename copies nothing up first
	fresh
	echo low >"$T/l2/d/$long"
	out=$(run --whiteout=$mode -- sh -c "$PROBE rename $T/m/d/$long $T/m/d/short; ls $T/m/d | wc -l")
	want="ERR ENAMETOOLONG
20"
	# chardev: the old name's whiteout is a device of that name
	[ $mode = chardev ] && want="OK
21"
	out="$out$(ls -A "$T/u/d" 2>/dev/null | grep -c "^$long\$")"
	expect "wh-name-too-long-rename-$mode" "$want" "$out"
done

# fileprefix writes .wh. files; chardev writes 0:0 devices
fresh
run --whiteout=fileprefix -- rm "$T/m/f"
expect fileprefix-whiteout-file "yes" "$([ -f "$T/u/.wh.f" ] && [ ! -s "$T/u/.wh.f" ] && echo yes)"
fresh
run --whiteout=chardev -- rm "$T/m/f"
expect chardev-whiteout-device "0,0" "$(stat -c '%t,%T' "$T/u/f" 2>/dev/null)"

# --whiteout=chardev is refused at start (one line, status 2, nothing left
# in the upper dir) where the upper dir does not take a 0:0 device: denysys
# makes mknod fail with EPERM as kernels before 5.8 do without CAP_MKNOD
# (as root, fuss runs as nobody for it). Unprivileged on Linux 5.8+, it
# writes 0:0 devices and user.overlay.opaque (trusted.* needs CAP_SYS_ADMIN).
SRC=$(cd "$(dirname "$0")" && pwd)/src
as_user=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$T"
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if cc -o "$T/denysys" "$SRC/denysys.c" 2>"$T/cc.err"; then
	WRAP="$as_user $T/denysys EPERM mknod,mknodat"
	[ -n "$as_user" ] && OWN=65534:65534
	usage_case chardev-without-mknod --mountpoint="$T/m" --lowerdir="$T/l1" \
		--upperdir="$T/u" --whiteout=chardev -- true
	expect chardev-without-mknod-says-why yes \
		"$(grep -q 'cannot create a 0:0 whiteout device' "$T/err" && echo yes)"
	WRAP=
	OWN=
else
	ko denysys-build "$(head -n 1 "$T/cc.err")"
fi
kver=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ -z "$as_user" ]; then
	sk chardev-unprivileged "needs root (to run fuss as nobody) and setpriv"
elif [ "$kver" -lt 5008 ]; then
	sk chardev-unprivileged "Linux $(uname -r) refuses 0:0 devices without CAP_MKNOD (5.8+ allows them)"
else
	fresh
	chown -R 65534:65534 "$T/l1" "$T/l2" "$T/u"
	$as_user "$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1:$T/l2" --upperdir="$T/u" \
		--whiteout=chardev -- sh -c "rm $T/m/f && rm -r $T/m/d && mkdir $T/m/d"
	expect chardev-unprivileged "0 0,0 y none" "$? $(stat -c '%t,%T' "$T/u/f" 2>/dev/null) \
$(getfattr --only-values -n user.overlay.opaque "$T/u/d" 2>/dev/null) \
$(getfattr -n trusted.overlay.opaque "$T/u/d" >/dev/null 2>&1 && echo trusted || echo none)"
	# Copy-up runs with the user's rights: a lower file its owner cannot
	# read is not copied up (EACCES; the kernel copies up as the mounter).
	fresh
	chmod 0200 "$T/l1/f"
	chown -R 65534:65534 "$T/l1" "$T/l2" "$T/u"
	out=$($as_user "$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1:$T/l2" --upperdir="$T/u" \
		-- sh -c "$PROBE open $T/m/f O_WRONLY; $PROBE chmod $T/m/f 0600")
	expect unprivileged-copyup-unreadable "ERR EACCES
ERR EACCES
200" "$out
$(stat -c %a "$T/l1/f")$(ls -A "$T/u")"
fi

# OCI-style lower layers (.wh. files and .wh..wh..opq) are read
fresh
rm "$T/l1/f"
: >"$T/l1/.wh.f"
: >"$T/l1/d/.wh..wh..opq"
echo mine >"$T/l1/d/y"
out=$(run -- sh -c "ls -A $T/m; ls -A $T/m/d; $PROBE stat $T/m/f")
expect oci-lower-markers "d
y
ERR ENOENT" "$out"

# A directory only one lower layer holds is listed by the kernel, unless a
# marker in it must be hidden (a .wh. file here: a 0:0 device needs root):
# the stream of `solo` is passed through, that of `marked` answered by fuss.
fresh
mkdir "$T/l2/solo" "$T/l2/marked"
echo a >"$T/l2/solo/a"
echo b >"$T/l2/solo/b"
echo c >"$T/l2/marked/c"
: >"$T/l2/marked/.wh.gone"
out=$(run --stats -- sh -c "$PROBE listdir $T/m/solo; $PROBE listdir $T/m/marked" 2>"$T/err")
gd=$(awk '/stats: getdents64 / { print "passed " $5 ", rewritten " $6 ", emulated " $7 }' "$T/err")
expect one-layer-dir-listing "OK
.
..
a
b
OK
.
..
c
passed 2, rewritten 1, emulated 1" "$out
$gd"

# Names below one-layer lower directories just listed are not looked up:
# du, find -newer and ls -lR of such a tree make one vfsd request (for
# `t`, in the merged root) instead of one per directory.
fresh
for d in a b c; do for s in x y; do
	mkdir -p "$T/l2/t/$d/$s"
	for f in 1 2 3; do echo $f >"$T/l2/t/$d/$s/f$f"; done
done; done
find "$T/l2/t" -exec touch -d @2000000000 {} +
touch -d @1000000000 "$T/l2/t/a/x/f1"
out=$(run --stats -- sh -c "du -a $T/m/t | wc -l; find $T/m/t -newer $T/m/t/a/x/f1 | wc -l; ls -lR $T/m/t | wc -l" 2>"$T/err")
expect one-layer-names-unlooked-up "28
27
56
vfsd 1 requests, lookup 1" "$out
$(sed -n 's/^fuss: stats: \(vfsd .*\)/\1/p' "$T/err")"

# vfsd is its own process, the workers are threads of the tracer
fresh
out=$(run --workers=3 -- sh -c 'ps -o comm= --ppid $PPID | grep -c "^fuss-vfsd$"; ps -L -o comm= -p $PPID | grep "^fuss-w[0-9]*$" | sort -u | wc -l')
expect vfsd-and-workers "1
3" "$out"

# --stats: one line per worker; with --balance=fork the children of one
# shell are spread over the workers (each worker takes some), with
# --balance=none they all stay on worker 0.
fresh
spawn='i=0; while [ $i -lt 40 ]; do cat '"$T/m/f"' >/dev/null & i=$((i + 1)); done; wait'
run --workers=3 --balance=fork --stats -- sh -c "$spawn" 2>"$T/err"
busy=$(awk '/stats: w[0-9]/ && $4 > 0 { n++ } END { print n + 0 }' "$T/err")
taken=$(awk '/stats: w[0-9]/ { s += $7 } END { print s + 0 }' "$T/err")
expect stats-balance-fork "3 workers busy, yes" "$busy workers busy, $([ "$taken" -ge 20 ] && echo yes)"
run --workers=3 --balance=none --stats -- sh -c "$spawn" 2>"$T/err"
busy=$(awk '/stats: w[0-9]/ && $4 > 0 { n++ } END { print n + 0 }' "$T/err")
expect stats-balance-none "1 workers busy, 3" "$busy workers busy, $(grep -c 'stats: w[0-9]' "$T/err")"

# --cache-mb buys the largest power-of-two table of 304-byte slots that
# fits: 4 MiB -> 8192 slots, the default 10 MiB -> 32768
run --cache-mb=4 --stats -- cat "$T/m/f" >/dev/null 2>"$T/err"
expect cache-mb-slots "8192 slots" "$(sed -n 's/.*stats: dcache \([0-9]* slots\).*/\1/p' "$T/err")"
run --stats -- true 2>"$T/err"
expect cache-mb-default "32768 slots" "$(sed -n 's/.*stats: dcache \([0-9]* slots\).*/\1/p' "$T/err")"

# --volatile: copy-ups are not synced. Under denysys every fdatasync fails
# with EIO: a copy-up then fails without --volatile (the shell cannot open
# the file for its redirection: status 2; nothing is left in
# upper) and works with it; --volatile takes no value.
if [ -x "$T/denysys" ]; then
	fresh
	"$T/denysys" EIO fdatasync "$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1:$T/l2" \
		--upperdir="$T/u" -- sh -c "echo more >>$T/m/f" 2>/dev/null
	expect copyup-synced "2 no" "$? $([ -e "$T/u/f" ] && echo yes || echo no)"
	fresh
	"$T/denysys" EIO fdatasync "$FUSS" --volatile --mountpoint="$T/m" \
		--lowerdir="$T/l1:$T/l2" --upperdir="$T/u" -- sh -c "echo more >>$T/m/f"
	expect copyup-volatile "0 top
more" "$? $(cat "$T/u/f")"
fi
usage_case volatile-value --volatile=yes --mountpoint="$T/m" --lowerdir="$T/l1" -- true

# Calls that would reach a layer behind fuss's back are refused: io_uring
# (ENOSYS, programs fall back), file handles (EOPNOTSUPP, as a kernel
# overlayfs mount without nfs_export answers name_to_handle_at; a handle
# taken outside the overlay cannot be opened either), mount-family calls
# naming the overlay (EPERM); outside the overlay they run as usual. A
# 32-bit syscall (int 0x80) and an x32 syscall get ENOSYS from the seccomp
# filter; nothing is written anywhere.
SRC=$(cd "$(dirname "$0")" && pwd)/src
fresh
if cc -no-pie -o "$T/denied" "$SRC/denied.c" 2>"$T/cc.err"; then
	out=$(run -- "$T/denied" "$T/m/f" 2>/dev/null)
	expect denied-in-overlay "x32-openat ERR ENOSYS
x32-mkdirat ERR ENOSYS
x32-unlink ERR ENOSYS
io_uring_setup ERR ENOSYS
name_to_handle_at ERR EOPNOTSUPP
open_by_handle_at ERR EOPNOTSUPP
mount ERR EPERM
umount2 ERR EPERM
chroot ERR EPERM" "$(echo "$out" | grep -v '^int80')"
	out=$(run -- "$T/denied" "$T/l2/d/x" handle 2>/dev/null)
	expect denied-handle-of-layer "name_to_handle_at OK
open_by_handle_at ERR EOPNOTSUPP" "$out"
	native=$("$T/denied" "$T/l1/f" | grep '^int80')
	case $native in
	"int80-open OK")
		expect int80-enosys "int80-open ERR ENOSYS" \
			"$(run -- "$T/denied" "$T/m/f" 2>/dev/null | grep '^int80')"
		;;
	*) sk int80-enosys "this kernel cannot run int 0x80 at all ($native); tests/vm/compat.sh runs it in a VM" ;;
	esac
	expect denied-nothing-written "top||no" "$(cat "$T/l1/f")|$(ls -A "$T/u")|$([ -e "$T/m" ] && echo yes || echo no)"
else
	ko denied-build "$(head -n 1 "$T/cc.err")"
fi

# A real 32-bit program (no C library, every call an int 0x80) that tries
# open, openat(O_CREAT), stat64, mkdir and unlink in the overlay: under
# fuss each gets ENOSYS (exit status 31, nothing printed since write is
# refused too) and no layer changes; exit still works.
# native32: why the 32-bit program cannot run natively here ("" if it can)
native32() {
	mkdir "$T/native32" && echo x >"$T/native32/f" || return
	"$T/i386" "$T/native32" >"$T/out" 2>&1
	st=$?
	if [ $st -eq 126 ]; then
		echo "this kernel cannot run 32-bit programs ($(sed 's/.*: //' "$T/out"))"
	elif ! grep -q '^open [0-9]' "$T/out"; then
		echo "int 0x80 does not work natively (status $st)"
	fi
}
fresh
if ! cc -m32 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie \
	-o "$T/i386" "$SRC/i386.c" 2>"$T/cc.err"; then
	sk i386-program "cc -m32 cannot build (gcc-multilib missing?): $(head -n 1 "$T/cc.err")"
elif why=$(native32) && [ -n "$why" ]; then
	sk i386-program "$why; tests/vm/compat.sh runs it in a VM"
else
	out=$(run -- "$T/i386" "$T/m" 2>&1)
	expect i386-program "31 [] top||no" "$? [$out] $(cat "$T/l1/f")|$(ls -A "$T/u")|$([ -e "$T/m" ] && echo yes || echo no)"
fi

# ptrace: refused (EPERM) by the seccomp filter, so a traced program can
# neither take a sibling over (even one that allows any tracer), nor trace
# its parent, nor become traced by its parent (PTRACE_TRACEME); a child's
# SIGSTOP still reaches its parent. Every process stays traced by one of
# fuss's worker threads (TracerPid, a thread id, is a task of fuss). A
# CLONE_UNTRACED child runs untraced, but none of its path calls gets
# through (ENOSYS) and it cannot ask to be traced.
fresh
out=$(run --workers=2 -- sh -c "$PROBE ptrace-escape | while read -r a b c; do
		[ \"\$b\" = tracer ] && [ -d /proc/\$PPID/task/\$c ] && c=fuss
		echo \$a \$b \$c
	done
	$PROBE clone-untraced $T/m/f; $PROBE clone-untraced $T/l1/f")
expect ptrace-denied "attach-sibling ERR EPERM
seize-sibling ERR EPERM
attach-parent ERR EPERM
sibling tracer fuss
traceme ERR EPERM
traceme-stopped tracer fuss
traceme-continued tracer fuss
self tracer fuss
stat ERR ENOSYS
traceme ERR EPERM
untraced-child tracer 0
child status 0
stat ERR ENOSYS
traceme ERR EPERM
untraced-child tracer 0
child status 0" "$out"

# Overlay-private xattrs cannot be set through the overlay by any form
# (Linux 6.7+ overlayfs escapes them instead; fuss refuses, see README).
fresh
out=$(run -- sh -c "
	setfattr -n trusted.overlay.opaque -v y $T/m/d 2>&1 | sed 's/.*: //'
	setfattr -n user.overlay.opaque -v y $T/m/d 2>&1 | sed 's/.*: //'
	cc -o $T/xattrat $SRC/xattrat.c && $T/xattrat set $T/m/f trusted.overlay.x 1 &&
	$T/xattrat fdset $T/m/d user.overlay.opaque y &&
	$T/xattrat fdremove $T/m/d trusted.overlay.opaque")
expect private-xattr-refused "Operation not permitted
Operation not permitted
ERR EPERM
ERR EPERM
ERR EPERM" "$out"
expect private-xattr-nothing-written "" "$(ls -A "$T/u")"

echo "fuss-only: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
