# nodelib.sh - sourced by realnode.sh and soak.sh: grow FROM TO creates
# container cgroups [FROM, TO) below $base shaped like real runtimes
# (docker cgroupfs and systemd drivers, kubepods with containerd and CRI-O,
# podman); every even one runs $bin/holder with $ANON_KIB of anon memory and
# $CACHE_KIB of page cache in $work, its pid appended to $pids (with
# $BUSY_KIB set, each also frees and re-touches that much of its anon
# memory every other second: a busy node).  Then it waits (with a
# deadline) until the memory is charged.
nholders=${nholders:-0}
hexid() {
    printf '%08x%08x%08x%08x%08x%08x%08x%08x' $(( ($1 * 2654435761) & 0xffffffff )) \
        $(( ($1 * 40503 + 7) & 0xffffffff )) "$1" $(( $1 ^ 0x5bd1e995 )) $$ "$1" \
        $(( ($1 * 97) & 0xffffffff )) $(( $1 + 12345 ))
}
uid() {
    printf '%08x-%04x-4%03x-8%03x-%012x' $(( ($1 * 2246822519) & 0xffffffff )) $(( $1 & 0xffff )) \
        $(( $1 & 0xfff )) $(( ($1 >> 12) & 0xfff )) "$1"
}

# Create containers [from, to).
grow() {
    i=$1
    while [ "$i" -lt "$2" ]; do
        id=$(hexid "$i")
        case $((i % 5)) in
        0) p=docker/$id ;;
        1) p=system.slice/docker-$id.scope ;;
        2) u=$(uid $((i / 10)) | tr - _)
           p=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$u.slice/cri-containerd-$id.scope ;;
        3) pod=kubepods/besteffort/pod$(uid $((100000 + i / 10)))
           [ -d "$base/$pod" ] || mkdir -p "$base/$pod/crio-conmon-$id"
           p=$pod/crio-$id ;;
        4) p=machine.slice/libpod-$id.scope ;;
        esac
        mkdir -p "$base/$p" || exit 1
        if [ $((i % 2)) -eq 0 ]; then
            "$bin/holder" "$base/$p/cgroup.procs" "$ANON_KIB" "$work/cache.$i" "$CACHE_KIB" \
                ${BUSY_KIB:+"$BUSY_KIB"} > /dev/null &
            echo $! >> "$pids"
            nholders=$((nholders + 1))
        fi
        i=$((i + 1))
    done
    # Wait (with a deadline) until the holders' memory is charged.
    want=$(( nholders * (ANON_KIB + CACHE_KIB - ${BUSY_KIB:-0}) * 1024 * 9 / 10 ))
    t=0
    while [ "$(cat "$base/memory.usage_in_bytes")" -lt "$want" ] && [ $t -lt 600 ]; do
        sleep 0.1
        t=$((t + 1))
    done
}

