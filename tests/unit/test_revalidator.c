/* revalidator: on a real classifier (no workers; the test thread counts
 * traffic as worker 0), with flows put the way the daemon puts the
 * l2switch's results: idle aging on fake time, the flow limit, rechecks
 * after a station move, a new station, a port or VLAN change, MAC aging fed
 * by flow statistics, bounded work per call, the ops hooks and the libevent
 * timer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <urcu-qsbr.h>

#include "classifier.h"
#include "frames.h"
#include "l2switch.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "revalidator.h"

#ifdef CLASSIFIER_TSAN
const char *__tsan_default_suppressions(void);

const char *
__tsan_default_suppressions(void)
{
    return "called_from_lib:liburcu-qsbr.so\n"
           "called_from_lib:liburcu-common.so\n"
           "called_from_lib:liburcu-cds.so\n";
}
#endif

#define MAC(n) ((const uint8_t[6]) { 0x02, 0x00, 0x00, 0x00, 0x00, (n) })
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct fx {
    struct classifier *cls;
    struct l2switch *sw;
    struct revalidator *rv;
    struct l2switch_result r;
};

/* ---------------------------------------------------------------- helpers */

static uint8_t msg_buf[8192] __attribute__((aligned(8)));

static size_t
make_upcall(const uint8_t dst[6], const uint8_t src[6], uint16_t tpid, uint16_t tci,
            uint32_t in_port)
{
    static uint8_t kbuf[2048] __attribute__((aligned(8)));
    struct nlmsghdr *knlh = mnl_nlmsg_put_header(kbuf);
    struct nlmsghdr *nlh;
    struct genlmsghdr *g;
    struct ovs_header *o;
    struct nlattr *nest;
    struct frames_buf f;
    struct flow_key key;
    size_t klen;

    frames_init(&f);
    frames_eth_addrs(&f, dst, src);
    if (tpid) {
        frames_vlan(&f, tpid, tci);
    }
    frames_eth_type(&f, 0x0800);
    frames_ipv4(&f, &(struct frames_ipv4) { .src = FRAMES_IP4_A, .dst = FRAMES_IP4_B,
                                          .proto = 17, .ttl = 64 });
    frames_udp(&f, 1000, 2000);
    frames_finish(&f);
    flow_extract(f.data, f.len, &(struct flow_meta) { .in_port = in_port }, &key, NULL);
    assert_int_equal(odp_key_put(knlh, sizeof kbuf, &key), 0);
    klen = knlh->nlmsg_len - MNL_NLMSG_HDRLEN;

    nlh = mnl_nlmsg_put_header(msg_buf);
    nlh->nlmsg_type = 0x23;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = OVS_PACKET_CMD_MISS;
    g->version = OVS_PACKET_VERSION;
    o = mnl_nlmsg_put_extra_header(nlh, sizeof *o);
    o->dp_ifindex = 7;
    nest = mnl_attr_nest_start(nlh, OVS_PACKET_ATTR_KEY);
    memcpy(mnl_nlmsg_get_payload_tail(nlh), kbuf + MNL_NLMSG_HDRLEN, klen);
    nlh->nlmsg_len += (uint32_t) MNL_ALIGN(klen);
    mnl_attr_nest_end(nlh, nest);
    mnl_attr_put(nlh, OVS_PACKET_ATTR_PACKET, f.len, f.data);
    return nlh->nlmsg_len;
}

/* What the daemon does with a result: put the flow as dp_flow_put() would
 * (key and mask decoded from the result's bytes, the bytes kept). */
static struct classifier_flow *
put_result(struct fx *fx, uint64_t now_ms)
{
    struct l2switch_result *r = &fx->r;
    struct classifier_put put;
    struct classifier_put_result res;
    struct odp_key_info info;
    struct flow_key key;
    struct flow_mask mask;

    assert_true(r->install);
    assert_int_equal(odp_key_parse(r->key_nl, r->key_nl_len, &key, &info, NULL), 0);
    assert_int_equal(odp_mask_parse(r->mask_nl, r->mask_nl_len, &info, &mask, NULL), 0);
    memset(&put, 0, sizeof put);
    put.key = &key;
    put.mask = &mask;
    put.actions = r->d.actions_len ? (const void *) r->d.actions : "";
    put.actions_len = r->d.actions_len;
    put.key_nl = r->key_nl;
    put.key_nl_len = r->key_nl_len;
    put.mask_nl = r->mask_nl;
    put.mask_nl_len = r->mask_nl_len;
    put.flags = CLASSIFIER_PUT_CREATE;
    assert_int_equal(classifier_put(fx->cls, &put, &res, NULL), 0);
    if (fx->rv) {
        revalidator_flow_added(fx->rv, res.flow, now_ms);
    }
    return res.flow;
}

/* An upcall for dst <- src on in_port at now_ms, handled and, if asked,
 * installed.  Returns the flow or NULL. */
static struct classifier_flow *
frame(struct fx *fx, const uint8_t dst[6], const uint8_t src[6], uint16_t tpid, uint16_t tci,
      uint32_t in_port, uint64_t now_ms)
{
    size_t n = make_upcall(dst, src, tpid, tci, in_port);

    assert_int_equal(l2switch_handle_upcall(fx->sw, msg_buf, n, now_ms, &fx->r), 0);
    return fx->r.install ? put_result(fx, now_ms) : NULL;
}

/* A frame whose flow is not wanted: learning only. */
static void
learn(struct fx *fx, const uint8_t src[6], uint32_t in_port, uint64_t now_ms)
{
    size_t n = make_upcall(bcast, src, 0, 0, in_port);

    assert_int_equal(l2switch_handle_upcall(fx->sw, msg_buf, n, now_ms, &fx->r), 0);
}

static void
traffic(struct classifier_flow *flow, uint64_t at_ms)
{
    classifier_flow_stats_add(flow, 0, 1, 64, 0, at_ms * 1000000);
}

/* Actions of a flow against a spec as in test_l2switch.c. */
static void
assert_flow_actions(const struct classifier_flow *flow, const char *spec)
{
    static uint8_t buf[4096] __attribute__((aligned(8)));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    const struct classifier_actions *a = classifier_flow_actions(flow);
    char copy[512], *tok, *save = NULL;

    snprintf(copy, sizeof copy, "%s", spec);
    for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        unsigned int x;

        if (sscanf(tok, "out:%u", &x) == 1) {
            assert_int_equal(odp_actions_put_output(nlh, sizeof buf, x), 0);
        } else if (!strcmp(tok, "pop")) {
            assert_int_equal(odp_actions_put_pop_vlan(nlh, sizeof buf), 0);
        } else {
            fail_msg("bad spec %s", tok);
        }
    }
    assert_int_equal(a->len, nlh->nlmsg_len - MNL_NLMSG_HDRLEN);
    if (a->len) {
        assert_memory_equal(a->data, buf + MNL_NLMSG_HDRLEN, a->len);
    }
}

static bool
flow_alive(const struct classifier_flow *flow)
{
    return !classifier_flow_is_dead(flow);
}

/* Runs passes until none is due at now_ms (kicks included). */
static void
run_all(struct fx *fx, uint64_t now_ms)
{
    for (int i = 0; i < 1000 && revalidator_run(fx->rv, now_ms) == 0; i++) {
        continue;
    }
}

static struct fx *
fx_new(uint32_t max_flows, const struct revalidator_config *rcfg, uint32_t mac_aging,
       unsigned int n_ports)
{
    struct l2switch_config scfg = { .name = "br0", .mac_aging = mac_aging };
    struct revalidator_config def = { .interval_ms = 500 };
    struct fx *fx = calloc(1, sizeof *fx);

    assert_non_null(fx);
    assert_int_equal(classifier_create(1, max_flows, &fx->cls, NULL), 0);
    assert_int_equal(l2switch_create(&scfg, &fx->sw, NULL), 0);
    for (uint32_t p = 1; p <= n_ports; p++) {
        assert_int_equal(l2switch_port_set(fx->sw, p, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    }
    def.max_flows = max_flows;
    assert_int_equal(revalidator_create(rcfg ? rcfg : &def, fx->cls, fx->sw, NULL, NULL,
                                        &fx->rv, NULL), 0);
    l2switch_result_init(&fx->r);
    return fx;
}

static void
fx_free(struct fx *fx)
{
    revalidator_destroy(fx->rv);
    l2switch_result_uninit(&fx->r);
    l2switch_destroy(fx->sw);
    classifier_destroy(fx->cls);
    free(fx);
}

static int
group_setup(void **state)
{
    (void) state;
    rcu_register_thread();
    return 0;
}

static int
group_teardown(void **state)
{
    (void) state;
    rcu_unregister_thread();
    return 0;
}

/* ---------------------------------------------------------------- idle */

static void
test_idle_flows_deleted(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct classifier_flow *unused, *busy;
    struct revalidator_stats st;

    (void) state;
    unused = frame(fx, MAC(2), MAC(1), 0, 0, 1, 0);
    busy = frame(fx, MAC(1), MAC(2), 0, 0, 2, 0);
    run_all(fx, 0);
    run_all(fx, 5000);
    traffic(busy, 8000);
    run_all(fx, 10000);
    assert_true(flow_alive(unused));
    /* Never used: idle since its creation. */
    run_all(fx, 10500);
    assert_false(flow_alive(unused));
    assert_true(flow_alive(busy));
    run_all(fx, 18001);
    assert_false(flow_alive(busy));
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.idle_deleted, 2);
    assert_int_equal(st.n_flows, 0);
    assert_int_equal(st.max_idle_ms, 10000);
    fx_free(fx);
}

static void
test_flow_first_seen_by_a_pass(void **state)
{
    struct revalidator_config rcfg = { .idle_timeout_ms = 1000, .max_flows = 100 };
    struct fx *fx = fx_new(100, &rcfg, 0, 2);
    struct classifier_flow *flow;
    struct revalidator *rv = fx->rv;

    (void) state;
    /* Put without telling the revalidator: it ages from the pass that
     * first sees it. */
    fx->rv = NULL;
    flow = frame(fx, MAC(2), MAC(1), 0, 0, 1, 0);
    fx->rv = rv;
    run_all(fx, 5000);
    assert_true(flow_alive(flow));
    run_all(fx, 5600);
    assert_true(flow_alive(flow));
    run_all(fx, 6200);
    assert_false(flow_alive(flow));
    fx_free(fx);
}

static void
test_flow_limit_shrinks_idle_timeout(void **state)
{
    struct revalidator_config rcfg = { .interval_ms = 100, .max_flows = 16 };
    struct fx *fx = fx_new(16, &rcfg, 0, 2);
    struct classifier_flow *fresh;
    struct revalidator_stats st;

    (void) state;
    for (uint8_t i = 1; i <= 15; i++) {
        frame(fx, MAC(200), MAC(i), 0, 0, 1, 0);
    }
    run_all(fx, 0);
    assert_true(revalidator_may_install(fx->rv));
    run_all(fx, 150);
    assert_int_equal(classifier_count(fx->cls), 15);
    /* At the limit: no more installs, and idle flows go after 100 ms. */
    fresh = frame(fx, MAC(200), MAC(16), 0, 0, 1, 250);
    assert_false(revalidator_may_install(fx->rv));
    run_all(fx, 300);
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.flow_limit, 16);
    assert_int_equal(st.max_idle_ms, 100);
    assert_int_equal(classifier_count(fx->cls), 1);
    assert_true(flow_alive(fresh));
    assert_true(revalidator_may_install(fx->rv));
    /* Back under the limit: the configured timeout again. */
    run_all(fx, 400);
    assert_true(flow_alive(fresh));
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.max_idle_ms, 10000);
    fx_free(fx);
}

static void
test_twice_the_limit_kills_all(void **state)
{
    struct revalidator_config rcfg = { .max_flows = 8 };
    struct fx *fx = fx_new(100, &rcfg, 0, 2);
    struct revalidator_stats st;

    (void) state;
    for (uint8_t i = 1; i <= 17; i++) {
        frame(fx, MAC(200), MAC(i), 0, 0, 1, 0);
    }
    run_all(fx, 0);
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.flow_limit, 8);
    /* Above twice the limit when the batch started: the batch deletes
     * every flow it visits (reassessed for the next batch, as OVS). */
    assert_int_equal(st.limit_deleted, 17);
    assert_int_equal(classifier_count(fx->cls), 0);
    fx_free(fx);
}

/* ---------------------------------------------------------------- rechecks */

static void
test_station_move_fixes_flows(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct classifier_flow *to_a, *from_3_to_a, *to_b;
    struct revalidator_stats before, st;

    (void) state;
    learn(fx, MAC(0xa), 1, 0);
    learn(fx, MAC(0xb), 2, 0);
    to_a = frame(fx, MAC(0xa), MAC(0xb), 0, 0, 2, 0);
    assert_flow_actions(to_a, "out:1");
    from_3_to_a = frame(fx, MAC(0xa), MAC(0xc), 0, 0, 3, 0);
    assert_flow_actions(from_3_to_a, "out:1");
    to_b = frame(fx, MAC(0xb), MAC(0xa), 0, 0, 1, 0);
    run_all(fx, 0);
    revalidator_get_stats(fx->rv, &before);

    /* A moves to port 3: the next pass starts at once and fixes the flows
     * to A, without waiting for the interval. */
    learn(fx, MAC(0xa), 3, 100);
    assert_int_equal(revalidator_run(fx->rv, 100), 500);
    assert_flow_actions(to_a, "out:3");
    /* From port 3 to A, now on port 3: a drop. */
    assert_flow_actions(from_3_to_a, "");
    /* Flows not to A were not decided again. */
    assert_flow_actions(to_b, "out:2");
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.modified - before.modified, 2);
    assert_int_equal(st.rechecked - before.rechecked, 2);
    assert_int_equal(st.full_rechecks, before.full_rechecks);
    fx_free(fx);
}

static void
test_new_station_turns_flood_into_unicast(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct classifier_flow *flood;

    (void) state;
    flood = frame(fx, MAC(0xb), MAC(0xa), 0, 0, 1, 0);
    assert_flow_actions(flood, "out:2 out:3");
    run_all(fx, 0);
    learn(fx, MAC(0xb), 2, 10);
    run_all(fx, 10);
    assert_flow_actions(flood, "out:2");
    /* B ages out: flooding again after the pass that expires it (traffic
     * keeps the flow from idling out). */
    traffic(flood, 300000);
    run_all(fx, 300010);
    assert_int_equal(l2switch_mac_lookup(fx->sw, MAC(0xb), 0, 300010), -1);
    assert_true(flow_alive(flood));
    assert_flow_actions(flood, "out:2 out:3");
    fx_free(fx);
}

static void
test_port_change_rechecks_every_flow(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct classifier_flow *flood;
    struct revalidator_stats st;

    (void) state;
    flood = frame(fx, bcast, MAC(0xa), 0, 0, 1, 0);
    run_all(fx, 0);
    assert_int_equal(l2switch_port_set(fx->sw, 4, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    run_all(fx, 1);
    assert_flow_actions(flood, "out:2 out:3 out:4");
    l2switch_port_del(fx->sw, 2);
    run_all(fx, 2);
    assert_flow_actions(flood, "out:3 out:4");
    revalidator_get_stats(fx->rv, &st);
    assert_true(st.full_rechecks >= 2);
    fx_free(fx);
}

static void
test_vlan_change_deletes_too_wide_flow(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 2);
    struct config_vlan_set t1020;
    struct classifier_flow *drop;
    struct revalidator_stats st;

    (void) state;
    assert_int_equal(config_vlan_set_parse("10,20", &t1020, NULL), 0);
    assert_int_equal(l2switch_port_set(fx->sw, 1, CONFIG_VLAN_TRUNK, 0, &t1020, NULL), 0);
    drop = frame(fx, bcast, MAC(0xa), 0x8100, 30, 1, 0);
    assert_int_equal(fx->r.d.verdict, L2SWITCH_DROP_VLAN);
    run_all(fx, 0);
    assert_true(flow_alive(drop));
    /* Now VLAN 30 is carried: that one flow for every station would hide
     * addresses the new decision reads, so it goes. */
    assert_int_equal(l2switch_port_set(fx->sw, 1, CONFIG_VLAN_TRUNK, 0, NULL, NULL), 0);
    run_all(fx, 1);
    assert_false(flow_alive(drop));
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.recheck_deleted, 1);
    fx_free(fx);
}

static void
test_flow_stats_keep_mac_learned(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 15, 2);
    struct classifier_flow *flow;
    struct revalidator_stats st;

    (void) state;
    learn(fx, MAC(0xb), 2, 0);
    flow = frame(fx, MAC(0xb), MAC(0xa), 0, 0, 1, 0);
    learn(fx, MAC(0xc), 2, 0);      /* no traffic after this */
    run_all(fx, 0);
    /* A sends only through its megaflow: the upcall path never sees it
     * again, the flow statistics do. */
    for (uint64_t t = 5000; t <= 40000; t += 5000) {
        traffic(flow, t);
        run_all(fx, t);
    }
    assert_int_equal(l2switch_mac_lookup(fx->sw, MAC(0xa), 0, 40000), 1);
    assert_int_equal(l2switch_mac_lookup(fx->sw, MAC(0xc), 0, 40000), -1);
    assert_true(flow_alive(flow));
    revalidator_get_stats(fx->rv, &st);
    assert_true(st.macs_touched >= 8);
    fx_free(fx);
}

/* ---------------------------------------------------------------- mechanics */

static void
test_bounded_work_per_call(void **state)
{
    struct revalidator_config rcfg = { .batch = 10, .max_flows = 1000 };
    struct fx *fx = fx_new(1000, &rcfg, 0, 2);
    struct revalidator_stats st;
    uint64_t before;

    (void) state;
    for (uint8_t i = 1; i <= 35; i++) {
        frame(fx, MAC(200), MAC(i), 0, 0, 1, 0);
    }
    run_all(fx, 0);
    revalidator_get_stats(fx->rv, &st);
    before = st.flows_visited;
    revalidator_kick(fx->rv);
    assert_int_equal(revalidator_run(fx->rv, 1), 0);
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.flows_visited - before, 10);
    assert_int_equal(revalidator_run(fx->rv, 1), 0);
    assert_int_equal(revalidator_run(fx->rv, 1), 0);
    /* A flow deleted by someone else during the pass is skipped. */
    {
        struct classifier_dump d;
        struct classifier_flow *last = NULL, *f;

        classifier_dump_start(fx->cls, &d);
        while ((f = classifier_dump_next(&d))) {
            last = f;
        }
        classifier_dump_done(&d);
        classifier_del(fx->cls, last, NULL);
    }
    /* The last 4: the pass ends and the next is due at 1 + 500. */
    assert_int_equal(revalidator_run(fx->rv, 1), 500);
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.flows_visited - before, 34);
    /* Not due yet: nothing is done. */
    assert_int_equal(revalidator_run(fx->rv, 100), 401);
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.flows_visited - before, 34);
    fx_free(fx);
}

struct ops_log {
    struct classifier *cls;
    unsigned int dels, mods;
};

static void
ops_del(void *aux, struct classifier_flow *flow)
{
    struct ops_log *log = aux;

    log->dels++;
    classifier_del(log->cls, flow, NULL);
}

static int
ops_modify(void *aux, struct classifier_flow *flow, const void *actions, size_t len)
{
    struct ops_log *log = aux;
    struct classifier_put put;
    struct classifier_put_result res;

    log->mods++;
    memset(&put, 0, sizeof put);
    put.key = classifier_flow_key(flow);
    put.mask = classifier_flow_mask(flow);
    put.actions = len ? actions : "";
    put.actions_len = len;
    put.flags = CLASSIFIER_PUT_MODIFY;
    return classifier_put(log->cls, &put, &res, NULL);
}

static void
test_ops_hooks(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct ops_log log = { 0 };
    struct revalidator_ops ops = { ops_del, ops_modify, &log };
    struct revalidator_config rcfg = { .max_flows = 1000 };
    struct classifier_flow *to_a;

    (void) state;
    revalidator_destroy(fx->rv);
    log.cls = fx->cls;
    assert_int_equal(revalidator_create(&rcfg, fx->cls, fx->sw, &ops, NULL, &fx->rv, NULL), 0);
    learn(fx, MAC(0xa), 1, 0);
    to_a = frame(fx, MAC(0xa), MAC(0xb), 0, 0, 2, 0);
    run_all(fx, 0);
    learn(fx, MAC(0xa), 3, 1);
    run_all(fx, 1);
    assert_int_equal(log.mods, 1);
    assert_flow_actions(to_a, "out:3");
    run_all(fx, 20000);
    assert_int_equal(log.dels, 1);
    assert_false(flow_alive(to_a));
    fx_free(fx);
}

static void
test_without_l2switch_only_ages(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct revalidator_config rcfg = { .max_flows = 1000 };
    struct classifier_flow *to_a;
    struct revalidator_stats st;

    (void) state;
    revalidator_destroy(fx->rv);
    assert_int_equal(revalidator_create(&rcfg, fx->cls, NULL, NULL, NULL, &fx->rv, NULL), 0);
    learn(fx, MAC(0xa), 1, 0);
    to_a = frame(fx, MAC(0xa), MAC(0xb), 0, 0, 2, 0);
    run_all(fx, 0);
    learn(fx, MAC(0xa), 3, 1);
    run_all(fx, 600);
    assert_flow_actions(to_a, "out:1");
    run_all(fx, 10001);
    assert_false(flow_alive(to_a));
    revalidator_get_stats(fx->rv, &st);
    assert_int_equal(st.rechecked, 0);
    fx_free(fx);
}

static uint64_t
mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static void
test_libevent_timer_and_kick(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 3);
    struct revalidator_config rcfg = { .idle_timeout_ms = 100, .interval_ms = 20,
                                       .max_flows = 1000 };
    struct event_base *base = event_base_new();
    struct classifier_flow *to_a;
    uint64_t start;

    (void) state;
    assert_non_null(base);
    revalidator_destroy(fx->rv);
    assert_int_equal(revalidator_create(&rcfg, fx->cls, fx->sw, NULL, base, &fx->rv, NULL), 0);
    learn(fx, MAC(0xa), 1, mono_ms());
    to_a = frame(fx, MAC(0xa), MAC(0xb), 0, 0, 2, mono_ms());
    /* The move kicks the revalidator: one loop turn fixes the flow. */
    learn(fx, MAC(0xa), 3, mono_ms());
    event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    assert_flow_actions(to_a, "out:3");
    /* The timer ages it out on its own. */
    start = mono_ms();
    while (flow_alive(to_a) && mono_ms() - start < 2000) {
        event_base_loop(base, EVLOOP_ONCE);
    }
    assert_false(flow_alive(to_a));
    revalidator_destroy(fx->rv);
    fx->rv = NULL;
    event_base_free(base);
    fx_free(fx);
}

static void
test_show(void **state)
{
    struct fx *fx = fx_new(1000, NULL, 0, 2);
    struct strbuf sb;

    (void) state;
    strbuf_init(&sb);
    frame(fx, MAC(2), MAC(1), 0, 0, 1, 0);
    run_all(fx, 0);
    revalidator_show(fx->rv, false, &sb);
    assert_non_null(strstr(strbuf_cstr(&sb), "flows         : (current 1) (limit 1000)"));
    strbuf_reset(&sb);
    revalidator_show(fx->rv, true, &sb);
    assert_non_null(strstr(strbuf_cstr(&sb), "{\"flows\":1,\"flow_limit\":1000,"));
    strbuf_free(&sb);
    fx_free(fx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_flows_deleted),
        cmocka_unit_test(test_flow_first_seen_by_a_pass),
        cmocka_unit_test(test_flow_limit_shrinks_idle_timeout),
        cmocka_unit_test(test_twice_the_limit_kills_all),
        cmocka_unit_test(test_station_move_fixes_flows),
        cmocka_unit_test(test_new_station_turns_flood_into_unicast),
        cmocka_unit_test(test_port_change_rechecks_every_flow),
        cmocka_unit_test(test_vlan_change_deletes_too_wide_flow),
        cmocka_unit_test(test_flow_stats_keep_mac_learned),
        cmocka_unit_test(test_bounded_work_per_call),
        cmocka_unit_test(test_ops_hooks),
        cmocka_unit_test(test_without_l2switch_only_ages),
        cmocka_unit_test(test_libevent_timer_and_kick),
        cmocka_unit_test(test_show),
    };

    return cmocka_run_group_tests_name("revalidator", tests, group_setup, group_teardown);
}
