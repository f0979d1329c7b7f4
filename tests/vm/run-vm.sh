#!/usr/bin/env bash
# run-vm.sh - boot Debian's own kernel in qemu with a pure cgroup v2 hierarchy
# and run one shell script inside it, for memtop's test suite.
#
#   run-vm.sh [options] -- SCRIPT
#
# The kernel is the package linux-image-amd64 depends on, fetched once with
# `apt-get download` into a cache directory and unpacked with dpkg-deb -x
# (nothing is installed).  An initramfs is built for every run: busybox, the
# files given with --add (dynamically linked ELF files bring the libraries
# ldd reports, at the same paths), terminfo, a few kernel modules and SCRIPT.
# The guest mounts cgroup2 on /sys/fs/cgroup with +memory at the root, runs
# `sh SCRIPT` in /t, and powers off.  SCRIPT's output (stdout and
# stderr merged: both go to the serial console) is copied to stdout; notes
# and a timing line go to stderr.
#
# Exit status: SCRIPT's status; 77 when the VM cannot be had (no qemu, no
# kernel package, ...; the reason is printed); 124 when --timeout was hit;
# 125 when the guest gave no status (boot failure; console tail printed);
# 2 on a usage error.
set -uo pipefail

PROG=run-vm.sh
T0=$(date +%s.%N)
TIMEOUT=150
MEM=768
CPUS=2
SWAP=
DISK=
KEEP=0
VERBOSE=0
ADDS=()
ACCEL=${MEMTOP_VM_ACCEL:-auto}
KPKG=${MEMTOP_VM_KERNEL_PKG:-}
# Modules the guest may load; dependencies are resolved from the modules'
# own depends= field.  crc32c_generic is a soft dependency of ext4 (its
# checksums use the crypto API), so it is named explicitly.
MODULES="zram crc32c_generic ext4"
LAYOUT=1        # bump when the cache layout changes

usage() {
    cat <<EOF
usage: $PROG [options] -- SCRIPT
  --timeout SEC   bound for the whole run, download and boot included ($TIMEOUT)
  --mem MIB       guest memory ($MEM)      --cpus N   guest vCPUs ($CPUS)
  --swap SIZE     swap on /dev/zram0 (e.g. 128M)
  --disk SIZE     ext2 on /dev/zram1 mounted at /disk (real page cache)
  --add PATH      copy PATH (file or directory) into /t in the guest; repeatable
  --keep          keep the work directory (initramfs, console log)
  --verbose       kernel messages on the console, console log on stderr
environment: MEMTOP_VM_CACHE (kernel cache; default /var/cache/memtop-vm when
  writable, else \$TMPDIR/memtop-vm-cache-UID), MEMTOP_VM_KERNEL_PKG,
  MEMTOP_VM_ACCEL (auto|kvm|tcg), MEMTOP_VM_APPEND (extra kernel arguments)
EOF
}

note() { echo "$PROG: $*" >&2; }
skip() { echo "$PROG: SKIP: $*" >&2; exit 77; }
fail() { echo "$PROG: error: $*" >&2; exit 125; }

while [ $# -gt 0 ]; do
    case $1 in
        --timeout) TIMEOUT=${2:?}; shift 2 ;;
        --mem)     MEM=${2:?}; shift 2 ;;
        --cpus)    CPUS=${2:?}; shift 2 ;;
        --swap)    SWAP=${2:?}; shift 2 ;;
        --disk)    DISK=${2:?}; shift 2 ;;
        --add)     ADDS+=("${2:?}"); shift 2 ;;
        --keep)    KEEP=1; shift ;;
        --verbose) VERBOSE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --)        shift; break ;;
        *)         usage >&2; exit 2 ;;
    esac
done
[ $# -ge 1 ] && [ -f "$1" ] || { usage >&2; exit 2; }
for v in "$TIMEOUT" "$MEM" "$CPUS"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { note "bad number: $v"; exit 2; }
done
for v in "$SWAP" "$DISK"; do
    [[ -z $v || $v =~ ^[1-9][0-9]*[KMG]$ ]] || { note "bad size: $v"; exit 2; }
done
case $ACCEL in auto|kvm|tcg) ;; *) note "bad MEMTOP_VM_ACCEL"; exit 2 ;; esac

for t in qemu-system-x86_64 busybox cpio dpkg-deb ldd timeout flock xz od; do
    command -v "$t" >/dev/null 2>&1 || skip "$t not found (./bootstrap installs qemu-system-x86 busybox-static cpio xz-utils)"
done
BUSYBOX=$(command -v busybox)
# A dynamically linked busybox would need its libraries in the guest too.
if LC_ALL=C readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP; then
    skip "$BUSYBOX is dynamically linked; install busybox-static"
fi

deadline_left() {   # whole seconds left before --timeout
    awk -v t0="$T0" -v t="$TIMEOUT" -v now="$(date +%s.%N)" \
        'BEGIN { x = t0 + t - now; printf "%d", x < 0 ? 0 : x }'
}

# --------------------------------------------------------------- kernel ----
pick_cache() {
    if [ -n "${MEMTOP_VM_CACHE:-}" ]; then CACHE=$MEMTOP_VM_CACHE
    elif mkdir -p /var/cache/memtop-vm 2>/dev/null && [ -w /var/cache/memtop-vm ]; then
        CACHE=/var/cache/memtop-vm
    else CACHE=${TMPDIR:-/tmp}/memtop-vm-cache-$(id -u)
    fi
    mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || skip "kernel cache $CACHE is not writable"
}

# Print the byte offset and length of the compressed payload of a bzImage
# (boot protocol >= 2.08: setup_sects at 0x1f1, payload_offset/length at
# 0x248/0x24c, relative to the protected-mode code after the setup sectors).
bzimage_payload() {
    local f=$1 sects off len
    sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$f" | tr -d ' ')
    off=$(od -An -tu4 -j $((0x248)) -N4 "$f" | tr -d ' ')
    len=$(od -An -tu4 -j $((0x24c)) -N4 "$f" | tr -d ' ')
    [ "${sects:-0}" -gt 0 ] || sects=4
    echo "$(( (sects + 1) * 512 + off )) $len"
}

# Decompress the bzImage payload into an ELF vmlinux.  qemu boots such a file
# through its PVH entry point, skipping the BIOS real-mode path and the
# in-guest decompression (about 2 s less per boot under TCG).
extract_vmlinux() {
    local bz=$1 out=$2 off len magic dec
    read -r off len < <(bzimage_payload "$bz")
    magic=$(od -An -tx1 -j "$off" -N4 "$bz" | tr -d ' \n')
    case $magic in
        fd377a58) dec="xz -dc --single-stream" ;;
        1f8b08*)  dec="gzip -dc" ;;
        28b52ffd) dec="zstd -dc" ;;
        *) return 1 ;;
    esac
    command -v "${dec%% *}" >/dev/null || return 1
    # the kernel build appends the uncompressed size (4 bytes) after the
    # stream; the decompressors are told to stop at the end of the stream
    tail -c +"$((off + 1))" "$bz" | head -c "$len" | $dec > "$out" 2>/dev/null
    [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || return 1
    # XEN_ELFNOTE_PHYS32_ENTRY (type 0x12) marks a PVH-bootable kernel
    LC_ALL=C readelf -n "$out" 2>/dev/null | grep -q 'Xen.*0x00000012' || return 1
}

# Print a module and its dependencies, dependencies first (kernel names, "_").
module_closure() {
    local root=$1 name=${2//-/_} f deps d
    case " $SEEN_MODS " in *" $name "*) return 0 ;; esac
    SEEN_MODS="$SEEN_MODS $name"
    f=$(find "$root" -name "$name.ko" -o -name "${name//_/-}.ko" | head -n 1)
    [ -n "$f" ] || return 0                 # built into the kernel
    deps=$(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | head -n 1)
    for d in ${deps//,/ }; do module_closure "$root" "$d"; done
    echo "$name $f"
}

prepare_kernel() {
    # sticky: once a kernel is prepared, reuse the newest one without asking
    # apt (MEMTOP_VM_KERNEL_PKG picks another; emptying the cache refreshes)
    if [ -z "$KPKG" ]; then
        local k
        for k in $(ls -1d "$CACHE"/linux-image-[0-9]*/ 2>/dev/null | sort -rV); do
            if [ "$(cat "$k/.layout" 2>/dev/null)" = "$LAYOUT" ]; then KDIR=${k%/}; return 0; fi
        done
    fi
    if [ -z "$KPKG" ]; then
        KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
               awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
    fi
    [ -n "$KPKG" ] || skip "no kernel package known (apt-get update, or set MEMTOP_VM_KERNEL_PKG)"
    KDIR=$CACHE/$KPKG
    [ "$(cat "$KDIR/.layout" 2>/dev/null)" = "$LAYOUT" ] && return 0

    exec 9>"$CACHE/.lock"
    flock -w "$(deadline_left)" 9 || fail "timed out waiting for the cache lock"
    if [ "$(cat "$KDIR/.layout" 2>/dev/null)" = "$LAYOUT" ]; then exec 9>&-; return 0; fi
    local deb
    deb=$(ls -1 "$CACHE/${KPKG}_"*.deb 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$deb" ]; then
        note "downloading $KPKG into $CACHE"
        (cd "$CACHE" && timeout "$(deadline_left)" \
            apt-get download -q -o APT::Sandbox::User=root "$KPKG" >/dev/null 2>"$CACHE/.apt.err") ||
            skip "apt-get download $KPKG failed: $(tail -n 1 "$CACHE/.apt.err")"
        deb=$(ls -1 "$CACHE/${KPKG}_"*.deb 2>/dev/null | sort -V | tail -n 1)
        [ -n "$deb" ] || skip "apt-get download left no $KPKG package"
    fi
    note "unpacking $(basename "$deb")"
    local tmp rel m f
    tmp=$(mktemp -d "$CACHE/.unpack.XXXXXX") || fail "mktemp in $CACHE"
    dpkg-deb -x "$deb" "$tmp/pkg" || { rm -rf "$tmp"; skip "dpkg-deb -x $deb failed"; }
    rel=$(ls -1 "$tmp/pkg/lib/modules" 2>/dev/null | head -n 1)
    [ -n "$rel" ] && [ -f "$tmp/pkg/boot/vmlinuz-$rel" ] || { rm -rf "$tmp"; skip "no kernel in $deb"; }
    mkdir -p "$tmp/k/modules"
    echo "$rel" > "$tmp/k/release"
    basename "$deb" .deb > "$tmp/k/package"
    if extract_vmlinux "$tmp/pkg/boot/vmlinuz-$rel" "$tmp/k/vmlinux"; then
        :
    else
        rm -f "$tmp/k/vmlinux"
        cp "$tmp/pkg/boot/vmlinuz-$rel" "$tmp/k/vmlinuz"
    fi
    SEEN_MODS=
    : > "$tmp/k/modules.order"
    for m in $MODULES; do
        while read -r m f; do
            cp "$f" "$tmp/k/modules/$m.ko" && echo "$m" >> "$tmp/k/modules.order"
        done < <(module_closure "$tmp/pkg/lib/modules/$rel" "$m")
    done
    echo "$LAYOUT" > "$tmp/k/.layout"
    rm -rf "$tmp/pkg" "$KDIR"
    mv "$tmp/k" "$KDIR" && rmdir "$tmp" || fail "cannot populate $KDIR"
    # keep only the package we use
    find "$CACHE" -maxdepth 1 -name 'linux-image-*.deb' ! -name "$(basename "$deb")" -delete
    exec 9>&-
}

# ------------------------------------------------------------- initramfs ----
copy_with_libs() {     # copy_with_libs STAGE: libraries of every ELF in STAGE/t
    local stage=$1 f lib
    find "$stage/t" -type f | while read -r f; do
        [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || continue
        LC_ALL=C readelf -l "$f" 2>/dev/null | grep -q INTERP || continue
        ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
    done | sort -u | while read -r lib; do
        [ -e "$stage$lib" ] && continue
        mkdir -p "$stage${lib%/*}" && cp -L "$lib" "$stage$lib"
    done
}

write_init() {
    cat > "$1/init" <<'EOF'
#!/bin/sh
# memtop VM init: set up a cgroup v2 system, run the test, power off.
/bin/busybox --install -s
export PATH=/t:/bin:/sbin:/usr/bin:/usr/sbin HOME=/root LANG=C TERM=dumb
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
echo "MEMTOP-VM-INIT"
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# as systemd mounts it on a unified host
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
    echo "MEMTOP-VM-ERROR: cannot mount cgroup2"
mkdir -p /dev/shm /tmp /disk
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
echo +memory > /sys/fs/cgroup/cgroup.subtree_control ||
    echo "MEMTOP-VM-ERROR: cannot enable the memory controller"
. /vm/env
[ "$VM_VERBOSE" = 1 ] || echo 1 > /proc/sys/kernel/printk
while read -r m; do
    if [ "$m" = zram ]; then insmod /vm/$m.ko num_devices=2; else insmod /vm/$m.ko; fi ||
        echo "MEMTOP-VM-ERROR: insmod $m failed"
done < /vm/modules.order
if [ -n "$VM_SWAP" ]; then
    { echo "$VM_SWAP" > /sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
      swapon /dev/zram0; } || echo "MEMTOP-VM-ERROR: zram swap failed"
fi
if [ -n "$VM_DISK" ]; then
    { echo "$VM_DISK" > /sys/block/zram1/disksize && mke2fs -b 4096 /dev/zram1 >/dev/null 2>&1 &&
      mount -t ext4 /dev/zram1 /disk; } || echo "MEMTOP-VM-ERROR: zram disk failed"
fi
cd /t
read -r up _ < /proc/uptime
echo "MEMTOP-VM-UPTIME $up"
echo "=====MEMTOP-VM-BEGIN====="
sh /t/.script </dev/null
rc=$?
echo "=====MEMTOP-VM-END====="
echo "MEMTOP-VM-EXIT $rc"
sync
poweroff -f
EOF
    chmod 755 "$1/init"
}

build_initramfs() {
    local S=$WORK/stage d a
    mkdir -p "$S"/{dev,proc,sys,tmp,root,etc,t,vm,usr/bin,usr/sbin,usr/lib,usr/lib64}
    # mirror the host's merged-/usr symlinks so ldd's paths resolve as is
    for d in bin sbin lib lib64; do
        if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$S/$d"; else mkdir -p "$S/$d"; fi
    done
    cp "$BUSYBOX" "$S/bin/busybox"
    ln -s busybox "$S/bin/sh"     # the other applet links are made by init
    echo 'root:x:0:0:root:/root:/bin/sh' > "$S/etc/passwd"
    echo 'root:x:0:' > "$S/etc/group"
    for d in /lib/terminfo/d/dumb /lib/terminfo/v/vt100 /lib/terminfo/x/xterm /lib/terminfo/l/linux; do
        [ -f "$d" ] && mkdir -p "$S${d%/*}" && cp "$d" "$S$d"
    done
    for a in "${ADDS[@]}"; do
        cp -a "$a" "$S/t/" || fail "cannot copy $a"
    done
    copy_with_libs "$S"
    cp "$SCRIPT" "$S/t/.script"
    cp "$KDIR"/modules/*.ko "$S/vm/" 2>/dev/null
    cp "$KDIR/modules.order" "$S/vm/"
    printf "VM_SWAP='%s'\nVM_DISK='%s'\nVM_VERBOSE='%s'\n" "$SWAP" "$DISK" "$VERBOSE" > "$S/vm/env"
    write_init "$S"
    (cd "$S" && find . | cpio -o -H newc --quiet > "$WORK/initrd") || fail "cpio failed"
}

# ------------------------------------------------------------------ qemu ----
QPID=
WORK=
stop_qemu() {
    [ -n "$QPID" ] || return 0
    if kill -0 "$QPID" 2>/dev/null; then
        kill -TERM "$QPID" 2>/dev/null     # timeout(1) forwards it to qemu
        for _ in $(seq 30); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$QPID" 2>/dev/null && kill -KILL "$QPID" 2>/dev/null
    fi
    wait "$QPID" 2>/dev/null
    QPID=
}
cleanup() {
    stop_qemu
    [ -n "$WORK" ] || return 0
    if [ "$KEEP" = 1 ]; then note "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PVM ("kvm_pvm") provides /dev/kvm but runs only kernels built for PVM: a
# stock kernel hangs in early boot or dies with a KVM emulation failure.
kvm_ok() {
    [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || { KVM_WHY="no usable /dev/kvm"; return 1; }
    if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
        KVM_WHY="host KVM is kvm_pvm, which cannot run a stock kernel"; return 1
    fi
}

# run_qemu ACCEL: boots, waits; sets Q_RC, T_QEMU, T_BEGIN
run_qemu() {
    local accel=$1 kernel append left
    LOG=$WORK/console.log
    : > "$LOG"
    # no_timer_check: on a busy host the TCG guest can miss the timer
    # interrupts of the early IO-APIC check and panic ("IO-APIC + timer
    # doesn't work"); the check is only a sanity test of the hardware
    append="console=ttyS0 panic=-1 rdinit=/init cgroup_no_v1=all no_timer_check"
    [ "$VERBOSE" = 1 ] || append="$append quiet loglevel=1"
    append="$append ${MEMTOP_VM_APPEND:-}"
    if [ -f "$KDIR/vmlinux" ]; then kernel=$KDIR/vmlinux; BOOT=pvh; else kernel=$KDIR/vmlinuz; BOOT=bzimage; fi
    local args=(-nodefaults -no-user-config -display none -monitor none -no-reboot
                -serial "file:$LOG" -nic none -M pc -m "$MEM" -smp "$CPUS"
                -kernel "$kernel" -initrd "$WORK/initrd" -append "$append")
    if [ "$accel" = kvm ]; then args+=(-accel kvm -cpu host)
    else args+=(-accel tcg,thread=multi -cpu max); fi
    left=$(deadline_left)
    [ "$left" -gt 0 ] || { Q_RC=124; return; }
    T_QEMU=$(date +%s.%N); T_BEGIN=
    timeout -k 2 "$left" qemu-system-x86_64 "${args[@]}" </dev/null >"$WORK/qemu.out" 2>&1 &
    QPID=$!
    local waited=0
    while kill -0 "$QPID" 2>/dev/null; do
        if [ -z "$T_BEGIN" ] && grep -q -a 'MEMTOP-VM-BEGIN' "$LOG"; then T_BEGIN=$(date +%s.%N); fi
        # a KVM that cannot run this kernel never reaches init
        if [ "$accel" = kvm ] && [ "$waited" -ge 400 ] && ! grep -q -a MEMTOP-VM-INIT "$LOG"; then
            stop_qemu; Q_RC=125; return
        fi
        sleep 0.05; waited=$((waited + 1))
    done
    wait "$QPID"; Q_RC=$?; QPID=
    [ -n "$T_BEGIN" ] || { grep -q -a 'MEMTOP-VM-BEGIN' "$LOG" && T_BEGIN=$(date +%s.%N); }
}

# ------------------------------------------------------------------ main ----
SCRIPT=$1; shift
# the script gets no arguments: configure it through the files given with --add
[ $# -eq 0 ] || { note "SCRIPT takes no arguments"; exit 2; }
pick_cache
prepare_kernel
WORK=$(mktemp -d "${TMPDIR:-/tmp}/memtop-vm.XXXXXX") || fail "mktemp"
T_BUILD=$(date +%s.%N)
build_initramfs

if [ "$ACCEL" = auto ]; then
    if kvm_ok; then ACCEL=kvm; else ACCEL=tcg; note "using TCG: $KVM_WHY"; fi
fi
run_qemu "$ACCEL"
if [ "$ACCEL" = kvm ] && ! grep -q -a MEMTOP-VM-INIT "$LOG"; then
    note "KVM did not boot the guest; retrying with TCG"
    ACCEL=tcg
    run_qemu tcg
fi
T_END=$(date +%s.%N)

tr -d '\r' < "$LOG" > "$LOG.txt"
[ "$VERBOSE" = 1 ] && { echo "--- console ---"; cat "$LOG.txt"; echo "--- end ---"; } >&2
grep -a '^MEMTOP-VM-ERROR' "$LOG.txt" | sed "s/^/$PROG: guest: /" >&2
awk '/^=====MEMTOP-VM-END=====/ { exit } on { print } /^=====MEMTOP-VM-BEGIN=====/ { on = 1 }' "$LOG.txt"
RC=$(sed -n 's/^MEMTOP-VM-EXIT \([0-9]*\).*/\1/p' "$LOG.txt" | head -n 1)
UP=$(sed -n 's/^MEMTOP-VM-UPTIME //p' "$LOG.txt" | head -n 1)
if [ -z "$RC" ]; then
    if [ "$Q_RC" = 124 ]; then note "timeout after ${TIMEOUT}s (accel $ACCEL)"; RC=124
    else note "no exit status from the guest (qemu status $Q_RC, accel $ACCEL)"; RC=125; fi
    tail -n 20 "$LOG.txt" | sed 's/^/    /' >&2
    exit "$RC"
fi
awk -v k="$(cat "$KDIR/package")" -v a="$ACCEL" -v b="$BOOT" -v t0="$T0" -v tb="$T_BUILD" \
    -v tq="$T_QEMU" -v tc="${T_BEGIN:-$T_END}" -v te="$T_END" -v up="$UP" -v rc="$RC" -v p="$PROG" 'BEGIN {
    printf "%s: %s, accel %s, boot %s: kernel+cache %.2fs, initramfs %.2fs, boot-to-command %.2fs (guest uptime %ss), script %.2fs, total %.2fs, exit %d\n",
        p, k, a, b, tb - t0, tq - tb, tc - tq, up, te - tc, te - t0, rc > "/dev/stderr" }'
exit "$RC"
