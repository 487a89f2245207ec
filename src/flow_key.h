/* flow_key: the Open vSwitch datapath flow key of a frame, its mask, and the
 * masked hash and compare that the classifier and the EMC are built on.
 *
 * Pure module: no I/O, no allocation; any thread may call it.  Everything
 * writes only into memory the caller owns.
 *
 * The key holds the same fields, with the same meaning and byte order, as the
 * kernel's OVS_KEY_ATTR_* attributes (<linux/openvswitch.h>); odp_key.[ch]
 * converts between the two.  It is a fixed-layout struct of 64-bit words so
 * that a mask is the same struct, "masked equal" is a word loop, and a
 * subtable can remember which words its mask touches.
 *
 * Conventions (they follow the kernel datapath, see FLOW-KEYS.md):
 *  - metadata fields are host order; every protocol field is network order.
 *  - vlans[0] is the outer tag.  A tag that was present has VLAN_CFI (0x1000)
 *    set in its tci, so a real TCI of 0 differs from "no tag".  A TPID with
 *    the tag truncated after it leaves vlans[i].tpid set and tci == 0.
 *  - eth_type is the innermost Ethernet type, after all VLAN tags.  A frame
 *    that is not Ethernet II (802.3 without SNAP) has FLOW_ETH_TYPE_NONE; a
 *    frame shorter than an Ethernet header has zero addresses, eth_type
 *    FLOW_ETH_TYPE_NONE and nothing else but metadata (its netlink key, with
 *    no eth_type attribute, reads back the same way).
 *  - ICMP and ICMPv6 carry type in tp_src and code in tp_dst (as OVS does).
 *  - ARP uses nw_src/nw_dst for SPA/TPA, nw_proto for the opcode (when it
 *    fits in 8 bits, else 0) and arp_sha/arp_tha; IPv6 ND reuses arp_sha as
 *    the source link-layer and arp_tha as the target link-layer address.
 *  - What could not be read from a malformed or truncated frame is zero; the
 *    layer is still identified by eth_type / nw_proto so that the netlink key
 *    still carries the layer's attribute ("tcp(src=0,dst=0)").
 */
#ifndef XSW_FLOW_KEY_H
#define XSW_FLOW_KEY_H 1

#include <arpa/inet.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FLOW_MAX_VLANS 2
#define FLOW_MAX_MPLS 3

/* Not Ethernet II (802.2 LLC without SNAP): OVS userspace's FLOW_DL_TYPE_NONE.
 * Encoded by leaving OVS_KEY_ATTR_ETHERTYPE out of the key, as the kernel does. */
#define FLOW_ETH_TYPE_NONE 0x05ff

#define FLOW_VLAN_CFI 0x1000    /* host order; use htons() against tci */

struct flow_vlan {
    __be16 tpid;                /* 0x8100 or 0x88a8; 0 when no tag */
    __be16 tci;                 /* PCP | CFI(present) | VID */
};

struct flow_key {
    /* Metadata, host order (word 0-2). */
    uint32_t in_port;           /* OVS_KEY_ATTR_IN_PORT: datapath port number */
    uint32_t recirc_id;         /* OVS_KEY_ATTR_RECIRC_ID */
    uint32_t dp_hash;           /* OVS_KEY_ATTR_DP_HASH */
    uint32_t skb_mark;          /* OVS_KEY_ATTR_SKB_MARK */
    uint32_t priority;          /* OVS_KEY_ATTR_PRIORITY */
    __be16 eth_type;            /* innermost Ethernet type */
    uint8_t pad0[2];            /* always zero */

    /* L2 (word 3-6). */
    uint8_t eth_src[6];
    uint8_t eth_dst[6];
    struct flow_vlan vlans[FLOW_MAX_VLANS];
    __be32 mpls_lse[FLOW_MAX_MPLS]; /* label stack entries, outer first */

    /* L3 (word 7-12). */
    __be32 nw_src;              /* IPv4 source, ARP SPA */
    __be32 nw_dst;              /* IPv4 destination, ARP TPA */
    uint8_t ipv6_src[16];
    uint8_t ipv6_dst[16];
    __be32 ipv6_label;          /* 20 bits, in the least significant bits */
    uint8_t nw_proto;           /* IP protocol / next header, ARP opcode */
    uint8_t nw_tos;             /* IPv4 TOS / IPv6 traffic class (DSCP+ECN) */
    uint8_t nw_ttl;             /* IPv4 TTL / IPv6 hop limit */
    uint8_t nw_frag;            /* OVS_FRAG_TYPE_NONE / _FIRST / _LATER */

    /* L4 (word 13-17). */
    __be16 tp_src;              /* TCP/UDP/SCTP port, ICMP(v6) type */
    __be16 tp_dst;              /* TCP/UDP/SCTP port, ICMP(v6) code */
    __be16 tcp_flags;           /* low 12 bits of the TCP flags word */
    uint8_t pad1[2];            /* always zero */
    uint8_t arp_sha[6];         /* ARP SHA, ND source link-layer address */
    uint8_t arp_tha[6];         /* ARP THA, ND target link-layer address */
    uint8_t pad2[4];            /* always zero */
    uint8_t nd_target[16];      /* IPv6 ND target address */
} __attribute__((aligned(8)));

#define FLOW_KEY_WORDS (sizeof(struct flow_key) / sizeof(uint64_t))

_Static_assert(sizeof(struct flow_key) % 8 == 0, "flow_key is a whole number of words");
_Static_assert(sizeof(struct flow_key) == 144, "flow_key layout changed: update FLOW_KEY_WORDS users");

/* 1-bits must match.  Same layout as the key so that one loop serves both. */
struct flow_mask {
    struct flow_key m;
};

/* What cannot be read from the frame, given by the caller of flow_extract(). */
struct flow_meta {
    uint32_t in_port;
    uint32_t recirc_id;
    uint32_t dp_hash;
    uint32_t skb_mark;
    uint32_t priority;
};

/* Where the headers of a frame start, for actions that rewrite them.
 * An offset of FLOW_OFS_NONE means the layer is absent or truncated. */
#define FLOW_OFS_NONE 0xffff
struct flow_offsets {
    uint16_t l2_5;              /* first VLAN tag or MPLS label, else NONE */
    uint16_t l3;                /* IPv4/IPv6/ARP header */
    uint16_t l4;                /* TCP/UDP/SCTP/ICMP header (not for later fragments) */
};

/* Fills *key from frame[0..len) and *md (NULL: all metadata zero).  Never
 * reads outside the frame, never fails: a malformed frame yields a key that
 * says what was missing.  ofs may be NULL. */
void flow_extract(const void *frame, size_t len, const struct flow_meta *md,
                  struct flow_key *key, struct flow_offsets *ofs);

/* A key (or mask) word as the helpers below read it: the key is written
 * field by field and read by words, which only a may_alias type makes
 * defined under the compiler's type-based aliasing rules.  Code outside this
 * header that reads flow_key_words() in the same function as it writes key
 * fields should read through this type too. */
typedef uint64_t flow_word __attribute__((may_alias));

static inline const uint64_t *
flow_key_words(const struct flow_key *key)
{
    return (const uint64_t *) (const void *) key;
}

static inline uint64_t *
flow_key_words_rw(struct flow_key *key)
{
    return (uint64_t *) (void *) key;
}

/* Word mixing for the hashes below: a multiply-xorshift that spreads every
 * input bit over the 32-bit result (keys differ mostly in a few bytes). */
static inline uint32_t
flow_hash_add64(uint32_t h, uint64_t w)
{
    uint64_t x = ((uint64_t) h << 32 | h) ^ w;
    x *= 0x9e3779b97f4a7c15ULL;
    x ^= x >> 29;
    return (uint32_t) (x >> 32) ^ (uint32_t) x;
}

static inline uint32_t
flow_hash_finish(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    return h;
}

/* Hash of the whole key (EMC). */
static inline uint32_t
flow_key_hash(const struct flow_key *key, uint32_t basis)
{
    const flow_word *k = flow_key_words(key);
    uint32_t h = basis;

    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        h = flow_hash_add64(h, k[i]);
    }
    return flow_hash_finish(h);
}

/* Hash of (key & mask) over words [start, end): a subtable hashes only the
 * words its mask touches.  Equal masked keys hash equal for a given range. */
static inline uint32_t
flow_key_hash_masked(const struct flow_key *key, const struct flow_mask *mask,
                     unsigned int start, unsigned int end, uint32_t basis)
{
    const flow_word *k = flow_key_words(key);
    const flow_word *m = flow_key_words(&mask->m);
    uint32_t h = basis;

    for (unsigned int i = start; i < end; i++) {
        h = flow_hash_add64(h, k[i] & m[i]);
    }
    return flow_hash_finish(h);
}

/* True if (key & mask) == masked_key over words [start, end); masked_key must
 * already be masked (as a stored megaflow's key is). */
static inline bool
flow_key_equal_masked(const struct flow_key *masked_key, const struct flow_key *key,
                      const struct flow_mask *mask, unsigned int start, unsigned int end)
{
    const flow_word *a = flow_key_words(masked_key);
    const flow_word *k = flow_key_words(key);
    const flow_word *m = flow_key_words(&mask->m);
    uint64_t diff = 0;

    for (unsigned int i = start; i < end; i++) {
        diff |= a[i] ^ (k[i] & m[i]);
    }
    return diff == 0;
}

static inline bool
flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* dst = src & mask (dst may be src). */
static inline void
flow_key_mask(struct flow_key *dst, const struct flow_key *src, const struct flow_mask *mask)
{
    const flow_word *s = flow_key_words(src);
    const flow_word *m = flow_key_words(&mask->m);
    flow_word *d = flow_key_words_rw(dst);

    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        d[i] = s[i] & m[i];
    }
}

/* The smallest [*start, *end) word range holding every nonzero mask word;
 * an all-zero mask gives an empty range (0, 0). */
static inline void
flow_mask_range(const struct flow_mask *mask, unsigned int *start, unsigned int *end)
{
    const flow_word *m = flow_key_words(&mask->m);
    unsigned int s = 0, e = FLOW_KEY_WORDS;

    while (s < e && !m[s]) {
        s++;
    }
    while (e > s && !m[e - 1]) {
        e--;
    }
    if (s == e) {
        s = e = 0;
    }
    *start = s;
    *end = e;
}

static inline bool
flow_vlan_present(const struct flow_vlan *v)
{
    return (v->tci & htons(FLOW_VLAN_CFI)) != 0 || v->tpid != 0;
}

#endif /* XSW_FLOW_KEY_H */
