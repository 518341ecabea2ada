# find -delete over merged, lower-only and opaque trees: lower entries get
# whiteouts, emptied lower dirs are removed.
find "$M/merged" -name '*.txt' -delete
find "$M/dir-l2only" -delete
find "$M/deep" -depth -name 'e' -prune -o -type f -name 'mid.txt' -delete
find "$M/opq" -type f -newer "$M/merged" -delete
find "$M/merged" "$M/deep" | sed "s|$M|<M>|" | sort
"$PROBE" stat "$M/dir-l2only"
find "$M/deep" -type d -empty -delete
find "$M/deep" "$M/opq" | sed "s|$M|<M>|" | sort
ls "$M"
