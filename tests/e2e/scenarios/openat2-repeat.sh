# One thread's syscalls that name the same real path one after the other
# (stat, then getxattr, ...) find it where the last one left it in the
# scratch area; a syscall with two items whose first is such a repeat
# (openat2 with RESOLVE_*: its open_how, then the path) must still get
# both. Files in each layer, opened in turn.
cd "$M"
"$PROBE" walk read2:shadow.txt read2:only-l2.txt read2:only-l2.txt \
	read2:merged/common.txt stat:merged/common.txt xattr:merged/common.txt \
	read2:merged/common.txt read2:shadow.txt read2:link-rel
echo up >new.txt
"$PROBE" walk stat:new.txt read2:new.txt read2:new.txt stat:new.txt xattr:new.txt \
	read2:shadow.txt
