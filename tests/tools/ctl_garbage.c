/* ctl_garbage: sends malformed and mutated netlink datagrams to xswd's
 * control socket, then checks that xswd still answers valid requests
 * (tests/integration/test_xswd_errors.sh).
 *
 *   ctl_garbage [-n COUNT] [-s SEED] [-t MS] SOCKET
 *     -n COUNT  datagrams to send (default 2000)
 *     -s SEED   seed of the mutations (default: the time); the same seed
 *               sends the same datagrams to the same daemon state
 *     -t MS     how long xswd may stay silent before it counts as hung
 *               (default 5000)
 *
 * The datagrams start from valid requests of every family (nlctrl, the OVS
 * families, xsw_ctl) and are then cut, bit-flipped, given wrong lengths,
 * glued together, padded with random attributes, or replaced by random
 * bytes.  Requests that would change the switch's datapaths or ports
 * (ovs_datapath and ovs_vport commands other than GET) are turned into GETs
 * after mutation: a random OVS_VPORT_CMD_NEW could attach XDP to any host
 * interface.  Flows may be added and deleted at random (the test restores
 * its own), and packets executed (the template frame has a local
 * experimental EtherType and a made-up destination, so nothing a host stack
 * acts upon).
 *
 * Every answer is read, and its netlink framing checked.  At the end, a
 * valid request on the same connection must be answered in step (its ACK
 * and its reply, by sequence number), and a new client must get answers to
 * "version" and to a datapath dump.  Prints one summary line.  Exit status:
 * 0 all answered, 1 xswd hung, dropped the connection for good, sent a
 * malformed answer or stopped answering, 2 bad usage. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>

#include "ctl_client.h"
#include "odp_text.h"

#define MAX_TEMPLATES   32
#define MAX_DGRAM       (CTL_MSG_MAX + 4096)
#define FINAL_SEQ       0x5eed0001u

struct template {
    uint8_t *buf;
    size_t len;
};

struct garbage {
    const char *path;
    int timeout_ms;
    uint64_t rng;
    int fd;
    uint16_t id_dp, id_vport, id_flow, id_packet, id_xsw;
    uint32_t flow_mcgrp;
    int dp_ifindex;
    char dp_name[IF_NAMESIZE];
    struct template t[MAX_TEMPLATES];
    unsigned int n_t;
    uint8_t *out;               /* the datagram being built */
    uint8_t *in;                /* the answer being read */

    /* What happened. */
    unsigned long sent, sent_bytes, refused, replies, error_answers, acks;
    unsigned long reconnects, bad_answers;
};

/* splitmix64: small, seedable, and the same on every machine, so that a
 * seed printed by a failed run reproduces it. */
static uint64_t
rnd(struct garbage *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint32_t
rnd_below(struct garbage *g, uint32_t n)
{
    return n ? (uint32_t) (rnd(g) % n) : 0;
}

static void
rnd_fill(struct garbage *g, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t) rnd(g);
    }
}

/* ------------------------------------------------------------ templates */

static void
add_template(struct garbage *g, const struct nlmsghdr *nlh)
{
    struct template *t;

    if (g->n_t >= MAX_TEMPLATES) {
        return;
    }
    t = &g->t[g->n_t];
    t->buf = malloc(nlh->nlmsg_len);
    if (!t->buf) {
        return;
    }
    memcpy(t->buf, nlh, nlh->nlmsg_len);
    t->len = nlh->nlmsg_len;
    g->n_t++;
}

/* A request of family fam (hdrsize as the family's) with flags. */
static struct nlmsghdr *
start(void *buf, uint16_t id, uint32_t hdrsize, uint8_t cmd, uint8_t version,
      int dp_ifindex, uint16_t flags)
{
    struct ctl_client_family f;
    struct nlmsghdr *nlh;

    memset(&f, 0, sizeof f);
    f.id = id;
    f.version = version;
    f.hdrsize = hdrsize;
    nlh = ctl_client_msg_start(buf, &f, cmd, dp_ifindex);
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = 1;
    return nlh;
}

/* Appends the attributes that odp_text writes into a scratch message as one
 * nested attribute of nlh. */
static void
put_text(struct nlmsghdr *nlh, uint16_t type, const char *key_s, const char *actions_s,
         bool mask)
{
    static uint32_t scratch_key[CTL_MSG_MAX / 4], scratch_mask[CTL_MSG_MAX / 4];
    struct nlmsghdr *k = mnl_nlmsg_put_header(scratch_key);
    struct nlmsghdr *m = mnl_nlmsg_put_header(scratch_mask);
    struct xsw_err err;
    int r;

    r = key_s ? odp_text_parse_key(key_s, k, m, CTL_MSG_MAX, &err)
              : odp_text_parse_actions(actions_s, k, CTL_MSG_MAX, &err);
    if (r) {
        fprintf(stderr, "ctl_garbage: template '%s': %s\n", key_s ? key_s : actions_s,
                err.msg);
        exit(2);
    }
    mnl_attr_put(nlh, type, mnl_nlmsg_get_payload_len(k), mnl_nlmsg_get_payload(k));
    if (mask) {
        mnl_attr_put(nlh, OVS_FLOW_ATTR_MASK, mnl_nlmsg_get_payload_len(m),
                     mnl_nlmsg_get_payload(m));
    }
}

static void
build_templates(struct garbage *g)
{
    static const char key[] =
        "in_port(7),eth(src=02:00:5e:00:00:01,dst=02:00:5e:00:00:02),eth_type(0x0800),"
        "ipv4(src=10.9.0.0/255.255.255.0,dst=10.9.1.1,proto=17,tos=0,ttl=64,frag=no),"
        "udp(src=1000,dst=2000/0xff00)";
    static const char vlan_key[] =
        "in_port(7),eth(src=02:00:5e:00:00:03,dst=02:00:5e:00:00:04),eth_type(0x8100),"
        "vlan(vid=10,pcp=0),encap(eth_type(0x86dd),ipv6(src=fe80::1,dst=fe80::2,"
        "label=0,proto=6,tclass=0,hlimit=64,frag=no),tcp(src=1,dst=2),tcp_flags(0x002))";
    static const char actions[] =
        "push_vlan(vid=5,pcp=1),set(ipv4(src=10.9.9.9)),7,pop_vlan,"
        "set(eth(src=02:00:5e:00:00:09,dst=02:00:5e:00:00:0a)),clone(trunc(60),7),8";
    static const char exec_key[] =
        "in_port(7),eth(src=02:00:5e:00:00:05,dst=02:00:5e:00:00:06),eth_type(0x88b5)";
    static uint32_t buf[CTL_MSG_MAX / 4];
    const char *argv_v[] = { "version" }, *argv_u[] = { "upcall-stats" };
    const char *argv_p[] = { "pmd-stats" }, *argv_l[] = { "log-level" };
    const char *const *argvs[] = { argv_v, argv_u, argv_p, argv_l };
    int ifx = g->dp_ifindex;
    struct nlmsghdr *nlh;
    struct nlattr *nest;
    uint8_t frame[64];

    /* nlctrl */
    nlh = start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 2, 0, NLM_F_ACK);
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ovs_flow");
    add_template(g, nlh);
    nlh = start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 2, 0, NLM_F_DUMP);
    add_template(g, nlh);
    nlh = start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 2, 0, NLM_F_ACK);
    mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, g->id_xsw);
    add_template(g, nlh);

    /* ovs_datapath */
    nlh = start(buf, g->id_dp, sizeof(struct ovs_header), OVS_DP_CMD_GET,
                OVS_DATAPATH_VERSION, 0, NLM_F_DUMP);
    add_template(g, nlh);
    nlh = start(buf, g->id_dp, sizeof(struct ovs_header), OVS_DP_CMD_GET,
                OVS_DATAPATH_VERSION, 0, NLM_F_ACK);
    mnl_attr_put_strz(nlh, OVS_DP_ATTR_NAME, g->dp_name);
    add_template(g, nlh);

    /* ovs_vport */
    nlh = start(buf, g->id_vport, sizeof(struct ovs_header), OVS_VPORT_CMD_GET,
                OVS_VPORT_VERSION, ifx, NLM_F_DUMP);
    add_template(g, nlh);
    nlh = start(buf, g->id_vport, sizeof(struct ovs_header), OVS_VPORT_CMD_GET,
                OVS_VPORT_VERSION, ifx, NLM_F_ACK);
    mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_PORT_NO, 1);
    add_template(g, nlh);
    nlh = start(buf, g->id_vport, sizeof(struct ovs_header), OVS_VPORT_CMD_GET,
                OVS_VPORT_VERSION, ifx, NLM_F_ACK);
    mnl_attr_put_strz(nlh, OVS_VPORT_ATTR_NAME, g->dp_name);
    nest = mnl_attr_nest_start(nlh, OVS_VPORT_ATTR_OPTIONS);
    mnl_attr_put_strz(nlh, XSW_VPORT_OPT_XDP_MODE, "skb");
    mnl_attr_put_u32(nlh, XSW_VPORT_OPT_QUEUES, 1);
    mnl_attr_nest_end(nlh, nest);
    add_template(g, nlh);

    /* ovs_flow: these do reach the table */
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_GET,
                OVS_FLOW_VERSION, ifx, NLM_F_DUMP);
    add_template(g, nlh);
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_NEW,
                OVS_FLOW_VERSION, ifx, NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO);
    put_text(nlh, OVS_FLOW_ATTR_KEY, key, NULL, true);
    put_text(nlh, OVS_FLOW_ATTR_ACTIONS, NULL, actions, false);
    add_template(g, nlh);
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_NEW,
                OVS_FLOW_VERSION, ifx, NLM_F_ACK | NLM_F_CREATE);
    {
        uint8_t ufid[16];

        rnd_fill(g, ufid, sizeof ufid);
        mnl_attr_put(nlh, OVS_FLOW_ATTR_UFID, sizeof ufid, ufid);
    }
    put_text(nlh, OVS_FLOW_ATTR_KEY, vlan_key, NULL, true);
    put_text(nlh, OVS_FLOW_ATTR_ACTIONS, NULL, "pop_vlan,7,push_vlan(vid=9,pcp=7),8", false);
    add_template(g, nlh);
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_SET,
                OVS_FLOW_VERSION, ifx, NLM_F_ACK);
    put_text(nlh, OVS_FLOW_ATTR_KEY, key, NULL, false);
    put_text(nlh, OVS_FLOW_ATTR_ACTIONS, NULL, "drop", false);
    mnl_attr_put(nlh, OVS_FLOW_ATTR_CLEAR, 0, NULL);
    add_template(g, nlh);
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_GET,
                OVS_FLOW_VERSION, ifx, NLM_F_ACK);
    put_text(nlh, OVS_FLOW_ATTR_KEY, key, NULL, false);
    add_template(g, nlh);
    nlh = start(buf, g->id_flow, sizeof(struct ovs_header), OVS_FLOW_CMD_DEL,
                OVS_FLOW_VERSION, ifx, NLM_F_ACK);
    put_text(nlh, OVS_FLOW_ATTR_KEY, vlan_key, NULL, false);
    add_template(g, nlh);

    /* ovs_packet */
    memset(frame, 0, sizeof frame);
    memcpy(frame, "\x02\x00\x5e\x00\x00\x06\x02\x00\x5e\x00\x00\x05\x88\xb5", 14);
    nlh = start(buf, g->id_packet, sizeof(struct ovs_header), OVS_PACKET_CMD_EXECUTE,
                OVS_PACKET_VERSION, ifx, NLM_F_ACK);
    mnl_attr_put(nlh, OVS_PACKET_ATTR_PACKET, sizeof frame, frame);
    put_text(nlh, OVS_PACKET_ATTR_KEY, exec_key, NULL, false);
    put_text(nlh, OVS_PACKET_ATTR_ACTIONS, NULL, "push_vlan(vid=3,pcp=0),7,trunc(20),8", false);
    add_template(g, nlh);

    /* xsw_ctl */
    for (size_t i = 0; i < sizeof argvs / sizeof argvs[0]; i++) {
        nlh = start(buf, g->id_xsw, 0, XSW_CTL_CMD_EXEC, XSW_CTL_VERSION, 0, NLM_F_ACK);
        nest = mnl_attr_nest_start(nlh, XSW_CTL_ATTR_ARGV);
        mnl_attr_put_strz(nlh, 1, argvs[i][0]);
        mnl_attr_nest_end(nlh, nest);
        if (i & 1) {
            mnl_attr_put_u32(nlh, XSW_CTL_ATTR_FORMAT, XSW_CTL_FORMAT_JSON);
        }
        add_template(g, nlh);
    }
    nlh = start(buf, g->id_xsw, 0, XSW_CTL_CMD_JOIN_GROUP, XSW_CTL_VERSION, 0, NLM_F_ACK);
    mnl_attr_put_u32(nlh, XSW_CTL_ATTR_GROUP, g->flow_mcgrp);
    add_template(g, nlh);
}

/* ------------------------------------------------------------- mutation */

/* Copies a random template to p (room bytes); returns its length. */
static size_t
put_template(struct garbage *g, uint8_t *p, size_t room)
{
    const struct template *t = &g->t[rnd_below(g, g->n_t)];
    size_t n = t->len < room ? t->len : room;

    memcpy(p, t->buf, n);
    if (n >= NLMSG_HDRLEN) {
        ((struct nlmsghdr *) p)->nlmsg_seq = (uint32_t) rnd(g);
    }
    return n;
}

/* Appends random attributes (some nested, some with lying lengths) to the
 * message at msg, of length *len, in a buffer of room bytes. */
static void
append_attrs(struct garbage *g, uint8_t *msg, size_t *len, size_t room)
{
    unsigned int n = 1 + rnd_below(g, 6);

    for (unsigned int i = 0; i < n; i++) {
        size_t off = NLMSG_ALIGN(*len);
        uint16_t plen = (uint16_t) rnd_below(g, rnd_below(g, 4) ? 24 : 600);
        struct nlattr *a;

        if (off + NLA_HDRLEN + plen > room) {
            break;
        }
        memset(msg + *len, 0, off - *len);
        a = (struct nlattr *) (msg + off);
        a->nla_type = (uint16_t) rnd_below(g, 40);
        if (rnd_below(g, 4) == 0) {
            a->nla_type |= NLA_F_NESTED;
        }
        a->nla_len = (uint16_t) (NLA_HDRLEN + plen);
        rnd_fill(g, (uint8_t *) a + NLA_HDRLEN, plen);
        if (rnd_below(g, 8) == 0) {
            a->nla_len = (uint16_t) rnd(g);
        }
        *len = off + NLA_HDRLEN + plen;
    }
    if (*len >= NLMSG_HDRLEN) {
        ((struct nlmsghdr *) msg)->nlmsg_len = (uint32_t) *len;
    }
}

/* One mutated message at p (room bytes); returns its length. */
static size_t
mutate_one(struct garbage *g, uint8_t *p, size_t room)
{
    struct nlmsghdr *nlh = (struct nlmsghdr *) p;
    size_t len = put_template(g, p, room);
    uint32_t how = rnd_below(g, 10);

    switch (how) {
    case 0:                             /* as it is, a valid request */
        break;
    case 1:                             /* bit flips */
    case 2:
        for (uint32_t k = 1 + rnd_below(g, 4); k; k--) {
            p[rnd_below(g, (uint32_t) len)] ^= (uint8_t) (1u << rnd_below(g, 8));
        }
        break;
    case 3:                             /* random bytes over the payload */
        for (uint32_t k = 1 + rnd_below(g, 8); k; k--) {
            p[NLMSG_HDRLEN + rnd_below(g, (uint32_t) (len - NLMSG_HDRLEN))] = (uint8_t) rnd(g);
        }
        break;
    case 4:                             /* cut short, nlmsg_len kept or not */
        len = rnd_below(g, (uint32_t) len);
        if (len >= NLMSG_HDRLEN && rnd_below(g, 2)) {
            nlh->nlmsg_len = (uint32_t) len;
        }
        break;
    case 5:                             /* nlmsg_len lies */
        nlh->nlmsg_len = rnd_below(g, 3) ? rnd_below(g, (uint32_t) len + 64)
                                         : (uint32_t) rnd(g);
        break;
    case 6:                             /* an attribute length lies */
        if (len > NLMSG_HDRLEN + GENL_HDRLEN + 6) {
            size_t off = NLMSG_HDRLEN + GENL_HDRLEN
                         + 4 * rnd_below(g, (uint32_t) (len - NLMSG_HDRLEN - GENL_HDRLEN - 2) / 4);
            uint16_t v = rnd_below(g, 2) ? (uint16_t) rnd_below(g, 8) : (uint16_t) rnd(g);

            memcpy(p + off, &v, sizeof v);
        }
        break;
    case 7:                             /* flags, type, command, version */
        switch (rnd_below(g, 4)) {
        case 0:
            nlh->nlmsg_flags = (uint16_t) rnd(g);
            break;
        case 1:
            nlh->nlmsg_type = (uint16_t) rnd_below(g, 48);
            break;
        case 2:
            p[NLMSG_HDRLEN] = (uint8_t) rnd(g);
            break;
        default:
            p[NLMSG_HDRLEN + 1] = (uint8_t) rnd(g);
            break;
        }
        break;
    case 8:                             /* random attributes appended */
        append_attrs(g, p, &len, room);
        break;
    default:                            /* a nested attribute's length */
        for (size_t off = NLMSG_HDRLEN + GENL_HDRLEN + 4; off + 4 <= len; off += 4) {
            if (rnd_below(g, 6) == 0) {
                uint16_t v = (uint16_t) rnd_below(g, 200);

                memcpy(p + off, &v, sizeof v);
                break;
            }
        }
        break;
    }
    return len;
}

/* Builds the next datagram in g->out; returns its length. */
static size_t
make_datagram(struct garbage *g)
{
    uint32_t kind = rnd_below(g, 100);
    size_t len = 0;

    if (kind < 4) {                     /* random bytes */
        len = rnd_below(g, 200);
        rnd_fill(g, g->out, len);
    } else if (kind < 6) {              /* random bytes behind a plausible header */
        struct nlmsghdr *nlh = (struct nlmsghdr *) g->out;

        len = NLMSG_HDRLEN + rnd_below(g, 300);
        rnd_fill(g, g->out, len);
        nlh->nlmsg_len = (uint32_t) len;
        nlh->nlmsg_flags |= NLM_F_REQUEST;
        nlh->nlmsg_type = (uint16_t) (GENL_ID_CTRL + rnd_below(g, 24));
    } else if (kind < 7) {              /* too big for the server */
        len = put_template(g, g->out, MAX_DGRAM);
        memset(g->out + len, 0, MAX_DGRAM - len);
        len = CTL_MSG_MAX + 1 + rnd_below(g, MAX_DGRAM - CTL_MSG_MAX - 1);
    } else if (kind < 8) {              /* one big attribute, framed right */
        struct nlattr *a;
        uint16_t plen = (uint16_t) (1000 + rnd_below(g, 60000));

        len = NLMSG_ALIGN(put_template(g, g->out, MAX_DGRAM));
        a = (struct nlattr *) (g->out + len);
        a->nla_type = (uint16_t) rnd_below(g, 8);
        a->nla_len = (uint16_t) (NLA_HDRLEN + plen);
        rnd_fill(g, (uint8_t *) a + NLA_HDRLEN, plen);
        len += NLA_HDRLEN + plen;
        ((struct nlmsghdr *) g->out)->nlmsg_len = (uint32_t) len;
    } else if (kind < 20) {             /* several messages in one */
        for (uint32_t k = 2 + rnd_below(g, 4); k; k--) {
            len = NLMSG_ALIGN(len);
            len += mutate_one(g, g->out + len, 8192);
        }
    } else {
        len = mutate_one(g, g->out, 8192);
    }
    return len;
}

/* What xswd must not be asked: requests that change datapaths or ports
 * become GETs.  The walk is the server's (ctl_server.c): messages one after
 * the other while their length fits, the rest skipped. */
static void
defuse(struct garbage *g, uint8_t *p, size_t len)
{
    size_t off = 0;

    while (len - off >= NLMSG_HDRLEN) {
        struct nlmsghdr *nlh = (struct nlmsghdr *) (p + off);
        size_t step;

        if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len - off) {
            break;
        }
        if (nlh->nlmsg_len > NLMSG_HDRLEN
            && (nlh->nlmsg_type == g->id_dp || nlh->nlmsg_type == g->id_vport)) {
            uint8_t *cmd = p + off + NLMSG_HDRLEN;

            if (*cmd != OVS_DP_CMD_GET) {       /* == OVS_VPORT_CMD_GET */
                *cmd = OVS_DP_CMD_GET;
            }
        }
        step = NLMSG_ALIGN(nlh->nlmsg_len);
        if (step >= len - off) {
            break;
        }
        off += step;
    }
}

/* ------------------------------------------------------------ transport */

static int
raw_connect(struct garbage *g)
{
    struct sockaddr_un sun;
    int sndbuf = 4 * MAX_DGRAM;
    int fd;

    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    (void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", g->path);
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        int e = errno;

        close(fd);
        return -e;
    }
    return fd;
}

/* Checks the framing of one answer datagram and counts what it holds.
 * Returns whether a message with seq was in it (an ACK or error if
 * ack_seen is given, which then says which). */
static bool
check_answer(struct garbage *g, const uint8_t *p, size_t len, uint32_t seq,
             bool *ack_seen, bool *reply_seen)
{
    size_t off = 0;
    bool found = false;

    g->replies++;
    while (off < len) {
        const struct nlmsghdr *nlh = (const struct nlmsghdr *) (p + off);

        if (len - off < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN
            || nlh->nlmsg_len > len - off) {
            g->bad_answers++;
            fprintf(stderr, "ctl_garbage: malformed answer: message at offset %zu "
                    "of a %zu-byte datagram\n", off, len);
            return found;
        }
        if (nlh->nlmsg_type == NLMSG_ERROR) {
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

            if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof *e) {
                g->bad_answers++;
                fprintf(stderr, "ctl_garbage: truncated NLMSG_ERROR\n");
                return found;
            }
            if (e->error) {
                g->error_answers++;
            } else {
                g->acks++;
            }
            if (nlh->nlmsg_seq == seq && ack_seen) {
                *ack_seen = true;
                if (e->error) {
                    fprintf(stderr, "ctl_garbage: final request failed: %s\n",
                            strerror(-e->error));
                }
            }
        } else if (nlh->nlmsg_seq == seq && nlh->nlmsg_type == GENL_ID_CTRL && reply_seen) {
            *reply_seen = true;
        }
        if (nlh->nlmsg_seq == seq) {
            found = true;
        }
        off += NLMSG_ALIGN(nlh->nlmsg_len);
    }
    return found;
}

/* Reads whatever is there.  Returns 0, or -ECONNRESET when xswd closed the
 * connection. */
static int
drain(struct garbage *g, uint32_t seq, bool *ack_seen, bool *reply_seen)
{
    for (;;) {
        ssize_t n = recv(g->fd, g->in, MAX_DGRAM, MSG_DONTWAIT | MSG_TRUNC);

        if (n > 0) {
            if ((size_t) n > MAX_DGRAM) {
                g->bad_answers++;
                fprintf(stderr, "ctl_garbage: a %zd-byte answer, over %d\n", n,
                        CTL_MSG_MAX);
                continue;
            }
            check_answer(g, g->in, (size_t) n, seq, ack_seen, reply_seen);
            continue;
        }
        if (n == 0) {
            return -ECONNRESET;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        if (errno == EINTR) {
            continue;
        }
        return -ECONNRESET;
    }
}

/* xswd may close a connection that sent garbage (a zero-length datagram
 * reads as end of file); it must accept a new one. */
static int
reconnect(struct garbage *g)
{
    close(g->fd);
    g->fd = raw_connect(g);
    if (g->fd < 0) {
        fprintf(stderr, "ctl_garbage: reconnecting to %s: %s\n", g->path, strerror(-g->fd));
        return -1;
    }
    g->reconnects++;
    return 0;
}

static int
send_all(struct garbage *g, unsigned long count)
{
    while (g->sent + g->refused < count) {
        struct pollfd pfd = { .fd = g->fd, .events = POLLIN | POLLOUT };
        int r = poll(&pfd, 1, g->timeout_ms);

        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("ctl_garbage: poll");
            return -1;
        }
        if (r == 0) {
            fprintf(stderr, "ctl_garbage: xswd neither read nor answered for %d ms "
                    "after %lu datagrams\n", g->timeout_ms, g->sent);
            return -1;
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            if (drain(g, 0, NULL, NULL) || (pfd.revents & (POLLHUP | POLLERR))) {
                if (reconnect(g)) {
                    return -1;
                }
                continue;
            }
        }
        if (pfd.revents & POLLOUT) {
            size_t len = make_datagram(g);
            ssize_t n;

            defuse(g, g->out, len);
            n = send(g->fd, g->out, len, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n >= 0) {
                g->sent++;
                g->sent_bytes += (unsigned long) n;
            } else if (errno == EMSGSIZE || errno == ENOBUFS) {
                g->refused++;           /* too big for this socket: not xswd's */
            } else if (errno == EPIPE || errno == ECONNRESET) {
                if (reconnect(g)) {
                    return -1;
                }
            } else if (errno != EAGAIN && errno != EINTR) {
                perror("ctl_garbage: send");
                return -1;
            }
        }
    }
    return 0;
}

/* A valid GETFAMILY on the garbage connection, answered in step: its reply
 * and its ACK, found by sequence number among whatever is still coming. */
static int
final_in_step(struct garbage *g)
{
    uint32_t buf[256];
    struct nlmsghdr *nlh;
    bool ack = false, reply = false;
    struct timespec t0, now;

    nlh = start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 2, 0, NLM_F_ACK);
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ovs_datapath");
    nlh->nlmsg_seq = FINAL_SEQ;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct pollfd pfd = { .fd = g->fd, .events = POLLIN | POLLOUT };

        (void) poll(&pfd, 1, 100);
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            if (drain(g, 0, NULL, NULL) || (pfd.revents & (POLLHUP | POLLERR))) {
                if (reconnect(g)) {
                    return -1;
                }
                continue;
            }
        }
        if ((pfd.revents & POLLOUT)
            && send(g->fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL) == (ssize_t) nlh->nlmsg_len) {
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > g->timeout_ms / 1000 + 1) {
            fprintf(stderr, "ctl_garbage: cannot send the final request\n");
            return -1;
        }
    }
    while (!(ack && reply)) {
        struct pollfd pfd = { .fd = g->fd, .events = POLLIN };

        if (poll(&pfd, 1, g->timeout_ms) != 1) {
            fprintf(stderr, "ctl_garbage: no answer to a valid request after the "
                    "garbage (%s%s)\n", reply ? "reply seen" : "no reply",
                    ack ? ", ACK seen" : ", no ACK");
            return -1;
        }
        if (drain(g, FINAL_SEQ, &ack, &reply)) {
            fprintf(stderr, "ctl_garbage: xswd closed the connection before answering "
                    "a valid request\n");
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------- new clients */

struct dp_found {
    char name[IF_NAMESIZE];
    int ifindex;
    unsigned int n;
};

static int
dp_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dp_found *f = data;
    const struct ovs_header *oh;
    const struct nlattr *attr;
    const void *attrs;
    size_t len;

    attrs = ctl_client_msg_attrs(nlh, sizeof *oh, (const void **) &oh, &len);
    if (!attrs) {
        return -EPROTO;
    }
    if (f->n++ == 0) {
        f->ifindex = oh->dp_ifindex;
        mnl_attr_for_each_payload(attrs, len) {
            if (mnl_attr_get_type(attr) == OVS_DP_ATTR_NAME) {
                snprintf(f->name, sizeof f->name, "%s", mnl_attr_get_str(attr));
            }
        }
    }
    return MNL_CB_OK;
}

static int
list_dps(struct ctl_client *c, struct dp_found *f, struct xsw_err *err)
{
    struct ctl_client_family fam;
    uint32_t buf[64];
    struct nlmsghdr *nlh;
    int r;

    memset(f, 0, sizeof *f);
    r = ctl_client_resolve(c, OVS_DATAPATH_FAMILY, &fam, err);
    if (r < 0) {
        return r;
    }
    nlh = ctl_client_msg_start(buf, &fam, OVS_DP_CMD_GET, 0);
    return ctl_client_dump(c, nlh, dp_cb, f, err);
}

static int
resolve(struct ctl_client *c, const char *name, uint16_t *id, uint32_t *mcgrp)
{
    struct ctl_client_family fam;
    struct xsw_err err;
    int r = ctl_client_resolve(c, name, &fam, &err);

    if (r < 0) {
        fprintf(stderr, "ctl_garbage: resolving %s: %s\n", name, err.msg);
        return r;
    }
    *id = fam.id;
    if (mcgrp && fam.n_mcgrps) {
        *mcgrp = fam.mcgrps[0].id;
    }
    return 0;
}

/* Learns the family ids and the first datapath, to aim the templates. */
static int
learn(struct garbage *g)
{
    struct ctl_client *c;
    struct dp_found f;
    struct xsw_err err;
    int r;

    r = ctl_client_connect(g->path, g->timeout_ms, &c, &err);
    if (r < 0) {
        fprintf(stderr, "ctl_garbage: %s\n", err.msg);
        return r;
    }
    r = resolve(c, OVS_DATAPATH_FAMILY, &g->id_dp, NULL);
    r = r ? r : resolve(c, OVS_VPORT_FAMILY, &g->id_vport, NULL);
    r = r ? r : resolve(c, OVS_FLOW_FAMILY, &g->id_flow, &g->flow_mcgrp);
    r = r ? r : resolve(c, OVS_PACKET_FAMILY, &g->id_packet, NULL);
    r = r ? r : resolve(c, XSW_CTL_FAMILY, &g->id_xsw, NULL);
    if (!r) {
        r = list_dps(c, &f, &err);
        if (r < 0) {
            fprintf(stderr, "ctl_garbage: listing datapaths: %s\n", err.msg);
        } else if (!f.n) {
            fprintf(stderr, "ctl_garbage: xswd has no datapath to aim at\n");
            r = -ENOENT;
        } else {
            g->dp_ifindex = f.ifindex;
            snprintf(g->dp_name, sizeof g->dp_name, "%s", f.name);
        }
    }
    ctl_client_close(c);
    return r;
}

/* A client that connects now gets its requests answered, and the datapath
 * the garbage was aimed at is still there. */
static int
final_new_client(struct garbage *g)
{
    const char *argv[] = { "version" };
    struct ctl_client *c;
    struct dp_found f;
    struct xsw_err err;
    uint32_t status = 1;
    char *reply = NULL;
    int r;

    r = ctl_client_connect(g->path, g->timeout_ms, &c, &err);
    if (r < 0) {
        fprintf(stderr, "ctl_garbage: new client: %s\n", err.msg);
        return -1;
    }
    r = ctl_client_exec(c, 1, argv, XSW_CTL_FORMAT_TEXT, &reply, &status, &err);
    if (r < 0 || status || !reply || !*reply) {
        fprintf(stderr, "ctl_garbage: new client: version: %s\n",
                r < 0 ? err.msg : "empty answer or non-zero status");
        free(reply);
        ctl_client_close(c);
        return -1;
    }
    free(reply);
    r = list_dps(c, &f, &err);
    ctl_client_close(c);
    if (r < 0) {
        fprintf(stderr, "ctl_garbage: new client: listing datapaths: %s\n", err.msg);
        return -1;
    }
    if (!f.n || strcmp(f.name, g->dp_name) || f.ifindex != g->dp_ifindex) {
        fprintf(stderr, "ctl_garbage: datapath %s (dp_ifindex %d) is gone\n",
                g->dp_name, g->dp_ifindex);
        return -1;
    }
    return 0;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: ctl_garbage [-n COUNT] [-s SEED] [-t MS] SOCKET\n");
}

int
main(int argc, char *argv[])
{
    struct garbage g;
    unsigned long count = 2000;
    uint64_t seed = (uint64_t) time(NULL);
    char *end;
    int c, status;

    memset(&g, 0, sizeof g);
    g.timeout_ms = 5000;
    while ((c = getopt(argc, argv, "n:s:t:h")) != -1) {
        switch (c) {
        case 'n':
            count = strtoul(optarg, &end, 10);
            if (*end || !count) {
                usage(stderr);
                return 2;
            }
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*end) {
                usage(stderr);
                return 2;
            }
            break;
        case 't':
            g.timeout_ms = (int) strtol(optarg, &end, 10);
            if (*end || g.timeout_ms <= 0) {
                usage(stderr);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    g.path = argv[optind];
    g.rng = seed;
    g.out = calloc(1, MAX_DGRAM);
    g.in = malloc(MAX_DGRAM);
    g.fd = -1;
    status = 1;
    if (!g.out || !g.in) {
        fprintf(stderr, "ctl_garbage: out of memory\n");
        goto out;
    }
    if (learn(&g)) {
        goto out;
    }
    build_templates(&g);
    g.fd = raw_connect(&g);
    if (g.fd < 0) {
        fprintf(stderr, "ctl_garbage: connecting to %s: %s\n", g.path, strerror(-g.fd));
        goto out;
    }

    status = send_all(&g, count) || final_in_step(&g) || final_new_client(&g)
             || g.bad_answers ? 1 : 0;
    printf("ctl_garbage: seed %llu: %lu datagrams (%lu bytes) sent, %lu too big to send, "
           "%lu answers (%lu errors, %lu ACKs), %lu reconnects, %lu malformed answers%s\n",
           (unsigned long long) seed, g.sent, g.sent_bytes, g.refused, g.replies,
           g.error_answers, g.acks, g.reconnects, g.bad_answers,
           status ? "" : "; valid requests answered");
out:
    if (g.fd >= 0) {
        close(g.fd);
    }
    for (unsigned int i = 0; i < g.n_t; i++) {
        free(g.t[i].buf);
    }
    free(g.out);
    free(g.in);
    return status;
}
