# needs: make cc
# The built objects and binary stay in the upper layer.
cd "$M/proj"
make -s -j2 CFLAGS='-O1 -Wall'
./prog
ls *.o | wc -l
