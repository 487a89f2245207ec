/* odp_text actions: OVS_ACTION_ATTR_* lists as text, byte for byte the way
 * Open vSwitch's format_odp_actions() prints them, and read back by a parser
 * that accepts those spellings and the ones OVS's odp_actions_from_string()
 * accepts.  Key attributes inside set() go through odp_text.c, so a set
 * prints exactly like the same field in a flow key. */
#include "odp_text.h"
#include "odp_text_private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/openvswitch.h>

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])

/* Numbers not in every <linux/openvswitch.h>: OVS_HASH_ALG_SYM_L4 (OVS
 * defines it next to OVS_HASH_ALG_L4) and OVS_ACTION_ATTR_DROP (Linux 6.4,
 * a u32 reason; OVS 3.x prints it "drop"). */
#define HASH_ALG_SYM_L4 1
#define ACTION_ATTR_DROP 24

#define LEN_INVALID  (-1)
#define LEN_VARIABLE (-2)

#define TOKEN_SIZE 48

/* What set() accepts inside: one key attribute, small unless it is a tunnel
 * with options. */
#define SET_BUF_SIZE 4096

/* OVS's odp_action_len(): fixed payload sizes; types OVS does not know get
 * LEN_INVALID and print as "bad length N, expected -1 for: action<T>(...)". */
static int
action_len(uint16_t type)
{
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
    case OVS_ACTION_ATTR_RECIRC:
    case OVS_ACTION_ATTR_METER:
    case ACTION_ATTR_DROP:
        return 4;
    case OVS_ACTION_ATTR_TRUNC:
        return sizeof(struct ovs_action_trunc);
    case OVS_ACTION_ATTR_PUSH_VLAN:
        return sizeof(struct ovs_action_push_vlan);
    case OVS_ACTION_ATTR_PUSH_MPLS:
        return sizeof(struct ovs_action_push_mpls);
    case OVS_ACTION_ATTR_POP_MPLS:
        return 2;
    case OVS_ACTION_ATTR_HASH:
        return sizeof(struct ovs_action_hash);
    case OVS_ACTION_ATTR_PUSH_ETH:
        return sizeof(struct ovs_action_push_eth);
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_CT_CLEAR:
    case OVS_ACTION_ATTR_POP_ETH:
    case OVS_ACTION_ATTR_POP_NSH:
        return 0;
    case OVS_ACTION_ATTR_USERSPACE:
    case OVS_ACTION_ATTR_SET:
    case OVS_ACTION_ATTR_SET_MASKED:
    case OVS_ACTION_ATTR_SAMPLE:
    case OVS_ACTION_ATTR_CT:
    case OVS_ACTION_ATTR_CLONE:
    case OVS_ACTION_ATTR_PUSH_NSH:
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
        return LEN_VARIABLE;
    default:
        return LEN_INVALID;
    }
}

/* ====================================================================== */
/* Nested attribute policies (OVS's nl_parse_nested()).                    */
/* ====================================================================== */

enum pol_kind { PK_NONE, PK_U16, PK_U32, PK_FLAG, PK_UNSPEC, PK_NESTED, PK_STRING };

struct pol {
    uint8_t kind;
    bool optional;
    uint16_t min_len;
    uint16_t max_len;
};

/* Fills out[type] for each attribute the policy names; false, as OVS's
 * nl_policy_parse(), if one has a bad length, a string is not a single
 * NUL-terminated string, bytes are left over, or a required one is
 * missing. */
static bool
policy_parse(const uint8_t *attrs, size_t len, const struct pol *pol, size_t n,
             const uint8_t **out)
{
    const uint8_t *a;
    size_t left;

    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
    }
    ODP_TEXT_NLA_FOR_EACH (a, left, attrs, len) {
        uint16_t type = odp_text_nla_type(a);
        size_t size = odp_text_nla_size(a);
        size_t min = 0, max = SIZE_MAX;

        if (type >= n || pol[type].kind == PK_NONE) {
            continue;
        }
        switch (pol[type].kind) {
        case PK_U16:
            min = max = 2;
            break;
        case PK_U32:
            min = max = 4;
            break;
        case PK_STRING:
            min = 1;
            break;
        default:
            break;
        }
        if (pol[type].min_len) {
            min = pol[type].min_len;
        }
        if (pol[type].max_len) {
            max = pol[type].max_len;
        }
        if (size < min || size > max) {
            return false;
        }
        if (pol[type].kind == PK_STRING) {
            const uint8_t *data = odp_text_nla_data(a);

            if (data[size - 1] || memchr(data, '\0', size - 1)) {
                return false;
            }
        }
        out[type] = a;
    }
    if (left) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (pol[i].kind != PK_NONE && !pol[i].optional && !out[i]) {
            return false;
        }
    }
    return true;
}

/* ====================================================================== */
/* Formatting.                                                             */
/* ====================================================================== */

static void format_list(struct strbuf *sb, const uint8_t *actions, size_t len,
                        int depth);

/* OVS's format_generic_odp_action(): "action<T>(01 02 ..)". */
static void
format_generic(struct strbuf *sb, const uint8_t *a)
{
    size_t size = odp_text_nla_size(a);

    strbuf_printf(sb, "action%u", odp_text_nla_type(a));
    if (size) {
        strbuf_putc(sb, '(');
        odp_text_put_hex_spaced(sb, odp_text_nla_data(a), size);
        strbuf_putc(sb, ')');
    }
}

static void
format_userspace(struct strbuf *sb, const uint8_t *attr)
{
    static const struct pol pol[] = {
        [OVS_USERSPACE_ATTR_PID] = { PK_U32, false, 0, 0 },
        [OVS_USERSPACE_ATTR_USERDATA] = { PK_UNSPEC, true, 0, 0 },
        [OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = { PK_U32, true, 0, 0 },
        [OVS_USERSPACE_ATTR_ACTIONS] = { PK_UNSPEC, true, 0, 0 },
    };
    const uint8_t *a[ARRAY_SIZE(pol)];

    if (!policy_parse(odp_text_nla_data(attr), odp_text_nla_size(attr), pol,
                      ARRAY_SIZE(pol), a)) {
        strbuf_puts(sb, "userspace(error)");
        return;
    }
    strbuf_printf(sb, "userspace(pid=%"PRIu32,
                  odp_text_get_u32(odp_text_nla_data(a[OVS_USERSPACE_ATTR_PID])));
    /* OVS decodes userdata of exactly the size of its own cookie structure
     * as sFlow/slow_path/... cookies; xsw has no such cookies, so userdata
     * is always opaque bytes. */
    if (a[OVS_USERSPACE_ATTR_USERDATA]) {
        const uint8_t *ud = a[OVS_USERSPACE_ATTR_USERDATA];

        strbuf_puts(sb, ",userdata(");
        strbuf_put_hex(sb, odp_text_nla_data(ud), odp_text_nla_size(ud));
        strbuf_putc(sb, ')');
    }
    if (a[OVS_USERSPACE_ATTR_ACTIONS]) {
        strbuf_puts(sb, ",actions");
    }
    if (a[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]) {
        strbuf_printf(sb, ",tunnel_out_port=%"PRIu32,
                      odp_text_get_u32(odp_text_nla_data(
                          a[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT])));
    }
    strbuf_putc(sb, ')');
}

static void
format_sample(struct strbuf *sb, const uint8_t *attr, int depth)
{
    static const struct pol pol[] = {
        [OVS_SAMPLE_ATTR_PROBABILITY] = { PK_U32, false, 0, 0 },
        [OVS_SAMPLE_ATTR_ACTIONS] = { PK_NESTED, false, 0, 0 },
    };
    const uint8_t *a[ARRAY_SIZE(pol)];
    double percentage;

    strbuf_puts(sb, "sample");
    if (!policy_parse(odp_text_nla_data(attr), odp_text_nla_size(attr), pol,
                      ARRAY_SIZE(pol), a)) {
        strbuf_puts(sb, "(error)");
        return;
    }
    percentage = 100.0 * odp_text_get_u32(odp_text_nla_data(a[OVS_SAMPLE_ATTR_PROBABILITY]))
                 / UINT32_MAX;
    strbuf_printf(sb, "(sample=%.1f%%,actions(", percentage);
    format_list(sb, odp_text_nla_data(a[OVS_SAMPLE_ATTR_ACTIONS]),
                odp_text_nla_size(a[OVS_SAMPLE_ATTR_ACTIONS]), depth + 1);
    strbuf_puts(sb, "))");
}

static void
format_check_pkt_len(struct strbuf *sb, const uint8_t *attr, int depth)
{
    static const struct pol pol[] = {
        [OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = { PK_U16, false, 0, 0 },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = { PK_NESTED, false, 0, 0 },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL] = { PK_NESTED, false, 0, 0 },
    };
    const uint8_t *a[ARRAY_SIZE(pol)];
    const uint8_t *gt, *le;

    strbuf_puts(sb, "check_pkt_len");
    if (!policy_parse(odp_text_nla_data(attr), odp_text_nla_size(attr), pol,
                      ARRAY_SIZE(pol), a)) {
        strbuf_puts(sb, "(error)");
        return;
    }
    gt = a[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER];
    le = a[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL];
    strbuf_printf(sb, "(size=%u,gt(",
                  odp_text_get_u16(odp_text_nla_data(a[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN])));
    format_list(sb, odp_text_nla_data(gt), odp_text_nla_size(gt), depth + 1);
    strbuf_puts(sb, "),le(");
    format_list(sb, odp_text_nla_data(le), odp_text_nla_size(le), depth + 1);
    strbuf_puts(sb, "))");
}

static void
put_ipv6_bracket(struct strbuf *sb, const uint8_t *addr, bool bracket)
{
    char buf[INET6_ADDRSTRLEN];

    if (!inet_ntop(AF_INET6, addr, buf, sizeof buf)) {
        buf[0] = '\0';
    }
    if (bracket) {
        strbuf_printf(sb, "[%s]", buf);
    } else {
        strbuf_puts(sb, buf);
    }
}

/* OVS's format_odp_ct_nat(), error strings included. */
static void
format_ct_nat(struct strbuf *sb, const uint8_t *attr)
{
    static const struct pol pol[] = {
        [OVS_NAT_ATTR_SRC] = { PK_FLAG, true, 0, 0 },
        [OVS_NAT_ATTR_DST] = { PK_FLAG, true, 0, 0 },
        [OVS_NAT_ATTR_IP_MIN] = { PK_UNSPEC, true, 4, 16 },
        [OVS_NAT_ATTR_IP_MAX] = { PK_UNSPEC, true, 4, 16 },
        [OVS_NAT_ATTR_PROTO_MIN] = { PK_U16, true, 0, 0 },
        [OVS_NAT_ATTR_PROTO_MAX] = { PK_U16, true, 0, 0 },
        [OVS_NAT_ATTR_PERSISTENT] = { PK_FLAG, true, 0, 0 },
        [OVS_NAT_ATTR_PROTO_HASH] = { PK_FLAG, true, 0, 0 },
        [OVS_NAT_ATTR_PROTO_RANDOM] = { PK_FLAG, true, 0, 0 },
    };
    const uint8_t *a[ARRAY_SIZE(pol)];
    const uint8_t *ip_min, *ip_max;
    uint8_t min6[16], max6[16];
    uint32_t min4 = 0, max4 = 0;
    uint16_t proto_min, proto_max;
    size_t addr_len;

    if (!policy_parse(odp_text_nla_data(attr), odp_text_nla_size(attr), pol,
                      ARRAY_SIZE(pol), a)) {
        strbuf_puts(sb, "nat(error: nl_parse_nested() failed.)");
        return;
    }
    ip_min = a[OVS_NAT_ATTR_IP_MIN];
    ip_max = a[OVS_NAT_ATTR_IP_MAX];
    if (!(a[OVS_NAT_ATTR_SRC] || a[OVS_NAT_ATTR_DST])
        && (ip_min || ip_max || a[OVS_NAT_ATTR_PROTO_MIN]
            || a[OVS_NAT_ATTR_PROTO_MAX] || a[OVS_NAT_ATTR_PERSISTENT]
            || a[OVS_NAT_ATTR_PROTO_HASH] || a[OVS_NAT_ATTR_PROTO_RANDOM])) {
        strbuf_puts(sb, "nat(error: options allowed only with \"src\" or \"dst\")");
        return;
    }
    if (a[OVS_NAT_ATTR_SRC] && a[OVS_NAT_ATTR_DST]) {
        strbuf_puts(sb, "nat(error: Only one of \"src\" or \"dst\" may be present.)");
        return;
    }
    if (!ip_min && a[OVS_NAT_ATTR_PROTO_MIN]) {
        strbuf_puts(sb, "nat(error: proto but no IP.)");
        return;
    }
    if ((!ip_min && ip_max)
        || (!a[OVS_NAT_ATTR_PROTO_MIN] && a[OVS_NAT_ATTR_PROTO_MAX])) {
        strbuf_puts(sb, "nat(error: range max without min.)");
        return;
    }
    if ((ip_min && odp_text_nla_size(ip_min) != 4 && odp_text_nla_size(ip_min) != 16)
        || (ip_min && ip_max
            && odp_text_nla_size(ip_min) != odp_text_nla_size(ip_max))) {
        strbuf_puts(sb, "nat(error: IP address sizes do not match)");
        return;
    }

    addr_len = ip_min ? odp_text_nla_size(ip_min) : 0;
    memset(min6, 0, sizeof min6);
    memset(max6, 0, sizeof max6);
    if (addr_len == 4) {
        memcpy(&min4, odp_text_nla_data(ip_min), 4);
        if (ip_max) {
            memcpy(&max4, odp_text_nla_data(ip_max), 4);
        }
    } else if (addr_len == 16) {
        memcpy(min6, odp_text_nla_data(ip_min), 16);
        if (ip_max) {
            memcpy(max6, odp_text_nla_data(ip_max), 16);
        }
    }
    proto_min = a[OVS_NAT_ATTR_PROTO_MIN]
                ? odp_text_get_u16(odp_text_nla_data(a[OVS_NAT_ATTR_PROTO_MIN])) : 0;
    proto_max = a[OVS_NAT_ATTR_PROTO_MAX]
                ? odp_text_get_u16(odp_text_nla_data(a[OVS_NAT_ATTR_PROTO_MAX])) : 0;

    if ((addr_len == 4 && max4 && ntohl(min4) > ntohl(max4))
        || (addr_len == 16 && !odp_text_all_bytes(max6, 16, 0)
            && memcmp(min6, max6, 16) > 0)
        || (proto_max && proto_min > proto_max)) {
        strbuf_puts(sb, "nat(range error)");
        return;
    }

    strbuf_puts(sb, "nat");
    if (a[OVS_NAT_ATTR_SRC] || a[OVS_NAT_ATTR_DST]) {
        strbuf_putc(sb, '(');
        strbuf_puts(sb, a[OVS_NAT_ATTR_SRC] ? "src" : "dst");
        if (addr_len > 0) {
            strbuf_putc(sb, '=');
            if (addr_len == 4) {
                const uint8_t *b = (const uint8_t *) &min4;

                strbuf_printf(sb, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
                if (max4 && max4 != min4) {
                    b = (const uint8_t *) &max4;
                    strbuf_printf(sb, "-%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
                }
            } else if (addr_len == 16) {
                put_ipv6_bracket(sb, min6, proto_min != 0);
                if (!odp_text_all_bytes(max6, 16, 0) && memcmp(max6, min6, 16)) {
                    strbuf_putc(sb, '-');
                    put_ipv6_bracket(sb, max6, proto_min != 0);
                }
            }
            if (proto_min) {
                strbuf_printf(sb, ":%u", proto_min);
                if (proto_max && proto_max != proto_min) {
                    strbuf_printf(sb, "-%u", proto_max);
                }
            }
        }
        strbuf_putc(sb, ',');
        if (a[OVS_NAT_ATTR_PERSISTENT]) {
            strbuf_puts(sb, "persistent,");
        }
        if (a[OVS_NAT_ATTR_PROTO_HASH]) {
            strbuf_puts(sb, "hash,");
        }
        if (a[OVS_NAT_ATTR_PROTO_RANDOM]) {
            strbuf_puts(sb, "random,");
        }
        strbuf_chomp(sb, ',');
        strbuf_putc(sb, ')');
    }
}

/* OVS's format_odp_conntrack_action(). */
static void
format_ct(struct strbuf *sb, const uint8_t *attr)
{
    static const struct pol pol[] = {
        [OVS_CT_ATTR_COMMIT] = { PK_FLAG, true, 0, 0 },
        [OVS_CT_ATTR_FORCE_COMMIT] = { PK_FLAG, true, 0, 0 },
        [OVS_CT_ATTR_ZONE] = { PK_U16, true, 0, 0 },
        [OVS_CT_ATTR_MARK] = { PK_UNSPEC, true, 8, 0 },
        [OVS_CT_ATTR_LABELS] = { PK_UNSPEC, true, 32, 0 },
        [OVS_CT_ATTR_HELPER] = { PK_STRING, true, 1, 16 },
        [OVS_CT_ATTR_NAT] = { PK_UNSPEC, true, 0, 0 },
        [OVS_CT_ATTR_TIMEOUT] = { PK_STRING, true, 1, 32 },
    };
    const uint8_t *a[ARRAY_SIZE(pol)];
    const uint8_t *mark, *label, *helper, *timeout, *nat;
    bool commit, force;
    uint16_t zone;

    if (!policy_parse(odp_text_nla_data(attr), odp_text_nla_size(attr), pol,
                      ARRAY_SIZE(pol), a)) {
        strbuf_puts(sb, "ct(error)");
        return;
    }
    commit = a[OVS_CT_ATTR_COMMIT] != NULL;
    force = a[OVS_CT_ATTR_FORCE_COMMIT] != NULL;
    zone = a[OVS_CT_ATTR_ZONE]
           ? odp_text_get_u16(odp_text_nla_data(a[OVS_CT_ATTR_ZONE])) : 0;
    mark = a[OVS_CT_ATTR_MARK] ? odp_text_nla_data(a[OVS_CT_ATTR_MARK]) : NULL;
    label = a[OVS_CT_ATTR_LABELS] ? odp_text_nla_data(a[OVS_CT_ATTR_LABELS]) : NULL;
    helper = a[OVS_CT_ATTR_HELPER] ? odp_text_nla_data(a[OVS_CT_ATTR_HELPER]) : NULL;
    timeout = a[OVS_CT_ATTR_TIMEOUT] ? odp_text_nla_data(a[OVS_CT_ATTR_TIMEOUT]) : NULL;
    nat = a[OVS_CT_ATTR_NAT];

    strbuf_puts(sb, "ct");
    if (commit || force || zone || mark || label || helper || timeout || nat) {
        strbuf_putc(sb, '(');
        if (commit) {
            strbuf_puts(sb, "commit,");
        }
        if (force) {
            strbuf_puts(sb, "force_commit,");
        }
        if (zone) {
            strbuf_printf(sb, "zone=%u,", zone);
        }
        if (mark) {
            strbuf_printf(sb, "mark=%#"PRIx32"/%#"PRIx32",", odp_text_get_u32(mark),
                          odp_text_get_u32(mark + 4));
        }
        if (label) {
            strbuf_puts(sb, "label=");
            odp_text_format_u128(sb, label, label + 16, true);
            strbuf_putc(sb, ',');
        }
        if (helper) {
            strbuf_printf(sb, "helper=%s,", (const char *) helper);
        }
        if (timeout) {
            /* OVS prints no comma here, gluing a following nat(...) to the
             * name where no parser can split them again; the comma differs
             * from OVS only in that case (it is chomped otherwise). */
            strbuf_printf(sb, "timeout=%s,", (const char *) timeout);
        }
        if (nat) {
            format_ct_nat(sb, nat);
        }
        strbuf_chomp(sb, ',');
        strbuf_putc(sb, ')');
    }
}

/* set() and set_masked(): one key attribute inside; anything else prints as
 * raw bytes (OVS would read past it). */
static void
format_set(struct strbuf *sb, const uint8_t *a, bool masked)
{
    const uint8_t *inner = odp_text_nla_data(a);
    size_t inner_len = odp_text_nla_size(a);
    size_t size;

    if (!odp_text_nla_ok(inner, inner_len)) {
        format_generic(sb, a);
        return;
    }
    strbuf_puts(sb, "set(");
    if (!masked) {
        odp_text_format_key_attr(inner, NULL, true, sb);
    } else if ((size = odp_text_nla_size(inner) / 2) <= sizeof(struct ovs_key_ipv6)) {
        /* Value and mask halves as two attributes, as OVS splits them. */
        uint8_t k[NLA_HDRLEN + sizeof(struct ovs_key_ipv6)];
        uint8_t m[NLA_HDRLEN + sizeof(struct ovs_key_ipv6)];
        uint16_t len = (uint16_t) (NLA_HDRLEN + size);
        uint16_t type = odp_text_nla_type(inner);

        memcpy(k, &len, 2);
        memcpy(k + 2, &type, 2);
        memcpy(m, k, NLA_HDRLEN);
        memcpy(k + NLA_HDRLEN, odp_text_nla_data(inner), size);
        memcpy(m + NLA_HDRLEN, odp_text_nla_data(inner) + size, size);
        odp_text_format_key_attr(k, m, false, sb);
    } else {
        odp_text_format_key_attr(inner, NULL, false, sb);
    }
    strbuf_putc(sb, ')');
}

/* OVS's format_odp_action(). */
static void
format_action(struct strbuf *sb, const uint8_t *a, int depth)
{
    uint16_t type = odp_text_nla_type(a);
    const uint8_t *p = odp_text_nla_data(a);
    size_t size = odp_text_nla_size(a);
    int expected = action_len(type);

    if (expected != LEN_VARIABLE && size != (size_t) expected) {
        strbuf_printf(sb, "bad length %zu, expected %d for: ", size, expected);
        format_generic(sb, a);
        return;
    }
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
        strbuf_printf(sb, "%"PRIu32, odp_text_get_u32(p));
        break;
    case OVS_ACTION_ATTR_TRUNC:
        strbuf_printf(sb, "trunc(%"PRIu32")", odp_text_get_u32(p));
        break;
    case OVS_ACTION_ATTR_METER:
        strbuf_printf(sb, "meter(%"PRIu32")", odp_text_get_u32(p));
        break;
    case OVS_ACTION_ATTR_USERSPACE:
        format_userspace(sb, a);
        break;
    case OVS_ACTION_ATTR_RECIRC:
        strbuf_printf(sb, "recirc(%#"PRIx32")", odp_text_get_u32(p));
        break;
    case OVS_ACTION_ATTR_HASH: {
        uint32_t alg = odp_text_get_u32(p), basis = odp_text_get_u32(p + 4);

        strbuf_puts(sb, "hash(");
        if (alg == OVS_HASH_ALG_L4) {
            strbuf_printf(sb, "l4(%"PRIu32")", basis);
        } else if (alg == HASH_ALG_SYM_L4) {
            strbuf_printf(sb, "sym_l4(%"PRIu32")", basis);
        } else {
            strbuf_printf(sb, "Unknown hash algorithm(%"PRIu32")", alg);
        }
        strbuf_putc(sb, ')');
        break;
    }
    case OVS_ACTION_ATTR_SET:
        format_set(sb, a, false);
        break;
    case OVS_ACTION_ATTR_SET_MASKED:
        format_set(sb, a, true);
        break;
    case OVS_ACTION_ATTR_PUSH_ETH:
        strbuf_puts(sb, "push_eth(src=");
        strbuf_put_mac(sb, p + offsetof(struct ovs_key_ethernet, eth_src));
        strbuf_puts(sb, ",dst=");
        strbuf_put_mac(sb, p + offsetof(struct ovs_key_ethernet, eth_dst));
        strbuf_putc(sb, ')');
        break;
    case OVS_ACTION_ATTR_POP_ETH:
        strbuf_puts(sb, "pop_eth");
        break;
    case OVS_ACTION_ATTR_PUSH_VLAN: {
        uint16_t tpid = ntohs(odp_text_get_u16(p));
        uint16_t tci = ntohs(odp_text_get_u16(p + 2));

        strbuf_puts(sb, "push_vlan(");
        if (tpid != 0x8100) {
            strbuf_printf(sb, "tpid=0x%04"PRIx16",", tpid);
        }
        odp_text_format_vlan_tci(sb, tci, 0xffff, false);
        strbuf_putc(sb, ')');
        break;
    }
    case OVS_ACTION_ATTR_POP_VLAN:
        strbuf_puts(sb, "pop_vlan");
        break;
    case OVS_ACTION_ATTR_PUSH_MPLS:
        strbuf_puts(sb, "push_mpls(");
        odp_text_format_mpls_lse(sb, ntohl(odp_text_get_u32(p)));
        strbuf_printf(sb, ",eth_type=0x%"PRIx16")", ntohs(odp_text_get_u16(p + 4)));
        break;
    case OVS_ACTION_ATTR_POP_MPLS:
        strbuf_printf(sb, "pop_mpls(eth_type=0x%"PRIx16")", ntohs(odp_text_get_u16(p)));
        break;
    case OVS_ACTION_ATTR_SAMPLE:
        format_sample(sb, a, depth);
        break;
    case OVS_ACTION_ATTR_CT:
        format_ct(sb, a);
        break;
    case OVS_ACTION_ATTR_CT_CLEAR:
        strbuf_puts(sb, "ct_clear");
        break;
    case OVS_ACTION_ATTR_CLONE:
        strbuf_puts(sb, "clone(");
        format_list(sb, p, size, depth + 1);
        strbuf_putc(sb, ')');
        break;
    case OVS_ACTION_ATTR_POP_NSH:
        strbuf_puts(sb, "pop_nsh()");
        break;
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
        format_check_pkt_len(sb, a, depth);
        break;
    case ACTION_ATTR_DROP:
        strbuf_puts(sb, "drop");
        break;
    default:
        format_generic(sb, a);
        break;
    }
}

/* OVS's format_odp_actions(). */
static void
format_list(struct strbuf *sb, const uint8_t *actions, size_t len, int depth)
{
    const uint8_t *a;
    size_t left;

    if (!len) {
        strbuf_puts(sb, "drop");
        return;
    }
    ODP_TEXT_NLA_FOR_EACH (a, left, actions, len) {
        if (a != actions) {
            strbuf_putc(sb, ',');
        }
        if (depth >= ODP_TEXT_MAX_DEPTH) {
            /* Deeper than any parser accepts: bytes, not a recursion. */
            format_generic(sb, a);
        } else {
            format_action(sb, a, depth);
        }
    }
    if (left) {
        if (left == len) {
            strbuf_puts(sb, "<empty>");
        }
        strbuf_printf(sb, ",***%zu leftover bytes*** (", left);
        strbuf_put_hex(sb, a, left);
        strbuf_putc(sb, ')');
    }
}

void
odp_text_format_actions(const void *actions, size_t len, struct strbuf *out)
{
    format_list(out, actions, actions ? len : 0, 0);
}

/* ====================================================================== */
/* Parsing.                                                                */
/* ====================================================================== */

struct aparse {
    struct nlmsghdr *nlh;
    size_t buflen;
    struct xsw_err *err;
};

static int parse_action(struct aparse *ap, const char *s, int depth);

static int
no_room(struct xsw_err *err)
{
    return xsw_err_set(err, EMSGSIZE, "actions do not fit in the buffer");
}

static int
bad_value(struct xsw_err *err, const char *action, const char *field,
          const char *at)
{
    char tok[TOKEN_SIZE];

    odp_text_token(at, ",)", tok, sizeof tok);
    if (field) {
        return xsw_err_set(err, EINVAL, "%s: bad value '%s' for %s", action,
                           tok, field);
    }
    return xsw_err_set(err, EINVAL, "%s: bad value '%s'", action, tok);
}

static int
syntax(struct xsw_err *err, const char *action, const char *expected,
       const char *at)
{
    char tok[TOKEN_SIZE];

    odp_text_token(at, "", tok, sizeof tok);
    return xsw_err_set(err, EINVAL, "%s: expected '%s' at '%s'", action,
                       expected, tok);
}

static bool
put(struct aparse *ap, uint16_t type, const void *data, size_t len)
{
    return odp_text_put(ap->nlh, ap->buflen, type, data, len);
}

/* "literal" at *p: consumes it. */
static bool
eat(const char **p, const char *lit)
{
    size_t l = strlen(lit);

    if (strncmp(*p, lit, l)) {
        return false;
    }
    *p += l;
    return true;
}

/* "name=<number>" where the number is read as "%i". */
static bool
eat_num(const char **p, const char *name, uint64_t max, uint64_t *v)
{
    const char *q = *p;
    int n;

    if (!eat(&q, name)) {
        return false;
    }
    n = odp_text_scan_uint(q, max, v);
    if (!n) {
        return false;
    }
    *p = q + n;
    return true;
}

/* "name(<number>)" with the number read in 'base' (0 = "%i"); returns the
 * characters consumed or a negative errno. */
static int
parse_paren_number(struct aparse *ap, const char *s, const char *name,
                   uint16_t type, int base, uint64_t max)
{
    size_t l = strlen(name);
    uint64_t v;
    uint32_t u;
    int n;

    n = odp_text_scan_uint_base(s + l + 1, base, max, &v);
    if (!n || s[l + 1 + n] != ')') {
        return bad_value(ap->err, name, NULL, s + l + 1);
    }
    u = (uint32_t) v;
    if (!put(ap, type, &u, 4)) {
        return no_room(ap->err);
    }
    return (int) l + 1 + n + 1;
}

/* A nested list up to (not including) its ')'.  A list that is just "drop"
 * is empty, which is how an empty list prints. */
static int
parse_list(struct aparse *ap, const char *s, int depth)
{
    const char *p = s + strspn(s, ODP_TEXT_DELIMS);

    if (!strncasecmp(p, "drop", 4)) {
        const char *q = p + 4 + strspn(p + 4, ODP_TEXT_DELIMS);

        if (*q == ')') {
            return (int) (q - s);
        }
    }
    p = s;
    for (;;) {
        int r;

        p += strspn(p, ODP_TEXT_DELIMS);
        if (*p == ')') {
            break;
        }
        if (!*p) {
            return xsw_err_set(ap->err, EINVAL, "unbalanced parentheses");
        }
        r = parse_action(ap, p, depth);
        if (r < 0) {
            return r;
        }
        p += r;
    }
    return (int) (p - s);
}

static int
parse_userspace(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("userspace(");
    struct nlattr *nest;
    uint64_t pid, port = 0;
    uint8_t *ud = NULL;
    size_t ud_len = 0;
    bool has_ud = false, has_port = false, actions = false;
    int error;

    if (!eat_num(&p, "pid=", UINT32_MAX, &pid)) {
        return bad_value(ap->err, "userspace", "pid", p + (strncmp(p, "pid=", 4) ? 0 : 4));
    }
    if (eat(&p, ",userdata(")) {
        int n = odp_text_scan_hex_bytes(p, NULL, &ud_len);

        if (p[n] != ')') {
            return bad_value(ap->err, "userspace", "userdata", p);
        }
        ud = malloc(ud_len + 1);
        if (!ud) {
            return xsw_err_set(ap->err, ENOMEM, "userspace: out of memory");
        }
        odp_text_scan_hex_bytes(p, ud, &ud_len);
        p += n + 1;
        has_ud = true;
    } else if (odp_text_starts(p, ",sFlow(") || odp_text_starts(p, ",slow_path(")
               || odp_text_starts(p, ",flow_sample(") || odp_text_starts(p, ",ipfix(")
               || odp_text_starts(p, ",controller(")) {
        return xsw_err_set(ap->err, EINVAL,
                           "userspace: OVS cookies are not supported, use userdata()");
    }
    if (eat(&p, ",actions")) {
        actions = true;
    }
    if (odp_text_starts(p, ",tunnel_out_port=")) {
        p += strlen(",tunnel_out_port=");
        if (!eat_num(&p, "", UINT32_MAX, &port)) {
            error = bad_value(ap->err, "userspace", "tunnel_out_port", p);
            goto out;
        }
        has_port = true;
    }
    if (*p != ')') {
        error = syntax(ap->err, "userspace", ")", p);
        goto out;
    }
    p++;

    nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_ACTION_ATTR_USERSPACE);
    if (!nest
        || !put(ap, OVS_USERSPACE_ATTR_PID, &(uint32_t) { (uint32_t) pid }, 4)
        || (has_ud && !put(ap, OVS_USERSPACE_ATTR_USERDATA, ud, ud_len))
        || (has_port && !put(ap, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT,
                             &(uint32_t) { (uint32_t) port }, 4))
        || (actions && !put(ap, OVS_USERSPACE_ATTR_ACTIONS, NULL, 0))
        || !odp_text_nest_end(ap->nlh, nest)) {
        error = no_room(ap->err);
        goto out;
    }
    error = (int) (p - s);
out:
    free(ud);
    return error;
}

/* set(<key attribute>): a value with a partial mask becomes set_masked (the
 * value followed by the mask), as OVS does.  A tunnel is always a plain set:
 * the datapath does not mask tunnel sets. */
static int
parse_set(struct aparse *ap, const char *s, int depth)
{
    union {
        struct nlmsghdr nlh;
        uint8_t b[SET_BUF_SIZE];
    } *kb, *mb;
    const char *p = s + strlen("set(");
    const uint8_t *ka, *ma;
    struct nlattr *nest;
    bool tunnel, masked;
    int r, error;

    kb = malloc(sizeof *kb);
    mb = malloc(sizeof *mb);
    if (!kb || !mb) {
        error = xsw_err_set(ap->err, ENOMEM, "set: out of memory");
        goto out;
    }
    mnl_nlmsg_put_header(kb->b);
    mnl_nlmsg_put_header(mb->b);
    tunnel = odp_text_starts(p, "tunnel(");
    if (odp_text_starts(p, "encap(")) {
        error = xsw_err_set(ap->err, EINVAL, "set: encap() cannot be set");
        goto out;
    }
    r = odp_text_parse_key_attr(p, &kb->nlh, tunnel ? NULL : &mb->nlh,
                                sizeof kb->b, depth, ap->err);
    if (r < 0) {
        error = r;
        goto out;
    }
    if (p[r] != ')') {
        error = syntax(ap->err, "set", ")", p + r);
        goto out;
    }
    p += r + 1;

    ka = mnl_nlmsg_get_payload(&kb->nlh);
    ma = mnl_nlmsg_get_payload(&mb->nlh);
    masked = !tunnel
             && odp_text_nla_size(ma) == odp_text_nla_size(ka)
             && !odp_text_all_bytes(odp_text_nla_data(ma), odp_text_nla_size(ma), 0xff);
    nest = odp_text_nest_start(ap->nlh, ap->buflen,
                               masked ? OVS_ACTION_ATTR_SET_MASKED : OVS_ACTION_ATTR_SET);
    if (!nest) {
        error = no_room(ap->err);
        goto out;
    }
    if (!masked) {
        if (!put(ap, odp_text_nla_type(ka), odp_text_nla_data(ka),
                 odp_text_nla_size(ka))) {
            error = no_room(ap->err);
            goto out;
        }
    } else {
        size_t size = odp_text_nla_size(ka);
        uint8_t both[2 * sizeof(struct ovs_key_ipv6) + 64];
        uint8_t *buf = both;

        if (2 * size > sizeof both) {
            buf = malloc(2 * size);
            if (!buf) {
                error = xsw_err_set(ap->err, ENOMEM, "set: out of memory");
                goto out;
            }
        }
        memcpy(buf, odp_text_nla_data(ka), size);
        memcpy(buf + size, odp_text_nla_data(ma), size);
        odp_text_clear_unmasked(odp_text_nla_type(ka), buf, buf + size, size);
        r = put(ap, odp_text_nla_type(ka), buf, 2 * size);
        if (buf != both) {
            free(buf);
        }
        if (!r) {
            error = no_room(ap->err);
            goto out;
        }
    }
    if (!odp_text_nest_end(ap->nlh, nest)) {
        error = no_room(ap->err);
        goto out;
    }
    error = (int) (p - s);
out:
    free(kb);
    free(mb);
    return error;
}

/* The four spellings OVS reads: [tpid=N,]vid=N,pcp=N[,cfi=N]. */
static int
parse_push_vlan(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("push_vlan(");
    uint64_t tpid = 0x8100, vid, pcp, cfi = 1;
    struct ovs_action_push_vlan push;

    if (odp_text_starts(p, "tpid=")) {
        if (!eat_num(&p, "tpid=", 0xffff, &tpid)) {
            return bad_value(ap->err, "push_vlan", "tpid", p + 5);
        }
        if (!eat(&p, ",")) {
            return syntax(ap->err, "push_vlan", ",", p);
        }
    }
    if (!eat_num(&p, "vid=", 0xfff, &vid)) {
        return odp_text_starts(p, "vid=")
               ? bad_value(ap->err, "push_vlan", "vid", p + 4)
               : syntax(ap->err, "push_vlan", "vid=", p);
    }
    if (!eat(&p, ",") || !eat_num(&p, "pcp=", 7, &pcp)) {
        return odp_text_starts(p, "pcp=")
               ? bad_value(ap->err, "push_vlan", "pcp", p + 4)
               : syntax(ap->err, "push_vlan", ",pcp=", p);
    }
    if (eat(&p, ",") && !eat_num(&p, "cfi=", UINT32_MAX, &cfi)) {
        return bad_value(ap->err, "push_vlan", "cfi", p);
    }
    if (*p != ')') {
        return syntax(ap->err, "push_vlan", ")", p);
    }
    p++;
    push.vlan_tpid = htons((uint16_t) tpid);
    push.vlan_tci = htons((uint16_t) (vid | pcp << 13 | (cfi ? 0x1000 : 0)));
    if (!put(ap, OVS_ACTION_ATTR_PUSH_VLAN, &push, sizeof push)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_push_mpls(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("push_mpls(");
    uint64_t label, tc, ttl, bos, eth_type;
    struct ovs_action_push_mpls push;

    memset(&push, 0, sizeof push);
    if (!eat_num(&p, "label=", 0xfffff, &label) || !eat(&p, ",")
        || !eat_num(&p, "tc=", 7, &tc) || !eat(&p, ",")
        || !eat_num(&p, "ttl=", 0xff, &ttl) || !eat(&p, ",")
        || !eat_num(&p, "bos=", 1, &bos) || !eat(&p, ",")
        || !eat_num(&p, "eth_type=", 0xffff, &eth_type) || *p != ')') {
        return xsw_err_set(ap->err, EINVAL, "push_mpls: expected "
                           "label=N,tc=N,ttl=N,bos=N,eth_type=N)");
    }
    p++;
    push.mpls_lse = htonl((uint32_t) (label << 12 | tc << 9 | bos << 8 | ttl));
    push.mpls_ethertype = htons((uint16_t) eth_type);
    if (!put(ap, OVS_ACTION_ATTR_PUSH_MPLS, &push, sizeof push)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_pop_mpls(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("pop_mpls(");
    uint64_t eth_type;
    uint16_t be;

    if (!eat_num(&p, "eth_type=", 0xffff, &eth_type) || *p != ')') {
        return bad_value(ap->err, "pop_mpls", "eth_type", p);
    }
    p++;
    be = htons((uint16_t) eth_type);
    if (!put(ap, OVS_ACTION_ATTR_POP_MPLS, &be, 2)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_push_eth(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("push_eth(");
    struct ovs_action_push_eth push;
    uint64_t type;
    int n;

    if (!eat(&p, "src=") || !(n = odp_text_scan_eth(p, push.addresses.eth_src))) {
        return bad_value(ap->err, "push_eth", "src", p);
    }
    p += n;
    if (!eat(&p, ",dst=") || !(n = odp_text_scan_eth(p, push.addresses.eth_dst))) {
        return bad_value(ap->err, "push_eth", "dst", p);
    }
    p += n;
    /* OVS's parser also wants a type= that the action has no room for. */
    if (odp_text_starts(p, ",type=") && !eat_num(&p, ",type=", 0xffff, &type)) {
        return bad_value(ap->err, "push_eth", "type", p);
    }
    if (*p != ')') {
        return syntax(ap->err, "push_eth", ")", p);
    }
    p++;
    if (!put(ap, OVS_ACTION_ATTR_PUSH_ETH, &push, sizeof push)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_hash(struct aparse *ap, const char *s)
{
    const char *p = s + strlen("hash(");
    struct ovs_action_hash hash;
    uint64_t v;
    int n;

    if (eat(&p, "l4(")) {
        hash.hash_alg = OVS_HASH_ALG_L4;
    } else if (eat(&p, "sym_l4(")) {
        hash.hash_alg = HASH_ALG_SYM_L4;
    } else if (eat(&p, "Unknown hash algorithm(")) {
        /* What OVS prints for another algorithm: the number is the
         * algorithm, and the basis is lost. */
        n = odp_text_scan_uint(p, UINT32_MAX, &v);
        if (!n || !odp_text_starts(p + n, "))")) {
            return bad_value(ap->err, "hash", "algorithm", p);
        }
        hash.hash_alg = (uint32_t) v;
        hash.hash_basis = 0;
        p += n + 2;
        goto put;
    } else {
        return syntax(ap->err, "hash", "l4(", p);
    }
    n = odp_text_scan_uint(p, UINT32_MAX, &v);
    if (!n || !odp_text_starts(p + n, "))")) {
        return bad_value(ap->err, "hash", "basis", p);
    }
    hash.hash_basis = (uint32_t) v;
    p += n + 2;
put:
    if (!put(ap, OVS_ACTION_ATTR_HASH, &hash, sizeof hash)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_sample(struct aparse *ap, const char *s, int depth)
{
    const char *p = s + strlen("sample(");
    struct nlattr *nest, *list;
    double percentage, probability;
    uint32_t prob;
    char *end;
    int r;

    if (!eat(&p, "sample=")) {
        return syntax(ap->err, "sample", "sample=", p);
    }
    /* strtod would skip white space and read "inf"/"nan"; OVS's %lf does
     * too, but a percentage starts with a digit or a dot. */
    if (!((*p >= '0' && *p <= '9') || *p == '.')) {
        return bad_value(ap->err, "sample", "sample", p);
    }
    percentage = strtod(p, &end);
    if (end == p || percentage < 0. || percentage > 100. || *end != '%') {
        return bad_value(ap->err, "sample", "sample", p);
    }
    p = end + 1;
    if (!eat(&p, ",actions(")) {
        return syntax(ap->err, "sample", ",actions(", p);
    }
    /* OVS prints one decimal: finer input could not be read back from what
     * it prints, so it is rounded to that first (a no-op for one decimal,
     * where this gives OVS's bytes). */
    percentage = (double) (uint64_t) (percentage * 10 + .5) / 10;
    probability = UINT32_MAX * (percentage / 100.0) + .5;
    prob = probability <= 0 ? 0
           : probability >= UINT32_MAX ? UINT32_MAX : (uint32_t) probability;

    nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_ACTION_ATTR_SAMPLE);
    if (!nest || !put(ap, OVS_SAMPLE_ATTR_PROBABILITY, &prob, 4)) {
        return no_room(ap->err);
    }
    list = odp_text_nest_start(ap->nlh, ap->buflen, OVS_SAMPLE_ATTR_ACTIONS);
    if (!list) {
        return no_room(ap->err);
    }
    r = parse_list(ap, p, depth + 1);
    if (r < 0) {
        return r;
    }
    p += r;
    if (!eat(&p, "))")) {
        return syntax(ap->err, "sample", "))", p);
    }
    if (!odp_text_nest_end(ap->nlh, list) || !odp_text_nest_end(ap->nlh, nest)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_clone(struct aparse *ap, const char *s, int depth)
{
    const char *p = s + strlen("clone(");
    struct nlattr *nest;
    int r;

    nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_ACTION_ATTR_CLONE);
    if (!nest) {
        return no_room(ap->err);
    }
    r = parse_list(ap, p, depth + 1);
    if (r < 0) {
        return r;
    }
    p += r + 1;
    if (!odp_text_nest_end(ap->nlh, nest)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

static int
parse_check_pkt_len(struct aparse *ap, const char *s, int depth)
{
    const char *p = s + strlen("check_pkt_len(");
    struct nlattr *nest, *list;
    uint64_t size;
    uint16_t size16;
    int r;

    if (!eat_num(&p, "size=", 0xffff, &size)) {
        return bad_value(ap->err, "check_pkt_len", "size",
                         p + (odp_text_starts(p, "size=") ? 5 : 0));
    }
    if (!eat(&p, ",gt(")) {
        return syntax(ap->err, "check_pkt_len", ",gt(", p);
    }
    size16 = (uint16_t) size;
    nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_ACTION_ATTR_CHECK_PKT_LEN);
    if (!nest || !put(ap, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, &size16, 2)) {
        return no_room(ap->err);
    }
    for (int i = 0; i < 2; i++) {
        list = odp_text_nest_start(ap->nlh, ap->buflen,
                                   i ? OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL
                                     : OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
        if (!list) {
            return no_room(ap->err);
        }
        r = parse_list(ap, p, depth + 1);
        if (r < 0) {
            return r;
        }
        p += r;
        if (!odp_text_nest_end(ap->nlh, list)) {
            return no_room(ap->err);
        }
        if (!eat(&p, i ? "))" : "),le(")) {
            return syntax(ap->err, "check_pkt_len", i ? "))" : "),le(", p);
        }
    }
    if (!odp_text_nest_end(ap->nlh, nest)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

/* ---- ct(...) */

struct ct_nat {
    bool snat, dnat;
    size_t addr_len;
    uint8_t min[16], max[16];
    uint16_t proto_min, proto_max;
    bool persistent, proto_hash, proto_random;
};

/* An IPv6 address, bare or in brackets (the form that can carry a port). */
static int
scan_in6_maybe_bracket(const char *s, uint8_t *addr)
{
    int n = odp_text_scan_in6(s, addr);

    if (n) {
        return n;
    }
    if (*s == '[') {
        n = odp_text_scan_in6(s + 1, addr);
        if (n && s[1 + n] == ']') {
            return n + 2;
        }
    }
    return 0;
}

/* "=addr[-addr][:port[-port]]" after src or dst (OVS's scan_ct_nat_range). */
static int
scan_nat_range(const char *s, struct ct_nat *nat)
{
    const char *p = s;
    uint64_t v;
    int n;

    if (*p != '=') {
        return 0;
    }
    p++;
    if ((n = odp_text_scan_ipv4(p, (uint32_t *) (void *) nat->min)) != 0) {
        nat->addr_len = 4;
        p += n;
        if (*p == '-') {
            n = odp_text_scan_ipv4(p + 1, (uint32_t *) (void *) nat->max);
            if (!n) {
                return -1;
            }
            p += 1 + n;
        }
    } else if ((n = scan_in6_maybe_bracket(p, nat->min)) != 0) {
        nat->addr_len = 16;
        p += n;
        if (*p == '-') {
            n = scan_in6_maybe_bracket(p + 1, nat->max);
            if (!n) {
                return -1;
            }
            p += 1 + n;
        }
    } else {
        return -1;
    }
    if (*p == ':' && (n = odp_text_scan_uint_base(p + 1, 10, 0xffff, &v)) != 0) {
        nat->proto_min = (uint16_t) v;
        p += 1 + n;
        if (*p == '-') {
            n = odp_text_scan_uint_base(p + 1, 10, 0xffff, &v);
            if (!n) {
                return -1;
            }
            nat->proto_max = (uint16_t) v;
            p += 1 + n;
        }
    }
    return (int) (p - s);
}

/* "nat[(...)]": returns characters consumed, or -1. */
static int
scan_nat(const char *s, struct ct_nat *nat)
{
    const char *p = s + 3;
    const char *end;

    memset(nat, 0, sizeof *nat);
    if (*p != '(') {
        return (int) (p - s);
    }
    p++;
    end = strchr(p, ')');
    if (!end) {
        return -1;
    }
    while (p < end) {
        int n;

        p += strspn(p, ODP_TEXT_DELIMS);
        if (eat(&p, "src")) {
            nat->snat = true;
        } else if (eat(&p, "dst")) {
            nat->dnat = true;
        } else if (eat(&p, "persistent")) {
            nat->persistent = true;
            continue;
        } else if (eat(&p, "hash")) {
            nat->proto_hash = true;
            continue;
        } else if (eat(&p, "random")) {
            nat->proto_random = true;
            continue;
        } else {
            return -1;
        }
        if (*p == '=') {
            n = scan_nat_range(p, nat);
            if (n < 0) {
                return -1;
            }
            p += n;
        }
    }
    if (p != end || (nat->snat && nat->dnat)
        || (nat->addr_len && !odp_text_all_bytes(nat->max, nat->addr_len, 0)
            && memcmp(nat->max, nat->min, nat->addr_len) < 0)
        || (nat->proto_max && nat->proto_max < nat->proto_min)
        || (nat->proto_hash && nat->proto_random)) {
        return -1;
    }
    return (int) (end + 1 - s);
}

/* As OVS's nl_msg_put_ct_nat(): without src or dst the nest is empty, and
 * the other options need an address. */
static bool
put_nat(struct aparse *ap, const struct ct_nat *nat)
{
    struct nlattr *nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_CT_ATTR_NAT);

    if (!nest) {
        return false;
    }
    if (nat->snat || nat->dnat) {
        if (!put(ap, nat->snat ? OVS_NAT_ATTR_SRC : OVS_NAT_ATTR_DST, NULL, 0)) {
            return false;
        }
        if (nat->addr_len) {
            if (!put(ap, OVS_NAT_ATTR_IP_MIN, nat->min, nat->addr_len)
                || (memcmp(nat->max, nat->min, nat->addr_len) > 0
                    && !put(ap, OVS_NAT_ATTR_IP_MAX, nat->max, nat->addr_len))) {
                return false;
            }
            if (nat->proto_min) {
                if (!put(ap, OVS_NAT_ATTR_PROTO_MIN, &nat->proto_min, 2)
                    || (nat->proto_max > nat->proto_min
                        && !put(ap, OVS_NAT_ATTR_PROTO_MAX, &nat->proto_max, 2))) {
                    return false;
                }
            }
            if ((nat->persistent && !put(ap, OVS_NAT_ATTR_PERSISTENT, NULL, 0))
                || (nat->proto_hash && !put(ap, OVS_NAT_ATTR_PROTO_HASH, NULL, 0))
                || (nat->proto_random
                    && !put(ap, OVS_NAT_ATTR_PROTO_RANDOM, NULL, 0))) {
                return false;
            }
        }
    }
    return odp_text_nest_end(ap->nlh, nest);
}

/* A name for helper= or timeout=: up to a delimiter or ')', printable. */
static bool
scan_name(const char **p, size_t max, char *out)
{
    size_t len = strcspn(*p, ", \t\r\n)");

    if (!len || len > max) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char) (*p)[i] <= 0x20 || (unsigned char) (*p)[i] >= 0x7f) {
            return false;
        }
    }
    memcpy(out, *p, len);
    out[len] = '\0';
    *p += len;
    return true;
}

static int
parse_ct(struct aparse *ap, const char *s)
{
    const char *p = s + 2;
    bool commit = false, force = false, have_nat = false;
    struct { uint32_t value, mask; } mark = { 0, 0 };
    uint8_t label[32];
    char helper[16] = "", timeout[32] = "";
    struct ct_nat nat;
    struct nlattr *nest;
    uint64_t zone = 0;

    memset(label, 0, sizeof label);
    if (*p == '(') {
        const char *end;

        p++;
        end = strchr(p, ')');
        while (end && p < end) {
            uint64_t v;
            int n;

            p += strspn(p, ODP_TEXT_DELIMS);
            if (p >= end) {
                break;
            }
            if (eat(&p, "commit")) {
                commit = true;
            } else if (eat(&p, "force_commit")) {
                force = true;
            } else if (eat(&p, "zone=")) {
                n = odp_text_scan_uint_base(p, 10, 0xffff, &zone);
                if (!n) {
                    return bad_value(ap->err, "ct", "zone", p);
                }
                p += n;
            } else if (eat(&p, "mark=")) {
                n = odp_text_scan_uint_base(p, 16, UINT32_MAX, &v);
                if (!n) {
                    return bad_value(ap->err, "ct", "mark", p);
                }
                mark.value = (uint32_t) v;
                mark.mask = UINT32_MAX;
                p += n;
                if (*p == '/') {
                    n = odp_text_scan_uint_base(p + 1, 16, UINT32_MAX, &v);
                    if (!n) {
                        return bad_value(ap->err, "ct", "mark", p + 1);
                    }
                    mark.mask = (uint32_t) v;
                    p += 1 + n;
                }
            } else if (eat(&p, "label=")) {
                uint8_t be[16], mbe[16];

                n = odp_text_scan_int_bytes(p, be, 16);
                if (!n) {
                    return bad_value(ap->err, "ct", "label", p);
                }
                p += n;
                memset(mbe, 0xff, sizeof mbe);
                if (*p == '/') {
                    n = odp_text_scan_int_bytes(p + 1, mbe, 16);
                    if (!n) {
                        return bad_value(ap->err, "ct", "label", p + 1);
                    }
                    p += 1 + n;
                }
                odp_text_u128_from_be(be, label);
                odp_text_u128_from_be(mbe, label + 16);
            } else if (eat(&p, "helper=")) {
                if (!scan_name(&p, sizeof helper - 1, helper)) {
                    return bad_value(ap->err, "ct", "helper", p);
                }
            } else if (eat(&p, "timeout=")) {
                if (!scan_name(&p, sizeof timeout - 1, timeout)) {
                    return bad_value(ap->err, "ct", "timeout", p);
                }
            } else if (odp_text_starts(p, "nat")) {
                n = scan_nat(p, &nat);
                if (n < 0) {
                    return bad_value(ap->err, "ct", "nat", p);
                }
                p += n;
                have_nat = true;
                /* The ')' found first closed nat(...): look again. */
                end = strchr(p, ')');
            } else {
                char tok[TOKEN_SIZE];

                odp_text_token(p, "=,)(", tok, sizeof tok);
                return xsw_err_set(ap->err, EINVAL, "ct: unknown argument '%s'", tok);
            }
        }
        if (!end || p != end) {
            return syntax(ap->err, "ct", ")", p);
        }
        p++;
    }
    if (commit && force) {
        return xsw_err_set(ap->err, EINVAL,
                           "ct: commit and force_commit are exclusive");
    }

    nest = odp_text_nest_start(ap->nlh, ap->buflen, OVS_ACTION_ATTR_CT);
    if (!nest
        || (commit && !put(ap, OVS_CT_ATTR_COMMIT, NULL, 0))
        || (force && !put(ap, OVS_CT_ATTR_FORCE_COMMIT, NULL, 0))
        || (zone && !put(ap, OVS_CT_ATTR_ZONE, &(uint16_t) { (uint16_t) zone }, 2))
        || (mark.mask && !put(ap, OVS_CT_ATTR_MARK, &mark, sizeof mark))
        || (!odp_text_all_bytes(label + 16, 16, 0)
            && !put(ap, OVS_CT_ATTR_LABELS, label, sizeof label))
        || (helper[0] && !put(ap, OVS_CT_ATTR_HELPER, helper, strlen(helper) + 1))
        || (timeout[0] && !put(ap, OVS_CT_ATTR_TIMEOUT, timeout, strlen(timeout) + 1))
        || (have_nat && !put_nat(ap, &nat))
        || !odp_text_nest_end(ap->nlh, nest)) {
        return no_room(ap->err);
    }
    return (int) (p - s);
}

/* "action<T>[(01 02 ..)]", optionally behind OVS's "bad length N, expected
 * M for: ": an action given as raw bytes. */
static int
parse_generic(struct aparse *ap, const char *s)
{
    const char *p = s;
    uint8_t *data = NULL;
    uint64_t type;
    size_t n = 0;
    int r, error, expected;

    if (odp_text_starts(p, "bad length ")) {
        const char *colon = strstr(p, " for: ");

        if (!colon) {
            return syntax(ap->err, "bad length", " for: ", p);
        }
        p = colon + strlen(" for: ");
    }
    if (!eat(&p, "action")
        || !(r = odp_text_scan_uint_base(p, 10, ODP_TEXT_TYPE_MAX, &type))) {
        return bad_value(ap->err, "action", NULL, p);
    }
    p += r;
    if (*p == '(') {
        p++;
        r = odp_text_scan_hex_bytes(p, NULL, &n);
        if (p[r] != ')' || !n) {
            return bad_value(ap->err, "action", "bytes", p);
        }
    }
    /* Raw bytes only where the formatter prints raw bytes: a type it does
     * not know, or a fixed-size one of the wrong size.  Anything else would
     * print under its name, or as "(error)", and not read back. */
    expected = action_len((uint16_t) type);
    if (expected == LEN_VARIABLE || (expected >= 0 && (size_t) expected == n)) {
        return xsw_err_set(ap->err, EINVAL,
                           "action%u: a known action, use its name",
                           (unsigned int) type);
    }
    if (n) {
        if (n > UINT16_MAX - NLA_HDRLEN) {
            return no_room(ap->err);
        }
        data = malloc(n);
        if (!data) {
            return xsw_err_set(ap->err, ENOMEM, "action: out of memory");
        }
        odp_text_scan_hex_bytes(p, data, &n);
        p += r + 1;
    }
    error = put(ap, (uint16_t) type, data, n) ? (int) (p - s) : no_room(ap->err);
    free(data);
    return error;
}

static int
parse_action(struct aparse *ap, const char *s, int depth)
{
    char tok[TOKEN_SIZE];

    if (depth + 1 >= ODP_TEXT_MAX_DEPTH) {
        return xsw_err_set(ap->err, EINVAL, "actions nested deeper than %d levels",
                           ODP_TEXT_MAX_DEPTH - 1);
    }
    if (*s >= '0' && *s <= '9') {
        uint64_t port;
        uint32_t p32;
        int n = odp_text_scan_uint(s, UINT32_MAX, &port);

        if (!n) {
            return bad_value(ap->err, "output", NULL, s);
        }
        p32 = (uint32_t) port;
        return put(ap, OVS_ACTION_ATTR_OUTPUT, &p32, 4) ? n : no_room(ap->err);
    }
    if (odp_text_starts(s, "trunc(")) {
        return parse_paren_number(ap, s, "trunc", OVS_ACTION_ATTR_TRUNC, 0, UINT32_MAX);
    }
    if (odp_text_starts(s, "recirc(")) {
        /* OVS reads this in decimal only, although it prints hex: both. */
        return parse_paren_number(ap, s, "recirc", OVS_ACTION_ATTR_RECIRC, 0,
                                  UINT32_MAX);
    }
    if (odp_text_starts(s, "meter(")) {
        return parse_paren_number(ap, s, "meter", OVS_ACTION_ATTR_METER, 0, UINT32_MAX);
    }
    if (odp_text_starts(s, "userspace(")) {
        return parse_userspace(ap, s);
    }
    if (odp_text_starts(s, "set(")) {
        return parse_set(ap, s, depth);
    }
    if (odp_text_starts(s, "push_vlan(")) {
        return parse_push_vlan(ap, s);
    }
    if (odp_text_starts(s, "pop_vlan")) {
        return put(ap, OVS_ACTION_ATTR_POP_VLAN, NULL, 0) ? 8 : no_room(ap->err);
    }
    if (odp_text_starts(s, "sample(")) {
        return parse_sample(ap, s, depth);
    }
    if (odp_text_starts(s, "clone(")) {
        return parse_clone(ap, s, depth);
    }
    if (odp_text_starts(s, "check_pkt_len(")) {
        return parse_check_pkt_len(ap, s, depth);
    }
    if (odp_text_starts(s, "pop_nsh()")) {
        return put(ap, OVS_ACTION_ATTR_POP_NSH, NULL, 0) ? 9 : no_room(ap->err);
    }
    if (odp_text_starts(s, "ct_clear")) {
        return put(ap, OVS_ACTION_ATTR_CT_CLEAR, NULL, 0) ? 8 : no_room(ap->err);
    }
    if (odp_text_starts(s, "hash(")) {
        return parse_hash(ap, s);
    }
    if (odp_text_starts(s, "push_mpls(")) {
        return parse_push_mpls(ap, s);
    }
    if (odp_text_starts(s, "pop_mpls(")) {
        return parse_pop_mpls(ap, s);
    }
    if (odp_text_starts(s, "push_eth(")) {
        return parse_push_eth(ap, s);
    }
    if (odp_text_starts(s, "pop_eth")) {
        return put(ap, OVS_ACTION_ATTR_POP_ETH, NULL, 0) ? 7 : no_room(ap->err);
    }
    if (!strncasecmp(s, "drop", 4)) {
        /* Inside a longer list, the explicit drop action. */
        uint32_t reason = 0;

        return put(ap, ACTION_ATTR_DROP, &reason, 4) ? 4 : no_room(ap->err);
    }
    if (odp_text_starts(s, "action") || odp_text_starts(s, "bad length ")) {
        return parse_generic(ap, s);
    }
    if (odp_text_starts(s, "ct")
        && !(s[2] >= 'a' && s[2] <= 'z') && s[2] != '_') {
        return parse_ct(ap, s);
    }
    if (odp_text_starts(s, "push_nsh(") || odp_text_starts(s, "tnl_push(")
        || odp_text_starts(s, "tnl_pop(") || odp_text_starts(s, "lb_output(")) {
        odp_text_token(s, "(", tok, sizeof tok);
        return xsw_err_set(ap->err, EINVAL, "%s: action not supported", tok);
    }
    odp_text_token(s, "(), \t\r\n", tok, sizeof tok);
    return xsw_err_set(ap->err, EINVAL, "unknown action '%s'", tok);
}

int
odp_text_parse_actions(const char *s, struct nlmsghdr *nlh, size_t buflen,
                       struct xsw_err *err)
{
    struct aparse ap = { nlh, buflen, err };
    uint32_t len0;
    const char *p;
    int error = 0;

    xsw_err_clear(err);
    if (!s || !nlh) {
        return xsw_err_set(err, EINVAL, "no actions text");
    }
    error = odp_text_check_parens(s, err);
    if (error) {
        return error;
    }
    len0 = nlh->nlmsg_len;

    /* "drop" alone is the empty list. */
    p = s + strspn(s, ODP_TEXT_DELIMS);
    if (!strncasecmp(p, "drop", 4) && !p[4 + strspn(p + 4, ODP_TEXT_DELIMS)]) {
        return 0;
    }
    for (;;) {
        int r;

        p += strspn(p, ODP_TEXT_DELIMS);
        if (!*p) {
            break;
        }
        r = parse_action(&ap, p, 0);
        if (r < 0) {
            error = r;
            goto fail;
        }
        if (p[r] && !strchr(ODP_TEXT_DELIMS, p[r])) {
            char tok[TOKEN_SIZE];

            odp_text_token(p + r, ODP_TEXT_DELIMS, tok, sizeof tok);
            error = xsw_err_set(err, EINVAL, "unexpected '%s' after an action", tok);
            goto fail;
        }
        p += r;
    }
    /* The list goes into one attribute (OVS_FLOW_ATTR_ACTIONS). */
    if (nlh->nlmsg_len - len0 > UINT16_MAX - NLA_HDRLEN) {
        error = xsw_err_set(err, EMSGSIZE, "actions longer than %d bytes",
                            UINT16_MAX - NLA_HDRLEN);
        goto fail;
    }
    return 0;

fail:
    nlh->nlmsg_len = len0;
    return error;
}
