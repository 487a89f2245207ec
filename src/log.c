#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level log_level = LOG_LEVEL_INFO;
static const char *const log_names[] = { "error", "warn", "info", "debug" };
static pthread_mutex_t log_rate_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_set_level(enum log_level level)
{
    __atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

enum log_level
log_get_level(void)
{
    return __atomic_load_n(&log_level, __ATOMIC_RELAXED);
}

int
log_level_from_string(const char *s, enum log_level *level)
{
    for (unsigned int i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
        if (!strcasecmp(s, log_names[i])) {
            *level = (enum log_level) i;
            return 0;
        }
    }
    return -EINVAL;
}

const char *
log_level_to_string(enum log_level level)
{
    return (unsigned int) level < sizeof log_names / sizeof log_names[0]
           ? log_names[level] : "?";
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int n;

    if (level > log_get_level()) {
        return;
    }
    n = snprintf(buf, sizeof buf, "xswd: %s: ", log_level_to_string(level));
    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof buf - (size_t) n, fmt, ap);
    va_end(ap);
    /* One write per line keeps lines from different threads whole. */
    n = (int) strlen(buf);
    if (n < (int) sizeof buf - 1) {
        buf[n++] = '\n';
    }
    if (write(STDERR_FILENO, buf, (size_t) n) < 0) {
        /* nowhere left to say it */
    }
}

bool
log_rate_allow(struct log_rate *rl, uint32_t burst, uint32_t interval_s, uint32_t *suppressed)
{
    struct timespec ts;
    uint64_t now;
    bool ok;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    now = (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
    pthread_mutex_lock(&log_rate_lock);
    *suppressed = 0;
    if (now - rl->window_start_ns > (uint64_t) interval_s * 1000000000u) {
        *suppressed = rl->suppressed;
        rl->window_start_ns = now;
        rl->in_window = 0;
        rl->suppressed = 0;
    }
    ok = rl->in_window < burst;
    if (ok) {
        rl->in_window++;
    } else {
        rl->suppressed++;
    }
    pthread_mutex_unlock(&log_rate_lock);
    return ok;
}
