# needs: python3
# The fd class on read-only fds of lower files (fchmod, fchown, fsetxattr,
# fremovexattr, futimens, ftruncate) and of lower dirs: the lower layer never
# changes; the copy in upper gets the change; statfs/fstatfs work.
python3 - "$M" <<'PY'
import errno, os, sys
m = sys.argv[1]
def tryit(label, f):
    try:
        r = f(); print(label, "ok" if r is None else r)
    except OSError as e:
        print(label, errno.errorcode[e.errno])
def fdo(path, flags=os.O_RDONLY):
    return os.open(m + "/" + path, flags)
fd = fdo("only-l2.txt")
tryit("fchmod", lambda: os.fchmod(fd, 0o600))
tryit("fchown", lambda: os.fchown(fd, 123, 456))
tryit("futimens", lambda: os.utime(fd, (1000000, 2000000)))
tryit("fsetxattr", lambda: os.setxattr(fd, "user.fd", b"v"))
tryit("fgetxattr", lambda: os.getxattr(fd, "user.fd"))
tryit("ftruncate-ro", lambda: os.ftruncate(fd, 0))
tryit("fstatfs", lambda: os.fstatvfs(fd).f_namemax)
os.close(fd)
st = os.stat(m + "/only-l2.txt")
print("only-l2", oct(st.st_mode & 0o777), st.st_uid, st.st_gid, int(st.st_mtime))
fd = fdo("xattr.txt")
tryit("fremovexattr", lambda: os.removexattr(fd, "user.test"))
tryit("fremovexattr-absent", lambda: os.removexattr(fd, "user.test"))
tryit("flistxattr", lambda: os.listxattr(fd))
os.close(fd)
fd = fdo("merged/common.txt")
tryit("fremovexattr-none", lambda: os.removexattr(fd, "user.none"))
os.close(fd)
fd = fdo("dir-l2only", os.O_RDONLY | os.O_DIRECTORY)
tryit("fchmod-dir", lambda: os.fchmod(fd, 0o750))
tryit("fsetxattr-dir", lambda: os.setxattr(fd, "user.d", b"1"))
tryit("fgetxattr-dir", lambda: os.getxattr(fd, "user.d"))
tryit("flistxattr-dir", lambda: os.listxattr(fd))
os.close(fd)
print("dir-l2only", oct(os.stat(m + "/dir-l2only").st_mode & 0o777))
fd = fdo("twice.txt", os.O_RDWR)
tryit("ftruncate-rw", lambda: os.ftruncate(fd, 3))
os.close(fd)
print("twice", open(m + "/twice.txt").read())
tryit("statfs", lambda: os.statvfs(m + "/merged").f_namemax)
tryit("statfs-missing", lambda: os.statvfs(m + "/nothere"))
PY
