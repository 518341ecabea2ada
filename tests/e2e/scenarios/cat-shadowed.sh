# Reads go to the topmost layer that has the name.
cat "$M/shadow.txt"
cat "$M/twice.txt"
cat "$M/merged/common.txt"
cat "$M/merged/sub/deep-l1.txt" "$M/merged/sub/deep-l2.txt"
