# needs: make cc
# Build a C project that lives in the bottom layer; objects land in upper.
cd "$M/proj"
make -s -j2
./prog
ls
make
touch part3.c
make -s -j2
./prog
make -s clean
ls
