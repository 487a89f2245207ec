/* ctl_server: xswd's control socket, the server side of the generic-netlink
 * protocol of the OVS kernel datapath, carried over a Unix SOCK_SEQPACKET
 * socket instead of AF_NETLINK.
 *
 * Thread: the control thread only, from inside its libevent loop (handlers
 * run there too).  Ownership: the server owns its connections and buffers;
 * ctl_server_destroy() frees everything, closes the clients and removes the
 * socket file.  Messages passed in (ctl_server_send/multicast) stay the
 * caller's; request views passed to handlers are valid only during the call.
 *
 * What a client sees is what a genetlink client of the kernel sees:
 *
 *   - Each datagram holds one or more netlink messages (nlmsghdr,
 *     genlmsghdr, the family's fixed header -- struct ovs_header for the OVS
 *     families -- then attributes), processed in order.
 *   - CTRL_CMD_GETFAMILY on nlctrl (GENL_ID_CTRL) resolves a name or id and
 *     answers CTRL_CMD_NEWFAMILY with the kernel's attributes in the kernel's
 *     order; with NLM_F_DUMP it lists every family.  Unknown name: -ENOENT.
 *   - Every message the server sends in answer to a request carries the
 *     request's nlmsg_seq and, in nlmsg_pid, the port id the server gave the
 *     connection at accept (the kernel puts the requester's port id there,
 *     so a client learns its id from any reply).
 *   - A request that fails gets NLMSG_ERROR: the negative errno, the request's
 *     nlmsghdr echoed (never its payload: NLM_F_CAPPED is always set) and,
 *     when the handler said why, NLMSGERR_ATTR_MSG with NLM_F_ACK_TLVS.  A
 *     request with NLM_F_ACK gets NLMSG_ERROR with error 0 after its replies.
 *     Unlike the kernel, which drops it silently, anything malformed is
 *     answered too: a datagram shorter than a nlmsghdr or with nlmsg_len out
 *     of range (the rest of the datagram is then skipped), a message without
 *     NLM_F_REQUEST or with a control type (< NLMSG_MIN_TYPE), a truncated
 *     genetlink or family header, or broken attribute framing: -EINVAL;
 *     unknown family id: -ENOENT (as the kernel); no handler for the command,
 *     or for do/dump as asked: -EOPNOTSUPP; a datagram over CTL_MSG_MAX:
 *     -EMSGSIZE.
 *   - Dumps (NLM_F_DUMP) answer with NLM_F_MULTI messages, several to a
 *     datagram of at most CTL_SERVER_DUMP_SIZE bytes (what a libmnl reader
 *     with MNL_SOCKET_BUFFER_SIZE takes; a single bigger message gets a
 *     datagram of its own up to CTL_MSG_MAX), then NLMSG_DONE (payload: int
 *     0).  A dump that fails before its first message answers NLMSG_ERROR as
 *     a doit would; one that fails later ends with NLMSG_DONE carrying the
 *     negative errno (and the message as NLMSGERR_ATTR_MSG), as the kernel
 *     does.  Dumps get no ACK.
 *
 * Flow control.  All socket I/O is non-blocking.  A connection's requests
 * are read only while it owes nothing: while a reply waits for room in its
 * socket, or a dump is in progress, further requests (even the rest of the
 * same datagram) wait, so a client that does not read its replies stops
 * being read, and memory per connection stays bounded (about two datagrams).
 * Each event-loop turn handles a bounded amount of work per connection
 * (datagrams read, messages processed, dump datagrams), so one busy client
 * does not starve the others.  Notifications are never queued: when the
 * client's socket is full they are dropped and counted.
 *
 * The socket file is created with the requested mode (fchmod before bind,
 * chmod after, so the umask cannot widen or narrow it), in a parent
 * directory created 0755 if missing (one level).  A live server on the path
 * makes create fail with -EADDRINUSE; a socket file nobody listens on (left
 * by a dead xswd) is replaced; anything else at the path is left alone and
 * create fails with -EEXIST. */
#ifndef XSW_CTL_SERVER_H
#define XSW_CTL_SERVER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>

#include "ctl_families.h"
#include "xsw_err.h"

struct event_base;
struct ctl_server;
struct ctl_server_reply;

#define CTL_SERVER_MAX_CLIENTS  64      /* more are accepted and told -EMFILE */
#define CTL_SERVER_MAX_FAMILIES 16
#define CTL_SERVER_MAX_MCGRPS   4       /* per family */
#define CTL_SERVER_DUMP_SIZE    4096    /* usual dump datagram size */

/* A family as registered and as CTRL_CMD_GETFAMILY reports it. */
struct ctl_server_mcgrp {
    const char *name;           /* < GENL_NAMSIZ */
    uint32_t id;                /* unique among all groups of the server */
};

struct ctl_server_family {
    const char *name;           /* < GENL_NAMSIZ, unique */
    uint16_t id;                /* >= GENL_MIN_ID, unique */
    uint8_t version;
    uint32_t hdrsize;           /* fixed header after genlmsghdr */
    uint32_t maxattr;
    const struct ctl_server_mcgrp *mcgrps;
    unsigned int n_mcgrps;      /* <= CTL_SERVER_MAX_MCGRPS */
};

/* A request as a handler sees it.  Pointers are into the request message and
 * valid during the handler call (for a dump: during every call of it). */
struct ctl_server_request {
    const struct nlmsghdr *nlh;
    uint16_t family;            /* nlmsg_type */
    uint16_t flags;             /* nlmsg_flags (NLM_F_*) */
    uint32_t seq;
    uint32_t pid;               /* port id of the requesting connection */
    uint8_t cmd;
    uint8_t version;            /* genlmsghdr.version as sent */
    const void *hdr;            /* family fixed header, NULL if hdrsize 0 */
    int dp_ifindex;             /* ovs_header.dp_ifindex, 0 without one */
    const void *attrs;          /* attribute stream, framing validated */
    size_t attrs_len;
    struct ctl_server *server;  /* the server, for notifications */
};

/* doit: handles one request.  Adds zero or more reply messages to reply and
 * returns 0, or returns a negative errno (reply messages are then discarded)
 * and sets err->msg to say why; err->msg starts empty. */
typedef int ctl_server_doit_fn(void *ctx, const struct ctl_server_request *req,
                               struct ctl_server_reply *reply,
                               struct xsw_err *err);

/* dumpit: adds as many complete messages as fit to reply (each started with
 * ctl_server_reply_start(); on -EMSGSIZE cancel that message and stop) and
 * returns > 0 if there is more to come, 0 if the dump is complete, or a
 * negative errno.  cursor is zeroed before the first call and kept between
 * calls.  It must not own memory (a client may go away between calls) unless
 * the command has a done function, which then releases it.  Returning > 0
 * without adding a message is allowed only if the next message did not fit:
 * the server then calls again with a CTL_MSG_MAX buffer and fails the dump
 * with -EMSGSIZE if it still does not fit. */
typedef int ctl_server_dumpit_fn(void *ctx,
                                 const struct ctl_server_request *req,
                                 uint64_t cursor[4],
                                 struct ctl_server_reply *reply,
                                 struct xsw_err *err);

/* done: called exactly once for every dump that was started (its first
 * dumpit call made), when it ends for whatever reason: complete, failed,
 * the client gone (when the server reaps the connection), or the server
 * destroyed.  It releases what dumpit keeps in cursor, e.g. a pointer to a
 * cursor that links itself into a table (classifier_dump).  req is the
 * dump's request, as dumpit saw it.  It must not call back into the server. */
typedef void ctl_server_done_fn(void *ctx, const struct ctl_server_request *req,
                                uint64_t cursor[4]);

/* Creates the listening socket at path (see above) and registers it in base.
 * nlctrl, the four OVS families and xsw_ctl (with XSW_CTL_CMD_JOIN_GROUP and
 * XSW_CTL_CMD_LEAVE_GROUP) are registered already; OVS commands and
 * XSW_CTL_CMD_EXEC answer -EOPNOTSUPP until handlers are registered. */
int ctl_server_create(struct event_base *base, const char *path, mode_t mode,
                      struct ctl_server **serverp, struct xsw_err *err);

/* Closes every connection (dumps in progress are abandoned), the listening
 * socket, and removes the socket file if it is still the one created.
 * Not from inside a handler.  NULL is a no-op. */
void ctl_server_destroy(struct ctl_server *server);

/* Registers one more family (copied).  -EEXIST for a used name, id or group
 * id, -EINVAL for a bad definition, -ENOSPC past the limits. */
int ctl_server_register_family(struct ctl_server *server,
                               const struct ctl_server_family *family,
                               struct xsw_err *err);

/* Sets the handlers of (family id, cmd); either may be NULL, not both.
 * -ENOENT unknown family, -EEXIST cmd already has handlers. */
int ctl_server_register_cmd(struct ctl_server *server, uint16_t family,
                            uint8_t cmd, ctl_server_doit_fn *doit,
                            ctl_server_dumpit_fn *dumpit, void *ctx);

/* As ctl_server_register_cmd(), with a done function for the dumps (done
 * may be NULL; with a done function, dumpit may not). */
int ctl_server_register_dump(struct ctl_server *server, uint16_t family,
                             uint8_t cmd, ctl_server_doit_fn *doit,
                             ctl_server_dumpit_fn *dumpit,
                             ctl_server_done_fn *done, void *ctx);

/* Removes the handlers of (family id, cmd) and gives their ctx back in *ctxp
 * (if not NULL), so that whoever registered them can free it; the command
 * then answers -EOPNOTSUPP again.  -ENOENT if there are none, -EBUSY while
 * a dump of the command is in progress. */
int ctl_server_unregister_cmd(struct ctl_server *server, uint16_t family,
                              uint8_t cmd, void **ctxp);

/* Sends msg (one or more complete netlink messages, len bytes, as one
 * datagram) to the connection with port id pid, without waiting: 0 sent,
 * -ECONNREFUSED no such connection (as netlink_unicast), -EAGAIN its socket
 * is full or replies are waiting (dropped and counted), -EMSGSIZE too big. */
int ctl_server_send(struct ctl_server *server, uint32_t pid,
                    const void *msg, size_t len);

/* Sends msg to every connection that joined group (a group of family) and
 * returns how many got it, or -EINVAL if family has no such group.  Full
 * sockets are skipped and counted, as for ctl_server_send(). */
int ctl_server_multicast(struct ctl_server *server, uint16_t family,
                         uint32_t group, const void *msg, size_t len);

/* As ctl_server_multicast(), but not to the connection with port id
 * except_pid (0: nobody is left out).  A change a client asked for with
 * NLM_F_ECHO reaches it as a reply, and the kernel (nlmsg_notify) then leaves
 * it out of the multicast. */
int ctl_server_multicast_except(struct ctl_server *server, uint16_t family,
                                uint32_t group, uint32_t except_pid,
                                const void *msg, size_t len);

/* Building replies (from doit and dumpit).
 *
 * ctl_server_reply_start() appends the headers of a new message: nlmsghdr
 * (type = the request's family, flags NLM_F_MULTI in a dump, the request's
 * seq, the client's pid), genlmsghdr (cmd, the family's version) and the
 * family's fixed header, zeroed except for dp_ifindex when it is an
 * ovs_header.  Returns NULL if even that does not fit.  Add attributes with
 * the libmnl _check functions, passing ctl_server_reply_room(reply, nlh) as
 * buflen, then commit with ctl_server_reply_end() (-EMSGSIZE if the message
 * outgrew the room) or drop it with ctl_server_reply_cancel(). */
struct nlmsghdr *ctl_server_reply_start(struct ctl_server_reply *reply,
                                        uint8_t cmd, int dp_ifindex);
size_t ctl_server_reply_room(const struct ctl_server_reply *reply,
                             const struct nlmsghdr *nlh);
int ctl_server_reply_end(struct ctl_server_reply *reply, struct nlmsghdr *nlh);
void ctl_server_reply_cancel(struct ctl_server_reply *reply,
                             struct nlmsghdr *nlh);

/* Appends a message built elsewhere (e.g. by datapath.c into its own
 * buffer), setting its seq and pid (and NLM_F_MULTI in a dump) to the
 * request's.  -EMSGSIZE if it does not fit, -EINVAL if malformed. */
int ctl_server_reply_put(struct ctl_server_reply *reply,
                         const struct nlmsghdr *msg);

/* Messages committed so far (by this call of the handler). */
unsigned int ctl_server_reply_count(const struct ctl_server_reply *reply);

/* xsw_ctl helpers for the XSW_CTL_CMD_EXEC handler.
 *
 * ctl_server_exec_argv() decodes XSW_CTL_ATTR_ARGV into argv (pointers into
 * the request, NULL-terminated, at most max_args - 1 arguments) and returns
 * argc >= 1 or a negative errno with a message.  *format gets
 * XSW_CTL_ATTR_FORMAT (XSW_CTL_FORMAT_TEXT when absent) if format is not
 * NULL.  ctl_server_exec_reply() adds the reply message (text may be NULL
 * for none); -EMSGSIZE if text does not fit in one datagram. */
int ctl_server_exec_argv(const struct ctl_server_request *req,
                         const char **argv, int max_args, uint32_t *format,
                         struct xsw_err *err);
int ctl_server_exec_reply(struct ctl_server_reply *reply, uint32_t status,
                          const char *text);

/* Counters, for "xswctl show" and tests. */
struct ctl_server_stats {
    unsigned int n_clients;         /* connected now */
    uint64_t n_accepted;
    uint64_t n_refused;             /* over CTL_SERVER_MAX_CLIENTS */
    uint64_t n_requests;            /* messages handled (good or not) */
    uint64_t n_errors;              /* NLMSG_ERROR replies with error != 0 */
    uint64_t n_malformed;           /* of which: bad framing or headers */
    uint64_t n_dumps_aborted;       /* client left or failed mid-dump */
    uint64_t n_notify_sent;
    uint64_t n_notify_dropped;      /* socket full, replies waiting */
};

void ctl_server_get_stats(const struct ctl_server *server,
                          struct ctl_server_stats *stats);

/* The path the server listens on. */
const char *ctl_server_path(const struct ctl_server *server);

#endif /* XSW_CTL_SERVER_H */
