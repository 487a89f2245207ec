/* dp_private: the structures datapath.c (control thread) and worker.c (the
 * fast path) share.  Not for other modules: they use datapath.h.
 *
 * Publication rules.  The control thread builds a structure fully, then
 * publishes it with rcu_assign_pointer(); workers read it with
 * rcu_dereference() while RCU-online and drop every pointer at their next
 * quiescent state.  What a worker writes (its counters, its tx buffers, its
 * caches) lives in per-worker slots that only it writes. */
#ifndef XSW_DP_PRIVATE_H
#define XSW_DP_PRIVATE_H 1

#include <pthread.h>
#include <stdatomic.h>
#include <xdp/xsk.h>

#include "classifier.h"
#include "datapath.h"
#include "emc.h"
#include "port_tap.h"
#include "port_xsk.h"
#include "umem.h"
#include "upcall.h"

/* rcu_assign_pointer() and rcu_dereference() with C11 atomics: the same
 * release/acquire ordering, but ThreadSanitizer sees it (liburcu's barriers
 * are inline assembly it cannot).  Grace periods still come from liburcu. */
#define DP_PUBLISH(ptr, value) __atomic_store_n(&(ptr), (value), __ATOMIC_RELEASE)
#define DP_READ(ptr) __atomic_load_n(&(ptr), __ATOMIC_ACQUIRE)

#define DP_BATCH 64                 /* rx burst and tx buffer size */
#define DP_CACHELINE 64

/* A worker's transmit buffer for one vport: descriptors gathered during a
 * batch and put on the tx ring at once. */
struct dp_txbuf {
    struct xdp_desc descs[DP_BATCH];
    uint32_t n;
    bool active;                    /* on the worker's list of buffers to flush */
    uint32_t outstanding;           /* sent, not yet seen on the completion ring */
} __attribute__((aligned(DP_CACHELINE)));

/* Per-port counters a worker keeps (beyond the socket's own). */
struct dp_port_wstats {
    uint64_t tx_dropped;            /* tx ring full, device gone */
    uint64_t tap_rx_dropped;        /* host frames lost: worker queue full */
} __attribute__((aligned(DP_CACHELINE)));

struct vport {
    /* Read by workers. */
    uint32_t port_no;
    enum dp_vport_type type;
    struct datapath *dp;
    struct port_xsk *xsk;           /* AFXDP */
    struct port_tap *tap;           /* INTERNAL */
    /* AFXDP: the tx queue each worker uses, and whether another worker
     * shares it (then the queue's tx lock is taken). */
    struct port_xsk_queue *txq[DP_MAX_WORKERS];
    bool txq_shared[DP_MAX_WORKERS];
    struct dp_txbuf *txbuf;         /* [n_workers] */
    struct dp_port_wstats *wstats;  /* [n_workers] */

    /* Control thread. */
    char name[IF_NAMESIZE];
    uint32_t upcall_pid;
    struct event *tap_event;
    struct rcu_head rcu;
};

/* A worker's share of a datapath's counters. */
struct dp_wstats {
    uint64_t n_hit;
    uint64_t n_missed;
    uint64_t n_lost;
    uint64_t n_mask_hit;
} __attribute__((aligned(DP_CACHELINE)));

struct datapath {
    /* Read by workers. */
    struct classifier *cls;
    struct vport **ports;           /* [DP_MAX_PORTS], each RCU-published */
    struct umem *umem;
    struct dp_wstats *wstats;       /* [n_workers] */
    int ifindex;
    unsigned int slot;              /* index in the switch's datapath table */
    /* Whether workers should probe their EMC: only when the classifier has
     * enough subtables that a megaflow lookup costs more than an EMC hit
     * (set by the control thread once a second, read relaxed). */
    bool emc_useful;

    /* Control thread. */
    struct dp_switch *sw;
    char name[IF_NAMESIZE];
    uint32_t upcall_pid;
    uint32_t user_features;
    unsigned int n_ports;
    struct vport **port_list;       /* [n_ports], by port number */
    struct datapath *next;
};

/* A worker's state for one datapath: its own EMC and frame cache. */
struct worker_dp {
    struct datapath *dp;
    struct emc *emc;
    struct umem_cache cache;
    /* The EMC steps aside when it hardly ever hits (many more live
     * connections than entries): a window of lookups measures its hit rate,
     * and a poor one skips it for a longer stretch, then measures again. */
    uint32_t emc_window;            /* lookups left in this window */
    uint32_t emc_window_hits;
    uint32_t emc_skip;              /* packets left to skip the EMC for */
};

/* One rx queue a worker polls. */
struct worker_rxq {
    struct port_xsk_queue *q;
    struct vport *vport;
    struct worker_dp *wdp;
};

/* What a worker polls, replaced as a whole by the control thread. */
struct worker_poll {
    unsigned int n_rxq;
    struct rcu_head rcu;
    struct worker_rxq rxq[];
};

/* Commands from the control thread, run on the worker (single-producer
 * single-consumer ring of fixed slots; the control thread is the producer). */
enum worker_cmd_type {
    WORKER_CMD_EXECUTE,             /* run actions on a packet */
    WORKER_CMD_INPUT,               /* a frame received on a port (TAP): look it up */
};

#define WORKER_CMD_DATA 12288       /* packet + actions */
struct worker_cmd {
    enum worker_cmd_type type;
    unsigned int dp_slot;
    struct flow_meta md;
    uint32_t packet_len;
    uint32_t actions_len;
    uint8_t data[WORKER_CMD_DATA] __attribute__((aligned(8))); /* actions, then packet */
};

#define WORKER_CMD_SLOTS 64

struct dp_worker_counters {
    struct dp_worker_stats s;
} __attribute__((aligned(DP_CACHELINE)));

struct worker {
    /* The worker's own. */
    unsigned int id;
    struct dp_switch *sw;
    pthread_t thread;
    struct worker_poll *poll;       /* RCU-published by the control thread */
    struct worker_dp *dps[DP_MAX_DATAPATHS]; /* RCU-published */
    struct upcall_ring *upcalls;
    struct dp_worker_counters counters;
    /* vports whose tx buffer or completions need attention this turn */
    struct vport *active[256];
    unsigned int n_active;

    /* Command ring. */
    struct worker_cmd *cmds;        /* [WORKER_CMD_SLOTS] */
    uint64_t cmd_head __attribute__((aligned(DP_CACHELINE))); /* control writes */
    uint64_t cmd_tail __attribute__((aligned(DP_CACHELINE))); /* worker writes */
    int wake_fd;                    /* eventfd: commands, stop */
    bool stop;

    /* Control thread. */
    struct event *upcall_event;
    uint64_t upcalls_handled;
};

struct dp_switch {
    struct dp_switch_config cfg;
    struct event_base *base;
    dp_upcall_fn *upcall_cb;
    void *upcall_aux;
    dp_event_fn *event_cb;
    void *event_aux;
    struct datapath *dps;           /* list, creation order */
    struct datapath *by_slot[DP_MAX_DATAPATHS];
    struct worker *workers;         /* [n_workers] */
    unsigned int n_workers;
    /* worker.c's idle thresholds, in worker_cycles() units. */
    uint64_t idle_cycles, idle_short_cycles, quiet_cycles;
    int next_fake_ifindex;
};

/* worker.c, for datapath.c (control thread). */
int worker_start_all(struct dp_switch *, struct xsw_err *);
void worker_stop_all(struct dp_switch *);
/* Publishes what every worker polls, from the ports of every datapath, and
 * waits until no worker uses the previous lists. */
void worker_republish(struct dp_switch *);
int worker_dp_attach(struct dp_switch *, struct datapath *, struct xsw_err *);
void worker_dp_detach(struct dp_switch *, struct datapath *);
int worker_send_cmd(struct worker *, const struct worker_cmd *hdr,
                    const void *actions, const void *packet);
void worker_handle_upcalls(struct worker *, unsigned int budget);

#endif /* XSW_DP_PRIVATE_H */
