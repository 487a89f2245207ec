#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb)
{
    sb->s = strbuf_empty;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void
strbuf_free(struct strbuf *sb)
{
    if (sb->cap) {
        free(sb->s);
    }
    strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->cap) {
        sb->s[0] = '\0';
    }
    sb->failed = false;
}

/* Makes room for n more bytes plus the terminator. */
static bool
strbuf_reserve(struct strbuf *sb, size_t n)
{
    size_t need = sb->len + n + 1;
    size_t cap;
    char *s;

    if (sb->failed) {
        return false;
    }
    if (need <= sb->cap) {
        return true;
    }
    cap = sb->cap ? sb->cap : 64;
    while (cap < need) {
        cap *= 2;
    }
    s = realloc(sb->cap ? sb->s : NULL, cap);
    if (!s) {
        sb->failed = true;
        return false;
    }
    if (!sb->cap) {
        s[0] = '\0';
    }
    sb->s = s;
    sb->cap = cap;
    return true;
}

void
strbuf_put(struct strbuf *sb, const void *data, size_t len)
{
    if (!strbuf_reserve(sb, len)) {
        return;
    }
    memcpy(sb->s + sb->len, data, len);
    sb->len += len;
    sb->s[sb->len] = '\0';
}

void
strbuf_putc(struct strbuf *sb, char c)
{
    strbuf_put(sb, &c, 1);
}

void
strbuf_puts(struct strbuf *sb, const char *s)
{
    strbuf_put(sb, s, strlen(s));
}

void
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !strbuf_reserve(sb, (size_t) n)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, (size_t) n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t) n;
}

void
strbuf_put_hex(struct strbuf *sb, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = data;

    if (!strbuf_reserve(sb, 2 * len)) {
        return;
    }
    for (size_t i = 0; i < len; i++) {
        sb->s[sb->len++] = digits[p[i] >> 4];
        sb->s[sb->len++] = digits[p[i] & 15];
    }
    sb->s[sb->len] = '\0';
}

void
strbuf_put_mac(struct strbuf *sb, const unsigned char mac[6])
{
    strbuf_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x",
                  mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
strbuf_chomp(struct strbuf *sb, char c)
{
    if (sb->len && sb->s[sb->len - 1] == c) {
        sb->s[--sb->len] = '\0';
    }
}

char *
strbuf_steal(struct strbuf *sb)
{
    char *s = sb->cap ? sb->s : strdup("");

    strbuf_init(sb);
    return s;
}
