# getdents64 with small buffers across several calls, and rewinds.
"$PROBE" listdir-partial "$M/merged" 64
"$PROBE" listdir-partial "$M" 100
"$PROBE" listdir-partial "$M/proj" 48
"$PROBE" listdir-partial "$M/merged" 8
rm "$M/merged/common.txt"
touch "$M/merged/zz-new"
"$PROBE" listdir-partial "$M/merged" 40
