/* revalidator: keeps a datapath's megaflows honest, as OVS's revalidator
 * threads do (ofproto-dpif-upcall.c, revalidate()):
 *
 *  - idle flows go: a flow unused for flow_idle_timeout (a flow never used
 *    counts from its creation) is deleted;
 *  - under pressure the idle timeout shrinks: with the table at the flow
 *    limit it is 100 ms, and beyond twice the limit every flow goes, as OVS;
 *    the flow limit itself follows OVS (starts at min(max_flows, 10000),
 *    grows by 1000 per quick pass while the flows need it, shrinks when a
 *    pass is slow, never below 1000 nor above max_flows), and
 *    revalidator_may_install() is the upcall side of it;
 *  - after a MAC or VLAN change the flows it may affect are decided again
 *    (l2switch_decide() on the flow's masked key) and their actions fixed,
 *    or the flow deleted when its mask no longer covers what the decision
 *    reads: a station that moved stops receiving its old port's traffic at
 *    the end of the pass that follows the move, which starts at once;
 *  - flow statistics feed MAC aging: a flow whose used time advanced
 *    refreshes its source station (l2switch_mac_touch()), so a station that
 *    only ever sends through a megaflow stays learned.
 *
 * Which flows a change affects: the decision reads one MAC table entry, the
 * destination's, so a change of (MAC, VLAN) affects the flows whose eth_dst
 * is MAC.  The revalidator takes the changed MACs from l2switch's change
 * log (l2switch_changes_since()) and rechecks only flows to them; a port
 * change, a flush or a log overflow rechecks every flow.  A flow still has
 * to be found by walking the table, but the walk costs one hash probe per
 * flow, far less than deciding again, and the same walk does the idle
 * aging, so no per-MAC index of flows has to be kept in step with the
 * table.
 *
 * Work is cut in pieces: a pass walks the classifier with a dump cursor
 * (classifier.h) that survives between calls, and each revalidator_run()
 * handles at most 'batch' flows, so the control thread's event loop (and
 * the control socket) keeps turning however many flows there are.  A pass
 * starts every interval_ms, or at once after a change (revalidator_kick(),
 * which l2switch's change callback calls).
 *
 * Every flow of the classifier is treated as the slow path's (as OVS's
 * revalidator treats every datapath flow): give no l2switch (NULL) for a
 * datapath whose flows someone else manages, and only idle aging is done.
 *
 * Threads and memory.  Control thread only (the classifier's writer, see
 * classifier.h).  revalidator_create() returns a revalidator freed by
 * revalidator_destroy(), which must run BEFORE the l2switch and the
 * classifier (the datapath) are destroyed: it removes its change callback
 * from the one, and a pass in progress holds a dump cursor in the other.
 * It takes over the l2switch's change callback (there is one listener).
 * Times are CLOCK_MONOTONIC milliseconds, the clock of the flows' used_ns. */
#ifndef XSW_REVALIDATOR_H
#define XSW_REVALIDATOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classifier.h"
#include "l2switch.h"
#include "strbuf.h"
#include "xsw_err.h"

struct event_base;
struct revalidator;

#define REVALIDATOR_DEFAULT_IDLE_MS 10000
#define REVALIDATOR_DEFAULT_INTERVAL_MS 500
#define REVALIDATOR_DEFAULT_BATCH 1024
#define REVALIDATOR_PRESSURE_IDLE_MS 100        /* OVS's idle time above the limit */

struct revalidator_config {
    uint32_t idle_timeout_ms;       /* flow_idle_timeout_ms; 0: the default */
    uint32_t interval_ms;           /* revalidate_interval_ms; 0: the default */
    uint32_t max_flows;             /* the classifier's max_flows; 0: 200000 */
    uint32_t batch;                 /* flows per revalidator_run(); 0: the default */
};

/* Optional: how a flow is deleted or its actions replaced, for a caller
 * that must know (netlink notifications, a future XDP copy of the flow).
 * NULL members mean classifier_del() and classifier_put(MODIFY). */
struct revalidator_ops {
    void (*flow_del)(void *aux, struct classifier_flow *flow);
    int (*flow_modify)(void *aux, struct classifier_flow *flow,
                       const void *actions, size_t actions_len);
    void *aux;
};

/* sw may be NULL (idle aging only).  With a libevent base the revalidator
 * runs itself on a timer of that base (and at once after a kick); without
 * one the caller calls revalidator_run().  ops may be NULL. */
int revalidator_create(const struct revalidator_config *, struct classifier *cls,
                       struct l2switch *sw, const struct revalidator_ops *ops,
                       struct event_base *base, struct revalidator **out,
                       struct xsw_err *err);
void revalidator_destroy(struct revalidator *);

/* New timeouts and limits; take effect with the next pass. */
void revalidator_reconfigure(struct revalidator *, const struct revalidator_config *);

/* Does up to 'batch' flows of the current pass, starting a pass when one is
 * due.  Returns how many milliseconds the caller may wait before calling
 * again: 0 while a pass is unfinished or another is already due. */
uint64_t revalidator_run(struct revalidator *, uint64_t now_ms);

/* Something changed: start a pass as soon as possible (after the current
 * one, if one is running). */
void revalidator_kick(struct revalidator *);

/* The caller created 'flow' at now_ms (optional: a flow first seen by a
 * pass counts from then). */
void revalidator_flow_added(struct revalidator *, const struct classifier_flow *flow,
                            uint64_t now_ms);

/* Whether the upcall path may install one more flow: fewer flows than the
 * flow limit (OVS's may_put).  Otherwise the packet is executed only. */
bool revalidator_may_install(const struct revalidator *);

struct revalidator_stats {
    uint64_t passes;                /* completed */
    uint64_t full_rechecks;         /* passes that rechecked every flow */
    uint64_t flows_visited;
    uint64_t idle_deleted;          /* idle past the timeout in force */
    uint64_t limit_deleted;         /* beyond twice the flow limit */
    uint64_t rechecked;             /* decided again */
    uint64_t modified;              /* actions replaced */
    uint64_t recheck_deleted;       /* mask too wide for the new decision, or modify failed */
    uint64_t macs_touched;          /* source refreshes from flow statistics */
    uint32_t n_flows;               /* at the start of the latest pass */
    uint32_t flow_limit;
    uint32_t max_idle_ms;           /* idle timeout in force */
    uint64_t last_pass_us;          /* work time of the latest complete pass */
};

void revalidator_get_stats(const struct revalidator *, struct revalidator_stats *);

/* Like ovs-appctl upcall/show: flows, limit, idle timeout, pass duration and
 * counters; or one JSON object (no final newline).  Appends to out. */
void revalidator_show(const struct revalidator *, bool json, struct strbuf *out);

#endif /* XSW_REVALIDATOR_H */
