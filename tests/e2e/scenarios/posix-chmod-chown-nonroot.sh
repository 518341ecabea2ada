# As uid 1000, changing root's lower files is EPERM (chmod, chown,
# fchmodat2, explicit utimes) or EACCES (utimes to now without write
# permission), and copies nothing up; the owner may chmod and chgrp only
# to its own group.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t -U 1000 chmod "$M/modes/plain.txt" 0666
t -U 1000 fchmodat2 "$M/modes/plain.txt" 0666 0
t -U 1000 chown "$M/modes/plain.txt" 1000 1000
t -U 1000 chown "$M/modes/plain.txt" -1 -1
t -U 1000 chown "$M/merged" 1000 -1
t -U 1000 lchown "$M/link-rel" 1000 1000
t -U 1000 utimens "$M/modes/plain.txt" 1000 1000 0
t -U 1000 utimens "$M/modes/plain.txt" NOW NOW 0
t -U 1000 utimens "$M/modes/plain.txt" - - 0
t -U 1000 truncate "$M/modes/plain.txt" 0
t -U 1000 chmod "$M/modes/closed/x" 0666
t -U 1000 open "$M/modes/sticky/mine" 'O_WRONLY|O_CREAT' 0644
t -U 1000 chmod "$M/modes/sticky/mine" 0600
t -U 1000 chown "$M/modes/sticky/mine" 1000 1000
t -U 1000 chown "$M/modes/sticky/mine" -1 0
t -U 1000 chown "$M/modes/sticky/mine" 0 -1
t -U 1000:1000 chmod "$M/modes/sticky/mine" 02755
t -U 1000 utimens "$M/modes/sticky/mine" 5000 6000 0
t -U 1000 times "$M/modes/sticky/mine" atime
t statx-mask "$M/modes/sticky/mine" 'STATX_UID|STATX_GID|STATX_MODE' 0
t stat "$M/modes/plain.txt"
t times "$M/modes/plain.txt"
