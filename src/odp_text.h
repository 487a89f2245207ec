/* odp_text: the text form of flow keys, masks and actions, parsed and
 * formatted byte for byte the way Open vSwitch's `ovs-dpctl dump-flows` and
 * `ovstest test-odp` write them:
 *   in_port(1),eth(src=e0:91:f5:21:d0:b2,dst=00:02:e3:0f:80:a4),eth_type(0x0800),
 *   ipv4(src=172.16.0.20,dst=172.18.0.52,proto=17,tos=0,ttl=64,frag=no),udp(src=49163,dst=80)
 *
 * It works on netlink attributes, never on struct flow_key, so that any set of
 * attributes (including ones xsw does not interpret) round-trips unchanged.
 *
 * Control path only (strbuf allocates); any thread.  Output conventions are
 * those of odp_key.h: attributes are appended to a netlink message of buflen
 * bytes; -EMSGSIZE when full.  Errors: negative errno and err->msg naming the
 * offending text ("ipv4: bad value 'x' for src"). */
#ifndef XSW_ODP_TEXT_H
#define XSW_ODP_TEXT_H 1

#include <stdbool.h>
#include <stddef.h>

#include <libmnl/libmnl.h>

#include "strbuf.h"
#include "xsw_err.h"

/* Parses a key, with optional "field=value/mask" masks.  Key attributes go to
 * key_nlh; if mask_nlh is not NULL the mask attributes go there (fields given
 * without a mask are exact, attributes not named are wildcarded), as OVS's
 * odp_flow_from_string() does.  If mask_nlh is NULL a "/mask" is an error. */
int odp_text_parse_key(const char *s, struct nlmsghdr *key_nlh,
                       struct nlmsghdr *mask_nlh, size_t buflen,
                       struct xsw_err *err);

/* Formats a key.  mask == NULL: the unmasked form with every field of every
 * attribute present (ovs-dpctl's verbose form).  With a mask: the masked form
 * of dump-flows, "src=10.0.0.0/255.0.0.0", fully wildcarded fields and
 * attributes left out, exact fields printed without a mask. */
void odp_text_format_key(const void *key, size_t key_len,
                         const void *mask, size_t mask_len,
                         bool verbose, struct strbuf *out);

/* Parses an action list ("1,push_vlan(vid=10,pcp=0),2" or "drop"). */
int odp_text_parse_actions(const char *s, struct nlmsghdr *nlh, size_t buflen,
                           struct xsw_err *err);

/* Formats an action list; an empty list prints "drop". */
void odp_text_format_actions(const void *actions, size_t len, struct strbuf *out);

/* Details of the four calls above, all as OVS's odp-util:
 *
 * - verbose: with a mask, also prints wildcarded fields (as "0/0") and
 *   attributes; pass true with mask == NULL for the unmasked form (false
 *   there leaves ct_mark()/ct_zone()/ct_label() empty, as OVS does).
 * - Attribute types the text layer has no layout for (UNSPEC, NSH, types
 *   after ND_EXTENSIONS) print as "key<N>(01 02 03[/ff ff ff])" and parse
 *   back to the same bytes; unknown actions print as OVS's "bad length 4,
 *   expected -1 for: action<N>(01 02 03 04)", which also parses back.
 * - A known attribute of the wrong length prints as OVS's "(bad key length
 *   N, expected M)(bytes)", which does not parse.
 * - "drop" alone is the empty list; inside a longer list it is the explicit
 *   drop action (OVS_ACTION_ATTR_DROP, 24), which alone also prints "drop"
 *   and so reads back as the empty list.
 * - Parsers append nothing on failure, limit nesting to 31 levels of encap()
 *   or of nested action lists, and reject a result longer than one netlink
 *   attribute can hold (the caller nests it in OVS_FLOW_ATTR_KEY/ACTIONS).
 *   Numbers are read as OVS's "%i" (0x.. hex, 0.. octal) but out-of-range
 *   values are errors rather than truncated.  Padding is zeroed, nests are
 *   written without NLA_F_NESTED, so equal text gives equal bytes. */

#endif /* XSW_ODP_TEXT_H */
