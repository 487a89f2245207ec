/* classifier: the megaflow table of the datapath.
 *
 * A megaflow is (masked key, mask, actions, UFID, stats).  A packet matches it
 * when (packet key & mask) == masked key.  The slow path never installs two
 * flows that one packet could both match, so a lookup may return the first
 * match it finds.  This is tuple space search, as in OVS dpcls and the kernel
 * datapath:
 *
 *  - one subtable per distinct mask; it remembers which 64-bit words of the
 *    key its mask touches and hashes only those;
 *  - a subtable holds its flows in an open hash table of 64-byte buckets
 *    (six 16-bit signatures, compared at once, and six flow pointers), so
 *    that a miss costs one cache line and no pointer chasing; the table is
 *    replaced as a whole, under RCU, when it grows or shrinks;
 *  - lookup probes the subtables in rank order and stops at the first match;
 *    rank follows the hits counted by the workers, re-sorted by
 *    classifier_rerank() (about once a second) and published under RCU.
 *
 * Threads (liburcu QSBR, see DESIGN.md):
 *
 *  - ONE writer thread (the control thread) calls everything that changes the
 *    table: classifier_put(), classifier_del*(), classifier_flush(),
 *    classifier_rerank(), the dump functions, classifier_destroy().  It must
 *    be registered with rcu_register_thread(): freeing goes through
 *    call_rcu().  Being registered makes it a QSBR reader too: it must
 *    announce quiescent states (or stay offline between its calls), or no
 *    grace period ends and nothing is ever freed.  Writer calls are not
 *    reentrant and take no lock: two writer threads would corrupt the
 *    table.
 *  - Any number of reader threads (the workers), each with its own worker
 *    index below the n_workers given at creation, call classifier_lookup()
 *    and the classifier_flow_*() accessors while RCU-online.  They take no
 *    lock, allocate nothing and make no system call.  A flow they got stays
 *    readable until their next quiescent state, even if it is deleted.
 *  - Statistics are kept per worker, each in its own cache line, written with
 *    plain stores by the owning worker (classifier_flow_stats_add()) and
 *    summed on read (classifier_flow_get_stats(), any thread).
 *
 * Memory: the classifier owns every flow.  A deleted flow is unlinked at once
 * and reclaimed after a grace period.  Flow memory is type-stable: it goes
 * back to a per-classifier pool (never to malloc until classifier_destroy())
 * so that a worker's exact-match cache (emc.h) may keep a flow pointer across
 * quiescent states and validate it by generation: classifier_flow_live_gen()
 * is nonzero and unique while the flow is installed and 0 once it is
 * deleted, and a reused slot gets a new generation.  Actions, netlink blobs,
 * subtables and their hash tables are ordinary allocations freed after a
 * grace period.
 *
 * ThreadSanitizer cannot see liburcu's grace periods (the library is not
 * instrumented).  Workers therefore announce quiescent states through
 * classifier_rcu_quiescent_state() and classifier_rcu_thread_offline(): they
 * are exactly rcu_quiescent_state() and rcu_thread_offline() in a normal
 * build, and in a TSan build they also tell TSan that everything the worker
 * read before happens before whatever the classifier frees after the next
 * grace period.
 */
#ifndef XSW_CLASSIFIER_H
#define XSW_CLASSIFIER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <urcu-qsbr.h>

#include "flow_key.h"
#include "ufid.h"
#include "xsw_err.h"

struct classifier;
struct cls_subtable;

/* Immutable once published; replaced as a whole by a modify.  The bytes are
 * an OVS_ACTION_ATTR_* netlink list, opaque to the classifier. */
struct classifier_actions {
    struct rcu_head rcu;
    uint32_t len;
    uint8_t data[];
};

/* One worker's share of a flow's statistics.  Only that worker writes it;
 * 'epoch' lets the writer clear the statistics without touching the slot
 * (see classifier_put() with CLASSIFIER_PUT_ZERO_STATS). */
struct classifier_stats_slot {
    uint64_t packets;
    uint64_t bytes;
    uint64_t used_ns;
    uint32_t epoch;
    uint16_t tcp_flags;
} __attribute__((aligned(64)));

/* Summed over workers. */
struct classifier_stats {
    uint64_t packets;
    uint64_t bytes;
    uint64_t used_ns;           /* latest now_ns given to stats_add; 0: never */
    uint16_t tcp_flags;         /* OR of every packet's TCP flags */
};

/* A megaflow.  Read its fields through the accessors below; everything else
 * belongs to the writer. */
struct classifier_flow {
    /* First cache line: what lookups and the EMC read.  The first two
     * words stay readable while the slot sits in the pool (live_gen for
     * stale EMC entries, pool_next for the pool); AddressSanitizer builds
     * poison the rest of a free slot. */
    uint64_t live_gen;                  /* 0 once deleted; EMC validation */
    struct classifier_flow *pool_next;  /* free list of the flow pool */
    struct classifier_actions *actions; /* RCU-published */
    const struct cls_subtable *subtable;
    uint64_t hash;                      /* subtable hash of the masked key */
    uint32_t stats_epoch;               /* bumped to clear statistics */
    bool has_ufid;
    struct ufid ufid;

    /* Writer only. */
    struct classifier_flow *dump_prev, *dump_next;
    struct classifier_flow *ufid_next;  /* UFID index chain */
    struct classifier *cls;
    uint8_t *nl;                        /* key_nl bytes then mask_nl bytes */
    uint32_t key_nl_len, mask_nl_len;
    struct rcu_head rcu;

    struct flow_key key;                /* masked */
    struct classifier_stats_slot stats[]; /* [n_workers] */
};

/* ---------------------------------------------------------------- any thread */

/* Creates a classifier for workers 0..n_workers-1 that holds at most
 * max_flows flows.  The caller owns *clsp and frees it with
 * classifier_destroy(). */
int classifier_create(unsigned int n_workers, unsigned int max_flows,
                      struct classifier **clsp, struct xsw_err *err);

void classifier_flow_get_stats(const struct classifier_flow *,
                               struct classifier_stats *);

/* ---------------------------------------------------------------- writer */

/* Flushes every flow, waits for pending reclamation (the caller's thread goes
 * RCU-offline for the wait if it was online) and frees everything.  No
 * reader may use the classifier, and no EMC may still point into it. */
void classifier_destroy(struct classifier *);

#define CLASSIFIER_PUT_CREATE     (1u << 0) /* may create a new flow */
#define CLASSIFIER_PUT_MODIFY     (1u << 1) /* may modify an existing flow */
#define CLASSIFIER_PUT_ZERO_STATS (1u << 2) /* on modify, clear statistics */

struct classifier_put {
    const struct flow_key *key;     /* need not be masked */
    const struct flow_mask *mask;
    const struct ufid *ufid;        /* NULL: the flow is known by key+mask */
    /* NULL keeps the actions of a modified flow (a new flow gets an empty
     * list); non-NULL, even with length 0, replaces them. */
    const void *actions;
    size_t actions_len;
    /* The client's OVS_FLOW_ATTR_KEY / _MASK bytes, kept for dumps. */
    const void *key_nl;
    size_t key_nl_len;
    const void *mask_nl;
    size_t mask_nl_len;
    unsigned int flags;             /* CLASSIFIER_PUT_* */
};

struct classifier_put_result {
    struct classifier_flow *flow;   /* the flow created or modified */
    bool created;
    struct classifier_stats stats;  /* of a modified flow, before the put */
};

/* Creates or modifies a flow, as OVS_FLOW_CMD_NEW / _SET do.  The existing
 * flow is the one with this UFID, or, without a UFID, the one with the same
 * mask and masked key.  Errors (err->msg says which):
 *   -EEXIST  a flow exists and MODIFY was not asked; or another flow (other
 *            UFID, or none) already has this mask and masked key;
 *   -EINVAL  the UFID names a flow whose key or mask differ; no flag given;
 *   -ENOENT  no such flow and CREATE was not asked;
 *   -ENOSPC  the table holds max_flows flows already;
 *   -ENOMEM. */
int classifier_put(struct classifier *, const struct classifier_put *,
                   struct classifier_put_result *, struct xsw_err *);

/* Deletes 'flow' (from a get or a dump of this classifier).  Its last
 * statistics go to *stats if not NULL.  Readers may still be using it: it
 * is reclaimed after a grace period. */
void classifier_del(struct classifier *, struct classifier_flow *flow,
                    struct classifier_stats *stats);

/* -ENOENT if there is no such flow. */
int classifier_del_by_ufid(struct classifier *, const struct ufid *,
                           struct classifier_stats *, struct xsw_err *);
int classifier_del_by_key(struct classifier *, const struct flow_key *,
                          const struct flow_mask *, struct classifier_stats *,
                          struct xsw_err *);

/* Removes every flow. */
void classifier_flush(struct classifier *);

/* The flow with this UFID, or NULL. */
struct classifier_flow *classifier_get_by_ufid(const struct classifier *,
                                               const struct ufid *);

/* With a mask: the flow with exactly this mask and masked key, or NULL.
 * Without (mask NULL): a flow that key matches, as a lookup would find. */
struct classifier_flow *classifier_get_by_key(const struct classifier *,
                                              const struct flow_key *,
                                              const struct flow_mask *);

unsigned int classifier_count(const struct classifier *);
unsigned int classifier_n_subtables(const struct classifier *);

/* Re-sorts the subtables by the hits counted since the previous call and
 * publishes the new order if it changed.  Returns true if it did. */
bool classifier_rerank(struct classifier *);

/* Dumping, in pieces, between other writer calls.  The cursor lives in the
 * caller's memory (e.g. a netlink dump's state) between calls.  Every flow
 * installed for the whole dump is returned exactly once, a flow deleted
 * before the cursor reaches it is not returned, and a flow added during the
 * dump is returned (flows are visited in creation order).  Finish every
 * started dump with classifier_dump_done(). */
struct classifier_dump {
    struct classifier *cls;
    struct classifier_flow *next;
    struct classifier_dump *list_prev, *list_next;
};

void classifier_dump_start(struct classifier *, struct classifier_dump *);
/* The flow the cursor is on, or NULL at the end; does not move the cursor
 * (for a caller that must stop when a flow does not fit its buffer). */
struct classifier_flow *classifier_dump_peek(struct classifier_dump *);
/* Returns the flow the cursor is on and moves past it; NULL at the end. */
struct classifier_flow *classifier_dump_next(struct classifier_dump *);
void classifier_dump_done(struct classifier_dump *);

/* ---------------------------------------------------------------- readers */

/* The flow that 'key' matches, or NULL; counts a hit for 'worker' in the
 * subtable that answered.  The caller is an online QSBR reader. */
struct classifier_flow *classifier_lookup(const struct classifier *,
                                          unsigned int worker,
                                          const struct flow_key *key);

/* Workers' quiescent states; see the top of this file for why. */
#if defined(__SANITIZE_THREAD__)
#define CLASSIFIER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLASSIFIER_TSAN 1
#endif
#endif

#ifdef CLASSIFIER_TSAN
void classifier_rcu_quiescent_state(void);
void classifier_rcu_thread_offline(void);
/* synchronize_rcu() for a writer that frees or reuses what readers used:
 * the wait, and the happens-before edge the readers' quiescent states give. */
void classifier_rcu_synchronize(void);
#else
static inline void
classifier_rcu_synchronize(void)
{
    synchronize_rcu();
}

static inline void
classifier_rcu_quiescent_state(void)
{
    rcu_quiescent_state();
}

static inline void
classifier_rcu_thread_offline(void)
{
    rcu_thread_offline();
}
#endif

static inline uint64_t
classifier_flow_live_gen(const struct classifier_flow *flow)
{
    return __atomic_load_n(&flow->live_gen, __ATOMIC_ACQUIRE);
}

static inline bool
classifier_flow_is_dead(const struct classifier_flow *flow)
{
    return classifier_flow_live_gen(flow) == 0;
}

static inline const struct classifier_actions *
classifier_flow_actions(const struct classifier_flow *flow)
{
    return __atomic_load_n(&flow->actions, __ATOMIC_ACQUIRE);
}

/* The masked key. */
static inline const struct flow_key *
classifier_flow_key(const struct classifier_flow *flow)
{
    return &flow->key;
}

const struct flow_mask *classifier_flow_mask(const struct classifier_flow *);

/* NULL if the flow was put without a UFID. */
static inline const struct ufid *
classifier_flow_ufid(const struct classifier_flow *flow)
{
    return flow->has_ufid ? &flow->ufid : NULL;
}

/* The netlink bytes given at creation (possibly empty); the writer's, or a
 * reader's until its next quiescent state. */
static inline const void *
classifier_flow_key_nl(const struct classifier_flow *flow, size_t *len)
{
    *len = flow->key_nl_len;
    return flow->nl;
}

static inline const void *
classifier_flow_mask_nl(const struct classifier_flow *flow, size_t *len)
{
    *len = flow->mask_nl_len;
    return flow->nl ? flow->nl + flow->key_nl_len : NULL;
}

/* Called by 'worker' only, for the packets it handled with this flow.
 * Relaxed atomics compile to plain moves: they only tell TSan that the
 * writer's concurrent sums are intended. */
static inline void
classifier_flow_stats_add(struct classifier_flow *flow, unsigned int worker,
                          uint32_t packets, uint32_t bytes, uint16_t tcp_flags,
                          uint64_t now_ns)
{
    struct classifier_stats_slot *s = &flow->stats[worker];
    uint32_t epoch = __atomic_load_n(&flow->stats_epoch, __ATOMIC_RELAXED);
    uint64_t p = 0, b = 0;
    uint16_t f = 0;

    if (__atomic_load_n(&s->epoch, __ATOMIC_RELAXED) == epoch) {
        p = __atomic_load_n(&s->packets, __ATOMIC_RELAXED);
        b = __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
        f = __atomic_load_n(&s->tcp_flags, __ATOMIC_RELAXED);
    } else {
        /* Cleared by the writer since this worker last counted: start over,
         * and publish the new epoch only with counts that belong to it. */
        __atomic_store_n(&s->packets, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->bytes, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->tcp_flags, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->used_ns, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->epoch, epoch, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&s->packets, p + packets, __ATOMIC_RELAXED);
    __atomic_store_n(&s->bytes, b + bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&s->tcp_flags, (uint16_t) (f | tcp_flags), __ATOMIC_RELAXED);
    __atomic_store_n(&s->used_ns, now_ns, __ATOMIC_RELAXED);
}

#endif /* XSW_CLASSIFIER_H */
