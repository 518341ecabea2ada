# *at() calls relative to a directory fd inside the overlay.
"$PROBE" openat-dirfd "$M/merged" common.txt O_RDONLY
"$PROBE" openat-dirfd "$M/merged" ../shadow.txt O_RDONLY
"$PROBE" openat-dirfd "$M/merged" sub/deep-l2.txt O_RDONLY
"$PROBE" openat-dirfd "$M" gone.txt O_RDONLY
"$PROBE" openat-dirfd "$M/opq" old-l2.txt O_RDONLY
"$PROBE" openat-dirfd "$M/merged/sub" new.txt 'O_WRONLY|O_CREAT' 0600
"$PROBE" openat-dirfd "$M/merged" ../../ O_RDONLY
ls "$M/merged/sub"
