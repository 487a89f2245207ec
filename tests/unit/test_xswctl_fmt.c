/* xswctl_fmt: add-if arguments, the choice of a datapath, and the text of
 * show and dump-flows as ovs-dpctl writes it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "strbuf.h"
#include "xswctl_fmt.h"

/* ------------------------------------------------------------------ add-if */

static void
test_parse_if_name_only(void **state)
{
    struct xswctl_if_spec s;
    struct xsw_err err = { "" };

    (void) state;
    assert_int_equal(xswctl_fmt_parse_if("veth0", &s, &err), 0);
    assert_string_equal(s.name, "veth0");
    assert_int_equal(s.port_no, 0);
    assert_null(s.xdp_mode);
    assert_null(s.zero_copy);
    assert_false(s.has_queues);
}

static void
test_parse_if_every_option(void **state)
{
    struct xswctl_if_spec s;
    struct xsw_err err = { "" };

    (void) state;
    assert_int_equal(xswctl_fmt_parse_if("eth1,port_no=65535,xdp_mode=Native,"
                                         "zero_copy=YES,queues=256", &s, &err), 0);
    assert_string_equal(s.name, "eth1");
    assert_int_equal(s.port_no, 65535);
    assert_string_equal(s.xdp_mode, "native");     /* canonical case */
    assert_string_equal(s.zero_copy, "yes");
    assert_true(s.has_queues);
    assert_int_equal(s.queues, 256);

    assert_int_equal(xswctl_fmt_parse_if("eth1,queues=all,xdp_mode=skb,zero_copy=no", &s,
                                         &err), 0);
    assert_true(s.has_queues);
    assert_int_equal(s.queues, 0);
    assert_string_equal(s.xdp_mode, "skb");
    assert_string_equal(s.zero_copy, "no");

    /* The longest interface name the kernel allows. */
    assert_int_equal(xswctl_fmt_parse_if("abcdefghijklmno,port_no=1", &s, &err), 0);
    assert_string_equal(s.name, "abcdefghijklmno");
    assert_int_equal(s.port_no, 1);
}

static void
test_parse_if_rejects(void **state)
{
    static const struct {
        const char *arg;
        const char *msg;        /* a part of the message */
    } bad[] = {
        { "", "missing interface name" },
        { ",queues=1", "missing interface name" },
        { "abcdefghijklmnop", "longer than 15" },
        { ".", "not an interface name" },
        { "..", "not an interface name" },
        { "a/b", "contains '/'" },
        { "a:1", "contains ':'" },
        { "a b", "contains a blank" },
        { "a\tb", "contains a blank" },
        { "veth0,", "empty option" },
        { "veth0,,queues=1", "empty option" },
        { "veth0,queues", "has no value" },
        { "veth0,type=afxdp", "unknown option 'type'" },
        { "veth0,port_no=0", "port_no '0'" },
        { "veth0,port_no=65536", "port_no '65536'" },
        { "veth0,port_no=-1", "port_no '-1'" },
        { "veth0,port_no=1x", "port_no '1x'" },
        { "veth0,port_no=", "port_no ''" },
        { "veth0,port_no=99999999999", "port_no '99999999999'" },
        { "veth0,port_no=1,port_no=2", "given twice" },
        { "veth0,xdp_mode=drv", "xdp_mode 'drv'" },
        { "veth0,zero_copy=maybe", "zero_copy 'maybe'" },
        { "veth0,queues=0", "queues '0'" },
        { "veth0,queues=257", "queues '257'" },
        { "veth0,zero_copy=yes,xdp_mode=skb", "cannot go with" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct xswctl_if_spec s;
        struct xsw_err err = { "" };

        if (xswctl_fmt_parse_if(bad[i].arg, &s, &err) != -EINVAL
            || !strstr(err.msg, bad[i].msg)) {
            fail_msg("'%s': got '%s', expected a message with '%s'", bad[i].arg, err.msg,
                     bad[i].msg);
        }
        assert_string_equal(s.name, "");    /* nothing half-parsed left */
    }
}

/* ---------------------------------------------------------------- bridges */

static void
test_bridge_arg(void **state)
{
    char *args[] = { "br0", "in_port(1)", "2" };
    const char *bridge = "x";

    (void) state;
    /* add-flow [BRIDGE] FLOW ACTIONS */
    assert_int_equal(xswctl_fmt_bridge_arg(3, args, 2, &bridge), 1);
    assert_string_equal(bridge, "br0");
    assert_int_equal(xswctl_fmt_bridge_arg(2, args + 1, 2, &bridge), 0);
    assert_null(bridge);
    assert_int_equal(xswctl_fmt_bridge_arg(1, args, 2, &bridge), -EINVAL);
    assert_int_equal(xswctl_fmt_bridge_arg(4, args, 2, &bridge), -EINVAL);
    /* dump-flows [BRIDGE] */
    assert_int_equal(xswctl_fmt_bridge_arg(0, args, 0, &bridge), 0);
    assert_null(bridge);
    assert_int_equal(xswctl_fmt_bridge_arg(1, args, 0, &bridge), 1);
    assert_string_equal(bridge, "br0");
    assert_int_equal(xswctl_fmt_bridge_arg(2, args, 0, &bridge), -EINVAL);
}

static void
test_pick_dp(void **state)
{
    const char *names[] = { "br0", "br1", "lab" };
    struct xsw_err err = { "" };

    (void) state;
    assert_int_equal(xswctl_fmt_pick_dp(names, 1, &err), 0);
    assert_int_equal(xswctl_fmt_pick_dp(names, 0, &err), -ENODEV);
    assert_string_equal(err.msg, "no datapath exists");
    assert_int_equal(xswctl_fmt_pick_dp(names, 2, &err), -EINVAL);
    assert_string_equal(err.msg, "several datapaths: name one (br0, br1)");
    assert_int_equal(xswctl_fmt_pick_dp(names, 3, &err), -EINVAL);
    assert_string_equal(err.msg, "several datapaths: name one (br0, br1, lab)");
}

/* ------------------------------------------------------------------ flows */

static void
expect_flags(uint16_t flags, const char *text)
{
    struct strbuf sb;

    strbuf_init(&sb);
    xswctl_fmt_tcp_flags(&sb, flags);
    assert_string_equal(strbuf_cstr(&sb), text);
    strbuf_free(&sb);
}

static void
test_tcp_flags(void **state)
{
    (void) state;
    expect_flags(0, "none");
    expect_flags(0x02, "S");
    expect_flags(0x12, "S.");               /* SYN+ACK */
    expect_flags(0x11, "F.");
    expect_flags(0x18, "P.");
    expect_flags(0x04, "R");
    expect_flags(0x3f, "SFPRU.");           /* letters in OVS's order */
    expect_flags(0x1c2, "SECN");
    expect_flags(0xe00, "[200][400][800]");
    expect_flags(0xfff, "SFPRU.ECN[200][400][800]");
}

static void
expect_stats(uint64_t packets, uint64_t bytes, uint64_t used, uint64_t now, uint16_t flags,
             const char *text)
{
    struct strbuf sb;

    strbuf_init(&sb);
    xswctl_fmt_flow_stats(&sb, packets, bytes, used, now, flags);
    assert_string_equal(strbuf_cstr(&sb), text);
    strbuf_free(&sb);
}

static void
test_flow_stats(void **state)
{
    (void) state;
    expect_stats(0, 0, 0, 5000, 0, "packets:0, bytes:0, used:never");
    expect_stats(3, 180, 4000, 5234, 0, "packets:3, bytes:180, used:1.234s");
    expect_stats(3, 180, 5000, 5000, 0x12, "packets:3, bytes:180, used:0.000s, flags:S.");
    /* A use stamped after our clock read is "just now", not negative. */
    expect_stats(1, 60, 5001, 5000, 0, "packets:1, bytes:60, used:0.000s");
    expect_stats(UINT64_MAX, UINT64_MAX, 1, 3600001, 0x10,
                 "packets:18446744073709551615, bytes:18446744073709551615, "
                 "used:3600.000s, flags:.");
    assert_int_equal(xswctl_fmt_age_ms(100, 350), 250);
    assert_int_equal(xswctl_fmt_age_ms(351, 350), 0);
}

/* ------------------------------------------------------------------- show */

static void
expect_port(const struct xswctl_port *p, const char *text)
{
    struct strbuf sb;

    strbuf_init(&sb);
    xswctl_fmt_port(&sb, p);
    assert_string_equal(strbuf_cstr(&sb), text);
    strbuf_free(&sb);
}

static void
test_port_line(void **state)
{
    struct xswctl_port p;

    (void) state;
    memset(&p, 0, sizeof p);
    p.type = OVS_VPORT_TYPE_INTERNAL;
    strcpy(p.name, "br0");
    expect_port(&p, "  port 0: br0 (internal)");

    memset(&p, 0, sizeof p);
    p.port_no = 1;
    p.type = OVS_VPORT_TYPE_NETDEV;
    strcpy(p.name, "veth0");
    expect_port(&p, "  port 1: veth0 (afxdp)");
    strcpy(p.xdp_mode, "native");
    p.has_queues = p.has_zc_queues = p.has_dispatcher = true;
    p.queues = 1;
    expect_port(&p, "  port 1: veth0 (afxdp: xdp=native, copy, queues=1)");
    p.zc_queues = 1;
    expect_port(&p, "  port 1: veth0 (afxdp: xdp=native, zero-copy, queues=1)");
    p.queues = 4;
    p.zc_queues = 2;
    p.dispatcher = true;
    expect_port(&p, "  port 1: veth0 (afxdp: xdp=native, mixed, queues=4, dispatcher)");
    /* Without the zero-copy count the bind mode is unknown, not "copy". */
    p.has_zc_queues = false;
    p.xdp_mode[0] = '\0';
    expect_port(&p, "  port 1: veth0 (afxdp: queues=4, dispatcher)");

    memset(&p, 0, sizeof p);
    p.port_no = 7;
    p.type = 99;
    strcpy(p.name, "odd");
    expect_port(&p, "  port 7: odd (unknown type 99)");

    assert_string_equal(xswctl_fmt_bind_mode(2, 0), "copy");
    assert_string_equal(xswctl_fmt_bind_mode(2, 1), "mixed");
    assert_string_equal(xswctl_fmt_bind_mode(2, 2), "zero-copy");
}

static void
test_port_stats(void **state)
{
    struct ovs_vport_stats s = {
        .rx_packets = 10, .tx_packets = 20, .rx_bytes = 1536, .tx_bytes = 500,
        .rx_errors = 1, .tx_errors = 2, .rx_dropped = 3, .tx_dropped = 4,
    };
    struct strbuf sb;

    (void) state;
    strbuf_init(&sb);
    xswctl_fmt_port_stats(&sb, &s);
    assert_string_equal(strbuf_cstr(&sb),
                        "    RX packets:10 errors:1 dropped:3 overruns:0 frame:0\n"
                        "    TX packets:20 errors:2 dropped:4 aborted:0 carrier:0\n"
                        "    collisions:0\n"
                        "    RX bytes:1536 (1.5 KiB)  TX bytes:500\n");
    strbuf_reset(&sb);
    xswctl_fmt_human_size(&sb, 1023);
    xswctl_fmt_human_size(&sb, 1024);
    xswctl_fmt_human_size(&sb, 3ULL << 20);
    xswctl_fmt_human_size(&sb, 5ULL << 30);
    xswctl_fmt_human_size(&sb, 3ULL << 40);
    assert_string_equal(strbuf_cstr(&sb), " (1.0 KiB) (3.0 MiB) (5.0 GiB) (3.0 TiB)");
    strbuf_free(&sb);
}

static void
test_dp_stats(void **state)
{
    struct ovs_dp_stats st = { .n_hit = 90, .n_missed = 10, .n_lost = 1, .n_flows = 4 };
    struct ovs_dp_megaflow_stats mf = { .n_mask_hit = 150, .n_masks = 3 };
    struct strbuf sb;

    (void) state;
    strbuf_init(&sb);
    xswctl_fmt_dp_stats(&sb, &st, &mf);
    assert_string_equal(strbuf_cstr(&sb),
                        "  lookups: hit:90 missed:10 lost:1\n"
                        "  flows: 4\n"
                        "  masks: hit:150 total:3 hit/pkt:1.50\n");
    strbuf_reset(&sb);
    memset(&st, 0, sizeof st);
    memset(&mf, 0, sizeof mf);
    xswctl_fmt_dp_stats(&sb, &st, &mf);
    assert_string_equal(strbuf_cstr(&sb),
                        "  lookups: hit:0 missed:0 lost:0\n"
                        "  flows: 0\n"
                        "  masks: hit:0 total:0 hit/pkt:0.00\n");
    strbuf_reset(&sb);
    xswctl_fmt_dp_stats(&sb, &st, NULL);
    assert_string_equal(strbuf_cstr(&sb), "  lookups: hit:0 missed:0 lost:0\n  flows: 0\n");
    strbuf_free(&sb);
}

/* ------------------------------------------------------------------- JSON */

static void
expect_json(const char *in, const char *out)
{
    struct strbuf sb;

    strbuf_init(&sb);
    xswctl_fmt_json_string(&sb, in);
    assert_string_equal(strbuf_cstr(&sb), out);
    strbuf_free(&sb);
}

static void
test_json_string(void **state)
{
    (void) state;
    expect_json("", "\"\"");
    expect_json("in_port(1),eth()", "\"in_port(1),eth()\"");
    expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
    expect_json("\n\t\r\x01\x7f", "\"\\n\\t\\r\\u0001\\u007f\"");
    expect_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");                 /* valid UTF-8 kept */
    expect_json("\xe2\x82\xac!", "\"\xe2\x82\xac!\"");
    expect_json("\xff", "\"\\ufffd\"");                              /* never valid */
    expect_json("\xc3", "\"\\ufffd\"");                              /* cut short */
    expect_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");                   /* overlong */
    expect_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");        /* surrogate */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_if_name_only),
        cmocka_unit_test(test_parse_if_every_option),
        cmocka_unit_test(test_parse_if_rejects),
        cmocka_unit_test(test_bridge_arg),
        cmocka_unit_test(test_pick_dp),
        cmocka_unit_test(test_tcp_flags),
        cmocka_unit_test(test_flow_stats),
        cmocka_unit_test(test_port_line),
        cmocka_unit_test(test_port_stats),
        cmocka_unit_test(test_dp_stats),
        cmocka_unit_test(test_json_string),
    };

    return cmocka_run_group_tests_name("xswctl_fmt", tests, NULL, NULL);
}
