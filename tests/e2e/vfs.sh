#!/bin/sh
# The VFS interface's two implementations and the audit log on top of it
# (README "Audit" and "Extending fuss"):
#  - passthrough: a workload in a host directory gives the same output and
#    the same tree as without fuss, while its calls are intercepted (stops
#    counted by --stats) and the command is traced; layer options and
#    unknown names are refused (one line, exit 2);
#  - --audit with the overlay: a known command's lines (syscall, path as
#    given, virtual path, layer, real path, result) for a read of a lower
#    file, an append (copy-up: upper), a create, a rename, a missing name
#    (also below a listed one-layer directory) and an exec; odd bytes in
#    names round-trip; every line is JSON;
#  - --audit with passthrough: absolute paths, no layer;
#  - a bad --audit file: one line, exit 2, the command never runs.
#   sh tests/e2e/vfs.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL per check and "vfs: N passed, N failed, N skipped".
set -u
FUSS=$1
PROBE=$2
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/fuss-vfs.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
. "$HERE/report.sh"

# The workload: files made, changed, renamed, listed and removed in $1.
work() {
	cd "$1" || exit 1
	echo one >a && echo two >>a && cat a
	mkdir -p d/e && mv a d/e/b && ls -R . | sort
	ln -s d/e/b s && cat s && readlink s
	rm -r d s && ls -A
	cat missing 2>&1 || echo "status $?"
}
tree() { (cd "$1" && find . -printf '%p %y %m %s\n' | sort); }

mkdir "$T/native" "$T/pt"
(work "$T/native") >"$T/native.out" 2>&1
"$FUSS" --vfs=passthrough --stats -- sh -c "$(sed -n '/^work() {/,/^}/p' "$0"); work '$T/pt'" \
	>"$T/pt.out" 2>"$T/pt.err"
rc=$?
expect passthrough-output "0 $(sed "s|$T/native|X|g" "$T/native.out")" \
	"$rc $(sed "s|$T/pt|X|g" "$T/pt.out")"
expect passthrough-tree "$(tree "$T/native")" "$(tree "$T/pt")"
stops=$(sed -n 's/.*total \([0-9]*\) stops.*/\1/p' "$T/pt.err")
if [ -n "$stops" ] && [ "$stops" -gt 20 ]; then
	ok passthrough-intercepted
else
	ko passthrough-intercepted "stops: [$stops] $(cat "$T/pt.err")"
fi
expect passthrough-traced "yes" "$("$FUSS" --vfs=passthrough -- sh -c \
	'[ "$(sed -n "s/TracerPid:\t//p" /proc/self/status)" != 0 ] && echo yes')"

usage() {
	"$FUSS" "$@" -- touch "$T/ran" >"$T/u.out" 2>"$T/u.err"
	echo "$? $(wc -l <"$T/u.err") $([ -e "$T/ran" ] && echo ran || echo not-run)"
}
expect passthrough-no-layers "2 1 not-run" "$(usage --vfs=passthrough --mountpoint="$T/m")"
expect vfs-unknown "2 1 not-run" "$(usage --vfs=union)"
expect vfs-unknown-message "fuss: --vfs: union: expected overlay or passthrough" "$(cat "$T/u.err")"

# --audit with the overlay
mkdir -p "$T/l1" "$T/u" "$T/m"
echo low >"$T/l1/f"
printf 'x' >"$T/l1/$(printf 'odd\nname\377')"
cp /bin/true "$T/l1/prog"
mkdir -p "$T/l1/d/e"
echo x >"$T/l1/d/e/f"
cd "$T" || exit 1
"$FUSS" --mountpoint="$T/m" --lowerdir="$T/l1" --upperdir="$T/u" --audit="$T/audit" -- \
	sh -c 'cd "$1" && "$2" open f O_RDONLY && "$2" open f "O_WRONLY|O_APPEND" &&
		"$2" open new "O_WRONLY|O_CREAT" 0644 && "$2" rename new renamed &&
		"$2" stat missing; "$2" stat odd*; ./prog;
		"$2" walk list:d stat:d/e/missing' sh "$T/m" "$PROBE" >/dev/null 2>&1
rc=$?
python3 - "$T/audit" "$T" "$(basename "$PROBE")" >"$T/audit.check" 2>&1 <<'EOF'
import json, sys
path, t, probe = sys.argv[1:4]
m = t + "/m"
lines = open(path, "rb").read().splitlines()
recs = []
for raw in lines:
    r = json.loads(raw)  # every line is JSON
    for k in ("time", "pid", "tid", "exe", "syscall", "path", "vpath", "layer", "real", "result"):
        assert k in r, (k, r)
    recs.append(r)
def only(pred, what):
    got = [r for r in recs if pred(r)]
    assert len(got) == 1, (what, got)
    return got[0]
mine = [r for r in recs if (r["exe"] or "").endswith("/" + probe)]
def one(syscall, vpath, **kw):
    got = [r for r in mine if r["syscall"] in syscall and r["vpath"] == vpath]
    assert got, (syscall, vpath, [x for x in mine])
    r = got[0]
    for k, v in kw.items():
        assert r[k] == v, (k, v, r)
    return r
one(("open", "openat"), m + "/f", path="f", layer=1, real=t + "/l1/f", result=3)
r = [x for x in mine if x["syscall"] in ("open", "openat") and x["vpath"] == m + "/f"][1]
assert (r["layer"], r["real"], r["result"]) == (0, t + "/u/f", 3), r  # copied up
one(("open", "openat"), m + "/new", layer=0, real=t + "/u/new", result=3)
one(("rename", "renameat", "renameat2"), m + "/new", path2="renamed",
    vpath2=m + "/renamed", layer2=0, real2=t + "/u/renamed", result=0)
one(("stat", "newfstatat", "statx"), m + "/missing", layer=None, real=None, result="ENOENT")
# below a listed one-layer directory, too: a missing name has no layer
one(("stat", "newfstatat", "statx"), m + "/d/e/missing", layer=None, real=None,
    result="ENOENT")
odd = [x for x in mine if x["path"].startswith("odd")]
assert odd and odd[0]["path"].encode("latin-1") == b"odd\nname\xff", odd
assert odd[0]["layer"] == 1, odd
only(lambda r: r["syscall"] == "execve" and r["vpath"] == m + "/prog"
     and r["real"] == t + "/l1/prog" and r["result"] == 0, "exec of the overlay program")
assert any(r["exe"] == m + "/prog" for r in recs), "the program's own exe is its overlay path"
print("ok", len(recs))
EOF
expect audit-overlay "0 ok" "$rc $(cut -d' ' -f1 "$T/audit.check")"
[ "$(cut -d' ' -f1 "$T/audit.check")" = ok ] || sed 's/^/  /' "$T/audit.check" | tail -5

# --audit with passthrough: a relative name is made absolute, no layer
mkdir "$T/h" && echo x >"$T/h/g"
(cd "$T/h" && "$FUSS" --vfs=passthrough --audit="$T/audit2" -- "$PROBE" stat g >/dev/null 2>&1)
expect audit-passthrough "1" "$(grep -c "\"path\":\"g\",\"vpath\":\"$T/h/g\",\"layer\":null,\"real\":\"$T/h/g\",\"result\":0" "$T/audit2")"

expect audit-bad-file "2 1 not-run" "$(usage --vfs=passthrough --audit="$T/no/such/dir/log")"
expect audit-bad-file-message "fuss: --audit: $T/no/such/dir/log: No such file or directory" \
	"$(cat "$T/u.err")"

echo "vfs: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
