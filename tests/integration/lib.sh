# lib.sh: helpers shared by the integration tests (sourced, POSIX sh + ip).
#
# A test script starts with
#
#     . "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"
#     xsw_require_root                  # or the whole test is skipped
#     xsw_require_cmd ip ethtool ping
#     tap_plan 4
#
# and then builds its topology with xsw_ns_add / xsw_veth_add, starts what
# it tests with xsw_bg_start (xswd: xsw_xswd_start, driven with xsw_ctl),
# and reports with tap_ok / tap_not_ok / tap_check.  Output is TAP, as
# build-aux/tap-driver.sh reads it.
#
# Cleanup: everything made through these helpers (namespaces, links in the
# root namespace, background processes, the scratch directory) is recorded
# and removed by an EXIT trap that lib.sh installs, also when a check fails,
# the script exits early or is interrupted.  Nothing else is touched: links
# are named "$XSW_T_PREFIX<suffix>" (xsw_name), the root-namespace helpers
# refuse any other name, and processes are killed by the pid they were
# started with.  Namespace-side ends are created inside their namespace, so
# their names never meet a root-namespace device (eth0 stays untouched).
#
# Names: XSW_T_PREFIX is "xswt" and the pid of the test, so parallel runs do
# not clash; a suffix is at most 3 characters, so that a link name fits
# IFNAMSIZ (15).
#
# Environment: XSW_BUILDDIR and XSW_SRCDIR (set by "make check"; default:
# the build is the current directory, the source two levels above lib.sh).
# XSW_T_TMP is a scratch directory removed at exit; XSW_T_SOCK, xswd's
# control socket for the xswd helpers, is $XSW_T_TMP/xswd.sock.

XSW_T_PREFIX="xswt$$"
XSW_SRCDIR=${XSW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
XSW_BUILDDIR=${XSW_BUILDDIR:-$(pwd)}

_xsw_t_planned=0
_xsw_t_n=0
_xsw_t_failed=0
_xsw_t_netns=""
_xsw_t_links=""
_xsw_t_pids=""
_xsw_t_hooks=""
XSW_T_TMP=""
XSW_T_SOCK=""

# ------------------------------------------------------------------- TAP

# tap_plan N: announces N test points (once, before the first).
tap_plan() {
    _xsw_t_planned=$1
    echo "1..$1"
}

# tap_diag TEXT...: a comment line, shown in the test's log.
tap_diag() {
    printf '# %s\n' "$*"
}

# tap_ok DESCRIPTION
tap_ok() {
    _xsw_t_n=$((_xsw_t_n + 1))
    printf 'ok %d - %s\n' "$_xsw_t_n" "$*"
}

# tap_not_ok DESCRIPTION [FILE...]: a failure; the files given (logs,
# outputs) are shown as diagnostics.
tap_not_ok() {
    _xsw_t_n=$((_xsw_t_n + 1))
    _xsw_t_failed=$((_xsw_t_failed + 1))
    printf 'not ok %d - %s\n' "$_xsw_t_n" "$1"
    shift
    for _f in "$@"; do
        [ -f "$_f" ] && sed 's/^/#   /' "$_f"
    done
    return 0
}

# tap_skip DESCRIPTION REASON
tap_skip() {
    _xsw_t_n=$((_xsw_t_n + 1))
    printf 'ok %d - %s # SKIP %s\n' "$_xsw_t_n" "$1" "$2"
}

# tap_check DESCRIPTION COMMAND...: ok when COMMAND succeeds.  Returns the
# command's status, so that a script may stop after a failed step.
tap_check() {
    _desc=$1
    shift
    "$@"
    _st=$?
    if [ "$_st" = 0 ]; then
        tap_ok "$_desc"
        return 0
    fi
    tap_not_ok "$_desc"
    tap_diag "command: $*  (status $_st)"
    return "$_st"
}

# tap_skip_all REASON: the whole test is skipped (a plan of 0); exits.
tap_skip_all() {
    echo "1..0 # SKIP $*"
    exit 0
}

# tap_bail_out REASON: stops the test as broken (not failed checks); exits.
tap_bail_out() {
    echo "Bail out! $*"
    exit 1
}

# ------------------------------------------------------------ requirements

xsw_require_root() {
    [ "$(id -u)" = 0 ] || tap_skip_all "needs root (network namespaces, XDP)"
}

# xsw_require_cmd COMMAND...: skips the test unless each is in PATH.
xsw_require_cmd() {
    for _c in "$@"; do
        command -v "$_c" >/dev/null 2>&1 || tap_skip_all "needs $_c"
    done
}

# xsw_require_file FILE...: skips the test unless each exists (build
# products: run "make check", or set XSW_BUILDDIR).
xsw_require_file() {
    for _f in "$@"; do
        [ -e "$_f" ] || tap_skip_all "$_f not built"
    done
}

# xsw_require_xswd [FILE...]: skips the test unless xswd, xswctl, the XDP
# program and each FILE are built.
xsw_require_xswd() {
    xsw_require_file "$XSW_BUILDDIR/xswd" "$XSW_BUILDDIR/xswctl" \
        "$XSW_BUILDDIR/bpf/xsw_redirect.bpf.o" "$@"
}

# xsw_bpffs_ensure: mounts bpffs on /sys/fs/bpf when missing.  libxdp needs
# it for its dispatcher (without it, it attaches programs alone).  The mount
# is machine setup, as scripts/deps.sh does it, and stays.
xsw_bpffs_ensure() {
    mountpoint -q /sys/fs/bpf 2>/dev/null ||
        mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
}

# ---------------------------------------------------------------- topology

# xsw_name SUFFIX: prints the name of this test's object SUFFIX.
xsw_name() {
    echo "$XSW_T_PREFIX$1"
}

_xsw_own() {
    case "$1" in
    "$XSW_T_PREFIX"?*) return 0 ;;
    esac
    echo "lib.sh: refusing to touch '$1' (not named $XSW_T_PREFIX...)" >&2
    return 1
}

# xsw_ns_add NS: creates namespace NS (a name from xsw_name) with lo up.
xsw_ns_add() {
    _xsw_own "$1" || return 1
    ip netns add "$1" || return 1
    _xsw_t_netns="$_xsw_t_netns $1"
    ip -n "$1" link set lo up
}

# xsw_veth_add ROOT_IF NS NS_IF [ADDR/PLEN]: a veth pair, ROOT_IF in the
# root namespace (a name from xsw_name), NS_IF in namespace NS, both up.
# The namespace end gets ADDR, tx checksum offload off (AF_XDP forwards
# frames whose checksum the sender left to offload as they are) and GRO on
# (it turns on veth NAPI, which frames redirected by XDP need).
xsw_veth_add() {
    _xsw_own "$1" || return 1
    ip link add "$1" type veth peer name "$3" netns "$2" || return 1
    _xsw_t_links="$_xsw_t_links $1"
    ip link set "$1" up || return 1
    ip netns exec "$2" ethtool -K "$3" tx off gro on >/dev/null 2>&1 || return 1
    if [ -n "${4:-}" ]; then
        ip -n "$2" addr add "$4" dev "$3" || return 1
    fi
    ip -n "$2" link set "$3" up
}

# xsw_link_add NAME TYPE [ARGS...]: another kind of link in the root
# namespace (ip link add NAME type TYPE ARGS...), up.
xsw_link_add() {
    _xsw_own "$1" || return 1
    _l=$1
    shift
    ip link add "$_l" type "$@" 2>/dev/null || return 1
    _xsw_t_links="$_xsw_t_links $_l"
    ip link set "$_l" up
}

# xsw_link_del ROOT_IF: deletes one of this test's root-namespace links
# before the end (a veth takes its peer along).
xsw_link_del() {
    _xsw_own "$1" || return 1
    ip link del "$1" 2>/dev/null
}

# xsw_ns_del NS: deletes one of this test's namespaces before the end.
xsw_ns_del() {
    _xsw_own "$1" || return 1
    ip netns del "$1" 2>/dev/null
}

# xsw_has_xdp IF [NS]: whether an XDP program is attached to IF.
xsw_has_xdp() {
    if [ -n "${2:-}" ]; then
        ip -n "$2" -d link show dev "$1" 2>/dev/null | grep -q 'prog/xdp'
    else
        ip -d link show dev "$1" 2>/dev/null | grep -q 'prog/xdp'
    fi
}

# xsw_ns_no_ipv6 NS: IPv6 off in namespace NS (no router or neighbour
# solicitations: nothing on the wire but the test's own frames).
xsw_ns_no_ipv6() {
    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 >/dev/null
}

# xsw_neigh_static NS IF [ADDR LLADDR]...: permanent neighbour entries on IF
# in namespace NS, ADDR at LLADDR for each pair (no ARP on the wire).
xsw_neigh_static() {
    _nns=$1
    _nif=$2
    shift 2
    while [ $# -ge 2 ]; do
        ip -n "$_nns" neigh replace "$1" lladdr "$2" dev "$_nif" nud permanent || return 1
        shift 2
    done
}

# xsw_no_xdp IF...: whether none of the IFs (root namespace) has an XDP
# program attached.
xsw_no_xdp() {
    for _x in "$@"; do
        xsw_has_xdp "$_x" && return 1
    done
    return 0
}

# xsw_leftovers: prints this test's namespaces and links that still exist.
xsw_leftovers() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep "^$XSW_T_PREFIX"
    ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' |
        grep "^$XSW_T_PREFIX"
    return 0
}

# --------------------------------------------------------------- processes
#
# A process is known by its pid and its start time (field 22 of
# /proc/PID/stat), so that a pid the kernel gave to someone else after our
# process ended is never signalled.

_xsw_starttime() {
    sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# _xsw_alive PID STARTTIME: our process still runs (a zombie does not).
_xsw_alive() {
    _st_line=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$_st_line" ] || return 1
    [ "${_st_line%% *}" != Z ] || return 1
    [ "$(echo "$_st_line" | cut -d' ' -f20)" = "$2" ]
}

# xsw_bg_start NAME COMMAND...: runs COMMAND in the background, its output
# in $XSW_T_TMP/NAME.out and NAME.err.  Use "ip netns exec NS ..." as
# COMMAND to run it in a namespace (ip execs it: same pid).
xsw_bg_start() {
    _name=$1
    shift
    "$@" >"$XSW_T_TMP/$_name.out" 2>"$XSW_T_TMP/$_name.err" &
    _pid=$!
    echo "$_pid $(_xsw_starttime "$_pid")" >"$XSW_T_TMP/$_name.pid"
    _xsw_t_pids="$_xsw_t_pids $_name"
}

# xsw_bg_running NAME: whether it still runs.
xsw_bg_running() {
    read -r _pid _start 2>/dev/null <"$XSW_T_TMP/$1.pid" || return 1
    _xsw_alive "$_pid" "$_start"
}

# xsw_bg_stop NAME [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default
# 5); returns the process's exit status (124 if it had to be killed).
xsw_bg_stop() {
    read -r _pid _start 2>/dev/null <"$XSW_T_TMP/$1.pid" || return 1
    _xsw_alive "$_pid" "$_start" && kill -TERM "$_pid" 2>/dev/null
    xsw_bg_wait "$1" "${2:-5}"
}

# xsw_bg_wait NAME [SECONDS]: waits for it to end by itself; SIGKILL after
# SECONDS (default 10).  Returns its exit status (124 if killed).
xsw_bg_wait() {
    read -r _pid _start 2>/dev/null <"$XSW_T_TMP/$1.pid" || return 1
    _i=0
    _killed=0
    while _xsw_alive "$_pid" "$_start"; do
        if [ "$_i" -ge $((${2:-10} * 10)) ]; then
            kill -KILL "$_pid" 2>/dev/null
            _killed=1
            break
        fi
        sleep 0.1
        _i=$((_i + 1))
    done
    wait "$_pid" 2>/dev/null
    _st=$?
    # Waited for: its pid is no longer ours.
    _rest=""
    for _w in $_xsw_t_pids; do
        [ "$_w" = "$1" ] || _rest="$_rest $_w"
    done
    _xsw_t_pids=$_rest
    [ "$_killed" = 1 ] && return 124
    return "$_st"
}

# xsw_wait_for SECONDS COMMAND...: retries COMMAND every 0.1 s until it
# succeeds (returns 0) or SECONDS pass (returns 1).
xsw_wait_for() {
    _limit=$(($1 * 10))
    shift
    _i=0
    until "$@"; do
        _i=$((_i + 1))
        [ "$_i" -ge "$_limit" ] && return 1
        sleep 0.1
    done
    return 0
}

# ---------------------------------------------------------------- traffic

# xsw_ping_ok NS ADDR [COUNT [INTERVAL]]: COUNT pings (default 3) from
# namespace NS to ADDR, INTERVAL seconds apart (default 0.2), every one
# answered; if not, ping's output as diagnostics.
xsw_ping_ok() {
    ip netns exec "$1" ping -c "${3:-3}" -i "${4:-0.2}" -W 2 -q "$2" \
        >"$XSW_T_TMP/ping_ok.out" 2>&1 ||
        { sed 's/^/# /' "$XSW_T_TMP/ping_ok.out"; return 1; }
}

# xsw_udp_send NS ADDR PORT N: exactly N UDP datagrams of 2 bytes ("x\n")
# from namespace NS to ADDR:PORT (bash's /dev/udp).
xsw_udp_send() {
    ip netns exec "$1" bash -c \
        "for i in \$(seq $4); do echo x >/dev/udp/$2/$3; done" 2>/dev/null
}

# xsw_l2send NS IF [ARGS...]: tests/tools/l2send.py IF ARGS... in namespace
# NS (crafted frames); its errors as diagnostics.
xsw_l2send() {
    _lns=$1
    shift
    ip netns exec "$_lns" /usr/bin/python3 "$XSW_SRCDIR/tests/tools/l2send.py" "$@" \
        >/dev/null 2>"$XSW_T_TMP/l2send.err" ||
        { sed 's/^/# l2send: /' "$XSW_T_TMP/l2send.err"; return 1; }
}

# xsw_cap_start NAME NS IF [ARGS...]: tcpdump on IF in namespace NS, as
# background process NAME until xsw_cap_stop: link-level headers, numeric,
# a line a frame; ARGS are more options and the filter.  Returns once it
# listens.
xsw_cap_start() {
    _cn=$1
    _cns=$2
    _cif=$3
    shift 3
    xsw_bg_start "$_cn" ip netns exec "$_cns" tcpdump -i "$_cif" -e -nn -l -U "$@"
    xsw_wait_for 5 grep -q "listening on" "$XSW_T_TMP/$_cn.err"
}

# xsw_cap_stop NAME...: lets the last frames arrive, stops the captures;
# their lines are then in $XSW_T_TMP/NAME.out.
xsw_cap_stop() {
    sleep 0.5
    for _cn in "$@"; do
        xsw_bg_stop "$_cn" 3 >/dev/null
    done
    return 0
}

# xsw_cap_count NAME [PATTERN]: prints how many lines of capture NAME match
# PATTERN (grep -E; all of them by default).
xsw_cap_count() {
    grep -cE "${2:-.}" "$XSW_T_TMP/$1.out"
}

# ------------------------------------------------------------------- xswd
#
# The build's xswd and xswctl, on the control socket $XSW_T_SOCK.

# xsw_ini_section NAME [LINE...]: prints the INI section [NAME] with the
# LINEs ("key = value"), then an empty line.
xsw_ini_section() {
    printf '[%s]\n' "$1"
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@"
    echo
}

# xsw_ini_port NAME BRIDGE IF PORT_NO [LINE...]: prints the section
# [port.NAME], port PORT_NO of BRIDGE on interface IF, and the LINEs.
xsw_ini_port() {
    _in=$1
    _ib=$2
    _ii=$3
    _ino=$4
    shift 4
    xsw_ini_section "port.$_in" "bridge = $_ib" "interface = $_ii" "port_no = $_ino" "$@"
}

# xsw_ctl ARGS...: xswctl ARGS on this test's xswd ($XSW_T_SOCK).
xsw_ctl() {
    "$XSW_BUILDDIR/xswctl" --socket "$XSW_T_SOCK" "$@"
}

# xsw_xswd_start NAME CONFIG [BRIDGE]: runs xswd on CONFIG as background
# process NAME; returns 0 once it answers "show [BRIDGE]" on $XSW_T_SOCK
# (the socket appears when every port is attached), 1 if not within 15 s.
xsw_xswd_start() {
    xsw_bg_start "$1" "$XSW_BUILDDIR/xswd" --config "$2"
    xsw_wait_for 10 test -S "$XSW_T_SOCK" &&
        xsw_wait_for 5 xsw_ctl show ${3:+"$3"} >/dev/null 2>&1
}

# xsw_check_xswd_start DESCRIPTION CONFIG [BRIDGE]: xsw_xswd_start as
# "xswd", a test point (with xswd's log if it fails); bails out if xswd
# does not start.
xsw_check_xswd_start() {
    if xsw_xswd_start xswd "$2" ${3:+"$3"}; then
        tap_ok "$1"
    else
        tap_not_ok "$1" "$XSW_T_TMP/xswd.err"
        tap_bail_out "xswd did not start"
    fi
}

# xsw_log_clean FILE: whether FILE (a log) has no sanitizer report (ASan,
# LSan, UBSan).
xsw_log_clean() {
    ! grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$1"
}

# xsw_check_log_clean DESCRIPTION FILE: a test point, xsw_log_clean FILE
# (FILE shown if it fails).
xsw_check_log_clean() {
    if xsw_log_clean "$2"; then
        tap_ok "$1"
    else
        tap_not_ok "$1" "$2"
    fi
}

# xsw_check_running DESCRIPTION NAME: a test point, background process NAME
# still runs (its stderr shown if not).
xsw_check_running() {
    if xsw_bg_running "$2"; then
        tap_ok "$1"
    else
        tap_not_ok "$1" "$XSW_T_TMP/$2.err"
    fi
}

# xsw_check_xswd_stop BRIDGE IF...: stops "xswd" with SIGTERM; five test
# points: status 0 and "stopped" logged, no XDP program left on the IFs, no
# TAP device BRIDGE and no socket file left, no sanitizer report logged.
xsw_check_xswd_stop() {
    _sbr=$1
    shift
    xsw_bg_stop xswd 10
    _sst=$?
    if [ "$_sst" = 0 ] && grep -q "stopped" "$XSW_T_TMP/xswd.err"; then
        tap_ok "xswd stops on SIGTERM with status 0"
    else
        tap_not_ok "xswd stops on SIGTERM with status 0 (got $_sst)" "$XSW_T_TMP/xswd.err"
    fi
    _sifs=""
    for _x in "$@"; do
        _sifs="${_sifs:+$_sifs, }$_x"
    done
    tap_check "no XDP program left on $_sifs" xsw_no_xdp "$@"
    tap_check "no TAP device $_sbr left" eval "! ip link show dev $_sbr >/dev/null 2>&1"
    tap_check "no socket file left" test ! -e "$XSW_T_SOCK"
    xsw_check_log_clean "no sanitizer report in xswd's log" "$XSW_T_TMP/xswd.err"
}

# xsw_show_lookups BRIDGE FIELD: prints a lookup counter (hit, missed,
# lost) of "xswctl show BRIDGE".
xsw_show_lookups() {
    xsw_ctl show "$1" 2>/dev/null |
        sed -n "s/^ *lookups:.*[ :]$2:\([0-9]*\).*/\1/p" | head -1
}

# xsw_fdb_stat BRIDGE TEXT: prints the number after "TEXT ... :" in
# "xswctl fdb-stats BRIDGE".
xsw_fdb_stat() {
    xsw_ctl fdb-stats "$1" 2>/dev/null | sed -n "s/^ *$2[^:]*: *\([0-9]*\).*/\1/p" | head -1
}

# xsw_fdb_has BRIDGE PORT MAC: whether "xswctl fdb-show BRIDGE" lists MAC
# on PORT, in VLAN 0.
xsw_fdb_has() {
    xsw_ctl fdb-show "$1" 2>/dev/null | grep -qE "^ +$2 +0 +$3 +[0-9]+$"
}

# xsw_rv_stat BRIDGE LABEL: prints the first number of the LABEL line of
# "xswctl revalidator-show BRIDGE".
xsw_rv_stat() {
    xsw_ctl revalidator-show "$1" 2>/dev/null |
        sed -n "s/^ *$2 *: *[(a-z ]*\([0-9][0-9]*\).*/\1/p" | head -1
}

# xsw_flow_field LINE FIELD: prints the value of FIELD (packets, bytes,
# used) in LINE, a line of dump-flows ("used" in seconds, without the s).
xsw_flow_field() {
    printf '%s\n' "$1" | sed -n "s/.* $2:\([0-9.]*\)s\{0,1\},.*/\1/p"
}

# ----------------------------------------------------------------- cleanup

# xsw_on_exit COMMAND: an extra cleanup step (a string for eval), run by
# xsw_cleanup before the rest, the last registered first.  For what the
# helpers above do not know about; a test must not set its own EXIT trap.
xsw_on_exit() {
    _xsw_t_hooks="$1
$_xsw_t_hooks"
}

# xsw_cleanup: runs the xsw_on_exit steps, kills this test's background
# processes, deletes its namespaces and links and its scratch directory.
# Runs at exit; safe to call earlier (then again).
xsw_cleanup() {
    _hooks=$_xsw_t_hooks
    _xsw_t_hooks=""
    # A here-document, not a pipe: the steps run in this shell.
    while IFS= read -r _h; do
        [ -n "$_h" ] && eval "$_h" >/dev/null 2>&1
    done <<XSW_HOOKS
$_hooks
XSW_HOOKS
    for _n in $_xsw_t_pids; do
        xsw_bg_stop "$_n" 3 >/dev/null 2>&1
    done
    _xsw_t_pids=""
    for _l in $_xsw_t_links; do
        ip link del "$_l" 2>/dev/null
    done
    _xsw_t_links=""
    for _ns in $_xsw_t_netns; do
        ip netns del "$_ns" 2>/dev/null
    done
    _xsw_t_netns=""
    if [ -n "$XSW_T_TMP" ] && [ -d "$XSW_T_TMP" ]; then
        rm -rf "$XSW_T_TMP"
    fi
    XSW_T_TMP=""
}

# xsw_check_cleanup: xsw_cleanup, then a test point: none of this test's
# namespaces and links is left (what the exit trap does, checked).
xsw_check_cleanup() {
    xsw_cleanup
    _left=$(xsw_leftovers)
    if [ -z "$_left" ]; then
        tap_ok "nothing left: namespaces, links, processes"
    else
        tap_not_ok "nothing left: namespaces, links, processes"
        tap_diag "left: $_left"
    fi
}

_xsw_exit() {
    # Its own variable: the helpers share the "_" ones.
    _xsw_status=$?
    xsw_cleanup
    # A run that ends before its plan is complete fails, whatever its
    # status.
    if [ "$_xsw_t_planned" -gt 0 ] && [ "$_xsw_t_n" -ne "$_xsw_t_planned" ]; then
        echo "# planned $_xsw_t_planned tests, ran $_xsw_t_n"
        [ "$_xsw_status" = 0 ] && _xsw_status=1
    fi
    [ "$_xsw_t_failed" -gt 0 ] && [ "$_xsw_status" = 0 ] && _xsw_status=1
    exit "$_xsw_status"
}

XSW_T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$XSW_T_PREFIX.XXXXXX") ||
    tap_bail_out "cannot create a scratch directory"
XSW_T_SOCK=$XSW_T_TMP/xswd.sock
trap _xsw_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
