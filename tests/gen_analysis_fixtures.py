#!/usr/bin/env python3
"""Write the analysis fixture trees tests/fixtures/analysis-v1 and
analysis-v2 (static starting points; test_analysis.c copies them to a
temporary directory and rewrites files between ticks).

Usage: tests/gen_analysis_fixtures.py [FIXTURES_DIR]
"""
import os
import shutil
import sys

MiB = 1 << 20
GiB = 1 << 30
V1_UNLIMITED = 9223372036854771712


def put(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def meminfo(root, total=16 * GiB, avail=12 * GiB, swap_total=0, swap_free=0):
    kb = lambda v: v // 1024
    put(os.path.join(root, "proc/meminfo"),
        f"MemTotal:       {kb(total)} kB\nMemFree:        {kb(avail)} kB\n"
        f"MemAvailable:   {kb(avail)} kB\nBuffers:        0 kB\nCached:         {kb(GiB)} kB\n"
        f"Shmem:          0 kB\nActive(file):   {kb(GiB // 2)} kB\n"
        f"Inactive(file): {kb(GiB // 2)} kB\nSwapTotal:      {kb(swap_total)} kB\n"
        f"SwapFree:       {kb(swap_free)} kB\n")
    put(os.path.join(root, "proc/pressure/memory"),
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")


def v2_cgroup(d, anon=0, file=0, shmem=0, inactive_file=0, active_file=0,
              kernel=0, slab_reclaimable=0, limit=None, events=None, swap_max=None):
    """Write one v2 cgroup.  LRU: anon and shmem sit on the anon lists."""
    usage = anon + file + kernel
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
    put(os.path.join(d, "memory.stat"), "".join(f"{k} {v}\n" for k, v in stat.items()))
    put(os.path.join(d, "memory.current"), f"{usage}\n")
    put(os.path.join(d, "memory.max"), "max\n" if limit is None else f"{limit}\n")
    put(os.path.join(d, "memory.high"), "max\n")
    put(os.path.join(d, "memory.low"), "0\n")
    put(os.path.join(d, "memory.min"), "0\n")
    put(os.path.join(d, "memory.swap.current"), "0\n")
    put(os.path.join(d, "memory.swap.max"), "max\n" if swap_max is None else f"{swap_max}\n")
    ev = {"low": 0, "high": 0, "max": 0, "oom": 0, "oom_kill": 0, "oom_group_kill": 0}
    ev.update(events or {})
    put(os.path.join(d, "memory.events"), "".join(f"{k} {v}\n" for k, v in ev.items()))
    put(os.path.join(d, "memory.pressure"),
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
    put(os.path.join(d, "cgroup.events"), "populated 1\nfrozen 0\n")


def gen_v2(root):
    cg = os.path.join(root, "sys/fs/cgroup")
    put(os.path.join(root, "proc/self/mountinfo"),
        "25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n")
    meminfo(root)
    put(os.path.join(cg, "cgroup.controllers"), "cpuset cpu io memory pids\n")
    v2_cgroup(cg, anon=3 * GiB, file=2 * GiB, inactive_file=1 * GiB, active_file=1 * GiB)
    ss = os.path.join(cg, "system.slice")
    v2_cgroup(ss, anon=2 * GiB, file=GiB, inactive_file=GiB // 2, active_file=GiB // 2)
    # SPEC 6.2 worked example: memory.max 1 GiB, swap.max 0.
    grow = os.path.join(ss, "docker-" + "a" * 64 + ".scope")
    v2_cgroup(grow, anon=666894336, file=318767104, shmem=67108864,
              inactive_file=167772160, active_file=83886080, kernel=41156608,
              slab_reclaimable=25165824, limit=GiB, swap_max=0)
    # tmpfs-heavy: 64 MiB shmem in a 96 MiB limit, no swap.
    v2_cgroup(os.path.join(ss, "docker-" + "b" * 64 + ".scope"), anon=4 * MiB,
              file=68 * MiB, shmem=64 * MiB, inactive_file=2 * MiB, active_file=2 * MiB,
              kernel=MiB, limit=96 * MiB)
    # OOM: 32 MiB limit, the test bumps oom/oom_kill.
    v2_cgroup(os.path.join(ss, "docker-" + "c" * 64 + ".scope"), anon=16 * MiB,
              file=MiB, inactive_file=MiB // 2, active_file=MiB // 2, kernel=MiB,
              limit=32 * MiB, events={"max": 100})
    # No limit anywhere: node-level verdict.
    v2_cgroup(os.path.join(ss, "docker-" + "d" * 64 + ".scope"), anon=200 * MiB,
              file=50 * MiB, inactive_file=40 * MiB, active_file=10 * MiB, kernel=MiB)
    # Pod with a 512 MiB limit; the container has none (inherited).
    kp = os.path.join(cg, "kubepods.slice")
    v2_cgroup(kp, anon=500 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB)
    bu = os.path.join(kp, "kubepods-burstable.slice")
    v2_cgroup(bu, anon=500 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB)
    pod = os.path.join(bu, "kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice")
    v2_cgroup(pod, anon=480 * MiB, file=20 * MiB, inactive_file=10 * MiB,
              active_file=10 * MiB, kernel=2 * MiB, limit=512 * MiB)
    v2_cgroup(os.path.join(pod, "cri-containerd-" + "e" * 64 + ".scope"), anon=400 * MiB,
              file=10 * MiB, inactive_file=5 * MiB, active_file=5 * MiB, kernel=MiB)
    # Sibling with its own 1 GiB limit (larger than the pod's).
    v2_cgroup(os.path.join(pod, "cri-containerd-" + "f" * 64 + ".scope"), anon=80 * MiB,
              file=10 * MiB, inactive_file=5 * MiB, active_file=5 * MiB, kernel=MiB,
              limit=GiB)


def v1_cgroup(d, rss=0, cache=0, shmem=0, inactive_file=0, active_file=0, kmem=0,
              limit=None, hier_limit=None, failcnt=0, oom_kill=0, swap=None,
              memsw_limit=None):
    usage = rss + cache + kmem
    lim = V1_UNLIMITED if limit is None else limit
    hier = lim if hier_limit is None else hier_limit
    st = {
        "cache": cache, "rss": rss, "shmem": shmem,
        "total_cache": cache, "total_rss": rss, "total_rss_huge": 0, "total_shmem": shmem,
        "total_mapped_file": 0, "total_dirty": 0, "total_writeback": 0,
        "total_pgfault": 1000, "total_pgmajfault": 0,
        "total_inactive_anon": shmem, "total_active_anon": rss,
        "total_inactive_file": inactive_file, "total_active_file": active_file,
        "total_unevictable": 0, "total_workingset_refault_anon": 0,
        "total_workingset_refault_file": 0,
        "hierarchical_memory_limit": hier,
        "hierarchical_memsw_limit": V1_UNLIMITED if memsw_limit is None else memsw_limit,
    }
    if swap is not None:
        st["total_swap"] = swap
    put(os.path.join(d, "memory.stat"), "".join(f"{k} {v}\n" for k, v in st.items()))
    put(os.path.join(d, "memory.usage_in_bytes"), f"{usage}\n")
    put(os.path.join(d, "memory.limit_in_bytes"), f"{lim}\n")
    put(os.path.join(d, "memory.failcnt"), f"{failcnt}\n")
    put(os.path.join(d, "memory.max_usage_in_bytes"), f"{usage}\n")
    put(os.path.join(d, "memory.oom_control"),
        f"oom_kill_disable 0\nunder_oom 0\noom_kill {oom_kill}\n")
    put(os.path.join(d, "memory.kmem.usage_in_bytes"), f"{kmem}\n")
    put(os.path.join(d, "memory.swappiness"), "60\n")
    if swap is not None:
        put(os.path.join(d, "memory.memsw.usage_in_bytes"), f"{usage + swap}\n")
        put(os.path.join(d, "memory.memsw.limit_in_bytes"),
            f"{V1_UNLIMITED if memsw_limit is None else memsw_limit}\n")


def gen_v1(root):
    mem = os.path.join(root, "sys/fs/cgroup/memory")
    put(os.path.join(root, "proc/self/mountinfo"),
        "30 24 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory\n")
    meminfo(root)
    v1_cgroup(mem, rss=3 * GiB, cache=2 * GiB, inactive_file=GiB, active_file=GiB)
    dk = os.path.join(mem, "docker")
    v1_cgroup(dk, rss=GiB, cache=GiB, inactive_file=GiB // 2, active_file=GiB // 2)
    # Anon growth toward 256 MiB (the test rewrites it each tick).
    v1_cgroup(os.path.join(dk, "1" * 64), rss=100 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=256 * MiB)
    # Cache-heavy at its limit: failcnt rising, little anon.
    v1_cgroup(os.path.join(dk, "2" * 64), rss=20 * MiB, cache=234 * MiB,
              inactive_file=200 * MiB, active_file=34 * MiB, kmem=MiB, limit=256 * MiB,
              failcnt=5000)
    # OOM kill counter (oom_control), 64 MiB limit.
    v1_cgroup(os.path.join(dk, "3" * 64), rss=30 * MiB, cache=2 * MiB,
              inactive_file=MiB, active_file=MiB, kmem=MiB, limit=64 * MiB)
    # Anon-heavy with swap accounting: reclaimable only when swap exists.
    v1_cgroup(os.path.join(dk, "4" * 64), rss=180 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=256 * MiB,
              swap=0)
    # tmpfs-heavy: 64 MiB shmem in a 96 MiB limit.
    v1_cgroup(os.path.join(dk, "5" * 64), rss=4 * MiB, cache=68 * MiB, shmem=64 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, kmem=MiB, limit=96 * MiB)
    # Pod with a 300 MiB limit; the container inherits it.
    kp = os.path.join(mem, "kubepods")
    v1_cgroup(kp, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB, active_file=2 * MiB)
    bu = os.path.join(kp, "burstable")
    v1_cgroup(bu, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB, active_file=2 * MiB)
    pod = os.path.join(bu, "pod11111111-2222-3333-4444-555555555555")
    v1_cgroup(pod, rss=200 * MiB, cache=4 * MiB, inactive_file=2 * MiB,
              active_file=2 * MiB, limit=300 * MiB)
    v1_cgroup(os.path.join(pod, "6" * 64), rss=180 * MiB, cache=4 * MiB,
              inactive_file=2 * MiB, active_file=2 * MiB, hier_limit=300 * MiB)


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fixtures")
    for name, gen in (("analysis-v1", gen_v1), ("analysis-v2", gen_v2)):
        root = os.path.join(base, name)
        shutil.rmtree(root, ignore_errors=True)
        gen(root)


if __name__ == "__main__":
    main()
