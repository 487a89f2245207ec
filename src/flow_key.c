/* flow_key: extraction of the datapath flow key from an Ethernet frame.
 *
 * The rules are those of the OVS kernel datapath (key_extract() in
 * net/openvswitch/flow.c), so that a key built here and one built by the
 * kernel for the same frame carry the same attributes: a header that is
 * truncated or malformed leaves its fields zero but its layer identified,
 * and nothing is ever dropped.
 *
 * Every bound check below is "remaining bytes >= size of what is read next",
 * with the read offset never past len except after an IPv6 extension header,
 * whose length is taken on trust as the kernel does; the IPv6 code checks
 * against len before each read instead.
 *
 * Offsets are set only for a layer whose key fields were read from the
 * frame: l2_5 for a whole first VLAN tag (12) or MPLS label, l3 for the
 * IPv4, IPv6 or ARP header, l4 for the TCP, UDP, SCTP, ICMP or ICMPv6
 * header; an MPLS payload and an unparsed IP protocol have none.
 *
 * This runs once per received frame, so it is one pass, straight-line for
 * Ethernet/IPv4/TCP, and loads go through memcpy() (unaligned-safe, compiled
 * to plain moves). */
#include "flow_key.h"

#include <linux/if_ether.h>
#include <linux/openvswitch.h>
#include <netinet/in.h>

#define VLAN_TAG_LEN 4              /* TPID + TCI */
#define LLC_SNAP_LEN 8              /* DSAP SSAP CTRL OUI[3] TYPE */
#define MPLS_LSE_LEN 4
#define MPLS_BOS 0x00000100         /* bottom-of-stack bit of an LSE */

#define ARP_LEN 28                  /* Ethernet/IPv4 ARP */

#define IPV4_HDR_MIN 20
#define IPV4_MF 0x2000
#define IPV4_OFFSET 0x1fff
#define IPV6_HDR_LEN 40
#define IPV6_LABEL 0x000fffff
#define IPV6_FRAG_OFFSET 0xfff8     /* fragment header: offset, above res+M */

#define TCP_HDR_MIN 20
#define TCP_FLAGS_MASK 0x0fff
#define UDP_HDR_LEN 8
#define SCTP_HDR_LEN 12
#define ICMP_HDR_LEN 8
#define ICMPV6_HDR_LEN 8

#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_MSG_LEN 24               /* ICMPv6 header + target address */
#define ND_OPT_SLL 1
#define ND_OPT_TLL 2

static inline uint16_t
load_be16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t
load_be32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

/* Pairs of fields that sit together both in the frame and in the key are
 * copied as one; key_at() names the start through the whole key so that the
 * copy is not mistaken for an overflow of the first field. */
#define key_at(key, field) ((uint8_t *) (key) + offsetof(struct flow_key, field))
_Static_assert(offsetof(struct flow_key, nw_dst) == offsetof(struct flow_key, nw_src) + 4
               && offsetof(struct flow_key, ipv6_dst) == offsetof(struct flow_key, ipv6_src) + 16
               && offsetof(struct flow_key, tp_dst) == offsetof(struct flow_key, tp_src) + 2,
               "paired fields are adjacent");

static inline bool
eth_addr_is_zero(const uint8_t a[ETH_ALEN])
{
    return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0;
}

/* Neighbour Solicitation/Advertisement: target and link-layer options.
 * Like the kernel, an option with a zero or overlong length ends the walk
 * keeping what was found, while a repeated SLL or TLL makes the message
 * ambiguous and clears all three ND fields. */
static void
parse_nd(const uint8_t *icmp, size_t rem, struct flow_key *key)
{
    if (rem < ND_MSG_LEN) {
        return;
    }
    memcpy(key->nd_target, icmp + 8, sizeof key->nd_target);

    const uint8_t *opt = icmp + ND_MSG_LEN;
    rem -= ND_MSG_LEN;
    while (rem >= 8) {
        size_t opt_len = (size_t) opt[1] * 8;

        if (opt_len == 0 || opt_len > rem) {
            return;
        }
        if (opt_len == 8) {
            uint8_t *lla = NULL;

            if (opt[0] == ND_OPT_SLL) {
                lla = key->arp_sha;
            } else if (opt[0] == ND_OPT_TLL) {
                lla = key->arp_tha;
            }
            if (lla) {
                if (!eth_addr_is_zero(lla)) {
                    memset(key->nd_target, 0, sizeof key->nd_target);
                    memset(key->arp_sha, 0, sizeof key->arp_sha);
                    memset(key->arp_tha, 0, sizeof key->arp_tha);
                    return;
                }
                memcpy(lla, opt + 2, ETH_ALEN);
            }
        }
        rem -= opt_len;
        opt += opt_len;
    }
}

/* Transport header at l4, with rem bytes of frame left from there, at frame
 * offset off.  Returns off, or FLOW_OFS_NONE when nothing was read (the
 * fields then stay zero, which is the "empty" attribute). */
static inline __attribute__((always_inline)) uint16_t
parse_l4(const uint8_t *l4, size_t rem, size_t off, bool ipv6, struct flow_key *key)
{
    uint8_t proto = key->nw_proto;

    /* TCP first: it is most of the traffic.  Its data offset must cover the
     * fixed header and fit in the frame, as the kernel's tcphdr_ok() wants. */
    if (__builtin_expect(proto == IPPROTO_TCP, 1)) {
        if (rem >= TCP_HDR_MIN) {
            size_t doff = (size_t) (l4[12] >> 4) * 4;

            if (doff >= TCP_HDR_MIN && doff <= rem) {
                memcpy(key_at(key, tp_src), l4, 4);   /* src, dst */
                key->tcp_flags = load_be16(l4 + 12) & htons(TCP_FLAGS_MASK);
                return (uint16_t) off;
            }
        }
        return FLOW_OFS_NONE;
    }

    switch (proto) {
    case IPPROTO_UDP:
        if (rem >= UDP_HDR_LEN) {
            memcpy(key_at(key, tp_src), l4, 4);
            return (uint16_t) off;
        }
        break;
    case IPPROTO_SCTP:
        if (rem >= SCTP_HDR_LEN) {
            memcpy(key_at(key, tp_src), l4, 4);
            return (uint16_t) off;
        }
        break;
    case IPPROTO_ICMP:
        if (!ipv6 && rem >= ICMP_HDR_LEN) {
            key->tp_src = htons(l4[0]);
            key->tp_dst = htons(l4[1]);
            return (uint16_t) off;
        }
        break;
    case IPPROTO_ICMPV6:
        if (ipv6 && rem >= ICMPV6_HDR_LEN) {
            key->tp_src = htons(l4[0]);
            key->tp_dst = htons(l4[1]);
            if (l4[1] == 0
                && (l4[0] == ND_NEIGHBOR_SOLICIT || l4[0] == ND_NEIGHBOR_ADVERT)) {
                parse_nd(l4, rem, key);
            }
            return (uint16_t) off;
        }
        break;
    }
    return FLOW_OFS_NONE;
}

/* IPv6 base header and extension headers.  Follows the kernel's
 * ipv6_skip_exthdr(): a truncated extension header, or "no next header",
 * leaves nw_proto = 59 and no transport layer, with the fragment type of
 * whatever fragment header was seen; a later fragment stops at its
 * fragment header, so nw_proto is 44. */
static void
parse_ipv6(const uint8_t *frame, size_t len, size_t off, struct flow_key *key,
           struct flow_offsets *o)
{
    const uint8_t *nh = frame + off;

    if (len - off < IPV6_HDR_LEN) {
        return;
    }
    o->l3 = (uint16_t) off;

    uint32_t vtcfl = load_be32(nh);
    key->ipv6_label = vtcfl & htonl(IPV6_LABEL);
    key->nw_tos = (uint8_t) (ntohl(vtcfl) >> 20);
    key->nw_ttl = nh[7];
    memcpy(key_at(key, ipv6_src), nh + 8, 32);  /* src, dst */

    uint8_t next = nh[6];
    off += IPV6_HDR_LEN;
    for (;;) {
        const uint8_t *eh;
        size_t hdr_len;

        switch (next) {
        case IPPROTO_HOPOPTS:
        case IPPROTO_ROUTING:
        case IPPROTO_DSTOPTS:
            if (off + 2 > len) {
                goto truncated;
            }
            eh = frame + off;
            hdr_len = ((size_t) eh[1] + 1) * 8;
            break;
        case IPPROTO_AH:
            if (off + 2 > len) {
                goto truncated;
            }
            eh = frame + off;
            hdr_len = ((size_t) eh[1] + 2) * 4;
            break;
        case IPPROTO_FRAGMENT: {
            if (off + 4 > len) {
                goto truncated;
            }
            eh = frame + off;
            uint16_t frag = load_be16(eh + 2);
            if (frag & htons(IPV6_FRAG_OFFSET)) {
                key->nw_frag = OVS_FRAG_TYPE_LATER;
                key->nw_proto = IPPROTO_FRAGMENT;
                return;
            }
            key->nw_frag = frag ? OVS_FRAG_TYPE_FIRST : OVS_FRAG_TYPE_NONE;
            hdr_len = 8;
            break;
        }
        case IPPROTO_NONE:
            goto truncated;
        default:
            /* The last extension header's length was taken on trust, so
             * the transport header may start beyond the frame. */
            key->nw_proto = next;
            if (off <= len) {
                o->l4 = parse_l4(frame + off, len - off, off, true, key);
            }
            return;
        }
        next = eh[0];
        off += hdr_len;
    }

truncated:
    key->nw_proto = IPPROTO_NONE;
}

/* Zeroing the key is the largest fixed cost per frame.  The 16-byte stores
 * are spelled out because a loop here becomes "rep stos" or a memset() call,
 * both several times slower for 128 bytes. */
typedef uint64_t key_chunk __attribute__((vector_size(16), aligned(8), may_alias));

/* Zeroes words 2..17: everything but the metadata words 0-1. */
static inline void
key_zero_but_meta(struct flow_key *key)
{
    key_chunk *c = (key_chunk *) (void *) ((uint64_t *) (void *) key + 2);
    const key_chunk zero = { 0, 0 };

    _Static_assert(FLOW_KEY_WORDS == 18, "one store per two words below");
    c[0] = zero;
    c[1] = zero;
    c[2] = zero;
    c[3] = zero;
    c[4] = zero;
    c[5] = zero;
    c[6] = zero;
    c[7] = zero;
}

void
flow_extract(const void *frame_, size_t len, const struct flow_meta *md,
             struct flow_key *key, struct flow_offsets *ofs)
{
    const uint8_t *frame = frame_;
    struct flow_offsets o = { FLOW_OFS_NONE, FLOW_OFS_NONE, FLOW_OFS_NONE };
    size_t off;
    uint16_t type;

    /* Metadata is the first 20 bytes of the key in the order of flow_meta. */
    _Static_assert(offsetof(struct flow_meta, in_port) == offsetof(struct flow_key, in_port)
                   && offsetof(struct flow_meta, recirc_id) == offsetof(struct flow_key, recirc_id)
                   && offsetof(struct flow_meta, dp_hash) == offsetof(struct flow_key, dp_hash)
                   && offsetof(struct flow_meta, skb_mark) == offsetof(struct flow_key, skb_mark)
                   && offsetof(struct flow_meta, priority) == offsetof(struct flow_key, priority)
                   && sizeof(struct flow_meta) == offsetof(struct flow_key, eth_type),
                   "flow_meta mirrors the start of flow_key");
    key_zero_but_meta(key);
    if (md) {
        /* Word 2 holds priority and the already zeroed eth_type. */
        memcpy(key, md, 16);
        key->priority = md->priority;
    } else {
        memset(key, 0, 16);
    }

    /* Offsets are 16 bits with 0xffff for "none"; no AF_XDP frame comes
     * near that, and a longer buffer is read as if cut there. */
    if (__builtin_expect(len >= FLOW_OFS_NONE, 0)) {
        len = FLOW_OFS_NONE - 1;
    }
    if (len < ETH_HLEN) {
        /* No Ethernet header: "not Ethernet II", with zero addresses, which
         * is how the netlink key (no eth_type attribute) reads back. */
        key->eth_type = htons(FLOW_ETH_TYPE_NONE);
        goto out;
    }
    memcpy(key->eth_dst, frame, ETH_ALEN);
    memcpy(key->eth_src, frame + ETH_ALEN, ETH_ALEN);
    type = load_be16(frame + 12);
    off = ETH_HLEN;

    /* A tag counts only with its TCI and the next type behind it, as in the
     * kernel's parse_vlan_tag(); otherwise its TPID alone is recorded. */
    if (type == htons(ETH_P_8021Q) || type == htons(ETH_P_8021AD)) {
        for (int i = 0; i < FLOW_MAX_VLANS; i++) {
            key->vlans[i].tpid = type;
            if (len - off < VLAN_TAG_LEN) {
                goto out;
            }
            if (i == 0) {
                o.l2_5 = 12;
            }
            key->vlans[i].tci = load_be16(frame + off) | htons(FLOW_VLAN_CFI);
            type = load_be16(frame + off + 2);
            off += VLAN_TAG_LEN;
            if (type != htons(ETH_P_8021Q) && type != htons(ETH_P_8021AD)) {
                break;
            }
        }
    }

    /* 802.3: only LLC+SNAP (AA AA 03, OUI 00-00-00) carries an Ethernet
     * type.  The control byte is checked as OVS userspace does; the kernel
     * skips it, but a non-UI frame is no SNAP frame.  A SNAP type that is a
     * VLAN TPID is not taken: tags are parsed only where Ethernet II puts
     * them, and a key whose eth_type is a TPID reads back as a tag. */
    if (ntohs(type) < ETH_P_802_3_MIN) {
        const uint8_t *llc = frame + off;

        if (len - off >= LLC_SNAP_LEN
            && load_be32(llc) == htonl(0xaaaa0300) && llc[4] == 0 && llc[5] == 0
            && ntohs(load_be16(llc + 6)) >= ETH_P_802_3_MIN
            && load_be16(llc + 6) != htons(ETH_P_8021Q)
            && load_be16(llc + 6) != htons(ETH_P_8021AD)) {
            type = load_be16(llc + 6);
            off += LLC_SNAP_LEN;
        } else {
            type = htons(FLOW_ETH_TYPE_NONE);
        }
    }
    key->eth_type = type;

    if (__builtin_expect(type == htons(ETH_P_IP), 1)) {
        const uint8_t *nh = frame + off;

        if (len - off < IPV4_HDR_MIN) {
            goto out;
        }
        size_t ihl = (size_t) (nh[0] & 0x0f) * 4;
        if (ihl < IPV4_HDR_MIN || ihl > len - off) {
            goto out;
        }
        o.l3 = (uint16_t) off;
        memcpy(key_at(key, nw_src), nh + 12, 8);    /* src, dst */
        key->nw_proto = nh[9];
        key->nw_tos = nh[1];
        key->nw_ttl = nh[8];

        uint16_t frag = load_be16(nh + 6);
        if (frag & htons(IPV4_OFFSET)) {
            key->nw_frag = OVS_FRAG_TYPE_LATER;
            goto out;
        }
        if (frag & htons(IPV4_MF)) {
            key->nw_frag = OVS_FRAG_TYPE_FIRST;
        }
        o.l4 = parse_l4(nh + ihl, len - off - ihl, off + ihl, false, key);
    } else if (type == htons(ETH_P_IPV6)) {
        parse_ipv6(frame, len, off, key, &o);
    } else if (type == htons(ETH_P_ARP) || type == htons(ETH_P_RARP)) {
        const uint8_t *arp = frame + off;

        /* Ethernet hardware, IPv4 protocol, 6- and 4-byte addresses. */
        if (len - off >= ARP_LEN
            && load_be32(arp) == htonl(0x00010800)
            && load_be16(arp + 4) == htons(0x0604)) {
            uint16_t op = ntohs(load_be16(arp + 6));

            o.l3 = (uint16_t) off;
            key->nw_proto = op <= 0xff ? (uint8_t) op : 0;
            memcpy(key->arp_sha, arp + 8, ETH_ALEN);
            memcpy(&key->nw_src, arp + 14, 4);
            memcpy(key->arp_tha, arp + 18, ETH_ALEN);
            memcpy(&key->nw_dst, arp + 24, 4);
        }
    } else if (type == htons(ETH_P_MPLS_UC) || type == htons(ETH_P_MPLS_MC)) {
        /* Only the label stack: what follows it has no type of its own. */
        for (int i = 0; i < FLOW_MAX_MPLS && len - off >= MPLS_LSE_LEN; i++) {
            uint32_t lse = load_be32(frame + off);

            if (o.l2_5 == FLOW_OFS_NONE) {
                o.l2_5 = (uint16_t) off;
            }
            key->mpls_lse[i] = lse;
            off += MPLS_LSE_LEN;
            if (lse & htonl(MPLS_BOS)) {
                break;
            }
        }
    }

out:
    if (ofs) {
        *ofs = o;
    }
}
