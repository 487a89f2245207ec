#!/bin/sh
# The one command that installs the dependencies, builds xsw (warnings are
# errors) and runs every test: unit tests, fuzz-regression cases and the
# integration tests in network namespaces.  Needs root (XDP, namespaces).
#   sudo scripts/test.sh            build in ./build and test
#   BUILD=dir scripts/test.sh       another build directory
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
"$top/scripts/deps.sh" || exit 1
cd "$top" && ./autogen.sh >/dev/null 2>&1 || { echo "autogen.sh failed" >&2; exit 1; }
mkdir -p "$build" && cd "$build" || exit 1
if [ ! -f Makefile ]; then
    "$top/configure" --enable-werror >configure.out 2>&1 || { cat configure.out; exit 1; }
fi
make -j2 >make.out 2>&1 || { tail -40 make.out; echo "0 passed, 1 failed"; exit 1; }
find . -name '*.trs' -delete
make -j2 check >check.out 2>&1
grep -E '^(PASS|FAIL|ERROR|SKIP|XPASS|XFAIL):' check.out | grep -v '^PASS' | head -50
"$top/scripts/test-summary.sh" "$build"
