#!/bin/sh
# hostile.sh - memtop (the binary) on a fixture tree built at test time
# with hostile cgroup names (ESC sequences, C1 bytes raw and UTF-8
# encoded, newline, invalid UTF-8, 255 bytes), absurd memory.stat files,
# and with every file unreadable (as an unprivileged user via setpriv, since
# root ignores permissions).  Nothing may crash and neither the batch table
# nor the JSON may carry a raw control byte.
# The interactive UI on the same kind of names, resized to 10x3 and back,
# is tests/tui-hostile.sh.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
root=$tmp/root
cp -a "$FIXTURES/v1-layouts/." "$root/"
mem=$root/sys/fs/cgroup/memory
tmpl=$mem/docker/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1

mkcg() {   # mkcg NAME: a container-like cgroup with the template's files
    mkdir "$mem/docker/$1" && cp "$tmpl"/memory.* "$mem/docker/$1/"
}
long=$(printf '%0255d' 0 | tr 0 x)
mkcg "$(printf 'esc\033[2J\033]0;pwned\007x')" &&
mkcg "$(printf 'c1utf8\302\2331;31m\302\234')" &&
mkcg "$(printf 'c1raw\233\205x')" &&
mkcg "$(printf 'new\nline')" &&
mkcg "$(printf 'bad\377\376\300\200utf8')" &&
mkcg "$(printf 'docker-\033\033\033.scope')" &&
mkcg "$long" || skip_all "cannot create hostile names in $tmp"
# Absurd memory.stat: 2^64-1, negative text, 10,000 keys, no final newline.
absurd=$mem/docker/$(printf 'absurd\033')
mkdir "$absurd" && cp "$tmpl"/memory.* "$absurd/"
{
    echo "total_rss 18446744073709551615"
    echo "total_cache -5"
    i=0
    while [ $i -lt 10000 ]; do echo "junk_key_$i $i"; i=$((i + 1)); done
    printf 'total_shmem 42'
} > "$absurd/memory.stat"
echo 18446744073709551615 > "$absurd/memory.usage_in_bytes"

# Raw control bytes: C0 other than newline, DEL, C1 raw (not part of a
# valid sequence is caught by the UTF-8 check) or UTF-8 encoded (C2 80-9F).
dirty() {
    LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1" && return 0
    if [ -n "$PY" ]; then
        "$PY" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" 2>/dev/null || return 0
    fi
    return 1
}

for args in "-b --all" "-b --all -r" "--json --all" "-b"; do
    out=$tmp/out
    # shellcheck disable=SC2086
    "$MEMTOP" --root "$root" $args -n 2 -d 0.2 > "$out" 2> "$tmp/err"
    rc=$?
    check "memtop $args exits 0 on hostile names (rc $rc)" [ $rc -eq 0 ]
    if dirty "$out"; then fail "memtop $args: raw control bytes in output"; else ok "memtop $args: output clean"; fi
    check "memtop $args: nothing on stderr" [ ! -s "$tmp/err" ]
done
"$MEMTOP" --root "$root" -b --all -n 1 > "$tmp/out"
check "the ESC name is listed, defused" grep -q 'esc?\[2J?\]0;pwned?x' "$tmp/out"
check "all 9 hostile cgroups are listed" [ "$(grep -c '/docker/' "$tmp/out")" -ge 9 ]
if [ -n "$PY" ]; then
    "$MEMTOP" --root "$root" --json --all -n 2 -d 0.2 > "$tmp/json"
    check "JSON lines parse" "$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    a = [c for c in d["cgroups"] if c["path"].startswith("/docker/absurd")]
    assert a and a[0]["usage"] == 2**64 - 1 and a[0]["file"] is None and a[0]["shmem"] is None
' "$tmp/json"
fi

# Unreadable files.  Root reads everything regardless of mode bits, so
# this needs an unprivileged user.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    chmod -R a+rX "$tmp"
    ro=$tmp/ro
    cp -a "$root" "$ro" && chmod -R a+rX "$ro"
    # (1) cgroup files unreadable, /proc fixtures readable: runs, shows "-".
    find "$ro/sys" -type f -exec chmod 000 {} +
    asuser "$MEMTOP" --root "$ro" -b --all -n 2 -d 0.2 > "$tmp/out" 2> "$tmp/err"
    rc=$?
    check "unreadable cgroup files: exit 0 (rc $rc)" [ $rc -eq 0 ]
    check "unreadable cgroup files: rows still listed" grep -q '/docker/' "$tmp/out"
    if dirty "$tmp/out"; then fail "unreadable: raw control bytes"; else ok "unreadable: output clean"; fi
    # (2) every file unreadable, mountinfo included: one clear line, exit 1.
    find "$ro" -type f -exec chmod 000 {} +
    asuser "$MEMTOP" --root "$ro" -b -n 1 > "$tmp/out" 2> "$tmp/err"
    rc=$?
    check "every file unreadable: exit 1 (rc $rc)" [ $rc -eq 1 ]
    check "every file unreadable: one line on stderr" [ "$(wc -l < "$tmp/err")" -eq 1 ]
    # (3) directories unreadable too.
    find "$ro" -type d -exec chmod 000 {} +
    asuser "$MEMTOP" --root "$ro" -b -n 1 > "$tmp/out" 2> "$tmp/err"
    rc=$?
    check "every directory unreadable: exit 1 (rc $rc)" [ $rc -eq 1 ]
    chmod -R u+rwX "$ro"
else
    echo "note: unreadable-file cases need root and setpriv to switch to an unprivileged user; not run"
fi
finish
