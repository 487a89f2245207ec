/* actions: executes a validated OVS_ACTION_ATTR_* list on one packet, as the
 * kernel datapath's do_execute_actions() does.
 *
 * Runs on the thread that owns the packet (a worker, or the control thread for
 * a packet it built).  Actions rewrite the packet in place (checksums fixed
 * incrementally); everything that leaves the packet's bytes goes through the
 * caller's actions_ops, so that the worker decides how frames move:
 *  - output as the last action hands the packet itself over (a descriptor
 *    move); an output followed by more actions hands over a copy made by
 *    ops->clone, so one frame to several ports copies all but the last;
 *  - userspace sends a copy up (the packet goes on);
 *  - recirc hands the packet back for another lookup.
 * A packet that ends the list without being handed over is freed with
 * ops->free.  The list must have passed odp_actions_validate(): lengths are
 * not checked again here. */
#ifndef XSW_ACTIONS_H
#define XSW_ACTIONS_H 1

#include <stddef.h>
#include <stdint.h>

#include "flow_key.h"
#include "packet.h"

struct nlattr;

struct actions_ops {
    /* Takes ownership of pkt: transmit on port (pkt->cutlen, if set, is the
     * number of bytes to send). */
    void (*output)(void *aux, struct packet *pkt, uint32_t port);
    /* A copy of pkt in a frame of its own, or NULL when none is free. */
    struct packet *(*clone)(void *aux, const struct packet *pkt);
    /* Takes ownership of pkt. */
    void (*free)(void *aux, struct packet *pkt);
    /* Sends pkt up as OVS_PACKET_CMD_ACTION; userspace is the action's
     * nested attribute list (pid, userdata, ...).  pkt stays the caller's. */
    void (*userspace)(void *aux, const struct packet *pkt, const struct nlattr *userspace);
    /* Takes ownership of pkt: look it up again with pkt->md.recirc_id set. */
    void (*recirc)(void *aux, struct packet *pkt);
    void *aux;
};

struct actions_stats {
    uint64_t no_clone;          /* an output or clone skipped: no free frame */
    uint64_t no_headroom;       /* push_vlan without 4 bytes of headroom */
};

/* Executes actions[0..len) on pkt.  key is pkt's flow key as extracted
 * (used for hash() and to find headers); ofs its header offsets.  Consumes
 * pkt in every case. */
void actions_execute(const void *actions, size_t len, struct packet *pkt,
                     const struct flow_key *key, const struct flow_offsets *ofs,
                     const struct actions_ops *ops, struct actions_stats *stats);

/* Sampling decisions come from this per-thread generator (xorshift), so a
 * worker never calls into libc's locked random(). */
uint32_t actions_random(void);

#endif /* XSW_ACTIONS_H */
