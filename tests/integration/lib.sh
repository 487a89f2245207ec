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
# it tests with xsw_bg_start, and reports with tap_ok / tap_not_ok /
# tap_check.  Output is TAP, as build-aux/tap-driver.sh reads it.
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
# XSW_T_TMP is a scratch directory removed at exit.

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
trap _xsw_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
