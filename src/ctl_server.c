/* ctl_server: the control socket of xswd (see ctl_server.h). */
#include "ctl_server.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

/* Work one connection may do per event-loop turn before the loop moves on
 * to the others. */
#define READ_BATCH      16      /* datagrams read */
#define MSG_BUDGET      256     /* messages handled */
#define DUMP_BUDGET     8       /* dump datagrams produced */
#define ACCEPT_BATCH    16
#define ACCEPT_PAUSE_US 100000  /* after running out of file descriptors */

#define MAX_GROUPS      64      /* bits of conn->groups */

/* Room for an NLMSG_ERROR or NLMSG_DONE with a full xsw_err message. */
#define CTRL_MSG_SIZE   (NLMSG_HDRLEN + sizeof(struct nlmsgerr) \
                         + MNL_ATTR_HDRLEN \
                         + MNL_ALIGN(sizeof(struct xsw_err)) + 16)

/* Asked of the kernel for each connection, so that a few full datagrams fit
 * in flight whatever net.core.wmem_default is (it is capped by wmem_max). */
#define CONN_SNDBUF     (4 * CTL_MSG_MAX)

struct cmd_ops {
    ctl_server_doit_fn *doit;
    ctl_server_dumpit_fn *dumpit;
    ctl_server_done_fn *done;
    void *ctx;
};

struct family {
    struct ctl_server_family def;       /* points into the arrays below */
    char name[GENL_NAMSIZ];
    struct ctl_server_mcgrp mcgrps[CTL_SERVER_MAX_MCGRPS];
    char mcgrp_names[CTL_SERVER_MAX_MCGRPS][GENL_NAMSIZ];
    struct cmd_ops ops[UINT8_MAX + 1];
};

struct group {
    uint32_t id;
    const struct family *family;
};

/* A datagram the socket did not take yet. */
struct outbuf {
    struct outbuf *next;
    size_t len;
    uint8_t data[];
};

struct dump {
    const struct family *family;
    struct cmd_ops ops;                 /* as registered when it started */
    struct ctl_server_request req;      /* points into msg */
    uint64_t cursor[4];
    bool started;                       /* a datagram of it was sent */
    uint8_t msg[] __attribute__((aligned(8)));     /* copy of the request */
};

struct conn {
    struct ctl_server *server;
    int fd;
    uint32_t pid;
    uint64_t groups;                    /* bit i: server->groups[i] joined */
    struct event *rd_ev;
    struct event *wr_ev;
    bool rd_on, wr_on;
    bool dead;                          /* freed by server_reap() */

    /* Sent before anything else. */
    struct outbuf *out_head;
    struct outbuf **out_tail;

    /* The rest of a datagram whose processing was suspended. */
    uint8_t *pending;
    size_t pending_len;
    size_t pending_off;

    struct dump *dump;
};

struct ctl_server_reply {
    uint8_t *buf;
    size_t len;                         /* committed */
    size_t limit;
    const struct family *family;
    uint32_t seq;
    uint32_t pid;
    uint16_t flags;                     /* NLM_F_MULTI in a dump */
    unsigned int n_msgs;
};

struct ctl_server {
    struct event_base *base;
    char path[sizeof(((struct sockaddr_un *) 0)->sun_path)];
    int fd;
    dev_t dev;
    ino_t ino;
    struct event *accept_ev;
    struct event *accept_timer;         /* re-arms accept_ev after EMFILE */

    struct family *families[CTL_SERVER_MAX_FAMILIES];
    unsigned int n_families;
    struct group groups[MAX_GROUPS];
    unsigned int n_groups;

    struct conn *conns[CTL_SERVER_MAX_CLIENTS];
    unsigned int n_conns;
    uint32_t next_pid;
    bool need_reap;
    int depth;                          /* inside one of our callbacks */

    struct ctl_server_stats stats;
    uint8_t *rxbuf;                     /* CTL_MSG_MAX */
    uint8_t *txbuf;                     /* CTL_MSG_MAX */
};

static void conn_update_events(struct conn *c);
static void dump_step(struct conn *c);

/* ---------------------------------------------------------------- lookup */

static struct family *
family_by_id(const struct ctl_server *s, uint16_t id)
{
    for (unsigned int i = 0; i < s->n_families; i++) {
        if (s->families[i]->def.id == id) {
            return s->families[i];
        }
    }
    return NULL;
}

static struct family *
family_by_name(const struct ctl_server *s, const char *name)
{
    for (unsigned int i = 0; i < s->n_families; i++) {
        if (!strcmp(s->families[i]->name, name)) {
            return s->families[i];
        }
    }
    return NULL;
}

static int
group_index(const struct ctl_server *s, uint32_t id)
{
    for (unsigned int i = 0; i < s->n_groups; i++) {
        if (s->groups[i].id == id) {
            return (int) i;
        }
    }
    return -1;
}

static struct conn *
conn_by_pid(const struct ctl_server *s, uint32_t pid)
{
    for (unsigned int i = 0; i < s->n_conns; i++) {
        struct conn *c = s->conns[i];

        if (c->pid == pid && !c->dead) {
            return c;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- output */

static void
conn_kill(struct conn *c)
{
    if (c->dead) {
        return;
    }
    c->dead = true;
    if (c->dump) {
        c->server->stats.n_dumps_aborted++;
    }
    event_del(c->rd_ev);
    event_del(c->wr_ev);
    c->rd_on = c->wr_on = false;
    c->server->need_reap = true;
}

/* One non-blocking send: 0, -EAGAIN (socket full), or another negative
 * errno that means the connection is gone. */
static int
conn_try_send(struct conn *c, const void *data, size_t len)
{
    for (;;) {
        if (send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
            return 0;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS
            || errno == ENOMEM) {
            return -EAGAIN;
        }
        return -errno;
    }
}

/* Sends a reply datagram, or queues it behind those already waiting.  The
 * client asked for it, so it is never dropped: a connection that cannot be
 * answered is closed instead. */
static void
conn_send(struct conn *c, const void *data, size_t len)
{
    struct outbuf *ob;

    if (c->dead) {
        return;
    }
    if (!c->out_head) {
        int ret = conn_try_send(c, data, len);

        if (ret == 0) {
            return;
        }
        if (ret != -EAGAIN) {
            conn_kill(c);
            return;
        }
    }
    ob = malloc(sizeof *ob + len);
    if (!ob) {
        conn_kill(c);
        return;
    }
    ob->next = NULL;
    ob->len = len;
    memcpy(ob->data, data, len);
    *c->out_tail = ob;
    c->out_tail = &ob->next;
}

static void
conn_flush(struct conn *c)
{
    while (c->out_head && !c->dead) {
        struct outbuf *ob = c->out_head;
        int ret = conn_try_send(c, ob->data, ob->len);

        if (ret == -EAGAIN) {
            return;
        }
        if (ret < 0) {
            conn_kill(c);
            return;
        }
        c->out_head = ob->next;
        if (!c->out_head) {
            c->out_tail = &c->out_head;
        }
        free(ob);
    }
}

/* Builds NLMSG_ERROR (error 0 = ACK) for a request whose header is orig. */
static size_t
build_error(void *buf, size_t size, const struct nlmsghdr *orig, uint32_t pid,
            int error, const char *msg)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct nlmsgerr *e;

    nlh->nlmsg_type = NLMSG_ERROR;
    nlh->nlmsg_flags = NLM_F_CAPPED;
    nlh->nlmsg_seq = orig->nlmsg_seq;
    nlh->nlmsg_pid = pid;
    e = mnl_nlmsg_put_extra_header(nlh, sizeof *e);
    e->error = error;
    e->msg = *orig;
    if (msg && msg[0]
        && mnl_attr_put_strz_check(nlh, size, NLMSGERR_ATTR_MSG, msg)) {
        nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
    }
    return nlh->nlmsg_len;
}

/* Builds NLMSG_DONE with error (0 or negative) and, for an error, msg. */
static size_t
build_done(void *buf, size_t size, uint32_t seq, uint32_t pid, int error,
           const char *msg)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    int *errp;

    nlh->nlmsg_type = NLMSG_DONE;
    nlh->nlmsg_flags = NLM_F_MULTI;
    nlh->nlmsg_seq = seq;
    nlh->nlmsg_pid = pid;
    errp = mnl_nlmsg_put_extra_header(nlh, sizeof *errp);
    *errp = error;
    if (error && msg && msg[0]
        && mnl_attr_put_strz_check(nlh, size, NLMSGERR_ATTR_MSG, msg)) {
        nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
    }
    return nlh->nlmsg_len;
}

static void
send_error(struct conn *c, const struct nlmsghdr *orig, int error,
           const char *msg)
{
    uint8_t buf[CTRL_MSG_SIZE] __attribute__((aligned(4)));
    size_t len;

    if (error) {
        c->server->stats.n_errors++;
    }
    len = build_error(buf, sizeof buf, orig, c->pid, error, msg);
    conn_send(c, buf, len);
}

static void __attribute__((format(printf, 4, 5)))
send_malformed(struct conn *c, const struct nlmsghdr *orig, int error,
               const char *fmt, ...)
{
    struct xsw_err err;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    c->server->stats.n_malformed++;
    send_error(c, orig, error, err.msg);
}

/* ---------------------------------------------------------------- replies */

static void
reply_init(struct ctl_server_reply *r, uint8_t *buf, size_t limit,
           const struct family *f, uint32_t seq, uint32_t pid, uint16_t flags)
{
    r->buf = buf;
    r->len = 0;
    r->limit = limit;
    r->family = f;
    r->seq = seq;
    r->pid = pid;
    r->flags = flags;
    r->n_msgs = 0;
}

struct nlmsghdr *
ctl_server_reply_start(struct ctl_server_reply *r, uint8_t cmd, int dp_ifindex)
{
    const struct ctl_server_family *def = &r->family->def;
    size_t need = NLMSG_HDRLEN + GENL_HDRLEN + NLMSG_ALIGN(def->hdrsize);
    struct genlmsghdr *genl;
    struct nlmsghdr *nlh;

    if (r->len + need > r->limit) {
        return NULL;
    }
    nlh = mnl_nlmsg_put_header(r->buf + r->len);
    nlh->nlmsg_type = def->id;
    nlh->nlmsg_flags = r->flags;
    nlh->nlmsg_seq = r->seq;
    nlh->nlmsg_pid = r->pid;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = cmd;
    genl->version = def->version;
    if (def->hdrsize) {
        void *hdr = mnl_nlmsg_put_extra_header(nlh, def->hdrsize);

        if (def->hdrsize >= sizeof(struct ovs_header)) {
            ((struct ovs_header *) hdr)->dp_ifindex = dp_ifindex;
        }
    }
    return nlh;
}

size_t
ctl_server_reply_room(const struct ctl_server_reply *r,
                      const struct nlmsghdr *nlh)
{
    size_t off = (const uint8_t *) nlh - r->buf;

    return off <= r->limit ? r->limit - off : 0;
}

int
ctl_server_reply_end(struct ctl_server_reply *r, struct nlmsghdr *nlh)
{
    if ((uint8_t *) nlh != r->buf + r->len) {
        return -EINVAL;
    }
    if (nlh->nlmsg_len > r->limit
        || r->len + NLMSG_ALIGN(nlh->nlmsg_len) > r->limit) {
        return -EMSGSIZE;
    }
    r->len += NLMSG_ALIGN(nlh->nlmsg_len);
    r->n_msgs++;
    return 0;
}

void
ctl_server_reply_cancel(struct ctl_server_reply *r, struct nlmsghdr *nlh)
{
    /* Nothing to undo: only ctl_server_reply_end() moves r->len, and the next
     * message starts over the cancelled one. */
    (void) r;
    (void) nlh;
}

int
ctl_server_reply_put(struct ctl_server_reply *r, const struct nlmsghdr *msg)
{
    struct nlmsghdr *nlh;
    size_t len;

    if (msg->nlmsg_len < NLMSG_HDRLEN) {
        return -EINVAL;
    }
    if (msg->nlmsg_len > r->limit) {
        return -EMSGSIZE;
    }
    len = NLMSG_ALIGN(msg->nlmsg_len);
    if (r->len + len > r->limit) {
        return -EMSGSIZE;
    }
    nlh = (struct nlmsghdr *) (r->buf + r->len);
    memcpy(nlh, msg, msg->nlmsg_len);
    memset((uint8_t *) nlh + msg->nlmsg_len, 0, len - msg->nlmsg_len);
    nlh->nlmsg_seq = r->seq;
    nlh->nlmsg_pid = r->pid;
    nlh->nlmsg_flags |= r->flags;
    r->len += len;
    r->n_msgs++;
    return 0;
}

unsigned int
ctl_server_reply_count(const struct ctl_server_reply *r)
{
    return r->n_msgs;
}

/* ---------------------------------------------------------------- dumps */

/* Ends the connection's dump, if any: every path that ends one comes here,
 * so the command's done function runs exactly once. */
static void
dump_free(struct conn *c)
{
    struct dump *d = c->dump;

    if (!d) {
        return;
    }
    c->dump = NULL;
    if (d->ops.done) {
        d->ops.done(d->ops.ctx, &d->req, d->cursor);
    }
    free(d);
}

static void
dump_start(struct conn *c, const struct family *f, const struct cmd_ops *ops,
           const struct ctl_server_request *req)
{
    size_t len = req->nlh->nlmsg_len;
    struct dump *d = calloc(1, sizeof *d + len);
    const uint8_t *old = (const uint8_t *) req->nlh;

    if (!d) {
        send_error(c, req->nlh, -ENOMEM, "out of memory starting a dump");
        return;
    }
    d->family = f;
    d->ops = *ops;
    memcpy(d->msg, old, len);
    d->req = *req;
    d->req.nlh = (const struct nlmsghdr *) d->msg;
    if (req->hdr) {
        d->req.hdr = d->msg + ((const uint8_t *) req->hdr - old);
    }
    d->req.attrs = d->msg + ((const uint8_t *) req->attrs - old);
    c->dump = d;
    dump_step(c);
}

/* Produces and sends one datagram of the dump (the caller checked that
 * nothing is waiting in front of it). */
static void
dump_step(struct conn *c)
{
    struct ctl_server *s = c->server;
    struct dump *d = c->dump;
    struct ctl_server_reply r;
    struct xsw_err err;
    int ret;

    xsw_err_clear(&err);
    reply_init(&r, s->txbuf, CTL_SERVER_DUMP_SIZE, d->family, d->req.seq,
               c->pid, NLM_F_MULTI);
    ret = d->ops.dumpit(d->ops.ctx, &d->req, d->cursor, &r, &err);
    if ((ret > 0 || ret == -EMSGSIZE) && r.n_msgs == 0) {
        /* The next message alone is bigger than a usual datagram: give it a
         * datagram of its own, as the kernel grows its skb for it. */
        xsw_err_clear(&err);
        reply_init(&r, s->txbuf, CTL_MSG_MAX, d->family, d->req.seq, c->pid,
                   NLM_F_MULTI);
        ret = d->ops.dumpit(d->ops.ctx, &d->req, d->cursor, &r, &err);
        if ((ret > 0 || ret == -EMSGSIZE) && r.n_msgs == 0) {
            ret = xsw_err_set(&err, EMSGSIZE,
                              "%s: dump message larger than %d bytes",
                              d->family->name, CTL_MSG_MAX);
        }
    }

    if (ret > 0) {
        conn_send(c, r.buf, r.len);
        d->started = true;
        return;
    }
    if (ret < -4095) {
        ret = -EIO;
    }

    if (ret < 0 && !d->started && r.n_msgs == 0) {
        /* Nothing sent yet: fail the request as a doit would, which is what
         * clients check first. */
        send_error(c, d->req.nlh, ret, err.msg);
    } else {
        uint8_t done[CTRL_MSG_SIZE] __attribute__((aligned(4)));
        size_t done_len = build_done(done, sizeof done, d->req.seq, c->pid,
                                     ret, err.msg);

        if (ret < 0) {
            s->stats.n_errors++;
        }
        if (r.len + done_len <= r.limit) {
            memcpy(r.buf + r.len, done, done_len);
            conn_send(c, r.buf, r.len + done_len);
        } else {
            if (r.len) {
                conn_send(c, r.buf, r.len);
            }
            conn_send(c, done, done_len);
        }
    }
    dump_free(c);
}

/* ---------------------------------------------------------------- requests */

static bool
attrs_framing_ok(const uint8_t *p, size_t len, size_t *bad_off)
{
    size_t off = 0;

    while (len - off >= MNL_ATTR_HDRLEN) {
        const struct nlattr *a = (const struct nlattr *) (p + off);

        if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - off) {
            *bad_off = off;
            return false;
        }
        size_t step = MNL_ALIGN(a->nla_len);

        off += step < len - off ? step : len - off;
    }
    return true;
}

static const char *
hdr_name(const struct family *f)
{
    return f->def.hdrsize == sizeof(struct ovs_header) ? "ovs_header"
                                                       : "family header";
}

/* Handles the message at buf, len bytes before the end of the datagram.
 * Returns how many bytes it used (len: skip the rest of the datagram). */
static size_t
handle_msg(struct conn *c, const uint8_t *buf, size_t len)
{
    struct ctl_server *s = c->server;
    const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;
    const struct genlmsghdr *genl;
    const struct cmd_ops *ops;
    struct ctl_server_request req;
    struct nlmsghdr hdr;
    struct family *f;
    size_t payload_len, attrs_off, bad_off, used;
    bool dump;

    s->stats.n_requests++;
    memset(&hdr, 0, sizeof hdr);
    memcpy(&hdr, buf, len < sizeof hdr ? len : sizeof hdr);
    if (len < NLMSG_HDRLEN) {
        send_malformed(c, &hdr, -EINVAL,
                       "truncated netlink header: %zu bytes, need %d",
                       len, NLMSG_HDRLEN);
        return len;
    }
    if (hdr.nlmsg_len < NLMSG_HDRLEN) {
        send_malformed(c, &hdr, -EINVAL,
                       "nlmsg_len %u is shorter than the netlink header",
                       hdr.nlmsg_len);
        return len;
    }
    if (hdr.nlmsg_len > len) {
        send_malformed(c, &hdr, -EINVAL,
                       "nlmsg_len %u exceeds the %zu bytes left in the "
                       "datagram", hdr.nlmsg_len, len);
        return len;
    }
    used = NLMSG_ALIGN(hdr.nlmsg_len) < len ? NLMSG_ALIGN(hdr.nlmsg_len) : len;

    if (!(hdr.nlmsg_flags & NLM_F_REQUEST)) {
        send_malformed(c, &hdr, -EINVAL,
                       "not a request (NLM_F_REQUEST not set)");
        return used;
    }
    if (hdr.nlmsg_type < NLMSG_MIN_TYPE) {
        send_malformed(c, &hdr, -EINVAL,
                       "message type %u is a netlink control message, "
                       "not a request", hdr.nlmsg_type);
        return used;
    }
    f = family_by_id(s, hdr.nlmsg_type);
    if (!f) {
        send_malformed(c, &hdr, -ENOENT, "unknown family id %u",
                       hdr.nlmsg_type);
        return used;
    }
    payload_len = hdr.nlmsg_len - NLMSG_HDRLEN;
    if (payload_len < GENL_HDRLEN) {
        send_malformed(c, &hdr, -EINVAL,
                       "%s: truncated genetlink header (%zu bytes)",
                       f->name, payload_len);
        return used;
    }
    if (payload_len < GENL_HDRLEN + f->def.hdrsize) {
        send_malformed(c, &hdr, -EINVAL,
                       "%s: missing %s (%u bytes after the genetlink header)",
                       f->name, hdr_name(f), f->def.hdrsize);
        return used;
    }
    attrs_off = GENL_HDRLEN + NLMSG_ALIGN(f->def.hdrsize);
    if (attrs_off > payload_len) {
        attrs_off = payload_len;
    }
    genl = mnl_nlmsg_get_payload(nlh);
    if (!attrs_framing_ok((const uint8_t *) genl + attrs_off,
                          payload_len - attrs_off, &bad_off)) {
        send_malformed(c, &hdr, -EINVAL,
                       "%s: malformed attribute at offset %zu of the message",
                       f->name, NLMSG_HDRLEN + attrs_off + bad_off);
        return used;
    }

    ops = &f->ops[genl->cmd];
    dump = (hdr.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    if (!ops->doit && !ops->dumpit) {
        send_malformed(c, &hdr, -EOPNOTSUPP, "%s: unknown command %u",
                       f->name, genl->cmd);
        return used;
    }
    if (dump ? !ops->dumpit : !ops->doit) {
        send_malformed(c, &hdr, -EOPNOTSUPP,
                       dump ? "%s: command %u cannot dump"
                            : "%s: command %u is a dump (needs NLM_F_DUMP)",
                       f->name, genl->cmd);
        return used;
    }

    memset(&req, 0, sizeof req);
    req.nlh = nlh;
    req.family = hdr.nlmsg_type;
    req.flags = hdr.nlmsg_flags;
    req.seq = hdr.nlmsg_seq;
    req.pid = c->pid;
    req.cmd = genl->cmd;
    req.version = genl->version;
    if (f->def.hdrsize) {
        req.hdr = (const uint8_t *) genl + GENL_HDRLEN;
        if (f->def.hdrsize >= sizeof(struct ovs_header)) {
            memcpy(&req.dp_ifindex, req.hdr, sizeof req.dp_ifindex);
        }
    }
    req.attrs = (const uint8_t *) genl + attrs_off;
    req.attrs_len = payload_len - attrs_off;
    req.server = s;

    if (dump) {
        dump_start(c, f, ops, &req);
    } else {
        struct ctl_server_reply r;
        struct xsw_err err;
        int ret;

        xsw_err_clear(&err);
        reply_init(&r, s->txbuf, CTL_MSG_MAX, f, req.seq, c->pid, 0);
        ret = ops->doit(ops->ctx, &req, &r, &err);
        if (ret < 0) {
            send_error(c, &hdr, ret < -4095 ? -EIO : ret, err.msg);
        } else {
            if (r.len) {
                conn_send(c, r.buf, r.len);
            }
            if (hdr.nlmsg_flags & NLM_F_ACK) {
                send_error(c, &hdr, 0, NULL);
            }
        }
    }
    return used;
}

static bool
conn_busy(const struct conn *c)
{
    return c->dead || c->out_head || c->dump;
}

/* Handles messages from buf until the datagram ends, the connection owes
 * something (then the rest waits), or the budget runs out.  Returns the
 * bytes used. */
static size_t
handle_datagram(struct conn *c, const uint8_t *buf, size_t len, int *budget)
{
    size_t off = 0;

    if (len == 0) {
        struct nlmsghdr hdr;

        memset(&hdr, 0, sizeof hdr);
        c->server->stats.n_requests++;
        send_malformed(c, &hdr, -EINVAL, "empty datagram");
        return 0;
    }
    while (off < len && !conn_busy(c) && *budget > 0) {
        off += handle_msg(c, buf + off, len - off);
        --*budget;
    }
    return off;
}

static void
conn_save_pending(struct conn *c, const uint8_t *rest, size_t len)
{
    c->pending = malloc(len);
    if (!c->pending) {
        conn_kill(c);
        return;
    }
    memcpy(c->pending, rest, len);
    c->pending_len = len;
    c->pending_off = 0;
}

/* Whatever the connection can do now: drain its output, advance its dump,
 * handle the rest of a suspended datagram, within this turn's budget. */
static void
conn_run(struct conn *c)
{
    int msg_budget = MSG_BUDGET;
    int dump_budget = DUMP_BUDGET;

    while (!c->dead) {
        conn_flush(c);
        if (c->dead || c->out_head) {
            break;
        }
        if (c->dump) {
            if (dump_budget-- == 0) {
                break;
            }
            dump_step(c);
        } else if (c->pending) {
            if (msg_budget == 0) {
                break;
            }
            c->pending_off += handle_datagram(c, c->pending + c->pending_off,
                                              c->pending_len - c->pending_off,
                                              &msg_budget);
            if (c->pending_off >= c->pending_len) {
                free(c->pending);
                c->pending = NULL;
            }
        } else {
            break;
        }
    }
}

static void
conn_update_events(struct conn *c)
{
    bool busy = c->out_head || c->dump || c->pending;
    bool want_rd = !c->dead && !busy;
    bool want_wr = !c->dead && busy;

    if (want_rd != c->rd_on) {
        if (want_rd ? event_add(c->rd_ev, NULL) : event_del(c->rd_ev)) {
            conn_kill(c);
            return;
        }
        c->rd_on = want_rd;
    }
    if (want_wr != c->wr_on) {
        if (want_wr ? event_add(c->wr_ev, NULL) : event_del(c->wr_ev)) {
            conn_kill(c);
            return;
        }
        c->wr_on = want_wr;
    }
}

static void
conn_free(struct conn *c)
{
    struct outbuf *ob, *next;

    for (ob = c->out_head; ob; ob = next) {
        next = ob->next;
        free(ob);
    }
    free(c->pending);
    dump_free(c);
    if (c->rd_ev) {
        event_free(c->rd_ev);
    }
    if (c->wr_ev) {
        event_free(c->wr_ev);
    }
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c);
}

/* Frees the connections marked dead.  Only at the end of a top-level
 * callback, so that no handler or caller up the stack still holds one. */
static void
server_reap(struct ctl_server *s)
{
    if (!s->need_reap) {
        return;
    }
    s->need_reap = false;
    for (unsigned int i = 0; i < s->n_conns;) {
        struct conn *c = s->conns[i];

        if (c->dead) {
            s->conns[i] = s->conns[--s->n_conns];
            conn_free(c);
        } else {
            i++;
        }
    }
}

/* A zero-length read is both end-of-file and an empty datagram on a
 * SEQPACKET socket; only the former sets RCV_SHUTDOWN. */
static bool
peer_closed(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

    return poll(&pfd, 1, 0) != 0
           && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static void
conn_read_cb(evutil_socket_t fd, short what, void *c_)
{
    struct conn *c = c_;
    struct ctl_server *s = c->server;
    int budget = MSG_BUDGET;

    (void) what;
    s->depth++;
    for (int i = 0; i < READ_BATCH && !conn_busy(c) && !c->pending
                    && budget > 0; i++) {
        ssize_t n = recv(fd, s->rxbuf, CTL_MSG_MAX, MSG_DONTWAIT | MSG_TRUNC);
        size_t used;

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                conn_kill(c);
            }
            break;
        }
        if (n == 0 && peer_closed(fd)) {
            conn_kill(c);
            break;
        }
        if (n > CTL_MSG_MAX) {
            struct nlmsghdr hdr;

            memcpy(&hdr, s->rxbuf, sizeof hdr);
            s->stats.n_requests++;
            send_malformed(c, &hdr, -EMSGSIZE,
                           "datagram of %zd bytes exceeds the maximum of %d",
                           n, CTL_MSG_MAX);
            budget--;
            continue;
        }
        used = handle_datagram(c, s->rxbuf, n, &budget);
        if (used < (size_t) n && !c->dead) {
            conn_save_pending(c, s->rxbuf + used, n - used);
        }
    }
    conn_update_events(c);
    s->depth--;
    server_reap(s);
}

static void
conn_write_cb(evutil_socket_t fd, short what, void *c_)
{
    struct conn *c = c_;
    struct ctl_server *s = c->server;

    (void) fd;
    (void) what;
    s->depth++;
    conn_run(c);
    conn_update_events(c);
    s->depth--;
    server_reap(s);
}

/* ---------------------------------------------------------------- accept */

static uint32_t
alloc_pid(struct ctl_server *s)
{
    for (;;) {
        uint32_t pid = s->next_pid++;

        if (pid != 0 && !conn_by_pid(s, pid)) {
            return pid;
        }
    }
}

static void
refuse(struct ctl_server *s, int fd)
{
    uint8_t buf[CTRL_MSG_SIZE] __attribute__((aligned(4)));
    struct nlmsghdr hdr;
    char msg[96];
    size_t len;

    /* Say why before closing, so that the client's first transaction fails
     * with a reason instead of a bare end of file. */
    memset(&hdr, 0, sizeof hdr);
    snprintf(msg, sizeof msg, "too many control connections (%d)",
             CTL_SERVER_MAX_CLIENTS);
    len = build_error(buf, sizeof buf, &hdr, 0, -EMFILE, msg);
    (void) !send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    close(fd);
    s->stats.n_refused++;
}

static void
accept_cb(evutil_socket_t lfd, short what, void *s_)
{
    struct ctl_server *s = s_;

    (void) what;
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        int sndbuf = CONN_SNDBUF;
        struct conn *c;

        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS
                || errno == ENOMEM) {
                /* The connection stays in the backlog and the socket stays
                 * readable: pause accepting rather than spin on it. */
                struct timeval tv = { .tv_usec = ACCEPT_PAUSE_US };

                event_del(s->accept_ev);
                event_add(s->accept_timer, &tv);
            }
            break;
        }
        if (s->n_conns >= CTL_SERVER_MAX_CLIENTS) {
            refuse(s, fd);
            continue;
        }
        (void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->server = s;
        c->fd = fd;
        c->out_tail = &c->out_head;
        c->pid = alloc_pid(s);
        c->rd_ev = event_new(s->base, fd, EV_READ | EV_PERSIST,
                             conn_read_cb, c);
        c->wr_ev = event_new(s->base, fd, EV_WRITE | EV_PERSIST,
                             conn_write_cb, c);
        if (!c->rd_ev || !c->wr_ev) {
            conn_free(c);
            continue;
        }
        s->conns[s->n_conns++] = c;
        s->stats.n_accepted++;
        conn_update_events(c);
    }
    server_reap(s);
}

static void
accept_resume_cb(evutil_socket_t fd, short what, void *s_)
{
    struct ctl_server *s = s_;

    (void) fd;
    (void) what;
    event_add(s->accept_ev, NULL);
}

/* ---------------------------------------------------------------- nlctrl */

static int
put_family(struct ctl_server_reply *r, const struct family *f)
{
    struct nlmsghdr *nlh = ctl_server_reply_start(r, CTRL_CMD_NEWFAMILY, 0);
    struct nlattr *nest, *item;
    size_t room;
    unsigned int n;

    if (!nlh) {
        return -EMSGSIZE;
    }
    room = ctl_server_reply_room(r, nlh);
    if (!mnl_attr_put_strz_check(nlh, room, CTRL_ATTR_FAMILY_NAME, f->name)
        || !mnl_attr_put_u16_check(nlh, room, CTRL_ATTR_FAMILY_ID, f->def.id)
        || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_VERSION,
                                   f->def.version)
        || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_HDRSIZE,
                                   f->def.hdrsize)
        || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_MAXATTR,
                                   f->def.maxattr)) {
        goto fail;
    }

    n = 0;
    for (unsigned int cmd = 0; cmd <= UINT8_MAX; cmd++) {
        n += f->ops[cmd].doit || f->ops[cmd].dumpit;
    }
    if (n) {
        nest = mnl_attr_nest_start_check(nlh, room, CTRL_ATTR_OPS);
        if (!nest) {
            goto fail;
        }
        n = 0;
        for (unsigned int cmd = 0; cmd <= UINT8_MAX; cmd++) {
            const struct cmd_ops *ops = &f->ops[cmd];
            uint32_t flags = 0;

            if (!ops->doit && !ops->dumpit) {
                continue;
            }
            flags |= ops->doit ? GENL_CMD_CAP_DO : 0;
            flags |= ops->dumpit ? GENL_CMD_CAP_DUMP : 0;
            item = mnl_attr_nest_start_check(nlh, room, ++n);
            if (!item
                || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_OP_ID, cmd)
                || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_OP_FLAGS,
                                           flags)) {
                goto fail;
            }
            mnl_attr_nest_end(nlh, item);
        }
        mnl_attr_nest_end(nlh, nest);
    }

    if (f->def.n_mcgrps) {
        nest = mnl_attr_nest_start_check(nlh, room, CTRL_ATTR_MCAST_GROUPS);
        if (!nest) {
            goto fail;
        }
        for (unsigned int i = 0; i < f->def.n_mcgrps; i++) {
            item = mnl_attr_nest_start_check(nlh, room, i + 1);
            if (!item
                || !mnl_attr_put_u32_check(nlh, room, CTRL_ATTR_MCAST_GRP_ID,
                                           f->mcgrps[i].id)
                || !mnl_attr_put_strz_check(nlh, room,
                                            CTRL_ATTR_MCAST_GRP_NAME,
                                            f->mcgrps[i].name)) {
                goto fail;
            }
            mnl_attr_nest_end(nlh, item);
        }
        mnl_attr_nest_end(nlh, nest);
    }
    return ctl_server_reply_end(r, nlh);

fail:
    ctl_server_reply_cancel(r, nlh);
    return -EMSGSIZE;
}

/* The first attribute of type in attrs, or NULL (framing already checked). */
static const struct nlattr *
find_attr(const void *attrs, size_t len, uint16_t type)
{
    const struct nlattr *attr;

    mnl_attr_for_each_payload(attrs, len) {
        if (mnl_attr_get_type(attr) == type) {
            return attr;
        }
    }
    return NULL;
}

static bool
attr_is_strz(const struct nlattr *a, size_t max)
{
    uint16_t len = mnl_attr_get_payload_len(a);

    return len >= 1 && len <= max
           && memchr(mnl_attr_get_payload(a), '\0', len)
              == (const char *) mnl_attr_get_payload(a) + len - 1;
}

static int
ctrl_getfamily(void *ctx, const struct ctl_server_request *req,
               struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct ctl_server *s = ctx;
    const struct nlattr *name = find_attr(req->attrs, req->attrs_len,
                                          CTRL_ATTR_FAMILY_NAME);
    const struct nlattr *id = find_attr(req->attrs, req->attrs_len,
                                        CTRL_ATTR_FAMILY_ID);
    const struct family *f;

    /* The name wins when both are given, as in the kernel. */
    if (name) {
        if (!attr_is_strz(name, GENL_NAMSIZ)) {
            return xsw_err_set(err, EINVAL, "CTRL_ATTR_FAMILY_NAME: not a "
                               "NUL-terminated string of at most %d bytes",
                               GENL_NAMSIZ - 1);
        }
        f = family_by_name(s, mnl_attr_get_str(name));
        if (!f) {
            return xsw_err_set(err, ENOENT, "no family named \"%s\"",
                               mnl_attr_get_str(name));
        }
    } else if (id) {
        if (mnl_attr_get_payload_len(id) < sizeof(uint16_t)) {
            return xsw_err_set(err, EINVAL, "CTRL_ATTR_FAMILY_ID: too short");
        }
        f = family_by_id(s, mnl_attr_get_u16(id));
        if (!f) {
            return xsw_err_set(err, ENOENT, "no family with id %u",
                               mnl_attr_get_u16(id));
        }
    } else {
        return xsw_err_set(err, EINVAL, "CTRL_CMD_GETFAMILY needs "
                           "CTRL_ATTR_FAMILY_NAME or CTRL_ATTR_FAMILY_ID");
    }
    return put_family(reply, f);
}

static int
ctrl_dumpfamily(void *ctx, const struct ctl_server_request *req,
                uint64_t cursor[4], struct ctl_server_reply *reply,
                struct xsw_err *err)
{
    struct ctl_server *s = ctx;

    (void) req;
    (void) err;
    for (; cursor[0] < s->n_families; cursor[0]++) {
        if (put_family(reply, s->families[cursor[0]]) < 0) {
            return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- xsw_ctl */

static int
xsw_ctl_group(void *ctx, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct ctl_server *s = ctx;
    const struct nlattr *a = find_attr(req->attrs, req->attrs_len,
                                       XSW_CTL_ATTR_GROUP);
    struct conn *c = conn_by_pid(s, req->pid);
    uint32_t group;
    int idx;

    (void) reply;
    if (!a || mnl_attr_get_payload_len(a) != sizeof(uint32_t)) {
        return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_GROUP (u32) missing");
    }
    group = mnl_attr_get_u32(a);
    idx = group_index(s, group);
    if (idx < 0) {
        return xsw_err_set(err, EINVAL, "no multicast group %u", group);
    }
    if (!c) {
        return -ECONNRESET;
    }
    if (req->cmd == XSW_CTL_CMD_JOIN_GROUP) {
        c->groups |= UINT64_C(1) << idx;
    } else {
        c->groups &= ~(UINT64_C(1) << idx);
    }
    return 0;
}

int
ctl_server_exec_argv(const struct ctl_server_request *req, const char **argv,
                     int max_args, uint32_t *format, struct xsw_err *err)
{
    const struct nlattr *list = find_attr(req->attrs, req->attrs_len,
                                          XSW_CTL_ATTR_ARGV);
    const struct nlattr *fmt = find_attr(req->attrs, req->attrs_len,
                                         XSW_CTL_ATTR_FORMAT);
    const uint8_t *p;
    size_t len, off;
    int argc = 0;

    if (format) {
        *format = XSW_CTL_FORMAT_TEXT;
        if (fmt) {
            if (mnl_attr_get_payload_len(fmt) != sizeof(uint32_t)
                || mnl_attr_get_u32(fmt) > XSW_CTL_FORMAT_JSON) {
                return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_FORMAT: "
                                   "expected a u32 of 0 (text) or 1 (json)");
            }
            *format = mnl_attr_get_u32(fmt);
        }
    }
    if (!list) {
        return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_ARGV missing");
    }
    if (max_args < 2) {
        return xsw_err_set(err, E2BIG, "no room for arguments");
    }
    p = mnl_attr_get_payload(list);
    len = mnl_attr_get_payload_len(list);
    for (off = 0; len - off >= MNL_ATTR_HDRLEN;) {
        const struct nlattr *a = (const struct nlattr *) (p + off);

        if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - off) {
            return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_ARGV: malformed "
                               "attribute after argument %d", argc);
        }
        if (mnl_attr_get_type(a) != argc + 1) {
            return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_ARGV: argument %d "
                               "has type %u", argc + 1, mnl_attr_get_type(a));
        }
        if (!attr_is_strz(a, UINT16_MAX)) {
            return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_ARGV: argument %d "
                               "is not a NUL-terminated string", argc + 1);
        }
        if (argc >= max_args - 1) {
            return xsw_err_set(err, E2BIG, "more than %d arguments",
                               max_args - 1);
        }
        argv[argc++] = mnl_attr_get_str(a);
        off += MNL_ALIGN(a->nla_len);
    }
    if (argc == 0) {
        return xsw_err_set(err, EINVAL, "XSW_CTL_ATTR_ARGV: no command");
    }
    argv[argc] = NULL;
    return argc;
}

int
ctl_server_exec_reply(struct ctl_server_reply *reply, uint32_t status,
                      const char *text)
{
    struct nlmsghdr *nlh = ctl_server_reply_start(reply, XSW_CTL_CMD_EXEC, 0);
    size_t room;

    if (!nlh) {
        return -EMSGSIZE;
    }
    room = ctl_server_reply_room(reply, nlh);
    if ((text && !mnl_attr_put_strz_check(nlh, room, XSW_CTL_ATTR_REPLY, text))
        || !mnl_attr_put_u32_check(nlh, room, XSW_CTL_ATTR_STATUS, status)) {
        ctl_server_reply_cancel(reply, nlh);
        return -EMSGSIZE;
    }
    return ctl_server_reply_end(reply, nlh);
}

/* ---------------------------------------------------------------- families */

static bool
name_ok(const char *name)
{
    return name && name[0] && strlen(name) < GENL_NAMSIZ;
}

int
ctl_server_register_family(struct ctl_server *s,
                           const struct ctl_server_family *def,
                           struct xsw_err *err)
{
    struct family *f;

    if (!name_ok(def->name)) {
        return xsw_err_set(err, EINVAL, "family name must have 1 to %d bytes",
                           GENL_NAMSIZ - 1);
    }
    if (def->id < GENL_MIN_ID || def->id > GENL_MAX_ID) {
        return xsw_err_set(err, EINVAL, "%s: family id %u out of range",
                           def->name, def->id);
    }
    if (def->n_mcgrps > CTL_SERVER_MAX_MCGRPS) {
        return xsw_err_set(err, ENOSPC, "%s: more than %d multicast groups",
                           def->name, CTL_SERVER_MAX_MCGRPS);
    }
    if (family_by_name(s, def->name) || family_by_id(s, def->id)) {
        return xsw_err_set(err, EEXIST, "%s: family name or id %u in use",
                           def->name, def->id);
    }
    if (s->n_families >= CTL_SERVER_MAX_FAMILIES
        || s->n_groups + def->n_mcgrps > MAX_GROUPS) {
        return xsw_err_set(err, ENOSPC, "%s: too many families or groups",
                           def->name);
    }
    for (unsigned int i = 0; i < def->n_mcgrps; i++) {
        if (!name_ok(def->mcgrps[i].name)) {
            return xsw_err_set(err, EINVAL, "%s: bad multicast group name",
                               def->name);
        }
        if (group_index(s, def->mcgrps[i].id) >= 0) {
            return xsw_err_set(err, EEXIST, "%s: multicast group id %u in use",
                               def->name, def->mcgrps[i].id);
        }
        for (unsigned int j = 0; j < i; j++) {
            if (def->mcgrps[j].id == def->mcgrps[i].id) {
                return xsw_err_set(err, EEXIST, "%s: multicast group id %u "
                                   "given twice", def->name, def->mcgrps[i].id);
            }
        }
    }

    f = calloc(1, sizeof *f);
    if (!f) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    f->def = *def;
    snprintf(f->name, sizeof f->name, "%s", def->name);
    f->def.name = f->name;
    for (unsigned int i = 0; i < def->n_mcgrps; i++) {
        snprintf(f->mcgrp_names[i], GENL_NAMSIZ, "%s", def->mcgrps[i].name);
        f->mcgrps[i].name = f->mcgrp_names[i];
        f->mcgrps[i].id = def->mcgrps[i].id;
        s->groups[s->n_groups].id = def->mcgrps[i].id;
        s->groups[s->n_groups].family = f;
        s->n_groups++;
    }
    f->def.mcgrps = f->mcgrps;
    s->families[s->n_families++] = f;
    return 0;
}

int
ctl_server_register_cmd(struct ctl_server *s, uint16_t family, uint8_t cmd,
                        ctl_server_doit_fn *doit, ctl_server_dumpit_fn *dumpit,
                        void *ctx)
{
    return ctl_server_register_dump(s, family, cmd, doit, dumpit, NULL, ctx);
}

int
ctl_server_register_dump(struct ctl_server *s, uint16_t family, uint8_t cmd,
                         ctl_server_doit_fn *doit, ctl_server_dumpit_fn *dumpit,
                         ctl_server_done_fn *done, void *ctx)
{
    struct family *f = family_by_id(s, family);

    if (!f) {
        return -ENOENT;
    }
    if ((!doit && !dumpit) || (done && !dumpit)) {
        return -EINVAL;
    }
    if (f->ops[cmd].doit || f->ops[cmd].dumpit) {
        return -EEXIST;
    }
    f->ops[cmd].doit = doit;
    f->ops[cmd].dumpit = dumpit;
    f->ops[cmd].done = done;
    f->ops[cmd].ctx = ctx;
    return 0;
}

int
ctl_server_unregister_cmd(struct ctl_server *s, uint16_t family, uint8_t cmd,
                          void **ctxp)
{
    struct family *f = family_by_id(s, family);
    struct cmd_ops *ops;

    if (!f) {
        return -ENOENT;
    }
    ops = &f->ops[cmd];
    if (!ops->doit && !ops->dumpit) {
        return -ENOENT;
    }
    /* A dump keeps a copy of the handlers but calls them with ctx, which
     * the caller is about to free. */
    for (unsigned int i = 0; i < s->n_conns; i++) {
        const struct dump *d = s->conns[i]->dump;

        if (d && d->family == f && d->req.cmd == cmd) {
            return -EBUSY;
        }
    }
    if (ctxp) {
        *ctxp = ops->ctx;
    }
    memset(ops, 0, sizeof *ops);
    return 0;
}

static int
register_builtin(struct ctl_server *s, struct xsw_err *err)
{
    static const struct ctl_server_mcgrp nlctrl_grp[] = {
        { CTL_NLCTRL_MCGROUP, CTL_MCGRP_ID_NLCTRL },
    };
    static const struct ctl_server_mcgrp dp_grp[] = {
        { OVS_DATAPATH_MCGROUP, CTL_MCGRP_ID_OVS_DATAPATH },
    };
    static const struct ctl_server_mcgrp vport_grp[] = {
        { OVS_VPORT_MCGROUP, CTL_MCGRP_ID_OVS_VPORT },
    };
    static const struct ctl_server_mcgrp flow_grp[] = {
        { OVS_FLOW_MCGROUP, CTL_MCGRP_ID_OVS_FLOW },
    };
    const struct ctl_server_family defs[] = {
        { CTL_NLCTRL_NAME, GENL_ID_CTRL, CTL_NLCTRL_VERSION, 0, CTRL_ATTR_MAX,
          nlctrl_grp, 1 },
        { OVS_DATAPATH_FAMILY, CTL_ID_OVS_DATAPATH, OVS_DATAPATH_VERSION,
          sizeof(struct ovs_header), OVS_DP_ATTR_MAX, dp_grp, 1 },
        { OVS_VPORT_FAMILY, CTL_ID_OVS_VPORT, OVS_VPORT_VERSION,
          sizeof(struct ovs_header), OVS_VPORT_ATTR_MAX, vport_grp, 1 },
        { OVS_FLOW_FAMILY, CTL_ID_OVS_FLOW, OVS_FLOW_VERSION,
          sizeof(struct ovs_header), OVS_FLOW_ATTR_MAX, flow_grp, 1 },
        { OVS_PACKET_FAMILY, CTL_ID_OVS_PACKET, OVS_PACKET_VERSION,
          sizeof(struct ovs_header), OVS_PACKET_ATTR_MAX, NULL, 0 },
        { XSW_CTL_FAMILY, CTL_ID_XSW_CTL, XSW_CTL_VERSION, 0, XSW_CTL_ATTR_MAX,
          NULL, 0 },
    };
    int ret;

    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        ret = ctl_server_register_family(s, &defs[i], err);
        if (ret < 0) {
            return ret;
        }
    }
    if (ctl_server_register_cmd(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                ctrl_getfamily, ctrl_dumpfamily, s) < 0
        || ctl_server_register_cmd(s, CTL_ID_XSW_CTL, XSW_CTL_CMD_JOIN_GROUP,
                                   xsw_ctl_group, NULL, s) < 0
        || ctl_server_register_cmd(s, CTL_ID_XSW_CTL, XSW_CTL_CMD_LEAVE_GROUP,
                                   xsw_ctl_group, NULL, s) < 0) {
        return xsw_err_set(err, EINVAL, "cannot register built-in commands");
    }
    return 0;
}

/* ---------------------------------------------------------------- socket */

static int
make_parent_dir(const char *path, struct xsw_err *err)
{
    char dir[sizeof(((struct sockaddr_un *) 0)->sun_path)];
    char *slash;

    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        return 0;
    }
    *slash = '\0';
    if (mkdir(dir, 0755) == 0) {
        /* Exactly 0755 whatever the umask: clients must reach the socket. */
        if (chmod(dir, 0755) < 0) {
            return xsw_err_set(err, errno, "chmod %s: %s", dir,
                               strerror(errno));
        }
        return 0;
    }
    if (errno == EEXIST) {
        return 0;
    }
    return xsw_err_set(err, errno, "cannot create directory %s: %s", dir,
                       strerror(errno));
}

/* bind() found path in use: tells a live server (-EADDRINUSE) from a socket
 * file left by a dead one (removed, returns 0). */
static int
remove_if_stale(const struct sockaddr_un *sun, struct xsw_err *err)
{
    const char *path = sun->sun_path;
    struct stat st;
    int probe, ret;

    if (lstat(path, &st) < 0) {
        return errno == ENOENT ? 0 : xsw_err_set(err, errno, "%s: %s", path,
                                                 strerror(errno));
    }
    if (!S_ISSOCK(st.st_mode)) {
        return xsw_err_set(err, EEXIST, "%s exists and is not a socket; "
                           "not replacing it", path);
    }
    probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (probe < 0) {
        return xsw_err_set(err, errno, "socket: %s", strerror(errno));
    }
    ret = connect(probe, (const struct sockaddr *) sun, sizeof *sun);
    if (ret == 0 || errno == EAGAIN || errno == EINPROGRESS
        || errno == EPROTOTYPE) {
        close(probe);
        return xsw_err_set(err, EADDRINUSE, "another server is listening on "
                           "%s (is xswd already running?)", path);
    }
    ret = errno;
    close(probe);
    if (ret != ECONNREFUSED) {
        return xsw_err_set(err, ret, "cannot check %s: %s", path,
                           strerror(ret));
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        return xsw_err_set(err, errno, "cannot remove stale socket %s: %s",
                           path, strerror(errno));
    }
    return 0;
}

static int
open_listener(struct ctl_server *s, mode_t mode, struct xsw_err *err)
{
    struct sockaddr_un sun;
    struct stat st;
    int ret;

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, s->path, strlen(s->path) + 1);

    s->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0) {
        return xsw_err_set(err, errno, "socket: %s", strerror(errno));
    }
    /* The file bind() creates takes the socket inode's mode less the umask;
     * setting it here, not through umask(), leaves other threads alone. */
    if (fchmod(s->fd, mode) < 0) {
        return xsw_err_set(err, errno, "fchmod: %s", strerror(errno));
    }
    ret = bind(s->fd, (struct sockaddr *) &sun, sizeof sun);
    if (ret < 0 && errno == EADDRINUSE) {
        ret = remove_if_stale(&sun, err);
        if (ret < 0) {
            return ret;
        }
        ret = bind(s->fd, (struct sockaddr *) &sun, sizeof sun);
    }
    if (ret < 0) {
        return xsw_err_set(err, errno, "cannot bind %s: %s", s->path,
                           strerror(errno));
    }
    /* The umask can only have narrowed the mode: put it back exactly. */
    if (chmod(s->path, mode) < 0 || stat(s->path, &st) < 0) {
        ret = xsw_err_set(err, errno, "chmod %s: %s", s->path,
                          strerror(errno));
        unlink(s->path);
        return ret;
    }
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    if (listen(s->fd, SOMAXCONN) < 0) {
        ret = xsw_err_set(err, errno, "listen %s: %s", s->path,
                          strerror(errno));
        unlink(s->path);
        s->ino = 0;
        return ret;
    }
    return 0;
}

int
ctl_server_create(struct event_base *base, const char *path, mode_t mode,
                  struct ctl_server **serverp, struct xsw_err *err)
{
    struct ctl_server *s;
    int ret;

    *serverp = NULL;
    if (!path || !path[0]
        || strlen(path) >= sizeof(((struct sockaddr_un *) 0)->sun_path)) {
        return xsw_err_set(err, ENAMETOOLONG, "socket path \"%s\" is empty or "
                           "longer than %zu bytes", path ? path : "",
                           sizeof(((struct sockaddr_un *) 0)->sun_path) - 1);
    }
    ret = make_parent_dir(path, err);
    if (ret < 0) {
        return ret;
    }

    s = calloc(1, sizeof *s);
    if (!s) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    s->base = base;
    s->fd = -1;
    s->next_pid = 1;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->rxbuf = malloc(CTL_MSG_MAX);
    s->txbuf = malloc(CTL_MSG_MAX);
    if (!s->rxbuf || !s->txbuf) {
        ret = xsw_err_set(err, ENOMEM, "out of memory");
        goto error;
    }
    ret = register_builtin(s, err);
    if (ret < 0) {
        goto error;
    }
    ret = open_listener(s, mode, err);
    if (ret < 0) {
        goto error;
    }
    s->accept_ev = event_new(base, s->fd, EV_READ | EV_PERSIST, accept_cb, s);
    s->accept_timer = evtimer_new(base, accept_resume_cb, s);
    if (!s->accept_ev || !s->accept_timer
        || event_add(s->accept_ev, NULL) < 0) {
        ret = xsw_err_set(err, ENOMEM, "cannot register the control socket "
                          "with the event loop");
        goto error;
    }
    *serverp = s;
    return 0;

error:
    ctl_server_destroy(s);
    return ret;
}

void
ctl_server_destroy(struct ctl_server *s)
{
    struct stat st;

    if (!s) {
        return;
    }
    for (unsigned int i = 0; i < s->n_conns; i++) {
        if (s->conns[i]->dump) {
            s->stats.n_dumps_aborted++;
        }
        conn_free(s->conns[i]);
    }
    s->n_conns = 0;
    if (s->accept_ev) {
        event_free(s->accept_ev);
    }
    if (s->accept_timer) {
        event_free(s->accept_timer);
    }
    if (s->fd >= 0) {
        close(s->fd);
        /* Only our own file: a later server may have replaced it. */
        if (s->ino && stat(s->path, &st) == 0 && st.st_dev == s->dev
            && st.st_ino == s->ino) {
            unlink(s->path);
        }
    }
    for (unsigned int i = 0; i < s->n_families; i++) {
        free(s->families[i]);
    }
    free(s->rxbuf);
    free(s->txbuf);
    free(s);
}

/* ---------------------------------------------------------------- notify */

static int
notify_one(struct ctl_server *s, struct conn *c, const void *msg, size_t len)
{
    int ret;

    /* Behind queued replies it would have to wait, and notifications never
     * wait: the datapath must not buffer for a slow reader. */
    if (c->out_head) {
        s->stats.n_notify_dropped++;
        return -EAGAIN;
    }
    ret = conn_try_send(c, msg, len);
    if (ret == 0) {
        s->stats.n_notify_sent++;
        return 0;
    }
    if (ret == -EAGAIN) {
        s->stats.n_notify_dropped++;
        return -EAGAIN;
    }
    conn_kill(c);
    return -ECONNREFUSED;
}

int
ctl_server_send(struct ctl_server *s, uint32_t pid, const void *msg, size_t len)
{
    struct conn *c;
    int ret;

    if (len < NLMSG_HDRLEN) {
        return -EINVAL;
    }
    if (len > CTL_MSG_MAX) {
        return -EMSGSIZE;
    }
    c = conn_by_pid(s, pid);
    if (!c) {
        return -ECONNREFUSED;
    }
    ret = notify_one(s, c, msg, len);
    if (!s->depth) {
        server_reap(s);
    }
    return ret;
}

int
ctl_server_multicast(struct ctl_server *s, uint16_t family, uint32_t group,
                     const void *msg, size_t len)
{
    /* Port ids start at 1: 0 leaves nobody out. */
    return ctl_server_multicast_except(s, family, group, 0, msg, len);
}

int
ctl_server_multicast_except(struct ctl_server *s, uint16_t family,
                            uint32_t group, uint32_t except_pid,
                            const void *msg, size_t len)
{
    int idx = group_index(s, group);
    uint64_t bit;
    int n = 0;

    if (idx < 0 || s->groups[idx].family->def.id != family) {
        return -EINVAL;
    }
    if (len < NLMSG_HDRLEN) {
        return -EINVAL;
    }
    if (len > CTL_MSG_MAX) {
        return -EMSGSIZE;
    }
    bit = UINT64_C(1) << idx;
    for (unsigned int i = 0; i < s->n_conns; i++) {
        struct conn *c = s->conns[i];

        if (!c->dead && (c->groups & bit) && c->pid != except_pid
            && notify_one(s, c, msg, len) == 0) {
            n++;
        }
    }
    if (!s->depth) {
        server_reap(s);
    }
    return n;
}

/* ---------------------------------------------------------------- misc */

void
ctl_server_get_stats(const struct ctl_server *s, struct ctl_server_stats *st)
{
    *st = s->stats;
    st->n_clients = s->n_conns;
}

const char *
ctl_server_path(const struct ctl_server *s)
{
    return s->path;
}
