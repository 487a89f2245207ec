#!/bin/bash
# test_xswd_forward: xswd end to end, with static flows added by xswctl:
#
#   ns1: veth0 10.203.0.1 <-veth-> A (port 1) \
#   ns2: veth0 10.203.0.2 <-veth-> B (port 2) -[ xswd bridge BR ]
#   ns3: veth0 10.203.0.3 <-veth-> C (port 3, xdp_mode = skb) /
#
# Checks that `show` reports the modes in force, that frames without a flow
# are counted as misses, that ping, UDP and iperf3 TCP get through, that
# push_vlan, pop_vlan, set(eth) and set(ipv4) are done on the wire (seen by
# tcpdump in ns2, and the rewritten datagrams accepted by ns2's UDP), that a
# drop flow drops, that dump-flows counts exactly what was sent, and that
# SIGTERM leaves no XDP program, TAP device or socket file (and, in an ASan
# build, no sanitizer report).  Needs root.
#
# The namespaces have IPv6 off and static neighbours, so that the only
# frames on the wire are the test's own and flow counters can be exact.
# xswd's own slow path (the learning switch) installs flows for what misses
# and its revalidator treats every flow as its own, as OVS does: the test's
# flows cover all the IPv4 it sends, so that nothing of it misses once they
# are in, they never idle out during the run (flow_idle_timeout_ms), and no
# port changes while they are in use (a port change has every flow decided
# again).
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping tcpdump iperf3
PY=/usr/bin/python3
xsw_require_xswd
$PY -c 'import scapy' 2>/dev/null || tap_skip_all "python3-scapy is not installed"
xsw_bpffs_ensure

tap_plan 28

NS1=$(xsw_name n1)
NS2=$(xsw_name n2)
NS3=$(xsw_name n3)
A=$(xsw_name a)
B=$(xsw_name b)
C=$(xsw_name c)
BR=$(xsw_name br)
NET=10.203.0
MAC1=02:00:00:cb:00:01
MAC2=02:00:00:cb:00:02
MAC3=02:00:00:cb:00:03
F12="in_port(1),eth_type(0x0800),ipv4(dst=$NET.2)"
F13="in_port(1),eth_type(0x0800),ipv4(dst=$NET.3)"
F21="in_port(2),eth_type(0x0800)"
F31="in_port(3),eth_type(0x0800)"
FPOP="in_port(1),eth_type(0x8100),vlan(vid=10,pcp=0),encap(eth_type(0x0800))"

# ------------------------------------------------------------------ helpers

# host N MAC: namespace N's end gets the address MAC, and static neighbours
# (no ARP: nothing but the test's frames).
host() {
    ip -n "$(xsw_name "n$1")" link set veth0 address "$2" &&
        xsw_neigh_static "$(xsw_name "n$1")" veth0 $NET.1 $MAC1 $NET.2 $MAC2 $NET.3 $MAC3
}

# snmp NS PROTO FIELD: a counter of /proc/net/snmp in NS ("Udp" "NoPorts").
snmp() {
    ip netns exec "$1" awk -v p="$2:" -v f="$3" '
        $1 == p && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
        $1 == p && n { print $col[f] }' /proc/net/snmp
}

# Frame length of the datagrams of xsw_udp_send: Ethernet 14 + IPv4 20 +
# UDP 8 + 2.
UDP_FRAME=44

# flow_field KEY FIELD: FIELD (packets, bytes) of the flow KEY in dump-flows.
flow_field() {
    xsw_flow_field "$(xsw_ctl dump-flows 2>/dev/null | grep -F "$1, " | head -1)" "$2"
}

# flow_packets_ge KEY N: the flow has counted N packets or more.
flow_packets_ge() {
    _p=$(flow_field "$1" packets)
    [ -n "$_p" ] && [ "$_p" -ge "$2" ]
}

upcalls_queued() {
    xsw_ctl upcall-stats 2>/dev/null | sed -n 's/^ *queued: *\([0-9]*\).*/\1/p' | head -1
}

# cap_start NAME FILTER...: a capture of what reaches ns2, until
# xsw_cap_stop NAME.
cap_start() {
    _n=$1
    shift
    xsw_cap_start "$_n" "$NS2" veth0 "$@"
}

# scapy_ns1 ARG... <SCRIPT: runs the python script on stdin (scapy) in ns1.
scapy_ns1() {
    ip netns exec "$NS1" $PY - "$@" 2>"$XSW_T_TMP/scapy.err" ||
        { sed 's/^/# scapy: /' "$XSW_T_TMP/scapy.err"; return 1; }
}

# ------------------------------------------------------------------ topology
for n in 1 2 3; do
    xsw_ns_add "$(xsw_name "n$n")" && xsw_ns_no_ipv6 "$(xsw_name "n$n")" ||
        tap_bail_out "cannot create the namespaces"
done
xsw_veth_add "$A" "$NS1" veth0 $NET.1/24 &&
    xsw_veth_add "$B" "$NS2" veth0 $NET.2/24 &&
    xsw_veth_add "$C" "$NS3" veth0 $NET.3/24 &&
    host 1 $MAC1 && host 2 $MAC2 && host 3 $MAC3 ||
    tap_bail_out "cannot build the veths"
# An unreachable source for the set(ipv4) check: ns2's answers to it go
# back to ns1 rather than to an ARP request.
xsw_neigh_static "$NS2" veth0 $NET.99 $MAC1

{
    xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096" \
        "flow_idle_timeout_ms = 3600000"
    xsw_ini_section "bridge.$BR"
    xsw_ini_port p1 "$BR" "$A" 1
    xsw_ini_port p2 "$BR" "$B" 2
    xsw_ini_port p3 "$BR" "$C" 3 "xdp_mode = skb"
} >"$XSW_T_TMP/xsw.ini"

# xswd deletes the bridge's TAP device when it stops; if it crashed, this
# does.  xswd first: the TAP is its own until it exits.
xsw_on_exit "xsw_bg_stop xswd 3; xsw_link_del $BR"
xsw_check_xswd_start "xswd starts and answers on $XSW_T_SOCK" "$XSW_T_TMP/xsw.ini"

# ---------------------------------------------------------------- show
xsw_ctl show >"$XSW_T_TMP/show.out" 2>&1
sed 's/^/# /' "$XSW_T_TMP/show.out"
show_port() {
    grep -qE "^  port $1: $2 \\(afxdp: $3(, dispatcher)?\\)$" "$XSW_T_TMP/show.out"
}
if show_port 1 "$A" "xdp=native, copy, queues=1" &&
    show_port 2 "$B" "xdp=native, copy, queues=1" &&
    grep -q "^  port 0: $BR (internal)$" "$XSW_T_TMP/show.out"; then
    tap_ok "show: the veth ports in native XDP, copy mode, one queue; port 0 internal"
else
    tap_not_ok "show: the veth ports in native XDP, copy mode, one queue; port 0 internal"
fi
tap_check "show: port 3, xdp_mode = skb in the file, in skb mode" \
    show_port 3 "$C" "xdp=skb, copy, queues=1"

# ---------------------------------------------------------------- misses
# No flow yet.  Each frame has a source address of its own, so that each
# misses even after the slow path has installed a flow for the one before
# (a new source must miss: it is learned).  The destination is nobody's:
# the frames are flooded, and no host answers them.
N_MISS=40
miss0=$(xsw_show_lookups "$BR" missed)
up0=$(upcalls_queued)
scapy_ns1 "$N_MISS" 02:00:00:ee:ff:fe "$NET.250" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, sendp
n, dst, ip = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sendp([Ether(src='02:00:00:ee:%02x:%02x' % (i >> 8, i & 255), dst=dst) /
       IP(src='10.203.0.1', dst=ip) / UDP(sport=4000, dport=7000) / b'miss'
       for i in range(n)], iface='veth0', verbose=False)
PY
missed_enough() {
    _m=$(xsw_show_lookups "$BR" missed)
    [ -n "$_m" ] && [ $((_m - miss0)) -ge $N_MISS ]
}
if xsw_wait_for 3 missed_enough; then
    tap_ok "$N_MISS frames without a flow: show counts them missed ($miss0 -> $(xsw_show_lookups "$BR" missed))"
else
    tap_not_ok "$N_MISS frames without a flow: show counts them missed ($miss0 -> $(xsw_show_lookups "$BR" missed))"
fi
up1=$(upcalls_queued)
if [ -n "$up0" ] && [ -n "$up1" ] && [ $((up1 - up0)) -ge $N_MISS ]; then
    tap_ok "upcall-stats: the misses were queued as upcalls ($up0 -> $up1)"
else
    tap_not_ok "upcall-stats: the misses were queued as upcalls ($up0 -> $up1)"
    xsw_ctl upcall-stats 2>&1 | sed 's/^/# /'
fi

# ---------------------------------------------------------------- flows
# The slow path's flows for the misses go first: the table is the test's.
xsw_ctl del-flows >/dev/null 2>&1
add_flows() {
    xsw_ctl add-flow "$F12" 2 && xsw_ctl add-flow "$F13" 3 &&
        xsw_ctl add-flow "$F21" 1 && xsw_ctl add-flow "$F31" 1 &&
        xsw_ctl add-flow "$FPOP" pop_vlan,2
}
tap_check "xswctl add-flow installs five flows" add_flows
tap_check "ping ns1 -> ns2 through xswd" xsw_ping_ok "$NS1" $NET.2
tap_check "ping ns1 -> ns3 through xswd (port 3 in skb mode)" xsw_ping_ok "$NS1" $NET.3

# ------------------------------------------------------- UDP and statistics
N_UDP=100
xsw_ctl mod-flow --clear "$F12" 2
noports0=$(snmp "$NS2" Udp NoPorts)
xsw_udp_send "$NS1" $NET.2 7001 $N_UDP
udp_arrived() {
    [ $(($(snmp "$NS2" Udp NoPorts) - noports0)) -ge $N_UDP ]
}
tap_check "$N_UDP UDP datagrams reach ns2" xsw_wait_for 5 udp_arrived
xsw_wait_for 3 flow_packets_ge "$F12" $N_UDP
p=$(flow_field "$F12" packets)
b=$(flow_field "$F12" bytes)
if [ "$p" = $N_UDP ] && [ "$b" = $((N_UDP * UDP_FRAME)) ]; then
    tap_ok "dump-flows: packets:$p bytes:$b for the flow that carried them"
else
    tap_not_ok "dump-flows: packets:$N_UDP bytes:$((N_UDP * UDP_FRAME)), got packets:$p bytes:$b"
    xsw_ctl dump-flows 2>&1 | sed 's/^/# /'
fi

# ---------------------------------------------------------------- iperf3
xsw_bg_start iperf_s ip netns exec "$NS2" iperf3 -s -1 -B $NET.2
iperf_listening() {
    ip netns exec "$NS2" ss -ltnH 2>/dev/null | grep -q ":5201 "
}
xsw_wait_for 5 iperf_listening
ip netns exec "$NS1" timeout 20 iperf3 -c $NET.2 -t 2 -J >"$XSW_T_TMP/iperf.json" 2>&1
st=$?
rate=$($PY -c '
import json, sys
print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))
' "$XSW_T_TMP/iperf.json" 2>/dev/null)
xsw_bg_wait iperf_s 5 >/dev/null
if [ $st = 0 ] && [ -n "$rate" ] && [ "$rate" -gt 0 ]; then
    tap_ok "iperf3 TCP ns1 -> ns2 for 2 s: $((rate / 1000000)) Mbit/s"
else
    tap_not_ok "iperf3 TCP ns1 -> ns2 for 2 s (status $st, rate '${rate}')" \
        "$XSW_T_TMP/iperf.json"
fi

# ---------------------------------------------------------------- push_vlan
N_WIRE=10
xsw_ctl mod-flow "$F12" "push_vlan(vid=10,pcp=0),2"
cap_start cpush "udp port 7002 or (vlan and udp port 7002)"
xsw_udp_send "$NS1" $NET.2 7002 $N_WIRE
xsw_cap_stop cpush
sed -n 1p "$XSW_T_TMP/cpush.out" | sed 's/^/# /'
tagged=$(grep -c "ethertype 802.1Q (0x8100), .*vlan 10, p 0, ethertype IPv4" "$XSW_T_TMP/cpush.out")
if [ "$(xsw_cap_count cpush)" = $N_WIRE ] && [ "$tagged" = $N_WIRE ]; then
    tap_ok "push_vlan(vid=10,pcp=0): $N_WIRE frames arrive in ns2 with an 802.1Q tag, VLAN 10"
else
    tap_not_ok "push_vlan(vid=10,pcp=0): $N_WIRE tagged frames in ns2 (got $(xsw_cap_count cpush), $tagged tagged)" \
        "$XSW_T_TMP/cpush.out"
fi

# ---------------------------------------------------------------- pop_vlan
noports0=$(snmp "$NS2" Udp NoPorts)
cap_start cpop "udp port 7005 or (vlan and udp port 7005)"
scapy_ns1 "$N_WIRE" "$MAC1" "$MAC2" <<'PY'
import sys
from scapy.all import Ether, Dot1Q, IP, UDP, sendp
n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sendp([Ether(src=src, dst=dst) / Dot1Q(vlan=10, prio=0) /
       IP(src='10.203.0.1', dst='10.203.0.2') / UDP(sport=4001, dport=7005) / b'pop'
       for _ in range(n)], iface='veth0', verbose=False)
PY
xsw_cap_stop cpop
sed -n 1p "$XSW_T_TMP/cpop.out" | sed 's/^/# /'
if [ "$(xsw_cap_count cpop)" = $N_WIRE ] && ! grep -q "802.1Q" "$XSW_T_TMP/cpop.out" &&
    [ "$(grep -c "$MAC1 > $MAC2, ethertype IPv4" "$XSW_T_TMP/cpop.out")" = $N_WIRE ]; then
    tap_ok "pop_vlan: $N_WIRE frames sent tagged (VLAN 10) arrive in ns2 untagged"
else
    tap_not_ok "pop_vlan: $N_WIRE frames sent tagged arrive untagged (got $(xsw_cap_count cpop))" \
        "$XSW_T_TMP/cpop.out"
fi
if [ $(($(snmp "$NS2" Udp NoPorts) - noports0)) = $N_WIRE ]; then
    tap_ok "pop_vlan: ns2's UDP took all $N_WIRE"
else
    tap_not_ok "pop_vlan: ns2's UDP took all $N_WIRE (got $(($(snmp "$NS2" Udp NoPorts) - noports0)))"
fi
p=$(flow_field "$FPOP" packets)
if [ "$p" = $N_WIRE ]; then
    tap_ok "dump-flows: the pop_vlan flow counted packets:$N_WIRE"
else
    tap_not_ok "dump-flows: the pop_vlan flow counted packets:$N_WIRE (got '$p')"
fi

# ---------------------------------------------------------------- set(eth)
NEWMAC=02:00:00:cb:aa:01
xsw_ctl mod-flow "$F12" "set(eth(src=$NEWMAC,dst=$MAC2)),2"
cap_start ceth "udp port 7003"
xsw_udp_send "$NS1" $NET.2 7003 $N_WIRE
xsw_cap_stop ceth
sed -n 1p "$XSW_T_TMP/ceth.out" | sed 's/^/# /'
if [ "$(xsw_cap_count ceth)" = $N_WIRE ] &&
    [ "$(grep -c "^[0-9:.]* $NEWMAC > $MAC2, ethertype IPv4" "$XSW_T_TMP/ceth.out")" = $N_WIRE ]; then
    tap_ok "set(eth(src=$NEWMAC)): $N_WIRE frames arrive with the new source"
else
    tap_not_ok "set(eth(src=$NEWMAC)): $N_WIRE frames arrive with the new source" \
        "$XSW_T_TMP/ceth.out"
fi

# ---------------------------------------------------------------- set(ipv4)
# ns2's kernel checks the IPv4 header and UDP checksums (the latter over
# the rewritten source, in the pseudo-header): NoPorts counts only the
# datagrams that pass, InCsumErrors those that do not.
xsw_ctl mod-flow "$F12" "set(ipv4(src=$NET.99)),2"
noports0=$(snmp "$NS2" Udp NoPorts)
csum0=$(snmp "$NS2" Udp InCsumErrors)
hdrerr0=$(snmp "$NS2" Ip InHdrErrors)
cap_start cip "udp port 7004"
xsw_udp_send "$NS1" $NET.2 7004 $N_WIRE
xsw_cap_stop cip
sed -n 1p "$XSW_T_TMP/cip.out" | sed 's/^/# /'
if [ "$(xsw_cap_count cip)" = $N_WIRE ] &&
    [ "$(grep -c "$NET.99\.[0-9]* > $NET.2.7004:" "$XSW_T_TMP/cip.out")" = $N_WIRE ]; then
    tap_ok "set(ipv4(src=$NET.99)): $N_WIRE datagrams arrive from the new source"
else
    tap_not_ok "set(ipv4(src=$NET.99)): $N_WIRE datagrams arrive from the new source" \
        "$XSW_T_TMP/cip.out"
fi
got=$(($(snmp "$NS2" Udp NoPorts) - noports0))
bad=$(($(snmp "$NS2" Udp InCsumErrors) - csum0 + $(snmp "$NS2" Ip InHdrErrors) - hdrerr0))
if [ "$got" = $N_WIRE ] && [ "$bad" = 0 ]; then
    tap_ok "set(ipv4): checksums fixed, ns2's UDP took all $N_WIRE"
else
    tap_not_ok "set(ipv4): checksums fixed, ns2's UDP took all $N_WIRE (took $got, $bad checksum or header errors)"
fi

# ---------------------------------------------------------------- drop
xsw_ctl mod-flow --clear "$F12" drop
cap_start cdrop "udp port 7006 or (vlan and udp port 7006)"
xsw_udp_send "$NS1" $NET.2 7006 $N_WIRE
xsw_wait_for 3 flow_packets_ge "$F12" $N_WIRE
xsw_cap_stop cdrop
p=$(flow_field "$F12" packets)
if [ "$(xsw_cap_count cdrop)" = 0 ] && [ "$p" = $N_WIRE ]; then
    tap_ok "drop: nothing arrives in ns2, dump-flows counts packets:$N_WIRE"
else
    tap_not_ok "drop: nothing arrives in ns2 (got $(xsw_cap_count cdrop)), packets:$N_WIRE (got '$p')" \
        "$XSW_T_TMP/cdrop.out"
fi
xsw_ctl dump-flows 2>&1 | sed 's/^/# /'

# Back to plain forwarding: the flow table still works after the changes.
xsw_ctl mod-flow "$F12" 2
tap_check "ping ns1 -> ns2 again after the action changes" xsw_ping_ok "$NS1" $NET.2

xsw_ctl show -s >"$XSW_T_TMP/shows.out" 2>&1
if grep -q "lookups: hit:[1-9]" "$XSW_T_TMP/shows.out" &&
    grep -A1 "^  port 2: " "$XSW_T_TMP/shows.out" | grep -q "RX packets:[1-9]"; then
    tap_ok "show -s: lookup hits and port counters"
else
    tap_not_ok "show -s: lookup hits and port counters" "$XSW_T_TMP/shows.out"
fi

# ---------------------------------------------------------------- SIGTERM
xsw_check_xswd_stop "$BR" "$A" "$B" "$C"
tap_check "still forwarding nothing: ping ns1 -> ns2 fails without xswd" \
    eval "! ip netns exec $NS1 ping -c 1 -W 1 -q $NET.2 >/dev/null 2>&1"

# ----------------------------------------------------------------- cleanup
xsw_check_cleanup
