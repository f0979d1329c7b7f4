#!/bin/sh
# completion.sh - the bash completion offers options and the sort keys
# memtop itself reports.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || skip_all "bash not installed"
comp() {    # comp WORD... : completions for the last word
    bash -c '. "$1/completions/memtop"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _memtop; echo "${COMPREPLY[*]}"' \
        sh "$top_srcdir" "$MEMTOP" "$@"
}
check "--so completes to --sort" [ "$(comp --so)" = "--sort" ]
check "--js completes to --json" [ "$(comp --js)" = "--json" ]
keys=$(comp -s "")
check "sort keys include ws, rss and path ($keys)" sh -c 'case " $1 " in *" ws "*" rss "*|*" rss "*" ws "*) case " $1 " in *" path "*) exit 0;; esac;; esac; exit 1' sh "$keys"
check "every offered sort key is accepted" sh -c 'for k in $2; do "$1" --root "$3" -b -s "$k" -n 1 > /dev/null || exit 1; done' sh "$MEMTOP" "$keys" "$FIXTURES/v1-layouts"
finish
