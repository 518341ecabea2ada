# Executing scripts that live in lower layers, directly and via PATH.
"$M/bin/hello.sh" one two
"$M/bin/l1tool.sh"
"$M/modes/exec.sh"
PATH="$M/bin:$PATH" hello.sh via path
sh "$M/modes/exec.sh"
"$M/modes/plain.txt" || echo "exec failed: $?"
