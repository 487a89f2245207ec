/* xswctl: drives xswd through its control socket, and works on flow keys,
 * actions and captures offline.  Thin: the commands live in xswctl_*.c. */
#include "xswctl.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef XSW_DEFAULT_SOCKET
#define XSW_DEFAULT_SOCKET "/run/xsw/xswd.sock"
#endif

static const struct xswctl_cmd *const xswctl_tables[] = {
    xswctl_dpctl_cmds,
    xswctl_offline_cmds,
};

int
xswctl_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "xswctl: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'xswctl --help')\n");
    return XSWCTL_EXIT_USAGE;
}

static void
xswctl_help(FILE *out)
{
    fprintf(out,
            "usage: xswctl [--socket PATH] [--json] [--timeout MS] COMMAND [ARG...]\n"
            "\n"
            "Commands:\n");
    for (size_t t = 0; t < sizeof xswctl_tables / sizeof xswctl_tables[0]; t++) {
        for (const struct xswctl_cmd *c = xswctl_tables[t]; c->name; c++) {
            fprintf(out, "  %s %s\n      %s\n", c->name, c->usage, c->help);
        }
    }
    fprintf(out,
            "\nOptions:\n"
            "  --socket PATH   control socket of xswd (default %s)\n"
            "  --json          JSON output where a command supports it\n"
            "  --timeout MS    how long to wait for xswd (default 5000)\n"
            "  -h, --help      this text\n", XSW_DEFAULT_SOCKET);
}

static const struct xswctl_cmd *
xswctl_find(const char *name)
{
    for (size_t t = 0; t < sizeof xswctl_tables / sizeof xswctl_tables[0]; t++) {
        for (const struct xswctl_cmd *c = xswctl_tables[t]; c->name; c++) {
            if (!strcmp(c->name, name)) {
                return c;
            }
        }
    }
    return NULL;
}

int
main(int argc, char *argv[])
{
    static const struct option longopts[] = {
        { "socket", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct xswctl_opts opts = {
        .socket_path = XSW_DEFAULT_SOCKET,
        .json = false,
        .timeout_ms = 5000,
    };
    const struct xswctl_cmd *cmd;
    int c;

    opterr = 0;
    /* "+": stop at the command name; its options are its own. */
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            opts.socket_path = optarg;
            break;
        case 'j':
            opts.json = true;
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);

            if (*end || !*optarg || v <= 0 || v > 3600000) {
                return xswctl_usage_error("--timeout", "'%s' is not a time in ms (1 to 3600000)",
                                          optarg);
            }
            opts.timeout_ms = (int) v;
            break;
        }
        case 'h':
            xswctl_help(stdout);
            return XSWCTL_EXIT_OK;
        default:
            fprintf(stderr, "xswctl: unknown option '%s' (see 'xswctl --help')\n",
                    argv[optind - 1]);
            return XSWCTL_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        xswctl_help(stderr);
        return XSWCTL_EXIT_USAGE;
    }
    cmd = xswctl_find(argv[optind]);
    if (!cmd) {
        fprintf(stderr, "xswctl: unknown command '%s' (see 'xswctl --help')\n", argv[optind]);
        return XSWCTL_EXIT_USAGE;
    }
    return cmd->run(&opts, argc - optind, argv + optind);
}
