# *at() calls whose dirfd is a directory that lives only in a lower layer
# (or is merged): creating through it copies the parent chain up; lookups
# through it see the merged view, whiteouts and ".." included.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t openat-dirfd "$M/dir-l2only/sub" new.txt 'O_WRONLY|O_CREAT|O_EXCL' 0640
t openat-dirfd "$M/dir-l2only/sub" new.txt 'O_WRONLY|O_CREAT|O_EXCL' 0640
t openat-dirfd "$M/dir-l2only/sub" two.txt 'O_WRONLY|O_CREAT|O_EXCL' 0640
t openat-dirfd "$M/dir-l2only/sub" two.txt 'O_WRONLY|O_APPEND'
t openat-dirfd "$M/dir-l2only/sub" ../one.txt O_RDONLY
t openat-dirfd "$M/dir-l2only/sub" ../../gone.txt O_RDONLY
t openat-dirfd "$M/dir-l2only/sub" ../../gonedir/inner/x.txt O_RDONLY
t openat-dirfd "$M/dir-l2only/sub" ../../opq/old-l2.txt O_RDONLY
t openat-dirfd "$M/dir-l2only/sub" ../../shadow.txt/x O_RDONLY
t openat-dirfd "$M/dir-l2only/sub" . 'O_RDONLY|O_DIRECTORY'
t openat-dirfd "$M/dir-l2only/sub" . O_WRONLY
t openat-dirfd "$M/dir-l2only/sub" "" O_RDONLY
t openat-dirfd "$M/opq" olddir/x.txt O_RDONLY
t openat-dirfd "$M/opq" new-l1.txt O_RDWR
t openat-dirfd "$M/deep/a/b/c" d/e/f/leaf.txt 'O_WRONLY|O_TRUNC'
t openat-dirfd "$M/deep/a/b/c" ../../b/../../a/mid-new.txt 'O_WRONLY|O_CREAT' 0600
t openat-dirfd "$M/link-dir" l2dir/f.txt O_RDONLY
t openat-dirfd "$M/gonedir" x O_RDONLY
t openat-dirfd "$M/shadow.txt" x O_RDONLY
t symlinkat ../sub "$M/deep/a/b/c/d" up
t openat-dirfd "$M/deep/a/b/c/d" up/d/e/f/leaf.txt O_RDONLY
for n in dir-l2only/sub/new.txt dir-l2only/sub/two.txt deep/a/b/c/d/e/f/leaf.txt \
	deep/a/mid-new.txt opq/new-l1.txt deep/a/b/c/d/up; do
	t lstat "$M/$n"
done
