/* xskfwd: the bare AF_XDP forwarder, the ceiling the bench holds xswd to.
 *
 *   xskfwd [-b BATCH] IF_A IF_B
 *
 * Everything that arrives on IF_A leaves on IF_B and the other way round,
 * with nothing looked at: what any AF_XDP switch on these ports would cost
 * if switching itself were free.  It works as xswd does: one umem shared by
 * both sockets (XDP_SHARED_UMEM), and forwarding is a move of the rx
 * descriptor onto the other port's tx ring, no copy in user space.
 *
 * Frames go round in one loop per direction: A's fill ring, A's rx ring,
 * B's tx ring, B's completion ring, back to A's fill ring.  One thread
 * busy-polls both ports; pin it with taskset.  Sockets are bound in copy
 * mode (veth has no zero-copy), so a frame leaves only inside sendto().
 * Prints its counters on SIGINT or SIGTERM. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xdp/xsk.h>

#ifndef SOL_XDP
#define SOL_XDP 283
#endif
/* Linux 6.17: how many descriptors one sendto() may turn into skbs in copy
 * mode (32 before, and by default). */
#ifndef XDP_MAX_TX_SKB_BUDGET
#define XDP_MAX_TX_SKB_BUDGET 9
#endif

#define FRAME_SIZE 2048u
#define N_FRAMES 8192u
#define RING_SIZE 2048u         /* rx and tx rings */
#define FQ_SIZE 4096u           /* fill and completion rings */

struct xf_port {
    const char *name;
    struct xsk_socket *xsk;
    struct xsk_ring_cons rx, cq;
    struct xsk_ring_prod tx, fq;
    int fd;
    int tx_pending;             /* descriptors on tx that no sendto() took */
    unsigned long long forwarded, dropped, kicks;
};

static volatile sig_atomic_t stop;
static unsigned int batch = 64;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static void
die(const char *what, const char *name, int error)
{
    fprintf(stderr, "xskfwd: %s%s%s: %s\n", what, name ? " " : "", name ? name : "",
            strerror(error));
    exit(1);
}

static void
fill_frames(struct xsk_ring_prod *fq, unsigned int first, unsigned int n)
{
    unsigned int idx;

    if (xsk_ring_prod__reserve(fq, n, &idx) != n) {
        die("fill ring", NULL, ENOSPC);
    }
    for (unsigned int i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(fq, idx + i) = (__u64) (first + i) * FRAME_SIZE;
    }
    xsk_ring_prod__submit(fq, n);
}

/* Puts n frame addresses on a fill ring.  The ring has room for every frame
 * of the umem, so the wait is only for the kernel to catch up. */
static void
give_back(struct xsk_ring_prod *fq, const __u64 *addrs, unsigned int n)
{
    unsigned int idx;

    while (xsk_ring_prod__reserve(fq, n, &idx) != n) {
    }
    for (unsigned int i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(fq, idx + i) = addrs[i];
    }
    xsk_ring_prod__submit(fq, n);
}

static void
kick(struct xf_port *p)
{
    if (!p->tx_pending) {
        return;
    }
    p->kicks++;
    if (sendto(p->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0
        && errno != EAGAIN && errno != EBUSY && errno != ENOBUFS && errno != ENETDOWN) {
        die("sendto", p->name, errno);
    }
    /* A budget-limited sendto() leaves the rest for the next round. */
    p->tx_pending = xsk_prod_nb_free(&p->tx, RING_SIZE) < RING_SIZE;
}

/* One round of in -> out.  Returns the frames received. */
static unsigned int
forward(struct xf_port *in, struct xf_port *out)
{
    __u64 addrs[RING_SIZE];
    unsigned int ridx, tidx, cidx, n, m;

    /* Frames out has sent belong to in's loop: refill in's fill ring. */
    n = xsk_ring_cons__peek(&out->cq, RING_SIZE, &cidx);
    if (n) {
        for (unsigned int i = 0; i < n; i++) {
            addrs[i] = *xsk_ring_cons__comp_addr(&out->cq, cidx + i);
        }
        xsk_ring_cons__release(&out->cq, n);
        give_back(&in->fq, addrs, n);
    }

    n = xsk_ring_cons__peek(&in->rx, batch, &ridx);
    if (n) {
        /* reserve() is all or nothing: ask for what fits. */
        m = xsk_prod_nb_free(&out->tx, n);
        if (m > n) {
            m = n;
        }
        if (m && xsk_ring_prod__reserve(&out->tx, m, &tidx) != m) {
            m = 0;
        }
        for (unsigned int i = 0; i < m; i++) {
            *xsk_ring_prod__tx_desc(&out->tx, tidx + i)
                = *xsk_ring_cons__rx_desc(&in->rx, ridx + i);
        }
        /* No room on out's tx ring: drop, i.e. give the frames back. */
        for (unsigned int i = m; i < n; i++) {
            addrs[i - m] = xsk_ring_cons__rx_desc(&in->rx, ridx + i)->addr;
        }
        xsk_ring_cons__release(&in->rx, n);
        if (m < n) {
            give_back(&in->fq, addrs, n - m);
            in->dropped += n - m;
        }
        if (m) {
            xsk_ring_prod__submit(&out->tx, m);
            out->tx_pending = 1;
            in->forwarded += m;
        }
    }
    kick(out);
    return n;
}

static void
open_port(struct xf_port *p, struct xsk_umem **umem, void *area)
{
    const struct xsk_umem_config ucfg = {
        .fill_size = FQ_SIZE,
        .comp_size = FQ_SIZE,
        .frame_size = FRAME_SIZE,
        .frame_headroom = 0,
    };
    const struct xsk_socket_config scfg = {
        .rx_size = RING_SIZE,
        .tx_size = RING_SIZE,
        .xdp_flags = XDP_FLAGS_DRV_MODE,
        .bind_flags = XDP_COPY,
    };
    unsigned int budget = RING_SIZE;
    int err;

    if (!*umem) {
        err = xsk_umem__create(umem, area, (__u64) N_FRAMES * FRAME_SIZE,
                               &p->fq, &p->cq, &ucfg);
        if (err) {
            die("umem", p->name, -err);
        }
        err = xsk_socket__create(&p->xsk, p->name, 0, *umem, &p->rx, &p->tx, &scfg);
    } else {
        err = xsk_socket__create_shared(&p->xsk, p->name, 0, *umem, &p->rx, &p->tx,
                                        &p->fq, &p->cq, &scfg);
    }
    if (err) {
        die("socket", p->name, -err);
    }
    p->fd = xsk_socket__fd(p->xsk);
    /* Older kernels lack it and send 32 frames per sendto(): fine, slower. */
    if (setsockopt(p->fd, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, &budget, sizeof budget)) {
        fprintf(stderr, "xskfwd: %s: no XDP_MAX_TX_SKB_BUDGET (%s)\n",
                p->name, strerror(errno));
    }
}

static void
print_port(const struct xf_port *p, const struct xf_port *out)
{
    struct xdp_statistics st;
    socklen_t len = sizeof st;

    fprintf(stderr, "xskfwd: %s -> %s: forwarded %llu, dropped (tx full) %llu, sendto %llu\n",
            p->name, out->name, p->forwarded, p->dropped, out->kicks);
    if (!getsockopt(p->fd, SOL_XDP, XDP_STATISTICS, &st, &len)) {
        fprintf(stderr, "xskfwd: %s: rx_dropped %llu rx_ring_full %llu fill_empty %llu\n",
                p->name, (unsigned long long) st.rx_dropped,
                (unsigned long long) st.rx_ring_full,
                (unsigned long long) st.rx_fill_ring_empty_descs);
    }
}

int
main(int argc, char *argv[])
{
    struct xf_port a = { 0 }, b = { 0 };
    struct xsk_umem *umem = NULL;
    void *area;
    int opt;

    while ((opt = getopt(argc, argv, "b:h")) != -1) {
        if (opt == 'b') {
            batch = strtoul(optarg, NULL, 0);
        } else {
            goto usage;
        }
    }
    if (argc - optind != 2 || batch < 1 || batch > RING_SIZE) {
        goto usage;
    }
    a.name = argv[optind];
    b.name = argv[optind + 1];
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    area = mmap(NULL, (size_t) N_FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (area == MAP_FAILED) {
        die("mmap", NULL, errno);
    }
    open_port(&a, &umem, area);
    open_port(&b, &umem, area);
    /* Half the umem for each direction's loop. */
    fill_frames(&a.fq, 0, N_FRAMES / 2);
    fill_frames(&b.fq, N_FRAMES / 2, N_FRAMES / 2);
    fprintf(stderr, "xskfwd: ready %s <-> %s (shared umem, copy bind, busy-poll)\n",
            a.name, b.name);

    while (!stop) {
        forward(&a, &b);
        forward(&b, &a);
    }

    print_port(&a, &b);
    print_port(&b, &a);
    xsk_socket__delete(b.xsk);
    xsk_socket__delete(a.xsk);
    xsk_umem__delete(umem);
    return 0;

usage:
    fprintf(stderr, "usage: xskfwd [-b BATCH] IF_A IF_B\n");
    return 2;
}
