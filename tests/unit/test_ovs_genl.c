/* ovs_genl and ctl_cmds: the OVS families and the xsw_ctl commands on a
 * real control socket, end to end.
 *
 * Each test gets its own server thread: an event loop with ctl_server, a
 * dp_switch (one worker, a small umem, no upcall callback), ovs_genl and
 * ctl_cmds, registered with liburcu-qsbr and offline as xswd's control
 * thread is.  The thread creates everything and destroys it when the loop
 * stops, so a failed test leaves no datapath, hence no TAP device, behind.
 * The datapath is "xsut<pid>" (a TAP device: the tests run as root); no
 * AF_XDP port is opened here (integration tests do that). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <urcu-qsbr.h>

#include "ctl_client.h"
#include "ctl_cmds.h"
#include "ctl_server.h"
#include "datapath.h"
#include "flow_key.h"
#include "log.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "ovs_genl.h"
#include "ufid.h"

#define TIMEOUT_MS 5000
#define MAX_T 32
#define N_DUMP_FLOWS 2000

struct fixture {
    char path[108];
    char dp_name[IFNAMSIZ];
    struct event_base *base;
    struct ctl_server *server;
    struct dp_switch *sw;
    struct event *stop_ev;
    int stop_pipe[2];
    int ready_pipe[2];
    pthread_t thread;
    bool running;
    char setup_err[256];
};

/* A connection with the four OVS families resolved. */
struct client {
    struct ctl_client *c;
    struct ctl_client_family dp, vport, flow, packet;
};

static char test_dir[64];
static unsigned int path_counter;
static struct xsw_err last_err;         /* of the last failed request */

/* ---------------------------------------------------------------- fixture */

static void
stop_cb(evutil_socket_t fd, short what, void *base)
{
    event_base_loopbreak(base);
}

/* The control thread: builds, runs and tears down everything. */
static void *
server_thread(void *fx_)
{
    struct fixture *fx = fx_;
    struct dp_switch_config cfg = {
        .n_workers = 1,
        .umem_frames = 4096,
        .frame_size = 2048,
        .upcall_queue_len = 64,
        .max_flows = 10000,
        .emc_entries = 1024,
        .emc_insert_inv_prob = 100,
    };
    struct xsw_err err;
    char ok = 0;

    rcu_register_thread();
    rcu_thread_offline();
    xsw_err_clear(&err);
    if (ctl_server_create(fx->base, fx->path, 0660, &fx->server, &err) < 0
        || dp_switch_create(&cfg, fx->base, NULL, NULL, &fx->sw, &err) < 0
        || ovs_genl_register(fx->server, fx->sw, &err) < 0
        || ctl_cmds_register(fx->server, fx->sw, NULL, 0, NULL, &err) < 0) {
        snprintf(fx->setup_err, sizeof fx->setup_err, "%s", err.msg);
        ok = 1;
    }
    if (write(fx->ready_pipe[1], &ok, 1) != 1) {
        ok = 1;
    }
    if (!ok) {
        event_base_dispatch(fx->base);
    }
    /* The order xswd uses: clients first, then the tables. */
    ctl_cmds_unregister(fx->server);
    ctl_server_destroy(fx->server);
    dp_switch_destroy(fx->sw);
    rcu_unregister_thread();
    return NULL;
}

static int
fixture_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char ok = 1;

    assert_non_null(fx);
    snprintf(fx->path, sizeof fx->path, "%s/s%u.sock", test_dir,
             path_counter++);
    snprintf(fx->dp_name, sizeof fx->dp_name, "xsut%d", (int) getpid());
    fx->base = event_base_new();
    assert_non_null(fx->base);
    assert_int_equal(pipe(fx->stop_pipe), 0);
    assert_int_equal(pipe(fx->ready_pipe), 0);
    fx->stop_ev = event_new(fx->base, fx->stop_pipe[0], EV_READ, stop_cb,
                            fx->base);
    assert_non_null(fx->stop_ev);
    assert_int_equal(event_add(fx->stop_ev, NULL), 0);
    assert_int_equal(pthread_create(&fx->thread, NULL, server_thread, fx), 0);
    fx->running = true;
    *state = fx;
    assert_int_equal(read(fx->ready_pipe[0], &ok, 1), 1);
    if (ok) {
        fail_msg("setup: %s", fx->setup_err);
    }
    return 0;
}

static void
fixture_stop(struct fixture *fx)
{
    if (fx->running) {
        assert_int_equal(write(fx->stop_pipe[1], "x", 1), 1);
        pthread_join(fx->thread, NULL);
        fx->running = false;
    }
}

static int
fixture_teardown(void **state)
{
    struct fixture *fx = *state;

    fixture_stop(fx);
    event_free(fx->stop_ev);
    close(fx->stop_pipe[0]);
    close(fx->stop_pipe[1]);
    close(fx->ready_pipe[0]);
    close(fx->ready_pipe[1]);
    event_base_free(fx->base);
    /* The TAP device went with the switch. */
    assert_int_equal(if_nametoindex(fx->dp_name), 0);
    free(fx);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct client
client_open(const struct fixture *fx)
{
    struct client cl;
    struct xsw_err err;

    if (ctl_client_connect(fx->path, TIMEOUT_MS, &cl.c, &err) < 0) {
        fail_msg("connect: %s", err.msg);
    }
    if (ctl_client_resolve(cl.c, OVS_DATAPATH_FAMILY, &cl.dp, &err) < 0
        || ctl_client_resolve(cl.c, OVS_VPORT_FAMILY, &cl.vport, &err) < 0
        || ctl_client_resolve(cl.c, OVS_FLOW_FAMILY, &cl.flow, &err) < 0
        || ctl_client_resolve(cl.c, OVS_PACKET_FAMILY, &cl.packet, &err) < 0) {
        fail_msg("resolve: %s", err.msg);
    }
    return cl;
}

/* Sends req with extra flags; *reply (if not NULL) gets the first reply
 * message (NULL if none), to be freed.  Returns 0 or the error, whose text
 * is in last_err. */
static int
transact(struct client *cl, struct nlmsghdr *req, uint16_t flags,
         struct nlmsghdr **reply)
{
    struct nlmsghdr *r = NULL;
    int error;

    req->nlmsg_flags |= flags;
    error = ctl_client_transact_one(cl->c, req, &r, &last_err);
    if (reply) {
        *reply = r;
    } else {
        free(r);
    }
    return error;
}

static void
expect_error(struct client *cl, struct nlmsghdr *req, int error,
             const char *text_part)
{
    int got = transact(cl, req, 0, NULL);

    if (got != error) {
        fail_msg("expected error %d, got %d (%s)", error, got, last_err.msg);
    }
    if (text_part && !strstr(last_err.msg, text_part)) {
        fail_msg("error text \"%s\" lacks \"%s\"", last_err.msg, text_part);
    }
}

static void
attrs_of(const struct nlmsghdr *nlh, const struct nlattr *tb[MAX_T])
{
    const struct nlattr *attr;

    memset(tb, 0, MAX_T * sizeof tb[0]);
    mnl_attr_for_each(attr, nlh, GENL_HDRLEN + sizeof(struct ovs_header)) {
        if (mnl_attr_get_type(attr) < MAX_T) {
            tb[mnl_attr_get_type(attr)] = attr;
        }
    }
}

static int
hdr_ifindex(const struct nlmsghdr *nlh)
{
    const struct ovs_header *oh = (const void *) ((const uint8_t *)
                                                  mnl_nlmsg_get_payload(nlh)
                                                  + GENL_HDRLEN);

    return oh->dp_ifindex;
}

static uint8_t
genl_cmd(const struct nlmsghdr *nlh)
{
    return ((const struct genlmsghdr *) mnl_nlmsg_get_payload(nlh))->cmd;
}

/* Creates the fixture's datapath; returns its dp_ifindex. */
static int
dp_new(struct client *cl, const char *name, uint32_t pid)
{
    uint8_t buf[256] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &cl->dp, OVS_DP_CMD_NEW,
                                                0);
    struct nlmsghdr *reply;
    int ifindex;

    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, name);
    mnl_attr_put_u32(req, OVS_DP_ATTR_UPCALL_PID, pid);
    mnl_attr_put_u32(req, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED);
    if (transact(cl, req, NLM_F_ECHO, &reply)) {
        fail_msg("OVS_DP_CMD_NEW %s: %s", name, last_err.msg);
    }
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_DP_CMD_NEW);
    ifindex = hdr_ifindex(reply);
    free(reply);
    assert_int_equal(ifindex, (int) if_nametoindex(name));
    return ifindex;
}

static struct flow_key
make_key(uint32_t i)
{
    static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 1 };
    static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 2 };
    struct flow_key k;

    memset(&k, 0, sizeof k);
    k.in_port = 0;
    memcpy(k.eth_src, src, 6);
    memcpy(k.eth_dst, dst, 6);
    k.eth_type = htons(0x0800);
    k.nw_src = htonl(0x0a000001);
    k.nw_dst = htonl(0x0a000002 + (i >> 16));
    k.nw_proto = 17;
    k.nw_ttl = 64;
    k.tp_src = htons((uint16_t) i);
    k.tp_dst = htons(53);
    return k;
}

static void
put_key(struct nlmsghdr *nlh, uint16_t type, const struct flow_key *key)
{
    struct nlattr *nest = mnl_attr_nest_start(nlh, type);

    assert_int_equal(odp_key_put(nlh, CTL_MSG_MAX, key), 0);
    mnl_attr_nest_end(nlh, nest);
}

static void
put_mask(struct nlmsghdr *nlh, const struct flow_key *key,
         const struct flow_mask *mask)
{
    struct nlattr *nest = mnl_attr_nest_start(nlh, OVS_FLOW_ATTR_MASK);

    assert_int_equal(odp_mask_put(nlh, CTL_MSG_MAX, key, mask), 0);
    mnl_attr_nest_end(nlh, nest);
}

#define NO_ACTIONS (-1)
#define DROP (-2)

static void
put_actions(struct nlmsghdr *nlh, uint16_t type, int out_port)
{
    struct nlattr *nest;

    if (out_port == NO_ACTIONS) {
        return;
    }
    nest = mnl_attr_nest_start(nlh, type);
    if (out_port >= 0) {
        assert_int_equal(odp_actions_put_output(nlh, CTL_MSG_MAX,
                                                (uint32_t) out_port), 0);
    }
    mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *
flow_req(void *buf, struct client *cl, uint8_t cmd, int dp_ifindex,
         const struct flow_key *key, const struct ufid *ufid, int out_port)
{
    struct nlmsghdr *req = ctl_client_msg_start(buf, &cl->flow, cmd,
                                                dp_ifindex);

    if (key) {
        put_key(req, OVS_FLOW_ATTR_KEY, key);
    }
    if (ufid) {
        mnl_attr_put(req, OVS_FLOW_ATTR_UFID, sizeof *ufid, ufid);
    }
    put_actions(req, OVS_FLOW_ATTR_ACTIONS, out_port);
    return req;
}

static void
flow_new_ok(struct client *cl, int dp_ifindex, const struct flow_key *key,
            const struct ufid *ufid, int out_port)
{
    uint8_t buf[1024] __attribute__((aligned(4)));
    struct nlmsghdr *req = flow_req(buf, cl, OVS_FLOW_CMD_NEW, dp_ifindex,
                                    key, ufid, out_port);

    if (transact(cl, req, NLM_F_CREATE, NULL)) {
        fail_msg("OVS_FLOW_CMD_NEW: %s", last_err.msg);
    }
}

/* The output port of a reply's actions: -2 for an empty list, -1 absent. */
static int
reply_output(const struct nlattr *actions)
{
    const struct nlattr *a;

    if (!actions) {
        return -1;
    }
    mnl_attr_for_each_nested(a, actions) {
        if (mnl_attr_get_type(a) == OVS_ACTION_ATTR_OUTPUT) {
            return (int) mnl_attr_get_u32(a);
        }
    }
    return -2;
}

struct dump_state {
    unsigned int n;
    uint8_t *seen;              /* [N_DUMP_FLOWS]: by UDP source port */
    uint8_t cmd;
    int dp_ifindex;
};

static int
dump_cb(const struct nlmsghdr *nlh, void *st_)
{
    struct dump_state *st = st_;
    const struct nlattr *tb[MAX_T];

    st->n++;
    st->cmd = genl_cmd(nlh);
    st->dp_ifindex = hdr_ifindex(nlh);
    attrs_of(nlh, tb);
    if (st->seen && tb[OVS_FLOW_ATTR_KEY]) {
        struct flow_key k;

        if (odp_key_parse(mnl_attr_get_payload(tb[OVS_FLOW_ATTR_KEY]),
                          mnl_attr_get_payload_len(tb[OVS_FLOW_ATTR_KEY]),
                          &k, NULL, NULL) == 0
            && ntohs(k.tp_src) < N_DUMP_FLOWS) {
            st->seen[ntohs(k.tp_src)]++;
        }
    }
    return 0;
}

static unsigned int
flow_count(struct client *cl, int dp_ifindex)
{
    uint8_t buf[128] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &cl->flow,
                                                OVS_FLOW_CMD_GET, dp_ifindex);
    struct dump_state st = { 0 };

    if (ctl_client_dump(cl->c, req, dump_cb, &st, &last_err)) {
        fail_msg("flow dump: %s", last_err.msg);
    }
    return st.n;
}

static int
raw_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = TIMEOUT_MS / 1000 };
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    assert_int_equal(connect(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* ---------------------------------------------------------------- datapaths */

static void
test_datapath(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    struct client sub = client_open(fx);
    uint8_t buf[512] __attribute__((aligned(4)));
    const struct nlattr *tb[MAX_T];
    struct nlmsghdr *req, *reply;
    struct dump_state st = { 0 };
    struct xsw_err err;
    char *text;
    uint32_t status;
    int ifindex;

    assert_int_equal(ctl_client_join(sub.c, OVS_DATAPATH_FAMILY,
                                     OVS_DATAPATH_MCGROUP, &err), 0);
    ifindex = dp_new(&cl, fx->dp_name, 0);
    assert_true(ifindex > 0);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, dump_cb, &st, &err),
                     1);
    assert_int_equal(st.cmd, OVS_DP_CMD_NEW);
    assert_int_equal(st.dp_ifindex, ifindex);

    /* Again: -EEXIST. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, fx->dp_name);
    expect_error(&cl, req, -EEXIST, fx->dp_name);

    /* GET by name, then by dp_ifindex. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, 0);
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, fx->dp_name);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(hdr_ifindex(reply), ifindex);
    attrs_of(reply, tb);
    assert_string_equal(mnl_attr_get_str(tb[OVS_DP_ATTR_NAME]), fx->dp_name);
    assert_int_equal(mnl_attr_get_payload_len(tb[OVS_DP_ATTR_STATS]),
                     sizeof(struct ovs_dp_stats));
    assert_int_equal(mnl_attr_get_payload_len(tb[OVS_DP_ATTR_MEGAFLOW_STATS]),
                     sizeof(struct ovs_dp_megaflow_stats));
    assert_int_equal(mnl_attr_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]),
                     OVS_DP_F_UNALIGNED);
    free(reply);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, ifindex);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_string_equal(mnl_attr_get_str(tb[OVS_DP_ATTR_NAME]), fx->dp_name);
    free(reply);

    /* Not there. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, 0);
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, "br9");
    expect_error(&cl, req, -ENODEV, "datapath br9 does not exist");
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, 12345678);
    expect_error(&cl, req, -ENODEV, "dp_ifindex 12345678");

    /* Dump. */
    memset(&st, 0, sizeof st);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, 0);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &err), 0);
    assert_int_equal(st.n, 1);
    assert_int_equal(st.dp_ifindex, ifindex);

    /* SET: upcall pid, features (absent means none, as in the kernel); no
     * NLM_F_ECHO, no reply but the ACK; the subscriber hears of it. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_DP_ATTR_UPCALL_PID, 4242);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_null(reply);
    memset(&st, 0, sizeof st);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, dump_cb, &st, &err),
                     1);
    assert_int_equal(st.cmd, OVS_DP_CMD_SET);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, ifindex);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]), 0);
    free(reply);
    {
        const char *argv[] = { "upcall-stats" };

        assert_int_equal(ctl_client_exec(cl.c, 1, argv, XSW_CTL_FORMAT_TEXT,
                                         &text, &status, &err), 0);
        assert_int_equal(status, 0);
        assert_non_null(strstr(text, "client pid 4242"));
        free(text);
    }
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_DP_ATTR_USER_FEATURES,
                     OVS_DP_F_VPORT_PIDS | OVS_DP_F_UNALIGNED);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_DP_CMD_SET);
    attrs_of(reply, tb);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]),
                     OVS_DP_F_VPORT_PIDS | OVS_DP_F_UNALIGNED);
    free(reply);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_DP_ATTR_USER_FEATURES,
                     OVS_DP_F_DISPATCH_UPCALL_PER_CPU);
    expect_error(&cl, req, -EOPNOTSUPP, "OVS_DP_ATTR_USER_FEATURES");

    /* An old client's NEW of an existing datapath drops its features. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    ((struct genlmsghdr *) mnl_nlmsg_get_payload(req))->version = 1;
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, fx->dp_name);
    expect_error(&cl, req, -EEXIST, NULL);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, ifindex);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]), 0);
    free(reply);

    /* DEL by name: the TAP device goes, the subscriber hears of it. */
    ctl_client_recv(sub.c, 200, NULL, NULL, &err);      /* the SET above */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_DEL, 0);
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, fx->dp_name);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_DP_CMD_DEL);
    assert_int_equal(hdr_ifindex(reply), ifindex);
    free(reply);
    assert_int_equal(if_nametoindex(fx->dp_name), 0);
    memset(&st, 0, sizeof st);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, dump_cb, &st, &err),
                     1);
    assert_int_equal(st.cmd, OVS_DP_CMD_DEL);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_DEL, ifindex);
    expect_error(&cl, req, -ENODEV, NULL);
    memset(&st, 0, sizeof st);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, 0);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &err), 0);
    assert_int_equal(st.n, 0);

    ctl_client_close(cl.c);
    ctl_client_close(sub.c);
}

/* ---------------------------------------------------------------- vports */

static void
test_vport(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[512] __attribute__((aligned(4)));
    const struct nlattr *tb[MAX_T];
    struct nlmsghdr *req, *reply;
    struct dump_state st = { 0 };
    char nodev[IFNAMSIZ];
    struct nlattr *nest;
    int ifindex = dp_new(&cl, fx->dp_name, 77);

    snprintf(nodev, sizeof nodev, "xsno%d", (int) getpid());

    /* Dump: port 0, the TAP. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err), 0);
    assert_int_equal(st.n, 1);
    assert_int_equal(st.dp_ifindex, ifindex);

    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_VPORT_ATTR_PORT_NO]), 0);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_VPORT_ATTR_TYPE]),
                     OVS_VPORT_TYPE_INTERNAL);
    assert_string_equal(mnl_attr_get_str(tb[OVS_VPORT_ATTR_NAME]),
                        fx->dp_name);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_VPORT_ATTR_IFINDEX]), ifindex);
    assert_int_equal(mnl_attr_get_payload_len(tb[OVS_VPORT_ATTR_STATS]),
                     sizeof(struct ovs_vport_stats));
    assert_int_equal(mnl_attr_get_u32(tb[OVS_VPORT_ATTR_UPCALL_PID]), 77);
    assert_null(tb[OVS_VPORT_ATTR_OPTIONS]);
    free(reply);

    /* By name, from any datapath (dp_ifindex 0), or a wrong one. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, 0);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, fx->dp_name);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_int_equal(hdr_ifindex(reply), ifindex);
    free(reply);
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex + 1);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, fx->dp_name);
    expect_error(&cl, req, -ENODEV, fx->dp_name);
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 9);
    expect_error(&cl, req, -ENODEV, "has no port 9");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 70000);
    expect_error(&cl, req, -EFBIG, "OVS_VPORT_ATTR_PORT_NO");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_IFINDEX, 1);
    expect_error(&cl, req, -EOPNOTSUPP, "OVS_VPORT_ATTR_IFINDEX");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_NAME or "
                 "OVS_VPORT_ATTR_PORT_NO missing");

    /* NEW: a device that does not exist is named in the error. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_UPCALL_PID, 1);
    assert_true(transact(&cl, req, 0, NULL) < 0);
    assert_non_null(strstr(last_err.msg, nodev));
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
    expect_error(&cl, req, -EOPNOTSUPP, "port 0");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_GRE);
    expect_error(&cl, req, -EOPNOTSUPP, "gre");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_NAME missing");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_TYPE missing");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    nest = mnl_attr_nest_start(req, OVS_VPORT_ATTR_OPTIONS);
    mnl_attr_put_strz(req, XSW_VPORT_OPT_XDP_MODE, "turbo");
    mnl_attr_nest_end(req, nest);
    expect_error(&cl, req, -EINVAL, "XSW_VPORT_OPT_XDP_MODE");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    nest = mnl_attr_nest_start(req, OVS_VPORT_ATTR_OPTIONS);
    mnl_attr_put_u32(req, XSW_VPORT_OPT_DEV_QUEUES, 4);
    mnl_attr_nest_end(req, nest);
    expect_error(&cl, req, -EINVAL, "option type 7");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0x10000);
    expect_error(&cl, req, -EFBIG, "OVS_VPORT_ATTR_PORT_NO");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, 0);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    expect_error(&cl, req, -ENODEV, "dp_ifindex");

    /* DEL: port 0 stays; an unknown port is -ENODEV. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_DEL, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    expect_error(&cl, req, -EINVAL, "port 0 is the datapath's internal port");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_DEL, 0);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, nodev);
    expect_error(&cl, req, -ENODEV, nodev);

    /* SET: upcall pid (an array of u32, the first counts). */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    {
        uint32_t pids[2] = { 99, 100 };

        mnl_attr_put(req, OVS_VPORT_ATTR_UPCALL_PID, sizeof pids, pids);
    }
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_VPORT_CMD_SET);
    attrs_of(reply, tb);
    assert_int_equal(mnl_attr_get_u32(tb[OVS_VPORT_ATTR_UPCALL_PID]), 99);
    free(reply);
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    mnl_attr_put_u16(req, OVS_VPORT_ATTR_UPCALL_PID, 1);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_UPCALL_PID");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_TYPE");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_SET, ifindex);
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_PORT_NO, 0);
    nest = mnl_attr_nest_start(req, OVS_VPORT_ATTR_OPTIONS);
    mnl_attr_nest_end(req, nest);
    expect_error(&cl, req, -EOPNOTSUPP, "OVS_VPORT_ATTR_OPTIONS");

    /* Dumping a datapath that is not there. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, 999999);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err),
                     -ENODEV);
    ctl_client_close(cl.c);
}

/* ---------------------------------------------------------------- flows */

static void
test_flow_new_get_set_del(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    const struct nlattr *tb[MAX_T];
    struct nlmsghdr *req, *reply;
    struct flow_key key = make_key(1);
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    /* NEW with NLM_F_ECHO: the flow as the kernel describes it. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    assert_int_equal(transact(&cl, req, NLM_F_CREATE | NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_FLOW_CMD_NEW);
    assert_int_equal(hdr_ifindex(reply), ifindex);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_KEY]);
    assert_non_null(tb[OVS_FLOW_ATTR_MASK]);
    assert_null(tb[OVS_FLOW_ATTR_UFID]);
    assert_null(tb[OVS_FLOW_ATTR_STATS]);        /* zero: left out */
    assert_null(tb[OVS_FLOW_ATTR_USED]);
    assert_null(tb[OVS_FLOW_ATTR_TCP_FLAGS]);
    assert_int_equal(reply_output(tb[OVS_FLOW_ATTR_ACTIONS]), 0);
    {
        /* The first attribute is the identifier: the key. */
        const struct nlattr *first = mnl_nlmsg_get_payload_offset(
            reply, GENL_HDRLEN + sizeof(struct ovs_header));

        assert_int_equal(mnl_attr_get_type(first), OVS_FLOW_ATTR_KEY);
    }
    free(reply);

    /* Duplicates: -EEXIST with NLM_F_EXCL or NLM_F_CREATE. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 1);
    req->nlmsg_flags |= NLM_F_EXCL;
    expect_error(&cl, req, -EEXIST, "exists already");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 1);
    req->nlmsg_flags |= NLM_F_CREATE;
    expect_error(&cl, req, -EEXIST, NULL);
    /* ... without either, the actions are replaced; no echo, no reply. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 2);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_null(reply);

    /* GET by key. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &key, NULL,
                   NO_ACTIONS);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_FLOW_CMD_GET);
    attrs_of(reply, tb);
    assert_int_equal(reply_output(tb[OVS_FLOW_ATTR_ACTIONS]), 2);
    free(reply);

    /* SET: new actions, and CLEAR. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL, 3);
    mnl_attr_put(req, OVS_FLOW_ATTR_CLEAR, 0, NULL);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_FLOW_CMD_SET);
    attrs_of(reply, tb);
    assert_int_equal(reply_output(tb[OVS_FLOW_ATTR_ACTIONS]), 3);
    free(reply);
    /* An empty list is "drop". */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL, DROP);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_ACTIONS]);
    assert_int_equal(reply_output(tb[OVS_FLOW_ATTR_ACTIONS]), -2);
    free(reply);
    /* ACTIONS without KEY. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, NULL, NULL, 3);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY");
    /* Bad actions are named. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL,
                   NO_ACTIONS);
    {
        struct nlattr *nest = mnl_attr_nest_start(req, OVS_FLOW_ATTR_ACTIONS);

        mnl_attr_put_u16(req, OVS_ACTION_ATTR_OUTPUT, 1);
        mnl_attr_nest_end(req, nest);
    }
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_ACTIONS");

    /* DEL by key with NLM_F_ECHO: the flow's last word. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, &key, NULL,
                   NO_ACTIONS);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_FLOW_CMD_DEL);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_KEY]);
    assert_non_null(tb[OVS_FLOW_ATTR_ACTIONS]);
    free(reply);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &key, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -ENOENT, "no flow");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, &key, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -ENOENT, "no flow");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL, 1);
    expect_error(&cl, req, -ENOENT, NULL);

    /* A datapath that is not there. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, 999999, &key, NULL, 1);
    expect_error(&cl, req, -ENODEV, "dp_ifindex 999999");
    ctl_client_close(cl.c);
}

static void
test_flow_ufid(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    const struct nlattr *tb[MAX_T];
    struct nlmsghdr *req, *reply;
    struct flow_key key = make_key(7), other = make_key(8);
    struct ufid u = { { 0x11111111, 0x22222222, 0x33333333, 0x44444444 } };
    struct ufid u2 = { { 1, 2, 3, 4 } };
    struct dump_state st = { 0 };
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, &u, 0);
    assert_int_equal(transact(&cl, req, NLM_F_CREATE | NLM_F_ECHO, &reply), 0);
    {
        const struct nlattr *first = mnl_nlmsg_get_payload_offset(
            reply, GENL_HDRLEN + sizeof(struct ovs_header));

        assert_int_equal(mnl_attr_get_type(first), OVS_FLOW_ATTR_UFID);
        assert_memory_equal(mnl_attr_get_payload(first), &u, sizeof u);
    }
    free(reply);

    /* Another flow with the same key but another UFID overlaps it. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, &u2, 0);
    expect_error(&cl, req, -EEXIST, NULL);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, &u, 0);
    req->nlmsg_flags |= NLM_F_EXCL;
    expect_error(&cl, req, -EEXIST, "ufid:11111111-2222-2222-3333-333344444444");

    /* GET by UFID alone, with attributes left out on request. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, NULL, &u, NO_ACTIONS);
    mnl_attr_put_u32(req, OVS_FLOW_ATTR_UFID_FLAGS,
                     OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_ACTIONS);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_UFID]);
    assert_null(tb[OVS_FLOW_ATTR_KEY]);
    assert_non_null(tb[OVS_FLOW_ATTR_MASK]);
    assert_null(tb[OVS_FLOW_ATTR_ACTIONS]);
    free(reply);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, NULL, &u, NO_ACTIONS);
    mnl_attr_put_u32(req, OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_MASK);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_KEY]);
    assert_null(tb[OVS_FLOW_ATTR_MASK]);
    assert_non_null(tb[OVS_FLOW_ATTR_ACTIONS]);
    free(reply);

    /* A flow without UFID keeps its key (its identifier) whatever the
     * flags; a dump honours them too. */
    flow_new_ok(&cl, ifindex, &other, NULL, 1);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &other, NULL,
                   NO_ACTIONS);
    mnl_attr_put_u32(req, OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_KEY);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_KEY]);
    free(reply);
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_GET, ifindex);
    mnl_attr_put_u32(req, OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_KEY
                     | OVS_UFID_F_OMIT_MASK | OVS_UFID_F_OMIT_ACTIONS);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err), 0);
    assert_int_equal(st.n, 2);

    /* SET by UFID: CLEAR alone. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, NULL, &u, NO_ACTIONS);
    mnl_attr_put(req, OVS_FLOW_ATTR_CLEAR, 0, NULL);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    free(reply);

    /* DEL by UFID; then it is gone. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, NULL, &u, NO_ACTIONS);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    attrs_of(reply, tb);
    assert_memory_equal(mnl_attr_get_payload(tb[OVS_FLOW_ATTR_UFID]), &u,
                        sizeof u);
    free(reply);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, NULL, &u, NO_ACTIONS);
    expect_error(&cl, req, -ENOENT, "ufid:11111111");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, NULL, &u, NO_ACTIONS);
    expect_error(&cl, req, -ENOENT, NULL);
    assert_int_equal(flow_count(&cl, ifindex), 1);
    ctl_client_close(cl.c);
}

/* A wildcarded flow, named by the key it was put with (the kernel compares
 * unmasked keys), or by its masked key, but not by a key it only matches. */
static void
test_flow_wildcard(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    const struct nlattr *tb[MAX_T];
    struct nlmsghdr *req, *reply;
    struct flow_key key = make_key(100), other = make_key(101), masked;
    struct flow_mask mask;
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    memset(&mask, 0, sizeof mask);
    mask.m.in_port = UINT32_MAX;
    mask.m.eth_type = htons(0xffff);
    mask.m.nw_dst = htonl(0xffffffff);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    put_mask(req, &key, &mask);
    assert_int_equal(transact(&cl, req, NLM_F_CREATE, NULL), 0);

    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &key, NULL,
                   NO_ACTIONS);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    attrs_of(reply, tb);
    assert_non_null(tb[OVS_FLOW_ATTR_MASK]);
    free(reply);

    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &other, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -ENOENT, NULL);

    flow_key_mask(&masked, &key, &mask);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &masked, NULL,
                   NO_ACTIONS);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);

    /* A new flow that the wildcarded one would shadow: -EEXIST with
     * NLM_F_CREATE, -ENOENT without (it is not the same flow). */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &other, NULL, 1);
    req->nlmsg_flags |= NLM_F_CREATE;
    expect_error(&cl, req, -EEXIST, NULL);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &other, NULL, 1);
    expect_error(&cl, req, -ENOENT, NULL);

    /* SET with key and mask, DEL by key. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL, 5);
    put_mask(req, &key, &mask);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    attrs_of(reply, tb);
    assert_int_equal(reply_output(tb[OVS_FLOW_ATTR_ACTIONS]), 5);
    free(reply);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, &key, NULL,
                   NO_ACTIONS);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);
    assert_int_equal(flow_count(&cl, ifindex), 0);
    ctl_client_close(cl.c);
}

static void
test_flow_flush_and_notify(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    struct client sub = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    struct nlmsghdr *req, *reply;
    struct dump_state st = { 0 };
    struct flow_key key;
    struct xsw_err err;
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    assert_int_equal(ctl_client_join(sub.c, OVS_FLOW_FAMILY, OVS_FLOW_MCGROUP,
                                     &err), 0);
    assert_int_equal(ctl_client_join(cl.c, OVS_FLOW_FAMILY, OVS_FLOW_MCGROUP,
                                     &err), 0);

    /* Without NLM_F_ECHO a requester in the group gets the multicast, which
     * carries its request's seq and pid as the kernel's does: it reads as
     * the reply. */
    key = make_key(1);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_non_null(reply);
    assert_int_equal(genl_cmd(reply), OVS_FLOW_CMD_NEW);
    free(reply);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, dump_cb, &st, &err),
                     1);
    assert_int_equal(st.cmd, OVS_FLOW_CMD_NEW);
    assert_int_equal(ctl_client_recv(cl.c, 200, NULL, NULL, &err), -ETIMEDOUT);

    /* With it, the reply only: not twice. */
    key = make_key(2);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_non_null(reply);
    free(reply);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, NULL, NULL, &err), 1);
    assert_int_equal(ctl_client_recv(cl.c, 200, NULL, NULL, &err), -ETIMEDOUT);

    /* Not in the group: the ACK alone. */
    assert_int_equal(ctl_client_leave(cl.c, OVS_FLOW_FAMILY, OVS_FLOW_MCGROUP,
                                      &err), 0);
    key = make_key(3);
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    assert_int_equal(transact(&cl, req, 0, &reply), 0);
    assert_null(reply);
    assert_int_equal(ctl_client_recv(sub.c, TIMEOUT_MS, NULL, NULL, &err), 1);
    assert_int_equal(flow_count(&cl, ifindex), 3);

    /* DEL without key or UFID: flush, answered by the ACK alone and not
     * notified (as the kernel). */
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_DEL, ifindex);
    assert_int_equal(transact(&cl, req, NLM_F_ECHO, &reply), 0);
    assert_null(reply);
    assert_int_equal(flow_count(&cl, ifindex), 0);
    assert_int_equal(ctl_client_recv(sub.c, 200, NULL, NULL, &err),
                     -ETIMEDOUT);
    ctl_client_close(cl.c);
    ctl_client_close(sub.c);
}

static void
test_flow_dump_2000(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[256] __attribute__((aligned(4)));
    struct dump_state st = { 0 };
    struct nlmsghdr *req;
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    for (uint32_t i = 0; i < N_DUMP_FLOWS; i++) {
        struct flow_key key = make_key(i);

        flow_new_ok(&cl, ifindex, &key, NULL, (int) (i % 4));
    }
    st.seen = calloc(N_DUMP_FLOWS, 1);
    assert_non_null(st.seen);
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_GET, ifindex);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err), 0);
    assert_int_equal(st.n, N_DUMP_FLOWS);
    for (unsigned int i = 0; i < N_DUMP_FLOWS; i++) {
        assert_int_equal(st.seen[i], 1);
    }
    free(st.seen);

    /* A dump of a datapath that is not there. */
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_GET, 999999);
    assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err),
                     -ENODEV);
    ctl_client_close(cl.c);
}

/* Starts a flow dump on a raw connection and reads its first datagram. */
static int
start_raw_dump(struct fixture *fx, struct client *cl, int dp_ifindex)
{
    uint8_t buf[CTL_MSG_MAX] __attribute__((aligned(4)));
    struct nlmsghdr *req = ctl_client_msg_start(buf, &cl->flow,
                                                OVS_FLOW_CMD_GET, dp_ifindex);
    int fd = raw_connect(fx->path);

    req->nlmsg_flags |= NLM_F_DUMP;
    req->nlmsg_seq = 1;
    assert_int_equal(send(fd, req, req->nlmsg_len, 0), (ssize_t) req->nlmsg_len);
    assert_true(recv(fd, buf, sizeof buf, 0) > 0);
    assert_int_equal(((struct nlmsghdr *) buf)->nlmsg_type, cl->flow.id);
    return fd;
}

/* A client leaves mid-dump: the cursor must leave the classifier with it,
 * or the deletes that follow write into freed memory (run under ASan).
 * Then the same with the datapath deleted under the dump. */
static void
test_flow_dump_disconnect(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    struct nlmsghdr *req;
    int ifindex = dp_new(&cl, fx->dp_name, 0);
    int fd, fd2;

    for (uint32_t i = 0; i < N_DUMP_FLOWS; i++) {
        struct flow_key key = make_key(i);

        flow_new_ok(&cl, ifindex, &key, NULL, 0);
    }
    fd = start_raw_dump(fx, &cl, ifindex);
    fd2 = start_raw_dump(fx, &cl, ifindex);
    close(fd);
    usleep(100000);
    /* Deleting the flows the cursors point at, one by one, then all. */
    for (uint32_t i = 0; i < N_DUMP_FLOWS / 2; i++) {
        struct flow_key key = make_key(i);

        req = flow_req(buf, &cl, OVS_FLOW_CMD_DEL, ifindex, &key, NULL,
                       NO_ACTIONS);
        assert_int_equal(transact(&cl, req, 0, NULL), 0);
    }
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_DEL, ifindex);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);
    close(fd2);
    usleep(100000);
    assert_int_equal(flow_count(&cl, ifindex), 0);

    /* The datapath goes while a dump of it is in progress. */
    for (uint32_t i = 0; i < N_DUMP_FLOWS; i++) {
        struct flow_key key = make_key(i);

        flow_new_ok(&cl, ifindex, &key, NULL, 0);
    }
    fd = start_raw_dump(fx, &cl, ifindex);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_DEL, ifindex);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);
    /* Reading on: the dump ends with -ENODEV in NLMSG_DONE. */
    {
        uint8_t rx[CTL_MSG_MAX] __attribute__((aligned(4)));
        bool done = false;
        int error = 0;

        while (!done) {
            ssize_t n = recv(fd, rx, sizeof rx, 0);
            int left = (int) n;

            assert_true(n > 0);
            for (struct nlmsghdr *nlh = (struct nlmsghdr *) rx;
                 mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
                if (nlh->nlmsg_type == NLMSG_DONE) {
                    memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof error);
                    done = true;
                }
            }
        }
        /* Unless the socket held the whole dump already. */
        assert_true(error == -ENODEV || error == 0);
    }
    close(fd);

    /* And one more dump left behind, of a datapath deleted after. */
    ifindex = dp_new(&cl, fx->dp_name, 0);
    for (uint32_t i = 0; i < N_DUMP_FLOWS; i++) {
        struct flow_key key = make_key(i);

        flow_new_ok(&cl, ifindex, &key, NULL, 0);
    }
    fd = start_raw_dump(fx, &cl, ifindex);
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_DEL, ifindex);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);
    close(fd);
    usleep(100000);
    /* And one the server is destroyed under (teardown). */
    ifindex = dp_new(&cl, fx->dp_name, 0);
    for (uint32_t i = 0; i < 500; i++) {
        struct flow_key key = make_key(i);

        flow_new_ok(&cl, ifindex, &key, NULL, 0);
    }
    fd = start_raw_dump(fx, &cl, ifindex);
    ctl_client_close(cl.c);
    fixture_stop(fx);
    close(fd);
}

/* ---------------------------------------------------------------- malformed */

static void
test_malformed(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    struct nlmsghdr *req;
    struct flow_key key = make_key(1);
    int ifindex = dp_new(&cl, fx->dp_name, 0);
    static const char long_name[20] = "abcdefghijklmnopqrs";

    /* Datapath. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    expect_error(&cl, req, -EINVAL, "OVS_DP_ATTR_NAME missing");
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    mnl_attr_put(req, OVS_DP_ATTR_NAME, 3, "abc");
    expect_error(&cl, req, -EINVAL, "OVS_DP_ATTR_NAME");
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    mnl_attr_put(req, OVS_DP_ATTR_NAME, sizeof long_name, long_name);
    expect_error(&cl, req, -EINVAL, "OVS_DP_ATTR_NAME");
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_NEW, 0);
    mnl_attr_put_strz(req, OVS_DP_ATTR_NAME, "xsutbad");
    mnl_attr_put_u16(req, OVS_DP_ATTR_UPCALL_PID, 1);
    expect_error(&cl, req, -EINVAL, "OVS_DP_ATTR_UPCALL_PID: length 2, "
                 "expected 4");
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_SET, ifindex);
    mnl_attr_put_u64(req, OVS_DP_ATTR_USER_FEATURES, 1);
    expect_error(&cl, req, -EINVAL, "OVS_DP_ATTR_USER_FEATURES");
    /* Unknown attributes are ignored, as the kernel's policy does. */
    req = ctl_client_msg_start(buf, &cl.dp, OVS_DP_CMD_GET, ifindex);
    mnl_attr_put_u32(req, 200, 1);
    mnl_attr_put_u64(req, OVS_DP_ATTR_STATS, 1);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);

    /* Vport. */
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_GET, ifindex);
    mnl_attr_put_u16(req, OVS_VPORT_ATTR_PORT_NO, 0);
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_PORT_NO: length 2");
    req = ctl_client_msg_start(buf, &cl.vport, OVS_VPORT_CMD_NEW, ifindex);
    mnl_attr_put_strz(req, OVS_VPORT_ATTR_NAME, "x");
    mnl_attr_put_u32(req, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    mnl_attr_put(req, OVS_VPORT_ATTR_OPTIONS, 2, "ab");
    expect_error(&cl, req, -EINVAL, "OVS_VPORT_ATTR_OPTIONS");

    /* Flow. */
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, NULL, NULL, 0);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY missing");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_ACTIONS missing");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, NULL, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY or OVS_FLOW_ATTR_UFID "
                 "missing");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, NULL, NULL,
                   NO_ACTIONS);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY or OVS_FLOW_ATTR_UFID "
                 "missing");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &key, NULL,
                   NO_ACTIONS);
    mnl_attr_put(req, OVS_FLOW_ATTR_UFID, 15, "123456789012345");
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_UFID: length 15, "
                 "expected 16");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_GET, ifindex, &key, NULL,
                   NO_ACTIONS);
    mnl_attr_put_u64(req, OVS_FLOW_ATTR_UFID_FLAGS, 1);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_UFID_FLAGS");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_SET, ifindex, &key, NULL,
                   NO_ACTIONS);
    mnl_attr_put_u8(req, OVS_FLOW_ATTR_CLEAR, 1);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_CLEAR");
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_NEW, ifindex);
    mnl_attr_put(req, OVS_FLOW_ATTR_KEY, 2, "ab");
    put_actions(req, OVS_FLOW_ATTR_ACTIONS, 0);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY");
    req = ctl_client_msg_start(buf, &cl.flow, OVS_FLOW_CMD_NEW, ifindex);
    {
        struct nlattr *nest = mnl_attr_nest_start(req, OVS_FLOW_ATTR_KEY);

        mnl_attr_put_u16(req, OVS_KEY_ATTR_IN_PORT, 1);
        mnl_attr_nest_end(req, nest);
    }
    put_actions(req, OVS_FLOW_ATTR_ACTIONS, 0);
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_KEY: in_port");
    req = flow_req(buf, &cl, OVS_FLOW_CMD_NEW, ifindex, &key, NULL, 0);
    mnl_attr_put(req, OVS_FLOW_ATTR_MASK, 3, "abc");
    expect_error(&cl, req, -EINVAL, "OVS_FLOW_ATTR_MASK");
    assert_int_equal(flow_count(&cl, ifindex), 0);
    {
        uint8_t dump[128] __attribute__((aligned(4)));
        struct dump_state st = { 0 };

        req = ctl_client_msg_start(dump, &cl.flow, OVS_FLOW_CMD_GET, ifindex);
        mnl_attr_put_u16(req, OVS_FLOW_ATTR_UFID_FLAGS, 1);
        assert_int_equal(ctl_client_dump(cl.c, req, dump_cb, &st, &last_err),
                         -EINVAL);
        assert_non_null(strstr(last_err.msg, "OVS_FLOW_ATTR_UFID_FLAGS"));
    }
    ctl_client_close(cl.c);
}

/* ---------------------------------------------------------------- packets */

static void
test_packet_execute(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    uint8_t buf[1024] __attribute__((aligned(4)));
    uint8_t frame[60];
    struct nlmsghdr *req;
    struct flow_key key = make_key(1);
    int ifindex = dp_new(&cl, fx->dp_name, 0);

    memset(frame, 0, sizeof frame);
    memcpy(frame, key.eth_dst, 6);
    memcpy(frame + 6, key.eth_src, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;           /* local experimental ethertype */

    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    expect_error(&cl, req, -EINVAL, "OVS_PACKET_ATTR_PACKET missing");
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    expect_error(&cl, req, -EINVAL, "OVS_PACKET_ATTR_KEY missing");
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    expect_error(&cl, req, -EINVAL, "OVS_PACKET_ATTR_ACTIONS missing");
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, 10, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    expect_error(&cl, req, -EINVAL, "OVS_PACKET_ATTR_PACKET: length 10");
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    mnl_attr_put_u32(req, OVS_PACKET_ATTR_MRU, 1500);
    expect_error(&cl, req, -EINVAL, "OVS_PACKET_ATTR_MRU");
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    {
        struct nlattr *nest = mnl_attr_nest_start(req,
                                                  OVS_PACKET_ATTR_ACTIONS);

        mnl_attr_put_u32(req, 250, 1);
        mnl_attr_nest_end(req, nest);
    }
    assert_true(transact(&cl, req, 0, NULL) < 0);
    assert_non_null(strstr(last_err.msg, "actions"));
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               999999);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    expect_error(&cl, req, -ENODEV, "dp_ifindex 999999");

    /* A good one: dropped by its empty action list, answered by the ACK. */
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_EXECUTE,
                               ifindex);
    mnl_attr_put(req, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_key(req, OVS_PACKET_ATTR_KEY, &key);
    put_actions(req, OVS_PACKET_ATTR_ACTIONS, DROP);
    mnl_attr_put(req, OVS_PACKET_ATTR_PROBE, 0, NULL);
    mnl_attr_put_u16(req, OVS_PACKET_ATTR_MRU, 1500);
    assert_int_equal(transact(&cl, req, 0, NULL), 0);

    /* MISS and ACTION are the datapath's to send. */
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_MISS, ifindex);
    expect_error(&cl, req, -EOPNOTSUPP, NULL);
    req = ctl_client_msg_start(buf, &cl.packet, OVS_PACKET_CMD_ACTION,
                               ifindex);
    expect_error(&cl, req, -EOPNOTSUPP, NULL);
    ctl_client_close(cl.c);
}

/* ---------------------------------------------------------------- xsw_ctl */

static char *
exec_ok(struct client *cl, int argc, const char *const *argv,
        enum xsw_ctl_format format, uint32_t expect_status)
{
    struct xsw_err err;
    uint32_t status = 99;
    char *text = NULL;

    if (ctl_client_exec(cl->c, argc, argv, format, &text, &status, &err)) {
        fail_msg("%s: %s", argv[0], err.msg);
    }
    if (status != expect_status) {
        fail_msg("%s: status %u, expected %u: %s", argv[0], status,
                 expect_status, text);
    }
    return text;
}

static void
test_xsw_ctl(void **state)
{
    struct fixture *fx = *state;
    struct client cl = client_open(fx);
    const char *argv[4];
    char *text;
    enum log_level saved = log_get_level();

    (void) dp_new(&cl, fx->dp_name, 0);

    argv[0] = "pmd-stats";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_non_null(strstr(text, "pmd thread worker 0:\n"));
    assert_non_null(strstr(text, "  packets received: "));
    assert_non_null(strstr(text, "  emc hits: "));
    assert_non_null(strstr(text, "  megaflow hits: "));
    assert_non_null(strstr(text, "  avg. subtable lookups per megaflow hit: "));
    assert_non_null(strstr(text, "  miss with success upcall: "));
    assert_non_null(strstr(text, "  miss with failed upcall: "));
    assert_non_null(strstr(text, "  rx queues: "));
    free(text);
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_JSON, 0);
    assert_true(!strncmp(text, "{\"workers\":[{\"worker\":0,", 24));
    assert_non_null(strstr(text, "\"rx_queues\":[]"));
    assert_int_equal(text[strlen(text) - 1], '}');
    free(text);
    argv[0] = "pmd-stats-clear";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    free(text);
    argv[0] = "pmd-stats";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_non_null(strstr(text, "  packets received: 0\n"));
    free(text);

    argv[0] = "upcall-stats";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_non_null(strstr(text, "upcall queues: 1"));
    assert_non_null(strstr(text, "  lost: "));
    assert_non_null(strstr(text, fx->dp_name));
    assert_non_null(strstr(text, "in-process"));
    free(text);
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_JSON, 0);
    assert_non_null(strstr(text, "\"datapaths\":[{\"name\":\""));
    free(text);

    argv[0] = "log-level";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_true(!strncmp(text, log_level_to_string(saved),
                         strlen(log_level_to_string(saved))));
    assert_string_equal(text + strlen(log_level_to_string(saved)), "\n");
    free(text);
    argv[1] = "debug";
    text = exec_ok(&cl, 2, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_string_equal(text, "debug\n");
    free(text);
    assert_int_equal(log_get_level(), LOG_LEVEL_DEBUG);
    argv[1] = "loud";
    text = exec_ok(&cl, 2, argv, XSW_CTL_FORMAT_TEXT, 2);
    assert_non_null(strstr(text, "unknown log level"));
    free(text);
    argv[1] = log_level_to_string(saved);
    text = exec_ok(&cl, 2, argv, XSW_CTL_FORMAT_JSON, 0);
    assert_non_null(strstr(text, "{\"level\":\""));
    free(text);
    argv[1] = "a";
    argv[2] = "b";
    text = exec_ok(&cl, 3, argv, XSW_CTL_FORMAT_TEXT, 2);
    assert_non_null(strstr(text, "usage: log-level [LEVEL]"));
    free(text);
    assert_int_equal(log_get_level(), saved);

    argv[0] = "version";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 0);
    assert_true(!strncmp(text, "xswd ", 5));
    free(text);
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_JSON, 0);
    assert_true(!strncmp(text, "{\"version\":\"", 12));
    free(text);

    argv[0] = "frobnicate";
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_TEXT, 2);
    assert_non_null(strstr(text, "unknown command \"frobnicate\""));
    assert_non_null(strstr(text, "  pmd-stats\n"));
    assert_non_null(strstr(text, "  log-level [LEVEL]\n"));
    assert_non_null(strstr(text, "  version\n"));
    free(text);
    text = exec_ok(&cl, 1, argv, XSW_CTL_FORMAT_JSON, 2);
    assert_non_null(strstr(text, "{\"error\":\"unknown command "));
    assert_non_null(strstr(text, "\"pmd-stats-clear\""));
    free(text);
    ctl_client_close(cl.c);
}

/* ---------------------------------------------------------------- main */

static int
group_setup(void **state)
{
    /* Datapaths come and go in every test: their info lines are noise. */
    log_set_level(LOG_LEVEL_WARN);
    snprintf(test_dir, sizeof test_dir, "/tmp/xsw-test-genl-XXXXXX");
    if (!mkdtemp(test_dir)) {
        return -1;
    }
    return 0;
}

static int
group_teardown(void **state)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_datapath),
        T(test_vport),
        T(test_flow_new_get_set_del),
        T(test_flow_ufid),
        T(test_flow_wildcard),
        T(test_flow_flush_and_notify),
        T(test_flow_dump_2000),
        T(test_flow_dump_disconnect),
        T(test_malformed),
        T(test_packet_execute),
        T(test_xsw_ctl),
    };

    return cmocka_run_group_tests_name("ovs_genl", tests, group_setup,
                                       group_teardown);
}
