#!/usr/bin/env python3
"""Layers for tests/e2e/crash.sh, and the check of what a killed run may
leave in the upper dir.

  crash-check.py gen LOWER
      d0..d9/s0..s4/f0..f9: 500 files of random data (1 byte to 16 KiB,
      every 50th 256 KiB) that the storm appends to; r/r0..r49: 50 files it
      rewrites.
  crash-check.py check LOWER UPPER [--no-temps]
      Every entry of UPPER under a real name is a dir or file of LOWER, and
      every file is a state some sequence of whole writes leads to:
        f*: the complete lower file followed by whole "wN:SEQ." records;
        r*: the lower file, empty, or one whole "rN:SEQ." record.
      A partial copy-up (a prefix of the lower file) or a torn record is a
      problem. Temp entries (.fuss-tmp.*) are counted, and with --no-temps
      each one is a problem.
  crash-check.py merged LOWER UPPER
      sha256 of every file of the merged view, in sorted path order (the
      upper copy where there is one), as `find | sort | xargs cat` gives it.

Prints one line per problem (at most 10) and a summary; exits 1 on a
problem.
"""
import hashlib
import os
import re
import sys

TMP = ".fuss-tmp."
APPENDED = re.compile(rb"(?:w[0-9]:[0-9]+\.\n)*\Z")
REWRITTEN = re.compile(rb"r[0-9]:[0-9]+\.\n\Z")


def gen(lower):
    for d in range(10):
        for s in range(5):
            sub = os.path.join(lower, "d%d" % d, "s%d" % s)
            os.makedirs(sub)
            for f in range(10):
                n = d * 50 + s * 10 + f
                size = 256 << 10 if n % 50 == 7 else 1 + (n * 7919) % (16 << 10)
                with open(os.path.join(sub, "f%d" % f), "wb") as out:
                    out.write(os.urandom(size))
    os.makedirs(os.path.join(lower, "r"))
    for i in range(50):
        with open(os.path.join(lower, "r", "r%d" % i), "wb") as out:
            out.write(os.urandom(100 + i))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def file_ok(rel, data, low):
    if os.path.basename(rel).startswith("r"):
        return data in (low, b"") or REWRITTEN.match(data) is not None
    return (len(data) >= len(low) and data[:len(low)] == low and
            APPENDED.match(data, len(low)) is not None)


def check(lower, upper, no_temps):
    problems, files, temps = [], 0, 0
    for top, dirs, names in os.walk(upper):
        for name in sorted(dirs + names):
            path = os.path.join(top, name)
            rel = os.path.relpath(path, upper)
            low = os.path.join(lower, rel)
            if name.startswith(TMP):
                temps += 1
                if name in dirs:
                    dirs.remove(name)
                if no_temps:
                    problems.append("temp entry left: %s" % rel)
            elif name in dirs:
                if not os.path.isdir(low) or os.path.islink(path):
                    problems.append("unexpected dir: %s" % rel)
            elif not os.path.isfile(low) or not os.path.isfile(path) \
                    or os.path.islink(path):
                problems.append("unexpected entry: %s" % rel)
            else:
                files += 1
                if not file_ok(rel, read(path), read(low)):
                    problems.append("partial or torn file: %s (%d bytes, lower %d)" %
                                    (rel, os.path.getsize(path), os.path.getsize(low)))
    for p in problems[:10]:
        print(p)
    print("%d files copied up, %d temp entries, %d problems" %
          (files, temps, len(problems)))
    return 1 if problems else 0


def merged(lower, upper):
    rels = []
    for top, _, names in os.walk(lower):
        rels += [os.path.relpath(os.path.join(top, n), lower) for n in names]
    h = hashlib.sha256()
    for rel in sorted(rels, key=lambda r: r.encode()):
        up = os.path.join(upper, rel)
        h.update(read(up if os.path.isfile(up) else os.path.join(lower, rel)))
    print(h.hexdigest())
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "gen":
        gen(argv[2])
        return 0
    if len(argv) in (4, 5) and argv[1] == "check":
        return check(argv[2], argv[3], argv[4:] == ["--no-temps"])
    if len(argv) == 4 and argv[1] == "merged":
        return merged(argv[2], argv[3])
    sys.stderr.write("usage: crash-check.py gen LOWER | check LOWER UPPER "
                     "[--no-temps] | merged LOWER UPPER\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
