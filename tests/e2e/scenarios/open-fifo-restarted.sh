# A path syscall blocked in the kernel (open of a FIFO), interrupted by a
# signal whose handler opens another overlay file, restarted (SA_RESTART):
# it must still open the FIFO. The signal is a timer's SIGALRM, then the
# SIGCHLD of a child that exits while the open waits.
mkfifo "$M/merged/pipe"
"$PROBE" fifo-restart "$M/merged/pipe" "$M/shadow.txt"
"$PROBE" fifo-restart "$M/merged/pipe" "$M/shadow.txt" chld
ls "$M/merged" | grep -c pipe
