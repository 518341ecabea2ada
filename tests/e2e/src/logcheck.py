#!/usr/bin/env python3
"""Checks fuss log lines (logfmt) and --stats=json output for tests/e2e/observe.sh.

  logcheck.py lines LOG            every line parses, has the keys of its kind;
                                   prints "lines N intercept N roles a,b,..."
  logcheck.py find LOG KEY=VAL...  prints the intercept lines (as key=value
                                   pairs, unescaped, repr) matching every pair
  logcheck.py stats FILE CHECK...  the last JSON object of FILE against the
                                   checks; prints "ok" or what is wrong
"""
import json
import re
import sys

TOKEN = re.compile(r'([a-z0-9_]+)=("(?:[^"\\]|\\.)*"|[^ "=\\]+)')
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$')
LEVELS = {"ERROR", "WARN", "INFO", "DEBUG"}
RESULTS = {"passed", "rewritten", "emulated", "error"}
NO_PATH = {"getcwd", "setuid", "setgid", "setreuid", "setregid", "setresuid",
           "setresgid", "setfsuid", "setfsgid", "setgroups", "capset"}


def unescape(v):
    if not v.startswith('"'):
        return v
    out, i, s = bytearray(), 0, v[1:-1]
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = s[i + 1]
        if n == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
            continue
        out += {"n": b"\n", "t": b"\t", "r": b"\r"}.get(n, n.encode())
        i += 2
    return out.decode("utf-8", "surrogateescape")


def parse(line):
    """A dict of the line's pairs, or raise ValueError."""
    pairs, pos = {}, 0
    while pos < len(line):
        m = TOKEN.match(line, pos)
        if not m:
            raise ValueError("bad token at %d" % pos)
        if m.group(1) in pairs:
            raise ValueError("key %s twice" % m.group(1))
        pairs[m.group(1)] = unescape(m.group(2))
        pos = m.end()
        if pos < len(line):
            if line[pos] != " ":
                raise ValueError("no space at %d" % pos)
            pos += 1
    return pairs


def check(p):
    for k in ("time", "level", "msg", "role"):
        if k not in p:
            return "no " + k
    if not TIME.match(p["time"]):
        return "bad time"
    if p["level"] not in LEVELS:
        return "bad level"
    if p["msg"] != "intercept":
        return None
    for k in ("pid", "syscall", "resolved", "vfs", "result"):
        if k not in p:
            return "no " + k
    if p["result"] not in RESULTS:
        return "bad result"
    if (p["result"] == "error") != ("errno" in p):
        return "errno and result disagree"
    if "path" in p and "fd" in p:
        return "both path and fd"
    if "path" not in p and "fd" not in p and p["syscall"] not in NO_PATH:
        return "neither path nor fd"
    if ("path2" in p) != ("resolved2" in p):
        return "path2 without resolved2"
    return None


def read_lines(name):
    with open(name, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        raise SystemExit("last line has no newline")
    return data.decode("utf-8", "surrogateescape").splitlines()


def cmd_lines(name):
    n = icpt = 0
    roles = set()
    for i, line in enumerate(read_lines(name), 1):
        try:
            p = parse(line)
        except ValueError as e:
            raise SystemExit("line %d: %s: %r" % (i, e, line[:200]))
        err = check(p)
        if err:
            raise SystemExit("line %d: %s: %r" % (i, err, line[:200]))
        n += 1
        icpt += p["msg"] == "intercept"
        roles.add(p["role"])
    print("lines %d intercept %d roles %s" % (n, icpt, ",".join(sorted(roles))))


def cmd_find(name, wants):
    want = dict(w.split("=", 1) for w in wants)
    for line in read_lines(name):
        p = parse(line)
        if p.get("msg") == "intercept" and all(p.get(k) == v for k, v in want.items()):
            keys = ("syscall", "path", "fd", "resolved", "vfs", "path2", "resolved2",
                    "vfs2", "result", "errno")
            print(" ".join("%s=%r" % (k, p[k]) for k in keys if k in p))


def cmd_stats(name, checks):
    obj = None
    for line in read_lines(name):
        if line.startswith("{"):
            obj = json.loads(line)
    if obj is None:
        raise SystemExit("no JSON object")
    bad = []
    rows = obj["syscalls"]
    for k in ("stops", "passed", "rewritten", "emulated", "errors"):
        if sum(r[k] for r in rows.values()) != obj["total"][k]:
            bad.append("total %s is not the sum of the rows" % k)
    if abs(sum(r["time_us"] for r in rows.values()) - obj["total"]["time_us"]) > len(rows):
        bad.append("total time_us is not the sum of the rows")
    for r in rows.values():
        if r["stops"] < r["passed"] + r["rewritten"] + r["emulated"] + r["errors"]:
            bad.append("a row has more outcomes than stops")
    if sum(w["stops"] for w in obj["workers"]) != obj["stops"]:
        bad.append("worker stops do not sum to stops")
    if obj["total"]["stops"] > obj["stops"]:
        bad.append("more syscall stops than stops")
    if sum(obj["vfsd"]["ops"].values()) != obj["vfsd"]["requests"]:
        bad.append("vfsd ops do not sum to requests")
    for c in checks:
        m = re.match(r"^([\w.]+)(>=|=)(\d+)$", c)
        v = obj
        for part in m.group(1).split("."):
            v = v.get(part, 0) if isinstance(v, dict) else 0
        want = int(m.group(3))
        if (m.group(2) == "=" and v != want) or (m.group(2) == ">=" and v < want):
            bad.append("%s is %s, expected %s%d" % (m.group(1), v, m.group(2), want))
    print("; ".join(bad) if bad else "ok")


if __name__ == "__main__":
    if sys.argv[1] == "lines":
        cmd_lines(sys.argv[2])
    elif sys.argv[1] == "find":
        cmd_find(sys.argv[2], sys.argv[3:])
    else:
        cmd_stats(sys.argv[2], sys.argv[3:])
