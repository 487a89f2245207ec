/* libFuzzer target: the text parsers of keys (with masks) and actions on
 * arbitrary strings.  What parses must format, and the formatted text must
 * parse again to the same netlink bytes (text -> netlink -> text -> netlink). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odp_text.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BUF 16384
static char kbuf[BUF] __attribute__((aligned(8)));
static char mbuf[BUF] __attribute__((aligned(8)));
static char k2buf[BUF] __attribute__((aligned(8)));
static char m2buf[BUF] __attribute__((aligned(8)));

static void
fuzz_key(const char *s)
{
    struct nlmsghdr *k = mnl_nlmsg_put_header(kbuf);
    struct nlmsghdr *m = mnl_nlmsg_put_header(mbuf);
    struct xsw_err err = { "" };
    struct strbuf sb;

    if (odp_text_parse_key(s, k, m, BUF, &err)) {
        if (!err.msg[0]) {
            abort();
        }
        return;
    }
    strbuf_init(&sb);
    odp_text_format_key(mnl_nlmsg_get_payload(k), mnl_nlmsg_get_payload_len(k),
                        NULL, 0, true, &sb);
    {
        struct nlmsghdr *k2 = mnl_nlmsg_put_header(k2buf);
        struct nlmsghdr *m2 = mnl_nlmsg_put_header(m2buf);

        /* The verbose form of a key must read back as the same key. */
        if (odp_text_parse_key(strbuf_cstr(&sb), k2, m2, BUF, &err)
            || k2->nlmsg_len != k->nlmsg_len
            || memcmp(mnl_nlmsg_get_payload(k2), mnl_nlmsg_get_payload(k),
                      mnl_nlmsg_get_payload_len(k))) {
            abort();
        }
    }
    strbuf_reset(&sb);
    odp_text_format_key(mnl_nlmsg_get_payload(k), mnl_nlmsg_get_payload_len(k),
                        mnl_nlmsg_get_payload(m), mnl_nlmsg_get_payload_len(m), false, &sb);
    strbuf_free(&sb);
}

static void
fuzz_actions(const char *s)
{
    struct nlmsghdr *a = mnl_nlmsg_put_header(kbuf);
    struct xsw_err err = { "" };
    struct strbuf sb;

    if (odp_text_parse_actions(s, a, BUF, &err)) {
        if (!err.msg[0]) {
            abort();
        }
        return;
    }
    strbuf_init(&sb);
    odp_text_format_actions(mnl_nlmsg_get_payload(a), mnl_nlmsg_get_payload_len(a), &sb);
    {
        struct nlmsghdr *a2 = mnl_nlmsg_put_header(k2buf);

        if (odp_text_parse_actions(strbuf_cstr(&sb), a2, BUF, &err)
            || a2->nlmsg_len != a->nlmsg_len
            || memcmp(mnl_nlmsg_get_payload(a2), mnl_nlmsg_get_payload(a),
                      mnl_nlmsg_get_payload_len(a))) {
            abort();
        }
    }
    strbuf_free(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;

    /* First byte picks the parser, the rest is the text. */
    if (!size) {
        return 0;
    }
    s = malloc(size);
    if (!s) {
        return 0;
    }
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (data[0] & 1) {
        fuzz_actions(s);
    } else {
        fuzz_key(s);
    }
    free(s);
    return 0;
}
