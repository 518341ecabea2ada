# open(2) ENOTDIR and friends: a file as a path component, a trailing
# slash on a file, O_DIRECTORY on files and on symlinks to files.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t open "$M/shadow.txt/x" O_RDONLY
t open "$M/merged/common.txt/x" 'O_WRONLY|O_CREAT' 0644
t open "$M/shadow.txt/" O_RDONLY
t open "$M/only-l2.txt/" O_WRONLY
t open "$M/only-l2.txt/" 'O_WRONLY|O_CREAT' 0644
t open "$M/newfile/" 'O_WRONLY|O_CREAT' 0644
t open "$M/shadow.txt" 'O_RDONLY|O_DIRECTORY'
t open "$M/link-rel" 'O_RDONLY|O_DIRECTORY'
t open "$M/link-rel/" O_RDONLY
t open "$M/link-dir/" 'O_RDONLY|O_DIRECTORY'
t open "$M/link-dir" 'O_RDONLY|O_DIRECTORY|O_NOFOLLOW'
t open "$M/merged" 'O_RDONLY|O_DIRECTORY|O_CREAT' 0644
t open "$M/l1only.txt" 'O_PATH|O_DIRECTORY'
t open "$M/dir-l2only/sub/" 'O_RDONLY|O_DIRECTORY'
