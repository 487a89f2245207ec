/* packet: a frame being switched, as the worker and the actions see it.
 *
 * A packet is a view of bytes that live elsewhere (a umem frame, or a buffer
 * owned by whoever built the packet); it allocates nothing.  Only the thread
 * that holds a packet touches it. */
#ifndef XSW_PACKET_H
#define XSW_PACKET_H 1

#include <stdint.h>

#include "flow_key.h"

#define PACKET_ADDR_NONE UINT64_MAX

struct packet {
    uint8_t *data;              /* first byte of the Ethernet header */
    uint32_t len;
    uint32_t headroom;          /* bytes before data that may be claimed (push_vlan) */
    uint32_t tailroom;          /* bytes after data + len that may be used */
    uint64_t addr;              /* umem address of data, or PACKET_ADDR_NONE */
    uint32_t cutlen;            /* trunc(): bytes to send at the next output, 0 = all */
    struct flow_meta md;        /* in_port, recirc_id, dp_hash, skb_mark, priority */
};

/* Moves the start of the packet by delta bytes (negative: grows at the front,
 * as push_vlan needs).  The caller has checked headroom / len. */
static inline void
packet_pull(struct packet *p, int32_t delta)
{
    p->data += delta;
    p->len -= (uint32_t) delta;
    p->headroom += (uint32_t) delta;
    if (p->addr != PACKET_ADDR_NONE) {
        p->addr += (uint64_t) (int64_t) delta;
    }
}

#endif /* XSW_PACKET_H */
