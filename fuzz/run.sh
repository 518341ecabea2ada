#!/bin/sh
# Runs each libFuzzer target for a bounded time and reports it.
#   sh fuzz/run.sh BUILD_DIR SECONDS TARGET...
# Each target starts from its committed seeds (fuzz/corpus/NAME/, which
# also hold the inputs of every bug found so far) and the corpus it grew in
# earlier runs (BUILD_DIR/corpus/NAME/). Prints per target the executions,
# coverage and corpus size from libFuzzer's final stats; a target that
# finds a crash or a broken invariant fails, its input saved under
# BUILD_DIR/artifacts/. Ends with "fuzz: N passed, N failed".
set -u
BUILD=$1
SECONDS_EACH=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tests/e2e/report.sh"

mkdir -p "$BUILD/artifacts"
for t in "$@"; do
	bin=$BUILD/fuzz/$t
	work=$BUILD/corpus/$t
	seeds=$HERE/corpus/$t
	log=$BUILD/fuzz-$t.log
	mkdir -p "$work" "$seeds"
	echo "== $t (${SECONDS_EACH}s)"
	if [ ! -x "$bin" ]; then
		ko "$t" "$bin: not built"
		continue
	fi
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=60 \
		-rss_limit_mb=2048 -artifact_prefix="$BUILD/artifacts/$t-" \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	echo "$t: executions ${execs:-?} (${rate:-?}/s), coverage ${cov:-?} edges, ${ft:-?} features, corpus ${corp:-?}"
	if [ "$rc" -eq 0 ]; then
		ok "$t"
	else
		grep -E 'invariant failed|ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -n 10
		ko "$t" "exit status $rc, log $log"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
