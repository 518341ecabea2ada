#!/bin/sh
# vfsd under valgrind over a long workload (tests/valgrind/workload.py:
# thousands of lookups, copy-ups, renames, unlinks, mkdir/rmdir, links),
# once per whiteout format. fuss starts vfsd through FUSS_VFSD_WRAP and
# waits for valgrind's report at its exit; each run passes when the
# workload succeeded and valgrind found no error and no leak.
#   sh tests/valgrind/run.sh /abs/path/fuss
# FUSS_VALGRIND_N=N  files in the lower layer (default 2000)
# Ends with "valgrind: N passed, N failed, N skipped".
set -u
FUSS=$1
N=${FUSS_VALGRIND_N:-2000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/report.sh"

if ! command -v valgrind >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	sk vfsd-valgrind "needs valgrind and python3"
	echo "valgrind: $pass passed, $fail failed, $skip skipped"
	exit 0
fi
T=$(mktemp -d /tmp/fuss-valgrind.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/lower"
python3 - "$T/lower" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in range(10):
    os.mkdir(f"{root}/d{d}")
for i in range(n):
    with open(f"{root}/d{i % 10}/f{i}", "w") as f:
        f.write(f"file {i}\n")
PY

for mode in fileprefix chardev; do
	rm -rf "$T/upper" "$T"/vg.*
	mkdir "$T/upper"
	t0=$(date +%s)
	FUSS_VFSD_WRAP="valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --log-file=$T/vg.%p" \
		"$FUSS" --mountpoint="$T/m" --lowerdir="$T/lower" --upperdir="$T/upper" \
		--whiteout=$mode -- python3 "$HERE/workload.py" "$T/m" "$N" >"$T/out" 2>&1
	st=$?
	t1=$(date +%s)
	cat "$T/out"
	log=$(ls "$T"/vg.* 2>/dev/null | head -n 1)
	if [ -z "$log" ]; then
		ko "vfsd-valgrind-$mode" "no valgrind report (status $st)"
		continue
	fi
	grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|All heap blocks' "$log" | sed 's/^==[0-9]*== */  /'
	echo "  $((t1 - t0)) s"
	if [ "$st" -ne 0 ]; then
		ko "vfsd-valgrind-$mode" "the workload failed (status $st)"
	elif ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
		sed -n '/HEAP SUMMARY/,$p' "$log" | head -n 60
		ko "vfsd-valgrind-$mode" "valgrind reports errors or leaks ($log)"
	else
		ok "vfsd-valgrind-$mode"
	fi
done
echo "valgrind: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
