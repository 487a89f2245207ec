/* odp_text keys and masks: text -> netlink -> text, checked against Open
 * vSwitch's own vectors (tests/odp.at, "parse-keys" and "parse-wc-keys"),
 * the masked-format rules, the bytes written, and the error messages. */
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
#include <linux/openvswitch.h>

#include "odp_text.h"

#define BUF_SIZE 16384

struct msg {
    union {
        struct nlmsghdr nlh;
        uint8_t b[BUF_SIZE];
    };
};

static void
msg_init(struct msg *m)
{
    memset(m, 0xa5, sizeof *m);     /* stale bytes must never leak out */
    mnl_nlmsg_put_header(m->b);
}

static const void *
msg_attrs(const struct msg *m)
{
    return mnl_nlmsg_get_payload(&m->nlh);
}

static size_t
msg_len(const struct msg *m)
{
    return mnl_nlmsg_get_payload_len(&m->nlh);
}

/* Parses 'in' (with a mask if 'masked') and formats it again (with the mask
 * if 'masked' and 'with_mask'); NULL and err set on a parse error. */
static char *
reformat(const char *in, bool masked, bool with_mask, bool verbose,
         struct xsw_err *err)
{
    static struct msg key, mask;
    struct strbuf sb;
    int error;

    msg_init(&key);
    msg_init(&mask);
    error = odp_text_parse_key(in, &key.nlh, masked ? &mask.nlh : NULL, BUF_SIZE, err);
    if (error) {
        return NULL;
    }
    strbuf_init(&sb);
    odp_text_format_key(msg_attrs(&key), msg_len(&key),
                        masked && with_mask ? msg_attrs(&mask) : NULL,
                        masked && with_mask ? msg_len(&mask) : 0, verbose, &sb);
    assert_false(strbuf_failed(&sb));
    return strbuf_steal(&sb);
}

static void
check_format(const char *in, bool masked, bool with_mask, bool verbose,
             const char *expected)
{
    struct xsw_err err;
    char *out = reformat(in, masked, with_mask, verbose, &err);

    if (!out) {
        print_error("parse failed: %s\n  input: %s\n", err.msg, in);
        fail();
    }
    if (strcmp(out, expected)) {
        print_error("input:    %s\nexpected: %s\ngot:      %s\n", in, expected, out);
        free(out);
        fail();
    }
    free(out);
}

/* ---------------------------------------------------------------- vectors */

/* tests/odp.at, "OVS datapath key parsing and formatting - valid forms". */
static const char *const odp_base[] = {
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x81,ttl=128,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=first)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=later)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80,dst=8080)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=17,tos=0,ttl=128,frag=no),udp(src=81,dst=6632)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=1,tos=0,ttl=128,frag=no),icmp(type=1,code=2)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x71,hlimit=128,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=first)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=later)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=6,tclass=0,hlimit=128,frag=no),tcp(src=80,dst=8080)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=17,tclass=0,hlimit=128,frag=no),udp(src=6630,dst=22)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=1,code=2)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3,sll=00:05:06:07:08:09,tll=00:0a:0b:0c:0d:0e)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0806),arp(sip=1.2.3.4,tip=5.6.7.8,op=1,sha=00:0f:10:11:12:13,tha=00:14:15:16:17:18)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=3,ttl=64,bos=1)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=7,ttl=100,bos=1)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8847),mpls(label=100,tc=7,ttl=100,bos=0)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8848),mpls(label=1000,tc=4,ttl=200,bos=1)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8848),mpls(label=1000,tc=4,ttl=200,bos=0)",
};

/* The prefixes odp.at puts in front of those lines. */
static const char *const odp_prefixes[] = {
    "skb_priority(0),skb_mark(0),recirc_id(0),dp_hash(0),",
    "skb_priority(0),tunnel(tun_id=0x7f10354,src=10.10.10.10,dst=20.20.20.20,ttl=64,flags(csum|key)),skb_mark(0x1234),recirc_id(0),dp_hash(0),",
    "skb_priority(0),tunnel(tun_id=0xfedcba9876543210,src=10.0.0.1,dst=10.0.0.2,tos=0x8,ttl=128,flags(key)),skb_mark(0),recirc_id(0),dp_hash(0),",
    "skb_priority(0x1234),tunnel(tun_id=0xfedcba9876543210,src=10.10.10.10,dst=20.20.20.20,tos=0x8,ttl=64,flags(key)),skb_mark(0),recirc_id(0),dp_hash(0),",
    "skb_priority(0),skb_mark(0),ct_mark(0x12345678),ct_label(0x1234567890abcdef1234567890abcdef),recirc_id(0),dp_hash(0),",
};

/* tests/odp.at, "OVS datapath wildcarded key parsing and formatting". */
static const char *const odp_wc_base[] = {
    "in_port(1/0xff),eth(src=00:01:02:03:04:05/ff:ff:ff:ff:ff:f0,dst=10:11:12:13:14:15/ff:ff:ff:ff:ff:f0)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41/255.255.255.0,dst=172.16.0.20/255.255.255.0,proto=5/0xf0,tos=0x80/0xf0,ttl=128/0xf0,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80/0xff00,dst=8080/0xff)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=17,tos=0,ttl=128,frag=no),udp(src=81/0xff00,dst=6632/0xff)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=17,tos=0,ttl=128,frag=no),udp(src=81/0xff,dst=6632/0xff00)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=1,tos=0,ttl=128,frag=no),icmp(type=1/0xf0,code=2)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1/::255,dst=::2/::255,label=0/0xf0,proto=10/0xf0,tclass=0x70/0xf0,hlimit=128/0xf0,frag=no)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=6,tclass=0,hlimit=128,frag=no),tcp(src=80/0xff00,dst=8080/0xff)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=17,tclass=0,hlimit=128,frag=no),udp(src=6630/0xff00,dst=22/0xff)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=1/0xf0,code=2)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=135,code=0),nd(target=::3/::250)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=135,code=0),nd(target=::3/::250,sll=00:05:06:07:08:09/ff:ff:ff:ff:ff:00)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3/::250,tll=00:0a:0b:0c:0d:0e/ff:ff:ff:ff:ff:00)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3/::250,sll=00:05:06:07:08:09/ff:ff:ff:ff:ff:00,tll=00:0a:0b:0c:0d:0e/ff:ff:ff:ff:ff:00)",
    "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0806),arp(sip=1.2.3.4/255.255.255.250,tip=5.6.7.8/255.255.255.250,op=1/0xf0,sha=00:0f:10:11:12:13/ff:ff:ff:ff:ff:00,tha=00:14:15:16:17:18/ff:ff:ff:ff:ff:00)",
    "skb_mark(0x1234/0xfff0),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3,sll=00:05:06:07:08:09,tll=00:0a:0b:0c:0d:0e)",
};

static const char *const odp_wc_prefixes[] = {
    "",
    "tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,vxlan(gbp(id=10/0xff,flags=0xb)),flags(oam|csum|key)),",
    "tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,flags(-df+csum+key)),",
    "tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,geneve({class=0,type=0,len=4,0xa/0xff}{class=0xffff,type=0x1,len=4,0xffffffff}),flags(csum|key)),",
    "skb_priority(0x1234/0xff),",
    "skb_priority(0x1234),tunnel(tun_id=0xfedcba9876543210,src=10.10.10.10,dst=20.20.20.20,tos=0x8,ttl=64,flags(key)),",
};

static char *
concat(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);

    assert_non_null(s);
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

/* odp.at's sed for "with VLAN header": eth(...) gets
 * ",eth_type(0x8100),vlan(vid=99,pcp=7),encap(" after it and the line a
 * closing ")". */
static char *
vlan_wrap(const char *line, const char *vlan)
{
    const char *eth = strstr(line, "eth(");
    const char *end = strchr(eth, ')') + 1;
    size_t head = (size_t) (end - line);
    char *first, *s;

    first = malloc(head + 1);
    assert_non_null(first);
    memcpy(first, line, head);
    first[head] = '\0';
    end += strspn(end, ",");
    s = concat(first, vlan, end);
    free(first);
    first = concat(s, ")", "");
    free(s);
    return first;
}

/* odp.at's frag variants: ",frag=no)," -> first; ",frag=no),..." -> later
 * with the rest of the line cut.  NULL for lines without it. */
static char *
frag_variant(const char *line, bool later)
{
    const char *at = strstr(line, ",frag=no),");
    size_t head;
    char *first, *s;

    if (!at) {
        return NULL;
    }
    head = (size_t) (at - line);
    first = malloc(head + 1);
    assert_non_null(first);
    memcpy(first, line, head);
    first[head] = '\0';
    s = concat(first, later ? ",frag=later)" : ",frag=first),",
               later ? "" : at + strlen(",frag=no),"));
    free(first);
    return s;
}

static void
check_roundtrip(char *in, bool masked, int *count)
{
    if (in) {
        check_format(in, masked, true, !masked, in);
        free(in);
        (*count)++;
    }
}

static void
test_ovs_keys_roundtrip(void **state)
{
    static const char vlan[] = ",eth_type(0x8100),vlan(vid=99,pcp=7),encap(";
    int count = 0;

    (void) state;
    for (size_t i = 0; i < sizeof odp_base / sizeof odp_base[0]; i++) {
        for (size_t p = 0; p < sizeof odp_prefixes / sizeof odp_prefixes[0]; p++) {
            char *line = concat(odp_prefixes[p], odp_base[i], "");

            check_roundtrip(concat(line, "", ""), false, &count);
            check_roundtrip(vlan_wrap(line, vlan), false, &count);
            check_roundtrip(frag_variant(line, false), false, &count);
            check_roundtrip(frag_variant(line, true), false, &count);
            free(line);
        }
    }
    assert_true(count > 200);
}

static void
test_ovs_wc_keys_roundtrip(void **state)
{
    static const char vlan[] = ",eth_type(0x8100),vlan(vid=99,pcp=7),encap(";
    static const char ct[] = ",ct_state(+trk),ct_zone(0x5/0xff),ct_mark(0x10305070/0xf0f0f0f0),ct_label(0x1234567890abcdef1234567890abcdef/0x102030405060708090a0b0c0d0e0f0),ct_tuple4(src=10.10.10.10,dst=20.20.20.20,proto=17,tp_src=1,tp_dst=2),";
    static const char mpls[] = ",eth_type(0x8847),mpls(label=100/0xff,tc=7/7,ttl=64/0xff,bos=1/1)";
    int count = 0;

    (void) state;
    for (size_t i = 0; i < sizeof odp_wc_base / sizeof odp_wc_base[0]; i++) {
        const char *base = odp_wc_base[i];

        for (size_t p = 0; p < sizeof odp_wc_prefixes / sizeof odp_wc_prefixes[0]; p++) {
            char *line = concat(odp_wc_prefixes[p], base, "");

            check_roundtrip(concat(line, "", ""), true, &count);
            check_roundtrip(vlan_wrap(line, vlan), true, &count);
            free(line);
        }
        /* ct fields after eth(...); an MPLS stack after eth(...) on the
         * lines that have nothing else after it. */
        {
            const char *eth_end = strchr(strstr(base, "eth("), ')') + 1;
            size_t head = (size_t) (eth_end - base);
            char *first = strndup(base, head);

            assert_non_null(first);
            if (*eth_end == ',') {
                check_roundtrip(concat(first, ct, eth_end + 1), true, &count);
            } else {
                check_roundtrip(concat(first, mpls, eth_end), true, &count);
            }
            free(first);
        }
        check_roundtrip(frag_variant(base, false), true, &count);
        check_roundtrip(frag_variant(base, true), true, &count);
    }
    assert_true(count > 150);
}

/* Keys not in odp.at, one per attribute kind, in both forms. */
static void
test_more_roundtrips(void **state)
{
    static const char *const unmasked[] = {
        "recirc_id(0x10),dp_hash(0x5),skb_priority(0x7),skb_mark(0xffffffff),in_port(4294967295)",
        "ct_state(0x21),ct_zone(0x5),ct_mark(0x1),ct_label(0x1)",
        "ct_state(0),ct_zone(0),ct_mark(0),ct_label(0)",
        "ct_tuple4(src=10.0.0.1,dst=10.0.0.2,proto=6,tp_src=1024,tp_dst=80)",
        "ct_tuple6(src=fe80::1,dst=fe80::2,proto=17,src_port=53,dst_port=5353)",
        "packet_type(ns=0,id=0),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)",
        "packet_type(ns=1,id=0x800)",
        "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=ff02::1:ff00:1,label=0xfffff,proto=58,tclass=0xff,hlimit=255,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::1,sll=00:00:00:00:00:00,tll=00:00:00:00:00:00),nd_ext(nd_reserved=0x20000000,nd_options_type=2)",
        "tcp(src=0,dst=0),tcp_flags(syn|ack)",
        "tcp_flags(fin|syn|rst|psh|ack|urg|ece|cwr|ns|[200]|[400]|[800])",
        "tcp_flags(0)",
        "eth_type(0x8847),mpls(label=1,tc=0,ttl=64,bos=0,label=2,tc=1,ttl=63,bos=0,label=1048575,tc=7,ttl=255,bos=1)",
        "eth_type(0x88a8),vlan(vid=10,pcp=0),encap(eth_type(0x8100),vlan(vid=20,pcp=5),encap(eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0xfc,ttl=1,frag=first),udp(src=1,dst=2)))",
        "eth_type(0x8100),vlan(vid=0,pcp=0,cfi=0),encap()",
        "sctp(src=1,dst=65535),icmp(type=255,code=255)",
        "tunnel(tun_id=0x0,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ttl=64,tp_src=1,tp_dst=4789,flags(oam|df|csum|key))",
        "tunnel(ttl=0,flags(0))",
        "tunnel(tun_id=0x1,ttl=64,geneve({class=0x102,type=0x80,len=8,0x1234567890abcdef}),flags(key))",
        "tunnel(tun_id=0x1,ttl=64,vxlan(gbp(id=10,flags=0x1)),flags(key))",
        "tunnel(vxlan(gbp(id=0,flags=0)),flags(0))",
        "tunnel(vxlan(),flags(0))",
        "tunnel(vxlan(gbp(id=1,flags=0),key5(01)),key17(02 03),flags(0))",
        "key31(01 02 03 04),key40(),key16383(ff)",
        "in_port(1),key99(de ad be ef),eth_type(0x0800)",
    };
    static const char *const masked[] = {
        "ct_state(-new+est+trk),ct_zone(0x5),ct_mark(0x1/0x3),ct_label(0x1/0xff)",
        "ct_state(est|trk)",
        "tcp_flags(+syn-ack)",
        "tcp_flags(syn|ack)",
        "eth_type(0x8100),vlan(vid=10),encap(eth_type(0x0800),ipv4(src=10.0.0.0/255.0.0.0))",
        "eth_type(0x8100),vlan(vid=10/0xff0,pcp=3/0x1),encap(eth_type(0x0800))",
        "vlan(cfi=0)",
        "recirc_id(0x1),dp_hash(0x5/0xf),in_port(3)",
        "key99(01 02/ff 00)",
        "ipv6(src=2001:db8::/ffff:ffff::,label=0x12345/0xf0000)",
        "packet_type(ns=1,id=0x800/0xff00)",
        "arp(op=2,tha=00:00:00:00:00:01/00:00:00:00:00:ff)",
        "eth_type(0x0800),ipv4(frag=later)",
        "eth()",
        "in_port(1),eth()",
    };
    int count = 0;

    (void) state;
    for (size_t i = 0; i < sizeof unmasked / sizeof unmasked[0]; i++) {
        check_format(unmasked[i], false, false, true, unmasked[i]);
        count++;
    }
    for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++) {
        check_format(masked[i], true, true, false, masked[i]);
        count++;
    }
    assert_int_equal(count, 39);
}

/* ---------------------------------------------------------------- masks */

static void
test_masked_rules(void **state)
{
    (void) state;
    /* Wildcarded fields are left out, exact ones lose their mask, partial
     * ones keep it. */
    check_format("ipv4(src=1.2.3.4)", true, true, false, "ipv4(src=1.2.3.4)");
    check_format("ipv4(src=10.1.2.3/255.0.0.0,ttl=64)", true, true, false,
                 "ipv4(src=10.1.2.3/255.0.0.0,ttl=64)");
    check_format("ipv4(src=1.2.3.4/255.255.255.255)", true, true, false,
                 "ipv4(src=1.2.3.4)");
    check_format("tcp(src=80/0xffff,dst=0/0)", true, true, false, "tcp(src=80)");
    /* Prefix lengths are read, dotted masks printed. */
    check_format("ipv4(src=10.0.0.0/8)", true, true, false, "ipv4(src=10.0.0.0/255.0.0.0)");
    check_format("ipv6(dst=2001:db8::/32)", true, true, false,
                 "ipv6(dst=2001:db8::/ffff:ffff::)");
    /* A fully wildcarded attribute is left out... */
    check_format("in_port(1),skb_mark(5/0),tcp(src=1/0)", true, true, false, "in_port(1)");
    check_format("tcp_flags(0/0)", true, true, false, "");
    /* ...except eth(), which says "Ethernet" unless packet_type does... */
    check_format("in_port(1),eth(src=00:00:00:00:00:01/00:00:00:00:00:00)", true, true,
                 false, "in_port(1),eth()");
    check_format("packet_type(ns=0,id=0),eth(src=00:00:00:00:00:01/00:00:00:00:00:00)",
                 true, true, false, "packet_type(ns=0,id=0)");
    /* ...(and, as in OVS, a leading eth() is not followed by a comma)... */
    check_format("eth(),in_port(1)", true, true, false, "eth()in_port(1)");
    /* ...and nested attributes, printed with what is left inside. */
    check_format("eth_type(0x8100),vlan(vid=5),encap(eth_type(0x800/0),ipv4(ttl=0/0))",
                 true, true, false, "eth_type(0x8100),vlan(vid=5),encap()");
    /* Verbose prints wildcarded fields with their zero mask. */
    check_format("ipv4(src=1.2.3.4)", true, true, true,
                 "ipv4(src=1.2.3.4,dst=0.0.0.0/0.0.0.0,proto=0/0,tos=0/0,ttl=0/0)");
    check_format("tcp_flags(0/0)", true, true, true, "tcp_flags(0/0)");
    check_format("ct_state(+trk)", true, true, true, "ct_state(0x20/0x20)");
    check_format("vlan(vid=10)", true, true, true, "vlan(vid=10,pcp=0/0x0)");
    /* Partial masks in every spelling OVS prints. */
    check_format("in_port(5/0xff),recirc_id(1),eth_type(0x0800/0xff00)", true, true, false,
                 "in_port(5/0xff),recirc_id(0x1),eth_type(0x0800/0xff00)");
    check_format("ct_zone(0x10/0xf0),ct_mark(0/0x1)", true, true, false,
                 "ct_zone(0x10/0xf0),ct_mark(0/0x1)");
    check_format("mpls(label=5)", true, true, false,
                 "mpls(label=5/0xfffff,tc=0/0,ttl=0/0x0,bos=0/0)");
    check_format("tcp_flags(0x12/0x12)", true, true, false, "tcp_flags(+syn+ack)");
    check_format("tunnel(tun_id=0x5,ttl=64)", true, true, false,
                 "tunnel(tun_id=0x5,ttl=64,flags(+key))");
    /* frag has no partial mask; OVS says so in the output. */
    check_format("ipv4(frag=no)", true, true, false, "ipv4(frag=no)");
}

/* Formatting a key against a mask that lacks some of its attributes, or
 * has attributes the key lacks. */
static void
test_mask_mismatch(void **state)
{
    static struct msg key, mask;
    struct xsw_err err;
    struct strbuf sb;

    (void) state;
    msg_init(&key);
    msg_init(&mask);
    assert_int_equal(odp_text_parse_key("in_port(1),skb_mark(5),eth(),ipv4(ttl=1)",
                                        &key.nlh, NULL, BUF_SIZE, &err), 0);
    assert_int_equal(odp_text_parse_key("in_port(0xffffffff),eth_type(0xffff)",
                                        &mask.nlh, NULL, BUF_SIZE, &err), 0);
    strbuf_init(&sb);
    odp_text_format_key(msg_attrs(&key), msg_len(&key), msg_attrs(&mask),
                        msg_len(&mask), false, &sb);
    /* Missing from the mask: wildcarded (eth() still printed); in the mask
     * only: the eth_type note OVS appends. */
    assert_string_equal(strbuf_cstr(&sb), "in_port(1),eth(),eth_type(0/0xffff)");
    strbuf_reset(&sb);
    odp_text_format_key(msg_attrs(&key), msg_len(&key), msg_attrs(&mask),
                        msg_len(&mask), true, &sb);
    assert_string_equal(strbuf_cstr(&sb),
                        "in_port(1),skb_mark(0x5/0),"
                        "eth(src=00:00:00:00:00:00/00:00:00:00:00:00,"
                        "dst=00:00:00:00:00:00/00:00:00:00:00:00),"
                        "ipv4(src=0.0.0.0/0.0.0.0,dst=0.0.0.0/0.0.0.0,proto=0/0,"
                        "tos=0/0,ttl=1/0),eth_type(0/0xffff)");
    strbuf_free(&sb);
}

/* The unmasked form of partial input: every field, zeros included. */
static void
test_canonical_verbose(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "ipv4(src=1.2.3.4)", "ipv4(src=1.2.3.4,dst=0.0.0.0,proto=0,tos=0,ttl=0,frag=no)" },
        { "eth()", "eth(src=00:00:00:00:00:00,dst=00:00:00:00:00:00)" },
        { "eth(dst=0:1:2:a:b:C)", "eth(src=00:00:00:00:00:00,dst=00:01:02:0a:0b:0c)" },
        { "vlan(vid=10)", "vlan(vid=10,pcp=0)" },
        { "vlan()", "vlan(vid=0,pcp=0)" },
        { "vlan(tci_is_not_a_field=1)", NULL },
        { "tcp(dst=22)", "tcp(src=0,dst=22)" },
        { "ipv6(label=1)", "ipv6(src=::,dst=::,label=0x1,proto=0,tclass=0,hlimit=0,frag=no)" },
        { "arp(op=2)", "arp(sip=0.0.0.0,tip=0.0.0.0,op=2,sha=00:00:00:00:00:00,tha=00:00:00:00:00:00)" },
        { "nd(target=::1)", "nd(target=::1,sll=00:00:00:00:00:00,tll=00:00:00:00:00:00)" },
        { "icmp(type=8)", "icmp(type=8,code=0)" },
        { "mpls(label=5)", "mpls(label=5,tc=0,ttl=0,bos=0)" },
        { "mpls()", "mpls(label=0,tc=0,ttl=0,bos=0)" },
        { "in_port(0x10),skb_priority(16),recirc_id(010)",
          "in_port(16),skb_priority(0x10),recirc_id(0x8)" },
        { "eth_type(2048)", "eth_type(0x0800)" },
        { "ct_state(trk|new),ct_label(0x00000000000000000000000000000001)",
          "ct_state(0x21),ct_label(0x1)" },
        { "tcp_flags(0x12)", "tcp_flags(syn|ack)" },
        { "tunnel(tun_id=1,src=1.1.1.1)", "tunnel(tun_id=0x1,src=1.1.1.1,flags(key))" },
        { "ct_tuple6(tp_src=1)", "ct_tuple6(src=::,dst=::,proto=0,src_port=1,dst_port=0)" },
        { "packet_type()", "packet_type(ns=0,id=0)" },
        { "nd_ext()", "nd_ext(nd_reserved=0x0,nd_options_type=0)" },
        { " in_port(1) \t\n eth_type(0x0800)", "in_port(1),eth_type(0x0800)" },
        { "in_port(1)eth_type(0x0800)", "in_port(1),eth_type(0x0800)" },
        { "ipv4(src=1.2.3.4,)", "ipv4(src=1.2.3.4,dst=0.0.0.0,proto=0,tos=0,ttl=0,frag=no)" },
        { "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f in_port(1)", "in_port(1)" },
        { "", "<empty>" },
        { "<empty>", "<empty>" },
        { "ct_mark(),ct_zone(),ct_label()", "ct_mark(0),ct_zone(0),ct_label(0)" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].out) {
            check_format(cases[i].in, false, false, true, cases[i].out);
        }
    }
}

/* ---------------------------------------------------------------- bytes */

struct attr_bytes {
    uint16_t len, type;
    uint8_t data[12];
};

static void
test_netlink_bytes(void **state)
{
    static struct msg key, mask;
    /* in_port(1),eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800)) */
    static const uint8_t expected_key[] = {
        8, 0, OVS_KEY_ATTR_IN_PORT, 0, 1, 0, 0, 0,
        6, 0, OVS_KEY_ATTR_ETHERTYPE, 0, 0x81, 0x00, 0, 0,
        6, 0, OVS_KEY_ATTR_VLAN, 0, 0x70, 0x0a, 0, 0,
        12, 0, OVS_KEY_ATTR_ENCAP, 0,       /* no NLA_F_NESTED, as OVS */
        6, 0, OVS_KEY_ATTR_ETHERTYPE, 0, 0x08, 0x00, 0, 0,
    };
    static const uint8_t expected_mask[] = {
        8, 0, OVS_KEY_ATTR_IN_PORT, 0, 0xff, 0xff, 0xff, 0xff,
        6, 0, OVS_KEY_ATTR_ETHERTYPE, 0, 0xff, 0xff, 0, 0,
        6, 0, OVS_KEY_ATTR_VLAN, 0, 0xff, 0xff, 0, 0,
        12, 0, OVS_KEY_ATTR_ENCAP, 0,
        6, 0, OVS_KEY_ATTR_ETHERTYPE, 0, 0x00, 0xff, 0, 0,
    };
    struct xsw_err err;
    uint8_t *a;

    (void) state;
    msg_init(&key);
    msg_init(&mask);
    assert_int_equal(odp_text_parse_key("in_port(1),eth_type(0x8100),vlan(vid=10,pcp=3),"
                                        "encap(eth_type(0x0800/0x00ff))",
                                        &key.nlh, &mask.nlh, BUF_SIZE, &err), 0);
    assert_int_equal(msg_len(&key), sizeof expected_key);
    assert_memory_equal(msg_attrs(&key), expected_key, sizeof expected_key);
    assert_int_equal(msg_len(&mask), sizeof expected_mask);
    assert_memory_equal(msg_attrs(&mask), expected_mask, sizeof expected_mask);

    /* ipv4: struct ovs_key_ipv4, addresses in network order, frag enum. */
    msg_init(&key);
    assert_int_equal(odp_text_parse_key("ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0x10,"
                                        "ttl=64,frag=later)",
                                        &key.nlh, NULL, BUF_SIZE, &err), 0);
    a = (uint8_t *) msg_attrs(&key);
    assert_int_equal(msg_len(&key), 16);
    {
        struct ovs_key_ipv4 v;

        assert_int_equal(a[0], 4 + sizeof v);
        assert_int_equal(a[2], OVS_KEY_ATTR_IPV4);
        memcpy(&v, a + 4, sizeof v);
        assert_int_equal(v.ipv4_src, htonl(0x0a000001));
        assert_int_equal(v.ipv4_dst, htonl(0x0a000002));
        assert_int_equal(v.ipv4_proto, 6);
        assert_int_equal(v.ipv4_tos, 0x10);
        assert_int_equal(v.ipv4_ttl, 64);
        assert_int_equal(v.ipv4_frag, OVS_FRAG_TYPE_LATER);
    }

    /* Host-order u32 metadata, big-endian tcp ports. */
    msg_init(&key);
    assert_int_equal(odp_text_parse_key("skb_mark(0x01020304),tcp(src=0x1234,dst=1)",
                                        &key.nlh, NULL, BUF_SIZE, &err), 0);
    a = (uint8_t *) msg_attrs(&key);
    {
        uint32_t mark;
        struct ovs_key_tcp tcp;

        memcpy(&mark, a + 4, 4);
        assert_int_equal(mark, 0x01020304);
        memcpy(&tcp, a + 12, sizeof tcp);
        assert_int_equal(tcp.tcp_src, htons(0x1234));
        assert_int_equal(tcp.tcp_dst, htons(1));
    }
}

/* Attributes the text layer has no layout for, and malformed ones. */
static void
test_unknown_and_malformed(void **state)
{
    static const uint8_t unknown[] = {
        8, 0, OVS_KEY_ATTR_IN_PORT, 0, 2, 0, 0, 0,
        7, 0, 40, 0, 0xde, 0xad, 0xbe, 0,
        4, 0, 33, 0,
    };
    static const uint8_t bad_len[] = {
        8, 0, OVS_KEY_ATTR_IPV4, 0, 1, 2, 3, 4,
        8, 0, OVS_KEY_ATTR_IN_PORT, 0, 2, 0, 0, 0,
    };
    static const uint8_t leftover[] = {
        8, 0, OVS_KEY_ATTR_IN_PORT, 0, 2, 0, 0, 0,
        9, 0, OVS_KEY_ATTR_SKB_MARK, 0, 2, 0,
    };
    static const uint8_t bad_mpls[] = {
        6, 0, OVS_KEY_ATTR_MPLS, 0, 1, 2, 0, 0,
    };
    static struct msg key;
    struct xsw_err err;
    struct strbuf sb;
    uint8_t odd[sizeof unknown + 1];

    (void) state;
    strbuf_init(&sb);
    odp_text_format_key(unknown, sizeof unknown, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "in_port(2),key40(de ad be),key33()");

    /* Read back byte for byte. */
    msg_init(&key);
    assert_int_equal(odp_text_parse_key(strbuf_cstr(&sb), &key.nlh, NULL, BUF_SIZE, &err), 0);
    assert_int_equal(msg_len(&key), sizeof unknown);
    assert_memory_equal(msg_attrs(&key), unknown, sizeof unknown);

    /* From an odd address: nothing assumes alignment. */
    memcpy(odd + 1, unknown, sizeof unknown);
    strbuf_reset(&sb);
    odp_text_format_key(odd + 1, sizeof unknown, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "in_port(2),key40(de ad be),key33()");

    /* A known attribute of the wrong length: OVS's words, no name. */
    strbuf_reset(&sb);
    odp_text_format_key(bad_len, sizeof bad_len, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb),
                        "(bad key length 4, expected 12)(01 02 03 04)in_port(2)");

    strbuf_reset(&sb);
    odp_text_format_key(leftover, sizeof leftover, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "in_port(2),***6 leftover bytes*** (09000f000200)");

    strbuf_reset(&sb);
    odp_text_format_key(bad_mpls, sizeof bad_mpls, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "mpls((bad key length 2)");

    strbuf_reset(&sb);
    odp_text_format_key(NULL, 0, NULL, 0, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "<empty>");
    strbuf_free(&sb);
}

/* ---------------------------------------------------------------- errors */

static void
test_errors(void **state)
{
    static const struct {
        const char *in;
        bool masked;
        const char *msg;
    } cases[] = {
        { "foo(1)", true, "unknown key attribute 'foo'" },
        { "in_port(1),bar", true, "unknown key attribute 'bar'" },
        { "ipv4(src=x)", true, "ipv4: bad value 'x' for src" },
        { "ipv4(src=1.2.3.4x)", true, "ipv4: bad value '1.2.3.4x' for src" },
        { "ipv4(src=1.2.3.256)", true, "ipv4: bad value '1.2.3.256' for src" },
        { "ipv4(ttl=300)", true, "ipv4: bad value '300' for ttl" },
        { "ipv4(foo=1)", true, "ipv4: unknown field 'foo'" },
        { "ipv4(,src=1.2.3.4)", true, "ipv4: unknown field ''" },
        { "ipv4(frag=maybe)", true, "ipv4: bad value 'maybe' for frag" },
        { "ipv4(frag=no/0xff)", true, "ipv4: bad value 'no/0xff' for frag" },
        { "ipv4(src=1.2.3.4", true, "unbalanced parentheses" },
        { "in_port(1))", true, "unbalanced parentheses" },
        { ")in_port(1)(", true, "unbalanced parentheses" },
        { "in_port", true, "in_port: expected '(' after the name" },
        { "in_port(x)", true, "in_port: bad value 'x'" },
        { "in_port(-1)", true, "in_port: bad value '-1'" },
        { "in_port(4294967296)", true, "in_port: bad value '4294967296'" },
        { "in_port(1/0xff)", false, "in_port: mask not allowed" },
        { "ipv4(src=1.2.3.4/8)", false, "ipv4: mask not allowed for src" },
        { "recirc_id(1/0xff)", true, "recirc_id: mask not allowed" },
        { "eth(src=00:01:02:03:04)", true, "eth: bad value '00:01:02:03:04' for src" },
        { "eth(src=00:01:02:03:04:05/xx)", true, "eth: bad value '00:01:02:03:04:05/xx' for src" },
        { "eth_type(0x10000)", true, "eth_type: bad value '0x10000'" },
        { "vlan(vid=4096)", true, "vlan: bad value '4096' for vid" },
        { "vlan(pcp=8)", true, "vlan: bad value '8' for pcp" },
        { "vlan(pcp=1/0xe)", true, "vlan: bad value '1/0xe' for pcp" },
        { "vlan(tci=0x1000)", true, "vlan: unknown field 'tci'" },
        { "vlan(cfi=0/0)", true, "vlan: cfi cannot be wildcarded" },
        { "mpls(label=1,label=2,label=3,label=4)", true, "mpls: more than 3 label stack entries" },
        { "mpls(label=1048576)", true, "mpls: bad value '1048576' for label" },
        { "ipv6(src=::zz)", true, "ipv6: bad value '::zz' for src" },
        { "ipv6(label=0x100000)", true, "ipv6: bad value '0x100000' for label" },
        { "tcp(src=65536)", true, "tcp: bad value '65536' for src" },
        { "tcp_flags(bogus)", true, "tcp_flags: bad value 'bogus'" },
        { "tcp_flags()", true, "tcp_flags: bad value ''" },
        { "tcp_flags(+syn)", false, "tcp_flags: bad value '+syn'" },
        { "tcp_flags(+syn+syn)", true, "tcp_flags: bad value '+syn+syn'" },
        { "tcp_flags(0x1000)", true, "tcp_flags: bad value '0x1000'" },
        { "ct_state(+foo)", true, "ct_state: bad value '+foo'" },
        { "ct_label(0x1234567890abcdef1234567890abcdef1)", true,
          "ct_label: bad value '0x1234567890abcdef1234567890abcdef1'" },
        { "tunnel(foo=1)", true, "tunnel: unknown field 'foo'" },
        { "tunnel(src=1.2.3)", true, "tunnel: bad value '1.2.3' for src" },
        { "tunnel(flags(bogus))", true, "tunnel: bad value 'bogus' for flags" },
        { "tunnel(geneve({len=3}))", true, "tunnel: bad value" },
        { "tunnel(erspan(ver=1,idx=0x7))", true, "tunnel: erspan() is not supported" },
        { "nsh(flags=0)", true, "nsh() keys are not supported" },
        { "key40(01 0)", true, "key40: bad value '01 0'" },
        { "key40(01/ff ff)", true, "key40: mask has 2 bytes, value has 1" },
        { "key40(01/ff)", false, "key40: mask not allowed" },
        { "key99999(01)", true, "unknown key attribute 'key99999'" },
        { "key7(01 02)", true, "key7: type 7 has a name, ipv4(...)" },
        { "tunnel(key0(01))", true, "tunnel: unknown field 'key0'" },
        { "tunnel(vxlan(key1(01)))", true, "vxlan: unknown field 'key1'" },
        { "ufid:zz in_port(1)", true, "bad ufid 'ufid:zz'" },
        { "encap(in_port(1)", true, "unbalanced parentheses" },
        { "ipv4(src=1.2.3.4)\x01", true, "unknown key attribute '?'" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct msg key, mask;
        struct xsw_err err;
        uint32_t key_len, mask_len;
        int error;

        msg_init(&key);
        msg_init(&mask);
        key_len = key.nlh.nlmsg_len;
        mask_len = mask.nlh.nlmsg_len;
        error = odp_text_parse_key(cases[i].in, &key.nlh,
                                   cases[i].masked ? &mask.nlh : NULL, BUF_SIZE, &err);
        if (error != -EINVAL || !strstr(err.msg, cases[i].msg)) {
            print_error("input %s: error %d '%s', expected -EINVAL '%s'\n",
                        cases[i].in, error, err.msg, cases[i].msg);
            fail();
        }
        /* Nothing is left behind on failure. */
        assert_int_equal(key.nlh.nlmsg_len, key_len);
        assert_int_equal(mask.nlh.nlmsg_len, mask_len);
    }
}

/* Text that is not in the formatter's order reads back in that order, so
 * that formatting and parsing again gives the same bytes. */
static void
test_canonical_order(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "tunnel(flags(csum),ttl=64)", "tunnel(ttl=64,flags(csum))" },
        { "tunnel(flags(df),tun_id=0x1,flags(oam),ttl=1)",
          "tunnel(tun_id=0x1,ttl=1,flags(oam|df|key))" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct msg a, b;
        struct xsw_err err;

        check_format(cases[i].in, false, false, true, cases[i].out);
        msg_init(&a);
        msg_init(&b);
        assert_int_equal(odp_text_parse_key(cases[i].in, &a.nlh, NULL, BUF_SIZE, &err), 0);
        assert_int_equal(odp_text_parse_key(cases[i].out, &b.nlh, NULL, BUF_SIZE, &err), 0);
        assert_int_equal(msg_len(&a), msg_len(&b));
        assert_memory_equal(msg_attrs(&a), msg_attrs(&b), msg_len(&a));
    }
}

static void
test_nesting_limit(void **state)
{
    char text[512];
    struct xsw_err err;
    size_t n;

    (void) state;
    /* 31 levels of encap are accepted, as in OVS; 32 and more are not. */
    for (int depth = 30; depth <= 33; depth++) {
        static struct msg key;
        int error;

        n = 0;
        for (int i = 0; i < depth; i++) {
            n += (size_t) snprintf(text + n, sizeof text - n, "encap(");
        }
        for (int i = 0; i < depth; i++) {
            text[n++] = ')';
        }
        text[n] = '\0';
        msg_init(&key);
        error = odp_text_parse_key(text, &key.nlh, NULL, BUF_SIZE, &err);
        if (depth <= 31) {
            struct strbuf sb;

            assert_int_equal(error, 0);
            strbuf_init(&sb);
            odp_text_format_key(msg_attrs(&key), msg_len(&key), NULL, 0, true, &sb);
            assert_string_equal(strbuf_cstr(&sb), text);
            strbuf_free(&sb);
        } else {
            assert_int_equal(error, -EINVAL);
            assert_non_null(strstr(err.msg, "nested deeper"));
        }
    }
}

static void
test_buffer_full(void **state)
{
    static struct msg key, mask;
    const char *text = "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),"
                       "eth_type(0x0800),ipv4(src=1.2.3.4,dst=5.6.7.8,proto=6,tos=0,"
                       "ttl=64,frag=no),tcp(src=1,dst=2)";
    struct xsw_err err;
    const size_t need = 16 + 8 + 16 + 8 + 16 + 8;  /* header and 5 attributes */

    (void) state;
    /* Every shorter buffer fails cleanly and leaves the message as it
     * was. */
    for (size_t buflen = 16; buflen < need; buflen++) {
        msg_init(&key);
        msg_init(&mask);
        assert_int_equal(odp_text_parse_key(text, &key.nlh, &mask.nlh, buflen, &err),
                         -EMSGSIZE);
        assert_int_equal(key.nlh.nlmsg_len, 16);
        assert_int_equal(mask.nlh.nlmsg_len, 16);
    }
    msg_init(&key);
    assert_int_equal(odp_text_parse_key(text, &key.nlh, NULL, need, &err), 0);
    assert_int_equal(key.nlh.nlmsg_len, need);
}

/* Random bytes formatted and random text parsed must never crash (the
 * sanitizer build turns any overrun into a failure). */
static void
test_robustness(void **state)
{
    static const char *const seeds[] = {
        "in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8100),vlan(vid=99,pcp=7),encap(eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80,dst=8080),tcp_flags(syn))",
        "tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,ttl=64,geneve({class=0,type=0,len=4,0xa/0xff}),vxlan(gbp(id=10/0xff,flags=0xb)),flags(-df+csum+key)),ct_state(+trk),ct_label(0x1/0x3),mpls(label=1,tc=2,ttl=3,bos=1),key40(01 02/ff ff)",
    };
    uint32_t x = 12345;
    uint8_t bytes[512];
    char text[512];

    (void) state;
    for (int iter = 0; iter < 20000; iter++) {
        static struct msg key, mask;
        struct xsw_err err;
        struct strbuf sb;
        size_t len, split;

        x = x * 1103515245 + 12345;
        len = (x >> 8) % sizeof bytes;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245 + 12345;
            bytes[i] = (uint8_t) (x >> 16);
            /* Plausible headers now and then. */
            if (i % 4 == 1 && (x >> 28) < 12) {
                bytes[i] = 0;
            }
        }
        split = len ? (x >> 4) % len : 0;
        strbuf_init(&sb);
        odp_text_format_key(bytes, len, NULL, 0, true, &sb);
        odp_text_format_key(bytes, split, bytes + split, len - split, iter & 1, &sb);
        strbuf_free(&sb);

        /* Mutated text: a seed with a few characters replaced or cut. */
        len = strlen(seeds[iter & 1]);
        memcpy(text, seeds[iter & 1], len + 1);
        for (int m = 0; m < 3; m++) {
            x = x * 1103515245 + 12345;
            text[(x >> 8) % len] = "(),=/+-|:.x0f9 {}"[(x >> 20) % 17];
        }
        x = x * 1103515245 + 12345;
        text[(x >> 8) % len] = (x & 0x100) ? text[(x >> 8) % len] : '\0';
        msg_init(&key);
        msg_init(&mask);
        if (!odp_text_parse_key(text, &key.nlh, &mask.nlh, BUF_SIZE, &err)) {
            strbuf_init(&sb);
            odp_text_format_key(msg_attrs(&key), msg_len(&key), msg_attrs(&mask),
                                msg_len(&mask), false, &sb);
            strbuf_free(&sb);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ovs_keys_roundtrip),
        cmocka_unit_test(test_ovs_wc_keys_roundtrip),
        cmocka_unit_test(test_more_roundtrips),
        cmocka_unit_test(test_masked_rules),
        cmocka_unit_test(test_mask_mismatch),
        cmocka_unit_test(test_canonical_verbose),
        cmocka_unit_test(test_netlink_bytes),
        cmocka_unit_test(test_unknown_and_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_canonical_order),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_buffer_full),
        cmocka_unit_test(test_robustness),
    };

    return cmocka_run_group_tests_name("odp_text_key", tests, NULL, NULL);
}
