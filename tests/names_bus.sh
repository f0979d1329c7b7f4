#!/bin/sh
# names_bus.sh - machine names from systemd-machined over D-Bus: a private
# dbus-daemon with a mock org.freedesktop.machine1 (tests/mock_machined.py)
# stands in for the system bus (DBUS_SYSTEM_BUS_ADDRESS / --bus-address).
# Checks the names and name_source in JSON, that runtime files still win,
# --no-bus and a missing bus (cgroup-derived names, exit 0, quiet), one
# ListMachines per names generation, and that a machined that takes 5 s to
# answer delays memtop's first tick by well under a second.
set -u
. "${top_srcdir:-.}/tests/forensics-lib.sh"

skip() { echo "SKIP: $1"; echo "0 passed, 0 failed"; exit 77; }
command -v dbus-daemon >/dev/null 2>&1 || skip "needs dbus-daemon (Debian: dbus-daemon)"
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import dbus, dbus.mainloop.glib; from gi.repository import GLib' 2>/dev/null; then
        PY=$p
        break
    fi
done
[ -n "$PY" ] || skip "needs python3 with dbus and gi (Debian: python3-dbus python3-gi)"
MOCK=${top_srcdir:-.}/tests/mock_machined.py

tmp=$(mktemp -d)
daemon_pid=""
mock_pids=""
cleanup() {
    for p in $mock_pids $daemon_pid; do
        kill "$p" 2>/dev/null
    done
    for p in $mock_pids $daemon_pid; do
        wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---- fixture: machine cgroups next to the names fixture's containers -----
machine_tree() { # root
    make_tree "$1"
    cg=$1/sys/fs/cgroup
    mkcg "$cg/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope" 16777216
    mkcg "$cg/machine.slice/systemd-nspawn@box.service" 8388608
    mkcg "$cg/machine.slice/systemd-nspawn@box.service/payload" 8388608
    mkcg "$cg/machine.slice/machine-plain.scope" 4194304
    # a user manager's unit of the same name is another unit
    mkcg "$cg/user.slice/user-1000.slice/user@1000.service/machine-plain2.scope" 4096
}
# root: the bus socket is the tree's own run/dbus/system_bus_socket;
# bare: no socket
machine_tree "$tmp/bare"
machine_tree "$tmp/root"
mkdir -p "$tmp/root/run/dbus"
SOCK=$tmp/root/run/dbus/system_bus_socket
cat > "$tmp/machines.json" <<EOF
[["vm1", "vm", "libvirt-qemu", "machine-qemu\\\\x2d1\\\\x2dvm1.scope"],
 ["box", "container", "nspawn", "systemd-nspawn@box.service"],
 ["my\\u001b[31mvm", "container", "nspawn", "machine-my\\\\x2dvm.scope"],
 ["libpod-$(echo "$ID_PODMAN" | cut -c1-12)", "container", "podman", "libpod-$ID_PODMAN.scope"],
 ["sneaky", "container", "nspawn", "../../machine-plain.scope"],
 ["plain2", "container", "nspawn", "machine-plain2.scope"]]
EOF

# ---- a private bus and the mock -------------------------------------------
cat > "$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$SOCK</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$tmp/bus.conf" --nofork > "$tmp/daemon.log" 2>&1 &
daemon_pid=$!
ADDR=unix:path=$SOCK
i=0
until [ -S "$SOCK" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$SOCK" ] || { bad "dbus-daemon did not start: $(cat "$tmp/daemon.log")"; finish; exit 1; }

# start_mock TAG [mock options]: sets mock_pid, waits until the name is owned
start_mock() {
    tag=$1
    shift
    "$PY" "$MOCK" "$ADDR" "$tmp/machines.json" "$tmp/ready.$tag" "$@" \
        > "$tmp/mock.$tag.log" 2>&1 &
    mock_pid=$!
    mock_pids="$mock_pids $mock_pid"
    i=0
    until [ -s "$tmp/ready.$tag" ] || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done
    [ -s "$tmp/ready.$tag" ] || { bad "mock $tag did not start: $(cat "$tmp/mock.$tag.log")"; return 1; }
}
stop_mock() {
    kill "$mock_pid" 2>/dev/null
    wait "$mock_pid" 2>/dev/null
}

# pget FILE PATH-SUFFIX EXPR: a python expression over the entry "c" whose
# path ends with PATH-SUFFIX, in the last tick of FILE
pget() {
    python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
c = None
if lines:
    for x in lines[-1]["cgroups"]:
        if x["path"].endswith(sys.argv[2]):
            c = x
print(eval(sys.argv[3]) if c is not None else "<missing>")
EOF
}
pexpect() { # file suffix expr want what
    got=$(pget "$1" "$2" "$3")
    if [ "$got" = "$4" ]; then ok "$5: $got"; else bad "$5: got '$got', want '$4'"; fi
}
VM='/machine-qemu\x2d1\x2dvm1.scope'
BOX=/systemd-nspawn@box.service
MYVM='/machine-my\x2dvm.scope'
PLAIN=/machine-plain.scope
PODMAN=/libpod-$ID_PODMAN.scope
NAMES='(c["name"], c.get("name_source"))'

start_mock main --log "$tmp/calls.main" || { finish; exit 1; }

# ---- names from the mock ----------------------------------------------------
out=$tmp/out.json
t0=$(now)
if DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" --json -n 1 -a \
    > "$out" 2> "$tmp/err"; then
    ok "memtop runs with the mock machined"
else
    bad "memtop failed: $(cat "$tmp/err")"
fi
echo "note: one tick with the mock machined answering: $(elapsed "$t0" "$(now)") s"
if [ -s "$tmp/err" ]; then bad "stderr not empty: $(cat "$tmp/err")"; else ok "nothing on stderr"; fi
pexpect "$out" "$VM" "$NAMES" "('vm1', 'machined')" "libvirt VM named by machined"
pexpect "$out" "$VM" '(c["container_name"], c["machine_class"], c["machine_service"])' \
    "('vm1', 'vm', 'libvirt-qemu')" "machine JSON fields"
pexpect "$out" "$BOX" "$NAMES" "('box', 'machined')" "nspawn@ service named by machined"
pexpect "$out" "$BOX" 'c["kind"]' "container" "systemd-nspawn@box.service is a container"
pexpect "$out" "$MYVM" "$NAMES" "('my?[31mvm', 'machined')" "escape in a machine name sanitized"
pexpect "$out" "$PODMAN" "$NAMES" "('pg-main', 'podman')" "podman's own name wins over machined"
pexpect "$out" "$PLAIN" "$NAMES" "('nspawn:plain', 'cgroup')" \
    "unregistered machine keeps its cgroup name (no match on an invalid unit)"
pexpect "$out" "/user@1000.service/machine-plain2.scope" 'c["name"]' "machine-plain2.scope" \
    "a user manager's unit of the same name is not the machine"
pexpect "$out" "$BOX/payload" 'c["name"]' "payload" "a machine's child keeps its name"

# --bus-address instead of the environment
DBUS_SYSTEM_BUS_ADDRESS= "$MEMTOP" --root "$tmp/root" --json -n 1 --bus-address "$ADDR" \
    > "$out" 2> "$tmp/err"
pexpect "$out" "$VM" "$NAMES" "('vm1', 'machined')" "--bus-address"

# no address at all: the socket below --root
env -u DBUS_SYSTEM_BUS_ADDRESS "$MEMTOP" --root "$tmp/root" --json -n 1 > "$out" 2> "$tmp/err"
pexpect "$out" "$VM" "$NAMES" "('vm1', 'machined')" "the bus socket below --root"

# The batch table shows the machine names too.
DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" -b -n 1 > "$tmp/batch.txt" 2>&1
if grep -q '^vm1 ' "$tmp/batch.txt" || grep -q ' vm1 ' "$tmp/batch.txt"; then
    ok "batch output shows vm1"
else
    bad "batch output lacks vm1: $(cat "$tmp/batch.txt")"
fi

# ---- once per names generation -----------------------------------------------
: > "$tmp/calls.main"
DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" --json -n 5 -d 0.2 > "$out" 2> "$tmp/err"
n=$(grep -c ListMachines "$tmp/calls.main")
if [ "$n" -eq 1 ]; then ok "one ListMachines over 5 ticks without new containers"; else bad "ListMachines called $n times over 5 ticks"; fi
# a new container mid-run: machined is asked again, once
: > "$tmp/calls.main"
: > "$out"
"$MEMTOP" --root "$tmp/root" --json -n 40 -d 0.2 --bus-address "$ADDR" > "$out" 2> "$tmp/err" &
mt=$!
i=0
until [ -s "$out" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
mkcg "$tmp/root/sys/fs/cgroup/machine.slice/machine-late.scope" 4096
i=0
until [ "$(grep -c 'machine-late' "$out" 2>/dev/null)" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.05; i=$((i + 1)); done
kill "$mt" 2>/dev/null
wait "$mt" 2>/dev/null
n=$(grep -c ListMachines "$tmp/calls.main")
if [ "$n" -eq 2 ]; then ok "asked again once when a container appeared"; else bad "ListMachines called $n times (want 2): $(cat "$tmp/calls.main"; grep -c machine-late "$out"; wc -l < "$out")"; fi
pexpect "$out" "$VM" "$NAMES" "('vm1', 'machined')" "names kept across generations"

# ---- --no-bus and no bus at all: the cgroup-derived names, quietly -----------
check_cgroup_names() { # what
    pexpect "$out" "$VM" "$NAMES" "('libvirt:qemu-1-vm1', 'cgroup')" "$1: libvirt VM"
    pexpect "$out" "$BOX" "$NAMES" "('nspawn:box', 'cgroup')" "$1: nspawn@ service"
    pexpect "$out" "$PODMAN" "$NAMES" "('pg-main', 'podman')" "$1: podman"
    if [ -s "$tmp/err" ]; then bad "$1: stderr: $(cat "$tmp/err")"; else ok "$1: nothing on stderr"; fi
}
if DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" --json -n 1 --no-bus \
    > "$out" 2> "$tmp/err"; then ok "--no-bus exits 0"; else bad "--no-bus failed"; fi
check_cgroup_names "--no-bus"
if DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/nobus "$MEMTOP" --root "$tmp/root" --json -n 1 \
    > "$out" 2> "$tmp/err"; then ok "no bus at the address: exit 0"; else bad "no bus: exit $?"; fi
check_cgroup_names "no bus"
if env -u DBUS_SYSTEM_BUS_ADDRESS "$MEMTOP" --root "$tmp/bare" --json -n 1 \
    > "$out" 2> "$tmp/err"; then ok "fixture root without a bus socket: exit 0"; else bad "fixture root: exit $?"; fi
check_cgroup_names "fixture root"
# with MEMTOP_DEBUG, one note says why
MEMTOP_DEBUG=1 DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/nobus "$MEMTOP" --root "$tmp/root" \
    --json -n 3 -d 0.2 > "$out" 2> "$tmp/err"
n=$(grep -c 'machined: no system bus' "$tmp/err")
if [ "$n" -eq 1 ]; then ok "MEMTOP_DEBUG: one note"; else bad "MEMTOP_DEBUG notes: $n: $(cat "$tmp/err")"; fi
# the bus is there but machined is not
stop_mock
DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" --json -n 1 > "$out" 2> "$tmp/err"
check_cgroup_names "no machined on the bus"

# ---- a machined that hangs for 5 s ---------------------------------------
run_time() { # extra env... -- prints seconds of a one-tick run
    t0=$(now)
    env "$@" "$MEMTOP" --root "$tmp/root" --json -n 1 > "$out" 2> "$tmp/err"
    elapsed "$t0" "$(now)"
}
base=$(run_time DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/nobus)
start_mock slow --delay 5 || { finish; exit 1; }
slow=$(run_time DBUS_SYSTEM_BUS_ADDRESS=$ADDR)
echo "note: first tick without a bus ${base}s, with a machined hanging 5 s ${slow}s"
if awk -v a="$base" -v b="$slow" 'BEGIN { exit !(b - a < 1.0) }'; then
    ok "a hanging machined costs < 1 s ($(elapsed "$base" "$slow") s)"
else
    bad "a hanging machined delayed the first tick by $(elapsed "$base" "$slow") s"
fi
pexpect "$out" "$VM" "$NAMES" "('libvirt:qemu-1-vm1', 'cgroup')" "no name while machined hangs"
# ... and its late answer is still used by later ticks (the mock may still
# be busy with the previous run's call: allow two delays)
: > "$out"
DBUS_SYSTEM_BUS_ADDRESS=$ADDR "$MEMTOP" --root "$tmp/root" --json -n 60 -d 0.25 \
    > "$out" 2> "$tmp/err" &
mt=$!
i=0
until grep -q '"name":"vm1"' "$out" 2>/dev/null || [ $i -ge 300 ]; do sleep 0.05; i=$((i + 1)); done
kill "$mt" 2>/dev/null
wait "$mt" 2>/dev/null
first=$(head -n 1 "$out" | grep -c '"name":"vm1"')
if grep -q '"name":"vm1"' "$out" && [ "$first" -eq 0 ]; then
    ok "late answer used by a later tick"
else
    bad "late answer: first tick has vm1: $first; later: $(grep -c '"name":"vm1"' "$out")"
fi

finish
