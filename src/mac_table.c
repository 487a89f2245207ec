/* mac_table: see mac_table.h. */
#include "mac_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow_key.h"

#define MAC_TABLE_MIN_BUCKETS 64

struct mac_table {
    struct mac_entry **buckets;
    uint32_t mask;                  /* n_buckets - 1 */
    uint32_t n;
    uint32_t max;
    uint64_t aging_ms;
    struct mac_entry *lru_head, *lru_tail;
    struct mac_table_stats stats;
};

static uint32_t
mac_hash(const uint8_t mac[6], uint16_t vlan)
{
    uint64_t w = 0;

    memcpy(&w, mac, 6);
    w |= (uint64_t) vlan << 48;
    return flow_hash_finish(flow_hash_add64(0, w));
}

static bool
mac_entry_expired(const struct mac_table *t, const struct mac_entry *e, uint64_t now_ms)
{
    return now_ms >= e->last_seen_ms + t->aging_ms;
}

static void
lru_unlink(struct mac_table *t, struct mac_entry *e)
{
    if (e->lru_prev) {
        e->lru_prev->lru_next = e->lru_next;
    } else {
        t->lru_head = e->lru_next;
    }
    if (e->lru_next) {
        e->lru_next->lru_prev = e->lru_prev;
    } else {
        t->lru_tail = e->lru_prev;
    }
    e->lru_prev = e->lru_next = NULL;
}

static void
lru_append(struct mac_table *t, struct mac_entry *e)
{
    e->lru_next = NULL;
    e->lru_prev = t->lru_tail;
    if (t->lru_tail) {
        t->lru_tail->lru_next = e;
    } else {
        t->lru_head = e;
    }
    t->lru_tail = e;
}

/* Moves the tail entry e back past the few entries seen after it, so that
 * a refresh with a slightly old time (flow statistics) keeps the list in
 * order.  The walk is bounded: a much older time leaves the entry further
 * back than its place, which only delays its removal. */
static void
lru_settle(struct mac_table *t, struct mac_entry *e)
{
    struct mac_entry *prev = e->lru_prev;
    unsigned int steps = 0;

    while (prev && prev->last_seen_ms > e->last_seen_ms && steps < 16) {
        prev = prev->lru_prev;
        steps++;
    }
    if (prev == e->lru_prev) {
        return;
    }
    lru_unlink(t, e);
    e->lru_prev = prev;
    e->lru_next = prev ? prev->lru_next : t->lru_head;
    if (prev) {
        prev->lru_next = e;
    } else {
        t->lru_head = e;
    }
    e->lru_next->lru_prev = e;
}

/* Doubles the bucket array while the load is above one entry per bucket.
 * A failed allocation only makes chains longer. */
static void
mac_table_grow(struct mac_table *t)
{
    uint32_t n_buckets = t->mask + 1;
    struct mac_entry **nb;

    if (t->n <= n_buckets || n_buckets >= (UINT32_C(1) << 30)) {
        return;
    }
    nb = calloc((size_t) n_buckets * 2, sizeof *nb);
    if (!nb) {
        return;
    }
    for (uint32_t i = 0; i < n_buckets; i++) {
        struct mac_entry *e = t->buckets[i];

        while (e) {
            struct mac_entry *next = e->hash_next;
            uint32_t b = mac_hash(e->mac, e->vlan) & (n_buckets * 2 - 1);

            e->hash_next = nb[b];
            nb[b] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->mask = n_buckets * 2 - 1;
}

int
mac_table_create(uint32_t max_entries, uint64_t aging_ms, struct mac_table **out)
{
    struct mac_table *t;

    *out = NULL;
    if (!max_entries || !aging_ms) {
        return -EINVAL;
    }
    t = calloc(1, sizeof *t);
    if (!t) {
        return -ENOMEM;
    }
    t->buckets = calloc(MAC_TABLE_MIN_BUCKETS, sizeof *t->buckets);
    if (!t->buckets) {
        free(t);
        return -ENOMEM;
    }
    t->mask = MAC_TABLE_MIN_BUCKETS - 1;
    t->max = max_entries;
    t->aging_ms = aging_ms;
    *out = t;
    return 0;
}

void
mac_table_destroy(struct mac_table *t)
{
    struct mac_entry *e, *next;

    if (!t) {
        return;
    }
    for (e = t->lru_head; e; e = next) {
        next = e->lru_next;
        free(e);
    }
    free(t->buckets);
    free(t);
}

static struct mac_entry *
mac_table_find(const struct mac_table *t, const uint8_t mac[6], uint16_t vlan)
{
    struct mac_entry *e = t->buckets[mac_hash(mac, vlan) & t->mask];

    for (; e; e = e->hash_next) {
        if (e->vlan == vlan && !memcmp(e->mac, mac, 6)) {
            return e;
        }
    }
    return NULL;
}

static void
mac_table_remove(struct mac_table *t, struct mac_entry *e,
                 mac_table_removed_fn *fn, void *aux)
{
    struct mac_entry **pp = &t->buckets[mac_hash(e->mac, e->vlan) & t->mask];

    while (*pp != e) {
        pp = &(*pp)->hash_next;
    }
    *pp = e->hash_next;
    lru_unlink(t, e);
    t->n--;
    if (fn) {
        fn(aux, e);
    }
    free(e);
}

void
mac_table_set_max(struct mac_table *t, uint32_t max_entries,
                  mac_table_removed_fn *fn, void *aux)
{
    if (!max_entries) {
        max_entries = 1;
    }
    t->max = max_entries;
    while (t->n > t->max) {
        mac_table_remove(t, t->lru_head, fn, aux);
        t->stats.evicted++;
    }
}

void
mac_table_set_aging(struct mac_table *t, uint64_t aging_ms)
{
    t->aging_ms = aging_ms ? aging_ms : 1;
}

uint64_t
mac_table_aging_ms(const struct mac_table *t)
{
    return t->aging_ms;
}

enum mac_learn_result
mac_table_learn(struct mac_table *t, const uint8_t mac[6], uint16_t vlan, uint32_t port,
                uint64_t now_ms, bool only_if_newer, uint32_t *old_port,
                mac_table_removed_fn *fn, void *aux)
{
    struct mac_entry *e;

    if (mac_addr_is_multicast(mac) || mac_addr_is_zero(mac)) {
        return MAC_LEARN_INVALID;
    }
    e = mac_table_find(t, mac, vlan);
    if (e && mac_entry_expired(t, e, now_ms)) {
        mac_table_remove(t, e, fn, aux);
        t->stats.expired++;
        e = NULL;
    }
    if (e) {
        enum mac_learn_result r = MAC_LEARN_REFRESHED;

        if (e->port != port) {
            /* Statistics read after a newer sighting elsewhere say nothing
             * about where the station is now. */
            if (only_if_newer && now_ms <= e->last_seen_ms) {
                return MAC_LEARN_STALE;
            }
            if (old_port) {
                *old_port = e->port;
            }
            e->port = port;
            t->stats.moved++;
            r = MAC_LEARN_MOVED;
        }
        if (now_ms > e->last_seen_ms) {
            e->last_seen_ms = now_ms;
        }
        lru_unlink(t, e);
        lru_append(t, e);
        lru_settle(t, e);
        return r;
    }

    if (t->n >= t->max) {
        mac_table_expire(t, now_ms, 0, fn, aux);
        if (t->n >= t->max) {
            return MAC_LEARN_FULL;
        }
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        return MAC_LEARN_FULL;
    }
    memcpy(e->mac, mac, 6);
    e->vlan = vlan;
    e->port = port;
    e->last_seen_ms = now_ms;
    {
        uint32_t b = mac_hash(mac, vlan) & t->mask;

        e->hash_next = t->buckets[b];
        t->buckets[b] = e;
    }
    lru_append(t, e);
    t->n++;
    t->stats.learned++;
    mac_table_grow(t);
    return MAC_LEARN_NEW;
}

const struct mac_entry *
mac_table_lookup(const struct mac_table *t, const uint8_t mac[6], uint16_t vlan,
                 uint64_t now_ms)
{
    const struct mac_entry *e = mac_table_find(t, mac, vlan);

    return e && !mac_entry_expired(t, e, now_ms) ? e : NULL;
}

unsigned int
mac_table_expire(struct mac_table *t, uint64_t now_ms, unsigned int limit,
                 mac_table_removed_fn *fn, void *aux)
{
    unsigned int n = 0;

    while (t->lru_head && mac_entry_expired(t, t->lru_head, now_ms)
           && (!limit || n < limit)) {
        mac_table_remove(t, t->lru_head, fn, aux);
        t->stats.expired++;
        n++;
    }
    return n;
}

unsigned int
mac_table_flush(struct mac_table *t, mac_table_removed_fn *fn, void *aux)
{
    unsigned int n = 0;

    while (t->lru_head) {
        mac_table_remove(t, t->lru_head, fn, aux);
        n++;
    }
    t->stats.flushed += n;
    return n;
}

unsigned int
mac_table_flush_port(struct mac_table *t, uint32_t port, mac_table_removed_fn *fn, void *aux)
{
    struct mac_entry *e, *next;
    unsigned int n = 0;

    for (e = t->lru_head; e; e = next) {
        next = e->lru_next;
        if (e->port == port) {
            mac_table_remove(t, e, fn, aux);
            n++;
        }
    }
    t->stats.flushed += n;
    return n;
}

const struct mac_entry *
mac_table_next(const struct mac_table *t, const struct mac_entry *e)
{
    return e ? e->lru_next : t->lru_head;
}

unsigned int
mac_table_count(const struct mac_table *t)
{
    return t->n;
}

void
mac_table_get_stats(const struct mac_table *t, struct mac_table_stats *s)
{
    *s = t->stats;
    s->n_entries = t->n;
    s->max_entries = t->max;
}
