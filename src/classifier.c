/* classifier: tuple space search over RCU-published subtables.  See
 * classifier.h for the design and the threading rules. */
#include "classifier.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <urcu-qsbr.h>
#include <urcu/call-rcu.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CLS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLS_ASAN 1
#endif
#endif

#ifdef CLS_ASAN
#include <sanitizer/asan_interface.h>
#define CLS_POISON(addr, size) ASAN_POISON_MEMORY_REGION(addr, size)
#define CLS_UNPOISON(addr, size) ASAN_UNPOISON_MEMORY_REGION(addr, size)
#else
#define CLS_POISON(addr, size) ((void) (addr), (void) (size))
#define CLS_UNPOISON(addr, size) ((void) (addr), (void) (size))
#endif

#ifdef CLASSIFIER_TSAN
#include <sanitizer/tsan_interface.h>

/* One address stands for "the grace period": workers release it at every
 * quiescent state, and every RCU callback acquires it before freeing, which
 * is the happens-before edge a grace period provides. */
static char cls_tsan_grace;

#define CLS_TSAN_RELEASE() __tsan_release(&cls_tsan_grace)
#define CLS_TSAN_ACQUIRE() __tsan_acquire(&cls_tsan_grace)

void
classifier_rcu_quiescent_state(void)
{
    CLS_TSAN_RELEASE();
    rcu_quiescent_state();
}

void
classifier_rcu_thread_offline(void)
{
    CLS_TSAN_RELEASE();
    rcu_thread_offline();
}

void
classifier_rcu_synchronize(void)
{
    synchronize_rcu();
    CLS_TSAN_ACQUIRE();
}
#else
#define CLS_TSAN_RELEASE() ((void) 0)
#define CLS_TSAN_ACQUIRE() ((void) 0)
#endif

/* Keys are written field by field and read here by words: a may_alias type
 * keeps that defined under type-based aliasing. */
typedef uint64_t cls_word __attribute__((may_alias));

#define CLS_LOAD(p) __atomic_load_n(p, __ATOMIC_RELAXED)

/* A bucket's signatures are read without atomics outside TSan builds.  A
 * relaxed atomic load is a plain move too, but the compiler will not fold it
 * into the compare, which costs a probe five instructions.  A stale
 * signature only makes a probe look at, or skip, a slot that a concurrent
 * insert or delete is changing; the flow pointer itself is loaded with
 * acquire semantics and the answer rests on the key compare. */
#ifdef CLASSIFIER_TSAN
#define CLS_LOAD_SIG(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#else
#define CLS_LOAD_SIG(p) (*(p))
#endif
#define CLS_STORE(p, v) __atomic_store_n(p, v, __ATOMIC_RELAXED)
#define CLS_LOAD_ACQ(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)

/* rcu_dereference() for the lookup path: the loads that follow depend on the
 * pointer's value, which orders them on every CPU but Alpha, so a relaxed
 * load is enough (and, unlike acquire, does not stop the compiler from
 * keeping unrelated values in registers across it).  TSan builds use acquire,
 * which is what TSan understands. */
#ifdef CLASSIFIER_TSAN
#define CLS_DEREF(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#else
#define CLS_DEREF(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#endif
#define CLS_PUBLISH(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

/* ---------------------------------------------------------------- hashing */

/* A subtable hashes only the words its mask touches, one 64x64->128 multiply
 * a word folded to 64 bits (the "mum" step of wyhash): a few instructions a
 * word, and every input bit reaches every output bit.  flow_key_hash_masked()
 * spends about twice as much per word and walks every word of the range,
 * touched or not; lookups pay this once per subtable probed. */
#define CLS_HASH_BASIS 0x243f6a8885a308d3ULL
#define CLS_HASH_MUL 0x9e3779b97f4a7c15ULL

static inline uint64_t
cls_mix(uint64_t x)
{
    __uint128_t p = (__uint128_t) x * CLS_HASH_MUL;

    return (uint64_t) p ^ (uint64_t) (p >> 64);
}

/* ---------------------------------------------------------------- structures */

/* Six flows a cache line: 16-bit signatures (the top of the hash) that one
 * SSE2 compare checks at once, and the flow pointers.  A slot is empty when
 * its flow is NULL; its signature may then be stale, which costs a reader
 * nothing but a NULL test.  Linear probing by bucket: 'overflow' is nonzero
 * while some flow whose home is this bucket lives in a later one, and a
 * reader stops at the first bucket where it is zero.  The writer keeps the
 * exact counts beside the buckets. */
#define CLS_SLOTS 6

struct cls_bucket {
    uint16_t sig[CLS_SLOTS];
    uint16_t overflow;          /* 0 or 1 */
    uint16_t pad;
    struct classifier_flow *flow[CLS_SLOTS];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct cls_bucket) == 64, "a bucket is one cache line");

/* Replaced as a whole when it grows or shrinks, so readers never see a
 * bucket move. */
struct cls_table {
    uint32_t mask;              /* n_buckets - 1 */
    uint32_t n;                 /* flows; writer only */
    uint32_t *n_overflow;       /* [n_buckets], after the buckets; writer only */
    struct rcu_head rcu;
    struct cls_bucket b[];
};

/* Grow above 1/2 full, shrink below 1/8: at half load one bucket in twelve
 * overflows, so a miss rarely reads a second line.  Buckets are small beside
 * flows (64 bytes for three flows at worst). */
#define CLS_TABLE_MAX_LOAD(n_buckets) ((n_buckets) * CLS_SLOTS / 2)
#define CLS_TABLE_MIN_LOAD(n_buckets) ((n_buckets) * CLS_SLOTS / 8)

struct cls_hits {
    uint64_t n;
} __attribute__((aligned(64)));

struct cls_subtable {
    /* Read by lookups. */
    struct cls_table *table;            /* RCU-published */
    struct cls_hits *hits;              /* [n_workers], each its own line */
    uint32_t n_words;                   /* mask words that are not zero */
    uint32_t shape;                     /* min(n_words, 7): which probe */
    uint8_t idx[FLOW_KEY_WORDS];        /* their indexes in the key */
    uint64_t mask_words[FLOW_KEY_WORDS];/* their values, packed */

    /* Writer only. */
    struct flow_mask mask;
    unsigned int n_flows;
    uint64_t hits_seen;                 /* sum at the previous rerank */
    uint64_t hits_recent;               /* hits since then, while sorting */
    struct cls_subtable *next;          /* classifier's list */
    struct rcu_head rcu;
};

/* The order lookups probe subtables in; replaced as a whole. */
struct cls_rank {
    uint32_t n;
    struct rcu_head rcu;
    struct cls_subtable *st[];
};

/* Flows come from chunks that live as long as the classifier. */
struct cls_chunk {
    struct cls_chunk *next;
    size_t size;
};

#define CLS_CHUNK_HDR 64        /* keeps slots cache-line aligned */
#define CLS_CHUNK_MAX_SLOTS 4096

struct classifier {
    struct cls_rank *rank;              /* RCU-published */
    unsigned int n_workers;

    /* Writer only. */
    unsigned int max_flows;
    unsigned int n_flows;
    unsigned int n_subtables;
    struct cls_subtable *subtables;
    struct cls_subtable *last_subtable; /* puts often come in runs of a mask */
    uint64_t next_gen;

    struct classifier_flow **ufid_buckets;
    uint32_t ufid_mask;
    uint32_t n_ufid;

    struct classifier_flow *dump_head, *dump_tail;
    struct classifier_dump *dumps;

    /* The pool: the writer takes, RCU callbacks give back. */
    pthread_mutex_t pool_lock;
    struct classifier_flow *pool_free;
    struct cls_chunk *chunks;
    size_t slot_size;
    size_t n_slots;
};

/* ---------------------------------------------------------------- deferral */

static void
cls_defer(struct rcu_head *head, void (*fn)(struct rcu_head *))
{
    /* The callback's acquire sees everything this thread wrote, too. */
    CLS_TSAN_RELEASE();
    call_rcu(head, fn);
}

static void
cls_free_rcu_table(struct rcu_head *head)
{
    CLS_TSAN_ACQUIRE();
    free(caa_container_of(head, struct cls_table, rcu));
}

static void
cls_free_rcu_rank(struct rcu_head *head)
{
    CLS_TSAN_ACQUIRE();
    free(caa_container_of(head, struct cls_rank, rcu));
}

static void
cls_free_rcu_actions(struct rcu_head *head)
{
    CLS_TSAN_ACQUIRE();
    free(caa_container_of(head, struct classifier_actions, rcu));
}

static void
cls_subtable_free(struct cls_subtable *st)
{
    free(st->table);
    free(st->hits);
    free(st);
}

static void
cls_free_rcu_subtable(struct rcu_head *head)
{
    CLS_TSAN_ACQUIRE();
    cls_subtable_free(caa_container_of(head, struct cls_subtable, rcu));
}

/* ---------------------------------------------------------------- flow pool */

static int
cls_pool_grow(struct classifier *cls)
{
    size_t n = cls->n_slots ? cls->n_slots : 16;
    struct cls_chunk *chunk;
    size_t size;

    if (n > CLS_CHUNK_MAX_SLOTS) {
        n = CLS_CHUNK_MAX_SLOTS;
    }
    size = CLS_CHUNK_HDR + n * cls->slot_size;
    chunk = aligned_alloc(64, size);
    if (!chunk) {
        return -ENOMEM;
    }
    /* Zero so that live_gen of a never-used slot reads 0. */
    memset(chunk, 0, size);
    chunk->size = size;
    chunk->next = cls->chunks;
    cls->chunks = chunk;
    cls->n_slots += n;

    pthread_mutex_lock(&cls->pool_lock);
    for (size_t i = 0; i < n; i++) {
        struct classifier_flow *f = (void *) ((char *) chunk + CLS_CHUNK_HDR
                                              + i * cls->slot_size);

        f->pool_next = cls->pool_free;
        cls->pool_free = f;
        CLS_POISON((char *) f + 16, cls->slot_size - 16);
    }
    pthread_mutex_unlock(&cls->pool_lock);
    return 0;
}

static struct classifier_flow *
cls_pool_get(struct classifier *cls)
{
    struct classifier_flow *f;

    pthread_mutex_lock(&cls->pool_lock);
    f = cls->pool_free;
    if (f) {
        cls->pool_free = f->pool_next;
    }
    pthread_mutex_unlock(&cls->pool_lock);
    if (!f) {
        if (cls_pool_grow(cls)) {
            return NULL;
        }
        return cls_pool_get(cls);
    }
    CLS_UNPOISON((char *) f + 16, cls->slot_size - 16);
    /* Everything but live_gen: a stale EMC entry may be reading that one
     * (atomically) right now. */
    memset((char *) f + sizeof f->live_gen, 0, cls->slot_size - sizeof f->live_gen);
    return f;
}

static void
cls_pool_put(struct classifier *cls, struct classifier_flow *f)
{
    CLS_POISON((char *) f + 16, cls->slot_size - 16);
    pthread_mutex_lock(&cls->pool_lock);
    f->pool_next = cls->pool_free;
    cls->pool_free = f;
    pthread_mutex_unlock(&cls->pool_lock);
}

/* After a grace period: no reader holds the flow any more, only stale EMC
 * entries, which look at live_gen alone. */
static void
cls_free_rcu_flow(struct rcu_head *head)
{
    struct classifier_flow *f = caa_container_of(head, struct classifier_flow, rcu);
    struct classifier *cls = f->cls;

    CLS_TSAN_ACQUIRE();
    free(f->actions);
    free(f->nl);
    cls_pool_put(cls, f);
}

/* ---------------------------------------------------------------- subtable table */

/* The hash of a key under st's mask.  'n' is st->n_words; callers pass it
 * as a constant where they can, so that the loop unrolls. */
static inline __attribute__((always_inline)) uint64_t
cls_hash_n(const struct cls_subtable *st, const cls_word *k, uint32_t n)
{
    uint64_t h = CLS_HASH_BASIS;

#pragma GCC unroll 8
    for (uint32_t i = 0; i < n; i++) {
        h = cls_mix(h ^ (k[st->idx[i]] & st->mask_words[i]));
    }
    return h;
}

static inline uint64_t
cls_hash(const struct cls_subtable *st, const cls_word *k)
{
    return cls_hash_n(st, k, st->n_words);
}

static inline __attribute__((always_inline)) bool
cls_matches_n(const struct cls_subtable *st, const struct classifier_flow *f,
              const cls_word *k, uint32_t n)
{
    const cls_word *fk = (const cls_word *) flow_key_words(&f->key);
    uint64_t diff = 0;

#pragma GCC unroll 8
    for (uint32_t i = 0; i < n; i++) {
        unsigned int w = st->idx[i];

        diff |= (k[w] & st->mask_words[i]) ^ fk[w];
    }
    return !diff;
}

#if defined(__SSE2__) && !defined(CLASSIFIER_TSAN)
#define CLS_SIMD 1
#endif

/* One probe.  A miss, the common case when several subtables are probed,
 * costs the hash, one cache line and one compare of six signatures. */
static inline __attribute__((always_inline)) struct classifier_flow *
cls_subtable_lookup_n(const struct cls_subtable *st, const cls_word *k, uint32_t n_words)
{
    const struct cls_table *t = CLS_DEREF(&st->table);
    uint64_t h = cls_hash_n(st, k, n_words);
    uint16_t sig = h >> 48;
    uint32_t i = (uint32_t) h & t->mask;
#ifdef CLS_SIMD
    /* A plain read of signatures that the writer stores atomically: see
     * CLS_LOAD_SIG.  TSan builds take the scalar loop below. */
    __m128i bsig = _mm_set1_epi16((short) sig);
#endif

    /* Bounded: a table is never full, but a reader must not trust that. */
    for (uint32_t n = 0; n <= t->mask; n++) {
        const struct cls_bucket *b = &t->b[i];
#ifdef CLS_SIMD
        __m128i eq = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *) (const void *) b),
                                     bsig);
        /* Two mask bits a 16-bit lane; lanes 6 and 7 are not signatures. */
        unsigned int m = _mm_movemask_epi8(eq) & 0xfff;

        while (m) {
            int s = __builtin_ctz(m) >> 1;
            struct classifier_flow *f = CLS_DEREF(&b->flow[s]);

            if (f && cls_matches_n(st, f, k, n_words)) {
                return f;
            }
            m &= ~(3u << (2 * s));
        }
#else
        for (int s = 0; s < CLS_SLOTS; s++) {
            if (CLS_LOAD_SIG(&b->sig[s]) == sig) {
                struct classifier_flow *f = CLS_DEREF(&b->flow[s]);

                if (f && cls_matches_n(st, f, k, n_words)) {
                    return f;
                }
            }
        }
#endif
        if (!CLS_LOAD_SIG(&b->overflow)) {
            break;
        }
        i = (i + 1) & t->mask;
    }
    return NULL;
}

/* Masks of up to 6 touched words (every mask the L2 and L3 slow paths make)
 * get a copy of the probe with the word loops unrolled.  Inlined into the
 * lookup loop, so that a probe pays no call. */
static inline __attribute__((always_inline)) struct classifier_flow *
cls_subtable_lookup(const struct cls_subtable *st, const cls_word *k)
{
    /* 'shape' is min(n_words, 7): every case is covered, so the jump
     * needs no range check. */
    switch (st->shape & 7) {
    case 0: return cls_subtable_lookup_n(st, k, 0);
    case 1: return cls_subtable_lookup_n(st, k, 1);
    case 2: return cls_subtable_lookup_n(st, k, 2);
    case 3: return cls_subtable_lookup_n(st, k, 3);
    case 4: return cls_subtable_lookup_n(st, k, 4);
    case 5: return cls_subtable_lookup_n(st, k, 5);
    case 6: return cls_subtable_lookup_n(st, k, 6);
    case 7: return cls_subtable_lookup_n(st, k, st->n_words);
    default: __builtin_unreachable();
    }
}

static struct cls_table *
cls_table_alloc(uint32_t n_buckets)
{
    size_t size = sizeof(struct cls_table)
                  + (size_t) n_buckets * (sizeof(struct cls_bucket) + sizeof(uint32_t));
    struct cls_table *t;

    size = (size + 63) & ~(size_t) 63;
    t = aligned_alloc(64, size);
    if (t) {
        memset(t, 0, size);
        t->mask = n_buckets - 1;
        t->n_overflow = (uint32_t *) (void *) &t->b[n_buckets];
    }
    return t;
}

/* Writer: the table must have a free slot.  Readers may be probing. */
static void
cls_table_insert(struct cls_table *t, struct classifier_flow *f)
{
    uint32_t i = (uint32_t) f->hash & t->mask;

    for (;;) {
        struct cls_bucket *b = &t->b[i];

        for (int s = 0; s < CLS_SLOTS; s++) {
            if (!b->flow[s]) {
                CLS_STORE(&b->sig[s], (uint16_t) (f->hash >> 48));
                CLS_PUBLISH(&b->flow[s], f);
                t->n++;
                return;
            }
        }
        /* Before the flow becomes visible further on. */
        if (t->n_overflow[i]++ == 0) {
            CLS_STORE(&b->overflow, 1);
        }
        i = (i + 1) & t->mask;
    }
}

static void
cls_table_remove(struct cls_table *t, struct classifier_flow *f)
{
    uint32_t home = (uint32_t) f->hash & t->mask;
    uint32_t i = home;

    for (uint32_t n = 0; n <= t->mask; n++) {
        struct cls_bucket *b = &t->b[i];

        for (int s = 0; s < CLS_SLOTS; s++) {
            if (b->flow[s] == f) {
                CLS_STORE(&b->flow[s], NULL);
                t->n--;
                for (uint32_t j = home; j != i; j = (j + 1) & t->mask) {
                    if (--t->n_overflow[j] == 0) {
                        CLS_STORE(&t->b[j].overflow, 0);
                    }
                }
                return;
            }
        }
        i = (i + 1) & t->mask;
    }
    abort();                    /* the flow was not in its subtable */
}

/* Writer: a copy of the table with n_buckets buckets, published; the old one
 * is freed after a grace period. */
static int
cls_table_resize(struct cls_subtable *st, uint32_t n_buckets)
{
    struct cls_table *old = st->table;
    struct cls_table *t = cls_table_alloc(n_buckets);

    if (!t) {
        return -ENOMEM;
    }
    for (uint32_t i = 0; i <= old->mask; i++) {
        for (int s = 0; s < CLS_SLOTS; s++) {
            if (old->b[i].flow[s]) {
                cls_table_insert(t, old->b[i].flow[s]);
            }
        }
    }
    CLS_PUBLISH(&st->table, t);
    cls_defer(&old->rcu, cls_free_rcu_table);
    return 0;
}

/* ---------------------------------------------------------------- subtables */

static void
cls_rank_publish(struct classifier *cls, struct cls_rank *rank)
{
    struct cls_rank *old = cls->rank;

    CLS_PUBLISH(&cls->rank, rank);
    cls_defer(&old->rcu, cls_free_rcu_rank);
}

static struct cls_rank *
cls_rank_alloc(uint32_t n)
{
    struct cls_rank *r = malloc(sizeof *r + n * sizeof r->st[0]);

    if (r) {
        r->n = n;
    }
    return r;
}

static struct cls_subtable *
cls_subtable_find(struct classifier *cls, const struct flow_mask *mask)
{
    struct cls_subtable *st = cls->last_subtable;

    if (st && !memcmp(&st->mask, mask, sizeof *mask)) {
        return st;
    }
    for (st = cls->subtables; st; st = st->next) {
        if (!memcmp(&st->mask, mask, sizeof *mask)) {
            cls->last_subtable = st;
            return st;
        }
    }
    return NULL;
}

/* A new, empty subtable, probed last until the next rerank. */
static int
cls_subtable_create(struct classifier *cls, const struct flow_mask *mask,
                    struct cls_subtable **stp)
{
    const uint64_t *m = flow_key_words(&mask->m);
    struct cls_rank *rank = NULL;
    struct cls_subtable *st;

    st = calloc(1, sizeof *st);
    if (!st) {
        goto nomem;
    }
    st->hits = aligned_alloc(64, cls->n_workers * sizeof *st->hits);
    st->table = cls_table_alloc(1);
    rank = cls_rank_alloc(cls->rank->n + 1);
    if (!st->hits || !st->table || !rank) {
        goto nomem;
    }
    memset(st->hits, 0, cls->n_workers * sizeof *st->hits);
    st->mask = *mask;
    for (unsigned int i = 0; i < FLOW_KEY_WORDS; i++) {
        if (m[i]) {
            st->idx[st->n_words] = i;
            st->mask_words[st->n_words] = m[i];
            st->n_words++;
        }
    }
    st->shape = st->n_words < 7 ? st->n_words : 7;
    st->next = cls->subtables;
    cls->subtables = st;
    cls->n_subtables++;
    cls->last_subtable = st;

    memcpy(rank->st, cls->rank->st, cls->rank->n * sizeof rank->st[0]);
    rank->st[cls->rank->n] = st;
    cls_rank_publish(cls, rank);
    *stp = st;
    return 0;

nomem:
    free(rank);
    if (st) {
        cls_subtable_free(st);
    }
    return -ENOMEM;
}

/* Unpublishes an empty subtable.  Without memory for a smaller rank array it
 * stays published, empty, which costs lookups a probe but is correct; the
 * next rerank or removal tries again. */
static void
cls_subtable_destroy(struct classifier *cls, struct cls_subtable *st)
{
    struct cls_rank *rank = cls_rank_alloc(cls->rank->n - 1);
    struct cls_subtable **prev;

    if (!rank) {
        return;
    }
    for (uint32_t i = 0, j = 0; i < cls->rank->n; i++) {
        if (cls->rank->st[i] != st) {
            rank->st[j++] = cls->rank->st[i];
        }
    }
    cls_rank_publish(cls, rank);

    for (prev = &cls->subtables; *prev != st; prev = &(*prev)->next) {
        continue;
    }
    *prev = st->next;
    cls->n_subtables--;
    if (cls->last_subtable == st) {
        cls->last_subtable = NULL;
    }
    cls_defer(&st->rcu, cls_free_rcu_subtable);
}

/* The writer's probe: the same, out of line. */
static struct classifier_flow * __attribute__((noinline))
cls_subtable_probe(const struct cls_subtable *st, const struct flow_key *key)
{
    return cls_subtable_lookup(st, (const cls_word *) flow_key_words(key));
}

/* The flow of 'st' whose masked key is 'mkey' (already masked), or NULL. */
static struct classifier_flow *
cls_subtable_find_exact(const struct cls_subtable *st, const struct flow_key *mkey)
{
    return cls_subtable_probe(st, mkey);
}

/* ---------------------------------------------------------------- UFID index */

static inline uint32_t
cls_ufid_hash(const struct ufid *u)
{
    return (uint32_t) cls_mix(((uint64_t) u->u32[0] << 32 | u->u32[1])
                              ^ cls_mix((uint64_t) u->u32[2] << 32 | u->u32[3]));
}

static struct classifier_flow *
cls_ufid_find(const struct classifier *cls, const struct ufid *ufid)
{
    struct classifier_flow *f;

    for (f = cls->ufid_buckets[cls_ufid_hash(ufid) & cls->ufid_mask]; f; f = f->ufid_next) {
        if (ufid_equal(&f->ufid, ufid)) {
            return f;
        }
    }
    return NULL;
}

/* Doubles the index when it gets crowded; without memory it just stays
 * crowded. */
static void
cls_ufid_insert(struct classifier *cls, struct classifier_flow *flow)
{
    struct classifier_flow **b;

    if (cls->n_ufid >= cls->ufid_mask + 1) {
        uint32_t n = (cls->ufid_mask + 1) * 2;
        struct classifier_flow **nb = calloc(n, sizeof *nb);

        if (nb) {
            for (uint32_t i = 0; i <= cls->ufid_mask; i++) {
                struct classifier_flow *f, *next;

                for (f = cls->ufid_buckets[i]; f; f = next) {
                    next = f->ufid_next;
                    b = &nb[cls_ufid_hash(&f->ufid) & (n - 1)];
                    f->ufid_next = *b;
                    *b = f;
                }
            }
            free(cls->ufid_buckets);
            cls->ufid_buckets = nb;
            cls->ufid_mask = n - 1;
        }
    }
    b = &cls->ufid_buckets[cls_ufid_hash(&flow->ufid) & cls->ufid_mask];
    flow->ufid_next = *b;
    *b = flow;
    cls->n_ufid++;
}

static void
cls_ufid_remove(struct classifier *cls, struct classifier_flow *flow)
{
    struct classifier_flow **p = &cls->ufid_buckets[cls_ufid_hash(&flow->ufid)
                                                    & cls->ufid_mask];

    while (*p != flow) {
        p = &(*p)->ufid_next;
    }
    *p = flow->ufid_next;
    cls->n_ufid--;
}

/* ---------------------------------------------------------------- create, destroy */

int
classifier_create(unsigned int n_workers, unsigned int max_flows,
                  struct classifier **clsp, struct xsw_err *err)
{
    struct classifier *cls;

    *clsp = NULL;
    if (!n_workers || n_workers > 1024) {
        return xsw_err_set(err, EINVAL, "classifier: %u workers (1 to 1024 allowed)",
                           n_workers);
    }
    if (!max_flows) {
        return xsw_err_set(err, EINVAL, "classifier: max_flows must be at least 1");
    }
    cls = calloc(1, sizeof *cls);
    if (!cls) {
        goto nomem;
    }
    cls->n_workers = n_workers;
    cls->max_flows = max_flows;
    cls->next_gen = 1;
    cls->slot_size = sizeof(struct classifier_flow)
                     + n_workers * sizeof(struct classifier_stats_slot);
    pthread_mutex_init(&cls->pool_lock, NULL);
    cls->ufid_mask = 63;
    cls->ufid_buckets = calloc(cls->ufid_mask + 1, sizeof *cls->ufid_buckets);
    cls->rank = cls_rank_alloc(0);
    if (!cls->ufid_buckets || !cls->rank) {
        goto nomem;
    }
    *clsp = cls;
    return 0;

nomem:
    if (cls) {
        free(cls->rank);
        free(cls->ufid_buckets);
        pthread_mutex_destroy(&cls->pool_lock);
        free(cls);
    }
    return xsw_err_set(err, ENOMEM, "classifier: out of memory");
}

void
classifier_destroy(struct classifier *cls)
{
    struct cls_chunk *chunk, *next;
    bool online;

    if (!cls) {
        return;
    }
    classifier_flush(cls);

    /* rcu_barrier() refuses to run inside a read-side critical section,
     * which an online QSBR thread always is. */
    online = rcu_read_ongoing();
    if (online) {
        rcu_thread_offline();
    }
    rcu_barrier();
    if (online) {
        rcu_thread_online();
    }
    CLS_TSAN_ACQUIRE();

    /* Subtables whose removal found no memory for a new rank array. */
    while (cls->subtables) {
        struct cls_subtable *st = cls->subtables;

        cls->subtables = st->next;
        cls_subtable_free(st);
    }
    free(cls->rank);
    free(cls->ufid_buckets);

    pthread_mutex_lock(&cls->pool_lock);        /* last callbacks' writes */
    pthread_mutex_unlock(&cls->pool_lock);
    for (chunk = cls->chunks; chunk; chunk = next) {
        next = chunk->next;
        CLS_UNPOISON(chunk, chunk->size);
        free(chunk);
    }
    pthread_mutex_destroy(&cls->pool_lock);
    free(cls);
}

/* ---------------------------------------------------------------- flows */

const struct flow_mask *
classifier_flow_mask(const struct classifier_flow *flow)
{
    return &flow->subtable->mask;
}

void
classifier_flow_get_stats(const struct classifier_flow *flow,
                          struct classifier_stats *stats)
{
    uint32_t epoch = CLS_LOAD(&flow->stats_epoch);

    memset(stats, 0, sizeof *stats);
    for (unsigned int i = 0; i < flow->cls->n_workers; i++) {
        const struct classifier_stats_slot *s = &flow->stats[i];
        uint64_t used;

        /* A slot of an older epoch holds counts from before a clear. */
        if (CLS_LOAD_ACQ(&s->epoch) != epoch) {
            continue;
        }
        stats->packets += CLS_LOAD(&s->packets);
        stats->bytes += CLS_LOAD(&s->bytes);
        stats->tcp_flags |= CLS_LOAD(&s->tcp_flags);
        used = CLS_LOAD(&s->used_ns);
        if (used > stats->used_ns) {
            stats->used_ns = used;
        }
    }
}

static struct classifier_actions *
cls_actions_create(const void *data, size_t len)
{
    struct classifier_actions *a = malloc(sizeof *a + len);

    if (a) {
        a->len = len;
        if (len) {
            memcpy(a->data, data, len);
        }
    }
    return a;
}

static void
cls_dump_list_append(struct classifier *cls, struct classifier_flow *f)
{
    f->dump_prev = cls->dump_tail;
    f->dump_next = NULL;
    if (cls->dump_tail) {
        cls->dump_tail->dump_next = f;
    } else {
        cls->dump_head = f;
    }
    cls->dump_tail = f;

    /* A cursor at the end goes on with the new flow. */
    for (struct classifier_dump *d = cls->dumps; d; d = d->list_next) {
        if (!d->next) {
            d->next = f;
        }
    }
}

static void
cls_dump_list_remove(struct classifier *cls, struct classifier_flow *f)
{
    for (struct classifier_dump *d = cls->dumps; d; d = d->list_next) {
        if (d->next == f) {
            d->next = f->dump_next;
        }
    }
    if (f->dump_prev) {
        f->dump_prev->dump_next = f->dump_next;
    } else {
        cls->dump_head = f->dump_next;
    }
    if (f->dump_next) {
        f->dump_next->dump_prev = f->dump_prev;
    } else {
        cls->dump_tail = f->dump_prev;
    }
}

/* Makes room in st's table for one more flow. */
static int
cls_subtable_reserve(struct cls_subtable *st)
{
    struct cls_table *t = st->table;
    uint32_t n_buckets = t->mask + 1;

    if (t->n + 1 > CLS_TABLE_MAX_LOAD(n_buckets)
        && cls_table_resize(st, n_buckets * 2)
        && t->n + 1 >= n_buckets * CLS_SLOTS) {
        /* No memory to grow and no slot left. */
        return -ENOMEM;
    }
    return 0;
}

static int
cls_flow_create(struct classifier *cls, const struct classifier_put *put,
                const struct flow_key *mkey, struct cls_subtable *st,
                struct classifier_flow **flowp, struct xsw_err *err)
{
    struct classifier_flow *f;
    bool new_subtable = false;
    size_t nl_len = put->key_nl_len + put->mask_nl_len;
    int error;

    f = cls_pool_get(cls);
    if (!f) {
        goto nomem;
    }
    f->cls = cls;
    f->key = *mkey;
    f->actions = cls_actions_create(put->actions, put->actions ? put->actions_len : 0);
    if (!f->actions) {
        goto nomem_flow;
    }
    if (nl_len) {
        f->nl = malloc(nl_len);
        if (!f->nl) {
            goto nomem_flow;
        }
        if (put->key_nl_len) {
            memcpy(f->nl, put->key_nl, put->key_nl_len);
        }
        if (put->mask_nl_len) {
            memcpy(f->nl + put->key_nl_len, put->mask_nl, put->mask_nl_len);
        }
    }
    f->key_nl_len = put->key_nl_len;
    f->mask_nl_len = put->mask_nl_len;
    if (put->ufid) {
        f->ufid = *put->ufid;
        f->has_ufid = true;
    }

    if (!st) {
        error = cls_subtable_create(cls, put->mask, &st);
        if (error) {
            goto nomem_flow;
        }
        new_subtable = true;
    }
    error = cls_subtable_reserve(st);
    if (error) {
        goto nomem_subtable;
    }
    f->subtable = st;
    f->hash = cls_hash(st, (const cls_word *) flow_key_words(mkey));

    /* Everything a reader may look at is in place: publish. */
    CLS_PUBLISH(&f->live_gen, cls->next_gen++);
    cls_table_insert(st->table, f);
    st->n_flows++;
    cls->n_flows++;
    if (f->has_ufid) {
        cls_ufid_insert(cls, f);
    }
    cls_dump_list_append(cls, f);
    *flowp = f;
    return 0;

nomem_subtable:
    if (new_subtable) {
        cls_subtable_destroy(cls, st);
    }
nomem_flow:
    /* Never published: no grace period needed. */
    free(f->actions);
    free(f->nl);
    cls_pool_put(cls, f);
nomem:
    return xsw_err_set(err, ENOMEM, "out of memory for a new flow");
}

int
classifier_put(struct classifier *cls, const struct classifier_put *put,
               struct classifier_put_result *res, struct xsw_err *err)
{
    struct classifier_flow *by_ufid, *same, *existing;
    struct cls_subtable *st;
    struct flow_key mkey;
    char ufid_s[UFID_STRLEN];

    memset(res, 0, sizeof *res);
    if (!put->key || !put->mask) {
        return xsw_err_set(err, EINVAL, "flow put without a key or a mask");
    }
    if (!(put->flags & (CLASSIFIER_PUT_CREATE | CLASSIFIER_PUT_MODIFY))) {
        return xsw_err_set(err, EINVAL, "flow put allows neither create nor modify");
    }
    if (put->key_nl_len + put->mask_nl_len > UINT32_MAX
        || put->actions_len > UINT32_MAX) {
        return xsw_err_set(err, EINVAL, "flow put: attribute too long");
    }

    flow_key_mask(&mkey, put->key, put->mask);
    st = cls_subtable_find(cls, put->mask);
    same = st ? cls_subtable_find_exact(st, &mkey) : NULL;
    by_ufid = put->ufid ? cls_ufid_find(cls, put->ufid) : NULL;

    existing = NULL;
    if (by_ufid) {
        if (by_ufid != same) {
            ufid_to_string(put->ufid, ufid_s);
            if (!(put->flags & CLASSIFIER_PUT_MODIFY)) {
                return xsw_err_set(err, EEXIST, "flow %s already exists", ufid_s);
            }
            return xsw_err_set(err, EINVAL,
                               "flow %s exists with a different key or mask", ufid_s);
        }
        existing = by_ufid;
    } else if (same) {
        if (put->ufid) {
            /* Two flows with one match would make lookups ambiguous. */
            if (same->has_ufid) {
                ufid_to_string(&same->ufid, ufid_s);
            } else {
                strcpy(ufid_s, "without UFID");
            }
            return xsw_err_set(err, EEXIST,
                               "flow overlaps flow %s with the same mask and key",
                               ufid_s);
        }
        existing = same;
    }

    if (existing) {
        if (!(put->flags & CLASSIFIER_PUT_MODIFY)) {
            return xsw_err_set(err, EEXIST, "flow already exists");
        }
        classifier_flow_get_stats(existing, &res->stats);
        if (put->actions) {
            struct classifier_actions *a, *old = existing->actions;

            a = cls_actions_create(put->actions, put->actions_len);
            if (!a) {
                return xsw_err_set(err, ENOMEM, "out of memory for flow actions");
            }
            CLS_PUBLISH(&existing->actions, a);
            cls_defer(&old->rcu, cls_free_rcu_actions);
        }
        if (put->flags & CLASSIFIER_PUT_ZERO_STATS) {
            CLS_STORE(&existing->stats_epoch, existing->stats_epoch + 1);
        }
        res->flow = existing;
        return 0;
    }

    if (!(put->flags & CLASSIFIER_PUT_CREATE)) {
        return xsw_err_set(err, ENOENT, "no such flow");
    }
    if (cls->n_flows >= cls->max_flows) {
        return xsw_err_set(err, ENOSPC, "flow table full: %u flows (max_flows)",
                           cls->max_flows);
    }
    res->created = true;
    return cls_flow_create(cls, put, &mkey, st, &res->flow, err);
}

void
classifier_del(struct classifier *cls, struct classifier_flow *flow,
               struct classifier_stats *stats)
{
    struct cls_subtable *st = (struct cls_subtable *) flow->subtable;
    struct cls_table *t;

    /* Dead first: an EMC hit validated from now on fails. */
    CLS_STORE(&flow->live_gen, 0);
    cls_table_remove(st->table, flow);
    if (flow->has_ufid) {
        cls_ufid_remove(cls, flow);
    }
    cls_dump_list_remove(cls, flow);
    cls->n_flows--;
    if (stats) {
        classifier_flow_get_stats(flow, stats);
    }

    t = st->table;
    if (--st->n_flows == 0) {
        cls_subtable_destroy(cls, st);
    } else if (t->mask > 0 && t->n < CLS_TABLE_MIN_LOAD(t->mask + 1)) {
        /* Failing to shrink only wastes memory. */
        (void) cls_table_resize(st, (t->mask + 1) / 2);
    }
    cls_defer(&flow->rcu, cls_free_rcu_flow);
}

int
classifier_del_by_ufid(struct classifier *cls, const struct ufid *ufid,
                       struct classifier_stats *stats, struct xsw_err *err)
{
    struct classifier_flow *f = cls_ufid_find(cls, ufid);
    char s[UFID_STRLEN];

    if (!f) {
        ufid_to_string(ufid, s);
        return xsw_err_set(err, ENOENT, "no flow %s", s);
    }
    classifier_del(cls, f, stats);
    return 0;
}

int
classifier_del_by_key(struct classifier *cls, const struct flow_key *key,
                      const struct flow_mask *mask, struct classifier_stats *stats,
                      struct xsw_err *err)
{
    struct classifier_flow *f = classifier_get_by_key(cls, key, mask);

    if (!f) {
        return xsw_err_set(err, ENOENT, "no flow with this key and mask");
    }
    classifier_del(cls, f, stats);
    return 0;
}

void
classifier_flush(struct classifier *cls)
{
    while (cls->dump_head) {
        classifier_del(cls, cls->dump_head, NULL);
    }
}

struct classifier_flow *
classifier_get_by_ufid(const struct classifier *cls, const struct ufid *ufid)
{
    return cls_ufid_find(cls, ufid);
}

struct classifier_flow *
classifier_get_by_key(const struct classifier *cls, const struct flow_key *key,
                      const struct flow_mask *mask)
{
    struct cls_subtable *st;
    struct flow_key mkey;

    if (!mask) {
        for (st = cls->subtables; st; st = st->next) {
            struct classifier_flow *f = cls_subtable_probe(st, key);


            if (f) {
                return f;
            }
        }
        return NULL;
    }
    st = cls_subtable_find((struct classifier *) cls, mask);
    if (!st) {
        return NULL;
    }
    flow_key_mask(&mkey, key, mask);
    return cls_subtable_find_exact(st, &mkey);
}

unsigned int
classifier_count(const struct classifier *cls)
{
    return cls->n_flows;
}

unsigned int
classifier_n_subtables(const struct classifier *cls)
{
    return cls->n_subtables;
}

/* ---------------------------------------------------------------- ranking */

bool
classifier_rerank(struct classifier *cls)
{
    struct cls_subtable *st, *next;
    struct cls_rank *rank;
    bool changed = false;

    /* Empty subtables whose removal found no memory before. */
    for (st = cls->subtables; st; st = next) {
        next = st->next;
        if (!st->n_flows) {
            cls_subtable_destroy(cls, st);
        }
    }

    rank = cls_rank_alloc(cls->rank->n);
    if (!rank) {
        return false;
    }
    memcpy(rank->st, cls->rank->st, rank->n * sizeof rank->st[0]);
    for (uint32_t i = 0; i < rank->n; i++) {
        uint64_t sum = 0;

        st = rank->st[i];
        for (unsigned int w = 0; w < cls->n_workers; w++) {
            sum += CLS_LOAD(&st->hits[w].n);
        }
        st->hits_recent = sum - st->hits_seen;
        st->hits_seen = sum;
    }

    /* Insertion sort, stable: ties keep their order, so a quiet table is
     * not republished every second. */
    for (uint32_t i = 1; i < rank->n; i++) {
        uint32_t j = i;

        st = rank->st[i];
        while (j > 0 && rank->st[j - 1]->hits_recent < st->hits_recent) {
            rank->st[j] = rank->st[j - 1];
            j--;
        }
        if (j != i) {
            rank->st[j] = st;
            changed = true;
        }
    }

    if (!changed) {
        free(rank);
        return false;
    }
    cls_rank_publish(cls, rank);
    return true;
}

/* ---------------------------------------------------------------- dumps */

void
classifier_dump_start(struct classifier *cls, struct classifier_dump *d)
{
    d->cls = cls;
    d->next = cls->dump_head;
    d->list_prev = NULL;
    d->list_next = cls->dumps;
    if (cls->dumps) {
        cls->dumps->list_prev = d;
    }
    cls->dumps = d;
}

struct classifier_flow *
classifier_dump_peek(struct classifier_dump *d)
{
    return d->next;
}

struct classifier_flow *
classifier_dump_next(struct classifier_dump *d)
{
    struct classifier_flow *f = d->next;

    if (f) {
        d->next = f->dump_next;
    }
    return f;
}

void
classifier_dump_done(struct classifier_dump *d)
{
    struct classifier *cls = d->cls;

    if (d->list_prev) {
        d->list_prev->list_next = d->list_next;
    } else {
        cls->dumps = d->list_next;
    }
    if (d->list_next) {
        d->list_next->list_prev = d->list_prev;
    }
    d->cls = NULL;
    d->next = NULL;
}

/* ---------------------------------------------------------------- lookup */

struct classifier_flow *
classifier_lookup(const struct classifier *cls, unsigned int worker,
                  const struct flow_key *key)
{
    const struct cls_rank *rank = CLS_DEREF(&cls->rank);
    const cls_word *k = (const cls_word *) flow_key_words(key);
    struct cls_subtable *const *stp = rank->st;
    struct cls_subtable *const *end = stp + rank->n;

    for (; stp < end; stp++) {
        const struct cls_subtable *st = *stp;
        struct classifier_flow *f = cls_subtable_lookup(st, k);

        if (f) {
            struct cls_hits *hits = &st->hits[worker];

            CLS_STORE(&hits->n, CLS_LOAD(&hits->n) + 1);
            return f;
        }
    }
    return NULL;
}
