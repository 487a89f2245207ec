/* l2switch: the slow path of one bridge, a learning Ethernet switch with
 * VLANs: what OVS's NORMAL action does (ofproto-dpif-xlate.c, xlate_normal),
 * turned into megaflows for the datapath.
 *
 * For each upcall (an OVS_PACKET_CMD_MISS message, as the kernel datapath
 * sends it) l2switch_handle_upcall() decodes the datapath's key, extracts
 * the frame itself, compares the two (the compatibility rules of
 * FLOW-KEYS.md), learns the source, decides where the frame goes, and fills
 * a struct l2switch_result with everything the caller needs for
 * dp_flow_put() and dp_execute(): the key bytes, a mask that holds only what
 * the decision read, the actions, and whether a flow may be installed.
 * l2switch never touches the datapath itself, so it is tested without one.
 *
 * The decision (l2switch_decide()) reads in_port, the outer VLAN tag and the
 * Ethernet addresses, and the MAC table; nothing at L3 or above, and
 * eth_type never (the outer TPID is part of the VLAN tag).  The megaflow's
 * mask is exactly that: in_port and recirc_id exact, eth src and dst exact
 * (the source because learning depends on it: a new source must miss, as in
 * OVS), the outer TPID exact and TCI's VID and tag-present bits (its PCP
 * only when a pushed tag copies it), the inner tag's TPID and tag-present
 * bit for a double-tagged frame.  Drops that happen before the addresses
 * are read (unknown input port, VLAN the input port does not carry, cut
 * tag) get a mask without them, so one flow covers every station.  The
 * revalidator runs l2switch_decide() again on an installed flow's masked
 * key after a change, and compares.
 *
 * VLANs (OVS vlan_mode semantics, see xsw.ini(5)).  The bridge VLAN of a
 * frame is 0..4095; 0 means "untagged on a trunk".
 *  - access (tag N): untagged or priority-tagged frames are in VLAN N; a
 *    frame tagged with another VID is dropped; frames leave untagged.
 *  - trunk (trunks T): a tagged frame is in its VID, dropped unless in T;
 *    an untagged frame is in VLAN 0, which a trunk carries only when it
 *    carries every VLAN (no trunks list: OVS's empty trunks), and leaves
 *    untagged (or with its priority tag) on such trunks.
 *  - native-tagged / native-untagged (tag N, trunks T): untagged frames are
 *    in VLAN N, tagged ones as on a trunk; VLAN N leaves tagged or untagged
 *    respectively.
 * Only the outer tag is the VLAN (OVS's default vlan-limit of 1): an
 * 802.1ad (0x88a8) outer tag counts like an 802.1Q one and keeps its TPID
 * when it is forwarded as is; an inner tag is payload.  A tag that the
 * switch pushes uses 0x8100, or the input frame's TPID and PCP when that
 * frame was priority-tagged.  As OVS (without forward_bpdu), frames to the
 * reserved multicast range 01:80:c2:00:00:00-0f are dropped.  Multicast and
 * all-zero sources are not learned.
 *
 * Change log.  Every MAC table change (learned, moved, expired, flushed) and
 * every port change is numbered; l2switch_changes_since() tells a caller
 * (the revalidator) which (MAC, VLAN) pairs changed, or that everything
 * must be rechecked, and an optional callback fires on each change so the
 * revalidator can run at once.
 *
 * Threads and memory.  Control thread only.  l2switch_create() returns an
 * l2switch freed by l2switch_destroy().  A decision and a result are the
 * caller's memory (on its stack, typically), set up with _init() and
 * released with _uninit(): a flood to many ports may need more room for
 * actions than the built-in buffer.  Times are CLOCK_MONOTONIC milliseconds
 * given by the caller (the datapath's flow statistics use the same clock,
 * in nanoseconds). */
#ifndef XSW_L2SWITCH_H
#define XSW_L2SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "flow_key.h"
#include "mac_table.h"
#include "strbuf.h"
#include "xsw_err.h"

struct l2switch;

#define L2SWITCH_DEFAULT_MAC_AGING 300          /* seconds, as OVS */
#define L2SWITCH_DEFAULT_MAC_TABLE_SIZE 8192    /* as OVS */

struct l2switch_config {
    const char *name;               /* the bridge, for messages (copied) */
    uint32_t mac_aging;             /* seconds; 0: the default */
    uint32_t mac_table_size;        /* entries; 0: the default */
    /* Port 0 exists (the bridge's internal port): it starts as a trunk of
     * every VLAN, like OVS's LOCAL port, until l2switch_port_set() says
     * otherwise. */
    bool internal_port;
};

int l2switch_create(const struct l2switch_config *, struct l2switch **out,
                    struct xsw_err *err);
void l2switch_destroy(struct l2switch *);

/* New aging and size (the name and internal_port are ignored).  A smaller
 * size evicts the least recently seen entries. */
void l2switch_reconfigure(struct l2switch *, const struct l2switch_config *);

const char *l2switch_name(const struct l2switch *);

/* ---------------------------------------------------------------- ports
 *
 * Port numbers are the datapath's.  A frame is only ever sent to ports set
 * here, and one from a port not set here is dropped.  Setting a port that
 * exists with other VLAN settings forgets the MACs learned on it (as OVS);
 * adding or removing a port, or changing its VLANs, makes every flow due
 * for a recheck. */

/* mode and tag as in struct config_port; trunks NULL: every VLAN.  For an
 * access port trunks is ignored; a native port carries its tag whatever
 * trunks says.  -EINVAL for a tag outside 1..4094 where one is needed. */
int l2switch_port_set(struct l2switch *, uint32_t port_no, enum config_vlan_mode mode,
                      uint16_t tag, const struct config_vlan_set *trunks,
                      struct xsw_err *err);
/* Forgets the port and the MACs learned on it.  Unknown ports are fine. */
void l2switch_port_del(struct l2switch *, uint32_t port_no);
bool l2switch_port_exists(const struct l2switch *, uint32_t port_no);

static inline int
l2switch_port_set_config(struct l2switch *sw, uint32_t port_no,
                         const struct config_port *p, struct xsw_err *err)
{
    return l2switch_port_set(sw, port_no, p->vlan_mode, p->tag, &p->trunks, err);
}

/* ---------------------------------------------------------------- decisions */

enum l2switch_verdict {
    L2SWITCH_FORWARD,               /* known unicast: one output */
    L2SWITCH_FLOOD,                 /* multicast, broadcast, unknown unicast */
    L2SWITCH_DROP_HAIRPIN,          /* destination is on the input port */
    L2SWITCH_DROP_VLAN,             /* input port does not carry the frame's VLAN */
    L2SWITCH_DROP_PARTIAL_TAG,      /* VLAN TPID without a whole tag */
    L2SWITCH_DROP_RESERVED,         /* 01:80:c2:00:00:0x destination */
    L2SWITCH_DROP_UNKNOWN_PORT,     /* input port not set */
};
#define L2SWITCH_N_VERDICTS (L2SWITCH_DROP_UNKNOWN_PORT + 1)

const char *l2switch_verdict_name(enum l2switch_verdict);

#define L2SWITCH_ACTIONS_INLINE 512

/* Where a frame goes and what that decision read.  The actions are an
 * OVS_ACTION_ATTR_* list (empty for a drop) in the decision's own buffer. */
struct l2switch_decision {
    enum l2switch_verdict verdict;
    int vlan;                       /* bridge VLAN, or -1 if dropped before one was known */
    uint32_t out_port;              /* FORWARD only */
    unsigned int n_outputs;
    struct flow_mask mask;          /* what the decision read */
    const uint8_t *actions;
    size_t actions_len;

    /* Private. */
    uint8_t *buf;                   /* inline_buf or heap */
    size_t buf_size;
    uint8_t inline_buf[L2SWITCH_ACTIONS_INLINE] __attribute__((aligned(8)));
};

void l2switch_decision_init(struct l2switch_decision *);
void l2switch_decision_uninit(struct l2switch_decision *);

/* Decides for 'key' (a frame's key, or a megaflow's masked key: only the
 * fields named above are read) without changing anything.  Returns 0, or
 * -ENOMEM when the actions do not fit and no memory is left. */
int l2switch_decide(const struct l2switch *, const struct flow_key *key, uint64_t now_ms,
                    struct l2switch_decision *);

/* ---------------------------------------------------------------- upcalls */

/* How the datapath's key compares with the slow path's own extraction. */
enum l2switch_fit {
    L2SWITCH_FIT_PERFECT,           /* same attributes, same fields: install */
    L2SWITCH_FIT_TOO_MANY,          /* datapath has attributes xsw does not
                                     * interpret: install with its key bytes */
    L2SWITCH_FIT_TOO_LITTLE,        /* datapath lacks attributes xsw extracts:
                                     * execute only */
    L2SWITCH_FIT_MISMATCH,          /* same attributes, different values:
                                     * execute only */
};

const char *l2switch_fit_name(enum l2switch_fit);

#define L2SWITCH_NL_MAX 2048

/* What the caller does with an upcall.  Everything but 'packet' lives in
 * the result itself; 'packet' points into the upcall message and is valid
 * as long as the message is. */
struct l2switch_result {
    struct l2switch_decision d;     /* verdict, actions */
    enum l2switch_fit fit;
    bool install;                   /* dp_flow_put(key_nl, mask_nl, actions) */
    bool execute;                   /* dp_execute(packet, key_nl, actions): false for drops */
    struct flow_key key;            /* the slow path's extraction of the frame */
    const void *packet;
    size_t packet_len;
    /* The datapath's key, byte for byte: the flow is installed with it
     * (FLOW-KEYS.md) and execute takes its metadata from it. */
    const void *key_nl;
    size_t key_nl_len;
    const void *mask_nl;            /* OVS_FLOW_ATTR_MASK payload */
    size_t mask_nl_len;

    /* Private. */
    uint8_t key_buf[L2SWITCH_NL_MAX] __attribute__((aligned(8)));
    uint8_t mask_buf[L2SWITCH_NL_MAX] __attribute__((aligned(8)));
};

void l2switch_result_init(struct l2switch_result *);
void l2switch_result_uninit(struct l2switch_result *);

/* Handles one upcall message: decodes it (upcall_msg_parse, odp_key_parse),
 * extracts the frame, applies the compatibility rules, learns the source
 * (when the MAC table is full a new source is not learned and the overflow
 * is counted; the frame is forwarded all the same), decides, and fills *r.
 * r must have been set up with l2switch_result_init(); it may be reused
 * for the next upcall.  Errors (counted in the stats, r left undefined):
 *   -EINVAL       not an upcall message, or a key that does not decode;
 *   -EOPNOTSUPP   an OVS_PACKET_CMD_ACTION upcall (xsw installs no
 *                 userspace actions);
 *   -EMSGSIZE     a key or mask larger than L2SWITCH_NL_MAX;
 *   -ENOMEM. */
int l2switch_handle_upcall(struct l2switch *, const void *msg, size_t len,
                           uint64_t now_ms, struct l2switch_result *r);

/* Tells the switch how the caller's dp_flow_put() (0 if not called) and
 * dp_execute() (0 if not called) went, for the statistics: -EEXIST from the
 * put is a duplicate upcall (another one installed the flow first), not a
 * failure. */
void l2switch_upcall_done(struct l2switch *, const struct l2switch_result *,
                          int put_error, int execute_error);

/* ---------------------------------------------------------------- MAC table */

/* A megaflow with key 'key' (its in_port, eth_src and VLAN tag are read)
 * forwarded a frame at used_ms: the station is refreshed, or learned again
 * if it was not in the table.  It moves the station only if used_ms is later
 * than the table's own sighting (statistics may be read late). */
void l2switch_mac_touch(struct l2switch *, const struct flow_key *key, uint64_t used_ms);

/* Ages the MAC table: returns the number of entries expired. */
unsigned int l2switch_run(struct l2switch *, uint64_t now_ms);

/* The port 'mac' on 'vlan' was learned on, or -1. */
int64_t l2switch_mac_lookup(const struct l2switch *, const uint8_t mac[6], uint16_t vlan,
                            uint64_t now_ms);

/* ---------------------------------------------------------------- changes */

/* Number of the latest change (0: none yet). */
uint64_t l2switch_change_seq(const struct l2switch *);

typedef void l2switch_changed_mac_fn(void *aux, const uint8_t mac[6], uint16_t vlan);

/* Calls fn for each (MAC, VLAN) that changed after change number 'since'
 * (possibly the same pair more than once) and returns true; or returns false
 * without calling fn when the log cannot tell: a port change or a flush
 * happened, or more changes than the log holds (then everything must be
 * rechecked). */
bool l2switch_changes_since(const struct l2switch *, uint64_t since,
                            l2switch_changed_mac_fn *fn, void *aux);

/* fn(aux) runs after every change (one listener; NULL removes it). */
typedef void l2switch_change_cb(void *aux);
void l2switch_set_change_cb(struct l2switch *, l2switch_change_cb *fn, void *aux);

/* ---------------------------------------------------------------- commands */

struct l2switch_stats {
    struct mac_table_stats mac;
    uint64_t overflow;              /* new sources not learned: table full */
    uint64_t upcalls;               /* handled (errors included) */
    uint64_t upcall_errors;         /* messages that could not be handled */
    uint64_t installs;              /* results that asked for a flow */
    uint64_t execute_only;          /* results that did not (compatibility rules) */
    uint64_t fit[L2SWITCH_FIT_MISMATCH + 1];
    uint64_t verdicts[L2SWITCH_N_VERDICTS];
    uint64_t put_duplicates;        /* -EEXIST: flow installed by an earlier upcall */
    uint64_t put_errors;            /* other flow put failures */
    uint64_t execute_errors;        /* packets not sent (worker queue full...) */
};

void l2switch_get_stats(const struct l2switch *, struct l2switch_stats *);

/* fdb-show: ovs-appctl fdb/show's table, least recently seen first,
 *  " port  VLAN  MAC                Age"
 *  "    1    10  52:54:00:12:34:56    3"
 * (port 0 printed "LOCAL"); or with json one object,
 * {"bridge":"br0","entries":[{"port":1,"vlan":10,"mac":"52:54:00:12:34:56",
 * "age":3},...]}, without a final newline (as the other xsw_ctl commands).
 * Ages are in seconds.  Appends to out. */
void l2switch_fdb_show(const struct l2switch *, uint64_t now_ms, bool json,
                       struct strbuf *out);

/* fdb-flush: forgets every MAC; returns how many. */
unsigned int l2switch_fdb_flush(struct l2switch *);

/* fdb-stats: ovs-appctl fdb/stats-show's lines plus xsw's overflow and
 * upcall counters; or one JSON object (no final newline). */
void l2switch_fdb_stats(const struct l2switch *, bool json, struct strbuf *out);

#endif /* XSW_L2SWITCH_H */
