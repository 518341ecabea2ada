#!/bin/sh
# Checks of what fuss reports about a run: the log (FUSS_LOG_LEVEL,
# --log-file) and --stats. Every log line must parse as logfmt with the
# keys of its kind; known programs must give the expected intercept lines;
# logging must not change what a workload sees or leaves in the upper dir;
# lines from two workers and vfsd in one --log-file never tear; the
# --stats=json counts of a workload with known copy-ups and whiteouts must
# match it and the intercept lines of the same run.
#   sh tests/e2e/observe.sh /abs/path/fuss /abs/path/probe
# Prints PASS/FAIL/SKIP per check and "observe: N passed, N failed, N skipped".
set -u
FUSS=$1
PROBE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK="python3 $HERE/src/logcheck.py"
export LC_ALL=C
unset FUSS_LOG_LEVEL FUSS_DEBUG
T=$(mktemp -d /tmp/fuss-observe.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$HERE/report.sh"
L=$T/l
U=$T/u
M=$T/m
# A name that needs quoting: space, quote, backslash, a non-ASCII byte.
ODD=$(printf 'sp ace"q\\b\303\251')

fresh() {
	rm -rf "$L" "$U"
	mkdir -p "$L/sub" "$U"
	echo lower >"$L/f"
	echo odd >"$L/$ODD"
	echo r >"$L/r1"
	for f in d1 d2 d3 d4; do echo "$f" >"$L/$f"; done
	# copied up below: 1000 + 3000 + 6000 bytes, no holes
	head -c 1000 /dev/urandom >"$L/big1"
	head -c 3000 /dev/urandom >"$L/big2"
	head -c 6000 /dev/urandom >"$L/big3"
}

run() {
	"$FUSS" --mountpoint="$M" --lowerdir="$L" --upperdir="$U" "$@"
}

if ! command -v python3 >/dev/null 2>&1; then
	sk observe "python3 is missing (make test-deps installs it)"
	echo "observe: $pass passed, $fail failed, $skip skipped"
	exit 0
fi

# --- usage ----------------------------------------------------------------
fresh
run --log-file="$T/nodir/log" -- touch "$T/ran" >"$T/out" 2>"$T/err"
expect usage-log-file-unopenable "2 1 yes no" "$? $(wc -l <"$T/err") \
$(grep -q '^fuss: --log-file: ' "$T/err" && echo yes) $([ -e "$T/ran" ] && echo yes || echo no)"
run --log-file="$T/lf" --workers=0 -- true >"$T/out" 2>"$T/err"
expect usage-other-error-no-log-file "2 no" "$? $([ -e "$T/lf" ] && echo yes || echo no)"
run --stats=xml -- true >"$T/out" 2>"$T/err"
expect usage-stats-value "2 1" "$? $(wc -l <"$T/err")"

# --- intercept lines of known calls ---------------------------------------
fresh
FUSS_LOG_LEVEL=intercept run --log-file="$T/log1" -- sh -c "
	$PROBE stat $M/f; $PROBE open $M/missing O_RDONLY; $PROBE stat '$M/$ODD'
	$PROBE rename $M/r1 $M/r2; $PROBE listdir $M/sub" >"$T/out" 2>"$T/err"
expect intercept-run "0 OK type=reg mode=0644 size=6 nlink=1|ERR ENOENT|0" \
	"$? $(head -n 2 "$T/out" | paste -sd'|' -)|$(wc -c <"$T/err")"
expect intercept-stat-lower "syscall='newfstatat' path='$M/f' resolved='$L/f' vfs='/f' result='rewritten'" \
	"$($CHECK find "$T/log1" syscall=newfstatat vfs=/f)"
expect intercept-open-missing "syscall='openat' path='$M/missing' resolved='-' vfs='/missing' result='error' errno='ENOENT'" \
	"$($CHECK find "$T/log1" vfs=/missing)"
got=$($CHECK find "$T/log1" syscall=newfstatat "vfs=/$ODD" | sed 's/^.* path=\(.*\) resolved=.*$/\1/')
want=$(python3 -c 'import sys; print(repr(sys.argv[1] + "/" + sys.argv[2]))' "$M" "$ODD")
expect intercept-quoted-path "$want" "$got"
expect intercept-two-paths "syscall='rename' path='$M/r1' resolved='-' vfs='/r1' path2='$M/r2' resolved2='-' vfs2='/r2' result='emulated'" \
	"$($CHECK find "$T/log1" syscall=rename)"
expect intercept-fd-call "yes" "$($CHECK find "$T/log1" syscall=getdents64 vfs=/sub |
	grep -q "^syscall='getdents64' fd='[0-9]*' resolved='-' vfs='/sub' result=" && echo yes)"
expect intercept-outside "syscall='newfstatat' path='$T' resolved='$T' vfs='-' result='passed'" \
	"$(FUSS_LOG_LEVEL=intercept run -- "$PROBE" stat "$T" 2>&1 >/dev/null |
	python3 "$HERE/src/logcheck.py" find /dev/stdin syscall=newfstatat path="$T")"
r=$($CHECK lines "$T/log1") && case $r in
"lines "*" roles w"*) ok intercept-lines-parse ;;
*) ko intercept-lines-parse "$r" ;;
esac || ko intercept-lines-parse "$r"

# A relative name whose dirfd already is the real directory holding it is
# left to the kernel; a dirfd on the lower part of a merged directory with
# the name in upper gets the upper path.
fresh
mkdir "$U/sub"
echo up >"$U/sub/u"
echo low >"$L/sub/l"
FUSS_LOG_LEVEL=intercept run --log-file="$T/log5" -- sh -c "$PROBE openat-dirfd $M/sub l O_RDONLY
	$PROBE openat-dirfd $M/sub u O_RDONLY" >"$T/out" 2>&1
expect intercept-relative-untouched "OK|OK|passed|rewritten resolved='$U/sub/u'" \
	"$(grep -c . "$T/out" | sed 's/^2$/OK|OK/')|$($CHECK find "$T/log5" syscall=openat vfs=/sub/l |
	sed "s/.*result='\([a-z]*\)'.*/\1/")|$($CHECK find "$T/log5" syscall=openat vfs=/sub/u |
	sed "s/.* \(resolved='[^']*'\) .*result='\([a-z]*\)'.*/\2 \1/")"

# --- logging changes nothing ----------------------------------------------
WORK="cd $M && stat -c '%n %s %F' f sub && cat f big1 | wc -c && mkdir -p new/deep &&
	echo x >new/deep/y && echo more >>f && rm d1 && mv d2 moved && mv r1 sub/ &&
	ln -s f link && ls -la . sub new | awk '{ print \$1, \$NF }'; ls nope; echo \$?"
fresh
run -- sh -c "$WORK" >"$T/plain.out" 2>&1
sh "$HERE/tree.sh" "$U" >"$T/plain.tree"
fresh
FUSS_LOG_LEVEL=intercept run --log-file="$T/log2" -- sh -c "$WORK" >"$T/logged.out" 2>&1
sh "$HERE/tree.sh" "$U" >"$T/logged.tree"
if cmp -s "$T/plain.out" "$T/logged.out" && cmp -s "$T/plain.tree" "$T/logged.tree" &&
	[ -s "$T/log2" ]; then
	ok logging-changes-nothing
else
	ko logging-changes-nothing "$(diff "$T/plain.out" "$T/logged.out" | head -n 5)
$(diff "$T/plain.tree" "$T/logged.tree" | head -n 5)"
fi

# --- one --log-file, two workers and vfsd, a parallel workload --------------
fresh
PAR="for j in 1 2 3 4; do (for i in 1 2 3 4 5 6 7 8 9 10; do $PROBE stat $M/f >/dev/null; done) & done; wait"
FUSS_LOG_LEVEL=debug run --workers=2 --log-file="$T/log3" -- sh -c "$PAR" >"$T/out" 2>"$T/err"
expect log-file-parallel-run "0 0" "$? $(wc -c <"$T/err")"
r=$($CHECK lines "$T/log3") && case $r in
*" roles vfsd,w0,w1") ok log-file-parallel-lines-parse ;;
*) ko log-file-parallel-lines-parse "$r (want roles vfsd,w0,w1)" ;;
esac || ko log-file-parallel-lines-parse "$r"
expect log-file-parallel-one-line-per-stat 40 \
	"$($CHECK find "$T/log3" syscall=newfstatat path="$M/f" | grep -c "result='rewritten'")"
FUSS_LOG_LEVEL=intercept run --log-file="$T/log3" -- "$PROBE" stat "$M/f" >/dev/null 2>&1
expect log-file-appends 41 "$($CHECK find "$T/log3" syscall=newfstatat path="$M/f" | wc -l)"

# --- --stats ----------------------------------------------------------------
# 20 stats of a lower file, 20 opens of a missing name, 3 copy-ups (10000
# bytes), 4 whiteouts; the intercept lines of the same run give every
# outcome count exactly.
fresh
STATS="for i in \$(seq 20); do $PROBE stat $M/f; $PROBE open $M/missing O_RDONLY; done >/dev/null
	for f in big1 big2 big3; do : >>$M/\$f; done; rm $M/d1 $M/d2 $M/d3 $M/d4"
FUSS_LOG_LEVEL=intercept run --workers=2 --stats=json --log-file="$T/log4" \
	-- sh -c "$STATS" >"$T/out" 2>"$T/stats"
expect stats-json "0 1" "$? $(grep -c '^{' "$T/stats")"
expect stats-json-counts ok "$($CHECK stats "$T/stats" syscalls.newfstatat.stops'>='20 \
	syscalls.newfstatat.rewritten'>='20 syscalls.openat.errors'>='20 copyups.count=3 \
	copyups.bytes=10000 whiteouts=4 vfsd.ops.unlink=4 vfsd.ops.copyup'>='3)"
expect stats-match-intercept-lines ok "$(python3 - "$HERE/src" "$T/stats" "$T/log4" <<'PY'
import collections, json, sys
sys.path.insert(0, sys.argv[1])
sys.argv.pop(1)
from logcheck import parse, read_lines
obj = [json.loads(l) for l in read_lines(sys.argv[1]) if l.startswith("{")][-1]
seen = collections.Counter()
for line in read_lines(sys.argv[2]):
    p = parse(line)
    if p["msg"] == "intercept":
        seen[(p["syscall"], p["result"])] += 1
keys = {"passed": "passed", "rewritten": "rewritten", "emulated": "emulated", "error": "errors"}
bad = ["%s %s: %d lines, %d counted" % (s, r, seen[(s, r)], row[k])
       for s, row in obj["syscalls"].items() for r, k in keys.items()
       if seen[(s, r)] != row[k]]
bad += ["%s: lines but no row" % s for s, _ in seen if s not in obj["syscalls"]]
print("; ".join(bad) if bad else "ok")
PY
)"
# Names of one directory opened one by one, never listed: the second miss
# there asks vfsd for all its names, so 3 lookups (sub, n1, n2), not 7.
fresh
for f in n1 n2 n3 n4 n5 n6; do echo "$f" >"$L/sub/$f"; done
run --workers=1 --stats=json -- cat "$M/sub/n1" "$M/sub/n2" "$M/sub/n3" "$M/sub/n4" \
	"$M/sub/n5" "$M/sub/n6" >/dev/null 2>"$T/stats2"
expect stats-second-miss-fills-dir ok "$($CHECK stats "$T/stats2" vfsd.ops.lookup=3)"
fresh
run --workers=2 --stats -- cat "$M/f" >/dev/null 2>"$T/table"
expect stats-table "yes 1 1 1 2" "$(grep -q '^fuss: stats: syscall  *stops  *passed  *rewritten  *emulated  *errors  *time_us  *us/call$' "$T/table" && echo yes) \
$(grep -c '^fuss: stats: (total) ' "$T/table") $(grep -c '^fuss: stats: copy-ups 0 (0 bytes), whiteouts 0$' "$T/table") \
$(grep -c '^fuss: stats: vfsd [0-9]* requests' "$T/table") $(grep -c '^fuss: stats: w[0-9]' "$T/table")"

echo "observe: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
