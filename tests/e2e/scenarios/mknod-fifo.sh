# Special files in the upper layer.
"$PROBE" mknod-fifo "$M/fifo" 0600
"$PROBE" stat "$M/fifo"
"$PROBE" mknod-fifo "$M/gone.txt" 0644
"$PROBE" stat "$M/gone.txt"
"$PROBE" mknod-fifo "$M/shadow.txt" 0644
ls "$M"
