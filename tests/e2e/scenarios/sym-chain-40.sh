# A lookup follows at most 40 symlinks: chains of exactly 40 links (files
# and directories, ending in lower symlinks) resolve; 41 give ELOOP.
mkdir "$M/ch"
cd "$M/ch"
# f1 -> f2 -> ... -> f39 -> ../link-rel (lower) -> only-l2.txt: 40 links
i=1
while [ $i -lt 39 ]; do
	ln -s "f$((i + 1))" "f$i"
	i=$((i + 1))
done
ln -s ../link-rel f39
# g0 -> f1: 41 links
ln -s f1 g0
cat f1
"$PROBE" stat "$M/ch/f1"
"$PROBE" stat "$M/ch/g0"
"$PROBE" open "$M/ch/g0" O_RDONLY
"$PROBE" lstat "$M/ch/g0"
# directories: d1 -> ... -> d39 -> ../link-dir (lower) -> merged
i=1
while [ $i -lt 39 ]; do
	ln -s "d$((i + 1))" "d$i"
	i=$((i + 1))
done
ln -s ../link-dir d39
ln -s d1 e0
"$PROBE" stat "$M/ch/d1/common.txt"
"$PROBE" stat "$M/ch/e0/common.txt"
"$PROBE" stat "$M/ch/e0"
# links met in different path components count together: the final
# component of d1/link-up adds one more (40 + 1)
"$PROBE" stat "$M/ch/d1/link-up"
"$PROBE" lstat "$M/ch/d1/link-up"
# absolute links count as well: 39 relative links then link-abs (lower)
i=1
while [ $i -lt 39 ]; do
	ln -s "a$((i + 1))" "a$i"
	i=$((i + 1))
done
ln -s "$M/link-abs" a39
cat a1
ln -s a1 b0
"$PROBE" open "$M/ch/b0" O_RDONLY
echo write-through-40 >>a1
cat "$M/shadow.txt"
"$PROBE" open "$M/ch/b0" 'O_WRONLY|O_APPEND'
