/* worker: the busy-polling threads that switch frames.
 *
 * Each worker polls the rx queues the control thread gave it, in bursts of
 * DP_BATCH descriptors: extract the key, look it up in its exact-match cache
 * then in the datapath's classifier, execute the flow's actions (output
 * moves the descriptor to a tx buffer), or queue a miss upcall.  Tx buffers
 * go to the tx rings once per burst, with at most one kick each.  When
 * nothing arrives for a while it goes RCU-offline and sleeps in poll() on
 * its queues and its command eventfd, so an idle switch costs no CPU.
 *
 * RCU: a worker is an online QSBR reader while it polls and announces a
 * quiescent state once per loop turn.  Nothing it read from the control
 * thread's tables survives a quiescent state, with one exception handled by
 * the control thread: the list of vports whose tx buffers need flushing,
 * which a worker drops whenever its poll list changes (see
 * worker_republish(), which waits two grace periods for that reason). */
#include "dp_private.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <linux/if_xdp.h>
#include <urcu-qsbr.h>

#include "actions.h"
#include "ctl_families.h"
#include "log.h"

#define WORKER_RECIRC_MAX 4         /* as the kernel's OVS_RECURSION_LIMIT for recirc */
/* Busy-poll this long with no work before sleeping in poll(): long enough
 * that traffic with pauses (a ping every 20 ms, a generator between bursts)
 * never pays a wake-up, short enough that an idle switch sleeps within a
 * fraction of a second.  After a quiet spell (a sleep longer than
 * WORKER_QUIET_NS), a frame only buys WORKER_IDLE_SHORT_NS of polling, and
 * each wake-up that follows a shorter sleep doubles that, up to
 * WORKER_IDLE_NS: a steady stream (a ping every 20 ms) is busy-polled after
 * a few frames, background chatter (neighbour discovery, keepalives) costs
 * next to nothing. */
#define WORKER_IDLE_NS 200000000
#define WORKER_IDLE_SHORT_NS 2000000
#define WORKER_QUIET_NS 500000000
/* EMC bypass: a window of lookups, the hit rate below which the EMC is
 * skipped, and for how many packets. */
#define WORKER_EMC_WINDOW 4096
#define WORKER_EMC_MIN_HITS (WORKER_EMC_WINDOW / 8)
#define WORKER_EMC_SKIP (WORKER_EMC_WINDOW * 16)
#define WORKER_SLEEP_MS 1000
#define WORKER_CLONES 64
#define WORKER_FRAME_HEADROOM 256   /* where copied packets start: room for push_vlan */

static inline uint64_t
worker_cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
#endif
}

static inline uint64_t
worker_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* The worker only writes its own counters; relaxed stores keep readers on
 * the control thread (and TSan) happy at the cost of nothing. */
#define WORKER_INC(field, n) \
    __atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)

/* Everything actions need to move one packet, for one batch. */
struct worker_exec {
    struct worker *w;
    struct worker_dp *wdp;
    struct actions_ops ops;
    struct actions_stats astats;
    struct packet clones[WORKER_CLONES];
    unsigned int next_clone;
    unsigned int recirc_depth;
    uint64_t now_ns;
};

static void worker_input(struct worker_exec *, struct packet *);

/* ---------------------------------------------------------------- tx */

static void
worker_flush_vport(struct worker *w, struct vport *vp)
{
    struct dp_txbuf *buf = &vp->txbuf[w->id];
    struct port_xsk_queue *q = vp->txq[w->id];
    struct worker_dp *wdp = w->dps[vp->dp->slot];
    uint32_t sent = 0, done;

    if (!q || !wdp) {
        return;
    }
    if (vp->txq_shared[w->id]) {
        port_xsk_tx_lock(q);
    }
    if (buf->n) {
        sent = port_xsk_tx_burst(q, buf->descs, buf->n);
        for (uint32_t i = sent; i < buf->n; i++) {
            umem_cache_put(&wdp->cache, buf->descs[i].addr);
        }
        if (sent < buf->n) {
            WORKER_INC(vp->wstats[w->id].tx_dropped, buf->n - sent);
        }
        buf->outstanding += sent;
        buf->n = 0;
    }
    /* Every turn, not only after new frames: what the kernel left on the
     * last kick (its per-call budget, a full device queue) goes now. */
    port_xsk_tx_flush(q);
    done = port_xsk_complete(q, &wdp->cache);
    buf->outstanding = done >= buf->outstanding ? 0 : buf->outstanding - done;
    if (vp->txq_shared[w->id]) {
        port_xsk_tx_unlock(q);
    }
}

/* Flushes every tx buffer filled this turn and reaps completions; a vport
 * stays on the list while frames it sent are not back. */
static void
worker_flush(struct worker *w)
{
    unsigned int keep = 0;

    for (unsigned int i = 0; i < w->n_active; i++) {
        struct vport *vp = w->active[i];

        worker_flush_vport(w, vp);
        if (vp->txbuf[w->id].outstanding) {
            w->active[keep++] = vp;
        } else {
            vp->txbuf[w->id].active = false;
        }
    }
    w->n_active = keep;
}

/* Forgets the list (the vports on it may be about to go away); frames still
 * in flight are reaped by whoever sends on those queues next, or returned to
 * the pool when the port closes. */
static void
worker_drop_active(struct worker *w)
{
    worker_flush(w);
    for (unsigned int i = 0; i < w->n_active; i++) {
        w->active[i]->txbuf[w->id].active = false;
    }
    w->n_active = 0;
}

static void
worker_free_packet(struct worker_exec *x, struct packet *pkt)
{
    umem_cache_put(&x->wdp->cache, pkt->addr);
}

static void
worker_output(void *aux, struct packet *pkt, uint32_t port)
{
    struct worker_exec *x = aux;
    struct worker *w = x->w;
    struct datapath *dp = x->wdp->dp;
    struct vport *vp = port < DP_MAX_PORTS ? DP_READ(dp->ports[port]) : NULL;
    uint32_t len = pkt->cutlen && pkt->cutlen < pkt->len ? pkt->cutlen : pkt->len;

    if (!vp) {
        worker_free_packet(x, pkt);
        return;
    }
    if (vp->type == DP_VPORT_INTERNAL) {
        port_tap_send(vp->tap, pkt->data, len);
        worker_free_packet(x, pkt);
        return;
    }
    {
        struct dp_txbuf *buf = &vp->txbuf[w->id];

        buf->descs[buf->n].addr = pkt->addr;
        buf->descs[buf->n].len = len;
        buf->descs[buf->n].options = 0;
        buf->n++;
        if (!buf->active) {
            if (w->n_active == sizeof w->active / sizeof w->active[0]) {
                worker_flush(w);
            }
            if (w->n_active < sizeof w->active / sizeof w->active[0]) {
                buf->active = true;
                w->active[w->n_active++] = vp;
            }
        }
        if (buf->n == DP_BATCH || !buf->active) {
            worker_flush_vport(w, vp);
        }
    }
}

/* A copy of pkt in a frame of its own, at the same offset in the frame. */
static struct packet *
worker_clone(void *aux, const struct packet *pkt)
{
    struct worker_exec *x = aux;
    struct umem *umem = x->wdp->dp->umem;
    struct packet *c;
    uint64_t base;

    if (!umem_cache_get(&x->wdp->cache, &base)) {
        WORKER_INC(x->w->counters.s.no_frame, 1);
        return NULL;
    }
    c = &x->clones[x->next_clone++ % WORKER_CLONES];
    *c = *pkt;
    c->addr = base + (pkt->addr - umem_frame_base(umem, pkt->addr));
    c->data = umem_data(umem, c->addr);
    memcpy(c->data, pkt->data, pkt->len);
    return c;
}

static void
worker_free(void *aux, struct packet *pkt)
{
    worker_free_packet(aux, pkt);
}

static void
worker_upcall(struct worker_exec *x, const struct packet *pkt, const struct flow_key *key,
              uint8_t cmd, uint32_t portid, const void *userdata, size_t userdata_len)
{
    struct worker *w = x->w;
    struct datapath *dp = x->wdp->dp;
    struct upcall_info info = {
        .family = CTL_ID_OVS_PACKET,
        .cmd = cmd,
        .dp_ifindex = dp->ifindex,
        .portid = portid,
        .key = key,
        .userdata = userdata,
        .userdata_len = userdata_len,
    };

    if (upcall_enqueue(w->upcalls, &info, pkt)) {
        WORKER_INC(dp->wstats[w->id].n_lost, 1);
        WORKER_INC(w->counters.s.lost, 1);
    }
}

static void
worker_userspace(void *aux, const struct packet *pkt, const struct nlattr *a)
{
    struct worker_exec *x = aux;
    const struct nlattr *n;
    const void *userdata = NULL;
    size_t userdata_len = 0;
    uint32_t pid = 0;
    struct flow_key key;

    mnl_attr_for_each_nested(n, a) {
        if (mnl_attr_get_type(n) == OVS_USERSPACE_ATTR_PID) {
            pid = mnl_attr_get_u32(n);
        } else if (mnl_attr_get_type(n) == OVS_USERSPACE_ATTR_USERDATA) {
            userdata = mnl_attr_get_payload(n);
            userdata_len = mnl_attr_get_payload_len(n);
        }
    }
    /* The key of the packet as it is now, after earlier set actions. */
    flow_extract(pkt->data, pkt->len, &pkt->md, &key, NULL);
    worker_upcall(x, pkt, &key, OVS_PACKET_CMD_ACTION, pid, userdata, userdata_len);
}

static void
worker_recirc(void *aux, struct packet *pkt)
{
    struct worker_exec *x = aux;

    if (x->recirc_depth >= WORKER_RECIRC_MAX) {
        worker_free_packet(x, pkt);
        return;
    }
    x->recirc_depth++;
    worker_input(x, pkt);
    x->recirc_depth--;
}

static void
worker_exec_init(struct worker_exec *x, struct worker *w, struct worker_dp *wdp)
{
    x->w = w;
    x->wdp = wdp;
    x->ops = (struct actions_ops) {
        .output = worker_output,
        .clone = worker_clone,
        .free = worker_free,
        .userspace = worker_userspace,
        .recirc = worker_recirc,
        .aux = x,
    };
    memset(&x->astats, 0, sizeof x->astats);
    x->next_clone = 0;
    x->recirc_depth = 0;
    x->now_ns = worker_now_ns();
}

/* ---------------------------------------------------------------- lookup */

static void
worker_input(struct worker_exec *x, struct packet *pkt)
{
    struct worker *w = x->w;
    struct worker_dp *wdp = x->wdp;
    struct datapath *dp = wdp->dp;
    struct dp_wstats *ds = &dp->wstats[w->id];
    struct classifier_flow *flow = NULL;
    struct flow_offsets ofs;
    struct flow_key key;
    uint32_t hash = 0;

    bool use_emc = wdp->emc && !wdp->emc_skip
                   && __atomic_load_n(&dp->emc_useful, __ATOMIC_RELAXED);

    flow_extract(pkt->data, pkt->len, &pkt->md, &key, &ofs);
    if (use_emc) {
        hash = emc_hash(&key);
        flow = emc_lookup(wdp->emc, &key, hash);
        if (flow) {
            WORKER_INC(w->counters.s.emc_hits, 1);
            wdp->emc_window_hits++;
        }
        if (!--wdp->emc_window) {
            if (wdp->emc_window_hits < WORKER_EMC_MIN_HITS) {
                wdp->emc_skip = WORKER_EMC_SKIP;
            }
            wdp->emc_window = WORKER_EMC_WINDOW;
            wdp->emc_window_hits = 0;
        }
    } else if (wdp->emc) {
        wdp->emc_skip--;
    }
    if (!flow) {
        flow = classifier_lookup(dp->cls, w->id, &key);
        if (flow) {
            WORKER_INC(w->counters.s.megaflow_hits, 1);
            WORKER_INC(ds->n_mask_hit, 1);
            if (use_emc) {
                emc_probabilistic_insert(wdp->emc, &key, hash, flow);
            }
        }
    }
    if (flow) {
        const struct classifier_actions *acts = classifier_flow_actions(flow);

        WORKER_INC(ds->n_hit, 1);
        classifier_flow_stats_add(flow, w->id, 1, pkt->len, ntohs(key.tcp_flags), x->now_ns);
        if (acts && acts->len) {
            actions_execute(acts->data, acts->len, pkt, &key, &ofs, &x->ops, &x->astats);
        } else {
            worker_free_packet(x, pkt);
        }
        return;
    }
    WORKER_INC(ds->n_missed, 1);
    WORKER_INC(w->counters.s.upcalls, 1);
    {
        struct vport *in = pkt->md.in_port < DP_MAX_PORTS
                           ? DP_READ(dp->ports[pkt->md.in_port]) : NULL;
        uint32_t pid = in ? __atomic_load_n(&in->upcall_pid, __ATOMIC_RELAXED) : 0;

        if (!pid) {
            pid = __atomic_load_n(&dp->upcall_pid, __ATOMIC_RELAXED);
        }

        worker_upcall(x, pkt, &key, OVS_PACKET_CMD_MISS, pid, NULL, 0);
    }
    worker_free_packet(x, pkt);
}

static void
worker_rx(struct worker *w, struct worker_rxq *rxq, const struct xdp_desc *descs, uint32_t n,
          struct worker_exec *x)
{
    struct umem *umem = rxq->wdp->dp->umem;
    uint32_t frame_size = umem->frame_size;
    uint32_t port_no = rxq->vport->port_no;

    worker_exec_init(x, w, rxq->wdp);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t addr = descs[i].addr;
        uint64_t off = addr - umem_frame_base(umem, addr);
        struct packet pkt = {
            .data = umem_data(umem, addr),
            .len = descs[i].len,
            .headroom = (uint32_t) off,
            .tailroom = frame_size - (uint32_t) off - descs[i].len,
            .addr = addr,
            .cutlen = 0,
            .md = { .in_port = port_no },
        };

        worker_input(x, &pkt);
    }
    WORKER_INC(w->counters.s.packets, n);
    if (x->astats.no_clone) {
        WORKER_INC(w->counters.s.no_frame, x->astats.no_clone);
    }
}

/* ---------------------------------------------------------------- commands */

/* Copies a packet from the control thread into a frame of this worker's. */
static bool
worker_frame_packet(struct worker_exec *x, const struct worker_cmd *cmd, struct packet *pkt)
{
    struct umem *umem = x->wdp->dp->umem;
    uint64_t base;

    if (cmd->packet_len + WORKER_FRAME_HEADROOM > umem->frame_size
        || !umem_cache_get(&x->wdp->cache, &base)) {
        WORKER_INC(x->w->counters.s.no_frame, 1);
        return false;
    }
    memset(pkt, 0, sizeof *pkt);
    pkt->addr = base + WORKER_FRAME_HEADROOM;
    pkt->data = umem_data(umem, pkt->addr);
    pkt->len = cmd->packet_len;
    pkt->headroom = WORKER_FRAME_HEADROOM;
    pkt->tailroom = umem->frame_size - WORKER_FRAME_HEADROOM - cmd->packet_len;
    pkt->md = cmd->md;
    memcpy(pkt->data, cmd->data + cmd->actions_len, cmd->packet_len);
    return true;
}

static unsigned int
worker_run_cmds(struct worker *w)
{
    uint64_t head = __atomic_load_n(&w->cmd_head, __ATOMIC_ACQUIRE);
    uint64_t tail = w->cmd_tail;
    unsigned int n = 0;

    for (; tail != head; tail++, n++) {
        const struct worker_cmd *cmd = &w->cmds[tail % WORKER_CMD_SLOTS];
        struct worker_dp *wdp = cmd->dp_slot < DP_MAX_DATAPATHS
                                ? DP_READ(w->dps[cmd->dp_slot]) : NULL;
        struct worker_exec x;
        struct packet pkt;

        if (!wdp) {
            continue;
        }
        worker_exec_init(&x, w, wdp);
        if (!worker_frame_packet(&x, cmd, &pkt)) {
            continue;
        }
        if (cmd->type == WORKER_CMD_EXECUTE) {
            struct flow_offsets ofs;
            struct flow_key key;

            flow_extract(pkt.data, pkt.len, &pkt.md, &key, &ofs);
            actions_execute(cmd->data, cmd->actions_len, &pkt, &key, &ofs, &x.ops, &x.astats);
        } else {
            WORKER_INC(w->counters.s.packets, 1);
            worker_input(&x, &pkt);
        }
    }
    __atomic_store_n(&w->cmd_tail, tail, __ATOMIC_RELEASE);
    return n;
}

int
worker_send_cmd(struct worker *w, const struct worker_cmd *hdr, const void *actions,
                const void *packet)
{
    uint64_t head = w->cmd_head;
    struct worker_cmd *slot;
    uint64_t one = 1;
    ssize_t r;

    if ((size_t) hdr->actions_len + hdr->packet_len > WORKER_CMD_DATA) {
        return -EMSGSIZE;
    }
    if (head - __atomic_load_n(&w->cmd_tail, __ATOMIC_ACQUIRE) >= WORKER_CMD_SLOTS) {
        return -ENOBUFS;
    }
    slot = &w->cmds[head % WORKER_CMD_SLOTS];
    slot->type = hdr->type;
    slot->dp_slot = hdr->dp_slot;
    slot->md = hdr->md;
    slot->actions_len = hdr->actions_len;
    slot->packet_len = hdr->packet_len;
    if (hdr->actions_len) {         /* an input command has no actions */
        memcpy(slot->data, actions, hdr->actions_len);
    }
    memcpy(slot->data + hdr->actions_len, packet, hdr->packet_len);
    __atomic_store_n(&w->cmd_head, head + 1, __ATOMIC_RELEASE);
    r = write(w->wake_fd, &one, sizeof one);
    (void) r;   /* EAGAIN: already signalled */
    return 0;
}

/* ---------------------------------------------------------------- loop */

/* Sleeps until a queue has frames, a command comes, or a second passes.
 * Offline meanwhile, so that grace periods do not wait for us.  Returns
 * whether something woke it (false: the timeout, nothing to do). */
static bool
worker_sleep(struct worker *w, const struct worker_poll *poll_list)
{
    struct pollfd fds[257];
    unsigned int n = 0;
    uint64_t v;
    ssize_t r;

    fds[n++] = (struct pollfd) { .fd = w->wake_fd, .events = POLLIN };
    for (unsigned int i = 0; poll_list && i < poll_list->n_rxq && n < 257; i++) {
        fds[n++] = (struct pollfd) { .fd = port_xsk_queue_fd(poll_list->rxq[i].q),
                                     .events = POLLIN };
    }
    worker_drop_active(w);
    r = read(w->wake_fd, &v, sizeof v);
    (void) r;
    if (__atomic_load_n(&w->cmd_head, __ATOMIC_ACQUIRE) != w->cmd_tail
        || __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        return true;
    }
    WORKER_INC(w->counters.s.sleeps, 1);
    classifier_rcu_thread_offline();
    r = poll(fds, n, WORKER_SLEEP_MS);
    rcu_thread_online();
    return r != 0;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct worker_exec *x = calloc(1, sizeof *x);
    const struct worker_poll *seen = NULL;
    struct xdp_desc descs[DP_BATCH];
    uint64_t idle_since = 0;
    uint64_t spin = w->sw->idle_cycles;     /* busy from the start: ports come with traffic */

    rcu_register_thread();
    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        const struct worker_poll *pl = DP_READ(w->poll);
        uint64_t t0 = worker_cycles();
        unsigned int work = 0;

        if (pl != seen) {
            /* The control thread changed what we poll: vports may be on
             * their way out, so the flush list must not outlive this turn. */
            worker_drop_active(w);
            seen = pl;
        }
        work += worker_run_cmds(w);
        for (unsigned int i = 0; pl && i < pl->n_rxq; i++) {
            struct worker_rxq *rxq = (struct worker_rxq *) &pl->rxq[i];
            uint32_t n;

            port_xsk_refill(rxq->q, &rxq->wdp->cache);
            n = port_xsk_rx_burst(rxq->q, descs, DP_BATCH);
            if (n) {
                worker_rx(w, rxq, descs, n, x);
                work += n;
            }
        }
        worker_flush(w);
        WORKER_INC(w->counters.s.polls, 1);
        if (work) {
            WORKER_INC(w->counters.s.busy_cycles, worker_cycles() - t0);
            idle_since = 0;
        } else {
            uint64_t now = worker_cycles();

            WORKER_INC(w->counters.s.idle_cycles, now - t0);
            if (!idle_since) {
                idle_since = now;
            } else if (now - idle_since > spin && !w->n_active) {
                uint64_t slept = worker_cycles();
                bool woken = worker_sleep(w, pl);

                slept = worker_cycles() - slept;
                spin = slept > w->sw->quiet_cycles ? w->sw->idle_short_cycles
                       : spin * 2 < w->sw->idle_cycles ? spin * 2 : w->sw->idle_cycles;
                /* A timeout with nothing to do sleeps again at the next
                 * empty turn, without another spell of busy polling. */
                idle_since = woken ? 0 : worker_cycles() - spin - 1;
                seen = NULL;    /* re-read the poll list after sleeping */
                continue;
            }
        }
        classifier_rcu_quiescent_state();
    }
    worker_drop_active(w);
    rcu_unregister_thread();
    free(x);
    return NULL;
}

/* ---------------------------------------------------------------- control */

static void
worker_upcall_event(evutil_socket_t fd, short what, void *arg)
{
    (void) fd;
    (void) what;
    worker_handle_upcalls(arg, 256);
}

void
worker_handle_upcalls(struct worker *w, unsigned int budget)
{
    struct dp_switch *sw = w->sw;
    const void *msg;
    uint32_t len;
    unsigned int n = 0;

    upcall_ring_clear_wakeup(w->upcalls);
    while (n < budget && (msg = upcall_ring_peek(w->upcalls, &len))) {
        struct upcall_msg m;

        if (upcall_msg_parse(msg, len, &m) == 0) {
            struct datapath *dp = dp_find_by_ifindex(sw, m.dp_ifindex);

            if (dp && sw->upcall_cb) {
                sw->upcall_cb(sw->upcall_aux, dp, msg, len);
            }
        }
        upcall_ring_release(w->upcalls);
        n++;
    }
    w->upcalls_handled += n;
    /* Bounded per loop turn so the control socket is served too; come back
     * for the rest without waiting for another wakeup. */
    if (upcall_ring_peek(w->upcalls, &len)) {
        event_active(w->upcall_event, EV_READ, 0);
    }
}

static int
worker_init_one(struct dp_switch *sw, struct worker *w, unsigned int id, struct xsw_err *err)
{
    uint32_t slot = sw->cfg.frame_size + UPCALL_OVERHEAD;
    int error;

    w->id = id;
    w->sw = sw;
    w->cmds = calloc(WORKER_CMD_SLOTS, sizeof *w->cmds);
    if (!w->cmds) {
        return xsw_err_set(err, ENOMEM, "worker %u: out of memory", id);
    }
    w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->wake_fd < 0) {
        error = xsw_err_set(err, errno, "worker %u: eventfd: %s", id, strerror(errno));
        goto err_cmds;
    }
    error = upcall_ring_create(sw->cfg.upcall_queue_len, slot, &w->upcalls);
    if (error) {
        xsw_err_set(err, -error, "worker %u: upcall queue: %s", id, strerror(-error));
        goto err_fd;
    }
    w->upcall_event = event_new(sw->base, upcall_ring_fd(w->upcalls), EV_READ | EV_PERSIST,
                                worker_upcall_event, w);
    if (!w->upcall_event || event_add(w->upcall_event, NULL)) {
        error = xsw_err_set(err, ENOMEM, "worker %u: registering upcall event", id);
        goto err_ring;
    }
    error = pthread_create(&w->thread, NULL, worker_main, w);
    if (error) {
        error = xsw_err_set(err, error, "worker %u: starting thread: %s", id, strerror(error));
        goto err_event;
    }
    {
        char name[16];

        /* Thread names hold 15 characters; ids stay below DP_MAX_WORKERS. */
        snprintf(name, sizeof name, "xsw-worker%u", id % DP_MAX_WORKERS);
        pthread_setname_np(w->thread, name);
    }
    return 0;

err_event:
    if (w->upcall_event) {
        event_free(w->upcall_event);
    }
err_ring:
    upcall_ring_destroy(w->upcalls);
err_fd:
    close(w->wake_fd);
err_cmds:
    free(w->cmds);
    return error;
}

static void
worker_wake(struct worker *w)
{
    uint64_t one = 1;
    ssize_t r = write(w->wake_fd, &one, sizeof one);

    (void) r;
}

/* How many worker_cycles() make a nanosecond: idle time is measured with
 * the cycle counter, which costs nothing, where clock_gettime() is a vDSO
 * call that a busy host can make slow. */
static double
worker_cycles_per_ns(void)
{
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    uint64_t t0 = worker_now_ns(), c0 = worker_cycles();
    uint64_t t1, c1;

    nanosleep(&pause, NULL);
    t1 = worker_now_ns();
    c1 = worker_cycles();
    if (t1 <= t0 || c1 <= c0) {
        return 1.0;
    }
    return (double) (c1 - c0) / (double) (t1 - t0);
}

int
worker_start_all(struct dp_switch *sw, struct xsw_err *err)
{
    double per_ns = worker_cycles_per_ns();

    sw->idle_cycles = (uint64_t) (WORKER_IDLE_NS * per_ns);
    sw->idle_short_cycles = (uint64_t) (WORKER_IDLE_SHORT_NS * per_ns);
    sw->quiet_cycles = (uint64_t) (WORKER_QUIET_NS * per_ns);
    sw->workers = calloc(sw->n_workers, sizeof *sw->workers);
    if (!sw->workers) {
        return xsw_err_set(err, ENOMEM, "out of memory for %u workers", sw->n_workers);
    }
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        int error = worker_init_one(sw, &sw->workers[i], i, err);

        if (error) {
            sw->n_workers = i;
            worker_stop_all(sw);
            return error;
        }
    }
    return 0;
}

void
worker_stop_all(struct dp_switch *sw)
{
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        __atomic_store_n(&sw->workers[i].stop, true, __ATOMIC_RELEASE);
        worker_wake(&sw->workers[i]);
    }
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        pthread_join(sw->workers[i].thread, NULL);
    }
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        struct worker *w = &sw->workers[i];

        event_free(w->upcall_event);
        upcall_ring_destroy(w->upcalls);
        close(w->wake_fd);
        free(w->cmds);
        free(w->poll);
    }
    free(sw->workers);
    sw->workers = NULL;
    sw->n_workers = 0;
}

/* Waits until every worker has finished a loop turn that began after the
 * caller's last publication: two grace periods (see the top of this file). */
static void
worker_quiesce(struct dp_switch *sw)
{
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        worker_wake(&sw->workers[i]);
    }
    classifier_rcu_synchronize();
    classifier_rcu_synchronize();
}

void
worker_republish(struct dp_switch *sw)
{
    unsigned int n = sw->n_workers;
    struct worker_poll **lists = calloc(n, sizeof *lists);
    unsigned int total = 0, next = 0;

    if (!lists) {
        goto out;
    }
    /* Count the rx queues, then deal them out round-robin over workers. */
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        for (struct vport *vp = dp_port_next(dp, NULL); vp; vp = dp_port_next(dp, vp)) {
            if (vp->type == DP_VPORT_AFXDP) {
                total += port_xsk_n_queues(vp->xsk);
            }
        }
    }
    for (unsigned int i = 0; i < n; i++) {
        lists[i] = calloc(1, sizeof *lists[i] + (total + 1) * sizeof lists[i]->rxq[0]);
        if (!lists[i]) {
            goto out;
        }
    }
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        for (struct vport *vp = dp_port_next(dp, NULL); vp; vp = dp_port_next(dp, vp)) {
            if (vp->type != DP_VPORT_AFXDP) {
                continue;
            }
            for (uint32_t q = 0; q < port_xsk_n_queues(vp->xsk); q++) {
                unsigned int wi = next++ % n;
                struct worker_poll *pl = lists[wi];

                pl->rxq[pl->n_rxq++] = (struct worker_rxq) {
                    .q = port_xsk_get_queue(vp->xsk, q),
                    .vport = vp,
                    .wdp = sw->workers[wi].dps[dp->slot],
                };
            }
        }
    }
    for (unsigned int i = 0; i < n; i++) {
        struct worker_poll *old = sw->workers[i].poll;

        DP_PUBLISH(sw->workers[i].poll, lists[i]);
        lists[i] = old;     /* freed after the grace periods */
    }
    worker_quiesce(sw);
out:
    for (unsigned int i = 0; lists && i < n; i++) {
        free(lists[i]);
    }
    free(lists);
}

int
worker_dp_attach(struct dp_switch *sw, struct datapath *dp, struct xsw_err *err)
{
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        struct worker_dp *wdp = calloc(1, sizeof *wdp);
        int error;

        if (!wdp) {
            error = xsw_err_set(err, ENOMEM, "%s: out of memory", dp->name);
            goto err;
        }
        wdp->dp = dp;
        wdp->emc_window = WORKER_EMC_WINDOW;
        error = umem_cache_init(&wdp->cache, dp->umem, 0);
        if (error) {
            free(wdp);
            xsw_err_set(err, -error, "%s: frame cache: %s", dp->name, strerror(-error));
            goto err;
        }
        if (sw->cfg.emc_entries) {
            error = emc_create(sw->cfg.emc_entries, sw->cfg.emc_insert_inv_prob, i,
                               &wdp->emc, err);
            if (error) {
                umem_cache_uninit(&wdp->cache);
                free(wdp);
                goto err;
            }
        }
        DP_PUBLISH(sw->workers[i].dps[dp->slot], wdp);
        continue;
err:
        worker_dp_detach(sw, dp);
        return error;
    }
    return 0;
}

void
worker_dp_detach(struct dp_switch *sw, struct datapath *dp)
{
    struct worker_dp *old[DP_MAX_WORKERS];

    for (unsigned int i = 0; i < sw->n_workers; i++) {
        old[i] = sw->workers[i].dps[dp->slot];
        DP_PUBLISH(sw->workers[i].dps[dp->slot], NULL);
    }
    worker_quiesce(sw);
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        if (old[i]) {
            if (old[i]->emc) {
                emc_destroy(old[i]->emc);
            }
            umem_cache_uninit(&old[i]->cache);
            free(old[i]);
        }
    }
}
