/* xswctl: the command table shared by xswctl's main and its command modules
 * (xswctl_offline.c: keys, actions and captures without a daemon; the
 * daemon commands talk to xswd's control socket).
 *
 * Single-threaded program; commands print to stdout, errors to stderr, and
 * return the exit status: 0 success, 1 failure, 2 bad usage. */
#ifndef XSW_XSWCTL_H
#define XSW_XSWCTL_H 1

#include <stdbool.h>

#define XSWCTL_EXIT_OK 0
#define XSWCTL_EXIT_FAIL 1
#define XSWCTL_EXIT_USAGE 2

struct xswctl_opts {
    const char *socket_path;    /* --socket, default XSW_DEFAULT_SOCKET */
    bool json;                  /* --json */
    int timeout_ms;             /* --timeout */
};

/* argv[0] is the command name; getopt may be used (optind is reset). */
typedef int xswctl_cmd_fn(const struct xswctl_opts *opts, int argc, char *argv[]);

struct xswctl_cmd {
    const char *name;
    const char *usage;          /* arguments, as printed by --help */
    const char *help;           /* one line */
    xswctl_cmd_fn *run;
};

/* NULL-name-terminated tables. */
extern const struct xswctl_cmd xswctl_offline_cmds[];
extern const struct xswctl_cmd xswctl_dpctl_cmds[];     /* xswctl_dpctl.c */

/* Prints "xswctl: COMMAND: message" to stderr and returns XSWCTL_EXIT_USAGE. */
int xswctl_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* XSW_XSWCTL_H */
