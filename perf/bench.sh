#!/bin/sh
# The benchmark suite (make bench, make bench-quick): the workloads of
# BENCHMARKS.md on native, kernel overlayfs, fuse-overlayfs, PRoot and fuss
# (and, for W3, fuss --volatile), the systems alternating within each
# round, then one table of medians, min-max and ratios to native
# (perf/bench-table.awk), fuss's peak RSS per workload and what was
# skipped and why.
#   W1  binutils (Debian's binutils-source): ./configure && make -j2
#       all-libiberty all-bfd in the overlay (full run only)
#   W2  walks of Debian's linux-source tree: find, find -newer, ls -lR,
#       du -s, grep -r (quick: over its fs/ only)
#   W3  copy-up: touch, then (fresh layers) append a byte to, every *.c
#       under drivers/net (quick: drivers/net/wireless/ath)
#   W4  rm -rf of that directory, then ls of its parent
#   W5  perf/w5.sh: ns per stat, open+close and getpid, with the floor
# Each run gets fresh layers: a new upper (and work) dir for the overlays;
# for native and PRoot (which has no overlay: the tree is bound at the
# mount point), a new copy of what W1, W3 and W4 write to, made untimed.
# A workload's time is taken inside the system around the command alone.
# The unpacked sources are kept in $FUSS_BENCH_CACHE (default
# /var/tmp/fuss-bench-cache) for the next runs.
# usage: sh perf/bench.sh [--quick] [ROUNDS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi
if [ $quick = 1 ]; then
	rounds=${1:-3} w2sub=fs w3sub=drivers/net/wireless/ath w5args="3 2000"
	workloads="W2a W2b W2c W2d W2e W3a W3b W4"
	pkgs="linux-source proot fuse-overlayfs fuse3 python3"
else
	rounds=${1:-5} w2sub=. w3sub=drivers/net w5args="5 20000"
	workloads="W1 W2a W2b W2c W2d W2e W3a W3b W4"
	pkgs="linux-source binutils-source proot fuse-overlayfs fuse3 python3"
fi
cache=${FUSS_BENCH_CACHE:-/var/tmp/fuss-bench-cache}
out=$top/build/bench
fuss=$top/fuss
mkdir -p "$out" "$cache"
raw=$out/raw.txt
: >"$raw"
rm -rf "$out/logs" && mkdir "$out/logs"
work=$(mktemp -d /var/tmp/fuss-bench.XXXXXX)
m=$work/m

cleanup() {
	umount "$m" 2>/dev/null || fusermount3 -u "$m" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
note() { echo "bench: $*" >&2; }
skip() { echo "SKIP $*" >>"$raw"; note "skipped: $*"; }
now() { date +%s%N; }

make -C "$top" --no-print-directory fuss >/dev/null
sh "$top/tests/deps.sh" $pkgs || note "some packages are missing; what needs them is skipped"

# --- sources, unpacked once ---------------------------------------------------
# unpack TARBALL NAME: the tree $cache/NAME, unpacked unless already there
unpack() {
	if [ ! -e "$cache/$2.done" ]; then
		note "unpacking $1 into $cache (once; later runs reuse it)"
		rm -rf "${cache:?}/$2"
		mkdir "$cache/$2"
		tar -xf "$1" -C "$cache/$2" --strip-components=1
		touch "$cache/$2.done"
	fi
	echo "$cache/$2"
}
linux= binutils=
tb=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -n "$tb" ]; then
	linux=$(unpack "$tb" "$(basename "$tb" .tar.xz)")
else
	skip "W2, W3, W4: no /usr/src/linux-source-*.tar.xz (Debian's linux-source)"
	workloads=$(echo "$workloads" | sed 's/W[234][a-e]*//g')
fi
if [ $quick = 1 ]; then
	skip "W1: not part of bench-quick (make bench runs it)"
elif tb=$(ls /usr/src/binutils/binutils-*.tar.xz 2>/dev/null | tail -n 1) && [ -n "$tb" ]; then
	binutils=$(unpack "$tb" "$(basename "$tb" .tar.xz)")
else
	skip "W1: no /usr/src/binutils/binutils-*.tar.xz (Debian's binutils-source)"
	workloads=$(echo "$workloads" | sed 's/W1//')
fi

# --- systems ------------------------------------------------------------------
# probe SYSTEM: can SYSTEM show a small tree at $m? (root, /dev/fuse, ...)
mkdir -p "$work/pl" "$work/pu" "$work/pw" "$m"
echo x >"$work/pl/f"
probe() {
	case $1 in
	kernel)
		[ "$(id -u)" = 0 ] || { echo "needs root for mount -t overlay"; return 1; }
		mount -t overlay overlay -o "lowerdir=$work/pl,upperdir=$work/pu,workdir=$work/pw" \
			"$m" 2>/dev/null || { echo "mount -t overlay failed"; return 1; }
		umount "$m" || true ;;
	fuse-overlayfs)
		command -v fuse-overlayfs >/dev/null || { echo "fuse-overlayfs not installed"; return 1; }
		[ -c /dev/fuse ] || { echo "no /dev/fuse"; return 1; }
		fuse-overlayfs -o "lowerdir=$work/pl,upperdir=$work/pu,workdir=$work/pw" "$m" \
			2>/dev/null || { echo "fuse-overlayfs cannot mount"; return 1; }
		fusermount3 -u "$m" || true ;;
	proot)
		command -v proot >/dev/null || { echo "proot not installed"; return 1; }
		proot -b "$work/pl:$m" cat "$m/f" >/dev/null 2>&1 ||
			{ echo "proot cannot run here"; return 1; } ;;
	esac
}
systems=
for s in native kernel fuse-overlayfs proot fuss; do
	if why=$(probe $s); then systems="$systems $s"; else skip "$s: $why"; fi
done
# fuss --volatile (no fdatasync per copy-up, as fuse-overlayfs does none
# and overlayfs's volatile option): W3 only
case " $systems " in *" fuss "*) systems="$systems fuss-volatile" ;; esac
rm -rf "$work/pl" "$work/pu" "$work/pw"

# --- workloads ----------------------------------------------------------------
# The command of workload W for a tree shown at $1 (evaluated in the system).
cmd() {
	case $2 in
	W1) echo "cd $1 && ./configure && make -j2 all-libiberty all-bfd" ;;
	W2a) echo "find $1/$w2sub -type f | wc -l" ;;
	W2b) echo "find $1/$w2sub -type f -newer $1/$w2sub/Makefile" ;;
	W2c) echo "ls -lR $1/$w2sub" ;;
	W2d) echo "du -s $1/$w2sub" ;;
	W2e) echo "grep -r --include='*.h' -l XYZ_NOT_THERE $1/$w2sub; [ \$? = 1 ]" ;;
	W3a) echo "find $1/$w3sub -name '*.c' -exec touch {} +" ;;
	W3b) echo "find $1/$w3sub -name '*.c' -exec sh -c 'for f; do printf x >>\"\$f\"; done' sh {} +" ;;
	W4) echo "rm -rf $1/$w3sub && ls $1/$(dirname $w3sub)" ;;
	esac
}

# The timer run inside each system: TIMEFILE COMMAND
cat >"$work/timed.sh" <<'EOF'
t0=$(date +%s%N)
eval "$2" >/dev/null || exit
t1=$(date +%s%N)
echo $((t1 - t0)) >"$1"
EOF

# lower W: the tree workload W reads; fresh W: a new writable copy of what
# W changes (for native and PRoot), printed
lower() { case $1 in W1) echo "$binutils" ;; *) echo "$linux" ;; esac; }
fresh() {
	c=$work/copy
	rm -rf "$c"
	case $1 in
	W1) cp -a "$binutils" "$c" ;;
	W3* | W4) mkdir -p "$c/$(dirname $w3sub)" && cp -a "$linux/$w3sub" "$c/$w3sub" ;;
	*) c=$linux ;;
	esac
	echo "$c"
}

# run W SYSTEM ROUND: one timed run; appends RES (and RSS) lines
run() {
	w=$1 s=$2 log=$out/logs/$1-$2-$3.log
	l=$(lower "$w")
	rm -f "$work/t"
	rm -rf "$work/u" "$work/w" && mkdir -p "$work/u" "$work/w" "$m"
	ovl="lowerdir=$l,upperdir=$work/u,workdir=$work/w"
	case $s in native | proot) c=$(fresh "$w") ;; esac
	# What the runs before wrote and removed (their layers, a fresh copy)
	# reaches the disk before the clock starts, so that it does not land
	# on the next run's own syncs and journal commits: with the systems in
	# a fixed cycle, the same system would pay for it every round.
	sync
	set -- sh "$work/timed.sh" "$work/t" "$(cmd "$m" "$w")"
	case $s in
	native)
		set -- sh "$work/timed.sh" "$work/t" "$(cmd "$c" "$w")"
		"$@" >"$log" 2>&1 || true ;;
	kernel)
		mount -t overlay overlay -o "$ovl" "$m" && { "$@" >"$log" 2>&1 || true; }
		umount "$m" || true ;;
	fuse-overlayfs)
		fuse-overlayfs -o "$ovl" "$m" && { "$@" >"$log" 2>&1 || true; }
		fusermount3 -u "$m" || true ;;
	proot)
		proot -b "$c:$m" "$@" >"$log" 2>&1 || true ;;
	fuss)
		python3 "$top/tests/e2e/memory.py" watch "$work/rss" -- "$fuss" --mountpoint="$m" \
			--lowerdir="$l" --upperdir="$work/u" -- "$@" >"$log" 2>&1 || true
		echo "RSS $w $(cat "$work/rss")" >>"$raw" ;;
	fuss-volatile)
		"$fuss" --volatile --mountpoint="$m" --lowerdir="$l" --upperdir="$work/u" \
			-- "$@" >"$log" 2>&1 || true ;;
	esac
	if [ -s "$work/t" ]; then
		v=$(awk '{ printf "%.3f", $1 / 1e9 }' "$work/t")
		rm -f "$log"
	else
		v=fail
	fi
	echo "RES $w $s $v" >>"$raw"
	note "round $r/$rounds $w $s: $v"
}

{
	echo "INFO date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "INFO machine $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, $(free -g | awk '/^Mem/ { print $2 }') GiB"
	echo "INFO kernel $(uname -r)"
	echo "INFO run $([ $quick = 1 ] && echo bench-quick || echo bench), $rounds rounds; load at start $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$raw"

r=1
while [ $r -le "$rounds" ]; do
	# alternate: each round starts with the next system
	set -- $systems
	k=1
	while [ $k -lt $r ] && [ $# -gt 1 ]; do
		first=$1
		shift
		set -- "$@" "$first"
		k=$((k + 1))
	done
	order="$*"
	for w in $workloads; do
		for s in $order; do
			# copy-up without fdatasync: the copy-up workloads only
			case $s-$w in fuss-volatile-W3*) ;; fuss-volatile-*) continue ;; esac
			run "$w" "$s" "$r"
		done
	done
	r=$((r + 1))
done

# --- W5 -----------------------------------------------------------------------
if [ -f "$top/perf/w5.sh" ]; then
	note "W5: sh perf/w5.sh $w5args"
	# its "overlay" is the kernel's
	sh "$top/perf/w5.sh" $w5args >"$work/w5" || skip "W5: perf/w5.sh failed (status $?)"
	awk '$1 == "W5" { print "RES W5:" $2, ($3 == "overlay" ? "kernel" : $3), $4; next }
		$1 == "SKIP" { print }' "$work/w5" >>"$raw"
else
	skip "W5: perf/w5.sh missing"
fi

awk -f "$top/perf/bench-table.awk" "$raw" | tee "$out/results.txt"
awk -v fmt=md -f "$top/perf/bench-table.awk" "$raw" >"$out/results.md"
ls "$out/logs" | grep -q . && echo "logs of the failed runs: $out/logs/"
echo "raw results: $raw; Markdown table: $out/results.md"
