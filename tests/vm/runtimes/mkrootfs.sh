#!/usr/bin/env bash
# mkrootfs.sh - build (once) the Debian bookworm disk image of memtop's
# real-runtime test bed and print the directory that holds it.
#
#   mkrootfs.sh [--print-key] [--force]
#
# Output (stdout, one line): the cache entry directory, which holds
#   rootfs.img   raw ext4 image (sparse), the guest's / (virtio-blk, /dev/vda)
#   vmlinuz      Debian's kernel, copied out of the image's /boot
#   initrd.img   the initramfs update-initramfs made inside the image
#   info         package versions, sizes and the build time
# Notes and the build time go to stderr.
#
# The image is made offline-from-the-mirror: mmdebstrap (root mode) into a
# directory, then `mke2fs -d` turns the directory into an ext4 image without
# loop devices or mounts.  The guest runs systemd as PID 1 on a pure cgroup
# v2 hierarchy (bookworm's default) and has the runtimes from Debian's
# packages: docker.io, containerd, runc, podman, crun, conmon,
# systemd-container (nspawn, machined), plus what memtop links against.
# A oneshot unit, memtop-rtvm.service, runs the test when the kernel command
# line says memtop.rtvm=1 (boot.sh describes that contract).
#
# Why a directory + mke2fs -d and an external kernel: mke2fs -d needs no
# loop device or privileges beyond reading the tree, and booting the image's
# own vmlinuz/initrd with qemu -kernel skips the bootloader (no grub, no
# partition table: the whole disk is the file system, root=/dev/vda).
#
# Cache: $MEMTOP_RTVM_CACHE, else /var/cache/memtop-rtvm when writable, else
# $TMPDIR/memtop-rtvm-$UID.  The entry is keyed by a hash of the package
# list, the mirror, the image's configuration files and SCRIPT_VERSION, so a
# second run reuses it (a few ms); builds are serialized with flock.
# Older entries are removed after a successful build.
#
# Exit status: 0 with the directory on stdout; 77 with a one-line reason when
# the build cannot be attempted here (not root, no mmdebstrap/qemu/mke2fs,
# the mirror is unreachable); 1 when the build itself failed.
set -uo pipefail

PROG=mkrootfs.sh
SCRIPT_VERSION=3        # bump when the image's contents or layout change
MIRROR=${MEMTOP_RTVM_MIRROR:-http://deb.debian.org/debian}
SECMIRROR=${MEMTOP_RTVM_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
IMG_SIZE=${MEMTOP_RTVM_IMG_SIZE:-4G}  # sparse; room for image layers and logs

# Everything installed (no Recommends).  Kept sorted: it is part of the key.
PACKAGES="
busybox-static
catatonit
conmon
containerd
containernetworking-plugins
crun
dbus
docker.io
iptables
initramfs-tools
kmod
libasan8
libjson-c5
libmicrohttpd12
libncursesw6
libsystemd0
libtinfo6
libubsan1
linux-image-amd64
mount
ncurses-base
podman
procps
runc
systemd
systemd-container
systemd-sysv
tmux
zlib1g
"
# libasan8/libubsan1: the ASan/UBSan build of memtop (gcc 12) runs in the guest too.

note() { echo "$PROG: $*" >&2; }
skip() { echo "$PROG: SKIP: $*" >&2; exit 77; }
die()  { echo "$PROG: error: $*" >&2; exit 1; }

PRINT_KEY=0 FORCE=0
for a in "$@"; do
    case $a in
        --print-key) PRINT_KEY=1 ;;
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 0 ;;
        *) echo "usage: $PROG [--print-key] [--force]" >&2; exit 2 ;;
    esac
done

# ---------------------------------------------------------------- files ----
# Files written into the image.  Each is a shell function printing the text,
# so their contents enter the cache key.

# dockerd without networking: no iptables rules, no docker0 bridge (the
# guest has no network; containers run with --network none).  overlay2 on
# the ext4 root works with the 6.1 kernel.
f_daemon_json() {
    cat <<'EOF'
{
  "iptables": false,
  "ip6tables": false,
  "bridge": "none",
  "storage-driver": "overlay2",
  "log-driver": "json-file"
}
EOF
}

# The test hook.  boot.sh shares two host directories over virtio-9p, tagged
# rtvm_in (read-only: the script and its files) and rtvm_out (writable).
f_unit() {
    cat <<'EOF'
[Unit]
Description=memtop real-runtime test bed: run the host's script, then power off
ConditionKernelCommandLine=memtop.rtvm=1
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/memtop-rtvm-run
StandardInput=null
StandardOutput=journal+console
StandardError=inherit
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
}

# Runs as root in the root cgroup's system.slice/memtop-rtvm.service.
# Contract with boot.sh: the script is $RTVM_IN/.rtvm-script, run with
# sh; cwd $RTVM_IN; its stdout+stderr go to $RTVM_OUT/console.log (and to
# the serial console); its exit status to $RTVM_OUT/rc; the guest's uptime
# at the start to $RTVM_OUT/uptime-start.  Then the guest powers off.
f_runner() {
    cat <<'EOF'
#!/bin/sh
# memtop-rtvm-run: see tests/vm/runtimes/boot.sh in memtop's source tree.
export RTVM_IN=/run/rtvm/in RTVM_OUT=/run/rtvm/out
export PATH=/run/rtvm/in:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
mkdir -p "$RTVM_IN" "$RTVM_OUT"
opts=trans=virtio,version=9p2000.L,msize=524288
modprobe 9pnet_virtio 2>/dev/null
mount -t 9p -o "$opts,ro" rtvm_in "$RTVM_IN" &&
mount -t 9p -o "$opts" rtvm_out "$RTVM_OUT" || {
    echo "RTVM-ERROR: cannot mount the 9p shares"
    echo "RTVM-EXIT 125"
    systemctl poweroff -ff
}
read -r up _ < /proc/uptime
echo "$up" > "$RTVM_OUT/uptime-start"
echo "RTVM-BEGIN uptime $up"
tmo=$(cat "$RTVM_IN/.rtvm-timeout" 2>/dev/null || echo 600)
cd "$RTVM_IN"
{ timeout -k 5 "$tmo" sh "$RTVM_IN/.rtvm-script"; echo $? > "$RTVM_OUT/rc"; } 2>&1 |
    tee "$RTVM_OUT/console.log"
rc=$(cat "$RTVM_OUT/rc" 2>/dev/null || echo 125)
read -r up _ < /proc/uptime
echo "$up" > "$RTVM_OUT/uptime-end"
echo "RTVM-EXIT $rc uptime $up"
sync
# -ff: no orderly shutdown (stopping dockerd under TCG takes long); the
# image is a throw-away snapshot and the shares are synced.
systemctl poweroff -ff
EOF
}

# Units not wanted at boot: timers, gettys, and the runtimes' daemons (the
# scenario starts them, so their start-up is measured as scenario time).
MASK_UNITS="apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service
fstrim.timer dpkg-db-backup.timer getty@tty1.service serial-getty@ttyS0.service
systemd-networkd-wait-online.service man-db.timer systemd-timesyncd.service"
DISABLE_UNITS="docker.service docker.socket containerd.service podman.service
podman.socket podman-restart.service podman-auto-update.timer"

cache_key() {
    {
        echo "version $SCRIPT_VERSION suite $SUITE mirror $MIRROR $SECMIRROR size $IMG_SIZE"
        echo "$PACKAGES"; echo "$MASK_UNITS"; echo "$DISABLE_UNITS"
        f_daemon_json; f_unit; f_runner
    } | sha256sum | cut -c1-16
}

pick_cache() {
    if [ -n "${MEMTOP_RTVM_CACHE:-}" ]; then CACHE=$MEMTOP_RTVM_CACHE
    elif mkdir -p /var/cache/memtop-rtvm 2>/dev/null && [ -w /var/cache/memtop-rtvm ]; then
        CACHE=/var/cache/memtop-rtvm
    else CACHE=${TMPDIR:-/tmp}/memtop-rtvm-$(id -u)
    fi
    mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || skip "cache $CACHE is not writable"
}

KEY=$(cache_key)
if [ "$PRINT_KEY" = 1 ]; then echo "$KEY"; exit 0; fi
pick_cache
ENTRY=$CACHE/rootfs-$KEY
done_ok() { [ -f "$ENTRY/.complete" ] && [ -s "$ENTRY/rootfs.img" ] && [ -s "$ENTRY/vmlinuz" ] && [ -s "$ENTRY/initrd.img" ]; }
if [ "$FORCE" = 0 ] && done_ok; then echo "$ENTRY"; exit 0; fi

# ------------------------------------------------------------ preflight ----
[ "$(id -u)" = 0 ] || skip "building the image needs root (mmdebstrap root mode, device nodes)"
for t in mmdebstrap mke2fs qemu-system-x86_64 flock sha256sum; do
    command -v "$t" >/dev/null 2>&1 ||
        skip "$t not found (apt-get install mmdebstrap e2fsprogs qemu-system-x86)"
done
# the mirror must answer before a 5-minute build starts
if ! timeout 30 /usr/lib/apt/apt-helper download-file "$MIRROR/dists/$SUITE/Release" \
        "$CACHE/.probe-Release" >/dev/null 2>&1; then
    rm -f "$CACHE/.probe-Release"
    skip "mirror $MIRROR is not reachable"
fi
rm -f "$CACHE/.probe-Release"

exec 9>"$CACHE/.lock"
flock -w 1800 9 || die "timed out waiting for $CACHE/.lock"
if [ "$FORCE" = 0 ] && done_ok; then echo "$ENTRY"; exit 0; fi

T0=$(date +%s.%N)
TMPD=$(mktemp -d "$CACHE/.build.XXXXXX") || die "mktemp in $CACHE"
trap 'rm -rf "$TMPD"' EXIT
ROOT=$TMPD/root
mkdir -p "$TMPD/files"
f_daemon_json > "$TMPD/files/daemon.json"
f_unit > "$TMPD/files/memtop-rtvm.service"
f_runner > "$TMPD/files/memtop-rtvm-run"

# customize hook (runs on the host with the chroot as $1)
cat > "$TMPD/customize.sh" <<EOF
#!/bin/sh
set -e
R=\$1
F=$TMPD/files
echo rtvm > "\$R/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 rtvm\n' > "\$R/etc/hosts"
# empty machine-id: systemd makes a transient one at every boot
: > "\$R/etc/machine-id"
mkdir -p "\$R/etc/docker" "\$R/usr/local/sbin" "\$R/etc/systemd/system" \
         "\$R/etc/systemd/journald.conf.d" "\$R/var/lib/machines"
cp "\$F/daemon.json" "\$R/etc/docker/daemon.json"
cp "\$F/memtop-rtvm.service" "\$R/etc/systemd/system/"
install -m 755 "\$F/memtop-rtvm-run" "\$R/usr/local/sbin/memtop-rtvm-run"
# the journal in /run: nothing to flush at boot
printf '[Journal]\nStorage=volatile\n' > "\$R/etc/systemd/journald.conf.d/rtvm.conf"
printf '/dev/vda / ext4 rw,relatime 0 1\n' > "\$R/etc/fstab"
chroot "\$R" systemctl enable memtop-rtvm.service
for u in $(echo $MASK_UNITS); do chroot "\$R" systemctl mask "\$u" >/dev/null 2>&1 || true; done
for u in $(echo $DISABLE_UNITS); do chroot "\$R" systemctl disable "\$u" >/dev/null 2>&1 || true; done
# no root password needed (no login at all), but keep the account usable
chroot "\$R" passwd -d root >/dev/null 2>&1 || true
# the package lists are not needed in the guest
rm -rf "\$R/var/lib/apt/lists/"* "\$R/var/cache/apt/"*.bin
EOF
chmod 755 "$TMPD/customize.sh"

note "building the $SUITE image (key $KEY) into $ENTRY; this takes a few minutes"
pkgs=$(echo $PACKAGES | tr ' ' ',')
if ! mmdebstrap --mode=root --variant=apt --format=directory \
        --include="$pkgs" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook="$TMPD/customize.sh \"\$1\"" \
        "$SUITE" "$ROOT" \
        "deb $MIRROR $SUITE main" \
        "deb $MIRROR $SUITE-updates main" \
        "deb $SECMIRROR $SUITE-security main" > "$TMPD/mmdebstrap.log" 2>&1; then
    tail -n 30 "$TMPD/mmdebstrap.log" >&2
    # a download failure mid-build is the mirror's fault, not a test failure
    if grep -qE 'Failed to fetch|Could not resolve|Temporary failure|Unable to fetch' "$TMPD/mmdebstrap.log"; then
        skip "mmdebstrap could not download from $MIRROR"
    fi
    die "mmdebstrap failed (log above)"
fi
T1=$(date +%s.%N)

kver=$(ls -1 "$ROOT/lib/modules" | sort -V | tail -n 1)
[ -n "$kver" ] && [ -f "$ROOT/boot/vmlinuz-$kver" ] && [ -f "$ROOT/boot/initrd.img-$kver" ] ||
    die "no kernel/initrd in the image's /boot"
mkdir -p "$TMPD/entry"
cp "$ROOT/boot/vmlinuz-$kver" "$TMPD/entry/vmlinuz" &&
cp "$ROOT/boot/initrd.img-$kver" "$TMPD/entry/initrd.img" || die "cannot copy the kernel"
{
    echo "key $KEY (mkrootfs.sh version $SCRIPT_VERSION)"
    echo "kernel $kver"
    echo "tree $(du -sm "$ROOT" | cut -f1) MiB"
    chroot "$ROOT" dpkg-query -W -f '${Package} ${Version}\n' \
        docker.io containerd runc podman crun conmon catatonit systemd linux-image-amd64 busybox-static 2>/dev/null
} > "$TMPD/entry/info"

# mke2fs -d copies the tree (owners, modes, xattrs such as file
# capabilities, device nodes) into a fresh ext4 file system in a sparse file
if ! mke2fs -q -F -t ext4 -L rtvm -E lazy_itable_init=0,lazy_journal_init=0 \
        -d "$ROOT" "$TMPD/entry/rootfs.img" "$IMG_SIZE" 2> "$TMPD/mke2fs.err"; then
    cat "$TMPD/mke2fs.err" >&2
    die "mke2fs -d failed"
fi
T2=$(date +%s.%N)
awk -v a="$T0" -v b="$T1" -v c="$T2" 'BEGIN { printf "mmdebstrap %.1fs, mke2fs %.1fs, total %.1fs\n", b - a, c - b, c - a }' \
    >> "$TMPD/entry/info"
echo "image $(du -m "$TMPD/entry/rootfs.img" | cut -f1) MiB allocated, $IMG_SIZE apparent" >> "$TMPD/entry/info"
touch "$TMPD/entry/.complete"
rm -rf "$ENTRY"
mv "$TMPD/entry" "$ENTRY" || die "cannot populate $ENTRY"
# keep only this entry
for old in "$CACHE"/rootfs-*; do
    [ "$old" = "$ENTRY" ] || rm -rf "$old"
done
note "$(tail -n 2 "$ENTRY/info" | paste -sd';' | sed 's/;/; /g')"
echo "$ENTRY"
