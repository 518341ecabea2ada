# O_PATH descriptors and fstatat(fd, "", AT_EMPTY_PATH) on overlay
# objects: lower files, symlinks opened with O_NOFOLLOW, merged dirs; the
# descriptor reports the merged view's attributes.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in only-l2.txt shadow.txt twice.txt merged opq empty-l2 link-rel \
	link-dir link-dangling merged/link-up modes/private.txt modes/sticky; do
	t fstatat-empty "$M/$p" O_PATH
	t fstatat-empty "$M/$p" 'O_PATH|O_NOFOLLOW'
done
t fstatat-empty "$M/gone.txt" O_PATH
t fstatat-empty "$M/link-dangling" O_RDONLY
t fstatat-empty "$M/merged/common.txt" O_RDONLY
chmod 0640 "$M/merged/common.txt"
t fstatat-empty "$M/merged/common.txt" O_PATH
t fstatat-empty "$M/merged/common.txt" 'O_RDONLY|O_NOATIME'
t fstatat-empty "$M/modes/sticky" 'O_RDONLY|O_DIRECTORY'
