#!/bin/bash
# bench/run.sh - xswd against the Linux bridge, Open vSwitch with AF_XDP ports
# and a bare AF_XDP forwarder, on veth pairs on this machine.
#
#   sudo bench/run.sh [--quick] [--only xswd,bridge,ovs,xskfwd]
#                     [--scenarios one,flows1k,...] [--rounds N] [--with-ovs]
#
# Topology, rebuilt for each switch:
#
#   netns G                   root netns (switch)             netns S
#   G0 10.213.0.1 <-veth-> PREFIXa ==[ switch ]== PREFIXb <-veth-> S0 10.213.0.2
#
# The generator (gen/xbgen: BPF_PROG_RUN live frames) runs in G pinned to
# GEN_CPU and sends UDP frames to S0's MAC; gen/xb_kern's xb_sink on S0 counts
# and drops them.  The switch runs pinned to FWD_CPU.  The Linux bridge runs
# in a namespace of its own, where its netfilter hooks can be turned off
# without touching the host's setting.
#
# Options:
#   --only LIST       switches: xswd, bridge, ovs (Open vSwitch, AF_XDP ports),
#                     xskfwd (bare AF_XDP forwarder).  Default: all.
#   --scenarios LIST  one, flows1k, flows10k, flows100k (N flows: addresses
#                     and ports vary, all in one megaflow), mf1k, mf10k,
#                     mf100k (N flows: Ethernet sources vary, a megaflow
#                     each), big (1514 B frames), setup (new flows per second
#                     through the slow path), ping, tcp, idle.  Default: all.
#   --rounds N        visit every switch N times, pooling the samples
#   --windows N       measuring windows per scenario (default 5)
#   --dur S           seconds per window (default 2)
#   --quick           3 windows of 1 s; scenarios one,flows10k,mf10k,big,
#                     setup,ping,tcp,idle; one iperf3 run
#   --with-ovs        install openvswitch-switch with apt-get if missing
#   --no-deps         do not run bench/deps.sh
#   --cleanup         remove what killed runs of this script left, and exit
#   --report FILE     print the table and draw the plot again from the
#                     samples of an earlier run (results/latest.raw), measure
#                     nothing
#   -h, --help        this text
# Environment: GEN_CPU (0), FWD_CPU (1), XSW_BUILD (the xsw build directory,
# default ../build), XB_BUILD (where the helpers are built, default
# /tmp/xsw-bench-build), XB_KEEP=1 (keep the logs in /tmp/xsw-bench.PID),
# XB_XSWD_MODE=static (static flows even when xswd can learn), XB_RESULTS=DIR
# (write the results there instead of bench/results), XB_PERF=1
# (profile the switch's CPU with perf during the windows).
#
# Prints the table on stdout (progress on stderr) and writes
# bench/results/latest.txt, latest.png (gnuplot) and latest.dat.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
XSW_BUILD=${XSW_BUILD:-$TOP/build}
XB_BUILD=${XB_BUILD:-/tmp/xsw-bench-build}
GEN_CPU=${GEN_CPU:-0}
FWD_CPU=${FWD_CPU:-1}
RESULTS=${XB_RESULTS:-$HERE/results}

P=xb$$                      # prefix of every namespace and link
NS_G=${P}g NS_S=${P}s NS_F=${P}f
G0=${P}g0 S0=${P}s0 PA=${P}a PB=${P}b
G_IP=10.213.0.1 S_IP=10.213.0.2
TMPD=/tmp/xsw-bench.$$
OBJ=$XB_BUILD/xb_kern.bpf.o

ALL_SWITCHES=xswd,bridge,ovs,xskfwd
ALL_SCEN=one,flows1k,flows10k,flows100k,mf1k,mf10k,mf100k,big,setup,ping,tcp,idle
QUICK_SCEN=one,flows10k,mf10k,big,setup,ping,tcp,idle
ONLY=$ALL_SWITCHES SCEN='' ROUNDS=1 WINDOWS=5 DUR=2 WARM=1 QUICK=0
TCP_REPS=3 TCP_DUR=4 WITH_OVS=0 DEPS=1 MF_WAIT=20 REPORT_FROM=

log() { echo "[bench] $*" >&2; }
die() { echo "bench/run.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

# ------------------------------------------------------------ cleanup
# What this run started, stopped by PID (never by name).
PIDS=()
CUR_STOP=
kill_pid() {
    local p=$1 i
    kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    return 0
}
track() { # PID: remember it, on disk too, for --cleanup after a kill -9
    PIDS+=("$1")
    echo "$1 $(awk '{print $22}' /proc/$1/stat 2>/dev/null)" >> "$TMPD/pids"
}
stop_tracked() {
    local p
    for p in "${PIDS[@]}"; do kill_pid "$p"; done
    PIDS=()
}
topo_down() {
    ip netns del "$NS_G" 2>/dev/null
    ip netns del "$NS_S" 2>/dev/null
    ip netns del "$NS_F" 2>/dev/null
    ip link del "$PA" 2>/dev/null
    ip link del "$PB" 2>/dev/null
    return 0
}
cleanup() {
    [ -n "$CUR_STOP" ] && { $CUR_STOP >/dev/null 2>&1; CUR_STOP=; }
    stop_tracked
    topo_down
    # XB_KEEP=1: keep the logs (xswd, Open vSwitch, generator) for a look.
    if [ "${XB_KEEP:-0}" = 1 ]; then rm -f "$TMPD/pids"; log "logs kept in $TMPD"; else rm -rf "$TMPD"; fi
}
cleanup_stale() {
    # Runs whose script died without its trap: /tmp/xsw-bench.PID with PID
    # gone.  Their processes are stopped only if PID and start time match.
    local d pid p st
    for d in /tmp/xsw-bench.[0-9]*; do
        [ -d "$d" ] || continue
        pid=${d##*.}
        kill -0 "$pid" 2>/dev/null && continue
        if [ -f "$d/pids" ]; then
            while read -r p st; do
                [ -n "$st" ] && [ "$(awk '{print $22}' /proc/$p/stat 2>/dev/null)" = "$st" ] \
                    && kill_pid "$p"
            done < "$d/pids"
        fi
        for n in g s f; do ip netns del "xb${pid}$n" 2>/dev/null; done
        ip link del "xb${pid}a" 2>/dev/null; ip link del "xb${pid}b" 2>/dev/null
        rm -rf "$d"
        log "removed leftovers of run $pid"
    done
}

# ------------------------------------------------------------ options
while [ $# -gt 0 ]; do
    case $1 in
    --only) ONLY=$2; shift ;;
    --scenarios) SCEN=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --windows) WINDOWS=$2; shift ;;
    --dur) DUR=$2; shift ;;
    --quick) QUICK=1 ;;
    --with-ovs) WITH_OVS=1 ;;
    --no-deps) DEPS=0 ;;
    --cleanup) [ "$(id -u)" = 0 ] || die "must run as root"; cleanup_stale; exit 0 ;;
    --report) REPORT_FROM=$2; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage 2 ;;
    esac
    shift
done
if [ $QUICK = 1 ]; then
    WINDOWS=3 DUR=1 WARM=1 TCP_REPS=1 TCP_DUR=3
    SCEN=${SCEN:-$QUICK_SCEN}
fi
SCEN=${SCEN:-$ALL_SCEN}
for s in ${SCEN//,/ }; do
    [[ ",$ALL_SCEN," == *",$s,"* ]] || die "unknown scenario $s (known: $ALL_SCEN)"
done
for s in ${ONLY//,/ }; do
    [[ ",$ALL_SWITCHES," == *",$s,"* ]] || die "unknown switch $s (known: $ALL_SWITCHES)"
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $WINDOWS =~ ^[1-9][0-9]*$ ]] || die "--rounds and --windows take a number"
[ -n "$REPORT_FROM" ] || [ "$(id -u)" = 0 ] || die "must run as root (namespaces, XDP)"
want() { [[ ",$SCEN," == *",$1,"* ]]; }

# ------------------------------------------------------------ setup
if [ -n "$REPORT_FROM" ]; then
    [ -r "$REPORT_FROM" ] || die "cannot read $REPORT_FROM"
    DEPS=0
fi
if [ $DEPS = 1 ]; then
    # shellcheck disable=SC2046
    "$HERE/deps.sh" $([ $WITH_OVS = 1 ] && echo --with-ovs) >&2 || die "bench/deps.sh failed"
fi
mkdir -p "$TMPD" "$RESULTS" || die "cannot create $TMPD"
trap 'trap - EXIT; cleanup; exit 130' INT TERM
trap cleanup EXIT
if [ -z "$REPORT_FROM" ]; then
    for t in ip ethtool taskset ping iperf3 python3 clang gcc make; do
        command -v $t >/dev/null || die "missing $t (run bench/deps.sh)"
    done
    make -s -C "$HERE/gen" O="$XB_BUILD" >&2 || die "building bench/gen failed"
fi
if [ -z "$REPORT_FROM" ] && [[ ",$ONLY," == *",xswd,"* ]] && [ ! -x "$XSW_BUILD/xswd" ]; then
    log "building xsw in $XSW_BUILD"
    "$TOP/scripts/deps.sh" >&2 || die "scripts/deps.sh failed"
    ( cd "$TOP" && { [ -x configure ] || ./autogen.sh; } && mkdir -p "$XSW_BUILD" && cd "$XSW_BUILD" &&
      { [ -f Makefile ] || "$TOP/configure"; } && make -j2 ) >&2 || die "building xsw failed"
fi
XSWD=$XSW_BUILD/xswd
XSWCTL_BIN=$XSW_BUILD/xswctl
XSOCK=$TMPD/xswd.sock
xswctl() { "$XSWCTL_BIN" --socket "$XSOCK" "$@"; }

mac_of() { ip ${2:+-n $2} -o link show "$1" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
ns_end() { # NS IF IP: the host end of one side
    ip -n "$1" link set lo up
    ip -n "$1" addr add "$3/24" dev "$2"
    ip -n "$1" link set "$2" up
    # AF_XDP moves frames as the sender left them: no checksum offload.
    # GRO on gives the veth NAPI, which frames redirected by XDP need.
    ip netns exec "$1" ethtool -K "$2" tx off gro on >/dev/null 2>&1
}
topo_up() {
    ip netns add "$NS_G" && ip netns add "$NS_S" || return 1
    ip link add "$PA" type veth peer name "$G0" netns "$NS_G" || return 1
    ip link add "$PB" type veth peer name "$S0" netns "$NS_S" || return 1
    ns_end "$NS_G" "$G0" "$G_IP"
    ns_end "$NS_S" "$S0" "$S_IP"
    for d in "$PA" "$PB"; do
        ip link set "$d" up
        ethtool -K "$d" gro on >/dev/null 2>&1
    done
    G_MAC=$(mac_of "$G0" "$NS_G"); S_MAC=$(mac_of "$S0" "$NS_S")
}
SINK_MAP=
sink_on() {
    [ -n "$SINK_MAP" ] && return 0
    SINK_MAP=$(ip netns exec "$NS_S" "$XB_BUILD/xbsink" attach "$OBJ" "$S0") || { SINK_MAP=; return 1; }
}
sink_off() {
    [ -n "$SINK_MAP" ] || return 0
    ip netns exec "$NS_S" "$XB_BUILD/xbsink" detach "$S0"
    SINK_MAP=
}
ping_ok() { ip netns exec "$NS_G" ping -c 1 -W "${1:-1}" -q "$S_IP" >/dev/null 2>&1; }
wait_ping() { # SECONDS
    local i
    for i in $(seq $(( $1 * 4 ))); do ping_ok 0.25 && return 0; sleep 0.25; done
    return 1
}

# ------------------------------------------------------------ samples
# S[switch|scenario] holds the samples of a cell, pooled over rounds;
# LO/HI the extremes for ping; NOTE the remarks.
declare -A S LO HI NOTE SKIP
add() { S[$1|$2]="${S[$1|$2]:-} $3"; }
note() { [[ "${NOTE[$1|$2]:-}" == *"$3"* ]] || NOTE[$1|$2]="${NOTE[$1|$2]:+${NOTE[$1|$2]}; }$3"; }
declare -A SW_LABEL=([xswd]=xswd [bridge]=linux-bridge [ovs]=ovs-afxdp [xskfwd]=xskfwd)
declare -A PMD                  # per switch|scenario: cycles and cache shares

# ------------------------------------------------------------ xswd
XSWD_PID='' XSWD_MODE='' XSWD_DP=''
xswd_base_flows() { # [mf]: the flows a learning switch would have installed
    [ "$XSWD_MODE" = learning ] && return 0
    local bc=ff:ff:ff:ff:ff:ff
    [ "${1:-}" = mf ] || xswctl add-flow "in_port(1),eth(dst=$S_MAC)" 2 >/dev/null || return 1
    xswctl add-flow "in_port(2),eth(dst=$G_MAC)" 1 >/dev/null &&
    xswctl add-flow "in_port(1),eth(dst=$bc)" 2 >/dev/null &&
    xswctl add-flow "in_port(2),eth(dst=$bc)" 1 >/dev/null
}
sw_xswd_start() {
    CUR_STOP=sw_xswd_stop
    cat > "$TMPD/xsw.ini" <<INI
[global]
socket = $XSOCK
workers = 1
; room for the 100k-megaflow and flow-setup scenarios
max_flows = 2000000
mac_table_size = 1048576

[bridge.${P}x]
internal_port = no

[port.gen]
bridge = ${P}x
interface = $PA
port_no = 1

[port.sink]
bridge = ${P}x
interface = $PB
port_no = 2
INI
    taskset -c "$FWD_CPU" "$XSWD" --config "$TMPD/xsw.ini" > "$TMPD/xswd.log" 2>&1 &
    XSWD_PID=$!
    track $XSWD_PID
    local i
    for i in $(seq 100); do
        xswctl version >/dev/null 2>&1 && break
        kill -0 $XSWD_PID 2>/dev/null || { echo "xswd exited: $(tail -2 "$TMPD/xswd.log")"; return 1; }
        sleep 0.1
    done
    XSWD_DP=$(xswctl --json show | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["dp_ifindex"])') ||
        { echo "xswctl show failed"; return 1; }
    # The learning switch when xswctl has its MAC table command, else flows
    # installed here as the learning switch would install them.
    if [ "${XB_XSWD_MODE:-}" = static ]; then
        XSWD_MODE=static
        xswd_base_flows || { echo "add-flow failed"; return 1; }
    elif "$XSWCTL_BIN" --help 2>&1 | grep -q fdb-show; then
        XSWD_MODE=learning
    else
        XSWD_MODE=static
        xswd_base_flows || { echo "add-flow failed"; return 1; }
    fi
    FWD_NOTE="$XSWD_MODE"
}
sw_xswd_stop() {
    [ -n "$XSWD_PID" ] && kill_pid "$XSWD_PID"
    XSWD_PID=
}
xswd_flows() { xswctl --json show 2>/dev/null | grep -o '"flows":[0-9]*' | awk -F: '{print $2; f=1} END{if(!f) print 0}'; }
xswd_prepare() { # SCENARIO N
    xswctl pmd-stats --clear >/dev/null 2>&1
    xswctl del-flows >/dev/null 2>&1
    case $1 in
    mf*)
        if [ "$XSWD_MODE" = static ]; then
            xswd_base_flows mf
            python3 "$HERE/gen/flowload.py" "$XSOCK" "$XSWD_DP" "$2" 0xb0 "$S_MAC" 1 2 >&2 ||
                log "  flowload failed"
        fi ;;
    *) xswd_base_flows ;;
    esac
}

# ------------------------------------------------------------ Linux bridge
sw_bridge_start() {
    CUR_STOP=sw_bridge_stop
    ip netns add "$NS_F" || return 1
    ip link set "$PA" netns "$NS_F" && ip link set "$PB" netns "$NS_F" || return 1
    # Per namespace since Linux 5.3: the host's own setting stays as it is.
    local k
    for k in iptables ip6tables arptables; do
        ip netns exec "$NS_F" sh -c "echo 0 > /proc/sys/net/bridge/bridge-nf-call-$k" 2>/dev/null
    done
    ip -n "$NS_F" link add br0 type bridge forward_delay 0 stp_state 0 &&
    ip -n "$NS_F" link set "$PA" master br0 && ip -n "$NS_F" link set "$PB" master br0 || return 1
    for k in "$PA" "$PB" br0; do
        ip -n "$NS_F" link set "$k" up
        ip netns exec "$NS_F" ethtool -K "$k" gro on >/dev/null 2>&1
    done
    FWD_NOTE="own netns, bridge-nf-call off"
}
sw_bridge_stop() { ip netns del "$NS_F" 2>/dev/null; return 0; }

# ------------------------------------------------------------ Open vSwitch
OVSDIR=$TMPD/ovs OVSBR=${P}o
OVS_PID=
ovs() { ovs-vsctl --db="unix:$OVSDIR/db.sock" --timeout=10 "$@"; }
ovs_ctl() { ovs-appctl -t "$OVSDIR/ovs-vswitchd.ctl" "$@"; }
have_ovs() { command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null; }
sw_ovs_start() {
    CUR_STOP=sw_ovs_stop
    # The userspace datapath has one device of this name per host.
    ip link show ovs-netdev >/dev/null 2>&1 && { echo "ovs-netdev exists (another userspace Open vSwitch?)"; return 1; }
    rm -rf "$OVSDIR"            # an earlier round's database
    mkdir -p "$OVSDIR"
    export OVS_RUNDIR=$OVSDIR OVS_LOGDIR=$OVSDIR OVS_DBDIR=$OVSDIR OVS_SYSCONFDIR=$OVSDIR
    ovsdb-tool create "$OVSDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema >/dev/null ||
        { echo "ovsdb-tool failed"; return 1; }
    ovsdb-server "$OVSDIR/conf.db" --remote="punix:$OVSDIR/db.sock" --pidfile="$OVSDIR/ovsdb-server.pid" \
        --unixctl="$OVSDIR/ovsdb-server.ctl" --log-file="$OVSDIR/ovsdb-server.log" --detach --no-chdir ||
        { echo "ovsdb-server failed"; return 1; }
    track "$(cat "$OVSDIR/ovsdb-server.pid")"
    ovs --no-wait init
    ovs --no-wait set Open_vSwitch . other_config:pmd-cpu-mask="$(printf 0x%x $((1 << FWD_CPU)))" \
        other_config:flow-limit=2000000
    taskset -c "$FWD_CPU" ovs-vswitchd "unix:$OVSDIR/db.sock" --pidfile="$OVSDIR/ovs-vswitchd.pid" \
        --unixctl="$OVSDIR/ovs-vswitchd.ctl" --log-file="$OVSDIR/ovs-vswitchd.log" --detach --no-chdir ||
        { echo "ovs-vswitchd failed: $(tail -2 "$OVSDIR/ovs-vswitchd.log")"; return 1; }
    OVS_PID=$(cat "$OVSDIR/ovs-vswitchd.pid")
    track "$OVS_PID"
    ovs add-br "$OVSBR" -- set bridge "$OVSBR" datapath_type=netdev fail_mode=standalone \
        other_config:mac-table-size=1048576 || { echo "add-br failed"; return 1; }
    local mode p err ok
    for mode in native generic; do
        ok=1
        for p in "$PA" "$PB"; do
            ovs -- --if-exists del-port "$OVSBR" "$p"
            ovs add-port "$OVSBR" "$p" -- set interface "$p" type=afxdp \
                options:xdp-mode=$mode options:n_rxq=1 >/dev/null 2>&1
        done
        sleep 1
        for p in "$PA" "$PB"; do
            err=$(ovs get interface "$p" error 2>/dev/null)
            [ -z "$err" ] || [ "$err" = '[]' ] || ok=0
            [ "$(ovs get interface "$p" ofport 2>/dev/null)" -gt 0 ] 2>/dev/null || ok=0
        done
        if [ $ok = 1 ] && wait_ping 10; then
            FWD_NOTE="NORMAL, afxdp xdp-mode=$mode"
            return 0
        fi
        log "  ovs: afxdp ports with xdp-mode=$mode: no good"
    done
    echo "no AF_XDP mode worked (log: $OVSDIR/ovs-vswitchd.log)"
    return 1
}
sw_ovs_stop() {
    local p
    [ -S "$OVSDIR/db.sock" ] && ovs -- --if-exists del-br "$OVSBR" >/dev/null 2>&1
    [ -S "$OVSDIR/ovs-vswitchd.ctl" ] && ovs_ctl exit --cleanup >/dev/null 2>&1
    for p in ovs-vswitchd ovsdb-server; do
        [ -f "$OVSDIR/$p.pid" ] && kill_pid "$(cat "$OVSDIR/$p.pid")"
    done
    ip link del ovs-netdev 2>/dev/null
    ip link del "$OVSBR" 2>/dev/null
    OVS_PID=
    return 0
}
ovs_flows() { ovs_ctl dpctl/show 2>/dev/null | awk '/flows:/{print $2; f=1} END{if(!f) print 0}'; }
ovs_prepare() {
    ovs_ctl dpif-netdev/pmd-stats-clear >/dev/null 2>&1
    # Through the revalidators: dpctl/del-flows would leave their flow keys
    # behind, and upcalls for those flows then fail until they age out.
    ovs_ctl revalidator/purge >/dev/null 2>&1
}

# ------------------------------------------------------------ bare AF_XDP forwarder
sw_xskfwd_start() {
    CUR_STOP=sw_xskfwd_stop
    taskset -c "$FWD_CPU" "$XB_BUILD/xskfwd" "$PA" "$PB" > "$TMPD/xskfwd.log" 2>&1 &
    XSKFWD_PID=$!
    track $XSKFWD_PID
    local i
    for i in $(seq 50); do
        grep -q ready "$TMPD/xskfwd.log" && return 0
        kill -0 $XSKFWD_PID 2>/dev/null || break
        sleep 0.1
    done
    echo "xskfwd did not start: $(tail -1 "$TMPD/xskfwd.log")"
    return 1
}
sw_xskfwd_stop() { [ -n "${XSKFWD_PID:-}" ] && kill_pid "$XSKFWD_PID"; XSKFWD_PID=; }

# ------------------------------------------------------------ per-switch hooks
flows_of() { case $1 in xswd) xswd_flows ;; ovs) ovs_flows ;; *) echo 0 ;; esac; }
prepare() { # SWITCH SCENARIO N
    case $1 in xswd) xswd_prepare "$2" "$3" ;; ovs) ovs_prepare ;; esac
}
# One line from pmd-stats: cycles per packet and where lookups ended.
pmd_line() { # pmd-stats text on stdin
    awk -F': *' '
        /packets received/ { p += $2 }
        /emc hits/ { e += $2 }
        /smc hits/ { s += $2 }
        /megaflow hits/ && !/subtable/ { m += $2 }
        /miss with success upcall/ { u += $2 }
        /miss with failed upcall/ { f += $2 }
        /avg processing cycles per packet/ { split($2, a, " "); c = a[1] }
        /avg. subtable lookups/ { l = $2 }
        END { if (p > 0) printf "%.0f cycles/pkt busy; emc %.0f%%, megaflow %.0f%% (%.2f subtables/hit), upcall %.1f%%%s",
                  c, 100*e/p, 100*(m+s)/p, l, 100*(u+f)/p, f ? sprintf(", failed upcalls %d", f) : "" }'
}
pmd_snapshot() { # SWITCH SCENARIO; the raw statistics stay in $TMPD (XB_KEEP=1)
    local t raw=$TMPD/stats-$1-$2-r$ROUND.txt
    case $1 in
    xswd) { xswctl pmd-stats; xswctl upcall-stats; xswctl show; } > "$raw" 2>&1 ;;
    ovs) { ovs_ctl dpif-netdev/pmd-stats-show; ovs_ctl upcall/show; ovs_ctl coverage/show; } > "$raw" 2>&1 ;;
    *) return 0 ;;
    esac
    t=$(pmd_line < "$raw")
    [ -n "$t" ] && PMD[$1|$2]=$t
}

# ------------------------------------------------------------ measurements
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
GEN_PID=
gen_start() { # MODE FLOWS LEN [SEQ_BASE]
    ip netns exec "$NS_G" taskset -c "$GEN_CPU" "$XB_BUILD/xbgen" -o "$OBJ" -i "$G0" \
        -d "$S_MAC" -s "$G_MAC" -A "$G_IP" -a "$S_IP" -m "$1" -n "$2" -l "$3" -b "${4:-0}" \
        > "$TMPD/gen.log" 2>&1 &
    GEN_PID=$!
    track $GEN_PID
}
gen_stop() { # -> offered Mpps on stdout
    kill_pid "$GEN_PID"
    GEN_PID=
    sed -n 's/.*= \([0-9.]*\) Mpps.*/\1/p' "$TMPD/gen.log"
}
scen_gen() { # SCENARIO -> "mode flows len"
    case $1 in
    one) echo "fixed 1 60" ;;
    flows1k) echo "tuple 1000 60" ;;
    flows10k) echo "tuple 10000 60" ;;
    flows100k) echo "tuple 100000 60" ;;
    mf1k) echo "mac 1000 60" ;;
    mf10k) echo "mac 10000 60" ;;
    mf100k) echo "mac 100000 60" ;;
    big) echo "fixed 1 1514" ;;
    esac
}
measure_pps() { # SWITCH SCENARIO
    local sw=$1 sc=$2 mode n len r off have i pid c0 c1 t0 t1 cpu
    read -r mode n len <<< "$(scen_gen "$sc")"
    prepare "$sw" "$sc" "$n"
    sink_on || { log "  cannot attach the sink counter"; return; }
    gen_start "$mode" "$n" "$len"
    sleep "$WARM"
    # A megaflow per flow: the warm-up lasts until the slow path has them all.
    if [ "$mode" = mac ] && { [ "$sw" = ovs ] || { [ "$sw" = xswd ] && [ "$XSWD_MODE" = learning ]; }; }; then
        for i in $(seq $((MF_WAIT * 2))); do
            have=$(flows_of "$sw")
            [ "$have" -ge $((n * 99 / 100)) ] && break
            sleep 0.5
        done
        [ "$have" -ge $((n * 99 / 100)) ] || note "$sw" "$sc" "only $have of $n flows after ${MF_WAIT}s warm-up"
    fi
    [ "$sw" = xswd ] && xswctl pmd-stats --clear >/dev/null 2>&1
    [ "$sw" = ovs ] && ovs_ctl dpif-netdev/pmd-stats-clear >/dev/null 2>&1
    [ "${XB_PERF:-0}" = 1 ] && perf_start "$sw" "$sc"
    pid=$(switch_pid "$sw")
    [ -n "$pid" ] && { c0=$(cpu_ticks "$pid"); t0=$EPOCHREALTIME; }
    # In the background, so that a signal to this script is handled at once
    # (bash runs traps only between foreground commands, or in wait).
    "$XB_BUILD/xbsink" sample "$SINK_MAP" "$WINDOWS" "$DUR" > "$TMPD/sample.out" &
    track $!
    wait $!
    r=$(cat "$TMPD/sample.out")
    if [ -n "$pid" ]; then
        # What the switch got of its CPU: on a shared box, the rest went to
        # others, so Mpps per core of it compares switches more fairly.
        c1=$(cpu_ticks "$pid"); t1=$EPOCHREALTIME
        cpu=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" -v hz="$HZ" 'BEGIN{printf "%.1f", 100 * (b - a) / hz / (e - s)}')
        add "$sw" "cpu_$sc" "$cpu"
        add "$sw" "pc_$sc" "$(echo $r | awk -v c="$cpu" '{for (i = 1; i <= NF; i++) t += $i; if (c > 0) printf "%.4f", t / NF / 1e6 / (c / 100)}')"
    fi
    pmd_snapshot "$sw" "$sc"
    [ "${XB_PERF:-0}" = 1 ] && perf_stop "$sw" "$sc"
    have=$(flows_of "$sw")
    off=$(gen_stop)
    for i in $r; do add "$sw" "$sc" "$(awk -v x="$i" 'BEGIN{printf "%.4f", x/1e6}')"; done
    log "  $sc: $(echo $r | awk '{for(i=1;i<=NF;i++) printf "%.3f ", $i/1e6}')Mpps (offered ${off:-?} Mpps, datapath flows $have${cpu:+, switch CPU $cpu%})"
}
switch_pid() { case $1 in xswd) echo "$XSWD_PID" ;; ovs) echo "$OVS_PID" ;; xskfwd) echo "${XSKFWD_PID:-}" ;; esac; }
HZ=$(getconf CLK_TCK)
# XB_PERF=1: a cpu-clock profile of the switch's CPU over the windows; the
# busiest symbols go into the report.
declare -A PROF PROFC
PERF_PID=
perf_start() {
    command -v perf >/dev/null || return 0
    perf record -q -e cpu-clock -C "$FWD_CPU" -o "$TMPD/perf-$1-$2.data" \
        -- sleep "$(awk -v n="$WINDOWS" -v d="$DUR" 'BEGIN{print n * d}')" >/dev/null 2>&1 &
    PERF_PID=$!
    track $PERF_PID
}
perf_stop() {
    [ -n "$PERF_PID" ] || return 0
    wait "$PERF_PID" 2>/dev/null
    PERF_PID=
    # By command too: whatever else runs on that CPU shows up by name.
    PROFC[$1|$2]=$(perf report -q --stdio --sort comm -i "$TMPD/perf-$1-$2.data" 2>/dev/null |
        awk '$1 ~ /%$/ { printf "%s%s %s", n++ ? ", " : "", $2, $1 } n >= 5 { exit }')
    PROF[$1|$2]=$(perf report -q --stdio --sort comm,sym -i "$TMPD/perf-$1-$2.data" 2>/dev/null |
        awk '$1 ~ /%$/ && $3 ~ /^\[/ { printf "%s%s %s:%s", n++ ? ", " : "", $1, $2, substr($4, 1, 40) } n >= 6 { exit }')
}
# Flow setup: N new Ethernet sources, cycled until the slow path has a
# megaflow for each; the rate is the slope of the datapath's flow count
# between the first and the last flow seen.  N stays under the flow limit
# Open vSwitch starts with (10000, raised only as its revalidators keep up).
SETUP_N=8000
measure_setup() { # SWITCH
    local sw=$1 rep base f fb f0 f1 t t0 t1 end r lost0 lost1
    case $sw in xswd|ovs) ;; *) return 0 ;; esac
    if [ "$sw" = xswd ] && [ "$XSWD_MODE" = static ]; then
        note xswd setup "not measured: no slow path installs flows in this xswd"
        return 0
    fi
    sink_on || return
    for rep in $(seq "$WINDOWS"); do
        prepare "$sw" setup 0
        sleep 0.3
        # Sources never seen before, in this round or an earlier one.
        base=$(( 0x10000000 + ((ROUND - 1) * WINDOWS + rep) * 0x100000 ))
        fb=$(flows_of "$sw") f0='' t0='' f1='' t1=''
        [ "$sw" = xswd ] && lost0=$(xswctl upcall-stats 2>/dev/null | awk '/lost:/{print $2}')
        gen_start mac "$SETUP_N" 60 "$base"
        end=$(( ${EPOCHREALTIME%.*} + 10 ))
        while :; do
            f=$(flows_of "$sw"); t=$EPOCHREALTIME
            if [ -z "$t0" ] && [ "$f" -gt "$fb" ]; then t0=$t; f0=$f; fi
            if [ -n "$t0" ]; then f1=$f t1=$t; fi
            [ $((f - fb)) -ge $((SETUP_N * 98 / 100)) ] && [ "$t1" != "$t0" ] && break
            [ "${t%.*}" -ge "$end" ] && { note "$sw" setup "only $((f - fb)) of $SETUP_N flows within 10 s"; break; }
        done
        gen_stop >/dev/null
        if [ -n "$t0" ] && [ "$t1" != "$t0" ]; then
            r=$(awk -v a="$f0" -v b="$f1" -v s="$t0" -v e="$t1" 'BEGIN{printf "%.0f", (b - a) / (e - s)}')
            add "$sw" setup "$r"
            log "  setup: $((f1 - f0)) flows in $(awk -v s="$t0" -v e="$t1" 'BEGIN{printf "%.3f", e - s}')s = $r flows/s"
        else
            log "  setup: no flows installed"
        fi
        if [ "$sw" = xswd ]; then
            lost1=$(xswctl upcall-stats 2>/dev/null | awk '/lost:/{print $2}')
            UPCALL_LOST=$(( ${UPCALL_LOST:-0} + ${lost1:-0} - ${lost0:-0} ))
        fi
    done
    pmd_snapshot "$sw" setup
    [ "$sw" = xswd ] && note xswd setup "upcalls lost (queue full): ${UPCALL_LOST:-0} over $WINDOWS x $SETUP_N new sources"
    UPCALL_LOST=0
}
measure_ping() { # SWITCH
    local r
    prepare "$1" ping 0
    sink_off
    ping_ok 1    # ARP, learning
    r=$(ip netns exec "$NS_G" ping -q -c 50 -i 0.02 -W 1 "$S_IP" 2>/dev/null |
        awk -F'[/ =]+' '/^rtt|^round-trip/{print $6, $7, $8}')
    [ -n "$r" ] || { log "  ping failed"; note "$1" ping "ping failed"; return; }
    set -- "$1" $r
    add "$1" ping "$3"
    LO[$1|ping]=$(awk -v a="${LO[$1|ping]:-1e9}" -v b="$2" 'BEGIN{print (b<a)?b:a}')
    HI[$1|ping]=$(awk -v a="${HI[$1|ping]:-0}" -v b="$4" 'BEGIN{print (b>a)?b:a}')
    log "  ping rtt min/avg/max: $2/$3/$4 ms"
}
measure_tcp() { # SWITCH
    local i v sp
    prepare "$1" tcp 0
    sink_off
    for i in $(seq "$TCP_REPS"); do
        ip netns exec "$NS_S" taskset -c "$GEN_CPU" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
        sp=$!
        track $sp
        sleep 0.5
        v=$(timeout $((TCP_DUR + 15)) ip netns exec "$NS_G" taskset -c "$GEN_CPU" \
                iperf3 -c "$S_IP" -p 5201 -t "$TCP_DUR" -O 1 -J 2>/dev/null |
            python3 -c 'import json,sys
try: print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception: print("")')
        kill_pid $sp
        if [ -n "$v" ]; then add "$1" tcp "$v"; log "  tcp: $v Gbit/s"; else note "$1" tcp "iperf3 failed"; fi
    done
}
measure_idle() { # SWITCH
    local sw=$1 pid c0 c1 pct t0 t1 r
    case $sw in xswd) pid=$XSWD_PID ;; ovs) pid=$OVS_PID ;; *) return 0 ;; esac
    [ -n "$pid" ] || return 0
    sink_off
    sleep 2
    c0=$(cpu_ticks "$pid"); t0=$EPOCHREALTIME
    sleep 5
    c1=$(cpu_ticks "$pid"); t1=$EPOCHREALTIME
    pct=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" -v hz="$(getconf CLK_TCK)" \
        'BEGIN{printf "%.1f", 100 * (b - a) / hz / (e - s)}')
    add "$sw" idle "$pct"
    # The first frame after the quiet spell must still get through.
    r=$(ip netns exec "$NS_G" ping -c 1 -W 2 "$S_IP" 2>/dev/null | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')
    if [ -n "$r" ]; then note "$sw" idle "first ping after idle passed (${r} ms)"
    else note "$sw" idle "FIRST PING AFTER IDLE LOST"; IDLE_FAIL[$sw]=1; fi
    log "  idle: ${pct}% of a core; first ping after idle: ${r:-lost}"
}
declare -A IDLE_FAIL

# ------------------------------------------------------------ the run
run_switch() { # SWITCH
    local sw=$1 start=sw_$1_start msg=$TMPD/start.msg sc
    log "=== ${SW_LABEL[$sw]} (round $ROUND)"
    topo_up || { SKIP[$sw]="topology setup failed"; cleanup_switch; return; }
    FWD_NOTE='' CUR_STOP=''
    if ! $start > "$msg" 2>&1; then
        SKIP[$sw]=$(tail -1 "$msg"); log "  SKIP: ${SKIP[$sw]}"; cleanup_switch; return
    fi
    if ! wait_ping 20; then
        SKIP[$sw]="no ping through it"; log "  SKIP: ${SKIP[$sw]}"; cleanup_switch; return
    fi
    unset "SKIP[$sw]"
    [ -n "$FWD_NOTE" ] && SWNOTE[$sw]=$FWD_NOTE
    for sc in one flows1k flows10k flows100k mf1k mf10k mf100k big; do
        want "$sc" || continue
        case $sw:$sc in xskfwd:flows*|xskfwd:mf*) continue ;; esac
        measure_pps "$sw" "$sc"
    done
    want setup && measure_setup "$sw"
    want ping && measure_ping "$sw"
    want tcp && measure_tcp "$sw"
    want idle && measure_idle "$sw"
    cleanup_switch
}
declare -A SWNOTE
cleanup_switch() {
    [ -n "$CUR_STOP" ] && { $CUR_STOP >/dev/null 2>&1; CUR_STOP=; }
    [ -n "$GEN_PID" ] && gen_stop >/dev/null
    SINK_MAP=
    topo_down
    sleep 0.3
}

if [ -n "$REPORT_FROM" ]; then
    # shellcheck disable=SC1090
    . "$REPORT_FROM"
else
SWITCHES=()
for s in ${ONLY//,/ }; do
    if [ "$s" = ovs ] && ! have_ovs; then
        SKIP[ovs]="openvswitch-switch not installed (bench/run.sh --with-ovs installs it)"
        log "SKIP ovs-afxdp: ${SKIP[ovs]}"
        continue
    fi
    SWITCHES+=("$s")
done
STARTED=$(date -u +%FT%TZ)
KERNEL=$(uname -r) NCPU=$(nproc)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$SECONDS
for ROUND in $(seq "$ROUNDS"); do
    for s in "${SWITCHES[@]}"; do run_switch "$s"; done
done
ELAPSED=$((SECONDS - T_START))
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
# Everything the report needs, for --report.
{
    declare -p S LO HI NOTE SKIP PMD PROF PROFC SWNOTE IDLE_FAIL
    for v in STARTED LOAD0 LOAD1 ELAPSED WINDOWS DUR WARM ROUNDS TCP_REPS TCP_DUR \
             SETUP_N GEN_CPU FWD_CPU ONLY KERNEL NCPU; do
        declare -p $v
    done
} > "$RESULTS/latest.raw" 2>/dev/null
fi

# ------------------------------------------------------------ report
stat3() { # samples -> "median min max"
    printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END{ if (!NR) { print "- - -"; exit }
        m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; print m, v[1], v[NR] }'
}
med() { [ -n "${S[$1|$2]:-}" ] && stat3 "${S[$1|$2]}" | awk '{print $1}'; }
fmt() { # value with digits by size
    awk -v x="$1" 'BEGIN{ if (x == "" || x == "-") { print "-"; exit }
        a = (x < 0) ? -x : x; printf (a >= 1000) ? "%.0f" : (a >= 10) ? "%.1f" : (a >= 1) ? "%.2f" : "%.3f", x }'
}
cell() { # SWITCH SCENARIO -> "med [min-max]"
    local sw=$1 sc=$2 m lo hi
    if [ -n "${SKIP[$sw]:-}" ] && [ -z "${S[$sw|$sc]:-}" ]; then echo "skipped"; return; fi
    [ -n "${S[$sw|$sc]:-}" ] || { echo "-"; return; }
    read -r m lo hi <<< "$(stat3 "${S[$sw|$sc]}")"
    if [ "$sc" = ping ]; then
        lo=${LO[$sw|ping]}; hi=${HI[$sw|ping]}
    elif [ "$sc" = idle ] || [ "$(printf '%s\n' ${S[$sw|$sc]} | wc -l)" = 1 ]; then
        fmt "$m"; return
    fi
    echo "$(fmt "$m") [$(fmt "$lo")-$(fmt "$hi")]"
}
ROWS=(one cpu_one pc_one flows1k flows10k flows100k mf1k mf10k mf100k big bigg setup ping tcp idle)
declare -A ROW_LABEL=(
    [one]="one flow (Mpps)"
    [cpu_one]="  switch's CPU share (% of a core)"
    [pc_one]="  Mpps per core of the switch"
    [flows1k]="1k flows, 1 megaflow (Mpps)"
    [flows10k]="10k flows, 1 megaflow (Mpps)"
    [flows100k]="100k flows, 1 megaflow (Mpps)"
    [mf1k]="1k flows, 1k megaflows (Mpps)"
    [mf10k]="10k flows, 10k megaflows (Mpps)"
    [mf100k]="100k flows, 100k megaflows (Mpps)"
    [big]="1514 B frames (Mpps)"
    [bigg]="1514 B frames (Gbit/s)"
    [setup]="flow setup (new flows/s)"
    [ping]="ping RTT avg [min-max] (ms)"
    [tcp]="iperf3 TCP (Gbit/s)"
    [idle]="idle CPU (% of a core)"
)
# Gbit/s of the big frames, from their Mpps: 1514 B + 4 B FCS each.
for s in xswd bridge ovs xskfwd; do
    [ -n "${S[$s|big]:-}" ] || continue
    for v in ${S[$s|big]}; do add "$s" bigg "$(awk -v x="$v" 'BEGIN{printf "%.3f", x * 1518 * 8 / 1000}')"; done
done
COLS=()
for s in xswd bridge ovs xskfwd; do
    [[ ",$ONLY," == *",$s,"* ]] && COLS+=("$s")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
target() { # LABEL VALUE GOAL OP -> "MET/MISSED ..."
    local label=$1 v=$2 goal=$3 op=$4 ok
    if [ "$v" = - ] || [ -z "$v" ]; then printf '  %-58s %s\n' "$label" "n/a (not measured)"; return; fi
    ok=$(awk -v v="$v" -v g="$goal" -v op="$op" 'BEGIN{ print (op == ">=") ? (v >= g) : (v <= g) }')
    if [ "$ok" = 1 ]; then printf '  %-58s %-6s (%s %s %s)\n' "$label" met "$v" "$op" "$goal"
    else printf '  %-58s %-6s (%s, goal %s %s)\n' "$label" MISSED "$v" "$op" "$goal"; fi
}

report() {
    local s r line
    echo "xsw bench, $STARTED, $KERNEL, $NCPU CPUs: generator on CPU $GEN_CPU, switch on CPU $FWD_CPU"
    echo "UDP from an XDP live-frames generator, counted and dropped by XDP at the sink; 64 B frames"
    echo "(60 B + FCS) unless said; per cell: median [min-max] of $WINDOWS windows of ${DUR}s x $ROUNDS round(s)"
    echo "after ${WARM}s warm-up; ping 50 x 20 ms; iperf3 TCP $TCP_REPS x ${TCP_DUR}s; flow setup $WINDOWS x $SETUP_N new sources"
    echo "run took ${ELAPSED}s; load average before $LOAD0, after $LOAD1 (other work on the box skews everything)"
    echo
    line=$(printf '%-34s' scenario)
    for s in "${COLS[@]}"; do line+=$(printf ' %-22s' "${SW_LABEL[$s]}"); done
    echo "$line"
    for r in "${ROWS[@]}"; do
        local any=0
        for s in "${COLS[@]}"; do [ -n "${S[$s|$r]:-}" ] && any=1; done
        [ $any = 1 ] || continue
        line=$(printf '%-34s' "${ROW_LABEL[$r]}")
        for s in "${COLS[@]}"; do line+=$(printf ' %-22s' "$(cell "$s" "$r")"); done
        echo "$line"
    done
    echo
    echo "notes:"
    for s in "${COLS[@]}"; do
        if [ -n "${SKIP[$s]:-}" ]; then
            if [ -n "${S[$s|one]:-}${S[$s|ping]:-}" ]; then echo "  ${SW_LABEL[$s]}: skipped in a later round: ${SKIP[$s]}"
            else echo "  ${SW_LABEL[$s]}: skipped: ${SKIP[$s]}"; continue; fi
        fi
        case $s in
        xswd) [ "${SWNOTE[xswd]:-}" = static ] &&
                echo "  xswd: static flow (xswctl has no fdb-show yet, so no learning switch): in_port(1),eth(dst=SINK) -> 2 etc., installed with add-flow; megaflow scenarios: one flow per source, installed in bulk" ||
                echo "  xswd: learning switch (slow path installs the flows)" ;;
        *) [ -n "${SWNOTE[$s]:-}" ] && echo "  ${SW_LABEL[$s]}: ${SWNOTE[$s]}" ;;
        esac
        for r in "${ROWS[@]}"; do
            [ -n "${NOTE[$s|$r]:-}" ] && echo "  ${SW_LABEL[$s]} ${ROW_LABEL[$r]%% (*}: ${NOTE[$s|$r]}"
        done
    done
    echo "  xskfwd forwards everything without a lookup: only the one-flow and frame-size rows apply"
    echo
    echo "targets (this run):"
    local one_x one_o one_k
    one_x=$(med xswd one); one_o=$(med ovs one); one_k=$(med xskfwd one)
    target "one flow: xswd / ovs-afxdp >= 1.0" "$(ratio "$one_x" "$one_o")" 1.0 ">="
    target "one flow: xswd / xskfwd >= 0.9" "$(ratio "$one_x" "$one_k")" 0.9 ">="
    printf '  %-58s %s\n' "  the same per core the switch got (xswd / ovs, / xskfwd)" \
        "$(ratio "$(med xswd pc_one)" "$(med ovs pc_one)"), $(ratio "$(med xswd pc_one)" "$(med xskfwd pc_one)")"
    target "10k flows, 1 megaflow: xswd / xswd one flow >= 0.9" "$(ratio "$(med xswd flows10k)" "$one_x")" 0.9 ">="
    printf '  %-58s %s\n' "  the same per core the switch got" "$(ratio "$(med xswd pc_flows10k)" "$(med xswd pc_one)")"
    target "100k megaflows: xswd / xswd one flow >= 0.7" "$(ratio "$(med xswd mf100k)" "$one_x")" 0.7 ">="
    printf '  %-58s %s\n' "  the same per core the switch got" "$(ratio "$(med xswd pc_mf100k)" "$(med xswd pc_one)")"
    target "ping RTT avg: xswd / ovs-afxdp <= 1.0" "$(ratio "$(med xswd ping)" "$(med ovs ping)")" 1.0 "<="
    target "idle CPU of xswd (% of a core) < 5" "$(med xswd idle | awk '{print ($1 == "") ? "-" : $1}')" 4.999 "<="
    if [ -n "${S[xswd|idle]:-}" ]; then
        printf '  %-58s %s\n' "first frame after idle passes" "$([ -n "${IDLE_FAIL[xswd]:-}" ] && echo MISSED || echo met)"
    fi
    printf '  %-58s %s\n' "flow setup, xswd vs ovs-afxdp (new flows/s)" \
        "$(fmt "$(med xswd setup)") vs $(fmt "$(med ovs setup)") (ratio $(ratio "$(med xswd setup)" "$(med ovs setup)"))"
    echo
    echo "where the cycles go (pmd-stats over the measuring windows; busy = not idle polling):"
    for s in xswd ovs; do
        for r in "${ROWS[@]}"; do
            [ -n "${PMD[$s|$r]:-}" ] || continue
            printf '  %-10s %-10s %s%s\n' "${SW_LABEL[$s]}" "$r" "${PMD[$s|$r]}" \
                "${S[$s|cpu_$r]:+; got $(stat3 "${S[$s|cpu_$r]}" | awk '{print $1}')% of CPU $FWD_CPU}"
        done
    done
    if [ -n "${PROF[*]:-}" ]; then
        echo
        echo "profile of CPU $FWD_CPU over the windows (perf cpu-clock: share of samples, command:symbol):"
        for s in "${COLS[@]}"; do
            for r in "${ROWS[@]}"; do
                [ -n "${PROF[$s|$r]:-}" ] || continue
                printf '  %-12s %-10s by command: %s\n' "${SW_LABEL[$s]}" "$r" "${PROFC[$s|$r]}"
                printf '  %-12s %-10s by symbol: %s\n' "" "" "${PROF[$s|$r]}"
            done
        done
    fi
    return 0
}

plot_data() {
    # Blocks for bench/plot.gp: 0 the frame rates, a row per scenario with
    # median min max for each switch; then ping, tcp, setup, idle, a row per
    # switch: label median min max column (so each switch keeps its colour).
    local r s m lo hi i
    echo "# frame rates (Mpps): scenario, then median min max for: ${COLS[*]}"
    for r in one flows1k flows10k flows100k mf1k mf10k mf100k big; do
        local any=0 line="$r"
        for s in "${COLS[@]}"; do [ -n "${S[$s|$r]:-}" ] && any=1; done
        [ $any = 1 ] || continue
        for s in "${COLS[@]}"; do
            if [ -n "${S[$s|$r]:-}" ]; then line+=" $(stat3 "${S[$s|$r]}")"; else line+=" NaN NaN NaN"; fi
        done
        echo "$line"
    done
    for r in ping tcp setup idle; do
        printf '\n\n# %s\n' "$r"
        i=0 HAS[$r]=0
        for s in "${COLS[@]}"; do
            i=$((i + 1))
            [ -n "${S[$s|$r]:-}" ] || continue
            read -r m lo hi <<< "$(stat3 "${S[$s|$r]}")"
            [ "$r" = ping ] && { lo=${LO[$s|ping]}; hi=${HI[$s|ping]}; }
            echo "${SW_LABEL[$s]} $m $lo $hi $i"
            HAS[$r]=1
        done
        [ "${HAS[$r]}" = 1 ] || echo "none NaN NaN NaN 1"
    done
}
declare -A HAS

report | tee "$RESULTS/latest.txt"
plot_data > "$RESULTS/latest.dat"
if command -v gnuplot >/dev/null; then
    gnuplot -e "datafile='$RESULTS/latest.dat'; outfile='$RESULTS/latest.png'" \
        -e "labels='$(for s in "${COLS[@]}"; do printf '%s ' "${SW_LABEL[$s]}"; done | sed 's/ $//')'" \
        -e "has_ping=${HAS[ping]}; has_tcp=${HAS[tcp]}; has_setup=${HAS[setup]}; has_idle=${HAS[idle]}" \
        -e "subtitle='$STARTED, $KERNEL, $NCPU CPUs; median of $WINDOWS x ${DUR}s windows x $ROUNDS round(s), bars min-max'" \
        "$HERE/plot.gp" 2>"$TMPD/gnuplot.err" || log "gnuplot failed: $(head -3 "$TMPD/gnuplot.err")"
    [ -s "$RESULTS/latest.png" ] && log "plot: $RESULTS/latest.png"
else
    log "gnuplot not installed: no plot (bench/deps.sh installs gnuplot-nox)"
fi
log "table: $RESULTS/latest.txt"
