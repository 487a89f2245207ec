/* emc: a worker's exact-match cache in front of the classifier.
 *
 * A megaflow lookup probes subtables; most packets belong to a few busy
 * connections whose exact key was seen a moment ago.  The EMC remembers, per
 * worker, (full key hash, full key, flow, flow generation) in a 2-way table
 * (8192 entries by default, as OVS): a hit costs one hash compare, one key
 * compare and one load from the flow, and no subtable probe.
 *
 * Entries are never invalidated by the writer: a hit is validated against
 * classifier_flow_live_gen(), which is 0 once the flow is deleted and new
 * when its memory is reused (flow memory is type-stable, see classifier.h),
 * so a stale entry just misses.  Insertion happens for one classifier hit in
 * insert_inv_prob (OVS inserts 1 in 100 by default) so that a flood of
 * short-lived connections does not evict the busy ones.
 *
 * Threads: an EMC belongs to one worker.  Only that worker calls
 * emc_lookup()/emc_insert*()/emc_flush(), while RCU-online, and the flows it
 * returns are readable until its next quiescent state.  Create and destroy
 * it in any thread, but destroy every EMC of a classifier before the
 * classifier.  It takes no lock, allocates nothing after creation and makes
 * no system call.
 */
#ifndef XSW_EMC_H
#define XSW_EMC_H 1

#include <stddef.h>
#include <stdint.h>

#include "classifier.h"
#include "flow_key.h"
#include "xsw_err.h"

struct emc;

#define EMC_DEFAULT_ENTRIES 8192
#define EMC_MAX_ENTRIES (1u << 20)
#define EMC_DEFAULT_INSERT_INV_PROB 100

/* n_entries: a power of 2 from 2 to EMC_MAX_ENTRIES.  insert_inv_prob: N
 * for "insert one classifier hit in N"; 1 inserts every time, 0 never.
 * seed: start of the insertion coin flips (any value; e.g. the worker id). */
int emc_create(unsigned int n_entries, unsigned int insert_inv_prob,
               uint32_t seed, struct emc **emcp, struct xsw_err *err);
void emc_destroy(struct emc *);

void emc_set_insert_inv_prob(struct emc *, unsigned int insert_inv_prob);

/* The hash the EMC is keyed by: of the whole key, computed once per packet
 * by the datapath.  Two key words per 64x64->128 multiply, folded (the
 * wyhash step): about 80 instructions for the 18 words, where
 * flow_key_hash() spends about 270, which would cost more than the EMC hit
 * it leads to.  Not for anything that must be stable across builds. */
typedef uint64_t emc_word __attribute__((may_alias));

static inline uint64_t
emc_mum(uint64_t a, uint64_t b)
{
    __uint128_t p = (__uint128_t) a * b;

    return (uint64_t) p ^ (uint64_t) (p >> 64);
}

static inline uint32_t
emc_hash(const struct flow_key *key)
{
    const emc_word *w = (const emc_word *) (const void *) key;
    uint64_t h = 0x243f6a8885a308d3ULL;

    _Static_assert(FLOW_KEY_WORDS % 2 == 0, "flow_key is a whole number of word pairs");
#pragma GCC unroll 9
    for (size_t i = 0; i < FLOW_KEY_WORDS; i += 2) {
        h = emc_mum(w[i] ^ h ^ 0xa0761d6478bd642fULL, w[i + 1] ^ 0xe7037ed1a0b428dbULL);
    }
    h = emc_mum(h, 0x8ebc6af09c88c6e3ULL);
    return (uint32_t) h;
}

/* The live flow cached for exactly this key, or NULL. */
struct classifier_flow *emc_lookup(const struct emc *, const struct flow_key *key,
                                   uint32_t hash);

/* Caches flow for key (the classifier's answer for it), one time in
 * insert_inv_prob. */
void emc_probabilistic_insert(struct emc *, const struct flow_key *key,
                              uint32_t hash, struct classifier_flow *flow);

/* Caches flow for key now. */
void emc_insert(struct emc *, const struct flow_key *key, uint32_t hash,
                struct classifier_flow *flow);

/* Forgets every entry. */
void emc_flush(struct emc *);

#endif /* XSW_EMC_H */
