/* ctl_families: the generic-netlink families spoken on the control socket,
 * their fixed ids and multicast groups, and the protocol of xsw's own
 * family, xsw_ctl.  Shared by ctl_server (xswd) and ctl_client (xswctl).
 *
 * Constants only; any thread.
 *
 * Ids.  The kernel allocates family and multicast group ids at module load;
 * xswd has no such registry, so it uses fixed numbers.  Clients must still
 * resolve names with CTRL_CMD_GETFAMILY (exactly as against the kernel): the
 * numbers below are a server detail and may change.  They start at
 * GENL_MIN_ID + 16 to stay clear of the ids the kernel reserves statically
 * (nlctrl 0x10, VFS_DQUOT 0x11, PMCRAID 0x12), so a dump of a capture never
 * mistakes one for the other.  A family with a multicast group uses its own
 * id as the group id; nlctrl's "notify" group is 0x10, as in the kernel.
 *
 * OVS families.  Names, versions, attributes and commands are those of
 * <linux/openvswitch.h>; every message carries a struct ovs_header after the
 * genetlink header (hdrsize = 4).  ovs_packet has no multicast group (upcalls
 * go to the port id a vport names in OVS_VPORT_ATTR_UPCALL_PID), the three
 * others have one named as the family, as in the kernel. */
#ifndef XSW_CTL_FAMILIES_H
#define XSW_CTL_FAMILIES_H 1

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>

/* Largest datagram either side sends or accepts (a whole datagram: one or
 * more netlink messages). */
#define CTL_MSG_MAX             65536

/* Default socket path (DESIGN.md). */
#define CTL_DEFAULT_PATH        "/run/xsw/xswd.sock"

/* nlctrl, the genetlink controller: name "nlctrl", id GENL_ID_CTRL. */
#define CTL_NLCTRL_NAME         "nlctrl"
#define CTL_NLCTRL_VERSION      2
#define CTL_NLCTRL_MCGROUP      "notify"
#define CTL_MCGRP_ID_NLCTRL     GENL_ID_CTRL

/* Family ids. */
#define CTL_ID_OVS_DATAPATH     (GENL_MIN_ID + 16)      /* 0x20 */
#define CTL_ID_OVS_VPORT        (GENL_MIN_ID + 17)
#define CTL_ID_OVS_FLOW         (GENL_MIN_ID + 18)
#define CTL_ID_OVS_PACKET       (GENL_MIN_ID + 19)
#define CTL_ID_XSW_CTL          (GENL_MIN_ID + 20)

/* Multicast group ids (names: OVS_DATAPATH_MCGROUP etc.). */
#define CTL_MCGRP_ID_OVS_DATAPATH CTL_ID_OVS_DATAPATH
#define CTL_MCGRP_ID_OVS_VPORT    CTL_ID_OVS_VPORT
#define CTL_MCGRP_ID_OVS_FLOW     CTL_ID_OVS_FLOW

/* ---------------------------------------------------------------- xsw_ctl
 *
 * Commands OVS keeps outside netlink (MAC table, reload, stats, log level),
 * and the socket-level requests a Unix socket cannot express with
 * setsockopt().  No fixed header after the genetlink header (hdrsize 0).
 *
 * XSW_CTL_CMD_EXEC
 *   request: XSW_CTL_ATTR_ARGV (required), XSW_CTL_ATTR_FORMAT (optional).
 *   reply:   one or more XSW_CTL_CMD_EXEC messages; the reader concatenates
 *            their XSW_CTL_ATTR_REPLY strings in order and takes the
 *            XSW_CTL_ATTR_STATUS of the last message that has one (an exit
 *            status as for a shell: 0 success).  A failure to run the
 *            command at all (unknown command, bad arguments) may instead be
 *            an NLMSG_ERROR with a message.
 *
 * XSW_CTL_ATTR_ARGV is a nested list of strings: element i (1-based) is an
 * attribute of type i whose payload is a NUL-terminated string, e.g. for
 * "fdb/show br0": { 1: "fdb/show\0", 2: "br0\0" }.  This is the kernel's
 * array convention (as CTRL_ATTR_OPS); a list keeps arguments that contain
 * spaces or are empty intact, which one string with separators would not.
 *
 * XSW_CTL_CMD_JOIN_GROUP / XSW_CTL_CMD_LEAVE_GROUP
 *   request: XSW_CTL_ATTR_GROUP (u32, a CTRL_ATTR_MCAST_GRP_ID from
 *            CTRL_CMD_GETFAMILY).  The connection starts or stops receiving
 *            that group's notifications: the Unix-socket equivalent of
 *            setsockopt(NETLINK_ADD_MEMBERSHIP / NETLINK_DROP_MEMBERSHIP).
 *            An unknown group id is -EINVAL, as for the setsockopt.
 *   reply:   none (ask for an ACK).
 */
#define XSW_CTL_FAMILY          "xsw_ctl"
#define XSW_CTL_VERSION         1

enum xsw_ctl_cmd {
    XSW_CTL_CMD_UNSPEC,
    XSW_CTL_CMD_EXEC,
    XSW_CTL_CMD_JOIN_GROUP,
    XSW_CTL_CMD_LEAVE_GROUP,
    __XSW_CTL_CMD_MAX
};
#define XSW_CTL_CMD_MAX (__XSW_CTL_CMD_MAX - 1)

enum xsw_ctl_attr {
    XSW_CTL_ATTR_UNSPEC,
    XSW_CTL_ATTR_ARGV,          /* nested: strings of type 1, 2, ... */
    XSW_CTL_ATTR_REPLY,         /* NUL-terminated string: text or JSON */
    XSW_CTL_ATTR_STATUS,        /* u32: exit status of the command */
    XSW_CTL_ATTR_GROUP,         /* u32: multicast group id */
    XSW_CTL_ATTR_FORMAT,        /* u32: enum xsw_ctl_format; absent = text */
    __XSW_CTL_ATTR_MAX
};
#define XSW_CTL_ATTR_MAX (__XSW_CTL_ATTR_MAX - 1)

enum xsw_ctl_format {
    XSW_CTL_FORMAT_TEXT,        /* for people: columns, as ovs-appctl */
    XSW_CTL_FORMAT_JSON,        /* for programs: one JSON value */
};

/* ---------------------------------------------------------- vport options
 *
 * OVS_VPORT_ATTR_OPTIONS is type-specific in the kernel (tunnel ports put
 * their destination port there).  For xsw's AF_XDP ports it carries how the
 * port is attached, nested attributes of these types:
 *
 *   in OVS_VPORT_CMD_NEW (all optional; xswctl add-if IFACE,key=value,...)
 *     XSW_VPORT_OPT_XDP_MODE   string "auto" | "native" | "skb"
 *     XSW_VPORT_OPT_ZERO_COPY  string "auto" | "yes" | "no"
 *     XSW_VPORT_OPT_QUEUES     u32, 0 = every rx queue of the device
 *   in replies (OVS_VPORT_CMD_GET/NEW, every AF_XDP port), what is in force:
 *     XSW_VPORT_OPT_XDP_MODE   string "native" | "skb"
 *     XSW_VPORT_OPT_QUEUES     u32 sockets (one per rx queue served)
 *     XSW_VPORT_OPT_ZEROCOPY_QUEUES  u32 of them bound zero-copy (others: copy)
 *     XSW_VPORT_OPT_DISPATCHER u8 1 = behind libxdp's dispatcher, 0 = alone
 *     XSW_VPORT_OPT_IFINDEX    u32 the device's ifindex
 *     XSW_VPORT_OPT_DEV_QUEUES u32 rx queues the device has
 *
 * Internal ports (OVS_VPORT_TYPE_INTERNAL, the TAP) carry no options.  An
 * AF_XDP port has OVS_VPORT_TYPE_NETDEV, as a device port of the kernel
 * datapath; unknown option types in a request are -EINVAL. */
enum xsw_vport_opt {
    XSW_VPORT_OPT_UNSPEC,
    XSW_VPORT_OPT_XDP_MODE,
    XSW_VPORT_OPT_ZERO_COPY,
    XSW_VPORT_OPT_QUEUES,
    XSW_VPORT_OPT_ZEROCOPY_QUEUES,
    XSW_VPORT_OPT_DISPATCHER,
    XSW_VPORT_OPT_IFINDEX,
    XSW_VPORT_OPT_DEV_QUEUES,
    __XSW_VPORT_OPT_MAX
};
#define XSW_VPORT_OPT_MAX (__XSW_VPORT_OPT_MAX - 1)

/* ------------------------------------------------------ xsw_ctl commands
 *
 * The commands XSW_CTL_CMD_EXEC runs (argv[0], then arguments); each answers
 * text, or JSON with XSW_CTL_FORMAT_JSON:
 *   pmd-stats                 per worker: packets, EMC / megaflow / upcall
 *                             shares, cycles per packet, rx queues polled
 *   pmd-stats-clear           zeroes what pmd-stats reports
 *   upcall-stats              upcall queues: queued, lost, handled, and
 *                             where upcalls go (in-process or a client pid)
 *   log-level [LEVEL]         shows or sets the log level
 *   version                   xswd's version */

#endif /* XSW_CTL_FAMILIES_H */
