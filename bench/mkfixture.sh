#!/bin/sh
# mkfixture.sh - build a synthetic node of N containers for the benchmark.
#
#   mkfixture.sh DIR v1|v2 N
#
# DIR gets proc/self/mountinfo, proc/meminfo, proc/pressure/memory and a
# cgroup tree with the files memtop reads, shaped like a real node: the
# containers are spread over docker (cgroupfs and systemd drivers), kubepods
# with containerd (systemd driver, burstable pods of two containers) and
# CRI-O (cgroupfs driver, besteffort pods with conmon), and podman.  v1 is
# the hybrid layout of the test host (memory on v1, cgroup2 at
# /sys/fs/cgroup/unified); v2 is the unified layout.  Values are taken
# from SPEC 6.1/6.2 with the usage varied per container.
set -eu

dir=${1:?usage: mkfixture.sh DIR v1|v2 N}
mode=${2:?usage: mkfixture.sh DIR v1|v2 N}
n=${3:?usage: mkfixture.sh DIR v1|v2 N}
case $mode in v1|v2) ;; *) echo "mkfixture.sh: mode must be v1 or v2" >&2; exit 2;; esac

mkdir -p "$dir/proc/self" "$dir/proc/pressure"
tmpl=$dir/.tmpl
mkdir -p "$tmpl"

cat > "$dir/proc/meminfo" <<'MI'
MemTotal:       24684096 kB
MemFree:        20123456 kB
MemAvailable:   22345678 kB
Buffers:           12345 kB
Cached:          1234567 kB
SwapCached:            0 kB
Active(file):     456789 kB
Inactive(file):   567890 kB
Shmem:              8765 kB
SwapTotal:             0 kB
SwapFree:              0 kB
MI
printf 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n' \
    > "$dir/proc/pressure/memory"

if [ "$mode" = v1 ]; then
    root=$dir/sys/fs/cgroup/memory
    mkdir -p "$root" "$dir/sys/fs/cgroup/unified"
    echo "hugetlb" > "$dir/sys/fs/cgroup/unified/cgroup.controllers"
    cat > "$dir/proc/self/mountinfo" <<'MI'
23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
MI
    {
        for k in cache:178319360 rss:1179648 rss_huge:0 shmem:0 mapped_file:0 dirty:40960 \
                 writeback:0 workingset_refault_anon:0 workingset_refault_file:61809 swap:0 \
                 swapcached:0 pgpgin:1161997 pgpgout:1132114 pgfault:1684225 pgmajfault:215 \
                 inactive_anon:1171456 active_anon:8192 inactive_file:143392768 \
                 active_file:34922496 unevictable:0; do
            echo "${k%%:*} ${k#*:}"
        done
        echo "hierarchical_memory_limit 9223372036854771712"
        echo "hierarchical_memsw_limit 9223372036854771712"
        for k in cache:178319360 rss:1179648 rss_huge:0 shmem:0 mapped_file:0 dirty:40960 \
                 writeback:0 workingset_refault_anon:0 workingset_refault_file:61809 swap:0 \
                 swapcached:0 pgpgin:1161997 pgpgout:1132114 pgfault:1684225 pgmajfault:215 \
                 inactive_anon:1171456 active_anon:8192 inactive_file:143392768 \
                 active_file:34922496 unevictable:0; do
            echo "total_${k%%:*} ${k#*:}"
        done
    } > "$tmpl/memory.stat"
    echo 232591360 > "$tmpl/memory.usage_in_bytes"
    echo 0 > "$tmpl/memory.failcnt"
    echo 1152266240 > "$tmpl/memory.max_usage_in_bytes"
    printf 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n' > "$tmpl/memory.oom_control"
    echo 53080064 > "$tmpl/memory.kmem.usage_in_bytes"
    echo 0 > "$tmpl/memory.kmem.tcp.usage_in_bytes"
    echo 232591360 > "$tmpl/memory.memsw.usage_in_bytes"
    echo 0 > "$tmpl/memory.memsw.failcnt"
    echo 9223372036854771712 > "$tmpl/memory.limit_in_bytes"
    echo 9223372036854771712 > "$tmpl/memory.memsw.limit_in_bytes"
    echo 60 > "$tmpl/memory.swappiness"
    usage_file=memory.usage_in_bytes
else
    root=$dir/sys/fs/cgroup
    mkdir -p "$root"
    cat > "$dir/proc/self/mountinfo" <<'MI'
23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
MI
    echo "cpuset cpu io memory hugetlb pids rdma misc" > "$root/cgroup.controllers"
    cat > "$tmpl/memory.stat" <<'ST'
anon 666894336
file 318767104
kernel 40894464
kernel_stack 2162688
pagetables 5242880
sec_pagetables 0
percpu 411648
sock 0
vmalloc 0
shmem 67108864
zswap 0
zswapped 0
file_mapped 50331648
file_dirty 1048576
file_writeback 0
swapcached 0
anon_thp 293601280
file_thp 0
shmem_thp 0
inactive_anon 73400320
active_anon 660602880
inactive_file 167772160
active_file 83886080
unevictable 0
slab_reclaimable 25165824
slab_unreclaimable 7340032
slab 32505856
workingset_refault_anon 0
workingset_refault_file 38211
workingset_activate_anon 0
workingset_activate_file 9120
workingset_restore_anon 0
workingset_restore_file 2210
workingset_nodereclaim 0
pgscan 912334
pgsteal 887120
pgscan_kswapd 0
pgscan_direct 912334
pgscan_khugepaged 0
pgsteal_kswapd 0
pgsteal_direct 887120
pgsteal_khugepaged 0
pgfault 48211943
pgmajfault 1207
pgrefill 120554
pgactivate 301223
pgdeactivate 118004
pglazyfree 0
pglazyfreed 0
zswpin 0
zswpout 0
thp_fault_alloc 1402
thp_collapse_alloc 37
ST
    echo 1026818048 > "$tmpl/memory.current"
    printf 'low 0\nhigh 0\nmax 1423\noom 0\noom_kill 0\noom_group_kill 0\n' > "$tmpl/memory.events"
    echo 1073479680 > "$tmpl/memory.peak"
    echo 0 > "$tmpl/memory.swap.current"
    printf 'high 0\nmax 0\nfail 0\n' > "$tmpl/memory.swap.events"
    printf 'some avg10=1.27 avg60=0.85 avg300=0.31 total=48211561\nfull avg10=0.40 avg60=0.22 avg300=0.08 total=15877902\n' \
        > "$tmpl/memory.pressure"
    printf 'populated 1\nfrozen 0\n' > "$tmpl/cgroup.events"
    echo 1073741824 > "$tmpl/memory.max"
    echo max > "$tmpl/memory.high"
    echo 0 > "$tmpl/memory.low"
    echo 0 > "$tmpl/memory.min"
    echo 0 > "$tmpl/memory.swap.max"
    echo 0 > "$tmpl/memory.oom.group"
    usage_file=memory.current
    # The v2 root has memory.stat and memory.pressure only.
    cp "$tmpl/memory.stat" "$tmpl/memory.pressure" "$root/"
fi
[ "$mode" = v1 ] && cp "$tmpl"/* "$root/"

# Make a cgroup directory with the template files (parents first).
cg() {
    for c in "$@"; do
        if [ ! -d "$root/$c" ]; then
            mkdir -p "$root/$c"
            cp "$tmpl"/* "$root/$c/"
        fi
    done
}

hexid() {   # 64 hex digits, different per $1
    printf '%08x%08x%08x%08x%08x%08x%08x%08x' $(( ($1 * 2654435761) & 0xffffffff )) \
        $(( ($1 * 40503 + 7) & 0xffffffff )) $1 $(( $1 ^ 0x5bd1e995 )) 0 $1 \
        $(( ($1 * 97) & 0xffffffff )) $(( $1 + 12345 ))
}

uid() {     # pod UID with dashes
    printf '%08x-%04x-4%03x-8%03x-%012x' $(( ($1 * 2246822519) & 0xffffffff )) $(( $1 & 0xffff )) \
        $(( $1 & 0xfff )) $(( ($1 >> 12) & 0xfff )) $1
}

cg docker system.slice machine.slice kubepods.slice kubepods.slice/kubepods-burstable.slice \
   kubepods kubepods/besteffort
i=0
while [ "$i" -lt "$n" ]; do
    id=$(hexid "$i")
    case $((i % 5)) in
    0) p=docker/$id ;;
    1) p=system.slice/docker-$id.scope ;;
    2) u=$(uid $((i / 10)))
       u_=$(echo "$u" | tr - _)
       pod=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$u_.slice
       cg "$pod"
       p=$pod/cri-containerd-$id.scope ;;
    3) u=$(uid $((100000 + i / 10)))
       pod=kubepods/besteffort/pod$u
       [ -d "$root/$pod" ] || cg "$pod" "$pod/crio-conmon-$id"
       p=$pod/crio-$id ;;
    4) p=machine.slice/libpod-$id.scope ;;
    esac
    cg "$p"
    echo $((100000000 + i * 4096 * 37)) > "$root/$p/$usage_file"
    i=$((i + 1))
done
rm -rf "$tmpl"
