# interop: none
# 10 000 entries in one merged directory (5 000 lower, some of L2's hidden
# by whiteouts, 5 000 upper): counted, hashed, some of each layer removed,
# a few added, listed again.
cd "$M/big"
ls | wc -l
ls | sha256sum
ls -f | sort | sha256sum
seq -f 'l2-%04g' 301 400 | xargs rm
seq -f 'l1-%04g' 1 100 | xargs rm
seq -f 'up-%04g' 1 100 | xargs rm
seq -f 'new-%04g' 1 100 | xargs touch
rm l2-0001 2>&1 | sed 's/.*: //'
ls | wc -l
ls | sha256sum
