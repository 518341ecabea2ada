# O_NOFOLLOW refuses a symlink in the last component only (ELOOP, no
# copy-up), O_PATH|O_NOFOLLOW opens the link itself, O_CREAT|O_EXCL never
# follows.
"$PROBE" open "$M/link-rel" 'O_RDONLY|O_NOFOLLOW'
"$PROBE" open "$M/link-rel" 'O_WRONLY|O_NOFOLLOW'
"$PROBE" open "$M/link-rel" 'O_RDWR|O_APPEND|O_NOFOLLOW'
"$PROBE" open "$M/link-rel" 'O_PATH|O_NOFOLLOW'
"$PROBE" open "$M/link-abs" 'O_RDONLY|O_NOFOLLOW'
"$PROBE" open "$M/link-dir" 'O_RDONLY|O_DIRECTORY|O_NOFOLLOW'
"$PROBE" open "$M/link-dir/common.txt" 'O_RDONLY|O_NOFOLLOW'
"$PROBE" open "$M/link-dir/common.txt" 'O_WRONLY|O_APPEND|O_NOFOLLOW'
"$PROBE" open "$M/link-dangling" 'O_WRONLY|O_CREAT|O_NOFOLLOW' 0644
"$PROBE" open "$M/link-dangling" 'O_WRONLY|O_CREAT|O_EXCL' 0644
"$PROBE" open "$M/link-rel" 'O_WRONLY|O_CREAT|O_EXCL' 0644
"$PROBE" open "$M/shadow.txt" 'O_RDONLY|O_NOFOLLOW'
"$PROBE" open "$M/merged" 'O_RDONLY|O_NOFOLLOW'
ln -s merged/b-l1.txt "$M/up-link"
"$PROBE" open "$M/up-link" 'O_WRONLY|O_TRUNC|O_NOFOLLOW'
"$PROBE" open "$M/up-link" 'O_PATH|O_NOFOLLOW'
"$PROBE" open "$M/up-link" 'O_WRONLY|O_TRUNC'
"$PROBE" stat "$M/merged/b-l1.txt"
"$PROBE" stat "$M/only-l2.txt"
"$PROBE" stat "$M/does-not-exist"
