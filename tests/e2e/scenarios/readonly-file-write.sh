# Root writes to a 0444 lower file; the copy keeps mode 0444.
echo root-can >>"$M/modes/ro.txt"
cat "$M/modes/ro.txt"
"$PROBE" stat "$M/modes/ro.txt"
"$PROBE" open "$M/modes/private.txt" O_RDWR
echo x >"$M/modes/closed/inside"
ls "$M/modes/closed"
"$PROBE" stat "$M/modes/closed"
