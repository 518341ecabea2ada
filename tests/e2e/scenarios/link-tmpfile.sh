# needs: python3
# An O_TMPFILE made inside the overlay and given a name with
# linkat(/proc/self/fd/N, AT_SYMLINK_FOLLOW), the unprivileged way.
python3 - "$M" <<'PY'
import errno, os, sys
m = sys.argv[1]
fd = os.open(m + "/merged", os.O_TMPFILE | os.O_WRONLY, 0o640)
os.write(fd, b"made anonymously\n")
os.link("/proc/self/fd/%d" % fd, m + "/merged/named.txt")
try:
    os.link("/proc/self/fd/%d" % fd, m + "/merged/named.txt")
except OSError as e:
    print("again", errno.errorcode[e.errno])
os.link("/proc/self/fd/%d" % fd, m + "/dir-l2only/sub/second.txt")
os.close(fd)
print(open(m + "/merged/named.txt").read(), end="")
print(oct(os.stat(m + "/merged/named.txt").st_mode & 0o777), os.stat(m + "/merged/named.txt").st_nlink)
PY
