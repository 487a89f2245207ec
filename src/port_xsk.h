/* port_xsk: a network device as an xsw port, through AF_XDP.
 *
 * Opening a port attaches bpf/xsw_redirect.bpf.o to the device with libxdp
 * (native mode, else skb mode, or the mode asked for) and binds one AF_XDP
 * socket per rx queue, each with its own fill and completion rings, all on
 * the datapath's one umem (umem.h).  The program sends the frames of queue Q
 * to the socket of queue Q, or lets the kernel have them when Q has none.
 * Frames move by address: a descriptor taken from port A's rx ring can be
 * put as it is on port B's tx ring.
 *
 * Sockets try zero-copy first, then copy mode (or what was asked for).  The
 * kernel makes a socket that shares a umem inherit the zero-copy mode of the
 * socket it names, so a socket joins a bound socket of the mode it wants,
 * else registers the same memory again for itself: addresses stay valid on
 * every socket either way, and ports of both kinds mix in one datapath.
 *
 * Threads:
 *  - port_xsk_open(), port_xsk_close(), the info, stats and link calls: the
 *    control thread.
 *  - The ring operations on a struct port_xsk_queue (rx burst, tx, flush,
 *    completion, refill): the one worker that polls the queue; no lock, no
 *    syscall but the kicks the kernel asks for, nothing allocated.  If two
 *    workers transmit on one queue, they take port_xsk_tx_lock() around tx,
 *    flush and completion (the completion ring has one consumer too).
 *  - port_xsk_close() requires that no worker uses the port's queues any
 *    more (detach them from the workers first).
 * The caller of port_xsk_open() frees the port with port_xsk_close(), which
 * gives the frames of its rings back to the umem's pool. */
#ifndef XSW_PORT_XSK_H
#define XSW_PORT_XSK_H 1

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <xdp/xsk.h>

#include "umem.h"

struct bpf_object;
struct xsw_err;

enum port_xsk_xdp_mode {
    PORT_XSK_XDP_AUTO,          /* native, else skb (generic) */
    PORT_XSK_XDP_NATIVE,
    PORT_XSK_XDP_SKB,
};

enum port_xsk_bind_mode {
    PORT_XSK_BIND_AUTO,         /* zero-copy, else copy */
    PORT_XSK_BIND_ZEROCOPY,
    PORT_XSK_BIND_COPY,
};

/* A device name and its NUL (IFNAMSIZ). */
#define PORT_XSK_NAME_SIZE 16

#define PORT_XSK_DEFAULT_RING_SIZE 2048
#define PORT_XSK_DEFAULT_FILL_SIZE 2048

/* Refill a fill ring only when this many frames or more are missing, so
 * that a busy queue refills in bursts, not frame by frame. */
#define PORT_XSK_FILL_BATCH 64

struct port_xsk_config {
    const char *devname;
    enum port_xsk_xdp_mode xdp_mode;
    enum port_xsk_bind_mode bind_mode;
    uint32_t n_queues;          /* queues 0..n-1; 0: all rx queues */
    uint32_t ring_size;         /* rx and tx ring entries; 0: default */
    uint32_t fill_size;         /* fill and completion ring entries; 0: default */
    uint32_t fill_frames;       /* frames kept in each fill ring; 0: fill_size */
    const char *bpf_path;       /* NULL: XSW_BPF_DIR/xsw_redirect.bpf.o */
};

/* Counters of one socket.  The first group is kept by the worker, the
 * second read from the kernel (XDP_STATISTICS) when asked for. */
struct port_xsk_stats {
    uint64_t rx_packets;
    uint64_t rx_bytes;
    uint64_t tx_packets;        /* put on the tx ring */
    uint64_t tx_bytes;
    uint64_t tx_ring_full;      /* handed back to the caller: no room */
    uint64_t tx_completed;      /* came back on the completion ring */
    uint64_t tx_kicks;          /* sendto() wake-ups */
    uint64_t tx_kick_retries;   /* ... that the kernel asked to repeat */
    uint64_t tx_kick_errors;    /* ... that failed (device down or gone) */
    uint64_t rx_wakeups;        /* recvfrom() wake-ups (zero-copy only) */
    uint64_t fill_frames;       /* put on the fill ring */
    uint64_t fill_short;        /* a refill found no free frame */

    uint64_t rx_dropped;        /* kernel: no fill frame / frame too big */
    uint64_t rx_invalid_descs;
    uint64_t tx_invalid_descs;
    uint64_t rx_ring_full;      /* kernel: rx ring full, frame dropped */
    uint64_t rx_fill_ring_empty_descs;
    uint64_t tx_ring_empty_descs;
};

/* One AF_XDP socket: a device queue's rx/tx/fill/completion rings.  The
 * fields are port_xsk's; they are here so that the ring operations below
 * can be inline. */
struct port_xsk_queue {
    /* The worker's. */
    struct xsk_ring_cons rx;
    struct xsk_ring_prod tx;
    struct xsk_ring_prod fq;
    struct xsk_ring_cons cq;
    int fd;
    uint32_t fill_frames;       /* target for the fill ring */
    bool tx_pending;            /* descriptors the kernel has not taken yet */
    struct port_xsk_stats stats;
    pthread_spinlock_t tx_lock;

    /* Set at open, read-only after. */
    struct port_xsk *port;
    uint32_t queue_id;
    bool zerocopy;
    void *maps[4];              /* rx, tx, fill, completion ring mappings */
    size_t map_lens[4];
} __attribute__((aligned(64)));

/* What is in force on an open port. */
struct port_xsk_info {
    char name[PORT_XSK_NAME_SIZE];
    int ifindex;
    enum port_xsk_xdp_mode xdp_mode;    /* NATIVE or SKB */
    bool dispatcher;            /* behind libxdp's dispatcher, else alone */
    uint32_t prog_id;           /* of our program */
    uint32_t n_queues;          /* sockets */
    uint32_t n_dev_queues;      /* rx queues of the device at open */
    uint32_t n_zerocopy;        /* sockets in zero-copy mode; others: copy */
};

/* Opens cfg->devname on umem.  Returns 0 and *out, or a negative errno with
 * err naming the device and the step that failed ("veth0: attaching XDP
 * program in native mode: Operation not supported"); the device is then
 * left as it was.  Each fill ring gets its first frames (up to fill_frames)
 * from the umem's pool here, so the port receives before any worker polls
 * it; -ENOBUFS if the pool cannot give a queue PORT_XSK_FILL_BATCH.  Size
 * the umem for the sum of fill_frames over every queue, plus the frames in
 * flight on tx rings and in the workers' caches. */
int port_xsk_open(struct umem *, const struct port_xsk_config *,
                  struct port_xsk **out, struct xsw_err *err);

/* Removes the sockets, detaches the program (ours only) and frees the port.
 * Frames in the rings return to the umem's pool; those the kernel still held
 * (copy-mode frames in flight) are counted as lost.  Works on a device that
 * has vanished. */
void port_xsk_close(struct port_xsk *);

void port_xsk_get_info(const struct port_xsk *, struct port_xsk_info *);
const char *port_xsk_name(const struct port_xsk *);
int port_xsk_ifindex(const struct port_xsk *);
uint32_t port_xsk_n_queues(const struct port_xsk *);
struct port_xsk_queue *port_xsk_get_queue(struct port_xsk *, uint32_t i);
const char *port_xsk_xdp_mode_name(enum port_xsk_xdp_mode);

/* The program's object (its maps: the XDP tier's hook) and the fd of its
 * XSKMAP.  Owned by the port. */
struct bpf_object *port_xsk_bpf_object(const struct port_xsk *);
int port_xsk_xsks_map_fd(const struct port_xsk *);

/* Counters of one queue, or summed over the port.  Reads the worker's
 * counters without stopping it, and the kernel's with getsockopt(). */
int port_xsk_queue_stats(const struct port_xsk_queue *,
                         struct port_xsk_stats *);
int port_xsk_stats(const struct port_xsk *, struct port_xsk_stats *);

/* Whether the device is still there: 0 with *up (administratively up and
 * carrier on), or -ENODEV once its ifindex is gone (deleted, or moved to
 * another namespace), when the control thread should close the port.  Call
 * it on RTM_DELLINK, on a timer, or when a queue's tx_kick_errors grows
 * (kicks on a vanished device fail with ENXIO). */
int port_xsk_link_state(const struct port_xsk *, bool *up);

/* ---------------------------------------------------------- ring operations
 *
 * A worker's loop, per queue it polls:
 *     port_xsk_refill(q, cache);                 fill ring back to target
 *     n = port_xsk_rx_burst(q, descs, 64);       frames now the worker's
 *     ...  port_xsk_tx_burst(out_q, ...)         for each output queue
 * and once per loop for each queue it transmits on:
 *     port_xsk_tx_flush(out_q);                  one kick if the kernel wants it
 *     port_xsk_complete(out_q, cache);           sent frames back to the cache
 * When idle, sleep in poll() on port_xsk_queue_fd() with POLLIN. */

/* Out of line: they make a syscall. */
void port_xsk_kick__(struct port_xsk_queue *);
void port_xsk_rx_wakeup__(struct port_xsk_queue *);

/* The worker is the only writer; readers on other threads see whole values. */
static inline void
port_xsk_count__(uint64_t *counter, uint64_t n)
{
    __atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

/* For poll(): POLLIN when the rx ring has frames. */
static inline int
port_xsk_queue_fd(const struct port_xsk_queue *q)
{
    return q->fd;
}

/* The device queue, and whether its socket is in zero-copy mode (else copy
 * mode: the kernel copies frames between the umem and its own buffers). */
static inline uint32_t
port_xsk_queue_id(const struct port_xsk_queue *q)
{
    return q->queue_id;
}

static inline bool
port_xsk_queue_zerocopy(const struct port_xsk_queue *q)
{
    return q->zerocopy;
}

/* Takes up to max received descriptors into descs[] and returns how many.
 * The frames are the caller's from then on: send them (tx_burst) or give
 * them back (umem_cache_put).  descs[i].addr is the umem address of the
 * frame's first byte; the kernel leaves its headroom (256 bytes) before it
 * in the umem frame, room to push headers. */
static inline uint32_t
port_xsk_rx_burst(struct port_xsk_queue *q, struct xdp_desc *descs,
                  uint32_t max)
{
    uint64_t bytes = 0;
    uint32_t idx, n;

    n = xsk_ring_cons__peek(&q->rx, max, &idx);
    if (!n) {
        /* Only zero-copy drivers set it: they stopped for want of fill
         * frames and wait for a wake-up. */
        if (xsk_ring_prod__needs_wakeup(&q->fq)) {
            port_xsk_rx_wakeup__(q);
        }
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        descs[i] = *xsk_ring_cons__rx_desc(&q->rx, idx + i);
        bytes += descs[i].len;
    }
    xsk_ring_cons__release(&q->rx, n);
    port_xsk_count__(&q->stats.rx_packets, n);
    port_xsk_count__(&q->stats.rx_bytes, bytes);
    return n;
}

/* Puts up to n descriptors (addr and len; options 0) on the tx ring and
 * returns how many went; the frames of the others stay the caller's (the
 * ring is full: free them or retry).  Each descriptor must lie within one
 * umem frame: the kernel skips any other (tx_invalid_descs) and never gives
 * its frame back.  Sending happens at port_xsk_tx_flush(), once per batch. */
static inline uint32_t
port_xsk_tx_burst(struct port_xsk_queue *q, const struct xdp_desc *descs,
                  uint32_t n)
{
    uint64_t bytes = 0;
    uint32_t idx = 0, room;

    room = xsk_prod_nb_free(&q->tx, n);
    if (room > n) {
        room = n;
    }
    if (room) {
        xsk_ring_prod__reserve(&q->tx, room, &idx);
        for (uint32_t i = 0; i < room; i++) {
            *xsk_ring_prod__tx_desc(&q->tx, idx + i) = descs[i];
            bytes += descs[i].len;
        }
        xsk_ring_prod__submit(&q->tx, room);
        q->tx_pending = true;
        port_xsk_count__(&q->stats.tx_packets, room);
        port_xsk_count__(&q->stats.tx_bytes, bytes);
    }
    if (room < n) {
        port_xsk_count__(&q->stats.tx_ring_full, n - room);
    }
    return room;
}

/* Wakes the kernel up, one sendto() for everything queued since the last
 * flush, if it asked for it (copy mode always does: it sends from within
 * sendto() only).  Descriptors the kernel left (its per-call budget, a full
 * device queue) keep the queue pending for the next flush. */
static inline void
port_xsk_tx_flush(struct port_xsk_queue *q)
{
    if (!q->tx_pending) {
        return;
    }
    if (xsk_ring_prod__needs_wakeup(&q->tx)) {
        port_xsk_kick__(q);
    } else {
        q->tx_pending = __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE)
                        != q->tx.cached_prod;
    }
}

/* Takes the frames the kernel has finished sending into cache, and returns
 * how many. */
static inline uint32_t
port_xsk_complete(struct port_xsk_queue *q, struct umem_cache *cache)
{
    uint32_t idx, n;

    n = xsk_ring_cons__peek(&q->cq, q->cq.size, &idx);
    if (!n) {
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        umem_cache_put(cache, *xsk_ring_cons__comp_addr(&q->cq, idx + i));
    }
    xsk_ring_cons__release(&q->cq, n);
    port_xsk_count__(&q->stats.tx_completed, n);
    return n;
}

/* Tops the fill ring up to its target from cache, once at least
 * PORT_XSK_FILL_BATCH frames are missing, and returns how many it gave. */
static inline uint32_t
port_xsk_refill(struct port_xsk_queue *q, struct umem_cache *cache)
{
    uint32_t size = q->fq.size;
    uint32_t threshold = size - q->fill_frames + PORT_XSK_FILL_BATCH;
    uint32_t free_slots, want, n, idx = 0;

    /* Reads the kernel's consumer index only when the cached one does not
     * show enough room already. */
    free_slots = xsk_prod_nb_free(&q->fq, threshold);
    if (free_slots < threshold) {
        return 0;
    }
    want = q->fill_frames - (size - free_slots);
    n = umem_cache_avail(cache, want);
    if (!n) {
        port_xsk_count__(&q->stats.fill_short, 1);
        return 0;
    }
    xsk_ring_prod__reserve(&q->fq, n, &idx);
    for (uint32_t i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(&q->fq, idx + i) = umem_cache_pop(cache);
    }
    xsk_ring_prod__submit(&q->fq, n);
    port_xsk_count__(&q->stats.fill_frames, n);
    return n;
}

/* For a queue that two workers transmit on. */
static inline void
port_xsk_tx_lock(struct port_xsk_queue *q)
{
    pthread_spin_lock(&q->tx_lock);
}

static inline void
port_xsk_tx_unlock(struct port_xsk_queue *q)
{
    pthread_spin_unlock(&q->tx_lock);
}

#endif /* XSW_PORT_XSK_H */
