# A #! script in the overlay gets its overlay path as $0 (so dirname "$0"
# finds files of every layer), its #! argument, and an interpreter that
# lives in the overlay too; a script without x bits is refused.
cp /bin/sh "$M/bin/mysh"
printf '#!%s/bin/mysh -e\necho "0=$0 n=$# 1=$1"\nreadlink /proc/$$/exe\ncat "$(dirname "$0")/../only-l2.txt"\n' "$M" >"$M/bin/s1"
chmod +x "$M/bin/s1"
"$M/bin/s1" "one two" three
cd "$M/bin"
./s1
sh -c 'exec ./s1 x'
printf '#!/bin/sh\necho should-not-run\n' >"$M/bin/noexec"
chmod -x "$M/bin/noexec"
"$M/bin/noexec" 2>/dev/null || echo "status $?"
