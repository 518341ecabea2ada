# RENAME_NOREPLACE sees names from every layer, and not hidden ones.
"$PROBE" renameat2 "$M/shadow.txt" "$M/twice.txt" NOREPLACE
"$PROBE" renameat2 "$M/l1only.txt" "$M/only-l2.txt" NOREPLACE
"$PROBE" renameat2 "$M/l1only.txt" "$M/gone.txt" NOREPLACE
"$PROBE" renameat2 "$M/shadow.txt" "$M/fresh.txt" NOREPLACE
cat "$M/gone.txt" "$M/fresh.txt"
ls "$M"
