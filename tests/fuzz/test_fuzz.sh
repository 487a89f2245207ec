#!/bin/sh
# The fuzz targets as tests.  Every build replays each target's corpus (seed
# inputs and past crashes) through the target; a build configured with
# --enable-fuzz also runs each target under libFuzzer for FUZZ_SECONDS
# (default 20) and fails on any crash, leak or timeout.  Prints TAP.
b=${XSW_BUILDDIR:-.}/tests/fuzz
c=${XSW_SRCDIR:-..}/tests/fuzz/corpus
targets="flow_extract odp_key odp_actions odp_text"
n=0
plan=0
for t in $targets; do
    plan=$((plan + 1))
    [ -x "$b/fuzz_$t" ] && plan=$((plan + 1))
done
echo "1..$plan"
for t in $targets; do
    n=$((n + 1))
    if out=$("$b/replay_$t" "$c/$t" 2>&1); then
        echo "ok $n - replay $t corpus ($(echo "$out" | sed -n 's/.*: \([0-9]*\) inputs/\1/p') inputs)"
    else
        echo "not ok $n - replay $t corpus"
        echo "$out" | tail -20 | sed 's/^/# /'
    fi
    if [ -x "$b/fuzz_$t" ]; then
        n=$((n + 1))
        work=$(mktemp -d)
        cp -r "$c/$t/." "$work/" 2>/dev/null
        if "$b/fuzz_$t" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
               -artifact_prefix="$work/" "$work" >"$work/log" 2>&1; then
            echo "ok $n - fuzz $t for ${FUZZ_SECONDS:-20}s ($(grep -o 'Done [0-9]* runs' "$work/log" | tail -1))"
        else
            echo "not ok $n - fuzz $t: crash (input kept in $b/crash-$t)"
            cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$b/" 2>/dev/null
            tail -30 "$work/log" | sed 's/^/# /'
        fi
        rm -rf "$work"
    fi
done
