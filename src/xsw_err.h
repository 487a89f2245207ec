/* xsw_err: the error message that goes with a negative errno return.
 *
 * Parsers and validators (config, netlink decoders, text parsers) fill one so
 * that the user reads what was wrong and where, not just "Invalid argument".
 * Pure; any thread; the caller owns the struct (usually on its stack). */
#ifndef XSW_ERR_H
#define XSW_ERR_H 1

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct xsw_err {
    char msg[256];
};

/* Sets err->msg (if err is not NULL) and returns -error, so that a failing
 * function can end with "return xsw_err_set(err, EINVAL, "...", ...);". */
static inline int __attribute__((format(printf, 3, 4)))
xsw_err_set(struct xsw_err *err, int error, const char *fmt, ...)
{
    if (err) {
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -error;
}

/* Prefixes err->msg with "CONTEXT: " (e.g. the attribute being decoded). */
static inline void
xsw_err_prefix(struct xsw_err *err, const char *context)
{
    if (err) {
        size_t cap = sizeof err->msg;
        size_t cl = strlen(context);
        size_t ml = strlen(err->msg);

        if (cl > cap - 3) {
            cl = cap - 3;
        }
        if (ml > cap - 1 - cl - 2) {
            ml = cap - 1 - cl - 2;      /* the tail of the message is cut */
        }
        memmove(err->msg + cl + 2, err->msg, ml);
        err->msg[cl + 2 + ml] = '\0';
        memcpy(err->msg, context, cl);
        err->msg[cl] = ':';
        err->msg[cl + 1] = ' ';
    }
}

static inline void
xsw_err_clear(struct xsw_err *err)
{
    if (err) {
        err->msg[0] = '\0';
    }
}

#endif /* XSW_ERR_H */
