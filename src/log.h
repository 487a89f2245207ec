/* log: xswd's messages, to stderr (journald when run by systemd), with a
 * level settable at run time and a rate limit for messages that traffic can
 * trigger.
 *
 * Any thread.  The level is the one piece of process-wide state outside the
 * mains: every module logs, and passing a logger through each call would buy
 * nothing.  Messages say what happened and to what: "veth0: port 3 removed:
 * the device is gone". */
#ifndef XSW_LOG_H
#define XSW_LOG_H 1

#include <stdbool.h>
#include <stdint.h>

enum log_level {
    LOG_LEVEL_ERROR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
};

void log_set_level(enum log_level);
enum log_level log_get_level(void);
/* "error", "warn", "info", "debug"; -EINVAL for anything else. */
int log_level_from_string(const char *, enum log_level *);
const char *log_level_to_string(enum log_level);

void log_msg(enum log_level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* At most burst messages per interval_s seconds from one call site; the
 * number suppressed is reported with the next message let through. */
struct log_rate {
    uint64_t window_start_ns;
    uint32_t in_window;
    uint32_t suppressed;
};

bool log_rate_allow(struct log_rate *, uint32_t burst, uint32_t interval_s,
                    uint32_t *suppressed);

#define log_ratelimited(level, ...)                                         \
    do {                                                                    \
        static struct log_rate rl__;                                        \
        uint32_t sup__;                                                     \
        if (log_rate_allow(&rl__, 5, 5, &sup__)) {                          \
            if (sup__) {                                                    \
                log_msg(level, "(%u similar messages suppressed)", sup__);  \
            }                                                               \
            log_msg(level, __VA_ARGS__);                                    \
        }                                                                   \
    } while (0)

#endif /* XSW_LOG_H */
