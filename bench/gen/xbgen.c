/* xbgen: the bench's traffic generator.
 *
 *   xbgen -o xb_kern.bpf.o -i IF -d DST_MAC -s SRC_MAC -A SRC_IP -a DST_IP
 *         [-l LEN] [-m fixed|tuple|mac|mac-seq] [-n FLOWS] [-b SEQ_BASE]
 *         [-t MAC_TAG] [-T SECONDS]
 *
 * Builds one UDP frame of LEN bytes (60 by default: 64 on the wire with the
 * FCS) and runs xb_gen over it with BPF_PROG_RUN in live-frames mode
 * (BPF_F_TEST_XDP_LIVE_FRAMES), which sends every run's frame out of IF
 * through a devmap redirect.  The frame enters the veth peer of IF as an
 * xdp_frame, so that peer must have NAPI: an XDP program, or GRO on.
 *
 * -m picks what changes from frame to frame (see xb_kern.bpf.c): nothing,
 * the IPv4 source and UDP ports of FLOWS flows, the Ethernet source of FLOWS
 * flows, or a new Ethernet source on every frame.  Generated Ethernet
 * sources are 02:MAC_TAG followed by SEQ_BASE + i as four bytes.
 *
 * Runs until SECONDS have passed (0: until SIGINT or SIGTERM), then prints
 * the frames it sent and its average rate.  One thread: pin it with taskset.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_FRAME 1514
#define SINK_PORT 9

/* Each BPF_PROG_RUN call sets up a page_pool and tears it down at the end,
 * and the teardown sleeps for tens of milliseconds; calls this long keep
 * that under a few percent of the time. */
#define CALL_SECONDS 0.25
#define MIN_REPEAT (1u << 12)
#define MAX_REPEAT (1u << 26)

enum { MODE_FIXED, MODE_TUPLE, MODE_MAC, MODE_MAC_SEQ };

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
usage(void)
{
    fprintf(stderr,
            "usage: xbgen -o OBJ -i IF -d DST_MAC -s SRC_MAC -A SRC_IP -a DST_IP\n"
            "             [-l LEN] [-m fixed|tuple|mac|mac-seq] [-n FLOWS]\n"
            "             [-b SEQ_BASE] [-t MAC_TAG] [-T SECONDS]\n");
    exit(2);
}

static void
parse_mac(const char *s, unsigned char *mac)
{
    if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
               &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
        fprintf(stderr, "xbgen: bad MAC address %s\n", s);
        exit(2);
    }
}

static void
parse_ip(const char *s, unsigned int *addr)
{
    if (inet_pton(AF_INET, s, addr) != 1) {
        fprintf(stderr, "xbgen: bad IPv4 address %s\n", s);
        exit(2);
    }
}

static int
parse_mode(const char *s)
{
    static const char *const names[] = { "fixed", "tuple", "mac", "mac-seq" };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(s, names[i])) {
            return (int) i;
        }
    }
    fprintf(stderr, "xbgen: unknown mode %s\n", s);
    exit(2);
}

static size_t
build_frame(unsigned char *frame, size_t len, const unsigned char *dst,
            const unsigned char *src, unsigned int saddr, unsigned int daddr)
{
    struct ethhdr *eth = (void *) frame;
    struct iphdr *ip = (void *) (eth + 1);
    struct udphdr *udp = (void *) (ip + 1);
    const unsigned short *w = (const void *) ip;
    unsigned int sum = 0;

    memset(frame, 0, MAX_FRAME);
    memcpy(eth->h_dest, dst, ETH_ALEN);
    memcpy(eth->h_source, src, ETH_ALEN);
    eth->h_proto = htons(ETH_P_IP);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons(len - sizeof *eth);
    ip->saddr = saddr;
    ip->daddr = daddr;
    for (int i = 0; i < 10; i++) {
        sum += w[i];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    ip->check = ~sum;
    udp->source = htons(1024);
    udp->dest = htons(SINK_PORT);
    udp->len = htons(len - sizeof *eth - sizeof *ip);
    udp->check = 0;         /* none: nothing has to fix it on the way */
    return len;
}

/* Sets the const volatile global NAME of the object's .rodata before it is
 * loaded, at the offset BTF gives: the compiler chooses the layout. */
static int
set_rodata(struct bpf_object *obj, const char *name, const void *val, size_t size)
{
    struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
    struct btf *btf = bpf_object__btf(obj);
    const struct btf_var_secinfo *vs;
    const struct btf_type *sec;
    const void *init;
    size_t map_size;
    int id, err = -ENOENT;

    if (!map || !btf) {
        return -ENOENT;
    }
    init = bpf_map__initial_value(map, &map_size);
    id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
    if (!init || id < 0) {
        return -ENOENT;
    }
    sec = btf__type_by_id(btf, id);
    vs = btf_var_secinfos(sec);
    for (int i = 0; i < btf_vlen(sec); i++, vs++) {
        const struct btf_type *var = btf__type_by_id(btf, vs->type);
        char *copy;

        if (strcmp(btf__name_by_offset(btf, var->name_off), name)) {
            continue;
        }
        if (vs->size != size || vs->offset + size > map_size) {
            return -EINVAL;
        }
        copy = malloc(map_size);
        if (!copy) {
            return -ENOMEM;
        }
        memcpy(copy, init, map_size);
        memcpy(copy + vs->offset, val, size);
        err = bpf_map__set_initial_value(map, copy, map_size);
        free(copy);
        break;
    }
    return err;
}

int
main(int argc, char *argv[])
{
    const char *obj_path = NULL, *ifname = NULL;
    const char *dst_mac = NULL, *src_mac = NULL, *src_ip = NULL, *dst_ip = NULL;
    unsigned char frame[MAX_FRAME], dst[ETH_ALEN], src[ETH_ALEN];
    unsigned int mode = MODE_FIXED, flows = 1, seq_base = 0, saddr, daddr, host_saddr;
    unsigned int ifindex, key = 0;
    unsigned char mac_tag = 0xb0;
    unsigned long long sent = 0;
    unsigned int repeat = MIN_REPEAT;
    double seconds = 0, t0, t_end;
    size_t len = 60;
    struct bpf_object *obj;
    struct bpf_program *prog;
    struct bpf_map *port_map;
    int prog_fd, opt, err;

    while ((opt = getopt(argc, argv, "o:i:d:s:A:a:l:m:n:b:t:T:h")) != -1) {
        switch (opt) {
        case 'o': obj_path = optarg; break;
        case 'i': ifname = optarg; break;
        case 'd': dst_mac = optarg; break;
        case 's': src_mac = optarg; break;
        case 'A': src_ip = optarg; break;
        case 'a': dst_ip = optarg; break;
        case 'l': len = strtoul(optarg, NULL, 0); break;
        case 'm': mode = parse_mode(optarg); break;
        case 'n': flows = strtoul(optarg, NULL, 0); break;
        case 'b': seq_base = strtoul(optarg, NULL, 0); break;
        case 't': mac_tag = strtoul(optarg, NULL, 0); break;
        case 'T': seconds = atof(optarg); break;
        default: usage();
        }
    }
    if (!obj_path || !ifname || !dst_mac || !src_mac || !src_ip || !dst_ip
        || len < 60 || len > MAX_FRAME || !flows) {
        usage();
    }
    parse_mac(dst_mac, dst);
    parse_mac(src_mac, src);
    parse_ip(src_ip, &saddr);
    parse_ip(dst_ip, &daddr);
    host_saddr = ntohl(saddr);
    build_frame(frame, len, dst, src, saddr, daddr);

    ifindex = if_nametoindex(ifname);
    if (!ifindex) {
        fprintf(stderr, "xbgen: no interface %s\n", ifname);
        return 1;
    }
    libbpf_set_print(NULL);
    obj = bpf_object__open_file(obj_path, NULL);
    if (!obj) {
        fprintf(stderr, "xbgen: cannot open %s: %s\n", obj_path, strerror(errno));
        return 1;
    }
    bpf_object__for_each_program(prog, obj) {
        bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), "xb_gen"));
    }
    if (set_rodata(obj, "gen_mode", &mode, sizeof mode)
        || set_rodata(obj, "gen_flows", &flows, sizeof flows)
        || set_rodata(obj, "gen_seq_base", &seq_base, sizeof seq_base)
        || set_rodata(obj, "gen_saddr", &host_saddr, sizeof host_saddr)
        || set_rodata(obj, "gen_mac_tag", &mac_tag, sizeof mac_tag)) {
        fprintf(stderr, "xbgen: %s: cannot set the generator's settings\n", obj_path);
        return 1;
    }
    err = bpf_object__load(obj);
    if (err) {
        fprintf(stderr, "xbgen: cannot load %s: %s\n", obj_path, strerror(-err));
        return 1;
    }
    prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "xb_gen"));
    port_map = bpf_object__find_map_by_name(obj, "gen_port");
    if (!port_map || bpf_map_update_elem(bpf_map__fd(port_map), &key, &ifindex, 0)) {
        fprintf(stderr, "xbgen: devmap entry for %s: %s\n", ifname, strerror(errno));
        return 1;
    }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    t0 = now();
    t_end = seconds > 0 ? t0 + seconds : 0;
    while (!stop && (!t_end || now() < t_end)) {
        LIBBPF_OPTS(bpf_test_run_opts, run,
                    .data_in = frame,
                    .data_size_in = len,
                    .repeat = repeat,
                    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
                    .batch_size = 64);
        double t1 = now(), dt;

        if (bpf_prog_test_run_opts(prog_fd, &run)) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, "xbgen: BPF_PROG_RUN: %s\n", strerror(errno));
            return 1;
        }
        sent += repeat;
        dt = now() - t1;
        if (dt > 0) {
            double want = repeat * CALL_SECONDS / dt;

            repeat = want > MAX_REPEAT ? MAX_REPEAT
                   : want < MIN_REPEAT ? MIN_REPEAT : (unsigned int) want;
        }
    }
    t0 = now() - t0;
    printf("xbgen: sent %llu frames in %.2f s = %.3f Mpps\n", sent, t0, sent / t0 / 1e6);
    bpf_object__close(obj);
    return 0;
}
