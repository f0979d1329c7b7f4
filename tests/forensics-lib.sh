# forensics-lib.sh - sourced by the names/OOM shell tests: builds a small
# cgroup v2 fixture tree with container runtimes' files in a temp dir (so
# tests can change it while memtop runs), and a JSON query helper.  The
# generic helpers (ok/fail/finish, scratch_dir, skip_all) are tests/lib.sh's.

. "${top_srcdir:-.}/tests/lib.sh"
bad() { fail "$@"; }

# 64-hex ids derived from a word, stable across runs.
hexid() { printf '%s' "$1" | sha256sum | cut -c1-64; }

ID_WEB=$(hexid web)             # docker, named
ID_BAD=$(hexid bad)             # docker, malformed config.v2.json
ID_LOCK=$(hexid lock)           # docker, config unreadable for non-root
ID_NGINX=$(hexid nginx)         # containerd (CRI) app container
ID_PAUSE=$(hexid pause)         # containerd sandbox
ID_CRIO=$(hexid crio)           # CRI-O container
ID_LOGS=$(hexid logs)           # containerd without bundle: kubelet logs only
ID_PODMAN=$(hexid podman)       # podman
ID_OOM=$(hexid oom)             # docker, target of OOM fixtures
UID_A=3f2b0c1e-6d7a-4a8e-9c1b-2f4e6a8b0c12
UID_B=9a8b7c6d-1111-2222-3333-444455556666
UID_C=0badf00d-aaaa-bbbb-cccc-ddddeeeeffff

# cgroup dir with v2 memory files: $1 = dir, $2 = usage bytes, $3 = max
mkcg() {
    mkdir -p "$1"
    echo "$2" > "$1/memory.current"
    echo "${3:-max}" > "$1/memory.max"
    echo max > "$1/memory.high"
    printf 'anon %s\nfile 0\ninactive_file 0\nactive_file 0\ninactive_anon %s\nactive_anon 0\nshmem 0\n' \
        "$2" "$2" > "$1/memory.stat"
    printf 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n' > "$1/memory.events"
}

make_tree() {
    t=$1
    mkdir -p "$t/proc/self" "$t/sys/fs/cgroup" "$t/dev"
    echo '25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw' \
        > "$t/proc/self/mountinfo"
    printf 'MemTotal:        1000000 kB\nMemFree:          500000 kB\nMemAvailable:     600000 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n' \
        > "$t/proc/meminfo"
    cg=$t/sys/fs/cgroup
    echo memory > "$cg/cgroup.controllers"
    printf 'anon 0\nfile 0\ninactive_file 0\n' > "$cg/memory.stat"
    mkcg "$cg/system.slice" 0
    mkcg "$cg/system.slice/foo\\x2dbar.service" 1048576
    for id in "$ID_WEB" "$ID_BAD" "$ID_LOCK" "$ID_OOM"; do
        mkcg "$cg/system.slice/docker-$id.scope" 4194304 67108864
    done
    kp=$cg/kubepods.slice/kubepods-burstable.slice
    pa=$kp/kubepods-burstable-pod$(echo "$UID_A" | tr - _).slice
    pb=$kp/kubepods-burstable-pod$(echo "$UID_B" | tr - _).slice
    pc=$kp/kubepods-burstable-pod$(echo "$UID_C" | tr - _).slice
    mkcg "$cg/kubepods.slice" 0
    mkcg "$kp" 0
    mkcg "$pa" 0 201326592
    mkcg "$pa/cri-containerd-$ID_NGINX.scope" 8388608
    mkcg "$pa/cri-containerd-$ID_PAUSE.scope" 65536
    mkcg "$pb" 0
    mkcg "$pb/crio-$ID_CRIO.scope" 8388608
    mkcg "$pc" 0
    mkcg "$pc/cri-containerd-$ID_LOGS.scope" 8388608
    mkcg "$cg/machine.slice" 0
    mkcg "$cg/machine.slice/libpod-$ID_PODMAN.scope" 8388608
    mkcg "$cg/machine.slice/machine-my\\x2dvm.scope" 8388608
    mkcg "$cg/lxc.payload.mybox" 8388608

    # Docker
    d=$t/var/lib/docker/containers
    mkdir -p "$d/$ID_WEB" "$d/$ID_BAD" "$d/$ID_LOCK"
    printf '{"ID":"%s","Name":"/web-1","Config":{"Hostname":"x"}}' "$ID_WEB" \
        > "$d/$ID_WEB/config.v2.json"
    printf '{"ID":"%s","Name":"/broken' "$ID_BAD" > "$d/$ID_BAD/config.v2.json"
    printf '{"ID":"%s","Name":"/locked"}' "$ID_LOCK" > "$d/$ID_LOCK/config.v2.json"
    chmod 600 "$d/$ID_LOCK/config.v2.json"
    # containerd (CRI): OCI bundles in the k8s.io namespace
    b=$t/run/containerd/io.containerd.runtime.v2.task/k8s.io
    mkdir -p "$b/$ID_NGINX" "$b/$ID_PAUSE"
    cat > "$b/$ID_NGINX/config.json" <<EOF
{"ociVersion":"1.0.2","process":{"args":["nginx"]},"annotations":{
 "io.kubernetes.cri.container-type":"container",
 "io.kubernetes.cri.container-name":"nginx",
 "io.kubernetes.cri.sandbox-id":"$ID_PAUSE",
 "io.kubernetes.cri.sandbox-name":"web-7d9f",
 "io.kubernetes.cri.sandbox-namespace":"prod",
 "io.kubernetes.cri.sandbox-uid":"$UID_A"}}
EOF
    cat > "$b/$ID_PAUSE/config.json" <<EOF
{"ociVersion":"1.0.2","annotations":{
 "io.kubernetes.cri.container-type":"sandbox",
 "io.kubernetes.cri.sandbox-id":"$ID_PAUSE",
 "io.kubernetes.cri.sandbox-name":"web-7d9f",
 "io.kubernetes.cri.sandbox-namespace":"prod",
 "io.kubernetes.cri.sandbox-uid":"$UID_A"}}
EOF
    # CRI-O: bundle below containers/storage; the name has an escape in it
    c=$t/var/lib/containers/storage/overlay-containers
    mkdir -p "$c/$ID_CRIO/userdata"
    cat > "$c/$ID_CRIO/userdata/config.json" <<EOF
{"ociVersion":"1.0.2","annotations":{
 "io.kubernetes.cri-o.ContainerType":"container",
 "io.kubernetes.container.name":"redis\u001b[31m",
 "io.kubernetes.pod.name":"cache-0",
 "io.kubernetes.pod.namespace":"data",
 "io.kubernetes.pod.uid":"$UID_B"}}
EOF
    # podman: containers/storage's container list
    printf '[{"id":"%s","names":["pg-main"],"image":"x"},{"id":"%s","names":["other"]}]' \
        "$ID_PODMAN" "$ID_WEB" > "$c/containers.json"
    # kubelet log layout only
    mkdir -p "$t/var/log/pods/batch_job-x1_$UID_C/worker" "$t/var/log/containers"
    : > "$t/var/log/containers/job-x1_batch_worker-$ID_LOGS.log"
}

# oom_fixture: python3 or skip; $tmp (see scratch_dir) holding the tree in
# R=$tmp/root; OOMCG is the docker container the OOM fixtures kill in.
oom_fixture() {
    [ -n "$PY" ] || skip_all "needs python3"
    scratch_dir
    make_tree "$tmp/root"
    R=$tmp/root
    OOMCG=/system.slice/docker-$ID_OOM.scope
}

# Print the value of a python expression over entry "c" of the last JSON
# line whose "id" (or "path" for pods) matches: jq-less and exact.
#   jget FILE ID EXPR
jget() {
    python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
c = None
if lines:
    for x in lines[-1]["cgroups"]:
        if x.get("id") == sys.argv[2] or x.get("pod_uid") == sys.argv[2] and x["kind"] == "pod":
            c = x
print(eval(sys.argv[3]) if c is not None else "<missing>")
EOF
}
