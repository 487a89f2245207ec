/* xbsink: the bench's frame counter at the sink.
 *
 *   xbsink attach OBJ IF     attach xb_sink (native XDP) to IF; prints the
 *                            id of its counter map
 *   xbsink detach IF         remove whatever XDP program IF has
 *   xbsink read MAP_ID       prints the count and CLOCK_MONOTONIC seconds
 *   xbsink sample MAP_ID N SECONDS
 *                            prints N rates (frames per second), one for
 *                            each back-to-back window of SECONDS
 *
 * The program stays attached after this process exits (netlink attach), and
 * keeps its map alive.  Map ids are global while interfaces are per network
 * namespace, so attach runs inside the sink's namespace and read and sample
 * run anywhere, by id. */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_CPUS 1024

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
if_index(const char *name)
{
    int ifindex = if_nametoindex(name);

    if (!ifindex) {
        fprintf(stderr, "xbsink: no interface %s\n", name);
        exit(1);
    }
    return ifindex;
}

static int
cmd_attach(const char *obj_path, const char *ifname)
{
    struct bpf_map_info info = { 0 };
    __u32 info_len = sizeof info;
    struct bpf_object *obj;
    struct bpf_program *prog;
    struct bpf_map *map;
    int ifindex = if_index(ifname), err;

    libbpf_set_print(NULL);
    obj = bpf_object__open_file(obj_path, NULL);
    if (!obj) {
        fprintf(stderr, "xbsink: cannot open %s: %s\n", obj_path, strerror(errno));
        return 1;
    }
    bpf_object__for_each_program(prog, obj) {
        bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), "xb_sink"));
    }
    err = bpf_object__load(obj);
    if (err) {
        fprintf(stderr, "xbsink: cannot load %s: %s\n", obj_path, strerror(-err));
        return 1;
    }
    prog = bpf_object__find_program_by_name(obj, "xb_sink");
    map = bpf_object__find_map_by_name(obj, "sink_cnt");
    err = bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL);
    if (err) {
        fprintf(stderr, "xbsink: attach to %s: %s\n", ifname, strerror(-err));
        return 1;
    }
    if (bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &info_len)) {
        fprintf(stderr, "xbsink: map info: %s\n", strerror(errno));
        return 1;
    }
    printf("%u\n", info.id);
    return 0;
}

static int
open_map(const char *id_s)
{
    int fd = bpf_map_get_fd_by_id(strtoul(id_s, NULL, 0));

    if (fd < 0) {
        fprintf(stderr, "xbsink: no map %s: %s\n", id_s, strerror(errno));
        exit(1);
    }
    return fd;
}

static unsigned long long
read_count(int fd)
{
    static unsigned long long per_cpu[MAX_CPUS];
    int n_cpus = libbpf_num_possible_cpus();
    unsigned long long sum = 0;
    __u32 key = 0;

    if (n_cpus <= 0 || n_cpus > MAX_CPUS
        || bpf_map_lookup_elem(fd, &key, per_cpu)) {
        fprintf(stderr, "xbsink: cannot read the counter: %s\n", strerror(errno));
        exit(1);
    }
    for (int i = 0; i < n_cpus; i++) {
        sum += per_cpu[i];
    }
    return sum;
}

static int
cmd_sample(int fd, int n, double seconds)
{
    unsigned long long c0 = read_count(fd), c1;
    double t0 = now(), t1, next = t0;

    for (int i = 0; i < n; i++) {
        struct timespec ts;
        double left;

        next += seconds;
        left = next - now();
        if (left > 0) {
            ts.tv_sec = (time_t) left;
            ts.tv_nsec = (long) ((left - ts.tv_sec) * 1e9);
            nanosleep(&ts, NULL);
        }
        c1 = read_count(fd);
        t1 = now();
        printf("%.0f\n", (c1 - c0) / (t1 - t0));
        fflush(stdout);
        c0 = c1;
        t0 = t1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    if (argc == 4 && !strcmp(argv[1], "attach")) {
        return cmd_attach(argv[2], argv[3]);
    }
    if (argc == 3 && !strcmp(argv[1], "detach")) {
        return bpf_xdp_detach(if_index(argv[2]), 0, NULL) ? 1 : 0;
    }
    if (argc == 3 && !strcmp(argv[1], "read")) {
        int fd = open_map(argv[2]);
        unsigned long long c = read_count(fd);

        printf("%llu %.6f\n", c, now());
        return 0;
    }
    if (argc == 5 && !strcmp(argv[1], "sample")) {
        int n = atoi(argv[3]);
        double seconds = atof(argv[4]);

        if (n < 1 || seconds <= 0) {
            fprintf(stderr, "xbsink: sample: N >= 1 windows of SECONDS > 0\n");
            return 2;
        }
        return cmd_sample(open_map(argv[2]), n, seconds);
    }
    fprintf(stderr,
            "usage: xbsink attach OBJ IF | detach IF | read MAP_ID\n"
            "       | sample MAP_ID N SECONDS\n");
    return 2;
}
