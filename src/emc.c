/* emc: per-worker exact-match cache.  See emc.h. */
#include "emc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Three cache lines, so that no entry straddles a fourth.  The key comes
 * first, 16-byte aligned, so that the compare reads it in place. */
struct emc_entry {
    struct flow_key key;
    uint32_t hash;
    struct classifier_flow *flow;       /* NULL: empty */
    uint64_t gen;                       /* flow's live_gen when cached */
} __attribute__((aligned(64)));

struct emc {
    struct emc_entry *entries;
    uint32_t mask;                      /* n_entries - 1 */
    uint32_t shift;                     /* log2(n_entries) */
    uint32_t prng;                      /* xorshift32 state, never 0 */
    uint32_t threshold;                 /* insert when a draw is below */
    unsigned int inv_prob;
};

/* The key compare is most of a hit's cost; 16 bytes at a time, unrolled,
 * makes it three instructions a block (SSE2 is part of x86-64, so this is
 * the path normally taken).  'cached' is an entry's key, 16-byte aligned. */
static inline bool
emc_key_equal(const struct flow_key *cached, const struct flow_key *key)
{
#ifdef __SSE2__
    const __m128i *pa = (const __m128i *) (const void *) cached;
    const __m128i *pb = (const __m128i *) (const void *) key;
    __m128i eq = _mm_cmpeq_epi8(_mm_load_si128(pa), _mm_loadu_si128(pb));

    _Static_assert(sizeof *key % 16 == 0, "flow_key is a whole number of 16-byte blocks");
#pragma GCC unroll 9
    for (size_t i = 1; i < sizeof *key / 16; i++) {
        eq = _mm_and_si128(eq, _mm_cmpeq_epi8(_mm_load_si128(pa + i),
                                              _mm_loadu_si128(pb + i)));
    }
    return _mm_movemask_epi8(eq) == 0xffff;
#else
    return flow_key_equal(cached, key);
#endif
}

/* The second way: the hash rotated by log2(n_entries), so that up to 2^16
 * entries the two ways use disjoint hash bits, and beyond still differ. */
static inline uint32_t
emc_way2(const struct emc *emc, uint32_t hash)
{
    return ((hash >> emc->shift) | (hash << (32 - emc->shift))) & emc->mask;
}

static inline bool
emc_entry_hit(const struct emc_entry *e, const struct flow_key *key, uint32_t hash)
{
    return e->hash == hash && e->flow && emc_key_equal(&e->key, key)
           && classifier_flow_live_gen(e->flow) == e->gen;
}

static inline bool
emc_entry_alive(const struct emc_entry *e)
{
    return e->flow && classifier_flow_live_gen(e->flow) == e->gen;
}

int
emc_create(unsigned int n_entries, unsigned int insert_inv_prob, uint32_t seed,
           struct emc **emcp, struct xsw_err *err)
{
    struct emc *emc;
    size_t size;

    *emcp = NULL;
    if (n_entries < 2 || n_entries > EMC_MAX_ENTRIES || (n_entries & (n_entries - 1))) {
        return xsw_err_set(err, EINVAL,
                           "emc: %u entries (a power of 2 from 2 to %u allowed)",
                           n_entries, EMC_MAX_ENTRIES);
    }
    emc = calloc(1, sizeof *emc);
    if (!emc) {
        goto nomem;
    }
    size = (size_t) n_entries * sizeof *emc->entries;
    emc->entries = aligned_alloc(64, size);
    if (!emc->entries) {
        free(emc);
        goto nomem;
    }
    memset(emc->entries, 0, size);
    emc->mask = n_entries - 1;
    emc->shift = __builtin_ctz(n_entries);
    emc->prng = seed ? seed : 0x9e3779b9;
    emc_set_insert_inv_prob(emc, insert_inv_prob);
    *emcp = emc;
    return 0;

nomem:
    return xsw_err_set(err, ENOMEM, "emc: out of memory for %u entries", n_entries);
}

void
emc_destroy(struct emc *emc)
{
    if (emc) {
        free(emc->entries);
        free(emc);
    }
}

void
emc_set_insert_inv_prob(struct emc *emc, unsigned int insert_inv_prob)
{
    emc->inv_prob = insert_inv_prob;
    emc->threshold = insert_inv_prob > 1 ? UINT32_MAX / insert_inv_prob : 0;
}

struct classifier_flow *
emc_lookup(const struct emc *emc, const struct flow_key *key, uint32_t hash)
{
    const struct emc_entry *e = &emc->entries[hash & emc->mask];

    if (emc_entry_hit(e, key, hash)) {
        return e->flow;
    }
    e = &emc->entries[emc_way2(emc, hash)];
    if (emc_entry_hit(e, key, hash)) {
        return e->flow;
    }
    return NULL;
}

static inline uint32_t
emc_random(struct emc *emc)
{
    uint32_t x = emc->prng;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    emc->prng = x;
    return x;
}

void
emc_insert(struct emc *emc, const struct flow_key *key, uint32_t hash,
           struct classifier_flow *flow)
{
    struct emc_entry *e1 = &emc->entries[hash & emc->mask];
    struct emc_entry *e2 = &emc->entries[emc_way2(emc, hash)];
    struct emc_entry *victim;
    uint64_t gen = classifier_flow_live_gen(flow);

    if (!gen) {
        return;                 /* deleted since the lookup */
    }
    /* The same key again (its flow was replaced), else a dead or empty way,
     * else either: a random choice keeps two busy keys from evicting each
     * other in lockstep. */
    if (e1->flow && e1->hash == hash && emc_key_equal(&e1->key, key)) {
        victim = e1;
    } else if (e2->flow && e2->hash == hash && emc_key_equal(&e2->key, key)) {
        victim = e2;
    } else if (!emc_entry_alive(e1)) {
        victim = e1;
    } else if (!emc_entry_alive(e2)) {
        victim = e2;
    } else {
        victim = emc_random(emc) & 1 ? e1 : e2;
    }
    victim->hash = hash;
    victim->flow = flow;
    victim->gen = gen;
    victim->key = *key;
}

void
emc_probabilistic_insert(struct emc *emc, const struct flow_key *key, uint32_t hash,
                         struct classifier_flow *flow)
{
    if (emc->inv_prob == 1
        || (emc->inv_prob > 1 && emc_random(emc) < emc->threshold)) {
        emc_insert(emc, key, hash, flow);
    }
}

void
emc_flush(struct emc *emc)
{
    memset(emc->entries, 0, (emc->mask + 1) * sizeof *emc->entries);
}
