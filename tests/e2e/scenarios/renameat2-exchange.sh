# RENAME_EXCHANGE of two lower files.
"$PROBE" renameat2 "$M/shadow.txt" "$M/only-l2.txt" EXCHANGE
cat "$M/shadow.txt" "$M/only-l2.txt"
"$PROBE" renameat2 "$M/shadow.txt" "$M/nothere" EXCHANGE
ls "$M"
