/* odp_key: flow keys and masks <-> OVS_KEY_ATTR_* netlink attributes, checked
 * against the kernel datapath's encoding (net/openvswitch/flow_netlink.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "odp_key.h"

/* ----------------------------------------------------------- fixtures */

#define META "recirc_id,dp_hash,skb_priority,in_port,skb_mark,eth,"

/* A netlink message to encode into. */
struct msg {
    uint8_t buf[2048] __attribute__((aligned(8)));
    struct nlmsghdr *nlh;
};

static void
msg_init(struct msg *m)
{
    memset(m->buf, 0xa5, sizeof m->buf);       /* stale bytes must not leak */
    m->nlh = mnl_nlmsg_put_header(m->buf);
}

static const uint8_t *
msg_attrs(const struct msg *m)
{
    return mnl_nlmsg_get_payload(m->nlh);
}

static size_t
msg_len(const struct msg *m)
{
    return mnl_nlmsg_get_payload_len(m->nlh);
}

static void
encode(const struct flow_key *key, struct msg *m)
{
    msg_init(m);
    assert_int_equal(odp_key_put(m->nlh, sizeof m->buf, key), 0);
}

static void
encode_mask(const struct flow_key *key, const struct flow_mask *mask, struct msg *m)
{
    msg_init(m);
    assert_int_equal(odp_mask_put(m->nlh, sizeof m->buf, key, mask), 0);
}

/* Hand-built attribute runs, for input the encoder would never write. */
struct raw {
    uint8_t b[1024] __attribute__((aligned(8)));
    size_t len;
};

static size_t
raw_attr(struct raw *r, uint16_t type, const void *data, size_t len)
{
    size_t off = r->len;
    struct nlattr hdr = { .nla_len = (uint16_t) (NLA_HDRLEN + len), .nla_type = type };

    memcpy(r->b + off, &hdr, sizeof hdr);
    if (len) {
        memcpy(r->b + off + NLA_HDRLEN, data, len);
    }
    memset(r->b + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
    r->len += NLA_HDRLEN + NLA_ALIGN(len);
    return off;
}

static void
raw_u32(struct raw *r, uint16_t type, uint32_t v)
{
    raw_attr(r, type, &v, sizeof v);
}

static void
raw_be16(struct raw *r, uint16_t type, uint16_t host)
{
    __be16 v = htons(host);

    raw_attr(r, type, &v, sizeof v);
}

static size_t
raw_nest_start(struct raw *r, uint16_t type)
{
    return raw_attr(r, type, NULL, 0);
}

static void
raw_nest_end(struct raw *r, size_t off)
{
    struct nlattr hdr;

    memcpy(&hdr, r->b + off, sizeof hdr);
    hdr.nla_len = (uint16_t) (r->len - off);
    memcpy(r->b + off, &hdr, sizeof hdr);
}

static void
raw_eth(struct raw *r)
{
    struct ovs_key_ethernet eth = {
        .eth_src = { 0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2 },
        .eth_dst = { 0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4 },
    };

    raw_attr(r, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
}

static void
raw_ipv4(struct raw *r, uint8_t proto, uint8_t frag)
{
    struct ovs_key_ipv4 ipv4 = {
        .ipv4_src = htonl(0xac100014), .ipv4_dst = htonl(0xac120034),
        .ipv4_proto = proto, .ipv4_ttl = 64, .ipv4_frag = frag,
    };

    raw_attr(r, OVS_KEY_ATTR_IPV4, &ipv4, sizeof ipv4);
}

/* Expects odp_key_parse() to fail with error and exactly msg. */
static void
expect_parse_error(const void *attrs, size_t len, int error, const char *msg)
{
    struct odp_key_info info;
    struct flow_key key;
    struct xsw_err err = { "" };

    assert_int_equal(odp_key_parse(attrs, len, &key, &info, &err), -error);
    assert_string_equal(err.msg, msg);
}

static void
expect_mask_error(const struct flow_key *key, const struct raw *mask, const char *msg)
{
    struct odp_key_info info;
    struct flow_key decoded;
    struct flow_mask m;
    struct xsw_err err = { "" };
    struct msg km;

    encode(key, &km);
    assert_int_equal(odp_key_parse(msg_attrs(&km), msg_len(&km), &decoded, &info, &err), 0);
    assert_int_equal(odp_mask_parse(mask->b, mask->len, &info, &m, &err), -EINVAL);
    assert_string_equal(err.msg, msg);
}

/* "name,name,encap(name,...)" with the values that decide the shape: what a
 * reader checks first in a dumped key. */
static void
describe_run2(const uint8_t *buf, size_t len, char *out, size_t outlen, bool values)
{
    size_t off = 0;

    out[0] = '\0';
    while (off + NLA_HDRLEN <= len) {
        struct nlattr hdr;
        unsigned int type;
        const char *name;
        char one[512];
        __be16 v16;

        memcpy(&hdr, buf + off, sizeof hdr);
        assert_true(hdr.nla_len >= NLA_HDRLEN && hdr.nla_len <= len - off);
        type = hdr.nla_type & 0x3fff;
        name = odp_key_attr_name(type);
        if (type == OVS_KEY_ATTR_ENCAP) {
            char inner[400];

            describe_run2(buf + off + NLA_HDRLEN, hdr.nla_len - NLA_HDRLEN, inner, sizeof inner,
                          values);
            snprintf(one, sizeof one, "encap(%s)", inner);
        } else if (values && (type == OVS_KEY_ATTR_ETHERTYPE || type == OVS_KEY_ATTR_VLAN)) {
            memcpy(&v16, buf + off + NLA_HDRLEN, sizeof v16);
            snprintf(one, sizeof one, "%s(0x%04x)", name, ntohs(v16));
        } else if (values && type == OVS_KEY_ATTR_MPLS) {
            snprintf(one, sizeof one, "mpls(%u)", (hdr.nla_len - NLA_HDRLEN) / 4);
        } else if (name) {
            snprintf(one, sizeof one, "%s", name);
        } else {
            snprintf(one, sizeof one, "key%u", type);
        }
        if (out[0]) {
            strncat(out, ",", outlen - strlen(out) - 1);
        }
        strncat(out, one, outlen - strlen(out) - 1);
        off += NLA_ALIGN(hdr.nla_len);
    }
}

static void
describe_names(const uint8_t *buf, size_t len, char *out, size_t outlen)
{
    describe_run2(buf, len, out, outlen, false);
}

static const char *
describe(const struct msg *m, char *out, size_t outlen)
{
    describe_run2(msg_attrs(m), msg_len(m), out, outlen, true);
    return out;
}

/* The payload of the first attribute of type in (buf, len), or NULL. */
static const uint8_t *
find_attr(const uint8_t *buf, size_t len, unsigned int type, size_t *plen)
{
    size_t off = 0;

    while (off + NLA_HDRLEN <= len) {
        struct nlattr hdr;

        memcpy(&hdr, buf + off, sizeof hdr);
        if ((hdr.nla_type & 0x3fff) == type) {
            *plen = hdr.nla_len - NLA_HDRLEN;
            return buf + off + NLA_HDRLEN;
        }
        off += NLA_ALIGN(hdr.nla_len);
    }
    return NULL;
}

static const uint8_t *
find_in(const struct msg *m, unsigned int type, size_t *plen)
{
    return find_attr(msg_attrs(m), msg_len(m), type, plen);
}

/* ------------------------------------------------------------- keys */

static const uint8_t mac_src[6] = { 0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2 };
static const uint8_t mac_dst[6] = { 0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4 };

static struct flow_key
eth_key(uint16_t eth_type)
{
    struct flow_key k;

    memset(&k, 0, sizeof k);
    k.in_port = 1;
    memcpy(k.eth_src, mac_src, 6);
    memcpy(k.eth_dst, mac_dst, 6);
    k.eth_type = htons(eth_type);
    return k;
}

static struct flow_key
ipv4_key(uint8_t proto, uint8_t frag)
{
    struct flow_key k = eth_key(0x0800);

    k.nw_src = htonl(0xac100014);       /* 172.16.0.20 */
    k.nw_dst = htonl(0xac120034);       /* 172.18.0.52 */
    k.nw_proto = proto;
    k.nw_ttl = 64;
    k.nw_frag = frag;
    if (frag != OVS_FRAG_TYPE_LATER) {
        if (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) {
            k.tp_src = htons(49163);
            k.tp_dst = htons(80);
        } else if (proto == IPPROTO_ICMP) {
            k.tp_src = htons(8);
            k.tp_dst = htons(0);
        }
        if (proto == IPPROTO_TCP) {
            k.tcp_flags = htons(0x012);
        }
    }
    return k;
}

static struct flow_key
ipv6_key(uint8_t proto, uint8_t frag)
{
    struct flow_key k = eth_key(0x86dd);

    for (int i = 0; i < 16; i++) {
        k.ipv6_src[i] = (uint8_t) (0x20 + i);
        k.ipv6_dst[i] = (uint8_t) (0xf0 - i);
    }
    k.ipv6_label = htonl(0x12345);
    k.nw_proto = proto;
    k.nw_tos = 0x28;
    k.nw_ttl = 255;
    k.nw_frag = frag;
    if (frag != OVS_FRAG_TYPE_LATER
        && (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP)) {
        k.tp_src = htons(546);
        k.tp_dst = htons(547);
        if (proto == IPPROTO_TCP) {
            k.tcp_flags = htons(0x018);
        }
    }
    return k;
}

static struct flow_key
icmpv6_key(uint8_t type, uint8_t code)
{
    struct flow_key k = ipv6_key(IPPROTO_ICMPV6, OVS_FRAG_TYPE_NONE);

    k.tp_src = htons(type);
    k.tp_dst = htons(code);
    if ((type == 135 || type == 136) && code == 0) {
        for (int i = 0; i < 16; i++) {
            k.nd_target[i] = (uint8_t) (0xfe - i);
        }
        memcpy(type == 135 ? k.arp_sha : k.arp_tha, mac_src, 6);
    }
    return k;
}

static struct flow_key
arp_key(uint16_t eth_type)
{
    struct flow_key k = eth_key(eth_type);

    k.nw_src = htonl(0x0a000001);
    k.nw_dst = htonl(0x0a000002);
    k.nw_proto = 1;
    memcpy(k.arp_sha, mac_src, 6);
    memcpy(k.arp_tha, mac_dst, 6);
    return k;
}

static struct flow_key
mpls_key(uint16_t eth_type, unsigned int n, bool bos)
{
    struct flow_key k = eth_key(eth_type);

    for (unsigned int i = 0; i < n; i++) {
        /* label 100+i, tc 1, ttl 64 */
        k.mpls_lse[i] = htonl(((100 + i) << 12) | (1 << 9) | 64);
    }
    if (bos) {
        k.mpls_lse[n - 1] |= htonl(0x100);
    }
    return k;
}

static struct flow_key
vlan_key(struct flow_key k, uint16_t tpid, uint16_t tci)
{
    k.vlans[0].tpid = htons(tpid);
    k.vlans[0].tci = htons(tci);
    return k;
}

static struct flow_key
qinq_key(struct flow_key k, uint16_t tci_outer, uint16_t tci_inner)
{
    k.vlans[0].tpid = htons(0x88a8);
    k.vlans[0].tci = htons(tci_outer);
    k.vlans[1].tpid = htons(0x8100);
    k.vlans[1].tci = htons(tci_inner);
    return k;
}

/* The keys every shape test runs over, each with the attributes the kernel
 * writes for it. */
struct shape_case {
    const char *what;
    struct flow_key key;
    const char *attrs;
};

static size_t
shape_cases(struct shape_case *c)
{
    size_t n = 0;
    struct flow_key k;

#define CASE(WHAT, KEY, ATTRS) (c[n++] = (struct shape_case) { WHAT, KEY, ATTRS })
    CASE("ipv4 tcp", ipv4_key(IPPROTO_TCP, 0), META "eth_type(0x0800),ipv4,tcp,tcp_flags");
    CASE("ipv4 udp", ipv4_key(IPPROTO_UDP, 0), META "eth_type(0x0800),ipv4,udp");
    CASE("ipv4 sctp", ipv4_key(IPPROTO_SCTP, 0), META "eth_type(0x0800),ipv4,sctp");
    CASE("ipv4 icmp", ipv4_key(IPPROTO_ICMP, 0), META "eth_type(0x0800),ipv4,icmp");
    CASE("ipv4 gre", ipv4_key(47, 0), META "eth_type(0x0800),ipv4");
    CASE("ipv4 proto 58 is not icmpv6", ipv4_key(IPPROTO_ICMPV6, 0),
         META "eth_type(0x0800),ipv4");
    CASE("ipv4 first fragment", ipv4_key(IPPROTO_UDP, OVS_FRAG_TYPE_FIRST),
         META "eth_type(0x0800),ipv4,udp");
    CASE("ipv4 later fragment", ipv4_key(IPPROTO_TCP, OVS_FRAG_TYPE_LATER),
         META "eth_type(0x0800),ipv4");
    CASE("ipv6 tcp", ipv6_key(IPPROTO_TCP, 0), META "eth_type(0x86dd),ipv6,tcp,tcp_flags");
    CASE("ipv6 udp", ipv6_key(IPPROTO_UDP, 0), META "eth_type(0x86dd),ipv6,udp");
    CASE("ipv6 sctp", ipv6_key(IPPROTO_SCTP, 0), META "eth_type(0x86dd),ipv6,sctp");
    CASE("ipv6 proto 1 is not icmp", ipv6_key(IPPROTO_ICMP, 0), META "eth_type(0x86dd),ipv6");
    CASE("ipv6 later fragment", ipv6_key(IPPROTO_UDP, OVS_FRAG_TYPE_LATER),
         META "eth_type(0x86dd),ipv6");
    CASE("icmpv6 echo", icmpv6_key(128, 0), META "eth_type(0x86dd),ipv6,icmpv6");
    CASE("icmpv6 NS", icmpv6_key(135, 0), META "eth_type(0x86dd),ipv6,icmpv6,nd");
    CASE("icmpv6 NA", icmpv6_key(136, 0), META "eth_type(0x86dd),ipv6,icmpv6,nd");
    CASE("icmpv6 NS code 1 keeps nd", icmpv6_key(135, 1),
         META "eth_type(0x86dd),ipv6,icmpv6,nd");
    CASE("arp", arp_key(0x0806), META "eth_type(0x0806),arp");
    CASE("rarp", arp_key(0x8035), META "eth_type(0x8035),arp");
    CASE("mpls 1 label", mpls_key(0x8847, 1, true), META "eth_type(0x8847),mpls(1)");
    CASE("mpls 2 labels", mpls_key(0x8848, 2, true), META "eth_type(0x8848),mpls(2)");
    CASE("mpls 3 labels", mpls_key(0x8847, 3, true), META "eth_type(0x8847),mpls(3)");
    CASE("mpls deeper than 3", mpls_key(0x8847, 3, false), META "eth_type(0x8847),mpls(3)");
    CASE("mpls cut after 1 label", mpls_key(0x8847, 1, false), META "eth_type(0x8847),mpls(1)");
    CASE("lldp", eth_key(0x88cc), META "eth_type(0x88cc)");
    CASE("802.2", eth_key(FLOW_ETH_TYPE_NONE), "recirc_id,dp_hash,skb_priority,in_port,"
         "skb_mark,eth");

    memset(&k, 0, sizeof k);
    k.in_port = 3;
    CASE("runt", k, "recirc_id,dp_hash,skb_priority,in_port,skb_mark,eth");

    CASE("vlan", vlan_key(ipv4_key(IPPROTO_UDP, 0), 0x8100, 0x100a),
         META "eth_type(0x8100),vlan(0x100a),encap(eth_type(0x0800),ipv4,udp)");
    CASE("vlan priority tag", vlan_key(arp_key(0x0806), 0x8100, 0x1000 | 0xa000),
         META "eth_type(0x8100),vlan(0xb000),encap(eth_type(0x0806),arp)");
    CASE("802.1ad", vlan_key(ipv6_key(IPPROTO_TCP, 0), 0x88a8, 0x1fff),
         META "eth_type(0x88a8),vlan(0x1fff),encap(eth_type(0x86dd),ipv6,tcp,tcp_flags)");
    CASE("vlan 802.2", vlan_key(eth_key(FLOW_ETH_TYPE_NONE), 0x8100, 0x1005),
         META "eth_type(0x8100),vlan(0x1005),encap()");
    CASE("vlan truncated after TPID", vlan_key(eth_key(0), 0x8100, 0),
         META "eth_type(0x8100),vlan(0x0000),encap()");
    CASE("qinq", qinq_key(ipv4_key(IPPROTO_TCP, 0), 0x1064, 0x100a),
         META "eth_type(0x88a8),vlan(0x1064),encap(eth_type(0x8100),vlan(0x100a),"
         "encap(eth_type(0x0800),ipv4,tcp,tcp_flags))");
    CASE("qinq inner truncated", qinq_key(eth_key(0), 0x1064, 0),
         META "eth_type(0x88a8),vlan(0x1064),encap(eth_type(0x8100),vlan(0x0000),encap())");
    CASE("three tags", qinq_key(eth_key(0x8100), 0x1064, 0x100a),
         META "eth_type(0x88a8),vlan(0x1064),encap(eth_type(0x8100),vlan(0x100a),"
         "encap(eth_type(0x8100)))");
    CASE("qinq icmpv6 nd", qinq_key(icmpv6_key(136, 0), 0x3001, 0x3002),
         META "eth_type(0x88a8),vlan(0x3001),encap(eth_type(0x8100),vlan(0x3002),"
         "encap(eth_type(0x86dd),ipv6,icmpv6,nd))");
    CASE("qinq mpls", qinq_key(mpls_key(0x8847, 2, true), 0x1001, 0x1002),
         META "eth_type(0x88a8),vlan(0x1001),encap(eth_type(0x8100),vlan(0x1002),"
         "encap(eth_type(0x8847),mpls(2)))");
#undef CASE
    return n;
}

#define MAX_CASES 64

/* ----------------------------------------------------- encoding tests */

/* in_port(1),eth(...),eth_type(0x0800),ipv4(...),tcp(...),tcp_flags(syn|ack),
 * byte for byte as the kernel writes it on a little-endian host. */
static void
test_put_ipv4_tcp_bytes(void **state)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint8_t expected[] = {
        0x08, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,     /* recirc_id(0) */
        0x08, 0x00, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00,     /* dp_hash(0) */
        0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,     /* skb_priority(0) */
        0x08, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,     /* in_port(1) */
        0x08, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00,     /* skb_mark(0) */
        0x10, 0x00, 0x04, 0x00,                             /* eth */
        0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2,                 /*   src */
        0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4,                 /*   dst */
        0x06, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00,     /* eth_type(0x0800) */
        0x10, 0x00, 0x07, 0x00,                             /* ipv4 */
        0xac, 0x10, 0x00, 0x14, 0xac, 0x12, 0x00, 0x34,     /*   172.16.0.20 > 172.18.0.52 */
        0x06, 0x00, 0x40, 0x00,                             /*   proto 6, tos 0, ttl 64, frag no */
        0x08, 0x00, 0x09, 0x00, 0xc0, 0x0b, 0x00, 0x50,     /* tcp(49163 > 80) */
        0x06, 0x00, 0x12, 0x00, 0x00, 0x12, 0x00, 0x00,     /* tcp_flags(0x012) */
    };
    struct flow_key k = ipv4_key(IPPROTO_TCP, 0);
    struct msg m;

    (void) state;
    encode(&k, &m);
    assert_int_equal(msg_len(&m), sizeof expected);
    assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
#else
    (void) state;
    skip();
#endif
}

/* Metadata is written even when zero, in the kernel's order, host order. */
static void
test_put_metadata_bytes(void **state)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint8_t expected[] = {
        0x08, 0x00, 0x14, 0x00, 0x04, 0x03, 0x02, 0x01,     /* recirc_id(0x01020304) */
        0x08, 0x00, 0x13, 0x00, 0xef, 0xbe, 0xad, 0xde,     /* dp_hash(0xdeadbeef) */
        0x08, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,     /* skb_priority(7) */
        0x08, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00,     /* in_port(256) */
        0x08, 0x00, 0x0f, 0x00, 0xff, 0xff, 0xff, 0xff,     /* skb_mark(0xffffffff) */
    };
    struct flow_key k = eth_key(FLOW_ETH_TYPE_NONE);
    struct msg m;

    (void) state;
    k.recirc_id = 0x01020304;
    k.dp_hash = 0xdeadbeef;
    k.priority = 7;
    k.in_port = 256;
    k.skb_mark = 0xffffffff;
    encode(&k, &m);
    assert_int_equal(msg_len(&m), sizeof expected + 16);
    assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
#else
    (void) state;
    skip();
#endif
}

/* The encap nest carries no NLA_F_NESTED flag (the kernel's doesn't), and its
 * length covers what it holds. */
static void
test_put_vlan_bytes(void **state)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint8_t tagged[] = {
        0x06, 0x00, 0x06, 0x00, 0x81, 0x00, 0x00, 0x00,     /* eth_type(0x8100) */
        0x06, 0x00, 0x05, 0x00, 0x10, 0x0a, 0x00, 0x00,     /* vlan(vid=10,pcp=0) */
        0x0c, 0x00, 0x01, 0x00,                             /* encap( */
        0x06, 0x00, 0x06, 0x00, 0x88, 0xcc, 0x00, 0x00,     /*   eth_type(0x88cc)) */
    };
    static const uint8_t truncated[] = {
        0x06, 0x00, 0x06, 0x00, 0x81, 0x00, 0x00, 0x00,     /* eth_type(0x8100) */
        0x06, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,     /* vlan(0) */
        0x04, 0x00, 0x01, 0x00,                             /* encap() */
    };
    struct flow_key k;
    struct msg m;
    size_t meta = 5 * 8 + 16;

    (void) state;
    k = vlan_key(eth_key(0x88cc), 0x8100, 0x100a);
    encode(&k, &m);
    assert_int_equal(msg_len(&m), meta + sizeof tagged);
    assert_memory_equal(msg_attrs(&m) + meta, tagged, sizeof tagged);

    k = vlan_key(eth_key(0), 0x8100, 0);
    encode(&k, &m);
    assert_int_equal(msg_len(&m), meta + sizeof truncated);
    assert_memory_equal(msg_attrs(&m) + meta, truncated, sizeof truncated);
#else
    (void) state;
    skip();
#endif
}

/* Every protocol yields the kernel's attribute sequence. */
static void
test_put_shapes(void **state)
{
    struct shape_case cases[MAX_CASES];
    size_t n = shape_cases(cases);
    char got[1024];
    struct msg m;

    (void) state;
    for (size_t i = 0; i < n; i++) {
        encode(&cases[i].key, &m);
        describe(&m, got, sizeof got);
        if (strcmp(got, cases[i].attrs)) {
            fail_msg("%s:\n  got      %s\n  expected %s", cases[i].what, got, cases[i].attrs);
        }
    }
}

/* The runt frame: eth() all zero, and nothing after it. */
static void
test_put_runt_is_zero_eth(void **state)
{
    static const uint8_t zero_eth[16] = { 0x10, 0x00, 0x04, 0x00 };
    struct flow_key k;
    struct msg m;

    (void) state;
    memset(&k, 0, sizeof k);
    encode(&k, &m);
    assert_int_equal(msg_len(&m), 5 * 8 + 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    assert_memory_equal(msg_attrs(&m) + 40, zero_eth, sizeof zero_eth);
#endif
}

/* Field values land where <linux/openvswitch.h> puts them. */
static void
test_put_field_values(void **state)
{
    const uint8_t *p;
    struct flow_key k;
    struct msg m;
    size_t len;

    (void) state;

    k = ipv4_key(IPPROTO_ICMP, 0);
    k.tp_src = htons(3);
    k.tp_dst = htons(4);
    encode(&k, &m);
    p = find_in(&m, OVS_KEY_ATTR_ICMP, &len);
    assert_non_null(p);
    assert_int_equal(len, 2);
    assert_memory_equal(p, "\x03\x04", 2);

    k = arp_key(0x0806);
    k.nw_proto = 2;
    encode(&k, &m);
    p = find_in(&m, OVS_KEY_ATTR_ARP, &len);
    assert_non_null(p);
    {
        static const uint8_t expected[24] = {
            0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,     /* sip, tip */
            0x00, 0x02,                                         /* op: reply */
            0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2,                 /* sha */
            0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4,                 /* tha */
            0x00, 0x00,                                         /* struct padding */
        };

        assert_int_equal(len, 24);
        assert_memory_equal(p, expected, 24);
    }

    k = icmpv6_key(135, 0);
    encode(&k, &m);
    p = find_in(&m, OVS_KEY_ATTR_ICMPV6, &len);
    assert_non_null(p);
    assert_memory_equal(p, "\x87\x00", 2);
    p = find_in(&m, OVS_KEY_ATTR_ND, &len);
    assert_non_null(p);
    assert_int_equal(len, 28);
    assert_memory_equal(p, k.nd_target, 16);
    assert_memory_equal(p + 16, mac_src, 6);
    assert_memory_equal(p + 22, "\0\0\0\0\0\0", 6);

    k = ipv6_key(IPPROTO_UDP, OVS_FRAG_TYPE_FIRST);
    encode(&k, &m);
    p = find_in(&m, OVS_KEY_ATTR_IPV6, &len);
    assert_non_null(p);
    assert_int_equal(len, 40);
    assert_memory_equal(p, k.ipv6_src, 16);
    assert_memory_equal(p + 16, k.ipv6_dst, 16);
    /* label 0x12345, proto 17, tclass 0x28, hlimit 255, frag first */
    assert_memory_equal(p + 32, "\x00\x01\x23\x45\x11\x28\xff\x01", 8);

    k = mpls_key(0x8847, 2, true);
    encode(&k, &m);
    p = find_in(&m, OVS_KEY_ATTR_MPLS, &len);
    assert_non_null(p);
    {
        static const uint8_t expected[8] = {
            0x00, 0x06, 0x42, 0x40,                 /* label 100, tc 1, ttl 64 */
            0x00, 0x06, 0x53, 0x40,                 /* label 101, tc 1, bos, ttl 64 */
        };

        assert_int_equal(len, 8);
        assert_memory_equal(p, expected, 8);
    }
}

/* A full buffer fails cleanly at every size and leaves the message as it
 * was; a nest opened by the caller holds the key. */
static void
test_put_emsgsize(void **state)
{
    struct flow_key k = qinq_key(ipv4_key(IPPROTO_TCP, 0), 0x1064, 0x100a);
    struct flow_mask mask;
    struct odp_key_info info;
    struct flow_key decoded;
    struct xsw_err err;
    struct nlattr *nest;
    struct msg full, m;
    size_t need;

    (void) state;
    encode(&k, &full);
    need = full.nlh->nlmsg_len;
    memset(&mask, 0xff, sizeof mask);
    for (size_t buflen = sizeof(struct nlmsghdr); buflen < need; buflen++) {
        msg_init(&m);
        assert_int_equal(odp_key_put(m.nlh, buflen, &k), -EMSGSIZE);
        assert_int_equal(m.nlh->nlmsg_len, sizeof(struct nlmsghdr));
        assert_int_equal(odp_mask_put(m.nlh, buflen, &k, &mask), -EMSGSIZE);
        assert_int_equal(m.nlh->nlmsg_len, sizeof(struct nlmsghdr));
    }
    msg_init(&m);
    assert_int_equal(odp_key_put(m.nlh, need, &k), 0);
    assert_memory_equal(msg_attrs(&m), msg_attrs(&full), msg_len(&full));

    msg_init(&m);
    nest = mnl_attr_nest_start(m.nlh, OVS_FLOW_ATTR_KEY);
    assert_int_equal(odp_key_put(m.nlh, sizeof m.buf, &k), 0);
    mnl_attr_nest_end(m.nlh, nest);
    assert_int_equal(odp_key_parse(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest),
                                   &decoded, &info, &err), 0);
    assert_true(flow_key_equal(&decoded, &k));
}

/* ----------------------------------------------------- decoding tests */

/* A runt's key writes what an 802.2 frame with zero addresses writes, and
 * reads back as that (test_runt_reads_as_802_2); every other key reads back
 * as itself. */
static const struct flow_key *
runt_as_802_2(const struct flow_key *k)
{
    static struct flow_key copy;

    if (k->eth_type || k->vlans[0].tpid || k->vlans[0].tci) {
        return k;
    }
    copy = *k;
    copy.eth_type = htons(FLOW_ETH_TYPE_NONE);
    return &copy;
}

static void
test_roundtrip_cases(void **state)
{
    struct shape_case cases[MAX_CASES];
    size_t n = shape_cases(cases);

    (void) state;
    for (size_t i = 0; i < n; i++) {
        uint64_t expected[FLOW_MAX_VLANS + 1];
        struct odp_key_info info;
        struct flow_key decoded;
        struct xsw_err err = { "" };
        struct msg m, again;
        int error;

        encode(&cases[i].key, &m);
        error = odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, &err);
        if (error) {
            fail_msg("%s: %s", cases[i].what, err.msg);
        }
        if (!flow_key_equal(&decoded, runt_as_802_2(&cases[i].key))) {
            fail_msg("%s: decoded key differs", cases[i].what);
        }
        odp_key_expected_attrs(&cases[i].key, expected);
        assert_memory_equal(info.attrs, expected, sizeof expected);
        assert_int_equal(info.n_opaque, 0);
        encode(&decoded, &again);
        assert_int_equal(msg_len(&again), msg_len(&m));
        assert_memory_equal(msg_attrs(&again), msg_attrs(&m), msg_len(&m));
    }
}

/* The per-level presence bitmaps say exactly which attributes were where. */
static void
test_info_levels(void **state)
{
    struct flow_key k = qinq_key(ipv4_key(IPPROTO_UDP, 0), 0x1064, 0x100a);
    struct odp_key_info info;
    struct flow_key decoded;
    struct xsw_err err;
    struct msg m;

#define B(T) (UINT64_C(1) << OVS_KEY_ATTR_##T)
    (void) state;
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, &err), 0);
    assert_true(info.attrs[0] == (B(RECIRC_ID) | B(DP_HASH) | B(PRIORITY) | B(IN_PORT)
                                  | B(SKB_MARK) | B(ETHERNET) | B(ETHERTYPE) | B(VLAN)
                                  | B(ENCAP)));
    assert_true(info.attrs[1] == (B(ETHERTYPE) | B(VLAN) | B(ENCAP)));
    assert_true(info.attrs[2] == (B(ETHERTYPE) | B(IPV4) | B(UDP)));
#undef B
}

/* Reorders the attributes of every level with a seeded shuffle. */
static size_t
reorder(const uint8_t *in, size_t len, uint8_t *out, uint32_t *seed)
{
    size_t offs[64], n = 0, off = 0, o = 0;

    while (off < len) {
        struct nlattr hdr;

        memcpy(&hdr, in + off, sizeof hdr);
        assert_true(n < 64);
        offs[n++] = off;
        off += NLA_ALIGN(hdr.nla_len);
    }
    for (size_t i = n; i > 1; i--) {
        size_t j, t;

        *seed = *seed * 1103515245 + 12345;
        j = (*seed >> 8) % i;
        t = offs[i - 1];
        offs[i - 1] = offs[j];
        offs[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        struct nlattr hdr;

        memcpy(&hdr, in + offs[i], sizeof hdr);
        if ((hdr.nla_type & 0x3fff) == OVS_KEY_ATTR_ENCAP) {
            size_t inner = reorder(in + offs[i] + NLA_HDRLEN, hdr.nla_len - NLA_HDRLEN,
                                   out + o + NLA_HDRLEN, seed);

            assert_int_equal(inner, hdr.nla_len - NLA_HDRLEN);
            memcpy(out + o, &hdr, sizeof hdr);
        } else {
            memcpy(out + o, in + offs[i], NLA_ALIGN(hdr.nla_len));
        }
        o += NLA_ALIGN(hdr.nla_len);
    }
    return o;
}

static void
test_parse_any_order(void **state)
{
    struct shape_case cases[MAX_CASES];
    size_t n = shape_cases(cases);

    (void) state;
    for (size_t i = 0; i < n; i++) {
        uint32_t seed = (uint32_t) i + 1;
        struct msg m;

        encode(&cases[i].key, &m);
        for (int round = 0; round < 8; round++) {
            uint8_t shuffled[2048];
            struct flow_key decoded;
            struct xsw_err err = { "" };
            struct msg again;
            size_t len = reorder(msg_attrs(&m), msg_len(&m), shuffled, &seed);

            assert_int_equal(len, msg_len(&m));
            if (odp_key_parse(shuffled, len, &decoded, NULL, &err)) {
                fail_msg("%s, order %d: %s", cases[i].what, round, err.msg);
            }
            assert_true(flow_key_equal(&decoded, runt_as_802_2(&cases[i].key)));
            /* Canonical again, whatever the input order. */
            encode(&decoded, &again);
            assert_memory_equal(msg_attrs(&again), msg_attrs(&m), msg_len(&m));
        }
    }
}

static void
test_parse_duplicates(void **state)
{
    struct raw r;
    size_t e;

    (void) state;

    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_ipv4(&r, 17, 0);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    expect_parse_error(r.b, r.len, EINVAL, "duplicate attribute eth_type");

    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    raw_u32(&r, OVS_KEY_ATTR_SKB_MARK, 1);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 2);
    expect_parse_error(r.b, r.len, EINVAL, "duplicate attribute in_port");

    /* Inside encap. */
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_ipv4(&r, 47, 0);
    raw_ipv4(&r, 47, 0);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: duplicate attribute ipv4");

    /* Two encaps, one of them flagged NLA_F_NESTED: still the same type. */
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP | NLA_F_NESTED));
    expect_parse_error(r.b, r.len, EINVAL, "duplicate attribute encap");

    /* Unknown types are opaque, but not twice. */
    memset(&r, 0, sizeof r);
    raw_u32(&r, 40, 1);
    raw_u32(&r, 40, 1);
    expect_parse_error(r.b, r.len, EINVAL, "duplicate attribute key40");

    memset(&r, 0, sizeof r);
    raw_u32(&r, 1000, 1);
    raw_u32(&r, 999, 1);
    raw_u32(&r, 1000, 2);
    expect_parse_error(r.b, r.len, EINVAL, "duplicate attribute key1000");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_u32(&r, OVS_KEY_ATTR_CT_MARK, 1);
    raw_u32(&r, OVS_KEY_ATTR_CT_MARK, 1);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: duplicate attribute ct_mark");
}

/* Every fixed-size type refuses one byte more or less, naming itself. */
static void
test_parse_wrong_lengths(void **state)
{
    static const unsigned int types[] = {
        OVS_KEY_ATTR_PRIORITY, OVS_KEY_ATTR_IN_PORT, OVS_KEY_ATTR_ETHERNET,
        OVS_KEY_ATTR_VLAN, OVS_KEY_ATTR_ETHERTYPE, OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_IPV6,
        OVS_KEY_ATTR_TCP, OVS_KEY_ATTR_UDP, OVS_KEY_ATTR_ICMP, OVS_KEY_ATTR_ICMPV6,
        OVS_KEY_ATTR_ARP, OVS_KEY_ATTR_ND, OVS_KEY_ATTR_SKB_MARK, OVS_KEY_ATTR_SCTP,
        OVS_KEY_ATTR_TCP_FLAGS, OVS_KEY_ATTR_DP_HASH, OVS_KEY_ATTR_RECIRC_ID,
        OVS_KEY_ATTR_CT_STATE, OVS_KEY_ATTR_CT_ZONE, OVS_KEY_ATTR_CT_MARK,
        OVS_KEY_ATTR_CT_LABELS, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4,
        OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, OVS_KEY_ATTR_PACKET_TYPE,
        OVS_KEY_ATTR_ND_EXTENSIONS,
    };
    static const uint8_t zeros[64];
    char msg[128];
    struct raw r;
    size_t e;

    (void) state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        int len = odp_key_attr_len(types[i]);

        assert_true(len > 0);
        for (int delta = -1; delta <= 1; delta += 2) {
            memset(&r, 0, sizeof r);
            raw_attr(&r, (uint16_t) types[i], zeros, (size_t) (len + delta));
            snprintf(msg, sizeof msg, "%s: length %d, expected %d",
                     odp_key_attr_name(types[i]), len + delta, len);
            expect_parse_error(r.b, r.len, EINVAL, msg);
        }
    }

    /* Inside encap the message says where. */
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_attr(&r, OVS_KEY_ATTR_IPV4, zeros, 8);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: ipv4: length 8, expected 12");
}

static void
test_parse_mpls_lengths(void **state)
{
    static const uint8_t lses[16] = {
        0x00, 0x06, 0x40, 0x40, 0x00, 0x06, 0x50, 0x40,
        0x00, 0x06, 0x60, 0x40, 0x00, 0x06, 0x71, 0x40,
    };
    struct flow_key k;
    struct raw r;

    (void) state;
    for (size_t len = 0; len <= 16; len++) {
        char msg[64];

        memset(&r, 0, sizeof r);
        raw_eth(&r);
        raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8847);
        raw_attr(&r, OVS_KEY_ATTR_MPLS, lses, len);
        if (len && len % 4 == 0 && len <= 12) {
            assert_int_equal(odp_key_parse(r.b, r.len, &k, NULL, NULL), 0);
            assert_memory_equal(k.mpls_lse, lses, len);
        } else {
            snprintf(msg, sizeof msg, "mpls: length %zu, expected 4, 8 or 12", len);
            expect_parse_error(r.b, r.len, EINVAL, msg);
        }
    }
}

/* Unknown and uninterpreted attributes: kept aside, counted, never read. */
static void
test_parse_opaque(void **state)
{
    struct flow_key k = ipv4_key(IPPROTO_TCP, 0);
    uint8_t looks_like_ipv4[12];
    struct odp_key_info info;
    struct flow_key decoded;
    struct xsw_err err = { "" };
    struct msg m;
    struct raw r;
    size_t t, e;

    (void) state;
    encode(&k, &m);
    memset(&r, 0, sizeof r);
    memcpy(r.b, msg_attrs(&m), msg_len(&m));
    r.len = msg_len(&m);

    memset(looks_like_ipv4, 0xff, sizeof looks_like_ipv4);
    raw_attr(&r, 40, looks_like_ipv4, sizeof looks_like_ipv4);
    t = raw_nest_start(&r, OVS_KEY_ATTR_TUNNEL | NLA_F_NESTED);
    {
        uint64_t id = 42;

        raw_attr(&r, OVS_TUNNEL_KEY_ATTR_ID, &id, sizeof id);
        raw_u32(&r, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0x0a000001));
    }
    raw_nest_end(&r, t);
    raw_u32(&r, OVS_KEY_ATTR_CT_STATE, 0x21);
    raw_u32(&r, OVS_KEY_ATTR_PACKET_TYPE, 0);
    raw_attr(&r, 300, looks_like_ipv4, 3);

    assert_int_equal(odp_key_parse(r.b, r.len, &decoded, &info, &err), 0);
    assert_true(flow_key_equal(&decoded, &k));
    assert_int_equal(info.n_opaque, 5);
    assert_int_equal(info.opaque_types[0], 40);
    assert_int_equal(info.opaque_types[1], OVS_KEY_ATTR_TUNNEL);
    assert_int_equal(info.opaque_types[2], OVS_KEY_ATTR_CT_STATE);
    assert_int_equal(info.opaque_types[3], OVS_KEY_ATTR_PACKET_TYPE);
    assert_int_equal(info.opaque_types[4], 255);
    assert_true(info.attrs[0] & (UINT64_C(1) << 40));
    assert_true(info.attrs[0] & (UINT64_C(1) << OVS_KEY_ATTR_TUNNEL));
    assert_true(info.attrs[0] & (UINT64_C(1) << OVS_KEY_ATTR_CT_STATE));

    /* More than eight: all counted, the first eight named. */
    memset(&r, 0, sizeof r);
    for (uint16_t type = 40; type < 52; type++) {
        raw_u32(&r, type, type);
    }
    assert_int_equal(odp_key_parse(r.b, r.len, &decoded, &info, &err), 0);
    assert_int_equal(info.n_opaque, 12);
    assert_int_equal(info.opaque_types[7], 47);

    /* Inside encap, at its own level. */
    k = vlan_key(ipv4_key(IPPROTO_UDP, 0), 0x8100, 0x100a);
    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_attr(&r, OVS_KEY_ATTR_CT_ZONE, "\x00\x05", 2);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_ipv4(&r, IPPROTO_UDP, 0);
    {
        struct ovs_key_udp udp = { htons(49163), htons(80) };

        raw_attr(&r, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
    }
    raw_nest_end(&r, e);
    assert_int_equal(odp_key_parse(r.b, r.len, &decoded, &info, &err), 0);
    assert_true(flow_key_equal(&decoded, &k));
    assert_int_equal(info.n_opaque, 1);
    assert_true(info.attrs[1] & (UINT64_C(1) << OVS_KEY_ATTR_CT_ZONE));
    assert_false(info.attrs[0] & (UINT64_C(1) << OVS_KEY_ATTR_CT_ZONE));

    /* A nested opaque attribute must still be well formed. */
    memset(&r, 0, sizeof r);
    t = raw_nest_start(&r, OVS_KEY_ATTR_TUNNEL);
    raw_u32(&r, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
    raw_nest_end(&r, t);
    r.b[t + NLA_HDRLEN] = 40;           /* inner nla_len past the nest */
    expect_parse_error(r.b, r.len, EINVAL,
                       "tunnel: nested attribute at offset 0 has length 40, 8 bytes left");
}

/* Truncated input: every prefix of a valid key either parses (when it ends
 * on an attribute boundary) or fails with a message, and never reads past
 * its end (the copy is exactly as long as the prefix, for ASan). */
static void
test_parse_truncated(void **state)
{
    struct flow_key k = qinq_key(ipv4_key(IPPROTO_TCP, 0), 0x1064, 0x100a);
    struct flow_key decoded;
    struct msg m;
    struct raw r;

    (void) state;
    encode(&k, &m);
    for (size_t len = 0; len < msg_len(&m); len++) {
        uint8_t *copy = malloc(len ? len : 1);
        struct xsw_err err = { "" };
        int error;

        assert_non_null(copy);
        memcpy(copy, msg_attrs(&m), len);
        error = odp_key_parse(copy, len, &decoded, NULL, &err);
        if (error) {
            assert_int_equal(error, -EINVAL);
            assert_true(err.msg[0] != '\0');
        }
        free(copy);
    }

    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    r.len += 3;
    expect_parse_error(r.b, r.len, EINVAL,
                       "attribute header truncated: 3 bytes left at offset 8");

    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    raw_ipv4(&r, 6, 0);
    r.b[8] = 100;                       /* ipv4 nla_len */
    expect_parse_error(r.b, r.len, EINVAL,
                       "ipv4: length 100 runs past the end of the key (16 bytes left)");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    r.b[0] = 2;
    expect_parse_error(r.b, r.len, EINVAL,
                       "eth: length 2 is shorter than an attribute header");

    /* The nest's own length is the bound inside encap. */
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    {
        size_t e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);

        raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
        raw_nest_end(&r, e);
        r.b[e] = 4 + 6;                 /* cuts the inner attribute's padding... */
        r.b[e + NLA_HDRLEN] = 10;       /* ...and claims more than is left */
    }
    expect_parse_error(r.b, r.len, EINVAL,
                       "encap: eth_type: length 10 runs past the end of the key "
                       "(6 bytes left)");

    /* A missing final padding is accepted. */
    k = ipv4_key(IPPROTO_TCP, 0);
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m) - 2, &decoded, NULL, NULL), 0);
    assert_true(flow_key_equal(&decoded, &k));

    expect_parse_error(NULL, 4, EINVAL, "no key attributes given for 4 bytes");
    assert_int_equal(odp_key_parse(NULL, 0, &decoded, NULL, NULL), 0);
}

static void
test_parse_encap_depth(void **state)
{
    size_t e1, e2, e3;
    struct raw r;

    (void) state;
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x88a8);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1001);
    e1 = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1002);
    e2 = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1003);
    e3 = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_nest_end(&r, e3);
    raw_nest_end(&r, e2);
    raw_nest_end(&r, e1);
    expect_parse_error(r.b, r.len, E2BIG,
                       "encap: encap: encap: more than 2 nested VLAN tags");
}

static void
test_parse_vlan_rules(void **state)
{
    struct flow_key k;
    struct raw r;
    size_t e;

    (void) state;

#define VLAN_FRAME(TPID, TCI)                           \
    do {                                                \
        memset(&r, 0, sizeof r);                        \
        raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);           \
        raw_eth(&r);                                    \
        raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, TPID);     \
        raw_be16(&r, OVS_KEY_ATTR_VLAN, TCI);           \
    } while (0)

    VLAN_FRAME(0x0800, 0x100a);
    expect_parse_error(r.b, r.len, EINVAL, "vlan: needs eth_type 0x8100 or 0x88a8 beside it");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x100a);
    expect_parse_error(r.b, r.len, EINVAL, "vlan: needs eth_type 0x8100 or 0x88a8 beside it");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    expect_parse_error(r.b, r.len, EINVAL, "encap: needs eth_type 0x8100 or 0x88a8 beside it");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x8100);
    expect_parse_error(r.b, r.len, EINVAL, "eth_type: 0x8100 is a VLAN TPID, which needs "
                       "vlan() and encap() beside it");

    VLAN_FRAME(0x88a8, 0x100a);
    expect_parse_error(r.b, r.len, EINVAL, "eth_type: 0x88a8 is a VLAN TPID, which needs "
                       "vlan() and encap() beside it");

    VLAN_FRAME(0x8100, 0x000a);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    expect_parse_error(r.b, r.len, EINVAL, "vlan: TCI 0x000a lacks the tag-present bit 0x1000");

    VLAN_FRAME(0x8100, 0x0000);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: must be empty after a truncated VLAN tag "
                       "(vlan(0))");

    /* The truncated tag itself is fine; nothing after it was read. */
    VLAN_FRAME(0x88a8, 0x0000);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    assert_int_equal(odp_key_parse(r.b, r.len, &k, NULL, NULL), 0);
    assert_int_equal(ntohs(k.vlans[0].tpid), 0x88a8);
    assert_int_equal(k.vlans[0].tci, 0);
    assert_int_equal(k.eth_type, 0);

    VLAN_FRAME(0x8100, 0x100a);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    raw_ipv4(&r, 17, 0);
    expect_parse_error(r.b, r.len, EINVAL, "ipv4: belongs inside the encap of a VLAN frame");

    VLAN_FRAME(0x8100, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 1);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: in_port: not allowed inside encap");

    VLAN_FRAME(0x8100, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_eth(&r);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: eth: not allowed inside encap");

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x05dc);
    expect_parse_error(r.b, r.len, EINVAL, "eth_type: 0x05dc is below 0x0600 (an 802.3 "
                       "frame has no eth_type)");

    VLAN_FRAME(0x8100, 0x100a);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0000);
    raw_nest_end(&r, e);
    expect_parse_error(r.b, r.len, EINVAL, "encap: eth_type: 0x0000 is below 0x0600 (an 802.3 "
                       "frame has no eth_type)");
#undef VLAN_FRAME
}

/* Attributes that contradict the key around them would be misread. */
static void
test_parse_inconsistent(void **state)
{
    struct ovs_key_tcp tcp = { htons(1), htons(2) };
    struct ovs_key_icmpv6 icmpv6 = { 128, 0 };
    struct ovs_key_nd nd;
    struct raw r;

    (void) state;
    memset(&nd, 0, sizeof nd);

#define FRAME(ETH_TYPE)                                          \
    do {                                                         \
        memset(&r, 0, sizeof r);                                 \
        raw_eth(&r);                                             \
        if (ETH_TYPE) {                                          \
            raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, ETH_TYPE);      \
        }                                                        \
    } while (0)

    FRAME(0x86dd);
    raw_ipv4(&r, 6, 0);
    expect_parse_error(r.b, r.len, EINVAL, "ipv4: not valid with eth_type 0x86dd");

    FRAME(0);
    raw_ipv4(&r, 6, 0);
    expect_parse_error(r.b, r.len, EINVAL, "ipv4: not valid without eth_type");

    FRAME(0x0800);
    raw_ipv4(&r, 6, 0);
    raw_attr(&r, OVS_KEY_ATTR_UDP, &tcp, sizeof tcp);
    expect_parse_error(r.b, r.len, EINVAL, "udp: not valid with ipv4 proto 6");

    FRAME(0x0800);
    raw_ipv4(&r, 6, OVS_FRAG_TYPE_LATER);
    raw_attr(&r, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
    expect_parse_error(r.b, r.len, EINVAL, "tcp: not valid in a later fragment");

    FRAME(0x0800);
    raw_attr(&r, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
    expect_parse_error(r.b, r.len, EINVAL, "tcp: not valid without ipv4");

    FRAME(0x0806);
    raw_attr(&r, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
    expect_parse_error(r.b, r.len, EINVAL, "tcp: not valid with eth_type 0x0806");

    {
        struct ovs_key_ipv6 ipv6;

        memset(&ipv6, 0, sizeof ipv6);
        ipv6.ipv6_proto = IPPROTO_ICMPV6;
        FRAME(0x86dd);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6);
        raw_attr(&r, OVS_KEY_ATTR_ICMPV6, &icmpv6, sizeof icmpv6);
        raw_attr(&r, OVS_KEY_ATTR_ND, &nd, sizeof nd);
        expect_parse_error(r.b, r.len, EINVAL, "nd: not valid with icmpv6 type 128");

        FRAME(0x86dd);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6);
        raw_attr(&r, OVS_KEY_ATTR_ND, &nd, sizeof nd);
        expect_parse_error(r.b, r.len, EINVAL, "nd: not valid without icmpv6");

        ipv6.ipv6_proto = IPPROTO_ICMP;
        FRAME(0x86dd);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6);
        raw_attr(&r, OVS_KEY_ATTR_ICMP, &icmpv6, sizeof icmpv6);
        expect_parse_error(r.b, r.len, EINVAL, "icmp: not valid with ipv6 proto 1");

        ipv6.ipv6_proto = 17;
        ipv6.ipv6_label = htonl(0x100000);
        FRAME(0x86dd);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6);
        expect_parse_error(r.b, r.len, EINVAL, "ipv6: flow label 0x100000 wider than 20 bits");

        ipv6.ipv6_label = 0;
        ipv6.ipv6_frag = 3;
        FRAME(0x86dd);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6, sizeof ipv6);
        expect_parse_error(r.b, r.len, EINVAL, "ipv6: frag type 3 out of range (max 2)");
    }

    FRAME(0x0800);
    raw_ipv4(&r, 6, 3);
    expect_parse_error(r.b, r.len, EINVAL, "ipv4: frag type 3 out of range (max 2)");

    {
        struct ovs_key_arp arp;

        memset(&arp, 0, sizeof arp);
        arp.arp_op = htons(256);
        FRAME(0x0806);
        raw_attr(&r, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
        expect_parse_error(r.b, r.len, EINVAL, "arp: opcode 256 does not fit the key (max 255)");
    }

    FRAME(0x8847);
    raw_ipv4(&r, 6, 0);
    expect_parse_error(r.b, r.len, EINVAL, "ipv4: not valid with eth_type 0x8847");

    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_UNSPEC, 0);
    expect_parse_error(r.b, r.len, EINVAL, "attribute type 0 (unspec) at offset 0");
#undef FRAME
}

/* A key may stop early (packet execute carries metadata only): accepted,
 * and odp_key_expected_attrs() shows what a full key would hold. */
static void
test_parse_incomplete(void **state)
{
    uint64_t expected[FLOW_MAX_VLANS + 1];
    struct odp_key_info info;
    struct flow_key k;
    struct raw r;

    (void) state;
    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 5);
    raw_u32(&r, OVS_KEY_ATTR_SKB_MARK, 9);
    assert_int_equal(odp_key_parse(r.b, r.len, &k, &info, NULL), 0);
    assert_int_equal(k.in_port, 5);
    assert_int_equal(k.skb_mark, 9);
    odp_key_expected_attrs(&k, expected);
    assert_true(expected[0] & ~info.attrs[0] & (UINT64_C(1) << OVS_KEY_ATTR_ETHERNET));

    memset(&r, 0, sizeof r);
    raw_eth(&r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    assert_int_equal(odp_key_parse(r.b, r.len, &k, &info, NULL), 0);
    odp_key_expected_attrs(&k, expected);
    assert_true(expected[0] & ~info.attrs[0] & (UINT64_C(1) << OVS_KEY_ATTR_IPV4));

    /* No eth_type: 802.2. */
    memset(&r, 0, sizeof r);
    raw_eth(&r);
    assert_int_equal(odp_key_parse(r.b, r.len, &k, NULL, NULL), 0);
    assert_int_equal(ntohs(k.eth_type), FLOW_ETH_TYPE_NONE);
}

/* A runt and an 802.2 frame between zero addresses write the same key; it
 * reads back as 802.2, the kernel's and OVS's meaning. */
static void
test_runt_reads_as_802_2(void **state)
{
    struct flow_key runt, llc, back;
    struct msg a, b;

    (void) state;
    memset(&runt, 0, sizeof runt);
    runt.in_port = 4;
    llc = runt;
    llc.eth_type = htons(FLOW_ETH_TYPE_NONE);
    encode(&runt, &a);
    encode(&llc, &b);
    assert_int_equal(msg_len(&a), msg_len(&b));
    assert_memory_equal(msg_attrs(&a), msg_attrs(&b), msg_len(&a));
    assert_int_equal(odp_key_parse(msg_attrs(&a), msg_len(&a), &back, NULL, NULL), 0);
    assert_true(flow_key_equal(&back, &llc));
}

/* --------------------------------------------------------- mask tests */

/* True when the key ends on a tag cut after its TPID: no innermost level. */
static bool
ends_truncated(const struct flow_key *k)
{
    for (int i = 0; i < FLOW_MAX_VLANS; i++) {
        if (k->vlans[i].tpid && !(k->vlans[i].tci & htons(FLOW_VLAN_CFI))) {
            return true;
        }
    }
    return false;
}

/* What a slow path installs: exact L2, destination /24 or /64, exact
 * proto, exact destination port; shaped like key so that it encodes and
 * decodes unchanged. */
static struct flow_mask
megaflow_mask(const struct flow_key *k)
{
    uint64_t attrs[FLOW_MAX_VLANS + 1];
    struct flow_mask mask;
    uint64_t all = 0;

    odp_key_expected_attrs(k, attrs);
    for (int i = 0; i <= FLOW_MAX_VLANS; i++) {
        all |= attrs[i];
    }
#define HAS(T) (all & (UINT64_C(1) << OVS_KEY_ATTR_##T))
    memset(&mask, 0, sizeof mask);
    mask.m.in_port = UINT32_MAX;
    mask.m.recirc_id = UINT32_MAX;
    memset(mask.m.eth_dst, 0xff, 6);
    for (int i = 0; i < FLOW_MAX_VLANS; i++) {
        mask.m.vlans[i].tpid = htons(0xffff);
        /* A written tag: vid + present, any pcp; others stay exact. */
        mask.m.vlans[i].tci = htons(attrs[i] & (UINT64_C(1) << OVS_KEY_ATTR_ENCAP)
                                    ? 0x1fff : 0xffff);
    }
    if (!ends_truncated(k)) {
        mask.m.eth_type = htons(0xffff);
    }
    if (HAS(IPV4)) {
        mask.m.nw_dst = htonl(0xffffff00);
        mask.m.nw_proto = 0xff;
        mask.m.nw_frag = 0xff;
    }
    if (HAS(IPV6)) {
        memset(mask.m.ipv6_dst, 0xff, 8);
        mask.m.nw_proto = 0xff;
        mask.m.nw_frag = 0xff;
    }
    if (HAS(ARP)) {
        mask.m.nw_proto = 0xff;
        mask.m.nw_dst = htonl(UINT32_MAX);
    }
    if (HAS(MPLS)) {
        mask.m.mpls_lse[0] = htonl(0xfffff000);
    }
    if (HAS(TCP) || HAS(UDP) || HAS(SCTP)) {
        mask.m.tp_dst = htons(0xffff);
    }
    if (HAS(TCP_FLAGS)) {
        mask.m.tcp_flags = htons(0x0002);
    }
    if (HAS(ICMP) || HAS(ICMPV6)) {
        mask.m.tp_src = htons(0xff);
    }
    if (HAS(ND)) {
        memset(mask.m.nd_target, 0xff, 16);
    }
#undef HAS
    return mask;
}

/* A mask has the key's attributes, in the key's order and nesting. */
static void
test_mask_put_shape(void **state)
{
    struct shape_case cases[MAX_CASES];
    size_t n = shape_cases(cases);
    char got[1024], want[1024];
    struct msg km, mm;

    (void) state;
    for (size_t i = 0; i < n; i++) {
        struct flow_mask mask = megaflow_mask(&cases[i].key);

        /* (an 802.2 type mask adds an eth_type: test_mask_put_values) */
        if (ntohs(cases[i].key.eth_type) < 0x600) {
            mask.m.eth_type = 0;
        }
        encode(&cases[i].key, &km);
        encode_mask(&cases[i].key, &mask, &mm);
        describe_names(msg_attrs(&km), msg_len(&km), want, sizeof want);
        describe_names(msg_attrs(&mm), msg_len(&mm), got, sizeof got);
        if (strcmp(got, want)) {
            fail_msg("%s:\n  mask %s\n  key  %s", cases[i].what, got, want);
        }
    }
}

static void
test_mask_put_values(void **state)
{
    struct flow_key k = vlan_key(ipv4_key(IPPROTO_UDP, 0), 0x8100, 0x100a);
    struct flow_mask mask = megaflow_mask(&k);
    char got[1024];
    struct msg m;
    bool seen = false;

    (void) state;
    encode_mask(&k, &mask, &m);
    assert_string_equal(describe(&m, got, sizeof got),
                        META "eth_type(0xffff),vlan(0x1fff),encap(eth_type(0xffff),ipv4,udp)");
    {
        static const uint8_t expected[12] = {
            0, 0, 0, 0, 0xff, 0xff, 0xff, 0x00,     /* src any, dst /24 */
            0xff, 0, 0, 0xff,                       /* proto, tos, ttl, frag */
        };
        const uint8_t *encap, *ipv4;
        size_t elen, len;

        encap = find_in(&m, OVS_KEY_ATTR_ENCAP, &elen);
        assert_non_null(encap);
        ipv4 = find_attr(encap, elen, OVS_KEY_ATTR_IPV4, &len);
        assert_non_null(ipv4);
        assert_int_equal(len, 12);
        assert_memory_equal(ipv4, expected, 12);
        seen = true;
    }
    assert_true(seen);

    /* 802.2: the type mask appears only when nonzero. */
    k = eth_key(FLOW_ETH_TYPE_NONE);
    memset(&mask, 0, sizeof mask);
    mask.m.eth_type = htons(0xffff);
    encode_mask(&k, &mask, &m);
    assert_string_equal(describe(&m, got, sizeof got), META "eth_type(0xffff)");
    mask.m.eth_type = 0;
    encode_mask(&k, &mask, &m);
    assert_string_equal(describe(&m, got, sizeof got),
                        "recirc_id,dp_hash,skb_priority,in_port,skb_mark,eth");

    /* nd follows the key's type, not the mask's. */
    k = icmpv6_key(135, 0);
    mask = megaflow_mask(&k);
    encode_mask(&k, &mask, &m);
    assert_string_equal(describe(&m, got, sizeof got),
                        META "eth_type(0xffff),ipv6,icmpv6,nd");
}

static void
test_mask_roundtrip(void **state)
{
    struct shape_case cases[MAX_CASES];
    size_t n = shape_cases(cases);

    (void) state;
    for (size_t i = 0; i < n; i++) {
        struct flow_mask mask = megaflow_mask(&cases[i].key), decoded;
        struct odp_key_info info;
        struct flow_key key;
        struct xsw_err err = { "" };
        struct msg km, mm;

        encode(&cases[i].key, &km);
        assert_int_equal(odp_key_parse(msg_attrs(&km), msg_len(&km), &key, &info, &err), 0);
        encode_mask(&cases[i].key, &mask, &mm);
        if (odp_mask_parse(msg_attrs(&mm), msg_len(&mm), &info, &decoded, &err)) {
            fail_msg("%s: %s", cases[i].what, err.msg);
        }
        if (memcmp(&decoded, &mask, sizeof mask)) {
            fail_msg("%s: decoded mask differs", cases[i].what);
        }
    }
}

/* No mask: exact on every field of every attribute in the key, nothing else. */
static void
test_mask_exact_rule(void **state)
{
    struct odp_key_info info;
    struct flow_mask mask, expected;
    struct flow_key k, decoded;
    struct msg m;

    (void) state;
    k = vlan_key(ipv4_key(IPPROTO_TCP, 0), 0x8100, 0x100a);
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(NULL, 0, &info, &mask, NULL), 0);

    memset(&expected, 0, sizeof expected);
    expected.m.in_port = expected.m.recirc_id = expected.m.dp_hash = UINT32_MAX;
    expected.m.skb_mark = expected.m.priority = UINT32_MAX;
    expected.m.eth_type = htons(0xffff);
    memset(expected.m.eth_src, 0xff, 6);
    memset(expected.m.eth_dst, 0xff, 6);
    for (int i = 0; i < FLOW_MAX_VLANS; i++) {
        expected.m.vlans[i].tpid = expected.m.vlans[i].tci = htons(0xffff);
    }
    expected.m.nw_src = expected.m.nw_dst = htonl(UINT32_MAX);
    expected.m.nw_proto = expected.m.nw_tos = expected.m.nw_ttl = expected.m.nw_frag = 0xff;
    expected.m.tp_src = expected.m.tp_dst = expected.m.tcp_flags = htons(0xffff);
    assert_memory_equal(&mask, &expected, sizeof mask);

    /* ICMP type and code are one byte each. */
    k = ipv4_key(IPPROTO_ICMP, 0);
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(NULL, 0, &info, &mask, NULL), 0);
    assert_int_equal(ntohs(mask.m.tp_src), 0x00ff);
    assert_int_equal(ntohs(mask.m.tp_dst), 0x00ff);
    assert_int_equal(mask.m.tcp_flags, 0);

    /* ND: target and both link-layer addresses; IPv4 fields untouched. */
    k = icmpv6_key(136, 0);
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(NULL, 0, &info, &mask, NULL), 0);
    assert_int_equal(mask.m.nd_target[15], 0xff);
    assert_int_equal(mask.m.arp_tha[5], 0xff);
    assert_int_equal(mask.m.nw_src, 0);
    assert_int_equal(ntohl(mask.m.ipv6_label), 0xffffffff);

    /* A metadata-only key without in_port: in_port free (no port to be
     * exact on), the metadata it has exact, the rest free. */
    {
        struct raw r;

        memset(&r, 0, sizeof r);
        raw_u32(&r, OVS_KEY_ATTR_SKB_MARK, 1);
        assert_int_equal(odp_key_parse(r.b, r.len, &decoded, &info, NULL), 0);
        assert_int_equal(odp_mask_parse(NULL, 0, &info, &mask, NULL), 0);
        assert_int_equal(mask.m.in_port, 0);
        assert_int_equal(mask.m.skb_mark, UINT32_MAX);
        assert_int_equal(mask.m.recirc_id, 0);
    }

    /* An exact mask reports as the kernel's: all ones in the key's shape. */
    k = ipv4_key(IPPROTO_UDP, 0);
    encode(&k, &m);
    assert_int_equal(odp_key_parse(msg_attrs(&m), msg_len(&m), &decoded, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(NULL, 0, &info, &mask, NULL), 0);
    encode_mask(&k, &mask, &m);
    {
        const uint8_t *p = msg_attrs(&m);
        size_t off = 0;

        while (off < msg_len(&m)) {
            struct nlattr hdr;

            memcpy(&hdr, p + off, sizeof hdr);
            for (size_t i = NLA_HDRLEN; i < hdr.nla_len; i++) {
                assert_int_equal(p[off + i], 0xff);
            }
            off += NLA_ALIGN(hdr.nla_len);
        }
    }
}

static void
test_mask_rules(void **state)
{
    struct flow_key udp4 = ipv4_key(IPPROTO_UDP, 0);
    struct flow_key tagged = vlan_key(ipv4_key(IPPROTO_UDP, 0), 0x8100, 0x100a);
    struct ovs_key_ipv4 ipv4_m;
    struct odp_key_info info;
    struct flow_key decoded;
    struct flow_mask mask;
    struct xsw_err err;
    struct msg km;
    struct raw r;
    size_t e;

    (void) state;
    memset(&ipv4_m, 0, sizeof ipv4_m);
    ipv4_m.ipv4_proto = 0xff;

    encode(&udp4, &km);
    assert_int_equal(odp_key_parse(msg_attrs(&km), msg_len(&km), &decoded, &info, NULL), 0);

    /* An empty mask: only what the datapath always adds; in_port is not
     * named, so any port matches (as the kernel). */
    assert_int_equal(odp_mask_parse("", 0, &info, &mask, &err), 0);
    assert_int_equal(mask.m.in_port, 0);
    assert_int_equal(ntohs(mask.m.vlans[0].tci), 0xffff);
    assert_int_equal(ntohs(mask.m.vlans[1].tpid), 0xffff);
    assert_int_equal(mask.m.eth_type, 0);
    assert_int_equal(mask.m.nw_proto, 0);

    /* A partial eth_type mask is an exact one; in_port 0 is still exact. */
    memset(&r, 0, sizeof r);
    raw_u32(&r, OVS_KEY_ATTR_IN_PORT, 0);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0f00);
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);
    assert_int_equal(ntohs(mask.m.eth_type), 0xffff);
    assert_int_equal(mask.m.in_port, UINT32_MAX);

    /* An all-zero attribute counts as absent, even one the key lacks. */
    memset(&r, 0, sizeof r);
    raw_attr(&r, OVS_KEY_ATTR_TCP, "\0\0\0\0", 4);
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);

    memset(&r, 0, sizeof r);
    raw_attr(&r, OVS_KEY_ATTR_TCP, "\0\0\xff\xff", 4);
    expect_mask_error(&udp4, &r, "tcp: mask for an attribute the key does not have");

    memset(&r, 0, sizeof r);
    raw_attr(&r, OVS_KEY_ATTR_IPV4, &ipv4_m, sizeof ipv4_m);
    expect_mask_error(&udp4, &r, "ipv4: mask needs an exact eth_type");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_attr(&r, OVS_KEY_ATTR_UDP, "\0\0\xff\xff", 4);
    expect_mask_error(&udp4, &r, "udp: mask needs an exact ip proto");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_attr(&r, OVS_KEY_ATTR_IPV4, &ipv4_m, 8);
    expect_mask_error(&udp4, &r, "ipv4: length 8, expected 12");

    /* frag is an enumeration: a partial mask is refused. */
    {
        struct ovs_key_ipv4 frag_m = ipv4_m;

        frag_m.ipv4_frag = 0xf7;
        memset(&r, 0, sizeof r);
        raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
        raw_attr(&r, OVS_KEY_ATTR_IPV4, &frag_m, sizeof frag_m);
        expect_mask_error(&udp4, &r, "ipv4: partial mask 0xf7 for frag: expected 0 or 0xff");
    }

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    expect_mask_error(&udp4, &r, "duplicate attribute eth_type");

    /* An empty encap is all zero too; one with content needs a VLAN key. */
    memset(&r, 0, sizeof r);
    raw_nest_end(&r, raw_nest_start(&r, OVS_KEY_ATTR_ENCAP));
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);
    memset(&r, 0, sizeof r);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_nest_end(&r, e);
    expect_mask_error(&udp4, &r, "encap: mask for an attribute the key does not have");

    /* Good masks, with the values they carry. */
    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_attr(&r, OVS_KEY_ATTR_IPV4, &ipv4_m, sizeof ipv4_m);
    raw_attr(&r, OVS_KEY_ATTR_UDP, "\0\0\xff\x00", 4);
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);
    assert_int_equal(ntohs(mask.m.tp_dst), 0xff00);
    assert_int_equal(mask.m.nw_proto, 0xff);

    /* VLAN levels: exact TPID, TCI mask with the present bit. */
    encode(&tagged, &km);
    assert_int_equal(odp_key_parse(msg_attrs(&km), msg_len(&km), &decoded, &info, NULL), 0);

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0x0fff);
    expect_mask_error(&tagged, &r, "eth_type: mask 0x0fff of a VLAN TPID must be 0xffff");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x0fff);
    expect_mask_error(&tagged, &r, "vlan: mask 0x0fff must include the tag-present bit 0x1000");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1fff);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_attr(&r, OVS_KEY_ATTR_UDP, "\0\0\xff\xff", 4);
    raw_nest_end(&r, e);
    expect_mask_error(&tagged, &r, "encap: udp: mask needs an exact ip proto");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1fff);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_attr(&r, OVS_KEY_ATTR_UDP, "\0\0\xff", 3);
    raw_nest_end(&r, e);
    expect_mask_error(&tagged, &r, "encap: udp: length 3, expected 4");

    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0x1fff);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_nest_end(&r, e);
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);
    assert_int_equal(ntohs(mask.m.vlans[0].tci), 0x1fff);
    assert_int_equal(ntohs(mask.m.vlans[0].tpid), 0xffff);
    assert_int_equal(ntohs(mask.m.eth_type), 0xffff);
    assert_int_equal(mask.m.nw_dst, 0);

    /* A mask silent on VLAN still tells tagged from untagged. */
    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0);
    assert_int_equal(odp_mask_parse(r.b, r.len, &info, &mask, &err), 0);
    assert_int_equal(ntohs(mask.m.vlans[0].tci), 0xffff);
    assert_int_equal(ntohs(mask.m.vlans[0].tpid), 0xffff);

    /* nd needs the ICMPv6 type pinned. */
    {
        struct flow_key ns = icmpv6_key(135, 0);
        struct ovs_key_ipv6 ipv6_m;
        struct ovs_key_nd nd_m;

        memset(&ipv6_m, 0, sizeof ipv6_m);
        ipv6_m.ipv6_proto = 0xff;
        memset(&nd_m, 0xff, sizeof nd_m);
        memset(&r, 0, sizeof r);
        raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
        raw_attr(&r, OVS_KEY_ATTR_IPV6, &ipv6_m, sizeof ipv6_m);
        raw_attr(&r, OVS_KEY_ATTR_ICMPV6, "\xf0\x00", 2);
        raw_attr(&r, OVS_KEY_ATTR_ND, &nd_m, sizeof nd_m);
        expect_mask_error(&ns, &r, "nd: mask needs an exact icmpv6 type");
    }

    /* Metadata masks stay outside encap. */
    memset(&r, 0, sizeof r);
    raw_be16(&r, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    raw_be16(&r, OVS_KEY_ATTR_VLAN, 0xffff);
    e = raw_nest_start(&r, OVS_KEY_ATTR_ENCAP);
    raw_u32(&r, OVS_KEY_ATTR_SKB_MARK, 1);
    raw_nest_end(&r, e);
    expect_mask_error(&tagged, &r, "encap: skb_mark: not allowed inside encap");
}

/* -------------------------------------------------------- names, lens */

static void
test_attr_names_and_lens(void **state)
{
    static const char *const names[] = {
        [OVS_KEY_ATTR_ENCAP] = "encap", [OVS_KEY_ATTR_PRIORITY] = "skb_priority",
        [OVS_KEY_ATTR_IN_PORT] = "in_port", [OVS_KEY_ATTR_ETHERNET] = "eth",
        [OVS_KEY_ATTR_VLAN] = "vlan", [OVS_KEY_ATTR_ETHERTYPE] = "eth_type",
        [OVS_KEY_ATTR_IPV4] = "ipv4", [OVS_KEY_ATTR_IPV6] = "ipv6",
        [OVS_KEY_ATTR_TCP] = "tcp", [OVS_KEY_ATTR_UDP] = "udp",
        [OVS_KEY_ATTR_ICMP] = "icmp", [OVS_KEY_ATTR_ICMPV6] = "icmpv6",
        [OVS_KEY_ATTR_ARP] = "arp", [OVS_KEY_ATTR_ND] = "nd",
        [OVS_KEY_ATTR_SKB_MARK] = "skb_mark", [OVS_KEY_ATTR_TUNNEL] = "tunnel",
        [OVS_KEY_ATTR_SCTP] = "sctp", [OVS_KEY_ATTR_TCP_FLAGS] = "tcp_flags",
        [OVS_KEY_ATTR_DP_HASH] = "dp_hash", [OVS_KEY_ATTR_RECIRC_ID] = "recirc_id",
        [OVS_KEY_ATTR_MPLS] = "mpls", [OVS_KEY_ATTR_CT_STATE] = "ct_state",
        [OVS_KEY_ATTR_CT_ZONE] = "ct_zone", [OVS_KEY_ATTR_CT_MARK] = "ct_mark",
        [OVS_KEY_ATTR_CT_LABELS] = "ct_label",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = "ct_tuple4",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = "ct_tuple6", [OVS_KEY_ATTR_NSH] = "nsh",
        [OVS_KEY_ATTR_PACKET_TYPE] = "packet_type",
        [OVS_KEY_ATTR_ND_EXTENSIONS] = "nd_ext",
    };

    (void) state;
    for (unsigned int t = 1; t < sizeof names / sizeof names[0]; t++) {
        assert_non_null(odp_key_attr_name(t));
        assert_string_equal(odp_key_attr_name(t), names[t]);
    }
    assert_string_equal(odp_key_attr_name(OVS_KEY_ATTR_UNSPEC), "unspec");
    assert_null(odp_key_attr_name(OVS_KEY_ATTR_TUNNEL_INFO));
    assert_null(odp_key_attr_name(OVS_KEY_ATTR_IPV6_EXTHDRS));
    assert_null(odp_key_attr_name(40));
    assert_null(odp_key_attr_name(0x3fff));

    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_IN_PORT), 4);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_ETHERNET), 12);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_ETHERTYPE), 2);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_IPV4), 12);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_IPV6), 40);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_ARP), 24);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_ND), 28);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_TCP_FLAGS), 2);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_CT_LABELS), 16);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4),
                     sizeof(struct ovs_key_ct_tuple_ipv4));
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_IPV6_EXTHDRS), 2);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_MPLS), ODP_KEY_LEN_VARIABLE);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_ENCAP), ODP_KEY_LEN_NESTED);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_TUNNEL), ODP_KEY_LEN_NESTED);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_NSH), ODP_KEY_LEN_NESTED);
    assert_int_equal(odp_key_attr_len(40), ODP_KEY_LEN_UNKNOWN);
    assert_int_equal(odp_key_attr_len(OVS_KEY_ATTR_UNSPEC), ODP_KEY_LEN_UNKNOWN);
}

/* ------------------------------------------------------------- random */

struct rng {
    uint64_t s;
};

static uint32_t
rnd(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t) (r->s >> 16);
}

static void
rnd_bytes(struct rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t) rnd(r);
    }
}

/* A key flow_extract() could produce: fields only where the kernel's
 * attributes carry them. */
static void
random_key(struct rng *r, struct flow_key *k)
{
    static const uint16_t eth_types[] = {
        0x0800, 0x0800, 0x0800, 0x86dd, 0x86dd, 0x0806, 0x8035, 0x8847, 0x8848,
        FLOW_ETH_TYPE_NONE, 0x88cc, 0x9000,
    };
    static const uint8_t protos[] = { 6, 6, 17, 17, 132, 1, 58, 47, 0 };
    static const uint8_t icmpv6_types[] = { 128, 129, 133, 135, 135, 136, 136, 1 };
    unsigned int n_tags, l3, i;
    uint16_t eth_type;

    memset(k, 0, sizeof *k);
    k->in_port = rnd(r) % 64;
    k->recirc_id = rnd(r) % 4 ? 0 : rnd(r);
    k->dp_hash = rnd(r) % 4 ? 0 : rnd(r);
    k->skb_mark = rnd(r) % 4 ? 0 : rnd(r);
    k->priority = rnd(r) % 4 ? 0 : rnd(r);
    if (rnd(r) % 50 == 0) {
        return;                                 /* runt */
    }
    rnd_bytes(r, k->eth_src, 6);
    rnd_bytes(r, k->eth_dst, 6);
    k->eth_dst[0] |= 0x02;

    n_tags = rnd(r) % 4;
    n_tags = n_tags == 3 ? 2 : n_tags;
    for (i = 0; i < n_tags; i++) {
        k->vlans[i].tpid = htons(i == 0 && rnd(r) % 2 ? 0x88a8 : 0x8100);
        k->vlans[i].tci = htons((uint16_t) (rnd(r) | FLOW_VLAN_CFI));
    }
    if (n_tags < FLOW_MAX_VLANS && rnd(r) % 20 == 0) {
        k->vlans[n_tags].tpid = htons(rnd(r) % 2 ? 0x88a8 : 0x8100);
        return;                                 /* cut after the TPID */
        return;
    }
    if (n_tags == FLOW_MAX_VLANS && rnd(r) % 10 == 0) {
        k->eth_type = htons(0x8100);            /* a third tag */
        return;
    }

    eth_type = eth_types[rnd(r) % (sizeof eth_types / sizeof eth_types[0])];
    k->eth_type = htons(eth_type);
    l3 = eth_type == 0x0800 ? 4 : eth_type == 0x86dd ? 6 : 0;
    if (l3) {
        k->nw_proto = rnd(r) % 8 ? protos[rnd(r) % sizeof protos] : (uint8_t) rnd(r);
        k->nw_tos = (uint8_t) rnd(r);
        k->nw_ttl = (uint8_t) rnd(r);
        k->nw_frag = (uint8_t) (rnd(r) % 4 ? 0 : rnd(r) % 3);
        if (l3 == 4) {
            k->nw_src = rnd(r);
            k->nw_dst = rnd(r);
        } else {
            rnd_bytes(r, k->ipv6_src, 16);
            rnd_bytes(r, k->ipv6_dst, 16);
            k->ipv6_label = htonl(rnd(r) & 0xfffff);
        }
        if (k->nw_frag != OVS_FRAG_TYPE_LATER) {
            switch (k->nw_proto) {
            case IPPROTO_TCP:
                k->tcp_flags = htons((uint16_t) (rnd(r) & 0x0fff));
                /* fall through */
            case IPPROTO_UDP:
            case IPPROTO_SCTP:
                k->tp_src = (__be16) rnd(r);
                k->tp_dst = (__be16) rnd(r);
                break;
            case IPPROTO_ICMP:
                if (l3 == 4) {
                    k->tp_src = htons((uint8_t) rnd(r));
                    k->tp_dst = htons((uint8_t) rnd(r));
                }
                break;
            case IPPROTO_ICMPV6:
                if (l3 == 6) {
                    uint8_t type = icmpv6_types[rnd(r) % sizeof icmpv6_types];
                    uint8_t code = rnd(r) % 4 ? 0 : (uint8_t) rnd(r);

                    k->tp_src = htons(type);
                    k->tp_dst = htons(code);
                    if ((type == 135 || type == 136) && code == 0) {
                        rnd_bytes(r, k->nd_target, 16);
                        rnd_bytes(r, rnd(r) % 2 ? k->arp_sha : k->arp_tha, 6);
                    }
                }
                break;
            default:
                break;
            }
        }
    } else if (eth_type == 0x0806 || eth_type == 0x8035) {
        k->nw_src = rnd(r);
        k->nw_dst = rnd(r);
        k->nw_proto = (uint8_t) rnd(r);
        rnd_bytes(r, k->arp_sha, 6);
        rnd_bytes(r, k->arp_tha, 6);
    } else if (eth_type == 0x8847 || eth_type == 0x8848) {
        unsigned int n = 1 + rnd(r) % FLOW_MAX_MPLS;

        for (i = 0; i < n; i++) {
            k->mpls_lse[i] = htonl((rnd(r) & ~0x100u) | 0x1000);
        }
        if (rnd(r) % 4) {
            k->mpls_lse[n - 1] |= htonl(0x100);
        }
    }
}

static void
test_random_roundtrip(void **state)
{
    struct rng r = { 0x9e3779b97f4a7c15ULL };

    (void) state;
    for (int i = 0; i < 20000; i++) {
        uint64_t expected[FLOW_MAX_VLANS + 1];
        struct flow_mask mask, mask_back;
        struct odp_key_info info;
        struct flow_key k, back;
        struct xsw_err err = { "" };
        struct msg a, b, mm;

        random_key(&r, &k);
        encode(&k, &a);
        encode(&k, &b);
        assert_int_equal(msg_len(&a), msg_len(&b));
        assert_memory_equal(msg_attrs(&a), msg_attrs(&b), msg_len(&a));

        if (odp_key_parse(msg_attrs(&a), msg_len(&a), &back, &info, &err)) {
            fail_msg("key %d: %s", i, err.msg);
        }
        if (!flow_key_equal(&back, runt_as_802_2(&k))) {
            fail_msg("key %d: decoded key differs", i);
        }
        odp_key_expected_attrs(&k, expected);
        assert_memory_equal(info.attrs, expected, sizeof expected);

        mask = megaflow_mask(&k);
        encode_mask(&k, &mask, &mm);
        if (odp_mask_parse(msg_attrs(&mm), msg_len(&mm), &info, &mask_back, &err)) {
            fail_msg("mask %d: %s", i, err.msg);
        }
        assert_memory_equal(&mask_back, &mask, sizeof mask);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_ipv4_tcp_bytes),
        cmocka_unit_test(test_put_metadata_bytes),
        cmocka_unit_test(test_put_vlan_bytes),
        cmocka_unit_test(test_put_shapes),
        cmocka_unit_test(test_put_runt_is_zero_eth),
        cmocka_unit_test(test_put_field_values),
        cmocka_unit_test(test_put_emsgsize),
        cmocka_unit_test(test_roundtrip_cases),
        cmocka_unit_test(test_info_levels),
        cmocka_unit_test(test_parse_any_order),
        cmocka_unit_test(test_parse_duplicates),
        cmocka_unit_test(test_parse_wrong_lengths),
        cmocka_unit_test(test_parse_mpls_lengths),
        cmocka_unit_test(test_parse_opaque),
        cmocka_unit_test(test_parse_truncated),
        cmocka_unit_test(test_parse_encap_depth),
        cmocka_unit_test(test_parse_vlan_rules),
        cmocka_unit_test(test_parse_inconsistent),
        cmocka_unit_test(test_parse_incomplete),
        cmocka_unit_test(test_runt_reads_as_802_2),
        cmocka_unit_test(test_mask_put_shape),
        cmocka_unit_test(test_mask_put_values),
        cmocka_unit_test(test_mask_roundtrip),
        cmocka_unit_test(test_mask_exact_rule),
        cmocka_unit_test(test_mask_rules),
        cmocka_unit_test(test_attr_names_and_lens),
        cmocka_unit_test(test_random_roundtrip),
    };

    return cmocka_run_group_tests_name("odp_key", tests, NULL, NULL);
}
