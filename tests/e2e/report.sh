# Sourced by the check runners: counters and PASS/FAIL/SKIP lines.
#   ok NAME | ko NAME REASON | sk NAME REASON | expect NAME WANT GOT
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
sk() { skip=$((skip + 1)); echo "SKIP $1: $2"; }

expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "expected [$2], got [$3]"; fi
}
