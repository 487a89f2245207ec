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

#include <stdint.h>

#include "classifier.h"
#include "flow_key.h"
#include "xsw_err.h"

struct emc;

#define EMC_DEFAULT_ENTRIES 8192
#define EMC_MAX_ENTRIES (1u << 16)      /* two 16-bit indexes from one hash */
#define EMC_DEFAULT_INSERT_INV_PROB 100

/* n_entries: a power of 2 from 2 to EMC_MAX_ENTRIES.  insert_inv_prob: N
 * for "insert one classifier hit in N"; 1 inserts every time, 0 never.
 * seed: start of the insertion coin flips (any value; e.g. the worker id). */
int emc_create(unsigned int n_entries, unsigned int insert_inv_prob,
               uint32_t seed, struct emc **emcp, struct xsw_err *err);
void emc_destroy(struct emc *);

void emc_set_insert_inv_prob(struct emc *, unsigned int insert_inv_prob);

/* The hash the EMC is keyed by: of the whole key.  The datapath computes it
 * once per packet (flow_key_hash() with basis 0). */
static inline uint32_t
emc_hash(const struct flow_key *key)
{
    return flow_key_hash(key, 0);
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
