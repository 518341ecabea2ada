#!/bin/sh
# W5 micro benchmark as a table (`make bench-micro`): perf/w5.sh's lines
# summed up per op and system as median, min-max and ratio to native, then
# fuss's stat against the floor tracer's stop and against PRoot.
# usage: sh perf/micro.sh [ROUNDS [ITERATIONS]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp /tmp/fuss-micro.XXXXXX)
trap 'rm -f "$out"' EXIT
sh "$here/w5.sh" "${1:-5}" "${2:-20000}" >"$out"
awk '
function median(k,    i, j, t, m, v) {
	m = cnt[k]
	for (i = 1; i <= m; i++)
		v[i] = val[k, i]
	for (i = 2; i <= m; i++)	# insertion sort: a handful of rounds
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	lo[k] = v[1]; hi[k] = v[m]
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
function ratio(a, b, what) {
	if ((a in med) && (b in med) && med[b] > 0)
		printf "%-50s %6.2fx\n", what, med[a] / med[b]
}
$1 == "W5" {
	k = $2 SUBSEP $3
	if (!(k in cnt)) {
		if (!($2 in seen_op)) { seen_op[$2] = 1; ops[++nops] = $2 }
		if (!($3 in seen_sys)) { seen_sys[$3] = 1; sys[++nsys] = $3 }
	}
	val[k, ++cnt[k]] = $4
	next
}
$1 == "SKIP" { skips[++nskip] = $0 }
END {
	for (k in cnt)
		med[k] = median(k)
	printf "%-14s %-19s %10s %17s %9s\n", "op", "system", "median_ns", "min-max_ns", "x_native"
	for (i = 1; i <= nops; i++)
		for (j = 1; j <= nsys; j++) {
			k = ops[i] SUBSEP sys[j]
			if (!(k in med))
				continue
			n = ops[i] SUBSEP "native"
			x = (n in med) && med[n] > 0 ? sprintf("%8.2fx", med[k] / med[n]) : "-"
			printf "%-14s %-19s %10d %17s %9s\n", ops[i], sys[j], med[k],
				sprintf("%d-%d", lo[k], hi[k]), x
		}
	print ""
	s = "stat_in" SUBSEP
	ratio(s "fuss", s "floor-bare", "fuss stat_in / floor-bare stat_in")
	ratio(s "fuss", s "floor-regs", "fuss stat_in / floor-regs stat_in")
	ratio(s "fuss-cpu0", s "floor-bare-samecpu", "fuss-cpu0 stat_in / floor-bare-samecpu stat_in")
	ratio(s "floor-bare", s "floor-bare-samecpu", "floor-bare stat_in / floor-bare-samecpu stat_in")
	ratio(s "proot", s "fuss", "proot stat_in / fuss stat_in")
	for (i = 1; i <= nskip; i++)
		print skips[i]
}' "$out"
