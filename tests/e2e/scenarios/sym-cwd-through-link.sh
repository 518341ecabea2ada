# cd through lower symlinks: the shell's logical PWD keeps the link, the
# kernel's cwd is the target; relative paths resolve from the target.
cd "$M/link-dir"
pwd | sed "s|$M|<M>|"
pwd -P | sed "s|$M|<M>|"
"$PROBE" getcwd | sed "s|$M|<M>|"
cat common.txt
cat ../shadow.txt
cd sub
/bin/pwd | sed "s|$M|<M>|"
cd ..
cd ..
pwd | sed "s|$M|<M>|"
cd -P link-abs-dir/sub
pwd | sed "s|$M|<M>|"
readlink /proc/self/cwd | sed "s|$M|<M>|"
touch created-here
ls
