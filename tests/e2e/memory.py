#!/usr/bin/env python3
"""Helpers of the memory checks (tests/e2e/memory.sh, perf/memory.sh).

  memory.py tree DIR
      makes DIR/l1 (top) and DIR/l2 (bottom): 35 directories of 10
      subdirectories of 200 files each in the merged view (70 000 files);
      l2 holds f000-f119, l1 f100-f199, so 7 000 names are shadowed; one
      file in 50 has data, the rest are empty.

  memory.py watch REPORT -- FUSS [ARGS...]
      runs fuss, reads /proc/PID/status of fuss (the tracer) and of its
      child fuss-vfsd every 50 ms until fuss exits, and writes to REPORT:
          tracer_hwm_kb vfsd_hwm_kb once_kb
      tracer_hwm_kb, vfsd_hwm_kb: the last VmHWM (peak resident set) read
      of each process; their sum counts the shared segment twice.
      once_kb: the largest sampled RssAnon + RssFile of both processes plus
      the larger of their RssShmem, i.e. the shared segment counted once.
      Exits with fuss's status.
"""
import os
import subprocess
import sys
import time

FIELDS = ("VmHWM", "RssAnon", "RssFile", "RssShmem")


def make_tree(top):
    for layer, lo, hi in (("l2", 0, 120), ("l1", 100, 200)):
        data = (layer * 600).encode()
        for d in range(350):
            path = os.path.join(top, layer, "d%03d" % (d % 35), "s%03d" % d)
            os.makedirs(path, exist_ok=True)
            for f in range(lo, hi):
                fd = os.open(os.path.join(path, "f%03d" % f),
                             os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                if f % 50 == 0:
                    os.write(fd, data)
                os.close(fd)


def status(pid):
    """The FIELDS of /proc/PID/status in KiB, or None once it is gone."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, val = line.partition(":")
                if key in FIELDS:
                    out[key] = int(val.split()[0])
    except (OSError, ValueError):
        return None
    # A process that is exiting has lost its memory fields.
    return out if len(out) == len(FIELDS) else None


def find_vfsd(pid):
    """fuss's child named fuss-vfsd, or None while it is not there."""
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                kids = f.read().split()
        except OSError:
            continue
        for kid in kids:
            try:
                with open("/proc/%s/comm" % kid) as f:
                    if f.read().strip() == "fuss-vfsd":
                        return int(kid)
            except OSError:
                pass
    return None


def watch(report, argv):
    proc = subprocess.Popen(argv)
    vfsd = None
    hwm = {"tracer": 0, "vfsd": 0}
    once = 0
    while proc.poll() is None:
        if vfsd is None:
            vfsd = find_vfsd(proc.pid)
        t = status(proc.pid)
        v = status(vfsd) if vfsd else None
        if t:
            hwm["tracer"] = max(hwm["tracer"], t["VmHWM"])
        if v:
            hwm["vfsd"] = max(hwm["vfsd"], v["VmHWM"])
        if t and v:
            once = max(once, t["RssAnon"] + t["RssFile"] + v["RssAnon"] +
                       v["RssFile"] + max(t["RssShmem"], v["RssShmem"]))
        time.sleep(0.05)
    with open(report, "w") as f:
        f.write("%d %d %d\n" % (hwm["tracer"], hwm["vfsd"], once))
    return proc.returncode


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "tree":
        make_tree(sys.argv[2])
        return 0
    if len(sys.argv) > 4 and sys.argv[1] == "watch" and sys.argv[3] == "--":
        return watch(sys.argv[2], sys.argv[4:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
