#!/bin/bash
# test_learning: xswd's slow path as a learning switch, four hosts on one
# bridge and no flow but those the slow path installs:
#
#   ns1: veth0 10.211.0.1 <-veth-> P1 (port 1) \
#   ns2: veth0 10.211.0.2 <-veth-> P2 (port 2)  \__[ xswd bridge BR ]
#   ns3: veth0 10.211.0.3 <-veth-> P3 (port 3)  /   mac_table_size = 16
#   ns4: veth0 10.211.0.4 <-veth-> P4 (port 4) /
#
# Checks that a frame to a station not yet learned is flooded and, once the
# station is learned, goes to its port alone; that every pair of hosts
# reaches the other; that fdb-show lists each host on its port; that frames
# to a station on their own input port and to the reserved multicast range
# are dropped, frames to a group flooded, and multicast or all-zero sources
# not learned; that once two hosts have exchanged frames their traffic
# matches megaflows only (the miss counter stays put); that a thousand TCP
# connections between two hosts need at most a few megaflows, none of which
# matches anything above Ethernet; that fdb-flush forgets and traffic learns
# again; and that a flood of random source addresses overflows the MAC
# table without keeping the known stations from being forwarded to.  Needs
# root.
#
# The namespaces have IPv6 off and static neighbours, and the bridge no
# internal port, so that the only frames on the bridge are the test's own
# (no ARP either: its probes come seconds after the traffic that caused
# them) and counters can be compared.  Flows do not idle out during the
# run.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping tcpdump
PY=/usr/bin/python3
L2SEND=$XSW_SRCDIR/tests/tools/l2send.py
xsw_require_xswd "$L2SEND"
[ -x "$PY" ] || tap_skip_all "needs $PY"
xsw_bpffs_ensure

tap_plan 27

BR=$(xsw_name br)
NET=10.211.0
N_TCP=1000
MAC_TABLE_SIZE=16
N_FLOOD=200

# mac N: host N's address.
mac() {
    echo "02:00:00:d3:00:0$1"
}

ns() {
    xsw_name "n$1"
}

fdb_entries() {
    xsw_ctl fdb-show "$BR" 2>/dev/null | grep -cE '^ +[0-9A-Z]+ +[0-9]+ +[0-9a-f:]{17} '
}

# ping_ok FROM TO [COUNT [INTERVAL]]: host FROM pings host TO, COUNT
# times (default 2), every echo answered.
ping_ok() {
    xsw_ping_ok "$(ns "$1")" "$NET.$2" "${3:-2}" "${4:-0.2}"
}

# l2send N ARGS...: l2send.py on host N's veth0.
l2send() {
    _h=$1
    shift
    xsw_l2send "$(ns "$_h")" veth0 "$@"
}

# all_learned: fdb-show has each of the four hosts on its port.
all_learned() {
    xsw_fdb_has "$BR" 1 "$(mac 1)" && xsw_fdb_has "$BR" 2 "$(mac 2)" &&
        xsw_fdb_has "$BR" 3 "$(mac 3)" && xsw_fdb_has "$BR" 4 "$(mac 4)"
}

# cap_start NAME HOST FILTER...: a capture on host HOST's veth0, until
# xsw_cap_stop NAME.
cap_start() {
    _n=$1
    _h=$2
    shift 2
    xsw_cap_start "$_n" "$(ns "$_h")" veth0 "$@"
}

# passes_since P0 N: the revalidator has completed N passes since its
# count was P0.
passes_since() {
    [ $(($(xsw_rv_stat "$BR" passes) - $1)) -ge "$2" ]
}

# wait_passes N: until the revalidator has completed N more passes.
wait_passes() {
    xsw_wait_for 10 passes_since "$(xsw_rv_stat "$BR" passes)" "$1"
}

dump_flows() {
    xsw_ctl dump-flows "$BR" >"$XSW_T_TMP/flows.out" 2>&1
}

# ------------------------------------------------------------------ topology
for n in 1 2 3 4; do
    xsw_ns_add "$(ns $n)" && xsw_ns_no_ipv6 "$(ns $n)" &&
        xsw_veth_add "$(xsw_name "p$n")" "$(ns $n)" veth0 "$NET.$n/24" &&
        ip -n "$(ns $n)" link set veth0 address "$(mac $n)" ||
        tap_bail_out "cannot build host $n"
    for m in 1 2 3 4; do
        [ $m = $n ] && continue
        ip -n "$(ns $n)" neigh replace "$NET.$m" lladdr "$(mac $m)" dev veth0 \
            nud permanent || tap_bail_out "cannot set the neighbours of host $n"
    done
done

{
    xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096" \
        "flow_idle_timeout_ms = 600000" "mac_table_size = $MAC_TABLE_SIZE"
    xsw_ini_section "bridge.$BR" "internal_port = no"
    for n in 1 2 3 4; do
        xsw_ini_port "p$n" "$BR" "$(xsw_name "p$n")" "$n"
    done
} >"$XSW_T_TMP/xsw.ini"

xsw_check_xswd_start "xswd starts with bridge $BR and four ports" "$XSW_T_TMP/xsw.ini" "$BR"

n=$(fdb_entries)
if [ "$n" = 0 ]; then
    tap_ok "fdb-show: nothing learned before any traffic"
else
    tap_not_ok "fdb-show: nothing learned before any traffic ($n entries)"
fi

# ------------------------------------------------- flooding, then learning
# Host 1 sends to host 2's address before host 2 has sent anything: an
# unknown destination, flooded to every other port.
cap_start c2 2 udp && cap_start c3 3 udp && cap_start c4 4 udp ||
    tap_bail_out "tcpdump does not start"
l2send 1 --dst "$(mac 2)" --dport 40001 --count 5
xsw_cap_stop c2 c3 c4
n2=$(xsw_cap_count c2 '\.40001: UDP')
n3=$(xsw_cap_count c3 '\.40001: UDP')
n4=$(xsw_cap_count c4 '\.40001: UDP')
if [ "$n2" = 5 ] && [ "$n3" = 5 ] && [ "$n4" = 5 ]; then
    tap_ok "to an unknown station: flooded to ports 2, 3 and 4 (5 frames each)"
else
    tap_not_ok "to an unknown station: flooded to ports 2, 3 and 4 (got $n2, $n3, $n4 of 5)"
    xsw_ctl show -s "$BR" >"$XSW_T_TMP/show.out" 2>&1
    xsw_ctl dump-flows "$BR" >>"$XSW_T_TMP/show.out" 2>&1
    sed 's/^/# /' "$XSW_T_TMP/show.out" "$XSW_T_TMP/c3.out"
fi

# Host 2 answers a ping, and is learned on port 2.
tap_check "ping host 1 <-> host 2" ping_ok 1 2
cap_start c2b 2 udp && cap_start c3b 3 udp && cap_start c4b 4 udp ||
    tap_bail_out "tcpdump does not start"
l2send 1 --dst "$(mac 2)" --dport 40002 --count 5
xsw_cap_stop c2b c3b c4b
n2=$(xsw_cap_count c2b '\.40002: UDP')
n3=$(xsw_cap_count c3b '\.40002: UDP')
n4=$(xsw_cap_count c4b '\.40002: UDP')
if [ "$n2" = 5 ] && [ "$n3" = 0 ] && [ "$n4" = 0 ]; then
    tap_ok "to a learned station: port 2 alone (5 frames; none at ports 3, 4)"
else
    tap_not_ok "to a learned station: port 2 alone (got $n2 of 5; $n3 and $n4 elsewhere)"
fi

# ----------------------------------------------------------------- all pairs
for pair in "1 3" "1 4" "2 3" "2 4" "3 4"; do
    set -- $pair
    tap_check "ping host $1 <-> host $2" ping_ok "$1" "$2"
done

xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
if all_learned && [ "$(fdb_entries)" = 4 ]; then
    tap_ok "fdb-show: each host's address on its port, VLAN 0, nothing else"
else
    tap_not_ok "fdb-show: each host's address on its port, VLAN 0, nothing else" \
        "$XSW_T_TMP/fdb.out"
fi

# ------------------------------------------------------ special addresses
# From port 3, with captures at the other three: a frame to a station on
# its own input port (a second station behind port 3 talking to host 3),
# to the reserved range (STP's address), to a multicast group, and from a
# multicast and an all-zero source.
for h in 1 2 4; do
    cap_start "s$h" $h udp || tap_bail_out "tcpdump does not start"
done
l2send 3 --src 02:00:00:d3:00:33 --dst "$(mac 3)" --dport 40011 --count 5
l2send 3 --dst 01:80:c2:00:00:00 --dport 40012 --count 5
l2send 3 --dst 01:00:5e:00:00:fb --dport 40013 --count 5
l2send 3 --src 03:00:00:d3:00:03 --dport 40014 --count 5
l2send 3 --src 00:00:00:00:00:00 --dport 40015 --count 5
xsw_cap_stop s1 s2 s4
# seen DPORT: how many of those frames hosts 1, 2 and 4 received.
seen() {
    echo "$(xsw_cap_count s1 "\\.$1: UDP") $(xsw_cap_count s2 "\\.$1: UDP")" \
        "$(xsw_cap_count s4 "\\.$1: UDP")"
}
got=$(seen 40011)
if [ "$got" = "0 0 0" ] && xsw_fdb_has "$BR" 3 02:00:00:d3:00:33; then
    tap_ok "to a station on the input port: dropped (its source learned on port 3)"
else
    tap_not_ok "to a station on the input port: dropped (received by hosts 1, 2, 4: $got)"
fi
got=$(seen 40012)
if [ "$got" = "0 0 0" ]; then
    tap_ok "to 01:80:c2:00:00:00 (reserved): dropped"
else
    tap_not_ok "to 01:80:c2:00:00:00 (reserved): dropped (received by hosts 1, 2, 4: $got)"
fi
got=$(seen 40013)
if [ "$got" = "5 5 5" ]; then
    tap_ok "to a multicast group: flooded to hosts 1, 2 and 4"
else
    tap_not_ok "to a multicast group: flooded to hosts 1, 2 and 4 (got $got of 5 each)"
fi
tap_diag "from a multicast source, received by hosts 1, 2, 4: $(seen 40014); from 00:00:00:00:00:00: $(seen 40015)"
xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
if ! grep -qE ' (03:00:00:d3:00:03|00:00:00:00:00:00) ' "$XSW_T_TMP/fdb.out" &&
    [ "$(fdb_entries)" = 5 ]; then
    tap_ok "multicast and all-zero sources are not learned"
else
    tap_not_ok "multicast and all-zero sources are not learned" "$XSW_T_TMP/fdb.out"
fi

# ------------------------------------------------------------ megaflows only
# Hosts 1 and 2 have exchanged frames both ways: a second burst between
# them matches the megaflows installed for the first and misses nothing.
ping_ok 1 2 2 0.05
miss0=$(xsw_show_lookups "$BR" missed)
hit0=$(xsw_show_lookups "$BR" hit)
ping_ok 1 2 20 0.02 &&
    l2send 2 --dst "$(mac 1)" --ip-src $NET.2 --ip-dst $NET.1 --dport 40003 --count 20
sleep 0.3
miss1=$(xsw_show_lookups "$BR" missed)
hit1=$(xsw_show_lookups "$BR" hit)
tap_diag "lookups before the burst: hit $hit0 missed $miss0; after: hit $hit1 missed $miss1"
if [ -n "$miss0" ] && [ "$miss1" = "$miss0" ] && [ $((hit1 - hit0)) -ge 60 ]; then
    tap_ok "a second burst 1 <-> 2 (20 pings, 20 frames) hits megaflows only: missed stays $miss0"
else
    tap_not_ok "a second burst 1 <-> 2 hits megaflows only (missed $miss0 -> $miss1, hit +$((hit1 - hit0)) of >= 60)"
fi

# ------------------------------------------------------ many TCP connections
# The flows are cleared first, so that what follows is what these
# connections alone installed: one megaflow per direction (the Ethernet
# addresses are all a decision reads).  The first packet each way misses,
# and so may one or two more that arrive before its flow is in (a
# duplicate upcall): 2 flows, at most 4 misses for 1000 connections.
cat >"$XSW_T_TMP/tcp_server.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(128)
print('listening', flush=True)
while True:
    c, _ = s.accept()
    while c.recv(64):
        pass
    c.sendall(b'y')
    c.close()
PY
cat >"$XSW_T_TMP/tcp_client.py" <<'PY'
import socket, sys
addr, n, ok = (sys.argv[1], int(sys.argv[2])), int(sys.argv[3]), 0
for _ in range(n):
    try:
        c = socket.create_connection(addr, timeout=3)
        c.sendall(b'x')
        c.shutdown(socket.SHUT_WR)
        if c.recv(1) == b'y':
            ok += 1
        c.close()
    except OSError as e:
        print('error:', e, file=sys.stderr)
print(ok)
PY
xsw_bg_start tcpsrv ip netns exec "$(ns 2)" $PY "$XSW_T_TMP/tcp_server.py" $NET.2 5001
xsw_wait_for 5 grep -q listening "$XSW_T_TMP/tcpsrv.out" ||
    tap_bail_out "the TCP server does not start"
xsw_ctl del-flows "$BR" >/dev/null 2>&1
miss0=$(xsw_show_lookups "$BR" missed)
ok=$(ip netns exec "$(ns 1)" $PY "$XSW_T_TMP/tcp_client.py" $NET.2 5001 $N_TCP \
    2>"$XSW_T_TMP/tcp_client.err")
miss1=$(xsw_show_lookups "$BR" missed)
xsw_bg_stop tcpsrv >/dev/null
if [ "$ok" = $N_TCP ]; then
    tap_ok "$N_TCP TCP connections host 1 -> host 2, each with its answer"
else
    tap_not_ok "$N_TCP TCP connections host 1 -> host 2, each with its answer (got ${ok:-none})" \
        "$XSW_T_TMP/tcp_client.err"
fi
dump_flows
sed 's/^/# /' "$XSW_T_TMP/flows.out"
nflows=$(grep -c 'actions:' "$XSW_T_TMP/flows.out")
if [ -n "$miss0" ] && [ $((miss1 - miss0)) -le 4 ] && [ "$nflows" = 2 ]; then
    tap_ok "$N_TCP connections: $nflows megaflows, $((miss1 - miss0)) misses (at most 4)"
else
    tap_not_ok "$N_TCP connections: 2 megaflows and at most 4 misses (got $nflows, $((miss1 - miss0)))"
fi
# flow_of IN SRC DST: the flow line of that Ethernet pair.
flow_of() {
    grep -F "in_port($1),eth(src=$(mac "$2"),dst=$(mac "$3"))," "$XSW_T_TMP/flows.out"
}
f12=$(flow_of 1 1 2)
f21=$(flow_of 2 2 1)
p12=$(xsw_flow_field "$f12" packets)
p21=$(xsw_flow_field "$f21" packets)
if [ -n "$p12" ] && [ "$p12" -ge $((3 * N_TCP)) ] && [ -n "$p21" ] &&
    [ "$p21" -ge $((2 * N_TCP)) ] && echo "$f12" | grep -q 'flags:[^,]*S' &&
    echo "$f12" | grep -q 'flags:[^,]*F' && echo "$f12" | grep -q 'actions:2$' &&
    echo "$f21" | grep -q 'actions:1$'; then
    tap_ok "one megaflow each way carried the connections (packets $p12 and $p21, SYN and FIN seen)"
else
    tap_not_ok "one megaflow each way carried the connections (packets ${p12:-?} >= $((3 * N_TCP)), ${p21:-?} >= $((2 * N_TCP)), flags S and F, actions 2 and 1)"
fi
if grep -qE '(eth_type|ipv4|ipv6|tcp|udp|arp|icmp)\(' "$XSW_T_TMP/flows.out"; then
    tap_not_ok "dump-flows: the megaflows match Ethernet addresses only (nothing of L3/L4)"
else
    tap_ok "dump-flows: the megaflows match Ethernet addresses only (nothing of L3/L4)"
fi
# With -m every field is shown with its mask: those above Ethernet must
# all be wildcarded (a mask of zeros).
xsw_ctl dump-flows -m "$BR" >"$XSW_T_TMP/flows_m.out" 2>&1
l34=$(grep -oE '(eth_type|ipv4|ipv6|tcp|udp|arp|icmp)\([^)]*\)' "$XSW_T_TMP/flows_m.out")
bad=$(echo "$l34" | grep -oE '[a-z_]+=[^,()]*' | grep -vE '/(0x)?[0:.]*$')
if [ -n "$l34" ] && [ -z "$bad" ]; then
    tap_ok "dump-flows -m: every L3/L4 field has an all-zero mask"
else
    tap_not_ok "dump-flows -m: every L3/L4 field has an all-zero mask" "$XSW_T_TMP/flows_m.out"
    tap_diag "not wildcarded: $(echo "$bad" | tr "\n" " ")"
fi

# -------------------------------------------------------------- fdb-flush
# A flow that forwarded frames since the revalidator's last pass refreshes
# its source station on the next pass (as OVS pushes flow statistics
# through the learning table): the connections above would bring hosts 1
# and 2 back at once.  Two passes first, so that their statistics are old.
wait_passes 2
flushed0=$(xsw_fdb_stat "$BR" "Total number of flushed")
xsw_ctl fdb-flush "$BR" >"$XSW_T_TMP/flush.out" 2>&1
st=$?
flushed1=$(xsw_fdb_stat "$BR" "Total number of flushed")
# The four hosts and the second station behind port 3.
if [ $st = 0 ] && [ "$(fdb_entries)" = 0 ] && [ $((flushed1 - flushed0)) = 5 ] &&
    grep -q "(5 entries)" "$XSW_T_TMP/flush.out"; then
    tap_ok "fdb-flush: the table is empty, 5 entries counted flushed"
else
    tap_not_ok "fdb-flush: the table is empty, 5 entries counted flushed (status $st, flushed $flushed0 -> $flushed1)" \
        "$XSW_T_TMP/flush.out"
fi
# The flows outlive the flush (their actions become floods): the frames
# of hosts 1 to 4 match them and the hosts are learned again from the
# flows' statistics, at the revalidator's next pass, or on a miss.
if ping_ok 1 2 && ping_ok 3 4 && xsw_wait_for 3 all_learned; then
    tap_ok "after the flush, traffic gets through and the four hosts are learned again"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "after the flush, traffic gets through and the four hosts are learned again" \
        "$XSW_T_TMP/fdb.out"
fi

# ---------------------------------------------------------- table overflow
# Host 4 sends N_FLOOD frames, each from a random source address, to an
# address nobody has (flooded, dropped by the hosts).  The table fills up
# to MAC_TABLE_SIZE and the rest are counted as not learned.
over0=$(xsw_fdb_stat "$BR" "Sources not learned")
l2send 4 --src random --count $N_FLOOD --dst 02:00:00:d3:ee:ee --dport 40004
sleep 0.5
over1=$(xsw_fdb_stat "$BR" "Sources not learned")
xsw_ctl fdb-stats "$BR" >"$XSW_T_TMP/stats.out" 2>&1
sed 's/^/# /' "$XSW_T_TMP/stats.out"
min_over=$((N_FLOOD - (MAC_TABLE_SIZE - 4)))
if [ -n "$over1" ] && [ $((over1 - over0)) -ge $min_over ] &&
    grep -q "entries in the table: $MAC_TABLE_SIZE/$MAC_TABLE_SIZE$" "$XSW_T_TMP/stats.out"; then
    tap_ok "$N_FLOOD random sources: table full ($MAC_TABLE_SIZE/$MAC_TABLE_SIZE), not learned +$((over1 - over0)) (>= $min_over)"
else
    tap_not_ok "$N_FLOOD random sources: table full, \"Sources not learned\" +$((${over1:-0} - ${over0:-0})) (>= $min_over)"
fi
if all_learned; then
    tap_ok "the four hosts are still in the full table"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "the four hosts are still in the full table" "$XSW_T_TMP/fdb.out"
fi
# Known stations are still forwarded to, and to their port alone.
cap_start c3c 3 icmp || tap_bail_out "tcpdump does not start"
ping_ok 1 2 5 0.05 && ping_ok 2 4 5 0.05 && ping_ok 4 1 5 0.05
st=$?
xsw_cap_stop c3c
n3=$(xsw_cap_count c3c 'ICMP echo')
if [ $st = 0 ] && [ "$n3" = 0 ] && ping_ok 3 1; then
    tap_ok "with the table full, the known hosts reach each other, unicast (no echo at host 3)"
else
    tap_not_ok "with the table full, the known hosts reach each other, unicast (status $st, $n3 echoes at host 3)"
fi

xsw_check_running "xswd still runs" xswd
