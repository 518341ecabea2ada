#!/bin/sh
# Runs each cmocka unit test binary given as an argument, shows its output,
# and adds up cmocka's "[  PASSED  ]" / "[  FAILED  ]" / "[  SKIPPED ]"
# counts. A binary that crashes or exits non-zero without reporting a
# failure counts as one failed test. Ends with "unit: N passed, N failed,
# N skipped" and a non-zero status on failure. FUSS_UNIT_EXEC runs each
# binary through a command (an emulator), FUSS_UNIT_NAME replaces "unit".
set -u

passed=0
failed=0
skipped=0
log=$(mktemp "${TMPDIR:-/tmp}/fuss-unit.XXXXXX")
trap 'rm -f "$log"' EXIT INT TERM

for bin in "$@"; do
	echo "== $bin"
	if [ ! -x "$bin" ]; then
		echo "run-units: $bin: not an executable"
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086 # a command and its options
	${FUSS_UNIT_EXEC:-} "$bin" >"$log" 2>&1
	rc=$?
	cat "$log"
	# cmocka prints "[  PASSED  ] 3 test(s)." and "[  FAILED  ] 1 test(s), listed below:"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	passed=$((passed + p))
	skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		if [ "$rc" -gt 128 ]; then
			echo "run-units: $bin: killed by signal $((rc - 128))"
		else
			echo "run-units: $bin: exit status $rc"
		fi
		f=1
	fi
	failed=$((failed + f))
done

echo "${FUSS_UNIT_NAME:-unit}: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
