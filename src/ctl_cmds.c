/* ctl_cmds: the xsw_ctl commands (see ctl_cmds.h). */
#include "ctl_cmds.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_server.h"
#include "datapath.h"
#include "log.h"
#include "strbuf.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

#define CTL_CMDS_MAX_ARGS 16        /* argv slots, the command included */

#define STATUS_OK       0
#define STATUS_FAILED   1
#define STATUS_USAGE    2

struct ctl_cmds {
    struct dp_switch *sw;
    const struct ctl_cmds_ext *ext;
    size_t n_ext;
    void *ext_aux;
    /* What pmd-stats-clear saw, subtracted from what pmd-stats reports. */
    struct dp_worker_stats base[DP_MAX_WORKERS];
    uint64_t base_mask_hit;
};

/* One command's run: its arguments (argv[0] is the command) and where its
 * reply goes. */
struct ctl_cmd_run {
    struct ctl_cmds *cmds;
    int argc;
    const char *const *argv;
    bool json;
    struct strbuf *out;
};

struct ctl_cmd {
    const char *name;
    int min_args, max_args;         /* after the name */
    const char *usage;              /* the arguments, "" for none */
    int (*fn)(struct ctl_cmd_run *); /* returns the exit status */
};

/* The i-th command of the built-in table followed by the extensions, as one
 * list (NULL past the end); ext commands get fn NULL. */
static const struct ctl_cmd *ctl_cmd_at(const struct ctl_cmds *, size_t i,
                                        struct ctl_cmd *scratch);

/* ---------------------------------------------------------------- helpers */

static void
json_string(struct strbuf *sb, const char *s)
{
    strbuf_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;

        if (c == '"' || c == '\\') {
            strbuf_putc(sb, '\\');
            strbuf_putc(sb, (char) c);
        } else if (c < 0x20) {
            strbuf_printf(sb, "\\u%04x", c);
        } else {
            strbuf_putc(sb, (char) c);
        }
    }
    strbuf_putc(sb, '"');
}

/* Counters since a clear; a counter below its baseline (its datapath went
 * away) counts from 0. */
static uint64_t
since(uint64_t now, uint64_t base)
{
    return now > base ? now - base : 0;
}

static double
ratio(uint64_t a, uint64_t b)
{
    return b ? (double) a / (double) b : 0.0;
}

static uint64_t
total_mask_hits(const struct dp_switch *sw)
{
    uint64_t n = 0;

    for (struct datapath *dp = dp_next(sw, NULL); dp; dp = dp_next(sw, dp)) {
        struct dp_stats st;

        dp_get_stats(dp, &st);
        n += st.n_mask_hit;
    }
    return n;
}

/* ---------------------------------------------------------------- pmd-stats */

static void
worker_stats_since(const struct ctl_cmds *cmds, unsigned int w,
                   struct dp_worker_stats *s)
{
    const struct dp_worker_stats *b = &cmds->base[w];

    dp_switch_worker_stats(cmds->sw, w, s);
    s->packets = since(s->packets, b->packets);
    s->emc_hits = since(s->emc_hits, b->emc_hits);
    s->megaflow_hits = since(s->megaflow_hits, b->megaflow_hits);
    s->upcalls = since(s->upcalls, b->upcalls);
    s->lost = since(s->lost, b->lost);
    s->busy_cycles = since(s->busy_cycles, b->busy_cycles);
    s->idle_cycles = since(s->idle_cycles, b->idle_cycles);
    s->polls = since(s->polls, b->polls);
    s->sleeps = since(s->sleeps, b->sleeps);
    s->no_frame = since(s->no_frame, b->no_frame);
}

static void
pmd_stats_text(struct strbuf *out, unsigned int w,
               const struct dp_worker_stats *s, double lookups,
               const char *queues)
{
    uint64_t cycles = s->idle_cycles + s->busy_cycles;

    strbuf_printf(out, "pmd thread worker %u:\n", w);
    strbuf_printf(out, "  packets received: %" PRIu64 "\n", s->packets);
    strbuf_printf(out, "  emc hits: %" PRIu64 "\n", s->emc_hits);
    strbuf_printf(out, "  megaflow hits: %" PRIu64 "\n", s->megaflow_hits);
    strbuf_printf(out, "  avg. subtable lookups per megaflow hit: %.02f\n",
                  lookups);
    strbuf_printf(out, "  miss with success upcall: %" PRIu64 "\n",
                  since(s->upcalls, s->lost));
    strbuf_printf(out, "  miss with failed upcall: %" PRIu64 "\n", s->lost);
    /* As OVS: no cycle lines before any cycle, no per-packet ones before
     * any packet. */
    if (cycles) {
        strbuf_printf(out, "  idle cycles: %" PRIu64 " (%.02f%%)\n",
                      s->idle_cycles, 100.0 * ratio(s->idle_cycles, cycles));
        strbuf_printf(out, "  processing cycles: %" PRIu64 " (%.02f%%)\n",
                      s->busy_cycles, 100.0 * ratio(s->busy_cycles, cycles));
        if (s->packets) {
            strbuf_printf(out, "  avg cycles per packet: %.02f "
                          "(%" PRIu64 "/%" PRIu64 ")\n",
                          ratio(cycles, s->packets), cycles, s->packets);
            strbuf_printf(out, "  avg processing cycles per packet: %.02f "
                          "(%" PRIu64 "/%" PRIu64 ")\n",
                          ratio(s->busy_cycles, s->packets), s->busy_cycles,
                          s->packets);
        }
    }
    strbuf_printf(out, "  rx queues: %s\n", queues[0] ? queues : "(none)");
}

static void
pmd_stats_json(struct strbuf *out, unsigned int w,
               const struct dp_worker_stats *s, double lookups,
               const char *queues)
{
    uint64_t cycles = s->idle_cycles + s->busy_cycles;
    const char *q = queues;

    strbuf_printf(out, "{\"worker\":%u,\"packets_received\":%" PRIu64
                  ",\"emc_hits\":%" PRIu64 ",\"megaflow_hits\":%" PRIu64
                  ",\"avg_subtable_lookups_per_megaflow_hit\":%.02f"
                  ",\"miss_with_success_upcall\":%" PRIu64
                  ",\"miss_with_failed_upcall\":%" PRIu64
                  ",\"idle_cycles\":%" PRIu64 ",\"processing_cycles\":%" PRIu64
                  ",\"avg_cycles_per_packet\":%.02f"
                  ",\"avg_processing_cycles_per_packet\":%.02f"
                  ",\"rx_queues\":[",
                  w, s->packets, s->emc_hits, s->megaflow_hits, lookups,
                  since(s->upcalls, s->lost), s->lost, s->idle_cycles,
                  s->busy_cycles, ratio(cycles, s->packets),
                  ratio(s->busy_cycles, s->packets));
    /* The queues come as "dev:queue" words separated by spaces. */
    while (*q) {
        const char *end = strchr(q, ' ');
        size_t len = end ? (size_t) (end - q) : strlen(q);
        char word[64];

        if (len >= sizeof word) {
            len = sizeof word - 1;
        }
        memcpy(word, q, len);
        word[len] = '\0';
        if (q != queues) {
            strbuf_putc(out, ',');
        }
        json_string(out, word);
        q = end ? end + 1 : q + strlen(q);
    }
    strbuf_puts(out, "]}");
}

static int
cmd_pmd_stats(struct ctl_cmd_run *run)
{
    struct ctl_cmds *cmds = run->cmds;
    unsigned int n = dp_switch_n_workers(cmds->sw);
    uint64_t mask_hits = since(total_mask_hits(cmds->sw), cmds->base_mask_hit);
    uint64_t megaflow_hits = 0;
    struct dp_worker_stats s;
    double lookups;
    char queues[1024];

    /* Datapaths count subtable lookups for all their workers together. */
    for (unsigned int w = 0; w < n; w++) {
        worker_stats_since(cmds, w, &s);
        megaflow_hits += s.megaflow_hits;
    }
    lookups = ratio(mask_hits, megaflow_hits);

    if (run->json) {
        strbuf_puts(run->out, "{\"workers\":[");
    }
    for (unsigned int w = 0; w < n; w++) {
        worker_stats_since(cmds, w, &s);
        dp_switch_worker_queues(cmds->sw, w, queues, sizeof queues);
        if (run->json) {
            if (w) {
                strbuf_putc(run->out, ',');
            }
            pmd_stats_json(run->out, w, &s, lookups, queues);
        } else {
            pmd_stats_text(run->out, w, &s, lookups, queues);
        }
    }
    if (run->json) {
        strbuf_puts(run->out, "]}");
    }
    return STATUS_OK;
}

static int
cmd_pmd_stats_clear(struct ctl_cmd_run *run)
{
    struct ctl_cmds *cmds = run->cmds;
    unsigned int n = dp_switch_n_workers(cmds->sw);

    for (unsigned int w = 0; w < n; w++) {
        dp_switch_worker_stats(cmds->sw, w, &cmds->base[w]);
    }
    cmds->base_mask_hit = total_mask_hits(cmds->sw);
    if (run->json) {
        strbuf_puts(run->out, "{}");
    }
    return STATUS_OK;
}

/* ---------------------------------------------------------------- upcall-stats */

static const char *
pid_text(uint32_t pid, char *buf, size_t size)
{
    if (!pid) {
        return "the in-process slow path (pid 0)";
    }
    snprintf(buf, size, "client pid %" PRIu32, pid);
    return buf;
}

static int
cmd_upcall_stats(struct ctl_cmd_run *run)
{
    struct dp_switch *sw = run->cmds->sw;
    struct strbuf *out = run->out;
    uint64_t queued, lost, handled;
    struct datapath *dp;
    char buf[32];
    bool first_dp = true;

    dp_switch_upcall_stats(sw, &queued, &lost, &handled);
    if (run->json) {
        strbuf_printf(out, "{\"queues\":%u,\"queued\":%" PRIu64
                      ",\"lost\":%" PRIu64 ",\"handled\":%" PRIu64
                      ",\"datapaths\":[", dp_switch_n_workers(sw), queued,
                      lost, handled);
    } else {
        strbuf_printf(out, "upcall queues: %u (one per worker)\n"
                      "  queued: %" PRIu64 "\n  lost: %" PRIu64 "\n"
                      "  handled: %" PRIu64 "\n", dp_switch_n_workers(sw),
                      queued, lost, handled);
    }
    for (dp = dp_next(sw, NULL); dp; dp = dp_next(sw, dp)) {
        bool first_port = true;

        if (run->json) {
            strbuf_puts(out, first_dp ? "{\"name\":" : ",{\"name\":");
            json_string(out, dp_name(dp));
            strbuf_printf(out, ",\"dp_ifindex\":%d,\"upcall_pid\":%" PRIu32
                          ",\"ports\":[", dp_ifindex(dp), dp_upcall_pid(dp));
        } else {
            strbuf_printf(out, "datapath %s: upcalls to %s\n", dp_name(dp),
                          pid_text(dp_upcall_pid(dp), buf, sizeof buf));
        }
        first_dp = false;
        /* Only ports that send their upcalls somewhere of their own. */
        for (struct vport *vp = dp_port_next(dp, NULL); vp;
             vp = dp_port_next(dp, vp)) {
            struct dp_vport_info info;

            dp_port_get_info(vp, &info);
            if (!info.upcall_pid) {
                continue;
            }
            if (run->json) {
                strbuf_printf(out, "%s{\"port_no\":%" PRIu32 ",\"name\":",
                              first_port ? "" : ",", info.port_no);
                json_string(out, info.name);
                strbuf_printf(out, ",\"upcall_pid\":%" PRIu32 "}",
                              info.upcall_pid);
            } else {
                strbuf_printf(out, "  port %" PRIu32 " (%s): upcalls to %s\n",
                              info.port_no, info.name,
                              pid_text(info.upcall_pid, buf, sizeof buf));
            }
            first_port = false;
        }
        if (run->json) {
            strbuf_puts(out, "]}");
        }
    }
    if (run->json) {
        strbuf_puts(out, "]}");
    }
    return STATUS_OK;
}

/* ---------------------------------------------------------------- log-level */

static int
cmd_log_level(struct ctl_cmd_run *run)
{
    enum log_level level;

    if (run->argc > 1) {
        if (log_level_from_string(run->argv[1], &level) < 0) {
            if (run->json) {
                strbuf_puts(run->out, "{\"error\":");
                json_string(run->out, "unknown log level: expected error, "
                            "warn, info or debug");
                strbuf_putc(run->out, '}');
            } else {
                strbuf_printf(run->out, "unknown log level \"%s\": expected "
                              "error, warn, info or debug\n", run->argv[1]);
            }
            return STATUS_USAGE;
        }
        log_set_level(level);
    }
    level = log_get_level();
    if (run->json) {
        strbuf_printf(run->out, "{\"level\":\"%s\"}",
                      log_level_to_string(level));
    } else {
        strbuf_printf(run->out, "%s\n", log_level_to_string(level));
    }
    return STATUS_OK;
}

/* ---------------------------------------------------------------- version */

static int
cmd_version(struct ctl_cmd_run *run)
{
    if (run->json) {
        strbuf_puts(run->out, "{\"version\":");
        json_string(run->out, PACKAGE_VERSION);
        strbuf_putc(run->out, '}');
    } else {
        strbuf_puts(run->out, "xswd " PACKAGE_VERSION "\n");
    }
    return STATUS_OK;
}

/* ---------------------------------------------------------------- table */

static const struct ctl_cmd ctl_cmd_table[] = {
    { "pmd-stats", 0, 0, "", cmd_pmd_stats },
    { "pmd-stats-clear", 0, 0, "", cmd_pmd_stats_clear },
    { "upcall-stats", 0, 0, "", cmd_upcall_stats },
    { "log-level", 0, 1, "[LEVEL]", cmd_log_level },
    { "version", 0, 0, "", cmd_version },
};

#define N_CMDS (sizeof ctl_cmd_table / sizeof ctl_cmd_table[0])

static const struct ctl_cmd *
ctl_cmd_at(const struct ctl_cmds *cmds, size_t i, struct ctl_cmd *scratch)
{
    const struct ctl_cmds_ext *e;

    if (i < N_CMDS) {
        return &ctl_cmd_table[i];
    }
    if (i - N_CMDS >= cmds->n_ext) {
        return NULL;
    }
    e = &cmds->ext[i - N_CMDS];
    scratch->name = e->name;
    scratch->min_args = e->min_args;
    scratch->max_args = e->max_args;
    scratch->usage = e->usage;
    scratch->fn = NULL;
    return scratch;
}

static void
put_usage(struct strbuf *out, const struct ctl_cmd *c)
{
    strbuf_printf(out, "%s%s%s", c->name, c->usage[0] ? " " : "", c->usage);
}

/* What a caller who got a command wrong reads. */
static int
usage_error(struct ctl_cmd_run *run, const char *why,
            const struct ctl_cmd *only)
{
    struct strbuf *out = run->out;

    if (run->json) {
        strbuf_puts(out, "{\"error\":");
        json_string(out, why);
        strbuf_puts(out, ",\"usage\":[");
        for (size_t i = 0, n = 0; ; i++) {
            struct ctl_cmd scratch;
            const struct ctl_cmd *c = ctl_cmd_at(run->cmds, i, &scratch);
            struct strbuf u;

            if (!c) {
                break;
            }
            if (only && strcmp(c->name, only->name)) {
                continue;
            }
            strbuf_init(&u);
            put_usage(&u, c);
            if (n++) {
                strbuf_putc(out, ',');
            }
            json_string(out, strbuf_cstr(&u));
            strbuf_free(&u);
        }
        strbuf_puts(out, "]}");
        return STATUS_USAGE;
    }
    strbuf_printf(out, "%s\n%s", why, only ? "usage: " : "commands:\n");
    for (size_t i = 0; ; i++) {
        struct ctl_cmd scratch;
        const struct ctl_cmd *c = ctl_cmd_at(run->cmds, i, &scratch);

        if (!c) {
            break;
        }
        if (only && strcmp(c->name, only->name)) {
            continue;
        }
        strbuf_puts(out, only ? "" : "  ");
        put_usage(out, c);
        strbuf_putc(out, '\n');
    }
    return STATUS_USAGE;
}

static int
ctl_cmds_exec(void *cmds_, const struct ctl_server_request *req,
              struct ctl_server_reply *reply, struct xsw_err *err)
{
    const char *argv[CTL_CMDS_MAX_ARGS];
    const struct ctl_cmd *cmd = NULL;
    struct ctl_cmds *cmds = cmds_;
    struct ctl_cmd scratch;
    size_t cmd_index = 0;
    struct ctl_cmd_run run;
    struct strbuf out;
    char why[128];
    uint32_t format;
    int argc, status, error;

    argc = ctl_server_exec_argv(req, argv, CTL_CMDS_MAX_ARGS, &format, err);
    if (argc < 0) {
        return argc;
    }
    for (size_t i = 0; ; i++) {
        const struct ctl_cmd *c = ctl_cmd_at(cmds, i, &scratch);

        if (!c || !strcmp(argv[0], c->name)) {
            cmd = c;
            cmd_index = i;
            break;
        }
    }
    strbuf_init(&out);
    run.cmds = cmds_;
    run.argc = argc;
    run.argv = argv;
    run.json = format == XSW_CTL_FORMAT_JSON;
    run.out = &out;
    if (!cmd) {
        snprintf(why, sizeof why, "unknown command \"%.64s\"", argv[0]);
        status = usage_error(&run, why, NULL);
    } else if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
        snprintf(why, sizeof why, "%s: %d argument%s given", cmd->name,
                 argc - 1, argc == 2 ? "" : "s");
        status = usage_error(&run, why, cmd);
    } else if (cmd->fn) {
        status = cmd->fn(&run);
    } else {
        status = cmds->ext[cmd_index - N_CMDS].fn(cmds->ext_aux, argc, argv, run.json, &out);
    }
    if (strbuf_failed(&out)) {
        strbuf_free(&out);
        return xsw_err_set(err, ENOMEM, "%s: out of memory", argv[0]);
    }
    error = ctl_server_exec_reply(reply, (uint32_t) status,
                                  out.len ? strbuf_cstr(&out) : NULL);
    strbuf_free(&out);
    if (error) {
        return xsw_err_set(err, -error, "%s: the reply does not fit in a "
                           "message", argv[0]);
    }
    return 0;
}

/* ---------------------------------------------------------------- register */

int
ctl_cmds_register(struct ctl_server *server, struct dp_switch *sw,
                  const struct ctl_cmds_ext *ext, size_t n_ext, void *ext_aux,
                  struct xsw_err *err)
{
    struct ctl_cmds *cmds = calloc(1, sizeof *cmds);
    int error;

    if (!cmds) {
        return xsw_err_set(err, ENOMEM, "out of memory");
    }
    cmds->sw = sw;
    cmds->ext = ext;
    cmds->n_ext = ext ? n_ext : 0;
    cmds->ext_aux = ext_aux;
    error = ctl_server_register_cmd(server, CTL_ID_XSW_CTL, XSW_CTL_CMD_EXEC,
                                    ctl_cmds_exec, NULL, cmds);
    if (error) {
        free(cmds);
        return xsw_err_set(err, -error, "cannot register the xsw_ctl "
                           "commands: %s", strerror(-error));
    }
    return 0;
}

void
ctl_cmds_unregister(struct ctl_server *server)
{
    void *cmds = NULL;

    if (server && !ctl_server_unregister_cmd(server, CTL_ID_XSW_CTL,
                                             XSW_CTL_CMD_EXEC, &cmds)) {
        free(cmds);
    }
}
