#!/bin/sh
# Counts the test cases of one or more `make check` runs (the .trs files the
# TAP driver writes, one :test-result: line per test case) and prints
# "N passed, N failed[, N skipped]".  Exit status 1 if any failed.
passed=0 failed=0 skipped=0
for dir in "$@"; do
    [ -d "$dir" ] || continue
    counts=$(find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null | awk '
        /^:test-result: (PASS|XFAIL)/ { p++ }
        /^:test-result: (FAIL|XPASS|ERROR)/ { f++ }
        /^:test-result: SKIP/ { s++ }
        END { printf "%d %d %d\n", p, f, s }')
    set -- $counts
    passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3))
done
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
