/* flow_extract() against the rules of FLOW-KEYS.md, plus the masked hash and
 * compare helpers of flow_key.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/openvswitch.h>

#include "flow_key.h"
#include "frames.h"

#define NONE FLOW_OFS_NONE

static const uint8_t zero_mac[6];
static const uint8_t mac_c[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_d[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

/* ------------------------------------------------------------ checks */

static bool
all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

#define FIELD_ZERO(k, f) all_zero(&(k)->f, sizeof (k)->f)

static bool
is_vlan_tpid(uint16_t tpid)
{
    return tpid == 0x8100 || tpid == 0x88a8;
}

/* What must hold for any frame, malformed or not. */
static void
check_sane(const struct flow_key *k, const struct flow_offsets *o, size_t len,
           const struct flow_meta *md)
{
    const struct flow_meta none = { 0 };
    uint16_t type = ntohs(k->eth_type);

    if (!md) {
        md = &none;
    }
    assert_int_equal(k->in_port, md->in_port);
    assert_int_equal(k->recirc_id, md->recirc_id);
    assert_int_equal(k->dp_hash, md->dp_hash);
    assert_int_equal(k->skb_mark, md->skb_mark);
    assert_int_equal(k->priority, md->priority);
    assert_true(FIELD_ZERO(k, pad0));
    assert_true(FIELD_ZERO(k, pad1));
    assert_true(FIELD_ZERO(k, pad2));

    if (len < 14) {
        assert_int_equal(k->eth_type, htons(FLOW_ETH_TYPE_NONE));
        assert_true(all_zero((const uint8_t *) k + offsetof(struct flow_key, pad0),
                             sizeof *k - offsetof(struct flow_key, pad0)));
        assert_int_equal(o->l2_5, NONE);
        assert_int_equal(o->l3, NONE);
        assert_int_equal(o->l4, NONE);
        return;
    }

    /* Offsets inside the frame and in order. */
    assert_true(o->l2_5 == NONE || (o->l2_5 >= 12 && o->l2_5 < len));
    assert_true(o->l3 == NONE || (o->l3 >= 14 && o->l3 < len));
    assert_true(o->l4 == NONE || (o->l3 != NONE && o->l4 > o->l3 && o->l4 < len));

    /* VLAN: a read tag has CFI; a truncated one has its TPID only and
     * stops everything behind it. */
    for (int i = 0; i < FLOW_MAX_VLANS; i++) {
        const struct flow_vlan *v = &k->vlans[i];

        if (v->tpid == 0) {
            assert_int_equal(v->tci, 0);
            continue;
        }
        assert_true(is_vlan_tpid(ntohs(v->tpid)));
        assert_true(i == 0 || (k->vlans[0].tci & htons(FLOW_VLAN_CFI)));
        if (!(v->tci & htons(FLOW_VLAN_CFI))) {
            assert_int_equal(v->tci, 0);
            assert_int_equal(k->eth_type, 0);
        }
    }
    if (k->eth_type == 0) {
        bool cut_tag = false;

        for (int i = 0; i < FLOW_MAX_VLANS; i++) {
            cut_tag |= k->vlans[i].tpid && !k->vlans[i].tci;
        }
        assert_true(cut_tag);
    } else {
        assert_true(type >= 0x600 || type == FLOW_ETH_TYPE_NONE);
    }

    if (type != 0x8847 && type != 0x8848) {
        assert_true(FIELD_ZERO(k, mpls_lse));
    }
    if (type != 0x0800 && type != 0x86dd && type != 0x0806 && type != 0x8035) {
        assert_true(all_zero(&k->nw_src, offsetof(struct flow_key, pad1)
                             - offsetof(struct flow_key, nw_src)));
        assert_true(FIELD_ZERO(k, arp_sha));
        assert_true(FIELD_ZERO(k, arp_tha));
        assert_true(FIELD_ZERO(k, nd_target));
        assert_int_equal(o->l3, NONE);
    }
    if (type != 0x86dd) {
        assert_true(FIELD_ZERO(k, ipv6_src));
        assert_true(FIELD_ZERO(k, ipv6_dst));
        assert_int_equal(k->ipv6_label, 0);
        assert_true(FIELD_ZERO(k, nd_target));
    }
    if (type != 0x0800 && type != 0x86dd) {
        assert_int_equal(o->l4, NONE);
        assert_int_equal(k->tp_src, 0);
        assert_int_equal(k->tp_dst, 0);
        assert_int_equal(k->nw_frag, 0);
    }
    assert_true(k->nw_frag <= OVS_FRAG_TYPE_LATER);
    if (k->nw_frag == OVS_FRAG_TYPE_LATER) {
        assert_int_equal(o->l4, NONE);
        assert_int_equal(k->tp_src, 0);
        assert_int_equal(k->tp_dst, 0);
    }
    assert_int_equal(k->tcp_flags & htons(0xf000), 0);
    if (k->nw_proto != 6 || (type != 0x0800 && type != 0x86dd)) {
        assert_int_equal(k->tcp_flags, 0);
    }
    if (type == 0x86dd) {
        assert_int_equal(k->ipv6_label & htonl(0xfff00000), 0);
        assert_int_equal(k->nw_src, 0);
        assert_int_equal(k->nw_dst, 0);
        if (k->nw_proto != 58
            || (k->tp_src != htons(135) && k->tp_src != htons(136)) || k->tp_dst) {
            assert_true(FIELD_ZERO(k, nd_target));
            assert_true(FIELD_ZERO(k, arp_sha));
            assert_true(FIELD_ZERO(k, arp_tha));
        }
    }
    if (type == 0x0800) {
        assert_true(FIELD_ZERO(k, arp_sha));
        assert_true(FIELD_ZERO(k, arp_tha));
    }
}

/* Extracts from an exactly-sized heap copy, so that ASan sees a read past
 * the end, and checks the invariants. */
static void
extract_len(const void *data, size_t len, const struct flow_meta *md,
            struct flow_key *k, struct flow_offsets *o)
{
    uint8_t *copy = malloc(len ? len : 1);

    assert_non_null(copy);
    memcpy(copy, data, len);
    memset(k, 0xa5, sizeof *k);         /* everything must be written */
    memset(o, 0xa5, sizeof *o);
    flow_extract(copy, len, md, k, o);
    free(copy);
    check_sane(k, o, len, md);
}

static void
extract(const struct frames_buf *f, struct flow_key *k, struct flow_offsets *o)
{
    extract_len(f->data, f->len, NULL, k, o);
}

static void
assert_ofs(const struct flow_offsets *o, uint16_t l2_5, uint16_t l3, uint16_t l4)
{
    assert_int_equal(o->l2_5, l2_5);
    assert_int_equal(o->l3, l3);
    assert_int_equal(o->l4, l4);
}

static void
assert_l4_zero(const struct flow_key *k)
{
    assert_int_equal(k->tp_src, 0);
    assert_int_equal(k->tp_dst, 0);
    assert_int_equal(k->tcp_flags, 0);
}

/* ------------------------------------------------------------ frame makers */

static void
ipv4_hdr(struct frames_buf *f, uint8_t proto, uint16_t frag, uint8_t opt_len)
{
    struct frames_ipv4 ip = {
        .src = FRAMES_IP4_A, .dst = FRAMES_IP4_B, .proto = proto, .tos = 0,
        .ttl = 64, .frag = frag, .opt_len = opt_len,
    };

    frames_ipv4(f, &ip);
}

static void
ipv6_hdr(struct frames_buf *f, uint8_t next)
{
    struct frames_ipv6 ip = {
        .src = frames_ip6_a, .dst = frames_ip6_b, .next = next, .tclass = 0,
        .hlimit = 255, .label = 0,
    };

    frames_ipv6(f, &ip);
}

static size_t
make_ipv4_opts_tcp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(f, 6, 0, 12);
    frames_tcp_doff(f, 1000, 2000, 0x018, 8);
    return frames_finish(f);
}

static size_t
make_ipv4_icmp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(f, 1, 0, 0);
    frames_icmp(f, 8, 0);
    frames_put_zeros(f, 16);
    return frames_finish(f);
}

static size_t
make_ipv4_sctp_first_frag(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(f, 132, 0x2000, 0);
    frames_sctp(f, 3868, 3869);
    return frames_finish(f);
}

static size_t
make_qinq_ipv4_udp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth_addrs(f, frames_mac_a, frames_mac_b);
    frames_vlan(f, 0x88a8, 100);
    frames_vlan(f, 0x8100, 5 << 13 | 200);
    frames_eth_type(f, 0x0800);
    ipv4_hdr(f, 17, 0, 0);
    frames_udp(f, 67, 68);
    return frames_finish(f);
}

static size_t
make_mpls(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x8847);
    frames_mpls(f, 16, 0, 0, 64);
    frames_mpls(f, 17, 5, 1, 63);
    ipv4_hdr(f, 6, 0, 0);
    frames_tcp(f, 1, 2, 0x002);
    return frames_finish(f);
}

static size_t
make_snap_ipv4_udp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 36);
    frames_llc(f, 0xaa, 0xaa, 0x03);
    frames_snap(f, 0, 0x0800);
    ipv4_hdr(f, 17, 0, 0);
    frames_udp(f, 111, 2049);
    return frames_finish(f);
}

static size_t
make_llc(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 38);
    frames_llc(f, 0x42, 0x42, 0x03);
    frames_put_zeros(f, 35);        /* an STP BPDU */
    return f->len;
}

static size_t
make_ipv6_ext_tcp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(f, 0);
    frames_ipv6_opts(f, 43, 0);     /* hop-by-hop, 8 bytes */
    frames_ipv6_opts(f, 60, 2);     /* routing, 24 bytes */
    frames_ipv6_opts(f, 51, 1);     /* destination options, 16 bytes */
    frames_ipv6_ah(f, 44, 4);       /* AH, 24 bytes */
    frames_ipv6_frag(f, 6, 0, 1);   /* first fragment, 8 bytes */
    frames_tcp(f, 22, 50000, 0x011);
    return frames_finish(f);
}

static size_t
make_ipv6_later_frag(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(f, 44);
    frames_ipv6_frag(f, 17, 185, 1);
    frames_udp(f, 4000, 4001);      /* payload bytes, not a header */
    return frames_finish(f);
}

static size_t
make_nd_ns(struct frames_buf *f)
{
    static const uint8_t target[16] = {
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56
    };

    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(f, 58);
    frames_nd(f, 135, target);
    frames_nd_opt(f, 3, 4, NULL);   /* prefix information, skipped */
    frames_nd_opt(f, 1, 1, mac_c);
    return frames_finish(f);
}

static size_t
make_nd_na(struct frames_buf *f)
{
    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(f, 58);
    frames_nd(f, 136, frames_ip6_b);
    frames_nd_opt(f, 2, 1, mac_d);
    return frames_finish(f);
}

static size_t
make_vlan_arp(struct frames_buf *f)
{
    frames_init(f);
    frames_eth_addrs(f, frames_mac_a, frames_mac_b);
    frames_vlan(f, 0x8100, 42);
    frames_eth_type(f, 0x0806);
    frames_arp(f, 2, frames_mac_b, FRAMES_IP4_A, frames_mac_a, FRAMES_IP4_B);
    return frames_finish(f);
}

static size_t
make_three_tags(struct frames_buf *f)
{
    frames_init(f);
    frames_eth_addrs(f, frames_mac_a, frames_mac_b);
    frames_vlan(f, 0x88a8, 1);
    frames_vlan(f, 0x8100, 2);
    frames_vlan(f, 0x8100, 3);
    frames_eth_type(f, 0x0800);
    ipv4_hdr(f, 17, 0, 0);
    frames_udp(f, 1, 2);
    return frames_finish(f);
}

/* ------------------------------------------------------------ Ethernet */

static void
test_eth_ipv4_tcp(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_eth_ipv4_tcp(&f);
    extract(&f, &k, &o);
    assert_memory_equal(k.eth_dst, frames_mac_a, 6);
    assert_memory_equal(k.eth_src, frames_mac_b, 6);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_true(FIELD_ZERO(&k, vlans));
    assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
    assert_int_equal(k.nw_dst, htonl(FRAMES_IP4_B));
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.nw_tos, 0);
    assert_int_equal(k.nw_ttl, 64);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
    assert_int_equal(k.tp_src, htons(12345));
    assert_int_equal(k.tp_dst, htons(80));
    assert_int_equal(k.tcp_flags, htons(0x012));
    assert_ofs(&o, NONE, 14, 34);
}

static void
test_metadata(void **state)
{
    const struct flow_meta md = {
        .in_port = 7, .recirc_id = 0x11223344, .dp_hash = 0xdeadbeef,
        .skb_mark = 0x55, .priority = 0x10002,
    };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_eth_ipv4_tcp(&f);
    extract_len(f.data, f.len, &md, &k, &o);
    assert_int_equal(k.in_port, 7);
    assert_int_equal(k.recirc_id, 0x11223344);
    assert_int_equal(k.dp_hash, 0xdeadbeef);
    assert_int_equal(k.skb_mark, 0x55);
    assert_int_equal(k.priority, 0x10002);
    assert_int_equal(k.eth_type, htons(0x0800));

    /* Metadata also for frames too short to parse. */
    extract_len(f.data, 3, &md, &k, &o);
    assert_int_equal(k.in_port, 7);
    assert_int_equal(k.priority, 0x10002);

    /* NULL metadata and NULL offsets. */
    memset(&k, 0xff, sizeof k);
    flow_extract(f.data, f.len, NULL, &k, NULL);
    assert_int_equal(k.in_port, 0);
    assert_int_equal(k.recirc_id, 0);
    assert_int_equal(k.dp_hash, 0);
    assert_int_equal(k.skb_mark, 0);
    assert_int_equal(k.priority, 0);
    assert_int_equal(k.tp_dst, htons(80));
}

static void
test_short_frames(void **state)
{
    const struct flow_meta md = { .in_port = 3 };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_eth_ipv4_tcp(&f);
    for (size_t len = 0; len < 14; len++) {
        extract_len(f.data, len, &md, &k, &o);      /* check_sane: all zero */
        assert_true(FIELD_ZERO(&k, eth_src));
        assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
        assert_int_equal(k.in_port, 3);
        assert_ofs(&o, NONE, NONE, NONE);
    }
    /* Exactly an Ethernet header: the type, nothing behind it. */
    extract_len(f.data, 14, NULL, &k, &o);
    assert_memory_equal(k.eth_dst, frames_mac_a, 6);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_proto, 0);
    assert_ofs(&o, NONE, NONE, NONE);
}

static void
test_unknown_ethertype(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x88cc);     /* LLDP */
    frames_put_zeros(&f, 46);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x88cc));
    assert_ofs(&o, NONE, NONE, NONE);

    /* 0x0600 is the first Ethernet type. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0600);
    frames_put_zeros(&f, 46);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0600));
}

static void
test_8023_llc(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_llc(&f);
    extract(&f, &k, &o);
    assert_memory_equal(k.eth_src, frames_mac_b, 6);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
    assert_ofs(&o, NONE, NONE, NONE);

    /* A length field with nothing behind it. */
    extract_len(f.data, 14, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));

    /* 0x05ff is still a length. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x05ff);
    frames_put_zeros(&f, 46);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
}

static void
test_snap(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_snap_ipv4_udp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
    assert_int_equal(k.tp_src, htons(111));
    assert_int_equal(k.tp_dst, htons(2049));
    assert_ofs(&o, NONE, 22, 42);

    /* SNAP header cut short: not an Ethernet type. */
    extract_len(f.data, 21, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
    /* Exactly the SNAP header: the type, and an empty IPv4 layer. */
    extract_len(f.data, 22, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_proto, 0);

    /* Not the Ethernet OUI. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 46);
    frames_llc(&f, 0xaa, 0xaa, 0x03);
    frames_snap(&f, 0x00000c, 0x2000);                     /* Cisco CDP */
    frames_put_zeros(&f, 38);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));

    /* A SNAP type that is a VLAN TPID is not taken as a tag (found by the
     * fuzzer: its key read back as a tagged frame's). */
    for (int t = 0; t < 2; t++) {
        frames_init(&f);
        frames_eth(&f, frames_mac_a, frames_mac_b, 46);
        frames_llc(&f, 0xaa, 0xaa, 0x03);
        frames_snap(&f, 0, t ? 0x88a8 : 0x8100);
        frames_put_zeros(&f, 38);
        extract(&f, &k, &o);
        assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
        assert_int_equal(k.vlans[0].tpid, 0);
    }

    /* A SNAP type below 0x600 is no Ethernet type either. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 46);
    frames_llc(&f, 0xaa, 0xaa, 0x03);
    frames_snap(&f, 0, 0x0100);
    frames_put_zeros(&f, 38);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));

    /* Not an unnumbered-information frame. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 46);
    frames_llc(&f, 0xaa, 0xaa, 0xf3);
    frames_snap(&f, 0, 0x0800);
    frames_put_zeros(&f, 38);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(FLOW_ETH_TYPE_NONE));
}

/* ------------------------------------------------------------ VLAN */

static void
test_vlan(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_vlan_ipv4_udp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tpid, htons(0x8100));
    assert_int_equal(k.vlans[0].tci, htons(3 << 13 | FLOW_VLAN_CFI | 10));
    assert_true(flow_vlan_present(&k.vlans[0]));
    assert_false(flow_vlan_present(&k.vlans[1]));
    assert_true(FIELD_ZERO(&k, vlans[1]));
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(k.tp_src, htons(5353));
    assert_int_equal(k.tp_dst, htons(53));
    assert_ofs(&o, 12, 18, 38);

    /* TCI 0 is a real tag: CFI only. */
    frames_init(&f);
    frames_eth_addrs(&f, frames_mac_a, frames_mac_b);
    frames_vlan(&f, 0x8100, 0);
    frames_eth_type(&f, 0x86dd);
    ipv6_hdr(&f, 59);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tci, htons(FLOW_VLAN_CFI));
    assert_int_equal(k.eth_type, htons(0x86dd));
    assert_int_equal(k.nw_proto, 59);
    assert_ofs(&o, 12, 18, NONE);

    /* A CFI bit set on the wire changes nothing. */
    frames_init(&f);
    frames_eth_addrs(&f, frames_mac_a, frames_mac_b);
    frames_vlan(&f, 0x8100, 0x1fff);
    frames_eth_type(&f, 0x0800);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tci, htons(0x1fff));
}

static void
test_qinq(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_qinq_ipv4_udp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tpid, htons(0x88a8));
    assert_int_equal(k.vlans[0].tci, htons(FLOW_VLAN_CFI | 100));
    assert_int_equal(k.vlans[1].tpid, htons(0x8100));
    assert_int_equal(k.vlans[1].tci, htons(5 << 13 | FLOW_VLAN_CFI | 200));
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.tp_src, htons(67));
    assert_ofs(&o, 12, 22, 42);

    /* Two 802.1Q tags are QinQ too. */
    f.data[12] = 0x81;
    f.data[13] = 0x00;
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tpid, htons(0x8100));
    assert_int_equal(k.vlans[1].tpid, htons(0x8100));
    assert_int_equal(k.eth_type, htons(0x0800));
}

static void
test_vlan_truncated(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* TPID only, then TPID + TCI without the type behind it. */
    make_qinq_ipv4_udp(&f);
    for (size_t len = 14; len < 18; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_int_equal(k.vlans[0].tpid, htons(0x88a8));
        assert_int_equal(k.vlans[0].tci, 0);
        assert_false(k.vlans[0].tci & htons(FLOW_VLAN_CFI));
        assert_true(flow_vlan_present(&k.vlans[0]));
        assert_true(FIELD_ZERO(&k, vlans[1]));
        assert_int_equal(k.eth_type, 0);
        assert_memory_equal(k.eth_src, frames_mac_b, 6);
        assert_ofs(&o, NONE, NONE, NONE);
    }
    /* Inner tag cut: the outer one is whole. */
    for (size_t len = 18; len < 22; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_int_equal(k.vlans[0].tci, htons(FLOW_VLAN_CFI | 100));
        assert_int_equal(k.vlans[1].tpid, htons(0x8100));
        assert_int_equal(k.vlans[1].tci, 0);
        assert_int_equal(k.eth_type, 0);
        assert_ofs(&o, 12, NONE, NONE);
    }
    /* Both tags, inner type present, IPv4 header missing. */
    extract_len(f.data, 22, NULL, &k, &o);
    assert_int_equal(k.vlans[1].tci, htons(5 << 13 | FLOW_VLAN_CFI | 200));
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_src, 0);
    assert_ofs(&o, 12, NONE, NONE);
}

static void
test_three_tags(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_three_tags(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tpid, htons(0x88a8));
    assert_int_equal(k.vlans[0].tci, htons(FLOW_VLAN_CFI | 1));
    assert_int_equal(k.vlans[1].tpid, htons(0x8100));
    assert_int_equal(k.vlans[1].tci, htons(FLOW_VLAN_CFI | 2));
    assert_int_equal(k.eth_type, htons(0x8100));
    assert_int_equal(k.nw_proto, 0);
    assert_int_equal(k.nw_src, 0);
    assert_ofs(&o, 12, NONE, NONE);
}

/* ------------------------------------------------------------ MPLS */

static void
test_mpls(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_mpls(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x8847));
    assert_int_equal(k.mpls_lse[0], htonl(16 << 12 | 64));
    assert_int_equal(k.mpls_lse[1], htonl(17 << 12 | 5 << 9 | 1 << 8 | 63));
    assert_int_equal(k.mpls_lse[2], 0);
    /* The IPv4 packet under the labels is not parsed. */
    assert_int_equal(k.nw_proto, 0);
    assert_int_equal(k.nw_src, 0);
    assert_int_equal(k.tp_src, 0);
    assert_ofs(&o, 14, NONE, NONE);

    /* Cut inside the second label: the first one only. */
    extract_len(f.data, 21, NULL, &k, &o);
    assert_int_equal(k.mpls_lse[0], htonl(16 << 12 | 64));
    assert_int_equal(k.mpls_lse[1], 0);
    /* No whole label. */
    extract_len(f.data, 17, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x8847));
    assert_true(FIELD_ZERO(&k, mpls_lse));
    assert_ofs(&o, NONE, NONE, NONE);

    /* Multicast MPLS, four labels: the top three. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x8848);
    for (uint32_t i = 0; i < 4; i++) {
        frames_mpls(&f, 100 + i, 0, i == 3, 10);
    }
    frames_put_zeros(&f, 30);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x8848));
    assert_int_equal(k.mpls_lse[0], htonl(100 << 12 | 10));
    assert_int_equal(k.mpls_lse[1], htonl(101 << 12 | 10));
    assert_int_equal(k.mpls_lse[2], htonl(102 << 12 | 10));

    /* Bottom of stack first: the rest is payload. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x8847);
    frames_mpls(&f, 3, 0, 1, 1);
    frames_mpls(&f, 4, 0, 1, 1);
    extract(&f, &k, &o);
    assert_int_equal(k.mpls_lse[0], htonl(3 << 12 | 1 << 8 | 1));
    assert_int_equal(k.mpls_lse[1], 0);

    /* MPLS in a VLAN: the tag is the first L2.5 header. */
    frames_init(&f);
    frames_eth_addrs(&f, frames_mac_a, frames_mac_b);
    frames_vlan(&f, 0x8100, 7);
    frames_eth_type(&f, 0x8847);
    frames_mpls(&f, 5, 0, 1, 64);
    extract(&f, &k, &o);
    assert_int_equal(k.vlans[0].tci, htons(FLOW_VLAN_CFI | 7));
    assert_int_equal(k.eth_type, htons(0x8847));
    assert_int_equal(k.mpls_lse[0], htonl(5 << 12 | 1 << 8 | 64));
    assert_ofs(&o, 12, NONE, NONE);
}

/* ------------------------------------------------------------ ARP */

static void
test_arp(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_eth_arp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0806));
    assert_int_equal(k.nw_proto, 1);
    assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
    assert_int_equal(k.nw_dst, htonl(FRAMES_IP4_B));
    assert_memory_equal(k.arp_sha, frames_mac_b, 6);
    assert_memory_equal(k.arp_tha, zero_mac, 6);
    assert_int_equal(k.nw_tos, 0);
    assert_int_equal(k.nw_ttl, 0);
    assert_int_equal(k.nw_frag, 0);
    assert_ofs(&o, NONE, 14, NONE);

    /* Reply in a VLAN. */
    make_vlan_arp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0806));
    assert_int_equal(k.nw_proto, 2);
    assert_memory_equal(k.arp_tha, frames_mac_a, 6);
    assert_ofs(&o, 12, 18, NONE);

    /* RARP. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x8035);
    frames_arp(&f, 3, frames_mac_b, 0, frames_mac_b, 0);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x8035));
    assert_int_equal(k.nw_proto, 3);
    assert_memory_equal(k.arp_sha, frames_mac_b, 6);
    assert_memory_equal(k.arp_tha, frames_mac_b, 6);

    /* An opcode beyond 8 bits is 0; the addresses still count. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0806);
    frames_arp(&f, 0x0101, frames_mac_b, FRAMES_IP4_A, frames_mac_a, FRAMES_IP4_B);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 0);
    assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
    assert_memory_equal(k.arp_tha, frames_mac_a, 6);
    f.data[14 + 6] = 0;
    f.data[14 + 7] = 0xff;
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 0xff);
}

static void
test_arp_malformed(void **state)
{
    /* Byte of the ARP header to change, and the value. */
    static const struct {
        size_t at;
        uint8_t value;
    } bad[] = {
        { 1, 6 },                   /* htype 6 (IEEE 802) */
        { 0, 1 },                   /* htype 0x0101 */
        { 2, 0x86 },                /* ptype 0x86dd-ish */
        { 3, 0x06 },                /* ptype 0x0806 */
        { 4, 8 },                   /* hlen 8 */
        { 5, 16 },                  /* plen 16 */
    };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        frames_eth_arp(&f);
        f.data[14 + bad[i].at] = bad[i].value;
        extract(&f, &k, &o);
        assert_int_equal(k.eth_type, htons(0x0806));
        assert_int_equal(k.nw_proto, 0);
        assert_int_equal(k.nw_src, 0);
        assert_int_equal(k.nw_dst, 0);
        assert_true(FIELD_ZERO(&k, arp_sha));
        assert_true(FIELD_ZERO(&k, arp_tha));
        assert_ofs(&o, NONE, NONE, NONE);
    }

    /* 27 bytes of ARP: nothing; 28: everything. */
    frames_eth_arp(&f);
    extract_len(f.data, 14 + 27, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0806));
    assert_int_equal(k.nw_proto, 0);
    assert_true(FIELD_ZERO(&k, arp_sha));
    extract_len(f.data, 14 + 28, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 1);
    assert_int_equal(k.nw_dst, htonl(FRAMES_IP4_B));
}

/* ------------------------------------------------------------ IPv4 */

static void
test_ipv4_fields(void **state)
{
    struct frames_ipv4 ip = {
        .src = 0x01020304, .dst = 0xfffffffe, .proto = 47, .tos = 0xb9, .ttl = 1,
    };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    frames_ipv4(&f, &ip);
    frames_put_zeros(&f, 30);               /* GRE: not parsed */
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_src, htonl(0x01020304));
    assert_int_equal(k.nw_dst, htonl(0xfffffffe));
    assert_int_equal(k.nw_proto, 47);
    assert_int_equal(k.nw_tos, 0xb9);       /* DSCP and ECN */
    assert_int_equal(k.nw_ttl, 1);
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);
}

static void
test_ipv4_options(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_ipv4_opts_tcp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.tp_src, htons(1000));
    assert_int_equal(k.tp_dst, htons(2000));
    assert_int_equal(k.tcp_flags, htons(0x018));
    assert_ofs(&o, NONE, 14, 46);

    /* Largest header: 40 bytes of options. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(&f, 17, 0, 40);
    frames_udp(&f, 9, 10);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(9));
    assert_ofs(&o, NONE, 14, 74);

    /* Options cut: the IHL reaches past the frame, no IPv4 fields. */
    extract_len(f.data, 14 + 59, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_src, 0);
    assert_int_equal(k.nw_proto, 0);
    assert_ofs(&o, NONE, NONE, NONE);
    /* Options whole, UDP missing: empty udp(). */
    extract_len(f.data, 14 + 60, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 17);
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);
}

static void
test_ipv4_malformed(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* IHL below 5. */
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        frames_eth_ipv4_tcp(&f);
        f.data[14] = (uint8_t) (0x40 | ihl);
        extract(&f, &k, &o);
        assert_int_equal(k.eth_type, htons(0x0800));
        assert_int_equal(k.nw_src, 0);
        assert_int_equal(k.nw_dst, 0);
        assert_int_equal(k.nw_proto, 0);
        assert_int_equal(k.nw_ttl, 0);
        assert_l4_zero(&k);
        assert_ofs(&o, NONE, NONE, NONE);
    }

    /* IHL beyond the frame. */
    frames_eth_ipv4_tcp(&f);
    f.data[14] = 0x4f;                      /* 60 bytes, frame has 40 */
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 0);
    assert_ofs(&o, NONE, NONE, NONE);

    /* IHL of exactly what is left: header whole, TCP missing. */
    f.data[14] = 0x4a;                      /* 40 bytes */
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);

    /* Header truncated: 19 bytes. */
    frames_eth_ipv4_tcp(&f);
    extract_len(f.data, 14 + 19, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x0800));
    assert_int_equal(k.nw_src, 0);
    assert_ofs(&o, NONE, NONE, NONE);
}

static void
test_ipv4_fragments(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* First fragment: MF, offset 0; the transport header is there. */
    make_ipv4_sctp_first_frag(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_FIRST);
    assert_int_equal(k.nw_proto, 132);
    assert_int_equal(k.tp_src, htons(3868));
    assert_int_equal(k.tp_dst, htons(3869));
    assert_ofs(&o, NONE, 14, 34);

    /* Later fragments, with and without MF: no transport fields. */
    static const uint16_t later[] = { 0x2000 | 185, 185, 1, 0x1fff, 0x4000 | 3 };
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        frames_init(&f);
        frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
        ipv4_hdr(&f, 6, later[i], 0);
        frames_tcp(&f, 1, 2, 0x002);
        frames_finish(&f);
        extract(&f, &k, &o);
        assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_LATER);
        assert_int_equal(k.nw_proto, 6);
        assert_int_equal(k.nw_src, htonl(FRAMES_IP4_A));
        assert_l4_zero(&k);
        assert_ofs(&o, NONE, 14, NONE);
    }

    /* DF alone is no fragment. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(&f, 17, 0x4000, 0);
    frames_udp(&f, 1, 2);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
    assert_int_equal(k.tp_dst, htons(2));
}

/* ------------------------------------------------------------ transport */

static void
test_tcp_flags(void **state)
{
    static const uint16_t flags[] = { 0x001, 0x002, 0x004, 0x008, 0x010, 0x020,
                                      0x040, 0x080, 0x100, 0x0e00, 0x0fff, 0 };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        frames_init(&f);
        frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
        ipv4_hdr(&f, 6, 0, 0);
        frames_tcp(&f, 1, 2, flags[i]);
        frames_finish(&f);
        extract(&f, &k, &o);
        assert_int_equal(k.tcp_flags, htons(flags[i]));
        assert_int_equal(k.tp_src, htons(1));
    }
}

static void
test_tcp_malformed(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* Data offset below 5. */
    for (uint8_t doff = 0; doff < 5; doff++) {
        frames_init(&f);
        frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
        ipv4_hdr(&f, 6, 0, 0);
        frames_tcp_doff(&f, 1, 2, 0x002, doff);
        frames_put_zeros(&f, 20);
        frames_finish(&f);
        extract(&f, &k, &o);
        assert_int_equal(k.nw_proto, 6);
        assert_l4_zero(&k);
        assert_ofs(&o, NONE, 14, NONE);
    }

    /* Data offset past the frame: 15 words, only 8 there. */
    make_ipv4_opts_tcp(&f);
    f.data[46 + 12] = (uint8_t) (15 << 4 | (f.data[46 + 12] & 0x0f));
    extract(&f, &k, &o);
    assert_l4_zero(&k);
    /* Options whole: 15 words, 60 bytes. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(&f, 6, 0, 0);
    frames_tcp_doff(&f, 7, 8, 0x010, 15);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(7));
    assert_int_equal(k.tcp_flags, htons(0x010));
    extract_len(f.data, f.len - 1, NULL, &k, &o);
    assert_l4_zero(&k);

    /* FLOW-KEYS.md: proto 6 cut after the IP header is tcp(src=0,dst=0). */
    frames_eth_ipv4_tcp(&f);
    for (size_t len = 34; len < 54; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_int_equal(k.eth_type, htons(0x0800));
        assert_int_equal(k.nw_proto, 6);
        assert_int_equal(k.nw_dst, htonl(FRAMES_IP4_B));
        assert_l4_zero(&k);
        assert_ofs(&o, NONE, 14, NONE);
    }
}

static void
test_udp_sctp(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_vlan_ipv4_udp(&f);
    extract_len(f.data, 38 + 8, NULL, &k, &o);
    assert_int_equal(k.tp_src, htons(5353));
    assert_int_equal(k.tp_dst, htons(53));
    assert_int_equal(k.tcp_flags, 0);
    extract_len(f.data, 38 + 7, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 17);
    assert_l4_zero(&k);
    assert_int_equal(o.l4, NONE);

    make_ipv4_sctp_first_frag(&f);
    extract_len(f.data, 34 + 12, NULL, &k, &o);
    assert_int_equal(k.tp_src, htons(3868));
    extract_len(f.data, 34 + 11, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 132);
    assert_l4_zero(&k);

    /* SCTP over IPv6. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 132);
    frames_sctp(&f, 5000, 5001);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(5000));
    assert_int_equal(k.tp_dst, htons(5001));
    assert_ofs(&o, NONE, 14, 54);
}

static void
test_icmp(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    make_ipv4_icmp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 1);
    assert_int_equal(k.tp_src, htons(8));
    assert_int_equal(k.tp_dst, htons(0));
    assert_ofs(&o, NONE, 14, 34);

    /* Destination unreachable, code 3: a whole 8-byte header is needed. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(&f, 1, 0, 0);
    frames_icmp(&f, 3, 3);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(3));
    assert_int_equal(k.tp_dst, htons(3));
    extract_len(f.data, f.len - 1, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 1);
    assert_l4_zero(&k);
    assert_int_equal(o.l4, NONE);

    /* ICMPv6 in IPv4 and ICMP in IPv6 are not ICMP. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x0800);
    ipv4_hdr(&f, 58, 0, 0);
    frames_icmp6(&f, 128, 0);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 58);
    assert_l4_zero(&k);
    assert_int_equal(o.l4, NONE);

    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 1);
    frames_icmp(&f, 8, 0);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 1);
    assert_l4_zero(&k);
    assert_int_equal(o.l4, NONE);
}

/* ------------------------------------------------------------ IPv6 */

static void
test_ipv6_tcp(void **state)
{
    struct frames_ipv6 ip = {
        .src = frames_ip6_a, .dst = frames_ip6_b, .next = 6, .tclass = 0xb9,
        .hlimit = 3, .label = 0xabcde,
    };
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_eth_ipv6_tcp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.eth_type, htons(0x86dd));
    assert_memory_equal(k.ipv6_src, frames_ip6_a, 16);
    assert_memory_equal(k.ipv6_dst, frames_ip6_b, 16);
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.nw_ttl, 64);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
    assert_int_equal(k.tp_src, htons(443));
    assert_int_equal(k.tp_dst, htons(33000));
    assert_int_equal(k.tcp_flags, htons(0x010));
    assert_ofs(&o, NONE, 14, 54);

    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    frames_ipv6(&f, &ip);
    frames_tcp(&f, 1, 2, 0x004);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.ipv6_label, htonl(0xabcde));
    assert_int_equal(k.nw_tos, 0xb9);
    assert_int_equal(k.nw_ttl, 3);
    assert_int_equal(k.tcp_flags, htons(0x004));

    /* Base header cut: no IPv6 fields at all. */
    extract_len(f.data, 14 + 39, NULL, &k, &o);
    assert_int_equal(k.eth_type, htons(0x86dd));
    assert_true(FIELD_ZERO(&k, ipv6_src));
    assert_true(FIELD_ZERO(&k, ipv6_dst));
    assert_int_equal(k.ipv6_label, 0);
    assert_int_equal(k.nw_tos, 0);
    assert_int_equal(k.nw_ttl, 0);
    assert_int_equal(k.nw_proto, 0);
    assert_ofs(&o, NONE, NONE, NONE);
    /* Base header whole, TCP missing. */
    extract_len(f.data, 14 + 40, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.ipv6_label, htonl(0xabcde));
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);
}

static void
test_ipv6_ext_headers(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* Hop-by-hop, routing, destination options, AH, fragment (first). */
    make_ipv6_ext_tcp(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 6);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_FIRST);
    assert_int_equal(k.tp_src, htons(22));
    assert_int_equal(k.tp_dst, htons(50000));
    assert_int_equal(k.tcp_flags, htons(0x011));
    assert_memory_equal(k.ipv6_dst, frames_ip6_b, 16);
    assert_ofs(&o, NONE, 14, 14 + 40 + 8 + 24 + 16 + 24 + 8);

    /* An atomic fragment (offset 0, no MF) is no fragment. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 44);
    frames_ipv6_frag(&f, 17, 0, 0);
    frames_udp(&f, 53, 1053);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(k.tp_dst, htons(1053));
    assert_ofs(&o, NONE, 14, 62);

    /* "No next header" after an extension header. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 60);
    frames_ipv6_opts(&f, 59, 0);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 59);
    assert_ofs(&o, NONE, 14, NONE);

    /* An unknown next header ends the walk: it is the protocol. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 0);
    frames_ipv6_opts(&f, 50, 0);    /* ESP */
    frames_put_zeros(&f, 16);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 50);
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);
}

static void
test_ipv6_fragments(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* Later fragment: stops at the fragment header, which is the protocol. */
    make_ipv6_later_frag(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_LATER);
    assert_int_equal(k.nw_proto, 44);
    assert_memory_equal(k.ipv6_src, frames_ip6_a, 16);
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);

    /* First fragment: the transport header is read. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 44);
    frames_ipv6_frag(&f, 17, 0, 1);
    frames_udp(&f, 4000, 4001);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_FIRST);
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(k.tp_src, htons(4000));
    assert_ofs(&o, NONE, 14, 62);

    /* Fragment header cut before its offset field: nothing known past the
     * base header. */
    extract_len(f.data, 54 + 3, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 59);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
    assert_ofs(&o, NONE, 14, NONE);
    /* Fragment header whole as far as the offset: first fragment, no UDP. */
    extract_len(f.data, 54 + 4, NULL, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_FIRST);
    assert_int_equal(k.nw_proto, 17);
    assert_l4_zero(&k);

    /* A later fragment's type survives a cut after its offset field. */
    make_ipv6_later_frag(&f);
    extract_len(f.data, 54 + 4, NULL, &k, &o);
    assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_LATER);
    assert_int_equal(k.nw_proto, 44);
}

static void
test_ipv6_ext_truncated(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* Every cut inside the extension headers: nw_proto 59 (no next
     * header known), addresses kept, no transport layer. */
    size_t full = make_ipv6_ext_tcp(&f);
    size_t tcp_ofs = full - 20;
    for (size_t len = 54; len < tcp_ofs; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_memory_equal(k.ipv6_src, frames_ip6_a, 16);
        assert_l4_zero(&k);
        assert_int_equal(o.l3, 14);
        assert_int_equal(o.l4, NONE);
        if (len < tcp_ofs - 8 + 4) {
            assert_int_equal(k.nw_proto, 59);
            assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_NONE);
        } else {
            /* The fragment header's offset is read, TCP is cut. */
            assert_int_equal(k.nw_proto, 6);
            assert_int_equal(k.nw_frag, OVS_FRAG_TYPE_FIRST);
        }
    }

    /* An extension header longer than the frame: the next header is known,
     * its header is not there. */
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 60);
    frames_ipv6_opts(&f, 6, 0);
    frames_tcp(&f, 1, 2, 0x002);
    frames_finish(&f);
    f.data[54 + 1] = 255;                   /* 2048 bytes */
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 6);
    assert_l4_zero(&k);
    assert_ofs(&o, NONE, 14, NONE);

    /* The same inside a chain: the next read is past the frame. */
    f.data[20] = 0;                         /* next header: hop-by-hop */
    f.data[54] = 43;                        /* then routing */
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 59);
    assert_ofs(&o, NONE, 14, NONE);
}

static void
test_icmpv6(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    frames_init(&f);
    frames_eth(&f, frames_mac_a, frames_mac_b, 0x86dd);
    ipv6_hdr(&f, 58);
    frames_icmp6(&f, 128, 0);               /* echo request */
    frames_put_zeros(&f, 56);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.nw_proto, 58);
    assert_int_equal(k.tp_src, htons(128));
    assert_int_equal(k.tp_dst, htons(0));
    assert_true(FIELD_ZERO(&k, nd_target));
    assert_ofs(&o, NONE, 14, 54);

    extract_len(f.data, 54 + 7, NULL, &k, &o);
    assert_int_equal(k.nw_proto, 58);
    assert_l4_zero(&k);
    assert_int_equal(o.l4, NONE);
    extract_len(f.data, 54 + 8, NULL, &k, &o);
    assert_int_equal(k.tp_src, htons(128));
}

static void
test_nd(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* Solicitation: an option that is no link-layer address, then SLL. */
    make_nd_ns(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(135));
    assert_int_equal(k.tp_dst, 0);
    assert_memory_equal(k.nd_target, f.data + 54 + 8, 16);
    assert_memory_equal(k.arp_sha, mac_c, 6);
    assert_memory_equal(k.arp_tha, zero_mac, 6);
    assert_ofs(&o, NONE, 14, 54);

    /* Advertisement with TLL. */
    make_nd_na(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(136));
    assert_memory_equal(k.nd_target, frames_ip6_b, 16);
    assert_memory_equal(k.arp_sha, zero_mac, 6);
    assert_memory_equal(k.arp_tha, mac_d, 6);

    /* Both options. */
    frames_nd_opt(&f, 1, 1, mac_c);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_memory_equal(k.arp_sha, mac_c, 6);
    assert_memory_equal(k.arp_tha, mac_d, 6);

    /* A link-layer option of 16 bytes is not an Ethernet address. */
    make_nd_na(&f);
    f.len -= 8;
    frames_nd_opt(&f, 2, 2, mac_d);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_memory_equal(k.nd_target, frames_ip6_b, 16);
    assert_memory_equal(k.arp_tha, zero_mac, 6);

    /* Nonzero code: ICMPv6 only. */
    make_nd_na(&f);
    f.data[54 + 1] = 1;
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(136));
    assert_int_equal(k.tp_dst, htons(1));
    assert_true(FIELD_ZERO(&k, nd_target));
    assert_true(FIELD_ZERO(&k, arp_tha));

    /* Shorter than an ND message: type and code only. */
    make_nd_na(&f);
    for (size_t len = 54 + 8; len < 54 + 24; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_int_equal(k.tp_src, htons(136));
        assert_true(FIELD_ZERO(&k, nd_target));
        assert_int_equal(o.l4, 54);
    }
    /* Message whole, option cut: target only. */
    for (size_t len = 54 + 24; len < 54 + 32; len++) {
        extract_len(f.data, len, NULL, &k, &o);
        assert_memory_equal(k.nd_target, frames_ip6_b, 16);
        assert_true(FIELD_ZERO(&k, arp_tha));
    }
}

static void
test_nd_malformed_options(void **state)
{
    struct frames_buf f;
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    /* The same option twice: the message is ambiguous, ND fields zero. */
    make_nd_ns(&f);
    frames_nd_opt(&f, 1, 1, mac_d);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_int_equal(k.tp_src, htons(135));
    assert_true(FIELD_ZERO(&k, nd_target));
    assert_true(FIELD_ZERO(&k, arp_sha));
    assert_true(FIELD_ZERO(&k, arp_tha));
    assert_int_equal(o.l4, 54);

    make_nd_na(&f);
    frames_nd_opt(&f, 1, 1, mac_c);
    frames_nd_opt(&f, 2, 1, mac_c);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_true(FIELD_ZERO(&k, nd_target));
    assert_true(FIELD_ZERO(&k, arp_sha));
    assert_true(FIELD_ZERO(&k, arp_tha));

    /* A zero-length option ends the walk, keeping what was found. */
    make_nd_na(&f);
    frames_nd_opt(&f, 1, 0, mac_c);
    frames_nd_opt(&f, 1, 1, mac_c);
    frames_finish(&f);
    extract(&f, &k, &o);
    assert_memory_equal(k.nd_target, frames_ip6_b, 16);
    assert_memory_equal(k.arp_tha, mac_d, 6);
    assert_true(FIELD_ZERO(&k, arp_sha));

    /* So does an option longer than what is left. */
    make_nd_ns(&f);
    f.data[54 + 24 + 1] = 6;                /* prefix option claims 48 of 40 bytes */
    extract(&f, &k, &o);
    assert_memory_equal(k.nd_target, f.data + 54 + 8, 16);
    assert_true(FIELD_ZERO(&k, arp_sha));
}

/* ------------------------------------------------------------ every cut */

typedef size_t frame_maker(struct frames_buf *);

static frame_maker *const all_frames[] = {
    frames_eth_ipv4_tcp, frames_vlan_ipv4_udp, frames_eth_ipv6_tcp, frames_eth_arp,
    make_ipv4_opts_tcp, make_ipv4_icmp, make_ipv4_sctp_first_frag, make_qinq_ipv4_udp,
    make_mpls, make_snap_ipv4_udp, make_llc, make_ipv6_ext_tcp, make_ipv6_later_frag,
    make_nd_ns, make_nd_na, make_vlan_arp, make_three_tags,
};

/* Each frame cut at every length from 0 to whole: no read outside the
 * frame (ASan), the invariants of check_sane(), and a cut never yields a
 * field the whole frame does not have, except nw_proto 59 for IPv6 cut
 * inside its extension headers and "not Ethernet II" for a cut SNAP header. */
static void
test_truncate_every_length(void **state)
{
    const struct flow_meta md = { .in_port = 9, .skb_mark = 1 };
    struct frames_buf f;

    (void) state;
    for (size_t i = 0; i < sizeof all_frames / sizeof all_frames[0]; i++) {
        size_t full = all_frames[i](&f);
        struct flow_key whole, k;
        struct flow_offsets wo, o;

        extract_len(f.data, full, &md, &whole, &wo);
        for (size_t len = 0; len <= full; len++) {
            extract_len(f.data, len, &md, &k, &o);

            const uint8_t *a = (const uint8_t *) &k;
            const uint8_t *b = (const uint8_t *) &whole;
            for (size_t j = 0; j < sizeof k; j++) {
                if (j == offsetof(struct flow_key, nw_proto) && a[j] == 59) {
                    continue;
                }
                if (j - offsetof(struct flow_key, eth_type) < 2
                    && k.eth_type == htons(FLOW_ETH_TYPE_NONE)) {
                    continue;               /* SNAP header cut */
                }
                if (a[j] != 0 && a[j] != b[j]) {
                    fail_msg("frame %zu cut at %zu: byte %zu is %#x, whole frame %#x",
                             i, len, j, a[j], b[j]);
                }
            }
            assert_true(o.l2_5 == NONE || o.l2_5 == wo.l2_5);
            assert_true(o.l3 == NONE || o.l3 == wo.l3);
            assert_true(o.l4 == NONE || o.l4 == wo.l4);
        }
        assert_memory_equal(&k, &whole, sizeof k);
    }
}

/* Random bytes behind a valid Ethernet type, at every length: the parser
 * survives anything.  Deterministic generator so that failures repeat. */
static void
test_random_frames(void **state)
{
    static const uint16_t types[] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8,
                                      0x8847, 0x0026, 0x8035 };
    uint32_t x = 0x12345678;
    uint8_t buf[160];
    struct flow_key k;
    struct flow_offsets o;

    (void) state;
    for (int round = 0; round < 3000; round++) {
        for (size_t j = 0; j < sizeof buf; j++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[j] = (uint8_t) x;
        }
        uint16_t type = types[round % (sizeof types / sizeof types[0])];
        buf[12] = (uint8_t) (type >> 8);
        buf[13] = (uint8_t) type;
        if (round & 1) {
            buf[14] = 0x45;                 /* plausible IHL / tag */
            buf[23] = (uint8_t) (round & 2 ? 6 : 17);
        }
        extract_len(buf, (size_t) (x % sizeof buf) + 1, NULL, &k, &o);
    }
}

/* ------------------------------------------------------------ helpers */

static void
test_mask_range(void **state)
{
    struct flow_mask m;
    unsigned int s, e;

    (void) state;
    memset(&m, 0, sizeof m);
    flow_mask_range(&m, &s, &e);
    assert_int_equal(s, 0);
    assert_int_equal(e, 0);

    m.m.eth_type = 0xffff;                  /* word 2 */
    flow_mask_range(&m, &s, &e);
    assert_int_equal(s, 2);
    assert_int_equal(e, 3);

    m.m.tp_dst = 0xffff;                    /* word 13 */
    flow_mask_range(&m, &s, &e);
    assert_int_equal(s, 2);
    assert_int_equal(e, 14);

    m.m.in_port = 1;
    m.m.nd_target[15] = 1;
    flow_mask_range(&m, &s, &e);
    assert_int_equal(s, 0);
    assert_int_equal(e, FLOW_KEY_WORDS);
}

static void
test_key_mask(void **state)
{
    struct frames_buf f;
    struct flow_key k, masked;
    struct flow_offsets o;
    struct flow_mask m;

    (void) state;
    frames_eth_ipv4_tcp(&f);
    extract(&f, &k, &o);
    memset(&m, 0, sizeof m);
    m.m.eth_type = 0xffff;
    m.m.nw_dst = htonl(0xffffff00);
    m.m.tp_dst = 0xffff;
    flow_key_mask(&masked, &k, &m);
    assert_int_equal(masked.eth_type, htons(0x0800));
    assert_int_equal(masked.nw_dst, htonl(FRAMES_IP4_B & 0xffffff00));
    assert_int_equal(masked.tp_dst, htons(80));
    assert_int_equal(masked.nw_src, 0);
    assert_int_equal(masked.tp_src, 0);
    assert_true(FIELD_ZERO(&masked, eth_src));

    /* In place. */
    flow_key_mask(&k, &k, &m);
    assert_memory_equal(&k, &masked, sizeof k);
}

static void
test_hash_and_equal_masked(void **state)
{
    struct frames_buf f;
    struct flow_key a, b, masked;
    struct flow_offsets o;
    struct flow_mask m;
    unsigned int s, e;

    (void) state;
    frames_eth_ipv4_tcp(&f);
    extract(&f, &a, &o);
    /* Same flow, other source port and TTL. */
    f.data[34] ^= 0x55;
    f.data[22] = 3;
    extract(&f, &b, &o);
    assert_false(flow_key_equal(&a, &b));
    assert_int_not_equal(flow_key_hash(&a, 0), flow_key_hash(&b, 0));

    memset(&m, 0, sizeof m);
    m.m.eth_type = 0xffff;
    m.m.nw_dst = 0xffffffff;
    m.m.nw_proto = 0xff;
    m.m.tp_dst = 0xffff;
    flow_mask_range(&m, &s, &e);
    flow_key_mask(&masked, &a, &m);

    assert_true(flow_key_equal_masked(&masked, &a, &m, s, e));
    assert_true(flow_key_equal_masked(&masked, &b, &m, s, e));
    assert_int_equal(flow_key_hash_masked(&a, &m, s, e, 42),
                     flow_key_hash_masked(&b, &m, s, e, 42));
    assert_int_equal(flow_key_hash_masked(&a, &m, s, e, 42),
                     flow_key_hash_masked(&masked, &m, s, e, 42));
    assert_int_not_equal(flow_key_hash_masked(&a, &m, s, e, 42),
                         flow_key_hash_masked(&a, &m, s, e, 43));

    /* A masked field that differs: not equal, and (here) another hash. */
    b.tp_dst = htons(81);
    assert_false(flow_key_equal_masked(&masked, &b, &m, s, e));
    assert_int_not_equal(flow_key_hash_masked(&a, &m, s, e, 42),
                         flow_key_hash_masked(&b, &m, s, e, 42));

    /* An empty range matches everything. */
    memset(&m, 0, sizeof m);
    flow_mask_range(&m, &s, &e);
    assert_true(flow_key_equal_masked(&masked, &b, &m, s, e));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_ipv4_tcp),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_short_frames),
        cmocka_unit_test(test_unknown_ethertype),
        cmocka_unit_test(test_8023_llc),
        cmocka_unit_test(test_snap),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_qinq),
        cmocka_unit_test(test_vlan_truncated),
        cmocka_unit_test(test_three_tags),
        cmocka_unit_test(test_mpls),
        cmocka_unit_test(test_arp),
        cmocka_unit_test(test_arp_malformed),
        cmocka_unit_test(test_ipv4_fields),
        cmocka_unit_test(test_ipv4_options),
        cmocka_unit_test(test_ipv4_malformed),
        cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_tcp_flags),
        cmocka_unit_test(test_tcp_malformed),
        cmocka_unit_test(test_udp_sctp),
        cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_ipv6_tcp),
        cmocka_unit_test(test_ipv6_ext_headers),
        cmocka_unit_test(test_ipv6_fragments),
        cmocka_unit_test(test_ipv6_ext_truncated),
        cmocka_unit_test(test_icmpv6),
        cmocka_unit_test(test_nd),
        cmocka_unit_test(test_nd_malformed_options),
        cmocka_unit_test(test_truncate_every_length),
        cmocka_unit_test(test_random_frames),
        cmocka_unit_test(test_mask_range),
        cmocka_unit_test(test_key_mask),
        cmocka_unit_test(test_hash_and_equal_masked),
    };

    return cmocka_run_group_tests_name("flow_extract", tests, NULL, NULL);
}
