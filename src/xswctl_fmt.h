/* xswctl_fmt: the pure parts of xswctl's daemon commands: the add-if
 * argument, which datapath a command means when none is named, and the text
 * that ovs-dpctl writes for datapaths, ports and flow statistics (show,
 * dump-flows), plus the JSON string quoting of --json.
 *
 * Pure; any thread.  Output is appended to the caller's strbuf; parse errors
 * return a negative errno with err->msg saying what was wrong. */
#ifndef XSW_XSWCTL_FMT_H
#define XSW_XSWCTL_FMT_H 1

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/openvswitch.h>

#include "strbuf.h"
#include "xsw_err.h"

/* ------------------------------------------------------------- arguments */

/* "IFACE[,port_no=N][,xdp_mode=auto|native|skb][,zero_copy=auto|yes|no]
 * [,queues=all|N]" of add-if: the keys and ranges of a [port.NAME] section
 * of xsw.ini, so that a port added by hand is one the INI could describe. */
struct xswctl_if_spec {
    char name[IF_NAMESIZE];
    uint32_t port_no;           /* 0: not given, the daemon picks one */
    const char *xdp_mode;       /* NULL: not given; else a static string */
    const char *zero_copy;      /* NULL: not given; else a static string */
    bool has_queues;
    uint32_t queues;            /* 0: every rx queue ("all") */
};

#define XSWCTL_IF_MAX_PORT_NO 65535
#define XSWCTL_IF_MAX_QUEUES 256

/* Parses arg into *spec.  -EINVAL with a message naming the option for an
 * unknown or repeated key, a bad value, or a bad interface name. */
int xswctl_fmt_parse_if(const char *arg, struct xswctl_if_spec *spec,
                        struct xsw_err *err);

/* Commands whose first argument, BRIDGE, may be left out (as ovs-dpctl's):
 * nargs arguments follow the options, of which n_after come after BRIDGE.
 * Sets *bridge to args[0] or NULL and returns the index of the first
 * argument after BRIDGE (0 or 1), or -EINVAL if nargs is neither n_after
 * nor n_after + 1. */
int xswctl_fmt_bridge_arg(int nargs, char *const args[], int n_after,
                          const char **bridge);

/* The datapath meant when none is named: the only one.  Returns its index,
 * -ENODEV "no datapath exists" when there is none, or -EINVAL
 * "several datapaths: name one (br0, br1)" when there are several. */
int xswctl_fmt_pick_dp(const char *const *names, size_t n, struct xsw_err *err);

/* ------------------------------------------------------------------ show */

/* A vport as OVS_VPORT_CMD_GET reports it. */
struct xswctl_port {
    uint32_t port_no;
    uint32_t type;                  /* OVS_VPORT_TYPE_* */
    char name[IF_NAMESIZE];
    /* From OVS_VPORT_ATTR_OPTIONS (AF_XDP ports); has_* false when absent. */
    char xdp_mode[16];              /* "" when absent */
    bool has_queues, has_zc_queues, has_dispatcher, has_ifindex, has_dev_queues;
    uint32_t queues;                /* sockets, one per rx queue served */
    uint32_t zc_queues;             /* of them bound zero-copy */
    bool dispatcher;
    uint32_t ifindex;
    uint32_t dev_queues;
    bool has_stats;
    struct ovs_vport_stats stats;
};

/* "internal", "afxdp" (OVS_VPORT_TYPE_NETDEV: xsw's device ports) or the
 * kernel's name of another type; "unknown" past those. */
const char *xswctl_fmt_port_type(uint32_t type);

/* "zero-copy" when every socket is bound zero-copy, "copy" when none is,
 * "mixed" otherwise. */
const char *xswctl_fmt_bind_mode(uint32_t queues, uint32_t zc_queues);

/* "  port 1: veth0 (afxdp: xdp=native, copy, queues=1, dispatcher)", no
 * newline.  Parts the port did not report are left out. */
void xswctl_fmt_port(struct strbuf *sb, const struct xswctl_port *port);

/* The four counter lines of ovs-dpctl show -s, each ending in a newline. */
void xswctl_fmt_port_stats(struct strbuf *sb, const struct ovs_vport_stats *s);

/* " (1.5 KiB)" and so on, nothing below 1024, as ovs-dpctl. */
void xswctl_fmt_human_size(struct strbuf *sb, uint64_t bytes);

/* The lines after "xsw@NAME:": lookups and flows, then masks when mf is not
 * NULL.  hit/pkt is n_mask_hit over the packets looked up. */
void xswctl_fmt_dp_stats(struct strbuf *sb, const struct ovs_dp_stats *st,
                         const struct ovs_dp_megaflow_stats *mf);

/* Mask lookups per packet, 0 with no packets. */
double xswctl_fmt_hit_per_pkt(const struct ovs_dp_stats *st,
                              const struct ovs_dp_megaflow_stats *mf);

/* ----------------------------------------------------------------- flows */

/* How long ago a flow was used: now_ms - used_ms, or 0 for a time after
 * now (two clocks read a little apart). */
uint64_t xswctl_fmt_age_ms(uint64_t used_ms, uint64_t now_ms);

/* TCP flags as tcpdump letters in OVS's order, "SFPRU.ECN", then "[200]"
 * etc. for the bits above; "none" for 0. */
void xswctl_fmt_tcp_flags(struct strbuf *sb, uint16_t flags);

/* "packets:N, bytes:N, used:S.MMMs" (seconds, 3 decimals; "used:never" when used_ms is 0), then
 * ", flags:..." when tcp_flags is not 0. */
void xswctl_fmt_flow_stats(struct strbuf *sb, uint64_t packets, uint64_t bytes,
                           uint64_t used_ms, uint64_t now_ms, uint16_t tcp_flags);

/* ------------------------------------------------------------------ JSON */

/* s as a JSON string, quotes included; bytes that are not valid UTF-8 are
 * written as U+FFFD so that the document stays valid. */
void xswctl_fmt_json_string(struct strbuf *sb, const char *s);

#endif /* XSW_XSWCTL_FMT_H */
