#!/bin/sh
# layers.sh - the source tree's layering, checked over the #include lines.
#
# Each folder of src/ and include/ is one layer; a file may include headers
# of its own layer and of lower ones, never of a higher one.  Lowest first:
LAYERS="util sample forensics analysis record output cli serve tui app"
# Only tui/ and app/ may include curses (the data layer never does).
#
# Usage: layers.sh [TOP]   (TOP defaults to $top_srcdir, else the parent of
# this script's folder).  Prints one line per violation; exit 1 if any.
set -u
top=${1:-${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}

rank() {
    i=0
    for l in $LAYERS; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}

bad=0 files=0
for dir in "$top/src" "$top/include"; do
    for sub in "$dir"/*/; do
        layer=$(basename "$sub")
        own=$(rank "$layer")
        if [ "$own" -lt 0 ]; then
            echo "layers: ${sub#"$top"/} is not a known layer (known: $LAYERS)"
            bad=$((bad + 1))
            continue
        fi
        for f in "$sub"*.c "$sub"*.h; do
            [ -f "$f" ] || continue
            files=$((files + 1))
            rel=${f#"$top"/}
            # #include "layer/name.h" lines, with their line numbers
            for inc in $(sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)/[^"]*".*|\1|p' "$f" | sort -u); do
                r=$(rank "$inc")
                if [ "$r" -lt 0 ]; then
                    echo "layers: $rel includes from unknown folder $inc/"
                    bad=$((bad + 1))
                elif [ "$r" -gt "$own" ]; then
                    echo "layers: $rel ($layer) includes $(grep -n "include *\"$inc/" "$f" | head -n 1) from the higher layer $inc"
                    bad=$((bad + 1))
                fi
            done
            case $layer in
                tui|app) ;;
                *) if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|curses_compat|tui/)' "$f"; then
                       echo "layers: $rel ($layer) includes curses; only tui/ and app/ may"
                       bad=$((bad + 1))
                   fi ;;
            esac
        done
    done
    # a source file directly in src/ or include/ belongs to no layer
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -f "$f" ] || continue
        echo "layers: ${f#"$top"/} is outside every layer folder"
        bad=$((bad + 1))
    done
done

if [ "$files" -eq 0 ]; then
    echo "layers: no source files found below $top"
    exit 1
fi
echo "layers: $files files, $bad violations"
[ "$bad" -eq 0 ]
