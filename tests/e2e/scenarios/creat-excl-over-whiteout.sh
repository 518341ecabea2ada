# O_CREAT|O_EXCL over a whiteout succeeds; over a visible lower file it
# fails with EEXIST.
"$PROBE" open "$M/gone.txt" 'O_WRONLY|O_CREAT|O_EXCL' 0640
"$PROBE" stat "$M/gone.txt"
"$PROBE" open "$M/shadow.txt" 'O_WRONLY|O_CREAT|O_EXCL'
"$PROBE" open "$M/only-l2.txt" 'O_RDWR|O_CREAT|O_EXCL'
"$PROBE" open "$M/merged" 'O_RDONLY|O_CREAT|O_EXCL'
"$PROBE" open "$M/link-dangling" 'O_WRONLY|O_CREAT|O_EXCL'
"$PROBE" open "$M/gonedir/x" 'O_WRONLY|O_CREAT|O_EXCL'
ls "$M"
