# needs: python3
# os.walk and os.scandir through the overlay.
python3 - "$M" <<'EOT'
import os, sys
root = sys.argv[1]
for d, dirs, files in os.walk(root):
    dirs.sort()
    rel = os.path.relpath(d, root)
    for f in sorted(files):
        p = os.path.join(d, f)
        st = os.lstat(p)
        print(rel, f, oct(st.st_mode), st.st_size if not os.path.isdir(p) else "-")
with os.scandir(os.path.join(root, "merged")) as it:
    for e in sorted(it, key=lambda e: e.name):
        print(e.name, e.is_dir(follow_symlinks=False), e.is_symlink())
with open(os.path.join(root, "merged", "py.txt"), "w") as fh:
    fh.write("written by python\n")
os.replace(os.path.join(root, "merged", "py.txt"), os.path.join(root, "shadow.txt"))
print(open(os.path.join(root, "shadow.txt")).read(), end="")
EOT
