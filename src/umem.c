/* umem: see umem.h. */
#include "umem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xsw_err.h"

int
umem_create(const struct umem_config *cfg, struct umem **out,
            struct xsw_err *err)
{
    uint32_t frame_size = cfg && cfg->frame_size ? cfg->frame_size
                                                 : UMEM_DEFAULT_FRAME_SIZE;
    uint32_t n_frames = cfg && cfg->n_frames ? cfg->n_frames
                                             : UMEM_DEFAULT_N_FRAMES;
    struct umem *umem;
    int error;

    *out = NULL;
    /* The kernel's aligned mode masks ring addresses with the frame size,
     * which only works for a power of two; a frame smaller than 2048 cannot
     * hold a 1500-byte frame after the kernel's 256 bytes of headroom. */
    if (frame_size < 2048 || frame_size > 4096
        || (frame_size & (frame_size - 1))) {
        return xsw_err_set(err, EINVAL, "umem: frame size %u: expected 2048 "
                           "or 4096", frame_size);
    }
    if (n_frames < 2 * UMEM_CACHE_BATCH || n_frames > (1u << 24)) {
        return xsw_err_set(err, EINVAL, "umem: %u frames: expected %u to %u",
                           n_frames, 2 * UMEM_CACHE_BATCH, 1u << 24);
    }

    umem = calloc(1, sizeof *umem);
    if (!umem) {
        return xsw_err_set(err, ENOMEM, "umem: out of memory");
    }
    umem->frame_size = frame_size;
    umem->n_frames = n_frames;
    umem->size = (uint64_t) frame_size * n_frames;
    umem->frame_mask = ~(uint64_t) (frame_size - 1);

    umem->pool = malloc(n_frames * sizeof *umem->pool);
    if (!umem->pool) {
        error = xsw_err_set(err, ENOMEM, "umem: out of memory");
        goto err_free;
    }
    /* Populated now rather than at the first packet: the kernel pins the
     * pages when the first socket registers the area anyway. */
    umem->area = mmap(NULL, umem->size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (umem->area == MAP_FAILED) {
        error = xsw_err_set(err, errno, "umem: mapping %llu bytes: %s",
                            (unsigned long long) umem->size, strerror(errno));
        goto err_free_pool;
    }
    /* Stacked so that the first frames handed out are the lowest ones. */
    for (uint32_t i = 0; i < n_frames; i++) {
        umem->pool[i] = (uint64_t) (n_frames - 1 - i) * frame_size;
    }
    umem->n_pool = n_frames;
    pthread_mutex_init(&umem->pool_lock, NULL);

    *out = umem;
    return 0;

err_free_pool:
    free(umem->pool);
err_free:
    free(umem);
    return error;
}

int
umem_destroy(struct umem *umem)
{
    if (!umem) {
        return 0;
    }
    if (umem->n_xsk_fds) {
        return -EBUSY;
    }
    munmap(umem->area, umem->size);
    pthread_mutex_destroy(&umem->pool_lock);
    free(umem->pool);
    free(umem->xsk_fds);
    free(umem);
    return 0;
}

uint32_t
umem_pool_get(struct umem *umem, uint64_t *addrs, uint32_t n)
{
    pthread_mutex_lock(&umem->pool_lock);
    if (n > umem->n_pool) {
        n = umem->n_pool;
    }
    umem->n_pool -= n;
    memcpy(addrs, &umem->pool[umem->n_pool], n * sizeof *addrs);
    pthread_mutex_unlock(&umem->pool_lock);
    return n;
}

void
umem_pool_put(struct umem *umem, const uint64_t *addrs, uint32_t n)
{
    pthread_mutex_lock(&umem->pool_lock);
    /* More frames than exist means a frame was freed twice: stacking it
     * again would hand one frame to two owners, and overflow the pool. */
    if (umem->n_pool + n > umem->n_frames) {
        abort();
    }
    for (uint32_t i = 0; i < n; i++) {
        umem->pool[umem->n_pool + i] = umem_frame_base(umem, addrs[i]);
    }
    umem->n_pool += n;
    pthread_mutex_unlock(&umem->pool_lock);
}

void
umem_add_lost(struct umem *umem, uint32_t n)
{
    __atomic_fetch_add(&umem->lost, n, __ATOMIC_RELAXED);
}

void
umem_get_stats(struct umem *umem, struct umem_stats *s)
{
    s->n_frames = umem->n_frames;
    pthread_mutex_lock(&umem->pool_lock);
    s->in_pool = umem->n_pool;
    pthread_mutex_unlock(&umem->pool_lock);
    s->lost = __atomic_load_n(&umem->lost, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- cache */

int
umem_cache_init(struct umem_cache *c, struct umem *umem, uint32_t size)
{
    memset(c, 0, sizeof *c);
    if (!size) {
        size = UMEM_CACHE_DEFAULT_SIZE;
    }
    if (size < 2 * UMEM_CACHE_BATCH) {
        return -EINVAL;
    }
    c->frames = malloc(size * sizeof *c->frames);
    if (!c->frames) {
        return -ENOMEM;
    }
    c->umem = umem;
    c->size = size;
    return 0;
}

void
umem_cache_uninit(struct umem_cache *c)
{
    if (c->frames) {
        umem_pool_put(c->umem, c->frames, c->n);
        free(c->frames);
    }
    memset(c, 0, sizeof *c);
}

uint32_t
umem_cache_refill__(struct umem_cache *c, uint32_t want)
{
    uint32_t room = c->size - c->n;
    uint32_t take = want > c->n ? want - c->n : 0;

    /* Whole batches, so that the next few calls find frames without the
     * lock. */
    if (take < UMEM_CACHE_BATCH) {
        take = UMEM_CACHE_BATCH;
    }
    if (take > room) {
        take = room;
    }
    take = umem_pool_get(c->umem, &c->frames[c->n], take);
    c->n += take;
    c->refills++;
    if (!take) {
        c->empty++;
    }
    return take;
}

void
umem_cache_flush__(struct umem_cache *c)
{
    /* Down to half full: room for a burst of frees, frames left for a
     * burst of allocations. */
    uint32_t give;

    if (c->n <= c->size / 2) {
        return;
    }
    give = c->n - c->size / 2;
    c->n -= give;
    umem_pool_put(c->umem, &c->frames[c->n], give);
    c->flushes++;
}

/* ------------------------------------------------- AF_XDP socket registry */

int
umem_xsk_add(struct umem *umem, int fd)
{
    if (umem->n_xsk_fds == umem->xsk_fds_cap) {
        size_t cap = umem->xsk_fds_cap ? 2 * umem->xsk_fds_cap : 8;
        int *fds = realloc(umem->xsk_fds, cap * sizeof *fds);

        if (!fds) {
            return -ENOMEM;
        }
        umem->xsk_fds = fds;
        umem->xsk_fds_cap = cap;
    }
    umem->xsk_fds[umem->n_xsk_fds++] = fd;
    return 0;
}

void
umem_xsk_del(struct umem *umem, int fd)
{
    for (size_t i = 0; i < umem->n_xsk_fds; i++) {
        if (umem->xsk_fds[i] == fd) {
            umem->xsk_fds[i] = umem->xsk_fds[--umem->n_xsk_fds];
            return;
        }
    }
}
