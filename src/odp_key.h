/* odp_key: struct flow_key / flow_mask <-> OVS_KEY_ATTR_* netlink attributes,
 * exactly as the OVS kernel datapath writes and reads them.
 *
 * Pure module (libmnl for attribute handling); any thread; no allocation.
 *
 * Buffers.  Output goes into a netlink message the caller set up with
 * mnl_nlmsg_put_header() over a buffer of buflen bytes (the caller may have
 * opened a nest, e.g. OVS_FLOW_ATTR_KEY, first); functions append attributes
 * and return -EMSGSIZE when the buffer is full, leaving the message as it was.
 * Input is a run of attributes (attrs, len), e.g. the payload of
 * OVS_FLOW_ATTR_KEY; it need not be aligned.
 *
 * Output is canonical: a given key always yields the same attributes in the
 * same order (the kernel's, __ovs_nla_put_key()), so whole encoded keys can
 * be hashed and compared as bytes.  Which attributes appear follows from the
 * field values:
 *   recirc_id, dp_hash, skb_priority, in_port, skb_mark   always, even when 0
 *   eth                                                   always
 *   per VLAN tag (outer first, at most FLOW_MAX_VLANS):
 *     eth_type(TPID), vlan(TCI), encap(...rest of the key...)
 *     a tag without the tag-present bit (truncated after its TPID) leaves its
 *     encap empty; a tag with a TCI but no TPID is written as 0x8100
 *   eth_type          left out when < 0x0600 (802.2: FLOW_ETH_TYPE_NONE, or
 *                     0 for a frame shorter than an Ethernet header)
 *   after two tags, an eth_type that is itself a TPID ends the key
 *   ipv4 / ipv6 / arp (also RARP) / mpls by eth_type; mpls holds the label
 *     stack entries up to the first bottom-of-stack one, or up to the last
 *     nonzero one when none has it; 1 to FLOW_MAX_MPLS entries
 *   for IPv4/IPv6 that is not a later fragment, by nw_proto: tcp + tcp_flags,
 *     udp, sctp, icmp (IPv4 only), icmpv6 (IPv6 only) + nd when the ICMPv6
 *     type is 135 or 136 (whatever the code, as the kernel)
 * xsw writes no tunnel or conntrack attributes: it has neither.
 *
 * Input accepts any order, validates every length and nesting level, rejects
 * duplicates at one level, and keeps attributes it does not interpret (unknown
 * types, and known ones xsw does not match on such as tunnel or conntrack) as
 * opaque: they are counted in odp_key_info, never mistaken for known ones, and
 * a flow installed with them stores the original bytes for dumping.
 * What the kernel rejects is rejected too (eth_type below 0x0600, a VLAN
 * eth_type without vlan and encap, a TCI without the tag-present bit, a
 * truncated tag with a non-empty encap, frag > 2, an IPv6 label over 20 bits,
 * an ARP opcode over 255), and so is what xsw could only misread: protocol
 * attributes that contradict eth_type / nw_proto (ipv4 with eth_type 0x86dd,
 * udp with proto 6, tcp in a later fragment, nd with ICMPv6 type 128),
 * metadata or eth inside encap, L3/L4 outside the encap of a VLAN frame.
 * A key may lack attributes its fields imply (a packet-execute key carries
 * only metadata); odp_key_expected_attrs() tells what a full key holds.
 *
 * Decoding conventions where the attributes leave a choice (they match what
 * flow_extract() produces for the same frame):
 *  - a truncated tag decodes with eth_type 0 (nothing after it was read);
 *  - no eth_type at the innermost level means FLOW_ETH_TYPE_NONE, even for
 *    the key of a runt (eth_type 0, eth() zero), which writes the same
 *    attributes as an 802.2 frame from and to 00:00:00:00:00:00: the kernel
 *    has no runts, and zero addresses are also what a wildcarded eth() holds.
 */
#ifndef XSW_ODP_KEY_H
#define XSW_ODP_KEY_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "flow_key.h"
#include "xsw_err.h"

/* What a decoded key held, level by level (0 = outer, 1 = inside the first
 * encap, 2 = inside the second).  Bit N of attrs[level] = OVS_KEY_ATTR_N
 * present (types >= 64 are counted as opaque but have no bit).  The slow path
 * compares this with odp_key_expected_attrs() to apply the compatibility rules
 * of FLOW-KEYS.md. */
struct odp_key_info {
    uint64_t attrs[FLOW_MAX_VLANS + 1];
    unsigned int n_opaque;      /* attributes kept but not interpreted */
    uint8_t opaque_types[8];    /* the first few of their types (255 for any
                                 * type above 254), for messages */
};

/* Appends the attributes of key (canonical order, kernel shape). */
int odp_key_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key);

/* Appends the mask attributes of mask, shaped by key (ovs_nla_put_mask):
 * every attribute odp_key_put() would write for key, with mask values.  The
 * eth_type of a VLAN level carries the TPID mask, and an innermost eth_type
 * below 0x0600 is written only when its mask is nonzero (as the kernel does
 * for 802.2). */
int odp_mask_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key,
                 const struct flow_mask *mask);

/* Decodes a key.  Absent attributes leave their fields zero.  info may be
 * NULL.  Errors name the attribute and the problem, e.g.
 * "ipv4: length 8, expected 12", "duplicate attribute eth_type" or, inside a
 * VLAN, "encap: udp: not valid with ipv4 proto 6"; -EINVAL, or -E2BIG for
 * encap nested deeper than FLOW_MAX_VLANS.  On error *key and *info are
 * zeroed. */
int odp_key_parse(const void *attrs, size_t len, struct flow_key *key,
                  struct odp_key_info *info, struct xsw_err *err);

/* Decodes a mask for the key key_info describes (ovs_nla_get_match()).
 *
 * attrs == NULL (no mask given): exact match on every field of every
 * attribute present in the key, as the kernel does for a flow installed
 * without a mask.
 *
 * With a mask, the kernel's rules: lengths and duplicates as for a key; an
 * all-zero attribute counts as absent; a nonzero attribute the key lacks is
 * rejected (in_port and eth_type excepted); a nonzero eth_type mask means an
 * exact one; a VLAN level needs an exact TPID mask and a TCI mask with the
 * tag-present bit; ipv4/ipv6/arp/mpls masks need an exact eth_type, L4 masks
 * an exact nw_proto, nd an exact ICMPv6 type.
 *
 * In both cases the datapath adds its own restrictions, which a later
 * odp_mask_put() reports: in_port is exact whenever it is matched at all (a
 * mask that names it, or no mask and a key that has it; a mask without it
 * matches every port, as the kernel's metadata_from_nlattrs()), and both
 * VLAN tags (TPID and TCI) are always matched exactly unless the mask
 * narrows a TCI, so that a flow without VLAN attributes matches untagged
 * frames only.  On error *mask is zeroed. */
int odp_mask_parse(const void *attrs, size_t len, const struct odp_key_info *key_info,
                   struct flow_mask *mask, struct xsw_err *err);

/* The attributes odp_key_put() writes for key, as odp_key_info.attrs bitmaps.
 * A decoded key missing some of them is incomplete (the kernel refuses such a
 * key for a flow: "missing key"); one with more holds opaque attributes. */
void odp_key_expected_attrs(const struct flow_key *key,
                            uint64_t attrs[FLOW_MAX_VLANS + 1]);

/* Name of an OVS_KEY_ATTR_* type as the text form spells it ("in_port",
 * "eth_type", "skb_priority", "ct_label", ...), or NULL for a type xsw has no
 * name for (OVS prints those as "key<N>"). */
const char *odp_key_attr_name(unsigned int type);

#define ODP_KEY_LEN_VARIABLE (-1)   /* mpls: 4, 8 or 12; tunnel_info: any */
#define ODP_KEY_LEN_NESTED   (-2)   /* encap, tunnel, nsh */
#define ODP_KEY_LEN_UNKNOWN  (-3)

/* Expected payload length of a key attribute type: >= 0 fixed, or one of the
 * ODP_KEY_LEN_* values above. */
int odp_key_attr_len(unsigned int type);

#endif /* XSW_ODP_KEY_H */
