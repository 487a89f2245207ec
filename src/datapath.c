/* datapath: datapaths, vports, flows and packet execution, on the control
 * thread.  See datapath.h for the contract and dp_private.h for what the
 * workers read. */
#include "dp_private.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <urcu-qsbr.h>

#include "log.h"
#include "odp_actions.h"
#include "odp_key.h"

#define DP_TAP_BURST 64
#define DP_FILL_FRAMES 512
#define DP_EMC_MIN_SUBTABLES 3

/* ---------------------------------------------------------------- switch */

int
dp_switch_create(const struct dp_switch_config *cfg, struct event_base *base,
                 dp_upcall_fn *upcall_cb, void *upcall_aux,
                 struct dp_switch **out, struct xsw_err *err)
{
    struct dp_switch *sw;
    int error;

    if (!cfg->n_workers || cfg->n_workers > DP_MAX_WORKERS) {
        return xsw_err_set(err, EINVAL, "workers = %u: expected 1 to %d",
                           cfg->n_workers, DP_MAX_WORKERS);
    }
    sw = calloc(1, sizeof *sw);
    if (!sw) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    sw->cfg = *cfg;
    sw->base = base;
    sw->upcall_cb = upcall_cb;
    sw->upcall_aux = upcall_aux;
    sw->n_workers = cfg->n_workers;
    sw->next_fake_ifindex = DP_IFINDEX_NO_TAP_BASE;
    error = worker_start_all(sw, err);
    if (error) {
        free(sw);
        return error;
    }
    *out = sw;
    return 0;
}

void
dp_switch_destroy(struct dp_switch *sw)
{
    if (!sw) {
        return;
    }
    while (sw->dps) {
        dp_destroy(sw->dps);
    }
    worker_stop_all(sw);
    free(sw);
}

void
dp_switch_set_event_cb(struct dp_switch *sw, dp_event_fn *cb, void *aux)
{
    sw->event_cb = cb;
    sw->event_aux = aux;
}

static void
dp_event(struct dp_switch *sw, enum dp_event ev, struct datapath *dp, struct vport *vp)
{
    if (sw->event_cb) {
        sw->event_cb(sw->event_aux, ev, dp, vp);
    }
}

void
dp_switch_run(struct dp_switch *sw)
{
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        struct vport *vp, *next;

        classifier_rerank(dp->cls);
        /* One subtable probe (~110 instructions, its bucket hot in cache)
         * beats the EMC's hash and compare over a table that does not fit in
         * cache; the EMC pays from a few subtables up (bench/classifier). */
        __atomic_store_n(&dp->emc_useful,
                         classifier_n_subtables(dp->cls) >= DP_EMC_MIN_SUBTABLES,
                         __ATOMIC_RELAXED);
        for (vp = dp_port_next(dp, NULL); vp; vp = next) {
            bool up;

            next = dp_port_next(dp, vp);
            if (vp->type == DP_VPORT_AFXDP && port_xsk_link_state(vp->xsk, &up) == -ENODEV) {
                log_warn("%s: port %u (%s) removed: the device is gone",
                         dp->name, vp->port_no, vp->name);
                dp_port_del(vp);
            }
        }
    }
}

unsigned int
dp_switch_n_workers(const struct dp_switch *sw)
{
    return sw->n_workers;
}

void
dp_switch_worker_stats(const struct dp_switch *sw, unsigned int i, struct dp_worker_stats *s)
{
    const struct dp_worker_stats *src = &sw->workers[i].counters.s;

    s->packets = __atomic_load_n(&src->packets, __ATOMIC_RELAXED);
    s->emc_hits = __atomic_load_n(&src->emc_hits, __ATOMIC_RELAXED);
    s->megaflow_hits = __atomic_load_n(&src->megaflow_hits, __ATOMIC_RELAXED);
    s->upcalls = __atomic_load_n(&src->upcalls, __ATOMIC_RELAXED);
    s->lost = __atomic_load_n(&src->lost, __ATOMIC_RELAXED);
    s->busy_cycles = __atomic_load_n(&src->busy_cycles, __ATOMIC_RELAXED);
    s->idle_cycles = __atomic_load_n(&src->idle_cycles, __ATOMIC_RELAXED);
    s->polls = __atomic_load_n(&src->polls, __ATOMIC_RELAXED);
    s->sleeps = __atomic_load_n(&src->sleeps, __ATOMIC_RELAXED);
    s->no_frame = __atomic_load_n(&src->no_frame, __ATOMIC_RELAXED);
}

int
dp_switch_worker_queues(const struct dp_switch *sw, unsigned int i, char *buf, size_t size)
{
    const struct worker_poll *pl = DP_READ(sw->workers[i].poll);
    size_t n = 0;

    buf[0] = '\0';
    for (unsigned int k = 0; pl && k < pl->n_rxq && n < size; k++) {
        n += (size_t) snprintf(buf + n, size - n, "%s%s:%u", k ? " " : "",
                               pl->rxq[k].vport->name, pl->rxq[k].q->queue_id);
    }
    return 0;
}

void
dp_switch_upcall_stats(const struct dp_switch *sw, uint64_t *queued, uint64_t *lost,
                       uint64_t *handled)
{
    *queued = *lost = *handled = 0;
    for (unsigned int i = 0; i < sw->n_workers; i++) {
        struct upcall_ring_stats st;

        upcall_ring_get_stats(sw->workers[i].upcalls, &st);
        *queued += st.queued;
        *lost += st.lost + st.too_big;
        *handled += sw->workers[i].upcalls_handled;
    }
}

/* ---------------------------------------------------------------- datapaths */

/* Frames from the host stack on the internal port: handed to a worker to be
 * looked up like any received frame. */
static void
dp_tap_readable(evutil_socket_t fd, short what, void *arg)
{
    struct vport *vp = arg;
    struct datapath *dp = vp->dp;
    uint8_t frame[WORKER_CMD_DATA];

    (void) fd;
    (void) what;
    for (int i = 0; i < DP_TAP_BURST; i++) {
        ssize_t n = port_tap_recv(vp->tap, frame, sizeof frame);
        struct worker_cmd cmd;

        if (n <= 0) {
            break;
        }
        memset(&cmd, 0, offsetof(struct worker_cmd, data));
        cmd.type = WORKER_CMD_INPUT;
        cmd.dp_slot = dp->slot;
        cmd.md.in_port = vp->port_no;
        cmd.packet_len = (uint32_t) n;
        cmd.actions_len = 0;
        /* One worker keeps the host's frames in order. */
        if (worker_send_cmd(&dp->sw->workers[0], &cmd, NULL, frame)) {
            __atomic_fetch_add(&vp->wstats[0].tap_rx_dropped, 1, __ATOMIC_RELAXED);
        }
    }
}

static struct vport *
dp_vport_alloc(struct datapath *dp, uint32_t port_no, enum dp_vport_type type,
               const char *name)
{
    unsigned int nw = dp->sw->n_workers;
    struct vport *vp = calloc(1, sizeof *vp);

    if (!vp) {
        return NULL;
    }
    vp->txbuf = aligned_alloc(DP_CACHELINE, nw * sizeof *vp->txbuf);
    vp->wstats = aligned_alloc(DP_CACHELINE, nw * sizeof *vp->wstats);
    if (!vp->txbuf || !vp->wstats) {
        free(vp->txbuf);
        free(vp->wstats);
        free(vp);
        return NULL;
    }
    memset(vp->txbuf, 0, nw * sizeof *vp->txbuf);
    memset(vp->wstats, 0, nw * sizeof *vp->wstats);
    vp->port_no = port_no;
    vp->type = type;
    vp->dp = dp;
    snprintf(vp->name, sizeof vp->name, "%s", name);
    return vp;
}

static void
dp_vport_free(struct vport *vp)
{
    free(vp->txbuf);
    free(vp->wstats);
    free(vp);
}

/* Keeps dp->port_list sorted by number. */
static int
dp_port_list_insert(struct datapath *dp, struct vport *vp)
{
    struct vport **list = realloc(dp->port_list, (dp->n_ports + 1) * sizeof *list);
    unsigned int i;

    if (!list) {
        return -ENOMEM;
    }
    dp->port_list = list;
    for (i = dp->n_ports; i > 0 && list[i - 1]->port_no > vp->port_no; i--) {
        list[i] = list[i - 1];
    }
    list[i] = vp;
    dp->n_ports++;
    return 0;
}

static void
dp_port_list_remove(struct datapath *dp, struct vport *vp)
{
    for (unsigned int i = 0; i < dp->n_ports; i++) {
        if (dp->port_list[i] == vp) {
            memmove(&dp->port_list[i], &dp->port_list[i + 1],
                    (dp->n_ports - i - 1) * sizeof dp->port_list[0]);
            dp->n_ports--;
            return;
        }
    }
}

static int
dp_add_internal_port(struct datapath *dp, struct xsw_err *err)
{
    struct vport *vp = dp_vport_alloc(dp, DP_LOCAL_PORT, DP_VPORT_INTERNAL, dp->name);
    int error;

    if (!vp) {
        return xsw_err_set(err, ENOMEM, "%s: out of memory", dp->name);
    }
    vp->tap = calloc(1, sizeof *vp->tap);
    if (!vp->tap) {
        error = xsw_err_set(err, ENOMEM, "%s: out of memory", dp->name);
        goto err_vport;
    }
    error = port_tap_open(dp->name, vp->tap, err);
    if (error) {
        goto err_tap;
    }
    vp->tap_event = event_new(dp->sw->base, vp->tap->fd, EV_READ | EV_PERSIST,
                              dp_tap_readable, vp);
    if (!vp->tap_event || event_add(vp->tap_event, NULL)) {
        error = xsw_err_set(err, ENOMEM, "%s: registering the TAP device", dp->name);
        goto err_event;
    }
    error = dp_port_list_insert(dp, vp);
    if (error) {
        xsw_err_set(err, ENOMEM, "%s: out of memory", dp->name);
        goto err_event;
    }
    dp->ifindex = vp->tap->ifindex;
    DP_PUBLISH(dp->ports[DP_LOCAL_PORT], vp);
    return 0;

err_event:
    if (vp->tap_event) {
        event_free(vp->tap_event);
    }
    port_tap_close(vp->tap);
err_tap:
    free(vp->tap);
err_vport:
    dp_vport_free(vp);
    return error;
}

int
dp_create(struct dp_switch *sw, const char *name, bool internal_port, uint32_t upcall_pid,
          struct datapath **out, struct xsw_err *err)
{
    struct umem_config ucfg = { sw->cfg.frame_size, sw->cfg.umem_frames };
    struct datapath *dp, **tail;
    unsigned int slot;
    int error;

    if (!name[0] || strlen(name) >= IF_NAMESIZE) {
        return xsw_err_set(err, EINVAL, "datapath name '%s': 1 to %d characters",
                           name, IF_NAMESIZE - 1);
    }
    if (dp_find_by_name(sw, name)) {
        return xsw_err_set(err, EEXIST, "datapath %s exists already", name);
    }
    for (slot = 0; slot < DP_MAX_DATAPATHS && sw->by_slot[slot]; slot++) {
        continue;
    }
    if (slot == DP_MAX_DATAPATHS) {
        return xsw_err_set(err, ENOSPC, "%s: at most %d datapaths", name, DP_MAX_DATAPATHS);
    }
    dp = calloc(1, sizeof *dp);
    if (!dp) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    dp->sw = sw;
    dp->slot = slot;
    dp->upcall_pid = upcall_pid;
    snprintf(dp->name, sizeof dp->name, "%s", name);
    dp->ports = calloc(DP_MAX_PORTS, sizeof *dp->ports);
    dp->wstats = aligned_alloc(DP_CACHELINE, sw->n_workers * sizeof *dp->wstats);
    if (!dp->ports || !dp->wstats) {
        error = xsw_err_set(err, ENOMEM, "out of memory");
        goto err_free;
    }
    memset(dp->wstats, 0, sw->n_workers * sizeof *dp->wstats);
    error = umem_create(&ucfg, &dp->umem, err);
    if (error) {
        xsw_err_prefix(err, name);
        goto err_free;
    }
    error = classifier_create(sw->n_workers, sw->cfg.max_flows, &dp->cls, err);
    if (error) {
        xsw_err_prefix(err, name);
        goto err_umem;
    }
    error = worker_dp_attach(sw, dp, err);
    if (error) {
        goto err_cls;
    }
    if (internal_port) {
        error = dp_add_internal_port(dp, err);
        if (error) {
            goto err_detach;
        }
    } else {
        dp->ifindex = sw->next_fake_ifindex++;
    }
    for (tail = &sw->dps; *tail; tail = &(*tail)->next) {
        continue;
    }
    *tail = dp;
    sw->by_slot[slot] = dp;
    log_info("%s: datapath created (dp_ifindex %d%s)", name, dp->ifindex,
             internal_port ? ", internal port 0" : "");
    dp_event(sw, DP_EVENT_CREATED, dp, NULL);
    *out = dp;
    return 0;

err_detach:
    worker_dp_detach(sw, dp);
err_cls:
    classifier_destroy(dp->cls);
err_umem:
    umem_destroy(dp->umem);
err_free:
    free(dp->ports);
    free(dp->wstats);
    free(dp);
    return error;
}

void
dp_destroy(struct datapath *dp)
{
    struct dp_switch *sw = dp->sw;
    struct datapath **p;

    dp_event(sw, DP_EVENT_DESTROYING, dp, NULL);
    while (dp->n_ports) {
        dp_port_del(dp->port_list[dp->n_ports - 1]);
    }
    worker_dp_detach(sw, dp);
    classifier_destroy(dp->cls);
    if (umem_destroy(dp->umem)) {
        log_error("%s: frame memory still in use at destruction", dp->name);
    }
    for (p = &sw->dps; *p; p = &(*p)->next) {
        if (*p == dp) {
            *p = dp->next;
            break;
        }
    }
    sw->by_slot[dp->slot] = NULL;
    log_info("%s: datapath destroyed", dp->name);
    free(dp->port_list);
    free(dp->ports);
    free(dp->wstats);
    free(dp);
}

struct datapath *
dp_find_by_name(const struct dp_switch *sw, const char *name)
{
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        if (!strcmp(dp->name, name)) {
            return dp;
        }
    }
    return NULL;
}

struct datapath *
dp_find_by_ifindex(const struct dp_switch *sw, int ifindex)
{
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        if (dp->ifindex == ifindex) {
            return dp;
        }
    }
    return NULL;
}

struct datapath *
dp_next(const struct dp_switch *sw, const struct datapath *dp)
{
    return dp ? dp->next : sw->dps;
}

const char *
dp_name(const struct datapath *dp)
{
    return dp->name;
}

int
dp_ifindex(const struct datapath *dp)
{
    return dp->ifindex;
}

uint32_t
dp_upcall_pid(const struct datapath *dp)
{
    return dp->upcall_pid;
}

void
dp_set_upcall_pid(struct datapath *dp, uint32_t pid)
{
    __atomic_store_n(&dp->upcall_pid, pid, __ATOMIC_RELAXED);
}

uint32_t
dp_user_features(const struct datapath *dp)
{
    return dp->user_features;
}

void
dp_set_user_features(struct datapath *dp, uint32_t features)
{
    dp->user_features = features;
}

struct classifier *
dp_classifier(const struct datapath *dp)
{
    return dp->cls;
}

struct dp_switch *
dp_switch_of(const struct datapath *dp)
{
    return dp->sw;
}

void
dp_get_stats(const struct datapath *dp, struct dp_stats *st)
{
    memset(st, 0, sizeof *st);
    for (unsigned int i = 0; i < dp->sw->n_workers; i++) {
        const struct dp_wstats *w = &dp->wstats[i];

        st->n_hit += __atomic_load_n(&w->n_hit, __ATOMIC_RELAXED);
        st->n_missed += __atomic_load_n(&w->n_missed, __ATOMIC_RELAXED);
        st->n_lost += __atomic_load_n(&w->n_lost, __ATOMIC_RELAXED);
        st->n_mask_hit += __atomic_load_n(&w->n_mask_hit, __ATOMIC_RELAXED);
    }
    st->n_flows = classifier_count(dp->cls);
    st->n_masks = classifier_n_subtables(dp->cls);
}

/* ---------------------------------------------------------------- vports */

static uint32_t
dp_free_port_no(const struct datapath *dp)
{
    for (uint32_t n = 1; n < DP_MAX_PORTS; n++) {
        if (!dp->ports[n]) {
            return n;
        }
    }
    return 0;
}

int
dp_port_add(struct datapath *dp, const struct dp_port_config *cfg, struct vport **out,
            struct xsw_err *err)
{
    struct port_xsk_config xcfg = {
        .devname = cfg->devname,
        .xdp_mode = cfg->xdp_mode,
        .bind_mode = cfg->bind_mode,
        .n_queues = cfg->n_queues,
        .bpf_path = dp->sw->cfg.bpf_path,
        /* Refilled every poll turn in batches of 64, a fill ring rarely runs
         * below a few hundred frames; a full 2048 per queue would empty a
         * small umem after a few ports. */
        .fill_frames = DP_FILL_FRAMES,
    };
    struct datapath *other;
    struct port_xsk *xsk;
    struct vport *vp;
    uint32_t port_no = cfg->port_no;
    uint32_t nq;
    int error;

    if (dp_port_find_by_name(dp->sw, cfg->devname, &other)) {
        return xsw_err_set(err, EBUSY, "%s: already a port of datapath %s",
                           cfg->devname, other->name);
    }
    if (port_no >= DP_MAX_PORTS) {
        return xsw_err_set(err, EINVAL, "%s: port number %u: expected 1 to %d",
                           cfg->devname, port_no, DP_MAX_PORTS - 1);
    }
    if (port_no && dp->ports[port_no]) {
        return xsw_err_set(err, EEXIST, "%s: port number %u is taken by %s",
                           cfg->devname, port_no, dp->ports[port_no]->name);
    }
    if (!port_no) {
        port_no = dp_free_port_no(dp);
        if (!port_no) {
            return xsw_err_set(err, ENOSPC, "%s: datapath %s has no free port number",
                               cfg->devname, dp->name);
        }
    }
    error = port_xsk_open(dp->umem, &xcfg, &xsk, err);
    if (error) {
        return error;
    }
    vp = dp_vport_alloc(dp, port_no, DP_VPORT_AFXDP, cfg->devname);
    if (!vp) {
        error = xsw_err_set(err, ENOMEM, "%s: out of memory", cfg->devname);
        goto err_close;
    }
    vp->xsk = xsk;
    vp->upcall_pid = cfg->upcall_pid;
    /* Worker i transmits on queue i mod n; a queue that falls to two
     * workers is shared and locked. */
    nq = port_xsk_n_queues(xsk);
    for (unsigned int i = 0; i < dp->sw->n_workers; i++) {
        vp->txq[i] = port_xsk_get_queue(xsk, i % nq);
        vp->txq_shared[i] = dp->sw->n_workers > nq;
    }
    error = dp_port_list_insert(dp, vp);
    if (error) {
        xsw_err_set(err, ENOMEM, "%s: out of memory", cfg->devname);
        goto err_free;
    }
    DP_PUBLISH(dp->ports[port_no], vp);
    worker_republish(dp->sw);
    {
        struct port_xsk_info info;

        port_xsk_get_info(xsk, &info);
        log_info("%s: port %u: %s added (xdp=%s, %s, %u queue%s)", dp->name, port_no,
                 cfg->devname, port_xsk_xdp_mode_name(info.xdp_mode),
                 info.n_zerocopy == info.n_queues ? "zero-copy"
                 : info.n_zerocopy ? "mixed copy/zero-copy" : "copy",
                 info.n_queues, info.n_queues == 1 ? "" : "s");
    }
    dp_event(dp->sw, DP_EVENT_PORT_ADDED, dp, vp);
    if (out) {
        *out = vp;
    }
    return 0;

err_free:
    dp_vport_free(vp);
err_close:
    port_xsk_close(xsk);
    return error;
}

void
dp_port_del(struct vport *vp)
{
    struct datapath *dp = vp->dp;

    dp_event(dp->sw, DP_EVENT_PORT_DELETING, dp, vp);
    DP_PUBLISH(dp->ports[vp->port_no], NULL);
    dp_port_list_remove(dp, vp);
    /* After this no worker polls, sends on, or remembers the port. */
    worker_republish(dp->sw);
    if (vp->type == DP_VPORT_AFXDP) {
        port_xsk_close(vp->xsk);
    } else {
        event_free(vp->tap_event);
        port_tap_close(vp->tap);
        free(vp->tap);
    }
    log_info("%s: port %u: %s removed", dp->name, vp->port_no, vp->name);
    dp_vport_free(vp);
}

struct vport *
dp_port_find(const struct datapath *dp, uint32_t port_no)
{
    return port_no < DP_MAX_PORTS ? dp->ports[port_no] : NULL;
}

struct vport *
dp_port_find_by_name(const struct dp_switch *sw, const char *name, struct datapath **dpp)
{
    for (struct datapath *dp = sw->dps; dp; dp = dp->next) {
        for (unsigned int i = 0; i < dp->n_ports; i++) {
            if (!strcmp(dp->port_list[i]->name, name)) {
                if (dpp) {
                    *dpp = dp;
                }
                return dp->port_list[i];
            }
        }
    }
    return NULL;
}

struct vport *
dp_port_next(const struct datapath *dp, const struct vport *vp)
{
    unsigned int i = 0;

    if (vp) {
        while (i < dp->n_ports && dp->port_list[i] != vp) {
            i++;
        }
        i++;
    }
    return i < dp->n_ports ? dp->port_list[i] : NULL;
}

struct datapath *
dp_port_datapath(const struct vport *vp)
{
    return vp->dp;
}

void
dp_port_set_upcall_pid(struct vport *vp, uint32_t pid)
{
    __atomic_store_n(&vp->upcall_pid, pid, __ATOMIC_RELAXED);
}

void
dp_port_get_info(const struct vport *vp, struct dp_vport_info *info)
{
    memset(info, 0, sizeof *info);
    info->port_no = vp->port_no;
    info->type = vp->type;
    snprintf(info->name, sizeof info->name, "%s", vp->name);
    info->upcall_pid = vp->upcall_pid;
    if (vp->type == DP_VPORT_AFXDP) {
        port_xsk_get_info(vp->xsk, &info->xsk);
        info->ifindex = info->xsk.ifindex;
    } else {
        info->ifindex = vp->tap->ifindex;
    }
}

void
dp_port_get_stats(const struct vport *vp, struct dp_vport_stats *st)
{
    memset(st, 0, sizeof *st);
    if (vp->type == DP_VPORT_AFXDP) {
        struct port_xsk_stats x;

        port_xsk_stats(vp->xsk, &x);
        st->rx_packets = x.rx_packets;
        st->rx_bytes = x.rx_bytes;
        st->tx_packets = x.tx_packets;
        st->tx_bytes = x.tx_bytes;
        st->rx_dropped = x.rx_dropped + x.rx_ring_full;
        st->rx_errors = x.rx_invalid_descs;
        st->tx_dropped = x.tx_ring_full;
        st->tx_errors = x.tx_invalid_descs + x.tx_kick_errors;
    } else {
        const struct port_tap *t = vp->tap;

        /* From the switch's side: what it received from the host stack. */
        st->rx_packets = __atomic_load_n(&t->rx_packets, __ATOMIC_RELAXED);
        st->rx_bytes = __atomic_load_n(&t->rx_bytes, __ATOMIC_RELAXED);
        st->tx_packets = __atomic_load_n(&t->tx_packets, __ATOMIC_RELAXED);
        st->tx_bytes = __atomic_load_n(&t->tx_bytes, __ATOMIC_RELAXED);
        st->tx_errors = __atomic_load_n(&t->tx_errors, __ATOMIC_RELAXED);
        st->rx_dropped = __atomic_load_n(&vp->wstats[0].tap_rx_dropped, __ATOMIC_RELAXED);
    }
}

/* ---------------------------------------------------------------- flows */

int
dp_flow_put(struct datapath *dp, const struct dp_flow_put *put,
            struct classifier_put_result *res, struct xsw_err *err)
{
    struct classifier_put cput;
    struct odp_key_info info;
    struct flow_key key;
    struct flow_mask mask;
    int error;

    error = odp_key_parse(put->key_nl, put->key_nl_len, &key, &info, err);
    if (error) {
        xsw_err_prefix(err, "key");
        return error;
    }
    error = odp_mask_parse(put->mask_nl, put->mask_nl_len, &info, &mask, err);
    if (error) {
        xsw_err_prefix(err, "mask");
        return error;
    }
    if (put->actions) {
        error = odp_actions_validate(put->actions, put->actions_len, err);
        if (error) {
            xsw_err_prefix(err, "actions");
            return error;
        }
    }
    memset(&cput, 0, sizeof cput);
    cput.key = &key;
    cput.mask = &mask;
    cput.ufid = put->ufid;
    cput.actions = put->actions;
    cput.actions_len = put->actions_len;
    cput.key_nl = put->key_nl;
    cput.key_nl_len = put->key_nl_len;
    cput.mask_nl = put->mask_nl;
    cput.mask_nl_len = put->mask_nl ? put->mask_nl_len : 0;
    cput.flags = put->flags;
    return classifier_put(dp->cls, &cput, res, err);
}

int
dp_flow_find(struct datapath *dp, const void *key_nl, size_t key_nl_len,
             const void *mask_nl, size_t mask_nl_len, const struct ufid *ufid,
             struct classifier_flow **flowp, struct xsw_err *err)
{
    struct odp_key_info info;
    struct flow_key key;
    struct flow_mask mask;
    int error;

    if (ufid) {
        *flowp = classifier_get_by_ufid(dp->cls, ufid);
    } else {
        if (!key_nl) {
            return xsw_err_set(err, EINVAL, "a flow is named by its key or its UFID");
        }
        error = odp_key_parse(key_nl, key_nl_len, &key, &info, err);
        if (error) {
            xsw_err_prefix(err, "key");
            return error;
        }
        if (mask_nl) {
            error = odp_mask_parse(mask_nl, mask_nl_len, &info, &mask, err);
            if (error) {
                xsw_err_prefix(err, "mask");
                return error;
            }
        } else {
            /* A flow put without a mask is exact on its key's attributes. */
            error = odp_mask_parse(NULL, 0, &info, &mask, err);
            if (error) {
                return error;
            }
        }
        *flowp = classifier_get_by_key(dp->cls, &key, &mask);
    }
    if (!*flowp) {
        return xsw_err_set(err, ENOENT, "no such flow in datapath %s", dp->name);
    }
    return 0;
}

static int
dp_put_raw(struct nlmsghdr *nlh, size_t buflen, const void *bytes, size_t len)
{
    if (nlh->nlmsg_len + MNL_ALIGN(len) > buflen) {
        return -EMSGSIZE;
    }
    memcpy(mnl_nlmsg_get_payload_tail(nlh), bytes, len);
    memset((char *) mnl_nlmsg_get_payload_tail(nlh) + len, 0, MNL_ALIGN(len) - len);
    nlh->nlmsg_len += (uint32_t) MNL_ALIGN(len);
    return 0;
}

int
dp_flow_key_nl(const struct classifier_flow *flow, struct nlmsghdr *nlh, size_t buflen)
{
    size_t len;
    const void *bytes = classifier_flow_key_nl(flow, &len);

    if (len) {
        return dp_put_raw(nlh, buflen, bytes, len);
    }
    return odp_key_put(nlh, buflen, classifier_flow_key(flow));
}

int
dp_flow_mask_nl(const struct classifier_flow *flow, struct nlmsghdr *nlh, size_t buflen)
{
    size_t len;
    const void *bytes = classifier_flow_mask_nl(flow, &len);

    if (bytes && len) {
        return dp_put_raw(nlh, buflen, bytes, len);
    }
    return odp_mask_put(nlh, buflen, classifier_flow_key(flow), classifier_flow_mask(flow));
}

/* ---------------------------------------------------------------- packets */

int
dp_execute(struct datapath *dp, const void *packet, size_t len, const void *key_nl,
           size_t key_nl_len, const void *actions, size_t actions_len, struct xsw_err *err)
{
    struct worker_cmd cmd;
    struct flow_key key;
    int error;

    if (len < 14 || len > dp->umem->frame_size - 256) {
        return xsw_err_set(err, EINVAL, "packet of %zu bytes: expected 14 to %u",
                           len, dp->umem->frame_size - 256);
    }
    memset(&key, 0, sizeof key);
    if (key_nl) {
        error = odp_key_parse(key_nl, key_nl_len, &key, NULL, err);
        if (error) {
            xsw_err_prefix(err, "key");
            return error;
        }
    }
    error = odp_actions_validate(actions, actions_len, err);
    if (error) {
        xsw_err_prefix(err, "actions");
        return error;
    }
    memset(&cmd, 0, offsetof(struct worker_cmd, data));
    cmd.type = WORKER_CMD_EXECUTE;
    cmd.dp_slot = dp->slot;
    cmd.md.in_port = key.in_port;
    cmd.md.skb_mark = key.skb_mark;
    cmd.md.priority = key.priority;
    cmd.md.recirc_id = key.recirc_id;
    cmd.md.dp_hash = key.dp_hash;
    cmd.packet_len = (uint32_t) len;
    cmd.actions_len = (uint32_t) actions_len;
    error = worker_send_cmd(&dp->sw->workers[key.in_port % dp->sw->n_workers], &cmd,
                            actions, packet);
    if (error == -ENOBUFS) {
        return xsw_err_set(err, ENOBUFS, "worker queue full: packet not executed");
    } else if (error) {
        return xsw_err_set(err, -error, "packet and actions too long (%zu bytes)",
                           len + actions_len);
    }
    return 0;
}
