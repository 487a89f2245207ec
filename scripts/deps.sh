#!/bin/sh
# Installs everything xsw needs to build, test, run the demo and the bench
# (Debian 12 package names).  Run as root; safe to run again.
set -e
PKGS="autoconf automake pkg-config make gcc clang llvm libclang-rt-14-dev
      libxdp-dev libbpf-dev liburcu-dev libevent-dev libiniparser-dev
      libmnl-dev libcmocka-dev libpcap-dev linux-libc-dev
      iproute2 ethtool iputils-ping iperf3 tcpdump python3 python3-scapy
      valgrind mandoc xdp-tools systemd libcap2-bin"
if [ "$(id -u)" != 0 ]; then
    echo "scripts/deps.sh: run as root (apt-get needs it)" >&2
    exit 1
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >/dev/null
fi
# AF_XDP programs pin nothing, but libxdp's dispatcher wants bpffs.
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
