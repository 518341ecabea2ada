# A path syscall blocked in the kernel (open of a FIFO), interrupted by a
# signal whose handler opens another overlay file, restarted (SA_RESTART):
# it must still open the FIFO.
mkfifo "$M/merged/pipe"
"$PROBE" fifo-restart "$M/merged/pipe" "$M/shadow.txt"
ls "$M/merged" | grep -c pipe
