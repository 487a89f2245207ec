/* odp_actions: OVS_ACTION_ATTR_* netlink action lists: validation and
 * building.
 *
 * Pure module (libmnl); any thread; no allocation.  Action lists are kept and
 * executed in their netlink form (as the kernel datapath does): the fast path
 * walks attributes that odp_actions_validate() accepted, so it never checks a
 * length again.
 *
 * Supported: output, userspace (pid, userdata, egress tunnel port), set and
 * set_masked of ethernet/ipv4/ipv6/tcp/udp/sctp, push_vlan, pop_vlan, trunc,
 * sample (nested), clone (nested), recirc, hash, and the empty list (drop). */
#ifndef XSW_ODP_ACTIONS_H
#define XSW_ODP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "xsw_err.h"

/* Nesting limit for sample/clone, as the kernel's (OVS_COPY_ACTIONS_MAX_DEPTH). */
#define ODP_ACTIONS_MAX_DEPTH 16

/* Checks an action list: every type known, every length and nested list
 * valid, set/set_masked carrying one known key attribute of the right size.
 * Errors name the action and the problem ("push_vlan: TPID 0x1234 is not a
 * VLAN TPID"). */
int odp_actions_validate(const void *actions, size_t len, struct xsw_err *err);

/* True if the list only outputs to one port, pushes/pops a VLAN or sets
 * Ethernet addresses: what an XDP program could execute by itself. */
bool odp_actions_are_simple(const void *actions, size_t len);

/* Builders: append one action to nlh (buflen bytes); -EMSGSIZE when full. */
int odp_actions_put_output(struct nlmsghdr *nlh, size_t buflen, uint32_t port);
int odp_actions_put_push_vlan(struct nlmsghdr *nlh, size_t buflen,
                              uint16_t tpid, uint16_t tci);    /* host order; tci with CFI */
int odp_actions_put_pop_vlan(struct nlmsghdr *nlh, size_t buflen);
int odp_actions_put_userspace(struct nlmsghdr *nlh, size_t buflen, uint32_t pid,
                              const void *userdata, size_t userdata_len);

/* Name of an OVS_ACTION_ATTR_* type, or NULL. */
const char *odp_action_name(unsigned int type);

#endif /* XSW_ODP_ACTIONS_H */
