#!/bin/bash
# test_reload: live reload of xsw.ini, with traffic running.
#
#   ns1: veth0 10.212.0.1 <-veth-> P1 (port 1) \
#   ns2: veth0 10.212.0.2 <-veth-> P2 (port 2)  >--[ xswd bridge BR ]
#   ns3: veth0 10.212.0.3 <-veth-> P3 (added by reload, port 3)
#
# While host 1 pings host 2 without a pause, the file gets a third port, then
# that port's VLAN settings change (its sockets stay), then a bridge is added
# and removed, by `xswctl reload` and by SIGHUP; the ping between the
# untouched ports must not lose a single echo.  Bad files and changes of keys
# that take effect only at start are refused, name what is wrong, and change
# nothing.  Needs root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_root
xsw_require_cmd ip ethtool ping
XSWD=$XSW_BUILDDIR/xswd
xsw_require_xswd
xsw_bpffs_ensure

tap_plan 17

BR=$(xsw_name br)
BR2=$(xsw_name bs)
INI=$XSW_T_TMP/xsw.ini
NET=10.212.0
N_PING=600              # 0.01 s apart: six seconds of traffic

ns() {
    xsw_name "n$1"
}

for n in 1 2 3; do
    xsw_ns_add "$(ns $n)" &&
        xsw_veth_add "$(xsw_name "p$n")" "$(ns $n)" veth0 "$NET.$n/24" ||
        tap_bail_out "cannot build host $n"
done

# write_ini [EXTRA...]: the base file (bridge BR, ports 1 and 2), then EXTRA.
write_ini() {
    {
        xsw_ini_section global "socket = $XSW_T_SOCK" "umem_frames = 4096"
        xsw_ini_section "bridge.$BR" "internal_port = no"
        xsw_ini_port p1 "$BR" "$(xsw_name p1)" 1
        xsw_ini_port p2 "$BR" "$(xsw_name p2)" 2
        for extra in "$@"; do
            printf '%s\n\n' "$extra"
        done
    } >"$INI"
}

PORT3="[port.p3]
bridge = $BR
interface = $(xsw_name p3)
port_no = 3"

write_ini
xsw_check_xswd_start "xswd starts with two ports" "$INI" "$BR"

# The ping between the untouched ports runs through every reload below.
ip netns exec "$(ns 1)" ping -c 1 -W 2 "$NET.2" >/dev/null 2>&1
xsw_bg_start ping ip netns exec "$(ns 1)" ping -i 0.01 -c "$N_PING" -W 1 "$NET.2"
sleep 0.3

# 1: a port added.
write_ini "$PORT3"
xsw_ctl reload >"$XSW_T_TMP/r1.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "ports 1 added, 0 removed, 0 changed" "$XSW_T_TMP/r1.out"; then
    tap_ok "reload adds port 3 and says so"
else
    tap_not_ok "reload adds port 3 and says so (exit $rc)" "$XSW_T_TMP/r1.out"
fi
tap_check "port 3 forwards after the reload" \
    sh -c "ip netns exec '$(ns 1)' ping -c 2 -i 0.2 -W 2 -q '$NET.3' >/dev/null"

# 2: only its VLAN settings change: its sockets stay, the slow path isolates it.
write_ini "$PORT3
vlan_mode = access
tag = 7"
xsw_ctl reload >"$XSW_T_TMP/r2.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "1 changed (1 VLAN settings only)" "$XSW_T_TMP/r2.out"; then
    tap_ok "reload: a VLAN-only change of port 3 is reported as such"
else
    tap_not_ok "reload: a VLAN-only change of port 3 (exit $rc)" "$XSW_T_TMP/r2.out"
fi
if ip netns exec "$(ns 1)" ping -c 2 -i 0.2 -W 1 -q "$NET.3" >/dev/null 2>&1; then
    tap_not_ok "port 3, now in VLAN 7, is cut off from VLAN 0"
else
    tap_ok "port 3, now in VLAN 7, is cut off from VLAN 0"
fi
tap_check "xswd kept port 3 open (show lists it)" \
    eval "xsw_ctl show | grep -q 'port 3: $(xsw_name p3) '"

# 3: a bridge added, by SIGHUP.
write_ini "$PORT3
vlan_mode = access
tag = 7" "[bridge.$BR2]
internal_port = no"
pkill -HUP -f "$XSWD --config $INI"
if xsw_wait_for 5 xsw_ctl show "$BR2" >/dev/null 2>&1; then
    tap_ok "SIGHUP: bridge $BR2 added"
else
    tap_not_ok "SIGHUP: bridge $BR2 added" "$XSW_T_TMP/xswd.err"
fi

# 4: and removed again.
write_ini "$PORT3
vlan_mode = access
tag = 7"
xsw_ctl reload >"$XSW_T_TMP/r4.out" 2>&1
if grep -q "bridges 0 added, 1 removed" "$XSW_T_TMP/r4.out" \
   && ! xsw_ctl show "$BR2" >/dev/null 2>&1; then
    tap_ok "reload removes bridge $BR2"
else
    tap_not_ok "reload removes bridge $BR2" "$XSW_T_TMP/r4.out"
fi

# 5: a file with an error changes nothing and says why.
cp "$INI" "$XSW_T_TMP/good.ini"
printf '[port.p4]\nbridge = %s\ninterface = nosuch0\nvlan_mode = acess\n' "$BR" >>"$INI"
xsw_ctl reload >"$XSW_T_TMP/r5.out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "vlan_mode = 'acess'" "$XSW_T_TMP/r5.out"; then
    tap_ok "a bad file: exit 1, the error names the key and value"
else
    tap_not_ok "a bad file: exit 1, the error names the key and value (exit $rc)" "$XSW_T_TMP/r5.out"
fi
n=$(xsw_ctl show "$BR" | grep -c '^  port ')
if [ "$n" = 3 ]; then
    tap_ok "after the bad file the bridge still has its 3 ports"
else
    tap_not_ok "after the bad file the bridge still has its 3 ports ($n)"
fi

# 6: a key that takes effect only at start is refused whole.
cp "$XSW_T_TMP/good.ini" "$INI"
sed -i 's/^umem_frames = 4096/umem_frames = 8192/' "$INI"
printf '[port.p9]\nbridge = %s\ninterface = %s\n' "$BR" "$(xsw_name p9)" >>"$INI"
xsw_ctl reload >"$XSW_T_TMP/r6.out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "umem_frames changed: that key takes effect only when xswd restarts" \
       "$XSW_T_TMP/r6.out"; then
    tap_ok "a change of umem_frames is refused, naming the key"
else
    tap_not_ok "a change of umem_frames is refused, naming the key (exit $rc)" "$XSW_T_TMP/r6.out"
fi
cp "$XSW_T_TMP/good.ini" "$INI"
xsw_ctl reload >"$XSW_T_TMP/r7.out" 2>&1
tap_check "reloading the file xswd already runs: no changes" \
    grep -q ": no changes" "$XSW_T_TMP/r7.out"

# A bad file by SIGHUP is logged, and xswd carries on.
echo "garbage" >"$INI"
pkill -HUP -f "$XSWD --config $INI"
if xsw_wait_for 5 grep -q "SIGHUP: reload refused: .*syntax error" "$XSW_T_TMP/xswd.err" \
   && xsw_ctl show "$BR" >/dev/null 2>&1; then
    tap_ok "SIGHUP with a bad file: refused in the log, xswd still answers"
else
    tap_not_ok "SIGHUP with a bad file: refused in the log, xswd still answers" "$XSW_T_TMP/xswd.err"
fi
cp "$XSW_T_TMP/good.ini" "$INI"

# The traffic between the untouched ports lost nothing.
xsw_bg_wait ping 30 >/dev/null
if grep -q "$N_PING packets transmitted, $N_PING received" "$XSW_T_TMP/ping.out"; then
    tap_ok "ping 1 -> 2 through every reload: $N_PING of $N_PING answered"
else
    tap_not_ok "ping 1 -> 2 through every reload" "$XSW_T_TMP/ping.out"
fi
tap_check "xswd's log has a line for each reload applied" \
    sh -c "[ \$(grep -c 'reloaded: bridges' '$XSW_T_TMP/xswd.err') -ge 4 ]"

xsw_bg_stop xswd 10 >/dev/null
rc=$?
tap_check "SIGTERM: exit 0" test "$rc" = 0
xsw_check_log_clean "no sanitizer report" "$XSW_T_TMP/xswd.err"
