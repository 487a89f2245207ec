/* port_tap: a bridge's internal port, a TAP device named after the bridge,
 * through which the host's own stack sends and receives via the switch (as an
 * OVS internal port does).
 *
 * The control thread opens and closes it.  Reads happen on the control thread
 * (the fd is registered with libevent); writes may come from any worker, each
 * write(2) on a TAP fd being one whole frame.  The device exists while the fd
 * is open: closing it (or the daemon dying) removes it. */
#ifndef XSW_PORT_TAP_H
#define XSW_PORT_TAP_H 1

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xsw_err.h"

struct port_tap {
    int fd;
    int ifindex;
    char name[16];
    uint8_t mac[6];
    /* Written by workers with relaxed atomics, read by the control thread. */
    uint64_t tx_packets, tx_bytes, tx_errors;
    uint64_t rx_packets, rx_bytes;
};

/* Creates the TAP device NAME (non-blocking fd, no packet-info header) and
 * brings it up.  A device of that name that exists already is an error
 * (-EEXIST): xswd never takes over an interface it did not create. */
int port_tap_open(const char *name, struct port_tap *tap, struct xsw_err *err);
void port_tap_close(struct port_tap *tap);

/* One frame from the host stack: its length, 0 when none is waiting, or a
 * negative errno. */
ssize_t port_tap_recv(struct port_tap *tap, void *buf, size_t size);

/* One frame to the host stack; counts errors instead of failing (the host
 * stack being slow must not stall the switch). */
void port_tap_send(struct port_tap *tap, const void *frame, size_t len);

#endif /* XSW_PORT_TAP_H */
