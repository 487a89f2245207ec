/* l2switch: upcalls in, decisions out: learning, flooding, known unicast,
 * hairpin, VLAN access/trunk/native tagging (exact action bytes), VLAN
 * isolation, 802.1ad, masks that hold L2 only, the compatibility rules of
 * FLOW-KEYS.md, MAC table overflow and aging on fake time, the change log,
 * and the fdb commands' output. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>

#include "flow_key.h"
#include "frames.h"
#include "l2switch.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "upcall.h"

#define MAC(n) ((const uint8_t[6]) { 0x02, 0x00, 0x00, 0x00, 0x00, (n) })
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---------------------------------------------------------------- helpers */

static uint8_t msg_buf[8192] __attribute__((aligned(8)));
static uint8_t key_buf[2048] __attribute__((aligned(8)));
static size_t key_len;

/* An Ethernet frame dst <- src, with up to two tags (tpid 0: none), then
 * IPv4/TCP so that the key has L3 and L4 for the mask checks. */
static size_t
make_frame(struct frames_buf *f, const uint8_t dst[6], const uint8_t src[6],
           uint16_t tpid, uint16_t tci, uint16_t tpid2, uint16_t tci2)
{
    frames_init(f);
    frames_eth_addrs(f, dst, src);
    if (tpid) {
        frames_vlan(f, tpid, tci);
    }
    if (tpid2) {
        frames_vlan(f, tpid2, tci2);
    }
    frames_eth_type(f, 0x0800);
    frames_ipv4(f, &(struct frames_ipv4) { .src = FRAMES_IP4_A, .dst = FRAMES_IP4_B,
                                          .proto = 6, .ttl = 64 });
    frames_tcp(f, 12345, 80, 0x02);
    return frames_finish(f);
}

/* key_buf/key_len: the canonical key of a frame received on in_port, as the
 * datapath writes it. */
static void
make_key(const void *frame, size_t len, uint32_t in_port)
{
    static uint8_t tmp[2048] __attribute__((aligned(8)));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(tmp);
    struct flow_key key;

    flow_extract(frame, len, &(struct flow_meta) { .in_port = in_port }, &key, NULL);
    assert_int_equal(odp_key_put(nlh, sizeof tmp, &key), 0);
    key_len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
    memcpy(key_buf, tmp + MNL_NLMSG_HDRLEN, key_len);
}

/* An upcall message carrying key_buf and the frame. */
static size_t
make_msg(uint8_t cmd, const void *frame, size_t len)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(msg_buf);
    struct genlmsghdr *g;
    struct ovs_header *o;
    struct nlattr *nest;

    nlh->nlmsg_type = 0x23;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = cmd;
    g->version = OVS_PACKET_VERSION;
    o = mnl_nlmsg_put_extra_header(nlh, sizeof *o);
    o->dp_ifindex = 7;
    nest = mnl_attr_nest_start(nlh, OVS_PACKET_ATTR_KEY);
    memcpy(mnl_nlmsg_get_payload_tail(nlh), key_buf, key_len);
    nlh->nlmsg_len += (uint32_t) MNL_ALIGN(key_len);
    mnl_attr_nest_end(nlh, nest);
    mnl_attr_put(nlh, OVS_PACKET_ATTR_PACKET, len, frame);
    return nlh->nlmsg_len;
}

/* Sends frame up from in_port at now_ms; r must be initialised. */
static int
upcall(struct l2switch *sw, const struct frames_buf *f, uint32_t in_port, uint64_t now_ms,
       struct l2switch_result *r)
{
    size_t n;

    make_key(f->data, f->len, in_port);
    n = make_msg(OVS_PACKET_CMD_MISS, f->data, f->len);
    return l2switch_handle_upcall(sw, msg_buf, n, now_ms, r);
}

/* Frame dst <- src (untagged, or tagged with tpid/tci) from in_port. */
static void
send_frame(struct l2switch *sw, const uint8_t dst[6], const uint8_t src[6], uint16_t tpid,
           uint16_t tci, uint32_t in_port, uint64_t now_ms, struct l2switch_result *r)
{
    struct frames_buf f;

    make_frame(&f, dst, src, tpid, tci, 0, 0);
    assert_int_equal(upcall(sw, &f, in_port, now_ms, r), 0);
}

/* Checks actions against a list such as "out:2 pop push:0x8100:0x100a out:4"
 * (TCI with the tag-present bit, as odp_actions_put_push_vlan() takes it). */
static void
assert_actions(const struct l2switch_decision *d, const char *spec)
{
    static uint8_t buf[16384] __attribute__((aligned(8)));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    static char copy[8192];
    char *tok, *save = NULL;

    snprintf(copy, sizeof copy, "%s", spec);
    for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        unsigned int a, b;

        if (sscanf(tok, "out:%u", &a) == 1) {
            assert_int_equal(odp_actions_put_output(nlh, sizeof buf, a), 0);
        } else if (!strcmp(tok, "pop")) {
            assert_int_equal(odp_actions_put_pop_vlan(nlh, sizeof buf), 0);
        } else if (sscanf(tok, "push:%x:%x", &a, &b) == 2) {
            assert_int_equal(odp_actions_put_push_vlan(nlh, sizeof buf, (uint16_t) a,
                                                       (uint16_t) b), 0);
        } else {
            fail_msg("bad action spec '%s'", tok);
        }
    }
    assert_int_equal(d->actions_len, nlh->nlmsg_len - MNL_NLMSG_HDRLEN);
    if (d->actions_len) {
        assert_memory_equal(d->actions, buf + MNL_NLMSG_HDRLEN, d->actions_len);
    }
    assert_int_equal(odp_actions_validate(d->actions, d->actions_len, NULL), 0);
}

static struct l2switch *
make_switch(uint32_t table_size, uint32_t aging)
{
    struct l2switch_config cfg = { .name = "br0", .mac_aging = aging,
                                   .mac_table_size = table_size };
    struct l2switch *sw;

    assert_int_equal(l2switch_create(&cfg, &sw, NULL), 0);
    return sw;
}

/* Ports 1..n, trunks of every VLAN. */
static struct l2switch *
make_trunks(unsigned int n)
{
    struct l2switch *sw = make_switch(0, 0);

    for (uint32_t p = 1; p <= n; p++) {
        assert_int_equal(l2switch_port_set(sw, p, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    }
    return sw;
}

static struct config_vlan_set
vlans(const char *list)
{
    struct config_vlan_set s;

    assert_int_equal(config_vlan_set_parse(list, &s, NULL), 0);
    return s;
}

/* The mask of r, decoded as the datapath will hold it. */
static void
decode_mask(const struct l2switch_result *r, struct flow_mask *mask)
{
    struct odp_key_info info;
    struct flow_key key;

    assert_int_equal(odp_key_parse(r->key_nl, r->key_nl_len, &key, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(r->mask_nl, r->mask_nl_len, &info, mask, NULL), 0);
}

/* Every word from nw_src on (L3 and L4) is zero, and so is eth_type. */
static void
assert_mask_l2_only(const struct flow_mask *mask)
{
    const uint8_t *p = (const uint8_t *) &mask->m;
    size_t l3 = offsetof(struct flow_key, nw_src);

    for (size_t i = l3; i < sizeof mask->m; i++) {
        if (p[i]) {
            fail_msg("mask byte %zu (L3/L4) is 0x%02x", i, p[i]);
        }
    }
    assert_int_equal(mask->m.eth_type, 0);
    for (unsigned int i = 0; i < FLOW_MAX_MPLS; i++) {
        assert_int_equal(mask->m.mpls_lse[i], 0);
    }
}

/* ---------------------------------------------------------------- learning */

static void
test_learn_flood_then_unicast(void **state)
{
    struct l2switch *sw = make_trunks(3);
    struct l2switch_result r;
    struct l2switch_stats st;

    (void) state;
    l2switch_result_init(&r);

    /* 1 -> 2, unknown destination: flooded to every port but the input. */
    send_frame(sw, MAC(2), MAC(1), 0, 0, 1, 1000, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_int_equal(r.d.vlan, 0);
    assert_int_equal(r.fit, L2SWITCH_FIT_PERFECT);
    assert_true(r.install);
    assert_true(r.execute);
    assert_actions(&r.d, "out:2 out:3");
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 1000), 1);
    /* The result carries the datapath's key and the frame. */
    assert_int_equal(r.key_nl_len, key_len);
    assert_memory_equal(r.key_nl, key_buf, key_len);
    assert_int_equal(r.key.in_port, 1);

    /* The answer goes straight back to port 1. */
    send_frame(sw, MAC(1), MAC(2), 0, 0, 2, 1001, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_int_equal(r.d.out_port, 1);
    assert_actions(&r.d, "out:1");
    assert_int_equal(l2switch_mac_lookup(sw, MAC(2), 0, 1001), 2);

    send_frame(sw, MAC(2), MAC(1), 0, 0, 1, 1002, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_actions(&r.d, "out:2");

    l2switch_get_stats(sw, &st);
    assert_int_equal(st.upcalls, 3);
    assert_int_equal(st.installs, 3);
    assert_int_equal(st.mac.learned, 2);
    assert_int_equal(st.verdicts[L2SWITCH_FLOOD], 1);
    assert_int_equal(st.verdicts[L2SWITCH_FORWARD], 2);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_broadcast_multicast_flood(void **state)
{
    static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
    struct l2switch *sw = make_trunks(4);
    struct l2switch_result r;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, bcast, MAC(1), 0, 0, 2, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_int_equal(r.d.n_outputs, 3);
    assert_actions(&r.d, "out:1 out:3 out:4");
    send_frame(sw, mcast, MAC(1), 0, 0, 4, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_actions(&r.d, "out:1 out:2 out:3");
    /* A multicast source is never learned. */
    send_frame(sw, MAC(9), mcast, 0, 0, 1, 0, &r);
    assert_int_equal(l2switch_mac_lookup(sw, mcast, 0, 0), -1);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_hairpin_drop(void **state)
{
    struct l2switch *sw = make_trunks(3);
    struct l2switch_result r;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    /* Station 3 on port 1 talks to station 1, also on port 1. */
    send_frame(sw, MAC(1), MAC(3), 0, 0, 1, 10, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_HAIRPIN);
    assert_true(r.install);             /* a drop flow */
    assert_false(r.execute);
    assert_actions(&r.d, "");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_station_moves(void **state)
{
    struct l2switch *sw = make_trunks(3);
    struct l2switch_result r;
    struct l2switch_stats st;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    send_frame(sw, MAC(1), MAC(2), 0, 0, 2, 10, &r);
    assert_actions(&r.d, "out:1");
    /* Station 1 shows up on port 3: re-learned at once. */
    send_frame(sw, MAC(2), MAC(1), 0, 0, 3, 20, &r);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 20), 3);
    send_frame(sw, MAC(1), MAC(2), 0, 0, 2, 30, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_actions(&r.d, "out:3");
    l2switch_get_stats(sw, &st);
    assert_int_equal(st.mac.moved, 1);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- VLANs */

/* 1, 2: access 10; 3: access 20; 4: trunk 10,20; 5: native-untagged 10 with
 * trunk 20; 6: native-tagged 10 with trunk 20. */
static struct l2switch *
make_vlan_switch(void)
{
    struct l2switch *sw = make_switch(0, 0);
    struct config_vlan_set t1020 = vlans("10,20");
    struct config_vlan_set t20 = vlans("20");

    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_ACCESS, 10, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 2, CONFIG_VLAN_ACCESS, 10, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 3, CONFIG_VLAN_ACCESS, 20, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 4, CONFIG_VLAN_TRUNK, 0, &t1020, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 5, CONFIG_VLAN_NATIVE_UNTAGGED, 10, &t20, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 6, CONFIG_VLAN_NATIVE_TAGGED, 10, &t20, NULL), 0);
    return sw;
}

static void
test_vlan_access_trunk_native_actions(void **state)
{
    struct l2switch *sw = make_vlan_switch();
    struct l2switch_result r;

    (void) state;
    l2switch_result_init(&r);

    /* Untagged on access 10: untagged to access and native-untagged ports,
     * one push for the tagged ones. */
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    assert_int_equal(r.d.vlan, 10);
    assert_actions(&r.d, "out:2 out:5 push:0x8100:0x100a out:4 out:6");

    /* VLAN 10 tagged on the trunk: as is to the tagged port, one pop for
     * the others. */
    send_frame(sw, bcast, MAC(2), 0x8100, 10, 4, 0, &r);
    assert_int_equal(r.d.vlan, 10);
    assert_actions(&r.d, "out:6 pop out:1 out:2 out:5");

    /* VLAN 20: the native ports carry it tagged, access 20 untagged. */
    send_frame(sw, bcast, MAC(3), 0x8100, 20, 4, 0, &r);
    assert_int_equal(r.d.vlan, 20);
    assert_actions(&r.d, "out:5 out:6 pop out:3");

    /* Untagged on native-untagged 10 is VLAN 10. */
    send_frame(sw, bcast, MAC(4), 0, 0, 5, 0, &r);
    assert_int_equal(r.d.vlan, 10);
    assert_actions(&r.d, "out:1 out:2 push:0x8100:0x100a out:4 out:6");

    /* Native-tagged 10 sending VLAN 10 tagged: same VLAN. */
    send_frame(sw, bcast, MAC(5), 0x8100, 10, 6, 0, &r);
    assert_int_equal(r.d.vlan, 10);
    assert_actions(&r.d, "out:4 pop out:1 out:2 out:5");

    /* Known unicast across a VLAN boundary of tagging: station 1 (access
     * port 1) receives untagged what the trunk sends tagged. */
    send_frame(sw, MAC(1), MAC(6), 0x8100, 10, 4, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_actions(&r.d, "pop out:1");
    send_frame(sw, MAC(6), MAC(1), 0, 0, 1, 0, &r);
    assert_actions(&r.d, "push:0x8100:0x100a out:4");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_vlan_drops(void **state)
{
    struct l2switch *sw = make_vlan_switch();
    struct l2switch_result r;
    struct flow_mask mask;

    (void) state;
    l2switch_result_init(&r);

    /* Tagged on an access port. */
    send_frame(sw, bcast, MAC(1), 0x8100, 10, 1, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_VLAN);
    assert_true(r.install);
    assert_false(r.execute);
    assert_actions(&r.d, "");
    /* A VLAN the trunk does not carry. */
    send_frame(sw, bcast, MAC(1), 0x8100, 30, 4, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_VLAN);
    /* The drop reads no address: one flow for every station. */
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.in_port, UINT32_MAX);
    assert_int_equal(ntohs(mask.m.vlans[0].tci) & 0x1fff, 0x1fff);
    assert_true(mac_addr_is_zero(mask.m.eth_src));
    assert_true(mac_addr_is_zero(mask.m.eth_dst));
    assert_mask_l2_only(&mask);
    /* Untagged on a trunk with a trunks list: VLAN 0 is not carried. */
    send_frame(sw, bcast, MAC(1), 0, 0, 4, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_VLAN);
    /* Nothing of that was learned. */
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 10, 0), -1);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 30, 0), -1);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_vlan_isolation(void **state)
{
    struct l2switch *sw = make_vlan_switch();
    struct l2switch_result r;

    (void) state;
    l2switch_result_init(&r);
    /* Station 1 is learned in VLAN 10 (port 1)... */
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 10, 0), 1);
    /* ...so VLAN 20 does not know it, and floods within VLAN 20 only. */
    send_frame(sw, MAC(1), MAC(2), 0, 0, 3, 0, &r);
    assert_int_equal(r.d.vlan, 20);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_actions(&r.d, "push:0x8100:0x1014 out:4 out:5 out:6");
    /* A VLAN 20 frame can never reach port 1 or 2. */
    send_frame(sw, MAC(1), MAC(3), 0x8100, 20, 4, 0, &r);
    assert_actions(&r.d, "out:5 out:6 pop out:3");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_priority_tag_keeps_pcp(void **state)
{
    struct l2switch *sw = make_vlan_switch();
    struct l2switch_result r;
    struct flow_mask mask;

    (void) state;
    l2switch_result_init(&r);
    /* Priority-tagged (VID 0, PCP 5) on access 10 is VLAN 10: it leaves
     * untagged on access ports and re-tagged with its PCP on the trunks. */
    send_frame(sw, bcast, MAC(1), 0x8100, 0xa000, 1, 0, &r);
    assert_int_equal(r.d.vlan, 10);
    assert_actions(&r.d, "pop out:2 out:5 push:0x8100:0xb00a out:4 out:6");
    /* The PCP was read, so the mask holds the whole TCI. */
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.vlans[0].tci, htons(0xffff));
    assert_mask_l2_only(&mask);
    l2switch_destroy(sw);

    /* Nothing re-tagged: the PCP is not read. */
    sw = make_switch(0, 0);
    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_ACCESS, 10, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 2, CONFIG_VLAN_ACCESS, 10, NULL, NULL), 0);
    send_frame(sw, bcast, MAC(1), 0x8100, 0xa000, 1, 0, &r);
    assert_actions(&r.d, "pop out:2");
    assert_int_equal(r.d.mask.m.vlans[0].tci, htons(0x1fff));
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_trunk_all_carries_untagged(void **state)
{
    struct l2switch *sw = make_switch(0, 0);
    struct config_vlan_set t10 = vlans("10");
    struct l2switch_result r;

    (void) state;
    l2switch_result_init(&r);
    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    /* What the config holds for a trunk without a trunks list. */
    {
        struct config_vlan_set all = vlans("1-4094");

        assert_int_equal(l2switch_port_set(sw, 2, CONFIG_VLAN_TRUNK, 0, &all, NULL), 0);
    }
    assert_int_equal(l2switch_port_set(sw, 3, CONFIG_VLAN_TRUNK, 0, &t10, NULL), 0);
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    assert_int_equal(r.d.vlan, 0);
    assert_actions(&r.d, "out:2");
    /* A priority tag in VLAN 0 is kept as it is. */
    send_frame(sw, bcast, MAC(1), 0x8100, 0x6000, 2, 0, &r);
    assert_int_equal(r.d.vlan, 0);
    assert_actions(&r.d, "out:1");
    /* Tagged VLAN 10 reaches the VLAN 10 trunk too, unchanged. */
    send_frame(sw, bcast, MAC(1), 0x8100, 10, 1, 0, &r);
    assert_actions(&r.d, "out:2 out:3");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_8021ad_outer_tag(void **state)
{
    struct l2switch *sw = make_switch(0, 0);
    struct l2switch_result r;
    struct frames_buf f;
    struct flow_mask mask;

    (void) state;
    l2switch_result_init(&r);
    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 2, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 3, CONFIG_VLAN_ACCESS, 100, NULL, NULL), 0);

    /* 802.1ad outer VLAN 100 around an 802.1Q VLAN 10: the outer tag is
     * the VLAN, kept (TPID too) on trunks, popped for the access port,
     * which gets the inner tag as payload. */
    make_frame(&f, bcast, MAC(1), 0x88a8, 100, 0x8100, 10);
    assert_int_equal(upcall(sw, &f, 1, 0, &r), 0);
    assert_int_equal(r.d.vlan, 100);
    assert_actions(&r.d, "out:2 pop out:3");
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.vlans[0].tpid, htons(0xffff));
    assert_int_equal(mask.m.vlans[0].tci, htons(0x1fff));
    /* Inner tag: its presence only, not its VID. */
    assert_int_equal(mask.m.vlans[1].tpid, htons(0xffff));
    assert_int_equal(mask.m.vlans[1].tci, htons(0x1000));
    assert_mask_l2_only(&mask);

    /* Back from the access port: pushed as 802.1Q. */
    send_frame(sw, MAC(1), MAC(2), 0, 0, 3, 1, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_actions(&r.d, "push:0x8100:0x1064 out:1");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- masks */

static void
test_mask_holds_l2_only(void **state)
{
    struct l2switch *sw = make_trunks(3);
    struct l2switch_result r;
    struct flow_mask mask;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, MAC(2), MAC(1), 0, 0, 1, 0, &r);
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.in_port, UINT32_MAX);
    assert_int_equal(mask.m.recirc_id, UINT32_MAX);
    assert_memory_equal(mask.m.eth_src, bcast, 6);
    assert_memory_equal(mask.m.eth_dst, bcast, 6);
    assert_int_equal(mask.m.skb_mark, 0);
    assert_int_equal(mask.m.priority, 0);
    assert_int_equal(mask.m.dp_hash, 0);
    assert_mask_l2_only(&mask);
    /* The struct the decision returned says the same. */
    assert_mask_l2_only(&r.d.mask);

    send_frame(sw, MAC(2), MAC(1), 0x8100, 0x2007, 1, 0, &r);
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.vlans[0].tpid, htons(0xffff));
    /* VID and tag-present bit; the PCP is not read. */
    assert_int_equal(mask.m.vlans[0].tci, htons(0x1fff));
    assert_mask_l2_only(&mask);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_decide_on_masked_key(void **state)
{
    struct l2switch *sw = make_vlan_switch();
    struct l2switch_result r;
    struct l2switch_decision d;
    struct flow_key masked;

    (void) state;
    l2switch_result_init(&r);
    l2switch_decision_init(&d);
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    send_frame(sw, MAC(1), MAC(2), 0x8100, 0x600a, 4, 0, &r);
    /* What the revalidator does: decide again on the flow's masked key. */
    flow_key_mask(&masked, &r.key, &r.d.mask);
    assert_int_equal(l2switch_decide(sw, &masked, 0, &d), 0);
    assert_int_equal(d.verdict, r.d.verdict);
    assert_int_equal(d.actions_len, r.d.actions_len);
    assert_memory_equal(d.actions, r.d.actions, d.actions_len);
    assert_memory_equal(&d.mask, &r.d.mask, sizeof d.mask);
    l2switch_decision_uninit(&d);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- compatibility */

/* Appends an attribute to key_buf. */
static void
key_append(uint16_t type, const void *data, size_t len)
{
    struct nlattr *a = (struct nlattr *) (key_buf + key_len);

    a->nla_type = type;
    a->nla_len = (uint16_t) (MNL_ATTR_HDRLEN + len);
    memcpy(key_buf + key_len + MNL_ATTR_HDRLEN, data, len);
    memset(key_buf + key_len + MNL_ATTR_HDRLEN + len, 0,
           MNL_ALIGN(len) - len);
    key_len += MNL_ALIGN(MNL_ATTR_HDRLEN + len);
}

/* Removes every top-level attribute of one type from key_buf. */
static void
key_remove(uint16_t type)
{
    uint8_t out[sizeof key_buf];
    size_t n = 0;
    const void *payload = key_buf;
    const struct nlattr *attr;

    mnl_attr_for_each_payload(payload, key_len) {
        if (mnl_attr_get_type(attr) != type) {
            memcpy(out + n, attr, MNL_ALIGN(attr->nla_len));
            n += MNL_ALIGN(attr->nla_len);
        }
    }
    memcpy(key_buf, out, n);
    key_len = n;
}

static void
test_compat_extra_datapath_attributes(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct frames_buf f;
    uint32_t ct_state = 0x21;
    uint8_t unknown[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t sent_key[sizeof key_buf];
    size_t sent_len, n;

    (void) state;
    l2switch_result_init(&r);
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    make_key(f.data, f.len, 1);
    /* The datapath knows more than xsw: conntrack state (kept opaque) and
     * an attribute type xsw has never heard of. */
    key_append(OVS_KEY_ATTR_CT_STATE, &ct_state, sizeof ct_state);
    key_append(62, unknown, sizeof unknown);
    memcpy(sent_key, key_buf, key_len);
    sent_len = key_len;
    n = make_msg(OVS_PACKET_CMD_MISS, f.data, f.len);
    assert_int_equal(l2switch_handle_upcall(sw, msg_buf, n, 0, &r), 0);
    assert_int_equal(r.fit, L2SWITCH_FIT_TOO_MANY);
    assert_true(r.install);
    /* Installed with the datapath's key, byte for byte. */
    assert_int_equal(r.key_nl_len, sent_len);
    assert_memory_equal(r.key_nl, sent_key, sent_len);
    assert_actions(&r.d, "out:2");
    {
        struct flow_mask mask;

        decode_mask(&r, &mask);
        assert_mask_l2_only(&mask);
    }
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_compat_datapath_key_lacks_fields(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct l2switch_stats st;
    struct frames_buf f;
    size_t n;

    (void) state;
    l2switch_result_init(&r);
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    make_key(f.data, f.len, 1);
    /* A datapath that stopped at L3: xsw sees TCP it did not. */
    key_remove(OVS_KEY_ATTR_TCP);
    key_remove(OVS_KEY_ATTR_TCP_FLAGS);
    n = make_msg(OVS_PACKET_CMD_MISS, f.data, f.len);
    assert_int_equal(l2switch_handle_upcall(sw, msg_buf, n, 0, &r), 0);
    assert_int_equal(r.fit, L2SWITCH_FIT_TOO_LITTLE);
    assert_false(r.install);
    assert_true(r.execute);
    assert_actions(&r.d, "out:2");
    /* Still learned: the frame is real. */
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 0), 1);
    l2switch_get_stats(sw, &st);
    assert_int_equal(st.execute_only, 1);
    assert_int_equal(st.fit[L2SWITCH_FIT_TOO_LITTLE], 1);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_compat_datapath_key_disagrees(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct frames_buf f, other;
    size_t n;

    (void) state;
    l2switch_result_init(&r);
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    make_frame(&other, MAC(2), MAC(7), 0, 0, 0, 0);
    /* The key says the source is station 7, the frame says 1: no flow may
     * stand for that frame. */
    make_key(other.data, other.len, 1);
    n = make_msg(OVS_PACKET_CMD_MISS, f.data, f.len);
    assert_int_equal(l2switch_handle_upcall(sw, msg_buf, n, 0, &r), 0);
    assert_int_equal(r.fit, L2SWITCH_FIT_MISMATCH);
    assert_false(r.install);
    assert_true(r.execute);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_message_from_upcall_ring(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct upcall_ring *ring;
    struct frames_buf f;
    struct flow_key key;
    struct packet pkt;
    const void *m;
    uint32_t len;

    (void) state;
    l2switch_result_init(&r);
    assert_int_equal(upcall_ring_create(4, 4096, &ring), 0);
    make_frame(&f, MAC(2), MAC(1), 0x8100, 5, 0, 0);
    flow_extract(f.data, f.len, &(struct flow_meta) { .in_port = 2 }, &key, NULL);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = f.data;
    pkt.len = (uint32_t) f.len;
    pkt.addr = PACKET_ADDR_NONE;
    assert_int_equal(upcall_enqueue(ring, &(struct upcall_info) {
                         .family = 0x23, .cmd = OVS_PACKET_CMD_MISS, .dp_ifindex = 7,
                         .key = &key }, &pkt), 0);
    m = upcall_ring_peek(ring, &len);
    assert_non_null(m);
    assert_int_equal(l2switch_handle_upcall(sw, m, len, 0, &r), 0);
    assert_int_equal(r.fit, L2SWITCH_FIT_PERFECT);
    assert_int_equal(r.packet_len, f.len);
    assert_memory_equal(r.packet, f.data, f.len);
    assert_actions(&r.d, "out:1");
    upcall_ring_release(ring);
    upcall_ring_destroy(ring);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_bad_messages(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct l2switch_stats st;
    struct frames_buf f;
    uint8_t junk[64] = { 0 };
    size_t n;

    (void) state;
    l2switch_result_init(&r);
    assert_int_equal(l2switch_handle_upcall(sw, junk, sizeof junk, 0, &r), -EINVAL);
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    make_key(f.data, f.len, 1);
    n = make_msg(OVS_PACKET_CMD_ACTION, f.data, f.len);
    assert_int_equal(l2switch_handle_upcall(sw, msg_buf, n, 0, &r), -EOPNOTSUPP);
    /* A key that does not decode: a duplicate attribute. */
    make_key(f.data, f.len, 1);
    {
        uint32_t port = 1;

        key_append(OVS_KEY_ATTR_IN_PORT, &port, sizeof port);
    }
    n = make_msg(OVS_PACKET_CMD_MISS, f.data, f.len);
    assert_int_equal(l2switch_handle_upcall(sw, msg_buf, n, 0, &r), -EINVAL);
    l2switch_get_stats(sw, &st);
    assert_int_equal(st.upcalls, 3);
    assert_int_equal(st.upcall_errors, 3);
    assert_int_equal(st.mac.learned, 0);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- other drops */

static void
test_reserved_partial_unknown_port(void **state)
{
    static const uint8_t stp[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct frames_buf f;
    struct flow_mask mask;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, stp, MAC(1), 0, 0, 1, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_RESERVED);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 0), -1);

    /* A TPID and nothing after it. */
    frames_init(&f);
    frames_eth_addrs(&f, bcast, MAC(1));
    frames_eth_type(&f, 0x8100);
    assert_int_equal(upcall(sw, &f, 1, 0, &r), 0);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_PARTIAL_TAG);
    assert_true(r.install);
    decode_mask(&r, &mask);
    assert_true(mac_addr_is_zero(mask.m.eth_src));

    /* A port the switch was not told about. */
    send_frame(sw, bcast, MAC(1), 0, 0, 9, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_UNKNOWN_PORT);
    assert_true(r.install);
    assert_false(r.execute);
    assert_int_equal(r.d.mask.m.in_port, UINT32_MAX);
    assert_true(mac_addr_is_zero(r.d.mask.m.eth_dst));
    assert_int_equal(r.d.mask.m.vlans[0].tci, 0);
    /* Tagged: the mask still decodes, the datapath pins the tag itself. */
    send_frame(sw, bcast, MAC(1), 0x8100, 10, 9, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_DROP_UNKNOWN_PORT);
    decode_mask(&r, &mask);
    assert_int_equal(mask.m.vlans[0].tci, htons(0xffff));
    assert_mask_l2_only(&mask);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- MAC table */

static void
test_table_full_overflow(void **state)
{
    struct l2switch *sw = make_switch(2, 0);
    struct l2switch_result r;
    struct l2switch_stats st;

    (void) state;
    l2switch_result_init(&r);
    for (uint32_t p = 1; p <= 3; p++) {
        assert_int_equal(l2switch_port_set(sw, p, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    }
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    send_frame(sw, bcast, MAC(2), 0, 0, 2, 0, &r);
    /* Full: station 3 is not learned, but its frame is switched. */
    send_frame(sw, MAC(1), MAC(3), 0, 0, 3, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    assert_actions(&r.d, "out:1");
    assert_int_equal(l2switch_mac_lookup(sw, MAC(3), 0, 0), -1);
    /* Frames to it keep flooding. */
    send_frame(sw, MAC(3), MAC(1), 0, 0, 1, 0, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_actions(&r.d, "out:2 out:3");
    l2switch_get_stats(sw, &st);
    assert_int_equal(st.overflow, 1);
    assert_int_equal(st.mac.n_entries, 2);
    assert_int_equal(st.mac.max_entries, 2);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_aging_on_fake_time(void **state)
{
    struct l2switch *sw = make_switch(0, 15);
    struct l2switch_result r;
    struct l2switch_stats st;
    struct flow_key key;
    struct frames_buf f;
    unsigned int n_changes = 0;

    (void) state;
    l2switch_result_init(&r);
    for (uint32_t p = 1; p <= 2; p++) {
        assert_int_equal(l2switch_port_set(sw, p, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    }
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    send_frame(sw, MAC(1), MAC(2), 0, 0, 2, 14999, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FORWARD);
    send_frame(sw, MAC(1), MAC(2), 0, 0, 2, 15000, &r);
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);

    /* A flow's statistics keep a station: touched at 14000, it lives
     * until 29000. */
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    flow_extract(f.data, f.len, &(struct flow_meta) { .in_port = 1 }, &key, NULL);
    l2switch_mac_touch(sw, &key, 14000);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 28999), 1);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 29000), -1);

    {
        uint64_t seq = l2switch_change_seq(sw);

        assert_int_equal(l2switch_run(sw, 29000), 1);
        assert_true(l2switch_change_seq(sw) > seq);
        n_changes = (unsigned int) (l2switch_change_seq(sw) - seq);
        assert_int_equal(n_changes, 1);
    }
    l2switch_get_stats(sw, &st);
    assert_int_equal(st.mac.expired, 1);
    assert_int_equal(st.mac.n_entries, 1);     /* station 2, seen at 15000 */
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_touch_does_not_move_back(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct flow_key key;
    struct frames_buf f;

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, bcast, MAC(1), 0, 0, 2, 5000, &r);
    /* An old flow from port 1 used at 4000 says nothing now. */
    make_frame(&f, MAC(2), MAC(1), 0, 0, 0, 0);
    flow_extract(f.data, f.len, &(struct flow_meta) { .in_port = 1 }, &key, NULL);
    l2switch_mac_touch(sw, &key, 4000);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 5000), 2);
    l2switch_mac_touch(sw, &key, 6000);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 6000), 1);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- changes */

struct seen {
    unsigned int n;
    uint8_t mac[6];
    uint16_t vlan;
};

static void
note_change(void *aux, const uint8_t mac[6], uint16_t vlan)
{
    struct seen *s = aux;

    s->n++;
    memcpy(s->mac, mac, 6);
    s->vlan = vlan;
}

static void
count_cb(void *aux)
{
    (*(unsigned int *) aux)++;
}

static void
test_change_log(void **state)
{
    struct l2switch *sw = make_trunks(2);
    struct l2switch_result r;
    struct seen seen = { 0 };
    unsigned int calls = 0;
    uint64_t seq;
    uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };

    (void) state;
    l2switch_result_init(&r);
    l2switch_set_change_cb(sw, count_cb, &calls);
    /* Ports were added: everything is due. */
    assert_false(l2switch_changes_since(sw, 0, note_change, &seen));

    seq = l2switch_change_seq(sw);
    assert_true(l2switch_changes_since(sw, seq, note_change, &seen));
    assert_int_equal(seen.n, 0);
    send_frame(sw, bcast, MAC(1), 0x8100, 7, 1, 0, &r);
    assert_int_equal(calls, 1);
    assert_true(l2switch_changes_since(sw, seq, note_change, &seen));
    assert_int_equal(seen.n, 1);
    assert_memory_equal(seen.mac, MAC(1), 6);
    assert_int_equal(seen.vlan, 7);
    /* A refresh is not a change. */
    send_frame(sw, bcast, MAC(1), 0x8100, 7, 1, 1, &r);
    assert_int_equal(calls, 1);

    /* A port change: everything again. */
    seq = l2switch_change_seq(sw);
    assert_int_equal(l2switch_port_set(sw, 3, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    assert_false(l2switch_changes_since(sw, seq, note_change, &seen));
    /* Setting a port as it is changes nothing. */
    seq = l2switch_change_seq(sw);
    assert_int_equal(l2switch_port_set(sw, 3, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    assert_int_equal(l2switch_change_seq(sw), seq);

    /* More changes than the log holds. */
    for (unsigned int i = 0; i < 2000; i++) {
        mac[4] = (uint8_t) (i >> 8);
        mac[5] = (uint8_t) i;
        send_frame(sw, bcast, mac, 0, 0, 1, 2, &r);
    }
    assert_false(l2switch_changes_since(sw, seq, note_change, &seen));
    seen.n = 0;
    assert_true(l2switch_changes_since(sw, l2switch_change_seq(sw) - 10, note_change, &seen));
    assert_int_equal(seen.n, 10);

    /* A flush: everything. */
    seq = l2switch_change_seq(sw);
    assert_int_equal(l2switch_fdb_flush(sw), 2001);
    assert_false(l2switch_changes_since(sw, seq, note_change, &seen));
    l2switch_set_change_cb(sw, NULL, NULL);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_port_changes(void **state)
{
    struct l2switch *sw = make_trunks(3);
    struct l2switch_result r;
    struct xsw_err err = { "" };

    (void) state;
    l2switch_result_init(&r);
    send_frame(sw, bcast, MAC(1), 0, 0, 1, 0, &r);
    send_frame(sw, bcast, MAC(3), 0, 0, 3, 0, &r);
    /* New VLAN settings forget what the port learned. */
    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_ACCESS, 5, NULL, NULL), 0);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(1), 0, 0), -1);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(3), 0, 0), 3);
    /* A removed port leaves the floods and the table. */
    l2switch_port_del(sw, 3);
    assert_false(l2switch_port_exists(sw, 3));
    assert_int_equal(l2switch_mac_lookup(sw, MAC(3), 0, 0), -1);
    send_frame(sw, bcast, MAC(2), 0, 0, 2, 0, &r);
    assert_actions(&r.d, "");
    assert_int_equal(r.d.verdict, L2SWITCH_FLOOD);
    assert_false(r.execute);
    l2switch_port_del(sw, 42);

    assert_int_equal(l2switch_port_set(sw, 4, CONFIG_VLAN_ACCESS, 0, NULL, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "tag"));
    assert_int_equal(l2switch_port_set(sw, 4, CONFIG_VLAN_NATIVE_TAGGED, 4095, NULL, &err),
                     -EINVAL);
    assert_false(l2switch_port_exists(sw, 4));
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

static void
test_internal_port_and_flood_to_many(void **state)
{
    struct l2switch_config cfg = { .name = "br0", .internal_port = true };
    struct l2switch *sw;
    struct l2switch_result r;
    char spec[4096];
    size_t n = 0;

    (void) state;
    assert_int_equal(l2switch_create(&cfg, &sw, NULL), 0);
    l2switch_result_init(&r);
    assert_true(l2switch_port_exists(sw, 0));
    for (uint32_t p = 1; p <= 300; p++) {
        assert_int_equal(l2switch_port_set(sw, p, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    }
    /* More outputs than the decision's own buffer holds. */
    send_frame(sw, bcast, MAC(1), 0, 0, 7, 0, &r);
    assert_int_equal(r.d.n_outputs, 300);
    for (uint32_t p = 0; p <= 300; p++) {
        if (p != 7) {
            n += (size_t) snprintf(spec + n, sizeof spec - n, "out:%u ", p);
        }
    }
    assert_actions(&r.d, spec);
    /* The result can be reused. */
    send_frame(sw, MAC(1), MAC(2), 0, 0, 0, 1, &r);
    assert_actions(&r.d, "out:7");
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

/* ---------------------------------------------------------------- commands */

static void
test_fdb_commands(void **state)
{
    struct l2switch *sw = make_switch(0, 0);
    struct l2switch_result r;
    struct strbuf sb;
    struct l2switch_config cfg = { .name = "br0", .mac_aging = 300, .mac_table_size = 1 };

    (void) state;
    l2switch_result_init(&r);
    strbuf_init(&sb);
    assert_int_equal(l2switch_port_set(sw, 0, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    assert_int_equal(l2switch_port_set(sw, 1, CONFIG_VLAN_ACCESS, 10, NULL, NULL), 0);
    send_frame(sw, bcast, MAC(0xaa), 0, 0, 1, 1000, &r);
    send_frame(sw, bcast, MAC(0xbb), 0, 0, 0, 3500, &r);

    l2switch_fdb_show(sw, 5000, false, &sb);
    assert_string_equal(strbuf_cstr(&sb),
                        " port  VLAN  MAC                Age\n"
                        "    1    10  02:00:00:00:00:aa    4\n"
                        "LOCAL     0  02:00:00:00:00:bb    1\n");
    strbuf_reset(&sb);
    l2switch_fdb_show(sw, 5000, true, &sb);
    assert_string_equal(strbuf_cstr(&sb),
                        "{\"bridge\":\"br0\",\"entries\":["
                        "{\"port\":1,\"vlan\":10,\"mac\":\"02:00:00:00:00:aa\",\"age\":4},"
                        "{\"port\":0,\"vlan\":0,\"mac\":\"02:00:00:00:00:bb\",\"age\":1}]}");

    strbuf_reset(&sb);
    l2switch_fdb_stats(sw, false, &sb);
    assert_non_null(strstr(strbuf_cstr(&sb), "Statistics for bridge \"br0\":\n"));
    assert_non_null(strstr(strbuf_cstr(&sb),
                           "  Current/maximum MAC entries in the table: 2/8192\n"));
    assert_non_null(strstr(strbuf_cstr(&sb),
                           "  Total number of learned MAC entries     : 2\n"));
    strbuf_reset(&sb);
    l2switch_fdb_stats(sw, true, &sb);
    assert_non_null(strstr(strbuf_cstr(&sb), "\"bridge\":\"br0\",\"entries\":2,"));
    assert_non_null(strstr(strbuf_cstr(&sb), "\"upcalls\":2,"));

    /* A smaller table evicts the oldest. */
    l2switch_reconfigure(sw, &cfg);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(0xaa), 10, 5000), -1);
    assert_int_equal(l2switch_mac_lookup(sw, MAC(0xbb), 0, 5000), 0);

    assert_int_equal(l2switch_fdb_flush(sw), 1);
    strbuf_reset(&sb);
    l2switch_fdb_show(sw, 5000, false, &sb);
    assert_string_equal(strbuf_cstr(&sb), " port  VLAN  MAC                Age\n");
    strbuf_reset(&sb);
    l2switch_fdb_show(sw, 5000, true, &sb);
    assert_string_equal(strbuf_cstr(&sb), "{\"bridge\":\"br0\",\"entries\":[]}");
    assert_string_equal(l2switch_name(sw), "br0");
    strbuf_free(&sb);
    l2switch_result_uninit(&r);
    l2switch_destroy(sw);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learn_flood_then_unicast),
        cmocka_unit_test(test_broadcast_multicast_flood),
        cmocka_unit_test(test_hairpin_drop),
        cmocka_unit_test(test_station_moves),
        cmocka_unit_test(test_vlan_access_trunk_native_actions),
        cmocka_unit_test(test_vlan_drops),
        cmocka_unit_test(test_vlan_isolation),
        cmocka_unit_test(test_priority_tag_keeps_pcp),
        cmocka_unit_test(test_trunk_all_carries_untagged),
        cmocka_unit_test(test_8021ad_outer_tag),
        cmocka_unit_test(test_mask_holds_l2_only),
        cmocka_unit_test(test_decide_on_masked_key),
        cmocka_unit_test(test_compat_extra_datapath_attributes),
        cmocka_unit_test(test_compat_datapath_key_lacks_fields),
        cmocka_unit_test(test_compat_datapath_key_disagrees),
        cmocka_unit_test(test_message_from_upcall_ring),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_reserved_partial_unknown_port),
        cmocka_unit_test(test_table_full_overflow),
        cmocka_unit_test(test_aging_on_fake_time),
        cmocka_unit_test(test_touch_does_not_move_back),
        cmocka_unit_test(test_change_log),
        cmocka_unit_test(test_port_changes),
        cmocka_unit_test(test_internal_port_and_flood_to_many),
        cmocka_unit_test(test_fdb_commands),
    };

    return cmocka_run_group_tests_name("l2switch", tests, NULL, NULL);
}
