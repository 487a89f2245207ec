/* actions: what a packet looks like after each action, where it went, and
 * that rewritten checksums verify from scratch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>

#include "actions.h"
#include "csum.h"
#include "flow_key.h"
#include "odp_actions.h"

#define HEADROOM 256
#define FRAME 2048

struct sent {
    uint32_t port;
    uint32_t len;
    uint32_t cutlen;
    uint8_t bytes[FRAME];
};

struct harness {
    struct sent sent[8];
    int n_sent;
    int n_clones;
    int n_freed;
    int n_userspace;
    int n_recirc;
    uint32_t recirc_id;
    int clones_left;            /* free frames for clones */
    struct packet pool[8];
    uint8_t mem[8][HEADROOM + FRAME];
    int n_pool;
};

static struct harness H;

static void
h_output(void *aux, struct packet *p, uint32_t port)
{
    struct sent *s = &H.sent[H.n_sent++];

    (void) aux;
    s->port = port;
    s->len = p->len;
    s->cutlen = p->cutlen;
    memcpy(s->bytes, p->data, p->len);
}

static struct packet *
h_clone(void *aux, const struct packet *p)
{
    struct packet *c;

    (void) aux;
    if (!H.clones_left) {
        return NULL;
    }
    H.clones_left--;
    H.n_clones++;
    c = &H.pool[H.n_pool];
    *c = *p;
    c->data = H.mem[H.n_pool] + HEADROOM;
    c->headroom = HEADROOM;
    memcpy(c->data, p->data, p->len);
    H.n_pool++;
    return c;
}

static void
h_free(void *aux, struct packet *p)
{
    (void) aux;
    (void) p;
    H.n_freed++;
}

static void
h_userspace(void *aux, const struct packet *p, const struct nlattr *a)
{
    (void) aux;
    (void) p;
    assert_int_equal(mnl_attr_get_type(a), OVS_ACTION_ATTR_USERSPACE);
    H.n_userspace++;
}

static void
h_recirc(void *aux, struct packet *p)
{
    (void) aux;
    H.n_recirc++;
    H.recirc_id = p->md.recirc_id;
}

static const struct actions_ops ops = {
    .output = h_output, .clone = h_clone, .free = h_free,
    .userspace = h_userspace, .recirc = h_recirc,
};

/* Ethernet / IPv4 / TCP or UDP with correct checksums. */
static uint8_t base[HEADROOM + FRAME];
static struct packet pkt;
static struct flow_key key;
static struct flow_offsets ofs;

static uint16_t
sum_words(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    }
    if (n & 1) {
        sum += (uint32_t) p[n - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) sum;
}

/* Full verification: the one's-complement sum over header (and pseudo
 * header for L4) is 0xffff when the checksum is right. */
static bool
ipv4_csum_ok(const uint8_t *ip)
{
    return sum_words(ip, 20, 0) == 0xffff;
}

static bool
l4_csum_ok(const uint8_t *ip, const uint8_t *l4, size_t l4len, uint8_t proto)
{
    uint32_t pseudo = 0;

    pseudo += (uint32_t) (ip[12] << 8 | ip[13]) + (uint32_t) (ip[14] << 8 | ip[15]);
    pseudo += (uint32_t) (ip[16] << 8 | ip[17]) + (uint32_t) (ip[18] << 8 | ip[19]);
    pseudo += proto + (uint32_t) l4len;
    return sum_words(l4, l4len, pseudo) == 0xffff;
}

static void
fill_csums(uint8_t *ip, uint8_t proto, size_t l4len)
{
    uint8_t *l4 = ip + 20;
    uint8_t *c = proto == 6 ? l4 + 16 : l4 + 6;
    uint16_t s;

    ip[10] = ip[11] = 0;
    s = (uint16_t) ~sum_words(ip, 20, 0);
    ip[10] = (uint8_t) (s >> 8);
    ip[11] = (uint8_t) s;
    c[0] = c[1] = 0;
    {
        uint32_t pseudo = (uint32_t) (ip[12] << 8 | ip[13]) + (uint32_t) (ip[14] << 8 | ip[15])
                        + (uint32_t) (ip[16] << 8 | ip[17]) + (uint32_t) (ip[18] << 8 | ip[19])
                        + proto + (uint32_t) l4len;

        s = (uint16_t) ~sum_words(l4, l4len, pseudo);
    }
    c[0] = (uint8_t) (s >> 8);
    c[1] = (uint8_t) s;
}

static void
build(uint8_t proto)
{
    uint8_t *f = base + HEADROOM;
    size_t l4len = proto == 6 ? 20 + 6 : 8 + 6;
    size_t len = 14 + 20 + l4len;

    memset(base, 0, sizeof base);
    memcpy(f, "\x00\x02\xe3\x0f\x80\xa4\xe0\x91\xf5\x21\xd0\xb2\x08\x00", 14);
    f[14] = 0x45;
    f[16] = (uint8_t) ((20 + l4len) >> 8);
    f[17] = (uint8_t) (20 + l4len);
    f[22] = 64;
    f[23] = proto;
    memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    memcpy(f + 34, "\x30\x39\x00\x50", 4);
    if (proto == 6) {
        f[46] = 0x50;
        f[47] = 0x02;
        memcpy(f + 54, "hello!", 6);
    } else {
        f[38] = (uint8_t) (l4len >> 8);
        f[39] = (uint8_t) l4len;
        memcpy(f + 42, "hello!", 6);
    }
    fill_csums(f + 14, proto, l4len);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = f;
    pkt.len = (uint32_t) len;
    pkt.headroom = HEADROOM;
    pkt.addr = PACKET_ADDR_NONE;
    flow_extract(f, len, NULL, &key, &ofs);
    memset(&H, 0, sizeof H);
    H.clones_left = 8;
}

static char actbuf[4096] __attribute__((aligned(8)));
static struct nlmsghdr *nlh;

static void
start(void)
{
    nlh = mnl_nlmsg_put_header(actbuf);
}

static void
run(void)
{
    struct actions_stats st = { 0, 0 };

    actions_execute(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh),
                    &pkt, &key, &ofs, &ops, &st);
}

static void
test_output_last_moves(void **state)
{
    (void) state;
    build(6);
    start();
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    run();
    assert_int_equal(H.n_sent, 1);
    assert_int_equal(H.sent[0].port, 2);
    assert_int_equal(H.n_clones, 0);
    assert_int_equal(H.n_freed, 0);
}

static void
test_flood_copies_all_but_last(void **state)
{
    (void) state;
    build(6);
    start();
    for (uint32_t p = 1; p <= 4; p++) {
        mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, p);
    }
    run();
    assert_int_equal(H.n_sent, 4);
    assert_int_equal(H.n_clones, 3);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(H.sent[i].port, (uint32_t) i + 1);
        assert_memory_equal(H.sent[i].bytes, base + HEADROOM, H.sent[i].len);
    }
}

static void
test_no_frame_for_copy_counts(void **state)
{
    struct actions_stats st = { 0, 0 };

    (void) state;
    build(6);
    H.clones_left = 0;
    start();
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    actions_execute(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh),
                    &pkt, &key, &ofs, &ops, &st);
    assert_int_equal(st.no_clone, 1);
    assert_int_equal(H.n_sent, 1);
    assert_int_equal(H.sent[0].port, 2);
}

static void
test_empty_list_drops(void **state)
{
    (void) state;
    build(6);
    start();
    run();
    assert_int_equal(H.n_sent, 0);
    assert_int_equal(H.n_freed, 1);
}

static void
test_drop_action(void **state)
{
    (void) state;
    build(6);
    start();
    mnl_attr_put_u32(nlh, ODP_ACTION_ATTR_DROP, 0);
    run();
    assert_int_equal(H.n_sent, 0);
    assert_int_equal(H.n_freed, 1);
}

static void
test_push_then_pop_vlan(void **state)
{
    struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1000 | 3 << 13 | 10) };
    uint8_t orig[128];
    uint32_t orig_len;

    (void) state;
    build(6);
    memcpy(orig, pkt.data, pkt.len);
    orig_len = pkt.len;
    start();
    mnl_attr_put(nlh, OVS_ACTION_ATTR_PUSH_VLAN, sizeof pv, &pv);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    mnl_attr_put(nlh, OVS_ACTION_ATTR_POP_VLAN, 0, NULL);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    run();
    assert_int_equal(H.n_sent, 2);
    /* Tagged: MACs, 81 00, PCP 3 / VID 10 without the CFI bit, then 08 00. */
    assert_int_equal(H.sent[0].len, orig_len + 4);
    assert_memory_equal(H.sent[0].bytes, orig, 12);
    assert_memory_equal(H.sent[0].bytes + 12, "\x81\x00\x60\x0a\x08\x00", 6);
    assert_memory_equal(H.sent[0].bytes + 16, orig + 12, orig_len - 12);
    /* Popped again: the original frame. */
    assert_int_equal(H.sent[1].len, orig_len);
    assert_memory_equal(H.sent[1].bytes, orig, orig_len);
}

static void
test_set_eth_and_masked(void **state)
{
    struct ovs_key_ethernet e = {
        .eth_src = { 0x02, 0, 0, 0, 0, 0x01 }, .eth_dst = { 0x02, 0, 0, 0, 0, 0x02 },
    };
    struct {
        struct ovs_key_ethernet v, m;
    } em = {
        .v = { .eth_src = { 0 }, .eth_dst = { 0, 0, 0, 0, 0, 0x77 } },
        .m = { .eth_src = { 0 }, .eth_dst = { 0, 0, 0, 0, 0, 0xff } },
    };
    struct nlattr *n;

    (void) state;
    build(6);
    start();
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET);
    mnl_attr_put(nlh, OVS_KEY_ATTR_ETHERNET, sizeof e, &e);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET_MASKED);
    mnl_attr_put(nlh, OVS_KEY_ATTR_ETHERNET, sizeof em, &em);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    run();
    assert_memory_equal(H.sent[0].bytes, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
    assert_memory_equal(H.sent[1].bytes, "\x02\x00\x00\x00\x00\x77\x02\x00\x00\x00\x00\x01", 12);
}

static void
test_set_ipv4_fixes_checksums(void **state)
{
    for (int proto = 6; proto <= 17; proto += 11) {
        struct ovs_key_ipv4 v = {
            .ipv4_src = htonl(0xc0a80101), .ipv4_dst = htonl(0xac100005),
            .ipv4_tos = 0x20, .ipv4_ttl = 9,
        };
        struct nlattr *n;
        const uint8_t *ip;

        (void) state;
        build((uint8_t) proto);
        start();
        n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET);
        mnl_attr_put(nlh, OVS_KEY_ATTR_IPV4, sizeof v, &v);
        mnl_attr_nest_end(nlh, n);
        mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
        run();
        ip = H.sent[0].bytes + 14;
        assert_memory_equal(ip + 12, "\xc0\xa8\x01\x01\xac\x10\x00\x05", 8);
        assert_int_equal(ip[1], 0x20);
        assert_int_equal(ip[8], 9);
        assert_true(ipv4_csum_ok(ip));
        assert_true(l4_csum_ok(ip, ip + 20, H.sent[0].len - 34, (uint8_t) proto));
    }
}

static void
test_set_masked_ipv4_src_prefix(void **state)
{
    struct {
        struct ovs_key_ipv4 v, m;
    } vm = {
        .v = { .ipv4_src = htonl(0x0b000000) },
        .m = { .ipv4_src = htonl(0xff000000) },
    };
    struct nlattr *n;
    const uint8_t *ip;

    (void) state;
    build(6);
    start();
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET_MASKED);
    mnl_attr_put(nlh, OVS_KEY_ATTR_IPV4, sizeof vm, &vm);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    run();
    ip = H.sent[0].bytes + 14;
    assert_memory_equal(ip + 12, "\x0b\x00\x00\x01\x0a\x00\x00\x02", 8);
    assert_int_equal(ip[8], 64);    /* ttl untouched: its mask is zero */
    assert_true(ipv4_csum_ok(ip));
    assert_true(l4_csum_ok(ip, ip + 20, H.sent[0].len - 34, 6));
}

static void
test_set_ports_fix_checksums(void **state)
{
    for (int proto = 6; proto <= 17; proto += 11) {
        struct ovs_key_tcp v = { htons(1111), htons(2222) };
        struct nlattr *n;
        const uint8_t *ip;

        (void) state;
        build((uint8_t) proto);
        start();
        n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET);
        mnl_attr_put(nlh, proto == 6 ? OVS_KEY_ATTR_TCP : OVS_KEY_ATTR_UDP, sizeof v, &v);
        mnl_attr_nest_end(nlh, n);
        mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
        run();
        ip = H.sent[0].bytes + 14;
        assert_memory_equal(ip + 20, "\x04\x57\x08\xae", 4);
        assert_true(l4_csum_ok(ip, ip + 20, H.sent[0].len - 34, (uint8_t) proto));
    }
}

static void
test_udp_zero_checksum_stays_zero(void **state)
{
    struct ovs_key_ipv4 v = { .ipv4_src = htonl(0x01020304), .ipv4_dst = htonl(0x05060708),
                              .ipv4_ttl = 64 };
    struct nlattr *n;

    (void) state;
    build(17);
    pkt.data[14 + 20 + 6] = 0;
    pkt.data[14 + 20 + 7] = 0;
    start();
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SET);
    mnl_attr_put(nlh, OVS_KEY_ATTR_IPV4, sizeof v, &v);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    run();
    assert_int_equal(H.sent[0].bytes[40], 0);
    assert_int_equal(H.sent[0].bytes[41], 0);
    assert_true(ipv4_csum_ok(H.sent[0].bytes + 14));
}

static void
test_trunc_applies_to_next_output_only(void **state)
{
    struct ovs_action_trunc t = { .max_len = 20 };

    (void) state;
    build(6);
    start();
    mnl_attr_put(nlh, OVS_ACTION_ATTR_TRUNC, sizeof t, &t);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 1);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    run();
    assert_int_equal(H.sent[0].cutlen, 20);
    assert_int_equal(H.sent[1].cutlen, 0);
}

static void
test_clone_and_sample(void **state)
{
    struct ovs_action_push_vlan pv = { htons(0x88a8), htons(0x1000 | 5) };
    struct nlattr *n, *m;

    (void) state;
    build(6);
    start();
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_CLONE);
    mnl_attr_put(nlh, OVS_ACTION_ATTR_PUSH_VLAN, sizeof pv, &pv);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 2);
    mnl_attr_nest_end(nlh, n);
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SAMPLE);
    mnl_attr_put_u32(nlh, OVS_SAMPLE_ATTR_PROBABILITY, UINT32_MAX);
    m = mnl_attr_nest_start(nlh, OVS_SAMPLE_ATTR_ACTIONS);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 4);
    mnl_attr_nest_end(nlh, m);
    mnl_attr_nest_end(nlh, n);
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_SAMPLE);
    mnl_attr_put_u32(nlh, OVS_SAMPLE_ATTR_PROBABILITY, 0);
    m = mnl_attr_nest_start(nlh, OVS_SAMPLE_ATTR_ACTIONS);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 5);
    mnl_attr_nest_end(nlh, m);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_OUTPUT, 3);
    run();
    assert_int_equal(H.n_sent, 3);
    assert_int_equal(H.sent[0].port, 2);
    assert_memory_equal(H.sent[0].bytes + 12, "\x88\xa8\x00\x05", 4);
    assert_int_equal(H.sent[1].port, 4);
    assert_int_equal(H.sent[2].port, 3);
    assert_memory_equal(H.sent[2].bytes + 12, "\x08\x00", 2);
}

static void
test_recirc_userspace_hash(void **state)
{
    struct ovs_action_hash h = { .hash_alg = OVS_HASH_ALG_L4, .hash_basis = 7 };
    struct nlattr *n;

    (void) state;
    build(6);
    start();
    mnl_attr_put(nlh, OVS_ACTION_ATTR_HASH, sizeof h, &h);
    n = mnl_attr_nest_start(nlh, OVS_ACTION_ATTR_USERSPACE);
    mnl_attr_put_u32(nlh, OVS_USERSPACE_ATTR_PID, 1);
    mnl_attr_nest_end(nlh, n);
    mnl_attr_put_u32(nlh, OVS_ACTION_ATTR_RECIRC, 0x10);
    run();
    assert_int_equal(H.n_userspace, 1);
    assert_int_equal(H.n_recirc, 1);
    assert_int_equal(H.recirc_id, 0x10);
    assert_int_not_equal(pkt.md.dp_hash, 0);
    assert_int_equal(H.n_freed, 0);
}

static void
test_crc32c_vector(void **state)
{
    (void) state;
    /* RFC 3720 B.4: 32 bytes of zeros. */
    uint8_t z[32] = { 0 };

    assert_int_equal(csum_crc32c(z, sizeof z), 0x8a9136aa);
    assert_int_equal(csum_crc32c("123456789", 9), 0xe3069283);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_last_moves),
        cmocka_unit_test(test_flood_copies_all_but_last),
        cmocka_unit_test(test_no_frame_for_copy_counts),
        cmocka_unit_test(test_empty_list_drops),
        cmocka_unit_test(test_drop_action),
        cmocka_unit_test(test_push_then_pop_vlan),
        cmocka_unit_test(test_set_eth_and_masked),
        cmocka_unit_test(test_set_ipv4_fixes_checksums),
        cmocka_unit_test(test_set_masked_ipv4_src_prefix),
        cmocka_unit_test(test_set_ports_fix_checksums),
        cmocka_unit_test(test_udp_zero_checksum_stays_zero),
        cmocka_unit_test(test_trunc_applies_to_next_output_only),
        cmocka_unit_test(test_clone_and_sample),
        cmocka_unit_test(test_recirc_userspace_hash),
        cmocka_unit_test(test_crc32c_vector),
    };

    return cmocka_run_group_tests_name("actions", tests, NULL, NULL);
}
