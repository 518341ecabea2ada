#!/bin/sh
# 32-bit and x32 programs under fuss, for real: this project's own machine
# runs a kernel that refuses 32-bit programs and has no x32, so the checks
# run in a small VM instead. Debian's kernel (linux-image-amd64, fetched
# with apt-get download into build/vm and kept there) boots under
# qemu-system-x86_64 (no KVM needed) with syscall.x32=y and an initramfs
# holding fuss with its libraries, busybox, and two test programs:
# tests/e2e/src/i386.c (a 32-bit program, every call an int 0x80) and
# tests/e2e/src/denied.c (int 0x80 and x32 calls from a 64-bit program).
# Each must work natively in the VM and get ENOSYS under fuss, leaving the
# layers unchanged (tests/vm/init).
#   sh tests/vm/compat.sh /abs/path/fuss BUILD_DIR
# Prints PASS/FAIL per check and "compat: N passed, N failed, N skipped";
# exits 1 if anything failed or the VM did not finish. Without qemu or
# busybox-static (make test installs them) it prints SKIP with the reason.
set -u
FUSS=$1
B=$2/vm
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/report.sh"
SRC=$HERE/../e2e/src
mkdir -p "$B"
fail() {
	echo "FAIL compat-vm: $1"
	echo "compat: 0 passed, 1 failed, 0 skipped"
	exit 1
}
for tool in qemu-system-x86_64 /bin/busybox cpio; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP compat-vm: $tool missing (Debian qemu-system-x86, busybox-static, cpio)"
		echo "compat: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
done

# The kernel: the image package linux-image-amd64 depends on, unpacked.
if [ ! -s "$B/vmlinuz" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null 2>&1
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || fail "no linux-image-amd64 package known to apt"
	rm -rf "$B/deb" && mkdir -p "$B/deb"
	(cd "$B/deb" && apt-get download "$pkg" >/dev/null 2>&1) ||
		fail "apt-get download $pkg failed"
	dpkg-deb -x "$B"/deb/*.deb "$B/deb/x" || fail "cannot unpack $pkg"
	cp "$B"/deb/x/boot/vmlinuz-* "$B/vmlinuz" || fail "no vmlinuz in $pkg"
	rm -rf "$B/deb"
fi

# The initramfs: busybox, fuss and the libraries it loads, the programs.
R=$B/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/tmp"
cp /bin/busybox "$R/bin/busybox" || fail "busybox-static missing"
cp "$HERE/init" "$R/init" && chmod 755 "$R/init"
cp "$FUSS" "$R/fuss"
for lib in $(ldd "$FUSS" | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
	mkdir -p "$R$(dirname "$lib")"
	cp -L "$lib" "$R$lib"
done
cc -m32 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie \
	-o "$R/i386" "$SRC/i386.c" || fail "cc -m32 failed (gcc-multilib missing?)"
cc -static -no-pie -o "$R/denied" "$SRC/denied.c" || fail "cannot build denied.c"
(cd "$R" && find . | cpio -o -H newc --quiet) >"$B/initrd" || fail "cpio failed"

timeout 600 qemu-system-x86_64 -cpu max -m 1024 -smp 1 -nographic -no-reboot \
	-kernel "$B/vmlinuz" -initrd "$B/initrd" \
	-append "console=ttyS0 rdinit=/init syscall.x32=y panic=-1 quiet" \
	</dev/null >"$B/console" 2>&1
vm_report compat 'compat-vm done' "$B"
