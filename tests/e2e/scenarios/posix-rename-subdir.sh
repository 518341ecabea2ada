# Renaming a directory into its own subtree is EINVAL (also for the
# target's ancestor and with EXCHANGE); renaming an upper dir over an
# empty upper dir replaces it, over a non-empty one is ENOTEMPTY.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
mkdir -p "$M/top/mid/low" "$M/empty" "$M/full"
echo f >"$M/full/f"
t rename "$M/top" "$M/top/mid/moved"
t rename "$M/top" "$M/top/mid"
t rename "$M/top/mid" "$M/top"
t rename "$M/top/mid/low" "$M/top"
t rename "$M/top" "$M/top/"
t rename "$M/top/" "$M/top2/"
t rename "$M/top2" "$M/full"
t rename "$M/top2" "$M/empty"
t rename "$M/merged" "$M/merged/sub/x"
t rename "$M/dir-l2only" "$M/dir-l2only/sub"
t renameat2 "$M/empty" "$M/empty/mid" EXCHANGE
t renameat2 "$M/empty/mid" "$M/empty" EXCHANGE
t renameat2 "$M/empty/mid" "$M/full" EXCHANGE
t listdir "$M/empty"
t listdir "$M/full"
t listdir "$M/full/mid"
