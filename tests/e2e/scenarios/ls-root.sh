# The mountpoint itself lists the merged root with the right d_types.
ls -a "$M"
"$PROBE" listdir-types "$M"
"$PROBE" stat "$M"
