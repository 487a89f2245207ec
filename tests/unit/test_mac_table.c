/* mac_table: learning, moves, stale sightings, aging on fake time, the size
 * limit, flushes, LRU order and growth. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mac_table.h"

static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac2[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t mac3[6] = { 0x02, 0, 0, 0, 0, 0x03 };

struct removed {
    unsigned int n;
    uint8_t last_mac[6];
    uint16_t last_vlan;
};

static void
note_removed(void *aux, const struct mac_entry *e)
{
    struct removed *r = aux;

    r->n++;
    memcpy(r->last_mac, e->mac, 6);
    r->last_vlan = e->vlan;
}

static void
test_create_errors(void **state)
{
    struct mac_table *t;

    (void) state;
    assert_int_equal(mac_table_create(0, 1000, &t), -EINVAL);
    assert_null(t);
    assert_int_equal(mac_table_create(10, 0, &t), -EINVAL);
    assert_int_equal(mac_table_create(10, 1000, &t), 0);
    mac_table_destroy(t);
    mac_table_destroy(NULL);
}

static void
test_learn_move_refresh(void **state)
{
    struct mac_table *t;
    struct mac_table_stats s;
    const struct mac_entry *e;
    uint32_t old = 99;

    (void) state;
    assert_int_equal(mac_table_create(10, 300000, &t), 0);
    assert_int_equal(mac_table_learn(t, mac1, 10, 1, 1000, false, NULL, NULL, NULL),
                     MAC_LEARN_NEW);
    e = mac_table_lookup(t, mac1, 10, 1000);
    assert_non_null(e);
    assert_int_equal(e->port, 1);
    /* (MAC, VLAN) is the key: another VLAN is another station. */
    assert_null(mac_table_lookup(t, mac1, 20, 1000));
    assert_int_equal(mac_table_learn(t, mac1, 10, 1, 2000, false, NULL, NULL, NULL),
                     MAC_LEARN_REFRESHED);
    assert_int_equal(mac_table_lookup(t, mac1, 10, 2000)->last_seen_ms, 2000);
    assert_int_equal(mac_table_learn(t, mac1, 10, 2, 2000, false, &old, NULL, NULL),
                     MAC_LEARN_MOVED);
    assert_int_equal(old, 1);
    assert_int_equal(mac_table_lookup(t, mac1, 10, 2000)->port, 2);

    /* A sighting from statistics older than the table's moves nothing... */
    assert_int_equal(mac_table_learn(t, mac1, 10, 1, 1500, true, NULL, NULL, NULL),
                     MAC_LEARN_STALE);
    assert_int_equal(mac_table_lookup(t, mac1, 10, 2000)->port, 2);
    /* ...and a refresh with an old time keeps the newer one. */
    assert_int_equal(mac_table_learn(t, mac1, 10, 2, 1500, true, NULL, NULL, NULL),
                     MAC_LEARN_REFRESHED);
    assert_int_equal(mac_table_lookup(t, mac1, 10, 2000)->last_seen_ms, 2000);
    assert_int_equal(mac_table_learn(t, mac1, 10, 1, 2500, true, NULL, NULL, NULL),
                     MAC_LEARN_MOVED);

    mac_table_get_stats(t, &s);
    assert_int_equal(s.n_entries, 1);
    assert_int_equal(s.max_entries, 10);
    assert_int_equal(s.learned, 1);
    assert_int_equal(s.moved, 2);
    mac_table_destroy(t);
}

static void
test_invalid_sources(void **state)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    static const uint8_t zero[6] = { 0 };
    struct mac_table *t;

    (void) state;
    assert_int_equal(mac_table_create(10, 300000, &t), 0);
    assert_int_equal(mac_table_learn(t, bcast, 0, 1, 0, false, NULL, NULL, NULL),
                     MAC_LEARN_INVALID);
    assert_int_equal(mac_table_learn(t, mcast, 0, 1, 0, false, NULL, NULL, NULL),
                     MAC_LEARN_INVALID);
    assert_int_equal(mac_table_learn(t, zero, 0, 1, 0, false, NULL, NULL, NULL),
                     MAC_LEARN_INVALID);
    assert_int_equal(mac_table_count(t), 0);
    mac_table_destroy(t);
}

static void
test_aging(void **state)
{
    struct mac_table *t;
    struct mac_table_stats s;
    struct removed rm = { 0 };

    (void) state;
    assert_int_equal(mac_table_create(10, 300000, &t), 0);
    mac_table_learn(t, mac1, 0, 1, 1000, false, NULL, NULL, NULL);
    mac_table_learn(t, mac2, 0, 2, 100000, false, NULL, NULL, NULL);
    assert_non_null(mac_table_lookup(t, mac1, 0, 300999));
    /* Expired at last_seen + aging: ignored by lookups before removal. */
    assert_null(mac_table_lookup(t, mac1, 0, 301000));
    assert_int_equal(mac_table_count(t), 2);
    assert_int_equal(mac_table_expire(t, 301000, 0, note_removed, &rm), 1);
    assert_int_equal(rm.n, 1);
    assert_memory_equal(rm.last_mac, mac1, 6);
    assert_non_null(mac_table_lookup(t, mac2, 0, 301000));

    /* Learning an expired entry again counts as new, the old one expired. */
    rm.n = 0;
    assert_int_equal(mac_table_learn(t, mac2, 0, 2, 400000, false, NULL, note_removed, &rm),
                     MAC_LEARN_NEW);
    assert_int_equal(rm.n, 1);
    mac_table_get_stats(t, &s);
    assert_int_equal(s.expired, 2);
    assert_int_equal(s.learned, 3);

    /* A shorter aging applies to existing entries. */
    mac_table_set_aging(t, 1000);
    assert_int_equal(mac_table_aging_ms(t), 1000);
    assert_null(mac_table_lookup(t, mac2, 0, 401000));
    mac_table_destroy(t);
}

static void
test_full_and_evict(void **state)
{
    struct mac_table *t;
    struct mac_table_stats s;
    struct removed rm = { 0 };

    (void) state;
    assert_int_equal(mac_table_create(2, 300000, &t), 0);
    assert_int_equal(mac_table_learn(t, mac1, 0, 1, 0, false, NULL, NULL, NULL), MAC_LEARN_NEW);
    assert_int_equal(mac_table_learn(t, mac2, 0, 2, 10, false, NULL, NULL, NULL), MAC_LEARN_NEW);
    assert_int_equal(mac_table_learn(t, mac3, 0, 3, 20, false, NULL, NULL, NULL),
                     MAC_LEARN_FULL);
    assert_null(mac_table_lookup(t, mac3, 0, 20));
    /* Known stations still refresh and move when full. */
    assert_int_equal(mac_table_learn(t, mac1, 0, 3, 30, false, NULL, NULL, NULL),
                     MAC_LEARN_MOVED);
    /* A full table makes room from expired entries first. */
    assert_int_equal(mac_table_learn(t, mac3, 0, 3, 300010, false, NULL, note_removed, &rm),
                     MAC_LEARN_NEW);
    assert_int_equal(rm.n, 1);
    assert_memory_equal(rm.last_mac, mac2, 6);

    /* Shrinking evicts the least recently seen. */
    rm.n = 0;
    mac_table_set_max(t, 1, note_removed, &rm);
    assert_int_equal(rm.n, 1);
    assert_memory_equal(rm.last_mac, mac1, 6);
    assert_int_equal(mac_table_count(t), 1);
    mac_table_get_stats(t, &s);
    assert_int_equal(s.evicted, 1);
    assert_int_equal(s.max_entries, 1);
    mac_table_destroy(t);
}

static void
test_flush_and_lru(void **state)
{
    struct mac_table *t;
    const struct mac_entry *e;
    struct mac_table_stats s;

    (void) state;
    assert_int_equal(mac_table_create(10, 300000, &t), 0);
    mac_table_learn(t, mac1, 0, 1, 0, false, NULL, NULL, NULL);
    mac_table_learn(t, mac2, 0, 2, 10, false, NULL, NULL, NULL);
    mac_table_learn(t, mac3, 5, 1, 20, false, NULL, NULL, NULL);
    mac_table_learn(t, mac1, 0, 1, 30, false, NULL, NULL, NULL);     /* to the tail */

    e = mac_table_next(t, NULL);
    assert_memory_equal(e->mac, mac2, 6);
    e = mac_table_next(t, e);
    assert_memory_equal(e->mac, mac3, 6);
    e = mac_table_next(t, e);
    assert_memory_equal(e->mac, mac1, 6);
    assert_null(mac_table_next(t, e));

    assert_int_equal(mac_table_flush_port(t, 1, NULL, NULL), 2);
    assert_int_equal(mac_table_count(t), 1);
    assert_non_null(mac_table_lookup(t, mac2, 0, 40));
    assert_int_equal(mac_table_flush(t, NULL, NULL), 1);
    assert_int_equal(mac_table_count(t), 0);
    assert_null(mac_table_next(t, NULL));
    mac_table_get_stats(t, &s);
    assert_int_equal(s.flushed, 3);
    mac_table_destroy(t);
}

static void
test_many_entries(void **state)
{
    struct mac_table *t;
    uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };

    (void) state;
    assert_int_equal(mac_table_create(5000, 300000, &t), 0);
    for (uint32_t i = 0; i < 5000; i++) {
        mac[3] = (uint8_t) (i >> 16);
        mac[4] = (uint8_t) (i >> 8);
        mac[5] = (uint8_t) i;
        assert_int_equal(mac_table_learn(t, mac, (uint16_t) (i % 7), i, i, false, NULL, NULL,
                                         NULL), MAC_LEARN_NEW);
    }
    for (uint32_t i = 0; i < 5000; i++) {
        const struct mac_entry *e;

        mac[3] = (uint8_t) (i >> 16);
        mac[4] = (uint8_t) (i >> 8);
        mac[5] = (uint8_t) i;
        e = mac_table_lookup(t, mac, (uint16_t) (i % 7), 5000);
        assert_non_null(e);
        assert_int_equal(e->port, i);
    }
    /* Everything learned before 1000 expires at 301000. */
    assert_int_equal(mac_table_expire(t, 301000, 0, NULL, NULL), 1001);
    assert_int_equal(mac_table_expire(t, 400000, 10, NULL, NULL), 10);
    assert_int_equal(mac_table_count(t), 5000 - 1011);
    mac_table_destroy(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_learn_move_refresh),
        cmocka_unit_test(test_invalid_sources),
        cmocka_unit_test(test_aging),
        cmocka_unit_test(test_full_and_evict),
        cmocka_unit_test(test_flush_and_lru),
        cmocka_unit_test(test_many_entries),
    };

    return cmocka_run_group_tests_name("mac_table", tests, NULL, NULL);
}
