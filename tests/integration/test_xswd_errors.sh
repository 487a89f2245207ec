#!/bin/bash
# test_xswd_errors: xswd under bad input, and what it leaves behind.
#
#   ns1: veth0 10.204.0.1 <-veth-> A (port 1) \
#   ns2: veth0 10.204.0.2 <-veth-> B (port 2) -[ xswd bridge BR ]
#   ns3: veth0 10.204.0.3 <-veth-> C (port 3) /
#
# - malformed and mutated netlink on the control socket (tests/tools/
#   ctl_garbage, seeded: XSW_TEST_SEED, else the pid), after which show still
#   answers and frames still flow;
# - bad xswctl arguments: exit status 2 (usage) or 1 (refused by xswd) and
#   the message, a table;
# - bad configuration files: a table of files, each with the message
#   config.c gives (file, line, section, key, value), from --check-config
#   and from a real start, exit status 1 and nothing created;
# - bad xswd options, a second xswd on the same socket, SIGHUP with the
#   file unchanged;
# - a port's interface deleted under the running xswd: the port goes, the
#   log says so, the other ports keep forwarding, and a new interface can be
#   added in its place;
# - SIGTERM: status 0, no XDP program, TAP device or socket file left, no
#   sanitizer report (ASan build).
# Static flows carry the test's traffic at first; xswd's slow path (the
# learning switch) carries it after the port change, when its revalidator
# has decided every flow again.  Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping
XSWD=$XSW_BUILDDIR/xswd
XSWCTL=$XSW_BUILDDIR/xswctl
GARBAGE=$XSW_BUILDDIR/tests/tools/ctl_garbage
xsw_require_xswd "$GARBAGE"
xsw_bpffs_ensure

NS1=$(xsw_name n1)
NS2=$(xsw_name n2)
NS3=$(xsw_name n3)
A=$(xsw_name a)
B=$(xsw_name b)
C=$(xsw_name c)
D=$(xsw_name d)
BR=$(xsw_name br)
NOPE=$(xsw_name zz)
INI=$XSW_T_TMP/xsw.ini
NET=10.204.0
MAC1=02:00:00:cc:00:01
MAC2=02:00:00:cc:00:02
MAC3=02:00:00:cc:00:03
SEED=${XSW_TEST_SEED:-$$}
N_GARBAGE=${XSW_TEST_GARBAGE:-3000}
F12="in_port(1),eth_type(0x0800),ipv4(dst=$NET.2)"
F13="in_port(1),eth_type(0x0800),ipv4(dst=$NET.3)"
F21="in_port(2),eth_type(0x0800)"
F31="in_port(3),eth_type(0x0800)"

# ------------------------------------------------------------------ tables
# Bad xswctl command lines: expected status | message fragment | arguments
# (tab-separated; @BR@, @A@, @NOPE@ and @TMP@ are filled in).
XSWCTL_CASES="\
2	unknown command 'frobnicate'	frobnicate
2	add-flow: expected [BRIDGE] FLOW ACTIONS	add-flow
2	add-flow: expected [BRIDGE] FLOW ACTIONS	add-flow	in_port(1)
2	add-flow: bad flow: unknown key attribute 'bogus'	add-flow	in_port(1),bogus(3)	2
2	add-flow: bad flow:	add-flow	in_port(1),eth_type(0x0800),ipv4(dst=10.1.2)	2
2	add-flow: bad actions: unknown action 'frob'	add-flow	in_port(1)	frob(1)
2	add-flow: bad actions:	add-flow	in_port(1)	push_vlan(vid=5000,pcp=0),2
1	action ct is not supported	add-flow	in_port(1),eth_type(0x0806)	ct(commit),2
1	add-flow: datapath nosuchbr does not exist	add-flow	nosuchbr	in_port(1)	2
1	show: datapath nosuchbr does not exist	show	nosuchbr
1	exists already in datapath @BR@	add-flow	in_port(2),eth_type(0x0800)	1
1	del-flow: no flow with this key	del-flow	in_port(1),eth_type(0x86dd)
2	add-if: expected BRIDGE IFACE	add-if	@BR@
1	add-if: @NOPE@: no such device	add-if	@BR@	@NOPE@
1	add-if: @A@: already a port of datapath @BR@	add-if	@BR@	@A@
2	xdp_mode 'driver': expected auto, native or skb	add-if	@BR@	@NOPE@,xdp_mode=driver
1	del-if: datapath @BR@ has no port 9	del-if	@BR@	9
1	internal port	del-if	@BR@	0
2	log-level: 'loud': expected error, warn, info or debug	log-level	loud
2	show: unknown option '-x'	show	-x
2	--timeout: 'abc' is not a time in ms	--timeout	abc	show
1	cannot connect to @TMP@/none.sock	--socket	@TMP@/none.sock	show"

# Bad configuration files: name | message fragment after "FILE:" | INI text
# with \n for newlines (@BR@ is this test's bridge, @NOPE@ a missing device).
CONFIG_CASES="\
syntax error	3: syntax error: 'garbage' is neither [section], key = value nor a comment	[global]\nworkers = 1\ngarbage
unknown section	1: unknown section [globl]: expected [global], [bridge.NAME] or [port.NAME]	[globl]
key before a section	1: key 'workers' comes before any [section]	workers = 1\n[global]
unknown key	2: [global] unknown key 'worker'; did you mean 'workers'?	[global]\nworker = 2
duplicate key	3: [global] duplicate key 'workers' (first on line 2)	[global]\nworkers = 1\nworkers = 2
duplicate section	2: duplicate section [bridge.@BR@] (first on line 1)	[bridge.@BR@]\n[bridge.@BR@]
workers out of range	2: [global] workers = '0': out of range: expected an integer from 1 to 64	[global]\nworkers = 0
not a number	2: [global] max_flows = '4x': not a decimal integer	[global]\nmax_flows = 4x
umem_frames	2: [global] umem_frames = '5000': not a power of two: expected a power of two from 4096 to 1048576	[global]\numem_frames = 5000
relative socket	2: [global] socket = 'xswd.sock': not an absolute path	[global]\nsocket = xswd.sock
log_level	2: [global] log_level = 'verbose': expected error, warn, info or debug	[global]\nlog_level = verbose
bridge name too long	1: [bridge.abcdefghijklmnop] bridge name 'abcdefghijklmnop' is not a valid interface name: longer than 15 characters	[bridge.abcdefghijklmnop]
internal_port	2: [bridge.@BR@] internal_port = 'maybe': expected yes or no	[bridge.@BR@]\ninternal_port = maybe
missing interface	2: [port.p1] missing key 'interface'	[bridge.@BR@]\n[port.p1]\nbridge = @BR@
unknown bridge	3: [port.p1] bridge = 'br9': there is no section [bridge.br9]	[bridge.@BR@]\n[port.p1]\nbridge = br9\ninterface = @NOPE@
interface used twice	8: [port.p2] interface = '@NOPE@': already used by [port.p1] on line 2	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\n\n[port.p2]\nbridge = @BR@\ninterface = @NOPE@
port_no twice	9: [port.p2] port_no = '3': already used by [port.p1] on bridge @BR@	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\nport_no = 3\n[port.p2]\nbridge = @BR@\ninterface = @A@\nport_no = 3
xdp_mode	5: [port.p1] xdp_mode = 'driver': expected auto, native or skb	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\nxdp_mode = driver
zero-copy in skb mode	5: [port.p1] zero_copy = 'yes': zero-copy needs xdp_mode native or auto, not skb	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\nzero_copy = yes\nxdp_mode = skb
vlan_mode	5: [port.p1] vlan_mode = 'acess': expected access, trunk, native-tagged or native-untagged	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\nvlan_mode = acess
trunks	5: [port.p1] trunks = '10-5': range 10-5 ends before it starts	[bridge.@BR@]\n[port.p1]\nbridge = @BR@\ninterface = @NOPE@\ntrunks = 10-5"

N_XSWCTL=$(printf '%s\n' "$XSWCTL_CASES" | grep -c .)
N_CONFIG=$(printf '%s\n' "$CONFIG_CASES" | grep -c .)
tap_plan $((27 + N_XSWCTL + N_CONFIG))

# ------------------------------------------------------------------ helpers

host() {
    ip -n "$(xsw_name "n$1")" link set veth0 address "$2" &&
        xsw_neigh_static "$(xsw_name "n$1")" veth0 $NET.1 $MAC1 $NET.2 $MAC2 $NET.3 $MAC3
}

add_flows() {
    xsw_ctl add-flow "$F12" 2 && xsw_ctl add-flow "$F13" 3 &&
        xsw_ctl add-flow "$F21" 1 && xsw_ctl add-flow "$F31" 1
}

# show_ports: the port lines of show, "N NAME" each.
show_ports() {
    xsw_ctl show 2>/dev/null | sed -n 's/^  port \([0-9]*\): \([^ ]*\) .*/\1 \2/p'
}

sub() {
    printf '%s' "$1" | sed -e "s|@BR@|$BR|g" -e "s|@A@|$A|g" -e "s|@NOPE@|$NOPE|g" \
        -e "s|@TMP@|$XSW_T_TMP|g"
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

{
    xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096" \
        "flow_idle_timeout_ms = 3600000"
    xsw_ini_section "bridge.$BR"
    xsw_ini_port p1 "$BR" "$A" 1
    xsw_ini_port p2 "$BR" "$B" 2
    xsw_ini_port p3 "$BR" "$C" 3
} >"$INI"

# ------------------------------------------------------------- bad configs
# Each file: --check-config and a real start both fail with status 1 and
# the same message, "xswd: FILE:LINE: ...", and the start creates nothing
# (no socket; a TAP named like the bridge would be deleted at exit).
xsw_on_exit "xsw_link_del $BR"
printf '%s\n' "$CONFIG_CASES" >"$XSW_T_TMP/config_cases"
i=0
while IFS='	' read -r name expect text; do
    i=$((i + 1))
    f=$XSW_T_TMP/bad$i.ini
    printf '%b\n' "$(sub "$text")" >"$f"
    msg="xswd: $f:$(sub "$expect")"
    "$XSWD" --config "$f" --check-config >"$XSW_T_TMP/bad.out" 2>"$XSW_T_TMP/bad.err"
    st1=$?
    timeout 5 "$XSWD" --config "$f" --socket "$XSW_T_TMP/bad.sock" \
        >"$XSW_T_TMP/bad2.out" 2>"$XSW_T_TMP/bad2.err"
    st2=$?
    if [ $st1 = 1 ] && [ $st2 = 1 ] && grep -qF "$msg" "$XSW_T_TMP/bad.err" &&
        grep -qF "$msg" "$XSW_T_TMP/bad2.err" && [ ! -e "$XSW_T_TMP/bad.sock" ] &&
        ! ip link show dev "$BR" >/dev/null 2>&1 && xsw_log_clean "$XSW_T_TMP/bad2.err"; then
        tap_ok "bad config, $name: status 1, \"$(sub "$expect")\""
    else
        tap_not_ok "bad config, $name: status 1 and \"$msg\" (got $st1 / $st2)" \
            "$XSW_T_TMP/bad.err" "$XSW_T_TMP/bad2.err"
        rm -f "$XSW_T_TMP/bad.sock"
    fi
done <"$XSW_T_TMP/config_cases"

"$XSWD" --config "$INI" --check-config >"$XSW_T_TMP/good.out" 2>&1
st=$?
if [ $st = 0 ] && grep -qF "$INI: OK (1 bridge, 3 ports)" "$XSW_T_TMP/good.out"; then
    tap_ok "--check-config on the good file: status 0, \"$(cat "$XSW_T_TMP/good.out")\""
else
    tap_not_ok "--check-config on the good file: status 0" "$XSW_T_TMP/good.out"
fi
"$XSWD" --config "$XSW_T_TMP/missing.ini" --check-config >/dev/null 2>"$XSW_T_TMP/miss.err"
st=$?
if [ $st = 1 ] && grep -qF "xswd: $XSW_T_TMP/missing.ini: No such file or directory" \
    "$XSW_T_TMP/miss.err"; then
    tap_ok "a missing config file: status 1, named"
else
    tap_not_ok "a missing config file: status 1, named (got $st)" "$XSW_T_TMP/miss.err"
fi
"$XSWD" --bogus >/dev/null 2>"$XSW_T_TMP/opt.err"
st1=$?
"$XSWD" --config "$INI" --log-level loud >/dev/null 2>>"$XSW_T_TMP/opt.err"
st2=$?
if [ $st1 = 2 ] && [ $st2 = 2 ] && grep -qF "unknown option or missing argument '--bogus'" \
    "$XSW_T_TMP/opt.err" && grep -qF "xswd: --log-level 'loud': expected" "$XSW_T_TMP/opt.err"; then
    tap_ok "bad xswd options: status 2 and a message"
else
    tap_not_ok "bad xswd options: status 2 and a message (got $st1, $st2)" "$XSW_T_TMP/opt.err"
fi

# ------------------------------------------------------------------ start
# The TAP device is xswd's until it exits: stop it before deleting.
xsw_on_exit "xsw_bg_stop xswd 3"
xsw_check_xswd_start "xswd starts with three ports" "$INI"
ports_before=$(show_ports | tr '\n' ' ')
tap_diag "ports: $ports_before"
add_flows
if xsw_ping_ok "$NS1" $NET.2 && xsw_ping_ok "$NS1" $NET.3; then
    tap_ok "ping ns1 -> ns2 and ns1 -> ns3 through xswd"
else
    tap_not_ok "ping ns1 -> ns2 and ns1 -> ns3 through xswd"
fi

timeout 10 "$XSWD" --config "$INI" >/dev/null 2>"$XSW_T_TMP/second.err"
st=$?
if [ $st = 1 ] && grep -q "xswd: error: another .* on $XSW_T_SOCK" "$XSW_T_TMP/second.err" &&
    [ -S "$XSW_T_SOCK" ] && xsw_ctl version >/dev/null 2>&1; then
    tap_ok "a second xswd on the same socket: status 1, the first one untouched"
else
    tap_not_ok "a second xswd on the same socket: status 1, the first one untouched (got $st)" \
        "$XSW_T_TMP/second.err"
fi

# ------------------------------------------------------------------ garbage
tap_diag "ctl_garbage seed $SEED (XSW_TEST_SEED=$SEED reproduces it)"
timeout 120 "$GARBAGE" -n "$N_GARBAGE" -s "$SEED" "$XSW_T_SOCK" >"$XSW_T_TMP/garbage.out" \
    2>"$XSW_T_TMP/garbage.err"
st=$?
tap_diag "$(cat "$XSW_T_TMP/garbage.out")"
if [ $st = 0 ]; then
    tap_ok "$N_GARBAGE malformed or mutated datagrams: every answer well formed, valid requests still answered"
else
    tap_not_ok "$N_GARBAGE malformed or mutated datagrams (ctl_garbage status $st, seed $SEED)" \
        "$XSW_T_TMP/garbage.err"
fi
tap_check "xswd still runs after the garbage" xsw_bg_running xswd
ports_after=$(show_ports | tr '\n' ' ')
if [ -n "$ports_after" ] && [ "$ports_after" = "$ports_before" ]; then
    tap_ok "show answers with the same ports after the garbage"
else
    tap_not_ok "show answers with the same ports after the garbage ('$ports_after')"
fi
# The garbage adds and deletes flows at random: put back the test's own.
xsw_ctl del-flows >/dev/null 2>&1
if add_flows && xsw_ping_ok "$NS1" $NET.2 && xsw_ping_ok "$NS1" $NET.3; then
    tap_ok "flows re-added: ping ns1 -> ns2 and ns1 -> ns3 still work"
else
    tap_not_ok "flows re-added: ping ns1 -> ns2 and ns1 -> ns3 still work"
fi

# ------------------------------------------------------------ bad xswctl
printf '%s\n' "$XSWCTL_CASES" >"$XSW_T_TMP/xswctl_cases"
while IFS='	' read -r want expect args; do
    expect=$(sub "$expect")
    IFS='	' read -r -a argv <<<"$(sub "$args")"
    if [ "${argv[0]}" = --socket ]; then
        "$XSWCTL" "${argv[@]}" >"$XSW_T_TMP/ctl.out" 2>"$XSW_T_TMP/ctl.err"
    else
        xsw_ctl "${argv[@]}" >"$XSW_T_TMP/ctl.out" 2>"$XSW_T_TMP/ctl.err"
    fi
    st=$?
    if [ $st = "$want" ] && grep -qF -- "$expect" "$XSW_T_TMP/ctl.err"; then
        tap_ok "xswctl ${argv[*]}: status $st, \"$expect\""
    else
        tap_not_ok "xswctl ${argv[*]}: status $want and \"$expect\" (got $st)" \
            "$XSW_T_TMP/ctl.err"
    fi
done <"$XSW_T_TMP/xswctl_cases"
# The test's flows are still there, unchanged (the slow path may have
# added its own, for the TAP device's frames).
has_flows() {
    xsw_ctl dump-flows >"$XSW_T_TMP/flows.out" 2>&1 &&
        grep -qF "$F12, " "$XSW_T_TMP/flows.out" && grep -qF "$F13, " "$XSW_T_TMP/flows.out" &&
        grep -qF "$F21, " "$XSW_T_TMP/flows.out" && grep -qF "$F31, " "$XSW_T_TMP/flows.out"
}
if xsw_bg_running xswd && has_flows && [ "$(show_ports | tr '\n' ' ')" = "$ports_before" ]; then
    tap_ok "after the bad commands: xswd runs, same ports, the test's 4 flows"
else
    tap_not_ok "after the bad commands: xswd runs, same ports, the test's 4 flows" \
        "$XSW_T_TMP/flows.out"
fi

# SIGHUP with the file unchanged: xswd says so and changes nothing.
kill -HUP "$(cut -d' ' -f1 "$XSW_T_TMP/xswd.pid")"
if xsw_wait_for 3 grep -q "SIGHUP" "$XSW_T_TMP/xswd.err" && sleep 0.5 &&
    xsw_bg_running xswd && [ "$(show_ports | tr '\n' ' ')" = "$ports_before" ]; then
    tap_ok "SIGHUP, the file unchanged: logged, xswd runs on with the same ports"
else
    tap_not_ok "SIGHUP, the file unchanged: logged, xswd runs on with the same ports" \
        "$XSW_T_TMP/xswd.err"
fi

# ---------------------------------------------------- an interface vanishes
xsw_link_del "$B"
port2_gone() {
    ! show_ports | grep -q "^2 "
}
if xsw_wait_for 4 port2_gone; then
    tap_ok "$B deleted: show no longer lists port 2"
else
    tap_not_ok "$B deleted: show no longer lists port 2"
    xsw_ctl show 2>&1 | sed 's/^/# /'
fi
if grep -qF "$BR: port 2 ($B) removed: the device is gone" "$XSW_T_TMP/xswd.err"; then
    tap_ok "the log says port 2 ($B) was removed, its device gone"
else
    tap_not_ok "the log says port 2 ($B) was removed, its device gone" "$XSW_T_TMP/xswd.err"
fi
tap_check "xswd still runs" xsw_bg_running xswd
tap_check "the other ports keep forwarding: ping ns1 -> ns3" xsw_ping_ok "$NS1" $NET.3

# A new interface for ns2, added as port 2 while xswd runs.
if xsw_veth_add "$D" "$NS2" veth0 $NET.2/24 && host 2 $MAC2 &&
    xsw_ctl add-if "$BR" "$D,port_no=2" >"$XSW_T_TMP/addif.out" 2>&1 &&
    xsw_ctl show | grep -q "^  port 2: $D (afxdp: xdp=native, copy, queues=1"; then
    tap_ok "add-if $D as port 2 while xswd runs"
else
    tap_not_ok "add-if $D as port 2 while xswd runs" "$XSW_T_TMP/addif.out"
fi
tap_check "ping ns1 -> ns2 through the new port 2" xsw_ping_ok "$NS1" $NET.2

# ------------------------------------------------------------------ SIGTERM
xsw_check_xswd_stop "$BR" "$A" "$C" "$D"
if [ "$(grep -c "xswd: error:" "$XSW_T_TMP/xswd.err")" = 0 ]; then
    tap_ok "no error in xswd's log"
else
    tap_not_ok "no error in xswd's log" "$XSW_T_TMP/xswd.err"
fi

# xswd started again on the same file finds the socket path free.
if xsw_xswd_start xswd2 "$INI" && xsw_bg_stop xswd2 10 && [ ! -e "$XSW_T_SOCK" ] &&
    ! ip link show dev "$BR" >/dev/null 2>&1; then
    tap_ok "xswd starts again on the same file, and stops clean"
else
    tap_not_ok "xswd starts again on the same file, and stops clean" "$XSW_T_TMP/xswd2.err"
fi
xsw_check_log_clean "no sanitizer report in the second xswd's log" "$XSW_T_TMP/xswd2.err"

# ----------------------------------------------------------------- cleanup
xsw_check_cleanup
