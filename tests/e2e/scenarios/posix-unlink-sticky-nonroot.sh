# Sticky-bit and write-permission rules for unlink/rename/rmdir as
# non-root: in a sticky 1777 lower dir only the owner (of the file or the
# dir) may remove or rename; in root's 0755 dirs nobody else may.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t open "$M/modes/sticky/root.txt" 'O_WRONLY|O_CREAT' 0666
t -U 1000 open "$M/modes/sticky/u1000.txt" 'O_WRONLY|O_CREAT' 0666
t -U 1000 mkdir "$M/modes/sticky/u1000dir" 0777
t -U 1000 unlink "$M/modes/sticky/root.txt"
t -U 1000 rename "$M/modes/sticky/root.txt" "$M/modes/sticky/stolen.txt"
t -U 1001 unlink "$M/modes/sticky/u1000.txt"
t -U 1001 rmdir "$M/modes/sticky/u1000dir"
t -U 1001 rename "$M/modes/sticky/u1000.txt" "$M/modes/sticky/x.txt"
t -U 1001 open "$M/modes/sticky/u1001.txt" 'O_WRONLY|O_CREAT' 0666
t -U 1001 rename "$M/modes/sticky/u1001.txt" "$M/modes/sticky/u1000.txt"
t -U 1000 rename "$M/modes/sticky/u1000.txt" "$M/modes/sticky/renamed.txt"
t -U 1000 unlink "$M/modes/sticky/renamed.txt"
t -U 1000 rmdir "$M/modes/sticky/u1000dir"
t -U 1000 unlink "$M/modes/plain.txt"
t -U 1000 unlink "$M/only-l2.txt"
t -U 1000 rmdir "$M/empty-l2"
t -U 1000 rename "$M/only-l2.txt" "$M/modes/sticky/taken.txt"
t -U 1000 unlink "$M/modes/closed/nope"
t -U 1000 unlink "$M/gone.txt"
t listdir "$M/modes/sticky"
t stat "$M/modes/plain.txt"
t stat "$M/only-l2.txt"
t stat "$M/empty-l2"
