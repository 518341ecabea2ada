# statx returns the fields asked for, on lower, shadowed, merged, opaque
# and copied-up objects; AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in only-l2.txt shadow.txt merged opq dir-l1only link-rel link-dir; do
	t statx-mask "$M/$p" STATX_TYPE 0
	t statx-mask "$M/$p" 'STATX_MODE|STATX_SIZE' 0
	t statx-mask "$M/$p" 'STATX_BASIC_STATS' 0
	t statx-mask "$M/$p" 'STATX_BASIC_STATS' AT_SYMLINK_NOFOLLOW
	t statx-mask "$M/$p" 'STATX_NLINK|STATX_UID|STATX_GID|STATX_BTIME' AT_STATX_DONT_SYNC
done
t statx-mask "$M/link-dangling" STATX_TYPE AT_SYMLINK_NOFOLLOW
t statx-mask "$M/link-dangling" STATX_TYPE 0
t statx-mask "$M/gone.txt" STATX_TYPE 0
t statx-mask "$M/merged/common.txt" 0 0
t statx-mask "$M/merged/common.txt" STATX_SIZE 0x6000
t statx-mask "$M/merged/common.txt" 0x80000000 0
t -C "$M/merged/sub" statx-mask "" 'STATX_TYPE|STATX_MODE' AT_EMPTY_PATH
t -C "$M/merged/sub" statx-mask "" 'STATX_TYPE' 0
echo appended >>"$M/merged/common.txt"
chmod 0600 "$M/merged/common.txt"
t statx-mask "$M/merged/common.txt" 'STATX_BASIC_STATS' 0
t statx-mask "$M/merged/common.txt" 'STATX_MODE|STATX_SIZE' AT_STATX_FORCE_SYNC
