/* odp_actions: OVS_ACTION_ATTR_* netlink action lists: validation and
 * building.
 *
 * Pure module (libmnl); any thread; no allocation.  Action lists are kept and
 * executed in their netlink form (as the kernel datapath does): the fast path
 * walks attributes that odp_actions_validate() accepted, so it never checks a
 * length again.
 *
 * Supported: output, userspace (pid, userdata, egress tunnel port, actions
 * flag), set and set_masked of ethernet/ipv4/ipv6/tcp/udp/sctp and of
 * skb_priority/skb_mark, push_vlan, pop_vlan, trunc, sample (nested), clone
 * (nested), recirc, hash, drop, and the empty list (drop).  The other actions
 * the kernel knows (ct, mpls, meter, nsh, check_pkt_len, dec_ttl, push_eth,
 * psample, set of a tunnel...) are refused with -EOPNOTSUPP rather than
 * -EINVAL, so that a caller can tell "xsw cannot" from "nobody can".
 *
 * Lists are the payload of a netlink attribute: 4-byte aligned, at most
 * 65531 bytes long. */
#ifndef XSW_ODP_ACTIONS_H
#define XSW_ODP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "xsw_err.h"

/* Nesting limit for sample/clone, as the kernel's (OVS_COPY_ACTIONS_MAX_DEPTH):
 * the top-level list is depth 0 and a list nested 16 deep is still valid. */
#define ODP_ACTIONS_MAX_DEPTH 16

/* Action and hash numbers newer than the oldest <linux/openvswitch.h> that we
 * build against.  They are ABI and never change; they have our own names
 * because a newer header declares the kernel's as enumerators. */
#define ODP_ACTION_ATTR_DROP 24         /* u32 error code; last of its list */
#define ODP_ACTION_ATTR_PSAMPLE 25      /* nested; not supported by xsw */
#define ODP_HASH_ALG_SYM_L4 1           /* symmetric L4 hash (kernel 6.x) */

/* Checks an action list (actions may be NULL when len is 0): every type
 * known, every length exact, every nested list valid and at most
 * ODP_ACTIONS_MAX_DEPTH deep, set/set_masked carrying exactly one supported
 * key attribute of the right size, and the value rules the kernel applies
 * (push_vlan TPID and CFI bit, trunc length, hash algorithm, userspace pid,
 * output port range, drop last, masked set value within its mask).
 *
 * Rules that need the flow key (a set of ipv4 must keep the flow's proto and
 * frag, a set of tcp needs a TCP flow...) are the caller's: this module sees
 * only the list.
 *
 * Returns 0, -EINVAL for a malformed list, -EOPNOTSUPP for a well-formed
 * action xsw does not implement, -EOVERFLOW for nesting beyond the limit.
 * Errors give the position of the action (1-based, dotted inside sample and
 * clone: "2.1" is the first action nested in the second) and its name:
 * "action 3 (push_vlan): TPID 0x1234 is not 0x8100 or 0x88a8". */
int odp_actions_validate(const void *actions, size_t len, struct xsw_err *err);

/* True if the list only pushes/pops VLAN tags, sets Ethernet addresses and
 * then outputs to at most one port, the output being the last action: what
 * an XDP program could execute by itself, editing the frame in place and then
 * redirecting it.  An action after the output would edit a frame that the
 * kernel semantics say has already left, so it makes the list not simple.
 * The empty list (drop) is simple.  Meaningful for a list that
 * odp_actions_validate() accepted; safe (false) on any other. */
bool odp_actions_are_simple(const void *actions, size_t len);

/* Builders: append one action to nlh (buflen bytes); -EMSGSIZE when full,
 * with nlh left as it was. */
int odp_actions_put_output(struct nlmsghdr *nlh, size_t buflen, uint32_t port);
int odp_actions_put_push_vlan(struct nlmsghdr *nlh, size_t buflen,
                              uint16_t tpid, uint16_t tci);    /* host order; tci with CFI */
int odp_actions_put_pop_vlan(struct nlmsghdr *nlh, size_t buflen);
/* pid must not be 0 (the kernel refuses it); userdata is left out when
 * userdata_len is 0; -EINVAL if userdata is NULL with a non-zero length. */
int odp_actions_put_userspace(struct nlmsghdr *nlh, size_t buflen, uint32_t pid,
                              const void *userdata, size_t userdata_len);

/* Name of an OVS_ACTION_ATTR_* type as OVS writes it in flow dumps ("output",
 * "push_vlan"...; set_masked is written "set", as OVS does), or NULL. */
const char *odp_action_name(unsigned int type);

#endif /* XSW_ODP_ACTIONS_H */
