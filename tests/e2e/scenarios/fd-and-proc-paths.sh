# needs: python3
# fchmod/futimens on an fd of a merged dir and of a file copied up after it
# was opened; paths through /proc/self/{cwd,fd/N}; a 4095-byte relative path;
# namespace calls on "symlink/" (no follow: ENOTDIR, or EEXIST for mkdir).
cd "$M/merged"
python3 - "$M" <<'PY'
import errno, os, sys
m = sys.argv[1]
def tryit(label, f):
    try:
        f(); print(label, "ok")
    except OSError as e:
        print(label, errno.errorcode[e.errno])
fd = os.open(m + "/merged", os.O_RDONLY | os.O_DIRECTORY)
os.fchmod(fd, 0o700)
os.utime(fd, (1, 1))
os.close(fd)
st = os.stat(m + "/merged"); print("merged", oct(st.st_mode & 0o777), int(st.st_mtime))
fd = os.open(m + "/shadow.txt", os.O_RDONLY)
os.chmod(m + "/shadow.txt", 0o600)
os.fchmod(fd, 0o640)
os.close(fd)
print("shadow", oct(os.stat(m + "/shadow.txt").st_mode & 0o777))
with open("/proc/self/cwd/via-proc-cwd", "w") as f: f.write("x")
print(sorted(n for n in os.listdir(".") if n.startswith("via")))
fd = os.open(m + "/only-l2.txt", os.O_RDONLY | os.O_PATH)
tryit("chmod-proc-fd", lambda: os.chmod("/proc/self/fd/%d" % fd, 0o604))
os.close(fd)
print("only-l2", oct(os.stat(m + "/only-l2.txt").st_mode & 0o777))
long = "./" * 2044 + "b-l1.txt"
print("long", len(long))
tryit("open-long", lambda: os.close(os.open(long, os.O_WRONLY | os.O_TRUNC)))
print("b-l1 size", os.stat("b-l1.txt").st_size)
os.mkdir(m + "/emptydir"); os.symlink("emptydir", m + "/ld")
os.symlink("nowhere", m + "/dang")
tryit("rmdir ld/", lambda: os.rmdir(m + "/ld/"))
tryit("unlink ld/", lambda: os.unlink(m + "/ld/"))
tryit("rename ld/", lambda: os.rename(m + "/ld/", m + "/zz"))
tryit("mkdir dang/", lambda: os.mkdir(m + "/dang/"))
print(os.path.isdir(m + "/emptydir"), os.path.exists(m + "/nowhere"))
PY
