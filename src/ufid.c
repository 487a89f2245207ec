#include "ufid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Reads exactly n hex digits. */
static bool
ufid_hex(const char *s, int n, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < n; i++) {
        int c = (unsigned char) s[i];

        if (!isxdigit(c)) {
            return false;
        }
        v = (v << 4) | (uint32_t) (isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
    }
    *out = v;
    return true;
}

int
ufid_parse(const char *s, struct ufid *ufid)
{
    /* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
    static const int groups[] = { 8, 4, 4, 4, 4, 8 };
    uint32_t g[6];
    const char *p;

    if (strncmp(s, "ufid:", 5)) {
        return 0;
    }
    p = s + 5;
    for (int i = 0; i < 6; i++) {
        if (!ufid_hex(p, groups[i], &g[i])) {
            return 0;
        }
        p += groups[i];
        /* The last two groups form one 12-digit block: no dash between. */
        if (i < 4) {
            if (*p != '-') {
                return 0;
            }
            p++;
        }
    }
    if (isxdigit((unsigned char) *p)) {
        return 0;
    }
    ufid->u32[0] = g[0];
    ufid->u32[1] = g[1] << 16 | g[2];
    ufid->u32[2] = g[3] << 16 | g[4];
    ufid->u32[3] = g[5];
    return (int) (p - s);
}

void
ufid_to_string(const struct ufid *u, char buf[UFID_STRLEN])
{
    snprintf(buf, UFID_STRLEN, "ufid:%08x-%04x-%04x-%04x-%04x%08x",
             u->u32[0], u->u32[1] >> 16, u->u32[1] & 0xffff,
             u->u32[2] >> 16, u->u32[2] & 0xffff, u->u32[3]);
}

void
ufid_format(const struct ufid *ufid, struct strbuf *out)
{
    char buf[UFID_STRLEN];

    ufid_to_string(ufid, buf);
    strbuf_puts(out, buf);
}
