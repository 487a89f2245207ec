/* odp_key: flow key and mask <-> OVS_KEY_ATTR_* attributes.  See odp_key.h
 * for the rules; the comments here say why the code follows them. */
#include "odp_key.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>

#define BIT(type) (UINT64_C(1) << (type))

/* Attribute types are 14 bits once NLA_F_NESTED / NLA_F_NET_BYTEORDER are
 * masked off. */
#define N_ATTR_TYPES 0x4000

/* ICMPv6 neighbor solicitation / advertisement: the types that bring nd(). */
#define ICMPV6_ND_SOLICIT 135
#define ICMPV6_ND_ADVERT 136

/* MPLS label stack entry, network order: bottom-of-stack bit. */
#define MPLS_LSE_BOS 0x00000100

/* OVS userspace's struct ovs_key_nd_extensions (be32 + u8, padded), which the
 * uapi header does not carry: only its length matters to an opaque check. */
#define ND_EXTENSIONS_LEN 8

/* Attributes xsw reads into struct flow_key. */
#define ATTRS_METADATA (BIT(OVS_KEY_ATTR_PRIORITY) | BIT(OVS_KEY_ATTR_IN_PORT) \
                        | BIT(OVS_KEY_ATTR_SKB_MARK) | BIT(OVS_KEY_ATTR_DP_HASH) \
                        | BIT(OVS_KEY_ATTR_RECIRC_ID))
#define ATTRS_OUTER_ONLY (ATTRS_METADATA | BIT(OVS_KEY_ATTR_ETHERNET))
#define ATTRS_L3 (BIT(OVS_KEY_ATTR_IPV4) | BIT(OVS_KEY_ATTR_IPV6) \
                  | BIT(OVS_KEY_ATTR_ARP) | BIT(OVS_KEY_ATTR_MPLS))
#define ATTRS_L4 (BIT(OVS_KEY_ATTR_TCP) | BIT(OVS_KEY_ATTR_TCP_FLAGS) \
                  | BIT(OVS_KEY_ATTR_UDP) | BIT(OVS_KEY_ATTR_SCTP) \
                  | BIT(OVS_KEY_ATTR_ICMP) | BIT(OVS_KEY_ATTR_ICMPV6) \
                  | BIT(OVS_KEY_ATTR_ND))
#define ATTRS_VLAN (BIT(OVS_KEY_ATTR_VLAN) | BIT(OVS_KEY_ATTR_ENCAP))

/* ------------------------------------------------------------ type table */

enum attr_kind {
    KIND_UNKNOWN = 0,           /* unspec; types past the table are unknown
                                 * too, and opaque */
    KIND_FIXED,
    KIND_VARIABLE,
    KIND_NESTED,
};

struct attr_desc {
    const char *name;
    uint8_t kind;
    bool interpreted;           /* read into struct flow_key */
    uint16_t len;               /* KIND_FIXED only */
};

#define FIXED(NAME, LEN, INTERP) { NAME, KIND_FIXED, INTERP, LEN }

static const struct attr_desc attr_descs[] = {
    [OVS_KEY_ATTR_UNSPEC] = { "unspec", KIND_UNKNOWN, false, 0 },
    [OVS_KEY_ATTR_ENCAP] = { "encap", KIND_NESTED, true, 0 },
    [OVS_KEY_ATTR_PRIORITY] = FIXED("skb_priority", sizeof(uint32_t), true),
    [OVS_KEY_ATTR_IN_PORT] = FIXED("in_port", sizeof(uint32_t), true),
    [OVS_KEY_ATTR_ETHERNET] = FIXED("eth", sizeof(struct ovs_key_ethernet), true),
    [OVS_KEY_ATTR_VLAN] = FIXED("vlan", sizeof(__be16), true),
    [OVS_KEY_ATTR_ETHERTYPE] = FIXED("eth_type", sizeof(__be16), true),
    [OVS_KEY_ATTR_IPV4] = FIXED("ipv4", sizeof(struct ovs_key_ipv4), true),
    [OVS_KEY_ATTR_IPV6] = FIXED("ipv6", sizeof(struct ovs_key_ipv6), true),
    [OVS_KEY_ATTR_TCP] = FIXED("tcp", sizeof(struct ovs_key_tcp), true),
    [OVS_KEY_ATTR_UDP] = FIXED("udp", sizeof(struct ovs_key_udp), true),
    [OVS_KEY_ATTR_ICMP] = FIXED("icmp", sizeof(struct ovs_key_icmp), true),
    [OVS_KEY_ATTR_ICMPV6] = FIXED("icmpv6", sizeof(struct ovs_key_icmpv6), true),
    [OVS_KEY_ATTR_ARP] = FIXED("arp", sizeof(struct ovs_key_arp), true),
    [OVS_KEY_ATTR_ND] = FIXED("nd", sizeof(struct ovs_key_nd), true),
    [OVS_KEY_ATTR_SKB_MARK] = FIXED("skb_mark", sizeof(uint32_t), true),
    [OVS_KEY_ATTR_TUNNEL] = { "tunnel", KIND_NESTED, false, 0 },
    [OVS_KEY_ATTR_SCTP] = FIXED("sctp", sizeof(struct ovs_key_sctp), true),
    [OVS_KEY_ATTR_TCP_FLAGS] = FIXED("tcp_flags", sizeof(__be16), true),
    [OVS_KEY_ATTR_DP_HASH] = FIXED("dp_hash", sizeof(uint32_t), true),
    [OVS_KEY_ATTR_RECIRC_ID] = FIXED("recirc_id", sizeof(uint32_t), true),
    [OVS_KEY_ATTR_MPLS] = { "mpls", KIND_VARIABLE, true, 0 },
    [OVS_KEY_ATTR_CT_STATE] = FIXED("ct_state", sizeof(uint32_t), false),
    [OVS_KEY_ATTR_CT_ZONE] = FIXED("ct_zone", sizeof(uint16_t), false),
    [OVS_KEY_ATTR_CT_MARK] = FIXED("ct_mark", sizeof(uint32_t), false),
    [OVS_KEY_ATTR_CT_LABELS] = FIXED("ct_label", sizeof(struct ovs_key_ct_labels), false),
    [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = FIXED("ct_tuple4", sizeof(struct ovs_key_ct_tuple_ipv4),
                                              false),
    [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = FIXED("ct_tuple6", sizeof(struct ovs_key_ct_tuple_ipv6),
                                              false),
    [OVS_KEY_ATTR_NSH] = { "nsh", KIND_NESTED, false, 0 },
    [OVS_KEY_ATTR_PACKET_TYPE] = FIXED("packet_type", sizeof(__be32), false),
    [OVS_KEY_ATTR_ND_EXTENSIONS] = FIXED("nd_ext", ND_EXTENSIONS_LEN, false),
    /* Kernel-internal: never seen on the wire, so any length is kept.  OVS
     * has no text name for it nor for ipv6_exthdrs ("key31", "key32"). */
    [OVS_KEY_ATTR_TUNNEL_INFO] = { NULL, KIND_VARIABLE, false, 0 },
    [OVS_KEY_ATTR_IPV6_EXTHDRS] = FIXED(NULL, sizeof(struct ovs_key_ipv6_exthdrs), false),
};

#define N_ATTR_DESCS (sizeof attr_descs / sizeof attr_descs[0])

/* Every interpreted type fits in a uint64_t bitmap and in the pointer table
 * of struct level below. */
#define MAX_INTERPRETED OVS_KEY_ATTR_MPLS
_Static_assert(MAX_INTERPRETED < 64, "interpreted attribute types need a bitmap bit");

static const struct attr_desc *
attr_desc(unsigned int type)
{
    return type < N_ATTR_DESCS ? &attr_descs[type] : NULL;
}

const char *
odp_key_attr_name(unsigned int type)
{
    const struct attr_desc *d = attr_desc(type);

    return d ? d->name : NULL;
}

int
odp_key_attr_len(unsigned int type)
{
    const struct attr_desc *d = attr_desc(type);

    if (!d) {
        return ODP_KEY_LEN_UNKNOWN;
    }
    switch (d->kind) {
    case KIND_FIXED:
        return d->len;
    case KIND_VARIABLE:
        return ODP_KEY_LEN_VARIABLE;
    case KIND_NESTED:
        return ODP_KEY_LEN_NESTED;
    default:
        return ODP_KEY_LEN_UNKNOWN;
    }
}

/* The name used in messages: the text-form name, or "key<N>" as OVS prints
 * a type it cannot name. */
struct attr_label {
    char s[16];
};

static const char *
attr_label(unsigned int type, struct attr_label *l)
{
    const char *name = odp_key_attr_name(type);

    if (name) {
        return name;
    }
    snprintf(l->s, sizeof l->s, "key%u", type);
    return l->s;
}

/* --------------------------------------------------------------- helpers */

static bool
eth_type_is_vlan(__be16 eth_type)
{
    return eth_type == htons(ETH_P_8021Q) || eth_type == htons(ETH_P_8021AD);
}

static bool
eth_type_is_mpls(__be16 eth_type)
{
    return eth_type == htons(ETH_P_MPLS_UC) || eth_type == htons(ETH_P_MPLS_MC);
}

/* The L3 attribute an eth_type brings, or 0. */
static unsigned int
l3_attr_for(__be16 eth_type)
{
    if (eth_type == htons(ETH_P_IP)) {
        return OVS_KEY_ATTR_IPV4;
    } else if (eth_type == htons(ETH_P_IPV6)) {
        return OVS_KEY_ATTR_IPV6;
    } else if (eth_type == htons(ETH_P_ARP) || eth_type == htons(ETH_P_RARP)) {
        return OVS_KEY_ATTR_ARP;
    } else if (eth_type_is_mpls(eth_type)) {
        return OVS_KEY_ATTR_MPLS;
    }
    return 0;
}

/* The L4 attribute an IPv4/IPv6 header brings (not for later fragments), or
 * 0.  ICMP belongs to IPv4 and ICMPv6 to IPv6 only, as in the kernel. */
static unsigned int
l4_attr_for(unsigned int l3, uint8_t nw_proto, uint8_t nw_frag)
{
    if ((l3 != OVS_KEY_ATTR_IPV4 && l3 != OVS_KEY_ATTR_IPV6)
        || nw_frag == OVS_FRAG_TYPE_LATER) {
        return 0;
    }
    switch (nw_proto) {
    case IPPROTO_TCP:
        return OVS_KEY_ATTR_TCP;
    case IPPROTO_UDP:
        return OVS_KEY_ATTR_UDP;
    case IPPROTO_SCTP:
        return OVS_KEY_ATTR_SCTP;
    case IPPROTO_ICMP:
        return l3 == OVS_KEY_ATTR_IPV4 ? OVS_KEY_ATTR_ICMP : 0;
    case IPPROTO_ICMPV6:
        return l3 == OVS_KEY_ATTR_IPV6 ? OVS_KEY_ATTR_ICMPV6 : 0;
    default:
        return 0;
    }
}

static bool
icmpv6_type_is_nd(__be16 tp_src)
{
    return tp_src == htons(ICMPV6_ND_SOLICIT) || tp_src == htons(ICMPV6_ND_ADVERT);
}

/* Number of label stack entries to write: through the first bottom-of-stack
 * entry; without one (a stack deeper than FLOW_MAX_MPLS, or a frame cut
 * short) through the last nonzero entry, and never fewer than one because
 * the kernel refuses an empty mpls(). */
static unsigned int
mpls_count(const struct flow_key *key)
{
    unsigned int n = 1;

    for (unsigned int i = 0; i < FLOW_MAX_MPLS; i++) {
        if (key->mpls_lse[i] & htonl(MPLS_LSE_BOS)) {
            return i + 1;
        }
        if (key->mpls_lse[i]) {
            n = i + 1;
        }
    }
    return n;
}

static bool
is_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

/* -------------------------------------------------------------- encoding */

/* Which attributes a key yields: computed once from the key, then used both
 * to write the key (or a mask of the same shape) and to report the expected
 * attribute sets. */
struct key_shape {
    unsigned int n_tags;        /* eth_type+vlan+encap groups */
    bool truncated;             /* the last tag lacks CFI: its encap is empty */
    __be16 tpid[FLOW_MAX_VLANS];
    bool eth_type;              /* innermost eth_type written in a key */
    bool stop;                  /* innermost eth_type is a third TPID */
    unsigned int l3, l4;
    bool nd;
    unsigned int n_mpls;
};

static void
key_shape(const struct flow_key *key, struct key_shape *s)
{
    memset(s, 0, sizeof *s);

    /* A level is a VLAN level when it has a tag (TPID or TCI).  As in the
     * kernel, an innermost type that is still a TPID with no tag recorded
     * for it counts as a tag cut after its TPID. */
    for (unsigned int i = 0; i < FLOW_MAX_VLANS; i++) {
        const struct flow_vlan *v = &key->vlans[i];
        bool tag = flow_vlan_present(v);

        if (!tag && !eth_type_is_vlan(key->eth_type)) {
            break;
        }
        if (v->tpid) {
            s->tpid[i] = v->tpid;
        } else if (eth_type_is_vlan(key->eth_type)) {
            s->tpid[i] = key->eth_type;
        } else {
            s->tpid[i] = htons(ETH_P_8021Q);
        }
        s->n_tags++;
        if (!(v->tci & htons(FLOW_VLAN_CFI))) {
            s->truncated = true;
            return;
        }
    }

    if (ntohs(key->eth_type) < ETH_P_802_3_MIN) {
        return;
    }
    s->eth_type = true;
    if (eth_type_is_vlan(key->eth_type)) {
        /* A third tag: the kernel knows nothing of the rest. */
        s->stop = true;
        return;
    }
    s->l3 = l3_attr_for(key->eth_type);
    if (s->l3 == OVS_KEY_ATTR_MPLS) {
        s->n_mpls = mpls_count(key);
    }
    s->l4 = l4_attr_for(s->l3, key->nw_proto, key->nw_frag);
    s->nd = s->l4 == OVS_KEY_ATTR_ICMPV6 && icmpv6_type_is_nd(key->tp_src);
}

void
odp_key_expected_attrs(const struct flow_key *key, uint64_t attrs[FLOW_MAX_VLANS + 1])
{
    struct key_shape s;
    unsigned int level;

    key_shape(key, &s);
    for (level = 0; level <= FLOW_MAX_VLANS; level++) {
        attrs[level] = 0;
    }
    attrs[0] = ATTRS_METADATA | BIT(OVS_KEY_ATTR_ETHERNET);
    for (level = 0; level < s.n_tags; level++) {
        attrs[level] |= BIT(OVS_KEY_ATTR_ETHERTYPE) | ATTRS_VLAN;
    }
    if (s.truncated) {
        return;
    }
    if (s.eth_type) {
        attrs[level] |= BIT(OVS_KEY_ATTR_ETHERTYPE);
    }
    if (s.l3) {
        attrs[level] |= BIT(s.l3);
    }
    if (s.l4) {
        attrs[level] |= BIT(s.l4);
    }
    if (s.l4 == OVS_KEY_ATTR_TCP) {
        attrs[level] |= BIT(OVS_KEY_ATTR_TCP_FLAGS);
    }
    if (s.nd) {
        attrs[level] |= BIT(OVS_KEY_ATTR_ND);
    }
}

/* mnl_attr_put() leaves the alignment padding as it found it; canonical
 * output needs it zero, so the whole attribute is cleared first. */
static bool
put_attr(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const void *data, size_t len)
{
    size_t total = MNL_ALIGN(MNL_ATTR_HDRLEN + len);

    if (MNL_ALIGN(nlh->nlmsg_len) + total > buflen) {
        return false;
    }
    memset(mnl_nlmsg_get_payload_tail(nlh), 0, total);
    mnl_attr_put(nlh, type, len, data);
    return true;
}

static bool
put_u32(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint32_t value)
{
    return put_attr(nlh, buflen, type, &value, sizeof value);
}

static bool
put_be16(struct nlmsghdr *nlh, size_t buflen, uint16_t type, __be16 value)
{
    return put_attr(nlh, buflen, type, &value, sizeof value);
}

/* mnl_attr_nest_start() sets NLA_F_NESTED, which the kernel does not put on
 * OVS_KEY_ATTR_ENCAP; a plain empty attribute keeps the bytes identical. */
static struct nlattr *
put_nest_start(struct nlmsghdr *nlh, size_t buflen, uint16_t type)
{
    static const uint8_t nothing;
    struct nlattr *start = mnl_nlmsg_get_payload_tail(nlh);

    return put_attr(nlh, buflen, type, &nothing, 0) ? start : NULL;
}

/* Writes the attributes of key's shape with values from out (key itself, or
 * a mask): __ovs_nla_put_key(swkey, output, is_mask). */
static int
put_shaped(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key,
           const struct flow_key *out, bool is_mask)
{
    uint32_t saved_len = nlh->nlmsg_len;
    struct nlattr *nests[FLOW_MAX_VLANS];
    unsigned int n_nests = 0;
    struct ovs_key_ethernet eth;
    struct key_shape s;

    key_shape(key, &s);

    if (!put_u32(nlh, buflen, OVS_KEY_ATTR_RECIRC_ID, out->recirc_id)
        || !put_u32(nlh, buflen, OVS_KEY_ATTR_DP_HASH, out->dp_hash)
        || !put_u32(nlh, buflen, OVS_KEY_ATTR_PRIORITY, out->priority)
        || !put_u32(nlh, buflen, OVS_KEY_ATTR_IN_PORT, out->in_port)
        || !put_u32(nlh, buflen, OVS_KEY_ATTR_SKB_MARK, out->skb_mark)) {
        goto full;
    }

    memcpy(eth.eth_src, out->eth_src, sizeof eth.eth_src);
    memcpy(eth.eth_dst, out->eth_dst, sizeof eth.eth_dst);
    if (!put_attr(nlh, buflen, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth)) {
        goto full;
    }

    for (unsigned int i = 0; i < s.n_tags; i++) {
        __be16 tpid = is_mask ? out->vlans[i].tpid : s.tpid[i];

        if (!put_be16(nlh, buflen, OVS_KEY_ATTR_ETHERTYPE, tpid)
            || !put_be16(nlh, buflen, OVS_KEY_ATTR_VLAN, out->vlans[i].tci)) {
            goto full;
        }
        nests[n_nests] = put_nest_start(nlh, buflen, OVS_KEY_ATTR_ENCAP);
        if (!nests[n_nests]) {
            goto full;
        }
        n_nests++;
    }
    if (s.truncated) {
        goto unencap;
    }

    if (!s.eth_type) {
        /* 802.2 or runt: no eth_type in the key; a mask may still say that
         * the type must be "none", which takes an exact eth_type mask. */
        if (is_mask && out->eth_type
            && !put_be16(nlh, buflen, OVS_KEY_ATTR_ETHERTYPE, out->eth_type)) {
            goto full;
        }
        goto unencap;
    }
    if (!put_be16(nlh, buflen, OVS_KEY_ATTR_ETHERTYPE, out->eth_type)) {
        goto full;
    }
    if (s.stop) {
        goto unencap;
    }

    switch (s.l3) {
    case OVS_KEY_ATTR_IPV4: {
        struct ovs_key_ipv4 ipv4 = {
            .ipv4_src = out->nw_src,
            .ipv4_dst = out->nw_dst,
            .ipv4_proto = out->nw_proto,
            .ipv4_tos = out->nw_tos,
            .ipv4_ttl = out->nw_ttl,
            .ipv4_frag = out->nw_frag,
        };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_IPV4, &ipv4, sizeof ipv4)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_IPV6: {
        struct ovs_key_ipv6 ipv6 = {
            .ipv6_label = out->ipv6_label,
            .ipv6_proto = out->nw_proto,
            .ipv6_tclass = out->nw_tos,
            .ipv6_hlimit = out->nw_ttl,
            .ipv6_frag = out->nw_frag,
        };

        memcpy(ipv6.ipv6_src, out->ipv6_src, sizeof ipv6.ipv6_src);
        memcpy(ipv6.ipv6_dst, out->ipv6_dst, sizeof ipv6.ipv6_dst);
        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_ARP: {
        struct ovs_key_arp arp;

        memset(&arp, 0, sizeof arp);
        arp.arp_sip = out->nw_src;
        arp.arp_tip = out->nw_dst;
        arp.arp_op = htons(out->nw_proto);
        memcpy(arp.arp_sha, out->arp_sha, sizeof arp.arp_sha);
        memcpy(arp.arp_tha, out->arp_tha, sizeof arp.arp_tha);
        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_ARP, &arp, sizeof arp)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_MPLS: {
        struct ovs_key_mpls mpls[FLOW_MAX_MPLS];

        for (unsigned int i = 0; i < s.n_mpls; i++) {
            mpls[i].mpls_lse = out->mpls_lse[i];
        }
        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_MPLS, mpls, s.n_mpls * sizeof mpls[0])) {
            goto full;
        }
        break;
    }
    default:
        break;
    }

    switch (s.l4) {
    case OVS_KEY_ATTR_TCP: {
        struct ovs_key_tcp tcp = { .tcp_src = out->tp_src, .tcp_dst = out->tp_dst };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp)
            || !put_be16(nlh, buflen, OVS_KEY_ATTR_TCP_FLAGS, out->tcp_flags)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_UDP: {
        struct ovs_key_udp udp = { .udp_src = out->tp_src, .udp_dst = out->tp_dst };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_UDP, &udp, sizeof udp)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_SCTP: {
        struct ovs_key_sctp sctp = { .sctp_src = out->tp_src, .sctp_dst = out->tp_dst };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_SCTP, &sctp, sizeof sctp)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_ICMP: {
        struct ovs_key_icmp icmp = {
            .icmp_type = (uint8_t) ntohs(out->tp_src),
            .icmp_code = (uint8_t) ntohs(out->tp_dst),
        };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_ICMP, &icmp, sizeof icmp)) {
            goto full;
        }
        break;
    }
    case OVS_KEY_ATTR_ICMPV6: {
        struct ovs_key_icmpv6 icmpv6 = {
            .icmpv6_type = (uint8_t) ntohs(out->tp_src),
            .icmpv6_code = (uint8_t) ntohs(out->tp_dst),
        };

        if (!put_attr(nlh, buflen, OVS_KEY_ATTR_ICMPV6, &icmpv6, sizeof icmpv6)) {
            goto full;
        }
        if (s.nd) {
            struct ovs_key_nd nd;

            memcpy(nd.nd_target, out->nd_target, sizeof nd.nd_target);
            memcpy(nd.nd_sll, out->arp_sha, sizeof nd.nd_sll);
            memcpy(nd.nd_tll, out->arp_tha, sizeof nd.nd_tll);
            if (!put_attr(nlh, buflen, OVS_KEY_ATTR_ND, &nd, sizeof nd)) {
                goto full;
            }
        }
        break;
    }
    default:
        break;
    }

unencap:
    while (n_nests > 0) {
        mnl_attr_nest_end(nlh, nests[--n_nests]);
    }
    return 0;

full:
    nlh->nlmsg_len = saved_len;
    return -EMSGSIZE;
}

int
odp_key_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key)
{
    return put_shaped(nlh, buflen, key, key, false);
}

int
odp_mask_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key,
             const struct flow_mask *mask)
{
    return put_shaped(nlh, buflen, key, &mask->m, true);
}

/* -------------------------------------------------------------- decoding */

/* The interpreted attributes of one nesting level, after checking every
 * attribute of the level.  Payload pointers may be unaligned: values are
 * read with memcpy. */
struct level {
    const uint8_t *data[MAX_INTERPRETED + 1];
    size_t len[MAX_INTERPRETED + 1];
    uint64_t present;           /* interpreted types present */
    uint64_t nonzero;           /* those whose payload is not all zero */
    uint64_t all;               /* every type < 64 present, opaque included */
};

static __be16
get_be16(const struct level *lv, unsigned int type)
{
    __be16 v;

    memcpy(&v, lv->data[type], sizeof v);
    return v;
}

static uint32_t
get_u32(const struct level *lv, unsigned int type)
{
    uint32_t v;

    memcpy(&v, lv->data[type], sizeof v);
    return v;
}

/* The lowest type set in bits (bits != 0). */
static unsigned int
first_type(uint64_t bits)
{
    return (unsigned int) __builtin_ctzll(bits);
}

/* Checks that (buf, len) is a well-formed run of attributes, for nested
 * attributes xsw keeps without reading (tunnel, nsh). */
static int
check_attr_stream(const uint8_t *buf, size_t len, struct xsw_err *err)
{
    size_t off = 0;

    while (off < len) {
        struct nlattr hdr;

        if (len - off < sizeof hdr) {
            return xsw_err_set(err, EINVAL, "nested attribute header truncated: "
                               "%zu bytes left at offset %zu", len - off, off);
        }
        memcpy(&hdr, buf + off, sizeof hdr);
        if (hdr.nla_len < sizeof hdr || hdr.nla_len > len - off) {
            return xsw_err_set(err, EINVAL, "nested attribute at offset %zu has "
                               "length %u, %zu bytes left", off, hdr.nla_len, len - off);
        }
        off += MNL_ALIGN(hdr.nla_len);
    }
    return 0;
}

static void
note_opaque(struct odp_key_info *info, unsigned int type)
{
    if (!info) {
        return;
    }
    if (info->n_opaque < sizeof info->opaque_types) {
        info->opaque_types[info->n_opaque] = type < 255 ? (uint8_t) type : 255;
    }
    info->n_opaque++;
}

/* Checks every attribute of one level (header, length, duplicates) and
 * collects the interpreted ones.  Duplicates are caught for every type, the
 * 14-bit type space being small enough for a bitmap on the stack. */
static int
walk_level(const uint8_t *buf, size_t len, struct level *lv,
           struct odp_key_info *info, struct xsw_err *err)
{
    uint64_t seen[N_ATTR_TYPES / 64];
    size_t off = 0;

    memset(lv, 0, sizeof *lv);
    memset(seen, 0, sizeof seen);

    while (off < len) {
        const struct attr_desc *d;
        struct attr_label label;
        const uint8_t *payload;
        struct nlattr hdr;
        unsigned int type;
        const char *name;
        size_t plen;

        if (len - off < sizeof hdr) {
            return xsw_err_set(err, EINVAL, "attribute header truncated: %zu bytes "
                               "left at offset %zu", len - off, off);
        }
        memcpy(&hdr, buf + off, sizeof hdr);
        type = hdr.nla_type & (N_ATTR_TYPES - 1);
        name = attr_label(type, &label);
        if (hdr.nla_len < sizeof hdr) {
            return xsw_err_set(err, EINVAL, "%s: length %u is shorter than an "
                               "attribute header", name, hdr.nla_len);
        }
        if (hdr.nla_len > len - off) {
            return xsw_err_set(err, EINVAL, "%s: length %u runs past the end of the "
                               "key (%zu bytes left)", name, hdr.nla_len, len - off);
        }
        if (type == OVS_KEY_ATTR_UNSPEC) {
            return xsw_err_set(err, EINVAL, "attribute type 0 (unspec) at offset %zu",
                               off);
        }
        if (seen[type / 64] & BIT(type % 64)) {
            return xsw_err_set(err, EINVAL, "duplicate attribute %s", name);
        }
        seen[type / 64] |= BIT(type % 64);

        payload = buf + off + sizeof hdr;
        plen = hdr.nla_len - sizeof hdr;
        d = attr_desc(type);
        if (d && d->kind == KIND_FIXED && plen != d->len) {
            return xsw_err_set(err, EINVAL, "%s: length %zu, expected %u",
                               name, plen, d->len);
        }
        if (type == OVS_KEY_ATTR_MPLS
            && (plen == 0 || plen % sizeof(struct ovs_key_mpls)
                || plen > FLOW_MAX_MPLS * sizeof(struct ovs_key_mpls))) {
            return xsw_err_set(err, EINVAL, "mpls: length %zu, expected 4, 8 or 12",
                               plen);
        }
        if (d && d->kind == KIND_NESTED && !d->interpreted) {
            int error = check_attr_stream(payload, plen, err);

            if (error) {
                xsw_err_prefix(err, name);
                return error;
            }
        }

        if (type < 64) {
            lv->all |= BIT(type);
        }
        if (d && d->interpreted) {
            lv->data[type] = payload;
            lv->len[type] = plen;
            lv->present |= BIT(type);
            if (!is_all_zero(payload, plen)) {
                lv->nonzero |= BIT(type);
            }
        } else {
            note_opaque(info, type);
        }

        /* The padding of the last attribute may be missing: accept it. */
        off += MNL_ALIGN(hdr.nla_len);
        if (off > len) {
            off = len;
        }
    }
    return 0;
}

/* Says what an attribute contradicts, for "NAME: not valid with ...". */
static int
reject_unexpected(unsigned int type, const struct flow_key *key, uint64_t present,
                  struct xsw_err *err)
{
    const char *name = odp_key_attr_name(type);
    unsigned int l3 = l3_attr_for(key->eth_type);

    if (BIT(type) & ATTRS_L3 || (l3 != OVS_KEY_ATTR_IPV4 && l3 != OVS_KEY_ATTR_IPV6)) {
        if (ntohs(key->eth_type) < ETH_P_802_3_MIN) {
            return xsw_err_set(err, EINVAL, "%s: not valid without eth_type", name);
        }
        return xsw_err_set(err, EINVAL, "%s: not valid with eth_type 0x%04x",
                           name, ntohs(key->eth_type));
    }
    if (!(present & BIT(l3))) {
        return xsw_err_set(err, EINVAL, "%s: not valid without %s", name,
                           odp_key_attr_name(l3));
    }
    if (key->nw_frag == OVS_FRAG_TYPE_LATER) {
        return xsw_err_set(err, EINVAL, "%s: not valid in a later fragment", name);
    }
    if (type == OVS_KEY_ATTR_ND && l4_attr_for(l3, key->nw_proto, key->nw_frag)
                                   == OVS_KEY_ATTR_ICMPV6) {
        if (!(present & BIT(OVS_KEY_ATTR_ICMPV6))) {
            return xsw_err_set(err, EINVAL, "nd: not valid without icmpv6");
        }
        return xsw_err_set(err, EINVAL, "nd: not valid with icmpv6 type %u",
                           ntohs(key->tp_src));
    }
    return xsw_err_set(err, EINVAL, "%s: not valid with %s proto %u",
                       name, odp_key_attr_name(l3), key->nw_proto);
}

/* Reads the protocol attributes of the innermost level into key, whose
 * eth_type is already set; rejects any that eth_type / nw_proto / nw_frag /
 * the ICMPv6 type make meaningless. */
static int
parse_key_l3_l4(const struct level *lv, struct flow_key *key, struct xsw_err *err)
{
    unsigned int l3 = l3_attr_for(key->eth_type);
    uint64_t extra, expected = 0;
    unsigned int l4;

    extra = lv->present & ATTRS_L3 & ~(l3 ? BIT(l3) : 0);
    if (extra) {
        return reject_unexpected(first_type(extra), key, lv->present, err);
    }

    if (lv->present & BIT(OVS_KEY_ATTR_IPV4)) {
        struct ovs_key_ipv4 ipv4;

        memcpy(&ipv4, lv->data[OVS_KEY_ATTR_IPV4], sizeof ipv4);
        if (ipv4.ipv4_frag > OVS_FRAG_TYPE_MAX) {
            return xsw_err_set(err, EINVAL, "ipv4: frag type %u out of range (max %d)",
                               ipv4.ipv4_frag, OVS_FRAG_TYPE_MAX);
        }
        key->nw_src = ipv4.ipv4_src;
        key->nw_dst = ipv4.ipv4_dst;
        key->nw_proto = ipv4.ipv4_proto;
        key->nw_tos = ipv4.ipv4_tos;
        key->nw_ttl = ipv4.ipv4_ttl;
        key->nw_frag = ipv4.ipv4_frag;
    } else if (lv->present & BIT(OVS_KEY_ATTR_IPV6)) {
        struct ovs_key_ipv6 ipv6;

        memcpy(&ipv6, lv->data[OVS_KEY_ATTR_IPV6], sizeof ipv6);
        if (ipv6.ipv6_frag > OVS_FRAG_TYPE_MAX) {
            return xsw_err_set(err, EINVAL, "ipv6: frag type %u out of range (max %d)",
                               ipv6.ipv6_frag, OVS_FRAG_TYPE_MAX);
        }
        if (ipv6.ipv6_label & htonl(0xfff00000)) {
            return xsw_err_set(err, EINVAL, "ipv6: flow label 0x%x wider than 20 bits",
                               ntohl(ipv6.ipv6_label));
        }
        memcpy(key->ipv6_src, ipv6.ipv6_src, sizeof key->ipv6_src);
        memcpy(key->ipv6_dst, ipv6.ipv6_dst, sizeof key->ipv6_dst);
        key->ipv6_label = ipv6.ipv6_label;
        key->nw_proto = ipv6.ipv6_proto;
        key->nw_tos = ipv6.ipv6_tclass;
        key->nw_ttl = ipv6.ipv6_hlimit;
        key->nw_frag = ipv6.ipv6_frag;
    } else if (lv->present & BIT(OVS_KEY_ATTR_ARP)) {
        struct ovs_key_arp arp;

        memcpy(&arp, lv->data[OVS_KEY_ATTR_ARP], sizeof arp);
        /* nw_proto has 8 bits for the opcode, hence the kernel's limit. */
        if (arp.arp_op & htons(0xff00)) {
            return xsw_err_set(err, EINVAL, "arp: opcode %u does not fit the key "
                               "(max 255)", ntohs(arp.arp_op));
        }
        key->nw_src = arp.arp_sip;
        key->nw_dst = arp.arp_tip;
        key->nw_proto = (uint8_t) ntohs(arp.arp_op);
        memcpy(key->arp_sha, arp.arp_sha, sizeof key->arp_sha);
        memcpy(key->arp_tha, arp.arp_tha, sizeof key->arp_tha);
    } else if (lv->present & BIT(OVS_KEY_ATTR_MPLS)) {
        memcpy(key->mpls_lse, lv->data[OVS_KEY_ATTR_MPLS], lv->len[OVS_KEY_ATTR_MPLS]);
    }

    /* ICMPv6 first: its type decides whether nd belongs here. */
    l4 = l3 && (lv->present & BIT(l3)) ? l4_attr_for(l3, key->nw_proto, key->nw_frag) : 0;
    if (l4) {
        expected |= BIT(l4);
    }
    if (l4 == OVS_KEY_ATTR_TCP) {
        expected |= BIT(OVS_KEY_ATTR_TCP_FLAGS);
    }
    if (l4 == OVS_KEY_ATTR_ICMPV6 && (lv->present & BIT(OVS_KEY_ATTR_ICMPV6))) {
        struct ovs_key_icmpv6 icmpv6;

        memcpy(&icmpv6, lv->data[OVS_KEY_ATTR_ICMPV6], sizeof icmpv6);
        key->tp_src = htons(icmpv6.icmpv6_type);
        key->tp_dst = htons(icmpv6.icmpv6_code);
        if (icmpv6_type_is_nd(key->tp_src)) {
            expected |= BIT(OVS_KEY_ATTR_ND);
        }
    }
    extra = lv->present & ATTRS_L4 & ~expected;
    if (extra) {
        return reject_unexpected(first_type(extra), key, lv->present, err);
    }

    if (lv->present & BIT(OVS_KEY_ATTR_TCP)) {
        struct ovs_key_tcp tcp;

        memcpy(&tcp, lv->data[OVS_KEY_ATTR_TCP], sizeof tcp);
        key->tp_src = tcp.tcp_src;
        key->tp_dst = tcp.tcp_dst;
    }
    if (lv->present & BIT(OVS_KEY_ATTR_TCP_FLAGS)) {
        key->tcp_flags = get_be16(lv, OVS_KEY_ATTR_TCP_FLAGS);
    }
    if (lv->present & BIT(OVS_KEY_ATTR_UDP)) {
        struct ovs_key_udp udp;

        memcpy(&udp, lv->data[OVS_KEY_ATTR_UDP], sizeof udp);
        key->tp_src = udp.udp_src;
        key->tp_dst = udp.udp_dst;
    }
    if (lv->present & BIT(OVS_KEY_ATTR_SCTP)) {
        struct ovs_key_sctp sctp;

        memcpy(&sctp, lv->data[OVS_KEY_ATTR_SCTP], sizeof sctp);
        key->tp_src = sctp.sctp_src;
        key->tp_dst = sctp.sctp_dst;
    }
    if (lv->present & BIT(OVS_KEY_ATTR_ICMP)) {
        struct ovs_key_icmp icmp;

        memcpy(&icmp, lv->data[OVS_KEY_ATTR_ICMP], sizeof icmp);
        key->tp_src = htons(icmp.icmp_type);
        key->tp_dst = htons(icmp.icmp_code);
    }
    if (lv->present & BIT(OVS_KEY_ATTR_ND)) {
        struct ovs_key_nd nd;

        memcpy(&nd, lv->data[OVS_KEY_ATTR_ND], sizeof nd);
        memcpy(key->nd_target, nd.nd_target, sizeof key->nd_target);
        memcpy(key->arp_sha, nd.nd_sll, sizeof key->arp_sha);
        memcpy(key->arp_tha, nd.nd_tll, sizeof key->arp_tha);
    }
    return 0;
}

static int parse_key_level(const uint8_t *buf, size_t len, unsigned int level,
                           struct flow_key *key, struct odp_key_info *info,
                           struct xsw_err *err);

/* One VLAN level: eth_type(TPID), vlan(TCI), encap(...) (the kernel's
 * validate_vlan_from_nlattrs()). */
static int
parse_key_vlan(const struct level *lv, unsigned int level, __be16 tpid,
               struct flow_key *key, struct odp_key_info *info, struct xsw_err *err)
{
    uint64_t misplaced;
    __be16 tci;
    int error;

    if ((lv->present & ATTRS_VLAN) != ATTRS_VLAN) {
        return xsw_err_set(err, EINVAL, "eth_type: 0x%04x is a VLAN TPID, which "
                           "needs vlan() and encap() beside it", ntohs(tpid));
    }
    misplaced = lv->present & (ATTRS_L3 | ATTRS_L4);
    if (misplaced) {
        return xsw_err_set(err, EINVAL, "%s: belongs inside the encap of a VLAN frame",
                           odp_key_attr_name(first_type(misplaced)));
    }

    tci = get_be16(lv, OVS_KEY_ATTR_VLAN);
    key->vlans[level].tpid = tpid;
    key->vlans[level].tci = tci;
    if (!(tci & htons(FLOW_VLAN_CFI))) {
        if (tci) {
            return xsw_err_set(err, EINVAL, "vlan: TCI 0x%04x lacks the tag-present "
                               "bit 0x%04x", ntohs(tci), FLOW_VLAN_CFI);
        }
        if (lv->len[OVS_KEY_ATTR_ENCAP]) {
            return xsw_err_set(err, EINVAL, "encap: must be empty after a truncated "
                               "VLAN tag (vlan(0))");
        }
        /* Nothing after the TPID was read: no innermost type (flow_extract()
         * leaves it 0 too). */
        key->eth_type = 0;
        return 0;
    }

    error = parse_key_level(lv->data[OVS_KEY_ATTR_ENCAP], lv->len[OVS_KEY_ATTR_ENCAP],
                            level + 1, key, info, err);
    if (error) {
        xsw_err_prefix(err, "encap");
    }
    return error;
}

static int
parse_key_level(const uint8_t *buf, size_t len, unsigned int level,
                struct flow_key *key, struct odp_key_info *info, struct xsw_err *err)
{
    struct level lv;
    __be16 eth_type = 0;
    bool has_eth_type;
    int error;

    error = walk_level(buf, len, &lv, info, err);
    if (error) {
        return error;
    }
    if (info) {
        info->attrs[level] = lv.all;
    }

    if (level > 0 && (lv.present & ATTRS_OUTER_ONLY)) {
        return xsw_err_set(err, EINVAL, "%s: not allowed inside encap",
                           odp_key_attr_name(first_type(lv.present & ATTRS_OUTER_ONLY)));
    }
    if (level == 0) {
        if (lv.present & BIT(OVS_KEY_ATTR_RECIRC_ID)) {
            key->recirc_id = get_u32(&lv, OVS_KEY_ATTR_RECIRC_ID);
        }
        if (lv.present & BIT(OVS_KEY_ATTR_DP_HASH)) {
            key->dp_hash = get_u32(&lv, OVS_KEY_ATTR_DP_HASH);
        }
        if (lv.present & BIT(OVS_KEY_ATTR_PRIORITY)) {
            key->priority = get_u32(&lv, OVS_KEY_ATTR_PRIORITY);
        }
        if (lv.present & BIT(OVS_KEY_ATTR_IN_PORT)) {
            key->in_port = get_u32(&lv, OVS_KEY_ATTR_IN_PORT);
        }
        if (lv.present & BIT(OVS_KEY_ATTR_SKB_MARK)) {
            key->skb_mark = get_u32(&lv, OVS_KEY_ATTR_SKB_MARK);
        }
        if (lv.present & BIT(OVS_KEY_ATTR_ETHERNET)) {
            struct ovs_key_ethernet eth;

            memcpy(&eth, lv.data[OVS_KEY_ATTR_ETHERNET], sizeof eth);
            memcpy(key->eth_src, eth.eth_src, sizeof key->eth_src);
            memcpy(key->eth_dst, eth.eth_dst, sizeof key->eth_dst);
        }
    }

    has_eth_type = lv.present & BIT(OVS_KEY_ATTR_ETHERTYPE);
    if (has_eth_type) {
        eth_type = get_be16(&lv, OVS_KEY_ATTR_ETHERTYPE);
        if (ntohs(eth_type) < ETH_P_802_3_MIN) {
            return xsw_err_set(err, EINVAL, "eth_type: 0x%04x is below 0x%04x (an "
                               "802.3 frame has no eth_type)", ntohs(eth_type),
                               ETH_P_802_3_MIN);
        }
        if (eth_type_is_vlan(eth_type) && level < FLOW_MAX_VLANS) {
            return parse_key_vlan(&lv, level, eth_type, key, info, err);
        }
    }
    if (lv.present & ATTRS_VLAN) {
        const char *name = odp_key_attr_name(first_type(lv.present & ATTRS_VLAN));

        if (has_eth_type && eth_type_is_vlan(eth_type)) {
            return xsw_err_set(err, E2BIG, "%s: more than %d nested VLAN tags",
                               name, FLOW_MAX_VLANS);
        }
        return xsw_err_set(err, EINVAL, "%s: needs eth_type 0x%04x or 0x%04x beside it",
                           name, ETH_P_8021Q, ETH_P_8021AD);
    }

    /* No eth_type is 802.2, as in the kernel and OVS userspace.  A runt's
     * key (eth_type 0, eth() zero) reads back as such too: telling it by its
     * zero addresses would misread every masked key whose MACs are
     * wildcarded, hence zero. */
    key->eth_type = has_eth_type ? eth_type : htons(FLOW_ETH_TYPE_NONE);
    return parse_key_l3_l4(&lv, key, err);
}

int
odp_key_parse(const void *attrs, size_t len, struct flow_key *key,
              struct odp_key_info *info, struct xsw_err *err)
{
    int error;

    memset(key, 0, sizeof *key);
    if (info) {
        memset(info, 0, sizeof *info);
    }
    if (!attrs && len) {
        return xsw_err_set(err, EINVAL, "no key attributes given for %zu bytes", len);
    }
    error = parse_key_level(attrs, len, 0, key, info, err);
    if (error) {
        memset(key, 0, sizeof *key);
        if (info) {
            memset(info, 0, sizeof *info);
        }
    }
    return error;
}

/* ----------------------------------------------------------------- masks */

/* The exact mask of a key given without one: all ones in every field that an
 * attribute present in the key covers (the kernel's mask_set_nlattr()). */
static void
exact_mask(const struct odp_key_info *ki, struct flow_key *m)
{
    for (unsigned int level = 0; level <= FLOW_MAX_VLANS; level++) {
        uint64_t a = ki->attrs[level];

        if (a & BIT(OVS_KEY_ATTR_RECIRC_ID)) {
            m->recirc_id = UINT32_MAX;
        }
        if (a & BIT(OVS_KEY_ATTR_DP_HASH)) {
            m->dp_hash = UINT32_MAX;
        }
        if (a & BIT(OVS_KEY_ATTR_PRIORITY)) {
            m->priority = UINT32_MAX;
        }
        if (a & BIT(OVS_KEY_ATTR_SKB_MARK)) {
            m->skb_mark = UINT32_MAX;
        }
        if (a & BIT(OVS_KEY_ATTR_ETHERNET)) {
            memset(m->eth_src, 0xff, sizeof m->eth_src);
            memset(m->eth_dst, 0xff, sizeof m->eth_dst);
        }
        if (a & (BIT(OVS_KEY_ATTR_IPV4) | BIT(OVS_KEY_ATTR_ARP))) {
            m->nw_src = m->nw_dst = htonl(UINT32_MAX);
            m->nw_proto = UINT8_MAX;
        }
        if (a & (BIT(OVS_KEY_ATTR_IPV4) | BIT(OVS_KEY_ATTR_IPV6))) {
            m->nw_proto = m->nw_tos = m->nw_ttl = m->nw_frag = UINT8_MAX;
        }
        if (a & BIT(OVS_KEY_ATTR_IPV6)) {
            memset(m->ipv6_src, 0xff, sizeof m->ipv6_src);
            memset(m->ipv6_dst, 0xff, sizeof m->ipv6_dst);
            m->ipv6_label = htonl(UINT32_MAX);
        }
        if (a & BIT(OVS_KEY_ATTR_ARP)) {
            memset(m->arp_sha, 0xff, sizeof m->arp_sha);
            memset(m->arp_tha, 0xff, sizeof m->arp_tha);
        }
        if (a & BIT(OVS_KEY_ATTR_MPLS)) {
            for (unsigned int i = 0; i < FLOW_MAX_MPLS; i++) {
                m->mpls_lse[i] = htonl(UINT32_MAX);
            }
        }
        if (a & (BIT(OVS_KEY_ATTR_TCP) | BIT(OVS_KEY_ATTR_UDP) | BIT(OVS_KEY_ATTR_SCTP))) {
            m->tp_src = m->tp_dst = htons(UINT16_MAX);
        }
        if (a & (BIT(OVS_KEY_ATTR_ICMP) | BIT(OVS_KEY_ATTR_ICMPV6))) {
            /* One byte each in the attribute, in the low byte of tp_*. */
            m->tp_src = m->tp_dst = htons(UINT8_MAX);
        }
        if (a & BIT(OVS_KEY_ATTR_TCP_FLAGS)) {
            m->tcp_flags = htons(UINT16_MAX);
        }
        if (a & BIT(OVS_KEY_ATTR_ND)) {
            memset(m->nd_target, 0xff, sizeof m->nd_target);
            memset(m->arp_sha, 0xff, sizeof m->arp_sha);
            memset(m->arp_tha, 0xff, sizeof m->arp_tha);
        }
    }
    /* The type is part of every key, present or implied by its absence. */
    m->eth_type = htons(UINT16_MAX);
}

static int parse_mask_level(const uint8_t *buf, size_t len, unsigned int level,
                            const struct odp_key_info *ki, struct flow_key *m,
                            struct xsw_err *err);

/* A VLAN level of the key: the mask may narrow the TCI and go on inside the
 * encap, but the TPID stays exact (validate_vlan_mask_from_nlattrs()). */
static int
parse_mask_vlan(const struct level *lv, unsigned int level, const struct odp_key_info *ki,
                struct flow_key *m, struct xsw_err *err)
{
    int error;

    if (lv->nonzero & BIT(OVS_KEY_ATTR_ETHERTYPE)) {
        __be16 tpid = get_be16(lv, OVS_KEY_ATTR_ETHERTYPE);

        if (tpid != htons(UINT16_MAX)) {
            return xsw_err_set(err, EINVAL, "eth_type: mask 0x%04x of a VLAN TPID "
                               "must be 0xffff", ntohs(tpid));
        }
    }
    if (lv->nonzero & BIT(OVS_KEY_ATTR_VLAN)) {
        __be16 tci = get_be16(lv, OVS_KEY_ATTR_VLAN);

        /* Without it a tagged frame could match a flow for a cut tag. */
        if (!(tci & htons(FLOW_VLAN_CFI))) {
            return xsw_err_set(err, EINVAL, "vlan: mask 0x%04x must include the "
                               "tag-present bit 0x%04x", ntohs(tci), FLOW_VLAN_CFI);
        }
        m->vlans[level].tci = tci;
    }
    if (lv->len[OVS_KEY_ATTR_ENCAP]) {
        error = parse_mask_level(lv->data[OVS_KEY_ATTR_ENCAP], lv->len[OVS_KEY_ATTR_ENCAP],
                                 level + 1, ki, m, err);
        if (error) {
            xsw_err_prefix(err, "encap");
            return error;
        }
    }
    return 0;
}

static int
parse_mask_level(const uint8_t *buf, size_t len, unsigned int level,
                 const struct odp_key_info *ki, struct flow_key *m, struct xsw_err *err)
{
    uint64_t key_attrs = level <= FLOW_MAX_VLANS ? ki->attrs[level] : 0;
    uint64_t nz, stray;
    struct level lv;
    int error;

    error = walk_level(buf, len, &lv, NULL, err);
    if (error) {
        return error;
    }
    /* An empty encap is all zero too: the kernel skips it. */
    nz = lv.nonzero;

    if (level > 0 && (nz & ATTRS_OUTER_ONLY)) {
        return xsw_err_set(err, EINVAL, "%s: not allowed inside encap",
                           odp_key_attr_name(first_type(nz & ATTRS_OUTER_ONLY)));
    }
    stray = nz & ~key_attrs & ~(BIT(OVS_KEY_ATTR_IN_PORT) | BIT(OVS_KEY_ATTR_ETHERTYPE));
    if (stray) {
        return xsw_err_set(err, EINVAL, "%s: mask for an attribute the key does not "
                           "have", odp_key_attr_name(first_type(stray)));
    }

    if (level == 0) {
        /* in_port: always exact, set by the caller whatever the mask says. */
        if (nz & BIT(OVS_KEY_ATTR_RECIRC_ID)) {
            m->recirc_id = get_u32(&lv, OVS_KEY_ATTR_RECIRC_ID);
        }
        if (nz & BIT(OVS_KEY_ATTR_DP_HASH)) {
            m->dp_hash = get_u32(&lv, OVS_KEY_ATTR_DP_HASH);
        }
        if (nz & BIT(OVS_KEY_ATTR_PRIORITY)) {
            m->priority = get_u32(&lv, OVS_KEY_ATTR_PRIORITY);
        }
        if (nz & BIT(OVS_KEY_ATTR_SKB_MARK)) {
            m->skb_mark = get_u32(&lv, OVS_KEY_ATTR_SKB_MARK);
        }
        if (nz & BIT(OVS_KEY_ATTR_ETHERNET)) {
            struct ovs_key_ethernet eth;

            memcpy(&eth, lv.data[OVS_KEY_ATTR_ETHERNET], sizeof eth);
            memcpy(m->eth_src, eth.eth_src, sizeof m->eth_src);
            memcpy(m->eth_dst, eth.eth_dst, sizeof m->eth_dst);
        }
    }

    if ((key_attrs & BIT(OVS_KEY_ATTR_ENCAP)) && level < FLOW_MAX_VLANS) {
        return parse_mask_vlan(&lv, level, ki, m, err);
    }

    /* The kernel matches a type fully or not at all. */
    if (nz & BIT(OVS_KEY_ATTR_ETHERTYPE)) {
        m->eth_type = htons(UINT16_MAX);
    }

    if ((nz & ATTRS_L3) && m->eth_type != htons(UINT16_MAX)) {
        return xsw_err_set(err, EINVAL, "%s: mask needs an exact eth_type",
                           odp_key_attr_name(first_type(nz & ATTRS_L3)));
    }
    if (nz & BIT(OVS_KEY_ATTR_IPV4)) {
        struct ovs_key_ipv4 ipv4;

        memcpy(&ipv4, lv.data[OVS_KEY_ATTR_IPV4], sizeof ipv4);
        m->nw_src = ipv4.ipv4_src;
        m->nw_dst = ipv4.ipv4_dst;
        m->nw_proto = ipv4.ipv4_proto;
        m->nw_tos = ipv4.ipv4_tos;
        m->nw_ttl = ipv4.ipv4_ttl;
        m->nw_frag = ipv4.ipv4_frag;
        if (m->nw_frag && m->nw_frag != UINT8_MAX) {
            /* An enumeration: a partial mask means nothing (and the text
             * form has no way to print one). */
            return xsw_err_set(err, EINVAL, "ipv4: partial mask %#x for frag: "
                               "expected 0 or 0xff", m->nw_frag);
        }
    }
    if (nz & BIT(OVS_KEY_ATTR_IPV6)) {
        struct ovs_key_ipv6 ipv6;

        memcpy(&ipv6, lv.data[OVS_KEY_ATTR_IPV6], sizeof ipv6);
        memcpy(m->ipv6_src, ipv6.ipv6_src, sizeof m->ipv6_src);
        memcpy(m->ipv6_dst, ipv6.ipv6_dst, sizeof m->ipv6_dst);
        m->ipv6_label = ipv6.ipv6_label;
        m->nw_proto = ipv6.ipv6_proto;
        m->nw_tos = ipv6.ipv6_tclass;
        m->nw_ttl = ipv6.ipv6_hlimit;
        m->nw_frag = ipv6.ipv6_frag;
        if (m->nw_frag && m->nw_frag != UINT8_MAX) {
            return xsw_err_set(err, EINVAL, "ipv6: partial mask %#x for frag: "
                               "expected 0 or 0xff", m->nw_frag);
        }
    }
    if (nz & BIT(OVS_KEY_ATTR_ARP)) {
        struct ovs_key_arp arp;

        memcpy(&arp, lv.data[OVS_KEY_ATTR_ARP], sizeof arp);
        m->nw_src = arp.arp_sip;
        m->nw_dst = arp.arp_tip;
        m->nw_proto = (uint8_t) ntohs(arp.arp_op);
        memcpy(m->arp_sha, arp.arp_sha, sizeof m->arp_sha);
        memcpy(m->arp_tha, arp.arp_tha, sizeof m->arp_tha);
    }
    if (nz & BIT(OVS_KEY_ATTR_MPLS)) {
        memcpy(m->mpls_lse, lv.data[OVS_KEY_ATTR_MPLS], lv.len[OVS_KEY_ATTR_MPLS]);
    }

    if ((nz & ATTRS_L4 & ~BIT(OVS_KEY_ATTR_ND)) && m->nw_proto != UINT8_MAX) {
        return xsw_err_set(err, EINVAL, "%s: mask needs an exact ip proto",
                           odp_key_attr_name(first_type(nz & ATTRS_L4)));
    }
    if (nz & BIT(OVS_KEY_ATTR_TCP)) {
        struct ovs_key_tcp tcp;

        memcpy(&tcp, lv.data[OVS_KEY_ATTR_TCP], sizeof tcp);
        m->tp_src = tcp.tcp_src;
        m->tp_dst = tcp.tcp_dst;
    }
    if (nz & BIT(OVS_KEY_ATTR_TCP_FLAGS)) {
        m->tcp_flags = get_be16(&lv, OVS_KEY_ATTR_TCP_FLAGS);
    }
    if (nz & BIT(OVS_KEY_ATTR_UDP)) {
        struct ovs_key_udp udp;

        memcpy(&udp, lv.data[OVS_KEY_ATTR_UDP], sizeof udp);
        m->tp_src = udp.udp_src;
        m->tp_dst = udp.udp_dst;
    }
    if (nz & BIT(OVS_KEY_ATTR_SCTP)) {
        struct ovs_key_sctp sctp;

        memcpy(&sctp, lv.data[OVS_KEY_ATTR_SCTP], sizeof sctp);
        m->tp_src = sctp.sctp_src;
        m->tp_dst = sctp.sctp_dst;
    }
    if (nz & BIT(OVS_KEY_ATTR_ICMP)) {
        struct ovs_key_icmp icmp;

        memcpy(&icmp, lv.data[OVS_KEY_ATTR_ICMP], sizeof icmp);
        m->tp_src = htons(icmp.icmp_type);
        m->tp_dst = htons(icmp.icmp_code);
    }
    if (nz & BIT(OVS_KEY_ATTR_ICMPV6)) {
        struct ovs_key_icmpv6 icmpv6;

        memcpy(&icmpv6, lv.data[OVS_KEY_ATTR_ICMPV6], sizeof icmpv6);
        m->tp_src = htons(icmpv6.icmpv6_type);
        m->tp_dst = htons(icmpv6.icmpv6_code);
    }
    if (nz & BIT(OVS_KEY_ATTR_ND)) {
        struct ovs_key_nd nd;

        /* nd() exists only for types 135/136: the type must be pinned. */
        if (m->tp_src != htons(UINT8_MAX)) {
            return xsw_err_set(err, EINVAL, "nd: mask needs an exact icmpv6 type");
        }
        memcpy(&nd, lv.data[OVS_KEY_ATTR_ND], sizeof nd);
        memcpy(m->nd_target, nd.nd_target, sizeof m->nd_target);
        memcpy(m->arp_sha, nd.nd_sll, sizeof m->arp_sha);
        memcpy(m->arp_tha, nd.nd_tll, sizeof m->arp_tha);
    }
    return 0;
}

/* Whether the outer level of a (validated) attribute run has type. */
static bool
odp_attrs_have(const void *attrs, size_t len, uint16_t type)
{
    const struct nlattr *attr;  /* the name mnl_attr_for_each_payload uses */

    mnl_attr_for_each_payload(attrs, len) {
        if (mnl_attr_get_type(attr) == type) {
            return true;
        }
    }
    return false;
}

int
odp_mask_parse(const void *attrs, size_t len, const struct odp_key_info *key_info,
               struct flow_mask *mask, struct xsw_err *err)
{
    static const struct odp_key_info no_info;
    struct flow_key *m = &mask->m;
    int error = 0;

    if (!key_info) {
        key_info = &no_info;
    }
    memset(mask, 0, sizeof *mask);

    if (!attrs) {
        exact_mask(key_info, m);
    } else {
        error = parse_mask_level(attrs, len, 0, key_info, m, err);
    }
    if (error) {
        memset(mask, 0, sizeof *mask);
        return error;
    }

    /* What the datapath adds: in_port exact whenever it is matched at all
     * (the kernel's metadata_from_nlattrs(): a mask that names in_port gets
     * it exact, a mask without it wildcards it, no mask at all is exact on
     * what the key has), and tagged vs untagged always told apart ("Always
     * match on tci"), the TPID included since xsw keeps it in the key.  A
     * TCI the mask narrowed keeps its narrower value. */
    m->in_port = (attrs ? odp_attrs_have(attrs, len, OVS_KEY_ATTR_IN_PORT)
                        : (key_info->attrs[0] & BIT(OVS_KEY_ATTR_IN_PORT)) != 0)
                 ? UINT32_MAX : 0;
    for (unsigned int i = 0; i < FLOW_MAX_VLANS; i++) {
        m->vlans[i].tpid = htons(UINT16_MAX);
        if (!m->vlans[i].tci) {
            m->vlans[i].tci = htons(UINT16_MAX);
        }
    }
    return 0;
}
