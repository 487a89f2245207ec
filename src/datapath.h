/* datapath: the switch as the OVS kernel datapath presents it: datapaths
 * (one per bridge), their vports and flow tables, and packet execution, plus
 * the worker threads that move the frames.
 *
 * The operations here are those of the OVS generic-netlink families
 * (OVS_DATAPATH_CMD_*, OVS_VPORT_CMD_*, OVS_FLOW_CMD_*, OVS_PACKET_CMD_EXECUTE)
 * callable in-process; ovs_genl.c puts them on the control socket.
 *
 * Threads.  Everything in this header is for the control thread only (the
 * single writer of every table, see DESIGN.md).  It must be registered with
 * liburcu-qsbr (call_rcu needs that) and should stay RCU-offline: as the only
 * writer it needs no read-side protection, and an offline thread never holds
 * up a grace period while it sleeps in its event loop.  Workers (worker.c) read
 * what is published here under RCU.  A datapath owns its vports, flows and
 * umem; dp_switch_destroy() frees everything, after stopping the workers.
 *
 * Numbering.  A datapath is known by name (the bridge's) and by dp_ifindex:
 * the ifindex of its internal port (the TAP device named after the bridge),
 * as in OVS, or a number above 1 << 24 when it has none.  Port 0 is the
 * internal port; the others take the number asked for, or the lowest free. */
#ifndef XSW_DATAPATH_H
#define XSW_DATAPATH_H 1

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classifier.h"
#include "flow_key.h"
#include "port_xsk.h"
#include "ufid.h"
#include "xsw_err.h"

struct dp_switch;
struct nlmsghdr;
struct datapath;
struct vport;

#define DP_MAX_WORKERS 64
#define DP_MAX_DATAPATHS 64
#define DP_MAX_PORTS 65536          /* port numbers 0..65535 */
#define DP_LOCAL_PORT 0             /* the internal port (OVSP_LOCAL) */
#define DP_IFINDEX_NO_TAP_BASE (1 << 24)

/* What the whole switch is built with ([global] of the INI). */
struct dp_switch_config {
    unsigned int n_workers;
    uint32_t umem_frames;           /* per datapath */
    uint32_t frame_size;
    unsigned int upcall_queue_len;  /* per worker */
    unsigned int max_flows;         /* per datapath */
    unsigned int emc_entries;       /* per worker and datapath; 0: no EMC */
    unsigned int emc_insert_inv_prob;
    const char *bpf_path;           /* the XDP program; NULL: the installed one.
                                     * The string must outlive the switch. */
};

/* Called on the control thread for every upcall message a worker queued
 * (OVS_PACKET_CMD_MISS / _ACTION, netlink, see upcall.h), with the datapath
 * it came from.  The message is valid during the call only. */
typedef void dp_upcall_fn(void *aux, struct datapath *dp, const void *msg, size_t len);

/* Creates the switch and starts its workers (idle until datapaths get
 * ports).  upcall_cb receives the upcalls; base is the control thread's
 * libevent base, where the switch registers its upcall eventfds. */
struct event_base;
int dp_switch_create(const struct dp_switch_config *, struct event_base *base,
                     dp_upcall_fn *upcall_cb, void *upcall_aux,
                     struct dp_switch **out, struct xsw_err *err);
/* Stops the workers, destroys every datapath (detaching XDP programs,
 * removing TAP devices) and frees the switch. */
void dp_switch_destroy(struct dp_switch *);

/* What happens to datapaths and ports, however it was asked for (config,
 * netlink, a vanished device), for the modules that keep per-bridge or
 * per-port state (the slow path).  DESTROYING comes before a datapath's ports
 * go, PORT_DELETING before a port goes: the listener may still use them. */
enum dp_event {
    DP_EVENT_CREATED,           /* vp is NULL; port 0, if any, exists */
    DP_EVENT_DESTROYING,        /* vp is NULL */
    DP_EVENT_PORT_ADDED,
    DP_EVENT_PORT_DELETING,
};
typedef void dp_event_fn(void *aux, enum dp_event, struct datapath *dp, struct vport *vp);
void dp_switch_set_event_cb(struct dp_switch *, dp_event_fn *, void *aux);

/* Periodic housekeeping (the control thread's ~1 s timer): subtable
 * re-ranking, vanished devices (closed, with a log line). */
void dp_switch_run(struct dp_switch *);

/* ---------------------------------------------------------------- datapaths */

struct dp_stats {
    uint64_t n_hit;                 /* packets that matched a flow */
    uint64_t n_missed;              /* packets that matched none (sent up or lost) */
    uint64_t n_lost;                /* upcalls dropped: queue full */
    uint64_t n_flows;
    uint64_t n_mask_hit;            /* subtables probed, summed over packets */
    uint32_t n_masks;               /* subtables now */
};

/* Creates datapath NAME with its internal port 0 (a TAP device named NAME)
 * unless internal_port is false. */
int dp_create(struct dp_switch *, const char *name, bool internal_port,
              uint32_t upcall_pid, struct datapath **out, struct xsw_err *err);
/* Removes every port (and the TAP device) and every flow. */
void dp_destroy(struct datapath *);

struct datapath *dp_find_by_name(const struct dp_switch *, const char *name);
struct datapath *dp_find_by_ifindex(const struct dp_switch *, int dp_ifindex);
/* Iteration in creation order: dp_next(sw, NULL) is the first. */
struct datapath *dp_next(const struct dp_switch *, const struct datapath *);

const char *dp_name(const struct datapath *);
int dp_ifindex(const struct datapath *);
uint32_t dp_upcall_pid(const struct datapath *);
void dp_set_upcall_pid(struct datapath *, uint32_t pid);
uint32_t dp_user_features(const struct datapath *);
void dp_set_user_features(struct datapath *, uint32_t);
void dp_get_stats(const struct datapath *, struct dp_stats *);
struct classifier *dp_classifier(const struct datapath *);
struct dp_switch *dp_switch_of(const struct datapath *);

/* ---------------------------------------------------------------- vports */

enum dp_vport_type {
    DP_VPORT_INTERNAL,              /* TAP: OVS_VPORT_TYPE_INTERNAL */
    DP_VPORT_AFXDP,                 /* a device through AF_XDP: OVS_VPORT_TYPE_NETDEV */
};

struct dp_port_config {
    const char *devname;            /* the interface, case as given */
    uint32_t port_no;               /* 0: the lowest free number >= 1 */
    enum port_xsk_xdp_mode xdp_mode;
    enum port_xsk_bind_mode bind_mode;
    uint32_t n_queues;              /* 0: every rx queue of the device */
    uint32_t upcall_pid;
};

struct dp_vport_stats {
    uint64_t rx_packets, tx_packets;
    uint64_t rx_bytes, tx_bytes;
    uint64_t rx_errors, tx_errors;
    uint64_t rx_dropped, tx_dropped;
};

/* What a vport is, for show and OVS_VPORT_CMD_GET. */
struct dp_vport_info {
    uint32_t port_no;
    enum dp_vport_type type;
    char name[IF_NAMESIZE];
    int ifindex;
    uint32_t upcall_pid;
    /* DP_VPORT_AFXDP only: */
    struct port_xsk_info xsk;
};

/* Opens devname through AF_XDP and adds it to the datapath.  Errors name the
 * device and what failed; -EEXIST if the name or number is taken, -EBUSY if
 * the device is a port of any datapath already. */
int dp_port_add(struct datapath *, const struct dp_port_config *,
                struct vport **out, struct xsw_err *err);
/* Detaches the port from the workers, then closes it. */
void dp_port_del(struct vport *);

struct vport *dp_port_find(const struct datapath *, uint32_t port_no);
struct vport *dp_port_find_by_name(const struct dp_switch *, const char *name,
                                   struct datapath **dpp);
/* Ports in number order: dp_port_next(dp, NULL) is the first. */
struct vport *dp_port_next(const struct datapath *, const struct vport *);
void dp_port_get_info(const struct vport *, struct dp_vport_info *);
void dp_port_get_stats(const struct vport *, struct dp_vport_stats *);
void dp_port_set_upcall_pid(struct vport *, uint32_t pid);
struct datapath *dp_port_datapath(const struct vport *);

/* ---------------------------------------------------------------- flows
 *
 * The classifier of the datapath does the work (classifier.h: put, get, del,
 * dump with its cursor, stats); dp_classifier() gives it.  Flows put through
 * here are checked first: the key and mask must decode, the actions must
 * validate and name ports of this datapath or be otherwise legal. */

struct dp_flow_put {
    const void *key_nl;             /* OVS_FLOW_ATTR_KEY payload */
    size_t key_nl_len;
    const void *mask_nl;            /* OVS_FLOW_ATTR_MASK payload, or NULL */
    size_t mask_nl_len;
    const void *actions;            /* OVS_FLOW_ATTR_ACTIONS payload, or NULL */
    size_t actions_len;
    const struct ufid *ufid;        /* NULL: none */
    unsigned int flags;             /* CLASSIFIER_PUT_* */
};

int dp_flow_put(struct datapath *, const struct dp_flow_put *,
                struct classifier_put_result *, struct xsw_err *err);

/* Finds a flow by UFID (if given) or by key (and mask, if given). */
int dp_flow_find(struct datapath *, const void *key_nl, size_t key_nl_len,
                 const void *mask_nl, size_t mask_nl_len, const struct ufid *ufid,
                 struct classifier_flow **flowp, struct xsw_err *err);

/* The key and mask to report for a flow: the bytes it was put with, or (if
 * it was put without) encoded from the masked key and mask.  The mask always
 * includes what the datapath added (in_port exact). */
int dp_flow_key_nl(const struct classifier_flow *, struct nlmsghdr *nlh, size_t buflen);
int dp_flow_mask_nl(const struct classifier_flow *, struct nlmsghdr *nlh, size_t buflen);

/* ---------------------------------------------------------------- packets */

/* Sends packet (a whole Ethernet frame) through actions, as if it had been
 * received on key_nl's in_port with that metadata: OVS_PACKET_CMD_EXECUTE.
 * It runs on a worker; this call returns when it is queued.  -ENOBUFS if
 * the worker's command queue is full. */
int dp_execute(struct datapath *, const void *packet, size_t len,
               const void *key_nl, size_t key_nl_len,
               const void *actions, size_t actions_len, struct xsw_err *err);

/* ---------------------------------------------------------------- workers */

struct dp_worker_stats {
    uint64_t packets;               /* received and handled */
    uint64_t emc_hits;
    uint64_t megaflow_hits;
    uint64_t upcalls;               /* misses sent up (lost ones included) */
    uint64_t lost;
    uint64_t busy_cycles;           /* TSC cycles in loop turns that had work */
    uint64_t idle_cycles;
    uint64_t polls;                 /* loop turns */
    uint64_t sleeps;                /* times it slept in poll() */
    uint64_t no_frame;              /* a copy or upcall found no free frame */
};

unsigned int dp_switch_n_workers(const struct dp_switch *);
void dp_switch_worker_stats(const struct dp_switch *, unsigned int worker,
                            struct dp_worker_stats *);
/* Rx queues a worker polls, as "dev:queue" strings, for pmd-stats. */
int dp_switch_worker_queues(const struct dp_switch *, unsigned int worker,
                            char *buf, size_t size);
/* Upcall queue counters summed over workers. */
void dp_switch_upcall_stats(const struct dp_switch *, uint64_t *queued,
                            uint64_t *lost, uint64_t *handled);

#endif /* XSW_DATAPATH_H */
