#!/usr/bin/env python3
"""Write the analysis fixture trees tests/fixtures/analysis-v1 and
analysis-v2 (static starting points; test_analysis.c copies them to a
temporary directory and rewrites files between ticks).

Usage: tests/gen_analysis_fixtures.py [FIXTURES_DIR]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
from fixturelib import (GiB, MiB, PSI_ZERO, V1_UNLIMITED, Tree, hexid, keyed, meminfo,
                        v1_files, v2_files)


def node(tree, mountinfo):
    """proc/: a 16 GiB node with 12 GiB available, no swap, no pressure."""
    kb = lambda v: v // 1024
    tree.proc(mountinfo,
              meminfo([("MemTotal", kb(16 * GiB)), ("MemFree", kb(12 * GiB)),
                       ("MemAvailable", kb(12 * GiB)), ("Buffers", 0), ("Cached", kb(GiB)),
                       ("Shmem", 0), ("Active(file)", kb(GiB // 2)),
                       ("Inactive(file)", kb(GiB // 2)), ("SwapTotal", 0), ("SwapFree", 0)],
                      width=0),
              pressure=PSI_ZERO)


def v2_cgroup(tree, d, anon=0, file=0, shmem=0, inactive_file=0, active_file=0,
              kernel=0, slab_reclaimable=0, limit=None, events=None, swap_max=None):
    """Write one v2 cgroup.  LRU: anon and shmem sit on the anon lists."""
    stat = {
        "anon": anon, "file": file, "kernel": kernel, "sock": 0, "shmem": shmem,
        "file_mapped": 0, "file_dirty": 0, "file_writeback": 0, "anon_thp": 0,
        "inactive_anon": shmem, "active_anon": anon,
        "inactive_file": inactive_file, "active_file": active_file,
        "unevictable": 0, "slab_reclaimable": slab_reclaimable, "slab": slab_reclaimable,
        "workingset_refault_anon": 0, "workingset_refault_file": 0,
        "pgscan": 0, "pgsteal": 0, "pgfault": 1000, "pgmajfault": 0,
        "pglazyfree": 0, "pglazyfreed": 0,
    }
    tree.put(os.path.join(d, "memory.stat"), keyed(stat))
    tree.put_files(d, v2_files(anon + file + kernel, limit, swap_max=swap_max, events=events,
                               omit=("memory.swap.events", "memory.oom.group")))


def gen_v2(tree):
    cg = "sys/fs/cgroup"
    node(tree, "25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n")
    tree.put(os.path.join(cg, "cgroup.controllers"), "cpuset cpu io memory pids\n")
    v2_cgroup(tree, cg, anon=3 * GiB, file=2 * GiB, inactive_file=1 * GiB, active_file=1 * GiB)
    ss = os.path.join(cg, "system.slice")
    v2_cgroup(tree, ss, anon=2 * GiB, file=GiB, inactive_file=GiB // 2, active_file=GiB // 2)
    # SPEC 6.2 worked example: memory.max 1 GiB, swap.max 0.
    grow = os.path.join(ss, "docker-" + hexid("a") + ".scope")
    v2_cgroup(tree, grow, anon=666894336, file=318767104, shmem=67108864,
              inactive_file=167772160, active_file=83886080, kernel=41156608,
              slab_reclaimable=25165824, limit=GiB, swap_max=0)
    # tmpfs-heavy: 64 MiB shmem in a 96 MiB limit, no swap.
    v2_cgroup(tree, os.path.join(ss, "docker-" + hexid("b") + ".scope"), anon=4 * MiB,
              file=68 * MiB, shmem=64 * MiB, inactive_file=2 * MiB, active_file=2 * MiB,
              kernel=MiB, limit=96 * MiB)
    # OOM: 32 MiB limit, the test bumps oom/oom_kill.
    v2_cgroup(tree, os.path.join(ss, "docker-" + hexid("c") + ".scope"), anon=16 * MiB,
              file=MiB, inactive_file=MiB // 2, active_file=MiB // 2, kernel=MiB,
              limit=32 * MiB, events={"max": 100})
    # No limit anywhere: node-level verdict.
    v2_cgroup(tree, os.path.join(ss, "docker-" + hexid("d") + ".scope"), anon=200 * MiB,
              file=50 * MiB, inactive_file=40 * MiB, active_file=10 * MiB, kernel=MiB)
    # Pod with a 512 MiB limit; the container has none (inherited).
    kp = os.path.join(cg, "kubepods.slice")
    v2_cgroup(tree, kp, anon=500 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB)
    bu = os.path.join(kp, "kubepods-burstable.slice")
    v2_cgroup(tree, bu, anon=500 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB)
    pod = os.path.join(bu, "kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice")
    v2_cgroup(tree, pod, anon=480 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB, kernel=2 * MiB, limit=512 * MiB)
    v2_cgroup(tree, os.path.join(pod, "cri-containerd-" + hexid("e") + ".scope"), anon=400 * MiB,
              file=10 * MiB, inactive_file=5 * MiB, active_file=5 * MiB, kernel=MiB)
    # Sibling with its own 1 GiB limit (larger than the pod's).
    v2_cgroup(tree, os.path.join(pod, "cri-containerd-" + hexid("f") + ".scope"), anon=80 * MiB,
              file=10 * MiB, inactive_file=5 * MiB, active_file=5 * MiB, kernel=MiB,
              limit=GiB)


def v1_cgroup(tree, d, rss=0, cache=0, shmem=0, inactive_file=0, active_file=0, kmem=0,
              limit=None, hier_limit=None, failcnt=0, oom_kill=0, swap=None,
              memsw_limit=None):
    """Write one v1 memory cgroup: hierarchical total_* counters only."""
    usage = rss + cache + kmem
    lim = V1_UNLIMITED if limit is None else limit
    st = {
        "cache": cache, "rss": rss, "shmem": shmem,
        "total_cache": cache, "total_rss": rss, "total_rss_huge": 0, "total_shmem": shmem,
        "total_mapped_file": 0, "total_dirty": 0, "total_writeback": 0,
        "total_pgfault": 1000, "total_pgmajfault": 0,
        "total_inactive_anon": shmem, "total_active_anon": rss,
        "total_inactive_file": inactive_file, "total_active_file": active_file,
        "total_unevictable": 0, "total_workingset_refault_anon": 0,
        "total_workingset_refault_file": 0,
        "hierarchical_memory_limit": lim if hier_limit is None else hier_limit,
        "hierarchical_memsw_limit": V1_UNLIMITED if memsw_limit is None else memsw_limit,
    }
    if swap is not None:
        st["total_swap"] = swap
    tree.put(os.path.join(d, "memory.stat"), keyed(st))
    tree.put_files(d, v1_files(usage, lim, failcnt=failcnt, kmem=kmem, oom_kill=oom_kill,
                               memsw=None if swap is None else usage + swap,
                               memsw_limit=memsw_limit))


def gen_v1(tree):
    mem = "sys/fs/cgroup/memory"
    node(tree, "30 24 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup "
         "rw,memory\n")
    v1_cgroup(tree, mem, rss=3 * GiB, cache=2 * GiB, inactive_file=GiB, active_file=GiB)
    dk = os.path.join(mem, "docker")
    v1_cgroup(tree, dk, rss=GiB, cache=GiB, inactive_file=GiB // 2, active_file=GiB // 2)
    # Anon growth toward 256 MiB (the test rewrites it each tick).
    v1_cgroup(tree, os.path.join(dk, hexid("1")), rss=100 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=256 * MiB)
    # Cache-heavy at its limit: failcnt rising, little anon.
    v1_cgroup(tree, os.path.join(dk, hexid("2")), rss=20 * MiB, cache=234 * MiB,
              inactive_file=200 * MiB, active_file=34 * MiB, kmem=MiB, limit=256 * MiB,
              failcnt=5000)
    # OOM kill counter (oom_control), 64 MiB limit.
    v1_cgroup(tree, os.path.join(dk, hexid("3")), rss=30 * MiB, cache=2 * MiB,
              inactive_file=MiB, active_file=MiB, kmem=MiB, limit=64 * MiB)
    # Anon-heavy with swap accounting: reclaimable only when swap exists.
    v1_cgroup(tree, os.path.join(dk, hexid("4")), rss=180 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=256 * MiB,
              swap=0)
    # tmpfs-heavy: 64 MiB shmem in a 96 MiB limit.
    v1_cgroup(tree, os.path.join(dk, hexid("5")), rss=4 * MiB, cache=68 * MiB, shmem=64 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=96 * MiB)
    # Pod with a 300 MiB limit; the container inherits it.
    kp = os.path.join(mem, "kubepods")
    v1_cgroup(tree, kp, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB, active_file=2 * MiB)
    bu = os.path.join(kp, "burstable")
    v1_cgroup(tree, bu, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB, active_file=2 * MiB)
    pod = os.path.join(bu, "pod11111111-2222-3333-4444-555555555555")
    v1_cgroup(tree, pod, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB,
              active_file=2 * MiB, limit=300 * MiB)
    v1_cgroup(tree, os.path.join(pod, hexid("6")), rss=180 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, hier_limit=300 * MiB)


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fixtures")
    for name, gen in (("analysis-v1", gen_v1), ("analysis-v2", gen_v2)):
        tree = Tree(os.path.join(base, name))
        tree.reset()
        gen(tree)


if __name__ == "__main__":
    main()
