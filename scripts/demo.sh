#!/bin/bash
# The live demo: installs the dependencies, builds xsw, joins three network
# namespaces (hosts h1, h2, h3) to one xswd bridge over veth pairs, pings
# across (the bridge learns where each host is and installs megaflows), and
# shows `xswctl show`, `xswctl fdb-show` and `xswctl dump-flows`.
# Everything it creates is removed when it exits.  Needs root.
#
#   h1 10.99.0.1 --veth-- xd-h1 \
#   h2 10.99.0.2 --veth-- xd-h2 --[ xswd bridge xdemo0 ]
#   h3 10.99.0.3 --veth-- xd-h3 /
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
tmp=$(mktemp -d /tmp/xsw-demo.XXXXXX)
sock=$tmp/xswd.sock
xswd_pid=

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
    [ -n "$xswd_pid" ] && kill "$xswd_pid" 2>/dev/null && wait "$xswd_pid" 2>/dev/null
    for h in 1 2 3; do
        ip netns del "xdemo-h$h" 2>/dev/null
        ip link del "xd-h$h" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (XDP, namespaces)" >&2; exit 1; }

say "Installing dependencies and building"
"$top/scripts/deps.sh" || exit 1
(cd "$top" && ./autogen.sh >/dev/null 2>&1) || { echo "autogen.sh failed" >&2; exit 1; }
mkdir -p "$build"
(cd "$build" && { [ -f Makefile ] || "$top/configure" --enable-werror >/dev/null; } \
    && make -j2 >/dev/null) || { echo "build failed: see $build" >&2; exit 1; }
xswctl() { "$build/xswctl" --socket "$sock" "$@"; }

say "Three hosts in namespaces, each on a veth pair"
for h in 1 2 3; do
    ip netns add "xdemo-h$h"
    ip link add "xd-h$h" type veth peer name eth0 netns "xdemo-h$h"
    ip -n "xdemo-h$h" link set eth0 address "02:00:00:00:00:0$h"
    ip -n "xdemo-h$h" addr add "10.99.0.$h/24" dev eth0
    ip -n "xdemo-h$h" link set eth0 up
    ip -n "xdemo-h$h" link set lo up
    # AF_XDP moves frames as the sender left them: no checksum offload.
    ip netns exec "xdemo-h$h" ethtool -K eth0 tx off >/dev/null 2>&1
    ip netns exec "xdemo-h$h" ethtool -K eth0 gro on >/dev/null 2>&1
    ip link set "xd-h$h" up
    echo "  h$h: 10.99.0.$h 02:00:00:00:00:0$h  <->  xd-h$h"
done

cat >"$tmp/xsw.ini" <<INI
[global]
socket = $sock
workers = 1
umem_frames = 4096

[bridge.xdemo0]

[port.h1]
bridge = xdemo0
interface = xd-h1
port_no = 1

[port.h2]
bridge = xdemo0
interface = xd-h2
port_no = 2

[port.h3]
bridge = xdemo0
interface = xd-h3
port_no = 3
INI

say "Starting xswd"
"$build/xswd" --config "$tmp/xsw.ini" 2>"$tmp/xswd.log" &
xswd_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$tmp/xswd.log"; exit 1; }
sed 's/^/  /' "$tmp/xswd.log"

say "Pinging across the switch"
ok=0
for pair in "1 2" "1 3" "2 3"; do
    set -- $pair
    if ip netns exec "xdemo-h$1" ping -c 3 -i 0.2 -W 1 "10.99.0.$2" >"$tmp/ping" 2>&1; then
        echo "  h$1 -> h$2: $(grep -o '[0-9]* received' "$tmp/ping"), $(grep -o 'rtt.*' "$tmp/ping")"
    else
        echo "  h$1 -> h$2: FAILED"; ok=1
    fi
done

say "xswctl show -s"
xswctl show -s
say "xswctl fdb-show xdemo0 (what the bridge learned)"
xswctl fdb-show xdemo0
say "xswctl dump-flows (megaflows: L2 fields only, the rest wildcarded)"
xswctl dump-flows
exit $ok
