# O_NOFOLLOW on a final symlink is ELOOP (O_PATH opens the link itself);
# symlinks in earlier components are still followed; with O_CREAT|O_EXCL
# a symlink is EEXIST.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for l in link-rel link-dir link-dangling link-abs link-abs-dir merged/link-up; do
	t open "$M/$l" 'O_RDONLY|O_NOFOLLOW'
	t open "$M/$l" 'O_WRONLY|O_NOFOLLOW'
	t open "$M/$l" 'O_PATH|O_NOFOLLOW'
	t open "$M/$l" 'O_WRONLY|O_CREAT|O_NOFOLLOW' 0644
done
t open "$M/link-dir" 'O_RDONLY|O_DIRECTORY|O_NOFOLLOW'
t open "$M/link-dir/common.txt" 'O_RDONLY|O_NOFOLLOW'
t open "$M/link-abs-dir/sub/deep-l1.txt" 'O_WRONLY|O_NOFOLLOW'
t open "$M/link-dangling" 'O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW' 0644
t lstat "$M/does-not-exist"
