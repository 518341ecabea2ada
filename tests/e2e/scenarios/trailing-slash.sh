# A trailing slash requires a directory.
"$PROBE" stat "$M/shadow.txt/"
"$PROBE" stat "$M/merged/"
"$PROBE" stat "$M/link-dir/"
"$PROBE" lstat "$M/link-dir/"
"$PROBE" lstat "$M/link-dir"
"$PROBE" rmdir "$M/empty-l2/"
"$PROBE" unlink "$M/twice.txt/"
"$PROBE" mkdir "$M/newdir/" 0755
"$PROBE" rename "$M/l1only.txt" "$M/l1/"
