/* emc: hits, validation against dead and reused flows, the two ways,
 * replacement and probabilistic insertion. */
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
#include "emc.h"

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

struct fixture {
    struct classifier *cls;
    struct emc *emc;
    struct flow_mask mask;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    if (!fx || classifier_create(1, 1000, &fx->cls, NULL)
        || emc_create(16, 1, 1, &fx->emc, NULL)) {
        return -1;
    }
    fx->mask.m.in_port = UINT32_MAX;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    emc_destroy(fx->emc);
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

static void
make_key(struct flow_key *k, uint32_t in_port, uint16_t tp_src)
{
    memset(k, 0, sizeof *k);
    k->in_port = in_port;
    k->eth_type = htons(0x0800);
    k->tp_src = htons(tp_src);
}

static struct classifier_flow *
add(struct fixture *fx, uint32_t in_port)
{
    struct classifier_put_result r;
    struct flow_key k;
    struct classifier_put p = {
        .key = &k, .mask = &fx->mask, .flags = CLASSIFIER_PUT_CREATE,
    };

    make_key(&k, in_port, 0);
    assert_int_equal(classifier_put(fx->cls, &p, &r, NULL), 0);
    return r.flow;
}

/* Hash values chosen by hand: with 16 entries, way 1 is hash & 15 and way 2
 * is (hash >> 4) & 15. */
#define H(way1, way2) ((uint32_t) ((way2) << 4 | (way1)))

static void
test_create_errors(void **state)
{
    struct emc *emc = (void *) 1;
    struct xsw_err err = { "" };

    (void) state;
    assert_int_equal(emc_create(0, 100, 0, &emc, &err), -EINVAL);
    assert_null(emc);
    assert_non_null(strstr(err.msg, "power of 2"));
    assert_int_equal(emc_create(1, 100, 0, &emc, &err), -EINVAL);
    assert_int_equal(emc_create(1000, 100, 0, &emc, &err), -EINVAL);
    assert_int_equal(emc_create(EMC_MAX_ENTRIES * 2, 100, 0, &emc, &err), -EINVAL);
    assert_int_equal(emc_create(EMC_MAX_ENTRIES, 100, 0, &emc, &err), 0);
    emc_destroy(emc);
    assert_int_equal(emc_create(EMC_DEFAULT_ENTRIES, EMC_DEFAULT_INSERT_INV_PROB, 0,
                                &emc, &err), 0);
    emc_destroy(emc);
    emc_destroy(NULL);
}

/* Every bit of the key counts, and equal keys hash equal. */
static void
test_hash_covers_whole_key(void **state)
{
    struct flow_key k, k2;
    uint32_t h;

    (void) state;
    make_key(&k, 1, 2);
    h = emc_hash(&k);
    k2 = k;
    assert_int_equal(emc_hash(&k2), h);
    for (size_t byte = 0; byte < sizeof k; byte++) {
        for (int bit = 0; bit < 8; bit++) {
            k2 = k;
            ((uint8_t *) &k2)[byte] ^= (uint8_t) (1u << bit);
            assert_int_not_equal(emc_hash(&k2), h);
        }
    }
}

static void
test_hit_and_exact_validation(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f = add(fx, 1);
    struct flow_key k, other;

    make_key(&k, 1, 80);
    assert_null(emc_lookup(fx->emc, &k, H(1, 2)));
    emc_insert(fx->emc, &k, H(1, 2), f);
    assert_ptr_equal(emc_lookup(fx->emc, &k, H(1, 2)), f);

    /* Another hash: other slots, miss. */
    assert_null(emc_lookup(fx->emc, &k, H(3, 4)));

    /* Same hash, key differing anywhere (even outside the flow's mask, even
     * in the last byte): miss. */
    make_key(&other, 1, 81);
    assert_null(emc_lookup(fx->emc, &other, H(1, 2)));
    other = k;
    other.nd_target[15] = 1;
    assert_null(emc_lookup(fx->emc, &other, H(1, 2)));
    other = k;
    other.in_port = 2;
    assert_null(emc_lookup(fx->emc, &other, H(1, 2)));

    emc_flush(fx->emc);
    assert_null(emc_lookup(fx->emc, &k, H(1, 2)));
}

static void
test_dead_flow_misses(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f = add(fx, 1);
    struct flow_key k;

    make_key(&k, 1, 80);
    emc_insert(fx->emc, &k, H(1, 2), f);
    classifier_del(fx->cls, f, NULL);
    assert_null(emc_lookup(fx->emc, &k, H(1, 2)));

    /* A dead flow is not inserted either. */
    emc_flush(fx->emc);
    emc_insert(fx->emc, &k, H(1, 2), f);
    assert_null(emc_lookup(fx->emc, &k, H(1, 2)));
}

/* The entry outlives a grace period: the flow's memory is reused for another
 * flow, and the generation tells them apart. */
static void
test_reused_flow_misses(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f = add(fx, 1), *g;
    struct flow_key k;

    make_key(&k, 1, 80);
    emc_insert(fx->emc, &k, H(1, 2), f);
    classifier_del(fx->cls, f, NULL);
    rcu_thread_offline();
    rcu_barrier();
    rcu_thread_online();

    g = add(fx, 1);
    assert_ptr_equal(g, f);     /* the pool hands the same memory back */
    assert_null(emc_lookup(fx->emc, &k, H(1, 2)));
    emc_insert(fx->emc, &k, H(1, 2), g);
    assert_ptr_equal(emc_lookup(fx->emc, &k, H(1, 2)), g);
}

static void
test_two_ways(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f1 = add(fx, 1), *f2 = add(fx, 2), *f3 = add(fx, 3);
    struct flow_key k1, k2, k3;
    int n;

    make_key(&k1, 1, 0);
    make_key(&k2, 2, 0);
    make_key(&k3, 3, 0);

    /* Same first way: the second goes to its second way, both stay. */
    emc_insert(fx->emc, &k1, H(5, 6), f1);
    emc_insert(fx->emc, &k2, H(5, 7), f2);
    assert_ptr_equal(emc_lookup(fx->emc, &k1, H(5, 6)), f1);
    assert_ptr_equal(emc_lookup(fx->emc, &k2, H(5, 7)), f2);

    /* A key whose two ways are both taken evicts exactly one. */
    emc_flush(fx->emc);
    emc_insert(fx->emc, &k1, H(5, 6), f1);      /* entry 5 */
    emc_insert(fx->emc, &k2, H(6, 5), f2);      /* entry 6 */
    emc_insert(fx->emc, &k3, H(5, 6), f3);
    assert_ptr_equal(emc_lookup(fx->emc, &k3, H(5, 6)), f3);
    n = (emc_lookup(fx->emc, &k1, H(5, 6)) != NULL)
        + (emc_lookup(fx->emc, &k2, H(6, 5)) != NULL);
    assert_int_equal(n, 1);
}

static void
test_same_key_replaced_in_place(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f1 = add(fx, 1), *f2 = add(fx, 2), *f3 = add(fx, 3);
    struct flow_key k1, k2;

    make_key(&k1, 1, 0);
    make_key(&k2, 2, 0);
    emc_insert(fx->emc, &k1, H(5, 6), f1);
    emc_insert(fx->emc, &k2, H(5, 6), f2);       /* the other way */
    /* k1 now answered by f3 (say its flow was replaced): it must take k1's
     * own entry, not evict k2. */
    for (int i = 0; i < 20; i++) {
        emc_insert(fx->emc, &k1, H(5, 6), i % 2 ? f1 : f3);
        assert_ptr_equal(emc_lookup(fx->emc, &k2, H(5, 6)), f2);
    }
    assert_ptr_equal(emc_lookup(fx->emc, &k1, H(5, 6)), f1);
}

static void
test_dead_entry_replaced_first(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f1 = add(fx, 1), *f2 = add(fx, 2), *f3 = add(fx, 3);
    struct flow_key k1, k2, k3;

    make_key(&k1, 1, 0);
    make_key(&k2, 2, 0);
    make_key(&k3, 3, 0);
    for (int i = 0; i < 20; i++) {
        emc_flush(fx->emc);
        emc_insert(fx->emc, &k1, H(5, 6), f1);
        emc_insert(fx->emc, &k2, H(5, 6), f2);
        if (i == 0) {
            classifier_del(fx->cls, f1, NULL);
        }
        emc_insert(fx->emc, &k3, H(5, 6), f3);
        assert_ptr_equal(emc_lookup(fx->emc, &k2, H(5, 6)), f2);
        assert_ptr_equal(emc_lookup(fx->emc, &k3, H(5, 6)), f3);
    }
}

static void
test_probabilistic_insert(void **state)
{
    struct fixture *fx = *state;
    struct classifier_flow *f = add(fx, 1);
    struct flow_key k;
    int inserted = 0;

    make_key(&k, 1, 0);

    emc_set_insert_inv_prob(fx->emc, 0);
    for (int i = 0; i < 1000; i++) {
        emc_probabilistic_insert(fx->emc, &k, H(1, 1), f);
    }
    assert_null(emc_lookup(fx->emc, &k, H(1, 1)));

    emc_set_insert_inv_prob(fx->emc, 1);
    emc_probabilistic_insert(fx->emc, &k, H(1, 1), f);
    assert_ptr_equal(emc_lookup(fx->emc, &k, H(1, 1)), f);

    emc_set_insert_inv_prob(fx->emc, 100);
    for (int i = 0; i < 100000; i++) {
        emc_flush(fx->emc);
        emc_probabilistic_insert(fx->emc, &k, H(1, 1), f);
        inserted += emc_lookup(fx->emc, &k, H(1, 1)) != NULL;
    }
    assert_in_range(inserted, 700, 1300);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_hash_covers_whole_key),
        cmocka_unit_test_setup_teardown(test_hit_and_exact_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_flow_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reused_flow_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_key_replaced_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_entry_replaced_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probabilistic_insert, setup, teardown),
    };

    return cmocka_run_group_tests_name("emc", tests, group_setup, group_teardown);
}
