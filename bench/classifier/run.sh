#!/bin/sh
# Classifier and EMC lookup cost: lookups per second on one core (wall
# clock) and instructions per lookup (callgrind), for 1/4/16/64 masks x
# 1k/100k/1M flows, uniform and Zipf traffic, EMC off and on; then the
# numbers the targets name, cds_lfht against the classifier's own table, and
# the EMC insertion probability.  Builds with gcc -O2 straight from the
# sources.  See bench/classifier/README.md.
#
# usage: bench/classifier/run.sh [LOOKUPS]   (per measurement; default 300000)
#        JOBS=N to run N callgrind passes at once (default 2)
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
lookups=${1:-300000}
jobs=${JOBS:-2}
cc=${CC:-gcc}
work=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then
    echo "run.sh: raw results kept in $work" >&2
else
    trap 'rm -rf "$work"' EXIT INT TERM
fi

command -v valgrind >/dev/null || { echo "run.sh: valgrind not found" >&2; exit 1; }

"$cc" -O2 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
    -I"$srcdir/src" $(pkg-config --cflags liburcu-qsbr liburcu-cds) \
    -o "$work/bench" \
    "$srcdir/bench/classifier/bench_classifier.c" "$srcdir/src/classifier.c" \
    "$srcdir/src/emc.c" "$srcdir/src/ufid.c" "$srcdir/src/strbuf.c" \
    $(pkg-config --libs liburcu-qsbr liburcu-cds) -lpthread -lm

# One pass: NAME ARGS...  Native run to $work/NAME.native, callgrind run to
# $work/NAME.cg (stdout) and $work/NAME.out.N (one dump per measurement).
native() {
    name=$1
    shift
    "$work/bench" "$@" > "$work/$name.native"
}
grind() {
    name=$1
    shift
    valgrind --tool=callgrind --collect-atstart=no --instr-atstart=no \
        --callgrind-out-file="$work/$name.out" "$work/bench" "$@" \
        > "$work/$name.cg" 2> "$work/$name.vg" \
        || { cat "$work/$name.vg" >&2; exit 1; }
}

passes="targets:targets:$lookups"
for m in 1 4 16 64; do
    for f in 1000 100000 1000000; do
        passes="$passes t-$m-$f:table:$m:$f:$lookups"
    done
done
for f in 1000 100000 1000000; do
    passes="$passes lfht-$f:lfht:$f:$lookups"
done
passes="$passes emcprob:emcprob:16:100000:$lookups"

# Wall clock first, one pass at a time, nothing else of ours running.
echo "run.sh: timing ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))..." >&2
for p in $passes; do
    name=${p%%:*}
    args=$(echo "${p#*:}" | tr : ' ')
    # shellcheck disable=SC2086
    native "$name" $args
done

echo "run.sh: callgrind, $jobs at a time..." >&2
n=0
for p in $passes; do
    name=${p%%:*}
    args=$(echo "${p#*:}" | tr : ' ')
    # shellcheck disable=SC2086
    grind "$name" $args &
    n=$((n + 1))
    if [ "$n" -ge "$jobs" ]; then
        wait
        n=0
    fi
done
wait

# label -> Ir per lookup, from the dumps and the lookup counts of the same run.
for p in $passes; do
    name=${p%%:*}
    for d in "$work/$name".out.*; do
        awk '/^desc: Trigger: Client Request:/ { l = $5 } /^(summary|totals):/ { print l, $2; exit }' "$d"
    done
done > "$work/ir.txt"
cat "$work"/*.native > "$work/native.txt"
cat "$work"/*.cg > "$work/cg.txt"

awk -v irf="$work/ir.txt" -v cgf="$work/cg.txt" '
function field(line, key,    i, n, kv) {
    n = split(line, kv, " ")
    for (i = 1; i <= n; i++) {
        if (index(kv[i], key "=") == 1) {
            return substr(kv[i], length(key) + 2)
        }
    }
    return ""
}
BEGIN {
    while ((getline l < irf) > 0) {
        split(l, parts, " ")
        ir[parts[1]] = parts[2]
    }
    while ((getline l < cgf) > 0) {
        lab = field(l, "label")
        cgn[lab] = field(l, "lookups")
        cgemc[lab] = field(l, "emc_hit")
        cghit[lab] = field(l, "hit")
    }
}
/^R / {
    lab = field($0, "label")
    mlps[lab] = field($0, "mlps")
    ns[lab] = field($0, "ns")
}
function irpl(lab) {
    return cgn[lab] ? sprintf("%.1f", ir[lab] / cgn[lab]) : "-"
}
END {
    printf "Lookups per second (one core, wall clock) and instructions per lookup (callgrind).\n"
    printf "EMC on: full-key hash + EMC lookup, classifier on a miss, insertion 1/100.\n\n"
    printf "%5s %8s %8s | %10s %9s | %10s %9s %7s\n", "masks", "flows", "traffic",
           "off Mlk/s", "off Ir/lk", "on Mlk/s", "on Ir/lk", "EMC hit"
    split("1 4 16 64", ms, " ")
    split("1000 100000 1000000", fs, " ")
    split("uniform zipf", ts, " ")
    for (i = 1; i <= 4; i++) {
        for (j = 1; j <= 3; j++) {
            for (k = 1; k <= 2; k++) {
                base = "m" ms[i] "-f" fs[j] "-" ts[k]
                off = base "-noemc"
                on = base "-emc"
                printf "%5s %8s %8s | %10s %9s | %10s %9s %6s%%\n", ms[i], fs[j], ts[k],
                       mlps[off], irpl(off), mlps[on], irpl(on), cgemc[on]
            }
        }
    }

    printf "\nTargets (Ir per lookup; the loop around the call is included):\n"
    printf "  EMC hit, hash given                %7s   (target <= 60)\n", irpl("emc-hit")
    printf "  full-key hash (emc_hash)           %7s\n", irpl("emc-hash")
    printf "  EMC hit with the hash              %7s\n", irpl("emc-hit-with-hash")
    printf "  one subtable, hit, EMC off         %7s   (target <= 120)\n", irpl("cls-1-subtable-hit")
    m1 = ir["cls-miss-1-subtables"] / cgn["cls-miss-1-subtables"]
    for (i = 1; i <= 4; i++) {
        lab = "cls-miss-" ms[i] "-subtables"
        v = ir[lab] / cgn[lab]
        extra = (ms[i] > 1) ? sprintf("%.1f per further subtable (target <= 60)",
                                      (v - m1) / (ms[i] - 1)) : ""
        printf "  miss through %2d subtables          %7.1f   %s\n", ms[i], v, extra
    }

    printf "\nSubtable table: liburcu cds_lfht against the classifier (1 mask, same hash):\n"
    printf "%8s %5s | %10s %9s | %10s %9s\n", "flows", "", "lfht ns", "lfht Ir", "own ns", "own Ir"
    for (j = 1; j <= 3; j++) {
        split("hit miss", hm, " ")
        for (k = 1; k <= 2; k++) {
            la = "lfht-f" fs[j] "-" hm[k]
            lo = "own-f" fs[j] "-" hm[k]
            printf "%8s %5s | %10s %9s | %10s %9s\n", fs[j], hm[k], ns[la], irpl(la), ns[lo], irpl(lo)
        }
    }

    printf "\nEMC insertion probability (16 masks, 100k flows):\n"
    printf "%9s %8s | %8s %9s %8s\n", "insert", "traffic", "Mlk/s", "Ir/lk", "EMC hit"
    split("1 10 100 1000", ps, " ")
    for (k = 1; k <= 2; k++) {
        for (i = 1; i <= 4; i++) {
            lab = "emcprob-" ps[i] "-" ts[k]
            printf "%9s %8s | %8s %9s %7s%%\n", "1/" ps[i], ts[k], mlps[lab], irpl(lab), cgemc[lab]
        }
    }
}' "$work/native.txt"
