/* classifier: every writer operation and error, lookups, ranking, dumps,
 * statistics.  Single-threaded; test_classifier_stress.c runs readers
 * against a writer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <urcu-qsbr.h>

#include "classifier.h"

#ifdef CLASSIFIER_TSAN
/* liburcu is not TSan-instrumented: the same narrow suppressions as
 * tests/tsan.supp (see there why), built in so that a TSan build's test run
 * needs no TSAN_OPTIONS. */
const char *__tsan_default_suppressions(void);

const char *
__tsan_default_suppressions(void)
{
    return "called_from_lib:liburcu-qsbr.so\n"
           "called_from_lib:liburcu-common.so\n"
           "called_from_lib:liburcu-cds.so\n";
}
#endif

#define N_WORKERS 3

struct fixture {
    struct classifier *cls;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    if (!fx || classifier_create(N_WORKERS, 100000, &fx->cls, NULL)) {
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    classifier_destroy(fx->cls);
    free(fx);
    return 0;
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

/* ---------------------------------------------------------------- helpers */

static void
mask_in_port(struct flow_mask *m)
{
    memset(m, 0, sizeof *m);
    m->m.in_port = UINT32_MAX;
}

static void
mask_in_port_eth_dst(struct flow_mask *m)
{
    mask_in_port(m);
    memset(m->m.eth_dst, 0xff, 6);
}

static void
mask_nw_dst(struct flow_mask *m, int prefix)
{
    memset(m, 0, sizeof *m);
    m->m.eth_type = htons(0xffff);
    m->m.nw_dst = prefix ? htonl(~0u << (32 - prefix)) : 0;
}

static void
key_ip(struct flow_key *k, uint32_t in_port, uint32_t nw_dst)
{
    memset(k, 0, sizeof *k);
    k->in_port = in_port;
    k->eth_type = htons(0x0800);
    k->nw_dst = htonl(nw_dst);
    k->nw_src = htonl(0x0a000001);
    k->tp_src = htons(1234);
    k->eth_dst[5] = (uint8_t) in_port;
}

static struct ufid
make_ufid(uint32_t n)
{
    struct ufid u = { { n, 0x12345678, ~n, 42 } };

    return u;
}

static int
put(struct classifier *cls, const struct flow_key *k, const struct flow_mask *m,
    const struct ufid *ufid, const char *actions, unsigned int flags,
    struct classifier_put_result *res, struct xsw_err *err)
{
    struct classifier_put p = {
        .key = k, .mask = m, .ufid = ufid,
        .actions = actions, .actions_len = actions ? strlen(actions) : 0,
        .flags = flags,
    };
    struct classifier_put_result r;

    return classifier_put(cls, &p, res ? res : &r, err);
}

static struct classifier_flow *
add(struct classifier *cls, const struct flow_key *k, const struct flow_mask *m,
    const struct ufid *ufid, const char *actions)
{
    struct classifier_put_result r;
    struct xsw_err err = { "" };

    assert_int_equal(put(cls, k, m, ufid, actions, CLASSIFIER_PUT_CREATE, &r, &err), 0);
    assert_true(r.created);
    assert_non_null(r.flow);
    return r.flow;
}

static bool
actions_are(const struct classifier_flow *f, const char *s)
{
    const struct classifier_actions *a = classifier_flow_actions(f);

    return a->len == strlen(s) && !memcmp(a->data, s, a->len);
}

/* ---------------------------------------------------------------- create */

static void
test_create_errors(void **state)
{
    struct classifier *cls = (void *) 1;
    struct xsw_err err = { "" };

    (void) state;
    assert_int_equal(classifier_create(0, 10, &cls, &err), -EINVAL);
    assert_null(cls);
    assert_non_null(strstr(err.msg, "workers"));
    assert_int_equal(classifier_create(1025, 10, &cls, &err), -EINVAL);
    assert_int_equal(classifier_create(1, 0, &cls, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "max_flows"));
    assert_int_equal(classifier_create(1, 1, &cls, &err), 0);
    assert_non_null(cls);
    assert_int_equal(classifier_count(cls), 0);
    classifier_destroy(cls);
    classifier_destroy(NULL);
}

static void
test_lookup_empty(void **state)
{
    struct fixture *fx = *state;
    struct flow_key k;

    key_ip(&k, 1, 0x0a000002);
    assert_null(classifier_lookup(fx->cls, 0, &k));
}

/* ---------------------------------------------------------------- put, lookup */

static void
test_put_and_lookup(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k, pkt;
    struct classifier_flow *f;

    mask_in_port(&m);
    key_ip(&k, 7, 0x0a000002);
    f = add(fx->cls, &k, &m, NULL, "out:1");
    assert_int_equal(classifier_count(fx->cls), 1);
    assert_int_equal(classifier_n_subtables(fx->cls), 1);

    /* Stored masked, with the mask. */
    assert_int_equal(classifier_flow_key(f)->in_port, 7);
    assert_int_equal(classifier_flow_key(f)->nw_dst, 0);
    assert_memory_equal(classifier_flow_mask(f), &m, sizeof m);
    assert_null(classifier_flow_ufid(f));
    assert_true(actions_are(f, "out:1"));
    assert_true(classifier_flow_live_gen(f) != 0);
    assert_false(classifier_flow_is_dead(f));

    /* Unmasked fields do not matter; masked ones do. */
    key_ip(&pkt, 7, 0x01020304);
    pkt.tp_dst = htons(99);
    for (unsigned int w = 0; w < N_WORKERS; w++) {
        assert_ptr_equal(classifier_lookup(fx->cls, w, &pkt), f);
    }
    pkt.in_port = 8;
    assert_null(classifier_lookup(fx->cls, 0, &pkt));
}

static void
test_put_masks_key_and_partial_word(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k, pkt;
    struct classifier_flow *f;

    mask_nw_dst(&m, 24);
    key_ip(&k, 1, 0x0a0b0c0d);
    f = add(fx->cls, &k, &m, NULL, "");
    assert_int_equal(ntohl(classifier_flow_key(f)->nw_dst), 0x0a0b0c00);
    assert_int_equal(classifier_flow_key(f)->in_port, 0);

    key_ip(&pkt, 99, 0x0a0b0cff);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &pkt), f);
    key_ip(&pkt, 99, 0x0a0b0d00);
    assert_null(classifier_lookup(fx->cls, 0, &pkt));
    pkt.nw_dst = htonl(0x0a0b0c01);
    pkt.eth_type = htons(0x86dd);
    assert_null(classifier_lookup(fx->cls, 0, &pkt));
    assert_true(actions_are(f, ""));
}

static void
test_catch_all_mask(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f;
    struct xsw_err err;

    memset(&m, 0, sizeof m);
    key_ip(&k, 3, 4);
    f = add(fx->cls, &k, &m, NULL, "drop");
    key_ip(&k, 5, 6);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), f);
    /* Any key masks to the same all-zero key. */
    assert_int_equal(put(fx->cls, &k, &m, NULL, "x", CLASSIFIER_PUT_CREATE, NULL, &err),
                     -EEXIST);
}

static void
test_put_ufid_get_by_ufid_and_key(void **state)
{
    struct fixture *fx = *state;
    struct ufid u = make_ufid(1), other = make_ufid(2);
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f;

    mask_in_port_eth_dst(&m);
    key_ip(&k, 4, 1);
    f = add(fx->cls, &k, &m, &u, "a");
    assert_non_null(classifier_flow_ufid(f));
    assert_true(ufid_equal(classifier_flow_ufid(f), &u));
    assert_ptr_equal(classifier_get_by_ufid(fx->cls, &u), f);
    assert_null(classifier_get_by_ufid(fx->cls, &other));
    assert_ptr_equal(classifier_get_by_key(fx->cls, &k, &m), f);
    assert_ptr_equal(classifier_get_by_key(fx->cls, &k, NULL), f);

    /* Exact get wants the same mask. */
    mask_in_port(&m);
    assert_null(classifier_get_by_key(fx->cls, &k, &m));
    k.in_port = 5;
    assert_null(classifier_get_by_key(fx->cls, &k, NULL));
}

static void
test_put_errors(void **state)
{
    struct fixture *fx = *state;
    struct ufid u1 = make_ufid(1), u2 = make_ufid(2);
    struct flow_mask m, m2;
    struct flow_key k, k2;
    struct classifier_put p;
    struct classifier_put_result r;
    struct xsw_err err = { "" };

    mask_in_port(&m);
    key_ip(&k, 1, 1);

    /* No flag, no key. */
    assert_int_equal(put(fx->cls, &k, &m, NULL, "a", 0, &r, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "neither"));
    memset(&p, 0, sizeof p);
    p.mask = &m;
    p.flags = CLASSIFIER_PUT_CREATE;
    assert_int_equal(classifier_put(fx->cls, &p, &r, &err), -EINVAL);

    /* Modify of nothing. */
    assert_int_equal(put(fx->cls, &k, &m, &u1, "a", CLASSIFIER_PUT_MODIFY, &r, &err),
                     -ENOENT);
    assert_non_null(strstr(err.msg, "no such flow"));
    assert_int_equal(classifier_count(fx->cls), 0);

    add(fx->cls, &k, &m, &u1, "a");

    /* Create again, by UFID and by key. */
    assert_int_equal(put(fx->cls, &k, &m, &u1, "b", CLASSIFIER_PUT_CREATE, &r, &err),
                     -EEXIST);
    assert_int_equal(put(fx->cls, &k, &m, NULL, "b", CLASSIFIER_PUT_CREATE, &r, &err),
                     -EEXIST);

    /* Another UFID over the same mask and masked key: rejected whatever the
     * flags, and the message names the flow in the way. */
    k2 = k;
    k2.nw_dst = htonl(77);          /* not in the mask */
    assert_int_equal(put(fx->cls, &k2, &m, &u2, "b",
                         CLASSIFIER_PUT_CREATE | CLASSIFIER_PUT_MODIFY, &r, &err),
                     -EEXIST);
    assert_non_null(strstr(err.msg, "same mask and key"));
    assert_non_null(strstr(err.msg, "ufid:00000001-1234-5678"));
    assert_int_equal(put(fx->cls, &k2, &m, &u2, "b", CLASSIFIER_PUT_MODIFY, &r, &err),
                     -EEXIST);

    /* The UFID names a flow with another match. */
    mask_in_port_eth_dst(&m2);
    assert_int_equal(put(fx->cls, &k, &m2, &u1, "b", CLASSIFIER_PUT_MODIFY, &r, &err),
                     -EINVAL);
    assert_non_null(strstr(err.msg, "different key or mask"));
    assert_int_equal(put(fx->cls, &k, &m2, &u1, "b", CLASSIFIER_PUT_CREATE, &r, &err),
                     -EEXIST);
    k2.in_port = 2;
    assert_int_equal(put(fx->cls, &k2, &m, &u1, "b", CLASSIFIER_PUT_MODIFY, &r, &err),
                     -EINVAL);

    assert_int_equal(classifier_count(fx->cls), 1);
    assert_true(actions_are(classifier_get_by_ufid(fx->cls, &u1), "a"));
}

static void
test_put_overlap_without_ufid(void **state)
{
    struct fixture *fx = *state;
    struct ufid u = make_ufid(9);
    struct flow_mask m;
    struct flow_key k;
    struct xsw_err err = { "" };

    mask_in_port(&m);
    key_ip(&k, 1, 1);
    add(fx->cls, &k, &m, NULL, "a");
    assert_int_equal(put(fx->cls, &k, &m, &u, "b", CLASSIFIER_PUT_CREATE, NULL, &err),
                     -EEXIST);
    assert_non_null(strstr(err.msg, "without UFID"));
}

static void
test_max_flows(void **state)
{
    struct classifier *cls;
    struct flow_mask m;
    struct flow_key k;
    struct xsw_err err = { "" };
    struct classifier_flow *f;

    (void) state;
    assert_int_equal(classifier_create(1, 3, &cls, NULL), 0);
    mask_in_port(&m);
    for (uint32_t i = 0; i < 3; i++) {
        key_ip(&k, i, 0);
        add(cls, &k, &m, NULL, "a");
    }
    key_ip(&k, 3, 0);
    assert_int_equal(put(cls, &k, &m, NULL, "a", CLASSIFIER_PUT_CREATE, NULL, &err),
                     -ENOSPC);
    assert_non_null(strstr(err.msg, "flow table full"));
    assert_non_null(strstr(err.msg, "3"));
    assert_int_equal(classifier_count(cls), 3);

    /* A modify is not an addition. */
    key_ip(&k, 0, 0);
    assert_int_equal(put(cls, &k, &m, NULL, "b", CLASSIFIER_PUT_MODIFY, NULL, &err), 0);

    /* Room again after a delete. */
    f = classifier_get_by_key(cls, &k, &m);
    classifier_del(cls, f, NULL);
    key_ip(&k, 3, 0);
    add(cls, &k, &m, NULL, "a");
    classifier_destroy(cls);
}

/* ---------------------------------------------------------------- modify */

static void
test_modify_actions(void **state)
{
    struct fixture *fx = *state;
    struct ufid u = make_ufid(5);
    struct flow_mask m;
    struct flow_key k, k2;
    struct classifier_flow *f;
    struct classifier_put_result r;
    const struct classifier_actions *old;
    uint64_t gen;

    mask_in_port(&m);
    key_ip(&k, 1, 1);
    f = add(fx->cls, &k, &m, &u, "first");
    gen = classifier_flow_live_gen(f);
    old = classifier_flow_actions(f);

    /* By UFID: the key may differ outside the mask. */
    k2 = k;
    k2.nw_src = htonl(99);
    assert_int_equal(put(fx->cls, &k2, &m, &u, "second", CLASSIFIER_PUT_MODIFY, &r, NULL),
                     0);
    assert_ptr_equal(r.flow, f);
    assert_false(r.created);
    assert_true(actions_are(f, "second"));
    assert_ptr_not_equal(classifier_flow_actions(f), old);
    assert_int_equal(classifier_flow_live_gen(f), gen);

    /* NULL actions keep them. */
    assert_int_equal(put(fx->cls, &k, &m, &u, NULL, CLASSIFIER_PUT_MODIFY, &r, NULL), 0);
    assert_true(actions_are(f, "second"));

    /* Without UFID, by mask and masked key, even though the flow has one. */
    assert_int_equal(put(fx->cls, &k, &m, NULL, "third",
                         CLASSIFIER_PUT_CREATE | CLASSIFIER_PUT_MODIFY, &r, NULL), 0);
    assert_ptr_equal(r.flow, f);
    assert_false(r.created);
    assert_true(actions_are(f, "third"));

    /* Empty (non-NULL) actions replace. */
    {
        struct classifier_put p = {
            .key = &k, .mask = &m, .actions = "", .actions_len = 0,
            .flags = CLASSIFIER_PUT_MODIFY,
        };

        assert_int_equal(classifier_put(fx->cls, &p, &r, NULL), 0);
        assert_int_equal(classifier_flow_actions(f)->len, 0);
    }
    assert_int_equal(classifier_count(fx->cls), 1);
}

static void
test_modify_stats(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f;
    struct classifier_put_result r;
    struct classifier_stats st;

    mask_in_port(&m);
    key_ip(&k, 1, 1);
    f = add(fx->cls, &k, &m, NULL, "a");
    classifier_flow_stats_add(f, 0, 2, 200, 0x02, 1000);
    classifier_flow_stats_add(f, 2, 3, 300, 0x10, 900);

    /* Modify without clearing returns and keeps the counts. */
    assert_int_equal(put(fx->cls, &k, &m, NULL, "b", CLASSIFIER_PUT_MODIFY, &r, NULL), 0);
    assert_int_equal(r.stats.packets, 5);
    assert_int_equal(r.stats.bytes, 500);
    classifier_flow_get_stats(f, &st);
    assert_int_equal(st.packets, 5);

    /* Clearing returns the counts before, then starts from zero. */
    assert_int_equal(put(fx->cls, &k, &m, NULL, NULL,
                         CLASSIFIER_PUT_MODIFY | CLASSIFIER_PUT_ZERO_STATS, &r, NULL), 0);
    assert_int_equal(r.stats.packets, 5);
    assert_int_equal(r.stats.tcp_flags, 0x12);
    assert_int_equal(r.stats.used_ns, 1000);
    classifier_flow_get_stats(f, &st);
    assert_int_equal(st.packets, 0);
    assert_int_equal(st.bytes, 0);
    assert_int_equal(st.used_ns, 0);
    assert_int_equal(st.tcp_flags, 0);

    /* Workers that counted before the clear start over. */
    classifier_flow_stats_add(f, 2, 1, 60, 0x01, 2000);
    classifier_flow_get_stats(f, &st);
    assert_int_equal(st.packets, 1);
    assert_int_equal(st.bytes, 60);
    assert_int_equal(st.tcp_flags, 0x01);
    assert_int_equal(st.used_ns, 2000);
    assert_true(actions_are(f, "b"));
}

static void
test_stats_per_worker(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f;
    struct classifier_stats st;

    mask_in_port(&m);
    key_ip(&k, 1, 1);
    f = add(fx->cls, &k, &m, NULL, "a");
    classifier_flow_get_stats(f, &st);
    assert_int_equal(st.packets, 0);
    assert_int_equal(st.used_ns, 0);

    for (unsigned int w = 0; w < N_WORKERS; w++) {
        for (int i = 0; i < 10; i++) {
            classifier_flow_stats_add(f, w, 1, 100 + w, (uint16_t) (1u << w), 50 + w * 10 + i);
        }
    }
    classifier_flow_get_stats(f, &st);
    assert_int_equal(st.packets, 10 * N_WORKERS);
    assert_int_equal(st.bytes, 10 * (100 + 101 + 102));
    assert_int_equal(st.tcp_flags, 0x7);
    assert_int_equal(st.used_ns, 50 + 20 + 9);

    /* Each worker's slot is its own cache line. */
    assert_int_equal(sizeof f->stats[0], 64);
    assert_int_equal(((uintptr_t) &f->stats[1]) % 64, 0);
}

/* ---------------------------------------------------------------- delete */

static void
test_del_by_ufid_and_key(void **state)
{
    struct fixture *fx = *state;
    struct ufid u = make_ufid(3);
    struct flow_mask m;
    struct flow_key k1, k2;
    struct classifier_flow *f1, *f2;
    struct classifier_stats st;
    struct xsw_err err = { "" };

    mask_in_port(&m);
    key_ip(&k1, 1, 1);
    key_ip(&k2, 2, 2);
    f1 = add(fx->cls, &k1, &m, &u, "a");
    f2 = add(fx->cls, &k2, &m, NULL, "b");
    classifier_flow_stats_add(f1, 1, 4, 400, 0, 77);

    assert_int_equal(classifier_del_by_ufid(fx->cls, &u, &st, &err), 0);
    assert_int_equal(st.packets, 4);
    assert_int_equal(st.bytes, 400);
    assert_true(classifier_flow_is_dead(f1));   /* readable until a grace period */
    assert_null(classifier_lookup(fx->cls, 0, &k1));
    assert_null(classifier_get_by_ufid(fx->cls, &u));
    assert_int_equal(classifier_del_by_ufid(fx->cls, &u, NULL, &err), -ENOENT);
    assert_non_null(strstr(err.msg, "no flow ufid:00000003"));

    /* By key: the mask must be the flow's. */
    struct flow_mask m2;

    mask_in_port_eth_dst(&m2);
    assert_int_equal(classifier_del_by_key(fx->cls, &k2, &m2, NULL, &err), -ENOENT);
    assert_non_null(strstr(err.msg, "no flow"));
    assert_int_equal(classifier_del_by_key(fx->cls, &k2, &m, NULL, &err), 0);
    assert_true(classifier_flow_is_dead(f2));
    assert_int_equal(classifier_del_by_key(fx->cls, &k2, &m, NULL, &err), -ENOENT);
    assert_int_equal(classifier_count(fx->cls), 0);
    assert_int_equal(classifier_n_subtables(fx->cls), 0);

    /* The UFID is free again. */
    add(fx->cls, &k2, &m, &u, "c");
}

static void
test_flush(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m1, m2;
    struct flow_key k;

    mask_in_port(&m1);
    mask_nw_dst(&m2, 16);
    for (uint32_t i = 0; i < 100; i++) {
        struct ufid u = make_ufid(i);

        key_ip(&k, i, i << 16);
        add(fx->cls, &k, i % 2 ? &m1 : &m2, i % 3 ? &u : NULL, "a");
    }
    assert_int_equal(classifier_count(fx->cls), 100);
    assert_int_equal(classifier_n_subtables(fx->cls), 2);
    classifier_flush(fx->cls);
    assert_int_equal(classifier_count(fx->cls), 0);
    assert_int_equal(classifier_n_subtables(fx->cls), 0);
    key_ip(&k, 1, 0);
    assert_null(classifier_lookup(fx->cls, 0, &k));
    classifier_flush(fx->cls);

    /* Usable again, UFIDs too. */
    struct ufid u = make_ufid(1);

    add(fx->cls, &k, &m1, &u, "a");
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), classifier_get_by_ufid(fx->cls, &u));
}

/* A deleted flow's memory is reused only after a grace period, with a new
 * generation. */
static void
test_reuse_after_grace_period(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f, *g;
    uint64_t gen;

    mask_in_port(&m);
    key_ip(&k, 1, 1);
    f = add(fx->cls, &k, &m, NULL, "a");
    gen = classifier_flow_live_gen(f);
    classifier_del(fx->cls, f, NULL);

    rcu_thread_offline();
    rcu_barrier();
    rcu_thread_online();

    g = add(fx->cls, &k, &m, NULL, "b");
    assert_true(classifier_flow_live_gen(g) != 0);
    assert_true(classifier_flow_live_gen(g) != gen);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), g);
}

/* ---------------------------------------------------------------- many flows */

static void
test_many_flows_grow_and_shrink(void **state)
{
    struct fixture *fx = *state;
    enum { N = 20000 };
    struct flow_mask m;
    struct flow_key k;
    static struct classifier_flow *flows[N];

    mask_nw_dst(&m, 32);
    for (uint32_t i = 0; i < N; i++) {
        key_ip(&k, 0, i * 7919);
        flows[i] = add(fx->cls, &k, &m, NULL, "a");
    }
    for (uint32_t i = 0; i < N; i++) {
        key_ip(&k, 5, i * 7919);
        assert_ptr_equal(classifier_lookup(fx->cls, 1, &k), flows[i]);
    }
    key_ip(&k, 0, 7);
    assert_null(classifier_lookup(fx->cls, 0, &k));

    /* Delete most: the table shrinks, the rest stays reachable. */
    for (uint32_t i = 0; i < N; i++) {
        if (i % 10) {
            classifier_del(fx->cls, flows[i], NULL);
        }
    }
    assert_int_equal(classifier_count(fx->cls), N / 10);
    for (uint32_t i = 0; i < N; i++) {
        key_ip(&k, 0, i * 7919);
        if (i % 10) {
            assert_null(classifier_lookup(fx->cls, 0, &k));
        } else {
            assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), flows[i]);
            assert_ptr_equal(classifier_get_by_key(fx->cls, &k, &m), flows[i]);
        }
    }
}

static void
test_many_masks(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;

    /* nw_dst /1../32: one subtable each. */
    for (int p = 1; p <= 32; p++) {
        mask_nw_dst(&m, p);
        key_ip(&k, 0, (uint32_t) p << 24 | 0x00ffffff);
        add(fx->cls, &k, &m, NULL, "a");
    }
    assert_int_equal(classifier_n_subtables(fx->cls), 32);
    for (int p = 8; p <= 32; p++) {
        key_ip(&k, 0, (uint32_t) p << 24 | 0x00ffffff);
        assert_non_null(classifier_lookup(fx->cls, 0, &k));
    }
    key_ip(&k, 0, 33u << 24 | 0x00ffffff);
    k.eth_type = htons(0x86dd);
    assert_null(classifier_lookup(fx->cls, 0, &k));
}

/* ---------------------------------------------------------------- rank */

static void
test_rerank_by_hits(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask ma, mb;
    struct flow_key k;
    struct classifier_flow *a, *b;

    /* Two flows one packet can match (the slow path never installs that;
     * it shows here which subtable is probed first). */
    mask_in_port(&ma);
    memset(&mb, 0, sizeof mb);
    mb.m.eth_type = htons(0xffff);
    key_ip(&k, 1, 0);
    a = add(fx->cls, &k, &ma, NULL, "a");
    b = add(fx->cls, &k, &mb, NULL, "b");

    key_ip(&k, 1, 0);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), a);   /* creation order */
    assert_false(classifier_rerank(fx->cls));                 /* one hit on a */

    /* b is busier (packets only it matches, from two workers). */
    key_ip(&k, 2, 0);
    for (int i = 0; i < 10; i++) {
        assert_ptr_equal(classifier_lookup(fx->cls, i % 2, &k), b);
    }
    assert_true(classifier_rerank(fx->cls));
    key_ip(&k, 1, 0);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), b);
    /* Nothing new: the order stays and nothing is republished. */
    assert_false(classifier_rerank(fx->cls));

    /* Ranking counts recent hits only. */
    key_ip(&k, 1, 0);
    k.eth_type = htons(0x86dd);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(classifier_lookup(fx->cls, 2, &k), a);
    }
    assert_true(classifier_rerank(fx->cls));
    key_ip(&k, 1, 0);
    assert_ptr_equal(classifier_lookup(fx->cls, 0, &k), a);
}

/* ---------------------------------------------------------------- dump */

static int
dump_all(struct classifier *cls, struct classifier_flow **out, int max)
{
    struct classifier_dump d;
    struct classifier_flow *f;
    int n = 0;

    classifier_dump_start(cls, &d);
    while ((f = classifier_dump_next(&d)) != NULL) {
        assert_true(n < max);
        out[n++] = f;
    }
    classifier_dump_done(&d);
    return n;
}

static void
test_dump_basic_and_nl_blobs(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *flows[4], *got[8];
    static const uint8_t knl[] = { 8, 0, 3, 0, 1, 0, 0, 0 };
    static const uint8_t mnl[] = { 8, 0, 3, 0, 0xff, 0xff, 0xff, 0xff, 1 };
    struct classifier_put_result r;
    size_t len;

    assert_int_equal(dump_all(fx->cls, got, 8), 0);
    mask_in_port(&m);
    for (uint32_t i = 0; i < 4; i++) {
        struct classifier_put p = {
            .key = &k, .mask = &m, .actions = "a", .actions_len = 1,
            .key_nl = i % 2 ? knl : NULL, .key_nl_len = i % 2 ? sizeof knl : 0,
            .mask_nl = i % 2 ? mnl : NULL, .mask_nl_len = i % 2 ? sizeof mnl : 0,
            .flags = CLASSIFIER_PUT_CREATE,
        };

        key_ip(&k, i, 0);
        assert_int_equal(classifier_put(fx->cls, &p, &r, NULL), 0);
        flows[i] = r.flow;
    }
    assert_int_equal(dump_all(fx->cls, got, 8), 4);
    for (int i = 0; i < 4; i++) {
        const void *kb = classifier_flow_key_nl(got[i], &len);

        assert_ptr_equal(got[i], flows[i]);
        if (i % 2) {
            assert_int_equal(len, sizeof knl);
            assert_memory_equal(kb, knl, sizeof knl);
            kb = classifier_flow_mask_nl(got[i], &len);
            assert_int_equal(len, sizeof mnl);
            assert_memory_equal(kb, mnl, sizeof mnl);
        } else {
            assert_int_equal(len, 0);
            classifier_flow_mask_nl(got[i], &len);
            assert_int_equal(len, 0);
        }
    }
}

static void
test_dump_survives_changes(void **state)
{
    struct fixture *fx = *state;
    struct flow_mask m;
    struct flow_key k;
    struct classifier_flow *f[6], *g, *late;
    struct classifier_dump d, d2;

    mask_in_port(&m);
    for (uint32_t i = 0; i < 6; i++) {
        key_ip(&k, i, 0);
        f[i] = add(fx->cls, &k, &m, NULL, "a");
    }
    classifier_dump_start(fx->cls, &d);
    classifier_dump_start(fx->cls, &d2);
    assert_ptr_equal(classifier_dump_next(&d), f[0]);
    assert_ptr_equal(classifier_dump_peek(&d), f[1]);
    assert_ptr_equal(classifier_dump_peek(&d), f[1]);     /* peek stays */

    /* The flow under the cursor goes, one already returned goes, one
     * ahead goes, one is modified, one is added. */
    classifier_del(fx->cls, f[1], NULL);
    classifier_del(fx->cls, f[0], NULL);
    classifier_del(fx->cls, f[3], NULL);
    key_ip(&k, 2, 0);
    assert_int_equal(put(fx->cls, &k, &m, NULL, "b", CLASSIFIER_PUT_MODIFY, NULL, NULL), 0);
    key_ip(&k, 10, 0);
    late = add(fx->cls, &k, &m, NULL, "a");

    assert_ptr_equal(classifier_dump_next(&d), f[2]);
    assert_true(actions_are(f[2], "b"));
    classifier_del(fx->cls, f[5], NULL);
    assert_ptr_equal(classifier_dump_next(&d), f[4]);
    assert_ptr_equal(classifier_dump_next(&d), late);
    assert_null(classifier_dump_next(&d));
    assert_null(classifier_dump_peek(&d));

    /* At the end, a new flow is still picked up. */
    key_ip(&k, 11, 0);
    g = add(fx->cls, &k, &m, NULL, "a");
    assert_ptr_equal(classifier_dump_next(&d), g);
    classifier_dump_done(&d);

    /* The second cursor saw all of it, independently. */
    assert_ptr_equal(classifier_dump_next(&d2), f[2]);
    assert_ptr_equal(classifier_dump_next(&d2), f[4]);
    classifier_flush(fx->cls);
    assert_null(classifier_dump_next(&d2));
    classifier_dump_done(&d2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test_setup_teardown(test_lookup_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_and_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_masks_key_and_partial_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catch_all_mask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_ufid_get_by_ufid_and_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_overlap_without_ufid, setup, teardown),
        cmocka_unit_test(test_max_flows),
        cmocka_unit_test_setup_teardown(test_modify_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modify_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_per_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_del_by_ufid_and_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_after_grace_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_flows_grow_and_shrink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rerank_by_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_basic_and_nl_blobs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_survives_changes, setup, teardown),
    };

    return cmocka_run_group_tests_name("classifier", tests, group_setup, group_teardown);
}
