/* port_xsk: see port_xsk.h. */
#include "port_xsk.h"

#include "log.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "xsw_err.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif
/* Linux 6.17: how many descriptors one sendto() may send in copy mode
 * (32 before, and by default).  Not in older headers. */
#ifndef XDP_MAX_TX_SKB_BUDGET
#define XDP_MAX_TX_SKB_BUDGET 9
#endif

#ifndef XSW_BPF_DIR
#define XSW_BPF_DIR "/usr/local/lib/xsw"
#endif
#define PORT_XSK_BPF_FILE "xsw_redirect.bpf.o"
#define PORT_XSK_PROG_SECTION "xdp"
#define PORT_XSK_MAP_NAME "xsks_map"

_Static_assert(PORT_XSK_NAME_SIZE == IF_NAMESIZE, "a device name");

enum { RING_RX, RING_TX, RING_FILL, RING_COMP };

struct port_xsk {
    struct umem *umem;
    char name[PORT_XSK_NAME_SIZE];
    int ifindex;
    uint32_t n_dev_queues;              /* rx queues at open */
    uint32_t n_map_entries;             /* rx queues the device may get */

    struct xdp_program *prog;
    enum port_xsk_xdp_mode xdp_mode;    /* in force: NATIVE or SKB */
    bool dispatcher;
    int xsks_map_fd;                    /* owned by prog's bpf_object */

    struct port_xsk_queue *queues;
    uint32_t n_queues;
};

const char *
port_xsk_xdp_mode_name(enum port_xsk_xdp_mode mode)
{
    switch (mode) {
    case PORT_XSK_XDP_AUTO:
        return "auto";
    case PORT_XSK_XDP_NATIVE:
        return "native";
    case PORT_XSK_XDP_SKB:
        return "skb";
    }
    return "?";
}

static enum xdp_attach_mode
libxdp_mode(enum port_xsk_xdp_mode mode)
{
    return mode == PORT_XSK_XDP_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
}

static bool
is_power_of_2(uint32_t x)
{
    return x && !(x & (x - 1));
}

/* ------------------------------------------------------------ the device */

/* The device's rx queues (current, and the most it may be given), from
 * ETHTOOL_GCHANNELS; a device without the call has one queue. */
static void
dev_queue_counts(const char *name, uint32_t *cur, uint32_t *max)
{
    struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
    struct ifreq ifr;
    int fd;

    *cur = *max = 1;
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return;
    }
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_data = (void *) &ch;
    if (!ioctl(fd, SIOCETHTOOL, &ifr)) {
        /* Drivers count either separate rx channels, or combined ones, or
         * both (veth: rx only). */
        uint32_t n = ch.rx_count + ch.combined_count;
        uint32_t m = ch.max_rx + ch.max_combined;

        *cur = n ? n : 1;
        *max = m > *cur ? m : *cur;
    }
    close(fd);
}

int
port_xsk_link_state(const struct port_xsk *port, bool *up)
{
    char name[IF_NAMESIZE];
    struct ifreq ifr;
    int fd, error = 0;

    *up = false;
    /* The ifindex, not the name, is the device: a device deleted and created
     * again under the same name is another device. */
    if (!if_indextoname(port->ifindex, name)) {
        return -ENODEV;
    }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
        error = errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
    } else {
        *up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
    }
    close(fd);
    return error;
}

/* ----------------------------------------------------------- the program */

static const char *
libxdp_msg(int error, char *buf, size_t size)
{
    /* libxdp has error codes of its own beyond errno. */
    if (libxdp_strerror(error, buf, size) < 0) {
        snprintf(buf, size, "%s", strerror(-error));
    }
    return buf;
}

static int
prog_open(struct port_xsk *port, const char *path, struct xdp_program **out,
          struct xsw_err *err)
{
    struct xdp_program *prog;
    struct bpf_map *map;
    char msg[128];
    long error;

    *out = NULL;
    prog = xdp_program__open_file(path, PORT_XSK_PROG_SECTION, NULL);
    error = libxdp_get_error(prog);
    if (error) {
        return xsw_err_set(err, (int) -error, "%s: opening XDP program %s: %s",
                           port->name, path,
                           libxdp_msg((int) error, msg, sizeof msg));
    }
    map = bpf_object__find_map_by_name(xdp_program__bpf_obj(prog),
                                       PORT_XSK_MAP_NAME);
    if (!map) {
        xdp_program__close(prog);
        return xsw_err_set(err, ENOENT, "%s: XDP program %s has no map %s",
                           port->name, path, PORT_XSK_MAP_NAME);
    }
    /* Keyed by rx queue index: room for every queue the device may get. */
    error = bpf_map__set_max_entries(map, port->n_map_entries);
    if (error) {
        xdp_program__close(prog);
        return xsw_err_set(err, (int) -error, "%s: sizing %s: %s", port->name,
                           PORT_XSK_MAP_NAME, strerror((int) -error));
    }
    *out = prog;
    return 0;
}

/* Attaches in the first mode that works among those allowed, and finds out
 * what libxdp did: its dispatcher, or the program alone on the device (when
 * the kernel refuses the dispatcher, or bpffs is not mounted). */
static int
prog_attach(struct port_xsk *port, enum port_xsk_xdp_mode want,
            const char *path, struct xsw_err *err)
{
    enum port_xsk_xdp_mode modes[2];
    int errors[2] = { 0, 0 };
    struct xdp_multiprog *mp;
    struct bpf_map *map;
    size_t n_modes = 0;
    char msg[2][128];

    if (want == PORT_XSK_XDP_AUTO || want == PORT_XSK_XDP_NATIVE) {
        modes[n_modes++] = PORT_XSK_XDP_NATIVE;
    }
    if (want == PORT_XSK_XDP_AUTO || want == PORT_XSK_XDP_SKB) {
        modes[n_modes++] = PORT_XSK_XDP_SKB;
    }

    for (size_t i = 0; i < n_modes; i++) {
        struct xdp_program *prog;
        int error;

        /* A fresh copy per try: a failed attach may leave the program
         * loaded for a dispatcher that no longer exists. */
        error = prog_open(port, path, &prog, err);
        if (error) {
            return error;
        }
        error = xdp_program__attach(prog, port->ifindex,
                                    libxdp_mode(modes[i]), 0);
        if (!error) {
            port->prog = prog;
            port->xdp_mode = modes[i];
            break;
        }
        xdp_program__close(prog);
        errors[i] = error;
        libxdp_msg(error, msg[i], sizeof msg[i]);
        if (error == -EEXIST || error == -EBUSY) {
            snprintf(msg[i], sizeof msg[i], "the device has an XDP program "
                     "that libxdp cannot share (xdp-loader status %s)",
                     port->name);
        }
    }
    if (!port->prog) {
        if (n_modes == 2) {
            return xsw_err_set(err, -errors[1], "%s: attaching XDP program "
                               "in native mode: %s; in skb mode: %s",
                               port->name, msg[0], msg[1]);
        }
        return xsw_err_set(err, -errors[0], "%s: attaching XDP program in %s "
                           "mode: %s", port->name,
                           port_xsk_xdp_mode_name(modes[0]), msg[0]);
    }

    mp = xdp_multiprog__get_from_ifindex(port->ifindex);
    if (!libxdp_get_error(mp) && mp) {
        port->dispatcher = !xdp_multiprog__is_legacy(mp);
        xdp_multiprog__close(mp);
    }
    map = bpf_object__find_map_by_name(xdp_program__bpf_obj(port->prog),
                                       PORT_XSK_MAP_NAME);
    port->xsks_map_fd = map ? bpf_map__fd(map) : -ENOENT;
    if (port->xsks_map_fd < 0) {
        int error = port->xsks_map_fd;

        port->xsks_map_fd = -1;
        xdp_program__detach(port->prog, port->ifindex,
                            libxdp_mode(port->xdp_mode), 0);
        xdp_program__close(port->prog);
        port->prog = NULL;
        return xsw_err_set(err, -error, "%s: XDP program has no loaded %s",
                           port->name, PORT_XSK_MAP_NAME);
    }
    return 0;
}

static void
prog_detach(struct port_xsk *port)
{
    char name[IF_NAMESIZE];

    if (!port->prog) {
        return;
    }
    /* libxdp removes only this program: from the dispatcher if there is
     * one (the others stay), or from the device if it is still the one
     * there.  A vanished device took the program with it. */
    if (if_indextoname(port->ifindex, name)) {
        int error = -1;

        /* Alone on the device, the program goes with the fd we hold: the
         * kernel removes it only if it is still ours (XDP_FLAGS_REPLACE),
         * and that needs CAP_NET_ADMIN only, where libxdp's detach looks the
         * program up by id, which takes CAP_SYS_ADMIN. */
        if (!port->dispatcher) {
            LIBBPF_OPTS(bpf_xdp_attach_opts, opts,
                        .old_prog_fd = xdp_program__fd(port->prog));
            __u32 flags = port->xdp_mode == PORT_XSK_XDP_SKB ? XDP_FLAGS_SKB_MODE
                                                             : XDP_FLAGS_DRV_MODE;

            error = bpf_xdp_detach(port->ifindex, flags, &opts);
        }
        if (error) {
            error = xdp_program__detach(port->prog, port->ifindex,
                                        libxdp_mode(port->xdp_mode), 0);
        }
        if (error) {
            log_warn("%s: could not detach the XDP program: %s (remove it with "
                     "'xdp-loader unload %s --all' or 'ip link set %s xdp off')",
                     name, strerror(error < 0 ? -error : EPERM), name, name);
        }
    }
    xdp_program__close(port->prog);
    port->prog = NULL;
}

/* ----------------------------------------------------------- the sockets */

struct ring_sizes {
    uint32_t rx, tx, fill, comp;
};

static void
queue_unmap(struct port_xsk_queue *q)
{
    for (size_t i = 0; i < 4; i++) {
        if (q->maps[i]) {
            munmap(q->maps[i], q->map_lens[i]);
            q->maps[i] = NULL;
        }
    }
}

static void *
ring_map(struct port_xsk_queue *q, int which, uint64_t pgoff, size_t len)
{
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, q->fd, pgoff);

    if (map == MAP_FAILED) {
        return NULL;
    }
    q->maps[which] = map;
    q->map_lens[which] = len;
    return map;
}

/* Maps the four rings of q->fd into q's ring structs. */
static int
queue_map_rings(struct port_xsk_queue *q, const struct ring_sizes *rs)
{
    struct xdp_mmap_offsets off;
    socklen_t optlen = sizeof off;
    uint8_t *m;

    if (getsockopt(q->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen)) {
        return -errno;
    }
    /* Kernels before 5.4 answer without the flags fields, which the
     * wake-up protocol needs. */
    if (optlen != sizeof off) {
        return -EOPNOTSUPP;
    }

    m = ring_map(q, RING_RX, XDP_PGOFF_RX_RING,
                 off.rx.desc + rs->rx * sizeof(struct xdp_desc));
    if (!m) {
        return -errno;
    }
    q->rx.mask = rs->rx - 1;
    q->rx.size = rs->rx;
    q->rx.producer = (void *) (m + off.rx.producer);
    q->rx.consumer = (void *) (m + off.rx.consumer);
    q->rx.flags = (void *) (m + off.rx.flags);
    q->rx.ring = m + off.rx.desc;
    q->rx.cached_prod = *q->rx.producer;
    q->rx.cached_cons = *q->rx.consumer;

    m = ring_map(q, RING_TX, XDP_PGOFF_TX_RING,
                 off.tx.desc + rs->tx * sizeof(struct xdp_desc));
    if (!m) {
        return -errno;
    }
    q->tx.mask = rs->tx - 1;
    q->tx.size = rs->tx;
    q->tx.producer = (void *) (m + off.tx.producer);
    q->tx.consumer = (void *) (m + off.tx.consumer);
    q->tx.flags = (void *) (m + off.tx.flags);
    q->tx.ring = m + off.tx.desc;
    q->tx.cached_prod = *q->tx.producer;
    /* A producer's cached_cons runs one ring size ahead (see
     * xsk_prod_nb_free). */
    q->tx.cached_cons = *q->tx.consumer + rs->tx;

    m = ring_map(q, RING_FILL, XDP_UMEM_PGOFF_FILL_RING,
                 off.fr.desc + rs->fill * sizeof(uint64_t));
    if (!m) {
        return -errno;
    }
    q->fq.mask = rs->fill - 1;
    q->fq.size = rs->fill;
    q->fq.producer = (void *) (m + off.fr.producer);
    q->fq.consumer = (void *) (m + off.fr.consumer);
    q->fq.flags = (void *) (m + off.fr.flags);
    q->fq.ring = m + off.fr.desc;
    q->fq.cached_prod = *q->fq.producer;
    q->fq.cached_cons = *q->fq.consumer + rs->fill;

    m = ring_map(q, RING_COMP, XDP_UMEM_PGOFF_COMPLETION_RING,
                 off.cr.desc + rs->comp * sizeof(uint64_t));
    if (!m) {
        return -errno;
    }
    q->cq.mask = rs->comp - 1;
    q->cq.size = rs->comp;
    q->cq.producer = (void *) (m + off.cr.producer);
    q->cq.consumer = (void *) (m + off.cr.consumer);
    q->cq.flags = (void *) (m + off.cr.flags);
    q->cq.ring = m + off.cr.desc;
    q->cq.cached_prod = *q->cq.producer;
    q->cq.cached_cons = *q->cq.consumer;
    return 0;
}

static bool
xsk_fd_zerocopy(int fd)
{
    struct xdp_options opts = { 0 };
    socklen_t optlen = sizeof opts;

    return !getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opts, &optlen)
           && (opts.flags & XDP_OPTIONS_ZEROCOPY);
}

/* One try at a bound socket for q: joining the umem through anchor_fd (a
 * socket bound to it already), or, with anchor_fd < 0, registering the
 * umem on the new socket and binding in zero-copy or copy mode.  On failure
 * *step says what failed and q holds no socket. */
static int
queue_try_socket(struct port_xsk *port, struct port_xsk_queue *q,
                 const struct ring_sizes *rs, int anchor_fd, bool zerocopy,
                 const char **step)
{
    struct sockaddr_xdp sxdp;
    int error;

    q->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (q->fd < 0) {
        *step = "creating an AF_XDP socket";
        return -errno;
    }
    if (anchor_fd < 0) {
        struct xdp_umem_reg reg;

        /* memset: the kernel reads fields this header may not know, in
         * what would be padding here, and wants them zero. */
        memset(&reg, 0, sizeof reg);
        reg.addr = (uintptr_t) port->umem->area;
        reg.len = port->umem->size;
        reg.chunk_size = port->umem->frame_size;
        reg.headroom = 0;
        if (setsockopt(q->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg)) {
            *step = "registering the umem";
            goto err_errno;
        }
    }
    if (setsockopt(q->fd, SOL_XDP, XDP_UMEM_FILL_RING, &rs->fill,
                   sizeof rs->fill)
        || setsockopt(q->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &rs->comp,
                      sizeof rs->comp)
        || setsockopt(q->fd, SOL_XDP, XDP_RX_RING, &rs->rx, sizeof rs->rx)
        || setsockopt(q->fd, SOL_XDP, XDP_TX_RING, &rs->tx, sizeof rs->tx)) {
        *step = "creating the rings";
        goto err_errno;
    }
    error = queue_map_rings(q, rs);
    if (error) {
        *step = "mapping the rings";
        goto err;
    }

    memset(&sxdp, 0, sizeof sxdp);
    sxdp.sxdp_family = AF_XDP;
    sxdp.sxdp_ifindex = port->ifindex;
    sxdp.sxdp_queue_id = q->queue_id;
    if (anchor_fd >= 0) {
        /* The kernel takes the mode and the wake-up flag from the anchor. */
        sxdp.sxdp_flags = XDP_SHARED_UMEM;
        sxdp.sxdp_shared_umem_fd = anchor_fd;
    } else {
        sxdp.sxdp_flags = (zerocopy ? XDP_ZEROCOPY : XDP_COPY)
                          | XDP_USE_NEED_WAKEUP;
    }
    if (bind(q->fd, (struct sockaddr *) &sxdp, sizeof sxdp)) {
        *step = anchor_fd >= 0 ? "binding to the shared umem" : "binding";
        goto err_errno;
    }
    q->zerocopy = xsk_fd_zerocopy(q->fd);

    if (!q->zerocopy) {
        /* Copy mode sends from within sendto(), 32 frames per call unless
         * told otherwise (Linux 6.17+): let one call drain the ring. */
        unsigned int budget = rs->tx;

        setsockopt(q->fd, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, &budget,
                   sizeof budget);
    }
    return 0;

err_errno:
    error = -errno;
err:
    queue_unmap(q);
    close(q->fd);
    q->fd = -1;
    return error;
}

/* Gets q a bound socket: zero-copy before copy mode (as allowed), and in
 * each mode, joining a bound socket of that mode before registering the
 * umem anew.  A shared bind inherits the anchor's mode, so the mode decides
 * which anchors may serve. */
static int
queue_open_socket(struct port_xsk *port, struct port_xsk_queue *q,
                  const struct ring_sizes *rs, enum port_xsk_bind_mode bind,
                  struct xsw_err *err)
{
    const char *step = "binding";
    bool last_zerocopy = false;
    int error = -EINVAL;

    for (int pass = 0; pass < 2; pass++) {
        bool zerocopy = pass == 0;

        if ((zerocopy && bind == PORT_XSK_BIND_COPY)
            || (!zerocopy && bind == PORT_XSK_BIND_ZEROCOPY)) {
            continue;
        }
        for (size_t i = 0; i < umem_xsk_count(port->umem); i++) {
            int anchor = umem_xsk_fd(port->umem, i);

            if (xsk_fd_zerocopy(anchor) != zerocopy) {
                continue;
            }
            /* An anchor whose device vanished is unbound (EBADF): the
             * next one may do. */
            error = queue_try_socket(port, q, rs, anchor, zerocopy, &step);
            if (!error) {
                return 0;
            }
            last_zerocopy = zerocopy;
        }
        error = queue_try_socket(port, q, rs, -1, zerocopy, &step);
        if (!error) {
            return 0;
        }
        last_zerocopy = zerocopy;
    }
    return xsw_err_set(err, -error, "%s: queue %u: %s in %s mode: %s",
                       port->name, q->queue_id, step,
                       last_zerocopy ? "zero-copy" : "copy", strerror(-error));
}

/* Gives back to the pool the frames in [*cons, *prod) of a ring that
 * carries addresses (fill, completion) or descriptors (rx, tx), and returns
 * how many. */
static uint32_t
ring_reclaim(struct umem *umem, const uint32_t *prodp, const uint32_t *consp,
             const void *ring, uint32_t mask, bool descs)
{
    uint32_t prod = __atomic_load_n(prodp, __ATOMIC_ACQUIRE);
    uint32_t cons = __atomic_load_n(consp, __ATOMIC_ACQUIRE);
    uint32_t n = prod - cons;
    uint64_t batch[256];
    uint32_t k = 0;

    if (n > mask + 1) {
        return 0;               /* not a ring state: trust none of it */
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t slot = (cons + i) & mask;

        batch[k++] = descs ? ((const struct xdp_desc *) ring)[slot].addr
                           : ((const uint64_t *) ring)[slot];
        if (k == sizeof batch / sizeof batch[0]) {
            umem_pool_put(umem, batch, k);
            k = 0;
        }
    }
    umem_pool_put(umem, batch, k);
    return n;
}

static void
queue_close(struct port_xsk *port, struct port_xsk_queue *q)
{
    uint64_t held;
    uint32_t back;

    pthread_spin_destroy(&q->tx_lock);
    if (q->fd < 0) {
        return;
    }
    umem_xsk_del(port->umem, q->fd);
    /* close() unbinds and waits for the driver to let go of the socket
     * (synchronize_net), after which the kernel writes nothing more to the
     * rings but completions of copy-mode frames still in flight: what the
     * rings hold then is ours again.  The mappings outlive the socket. */
    close(q->fd);
    q->fd = -1;

    back = ring_reclaim(port->umem, q->fq.producer, q->fq.consumer,
                        q->fq.ring, q->fq.mask, false);
    back += ring_reclaim(port->umem, q->rx.producer, q->rx.consumer,
                         q->rx.ring, q->rx.mask, true);
    back += ring_reclaim(port->umem, q->tx.producer, q->tx.consumer,
                         q->tx.ring, q->tx.mask, true);
    back += ring_reclaim(port->umem, q->cq.producer, q->cq.consumer,
                         q->cq.ring, q->cq.mask, false);
    queue_unmap(q);

    /* What the kernel was given and never returned, less what the rings
     * gave back: frames it had taken off a ring and still held. */
    held = q->stats.fill_frames - q->stats.rx_packets
           + q->stats.tx_packets - q->stats.tx_completed;
    if (held > back) {
        umem_add_lost(port->umem, (uint32_t) (held - back));
    }
}

/* The first frames of q's fill ring, from the shared pool; returns how
 * many it got. */
static uint32_t
queue_prefill(struct port_xsk *port, struct port_xsk_queue *q)
{
    uint32_t want = q->fill_frames, idx = 0;

    while (want) {
        uint64_t batch[256];
        uint32_t n = want < 256 ? want : 256;

        n = umem_pool_get(port->umem, batch, n);
        if (!n) {
            break;              /* the workers' refills will top it up */
        }
        xsk_ring_prod__reserve(&q->fq, n, &idx);
        for (uint32_t i = 0; i < n; i++) {
            *xsk_ring_prod__fill_addr(&q->fq, idx + i) = batch[i];
        }
        xsk_ring_prod__submit(&q->fq, n);
        q->stats.fill_frames += n;
        want -= n;
    }
    return q->fill_frames - want;
}

/* ------------------------------------------------------------ open/close */

static int
check_config(const struct port_xsk_config *cfg, struct ring_sizes *rs,
             uint32_t *fill_frames, struct xsw_err *err)
{
    const char *dev = cfg->devname;

    rs->rx = rs->tx = cfg->ring_size ? cfg->ring_size
                                     : PORT_XSK_DEFAULT_RING_SIZE;
    rs->fill = rs->comp = cfg->fill_size ? cfg->fill_size
                                         : PORT_XSK_DEFAULT_FILL_SIZE;
    if (!is_power_of_2(rs->rx) || rs->rx < 64) {
        return xsw_err_set(err, EINVAL, "%s: ring size %u: expected a power "
                           "of two, at least 64", dev, rs->rx);
    }
    if (!is_power_of_2(rs->fill) || rs->fill < 64) {
        return xsw_err_set(err, EINVAL, "%s: fill ring size %u: expected a "
                           "power of two, at least 64", dev, rs->fill);
    }
    *fill_frames = cfg->fill_frames ? cfg->fill_frames : rs->fill;
    if (*fill_frames < PORT_XSK_FILL_BATCH || *fill_frames > rs->fill) {
        return xsw_err_set(err, EINVAL, "%s: %u fill frames: expected %u to "
                           "%u (the fill ring size)", dev, *fill_frames,
                           PORT_XSK_FILL_BATCH, rs->fill);
    }
    return 0;
}

int
port_xsk_open(struct umem *umem, const struct port_xsk_config *cfg,
              struct port_xsk **out, struct xsw_err *err)
{
    struct ring_sizes rs;
    struct port_xsk *port;
    uint32_t fill_frames = 0, n_max;
    int error;

    *out = NULL;
    if (!cfg->devname || !cfg->devname[0]
        || strlen(cfg->devname) >= IF_NAMESIZE) {
        return xsw_err_set(err, EINVAL, "'%s': not a device name",
                           cfg->devname ? cfg->devname : "");
    }
    error = check_config(cfg, &rs, &fill_frames, err);
    if (error) {
        return error;
    }

    port = calloc(1, sizeof *port);
    if (!port) {
        return xsw_err_set(err, ENOMEM, "%s: out of memory", cfg->devname);
    }
    port->umem = umem;
    port->xsks_map_fd = -1;
    snprintf(port->name, sizeof port->name, "%s", cfg->devname);
    port->ifindex = (int) if_nametoindex(port->name);
    if (!port->ifindex) {
        error = xsw_err_set(err, ENODEV, "%s: no such device", port->name);
        goto err_free;
    }

    dev_queue_counts(port->name, &port->n_dev_queues, &n_max);
    port->n_queues = cfg->n_queues ? cfg->n_queues : port->n_dev_queues;
    if (port->n_queues > port->n_dev_queues) {
        error = xsw_err_set(err, EINVAL, "%s: %u queues asked for, the device "
                            "has %u rx queues", port->name, port->n_queues,
                            port->n_dev_queues);
        goto err_free;
    }
    /* The map must hold every queue index the device may get later. */
    port->n_map_entries = n_max > port->n_dev_queues ? n_max
                                                     : port->n_dev_queues;

    port->queues = aligned_alloc(64, port->n_queues * sizeof *port->queues);
    if (!port->queues) {
        error = xsw_err_set(err, ENOMEM, "%s: out of memory", port->name);
        goto err_free;
    }
    memset(port->queues, 0, port->n_queues * sizeof *port->queues);
    for (uint32_t i = 0; i < port->n_queues; i++) {
        struct port_xsk_queue *q = &port->queues[i];

        q->fd = -1;
        q->port = port;
        q->queue_id = i;
        q->fill_frames = fill_frames;
        pthread_spin_init(&q->tx_lock, PTHREAD_PROCESS_PRIVATE);
    }

    /* The program first: until a queue's socket is in the map, its frames
     * still go to the kernel. */
    error = prog_attach(port, cfg->xdp_mode,
                        cfg->bpf_path ? cfg->bpf_path
                                      : XSW_BPF_DIR "/" PORT_XSK_BPF_FILE,
                        err);
    if (error) {
        goto err_queues;
    }

    for (uint32_t i = 0; i < port->n_queues; i++) {
        struct port_xsk_queue *q = &port->queues[i];
        uint32_t key = q->queue_id, n;

        error = queue_open_socket(port, q, &rs, cfg->bind_mode, err);
        if (error) {
            goto err_sockets;
        }
        error = umem_xsk_add(umem, q->fd);
        if (error) {
            xsw_err_set(err, -error, "%s: out of memory", port->name);
            goto err_sockets;
        }
        /* Frames first, so that the socket can take what the program
         * sends it from the first frame on.  Short of a batch, the queue
         * could starve for good: frames come back to the pool only as
         * traffic flows, and the other queues' fill rings may hold them
         * all. */
        n = queue_prefill(port, q);
        if (n < PORT_XSK_FILL_BATCH) {
            error = xsw_err_set(err, ENOBUFS, "%s: queue %u: %u free frames "
                                "in the umem for a fill ring of %u: raise the "
                                "umem's frames or lower fill_frames",
                                port->name, q->queue_id, n, q->fill_frames);
            goto err_sockets;
        }
        if (bpf_map_update_elem(port->xsks_map_fd, &key, &q->fd, BPF_ANY)) {
            error = xsw_err_set(err, errno, "%s: queue %u: adding the socket "
                                "to %s: %s", port->name, q->queue_id,
                                PORT_XSK_MAP_NAME, strerror(errno));
            goto err_sockets;
        }
    }

    *out = port;
    return 0;

err_sockets:
    port_xsk_close(port);
    return error;

err_queues:
    for (uint32_t i = 0; i < port->n_queues; i++) {
        pthread_spin_destroy(&port->queues[i].tx_lock);
    }
    free(port->queues);
err_free:
    free(port);
    return error;
}

void
port_xsk_close(struct port_xsk *port)
{
    if (!port) {
        return;
    }
    /* Out of the map, then the program off the device, so that no frame
     * is on its way to a socket when it closes. */
    for (uint32_t i = 0; i < port->n_queues; i++) {
        uint32_t key = port->queues[i].queue_id;

        if (port->queues[i].fd >= 0 && port->xsks_map_fd >= 0) {
            bpf_map_delete_elem(port->xsks_map_fd, &key);
        }
    }
    prog_detach(port);
    for (uint32_t i = 0; i < port->n_queues; i++) {
        queue_close(port, &port->queues[i]);
    }
    free(port->queues);
    free(port);
}

/* --------------------------------------------------------------- queries */

const char *
port_xsk_name(const struct port_xsk *port)
{
    return port->name;
}

int
port_xsk_ifindex(const struct port_xsk *port)
{
    return port->ifindex;
}

uint32_t
port_xsk_n_queues(const struct port_xsk *port)
{
    return port->n_queues;
}

struct port_xsk_queue *
port_xsk_get_queue(struct port_xsk *port, uint32_t i)
{
    return i < port->n_queues ? &port->queues[i] : NULL;
}

struct bpf_object *
port_xsk_bpf_object(const struct port_xsk *port)
{
    return xdp_program__bpf_obj(port->prog);
}

int
port_xsk_xsks_map_fd(const struct port_xsk *port)
{
    return port->xsks_map_fd;
}

void
port_xsk_get_info(const struct port_xsk *port, struct port_xsk_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "%s", port->name);
    info->ifindex = port->ifindex;
    info->xdp_mode = port->xdp_mode;
    info->dispatcher = port->dispatcher;
    info->prog_id = xdp_program__id(port->prog);
    info->n_queues = port->n_queues;
    info->n_dev_queues = port->n_dev_queues;
    for (uint32_t i = 0; i < port->n_queues; i++) {
        info->n_zerocopy += port->queues[i].zerocopy;
    }
}

static uint64_t
load(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

int
port_xsk_queue_stats(const struct port_xsk_queue *q, struct port_xsk_stats *s)
{
    const struct port_xsk_stats *w = &q->stats;
    struct xdp_statistics ks;
    socklen_t optlen = sizeof ks;

    memset(s, 0, sizeof *s);
    s->rx_packets = load(&w->rx_packets);
    s->rx_bytes = load(&w->rx_bytes);
    s->tx_packets = load(&w->tx_packets);
    s->tx_bytes = load(&w->tx_bytes);
    s->tx_ring_full = load(&w->tx_ring_full);
    s->tx_completed = load(&w->tx_completed);
    s->tx_kicks = load(&w->tx_kicks);
    s->tx_kick_retries = load(&w->tx_kick_retries);
    s->tx_kick_errors = load(&w->tx_kick_errors);
    s->rx_wakeups = load(&w->rx_wakeups);
    s->fill_frames = load(&w->fill_frames);
    s->fill_short = load(&w->fill_short);

    memset(&ks, 0, sizeof ks);
    if (getsockopt(q->fd, SOL_XDP, XDP_STATISTICS, &ks, &optlen)) {
        return -errno;
    }
    s->rx_dropped = ks.rx_dropped;
    s->rx_invalid_descs = ks.rx_invalid_descs;
    s->tx_invalid_descs = ks.tx_invalid_descs;
    s->rx_ring_full = ks.rx_ring_full;
    s->rx_fill_ring_empty_descs = ks.rx_fill_ring_empty_descs;
    s->tx_ring_empty_descs = ks.tx_ring_empty_descs;
    return 0;
}

/* Summed as an array of counters. */
_Static_assert(sizeof(struct port_xsk_stats) % sizeof(uint64_t) == 0,
               "struct port_xsk_stats holds uint64_t counters only");

int
port_xsk_stats(const struct port_xsk *port, struct port_xsk_stats *sum)
{
    int error = 0;

    memset(sum, 0, sizeof *sum);
    for (uint32_t i = 0; i < port->n_queues; i++) {
        struct port_xsk_stats s;
        const uint64_t *from = (const uint64_t *) &s;
        uint64_t *to = (uint64_t *) sum;
        int e = port_xsk_queue_stats(&port->queues[i], &s);

        if (e && !error) {
            error = e;          /* the worker's counters are still good */
        }
        for (size_t k = 0; k < sizeof s / sizeof(uint64_t); k++) {
            to[k] += from[k];
        }
    }
    return error;
}

/* ------------------------------------------------------------- wake-ups */

void
port_xsk_kick__(struct port_xsk_queue *q)
{
    port_xsk_count__(&q->stats.tx_kicks, 1);
    if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0) {
        switch (errno) {
        case EAGAIN:
        case EBUSY:
        case ENOBUFS:
        case EINTR:
            /* Completion ring or device queue full: try again at the next
             * flush. */
            port_xsk_count__(&q->stats.tx_kick_retries, 1);
            break;
        default:
            /* Down (ENETDOWN) or gone (ENXIO): what is queued waits in the
             * ring for the next burst rather than costing a syscall every
             * loop. */
            port_xsk_count__(&q->stats.tx_kick_errors, 1);
            q->tx_pending = false;
            return;
        }
    }
    q->tx_pending = __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE)
                    != q->tx.cached_prod;
}

void
port_xsk_rx_wakeup__(struct port_xsk_queue *q)
{
    port_xsk_count__(&q->stats.rx_wakeups, 1);
    recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}
