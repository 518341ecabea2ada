# needs: make gcc
# make -j of a generated 200-file C project that lives in the overlay.
mkdir "$M/gen"
cd "$M/gen"
i=0
while [ $i -lt 200 ]; do
	printf 'int f%d(int x) { return x + %d; }\n' $i $i >f$i.c
	i=$((i + 1))
done
{
	echo '#include <stdio.h>'
	i=0
	while [ $i -lt 200 ]; do echo "int f$i(int);"; i=$((i + 1)); done
	echo 'int main(void) { int s = 0;'
	i=0
	while [ $i -lt 200 ]; do echo "s = f$i(s);"; i=$((i + 1)); done
	printf '%s\n' 'printf("%d\n", s); return 0; }'
} >main.c
printf 'SRCS := $(wildcard f*.c) main.c\nprog: $(SRCS:.c=.o)\n\t$(CC) -o $@ $^\n%%.o: %%.c\n\t$(CC) -O0 -c -o $@ $<\n' >Makefile
make -s -j4 prog
./prog
ls *.o | wc -l
make -s -q prog && echo up-to-date
