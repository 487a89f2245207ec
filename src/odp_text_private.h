/* odp_text_private: what odp_text.c (keys) and odp_text_actions.c (actions)
 * share and nobody else should use: reading attributes at any alignment,
 * appending attributes, the scanners for numbers and addresses, flag lists,
 * and the single-key-attribute formatter and parser that set() reuses.
 *
 * Same rules as odp_text.h: pure, any thread, control path. */
#ifndef XSW_ODP_TEXT_PRIVATE_H
#define XSW_ODP_TEXT_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "strbuf.h"
#include "xsw_err.h"

/* Nesting limit for encap() in keys and for nested action lists, as OVS's
 * MAX_ODP_NESTED: input deeper than this is rejected rather than recursed. */
#define ODP_TEXT_MAX_DEPTH 32

/* The largest attribute type a netlink header can carry (NLA_TYPE_MASK is a
 * negative int, unusable as a bound). */
#define ODP_TEXT_TYPE_MAX 0x3fff

/* What may separate two key attributes or two actions (OVS's delimiters). */
#define ODP_TEXT_DELIMS ", \t\r\n"

/* ---- Reading attributes.  Input comes from callers and fuzzers at any
 * alignment, so headers and payloads are read with memcpy, never through a
 * struct nlattr pointer. */

static inline uint16_t
odp_text_nla_len(const uint8_t *a)
{
    uint16_t v;

    memcpy(&v, a, sizeof v);
    return v;
}

static inline uint16_t
odp_text_nla_type(const uint8_t *a)
{
    uint16_t v;

    memcpy(&v, a + 2, sizeof v);
    return v & NLA_TYPE_MASK;
}

static inline const uint8_t *
odp_text_nla_data(const uint8_t *a)
{
    return a + NLA_HDRLEN;
}

static inline size_t
odp_text_nla_size(const uint8_t *a)
{
    return odp_text_nla_len(a) - NLA_HDRLEN;
}

/* True if a well-formed attribute starts at 'a' with 'left' bytes left. */
static inline bool
odp_text_nla_ok(const uint8_t *a, size_t left)
{
    return left >= NLA_HDRLEN && odp_text_nla_len(a) >= NLA_HDRLEN
           && odp_text_nla_len(a) <= left;
}

/* Steps over the attribute at *a, never past the end of the run (the last
 * attribute's padding may be missing). */
static inline void
odp_text_nla_next(const uint8_t **a, size_t *left)
{
    size_t step = NLA_ALIGN(odp_text_nla_len(*a));

    if (step > *left) {
        step = *left;
    }
    *a += step;
    *left -= step;
}

#define ODP_TEXT_NLA_FOR_EACH(A, LEFT, ATTRS, LEN)                        \
    for ((A) = (const uint8_t *) (ATTRS), (LEFT) = (LEN);                 \
         odp_text_nla_ok((A), (LEFT));                                    \
         odp_text_nla_next(&(A), &(LEFT)))

/* First attribute of 'type' in a run, or NULL. */
const uint8_t *odp_text_nla_find(const void *attrs, size_t len, uint16_t type);

static inline uint32_t
odp_text_get_u32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint16_t
odp_text_get_u16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

bool odp_text_all_bytes(const void *p, size_t n, uint8_t c);

/* ---- Writing attributes.  libmnl's nest helpers set NLA_F_NESTED, which
 * neither the kernel datapath nor OVS write; these do not, so the bytes
 * match what OVS produces. */

/* Appends an attribute; false if it does not fit in buflen or in a netlink
 * attribute length. */
bool odp_text_put(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
                  const void *data, size_t len);
/* Opens a nested attribute; NULL if there is no room. */
struct nlattr *odp_text_nest_start(struct nlmsghdr *nlh, size_t buflen,
                                   uint16_t type);
/* Closes it; false if its content is too long for a netlink length. */
bool odp_text_nest_end(struct nlmsghdr *nlh, struct nlattr *start);

/* ---- Scanning.  Each returns the number of characters consumed, 0 if 's'
 * does not start with a valid item. */

/* An unsigned integer as OVS's "%i" reads it (0x.. hex, 0.. octal, else
 * decimal), rejected (0) above 'max' instead of silently truncated. */
int odp_text_scan_uint(const char *s, uint64_t max, uint64_t *value);
/* Same with a fixed base (10 for "%u", 16 for "%x", where "0x" is allowed). */
int odp_text_scan_uint_base(const char *s, int base, uint64_t max,
                            uint64_t *value);
int odp_text_scan_eth(const char *s, uint8_t mac[6]);
int odp_text_scan_ipv4(const char *s, uint32_t *be32);
int odp_text_scan_in6(const char *s, void *in6);
/* An integer of 'width' bytes as OVS's parse_int_string() reads it ("0x" and
 * hex digits, leading zeros ignored, or a 64-bit integer), stored
 * big-endian in be[width]; 0 if it does not fit. */
int odp_text_scan_int_bytes(const char *s, uint8_t *be, size_t width);
/* Hex bytes "01 02 0a" or "01020a" (pairs, optional white space between);
 * out may be NULL to count.  Stops before the first non-pair. */
int odp_text_scan_hex_bytes(const char *s, uint8_t *out, size_t *n);

/* Copies the text at s up to the first character of 'stop' (or the end) into
 * buf for an error message, non-printables as '?', shortened with "...". */
void odp_text_token(const char *s, const char *stop, char *buf, size_t size);

/* True if s starts with lit. */
static inline bool
odp_text_starts(const char *s, const char *lit)
{
    return !strncmp(s, lit, strlen(lit));
}

/* -EINVAL with "unbalanced parentheses" unless every '(' in s is closed in
 * order. */
int odp_text_check_parens(const char *s, struct xsw_err *err);

/* ---- Formatting pieces shared with actions. */

/* "01 02 03" (OVS's format_generic_odp_key / generic action bytes). */
void odp_text_put_hex_spaced(struct strbuf *sb, const void *p, size_t n);
/* OVS's ds_put_hex(): "0x" and the value without leading zero bytes, "0"
 * for zero. */
void odp_text_put_hex_value(struct strbuf *sb, const void *p, size_t n);
/* OVS's format_u128() on the host-order u128 layout OVS writes for ct labels
 * (two host-order 64-bit words, low word first). */
void odp_text_format_u128(struct strbuf *sb, const uint8_t *key,
                          const uint8_t *mask, bool verbose);
/* Converts between that layout and big-endian bytes. */
void odp_text_u128_to_be(const uint8_t host[16], uint8_t be[16]);
void odp_text_u128_from_be(const uint8_t be[16], uint8_t host[16]);

/* OVS's format_vlan_tci(); tci and mask in host order. */
void odp_text_format_vlan_tci(struct strbuf *sb, uint16_t tci, uint16_t mask,
                              bool verbose);
/* "label=..,tc=..,ttl=..,bos=.." of one host-order label stack entry. */
void odp_text_format_mpls_lse(struct strbuf *sb, uint32_t lse);

typedef const char *odp_text_flag_name_fn(uint32_t bit);
/* OVS's format_flags(): "syn|ack", "0" when none, unknown bits as 0x... */
void odp_text_format_flags(struct strbuf *sb, odp_text_flag_name_fn *name,
                           uint32_t flags, char delim);
/* OVS's format_flags_masked(): "+syn-ack", plain flags when mask == max,
 * "0/0" when mask is 0. */
void odp_text_format_flags_masked(struct strbuf *sb, odp_text_flag_name_fn *name,
                                  uint32_t flags, uint32_t mask, uint32_t max);
/* OVS's parse_flags(): "a|b", "+a-b" (only if mask != NULL), "0x12/0x3"
 * (only if mask != NULL), up to the character 'end'.  Returns characters
 * consumed or -1. */
int odp_text_parse_flags(const char *s, odp_text_flag_name_fn *name, char end,
                         uint32_t allowed, uint32_t *flags, uint32_t *mask);

/* ---- One key attribute, for set(): */

/* OVS's format_odp_key_attr(): the attribute at 'a' (length already
 * checked by the caller to be a valid attribute), with mask attribute 'ma'
 * or NULL. */
void odp_text_format_key_attr(const uint8_t *a, const uint8_t *ma, bool verbose,
                              struct strbuf *sb);

/* For set_masked: zeroes the key fields whose mask is all zeros (and, for
 * flag words, the bits outside the mask).  The datapath wants unmasked bits
 * zero, and the masked text form does not print them, so they could not be
 * read back anyway. */
void odp_text_clear_unmasked(uint16_t type, uint8_t *key, const uint8_t *mask,
                             size_t len);

/* Parses one key attribute ("ipv4(src=1.2.3.4)") at s, appending it to key
 * and, if mask is not NULL, its mask to mask.  depth counts the nesting
 * already entered.  Returns characters consumed or a negative errno with
 * err set. */
int odp_text_parse_key_attr(const char *s, struct nlmsghdr *key,
                            struct nlmsghdr *mask, size_t buflen, int depth,
                            struct xsw_err *err);

#endif /* XSW_ODP_TEXT_PRIVATE_H */
