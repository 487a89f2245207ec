/* ovs_genl: the OVS datapath families (ovs_datapath, ovs_vport, ovs_flow,
 * ovs_packet) on xswd's control socket, answered from datapath.h the way the
 * OVS kernel module answers them (net/openvswitch/datapath.c), so that a
 * client written for the kernel datapath needs only a different socket.
 *
 * Thread: the control thread, inside its event loop (the handlers run from
 * ctl_server).  No state of its own: the handlers' context is the switch.
 * Order of destruction: ctl_server_destroy() before dp_switch_destroy(),
 * because ending a flow dump in progress unlinks its cursor from the
 * datapath's classifier.
 *
 * What a client sees (every message carries struct ovs_header; replies put
 * dp_ifindex(dp) in it):
 *
 * Validation, as the kernel's attribute policies: attributes above the
 * family's maxattr, and those a request has no use for (STATS in a request),
 * are ignored; of an attribute given twice the last counts.  Fixed-size
 * attributes must have exactly their size (the kernel lets a longer one
 * through with a warning), names are NUL-terminated within IFNAMSIZ bytes,
 * nested ones are empty or at least an attribute header long.  Errors are
 * -EINVAL (unless noted) with a message that names the attribute:
 * "OVS_FLOW_ATTR_KEY missing", "OVS_VPORT_ATTR_PORT_NO: length 2, expected 4".
 * A datapath that is not there is -ENODEV: "datapath br9 does not exist".
 *
 * Changes are notified as genl_notify() does: the message describing the
 * change goes to the family's multicast group and, only if the request had
 * NLM_F_ECHO, to the requester as its reply (the requester is then left out
 * of the multicast).  Without NLM_F_ECHO a successful change is answered by
 * the ACK alone.  GET always replies.
 *
 * ovs_datapath (group "ovs_datapath")
 *   NEW  NAME required; UPCALL_PID (u32, 0 = none: the kernel requires
 *        it) and USER_FEATURES optional.  Creates the datapath with its
 *        internal port 0, a TAP
 *        device of that name.  -EEXIST if it exists; a request of genetlink
 *        version < OVS_DP_VER_FEATURES then also drops the existing
 *        datapath's user features, as the kernel does for old clients.
 *   DEL  by NAME, else by ovs_header.dp_ifindex.  Ports and flows go too.
 *   GET  by NAME or dp_ifindex; with NLM_F_DUMP every datapath, in creation
 *        order.
 *   SET  UPCALL_PID (u32) if present; USER_FEATURES replaced (absent = 0,
 *        as in the kernel).
 *   Messages: NAME, STATS (struct ovs_dp_stats), MEGAFLOW_STATS (struct
 *   ovs_dp_megaflow_stats; n_cache_hit 0: EMC hits are not counted per
 *   datapath), USER_FEATURES.  Features accepted: OVS_DP_F_UNALIGNED and
 *   OVS_DP_F_VPORT_PIDS; others -EOPNOTSUPP.
 *
 * ovs_vport (group "ovs_vport")
 *   NEW  NAME and TYPE required; TYPE must be OVS_VPORT_TYPE_NETDEV (an
 *        AF_XDP port; the only internal port is the datapath's own port 0,
 *        tunnel types do not exist here): -EOPNOTSUPP otherwise.  PORT_NO
 *        optional (0 or absent: the lowest free number; taken: -EBUSY;
 *        >= 65536: -EFBIG), UPCALL_PID optional (the kernel requires it;
 *        0 = the datapath's), OPTIONS optional
 *        (XSW_VPORT_OPT_XDP_MODE, _ZERO_COPY, _QUEUES of ctl_families.h;
 *        any other option -EINVAL).  IFINDEX in a request: -EOPNOTSUPP.
 *        Errors opening the device name it (dp_port_add()).
 *   DEL  by NAME (and dp_ifindex, if not 0, must be its datapath's), or by
 *        dp_ifindex + PORT_NO.  Port 0: -EINVAL.
 *   GET  likewise; with NLM_F_DUMP the ports of the datapath dp_ifindex in
 *        number order (a dump resumes after the last port number it sent).
 *   SET  UPCALL_PID; a TYPE that differs from the port's: -EINVAL; OPTIONS:
 *        -EOPNOTSUPP (a live port's attachment cannot change).
 *   Messages: PORT_NO, TYPE (INTERNAL for port 0, NETDEV for AF_XDP), NAME,
 *   IFINDEX, STATS (struct ovs_vport_stats), UPCALL_PID, and for AF_XDP
 *   ports OPTIONS with what is in force (XSW_VPORT_OPT_*).  UPCALL_PID is the
 *   kernel's array of u32 in requests; xsw keeps its first element only and
 *   replies with that one (port 0 without its own: the datapath's).
 *
 * ovs_flow (group "ovs_flow")
 *   NEW  KEY and ACTIONS required, MASK (absent: exact on the key's
 *        attributes) and UFID (exactly 16 bytes; the kernel takes 1 to 16)
 *        optional.  As ovs_flow_cmd_new(): the existing flow is the one with
 *        this UFID, else any flow the masked key matches.  None: the flow is
 *        created.  One exists: -EEXIST with NLM_F_CREATE or NLM_F_EXCL,
 *        otherwise its actions are replaced (statistics kept) if it has the
 *        same key and mask, else -ENOENT (or -EINVAL when the UFID names a
 *        flow with another key or mask).  NLM_F_REPLACE has no meaning, as in
 *        the kernel.  OVS_FLOW_ATTR_CLEAR is ignored by NEW, as in the kernel.
 *   SET  UFID or KEY names the flow (ACTIONS needs KEY, as in the kernel);
 *        ACTIONS replace its actions, CLEAR zeroes its statistics (the reply
 *        shows those from before the clear, as the kernel's).
 *   DEL  by UFID or KEY; with neither, every flow of the datapath goes
 *        (no reply, no notification, as the kernel's flush).
 *   GET  by UFID or KEY; with NLM_F_DUMP every flow of the datapath, in
 *        creation order; a flow added during the dump is included, one
 *        deleted before the dump reaches it is not.
 *   A KEY without UFID names the flow put with that key and MASK (if given),
 *   else the flow the key matches whose key, as put, is the given key or
 *   whose masked key is the given key, else the flow with an exact mask on
 *   this key: the kernel compares the unmasked keys of flows of every mask.
 *   Messages, in the kernel's order: UFID if the flow has one, KEY (the
 *   bytes it was put with; omitted with OVS_UFID_F_OMIT_KEY for a flow with
 *   a UFID), MASK (unless OVS_UFID_F_OMIT_MASK), USED (u64 ms of
 *   CLOCK_MONOTONIC, if ever used), STATS (struct ovs_flow_stats, if any
 *   packets), TCP_FLAGS (u8, if not 0), ACTIONS (unless
 *   OVS_UFID_F_OMIT_ACTIONS).  UFID_FLAGS is read from every request.  A
 *   message too big for a datagram even alone leaves ACTIONS out, as the
 *   kernel does for the first flow of a dump skb.
 *
 * ovs_packet (no group)
 *   EXECUTE  PACKET (at least 14 bytes), KEY and ACTIONS required; MRU,
 *            HASH, PROBE checked and ignored.  Queued to a worker
 *            (dp_execute()); answered by the ACK.  MISS and ACTION are sent
 *            by the datapath only: as requests they are -EOPNOTSUPP.
 */
#ifndef XSW_OVS_GENL_H
#define XSW_OVS_GENL_H 1

#include "xsw_err.h"

struct ctl_server;
struct dp_switch;

/* Registers the handlers of the four OVS families with server, for the
 * datapaths of sw.  Returns 0, or a negative errno with err set (e.g. a
 * command registered already). */
int ovs_genl_register(struct ctl_server *server, struct dp_switch *sw,
                      struct xsw_err *err);

#endif /* XSW_OVS_GENL_H */
