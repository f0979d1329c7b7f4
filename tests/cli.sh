#!/bin/sh
# cli.sh - command line behavior: help, version, bad input, batch defaults.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scratch_dir
out=$tmp
V2="$FIXTURES/v2-layouts"

check "--help exits 0 and documents --sort keys" \
    sh -c "'$MEMTOP' --help | grep -q 'majfault'"
check "--version prints the version" sh -c "'$MEMTOP' --version | grep -q '^memtop [0-9]'"
check "unknown option: one line, exit 2" one_line_error 2 --bogus
check "unknown sort key: one line, exit 2" one_line_error 2 --sort nonsense
check "bad delay: one line, exit 2" one_line_error 2 -d 0.05
check "stray argument: one line, exit 2" one_line_error 2 foo
check "missing root: one line, exit 1" one_line_error 1 --root /nonexistent/memtop
mkdir -p "$out/empty"
check "root without proc/self/mountinfo: one line, exit 1" one_line_error 1 --root "$out/empty"
check "cgroup2 without memory controller: one line, exit 1" \
    one_line_error 1 --root "$FIXTURES/v2-nomemory"
grep -q 'memory cgroup controller is not available' "$out/e" &&
    ok "no-memory message names the problem" || fail "no-memory message names the problem"

# stdout is a pipe here: batch mode, one iteration
"$MEMTOP" --root "$V2" >"$out/o" 2>"$out/e"
check "pipe output defaults to one batch iteration" \
    test "$(grep -c '^memtop ' "$out/o")" -eq 1
check "nothing on stderr in a normal run" test ! -s "$out/e"
"$MEMTOP" --root "$V2" -b -n 3 -d 0.2 >"$out/o"
check "-n 3 gives three iterations" test "$(grep -c '^memtop ' "$out/o")" -eq 3
check "iterations are separated by a blank line" test "$(grep -c '^$' "$out/o")" -eq 2

"$MEMTOP" --root "$V2" --json -n 2 -d 0.2 >"$out/j"
check "--json -n 2 prints two lines" test "$(wc -l <"$out/j")" -eq 2
if [ -n "$PY" ]; then
    check "every JSON line parses and has the documented top-level keys" "$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    assert set(["time", "interval", "cgroup_mode", "node", "cgroups"]) <= set(t), t.keys()
    assert t["cgroup_mode"] == "v2"
    for k in ["mem_total", "mem_available", "working_set", "swap_total", "swap_free"]:
        assert k in t["node"], k
    assert len(t["cgroups"]) == 15
' "$out/j"
fi
"$MEMTOP" --root "$V2" -b -r --sort name >"$out/o"
check "--raw prints byte counts" grep -q ' 432013312 ' "$out/o"
check "--raw prints unlimited as max" grep -q ' max ' "$out/o"
# Byte counts above 2^53 are printed exactly (not through a double): USAGE
# 2^53+1, RSS 2^64-1 (an absurd kernel value is still not "unlimited");
# the unlimited LIMIT of the same row stays "max".
cp -a "$V2" "$out/big"
big=$(ls -d "$out"/big/sys/fs/cgroup/system.slice/docker-b2b2*.scope)
echo 9007199254740993 >"$big/memory.current"
sed -i 's/^anon .*/anon 18446744073709551615/' "$big/memory.stat"
"$MEMTOP" --root "$out/big" -b -r >"$out/o"
row=$(grep ' /system.slice/docker-b2b2' "$out/o")
check "--raw: 2^53+1 exactly" sh -c "echo '$row' | awk '{ exit !(\$5 == \"9007199254740993\") }'"
check "--raw: 2^64-1 exactly" sh -c "echo '$row' | awk '{ exit !(\$6 == \"18446744073709551615\") }'"
check "--raw: the same row's unlimited limit is max" sh -c "echo '$row' | awk '{ exit !(\$3 == \"max\") }'"
"$MEMTOP" --root "$out/big" -b >"$out/o"
check "non-raw: the unlimited limit is max too" \
    sh -c "grep ' /system.slice/docker-b2b2' '$out/o' | awk '{ exit !(\$3 == \"max\") }'"
"$MEMTOP" --root "$V2" -b --all >"$out/o"
check "--all lists every cgroup, the root included" grep -q ' /$' "$out/o"
if [ -n "$PY" ]; then
    "$MEMTOP" --root "$V2" --json --sort rss --reverse >"$out/j"
    check "--sort rss --reverse lists ascending RSS, ties by path" "$PY" -c '
import json, sys
cg = json.loads(open(sys.argv[1]).read())["cgroups"]
keys = [(c["anon"], c["path"]) for c in cg]
assert keys == sorted(keys), keys
assert keys[0][0] < keys[-1][0]
' "$out/j"
fi
finish
