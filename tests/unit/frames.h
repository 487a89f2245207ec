/* frames: builders for test frames, one header at a time.
 *
 * Test code only, single-threaded.  A frame is built front to back in a
 * caller-owned struct frames_buf by appending headers; nothing is allocated.
 * Values are given in host order and written in network order.  Length and
 * next-header fields are written as given (tests build broken frames on
 * purpose); frames_finish() fills the IPv4 total length, IPv6 payload
 * length and UDP length of a well-formed frame. */
#ifndef XSW_TEST_FRAMES_H
#define XSW_TEST_FRAMES_H 1

#include <stddef.h>
#include <stdint.h>

#define FRAMES_MAX 2048

struct frames_buf {
    uint8_t data[FRAMES_MAX];
    size_t len;
    size_t ip_ofs;              /* last IPv4/IPv6 header, or SIZE_MAX */
    size_t udp_ofs;             /* last UDP header, or SIZE_MAX */
};

/* Addresses used by the canned frames below. */
extern const uint8_t frames_mac_a[6];
extern const uint8_t frames_mac_b[6];
extern const uint8_t frames_ip6_a[16];
extern const uint8_t frames_ip6_b[16];
#define FRAMES_IP4_A 0x0a000001u    /* 10.0.0.1 */
#define FRAMES_IP4_B 0xc0a80102u    /* 192.168.1.2 */

struct frames_ipv4 {
    uint32_t src, dst;          /* host order */
    uint8_t proto, tos, ttl;
    uint16_t frag;              /* flags and offset word: 0x2000 MF, low 13 bits offset */
    uint8_t opt_len;            /* option bytes after the 20-byte header, multiple of 4 */
};

struct frames_ipv6 {
    const uint8_t *src, *dst;   /* 16 bytes each */
    uint8_t next, tclass, hlimit;
    uint32_t label;             /* 20 bits */
};

void frames_init(struct frames_buf *);
uint8_t *frames_put(struct frames_buf *, const void *data, size_t n);
uint8_t *frames_put_zeros(struct frames_buf *, size_t n);

/* Layer 2. */
void frames_eth_addrs(struct frames_buf *, const uint8_t dst[6], const uint8_t src[6]);
void frames_eth_type(struct frames_buf *, uint16_t type);
void frames_eth(struct frames_buf *, const uint8_t dst[6], const uint8_t src[6], uint16_t type);
void frames_vlan(struct frames_buf *, uint16_t tpid, uint16_t tci);
void frames_llc(struct frames_buf *, uint8_t dsap, uint8_t ssap, uint8_t ctrl);
void frames_snap(struct frames_buf *, uint32_t oui, uint16_t type);
void frames_mpls(struct frames_buf *, uint32_t label, uint8_t tc, int bos, uint8_t ttl);

/* Layer 3; the ipv4/ipv6 builders return the header's offset. */
size_t frames_ipv4(struct frames_buf *, const struct frames_ipv4 *);
size_t frames_ipv6(struct frames_buf *, const struct frames_ipv6 *);
/* Hop-by-hop, routing or destination options: (len8 + 1) * 8 bytes. */
void frames_ipv6_opts(struct frames_buf *, uint8_t next, uint8_t len8);
/* Authentication header: (len4 + 2) * 4 bytes. */
void frames_ipv6_ah(struct frames_buf *, uint8_t next, uint8_t len4);
/* Fragment header; offset in 8-byte units. */
void frames_ipv6_frag(struct frames_buf *, uint8_t next, uint16_t offset, int more);
void frames_arp(struct frames_buf *, uint16_t op, const uint8_t sha[6], uint32_t spa,
                const uint8_t tha[6], uint32_t tpa);

/* Layer 4. */
void frames_tcp(struct frames_buf *, uint16_t src, uint16_t dst, uint16_t flags);
/* TCP with an explicit data offset (in 32-bit words) and that many bytes. */
void frames_tcp_doff(struct frames_buf *, uint16_t src, uint16_t dst, uint16_t flags,
                     uint8_t doff);
void frames_udp(struct frames_buf *, uint16_t src, uint16_t dst);
void frames_sctp(struct frames_buf *, uint16_t src, uint16_t dst);
void frames_icmp(struct frames_buf *, uint8_t type, uint8_t code);
void frames_icmp6(struct frames_buf *, uint8_t type, uint8_t code);
/* Neighbour Solicitation (135) or Advertisement (136) without options. */
void frames_nd(struct frames_buf *, uint8_t type, const uint8_t target[16]);
/* An ND option of len8 * 8 bytes; a 6-byte address for 1 (SLL) and 2 (TLL). */
void frames_nd_opt(struct frames_buf *, uint8_t type, uint8_t len8, const uint8_t *mac);

/* Fills length fields; returns the frame length. */
size_t frames_finish(struct frames_buf *);

/* Canned frames: mac_b -> mac_a, 10.0.0.1 -> 192.168.1.2 (or ip6_a -> ip6_b). */
size_t frames_eth_ipv4_tcp(struct frames_buf *);        /* 12345 -> 80, SYN|ACK */
size_t frames_vlan_ipv4_udp(struct frames_buf *);       /* vid 10 pcp 3; 5353 -> 53 */
size_t frames_eth_ipv6_tcp(struct frames_buf *);        /* 443 -> 33000, ACK */
size_t frames_eth_arp(struct frames_buf *);             /* request */

#endif /* XSW_TEST_FRAMES_H */
