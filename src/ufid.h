/* ufid: 128-bit unique flow identifiers (OVS_FLOW_ATTR_UFID), parsed and
 * formatted as OVS does: "ufid:" followed by a UUID,
 * ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f.
 *
 * Pure; any thread. */
#ifndef XSW_UFID_H
#define XSW_UFID_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Same memory layout as OVS's ovs_u128 in OVS_FLOW_ATTR_UFID: four host-order
 * 32-bit words, the first printed first. */
struct ufid {
    uint32_t u32[4];
};

#define UFID_LEN 16
#define UFID_STRLEN 42  /* "ufid:" + 36 + NUL */

/* Parses "ufid:UUID" (the "ufid:" prefix is required, hex digits of either
 * case).  Returns the number of characters consumed, or 0 if s does not
 * start with a UFID. */
int ufid_parse(const char *s, struct ufid *ufid);

void ufid_format(const struct ufid *ufid, struct strbuf *out);

/* Into a caller buffer of at least UFID_STRLEN bytes. */
void ufid_to_string(const struct ufid *ufid, char buf[UFID_STRLEN]);

static inline bool
ufid_is_zero(const struct ufid *u)
{
    return !(u->u32[0] | u->u32[1] | u->u32[2] | u->u32[3]);
}

static inline bool
ufid_equal(const struct ufid *a, const struct ufid *b)
{
    return a->u32[0] == b->u32[0] && a->u32[1] == b->u32[1]
        && a->u32[2] == b->u32[2] && a->u32[3] == b->u32[3];
}

#endif /* XSW_UFID_H */
