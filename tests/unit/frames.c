/* frames: builders for test frames (see frames.h). */
#include "frames.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

const uint8_t frames_mac_a[6] = { 0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4 };
const uint8_t frames_mac_b[6] = { 0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2 };
const uint8_t frames_ip6_a[16] = {
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};
const uint8_t frames_ip6_b[16] = {
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x02, 0xe3, 0xff, 0xfe, 0x0f, 0x80, 0xa4
};

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t) (v >> 16));
    put16(p + 2, (uint16_t) v);
}

void
frames_init(struct frames_buf *f)
{
    memset(f, 0, sizeof *f);
    f->ip_ofs = SIZE_MAX;
    f->udp_ofs = SIZE_MAX;
}

/* Appends n bytes (zeros when data is NULL); a test that overflows the
 * buffer is a bug in the test, hence the assert. */
uint8_t *
frames_put(struct frames_buf *f, const void *data, size_t n)
{
    uint8_t *p = f->data + f->len;

    assert(n <= FRAMES_MAX - f->len);
    if (data) {
        memcpy(p, data, n);
    } else {
        memset(p, 0, n);
    }
    f->len += n;
    return p;
}

uint8_t *
frames_put_zeros(struct frames_buf *f, size_t n)
{
    return frames_put(f, NULL, n);
}

void
frames_eth_addrs(struct frames_buf *f, const uint8_t dst[6], const uint8_t src[6])
{
    frames_put(f, dst, 6);
    frames_put(f, src, 6);
}

void
frames_eth_type(struct frames_buf *f, uint16_t type)
{
    put16(frames_put_zeros(f, 2), type);
}

void
frames_eth(struct frames_buf *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    frames_eth_addrs(f, dst, src);
    frames_eth_type(f, type);
}

void
frames_vlan(struct frames_buf *f, uint16_t tpid, uint16_t tci)
{
    uint8_t *p = frames_put_zeros(f, 4);

    put16(p, tpid);
    put16(p + 2, tci);
}

void
frames_llc(struct frames_buf *f, uint8_t dsap, uint8_t ssap, uint8_t ctrl)
{
    uint8_t *p = frames_put_zeros(f, 3);

    p[0] = dsap;
    p[1] = ssap;
    p[2] = ctrl;
}

void
frames_snap(struct frames_buf *f, uint32_t oui, uint16_t type)
{
    uint8_t *p = frames_put_zeros(f, 5);

    p[0] = (uint8_t) (oui >> 16);
    p[1] = (uint8_t) (oui >> 8);
    p[2] = (uint8_t) oui;
    put16(p + 3, type);
}

void
frames_mpls(struct frames_buf *f, uint32_t label, uint8_t tc, int bos, uint8_t ttl)
{
    put32(frames_put_zeros(f, 4),
          (label & 0xfffff) << 12 | (uint32_t) (tc & 7) << 9 | (bos ? 1u : 0u) << 8 | ttl);
}

size_t
frames_ipv4(struct frames_buf *f, const struct frames_ipv4 *ip)
{
    size_t ofs = f->len;
    size_t hlen = 20 + ip->opt_len;
    uint8_t *p = frames_put_zeros(f, hlen);

    p[0] = (uint8_t) (0x40 | ((hlen / 4) & 0x0f));
    p[1] = ip->tos;
    put16(p + 4, 0x1234);
    put16(p + 6, ip->frag);
    p[8] = ip->ttl;
    p[9] = ip->proto;
    put32(p + 12, ip->src);
    put32(p + 16, ip->dst);
    for (size_t i = 20; i < hlen; i++) {
        p[i] = 0x01;                /* NOP options */
    }
    f->ip_ofs = ofs;
    return ofs;
}

size_t
frames_ipv6(struct frames_buf *f, const struct frames_ipv6 *ip)
{
    size_t ofs = f->len;
    uint8_t *p = frames_put_zeros(f, 40);

    put32(p, 6u << 28 | (uint32_t) ip->tclass << 20 | (ip->label & 0xfffff));
    p[6] = ip->next;
    p[7] = ip->hlimit;
    memcpy(p + 8, ip->src, 16);
    memcpy(p + 24, ip->dst, 16);
    f->ip_ofs = ofs;
    return ofs;
}

void
frames_ipv6_opts(struct frames_buf *f, uint8_t next, uint8_t len8)
{
    uint8_t *p = frames_put_zeros(f, ((size_t) len8 + 1) * 8);

    p[0] = next;
    p[1] = len8;
    p[2] = 1;                       /* PadN covering the rest */
    p[3] = (uint8_t) (((size_t) len8 + 1) * 8 - 4);
}

void
frames_ipv6_ah(struct frames_buf *f, uint8_t next, uint8_t len4)
{
    uint8_t *p = frames_put_zeros(f, ((size_t) len4 + 2) * 4);

    p[0] = next;
    p[1] = len4;
    put32(p + 4, 0x100);            /* SPI */
}

void
frames_ipv6_frag(struct frames_buf *f, uint8_t next, uint16_t offset, int more)
{
    uint8_t *p = frames_put_zeros(f, 8);

    p[0] = next;
    put16(p + 2, (uint16_t) (offset << 3 | (more ? 1 : 0)));
    put32(p + 4, 0xdeadbeef);       /* identification */
}

void
frames_arp(struct frames_buf *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
           const uint8_t tha[6], uint32_t tpa)
{
    uint8_t *p = frames_put_zeros(f, 28);

    put16(p, 1);
    put16(p + 2, 0x0800);
    p[4] = 6;
    p[5] = 4;
    put16(p + 6, op);
    memcpy(p + 8, sha, 6);
    put32(p + 14, spa);
    memcpy(p + 18, tha, 6);
    put32(p + 24, tpa);
    f->ip_ofs = SIZE_MAX;
}

void
frames_tcp_doff(struct frames_buf *f, uint16_t src, uint16_t dst, uint16_t flags,
                uint8_t doff)
{
    size_t n = (size_t) doff * 4 < 20 ? 20 : (size_t) doff * 4;
    uint8_t *p = frames_put_zeros(f, n);

    put16(p, src);
    put16(p + 2, dst);
    put32(p + 4, 1000);             /* sequence */
    put16(p + 12, (uint16_t) ((doff & 0x0f) << 12 | (flags & 0x0fff)));
    put16(p + 14, 65535);           /* window */
}

void
frames_tcp(struct frames_buf *f, uint16_t src, uint16_t dst, uint16_t flags)
{
    frames_tcp_doff(f, src, dst, flags, 5);
}

void
frames_udp(struct frames_buf *f, uint16_t src, uint16_t dst)
{
    f->udp_ofs = f->len;

    uint8_t *p = frames_put_zeros(f, 8);

    put16(p, src);
    put16(p + 2, dst);
}

void
frames_sctp(struct frames_buf *f, uint16_t src, uint16_t dst)
{
    uint8_t *p = frames_put_zeros(f, 12);

    put16(p, src);
    put16(p + 2, dst);
    put32(p + 4, 0x01020304);       /* verification tag */
}

void
frames_icmp(struct frames_buf *f, uint8_t type, uint8_t code)
{
    uint8_t *p = frames_put_zeros(f, 8);

    p[0] = type;
    p[1] = code;
}

void
frames_icmp6(struct frames_buf *f, uint8_t type, uint8_t code)
{
    frames_icmp(f, type, code);
}

void
frames_nd(struct frames_buf *f, uint8_t type, const uint8_t target[16])
{
    uint8_t *p = frames_put_zeros(f, 24);

    p[0] = type;
    if (type == 136) {
        p[4] = 0x60;                /* solicited, override */
    }
    memcpy(p + 8, target, 16);
}

void
frames_nd_opt(struct frames_buf *f, uint8_t type, uint8_t len8, const uint8_t *mac)
{
    size_t n = (size_t) len8 * 8 < 8 ? 8 : (size_t) len8 * 8;
    uint8_t *p = frames_put_zeros(f, n);

    p[0] = type;
    p[1] = len8;
    if (mac) {
        memcpy(p + 2, mac, 6);
    }
}

size_t
frames_finish(struct frames_buf *f)
{
    if (f->ip_ofs != SIZE_MAX) {
        uint8_t *ip = f->data + f->ip_ofs;

        if ((ip[0] >> 4) == 4) {
            put16(ip + 2, (uint16_t) (f->len - f->ip_ofs));
        } else if ((ip[0] >> 4) == 6) {
            put16(ip + 4, (uint16_t) (f->len - f->ip_ofs - 40));
        }
    }
    if (f->udp_ofs != SIZE_MAX) {
        put16(f->data + f->udp_ofs + 4, (uint16_t) (f->len - f->udp_ofs));
    }
    return f->len;
}

size_t
frames_eth_ipv4_tcp(struct frames_buf *f)
{
    struct frames_ipv4 ip = {
        .src = FRAMES_IP4_A, .dst = FRAMES_IP4_B, .proto = 6, .ttl = 64,
    };

    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x0800);
    frames_ipv4(f, &ip);
    frames_tcp(f, 12345, 80, 0x012);
    return frames_finish(f);
}

size_t
frames_vlan_ipv4_udp(struct frames_buf *f)
{
    struct frames_ipv4 ip = {
        .src = FRAMES_IP4_A, .dst = FRAMES_IP4_B, .proto = 17, .ttl = 64,
    };

    frames_init(f);
    frames_eth_addrs(f, frames_mac_a, frames_mac_b);
    frames_vlan(f, 0x8100, 3 << 13 | 10);
    frames_eth_type(f, 0x0800);
    frames_ipv4(f, &ip);
    frames_udp(f, 5353, 53);
    frames_put_zeros(f, 12);
    return frames_finish(f);
}

size_t
frames_eth_ipv6_tcp(struct frames_buf *f)
{
    struct frames_ipv6 ip = {
        .src = frames_ip6_a, .dst = frames_ip6_b, .next = 6, .hlimit = 64,
    };

    frames_init(f);
    frames_eth(f, frames_mac_a, frames_mac_b, 0x86dd);
    frames_ipv6(f, &ip);
    frames_tcp(f, 443, 33000, 0x010);
    return frames_finish(f);
}

size_t
frames_eth_arp(struct frames_buf *f)
{
    static const uint8_t zero[6];
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    frames_init(f);
    frames_eth(f, bcast, frames_mac_b, 0x0806);
    frames_arp(f, 1, frames_mac_b, FRAMES_IP4_A, zero, FRAMES_IP4_B);
    frames_put_zeros(f, 18);        /* pad to the 60-byte minimum */
    return frames_finish(f);
}
