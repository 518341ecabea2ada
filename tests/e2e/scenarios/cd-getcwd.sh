# The working directory inside the overlay, physical and logical.
cd "$M/merged/sub"
pwd | sed "s|$M|<M>|"
pwd -P | sed "s|$M|<M>|"
ls
cd ../..
ls -d l1only.txt only-l2.txt
"$PROBE" -C "$M/deep/a/b" getcwd | sed "s|$M|<M>|"
"$PROBE" -C "$M/link-dir" getcwd | sed "s|$M|<M>|"
"$PROBE" -C "$M/gonedir" getcwd
"$PROBE" -C "$M/shadow.txt" getcwd
cd "$M/link-dir"
pwd -P | sed "s|$M|<M>|"
cat common.txt
