#!/bin/sh
# The arm64 build under a real arm64 kernel: Debian's (linux-image-arm64,
# fetched with apt-get download into BUILD/vm-arm64 and kept there) boots
# under qemu-system-aarch64 (-M virt, cortex-a57, TCG: no KVM needed) with
# an initramfs holding the arm64 fuss and probe with their libraries and an
# arm64 busybox (busybox-static:arm64, unpacked: installing it would
# replace the amd64 one). tests/vm/init-arm64 runs the checks: reads,
# listing, copy-up, whiteout, namespace changes, exec from a lower layer,
# an open restarted after a signal, hand-over between two workers.
#   sh tests/vm/arm64.sh BUILD_DIR   (BUILD_DIR=build-arm64, after make cross)
# Prints PASS/FAIL per check and "arm64-vm: N passed, N failed, N skipped";
# exits 1 if anything failed or the VM did not finish. Without
# qemu-system-aarch64 (Debian qemu-system-arm) it prints SKIP.
set -u
BUILD=$1
B=$BUILD/vm-arm64
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/report.sh"
mkdir -p "$B"
fail() {
	echo "FAIL arm64-vm: $1"
	echo "arm64-vm: 0 passed, 1 failed, 0 skipped"
	exit 1
}
for tool in qemu-system-aarch64 qemu-aarch64-static cpio; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP arm64-vm: $tool missing (Debian qemu-system-arm, qemu-user-static, cpio)"
		echo "arm64-vm: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
done
[ -x "$BUILD/fuss" ] && [ -x "$BUILD/probe" ] || fail "no $BUILD/fuss or probe: make cross ARCH=arm64"

# fetch PKG FILE OUT: FILE (a glob) of the arm64 package PKG, kept as OUT.
fetch() {
	[ -s "$3" ] && return 0
	rm -rf "$B/deb" && mkdir -p "$B/deb"
	(cd "$B/deb" && apt-get download "$1:arm64" >/dev/null 2>&1) ||
		fail "apt-get download $1:arm64 failed"
	dpkg-deb -x "$B"/deb/*.deb "$B/deb/x" || fail "cannot unpack $1:arm64"
	# shellcheck disable=SC2086 # FILE is a glob
	cp $B/deb/x/$2 "$3" || fail "no $2 in $1:arm64"
	rm -rf "$B/deb"
}
kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { sub(/:arm64$/, "", $2); print $2; exit }')
[ -n "$kpkg" ] || [ -s "$B/vmlinuz" ] ||
	fail "no linux-image-arm64 package known to apt (dpkg --add-architecture arm64)"
fetch "$kpkg" "boot/vmlinuz-*" "$B/vmlinuz"
fetch busybox-static bin/busybox "$B/busybox"

# The initramfs: busybox, fuss, the probe and the libraries they load.
R=$B/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/tmp"
cp "$B/busybox" "$R/bin/busybox"
cp "$HERE/init-arm64" "$R/init" && chmod 755 "$R/init"
cp "$BUILD/fuss" "$BUILD/probe" "$R/"
for bin in "$BUILD/fuss" "$BUILD/probe"; do
	qemu-aarch64-static /lib/ld-linux-aarch64.so.1 --list "$bin" |
		awk '/=> \// { print $3 } /^\t\// { print $1 }'
done | sort -u | while read -r lib; do
	mkdir -p "$R$(dirname "$lib")"
	cp -L "$lib" "$R$lib"
done
(cd "$R" && find . | cpio -o -H newc --quiet) >"$B/initrd" || fail "cpio failed"

timeout 900 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1024 -smp 2 -nographic \
	-no-reboot -kernel "$B/vmlinuz" -initrd "$B/initrd" \
	-append "console=ttyAMA0 rdinit=/init panic=-1 quiet" \
	</dev/null >"$B/console" 2>&1
vm_report arm64-vm 'arm64-vm done' "$B"
