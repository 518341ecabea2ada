# A link to ".." inside a merged dir: going round it 39 more times stays
# within 40 links, 41 times gives ELOOP; a self loop with a trailing slash.
ln -s .. "$M/merged/up"
p=$M/merged/up
i=1
while [ $i -lt 40 ]; do
	p=$p/merged/up
	i=$((i + 1))
done
"$PROBE" stat "$p/shadow.txt"
"$PROBE" stat "$p/merged/up/shadow.txt"
ln -s self "$M/self"
"$PROBE" stat "$M/self/"
"$PROBE" lstat "$M/self/"
"$PROBE" open "$M/self" 'O_WRONLY|O_CREAT' 0644
"$PROBE" mkdir "$M/self/x" 0755
ln -s loop-b/x "$M/loop-a"
ln -s loop-a/y "$M/loop-b"
"$PROBE" stat "$M/loop-a"
"$PROBE" lstat "$M/loop-a"
