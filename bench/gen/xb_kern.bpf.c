/* xb_kern: the XDP programs of the bench harness (bench/run.sh).
 *
 *   xb_gen   the body of the traffic generator.  xbgen runs it with
 *            BPF_PROG_RUN in live-frames mode: every run turns one copy of
 *            the template frame into a frame of flow number i and redirects
 *            it out of the generator's veth.
 *   xb_sink  on the sink veth: counts and drops the generator's UDP frames
 *            (destination ports SINK_PORT .. SINK_PORT + 255), passes the
 *            rest (ARP, ICMP, TCP), so ping and iperf3 need no detach.
 *
 * The generator writes every field it varies on every frame, because
 * live-frames mode recycles pages without copying the template again: a
 * field left alone would keep the value of an earlier frame. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define SINK_PORT 9

/* How frame number n is made from the template (xbgen -m). */
enum xb_gen_mode {
    XB_GEN_FIXED = 0,   /* the template as it is: one flow */
    XB_GEN_TUPLE = 1,   /* flow i: its own IPv4 source, UDP ports; MACs fixed */
    XB_GEN_MAC = 2,     /* flow i: its own Ethernet source, counting from seq_base */
    XB_GEN_MAC_SEQ = 3, /* every frame a never-seen Ethernet source */
};

/* Set by the loader before the object is loaded. */
const volatile __u32 gen_mode = XB_GEN_FIXED;
const volatile __u32 gen_flows = 1;
const volatile __u32 gen_seq_base;
const volatile __u32 gen_saddr;         /* host order */
const volatile __u8 gen_mac_tag = 0xb0; /* second byte of generated sources */

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} gen_port SEC(".maps");

/* Frames generated so far, per CPU: the flow number of the next frame. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} gen_seq SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} sink_cnt SEC(".maps");

static __always_inline __u16
ip_csum(const struct iphdr *ip)
{
    const __u16 *w = (const __u16 *) ip;
    __u32 sum = 0;

#pragma unroll
    for (int i = 0; i < 10; i++) {
        if (i != 5) {       /* the checksum field itself */
            sum += w[i];
        }
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return ~sum;
}

static __always_inline void
set_mac_src(struct ethhdr *eth, __u32 id)
{
    /* 02:tag:id: locally administered unicast, never a real station's. */
    eth->h_source[0] = 0x02;
    eth->h_source[1] = gen_mac_tag;
    eth->h_source[2] = id >> 24;
    eth->h_source[3] = id >> 16;
    eth->h_source[4] = id >> 8;
    eth->h_source[5] = id;
}

SEC("xdp")
int
xb_gen(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = (void *) (eth + 1);
    struct udphdr *udp = (void *) (ip + 1);
    __u32 key = 0, flow;
    __u64 *seq;

    if (gen_mode == XB_GEN_FIXED) {
        return bpf_redirect_map(&gen_port, 0, 0);
    }
    seq = bpf_map_lookup_elem(&gen_seq, &key);
    if (!seq || (void *) (udp + 1) > end) {
        return XDP_ABORTED;
    }
    flow = (__u32) (*seq)++;

    if (gen_mode == XB_GEN_MAC_SEQ) {
        set_mac_src(eth, gen_seq_base + flow);
    } else {
        flow = gen_flows ? flow % gen_flows : 0;
        if (gen_mode == XB_GEN_MAC) {
            set_mac_src(eth, gen_seq_base + flow);
        } else {
            /* 256 destination ports (all counted by the sink) x 256
             * source addresses x as many source ports as it takes. */
            udp->dest = bpf_htons(SINK_PORT + (flow & 0xff));
            ip->saddr = bpf_htonl(gen_saddr + ((flow >> 8) & 0xff));
            udp->source = bpf_htons(1024 + (flow >> 16));
            ip->check = ip_csum(ip);
        }
    }
    return bpf_redirect_map(&gen_port, 0, 0);
}

SEC("xdp")
int
xb_sink(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = (void *) (eth + 1);
    struct udphdr *udp = (void *) (ip + 1);
    __u32 key = 0;
    __u64 *cnt;

    if ((void *) (udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)
        || ip->protocol != IPPROTO_UDP || ip->ihl != 5
        || (__u16) (bpf_ntohs(udp->dest) - SINK_PORT) > 255) {
        return XDP_PASS;
    }
    cnt = bpf_map_lookup_elem(&sink_cnt, &key);
    if (cnt) {
        (*cnt)++;
    }
    return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
