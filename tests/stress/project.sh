#!/bin/sh
# A generated C project of 500 small files, for building with make -j32
# inside an overlay and in a plain copy.
#   sh project.sh layers L1 L2   writes the project into two lower layers
#   sh project.sh build DIR      changes the project at DIR/proj, builds it
#                                and prints what the build did
#
# Layers: L2/proj holds include/proj.h, main.c, a stale Makefile that must
# not be used, and src/f000.c .. src/f459.c. L1/proj holds the real
# Makefile, src/f460.c .. src/f499.c, changed copies of every ninth file of
# L2, and `.wh.` whiteouts of f007, f017, .., f097: 490 sources in the
# merged view.
#
# build: before the first build it changes the tree the way a developer
# would (sed -i on f100..f119, rm of f200..f204, new f500..f514: 500
# sources), runs make -j32, make -q, the program, then edits three sources
# (one of each layer: L2, L1 and new) and runs make -j32 again. Make's
# output is printed sorted (-j32 runs jobs in any order); every command's
# status is printed. The build uses relative paths only and no debug info,
# so its objects are the same bytes wherever the tree lives.
set -u

# src NUM ADD: the source of function fNUM, NUM with 3 digits (ADD differs
# between versions of one file).
src() {
	cat <<EOF
#include "proj.h"

unsigned f$(printf %03d "$1")(unsigned x)
{
	unsigned i, h = x ^ ($1u * 2654435761u + $2u);

	for (i = 0; i < $1u % 7u + 3u; i++)
		h = mix(h, i + $1u);
	return h;
}
EOF
}

layers() {
	l1=$1/proj
	l2=$2/proj
	mkdir -p "$l1/src" "$l2/src" "$l2/include"
	cat >"$l2/include/proj.h" <<'EOF'
#ifndef PROJ_H
#define PROJ_H
static inline unsigned mix(unsigned h, unsigned v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h * 0x85ebca6bu;
}
extern unsigned (*const table[])(unsigned);
extern const unsigned ntable;
#endif
EOF
	cat >"$l2/main.c" <<'EOF'
#include <stdio.h>
#include "proj.h"

int main(void)
{
	unsigned i, h = 1;

	for (i = 0; i < ntable; i++)
		h = table[i](h);
	printf("%u functions, result %08x\n", ntable, h);
	return 0;
}
EOF
	printf 'all:\n\t@echo "stale Makefile of the bottom layer"; exit 1\n' \
		>"$l2/Makefile"
	cat >"$l1/Makefile" <<'EOF'
CC = cc
CFLAGS = -O1 -g0 -Wall -Werror -Iinclude
SRCS := $(sort $(wildcard src/*.c))
NAMES := $(notdir $(SRCS:.c=))
OBJS := $(NAMES:%=obj/%.o)

all: prog libfns.a manifest.txt

obj/%.o: src/%.c include/proj.h | obj
	$(CC) $(CFLAGS) -c -o $@ $<

obj/table.o: gen/table.c include/proj.h | obj
	$(CC) $(CFLAGS) -c -o $@ $<

obj/main.o: main.c include/proj.h | obj
	$(CC) $(CFLAGS) -c -o $@ $<

obj gen:
	mkdir -p $@

gen/table.c: $(SRCS) | gen
	{ echo '#include "proj.h"'; \
	  for n in $(NAMES); do echo "unsigned $$n(unsigned);"; done; \
	  echo 'unsigned (*const table[])(unsigned) = {'; \
	  for n in $(NAMES); do echo "	$$n,"; done; \
	  echo '};'; \
	  echo 'const unsigned ntable = sizeof(table) / sizeof(table[0]);'; \
	} >$@.tmp
	mv $@.tmp $@

prog: obj/main.o obj/table.o $(OBJS)
	$(CC) -o $@ $^

libfns.a: $(OBJS)
	rm -f $@
	ar rcsD $@ $^

manifest.txt: prog libfns.a
	{ ./prog; sha256sum prog libfns.a; } >$@.tmp
	mv $@.tmp $@

.PHONY: all
EOF
	n=0
	while [ $n -lt 500 ]; do
		f=$(printf 'f%03d' $n)
		if [ $n -ge 460 ]; then
			src $n 1 >"$l1/src/$f.c"
		else
			src $n 1 >"$l2/src/$f.c"
			if [ $((n % 10)) -eq 7 ] && [ $n -lt 100 ]; then
				: >"$l1/src/.wh.$f.c"
			elif [ $((n % 9)) -eq 0 ]; then
				src $n 2 >"$l1/src/$f.c"
			fi
		fi
		n=$((n + 1))
	done
}

# run CMD...: runs CMD, prints its output sorted and its status.
run() {
	echo "== $*"
	"$@" >"$out" 2>&1
	st=$?
	sort "$out"
	echo "== status $st"
}

build() {
	cd "$1/proj" || exit 1
	out=$(mktemp "${TMPDIR:-/tmp}/fuss-stress-make.XXXXXX")
	n=100
	while [ $n -lt 120 ]; do
		sed -i 's/ + [0-9]u);/ + 3u);/' src/f$n.c
		n=$((n + 1))
	done
	rm src/f200.c src/f201.c src/f202.c src/f203.c src/f204.c
	n=500
	while [ $n -lt 515 ]; do
		src $n 1 >src/f$n.c
		n=$((n + 1))
	done
	find src -name '*.c' | wc -l
	run make -j32
	run make -q all
	run ./prog
	sed -i 's/ + [0-9]u);/ + 4u);/' src/f003.c src/f018.c src/f505.c
	run make -j32
	run ./prog
	run make -q all
	cat manifest.txt
	rm -f "$out"
}

if [ $# -eq 3 ] && [ "$1" = layers ]; then
	layers "$2" "$3"
elif [ $# -eq 2 ] && [ "$1" = build ]; then
	build "$2"
else
	echo "usage: project.sh layers L1 L2 | build DIR" >&2
	exit 2
fi
