/* ctl_cmds: the commands of xsw_ctl (XSW_CTL_CMD_EXEC), what ovs-appctl
 * reaches in OVS: worker statistics, upcall queues, log level, version.
 *
 * Thread: the control thread (the handler runs from ctl_server).  The
 * command set is one table in ctl_cmds.c of {name, argument counts, usage,
 * function}: a new command is a function and a line there.  Each command
 * answers text in the style of ovs-appctl, or one JSON object with
 * XSW_CTL_FORMAT_JSON; the reply's status is 0 on success, 1 when the
 * command ran and failed, 2 for an unknown command or wrong arguments (the
 * text then says what is allowed: for an unknown command, every command
 * with its usage).
 *
 *   pmd-stats          per worker, as dpif-netdev/pmd-stats-show: packets
 *                      received, EMC and megaflow hits, misses with a queued
 *                      ("success") and a dropped ("failed") upcall, subtable
 *                      lookups per megaflow hit (switch-wide: datapaths
 *                      count lookups, not workers), idle and processing
 *                      cycles, cycles per packet, and the rx queues polled
 *   pmd-stats-clear    makes pmd-stats count from now on (baselines; the
 *                      workers' counters are not touched)
 *   upcall-stats       upcall queues (queued, lost, handled) and where each
 *                      datapath's and port's upcalls go
 *   log-level [LEVEL]  shows, or sets, the log level (error, warn, info,
 *                      debug)
 *   version            xswd's version
 *
 * Ownership: ctl_cmds_register() allocates the baselines and hands them to
 * the server as the handler's context; ctl_cmds_unregister() takes them back
 * and frees them (call it before ctl_server_destroy()). */
#ifndef XSW_CTL_CMDS_H
#define XSW_CTL_CMDS_H 1

#include <stdbool.h>
#include <stddef.h>

#include "xsw_err.h"

struct ctl_server;
struct dp_switch;

/* Registers the XSW_CTL_CMD_EXEC handler for the switch sw. */
/* A command served by another module (the daemon's fdb-show, reload, ...):
 * argv[0] is the command, argc counts it; the reply text (or JSON when json
 * is set) goes to out; returns the exit status (0, 1 failed, 2 usage). */
struct strbuf;
typedef int ctl_cmds_fn(void *aux, int argc, const char *const argv[], bool json,
                        struct strbuf *out);

struct ctl_cmds_ext {
    const char *name;
    int min_args, max_args;         /* after the name */
    const char *usage;              /* the arguments, "" for none */
    ctl_cmds_fn *fn;
};

/* Registers the built-in commands, plus n_ext commands of ext[] served with
 * ext_aux (ext may be NULL; the table must outlive the registration). */
int ctl_cmds_register(struct ctl_server *server, struct dp_switch *sw,
                      const struct ctl_cmds_ext *ext, size_t n_ext, void *ext_aux,
                      struct xsw_err *err);

/* Removes the handler that ctl_cmds_register() registered and frees its
 * state; a no-op if none is registered. */
void ctl_cmds_unregister(struct ctl_server *server);

#endif /* XSW_CTL_CMDS_H */
