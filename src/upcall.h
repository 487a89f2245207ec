/* upcall: the per-worker queue of packets sent up to the slow path, each one
 * an OVS_PACKET_CMD_MISS or OVS_PACKET_CMD_ACTION netlink message shaped
 * exactly as the OVS kernel datapath sends it (ovs_header, then
 * OVS_PACKET_ATTR_KEY, _USERDATA, _PACKET).
 *
 * A single-producer single-consumer ring of fixed-size slots: the worker that
 * owns it is the only producer (upcall_enqueue), the control thread the only
 * consumer (upcall_ring_peek / _release).  No locks.  The producer writes the
 * eventfd only when the ring goes from empty to non-empty, so a busy queue
 * costs no syscalls; a full ring drops the upcall and counts it as lost, as
 * OVS does.  upcall_ring_create() allocates; upcall_ring_destroy() frees
 * (after the worker has stopped). */
#ifndef XSW_UPCALL_H
#define XSW_UPCALL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/openvswitch.h>

#include "flow_key.h"
#include "packet.h"

struct upcall_ring;

/* Room a slot needs for a frame of frame_len bytes: headers, key, userdata. */
#define UPCALL_OVERHEAD 1024

struct upcall_ring_stats {
    uint64_t queued;            /* messages enqueued */
    uint64_t lost;              /* dropped because the ring was full */
    uint64_t too_big;           /* dropped because a message did not fit a slot */
};

/* n_slots: power of two; slot_size: the largest message (frame + overhead). */
int upcall_ring_create(unsigned int n_slots, uint32_t slot_size, struct upcall_ring **ringp);
void upcall_ring_destroy(struct upcall_ring *ring);

/* The eventfd the control thread watches (EV_READ). */
int upcall_ring_fd(const struct upcall_ring *ring);

/* What an upcall says, beyond the packet itself. */
struct upcall_info {
    uint16_t family;            /* ovs_packet family id */
    uint8_t cmd;                /* OVS_PACKET_CMD_MISS or OVS_PACKET_CMD_ACTION */
    int dp_ifindex;
    uint32_t portid;            /* netlink port id the upcall is for (nlmsg_pid) */
    const struct flow_key *key; /* the datapath's key of the packet */
    const void *userdata;       /* OVS_USERSPACE_ATTR_USERDATA payload, or NULL */
    size_t userdata_len;
};

/* Worker side: builds the message into the next slot and publishes it.
 * Returns 0, or -ENOBUFS (ring full: counted lost) or -EMSGSIZE (too big). */
int upcall_enqueue(struct upcall_ring *ring, const struct upcall_info *info,
                   const struct packet *pkt);

/* Control side: the oldest message, or NULL if the ring is empty. */
const void *upcall_ring_peek(struct upcall_ring *ring, uint32_t *len);
/* Frees the slot upcall_ring_peek() returned. */
void upcall_ring_release(struct upcall_ring *ring);
/* Clears the eventfd's counter; call before draining so that a message
 * published during the drain wakes the loop again. */
void upcall_ring_clear_wakeup(struct upcall_ring *ring);

/* Control side, any time: a consistent-enough copy of the counters. */
void upcall_ring_get_stats(const struct upcall_ring *ring, struct upcall_ring_stats *stats);

/* Decoded view of an upcall message, for the slow path and tests. */
struct upcall_msg {
    uint8_t cmd;
    int dp_ifindex;
    const void *key;            /* OVS_KEY_ATTR_* run */
    size_t key_len;
    const void *packet;
    size_t packet_len;
    const void *userdata;       /* NULL when absent */
    size_t userdata_len;
};

/* Parses an OVS_PACKET_CMD_MISS / _ACTION message (from the ring or from a
 * client); -EINVAL if it is not one. */
int upcall_msg_parse(const void *msg, size_t len, struct upcall_msg *out);

#endif /* XSW_UPCALL_H */
