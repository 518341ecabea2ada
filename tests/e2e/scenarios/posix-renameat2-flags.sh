# renameat2 flags: EXCHANGE|NOREPLACE, WHITEOUT|EXCHANGE and unknown bits
# are EINVAL; NOREPLACE sees lower names and dangling symlinks but not
# whiteouts; EXCHANGE needs both names and swaps copied-up lower files;
# RENAME_WHITEOUT is not offered on an overlay.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t renameat2 "$M/only-l2.txt" "$M/l1only.txt" 'EXCHANGE|NOREPLACE'
t renameat2 "$M/only-l2.txt" "$M/l1only.txt" 'WHITEOUT|EXCHANGE'
t renameat2 "$M/only-l2.txt" "$M/l1only.txt" 8
t renameat2 "$M/only-l2.txt" "$M/x" 0x80000000
t renameat2 "$M/only-l2.txt" "$M/white" WHITEOUT
for n in l1only.txt twice.txt link-dangling link-rel merged empty-l2 \
	merged/common.txt; do
	t renameat2 "$M/shadow.txt" "$M/$n" NOREPLACE
done
t renameat2 "$M/shadow.txt" "$M/gone.txt" NOREPLACE
t renameat2 "$M/opq/new-l1.txt" "$M/opq/old-l2.txt" NOREPLACE
t renameat2 "$M/only-l2.txt" "$M/nope" EXCHANGE
t renameat2 "$M/nope" "$M/only-l2.txt" EXCHANGE
t renameat2 "$M/only-l2.txt" "$M/shadow.txt" EXCHANGE
t renameat2 "$M/twice.txt" "$M/gone.txt" EXCHANGE
t renameat2 "$M/l1only.txt" "$M/merged/common.txt" EXCHANGE
t renameat2 "$M/l1only.txt" "$M/merged" EXCHANGE
t renameat2 "$M/l1only.txt" "$M/l1only.txt" EXCHANGE
mkdir "$M/up1" "$M/up2"
echo a >"$M/up1/a"
t renameat2 "$M/up1" "$M/up2" EXCHANGE
t renameat2 "$M/up1" "$M/only-l2.txt" EXCHANGE
t renameat2 "$M/up1" "$M/up1/a" EXCHANGE
t renameat2 "$M/up2" "$M/up2/a" EXCHANGE
for n in only-l2.txt shadow.txt gone.txt l1only.txt merged/common.txt \
	up1 up2/a; do
	t lstat "$M/$n"
done
cat "$M/only-l2.txt" "$M/shadow.txt" "$M/l1only.txt" "$M/merged/common.txt"
