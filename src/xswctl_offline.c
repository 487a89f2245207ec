/* The xswctl commands that need no daemon: the text, hex and capture forms
 * of flow keys and actions, for checking keys against OVS and frames. */
#include "xswctl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "flow_key.h"
#include "odp_actions.h"
#include "odp_key.h"
#include "odp_text.h"
#include "strbuf.h"
#include "xsw_err.h"

#define OFFLINE_BUF 65536       /* one netlink message of attributes */

struct nlbuf {
    char mem[OFFLINE_BUF] __attribute__((aligned(8)));
    struct nlmsghdr *nlh;
};

static void
nlbuf_reset(struct nlbuf *b)
{
    b->nlh = mnl_nlmsg_put_header(b->mem);
}

static const void *
nlbuf_attrs(const struct nlbuf *b)
{
    return mnl_nlmsg_get_payload(b->nlh);
}

static size_t
nlbuf_len(const struct nlbuf *b)
{
    return mnl_nlmsg_get_payload_len(b->nlh);
}

/* Appends hex bytes ("0a1b..", spaces not allowed inside) to b's payload. */
static int
nlbuf_put_hex(struct nlbuf *b, const char *hex, size_t n, struct xsw_err *err)
{
    size_t room = sizeof b->mem - b->nlh->nlmsg_len;
    unsigned char *p = mnl_nlmsg_get_payload_tail(b->nlh);

    if (n % 2) {
        return xsw_err_set(err, EINVAL, "odd number of hex digits");
    }
    if (n / 2 > room) {
        return xsw_err_set(err, EMSGSIZE, "hex input longer than %zu bytes", room);
    }
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char) hex[i];
        int v = isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;

        if (v < 0) {
            return xsw_err_set(err, EINVAL, "bad hex digit '%c' at position %zu", c, i + 1);
        }
        p[i / 2] = (unsigned char) (i % 2 ? (p[i / 2] << 4) | v : v);
    }
    b->nlh->nlmsg_len += (uint32_t) (n / 2);
    return 0;
}

/* Strips the line ending; returns false for a comment, or for an empty line
 * of text, which is echoed as it is (so that output lines match input).  In
 * hex an empty line is content: the empty attribute list ("drop"). */
static bool
offline_line_content(char *line, bool from_hex)
{
    size_t n = strcspn(line, "\r\n");
    const char *p = line;

    line[n] = '\0';
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return *p ? *p != '#' : from_hex;
}

/* Splits "KEYHEX [MASKHEX]" into the two nlbufs. */
static int
offline_read_hex_pair(char *line, struct nlbuf *a, struct nlbuf *b, bool want_b,
                      struct xsw_err *err)
{
    char *save = NULL;
    char *first = strtok_r(line, " \t", &save);
    char *second = strtok_r(NULL, " \t", &save);
    int error;

    if (!first) {
        return 0;               /* no attributes at all */
    }
    if (strtok_r(NULL, " \t", &save)) {
        return xsw_err_set(err, EINVAL, "expected at most two hex strings");
    }
    if (second && !want_b) {
        return xsw_err_set(err, EINVAL, "a second hex string (a mask) needs --masked");
    }
    error = nlbuf_put_hex(a, first, strlen(first), err);
    if (!error && second) {
        error = nlbuf_put_hex(b, second, strlen(second), err);
    }
    return error;
}

static void
offline_print_hex(const struct nlbuf *b)
{
    struct strbuf sb;

    strbuf_init(&sb);
    strbuf_put_hex(&sb, nlbuf_attrs(b), nlbuf_len(b));
    fputs(strbuf_cstr(&sb), stdout);
    strbuf_free(&sb);
}

struct offline_flags {
    bool hex;
    bool from_hex;
    bool masked;
};

static int
offline_parse_flags(int argc, char *argv[], bool allow_masked, struct offline_flags *f)
{
    static const struct option longopts[] = {
        { "hex", no_argument, NULL, 'x' },
        { "from-hex", no_argument, NULL, 'f' },
        { "masked", no_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(f, 0, sizeof *f);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (c) {
        case 'x':
            f->hex = true;
            break;
        case 'f':
            f->from_hex = true;
            break;
        case 'm':
            if (!allow_masked) {
                return xswctl_usage_error(argv[0], "--masked is not an option of this command");
            }
            f->masked = true;
            break;
        default:
            return xswctl_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc) {
        return xswctl_usage_error(argv[0], "unexpected argument '%s' (input is read from stdin)",
                                  argv[optind]);
    }
    if (f->hex && f->from_hex) {
        return xswctl_usage_error(argv[0], "--hex and --from-hex exclude each other");
    }
    return 0;
}

/* One line of parse-keys: fills key (and mask) from text or hex and checks
 * that the key decodes, so that what is printed is a key xswd would take. */
static int
offline_key_line(char *line, const struct offline_flags *f, struct nlbuf *key,
                 struct nlbuf *mask, bool *has_mask, struct xsw_err *err)
{
    struct flow_key fk;
    struct flow_mask fm;
    struct odp_key_info info;
    int error;

    nlbuf_reset(key);
    nlbuf_reset(mask);
    if (f->from_hex) {
        error = offline_read_hex_pair(line, key, mask, f->masked, err);
    } else {
        error = odp_text_parse_key(line, key->nlh, mask->nlh, sizeof key->mem, err);
    }
    if (error) {
        return error;
    }
    error = odp_key_parse(nlbuf_attrs(key), nlbuf_len(key), &fk, &info, err);
    if (error) {
        return error;
    }
    *has_mask = nlbuf_len(mask) > 0 || (!f->from_hex && f->masked);
    if (f->masked) {
        error = odp_mask_parse(nlbuf_len(mask) ? nlbuf_attrs(mask) : NULL, nlbuf_len(mask),
                               &info, &fm, err);
        if (error) {
            xsw_err_prefix(err, "mask");
        }
    }
    return error;
}

static int
cmd_parse_keys(const struct xswctl_opts *opts, int argc, char *argv[])
{
    static struct nlbuf key, mask;
    struct offline_flags f;
    struct strbuf out;
    char *line = NULL;
    size_t cap = 0;
    int status = XSWCTL_EXIT_OK;
    int error;

    (void) opts;
    error = offline_parse_flags(argc, argv, true, &f);
    if (error) {
        return error;
    }
    strbuf_init(&out);
    while (getline(&line, &cap, stdin) != -1) {
        struct xsw_err err = { "" };
        bool has_mask = false;

        if (!offline_line_content(line, f.from_hex)) {
            puts(line);
            continue;
        }
        if (offline_key_line(line, &f, &key, &mask, &has_mask, &err)) {
            printf("error: %s\n", err.msg);
            status = XSWCTL_EXIT_FAIL;
            continue;
        }
        if (f.hex) {
            offline_print_hex(&key);
            if (f.masked) {
                putchar(' ');
                offline_print_hex(&mask);
            }
            putchar('\n');
            continue;
        }
        strbuf_reset(&out);
        if (f.masked) {
            odp_text_format_key(nlbuf_attrs(&key), nlbuf_len(&key),
                                nlbuf_attrs(&mask), nlbuf_len(&mask), false, &out);
        } else {
            odp_text_format_key(nlbuf_attrs(&key), nlbuf_len(&key), NULL, 0, true, &out);
        }
        puts(strbuf_cstr(&out));
    }
    free(line);
    strbuf_free(&out);
    return status;
}

static int
cmd_parse_actions(const struct xswctl_opts *opts, int argc, char *argv[])
{
    static struct nlbuf acts, unused;
    struct offline_flags f;
    struct strbuf out;
    char *line = NULL;
    size_t cap = 0;
    int status = XSWCTL_EXIT_OK;
    int error;

    (void) opts;
    error = offline_parse_flags(argc, argv, false, &f);
    if (error) {
        return error;
    }
    strbuf_init(&out);
    while (getline(&line, &cap, stdin) != -1) {
        struct xsw_err err = { "" };

        if (!offline_line_content(line, f.from_hex)) {
            puts(line);
            continue;
        }
        nlbuf_reset(&acts);
        nlbuf_reset(&unused);
        error = f.from_hex ? offline_read_hex_pair(line, &acts, &unused, false, &err)
                           : odp_text_parse_actions(line, acts.nlh, sizeof acts.mem, &err);
        if (!error) {
            error = odp_actions_validate(nlbuf_attrs(&acts), nlbuf_len(&acts), &err);
        }
        if (error) {
            printf("error: %s\n", err.msg);
            status = XSWCTL_EXIT_FAIL;
            continue;
        }
        if (f.hex) {
            offline_print_hex(&acts);
            putchar('\n');
            continue;
        }
        strbuf_reset(&out);
        odp_text_format_actions(nlbuf_attrs(&acts), nlbuf_len(&acts), &out);
        puts(strbuf_cstr(&out));
    }
    free(line);
    strbuf_free(&out);
    return status;
}

static int
cmd_extract(const struct xswctl_opts *opts, int argc, char *argv[])
{
    static const struct option longopts[] = {
        { "in-port", required_argument, NULL, 'p' },
        { "hex", no_argument, NULL, 'x' },
        { NULL, 0, NULL, 0 },
    };
    static struct nlbuf key;
    char errbuf[PCAP_ERRBUF_SIZE];
    struct flow_meta md = { 0 };
    struct pcap_pkthdr *hdr;
    const u_char *data;
    struct strbuf out;
    bool hex = false;
    pcap_t *pcap;
    int status = XSWCTL_EXIT_OK;
    int c, rc;

    (void) opts;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': {
            char *end;
            unsigned long v;

            errno = 0;
            v = strtoul(optarg, &end, 0);
            if (errno || *end || !*optarg || v > UINT32_MAX || optarg[0] == '-') {
                return xswctl_usage_error(argv[0], "--in-port: '%s' is not a port number "
                                          "(0 to 4294967295)", optarg);
            }
            md.in_port = (uint32_t) v;
            break;
        }
        case 'x':
            hex = true;
            break;
        default:
            return xswctl_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1) {
        return xswctl_usage_error(argv[0], "expected one capture file (pcap)");
    }
    pcap = pcap_open_offline(argv[optind], errbuf);
    if (!pcap) {
        fprintf(stderr, "xswctl: extract: %s\n", errbuf);
        return XSWCTL_EXIT_FAIL;
    }
    if (pcap_datalink(pcap) != DLT_EN10MB) {
        fprintf(stderr, "xswctl: extract: %s: link type %s, expected Ethernet (EN10MB)\n",
                argv[optind], pcap_datalink_val_to_name(pcap_datalink(pcap)) ?: "unknown");
        pcap_close(pcap);
        return XSWCTL_EXIT_FAIL;
    }
    strbuf_init(&out);
    while ((rc = pcap_next_ex(pcap, &hdr, &data)) == 1) {
        struct flow_key fk;

        /* A capture cut short by its snap length is keyed on what it holds,
         * as a datapath would key a truncated frame. */
        flow_extract(data, hdr->caplen, &md, &fk, NULL);
        nlbuf_reset(&key);
        if (odp_key_put(key.nlh, sizeof key.mem, &fk)) {
            printf("error: key does not fit in %zu bytes\n", sizeof key.mem);
            status = XSWCTL_EXIT_FAIL;
            continue;
        }
        if (hex) {
            offline_print_hex(&key);
            putchar('\n');
            continue;
        }
        strbuf_reset(&out);
        odp_text_format_key(nlbuf_attrs(&key), nlbuf_len(&key), NULL, 0, true, &out);
        puts(strbuf_cstr(&out));
    }
    if (rc == -1) {
        fprintf(stderr, "xswctl: extract: %s: %s\n", argv[optind], pcap_geterr(pcap));
        status = XSWCTL_EXIT_FAIL;
    }
    strbuf_free(&out);
    pcap_close(pcap);
    return status;
}

const struct xswctl_cmd xswctl_offline_cmds[] = {
    { "parse-keys", "[--masked] [--hex | --from-hex]",
      "read flow keys on stdin, print each in canonical form", cmd_parse_keys },
    { "parse-actions", "[--hex | --from-hex]",
      "read action lists on stdin, print each in canonical form", cmd_parse_actions },
    { "extract", "[--in-port N] [--hex] FILE.pcap",
      "print the flow key of every frame of a capture", cmd_extract },
    { NULL, NULL, NULL, NULL },
};
