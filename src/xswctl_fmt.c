/* xswctl_fmt: see xswctl_fmt.h. */
#include "xswctl_fmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- arguments */

/* The rules of bridge and port names in xsw.ini, which are those the kernel
 * applies to interface names (dev_valid_name()). */
static int
fmt_check_ifname(const char *name, size_t len, struct xsw_err *err)
{
    if (!len) {
        return xsw_err_set(err, EINVAL, "missing interface name");
    }
    if (len >= IF_NAMESIZE) {
        return xsw_err_set(err, EINVAL, "interface name '%.*s' is longer than %d characters",
                           (int) len, name, IF_NAMESIZE - 1);
    }
    if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2))) {
        return xsw_err_set(err, EINVAL, "'%.*s' is not an interface name", (int) len, name);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) name[i];

        if (c <= ' ' || c >= 0x7f) {
            return xsw_err_set(err, EINVAL, "interface name '%.*s' contains a blank or a"
                               " non-printable character", (int) len, name);
        }
        if (c == '/' || c == ':') {
            return xsw_err_set(err, EINVAL, "interface name '%.*s' contains '%c'",
                               (int) len, name, c);
        }
    }
    return 0;
}

/* A decimal number in [lo, hi], nothing else (no sign, no blanks). */
static bool
fmt_parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    unsigned long long v = 0;

    if (!*s || strlen(s) > 10) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        v = v * 10 + (unsigned) (*p - '0');
    }
    if (v < lo || v > hi) {
        return false;
    }
    *out = (uint32_t) v;
    return true;
}

/* One of words (NULL-terminated) in any case, as xsw.ini accepts them;
 * returns the canonical static string or NULL. */
static const char *
fmt_pick_word(const char *value, const char *const *words)
{
    for (const char *const *w = words; *w; w++) {
        if (!strcasecmp(value, *w)) {
            return *w;
        }
    }
    return NULL;
}

static int
fmt_parse_if_option(char *opt, struct xswctl_if_spec *spec, unsigned int *seen,
                    struct xsw_err *err)
{
    static const char *const xdp_modes[] = { "auto", "native", "skb", NULL };
    static const char *const zc_modes[] = { "auto", "yes", "no", NULL };
    static const char *const keys[] = { "port_no", "xdp_mode", "zero_copy", "queues", NULL };
    char *eq = strchr(opt, '=');
    const char *value;
    unsigned int k;

    if (!eq) {
        return xsw_err_set(err, EINVAL, "option '%s' has no value (expected KEY=VALUE)", opt);
    }
    *eq = '\0';
    value = eq + 1;
    for (k = 0; keys[k]; k++) {
        if (!strcmp(opt, keys[k])) {
            break;
        }
    }
    if (!keys[k]) {
        return xsw_err_set(err, EINVAL, "unknown option '%s' (expected port_no, xdp_mode,"
                           " zero_copy or queues)", opt);
    }
    if (*seen & (1u << k)) {
        return xsw_err_set(err, EINVAL, "option '%s' given twice", opt);
    }
    *seen |= 1u << k;

    switch (k) {
    case 0:
        if (!fmt_parse_u32(value, 1, XSWCTL_IF_MAX_PORT_NO, &spec->port_no)) {
            return xsw_err_set(err, EINVAL, "port_no '%s': expected a number from 1 to %d"
                               " (0 is the internal port)", value, XSWCTL_IF_MAX_PORT_NO);
        }
        break;
    case 1:
        spec->xdp_mode = fmt_pick_word(value, xdp_modes);
        if (!spec->xdp_mode) {
            return xsw_err_set(err, EINVAL, "xdp_mode '%s': expected auto, native or skb",
                               value);
        }
        break;
    case 2:
        spec->zero_copy = fmt_pick_word(value, zc_modes);
        if (!spec->zero_copy) {
            return xsw_err_set(err, EINVAL, "zero_copy '%s': expected auto, yes or no", value);
        }
        break;
    default:
        spec->has_queues = true;
        if (!strcasecmp(value, "all")) {
            spec->queues = 0;
        } else if (!fmt_parse_u32(value, 1, XSWCTL_IF_MAX_QUEUES, &spec->queues)) {
            return xsw_err_set(err, EINVAL, "queues '%s': expected all or a number from 1 to %d",
                               value, XSWCTL_IF_MAX_QUEUES);
        }
        break;
    }
    return 0;
}

int
xswctl_fmt_parse_if(const char *arg, struct xswctl_if_spec *spec, struct xsw_err *err)
{
    size_t name_len = strcspn(arg, ",");
    unsigned int seen = 0;
    char *copy, *opt, *save = NULL;
    int error;

    memset(spec, 0, sizeof *spec);
    error = fmt_check_ifname(arg, name_len, err);
    if (error) {
        return error;
    }
    memcpy(spec->name, arg, name_len);
    spec->name[name_len] = '\0';
    if (!arg[name_len]) {
        return 0;
    }
    copy = strdup(arg + name_len + 1);
    if (!copy) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    /* strtok_r() would skip empty options; "veth0,,queues=1" is a typo to
     * report, not to guess about. */
    for (opt = copy; opt; opt = save) {
        save = strchr(opt, ',');
        if (save) {
            *save++ = '\0';
        }
        if (!*opt) {
            error = xsw_err_set(err, EINVAL, "empty option after '%s'", spec->name);
            break;
        }
        error = fmt_parse_if_option(opt, spec, &seen, err);
        if (error) {
            break;
        }
    }
    free(copy);
    if (!error && spec->zero_copy && !strcmp(spec->zero_copy, "yes")
        && spec->xdp_mode && !strcmp(spec->xdp_mode, "skb")) {
        /* The generic XDP path hands frames over as copies; zero-copy needs
         * the driver. */
        error = xsw_err_set(err, EINVAL, "zero_copy=yes cannot go with xdp_mode=skb");
    }
    if (error) {
        memset(spec, 0, sizeof *spec);
    }
    return error;
}

int
xswctl_fmt_bridge_arg(int nargs, char *const args[], int n_after, const char **bridge)
{
    if (nargs == n_after) {
        *bridge = NULL;
        return 0;
    }
    if (nargs == n_after + 1) {
        *bridge = args[0];
        return 1;
    }
    *bridge = NULL;
    return -EINVAL;
}

int
xswctl_fmt_pick_dp(const char *const *names, size_t n, struct xsw_err *err)
{
    struct strbuf list;
    int error;

    if (n == 1) {
        return 0;
    }
    if (n == 0) {
        return xsw_err_set(err, ENODEV, "no datapath exists");
    }
    strbuf_init(&list);
    for (size_t i = 0; i < n; i++) {
        strbuf_printf(&list, "%s%s", i ? ", " : "", names[i]);
    }
    error = xsw_err_set(err, EINVAL, "several datapaths: name one (%s)", strbuf_cstr(&list));
    strbuf_free(&list);
    return error;
}

/* ------------------------------------------------------------------ show */

const char *
xswctl_fmt_port_type(uint32_t type)
{
    switch (type) {
    case OVS_VPORT_TYPE_NETDEV:
        return "afxdp";
    case OVS_VPORT_TYPE_INTERNAL:
        return "internal";
    case OVS_VPORT_TYPE_GRE:
        return "gre";
    case OVS_VPORT_TYPE_VXLAN:
        return "vxlan";
    case OVS_VPORT_TYPE_GENEVE:
        return "geneve";
    default:
        return "unknown";
    }
}

const char *
xswctl_fmt_bind_mode(uint32_t queues, uint32_t zc_queues)
{
    if (zc_queues == 0) {
        return "copy";
    }
    return zc_queues >= queues ? "zero-copy" : "mixed";
}

void
xswctl_fmt_port(struct strbuf *sb, const struct xswctl_port *p)
{
    const char *sep = ": ";

    strbuf_printf(sb, "  port %"PRIu32": %s (%s", p->port_no, p->name,
                  xswctl_fmt_port_type(p->type));
    if (p->type != OVS_VPORT_TYPE_NETDEV) {
        if (!strcmp(xswctl_fmt_port_type(p->type), "unknown")) {
            strbuf_printf(sb, " type %"PRIu32, p->type);
        }
        strbuf_putc(sb, ')');
        return;
    }
    if (p->xdp_mode[0]) {
        strbuf_printf(sb, "%sxdp=%s", sep, p->xdp_mode);
        sep = ", ";
    }
    if (p->has_queues && p->has_zc_queues) {
        strbuf_printf(sb, "%s%s", sep, xswctl_fmt_bind_mode(p->queues, p->zc_queues));
        sep = ", ";
    }
    if (p->has_queues) {
        strbuf_printf(sb, "%squeues=%"PRIu32, sep, p->queues);
        sep = ", ";
    }
    if (p->has_dispatcher && p->dispatcher) {
        strbuf_printf(sb, "%sdispatcher", sep);
    }
    strbuf_putc(sb, ')');
}

void
xswctl_fmt_human_size(struct strbuf *sb, uint64_t v)
{
    static const struct {
        uint64_t unit;
        const char *name;
    } units[] = {
        { 1ULL << 40, "TiB" },
        { 1ULL << 30, "GiB" },
        { 1ULL << 20, "MiB" },
        { 1ULL << 10, "KiB" },
    };

    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (v >= units[i].unit) {
            strbuf_printf(sb, " (%.1f %s)", (double) v / (double) units[i].unit,
                          units[i].name);
            return;
        }
    }
}

void
xswctl_fmt_port_stats(struct strbuf *sb, const struct ovs_vport_stats *s)
{
    /* The device counters ovs-dpctl also prints (overruns, frame, aborted,
     * carrier, collisions) have no vport equivalent: always 0 here, as
     * for the kernel datapath's vports. */
    strbuf_printf(sb, "    RX packets:%llu errors:%llu dropped:%llu overruns:0 frame:0\n",
                  (unsigned long long) s->rx_packets, (unsigned long long) s->rx_errors,
                  (unsigned long long) s->rx_dropped);
    strbuf_printf(sb, "    TX packets:%llu errors:%llu dropped:%llu aborted:0 carrier:0\n",
                  (unsigned long long) s->tx_packets, (unsigned long long) s->tx_errors,
                  (unsigned long long) s->tx_dropped);
    strbuf_puts(sb, "    collisions:0\n");
    strbuf_printf(sb, "    RX bytes:%llu", (unsigned long long) s->rx_bytes);
    xswctl_fmt_human_size(sb, s->rx_bytes);
    strbuf_printf(sb, "  TX bytes:%llu", (unsigned long long) s->tx_bytes);
    xswctl_fmt_human_size(sb, s->tx_bytes);
    strbuf_putc(sb, '\n');
}

double
xswctl_fmt_hit_per_pkt(const struct ovs_dp_stats *st, const struct ovs_dp_megaflow_stats *mf)
{
    uint64_t n_pkts = st->n_hit + st->n_missed;

    return n_pkts ? (double) mf->n_mask_hit / (double) n_pkts : 0.0;
}

void
xswctl_fmt_dp_stats(struct strbuf *sb, const struct ovs_dp_stats *st,
                    const struct ovs_dp_megaflow_stats *mf)
{
    strbuf_printf(sb, "  lookups: hit:%llu missed:%llu lost:%llu\n  flows: %llu\n",
                  (unsigned long long) st->n_hit, (unsigned long long) st->n_missed,
                  (unsigned long long) st->n_lost, (unsigned long long) st->n_flows);
    if (mf) {
        strbuf_printf(sb, "  masks: hit:%llu total:%"PRIu32" hit/pkt:%.2f\n",
                      (unsigned long long) mf->n_mask_hit, (uint32_t) mf->n_masks,
                      xswctl_fmt_hit_per_pkt(st, mf));
    }
}

/* ----------------------------------------------------------------- flows */

uint64_t
xswctl_fmt_age_ms(uint64_t used_ms, uint64_t now_ms)
{
    return now_ms > used_ms ? now_ms - used_ms : 0;
}

void
xswctl_fmt_tcp_flags(struct strbuf *sb, uint16_t flags)
{
    /* tcpdump's letters in the order OVS writes them, not bit order. */
    static const struct {
        uint16_t bit;
        const char *s;
    } names[] = {
        { 0x002, "S" }, { 0x001, "F" }, { 0x008, "P" }, { 0x004, "R" },
        { 0x020, "U" }, { 0x010, "." }, { 0x040, "E" }, { 0x080, "C" },
        { 0x100, "N" }, { 0x200, "[200]" }, { 0x400, "[400]" }, { 0x800, "[800]" },
    };

    if (!flags) {
        strbuf_puts(sb, "none");
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & names[i].bit) {
            strbuf_puts(sb, names[i].s);
        }
    }
}

void
xswctl_fmt_flow_stats(struct strbuf *sb, uint64_t packets, uint64_t bytes,
                      uint64_t used_ms, uint64_t now_ms, uint16_t tcp_flags)
{
    strbuf_printf(sb, "packets:%llu, bytes:%llu, used:", (unsigned long long) packets,
                  (unsigned long long) bytes);
    if (used_ms) {
        strbuf_printf(sb, "%.3fs", (double) xswctl_fmt_age_ms(used_ms, now_ms) / 1000.0);
    } else {
        strbuf_puts(sb, "never");
    }
    if (tcp_flags) {
        strbuf_puts(sb, ", flags:");
        xswctl_fmt_tcp_flags(sb, tcp_flags);
    }
}

/* ------------------------------------------------------------------ JSON */

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if there is none
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t
fmt_utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;

    if (c < 0x80) {
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
        || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
        return 0;
    }
    return n;
}

void
xswctl_fmt_json_string(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    strbuf_putc(sb, '"');
    while (*p) {
        size_t n = fmt_utf8_len(p);

        if (n == 0) {
            strbuf_puts(sb, "\\ufffd");
            p++;
        } else if (n > 1) {
            strbuf_put(sb, p, n);
            p += n;
        } else {
            switch (*p) {
            case '"':
                strbuf_puts(sb, "\\\"");
                break;
            case '\\':
                strbuf_puts(sb, "\\\\");
                break;
            case '\n':
                strbuf_puts(sb, "\\n");
                break;
            case '\r':
                strbuf_puts(sb, "\\r");
                break;
            case '\t':
                strbuf_puts(sb, "\\t");
                break;
            default:
                if (*p < 0x20 || *p == 0x7f) {
                    strbuf_printf(sb, "\\u%04x", *p);
                } else {
                    strbuf_putc(sb, (char) *p);
                }
                break;
            }
            p++;
        }
    }
    strbuf_putc(sb, '"');
}
