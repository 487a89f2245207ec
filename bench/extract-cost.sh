#!/bin/sh
# Instructions per flow_extract() call, per frame type, from callgrind:
# (Ir(N=2000) - Ir(N=1000)) / 1000, which cancels start-up and the one-time
# frame build.  Builds with gcc -O2 straight from the sources.
#
# usage: bench/extract-cost.sh [CC]   (run from anywhere; CC defaults to gcc)
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
cc=${1:-${CC:-gcc}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

command -v valgrind >/dev/null || { echo "extract-cost: valgrind not found" >&2; exit 1; }

"$cc" -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
    -I"$srcdir/src" -I"$srcdir/tests/unit" \
    -o "$work/extract_cost" \
    "$srcdir/bench/extract_cost.c" "$srcdir/src/flow_key.c" "$srcdir/tests/unit/frames.c"

# Total instructions of one run, from callgrind's "summary:" line.
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        "$work/extract_cost" "$1" "$2" >/dev/null 2>"$work/vg.log" \
        || { cat "$work/vg.log" >&2; exit 1; }
    awk '/^summary:/ { print $2 }' "$work/cg.out"
}

printf '%-16s %12s %12s %10s\n' frame 'Ir(1000)' 'Ir(2000)' 'Ir/frame'
for t in ipv4-tcp vlan-ipv4-udp ipv6-tcp arp; do
    a=$(ir "$t" 1000)
    b=$(ir "$t" 2000)
    printf '%-16s %12s %12s %10s\n' "$t" "$a" "$b" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 1000 }')"
done
