#include "actions.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/openvswitch.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "csum.h"
#include "odp_actions.h"

/* Where an action list runs: the packet, what is known about its headers,
 * and how deep in sample()/clone() nesting we are. */
struct actions_run {
    struct packet *pkt;
    const struct flow_key *key;
    struct flow_offsets ofs;
    const struct actions_ops *ops;
    struct actions_stats *stats;
};

static __thread uint32_t actions_rng = 0x2545f491;

uint32_t
actions_random(void)
{
    uint32_t x = actions_rng;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    actions_rng = x;
    return x;
}

static bool
actions_has(const struct packet *p, uint16_t ofs, size_t n)
{
    return ofs != FLOW_OFS_NONE && (size_t) ofs + n <= p->len;
}

/* Applies value under mask to n bytes at dst (mask NULL: plain set). */
static void
actions_masked_copy(uint8_t *dst, const uint8_t *val, const uint8_t *mask, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = mask ? (uint8_t) ((dst[i] & ~mask[i]) | (val[i] & mask[i])) : val[i];
    }
}

static void
actions_set_eth(struct actions_run *r, const struct ovs_key_ethernet *v,
                const struct ovs_key_ethernet *m)
{
    if (r->pkt->len < ETH_HLEN) {
        return;
    }
    actions_masked_copy(r->pkt->data, v->eth_dst, m ? m->eth_dst : NULL, ETH_ALEN);
    actions_masked_copy(r->pkt->data + ETH_ALEN, v->eth_src, m ? m->eth_src : NULL, ETH_ALEN);
}

/* The L4 checksum field that covers the IP pseudo-header, or NULL. */
static uint8_t *
actions_l4_csum(struct actions_run *r, uint8_t proto, bool *udp)
{
    struct packet *p = r->pkt;

    *udp = false;
    if (r->key->nw_frag == OVS_FRAG_TYPE_LATER) {
        return NULL;
    }
    if (proto == IPPROTO_TCP && actions_has(p, r->ofs.l4, 20)) {
        return p->data + r->ofs.l4 + 16;
    }
    if (proto == IPPROTO_UDP && actions_has(p, r->ofs.l4, 8)) {
        *udp = true;
        return p->data + r->ofs.l4 + 6;
    }
    return NULL;
}

static void
actions_fix_l4_csum32(struct actions_run *r, uint8_t proto, uint32_t old, uint32_t new_)
{
    bool udp;
    uint8_t *f = actions_l4_csum(r, proto, &udp);
    uint16_t c;

    if (!f) {
        return;
    }
    memcpy(&c, f, 2);
    if (udp && !c) {
        return;     /* UDP over IPv4 without checksum stays without */
    }
    c = csum_replace32(c, old, new_);
    if (udp && !c) {
        c = 0xffff;
    }
    memcpy(f, &c, 2);
}

static void
actions_set_ipv4(struct actions_run *r, const struct ovs_key_ipv4 *v,
                 const struct ovs_key_ipv4 *m)
{
    static const struct ovs_key_ipv4 all = {
        .ipv4_src = 0xffffffff, .ipv4_dst = 0xffffffff, .ipv4_tos = 0xff, .ipv4_ttl = 0xff,
    };
    struct packet *p = r->pkt;
    uint8_t *ip;
    uint16_t csum;
    uint32_t old32, new32;

    if (!m) {
        m = &all;
    }
    if (!actions_has(p, r->ofs.l3, 20) || htons(ETH_P_IP) != r->key->eth_type) {
        return;
    }
    ip = p->data + r->ofs.l3;
    memcpy(&csum, ip + 10, 2);
    if (m->ipv4_tos || m->ipv4_ttl) {
        uint16_t old16, new16;

        /* tos is byte 1, ttl byte 8: each sits in its own 16-bit word. */
        memcpy(&old16, ip, 2);
        ip[1] = (uint8_t) ((ip[1] & ~m->ipv4_tos) | (v->ipv4_tos & m->ipv4_tos));
        memcpy(&new16, ip, 2);
        csum = csum_replace16(csum, old16, new16);
        memcpy(&old16, ip + 8, 2);
        ip[8] = (uint8_t) ((ip[8] & ~m->ipv4_ttl) | (v->ipv4_ttl & m->ipv4_ttl));
        memcpy(&new16, ip + 8, 2);
        csum = csum_replace16(csum, old16, new16);
    }
    for (int i = 0; i < 2; i++) {
        uint32_t val = i ? v->ipv4_dst : v->ipv4_src;
        uint32_t msk = i ? m->ipv4_dst : m->ipv4_src;
        uint8_t *f = ip + 12 + 4 * i;

        if (!msk) {
            continue;
        }
        memcpy(&old32, f, 4);
        new32 = (old32 & ~msk) | (val & msk);
        if (new32 != old32) {
            memcpy(f, &new32, 4);
            csum = csum_replace32(csum, old32, new32);
            actions_fix_l4_csum32(r, ip[9], old32, new32);
        }
    }
    memcpy(ip + 10, &csum, 2);
}

static void
actions_set_ipv6(struct actions_run *r, const struct ovs_key_ipv6 *v,
                 const struct ovs_key_ipv6 *m)
{
    struct packet *p = r->pkt;
    uint8_t *ip;

    if (!actions_has(p, r->ofs.l3, 40) || htons(ETH_P_IPV6) != r->key->eth_type) {
        return;
    }
    ip = p->data + r->ofs.l3;
    for (int i = 0; i < 2; i++) {
        const uint8_t *val = (const uint8_t *) (i ? v->ipv6_dst : v->ipv6_src);
        const uint8_t *msk = m ? (const uint8_t *) (i ? m->ipv6_dst : m->ipv6_src) : NULL;
        uint8_t *f = ip + 8 + 16 * i;
        uint8_t old[16];
        bool udp;
        uint8_t *l4;

        memcpy(old, f, 16);
        actions_masked_copy(f, val, msk, 16);
        l4 = actions_l4_csum(r, r->key->nw_proto, &udp);
        if (l4 && memcmp(old, f, 16)) {
            uint16_t c;

            memcpy(&c, l4, 2);
            c = csum_replace128(c, old, f);
            if (udp && !c) {
                c = 0xffff;
            }
            memcpy(l4, &c, 2);
        }
    }
    {
        /* Version(4) | tclass(8) | label(20), all in the first word. */
        uint32_t w, tc_m = m ? m->ipv6_tclass : 0xff, lb_m = m ? ntohl(m->ipv6_label) : 0xfffff;
        uint32_t want = (uint32_t) v->ipv6_tclass << 20 | (ntohl(v->ipv6_label) & 0xfffff);
        uint32_t mask = tc_m << 20 | (lb_m & 0xfffff);

        memcpy(&w, ip, 4);
        w = ntohl(w);
        w = (w & ~mask) | (want & mask);
        w = htonl(w);
        memcpy(ip, &w, 4);
        ip[7] = (uint8_t) ((ip[7] & ~(m ? m->ipv6_hlimit : 0xff))
                           | (v->ipv6_hlimit & (m ? m->ipv6_hlimit : 0xff)));
    }
}

/* Sets the two 16-bit ports of TCP/UDP/SCTP; csum_ofs is the checksum's
 * offset in the L4 header (-1 for SCTP, which uses CRC32c). */
static void
actions_set_ports(struct actions_run *r, uint8_t proto, const uint16_t v[2],
                  const uint16_t *m, size_t hdr_len, int csum_ofs)
{
    struct packet *p = r->pkt;
    uint8_t *l4;
    uint16_t old[2], new_[2];

    if (r->key->nw_proto != proto || r->key->nw_frag == OVS_FRAG_TYPE_LATER
        || !actions_has(p, r->ofs.l4, hdr_len)) {
        return;
    }
    l4 = p->data + r->ofs.l4;
    memcpy(old, l4, 4);
    for (int i = 0; i < 2; i++) {
        new_[i] = m ? (uint16_t) ((old[i] & ~m[i]) | (v[i] & m[i])) : v[i];
    }
    memcpy(l4, new_, 4);
    if (csum_ofs >= 0) {
        uint16_t c;

        memcpy(&c, l4 + csum_ofs, 2);
        if (proto == IPPROTO_UDP && !c) {
            return;
        }
        c = csum_replace16(c, old[0], new_[0]);
        c = csum_replace16(c, old[1], new_[1]);
        if (proto == IPPROTO_UDP && !c) {
            c = 0xffff;
        }
        memcpy(l4 + csum_ofs, &c, 2);
    } else {
        uint32_t crc, zero = 0;
        size_t n = p->len - r->ofs.l4;

        memcpy(l4 + 8, &zero, 4);
        crc = csum_crc32c(l4, n);
        /* The CRC goes on the wire least significant byte first. */
        l4[8] = (uint8_t) crc;
        l4[9] = (uint8_t) (crc >> 8);
        l4[10] = (uint8_t) (crc >> 16);
        l4[11] = (uint8_t) (crc >> 24);
    }
}

static void
actions_set(struct actions_run *r, const struct nlattr *a, bool masked)
{
    const struct nlattr *k = mnl_attr_get_payload(a);
    const uint8_t *v = mnl_attr_get_payload(k);
    size_t half = mnl_attr_get_payload_len(k) / (masked ? 2 : 1);
    const uint8_t *m = masked ? v + half : NULL;

    switch (mnl_attr_get_type(k)) {
    case OVS_KEY_ATTR_ETHERNET:
        actions_set_eth(r, (const void *) v, (const void *) m);
        break;
    case OVS_KEY_ATTR_IPV4:
        actions_set_ipv4(r, (const void *) v, (const void *) m);
        break;
    case OVS_KEY_ATTR_IPV6:
        actions_set_ipv6(r, (const void *) v, (const void *) m);
        break;
    case OVS_KEY_ATTR_TCP:
        actions_set_ports(r, IPPROTO_TCP, (const void *) v, (const void *) m, 20, 16);
        break;
    case OVS_KEY_ATTR_UDP:
        actions_set_ports(r, IPPROTO_UDP, (const void *) v, (const void *) m, 8, 6);
        break;
    case OVS_KEY_ATTR_SCTP:
        actions_set_ports(r, IPPROTO_SCTP, (const void *) v, (const void *) m, 12, -1);
        break;
    case OVS_KEY_ATTR_PRIORITY: {
        uint32_t val, msk = 0xffffffff;

        memcpy(&val, v, 4);
        if (m) {
            memcpy(&msk, m, 4);
        }
        r->pkt->md.priority = (r->pkt->md.priority & ~msk) | (val & msk);
        break;
    }
    case OVS_KEY_ATTR_SKB_MARK: {
        uint32_t val, msk = 0xffffffff;

        memcpy(&val, v, 4);
        if (m) {
            memcpy(&msk, m, 4);
        }
        r->pkt->md.skb_mark = (r->pkt->md.skb_mark & ~msk) | (val & msk);
        break;
    }
    default:
        break;
    }
}

static void
actions_shift_ofs(struct flow_offsets *ofs, int delta)
{
    if (ofs->l3 != FLOW_OFS_NONE) {
        ofs->l3 = (uint16_t) (ofs->l3 + delta);
    }
    if (ofs->l4 != FLOW_OFS_NONE) {
        ofs->l4 = (uint16_t) (ofs->l4 + delta);
    }
}

static void
actions_push_vlan(struct actions_run *r, const struct ovs_action_push_vlan *pv)
{
    struct packet *p = r->pkt;
    uint16_t tci = pv->vlan_tci & htons((uint16_t) ~FLOW_VLAN_CFI);

    if (p->headroom < 4 || p->len < 2 * ETH_ALEN) {
        r->stats->no_headroom++;
        return;
    }
    memmove(p->data - 4, p->data, 2 * ETH_ALEN);
    packet_pull(p, -4);
    memcpy(p->data + 12, &pv->vlan_tpid, 2);
    memcpy(p->data + 14, &tci, 2);
    actions_shift_ofs(&r->ofs, 4);
    r->ofs.l2_5 = 12;
}

static void
actions_pop_vlan(struct actions_run *r)
{
    struct packet *p = r->pkt;
    uint16_t tpid;

    if (p->len < ETH_HLEN + 4) {
        return;
    }
    memcpy(&tpid, p->data + 12, 2);
    if (tpid != htons(ETH_P_8021Q) && tpid != htons(ETH_P_8021AD)) {
        return;
    }
    memmove(p->data + 4, p->data, 2 * ETH_ALEN);
    packet_pull(p, 4);
    actions_shift_ofs(&r->ofs, -4);
}

static void actions_run_list(struct actions_run *r, const void *actions, size_t len);

/* Runs a nested list (sample, clone) on a copy of the packet, or on the
 * packet itself when nothing follows in the outer list. */
static void
actions_run_nested(struct actions_run *r, const void *list, size_t len, bool last)
{
    struct actions_run sub = *r;

    if (!last) {
        sub.pkt = r->ops->clone(r->ops->aux, r->pkt);
        if (!sub.pkt) {
            r->stats->no_clone++;
            return;
        }
    }
    actions_run_list(&sub, list, len);
    if (last) {
        r->pkt = NULL;
    }
}

static void
actions_sample(struct actions_run *r, const struct nlattr *a, bool last)
{
    const struct nlattr *n, *list = NULL;
    uint32_t prob = 0;

    mnl_attr_for_each_nested(n, a) {
        if (mnl_attr_get_type(n) == OVS_SAMPLE_ATTR_PROBABILITY) {
            prob = mnl_attr_get_u32(n);
        } else if (mnl_attr_get_type(n) == OVS_SAMPLE_ATTR_ACTIONS) {
            list = n;
        }
    }
    if (!list || !prob || (prob != UINT32_MAX && actions_random() > prob)) {
        return;
    }
    actions_run_nested(r, mnl_attr_get_payload(list), mnl_attr_get_payload_len(list), last);
}

static uint32_t
actions_hash(const struct flow_key *k, uint32_t basis)
{
    uint32_t h = basis;

    /* The L4 5-tuple, like the kernel's skb_get_hash() for hash(l4). */
    h = flow_hash_add64(h, (uint64_t) k->nw_src << 32 | k->nw_dst);
    h = flow_hash_add64(h, (uint64_t) k->tp_src << 16 | k->tp_dst | (uint64_t) k->nw_proto << 32);
    for (int i = 0; i < 16; i += 8) {
        uint64_t a, b;

        memcpy(&a, k->ipv6_src + i, 8);
        memcpy(&b, k->ipv6_dst + i, 8);
        h = flow_hash_add64(h, a ^ b);
    }
    h = flow_hash_finish(h);
    return h ? h : 1;
}

static void
actions_run_list(struct actions_run *r, const void *actions, size_t len)
{
    const struct nlattr *a;

    for (a = actions; mnl_attr_ok(a, (int) ((const char *) actions + len - (const char *) a));
         a = mnl_attr_next(a)) {
        const struct nlattr *next = mnl_attr_next(a);
        bool last = !mnl_attr_ok(next, (int) ((const char *) actions + len - (const char *) next));

        if (!r->pkt) {
            return;
        }
        switch (mnl_attr_get_type(a)) {
        case OVS_ACTION_ATTR_OUTPUT: {
            uint32_t port = mnl_attr_get_u32(a);

            if (last) {
                r->ops->output(r->ops->aux, r->pkt, port);
                r->pkt = NULL;
            } else {
                struct packet *copy = r->ops->clone(r->ops->aux, r->pkt);

                if (copy) {
                    r->ops->output(r->ops->aux, copy, port);
                } else {
                    r->stats->no_clone++;
                }
            }
            /* trunc() applies to the outputs that follow it, once each. */
            if (r->pkt) {
                r->pkt->cutlen = 0;
            }
            break;
        }
        case OVS_ACTION_ATTR_USERSPACE:
            r->ops->userspace(r->ops->aux, r->pkt, a);
            break;
        case OVS_ACTION_ATTR_SET:
            actions_set(r, a, false);
            break;
        case OVS_ACTION_ATTR_SET_MASKED:
            actions_set(r, a, true);
            break;
        case OVS_ACTION_ATTR_PUSH_VLAN:
            actions_push_vlan(r, mnl_attr_get_payload(a));
            break;
        case OVS_ACTION_ATTR_POP_VLAN:
            actions_pop_vlan(r);
            break;
        case OVS_ACTION_ATTR_TRUNC: {
            const struct ovs_action_trunc *t = mnl_attr_get_payload(a);

            if (t->max_len < r->pkt->len) {
                r->pkt->cutlen = t->max_len;
            }
            break;
        }
        case OVS_ACTION_ATTR_SAMPLE:
            actions_sample(r, a, last);
            break;
        case OVS_ACTION_ATTR_CLONE:
            actions_run_nested(r, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), last);
            break;
        case OVS_ACTION_ATTR_RECIRC: {
            struct packet *p = last ? r->pkt : r->ops->clone(r->ops->aux, r->pkt);

            if (p) {
                p->md.recirc_id = mnl_attr_get_u32(a);
                r->ops->recirc(r->ops->aux, p);
            } else {
                r->stats->no_clone++;
            }
            if (last) {
                r->pkt = NULL;
            }
            break;
        }
        case OVS_ACTION_ATTR_HASH: {
            const struct ovs_action_hash *h = mnl_attr_get_payload(a);

            r->pkt->md.dp_hash = actions_hash(r->key, h->hash_basis);
            break;
        }
        case ODP_ACTION_ATTR_DROP:
        default:
            r->ops->free(r->ops->aux, r->pkt);
            r->pkt = NULL;
            return;
        }
    }
    if (r->pkt) {
        r->ops->free(r->ops->aux, r->pkt);
        r->pkt = NULL;
    }
}

void
actions_execute(const void *actions, size_t len, struct packet *pkt,
                const struct flow_key *key, const struct flow_offsets *ofs,
                const struct actions_ops *ops, struct actions_stats *stats)
{
    struct actions_run r = {
        .pkt = pkt,
        .key = key,
        .ofs = *ofs,
        .ops = ops,
        .stats = stats,
    };

    actions_run_list(&r, actions, len);
}
