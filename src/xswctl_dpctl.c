/* The xswctl commands that drive xswd through its control socket: those of
 * ovs-dpctl, spoken over the OVS genetlink families exactly as ovs-dpctl
 * speaks them to the kernel and printed as ovs-dpctl prints them, and the
 * xsw_ctl commands for what OVS keeps outside netlink.
 *
 * Every command checks its arguments before it connects, so that bad usage
 * is told apart (exit 2) from a daemon that is missing or refuses (exit 1). */
#include "xswctl.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "ctl_client.h"
#include "ctl_families.h"
#include "odp_text.h"
#include "strbuf.h"
#include "ufid.h"
#include "xsw_err.h"
#include "xswctl_fmt.h"

#define DPCTL_NAME_MAX 64

enum dpctl_family {
    DPCTL_FAM_DP,
    DPCTL_FAM_VPORT,
    DPCTL_FAM_FLOW,
    DPCTL_N_FAMS
};

static const char *const dpctl_family_names[DPCTL_N_FAMS] = {
    OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY,
};

/* One command's connection. */
struct dpctl {
    const struct xswctl_opts *opts;
    const char *cmd;
    struct ctl_client *client;
    struct ctl_client_family fam[DPCTL_N_FAMS];
    void *req;                  /* CTL_MSG_MAX bytes for the request */
};

/* ---------------------------------------------------------------- errors */

static void __attribute__((format(printf, 2, 0)))
dpctl_vreport(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "xswctl: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

/* A request or the daemon failed: "xswctl: COMMAND: message", exit 1. */
static int __attribute__((format(printf, 2, 3)))
dpctl_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dpctl_vreport(cmd, fmt, ap);
    va_end(ap);
    return XSWCTL_EXIT_FAIL;
}

/* An argument that does not parse (a flow, actions, an interface spec):
 * bad usage, but the message says all, so no pointer to --help. */
static int __attribute__((format(printf, 2, 3)))
dpctl_bad_arg(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dpctl_vreport(cmd, fmt, ap);
    va_end(ap);
    return XSWCTL_EXIT_USAGE;
}

/* The daemon's message, or for an error it gave no message for, what the
 * command was about: "No such file or directory" says nothing about a flow. */
static const char *
dpctl_errmsg(const struct xsw_err *err, int error, int bare_errno, const char *instead)
{
    if (error == -bare_errno && !strcmp(err->msg, strerror(bare_errno))) {
        return instead;
    }
    return err->msg;
}

/* Output that did not reach its reader (a full disk, a closed pipe) is a
 * failure, not a success with nothing to show. */
static int
dpctl_flush(const char *cmd, int status)
{
    if (fflush(stdout) || ferror(stdout)) {
        return dpctl_fail(cmd, "cannot write output: %s", strerror(errno));
    }
    return status;
}

/* --------------------------------------------------------------- options */

enum {
    DPCTL_OPT_STATS = 1 << 0,   /* -s, --statistics */
    DPCTL_OPT_MORE = 1 << 1,    /* -m, --more */
    DPCTL_OPT_CLEAR = 1 << 2,   /* --clear */
};

/* Parses the options in allowed; returns 0 with optind at the first
 * argument, or the usage exit status. */
static int
dpctl_options(int argc, char *argv[], unsigned int allowed, unsigned int *set)
{
    static const struct option longopts[] = {
        { "statistics", no_argument, NULL, 's' },
        { "more", no_argument, NULL, 'm' },
        { "clear", no_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *set = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+sm", longopts, NULL)) != -1) {
        unsigned int bit = c == 's' ? DPCTL_OPT_STATS
                           : c == 'm' ? DPCTL_OPT_MORE
                           : c == 'c' ? DPCTL_OPT_CLEAR : 0;

        if (!(bit & allowed)) {
            return xswctl_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
        *set |= bit;
    }
    return 0;
}

/* ------------------------------------------------------------ connection */

static void
dpctl_close(struct dpctl *d)
{
    ctl_client_close(d->client);
    free(d->req);
    memset(d, 0, sizeof *d);
}

/* Connects and, for the OVS commands, resolves the three families.  Returns
 * 0 or the exit status, having said why. */
static int
dpctl_open(struct dpctl *d, const struct xswctl_opts *opts, const char *cmd, bool ovs)
{
    struct xsw_err err = { "" };
    int error;

    memset(d, 0, sizeof *d);
    d->opts = opts;
    d->cmd = cmd;
    d->req = malloc(CTL_MSG_MAX);
    if (!d->req) {
        return dpctl_fail(cmd, "out of memory");
    }
    error = ctl_client_connect(opts->socket_path, opts->timeout_ms, &d->client, &err);
    if (error) {
        fprintf(stderr, "xswctl: %s\n", err.msg);
        dpctl_close(d);
        return XSWCTL_EXIT_FAIL;
    }
    for (int i = 0; ovs && i < DPCTL_N_FAMS; i++) {
        error = ctl_client_resolve(d->client, dpctl_family_names[i], &d->fam[i], &err);
        if (error < 0) {
            dpctl_close(d);
            return dpctl_fail(cmd, "family %s: %s", dpctl_family_names[i], err.msg);
        }
    }
    return 0;
}

static struct nlmsghdr *
dpctl_start(struct dpctl *d, enum dpctl_family fam, uint8_t cmd, int dp_ifindex)
{
    return ctl_client_msg_start(d->req, &d->fam[fam], cmd, dp_ifindex);
}

/* ------------------------------------------------------------ attributes */

/* Indexes a run of attributes by type (types above max are skipped, as a
 * kernel-era client skips what a newer kernel adds).  -EPROTO if the run is
 * not well framed. */
static int
dpctl_attrs(const void *attrs, size_t len, const struct nlattr **tb, unsigned int max)
{
    const uint8_t *p = attrs;
    const uint8_t *end = p + len;

    memset(tb, 0, (max + 1) * sizeof *tb);
    while (p < end) {
        const struct nlattr *a = (const void *) p;
        uint16_t type;

        if (!mnl_attr_ok(a, (int) (end - p))) {
            return -EPROTO;
        }
        type = mnl_attr_get_type(a);
        if (type <= max) {
            tb[type] = a;
        }
        p += MNL_ALIGN(a->nla_len);
    }
    return 0;
}

/* The attributes of an OVS family message, and its dp_ifindex. */
static int
dpctl_msg_attrs(const struct nlmsghdr *nlh, int *dp_ifindex, const struct nlattr **tb,
                unsigned int max)
{
    struct ovs_header oh;
    const void *hdr;
    const void *attrs;
    size_t len;

    attrs = ctl_client_msg_attrs(nlh, sizeof oh, &hdr, &len);
    if (!attrs || !hdr) {
        return -EPROTO;
    }
    memcpy(&oh, hdr, sizeof oh);
    if (dp_ifindex) {
        *dp_ifindex = oh.dp_ifindex;
    }
    return dpctl_attrs(attrs, len, tb, max);
}

static bool
dpctl_get_u32(const struct nlattr *a, uint32_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) != sizeof(uint32_t)) {
        return false;
    }
    *v = mnl_attr_get_u32(a);
    return true;
}

static bool
dpctl_get_u64(const struct nlattr *a, uint64_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) != sizeof(uint64_t)) {
        return false;
    }
    *v = mnl_attr_get_u64(a);
    return true;
}

/* A NUL-terminated string, cut to size - 1 bytes if longer. */
static bool
dpctl_get_str(const struct nlattr *a, char *buf, size_t size)
{
    const char *s;
    size_t len;

    if (!a) {
        return false;
    }
    s = mnl_attr_get_payload(a);
    len = mnl_attr_get_payload_len(a);
    if (!len || !memchr(s, '\0', len)) {
        return false;
    }
    snprintf(buf, size, "%s", s);
    return true;
}

/* A struct of which at least min bytes were sent: an older peer may send a
 * shorter one (ovs_dp_megaflow_stats grew), the rest stays zero. */
static bool
dpctl_get_struct(const struct nlattr *a, void *out, size_t min, size_t size)
{
    size_t len;

    memset(out, 0, size);
    if (!a) {
        return false;
    }
    len = mnl_attr_get_payload_len(a);
    if (len < min) {
        return false;
    }
    memcpy(out, mnl_attr_get_payload(a), len < size ? len : size);
    return true;
}

/* ------------------------------------------------------------- datapaths */

struct dpctl_dp {
    char name[DPCTL_NAME_MAX];
    int ifindex;
    bool has_stats;
    bool has_mf;
    struct ovs_dp_stats stats;
    struct ovs_dp_megaflow_stats mf;
};

struct dpctl_dp_list {
    struct dpctl_dp *v;
    size_t n, cap;
};

static int
dpctl_parse_dp(const struct nlmsghdr *nlh, struct dpctl_dp *dp)
{
    const struct nlattr *tb[OVS_DP_ATTR_MAX + 1];

    memset(dp, 0, sizeof *dp);
    if (dpctl_msg_attrs(nlh, &dp->ifindex, tb, OVS_DP_ATTR_MAX)
        || !dpctl_get_str(tb[OVS_DP_ATTR_NAME], dp->name, sizeof dp->name)) {
        return -EPROTO;
    }
    dp->has_stats = dpctl_get_struct(tb[OVS_DP_ATTR_STATS], &dp->stats,
                                     sizeof dp->stats, sizeof dp->stats);
    dp->has_mf = dpctl_get_struct(tb[OVS_DP_ATTR_MEGAFLOW_STATS], &dp->mf,
                                  offsetof(struct ovs_dp_megaflow_stats, n_masks)
                                  + sizeof dp->mf.n_masks, sizeof dp->mf);
    return 0;
}

static int
dpctl_dp_list_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dpctl_dp_list *l = data;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct dpctl_dp *v = realloc(l->v, cap * sizeof *v);

        if (!v) {
            return -ENOMEM;
        }
        l->v = v;
        l->cap = cap;
    }
    if (dpctl_parse_dp(nlh, &l->v[l->n])) {
        return -EPROTO;
    }
    l->n++;
    return 0;
}

/* Every datapath, in the daemon's order.  Returns 0 or the exit status. */
static int
dpctl_list_dps(struct dpctl *d, struct dpctl_dp_list *l)
{
    struct xsw_err err = { "" };
    struct nlmsghdr *nlh;
    int error;

    memset(l, 0, sizeof *l);
    nlh = dpctl_start(d, DPCTL_FAM_DP, OVS_DP_CMD_GET, 0);
    error = ctl_client_dump(d->client, nlh, dpctl_dp_list_cb, l, &err);
    if (error) {
        return dpctl_fail(d->cmd, "listing datapaths: %s",
                          error == -EPROTO ? "malformed reply from xswd" : err.msg);
    }
    return 0;
}

/* The datapath called name.  Returns 0 or the exit status. */
static int
dpctl_get_dp(struct dpctl *d, const char *name, struct dpctl_dp *dp)
{
    struct xsw_err err = { "" };
    struct nlmsghdr *reply = NULL;
    struct nlmsghdr *nlh;
    int error;

    nlh = dpctl_start(d, DPCTL_FAM_DP, OVS_DP_CMD_GET, 0);
    if (!mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, OVS_DP_ATTR_NAME, name)) {
        return dpctl_bad_arg(d->cmd, "datapath name too long");
    }
    error = ctl_client_transact_one(d->client, nlh, &reply, &err);
    if (error) {
        /* Without a message of the daemon's, say which name was wrong. */
        if (error == -ENODEV && !strcmp(err.msg, strerror(ENODEV))) {
            return dpctl_fail(d->cmd, "no datapath named '%s'", name);
        }
        return dpctl_fail(d->cmd, "%s", err.msg);
    }
    error = reply ? dpctl_parse_dp(reply, dp) : -EPROTO;
    free(reply);
    if (error) {
        return dpctl_fail(d->cmd, "datapath '%s': malformed reply from xswd", name);
    }
    return 0;
}

/* The datapath a command works on: the one named, or else the only one.
 * Returns 0 or the exit status. */
static int
dpctl_resolve(struct dpctl *d, const char *name, struct dpctl_dp *dp)
{
    struct dpctl_dp_list l;
    struct xsw_err err = { "" };
    const char **names;
    int status;
    int idx;

    if (name) {
        return dpctl_get_dp(d, name, dp);
    }
    status = dpctl_list_dps(d, &l);
    if (status) {
        return status;
    }
    names = calloc(l.n + 1, sizeof *names);
    if (!names) {
        free(l.v);
        return dpctl_fail(d->cmd, "out of memory");
    }
    for (size_t i = 0; i < l.n; i++) {
        names[i] = l.v[i].name;
    }
    idx = xswctl_fmt_pick_dp(names, l.n, &err);
    if (idx >= 0) {
        *dp = l.v[idx];
        status = 0;
    } else if (idx == -EINVAL) {
        /* The command line must change: usage, not failure. */
        status = dpctl_bad_arg(d->cmd, "%s", err.msg);
    } else {
        status = dpctl_fail(d->cmd, "%s", err.msg);
    }
    free(names);
    free(l.v);
    return status;
}

/* ------------------------------------------------------------------ show */

struct dpctl_port_list {
    struct xswctl_port *v;
    size_t n, cap;
};

static void
dpctl_parse_port_options(const struct nlattr *a, struct xswctl_port *p)
{
    const struct nlattr *tb[XSW_VPORT_OPT_MAX + 1];
    uint32_t v;

    if (!a || dpctl_attrs(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), tb,
                          XSW_VPORT_OPT_MAX)) {
        return;
    }
    if (!dpctl_get_str(tb[XSW_VPORT_OPT_XDP_MODE], p->xdp_mode, sizeof p->xdp_mode)) {
        p->xdp_mode[0] = '\0';
    }
    p->has_queues = dpctl_get_u32(tb[XSW_VPORT_OPT_QUEUES], &p->queues);
    p->has_zc_queues = dpctl_get_u32(tb[XSW_VPORT_OPT_ZEROCOPY_QUEUES], &p->zc_queues);
    p->has_ifindex = dpctl_get_u32(tb[XSW_VPORT_OPT_IFINDEX], &p->ifindex);
    p->has_dev_queues = dpctl_get_u32(tb[XSW_VPORT_OPT_DEV_QUEUES], &p->dev_queues);
    if (tb[XSW_VPORT_OPT_DISPATCHER]
        && mnl_attr_get_payload_len(tb[XSW_VPORT_OPT_DISPATCHER]) == 1) {
        p->has_dispatcher = true;
        p->dispatcher = mnl_attr_get_u8(tb[XSW_VPORT_OPT_DISPATCHER]) != 0;
    } else if (dpctl_get_u32(tb[XSW_VPORT_OPT_DISPATCHER], &v)) {
        p->has_dispatcher = true;
        p->dispatcher = v != 0;
    }
}

static int
dpctl_port_list_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dpctl_port_list *l = data;
    const struct nlattr *tb[OVS_VPORT_ATTR_MAX + 1];
    struct xswctl_port *p;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct xswctl_port *v = realloc(l->v, cap * sizeof *v);

        if (!v) {
            return -ENOMEM;
        }
        l->v = v;
        l->cap = cap;
    }
    p = &l->v[l->n];
    memset(p, 0, sizeof *p);
    if (dpctl_msg_attrs(nlh, NULL, tb, OVS_VPORT_ATTR_MAX)
        || !dpctl_get_u32(tb[OVS_VPORT_ATTR_PORT_NO], &p->port_no)
        || !dpctl_get_u32(tb[OVS_VPORT_ATTR_TYPE], &p->type)
        || !dpctl_get_str(tb[OVS_VPORT_ATTR_NAME], p->name, sizeof p->name)) {
        return -EPROTO;
    }
    dpctl_parse_port_options(tb[OVS_VPORT_ATTR_OPTIONS], p);
    p->has_stats = dpctl_get_struct(tb[OVS_VPORT_ATTR_STATS], &p->stats,
                                    sizeof p->stats, sizeof p->stats);
    l->n++;
    return 0;
}

static int
dpctl_port_cmp(const void *a_, const void *b_)
{
    const struct xswctl_port *a = a_;
    const struct xswctl_port *b = b_;

    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

/* The ports of dp in number order.  Returns 0 or the exit status. */
static int
dpctl_list_ports(struct dpctl *d, const struct dpctl_dp *dp, struct dpctl_port_list *l)
{
    struct xsw_err err = { "" };
    struct nlmsghdr *nlh;
    int error;

    memset(l, 0, sizeof *l);
    nlh = dpctl_start(d, DPCTL_FAM_VPORT, OVS_VPORT_CMD_GET, dp->ifindex);
    error = ctl_client_dump(d->client, nlh, dpctl_port_list_cb, l, &err);
    if (error) {
        free(l->v);
        memset(l, 0, sizeof *l);
        return dpctl_fail(d->cmd, "%s: listing ports: %s", dp->name,
                          error == -EPROTO ? "malformed reply from xswd" : err.msg);
    }
    if (l->n) {
        qsort(l->v, l->n, sizeof *l->v, dpctl_port_cmp);
    }
    return 0;
}

static void
dpctl_json_port_stats(struct strbuf *sb, const struct ovs_vport_stats *s)
{
    strbuf_printf(sb, "{\"rx_packets\":%llu,\"rx_bytes\":%llu,\"rx_errors\":%llu,"
                  "\"rx_dropped\":%llu,\"tx_packets\":%llu,\"tx_bytes\":%llu,"
                  "\"tx_errors\":%llu,\"tx_dropped\":%llu}",
                  (unsigned long long) s->rx_packets, (unsigned long long) s->rx_bytes,
                  (unsigned long long) s->rx_errors, (unsigned long long) s->rx_dropped,
                  (unsigned long long) s->tx_packets, (unsigned long long) s->tx_bytes,
                  (unsigned long long) s->tx_errors, (unsigned long long) s->tx_dropped);
}

static void
dpctl_json_port(struct strbuf *sb, const struct xswctl_port *p)
{
    strbuf_printf(sb, "{\"port_no\":%"PRIu32",\"name\":", p->port_no);
    xswctl_fmt_json_string(sb, p->name);
    strbuf_puts(sb, ",\"type\":");
    xswctl_fmt_json_string(sb, xswctl_fmt_port_type(p->type));
    if (p->type == OVS_VPORT_TYPE_NETDEV) {
        if (p->xdp_mode[0]) {
            strbuf_puts(sb, ",\"xdp_mode\":");
            xswctl_fmt_json_string(sb, p->xdp_mode);
        }
        if (p->has_queues && p->has_zc_queues) {
            strbuf_printf(sb, ",\"bind_mode\":\"%s\"",
                          xswctl_fmt_bind_mode(p->queues, p->zc_queues));
        }
        if (p->has_queues) {
            strbuf_printf(sb, ",\"queues\":%"PRIu32, p->queues);
        }
        if (p->has_zc_queues) {
            strbuf_printf(sb, ",\"zerocopy_queues\":%"PRIu32, p->zc_queues);
        }
        if (p->has_dispatcher) {
            strbuf_printf(sb, ",\"dispatcher\":%s", p->dispatcher ? "true" : "false");
        }
        if (p->has_ifindex) {
            strbuf_printf(sb, ",\"ifindex\":%"PRIu32, p->ifindex);
        }
        if (p->has_dev_queues) {
            strbuf_printf(sb, ",\"dev_queues\":%"PRIu32, p->dev_queues);
        }
    }
    if (p->has_stats) {
        strbuf_puts(sb, ",\"stats\":");
        dpctl_json_port_stats(sb, &p->stats);
    }
    strbuf_putc(sb, '}');
}

static void
dpctl_json_dp(struct strbuf *sb, const struct dpctl_dp *dp, const struct dpctl_port_list *ports)
{
    strbuf_puts(sb, "  {\"name\":");
    xswctl_fmt_json_string(sb, dp->name);
    strbuf_printf(sb, ",\"dp_ifindex\":%d", dp->ifindex);
    if (dp->has_stats) {
        strbuf_printf(sb, ",\"lookups\":{\"hit\":%llu,\"missed\":%llu,\"lost\":%llu}"
                      ",\"flows\":%llu",
                      (unsigned long long) dp->stats.n_hit,
                      (unsigned long long) dp->stats.n_missed,
                      (unsigned long long) dp->stats.n_lost,
                      (unsigned long long) dp->stats.n_flows);
    }
    if (dp->has_stats && dp->has_mf) {
        strbuf_printf(sb, ",\"masks\":{\"hit\":%llu,\"total\":%"PRIu32",\"hit_per_pkt\":%.2f}",
                      (unsigned long long) dp->mf.n_mask_hit, (uint32_t) dp->mf.n_masks,
                      xswctl_fmt_hit_per_pkt(&dp->stats, &dp->mf));
    }
    strbuf_puts(sb, ",\"ports\":[");
    for (size_t i = 0; i < ports->n; i++) {
        strbuf_puts(sb, i ? ",\n    " : "\n    ");
        dpctl_json_port(sb, &ports->v[i]);
    }
    strbuf_puts(sb, ports->n ? "\n  ]}" : "]}");
}

static void
dpctl_text_dp(struct strbuf *sb, const struct dpctl_dp *dp, const struct dpctl_port_list *ports,
              bool stats)
{
    strbuf_printf(sb, "xsw@%s:\n", dp->name);
    if (dp->has_stats) {
        xswctl_fmt_dp_stats(sb, &dp->stats, dp->has_mf ? &dp->mf : NULL);
    }
    for (size_t i = 0; i < ports->n; i++) {
        xswctl_fmt_port(sb, &ports->v[i]);
        strbuf_putc(sb, '\n');
        if (stats && ports->v[i].has_stats) {
            xswctl_fmt_port_stats(sb, &ports->v[i].stats);
        }
    }
}

/* Prints one datapath; *first tracks the separators of the JSON array. */
static int
dpctl_show_one(struct dpctl *d, const struct dpctl_dp *dp, bool stats, bool *first)
{
    struct dpctl_port_list ports;
    struct strbuf sb;
    int status;

    status = dpctl_list_ports(d, dp, &ports);
    if (status) {
        return status;
    }
    strbuf_init(&sb);
    if (d->opts->json) {
        strbuf_puts(&sb, *first ? "\n" : ",\n");
        dpctl_json_dp(&sb, dp, &ports);
    } else {
        dpctl_text_dp(&sb, dp, &ports, stats);
    }
    *first = false;
    fputs(strbuf_cstr(&sb), stdout);
    strbuf_free(&sb);
    free(ports.v);
    return 0;
}

static int
cmd_show(const struct xswctl_opts *opts, int argc, char *argv[])
{
    struct dpctl d;
    unsigned int set;
    bool first = true;
    int status;

    status = dpctl_options(argc, argv, DPCTL_OPT_STATS, &set);
    if (status) {
        return status;
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        return status;
    }
    if (opts->json) {
        fputs("[", stdout);
    }
    if (optind < argc) {
        /* As ovs-dpctl: a datapath that cannot be shown does not keep the
         * others from being shown; the exit status tells. */
        for (int i = optind; i < argc; i++) {
            struct dpctl_dp dp;
            int s = dpctl_get_dp(&d, argv[i], &dp);

            if (!s) {
                s = dpctl_show_one(&d, &dp, set & DPCTL_OPT_STATS, &first);
            }
            if (s) {
                status = s;
            }
        }
    } else {
        struct dpctl_dp_list l;

        status = dpctl_list_dps(&d, &l);
        for (size_t i = 0; !status && i < l.n; i++) {
            status = dpctl_show_one(&d, &l.v[i], set & DPCTL_OPT_STATS, &first);
        }
        free(l.v);
    }
    if (opts->json) {
        fputs(first ? "]\n" : "\n]\n", stdout);
    }
    dpctl_close(&d);
    return dpctl_flush(argv[0], status);
}

/* ----------------------------------------------------------------- flows */

/* A FLOW argument: "[ufid:UUID,]KEY" or "ufid:UUID". */
struct dpctl_flow_arg {
    bool has_ufid;
    struct ufid ufid;
    bool has_key;
    struct nlmsghdr *key;       /* own CTL_MSG_MAX buffers */
    struct nlmsghdr *mask;
    struct nlmsghdr *actions;
};

static void
dpctl_flow_arg_free(struct dpctl_flow_arg *f)
{
    free(f->key);
    free(f->mask);
    free(f->actions);
    memset(f, 0, sizeof *f);
}

static struct nlmsghdr *
dpctl_nlbuf(void)
{
    void *buf = malloc(CTL_MSG_MAX);

    return buf ? mnl_nlmsg_put_header(buf) : NULL;
}

/* Parses FLOW (and ACTIONS when actions_s is not NULL).  need_key: the
 * command needs a key even when a UFID is given (the kernel's flow "new"
 * and "set" do).  Returns 0 or the exit status. */
static int
dpctl_parse_flow(const char *cmd, const char *flow_s, const char *actions_s, bool need_key,
                 struct dpctl_flow_arg *f)
{
    struct xsw_err err = { "" };
    const char *s = flow_s;

    memset(f, 0, sizeof *f);
    f->key = dpctl_nlbuf();
    f->mask = dpctl_nlbuf();
    f->actions = dpctl_nlbuf();
    if (!f->key || !f->mask || !f->actions) {
        dpctl_flow_arg_free(f);
        return dpctl_fail(cmd, "out of memory");
    }
    s += strspn(s, " \t");
    if (!strncmp(s, "ufid:", 5)) {
        int n = ufid_parse(s, &f->ufid);

        if (n <= 0 || (s[n] && !strchr(", \t", s[n]))) {
            dpctl_flow_arg_free(f);
            return dpctl_bad_arg(cmd, "bad UFID in '%s' (expected ufid:UUID)", flow_s);
        }
        f->has_ufid = true;
        s += n;
        s += strspn(s, ", \t");
    }
    if (*s) {
        if (odp_text_parse_key(s, f->key, f->mask, CTL_MSG_MAX, &err)) {
            dpctl_flow_arg_free(f);
            return dpctl_bad_arg(cmd, "bad flow: %s", err.msg);
        }
        f->has_key = true;
    } else if (need_key || !f->has_ufid) {
        dpctl_flow_arg_free(f);
        return dpctl_bad_arg(cmd, "FLOW needs a key%s", f->has_ufid ? " after the UFID" : "");
    }
    if (actions_s && odp_text_parse_actions(actions_s, f->actions, CTL_MSG_MAX, &err)) {
        dpctl_flow_arg_free(f);
        return dpctl_bad_arg(cmd, "bad actions: %s", err.msg);
    }
    return 0;
}

/* Appends the payload of src (attributes) as one nested attribute. */
static bool
dpctl_put_nested(struct nlmsghdr *nlh, uint16_t type, const struct nlmsghdr *src)
{
    return mnl_attr_put_check(nlh, CTL_MSG_MAX, type, mnl_nlmsg_get_payload_len(src),
                              mnl_nlmsg_get_payload(src));
}

/* Builds an OVS_FLOW_CMD_* request for dp from f.  with_mask and
 * with_actions: whether to send them (a delete sends only the key, as
 * ovs-dpctl: the kernel looks a flow up by its unmasked key). */
static struct nlmsghdr *
dpctl_flow_request(struct dpctl *d, uint8_t cmd, const struct dpctl_dp *dp,
                   const struct dpctl_flow_arg *f, bool with_mask, bool with_actions)
{
    struct nlmsghdr *nlh = dpctl_start(d, DPCTL_FAM_FLOW, cmd, dp->ifindex);

    if (f->has_ufid
        && !mnl_attr_put_check(nlh, CTL_MSG_MAX, OVS_FLOW_ATTR_UFID, UFID_LEN, &f->ufid)) {
        return NULL;
    }
    if (f->has_key && !dpctl_put_nested(nlh, OVS_FLOW_ATTR_KEY, f->key)) {
        return NULL;
    }
    /* An empty mask would mean "wildcard everything": leave it out, and the
     * flow matches its key exactly, as ovs-dpctl does. */
    if (with_mask && f->has_key && mnl_nlmsg_get_payload_len(f->mask)
        && !dpctl_put_nested(nlh, OVS_FLOW_ATTR_MASK, f->mask)) {
        return NULL;
    }
    if (with_actions && !dpctl_put_nested(nlh, OVS_FLOW_ATTR_ACTIONS, f->actions)) {
        return NULL;
    }
    return nlh;
}

/* A flow as OVS_FLOW_CMD_GET reports it; pointers into the message. */
struct dpctl_flow {
    const void *key, *mask, *actions;
    size_t key_len, mask_len, actions_len;
    bool has_ufid;
    struct ufid ufid;
    uint64_t packets, bytes, used_ms;
    uint16_t tcp_flags;
};

static int
dpctl_parse_flow_msg(const struct nlmsghdr *nlh, struct dpctl_flow *f)
{
    const struct nlattr *tb[OVS_FLOW_ATTR_MAX + 1];
    const struct nlattr *a;
    struct ovs_flow_stats st;

    memset(f, 0, sizeof *f);
    if (dpctl_msg_attrs(nlh, NULL, tb, OVS_FLOW_ATTR_MAX)) {
        return -EPROTO;
    }
    if ((a = tb[OVS_FLOW_ATTR_KEY])) {
        f->key = mnl_attr_get_payload(a);
        f->key_len = mnl_attr_get_payload_len(a);
    }
    if ((a = tb[OVS_FLOW_ATTR_MASK])) {
        f->mask = mnl_attr_get_payload(a);
        f->mask_len = mnl_attr_get_payload_len(a);
    }
    if ((a = tb[OVS_FLOW_ATTR_ACTIONS])) {
        f->actions = mnl_attr_get_payload(a);
        f->actions_len = mnl_attr_get_payload_len(a);
    }
    if ((a = tb[OVS_FLOW_ATTR_UFID])) {
        if (mnl_attr_get_payload_len(a) != UFID_LEN) {
            return -EPROTO;
        }
        memcpy(&f->ufid, mnl_attr_get_payload(a), UFID_LEN);
        f->has_ufid = true;
    }
    if (dpctl_get_struct(tb[OVS_FLOW_ATTR_STATS], &st, sizeof st, sizeof st)) {
        f->packets = st.n_packets;
        f->bytes = st.n_bytes;
    }
    if (tb[OVS_FLOW_ATTR_USED] && !dpctl_get_u64(tb[OVS_FLOW_ATTR_USED], &f->used_ms)) {
        return -EPROTO;
    }
    if ((a = tb[OVS_FLOW_ATTR_TCP_FLAGS])) {
        /* The kernel sends a u8 (the flags of the TCP header's byte 13). */
        if (mnl_attr_get_payload_len(a) == 1) {
            f->tcp_flags = mnl_attr_get_u8(a);
        } else if (mnl_attr_get_payload_len(a) == 2) {
            f->tcp_flags = mnl_attr_get_u16(a);
        } else {
            return -EPROTO;
        }
    }
    if (!f->key) {
        return -EPROTO;
    }
    return 0;
}

/* Milliseconds of CLOCK_MONOTONIC, the clock of OVS_FLOW_ATTR_USED. */
static uint64_t
dpctl_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* One flow as ovs-dpctl dump-flows prints it (verbose: its -m). */
static void
dpctl_text_flow(struct strbuf *sb, const struct dpctl_flow *f, bool verbose)
{
    if (verbose && f->has_ufid) {
        ufid_format(&f->ufid, sb);
        strbuf_puts(sb, ", ");
    }
    odp_text_format_key(f->key, f->key_len, f->mask_len ? f->mask : NULL, f->mask_len,
                        verbose, sb);
    strbuf_puts(sb, ", ");
    xswctl_fmt_flow_stats(sb, f->packets, f->bytes, f->used_ms, dpctl_now_ms(), f->tcp_flags);
    strbuf_puts(sb, ", actions:");
    odp_text_format_actions(f->actions, f->actions_len, sb);
}

static void
dpctl_json_flow(struct strbuf *sb, const struct dpctl_flow *f, bool verbose)
{
    struct strbuf text;

    strbuf_init(&text);
    strbuf_puts(sb, "{\"ufid\":");
    if (f->has_ufid) {
        char u[UFID_STRLEN];

        ufid_to_string(&f->ufid, u);
        xswctl_fmt_json_string(sb, u + strlen("ufid:"));
    } else {
        strbuf_puts(sb, "null");
    }
    odp_text_format_key(f->key, f->key_len, f->mask_len ? f->mask : NULL, f->mask_len,
                        verbose, &text);
    strbuf_puts(sb, ",\"match\":");
    xswctl_fmt_json_string(sb, strbuf_cstr(&text));
    strbuf_reset(&text);
    odp_text_format_actions(f->actions, f->actions_len, &text);
    strbuf_puts(sb, ",\"actions\":");
    xswctl_fmt_json_string(sb, strbuf_cstr(&text));
    strbuf_printf(sb, ",\"packets\":%llu,\"bytes\":%llu,\"used_ms\":",
                  (unsigned long long) f->packets, (unsigned long long) f->bytes);
    if (f->used_ms) {
        strbuf_printf(sb, "%llu",
                      (unsigned long long) xswctl_fmt_age_ms(f->used_ms, dpctl_now_ms()));
    } else {
        strbuf_puts(sb, "null");
    }
    strbuf_printf(sb, ",\"tcp_flags\":%u}", f->tcp_flags);
    strbuf_free(&text);
}

struct dpctl_dump_state {
    bool json;
    bool verbose;
    unsigned long n;
    struct strbuf sb;
};

static int
dpctl_dump_flow_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dpctl_dump_state *st = data;
    struct dpctl_flow f;

    if (dpctl_parse_flow_msg(nlh, &f)) {
        return -EPROTO;
    }
    strbuf_reset(&st->sb);
    if (st->json) {
        strbuf_puts(&st->sb, st->n ? ",\n  " : "\n  ");
        dpctl_json_flow(&st->sb, &f, st->verbose);
    } else {
        dpctl_text_flow(&st->sb, &f, st->verbose);
        strbuf_putc(&st->sb, '\n');
    }
    st->n++;
    fputs(strbuf_cstr(&st->sb), stdout);
    return 0;
}

static int
cmd_dump_flows(const struct xswctl_opts *opts, int argc, char *argv[])
{
    struct dpctl_dump_state st = { .json = opts->json };
    struct xsw_err err = { "" };
    const char *bridge;
    struct nlmsghdr *nlh;
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    int status, error;

    status = dpctl_options(argc, argv, DPCTL_OPT_MORE, &set);
    if (status) {
        return status;
    }
    if (xswctl_fmt_bridge_arg(argc - optind, argv + optind, 0, &bridge) < 0) {
        return xswctl_usage_error(argv[0], "expected at most one BRIDGE");
    }
    st.verbose = set & DPCTL_OPT_MORE;
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        return status;
    }
    status = dpctl_resolve(&d, bridge, &dp);
    if (status) {
        dpctl_close(&d);
        return status;
    }
    strbuf_init(&st.sb);
    if (st.json) {
        fputs("[", stdout);
    }
    nlh = dpctl_start(&d, DPCTL_FAM_FLOW, OVS_FLOW_CMD_GET, dp.ifindex);
    error = ctl_client_dump(d.client, nlh, dpctl_dump_flow_cb, &st, &err);
    if (st.json) {
        fputs(st.n ? "\n]\n" : "]\n", stdout);
    }
    if (error) {
        status = dpctl_fail(argv[0], "%s: %s", dp.name,
                            error == -EPROTO ? "malformed reply from xswd" : err.msg);
    }
    strbuf_free(&st.sb);
    dpctl_close(&d);
    return dpctl_flush(argv[0], status);
}

/* add-flow and mod-flow. */
static int
dpctl_put_flow(const struct xswctl_opts *opts, int argc, char *argv[], bool modify)
{
    struct dpctl_flow_arg f;
    struct xsw_err err = { "" };
    const char *bridge;
    struct nlmsghdr *nlh;
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    int first, status, error;

    status = dpctl_options(argc, argv, modify ? DPCTL_OPT_CLEAR : 0, &set);
    if (status) {
        return status;
    }
    first = xswctl_fmt_bridge_arg(argc - optind, argv + optind, 2, &bridge);
    if (first < 0) {
        return xswctl_usage_error(argv[0], "expected [BRIDGE] FLOW ACTIONS");
    }
    status = dpctl_parse_flow(argv[0], argv[optind + first], argv[optind + first + 1], true,
                              &f);
    if (status) {
        return status;
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        goto out_free;
    }
    status = dpctl_resolve(&d, bridge, &dp);
    if (status) {
        goto out_close;
    }
    nlh = dpctl_flow_request(&d, modify ? OVS_FLOW_CMD_SET : OVS_FLOW_CMD_NEW, &dp, &f,
                             true, true);
    if (nlh && modify && (set & DPCTL_OPT_CLEAR)
        && !mnl_attr_put_check(nlh, CTL_MSG_MAX, OVS_FLOW_ATTR_CLEAR, 0, NULL)) {
        nlh = NULL;
    }
    if (!nlh) {
        status = dpctl_bad_arg(argv[0], "flow and actions too long for one message");
        goto out_close;
    }
    if (!modify) {
        /* As ovs-dpctl add-flow: never replace a flow by mistake. */
        nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
    }
    error = ctl_client_transact(d.client, nlh, NULL, NULL, &err);
    if (error) {
        status = dpctl_fail(argv[0], "%s",
                            modify ? dpctl_errmsg(&err, error, ENOENT, "no such flow")
                                   : dpctl_errmsg(&err, error, EEXIST, "the flow exists already"));
    }

out_close:
    dpctl_close(&d);
out_free:
    dpctl_flow_arg_free(&f);
    return status;
}

static int
cmd_add_flow(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_put_flow(opts, argc, argv, false);
}

static int
cmd_mod_flow(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_put_flow(opts, argc, argv, true);
}

/* del-flow and get-flow. */
static int
dpctl_flow_by_id(const struct xswctl_opts *opts, int argc, char *argv[], bool get)
{
    struct dpctl_flow_arg f;
    struct xsw_err err = { "" };
    struct nlmsghdr *reply = NULL;
    const char *bridge;
    struct nlmsghdr *nlh;
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    int first, status, error;

    status = dpctl_options(argc, argv, get ? DPCTL_OPT_MORE : 0, &set);
    if (status) {
        return status;
    }
    first = xswctl_fmt_bridge_arg(argc - optind, argv + optind, 1, &bridge);
    if (first < 0) {
        return xswctl_usage_error(argv[0], "expected [BRIDGE] FLOW|ufid:UUID");
    }
    status = dpctl_parse_flow(argv[0], argv[optind + first], NULL, false, &f);
    if (status) {
        return status;
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        dpctl_flow_arg_free(&f);
        return status;
    }
    status = dpctl_resolve(&d, bridge, &dp);
    if (status) {
        goto out;
    }
    nlh = dpctl_flow_request(&d, get ? OVS_FLOW_CMD_GET : OVS_FLOW_CMD_DEL, &dp, &f,
                             false, false);
    if (!nlh) {
        status = dpctl_bad_arg(argv[0], "flow too long for one message");
        goto out;
    }
    error = ctl_client_transact_one(d.client, nlh, &reply, &err);
    if (error) {
        status = dpctl_fail(argv[0], "%s", dpctl_errmsg(&err, error, ENOENT, "no such flow"));
        if (error == -ENOENT && !f.has_ufid) {
            /* A flow installed by the slow path has a key with every field;
             * the masked text of dump-flows is not it. */
            fprintf(stderr, "xswctl: %s: perhaps the flow has a UFID: see 'dump-flows -m'\n",
                    argv[0]);
        }
        goto out;
    }
    if (get) {
        struct dpctl_flow fl;
        struct strbuf sb;

        if (!reply || dpctl_parse_flow_msg(reply, &fl)) {
            status = dpctl_fail(argv[0], "malformed reply from xswd");
            goto out;
        }
        strbuf_init(&sb);
        if (opts->json) {
            dpctl_json_flow(&sb, &fl, set & DPCTL_OPT_MORE);
        } else {
            dpctl_text_flow(&sb, &fl, set & DPCTL_OPT_MORE);
        }
        puts(strbuf_cstr(&sb));
        strbuf_free(&sb);
    }

out:
    free(reply);
    dpctl_close(&d);
    dpctl_flow_arg_free(&f);
    return dpctl_flush(argv[0], status);
}

static int
cmd_del_flow(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_flow_by_id(opts, argc, argv, false);
}

static int
cmd_get_flow(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_flow_by_id(opts, argc, argv, true);
}

static int
cmd_del_flows(const struct xswctl_opts *opts, int argc, char *argv[])
{
    struct xsw_err err = { "" };
    const char *bridge;
    struct nlmsghdr *nlh;
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    int status;

    status = dpctl_options(argc, argv, 0, &set);
    if (status) {
        return status;
    }
    if (xswctl_fmt_bridge_arg(argc - optind, argv + optind, 0, &bridge) < 0) {
        return xswctl_usage_error(argv[0], "expected at most one BRIDGE");
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        return status;
    }
    status = dpctl_resolve(&d, bridge, &dp);
    if (!status) {
        /* A delete with neither key nor UFID flushes the table (the
         * kernel's ovs_flow_cmd_del). */
        nlh = dpctl_start(&d, DPCTL_FAM_FLOW, OVS_FLOW_CMD_DEL, dp.ifindex);
        if (ctl_client_transact(d.client, nlh, NULL, NULL, &err)) {
            status = dpctl_fail(argv[0], "%s", err.msg);
        }
    }
    dpctl_close(&d);
    return status;
}

/* ----------------------------------------------------------------- ports */

static int
cmd_add_if(const struct xswctl_opts *opts, int argc, char *argv[])
{
    struct xswctl_if_spec *specs;
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    bool dp_found;
    int n, status;

    status = dpctl_options(argc, argv, 0, &set);
    if (status) {
        return status;
    }
    if (argc - optind < 2) {
        return xswctl_usage_error(argv[0], "expected BRIDGE IFACE[,OPTION=VALUE...]...");
    }
    n = argc - optind - 1;
    specs = calloc((size_t) n, sizeof *specs);
    if (!specs) {
        return dpctl_fail(argv[0], "out of memory");
    }
    for (int i = 0; i < n; i++) {
        struct xsw_err err = { "" };

        if (xswctl_fmt_parse_if(argv[optind + 1 + i], &specs[i], &err)) {
            free(specs);
            return dpctl_bad_arg(argv[0], "'%s': %s", argv[optind + 1 + i], err.msg);
        }
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        free(specs);
        return status;
    }
    status = dpctl_get_dp(&d, argv[optind], &dp);
    dp_found = !status;
    /* As ovs-dpctl: each interface on its own; one failing does not stop
     * the others, the exit status tells. */
    for (int i = 0; dp_found && i < n; i++) {
        const struct xswctl_if_spec *s = &specs[i];
        struct xsw_err err = { "" };
        struct nlmsghdr *nlh;
        struct nlattr *nest;
        bool ok;

        nlh = dpctl_start(&d, DPCTL_FAM_VPORT, OVS_VPORT_CMD_NEW, dp.ifindex);
        /* Upcall port id 0: the datapath's upcall target, not this
         * short-lived connection (the kernel insists on the attribute). */
        ok = mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_NAME, s->name)
             && mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_TYPE,
                                       OVS_VPORT_TYPE_NETDEV)
             && mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_UPCALL_PID, 0)
             && (!s->port_no
                 || mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_PORT_NO,
                                           s->port_no));
        nest = NULL;
        if (ok && (s->xdp_mode || s->zero_copy || s->has_queues)) {
            nest = mnl_attr_nest_start_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_OPTIONS);
            ok = nest != NULL;
        }
        ok = ok
             && (!s->xdp_mode
                 || mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, XSW_VPORT_OPT_XDP_MODE,
                                            s->xdp_mode))
             && (!s->zero_copy
                 || mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, XSW_VPORT_OPT_ZERO_COPY,
                                            s->zero_copy))
             && (!s->has_queues
                 || mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, XSW_VPORT_OPT_QUEUES,
                                           s->queues));
        if (!ok) {
            status = dpctl_fail(argv[0], "%s: request too long", s->name);
            continue;
        }
        if (nest) {
            mnl_attr_nest_end(nlh, nest);
        }
        if (ctl_client_transact(d.client, nlh, NULL, NULL, &err)) {
            status = dpctl_fail(argv[0], "%s", err.msg);
        }
    }
    dpctl_close(&d);
    free(specs);
    return status;
}

static int
cmd_del_if(const struct xswctl_opts *opts, int argc, char *argv[])
{
    struct dpctl_dp dp;
    struct dpctl d;
    unsigned int set;
    int status;

    status = dpctl_options(argc, argv, 0, &set);
    if (status) {
        return status;
    }
    if (argc - optind < 2) {
        return xswctl_usage_error(argv[0], "expected BRIDGE IFACE...");
    }
    for (int i = optind + 1; i < argc; i++) {
        if (!argv[i][0] || strlen(argv[i]) >= IF_NAMESIZE) {
            return dpctl_bad_arg(argv[0], "'%s' is not an interface name or port number",
                                 argv[i]);
        }
    }
    status = dpctl_open(&d, opts, argv[0], true);
    if (status) {
        return status;
    }
    status = dpctl_get_dp(&d, argv[optind], &dp);
    if (status) {
        dpctl_close(&d);
        return status;
    }
    for (int i = optind + 1; i < argc; i++) {
        const char *name = argv[i];
        struct xsw_err err = { "" };
        struct nlmsghdr *nlh;
        int error;
        bool ok;

        nlh = dpctl_start(&d, DPCTL_FAM_VPORT, OVS_VPORT_CMD_DEL, dp.ifindex);
        /* As ovs-dpctl: all digits is a port number. */
        if (!name[strspn(name, "0123456789")]) {
            ok = mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_PORT_NO,
                                        (uint32_t) strtoul(name, NULL, 10));
        } else {
            ok = mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, OVS_VPORT_ATTR_NAME, name);
        }
        error = ok ? ctl_client_transact(d.client, nlh, NULL, NULL, &err) : 0;
        if (error == -ENODEV && !strcmp(err.msg, strerror(ENODEV))) {
            status = dpctl_fail(argv[0], "%s: no such port in %s", name, dp.name);
        } else if (error) {
            status = dpctl_fail(argv[0], "%s", err.msg);
        }
    }
    dpctl_close(&d);
    return status;
}

/* --------------------------------------------------------------- xsw_ctl */

/* Runs an xsw_ctl command and prints its answer: to stdout when it
 * succeeded, as the error message when it did not. */
static int
dpctl_exec(const struct xswctl_opts *opts, const char *cmd, int argc, const char *const *argv)
{
    struct xsw_err err = { "" };
    uint32_t exit_status = 0;
    char *reply = NULL;
    struct dpctl d;
    size_t len;
    int status;

    status = dpctl_open(&d, opts, cmd, false);
    if (status) {
        return status;
    }
    if (ctl_client_exec(d.client, argc, argv,
                        opts->json ? XSW_CTL_FORMAT_JSON : XSW_CTL_FORMAT_TEXT,
                        &reply, &exit_status, &err)) {
        dpctl_close(&d);
        return dpctl_fail(cmd, "%s", err.msg);
    }
    dpctl_close(&d);
    len = strlen(reply);
    if (exit_status) {
        while (len && reply[len - 1] == '\n') {
            reply[--len] = '\0';
        }
        if (len) {
            status = dpctl_fail(cmd, "%s", reply);
        } else {
            status = dpctl_fail(cmd, "failed (status %"PRIu32")", exit_status);
        }
    } else if (len) {
        fputs(reply, stdout);
        if (reply[len - 1] != '\n') {
            putchar('\n');
        }
    }
    free(reply);
    return dpctl_flush(cmd, status);
}

static int
cmd_pmd_stats(const struct xswctl_opts *opts, int argc, char *argv[])
{
    static const char *const show[] = { "pmd-stats" };
    static const char *const clear[] = { "pmd-stats-clear" };
    unsigned int set;
    int status = dpctl_options(argc, argv, DPCTL_OPT_CLEAR, &set);

    if (status) {
        return status;
    }
    if (optind != argc) {
        return xswctl_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    }
    return dpctl_exec(opts, argv[0], 1, set & DPCTL_OPT_CLEAR ? clear : show);
}

static int
cmd_log_level(const struct xswctl_opts *opts, int argc, char *argv[])
{
    static const char *const levels[] = { "error", "warn", "info", "debug" };
    const char *args[2] = { "log-level", NULL };
    unsigned int set;
    int status = dpctl_options(argc, argv, 0, &set);

    if (status) {
        return status;
    }
    if (argc - optind > 1) {
        return xswctl_usage_error(argv[0], "expected at most one LEVEL");
    }
    if (optind < argc) {
        size_t i;

        for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
            if (!strcmp(argv[optind], levels[i])) {
                break;
            }
        }
        if (i == sizeof levels / sizeof levels[0]) {
            return dpctl_bad_arg(argv[0], "'%s': expected error, warn, info or debug",
                                 argv[optind]);
        }
        args[1] = argv[optind];
    }
    return dpctl_exec(opts, argv[0], args[1] ? 2 : 1, args);
}

/* Commands xswd serves by name with no argument (upcall-stats, reload,
 * version): the command line is passed on as it is. */
static int
cmd_exec_noargs(const struct xswctl_opts *opts, int argc, char *argv[])
{
    const char *const args[] = { argv[0] };
    unsigned int set;
    int status = dpctl_options(argc, argv, 0, &set);

    if (status) {
        return status;
    }
    if (optind != argc) {
        return xswctl_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    }
    return dpctl_exec(opts, argv[0], 1, args);
}

/* Commands xswd serves by name with at most one BRIDGE argument: the
 * learning switch's tables and the revalidator. */
static int
dpctl_bridge_cmd(const struct xswctl_opts *opts, int argc, char *argv[], bool bridge_required)
{
    const char *args[2] = { argv[0], NULL };
    unsigned int set;
    int status = dpctl_options(argc, argv, 0, &set);

    if (status) {
        return status;
    }
    if (argc - optind > 1) {
        return xswctl_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    }
    if (optind == argc && bridge_required) {
        return xswctl_usage_error(argv[0], "expected a BRIDGE");
    }
    if (optind < argc) {
        args[1] = argv[optind];
    }
    return dpctl_exec(opts, argv[0], optind < argc ? 2 : 1, args);
}

static int
cmd_fdb_show(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_bridge_cmd(opts, argc, argv, true);
}

static int
cmd_fdb_flush(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_bridge_cmd(opts, argc, argv, false);
}

static int
cmd_fdb_stats(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_bridge_cmd(opts, argc, argv, true);
}

static int
cmd_revalidator_show(const struct xswctl_opts *opts, int argc, char *argv[])
{
    return dpctl_bridge_cmd(opts, argc, argv, true);
}

const struct xswctl_cmd xswctl_dpctl_cmds[] = {
    { "show", "[-s] [BRIDGE...]",
      "datapaths: lookups, flows, masks, ports (-s: port counters)", cmd_show },
    { "dump-flows", "[-m] [BRIDGE]",
      "print the datapath flows (-m: UFIDs and every field)", cmd_dump_flows },
    { "add-flow", "[BRIDGE] FLOW ACTIONS",
      "install a flow; FLOW may start with ufid:UUID,", cmd_add_flow },
    { "mod-flow", "[--clear] [BRIDGE] FLOW ACTIONS",
      "change a flow's actions (--clear: zero its statistics)", cmd_mod_flow },
    { "del-flow", "[BRIDGE] FLOW|ufid:UUID",
      "remove one flow", cmd_del_flow },
    { "get-flow", "[-m] [BRIDGE] FLOW|ufid:UUID",
      "print one flow as dump-flows does", cmd_get_flow },
    { "del-flows", "[BRIDGE]",
      "remove every flow of a datapath", cmd_del_flows },
    { "add-if", "BRIDGE IFACE[,port_no=N][,xdp_mode=M][,zero_copy=Z][,queues=Q]...",
      "attach interfaces through AF_XDP", cmd_add_if },
    { "del-if", "BRIDGE IFACE|PORT...",
      "detach interfaces", cmd_del_if },
    { "fdb-show", "BRIDGE",
      "the learned MAC table: port, VLAN, MAC, age", cmd_fdb_show },
    { "fdb-flush", "[BRIDGE]",
      "forget every learned MAC (of one bridge, or all)", cmd_fdb_flush },
    { "fdb-stats", "BRIDGE",
      "MAC table counters: entries, learned, moved, expired, overflow", cmd_fdb_stats },
    { "revalidator-show", "BRIDGE",
      "flow aging and revalidation: idle timeout, flow limit, passes", cmd_revalidator_show },
    { "reload", "",
      "re-read xswd's configuration file and apply what changed", cmd_exec_noargs },
    { "upcall-stats", "",
      "upcall queues: queued, lost, handled, and where upcalls go", cmd_exec_noargs },
    { "pmd-stats", "[--clear]",
      "per-worker packet and cache counters (--clear: zero them)", cmd_pmd_stats },
    { "log-level", "[LEVEL]",
      "show or set xswd's log level (error, warn, info, debug)", cmd_log_level },
    { "version", "",
      "xswd's version", cmd_exec_noargs },
    { NULL, NULL, NULL, NULL },
};
