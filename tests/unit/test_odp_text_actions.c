/* odp_text actions: text -> netlink -> text against Open vSwitch's vectors
 * (tests/odp.at, "parse-actions"), the set/set_masked rule, the bytes
 * written, what OVS prints for malformed lists, and the error messages. */
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

static const uint8_t *
msg_attrs(const struct msg *m)
{
    return mnl_nlmsg_get_payload(&m->nlh);
}

static size_t
msg_len(const struct msg *m)
{
    return mnl_nlmsg_get_payload_len(&m->nlh);
}

static void
check_format(const char *in, const char *expected)
{
    static struct msg m;
    struct xsw_err err;
    struct strbuf sb;
    int error;

    msg_init(&m);
    error = odp_text_parse_actions(in, &m.nlh, BUF_SIZE, &err);
    if (error) {
        print_error("parse failed (%d): %s\n  input: %s\n", error, err.msg, in);
        fail();
    }
    strbuf_init(&sb);
    odp_text_format_actions(msg_attrs(&m), msg_len(&m), &sb);
    if (strcmp(strbuf_cstr(&sb), expected)) {
        print_error("input:    %s\nexpected: %s\ngot:      %s\n", in, expected,
                    strbuf_cstr(&sb));
        strbuf_free(&sb);
        fail();
    }
    strbuf_free(&sb);
}

static void
check_bytes(const uint8_t *attrs, size_t len, const char *expected)
{
    struct strbuf sb;

    strbuf_init(&sb);
    odp_text_format_actions(attrs, len, &sb);
    if (strcmp(strbuf_cstr(&sb), expected)) {
        print_error("expected: %s\ngot:      %s\n", expected, strbuf_cstr(&sb));
        strbuf_free(&sb);
        fail();
    }
    strbuf_free(&sb);
}

/* tests/odp.at, "OVS datapath actions parsing and formatting - valid
 * forms", without the lines that need OVS's own userspace cookies, its
 * userspace-only tunnel actions, or erspan tunnel options. */
static const char *const ovs_actions[] = {
    "1,2,3",
    "userspace(pid=1234567,userdata(0102030405060708090a0b0c0d0e0f),actions)",
    "userspace(pid=1234567,userdata(0102030405060708090a0b0c0d0e0f),tunnel_out_port=10)",
    "set(in_port(2))",
    "set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15))",
    "set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15/ff:ff:ff:00:00:00))",
    "set(eth_type(0x1234))",
    "set(ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=no))",
    "set(ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,ttl=128,frag=no))",
    "set(ipv4(src=35.8.2.41/255.255.255.0,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=no))",
    "set(ipv4(src=35.8.2.41/255.255.255.0,tos=0x80,ttl=128,frag=no))",
    "set(ipv4(tos=0/0x3))",
    "set(ipv4(tos=0x80/0xfc))",
    "set(ipv4(ttl=128,frag=no))",
    "set(ipv4(frag=no))",
    "set(tcp(src=80,dst=8080))",
    "set(tcp(src=80/0xff00,dst=8080))",
    "set(tcp(src=80))",
    "set(tcp(dst=8080))",
    "set(udp(src=81,dst=6632))",
    "set(udp(src=81/0xff00,dst=6632))",
    "set(udp(src=81))",
    "set(udp(dst=6633))",
    "set(sctp(src=82,dst=6633))",
    "set(sctp(src=82/0xff00,dst=6633))",
    "set(sctp(src=82))",
    "set(sctp(dst=6632))",
    "set(icmp(type=1,code=2))",
    "set(ipv6(src=::1,dst=::2,label=0,proto=10,tclass=0x70,hlimit=128,frag=no))",
    "set(ipv6(src=::1,dst=::2))",
    "set(ipv6(label=0,proto=10,tclass=0x70,hlimit=128,frag=no))",
    "set(ipv6(label=0,proto=10,hlimit=128))",
    "set(ipv6(label=0/0xfff,proto=10,tclass=0x70/0x70))",
    "set(ipv6(label=0))",
    "set(icmpv6(type=1,code=2))",
    "set(vlan(vid=5))",
    "set(vlan(vid=3,pcp=5))",
    "set(vlan(vid=3,pcp=5,cfi=0))",
    "set(vlan(vid=5/0x3))",
    "set(vlan(vid=5/0x1)),3",
    "push_vlan(vid=12,pcp=0)",
    "push_vlan(vid=13,pcp=5,cfi=0)",
    "push_vlan(tpid=0x9100,vid=13,pcp=5)",
    "push_vlan(tpid=0x9100,vid=13,pcp=5,cfi=0)",
    "pop_vlan",
    "sample(sample=9.7%,actions(1,2,3,push_vlan(vid=1,pcp=2)))",
    "set(tunnel(tun_id=0xabcdef1234567890,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(df|csum|key)))",
    "set(tunnel(tun_id=0xabcdef1234567890,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(key)))",
    "ct",
    "ct(commit)",
    "ct(commit,zone=5)",
    "ct(commit,mark=0xa0a0a0a0/0xfefefefe)",
    "ct(commit,label=0x1234567890abcdef1234567890abcdef/0xf1f2f3f4f5f6f7f8f9f0fafbfcfdfeff)",
    "ct(commit,helper=ftp)",
    "ct(commit,helper=tftp)",
    "ct(nat)",
    "ct(commit,nat(src))",
    "ct(commit,nat(dst))",
    "ct(commit,nat(src=10.0.0.240,random))",
    "ct(commit,nat(src=10.0.0.240:32768-65535,random))",
    "ct(commit,nat(dst=10.0.0.128-10.0.0.254,hash))",
    "ct(commit,nat(src=10.0.0.240-10.0.0.254:32768-65535,persistent))",
    "ct(commit,nat(src=fe80::20c:29ff:fe88:a18b,random))",
    "ct(commit,nat(src=fe80::20c:29ff:fe88:1-fe80::20c:29ff:fe88:a18b,random))",
    "ct(commit,nat(src=[fe80::20c:29ff:fe88:1]-[fe80::20c:29ff:fe88:a18b]:255-4096,random))",
    "ct(commit,helper=ftp,nat(src=10.1.1.240-10.1.1.255))",
    "ct(force_commit)",
    "ct(force_commit,zone=5)",
    "ct(force_commit,mark=0xa0a0a0a0/0xfefefefe)",
    "ct(force_commit,label=0x1234567890abcdef1234567890abcdef/0xf1f2f3f4f5f6f7f8f9f0fafbfcfdfeff)",
    "ct(force_commit,helper=ftp)",
    "ct(force_commit,nat(src))",
    "ct(force_commit,nat(dst))",
    "ct(force_commit,nat(src=10.0.0.240,random))",
    "ct(force_commit,nat(src=10.0.0.240:32768-65535,random))",
    "ct(force_commit,nat(dst=10.0.0.128-10.0.0.254,hash))",
    "ct(force_commit,nat(src=10.0.0.240-10.0.0.254:32768-65535,persistent))",
    "ct(force_commit,nat(src=fe80::20c:29ff:fe88:a18b,random))",
    "ct(force_commit,nat(src=fe80::20c:29ff:fe88:1-fe80::20c:29ff:fe88:a18b,random))",
    "ct(force_commit,nat(src=[fe80::20c:29ff:fe88:1]-[fe80::20c:29ff:fe88:a18b]:255-4096,random))",
    "ct(force_commit,helper=ftp,nat(src=10.1.1.240-10.1.1.255))",
    "ct_clear",
    "trunc(100)",
    "clone(1)",
    "clone(clone(push_vlan(vid=12,pcp=0),2),1)",
};

static void
test_ovs_actions_roundtrip(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof ovs_actions / sizeof ovs_actions[0]; i++) {
        check_format(ovs_actions[i], ovs_actions[i]);
    }
}

/* Actions not in odp.at, in the spelling format_odp_action() gives them. */
static void
test_more_roundtrips(void **state)
{
    static const char *const more[] = {
        "drop",
        "recirc(0x10)",
        "recirc(0)",
        "hash(l4(0))",
        "hash(sym_l4(42))",
        "hash(Unknown hash algorithm(7))",
        "meter(7)",
        "push_mpls(label=10,tc=1,ttl=64,bos=1,eth_type=0x8847)",
        "pop_mpls(eth_type=0x800)",
        "push_eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)",
        "pop_eth",
        "pop_nsh()",
        "check_pkt_len(size=200,gt(4),le(5))",
        "check_pkt_len(size=1500,gt(drop),le(sample(sample=50.0%,actions(2)),3))",
        "clone(drop)",
        "sample(sample=100.0%,actions(drop))",
        "sample(sample=0.0%,actions(1))",
        "1,drop",
        "userspace(pid=0)",
        "userspace(pid=4294967295,actions)",
        "userspace(pid=1,userdata())",
        "userspace(pid=1,userdata(00),actions,tunnel_out_port=4294967295)",
        "set(skb_mark(0x10)),set(skb_priority(0x1/0x3))",
        "set(mpls(label=10,tc=0,ttl=64,bos=1))",
        "set(mpls(label=10/0xfffff,tc=0/0,ttl=0/0x0,bos=0/0))",
        "set(arp(sip=1.2.3.4))",
        "set(nd(target=::1,sll=00:00:00:00:00:01,tll=00:00:00:00:00:02))",
        "set(tunnel(tun_id=0x1,ipv6_dst=2001:db8::1,ttl=64,tp_dst=6081,geneve({class=0xffff,type=0x80,len=4,0xa}),flags(key)))",
        "set(key40(01 02 03))",
        "set(key40(01 02/ff 00))",
        "ct(zone=1,mark=0/0x1,label=0/0x1,helper=ftp,nat(dst=[2001:db8::1]:80-81,persistent,hash))",
        "ct(commit,timeout=ovs_tp_1_tcp4)",
        "ct(commit,timeout=ovs_tp_1_tcp4,nat(src=10.0.0.1))",
        "bad length 4, expected -1 for: action30(01 02 03 04)",
        "bad length 0, expected -1 for: action30",
        "bad length 2, expected 4 for: action1(01 02)",
        "1,2,clone(3,clone(4,clone(5,sample(sample=12.5%,actions(6)))))",
    };

    (void) state;
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        check_format(more[i], more[i]);
    }
}

/* Other spellings the parser accepts, and what they print as. */
static void
test_other_spellings(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "DROP", "drop" },
        { "  drop\n", "drop" },
        { "", "drop" },
        { "1 2\t3", "1,2,3" },
        { "0x10,010", "16,8" },
        { "recirc(16)", "recirc(0x10)" },
        { "set(eth(dst=1:2:3:4:5:6))", "set(eth(dst=01:02:03:04:05:06))" },
        { "set(ipv4(src=10.0.0.1/8))", "set(ipv4(src=10.0.0.1/255.0.0.0))" },
        { "set(ipv4(src=1.2.3.4/255.255.255.255))", "set(ipv4(src=1.2.3.4))" },
        { "push_vlan(vid=5,pcp=1,cfi=1)", "push_vlan(vid=5,pcp=1)" },
        { "push_vlan(tpid=0x8100,vid=5,pcp=1)", "push_vlan(vid=5,pcp=1)" },
        { "push_vlan(tpid=0x88a8,vid=5,pcp=1)", "push_vlan(tpid=0x88a8,vid=5,pcp=1)" },
        { "push_eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15,type=0)",
          "push_eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)" },
        { "sample(sample=50%,actions(1))", "sample(sample=50.0%,actions(1))" },
        { "sample(sample=12.34%,actions(1))", "sample(sample=12.3%,actions(1))" },
        { "sample(sample=.05%,actions(1))", "sample(sample=0.1%,actions(1))" },
        { "ct(commit,zone=0)", "ct(commit)" },
        { "ct(mark=a0/ff)", "ct(mark=0xa0/0xff)" },
        { "ct(label=1)", "ct(label=0x1)" },
        { "ct( commit , zone=5 )", "ct(commit,zone=5)" },
        { "clone( 1 , 2 )", "clone(1,2)" },
        { "check_pkt_len(size=0x10,gt(drop),le(drop))",
          "check_pkt_len(size=16,gt(drop),le(drop))" },
        { "action30(01020304)", "bad length 4, expected -1 for: action30(01 02 03 04)" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_format(cases[i].in, cases[i].out);
    }
}

/* ---------------------------------------------------------------- bytes */

static void
test_set_and_set_masked(void **state)
{
    static struct msg m;
    struct xsw_err err;
    const uint8_t *a;

    (void) state;
    /* Every field exact: OVS_ACTION_ATTR_SET with the key attribute. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("set(tcp(src=1,dst=2))", &m.nlh, BUF_SIZE,
                                            &err), 0);
    {
        static const uint8_t expected[] = {
            12, 0, OVS_ACTION_ATTR_SET, 0,
            8, 0, OVS_KEY_ATTR_TCP, 0, 0, 1, 0, 2,
        };

        assert_int_equal(msg_len(&m), sizeof expected);
        assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
    }

    /* A partial mask: OVS_ACTION_ATTR_SET_MASKED, value then mask in one
     * attribute. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("set(tcp(src=1))", &m.nlh, BUF_SIZE, &err), 0);
    {
        static const uint8_t expected[] = {
            16, 0, OVS_ACTION_ATTR_SET_MASKED, 0,
            12, 0, OVS_KEY_ATTR_TCP, 0, 0, 1, 0, 0, 0xff, 0xff, 0, 0,
        };

        assert_int_equal(msg_len(&m), sizeof expected);
        assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
    }

    /* ipv4 with a masked address: 4 + 2 * 12 bytes, padding zeroed. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("set(ipv4(src=10.1.2.3/255.0.0.0,ttl=9))",
                                            &m.nlh, BUF_SIZE, &err), 0);
    a = msg_attrs(&m);
    assert_int_equal(msg_len(&m), 4 + 4 + 24);
    assert_int_equal(a[2], OVS_ACTION_ATTR_SET_MASKED);
    assert_int_equal(a[4], 4 + 24);
    assert_int_equal(a[6], OVS_KEY_ATTR_IPV4);
    {
        struct ovs_key_ipv4 k, mk;

        memcpy(&k, a + 8, sizeof k);
        memcpy(&mk, a + 8 + sizeof k, sizeof mk);
        assert_int_equal(k.ipv4_src, htonl(0x0a010203));
        assert_int_equal(mk.ipv4_src, htonl(0xff000000));
        assert_int_equal(k.ipv4_ttl, 9);
        assert_int_equal(mk.ipv4_ttl, 0xff);
        assert_int_equal(mk.ipv4_dst, 0);
        assert_int_equal(mk.ipv4_frag, 0);
    }

    /* Fields with an all-zero mask are not printed: their value is zeroed
     * (the datapath wants unmasked bits zero), flag bits likewise. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("set(ipv4(src=1.2.3.4/0.0.0.0,dst=5.6.7.8/"
                                            "255.255.0.0,ttl=9))",
                                            &m.nlh, BUF_SIZE, &err), 0);
    a = msg_attrs(&m);
    {
        struct ovs_key_ipv4 k;

        memcpy(&k, a + 8, sizeof k);
        assert_int_equal(k.ipv4_src, 0);
        assert_int_equal(k.ipv4_dst, htonl(0x05060708));  /* partial: kept */
        assert_int_equal(k.ipv4_ttl, 9);
    }
    check_format("set(ipv4(src=1.2.3.4/0.0.0.0,ttl=9))", "set(ipv4(ttl=9))");
    check_format("set(tcp_flags(0x12/0x2))", "set(tcp_flags(+syn))");
    check_format("set(ct_label(0x5/0))", "set(ct_label())");
    check_format("set(ct_label())", "set(ct_label())");
    check_format("set(ct_mark(0x5/0))", "set(ct_mark())");

    /* A tunnel is always a plain set, even without every field. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("set(tunnel(tun_id=0x1,ttl=64))", &m.nlh,
                                            BUF_SIZE, &err), 0);
    a = msg_attrs(&m);
    assert_int_equal(a[2], OVS_ACTION_ATTR_SET);
    assert_int_equal(a[6], OVS_KEY_ATTR_TUNNEL);
}

static void
test_action_bytes(void **state)
{
    static struct msg m;
    struct xsw_err err;
    const uint8_t *a;

    (void) state;
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("7,push_vlan(tpid=0x88a8,vid=10,pcp=3),pop_vlan,"
                                            "trunc(100),recirc(0x10)",
                                            &m.nlh, BUF_SIZE, &err), 0);
    {
        static const uint8_t expected[] = {
            8, 0, OVS_ACTION_ATTR_OUTPUT, 0, 7, 0, 0, 0,
            8, 0, OVS_ACTION_ATTR_PUSH_VLAN, 0, 0x88, 0xa8, 0x70, 0x0a,
            4, 0, OVS_ACTION_ATTR_POP_VLAN, 0,
            8, 0, OVS_ACTION_ATTR_TRUNC, 0, 100, 0, 0, 0,
            8, 0, OVS_ACTION_ATTR_RECIRC, 0, 0x10, 0, 0, 0,
        };

        assert_int_equal(msg_len(&m), sizeof expected);
        assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
    }

    /* userspace: pid, userdata (not padded to 8 as OVS's own slow path
     * does), no NLA_F_NESTED. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("userspace(pid=5,userdata(0a0b0c),actions)",
                                            &m.nlh, BUF_SIZE, &err), 0);
    {
        static const uint8_t expected[] = {
            24, 0, OVS_ACTION_ATTR_USERSPACE, 0,
            8, 0, OVS_USERSPACE_ATTR_PID, 0, 5, 0, 0, 0,
            7, 0, OVS_USERSPACE_ATTR_USERDATA, 0, 0x0a, 0x0b, 0x0c, 0,
            4, 0, OVS_USERSPACE_ATTR_ACTIONS, 0,
        };

        assert_int_equal(msg_len(&m), sizeof expected);
        assert_memory_equal(msg_attrs(&m), expected, sizeof expected);
    }

    /* sample: OVS's rounding of the percentage. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("sample(sample=9.7%,actions(1))", &m.nlh,
                                            BUF_SIZE, &err), 0);
    a = msg_attrs(&m);
    assert_int_equal(a[2], OVS_ACTION_ATTR_SAMPLE);
    assert_int_equal(a[6], OVS_SAMPLE_ATTR_PROBABILITY);
    {
        uint32_t prob;

        memcpy(&prob, a + 8, 4);
        assert_int_equal(prob, 416611828);     /* floor(UINT32_MAX * .097 + .5) */
    }

    /* "drop" alone is the empty list. */
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions("drop", &m.nlh, BUF_SIZE, &err), 0);
    assert_int_equal(msg_len(&m), 0);
}

/* What OVS prints for lists it cannot decode. */
static void
test_malformed_lists(void **state)
{
    (void) state;
    check_bytes(NULL, 0, "drop");
    {
        /* The explicit drop action (Linux 6.4+) prints like an empty list. */
        static const uint8_t a[] = { 8, 0, 24, 0, 0, 0, 0, 0 };

        check_bytes(a, sizeof a, "drop");
    }
    {
        static const uint8_t a[] = { 6, 0, OVS_ACTION_ATTR_OUTPUT, 0, 1, 2, 0, 0 };

        check_bytes(a, sizeof a, "bad length 2, expected 4 for: action1(01 02)");
    }
    {
        static const uint8_t a[] = { 8, 0, 99, 0, 1, 2, 3, 4 };

        check_bytes(a, sizeof a, "bad length 4, expected -1 for: action99(01 02 03 04)");
    }
    {
        static const uint8_t a[] = { 8, 0, OVS_ACTION_ATTR_OUTPUT, 0, 1, 0, 0, 0, 1, 2, 3 };

        check_bytes(a, sizeof a, "1,***3 leftover bytes*** (010203)");
    }
    {
        static const uint8_t a[] = { 1, 2, 3 };

        check_bytes(a, sizeof a, "<empty>,***3 leftover bytes*** (010203)");
    }
    {
        /* Sample without a probability, userspace without a pid, ct with a
         * short mark, a nat with both directions. */
        static const uint8_t a[] = {
            12, 0, OVS_ACTION_ATTR_SAMPLE, 0,
            8, 0, OVS_SAMPLE_ATTR_ACTIONS, 0, 8, 0, 1, 0,
            4, 0, OVS_ACTION_ATTR_USERSPACE, 0,
            12, 0, OVS_ACTION_ATTR_CT, 0, 8, 0, OVS_CT_ATTR_MARK, 0, 1, 0, 0, 0,
            16, 0, OVS_ACTION_ATTR_CT, 0,
            12, 0, OVS_CT_ATTR_NAT, 0,
            4, 0, OVS_NAT_ATTR_SRC, 0, 4, 0, OVS_NAT_ATTR_DST, 0,
        };

        check_bytes(a, sizeof a, "sample(error),userspace(error),ct(error),"
                    "ct(nat(error: Only one of \"src\" or \"dst\" may be present.))");
    }
    {
        /* set() whose content is not an attribute. */
        static const uint8_t a[] = { 6, 0, OVS_ACTION_ATTR_SET, 0, 1, 2, 0, 0 };

        check_bytes(a, sizeof a, "action3(01 02)");
    }
}

/* ---------------------------------------------------------------- errors */

static void
test_errors(void **state)
{
    static const struct {
        const char *in;
        const char *msg;
    } cases[] = {
        { "foo", "unknown action 'foo'" },
        { "1,foo(2)", "unknown action 'foo'" },
        { "1)", "unbalanced parentheses" },
        { "clone(1", "unbalanced parentheses" },
        { "1x", "unexpected 'x' after an action" },
        { "4294967296", "output: bad value '4294967296'" },
        { "trunc(x)", "trunc: bad value 'x'" },
        { "recirc(0x100000000)", "recirc: bad value '0x100000000'" },
        { "meter()", "meter: bad value ''" },
        { "push_vlan(vid=4096,pcp=0)", "push_vlan: bad value '4096' for vid" },
        { "push_vlan(vid=1,pcp=8)", "push_vlan: bad value '8' for pcp" },
        { "push_vlan(pcp=0)", "push_vlan: expected 'vid=' at 'pcp=0)'" },
        { "push_vlan(vid=1)", "push_vlan: expected ',pcp=' at ')'" },
        { "push_vlan(tpid=0x10000,vid=1,pcp=0)", "push_vlan: bad value '0x10000' for tpid" },
        { "set(ipv4(src=x))", "ipv4: bad value 'x' for src" },
        { "set(foo(1))", "unknown key attribute 'foo'" },
        { "set(encap())", "set: encap() cannot be set" },
        { "set(in_port(1),in_port(2))", "set: expected ')' at ',in_port(2))'" },
        { "set(tunnel(tun_id=1/0xff))", "tunnel: mask not allowed for tun_id" },
        { "sample(sample=101%,actions(1))", "sample: bad value '101%' for sample" },
        { "sample(sample=x%,actions(1))", "sample: bad value 'x%' for sample" },
        { "sample(sample=50%,foo(1))", "sample: expected ',actions(' at ',foo(1))'" },
        { "userspace(pid=x)", "userspace: bad value 'x' for pid" },
        { "userspace(pid=1,sFlow(vid=1,pcp=0,output=2))", "OVS cookies are not supported" },
        { "userspace(pid=1,userdata(0))", "userspace: bad value '0' for userdata" },
        { "userspace(pid=1,foo)", "userspace: expected ')' at ',foo)'" },
        { "ct(foo)", "ct: unknown argument 'foo'" },
        { "ct(commit,force_commit)", "ct: commit and force_commit are exclusive" },
        { "ct(zone=x)", "ct: bad value 'x' for zone" },
        { "ct(helper=abcdefghijklmnopq)", "ct: bad value 'abcdefghijklmnopq' for helper" },
        { "ct(timeout=a\x01" "b)", "ct: bad value 'a?b' for timeout" },
        { "ct(nat(src=1.2.3.4,dst))", "ct: bad value 'nat(src=1.2.3.4' for nat" },
        { "ct(nat(src=10.0.0.2-10.0.0.1))", "for nat" },
        { "hash(l5(1))", "hash: expected 'l4(' at 'l5(1))'" },
        { "hash(l4(x))", "hash: bad value 'x' for basis" },
        { "check_pkt_len(size=1,gt(1))", "check_pkt_len: expected '),le(' at '))'" },
        { "push_mpls(label=1)", "push_mpls: expected label=N,tc=N,ttl=N,bos=N,eth_type=N)" },
        { "action30(0)", "action: bad value '0' for bytes" },
        { "action99999", "action: bad value '99999'" },
        { "action2", "action2: a known action, use its name" },
        { "action1(01 00 00 00)", "action1: a known action, use its name" },
        { "tnl_pop(1)", "tnl_pop: action not supported" },
        { "push_nsh(flags=0)", "push_nsh: action not supported" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct msg m;
        struct xsw_err err;
        int error;

        msg_init(&m);
        error = odp_text_parse_actions(cases[i].in, &m.nlh, BUF_SIZE, &err);
        if (error != -EINVAL || !strstr(err.msg, cases[i].msg)) {
            print_error("input %s: error %d '%s', expected -EINVAL '%s'\n",
                        cases[i].in, error, err.msg, cases[i].msg);
            fail();
        }
        /* Nothing is left behind on failure. */
        assert_int_equal(m.nlh.nlmsg_len, 16);
    }
}

static void
test_nesting_limit(void **state)
{
    char text[1024];
    size_t n;

    (void) state;
    /* As OVS: an action may sit under at most 30 nested lists. */
    for (int depth = 29; depth <= 32; depth++) {
        static struct msg m;
        struct xsw_err err;
        int error;

        n = 0;
        for (int i = 0; i < depth; i++) {
            n += (size_t) snprintf(text + n, sizeof text - n, "clone(");
        }
        text[n++] = '1';
        for (int i = 0; i < depth; i++) {
            text[n++] = ')';
        }
        text[n] = '\0';
        msg_init(&m);
        error = odp_text_parse_actions(text, &m.nlh, BUF_SIZE, &err);
        if (depth <= 30) {
            assert_int_equal(error, 0);
            check_format(text, text);
        } else {
            assert_int_equal(error, -EINVAL);
            assert_non_null(strstr(err.msg, "nested deeper"));
        }
    }
}

static void
test_buffer_full(void **state)
{
    const char *text = "1,set(ipv4(src=1.2.3.4)),clone(2,push_vlan(vid=1,pcp=0)),"
                       "userspace(pid=1,userdata(0102))";
    static struct msg m;
    struct xsw_err err;
    uint32_t need;

    (void) state;
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions(text, &m.nlh, BUF_SIZE, &err), 0);
    need = m.nlh.nlmsg_len;
    for (size_t buflen = 16; buflen < need; buflen++) {
        msg_init(&m);
        assert_int_equal(odp_text_parse_actions(text, &m.nlh, buflen, &err), -EMSGSIZE);
        assert_int_equal(m.nlh.nlmsg_len, 16);
    }
    msg_init(&m);
    assert_int_equal(odp_text_parse_actions(text, &m.nlh, need, &err), 0);
}

/* The list must fit in one netlink attribute (OVS_FLOW_ATTR_ACTIONS). */
static void
test_too_long(void **state)
{
    static uint8_t big[3 * 65536];
    size_t n = 0;
    struct xsw_err err;
    char *text;

    (void) state;
    /* 10000 outputs: 80000 bytes, room in the buffer but not in an
     * attribute. */
    text = malloc(5000 * 4 + 1);
    assert_non_null(text);
    for (int i = 0; i < 5000; i++) {
        memcpy(text + n, "1,2,", 4);
        n += 4;
    }
    text[n - 1] = '\0';
    mnl_nlmsg_put_header(big);
    assert_int_equal(odp_text_parse_actions(text, (struct nlmsghdr *) big, sizeof big,
                                            &err), -EMSGSIZE);
    assert_non_null(strstr(err.msg, "actions longer than"));
    free(text);
}

static void
test_robustness(void **state)
{
    static const char *const seeds[] = {
        "1,userspace(pid=1,userdata(0102),actions,tunnel_out_port=3),set(ipv4(src=1.2.3.4/8)),sample(sample=9.7%,actions(clone(2),push_vlan(tpid=0x88a8,vid=1,pcp=2)))",
        "ct(commit,zone=5,mark=0x1/0xf,label=0x1/0xff,helper=ftp,nat(src=[fe80::1]-[fe80::2]:1-2,random)),check_pkt_len(size=100,gt(drop),le(hash(l4(1)),recirc(0x1)))",
    };
    uint32_t x = 4242;
    uint8_t bytes[512];
    char text[512];

    (void) state;
    for (int iter = 0; iter < 20000; iter++) {
        static struct msg m;
        struct xsw_err err;
        struct strbuf sb;
        size_t len;

        x = x * 1103515245 + 12345;
        len = (x >> 8) % sizeof bytes;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245 + 12345;
            bytes[i] = (uint8_t) (x >> 16);
            if (i % 4 == 1 && (x >> 28) < 12) {
                bytes[i] = 0;
            }
        }
        strbuf_init(&sb);
        odp_text_format_actions(bytes, len, &sb);
        strbuf_free(&sb);

        len = strlen(seeds[iter & 1]);
        memcpy(text, seeds[iter & 1], len + 1);
        for (int k = 0; k < 3; k++) {
            x = x * 1103515245 + 12345;
            text[(x >> 8) % len] = "(),=/+-|:.x0f9 [%]"[(x >> 20) % 18];
        }
        msg_init(&m);
        if (!odp_text_parse_actions(text, &m.nlh, BUF_SIZE, &err)) {
            strbuf_init(&sb);
            odp_text_format_actions(msg_attrs(&m), msg_len(&m), &sb);
            strbuf_free(&sb);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ovs_actions_roundtrip),
        cmocka_unit_test(test_more_roundtrips),
        cmocka_unit_test(test_other_spellings),
        cmocka_unit_test(test_set_and_set_masked),
        cmocka_unit_test(test_action_bytes),
        cmocka_unit_test(test_malformed_lists),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_buffer_full),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_robustness),
    };

    return cmocka_run_group_tests_name("odp_text_actions", tests, NULL, NULL);
}
