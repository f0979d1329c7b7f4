#!/bin/sh
# risk_cli.sh - the OOM-risk command line: --explain, --threshold, the RISK
# column and --sort risk, the JSON risk object, on the analysis fixtures.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scratch_dir
out=$tmp
V1="$FIXTURES/analysis-v1"
V2="$FIXTURES/analysis-v2"

"$MEMTOP" --root "$V2" --explain aaaa -n 2 -d 0.2 >"$out/x" 2>"$out/e"
check "--explain by id prefix exits 0" test $? -eq 0
check "--explain prints identity, level and sentences" sh -c "
    head -1 '$out/x' | grep -q '^docker:aaaaaaaaaaaa  (/system.slice/docker-a' &&
    grep -q '^Risk: WATCH$' '$out/x' &&
    grep -q '^  Working set 819M (80% of limit) = usage minus 160M of inactive page cache.$' '$out/x' &&
    grep -q '^  Working set is 80% of the limit; ' '$out/x'"
"$MEMTOP" --root "$V2" --explain docker:dddddddddddd -n 1 >"$out/x" 2>&1
check "--explain by label; node-level verdict" grep -q '^Risk: OK (node-level)$' "$out/x"
check "--explain no match: one line, exit 1" one_line_error 1 --root "$V2" --explain nosuch
grep -q "no container matches 'nosuch'" "$out/e" && ok "no-match message" || fail "no-match message"
check "--explain too short an id: exit 1" one_line_error 1 --root "$V2" --explain aaa
check "--threshold unknown name: one line, exit 2" one_line_error 2 --threshold bogus=1
check "--threshold bad value: one line, exit 2" one_line_error 2 --threshold ws_watch=x
check "--threshold without '=': one line, exit 2" one_line_error 2 --threshold ws_watch
check "--help lists the thresholds" sh -c "'$MEMTOP' --help | grep -q '^    floor_watch  *0.6 '"

# The worked example (WS 80 %, floor 70 %) is WATCH through both W1 terms;
# raising both W1 thresholds to 0.9 makes it OK.
"$MEMTOP" --root "$V2" --explain aaaa -n 1 --threshold ws_watch=0.9 \
    --threshold floor_watch=0.9 >"$out/x" 2>&1
check "--threshold changes the verdict" grep -q '^Risk: OK$' "$out/x"

"$MEMTOP" --root "$V1" -b --sort risk >"$out/b" 2>&1
check "batch has a RISK column" sh -c "sed -n 3p '$out/b' | grep -q ' RISK PATH$'"
check "--sort risk puts WATCH before OK" sh -c "
    awk 'NR > 3 { print \$(NF-1) }' '$out/b' | tr '\n' ' ' |
        grep -Eq '^(WATCH )+(OK )+\$'"

if [ -n "$PY" ]; then
    "$MEMTOP" --root "$V2" --json -n 2 -d 0.2 >"$out/j" 2>&1
    check "JSON risk object with the documented names" "$PY" - "$out/j" <<'PYEOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2
t = json.loads(lines[-1])
names = {"level", "node_level", "rules", "sentences", "ws_ratio", "floor", "floor_ratio",
         "reclaimable", "binding", "eta_ws_s", "eta_oom_s"}
by = {c["path"]: c["risk"] for c in t["cgroups"]}
for r in by.values():
    assert names <= set(r), set(r)
    assert r["level"] in ("OK", "WATCH", "HIGH", "CRITICAL")
a = [r for p, r in by.items() if "docker-aaaa" in p][0]
assert a["rules"] == ["W1"] and a["eta_ws_s"] is None and a["floor"] == 749993984
d = [r for p, r in by.items() if "docker-dddd" in p][0]
assert d["node_level"] is True and d["binding"] == "/"
PYEOF
else
    ok "JSON check skipped: no python3"
fi
finish
