/* ctl_client: the client side of the control socket (see ctl_client.h). */
#include "ctl_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "strbuf.h"

#define DEFAULT_TIMEOUT_MS      5000
#define CACHE_SIZE              16

struct queued {
    struct queued *next;
    size_t len;
    uint8_t data[];
};

struct ctl_client {
    int fd;
    int timeout_ms;
    uint32_t seq;
    uint32_t pid;
    char path[sizeof(((struct sockaddr_un *) 0)->sun_path)];

    struct ctl_client_family cache[CACHE_SIZE];
    unsigned int n_cache;

    /* Notifications that came while a transaction waited. */
    struct queued *q_head;
    struct queued **q_tail;
    unsigned int q_len;
    uint64_t dropped;

    uint8_t *buf;                       /* CTL_MSG_MAX, one datagram */
};

/* ---------------------------------------------------------------- basics */

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
conn_reset(struct xsw_err *err, const struct ctl_client *c)
{
    return xsw_err_set(err, ECONNRESET, "%s: the server closed the "
                       "connection", c->path);
}

static uint32_t
next_seq(struct ctl_client *c)
{
    /* Never 0: the server sends unsolicited messages with seq 0. */
    if (++c->seq == 0) {
        c->seq = 1;
    }
    return c->seq;
}

static int parse_error(const struct nlmsghdr *nlh, struct xsw_err *err);

/* The server closed the connection: if it said why first (a refusal, seq
 * 0), that is the error to report. */
static int
closed_why(struct ctl_client *c, struct xsw_err *err)
{
    const struct nlmsghdr *nlh = (const struct nlmsghdr *) c->buf;
    ssize_t n = recv(c->fd, c->buf, CTL_MSG_MAX, MSG_DONTWAIT);

    if (n > 0 && mnl_nlmsg_ok(nlh, (int) n) && nlh->nlmsg_seq == 0
        && nlh->nlmsg_type == NLMSG_ERROR) {
        int ret = parse_error(nlh, err);

        if (ret < 0) {
            return ret;
        }
    }
    return conn_reset(err, c);
}

/* Waits up to timeout_ms (< 0: forever) for a datagram and reads it into
 * c->buf. */
static int
recv_datagram(struct ctl_client *c, int timeout_ms, size_t *lenp,
              struct xsw_err *err)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

    for (;;) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        int wait = deadline < 0 ? -1 : (int) (deadline - now_ms());
        ssize_t n;
        int ret;

        if (deadline >= 0 && wait < 0) {
            wait = 0;
        }
        ret = poll(&pfd, 1, wait);
        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            return xsw_err_set(err, errno, "poll: %s", strerror(errno));
        }
        if (ret == 0) {
            return xsw_err_set(err, ETIMEDOUT, "%s: no answer from the server "
                               "within %d ms", c->path, timeout_ms);
        }
        n = recv(c->fd, c->buf, CTL_MSG_MAX, MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            if (errno == ECONNRESET || errno == ENOTCONN) {
                /* The reset is reported before what was queued: read on. */
                return closed_why(c, err);
            }
            return xsw_err_set(err, errno, "recv: %s", strerror(errno));
        }
        if (n == 0) {
            /* The server never sends empty datagrams. */
            return conn_reset(err, c);
        }
        if (n > CTL_MSG_MAX) {
            return xsw_err_set(err, EMSGSIZE, "received a datagram of %zd "
                               "bytes, more than %d", n, CTL_MSG_MAX);
        }
        *lenp = n;
        return 0;
    }
}

static int
send_msg(struct ctl_client *c, const struct nlmsghdr *nlh, struct xsw_err *err)
{
    if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > CTL_MSG_MAX) {
        return xsw_err_set(err, EMSGSIZE, "request of %u bytes",
                           nlh->nlmsg_len);
    }
    for (;;) {
        if (send(c->fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL) >= 0) {
            return 0;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return xsw_err_set(err, ETIMEDOUT, "%s: the server does not "
                               "read its requests", c->path);
        }
        if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) {
            return closed_why(c, err);
        }
        return xsw_err_set(err, errno, "send: %s", strerror(errno));
    }
}

static void
queue_datagram(struct ctl_client *c, const void *data, size_t len)
{
    struct queued *q;

    if (c->q_len >= CTL_CLIENT_QUEUE) {
        c->dropped++;
        return;
    }
    q = malloc(sizeof *q + len);
    if (!q) {
        c->dropped++;
        return;
    }
    q->next = NULL;
    q->len = len;
    memcpy(q->data, data, len);
    *c->q_tail = q;
    c->q_tail = &q->next;
    c->q_len++;
}

/* Text of NLMSGERR_ATTR_MSG in an NLMSG_ERROR or NLMSG_DONE, or NULL.
 * tlv_off: where the TLVs start in the payload. */
static const char *
ext_ack_msg(const struct nlmsghdr *nlh, size_t tlv_off)
{
    const uint8_t *p = mnl_nlmsg_get_payload(nlh);
    size_t len = mnl_nlmsg_get_payload_len(nlh);
    const struct nlattr *attr;

    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || tlv_off >= len) {
        return NULL;
    }
    mnl_attr_for_each_payload((const void *) (p + tlv_off), len - tlv_off) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG
            && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
            return mnl_attr_get_str(attr);
        }
    }
    return NULL;
}

/* The error an NLMSG_ERROR carries (0 for an ACK), with its text in err. */
static int
parse_error(const struct nlmsghdr *nlh, struct xsw_err *err)
{
    const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
    size_t tlv_off = sizeof *e;
    const char *text;
    int error;

    if (mnl_nlmsg_get_payload_len(nlh) < sizeof *e) {
        return xsw_err_set(err, EPROTO, "truncated NLMSG_ERROR");
    }
    error = e->error;
    if (error >= 0) {
        return 0;
    }
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)
        && e->msg.nlmsg_len >= NLMSG_HDRLEN) {
        tlv_off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
    }
    text = ext_ack_msg(nlh, tlv_off);
    if (text && text[0]) {
        return xsw_err_set(err, -error, "%s", text);
    }
    return xsw_err_set(err, -error, "%s", strerror(-error));
}

/* The error an NLMSG_DONE carries (0 normally). */
static int
parse_done(const struct nlmsghdr *nlh, struct xsw_err *err)
{
    const char *text;
    int error;

    if (mnl_nlmsg_get_payload_len(nlh) < sizeof error) {
        return 0;
    }
    memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof error);
    if (error >= 0) {
        return 0;
    }
    text = ext_ack_msg(nlh, sizeof error);
    if (text && text[0]) {
        return xsw_err_set(err, -error, "%s", text);
    }
    return xsw_err_set(err, -error, "%s", strerror(-error));
}

/* Reads datagrams until the answer to seq is complete (ACK or error for a
 * transaction, NLMSG_DONE or error for a dump), calling cb for each reply
 * message.  Datagrams for no one in particular are queued for
 * ctl_client_recv(). */
static int
wait_answer(struct ctl_client *c, uint32_t seq, ctl_client_msg_fn *cb,
            void *data, struct xsw_err *err)
{
    int result = 0;
    bool cb_failed = false;
    struct xsw_err cb_err;

    xsw_err_clear(&cb_err);
    for (;;) {
        const struct nlmsghdr *nlh;
        size_t len;
        int ret, left;

        ret = recv_datagram(c, c->timeout_ms, &len, err);
        if (ret < 0) {
            return ret;
        }
        nlh = (const struct nlmsghdr *) c->buf;
        if (!mnl_nlmsg_ok(nlh, (int) len)) {
            return xsw_err_set(err, EPROTO, "malformed datagram from the "
                               "server (%zu bytes)", len);
        }
        if (nlh->nlmsg_seq != seq) {
            if (nlh->nlmsg_seq == 0 && nlh->nlmsg_type == NLMSG_ERROR) {
                /* Addressed to the connection itself: refused. */
                ret = parse_error(nlh, err);
                if (ret < 0) {
                    return ret;
                }
            }
            queue_datagram(c, c->buf, len);
            continue;
        }
        if (!c->pid) {
            c->pid = nlh->nlmsg_pid;
        }

        left = (int) len;
        for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
            switch (nlh->nlmsg_type) {
            case NLMSG_NOOP:
                break;
            case NLMSG_ERROR:
                ret = parse_error(nlh, cb_failed ? NULL : err);
                return cb_failed ? result : ret;
            case NLMSG_DONE:
                ret = parse_done(nlh, cb_failed ? NULL : err);
                return cb_failed ? result : ret;
            default:
                if (cb && !cb_failed) {
                    ret = cb(nlh, data);
                    if (ret < 0) {
                        cb_failed = true;
                        result = ret;
                        if (err && !err->msg[0]) {
                            xsw_err_set(err, -ret, "%s", strerror(-ret));
                        }
                    }
                }
                break;
            }
        }
    }
}

/* ---------------------------------------------------------------- public */

int
ctl_client_connect(const char *path, int timeout_ms,
                   struct ctl_client **clientp, struct xsw_err *err)
{
    struct sockaddr_un sun;
    struct ctl_client *c;
    struct timeval tv;
    int sndbuf = 4 * CTL_MSG_MAX;
    int ret;

    *clientp = NULL;
    if (!path) {
        path = CTL_DEFAULT_PATH;
    }
    if (strlen(path) >= sizeof sun.sun_path) {
        return xsw_err_set(err, ENAMETOOLONG, "socket path %s is longer than "
                           "%zu bytes", path, sizeof sun.sun_path - 1);
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    c->fd = -1;
    c->q_tail = &c->q_head;
    snprintf(c->path, sizeof c->path, "%s", path);
    ctl_client_set_timeout(c, timeout_ms);
    c->buf = malloc(CTL_MSG_MAX);
    if (!c->buf) {
        ret = xsw_err_set(err, ENOMEM, "out of memory");
        goto error;
    }

    c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        ret = xsw_err_set(err, errno, "socket: %s", strerror(errno));
        goto error;
    }
    /* Bounds connect() (full backlog) and send() (server not reading). */
    tv.tv_sec = c->timeout_ms / 1000;
    tv.tv_usec = (c->timeout_ms % 1000) * 1000;
    (void) setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    (void) setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (connect(c->fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        int e = errno;

        if (e == ENOENT || e == ECONNREFUSED) {
            ret = xsw_err_set(err, e, "cannot connect to %s: %s (is xswd "
                              "running?)", path, strerror(e));
        } else if (e == EACCES || e == EPERM) {
            ret = xsw_err_set(err, e, "cannot connect to %s: %s (run as "
                              "root or in the socket's group)", path,
                              strerror(e));
        } else if (e == EAGAIN || e == EINPROGRESS) {
            ret = xsw_err_set(err, ETIMEDOUT, "cannot connect to %s: the "
                              "server is not accepting connections", path);
        } else {
            ret = xsw_err_set(err, e, "cannot connect to %s: %s", path,
                              strerror(e));
        }
        goto error;
    }

    /* Learn the port id, and check that this is a server that speaks the
     * protocol, with one cheap request. */
    ret = ctl_client_resolve(c, CTL_NLCTRL_NAME, NULL, err);
    if (ret < 0) {
        goto error;
    }
    *clientp = c;
    return 0;

error:
    ctl_client_close(c);
    return ret;
}

void
ctl_client_close(struct ctl_client *c)
{
    struct queued *q, *next;

    if (!c) {
        return;
    }
    for (q = c->q_head; q; q = next) {
        next = q->next;
        free(q);
    }
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c->buf);
    free(c);
}

int
ctl_client_fd(const struct ctl_client *c)
{
    return c->fd;
}

uint32_t
ctl_client_pid(const struct ctl_client *c)
{
    return c->pid;
}

void
ctl_client_set_timeout(struct ctl_client *c, int timeout_ms)
{
    c->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

uint64_t
ctl_client_dropped(const struct ctl_client *c)
{
    return c->dropped;
}

struct nlmsghdr *
ctl_client_msg_start(void *buf, const struct ctl_client_family *family,
                     uint8_t cmd, int dp_ifindex)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct genlmsghdr *genl;

    nlh->nlmsg_type = family->id;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = cmd;
    genl->version = family->version;
    if (family->hdrsize) {
        void *hdr = mnl_nlmsg_put_extra_header(nlh, family->hdrsize);

        if (family->hdrsize >= sizeof(struct ovs_header)) {
            ((struct ovs_header *) hdr)->dp_ifindex = dp_ifindex;
        }
    }
    return nlh;
}

const void *
ctl_client_msg_attrs(const struct nlmsghdr *nlh, size_t hdrsize,
                     const void **hdr, size_t *len)
{
    const uint8_t *p = mnl_nlmsg_get_payload(nlh);
    size_t plen, off;

    if (nlh->nlmsg_len < NLMSG_HDRLEN) {
        return NULL;
    }
    plen = nlh->nlmsg_len - NLMSG_HDRLEN;
    if (plen < GENL_HDRLEN + hdrsize) {
        return NULL;
    }
    if (hdr) {
        *hdr = hdrsize ? p + GENL_HDRLEN : NULL;
    }
    off = GENL_HDRLEN + NLMSG_ALIGN(hdrsize);
    if (off > plen) {
        off = plen;
    }
    *len = plen - off;
    return p + off;
}

int
ctl_client_transact(struct ctl_client *c, struct nlmsghdr *req,
                    ctl_client_msg_fn *cb, void *data, struct xsw_err *err)
{
    int ret;

    xsw_err_clear(err);
    req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    req->nlmsg_seq = next_seq(c);
    ret = send_msg(c, req, err);
    if (ret < 0) {
        return ret;
    }
    return wait_answer(c, req->nlmsg_seq, cb, data, err);
}

static int
copy_first(const struct nlmsghdr *nlh, void *data)
{
    struct nlmsghdr **copy = data;

    if (!*copy) {
        *copy = malloc(nlh->nlmsg_len);
        if (!*copy) {
            return -ENOMEM;
        }
        memcpy(*copy, nlh, nlh->nlmsg_len);
    }
    return 0;
}

int
ctl_client_transact_one(struct ctl_client *c, struct nlmsghdr *req,
                        struct nlmsghdr **reply, struct xsw_err *err)
{
    int ret;

    *reply = NULL;
    ret = ctl_client_transact(c, req, copy_first, reply, err);
    if (ret < 0) {
        free(*reply);
        *reply = NULL;
    }
    return ret;
}

int
ctl_client_dump(struct ctl_client *c, struct nlmsghdr *req,
                ctl_client_msg_fn *cb, void *data, struct xsw_err *err)
{
    int ret;

    xsw_err_clear(err);
    req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
    req->nlmsg_flags &= ~NLM_F_ACK;
    req->nlmsg_seq = next_seq(c);
    ret = send_msg(c, req, err);
    if (ret < 0) {
        return ret;
    }
    return wait_answer(c, req->nlmsg_seq, cb, data, err);
}

static int
deliver(const uint8_t *buf, size_t len, ctl_client_msg_fn *cb, void *data,
        struct xsw_err *err)
{
    const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;
    int left = (int) len;
    int n = 0;

    for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
        int ret;

        if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == 0) {
            ret = parse_error(nlh, err);
            if (ret < 0) {
                return ret;
            }
        }
        if (nlh->nlmsg_type < NLMSG_MIN_TYPE) {
            continue;
        }
        n++;
        if (cb) {
            ret = cb(nlh, data);
            if (ret < 0) {
                return xsw_err_set(err, -ret, "%s", strerror(-ret));
            }
        }
    }
    return n;
}

int
ctl_client_recv(struct ctl_client *c, int timeout_ms, ctl_client_msg_fn *cb,
                void *data, struct xsw_err *err)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

    xsw_err_clear(err);
    for (;;) {
        size_t len;
        int ret, wait;

        if (c->q_head) {
            struct queued *q = c->q_head;

            c->q_head = q->next;
            if (!c->q_head) {
                c->q_tail = &c->q_head;
            }
            c->q_len--;
            ret = deliver(q->data, q->len, cb, data, err);
            free(q);
        } else {
            wait = deadline < 0 ? -1 : (int) (deadline - now_ms());
            if (deadline >= 0 && wait < 0) {
                wait = 0;
            }
            ret = recv_datagram(c, wait, &len, err);
            if (ret < 0) {
                return ret;
            }
            ret = deliver(c->buf, len, cb, data, err);
        }
        if (ret != 0) {
            return ret;
        }
        /* Only control messages in that datagram: keep waiting. */
    }
}

/* ---------------------------------------------------------------- families */

struct family_parse {
    struct ctl_client_family *f;
    bool have_id;
};

static int
parse_mcgrp(const struct nlattr *attr, void *data)
{
    struct ctl_client_family *f = data;
    const struct nlattr *a;
    char name[GENL_NAMSIZ] = "";
    uint32_t id = 0;
    bool have_id = false;

    if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0) {
        return MNL_CB_ERROR;
    }
    mnl_attr_for_each_nested(a, attr) {
        switch (mnl_attr_get_type(a)) {
        case CTRL_ATTR_MCAST_GRP_ID:
            if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
                return MNL_CB_ERROR;
            }
            id = mnl_attr_get_u32(a);
            have_id = true;
            break;
        case CTRL_ATTR_MCAST_GRP_NAME:
            if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0) {
                return MNL_CB_ERROR;
            }
            snprintf(name, sizeof name, "%s", mnl_attr_get_str(a));
            break;
        }
    }
    if (have_id && name[0] && f->n_mcgrps < CTL_CLIENT_MAX_MCGRPS) {
        snprintf(f->mcgrps[f->n_mcgrps].name, GENL_NAMSIZ, "%s", name);
        f->mcgrps[f->n_mcgrps].id = id;
        f->n_mcgrps++;
    }
    return MNL_CB_OK;
}

static int
parse_family_attr(const struct nlattr *attr, void *data)
{
    struct family_parse *fp = data;
    struct ctl_client_family *f = fp->f;

    switch (mnl_attr_get_type(attr)) {
    case CTRL_ATTR_FAMILY_ID:
        if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0) {
            return MNL_CB_ERROR;
        }
        f->id = mnl_attr_get_u16(attr);
        fp->have_id = true;
        break;
    case CTRL_ATTR_FAMILY_NAME:
        if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0) {
            return MNL_CB_ERROR;
        }
        snprintf(f->name, sizeof f->name, "%s", mnl_attr_get_str(attr));
        break;
    case CTRL_ATTR_VERSION:
    case CTRL_ATTR_HDRSIZE:
    case CTRL_ATTR_MAXATTR:
        if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0) {
            return MNL_CB_ERROR;
        }
        *(mnl_attr_get_type(attr) == CTRL_ATTR_VERSION ? &f->version
          : mnl_attr_get_type(attr) == CTRL_ATTR_HDRSIZE ? &f->hdrsize
          : &f->maxattr) = mnl_attr_get_u32(attr);
        break;
    case CTRL_ATTR_MCAST_GROUPS:
        if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0
            || mnl_attr_parse_nested(attr, parse_mcgrp, f) < 0) {
            return MNL_CB_ERROR;
        }
        break;
    }
    return MNL_CB_OK;
}

static int
family_reply(const struct nlmsghdr *nlh, void *data)
{
    struct family_parse *fp = data;

    if (nlh->nlmsg_type != GENL_ID_CTRL
        || mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN) {
        return -EPROTO;
    }
    memset(fp->f, 0, sizeof *fp->f);
    if (mnl_attr_parse(nlh, GENL_HDRLEN, parse_family_attr, fp) < 0) {
        return -EPROTO;
    }
    return 0;
}

int
ctl_client_resolve(struct ctl_client *c, const char *name,
                   struct ctl_client_family *family, struct xsw_err *err)
{
    uint8_t buf[256] __attribute__((aligned(4)));
    struct ctl_client_family f;
    struct family_parse fp = { .f = &f };
    struct genlmsghdr *genl;
    struct nlmsghdr *nlh;
    int ret;

    for (unsigned int i = 0; i < c->n_cache; i++) {
        if (!strcmp(c->cache[i].name, name)) {
            if (family) {
                *family = c->cache[i];
            }
            return c->cache[i].id;
        }
    }
    if (strlen(name) >= GENL_NAMSIZ) {
        return xsw_err_set(err, ENOENT, "no family named \"%s\" (longer than "
                           "%d bytes)", name, GENL_NAMSIZ - 1);
    }

    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = GENL_ID_CTRL;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = CTRL_CMD_GETFAMILY;
    genl->version = 1;
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);

    memset(&f, 0, sizeof f);
    ret = ctl_client_transact(c, nlh, family_reply, &fp, err);
    if (ret < 0) {
        return ret;
    }
    if (!fp.have_id || strcmp(f.name, name)) {
        return xsw_err_set(err, EPROTO, "malformed CTRL_CMD_GETFAMILY reply "
                           "for %s", name);
    }
    if (c->n_cache < CACHE_SIZE) {
        c->cache[c->n_cache++] = f;
    }
    if (family) {
        *family = f;
    }
    return f.id;
}

static int
join_leave(struct ctl_client *c, uint8_t cmd, const char *family_name,
           const char *group_name, struct xsw_err *err)
{
    uint8_t buf[128] __attribute__((aligned(4)));
    struct ctl_client_family fam, xsw;
    struct nlmsghdr *nlh;
    int ret;

    ret = ctl_client_resolve(c, family_name, &fam, err);
    if (ret < 0) {
        return ret;
    }
    ret = ctl_client_resolve(c, XSW_CTL_FAMILY, &xsw, err);
    if (ret < 0) {
        return ret;
    }
    for (unsigned int i = 0; i < fam.n_mcgrps; i++) {
        if (!strcmp(fam.mcgrps[i].name, group_name)) {
            nlh = ctl_client_msg_start(buf, &xsw, cmd, 0);
            mnl_attr_put_u32(nlh, XSW_CTL_ATTR_GROUP, fam.mcgrps[i].id);
            return ctl_client_transact(c, nlh, NULL, NULL, err);
        }
    }
    return xsw_err_set(err, ENOENT, "family %s has no multicast group %s",
                       family_name, group_name);
}

int
ctl_client_join(struct ctl_client *c, const char *family_name,
                const char *group_name, struct xsw_err *err)
{
    return join_leave(c, XSW_CTL_CMD_JOIN_GROUP, family_name, group_name, err);
}

int
ctl_client_leave(struct ctl_client *c, const char *family_name,
                 const char *group_name, struct xsw_err *err)
{
    return join_leave(c, XSW_CTL_CMD_LEAVE_GROUP, family_name, group_name,
                      err);
}

/* ---------------------------------------------------------------- exec */

struct exec_state {
    struct strbuf text;
    uint32_t status;
};

static int
exec_reply(const struct nlmsghdr *nlh, void *data)
{
    struct exec_state *st = data;
    const struct nlattr *attr;
    const void *attrs;
    size_t len;

    attrs = ctl_client_msg_attrs(nlh, 0, NULL, &len);
    if (!attrs) {
        return -EPROTO;
    }
    mnl_attr_for_each_payload(attrs, len) {
        switch (mnl_attr_get_type(attr)) {
        case XSW_CTL_ATTR_REPLY:
            if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0) {
                return -EPROTO;
            }
            strbuf_puts(&st->text, mnl_attr_get_str(attr));
            break;
        case XSW_CTL_ATTR_STATUS:
            if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0) {
                return -EPROTO;
            }
            st->status = mnl_attr_get_u32(attr);
            break;
        }
    }
    return strbuf_failed(&st->text) ? -ENOMEM : 0;
}

int
ctl_client_exec(struct ctl_client *c, int argc, const char *const *argv,
                enum xsw_ctl_format format, char **reply, uint32_t *status,
                struct xsw_err *err)
{
    struct ctl_client_family xsw;
    struct exec_state st;
    struct nlattr *nest;
    struct nlmsghdr *nlh;
    uint8_t *buf;
    int ret;

    if (reply) {
        *reply = NULL;
    }
    ret = ctl_client_resolve(c, XSW_CTL_FAMILY, &xsw, err);
    if (ret < 0) {
        return ret;
    }
    buf = malloc(CTL_MSG_MAX);
    if (!buf) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    nlh = ctl_client_msg_start(buf, &xsw, XSW_CTL_CMD_EXEC, 0);
    nest = mnl_attr_nest_start_check(nlh, CTL_MSG_MAX, XSW_CTL_ATTR_ARGV);
    if (!nest) {
        ret = xsw_err_set(err, E2BIG, "arguments too long");
        goto out;
    }
    for (int i = 0; i < argc; i++) {
        if (!mnl_attr_put_strz_check(nlh, CTL_MSG_MAX, i + 1, argv[i])) {
            ret = xsw_err_set(err, E2BIG, "arguments too long");
            goto out;
        }
    }
    mnl_attr_nest_end(nlh, nest);
    if (!mnl_attr_put_u32_check(nlh, CTL_MSG_MAX, XSW_CTL_ATTR_FORMAT,
                                format)) {
        ret = xsw_err_set(err, E2BIG, "arguments too long");
        goto out;
    }

    strbuf_init(&st.text);
    st.status = 0;
    ret = ctl_client_transact(c, nlh, exec_reply, &st, err);
    if (ret == 0) {
        if (status) {
            *status = st.status;
        }
        if (reply) {
            *reply = strbuf_steal(&st.text);
        }
    }
    strbuf_free(&st.text);

out:
    free(buf);
    return ret;
}
