/* Classifier and EMC lookup cost: lookups per second on one core and, under
 * callgrind, instructions per lookup.  Driven by bench/classifier/run.sh,
 * which builds this with gcc -O2 straight from the sources and prints the
 * table; see bench/classifier/README.md.
 *
 * usage: bench_classifier table MASKS FLOWS LOOKUPS [EMC_INV_PROB]
 *        bench_classifier targets LOOKUPS
 *        bench_classifier lfht FLOWS LOOKUPS
 *        bench_classifier emcprob MASKS FLOWS LOOKUPS
 *
 * Output: one "R key=value ..." line per measurement.  Under callgrind
 * (run with --collect-atstart=no) only the lookup loops are collected, and
 * each measurement ends with a dump named after its label, from which the
 * script reads Ir per lookup. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <urcu-qsbr.h>
#include <urcu/rculfhash.h>
#include <valgrind/callgrind.h>

#include "classifier.h"
#include "emc.h"

#define BATCH 256
#define MAX_MASKS 64

/* ---------------------------------------------------------------- setup */

/* 64 masks of one shape (3 key words: in_port+recirc_id, eth_type, nw_src+
 * nw_dst), as an L3 megaflow set: nw_dst exact, nw_src prefix /1../32,
 * recirc_id matched or not.  Mask i's flows have in_port i + 1, so flows of
 * different masks never overlap (the slow path's guarantee). */
static void
make_mask(struct flow_mask *m, int i)
{
    int prefix = 1 + i % 32;

    memset(m, 0, sizeof *m);
    m->m.in_port = UINT32_MAX;
    m->m.recirc_id = i >= 32 ? UINT32_MAX : 0;
    m->m.eth_type = htons(0xffff);
    m->m.nw_dst = UINT32_MAX;
    m->m.nw_src = htonl(~0u << (32 - prefix));
}

/* Flow j (of all) belongs to mask j % n_masks; its packet is this key. */
static void
make_key(struct flow_key *k, uint32_t j, int n_masks)
{
    memset(k, 0, sizeof *k);
    k->in_port = j % n_masks + 1;
    k->eth_type = htons(0x0800);
    k->nw_dst = htonl(j / n_masks);
    k->nw_src = htonl(0x0a000000 + j * 2654435761u);
    k->nw_proto = 6;
    k->tp_src = htons(1024 + j % 50000);
    k->tp_dst = htons(80);
    k->eth_src[5] = 1;
    k->eth_dst[5] = 2;
}

struct bench {
    struct classifier *cls;
    struct emc *emc;
    int n_masks;
    uint32_t n_flows;
    struct flow_key *keys;      /* [n_flows] */
    uint32_t *seq;              /* traffic: flow indexes */
    size_t n_seq;
};

static double
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t
xrand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
die(const char *what, int error)
{
    fprintf(stderr, "bench_classifier: %s: %s\n", what, strerror(-error));
    exit(1);
}

static void
build(struct bench *b, int n_masks, uint32_t n_flows, unsigned int emc_inv_prob)
{
    static const uint8_t actions[8] = { 8, 0, 1, 0, 2, 0, 0, 0 };  /* output:2 */
    struct flow_mask masks[MAX_MASKS];
    struct xsw_err err = { "" };
    int error;

    memset(b, 0, sizeof *b);
    b->n_masks = n_masks;
    b->n_flows = n_flows;
    error = classifier_create(1, n_flows, &b->cls, &err);
    if (error) {
        die(err.msg, error);
    }
    error = emc_create(EMC_DEFAULT_ENTRIES, emc_inv_prob, 1, &b->emc, &err);
    if (error) {
        die(err.msg, error);
    }
    b->keys = malloc(n_flows * sizeof *b->keys);
    if (!b->keys) {
        die("keys", -ENOMEM);
    }
    for (int i = 0; i < n_masks; i++) {
        make_mask(&masks[i], i);
    }
    for (uint32_t j = 0; j < n_flows; j++) {
        struct classifier_put p = {
            .key = &b->keys[j], .mask = &masks[j % n_masks],
            .actions = actions, .actions_len = sizeof actions,
            .flags = CLASSIFIER_PUT_CREATE,
        };
        struct classifier_put_result r;

        make_key(&b->keys[j], j, n_masks);
        error = classifier_put(b->cls, &p, &r, &err);
        if (error) {
            die(err.msg, error);
        }
    }
}

/* Uniform, or Zipf (s = 1) over a random permutation of the flows so that
 * the popular ones are spread over all masks. */
static void
make_traffic(struct bench *b, const char *kind, size_t n, uint64_t seed)
{
    uint64_t rnd = seed;

    free(b->seq);
    b->seq = malloc(n * sizeof *b->seq);
    b->n_seq = n;
    if (!strcmp(kind, "uniform") || !strcmp(kind, "miss")) {
        for (size_t i = 0; i < n; i++) {
            b->seq[i] = xrand(&rnd) % b->n_flows;
        }
    } else {
        double *cdf = malloc(b->n_flows * sizeof *cdf);
        uint32_t *perm = malloc(b->n_flows * sizeof *perm);
        double sum = 0;

        for (uint32_t k = 0; k < b->n_flows; k++) {
            sum += 1.0 / (k + 1);
            cdf[k] = sum;
            perm[k] = k;
        }
        for (uint32_t k = b->n_flows - 1; k > 0; k--) {
            uint32_t r = xrand(&rnd) % (k + 1), t = perm[k];

            perm[k] = perm[r];
            perm[r] = t;
        }
        for (size_t i = 0; i < n; i++) {
            double u = (xrand(&rnd) >> 11) * 0x1.0p-53 * sum;
            uint32_t lo = 0, hi = b->n_flows - 1;

            while (lo < hi) {
                uint32_t mid = (lo + hi) / 2;

                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            b->seq[i] = perm[lo];
        }
        free(cdf);
        free(perm);
    }
}

/* ---------------------------------------------------------------- measured loops */

struct tally {
    uint64_t lookups, hits, emc_hits;
    double ns;
};

static void __attribute__((noinline))
run_batch_cls(struct bench *b, const struct flow_key *keys, int n, struct tally *t)
{
    for (int i = 0; i < n; i++) {
        t->hits += classifier_lookup(b->cls, 0, &keys[i]) != NULL;
    }
}

static void __attribute__((noinline))
run_batch_emc(struct bench *b, const struct flow_key *keys, int n, struct tally *t)
{
    for (int i = 0; i < n; i++) {
        uint32_t hash = emc_hash(&keys[i]);
        struct classifier_flow *f = emc_lookup(b->emc, &keys[i], hash);

        if (f) {
            t->emc_hits++;
        } else {
            f = classifier_lookup(b->cls, 0, &keys[i]);
            if (f) {
                emc_probabilistic_insert(b->emc, &keys[i], hash, f);
            }
        }
        t->hits += f != NULL;
    }
}

/* EMC lookups alone, hashes given (as a NIC's RSS hash would be). */
static void __attribute__((noinline))
run_batch_emc_only(struct bench *b, const struct flow_key *keys, const uint32_t *hashes,
                   int n, struct tally *t)
{
    for (int i = 0; i < n; i++) {
        t->emc_hits += emc_lookup(b->emc, &keys[i], hashes[i]) != NULL;
    }
}

static void __attribute__((noinline))
run_batch_hash(const struct flow_key *keys, uint32_t *hashes, int n)
{
    for (int i = 0; i < n; i++) {
        hashes[i] = emc_hash(&keys[i]);
    }
}

enum mode { M_CLS, M_EMC, M_EMC_ONLY, M_HASH };

/* Runs the traffic once; measures it (time, and callgrind collection) if
 * 'measure'. */
static struct tally
run(struct bench *b, enum mode mode, bool miss, bool measure)
{
    static struct flow_key keys[BATCH];
    static uint32_t hashes[BATCH];
    struct tally t = { 0 };

    for (size_t i = 0; i < b->n_seq; i += BATCH) {
        int n = b->n_seq - i < BATCH ? (int) (b->n_seq - i) : BATCH;
        double t0;

        /* Stage the batch: a datapath's keys are fresh in cache. */
        for (int j = 0; j < n; j++) {
            keys[j] = b->keys[b->seq[i + j]];
            if (miss) {
                keys[j].in_port = 0;    /* no flow has it */
            }
            if (mode == M_EMC_ONLY) {
                hashes[j] = emc_hash(&keys[j]);
            }
        }
        t0 = measure ? now_ns() : 0;
        if (measure) {
            CALLGRIND_TOGGLE_COLLECT;
        }
        switch (mode) {
        case M_CLS:
            run_batch_cls(b, keys, n, &t);
            break;
        case M_EMC:
            run_batch_emc(b, keys, n, &t);
            break;
        case M_EMC_ONLY:
            run_batch_emc_only(b, keys, hashes, n, &t);
            break;
        case M_HASH:
            run_batch_hash(keys, hashes, n);
            break;
        }
        if (measure) {
            CALLGRIND_TOGGLE_COLLECT;
            t.ns += now_ns() - t0;
        }
        t.lookups += n;
        /* A worker's quiescent state, once per batch as in its poll loop. */
        classifier_rcu_quiescent_state();
    }
    return t;
}

static void
report(const char *label, const struct bench *b, const char *traffic, const char *emc,
       const struct tally *t)
{
    char dump[160];

    snprintf(dump, sizeof dump, "%s", label);
    CALLGRIND_DUMP_STATS_AT(dump);
    printf("R label=%s masks=%d flows=%u traffic=%s emc=%s lookups=%lu ns=%.2f "
           "mlps=%.2f hit=%.1f emc_hit=%.1f\n",
           label, b->n_masks, b->n_flows, traffic, emc, (unsigned long) t->lookups,
           t->ns / t->lookups, t->lookups / t->ns * 1e3, 100.0 * t->hits / t->lookups,
           100.0 * t->emc_hits / t->lookups);
    fflush(stdout);
}

static void
destroy(struct bench *b)
{
    emc_destroy(b->emc);
    classifier_destroy(b->cls);
    free(b->keys);
    free(b->seq);
}

/* ---------------------------------------------------------------- commands */

/* Warm-up: the traffic once unmeasured (fills the EMC and the caches), then
 * a rerank as the control thread's 1 s timer would do. */
static void
warm(struct bench *b, enum mode mode, bool miss)
{
    run(b, mode, miss, false);
    classifier_rerank(b->cls);
}

static void
cmd_table(int n_masks, uint32_t n_flows, size_t n_lookups, unsigned int inv_prob)
{
    static const char *traffics[] = { "uniform", "zipf" };
    struct bench b;
    char label[96];

    build(&b, n_masks, n_flows, inv_prob);
    CALLGRIND_START_INSTRUMENTATION;
    for (int ti = 0; ti < 2; ti++) {
        make_traffic(&b, traffics[ti], n_lookups, 7 + ti);
        for (int e = 0; e < 2; e++) {
            struct tally t;

            emc_flush(b.emc);
            warm(&b, e ? M_EMC : M_CLS, false);
            t = run(&b, e ? M_EMC : M_CLS, false, true);
            snprintf(label, sizeof label, "m%d-f%u-%s-%s", n_masks, n_flows,
                     traffics[ti], e ? "emc" : "noemc");
            report(label, &b, traffics[ti], e ? "on" : "off", &t);
        }
    }
    destroy(&b);
}

/* The numbers the targets name. */
static void
cmd_targets(size_t n_lookups)
{
    struct bench b;
    struct tally t;
    char label[64];

    /* EMC hit, 1k flows all cached; hash apart. */
    build(&b, 1, 1000, 1);
    CALLGRIND_START_INSTRUMENTATION;
    make_traffic(&b, "uniform", n_lookups, 3);
    warm(&b, M_EMC, false);
    t = run(&b, M_EMC_ONLY, false, true);
    report("emc-hit", &b, "uniform", "only", &t);
    t = run(&b, M_HASH, false, true);
    report("emc-hash", &b, "uniform", "hash", &t);
    t = run(&b, M_EMC, false, true);
    report("emc-hit-with-hash", &b, "uniform", "on", &t);
    destroy(&b);

    /* One subtable, hit; then misses through 1, 4, 16, 64 subtables. */
    build(&b, 1, 1000, 100);
    make_traffic(&b, "uniform", n_lookups, 4);
    warm(&b, M_CLS, false);
    t = run(&b, M_CLS, false, true);
    report("cls-1-subtable-hit", &b, "uniform", "off", &t);
    destroy(&b);
    for (int m = 1; m <= 64; m *= 4) {
        build(&b, m, 1000 * m, 100);
        make_traffic(&b, "miss", n_lookups, 5);
        warm(&b, M_CLS, true);
        t = run(&b, M_CLS, true, true);
        snprintf(label, sizeof label, "cls-miss-%d-subtables", m);
        report(label, &b, "miss", "off", &t);
        destroy(&b);
    }
}

/* Insertion probability: EMC hit rate and speed under skew. */
static void
cmd_emcprob(int n_masks, uint32_t n_flows, size_t n_lookups)
{
    static const unsigned int probs[] = { 1, 10, 100, 1000 };
    struct bench b;
    char label[64];

    build(&b, n_masks, n_flows, 1);
    CALLGRIND_START_INSTRUMENTATION;
    for (int z = 0; z < 2; z++) {
        make_traffic(&b, z ? "zipf" : "uniform", n_lookups, 11);
        for (size_t i = 0; i < sizeof probs / sizeof probs[0]; i++) {
            struct tally t;

            emc_flush(b.emc);
            emc_set_insert_inv_prob(b.emc, probs[i]);
            warm(&b, M_EMC, false);
            t = run(&b, M_EMC, false, true);
            snprintf(label, sizeof label, "emcprob-%u-%s", probs[i], z ? "zipf" : "uniform");
            report(label, &b, z ? "zipf" : "uniform", "on", &t);
        }
    }
    destroy(&b);
}

/* ---------------------------------------------------------------- cds_lfht */

/* The same subtable (one mask, same hash, same compare) on liburcu's
 * cds_lfht, to compare with the classifier's own table. */
struct lfht_flow {
    struct cds_lfht_node node;
    struct flow_key key;        /* masked */
};

struct lfht_match_arg {
    const uint64_t *k;
    const uint64_t *m;
    const uint8_t *idx;
    uint32_t n;
};

#define LFHT_MUL 0x9e3779b97f4a7c15ULL

static inline uint64_t
lfht_mix(uint64_t x)
{
    __uint128_t p = (__uint128_t) x * LFHT_MUL;

    return (uint64_t) p ^ (uint64_t) (p >> 64);
}

static inline uint64_t
lfht_hash(const struct lfht_match_arg *a)
{
    uint64_t h = 0x243f6a8885a308d3ULL;

    for (uint32_t i = 0; i < a->n; i++) {
        h = lfht_mix(h ^ (a->k[a->idx[i]] & a->m[i]));
    }
    return h;
}

static int
lfht_match(struct cds_lfht_node *node, const void *arg)
{
    const struct lfht_match_arg *a = arg;
    const struct lfht_flow *f = caa_container_of(node, struct lfht_flow, node);
    const uint64_t *fk = flow_key_words(&f->key);
    uint64_t diff = 0;

    for (uint32_t i = 0; i < a->n; i++) {
        diff |= (a->k[a->idx[i]] & a->m[i]) ^ fk[a->idx[i]];
    }
    return !diff;
}

struct lfht_bench {
    struct cds_lfht *ht;
    uint64_t m[FLOW_KEY_WORDS];
    uint8_t idx[FLOW_KEY_WORDS];
    uint32_t n;
};

static void __attribute__((noinline))
run_batch_lfht(struct lfht_bench *lb, const struct flow_key *keys, int n, struct tally *t)
{
    for (int i = 0; i < n; i++) {
        struct lfht_match_arg a = {
            .k = flow_key_words(&keys[i]), .m = lb->m, .idx = lb->idx, .n = lb->n,
        };
        struct cds_lfht_iter iter;

        cds_lfht_lookup(lb->ht, (unsigned long) lfht_hash(&a), lfht_match, &a, &iter);
        t->hits += cds_lfht_iter_get_node(&iter) != NULL;
    }
}

static void
cmd_lfht(uint32_t n_flows, size_t n_lookups)
{
    static struct flow_key keys[BATCH];
    struct flow_mask mask;
    struct lfht_bench lb = { 0 };
    struct bench b;
    const uint64_t *mw = flow_key_words(&mask.m);
    struct lfht_flow *flows;
    char label[64];

    make_mask(&mask, 0);
    for (unsigned int i = 0; i < FLOW_KEY_WORDS; i++) {
        if (mw[i]) {
            lb.idx[lb.n] = i;
            lb.m[lb.n++] = mw[i];
        }
    }
    /* Sized for the flows from the start: a resize needs grace periods to
     * complete, and the comparison is of lookups. */
    unsigned long size = 1;

    while (size < n_flows) {
        size <<= 1;
    }
    lb.ht = cds_lfht_new(size, 1, 0, CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
    flows = calloc(n_flows, sizeof *flows);
    if (!lb.ht || !flows) {
        die("cds_lfht", -ENOMEM);
    }
    /* The classifier too, same flows, for the same traffic. */
    build(&b, 1, n_flows, 100);
    for (uint32_t j = 0; j < n_flows; j++) {
        struct lfht_match_arg a = {
            .k = flow_key_words(&b.keys[j]), .m = lb.m, .idx = lb.idx, .n = lb.n,
        };

        flow_key_mask(&flows[j].key, &b.keys[j], &mask);
        cds_lfht_node_init(&flows[j].node);
        cds_lfht_add(lb.ht, (unsigned long) lfht_hash(&a), &flows[j].node);
    }
    CALLGRIND_START_INSTRUMENTATION;
    for (int miss = 0; miss < 2; miss++) {
        struct tally t = { 0 };

        make_traffic(&b, "uniform", n_lookups, 9);
        for (size_t i = 0; i < b.n_seq; i += BATCH) {
            int n = b.n_seq - i < BATCH ? (int) (b.n_seq - i) : BATCH;
            double t0;

            for (int j = 0; j < n; j++) {
                keys[j] = b.keys[b.seq[i + j]];
                if (miss) {
                    keys[j].in_port = 0;
                }
            }
            t0 = now_ns();
            CALLGRIND_TOGGLE_COLLECT;
            run_batch_lfht(&lb, keys, n, &t);
            CALLGRIND_TOGGLE_COLLECT;
            t.ns += now_ns() - t0;
            t.lookups += n;
            rcu_quiescent_state();
        }
        snprintf(label, sizeof label, "lfht-f%u-%s", n_flows, miss ? "miss" : "hit");
        report(label, &b, miss ? "miss" : "uniform", "off", &t);

        warm(&b, M_CLS, miss);
        t = run(&b, M_CLS, miss, true);
        snprintf(label, sizeof label, "own-f%u-%s", n_flows, miss ? "miss" : "hit");
        report(label, &b, miss ? "miss" : "uniform", "off", &t);
    }
    destroy(&b);
}

int
main(int argc, char *argv[])
{
    rcu_register_thread();
    if (argc >= 5 && !strcmp(argv[1], "table")) {
        cmd_table(atoi(argv[2]), strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0),
                  argc > 5 ? strtoul(argv[5], NULL, 0) : EMC_DEFAULT_INSERT_INV_PROB);
    } else if (argc == 3 && !strcmp(argv[1], "targets")) {
        cmd_targets(strtoul(argv[2], NULL, 0));
    } else if (argc == 4 && !strcmp(argv[1], "lfht")) {
        cmd_lfht(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
    } else if (argc == 5 && !strcmp(argv[1], "emcprob")) {
        cmd_emcprob(atoi(argv[2]), strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0));
    } else {
        fprintf(stderr, "usage: bench_classifier table MASKS FLOWS LOOKUPS [EMC_INV_PROB]\n"
                "       bench_classifier targets LOOKUPS\n"
                "       bench_classifier lfht FLOWS LOOKUPS\n"
                "       bench_classifier emcprob MASKS FLOWS LOOKUPS\n");
        return 2;
    }
    rcu_unregister_thread();
    return 0;
}
