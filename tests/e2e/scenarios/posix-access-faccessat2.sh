# faccessat2 (syscall 439) as root: AT_EACCESS, AT_SYMLINK_NOFOLLOW on
# symlinks (dangling ones included), AT_EMPTY_PATH, bad flags; W_OK on
# lower files answers as the merged view would and copies nothing up.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in modes/ro.txt modes/private.txt modes/plain.txt modes/exec.sh \
	modes/closed merged link-dangling link-rel gone.txt; do
	for m in F_OK W_OK X_OK 'R_OK|W_OK'; do
		t faccessat2 "$M/$p" "$m" 0
		t faccessat2 "$M/$p" "$m" AT_EACCESS
		t faccessat2 "$M/$p" "$m" AT_SYMLINK_NOFOLLOW
	done
done
t faccessat2 "$M/link-dangling" F_OK 'AT_EACCESS|AT_SYMLINK_NOFOLLOW'
t faccessat2 "$M/merged" F_OK AT_REMOVEDIR
t faccessat2 "$M/merged" 0x10 0
t -C "$M/merged/sub" faccessat2 "" W_OK AT_EMPTY_PATH
t -C "$M/merged/sub" faccessat2 "" W_OK 0
t faccessat2 "$M/shadow.txt/" F_OK 0
t faccessat2 "$M/gonedir/inner" F_OK 0
