#!/usr/bin/env python3
"""Randomized differential test: fuss against a kernel overlayfs mount.

A seed gives two random lower layers (files, directories, symlinks,
whiteouts and opaque directories in L1 over L2, all over the same few
names, so they shadow each other) and a random sequence of operations over
that small name space, so that operations collide: the same names again,
parents that are files, renames onto existing names and across
directories, rmdir of non-empty directories, links of lower files,
symlinks to existing and missing targets, operations through symlinks.

One driver process ("apply") runs the whole sequence; after every step it
prints the operation, its result (ok or the errno name) and a normalised
dump of the merged view, then waits while the runner, outside the overlay,
dumps the upper directory (a program under fuss that lists a layer
directory by its host path is shown the merged listing, so the driver
cannot read it itself). The driver runs once inside a kernel overlay mount
(redirect_dir, index and metacopy off, as in tests/e2e/run.sh) and once
under fuss per whiteout format, on identical fresh layers at the same
mountpoint path; the steps must be equal, and the first step where they
differ is reported. The lower layers must be unchanged afterwards and
nothing may appear at the mountpoint path on the host.

  rdiff.py campaign --fuss F [--seeds A-B] [--ops N]  fixed seeds (make test)
  rdiff.py soak --fuss F --seconds N                  fresh seeds, minimises
  rdiff.py replay FILE --fuss F                       replays a saved sequence
  rdiff.py gen SEED [--ops N]                         prints a sequence
  rdiff.py apply --sync DIR OPSFILE MNT               the driver itself

Dumps, one line per entry, sorted by path:
  PATH TYPE MODE [SIZE nlink=N sha=HASH | -> TARGET] [xattr:NAME=VALUE...]
TYPE is f d l c b p s; a symlink target under the mountpoint prints with
"@" in place of the mountpoint. The upper dir is read like tests/e2e/tree.sh
reads a layer, in the marker format the run writes (the kernel's run:
chardev): as chardev, a 0:0 char device, or an empty file with
trusted.overlay.whiteout, prints "NAME WHITEOUT" and a directory whose
opaque xattr is "y" gets OPAQUE; as fileprefix, ".wh.NAME" prints "NAME
WHITEOUT", ".wh..wh..opq" makes its directory OPAQUE and opaque xattrs
print as they are. Other overlay-private xattrs are left out. A merged
view that did not change since the previous step prints as "M =".

KNOWN DIFFERENCES, left out of the comparison on purpose:
- The kernel marks a directory that exists only in the upper layer opaque
  before it renames it into a merged directory, and leaves the mark when
  the rename then fails (ENOTEMPTY, say); fuss leaves the directory as it
  was. Where the lower layers (merged) have no directory, or an opaque
  upper directory is above, the mark hides nothing, so the upper dumps
  show OPAQUE only where it hides something.
- The kernel lists a directory that exists in a single layer as it is on
  disk, markers included; no tool writes a whiteout into such a directory
  of a lower layer, so the generated lowers never have one (spec_dir).
"""
import argparse
import difflib
import errno
import hashlib
import os
import random
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

NAMES = "abcd"
MODES = ("fileprefix", "chardev")
RUN_TIMEOUT = 300
DIFF_CAP = 40
PRIVATE_XATTRS = ("trusted.overlay.", "user.overlay.", "user.fuseoverlayfs.")
OPAQUE_XATTRS = ("trusted.overlay.opaque", "user.overlay.opaque",
                 "user.fuseoverlayfs.opaque")


# ---- generation ----------------------------------------------------------

def rand_path(rng, max_depth=3):
    """A path over the small name space: mostly shallow, so names collide."""
    depth = rng.choices((1, 2, 3), (50, 35, 15))[0]
    return "/".join(rng.choice(NAMES) for _ in range(min(depth, max_depth)))


def rand_target(rng):
    """A symlink target that cannot leave the overlay whatever directory the
    link ends up in: relative without "..", or absolute under the
    mountpoint ("@" stands for it), sometimes missing."""
    kind = rng.choices(("rel", "abs", "missing", "self"), (45, 35, 15, 5))[0]
    if kind == "rel":
        return rand_path(rng, 2)
    if kind == "abs":
        return "@/" + rand_path(rng, 2)
    if kind == "missing":
        return rng.choice(("nothere", "@/nothere", "a/nothere"))
    return rng.choice(NAMES)


def rand_content(rng):
    n = rng.choice((0, 1, 5, 12, 40, 200))
    return bytes(rng.choice(b"abcdefgh\n") for _ in range(n))


def expand(target, mnt):
    return mnt + target[1:] if target.startswith("@") else target


def spec_dir(rng, spec, layer, rel, below):
    """Random entries of one directory of a lower layer, appended to spec
    as (kind, layer, path, args). below: the directories of the layers
    underneath (None for the bottom layer, which gets no markers); a
    whiteout is only placed in a directory merged with one below (see
    KNOWN DIFFERENCES). Returns the directories made."""
    depth = rel.count("/") + 1
    merged = below is not None and (rel == "" or rel[:-1] in below)
    if depth == 1:
        weights = (25, 35, 28, 12, 8 if merged else 0)
    elif depth == 2:
        weights = (40, 35, 13, 12, 5 if merged else 0)
    else:
        weights = (60, 40, 0, 0, 0)
    dirs = set()
    for name in NAMES:
        kind = rng.choices(("none", "file", "dir", "link", "whiteout"), weights)[0]
        p = rel + name
        if kind == "file":
            spec.append((kind, layer, p, (rand_content(rng),
                         rng.choice((0o644, 0o644, 0o600, 0o755, 0o444)))))
        elif kind == "dir":
            mode = rng.choice((0o755, 0o755, 0o700, 0o775))
            opaque = below is not None and rng.random() < 0.25
            spec.append((kind, layer, p, (mode, opaque)))
            dirs.add(p)
            dirs |= spec_dir(rng, spec, layer, p + "/", set() if opaque else below)
        elif kind == "link":
            spec.append((kind, layer, p, (rand_target(rng),)))
        elif kind == "whiteout":
            spec.append((kind, layer, p, ()))
    return dirs


def layer_spec(seed):
    """Every entry of the two lower layers of a seed."""
    rng = random.Random("layers:%s" % seed)
    spec = []
    below = spec_dir(rng, spec, "L2", "", None)
    spec_dir(rng, spec, "L1", "", below)
    return spec


def build_layers(seed, d, mnt):
    """d/L1 (top lower), d/L2 and an empty d/U, from the seed alone. The
    lowers carry markers in the kernel's format (the oracle reads only that;
    fuss reads every format)."""
    for layer in ("L2", "L1", "U"):
        os.makedirs(os.path.join(d, layer))
        os.chmod(os.path.join(d, layer), 0o755)
    for kind, layer, rel, args in layer_spec(seed):
        p = os.path.join(d, layer, rel)
        if kind == "file":
            with open(p, "wb") as f:
                f.write(args[0])
            os.chmod(p, args[1])
        elif kind == "dir":
            os.mkdir(p)
            os.chmod(p, args[0])
            if args[1]:
                os.setxattr(p, "trusted.overlay.opaque", b"y")
        elif kind == "link":
            os.symlink(expand(args[0], mnt), p)
        else:
            os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(0, 0))


def drop(tree, p):
    for q in [q for q in tree if q == p or q.startswith(p + "/")]:
        del tree[q]


def lower_view(seed):
    """{path: f|d|l} of the lower layers merged (L1 over L2, markers
    applied), as an overlay without upper dir shows them."""
    tree = {}
    for kind, _layer, rel, args in layer_spec(seed):
        if kind == "dir" and tree.get(rel) == "d" and not args[1]:
            continue
        drop(tree, rel)
        if kind != "whiteout":
            tree[rel] = kind[0]
    return tree


OP_WEIGHTS = {
    "create": 10, "write": 10, "append": 8, "truncate": 6, "chmod": 6,
    "mkdir": 9, "rmdir": 8, "unlink": 10, "rename": 14, "symlink": 6,
    "link": 6, "readdir": 5,
}


class OpGen:
    """Random operations. Paths are drawn mostly from a rough model of the
    merged tree (the layers, then what earlier operations probably did;
    symlinks are not followed), so that most operations act on something of
    the right type, and otherwise at random, so that they also collide and
    fail in every way. The model only steers the choice: whatever it gets
    wrong is still compared."""

    def __init__(self, seed):
        self.rng = random.Random("ops:%s" % seed)
        self.tree = lower_view(seed)

    def drop(self, p):
        drop(self.tree, p)

    def pick(self, types, odds=0.75):
        """A path of one of these types, or (1 - odds) a random one."""
        cands = sorted(q for q, t in self.tree.items() if t in types)
        if cands and self.rng.random() < odds:
            return self.rng.choice(cands)
        return rand_path(self.rng)

    def new(self):
        """A path that likely can be created: a new name in a directory."""
        if self.rng.random() < 0.75:
            d = self.pick("d", 0.8)
            if d.count("/") < 2 and self.tree.get(d) == "d":
                return d + "/" + self.rng.choice(NAMES)
            return self.rng.choice(NAMES)
        return self.pick("fdl")

    def parent_ok(self, p):
        return "/" not in p or self.tree.get(p.rsplit("/", 1)[0]) == "d"

    def make(self, p, t):
        if p not in self.tree and self.parent_ok(p):
            self.tree[p] = t

    def move(self, src, dst):
        st, dt = self.tree.get(src), self.tree.get(dst)
        if (st is None or not self.parent_ok(dst) or dst.startswith(src + "/") or
                (dt is not None and (dt == "d") != (st == "d")) or
                (dt == "d" and any(q.startswith(dst + "/") for q in self.tree))):
            return
        moved = {dst + q[len(src):]: t for q, t in self.tree.items()
                 if q == src or q.startswith(src + "/")}
        self.drop(src)
        self.drop(dst)
        self.tree.update(moved)

    def op(self):
        rng = self.rng
        op = rng.choices(list(OP_WEIGHTS), list(OP_WEIGHTS.values()))[0]
        if op == "create":
            p = self.new()
            self.make(p, "f")
            return [op, p, "%o" % rng.choice((0o644, 0o600, 0o755)),
                    rng.choice(("plain", "excl", "trunc"))]
        if op == "write":
            return [op, self.pick("fl"), str(rng.choice((0, 0, 3, 100))),
                    str(rng.choice((1, 7, 30))), rng.choice("WXYZ")]
        if op == "append":
            return [op, self.pick("fl"), str(rng.choice((1, 7, 30))), rng.choice("WXYZ")]
        if op == "truncate":
            return [op, self.pick("fl"), str(rng.choice((0, 0, 2, 50)))]
        if op == "chmod":
            return [op, self.pick("fdl"),
                    "%o" % rng.choice((0o600, 0o644, 0o700, 0o755, 0o444, 0o1777))]
        if op == "mkdir":
            p = self.new()
            self.make(p, "d")
            return [op, p, "%o" % rng.choice((0o755, 0o755, 0o700))]
        if op == "symlink":
            p = self.new()
            self.make(p, "l")
            return [op, rand_target(rng), p]
        if op == "link":
            src, dst = self.pick("fl"), self.new()
            if self.tree.get(src) in ("f", "l"):
                self.make(dst, self.tree[src])
            return [op, src, dst]
        if op == "rename":
            src = self.pick("fdl")
            dst = self.new() if rng.random() < 0.6 else self.pick("fdl")
            self.move(src, dst)
            return [op, src, dst]
        if op == "unlink":
            p = self.pick("fl")
            if self.tree.get(p) in ("f", "l"):
                self.drop(p)
            return [op, p]
        if op == "rmdir":
            p = self.pick("d")
            if not any(q.startswith(p + "/") for q in self.tree):
                self.drop(p)
            return [op, p]
        return [op, self.pick("d")]


def gen_ops(seed, n):
    g = OpGen(seed)
    return [g.op() for _ in range(n)]


def ename(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def run_op(op, mnt):
    """Applies one operation; returns its result as text."""
    name, args = op[0], op[1:]

    def P(i):
        return mnt + "/" + args[i]
    try:
        if name == "create":
            flags = {"plain": 0, "excl": os.O_EXCL, "trunc": os.O_TRUNC}[args[2]]
            os.close(os.open(P(0), os.O_WRONLY | os.O_CREAT | flags, int(args[1], 8)))
        elif name == "write":
            fd = os.open(P(0), os.O_WRONLY)
            try:
                os.pwrite(fd, args[3].encode() * int(args[2]), int(args[1]))
            finally:
                os.close(fd)
        elif name == "append":
            fd = os.open(P(0), os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, args[2].encode() * int(args[1]))
            finally:
                os.close(fd)
        elif name == "truncate":
            os.truncate(P(0), int(args[1]))
        elif name == "chmod":
            os.chmod(P(0), int(args[1], 8))
        elif name == "mkdir":
            os.mkdir(P(0), int(args[1], 8))
        elif name == "rmdir":
            os.rmdir(P(0))
        elif name == "unlink":
            os.unlink(P(0))
        elif name == "rename":
            os.rename(P(0), P(1))
        elif name == "symlink":
            os.symlink(expand(args[0], mnt), P(1))
        elif name == "link":
            os.link(P(0), P(1), follow_symlinks=False)
        elif name == "readdir":
            return " ".join(["ok"] + sorted(os.listdir(P(0))))
        else:
            return "bad-op"
    except OSError as e:
        return ename(e)
    return "ok"


def xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return {}
    out = {}
    for n in names:
        try:
            out[n] = os.getxattr(path, n, follow_symlinks=False)
        except OSError:
            pass
    return out


def is_private(name, markers):
    # read as fileprefix, an opaque xattr is no marker: it shows as it is
    if markers == "fileprefix" and name in OPAQUE_XATTRS:
        return False
    return name.startswith(PRIVATE_XATTRS)


def entry_line(path, full, st, xs, mnt, markers):
    m = st.st_mode
    t = ("f" if stat.S_ISREG(m) else "d" if stat.S_ISDIR(m) else
         "l" if stat.S_ISLNK(m) else "c" if stat.S_ISCHR(m) else
         "b" if stat.S_ISBLK(m) else "p" if stat.S_ISFIFO(m) else "s")
    line = "%s %s %o" % (path, t, stat.S_IMODE(m))
    if t == "f":
        try:
            with open(full, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()[:16]
        except OSError as e:
            sha = ename(e)
        line += " %d nlink=%d sha=%s" % (st.st_size, st.st_nlink, sha)
    elif t == "l":
        target = os.readlink(full)
        if target == mnt or target.startswith(mnt + "/"):
            target = "@" + target[len(mnt):]
        line += " -> " + target
    elif t in "cb":
        line += " %d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
    for n in sorted(xs):
        if not is_private(n, markers):
            line += " xattr:%s=%r" % (n, xs[n])
    return line


def dump(root, mnt, markers=None, lower_dirs=None):
    """The tree under root as sorted lines; markers None reads a merged
    view (no markers, no xattrs), else a layer in that marker format.
    With lower_dirs (the directories of the lowers' merged view), OPAQUE
    is shown only where it hides something: on such a directory with no
    opaque directory above it. Elsewhere it changes nothing, and the kernel
    leaves it in cases fuss does not (see KNOWN DIFFERENCES)."""
    out, wh, opq = {}, set(), set()

    def walk(d, rel):
        try:
            names = os.listdir(d)
        except OSError as e:
            out[rel + "/"] = "%s/ listdir %s" % (rel, ename(e))
            return
        for n in names:
            p = rel + "/" + n if rel != "." else n
            full = d + "/" + n
            # the upper dir's in-use mark, there while fuss runs (other
            # .fuss-tmp.* entries would be leftovers and still show)
            if markers and rel == "." and n == ".fuss-tmp.in-use":
                continue
            if markers == "fileprefix" and n == ".wh..wh..opq":
                opq.add(rel)
                continue
            if markers == "fileprefix" and n.startswith(".wh."):
                wh.add(p[:-len(n)] + n[4:])
                continue
            try:
                st = os.lstat(full)
            except OSError as e:
                out[p] = "%s lstat %s" % (p, ename(e))
                continue
            xs = xattrs(full) if markers else {}
            if markers == "chardev":
                if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
                    wh.add(p)
                    continue
                if (stat.S_ISREG(st.st_mode) and st.st_size == 0 and
                        ("trusted.overlay.whiteout" in xs or
                         "user.overlay.whiteout" in xs)):
                    wh.add(p)
                    continue
                if any(xs.get(n) == b"y" for n in OPAQUE_XATTRS):
                    opq.add(p)
            out[p] = entry_line(p, full, st, xs, mnt, markers)
            if stat.S_ISDIR(st.st_mode):
                walk(full, p)

    try:
        st = os.lstat(root)
        out["."] = entry_line(".", root, st, xattrs(root) if markers else {},
                              mnt, markers)
    except OSError as e:
        out["."] = ". lstat " + ename(e)
    walk(root, ".")
    for p in wh:
        out[p] = p + " WHITEOUT"
    for p in opq:
        if p in out and (lower_dirs is None or (p in lower_dirs and not any(
                q != p and (p + "/").startswith(q + "/") for q in opq))):
            out[p] += " OPAQUE"
    return [out[p] for p in sorted(out)]


def read_ops(path):
    """The operations of a sequence file (comment lines start with #)."""
    with open(path) as f:
        return [ln.split() for ln in f if ln.strip() and not ln.startswith("#")]


def cmd_apply(a):
    """Runs the sequence; after each step the merged view is dumped here and
    the upper dir by the runner outside the overlay (a program under fuss
    that lists a layer directory by its host path sees the merged listing),
    which is asked through the FIFOs SYNC/req and SYNC/ack."""
    os.umask(0o022)
    ops = read_ops(a.opsfile)
    # Non-blocking opens: without the runner (gone), fail rather than wait.
    req = os.open(a.sync + "/req", os.O_WRONLY | os.O_NONBLOCK)
    ack = os.open(a.sync + "/ack", os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(req, True)
    os.set_blocking(ack, True)
    prev = None
    out = sys.stdout
    for i, op in enumerate(ops):
        res = run_op(op, a.mnt)
        m = dump(a.mnt, a.mnt)
        out.write("#%d %s = %s\n" % (i, " ".join(op), res))
        out.write("M =\n" if m == prev else "".join("M %s\n" % x for x in m))
        prev = m
        os.write(req, b"%d\n" % i)
        if os.read(ack, 1) != b".":
            out.write("lost the runner\n")
            return 1
    out.write("END\n")
    return 0


# ---- running both sides --------------------------------------------------

def mounted(mnt):
    return subprocess.run(["mountpoint", "-q", mnt]).returncode == 0


def umount_all(mnt):
    for _ in range(10):
        if not mounted(mnt):
            return
        if subprocess.run(["umount", mnt], stderr=subprocess.DEVNULL).returncode:
            subprocess.run(["umount", "-l", mnt], stderr=subprocess.DEVNULL)


def ovl_mount(d, mnt):
    """Kernel overlay of d/{L1,L2,U} at mnt; returns the error text or ""."""
    os.makedirs(d + "/W", exist_ok=True)
    opts = ("lowerdir=%s/L1:%s/L2,upperdir=%s/U,workdir=%s/W,"
            "redirect_dir=off,index=off,metacopy=off" % (d, d, d, d))
    r = subprocess.run(["mount", "-t", "overlay", "overlay", "-o", opts, mnt],
                       capture_output=True, text=True)
    return "" if r.returncode == 0 else (r.stderr.strip() or "mount failed")


def layer_state(d):
    """Every entry of the lower layers as it is on disk (raw), to check a
    run left them unchanged."""
    out = []
    for layer in ("L1", "L2"):
        for root, dirs, files in os.walk(d + "/" + layer):
            for n in sorted(dirs + files) + ["."]:
                p = os.path.join(root, n)
                st = os.lstat(p)
                out.append((p, st.st_mode, st.st_size, st.st_mtime_ns,
                            st.st_ctime_ns, st.st_ino,
                            sorted(xattrs(p).items())))
    return out


class Runner:
    """Runs sequences on both sides in a scratch directory with one fixed
    mountpoint path."""

    def __init__(self, fuss):
        self.fuss = fuss
        self.top = tempfile.mkdtemp(prefix="fuss-rnd.")
        os.chmod(self.top, 0o755)
        self.mnt = tempfile.mkdtemp(prefix="fuss-rnd-m.")
        self.n = 0

    def close(self):
        umount_all(self.mnt)
        shutil.rmtree(self.top, ignore_errors=True)
        if not mounted(self.mnt):
            shutil.rmtree(self.mnt, ignore_errors=True)

    def skip_reason(self):
        """Why the kernel cannot be the oracle here, or ""."""
        if os.geteuid() != 0:
            return "not root: a kernel overlayfs mount is needed as the oracle"
        d = self.fresh(None)
        err = ovl_mount(d, self.mnt)
        umount_all(self.mnt)
        return "mount -t overlay failed: " + err if err else ""

    def fresh(self, seed):
        self.n += 1
        d = "%s/r%d" % (self.top, self.n)
        if seed is None:
            for layer in ("L1", "L2", "U"):
                os.makedirs(d + "/" + layer)
        else:
            build_layers(seed, d, self.mnt)
        return d

    def write_ops(self, ops):
        path = "%s/ops%d" % (self.top, self.n)
        with open(path, "w") as f:
            f.writelines(" ".join(op) + "\n" for op in ops)
        return path

    def driver(self, opsfile):
        return [sys.executable, os.path.abspath(__file__), "apply",
                "--sync=" + self.top, opsfile, self.mnt]

    def run(self, cmd, d, markers, seed):
        """Runs CMD (the driver, maybe under fuss) and dumps d/U whenever it
        asks; returns (steps, problems)."""
        for f in ("req", "ack"):
            if not os.path.exists(self.top + "/" + f):
                os.mkfifo(self.top + "/" + f, 0o600)
        req = os.open(self.top + "/req", os.O_RDWR | os.O_NONBLOCK)
        ack = os.open(self.top + "/ack", os.O_RDWR)
        outf = open(d + "/stdout", "w+")
        errf = open(d + "/stderr", "w+")
        proc = subprocess.Popen(cmd, cwd="/", stdin=subprocess.DEVNULL, stdout=outf,
                                stderr=errf, start_new_session=True)
        uppers, buf, problems = [], b"", []
        lower_dirs = {p for p, t in lower_view(seed).items() if t == "d"}
        deadline = time.time() + RUN_TIMEOUT
        try:
            while True:
                if time.time() > deadline:
                    os.killpg(proc.pid, signal.SIGKILL)
                    problems.append("timed out after %d s" % RUN_TIMEOUT)
                    deadline = float("inf")
                if select.select([req], [], [], 0.1)[0]:
                    buf += os.read(req, 4096)
                    while b"\n" in buf:
                        buf = buf.split(b"\n", 1)[1]
                        uppers.append(dump(d + "/U", self.mnt, markers, lower_dirs))
                        os.write(ack, b".")
                elif proc.poll() is not None:
                    break
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            os.close(req)
            os.close(ack)
        outf.seek(0)
        errf.seek(0)
        text, err = outf.read(), errf.read()
        outf.close()
        errf.close()
        if proc.returncode:
            problems.append("exit %d: %s" % (proc.returncode, err[-400:]))
        return collect_steps(text, uppers), problems

    def run_kernel(self, seed, ops):
        """(steps, error) of the sequence in a kernel overlay mount."""
        d = self.fresh(seed)
        opsfile = self.write_ops(ops)
        err = ovl_mount(d, self.mnt)
        if err:
            return None, "kernel mount: " + err
        try:
            st, problems = self.run(self.driver(opsfile), d, "chardev", seed)
        finally:
            umount_all(self.mnt)
            shutil.rmtree(d, ignore_errors=True)
        return st, "; ".join("kernel run: " + p for p in problems)

    def run_fuss(self, seed, ops, mode):
        """(steps, problems) of the sequence under fuss in MODE."""
        d = self.fresh(seed)
        opsfile = self.write_ops(ops)
        before = layer_state(d)
        cmd = [self.fuss, "--mountpoint=" + self.mnt,
               "--lowerdir=%s/L1:%s/L2" % (d, d), "--upperdir=%s/U" % d,
               "--whiteout=" + mode, "--"] + self.driver(opsfile)
        st, problems = self.run(cmd, d, mode, seed)
        problems = ["fuss " + p for p in problems]
        if layer_state(d) != before:
            problems.append("the lower layers changed")
        if os.listdir(self.mnt):
            problems.append("entries appeared at the mountpoint path on the host")
            for n in os.listdir(self.mnt):
                shutil.rmtree(self.mnt + "/" + n, ignore_errors=True)
        shutil.rmtree(d, ignore_errors=True)
        return st, problems


# ---- comparing -------------------------------------------------------------

def collect_steps(text, uppers):
    """One list of lines per step (and one for END): the driver's header and
    merged view ("M =" replaced by the previous one), then the upper dir."""
    blocks = []
    for ln in text.splitlines():
        if ln.startswith("#") or ln == "END":
            blocks.append((ln, []))
        elif blocks:
            blocks[-1][1].append(ln)
    res, prev = [], []
    for i, (head, lines) in enumerate(blocks):
        m = prev if lines == ["M ="] else lines
        prev = m
        u = ["U " + x for x in uppers[i]] if i < len(uppers) and head != "END" else []
        res.append([head] + m + u)
    return res


def first_difference(ks, fs):
    """None when the runs' steps are equal, else (step index, text): a
    capped diff of that step's result and dumps."""
    for i in range(max(len(ks), len(fs))):
        k = ks[i] if i < len(ks) else ["(no output)"]
        f = fs[i] if i < len(fs) else ["(no output)"]
        if k == f:
            continue
        d = list(difflib.unified_diff(k, f, "kernel", "fuss", n=1, lineterm=""))
        if len(d) > DIFF_CAP:
            d = d[:DIFF_CAP] + ["... (%d more lines)" % (len(d) - DIFF_CAP)]
        return i, "\n".join(d)
    return None


def check(runner, seed, ops, modes):
    """{mode: None when fuss matched the kernel, else (the first differing
    step or None, the failure text)}."""
    kout, err = runner.run_kernel(seed, ops)
    res = {}
    for mode in modes:
        if err:
            res[mode] = (None, err)
            continue
        fout, problems = runner.run_fuss(seed, ops, mode)
        diff = first_difference(kout, fout)
        if diff:
            i, text = diff
            head = ops[i] if i < len(ops) else ["END"]
            problems.insert(0, "first difference at step %d (%s):\n%s" %
                            (i, " ".join(head), text))
        res[mode] = (diff[0] if diff else None, "\n".join(problems)) if problems else None
    return res


# ---- minimising ------------------------------------------------------------

def minimise(runner, seed, ops, mode, step):
    """Delta debugging: drops chunks of operations, then single ones, while
    fuss still differs from the kernel (both sides replayed each time)."""
    tries = [0]

    def fails(cand):
        tries[0] += 1
        return check(runner, seed, cand, (mode,))[mode] is not None
    if step is not None and step < len(ops) and fails(ops[:step + 1]):
        ops = ops[:step + 1]
    n = 2
    while len(ops) >= 2:
        size = -(-len(ops) // n)
        for i in range(0, len(ops), size):
            cand = ops[:i] + ops[i + size:]
            if cand and fails(cand):
                ops, n = cand, max(n - 1, 2)
                break
        else:
            if n >= len(ops):
                break
            n = min(len(ops), 2 * n)
    return ops, tries[0]


def replay_text(seed, mode, ops):
    return ("# fuss randomized differential sequence: replay with\n"
            "#   tests/random/rdiff.py replay FILE --fuss FUSS\n"
            "# layers: %s\n# modes: %s\n" % (seed, mode) +
            "".join(" ".join(op) + "\n" for op in ops))


def report_failure(runner, seed, ops, res, save_dir):
    """Prints a seed's failures, minimises the first failing mode's, tries
    the result in the other failing mode, saves and prints the sequence."""
    modes = [m for m in MODES if res[m] is not None]
    for mode in modes:
        print("FAIL seed=%s mode=%s (%d ops)\n%s" % (seed, mode, len(ops), res[mode][1]))
    print("minimising ...", flush=True)
    t0 = time.time()
    small, tries = minimise(runner, seed, ops, modes[0], res[modes[0]][0])
    again = check(runner, seed, small, modes)
    modes = [m for m in modes if again[m] is not None] or modes[:1]
    path = os.path.join(save_dir, "fuss-rdiff-%s.ops" % seed)
    with open(path, "w") as f:
        f.write(replay_text(seed, " ".join(modes), small))
    print("minimised to %d ops in %d runs (%.0f s); replay with:" %
          (len(small), tries, time.time() - t0))
    print("  %s replay %s --fuss %s" % (os.path.abspath(__file__), path, runner.fuss))
    print("".join("  " + " ".join(op) + "\n" for op in small), end="")
    for m in modes:
        if again[m]:
            print("%s: %s" % (m, again[m][1]))
    sys.stdout.flush()


# ---- commands --------------------------------------------------------------

def parse_seeds(text):
    lo, _, hi = text.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def cmd_campaign(a):
    """Fixed seeds; prints "ok|ko|sk NAME [REASON]" lines (one per seed and
    mode) with detail lines indented, for tests/random/run.sh."""
    runner = Runner(a.fuss)
    try:
        why = runner.skip_reason()
        for seed in parse_seeds(a.seeds):
            ops = gen_ops(seed, a.ops)
            res = {} if why else check(runner, seed, ops, MODES)
            for mode in MODES:
                name = "seed-%d-%s" % (seed, mode)
                if why:
                    print("sk %s %s" % (name, why))
                elif res[mode] is None:
                    print("ok %s" % name)
                else:
                    print("ko %s differs from the kernel (replay: %s gen %d --ops %d "
                          ">F; %s replay F --fuss %s --mode %s)" %
                          (name, __file__, seed, a.ops, __file__, a.fuss, mode))
                    print("".join("  " + ln + "\n" for ln in res[mode][1].splitlines()),
                          end="")
            sys.stdout.flush()
    finally:
        runner.close()
    return 0


def cmd_soak(a):
    runner = Runner(a.fuss)
    seeds = ops_done = 0
    failures = []
    t0 = time.time()
    try:
        why = runner.skip_reason()
        if why:
            print("soak: SKIP: " + why)
            return 0
        rng = random.SystemRandom()
        shown = t0
        while time.time() - t0 < a.seconds and len(failures) < a.max_failures:
            seed = rng.randrange(1 << 32)
            ops = gen_ops(seed, a.ops)
            res = check(runner, seed, ops, MODES)
            seeds += 1
            for mode in MODES:
                ops_done += len(ops) if res[mode] is None else res[mode][0] or 0
            if any(res.values()):
                failures.append((seed, [m for m in MODES if res[m]]))
                report_failure(runner, seed, ops, res, a.save_dir)
            if time.time() - shown >= 60:
                shown = time.time()
                print("soak: %d seeds, %d operations, %d failures, %.0f s" %
                      (seeds, ops_done, len(failures), shown - t0), flush=True)
    finally:
        runner.close()
        print("soak: %d seeds, %d operations compared (%d per seed and mode), "
              "%d failures, %.0f s" % (seeds, ops_done, a.ops, len(failures),
                                       time.time() - t0))
        for seed, modes in failures:
            print("soak: failing seed %d (%s)" % (seed, " ".join(modes)))
    return 1 if failures else 0


def read_header(path, key):
    with open(path) as f:
        for ln in f:
            if ln.startswith("# %s:" % key):
                return ln.split(":", 1)[1].split()
    return []


def cmd_replay(a):
    seed = (read_header(a.file, "layers") or ["0"])[0]
    modes = [a.mode] if a.mode else (read_header(a.file, "modes") or list(MODES))
    ops = read_ops(a.file)
    runner = Runner(a.fuss)
    status = 0
    try:
        why = runner.skip_reason()
        if why:
            print("replay: SKIP: " + why)
            return 0
        res = check(runner, seed, ops, modes)
        for mode in modes:
            if res[mode] is None:
                print("PASS %s: %d ops, fuss matches the kernel" % (mode, len(ops)))
            else:
                status = 1
                print("FAIL %s:\n%s" % (mode, res[mode][1]))
        if a.show:
            ks, _ = runner.run_kernel(seed, ops)
            print("kernel run:")
            for step in ks or []:
                print("\n".join(step))
    finally:
        runner.close()
    return status


def cmd_gen(a):
    print(replay_text(a.seed, " ".join(MODES), gen_ops(a.seed, a.ops)), end="")
    return 0


def interrupted(sig, _frame):
    raise KeyboardInterrupt("signal %d" % sig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("apply", help="run a sequence here (the driver)")
    p.add_argument("--sync", required=True, help="directory of the FIFOs")
    p.add_argument("opsfile")
    p.add_argument("mnt")
    p = sub.add_parser("campaign", help="fixed seeds, for make test")
    p.add_argument("--fuss", required=True)
    p.add_argument("--seeds", default="1-10", help="A-B (default 1-10)")
    p.add_argument("--ops", type=int, default=150)
    p = sub.add_parser("soak", help="fresh seeds until time runs out")
    p.add_argument("--fuss", required=True)
    p.add_argument("--seconds", type=int, default=600)
    p.add_argument("--ops", type=int, default=200)
    p.add_argument("--max-failures", type=int, default=3)
    p.add_argument("--save-dir", default="/tmp")
    p = sub.add_parser("replay", help="replay a saved sequence")
    p.add_argument("file")
    p.add_argument("--fuss", required=True)
    p.add_argument("--mode", choices=MODES)
    p.add_argument("--show", action="store_true", help="print the kernel's run")
    p = sub.add_parser("gen", help="print the sequence of a seed")
    p.add_argument("seed", type=int)
    p.add_argument("--ops", type=int, default=150)
    a = ap.parse_args()
    # A soak stopped by a signal still unmounts and removes its files.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupted)
    for k in ("fuss",):
        if getattr(a, k, None) and not os.access(getattr(a, k), os.X_OK):
            print("rdiff.py: %s: not an executable" % getattr(a, k), file=sys.stderr)
            return 2
        if getattr(a, k, None):
            a.fuss = os.path.abspath(a.fuss)
    return {"apply": cmd_apply, "campaign": cmd_campaign, "soak": cmd_soak,
            "replay": cmd_replay, "gen": cmd_gen}[a.cmd](a)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
