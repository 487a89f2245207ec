#!/bin/bash
# test_notify: xswd as systemd runs it, without systemd.
#
# The unit's ExecStart command line (the build's xswd, a test config) runs
# as root with exactly the unit's CapabilityBoundingSet, on two veths, with
# NOTIFY_SOCKET pointing at a datagram socket this test reads, as the
# service manager's.  Checks that READY=1 comes with a STATUS= summary once
# the ports are up, that the capabilities are the unit's and suffice (ports
# in, show, TAP), that the unit's ExecReload leaves xswd running, that
# SIGTERM brings STOPPING=1 and a clean exit that leaves no XDP program, TAP
# device or socket file; an abstract "@name" NOTIFY_SOCKET, and one that
# nobody listens on; and the bash completion's bridge and port names from
# the running daemon.  Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool setpriv python3
XSWD=$XSW_BUILDDIR/xswd
XSWCTL=$XSW_BUILDDIR/xswctl
UNIT=$XSW_BUILDDIR/systemd/xswd.service
xsw_require_xswd "$UNIT"
xsw_bpffs_ensure

tap_plan 13

NS1=$(xsw_name n1)
NS2=$(xsw_name n2)
A=$(xsw_name a)
B=$(xsw_name b)
BR=$(xsw_name br)
SOCK=$XSW_T_TMP/run/xswd.sock

# unit_value KEY: the value of KEY= in the unit (the first one).
unit_value() {
    sed -n "s/^$1=//p" "$UNIT" | head -1
}

# listen NAME ADDRESS: a notify socket at ADDRESS (a path, or @name), each
# datagram a line of $XSW_T_TMP/NAME.out with its newlines as '|'.
listen() {
    xsw_bg_start "$1" python3 -u -c '
import socket, sys
addr = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
s.settimeout(60)
print("listening", flush=True)
while True:
    try:
        d = s.recv(4096).decode()
    except socket.timeout:
        break
    print(d.replace("\n", "|"), flush=True)
    if "STOPPING=1" in d:
        break
' "$2"
    xsw_wait_for 5 grep -q '^listening$' "$XSW_T_TMP/$1.out"
}

# got NAME PATTERN: a datagram of NAME matched the extended regex PATTERN.
got() {
    grep -Eq "$2" "$XSW_T_TMP/$1.out"
}

# The unit's set, as setpriv writes it: +net_admin,+net_raw,...
CAPS=$(unit_value CapabilityBoundingSet | tr '[:upper:]' '[:lower:]' | sed 's/cap_/+/g; s/ /,/g')
[ -n "$CAPS" ] || tap_bail_out "no CapabilityBoundingSet in $UNIT"
# LimitMEMLOCK=infinity lets the umems be locked.  Where this shell cannot
# raise the limit (a container without CAP_SYS_RESOURCE), CAP_IPC_LOCK
# stands in for it, which the kernel checks first.
MEMLOCK="prlimit --memlock=unlimited:unlimited"
if ! $MEMLOCK true 2>/dev/null; then
    MEMLOCK=""
    case ",$CAPS," in
    *,+ipc_lock,*) ;;
    *) CAPS="$CAPS,+ipc_lock" ;;
    esac
    tap_diag "cannot raise RLIMIT_MEMLOCK here: CAP_IPC_LOCK stands in for LimitMEMLOCK=infinity"
fi
tap_diag "capabilities: $CAPS"

# The unit's command line, with the build's xswd and the test's config.
EXEC=$(unit_value ExecStart)
CONF_UNIT=$(echo "$EXEC" | sed -n 's/.*--config \([^ ]*\).*/\1/p')
[ -n "$CONF_UNIT" ] || tap_bail_out "no --config in ExecStart=$EXEC"

mkdir "$XSW_T_TMP/run" || tap_bail_out "no scratch directory"
xsw_ns_add "$NS1" && xsw_ns_add "$NS2" || tap_bail_out "cannot create namespaces"
xsw_veth_add "$A" "$NS1" veth0 && xsw_veth_add "$B" "$NS2" veth0 ||
    tap_bail_out "cannot create veth pairs"
{
    xsw_ini_section global "socket = $SOCK" "umem_frames = 4096"
    xsw_ini_section "bridge.$BR"
    xsw_ini_port pa "$BR" "$A" 1
    xsw_ini_port pb "$BR" "$B" 2
} >"$XSW_T_TMP/xsw.ini"
# shellcheck disable=SC2086
set -- $EXEC
shift
ARGS=$(echo "$*" | sed "s|$CONF_UNIT|$XSW_T_TMP/xsw.ini|")

# 1-2: READY=1 with STATUS=, once the ports are up.
listen sd "$XSW_T_TMP/notify" || tap_bail_out "the notify listener did not start"
# shellcheck disable=SC2086
xsw_bg_start xswd env NOTIFY_SOCKET="$XSW_T_TMP/notify" $MEMLOCK \
    setpriv --inh-caps=-all --bounding-set=-all,"$CAPS" "$XSWD" $ARGS
if xsw_wait_for 15 got sd '^READY=1'; then
    tap_ok "READY=1 arrives"
else
    tap_not_ok "no READY=1 from xswd started as the unit does" "$XSW_T_TMP/xswd.err"
    tap_bail_out "xswd did not start"
fi
# READY means the ports are up: the XDP programs are on both already.
if got sd "^READY=1[|]STATUS=1 bridge, 2 of 2 ports up, control socket $SOCK\$" &&
    xsw_has_xdp "$A" && xsw_has_xdp "$B"; then
    tap_ok "with STATUS=1 bridge, 2 of 2 ports up, control socket ..., after the ports are attached"
else
    tap_not_ok "READY=1 without the expected STATUS, or before the ports were up" "$XSW_T_TMP/sd.out"
fi

# 3-4: the unit's capabilities, and they suffice.
read -r PID _ <"$XSW_T_TMP/xswd.pid"
eff=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$PID/status")
want=$(echo "$CAPS" | tr ',' '\n' | sed 's/^+/cap_/' | sort | tr '\n' ' ')
if ! command -v capsh >/dev/null 2>&1; then
    tap_skip "xswd's effective capabilities are the unit's" "capsh is not installed"
else
    have=$(capsh --decode="$eff" | sed 's/.*=//' | tr ',' '\n' | sort | tr '\n' ' ')
    if [ "$have" = "$want" ]; then
        tap_ok "xswd's effective capabilities are the unit's set and no more: $have"
    else
        tap_not_ok "xswd's effective capabilities: $have; expected $want"
    fi
fi
"$XSWCTL" --socket "$SOCK" show >"$XSW_T_TMP/show.out" 2>&1 || true
if grep -q "port 1: $A (afxdp" "$XSW_T_TMP/show.out" && grep -q "port 2: $B (afxdp" "$XSW_T_TMP/show.out" &&
    grep -q "port 0: $BR (internal)" "$XSW_T_TMP/show.out" && ip link show "$BR" >/dev/null 2>&1; then
    tap_ok "with them: both AF_XDP ports, the TAP internal port, the control socket"
else
    tap_not_ok "xswd with the unit's capabilities lacks a port" "$XSW_T_TMP/show.out" "$XSW_T_TMP/xswd.err"
fi

# 5: completion of bridge and port names from the running daemon.
complete_line() {
    bash -c '. "$1" || exit 1; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
             _xswctl; printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$XSW_SRCDIR/etc/bash-completion/xswctl" "$@" 2>&1
}
brs=$(complete_line "$XSWCTL" --socket "$SOCK" dump-flows "")
ports=$(complete_line "$XSWCTL" --socket "$SOCK" del-if "$BR" "" | sort | tr '\n' ' ')
if [ "$brs" = "$BR" ] && [ "$ports" = "$A $B " ]; then
    tap_ok "completion: the bridge, and its ports for del-if, from the running xswd"
else
    tap_not_ok "completion from the daemon: bridges '$brs', ports '$ports'"
fi

# 6: ExecReload, as systemd runs it: the check, then SIGHUP.
reload_ok=1
while IFS= read -r line; do
    line=$(echo "$line" | sed "s|\\\$MAINPID|$PID|; s|$CONF_UNIT|$XSW_T_TMP/xsw.ini|")
    line=$(echo "$line" | sed "s|^[^ ]*/xswd |$XSWD |")
    # shellcheck disable=SC2086
    setpriv --inh-caps=-all --bounding-set=-all,"$CAPS" $line >>"$XSW_T_TMP/reload.out" 2>&1 || reload_ok=0
done < <(sed -n 's/^ExecReload=//p' "$UNIT")
sleep 0.5
if [ $reload_ok = 1 ] && xsw_bg_running xswd; then
    tap_ok "the unit's ExecReload lines succeed and xswd runs on"
else
    tap_not_ok "ExecReload" "$XSW_T_TMP/reload.out" "$XSW_T_TMP/xswd.err"
fi

# 7-9: SIGTERM, as systemctl stop sends it.
xsw_bg_stop xswd 10
st=$?
if [ $st = 0 ]; then
    tap_ok "SIGTERM: xswd exits with status 0"
else
    tap_not_ok "SIGTERM: exit status $st" "$XSW_T_TMP/xswd.err"
fi
xsw_bg_wait sd 5 >/dev/null
if awk '/^READY=1/ { r = NR } /^STOPPING=1/ { s = NR } END { exit !(r && s > r) }' \
    "$XSW_T_TMP/sd.out"; then
    tap_ok "STOPPING=1 arrives, after READY=1"
else
    tap_not_ok "no STOPPING=1 after READY=1" "$XSW_T_TMP/sd.out"
fi
if xsw_no_xdp "$A" "$B" && ! ip link show "$BR" >/dev/null 2>&1 && [ ! -e "$SOCK" ]; then
    tap_ok "with the unit's capabilities, stopping leaves no XDP program, TAP device or socket"
else
    ip -d link show "$A" >"$XSW_T_TMP/left.out" 2>&1
    tap_not_ok "xswd left something behind" "$XSW_T_TMP/left.out" "$XSW_T_TMP/xswd.err"
fi

# 10-11: an abstract-namespace NOTIFY_SOCKET, with an empty config (no
# bridges: no privilege needed).
printf '[global]\nsocket = %s\n' "$XSW_T_TMP/run/empty.sock" >"$XSW_T_TMP/empty.ini"
listen sd2 "@$XSW_T_PREFIX.notify" || tap_bail_out "the notify listener did not start"
xsw_bg_start xswd2 env NOTIFY_SOCKET="@$XSW_T_PREFIX.notify" "$XSWD" -c "$XSW_T_TMP/empty.ini"
if xsw_wait_for 10 got sd2 '^READY=1[|]STATUS=0 bridges, 0 of 0 ports up'; then
    tap_ok "NOTIFY_SOCKET=@name (abstract): READY=1 and STATUS= arrive"
else
    tap_not_ok "NOTIFY_SOCKET=@name" "$XSW_T_TMP/sd2.out" "$XSW_T_TMP/xswd2.err"
fi
xsw_bg_stop xswd2 >/dev/null
xsw_bg_wait sd2 5 >/dev/null
tap_check "NOTIFY_SOCKET=@name: STOPPING=1 arrives" got sd2 '^STOPPING=1'

# 12-13: a notify socket that nobody listens on changes nothing; neither
# does an address that is no Unix socket address.
ok=1
for addr in "$XSW_T_TMP/nobody.sock" "vsock:1:2"; do
    xsw_bg_start xswd3 env NOTIFY_SOCKET="$addr" "$XSWD" -c "$XSW_T_TMP/empty.ini"
    xsw_wait_for 10 grep -q 'ready' "$XSW_T_TMP/xswd3.err" || ok=0
    xsw_bg_stop xswd3 || ok=0
done
if [ $ok = 1 ]; then
    tap_ok "NOTIFY_SOCKET with no listener, or not a Unix address: xswd starts and stops as usual"
else
    tap_not_ok "xswd with an unusable NOTIFY_SOCKET" "$XSW_T_TMP/xswd3.err"
fi
xsw_bg_start xswd4 "$XSWD" -c "$XSW_T_TMP/empty.ini"
if xsw_wait_for 10 grep -q 'ready' "$XSW_T_TMP/xswd4.err" && xsw_bg_stop xswd4; then
    tap_ok "without NOTIFY_SOCKET: xswd starts and stops as usual"
else
    tap_not_ok "xswd without NOTIFY_SOCKET" "$XSW_T_TMP/xswd4.err"
fi
