/* xswd: the switch daemon.  Thin: options, the config, then daemon.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "log.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static void
xswd_usage(FILE *out)
{
    fprintf(out,
            "usage: xswd [--config FILE] [--socket PATH] [--log-level LEVEL] [--check-config]\n"
            "\n"
            "Switches the ports of FILE's bridges through AF_XDP, in the foreground.\n"
            "  -c, --config FILE      configuration (default %s)\n"
            "  -s, --socket PATH      control socket (default: [global] socket)\n"
            "  -l, --log-level LEVEL  error, warn, info or debug (default: [global] log_level)\n"
            "      --check-config     load and check FILE, then exit\n"
            "  -V, --version          print the version\n"
            "  -h, --help             this text\n", CONFIG_DEFAULT_PATH);
}

int
main(int argc, char *argv[])
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "socket", required_argument, NULL, 's' },
        { "log-level", required_argument, NULL, 'l' },
        { "check-config", no_argument, NULL, 'C' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct daemon_options opts = { CONFIG_DEFAULT_PATH, NULL };
    const char *level_arg = NULL;
    struct xsw_err err = { "" };
    struct xsw_config *cfg;
    struct daemon *d;
    bool check_only = false;
    enum log_level level;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:s:l:Vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opts.config_path = optarg;
            break;
        case 's':
            opts.socket_path = optarg;
            break;
        case 'l':
            level_arg = optarg;
            break;
        case 'C':
            check_only = true;
            break;
        case 'V':
            printf("xswd %s\n", PACKAGE_VERSION);
            return 0;
        case 'h':
            xswd_usage(stdout);
            return 0;
        default:
            fprintf(stderr, "xswd: unknown option or missing argument '%s' (see 'xswd --help')\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "xswd: unexpected argument '%s' (see 'xswd --help')\n", argv[optind]);
        return 2;
    }
    if (level_arg && log_level_from_string(level_arg, &level)) {
        fprintf(stderr, "xswd: --log-level '%s': expected error, warn, info or debug\n",
                level_arg);
        return 2;
    }
    if (config_load(opts.config_path, &cfg, &err)) {
        fprintf(stderr, "xswd: %s\n", err.msg);
        return 1;
    }
    if (check_only) {
        printf("%s: OK (%zu bridge%s, %zu port%s)\n", opts.config_path, cfg->n_bridges,
               cfg->n_bridges == 1 ? "" : "s", cfg->n_ports, cfg->n_ports == 1 ? "" : "s");
        config_free(cfg);
        return 0;
    }
    /* The config's level names match the logger's, in the same order. */
    log_set_level(level_arg ? level : (enum log_level) cfg->global.log_level);
    if (daemon_create(&opts, cfg, &d, &err)) {
        log_error("%s", err.msg);
        return 1;
    }
    daemon_run(d);
    daemon_destroy(d);
    log_info("stopped");
    return 0;
}
