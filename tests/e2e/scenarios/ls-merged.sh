# A directory present in both lowers lists the union; upper-wins content.
ls -a "$M/merged"
"$PROBE" listdir "$M/merged"
ls "$M/merged/sub"
"$PROBE" listdir-types "$M/merged"
