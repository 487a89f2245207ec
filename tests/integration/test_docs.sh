#!/bin/bash
# test_docs: the man pages are clean and say what the programs do.
#
# mandoc -Tlint (or groff -ww) finds nothing in xswd(8), xswctl(8) and
# xsw.ini(5); the commands, their options, the global options and add-if's
# keys of "xswctl --help" are those of xswctl(8), and the options of
# "xswd --help" those of xswd(8), both ways; the keys of each section in
# config.c's tables, in xsw.ini(5) and in etc/xsw.ini (the installed default)
# are the same, and etc/xsw.ini with every setting uncommented passes
# "xswd --check-config" (which does refuse an unknown key).  Runs without
# root.
. "${XSW_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

XSWD=$XSW_BUILDDIR/xswd
XSWCTL=$XSW_BUILDDIR/xswctl
MAN=$XSW_SRCDIR/man
xsw_require_file "$XSWD" "$XSWCTL"

tap_plan 11

cd "$XSW_T_TMP" || tap_bail_out "no scratch directory"

# same WHAT A B: A and B (files, one item a line) hold the same items; a
# test point that names what only one of them has.
same() {
    sort -u "$2" >"$2.s"
    sort -u "$3" >"$3.s"
    if [ -s "$2.s" ] && cmp -s "$2.s" "$3.s"; then
        tap_ok "$1: $(wc -l <"$2.s") the same"
        return
    fi
    tap_not_ok "$1 differ"
    comm -23 "$2.s" "$3.s" | sed "s/^/#   only in $2: /"
    comm -13 "$2.s" "$3.s" | sed "s/^/#   only in $3: /"
    [ -s "$2.s" ] || tap_diag "$2 is empty"
}

# man_items PAGE SECTION [SUBSECTION]: the .It lines at the first level of
# the lists of a section (.Sh), or of one subsection (.Ss) in it.
man_items() {
    awk -v sh="$2" -v ss="${3:-}" '
        /^\.Sh / { in_sh = (substr($0, 5) == sh); in_ss = (ss == ""); next }
        /^\.Ss / { if (ss != "") in_ss = in_sh && (substr($0, 5) == ss); next }
        !in_sh || !in_ss { next }
        /^\.Bl/ { depth++; next }
        /^\.El/ { depth--; next }
        depth == 1 && /^\.It / { print }' "$1"
}

# fl_opts: the options of mdoc lines, "Fl x" as -x and "Fl -xy" as --xy.
fl_opts() {
    awk '{ for (i = 1; i < NF; i++) if ($i == "Fl") print "-" $(i + 1) }'
}

# help_opts: the options among words of --help lines: -x, --xy.
help_opts() {
    tr ' [],|' '\n' | grep -E '^--?[a-zA-Z]' | sed 's/[^a-zA-Z0-9-].*//'
}

# 1-3: lint.
for page in xswd.8 xswctl.8 xsw.ini.5; do
    if command -v mandoc >/dev/null 2>&1; then
        mandoc -Tlint -W warning "$MAN/$page" >"lint.$page" 2>&1
        st=$?
        tool="mandoc -Tlint -W warning"
    elif command -v groff >/dev/null 2>&1; then
        groff -ww -z -mdoc "$MAN/$page" >"lint.$page" 2>&1
        st=$?
        tool="groff -ww -z"
    else
        tap_skip "$page lints clean" "neither mandoc nor groff is installed"
        continue
    fi
    if [ $st = 0 ] && ! [ -s "lint.$page" ]; then
        tap_ok "$tool $page: no warning"
    else
        tap_not_ok "$tool $page" "lint.$page"
    fi
done

# 4-7: xswctl.
"$XSWCTL" --help >help.xswctl 2>&1
awk '/^Commands:/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/' help.xswctl \
    >help.cmdlines
awk '{ print $1 }' help.cmdlines >commands.help
man_items "$MAN/xswctl.8" COMMANDS | awk '$2 == "Cm" { print $3 }' >commands.man
same "commands of xswctl --help and of xswctl(8)" commands.help commands.man

# name:option pairs of each command.
while read -r cmd rest; do
    echo "$rest" | help_opts | sed "s/^/$cmd:/"
done <help.cmdlines >cmdopts.help
man_items "$MAN/xswctl.8" COMMANDS | awk '$2 == "Cm"' | while read -r _ _ cmd rest; do
    echo "$rest" | fl_opts | sed "s/^/$cmd:/"
done >cmdopts.man
same "command options (command:option) of xswctl --help and of xswctl(8)" \
    cmdopts.help cmdopts.man

awk '/^Options:/ { on = 1; next } /^[^ ]/ { on = 0 } on' help.xswctl |
    sed 's/^ *//; s/  .*//' | help_opts >globals.help
man_items "$MAN/xswctl.8" DESCRIPTION | fl_opts >globals.man
same "global options of xswctl --help and of xswctl(8)" globals.help globals.man

grep '^  add-if ' help.xswctl | grep -o ',[a-z_]*=' | tr -d ',=' >addif.help
# The keys are the items of the list nested in add-if's item.
awk '/^\.It Cm add-if / { on = 1; depth = 0; next }
    on && /^\.Bl/ { depth++; next }
    on && /^\.El/ { if (--depth < 0) on = 0; next }
    on && depth == 0 && /^\.It / { on = 0 }
    on && depth == 1 && /^\.It Cm / { print $3 }' "$MAN/xswctl.8" >addif.man
same "add-if keys of xswctl --help and of xswctl(8)" addif.help addif.man

# 8: xswd.
"$XSWD" --help 2>&1 | grep '^  *-' | sed 's/^ *//; s/  .*//' | help_opts >xswd.help
man_items "$MAN/xswd.8" DESCRIPTION | fl_opts >xswd.man
same "options of xswd --help and of xswd(8)" xswd.help xswd.man

# 9-11: configuration keys, as section:key.
awk '/^static const struct key_spec [a-z]*_keys\[\] = \{/ {
        sec = $5; sub(/_keys.*/, "", sec); next }
    sec != "" && /^\};/ { sec = ""; next }
    sec != "" && match($0, /\{ "[a-z_]*"/) {
        print sec ":" substr($0, RSTART + 3, RLENGTH - 4) }' \
    "$XSW_SRCDIR/src/config.c" >keys.config
for sec in global bridge port; do
    case $sec in
    global) title="[global] section" ;;
    *) title="[$sec.NAME] sections" ;;
    esac
    man_items "$MAN/xsw.ini.5" DESCRIPTION "$title" |
        awk -v s="$sec" '$2 == "Cm" { print s ":" $3 }'
done >keys.man
same "keys (section:key) of config.c's tables and of xsw.ini(5)" keys.config keys.man

# etc/xsw.ini shows every setting, commented out (';').
sed 's/^;//' "$XSW_SRCDIR/etc/xsw.ini" | grep -v '^#' >full.ini
awk -F= '/^\[/ { sec = $0; gsub(/[][]/, "", sec); sub(/\..*/, "", sec); next }
    /^[a-z_]+ *=/ { k = $1; gsub(/ /, "", k); print sec ":" k }' full.ini >keys.etc
same "keys (section:key) of etc/xsw.ini and of xsw.ini(5)" keys.etc keys.man

cp full.ini bad.ini
sed -i 's/^\[global\]$/[global]\nno_such_key = 1/' bad.ini
if "$XSWD" --check-config -c full.ini >check.out 2>&1; then
    if "$XSWD" --check-config -c bad.ini >bad.out 2>&1; then
        tap_not_ok "xswd --check-config accepts an unknown key: the check proves nothing" bad.out
    else
        tap_ok "etc/xsw.ini with every key set passes xswd --check-config (an unknown key does not)"
    fi
else
    tap_not_ok "etc/xsw.ini with every key set fails xswd --check-config" check.out
fi
