#!/bin/bash
# test_vlan: VLAN isolation in xswd's learning switch, with access ports in
# VLANs 10 and 20, a trunk and a native-untagged port:
#
#   nsa: veth0 10.212.10.1 (+10.212.20.1) <-veth-> A (port 1, access 10) \
#   nsb: veth0 10.212.20.2 (+10.212.10.2) <-veth-> B (port 2, access 20)  \
#   nsc: veth0 10.212.10.3                <-veth-> C (port 3, access 10)   \_ BR
#   nst: veth0 (vlan_host.py: 10.212.10.4 on VLAN 10,                      /
#               10.212.20.4 on VLAN 20)   <-veth-> T (port 4, trunk 10,20) /
#   nsn: veth0 10.212.20.5 (vlan_host.py:
#               10.212.10.5 on VLAN 10)   <-veth-> N (port 5, native-untagged,
#                                                   tag 20, trunks 10)
#
# The tagged hosts are tests/tools/vlan_host.py, which answers ARP and ping
# per VLAN as a host with 802.1Q interfaces would (the kernel may have
# none).  A and B each have a second address in the other VLAN's subnet, so
# that a leak between the VLANs would let a ping through.
#
# Checks that hosts in one VLAN reach each other, across the trunk and the
# native port too; that nothing crosses between VLAN 10 and VLAN 20: pings,
# ARP, broadcast, unknown unicast and unicast to a station known in the
# other VLAN, sent untagged from the access ports, tagged from the trunk,
# untagged or tagged from the native port; that frames with a VLAN the port
# does not carry (20 on an access port of VLAN 10, 30 or none on the trunk,
# 30 on the native port) are dropped; that frames carry the right tag on
# the trunk (always) and on the native port (VLAN 10 only), and that access
# ports get untagged frames only; that fdb-show has each station in its
# VLAN; that the megaflows push and pop the tags; and that when a reload
# moves C to VLAN 20 the bridge forgets C, no flow sends VLAN 10 frames to
# it, and C then talks in VLAN 20 only.  Captures are on the namespace
# side, incoming frames only.  Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping tcpdump
PY=/usr/bin/python3
L2SEND=$XSW_SRCDIR/tests/tools/l2send.py
VLAN_HOST=$XSW_SRCDIR/tests/tools/vlan_host.py
xsw_require_xswd "$L2SEND" "$VLAN_HOST"
[ -x "$PY" ] || tap_skip_all "needs $PY"
xsw_bpffs_ensure

tap_plan 38

BR=$(xsw_name br)
N=10
MAC_A=02:00:00:d4:00:01
MAC_B=02:00:00:d4:00:02
MAC_C=02:00:00:d4:00:03
MAC_T=02:00:00:d4:00:04
MAC_N=02:00:00:d4:00:05
NOBODY=02:00:00:d4:ee:ee
IP_A=10.212.10.1
IP_A20=10.212.20.1
IP_B=10.212.20.2
IP_B10=10.212.10.2
IP_C=10.212.10.3
IP_T10=10.212.10.4
IP_T20=10.212.20.4
IP_N=10.212.20.5
IP_N10=10.212.10.5

# host H MAC ADDR/PLEN...: namespace "nsH" on root link "pH", IPv6 off.
host() {
    _ns=$(xsw_name "n$1")
    _link=$(xsw_name "p$1")
    _mac=$2
    shift 2
    xsw_ns_add "$_ns" && xsw_ns_no_ipv6 "$_ns" &&
        xsw_veth_add "$_link" "$_ns" veth0 &&
        ip -n "$_ns" link set veth0 address "$_mac" || return 1
    for _a in "$@"; do
        ip -n "$_ns" addr add "$_a" dev veth0 || return 1
    done
}

# ping_ok H ADDR: every echo of three answered.
ping_ok() {
    xsw_ping_ok "$(xsw_name "n$1")" "$2"
}

# ping_fails H ADDR: no echo of three answered.
ping_fails() {
    ! ip netns exec "$(xsw_name "n$1")" ping -c 3 -i 0.2 -w 2 -q "$2" \
        >"$XSW_T_TMP/ping.out" 2>&1
}

# cap_start H: a capture "capH" of what host H's veth0 receives, until
# xsw_cap_stop.
cap_start() {
    xsw_cap_start "cap$1" "$(xsw_name "n$1")" veth0 -Q in
}

# cap H: the captured lines of host H.
cap() {
    cat "$XSW_T_TMP/cap$1.out"
}

# tagged H DPORT: "tagged-10 tagged-20 untagged other-tag", the frames of a
# phase (UDP to DPORT) that host H received.
tagged() {
    cap "$1" | grep -E "\\.$2: UDP" >"$XSW_T_TMP/tally"
    printf '%s %s %s %s' "$(grep -c ': vlan 10, ' "$XSW_T_TMP/tally")" \
        "$(grep -c ': vlan 20, ' "$XSW_T_TMP/tally")" \
        "$(grep -vc ' 802\.1Q ' "$XSW_T_TMP/tally")" \
        "$(grep ' 802\.1Q ' "$XSW_T_TMP/tally" | grep -vcE ': vlan (10|20), ')"
}

# tally DPORT: what the hosts received of a phase, "A B C T N", each as
# tagged prints it.
tally() {
    printf '%s / %s / %s / %s / %s' "$(tagged a "$1")" "$(tagged b "$1")" \
        "$(tagged c "$1")" "$(tagged t "$1")" "$(tagged n "$1")"
}

# ------------------------------------------------------------------ topology
host a $MAC_A $IP_A/24 $IP_A20/24 &&
    host b $MAC_B $IP_B/24 $IP_B10/24 &&
    host c $MAC_C $IP_C/24 &&
    host t $MAC_T &&
    host n $MAC_N $IP_N/24 ||
    tap_bail_out "cannot build the namespaces and veths"

{
    xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096" \
        "flow_idle_timeout_ms = 600000"
    xsw_ini_section "bridge.$BR" "internal_port = no"
    xsw_ini_port a "$BR" "$(xsw_name pa)" 1 "vlan_mode = access" "tag = 10"
    xsw_ini_port b "$BR" "$(xsw_name pb)" 2 "vlan_mode = access" "tag = 20"
    xsw_ini_port c "$BR" "$(xsw_name pc)" 3 "vlan_mode = access" "tag = 10"
    xsw_ini_port t "$BR" "$(xsw_name pt)" 4 "vlan_mode = trunk" "trunks = 10,20"
    xsw_ini_port n "$BR" "$(xsw_name pn)" 5 "vlan_mode = native-untagged" "tag = 20" \
        "trunks = 10"
} >"$XSW_T_TMP/xsw.ini"

xsw_bg_start vhost ip netns exec "$(xsw_name nt)" $PY "$VLAN_HOST" veth0 \
    10=$IP_T10 20=$IP_T20
xsw_bg_start vhostn ip netns exec "$(xsw_name nn)" $PY "$VLAN_HOST" veth0 10=$IP_N10
if xsw_xswd_start xswd "$XSW_T_TMP/xsw.ini" "$BR" &&
    xsw_wait_for 5 grep -q ready "$XSW_T_TMP/vhost.out" &&
    xsw_wait_for 5 grep -q ready "$XSW_T_TMP/vhostn.out"; then
    tap_ok "xswd starts with access, trunk and native-untagged ports; the tagged hosts listen"
else
    tap_not_ok "xswd starts with access, trunk and native-untagged ports; the tagged hosts listen" \
        "$XSW_T_TMP/xswd.err" "$XSW_T_TMP/vhost.err" "$XSW_T_TMP/vhostn.err"
    tap_bail_out "xswd did not start"
fi
for h in a b c t n; do
    cap_start $h || tap_bail_out "tcpdump does not start"
done

# ------------------------------------------------------------ within a VLAN
tap_check "VLAN 10: ping A -> C (access to access)" ping_ok a $IP_C
tap_check "VLAN 10: ping A -> the trunk host's VLAN 10 address" ping_ok a $IP_T10
tap_check "VLAN 10: ping C -> the trunk host's VLAN 10 address" ping_ok c $IP_T10
tap_check "VLAN 20: ping B -> the trunk host's VLAN 20 address" ping_ok b $IP_T20
tap_check "VLAN 20: ping B -> N (its native VLAN, untagged)" ping_ok b $IP_N
tap_check "VLAN 10: ping A -> N's VLAN 10 address (tagged on N's port)" ping_ok a $IP_N10

# ---------------------------------------------------------- across VLANs
tap_check "A cannot reach B's address in A's subnet ($IP_B10)" ping_fails a $IP_B10
tap_check "B cannot reach A's address in B's subnet ($IP_A20)" ping_fails b $IP_A20
tap_check "A cannot reach the trunk host's VLAN 20 address" ping_fails a $IP_T20

# ---------------------------------------------------------- crafted frames
# phase DPORT EXPECTED DESCRIPTION H L2SEND-ARGS...: N frames from host
# H, and what each host should receive of them (as tally prints it).
phase() {
    _d=$1
    _exp=$2
    _desc=$3
    _h=$4
    shift 4
    xsw_l2send "$(xsw_name "n$_h")" veth0 "$@" --count $N --dport "$_d" || {
        tap_not_ok "$_desc (l2send failed)"
        return
    }
    echo "$_d|$_exp|$_desc" >>"$XSW_T_TMP/phases"
}
: >"$XSW_T_TMP/phases"
phase 41001 "0 0 0 0 / 0 0 0 0 / 0 0 $N 0 / $N 0 0 0 / $N 0 0 0" \
    "broadcast from A (VLAN 10): C untagged, T and N tagged 10, not B" \
    a
phase 41002 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 $N 0 0 / 0 0 $N 0" \
    "broadcast from B (VLAN 20): T tagged 20, N untagged, not A or C" \
    b
phase 41003 "0 0 $N 0 / 0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / $N 0 0 0" \
    "broadcast tagged 10 from T: A and C untagged, N tagged 10, not B" \
    t --vlan 10
phase 41004 "0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / 0 0 0 0 / 0 0 $N 0" \
    "broadcast tagged 20 from T: B and N untagged, not A or C" \
    t --vlan 20
phase 41005 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0" \
    "untagged broadcast from T (VLAN 0 not in trunks): dropped" \
    t
phase 41006 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0" \
    "broadcast tagged 30 from T (not in trunks): dropped" \
    t --vlan 30
phase 41007 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0" \
    "broadcast tagged 20 from A (access port of VLAN 10): dropped" \
    a --vlan 20
phase 41008 "0 0 0 0 / 0 0 0 0 / 0 0 $N 0 / $N 0 0 0 / $N 0 0 0" \
    "unknown unicast from A: flooded in VLAN 10 only" \
    a --dst $NOBODY
phase 41009 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 $N 0 0 / 0 0 $N 0" \
    "from B to A's address (known in VLAN 10 only): flooded in VLAN 20" \
    b --dst $MAC_A
phase 41010 "0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / 0 0 0 0 / 0 0 $N 0" \
    "tagged 20 from T to A's address: flooded in VLAN 20, to B and N" \
    t --vlan 20 --dst $MAC_A
phase 41011 "0 0 $N 0 / 0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / $N 0 0 0" \
    "tagged 10 from T to B's address: flooded in VLAN 10, to A, C and N" \
    t --vlan 10 --dst $MAC_B
phase 41012 "0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / 0 $N 0 0 / 0 0 0 0" \
    "untagged broadcast from N: its native VLAN 20, B untagged, T tagged 20" \
    n
phase 41013 "0 0 $N 0 / 0 0 0 0 / 0 0 $N 0 / $N 0 0 0 / 0 0 0 0" \
    "broadcast tagged 10 from N: A and C untagged, T tagged 10, not B" \
    n --vlan 10
phase 41014 "0 0 0 0 / 0 0 $N 0 / 0 0 0 0 / 0 $N 0 0 / 0 0 0 0" \
    "broadcast tagged 20 (its native VLAN) from N: as untagged ones" \
    n --vlan 20
phase 41015 "0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0 / 0 0 0 0" \
    "broadcast tagged 30 from N (not carried): dropped" \
    n --vlan 30

xsw_cap_stop capa capb capc capt capn
while IFS='|' read -r d exp desc; do
    got=$(tally "$d")
    if [ "$got" = "$exp" ]; then
        tap_ok "$desc"
    else
        tap_not_ok "$desc"
        tap_diag "received (A / B / C / T / N, each: tagged 10, tagged 20, untagged, other tag)"
        tap_diag "  got      $got"
        tap_diag "  expected $exp"
    fi
done <"$XSW_T_TMP/phases"

# ------------------------------------------------- everything captured
# By source address, over the whole run (pings, ARP, crafted frames).
leak=$( (cap a; cap c) | grep -c "^[^ ]* $MAC_B > ")
leak=$((leak + $(cap b | grep -cE "^[^ ]* ($MAC_A|$MAC_C) > ")))
if [ "$leak" = 0 ]; then
    tap_ok "no frame of B's reached A or C, none of A's or C's reached B"
else
    tap_not_ok "no frame of B's reached A or C, none of A's or C's reached B ($leak did)"
fi
n10=$(cap t | grep -cE "^[^ ]* ($MAC_A|$MAC_C) > ")
bad=$(cap t | grep -E "^[^ ]* ($MAC_A|$MAC_C) > " | grep -vc ': vlan 10, ')
n20=$(cap t | grep -cE "^[^ ]* $MAC_B > ")
bad=$((bad + $(cap t | grep -E "^[^ ]* $MAC_B > " | grep -vc ': vlan 20, ')))
if [ "$bad" = 0 ] && [ "$n10" -gt 0 ] && [ "$n20" -gt 0 ]; then
    tap_ok "on the trunk, A's and C's $n10 frames are tagged 10, B's $n20 tagged 20"
else
    tap_not_ok "on the trunk, A's and C's frames are tagged 10, B's tagged 20 ($bad of $((n10 + n20)) are not)"
fi
n10=$(cap n | grep -cE "^[^ ]* ($MAC_A|$MAC_C) > ")
bad=$(cap n | grep -E "^[^ ]* ($MAC_A|$MAC_C) > " | grep -vc ': vlan 10, ')
n20=$(cap n | grep -cE "^[^ ]* $MAC_B > ")
bad=$((bad + $(cap n | grep -E "^[^ ]* $MAC_B > " | grep -c ' 802\.1Q ')))
if [ "$bad" = 0 ] && [ "$n10" -gt 0 ] && [ "$n20" -gt 0 ]; then
    tap_ok "on the native port, A's and C's $n10 frames are tagged 10, B's $n20 untagged"
else
    tap_not_ok "on the native port, A's and C's frames are tagged 10, B's untagged ($bad of $((n10 + n20)) are not)"
fi
tagged=$( (cap a; cap b; cap c) | grep -c ' 802\.1Q ')
if [ "$tagged" = 0 ]; then
    tap_ok "the access ports receive untagged frames only"
else
    tap_not_ok "the access ports receive untagged frames only ($tagged tagged)"
fi
# The pings between A and the trunk host, on the wire.
req=$(cap t | grep -F "$IP_A > $IP_T10: ICMP echo request" | grep -c ': vlan 10, p 0, ')
rep=$(cap a | grep -F "$IP_T10 > $IP_A: ICMP echo reply" | grep -c ', ethertype IPv4 ')
if [ "$req" = 3 ] && [ "$rep" = 3 ]; then
    tap_ok "ping A -> trunk: requests tagged \"vlan 10, p 0\" on the trunk, replies untagged at A"
else
    tap_not_ok "ping A -> trunk: requests tagged \"vlan 10, p 0\" on the trunk, replies untagged at A ($req and $rep of 3)"
fi

# ------------------------------------------------------------ xswctl views
xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
sed 's/^/# /' "$XSW_T_TMP/fdb.out"
fdb_has() {
    grep -qE "^ +$1 +$2 +$3 +[0-9]+$" "$XSW_T_TMP/fdb.out"
}
# A and B have sent in their own VLAN only (the crafted frames with A's
# source tagged 20 were dropped before learning).
if fdb_has 1 10 $MAC_A && fdb_has 3 10 $MAC_C && fdb_has 2 20 $MAC_B &&
    fdb_has 4 10 $MAC_T && fdb_has 4 20 $MAC_T && fdb_has 5 10 $MAC_N &&
    fdb_has 5 20 $MAC_N && [ "$(grep -cE ' [0-9a-f:]{17} ' "$XSW_T_TMP/fdb.out")" = 7 ]; then
    tap_ok "fdb-show: A and C in VLAN 10, B in VLAN 20, T and N in both, nothing else"
else
    tap_not_ok "fdb-show: A and C in VLAN 10, B in VLAN 20, T and N in both, nothing else"
fi

xsw_ctl dump-flows "$BR" >"$XSW_T_TMP/flows.out" 2>&1
# flow_actions MATCH: the actions of the flow whose key starts with
# "in_port(...),eth(...)" MATCH, up to the counters.
flow_actions() {
    grep -F "),$1, packets:" "$XSW_T_TMP/flows.out" | sed -n 's/.* actions://p'
}
a_t=$(flow_actions "in_port(1),eth(src=$MAC_A,dst=$MAC_T)")
t_a=$(flow_actions "in_port(4),eth(src=$MAC_T,dst=$MAC_A),eth_type(0x8100),vlan(vid=10),encap()")
b_t=$(flow_actions "in_port(2),eth(src=$MAC_B,dst=$MAC_T)")
t_b=$(flow_actions "in_port(4),eth(src=$MAC_T,dst=$MAC_B),eth_type(0x8100),vlan(vid=20),encap()")
a_n=$(flow_actions "in_port(1),eth(src=$MAC_A,dst=$MAC_N)")
n_a=$(flow_actions "in_port(5),eth(src=$MAC_N,dst=$MAC_A),eth_type(0x8100),vlan(vid=10),encap()")
b_n=$(flow_actions "in_port(2),eth(src=$MAC_B,dst=$MAC_N)")
n_b=$(flow_actions "in_port(5),eth(src=$MAC_N,dst=$MAC_B)")
tap_diag "flows A -> T: $a_t; T -> A: $t_a; B -> T: $b_t; T -> B: $t_b"
tap_diag "flows A -> N: $a_n; N -> A: $n_a; B -> N: $b_n; N -> B: $n_b"
if [ "$a_t" = "push_vlan(vid=10,pcp=0),4" ] && [ "$t_a" = "pop_vlan,1" ] &&
    [ "$b_t" = "push_vlan(vid=20,pcp=0),4" ] && [ "$t_b" = "pop_vlan,2" ] &&
    [ "$a_n" = "push_vlan(vid=10,pcp=0),5" ] && [ "$n_a" = "pop_vlan,1" ] &&
    [ "$b_n" = "5" ] && [ "$n_b" = "2" ]; then
    tap_ok "dump-flows: push_vlan towards T, and towards N in VLAN 10 only; pop_vlan from tagged frames"
else
    tap_not_ok "dump-flows: push_vlan towards T, and towards N in VLAN 10 only; pop_vlan from tagged frames" \
        "$XSW_T_TMP/flows.out"
fi

# ------------------------------------------------- a port changes its VLAN
# C goes from VLAN 10 to VLAN 20 (xswctl reload): the port keeps its
# sockets, the bridge forgets what it learned on it, and no flow sends
# VLAN 10 traffic to it any more.  B's second address, in C's subnet, is
# now in C's VLAN; A is not.
sed -i "/^\[port.c\]/,/^tag/s/^tag = 10\$/tag = 20/" "$XSW_T_TMP/xsw.ini"
xsw_ctl reload >"$XSW_T_TMP/reload.out" 2>&1
st=$?
sed 's/^/# reload: /' "$XSW_T_TMP/reload.out"
xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
if [ $st = 0 ] && grep -q "1 changed (1 VLAN settings only)" "$XSW_T_TMP/reload.out" &&
    grep -q "port 3: $(xsw_name pc) " <(xsw_ctl show "$BR" 2>&1) &&
    ! grep -qE " $MAC_C " "$XSW_T_TMP/fdb.out"; then
    tap_ok "reload with C in VLAN 20: a VLAN-only change, port 3 kept, C's address forgotten"
else
    tap_not_ok "reload with C in VLAN 20: a VLAN-only change, port 3 kept, C's address forgotten" \
        "$XSW_T_TMP/fdb.out" "$XSW_T_TMP/xswd.err"
fi
# No flow takes VLAN 10 traffic (from A, or tagged 10 from T or N) to
# port 3 any more.
xsw_ctl dump-flows "$BR" >"$XSW_T_TMP/flows.out" 2>&1
to3=$(grep -E '^recirc_id\(0\),in_port\(1\),|vlan\(vid=10\)' "$XSW_T_TMP/flows.out" |
    grep -cE 'actions:(.*,)?3(,|$)')
if [ "$to3" = 0 ]; then
    tap_ok "after the reload, no flow outputs VLAN 10 frames to port 3"
else
    tap_not_ok "after the reload, no flow outputs VLAN 10 frames to port 3 ($to3 do)" \
        "$XSW_T_TMP/flows.out"
fi
tap_check "after the reload, C reaches B's address in its subnet (VLAN 20)" ping_ok c $IP_B10
tap_check "after the reload, C cannot reach A" ping_fails c $IP_A
xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
if fdb_has 3 20 $MAC_C && ! fdb_has 3 10 $MAC_C; then
    tap_ok "fdb-show: C learned again, in VLAN 20"
else
    tap_not_ok "fdb-show: C learned again, in VLAN 20" "$XSW_T_TMP/fdb.out"
fi

xsw_check_running "xswd still runs" xswd
