/* odp_key: struct flow_key / flow_mask <-> OVS_KEY_ATTR_* netlink attributes,
 * exactly as the OVS kernel datapath writes and reads them.
 *
 * Pure module (libmnl for attribute handling); any thread; no allocation.
 *
 * Buffers.  Output goes into a netlink message the caller set up with
 * mnl_nlmsg_put_header() over a buffer of buflen bytes (the caller may have
 * opened a nest, e.g. OVS_FLOW_ATTR_KEY, first); functions append attributes
 * and return -EMSGSIZE when the buffer is full.  Input is a run of attributes
 * (attrs, len), e.g. the payload of OVS_FLOW_ATTR_KEY.
 *
 * Output is canonical: a given key always yields the same attributes in the
 * same order (the kernel's order), so whole encoded keys can be hashed and
 * compared as bytes.  Which attributes appear follows from the field values
 * (ovs_nla_put_key): eth_type 0x0800 brings ipv4(), nw_proto 6 brings tcp()
 * and tcp_flags() unless the frame is a later fragment, a VLAN TPID brings
 * vlan() and encap(), and so on.
 *
 * Input accepts any order, validates every length and nesting level, rejects
 * duplicates at one level, and keeps attributes it does not interpret (unknown
 * types, and known ones xsw does not match on such as tunnel or conntrack) as
 * opaque: they are counted in odp_key_info, never mistaken for known ones, and
 * a flow installed with them stores the original bytes for dumping. */
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
 * present.  The slow path compares this with what it would have encoded to
 * apply the compatibility rules of FLOW-KEYS.md. */
struct odp_key_info {
    uint64_t attrs[FLOW_MAX_VLANS + 1];
    unsigned int n_opaque;      /* attributes kept but not interpreted */
    uint8_t opaque_types[8];    /* the first few of their types, for messages */
};

/* Appends the attributes of key (canonical order, kernel shape). */
int odp_key_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key);

/* Appends the mask attributes of mask, shaped by key (ovs_nla_put_mask):
 * every attribute odp_key_put() would write for key, with mask values. */
int odp_mask_put(struct nlmsghdr *nlh, size_t buflen, const struct flow_key *key,
                 const struct flow_mask *mask);

/* Decodes a key.  Absent attributes leave their fields zero.  info may be
 * NULL.  Errors name the attribute and the problem, e.g.
 * "ipv4: length 8, expected 12" or "duplicate attribute eth_type". */
int odp_key_parse(const void *attrs, size_t len, struct flow_key *key,
                  struct odp_key_info *info, struct xsw_err *err);

/* Decodes a mask for key.  attrs == NULL (no mask given) means exact match on
 * every field of every attribute present in the key (key_info says which), as
 * the kernel does for a flow installed without a mask. */
int odp_mask_parse(const void *attrs, size_t len, const struct odp_key_info *key_info,
                   struct flow_mask *mask, struct xsw_err *err);

/* Name of an OVS_KEY_ATTR_* type as the text form spells it ("in_port",
 * "eth_type", ...), or NULL for a type xsw has no name for. */
const char *odp_key_attr_name(unsigned int type);

/* Expected payload length of a key attribute type: >= 0 fixed, -1 variable
 * (mpls: multiple of 4), -2 nested (encap, tunnel, nsh), -3 unknown type. */
int odp_key_attr_len(unsigned int type);

#endif /* XSW_ODP_KEY_H */
