/* l2switch: see l2switch.h. */
#include "l2switch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/openvswitch.h>

#include "log.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "upcall.h"

#define L2_VID_MASK 0x0fff
#define L2_PCP_MASK 0xe000
#define L2_VLAN_ALL_BITS ((uint64_t) -1)

/* Change log entries: enough for a burst of learning between two
 * revalidator runs; beyond that a full recheck costs about the same as
 * looking each change up. */
#define L2SWITCH_CHANGE_LOG 1024

struct l2_port {
    uint32_t port_no;
    enum config_vlan_mode mode;
    uint16_t tag;
    /* Bridge VLANs the port carries; bit 0 when untagged frames are VLAN 0
     * on it (a trunk of every VLAN). */
    struct config_vlan_set vlans;
};

struct l2_change {
    uint64_t seq;
    uint8_t mac[6];
    uint16_t vlan;
};

struct l2switch {
    char name[64];
    struct mac_table *macs;
    struct l2_port *ports;          /* sorted by port_no */
    size_t n_ports, cap_ports;

    uint64_t seq;                   /* latest change number */
    uint64_t all_seq;               /* latest change that affects every flow */
    struct l2_change log[L2SWITCH_CHANGE_LOG];
    l2switch_change_cb *change_cb;
    void *change_aux;

    struct l2switch_stats stats;    /* .mac is filled on read */
};

/* ---------------------------------------------------------------- names */

const char *
l2switch_verdict_name(enum l2switch_verdict v)
{
    switch (v) {
    case L2SWITCH_FORWARD: return "forward";
    case L2SWITCH_FLOOD: return "flood";
    case L2SWITCH_DROP_HAIRPIN: return "drop (destination on input port)";
    case L2SWITCH_DROP_VLAN: return "drop (VLAN not carried by input port)";
    case L2SWITCH_DROP_PARTIAL_TAG: return "drop (partial VLAN tag)";
    case L2SWITCH_DROP_RESERVED: return "drop (reserved multicast destination)";
    case L2SWITCH_DROP_UNKNOWN_PORT: return "drop (unknown input port)";
    }
    return "?";
}

const char *
l2switch_fit_name(enum l2switch_fit f)
{
    switch (f) {
    case L2SWITCH_FIT_PERFECT: return "perfect";
    case L2SWITCH_FIT_TOO_MANY: return "too many";
    case L2SWITCH_FIT_TOO_LITTLE: return "too little";
    case L2SWITCH_FIT_MISMATCH: return "mismatch";
    }
    return "?";
}

/* ---------------------------------------------------------------- changes */

static void
l2_notify(struct l2switch *sw)
{
    if (sw->change_cb) {
        sw->change_cb(sw->change_aux);
    }
}

static void
l2_log_mac(struct l2switch *sw, const uint8_t mac[6], uint16_t vlan)
{
    struct l2_change *c;

    sw->seq++;
    c = &sw->log[sw->seq % L2SWITCH_CHANGE_LOG];
    c->seq = sw->seq;
    memcpy(c->mac, mac, 6);
    c->vlan = vlan;
    l2_notify(sw);
}

static void
l2_log_all(struct l2switch *sw)
{
    sw->seq++;
    sw->all_seq = sw->seq;
    l2_notify(sw);
}

static void
l2_mac_removed(void *aux, const struct mac_entry *e)
{
    l2_log_mac(aux, e->mac, e->vlan);
}

uint64_t
l2switch_change_seq(const struct l2switch *sw)
{
    return sw->seq;
}

bool
l2switch_changes_since(const struct l2switch *sw, uint64_t since,
                       l2switch_changed_mac_fn *fn, void *aux)
{
    if (since >= sw->seq) {
        return true;
    }
    if (sw->all_seq > since || sw->seq - since > L2SWITCH_CHANGE_LOG) {
        return false;
    }
    for (uint64_t s = since + 1; s <= sw->seq; s++) {
        const struct l2_change *c = &sw->log[s % L2SWITCH_CHANGE_LOG];

        /* Every number after 'since' is a MAC change (all_seq <= since)
         * still in the log, so its slot holds it. */
        fn(aux, c->mac, c->vlan);
    }
    return true;
}

void
l2switch_set_change_cb(struct l2switch *sw, l2switch_change_cb *fn, void *aux)
{
    sw->change_cb = fn;
    sw->change_aux = aux;
}

/* ---------------------------------------------------------------- lifetime */

static void
l2_config_values(const struct l2switch_config *cfg, uint64_t *aging_ms, uint32_t *size)
{
    *aging_ms = (uint64_t) (cfg->mac_aging ? cfg->mac_aging : L2SWITCH_DEFAULT_MAC_AGING)
                * 1000;
    *size = cfg->mac_table_size ? cfg->mac_table_size : L2SWITCH_DEFAULT_MAC_TABLE_SIZE;
}

int
l2switch_create(const struct l2switch_config *cfg, struct l2switch **out, struct xsw_err *err)
{
    struct l2switch *sw;
    uint64_t aging_ms;
    uint32_t size;
    int error;

    *out = NULL;
    sw = calloc(1, sizeof *sw);
    if (!sw) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    snprintf(sw->name, sizeof sw->name, "%s", cfg->name ? cfg->name : "");
    l2_config_values(cfg, &aging_ms, &size);
    error = mac_table_create(size, aging_ms, &sw->macs);
    if (error) {
        xsw_err_set(err, -error, "%s: cannot create the MAC table: %s", sw->name,
                    strerror(-error));
        goto err_free;
    }
    if (cfg->internal_port) {
        error = l2switch_port_set(sw, 0, CONFIG_VLAN_TRUNK, 0, NULL, err);
        if (error) {
            goto err_macs;
        }
    }
    *out = sw;
    return 0;

err_macs:
    mac_table_destroy(sw->macs);
err_free:
    free(sw);
    return error;
}

void
l2switch_destroy(struct l2switch *sw)
{
    if (!sw) {
        return;
    }
    mac_table_destroy(sw->macs);
    free(sw->ports);
    free(sw);
}

void
l2switch_reconfigure(struct l2switch *sw, const struct l2switch_config *cfg)
{
    uint64_t aging_ms;
    uint32_t size;

    l2_config_values(cfg, &aging_ms, &size);
    mac_table_set_aging(sw->macs, aging_ms);
    mac_table_set_max(sw->macs, size, l2_mac_removed, sw);
}

const char *
l2switch_name(const struct l2switch *sw)
{
    return sw->name;
}

/* ---------------------------------------------------------------- ports */

/* Index of port_no in the sorted array, or where it would go. */
static size_t
l2_port_index(const struct l2switch *sw, uint32_t port_no)
{
    size_t lo = 0, hi = sw->n_ports;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (sw->ports[mid].port_no < port_no) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static const struct l2_port *
l2_port_find(const struct l2switch *sw, uint32_t port_no)
{
    size_t i = l2_port_index(sw, port_no);

    return i < sw->n_ports && sw->ports[i].port_no == port_no ? &sw->ports[i] : NULL;
}

bool
l2switch_port_exists(const struct l2switch *sw, uint32_t port_no)
{
    return l2_port_find(sw, port_no) != NULL;
}

static bool
l2_port_carries(const struct l2_port *p, unsigned int vlan)
{
    return (p->vlans.bits[vlan / 64] >> (vlan % 64)) & 1;
}

static void
l2_vlan_set_add(struct config_vlan_set *s, unsigned int vlan)
{
    s->bits[vlan / 64] |= UINT64_C(1) << (vlan % 64);
}

/* Whether s holds every VLAN 1..4094 (what the config writes for a trunk
 * without a trunks list). */
static bool
l2_vlan_set_is_all(const struct config_vlan_set *s)
{
    for (unsigned int v = CONFIG_VLAN_MIN; v <= CONFIG_VLAN_MAX; v++) {
        if (!((s->bits[v / 64] >> (v % 64)) & 1)) {
            return false;
        }
    }
    return true;
}

int
l2switch_port_set(struct l2switch *sw, uint32_t port_no, enum config_vlan_mode mode,
                  uint16_t tag, const struct config_vlan_set *trunks, struct xsw_err *err)
{
    struct l2_port np, *p;
    size_t i;

    memset(&np, 0, sizeof np);
    np.port_no = port_no;
    np.mode = mode;
    switch (mode) {
    case CONFIG_VLAN_ACCESS:
    case CONFIG_VLAN_NATIVE_TAGGED:
    case CONFIG_VLAN_NATIVE_UNTAGGED:
        if (tag < CONFIG_VLAN_MIN || tag > CONFIG_VLAN_MAX) {
            return xsw_err_set(err, EINVAL, "%s: port %" PRIu32 ": vlan_mode %s needs a "
                               "tag from %d to %d, not %u", sw->name, port_no,
                               config_vlan_mode_name(mode), CONFIG_VLAN_MIN,
                               CONFIG_VLAN_MAX, tag);
        }
        np.tag = tag;
        break;
    case CONFIG_VLAN_TRUNK:
        break;
    default:
        return xsw_err_set(err, EINVAL, "%s: port %" PRIu32 ": unknown vlan_mode %d",
                           sw->name, port_no, (int) mode);
    }

    if (mode == CONFIG_VLAN_ACCESS) {
        l2_vlan_set_add(&np.vlans, tag);
    } else {
        if (trunks) {
            np.vlans = *trunks;
        } else {
            for (unsigned int v = CONFIG_VLAN_MIN; v <= CONFIG_VLAN_MAX; v++) {
                l2_vlan_set_add(&np.vlans, v);
            }
        }
        /* IDs 0 and 4095 are not VLANs; bit 0 is re-derived below. */
        np.vlans.bits[0] &= ~UINT64_C(1);
        np.vlans.bits[4095 / 64] &= ~(UINT64_C(1) << (4095 % 64));
        if (mode == CONFIG_VLAN_TRUNK) {
            /* OVS: a trunk without a trunks list carries every VLAN, 0
             * (untagged) included; one with a list carries that list only. */
            if (l2_vlan_set_is_all(&np.vlans)) {
                l2_vlan_set_add(&np.vlans, 0);
            }
        } else {
            l2_vlan_set_add(&np.vlans, tag);
        }
    }

    i = l2_port_index(sw, port_no);
    if (i < sw->n_ports && sw->ports[i].port_no == port_no) {
        p = &sw->ports[i];
        if (p->mode == np.mode && p->tag == np.tag
            && !memcmp(&p->vlans, &np.vlans, sizeof np.vlans)) {
            return 0;
        }
        *p = np;
        /* Stations learned under the old VLAN rules may not be reachable
         * under the new ones (OVS flushes the bundle's MACs too). */
        mac_table_flush_port(sw->macs, port_no, NULL, NULL);
        l2_log_all(sw);
        return 0;
    }

    if (sw->n_ports == sw->cap_ports) {
        size_t cap = sw->cap_ports ? sw->cap_ports * 2 : 8;
        struct l2_port *ports = realloc(sw->ports, cap * sizeof *ports);

        if (!ports) {
            return xsw_err_set(err, ENOMEM, "out of memory");
        }
        sw->ports = ports;
        sw->cap_ports = cap;
    }
    memmove(&sw->ports[i + 1], &sw->ports[i], (sw->n_ports - i) * sizeof *sw->ports);
    sw->ports[i] = np;
    sw->n_ports++;
    /* Every flood must now include it. */
    l2_log_all(sw);
    return 0;
}

void
l2switch_port_del(struct l2switch *sw, uint32_t port_no)
{
    size_t i = l2_port_index(sw, port_no);

    if (i >= sw->n_ports || sw->ports[i].port_no != port_no) {
        return;
    }
    memmove(&sw->ports[i], &sw->ports[i + 1], (sw->n_ports - i - 1) * sizeof *sw->ports);
    sw->n_ports--;
    mac_table_flush_port(sw->macs, port_no, NULL, NULL);
    l2_log_all(sw);
}

/* ---------------------------------------------------------------- decisions */

void
l2switch_decision_init(struct l2switch_decision *d)
{
    memset(d, 0, offsetof(struct l2switch_decision, inline_buf));
    d->buf = d->inline_buf;
    d->buf_size = sizeof d->inline_buf;
    d->actions = d->buf + MNL_NLMSG_HDRLEN;
}

void
l2switch_decision_uninit(struct l2switch_decision *d)
{
    if (d->buf != d->inline_buf) {
        free(d->buf);
    }
    d->buf = d->inline_buf;
    d->buf_size = sizeof d->inline_buf;
}

static int
l2_decision_reserve(struct l2switch_decision *d, size_t size)
{
    uint8_t *nb;

    if (size <= d->buf_size) {
        return 0;
    }
    nb = d->buf == d->inline_buf ? malloc(size) : realloc(d->buf, size);
    if (!nb) {
        return -ENOMEM;
    }
    d->buf = nb;
    d->buf_size = size;
    return 0;
}

/* The frame as the input port sees it: the first half of the decision. */
struct l2_input {
    const struct l2_port *port;
    bool tagged;                    /* a whole outer tag */
    __be16 tpid, tci;               /* of that tag */
    uint16_t vid;                   /* its VID; 0 for untagged */
};

static bool
l2_is_reserved_multicast(const uint8_t mac[6])
{
    return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 && mac[3] == 0x00
           && mac[4] == 0x00 && (mac[5] & 0xf0) == 0x00;
}

/* Checks the input side: port, tag, VLAN admission, reserved destination.
 * Returns true if the frame goes on to learning and forwarding (d->vlan
 * set); false with d->verdict a drop.  Fills d->mask with what it read. */
static bool
l2_input_stage(const struct l2switch *sw, const struct flow_key *key,
               struct l2switch_decision *d, struct l2_input *in)
{
    struct flow_key *m = &d->mask.m;
    const struct flow_vlan *v0 = &key->vlans[0];

    memset(&d->mask, 0, sizeof d->mask);
    memset(in, 0, sizeof *in);
    d->vlan = -1;
    d->out_port = 0;
    d->n_outputs = 0;
    d->actions_len = 0;

    m->in_port = UINT32_MAX;
    /* xsw never recirculates; a recirculated packet belongs to flows that
     * someone else installed, not to these. */
    m->recirc_id = UINT32_MAX;

    in->port = l2_port_find(sw, key->in_port);
    if (!in->port) {
        d->verdict = L2SWITCH_DROP_UNKNOWN_PORT;
        return false;
    }

    m->vlans[0].tpid = htons(UINT16_MAX);
    m->vlans[0].tci = htons(FLOW_VLAN_CFI | L2_VID_MASK);
    if (v0->tpid && !(v0->tci & htons(FLOW_VLAN_CFI))) {
        d->verdict = L2SWITCH_DROP_PARTIAL_TAG;
        return false;
    }
    in->tagged = (v0->tci & htons(FLOW_VLAN_CFI)) != 0;
    if (in->tagged) {
        in->tpid = v0->tpid ? v0->tpid : htons(ETH_P_8021Q);
        in->tci = v0->tci;
        in->vid = ntohs(v0->tci) & L2_VID_MASK;
        if (flow_vlan_present(&key->vlans[1])) {
            /* An inner tag is payload; only its presence is in the key's
             * shape, which the datapath matches anyway. */
            m->vlans[1].tpid = htons(UINT16_MAX);
            m->vlans[1].tci = htons(FLOW_VLAN_CFI);
        }
    }

    switch (in->port->mode) {
    case CONFIG_VLAN_ACCESS:
        if (in->vid) {
            d->verdict = L2SWITCH_DROP_VLAN;
            return false;
        }
        d->vlan = in->port->tag;
        break;
    case CONFIG_VLAN_NATIVE_TAGGED:
    case CONFIG_VLAN_NATIVE_UNTAGGED:
        if (!in->vid) {
            d->vlan = in->port->tag;
            break;
        }
        /* fall through */
    case CONFIG_VLAN_TRUNK:
    default:
        if (!l2_port_carries(in->port, in->vid)) {
            d->verdict = L2SWITCH_DROP_VLAN;
            return false;
        }
        d->vlan = in->vid;
        break;
    }

    memset(m->eth_dst, 0xff, sizeof m->eth_dst);
    if (l2_is_reserved_multicast(key->eth_dst)) {
        d->verdict = L2SWITCH_DROP_RESERVED;
        return false;
    }
    return true;
}

enum l2_out_state {
    L2_OUT_UNTAGGED,
    L2_OUT_TAGGED,
};

static enum l2_out_state
l2_out_state(const struct l2_port *p, int vlan, const struct l2_input *in)
{
    switch (p->mode) {
    case CONFIG_VLAN_ACCESS:
        return L2_OUT_UNTAGGED;
    case CONFIG_VLAN_NATIVE_UNTAGGED:
        return vlan == p->tag ? L2_OUT_UNTAGGED : L2_OUT_TAGGED;
    case CONFIG_VLAN_NATIVE_TAGGED:
        return L2_OUT_TAGGED;
    case CONFIG_VLAN_TRUNK:
    default:
        /* VLAN 0 leaves as it came: untagged, or with its priority tag. */
        return vlan || in->tagged ? L2_OUT_TAGGED : L2_OUT_UNTAGGED;
    }
}

static bool
l2_output_wanted(const struct l2_port *p, uint32_t in_port, int vlan)
{
    return p->port_no != in_port && l2_port_carries(p, (unsigned int) vlan);
}

/* Writes the actions for the outputs of a FORWARD (one port) or FLOOD
 * (every port but the input one that carries the VLAN).  Outputs are
 * grouped by the tag they need so that the list pushes or pops at most
 * once each way: first those that take the frame as it is, then the
 * untagged ones, then the tagged ones. */
static int
l2_put_outputs(const struct l2switch *sw, const struct flow_key *key,
               const struct l2_input *in, struct l2switch_decision *d,
               const struct l2_port *only)
{
    struct nlmsghdr *nlh;
    size_t n_max = only ? 1 : sw->n_ports;
    bool in_is_out_tag = in->tagged && in->vid == (uint16_t) d->vlan;
    bool cur_tagged = in->tagged;
    __be16 push_tpid, push_tci;
    int error;

    /* output 8 bytes each, push 8, pop 4 twice at most. */
    error = l2_decision_reserve(d, MNL_NLMSG_HDRLEN + n_max * 8 + 32);
    if (error) {
        return error;
    }
    nlh = mnl_nlmsg_put_header(d->buf);
    d->actions = d->buf + MNL_NLMSG_HDRLEN;

    if (in_is_out_tag) {
        push_tpid = in->tpid;
        push_tci = in->tci;
    } else {
        push_tpid = in->tagged ? in->tpid : htons(ETH_P_8021Q);
        push_tci = htons(FLOW_VLAN_CFI | (uint16_t) d->vlan);
        /* A priority-tagged frame keeps its priority. */
        push_tci |= in->tci & htons(L2_PCP_MASK);
    }

    for (int pass = 0; pass < 3; pass++) {
        enum l2_out_state want;
        bool first = true;

        if (pass == 0) {
            /* As it came. */
            if (in_is_out_tag) {
                want = L2_OUT_TAGGED;
            } else if (!in->tagged) {
                want = L2_OUT_UNTAGGED;
            } else {
                continue;
            }
        } else if (pass == 1) {
            if (!in->tagged) {
                continue;       /* done in pass 0 */
            }
            want = L2_OUT_UNTAGGED;
        } else {
            if (in_is_out_tag) {
                continue;       /* done in pass 0 */
            }
            want = L2_OUT_TAGGED;
        }

        for (size_t i = 0; i < (only ? 1 : sw->n_ports); i++) {
            const struct l2_port *p = only ? only : &sw->ports[i];

            if (!only && !l2_output_wanted(p, key->in_port, d->vlan)) {
                continue;
            }
            if (l2_out_state(p, d->vlan, in) != want) {
                continue;
            }
            if (first && pass == 1) {
                if (odp_actions_put_pop_vlan(nlh, d->buf_size)) {
                    return -EMSGSIZE;
                }
                cur_tagged = false;
            } else if (first && pass == 2) {
                if (cur_tagged && odp_actions_put_pop_vlan(nlh, d->buf_size)) {
                    return -EMSGSIZE;
                }
                if (odp_actions_put_push_vlan(nlh, d->buf_size, ntohs(push_tpid),
                                              ntohs(push_tci))) {
                    return -EMSGSIZE;
                }
                if (in->tagged) {
                    /* The pushed tag copies the input's PCP: read. */
                    d->mask.m.vlans[0].tci = htons(UINT16_MAX);
                }
                cur_tagged = true;
            }
            first = false;
            if (odp_actions_put_output(nlh, d->buf_size, p->port_no)) {
                return -EMSGSIZE;
            }
            d->n_outputs++;
        }
    }
    d->actions_len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
    return 0;
}

/* The second half: where the frame goes, once it is admitted. */
static int
l2_output_stage(const struct l2switch *sw, const struct flow_key *key, uint64_t now_ms,
                const struct l2_input *in, struct l2switch_decision *d)
{
    const struct mac_entry *e;
    const struct l2_port *out;

    memset(d->mask.m.eth_src, 0xff, sizeof d->mask.m.eth_src);
    memset(d->mask.m.eth_dst, 0xff, sizeof d->mask.m.eth_dst);

    if (mac_addr_is_multicast(key->eth_dst)) {
        d->verdict = L2SWITCH_FLOOD;
        return l2_put_outputs(sw, key, in, d, NULL);
    }
    e = mac_table_lookup(sw->macs, key->eth_dst, (uint16_t) d->vlan, now_ms);
    if (e && e->port == key->in_port) {
        d->verdict = L2SWITCH_DROP_HAIRPIN;
        return 0;
    }
    out = e ? l2_port_find(sw, e->port) : NULL;
    if (out && l2_port_carries(out, (unsigned int) d->vlan)) {
        d->verdict = L2SWITCH_FORWARD;
        d->out_port = out->port_no;
        return l2_put_outputs(sw, key, in, d, out);
    }
    d->verdict = L2SWITCH_FLOOD;
    return l2_put_outputs(sw, key, in, d, NULL);
}

int
l2switch_decide(const struct l2switch *sw, const struct flow_key *key, uint64_t now_ms,
                struct l2switch_decision *d)
{
    struct l2_input in;

    if (!l2_input_stage(sw, key, d, &in)) {
        return 0;
    }
    return l2_output_stage(sw, key, now_ms, &in, d);
}

/* ---------------------------------------------------------------- MAC table */

/* Learns key's source on its input port and VLAN (admitted frames only).
 * Returns the table's answer. */
static enum mac_learn_result
l2_learn(struct l2switch *sw, const struct flow_key *key, uint16_t vlan, uint64_t now_ms,
         bool only_if_newer)
{
    enum mac_learn_result r;

    r = mac_table_learn(sw->macs, key->eth_src, vlan, key->in_port, now_ms, only_if_newer,
                        NULL, l2_mac_removed, sw);
    if (r == MAC_LEARN_NEW || r == MAC_LEARN_MOVED) {
        l2_log_mac(sw, key->eth_src, vlan);
    }
    return r;
}

void
l2switch_mac_touch(struct l2switch *sw, const struct flow_key *key, uint64_t used_ms)
{
    struct l2switch_decision d;
    struct l2_input in;

    /* Only the input half runs: no actions are built. */
    l2switch_decision_init(&d);
    if (l2_input_stage(sw, key, &d, &in)) {
        l2_learn(sw, key, (uint16_t) d.vlan, used_ms, true);
    }
    l2switch_decision_uninit(&d);
}

unsigned int
l2switch_run(struct l2switch *sw, uint64_t now_ms)
{
    return mac_table_expire(sw->macs, now_ms, 0, l2_mac_removed, sw);
}

int64_t
l2switch_mac_lookup(const struct l2switch *sw, const uint8_t mac[6], uint16_t vlan,
                    uint64_t now_ms)
{
    const struct mac_entry *e = mac_table_lookup(sw->macs, mac, vlan, now_ms);

    return e ? (int64_t) e->port : -1;
}

/* ---------------------------------------------------------------- upcalls */

void
l2switch_result_init(struct l2switch_result *r)
{
    l2switch_decision_init(&r->d);
    r->fit = L2SWITCH_FIT_PERFECT;
    r->install = r->execute = false;
    r->packet = r->key_nl = r->mask_nl = NULL;
    r->packet_len = r->key_nl_len = r->mask_nl_len = 0;
}

void
l2switch_result_uninit(struct l2switch_result *r)
{
    l2switch_decision_uninit(&r->d);
}

static enum l2switch_fit
l2_fit(const struct flow_key *dp_key, const struct odp_key_info *info,
       const struct flow_key *own)
{
    uint64_t expected[FLOW_MAX_VLANS + 1];
    bool too_many = info->n_opaque > 0;

    odp_key_expected_attrs(own, expected);
    for (unsigned int i = 0; i <= FLOW_MAX_VLANS; i++) {
        if (expected[i] & ~info->attrs[i]) {
            return L2SWITCH_FIT_TOO_LITTLE;
        }
        if (info->attrs[i] & ~expected[i]) {
            too_many = true;
        }
    }
    if (!flow_key_equal(dp_key, own)) {
        return L2SWITCH_FIT_MISMATCH;
    }
    return too_many ? L2SWITCH_FIT_TOO_MANY : L2SWITCH_FIT_PERFECT;
}

int
l2switch_handle_upcall(struct l2switch *sw, const void *msg, size_t len, uint64_t now_ms,
                       struct l2switch_result *r)
{
    struct l2switch_stats *st = &sw->stats;
    struct odp_key_info info;
    struct upcall_msg um;
    struct flow_key dp_key;
    struct flow_meta md;
    struct l2_input in;
    struct xsw_err err = { "" };
    struct nlmsghdr *nlh;
    int error;

    st->upcalls++;
    if (upcall_msg_parse(msg, len, &um)) {
        st->upcall_errors++;
        log_ratelimited(LOG_LEVEL_WARN, "%s: upcall: not an OVS_PACKET_CMD_MISS message",
                        sw->name);
        return -EINVAL;
    }
    if (um.cmd != OVS_PACKET_CMD_MISS) {
        st->upcall_errors++;
        return -EOPNOTSUPP;
    }
    error = odp_key_parse(um.key, um.key_len, &dp_key, &info, &err);
    if (error) {
        st->upcall_errors++;
        log_ratelimited(LOG_LEVEL_WARN, "%s: upcall: bad key: %s", sw->name, err.msg);
        return -EINVAL;
    }
    if (um.key_len > sizeof r->key_buf) {
        st->upcall_errors++;
        return -EMSGSIZE;
    }

    /* The datapath's key is what it will look flows up with; the frame is
     * what the decision is about.  They must say the same thing before a
     * flow may stand for the frame. */
    md = (struct flow_meta) {
        .in_port = dp_key.in_port,
        .recirc_id = dp_key.recirc_id,
        .dp_hash = dp_key.dp_hash,
        .skb_mark = dp_key.skb_mark,
        .priority = dp_key.priority,
    };
    flow_extract(um.packet, um.packet_len, &md, &r->key, NULL);
    r->fit = l2_fit(&dp_key, &info, &r->key);

    if (l2_input_stage(sw, &r->key, &r->d, &in)) {
        if (l2_learn(sw, &r->key, (uint16_t) r->d.vlan, now_ms, false) == MAC_LEARN_FULL) {
            st->overflow++;
        }
        error = l2_output_stage(sw, &r->key, now_ms, &in, &r->d);
        if (error) {
            st->upcall_errors++;
            return error;
        }
    }

    nlh = mnl_nlmsg_put_header(r->mask_buf);
    error = odp_mask_put(nlh, sizeof r->mask_buf, &r->key, &r->d.mask);
    if (error) {
        st->upcall_errors++;
        return error;
    }
    r->mask_nl = r->mask_buf + MNL_NLMSG_HDRLEN;
    r->mask_nl_len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
    memcpy(r->key_buf, um.key, um.key_len);
    r->key_nl = r->key_buf;
    r->key_nl_len = um.key_len;
    r->packet = um.packet;
    r->packet_len = um.packet_len;
    r->install = r->fit == L2SWITCH_FIT_PERFECT || r->fit == L2SWITCH_FIT_TOO_MANY;
    r->execute = r->d.actions_len > 0;

    st->fit[r->fit]++;
    st->verdicts[r->d.verdict]++;
    if (r->install) {
        st->installs++;
    } else {
        st->execute_only++;
        log_ratelimited(LOG_LEVEL_DEBUG, "%s: upcall on port %" PRIu32 ": datapath key "
                        "fit %s: packet forwarded without a flow", sw->name,
                        r->key.in_port, l2switch_fit_name(r->fit));
    }
    return 0;
}

void
l2switch_upcall_done(struct l2switch *sw, const struct l2switch_result *r, int put_error,
                     int execute_error)
{
    (void) r;
    if (put_error == -EEXIST) {
        sw->stats.put_duplicates++;
    } else if (put_error) {
        sw->stats.put_errors++;
    }
    if (execute_error) {
        sw->stats.execute_errors++;
    }
}

/* ---------------------------------------------------------------- commands */

void
l2switch_get_stats(const struct l2switch *sw, struct l2switch_stats *s)
{
    *s = sw->stats;
    mac_table_get_stats(sw->macs, &s->mac);
}

static void
l2_json_string(struct strbuf *out, const char *s)
{
    strbuf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;

        if (c == '"' || c == '\\') {
            strbuf_putc(out, '\\');
            strbuf_putc(out, (char) c);
        } else if (c < 0x20) {
            strbuf_printf(out, "\\u%04x", c);
        } else {
            strbuf_putc(out, (char) c);
        }
    }
    strbuf_putc(out, '"');
}

void
l2switch_fdb_show(const struct l2switch *sw, uint64_t now_ms, bool json, struct strbuf *out)
{
    const struct mac_entry *e = NULL;
    uint64_t aging_ms = mac_table_aging_ms(sw->macs);
    bool first = true;

    if (json) {
        strbuf_puts(out, "{\"bridge\":");
        l2_json_string(out, sw->name);
        strbuf_puts(out, ",\"entries\":[");
    } else {
        strbuf_puts(out, " port  VLAN  MAC                Age\n");
    }
    while ((e = mac_table_next(sw->macs, e))) {
        uint64_t age_ms;

        if (now_ms >= e->last_seen_ms + aging_ms) {
            continue;           /* expired, not yet removed */
        }
        age_ms = now_ms > e->last_seen_ms ? now_ms - e->last_seen_ms : 0;
        if (json) {
            strbuf_printf(out, "%s{\"port\":%" PRIu32 ",\"vlan\":%u,\"mac\":\"",
                          first ? "" : ",", e->port, e->vlan);
            strbuf_put_mac(out, e->mac);
            strbuf_printf(out, "\",\"age\":%" PRIu64 "}", age_ms / 1000);
        } else {
            char port[16];

            if (e->port == 0) {
                snprintf(port, sizeof port, "LOCAL");
            } else {
                snprintf(port, sizeof port, "%" PRIu32, e->port);
            }
            strbuf_printf(out, "%5s  %4u  ", port, e->vlan);
            strbuf_put_mac(out, e->mac);
            strbuf_printf(out, "  %3" PRIu64 "\n", age_ms / 1000);
        }
        first = false;
    }
    if (json) {
        strbuf_puts(out, "]}");
    }
}

unsigned int
l2switch_fdb_flush(struct l2switch *sw)
{
    unsigned int n = mac_table_flush(sw->macs, NULL, NULL);

    /* One "everything" change rather than one per entry: every flow that
     * forwards to a learned port is now wrong. */
    l2_log_all(sw);
    return n;
}

void
l2switch_fdb_stats(const struct l2switch *sw, bool json, struct strbuf *out)
{
    struct l2switch_stats s;

    l2switch_get_stats(sw, &s);
    if (json) {
        strbuf_puts(out, "{\"bridge\":");
        l2_json_string(out, sw->name);
        strbuf_printf(out, ",\"entries\":%" PRIu32 ",\"max_entries\":%" PRIu32
                      ",\"static_entries\":0,\"learned\":%" PRIu64 ",\"expired\":%" PRIu64
                      ",\"evicted\":%" PRIu64 ",\"moved\":%" PRIu64 ",\"flushed\":%" PRIu64
                      ",\"overflow\":%" PRIu64 ",\"upcalls\":%" PRIu64
                      ",\"upcall_errors\":%" PRIu64 ",\"installs\":%" PRIu64
                      ",\"execute_only\":%" PRIu64 ",\"put_duplicates\":%" PRIu64
                      ",\"put_errors\":%" PRIu64 ",\"execute_errors\":%" PRIu64 "}",
                      s.mac.n_entries, s.mac.max_entries, s.mac.learned, s.mac.expired,
                      s.mac.evicted, s.mac.moved, s.mac.flushed, s.overflow, s.upcalls,
                      s.upcall_errors, s.installs, s.execute_only, s.put_duplicates,
                      s.put_errors, s.execute_errors);
        return;
    }
    strbuf_printf(out, "Statistics for bridge \"%s\":\n", sw->name);
    strbuf_printf(out, "  Current/maximum MAC entries in the table: %" PRIu32 "/%" PRIu32 "\n",
                  s.mac.n_entries, s.mac.max_entries);
    strbuf_puts(out, "  Current static MAC entries in the table : 0\n");
    strbuf_printf(out, "  Total number of learned MAC entries     : %" PRIu64 "\n",
                  s.mac.learned);
    strbuf_printf(out, "  Total number of expired MAC entries     : %" PRIu64 "\n",
                  s.mac.expired);
    strbuf_printf(out, "  Total number of evicted MAC entries     : %" PRIu64 "\n",
                  s.mac.evicted);
    strbuf_printf(out, "  Total number of port moved MAC entries  : %" PRIu64 "\n",
                  s.mac.moved);
    strbuf_printf(out, "  Total number of flushed MAC entries     : %" PRIu64 "\n",
                  s.mac.flushed);
    strbuf_printf(out, "  Sources not learned (table full)        : %" PRIu64 "\n",
                  s.overflow);
    strbuf_printf(out, "  Upcalls handled / failed                : %" PRIu64 " / %" PRIu64
                  "\n", s.upcalls, s.upcall_errors);
    strbuf_printf(out, "  Flows asked / forwarded without a flow  : %" PRIu64 " / %" PRIu64
                  "\n", s.installs, s.execute_only);
    strbuf_printf(out, "  Flow puts duplicate / failed            : %" PRIu64 " / %" PRIu64
                  "\n", s.put_duplicates, s.put_errors);
    strbuf_printf(out, "  Packets not executed                    : %" PRIu64 "\n",
                  s.execute_errors);
}
