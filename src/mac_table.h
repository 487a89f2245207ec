/* mac_table: the MAC learning table of one bridge, (MAC, VLAN) -> port, with
 * aging and a size limit, as OVS's lib/mac-learning.
 *
 * Control thread only, no locking: the fast path never reads it (the slow
 * path's decisions reach the workers as megaflows).  The table owns its
 * entries; an entry pointer returned by a lookup or an iteration stays valid
 * until the next call that changes the table.  mac_table_destroy() frees
 * everything.
 *
 * Time is given by the caller in milliseconds of CLOCK_MONOTONIC, so that
 * tests run on fake time.  An entry learned or refreshed at time T expires
 * at T + aging: from then on lookups ignore it, and mac_table_expire()
 * removes it.
 *
 * Entries sit on an LRU list, least recently seen first, which is what
 * expiry walks and the order fdb-show prints (as OVS).  A refresh with a time
 * older than that of the latest entries (flow statistics read late) is put
 * back in order by a short bounded walk; one much older may leave the list
 * out of order, and expiry then removes that entry late, never early
 * (lookups ignore an expired entry at once). */
#ifndef XSW_MAC_TABLE_H
#define XSW_MAC_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mac_table;

struct mac_entry {
    uint8_t mac[6];
    uint16_t vlan;                  /* the bridge's VLAN, 0..4095 */
    uint32_t port;                  /* datapath port number */
    uint64_t last_seen_ms;

    /* Private to mac_table.c. */
    struct mac_entry *hash_next;
    struct mac_entry *lru_prev, *lru_next;
};

/* What mac_table_learn() did. */
enum mac_learn_result {
    MAC_LEARN_NEW,                  /* a new entry */
    MAC_LEARN_MOVED,                /* the entry changed port */
    MAC_LEARN_REFRESHED,            /* same port, time updated */
    MAC_LEARN_STALE,                /* another port was seen later: kept */
    MAC_LEARN_FULL,                 /* no entry and the table is full */
    MAC_LEARN_INVALID,              /* multicast or all-zero source: never learned */
};

struct mac_table_stats {
    uint32_t n_entries;
    uint32_t max_entries;
    uint64_t learned;               /* entries created */
    uint64_t expired;               /* removed by aging */
    uint64_t evicted;               /* removed to fit a smaller limit */
    uint64_t moved;                 /* port changes */
    uint64_t flushed;               /* removed by a flush (table or port) */
};

/* max_entries >= 1, aging_ms >= 1.  Returns 0 or -ENOMEM/-EINVAL. */
int mac_table_create(uint32_t max_entries, uint64_t aging_ms, struct mac_table **out);
void mac_table_destroy(struct mac_table *);

/* Called for every entry a removal takes out, before it is freed. */
typedef void mac_table_removed_fn(void *aux, const struct mac_entry *);

/* A new limit; when the table holds more, the least recently seen entries
 * are evicted (counted in 'evicted') and reported through fn (may be NULL). */
void mac_table_set_max(struct mac_table *, uint32_t max_entries,
                       mac_table_removed_fn *fn, void *aux);
void mac_table_set_aging(struct mac_table *, uint64_t aging_ms);
uint64_t mac_table_aging_ms(const struct mac_table *);

/* Learns that 'mac' on 'vlan' was seen on 'port' at now_ms.  An expired
 * entry counts as absent (it is removed, counted and reported through fn);
 * when the table is full, expired entries are removed first.  *old_port
 * (may be NULL) gets the previous port of a MOVED entry.
 *
 * A frame in hand (an upcall) is authoritative: the station is where it was
 * just seen.  A sighting reconstructed from flow statistics may be older
 * than the entry: with only_if_newer, it moves the entry only if its time
 * is later than the entry's (else MAC_LEARN_STALE). */
enum mac_learn_result mac_table_learn(struct mac_table *, const uint8_t mac[6],
                                      uint16_t vlan, uint32_t port, uint64_t now_ms,
                                      bool only_if_newer, uint32_t *old_port,
                                      mac_table_removed_fn *fn, void *aux);

/* The live entry for (mac, vlan) at now_ms, or NULL.  Does not refresh. */
const struct mac_entry *mac_table_lookup(const struct mac_table *, const uint8_t mac[6],
                                         uint16_t vlan, uint64_t now_ms);

/* Removes up to 'limit' expired entries (0: no limit), oldest first.
 * Returns how many it removed. */
unsigned int mac_table_expire(struct mac_table *, uint64_t now_ms, unsigned int limit,
                              mac_table_removed_fn *fn, void *aux);

/* Removes every entry, or those of one port.  Returns how many. */
unsigned int mac_table_flush(struct mac_table *, mac_table_removed_fn *fn, void *aux);
unsigned int mac_table_flush_port(struct mac_table *, uint32_t port,
                                  mac_table_removed_fn *fn, void *aux);

/* LRU order, least recently seen first: mac_table_next(t, NULL) is the
 * first.  Expired entries not yet removed are included. */
const struct mac_entry *mac_table_next(const struct mac_table *, const struct mac_entry *);

unsigned int mac_table_count(const struct mac_table *);
void mac_table_get_stats(const struct mac_table *, struct mac_table_stats *);

static inline bool
mac_addr_is_multicast(const uint8_t mac[6])
{
    return (mac[0] & 1) != 0;
}

static inline bool
mac_addr_is_zero(const uint8_t mac[6])
{
    return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

#endif /* XSW_MAC_TABLE_H */
