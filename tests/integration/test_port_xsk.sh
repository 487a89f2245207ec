#!/bin/bash
# test_port_xsk: the AF_XDP port layer end to end, with tests/tools/xsk_portcheck
# forwarding by descriptor between two veths:
#
#   ns1: veth0 10.201.0.1 <-veth-> A ==[xsk_portcheck]== B <-veth-> ns2: veth0 10.201.0.2
#
# Checks that ping and UDP get through, the modes reported (native/skb XDP,
# copy mode on veth), the counters, the umem's frame accounting, that the
# XDP program is gone from A and B after the forwarder stops, the errors for
# a missing device, for zero-copy on veth and for native XDP on a device
# without it, the fallback to skb mode there, and a device vanishing under a
# running forwarder.  Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping
PORTCHECK=$XSW_BUILDDIR/tests/tools/xsk_portcheck
BPF_OBJ=$XSW_BUILDDIR/bpf/xsw_redirect.bpf.o
xsw_require_file "$PORTCHECK" "$BPF_OBJ"
xsw_bpffs_ensure

tap_plan 25

NS1=$(xsw_name n1)
NS2=$(xsw_name n2)
A=$(xsw_name a)
B=$(xsw_name b)
IP2=10.201.0.2
N_UDP=200

# field LINE KEY: the value of KEY=value in a report line.
field() {
    echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# report NAME PORT: the forwarder's line for PORT.
report() {
    grep "^port $2:" "$XSW_T_TMP/$1.out"
}

ready() {
    grep -q '^ready$' "$XSW_T_TMP/$1.out"
}

# start NAME ARGS...: starts the forwarder between A and B and waits for it
# to be ready; a test point either way.
start() {
    _n=$1
    shift
    xsw_bg_start "$_n" "$PORTCHECK" -t 120 -o "$BPF_OBJ" "$@" "$A" "$B"
    _desc="xsk_portcheck${*:+ $*} opens $A and $B"
    if xsw_wait_for 10 ready "$_n"; then
        tap_ok "$_desc"
        return 0
    fi
    tap_not_ok "$_desc" "$XSW_T_TMP/$_n.err"
    return 1
}

udp_noports() {
    ip netns exec "$NS2" awk '/^Udp: [0-9]/ { print $3 }' /proc/net/snmp
}

# ------------------------------------------------------------------ topology
xsw_ns_add "$NS1" && xsw_ns_add "$NS2" &&
    xsw_veth_add "$A" "$NS1" veth0 10.201.0.1/24 &&
    xsw_veth_add "$B" "$NS2" veth0 $IP2/24 ||
    tap_bail_out "cannot build the namespaces and veths"

# ------------------------------------------------------- default (auto) mode
start pc
# Three pings, none lost (the first waits for ARP, through the forwarder too).
tap_check "ping $NS1 -> $NS2 through the forwarder" xsw_ping_ok "$NS1" $IP2

# UDP to a closed port: ns2's kernel counts each datagram in Udp NoPorts.
before=$(udp_noports)
xsw_udp_send "$NS1" $IP2 9 $N_UDP
udp_arrived() {
    [ $(($(udp_noports) - before)) -ge $N_UDP ]
}
tap_check "$N_UDP UDP datagrams reach $NS2" xsw_wait_for 5 udp_arrived

xsw_bg_stop pc
st=$?
if [ $st = 0 ]; then
    tap_ok "the forwarder stops on SIGTERM with status 0"
else
    tap_not_ok "the forwarder stops on SIGTERM with status 0 (got $st)" \
        "$XSW_T_TMP/pc.err"
fi

la=$(report pc "$A")
lb=$(report pc "$B")
tap_diag "$la"
tap_diag "$lb"
if [ "$(field "$la" xdp)" = native ] && [ "$(field "$lb" xdp)" = native ] &&
    [ "$(field "$la" mode)" = copy ] && [ "$(field "$lb" mode)" = copy ]; then
    tap_ok "reported: native XDP, copy mode on both veths"
else
    tap_not_ok "reported: native XDP, copy mode on both veths" "$XSW_T_TMP/pc.out"
fi
case "$(field "$la" dispatcher)/$(field "$lb" dispatcher)" in
yes/yes | no/no)
    tap_ok "reported: libxdp dispatcher=$(field "$la" dispatcher)"
    ;;
*)
    tap_not_ok "reported: libxdp dispatcher yes or no, the same on both" \
        "$XSW_T_TMP/pc.out"
    ;;
esac

# A received the pings and the datagrams, B sent them; the replies went the
# other way.
n=$((N_UDP + 3))
if [ "$(field "$la" rx)" -ge $n ] && [ "$(field "$lb" tx)" -ge $n ] &&
    [ "$(field "$lb" rx)" -ge 3 ] && [ "$(field "$la" tx)" -ge 3 ]; then
    tap_ok "counters: $A rx and $B tx >= $n, $B rx and $A tx >= 3"
else
    tap_not_ok "counters: $A rx and $B tx >= $n, $B rx and $A tx >= 3" \
        "$XSW_T_TMP/pc.out"
fi
if [ "$(field "$lb" tx_completed)" = "$(field "$lb" tx)" ] &&
    [ "$(field "$la" tx_invalid)" = 0 ] && [ "$(field "$lb" tx_invalid)" = 0 ]; then
    tap_ok "every frame sent came back on the completion ring, none invalid"
else
    tap_not_ok "every frame sent came back on the completion ring, none invalid" \
        "$XSW_T_TMP/pc.out"
fi

lu=$(grep '^umem:' "$XSW_T_TMP/pc.out")
tap_diag "$lu"
if [ -n "$lu" ] &&
    [ $(($(field "$lu" free) + $(field "$lu" lost))) = "$(field "$lu" frames)" ]; then
    tap_ok "umem: every frame back in the pool or counted lost"
else
    tap_not_ok "umem: every frame back in the pool or counted lost" "$XSW_T_TMP/pc.out"
fi
tap_check "no XDP program left on $A and $B" xsw_no_xdp "$A" "$B"

# --------------------------------------------------------- forced skb mode
start pcskb -m skb
tap_check "ping through the forwarder in skb mode" xsw_ping_ok "$NS1" $IP2
xsw_bg_stop pcskb
st=$?
la=$(report pcskb "$A")
tap_diag "$la"
if [ $st = 0 ] && [ "$(field "$la" xdp)" = skb ] &&
    [ "$(field "$(report pcskb "$B")" xdp)" = skb ] &&
    [ "$(field "$la" rx)" -ge 3 ]; then
    tap_ok "reported: skb XDP on both, frames forwarded"
else
    tap_not_ok "reported: skb XDP on both, frames forwarded" \
        "$XSW_T_TMP/pcskb.out" "$XSW_T_TMP/pcskb.err"
fi
tap_check "no XDP program left after skb mode" xsw_no_xdp "$A" "$B"

# ------------------------------------------------------------------ errors
NOPE=$(xsw_name zz)
"$PORTCHECK" -t 5 -o "$BPF_OBJ" "$A" "$NOPE" >"$XSW_T_TMP/nodev.out" \
    2>"$XSW_T_TMP/nodev.err"
st=$?
if [ $st != 0 ] && grep -q "$NOPE: no such device" "$XSW_T_TMP/nodev.err"; then
    tap_ok "a missing device: status $st, \"$(grep "$NOPE" "$XSW_T_TMP/nodev.err")\""
else
    tap_not_ok "a missing device: non-zero status and a message naming it" \
        "$XSW_T_TMP/nodev.err"
fi
tap_check "$A, opened before the failure, is left without XDP" xsw_no_xdp "$A" "$B"

"$PORTCHECK" -t 5 -b zc -o "$BPF_OBJ" "$A" "$B" >"$XSW_T_TMP/zc.out" \
    2>"$XSW_T_TMP/zc.err"
st=$?
if [ $st != 0 ] && grep -q "$A: queue 0: .* zero-copy mode" "$XSW_T_TMP/zc.err"; then
    tap_ok "forced zero-copy on veth: status $st, \"$(grep "$A" "$XSW_T_TMP/zc.err")\""
else
    tap_not_ok "forced zero-copy on veth fails with a message naming the mode" \
        "$XSW_T_TMP/zc.err"
fi
tap_check "no XDP program left after the zero-copy failure" xsw_no_xdp "$A" "$B"

"$PORTCHECK" -m native -o "$XSW_T_TMP/missing.bpf.o" "$A" "$B" \
    >/dev/null 2>"$XSW_T_TMP/obj.err"
st=$?
if [ $st != 0 ] && grep -q "opening XDP program .*missing.bpf.o" "$XSW_T_TMP/obj.err"; then
    tap_ok "a missing XDP object: status $st and a message naming it"
else
    tap_not_ok "a missing XDP object: non-zero status and a message naming it" \
        "$XSW_T_TMP/obj.err"
fi

# A device without native XDP (ifb): auto mode falls back to skb mode, a
# forced native mode fails and says so.
IFB=$(xsw_name i)
# Loading the ifb module makes its default devices (ifb0, ifb1) appear: if
# this test is what loads it, it unloads it again at the end.
if ! [ -d /sys/module/ifb ]; then
    xsw_on_exit "modprobe -r ifb 2>/dev/null"
fi
if xsw_link_add "$IFB" ifb; then
    "$PORTCHECK" -t 1 -o "$BPF_OBJ" "$IFB" "$A" >"$XSW_T_TMP/ifb.out" \
        2>"$XSW_T_TMP/ifb.err"
    st=$?
    if [ $st = 0 ] && [ "$(field "$(report ifb "$IFB")" xdp)" = skb ] &&
        [ "$(field "$(report ifb "$A")" xdp)" = native ] &&
        ! xsw_has_xdp "$IFB" && ! xsw_has_xdp "$A"; then
        tap_ok "auto mode: skb XDP on $IFB (no native XDP), native on $A"
    else
        tap_not_ok "auto mode: skb XDP on $IFB (no native XDP), native on $A" \
            "$XSW_T_TMP/ifb.out" "$XSW_T_TMP/ifb.err"
    fi
    "$PORTCHECK" -m native -o "$BPF_OBJ" "$IFB" "$A" >/dev/null \
        2>"$XSW_T_TMP/ifbn.err"
    st=$?
    if [ $st != 0 ] && grep -q "$IFB: attaching XDP program in native mode: " \
        "$XSW_T_TMP/ifbn.err"; then
        tap_ok "forced native mode on $IFB: status $st, \"$(grep "$IFB" "$XSW_T_TMP/ifbn.err")\""
    else
        tap_not_ok "forced native mode on $IFB fails naming the mode" \
            "$XSW_T_TMP/ifbn.err"
    fi
    xsw_link_del "$IFB"
else
    tap_skip "auto mode falls back to skb XDP" "no ifb devices here"
    tap_skip "forced native mode fails on a device without it" "no ifb devices here"
fi

# ------------------------------------------------- a device that vanishes
start pcgone
xsw_ns_del "$NS2"       # takes B's peer, and so B, along
xsw_bg_wait pcgone 10
st=$?
if [ $st = 3 ] && grep -q "$B: device vanished" "$XSW_T_TMP/pcgone.err"; then
    tap_ok "the forwarder sees $B vanish and stops (status 3)"
else
    tap_not_ok "the forwarder sees $B vanish and stops (status 3, got $st)" \
        "$XSW_T_TMP/pcgone.err"
fi
lu=$(grep '^umem:' "$XSW_T_TMP/pcgone.out")
if [ -n "$lu" ] &&
    [ $(($(field "$lu" free) + $(field "$lu" lost))) = "$(field "$lu" frames)" ] &&
    ! xsw_has_xdp "$A"; then
    tap_ok "closed cleanly: $A without XDP, every frame accounted for"
else
    tap_not_ok "closed cleanly: $A without XDP, every frame accounted for" \
        "$XSW_T_TMP/pcgone.out" "$XSW_T_TMP/pcgone.err"
fi

# ----------------------------------------------------------------- cleanup
# What the exit trap does, checked here once.
xsw_check_cleanup
