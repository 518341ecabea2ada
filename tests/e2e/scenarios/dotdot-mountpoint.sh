# ".." inside the overlay, and out through the mountpoint.
cd "$M/merged"
cat ../shadow.txt
ls ../merged/sub
"$PROBE" stat "$M/merged/sub/../../l1only.txt"
"$PROBE" stat "$M/gonedir/.."
"$PROBE" stat "$M/shadow.txt/.."
cd "$M"
cd ..
[ "$(pwd -P)" = "$(dirname "$M")" ] && echo "left the overlay"
"$PROBE" stat "$M/../$(basename "$M")/twice.txt"
