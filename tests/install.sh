#!/bin/sh
# Packaging checks: `make install` into a DESTDIR puts exactly the binary,
# the man page and the bash completion in place with their modes, the
# installed fuss runs and says its version, the man page renders without a
# groff warning and documents every option of `fuss --help` (so does the
# completion), the completion answers as bash would, `make uninstall`
# removes every file, and fuss exits 3 with one line when ptrace or
# seccomp is refused (tests/e2e/src/denysys makes them fail).
#   sh tests/install.sh /abs/path/fuss
# Prints PASS/FAIL/SKIP per check and "install: N passed, N failed, N skipped".
set -u
FUSS=$1
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/fuss-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$ROOT/tests/e2e/report.sh"
D=$T/dest
VERSION=$(sed -n 's/^VERSION := //p' "$ROOT/Makefile")

# make inherits SAN= from a `make check-asan` above it (through MAKEFLAGS),
# so it installs the binary under test and builds nothing.
if make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr >"$T/make.out" 2>&1; then
	ok make-install
else
	ko make-install "$(tail -n 3 "$T/make.out")"
fi
expect install-files "644 usr/share/bash-completion/completions/fuss
644 usr/share/man/man1/fuss.1
755 usr/bin/fuss" "$(cd "$D" && find . ! -type d -printf '%m %P\n' | sort)"

BIN=$D/usr/bin/fuss
expect installed-version "fuss $VERSION" "$("$BIN" --version 2>&1; echo "status $?" | grep -v 'status 0')"
mkdir -p "$T/l" "$T/u"
echo lower >"$T/l/f"
expect installed-runs "lower
more" "$("$BIN" --mountpoint="$T/m" --lowerdir="$T/l" --upperdir="$T/u" -- \
	sh -c "echo more >>$T/m/f && cat $T/m/f" 2>&1)"

# The man page: no groff warning, it renders, the same version.
MAN=$D/usr/share/man/man1/fuss.1
if ! command -v groff >/dev/null 2>&1; then
	sk man-groff-warnings "groff is missing (Debian package groff-base)"
else
	groff -man -ww -z "$MAN" >"$T/groff.out" 2>&1
	expect man-groff-warnings "" "$(head -n 3 "$T/groff.out")"
fi
if ! command -v man >/dev/null 2>&1; then
	sk man-renders "man is missing (Debian package man-db)"
else
	MANWIDTH=80 man -l "$MAN" >"$T/man.txt" 2>"$T/man.err"
	sections=$(grep -E '^[A-Z][A-Z ]+$' "$T/man.txt" | tr '\n' ',')
	expect man-renders "NAME,SYNOPSIS,DESCRIPTION,OPTIONS,ENVIRONMENT,WHITEOUT FORMATS,EXIT STATUS,EXAMPLES,LIMITS,SEE ALSO," "$sections"
fi
expect man-version "fuss $VERSION" "$(sed -n 's/^\.TH FUSS 1 [^ ]* "\([^"]*\)".*/\1/p' "$MAN")"

# Every option --help lists is in the man page (as roff writes it) and in
# the completion's option list.
COMP=$D/usr/share/bash-completion/completions/fuss
"$BIN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/flags"
missing_man=
missing_comp=
while read -r flag; do
	grep -qF -- "$(echo "$flag" | sed 's/-/\\-/g')" "$MAN" || missing_man="$missing_man $flag"
	grep -qE -- "(^|[ '])$flag([ =']|$)" "$COMP" || missing_comp="$missing_comp $flag"
done <"$T/flags"
expect man-has-every-flag "$(wc -l <"$T/flags") flags" "$(wc -l <"$T/flags") flags$missing_man"
expect completion-has-every-flag "" "${missing_comp# }"

# Completion as bash does it, at the end of each line.
if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	sk completion "bash-completion is missing (Debian package bash-completion)"
else
	C=$T/c
	mkdir -p "$C/a1" "$C/b1" "$C/b2"
	: >"$C/a2"
	bash "$ROOT/tests/completion.bash" "$COMP" >"$T/comp.out" 2>&1 <<-EOF
		fuss --wh
		fuss --whiteout=c
		fuss --balance=
		fuss --stats=j
		fuss --vfs=p
		fuss --mountpoint=$C/a
		fuss --upperdir $C/b
		fuss --lowerdir=$C/a1:$C/b
		fuss --mountpoint=/m -- fuss-test-cmd al
		fuss --workers 2 fuss-test-cmd b
		fuss --mountpoint=/m --lowerdir=$C/a1:$C/b1 -- ls $C/a
	EOF
	expect completion-cases "--whiteout=
chardev
fork none
json
passthrough
$C/a1
$C/b1 $C/b2
$C/b1 $C/b2
alpha
beta
$C/a1 $C/a2" "$(sed 's/ $//' "$T/comp.out")"
	# Commands after --: the shell's own list.
	echo "fuss --mountpoint=/m -- ech" | bash "$ROOT/tests/completion.bash" "$COMP" \
		>"$T/comp.out" 2>&1
	expect completion-command "yes" "$(grep -qw echo "$T/comp.out" && echo yes)"
fi

make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/usr >"$T/make.out" 2>&1
expect make-uninstall "status 0, no file" \
	"status $?, $(cd "$D" && find . ! -type d | head -n 3 | tr '\n' ' ')no file"

# Exit status 3: one line saying what is missing; the command never runs.
if ! cc -o "$T/denysys" "$ROOT/tests/e2e/src/denysys.c" 2>"$T/cc.err"; then
	ko denysys-build "$(head -n 1 "$T/cc.err")"
else
	no_trace() {
		name=$1
		want=$2
		shift 2
		rm -f "$T/ran"
		# An ASan build's leak check at exit needs ptrace itself.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			"$T/denysys" "$@" "$FUSS" --mountpoint="$T/m" --lowerdir="$T/l" -- \
			touch "$T/ran" >"$T/out" 2>"$T/err"
		st=$?
		got="status $st, $(wc -l <"$T/err") line, $(cut -d: -f1-2 "$T/err" | head -n 1)"
		[ ! -e "$T/ran" ] || got="$got, the command ran"
		expect "$name" "status 3, 1 line, fuss: $want" "$got"
	}
	no_trace exit3-ptrace-eperm "ptrace is not permitted here (EPERM)" EPERM ptrace
	no_trace exit3-ptrace-enosys "ptrace is not available here (ENOSYS)" ENOSYS ptrace
	no_trace exit3-seccomp-einval "seccomp filters are not available here (EINVAL)" \
		EINVAL seccomp
	no_trace exit3-seccomp-enosys "seccomp filters are not available here (ENOSYS)" \
		ENOSYS seccomp
fi

echo "install: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
