#!/bin/sh
# promtool.sh - promtool's verdict on memtop's output: `promtool check
# metrics` on the text format of fixture nodes and of this node, `promtool
# check rules` and `promtool test rules` on the shipped alerts.  Each check
# is shown able to fail: a broken exposition and a loosened rule file must
# be rejected.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v promtool >/dev/null 2>&1 || skip_all "promtool is not installed (Debian package prometheus)"
scratch_dir
RULES="$top_srcdir/contrib/prometheus/memtop-alerts.yml"
EXP="$top_srcdir/tests/exporter"

for tree in v1-layouts v2-layouts v1-real v2-real analysis-v1 analysis-v2; do
    "$MEMTOP" --root "$FIXTURES/$tree" --prometheus -a --no-bus --oom-source none \
        >"$tmp/$tree.prom" 2>"$tmp/err" || fail "memtop --prometheus on $tree: $(cat "$tmp/err")"
    check "promtool check metrics: fixture $tree" sh -c "promtool check metrics <'$tmp/$tree.prom'"
done
"$MEMTOP" --prometheus -a -n 2 -d 0.5 --no-bus >"$tmp/live.prom" 2>"$tmp/err" ||
    fail "memtop --prometheus on this node: $(cat "$tmp/err")"
check "promtool check metrics: this node (-a)" sh -c "promtool check metrics <'$tmp/live.prom'"
check "this node's exposition lists the node's memory" grep -q '^memtop_node_memory_total_bytes ' "$tmp/live.prom"

# the checker discriminates: a family split in two, a counter without _total
{ cat "$tmp/v2-layouts.prom"; grep -m1 -A2 '^# HELP memtop_memory_usage_bytes' "$tmp/v2-layouts.prom"; } >"$tmp/split.prom"
check "promtool rejects a split family (control)" sh -c "! promtool check metrics <'$tmp/split.prom' 2>/dev/null"
sed 's/memtop_memory_pgfaults_total/memtop_memory_pgfaults/' "$tmp/v2-layouts.prom" >"$tmp/nototal.prom"
check "promtool rejects a counter without _total (control)" sh -c "! promtool check metrics <'$tmp/nototal.prom' >/dev/null 2>&1"

check "promtool check rules memtop-alerts.yml" promtool check rules "$RULES"
check "promtool test rules: alerts fire where they should, not on a cache-heavy container" \
    sh -c "cd '$EXP' && promtool test rules alerts-test.yml"
# control: a floor alert that also fires on page cache must fail the unit test
mkdir -p "$tmp/t/contrib/prometheus" "$tmp/t/tests/exporter"
sed 's/memtop_memory_floor_bytes \/ ignoring(limit_from) memtop_memory_limit_bytes > 0.5/memtop_memory_floor_bytes \/ ignoring(limit_from) memtop_memory_limit_bytes > 0.01/' \
    "$RULES" >"$tmp/t/contrib/prometheus/memtop-alerts.yml"
cp "$EXP/alerts-test.yml" "$tmp/t/tests/exporter/"
check "promtool test rules fails when the working-set alert ignores the floor (control)" \
    sh -c "! cmp -s '$RULES' '$tmp/t/contrib/prometheus/memtop-alerts.yml' && cd '$tmp/t/tests/exporter' && ! promtool test rules alerts-test.yml >/dev/null 2>&1"
finish
