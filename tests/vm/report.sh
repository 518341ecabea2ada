# Sourced by the VM runners (compat.sh, arm64.sh). vm_report NAME MARK DIR:
# the PASS/FAIL lines of the VM's console (DIR/console) shown and kept in
# DIR/results, then "NAME: N passed, N failed, 0 skipped". Fails when a
# check failed, none passed, or MARK (the init's last line) is missing: the
# VM did not finish.
vm_report() {
	tr -d '\r' <"$3/console" | grep -oE '(PASS|FAIL|kernel) .*' | tee "$3/results"
	if ! grep -q "$2" "$3/console"; then
		echo "FAIL $1: the VM did not finish: $(tail -n 5 "$3/console" | tr -d '\r')"
		echo "$1: 0 passed, 1 failed, 0 skipped"
		return 1
	fi
	_p=$(grep -c '^PASS ' "$3/results")
	_f=$(grep -c '^FAIL ' "$3/results")
	echo "$1: $_p passed, $_f failed, 0 skipped"
	[ "$_f" -eq 0 ] && [ "$_p" -gt 0 ]
}
