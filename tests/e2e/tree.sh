#!/bin/sh
# Prints a layer (or a mounted tree) as sorted lines, one per entry, so two
# trees can be compared with diff:
#   sh tree.sh DIR
#   PATH TYPE MODE [SIZE nlink=N sha=HASH | -> TARGET | RDEV] [xattr ...] [OPAQUE]
# TYPE is find's letter (f d l c b p s). Directories have no size.
#
# Overlay markers are normalised so both whiteout formats read the same:
# a 0:0 char device, a ".wh.NAME" file or a kernel xattr whiteout prints as
# "NAME WHITEOUT"; ".wh..wh..opq" or an opaque xattr (trusted.overlay.,
# user.overlay., user.fuseoverlayfs.) with value y tags the directory
# OPAQUE. Overlay-private xattrs (trusted.overlay.*, user.overlay.*,
# user.fuseoverlayfs.*) are markers or kernel bookkeeping and are left out.
# Timestamps and owners are not printed by default.
#
#   TREE_MARKERS=all         read both marker formats (the default)
#   TREE_MARKERS=chardev     only char devices and xattrs are markers; a
#                            ".wh.*" name is an ordinary entry
#   TREE_MARKERS=fileprefix  only ".wh.*" names are markers; a 0:0 device
#                            or an opaque xattr prints as it is
#   TREE_MARKERS=none        no markers (a mounted, merged view)
#   TREE_MTIME=1  add the mtime of regular files
#   TREE_RAW=1    no normalisation at all: every entry as it is on disk,
#                 with owner, mtime, device numbers and every xattr (for
#                 checking that a layer did not change)
set -eu

[ $# -eq 1 ] || { echo "usage: tree.sh DIR" >&2; exit 2; }
D=${1%/}
[ -d "$D" ] || { echo "tree.sh: $D: not a directory" >&2; exit 2; }
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuss-tree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Paths are printed relative to D; "." is D itself. Every name and link
# target is printed with backslash, tab, CR and newline as octal escapes
# (\134 \011 \015 \012: getfattr's own escapes, plus tab), so one entry is
# one line whatever its name; other bytes (non-UTF-8 ones too) print as
# they are. Names travel NUL-terminated until they are escaped.
esc() {
	sed -z 's/\\/\\134/g; s/\t/\\011/g; s/\r/\\015/g; s/\n/\\012/g' | tr '\0' '\n'
}
# Trees without such names (nearly all) take a shorter way with the same
# output.
tab=$(printf '\t') cr=$(printf '\r') nl='
'
odd="*[$tab$cr$nl\\\\]*"
if [ -z "$(find "$D" \( -name "$odd" -o -lname "$odd" \) -print -quit)" ]; then
	find "$D" -printf '%P\t%y\t%m\t%s\t%n\t%U:%G\t%T@\t%l\n' >"$tmp/entries"
	(cd "$D" && find . -type f -print0 | xargs -0 -r sha256sum) >"$tmp/sums"
	(cd "$D" && find . \( -type c -o -type b \) -exec stat -c '%n	%t:%T' {} +) \
		>"$tmp/rdevs"
else
	find "$D" -printf '%P\0%y\0%m\0%s\0%n\0%U:%G\0%T@\0%l\0' | esc |
		paste -d '\t' - - - - - - - - >"$tmp/entries"
	(cd "$D" && find . -type f -print0 | xargs -0 -r sha256sum -z) | esc >"$tmp/sums"
	(cd "$D" && find . \( -type c -o -type b \) -exec stat --printf '%n\0%t:%T\0' {} +) |
		esc | paste -d '\t' - - >"$tmp/rdevs"
fi
(cd "$D" && getfattr -R -P -h -d -m - --absolute-names . 2>/dev/null) \
	>"$tmp/xattrs" || true

markers=${TREE_MARKERS:-all}
case $markers in
all | chardev | fileprefix | none) ;;
*) echo "tree.sh: TREE_MARKERS=$markers: unknown" >&2; exit 2 ;;
esac

awk -F '\t' -v raw="${TREE_RAW:-0}" -v mtime="${TREE_MTIME:-0}" \
	-v markers="$markers" '
function rel(p) { sub(/^\.\//, "", p); return p == "." || p == "" ? "." : p }
function dirof(p) { return p ~ /\// ? substr(p, 1, match(p, /\/[^\/]*$/) - 1) : "." }
function baseof(p) { return p ~ /\// ? substr(p, match(p, /\/[^\/]*$/) + 1) : p }
function join(d, n) { return d == "." ? n : d "/" n }
function opaque_name(name) {
	return name ~ /^(trusted|user)\.overlay\.opaque$/ || name == "user.fuseoverlayfs.opaque"
}
function private(name) {
	# in fileprefix form an opaque xattr is no marker: show it as it is
	if (markers == "fileprefix" && opaque_name(name)) return 0
	return name ~ /^trusted\.overlay\./ || name ~ /^user\.overlay\./ ||
	       name ~ /^user\.fuseoverlayfs\./
}
BEGIN {
	devs = markers == "all" || markers == "chardev"
	prefixes = markers == "all" || markers == "fileprefix"
}
FILENAME == ARGV[1] {
	# "HASH  ./path"
	sha[rel(substr($0, 67))] = substr($0, 1, 16); next
}
FILENAME == ARGV[2] { rdev[rel($1)] = $2; next }
FILENAME == ARGV[3] {
	# getfattr escapes \\, CR and newline but leaves tabs as they are
	if ($0 ~ /^# file: /) { cur = rel(substr($0, 9)); gsub(/\t/, "\\011", cur); next }
	if ($0 == "") next
	eq = index($0, "="); name = substr($0, 1, eq - 1); val = substr($0, eq + 1)
	xa[cur, name] = val
	if (devs && opaque_name(name) && val == "\"y\"") opq[cur] = 1
	if (devs && name ~ /^(trusted|user)\.overlay\.whiteout$/) xwh[cur] = 1
	if (raw || !private(name)) xs[cur] = xs[cur] " xattr:" name "=" val
	next
}
{
	p = $1 == "" ? "." : $1; y = $2; m = $3; s = $4; nl = $5; own = $6; t = $7; l = $8
	b = baseof(p); d = dirof(p)
	if (!raw) {
		if (prefixes && b == ".wh..wh..opq") { opq[d] = 1; next }
		if (prefixes && b ~ /^\.wh\./) { wh[join(d, substr(b, 5))] = 1; next }
		if (devs && y == "c" && rdev[p] == "0:0") { wh[p] = 1; next }
		if (y == "f" && s == 0 && xwh[p]) { wh[p] = 1; next }
	}
	line = p " " y " " m
	if (y == "f") line = line " " s " nlink=" nl " sha=" sha[p]
	else if (y == "l") line = line " -> " l
	else if (y == "c" || y == "b") line = line " " rdev[p]
	if (raw) line = line " owner=" own " mtime=" t
	else if (mtime && y == "f") line = line " mtime=" t
	line = line xs[p]
	out[p] = line
}
END {
	for (p in wh) out[p] = p " WHITEOUT"
	for (p in out) {
		if (!raw && (p in opq)) out[p] = out[p] " OPAQUE"
		print out[p]
	}
}
' "$tmp/sums" "$tmp/rdevs" "$tmp/xattrs" "$tmp/entries" | sort
