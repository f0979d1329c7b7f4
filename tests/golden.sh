#!/bin/sh
# golden.sh - batch and JSON output on fixture trees against tests/golden/.
# Run with GENERATE=1 to rewrite the golden files (then review the diff).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

GOLDEN="$top_srcdir/tests/golden"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Times change from run to run: blank them out.
normalize() {
    sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/TIME/' \
           -e 's/"time":[0-9.e+]+/"time":0/'
}

golden() {
    name=$1; shift
    "$MEMTOP" "$@" 2>&1 | normalize >"$out/$name"
    if [ "${GENERATE:-0}" = 1 ]; then
        cp "$out/$name" "$GOLDEN/$name"
        ok "$name regenerated"
    elif diff -u "$GOLDEN/$name" "$out/$name"; then
        ok "$name matches"
    else
        fail "$name differs from the golden file"
    fi
}

golden v1-layouts.txt --root "$FIXTURES/v1-layouts" -b
golden v1-layouts-all-raw.txt --root "$FIXTURES/v1-layouts" -b --all --raw --sort path
golden v2-layouts.txt --root "$FIXTURES/v2-layouts" -b --sort name
golden v2-old-all.txt --root "$FIXTURES/v2-old" -b --all --sort usage
golden v1-old.txt --root "$FIXTURES/v1-old" -b
golden v2-layouts.json --root "$FIXTURES/v2-layouts" --json
golden v1-layouts-all.json --root "$FIXTURES/v1-layouts" --json --all
finish
