#!/bin/sh
# http_limits.sh - memtop's HTTP server against idle, slow, half-sent,
# unread, flooding and garbage connections with real sockets on the
# loopback (tests/exporter/http_limits.py has the checks).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

[ -n "$PY" ] || skip_all "python3 is needed for the HTTP clients"
scratch_dir
"$PY" "$top_srcdir/tests/exporter/http_limits.py" "$MEMTOP" "$FIXTURES/v2-layouts" "$tmp"
