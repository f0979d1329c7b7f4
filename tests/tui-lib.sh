# tui-lib.sh - drive memtop in a private, detached tmux server (no TTY
# needed).  Source it from a bash test; it defines:
#
#   tl_start COLS ROWS [ENV=VAL...] -- ARGS...   start memtop (fresh server each time)
#   tl_screen / tl_screen_ansi                   plain / SGR capture of the pane
#   tl_wait REGEX [SECS]                         poll (50 ms) until the screen matches
#   tl_wait_not REGEX [SECS]                     poll until it no longer matches
#   tl_keys KEY...   tl_text TEXT                tmux key names / literal text
#   tl_resize COLS ROWS                          SIGWINCH
#   tl_click COL ROW / tl_column_x WORD          mouse click, header column position
#   tl_fmt FORMAT                                tmux format of the pane (#{pane_dead} ...)
#   tl_wait_exit [SECS]                          until the program exited (status known)
#   tl_restored                                  its last output restored the terminal
#   tl_table_names                               first word of every table row
#   tl_check NAME CMD...                         one assertion; prints ok/FAIL, dumps the screen
#   tl_skip_all REASON                           exit 77 with a reason
#   tl_finish                                    "N passed, N failed" and the exit status
#   tl_at_exit FUNC                              run FUNC when the test exits
#
# Every tmux server a test starts has a private socket (-L memtop-tui-PID-N
# below a private TMUX_TMPDIR) and is killed on every exit path: normal end,
# a failed check, exit from anywhere, INT/TERM/HUP (tl_cleanup on EXIT).  A
# new tl_start stops the previous server first.  Only servers started here
# are touched.  The sourcing script sets nothing: top_srcdir and MEMTOP
# default to this source tree, and a missing binary skips the test.
#
# Environment: MEMTOP (binary), TL_TIMEOUT (seconds, default 10), TL_KEEP=1
# keeps the screen dumps directory, TL_ESCDELAY (ms ncurses waits to tell a
# lone Esc from an escape sequence; default 100, generous for loaded hosts
# where a mouse sequence may arrive in pieces).
set -u
unset TMUX TMUX_PANE

top_srcdir=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MEMTOP=${MEMTOP:-$top_srcdir/src/memtop}
TL_TIMEOUT=${TL_TIMEOUT:-10}
TL_PASS=0
TL_FAIL=0
TL_N=0
TL_SOCK=""
TL_SERVERS=()       # sockets of the servers still running
TL_PIDS=()          # and their pids, same order
TL_AT_EXIT=()

tl_skip_all() { echo "SKIP: $1"; echo "0 passed, 0 failed"; exit 77; }

command -v tmux >/dev/null 2>&1 || tl_skip_all "tmux is not installed"
[ -x "$MEMTOP" ] || tl_skip_all "memtop binary $MEMTOP not built"
TL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/memtop-tui.XXXXXX")
export TMUX_TMPDIR="$TL_DIR"
TL_HOME="$TL_DIR/home"
mkdir -p "$TL_HOME"

tl_at_exit() { TL_AT_EXIT+=("$1"); }

# tl_kill_server I: stop server I of TL_SERVERS (kill-server, then its pid
# if it is still there after 2 s) and forget it.
tl_kill_server() {
    local s=${TL_SERVERS[$1]} p=${TL_PIDS[$1]} i
    tmux -L "$s" kill-server 2>/dev/null
    if [ -n "$p" ]; then
        for i in $(seq 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
        # still our server (not a reused pid)?  then it is hung: force it
        if kill -0 "$p" 2>/dev/null && grep -q '^tmux' "/proc/$p/comm" 2>/dev/null; then
            kill -KILL "$p" 2>/dev/null
        fi
    fi
    unset "TL_SERVERS[$1]" "TL_PIDS[$1]"
}

tl_cleanup() {
    local i f
    trap - EXIT INT TERM HUP
    for i in "${!TL_SERVERS[@]}"; do tl_kill_server "$i"; done
    for f in "${TL_AT_EXIT[@]}"; do "$f"; done
    if [ "${TL_KEEP:-0}" = 1 ] || [ "$TL_FAIL" -gt 0 ]; then
        echo "# screens kept in $TL_DIR"
    else
        rm -rf "$TL_DIR"
    fi
}
trap tl_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

T() { tmux -L "$TL_SOCK" -f /dev/null "$@"; }

tl_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# tl_start COLS ROWS [VAR=VALUE ...] -- memtop arguments
tl_start() {
    local cols=$1 rows=$2 envs=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    local i
    for i in "${!TL_SERVERS[@]}"; do tl_kill_server "$i"; done
    TL_N=$((TL_N + 1))
    TL_SOCK="memtop-tui-$$-$TL_N"
    TL_SERVERS[TL_N]=$TL_SOCK
    TL_PIDS[TL_N]=""
    # Everything the program writes to the terminal, for byte counts and
    # for checking what it sent last (terminal restore sequences).  The
    # pipe is attached by the same server command that creates the pane,
    # so a short run (-n) cannot draw before it is there.
    TL_OUT="$TL_DIR/out-$TL_N.bin"
    T start-server \; set -g remain-on-exit on \; set -g status off \; \
        new-session -d -s app -x "$cols" -y "$rows" -- \
        env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY="${TL_ESCDELAY:-100}" HOME="$TL_HOME" \
        "${envs[@]}" "$MEMTOP" "$@" \; \
        pipe-pane -t app "cat >> '$TL_OUT'"
    TL_PIDS[TL_N]=$(T display-message -p '#{pid}' 2>/dev/null)
}

# The program's last output switched the terminal back: normal screen
# (rmcup), visible cursor, keypad (application cursor keys) and mouse off.
tl_restored() {
    local tail
    tail=$(tail -c 400 "$TL_OUT" | LC_ALL=C tr -d '\000' | od -An -c | tr -d ' \n')
    case $tail in *'033[?1049l'*) ;; *) return 1 ;; esac
    case $tail in *'033[?25h'*) ;; *) return 1 ;; esac
    case $tail in *'033[?1l'*) ;; *) return 1 ;; esac
    case $tail in *'033[?1000l'*) ;; *) return 1 ;; esac
}

tl_screen() { T capture-pane -p -t app 2>/dev/null; }
tl_screen_ansi() { T capture-pane -p -e -N -t app 2>/dev/null; }
tl_fmt() { T display-message -p -t app "$1" 2>/dev/null; }
tl_keys() { T send-keys -t app "$@"; }
tl_text() { T send-keys -t app -l -- "$1"; }
# tl_click COL ROW: left click (press and release) at 0-based COL, ROW in
# the X10 mouse encoding ncurses asks for with TERM=tmux-256color.
tl_click() {
    local cx cy
    cx=$(printf "\\$(printf '%03o' $((33 + $1)))")
    cy=$(printf "\\$(printf '%03o' $((33 + $2)))")
    T send-keys -t app -l -- $'\e[M '"$cx$cy"$'\e[M#'"$cx$cy"
}
# tl_column_x WORD: 0-based screen column of WORD in the table header
tl_column_x() {
    local LC_ALL=C.UTF-8 hdr prefix
    hdr=$(tl_screen | grep -m1 '^NAME ')
    prefix=${hdr%%"$1"*}
    echo "${#prefix}"
}
tl_resize() { T resize-window -t app -x "$1" -y "$2"; }

# tl_until SECS CMD...: run CMD every 50 ms until it succeeds or time runs out
tl_until() {
    local end=$(($(tl_ms) + $1 * 1000))
    shift
    until "$@"; do
        [ "$(tl_ms)" -ge "$end" ] && return 1
        sleep 0.05
    done
}

# tl_selected WORD: the highlighted (reverse or cyan background) row starts with WORD
tl_selected() { tl_screen_ansi | grep -E $'(\e\\[7m|\e\\[46m)' | sed 's/\x1b\[[0-9;]*m//g' | grep -q "^$1"; }
tl_has() { tl_screen | grep -qE -- "$1"; }
tl_has_not() { ! tl_screen | grep -qE -- "$1"; }
tl_wait() { tl_until "${2:-$TL_TIMEOUT}" tl_has "$1"; }
tl_wait_not() { tl_until "${2:-$TL_TIMEOUT}" tl_has_not "$1"; }

# The pty closes before tmux reaps the child; Debian's tmux (libutempter)
# sometimes misses SIGCHLD: poke the server so the status arrives.
tl_exited() {
    case $(tl_fmt '#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}') in
    1:?*) return 0 ;;
    1:) kill -CHLD "$(tl_fmt '#{pid}')" 2>/dev/null ;;
    esac
    return 1
}
tl_wait_exit() { tl_until "${1:-$TL_TIMEOUT}" tl_exited; }

# Rows between the column header (the line starting with NAME) and the
# bottom line; prints the first word of each.
tl_table_names() {
    tl_screen | awk '/^NAME /{on=1; next} on && NF {print $1}' | sed '$d'
}

# tl_names_are GLOB...: the table shows exactly these rows (each GLOB
# matches the start of the row's first word)
tl_names_are() {
    local got want
    got=$(tl_table_names | tr '\n' ' ')
    want="$*"
    local g=($got) w=($want) i
    [ "${#g[@]}" -eq "${#w[@]}" ] || return 1
    for i in "${!w[@]}"; do
        # shellcheck disable=SC2254  # the expectation is a glob on purpose
        case ${g[$i]} in ${w[$i]}*) ;; *) return 1 ;; esac
    done
}
tl_wait_names() { tl_until "$TL_TIMEOUT" tl_names_are "$@"; }

tl_dump() {
    local f="$TL_DIR/fail-$TL_FAIL"
    tl_screen >"$f.txt"
    tl_screen_ansi >"$f.ansi"
    { echo "---- screen ($f.txt) ----"; cat "$f.txt"; echo "----"; } >&2
}

tl_check() {
    local name=$1 t0
    shift
    t0=$(tl_ms)
    if "$@"; then
        TL_PASS=$((TL_PASS + 1))
        echo "ok   - $name ($(($(tl_ms) - t0)) ms)"
    else
        TL_FAIL=$((TL_FAIL + 1))
        echo "FAIL - $name ($(($(tl_ms) - t0)) ms)"
        tl_dump
    fi
}

tl_finish() {
    echo "$TL_PASS passed, $TL_FAIL failed"
    [ "$TL_FAIL" -eq 0 ]
}
