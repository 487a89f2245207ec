#!/bin/bash
# test_install: what "make install" puts where, with DESTDIR.
#
# In the build under test (its configured prefix) and in a scratch build
# configured --prefix=/usr --sysconfdir=/etc: every promised file is in the
# tree, at the paths the binaries were built for (xswd's default config, the
# directory where it looks for the XDP program, the unit's ExecStart); the
# unit has the settings it promises and passes "systemd-analyze verify"; a
# second install keeps an edited xsw.ini and uninstall leaves only that;
# --without-systemdsystemunitdir installs no unit; the bash completion
# completes commands, options and interfaces.  Runs without root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

xsw_require_cmd make sed cmp
xsw_require_file "$XSW_BUILDDIR/Makefile" "$XSW_BUILDDIR/xswd" "$XSW_BUILDDIR/xswctl"

tap_plan 16

# mk ARGS...: make, on its own even under "make check" (no jobserver or
# command-line variables of the make that runs the tests).
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"
}

# mkvars BUILD: sets the install directories of that build's Makefile as
# shell variables (sbindir=/usr/local/sbin ...), fully expanded.
mkvars() {
    eval "$(mk -s --no-print-directory -C "$1" -f Makefile -f - xsw-test-vars <<'EOF'
xsw-test-vars:
	@echo "bindir='$(bindir)'"
	@echo "sbindir='$(sbindir)'"
	@echo "sysconfdir='$(sysconfdir)'"
	@echo "pkglibdir='$(pkglibdir)'"
	@echo "mandir='$(mandir)'"
	@echo "datadir='$(datadir)'"
	@echo "systemdsystemunitdir='$(systemdsystemunitdir)'"
EOF
)"
}

# promised: the files an install must put in the tree, one a line.
promised() {
    printf '%s\n' \
        "$sbindir/xswd" \
        "$bindir/xswctl" \
        "$pkglibdir/xsw_redirect.bpf.o" \
        "$sysconfdir/xsw/xsw.ini" \
        "$mandir/man8/xswd.8" \
        "$mandir/man8/xswctl.8" \
        "$mandir/man5/xsw.ini.5" \
        "$datadir/bash-completion/completions/xswctl"
    [ "${1:-unit}" = unit ] && echo "$systemdsystemunitdir/xswd.service"
    return 0
}

# check_tree DESTDIR [nounit]: every promised file is there; prints the
# missing ones.
check_tree() {
    _missing=0
    for _f in $(promised "${2:-unit}"); do
        if [ ! -f "$1$_f" ]; then
            echo "missing: $_f"
            _missing=1
        fi
    done
    return $_missing
}

# check_paths DESTDIR: the binaries and the unit name the installed paths.
check_paths() {
    _unit=$1$systemdsystemunitdir/xswd.service
    "$1$sbindir/xswd" --help | grep -qF "(default $sysconfdir/xsw/xsw.ini)" ||
        { echo "xswd's default config is not $sysconfdir/xsw/xsw.ini"; return 1; }
    # xswd looks for the XDP program in the directory compiled in.
    grep -qaF "$pkglibdir" "$1$sbindir/xswd" ||
        { echo "xswd does not look in $pkglibdir"; return 1; }
    grep -qx "ExecStart=$sbindir/xswd --config $sysconfdir/xsw/xsw.ini" "$_unit" ||
        { echo "unexpected ExecStart:"; grep '^ExecStart' "$_unit"; return 1; }
    if grep -n '@[a-z_]*@' "$_unit"; then
        echo "unsubstituted variables in the unit"
        return 1
    fi
}

cd "$XSW_T_TMP" || tap_bail_out "no scratch directory"
mkvars "$XSW_BUILDDIR"
[ -n "$sbindir" ] && [ -n "$systemdsystemunitdir" ] ||
    tap_bail_out "cannot read the install directories of $XSW_BUILDDIR/Makefile"
tap_diag "build under test: sbindir=$sbindir sysconfdir=$sysconfdir unit dir=$systemdsystemunitdir"
D=$XSW_T_TMP/dest

# 1-3: the build under test.
if mk -s -C "$XSW_BUILDDIR" install DESTDIR="$D" >install.log 2>&1; then
    tap_ok "make install DESTDIR=... succeeds"
else
    tap_not_ok "make install DESTDIR=... fails" install.log
fi
if check_tree "$D" >tree.out; then
    tap_ok "the tree has xswd, xswctl, the XDP program, xsw.ini, the unit, 3 man pages, the completion"
else
    tap_not_ok "files missing from the installed tree" tree.out
fi
same=1
for pair in "man/xswd.8 $mandir/man8/xswd.8" "man/xswctl.8 $mandir/man8/xswctl.8" \
    "man/xsw.ini.5 $mandir/man5/xsw.ini.5" "etc/xsw.ini $sysconfdir/xsw/xsw.ini" \
    "etc/bash-completion/xswctl $datadir/bash-completion/completions/xswctl"; do
    set -- $pair
    cmp -s "$XSW_SRCDIR/$1" "$D$2" || { echo "$D$2 differs from $1"; same=0; }
done >same.out
"$D$sbindir/xswd" --version >>same.out 2>&1 || same=0
"$D$bindir/xswctl" --help >/dev/null 2>>same.out || same=0
if [ $same = 1 ]; then
    tap_ok "installed pages, config and completion are the sources; the programs run"
else
    tap_not_ok "installed files differ from their sources" same.out
fi

# 4-6: the paths and the unit.
if check_paths "$D" >paths.out 2>&1; then
    tap_ok "xswd's default config, its XDP program directory and the unit's ExecStart are the installed paths"
else
    tap_not_ok "installed paths do not agree" paths.out
fi
UNIT=$D$systemdsystemunitdir/xswd.service
bad=""
for want in 'Type=notify' 'NotifyAccess=main' 'ExecReload=/bin/kill -HUP $MAINPID' \
    'RuntimeDirectory=xsw' 'LimitMEMLOCK=infinity' \
    'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_BPF CAP_PERFMON CAP_IPC_LOCK' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
    'RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_XDP AF_INET' \
    'ReadWritePaths=-/sys/fs/bpf' 'DeviceAllow=/dev/net/tun rw'; do
    grep -qxF "$want" "$UNIT" || bad="$bad [$want]"
done
# Root with a bounded set: an ambient set or another user would change that.
grep -q '^\(User\|DynamicUser\|AmbientCapabilities\)=' "$UNIT" && bad="$bad [User/Ambient set]"
if [ -z "$bad" ]; then
    tap_ok "the unit: Type=notify, ExecReload, RuntimeDirectory, LimitMEMLOCK, the capability set, sandboxing"
else
    tap_not_ok "the unit lacks:$bad"
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
    tap_skip "systemd-analyze verify" "systemd-analyze is not installed (scripts/deps.sh installs systemd)"
else
    # verify checks that ExecStart's program exists and that the man pages
    # of Documentation= are found: point both at the tree.
    mkdir -p verify
    sed "s|=$sbindir/|=$D$sbindir/|; s|--config $sysconfdir/|--config $D$sysconfdir/|g" \
        "$UNIT" >verify/xswd.service
    if MANPATH=$D$mandir SYSTEMD_LOG_COLOR=0 systemd-analyze verify verify/xswd.service \
        >verify.out 2>&1 && ! [ -s verify.out ]; then
        tap_ok "systemd-analyze verify passes on the installed unit, without a warning"
    else
        tap_not_ok "systemd-analyze verify" verify.out
    fi
fi

# 7-9: the config: valid as installed, kept when edited, kept by uninstall.
if "$D$sbindir/xswd" --check-config -c "$D$sysconfdir/xsw/xsw.ini" >check.out 2>&1; then
    tap_ok "the installed xsw.ini passes the installed xswd --check-config"
else
    tap_not_ok "the installed xsw.ini fails --check-config" check.out
fi
echo ';workers = 3   # edited' >>"$D$sysconfdir/xsw/xsw.ini"
cp "$D$sysconfdir/xsw/xsw.ini" edited.ini
mk -s -C "$XSW_BUILDDIR" install DESTDIR="$D" >install2.log 2>&1
if cmp -s edited.ini "$D$sysconfdir/xsw/xsw.ini" && [ -f "$D$sbindir/xswd" ]; then
    tap_ok "a second make install keeps an edited xsw.ini"
else
    tap_not_ok "a second make install replaced the edited xsw.ini" install2.log
fi
mk -s -C "$XSW_BUILDDIR" uninstall DESTDIR="$D" >uninstall.log 2>&1
find "$D" -type f >left.out
if [ "$(cat left.out)" = "$D$sysconfdir/xsw/xsw.ini" ] && cmp -s edited.ini "$D$sysconfdir/xsw/xsw.ini"; then
    tap_ok "make uninstall removes everything but the edited xsw.ini"
else
    tap_not_ok "make uninstall left other files, or not the edited xsw.ini" left.out uninstall.log
fi

# 10-13: another prefix, in a build of its own (configure refuses a second
# build beside a source tree configured in place).
V=$XSW_T_TMP/vbuild
if [ -f "$XSW_SRCDIR/config.status" ]; then
    for what in "install for /usr" "the /usr tree" "the /usr build's paths" \
        "--without-systemdsystemunitdir"; do
        tap_skip "$what" "the source tree is configured in place"
    done
else
    D2=$XSW_T_TMP/dest2
    mkdir -p "$V"
    if (cd "$V" && "$XSW_SRCDIR/configure" --prefix=/usr --sysconfdir=/etc \
            --with-systemdsystemunitdir=/usr/lib/systemd/system >configure.log 2>&1 &&
        mk -s -j2 >make.log 2>&1 && mk -s install DESTDIR="$D2" >install.log 2>&1); then
        tap_ok "configure --prefix=/usr --sysconfdir=/etc --with-systemdsystemunitdir=/usr/lib/systemd/system; make install DESTDIR=..."
    else
        tap_not_ok "a build for /usr does not install"
        grep -B8 'error' "$V/config.log" 2>/dev/null | tail -20 | sed 's/^/#   /'
        tail -20 "$V/make.log" "$V/install.log" 2>/dev/null | sed 's/^/#   /'
    fi
    mkvars "$V"
    if [ "$sbindir" = /usr/sbin ] && [ "$pkglibdir" = /usr/lib/xsw ] &&
        [ "$systemdsystemunitdir" = /usr/lib/systemd/system ] && check_tree "$D2" >tree2.out; then
        tap_ok "the /usr tree has every file: /usr/sbin/xswd, /etc/xsw/xsw.ini, /usr/lib/xsw/..., /usr/lib/systemd/system/xswd.service"
    else
        echo "sbindir=$sbindir pkglibdir=$pkglibdir unit dir=$systemdsystemunitdir" >>tree2.out
        tap_not_ok "the /usr tree" tree2.out
    fi
    if check_paths "$D2" >paths2.out 2>&1; then
        tap_ok "the /usr build's xswd and unit name /etc/xsw/xsw.ini, /usr/lib/xsw and /usr/sbin/xswd"
    else
        tap_not_ok "the /usr build's paths" paths2.out
    fi
    D3=$XSW_T_TMP/dest3
    if (cd "$V" && "$XSW_SRCDIR/configure" --prefix=/usr --sysconfdir=/etc \
            --without-systemdsystemunitdir >configure2.log 2>&1 &&
        mk -s -j2 >make2.log 2>&1 && mk -s install DESTDIR="$D3" >install2.log 2>&1) &&
        check_tree "$D3" nounit >tree3.out && ! find "$D3" -name '*.service' | grep -q .; then
        tap_ok "--without-systemdsystemunitdir installs everything but the unit"
    else
        find "$D3" -name '*.service' >>tree3.out 2>/dev/null
        tap_not_ok "--without-systemdsystemunitdir" tree3.out "$V/configure2.log"
    fi
fi

# 14-16: the bash completion, from the source, driving the build's xswctl
# (no daemon: --socket points nowhere).
XSWCTL=$XSW_BUILDDIR/xswctl
NOSOCK=$XSW_T_TMP/none.sock
# complete WORD...: what the completion offers for the last word.
complete_line() {
    bash -c '. "$1" || exit 1; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
             _xswctl; printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$XSW_SRCDIR/etc/bash-completion/xswctl" "$@" 2>&1
}
"$XSWCTL" --help | awk '/^Commands:/ { on = 1; next } /^[^ ]/ { on = 0 }
    on && /^  [a-z]/ { print $1 }' | sort >help_cmds
complete_line "$XSWCTL" "" | sort >comp_cmds
if [ -s help_cmds ] && cmp -s help_cmds comp_cmds &&
    [ "$(complete_line "$XSWCTL" --socket "$NOSOCK" --json dump-f)" = dump-flows ]; then
    tap_ok "completion: the $(wc -l <help_cmds) commands of xswctl --help, also after global options"
else
    diff help_cmds comp_cmds >comp.diff
    tap_not_ok "completion of commands" comp.diff
fi
opts=$(complete_line "$XSWCTL" parse-keys - | sort | tr '\n' ' ')
lvls=$(complete_line "$XSWCTL" log-level "" | sort | tr '\n' ' ')
glob=$(complete_line "$XSWCTL" --j)
if [ "$opts" = "--from-hex --hex --masked " ] && [ "$lvls" = "debug error info warn " ] &&
    [ "$glob" = --json ]; then
    tap_ok "completion: a command's options from --help, log levels, global options"
else
    tap_not_ok "completion of options: parse-keys '$opts', log-level '$lvls', --j '$glob'"
fi
start=$(date +%s)
ifs=$(complete_line "$XSWCTL" --socket "$NOSOCK" add-if br0 lo)
brs=$(complete_line "$XSWCTL" --socket "$NOSOCK" show "")
if [ "$ifs" = lo ] && [ -z "$brs" ] && [ $(($(date +%s) - start)) -le 3 ]; then
    tap_ok "completion: interfaces for add-if from /sys/class/net; no bridges, quickly, without a daemon"
else
    tap_not_ok "completion: add-if br0 lo gave '$ifs', show gave '$brs'"
fi
