/* odp_actions: validation by the kernel's rules, the "simple" test, the
 * builders and the action names.  Lists are written by hand here (not with
 * the builders under test) so that malformed ones can be made too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "odp_actions.h"

/* ---------------------------------------------------------------- helpers */

struct buf {
    uint8_t b[8192] __attribute__((aligned(4)));
    size_t len;
};

static size_t
put_raw(struct buf *b, const void *data, size_t len)
{
    size_t at = b->len;

    assert_true(b->len + len <= sizeof b->b);
    if (len) {
        memcpy(b->b + b->len, data, len);
    }
    b->len += len;
    return at;
}

/* Appends a header with an explicit nla_len (which may lie) and no data. */
static size_t
put_hdr(struct buf *b, uint16_t type, uint16_t nla_len)
{
    struct nlattr h = { .nla_len = nla_len, .nla_type = type };

    return put_raw(b, &h, sizeof h);
}

static size_t
put_attr(struct buf *b, uint16_t type, const void *data, size_t len)
{
    static const uint8_t zeros[4];
    size_t at = put_hdr(b, type, (uint16_t) (4 + len));

    put_raw(b, data, len);
    put_raw(b, zeros, (4 - len % 4) % 4);
    return at;
}

static void
put_u32(struct buf *b, uint16_t type, uint32_t v)
{
    put_attr(b, type, &v, sizeof v);
}

static void
put_flag(struct buf *b, uint16_t type)
{
    put_attr(b, type, NULL, 0);
}

static size_t
nest_start(struct buf *b, uint16_t type)
{
    return put_hdr(b, type, 0);
}

static void
nest_end(struct buf *b, size_t at)
{
    struct nlattr h;

    memcpy(&h, b->b + at, sizeof h);
    h.nla_len = (uint16_t) (b->len - at);
    memcpy(b->b + at, &h, sizeof h);
}

static void
put_push_vlan(struct buf *b, uint16_t tpid, uint16_t tci)
{
    struct ovs_action_push_vlan v = { htons(tpid), htons(tci) };

    put_attr(b, OVS_ACTION_ATTR_PUSH_VLAN, &v, sizeof v);
}

/* set or set_masked of one key; 'data' holds value (and mask). */
static void
put_set(struct buf *b, uint16_t action, uint16_t key, const void *data,
        size_t len)
{
    size_t at = nest_start(b, action);

    put_attr(b, key, data, len);
    nest_end(b, at);
}

static void
put_set_eth(struct buf *b)
{
    struct ovs_key_ethernet eth = {
        .eth_src = { 0x02, 0, 0, 0, 0, 1 },
        .eth_dst = { 0x02, 0, 0, 0, 0, 2 },
    };

    put_set(b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
}

static void
put_set_masked_eth(struct buf *b)
{
    struct ovs_key_ethernet em[2] = {
        { .eth_src = { 0x02, 0, 0, 0, 0, 1 } },
        { .eth_src = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
    };

    put_set(b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_ETHERNET, em,
            sizeof em);
}

static void
put_sample(struct buf *b, uint32_t probability, const struct buf *inner)
{
    size_t at = nest_start(b, OVS_ACTION_ATTR_SAMPLE);

    put_u32(b, OVS_SAMPLE_ATTR_PROBABILITY, probability);
    put_attr(b, OVS_SAMPLE_ATTR_ACTIONS, inner->b, inner->len);
    nest_end(b, at);
}

static void
put_clone(struct buf *b, const struct buf *inner)
{
    put_attr(b, OVS_ACTION_ATTR_CLONE, inner->b, inner->len);
}

static void
put_userspace(struct buf *b, uint32_t pid)
{
    size_t at = nest_start(b, OVS_ACTION_ATTR_USERSPACE);

    put_u32(b, OVS_USERSPACE_ATTR_PID, pid);
    nest_end(b, at);
}

static void
check_ok(const void *data, size_t len)
{
    struct xsw_err err = { "stale" };
    int r = odp_actions_validate(data, len, &err);

    if (r) {
        fail_msg("rejected (%d): %s", r, err.msg);
    }
    assert_string_equal(err.msg, "");
}

static void
check_err(const void *data, size_t len, int error, const char *fragment)
{
    struct xsw_err err = { "" };
    int r = odp_actions_validate(data, len, &err);

    if (r != -error) {
        fail_msg("returned %d, expected %d (%s)", r, -error, err.msg);
    }
    if (!strstr(err.msg, fragment)) {
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
    }
}

static void
expect_ok(const struct buf *b)
{
    check_ok(b->b, b->len);
}

static void
expect_err(const struct buf *b, int error, const char *fragment)
{
    check_err(b->b, b->len, error, fragment);
}

static size_t
parse_hex(const char *hex, uint8_t *out, size_t size)
{
    size_t n = 0;

    for (const char *p = hex; *p; ) {
        unsigned int byte;
        int used;

        if (*p == ' ') {
            p++;
            continue;
        }
        assert_int_equal(sscanf(p, "%2x%n", &byte, &used), 1);
        assert_true(n < size);
        out[n++] = (uint8_t) byte;
        p += used;
    }
    return n;
}

/* A netlink message whose payload the builders fill. */
struct msg {
    uint8_t b[1024] __attribute__((aligned(4)));
    struct nlmsghdr *nlh;
};

static void
msg_init(struct msg *m)
{
    memset(m->b, 0xaa, sizeof m->b);
    m->nlh = mnl_nlmsg_put_header(m->b);
}

static void
assert_payload_hex(const struct msg *m, const char *hex)
{
    uint8_t want[512];
    size_t n = parse_hex(hex, want, sizeof want);
    size_t got = m->nlh->nlmsg_len - MNL_NLMSG_HDRLEN;

    assert_int_equal(got, n);
    assert_memory_equal(mnl_nlmsg_get_payload(m->nlh), want, n);
}

/* ------------------------------------------------------------ valid lists */

static void
test_empty_list_is_drop(void **state)
{
    uint32_t unused = 0;

    (void) state;
    check_ok(NULL, 0);
    check_ok(&unused, 0);
    assert_true(odp_actions_are_simple(NULL, 0));
}

static void
test_valid_each_type(void **state)
{
    struct buf b = { .len = 0 };
    struct buf inner = { .len = 0 };
    struct ovs_action_trunc trunc = { .max_len = 14 };
    struct ovs_action_hash hash = { .hash_alg = OVS_HASH_ALG_L4, .hash_basis = 7 };
    size_t at;

    (void) state;

    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    expect_ok(&b);

    b.len = 0;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 65535);
    put_userspace(&b, 42);
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 7);
    put_attr(&b, OVS_USERSPACE_ATTR_USERDATA, "cookie!", 7);
    put_u32(&b, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, 3);
    put_flag(&b, OVS_USERSPACE_ATTR_ACTIONS);
    nest_end(&b, at);
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_attr(&b, OVS_USERSPACE_ATTR_USERDATA, NULL, 0);   /* empty is fine */
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 7);
    nest_end(&b, at);
    put_set_eth(&b);
    put_set_masked_eth(&b);
    put_push_vlan(&b, 0x8100, 0x1000 | 100);
    put_push_vlan(&b, 0x88a8, 0x1000 | 4094);
    put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
    put_attr(&b, OVS_ACTION_ATTR_TRUNC, &trunc, sizeof trunc);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 0);
    put_u32(&b, OVS_ACTION_ATTR_RECIRC, 0x1234);
    put_attr(&b, OVS_ACTION_ATTR_HASH, &hash, sizeof hash);
    hash.hash_alg = ODP_HASH_ALG_SYM_L4;
    put_attr(&b, OVS_ACTION_ATTR_HASH, &hash, sizeof hash);
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 9);
    put_sample(&b, UINT32_MAX / 2, &inner);
    put_clone(&b, &inner);
    put_u32(&b, ODP_ACTION_ATTR_DROP, 0);
    expect_ok(&b);
}

static void
test_valid_set_keys(void **state)
{
    struct ovs_key_ipv4 ip4 = { .ipv4_src = htonl(0x0a000001), .ipv4_proto = 6 };
    struct ovs_key_ipv6 ip6 = { .ipv6_label = htonl(0xfffff), .ipv6_proto = 17 };
    struct ovs_key_tcp tcp = { htons(1), htons(2) };
    struct ovs_key_udp udp = { htons(3), htons(4) };
    struct ovs_key_sctp sctp = { htons(5), htons(6) };
    uint32_t prio = 3, mark = 0xdead;
    struct buf b = { .len = 0 };

    (void) state;
    put_set_eth(&b);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_IPV4, &ip4, sizeof ip4);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_IPV6, &ip6, sizeof ip6);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_SCTP, &sctp, sizeof sctp);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_PRIORITY, &prio, sizeof prio);
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_SKB_MARK, &mark, sizeof mark);
    expect_ok(&b);
}

static void
test_valid_set_masked_keys(void **state)
{
    struct ovs_key_ipv4 ip4[2] = {
        { .ipv4_dst = htonl(0x0a000002), .ipv4_ttl = 9 },
        { .ipv4_dst = htonl(0xffffffff), .ipv4_ttl = 0xff },
    };
    struct ovs_key_ipv6 ip6[2] = {
        { .ipv6_label = htonl(0x12345), .ipv6_hlimit = 3 },
        { .ipv6_label = htonl(0xfffff), .ipv6_hlimit = 0xff },
    };
    struct ovs_key_tcp tcp[2] = { { htons(80), 0 }, { htons(0xffff), 0 } };
    struct ovs_key_udp udp[2] = { { 0, htons(53) }, { 0, htons(0xffff) } };
    struct ovs_key_sctp sctp[2] = { { 0, 0 }, { 0, 0 } };
    uint32_t prio[2] = { 1, 0xff }, mark[2] = { 0x10, 0xf0 };
    struct buf b = { .len = 0 };

    (void) state;
    put_set_masked_eth(&b);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV4, ip4, sizeof ip4);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV6, ip6, sizeof ip6);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_TCP, tcp, sizeof tcp);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_UDP, udp, sizeof udp);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_SCTP, sctp, sizeof sctp);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_PRIORITY, prio,
            sizeof prio);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_SKB_MARK, mark,
            sizeof mark);
    expect_ok(&b);
}

static void
test_nested_sample_and_clone(void **state)
{
    struct buf empty = { .len = 0 };
    struct buf leaf = { .len = 0 };
    struct buf mid = { .len = 0 };
    struct buf b = { .len = 0 };

    (void) state;
    /* Empty nested lists are drops, as at the top. */
    put_sample(&b, 0, &empty);
    put_clone(&b, &empty);
    expect_ok(&b);

    put_push_vlan(&leaf, 0x8100, 0x1005);
    put_u32(&leaf, OVS_ACTION_ATTR_OUTPUT, 4);
    put_clone(&mid, &leaf);
    put_sample(&mid, 1000, &leaf);
    put_u32(&mid, OVS_ACTION_ATTR_OUTPUT, 5);
    b.len = 0;
    put_sample(&b, UINT32_MAX, &mid);
    put_clone(&b, &mid);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 6);
    expect_ok(&b);

    /* The sample's attributes may come in either order. */
    b.len = 0;
    {
        size_t at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);

        put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, leaf.b, leaf.len);
        put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 5);
        nest_end(&b, at);
    }
    expect_ok(&b);
}

static void
test_nested_flag_bit_ignored(void **state)
{
    struct buf inner = { .len = 0 };
    struct buf b = { .len = 0 };
    size_t at;

    (void) state;
    /* NLA_F_NESTED is not part of the type, for the kernel as for us. */
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 1);
    put_attr(&b, OVS_ACTION_ATTR_CLONE | NLA_F_NESTED, inner.b, inner.len);
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE | NLA_F_NESTED);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    nest_end(&b, at);
    expect_ok(&b);
}

static void
test_unpadded_last_attribute(void **state)
{
    struct buf b = { .len = 0 };
    size_t at;

    (void) state;
    /* The kernel accepts a list whose last attribute lacks its padding. */
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_hdr(&b, OVS_USERSPACE_ATTR_USERDATA, 4 + 5);
    put_raw(&b, "abcde", 5);
    nest_end(&b, at);
    assert_int_equal(b.len, 8 + 4 + 8 + 9);
    expect_ok(&b);
}

/* --------------------------------------------------------- framing errors */

static void
test_truncated_header(void **state)
{
    struct buf b = { .len = 0 };

    (void) state;
    for (size_t extra = 1; extra < 4; extra++) {
        b.len = 0;
        put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
        put_raw(&b, "\0\0\0", extra);
        expect_err(&b, EINVAL, "action 2: ");
        expect_err(&b, EINVAL, "too few for an attribute header");
        check_err(b.b + 8, extra, EINVAL, "action 1: ");
    }
}

static void
test_length_beyond_buffer(void **state)
{
    struct buf b = { .len = 0 };

    (void) state;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_hdr(&b, OVS_ACTION_ATTR_OUTPUT, 12);
    put_raw(&b, "\1\0\0\0", 4);
    expect_err(&b, EINVAL, "action 2: attribute length 12 runs past the end "
               "of the list (8 bytes left)");
}

static void
test_length_below_header(void **state)
{
    struct buf b = { .len = 0 };

    (void) state;
    for (uint16_t l = 0; l < 4; l++) {
        b.len = 0;
        put_hdr(&b, OVS_ACTION_ATTR_POP_VLAN, l);
        put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
        expect_err(&b, EINVAL, "action 1: attribute length");
        expect_err(&b, EINVAL, "shorter than its 4-byte header");
    }
}

static void
test_list_too_long(void **state)
{
    static uint8_t big[65536] __attribute__((aligned(4)));

    (void) state;
    check_err(big, 65532, EINVAL, "longer than a netlink attribute");
    check_err(NULL, 4, EINVAL, "NULL");
}

static void
test_unknown_types(void **state)
{
    static const uint16_t types[] = { 0, 26, 27, 28, 100, 0x3fff };
    struct buf b = { .len = 0 };
    char frag[64];

    (void) state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        b.len = 0;
        put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
        put_u32(&b, types[i], 0);
        snprintf(frag, sizeof frag, "action 2: unknown action type %u",
                 types[i]);
        expect_err(&b, EINVAL, frag);
    }
}

static void
test_unsupported_types(void **state)
{
    static const struct {
        uint16_t type;
        const char *name;
    } cases[] = {
        { OVS_ACTION_ATTR_PUSH_MPLS, "push_mpls" },
        { OVS_ACTION_ATTR_POP_MPLS, "pop_mpls" },
        { OVS_ACTION_ATTR_CT, "ct" },
        { OVS_ACTION_ATTR_PUSH_ETH, "push_eth" },
        { OVS_ACTION_ATTR_POP_ETH, "pop_eth" },
        { OVS_ACTION_ATTR_CT_CLEAR, "ct_clear" },
        { OVS_ACTION_ATTR_PUSH_NSH, "push_nsh" },
        { OVS_ACTION_ATTR_POP_NSH, "pop_nsh" },
        { OVS_ACTION_ATTR_METER, "meter" },
        { OVS_ACTION_ATTR_CHECK_PKT_LEN, "check_pkt_len" },
        { OVS_ACTION_ATTR_ADD_MPLS, "add_mpls" },
        { OVS_ACTION_ATTR_DEC_TTL, "dec_ttl" },
        { ODP_ACTION_ATTR_PSAMPLE, "psample" },
    };
    struct buf b = { .len = 0 };
    char frag[96];

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b.len = 0;
        put_flag(&b, cases[i].type);
        snprintf(frag, sizeof frag, "action 1: action %s is not supported",
                 cases[i].name);
        expect_err(&b, EOPNOTSUPP, frag);
    }
}

static void
test_fixed_lengths(void **state)
{
    static const struct {
        uint16_t type;
        size_t bad_len;
        const char *msg;
    } cases[] = {
        { OVS_ACTION_ATTR_OUTPUT, 2, "action 1 (output): payload of 2 bytes, expected 4" },
        { OVS_ACTION_ATTR_OUTPUT, 8, "action 1 (output): payload of 8 bytes, expected 4" },
        { OVS_ACTION_ATTR_OUTPUT, 0, "action 1 (output): payload of 0 bytes, expected 4" },
        { OVS_ACTION_ATTR_POP_VLAN, 4, "action 1 (pop_vlan): payload of 4 bytes, expected 0" },
        { OVS_ACTION_ATTR_PUSH_VLAN, 2, "action 1 (push_vlan): payload of 2 bytes, expected 4" },
        { OVS_ACTION_ATTR_PUSH_VLAN, 8, "action 1 (push_vlan): payload of 8 bytes, expected 4" },
        { OVS_ACTION_ATTR_RECIRC, 0, "action 1 (recirc): payload of 0 bytes, expected 4" },
        { OVS_ACTION_ATTR_HASH, 4, "action 1 (hash): payload of 4 bytes, expected 8" },
        { OVS_ACTION_ATTR_TRUNC, 8, "action 1 (trunc): payload of 8 bytes, expected 4" },
        { ODP_ACTION_ATTR_DROP, 0, "action 1 (drop): payload of 0 bytes, expected 4" },
        { ODP_ACTION_ATTR_DROP, 5, "action 1 (drop): payload of 5 bytes, expected 4" },
    };
    /* Values that would pass the value checks, had the length been right. */
    static const uint8_t data[8] = { 0x81, 0x00, 0x10, 0x01, 0, 0, 0, 0 };
    struct buf b = { .len = 0 };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b.len = 0;
        put_attr(&b, cases[i].type, data, cases[i].bad_len);
        expect_err(&b, EINVAL, cases[i].msg);
    }
}

/* ------------------------------------------------------------ value rules */

static void
test_output_port_range(void **state)
{
    struct buf b = { .len = 0 };

    (void) state;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 65536);
    expect_err(&b, EINVAL, "action 1 (output): port 65536 is beyond the last "
               "datapath port 65535");
    b.len = 0;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, UINT32_MAX);
    expect_err(&b, EINVAL, "port 4294967295");
}

static void
test_push_vlan_rules(void **state)
{
    struct buf b = { .len = 0 };
    struct xsw_err err;

    (void) state;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
    put_push_vlan(&b, 0x1234, 0x1001);
    assert_int_equal(odp_actions_validate(b.b, b.len, &err), -EINVAL);
    assert_string_equal(err.msg, "action 3 (push_vlan): TPID 0x1234 is not "
                        "0x8100 or 0x88a8");

    b.len = 0;
    put_push_vlan(&b, 0x0800, 0x1001);
    expect_err(&b, EINVAL, "TPID 0x0800");
    b.len = 0;
    put_push_vlan(&b, 0x9100, 0x1001);  /* old QinQ TPID: the kernel refuses */
    expect_err(&b, EINVAL, "TPID 0x9100");

    b.len = 0;
    put_push_vlan(&b, 0x8100, 0x0064);
    expect_err(&b, EINVAL, "action 1 (push_vlan): TCI 0x0064 lacks the CFI "
               "bit 0x1000");
    b.len = 0;
    put_push_vlan(&b, 0x88a8, 0xefff);
    expect_err(&b, EINVAL, "TCI 0xefff");

    b.len = 0;
    put_push_vlan(&b, 0x88a8, 0x1000);  /* vid 0, pcp 0: priority tag */
    put_push_vlan(&b, 0x8100, 0xffff);
    expect_ok(&b);
}

static void
test_trunc_rules(void **state)
{
    struct ovs_action_trunc t;
    struct buf b = { .len = 0 };

    (void) state;
    t.max_len = 13;
    put_attr(&b, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
    expect_err(&b, EINVAL, "action 1 (trunc): max_len 13 is shorter than an "
               "Ethernet header (14)");
    b.len = 0;
    t.max_len = 0;
    put_attr(&b, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
    expect_err(&b, EINVAL, "max_len 0");
    b.len = 0;
    t.max_len = UINT32_MAX;
    put_attr(&b, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
    expect_ok(&b);
}

static void
test_hash_rules(void **state)
{
    struct ovs_action_hash h = { .hash_alg = 2, .hash_basis = 0 };
    struct buf b = { .len = 0 };

    (void) state;
    put_attr(&b, OVS_ACTION_ATTR_HASH, &h, sizeof h);
    expect_err(&b, EINVAL, "action 1 (hash): unknown hash algorithm 2");
    b.len = 0;
    h.hash_alg = UINT32_MAX;
    put_attr(&b, OVS_ACTION_ATTR_HASH, &h, sizeof h);
    expect_err(&b, EINVAL, "unknown hash algorithm 4294967295");
}

static void
test_drop_must_be_last(void **state)
{
    struct buf inner = { .len = 0 };
    struct buf b = { .len = 0 };

    (void) state;
    put_u32(&b, ODP_ACTION_ATTR_DROP, 1);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    expect_err(&b, EINVAL, "action 1 (drop): drop must be the last action");

    b.len = 0;
    put_u32(&b, ODP_ACTION_ATTR_DROP, 1);
    put_u32(&b, ODP_ACTION_ATTR_DROP, 1);
    expect_err(&b, EINVAL, "action 1 (drop)");

    /* Last of a nested list is enough, whatever follows the nest. */
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 2);
    put_u32(&inner, ODP_ACTION_ATTR_DROP, 0);
    b.len = 0;
    put_clone(&b, &inner);
    put_sample(&b, 1, &inner);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_u32(&b, ODP_ACTION_ATTR_DROP, 0);
    expect_ok(&b);

    inner.len = 0;
    put_u32(&inner, ODP_ACTION_ATTR_DROP, 0);
    put_flag(&inner, OVS_ACTION_ATTR_POP_VLAN);
    b.len = 0;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_clone(&b, &inner);
    expect_err(&b, EINVAL, "action 2.1 (drop): drop must be the last");

    /* Stray bytes after a drop make it not last, as for the kernel. */
    b.len = 0;
    put_u32(&b, ODP_ACTION_ATTR_DROP, 0);
    put_raw(&b, "\0\0", 2);
    expect_err(&b, EINVAL, "action 1 (drop): drop must be the last");
}

static void
test_userspace_rules(void **state)
{
    struct buf b = { .len = 0 };
    size_t at;

    (void) state;
    /* No pid. */
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_attr(&b, OVS_USERSPACE_ATTR_USERDATA, "x", 1);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "action 1 (userspace): no pid attribute");

    /* Empty nest. */
    b.len = 0;
    put_flag(&b, OVS_ACTION_ATTR_USERSPACE);
    expect_err(&b, EINVAL, "no pid attribute");

    /* pid 0. */
    b.len = 0;
    put_userspace(&b, 0);
    expect_err(&b, EINVAL, "action 1 (userspace): pid 0 names no socket");

    /* pid of the wrong size. */
    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_attr(&b, OVS_USERSPACE_ATTR_PID, "\1\0", 2);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "pid of 2 bytes, expected 4");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_attr(&b, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, "\1\0\0\0\0\0\0\0", 8);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "egress_tun_port of 8 bytes, expected 4");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_u32(&b, OVS_USERSPACE_ATTR_ACTIONS, 1);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "actions is a flag, yet carries 4 bytes");

    /* Unknown nested attributes are refused (type 0 and past the end). */
    for (uint16_t t = 0; t < 10; t += 5) {
        b.len = 0;
        at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
        put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
        put_u32(&b, t, 1);
        nest_end(&b, at);
        expect_err(&b, EINVAL, "(userspace): unknown attribute type");
    }

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 2);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "duplicate pid attribute");

    /* Broken framing inside the nest. */
    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_raw(&b, "\0\0", 2);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "action 1 (userspace): 2 trailing bytes, too few");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 1);
    put_hdr(&b, OVS_USERSPACE_ATTR_USERDATA, 40);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "(userspace): attribute length 40 runs past");
}

static void
test_sample_rules(void **state)
{
    struct buf inner = { .len = 0 };
    struct buf b = { .len = 0 };
    size_t at;

    (void) state;
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 1);

    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "action 1 (sample): no probability attribute");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "action 1 (sample): no actions attribute");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_attr(&b, OVS_SAMPLE_ATTR_PROBABILITY, "\1\0", 2);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "probability of 2 bytes, expected 4");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
    put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "duplicate probability attribute");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "duplicate actions attribute");

    for (uint16_t t = 0; t < 10; t += 3) {      /* 0, 3, 6, 9 */
        b.len = 0;
        at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
        put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
        put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, inner.b, inner.len);
        put_u32(&b, t, 0);
        nest_end(&b, at);
        expect_err(&b, EINVAL, "(sample): unknown attribute type");
    }

    /* Errors in the nested list carry its position. */
    inner.len = 0;
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 1);
    put_push_vlan(&inner, 0x1234, 0x1000);
    b.len = 0;
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_sample(&b, 1, &inner);
    expect_err(&b, EINVAL, "action 2.2 (push_vlan): TPID 0x1234");

    /* 1 to 3 bytes of nested actions: not even a header (as the kernel). */
    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SAMPLE);
    put_u32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
    put_attr(&b, OVS_SAMPLE_ATTR_ACTIONS, "\0\0", 2);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "action 1.1: 2 trailing bytes");
}

static void
test_clone_rules(void **state)
{
    struct buf inner = { .len = 0 };
    struct buf b = { .len = 0 };

    (void) state;
    put_attr(&b, OVS_ACTION_ATTR_CLONE, "\4\0", 2);
    expect_err(&b, EINVAL, "action 1.1: 2 trailing bytes");

    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 1);
    put_flag(&inner, OVS_ACTION_ATTR_CT);
    b.len = 0;
    put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
    put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
    put_clone(&b, &inner);
    expect_err(&b, EOPNOTSUPP, "action 3.2: action ct is not supported");
}

static void
test_set_rules(void **state)
{
    struct ovs_key_ethernet eth = { .eth_src = { 0 } };
    struct ovs_key_ipv6 ip6 = { .ipv6_label = htonl(0x100000) };
    uint32_t u32 = 1;
    struct buf b = { .len = 0 };
    size_t at;

    (void) state;
    put_flag(&b, OVS_ACTION_ATTR_SET);
    expect_err(&b, EINVAL, "action 1 (set): payload of 0 bytes holds no key");

    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SET);
    put_hdr(&b, OVS_KEY_ATTR_ETHERNET, 2);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "key attribute length 2 is shorter");

    /* Two keys in one set. */
    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SET);
    put_attr(&b, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
    put_u32(&b, OVS_KEY_ATTR_SKB_MARK, 1);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "does not hold exactly one key attribute");

    /* A key longer than the set. */
    b.len = 0;
    at = nest_start(&b, OVS_ACTION_ATTR_SET);
    put_hdr(&b, OVS_KEY_ATTR_SKB_MARK, 40);
    put_raw(&b, &u32, 4);
    nest_end(&b, at);
    expect_err(&b, EINVAL, "does not hold exactly one key attribute");

    /* Wrong sizes, for each key. */
    {
        static const struct {
            uint16_t key;
            size_t len;
            const char *msg;
        } cases[] = {
            { OVS_KEY_ATTR_ETHERNET, 8, "eth key of 8 bytes, expected 12" },
            { OVS_KEY_ATTR_ETHERNET, 24, "eth key of 24 bytes, expected 12" },
            { OVS_KEY_ATTR_IPV4, 16, "ipv4 key of 16 bytes, expected 12" },
            { OVS_KEY_ATTR_IPV6, 36, "ipv6 key of 36 bytes, expected 40" },
            { OVS_KEY_ATTR_TCP, 8, "tcp key of 8 bytes, expected 4" },
            { OVS_KEY_ATTR_UDP, 0, "udp key of 0 bytes, expected 4" },
            { OVS_KEY_ATTR_SCTP, 12, "sctp key of 12 bytes, expected 4" },
            { OVS_KEY_ATTR_PRIORITY, 8, "skb_priority key of 8 bytes, expected 4" },
            { OVS_KEY_ATTR_SKB_MARK, 2, "skb_mark key of 2 bytes, expected 4" },
        };
        static const uint8_t zeros[64];

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            b.len = 0;
            put_set(&b, OVS_ACTION_ATTR_SET, cases[i].key, zeros, cases[i].len);
            expect_err(&b, EINVAL, cases[i].msg);
        }
    }

    /* Keys the kernel cannot set at all. */
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_IN_PORT, &u32, sizeof u32);
    expect_err(&b, EINVAL, "action 1 (set): key in_port cannot be set");
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_VLAN, &u32, 2);
    expect_err(&b, EINVAL, "key vlan cannot be set");
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, 0, &u32, sizeof u32);
    expect_err(&b, EINVAL, "key key0 cannot be set");
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, 200, &u32, sizeof u32);
    expect_err(&b, EINVAL, "key key200 cannot be set");

    /* Keys the kernel can set and xsw cannot, masked or not. */
    {
        static const struct {
            uint16_t key;
            const char *name;
        } cases[] = {
            { OVS_KEY_ATTR_TUNNEL, "tunnel" },
            { OVS_KEY_ATTR_MPLS, "mpls" },
            { OVS_KEY_ATTR_CT_MARK, "ct_mark" },
            { OVS_KEY_ATTR_CT_LABELS, "ct_label" },
            { OVS_KEY_ATTR_NSH, "nsh" },
        };
        char frag[96];

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            snprintf(frag, sizeof frag, "action 1 (set): set(%s) is not "
                     "supported", cases[i].name);
            b.len = 0;
            put_set(&b, OVS_ACTION_ATTR_SET, cases[i].key, &u32, sizeof u32);
            expect_err(&b, EOPNOTSUPP, frag);
            b.len = 0;
            put_set(&b, OVS_ACTION_ATTR_SET_MASKED, cases[i].key, &u32,
                    sizeof u32);
            expect_err(&b, EOPNOTSUPP, frag);
        }
    }

    /* An IPv6 flow label has 20 bits. */
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_IPV6, &ip6, sizeof ip6);
    expect_err(&b, EINVAL, "ipv6 label 0x00100000 does not fit in the 20 bits");
}

static void
test_set_masked_rules(void **state)
{
    struct ovs_key_ethernet eth[2];
    struct ovs_key_ipv4 ip4[2];
    struct ovs_key_ipv6 ip6[2];
    struct buf b = { .len = 0 };

    (void) state;
    /* A plain-sized key in a masked set. */
    memset(eth, 0, sizeof eth);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_ETHERNET, eth,
            sizeof eth[0]);
    expect_err(&b, EINVAL, "action 1 (set): masked eth key of 12 bytes, "
               "expected 24 (value and mask)");

    /* And a masked-sized key in a plain set. */
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_ETHERNET, eth, sizeof eth);
    expect_err(&b, EINVAL, "eth key of 24 bytes, expected 12");

    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_TCP, eth, 6);
    expect_err(&b, EINVAL, "masked tcp key of 6 bytes, expected 8");

    /* Value bits outside the mask. */
    memset(eth, 0, sizeof eth);
    eth[0].eth_dst[5] = 0x11;
    eth[1].eth_dst[5] = 0x10;
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_ETHERNET, eth,
            sizeof eth);
    expect_err(&b, EINVAL, "eth value byte 11 (0x11) has bits outside its "
               "mask (0x10)");

    /* Fields that cannot be written. */
    memset(ip4, 0, sizeof ip4);
    ip4[1].ipv4_proto = 0xff;
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV4, ip4, sizeof ip4);
    expect_err(&b, EINVAL, "ipv4 proto and frag cannot be set");
    memset(ip4, 0, sizeof ip4);
    ip4[1].ipv4_frag = 1;
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV4, ip4, sizeof ip4);
    expect_err(&b, EINVAL, "ipv4 proto and frag cannot be set");

    memset(ip6, 0, sizeof ip6);
    ip6[1].ipv6_frag = 0xff;
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV6, ip6, sizeof ip6);
    expect_err(&b, EINVAL, "ipv6 proto and frag cannot be set");
    memset(ip6, 0, sizeof ip6);
    ip6[1].ipv6_label = htonl(0xfff00000);
    b.len = 0;
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV6, ip6, sizeof ip6);
    expect_err(&b, EINVAL, "ipv6 label mask 0xfff00000 does not fit");
}

/* ------------------------------------------------------------------ depth */

/* Wraps 'levels' clones (or samples, alternating when 'mix') around an
 * output, innermost first. */
static void
build_nested(struct buf *out, int levels, bool mix)
{
    static struct buf a, b;
    struct buf *cur = &a, *next = &b;

    cur->len = 0;
    put_u32(cur, OVS_ACTION_ATTR_OUTPUT, 1);
    for (int i = 0; i < levels; i++) {
        next->len = 0;
        if (mix && i % 2) {
            put_sample(next, UINT32_MAX, cur);
        } else {
            put_clone(next, cur);
        }
        struct buf *t = cur;
        cur = next;
        next = t;
    }
    out->len = 0;
    put_raw(out, cur->b, cur->len);
}

static void
test_depth_limit(void **state)
{
    static struct buf b;

    (void) state;
    build_nested(&b, ODP_ACTIONS_MAX_DEPTH, false);
    expect_ok(&b);
    build_nested(&b, ODP_ACTIONS_MAX_DEPTH, true);
    expect_ok(&b);

    build_nested(&b, ODP_ACTIONS_MAX_DEPTH + 1, false);
    /* The 17th clone is the one whose list would be too deep. */
    expect_err(&b, EOVERFLOW, "action 1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1 (clone): "
               "action lists nested more than 16 deep");
    build_nested(&b, ODP_ACTIONS_MAX_DEPTH + 1, true);
    expect_err(&b, EOVERFLOW, "nested more than 16 deep");
    build_nested(&b, 40, true);
    expect_err(&b, EOVERFLOW, "nested more than 16 deep");
}

static void
test_error_path_deep(void **state)
{
    struct buf l2 = { .len = 0 }, l1 = { .len = 0 }, b = { .len = 0 };
    struct xsw_err err;

    (void) state;
    put_u32(&l2, OVS_ACTION_ATTR_OUTPUT, 1);
    put_u32(&l2, OVS_ACTION_ATTR_OUTPUT, 70000);
    put_flag(&l1, OVS_ACTION_ATTR_POP_VLAN);
    put_clone(&l1, &l2);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
    put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
    put_sample(&b, 7, &l1);
    assert_int_equal(odp_actions_validate(b.b, b.len, &err), -EINVAL);
    assert_string_equal(err.msg, "action 3.2.2 (output): port 70000 is beyond "
                        "the last datapath port 65535");

    /* A NULL err is allowed. */
    assert_int_equal(odp_actions_validate(b.b, b.len, NULL), -EINVAL);
}

/* ------------------------------------------------------------ are_simple */

static void
test_are_simple(void **state)
{
    struct ovs_key_ipv4 ip4 = { .ipv4_ttl = 1 };
    struct ovs_action_trunc t = { .max_len = 100 };
    struct buf inner = { .len = 0 };
    struct buf b = { .len = 0 };

    (void) state;
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 3);

#define SIMPLE(expected, ...) do {                                  \
        b.len = 0;                                                  \
        __VA_ARGS__;                                                \
        if (odp_actions_are_simple(b.b, b.len) != (expected)) {     \
            fail_msg("are_simple(%s) should be %s", #__VA_ARGS__,   \
                     (expected) ? "true" : "false");                \
        }                                                           \
    } while (0)

    SIMPLE(true, (void) 0);
    SIMPLE(true, put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_push_vlan(&b, 0x8100, 0x1001);
           put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
           put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_set_eth(&b); put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_set_masked_eth(&b); put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_flag(&b, OVS_ACTION_ATTR_POP_VLAN);
           put_push_vlan(&b, 0x88a8, 0x1001);
           put_push_vlan(&b, 0x8100, 0x1002); put_set_eth(&b);
           put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(true, put_push_vlan(&b, 0x8100, 0x1001));     /* edits, then drop */

    SIMPLE(false, put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
           put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2));
    SIMPLE(false, put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
           put_flag(&b, OVS_ACTION_ATTR_POP_VLAN));
    SIMPLE(false, put_set(&b, OVS_ACTION_ATTR_SET, OVS_KEY_ATTR_IPV4, &ip4,
                          sizeof ip4); put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(false, put_userspace(&b, 1));
    SIMPLE(false, put_attr(&b, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
           put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1));
    SIMPLE(false, put_clone(&b, &inner));
    SIMPLE(false, put_sample(&b, 1, &inner));
    SIMPLE(false, put_u32(&b, OVS_ACTION_ATTR_RECIRC, 1));
    SIMPLE(false, put_u32(&b, ODP_ACTION_ATTR_DROP, 0));
    SIMPLE(false, put_flag(&b, OVS_ACTION_ATTR_CT));
    /* Malformed lists are never simple. */
    SIMPLE(false, put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 1); put_raw(&b, "\0", 1));
    SIMPLE(false, put_hdr(&b, OVS_ACTION_ATTR_OUTPUT, 40));
    SIMPLE(false, put_flag(&b, OVS_ACTION_ATTR_SET));
#undef SIMPLE
    assert_false(odp_actions_are_simple(NULL, 4));
}

/* --------------------------------------------------------------- builders */

static void
test_builders_hex(void **state)
{
    struct msg m;
    uint32_t one = 1;
    bool le = *(const uint8_t *) &one == 1;

    (void) state;
    msg_init(&m);
    assert_int_equal(odp_actions_put_output(m.nlh, sizeof m.b, 0x01020305), 0);
    assert_payload_hex(&m, le ? "08000100 05030201" : "00080001 01020305");

    msg_init(&m);
    assert_int_equal(odp_actions_put_push_vlan(m.nlh, sizeof m.b, 0x8100,
                                               0x1000 | (5 << 13) | 100), 0);
    /* Both fields are network order, whatever the host. */
    assert_payload_hex(&m, le ? "08000400 8100b064" : "00080004 8100b064");

    msg_init(&m);
    assert_int_equal(odp_actions_put_pop_vlan(m.nlh, sizeof m.b), 0);
    assert_payload_hex(&m, le ? "04000500" : "00040005");

    msg_init(&m);
    assert_int_equal(odp_actions_put_userspace(m.nlh, sizeof m.b, 0x0a0b0c0d,
                                               "abcde", 5), 0);
    assert_payload_hex(&m, le
                       ? "18000200 08000100 0d0c0b0a 09000200 61626364 65000000"
                       : "00180002 00080001 0a0b0c0d 00090002 61626364 65000000");

    msg_init(&m);
    assert_int_equal(odp_actions_put_userspace(m.nlh, sizeof m.b, 9, NULL, 0),
                     0);
    assert_payload_hex(&m, le ? "0c000200 08000100 09000000"
                              : "000c0002 00080001 00000009");

    /* One after the other, as a flow's list. */
    msg_init(&m);
    assert_int_equal(odp_actions_put_pop_vlan(m.nlh, sizeof m.b), 0);
    assert_int_equal(odp_actions_put_push_vlan(m.nlh, sizeof m.b, 0x88a8,
                                               0x1fff), 0);
    assert_int_equal(odp_actions_put_output(m.nlh, sizeof m.b, 2), 0);
    assert_payload_hex(&m, le ? "04000500 08000400 88a81fff 08000100 02000000"
                              : "00040005 00080004 88a81fff 00080001 00000002");
}

static void
test_builders_roundtrip(void **state)
{
    struct msg m;

    (void) state;
    msg_init(&m);
    assert_int_equal(odp_actions_put_pop_vlan(m.nlh, sizeof m.b), 0);
    assert_int_equal(odp_actions_put_push_vlan(m.nlh, sizeof m.b, 0x8100,
                                               0x1000 | 42), 0);
    assert_int_equal(odp_actions_put_output(m.nlh, sizeof m.b, 7), 0);
    check_ok(mnl_nlmsg_get_payload(m.nlh), mnl_nlmsg_get_payload_len(m.nlh));
    assert_true(odp_actions_are_simple(mnl_nlmsg_get_payload(m.nlh),
                                       mnl_nlmsg_get_payload_len(m.nlh)));

    assert_int_equal(odp_actions_put_userspace(m.nlh, sizeof m.b, 77, "xyz", 3),
                     0);
    check_ok(mnl_nlmsg_get_payload(m.nlh), mnl_nlmsg_get_payload_len(m.nlh));
    assert_false(odp_actions_are_simple(mnl_nlmsg_get_payload(m.nlh),
                                        mnl_nlmsg_get_payload_len(m.nlh)));
}

static void
test_builders_full(void **state)
{
    static uint8_t big[70000] __attribute__((aligned(4)));
    static uint8_t userdata[65520];
    struct msg m;
    uint32_t before;
    size_t buflen = MNL_NLMSG_HDRLEN + 6;   /* room for 6 payload bytes */

    (void) state;
    msg_init(&m);
    before = m.nlh->nlmsg_len;
    assert_int_equal(odp_actions_put_output(m.nlh, buflen, 1), -EMSGSIZE);
    assert_int_equal(odp_actions_put_push_vlan(m.nlh, buflen, 0x8100, 0x1001),
                     -EMSGSIZE);
    assert_int_equal(m.nlh->nlmsg_len, before);
    assert_int_equal(odp_actions_put_pop_vlan(m.nlh, buflen), 0);
    assert_int_equal(odp_actions_put_pop_vlan(m.nlh, buflen), -EMSGSIZE);

    /* No room for the nest header; then room for it only: cancelled,
     * nothing left behind. */
    msg_init(&m);
    before = m.nlh->nlmsg_len;
    assert_int_equal(odp_actions_put_userspace(m.nlh, MNL_NLMSG_HDRLEN + 2, 1,
                                               NULL, 0), -EMSGSIZE);
    assert_int_equal(m.nlh->nlmsg_len, before);
    assert_int_equal(odp_actions_put_userspace(m.nlh, MNL_NLMSG_HDRLEN + 8, 1,
                                               NULL, 0), -EMSGSIZE);
    assert_int_equal(m.nlh->nlmsg_len, before);
    assert_int_equal(odp_actions_put_userspace(m.nlh, MNL_NLMSG_HDRLEN + 12, 1,
                                               "abcd", 4), -EMSGSIZE);
    assert_int_equal(m.nlh->nlmsg_len, before);
    assert_int_equal(odp_actions_put_userspace(m.nlh, sizeof m.b, 1, NULL, 3),
                     -EINVAL);

    /* Userdata too long for the action to fit in a list, which is itself
     * an attribute with a 16-bit length. */
    {
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(big);

        assert_int_equal(odp_actions_put_userspace(nlh, sizeof big, 1, userdata,
                                                   65513), -EMSGSIZE);
        assert_int_equal(odp_actions_put_userspace(nlh, sizeof big, 1, userdata,
                                                   SIZE_MAX), -EMSGSIZE);
        assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN);
        assert_int_equal(odp_actions_put_userspace(nlh, sizeof big, 1, userdata,
                                                   65512), 0);
        assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + 65535 - 7);
        check_ok(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh));
    }
}

static void
test_action_names(void **state)
{
    (void) state;
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_OUTPUT), "output");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_USERSPACE), "userspace");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_SET), "set");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_SET_MASKED), "set");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_PUSH_VLAN), "push_vlan");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_POP_VLAN), "pop_vlan");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_TRUNC), "trunc");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_SAMPLE), "sample");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_CLONE), "clone");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_RECIRC), "recirc");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_HASH), "hash");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_CT), "ct");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_CT_CLEAR), "ct_clear");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_METER), "meter");
    assert_string_equal(odp_action_name(OVS_ACTION_ATTR_CHECK_PKT_LEN),
                        "check_pkt_len");
    assert_string_equal(odp_action_name(ODP_ACTION_ATTR_DROP), "drop");
    assert_string_equal(odp_action_name(ODP_ACTION_ATTR_PSAMPLE), "psample");
    assert_null(odp_action_name(OVS_ACTION_ATTR_UNSPEC));
    assert_null(odp_action_name(26));
    assert_null(odp_action_name(1000));
    assert_null(odp_action_name(UINT32_MAX));
}

/* ------------------------------------------------------------- robustness */

static uint32_t
rnd(uint32_t *s)
{
    /* xorshift32: fixed seed, same buffers on every run. */
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Validates a copy in a buffer of exactly len bytes, so that ASan sees any
 * read past the end; a rejection must come with a message. */
static void
poke(const uint8_t *data, size_t len)
{
    struct xsw_err err = { "" };
    uint8_t *copy = malloc(len ? len : 1);
    int r;

    assert_non_null(copy);
    if (len) {
        memcpy(copy, data, len);
    }
    r = odp_actions_validate(copy, len, &err);
    assert_true(r == 0 || r == -EINVAL || r == -EOPNOTSUPP || r == -EOVERFLOW);
    if (r) {
        assert_true(err.msg[0] != '\0');
    }
    (void) odp_actions_are_simple(copy, len);
    free(copy);
}

static void
test_random_bytes(void **state)
{
    uint8_t data[512];
    uint32_t seed = 0x5eed1234;

    (void) state;
    /* Pure noise, biased towards small lengths and small type numbers so
     * that some buffers get past the first header. */
    for (int i = 0; i < 4000; i++) {
        size_t len = rnd(&seed) % (i % 4 ? 64 : sizeof data);

        for (size_t j = 0; j < len; j++) {
            data[j] = (uint8_t) rnd(&seed);
        }
        for (size_t j = 0; j + 3 < len; j += 4 * (1 + rnd(&seed) % 3)) {
            data[j] = (uint8_t) (4 + rnd(&seed) % 48);        /* nla_len */
            data[j + 1] = 0;
            data[j + 2] = (uint8_t) (rnd(&seed) % 27);        /* nla_type */
            data[j + 3] = rnd(&seed) % 8 ? 0 : 0x80;
        }
        poke(data, len);
    }
}

static void
test_mutated_valid_lists(void **state)
{
    static struct buf b;
    struct buf inner = { .len = 0 };
    struct ovs_key_ipv6 ip6[2] = { { .ipv6_hlimit = 1 }, { .ipv6_hlimit = 0xff } };
    uint32_t seed = 0xc0ffee;
    size_t at;

    (void) state;
    put_u32(&inner, OVS_ACTION_ATTR_OUTPUT, 2);
    put_push_vlan(&inner, 0x8100, 0x1001);
    b.len = 0;
    put_set_masked_eth(&b);
    put_set(&b, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_IPV6, ip6, sizeof ip6);
    at = nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
    put_u32(&b, OVS_USERSPACE_ATTR_PID, 7);
    put_attr(&b, OVS_USERSPACE_ATTR_USERDATA, "cookie", 6);
    nest_end(&b, at);
    put_sample(&b, 99, &inner);
    put_clone(&b, &inner);
    put_u32(&b, ODP_ACTION_ATTR_DROP, 0);
    expect_ok(&b);

    /* Flip a few bytes, or cut the list short, many times over. */
    for (int i = 0; i < 4000; i++) {
        uint8_t copy[sizeof b.b];
        size_t len = b.len;
        int flips = 1 + rnd(&seed) % 4;

        memcpy(copy, b.b, b.len);
        for (int f = 0; f < flips; f++) {
            copy[rnd(&seed) % len] = (uint8_t) rnd(&seed);
        }
        if (rnd(&seed) % 4 == 0) {
            len = rnd(&seed) % len;
        }
        poke(copy, len);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_list_is_drop),
        cmocka_unit_test(test_valid_each_type),
        cmocka_unit_test(test_valid_set_keys),
        cmocka_unit_test(test_valid_set_masked_keys),
        cmocka_unit_test(test_nested_sample_and_clone),
        cmocka_unit_test(test_nested_flag_bit_ignored),
        cmocka_unit_test(test_unpadded_last_attribute),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_length_beyond_buffer),
        cmocka_unit_test(test_length_below_header),
        cmocka_unit_test(test_list_too_long),
        cmocka_unit_test(test_unknown_types),
        cmocka_unit_test(test_unsupported_types),
        cmocka_unit_test(test_fixed_lengths),
        cmocka_unit_test(test_output_port_range),
        cmocka_unit_test(test_push_vlan_rules),
        cmocka_unit_test(test_trunc_rules),
        cmocka_unit_test(test_hash_rules),
        cmocka_unit_test(test_drop_must_be_last),
        cmocka_unit_test(test_userspace_rules),
        cmocka_unit_test(test_sample_rules),
        cmocka_unit_test(test_clone_rules),
        cmocka_unit_test(test_set_rules),
        cmocka_unit_test(test_set_masked_rules),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_error_path_deep),
        cmocka_unit_test(test_are_simple),
        cmocka_unit_test(test_builders_hex),
        cmocka_unit_test(test_builders_roundtrip),
        cmocka_unit_test(test_builders_full),
        cmocka_unit_test(test_action_names),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_mutated_valid_lists),
    };

    return cmocka_run_group_tests_name("odp_actions", tests, NULL, NULL);
}
