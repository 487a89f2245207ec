/* revalidator: see revalidator.h. */
#include "revalidator.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"

/* OVS's starting flow limit and its floor (ofproto-dpif-upcall.c). */
#define REVALIDATOR_START_LIMIT 10000
#define REVALIDATOR_MIN_LIMIT 1000

/* The changed-MAC set of a pass: open addressing, at most half full since
 * l2switch's log holds fewer changes than half the slots. */
#define RV_SET_SLOTS 4096
#define RV_SET_USED (UINT64_C(1) << 63)

/* What the revalidator knows of a flow beyond the classifier: when it
 * appeared (a flow never used ages from then) and the last used time it
 * saw (a change means traffic, which refreshes the source MAC).  Records
 * are keyed by the flow's memory, which the classifier keeps type-stable;
 * the generation tells a record for an earlier flow in the same slot, which
 * is then reused.  So there is at most one record per flow slot the
 * classifier ever had, and deleted flows need no sweep. */
struct rv_rec {
    struct rv_rec *next;
    const struct classifier_flow *flow;
    uint64_t gen;
    uint64_t created_ms;
    uint64_t last_used_ns;
};

struct revalidator {
    struct revalidator_config cfg;
    struct classifier *cls;
    struct l2switch *sw;
    struct revalidator_ops ops;
    struct event *ev;               /* NULL without a libevent base */
    bool ev_now;                    /* ev is armed to fire at once */

    struct rv_rec **buckets;
    uint32_t mask;
    uint32_t n_recs;

    /* The pass in progress. */
    bool in_pass;
    bool kicked;                    /* a pass is due at once */
    struct classifier_dump dump;
    uint64_t pass_start_ms;
    uint64_t pass_work_ns;
    uint64_t pass_seq;              /* l2switch changes this pass covers */
    uint64_t checked_seq;           /* changes covered by finished passes */
    bool recheck_all;
    uint32_t pass_n_flows;
    uint64_t next_pass_ms;

    uint64_t changed[RV_SET_SLOTS]; /* MAC | RV_SET_USED */
    unsigned int n_changed;

    uint32_t flow_limit;
    struct l2switch_decision dec;
    struct revalidator_stats stats;
};

/* ---------------------------------------------------------------- time */

static uint64_t
rv_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* ---------------------------------------------------------------- records */

static uint32_t
rv_hash_ptr(const void *p)
{
    return flow_hash_finish(flow_hash_add64(0, (uint64_t) (uintptr_t) p));
}

static void
rv_recs_grow(struct revalidator *rv)
{
    uint32_t n = rv->mask + 1;
    struct rv_rec **nb;

    if (rv->n_recs <= n || n >= (UINT32_C(1) << 30)) {
        return;
    }
    nb = calloc((size_t) n * 2, sizeof *nb);
    if (!nb) {
        return;                 /* longer chains, still correct */
    }
    for (uint32_t i = 0; i < n; i++) {
        struct rv_rec *r = rv->buckets[i];

        while (r) {
            struct rv_rec *next = r->next;
            uint32_t b = rv_hash_ptr(r->flow) & (n * 2 - 1);

            r->next = nb[b];
            nb[b] = r;
            r = next;
        }
    }
    free(rv->buckets);
    rv->buckets = nb;
    rv->mask = n * 2 - 1;
}

/* The record of 'flow', created (or taken over from an earlier flow in the
 * same slot) with creation time now_ms.  NULL only when out of memory. */
static struct rv_rec *
rv_rec_get(struct revalidator *rv, const struct classifier_flow *flow, uint64_t now_ms,
           bool *fresh)
{
    uint64_t gen = classifier_flow_live_gen(flow);
    uint32_t b = rv_hash_ptr(flow) & rv->mask;
    struct rv_rec *r;

    *fresh = false;
    for (r = rv->buckets[b]; r; r = r->next) {
        if (r->flow == flow) {
            break;
        }
    }
    if (r && r->gen == gen) {
        return r;
    }
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) {
            return NULL;
        }
        r->flow = flow;
        r->next = rv->buckets[b];
        rv->buckets[b] = r;
        rv->n_recs++;
        rv_recs_grow(rv);
    }
    r->gen = gen;
    r->created_ms = now_ms;
    r->last_used_ns = 0;
    *fresh = true;
    return r;
}

void
revalidator_flow_added(struct revalidator *rv, const struct classifier_flow *flow,
                       uint64_t now_ms)
{
    bool fresh;
    struct rv_rec *r = rv_rec_get(rv, flow, now_ms, &fresh);

    if (r && !fresh) {
        r->created_ms = now_ms;
    }
}

/* ---------------------------------------------------------------- changed set */

static uint64_t
rv_mac_word(const uint8_t mac[6])
{
    uint64_t w = 0;

    memcpy(&w, mac, 6);
    return w | RV_SET_USED;
}

static void
rv_set_clear(struct revalidator *rv)
{
    if (rv->n_changed) {
        memset(rv->changed, 0, sizeof rv->changed);
        rv->n_changed = 0;
    }
}

/* The VLAN is left out: a flow's VLAN is the bridge's, which only the
 * decision knows, and a MAC seen on two VLANs is rare enough that deciding
 * again its flows on both costs nothing. */
static void
rv_set_add(void *aux, const uint8_t mac[6], uint16_t vlan)
{
    struct revalidator *rv = aux;
    uint64_t w = rv_mac_word(mac);
    uint32_t i = flow_hash_finish(flow_hash_add64(0, w)) & (RV_SET_SLOTS - 1);

    (void) vlan;
    while (rv->changed[i]) {
        if (rv->changed[i] == w) {
            return;
        }
        i = (i + 1) & (RV_SET_SLOTS - 1);
    }
    if (rv->n_changed >= RV_SET_SLOTS / 2) {
        rv->recheck_all = true;
        return;
    }
    rv->changed[i] = w;
    rv->n_changed++;
}

static bool
rv_set_has(const struct revalidator *rv, const uint8_t mac[6])
{
    uint64_t w = rv_mac_word(mac);
    uint32_t i = flow_hash_finish(flow_hash_add64(0, w)) & (RV_SET_SLOTS - 1);

    if (!rv->n_changed) {
        return false;
    }
    while (rv->changed[i]) {
        if (rv->changed[i] == w) {
            return true;
        }
        i = (i + 1) & (RV_SET_SLOTS - 1);
    }
    return false;
}

/* ---------------------------------------------------------------- lifetime */

static void
rv_apply_config(struct revalidator *rv, const struct revalidator_config *cfg)
{
    rv->cfg = *cfg;
    if (!rv->cfg.idle_timeout_ms) {
        rv->cfg.idle_timeout_ms = REVALIDATOR_DEFAULT_IDLE_MS;
    }
    if (!rv->cfg.interval_ms) {
        rv->cfg.interval_ms = REVALIDATOR_DEFAULT_INTERVAL_MS;
    }
    if (!rv->cfg.max_flows) {
        rv->cfg.max_flows = 200000;
    }
    if (!rv->cfg.batch) {
        rv->cfg.batch = REVALIDATOR_DEFAULT_BATCH;
    }
}

static uint32_t
rv_clamp_limit(const struct revalidator *rv, uint64_t limit)
{
    if (limit < REVALIDATOR_MIN_LIMIT) {
        limit = REVALIDATOR_MIN_LIMIT;
    }
    if (limit > rv->cfg.max_flows) {
        limit = rv->cfg.max_flows;
    }
    return (uint32_t) limit;
}

static void rv_timer_cb(evutil_socket_t fd, short what, void *arg);
static void rv_changed_cb(void *aux);

int
revalidator_create(const struct revalidator_config *cfg, struct classifier *cls,
                   struct l2switch *sw, const struct revalidator_ops *ops,
                   struct event_base *base, struct revalidator **out, struct xsw_err *err)
{
    struct revalidator *rv;

    *out = NULL;
    rv = calloc(1, sizeof *rv);
    if (!rv) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    rv->buckets = calloc(64, sizeof *rv->buckets);
    if (!rv->buckets) {
        free(rv);
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    rv->mask = 63;
    rv_apply_config(rv, cfg);
    rv->cls = cls;
    rv->sw = sw;
    if (ops) {
        rv->ops = *ops;
    }
    rv->flow_limit = rv_clamp_limit(rv, REVALIDATOR_START_LIMIT < rv->cfg.max_flows
                                        ? REVALIDATOR_START_LIMIT : rv->cfg.max_flows);
    rv->stats.flow_limit = rv->flow_limit;
    rv->stats.max_idle_ms = rv->cfg.idle_timeout_ms;
    l2switch_decision_init(&rv->dec);

    if (base) {
        struct timeval tv = { rv->cfg.interval_ms / 1000, (rv->cfg.interval_ms % 1000) * 1000 };

        rv->ev = evtimer_new(base, rv_timer_cb, rv);
        if (!rv->ev || evtimer_add(rv->ev, &tv)) {
            revalidator_destroy(rv);
            return xsw_err_set(err, ENOMEM, "cannot start the revalidator timer");
        }
    }
    if (sw) {
        l2switch_set_change_cb(sw, rv_changed_cb, rv);
    }
    *out = rv;
    return 0;
}

void
revalidator_destroy(struct revalidator *rv)
{
    if (!rv) {
        return;
    }
    if (rv->sw) {
        l2switch_set_change_cb(rv->sw, NULL, NULL);
    }
    if (rv->ev) {
        event_free(rv->ev);
    }
    if (rv->in_pass) {
        classifier_dump_done(&rv->dump);
    }
    for (uint32_t i = 0; i <= rv->mask; i++) {
        struct rv_rec *r = rv->buckets[i];

        while (r) {
            struct rv_rec *next = r->next;

            free(r);
            r = next;
        }
    }
    free(rv->buckets);
    l2switch_decision_uninit(&rv->dec);
    free(rv);
}

void
revalidator_reconfigure(struct revalidator *rv, const struct revalidator_config *cfg)
{
    rv_apply_config(rv, cfg);
    rv->flow_limit = rv_clamp_limit(rv, rv->flow_limit);
}

/* ---------------------------------------------------------------- flows */

static void
rv_delete(struct revalidator *rv, struct classifier_flow *flow)
{
    if (rv->ops.flow_del) {
        rv->ops.flow_del(rv->ops.aux, flow);
    } else {
        classifier_del(rv->cls, flow, NULL);
    }
}

static int
rv_modify(struct revalidator *rv, struct classifier_flow *flow, const void *actions,
          size_t actions_len)
{
    struct classifier_put put;
    struct classifier_put_result res;

    if (rv->ops.flow_modify) {
        return rv->ops.flow_modify(rv->ops.aux, flow, actions, actions_len);
    }
    memset(&put, 0, sizeof put);
    put.key = classifier_flow_key(flow);
    put.mask = classifier_flow_mask(flow);
    put.ufid = classifier_flow_ufid(flow);
    /* Non-NULL even when empty: an empty list is a drop, not "keep". */
    put.actions = actions_len ? actions : "";
    put.actions_len = actions_len;
    put.flags = CLASSIFIER_PUT_MODIFY;
    return classifier_put(rv->cls, &put, &res, NULL);
}

/* Whether 'have' matches on every bit 'need' does. */
static bool
rv_mask_covers(const struct flow_mask *have, const struct flow_mask *need)
{
    const flow_word *h = flow_key_words(&have->m);
    const flow_word *n = flow_key_words(&need->m);

    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if (n[i] & ~h[i]) {
            return false;
        }
    }
    return true;
}

/* Decides again for flow and makes the datapath agree.  Returns true if the
 * flow was deleted. */
static bool
rv_recheck(struct revalidator *rv, struct classifier_flow *flow, uint64_t now_ms)
{
    const struct classifier_actions *a;

    rv->stats.rechecked++;
    if (l2switch_decide(rv->sw, classifier_flow_key(flow), now_ms, &rv->dec)) {
        /* No memory to build the actions: the flow may be wrong, so it
         * goes; the next packet asks again. */
        rv_delete(rv, flow);
        rv->stats.recheck_deleted++;
        return true;
    }
    if (!rv_mask_covers(classifier_flow_mask(flow), &rv->dec.mask)) {
        /* The flow stands for frames the new decision tells apart. */
        rv_delete(rv, flow);
        rv->stats.recheck_deleted++;
        return true;
    }
    a = classifier_flow_actions(flow);
    if (a->len == rv->dec.actions_len
        && (!a->len || !memcmp(a->data, rv->dec.actions, a->len))) {
        return false;
    }
    if (rv_modify(rv, flow, rv->dec.actions, rv->dec.actions_len)) {
        rv_delete(rv, flow);
        rv->stats.recheck_deleted++;
        return true;
    }
    rv->stats.modified++;
    return false;
}

/* ---------------------------------------------------------------- passes */

static void
rv_start_pass(struct revalidator *rv, uint64_t now_ms)
{
    rv->kicked = false;
    rv_set_clear(rv);
    rv->recheck_all = false;
    if (rv->sw) {
        /* Age first, so the expiries are among the changes this pass
         * covers. */
        l2switch_run(rv->sw, now_ms);
        rv->pass_seq = l2switch_change_seq(rv->sw);
        if (rv->pass_seq > rv->checked_seq
            && !l2switch_changes_since(rv->sw, rv->checked_seq, rv_set_add, rv)) {
            rv->recheck_all = true;
        }
        if (rv->recheck_all) {
            rv->stats.full_rechecks++;
        }
        /* The change callback ran for what aging did: that is covered. */
        rv->kicked = false;
    }
    rv->pass_n_flows = classifier_count(rv->cls);
    rv->pass_start_ms = now_ms;
    rv->pass_work_ns = 0;
    classifier_dump_start(rv->cls, &rv->dump);
    rv->in_pass = true;
}

/* OVS's flow limit: follows how long a whole pass takes. */
static void
rv_update_limit(struct revalidator *rv, uint64_t duration_ms)
{
    uint64_t limit = rv->flow_limit;
    uint32_t n_flows = rv->pass_n_flows;

    if (duration_ms > 2000) {
        limit /= duration_ms / 1000;
    } else if (duration_ms > 1300) {
        limit = limit * 3 / 4;
    } else if (duration_ms < 1000 && n_flows > 2000
               && limit < (uint64_t) n_flows * 1000 / duration_ms) {
        limit += 1000;
    }
    rv->flow_limit = rv_clamp_limit(rv, limit);
    if (duration_ms > 2000) {
        log_ratelimited(LOG_LEVEL_INFO, "revalidator: spent an unreasonably long %" PRIu64
                        " ms on %" PRIu32 " flows", duration_ms, n_flows);
    }
}

static void
rv_finish_pass(struct revalidator *rv)
{
    uint64_t duration_ms = rv->pass_work_ns / 1000000;

    classifier_dump_done(&rv->dump);
    rv->in_pass = false;
    rv->checked_seq = rv->pass_seq;
    rv->next_pass_ms = rv->pass_start_ms + rv->cfg.interval_ms;
    rv->stats.passes++;
    rv->stats.last_pass_us = rv->pass_work_ns / 1000;
    rv_update_limit(rv, duration_ms ? duration_ms : 1);
    if (rv->sw && l2switch_change_seq(rv->sw) > rv->checked_seq) {
        rv->kicked = true;
    }
}

uint64_t
revalidator_run(struct revalidator *rv, uint64_t now_ms)
{
    uint64_t t0, max_idle;
    uint32_t n_flows;
    bool kill_all;

    if (!rv->in_pass) {
        if (!rv->kicked && now_ms < rv->next_pass_ms) {
            return rv->next_pass_ms - now_ms;
        }
        rv_start_pass(rv, now_ms);
    }
    t0 = rv_clock_ns();

    /* As OVS, reassessed for every batch: above the limit, idle flows go
     * after 100 ms; above twice the limit, every flow goes.  The table
     * cannot grow past max_flows, so "at the limit" is what counts when the
     * limit has reached it. */
    n_flows = classifier_count(rv->cls);
    kill_all = (uint64_t) n_flows > (uint64_t) rv->flow_limit * 2;
    max_idle = rv->cfg.idle_timeout_ms;
    if (n_flows >= rv->flow_limit && max_idle > REVALIDATOR_PRESSURE_IDLE_MS) {
        max_idle = REVALIDATOR_PRESSURE_IDLE_MS;
    }
    rv->stats.max_idle_ms = (uint32_t) max_idle;

    for (uint32_t n = 0; n < rv->cfg.batch; n++) {
        struct classifier_flow *flow = classifier_dump_next(&rv->dump);
        struct classifier_stats st;
        struct rv_rec *rec;
        uint64_t used_ms;
        bool fresh;

        if (!flow) {
            break;
        }
        rv->stats.flows_visited++;
        rec = rv_rec_get(rv, flow, now_ms, &fresh);
        classifier_flow_get_stats(flow, &st);
        used_ms = st.used_ns ? st.used_ns / 1000000 : rec ? rec->created_ms : now_ms;

        if (kill_all) {
            rv_delete(rv, flow);
            rv->stats.limit_deleted++;
            continue;
        }
        if (now_ms > used_ms + max_idle) {
            rv_delete(rv, flow);
            rv->stats.idle_deleted++;
            continue;
        }
        if (!rv->sw) {
            continue;
        }
        if (rec && st.used_ns && st.used_ns != rec->last_used_ns) {
            const struct flow_mask *fm = classifier_flow_mask(flow);
            static const uint8_t all_ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

            rec->last_used_ns = st.used_ns;
            /* Only a flow that pins its source says which station sent. */
            if (fm->m.in_port == UINT32_MAX && !memcmp(fm->m.eth_src, all_ones, 6)) {
                l2switch_mac_touch(rv->sw, classifier_flow_key(flow), used_ms);
                rv->stats.macs_touched++;
            }
        }
        if (rv->recheck_all || rv_set_has(rv, classifier_flow_key(flow)->eth_dst)) {
            rv_recheck(rv, flow, now_ms);
        }
    }

    rv->pass_work_ns += rv_clock_ns() - t0;
    if (!classifier_dump_peek(&rv->dump)) {
        rv_finish_pass(rv);
    }
    if (rv->in_pass || rv->kicked) {
        return 0;
    }
    return rv->next_pass_ms > now_ms ? rv->next_pass_ms - now_ms : 0;
}

void
revalidator_kick(struct revalidator *rv)
{
    static const struct timeval now = { 0, 0 };

    rv->kicked = true;
    if (rv->ev && !rv->ev_now) {
        rv->ev_now = true;
        evtimer_add(rv->ev, &now);
    }
}

static void
rv_changed_cb(void *aux)
{
    revalidator_kick(aux);
}

static void
rv_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct revalidator *rv = arg;
    uint64_t delay;
    struct timeval tv;

    (void) fd;
    (void) what;
    rv->ev_now = false;
    delay = revalidator_run(rv, rv_clock_ns() / 1000000);
    tv.tv_sec = (time_t) (delay / 1000);
    tv.tv_usec = (suseconds_t) (delay % 1000) * 1000;
    if (!delay) {
        /* Work is left: come back after the loop has served everything
         * else that is ready. */
        rv->ev_now = true;
    }
    evtimer_add(rv->ev, &tv);
}

bool
revalidator_may_install(const struct revalidator *rv)
{
    return classifier_count(rv->cls) < rv->flow_limit;
}

/* ---------------------------------------------------------------- reporting */

void
revalidator_get_stats(const struct revalidator *rv, struct revalidator_stats *s)
{
    *s = rv->stats;
    s->n_flows = classifier_count(rv->cls);
    s->flow_limit = rv->flow_limit;
}

void
revalidator_show(const struct revalidator *rv, bool json, struct strbuf *out)
{
    struct revalidator_stats s;

    revalidator_get_stats(rv, &s);
    if (json) {
        strbuf_printf(out, "{\"flows\":%" PRIu32 ",\"flow_limit\":%" PRIu32
                      ",\"max_flows\":%" PRIu32 ",\"idle_timeout_ms\":%" PRIu32
                      ",\"max_idle_ms\":%" PRIu32 ",\"pass_duration_us\":%" PRIu64
                      ",\"passes\":%" PRIu64 ",\"full_rechecks\":%" PRIu64
                      ",\"idle_deleted\":%" PRIu64 ",\"limit_deleted\":%" PRIu64
                      ",\"rechecked\":%" PRIu64 ",\"modified\":%" PRIu64
                      ",\"recheck_deleted\":%" PRIu64 ",\"macs_touched\":%" PRIu64 "}",
                      s.n_flows, s.flow_limit, rv->cfg.max_flows, rv->cfg.idle_timeout_ms,
                      s.max_idle_ms, s.last_pass_us, s.passes, s.full_rechecks,
                      s.idle_deleted, s.limit_deleted, s.rechecked, s.modified,
                      s.recheck_deleted, s.macs_touched);
        return;
    }
    strbuf_printf(out, "  flows         : (current %" PRIu32 ") (limit %" PRIu32
                  ") (max %" PRIu32 ")\n", s.n_flows, s.flow_limit, rv->cfg.max_flows);
    strbuf_printf(out, "  idle timeout  : %" PRIu32 " ms (in force %" PRIu32 " ms)\n",
                  rv->cfg.idle_timeout_ms, s.max_idle_ms);
    strbuf_printf(out, "  pass duration : %" PRIu64 " us\n", s.last_pass_us);
    strbuf_printf(out, "  passes        : %" PRIu64 " (%" PRIu64 " rechecking every flow)\n",
                  s.passes, s.full_rechecks);
    strbuf_printf(out, "  deleted       : %" PRIu64 " idle, %" PRIu64 " over the limit, %"
                  PRIu64 " by recheck\n", s.idle_deleted, s.limit_deleted,
                  s.recheck_deleted);
    strbuf_printf(out, "  rechecked     : %" PRIu64 " (%" PRIu64 " modified)\n",
                  s.rechecked, s.modified);
    strbuf_printf(out, "  MACs refreshed: %" PRIu64 "\n", s.macs_touched);
}
