#!/bin/sh
# A short tour of fuss: sh tests/demo.sh ./fuss
# Builds two lower layers and an empty upper layer in a temporary directory,
# then shows a read through the layers, a copy-up and a whiteout.
set -eu

[ $# -eq 1 ] || { echo "usage: demo.sh PATH-TO-FUSS" >&2; exit 2; }
case $1 in
/*) FUSS=$1 ;;
*) FUSS=$(pwd)/$1 ;;
esac
[ -x "$FUSS" ] || { echo "demo.sh: $FUSS: not an executable" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/fuss-demo.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/lower1" "$T/lower2" "$T/upper" "$T/app"
echo "config from lower2 (bottom)" >"$T/lower2/config.txt"
echo "config from lower1 (top)" >"$T/lower1/config.txt"
echo "notes kept in lower2" >"$T/lower2/notes.txt"
echo "old log in lower2" >"$T/lower2/old.log"

heading() { printf '\n== %s\n' "$*"; }

heading "layers: lower1 (top) over lower2 (bottom), empty upper, mounted at $T/app"
(cd "$T" && find lower1 lower2 upper | sort)

export T
# shellcheck disable=SC2016 # expanded by the shell inside fuss
"$FUSS" --mountpoint="$T/app" --lowerdir="$T/lower1:$T/lower2" \
	--upperdir="$T/upper" -- sh -e -c '
heading() { printf "\n== %s\n" "$*"; }

heading "read through the layers: cat app/config.txt (both lowers have it, the top wins)"
cat "$T/app/config.txt"

heading "copy-up: echo >> app/notes.txt (a file that only lower2 has)"
echo "a line added through fuss" >>"$T/app/notes.txt"
cat "$T/app/notes.txt"

heading "whiteout: rm app/old.log, then ls app"
rm "$T/app/old.log"
ls "$T/app"
'

heading "lower2/notes.txt is unchanged"
cat "$T/lower2/notes.txt"
heading "upper/notes.txt holds the copy"
cat "$T/upper/notes.txt"
heading "lower2 still has old.log; upper has the marker that hides it (ls -la upper)"
ls "$T/lower2"
ls -la "$T/upper"
