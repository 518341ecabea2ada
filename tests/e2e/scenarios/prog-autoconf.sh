# needs: autoreconf autoconf automake make cc
# A small autoconf/automake project written into a merged dir: autoreconf
# -i, ./configure, make, make check-free run, make distclean.
P=$M/merged/hello
mkdir "$P" "$P/src"
cat >"$P/configure.ac" <<'EOT'
AC_INIT([hello], [1.0])
AC_CONFIG_SRCDIR([src/hello.c])
AM_INIT_AUTOMAKE([foreign subdir-objects no-dependencies])
AC_PROG_CC
AC_CHECK_HEADERS([unistd.h])
AC_CONFIG_HEADERS([config.h])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
EOT
cat >"$P/Makefile.am" <<'EOT'
bin_PROGRAMS = hello
hello_SOURCES = src/hello.c
EOT
cat >"$P/src/hello.c" <<'EOT'
#include "config.h"
#include <stdio.h>

int main(void)
{
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
#ifdef HAVE_UNISTD_H
	printf("have unistd.h\n");
#endif
	return 0;
}
EOT
cd "$P"
autoreconf -i >"$HOME/autoreconf.log" 2>&1 || { cat "$HOME/autoreconf.log"; exit 1; }
./configure >"$HOME/configure.log" 2>&1 || { cat "$HOME/configure.log"; exit 1; }
grep -c '^checking' "$HOME/configure.log"
grep -E '^checking (for unistd.h|whether the C compiler works)' "$HOME/configure.log"
grep '^config.status: creating' "$HOME/configure.log"
make >"$HOME/make.log" 2>&1 || { cat "$HOME/make.log"; exit 1; }
./hello
ls
make distclean >"$HOME/distclean.log" 2>&1 || { cat "$HOME/distclean.log"; exit 1; }
rm -rf autom4te.cache
ls
ls src
