# mkdir of names that exist somewhere in the merged view.
"$PROBE" mkdir "$M/merged" 0755
"$PROBE" mkdir "$M/shadow.txt" 0755
"$PROBE" mkdir "$M/link-dir" 0755
"$PROBE" mkdir "$M/link-dangling" 0755
"$PROBE" mkdir "$M/merged/sub" 0755
"$PROBE" mkdir "$M/nonexistent/child" 0755
"$PROBE" mkdir "$M/shadow.txt/child" 0755
"$PROBE" mkdir "$M/brand-new" 0700
"$PROBE" stat "$M/brand-new"
