# access/faccessat2 as uid 1000 on root-owned lower objects: EACCES for
# missing permission bits, search permission on a 0700 dir, W_OK on
# root's 0644 files; group bits with gid 0.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in modes/ro.txt modes/private.txt modes/plain.txt modes/group.txt \
	modes/exec.sh modes/sticky modes/closed merged only-l2.txt; do
	for m in F_OK R_OK W_OK X_OK; do
		t -U 1000 access "$M/$p" "$m"
	done
	t -U 1000:0 access "$M/$p" R_OK
	t -U 1000 faccessat2 "$M/$p" W_OK AT_EACCESS
done
t -U 1000 access "$M/modes/closed/x" F_OK
t -U 1000 stat "$M/modes/closed"
t -U 1000 stat "$M/modes/closed/x"
t -U 1000 listdir "$M/modes/closed"
t -U 1000 chdir "$M/modes/closed"
mkdir "$M/modes/closed/made-by-root"
t -U 1000 stat "$M/modes/closed/made-by-root"
t stat "$M/modes/closed/made-by-root"
