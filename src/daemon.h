/* daemon: xswd put together: the config turned into datapaths and ports, the
 * control socket with its handlers, upcall delivery, signals and timers, all
 * on one libevent loop (the control thread).
 *
 * Control thread only.  daemon_create() builds everything or nothing (a
 * failure undoes what was done and says why); daemon_destroy() tears it
 * down in the order that leaves nothing behind: workers stopped, XDP programs
 * detached, TAP devices deleted, socket file removed. */
#ifndef XSW_DAEMON_H
#define XSW_DAEMON_H 1

#include "config.h"
#include "xsw_err.h"

struct daemon;

struct daemon_options {
    const char *config_path;        /* for messages and reload */
    const char *socket_path;        /* NULL: the config's */
};

/* Takes ownership of cfg. */
int daemon_create(const struct daemon_options *, struct xsw_config *cfg,
                  struct daemon **out, struct xsw_err *err);

/* Runs the event loop until SIGTERM or SIGINT.  Returns 0. */
int daemon_run(struct daemon *);

void daemon_destroy(struct daemon *);

#endif /* XSW_DAEMON_H */
