#!/bin/sh
# Builds the layers every end-to-end scenario starts from:
#   sh fixture.sh DIR MOUNTPOINT
# creates DIR/L1 (top lower), DIR/L2 (bottom lower) and an empty DIR/U.
# Markers in the lowers use the kernel's format (0:0 char devices,
# trusted.overlay.opaque=y), since a kernel overlayfs mount is the oracle.
# Absolute symlinks point under MOUNTPOINT, which must be the same path in
# every run that is compared. Everything is deterministic: fixed content,
# fixed modes, and every entry's mtime set to the same instant at the end.
set -eu

[ $# -eq 2 ] || { echo "usage: fixture.sh DIR MOUNTPOINT" >&2; exit 2; }
D=$1
M=$2
umask 022
mkdir -p "$D/L1" "$D/L2" "$D/U"
chmod 0755 "$D/L1" "$D/L2" "$D/U"

# ---- L2: bottom layer ----
cd "$D/L2"
printf 'only in the bottom layer\n' >only-l2.txt
printf 'shadowed: from L2\n' >shadow.txt
printf 'hidden by a whiteout in L1\n' >gone.txt
printf 'bottom copy of a file that L1 shadows too\n' >twice.txt

mkdir -p merged/sub merged/l2dir
printf 'merged a, from L2\n' >merged/a-l2.txt
printf 'common, from L2\n' >merged/common.txt
printf 'deep, from L2\n' >merged/sub/deep-l2.txt
printf 'l2dir file\n' >merged/l2dir/f.txt

mkdir -p gonedir/inner
printf 'in a dir hidden by a whiteout\n' >gonedir/inner/x.txt

mkdir -p opq/olddir
printf 'old, from L2, hidden by opaque L1 dir\n' >opq/old-l2.txt
printf 'old nested\n' >opq/olddir/x.txt

mkdir -p dir-l2only/sub
printf 'one\n' >dir-l2only/one.txt
printf 'two\n' >dir-l2only/sub/two.txt

mkdir empty-l2

mkdir bin
cat >bin/hello.sh <<'EOS'
#!/bin/sh
echo "hello from a script in the overlay: $*"
EOS
chmod 0755 bin/hello.sh

mkdir modes
printf 'private\n' >modes/private.txt
printf '#!/bin/sh\necho exec ok\n' >modes/exec.sh
printf 'read only\n' >modes/ro.txt
printf 'group readable\n' >modes/group.txt
printf 'sticky dir member\n' >modes/plain.txt
chmod 0600 modes/private.txt
chmod 0755 modes/exec.sh
chmod 0444 modes/ro.txt
chmod 0640 modes/group.txt
chmod 0644 modes/plain.txt
mkdir modes/sticky
chmod 1777 modes/sticky
mkdir modes/closed
chmod 0700 modes/closed

mkdir -p deep/a/b/c/d/e/f
printf 'leaf\n' >deep/a/b/c/d/e/f/leaf.txt
printf 'mid\n' >deep/a/b/mid.txt

printf 'has an xattr\n' >xattr.txt
setfattr -n user.test -v 1 xattr.txt

seq 1 20000 >big.txt

ln -s only-l2.txt link-rel
ln -s merged link-dir
ln -s does-not-exist link-dangling
ln -s ../shadow.txt merged/link-up

# A small C project that lives only in the bottom layer.
mkdir proj
cat >proj/proj.h <<'EOS'
#ifndef PROJ_H
#define PROJ_H
int part1(int x);
int part2(int x);
int part3(int x);
int part4(int x);
int part5(int x);
int part6(int x);
int part7(int x);
int part8(int x);
int part9(int x);
#endif
EOS
i=1
while [ $i -le 9 ]; do
	cat >proj/part$i.c <<EOS
#include "proj.h"

int part$i(int x)
{
	return x * $i + $i;
}
EOS
	i=$((i + 1))
done
cat >proj/main.c <<'EOS'
#include <stdio.h>
#include "proj.h"

int main(void)
{
	int (*parts[])(int) = { part1, part2, part3, part4, part5,
				part6, part7, part8, part9 };
	int i, sum = 0;

	for (i = 0; i < 9; i++)
		sum += parts[i](i);
	printf("proj says %d\n", sum);
	return 0;
}
EOS
cat >proj/Makefile <<'EOS'
CC = cc
CFLAGS = -O0 -Wall
OBJS = main.o part1.o part2.o part3.o part4.o part5.o part6.o part7.o \
	part8.o part9.o

prog: $(OBJS)
	$(CC) -o $@ $(OBJS)

%.o: %.c proj.h
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -f prog $(OBJS)

.PHONY: clean
EOS

# ---- L1: top lower layer ----
cd "$D/L1"
printf 'shadowed: from L1 (top)\n' >shadow.txt
printf 'top copy of a file that L2 has too\n' >twice.txt
printf 'only in L1\n' >l1only.txt

mkdir -p merged/sub merged/l1dir
printf 'merged b, from L1\n' >merged/b-l1.txt
printf 'common, from L1\n' >merged/common.txt
printf 'deep, from L1\n' >merged/sub/deep-l1.txt
printf 'l1dir file\n' >merged/l1dir/f.txt

mknod gone.txt c 0 0
mknod gonedir c 0 0

mkdir -p opq
printf 'new, from L1\n' >opq/new-l1.txt
setfattr -n trusted.overlay.opaque -v y opq

mkdir -p dir-l1only
printf 'from L1 only dir\n' >dir-l1only/f.txt

mkdir bin
printf '#!/bin/sh\necho l1 tool\n' >bin/l1tool.sh
chmod 0755 bin/l1tool.sh

ln -s "$M/shadow.txt" link-abs
ln -s "$M/merged" link-abs-dir

# Fixed mtimes everywhere (touching an entry leaves its parent's mtime alone).
cd "$D"
find L1 L2 -exec touch -h -d '2020-01-02 03:04:05' {} +
