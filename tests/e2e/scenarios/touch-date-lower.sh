# tree: mtime
# Setting times on a lower file copies it up with the new times.
touch -d '2001-02-03 04:05:06' "$M/only-l2.txt"
stat -c '%y %n' "$M/only-l2.txt" | sed "s|$M|<M>|"
"$PROBE" utime "$M/merged/common.txt" 1000000000
stat -c '%Y' "$M/merged/common.txt"
stat -c '%Y' "$M/twice.txt"
