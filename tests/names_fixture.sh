#!/bin/sh
# names_fixture.sh - container and pod names from runtime files in a fixture
# tree: Docker, containerd (CRI), CRI-O, podman, kubelet logs, LXC, nspawn,
# systemd units; malformed and unreadable files fall back to runtime:id.
set -u
. "${top_srcdir:-.}/tests/forensics-lib.sh"

[ -n "$PY" ] || skip_all "needs python3"
scratch_dir
make_tree "$tmp/root"
out=$tmp/out.json

if "$MEMTOP" --root "$tmp/root" --json -n 1 -a > "$out" 2> "$tmp/err"; then
    ok "memtop runs on the names fixture"
else
    bad "memtop failed: $(cat "$tmp/err")"
fi

expect() { # id expr want what
    got=$(jget "$out" "$1" "$2")
    if [ "$got" = "$3" ]; then ok "$4: $got"; else bad "$4: got '$got', want '$3'"; fi
}

expect "$ID_WEB" 'c["name"]' "web-1" "docker config.v2.json Name"
expect "$ID_WEB" 'c["name_source"]' "docker" "docker name source"
expect "$ID_BAD" 'c["name"]' "docker:$(echo "$ID_BAD" | cut -c1-12)" "malformed JSON falls back"
expect "$ID_NGINX" 'c["name"]' "prod/web-7d9f/nginx" "containerd CRI annotations"
expect "$ID_NGINX" '(c["namespace"], c["pod_name"], c["container_name"], c["container_type"])' \
    "('prod', 'web-7d9f', 'nginx', 'container')" "containerd JSON name fields"
expect "$ID_PAUSE" 'c["name"]' "prod/web-7d9f (sandbox)" "containerd sandbox"
expect "$UID_A" 'c["name"]' "prod/web-7d9f" "pod named from its containers' annotations"
expect "$ID_CRIO" 'c["name"]' "data/cache-0/redis?[31m" "CRI-O annotations, escape sanitized"
expect "$ID_CRIO" 'c["container_name"]' "redis?[31m" "CRI-O container_name sanitized in JSON"
expect "$UID_B" '(c["namespace"], c["pod_name"])' "('data', 'cache-0')" "CRI-O pod JSON fields"
expect "$ID_LOGS" 'c["name"]' "batch/job-x1/worker" "kubelet /var/log/containers fallback"
expect "$UID_C" 'c["name"]' "batch/job-x1" "kubelet /var/log/pods fallback"
expect "$ID_PODMAN" 'c["name"]' "pg-main" "podman containers.json"
expect "mybox" '(c["name"], c["container_name"])' "('lxc:mybox', 'mybox')" "LXC payload name"
expect "my-vm" '(c["name"], c["container_name"])' "('nspawn:my-vm', 'my-vm')" \
    "nspawn machine name unescaped"
got=$(python3 - "$out" <<'EOF'
import json, sys
t = [json.loads(l) for l in open(sys.argv[1])][-1]
print([c["name"] for c in t["cgroups"] if c["path"].endswith("bar.service")])
EOF
)
if [ "$got" = "['foo-bar.service']" ]; then ok "unit name unescaped"; else bad "unit name: $got"; fi

# Configurable locations: with a wrong docker root the name is not found.
"$MEMTOP" --root "$tmp/root" --json -n 1 --docker-root /nonexistent > "$out"
expect "$ID_WEB" 'c["name"]' "docker:$(echo "$ID_WEB" | cut -c1-12)" "--docker-root is honored"
mv "$tmp/root/run/containerd" "$tmp/root/ctrd"
"$MEMTOP" --root "$tmp/root" --json -n 1 --containerd-state /ctrd > "$out"
expect "$ID_NGINX" 'c["name"]' "prod/web-7d9f/nginx" "--containerd-state DIR"
mv "$tmp/root/var/log/pods" "$tmp/root/plogs"
"$MEMTOP" --root "$tmp/root" --json -n 1 --pods-log-dir plogs > "$out"
expect "$UID_C" 'c["name"]' "batch/job-x1" "--pods-log-dir DIR"
"$MEMTOP" --root "$tmp/root" --json -n 1 --no-names > "$out"
expect "$ID_NGINX" 'c["name"]' "containerd:$(echo "$ID_NGINX" | cut -c1-12)" "--no-names"

# Non-root: an unreadable config means runtime + short id, nothing fails.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    chmod 755 "$tmp"
    chmod -R a+rX "$tmp/root"
    chmod 600 "$tmp/root/var/lib/docker/containers/$ID_LOCK/config.v2.json"
    if setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$MEMTOP" --root "$tmp/root" --json -n 1 > "$out" 2> "$tmp/err"; then
        ok "memtop runs as nobody"
    else
        bad "memtop as nobody failed: $(cat "$tmp/err")"
    fi
    expect "$ID_LOCK" 'c["name"]' "docker:$(echo "$ID_LOCK" | cut -c1-12)" "unreadable config (non-root)"
    expect "$ID_WEB" 'c["name"]' "web-1" "readable config still named as non-root"
else
    echo "note: not root or no setpriv: the non-root check is skipped"
fi

# Runtime state that shows up later is looked for again when a new
# container appears (runtime directories are probed once per appearance,
# not once per container).
mv "$tmp/root/var/lib/docker" "$tmp/root/docker.away"
: > "$out"
( i=0
  while [ ! -s "$out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  mv "$tmp/root/docker.away" "$tmp/root/var/lib/docker"
  mkcg "$tmp/root/sys/fs/cgroup/system.slice/docker-$(hexid late).scope" 4096 ) &
"$MEMTOP" --root "$tmp/root" --json -n 40 -d 0.2 > "$out" 2> "$tmp/err" &
mt=$!
i=0
until [ "$(grep -c "$(hexid late)" "$out" 2>/dev/null)" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.05; i=$((i + 1)); done
kill "$mt" 2>/dev/null
wait
got=$(python3 - "$out" "$ID_WEB" <<'EOF'
import json, sys
ticks = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
name = lambda t: [c["name"] for c in t["cgroups"] if sys.argv[2] in c["path"]]
print(name(ticks[0]), name(ticks[-1]))
EOF
)
want="['docker:$(echo "$ID_WEB" | cut -c1-12)'] ['web-1']"
if [ "$got" = "$want" ]; then ok "docker state found after a new container appeared"; else bad "late docker state: got $got, want $want"; fi

finish
