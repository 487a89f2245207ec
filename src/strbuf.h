/* strbuf: a growable, always NUL-terminated string for formatting output
 * (flow text, command replies).
 *
 * Control-path only: it allocates.  Any thread may use its own strbuf; the
 * owner frees it with strbuf_free().  On allocation failure the buffer keeps
 * what it had and strbuf_failed() turns true, so formatters need not check
 * every call. */
#ifndef XSW_STRBUF_H
#define XSW_STRBUF_H 1

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *s;            /* NUL-terminated; never NULL after strbuf_init() */
    size_t len;
    size_t cap;
    bool failed;        /* an allocation failed: output is truncated */
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);       /* length 0, keeps memory */
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_put(struct strbuf *sb, const void *data, size_t len);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_put_hex(struct strbuf *sb, const void *data, size_t len);
void strbuf_put_mac(struct strbuf *sb, const unsigned char mac[6]);
/* Removes a trailing c, if there is one ("a,b," -> "a,b"). */
void strbuf_chomp(struct strbuf *sb, char c);
/* Gives the string to the caller (free() it); sb is left empty. */
char *strbuf_steal(struct strbuf *sb);

static inline const char *
strbuf_cstr(const struct strbuf *sb)
{
    return sb->s;
}

static inline bool
strbuf_failed(const struct strbuf *sb)
{
    return sb->failed;
}

#endif /* XSW_STRBUF_H */
