#!/bin/sh
# The benchmark suite's table (perf/bench-table.awk) on fixed raw results:
# medians of odd and even counts, min-max, ratios to native, failed runs,
# fuss's peak RSS, skipped systems, and the Markdown form.
#   sh tests/perf-table.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/e2e/report.sh"
T=$(mktemp -d /tmp/fuss-perf-table.XXXXXX)
trap 'rm -rf "$T"' EXIT

cat >"$T/raw" <<'EOF'
INFO kernel 6.1-test
SKIP proot: proot not installed
RES W2a native 0.400
RES W2a fuss 6.000
RES W2a kernel fail
RES W2a native 0.600
RES W2a fuss 4.000
RES W2a kernel 0.800
RES W2a native 0.500
RES W2a fuss 5.000
RSS W2a 10240 20480 25600
RSS W2a 11264 19456 26624
RES W5:stat_in native 1000
RES W5:stat_in floor-bare 20000
RES W5:stat_in native 3000
EOF
awk -f "$top/perf/bench-table.awk" "$T/raw" >"$T/text"
awk -v fmt=md -f "$top/perf/bench-table.awk" "$T/raw" >"$T/md"
row() { grep -E "^$1 +$2 " "$T/text" | tr -s ' '; }

expect "table-info" "kernel: 6.1-test" "$(head -n 1 "$T/text")"
expect "table-median-odd" "W2a find native 0.500 0.400-0.600 1.00x n=3" "$(row 'W2a find' native)"
expect "table-ratio" "W2a find fuss 5.00 4.00-6.00 10.00x n=3" "$(row 'W2a find' fuss)"
expect "table-fail" "W2a find kernel fails (1 of the runs)" "$(row 'W2a find' kernel)"
expect "table-median-even" "W5 stat_in (ns) native 2000 1000-3000 1.00x n=2" \
	"$(row 'W5 stat_in \(ns\)' native)"
expect "table-extra-system" "W5 stat_in (ns) floor-bare 20000 20000-20000 10.00x n=1" \
	"$(row 'W5 stat_in \(ns\)' floor-bare)"
expect "table-rss" "W2a find 11.0 20.0 30.0 26.0" "$(row 'W2a find' '[0-9.]+' | tail -n 1)"
expect "table-skip" "skipped: proot: proot not installed" "$(grep '^skipped' "$T/text")"
expect "md-header" "| workload | native | kernel | fuss | floor-bare | fuss peak RSS MiB |" \
	"$(grep '^| workload' "$T/md")"
expect "md-row" "| W2a find | 0.500 s | fails | 10× (5.00 s) |  | 30.0 |" \
	"$(grep '^| W2a' "$T/md")"
expect "md-skip" "- skipped: proot: proot not installed" "$(grep '^- skipped' "$T/md")"

echo "perf-table: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
