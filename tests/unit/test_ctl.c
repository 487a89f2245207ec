/* ctl_server and ctl_client: the control socket, end to end.
 *
 * Each test gets a fresh server on a unique path under /tmp, running in a
 * thread with its own event_base, with the built-in families plus a test
 * family ("xsw_test") whose commands exercise replies, errors, dumps and
 * notifications.  Clients are the real ctl_client, or raw SEQPACKET sockets
 * where the bytes on the wire are the point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "ctl_client.h"
#include "ctl_server.h"

#define TEST_FAMILY     "xsw_test"
#define TEST_ID         (GENL_MIN_ID + 32)
#define TEST_MCGRP_ID   (GENL_MIN_ID + 40)
#define TEST_VERSION    3
#define TEST_MAXATTR    (__TEST_ATTR_MAX - 1)

enum {
    TEST_CMD_ECHO = 1,          /* doit: reply with the request's attributes */
    TEST_CMD_FAIL,              /* doit: -EPERM with a message */
    TEST_CMD_NOP,               /* doit: no reply */
    TEST_CMD_SEQ,               /* dumpit: COUNT messages, INDEX 0.. */
    TEST_CMD_NOTIFY,            /* doit: ctl_server_send/multicast */
    TEST_CMD_BIG,               /* dumpit: one SIZE-byte message */
    TEST_CMD_DUMP_FAIL,         /* dumpit: fails after FAIL_AT messages */
    TEST_CMD_SEQ_DONE,          /* dumpit + done: as SEQ, with heap state */
    TEST_CMD_DONE_COUNT,        /* doit: dumps started (COUNT), done (INDEX) */
    TEST_CMD_UNREGISTER,        /* doit: unregisters command U32 */
};

enum {
    TEST_ATTR_UNSPEC,
    TEST_ATTR_U32,
    TEST_ATTR_STR,
    TEST_ATTR_COUNT,
    TEST_ATTR_INDEX,
    TEST_ATTR_PID,
    TEST_ATTR_RESULT,
    TEST_ATTR_PAD,
    TEST_ATTR_FAIL_AT,
    TEST_ATTR_SIZE,
    TEST_ATTR_MCAST,
    __TEST_ATTR_MAX
};

#define RECV_TIMEOUT_MS 3000

struct fixture {
    char path[108];
    struct event_base *base;
    struct ctl_server *server;
    struct event *stop_ev;
    int stop_pipe[2];
    pthread_t thread;
    bool running;
    struct ctl_server_stats stats;      /* valid after fixture_stop() */
    /* SEQ_DONE dumps; the server thread's while it runs. */
    unsigned int n_dump_started;
    unsigned int n_dump_done;
};

static char test_dir[64];
static unsigned int path_counter;

/* ---------------------------------------------------------------- handlers */

static const struct nlattr *
get_attr(const struct ctl_server_request *req, uint16_t type)
{
    const struct nlattr *attr;

    mnl_attr_for_each_payload(req->attrs, req->attrs_len) {
        if (mnl_attr_get_type(attr) == type) {
            return attr;
        }
    }
    return NULL;
}

static uint32_t
get_u32(const struct ctl_server_request *req, uint16_t type, uint32_t dflt)
{
    const struct nlattr *a = get_attr(req, type);

    return a && mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) : dflt;
}

static int
handle_echo(void *ctx, const struct ctl_server_request *req,
            struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct nlmsghdr *nlh = ctl_server_reply_start(reply, req->cmd,
                                                  req->dp_ifindex);
    const struct nlattr *attr;

    if (!nlh) {
        return -EMSGSIZE;
    }
    mnl_attr_for_each_payload(req->attrs, req->attrs_len) {
        if (!mnl_attr_put_check(nlh, ctl_server_reply_room(reply, nlh),
                                mnl_attr_get_type(attr),
                                mnl_attr_get_payload_len(attr),
                                mnl_attr_get_payload(attr))) {
            return xsw_err_set(err, EMSGSIZE, "echo does not fit");
        }
    }
    return ctl_server_reply_end(reply, nlh);
}

static int
handle_fail(void *ctx, const struct ctl_server_request *req,
            struct ctl_server_reply *reply, struct xsw_err *err)
{
    return xsw_err_set(err, EPERM, "not allowed: test %u",
                       get_u32(req, TEST_ATTR_U32, 0));
}

static int
handle_nop(void *ctx, const struct ctl_server_request *req,
           struct ctl_server_reply *reply, struct xsw_err *err)
{
    return 0;
}

static int
handle_seq(void *ctx, const struct ctl_server_request *req,
           uint64_t cursor[4], struct ctl_server_reply *reply,
           struct xsw_err *err)
{
    uint32_t count = get_u32(req, TEST_ATTR_COUNT, 10000);

    if (count > 2000000) {
        count = 2000000;
    }
    for (; cursor[0] < count; cursor[0]++) {
        struct nlmsghdr *nlh = ctl_server_reply_start(reply, req->cmd, 0);
        uint8_t pad[24];
        size_t room;

        if (!nlh) {
            return 1;
        }
        memset(pad, (int) cursor[0], sizeof pad);
        room = ctl_server_reply_room(reply, nlh);
        if (!mnl_attr_put_u32_check(nlh, room, TEST_ATTR_INDEX, cursor[0])
            || !mnl_attr_put_check(nlh, room, TEST_ATTR_PAD,
                                   cursor[0] % sizeof pad, pad)) {
            ctl_server_reply_cancel(reply, nlh);
            return 1;
        }
        if (ctl_server_reply_end(reply, nlh) < 0) {
            return 1;
        }
    }
    return 0;
}

static int
handle_big(void *ctx, const struct ctl_server_request *req,
           uint64_t cursor[4], struct ctl_server_reply *reply,
           struct xsw_err *err)
{
    uint32_t size = get_u32(req, TEST_ATTR_SIZE, 20000);
    struct nlmsghdr *nlh;
    void *pad;
    int ret;

    for (; cursor[0] < 2; cursor[0]++) {
        nlh = ctl_server_reply_start(reply, req->cmd, 0);
        if (!nlh) {
            return 1;
        }
        pad = calloc(1, size);
        if (!pad) {
            return -ENOMEM;
        }
        ret = mnl_attr_put_check(nlh, ctl_server_reply_room(reply, nlh),
                                 TEST_ATTR_PAD, size, pad);
        free(pad);
        if (!ret) {
            ctl_server_reply_cancel(reply, nlh);
            return 1;
        }
        ctl_server_reply_end(reply, nlh);
    }
    return 0;
}

static int
handle_dump_fail(void *ctx, const struct ctl_server_request *req,
                 uint64_t cursor[4], struct ctl_server_reply *reply,
                 struct xsw_err *err)
{
    uint32_t fail_at = get_u32(req, TEST_ATTR_FAIL_AT, 0);

    for (;;) {
        struct nlmsghdr *nlh;

        if (cursor[0] == fail_at) {
            return xsw_err_set(err, ENODEV, "datapath went away after %u",
                               fail_at);
        }
        nlh = ctl_server_reply_start(reply, req->cmd, 0);
        if (!nlh) {
            return 1;
        }
        if (!mnl_attr_put_u32_check(nlh, ctl_server_reply_room(reply, nlh),
                                    TEST_ATTR_INDEX, cursor[0])) {
            return 1;
        }
        ctl_server_reply_end(reply, nlh);
        cursor[0]++;
    }
}

/* SEQ with state that only the done function frees: a done that is not
 * called leaks (ASan), one called twice frees twice. */
struct seq_done_cursor {
    uint32_t next;
};

static int
handle_seq_done(void *ctx, const struct ctl_server_request *req,
                uint64_t cursor[4], struct ctl_server_reply *reply,
                struct xsw_err *err)
{
    struct fixture *fx = ctx;
    struct seq_done_cursor *sc = (void *) (uintptr_t) cursor[0];
    uint32_t count = get_u32(req, TEST_ATTR_COUNT, 1000);
    uint32_t fail_at = get_u32(req, TEST_ATTR_FAIL_AT, UINT32_MAX);

    if (!sc) {
        sc = calloc(1, sizeof *sc);
        if (!sc) {
            return -ENOMEM;
        }
        cursor[0] = (uintptr_t) sc;
        fx->n_dump_started++;
    }
    for (; sc->next < count; sc->next++) {
        struct nlmsghdr *nlh;

        if (sc->next == fail_at) {
            return xsw_err_set(err, ENODEV, "failed at %u", fail_at);
        }
        nlh = ctl_server_reply_start(reply, req->cmd, 0);
        if (!nlh) {
            return 1;
        }
        if (!mnl_attr_put_u32_check(nlh, ctl_server_reply_room(reply, nlh),
                                    TEST_ATTR_INDEX, sc->next)) {
            ctl_server_reply_cancel(reply, nlh);
            return 1;
        }
        ctl_server_reply_end(reply, nlh);
    }
    return 0;
}

static void
handle_seq_done_done(void *ctx, const struct ctl_server_request *req,
                     uint64_t cursor[4])
{
    struct fixture *fx = ctx;

    assert_int_equal(req->cmd, TEST_CMD_SEQ_DONE);
    assert_true(cursor[0] != 0);
    free((void *) (uintptr_t) cursor[0]);
    cursor[0] = 0;
    fx->n_dump_done++;
}

static int
handle_done_count(void *ctx, const struct ctl_server_request *req,
                  struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct fixture *fx = ctx;
    struct nlmsghdr *nlh = ctl_server_reply_start(reply, req->cmd, 0);
    size_t room;

    if (!nlh) {
        return -EMSGSIZE;
    }
    room = ctl_server_reply_room(reply, nlh);
    if (!mnl_attr_put_u32_check(nlh, room, TEST_ATTR_COUNT,
                                fx->n_dump_started)
        || !mnl_attr_put_u32_check(nlh, room, TEST_ATTR_INDEX,
                                   fx->n_dump_done)) {
        return -EMSGSIZE;
    }
    return ctl_server_reply_end(reply, nlh);
}

/* Unregisters command U32 through the server the request names, and
 * answers the result (-EFAULT if the ctx given back is not the fixture). */
static int
handle_unregister(void *ctx, const struct ctl_server_request *req,
                  struct ctl_server_reply *reply, struct xsw_err *err)
{
    void *got = NULL;
    int result = ctl_server_unregister_cmd(req->server, TEST_ID,
                                           get_u32(req, TEST_ATTR_U32, 0),
                                           &got);
    struct nlmsghdr *nlh;

    if (result == 0 && got != ctx) {
        result = -EFAULT;
    }
    nlh = ctl_server_reply_start(reply, req->cmd, 0);
    if (!nlh
        || !mnl_attr_put_u32_check(nlh, ctl_server_reply_room(reply, nlh),
                                   TEST_ATTR_RESULT, (uint32_t) result)) {
        return -EMSGSIZE;
    }
    return ctl_server_reply_end(reply, nlh);
}

/* Sends a notification built from the request (to PID, or to the group
 * when MCAST is set) and answers with the send's result. */
static int
handle_notify(void *ctx, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct fixture *fx = ctx;
    uint32_t size = get_u32(req, TEST_ATTR_SIZE, 0);
    uint8_t *buf = calloc(1, CTL_MSG_MAX);
    struct nlmsghdr *nlh;
    struct genlmsghdr *genl;
    int result;

    if (!buf) {
        return -ENOMEM;
    }
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = TEST_ID;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = TEST_CMD_NOTIFY;
    genl->version = TEST_VERSION;
    mnl_nlmsg_put_extra_header(nlh, sizeof(struct ovs_header));
    mnl_attr_put_u32(nlh, TEST_ATTR_U32, get_u32(req, TEST_ATTR_U32, 0));
    if (size) {
        void *pad = calloc(1, size);

        if (!pad) {
            free(buf);
            return -ENOMEM;
        }
        mnl_attr_put(nlh, TEST_ATTR_PAD, size, pad);
        free(pad);
    }
    if (get_u32(req, TEST_ATTR_MCAST, 0)) {
        result = ctl_server_multicast(fx->server, TEST_ID, TEST_MCGRP_ID,
                                      nlh, nlh->nlmsg_len);
    } else {
        result = ctl_server_send(fx->server, get_u32(req, TEST_ATTR_PID, 0),
                                 nlh, nlh->nlmsg_len);
    }
    free(buf);

    nlh = ctl_server_reply_start(reply, req->cmd, 0);
    if (!nlh
        || !mnl_attr_put_u32_check(nlh, ctl_server_reply_room(reply, nlh),
                                   TEST_ATTR_RESULT, (uint32_t) result)) {
        return -EMSGSIZE;
    }
    return ctl_server_reply_end(reply, nlh);
}

/* XSW_CTL_CMD_EXEC: replies argv joined by spaces, status = argc. */
static int
handle_exec(void *ctx, const struct ctl_server_request *req,
            struct ctl_server_reply *reply, struct xsw_err *err)
{
    const char *argv[8];
    char text[256] = "";
    uint32_t format;
    int argc = ctl_server_exec_argv(req, argv, 8, &format, err);

    if (argc < 0) {
        return argc;
    }
    if (!strcmp(argv[0], "fail")) {
        return xsw_err_set(err, EINVAL, "unknown command \"%s\"", argv[0]);
    }
    for (int i = 0; i < argc; i++) {
        strncat(text, argv[i], sizeof text - strlen(text) - 2);
        if (i + 1 < argc) {
            strcat(text, " ");
        }
    }
    if (format == XSW_CTL_FORMAT_JSON) {
        return ctl_server_exec_reply(reply, argc, "{\"json\":true}");
    }
    return ctl_server_exec_reply(reply, argc, text);
}

/* ---------------------------------------------------------------- fixture */

static void
stop_cb(evutil_socket_t fd, short what, void *base)
{
    event_base_loopbreak(base);
}

static void *
server_thread(void *fx_)
{
    struct fixture *fx = fx_;

    event_base_dispatch(fx->base);
    return NULL;
}

static int
register_test_family(struct fixture *fx)
{
    static const struct ctl_server_mcgrp grp[] = {
        { TEST_FAMILY, TEST_MCGRP_ID },
    };
    const struct ctl_server_family def = {
        TEST_FAMILY, TEST_ID, TEST_VERSION, sizeof(struct ovs_header),
        TEST_MAXATTR, grp, 1,
    };
    struct xsw_err err;

    if (ctl_server_register_family(fx->server, &def, &err) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_ECHO,
                                   handle_echo, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_FAIL,
                                   handle_fail, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_NOP,
                                   handle_nop, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_SEQ,
                                   NULL, handle_seq, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_NOTIFY,
                                   handle_notify, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_BIG,
                                   NULL, handle_big, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_DUMP_FAIL,
                                   NULL, handle_dump_fail, fx) < 0
        || ctl_server_register_dump(fx->server, TEST_ID, TEST_CMD_SEQ_DONE,
                                    NULL, handle_seq_done,
                                    handle_seq_done_done, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_DONE_COUNT,
                                   handle_done_count, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, TEST_ID, TEST_CMD_UNREGISTER,
                                   handle_unregister, NULL, fx) < 0
        || ctl_server_register_cmd(fx->server, CTL_ID_XSW_CTL,
                                   XSW_CTL_CMD_EXEC, handle_exec, NULL,
                                   fx) < 0) {
        return -1;
    }
    return 0;
}

static void
next_path(char *path, size_t size)
{
    snprintf(path, size, "%s/s%u.sock", test_dir, path_counter++);
}

static int
fixture_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct xsw_err err;

    assert_non_null(fx);
    next_path(fx->path, sizeof fx->path);
    fx->base = event_base_new();
    assert_non_null(fx->base);
    if (ctl_server_create(fx->base, fx->path, 0660, &fx->server, &err) < 0) {
        fail_msg("ctl_server_create: %s", err.msg);
    }
    assert_int_equal(register_test_family(fx), 0);
    assert_int_equal(pipe(fx->stop_pipe), 0);
    fx->stop_ev = event_new(fx->base, fx->stop_pipe[0], EV_READ, stop_cb,
                            fx->base);
    assert_non_null(fx->stop_ev);
    assert_int_equal(event_add(fx->stop_ev, NULL), 0);
    assert_int_equal(pthread_create(&fx->thread, NULL, server_thread, fx), 0);
    fx->running = true;
    *state = fx;
    return 0;
}

static void
fixture_stop(struct fixture *fx)
{
    if (fx->running) {
        assert_int_equal(write(fx->stop_pipe[1], "x", 1), 1);
        pthread_join(fx->thread, NULL);
        fx->running = false;
        ctl_server_get_stats(fx->server, &fx->stats);
    }
}

static int
fixture_teardown(void **state)
{
    struct fixture *fx = *state;

    fixture_stop(fx);
    ctl_server_destroy(fx->server);
    event_free(fx->stop_ev);
    close(fx->stop_pipe[0]);
    close(fx->stop_pipe[1]);
    event_base_free(fx->base);
    free(fx);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct ctl_client *
connect_ok(const struct fixture *fx)
{
    struct ctl_client *c;
    struct xsw_err err;

    if (ctl_client_connect(fx->path, RECV_TIMEOUT_MS, &c, &err) < 0) {
        fail_msg("ctl_client_connect: %s", err.msg);
    }
    return c;
}

static int
raw_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = RECV_TIMEOUT_MS / 1000 };
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    int sndbuf = 1 << 20;

    assert_true(fd >= 0);
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    assert_int_equal(connect(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    return fd;
}

static void
raw_send(int fd, const void *buf, size_t len)
{
    assert_int_equal(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t) len);
}

/* One datagram; fails the test on timeout. */
static size_t
raw_recv(int fd, void *buf, size_t size)
{
    ssize_t n = recv(fd, buf, size, 0);

    if (n <= 0) {
        fail_msg("raw_recv: %zd (%s)", n, strerror(errno));
    }
    return n;
}

static struct nlmsghdr *
put_req(void *buf, uint16_t type, uint16_t flags, uint32_t seq, uint8_t cmd,
        int dp_ifindex)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct genlmsghdr *genl;
    struct ovs_header *ovs;

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
    nlh->nlmsg_seq = seq;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = cmd;
    genl->version = TEST_VERSION;
    ovs = mnl_nlmsg_put_extra_header(nlh, sizeof *ovs);
    ovs->dp_ifindex = dp_ifindex;
    return nlh;
}

static const struct nlmsgerr *
as_error(const struct nlmsghdr *nlh)
{
    assert_int_equal(nlh->nlmsg_type, NLMSG_ERROR);
    assert_true(nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr));
    return mnl_nlmsg_get_payload(nlh);
}

/* The NLMSGERR_ATTR_MSG of an NLMSG_ERROR sent capped, or NULL. */
static const char *
error_text(const struct nlmsghdr *nlh)
{
    const struct nlattr *attr;

    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
        return NULL;
    }
    mnl_attr_for_each(attr, nlh, sizeof(struct nlmsgerr)) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) {
            return mnl_attr_get_str(attr);
        }
    }
    return NULL;
}

static struct ctl_client_family
resolve_ok(struct ctl_client *c, const char *name)
{
    struct ctl_client_family f;
    struct xsw_err err;

    if (ctl_client_resolve(c, name, &f, &err) < 0) {
        fail_msg("resolve %s: %s", name, err.msg);
    }
    return f;
}

/* ---------------------------------------------------------------- families */

struct expect_family {
    const char *name;
    uint16_t id;
    uint32_t version;
    uint32_t hdrsize;
    uint32_t maxattr;
    const char *grp;            /* NULL: none */
    uint32_t grp_id;
};

static const struct expect_family expected[] = {
    { "nlctrl", GENL_ID_CTRL, 2, 0, CTRL_ATTR_MAX, "notify", GENL_ID_CTRL },
    { "ovs_datapath", CTL_ID_OVS_DATAPATH, OVS_DATAPATH_VERSION, 4,
      OVS_DP_ATTR_MAX, "ovs_datapath", CTL_MCGRP_ID_OVS_DATAPATH },
    { "ovs_vport", CTL_ID_OVS_VPORT, OVS_VPORT_VERSION, 4,
      OVS_VPORT_ATTR_MAX, "ovs_vport", CTL_MCGRP_ID_OVS_VPORT },
    { "ovs_flow", CTL_ID_OVS_FLOW, OVS_FLOW_VERSION, 4, OVS_FLOW_ATTR_MAX,
      "ovs_flow", CTL_MCGRP_ID_OVS_FLOW },
    { "ovs_packet", CTL_ID_OVS_PACKET, OVS_PACKET_VERSION, 4,
      OVS_PACKET_ATTR_MAX, NULL, 0 },
    { "xsw_ctl", CTL_ID_XSW_CTL, XSW_CTL_VERSION, 0, XSW_CTL_ATTR_MAX, NULL,
      0 },
    { TEST_FAMILY, TEST_ID, TEST_VERSION, 4, TEST_MAXATTR, TEST_FAMILY,
      TEST_MCGRP_ID },
};

static void
test_getfamily(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);

    assert_true(ctl_client_pid(c) != 0);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const struct expect_family *e = &expected[i];
        struct ctl_client_family f = resolve_ok(c, e->name);

        assert_string_equal(f.name, e->name);
        assert_int_equal(f.id, e->id);
        assert_int_equal(f.version, e->version);
        assert_int_equal(f.hdrsize, e->hdrsize);
        assert_int_equal(f.maxattr, e->maxattr);
        if (e->grp) {
            assert_int_equal(f.n_mcgrps, 1);
            assert_string_equal(f.mcgrps[0].name, e->grp);
            assert_int_equal(f.mcgrps[0].id, e->grp_id);
        } else {
            assert_int_equal(f.n_mcgrps, 0);
        }
    }
    ctl_client_close(c);
}

/* The reply, attribute by attribute, as the kernel's ctrl_fill_info lays it
 * out; and lookup by id; and the dump of every family. */
static void
test_getfamily_wire(void **state)
{
    struct fixture *fx = *state;
    static const uint16_t order[] = {
        CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_VERSION,
        CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_OPS,
        CTRL_ATTR_MCAST_GROUPS,
    };
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    int fd = raw_connect(fx->path);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    const struct genlmsghdr *genl;
    const struct nlattr *attr, *a;
    unsigned int n = 0, n_ops = 0, n_families = 0;
    bool done = false;
    size_t len;
    int left;

    nlh->nlmsg_type = GENL_ID_CTRL;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    nlh->nlmsg_seq = 77;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    ((struct genlmsghdr *) genl)->cmd = CTRL_CMD_GETFAMILY;
    mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, TEST_ID);
    raw_send(fd, nlh, nlh->nlmsg_len);

    len = raw_recv(fd, buf, sizeof buf);
    nlh = (struct nlmsghdr *) buf;
    assert_int_equal(len, nlh->nlmsg_len);
    assert_int_equal(nlh->nlmsg_type, GENL_ID_CTRL);
    assert_int_equal(nlh->nlmsg_seq, 77);
    assert_int_equal(nlh->nlmsg_flags, 0);
    assert_true(nlh->nlmsg_pid != 0);
    genl = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(genl->cmd, CTRL_CMD_NEWFAMILY);
    assert_int_equal(genl->version, 2);
    mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
        assert_true(n < sizeof order / sizeof order[0]);
        assert_int_equal(mnl_attr_get_type(attr), order[n]);
        n++;
        if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID) {
            assert_int_equal(mnl_attr_get_payload_len(attr), 2);
        }
        if (mnl_attr_get_type(attr) == CTRL_ATTR_OPS) {
            mnl_attr_for_each_nested(a, attr) {
                n_ops++;
                assert_int_equal(mnl_attr_get_type(a), n_ops);
            }
        }
    }
    assert_int_equal(n, 7);
    assert_int_equal(n_ops, 10);        /* the test family's commands */

    /* Dump: every family, NLM_F_MULTI, then NLMSG_DONE. */
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = GENL_ID_CTRL;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = 78;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    ((struct genlmsghdr *) genl)->cmd = CTRL_CMD_GETFAMILY;
    raw_send(fd, nlh, nlh->nlmsg_len);
    while (!done) {
        len = raw_recv(fd, buf, sizeof buf);
        assert_true(len <= CTL_SERVER_DUMP_SIZE);
        left = (int) len;
        for (nlh = (struct nlmsghdr *) buf; mnl_nlmsg_ok(nlh, left);
             nlh = mnl_nlmsg_next(nlh, &left)) {
            assert_int_equal(nlh->nlmsg_seq, 78);
            assert_true(nlh->nlmsg_flags & NLM_F_MULTI);
            if (nlh->nlmsg_type == NLMSG_DONE) {
                done = true;
            } else {
                assert_int_equal(nlh->nlmsg_type, GENL_ID_CTRL);
                n_families++;
            }
        }
        assert_int_equal(left, 0);
    }
    assert_int_equal(n_families, sizeof expected / sizeof expected[0]);
    close(fd);
}

static void
test_getfamily_unknown(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct xsw_err err;

    assert_int_equal(ctl_client_resolve(c, "ovs_meter", NULL, &err), -ENOENT);
    assert_string_equal(err.msg, "no family named \"ovs_meter\"");
    assert_int_equal(ctl_client_resolve(c, "a_name_much_too_long", NULL, &err),
                     -ENOENT);
    /* The connection is still in step. */
    assert_int_equal(resolve_ok(c, "ovs_flow").id, CTL_ID_OVS_FLOW);
    ctl_client_close(c);
}

/* ---------------------------------------------------------------- doit */

static void
test_doit_echo(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[512] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_ECHO, 7);
    struct nlmsghdr *reply;
    const struct genlmsghdr *genl;
    const struct ovs_header *ovs;
    const struct nlattr *attr;
    const void *attrs;
    struct xsw_err err;
    size_t len;
    int n = 0;

    mnl_attr_put_u32(req, TEST_ATTR_U32, 0xdeadbeef);
    mnl_attr_put_strz(req, TEST_ATTR_STR, "hello");
    assert_int_equal(ctl_client_transact_one(c, req, &reply, &err), 0);
    assert_non_null(reply);
    assert_int_equal(reply->nlmsg_type, TEST_ID);
    assert_int_equal(reply->nlmsg_seq, req->nlmsg_seq);
    assert_int_equal(reply->nlmsg_pid, ctl_client_pid(c));
    genl = mnl_nlmsg_get_payload(reply);
    assert_int_equal(genl->cmd, TEST_CMD_ECHO);
    assert_int_equal(genl->version, TEST_VERSION);
    attrs = ctl_client_msg_attrs(reply, sizeof *ovs, (const void **) &ovs,
                                 &len);
    assert_non_null(attrs);
    assert_int_equal(ovs->dp_ifindex, 7);
    mnl_attr_for_each_payload(attrs, len) {
        if (n == 0) {
            assert_int_equal(mnl_attr_get_type(attr), TEST_ATTR_U32);
            assert_int_equal(mnl_attr_get_u32(attr), 0xdeadbeef);
        } else {
            assert_int_equal(mnl_attr_get_type(attr), TEST_ATTR_STR);
            assert_string_equal(mnl_attr_get_str(attr), "hello");
        }
        n++;
    }
    assert_int_equal(n, 2);
    free(reply);
    ctl_client_close(c);
}

static void
test_doit_error(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[512] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_FAIL, 0);
    const struct nlmsgerr *e;
    struct xsw_err err;
    int fd;

    mnl_attr_put_u32(req, TEST_ATTR_U32, 42);
    assert_int_equal(ctl_client_transact(c, req, NULL, NULL, &err), -EPERM);
    assert_string_equal(err.msg, "not allowed: test 42");

    /* On the wire: error, request header echoed, capped, message TLV. */
    fd = raw_connect(fx->path);
    req = put_req(buf, TEST_ID, NLM_F_REQUEST, 1234, TEST_CMD_FAIL, 0);
    mnl_attr_put_u32(req, TEST_ATTR_U32, 5);
    raw_send(fd, req, req->nlmsg_len);
    raw_recv(fd, buf, sizeof buf);
    e = as_error((struct nlmsghdr *) buf);
    assert_int_equal(e->error, -EPERM);
    assert_int_equal(((struct nlmsghdr *) buf)->nlmsg_seq, 1234);
    assert_int_equal(((struct nlmsghdr *) buf)->nlmsg_flags,
                     NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert_int_equal(e->msg.nlmsg_type, TEST_ID);
    assert_int_equal(e->msg.nlmsg_seq, 1234);
    assert_int_equal(e->msg.nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN + 4 + 8);
    assert_string_equal(error_text((struct nlmsghdr *) buf),
                        "not allowed: test 5");
    close(fd);
    ctl_client_close(c);
}

static void
test_ack(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[1024] __attribute__((aligned(4)));
    struct nlmsghdr *nlh;
    int fd = raw_connect(fx->path);

    /* No ACK asked: only the reply. */
    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST, 1, TEST_CMD_ECHO, 0);
    raw_send(fd, nlh, nlh->nlmsg_len);
    /* ACK asked, no reply from the handler: only the ACK. */
    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_ACK, 2, TEST_CMD_NOP, 0);
    raw_send(fd, nlh, nlh->nlmsg_len);
    /* ACK asked, with a reply: the reply, then the ACK. */
    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_ACK, 3, TEST_CMD_ECHO, 0);
    raw_send(fd, nlh, nlh->nlmsg_len);

    raw_recv(fd, buf, sizeof buf);
    nlh = (struct nlmsghdr *) buf;
    assert_int_equal(nlh->nlmsg_type, TEST_ID);
    assert_int_equal(nlh->nlmsg_seq, 1);

    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(as_error(nlh)->error, 0);
    assert_int_equal(nlh->nlmsg_seq, 2);
    assert_int_equal(nlh->nlmsg_flags, NLM_F_CAPPED);
    assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + sizeof(struct nlmsgerr));

    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(nlh->nlmsg_type, TEST_ID);
    assert_int_equal(nlh->nlmsg_seq, 3);
    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(as_error(nlh)->error, 0);
    assert_int_equal(nlh->nlmsg_seq, 3);
    close(fd);
}

/* Three requests in one datagram are answered in order; a broken message
 * after a good one still lets the good one through. */
static void
test_multi_message_datagram(void **state)
{
    struct fixture *fx = *state;
    uint8_t out[1024] __attribute__((aligned(4)));
    uint8_t in[1024] __attribute__((aligned(4)));
    struct nlmsghdr *nlh;
    size_t off = 0;
    int fd = raw_connect(fx->path);

    for (uint32_t seq = 1; seq <= 3; seq++) {
        nlh = put_req(out + off, TEST_ID, NLM_F_REQUEST, seq, TEST_CMD_ECHO, 0);
        mnl_attr_put_u32(nlh, TEST_ATTR_U32, seq * 10);
        off += nlh->nlmsg_len;
    }
    raw_send(fd, out, off);
    for (uint32_t seq = 1; seq <= 3; seq++) {
        raw_recv(fd, in, sizeof in);
        nlh = (struct nlmsghdr *) in;
        assert_int_equal(nlh->nlmsg_type, TEST_ID);
        assert_int_equal(nlh->nlmsg_seq, seq);
        assert_int_equal(mnl_attr_get_u32(mnl_nlmsg_get_payload_offset(nlh,
                                          GENL_HDRLEN + 4)), seq * 10);
    }

    nlh = put_req(out, TEST_ID, NLM_F_REQUEST, 9, TEST_CMD_ECHO, 0);
    off = nlh->nlmsg_len;
    nlh = (struct nlmsghdr *) (out + off);
    memset(nlh, 0, NLMSG_HDRLEN);
    nlh->nlmsg_len = 500;               /* beyond the datagram */
    nlh->nlmsg_seq = 10;
    raw_send(fd, out, off + NLMSG_HDRLEN);
    raw_recv(fd, in, sizeof in);
    assert_int_equal(((struct nlmsghdr *) in)->nlmsg_seq, 9);
    raw_recv(fd, in, sizeof in);
    nlh = (struct nlmsghdr *) in;
    assert_int_equal(as_error(nlh)->error, -EINVAL);
    assert_int_equal(nlh->nlmsg_seq, 10);
    close(fd);
}

/* ---------------------------------------------------------------- dumps */

struct seq_state {
    uint32_t next;
    int stop_at;                /* return an error at this index, or -1 */
};

static int
seq_cb(const struct nlmsghdr *nlh, void *data)
{
    struct seq_state *st = data;
    const struct nlattr *attr;
    bool found = false;

    assert_int_equal(nlh->nlmsg_type, TEST_ID);
    assert_true(nlh->nlmsg_flags & NLM_F_MULTI);
    mnl_attr_for_each(attr, nlh, GENL_HDRLEN + sizeof(struct ovs_header)) {
        if (mnl_attr_get_type(attr) == TEST_ATTR_INDEX) {
            assert_int_equal(mnl_attr_get_u32(attr), st->next);
            found = true;
        }
    }
    assert_true(found);
    if ((int) st->next == st->stop_at) {
        return -ECANCELED;
    }
    st->next++;
    return 0;
}

static void
test_dump_10000(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[512] __attribute__((aligned(4)));
    struct seq_state st = { .next = 0, .stop_at = -1 };
    struct nlmsghdr *req;
    struct xsw_err err;

    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ, 0);
    mnl_attr_put_u32(req, TEST_ATTR_COUNT, 10000);
    assert_int_equal(ctl_client_dump(c, req, seq_cb, &st, &err), 0);
    assert_int_equal(st.next, 10000);

    /* A callback that stops early gets its error; the rest is drained so
     * the next request works. */
    st.next = 0;
    st.stop_at = 123;
    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ, 0);
    assert_int_equal(ctl_client_dump(c, req, seq_cb, &st, &err), -ECANCELED);
    assert_int_equal(resolve_ok(c, "ovs_vport").id, CTL_ID_OVS_VPORT);
    req = ctl_client_msg_start(buf, &f, TEST_CMD_ECHO, 0);
    assert_int_equal(ctl_client_transact(c, req, NULL, NULL, &err), 0);
    ctl_client_close(c);
}

/* Datagram by datagram: bounded size, NLM_F_MULTI, NLMSG_DONE at the end. */
static void
test_dump_wire(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    struct nlmsghdr *nlh;
    unsigned int n = 0, datagrams = 0;
    bool done = false;
    int fd = raw_connect(fx->path);

    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 5,
                  TEST_CMD_SEQ, 0);
    mnl_attr_put_u32(nlh, TEST_ATTR_COUNT, 1000);
    raw_send(fd, nlh, nlh->nlmsg_len);
    while (!done) {
        size_t len = raw_recv(fd, buf, sizeof buf);
        int left = (int) len;

        assert_true(len <= CTL_SERVER_DUMP_SIZE);
        datagrams++;
        for (nlh = (struct nlmsghdr *) buf; mnl_nlmsg_ok(nlh, left);
             nlh = mnl_nlmsg_next(nlh, &left)) {
            assert_false(done);
            assert_int_equal(nlh->nlmsg_seq, 5);
            assert_true(nlh->nlmsg_flags & NLM_F_MULTI);
            if (nlh->nlmsg_type == NLMSG_DONE) {
                int error;

                assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + 4);
                memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof error);
                assert_int_equal(error, 0);
                done = true;
            } else {
                n++;
            }
        }
        assert_int_equal(left, 0);
    }
    assert_int_equal(n, 1000);
    assert_true(datagrams > 1);

    /* No ACK after a dump: the next datagram answers the next request. */
    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST, 6, TEST_CMD_ECHO, 0);
    raw_send(fd, nlh, nlh->nlmsg_len);
    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(((struct nlmsghdr *) buf)->nlmsg_seq, 6);
    assert_int_equal(((struct nlmsghdr *) buf)->nlmsg_type, TEST_ID);
    close(fd);
}

static int
count_cb(const struct nlmsghdr *nlh, void *data)
{
    (*(unsigned int *) data)++;
    return 0;
}

static void
test_dump_errors_and_big(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[512] __attribute__((aligned(4)));
    struct nlmsghdr *req;
    struct xsw_err err;
    unsigned int n = 0;

    /* Fails before the first message: NLMSG_ERROR. */
    req = ctl_client_msg_start(buf, &f, TEST_CMD_DUMP_FAIL, 0);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -ENODEV);
    assert_string_equal(err.msg, "datapath went away after 0");
    assert_int_equal(n, 0);

    /* Fails after 700 messages (several datagrams): NLMSG_DONE with it. */
    req = ctl_client_msg_start(buf, &f, TEST_CMD_DUMP_FAIL, 0);
    mnl_attr_put_u32(req, TEST_ATTR_FAIL_AT, 700);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -ENODEV);
    assert_string_equal(err.msg, "datapath went away after 700");
    assert_int_equal(n, 700);

    /* Messages bigger than a dump datagram get one of their own. */
    n = 0;
    req = ctl_client_msg_start(buf, &f, TEST_CMD_BIG, 0);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), 0);
    assert_int_equal(n, 2);

    /* ... up to CTL_MSG_MAX; beyond, the dump fails with a reason. */
    n = 0;
    req = ctl_client_msg_start(buf, &f, TEST_CMD_BIG, 0);
    mnl_attr_put_u32(req, TEST_ATTR_SIZE, CTL_MSG_MAX);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -EMSGSIZE);
    assert_non_null(strstr(err.msg, "larger than"));

    /* A doit-only command asked to dump, and the reverse. */
    req = ctl_client_msg_start(buf, &f, TEST_CMD_ECHO, 0);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -EOPNOTSUPP);
    assert_non_null(strstr(err.msg, "cannot dump"));
    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ, 0);
    assert_int_equal(ctl_client_transact(c, req, NULL, NULL, &err),
                     -EOPNOTSUPP);
    ctl_client_close(c);
}

static void
test_dump_disconnect(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    struct ctl_client *c;
    struct nlmsghdr *nlh;
    struct xsw_err err;
    unsigned int n = 0;
    int fd;

    for (int round = 0; round < 3; round++) {
        fd = raw_connect(fx->path);
        nlh = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_DUMP, 1,
                      TEST_CMD_SEQ, 0);
        mnl_attr_put_u32(nlh, TEST_ATTR_COUNT, 1000000);
        raw_send(fd, nlh, nlh->nlmsg_len);
        if (round) {
            raw_recv(fd, buf, sizeof buf);      /* it has started */
        }
        close(fd);
    }

    c = connect_ok(fx);
    {
        struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
        struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ, 0);

        mnl_attr_put_u32(req, TEST_ATTR_COUNT, 500);
        assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), 0);
        assert_int_equal(n, 500);
    }
    ctl_client_close(c);

    fixture_stop(fx);
    assert_int_equal(fx->stats.n_dumps_aborted, 3);
    assert_int_equal(fx->stats.n_clients, 0);
}

/* Dumps started and done, as the server thread counts them. */
static void
done_counts(struct ctl_client *c, unsigned int *started, unsigned int *done)
{
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[128] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_DONE_COUNT,
                                                0);
    struct nlmsghdr *reply = NULL;
    const struct nlattr *attr;
    struct xsw_err err;

    if (ctl_client_transact_one(c, req, &reply, &err) < 0 || !reply) {
        fail_msg("DONE_COUNT: %s", err.msg);
    }
    mnl_attr_for_each(attr, reply, GENL_HDRLEN + sizeof(struct ovs_header)) {
        if (mnl_attr_get_type(attr) == TEST_ATTR_COUNT) {
            *started = mnl_attr_get_u32(attr);
        } else if (mnl_attr_get_type(attr) == TEST_ATTR_INDEX) {
            *done = mnl_attr_get_u32(attr);
        }
    }
    free(reply);
}

/* A dump with a done function: done exactly once however the dump ends. */
static void
test_dump_done(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    unsigned int n = 0, started = 0, done = 0;
    struct nlmsghdr *req;
    struct xsw_err err;
    int fd, fd_kept;

    /* Complete. */
    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ_DONE, 0);
    mnl_attr_put_u32(req, TEST_ATTR_COUNT, 2000);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), 0);
    assert_int_equal(n, 2000);
    done_counts(c, &started, &done);
    assert_int_equal(started, 1);
    assert_int_equal(done, 1);

    /* Failed after some datagrams, and before the first message. */
    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ_DONE, 0);
    mnl_attr_put_u32(req, TEST_ATTR_FAIL_AT, 700);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -ENODEV);
    req = ctl_client_msg_start(buf, &f, TEST_CMD_SEQ_DONE, 0);
    mnl_attr_put_u32(req, TEST_ATTR_FAIL_AT, 0);
    assert_int_equal(ctl_client_dump(c, req, count_cb, &n, &err), -ENODEV);
    assert_string_equal(err.msg, "failed at 0");
    done_counts(c, &started, &done);
    assert_int_equal(started, 3);
    assert_int_equal(done, 3);

    /* The client goes away mid-dump: done when the server reaps it. */
    fd = raw_connect(fx->path);
    req = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_DUMP, 1,
                  TEST_CMD_SEQ_DONE, 0);
    mnl_attr_put_u32(req, TEST_ATTR_COUNT, 1000000);
    raw_send(fd, req, req->nlmsg_len);
    raw_recv(fd, buf, sizeof buf);
    close(fd);
    for (int i = 0; i < 300 && done < 4; i++) {
        usleep(10000);
        done_counts(c, &started, &done);
    }
    assert_int_equal(started, 4);
    assert_int_equal(done, 4);

    /* A dump in progress unregisters nothing. */
    fd_kept = raw_connect(fx->path);
    req = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_DUMP, 1,
                  TEST_CMD_SEQ_DONE, 0);
    mnl_attr_put_u32(req, TEST_ATTR_COUNT, 1000000);
    raw_send(fd_kept, req, req->nlmsg_len);
    raw_recv(fd_kept, buf, sizeof buf);
    req = ctl_client_msg_start(buf, &f, TEST_CMD_UNREGISTER, 0);
    mnl_attr_put_u32(req, TEST_ATTR_U32, TEST_CMD_SEQ_DONE);
    {
        struct nlmsghdr *reply = NULL;
        const struct nlattr *a;

        assert_int_equal(ctl_client_transact_one(c, req, &reply, &err), 0);
        a = mnl_nlmsg_get_payload_offset(reply, GENL_HDRLEN
                                         + sizeof(struct ovs_header));
        assert_int_equal(mnl_attr_get_type(a), TEST_ATTR_RESULT);
        assert_int_equal((int) mnl_attr_get_u32(a), -EBUSY);
        free(reply);
    }
    ctl_client_close(c);

    /* The server is destroyed with that dump in progress. */
    fixture_stop(fx);
    assert_int_equal(fx->n_dump_started, 5);
    assert_int_equal(fx->n_dump_done, 4);
    ctl_server_destroy(fx->server);
    fx->server = NULL;
    assert_int_equal(fx->n_dump_done, 5);
    close(fd_kept);
}

static uint32_t
unregister(struct ctl_client *c, uint8_t cmd)
{
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[128] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_UNREGISTER,
                                                0);
    struct nlmsghdr *reply = NULL;
    const struct nlattr *a;
    struct xsw_err err;
    uint32_t result;

    mnl_attr_put_u32(req, TEST_ATTR_U32, cmd);
    assert_int_equal(ctl_client_transact_one(c, req, &reply, &err), 0);
    a = mnl_nlmsg_get_payload_offset(reply, GENL_HDRLEN
                                     + sizeof(struct ovs_header));
    assert_int_equal(mnl_attr_get_type(a), TEST_ATTR_RESULT);
    result = mnl_attr_get_u32(a);
    free(reply);
    return result;
}

static void
test_unregister(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[128] __attribute__((aligned(4)));
    struct nlmsghdr *req;
    struct xsw_err err;

    req = ctl_client_msg_start(buf, &f, TEST_CMD_NOP, 0);
    assert_int_equal(ctl_client_transact(c, req, NULL, NULL, &err), 0);
    assert_int_equal(unregister(c, TEST_CMD_NOP), 0);
    req = ctl_client_msg_start(buf, &f, TEST_CMD_NOP, 0);
    assert_int_equal(ctl_client_transact(c, req, NULL, NULL, &err),
                     -EOPNOTSUPP);
    assert_int_equal((int) unregister(c, TEST_CMD_NOP), -ENOENT);
    assert_int_equal((int) unregister(c, 200), -ENOENT);
    ctl_client_close(c);
}

/* ---------------------------------------------------------------- garbage */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t) (rng_state >> 11);
}

/* Sends a good request with sentinel seq and reads up to its answer;
 * returns how many NLMSG_ERROR (error < 0) came before it. */
static unsigned int
errors_before_sentinel(int fd, uint32_t sentinel, uint8_t *buf, size_t size)
{
    uint8_t req[64] __attribute__((aligned(4)));
    struct nlmsghdr *nlh = put_req(req, TEST_ID, NLM_F_REQUEST, sentinel,
                                   TEST_CMD_ECHO, 0);
    unsigned int n_errors = 0;

    raw_send(fd, nlh, nlh->nlmsg_len);
    for (;;) {
        size_t len = raw_recv(fd, buf, size);
        int left = (int) len;

        for (nlh = (struct nlmsghdr *) buf; mnl_nlmsg_ok(nlh, left);
             nlh = mnl_nlmsg_next(nlh, &left)) {
            if (nlh->nlmsg_seq == sentinel && nlh->nlmsg_type == TEST_ID) {
                return n_errors;
            }
            if (nlh->nlmsg_type == NLMSG_ERROR && as_error(nlh)->error < 0) {
                n_errors++;
            }
        }
    }
}

/* One bad datagram; checks the single error it must get. */
static void
expect_error(int fd, const void *data, size_t len, int error,
             const char *text_part)
{
    uint8_t buf[4096] __attribute__((aligned(4)));
    const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;
    const char *text;

    raw_send(fd, data, len);
    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(as_error(nlh)->error, error);
    text = error_text(nlh);
    assert_non_null(text);
    if (!strstr(text, text_part)) {
        fail_msg("error text \"%s\" lacks \"%s\"", text, text_part);
    }
}

static void
test_malformed(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[256] __attribute__((aligned(4)));
    struct nlmsghdr *nlh = (struct nlmsghdr *) buf;
    int fd = raw_connect(fx->path);
    uint8_t *big;

    expect_error(fd, buf, 0, -EINVAL, "empty datagram");
    memset(buf, 0xff, sizeof buf);
    expect_error(fd, buf, 7, -EINVAL, "truncated netlink header");

    memset(buf, 0, sizeof buf);
    nlh->nlmsg_len = 8;
    expect_error(fd, buf, 16, -EINVAL, "shorter than the netlink header");
    nlh->nlmsg_len = 4000;
    expect_error(fd, buf, 40, -EINVAL, "exceeds the 40 bytes");

    put_req(buf, TEST_ID, 0, 1, TEST_CMD_ECHO, 0);
    expect_error(fd, buf, nlh->nlmsg_len, -EINVAL, "NLM_F_REQUEST");
    put_req(buf, NLMSG_NOOP, NLM_F_REQUEST, 1, 0, 0);
    expect_error(fd, buf, nlh->nlmsg_len, -EINVAL, "control message");
    put_req(buf, 999, NLM_F_REQUEST, 1, 1, 0);
    expect_error(fd, buf, nlh->nlmsg_len, -ENOENT, "unknown family id 999");

    mnl_nlmsg_put_header(buf)->nlmsg_type = TEST_ID;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    nlh->nlmsg_len = NLMSG_HDRLEN + 2;
    expect_error(fd, buf, nlh->nlmsg_len, -EINVAL, "truncated genetlink");
    nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + 2;
    expect_error(fd, buf, nlh->nlmsg_len, -EINVAL, "missing ovs_header");

    put_req(buf, TEST_ID, NLM_F_REQUEST, 1, 200, 0);
    expect_error(fd, buf, nlh->nlmsg_len, -EOPNOTSUPP, "unknown command 200");
    put_req(buf, CTL_ID_OVS_FLOW, NLM_F_REQUEST, 1, OVS_FLOW_CMD_GET, 0);
    expect_error(fd, buf, nlh->nlmsg_len, -EOPNOTSUPP, "ovs_flow");

    put_req(buf, TEST_ID, NLM_F_REQUEST, 1, TEST_CMD_ECHO, 0);
    mnl_attr_put_u32(nlh, TEST_ATTR_U32, 1);
    ((struct nlattr *) mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN + 4))
        ->nla_len = 200;
    expect_error(fd, buf, nlh->nlmsg_len, -EINVAL, "malformed attribute");

    big = calloc(1, 100000);
    assert_non_null(big);
    put_req(big, TEST_ID, NLM_F_REQUEST, 1, TEST_CMD_ECHO, 0);
    expect_error(fd, big, 100000, -EMSGSIZE, "exceeds the maximum");
    free(big);

    /* Still answering. */
    nlh = put_req(buf, TEST_ID, NLM_F_REQUEST | NLM_F_ACK, 3, TEST_CMD_NOP, 0);
    raw_send(fd, nlh, nlh->nlmsg_len);
    raw_recv(fd, buf, sizeof buf);
    assert_int_equal(as_error((struct nlmsghdr *) buf)->error, 0);
    close(fd);
}

static void
test_garbage(void **state)
{
    struct fixture *fx = *state;
    uint8_t *in = malloc(CTL_MSG_MAX);
    uint8_t out[512] __attribute__((aligned(4)));
    struct ctl_client *c;
    struct xsw_err err;
    int fd = raw_connect(fx->path);

    assert_non_null(in);
    for (uint32_t i = 0; i < 3000; i++) {
        size_t len = rng() % 300;
        struct nlmsghdr *nlh = (struct nlmsghdr *) out;

        for (size_t j = 0; j < len; j++) {
            out[j] = (uint8_t) rng();
        }
        if (len >= NLMSG_HDRLEN && i % 3 == 1) {
            /* A plausible header over random content. */
            nlh->nlmsg_len = len - rng() % 8;
            nlh->nlmsg_flags |= NLM_F_REQUEST;
            nlh->nlmsg_flags &= ~NLM_F_DUMP;
            nlh->nlmsg_type = rng() % 2 ? TEST_ID : CTL_ID_OVS_FLOW + rng() % 8;
            /* Random but never one of the test family's commands, which
             * could succeed silently. */
            if (len > NLMSG_HDRLEN && nlh->nlmsg_type == TEST_ID
                && out[NLMSG_HDRLEN] <= TEST_CMD_DUMP_FAIL) {
                out[NLMSG_HDRLEN] += 100;
            }
        } else if (len >= 2 * NLMSG_HDRLEN && i % 3 == 2) {
            /* Two messages, the second one broken. */
            nlh->nlmsg_len = NLMSG_HDRLEN;
            nlh->nlmsg_flags = NLM_F_REQUEST;
            nlh->nlmsg_type = TEST_ID;
        }
        raw_send(fd, out, len);
        if (errors_before_sentinel(fd, 0x80000000u | i, in, CTL_MSG_MAX) < 1) {
            fail_msg("garbage datagram %u (%zu bytes) was not answered "
                     "with an error", i, len);
        }
    }
    close(fd);
    free(in);

    c = connect_ok(fx);
    assert_int_equal(resolve_ok(c, "ovs_datapath").id, CTL_ID_OVS_DATAPATH);
    (void) err;
    ctl_client_close(c);

    fixture_stop(fx);
    assert_true(fx->stats.n_malformed >= 3000);
}

/* ---------------------------------------------------------------- fairness */

/* A client that floods requests and never reads stops being read, but the
 * server keeps answering everyone else promptly. */
static void
test_flooder_does_not_starve(void **state)
{
    struct fixture *fx = *state;
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    struct ctl_client *c;
    struct nlmsghdr *nlh;
    struct xsw_err err;
    size_t off = 0;
    int fd = raw_connect(fx->path);
    int sent = 0;

    /* Big datagrams of small ECHOs: lots of replies per datagram. */
    while (off + 64 < 16384) {
        nlh = put_req(buf + off, TEST_ID, NLM_F_REQUEST | NLM_F_ACK, 1,
                      TEST_CMD_ECHO, 0);
        mnl_attr_put_u32(nlh, TEST_ATTR_U32, 1);
        off += nlh->nlmsg_len;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    for (int i = 0; i < 2000; i++) {
        if (send(fd, buf, off, MSG_NOSIGNAL) < 0) {
            assert_int_equal(errno, EAGAIN);
            break;
        }
        sent++;
    }
    assert_true(sent > 0);

    c = connect_ok(fx);
    for (int i = 0; i < 50; i++) {
        struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);

        nlh = ctl_client_msg_start(buf, &f, TEST_CMD_ECHO, 0);
        assert_int_equal(ctl_client_transact(c, nlh, NULL, NULL, &err), 0);
    }
    ctl_client_close(c);
    close(fd);

    c = connect_ok(fx);
    ctl_client_close(c);
}

static void
test_max_clients(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c[CTL_SERVER_MAX_CLIENTS + 1];
    struct ctl_client *extra;
    struct xsw_err err;

    for (int i = 0; i < CTL_SERVER_MAX_CLIENTS; i++) {
        c[i] = connect_ok(fx);
    }
    assert_int_equal(ctl_client_connect(fx->path, RECV_TIMEOUT_MS, &extra,
                                        &err), -EMFILE);
    assert_non_null(strstr(err.msg, "too many control connections"));
    ctl_client_close(c[0]);
    /* The server sees the close on its next turn; give it a few tries. */
    for (int i = 0; i < 100; i++) {
        if (ctl_client_connect(fx->path, RECV_TIMEOUT_MS, &c[0], &err) == 0) {
            break;
        }
        c[0] = NULL;
        usleep(10000);
    }
    assert_non_null(c[0]);
    for (int i = 0; i < CTL_SERVER_MAX_CLIENTS; i++) {
        ctl_client_close(c[i]);
    }
}

/* ---------------------------------------------------------------- notify */

static int
notify_transact(struct ctl_client *c, uint32_t pid, bool mcast, uint32_t val,
                uint32_t size)
{
    struct ctl_client_family f = resolve_ok(c, TEST_FAMILY);
    uint8_t buf[256] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &f, TEST_CMD_NOTIFY, 0);
    struct nlmsghdr *reply;
    const struct nlattr *attr;
    struct xsw_err err;
    int result = INT32_MIN;

    mnl_attr_put_u32(req, TEST_ATTR_PID, pid);
    mnl_attr_put_u32(req, TEST_ATTR_U32, val);
    mnl_attr_put_u32(req, TEST_ATTR_MCAST, mcast);
    mnl_attr_put_u32(req, TEST_ATTR_SIZE, size);
    if (ctl_client_transact_one(c, req, &reply, &err) < 0) {
        fail_msg("notify: %s", err.msg);
    }
    assert_non_null(reply);
    mnl_attr_for_each(attr, reply, GENL_HDRLEN + 4) {
        if (mnl_attr_get_type(attr) == TEST_ATTR_RESULT) {
            result = (int32_t) mnl_attr_get_u32(attr);
        }
    }
    free(reply);
    return result;
}

static int
notify_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct nlattr *attr;

    assert_int_equal(nlh->nlmsg_type, TEST_ID);
    mnl_attr_for_each(attr, nlh, GENL_HDRLEN + 4) {
        if (mnl_attr_get_type(attr) == TEST_ATTR_U32) {
            *(uint32_t *) data = mnl_attr_get_u32(attr);
        }
    }
    return 0;
}

static void
test_notify(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *sub = connect_ok(fx);
    struct ctl_client *pub = connect_ok(fx);
    struct xsw_err err;
    uint32_t got = 0;

    assert_true(ctl_client_pid(sub) != ctl_client_pid(pub));

    /* Unicast to a pid. */
    assert_int_equal(notify_transact(pub, ctl_client_pid(sub), false, 11, 0),
                     0);
    assert_int_equal(ctl_client_recv(sub, RECV_TIMEOUT_MS, notify_cb, &got,
                                     &err), 1);
    assert_int_equal(got, 11);
    assert_int_equal(ctl_client_recv(sub, 0, notify_cb, &got, &err),
                     -ETIMEDOUT);
    assert_int_equal(notify_transact(pub, 999999, false, 12, 0),
                     -ECONNREFUSED);

    /* Multicast to the joined. */
    assert_int_equal(notify_transact(pub, 0, true, 13, 0), 0);
    assert_int_equal(ctl_client_join(sub, TEST_FAMILY, TEST_FAMILY, &err), 0);
    assert_int_equal(notify_transact(pub, 0, true, 14, 0), 1);
    assert_int_equal(ctl_client_recv(sub, RECV_TIMEOUT_MS, notify_cb, &got,
                                     &err), 1);
    assert_int_equal(got, 14);

    /* A notification that arrives while the subscriber transacts is kept
     * for ctl_client_recv(). */
    assert_int_equal(notify_transact(pub, ctl_client_pid(sub), false, 15, 0),
                     0);
    assert_int_equal(resolve_ok(sub, "ovs_packet").id, CTL_ID_OVS_PACKET);
    assert_int_equal(ctl_client_recv(sub, 0, notify_cb, &got, &err), 1);
    assert_int_equal(got, 15);

    assert_int_equal(ctl_client_leave(sub, TEST_FAMILY, TEST_FAMILY, &err), 0);
    assert_int_equal(notify_transact(pub, 0, true, 16, 0), 0);
    assert_int_equal(ctl_client_join(sub, TEST_FAMILY, "nope", &err), -ENOENT);

    /* Unknown group id on the wire: -EINVAL, as the kernel's setsockopt. */
    {
        struct ctl_client_family x = resolve_ok(sub, XSW_CTL_FAMILY);
        uint8_t buf[128] __attribute__((aligned(4)));
        struct nlmsghdr *req = ctl_client_msg_start(buf, &x,
                                                    XSW_CTL_CMD_JOIN_GROUP, 0);

        mnl_attr_put_u32(req, XSW_CTL_ATTR_GROUP, 12345);
        assert_int_equal(ctl_client_transact(sub, req, NULL, NULL, &err),
                         -EINVAL);
    }

    /* A subscriber that does not read: the server drops, never blocks. */
    {
        int result = 0;
        int i;

        for (i = 0; i < 1000 && result == 0; i++) {
            result = notify_transact(pub, ctl_client_pid(sub), false, 100 + i,
                                     8000);
        }
        assert_int_equal(result, -EAGAIN);
        assert_true(i > 1);
    }
    ctl_client_close(sub);
    ctl_client_close(pub);
    fixture_stop(fx);
    assert_true(fx->stats.n_notify_dropped >= 1);
    assert_true(fx->stats.n_notify_sent >= 4);
}

/* ---------------------------------------------------------------- xsw_ctl */

static void
test_exec(void **state)
{
    struct fixture *fx = *state;
    struct ctl_client *c = connect_ok(fx);
    const char *argv[] = { "fdb/show", "br0", "", "two words" };
    struct xsw_err err;
    uint32_t status = 99;
    char *reply;

    assert_int_equal(ctl_client_exec(c, 4, argv, XSW_CTL_FORMAT_TEXT, &reply,
                                     &status, &err), 0);
    assert_string_equal(reply, "fdb/show br0  two words");
    assert_int_equal(status, 4);
    free(reply);

    assert_int_equal(ctl_client_exec(c, 1, argv, XSW_CTL_FORMAT_JSON, &reply,
                                     &status, &err), 0);
    assert_string_equal(reply, "{\"json\":true}");
    assert_int_equal(status, 1);
    free(reply);

    argv[0] = "fail";
    assert_int_equal(ctl_client_exec(c, 1, argv, XSW_CTL_FORMAT_TEXT, &reply,
                                     &status, &err), -EINVAL);
    assert_string_equal(err.msg, "unknown command \"fail\"");
    assert_null(reply);

    assert_int_equal(ctl_client_exec(c, 0, argv, XSW_CTL_FORMAT_TEXT, &reply,
                                     &status, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "no command"));
    ctl_client_close(c);
}

/* ---------------------------------------------------------------- socket */

static void
test_connect_not_running(void **state)
{
    struct ctl_client *c;
    struct xsw_err err;
    char path[128], expect[256];

    snprintf(path, sizeof path, "%s/none.sock", test_dir);
    assert_int_equal(ctl_client_connect(path, 1000, &c, &err), -ENOENT);
    assert_null(c);
    snprintf(expect, sizeof expect, "cannot connect to %s: No such file or "
             "directory (is xswd running?)", path);
    assert_string_equal(err.msg, expect);
}

/* Mode, parent directory, stale file, live server, removal. */
static void
test_socket_file(void **state)
{
    struct event_base *base = event_base_new();
    struct ctl_server *s1, *s2;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct xsw_err err;
    struct stat st, st2;
    char dir[80], path[200];
    mode_t old_umask;
    int fd;

    assert_non_null(base);
    snprintf(dir, sizeof dir, "%s/run%u", test_dir, path_counter++);
    snprintf(path, sizeof path, "%s/xswd.sock", dir);

    /* A restrictive umask must not change the mode asked for. */
    old_umask = umask(077);
    assert_int_equal(ctl_server_create(base, path, 0660, &s1, &err), 0);
    umask(old_umask);
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0755);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0660);
    assert_string_equal(ctl_server_path(s1), path);

    /* A second server on a live path is refused and leaves it alone. */
    assert_int_equal(ctl_server_create(base, path, 0660, &s2, &err),
                     -EADDRINUSE);
    assert_null(s2);
    assert_non_null(strstr(err.msg, "another server"));
    assert_int_equal(stat(path, &st2), 0);
    assert_int_equal(st.st_ino, st2.st_ino);

    /* Destroy removes the file. */
    ctl_server_destroy(s1);
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(errno, ENOENT);

    /* A socket file left by a dead server is replaced. */
    fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    assert_true(strlen(path) < sizeof sun.sun_path);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    assert_int_equal(bind(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    close(fd);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(ctl_server_create(base, path, 0660, &s1, &err), 0);
    assert_int_equal(stat(path, &st2), 0);
    assert_int_equal(st2.st_mode & 07777, 0660);
    fd = raw_connect(path);             /* live again: it listens */
    close(fd);
    ctl_server_destroy(s1);

    /* Something that is not a socket is never removed. */
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ctl_server_create(base, path, 0660, &s1, &err), -EEXIST);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    unlink(path);
    rmdir(dir);

    /* Too long a path. */
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    assert_int_equal(ctl_server_create(base, path, 0660, &s1, &err),
                     -ENAMETOOLONG);
    event_base_free(base);
}

static void
test_register_family_errors(void **state)
{
    struct fixture *fx = *state;
    struct ctl_server_family def = {
        "xsw_test", TEST_ID + 1, 1, 0, 1, NULL, 0,
    };
    struct xsw_err err;

    /* The server is running in its thread: stop it to call in. */
    fixture_stop(fx);
    assert_int_equal(ctl_server_register_family(fx->server, &def, &err),
                     -EEXIST);
    def.name = "other";
    def.id = TEST_ID;
    assert_int_equal(ctl_server_register_family(fx->server, &def, &err),
                     -EEXIST);
    def.id = 5;
    assert_int_equal(ctl_server_register_family(fx->server, &def, &err),
                     -EINVAL);
    assert_int_equal(ctl_server_register_cmd(fx->server, 4000, 1, handle_nop,
                                             NULL, NULL), -ENOENT);
    assert_int_equal(ctl_server_register_cmd(fx->server, TEST_ID,
                                             TEST_CMD_ECHO, handle_nop, NULL,
                                             NULL), -EEXIST);
    /* A done function belongs to a dump. */
    assert_int_equal(ctl_server_register_dump(fx->server, TEST_ID, 100,
                                              handle_nop, NULL,
                                              handle_seq_done_done, NULL),
                     -EINVAL);
}

/* ---------------------------------------------------------------- main */

static int
group_setup(void **state)
{
    snprintf(test_dir, sizeof test_dir, "/tmp/xsw-test-ctl-XXXXXX");
    if (!mkdtemp(test_dir)) {
        return -1;
    }
    return 0;
}

static int
group_teardown(void **state)
{
    char cmd[128];

    /* Only what this run created: sockets are removed by destroy. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_getfamily),
        T(test_getfamily_wire),
        T(test_getfamily_unknown),
        T(test_doit_echo),
        T(test_doit_error),
        T(test_ack),
        T(test_multi_message_datagram),
        T(test_dump_10000),
        T(test_dump_wire),
        T(test_dump_errors_and_big),
        T(test_dump_disconnect),
        T(test_dump_done),
        T(test_unregister),
        T(test_malformed),
        T(test_garbage),
        T(test_flooder_does_not_starve),
        T(test_max_clients),
        T(test_notify),
        T(test_exec),
        cmocka_unit_test(test_connect_not_running),
        cmocka_unit_test(test_socket_file),
        T(test_register_family_errors),
    };

    return cmocka_run_group_tests_name("ctl", tests, group_setup,
                                       group_teardown);
}
