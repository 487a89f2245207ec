/* xsw_redirect: the XDP program of an xsw port.
 *
 * Every frame that arrives on rx queue Q of the port goes to the AF_XDP
 * socket that xswd bound to (port, Q), found in xsks_map at key Q.  A queue
 * without a socket keeps the frame in the kernel (XDP_PASS), so a port whose
 * sockets are not up yet, or a queue that xswd chose not to serve, behaves
 * like a port without XDP.
 *
 * One copy of this object is loaded per port (src/port_xsk.c), which makes
 * xsks_map per port: its key is the rx queue index, which every port has.
 * The control thread owns the maps through the bpf_object that libxdp keeps;
 * maps meant to be shared by all ports (the planned XDP tier: simple flows
 * and a devmap of ports) will be reused by fd before the program is loaded.
 *
 * The program goes through libxdp, which runs it either alone on the device
 * or as one of several behind its dispatcher.  The run config below is read
 * in the dispatcher case only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <xdp/xdp_helpers.h>

/* Sized by the loader to the device's queue count before loading. */
struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} xsks_map SEC(".maps");

/* Behind the dispatcher: run after programs at the default priority (50),
 * so that a filter another tool attached sees the frame before the switch
 * takes it; and let the chain go on when this program passes a frame, so
 * that whatever comes next still sees the traffic of queues without a
 * socket. */
struct {
    __uint(priority, 60);
    __uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(xsw_redirect);

SEC("xdp")
int xsw_redirect(struct xdp_md *ctx)
{
    /* The flags argument is the action when the entry is empty. */
    return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}

/* bpf_redirect_map needs no GPL helper, but libxdp's dispatcher, which this
 * program may be attached to as an extension, is GPL. */
char _license[] SEC("license") = "GPL";
