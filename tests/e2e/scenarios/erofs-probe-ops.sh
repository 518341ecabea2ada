# upper: none
# Without an upper dir the overlay is read-only: every syscall that would
# change it fails with EROFS, on lower files, lower dirs, whited-out names
# and new names alike, and reads still work in between.
P=$PROBE
for f in only-l2.txt shadow.txt merged/common.txt gone.txt new.txt; do
	echo "== $f"
	"$P" open "$M/$f" O_WRONLY
	"$P" open "$M/$f" O_RDWR
	"$P" open "$M/$f" 'O_WRONLY|O_TRUNC'
	"$P" open "$M/$f" 'O_WRONLY|O_APPEND'
	"$P" open "$M/$f" 'O_WRONLY|O_CREAT' 0644
	"$P" open "$M/$f" 'O_RDONLY|O_TRUNC'
	"$P" truncate "$M/$f" 0
	"$P" chmod "$M/$f" 0600
	"$P" utime "$M/$f" 1000000
	"$P" setxattr "$M/$f" user.new v
	"$P" unlink "$M/$f"
	"$P" rename "$M/$f" "$M/renamed"
	"$P" link "$M/$f" "$M/hard"
	"$P" stat "$M/$f"
done
echo "== creating new names"
"$P" open "$M/merged/new" 'O_WRONLY|O_CREAT|O_EXCL' 0644
"$P" openat-dirfd "$M/merged" new 'O_RDWR|O_CREAT' 0644
"$P" open "$M/merged" 'O_RDWR|O_TMPFILE' 0600
"$P" mkdir "$M/newdir" 0755
"$P" mkdir "$M/gonedir" 0755
"$P" mknod-fifo "$M/fifo" 0644
"$P" symlink only-l2.txt "$M/sl"
"$P" link "$M/shadow.txt" "$M/merged/hard"
echo "== directories"
"$P" rmdir "$M/empty-l2"
"$P" rmdir "$M/merged/l2dir"
"$P" chmod "$M/merged" 0700
"$P" utime "$M/dir-l1only" 1000000
"$P" rename "$M/dir-l1only" "$M/moved"
"$P" renameat2 "$M/shadow.txt" "$M/twice.txt" EXCHANGE
"$P" renameat2 "$M/shadow.txt" "$M/fresh" NOREPLACE
"$P" unlink "$M/link-rel"
"$P" chmod "$M/link-rel" 0600
echo "== EROFS or a lookup error: the kernel checks the mount before the name"
"$P" mkdir "$M/merged" 0755
"$P" rmdir "$M/merged"
"$P" rmdir "$M/shadow.txt"
"$P" rmdir "$M/gonedir"
"$P" unlink "$M/merged"
"$P" rename "$M/merged" "$M/shadow.txt"
"$P" rename "$M/gone.txt" "$M/merged/x"
"$P" open "$M/merged" 'O_RDONLY|O_CREAT' 0644
"$P" open "$M/shadow.txt" 'O_RDONLY|O_CREAT' 0644
"$P" access "$M/merged" W_OK
"$P" access "$M/link-dir" W_OK
"$P" access "$M/gone.txt" W_OK
echo "== xattrs"
"$P" setxattr "$M/xattr.txt" user.test 2
"$P" removexattr "$M/xattr.txt" user.test
"$P" setxattr "$M/opq" user.x y
"$P" getxattr "$M/xattr.txt" user.test
"$P" listxattr "$M/xattr.txt"
echo "== reads"
"$P" open "$M/shadow.txt" O_RDONLY
"$P" stat "$M/merged"
"$P" stat "$M/gone.txt"
"$P" access "$M/only-l2.txt" W_OK
"$P" access "$M/only-l2.txt" R_OK
"$P" readlink "$M/link-dir"
"$P" listdir "$M/merged"
"$P" listdir "$M/opq"
cat "$M/shadow.txt" "$M/merged/common.txt"
