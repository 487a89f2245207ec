#!/bin/bash
# test_xswctl_offline: xswctl's commands that need no daemon, on real input.
# Frames built with scapy go into a pcap; `xswctl extract` must print the
# OVS key of each, exactly; keys and actions round-trip through their text
# and netlink (hex) forms; bad input gives "error:" lines and exit 1; bad
# usage exit 2.  Runs without root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

XSWCTL=$XSW_BUILDDIR/xswctl
PY=/usr/bin/python3
xsw_require_file "$XSWCTL"
$PY -c 'import scapy' 2>/dev/null || tap_skip_all "python3-scapy is not installed"

tap_plan 12

cd "$XSW_T_TMP" || tap_bail_out "no scratch directory"

$PY - <<'PY' 2>/dev/null
from scapy.all import *
from scapy.contrib.mpls import MPLS
s = '00:00:00:00:00:01'; d = '00:00:00:00:00:02'
ip = dict(src='10.0.0.1', dst='10.0.0.2')
frames = [
    Ether(src=s, dst=d)/IP(tos=0x28, ttl=63, **ip)/TCP(sport=1234, dport=80, flags='SA'),
    Ether(src=s, dst=d)/Dot1Q(vlan=10, prio=3)/IP(**ip)/UDP(sport=53, dport=5353),
    Ether(src=s, dst=d)/Dot1AD(vlan=100)/Dot1Q(vlan=20)/IP(src='1.1.1.1', dst='2.2.2.2')/ICMP(type=8),
    Ether(src=s, dst=d)/IPv6(src='2001:db8::1', dst='2001:db8::2', tc=0x10, fl=0x12345, hlim=5)/TCP(sport=1, dport=2, flags='F'),
    Ether(src=s, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=s, psrc='10.0.0.1', pdst='10.0.0.2'),
    Ether(src=s, dst=d)/IPv6(src='fe80::1', dst='ff02::1:ff00:1')/ICMPv6ND_NS(tgt='fe80::2')/ICMPv6NDOptSrcLLAddr(lladdr=s),
    Ether(src=s, dst=d)/IP(flags='MF', frag=0, **ip)/UDP(sport=7, dport=9)/Raw(b'x' * 16),
    Ether(src=s, dst=d)/IP(frag=10, proto=17, **ip)/Raw(b'x' * 16),
    Ether(src=s, dst=d)/MPLS(label=100, s=0, ttl=64)/MPLS(label=200, s=1, ttl=63)/IP(),
    Ether(src=s, dst=d, type=0x0800)/Raw(bytes(IP(**ip)/TCP())[:20]),
    Ether(src=s, dst=d, type=0x8100),
    Ether(src=s, dst=d)/IP(**ip)/SCTP(sport=5, dport=6),
]
wrpcap('frames.pcap', frames)
PY
[ -s frames.pcap ] || tap_bail_out "scapy could not write the capture"

M='recirc_id(0),dp_hash(0),skb_priority(0),in_port(0),skb_mark(0)'
E='eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)'
cat >expected <<EOF2
$M,$E,eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0x28,ttl=63,frag=no),tcp(src=1234,dst=80),tcp_flags(syn|ack)
$M,$E,eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=53,dst=5353))
$M,$E,eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),vlan(vid=20,pcp=0),encap(eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)))
$M,$E,eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0x12345,proto=6,tclass=0x10,hlimit=5,frag=no),tcp(src=1,dst=2),tcp_flags(fin)
$M,eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.2,op=1,sha=00:00:00:00:00:01,tha=00:00:00:00:00:00)
$M,$E,eth_type(0x86dd),ipv6(src=fe80::1,dst=ff02::1:ff00:1,label=0,proto=58,tclass=0,hlimit=255,frag=no),icmpv6(type=135,code=0),nd(target=fe80::2,sll=00:00:00:00:00:01,tll=00:00:00:00:00:00)
$M,$E,eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=first),udp(src=7,dst=9)
$M,$E,eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=later)
$M,$E,eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=0,label=200,tc=0,ttl=63,bos=1)
$M,$E,eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=0,dst=0),tcp_flags(0)
$M,$E,eth_type(0x8100),vlan(vid=0,pcp=0,cfi=0),encap()
$M,$E,eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=132,tos=0,ttl=64,frag=no),sctp(src=5,dst=6)
EOF2

# 1: every frame's key, exactly as OVS writes it.
"$XSWCTL" extract frames.pcap >extracted 2>extract.err
if diff -u expected extracted >diff.out; then
    tap_ok "extract: the OVS key of each of 12 scapy frames (TCP, VLAN, QinQ, IPv6, ARP, ND, fragments, MPLS, truncated TCP and VLAN, SCTP)"
else
    tap_not_ok "extract: keys differ from the expected ones" diff.out extract.err
fi

# 2: metadata given on the command line.
tap_check "extract --in-port 5 sets in_port(5) on every key" \
    sh -c "'$XSWCTL' extract --in-port 5 frames.pcap | grep -c 'in_port(5)' | grep -qx 12"

# 3: frame -> key -> netlink (hex) -> key -> text is the same text.
"$XSWCTL" extract --hex frames.pcap >hex
"$XSWCTL" parse-keys --from-hex <hex >fromhex 2>&1
if diff -u expected fromhex >diff2.out; then
    tap_ok "extract --hex | parse-keys --from-hex gives back the same keys"
else
    tap_not_ok "netlink round trip changed a key" diff2.out
fi

# 4: text -> netlink -> text: the canonical text reads back unchanged.
"$XSWCTL" parse-keys <expected >reparsed 2>&1
tap_check "parse-keys prints each canonical key unchanged" diff -u expected reparsed

# 5: text -> hex -> text.
"$XSWCTL" parse-keys --hex <expected | "$XSWCTL" parse-keys --from-hex >rehex 2>&1
tap_check "parse-keys --hex | parse-keys --from-hex round-trips" diff -u expected rehex

# 6: masked keys, printed as ovs-dpctl dump-flows prints them.
printf '%s\n' 'in_port(1),eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),ipv4(src=10.0.0.0/255.0.0.0,proto=6),tcp(dst=80))' >masked.in
"$XSWCTL" parse-keys --masked <masked.in >masked.out 2>&1
tap_check "parse-keys --masked keeps value/mask fields and leaves wildcards out" diff -u masked.in masked.out

# 7: a bad line gives one "error:" line in its place, the others still print; exit 1.
printf '%s\n' 'in_port(1)' 'ipv4(src=300.1.1.1)' 'foo(1)' 'eth_type(0x0800),eth_type(0x0800)' 'in_port(2)' >bad.in
"$XSWCTL" parse-keys <bad.in >bad.out 2>&1
rc=$?
if [ $rc = 1 ] && [ "$(wc -l <bad.out)" = 5 ] && [ "$(grep -c '^error: ' bad.out)" = 3 ] \
   && grep -q "foo" bad.out && sed -n 5p bad.out | grep -q 'in_port(2)'; then
    tap_ok "parse-keys: one error line per bad key, naming the problem; exit 1"
else
    tap_not_ok "parse-keys error handling (exit $rc)" bad.out
fi

# 8: actions round-trip through text and hex.
cat >acts <<'EOF2'
1,2,3
push_vlan(vid=10,pcp=0),2,pop_vlan,3
set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)),1
sample(sample=50.0%,actions(1)),clone(push_vlan(vid=5,pcp=1),2),recirc(0x10)
trunc(100),4
drop
EOF2
"$XSWCTL" parse-actions <acts >acts.out 2>&1 && "$XSWCTL" parse-actions --hex <acts \
    | "$XSWCTL" parse-actions --from-hex >acts.hex 2>&1
if diff -u acts acts.out >d1 && diff -u acts acts.hex >d2; then
    tap_ok "parse-actions: output, VLAN, set, sample, clone, recirc, trunc, drop round-trip (text and hex)"
else
    tap_not_ok "parse-actions round trip" d1 d2
fi

# 9: actions the datapath would refuse are refused offline too.
printf '%s\n' 'push_vlan(tpid=0x1234,vid=1,pcp=0)' 'frobnicate(1)' >bada
"$XSWCTL" parse-actions <bada >bada.out 2>&1
rc=$?
tap_check "parse-actions: bad actions give error lines and exit 1" \
    sh -c "[ $rc = 1 ] && [ \$(grep -c '^error: ' bada.out) = 2 ]"

# 10-12: usage and file errors.
"$XSWCTL" extract >/dev/null 2>u1.err
tap_check "extract without a file: exit 2 and a usage message" \
    sh -c "[ $? = 2 ] && grep -q 'expected one capture file' u1.err"
"$XSWCTL" extract no-such.pcap >/dev/null 2>u2.err
tap_check "extract of a missing file: exit 1 naming the file" \
    sh -c "[ $? = 1 ] && grep -q 'no-such.pcap' u2.err"
"$XSWCTL" parse-keys --bogus </dev/null >/dev/null 2>u3.err
tap_check "parse-keys with an unknown option: exit 2" \
    sh -c "[ $? = 2 ] && grep -q 'unknown option' u3.err"
