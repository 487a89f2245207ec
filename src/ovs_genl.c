/* ovs_genl: the OVS datapath families on the control socket (see
 * ovs_genl.h for what a client sees). */
#include "ovs_genl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "classifier.h"
#include "ctl_server.h"
#include "datapath.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "ufid.h"

/* Features whose meaning xsw keeps (or that change nothing for it): an
 * unaligned last attribute in upcalls is fine with any reader, and several
 * upcall pids per vport collapse to the first. */
#define OVS_GENL_FEATURES (OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS)

/* ---------------------------------------------------------------- policies */

enum attr_kind {
    ATTR_IGNORE,            /* known, but of no use in a request */
    ATTR_U8,
    ATTR_U16,
    ATTR_U32,
    ATTR_U64,
    ATTR_FLAG,
    ATTR_NESTED,
    ATTR_NAME,              /* NUL-terminated, at most IFNAMSIZ - 1 chars */
    ATTR_EXACT,             /* exactly len bytes */
    ATTR_MIN,               /* at least len bytes */
    ATTR_U32_ARRAY,         /* one or more u32 */
};

struct attr_policy {
    const char *name;
    enum attr_kind kind;
    uint16_t len;
};

#define MAX_ATTRS 16        /* more than any OVS family's maxattr */

static const struct attr_policy dp_policy[] = {
    [OVS_DP_ATTR_NAME] = { "OVS_DP_ATTR_NAME", ATTR_NAME, 0 },
    [OVS_DP_ATTR_UPCALL_PID] = { "OVS_DP_ATTR_UPCALL_PID", ATTR_U32, 0 },
    [OVS_DP_ATTR_USER_FEATURES] = { "OVS_DP_ATTR_USER_FEATURES", ATTR_U32, 0 },
};

static const struct attr_policy vport_policy[] = {
    [OVS_VPORT_ATTR_PORT_NO] = { "OVS_VPORT_ATTR_PORT_NO", ATTR_U32, 0 },
    [OVS_VPORT_ATTR_TYPE] = { "OVS_VPORT_ATTR_TYPE", ATTR_U32, 0 },
    [OVS_VPORT_ATTR_NAME] = { "OVS_VPORT_ATTR_NAME", ATTR_NAME, 0 },
    [OVS_VPORT_ATTR_OPTIONS] = { "OVS_VPORT_ATTR_OPTIONS", ATTR_NESTED, 0 },
    [OVS_VPORT_ATTR_UPCALL_PID] = { "OVS_VPORT_ATTR_UPCALL_PID",
                                    ATTR_U32_ARRAY, 0 },
    [OVS_VPORT_ATTR_IFINDEX] = { "OVS_VPORT_ATTR_IFINDEX", ATTR_U32, 0 },
};

static const struct attr_policy flow_policy[] = {
    [OVS_FLOW_ATTR_KEY] = { "OVS_FLOW_ATTR_KEY", ATTR_NESTED, 0 },
    [OVS_FLOW_ATTR_ACTIONS] = { "OVS_FLOW_ATTR_ACTIONS", ATTR_NESTED, 0 },
    [OVS_FLOW_ATTR_CLEAR] = { "OVS_FLOW_ATTR_CLEAR", ATTR_FLAG, 0 },
    [OVS_FLOW_ATTR_MASK] = { "OVS_FLOW_ATTR_MASK", ATTR_NESTED, 0 },
    [OVS_FLOW_ATTR_PROBE] = { "OVS_FLOW_ATTR_PROBE", ATTR_FLAG, 0 },
    [OVS_FLOW_ATTR_UFID] = { "OVS_FLOW_ATTR_UFID", ATTR_EXACT, UFID_LEN },
    [OVS_FLOW_ATTR_UFID_FLAGS] = { "OVS_FLOW_ATTR_UFID_FLAGS", ATTR_U32, 0 },
};

static const struct attr_policy packet_policy[] = {
    [OVS_PACKET_ATTR_PACKET] = { "OVS_PACKET_ATTR_PACKET", ATTR_MIN, 14 },
    [OVS_PACKET_ATTR_KEY] = { "OVS_PACKET_ATTR_KEY", ATTR_NESTED, 0 },
    [OVS_PACKET_ATTR_ACTIONS] = { "OVS_PACKET_ATTR_ACTIONS", ATTR_NESTED, 0 },
    [OVS_PACKET_ATTR_PROBE] = { "OVS_PACKET_ATTR_PROBE", ATTR_FLAG, 0 },
    [OVS_PACKET_ATTR_MRU] = { "OVS_PACKET_ATTR_MRU", ATTR_U16, 0 },
    [OVS_PACKET_ATTR_HASH] = { "OVS_PACKET_ATTR_HASH", ATTR_U64, 0 },
};

#define N_POLICY(p) (sizeof (p) / sizeof (p)[0])

static int
check_attr(const struct attr_policy *pol, const struct nlattr *a,
           struct xsw_err *err)
{
    static const uint16_t fixed[] = {
        [ATTR_U8] = 1, [ATTR_U16] = 2, [ATTR_U32] = 4, [ATTR_U64] = 8,
    };
    uint16_t len = mnl_attr_get_payload_len(a);
    const char *p = mnl_attr_get_payload(a);

    switch (pol->kind) {
    case ATTR_IGNORE:
        return 0;
    case ATTR_U8:
    case ATTR_U16:
    case ATTR_U32:
    case ATTR_U64:
        if (len != fixed[pol->kind]) {
            return xsw_err_set(err, EINVAL, "%s: length %u, expected %u",
                               pol->name, len, fixed[pol->kind]);
        }
        return 0;
    case ATTR_FLAG:
        if (len) {
            return xsw_err_set(err, EINVAL, "%s: a flag has no payload "
                               "(length %u)", pol->name, len);
        }
        return 0;
    case ATTR_NESTED:
        if (len && len < MNL_ATTR_HDRLEN) {
            return xsw_err_set(err, EINVAL, "%s: length %u is too short for "
                               "nested attributes", pol->name, len);
        }
        return 0;
    case ATTR_NAME:
        if (!len || !memchr(p, '\0', len < IFNAMSIZ ? len : IFNAMSIZ)) {
            return xsw_err_set(err, EINVAL, "%s: not a NUL-terminated name "
                               "of at most %d characters", pol->name,
                               IFNAMSIZ - 1);
        }
        return 0;
    case ATTR_EXACT:
        if (len != pol->len) {
            return xsw_err_set(err, EINVAL, "%s: length %u, expected %u",
                               pol->name, len, pol->len);
        }
        return 0;
    case ATTR_MIN:
        if (len < pol->len) {
            return xsw_err_set(err, EINVAL, "%s: length %u, at least %u "
                               "expected", pol->name, len, pol->len);
        }
        return 0;
    case ATTR_U32_ARRAY:
        if (!len || len % 4) {
            return xsw_err_set(err, EINVAL, "%s: length %u is not a "
                               "non-empty array of u32", pol->name, len);
        }
        return 0;
    }
    return 0;
}

/* Fills tb[type] with the request's attributes (the last of a type counts),
 * each checked against policy; framing was checked by ctl_server. */
static int
parse_attrs(const struct ctl_server_request *req,
            const struct attr_policy *policy, size_t n_policy,
            const struct nlattr *tb[MAX_ATTRS], struct xsw_err *err)
{
    const struct nlattr *attr;

    memset(tb, 0, MAX_ATTRS * sizeof tb[0]);
    mnl_attr_for_each_payload(req->attrs, req->attrs_len) {
        uint16_t type = mnl_attr_get_type(attr);
        int error;

        if (type >= n_policy || !policy[type].name) {
            continue;
        }
        error = check_attr(&policy[type], attr, err);
        if (error) {
            return error;
        }
        tb[type] = attr;
    }
    return 0;
}

static const void *
attr_data(const struct nlattr *a, size_t *len)
{
    *len = a ? mnl_attr_get_payload_len(a) : 0;
    return a ? mnl_attr_get_payload(a) : NULL;
}

/* ---------------------------------------------------------------- replies */

/* mnl_attr_nest_start() marks the nest NLA_F_NESTED; the kernel's OVS
 * families never do, and clients compare whole messages. */
static struct nlattr *
nest_start(struct nlmsghdr *nlh, size_t room, uint16_t type)
{
    struct nlattr *nest = mnl_attr_nest_start_check(nlh, room, type);

    if (nest) {
        nest->nla_type &= ~NLA_F_NESTED;
    }
    return nest;
}

/* Delivers a message built (not committed) at nlh in reply that describes a
 * change, as genl_notify() does: to the group, and to the requester only if
 * it asked with NLM_F_ECHO (then not twice). */
static int
notify(const struct ctl_server_request *req, struct ctl_server_reply *reply,
       struct nlmsghdr *nlh, uint32_t group)
{
    bool echo = req->flags & NLM_F_ECHO;

    (void) ctl_server_multicast_except(req->server, req->family, group,
                                       echo ? req->pid : 0, nlh,
                                       nlh->nlmsg_len);
    if (echo) {
        return ctl_server_reply_end(reply, nlh);
    }
    ctl_server_reply_cancel(reply, nlh);
    return 0;
}

static int
too_big(struct xsw_err *err, const char *what)
{
    return xsw_err_set(err, EMSGSIZE, "%s does not fit in a reply", what);
}

/* ---------------------------------------------------------------- datapaths */

static struct datapath *
find_dp_by_ifindex(struct dp_switch *sw, int dp_ifindex, struct xsw_err *err)
{
    struct datapath *dp = dp_find_by_ifindex(sw, dp_ifindex);

    if (!dp) {
        if (dp_ifindex) {
            xsw_err_set(err, ENODEV, "no datapath with dp_ifindex %d",
                        dp_ifindex);
        } else {
            xsw_err_set(err, ENODEV, "no datapath given: dp_ifindex is 0");
        }
    }
    return dp;
}

/* lookup_datapath(): by name if given, else by the header's dp_ifindex. */
static struct datapath *
find_dp(struct dp_switch *sw, const struct ctl_server_request *req,
        const struct nlattr *name, struct xsw_err *err)
{
    struct datapath *dp;

    if (!name) {
        return find_dp_by_ifindex(sw, req->dp_ifindex, err);
    }
    dp = dp_find_by_name(sw, mnl_attr_get_str(name));
    if (!dp) {
        xsw_err_set(err, ENODEV, "datapath %s does not exist",
                    mnl_attr_get_str(name));
    }
    return dp;
}

/* The common start of a datapath command that names an existing datapath:
 * its attributes checked, the datapath found (-ENODEV, with err, if not). */
static int
dp_req_parse(struct dp_switch *sw, const struct ctl_server_request *req,
             const struct nlattr **tb, struct datapath **dpp, struct xsw_err *err)
{
    int error = parse_attrs(req, dp_policy, N_POLICY(dp_policy), tb, err);

    if (error) {
        return error;
    }
    *dpp = find_dp(sw, req, tb[OVS_DP_ATTR_NAME], err);
    return *dpp ? 0 : -ENODEV;
}

/* Starts a datapath message; the caller commits or notifies it. */
static struct nlmsghdr *
dp_msg(struct ctl_server_reply *reply, struct datapath *dp, uint8_t cmd)
{
    struct nlmsghdr *nlh = ctl_server_reply_start(reply, cmd, dp_ifindex(dp));
    struct ovs_dp_megaflow_stats ms;
    struct ovs_dp_stats ds;
    struct dp_stats st;
    size_t room;

    if (!nlh) {
        return NULL;
    }
    room = ctl_server_reply_room(reply, nlh);
    dp_get_stats(dp, &st);
    memset(&ds, 0, sizeof ds);
    ds.n_hit = st.n_hit;
    ds.n_missed = st.n_missed;
    ds.n_lost = st.n_lost;
    ds.n_flows = st.n_flows;
    memset(&ms, 0, sizeof ms);
    ms.n_mask_hit = st.n_mask_hit;
    ms.n_masks = st.n_masks;
    if (!mnl_attr_put_strz_check(nlh, room, OVS_DP_ATTR_NAME, dp_name(dp))
        || !mnl_attr_put_check(nlh, room, OVS_DP_ATTR_STATS, sizeof ds, &ds)
        || !mnl_attr_put_check(nlh, room, OVS_DP_ATTR_MEGAFLOW_STATS,
                               sizeof ms, &ms)
        || !mnl_attr_put_u32_check(nlh, room, OVS_DP_ATTR_USER_FEATURES,
                                   dp_user_features(dp))) {
        ctl_server_reply_cancel(reply, nlh);
        return NULL;
    }
    return nlh;
}

static int
check_features(const struct nlattr *a, uint32_t *features, struct xsw_err *err)
{
    *features = a ? mnl_attr_get_u32(a) : 0;
    if (*features & ~OVS_GENL_FEATURES) {
        return xsw_err_set(err, EOPNOTSUPP, "OVS_DP_ATTR_USER_FEATURES: "
                           "features 0x%x are not supported",
                           *features & ~OVS_GENL_FEATURES);
    }
    return 0;
}

static int
dp_cmd_new(void *sw_, const struct ctl_server_request *req,
           struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct dp_switch *sw = sw_;
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct datapath *dp;
    uint32_t features;
    const char *name;
    int error;

    error = parse_attrs(req, dp_policy, N_POLICY(dp_policy), tb, err);
    if (error) {
        return error;
    }
    if (!tb[OVS_DP_ATTR_NAME]) {
        return xsw_err_set(err, EINVAL, "OVS_DP_ATTR_NAME missing");
    }
    name = mnl_attr_get_str(tb[OVS_DP_ATTR_NAME]);
    error = check_features(tb[OVS_DP_ATTR_USER_FEATURES], &features, err);
    if (error) {
        return error;
    }
    error = dp_create(sw, name, true,
                      tb[OVS_DP_ATTR_UPCALL_PID]
                      ? mnl_attr_get_u32(tb[OVS_DP_ATTR_UPCALL_PID]) : 0,
                      &dp, err);
    if (error) {
        if (error == -EEXIST && req->version < OVS_DP_VER_FEATURES) {
            /* A client from before user features is about to reuse the
             * datapath: what a newer one announced no longer holds. */
            dp = dp_find_by_name(sw, name);
            if (dp) {
                dp_set_user_features(dp, 0);
            }
        }
        return error;
    }
    dp_set_user_features(dp, features);
    nlh = dp_msg(reply, dp, OVS_DP_CMD_NEW);
    if (!nlh) {
        return too_big(err, "datapath");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_DATAPATH);
}

static int
dp_cmd_del(void *sw_, const struct ctl_server_request *req,
           struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct datapath *dp;
    int error;

    error = dp_req_parse(sw_, req, tb, &dp, err);
    if (error) {
        return error;
    }
    /* The last word on the datapath, stats included, before it goes. */
    nlh = dp_msg(reply, dp, OVS_DP_CMD_DEL);
    if (!nlh) {
        return too_big(err, "datapath");
    }
    dp_destroy(dp);
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_DATAPATH);
}

static int
dp_cmd_get(void *sw_, const struct ctl_server_request *req,
           struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct datapath *dp;
    int error;

    error = dp_req_parse(sw_, req, tb, &dp, err);
    if (error) {
        return error;
    }
    nlh = dp_msg(reply, dp, OVS_DP_CMD_GET);
    if (!nlh) {
        return too_big(err, "datapath");
    }
    return ctl_server_reply_end(reply, nlh);
}

/* cursor[0]: how many datapaths were sent (creation order, as the kernel's
 * list: one deleted meanwhile may shift the rest by one). */
static int
dp_cmd_dump(void *sw_, const struct ctl_server_request *req,
            uint64_t cursor[4], struct ctl_server_reply *reply,
            struct xsw_err *err)
{
    struct dp_switch *sw = sw_;
    struct datapath *dp = dp_next(sw, NULL);

    (void) req;
    (void) err;
    for (uint64_t i = 0; dp; dp = dp_next(sw, dp), i++) {
        struct nlmsghdr *nlh;

        if (i < cursor[0]) {
            continue;
        }
        nlh = dp_msg(reply, dp, OVS_DP_CMD_GET);
        if (!nlh || ctl_server_reply_end(reply, nlh) < 0) {
            return 1;
        }
        cursor[0] = i + 1;
    }
    return 0;
}

static int
dp_cmd_set(void *sw_, const struct ctl_server_request *req,
           struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct datapath *dp;
    uint32_t features;
    int error;

    error = dp_req_parse(sw_, req, tb, &dp, err);
    if (error) {
        return error;
    }
    error = check_features(tb[OVS_DP_ATTR_USER_FEATURES], &features, err);
    if (error) {
        return error;
    }
    if (tb[OVS_DP_ATTR_UPCALL_PID]) {
        dp_set_upcall_pid(dp, mnl_attr_get_u32(tb[OVS_DP_ATTR_UPCALL_PID]));
    }
    dp_set_user_features(dp, features);
    nlh = dp_msg(reply, dp, OVS_DP_CMD_SET);
    if (!nlh) {
        return too_big(err, "datapath");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_DATAPATH);
}

/* ---------------------------------------------------------------- vports */

static int
put_vport_options(struct nlmsghdr *nlh, size_t room,
                  const struct dp_vport_info *info)
{
    const struct port_xsk_info *x = &info->xsk;
    struct nlattr *nest;

    if (info->type != DP_VPORT_AFXDP) {
        return 0;
    }
    nest = nest_start(nlh, room, OVS_VPORT_ATTR_OPTIONS);
    if (!nest
        || !mnl_attr_put_strz_check(nlh, room, XSW_VPORT_OPT_XDP_MODE,
                                    port_xsk_xdp_mode_name(x->xdp_mode))
        || !mnl_attr_put_u32_check(nlh, room, XSW_VPORT_OPT_QUEUES,
                                   x->n_queues)
        || !mnl_attr_put_u32_check(nlh, room, XSW_VPORT_OPT_ZEROCOPY_QUEUES,
                                   x->n_zerocopy)
        || !mnl_attr_put_u8_check(nlh, room, XSW_VPORT_OPT_DISPATCHER,
                                  x->dispatcher)
        || !mnl_attr_put_u32_check(nlh, room, XSW_VPORT_OPT_IFINDEX,
                                   (uint32_t) x->ifindex)
        || !mnl_attr_put_u32_check(nlh, room, XSW_VPORT_OPT_DEV_QUEUES,
                                   x->n_dev_queues)) {
        return -EMSGSIZE;
    }
    mnl_attr_nest_end(nlh, nest);
    return 0;
}

/* Starts a vport message (ovs_vport_cmd_fill_info()'s attributes and
 * order); the caller commits or notifies it. */
static struct nlmsghdr *
vport_msg(struct ctl_server_reply *reply, const struct vport *vp, uint8_t cmd)
{
    struct datapath *dp = dp_port_datapath(vp);
    struct ovs_vport_stats os;
    struct dp_vport_stats st;
    struct dp_vport_info info;
    struct nlmsghdr *nlh;
    uint32_t pid;
    size_t room;

    nlh = ctl_server_reply_start(reply, cmd, dp_ifindex(dp));
    if (!nlh) {
        return NULL;
    }
    room = ctl_server_reply_room(reply, nlh);
    dp_port_get_info(vp, &info);
    dp_port_get_stats(vp, &st);
    memset(&os, 0, sizeof os);
    os.rx_packets = st.rx_packets;
    os.tx_packets = st.tx_packets;
    os.rx_bytes = st.rx_bytes;
    os.tx_bytes = st.tx_bytes;
    os.rx_errors = st.rx_errors;
    os.tx_errors = st.tx_errors;
    os.rx_dropped = st.rx_dropped;
    os.tx_dropped = st.tx_dropped;
    /* In the kernel the datapath's upcall pid is port 0's. */
    pid = info.upcall_pid;
    if (!pid && info.port_no == DP_LOCAL_PORT) {
        pid = dp_upcall_pid(dp);
    }
    if (!mnl_attr_put_u32_check(nlh, room, OVS_VPORT_ATTR_PORT_NO,
                                info.port_no)
        || !mnl_attr_put_u32_check(nlh, room, OVS_VPORT_ATTR_TYPE,
                                   info.type == DP_VPORT_INTERNAL
                                   ? OVS_VPORT_TYPE_INTERNAL
                                   : OVS_VPORT_TYPE_NETDEV)
        || !mnl_attr_put_strz_check(nlh, room, OVS_VPORT_ATTR_NAME, info.name)
        || !mnl_attr_put_u32_check(nlh, room, OVS_VPORT_ATTR_IFINDEX,
                                   (uint32_t) info.ifindex)
        || !mnl_attr_put_check(nlh, room, OVS_VPORT_ATTR_STATS, sizeof os, &os)
        || !mnl_attr_put_u32_check(nlh, room, OVS_VPORT_ATTR_UPCALL_PID, pid)
        || put_vport_options(nlh, room, &info) < 0) {
        ctl_server_reply_cancel(reply, nlh);
        return NULL;
    }
    return nlh;
}

/* lookup_vport(): by name (within the header's datapath, if one is given),
 * else by the header's datapath and a port number. */
static struct vport *
find_vport(struct dp_switch *sw, const struct ctl_server_request *req,
           const struct nlattr *tb[MAX_ATTRS], int *error,
           struct xsw_err *err)
{
    struct datapath *dp;
    struct vport *vp;
    uint32_t port_no;

    if (tb[OVS_VPORT_ATTR_IFINDEX]) {
        *error = xsw_err_set(err, EOPNOTSUPP, "OVS_VPORT_ATTR_IFINDEX: vports "
                             "are not looked up by ifindex");
        return NULL;
    }
    if (tb[OVS_VPORT_ATTR_NAME]) {
        const char *name = mnl_attr_get_str(tb[OVS_VPORT_ATTR_NAME]);

        vp = dp_port_find_by_name(sw, name, &dp);
        if (!vp) {
            *error = xsw_err_set(err, ENODEV, "vport %s does not exist", name);
            return NULL;
        }
        if (req->dp_ifindex && req->dp_ifindex != dp_ifindex(dp)) {
            *error = xsw_err_set(err, ENODEV, "vport %s is in datapath %s, "
                                 "not in the one with dp_ifindex %d", name,
                                 dp_name(dp), req->dp_ifindex);
            return NULL;
        }
        return vp;
    }
    if (!tb[OVS_VPORT_ATTR_PORT_NO]) {
        *error = xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_NAME or "
                             "OVS_VPORT_ATTR_PORT_NO missing");
        return NULL;
    }
    port_no = mnl_attr_get_u32(tb[OVS_VPORT_ATTR_PORT_NO]);
    if (port_no >= DP_MAX_PORTS) {
        *error = xsw_err_set(err, EFBIG, "OVS_VPORT_ATTR_PORT_NO: %u is not "
                             "below %d", port_no, DP_MAX_PORTS);
        return NULL;
    }
    dp = find_dp_by_ifindex(sw, req->dp_ifindex, err);
    if (!dp) {
        *error = -ENODEV;
        return NULL;
    }
    vp = dp_port_find(dp, port_no);
    if (!vp) {
        *error = xsw_err_set(err, ENODEV, "datapath %s has no port %u",
                             dp_name(dp), port_no);
    }
    return vp;
}

static int
opt_string(const struct nlattr *a, const char *what, const char *const *names,
           const char **value, struct xsw_err *err)
{
    uint16_t len = mnl_attr_get_payload_len(a);
    const char *s = mnl_attr_get_payload(a);

    if (!len || !memchr(s, '\0', len)) {
        return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: %s: not a "
                           "NUL-terminated string", what);
    }
    for (int i = 0; names[i]; i++) {
        if (!strcmp(s, names[i])) {
            *value = names[i];
            return i;
        }
    }
    return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: %s: \"%s\", "
                       "expected %s, %s or %s", what, s, names[0], names[1],
                       names[2]);
}

/* XSW_VPORT_OPT_* of a NEW request into cfg. */
static int
parse_vport_options(const struct nlattr *opts, struct dp_port_config *cfg,
                    struct xsw_err *err)
{
    static const char *const xdp_modes[] = { "auto", "native", "skb", NULL };
    static const char *const zc_modes[] = { "auto", "yes", "no", NULL };
    static const enum port_xsk_xdp_mode xdp_vals[] = {
        PORT_XSK_XDP_AUTO, PORT_XSK_XDP_NATIVE, PORT_XSK_XDP_SKB,
    };
    static const enum port_xsk_bind_mode zc_vals[] = {
        PORT_XSK_BIND_AUTO, PORT_XSK_BIND_ZEROCOPY, PORT_XSK_BIND_COPY,
    };
    const uint8_t *p = mnl_attr_get_payload(opts);
    size_t len = mnl_attr_get_payload_len(opts);
    size_t off = 0;

    while (len - off >= MNL_ATTR_HDRLEN) {
        const struct nlattr *a = (const struct nlattr *) (p + off);
        const char *value;
        int i;

        if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - off) {
            return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: "
                               "malformed attribute at offset %zu", off);
        }
        switch (mnl_attr_get_type(a)) {
        case XSW_VPORT_OPT_XDP_MODE:
            i = opt_string(a, "XSW_VPORT_OPT_XDP_MODE", xdp_modes, &value, err);
            if (i < 0) {
                return i;
            }
            cfg->xdp_mode = xdp_vals[i];
            break;
        case XSW_VPORT_OPT_ZERO_COPY:
            i = opt_string(a, "XSW_VPORT_OPT_ZERO_COPY", zc_modes, &value, err);
            if (i < 0) {
                return i;
            }
            cfg->bind_mode = zc_vals[i];
            break;
        case XSW_VPORT_OPT_QUEUES:
            if (mnl_attr_get_payload_len(a) != sizeof(uint32_t)) {
                return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: "
                                   "XSW_VPORT_OPT_QUEUES: length %u, "
                                   "expected 4", mnl_attr_get_payload_len(a));
            }
            cfg->n_queues = mnl_attr_get_u32(a);
            break;
        default:
            return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: option "
                               "type %u is not one a new port takes",
                               mnl_attr_get_type(a));
        }
        off += MNL_ALIGN(a->nla_len);
    }
    if (off < len) {
        return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_OPTIONS: %zu stray "
                           "bytes at the end", len - off);
    }
    return 0;
}

static const char *
vport_type_name(uint32_t type)
{
    switch (type) {
    case OVS_VPORT_TYPE_NETDEV: return "netdev";
    case OVS_VPORT_TYPE_INTERNAL: return "internal";
    case OVS_VPORT_TYPE_GRE: return "gre";
    case OVS_VPORT_TYPE_VXLAN: return "vxlan";
    case OVS_VPORT_TYPE_GENEVE: return "geneve";
    default: return "unknown";
    }
}

static int
vport_cmd_new(void *sw_, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct dp_switch *sw = sw_;
    const struct nlattr *tb[MAX_ATTRS];
    struct dp_port_config cfg;
    struct nlmsghdr *nlh;
    struct datapath *dp;
    struct vport *vp;
    uint32_t type;
    int error;

    error = parse_attrs(req, vport_policy, N_POLICY(vport_policy), tb, err);
    if (error) {
        return error;
    }
    if (!tb[OVS_VPORT_ATTR_NAME]) {
        return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_NAME missing");
    }
    if (!tb[OVS_VPORT_ATTR_TYPE]) {
        return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_TYPE missing");
    }
    if (tb[OVS_VPORT_ATTR_IFINDEX]) {
        return xsw_err_set(err, EOPNOTSUPP, "OVS_VPORT_ATTR_IFINDEX: a new "
                           "vport cannot choose its ifindex");
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.devname = mnl_attr_get_str(tb[OVS_VPORT_ATTR_NAME]);
    type = mnl_attr_get_u32(tb[OVS_VPORT_ATTR_TYPE]);
    if (type == OVS_VPORT_TYPE_INTERNAL) {
        return xsw_err_set(err, EOPNOTSUPP, "%s: internal vports are not "
                           "supported: the only one is port 0, the datapath's "
                           "own, made with the datapath", cfg.devname);
    }
    if (type != OVS_VPORT_TYPE_NETDEV) {
        return xsw_err_set(err, EOPNOTSUPP, "%s: vport type %u (%s) is not "
                           "supported: xsw ports are netdev ports (AF_XDP)",
                           cfg.devname, type, vport_type_name(type));
    }
    if (tb[OVS_VPORT_ATTR_PORT_NO]) {
        cfg.port_no = mnl_attr_get_u32(tb[OVS_VPORT_ATTR_PORT_NO]);
        if (cfg.port_no >= DP_MAX_PORTS) {
            return xsw_err_set(err, EFBIG, "OVS_VPORT_ATTR_PORT_NO: %u is "
                               "not below %d", cfg.port_no, DP_MAX_PORTS);
        }
    }
    if (tb[OVS_VPORT_ATTR_UPCALL_PID]) {
        cfg.upcall_pid = mnl_attr_get_u32(tb[OVS_VPORT_ATTR_UPCALL_PID]);
    }
    if (tb[OVS_VPORT_ATTR_OPTIONS]) {
        error = parse_vport_options(tb[OVS_VPORT_ATTR_OPTIONS], &cfg, err);
        if (error) {
            return error;
        }
    }
    dp = find_dp_by_ifindex(sw, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }
    if (cfg.port_no) {
        vp = dp_port_find(dp, cfg.port_no);
        if (vp) {
            struct dp_vport_info info;

            dp_port_get_info(vp, &info);
            return xsw_err_set(err, EBUSY, "%s: port %u of datapath %s is "
                               "taken by %s", cfg.devname, cfg.port_no,
                               dp_name(dp), info.name);
        }
    }
    error = dp_port_add(dp, &cfg, &vp, err);
    if (error) {
        return error;
    }
    nlh = vport_msg(reply, vp, OVS_VPORT_CMD_NEW);
    if (!nlh) {
        return too_big(err, "vport");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_VPORT);
}

static int
vport_cmd_del(void *sw_, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct vport *vp;
    int error;

    error = parse_attrs(req, vport_policy, N_POLICY(vport_policy), tb, err);
    if (error) {
        return error;
    }
    vp = find_vport(sw_, req, tb, &error, err);
    if (!vp) {
        return error;
    }
    if (vp == dp_port_find(dp_port_datapath(vp), DP_LOCAL_PORT)) {
        return xsw_err_set(err, EINVAL, "port 0 is the datapath's internal "
                           "port: it goes with the datapath");
    }
    nlh = vport_msg(reply, vp, OVS_VPORT_CMD_DEL);
    if (!nlh) {
        return too_big(err, "vport");
    }
    dp_port_del(vp);
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_VPORT);
}

static int
vport_cmd_get(void *sw_, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct nlmsghdr *nlh;
    struct vport *vp;
    int error;

    error = parse_attrs(req, vport_policy, N_POLICY(vport_policy), tb, err);
    if (error) {
        return error;
    }
    vp = find_vport(sw_, req, tb, &error, err);
    if (!vp) {
        return error;
    }
    nlh = vport_msg(reply, vp, OVS_VPORT_CMD_GET);
    if (!nlh) {
        return too_big(err, "vport");
    }
    return ctl_server_reply_end(reply, nlh);
}

/* cursor[0]: the port number to go on from. */
static int
vport_cmd_dump(void *sw_, const struct ctl_server_request *req,
               uint64_t cursor[4], struct ctl_server_reply *reply,
               struct xsw_err *err)
{
    struct datapath *dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);

    if (!dp) {
        return -ENODEV;
    }
    for (; cursor[0] < DP_MAX_PORTS; cursor[0]++) {
        struct vport *vp = dp_port_find(dp, (uint32_t) cursor[0]);
        struct nlmsghdr *nlh;

        if (!vp) {
            continue;
        }
        nlh = vport_msg(reply, vp, OVS_VPORT_CMD_GET);
        if (!nlh || ctl_server_reply_end(reply, nlh) < 0) {
            return 1;
        }
    }
    return 0;
}

static int
vport_cmd_set(void *sw_, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    struct dp_vport_info info;
    struct nlmsghdr *nlh;
    struct vport *vp;
    uint32_t type;
    int error;

    error = parse_attrs(req, vport_policy, N_POLICY(vport_policy), tb, err);
    if (error) {
        return error;
    }
    vp = find_vport(sw_, req, tb, &error, err);
    if (!vp) {
        return error;
    }
    dp_port_get_info(vp, &info);
    type = info.type == DP_VPORT_INTERNAL ? OVS_VPORT_TYPE_INTERNAL
                                          : OVS_VPORT_TYPE_NETDEV;
    if (tb[OVS_VPORT_ATTR_TYPE]
        && mnl_attr_get_u32(tb[OVS_VPORT_ATTR_TYPE]) != type) {
        return xsw_err_set(err, EINVAL, "OVS_VPORT_ATTR_TYPE: %u, but %s is "
                           "of type %u (%s)",
                           mnl_attr_get_u32(tb[OVS_VPORT_ATTR_TYPE]),
                           info.name, type, vport_type_name(type));
    }
    if (tb[OVS_VPORT_ATTR_OPTIONS]) {
        return xsw_err_set(err, EOPNOTSUPP, "OVS_VPORT_ATTR_OPTIONS: the "
                           "options of port %s cannot change while it is "
                           "attached; delete it and add it again", info.name);
    }
    if (tb[OVS_VPORT_ATTR_UPCALL_PID]) {
        dp_port_set_upcall_pid(vp,
                               mnl_attr_get_u32(tb[OVS_VPORT_ATTR_UPCALL_PID]));
    }
    nlh = vport_msg(reply, vp, OVS_VPORT_CMD_SET);
    if (!nlh) {
        return too_big(err, "vport");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_VPORT);
}

/* ---------------------------------------------------------------- flows */

/* What a flow request names and how replies should look. */
struct flow_req {
    const struct nlattr *tb[MAX_ATTRS];
    struct ufid ufid;
    bool has_ufid;
    uint32_t ufid_flags;
};

static int
parse_flow_req(const struct ctl_server_request *req, struct flow_req *fr,
               struct xsw_err *err)
{
    int error = parse_attrs(req, flow_policy, N_POLICY(flow_policy), fr->tb,
                            err);

    if (error) {
        return error;
    }
    fr->has_ufid = fr->tb[OVS_FLOW_ATTR_UFID] != NULL;
    if (fr->has_ufid) {
        memcpy(&fr->ufid, mnl_attr_get_payload(fr->tb[OVS_FLOW_ATTR_UFID]),
               sizeof fr->ufid);
    }
    fr->ufid_flags = fr->tb[OVS_FLOW_ATTR_UFID_FLAGS]
                     ? mnl_attr_get_u32(fr->tb[OVS_FLOW_ATTR_UFID_FLAGS]) : 0;
    return 0;
}

static int
parse_key(const struct nlattr *a, const char *name, struct flow_key *key,
          struct odp_key_info *info, struct xsw_err *err)
{
    size_t len;
    const void *data = attr_data(a, &len);
    int error = odp_key_parse(data, len, key, info, err);

    if (error) {
        xsw_err_prefix(err, name);
    }
    return error;
}

/* The flow's identifier, key and mask: ovs_flow_cmd_fill_info() up to its
 * statistics. */
static int
put_flow_match(struct nlmsghdr *nlh, size_t room,
               const struct classifier_flow *flow, uint32_t ufid_flags)
{
    const struct ufid *ufid = classifier_flow_ufid(flow);
    struct nlattr *nest;

    if (ufid) {
        if (!mnl_attr_put_check(nlh, room, OVS_FLOW_ATTR_UFID, sizeof *ufid,
                                ufid)) {
            return -EMSGSIZE;
        }
    }
    /* Without a UFID the key is the identifier, never left out. */
    if (!ufid || !(ufid_flags & OVS_UFID_F_OMIT_KEY)) {
        nest = nest_start(nlh, room, OVS_FLOW_ATTR_KEY);
        if (!nest || dp_flow_key_nl(flow, nlh, room) < 0) {
            return -EMSGSIZE;
        }
        mnl_attr_nest_end(nlh, nest);
    }
    if (!(ufid_flags & OVS_UFID_F_OMIT_MASK)) {
        nest = nest_start(nlh, room, OVS_FLOW_ATTR_MASK);
        if (!nest || dp_flow_mask_nl(flow, nlh, room) < 0) {
            return -EMSGSIZE;
        }
        mnl_attr_nest_end(nlh, nest);
    }
    return 0;
}

/* The rest: statistics (each left out when zero, as the kernel does) and
 * actions.  alone: the message has a datagram of its own, so actions that
 * do not fit are left out rather than failing. */
static int
put_flow_rest(struct nlmsghdr *nlh, size_t room,
              const struct classifier_stats *st, const void *actions,
              size_t actions_len, uint32_t ufid_flags, bool alone)
{
    if (st->used_ns
        && !mnl_attr_put_u64_check(nlh, room, OVS_FLOW_ATTR_USED,
                                   st->used_ns / 1000000)) {
        return -EMSGSIZE;
    }
    if (st->packets) {
        struct ovs_flow_stats fs = { st->packets, st->bytes };

        if (!mnl_attr_put_check(nlh, room, OVS_FLOW_ATTR_STATS, sizeof fs,
                                &fs)) {
            return -EMSGSIZE;
        }
    }
    if ((uint8_t) st->tcp_flags
        && !mnl_attr_put_u8_check(nlh, room, OVS_FLOW_ATTR_TCP_FLAGS,
                                  (uint8_t) st->tcp_flags)) {
        return -EMSGSIZE;
    }
    if (!(ufid_flags & OVS_UFID_F_OMIT_ACTIONS)
        && !mnl_attr_put_check(nlh, room, OVS_FLOW_ATTR_ACTIONS, actions_len,
                               actions)
        && !alone) {
        return -EMSGSIZE;
    }
    return 0;
}

static bool
reply_alone(const struct ctl_server_reply *reply, const struct nlmsghdr *nlh)
{
    return ctl_server_reply_count(reply) == 0
           && ctl_server_reply_room(reply, nlh) >= CTL_MSG_MAX;
}

/* Starts a flow message with the flow's current statistics (or *st). */
static struct nlmsghdr *
flow_msg(struct ctl_server_reply *reply, struct datapath *dp,
         const struct classifier_flow *flow, const struct classifier_stats *st,
         uint32_t ufid_flags, uint8_t cmd)
{
    struct nlmsghdr *nlh = ctl_server_reply_start(reply, cmd, dp_ifindex(dp));
    const struct classifier_actions *acts = classifier_flow_actions(flow);
    struct classifier_stats now;
    size_t room;

    if (!nlh) {
        return NULL;
    }
    room = ctl_server_reply_room(reply, nlh);
    if (!st) {
        classifier_flow_get_stats(flow, &now);
        st = &now;
    }
    if (put_flow_match(nlh, room, flow, ufid_flags) < 0
        || put_flow_rest(nlh, room, st, acts ? acts->data : NULL,
                         acts ? acts->len : 0, ufid_flags,
                         reply_alone(reply, nlh)) < 0) {
        ctl_server_reply_cancel(reply, nlh);
        return NULL;
    }
    return nlh;
}

/* The flow a GET, SET or DEL names (see ovs_genl.h). */
static int
find_flow(struct datapath *dp, const struct flow_req *fr,
          const struct nlattr *mask_attr, struct classifier_flow **flowp,
          struct xsw_err *err)
{
    struct classifier *cls = dp_classifier(dp);
    const struct nlattr *key_attr = fr->tb[OVS_FLOW_ATTR_KEY];
    struct classifier_flow *f;
    struct odp_key_info info;
    struct flow_key key;
    size_t key_len, mask_len;
    const void *key_nl, *mask_nl;
    int error;

    *flowp = NULL;
    if (fr->has_ufid) {
        f = classifier_get_by_ufid(cls, &fr->ufid);
        if (!f) {
            char s[UFID_STRLEN];

            ufid_to_string(&fr->ufid, s);
            return xsw_err_set(err, ENOENT, "no flow %s in datapath %s", s,
                               dp_name(dp));
        }
        *flowp = f;
        return 0;
    }
    error = parse_key(key_attr, "OVS_FLOW_ATTR_KEY", &key, &info, err);
    if (error) {
        return error;
    }
    key_nl = attr_data(key_attr, &key_len);
    if (mask_attr) {
        mask_nl = attr_data(mask_attr, &mask_len);
        if (!dp_flow_find(dp, key_nl, key_len, mask_nl, mask_len, NULL, &f,
                          NULL)) {
            *flowp = f;
            return 0;
        }
    }
    /* The kernel compares the unmasked key with that of flows of every
     * mask; here the flow the key matches is the candidate. */
    f = classifier_get_by_key(cls, &key, NULL);
    if (f) {
        const struct flow_key *masked = classifier_flow_key(f);
        size_t put_len;
        const void *put_nl = classifier_flow_key_nl(f, &put_len);
        struct flow_key put_key;

        if (!memcmp(masked, &key, sizeof key)
            || (put_len
                && !odp_key_parse(put_nl, put_len, &put_key, NULL, NULL)
                && !memcmp(&put_key, &key, sizeof key))) {
            *flowp = f;
            return 0;
        }
    }
    if (!dp_flow_find(dp, key_nl, key_len, NULL, 0, NULL, &f, NULL)) {
        *flowp = f;
        return 0;
    }
    return xsw_err_set(err, ENOENT, "no flow with this key in datapath %s",
                       dp_name(dp));
}

static int
flow_cmd_new(void *sw_, const struct ctl_server_request *req,
             struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct classifier_put_result res;
    struct classifier_flow *existing;
    const struct nlattr *key_attr, *mask_attr, *actions_attr;
    struct odp_key_info info;
    struct flow_key key, masked;
    struct flow_mask mask;
    struct dp_flow_put put;
    struct flow_req fr;
    struct nlmsghdr *nlh;
    struct datapath *dp;
    size_t len;
    const void *data;
    int error;

    error = parse_flow_req(req, &fr, err);
    if (error) {
        return error;
    }
    key_attr = fr.tb[OVS_FLOW_ATTR_KEY];
    mask_attr = fr.tb[OVS_FLOW_ATTR_MASK];
    actions_attr = fr.tb[OVS_FLOW_ATTR_ACTIONS];
    if (!key_attr) {
        return xsw_err_set(err, EINVAL, "OVS_FLOW_ATTR_KEY missing");
    }
    if (!actions_attr) {
        return xsw_err_set(err, EINVAL, "OVS_FLOW_ATTR_ACTIONS missing");
    }
    error = parse_key(key_attr, "OVS_FLOW_ATTR_KEY", &key, &info, err);
    if (error) {
        return error;
    }
    data = attr_data(mask_attr, &len);
    error = odp_mask_parse(data, len, &info, &mask, err);
    if (error) {
        xsw_err_prefix(err, "OVS_FLOW_ATTR_MASK");
        return error;
    }
    data = attr_data(actions_attr, &len);
    error = odp_actions_validate(data, len, err);
    if (error) {
        xsw_err_prefix(err, "OVS_FLOW_ATTR_ACTIONS");
        return error;
    }
    dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }

    /* ovs_flow_cmd_new(): the flow with this UFID, else any flow the new
     * one's masked key would hit, is "the existing flow". */
    existing = fr.has_ufid ? classifier_get_by_ufid(dp_classifier(dp),
                                                    &fr.ufid) : NULL;
    if (!existing) {
        flow_key_mask(&masked, &key, &mask);
        existing = classifier_get_by_key(dp_classifier(dp), &masked, NULL);
    }
    if (existing && (req->flags & (NLM_F_CREATE | NLM_F_EXCL))) {
        const struct ufid *u = classifier_flow_ufid(existing);
        char s[UFID_STRLEN];

        if (u) {
            ufid_to_string(u, s);
        }
        return xsw_err_set(err, EEXIST, "a flow %s%s that this key matches "
                           "exists already in datapath %s",
                           u ? "" : "without UFID", u ? s : "", dp_name(dp));
    }

    memset(&put, 0, sizeof put);
    put.key_nl = attr_data(key_attr, &put.key_nl_len);
    put.mask_nl = attr_data(mask_attr, &put.mask_nl_len);
    put.actions = attr_data(actions_attr, &put.actions_len);
    if (!put.actions) {
        /* An empty list (drop) replaces the old one too. */
        put.actions = "";
    }
    put.ufid = fr.has_ufid ? &fr.ufid : NULL;
    put.flags = existing ? CLASSIFIER_PUT_MODIFY : CLASSIFIER_PUT_CREATE;
    error = dp_flow_put(dp, &put, &res, err);
    if (error) {
        return error;
    }
    nlh = flow_msg(reply, dp, res.flow, NULL, fr.ufid_flags, OVS_FLOW_CMD_NEW);
    if (!nlh) {
        return too_big(err, "flow");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_FLOW);
}

/* The key and mask bytes that name flow to dp_flow_put(), in buf (two
 * halves of CTL_MSG_MAX bytes). */
static int
flow_own_match(const struct classifier_flow *flow, uint8_t *buf,
               struct dp_flow_put *put)
{
    struct nlmsghdr *k = mnl_nlmsg_put_header(buf);
    struct nlmsghdr *m = mnl_nlmsg_put_header(buf + CTL_MSG_MAX);

    if (dp_flow_key_nl(flow, k, CTL_MSG_MAX) < 0
        || dp_flow_mask_nl(flow, m, CTL_MSG_MAX) < 0) {
        return -EMSGSIZE;
    }
    put->key_nl = mnl_nlmsg_get_payload(k);
    put->key_nl_len = mnl_nlmsg_get_payload_len(k);
    put->mask_nl = mnl_nlmsg_get_payload(m);
    put->mask_nl_len = mnl_nlmsg_get_payload_len(m);
    put->ufid = classifier_flow_ufid(flow);
    return 0;
}

static int
flow_cmd_set(void *sw_, const struct ctl_server_request *req,
             struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *actions_attr;
    struct classifier_put_result res;
    const struct classifier_stats *st = NULL;
    struct classifier_flow *flow;
    struct dp_flow_put put;
    struct flow_req fr;
    struct nlmsghdr *nlh;
    struct datapath *dp;
    bool clear;
    size_t len;
    const void *data;
    int error;

    error = parse_flow_req(req, &fr, err);
    if (error) {
        return error;
    }
    actions_attr = fr.tb[OVS_FLOW_ATTR_ACTIONS];
    clear = fr.tb[OVS_FLOW_ATTR_CLEAR] != NULL;
    if (!fr.tb[OVS_FLOW_ATTR_KEY] && !fr.has_ufid) {
        return xsw_err_set(err, EINVAL, "OVS_FLOW_ATTR_KEY or "
                           "OVS_FLOW_ATTR_UFID missing");
    }
    if (actions_attr && !fr.tb[OVS_FLOW_ATTR_KEY]) {
        return xsw_err_set(err, EINVAL, "OVS_FLOW_ATTR_KEY missing: new "
                           "actions come with the flow's key");
    }
    if (actions_attr) {
        data = attr_data(actions_attr, &len);
        error = odp_actions_validate(data, len, err);
        if (error) {
            xsw_err_prefix(err, "OVS_FLOW_ATTR_ACTIONS");
            return error;
        }
    }
    dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }
    error = find_flow(dp, &fr, fr.tb[OVS_FLOW_ATTR_MASK], &flow, err);
    if (error) {
        return error;
    }

    if (actions_attr || clear) {
        uint8_t *buf = malloc(2 * CTL_MSG_MAX);

        if (!buf) {
            return xsw_err_set(err, ENOMEM, "out of memory");
        }
        memset(&put, 0, sizeof put);
        error = flow_own_match(flow, buf, &put);
        if (!error) {
            if (actions_attr) {
                put.actions = attr_data(actions_attr, &put.actions_len);
                if (!put.actions) {
                    put.actions = "";
                }
            }
            put.flags = CLASSIFIER_PUT_MODIFY
                        | (clear ? CLASSIFIER_PUT_ZERO_STATS : 0);
            /* Named by its own key, mask and UFID: the put finds exactly
             * this flow, and checks the actions as any put does. */
            error = dp_flow_put(dp, &put, &res, err);
        } else {
            xsw_err_set(err, EMSGSIZE, "the flow's key does not fit");
        }
        free(buf);
        if (error) {
            return error;
        }
        flow = res.flow;
        if (clear) {
            /* The kernel replies before it clears. */
            st = &res.stats;
        }
    }
    nlh = flow_msg(reply, dp, flow, st, fr.ufid_flags, OVS_FLOW_CMD_SET);
    if (!nlh) {
        return too_big(err, "flow");
    }
    return notify(req, reply, nlh, CTL_MCGRP_ID_OVS_FLOW);
}

static int
flow_cmd_get(void *sw_, const struct ctl_server_request *req,
             struct ctl_server_reply *reply, struct xsw_err *err)
{
    struct classifier_flow *flow;
    struct flow_req fr;
    struct nlmsghdr *nlh;
    struct datapath *dp;
    int error;

    error = parse_flow_req(req, &fr, err);
    if (error) {
        return error;
    }
    if (!fr.tb[OVS_FLOW_ATTR_KEY] && !fr.has_ufid) {
        return xsw_err_set(err, EINVAL, "OVS_FLOW_ATTR_KEY or "
                           "OVS_FLOW_ATTR_UFID missing");
    }
    dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }
    /* As the kernel's GET, a MASK in the request plays no part. */
    error = find_flow(dp, &fr, NULL, &flow, err);
    if (error) {
        return error;
    }
    nlh = flow_msg(reply, dp, flow, NULL, fr.ufid_flags, OVS_FLOW_CMD_GET);
    if (!nlh) {
        return too_big(err, "flow");
    }
    return ctl_server_reply_end(reply, nlh);
}

static int
flow_cmd_del(void *sw_, const struct ctl_server_request *req,
             struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct classifier_actions *acts;
    struct classifier_flow *flow;
    struct classifier_stats st;
    struct flow_req fr;
    struct nlmsghdr *nlh;
    struct datapath *dp;
    void *actions = NULL;
    size_t actions_len = 0;
    size_t room;
    int error;

    error = parse_flow_req(req, &fr, err);
    if (error) {
        return error;
    }
    dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }
    if (!fr.tb[OVS_FLOW_ATTR_KEY] && !fr.has_ufid) {
        classifier_flush(dp_classifier(dp));
        return 0;
    }
    error = find_flow(dp, &fr, NULL, &flow, err);
    if (error) {
        return error;
    }

    /* This thread stays RCU-offline (datapath.h): once deleted, the flow may
     * be reclaimed at any time.  Everything but its last statistics is
     * taken before. */
    acts = classifier_flow_actions(flow);
    if (acts && acts->len) {
        actions_len = acts->len;
        actions = malloc(actions_len);
        if (!actions) {
            return xsw_err_set(err, ENOMEM, "out of memory");
        }
        memcpy(actions, acts->data, actions_len);
    }
    nlh = ctl_server_reply_start(reply, OVS_FLOW_CMD_DEL, dp_ifindex(dp));
    room = nlh ? ctl_server_reply_room(reply, nlh) : 0;
    if (nlh && put_flow_match(nlh, room, flow, fr.ufid_flags) < 0) {
        ctl_server_reply_cancel(reply, nlh);
        nlh = NULL;
    }
    classifier_del(dp_classifier(dp), flow, &st);
    if (nlh && put_flow_rest(nlh, room, &st, actions, actions_len,
                             fr.ufid_flags, reply_alone(reply, nlh)) < 0) {
        ctl_server_reply_cancel(reply, nlh);
        nlh = NULL;
    }
    free(actions);
    /* The flow is gone either way: a message that did not fit is only a
     * notification lost, as when the kernel cannot allocate one. */
    return nlh ? notify(req, reply, nlh, CTL_MCGRP_ID_OVS_FLOW) : 0;
}

/* A flow dump's state, owned through cursor[0] from the first dumpit call
 * to the done call.  The classifier cursor links itself into the classifier
 * and must be unlinked before it is freed, unless the classifier is gone. */
struct flow_dump {
    struct classifier_dump cursor;
    int dp_ifindex;
    uint32_t ufid_flags;
};

/* The datapath of a dump in progress, if it still exists.  dp_ifindex is
 * not reused while xswd runs (TAP ifindexes grow, the others are counted
 * up), so the same ifindex means the same datapath and classifier. */
static struct datapath *
flow_dump_dp(struct dp_switch *sw, const struct flow_dump *fd)
{
    struct datapath *dp = dp_find_by_ifindex(sw, fd->dp_ifindex);

    return dp && dp_classifier(dp) == fd->cursor.cls ? dp : NULL;
}

static int
flow_cmd_dump(void *sw_, const struct ctl_server_request *req,
              uint64_t cursor[4], struct ctl_server_reply *reply,
              struct xsw_err *err)
{
    struct flow_dump *fd = (struct flow_dump *) (uintptr_t) cursor[0];
    struct classifier_flow *flow;
    struct datapath *dp;

    if (!fd) {
        struct flow_req fr;
        int error = parse_flow_req(req, &fr, err);

        if (error) {
            return error;
        }
        dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
        if (!dp) {
            return -ENODEV;
        }
        fd = calloc(1, sizeof *fd);
        if (!fd) {
            return xsw_err_set(err, ENOMEM, "out of memory");
        }
        fd->dp_ifindex = dp_ifindex(dp);
        fd->ufid_flags = fr.ufid_flags;
        classifier_dump_start(dp_classifier(dp), &fd->cursor);
        cursor[0] = (uintptr_t) fd;
    } else {
        dp = flow_dump_dp(sw_, fd);
        if (!dp) {
            return xsw_err_set(err, ENODEV, "datapath with dp_ifindex %d was "
                               "deleted during the dump", fd->dp_ifindex);
        }
    }

    while ((flow = classifier_dump_peek(&fd->cursor)) != NULL) {
        struct nlmsghdr *nlh = flow_msg(reply, dp, flow, NULL, fd->ufid_flags,
                                        OVS_FLOW_CMD_GET);

        if (!nlh || ctl_server_reply_end(reply, nlh) < 0) {
            return 1;
        }
        classifier_dump_next(&fd->cursor);
    }
    return 0;
}

static void
flow_dump_done(void *sw_, const struct ctl_server_request *req,
               uint64_t cursor[4])
{
    struct flow_dump *fd = (struct flow_dump *) (uintptr_t) cursor[0];

    (void) req;
    if (!fd) {
        return;
    }
    /* A destroyed classifier took its list of cursors with it. */
    if (flow_dump_dp(sw_, fd)) {
        classifier_dump_done(&fd->cursor);
    }
    free(fd);
    cursor[0] = 0;
}

/* ---------------------------------------------------------------- packets */

static int
packet_cmd_execute(void *sw_, const struct ctl_server_request *req,
                   struct ctl_server_reply *reply, struct xsw_err *err)
{
    const struct nlattr *tb[MAX_ATTRS];
    const void *packet, *key, *actions;
    size_t packet_len, key_len, actions_len;
    struct datapath *dp;
    int error;

    (void) reply;
    error = parse_attrs(req, packet_policy, N_POLICY(packet_policy), tb, err);
    if (error) {
        return error;
    }
    if (!tb[OVS_PACKET_ATTR_PACKET]) {
        return xsw_err_set(err, EINVAL, "OVS_PACKET_ATTR_PACKET missing");
    }
    if (!tb[OVS_PACKET_ATTR_KEY]) {
        return xsw_err_set(err, EINVAL, "OVS_PACKET_ATTR_KEY missing");
    }
    if (!tb[OVS_PACKET_ATTR_ACTIONS]) {
        return xsw_err_set(err, EINVAL, "OVS_PACKET_ATTR_ACTIONS missing");
    }
    dp = find_dp_by_ifindex(sw_, req->dp_ifindex, err);
    if (!dp) {
        return -ENODEV;
    }
    packet = attr_data(tb[OVS_PACKET_ATTR_PACKET], &packet_len);
    key = attr_data(tb[OVS_PACKET_ATTR_KEY], &key_len);
    actions = attr_data(tb[OVS_PACKET_ATTR_ACTIONS], &actions_len);
    if (!key) {
        key = "";
    }
    return dp_execute(dp, packet, packet_len, key, key_len, actions,
                      actions_len, err);
}

/* ---------------------------------------------------------------- register */

struct ovs_genl_cmd {
    uint16_t family;
    uint8_t cmd;
    ctl_server_doit_fn *doit;
    ctl_server_dumpit_fn *dumpit;
    ctl_server_done_fn *done;
};

int
ovs_genl_register(struct ctl_server *server, struct dp_switch *sw,
                  struct xsw_err *err)
{
    static const struct ovs_genl_cmd cmds[] = {
        { CTL_ID_OVS_DATAPATH, OVS_DP_CMD_NEW, dp_cmd_new, NULL, NULL },
        { CTL_ID_OVS_DATAPATH, OVS_DP_CMD_DEL, dp_cmd_del, NULL, NULL },
        { CTL_ID_OVS_DATAPATH, OVS_DP_CMD_GET, dp_cmd_get, dp_cmd_dump, NULL },
        { CTL_ID_OVS_DATAPATH, OVS_DP_CMD_SET, dp_cmd_set, NULL, NULL },
        { CTL_ID_OVS_VPORT, OVS_VPORT_CMD_NEW, vport_cmd_new, NULL, NULL },
        { CTL_ID_OVS_VPORT, OVS_VPORT_CMD_DEL, vport_cmd_del, NULL, NULL },
        { CTL_ID_OVS_VPORT, OVS_VPORT_CMD_GET, vport_cmd_get, vport_cmd_dump,
          NULL },
        { CTL_ID_OVS_VPORT, OVS_VPORT_CMD_SET, vport_cmd_set, NULL, NULL },
        { CTL_ID_OVS_FLOW, OVS_FLOW_CMD_NEW, flow_cmd_new, NULL, NULL },
        { CTL_ID_OVS_FLOW, OVS_FLOW_CMD_DEL, flow_cmd_del, NULL, NULL },
        { CTL_ID_OVS_FLOW, OVS_FLOW_CMD_GET, flow_cmd_get, flow_cmd_dump,
          flow_dump_done },
        { CTL_ID_OVS_FLOW, OVS_FLOW_CMD_SET, flow_cmd_set, NULL, NULL },
        /* MISS and ACTION are the datapath's to send: left unregistered,
         * they answer -EOPNOTSUPP and nlctrl does not list them. */
        { CTL_ID_OVS_PACKET, OVS_PACKET_CMD_EXECUTE, packet_cmd_execute,
          NULL, NULL },
    };

    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const struct ovs_genl_cmd *c = &cmds[i];
        int error = ctl_server_register_dump(server, c->family, c->cmd,
                                             c->doit, c->dumpit, c->done, sw);

        if (error) {
            return xsw_err_set(err, -error, "cannot register command %u of "
                               "family %u: %s", c->cmd, c->family,
                               strerror(-error));
        }
    }
    return 0;
}
