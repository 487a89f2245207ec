#!/bin/bash
# test_aging: what changes with time in xswd's learning switch, with short
# timers from the configuration (revalidate_interval_ms = 200,
# flow_idle_timeout_ms = 1000, mac_aging = 15, the least allowed):
#
#   ns1: veth0 10.213.0.1 X  <-veth-> P1 (port 1) \
#   ns2: veth0 10.213.0.2    <-veth-> P2 (port 2)  \
#   ns3: veth0 10.213.0.3    <-veth-> P3 (port 3)  -[ xswd bridge BR ]
#   ns4: veth0 10.213.0.4    <-veth-> P4 (port 4)  /
#   ns5: veth0 10.213.0.1 X  <-veth-> P5 (port 5) /   (down until the move)
#
# Host 2 pings 10.213.0.1 all along.  Checks that the flows of a host that
# falls silent idle out while a busy flow stays; that when station X moves
# from port 1 to port 5 (ns1 goes down, ns5, with the same address, comes
# up and sends a frame) the table and the flows follow within a few
# revalidation intervals, no flow still sending X's frames to port 1, and
# the pings reach X's new port; that silent stations are forgotten after
# mac_aging, not before, while those that only send through megaflows stay
# learned; and that all flows go once the traffic stops.  About 30 s.
# Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping
PY=/usr/bin/python3
L2SEND=$XSW_SRCDIR/tests/tools/l2send.py
xsw_require_xswd "$L2SEND"
[ -x "$PY" ] || tap_skip_all "needs $PY"
xsw_bpffs_ensure

tap_plan 14

BR=$(xsw_name br)
NET=10.213.0
MAC_AGING=15
IDLE_MS=1000
INTERVAL_MS=200

mac() {
    echo "02:00:00:d5:00:0$1"
}
X=$(mac 1)

ns() {
    xsw_name "n$1"
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

fdb_knows() {
    xsw_ctl fdb-show "$BR" 2>/dev/null | grep -qE " $1 "
}

# ping_ok FROM TO: host FROM pings host TO's address, every echo answered.
ping_ok() {
    xsw_ping_ok "$(ns "$1")" "$NET.$2"
}

dump_flows() {
    xsw_ctl dump-flows "$BR" >"$XSW_T_TMP/flows.out" 2>&1
}

# flow_line IN SRC DST: the dump-flows line of that Ethernet pair.
flow_line() {
    grep -F "in_port($1),eth(src=$2,dst=$3), " "$XSW_T_TMP/flows.out"
}

# ------------------------------------------------------------------ topology
for n in 1 2 3 4 5; do
    xsw_ns_add "$(ns $n)" && xsw_ns_no_ipv6 "$(ns $n)" ||
        tap_bail_out "cannot create the namespaces"
done
for n in 1 2 3 4; do
    xsw_veth_add "$(xsw_name "p$n")" "$(ns $n)" veth0 "$NET.$n/24" &&
        ip -n "$(ns $n)" link set veth0 address "$(mac $n)" ||
        tap_bail_out "cannot build host $n"
done
# X's second home: same addresses, down (silent, deaf) until the move.
xsw_veth_add "$(xsw_name p5)" "$(ns 5)" veth0 "$NET.1/24" &&
    ip -n "$(ns 5)" link set veth0 down &&
    ip -n "$(ns 5)" link set veth0 address "$X" ||
    tap_bail_out "cannot build host 5"
# Static neighbours: no ARP, whose probes would come seconds after the
# traffic that caused them and make the silent hosts talk again.
for n in 1 2 3 4 5; do
    own=$n
    [ $n = 5 ] && own=1
    for m in 1 2 3 4; do
        [ $m = $own ] && continue
        ip -n "$(ns $n)" neigh replace "$NET.$m" lladdr "$(mac $m)" dev veth0 \
            nud permanent || tap_bail_out "cannot set the neighbours"
    done
done

{
    xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096" \
        "revalidate_interval_ms = $INTERVAL_MS"
    xsw_ini_section "bridge.$BR" "internal_port = no" "flow_idle_timeout_ms = $IDLE_MS" \
        "mac_aging = $MAC_AGING"
    for n in 1 2 3 4 5; do
        xsw_ini_port "p$n" "$BR" "$(xsw_name "p$n")" "$n"
    done
} >"$XSW_T_TMP/xsw.ini"

xsw_check_xswd_start "xswd starts with bridge $BR and five ports" "$XSW_T_TMP/xsw.ini" "$BR"
xsw_ctl revalidator-show "$BR" >"$XSW_T_TMP/rv.out" 2>&1
if grep -q "idle timeout *: $IDLE_MS ms (in force $IDLE_MS ms)" "$XSW_T_TMP/rv.out"; then
    tap_ok "revalidator-show: the idle timeout of the file, $IDLE_MS ms"
else
    tap_not_ok "revalidator-show: the idle timeout of the file, $IDLE_MS ms" "$XSW_T_TMP/rv.out"
fi

# ------------------------------------------------------------------ learning
# Host 2 first: from here on, its frames all match megaflows.  Hosts 3
# and 4 are silent after their pings.
ping_ok 2 1 && ping_ok 3 2 && ping_ok 4 2
st=$?
t_silent=$(now_ms)
if [ $st = 0 ] && xsw_fdb_has "$BR" 1 "$X" && xsw_fdb_has "$BR" 2 "$(mac 2)" &&
    xsw_fdb_has "$BR" 3 "$(mac 3)" && xsw_fdb_has "$BR" 4 "$(mac 4)"; then
    tap_ok "pings 2 -> 1, 3 -> 2, 4 -> 2: the four hosts learned on their ports"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "pings 2 -> 1, 3 -> 2, 4 -> 2: the four hosts learned on their ports" \
        "$XSW_T_TMP/fdb.out"
fi
xsw_bg_start pinger ip netns exec "$(ns 2)" ping -i 0.1 -W 1 -w 60 $NET.1

# ----------------------------------------------------------- flow idle aging
# Host 4's flows were used last just before t_silent: still there halfway
# through the idle timeout, gone after it.
idle0=$(xsw_rv_stat "$BR" deleted)
wait_until() {
    _d=$(($1 - $(now_ms)))
    [ "$_d" -gt 0 ] && sleep "$(printf '%d.%03d' $((_d / 1000)) $((_d % 1000)))"
    return 0
}
wait_until $((t_silent + IDLE_MS / 2))
dump_flows
h4_flows=$(grep -cF "in_port(4)," "$XSW_T_TMP/flows.out")
silent_flows_gone() {
    dump_flows
    ! grep -qE "in_port\((3|4)\)|dst=($(mac 3)|$(mac 4))" "$XSW_T_TMP/flows.out"
}
if [ "$h4_flows" -ge 1 ] && xsw_wait_for 3 silent_flows_gone; then
    t=$(($(now_ms) - t_silent))
    idle1=$(xsw_rv_stat "$BR" deleted)
    if [ "$t" -ge $((IDLE_MS - 100)) ] && [ "$((idle1 - idle0))" -ge 2 ]; then
        tap_ok "the flows of the silent hosts 3 and 4 idle out (after $t ms; $((idle1 - idle0)) counted idle)"
    else
        tap_not_ok "the flows of the silent hosts 3 and 4 idle out after $IDLE_MS ms and are counted (after $t ms; $((idle1 - idle0)) counted idle)"
    fi
else
    tap_not_ok "the flows of the silent hosts 3 and 4 stay $((IDLE_MS / 2)) ms ($h4_flows of host 4 then), go within 3 s" \
        "$XSW_T_TMP/flows.out"
fi
# The busy flow lives on: the same flow (its counter was not reset) and
# recently used.
sleep 1
dump_flows
f=$(flow_line 2 "$(mac 2)" "$X")
pk=$(xsw_flow_field "$f" packets)
used=$(xsw_flow_field "$f" used)
t=$(($(now_ms) - t_silent))
tap_diag "after $t ms: $f"
if [ -n "$pk" ] && [ "$pk" -ge $((t / 100 - 10)) ] && [ -n "$used" ] &&
    awk -v u="$used" 'BEGIN { exit !(u < 0.5) }'; then
    tap_ok "the busy flow 2 -> X stays, used ${used}s ago, $pk packets"
else
    tap_not_ok "the busy flow 2 -> X stays, used lately, about $((t / 100)) packets" "$XSW_T_TMP/flows.out"
fi

# ------------------------------------------------------------- station move
moved0=$(xsw_fdb_stat "$BR" "Total number of port moved")
ip -n "$(ns 1)" link set veth0 down
ip -n "$(ns 5)" link set veth0 up
# One broadcast from X on its new port: the bridge sees it move.
xsw_l2send "$(ns 5)" veth0 --dport 9
t_move=$(now_ms)
x_on_5() {
    xsw_fdb_has "$BR" 5 "$X"
}
if xsw_wait_for 1 x_on_5; then
    moved1=$(xsw_fdb_stat "$BR" "Total number of port moved")
    tap_ok "X moved: fdb-show has it on port 5 after $(($(now_ms) - t_move)) ms, moves counted $moved0 -> $moved1"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "X moved: fdb-show has it on port 5 within 1 s" "$XSW_T_TMP/fdb.out"
fi
# The flow of host 2's pings to X now outputs to port 5, and no flow sends
# frames for X to port 1.
flows_follow() {
    dump_flows
    flow_line 2 "$(mac 2)" "$X" | grep -q 'actions:5$' &&
        ! grep -F "dst=$X)" "$XSW_T_TMP/flows.out" | grep -qE 'actions:(.*,)?1(,|$)'
}
if xsw_wait_for 1 flows_follow; then
    tap_ok "the flows follow within $(($(now_ms) - t_move)) ms: 2 -> X outputs to 5, none for X to port 1"
else
    tap_not_ok "the flows follow within 1 s: 2 -> X outputs to 5, none for X to port 1" \
        "$XSW_T_TMP/flows.out"
fi
tap_check "ping 2 -> X reaches X on port 5" ping_ok 2 1

# ---------------------------------------------------------------- MAC aging
# Hosts 3 and 4 have been silent since t_silent; their entries must stay
# until mac_aging has passed, then go.
wait_until $((t_silent + (MAC_AGING - 3) * 1000))
if xsw_fdb_has "$BR" 3 "$(mac 3)" && xsw_fdb_has "$BR" 4 "$(mac 4)"; then
    tap_ok "hosts 3 and 4 still learned $(($(now_ms) - t_silent)) ms after their last frame"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "hosts 3 and 4 still learned $(($(now_ms) - t_silent)) ms after their last frame" \
        "$XSW_T_TMP/fdb.out"
fi
expired0=$(xsw_fdb_stat "$BR" "Total number of expired")
silent_forgotten() {
    ! fdb_knows "$(mac 3)" && ! fdb_knows "$(mac 4)"
}
if xsw_wait_for 8 silent_forgotten; then
    t=$(($(now_ms) - t_silent))
    if [ "$t" -ge $((MAC_AGING * 1000 - 100)) ]; then
        tap_ok "hosts 3 and 4 forgotten $t ms after their last frame (mac_aging = $MAC_AGING s)"
    else
        tap_not_ok "hosts 3 and 4 forgotten too early: $t ms after their last frame (mac_aging = $MAC_AGING s)"
    fi
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "hosts 3 and 4 forgotten within $((MAC_AGING + 5)) s of their last frame" \
        "$XSW_T_TMP/fdb.out"
fi
# Entries are removed from the table by the aging run, which may come a
# little after they stop being shown.
expired_counted() {
    _e=$(xsw_fdb_stat "$BR" "Total number of expired")
    [ -n "$_e" ] && [ "$_e" -ge 2 ]
}
if xsw_wait_for 3 expired_counted; then
    tap_ok "fdb-stats counts them expired ($expired0 -> $(xsw_fdb_stat "$BR" "Total number of expired"))"
else
    xsw_ctl fdb-stats "$BR" >"$XSW_T_TMP/stats.out" 2>&1
    tap_not_ok "fdb-stats counts them expired" "$XSW_T_TMP/stats.out"
fi
# Host 2's frames have all matched megaflows since before t_silent (at
# most 15 s ago): only its flows' statistics kept it learned.
touched=$(xsw_rv_stat "$BR" "MACs refreshed")
if xsw_fdb_has "$BR" 2 "$(mac 2)" && xsw_fdb_has "$BR" 5 "$X" && [ -n "$touched" ] &&
    [ "$touched" -gt 0 ]; then
    tap_ok "host 2 and X, whose frames match megaflows only, stay learned ($touched refreshes from flow statistics)"
else
    xsw_ctl fdb-show "$BR" >"$XSW_T_TMP/fdb.out" 2>&1
    tap_not_ok "host 2 and X, whose frames match megaflows only, stay learned" "$XSW_T_TMP/fdb.out"
fi

# ------------------------------------------------------- all traffic stops
xsw_bg_stop pinger >/dev/null
no_flows() {
    xsw_ctl show "$BR" 2>/dev/null | grep -q '^ *flows: 0$'
}
t0=$(now_ms)
if xsw_wait_for 4 no_flows; then
    tap_ok "traffic stopped: every flow idles out ($(($(now_ms) - t0)) ms)"
else
    dump_flows
    tap_not_ok "traffic stopped: every flow idles out within 4 s" "$XSW_T_TMP/flows.out"
fi

xsw_check_running "xswd still runs" xswd
