/* odp_text: flow keys and masks as text, byte for byte the way Open vSwitch's
 * odp-util prints and reads them.  The rules (which fields a mask hides,
 * which spelling each number takes, what an unusual mask looks like) follow
 * OVS's own formatter, including its oddities, so that text produced here can
 * be compared with `ovs-dpctl dump-flows` output as strings. */
#include "odp_text.h"
#include "odp_text_private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/openvswitch.h>

#include "ufid.h"

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])

/* Payload lengths that are not fixed (OVS's ATTR_LEN_*); LEN_UNKNOWN marks
 * a type the text layer has no layout for: its bytes are printed as they are
 * and never length-checked. */
#define LEN_UNKNOWN  (-1)
#define LEN_VARIABLE (-2)
#define LEN_NESTED   (-3)

/* OVS_KEY_ATTR_ND_EXTENSIONS carries OVS's struct ovs_key_nd_extensions
 * (be32 nd_reserved, u8 nd_options_type, padding), which the kernel header
 * does not define. */
#define ND_EXT_LEN 8

/* Tunnel flags as OVS numbers them in flags(...). */
#define TNL_F_OAM   (1u << 0)
#define TNL_F_DF    (1u << 1)
#define TNL_F_CSUM  (1u << 2)
#define TNL_F_KEY   (1u << 3)
#define TNL_F_MASK  0xfu

/* Geneve options: at most 63 words of 4 bytes. */
#define GENEVE_OPTS_MAX 252

/* ====================================================================== */
/* Shared helpers (declared in odp_text_private.h).                        */
/* ====================================================================== */

const uint8_t *
odp_text_nla_find(const void *attrs, size_t len, uint16_t type)
{
    const uint8_t *a;
    size_t left;

    if (!attrs) {
        return NULL;
    }
    ODP_TEXT_NLA_FOR_EACH (a, left, attrs, len) {
        if (odp_text_nla_type(a) == type) {
            return a;
        }
    }
    return NULL;
}

bool
odp_text_all_bytes(const void *p_, size_t n, uint8_t c)
{
    const uint8_t *p = p_;

    for (size_t i = 0; i < n; i++) {
        if (p[i] != c) {
            return false;
        }
    }
    return true;
}

/* Not mnl_attr_put(): libmnl before 1.0.5 leaves the padding after the
 * payload as it was, and keys are compared as bytes. */
bool
odp_text_put(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
             const void *data, size_t len)
{
    size_t start = MNL_ALIGN(nlh->nlmsg_len);
    size_t total = NLA_ALIGN(NLA_HDRLEN + len);
    uint16_t hdr[2];
    uint8_t *p;

    if (len > UINT16_MAX - NLA_HDRLEN || start > buflen || total > buflen - start) {
        return false;
    }
    p = (uint8_t *) nlh + start;
    hdr[0] = (uint16_t) (NLA_HDRLEN + len);
    hdr[1] = type;
    memcpy(p, hdr, NLA_HDRLEN);
    if (len) {
        memcpy(p + NLA_HDRLEN, data, len);
    }
    memset(p + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
    nlh->nlmsg_len = (uint32_t) (start + total);
    return true;
}

struct nlattr *
odp_text_nest_start(struct nlmsghdr *nlh, size_t buflen, uint16_t type)
{
    struct nlattr *start = (struct nlattr *) ((uint8_t *) nlh
                                              + MNL_ALIGN(nlh->nlmsg_len));

    if (!odp_text_put(nlh, buflen, type, NULL, 0)) {
        return NULL;
    }
    return start;
}

bool
odp_text_nest_end(struct nlmsghdr *nlh, struct nlattr *start)
{
    size_t len = (size_t) ((char *) mnl_nlmsg_get_payload_tail(nlh)
                           - (char *) start);

    if (len > UINT16_MAX) {
        return false;
    }
    start->nla_len = (uint16_t) len;
    return true;
}

static int
hexit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int
odp_text_scan_uint_base(const char *s, int base, uint64_t max, uint64_t *value)
{
    const char *p = s;
    uint64_t v = 0;
    int digits = 0;

    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    for (;;) {
        int d = hexit((unsigned char) *p);

        if (d < 0 || d >= base) {
            break;
        }
        if ((uint64_t) d > max || v > (max - (uint64_t) d) / (uint64_t) base) {
            return 0;
        }
        v = v * (uint64_t) base + (uint64_t) d;
        digits++;
        p++;
    }
    if (!digits) {
        return 0;
    }
    *value = v;
    return (int) (p - s);
}

int
odp_text_scan_uint(const char *s, uint64_t max, uint64_t *value)
{
    return odp_text_scan_uint_base(s, 0, max, value);
}

int
odp_text_scan_eth(const char *s, uint8_t mac[6])
{
    const char *p = s;

    for (int i = 0; i < 6; i++) {
        int hi, lo;

        if (i) {
            if (*p != ':') {
                return 0;
            }
            p++;
        }
        hi = hexit((unsigned char) *p);
        if (hi < 0) {
            return 0;
        }
        p++;
        lo = hexit((unsigned char) *p);
        if (lo >= 0) {
            mac[i] = (uint8_t) (hi << 4 | lo);
            p++;
        } else {
            mac[i] = (uint8_t) hi;
        }
    }
    return (int) (p - s);
}

int
odp_text_scan_ipv4(const char *s, uint32_t *be32)
{
    const char *p = s;
    uint8_t b[4];

    for (int i = 0; i < 4; i++) {
        uint64_t v;
        int n;

        if (i) {
            if (*p != '.') {
                return 0;
            }
            p++;
        }
        n = odp_text_scan_uint_base(p, 10, 255, &v);
        if (!n) {
            return 0;
        }
        b[i] = (uint8_t) v;
        p += n;
    }
    memcpy(be32, b, 4);
    return (int) (p - s);
}

int
odp_text_scan_in6(const char *s, void *in6)
{
    char buf[INET6_ADDRSTRLEN + 1];
    size_t n = strspn(s, "0123456789abcdefABCDEF:.");

    /* As OVS's "%46[...]": a longer run is cut and then fails. */
    if (!n || n > 46) {
        return 0;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET6, buf, in6) != 1) {
        return 0;
    }
    return (int) n;
}

int
odp_text_scan_int_bytes(const char *s, uint8_t *be, size_t width)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        const char *p = s + 2;
        const char *digits;
        size_t n;

        while (*p == '0') {
            p++;
        }
        digits = p;
        while (hexit((unsigned char) *p) >= 0) {
            p++;
        }
        n = (size_t) (p - digits);
        if ((n + 1) / 2 > width) {
            return 0;
        }
        memset(be, 0, width);
        for (size_t i = 0; i < n; i++) {
            /* Digit i counted from the right goes to byte width-1-i/2. */
            size_t from_right = n - 1 - i;
            uint8_t d = (uint8_t) hexit((unsigned char) digits[i]);

            be[width - 1 - from_right / 2] |= (uint8_t) (from_right % 2 ? d << 4 : d);
        }
        return (int) (p - s);
    } else {
        uint64_t v;
        uint64_t max = width >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
        int n = odp_text_scan_uint(s, max, &v);

        if (!n) {
            return 0;
        }
        for (size_t i = width; i > 0; i--) {
            be[i - 1] = (uint8_t) v;
            v >>= 8;
        }
        return n;
    }
}

int
odp_text_scan_hex_bytes(const char *s, uint8_t *out, size_t *n)
{
    const char *p = s;
    size_t count = 0;

    for (;;) {
        const char *q = p;
        int hi, lo;

        if (count) {
            q += strspn(q, " \t\r\n");
        }
        hi = hexit((unsigned char) q[0]);
        lo = hi >= 0 ? hexit((unsigned char) q[1]) : -1;
        if (hi < 0 || lo < 0) {
            break;
        }
        if (out) {
            out[count] = (uint8_t) (hi << 4 | lo);
        }
        count++;
        p = q + 2;
    }
    *n = count;
    return (int) (p - s);
}

void
odp_text_token(const char *s, const char *stop, char *buf, size_t size)
{
    size_t max = size > 4 ? size - 4 : 0;
    size_t i = 0;

    if (!size) {
        return;
    }
    while (s[i] && !strchr(stop, s[i]) && i < max) {
        unsigned char c = (unsigned char) s[i];

        buf[i] = c >= 0x20 && c < 0x7f ? (char) c : '?';
        i++;
    }
    if (s[i] && !strchr(stop, s[i]) && size > 4) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
}

int
odp_text_check_parens(const char *s, struct xsw_err *err)
{
    long depth = 0;

    for (; *s; s++) {
        if (*s == '(') {
            depth++;
        } else if (*s == ')' && --depth < 0) {
            break;
        }
    }
    if (depth) {
        return xsw_err_set(err, EINVAL, "unbalanced parentheses");
    }
    return 0;
}

void
odp_text_put_hex_spaced(struct strbuf *sb, const void *p_, size_t n)
{
    const uint8_t *p = p_;

    for (size_t i = 0; i < n; i++) {
        if (i) {
            strbuf_putc(sb, ' ');
        }
        strbuf_put_hex(sb, p + i, 1);
    }
}

void
odp_text_put_hex_value(struct strbuf *sb, const void *p_, size_t n)
{
    const uint8_t *p = p_;
    size_t i = 0;

    while (i < n && !p[i]) {
        i++;
    }
    if (i == n) {
        strbuf_putc(sb, '0');
        return;
    }
    strbuf_printf(sb, "0x%"PRIx8, p[i]);
    strbuf_put_hex(sb, p + i + 1, n - i - 1);
}

void
odp_text_u128_to_be(const uint8_t host[16], uint8_t be[16])
{
    uint64_t lo, hi;

    memcpy(&lo, host, 8);
    memcpy(&hi, host + 8, 8);
    for (int i = 0; i < 8; i++) {
        be[i] = (uint8_t) (hi >> (56 - 8 * i));
        be[8 + i] = (uint8_t) (lo >> (56 - 8 * i));
    }
}

void
odp_text_u128_from_be(const uint8_t be[16], uint8_t host[16])
{
    uint64_t lo = 0, hi = 0;

    for (int i = 0; i < 8; i++) {
        hi = hi << 8 | be[i];
        lo = lo << 8 | be[8 + i];
    }
    memcpy(host, &lo, 8);
    memcpy(host + 8, &hi, 8);
}

void
odp_text_format_u128(struct strbuf *sb, const uint8_t *key, const uint8_t *mask,
                     bool verbose)
{
    uint8_t be[16];

    if (verbose || (mask && !odp_text_all_bytes(mask, 16, 0))) {
        odp_text_u128_to_be(key, be);
        odp_text_put_hex_value(sb, be, 16);
        if (mask && !odp_text_all_bytes(mask, 16, 0xff)) {
            odp_text_u128_to_be(mask, be);
            strbuf_putc(sb, '/');
            odp_text_put_hex_value(sb, be, 16);
        }
    }
}

void
odp_text_format_vlan_tci(struct strbuf *sb, uint16_t tci, uint16_t mask,
                         bool verbose)
{
    unsigned int vid = tci & 0xfff, vid_mask = mask & 0xfff;
    unsigned int pcp = tci >> 13, pcp_mask = mask >> 13;

    if (verbose || vid || vid_mask) {
        strbuf_printf(sb, "vid=%u", vid);
        if (vid_mask != 0xfff) {
            strbuf_printf(sb, "/0x%x", vid_mask);
        }
        strbuf_putc(sb, ',');
    }
    if (verbose || pcp || pcp_mask) {
        strbuf_printf(sb, "pcp=%u", pcp);
        if (pcp_mask != 7) {
            strbuf_printf(sb, "/0x%x", pcp_mask);
        }
        strbuf_putc(sb, ',');
    }
    if (!(tci & 0x1000)) {
        strbuf_puts(sb, "cfi=0,");
    }
    strbuf_chomp(sb, ',');
}

void
odp_text_format_mpls_lse(struct strbuf *sb, uint32_t lse)
{
    strbuf_printf(sb, "label=%"PRIu32",tc=%"PRIu32",ttl=%"PRIu32",bos=%"PRIu32,
                  lse >> 12, (lse >> 9) & 7, lse & 0xff, (lse >> 8) & 1);
}

void
odp_text_format_flags(struct strbuf *sb, odp_text_flag_name_fn *name,
                      uint32_t flags, char delim)
{
    uint32_t bad = 0;

    if (!flags) {
        strbuf_putc(sb, '0');
        return;
    }
    while (flags) {
        uint32_t bit = flags & -flags;
        const char *s = name(bit);

        if (s) {
            strbuf_printf(sb, "%s%c", s, delim);
        } else {
            bad |= bit;
        }
        flags &= ~bit;
    }
    if (bad) {
        strbuf_printf(sb, "0x%"PRIx32"%c", bad, delim);
    }
    strbuf_chomp(sb, delim);
}

void
odp_text_format_flags_masked(struct strbuf *sb, odp_text_flag_name_fn *name,
                             uint32_t flags, uint32_t mask, uint32_t max)
{
    if (mask == max) {
        odp_text_format_flags(sb, name, flags, '|');
        return;
    }
    if (!mask) {
        strbuf_puts(sb, "0/0");
        return;
    }
    while (mask) {
        uint32_t bit = mask & -mask;
        const char *s = name(bit);

        strbuf_printf(sb, "%s%s", flags & bit ? "+" : "-", s ? s : "[Unknown]");
        mask &= ~bit;
    }
}

int
odp_text_parse_flags(const char *s, odp_text_flag_name_fn *name, char end,
                     uint32_t allowed, uint32_t *res_flags, uint32_t *res_mask)
{
    uint32_t result = 0;
    int n = 0;

    /* Numeric "flags/mask". */
    if (res_mask) {
        uint64_t f, m;
        int n1 = odp_text_scan_uint(s, UINT32_MAX, &f);

        if (n1 && s[n1] == '/') {
            int n2 = odp_text_scan_uint(s + n1 + 1, UINT32_MAX, &m);

            if (n2) {
                if ((f | m) & ~(uint64_t) allowed) {
                    return -1;
                }
                *res_flags = (uint32_t) f;
                *res_mask = (uint32_t) m;
                return n1 + 1 + n2;
            }
        }
    }

    /* "+name-name": only the named bits are masked. */
    if (res_mask && (*s == '+' || *s == '-')) {
        uint32_t flags = 0, mask = 0;

        while (s[n] != end) {
            bool set;
            uint32_t bit;
            size_t len = 0;

            if (s[n] == '+') {
                set = true;
            } else if (s[n] == '-') {
                set = false;
            } else {
                return -1;
            }
            n++;
            for (bit = 1; bit; bit <<= 1) {
                const char *fname = name(bit);

                if (!fname) {
                    continue;
                }
                len = strlen(fname);
                if (!strncmp(s + n, fname, len)
                    && (s[n + len] == '+' || s[n + len] == '-'
                        || s[n + len] == end)) {
                    break;
                }
            }
            if (!bit || (mask & bit) || !(bit & allowed)) {
                return -1;
            }
            if (set) {
                flags |= bit;
            }
            mask |= bit;
            n += (int) len;
        }
        *res_flags = flags;
        *res_mask = mask;
        return n;
    }

    /* "name|name|0x..": exact match on all bits. */
    while (s[n] != end) {
        uint64_t num;
        uint32_t bit;
        int n0 = odp_text_scan_uint(s + n, UINT32_MAX, &num);

        if (n0) {
            if (num & ~(uint64_t) allowed) {
                return -1;
            }
            result |= (uint32_t) num;
            n += n0 + (s[n + n0] == '|');
            continue;
        }
        for (bit = 1; bit; bit <<= 1) {
            const char *fname = name(bit);
            size_t len;

            if (!fname) {
                continue;
            }
            len = strlen(fname);
            if (!strncmp(s + n, fname, len)
                && (s[n + len] == '|' || s[n + len] == end)) {
                if (!(bit & allowed)) {
                    return -1;
                }
                result |= bit;
                n += (int) len + (s[n + len] == '|');
                break;
            }
        }
        if (!bit) {
            return -1;
        }
    }
    *res_flags = result;
    if (res_mask) {
        *res_mask = UINT32_MAX;
    }
    return n;
}

/* ====================================================================== */
/* Attribute layouts.                                                      */
/* ====================================================================== */

enum field_kind {
    FK_ETH,         /* MAC address */
    FK_IPV4,        /* dotted quad */
    FK_IN6,         /* IPv6 address */
    FK_LABEL,       /* be32 IPv6 flow label, "%#x", 20 bits */
    FK_U8D,         /* "%u", mask "%#x" */
    FK_U8X,         /* "%#x" */
    FK_BE16D,       /* "%u", mask "%#x" */
    FK_BE16X,       /* "%#x" */
    FK_BE32X,       /* "%#x" */
    FK_BE64,        /* "0x%x", mask "%#x" (tun_id) */
    FK_FRAG,        /* no/first/later */
};

static const uint8_t field_sizes[] = {
    [FK_ETH] = 6, [FK_IPV4] = 4, [FK_IN6] = 16, [FK_LABEL] = 4,
    [FK_U8D] = 1, [FK_U8X] = 1, [FK_BE16D] = 2, [FK_BE16X] = 2,
    [FK_BE32X] = 4, [FK_BE64] = 8, [FK_FRAG] = 1,
};

struct field {
    const char *name;
    const char *alias;      /* another spelling the parser accepts */
    uint8_t ofs;
    uint8_t kind;
};

#define FIELD(NAME, STRUCT, MEMBER, KIND) \
    { NAME, NULL, offsetof(struct STRUCT, MEMBER), KIND }

/* Each list is in the order OVS prints the fields. */
static const struct field eth_fields[] = {
    FIELD("src", ovs_key_ethernet, eth_src, FK_ETH),
    FIELD("dst", ovs_key_ethernet, eth_dst, FK_ETH),
};
static const struct field ipv4_fields[] = {
    FIELD("src", ovs_key_ipv4, ipv4_src, FK_IPV4),
    FIELD("dst", ovs_key_ipv4, ipv4_dst, FK_IPV4),
    FIELD("proto", ovs_key_ipv4, ipv4_proto, FK_U8D),
    FIELD("tos", ovs_key_ipv4, ipv4_tos, FK_U8X),
    FIELD("ttl", ovs_key_ipv4, ipv4_ttl, FK_U8D),
    FIELD("frag", ovs_key_ipv4, ipv4_frag, FK_FRAG),
};
static const struct field ipv6_fields[] = {
    FIELD("src", ovs_key_ipv6, ipv6_src, FK_IN6),
    FIELD("dst", ovs_key_ipv6, ipv6_dst, FK_IN6),
    FIELD("label", ovs_key_ipv6, ipv6_label, FK_LABEL),
    FIELD("proto", ovs_key_ipv6, ipv6_proto, FK_U8D),
    FIELD("tclass", ovs_key_ipv6, ipv6_tclass, FK_U8X),
    FIELD("hlimit", ovs_key_ipv6, ipv6_hlimit, FK_U8D),
    FIELD("frag", ovs_key_ipv6, ipv6_frag, FK_FRAG),
};
static const struct field tcp_fields[] = {
    FIELD("src", ovs_key_tcp, tcp_src, FK_BE16D),
    FIELD("dst", ovs_key_tcp, tcp_dst, FK_BE16D),
};
static const struct field udp_fields[] = {
    FIELD("src", ovs_key_udp, udp_src, FK_BE16D),
    FIELD("dst", ovs_key_udp, udp_dst, FK_BE16D),
};
static const struct field sctp_fields[] = {
    FIELD("src", ovs_key_sctp, sctp_src, FK_BE16D),
    FIELD("dst", ovs_key_sctp, sctp_dst, FK_BE16D),
};
static const struct field icmp_fields[] = {
    FIELD("type", ovs_key_icmp, icmp_type, FK_U8D),
    FIELD("code", ovs_key_icmp, icmp_code, FK_U8D),
};
static const struct field icmpv6_fields[] = {
    FIELD("type", ovs_key_icmpv6, icmpv6_type, FK_U8D),
    FIELD("code", ovs_key_icmpv6, icmpv6_code, FK_U8D),
};
static const struct field arp_fields[] = {
    FIELD("sip", ovs_key_arp, arp_sip, FK_IPV4),
    FIELD("tip", ovs_key_arp, arp_tip, FK_IPV4),
    FIELD("op", ovs_key_arp, arp_op, FK_BE16D),
    FIELD("sha", ovs_key_arp, arp_sha, FK_ETH),
    FIELD("tha", ovs_key_arp, arp_tha, FK_ETH),
};
static const struct field nd_fields[] = {
    FIELD("target", ovs_key_nd, nd_target, FK_IN6),
    FIELD("sll", ovs_key_nd, nd_sll, FK_ETH),
    FIELD("tll", ovs_key_nd, nd_tll, FK_ETH),
};
static const struct field ct_tuple4_fields[] = {
    FIELD("src", ovs_key_ct_tuple_ipv4, ipv4_src, FK_IPV4),
    FIELD("dst", ovs_key_ct_tuple_ipv4, ipv4_dst, FK_IPV4),
    FIELD("proto", ovs_key_ct_tuple_ipv4, ipv4_proto, FK_U8D),
    FIELD("tp_src", ovs_key_ct_tuple_ipv4, src_port, FK_BE16D),
    FIELD("tp_dst", ovs_key_ct_tuple_ipv4, dst_port, FK_BE16D),
};
/* OVS prints src_port/dst_port here but its parser reads tp_src/tp_dst:
 * both are accepted. */
static const struct field ct_tuple6_fields[] = {
    FIELD("src", ovs_key_ct_tuple_ipv6, ipv6_src, FK_IN6),
    FIELD("dst", ovs_key_ct_tuple_ipv6, ipv6_dst, FK_IN6),
    FIELD("proto", ovs_key_ct_tuple_ipv6, ipv6_proto, FK_U8D),
    { "src_port", "tp_src", offsetof(struct ovs_key_ct_tuple_ipv6, src_port), FK_BE16D },
    { "dst_port", "tp_dst", offsetof(struct ovs_key_ct_tuple_ipv6, dst_port), FK_BE16D },
};
/* be32 packet type: namespace in the high half, type in the low half. */
static const struct field packet_type_fields[] = {
    { "ns", NULL, 0, FK_BE16D },
    { "id", NULL, 2, FK_BE16X },
};
static const struct field nd_ext_fields[] = {
    { "nd_reserved", NULL, 0, FK_BE32X },
    { "nd_options_type", NULL, 4, FK_U8D },
};

struct key_desc {
    const char *name;
    int len;                    /* >= 0 fixed, LEN_VARIABLE or LEN_NESTED */
    const struct field *fields; /* for plain structures */
    uint8_t n_fields;
};

#define FIELDS(F) F, ARRAY_SIZE(F)

static const struct key_desc key_descs[] = {
    [OVS_KEY_ATTR_ENCAP] = { "encap", LEN_NESTED, NULL, 0 },
    [OVS_KEY_ATTR_PRIORITY] = { "skb_priority", 4, NULL, 0 },
    [OVS_KEY_ATTR_IN_PORT] = { "in_port", 4, NULL, 0 },
    [OVS_KEY_ATTR_ETHERNET] = { "eth", sizeof(struct ovs_key_ethernet),
                                FIELDS(eth_fields) },
    [OVS_KEY_ATTR_VLAN] = { "vlan", 2, NULL, 0 },
    [OVS_KEY_ATTR_ETHERTYPE] = { "eth_type", 2, NULL, 0 },
    [OVS_KEY_ATTR_IPV4] = { "ipv4", sizeof(struct ovs_key_ipv4),
                            FIELDS(ipv4_fields) },
    [OVS_KEY_ATTR_IPV6] = { "ipv6", sizeof(struct ovs_key_ipv6),
                            FIELDS(ipv6_fields) },
    [OVS_KEY_ATTR_TCP] = { "tcp", sizeof(struct ovs_key_tcp), FIELDS(tcp_fields) },
    [OVS_KEY_ATTR_UDP] = { "udp", sizeof(struct ovs_key_udp), FIELDS(udp_fields) },
    [OVS_KEY_ATTR_ICMP] = { "icmp", sizeof(struct ovs_key_icmp),
                            FIELDS(icmp_fields) },
    [OVS_KEY_ATTR_ICMPV6] = { "icmpv6", sizeof(struct ovs_key_icmpv6),
                              FIELDS(icmpv6_fields) },
    [OVS_KEY_ATTR_ARP] = { "arp", sizeof(struct ovs_key_arp), FIELDS(arp_fields) },
    [OVS_KEY_ATTR_ND] = { "nd", sizeof(struct ovs_key_nd), FIELDS(nd_fields) },
    [OVS_KEY_ATTR_SKB_MARK] = { "skb_mark", 4, NULL, 0 },
    [OVS_KEY_ATTR_TUNNEL] = { "tunnel", LEN_NESTED, NULL, 0 },
    [OVS_KEY_ATTR_SCTP] = { "sctp", sizeof(struct ovs_key_sctp),
                            FIELDS(sctp_fields) },
    [OVS_KEY_ATTR_TCP_FLAGS] = { "tcp_flags", 2, NULL, 0 },
    [OVS_KEY_ATTR_DP_HASH] = { "dp_hash", 4, NULL, 0 },
    [OVS_KEY_ATTR_RECIRC_ID] = { "recirc_id", 4, NULL, 0 },
    [OVS_KEY_ATTR_MPLS] = { "mpls", LEN_VARIABLE, NULL, 0 },
    [OVS_KEY_ATTR_CT_STATE] = { "ct_state", 4, NULL, 0 },
    [OVS_KEY_ATTR_CT_ZONE] = { "ct_zone", 2, NULL, 0 },
    [OVS_KEY_ATTR_CT_MARK] = { "ct_mark", 4, NULL, 0 },
    [OVS_KEY_ATTR_CT_LABELS] = { "ct_label", sizeof(struct ovs_key_ct_labels),
                                 NULL, 0 },
    [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = { "ct_tuple4",
                                          sizeof(struct ovs_key_ct_tuple_ipv4),
                                          FIELDS(ct_tuple4_fields) },
    [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = { "ct_tuple6",
                                          sizeof(struct ovs_key_ct_tuple_ipv6),
                                          FIELDS(ct_tuple6_fields) },
    [OVS_KEY_ATTR_PACKET_TYPE] = { "packet_type", 4, FIELDS(packet_type_fields) },
    [OVS_KEY_ATTR_ND_EXTENSIONS] = { "nd_ext", ND_EXT_LEN, NULL, 0 },
};

/* The layout of a key attribute type, or NULL for one printed as raw bytes
 * ("key<N>(...)"): OVS_KEY_ATTR_UNSPEC, NSH, and the types after
 * ND_EXTENSIONS (TUNNEL_INFO, IPV6_EXTHDRS, future ones). */
static const struct key_desc *
key_desc(uint16_t type)
{
    if (type < ARRAY_SIZE(key_descs) && key_descs[type].name) {
        return &key_descs[type];
    }
    return NULL;
}

struct tun_desc {
    const char *name;
    int len;
    uint8_t kind;           /* for the single-value ones */
};

static const struct tun_desc tun_descs[] = {
    [OVS_TUNNEL_KEY_ATTR_ID] = { "tun_id", 8, FK_BE64 },
    [OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = { "src", 4, FK_IPV4 },
    [OVS_TUNNEL_KEY_ATTR_IPV4_DST] = { "dst", 4, FK_IPV4 },
    [OVS_TUNNEL_KEY_ATTR_TOS] = { "tos", 1, FK_U8X },
    [OVS_TUNNEL_KEY_ATTR_TTL] = { "ttl", 1, FK_U8D },
    [OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT] = { NULL, 0, 0 },
    [OVS_TUNNEL_KEY_ATTR_CSUM] = { NULL, 0, 0 },
    [OVS_TUNNEL_KEY_ATTR_OAM] = { NULL, 0, 0 },
    [OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS] = { NULL, LEN_VARIABLE, 0 },
    [OVS_TUNNEL_KEY_ATTR_TP_SRC] = { "tp_src", 2, FK_BE16D },
    [OVS_TUNNEL_KEY_ATTR_TP_DST] = { "tp_dst", 2, FK_BE16D },
    [OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS] = { NULL, LEN_NESTED, 0 },
    [OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = { "ipv6_src", 16, FK_IN6 },
    [OVS_TUNNEL_KEY_ATTR_IPV6_DST] = { "ipv6_dst", 16, FK_IN6 },
    [OVS_TUNNEL_KEY_ATTR_PAD] = { NULL, 0, 0 },
    [OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS] = { NULL, LEN_VARIABLE, 0 },
};

/* The attribute tables a nested attribute may switch to (OVS's
 * attr_len_tbl chains). */
enum attr_table { TBL_KEY, TBL_TUNNEL, TBL_VXLAN };

static int
table_len(enum attr_table t, uint16_t type)
{
    switch (t) {
    case TBL_KEY: {
        const struct key_desc *d = key_desc(type);

        return d ? d->len : LEN_UNKNOWN;
    }
    case TBL_TUNNEL:
        /* OVS_TUNNEL_KEY_ATTR_ID is 0: every slot up to the end is used. */
        return type < ARRAY_SIZE(tun_descs) ? tun_descs[type].len : LEN_UNKNOWN;
    case TBL_VXLAN:
        return type == OVS_VXLAN_EXT_GBP ? 4 : LEN_UNKNOWN;
    }
    return LEN_UNKNOWN;
}

static enum attr_table
table_next(enum attr_table t, uint16_t type)
{
    if (t == TBL_KEY && type == OVS_KEY_ATTR_TUNNEL) {
        return TBL_TUNNEL;
    } else if (t == TBL_TUNNEL && type == OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS) {
        return TBL_VXLAN;
    }
    return t;
}

static uint32_t
get_be32(const uint8_t *p)
{
    return ntohl(odp_text_get_u32(p));
}

static uint16_t
get_be16(const uint8_t *p)
{
    return ntohs(odp_text_get_u16(p));
}

/* ====================================================================== */
/* Formatting.                                                             */
/* ====================================================================== */

static const char *
frag_name(uint8_t frag)
{
    switch (frag) {
    case OVS_FRAG_TYPE_NONE:
        return "no";
    case OVS_FRAG_TYPE_FIRST:
        return "first";
    case OVS_FRAG_TYPE_LATER:
        return "later";
    default:
        return "<error>";
    }
}

static void
put_field_value(struct strbuf *sb, uint8_t kind, const uint8_t *p, bool is_mask)
{
    char buf[INET6_ADDRSTRLEN];

    switch ((enum field_kind) kind) {
    case FK_ETH:
        strbuf_put_mac(sb, p);
        break;
    case FK_IPV4:
        strbuf_printf(sb, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
        break;
    case FK_IN6:
        if (inet_ntop(AF_INET6, p, buf, sizeof buf)) {
            strbuf_puts(sb, buf);
        }
        break;
    case FK_LABEL:
    case FK_BE32X:
        strbuf_printf(sb, "%#"PRIx32, get_be32(p));
        break;
    case FK_U8D:
        if (is_mask) {
            strbuf_printf(sb, "%#"PRIx8, p[0]);
        } else {
            strbuf_printf(sb, "%"PRIu8, p[0]);
        }
        break;
    case FK_U8X:
        strbuf_printf(sb, "%#"PRIx8, p[0]);
        break;
    case FK_BE16D:
        if (is_mask) {
            strbuf_printf(sb, "%#"PRIx16, get_be16(p));
        } else {
            strbuf_printf(sb, "%"PRIu16, get_be16(p));
        }
        break;
    case FK_BE16X:
        strbuf_printf(sb, "%#"PRIx16, get_be16(p));
        break;
    case FK_BE64: {
        uint64_t v = (uint64_t) get_be32(p) << 32 | get_be32(p + 4);

        if (is_mask) {
            strbuf_printf(sb, "%#"PRIx64, v);
        } else {
            strbuf_printf(sb, "0x%"PRIx64, v);
        }
        break;
    }
    case FK_FRAG:
        strbuf_puts(sb, frag_name(p[0]));
        break;
    }
}

/* One "name=value[/mask]," as OVS's format_eth/ipv4/in6_addr/u8x/u8u/be16/
 * be16x/be64/ipv6_label/frag: left out when the mask is all zeros (unless
 * verbose), the mask printed only when it is not all ones.  key and mask
 * point at the start of the structure, mask NULL means exact. */
static void
format_field(struct strbuf *sb, const struct field *f, const uint8_t *key,
             const uint8_t *mask, bool verbose)
{
    size_t size = field_sizes[f->kind];
    const uint8_t *k = key + f->ofs;
    const uint8_t *m = mask ? mask + f->ofs : NULL;
    bool empty = m && odp_text_all_bytes(m, size, 0);
    bool full;

    if (f->kind == FK_FRAG) {
        /* An enumeration: a partial mask has no meaning, and OVS says so
         * even when not verbose. */
        full = !m || *m == 0xff;
        if (!empty && !full) {
            strbuf_printf(sb, "error: partial mask not supported for frag (%#"
                          PRIx8"),", *m);
        } else if (!empty) {
            strbuf_printf(sb, "%s=%s,", f->name, frag_name(*k));
        }
        return;
    }
    if (!verbose && empty) {
        return;
    }
    if (f->kind == FK_LABEL) {
        full = !m || (get_be32(m) & 0xfffff) == 0xfffff;
    } else {
        full = !m || odp_text_all_bytes(m, size, 0xff);
    }
    strbuf_printf(sb, "%s=", f->name);
    put_field_value(sb, f->kind, k, false);
    if (!full) {
        strbuf_putc(sb, '/');
        put_field_value(sb, f->kind, m, true);
    }
    strbuf_putc(sb, ',');
}

static void
format_fields(struct strbuf *sb, const struct field *fields, size_t n,
              const uint8_t *key, const uint8_t *mask, bool verbose)
{
    for (size_t i = 0; i < n; i++) {
        format_field(sb, &fields[i], key, mask, verbose);
    }
    strbuf_chomp(sb, ',');
}

/* OVS's odp_mask_is_constant__(): whether a mask attribute of 'type' is all
 * 'c' (0 = wildcard, 0xff = exact) in the bytes that mean something. */
static bool
mask_is_constant(uint16_t type, const uint8_t *m, size_t size, uint8_t c)
{
    if (!key_desc(type) || type == OVS_KEY_ATTR_ENCAP) {
        return false;
    }
    switch (type) {
    case OVS_KEY_ATTR_TCP_FLAGS:
        return size >= 2 && (get_be16(m) & 0x0fff) == (c ? 0x0fff : 0);
    case OVS_KEY_ATTR_IPV6: {
        struct ovs_key_ipv6 v;

        if (size < sizeof v) {
            return false;
        }
        memcpy(&v, m, sizeof v);
        return (ntohl(v.ipv6_label) & 0xfffff) == (c ? 0xfffffu : 0)
               && v.ipv6_proto == c && v.ipv6_tclass == c
               && v.ipv6_hlimit == c && v.ipv6_frag == c
               && odp_text_all_bytes(v.ipv6_src, 16, c)
               && odp_text_all_bytes(v.ipv6_dst, 16, c);
    }
    case OVS_KEY_ATTR_ARP:
        return odp_text_all_bytes(m, size < 22 ? size : 22, c);
    case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4:
        return odp_text_all_bytes(m, size < 13 ? size : 13, c);
    case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6:
        return odp_text_all_bytes(m, size < 37 ? size : 37, c);
    default:
        return odp_text_all_bytes(m, size, c);
    }
}

static bool
mask_attr_is_exact(const uint8_t *ma)
{
    return mask_is_constant(odp_text_nla_type(ma), odp_text_nla_data(ma),
                            odp_text_nla_size(ma), 0xff);
}

static bool
mask_attr_is_wildcard(const uint8_t *ma)
{
    return mask_is_constant(odp_text_nla_type(ma), odp_text_nla_data(ma),
                            odp_text_nla_size(ma), 0);
}

/* OVS's check_attr_len(): a fixed-length attribute (or its mask) of the
 * wrong length is printed as bytes and skipped. */
static bool
check_len(struct strbuf *sb, const uint8_t *a, const uint8_t *ma,
          enum attr_table t, bool need_key)
{
    int expected = table_len(t, odp_text_nla_type(a));
    bool bad_key, bad_mask;

    if (expected < 0) {
        return true;
    }
    bad_key = odp_text_nla_size(a) != (size_t) expected;
    bad_mask = ma && odp_text_nla_size(ma) != (size_t) expected;
    if (!bad_key && !bad_mask) {
        return true;
    }
    if (need_key) {
        strbuf_printf(sb, "key%u", odp_text_nla_type(a));
    }
    if (bad_key) {
        strbuf_printf(sb, "(bad key length %zu, expected %d)(",
                      odp_text_nla_size(a), expected);
    }
    odp_text_put_hex_spaced(sb, odp_text_nla_data(a), odp_text_nla_size(a));
    if (ma) {
        strbuf_putc(sb, '/');
        if (bad_mask) {
            strbuf_printf(sb, "(bad mask length %zu, expected %d)(",
                          odp_text_nla_size(ma), expected);
        }
        odp_text_put_hex_spaced(sb, odp_text_nla_data(ma), odp_text_nla_size(ma));
    }
    strbuf_putc(sb, ')');
    return false;
}

static void
put_nla_header(uint8_t *out, size_t len, uint16_t type)
{
    uint16_t l = (uint16_t) len;

    memcpy(out, &l, 2);
    memcpy(out + 2, &type, 2);
}

/* OVS's generate_all_wildcard_mask(): a mask for 'a' that matches anything,
 * with nested attributes mirrored so that their content can be printed.
 * Returns the bytes written to out (at most NLA_ALIGN of a's length plus a
 * little slack the caller allocates). */
static size_t
gen_wildcard_mask(enum attr_table t, const uint8_t *a, uint8_t *out, int depth)
{
    uint16_t type = odp_text_nla_type(a);
    size_t size = odp_text_nla_size(a);
    size_t pos = NLA_HDRLEN;

    if (table_len(t, type) != LEN_NESTED || depth >= ODP_TEXT_MAX_DEPTH) {
        put_nla_header(out, NLA_HDRLEN + size, type);
        memset(out + NLA_HDRLEN, 0, NLA_ALIGN(NLA_HDRLEN + size) - NLA_HDRLEN);
        return NLA_ALIGN(NLA_HDRLEN + size);
    } else {
        enum attr_table sub = table_next(t, type);
        const uint8_t *in;
        size_t left;

        ODP_TEXT_NLA_FOR_EACH (in, left, odp_text_nla_data(a), size) {
            pos += gen_wildcard_mask(sub, in, out + pos, depth + 1);
        }
        put_nla_header(out, pos, type);
        return NLA_ALIGN(pos);
    }
}

static uint8_t *
alloc_wildcard_mask(enum attr_table t, const uint8_t *a, int depth)
{
    uint8_t *buf = malloc(NLA_ALIGN(odp_text_nla_len(a))
                          + NLA_HDRLEN * (ODP_TEXT_MAX_DEPTH + 2));

    if (buf) {
        gen_wildcard_mask(t, a, buf, depth);
    }
    return buf;
}

static void format_key_list(struct strbuf *sb, const uint8_t *key,
                            size_t key_len, const uint8_t *mask,
                            size_t mask_len, bool verbose, int depth);

static const char *
tun_flag_name(uint32_t bit)
{
    switch (bit) {
    case TNL_F_OAM:
        return "oam";
    case TNL_F_DF:
        return "df";
    case TNL_F_CSUM:
        return "csum";
    case TNL_F_KEY:
        return "key";
    default:
        return NULL;
    }
}

/* OVS's format_unknown_key(): "key<N>(bytes[/mask])," for a sub-attribute
 * with no layout.  The exactness test reads the mask as if it were a key
 * attribute of the same number, as OVS does. */
static void
format_unknown_sub(struct strbuf *sb, const uint8_t *a, const uint8_t *ma)
{
    strbuf_printf(sb, "key%u(", odp_text_nla_type(a));
    odp_text_put_hex_spaced(sb, odp_text_nla_data(a), odp_text_nla_size(a));
    if (ma && !mask_attr_is_exact(ma)) {
        strbuf_putc(sb, '/');
        odp_text_put_hex_spaced(sb, odp_text_nla_data(ma), odp_text_nla_size(ma));
    }
    strbuf_puts(sb, "),");
}

static void
format_vxlan_opts(struct strbuf *sb, const uint8_t *attr, const uint8_t *mask_attr,
                  bool verbose)
{
    const uint8_t *a;
    size_t left;

    ODP_TEXT_NLA_FOR_EACH (a, left, odp_text_nla_data(attr), odp_text_nla_size(attr)) {
        uint16_t type = odp_text_nla_type(a);
        const uint8_t *ma = NULL;
        uint8_t *gen = NULL;

        if (mask_attr) {
            ma = odp_text_nla_find(odp_text_nla_data(mask_attr),
                                   odp_text_nla_size(mask_attr), type);
            if (!ma) {
                gen = alloc_wildcard_mask(TBL_VXLAN, a, 0);
                if (!gen) {
                    sb->failed = true;
                    return;
                }
                ma = gen;
            }
        }
        if (check_len(sb, a, ma, TBL_VXLAN, true)) {
            if (type == OVS_VXLAN_EXT_GBP) {
                static const struct field id = { "id", NULL, 0, FK_BE16D };
                static const struct field flags = { "flags", NULL, 2, FK_U8X };
                uint32_t gbp = odp_text_get_u32(odp_text_nla_data(a));
                uint32_t gbp_mask = ma ? odp_text_get_u32(odp_text_nla_data(ma)) : 0;
                /* be16 id then u8 flags, laid out so format_field reads them. */
                uint8_t k[3], m[3];
                uint16_t be;

                be = htons((uint16_t) gbp);
                memcpy(k, &be, 2);
                k[2] = (uint8_t) (gbp >> 16);
                be = htons((uint16_t) gbp_mask);
                memcpy(m, &be, 2);
                m[2] = (uint8_t) (gbp_mask >> 16);
                strbuf_puts(sb, "gbp(");
                format_field(sb, &id, k, ma ? m : NULL, verbose);
                format_field(sb, &flags, k, ma ? m : NULL, verbose);
                strbuf_chomp(sb, ',');
                strbuf_puts(sb, "),");
            } else {
                format_unknown_sub(sb, a, ma);
            }
        }
        free(gen);
    }
    strbuf_chomp(sb, ',');
}

static void
format_geneve(struct strbuf *sb, const uint8_t *attr, const uint8_t *mask_attr,
              bool verbose)
{
    static const struct field class_f = { "class", NULL, 0, FK_BE16X };
    static const struct field type_f = { "type", NULL, 2, FK_U8X };
    static const struct field len_f = { "len", NULL, 0, FK_U8D };
    const uint8_t *opt = odp_text_nla_data(attr);
    const uint8_t *mask = mask_attr ? odp_text_nla_data(mask_attr) : NULL;
    size_t opts_len = odp_text_nla_size(attr);

    if (mask && odp_text_nla_size(mask_attr) != opts_len) {
        strbuf_printf(sb, "value len %zu different from mask len %zu",
                      opts_len, odp_text_nla_size(mask_attr));
        return;
    }
    while (opts_len > 0) {
        uint8_t data_len, data_len_mask = 0;
        size_t len;

        if (opts_len < 4) {
            strbuf_printf(sb, "opt len %zu less than minimum %d", opts_len, 4);
            return;
        }
        data_len = (uint8_t) ((opt[3] & 0x1f) * 4);
        if (mask) {
            data_len_mask = (mask[3] & 0x1f) == 0x1f ? 0xff : (mask[3] & 0x1f);
        }
        len = 4u + data_len;
        if (len > opts_len) {
            strbuf_printf(sb, "opt len %zu greater than remaining %zu", len,
                          opts_len);
            return;
        }
        strbuf_putc(sb, '{');
        format_field(sb, &class_f, opt, mask, verbose);
        format_field(sb, &type_f, opt, mask, verbose);
        format_field(sb, &len_f, &data_len, mask ? &data_len_mask : NULL, verbose);
        if (data_len
            && (verbose || !mask || !odp_text_all_bytes(mask + 4, data_len, 0))) {
            odp_text_put_hex_value(sb, opt + 4, data_len);
            if (mask && !odp_text_all_bytes(mask + 4, data_len, 0xff)) {
                strbuf_putc(sb, '/');
                odp_text_put_hex_value(sb, mask + 4, data_len);
            }
        } else {
            strbuf_chomp(sb, ',');
        }
        strbuf_putc(sb, '}');
        opt += len;
        if (mask) {
            mask += len;
        }
        opts_len -= len;
    }
}

/* OVS's format_odp_tun_attr(). */
static void
format_tunnel(struct strbuf *sb, const uint8_t *attr, const uint8_t *mask_attr,
              bool verbose)
{
    uint32_t flags = 0, mask_flags = 0;
    const uint8_t *a;
    size_t left;

    ODP_TEXT_NLA_FOR_EACH (a, left, odp_text_nla_data(attr), odp_text_nla_size(attr)) {
        uint16_t type = odp_text_nla_type(a);
        const uint8_t *ma = NULL;
        uint8_t *gen = NULL;

        if (mask_attr) {
            ma = odp_text_nla_find(odp_text_nla_data(mask_attr),
                                   odp_text_nla_size(mask_attr), type);
            if (!ma) {
                gen = alloc_wildcard_mask(TBL_TUNNEL, a, 0);
                if (!gen) {
                    sb->failed = true;
                    return;
                }
                ma = gen;
            }
        }
        if (!check_len(sb, a, ma, TBL_TUNNEL, true)) {
            free(gen);
            continue;
        }
        switch (type) {
        case OVS_TUNNEL_KEY_ATTR_ID:
            flags |= TNL_F_KEY;
            if (ma) {
                mask_flags |= TNL_F_KEY;
            }
            /* fall through */
        case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
        case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
        case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
        case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
        case OVS_TUNNEL_KEY_ATTR_TOS:
        case OVS_TUNNEL_KEY_ATTR_TTL:
        case OVS_TUNNEL_KEY_ATTR_TP_SRC:
        case OVS_TUNNEL_KEY_ATTR_TP_DST: {
            struct field f = { tun_descs[type].name, NULL, 0, tun_descs[type].kind };

            format_field(sb, &f, odp_text_nla_data(a),
                         ma ? odp_text_nla_data(ma) : NULL, verbose);
            break;
        }
        case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
            flags |= TNL_F_DF;
            break;
        case OVS_TUNNEL_KEY_ATTR_CSUM:
            flags |= TNL_F_CSUM;
            break;
        case OVS_TUNNEL_KEY_ATTR_OAM:
            flags |= TNL_F_OAM;
            break;
        case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
            strbuf_puts(sb, "vxlan(");
            format_vxlan_opts(sb, a, ma, verbose);
            strbuf_puts(sb, "),");
            break;
        case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
            strbuf_puts(sb, "geneve(");
            format_geneve(sb, a, ma, verbose);
            strbuf_puts(sb, "),");
            break;
        case OVS_TUNNEL_KEY_ATTR_PAD:
            break;
        default:
            format_unknown_sub(sb, a, ma);
            break;
        }
        free(gen);
    }

    /* A flag can be masked without being set, so the mask's own flag
     * attributes count. */
    if (mask_attr) {
        ODP_TEXT_NLA_FOR_EACH (a, left, odp_text_nla_data(mask_attr),
                               odp_text_nla_size(mask_attr)) {
            switch (odp_text_nla_type(a)) {
            case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
                mask_flags |= TNL_F_DF;
                break;
            case OVS_TUNNEL_KEY_ATTR_CSUM:
                mask_flags |= TNL_F_CSUM;
                break;
            case OVS_TUNNEL_KEY_ATTR_OAM:
                mask_flags |= TNL_F_OAM;
                break;
            }
        }
    }
    if (verbose || !mask_attr || mask_flags) {
        strbuf_puts(sb, "flags(");
        if (mask_attr) {
            odp_text_format_flags_masked(sb, tun_flag_name, flags,
                                         mask_flags & TNL_F_MASK, TNL_F_MASK);
        } else {
            odp_text_format_flags(sb, tun_flag_name, flags, '|');
        }
        strbuf_puts(sb, "),");
    }
    strbuf_chomp(sb, ',');
}

static const char *
ct_state_name(uint32_t bit)
{
    switch (bit) {
    case OVS_CS_F_REPLY_DIR:
        return "rpl";
    case OVS_CS_F_TRACKED:
        return "trk";
    case OVS_CS_F_NEW:
        return "new";
    case OVS_CS_F_ESTABLISHED:
        return "est";
    case OVS_CS_F_RELATED:
        return "rel";
    case OVS_CS_F_INVALID:
        return "inv";
    case OVS_CS_F_SRC_NAT:
        return "snat";
    case OVS_CS_F_DST_NAT:
        return "dnat";
    default:
        return NULL;
    }
}

static const char *
tcp_flag_name(uint32_t bit)
{
    switch (bit) {
    case 0x001:
        return "fin";
    case 0x002:
        return "syn";
    case 0x004:
        return "rst";
    case 0x008:
        return "psh";
    case 0x010:
        return "ack";
    case 0x020:
        return "urg";
    case 0x040:
        return "ece";
    case 0x080:
        return "cwr";
    case 0x100:
        return "ns";
    case 0x200:
        return "[200]";
    case 0x400:
        return "[400]";
    case 0x800:
        return "[800]";
    default:
        return NULL;
    }
}

static bool
mask_attr_empty(const uint8_t *ma)
{
    return !ma || odp_text_all_bytes(odp_text_nla_data(ma), odp_text_nla_size(ma), 0);
}

/* OVS's format_odp_key_attr__(): lengths already checked. */
static void
format_attr(struct strbuf *sb, const uint8_t *a, const uint8_t *ma, bool verbose,
            int depth)
{
    uint16_t type = odp_text_nla_type(a);
    const struct key_desc *d = key_desc(type);
    const uint8_t *k = odp_text_nla_data(a);
    size_t size = odp_text_nla_size(a);
    const uint8_t *m = ma ? odp_text_nla_data(ma) : NULL;
    size_t msize = ma ? odp_text_nla_size(ma) : 0;
    bool is_exact = ma ? mask_attr_is_exact(ma) : true;

    if (d) {
        strbuf_puts(sb, d->name);
    } else {
        strbuf_printf(sb, "key%u", type);
    }
    strbuf_putc(sb, '(');

    if (!d) {
        odp_text_put_hex_spaced(sb, k, size);
        if (!is_exact) {
            strbuf_putc(sb, '/');
            odp_text_put_hex_spaced(sb, m, msize);
        }
        strbuf_putc(sb, ')');
        return;
    }

    switch (type) {
    case OVS_KEY_ATTR_ENCAP:
        if (depth + 1 >= ODP_TEXT_MAX_DEPTH) {
            /* Deeper than any parser accepts: the bytes, not a recursion. */
            odp_text_put_hex_spaced(sb, k, size);
        } else if (ma && msize && size) {
            format_key_list(sb, k, size, m, msize, verbose, depth + 1);
        } else if (size) {
            format_key_list(sb, k, size, NULL, 0, verbose, depth + 1);
        }
        break;

    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
    case OVS_KEY_ATTR_DP_HASH:
    case OVS_KEY_ATTR_RECIRC_ID:
        strbuf_printf(sb, "%#"PRIx32, odp_text_get_u32(k));
        if (!is_exact) {
            strbuf_printf(sb, "/%#"PRIx32, odp_text_get_u32(m));
        }
        break;

    case OVS_KEY_ATTR_CT_MARK:
        if (verbose || !mask_attr_empty(ma)) {
            strbuf_printf(sb, "%#"PRIx32, odp_text_get_u32(k));
            if (!is_exact) {
                strbuf_printf(sb, "/%#"PRIx32, odp_text_get_u32(m));
            }
        }
        break;

    case OVS_KEY_ATTR_CT_STATE:
        if (verbose) {
            strbuf_printf(sb, "%#"PRIx32, odp_text_get_u32(k));
            if (!is_exact) {
                strbuf_printf(sb, "/%#"PRIx32,
                              mask_attr_empty(ma) ? 0 : odp_text_get_u32(m));
            }
        } else if (!is_exact) {
            odp_text_format_flags_masked(sb, ct_state_name, odp_text_get_u32(k),
                                         mask_attr_empty(ma) ? 0 : odp_text_get_u32(m),
                                         UINT32_MAX);
        } else {
            odp_text_format_flags(sb, ct_state_name, odp_text_get_u32(k), '|');
        }
        break;

    case OVS_KEY_ATTR_CT_ZONE:
        if (verbose || !mask_attr_empty(ma)) {
            strbuf_printf(sb, "%#"PRIx16, odp_text_get_u16(k));
            if (!is_exact) {
                strbuf_printf(sb, "/%#"PRIx16, odp_text_get_u16(m));
            }
        }
        break;

    case OVS_KEY_ATTR_CT_LABELS:
        odp_text_format_u128(sb, k, m, verbose);
        break;

    case OVS_KEY_ATTR_TUNNEL:
        format_tunnel(sb, a, ma, verbose);
        break;

    case OVS_KEY_ATTR_IN_PORT:
        strbuf_printf(sb, "%"PRIu32, odp_text_get_u32(k));
        if (!is_exact) {
            strbuf_printf(sb, "/%#"PRIx32, odp_text_get_u32(m));
        }
        break;

    case OVS_KEY_ATTR_VLAN:
        odp_text_format_vlan_tci(sb, get_be16(k), ma ? get_be16(m) : 0xffff,
                                 verbose);
        break;

    case OVS_KEY_ATTR_MPLS:
        if (!size || size % 4) {
            /* OVS leaves the parenthesis open here. */
            strbuf_printf(sb, "(bad key length %zu)", size);
            return;
        }
        if (!is_exact && size != msize) {
            strbuf_printf(sb, "(key length %zu != mask length %zu)", size, msize);
            return;
        }
        for (size_t i = 0; i < size; i += 4) {
            uint32_t lse = get_be32(k + i);

            if (is_exact) {
                odp_text_format_mpls_lse(sb, lse);
            } else {
                uint32_t lm = get_be32(m + i);

                strbuf_printf(sb, "label=%"PRIu32"/0x%"PRIx32",tc=%"PRIu32"/%"PRIx32
                              ",ttl=%"PRIu32"/0x%"PRIx32",bos=%"PRIu32"/%"PRIx32,
                              lse >> 12, lm >> 12, (lse >> 9) & 7, (lm >> 9) & 7,
                              lse & 0xff, lm & 0xff, (lse >> 8) & 1, (lm >> 8) & 1);
            }
            strbuf_putc(sb, ',');
        }
        strbuf_chomp(sb, ',');
        break;

    case OVS_KEY_ATTR_ETHERTYPE:
        strbuf_printf(sb, "0x%04"PRIx16, get_be16(k));
        if (!is_exact) {
            strbuf_printf(sb, "/0x%04"PRIx16, get_be16(m));
        }
        break;

    case OVS_KEY_ATTR_TCP_FLAGS:
        if (!is_exact) {
            odp_text_format_flags_masked(sb, tcp_flag_name, get_be16(k),
                                         get_be16(m) & 0x0fff, 0x0fff);
        } else {
            odp_text_format_flags(sb, tcp_flag_name, get_be16(k), '|');
        }
        break;

    case OVS_KEY_ATTR_ND_EXTENSIONS:
        strbuf_printf(sb, "nd_reserved=0x%"PRIx32",", get_be32(k));
        format_field(sb, &nd_ext_fields[1], k, m, verbose);
        strbuf_chomp(sb, ',');
        break;

    default:
        /* The plain structures. */
        format_fields(sb, d->fields, d->n_fields, k, m, verbose);
        break;
    }
    strbuf_putc(sb, ')');
}

void
odp_text_clear_unmasked(uint16_t type, uint8_t *key, const uint8_t *mask,
                        size_t len)
{
    const struct key_desc *d = key_desc(type);

    if (odp_text_all_bytes(mask, len, 0)) {
        /* Nothing is set: some attributes then print empty. */
        memset(key, 0, len);
        return;
    }
    if (!d || d->len < 0 || (size_t) d->len != len) {
        return;
    }
    if (type == OVS_KEY_ATTR_TCP_FLAGS || type == OVS_KEY_ATTR_CT_STATE) {
        /* Printed as "+syn-ack": bits outside the mask do not show. */
        for (size_t i = 0; i < len; i++) {
            key[i] &= mask[i];
        }
        return;
    }
    for (size_t i = 0; i < d->n_fields; i++) {
        const struct field *f = &d->fields[i];
        size_t size = field_sizes[f->kind];

        if (odp_text_all_bytes(mask + f->ofs, size, 0)) {
            memset(key + f->ofs, 0, size);
        }
    }
}

void
odp_text_format_key_attr(const uint8_t *a, const uint8_t *ma, bool verbose,
                         struct strbuf *sb)
{
    if (check_len(sb, a, ma, TBL_KEY, false)) {
        format_attr(sb, a, ma, verbose, 0);
    }
}

/* OVS's odp_flow_format(). */
static void
format_key_list(struct strbuf *sb, const uint8_t *key, size_t key_len,
                const uint8_t *mask, size_t mask_len, bool verbose, int depth)
{
    bool has_mask = mask && mask_len;
    bool has_ethtype = false, has_packet_type = false;
    bool first = true;
    const uint8_t *a;
    size_t left;

    if (!key_len) {
        strbuf_puts(sb, "<empty>");
        return;
    }
    ODP_TEXT_NLA_FOR_EACH (a, left, key, key_len) {
        uint16_t type = odp_text_nla_type(a);
        const uint8_t *ma = has_mask ? odp_text_nla_find(mask, mask_len, type) : NULL;
        bool is_wildcard = false;
        bool is_nested;

        if (!check_len(sb, a, ma, TBL_KEY, false)) {
            continue;
        }
        if (type == OVS_KEY_ATTR_ETHERTYPE) {
            has_ethtype = true;
        } else if (type == OVS_KEY_ATTR_PACKET_TYPE) {
            has_packet_type = true;
        }
        is_nested = table_len(TBL_KEY, type) == LEN_NESTED;
        if (has_mask) {
            is_wildcard = ma ? mask_attr_is_wildcard(ma) : true;
        }
        if (verbose || !is_wildcard || is_nested) {
            uint8_t *gen = NULL;

            if (is_wildcard && !ma) {
                gen = alloc_wildcard_mask(TBL_KEY, a, depth);
                if (!gen) {
                    sb->failed = true;
                    return;
                }
                ma = gen;
            }
            if (!first) {
                strbuf_putc(sb, ',');
            }
            format_attr(sb, a, ma, verbose, depth);
            first = false;
            free(gen);
        } else if (type == OVS_KEY_ATTR_ETHERNET && !has_packet_type) {
            /* Without packet_type, eth() is what says the packet is
             * Ethernet, so OVS prints it even when fully wildcarded (and,
             * like OVS, does not count it as a first field). */
            if (!first) {
                strbuf_putc(sb, ',');
            }
            strbuf_puts(sb, "eth()");
        }
    }
    if (left) {
        if (left == key_len) {
            strbuf_puts(sb, "<empty>");
        }
        strbuf_printf(sb, ",***%zu leftover bytes*** (", left);
        strbuf_put_hex(sb, a, left);
        strbuf_putc(sb, ')');
    }
    if (!has_ethtype) {
        const uint8_t *ma = odp_text_nla_find(mask, mask_len, OVS_KEY_ATTR_ETHERTYPE);

        if (ma && odp_text_nla_size(ma) >= 2) {
            strbuf_printf(sb, ",eth_type(0/0x%04"PRIx16")",
                          get_be16(odp_text_nla_data(ma)));
        }
    }
}

void
odp_text_format_key(const void *key, size_t key_len, const void *mask,
                    size_t mask_len, bool verbose, struct strbuf *out)
{
    format_key_list(out, key, key ? key_len : 0, mask, mask ? mask_len : 0,
                    verbose, 0);
}

/* ====================================================================== */
/* Parsing.                                                                */
/* ====================================================================== */

struct kparse {
    struct nlmsghdr *key;
    struct nlmsghdr *mask;      /* NULL: masks are not wanted */
    size_t buflen;
    int depth;
    struct xsw_err *err;
};

#define TOKEN_SIZE 48
#define VALUE_STOP ",)"

static int
no_room(struct xsw_err *err)
{
    return xsw_err_set(err, EMSGSIZE, "flow key does not fit in the buffer");
}

static int
bad_value(struct xsw_err *err, const char *attr, const char *field,
          const char *at)
{
    char tok[TOKEN_SIZE];

    odp_text_token(at, VALUE_STOP, tok, sizeof tok);
    if (field) {
        return xsw_err_set(err, EINVAL, "%s: bad value '%s' for %s", attr, tok,
                           field);
    }
    return xsw_err_set(err, EINVAL, "%s: bad value '%s'", attr, tok);
}

static int
mask_not_allowed(struct xsw_err *err, const char *attr, const char *field)
{
    if (field) {
        return xsw_err_set(err, EINVAL, "%s: mask not allowed for %s", attr,
                           field);
    }
    return xsw_err_set(err, EINVAL, "%s: mask not allowed", attr);
}

static int
unknown_field(struct xsw_err *err, const char *attr, const char *at)
{
    char tok[TOKEN_SIZE];

    odp_text_token(at, "=,)(", tok, sizeof tok);
    return xsw_err_set(err, EINVAL, "%s: unknown field '%s'", attr, tok);
}

static int
put_pair(struct kparse *kp, uint16_t type, const void *k, const void *m,
         size_t len)
{
    if (!odp_text_put(kp->key, kp->buflen, type, k, len)
        || (kp->mask && !odp_text_put(kp->mask, kp->buflen, type, m, len))) {
        return no_room(kp->err);
    }
    return 0;
}

/* "value" or "value/mask"; the mask defaults to 'max'.  Returns characters
 * consumed, 0 for a bad value, -1 for a mask where none is allowed (m NULL). */
static int
scan_num_masked(const char *s, uint64_t max, uint64_t *v, uint64_t *m)
{
    int n = odp_text_scan_uint(s, max, v);
    int n2;

    if (!n) {
        return 0;
    }
    if (s[n] != '/') {
        if (m) {
            *m = max;
        }
        return n;
    }
    if (!m) {
        return -1;
    }
    n2 = odp_text_scan_uint(s + n + 1, max, m);
    return n2 ? n + 1 + n2 : 0;
}

/* A prefix length as a mask of 'bytes' bytes: the "/24" spelling, accepted
 * in addition to OVS's dotted and colon masks. */
static int
scan_prefix_mask(const char *s, uint8_t *m, size_t bytes)
{
    uint64_t plen;
    int n = odp_text_scan_uint_base(s, 10, bytes * 8, &plen);

    if (!n || s[n] == '.' || s[n] == ':') {
        return 0;
    }
    for (size_t i = 0; i < bytes; i++) {
        size_t bits = plen > i * 8 ? plen - i * 8 : 0;

        m[i] = bits >= 8 ? 0xff : (uint8_t) (0xff00 >> bits);
    }
    return n;
}

/* One field value (and mask) into k (and m) at the field's size.  Same
 * return convention as scan_num_masked(). */
static int
scan_field(const char *s, uint8_t kind, uint8_t *k, uint8_t *m)
{
    size_t size = field_sizes[kind];
    int n = 0, n2 = 0;

    switch ((enum field_kind) kind) {
    case FK_ETH:
        n = odp_text_scan_eth(s, k);
        if (n && s[n] == '/' && m) {
            n2 = odp_text_scan_eth(s + n + 1, m);
        }
        break;
    case FK_IPV4: {
        uint32_t v;

        n = odp_text_scan_ipv4(s, &v);
        if (n) {
            memcpy(k, &v, 4);
        }
        if (n && s[n] == '/' && m) {
            n2 = odp_text_scan_ipv4(s + n + 1, &v);
            if (n2) {
                memcpy(m, &v, 4);
            } else {
                n2 = scan_prefix_mask(s + n + 1, m, 4);
            }
        }
        break;
    }
    case FK_IN6:
        n = odp_text_scan_in6(s, k);
        if (n && s[n] == '/' && m) {
            n2 = odp_text_scan_in6(s + n + 1, m);
            if (!n2) {
                n2 = scan_prefix_mask(s + n + 1, m, 16);
            }
        }
        break;
    case FK_FRAG: {
        static const char *const names[] = { "no", "first", "later" };
        size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz");

        for (size_t i = 0; len && len <= 7 && i < ARRAY_SIZE(names); i++) {
            if (strlen(names[i]) == len && !strncmp(s, names[i], len)) {
                *k = (uint8_t) i;
                n = (int) len;
            }
        }
        if (n && s[n] == '/') {
            /* OVS reads no mask for frag: the enumeration is all or
             * nothing. */
            return m ? 0 : -1;
        }
        if (n && m) {
            *m = 0xff;
        }
        return n;
    }
    case FK_LABEL:
    case FK_U8D:
    case FK_U8X:
    case FK_BE16D:
    case FK_BE16X:
    case FK_BE32X:
    case FK_BE64: {
        uint64_t max = kind == FK_LABEL ? 0xfffff
                       : size == 1 ? 0xff : size == 2 ? 0xffff
                       : size == 4 ? 0xffffffff : UINT64_MAX;
        uint64_t v, mv;

        n = scan_num_masked(s, max, &v, m ? &mv : NULL);
        if (n <= 0) {
            return n;
        }
        for (size_t i = size; i > 0; i--) {
            k[i - 1] = (uint8_t) v;
            v >>= 8;
            if (m) {
                m[i - 1] = (uint8_t) mv;
                mv >>= 8;
            }
        }
        return n;
    }
    }
    if (!n) {
        return 0;
    }
    if (s[n] != '/') {
        if (m) {
            memset(m, 0xff, size);
        }
        return n;
    }
    if (!m) {
        return -1;
    }
    return n2 ? n + 1 + n2 : 0;
}

/* Matches "name=" (or "alias=") at s among fields. */
static const struct field *
match_field(const char *s, const struct field *fields, size_t n, size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        const char *names[2] = { fields[i].name, fields[i].alias };

        for (int j = 0; j < 2; j++) {
            size_t l = names[j] ? strlen(names[j]) : 0;

            if (l && !strncmp(s, names[j], l) && s[l] == '=') {
                *len = l + 1;
                return &fields[i];
            }
        }
    }
    return NULL;
}

/* The plain structures: "f1=v1,f2=v2/m2,...)" with fields in any order,
 * named ones exact unless masked, the others wildcarded (zero). */
static int
parse_struct(struct kparse *kp, const char *s, const char *name, uint16_t type,
             const struct field *fields, size_t n_fields, size_t len)
{
    uint8_t k[64], m[64];
    const char *p = s;
    int error;

    memset(k, 0, sizeof k);
    memset(m, 0, sizeof m);
    for (;;) {
        const struct field *f;
        size_t flen;
        int r;

        if (*p == ')') {
            p++;
            break;
        }
        f = match_field(p, fields, n_fields, &flen);
        if (!f) {
            return unknown_field(kp->err, name, p);
        }
        p += flen;
        r = scan_field(p, f->kind, k + f->ofs, kp->mask ? m + f->ofs : NULL);
        if (r < 0) {
            return mask_not_allowed(kp->err, name, f->name);
        }
        if (!r || (p[r] != ',' && p[r] != ')')) {
            return bad_value(kp->err, name, f->name, p);
        }
        p += r;
        if (*p == ',') {
            p++;
        }
    }
    error = put_pair(kp, type, k, m, len);
    return error ? error : (int) (p - s);
}

/* skb_priority(), skb_mark(), dp_hash(), ct_mark(), ct_zone(), in_port(),
 * eth_type(), recirc_id(): one number, host order unless 'be'. */
static int
parse_single(struct kparse *kp, const char *s, const char *name, uint16_t type,
             size_t width, bool be, bool maskable)
{
    uint64_t max = width == 2 ? 0xffff : 0xffffffff;
    uint64_t v, mv = max;
    uint8_t k[4], m[4];
    int n, error;

    if (*s == ')' && (type == OVS_KEY_ATTR_CT_MARK || type == OVS_KEY_ATTR_CT_ZONE)) {
        /* What OVS prints for a wildcarded ct_mark/ct_zone outside a flow
         * dump (in set(), or without verbose): read as wildcarded. */
        memset(k, 0, sizeof k);
        memset(m, 0, sizeof m);
        error = put_pair(kp, type, k, m, width);
        return error ? error : 1;
    }
    n = scan_num_masked(s, max, &v, kp->mask && maskable ? &mv : NULL);
    if (n < 0 || (n > 0 && s[n] == '/' && !maskable)) {
        return mask_not_allowed(kp->err, name, NULL);
    }
    if (!n || s[n] != ')') {
        return bad_value(kp->err, name, NULL, s);
    }
    if (width == 4) {
        uint32_t kv = (uint32_t) v, km = (uint32_t) mv;

        memcpy(k, &kv, 4);
        memcpy(m, &km, 4);
    } else {
        uint16_t kv = be ? htons((uint16_t) v) : (uint16_t) v;
        uint16_t km = be ? htons((uint16_t) mv) : (uint16_t) mv;

        memcpy(k, &kv, 2);
        memcpy(m, &km, 2);
    }
    error = put_pair(kp, type, k, m, width);
    return error ? error : n + 1;
}

static int
parse_flags_attr(struct kparse *kp, const char *s, const char *name,
                 uint16_t type, odp_text_flag_name_fn *fn, uint32_t allowed)
{
    uint32_t f, fm = UINT32_MAX;
    int n = odp_text_parse_flags(s, fn, ')', allowed, &f, kp->mask ? &fm : NULL);
    int error;

    if (n <= 0 || s[n] != ')') {
        return bad_value(kp->err, name, NULL, s);
    }
    if (type == OVS_KEY_ATTR_TCP_FLAGS) {
        uint16_t k = htons((uint16_t) f), m = htons((uint16_t) fm);

        error = put_pair(kp, type, &k, &m, 2);
    } else {
        error = put_pair(kp, type, &f, &fm, 4);
    }
    return error ? error : n + 1;
}

static int
parse_ct_label(struct kparse *kp, const char *s)
{
    uint8_t kbe[16], mbe[16], k[16], m[16];
    int n, n2 = 0, error;

    if (*s == ')') {
        /* As ct_mark(): the printed form of a wildcarded label. */
        memset(k, 0, sizeof k);
        memset(m, 0, sizeof m);
        error = put_pair(kp, OVS_KEY_ATTR_CT_LABELS, k, m, 16);
        return error ? error : 1;
    }
    n = odp_text_scan_int_bytes(s, kbe, 16);
    if (!n) {
        return bad_value(kp->err, "ct_label", NULL, s);
    }
    memset(mbe, 0xff, sizeof mbe);
    if (s[n] == '/') {
        if (!kp->mask) {
            return mask_not_allowed(kp->err, "ct_label", NULL);
        }
        n2 = odp_text_scan_int_bytes(s + n + 1, mbe, 16);
        if (!n2) {
            return bad_value(kp->err, "ct_label", NULL, s);
        }
        n += 1 + n2;
    }
    if (s[n] != ')') {
        return bad_value(kp->err, "ct_label", NULL, s);
    }
    odp_text_u128_from_be(kbe, k);
    odp_text_u128_from_be(mbe, m);
    error = put_pair(kp, OVS_KEY_ATTR_CT_LABELS, k, m, 16);
    return error ? error : n + 1;
}

/* A bit field "value[/mask]" of 'bits' bits at 'shift' in a host-order word:
 * the value replaces those bits; the mask does too, or sets them all. */
static int
scan_bitfield(const char *s, unsigned int bits, unsigned int shift,
              uint32_t *key, uint32_t *mask, bool mask_allowed)
{
    uint32_t field = (uint32_t) (((UINT64_C(1) << bits) - 1) << shift);
    uint64_t v, mv = 0;
    int n = scan_num_masked(s, 0xffffffff, &v, mask_allowed ? &mv : NULL);

    if (n <= 0) {
        return n;
    }
    if (v >> bits) {
        return 0;
    }
    *key = (*key & ~field) | (uint32_t) v << shift;
    if (mask) {
        if (memchr(s, '/', (size_t) n)) {
            if (mv >> bits) {
                return 0;
            }
            *mask = (*mask & ~field) | (uint32_t) mv << shift;
        } else {
            *mask |= field;
        }
    }
    return n;
}

struct bitfield {
    const char *name;
    uint8_t bits;
    uint8_t shift;
};

/* Fields of bit fields, "a=1,b=2/0x3,...)": shared by vlan() and mpls(). */
static int
parse_bitfields(struct kparse *kp, const char *s, const char *name,
                const struct bitfield *bf, size_t n_bf, uint32_t *key,
                uint32_t *mask, unsigned int *seen, const char **end)
{
    const char *p = s;
    size_t i;
    size_t l;
    int r;

    for (i = 0; i < n_bf; i++) {
        l = strlen(bf[i].name);
        if (!strncmp(p, bf[i].name, l) && p[l] == '=') {
            break;
        }
    }
    if (i == n_bf) {
        return unknown_field(kp->err, name, p);
    }
    p += l + 1;
    r = scan_bitfield(p, bf[i].bits, bf[i].shift, key, mask, kp->mask != NULL);
    if (r < 0) {
        return mask_not_allowed(kp->err, name, bf[i].name);
    }
    if (!r || (p[r] != ',' && p[r] != ')')) {
        return bad_value(kp->err, name, bf[i].name, p);
    }
    *seen = (unsigned int) i;
    *end = p + r;
    return 0;
}

static int
parse_vlan(struct kparse *kp, const char *s)
{
    static const struct bitfield bf[] = {
        { "vid", 12, 0 }, { "pcp", 3, 13 }, { "cfi", 1, 12 },
    };
    /* The CFI ("tag present") bit is set unless cfi=0 says otherwise, in the
     * key and in the mask. */
    uint32_t key = 0x1000, mask = 0x1000;
    const char *p = s;
    uint16_t k, m;
    int error;

    for (;;) {
        unsigned int seen;

        if (*p == ')') {
            p++;
            break;
        }
        error = parse_bitfields(kp, p, "vlan", bf, ARRAY_SIZE(bf), &key,
                                kp->mask ? &mask : NULL, &seen, &p);
        if (error) {
            return error;
        }
        if (*p == ',') {
            p++;
        }
    }
    if (!(mask & 0x1000)) {
        /* The text has no way to show a wildcarded CFI bit. */
        return xsw_err_set(kp->err, EINVAL, "vlan: cfi cannot be wildcarded");
    }
    k = htons((uint16_t) key);
    m = htons((uint16_t) mask);
    error = put_pair(kp, OVS_KEY_ATTR_VLAN, &k, &m, 2);
    return error ? error : (int) (p - s);
}

/* Label stack entries: a field that repeats starts the next entry, as in
 * OVS (which allows three). */
#define MPLS_MAX_LSES 3

static int
parse_mpls(struct kparse *kp, const char *s)
{
    static const struct bitfield bf[] = {
        { "label", 20, 12 }, { "tc", 3, 9 }, { "ttl", 8, 0 }, { "bos", 1, 8 },
    };
    uint32_t key[MPLS_MAX_LSES] = { 0 }, mask[MPLS_MAX_LSES] = { 0 };
    uint32_t kbe[MPLS_MAX_LSES], mbe[MPLS_MAX_LSES];
    unsigned int fields = 0;
    const char *p = s;
    int idx = 0, error;

    for (;;) {
        uint32_t tk, tm;
        unsigned int seen;
        const char *next;

        if (*p == ')') {
            p++;
            break;
        }
        /* Parse into scratch words first: which entry the field belongs to
         * depends on whether it was already seen. */
        tk = key[idx];
        tm = mask[idx];
        error = parse_bitfields(kp, p, "mpls", bf, ARRAY_SIZE(bf), &tk,
                                kp->mask ? &tm : NULL, &seen, &next);
        if (error) {
            return error;
        }
        if (fields & (1u << seen)) {
            if (++idx == MPLS_MAX_LSES) {
                return xsw_err_set(kp->err, EINVAL,
                                   "mpls: more than %d label stack entries",
                                   MPLS_MAX_LSES);
            }
            fields = 0;
            tk = key[idx];
            tm = mask[idx];
            error = parse_bitfields(kp, p, "mpls", bf, ARRAY_SIZE(bf), &tk,
                                    kp->mask ? &tm : NULL, &seen, &next);
            if (error) {
                return error;
            }
        }
        key[idx] = tk;
        mask[idx] = tm;
        fields |= 1u << seen;
        p = next;
        if (*p == ',') {
            p++;
        }
    }
    for (int i = 0; i <= idx; i++) {
        kbe[i] = htonl(key[i]);
        mbe[i] = htonl(mask[i]);
    }
    error = put_pair(kp, OVS_KEY_ATTR_MPLS, kbe, mbe, (size_t) (idx + 1) * 4);
    return error ? error : (int) (p - s);
}

/* Whether the formatter prints a type of table t as "key<N>(...)": only
 * those are read back raw, so that raw text cannot build an attribute that
 * then prints under its name, or as a length error. */
static bool
raw_allowed(enum attr_table t, uint16_t type)
{
    switch (t) {
    case TBL_KEY:
        return !key_desc(type);
    case TBL_TUNNEL:
        return type == OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS || type >= ARRAY_SIZE(tun_descs);
    case TBL_VXLAN:
        return type != OVS_VXLAN_EXT_GBP;
    }
    return false;
}

/* "key<N>(01 02 03[/ff ff ff])": an attribute given as raw bytes. */
static int
parse_raw(struct kparse *kp, const char *s, const char *name, uint16_t type)
{
    uint8_t *k = NULL, *m = NULL;
    size_t n, nm;
    const char *p = s;
    int r, error;

    r = odp_text_scan_hex_bytes(p, NULL, &n);
    if (n > UINT16_MAX - NLA_HDRLEN) {
        return xsw_err_set(kp->err, EMSGSIZE, "%s: too long", name);
    }
    k = malloc(n + 1);
    m = malloc(n + 1);
    if (!k || !m) {
        error = xsw_err_set(kp->err, ENOMEM, "%s: out of memory", name);
        goto out;
    }
    odp_text_scan_hex_bytes(p, k, &n);
    p += r;
    memset(m, 0xff, n);
    if (*p == '/') {
        if (!kp->mask) {
            error = mask_not_allowed(kp->err, name, NULL);
            goto out;
        }
        p++;
        r = odp_text_scan_hex_bytes(p, NULL, &nm);
        if (nm != n) {
            error = xsw_err_set(kp->err, EINVAL,
                                "%s: mask has %zu bytes, value has %zu",
                                name, nm, n);
            goto out;
        }
        odp_text_scan_hex_bytes(p, m, &nm);
        p += r;
    }
    if (*p != ')') {
        error = bad_value(kp->err, name, NULL, s);
        goto out;
    }
    p++;
    error = put_pair(kp, type, k, m, n);
    if (!error) {
        error = (int) (p - s);
    }
out:
    free(k);
    free(m);
    return error;
}

/* "key<N>(": returns N's text length (without the '('), 0 if s is not
 * such a name. */
static size_t
match_raw_name(const char *s, uint16_t *type)
{
    uint64_t v;
    int n;

    if (strncmp(s, "key", 3) || s[3] < '0' || s[3] > '9') {
        return 0;
    }
    n = odp_text_scan_uint_base(s + 3, 10, ODP_TEXT_TYPE_MAX, &v);
    if (!n || s[3 + n] != '(') {
        return 0;
    }
    *type = (uint16_t) v;
    return 3 + (size_t) n;
}

static int
flag_attrs(struct nlmsghdr *nlh, size_t buflen, uint32_t flags)
{
    if (((flags & TNL_F_DF)
         && !odp_text_put(nlh, buflen, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, NULL, 0))
        || ((flags & TNL_F_CSUM)
            && !odp_text_put(nlh, buflen, OVS_TUNNEL_KEY_ATTR_CSUM, NULL, 0))
        || ((flags & TNL_F_OAM)
            && !odp_text_put(nlh, buflen, OVS_TUNNEL_KEY_ATTR_OAM, NULL, 0))) {
        return -1;
    }
    return 0;
}

/* "vxlan(gbp(id=..,flags=..))", and what else the formatter prints there
 * (an empty nest, unknown sub-attributes).  OVS's parser writes nothing for
 * a zero gbp(); here it is written as given, so that the printed
 * "gbp(id=0,flags=0)" reads back as the same bytes. */
static int
parse_vxlan(struct kparse *kp, const char *s)
{
    struct nlattr *kn, *mn = NULL;
    const char *p = s;

    kn = odp_text_nest_start(kp->key, kp->buflen, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
    if (!kn) {
        return no_room(kp->err);
    }
    if (kp->mask) {
        mn = odp_text_nest_start(kp->mask, kp->buflen, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
        if (!mn) {
            return no_room(kp->err);
        }
    }
    for (;;) {
        uint16_t raw_type;
        size_t l;
        int n;

        if (*p == ')') {
            p++;
            break;
        }
        if (odp_text_starts(p, "gbp(")) {
            uint64_t id = 0, idm = 0, fl = 0, flm = 0;
            uint32_t k, m;
            const char *q = p + 4;

            if (odp_text_starts(q, "id=")) {
                n = scan_num_masked(q + 3, 0xffff, &id, kp->mask ? &idm : NULL);
                if (n <= 0) {
                    return bad_value(kp->err, "tunnel", "gbp id", q + 3);
                }
                q += 3 + n;
            }
            if (*q == ',') {
                q++;
            }
            if (odp_text_starts(q, "flags=")) {
                n = scan_num_masked(q + 6, 0xff, &fl, kp->mask ? &flm : NULL);
                if (n <= 0) {
                    return bad_value(kp->err, "tunnel", "gbp flags", q + 6);
                }
                q += 6 + n;
            }
            if (*q != ')') {
                return bad_value(kp->err, "tunnel", "gbp", q);
            }
            k = (uint32_t) (fl << 16 | id);
            m = (uint32_t) (flm << 16 | idm);
            n = put_pair(kp, OVS_VXLAN_EXT_GBP, &k, &m, 4);
            if (n) {
                return n;
            }
            p = q + 1;
        } else if ((l = match_raw_name(p, &raw_type)) != 0
                   && raw_allowed(TBL_VXLAN, raw_type)) {
            n = parse_raw(kp, p + l + 1, "tunnel", raw_type);
            if (n < 0) {
                return n;
            }
            p += l + 1 + (size_t) n;
        } else {
            return unknown_field(kp->err, "vxlan", p);
        }
        if (*p == ',') {
            p++;
        } else if (*p != ')') {
            return bad_value(kp->err, "tunnel", "vxlan", p);
        }
    }
    if (!odp_text_nest_end(kp->key, kn) || (mn && !odp_text_nest_end(kp->mask, mn))) {
        return no_room(kp->err);
    }
    return (int) (p - s);
}

/* "{class=..,type=..,len=..,0x..[/0x..]}...)" after "geneve(", as OVS's
 * scan_geneve(): data and mask bytes not given stay all ones in the mask. */
static int
parse_geneve(struct kparse *kp, const char *s)
{
    uint8_t k[GENEVE_OPTS_MAX], m[GENEVE_OPTS_MAX];
    size_t remain = sizeof k, ofs = 0;
    const char *p = s;
    int error;

    memset(k, 0, sizeof k);
    memset(m, 0xff, sizeof m);
    while (*p == '{' && remain >= 4) {
        uint8_t *opt = k + ofs, *om = m + ofs;
        size_t data_len = 0;
        uint64_t v, mv;
        int n;

        p++;
        remain -= 4;
        if (odp_text_starts(p, "class=")) {
            n = scan_num_masked(p + 6, 0xffff, &v, kp->mask ? &mv : NULL);
            if (n <= 0) {
                goto bad;
            }
            opt[0] = (uint8_t) (v >> 8);
            opt[1] = (uint8_t) v;
            om[0] = (uint8_t) (mv >> 8);
            om[1] = (uint8_t) mv;
            p += 6 + n;
        } else {
            om[0] = om[1] = 0;
        }
        if (*p == ',') {
            p++;
        }
        if (odp_text_starts(p, "type=")) {
            n = scan_num_masked(p + 5, 0xff, &v, kp->mask ? &mv : NULL);
            if (n <= 0) {
                goto bad;
            }
            opt[2] = (uint8_t) v;
            om[2] = (uint8_t) mv;
            p += 5 + n;
        } else {
            om[2] = 0;
        }
        if (*p == ',') {
            p++;
        }
        if (odp_text_starts(p, "len=")) {
            n = scan_num_masked(p + 4, 0xff, &v, kp->mask ? &mv : NULL);
            if (n <= 0 || v > 124 || v % 4 || v > remain) {
                goto bad;
            }
            opt[3] = (uint8_t) ((opt[3] & 0xe0) | (v / 4));
            om[3] = (uint8_t) ((om[3] & 0xe0) | (mv & 0x1f));
            data_len = (size_t) v;
            p += 4 + n;
        } else {
            /* OVS clears the type's mask here, not the length's. */
            om[2] = 0;
        }
        if (*p == ',') {
            p++;
            n = odp_text_scan_int_bytes(p, opt + 4, data_len);
            if (!n) {
                goto bad;
            }
            p += n;
        }
        if (*p == '/') {
            if (!kp->mask) {
                return mask_not_allowed(kp->err, "tunnel", "geneve");
            }
            p++;
            n = odp_text_scan_int_bytes(p, om + 4, data_len);
            if (!n) {
                goto bad;
            }
            p += n;
        }
        /* The reserved bits above the length never match. */
        om[3] &= 0x1f;
        if (*p != '}') {
            goto bad;
        }
        p++;
        ofs += 4 + data_len;
        remain -= data_len;
    }
    if (*p != ')') {
        goto bad;
    }
    p++;
    error = put_pair(kp, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, k, m, ofs);
    return error ? error : (int) (p - s);

bad:
    return bad_value(kp->err, "tunnel", "geneve", p);
}

static int
parse_tunnel(struct kparse *kp, const char *s)
{
    uint32_t flags = 0, mask_flags = 0;
    struct nlattr *kn, *mn = NULL;
    const char *p = s;

    kn = odp_text_nest_start(kp->key, kp->buflen, OVS_KEY_ATTR_TUNNEL);
    if (!kn) {
        return no_room(kp->err);
    }
    if (kp->mask) {
        mn = odp_text_nest_start(kp->mask, kp->buflen, OVS_KEY_ATTR_TUNNEL);
        if (!mn) {
            return no_room(kp->err);
        }
    }
    for (;;) {
        uint16_t raw_type;
        size_t l;
        int n = -1;

        if (*p == ')') {
            p++;
            break;
        }
        for (uint16_t t = 0; t < ARRAY_SIZE(tun_descs); t++) {
            const struct tun_desc *td = &tun_descs[t];
            uint8_t k[16], m[16];
            int r, error;

            l = td->name ? strlen(td->name) : 0;
            if (!l || strncmp(p, td->name, l) || p[l] != '=') {
                continue;
            }
            r = scan_field(p + l + 1, td->kind, k, kp->mask ? m : NULL);
            if (r < 0) {
                return mask_not_allowed(kp->err, "tunnel", td->name);
            }
            if (!r || (p[l + 1 + r] != ',' && p[l + 1 + r] != ')')) {
                return bad_value(kp->err, "tunnel", td->name, p + l + 1);
            }
            error = put_pair(kp, t, k, m, field_sizes[td->kind]);
            if (error) {
                return error;
            }
            n = (int) (l + 1) + r;
            break;
        }
        if (n < 0) {
            if (odp_text_starts(p, "vxlan(")) {
                n = parse_vxlan(kp, p + 6);
                n = n < 0 ? n : n + 6;
            } else if (odp_text_starts(p, "geneve(")) {
                n = parse_geneve(kp, p + 7);
                n = n < 0 ? n : n + 7;
            } else if (odp_text_starts(p, "flags(")) {
                uint32_t f, fm = UINT32_MAX;
                int r = odp_text_parse_flags(p + 6, tun_flag_name, ')', TNL_F_MASK,
                                             &f, kp->mask ? &fm : NULL);

                if (r < 0 || p[6 + r] != ')') {
                    return bad_value(kp->err, "tunnel", "flags", p + 6);
                }
                flags |= f;
                mask_flags |= fm;
                n = 6 + r + 1;
            } else if ((l = match_raw_name(p, &raw_type)) != 0
                       && raw_allowed(TBL_TUNNEL, raw_type)) {
                n = parse_raw(kp, p + l + 1, "tunnel", raw_type);
                n = n < 0 ? n : n + (int) l + 1;
            } else if (odp_text_starts(p, "erspan(")) {
                return xsw_err_set(kp->err, EINVAL,
                                   "tunnel: erspan() is not supported");
            } else {
                return unknown_field(kp->err, "tunnel", p);
            }
            if (n < 0) {
                return n;
            }
        }
        p += n;
        if (*p == ',') {
            p++;
        } else if (*p != ')') {
            return bad_value(kp->err, "tunnel", NULL, p);
        }
    }
    /* The flags go last, once, wherever flags(...) was: that is where the
     * formatter prints them, so the text of a tunnel always reads back as
     * the same bytes (OVS would write them where they appear). */
    if (flag_attrs(kp->key, kp->buflen, flags)
        || (kp->mask && flag_attrs(kp->mask, kp->buflen, mask_flags))) {
        return no_room(kp->err);
    }
    if (!odp_text_nest_end(kp->key, kn) || (mn && !odp_text_nest_end(kp->mask, mn))) {
        return no_room(kp->err);
    }
    return (int) (p - s);
}

static int
parse_encap(struct kparse *kp, const char *s)
{
    struct nlattr *kn, *mn = NULL;
    const char *p = s;

    if (kp->depth + 1 >= ODP_TEXT_MAX_DEPTH) {
        return xsw_err_set(kp->err, EINVAL, "encap: nested deeper than %d levels",
                           ODP_TEXT_MAX_DEPTH - 1);
    }
    kn = odp_text_nest_start(kp->key, kp->buflen, OVS_KEY_ATTR_ENCAP);
    if (!kn) {
        return no_room(kp->err);
    }
    if (kp->mask) {
        mn = odp_text_nest_start(kp->mask, kp->buflen, OVS_KEY_ATTR_ENCAP);
        if (!mn) {
            return no_room(kp->err);
        }
    }
    for (;;) {
        int r;

        p += strspn(p, ODP_TEXT_DELIMS);
        if (!*p) {
            return xsw_err_set(kp->err, EINVAL, "unbalanced parentheses");
        }
        if (*p == ')') {
            p++;
            break;
        }
        r = odp_text_parse_key_attr(p, kp->key, kp->mask, kp->buflen,
                                    kp->depth + 1, kp->err);
        if (r < 0) {
            return r;
        }
        p += r;
    }
    if (!odp_text_nest_end(kp->key, kn) || (mn && !odp_text_nest_end(kp->mask, mn))) {
        return no_room(kp->err);
    }
    return (int) (p - s);
}

int
odp_text_parse_key_attr(const char *s, struct nlmsghdr *key,
                        struct nlmsghdr *mask, size_t buflen, int depth,
                        struct xsw_err *err)
{
    struct kparse kp = { key, mask, buflen, depth, err };
    size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
    const struct key_desc *d = NULL;
    char tok[TOKEN_SIZE];
    uint16_t type = 0;
    const char *p;
    int r;

    for (uint16_t t = 1; len && t < ARRAY_SIZE(key_descs); t++) {
        if (key_descs[t].name && strlen(key_descs[t].name) == len
            && !strncmp(s, key_descs[t].name, len)) {
            d = &key_descs[t];
            type = t;
            break;
        }
    }
    if (d && s[len] != '(') {
        return xsw_err_set(err, EINVAL, "%s: expected '(' after the name", d->name);
    }
    if (!d) {
        size_t l = match_raw_name(s, &type);

        if (!l) {
            odp_text_token(s, "(), \t\r\n", tok, sizeof tok);
            if (!strncmp(s, "nsh(", 4)) {
                return xsw_err_set(err, EINVAL, "nsh() keys are not supported");
            }
            return xsw_err_set(err, EINVAL, "unknown key attribute '%s'", tok);
        }
        odp_text_token(s, "(", tok, sizeof tok);
        if (!raw_allowed(TBL_KEY, type)) {
            return xsw_err_set(err, EINVAL, "%s: type %u has a name, %s(...)", tok,
                               type, key_desc(type)->name);
        }
        r = parse_raw(&kp, s + l + 1, tok, type);
        return r < 0 ? r : r + (int) l + 1;
    }

    p = s + len + 1;
    switch (type) {
    case OVS_KEY_ATTR_ENCAP:
        r = parse_encap(&kp, p);
        break;
    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
    case OVS_KEY_ATTR_DP_HASH:
    case OVS_KEY_ATTR_CT_MARK:
    case OVS_KEY_ATTR_IN_PORT:
        r = parse_single(&kp, p, d->name, type, 4, false, true);
        break;
    case OVS_KEY_ATTR_RECIRC_ID:
        /* OVS reads no mask for recirc_id: it always matches exactly. */
        r = parse_single(&kp, p, d->name, type, 4, false, false);
        break;
    case OVS_KEY_ATTR_CT_ZONE:
        r = parse_single(&kp, p, d->name, type, 2, false, true);
        break;
    case OVS_KEY_ATTR_ETHERTYPE:
        r = parse_single(&kp, p, d->name, type, 2, true, true);
        break;
    case OVS_KEY_ATTR_CT_STATE:
        r = parse_flags_attr(&kp, p, d->name, type, ct_state_name, 0xff);
        break;
    case OVS_KEY_ATTR_TCP_FLAGS:
        r = parse_flags_attr(&kp, p, d->name, type, tcp_flag_name, 0x0fff);
        break;
    case OVS_KEY_ATTR_CT_LABELS:
        r = parse_ct_label(&kp, p);
        break;
    case OVS_KEY_ATTR_VLAN:
        r = parse_vlan(&kp, p);
        break;
    case OVS_KEY_ATTR_MPLS:
        r = parse_mpls(&kp, p);
        break;
    case OVS_KEY_ATTR_TUNNEL:
        r = parse_tunnel(&kp, p);
        break;
    case OVS_KEY_ATTR_ND_EXTENSIONS:
        r = parse_struct(&kp, p, d->name, type, nd_ext_fields,
                         ARRAY_SIZE(nd_ext_fields), ND_EXT_LEN);
        break;
    default:
        r = parse_struct(&kp, p, d->name, type, d->fields, d->n_fields,
                         (size_t) d->len);
        break;
    }
    return r < 0 ? r : r + (int) len + 1;
}

int
odp_text_parse_key(const char *s, struct nlmsghdr *key_nlh,
                   struct nlmsghdr *mask_nlh, size_t buflen,
                   struct xsw_err *err)
{
    uint32_t key_len0, mask_len0 = 0;
    const char *p;
    int error;

    xsw_err_clear(err);
    if (!s || !key_nlh) {
        return xsw_err_set(err, EINVAL, "no key text");
    }
    error = odp_text_check_parens(s, err);
    if (error) {
        return error;
    }
    key_len0 = key_nlh->nlmsg_len;
    if (mask_nlh) {
        mask_len0 = mask_nlh->nlmsg_len;
    }

    /* An empty key prints as "<empty>": read it back as one. */
    p = s + strspn(s, ODP_TEXT_DELIMS);
    if (!strncmp(p, "<empty>", 7) && !p[7 + strspn(p + 7, ODP_TEXT_DELIMS)]) {
        return 0;
    }
    for (;;) {
        int r;

        p += strspn(p, ODP_TEXT_DELIMS);
        if (!*p) {
            /* The key goes into one attribute (OVS_FLOW_ATTR_KEY). */
            if (key_nlh->nlmsg_len - key_len0 > UINT16_MAX - NLA_HDRLEN
                || (mask_nlh
                    && mask_nlh->nlmsg_len - mask_len0 > UINT16_MAX - NLA_HDRLEN)) {
                error = xsw_err_set(err, EMSGSIZE, "key longer than %d bytes",
                                    UINT16_MAX - NLA_HDRLEN);
                break;
            }
            return 0;
        }
        if (!strncmp(p, "ufid:", 5)) {
            struct ufid ufid;

            r = ufid_parse(p, &ufid);
            if (!r) {
                char tok[TOKEN_SIZE];

                odp_text_token(p, ODP_TEXT_DELIMS, tok, sizeof tok);
                error = xsw_err_set(err, EINVAL, "bad ufid '%s'", tok);
                break;
            }
            p += r;
            continue;
        }
        r = odp_text_parse_key_attr(p, key_nlh, mask_nlh, buflen, 0, err);
        if (r < 0) {
            error = r;
            break;
        }
        p += r;
    }
    key_nlh->nlmsg_len = key_len0;
    if (mask_nlh) {
        mask_nlh->nlmsg_len = mask_len0;
    }
    return error;
}
