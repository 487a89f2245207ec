/* classifier under concurrency: one writer adds, modifies, deletes, flushes,
 * reranks and dumps while two readers look up continuously, through an EMC
 * and the classifier as a worker does.
 *
 * Every answer a reader gets must be a flow that was installed at some moment
 * during its lookup, that matches the key, and whose actions belong to it.
 * The writer numbers its operations; a reader notes the number of the last
 * completed operation before its lookup (d0) and of the last started one
 * after it (s1).  A flow created by operation i and deleted by operation j
 * may be returned only if i <= s1 and j > d0.
 *
 * Runs XSW_STRESS_SECONDS seconds (default 5); meant for the TSan and ASan
 * builds too, which check that no reader touches freed memory. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

#define N_READERS 2
#define N_SLOTS 512             /* flow identities; slot s uses in_port s + 1 */
#define N_MASKS 6
#define MAX_SEQ (1u << 22)      /* flows created in one run, at most */

struct actions_blob {
    uint64_t seq;               /* the flow's creation number */
    uint64_t op;                /* the operation that set these actions */
};

struct shared {
    struct classifier *cls;
    struct flow_mask masks[N_MASKS];
    struct flow_key base[N_SLOTS];      /* slot s's key; never changes */

    /* Written by the writer, read by readers with atomics. */
    uint64_t ops_started;
    uint64_t ops_done;
    uint64_t *created_op;               /* [seq] */
    uint64_t *deleted_op;               /* [seq], 0 while alive */
    uint64_t *actions_op;               /* [seq], last actions change */
    int stop;

    /* Results. */
    uint64_t errors;
    uint64_t lookups[N_READERS];
    uint64_t hits[N_READERS];
    uint64_t emc_hits[N_READERS];
    char first_error[256];
};

struct reader_arg {
    struct shared *sh;
    unsigned int id;
};

static uint64_t
xrand(uint64_t *s)
{
    /* splitmix64: a different stream per thread from its seed. */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void __attribute__((format(printf, 2, 3)))
report(struct shared *sh, const char *fmt, ...)
{
    if (__atomic_fetch_add(&sh->errors, 1, __ATOMIC_RELAXED) == 0) {
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(sh->first_error, sizeof sh->first_error, fmt, ap);
        va_end(ap);
    }
}

static uint64_t
flow_seq(const struct classifier_flow *f)
{
    size_t len;
    const void *nl = classifier_flow_key_nl(f, &len);
    uint64_t seq;

    if (len != sizeof seq) {
        return UINT64_MAX;
    }
    memcpy(&seq, nl, sizeof seq);
    return seq;
}

/* ---------------------------------------------------------------- readers */

static void
check_answer(struct shared *sh, const struct flow_key *key, struct classifier_flow *f,
             uint64_t d0, uint64_t s1, const char *via)
{
    const struct flow_mask *mask = classifier_flow_mask(f);
    const struct classifier_actions *a = classifier_flow_actions(f);
    uint64_t seq = flow_seq(f);
    uint64_t created, deleted, act_op;
    struct actions_blob blob;

    if (!flow_key_equal_masked(classifier_flow_key(f), key, mask, 0, FLOW_KEY_WORDS)) {
        report(sh, "%s: flow does not match the key", via);
        return;
    }
    if (seq >= MAX_SEQ) {
        report(sh, "%s: flow with a bad netlink key blob", via);
        return;
    }
    if (classifier_flow_ufid(f) && classifier_flow_ufid(f)->u32[0] != (uint32_t) seq) {
        report(sh, "%s: flow %lu with UFID of another", via, (unsigned long) seq);
    }
    created = __atomic_load_n(&sh->created_op[seq], __ATOMIC_ACQUIRE);
    deleted = __atomic_load_n(&sh->deleted_op[seq], __ATOMIC_ACQUIRE);
    if (!created || created > s1) {
        report(sh, "%s: flow %lu created by op %lu, lookup ended before op %lu",
               via, (unsigned long) seq, (unsigned long) created, (unsigned long) s1);
    }
    if (deleted && deleted <= d0) {
        report(sh, "%s: flow %lu deleted by op %lu, lookup began after op %lu",
               via, (unsigned long) seq, (unsigned long) deleted, (unsigned long) d0);
    }
    if (a->len != sizeof blob) {
        report(sh, "%s: flow %lu has %u bytes of actions", via, (unsigned long) seq,
               a->len);
        return;
    }
    memcpy(&blob, a->data, sizeof blob);
    if (blob.seq != seq) {
        report(sh, "%s: flow %lu has the actions of flow %lu", via,
               (unsigned long) seq, (unsigned long) blob.seq);
    }
    /* Actions replaced by an operation completed before the lookup began
     * must not be seen. */
    act_op = __atomic_load_n(&sh->actions_op[seq], __ATOMIC_ACQUIRE);
    if (act_op <= d0 && blob.op != act_op) {
        report(sh, "%s: flow %lu shows actions of op %lu, op %lu replaced them "
               "before the lookup", via, (unsigned long) seq, (unsigned long) blob.op,
               (unsigned long) act_op);
    }
}

static void *
reader_main(void *arg_)
{
    struct reader_arg *arg = arg_;
    struct shared *sh = arg->sh;
    unsigned int id = arg->id;
    uint64_t rnd = 1000 + id;
    uint64_t lookups = 0, hits = 0, emc_hits = 0;
    struct emc *emc;

    rcu_register_thread();
    if (emc_create(256, 4, id + 1, &emc, NULL)) {
        report(sh, "reader %u: emc_create failed", id);
        goto out;
    }
    while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = xrand(&rnd);
            unsigned int slot = r % N_SLOTS;
            struct classifier_flow *f;
            struct flow_key key = sh->base[slot];
            uint64_t d0, s1;
            uint32_t hash;
            bool from_emc = false;

            /* Fields no mask covers vary, so the EMC sees several
             * microflows per megaflow; sometimes a covered one does too. */
            key.tp_src = htons((r >> 16) & 7);
            if (((r >> 24) & 15) == 0) {
                key.nw_dst ^= htonl(1u << ((r >> 28) & 31));
            }
            hash = emc_hash(&key);

            d0 = __atomic_load_n(&sh->ops_done, __ATOMIC_ACQUIRE);
            f = emc_lookup(emc, &key, hash);
            if (f) {
                from_emc = true;
            } else {
                f = classifier_lookup(sh->cls, id, &key);
            }
            s1 = __atomic_load_n(&sh->ops_started, __ATOMIC_ACQUIRE);

            lookups++;
            if (f) {
                hits++;
                emc_hits += from_emc;
                check_answer(sh, &key, f, d0, s1, from_emc ? "emc" : "classifier");
                classifier_flow_stats_add(f, id, 1, 64, 0x10, lookups);
                if (!from_emc) {
                    emc_probabilistic_insert(emc, &key, hash, f);
                }
            }
        }
        classifier_rcu_quiescent_state();
    }
    emc_destroy(emc);
out:
    sh->lookups[id] = lookups;
    sh->hits[id] = hits;
    sh->emc_hits[id] = emc_hits;
    classifier_rcu_thread_offline();
    rcu_unregister_thread();
    return NULL;
}

/* ---------------------------------------------------------------- writer */

struct slot_state {
    struct classifier_flow *flow;       /* NULL: no flow */
    uint64_t seq;
    int mask;
    bool has_ufid;
};

struct writer {
    struct shared *sh;
    struct slot_state slots[N_SLOTS];
    uint64_t rnd;
    uint64_t next_seq;
    uint64_t op;                        /* the operation in progress */
    uint64_t n_put, n_modify, n_del, n_flush, n_rerank, n_dumps;

    /* The dump in progress. */
    bool dumping;
    struct classifier_dump dump;
    uint64_t dump_last_seq;             /* creation order is dump order */
    uint8_t *dump_expected;             /* [seq]: alive since the dump began */
    uint8_t *dump_seen;                 /* [seq] */
};

static struct ufid
seq_ufid(uint64_t seq)
{
    struct ufid u = { { (uint32_t) seq, 0x5eed, (uint32_t) (seq >> 32), 7 } };

    return u;
}

static void
op_begin(struct writer *w)
{
    w->op++;
    __atomic_store_n(&w->sh->ops_started, w->op, __ATOMIC_RELEASE);
}

static void
op_end(struct writer *w)
{
    __atomic_store_n(&w->sh->ops_done, w->op, __ATOMIC_RELEASE);
}

static void
set_actions(struct writer *w, struct actions_blob *blob, uint64_t seq)
{
    blob->seq = seq;
    blob->op = w->op;
    __atomic_store_n(&w->sh->actions_op[seq], w->op, __ATOMIC_RELEASE);
}

static void
mark_deleted(struct writer *w, struct slot_state *s)
{
    __atomic_store_n(&w->sh->deleted_op[s->seq], w->op, __ATOMIC_RELEASE);
    if (w->dumping) {
        w->dump_expected[s->seq] = 0;
    }
    s->flow = NULL;
}

static void
do_create(struct writer *w, unsigned int i)
{
    struct shared *sh = w->sh;
    struct slot_state *s = &w->slots[i];
    uint64_t seq = w->next_seq++;
    struct actions_blob blob;
    struct ufid u = seq_ufid(seq);
    struct flow_key key = sh->base[i];
    struct classifier_put p = { 0 };
    struct classifier_put_result res;
    struct xsw_err err = { "" };
    int error;

    s->mask = xrand(&w->rnd) % N_MASKS;
    s->has_ufid = xrand(&w->rnd) % 4 != 0;
    key.nw_src ^= htonl((uint32_t) xrand(&w->rnd) & 0xff);  /* outside some masks */
    __atomic_store_n(&sh->created_op[seq], w->op, __ATOMIC_RELEASE);
    set_actions(w, &blob, seq);
    p.key = &key;
    p.mask = &sh->masks[s->mask];
    p.ufid = s->has_ufid ? &u : NULL;
    p.actions = &blob;
    p.actions_len = sizeof blob;
    p.key_nl = &seq;
    p.key_nl_len = sizeof seq;
    p.flags = CLASSIFIER_PUT_CREATE;
    error = classifier_put(sh->cls, &p, &res, &err);
    if (error) {
        report(sh, "writer: create failed: %s", err.msg);
        return;
    }
    s->flow = res.flow;
    s->seq = seq;
    w->n_put++;
}

static void
do_modify(struct writer *w, unsigned int i)
{
    struct shared *sh = w->sh;
    struct slot_state *s = &w->slots[i];
    struct ufid u = seq_ufid(s->seq);
    struct actions_blob blob;
    struct classifier_put p = { 0 };
    struct classifier_put_result res;
    struct xsw_err err = { "" };

    set_actions(w, &blob, s->seq);
    p.key = &sh->base[i];
    p.mask = &sh->masks[s->mask];
    p.ufid = s->has_ufid && xrand(&w->rnd) % 2 ? &u : NULL;
    p.actions = &blob;
    p.actions_len = sizeof blob;
    p.flags = CLASSIFIER_PUT_MODIFY
              | (xrand(&w->rnd) % 2 ? CLASSIFIER_PUT_ZERO_STATS : 0);
    if (classifier_put(sh->cls, &p, &res, &err) || res.flow != s->flow || res.created) {
        report(sh, "writer: modify failed: %s", err.msg);
    }
    w->n_modify++;
}

static void
do_delete(struct writer *w, unsigned int i)
{
    struct shared *sh = w->sh;
    struct slot_state *s = &w->slots[i];
    struct ufid u = seq_ufid(s->seq);
    struct xsw_err err = { "" };
    int error;

    if (s->has_ufid && xrand(&w->rnd) % 2) {
        error = classifier_del_by_ufid(sh->cls, &u, NULL, &err);
    } else {
        error = classifier_del_by_key(sh->cls, &sh->base[i], &sh->masks[s->mask], NULL,
                                      &err);
    }
    if (error) {
        report(sh, "writer: delete failed: %s", err.msg);
    }
    mark_deleted(w, s);
    w->n_del++;
}

static void
do_flush(struct writer *w)
{
    classifier_flush(w->sh->cls);
    for (unsigned int i = 0; i < N_SLOTS; i++) {
        if (w->slots[i].flow) {
            mark_deleted(w, &w->slots[i]);
        }
    }
    w->n_flush++;
}

/* A few steps of the dump in progress, or a new one. */
static void
do_dump_step(struct writer *w)
{
    struct shared *sh = w->sh;
    struct classifier_flow *f;

    if (!w->dumping) {
        memset(w->dump_expected, 0, w->next_seq);
        memset(w->dump_seen, 0, w->next_seq);
        for (unsigned int i = 0; i < N_SLOTS; i++) {
            if (w->slots[i].flow) {
                w->dump_expected[w->slots[i].seq] = 1;
            }
        }
        classifier_dump_start(sh->cls, &w->dump);
        w->dump_last_seq = 0;
        w->dumping = true;
        return;
    }
    for (int n = 0; n < 8; n++) {
        uint64_t seq;

        f = classifier_dump_next(&w->dump);
        if (!f) {
            classifier_dump_done(&w->dump);
            w->dumping = false;
            for (uint64_t q = 0; q < w->next_seq; q++) {
                if (w->dump_expected[q] && !w->dump_seen[q]) {
                    report(sh, "dump: flow %lu, installed throughout, not returned",
                           (unsigned long) q);
                }
            }
            w->n_dumps++;
            return;
        }
        seq = flow_seq(f);
        if (seq >= MAX_SEQ || classifier_flow_is_dead(f)) {
            report(sh, "dump: returned a deleted flow");
            continue;
        }
        if (w->dump_seen[seq] || (w->dump_last_seq && seq <= w->dump_last_seq)) {
            report(sh, "dump: flow %lu returned twice or out of order", (unsigned long) seq);
        }
        w->dump_seen[seq] = 1;
        w->dump_last_seq = seq;
    }
}

static double
now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
writer_run(struct writer *w, double seconds)
{
    double end = now_sec() + seconds, last_rerank = now_sec();
    unsigned long iter = 0;

    while (w->next_seq < MAX_SEQ - 1) {
        unsigned int i = xrand(&w->rnd) % N_SLOTS;
        unsigned int what = xrand(&w->rnd) % 100;

        if ((++iter & 255) == 0) {
            double t = now_sec();

            if (t >= end) {
                break;
            }
            if (t - last_rerank > 0.05) {
                classifier_rerank(w->sh->cls);
                w->n_rerank++;
                last_rerank = t;
            }
            /* Call_rcu work queues up if the writer never lets the
             * callbacks thread breathe; real control threads sleep. */
            classifier_rcu_quiescent_state();
        }

        op_begin(w);
        if (what < 2) {
            do_dump_step(w);
        } else if (what == 2 && iter % 16 == 0) {
            do_flush(w);
        } else if (!w->slots[i].flow) {
            do_create(w, i);
        } else if (what < 50) {
            do_modify(w, i);
        } else {
            do_delete(w, i);
        }
        op_end(w);
    }
    if (w->dumping) {
        classifier_dump_done(&w->dump);
    }
}

/* ---------------------------------------------------------------- setup */

static void
make_masks(struct flow_mask *m)
{
    memset(m, 0, N_MASKS * sizeof *m);
    for (int i = 0; i < N_MASKS; i++) {
        m[i].m.in_port = UINT32_MAX;        /* flows of two slots never overlap */
    }
    memset(m[1].m.eth_dst, 0xff, 6);
    m[2].m.eth_type = htons(0xffff);
    m[2].m.nw_dst = htonl(0xffffff00);
    m[3].m.eth_type = htons(0xffff);
    m[3].m.nw_dst = htonl(0xffffffff);
    m[3].m.nw_proto = 0xff;
    m[4].m.vlans[0].tci = htons(0x1fff);
    memset(m[4].m.eth_src, 0xff, 6);
    m[5].m.nw_dst = htonl(0xffff0000);
    m[5].m.tp_dst = htons(0xffff);
}

static double
stress_seconds(void)
{
    const char *s = getenv("XSW_STRESS_SECONDS");
    double v = s ? atof(s) : 5.0;

    return v > 0 ? v : 5.0;
}

static void
test_writer_vs_two_readers(void **state)
{
    struct shared *sh = calloc(1, sizeof *sh);
    struct writer *w = calloc(1, sizeof *w);
    struct reader_arg args[N_READERS];
    pthread_t threads[N_READERS];
    uint64_t total_hits = 0, total_lookups = 0, total_emc = 0;
    struct xsw_err err = { "" };

    (void) state;
    assert_non_null(sh);
    assert_non_null(w);
    sh->created_op = calloc(MAX_SEQ, sizeof *sh->created_op);
    sh->deleted_op = calloc(MAX_SEQ, sizeof *sh->deleted_op);
    sh->actions_op = calloc(MAX_SEQ, sizeof *sh->actions_op);
    w->dump_expected = calloc(MAX_SEQ, 1);
    w->dump_seen = calloc(MAX_SEQ, 1);
    assert_true(sh->created_op && sh->deleted_op && sh->actions_op
                && w->dump_expected && w->dump_seen);

    rcu_register_thread();
    assert_int_equal(classifier_create(N_READERS, N_SLOTS, &sh->cls, &err), 0);
    make_masks(sh->masks);
    for (unsigned int i = 0; i < N_SLOTS; i++) {
        struct flow_key *k = &sh->base[i];

        k->in_port = i + 1;
        k->eth_type = htons(0x0800);
        k->eth_src[5] = (uint8_t) i;
        k->eth_dst[4] = (uint8_t) (i >> 8);
        k->eth_dst[5] = (uint8_t) i;
        k->vlans[0].tpid = htons(0x8100);
        k->vlans[0].tci = htons(0x1000 | (i % 7));
        k->nw_src = htonl(0x0a000000 | i);
        k->nw_dst = htonl(0xc0a80000 | i);
        k->nw_proto = 6;
        k->tp_dst = htons(80 + i % 3);
    }
    w->sh = sh;
    w->rnd = 42;
    w->next_seq = 1;

    for (unsigned int i = 0; i < N_READERS; i++) {
        args[i].sh = sh;
        args[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, reader_main, &args[i]), 0);
    }
    writer_run(w, stress_seconds());
    __atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
    rcu_thread_offline();       /* readers need grace periods to finish */
    for (unsigned int i = 0; i < N_READERS; i++) {
        pthread_join(threads[i], NULL);
        total_hits += sh->hits[i];
        total_lookups += sh->lookups[i];
        total_emc += sh->emc_hits[i];
    }
    rcu_thread_online();

    print_message("writer: %lu creates, %lu modifies, %lu deletes, %lu flushes, "
                  "%lu reranks, %lu full dumps; readers: %lu lookups, %lu hits "
                  "(%lu from the EMC)\n",
                  (unsigned long) w->n_put, (unsigned long) w->n_modify,
                  (unsigned long) w->n_del, (unsigned long) w->n_flush,
                  (unsigned long) w->n_rerank, (unsigned long) w->n_dumps,
                  (unsigned long) total_lookups, (unsigned long) total_hits,
                  (unsigned long) total_emc);
    if (sh->errors) {
        fail_msg("%lu wrong answers; first: %s", (unsigned long) sh->errors,
                 sh->first_error);
    }
    assert_true(w->n_put > 0 && w->n_del > 0 && w->n_modify > 0);
    assert_true(total_hits > 0 && total_emc > 0);
    assert_true(total_hits < total_lookups);

    classifier_destroy(sh->cls);
    rcu_unregister_thread();
    free(sh->created_op);
    free(sh->deleted_op);
    free(sh->actions_op);
    free(w->dump_expected);
    free(w->dump_seen);
    free(w);
    free(sh);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_vs_two_readers),
    };

    return cmocka_run_group_tests_name("classifier_stress", tests, NULL, NULL);
}
