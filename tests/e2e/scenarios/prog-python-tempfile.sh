# needs: python3
# Python's tempfile module and the atomic-replace idiom in the overlay:
# NamedTemporaryFile, mkstemp, TemporaryDirectory and SpooledTemporaryFile
# in merged dirs, os.replace over lower files, os.scandir results.
python3 - "$M" <<'PY'
import os, sys, tempfile
m = sys.argv[1]
d = os.path.join(m, "merged")
with tempfile.NamedTemporaryFile("w", dir=d, prefix="tmp-", delete=False) as f:
    f.write("replaced atomically\n")
    tmp = f.name
os.replace(tmp, os.path.join(d, "common.txt"))
fd, p = tempfile.mkstemp(dir=os.path.join(d, "sub"), suffix=".x")
os.write(fd, b"mkstemp\n")
os.close(fd)
os.replace(p, os.path.join(m, "only-l2.txt"))
with tempfile.TemporaryDirectory(dir=os.path.join(m, "opq")) as td:
    for i in range(5):
        with open(os.path.join(td, "f%d" % i), "w") as f:
            f.write(str(i))
    os.mkdir(os.path.join(td, "nested"))
    print("tempdir entries", sorted(os.listdir(td)))
with tempfile.NamedTemporaryFile(dir=os.path.join(m, "dir-l2only")) as f:
    f.write(b"gone on close")
    f.flush()
    print("named exists", os.path.exists(f.name))
print("named exists after", os.path.exists(f.name))
with tempfile.TemporaryFile(dir=d) as f:
    f.write(b"anonymous")
    f.seek(0)
    print("TemporaryFile", f.read())
for e in sorted(os.scandir(m), key=lambda e: e.name):
    print(e.name, e.is_file(), e.is_dir(), e.is_symlink(),
          e.stat(follow_symlinks=False).st_size if e.is_file(follow_symlinks=False) else "-")
for name in ("common.txt", "sub"):
    print(name, open(os.path.join(d, "common.txt")).read().strip() if name == "common.txt" else sorted(os.listdir(os.path.join(d, name))))
print(open(os.path.join(m, "only-l2.txt")).read(), end="")
print(sorted(os.listdir(os.path.join(m, "opq"))), sorted(os.listdir(os.path.join(m, "dir-l2only"))))
PY
