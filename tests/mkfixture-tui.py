#!/usr/bin/env python3
"""Regenerate tests/fixtures/tui: a cgroup v2 tree with docker and kubepods
containers of known sizes (so the TUI tests know the sort orders), plus the
/proc files memtop reads (mountinfo, meminfo, per-process status).

Usage: tests/mkfixture-tui.py [OUTDIR [PHASE]]   (default: tests/fixtures/tui)
Sizes are hierarchical like v2 memory.stat: a parent's values are the sum
of its children plus its own.

With PHASE (an integer, for screenshots only) the sizes and fault counters
vary with the phase, numbers are zero-padded to a fixed width and files are
rewritten in place without truncation, so a running memtop (which keeps the
files open and re-reads them) sees a changing but always complete tree."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
from fixturelib import MiB as M, PSI_ZERO, Tree, hexid, keyed, slice_uid, subtree, v2_files

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "fixtures", "tui")
PHASE = int(sys.argv[2]) if len(sys.argv) > 2 else None
NUM = "%015d" if PHASE is not None else "%d"
POD1 = "1a2b3c4d-0000-4000-8000-00000000aaaa"
POD2 = "5e6f7a8b-0000-4000-8000-00000000bbbb"

# path -> own values: anon, shmem, active_file, inactive_file, kernel (MiB), max (MiB or None), pids
CG = {
    "system.slice": {},
    "system.slice/docker-" + hexid("a") + ".scope":
        dict(anon=250, shmem=10, afile=30, ifile=40, kernel=8, max=512, pids=[201, 202]),
    "system.slice/docker-" + hexid("b") + ".scope":
        dict(anon=50, shmem=64, afile=850, ifile=1100, kernel=12, pids=[301]),
    "system.slice/sshd.service": dict(anon=5, afile=2, ifile=3, kernel=1, pids=[401]),
    "kubepods.slice": {},
    "kubepods.slice/kubepods-burstable.slice": {},
    "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice" % slice_uid(POD1):
        dict(kernel=1, max=1024),
    "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/cri-containerd-%s.scope"
        % (slice_uid(POD1), hexid("c")):
        dict(anon=550, afile=20, ifile=30, kernel=6, max=768, pids=[501, 502]),
    "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/cri-containerd-%s.scope"
        % (slice_uid(POD1), hexid("d")):
        dict(anon=0.5, kernel=0.25, pids=[503]),
    "kubepods.slice/kubepods-besteffort.slice": {},
    "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod%s.slice" % slice_uid(POD2):
        dict(kernel=1),
    "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod%s.slice/cri-containerd-%s.scope"
        % (slice_uid(POD2), hexid("e")):
        dict(anon=140, afile=5, ifile=5, kernel=4, max=160, pids=[601]),
    "docker": {},
    "docker/" + hexid("f"): dict(anon=20, afile=5, ifile=300, kernel=2, max=256, pids=[701]),
}
PROCS = {
    201: ("nginx", 120, 8, 4), 202: ("nginx-worker", 100, 6, 4), 301: ("postgres", 45, 30, 60),
    401: ("sshd", 4, 2, 0), 501: ("api-server", 400, 12, 0), 502: ("api-helper", 120, 4, 0),
    503: ("pause", 0.4, 0.1, 0), 601: ("batch-job", 130, 3, 0), 701: ("redis", 18, 2, 0),
}
MOUNTINFO = ("24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
             "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
             "cgroup2 rw,nsdelegate,memory_recursiveprot\n")
# hand-typed: the Shmem value is one column left of the kernel's layout
MEMINFO = ("MemTotal:       16384000 kB\nMemFree:         8000000 kB\n"
           "MemAvailable:   12000000 kB\nBuffers:          100000 kB\n"
           "Cached:          3000000 kB\nSwapCached:            0 kB\n"
           "Active(file):    1000000 kB\nInactive(file):  1500000 kB\n"
           "Shmem:            80000 kB\nSwapTotal:       2097148 kB\n"
           "SwapFree:        2097148 kB\n")
KEYS = ["anon", "shmem", "afile", "ifile", "kernel"]


def vary(idx, key, v):
    """Value of a leaf at PHASE: anon and inactive file breathe, slowly."""
    if PHASE is None or not v:
        return v
    if key == "anon":
        grow = 0.2 * math.sin(PHASE * 0.25 + idx)
        if list(CG.values())[idx].get("max"):
            grow = min(grow, 0.0)       # stay below the limit
        return v * (1 + grow)
    if key == "ifile":
        return v * (1 + 0.3 * math.sin(PHASE * 0.15 + 2 * idx))
    return v


def faults(idx, major):
    """Monotonic fault counters; their rates vary with the phase."""
    if PHASE is None:
        return 12 if major else 123456
    per = (4 + 3 * math.sin(idx)) if major else (900 + 500 * math.sin(idx))
    return int(sum(per * (1 + math.sin(j * 0.4 + idx)) for j in range(PHASE + 1)))


def totals(path):
    t = dict.fromkeys(KEYS, 0.0)
    t["idx"] = 0
    for idx, _, v in subtree(CG, path):
        for k in KEYS:
            t[k] += vary(idx, k, v.get(k, 0))
        t["idx"] += idx
    return t


def stat_text(t):
    b = {k: int(t[k] * M) for k in KEYS}
    file_ = b["shmem"] + b["afile"] + b["ifile"]
    lines = [
        ("anon", b["anon"]), ("file", file_), ("kernel", b["kernel"]),
        ("kernel_stack", b["kernel"] // 8), ("pagetables", b["kernel"] // 8), ("sock", 0),
        ("shmem", b["shmem"]), ("file_mapped", b["afile"] // 4), ("file_dirty", 0),
        ("file_writeback", 0), ("swapcached", 0), ("anon_thp", 0),
        ("inactive_anon", b["anon"] * 3 // 10 + b["shmem"] // 2),
        ("active_anon", b["anon"] - b["anon"] * 3 // 10 + b["shmem"] - b["shmem"] // 2),
        ("inactive_file", b["ifile"]), ("active_file", b["afile"]), ("unevictable", 0),
        ("slab_reclaimable", b["kernel"] // 4), ("slab_unreclaimable", b["kernel"] // 4),
        ("slab", b["kernel"] // 2), ("workingset_refault_anon", 0), ("workingset_refault_file", 10),
        ("pgscan", 0), ("pgsteal", 0), ("pgfault", faults(t["idx"], False)),
        ("pgmajfault", faults(t["idx"], True)),
        ("pglazyfree", 0), ("pglazyfreed", 0),
    ]
    return keyed(lines, NUM), b["anon"] + file_ + b["kernel"]


def main():
    # with PHASE files are rewritten in place (same length every phase)
    tree = Tree(OUT, inplace=PHASE is not None)
    if PHASE is None:
        tree.reset()
    tree.proc(MOUNTINFO, MEMINFO, pressure=PSI_ZERO, hostname="fixture-node\n",
              osrelease="6.1.0-fixture\n")
    root = "sys/fs/cgroup"
    tree.put(root + "/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n")
    text, _ = stat_text(totals(""))
    tree.put(root + "/memory.stat", text)
    tree.put(root + "/cgroup.procs", "1\n")
    for path, own in CG.items():
        d = root + "/" + path
        text, usage = stat_text(totals(path))
        tree.put(d + "/memory.stat", text)
        tree.put_files(d, v2_files(usage, own["max"] * M if own.get("max") else None, peak=usage,
                                   procs=own.get("pids", []), num=NUM))
    for pid, (name, a, f, s) in PROCS.items():
        tree.put("proc/%d/status" % pid,
                 "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t%d\nVmRSS:\t%8d kB\n"
                 "RssAnon:\t%8d kB\nRssFile:\t%8d kB\nRssShmem:\t%8d kB\n"
                 % (name, pid, (a + f + s) * 1024, a * 1024, f * 1024, s * 1024))


main()
