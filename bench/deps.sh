#!/bin/sh
# Installs what bench/run.sh needs (Debian 12 package names); with
# --with-ovs, Open vSwitch too.  Run as root; safe to run again.  Exits 0
# even when Open vSwitch cannot be installed: run.sh then skips its rows.
set -e
PKGS="clang llvm gcc make libbpf-dev libxdp-dev iproute2 ethtool
      iputils-ping iperf3 python3 gnuplot-nox util-linux procps"
[ "${1:-}" = --with-ovs ] && OVS=openvswitch-switch || OVS=
if [ "$(id -u)" != 0 ]; then
    echo "bench/deps.sh: run as root (apt-get needs it)" >&2
    exit 1
fi
missing=
for p in $PKGS $OVS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "bench/deps.sh: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    # Open vSwitch alone may fail (no such package on this distribution):
    # the rest is still worth having.
    # shellcheck disable=SC2086,SC2046
    apt-get install -y -qq $missing >/dev/null 2>&1 \
        || { [ -n "$OVS" ] && apt-get install -y -qq $(echo "$missing" | sed "s/$OVS//") >/dev/null; } \
        || { echo "bench/deps.sh: apt-get install failed" >&2; exit 1; }
fi
# libxdp keeps its dispatcher state in bpffs.
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
