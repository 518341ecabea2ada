#!/bin/sh
# Memory benchmark (make bench-memory): resident memory of the tracer and of
# vfsd, and walk times, for find, du -s and ls -lR of a 70 000-file tree
# over two lower layers (tests/e2e/memory.py builds it), with a dentry
# cache smaller than the tree, the default one and one that holds it all;
# then what the whole-cache flush costs: du -s twice in one run, with the
# cache's hits, misses and flushes (--stats).
#   1. per workload and cache size: peak RSS (VmHWM) of the tracer and of
#      vfsd, their sum (the shared segment counted twice), the peak with
#      the segment counted once, and wall time;
#   2. the same for ls -lR with --workers=8;
#   3. du -s twice per cache size: wall time, hits, misses, flushes.
# usage: sh perf/memory.sh [CACHE_MB...]   (default: 4 10 64)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
caches=${*:-4 10 64}
make -C "$top" --no-print-directory fuss >/dev/null
fuss=$top/fuss
py=$top/tests/e2e/memory.py
work=$(mktemp -d /tmp/fuss-memory-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
now() { date +%s%N; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

python3 "$py" tree "$work"
m=$work/m

# run CACHE_MB COMMAND FUSS_OPTION...: one fuss run; sets peaks and secs
run() {
	mb=$1 cmd=$2
	shift 2
	t0=$(now)
	python3 "$py" watch "$work/peaks" -- "$fuss" --mountpoint="$m" \
		--lowerdir="$work/l1:$work/l2" --cache-mb="$mb" "$@" \
		-- sh -c "$cmd" >/dev/null 2>"$work/err"
	t1=$(now)
	read -r tr vf once <"$work/peaks"
	secs=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
	peaks="$(mib "$tr") $(mib "$vf") $(mib $((tr + vf))) $(mib "$once")"
}

echo "== peak RSS (MiB) and wall time, 70 000 files, default workers ($(nproc) CPUs)"
printf '%-8s %-9s %8s %8s %8s %10s %8s\n' workload cache_MiB tracer vfsd sum seg_once wall_s
for mb in $caches; do
	for w in find du ls; do
		case $w in
		find) cmd="find $m >/dev/null" ;;
		du) cmd="du -s $m" ;;
		ls) cmd="ls -lR $m" ;;
		esac
		run "$mb" "$cmd"
		set -- $peaks
		printf '%-8s %-9s %8s %8s %8s %10s %8s\n' "$w" "$mb" "$1" "$2" "$3" "$4" "$secs"
	done
done
echo
echo "== ls -lR with --workers=8"
printf '%-8s %-9s %8s %8s %8s %10s %8s\n' workload cache_MiB tracer vfsd sum seg_once wall_s
for mb in $caches; do
	run "$mb" "ls -lR $m" --workers=8
	set -- $peaks
	printf '%-8s %-9s %8s %8s %8s %10s %8s\n' ls "$mb" "$1" "$2" "$3" "$4" "$secs"
done
echo "(sum: VmHWM of both processes, the shared segment counted in each;"
echo " seg_once: largest sample of anon + file pages of both plus the segment once)"
echo
echo "== du -s twice in one run: what a full cache costs"
printf '%-9s %8s %10s %10s %8s %8s\n' cache_MiB wall_s hits misses hit_rate flushes
for mb in $caches; do
	run "$mb" "du -s $m; du -s $m" --stats
	awk -v mb="$mb" -v s="$secs" '/stats: dcache/ {
		gsub(/[(),]/, "")
		printf "%-9s %8s %10s %10s %8s %8s\n", mb, s, $8, $10, $14, $15 }' "$work/err"
done
