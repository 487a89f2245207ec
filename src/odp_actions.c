/* odp_actions: OVS_ACTION_ATTR_* lists, validated by the kernel's rules (see
 * net/openvswitch/flow_netlink.c, __ovs_nla_copy_actions and its helpers) so
 * that a client written for the kernel module gets the same verdicts. */
#include "odp_actions.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_ether.h>

/* The kernel's DP_MAX_PORTS: port numbers are 16 bits wide inside it. */
#define DP_PORTS 65536u

/* The 802.1Q CFI bit, which the kernel reuses to mean "a tag is present":
 * without it a pushed tag would read as no tag at all. */
#define VLAN_CFI 0x1000

/* Long enough for the deepest path: 5 digits at the top (a list holds at
 * most 16382 attributes) and ".NNNNN" for each of the nested levels. */
#define PATH_SIZE (8 + 6 * (ODP_ACTIONS_MAX_DEPTH + 1))

struct walk {
    struct xsw_err *err;
    char path[PATH_SIZE];       /* position of the action being checked */
};

static const char *const action_names[] = {
    [OVS_ACTION_ATTR_OUTPUT] = "output",
    [OVS_ACTION_ATTR_USERSPACE] = "userspace",
    [OVS_ACTION_ATTR_SET] = "set",
    [OVS_ACTION_ATTR_PUSH_VLAN] = "push_vlan",
    [OVS_ACTION_ATTR_POP_VLAN] = "pop_vlan",
    [OVS_ACTION_ATTR_SAMPLE] = "sample",
    [OVS_ACTION_ATTR_RECIRC] = "recirc",
    [OVS_ACTION_ATTR_HASH] = "hash",
    [OVS_ACTION_ATTR_PUSH_MPLS] = "push_mpls",
    [OVS_ACTION_ATTR_POP_MPLS] = "pop_mpls",
    [OVS_ACTION_ATTR_SET_MASKED] = "set",
    [OVS_ACTION_ATTR_CT] = "ct",
    [OVS_ACTION_ATTR_TRUNC] = "trunc",
    [OVS_ACTION_ATTR_PUSH_ETH] = "push_eth",
    [OVS_ACTION_ATTR_POP_ETH] = "pop_eth",
    [OVS_ACTION_ATTR_CT_CLEAR] = "ct_clear",
    [OVS_ACTION_ATTR_PUSH_NSH] = "push_nsh",
    [OVS_ACTION_ATTR_POP_NSH] = "pop_nsh",
    [OVS_ACTION_ATTR_METER] = "meter",
    [OVS_ACTION_ATTR_CLONE] = "clone",
    [OVS_ACTION_ATTR_CHECK_PKT_LEN] = "check_pkt_len",
    [OVS_ACTION_ATTR_ADD_MPLS] = "add_mpls",
    [OVS_ACTION_ATTR_DEC_TTL] = "dec_ttl",
    [ODP_ACTION_ATTR_DROP] = "drop",
    [ODP_ACTION_ATTR_PSAMPLE] = "psample",
};

const char *
odp_action_name(unsigned int type)
{
    if (type < sizeof action_names / sizeof action_names[0]) {
        return action_names[type];
    }
    return NULL;
}

/* OVS_KEY_ATTR_* names as OVS writes them, for the messages about set. */
static const char *
key_name(unsigned int type, char *buf, size_t size)
{
    static const char *const names[] = {
        [OVS_KEY_ATTR_ENCAP] = "encap",
        [OVS_KEY_ATTR_PRIORITY] = "skb_priority",
        [OVS_KEY_ATTR_IN_PORT] = "in_port",
        [OVS_KEY_ATTR_ETHERNET] = "eth",
        [OVS_KEY_ATTR_VLAN] = "vlan",
        [OVS_KEY_ATTR_ETHERTYPE] = "eth_type",
        [OVS_KEY_ATTR_IPV4] = "ipv4",
        [OVS_KEY_ATTR_IPV6] = "ipv6",
        [OVS_KEY_ATTR_TCP] = "tcp",
        [OVS_KEY_ATTR_UDP] = "udp",
        [OVS_KEY_ATTR_ICMP] = "icmp",
        [OVS_KEY_ATTR_ICMPV6] = "icmpv6",
        [OVS_KEY_ATTR_ARP] = "arp",
        [OVS_KEY_ATTR_ND] = "nd",
        [OVS_KEY_ATTR_SKB_MARK] = "skb_mark",
        [OVS_KEY_ATTR_TUNNEL] = "tunnel",
        [OVS_KEY_ATTR_SCTP] = "sctp",
        [OVS_KEY_ATTR_TCP_FLAGS] = "tcp_flags",
        [OVS_KEY_ATTR_DP_HASH] = "dp_hash",
        [OVS_KEY_ATTR_RECIRC_ID] = "recirc_id",
        [OVS_KEY_ATTR_MPLS] = "mpls",
        [OVS_KEY_ATTR_CT_STATE] = "ct_state",
        [OVS_KEY_ATTR_CT_ZONE] = "ct_zone",
        [OVS_KEY_ATTR_CT_MARK] = "ct_mark",
        [OVS_KEY_ATTR_CT_LABELS] = "ct_label",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = "ct_tuple4",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = "ct_tuple6",
        [OVS_KEY_ATTR_NSH] = "nsh",
        [OVS_KEY_ATTR_PACKET_TYPE] = "packet_type",
        [OVS_KEY_ATTR_ND_EXTENSIONS] = "nd_ext",
    };

    if (type < sizeof names / sizeof names[0] && names[type]) {
        return names[type];
    }
    snprintf(buf, size, "key%u", type);
    return buf;
}

/* "action PATH: WHAT", for problems found before the action has a name
 * worth giving (a broken header, an unknown or unsupported type). */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct walk *w, int error, const char *fmt, ...)
{
    char what[sizeof w->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return xsw_err_set(w->err, error, "action %s: %s", w->path, what);
}

/* "action PATH (NAME): WHAT". */
static int __attribute__((format(printf, 4, 5)))
act_fail(struct walk *w, int error, unsigned int type, const char *fmt, ...)
{
    char what[sizeof w->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return xsw_err_set(w->err, error, "action %s (%s): %s",
                       w->path, odp_action_name(type), what);
}

/* Returns the attribute that starts 'off' bytes into data[len], or NULL with
 * the reason in 'why' if the bytes there cannot hold one.  Everything after
 * this check may trust nla_len. */
static const struct nlattr *
attr_at(const void *data, size_t len, size_t off, char *why, size_t why_size)
{
    const struct nlattr *a = (const struct nlattr *) ((const char *) data + off);
    size_t left = len - off;

    if (left < MNL_ATTR_HDRLEN) {
        snprintf(why, why_size,
                 "%zu trailing byte%s, too few for an attribute header",
                 left, left == 1 ? "" : "s");
        return NULL;
    }
    if (a->nla_len < MNL_ATTR_HDRLEN) {
        snprintf(why, why_size, "attribute length %u is shorter than its "
                 "%zu-byte header", a->nla_len, (size_t) MNL_ATTR_HDRLEN);
        return NULL;
    }
    if (a->nla_len > left) {
        snprintf(why, why_size, "attribute length %u runs past the end of "
                 "the list (%zu bytes left)", a->nla_len, left);
        return NULL;
    }
    return a;
}

/* Offset of the attribute after 'a' (at 'off').  The last attribute of a list
 * may lack its padding (the kernel accepts that), so the result may exceed
 * len: callers loop while it is below. */
static size_t
next_off(const struct nlattr *a, size_t off)
{
    return off + (size_t) MNL_ALIGN(a->nla_len);
}

static int
check_len(struct walk *w, unsigned int type, size_t got, size_t want)
{
    if (got != want) {
        return act_fail(w, EINVAL, type, "payload of %zu bytes, expected %zu",
                        got, want);
    }
    return 0;
}

static int validate_list(struct walk *, const void *data, size_t len,
                         unsigned int depth);

/* Nested lists are checked with the path extended by their position; the
 * path is put back afterwards so later messages name the outer action. */
static int
validate_nested(struct walk *w, unsigned int type, const void *data,
                size_t len, unsigned int depth)
{
    size_t path_len = strlen(w->path);
    int error;

    if (depth + 1 > ODP_ACTIONS_MAX_DEPTH) {
        return act_fail(w, EOVERFLOW, type, "action lists nested more than "
                        "%d deep", ODP_ACTIONS_MAX_DEPTH);
    }
    error = validate_list(w, data, len, depth + 1);
    w->path[path_len] = '\0';
    return error;
}

static const char *
userspace_attr_name(unsigned int type)
{
    switch (type) {
    case OVS_USERSPACE_ATTR_PID:
        return "pid";
    case OVS_USERSPACE_ATTR_USERDATA:
        return "userdata";
    case OVS_USERSPACE_ATTR_EGRESS_TUN_PORT:
        return "egress_tun_port";
    case OVS_USERSPACE_ATTR_ACTIONS:
        return "actions";
    default:
        return NULL;
    }
}

static int
validate_userspace(struct walk *w, const struct nlattr *ua)
{
    const unsigned int type = OVS_ACTION_ATTR_USERSPACE;
    const void *data = mnl_attr_get_payload(ua);
    size_t len = mnl_attr_get_payload_len(ua);
    const struct nlattr *seen[OVS_USERSPACE_ATTR_ACTIONS + 1] = { NULL };
    size_t off;

    for (off = 0; off < len; ) {
        char why[128];
        const struct nlattr *a = attr_at(data, len, off, why, sizeof why);
        unsigned int t;
        const char *name;
        size_t plen;

        if (!a) {
            return act_fail(w, EINVAL, type, "%s", why);
        }
        t = mnl_attr_get_type(a);
        name = userspace_attr_name(t);
        if (!name) {
            return act_fail(w, EINVAL, type, "unknown attribute type %u", t);
        }
        if (seen[t]) {
            return act_fail(w, EINVAL, type, "duplicate %s attribute", name);
        }
        seen[t] = a;

        plen = mnl_attr_get_payload_len(a);
        switch (t) {
        case OVS_USERSPACE_ATTR_PID:
        case OVS_USERSPACE_ATTR_EGRESS_TUN_PORT:
            if (plen != sizeof(uint32_t)) {
                return act_fail(w, EINVAL, type, "%s of %zu bytes, expected "
                                "4", name, plen);
            }
            break;
        case OVS_USERSPACE_ATTR_ACTIONS:
            if (plen != 0) {
                return act_fail(w, EINVAL, type, "actions is a flag, yet "
                                "carries %zu bytes", plen);
            }
            break;
        default:
            break;              /* userdata: any bytes, any length */
        }
        off = next_off(a, off);
    }

    if (!seen[OVS_USERSPACE_ATTR_PID]) {
        return act_fail(w, EINVAL, type, "no pid attribute");
    }
    /* The kernel refuses pid 0: it would name no socket. */
    if (mnl_attr_get_u32(seen[OVS_USERSPACE_ATTR_PID]) == 0) {
        return act_fail(w, EINVAL, type, "pid 0 names no socket");
    }
    return 0;
}

static int
validate_sample(struct walk *w, const struct nlattr *sa, unsigned int depth)
{
    const unsigned int type = OVS_ACTION_ATTR_SAMPLE;
    const void *data = mnl_attr_get_payload(sa);
    size_t len = mnl_attr_get_payload_len(sa);
    const struct nlattr *prob = NULL, *acts = NULL;
    size_t off;

    for (off = 0; off < len; ) {
        char why[128];
        const struct nlattr *a = attr_at(data, len, off, why, sizeof why);

        if (!a) {
            return act_fail(w, EINVAL, type, "%s", why);
        }
        switch (mnl_attr_get_type(a)) {
        case OVS_SAMPLE_ATTR_PROBABILITY:
            if (prob) {
                return act_fail(w, EINVAL, type,
                                "duplicate probability attribute");
            }
            if (mnl_attr_get_payload_len(a) != sizeof(uint32_t)) {
                return act_fail(w, EINVAL, type, "probability of %zu bytes, "
                                "expected 4",
                                (size_t) mnl_attr_get_payload_len(a));
            }
            prob = a;
            break;
        case OVS_SAMPLE_ATTR_ACTIONS:
            if (acts) {
                return act_fail(w, EINVAL, type, "duplicate actions attribute");
            }
            acts = a;
            break;
        default:
            return act_fail(w, EINVAL, type, "unknown attribute type %u",
                            mnl_attr_get_type(a));
        }
        off = next_off(a, off);
    }

    if (!prob) {
        return act_fail(w, EINVAL, type, "no probability attribute");
    }
    if (!acts) {
        return act_fail(w, EINVAL, type, "no actions attribute");
    }
    return validate_nested(w, type, mnl_attr_get_payload(acts),
                           mnl_attr_get_payload_len(acts), depth);
}

/* The kernel refuses value bits that the mask does not cover: they would be
 * ignored, which means the sender meant something else. */
static int
check_masked_value(struct walk *w, unsigned int type, const char *kname,
                   const uint8_t *value, size_t size)
{
    const uint8_t *mask = value + size;

    for (size_t i = 0; i < size; i++) {
        if (value[i] & ~mask[i]) {
            return act_fail(w, EINVAL, type, "%s value byte %zu (0x%02x) has "
                            "bits outside its mask (0x%02x)",
                            kname, i, value[i], mask[i]);
        }
    }
    return 0;
}

static int
check_ipv6_label(struct walk *w, unsigned int type, const char *what,
                 uint32_t label)
{
    if (ntohl(label) & ~0xfffffu) {
        return act_fail(w, EINVAL, type, "ipv6 %s 0x%08x does not fit in "
                        "the 20 bits of a flow label", what, ntohl(label));
    }
    return 0;
}

static int
validate_set(struct walk *w, const struct nlattr *sa, bool masked)
{
    const unsigned int type = mnl_attr_get_type(sa);
    size_t len = mnl_attr_get_payload_len(sa);
    const struct nlattr *key = mnl_attr_get_payload(sa);
    const uint8_t *value;
    const char *kname;
    char kbuf[16];
    unsigned int ktype;
    size_t size, klen;
    int error;

    if (len < MNL_ATTR_HDRLEN) {
        return act_fail(w, EINVAL, type, "payload of %zu bytes holds no key "
                        "attribute", len);
    }
    if (key->nla_len < MNL_ATTR_HDRLEN) {
        return act_fail(w, EINVAL, type, "key attribute length %u is shorter "
                        "than its header", key->nla_len);
    }
    /* Exactly one key: its padded length is the whole payload. */
    if ((size_t) MNL_ALIGN(key->nla_len) != len) {
        return act_fail(w, EINVAL, type, "payload of %zu bytes does not hold "
                        "exactly one key attribute (key length %u)",
                        len, key->nla_len);
    }

    ktype = mnl_attr_get_type(key);
    kname = key_name(ktype, kbuf, sizeof kbuf);
    switch (ktype) {
    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
        size = sizeof(uint32_t);
        break;
    case OVS_KEY_ATTR_ETHERNET:
        size = sizeof(struct ovs_key_ethernet);
        break;
    case OVS_KEY_ATTR_IPV4:
        size = sizeof(struct ovs_key_ipv4);
        break;
    case OVS_KEY_ATTR_IPV6:
        size = sizeof(struct ovs_key_ipv6);
        break;
    case OVS_KEY_ATTR_TCP:
        size = sizeof(struct ovs_key_tcp);
        break;
    case OVS_KEY_ATTR_UDP:
        size = sizeof(struct ovs_key_udp);
        break;
    case OVS_KEY_ATTR_SCTP:
        size = sizeof(struct ovs_key_sctp);
        break;
    case OVS_KEY_ATTR_TUNNEL:
    case OVS_KEY_ATTR_MPLS:
    case OVS_KEY_ATTR_CT_MARK:
    case OVS_KEY_ATTR_CT_LABELS:
    case OVS_KEY_ATTR_NSH:
        /* The kernel can set these; xsw has no tunnels, MPLS, conntrack or
         * NSH to set. */
        return act_fail(w, EOPNOTSUPP, type, "set(%s) is not supported",
                        kname);
    default:
        return act_fail(w, EINVAL, type, "key %s cannot be set", kname);
    }

    klen = mnl_attr_get_payload_len(key);
    if (klen != (masked ? 2 * size : size)) {
        return act_fail(w, EINVAL, type, masked
                        ? "masked %s key of %zu bytes, expected %zu "
                          "(value and mask)"
                        : "%s key of %zu bytes, expected %zu",
                        kname, klen, masked ? 2 * size : size);
    }

    value = mnl_attr_get_payload(key);
    if (masked) {
        error = check_masked_value(w, type, kname, value, size);
        if (error) {
            return error;
        }
    }

    if (ktype == OVS_KEY_ATTR_IPV4 && masked) {
        const struct ovs_key_ipv4 *mask =
            (const struct ovs_key_ipv4 *) (value + size);

        /* Rewriting these would make the frame disagree with its own
         * headers (the kernel refuses them too). */
        if (mask->ipv4_proto || mask->ipv4_frag) {
            return act_fail(w, EINVAL, type, "ipv4 proto and frag cannot be "
                            "set (mask 0x%02x, 0x%02x)",
                            mask->ipv4_proto, mask->ipv4_frag);
        }
    } else if (ktype == OVS_KEY_ATTR_IPV6) {
        const struct ovs_key_ipv6 *v = (const struct ovs_key_ipv6 *) value;

        if (masked) {
            const struct ovs_key_ipv6 *mask = v + 1;

            if (mask->ipv6_proto || mask->ipv6_frag) {
                return act_fail(w, EINVAL, type, "ipv6 proto and frag cannot "
                                "be set (mask 0x%02x, 0x%02x)",
                                mask->ipv6_proto, mask->ipv6_frag);
            }
            error = check_ipv6_label(w, type, "label mask", mask->ipv6_label);
            if (error) {
                return error;
            }
        }
        error = check_ipv6_label(w, type, "label", v->ipv6_label);
        if (error) {
            return error;
        }
    }
    return 0;
}

static int
validate_action(struct walk *w, const struct nlattr *a, unsigned int depth,
                bool last)
{
    const unsigned int type = mnl_attr_get_type(a);
    size_t plen = mnl_attr_get_payload_len(a);
    int error;

    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT: {
        uint32_t port;

        error = check_len(w, type, plen, sizeof(uint32_t));
        if (error) {
            return error;
        }
        port = mnl_attr_get_u32(a);
        if (port >= DP_PORTS) {
            return act_fail(w, EINVAL, type, "port %" PRIu32 " is beyond the "
                            "last datapath port %u", port, DP_PORTS - 1);
        }
        return 0;
    }

    case OVS_ACTION_ATTR_USERSPACE:
        return validate_userspace(w, a);

    case OVS_ACTION_ATTR_SET:
        return validate_set(w, a, false);

    case OVS_ACTION_ATTR_SET_MASKED:
        return validate_set(w, a, true);

    case OVS_ACTION_ATTR_PUSH_VLAN: {
        const struct ovs_action_push_vlan *vlan = mnl_attr_get_payload(a);
        uint16_t tpid, tci;

        error = check_len(w, type, plen, sizeof *vlan);
        if (error) {
            return error;
        }
        tpid = ntohs(vlan->vlan_tpid);
        tci = ntohs(vlan->vlan_tci);
        if (tpid != ETH_P_8021Q && tpid != ETH_P_8021AD) {
            return act_fail(w, EINVAL, type, "TPID 0x%04x is not 0x8100 or "
                            "0x88a8", tpid);
        }
        if (!(tci & VLAN_CFI)) {
            return act_fail(w, EINVAL, type, "TCI 0x%04x lacks the CFI bit "
                            "0x1000 that marks a tag present", tci);
        }
        return 0;
    }

    case OVS_ACTION_ATTR_POP_VLAN:
        return check_len(w, type, plen, 0);

    case OVS_ACTION_ATTR_SAMPLE:
        return validate_sample(w, a, depth);

    case OVS_ACTION_ATTR_RECIRC:
        return check_len(w, type, plen, sizeof(uint32_t));

    case OVS_ACTION_ATTR_HASH: {
        const struct ovs_action_hash *hash = mnl_attr_get_payload(a);

        error = check_len(w, type, plen, sizeof *hash);
        if (error) {
            return error;
        }
        if (hash->hash_alg != OVS_HASH_ALG_L4
            && hash->hash_alg != ODP_HASH_ALG_SYM_L4) {
            return act_fail(w, EINVAL, type, "unknown hash algorithm %" PRIu32
                            " (l4 is 0, sym_l4 is 1)", hash->hash_alg);
        }
        return 0;
    }

    case OVS_ACTION_ATTR_TRUNC: {
        const struct ovs_action_trunc *trunc = mnl_attr_get_payload(a);

        error = check_len(w, type, plen, sizeof *trunc);
        if (error) {
            return error;
        }
        if (trunc->max_len < ETH_HLEN) {
            return act_fail(w, EINVAL, type, "max_len %" PRIu32 " is shorter "
                            "than an Ethernet header (%d)",
                            trunc->max_len, ETH_HLEN);
        }
        return 0;
    }

    case OVS_ACTION_ATTR_CLONE:
        return validate_nested(w, type, mnl_attr_get_payload(a), plen, depth);

    case ODP_ACTION_ATTR_DROP:
        error = check_len(w, type, plen, sizeof(uint32_t));
        if (error) {
            return error;
        }
        /* The kernel stops at a drop: anything after it would never run. */
        if (!last) {
            return act_fail(w, EINVAL, type, "drop must be the last action "
                            "of its list");
        }
        return 0;

    case OVS_ACTION_ATTR_PUSH_MPLS:
    case OVS_ACTION_ATTR_POP_MPLS:
    case OVS_ACTION_ATTR_CT:
    case OVS_ACTION_ATTR_PUSH_ETH:
    case OVS_ACTION_ATTR_POP_ETH:
    case OVS_ACTION_ATTR_CT_CLEAR:
    case OVS_ACTION_ATTR_PUSH_NSH:
    case OVS_ACTION_ATTR_POP_NSH:
    case OVS_ACTION_ATTR_METER:
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
    case OVS_ACTION_ATTR_ADD_MPLS:
    case OVS_ACTION_ATTR_DEC_TTL:
    case ODP_ACTION_ATTR_PSAMPLE:
        return fail_at(w, EOPNOTSUPP, "action %s is not supported",
                       odp_action_name(type));

    default:
        return fail_at(w, EINVAL, "unknown action type %u", type);
    }
}

static int
validate_list(struct walk *w, const void *data, size_t len,
              unsigned int depth)
{
    size_t path_len = strlen(w->path);
    unsigned int n = 0;
    size_t off;

    for (off = 0; off < len; ) {
        char why[128];
        const struct nlattr *a;
        size_t next;
        int error;

        snprintf(w->path + path_len, sizeof w->path - path_len, "%s%u",
                 depth ? "." : "", ++n);
        a = attr_at(data, len, off, why, sizeof why);
        if (!a) {
            return fail_at(w, EINVAL, "%s", why);
        }
        next = next_off(a, off);
        error = validate_action(w, a, depth, next >= len);
        if (error) {
            return error;
        }
        off = next;
    }
    return 0;
}

int
odp_actions_validate(const void *actions, size_t len, struct xsw_err *err)
{
    struct walk w = { .err = err, .path = "" };

    xsw_err_clear(err);
    if (len && !actions) {
        return xsw_err_set(err, EINVAL, "action list of %zu bytes is NULL",
                           len);
    }
    /* Lists come in a netlink attribute, whose length is 16 bits; holding
     * to that keeps every offset below in range of the int that libmnl's
     * iterators use. */
    if (len > UINT16_MAX - MNL_ATTR_HDRLEN) {
        return xsw_err_set(err, EINVAL, "action list of %zu bytes is longer "
                           "than a netlink attribute can carry", len);
    }
    return validate_list(&w, actions, len, 0);
}

/* True if 'a' (a set or set_masked) rewrites Ethernet addresses only. */
static bool
sets_ethernet(const struct nlattr *a)
{
    const struct nlattr *key = mnl_attr_get_payload(a);

    return mnl_attr_get_payload_len(a) >= MNL_ATTR_HDRLEN
           && key->nla_len >= MNL_ATTR_HDRLEN
           && key->nla_len <= mnl_attr_get_payload_len(a)
           && mnl_attr_get_type(key) == OVS_KEY_ATTR_ETHERNET;
}

bool
odp_actions_are_simple(const void *actions, size_t len)
{
    bool output_seen = false;
    size_t off;

    if (len && !actions) {
        return false;
    }
    for (off = 0; off < len; ) {
        char why[128];
        const struct nlattr *a = attr_at(actions, len, off, why, sizeof why);

        if (!a || output_seen) {
            return false;
        }
        switch (mnl_attr_get_type(a)) {
        case OVS_ACTION_ATTR_OUTPUT:
            output_seen = true;
            break;
        case OVS_ACTION_ATTR_PUSH_VLAN:
        case OVS_ACTION_ATTR_POP_VLAN:
            break;
        case OVS_ACTION_ATTR_SET:
        case OVS_ACTION_ATTR_SET_MASKED:
            if (!sets_ethernet(a)) {
                return false;
            }
            break;
        default:
            return false;
        }
        off = next_off(a, off);
    }
    return true;
}

int
odp_actions_put_output(struct nlmsghdr *nlh, size_t buflen, uint32_t port)
{
    return mnl_attr_put_u32_check(nlh, buflen, OVS_ACTION_ATTR_OUTPUT, port)
           ? 0 : -EMSGSIZE;
}

int
odp_actions_put_push_vlan(struct nlmsghdr *nlh, size_t buflen,
                          uint16_t tpid, uint16_t tci)
{
    struct ovs_action_push_vlan vlan = {
        .vlan_tpid = htons(tpid),
        .vlan_tci = htons(tci),
    };

    return mnl_attr_put_check(nlh, buflen, OVS_ACTION_ATTR_PUSH_VLAN,
                              sizeof vlan, &vlan) ? 0 : -EMSGSIZE;
}

int
odp_actions_put_pop_vlan(struct nlmsghdr *nlh, size_t buflen)
{
    /* libmnl copies zero bytes from the pointer; it only must be valid. */
    static const uint8_t none;

    return mnl_attr_put_check(nlh, buflen, OVS_ACTION_ATTR_POP_VLAN, 0, &none)
           ? 0 : -EMSGSIZE;
}

int
odp_actions_put_userspace(struct nlmsghdr *nlh, size_t buflen, uint32_t pid,
                          const void *userdata, size_t userdata_len)
{
    /* The action must fit in a list, which is an attribute payload: 16-bit
     * length less the list's header, the nest's, pid's and userdata's
     * headers and pid.  libmnl would silently wrap a longer nest. */
    const size_t room = UINT16_MAX - 4 * MNL_ATTR_HDRLEN - sizeof(uint32_t);
    struct nlattr *nest;

    if (userdata_len && !userdata) {
        return -EINVAL;
    }
    if (userdata_len > room || MNL_ALIGN(userdata_len) > room) {
        return -EMSGSIZE;
    }
    nest = mnl_attr_nest_start_check(nlh, buflen, OVS_ACTION_ATTR_USERSPACE);
    if (!nest) {
        return -EMSGSIZE;
    }
    /* libmnl marks nests with NLA_F_NESTED; the kernel and ovs-vswitchd
     * write actions without it, and lists are compared byte for byte. */
    nest->nla_type = OVS_ACTION_ATTR_USERSPACE;
    if (!mnl_attr_put_u32_check(nlh, buflen, OVS_USERSPACE_ATTR_PID, pid)) {
        goto full;
    }
    if (userdata_len) {
        uint8_t *tail = mnl_nlmsg_get_payload_tail(nlh);

        if (!mnl_attr_put_check(nlh, buflen, OVS_USERSPACE_ATTR_USERDATA,
                                userdata_len, userdata)) {
            goto full;
        }
        /* Older libmnl leaves the padding as it found it: zero it, or
         * stale bytes go out and equal lists compare different. */
        memset(tail + MNL_ATTR_HDRLEN + userdata_len, 0,
               MNL_ALIGN(userdata_len) - userdata_len);
    }
    mnl_attr_nest_end(nlh, nest);
    return 0;

full:
    mnl_attr_nest_cancel(nlh, nest);
    return -EMSGSIZE;
}
