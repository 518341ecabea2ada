# needs: make
# make with pattern rules in merged dirs: every lower and upper .txt gets a
# .up (upper-case) and a .n (line count) target; targets made older than
# their lower source are remade, and only those; make clean removes them.
cd "$M/merged"
cat >Makefile <<'EOT'
SRCS := $(sort $(wildcard *.txt sub/*.txt))
UPS := $(SRCS:.txt=.up)
NS := $(SRCS:.txt=.n)

all: $(UPS) $(NS) summary

%.up: %.txt
	tr a-z A-Z <$< >$@

%.n: %.up
	wc -l <$< >$@

summary: $(NS)
	cat $^ | awk '{ s += $$1 } END { print s }' >$@

clean:
	rm -f $(UPS) $(NS) summary

.PHONY: all clean
EOT
make -j2 -s
cat summary sub/deep-l2.up common.up
ls . sub
make -q && echo "up to date"
touch -d '2019-01-01 00:00:00' sub/deep-l1.up sub/deep-l1.n summary
make -n | sort
make -s
make -s clean
ls . sub
