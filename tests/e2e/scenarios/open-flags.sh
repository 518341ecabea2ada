# open(2) edge cases on overlay objects.
"$PROBE" open "$M/merged" O_WRONLY
"$PROBE" open "$M/merged" 'O_RDONLY|O_DIRECTORY'
"$PROBE" open "$M/shadow.txt" 'O_RDONLY|O_DIRECTORY'
"$PROBE" open "$M/link-rel" 'O_RDONLY|O_NOFOLLOW'
"$PROBE" open "$M/link-rel" 'O_RDONLY|O_NOFOLLOW|O_PATH'
"$PROBE" open "$M/link-dangling" 'O_WRONLY|O_CREAT' 0600
"$PROBE" stat "$M/does-not-exist"
"$PROBE" open "$M/twice.txt" 'O_WRONLY|O_TRUNC'
"$PROBE" stat "$M/twice.txt"
"$PROBE" open "$M/shadow.txt/x" O_RDONLY
"$PROBE" open "$M/nope/x" 'O_WRONLY|O_CREAT'
