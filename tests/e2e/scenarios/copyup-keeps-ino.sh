# A lower file copied up keeps the inode number it had (as overlayfs shows
# it, from the copy's origin): after an append, a chmod, a rename, through
# stat and fstat; a new file made at a removed name gets a new one. Only
# the comparisons are printed (the numbers differ from run to run).
cd "$M"
same() { if [ "$1" = "$2" ]; then echo "$3: same"; else echo "$3: differs"; fi; }
a=$(stat -c %i l1only.txt)
echo more >>l1only.txt
same "$a" "$(stat -c %i l1only.txt)" append
same "$a" "$(python3 -c 'import os; print(os.fstat(os.open("l1only.txt", os.O_RDONLY)).st_ino)')" fstat
b=$(stat -c %i only-l2.txt)
chmod 600 only-l2.txt
same "$b" "$(stat -c %i only-l2.txt)" chmod
mv only-l2.txt moved.txt
same "$b" "$(stat -c %i moved.txt)" rename-copied
c=$(stat -c %i merged/common.txt)
mv merged/common.txt merged/renamed.txt
same "$c" "$(stat -c %i merged/renamed.txt)" rename-lower
mkdir newdir
mv merged/renamed.txt newdir/
mv newdir newdir2
same "$c" "$(stat -c %i newdir2/renamed.txt)" dir-renamed
rm l1only.txt
echo new >l1only.txt
same "$a" "$(stat -c %i l1only.txt)" recreated
