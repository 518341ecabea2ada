# Overwriting in the middle of a lower file with conv=notrunc.
printf 'XXXXXXXX' | dd of="$M/big.txt" bs=1 seek=100 conv=notrunc status=none
wc -c <"$M/big.txt"
head -c 120 "$M/big.txt" | od -c | head -n 8
sha256sum <"$M/big.txt"
dd if=/dev/zero of="$M/merged/common.txt" bs=4 count=1 seek=1 conv=notrunc status=none
od -c "$M/merged/common.txt"
