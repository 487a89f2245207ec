/* umem: the frame memory of one datapath, and who holds which free frame.
 *
 * One anonymous mmap'd area cut into n_frames frames of frame_size bytes,
 * shared by every AF_XDP socket of the datapath (port_xsk.h).  A frame is
 * named by its address, its offset in the area, which is what the AF_XDP
 * rings carry: a frame received on one port leaves through another by
 * moving the address, never the bytes.  Addresses inside a frame (the kernel
 * hands out "frame + headroom") belong to that frame: umem_frame_base().
 *
 * A free frame sits in exactly one of:
 *   - the shared pool: a stack behind a mutex, touched once per batch;
 *   - a worker's cache (struct umem_cache): a private stack, no lock, that
 *     refills from and flushes to the pool UMEM_CACHE_BATCH frames at a time.
 * Every other frame is in use: in a kernel ring (fill, rx, tx, completion)
 * or in a worker's hands.  Frames cross between workers through the pool: a
 * frame received by worker 1 and sent on a queue that worker 2 reaps lands
 * in worker 2's cache.  A fixed partition per worker would starve one worker
 * and hoard in the other under one-way traffic; the pool rebalances by
 * itself for one uncontended lock per batch of frames.
 *
 * Threads: umem_create(), umem_destroy() and the socket registry
 * (umem_xsk_*): the control thread.  umem_pool_*(): any thread.  A
 * umem_cache: the one thread that owns it.  The creator destroys the umem
 * after every port using it is closed and every cache is uninitialised. */
#ifndef XSW_UMEM_H
#define XSW_UMEM_H 1

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xsw_err;

#define UMEM_DEFAULT_FRAME_SIZE 4096
#define UMEM_DEFAULT_N_FRAMES 16384

/* Frames a cache moves to or from the pool at once, and its default size. */
#define UMEM_CACHE_BATCH 256
#define UMEM_CACHE_DEFAULT_SIZE (4 * UMEM_CACHE_BATCH)

struct umem_config {
    uint32_t frame_size;        /* power of two, 2048..4096; 0: default */
    uint32_t n_frames;          /* 0: default */
};

/* Read-only outside umem.c, except through the functions below; public so
 * that the per-packet helpers can be inline. */
struct umem {
    uint8_t *area;
    uint64_t size;              /* bytes: n_frames * frame_size */
    uint32_t frame_size;
    uint32_t n_frames;
    uint64_t frame_mask;        /* ~(frame_size - 1) */

    pthread_mutex_t pool_lock;
    uint64_t *pool;             /* free frame addresses, n_pool of them */
    uint32_t n_pool;
    uint64_t lost;              /* frames the kernel kept when a port closed */

    /* AF_XDP sockets bound to this memory (control thread). */
    int *xsk_fds;
    size_t n_xsk_fds;
    size_t xsk_fds_cap;
};

/* Maps the area and puts every frame in the pool.  Returns 0 and *out, or a
 * negative errno with err saying why. */
int umem_create(const struct umem_config *, struct umem **out,
                struct xsw_err *err);

/* Unmaps the area.  Sockets registered with umem_xsk_add() must be closed
 * first: returns -EBUSY (and frees nothing) otherwise. */
int umem_destroy(struct umem *);

/* The bytes of the frame that addr falls into, at addr. */
static inline void *
umem_data(const struct umem *umem, uint64_t addr)
{
    return umem->area + addr;
}

/* The address of the frame that addr (a frame address plus an offset, as
 * rings carry it) falls into. */
static inline uint64_t
umem_frame_base(const struct umem *umem, uint64_t addr)
{
    return addr & umem->frame_mask;
}

/* Shared pool (any thread; one lock round per call).
 * umem_pool_get() takes up to n frames and returns how many it took. */
uint32_t umem_pool_get(struct umem *, uint64_t *addrs, uint32_t n);
void umem_pool_put(struct umem *, const uint64_t *addrs, uint32_t n);

/* Records frames that will not come back (a closed socket's kernel rings
 * held them).  Any thread. */
void umem_add_lost(struct umem *, uint32_t n);

struct umem_stats {
    uint32_t n_frames;
    uint32_t in_pool;           /* free in the shared pool (not in caches) */
    uint64_t lost;
};
void umem_get_stats(struct umem *, struct umem_stats *);

/* ---------------------------------------------------------------- cache */

/* A worker's private stack of free frames.  Only its owner touches it. */
struct umem_cache {
    struct umem *umem;
    uint64_t *frames;
    uint32_t n;                 /* frames held */
    uint32_t size;              /* capacity */
    uint64_t refills;           /* pool round trips, for tuning */
    uint64_t flushes;
    uint64_t empty;             /* a refill found the pool empty */
};

/* size 0: UMEM_CACHE_DEFAULT_SIZE; at least 2 * UMEM_CACHE_BATCH.
 * Allocates, so call it before the worker starts polling. */
int umem_cache_init(struct umem_cache *, struct umem *, uint32_t size);
/* Gives every frame held back to the pool and frees the stack. */
void umem_cache_uninit(struct umem_cache *);

/* Out of line: they take the pool lock.  Use the inline calls below. */
uint32_t umem_cache_refill__(struct umem_cache *, uint32_t want);
void umem_cache_flush__(struct umem_cache *);

/* Makes sure up to want frames are in the cache (refilling from the pool
 * when short) and returns how many umem_cache_pop() may take now, at most
 * want. */
static inline uint32_t
umem_cache_avail(struct umem_cache *c, uint32_t want)
{
    if (c->n < want) {
        umem_cache_refill__(c, want);
    }
    return c->n < want ? c->n : want;
}

/* Takes one frame; only after umem_cache_avail() said there was one. */
static inline uint64_t
umem_cache_pop(struct umem_cache *c)
{
    return c->frames[--c->n];
}

/* Takes one frame, refilling if needed; false when none is free anywhere. */
static inline bool
umem_cache_get(struct umem_cache *c, uint64_t *addr)
{
    if (!umem_cache_avail(c, 1)) {
        return false;
    }
    *addr = umem_cache_pop(c);
    return true;
}

/* Gives back the frame that addr falls into (any offset in it). */
static inline void
umem_cache_put(struct umem_cache *c, uint64_t addr)
{
    if (c->n == c->size) {
        umem_cache_flush__(c);
    }
    c->frames[c->n++] = umem_frame_base(c->umem, addr);
}

/* ------------------------------------------------- AF_XDP socket registry */

/* port_xsk records here every socket bound to this memory, because a socket
 * that joins the umem (bind with XDP_SHARED_UMEM) must name one that is
 * bound to it already, and any of them will do: the first one may be gone,
 * or be unbound because its device vanished.  Control thread only. */
int umem_xsk_add(struct umem *, int fd);
void umem_xsk_del(struct umem *, int fd);
static inline size_t
umem_xsk_count(const struct umem *umem)
{
    return umem->n_xsk_fds;
}
static inline int
umem_xsk_fd(const struct umem *umem, size_t i)
{
    return umem->xsk_fds[i];
}

#endif /* XSW_UMEM_H */
