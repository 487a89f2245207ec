/* daemon: see daemon.h. */
#include "daemon.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <time.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <urcu-qsbr.h>
#include <xdp/libxdp.h>

#include "ctl_cmds.h"
#include "ctl_server.h"
#include "datapath.h"
#include "l2switch.h"
#include "log.h"
#include "ovs_genl.h"
#include "revalidator.h"
#include "strbuf.h"
#include "sd_notify.h"

#define DAEMON_TICK_MS 1000

/* The slow path of one datapath: its learning switch and revalidator. */
struct daemon_bridge {
    struct datapath *dp;
    struct l2switch *l2;
    struct revalidator *rv;
    struct daemon_bridge *next;
};

struct daemon {
    struct daemon_options opts;
    char bpf_path[4096];
    struct xsw_config *cfg;
    struct event_base *base;
    struct dp_switch *sw;
    struct ctl_server *ctl;
    struct event *sig_term, *sig_int, *sig_hup, *tick;
    struct daemon_bridge *bridges;
    uint64_t upcalls_unclaimed;     /* misses no slow path took */
};

static int daemon_open_bridge(struct daemon *, const struct config_bridge *, struct xsw_err *);
static int daemon_reload(struct daemon *, struct strbuf *, struct xsw_err *);
static void daemon_notify_ready(const struct daemon *);
static int daemon_open_port(struct daemon *, const struct config_port *, struct xsw_err *);

static uint64_t
daemon_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static struct daemon_bridge *
daemon_bridge_of(const struct daemon *d, const struct datapath *dp)
{
    for (struct daemon_bridge *b = d->bridges; b; b = b->next) {
        if (b->dp == dp) {
            return b;
        }
    }
    return NULL;
}

static struct daemon_bridge *
daemon_bridge_by_name(const struct daemon *d, const char *name)
{
    for (struct daemon_bridge *b = d->bridges; b; b = b->next) {
        if (!strcmp(dp_name(b->dp), name)) {
            return b;
        }
    }
    return NULL;
}

/* A datapath gets its learning switch and revalidator when it is created,
 * from the config's [bridge.NAME] if there is one, else [global]'s defaults
 * (a datapath made over the control socket). */
/* The slow path's settings of bridge NAME: its [bridge.NAME] section, else
 * [global]'s defaults (a datapath made over the control socket). */
static void
daemon_bridge_settings(const struct daemon *d, const struct datapath *dp,
                       struct l2switch_config *lc, struct revalidator_config *rc)
{
    const struct config_global *g = &d->cfg->global;
    const struct config_bridge *cb = config_find_bridge(d->cfg, dp_name(dp));

    *lc = (struct l2switch_config) {
        .name = dp_name(dp),
        .mac_aging = cb ? cb->mac_aging : g->mac_aging,
        .mac_table_size = cb ? cb->mac_table_size : g->mac_table_size,
        .internal_port = dp_port_find(dp, DP_LOCAL_PORT) != NULL,
    };
    *rc = (struct revalidator_config) {
        .idle_timeout_ms = cb ? cb->flow_idle_timeout_ms : g->flow_idle_timeout_ms,
        .interval_ms = g->revalidate_interval_ms,
        .max_flows = g->max_flows,
    };
}

/* A datapath gets its learning switch and revalidator when it is created. */
static void
daemon_bridge_add(struct daemon *d, struct datapath *dp)
{
    struct l2switch_config lc;
    struct revalidator_config rc;
    struct daemon_bridge *b = calloc(1, sizeof *b);
    struct xsw_err err = { "" };

    daemon_bridge_settings(d, dp, &lc, &rc);
    if (!b) {
        log_error("%s: out of memory: no learning switch for this bridge", dp_name(dp));
        return;
    }
    b->dp = dp;
    if (l2switch_create(&lc, &b->l2, &err)
        || revalidator_create(&rc, dp_classifier(dp), b->l2, NULL, d->base, &b->rv, &err)) {
        log_error("%s: %s: no learning switch for this bridge", dp_name(dp), err.msg);
        if (b->l2) {
            l2switch_destroy(b->l2);
        }
        free(b);
        return;
    }
    b->next = d->bridges;
    d->bridges = b;
}

static void
daemon_bridge_del(struct daemon *d, struct datapath *dp)
{
    for (struct daemon_bridge **p = &d->bridges; *p; p = &(*p)->next) {
        struct daemon_bridge *b = *p;

        if (b->dp == dp) {
            *p = b->next;
            /* The revalidator first: it holds a dump cursor in the
             * classifier and a change callback in the switch. */
            revalidator_destroy(b->rv);
            l2switch_destroy(b->l2);
            free(b);
            return;
        }
    }
}

/* A port's VLAN settings come from its [port.NAME] section, found by its
 * interface; a port added over the control socket is a trunk of every VLAN,
 * as an OVS port without settings. */
static void
daemon_port_added(struct daemon *d, struct datapath *dp, struct vport *vp)
{
    struct daemon_bridge *b = daemon_bridge_of(d, dp);
    const struct config_port *cp;
    struct dp_vport_info info;
    struct xsw_err err = { "" };
    int error;

    if (!b) {
        return;
    }
    dp_port_get_info(vp, &info);
    cp = config_find_interface(d->cfg, info.name);
    if (cp && !strcmp(cp->bridge, dp_name(dp))) {
        error = l2switch_port_set_config(b->l2, info.port_no, cp, &err);
    } else {
        error = l2switch_port_set(b->l2, info.port_no, CONFIG_VLAN_TRUNK, 0, NULL, &err);
    }
    if (error) {
        log_error("%s: port %u (%s): %s", dp_name(dp), info.port_no, info.name, err.msg);
    }
}

static void
daemon_dp_event(void *aux, enum dp_event ev, struct datapath *dp, struct vport *vp)
{
    struct daemon *d = aux;
    struct daemon_bridge *b;

    switch (ev) {
    case DP_EVENT_CREATED:
        daemon_bridge_add(d, dp);
        break;
    case DP_EVENT_DESTROYING:
        daemon_bridge_del(d, dp);
        break;
    case DP_EVENT_PORT_ADDED:
        daemon_port_added(d, dp, vp);
        break;
    case DP_EVENT_PORT_DELETING:
        b = daemon_bridge_of(d, dp);
        if (b) {
            struct dp_vport_info info;

            dp_port_get_info(vp, &info);
            l2switch_port_del(b->l2, info.port_no);
        }
        break;
    }
}

/* libxdp and libbpf narrate every attach, including the dispatcher's
 * self-check that fails here by design: their info goes to debug. */
static int __attribute__((format(printf, 1, 0)))
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

static int __attribute__((format(printf, 2, 0)))
daemon_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    (void) level;
    return daemon_lib_print(fmt, ap);
}

static int __attribute__((format(printf, 2, 0)))
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

/* The learning switch decides; the flow goes in with the datapath's own key
 * bytes, and the packet goes out through the same actions. */
static void
daemon_learn(struct daemon *d, struct daemon_bridge *b, const void *msg, size_t len)
{
    struct l2switch_result r;
    uint64_t now_ms = daemon_now_ms();
    int put_error = 0, exec_error = 0;

    l2switch_result_init(&r);
    if (l2switch_handle_upcall(b->l2, msg, len, now_ms, &r) == 0) {
        if (r.install && revalidator_may_install(b->rv)) {
            struct dp_flow_put put = {
                .key_nl = r.key_nl,
                .key_nl_len = r.key_nl_len,
                .mask_nl = r.mask_nl,
                .mask_nl_len = r.mask_nl_len,
                .actions = r.d.actions,         /* length 0: a drop flow */
                .actions_len = r.d.actions_len,
                .flags = CLASSIFIER_PUT_CREATE,
            };
            struct classifier_put_result res;

            /* -EEXIST: a second upcall of the same flow, queued before the
             * first one's flow went in; its packet still goes out. */
            put_error = dp_flow_put(b->dp, &put, &res, NULL);
            if (!put_error) {
                revalidator_flow_added(b->rv, res.flow, now_ms);
            }
        }
        if (r.execute) {
            exec_error = dp_execute(b->dp, r.packet, r.packet_len, r.key_nl, r.key_nl_len,
                                    r.d.actions, r.d.actions_len, NULL);
        }
        l2switch_upcall_done(b->l2, &r, put_error, exec_error);
    }
    l2switch_result_uninit(&r);
}

/* An upcall goes to the client whose port id the vport or datapath names (a
 * slow path outside xswd, as ovs-vswitchd against the kernel module); with
 * none, a miss goes to the bridge's learning switch. */
static void
daemon_upcall(void *aux, struct datapath *dp, const void *msg, size_t len)
{
    struct daemon *d = aux;
    const struct nlmsghdr *nlh = msg;
    const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
    struct daemon_bridge *b;

    if (nlh->nlmsg_pid && ctl_server_send(d->ctl, nlh->nlmsg_pid, msg, len) == 0) {
        return;
    }
    b = daemon_bridge_of(d, dp);
    if (b && genl->cmd == OVS_PACKET_CMD_MISS) {
        daemon_learn(d, b, msg, len);
        return;
    }
    d->upcalls_unclaimed++;
}


/* ---------------------------------------------------------------- reload */

/* [global] keys that shape memory and threads set up at start: a reload
 * that changes one is refused whole, so that what runs is always what the
 * file says. */
static const struct {
    unsigned int bit;
    const char *key;
} daemon_restart_keys[] = {
    { CONFIG_GLOBAL_WORKERS, "workers" },
    { CONFIG_GLOBAL_SOCKET, "socket" },
    { CONFIG_GLOBAL_UMEM_FRAMES, "umem_frames" },
    { CONFIG_GLOBAL_FRAME_SIZE, "frame_size" },
    { CONFIG_GLOBAL_UPCALL_QUEUE_LEN, "upcall_queue_len" },
    { CONFIG_GLOBAL_MAX_FLOWS, "max_flows" },
    { CONFIG_GLOBAL_EMC_ENTRIES, "emc_entries" },
    { CONFIG_GLOBAL_EMC_INSERT_INV_PROB, "emc_insert_inv_prob" },
};

struct daemon_reload_counts {
    unsigned int bridges_added, bridges_removed, bridges_changed;
    unsigned int ports_added, ports_removed, ports_changed, ports_vlan_only;
    unsigned int failed;
};

static void
daemon_close_port(struct daemon *d, const struct config_port *p)
{
    struct datapath *dp;
    struct vport *vp = dp_port_find_by_name(d->sw, p->interface, &dp);

    if (vp) {
        dp_port_del(vp);
    }
}

/* Re-reads the config: validates all of it first (a bad file changes
 * nothing and says why), then applies only what differs, so that ports that
 * did not change keep forwarding.  Fills summary with what was done. */
static int
daemon_reload_apply(struct daemon *d, struct strbuf *summary, struct xsw_err *err)
{
    struct daemon_reload_counts n = { 0 };
    struct xsw_config *new_cfg, *old_cfg;
    struct config_diff diff;
    int error, changes;

    error = config_load(d->opts.config_path, &new_cfg, err);
    if (error) {
        return error;
    }
    changes = config_diff(d->cfg, new_cfg, &diff);
    if (changes < 0) {
        config_free(new_cfg);
        return xsw_err_set(err, ENOMEM, "out of memory comparing configurations");
    }
    for (size_t i = 0; i < sizeof daemon_restart_keys / sizeof daemon_restart_keys[0]; i++) {
        if (diff.global & daemon_restart_keys[i].bit) {
            error = xsw_err_set(err, EINVAL, "%s: [global] %s changed: that key takes effect "
                                "only when xswd restarts; nothing was reloaded",
                                d->opts.config_path, daemon_restart_keys[i].key);
            config_diff_free(&diff);
            config_free(new_cfg);
            return error;
        }
    }
    if (!changes) {
        strbuf_printf(summary, "%s: no changes\n", d->opts.config_path);
        config_diff_free(&diff);
        config_free(new_cfg);
        return 0;
    }

    /* From here on the new file is the config: bridges and ports created
     * below take their settings from it.  The old one lives until the diff,
     * which points into both, is done. */
    old_cfg = d->cfg;
    d->cfg = new_cfg;
    if (diff.global & CONFIG_GLOBAL_LOG_LEVEL) {
        log_set_level((enum log_level) new_cfg->global.log_level);
    }

    /* Removals first: a removed port may free the interface an added one
     * takes, and a bridge's ports go before the bridge. */
    for (size_t i = 0; i < diff.n_ports; i++) {
        const struct config_port_change *c = &diff.ports[i];

        if (c->kind == CONFIG_REMOVED
            || (c->kind == CONFIG_CHANGED && !config_port_change_vlan_only(c))) {
            daemon_close_port(d, c->old_port);
            n.ports_removed += c->kind == CONFIG_REMOVED;
        }
    }
    for (size_t i = 0; i < diff.n_bridges; i++) {
        const struct config_bridge_change *c = &diff.bridges[i];
        struct datapath *dp;

        if (c->kind == CONFIG_REMOVED
            || (c->kind == CONFIG_CHANGED && (c->fields & CONFIG_BRIDGE_INTERNAL_PORT))) {
            /* internal_port changes what the datapath is (its ifindex is
             * the TAP's): it is made again, with its ports. */
            dp = dp_find_by_name(d->sw, c->old_bridge->name);
            if (dp) {
                dp_destroy(dp);
            }
            n.bridges_removed += c->kind == CONFIG_REMOVED;
        }
    }
    for (size_t i = 0; i < diff.n_bridges; i++) {
        const struct config_bridge_change *c = &diff.bridges[i];
        struct xsw_err berr = { "" };

        if (c->kind == CONFIG_ADDED
            || (c->kind == CONFIG_CHANGED && (c->fields & CONFIG_BRIDGE_INTERNAL_PORT))) {
            if (daemon_open_bridge(d, c->new_bridge, &berr)) {
                log_error("reload: %s", berr.msg);
                n.failed++;
                continue;
            }
            if (c->kind == CONFIG_CHANGED) {
                /* Its ports went with it: open the unchanged ones again. */
                for (size_t k = 0; k < new_cfg->n_ports; k++) {
                    if (!strcmp(new_cfg->ports[k].bridge, c->new_bridge->name)
                        && !dp_port_find_by_name(d->sw, new_cfg->ports[k].interface, NULL)) {
                        struct xsw_err perr = { "" };

                        n.failed += daemon_open_port(d, &new_cfg->ports[k], &perr) != 0;
                    }
                }
                n.bridges_changed++;
            } else {
                n.bridges_added++;
            }
        } else if (c->kind == CONFIG_CHANGED) {
            struct datapath *dp = dp_find_by_name(d->sw, c->new_bridge->name);
            struct daemon_bridge *b = dp ? daemon_bridge_of(d, dp) : NULL;

            if (b) {
                struct l2switch_config lc;
                struct revalidator_config rc;

                daemon_bridge_settings(d, dp, &lc, &rc);
                l2switch_reconfigure(b->l2, &lc);
                revalidator_reconfigure(b->rv, &rc);
            }
            n.bridges_changed++;
        }
    }
    /* revalidate_interval_ms is every bridge's. */
    if (diff.global & CONFIG_GLOBAL_REVALIDATE_INTERVAL_MS) {
        for (struct daemon_bridge *b = d->bridges; b; b = b->next) {
            struct l2switch_config lc;
            struct revalidator_config rc;

            daemon_bridge_settings(d, b->dp, &lc, &rc);
            revalidator_reconfigure(b->rv, &rc);
        }
    }
    for (size_t i = 0; i < diff.n_ports; i++) {
        const struct config_port_change *c = &diff.ports[i];
        struct xsw_err perr = { "" };

        if (c->kind == CONFIG_CHANGED && config_port_change_vlan_only(c)) {
            struct datapath *dp;
            struct vport *vp = dp_port_find_by_name(d->sw, c->new_port->interface, &dp);
            struct daemon_bridge *b = vp ? daemon_bridge_of(d, dp) : NULL;

            /* The sockets stay: the slow path changes the port's VLAN
             * settings and the revalidator fixes the flows they touch. */
            if (b) {
                struct dp_vport_info info;

                dp_port_get_info(vp, &info);
                if (l2switch_port_set_config(b->l2, info.port_no, c->new_port, &perr)) {
                    log_error("reload: [port.%s]: %s", c->new_port->name, perr.msg);
                    n.failed++;
                }
                revalidator_kick(b->rv);
            }
            n.ports_vlan_only++;
            n.ports_changed++;
        } else if (c->kind == CONFIG_ADDED || c->kind == CONFIG_CHANGED) {
            if (!dp_port_find_by_name(d->sw, c->new_port->interface, NULL)) {
                n.failed += daemon_open_port(d, c->new_port, &perr) != 0;
            }
            n.ports_added += c->kind == CONFIG_ADDED;
            n.ports_changed += c->kind == CONFIG_CHANGED;
        }
    }
    config_diff_free(&diff);
    config_free(old_cfg);

    strbuf_printf(summary, "%s: reloaded: bridges %u added, %u removed, %u changed; "
                  "ports %u added, %u removed, %u changed (%u VLAN settings only)",
                  d->opts.config_path, n.bridges_added, n.bridges_removed, n.bridges_changed,
                  n.ports_added, n.ports_removed, n.ports_changed, n.ports_vlan_only);
    if (n.failed) {
        strbuf_printf(summary, "; %u could not be applied (see the log)", n.failed);
    }
    strbuf_putc(summary, '\n');
    return 0;
}

static int
daemon_reload(struct daemon *d, struct strbuf *summary, struct xsw_err *err)
{
    int error;

    /* systemd shows "reloading" until READY=1 comes again, with the ports
     * now up in its status line. */
    sd_notify_send("RELOADING=1");
    error = daemon_reload_apply(d, summary, err);
    daemon_notify_ready(d);
    return error;
}

/* ------------------------------------------------- the daemon's commands */

static int
daemon_cmd_bridge(struct daemon *d, const char *name, struct strbuf *out,
                  struct daemon_bridge **bp)
{
    *bp = daemon_bridge_by_name(d, name);
    if (!*bp) {
        strbuf_printf(out, "no bridge named '%s'\n", name);
        return 1;
    }
    return 0;
}

static int
daemon_cmd_fdb_show(void *aux, int argc, const char *const argv[], bool json,
                    struct strbuf *out)
{
    struct daemon_bridge *b;

    (void) argc;
    if (daemon_cmd_bridge(aux, argv[1], out, &b)) {
        return 1;
    }
    l2switch_fdb_show(b->l2, daemon_now_ms(), json, out);
    return 0;
}

static int
daemon_cmd_fdb_stats(void *aux, int argc, const char *const argv[], bool json,
                     struct strbuf *out)
{
    struct daemon_bridge *b;

    (void) argc;
    if (daemon_cmd_bridge(aux, argv[1], out, &b)) {
        return 1;
    }
    l2switch_fdb_stats(b->l2, json, out);
    return 0;
}

static int
daemon_cmd_fdb_flush(void *aux, int argc, const char *const argv[], bool json,
                     struct strbuf *out)
{
    struct daemon *d = aux;
    struct daemon_bridge *b = NULL;
    unsigned int n = 0;

    if (argc > 1 && daemon_cmd_bridge(d, argv[1], out, &b)) {
        return 1;
    }
    for (struct daemon_bridge *it = d->bridges; it; it = it->next) {
        if (!b || it == b) {
            n += l2switch_fdb_flush(it->l2);
        }
    }
    if (json) {
        strbuf_printf(out, "{\"flushed\":%u}", n);
    } else {
        strbuf_printf(out, "table successfully flushed (%u entr%s)\n", n, n == 1 ? "y" : "ies");
    }
    return 0;
}

static int
daemon_cmd_revalidator_show(void *aux, int argc, const char *const argv[], bool json,
                            struct strbuf *out)
{
    struct daemon_bridge *b;

    (void) argc;
    if (daemon_cmd_bridge(aux, argv[1], out, &b)) {
        return 1;
    }
    revalidator_show(b->rv, json, out);
    return 0;
}

static int
daemon_cmd_reload(void *aux, int argc, const char *const argv[], bool json,
                  struct strbuf *out)
{
    struct daemon *d = aux;
    struct xsw_err err = { "" };
    struct strbuf summary;
    int error;

    (void) argc;
    (void) argv;
    strbuf_init(&summary);
    error = daemon_reload(d, &summary, &err);
    strbuf_chomp(&summary, '\n');
    if (error) {
        log_error("reload refused: %s", err.msg);
    } else {
        log_info("%s", strbuf_cstr(&summary));
    }
    if (json) {
        strbuf_printf(out, "{\"ok\":%s,\"message\":\"", error ? "false" : "true");
        for (const char *c = error ? err.msg : strbuf_cstr(&summary); *c; c++) {
            if (*c == '"' || *c == '\\') {
                strbuf_putc(out, '\\');
            }
            if (*c != '\n') {
                strbuf_putc(out, *c);
            }
        }
        strbuf_puts(out, "\"}");
    } else {
        strbuf_printf(out, "%s\n", error ? err.msg : strbuf_cstr(&summary));
    }
    strbuf_free(&summary);
    return error ? 1 : 0;
}

static const struct ctl_cmds_ext daemon_cmds[] = {
    { "reload", 0, 0, "", daemon_cmd_reload },
    { "fdb-show", 1, 1, "BRIDGE", daemon_cmd_fdb_show },
    { "fdb-flush", 0, 1, "[BRIDGE]", daemon_cmd_fdb_flush },
    { "fdb-stats", 1, 1, "BRIDGE", daemon_cmd_fdb_stats },
    { "revalidator-show", 1, 1, "BRIDGE", daemon_cmd_revalidator_show },
};

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
    struct xsw_err err = { "" };
    struct strbuf summary;

    (void) sig;
    (void) what;
    strbuf_init(&summary);
    if (daemon_reload(arg, &summary, &err)) {
        log_error("SIGHUP: reload refused: %s", err.msg);
    } else {
        strbuf_chomp(&summary, '\n');
        log_info("SIGHUP: %s", strbuf_cstr(&summary));
    }
    strbuf_free(&summary);
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

static struct dp_port_config
daemon_port_config(const struct config_port *p)
{
    return (struct dp_port_config) {
        .devname = p->interface,
        .port_no = p->port_no,
        .xdp_mode = daemon_xdp_mode(p->xdp_mode),
        .bind_mode = daemon_bind_mode(p->zero_copy),
        .n_queues = p->queues,
    };
}

/* Opens a [port.NAME]'s interface on its bridge.  A port that cannot be
 * opened is logged and left out: an interface may come later (reload, or
 * xswctl add-if).  Returns 0 or the negative errno, with err. */
static int
daemon_open_port(struct daemon *d, const struct config_port *p, struct xsw_err *err)
{
    struct datapath *dp = dp_find_by_name(d->sw, p->bridge);
    struct dp_port_config pc = daemon_port_config(p);
    int error;

    if (!dp) {
        return xsw_err_set(err, ENOENT, "[port.%s]: bridge %s does not run", p->name, p->bridge);
    }
    error = dp_port_add(dp, &pc, NULL, err);
    if (error) {
        xsw_err_prefix(err, p->name);
        xsw_err_prefix(err, "[port]");
        log_error("%s", err->msg);
    }
    return error;
}

static int
daemon_open_bridge(struct daemon *d, const struct config_bridge *br, struct xsw_err *err)
{
    struct datapath *dp;
    int error = dp_create(d->sw, br->name, br->internal_port, 0, &dp, err);

    if (error) {
        xsw_err_prefix(err, "[bridge]");
    }
    return error;
}

/* Builds the datapaths and ports of the config.  A bridge that cannot be
 * created fails the start; a port does not (see daemon_open_port()). */
static int
daemon_apply_config(struct daemon *d, struct xsw_err *err)
{
    const struct xsw_config *cfg = d->cfg;

    for (size_t i = 0; i < cfg->n_bridges; i++) {
        int error = daemon_open_bridge(d, &cfg->bridges[i], err);

        if (error) {
            return error;
        }
    }
    for (size_t k = 0; k < cfg->n_ports; k++) {
        struct xsw_err perr = { "" };

        daemon_open_port(d, &cfg->ports[k], &perr);
    }
    return 0;
}

/* -EADDRINUSE if an xswd answers on the control socket's path. */
static int
daemon_check_alone(const char *path, struct xsw_err *err)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd, r;

    if (strlen(path) >= sizeof sun.sun_path) {
        return xsw_err_set(err, ENAMETOOLONG, "control socket path %s: longer than %zu bytes",
                           path, sizeof sun.sun_path - 1);
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return 0;   /* ctl_server_create will say what is wrong */
    }
    r = connect(fd, (struct sockaddr *) &sun, sizeof sun);
    close(fd);
    if (r == 0) {
        return xsw_err_set(err, EADDRINUSE, "another xswd is running on %s", path);
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
    /* Another xswd would fight this one over the same interfaces: find out
     * before touching any. */
    error = daemon_check_alone(sock, err);
    if (error) {
        goto err;
    }
    error = dp_switch_create(&sc, d->base, daemon_upcall, d, &d->sw, err);
    if (error) {
        goto err;
    }
    dp_switch_set_event_cb(d->sw, daemon_dp_event, d);
    error = daemon_apply_config(d, err);
    if (error) {
        goto err;
    }
    /* The socket appears last, so that its existence means "ready": every
     * port of the config is attached by then. */
    error = ctl_server_create(d->base, sock, 0660, &d->ctl, err);
    if (error) {
        goto err;
    }
    error = ovs_genl_register(d->ctl, d->sw, err);
    if (!error) {
        error = ctl_cmds_register(d->ctl, d->sw, daemon_cmds,
                                  sizeof daemon_cmds / sizeof daemon_cmds[0], d, err);
    }
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
