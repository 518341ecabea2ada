# linkat(2) flags: AT_SYMLINK_FOLLOW links the target of a lower symlink,
# no flag links the symlink itself; AT_EMPTY_PATH links an open fd
# (O_RDONLY or O_PATH) of a lower file; dirs are EPERM; bad flags EINVAL.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t linkat "$M/link-rel" "$M/followed" AT_SYMLINK_FOLLOW
t linkat "$M/link-rel" "$M/not-followed" 0
t linkat "$M/link-dangling" "$M/dangling-followed" AT_SYMLINK_FOLLOW
t linkat "$M/link-dangling" "$M/dangling-itself" 0
t linkat "$M/link-dir" "$M/dir-followed" AT_SYMLINK_FOLLOW
t linkat "$M/merged/link-up" "$M/merged/up-followed" AT_SYMLINK_FOLLOW
t linkat "$M/twice.txt" "$M/bad-flag" AT_SYMLINK_NOFOLLOW
t linkat "$M/twice.txt" "$M/bad-flag" 0x10000
t link-fd "$M/l1only.txt" O_RDONLY "$M/by-fd.txt"
t link-fd "$M/merged/sub/deep-l2.txt" O_PATH "$M/by-opath.txt"
t link-fd "$M/link-rel" 'O_PATH|O_NOFOLLOW' "$M/link-by-opath"
t link-fd "$M/merged" O_RDONLY "$M/dir-by-fd"
t link-fd "$M/merged" O_PATH "$M/dir-by-opath"
t link-fd "$M/twice.txt" O_RDONLY "$M/shadow.txt"
for n in followed not-followed dangling-itself only-l2.txt merged/up-followed \
	shadow.txt by-fd.txt l1only.txt by-opath.txt link-by-opath; do
	t lstat "$M/$n"
done
cat "$M/followed" "$M/by-fd.txt"
