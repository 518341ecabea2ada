# Sourced by the check runners: counters and PASS/FAIL/SKIP lines.
#   ok NAME | ko NAME REASON | sk NAME REASON | expect NAME WANT GOT
#   wait_for SECS CMD...
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
sk() { skip=$((skip + 1)); echo "SKIP $1: $2"; }

expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "expected [$2], got [$3]"; fi
}

# wait_for SECS CMD...: polls CMD every 50 ms; fails after SECS seconds
wait_for() {
	_n=$(($1 * 20))
	shift
	while ! "$@"; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.05
	done
}
