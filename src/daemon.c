/* daemon: see daemon.h. */
#include "daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <event2/event.h>
#include <urcu-qsbr.h>
#include <xdp/libxdp.h>

#include "ctl_cmds.h"
#include "ctl_server.h"
#include "datapath.h"
#include "log.h"
#include "ovs_genl.h"
#include "sd_notify.h"

#define DAEMON_TICK_MS 1000

struct daemon {
    struct daemon_options opts;
    char bpf_path[4096];
    struct xsw_config *cfg;
    struct event_base *base;
    struct dp_switch *sw;
    struct ctl_server *ctl;
    struct event *sig_term, *sig_int, *sig_hup, *tick;
    uint64_t upcalls_unclaimed;     /* misses nobody subscribed to */
};

/* libxdp and libbpf narrate every attach, including the dispatcher's
 * self-check that fails here by design: their info goes to debug. */
static int
daemon_lib_print(const char *fmt, va_list ap)
{
    char buf[512];
    size_t n;

    vsnprintf(buf, sizeof buf, fmt, ap);
    n = strlen(buf);
    while (n && buf[n - 1] == '\n') {
        buf[--n] = '\0';
    }
    log_debug("%s", buf);
    return 0;
}

static int
daemon_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    (void) level;
    return daemon_lib_print(fmt, ap);
}

static int
daemon_libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
    (void) level;
    return daemon_lib_print(fmt, ap);
}

/* The XDP program: the installed one, else the one beside a xswd run from
 * its build tree (build/xswd, build/bpf/), so tests and the demo need no
 * install. */
static void
daemon_find_bpf(struct daemon *d)
{
    static const char file[] = "xsw_redirect.bpf.o";
    char exe[4000];
    ssize_t n;
    char *slash;

    snprintf(d->bpf_path, sizeof d->bpf_path, "%s/%s", XSW_BPF_DIR, file);
    if (access(d->bpf_path, R_OK) == 0) {
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        return;
    }
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        snprintf(d->bpf_path, sizeof d->bpf_path, "%s/bpf/%s", exe, file);
        if (access(d->bpf_path, R_OK)) {
            snprintf(d->bpf_path, sizeof d->bpf_path, "%s/%s", XSW_BPF_DIR, file);
        }
    }
}

/* Upcalls go to the client whose port id the vport or datapath names (a
 * slow path running outside xswd, as ovs-vswitchd against the kernel);
 * with none, they are counted and dropped. */
static void
daemon_upcall(void *aux, struct datapath *dp, const void *msg, size_t len)
{
    struct daemon *d = aux;
    const struct nlmsghdr *nlh = msg;

    (void) dp;
    if (nlh->nlmsg_pid && ctl_server_send(d->ctl, nlh->nlmsg_pid, msg, len) == 0) {
        return;
    }
    d->upcalls_unclaimed++;
}

static void
daemon_stop_cb(evutil_socket_t sig, short what, void *arg)
{
    struct daemon *d = arg;

    (void) what;
    log_info("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    event_base_loopbreak(d->base);
}

static void
daemon_hup_cb(evutil_socket_t sig, short what, void *arg)
{
    (void) sig;
    (void) what;
    (void) arg;
    log_warn("SIGHUP: live reload is not available in this version; "
             "restart xswd to apply configuration changes");
}

static void
daemon_tick_cb(evutil_socket_t fd, short what, void *arg)
{
    struct daemon *d = arg;

    (void) fd;
    (void) what;
    dp_switch_run(d->sw);
}

static enum port_xsk_xdp_mode
daemon_xdp_mode(enum config_xdp_mode m)
{
    return m == CONFIG_XDP_NATIVE ? PORT_XSK_XDP_NATIVE
           : m == CONFIG_XDP_SKB ? PORT_XSK_XDP_SKB : PORT_XSK_XDP_AUTO;
}

static enum port_xsk_bind_mode
daemon_bind_mode(enum config_zero_copy z)
{
    return z == CONFIG_ZC_YES ? PORT_XSK_BIND_ZEROCOPY
           : z == CONFIG_ZC_NO ? PORT_XSK_BIND_COPY : PORT_XSK_BIND_AUTO;
}

/* Builds the datapaths and ports of the config.  A port whose device cannot
 * be opened is logged and left out (a NIC may come later); a bridge that
 * cannot be created fails the start. */
static int
daemon_apply_config(struct daemon *d, struct xsw_err *err)
{
    const struct xsw_config *cfg = d->cfg;

    for (size_t i = 0; i < cfg->n_bridges; i++) {
        const struct config_bridge *br = &cfg->bridges[i];
        struct datapath *dp;
        int error;

        error = dp_create(d->sw, br->name, br->internal_port, 0, &dp, err);
        if (error) {
            xsw_err_prefix(err, "[bridge]");
            return error;
        }
        for (size_t k = 0; k < cfg->n_ports; k++) {
            const struct config_port *p = &cfg->ports[k];
            struct dp_port_config pc = {
                .devname = p->interface,
                .port_no = p->port_no,
                .xdp_mode = daemon_xdp_mode(p->xdp_mode),
                .bind_mode = daemon_bind_mode(p->zero_copy),
                .n_queues = p->queues,
            };
            struct xsw_err perr = { "" };

            if (strcmp(p->bridge, br->name)) {
                continue;
            }
            if (dp_port_add(dp, &pc, NULL, &perr)) {
                log_error("[port.%s]: %s", p->name, perr.msg);
            }
        }
    }
    return 0;
}

static int
daemon_add_signal(struct daemon *d, struct event **ev, int sig,
                  event_callback_fn cb, struct xsw_err *err)
{
    *ev = evsignal_new(d->base, sig, cb, d);
    if (!*ev || evsignal_add(*ev, NULL)) {
        return xsw_err_set(err, ENOMEM, "cannot watch signal %d", sig);
    }
    return 0;
}

int
daemon_create(const struct daemon_options *opts, struct xsw_config *cfg,
              struct daemon **out, struct xsw_err *err)
{
    const struct config_global *g = &cfg->global;
    struct dp_switch_config sc = {
        .n_workers = g->workers,
        .umem_frames = g->umem_frames,
        .frame_size = g->frame_size,
        .upcall_queue_len = g->upcall_queue_len,
        .max_flows = g->max_flows,
        .emc_entries = g->emc_entries,
        .emc_insert_inv_prob = g->emc_insert_inv_prob,
    };
    struct timeval tick = { DAEMON_TICK_MS / 1000, (DAEMON_TICK_MS % 1000) * 1000 };
    const char *sock = opts->socket_path ? opts->socket_path : g->socket;
    struct daemon *d;
    int error;

    d = calloc(1, sizeof *d);
    if (!d) {
        config_free(cfg);
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    d->opts = *opts;
    d->cfg = cfg;
    daemon_find_bpf(d);
    sc.bpf_path = d->bpf_path;
    libbpf_set_print(daemon_libbpf_print);
    libxdp_set_print(daemon_libxdp_print);

    /* The control thread writes every table and reads only what it wrote:
     * registered for call_rcu, offline so it never holds up a grace period. */
    rcu_register_thread();
    rcu_thread_offline();

    d->base = event_base_new();
    if (!d->base) {
        error = xsw_err_set(err, ENOMEM, "cannot create the event loop");
        goto err;
    }
    error = ctl_server_create(d->base, sock, 0660, &d->ctl, err);
    if (error) {
        goto err;
    }
    error = dp_switch_create(&sc, d->base, daemon_upcall, d, &d->sw, err);
    if (error) {
        goto err;
    }
    error = ovs_genl_register(d->ctl, d->sw, err);
    if (!error) {
        error = ctl_cmds_register(d->ctl, d->sw, err);
    }
    if (error) {
        goto err;
    }
    error = daemon_apply_config(d, err);
    if (error) {
        goto err;
    }
    if (daemon_add_signal(d, &d->sig_term, SIGTERM, daemon_stop_cb, err)
        || daemon_add_signal(d, &d->sig_int, SIGINT, daemon_stop_cb, err)
        || daemon_add_signal(d, &d->sig_hup, SIGHUP, daemon_hup_cb, err)) {
        error = -ENOMEM;
        goto err;
    }
    d->tick = event_new(d->base, -1, EV_PERSIST, daemon_tick_cb, d);
    if (!d->tick || event_add(d->tick, &tick)) {
        error = xsw_err_set(err, ENOMEM, "cannot start the housekeeping timer");
        goto err;
    }
    log_info("ready: %zu bridge%s, %zu port%s configured, %u worker%s, control socket %s",
             cfg->n_bridges, cfg->n_bridges == 1 ? "" : "s",
             cfg->n_ports, cfg->n_ports == 1 ? "" : "s",
             g->workers, g->workers == 1 ? "" : "s", sock);
    *out = d;
    return 0;

err:
    daemon_destroy(d);
    return error;
}

/* Type=notify: the service manager counts xswd started once the ports are
 * up, and shows the summary in "systemctl status". */
static void
daemon_notify_ready(const struct daemon *d)
{
    const char *sock = d->opts.socket_path ? d->opts.socket_path : d->cfg->global.socket;
    size_t n_dps = 0, n_ports = 0;

    for (struct datapath *dp = dp_next(d->sw, NULL); dp; dp = dp_next(d->sw, dp)) {
        n_dps++;
        for (struct vport *vp = dp_port_next(dp, NULL); vp; vp = dp_port_next(dp, vp)) {
            struct dp_vport_info info;

            /* Configured ports only: internal ports are not [port] sections. */
            dp_port_get_info(vp, &info);
            n_ports += info.type == DP_VPORT_AFXDP;
        }
    }
    sd_notify_sendf("READY=1\nSTATUS=%zu bridge%s, %zu of %zu port%s up, control socket %s",
                    n_dps, n_dps == 1 ? "" : "s", n_ports, d->cfg->n_ports,
                    d->cfg->n_ports == 1 ? "" : "s", sock);
}

int
daemon_run(struct daemon *d)
{
    /* A client that goes away must not kill xswd with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    daemon_notify_ready(d);
    event_base_dispatch(d->base);
    sd_notify_send("STOPPING=1\nSTATUS=stopping: detaching ports");
    return 0;
}

void
daemon_destroy(struct daemon *d)
{
    struct event *events[] = { d->sig_term, d->sig_int, d->sig_hup, d->tick };

    if (!d) {
        return;
    }
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        if (events[i]) {
            event_free(events[i]);
        }
    }
    /* Clients first: no request may arrive while the tables go away. */
    if (d->ctl) {
        ctl_cmds_unregister(d->ctl);
        ctl_server_destroy(d->ctl);
    }
    dp_switch_destroy(d->sw);
    if (d->base) {
        event_base_free(d->base);
    }
    rcu_unregister_thread();
    config_free(d->cfg);
    free(d);
}
