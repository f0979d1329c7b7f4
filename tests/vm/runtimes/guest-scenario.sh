#!/bin/bash
# guest-scenario.sh - runs as root inside the real-runtime test VM (systemd
# PID 1, pure cgroup v2, Debian bookworm; see mkrootfs.sh and boot.sh).
#
# Input ($RTVM_IN, read-only): memtop (the binary under test), hog (static
# workload, see hog.c), bb.tar (a busybox root file system as a plain tar,
# with hog in /bin), optionally rtvm.conf.
# Output: $RTVM_OUT/result.tar, unpacked by run.sh, holding
#   containers.tsv   one line per container this script made (label runtime
#                    name id pid cgroup limit-asked), the ground truth for check.py
#   answers/         the runtimes' own answers: docker/podman inspect, podman
#                    pod inspect, ctr containers info, ctr task ls, machinectl
#                    show, /proc/PID/cgroup, the memory.max/memory.current chain
#                    from each main process's cgroup up to the root
#   memtop/          memtop's outputs (json, json --all, batch, live run over
#                    the OOM kill, --oom-backlog, --explain NAME, a tmux TUI shot)
#   capture/         a mirror of what memtop reads, usable as
#                    `memtop --root capture`: proc/..., sys/fs/cgroup/... (every
#                    cgroup's readable memory.* and cgroup.* files), runtime
#                    state (docker config.v2.json, containerd bundle
#                    config.json, podman containers.json, machined state)
#                    plus answers/journal-oom.export (the kill in journald's
#                    export format) and SCENARIO.txt
#   timings.txt      seconds per step
# stdout/stderr: a log with the guest's uptime per step.
#
# Quirks found while writing this (see README.md in this directory):
# * dockerd runs with "bridge": "none" and no iptables: every container is
#   --network none, and so are podman's; ctr's tasks get an empty netns.
# * The busybox image is imported three ways from one tar: `docker import`,
#   `podman import`, and `docker save` | `ctr images import` (ctr cannot
#   import a plain root file system tar).
# * The CRI-style containerd tasks are made with ctr, not a kubelet:
#   `--runc-systemd-cgroup --cgroup SLICE:cri-containerd:ID` gives the same
#   cgroup as containerd's CRI plugin with SystemdCgroup=true, and the CRI
#   annotations are set by hand with --annotation.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

IN=${RTVM_IN:-/run/rtvm/in}
OUT=${RTVM_OUT:-/run/rtvm/out}
W=/var/tmp/rtvm-result
A=$W/answers M=$W/memtop C=$W/capture
rm -rf "$W"; mkdir -p "$A" "$M" "$C"
CG=/sys/fs/cgroup
export PATH=/usr/local/bin:$PATH

up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "[$(up)] $*"; }
# errors are counted in a file: steps run in background subshells too
bad() { echo "[$(up)] SCENARIO-ERROR: $*"; echo "$*" >> "$W/errors.txt"; }
T_LAST=$(up)
step() {   # step NAME: record seconds since the previous step
    local now; now=$(up)
    awk -v n="$1" -v a="$T_LAST" -v b="$now" 'BEGIN { printf "%-28s %7.1f\n", n, b - a }' >> "$W/timings.txt"
    T_LAST=$now
}
# run CMD... with its output in the log, a failure counted
run() { "$@" 2>&1 | sed 's/^/    /'; local rc=${PIPESTATUS[0]}; [ "$rc" = 0 ] || bad "status $rc: $*"; return "$rc"; }
# wait_for SECONDS CMD...: poll until CMD succeeds
wait_for() { local n=$(( $1 * 5 )); shift; while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done; return 1; }

log "guest: $(uname -r), systemd $(systemctl --version | head -n 1 | cut -d' ' -f2), $(stat -fc %T $CG) on $CG, $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
echo "uptime at scenario start: $(up)" > "$W/timings.txt"
[ "$(stat -fc %T $CG)" = cgroup2fs ] || bad "/sys/fs/cgroup is not cgroup2"
echo "cgroup controllers at the root: $(cat $CG/cgroup.controllers); subtree_control: $(cat $CG/cgroup.subtree_control)"
install -m 755 "$IN/memtop" /usr/local/bin/memtop
install -m 755 "$IN/hog" /usr/local/bin/hog
# an ASan build of memtop must not fail a run over a leak report at exit only
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

ids=()          # labels in order
declare -A RT NAME ID PID NS ASK
# add LABEL RUNTIME EXPECTED-NAME ID PID LIMIT-ASKED [CTR-NAMESPACE]
add() { ids+=("$1"); RT[$1]=$2; NAME[$1]=$3; ID[$1]=$4; PID[$1]=$5; ASK[$1]=$6; NS[$1]=${7:--}; }

# ------------------------------------------------------------- daemons ----
log "starting containerd and docker"
run systemctl start containerd.service docker.service
wait_for 60 docker info >/dev/null 2>&1 || bad "dockerd does not answer"
step "start containerd+dockerd"
{ docker version --format 'docker {{.Server.Version}}'; containerd --version; runc --version | head -n 1
  podman --version; crun --version | head -n 1; conmon --version | head -n 1; systemctl --version | head -n 1
  memtop --version; } > "$A/versions.txt" 2>&1
docker info > "$A/docker-info.txt" 2>&1
log "docker: $(docker info --format 'cgroup driver {{.CgroupDriver}}, cgroup v{{.CgroupVersion}}, storage {{.Driver}}' 2>&1)"

# -------------------------------------------------------------- images ----
log "importing the busybox image"
# the three stores are independent: import in parallel (TCG is slow)
run docker import "$IN/bb.tar" bb:latest &
DI=$!
run podman import -q "$IN/bb.tar" localhost/bb:latest &
wait "$DI"
docker save bb:latest -o /var/tmp/bb-docker.tar || bad "docker save"
for ns in default k8s.io; do
    run ctr -n "$ns" images import /var/tmp/bb-docker.tar &
done
wait
CTR_IMG=docker.io/library/bb:latest
ctr -n default images ls -q | grep -qx "$CTR_IMG" || bad "ctr import did not give $CTR_IMG: $(ctr -n default images ls -q)"
step "import images"

# --------------------------------------------------------------- docker ----
log "docker containers"
drun() { docker run -d --network none "$@" >/dev/null || bad "docker run $*"; }
drun --name web --memory 64m bb hog 12 &
drun --name nolimit bb hog 6 &
# 16 MiB in the container's /dev/shm (tmpfs: shmem, charged to the container)
drun --name shm --memory 96m --shm-size 64m bb sh -c 'dd if=/dev/zero of=/dev/shm/blob bs=1M count=16 2>/dev/null; exec hog 2' &
{ docker run --name exited --network none bb true || bad "docker run exited"; } &
wait
for c in web nolimit shm; do
    add "docker/$c" docker "$c" "$(docker inspect -f '{{.Id}}' $c)" "$(docker inspect -f '{{.State.Pid}}' $c)" \
        "$(docker inspect -f '{{.HostConfig.Memory}}' $c)"
done
step "docker runs"

# --------------------------------------------------------------- podman ----
log "podman containers"
{ podman run -d --network none --name pm-plain --memory 48m localhost/bb hog 10 >/dev/null || bad "podman run pm-plain"; } &
# the pod's infra container runs hog as its pause process: podman's default
# infra image would be built locally first (slow under TCG)
if ! podman pod create --name pm-pod --network none --infra-image localhost/bb:latest \
        --infra-command /bin/hog >/dev/null 2>"$A/podman-pod-create.err"; then
    log "podman pod create with an infra container failed ($(tail -n 1 "$A/podman-pod-create.err")); retrying without"
    podman pod create --name pm-pod --network none --infra=false >/dev/null || bad "podman pod create"
fi
{ podman run -d --pod pm-pod --name pm-inpod --memory 40m localhost/bb hog 5 >/dev/null || bad "podman run --pod"; } &
{ podman run --network none --name pm-exited localhost/bb true || bad "podman run pm-exited"; } &
wait
for c in pm-plain pm-inpod; do
    add "podman/$c" podman "$c" "$(podman inspect -f '{{.Id}}' $c)" "$(podman inspect -f '{{.State.Pid}}' $c)" \
        "$(podman inspect -f '{{.HostConfig.Memory}}' $c)"
done
infra=$(podman pod inspect -f '{{.InfraContainerID}}' pm-pod 2>/dev/null)
if [ -n "$infra" ]; then
    add "podman/infra" podman "$(podman inspect -f '{{.Name}}' "$infra")" "$infra" \
        "$(podman inspect -f '{{.State.Pid}}' "$infra")" 0
fi
step "podman runs"

# ----------------------------------------------------------- containerd ----
log "containerd: CRI-style pod through ctr (systemd cgroup driver)"
POD_UID=3a1d0c8e-5b2f-4c9a-9e4d-7f6a5b4c3d2e
POD_SLICE=kubepods-burstable-pod${POD_UID//-/_}.slice
SB_ID=$(echo sandbox | sha256sum | cut -c1-64)
NG_ID=$(echo nginx | sha256sum | cut -c1-64)
SC_ID=$(echo sidecar | sha256sum | cut -c1-64)
# what kubelet does through systemd's D-Bus API: the node allocatable on
# kubepods.slice, the pod's limit on its slice
mkdir -p /run/systemd/system/kubepods.slice.d "/run/systemd/system/$POD_SLICE.d"
printf '[Slice]\nMemoryMax=%s\n' $((1024 << 20)) > /run/systemd/system/kubepods.slice.d/50-rtvm.conf
printf '[Slice]\nMemoryMax=%s\n' $((96 << 20)) > "/run/systemd/system/$POD_SLICE.d/50-rtvm.conf"
systemctl daemon-reload
cri=(--annotation io.kubernetes.cri.sandbox-namespace=prod
     --annotation io.kubernetes.cri.sandbox-name=web-7d9f
     --annotation io.kubernetes.cri.sandbox-uid=$POD_UID
     --annotation io.kubernetes.cri.sandbox-id=$SB_ID)
run ctr -n k8s.io run -d --null-io --runc-systemd-cgroup --cgroup "$POD_SLICE:cri-containerd:$SB_ID" \
    "${cri[@]}" --annotation io.kubernetes.cri.container-type=sandbox \
    "$CTR_IMG" "$SB_ID" hog
run ctr -n k8s.io run -d --null-io --runc-systemd-cgroup --cgroup "$POD_SLICE:cri-containerd:$NG_ID" \
    "${cri[@]}" --annotation io.kubernetes.cri.container-type=container \
    --annotation io.kubernetes.cri.container-name=nginx \
    "$CTR_IMG" "$NG_ID" hog 10 &
log "containerd: plain ctr tasks in cgroupfs paths"
run ctr -n default run -d --null-io --memory-limit 20971520 "$CTR_IMG" ctr-plain hog 4 &
# k8s.io namespace, default cgroup (/k8s.io/<id>), with CRI annotations
run ctr -n k8s.io run -d --null-io --memory-limit 33554432 \
    "${cri[@]}" --annotation io.kubernetes.cri.container-type=container \
    --annotation io.kubernetes.cri.container-name=sidecar \
    "$CTR_IMG" "$SC_ID" hog 3 &
wait
ctrpid() { ctr -n "$1" task ls | awk -v id="$2" '$1 == id { print $2 }'; }
add "containerd/sandbox" containerd "prod/web-7d9f (sandbox)" "$SB_ID" "$(ctrpid k8s.io "$SB_ID")" 0 k8s.io
add "containerd/nginx" containerd "prod/web-7d9f/nginx" "$NG_ID" "$(ctrpid k8s.io "$NG_ID")" 0 k8s.io
add "containerd/ctr-plain" containerd ctr-plain ctr-plain "$(ctrpid default ctr-plain)" 20971520 default
add "containerd/sidecar" containerd "prod/web-7d9f/sidecar" "$SC_ID" "$(ctrpid k8s.io "$SC_ID")" 33554432 k8s.io
step "ctr runs"

# --------------------------------------------------------------- nspawn ----
log "systemd-nspawn --register=yes and machinectl start"
mktree() {   # a minimal OS tree nspawn accepts: /usr and os-release present
    local d=/var/lib/machines/$1
    mkdir -p "$d"/{bin,usr/lib,etc,proc,sys,dev,tmp,run,var}
    cp /bin/busybox "$d/bin/busybox"
    for a in sh sleep cat; do ln -sf busybox "$d/bin/$a"; done
    cp /usr/local/bin/hog "$d/bin/hog"
    printf 'ID=busybox\nNAME=busybox\n' > "$d/usr/lib/os-release"
    ln -sf ../usr/lib/os-release "$d/etc/os-release"
}
mktree bbox
mktree bb2
# machinectl start runs systemd-nspawn@bb2.service (--boot -U --network-veth
# --settings=override); a trusted settings file turns it into a plain command
mkdir -p /etc/systemd/nspawn
printf '[Exec]\nBoot=no\nParameters=/bin/hog 7\nPrivateUsers=no\n[Network]\nVirtualEthernet=no\n' \
    > /etc/systemd/nspawn/bb2.nspawn
run systemd-run --quiet --unit rtvm-nspawn-bbox -p Type=simple \
    systemd-nspawn --quiet --register=yes -D /var/lib/machines/bbox -M bbox /bin/hog 5
run machinectl start bb2
leader() { machinectl show "$1" -p Leader --value 2>/dev/null; }
has_leader() { [ -n "$(leader "$1")" ]; }
wait_for 60 has_leader bbox || bad "machine bbox did not register"
wait_for 60 has_leader bb2 || bad "machine bb2 did not register"
run systemctl set-property --runtime systemd-nspawn@bb2.service MemoryMax=64M
add "nspawn/bbox" nspawn bbox bbox "$(leader bbox)" 0
add "nspawn/bb2" nspawn bb2 bb2 "$(leader bb2)" 67108864
step "nspawn runs"

# processes in place, memory.stat flushed (every 2 s)
sleep 3

# -------------------------------------------- OOM kill under a live memtop ----
# memtop reads kills from the journal by default and only those after it
# started: the live run spans the kill.  hog is the victim (a child of the
# container's sh, so the container lives on with its oom_history).
log "OOM kill in container oomer, memtop --json watching"
# it runs until the kill is in and a few ticks more, then gets SIGTERM (batch
# and JSON modes stop cleanly on it); -n bounds it should anything hang
memtop --json -n 300 -d 1 > "$M/live.ndjson" 2> "$M/live.err" &
LIVE=$!
sleep 2
drun --name oomer --memory 32m --memory-swap 32m bb sh -c 'sleep 2; hog oom; exec sleep 100000'
OOM_ID=$(docker inspect -f '{{.Id}}' oomer 2>/dev/null)
OOM_CG=$CG/system.slice/docker-$OOM_ID.scope
oomkills() { awk '$1 == "oom_kill" { print $2 }' "$OOM_CG/memory.events" 2>/dev/null; }
oom_seen() { [ "$(oomkills)" -ge 1 ] 2>/dev/null; }
[ -n "$OOM_ID" ] && wait_for 60 oom_seen || bad "no OOM kill in $OOM_CG"
log "oom_kill=$(oomkills) in $OOM_CG"
add "docker/oomer" docker oomer "$OOM_ID" "$(docker inspect -f '{{.State.Pid}}' oomer)" \
    "$(docker inspect -f '{{.HostConfig.Memory}}' oomer)"
sleep 5
kill -TERM "$LIVE" 2>/dev/null
wait "$LIVE" || bad "live memtop run failed: $(tail -n 3 "$M/live.err")"
step "oom kill + live memtop"

# ------------------------------------------------- ground truth + capture ----
# containers.tsv: label runtime expected-name id pid cgroup limit-asked ns
for l in "${ids[@]}"; do
    p=${PID[$l]}
    cgp=$(sed -n 's/^0:://p' "/proc/$p/cgroup" 2>/dev/null)
    [ -n "$p" ] && [ -n "$cgp" ] || bad "$l: no main process ($p)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$l" "${RT[$l]}" "${NAME[$l]}" "${ID[$l]}" "$p" "$cgp" "${ASK[$l]}" "${NS[$l]}"
done > "$W/containers.tsv"
log "containers:"; cut -f1,5,6 "$W/containers.tsv" | sed 's/^/    /'

# the reference run, then the kernel's files right after it
log "memtop --json -n 3 -d 1"
memtop --json -n 3 -d 1 > "$M/json.ndjson" 2> "$M/json.err" || bad "memtop --json failed: $(tail -n 3 "$M/json.err")"
step "memtop --json"

capture() {
    local dst=$1 d
    mkdir -p "$dst/sys/fs/cgroup" "$dst/proc/self" "$dst/proc/pressure" "$dst/proc/sys/kernel" "$dst/proc/sys/vm"
    # every cgroup's readable memory.*/cgroup.* files (not memory.numa_stat:
    # memtop does not read it and it is the biggest file); cp reads procfs-
    # like files whatever size stat reports
    (cd $CG && find . -type f \( -name 'memory.*' -o -name 'cgroup.*' \) -perm -u=r \
        ! -name memory.numa_stat ! -name cgroup.threads ! -name cgroup.max.depth ! -name cgroup.max.descendants \
        ! -name cgroup.freeze ! -name cgroup.kill -print0 |
        xargs -0 cp --parents -t "$dst/sys/fs/cgroup" 2>/dev/null)
    for f in meminfo vmstat version cgroups swaps pressure/memory sys/kernel/hostname sys/kernel/osrelease sys/vm/swappiness; do
        cat "/proc/$f" > "$dst/proc/$f"
    done
    cat /proc/self/mountinfo > "$dst/proc/self/mountinfo"
    # the processes in containers (memtop --processes reads status and
    # oom_score_adj); not the scenario's own service nor the root cgroup.
    # One cp for all (a fork per file is slow under TCG).
    local pids
    pids=$(cd $CG && find . -mindepth 2 -name cgroup.procs ! -path './system.slice/memtop-rtvm.service/*' \
           -exec cat {} + 2>/dev/null | sort -un)
    for p in $pids; do
        for f in status oom_score_adj cgroup comm cmdline statm; do echo "proc/$p/$f"; done
    done | (cd / && xargs -r cp --parents -t "$dst" 2>/dev/null)
}
capture "$C"
step "capture cgroup tree"

# runtime state files memtop reads for names, below the capture root
for id in $(docker ps -aq --no-trunc); do
    mkdir -p "$C/var/lib/docker/containers/$id"
    cp /var/lib/docker/containers/$id/config.v2.json /var/lib/docker/containers/$id/hostconfig.json \
        "$C/var/lib/docker/containers/$id/" 2>/dev/null
done
(cd / && find run/containerd/io.containerd.runtime.v2.task -maxdepth 3 -name config.json -print0 |
    xargs -0 -r cp --parents -t "$C")
(cd / && find var/lib/containers/storage/overlay-containers run/containers/storage/overlay-containers \
    \( -name containers.json -o -path '*/userdata/config.json' \) -size -256k -print0 2>/dev/null |
    xargs -0 -r cp --parents -t "$C")
(cd / && cp -a --parents run/systemd/machines "$C/" 2>/dev/null)
step "state files"

# the memory.max / memory.current chain of each main process
for l in "${ids[@]}"; do
    p=${PID[$l]}; f=$A/chain-${l//\//_}.txt
    cat "/proc/$p/cgroup" > "$A/proc-cgroup-${l//\//_}.txt" 2>/dev/null
    cgp=$(sed -n 's/^0:://p' "/proc/$p/cgroup" 2>/dev/null)
    : > "$f"
    while [ -n "$cgp" ]; do
        printf '%s\tmax=%s\tcurrent=%s\thigh=%s\n' "$cgp" "$(cat "$CG$cgp/memory.max" 2>/dev/null || echo -)" \
            "$(cat "$CG$cgp/memory.current" 2>/dev/null || echo -)" "$(cat "$CG$cgp/memory.high" 2>/dev/null || echo -)" >> "$f"
        [ "$cgp" = / ] && break
        cgp=$(dirname "$cgp")
    done
done

# --------------------------------------------------------------- answers ----
log "collecting the runtimes' answers"
{ docker inspect web nolimit shm exited oomer > "$A/docker-inspect.json" 2>&1
  docker ps -a --no-trunc > "$A/docker-ps.txt" 2>&1; } &
{ podman inspect pm-plain pm-inpod pm-exited ${infra:+"$infra"} > "$A/podman-inspect.json" 2>&1
  podman pod inspect pm-pod > "$A/podman-pod-inspect.json" 2>&1
  podman ps -a --no-trunc --pod > "$A/podman-ps.txt" 2>&1; } &
for ns in default k8s.io; do
    ctr -n "$ns" task ls > "$A/ctr-tasks-$ns.txt" 2>&1
    for c in $(ctr -n "$ns" containers ls -q); do
        ctr -n "$ns" containers info "$c" > "$A/ctr-info-$ns-${c:0:12}.json" 2>&1
    done
done
machinectl list --no-pager --all > "$A/machinectl-list.txt" 2>&1
for mname in bbox bb2; do
    machinectl show "$mname" > "$A/machinectl-show-$mname.txt" 2>&1
    # the machine's limit as systemd (its runtime here) reports it
    systemctl show -p Id -p ControlGroup -p MemoryMax -p MemoryCurrent \
        "$(machinectl show "$mname" -p Unit --value)" > "$A/machine-unit-$mname.txt" 2>&1
done
systemctl status --no-pager -n 0 rtvm-nspawn-bbox.service systemd-nspawn@bb2.service > "$A/systemctl-status-nspawn.txt" 2>&1
systemd-cgls --no-pager -a > "$A/systemd-cgls.txt" 2>&1
(cd $CG && find . -type d | sort) > "$A/cgroup-dirs.txt"
journalctl -k -b --no-pager -o short-monotonic > "$A/kernel.log" 2>&1
# the OOM kill as journald stored it, in export format, only the records
# memtop parses (the report's head, the oom-kill summary, the kill line)
journalctl -k -b -o export | awk 'BEGIN { RS = ""; ORS = "\n\n" }
    /MESSAGE=[^\n]*(invoked oom-killer|oom-kill:|Killed process|Memory cgroup out of memory|Tasks in .* are going to be killed)/' \
    > "$A/journal-oom.export"
wait
step "runtime answers"

# ------------------------------------------------------------- memtop --
log "memtop --json --all, -b, --oom-backlog, --explain, TUI"
memtop --json --all -n 2 -d 1 > "$M/json-all.ndjson" 2> "$M/json-all.err" || bad "memtop --json --all"
memtop -b -n 2 -d 1 > "$M/batch.txt" 2> "$M/batch.err" || bad "memtop -b"
memtop --json -n 1 --oom-backlog > "$M/backlog.ndjson" 2> "$M/backlog.err" || bad "memtop --oom-backlog"
: > "$M/explain.tsv"
explain() {    # explain KEY NAME: output in explain-KEY.txt, status in explain.tsv
    memtop --explain "$2" -n 1 > "$M/explain-$1.txt" 2>&1
    printf '%s\t%s\t%s\n' "$1" "$2" "$?" >> "$M/explain.tsv"
}
explain docker-name web
explain docker-id "${ID[docker/web]:0:12}"
explain podman-name pm-plain
explain podman-path "$(sed -n 's/^0:://p' "/proc/${PID[podman/pm-plain]}/cgroup" | sed 's,/container$,,')"
explain cri-name nginx
explain cri-pod-name web-7d9f/nginx
explain cri-full-name prod/web-7d9f/nginx
explain cri-id "${NG_ID:0:12}"
explain ctr-plain-name ctr-plain
explain ctr-plain-path /default/ctr-plain
explain oomer oomer
explain nspawn bbox
step "memtop runs"

if command -v tmux >/dev/null; then
    tmux new-session -d -s rtvm -x 160 -y 40 "memtop -d 1" 2> "$M/tui.err"
    sleep 6
    tmux capture-pane -p -t rtvm > "$M/tui.txt" 2>> "$M/tui.err"
    tmux send-keys -t rtvm q 2>/dev/null; sleep 1
    tmux kill-server 2>/dev/null
    grep -q oomer "$M/tui.txt" || bad "the TUI screen does not show oomer"
fi
step "tmux TUI"

# the same view from the capture (as memtop --root on a fixture would see it)
memtop --root "$C" --no-bus --oom-source none --json -n 1 > "$M/root-capture.ndjson" 2> "$M/root-capture.err" ||
    bad "memtop --root capture failed: $(cat "$M/root-capture.err")"

{
    echo "Captured by tests/vm/runtimes/guest-scenario.sh in a qemu (TCG) guest:"
    echo "Debian bookworm, systemd PID 1, pure cgroup v2, kernel $(uname -r)."
    cat "$A/versions.txt"
    echo
    echo "label runtime expected-name id pid cgroup limit-asked ctr-namespace:"
    cat "$W/containers.tsv"
    echo
    echo "timings (s):"
    cat "$W/timings.txt"
    echo
    echo "exited containers (no cgroup): docker 'exited', podman 'pm-exited'"
    echo "OOM kill: docker 'oomer' (--memory 32m), victim hog (a child of the container's sh)"
} > "$C/SCENARIO.txt"


cp "$A/journal-oom.export" "$C/journal-oom.export"
du -sk "$C" | awk '{ print "capture: " $1 " KiB" }'
log "writing result.tar"
tar -C "$W" -cf "$OUT/result.tar" . || bad "cannot write $OUT/result.tar"
FAILS=$(cat "$W/errors.txt" 2>/dev/null | wc -l)
log "scenario done, $FAILS errors"
cat "$W/timings.txt"
[ "$FAILS" = 0 ]
