/* xsk_portcheck: forwards frames between two devices through port_xsk, to
 * check the port layer end to end (tests/integration/test_port_xsk.sh).
 *
 *   xsk_portcheck [options] DEV_A DEV_B
 *     -t SECONDS   stop after this long (default: at SIGTERM or SIGINT)
 *     -m MODE      XDP mode: auto (default), native, skb
 *     -b MODE      bind mode: auto (default), zc, copy
 *     -o FILE      the XDP object (default: the installed one)
 *     -q N         queues per port (default: all rx queues)
 *     -n FRAMES    umem frames (default: umem.h's)
 *     -i LOOPS     sleep in poll() after this many empty loops (default 1000;
 *                  0: spin)
 *     -v           libxdp and libbpf debug output
 *
 * One umem, one thread: what arrives on A goes out on B and the other way
 * round, by descriptor.  Prints "ready" on stdout once both ports are open,
 * and at the end one line per port, e.g.
 *   port veth-a: xdp=native mode=copy queues=1 dispatcher=no rx=123 tx=120 ...
 * then the umem's frame accounting.  Exit status: 0, 1 on a port error, 2 on
 * bad usage, 3 when a device vanished while running. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "port_xsk.h"
#include "umem.h"
#include "xsw_err.h"

#define BURST 64

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static bool verbose;

static int __attribute__((format(printf, 2, 0)))
libxdp_log(enum libxdp_print_level level, const char *fmt, va_list ap)
{
    if (level != LIBXDP_WARN && !verbose) {
        return 0;
    }
    return vfprintf(stderr, fmt, ap);
}

static int __attribute__((format(printf, 2, 0)))
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level != LIBBPF_WARN && !verbose) {
        return 0;
    }
    return vfprintf(stderr, fmt, ap);
}

static void
usage(void)
{
    fprintf(stderr, "usage: xsk_portcheck [-t SECONDS] [-m auto|native|skb] "
            "[-b auto|zc|copy] [-o FILE] [-q N] [-n FRAMES] [-i LOOPS] [-v] "
            "DEV_A DEV_B\n");
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Moves what q_in received to q_out; returns how many frames arrived. */
static uint32_t
forward(struct port_xsk_queue *in, struct port_xsk_queue *out,
        struct umem_cache *cache)
{
    struct xdp_desc descs[BURST];
    uint32_t n, sent;

    port_xsk_refill(in, cache);
    n = port_xsk_rx_burst(in, descs, BURST);
    if (!n) {
        return 0;
    }
    sent = port_xsk_tx_burst(out, descs, n);
    for (uint32_t i = sent; i < n; i++) {
        umem_cache_put(cache, descs[i].addr);
    }
    return n;
}

static void
print_port(const struct port_xsk *port)
{
    struct port_xsk_info info;
    struct port_xsk_stats s;
    const char *mode;
    int error;

    port_xsk_get_info(port, &info);
    error = port_xsk_stats(port, &s);
    mode = info.n_zerocopy == 0 ? "copy"
           : info.n_zerocopy == info.n_queues ? "zerocopy" : "mixed";
    printf("port %s: ifindex=%d xdp=%s mode=%s queues=%u dispatcher=%s "
           "rx=%llu tx=%llu rx_bytes=%llu tx_bytes=%llu tx_ring_full=%llu "
           "tx_completed=%llu kicks=%llu kick_retries=%llu kick_errors=%llu "
           "fill_short=%llu rx_dropped=%llu rx_ring_full=%llu fill_empty=%llu "
           "tx_invalid=%llu%s\n",
           info.name, info.ifindex, port_xsk_xdp_mode_name(info.xdp_mode),
           mode, info.n_queues, info.dispatcher ? "yes" : "no",
           (unsigned long long) s.rx_packets,
           (unsigned long long) s.tx_packets,
           (unsigned long long) s.rx_bytes,
           (unsigned long long) s.tx_bytes,
           (unsigned long long) s.tx_ring_full,
           (unsigned long long) s.tx_completed,
           (unsigned long long) s.tx_kicks,
           (unsigned long long) s.tx_kick_retries,
           (unsigned long long) s.tx_kick_errors,
           (unsigned long long) s.fill_short,
           (unsigned long long) s.rx_dropped,
           (unsigned long long) s.rx_ring_full,
           (unsigned long long) s.rx_fill_ring_empty_descs,
           (unsigned long long) s.tx_invalid_descs,
           error ? " (kernel counters unavailable)" : "");
}

static bool
parse_uint(const char *s, unsigned long *out)
{
    char *end;

    errno = 0;
    *out = strtoul(s, &end, 10);
    return !errno && end != s && !*end;
}

int
main(int argc, char **argv)
{
    struct port_xsk_config cfg = { .xdp_mode = PORT_XSK_XDP_AUTO };
    struct umem_config ucfg = { 0 };
    struct port_xsk *ports[2] = { NULL, NULL };
    unsigned long seconds = 0, idle_loops = 1000, v;
    struct umem_cache cache;
    struct umem_stats us;
    struct umem *umem;
    struct xsw_err err;
    double t_end, t_check;
    int opt, status = 0;

    while ((opt = getopt(argc, argv, "t:m:b:o:q:n:i:v")) != -1) {
        switch (opt) {
        case 't':
            if (!parse_uint(optarg, &seconds)) {
                usage();
                return 2;
            }
            break;
        case 'm':
            if (!strcmp(optarg, "auto")) {
                cfg.xdp_mode = PORT_XSK_XDP_AUTO;
            } else if (!strcmp(optarg, "native")) {
                cfg.xdp_mode = PORT_XSK_XDP_NATIVE;
            } else if (!strcmp(optarg, "skb")) {
                cfg.xdp_mode = PORT_XSK_XDP_SKB;
            } else {
                usage();
                return 2;
            }
            break;
        case 'b':
            if (!strcmp(optarg, "auto")) {
                cfg.bind_mode = PORT_XSK_BIND_AUTO;
            } else if (!strcmp(optarg, "zc")) {
                cfg.bind_mode = PORT_XSK_BIND_ZEROCOPY;
            } else if (!strcmp(optarg, "copy")) {
                cfg.bind_mode = PORT_XSK_BIND_COPY;
            } else {
                usage();
                return 2;
            }
            break;
        case 'o':
            cfg.bpf_path = optarg;
            break;
        case 'q':
            if (!parse_uint(optarg, &v) || v > 1024) {
                usage();
                return 2;
            }
            cfg.n_queues = (uint32_t) v;
            break;
        case 'n':
            if (!parse_uint(optarg, &v) || v > UINT32_MAX) {
                usage();
                return 2;
            }
            ucfg.n_frames = (uint32_t) v;
            break;
        case 'i':
            if (!parse_uint(optarg, &idle_loops)) {
                usage();
                return 2;
            }
            break;
        case 'v':
            verbose = true;
            break;
        default:
            usage();
            return 2;
        }
    }
    if (argc - optind != 2) {
        usage();
        return 2;
    }
    libxdp_set_print(libxdp_log);
    libbpf_set_print(libbpf_log);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    if (umem_create(&ucfg, &umem, &err)) {
        fprintf(stderr, "xsk_portcheck: %s\n", err.msg);
        return 1;
    }
    if (umem_cache_init(&cache, umem, 0)) {
        fprintf(stderr, "xsk_portcheck: out of memory\n");
        umem_destroy(umem);
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        cfg.devname = argv[optind + i];
        if (port_xsk_open(umem, &cfg, &ports[i], &err)) {
            fprintf(stderr, "xsk_portcheck: %s\n", err.msg);
            status = 1;
            goto out;
        }
    }
    printf("ready\n");
    fflush(stdout);

    t_end = seconds ? now() + seconds : 0;
    t_check = now() + 1;
    for (unsigned long idle = 0; !stop;) {
        uint32_t na = port_xsk_n_queues(ports[0]);
        uint32_t nb = port_xsk_n_queues(ports[1]);
        uint32_t moved = 0;

        for (uint32_t i = 0; i < na; i++) {
            moved += forward(port_xsk_get_queue(ports[0], i),
                             port_xsk_get_queue(ports[1], i % nb), &cache);
        }
        for (uint32_t i = 0; i < nb; i++) {
            moved += forward(port_xsk_get_queue(ports[1], i),
                             port_xsk_get_queue(ports[0], i % na), &cache);
        }
        for (int p = 0; p < 2; p++) {
            for (uint32_t i = 0; i < port_xsk_n_queues(ports[p]); i++) {
                struct port_xsk_queue *q = port_xsk_get_queue(ports[p], i);

                port_xsk_tx_flush(q);
                port_xsk_complete(q, &cache);
            }
        }

        if (moved) {
            idle = 0;
        } else if (idle_loops && ++idle >= idle_loops) {
            struct pollfd pfds[2 * 64];
            nfds_t n = 0;

            for (int p = 0; p < 2; p++) {
                for (uint32_t i = 0; i < port_xsk_n_queues(ports[p]) && n < 128;
                     i++) {
                    pfds[n].fd = port_xsk_queue_fd(port_xsk_get_queue(ports[p],
                                                                      i));
                    pfds[n].events = POLLIN;
                    n++;
                }
            }
            poll(pfds, n, 100);
            idle = 0;
        }

        if (idle == 0 || idle % 1024 == 0) {
            double t = now();

            if (t_end && t >= t_end) {
                break;
            }
            if (t >= t_check) {
                t_check = t + 1;
                for (int p = 0; p < 2; p++) {
                    bool up;

                    if (port_xsk_link_state(ports[p], &up) == -ENODEV) {
                        fprintf(stderr, "xsk_portcheck: %s: device vanished\n",
                                port_xsk_name(ports[p]));
                        status = 3;
                        stop = 1;
                    }
                }
            }
        }
    }

    for (int i = 0; i < 2; i++) {
        print_port(ports[i]);
    }

out:
    for (int i = 0; i < 2; i++) {
        port_xsk_close(ports[i]);
    }
    umem_cache_uninit(&cache);
    umem_get_stats(umem, &us);
    printf("umem: frames=%u free=%u lost=%llu\n", us.n_frames, us.in_pool,
           (unsigned long long) us.lost);
    umem_destroy(umem);
    return status;
}
