# Deleting a file present in both lowers needs a whiteout, because the
# bottom layer still has it.
"$PROBE" unlink "$M/twice.txt"
"$PROBE" stat "$M/twice.txt"
rm "$M/merged/common.txt"
ls -a "$M/merged"
cat "$M/merged/common.txt" 2>/dev/null || echo "gone as expected"
