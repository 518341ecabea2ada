# open(2) as uid 1000: EACCES on root's 0600/0640/0444 lower files, for
# writing root's 0644 files, for creating in root's 0755 dirs (merged and
# lower-only) and through a 0700 dir. A refused open copies nothing up;
# a sticky 1777 lower dir accepts the new file.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t -U 1000 open "$M/modes/private.txt" O_RDONLY
t -U 1000 open "$M/modes/group.txt" O_RDONLY
t -U 1000:0 open "$M/modes/group.txt" O_RDONLY
t -U 1000:0 open "$M/modes/group.txt" O_WRONLY
t -U 1000 open "$M/modes/plain.txt" O_RDONLY
t -U 1000 open "$M/modes/plain.txt" O_WRONLY
t -U 1000 open "$M/modes/plain.txt" 'O_RDONLY|O_TRUNC'
t -U 1000 open "$M/modes/ro.txt" 'O_RDWR|O_APPEND'
t -U 1000 open "$M/merged/common.txt" 'O_WRONLY|O_TRUNC'
t -U 1000 open "$M/merged/new.txt" 'O_WRONLY|O_CREAT' 0644
t -U 1000 open "$M/dir-l2only/sub/new.txt" 'O_WRONLY|O_CREAT' 0644
t -U 1000 open "$M/deep/a/b/c/new.txt" 'O_WRONLY|O_CREAT|O_EXCL' 0644
t -U 1000 open "$M/modes/closed/new.txt" 'O_WRONLY|O_CREAT' 0644
t -U 1000 open "$M/modes/closed/nope" O_RDONLY
t -U 1000 open "$M/modes/sticky/mine.txt" 'O_WRONLY|O_CREAT' 0640
t -U 1000 open "$M/modes/sticky/mine.txt" O_RDWR
t -U 1001 open "$M/modes/sticky/mine.txt" O_RDONLY
t -U 1000 open "$M/merged" 'O_RDONLY|O_TMPFILE'
t -U 1000 open "$M/modes/sticky" 'O_RDWR|O_TMPFILE'
t statx-mask "$M/modes/sticky/mine.txt" 'STATX_UID|STATX_GID|STATX_MODE' 0
t stat "$M/modes/plain.txt"
