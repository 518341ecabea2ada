"""A long run of overlay operations for vfsd to serve, each checked:
lookups of every name (and misses), copy-ups, renames, unlinks, mkdir and
rmdir (over whiteouts too), symlinks and hard links.
    python3 workload.py MOUNTPOINT N
The lower layer holds N files in d0..d9 (made by run.sh). Exits non-zero
at the first wrong result."""
import os
import sys

M, N = sys.argv[1], int(sys.argv[2])


def path(i):
    return f"{M}/d{i % 10}/f{i}"


def check(cond, what):
    if not cond:
        sys.exit(f"workload: {what}")


ops = 0
for rnd in range(3):                       # lookups, hits and misses
    for i in range(N):
        check(os.stat(path(i)).st_size > 0, f"stat {path(i)}")
        check(not os.path.exists(f"{M}/d{i % 10}/none{i}"), "missing name")
        ops += 2
for d in range(10):
    check(len(os.listdir(f"{M}/d{d}")) == len(range(d, N, 10)), f"list d{d}")
for i in range(0, N, 2):                   # copy-ups
    with open(path(i), "a") as f:
        f.write("more\n")
    ops += 1
for i in range(1, N, 3):                   # renames of lower and upper files
    os.rename(path(i), path(i) + ".moved")
    ops += 1
for i in range(1, N, 6):
    os.rename(path(i) + ".moved", path(i))
    ops += 1
for i in range(0, N, 5):                   # unlinks: whiteouts
    name = path(i) + ".moved" if os.path.exists(path(i) + ".moved") else path(i)
    os.unlink(name)
    check(not os.path.exists(name), f"unlink {name}")
    ops += 1
for i in range(0, N, 10):                  # dirs over whiteouts, links
    d = path(i)
    if not os.path.exists(d):
        os.mkdir(d)
        os.symlink("../../d1", f"{d}/up")
        check(os.path.isdir(f"{d}/up"), f"symlink in {d}")
        os.unlink(f"{d}/up")
        os.rmdir(d)
        ops += 4
    src = path(i + 3)
    if os.path.exists(src):
        os.link(src, src + ".hard")
        check(os.stat(src + ".hard").st_nlink == 2, f"link {src}")
        os.unlink(src + ".hard")
        ops += 2
for k in range(N // 10):                   # new dirs and files in upper
    d = f"{M}/new{k}"
    os.mkdir(d)
    with open(f"{d}/x", "w") as f:
        f.write("x")
    os.rename(f"{d}/x", f"{d}/y")
    os.unlink(f"{d}/y")
    os.rmdir(d)
    ops += 5
seen = sum(len(files) for _, _, files in os.walk(M))
check(seen > 0, "walk")
print(f"workload: {ops} operations, {seen} files at the end")
