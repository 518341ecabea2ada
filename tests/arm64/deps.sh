#!/bin/sh
# What the arm64 cross build and its tests need on a Debian amd64 machine:
# the arm64 architecture in dpkg, clang and lld (a cross compiler without
# Debian's gcc-aarch64-linux-gnu, which conflicts with the gcc-multilib
# that `make test` installs), the arm64 -dev packages that are Multi-Arch:
# same (they install beside the amd64 ones) and qemu-user-static.
# libck0 is not Multi-Arch: same (its arm64 build would replace the amd64
# one), so libck0 and libck-dev for arm64 are unpacked into SYSROOT
# instead, once (kept there).
#   sh tests/arm64/deps.sh SYSROOT
set -eu
SYSROOT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
ARM64_PKGS="libc6-dev:arm64 libgcc-12-dev:arm64 liburcu-dev:arm64 \
libattr1-dev:arm64 libcap-dev:arm64 libcmocka-dev:arm64"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fuss: arm64 is not a dpkg architecture here; run: sudo dpkg --add-architecture arm64" >&2
		exit 1
	fi
	dpkg --add-architecture arm64
	apt-get update -qq
fi
# shellcheck disable=SC2086 # one word per package
sh "$HERE/../deps.sh" clang lld qemu-user-static $ARM64_PKGS

[ -e "$SYSROOT/.done" ] && exit 0
debs=$SYSROOT.debs
rm -rf "$SYSROOT" "$debs" && mkdir -p "$SYSROOT" "$debs"
(cd "$debs" && apt-get download -q libck0:arm64 libck-dev:arm64 >/dev/null 2>&1) || {
	echo "fuss: apt-get download libck0:arm64 libck-dev:arm64 failed" >&2
	exit 1
}
for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$SYSROOT"
done
rm -rf "$debs"
touch "$SYSROOT/.done"
