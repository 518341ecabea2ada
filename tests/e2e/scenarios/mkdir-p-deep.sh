# mkdir -p below lower directories copies up every parent.
mkdir -p "$M/deep/a/b/c/d/e/f/g/h/i"
mkdir -p "$M/newtree/x/y/z"
find "$M/deep" "$M/newtree" | sort
"$PROBE" stat "$M/deep/a/b/c/d/e/f/g/h/i"
