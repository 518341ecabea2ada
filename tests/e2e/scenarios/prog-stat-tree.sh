# stat -c over every entry of the merged tree (sizes only for non-dirs),
# before and after a few changes.
cd "$M"
find . ! -type d | sort | xargs stat -c '%n %s %a %F'
find . -type d | sort | xargs stat -c '%n %a %F'
rm merged/common.txt
echo more >>only-l2.txt
chmod 0600 merged/a-l2.txt
mkdir merged/newdir
find merged only-l2.txt | sort | xargs stat -c '%n %a %F'
find . ! -type d | sort | xargs stat -L -c '%n %s %F' 2>&1 || true
