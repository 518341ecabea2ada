# needs: python3
# AT_SYMLINK_NOFOLLOW and the l*() calls act on lower and upper symlinks
# themselves (lchown copies the link up, not its target); the following
# forms act on the target.
python3 - "$M" <<'PY'
import errno, os, stat, sys
m = sys.argv[1]
def show(label, p, follow):
    try:
        st = os.stat(p, follow_symlinks=follow)
        print(label, stat.filemode(st.st_mode), st.st_uid, st.st_gid,
              st.st_size if not stat.S_ISDIR(st.st_mode) else "-",
              st.st_mtime_ns if st.st_mtime_ns < 10**15 else "recent")
    except OSError as e:
        print(label, errno.errorcode[e.errno])
def tryit(label, f):
    try:
        f(); print(label, "ok")
    except OSError as e:
        print(label, errno.errorcode[e.errno])
L = m + "/link-rel"
T = m + "/only-l2.txt"
tryit("lchown link-rel", lambda: os.chown(L, 123, 456, follow_symlinks=False))
show("link-rel", L, False)
show("only-l2.txt", T, False)
tryit("chown via link-abs", lambda: os.chown(m + "/link-abs", 77, 88))
show("link-abs", m + "/link-abs", False)
show("shadow.txt", m + "/shadow.txt", False)
d = os.open(m + "/merged", os.O_RDONLY | os.O_DIRECTORY)
tryit("fchownat link-up nofollow",
      lambda: os.chown("link-up", 5, 6, dir_fd=d, follow_symlinks=False))
show("link-up at", m + "/merged/link-up", False)
st = os.stat("link-up", dir_fd=d, follow_symlinks=False)
print("fstatat nofollow", stat.S_ISLNK(st.st_mode))
st = os.stat("link-up", dir_fd=d)
print("fstatat follow", stat.S_ISREG(st.st_mode), st.st_size)
tryit("utimensat nofollow link-dir",
      lambda: os.utime(m + "/link-dir", ns=(10**9, 2 * 10**9), follow_symlinks=False))
show("link-dir", m + "/link-dir", False)
show("merged", m + "/merged", True)
tryit("chmod dangling", lambda: os.chmod(m + "/link-dangling", 0o600))
print("faccessat nofollow dangling",
      os.access(m + "/link-dangling", os.F_OK, follow_symlinks=False))
print("faccessat dangling", os.access(m + "/link-dangling", os.F_OK))
tryit("lsetxattr user.x on link", lambda: os.setxattr(L, "user.x", b"1", follow_symlinks=False))
tryit("setxattr user.y via link", lambda: os.setxattr(L, "user.y", b"2"))
print("target xattrs", sorted(os.listxattr(T)))
tryit("linkat nofollow", lambda: os.link(L, m + "/hard-of-link", follow_symlinks=False))
tryit("linkat follow", lambda: os.link(m + "/link-abs", m + "/hard-of-target", follow_symlinks=True))
show("hard-of-link", m + "/hard-of-link", False)
show("hard-of-target", m + "/hard-of-target", False)
print(os.readlink(m + "/hard-of-link"))
os.close(d)
PY
