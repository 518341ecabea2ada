# Path resolution follows at most 40 symlinks: a chain of 40 resolves, 41
# is ELOOP, for stat, open, openat and as a directory component. Half of
# the chain goes through a lower symlink to a directory.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
mkdir "$M/chain"
i=0
while [ $i -lt 44 ]; do
	ln -s "c$((i + 1))" "$M/chain/c$i"
	i=$((i + 1))
done
echo end >"$M/chain/c44"
# c4 -> ... -> c44: 40 links; c3: 41 links
for i in 0 3 4 5 43 44; do
	t stat "$M/chain/c$i"
	t open "$M/chain/c$i" O_RDONLY
done
t lstat "$M/chain/c3"
t readlink "$M/chain/c3"
t openat-dirfd "$M/chain" c3 O_RDONLY
t openat-dirfd "$M/chain" c4 O_RDONLY
# Directory chain: d0 -> ... -> d39 -> ../link-dir (lower) -> merged,
# so d0 needs 41 links and d1 needs 40.
mkdir "$M/dchain"
i=0
while [ $i -lt 39 ]; do
	ln -s "d$((i + 1))" "$M/dchain/d$i"
	i=$((i + 1))
done
ln -s ../link-dir "$M/dchain/d39"
t stat "$M/dchain/d0/common.txt"
t stat "$M/dchain/d1/common.txt"
t open "$M/dchain/d1/sub/deep-l2.txt" O_RDONLY
t open "$M/dchain/d0/sub/deep-l2.txt" O_RDONLY
t mkdir "$M/dchain/d1/made-through-40" 0755
t mkdir "$M/dchain/d0/made-through-41" 0755
