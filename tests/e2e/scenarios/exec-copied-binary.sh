# A binary copied into the upper layer runs from there.
cp /bin/echo "$M/merged/myecho"
"$M/merged/myecho" hello from upper
chmod 0644 "$M/merged/myecho"
"$M/merged/myecho" nope 2>/dev/null || echo "not executable: $?"
