/* ctl_client: the client side of xswd's control socket (see ctl_server.h for
 * the protocol): connect, resolve families, send genetlink requests and
 * read their replies, dumps and notifications.  For xswctl and the tests.
 *
 * Blocking, with a timeout on every wait.  One client per thread (a client
 * is not shared); several clients may live in one process.  The caller owns
 * the client and frees it with ctl_client_close(); messages handed to
 * callbacks are valid only during the call.
 *
 * Requests are ordinary netlink messages that the caller builds in its own
 * buffer (CTL_MSG_MAX bytes is always enough) with ctl_client_msg_start()
 * and the libmnl attribute functions; transact and dump fill in the
 * sequence number and the flags they need.
 *
 * Errors: every function that can fail returns a negative errno and, if err
 * is not NULL, says why in err->msg -- the server's own message when it sent
 * one (NLMSGERR_ATTR_MSG), otherwise strerror().  -ETIMEDOUT when the server
 * did not answer in time; -ECONNRESET when it went away.  After a timeout or
 * a failed send the connection may be out of step: close and reconnect.
 *
 * Notifications (multicast after ctl_client_join(), or unicast to this
 * client's port id, e.g. upcalls) arrive between replies.  A transaction
 * keeps any that come while it waits, up to CTL_CLIENT_QUEUE datagrams
 * (more are dropped and counted), for ctl_client_recv().  A subscriber
 * that also sends requests will therefore see them in order; to keep
 * notifications apart from the replies of one's own requests (a change one
 * requested is also multicast to one), subscribe on a client of its own, as
 * OVS does with its netlink sockets. */
#ifndef XSW_CTL_CLIENT_H
#define XSW_CTL_CLIENT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "ctl_families.h"
#include "xsw_err.h"

struct ctl_client;

#define CTL_CLIENT_QUEUE        64      /* notifications kept during a wait */
#define CTL_CLIENT_MAX_MCGRPS   8

/* A family as CTRL_CMD_GETFAMILY describes it. */
struct ctl_client_family {
    char name[GENL_NAMSIZ];
    uint16_t id;
    uint32_t version;
    uint32_t hdrsize;
    uint32_t maxattr;
    unsigned int n_mcgrps;
    struct {
        char name[GENL_NAMSIZ];
        uint32_t id;
    } mcgrps[CTL_CLIENT_MAX_MCGRPS];
};

/* Called for each reply or notification message (not for NLMSG_ERROR,
 * NLMSG_DONE, NLMSG_NOOP).  Returns 0 to go on or a negative errno to stop:
 * the call then returns that errno (after reading the rest of the answer,
 * so the connection stays in step). */
typedef int ctl_client_msg_fn(const struct nlmsghdr *nlh, void *data);

/* Connects to the server at path (NULL: CTL_DEFAULT_PATH) and learns the
 * port id it was given.  timeout_ms bounds every later wait as well (<= 0:
 * 5000).  Fails with e.g. "cannot connect to /run/xsw/xswd.sock: No such
 * file or directory (is xswd running?)". */
int ctl_client_connect(const char *path, int timeout_ms,
                       struct ctl_client **clientp, struct xsw_err *err);

/* Closes the connection and frees the client.  NULL is a no-op. */
void ctl_client_close(struct ctl_client *client);

/* The socket, to poll() for notifications alongside other work. */
int ctl_client_fd(const struct ctl_client *client);

/* The port id the server gave this connection: what OVS clients put in
 * OVS_VPORT_ATTR_UPCALL_PID / OVS_DP_ATTR_UPCALL_PID. */
uint32_t ctl_client_pid(const struct ctl_client *client);

/* Changes the timeout of later waits (<= 0: 5000 ms). */
void ctl_client_set_timeout(struct ctl_client *client, int timeout_ms);

/* Resolves a family name with CTRL_CMD_GETFAMILY (answers are cached for the
 * life of the client).  Returns the id (> 0) or a negative errno: -ENOENT
 * for a name the server does not know.  family may be NULL. */
int ctl_client_resolve(struct ctl_client *client, const char *name,
                       struct ctl_client_family *family, struct xsw_err *err);

/* Starts a request in buf: nlmsghdr (type family->id, NLM_F_REQUEST),
 * genlmsghdr (cmd, family->version) and, when family->hdrsize is not 0, the
 * family's fixed header zeroed, with dp_ifindex in it when it is an
 * ovs_header.  Append attributes with mnl_attr_put_*_check(nlh, buflen, ...)
 * and then transact or dump.  buf must be 4-byte aligned and hold at least
 * NLMSG_HDRLEN + GENL_HDRLEN + hdrsize bytes. */
struct nlmsghdr *ctl_client_msg_start(void *buf,
                                      const struct ctl_client_family *family,
                                      uint8_t cmd, int dp_ifindex);

/* The genetlink header, fixed header and attributes of a message (for
 * parsing replies): returns the attribute stream, sets *len; *hdr (may be
 * NULL) gets the fixed header of hdrsize bytes.  NULL if the message is too
 * short for them. */
const void *ctl_client_msg_attrs(const struct nlmsghdr *nlh, size_t hdrsize,
                                 const void **hdr, size_t *len);

/* Sends req (adding NLM_F_REQUEST | NLM_F_ACK and a new sequence number)
 * and reads the answer up to its ACK or error, calling cb (may be NULL) for
 * each reply message.  Returns 0 or a negative errno. */
int ctl_client_transact(struct ctl_client *client, struct nlmsghdr *req,
                        ctl_client_msg_fn *cb, void *data,
                        struct xsw_err *err);

/* As ctl_client_transact(), and returns a malloc'd copy of the first reply
 * message in *reply (NULL if there was none); the caller frees it. */
int ctl_client_transact_one(struct ctl_client *client, struct nlmsghdr *req,
                            struct nlmsghdr **reply, struct xsw_err *err);

/* Sends req as a dump (NLM_F_REQUEST | NLM_F_DUMP, a new sequence number)
 * and calls cb for each message until NLMSG_DONE.  The timeout applies to
 * each wait, not to the whole dump.  Returns 0 or a negative errno (from
 * NLMSG_ERROR, from an NLMSG_DONE that carries one, or from cb). */
int ctl_client_dump(struct ctl_client *client, struct nlmsghdr *req,
                    ctl_client_msg_fn *cb, void *data, struct xsw_err *err);

/* Waits up to timeout_ms (0: do not wait; < 0: forever) for a notification
 * datagram and calls cb for each message in it.  Returns the number of
 * messages (> 0), -ETIMEDOUT if none came, or another negative errno. */
int ctl_client_recv(struct ctl_client *client, int timeout_ms,
                    ctl_client_msg_fn *cb, void *data, struct xsw_err *err);

/* Notifications dropped because the queue kept during waits was full. */
uint64_t ctl_client_dropped(const struct ctl_client *client);

/* Joins (or leaves) the multicast group group_name of family_name (e.g.
 * "ovs_vport", "ovs_vport") with XSW_CTL_CMD_JOIN_GROUP. */
int ctl_client_join(struct ctl_client *client, const char *family_name,
                    const char *group_name, struct xsw_err *err);
int ctl_client_leave(struct ctl_client *client, const char *family_name,
                     const char *group_name, struct xsw_err *err);

/* Runs an xsw_ctl command: argv[0..argc-1] go in XSW_CTL_ATTR_ARGV, format
 * in XSW_CTL_ATTR_FORMAT.  *reply (may be NULL) gets the concatenated reply
 * text, malloc'd ("" if none; the caller frees it), *status (may be NULL)
 * the exit status.  Returns 0 when the command ran (whatever its status) or
 * a negative errno when it could not run (err says why). */
int ctl_client_exec(struct ctl_client *client, int argc,
                    const char *const *argv, enum xsw_ctl_format format,
                    char **reply, uint32_t *status, struct xsw_err *err);

#endif /* XSW_CTL_CLIENT_H */
