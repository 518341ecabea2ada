# Names below one-layer lower directories a program has just listed are
# handed to the kernel without a lookup, as long as nothing below them has
# changed and no symlink is on the way: each must still show the merged
# view. Steps run in one process (the listing and the names it then asks
# for), as du, find and ls -lR do.
cd "$M"
"$PROBE" walk list:t stat:t/a/b/f lstat:t/a/b/c open:t/a/b/c/g xattr:t/a/b/f \
	stat:t/a/b/nope stat:t/a/b/nope/x stat:t/a/b/f/x \
	stat:t/a/b/f/. stat:t/a/b/f/.. lstat:t/a/b/f/ stat:t/a/b/c/../f \
	stat:t/a/lnk-in/f lstat:t/a/lnk-in stat:t/a/lnk-out/common.txt \
	open:t/a/lnk-out/l2dir/f.txt stat:t/a/lnk-file xattr:t/a/lnk-file \
	lstat:t/dev/null stat:t/dev/nope lstat:t/dev/kept stat:t/other/deep/h
ls -a t/dev
cat t/a/lnk-out/common.txt t/a/lnk-file
du -a t | sort -k2
find t -newer t/a/b/c/g | sort
# A change below a listed directory (here by another process) gives it an
# upper part: from then on its names are looked up.
rm t/a/b/f
"$PROBE" walk list:t stat:t/a/b/f stat:t/a/b/c/g lstat:t/a/b/c
# The same within one process: listed, changed, asked again.
"$PROBE" walk list:t/other stat:t/other/deep/h unlink:t/other/deep/h \
	stat:t/other/deep/h list:t/other stat:t/other/deep/h lstat:t/other/deep
ls -R t
