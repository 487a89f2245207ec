/* libFuzzer target: flow_extract() on arbitrary frames.  It must never read
 * outside the frame, and the key it gives must encode to netlink and decode
 * back to itself (what the datapath sends up is what the slow path reads). */
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
    struct flow_key key, back;
    struct flow_offsets ofs;
    struct nlmsghdr *nlh;
    uint8_t *copy = malloc(size ? size : 1);     /* exact size: ASan sees overreads */

    if (!copy) {
        return 0;
    }
    memcpy(copy, data, size);
    flow_extract(copy, size, NULL, &key, &ofs);
    if ((ofs.l3 != FLOW_OFS_NONE && ofs.l3 > size)
        || (ofs.l4 != FLOW_OFS_NONE && ofs.l4 > size)) {
        abort();
    }
    nlh = mnl_nlmsg_put_header(buf);
    if (odp_key_put(nlh, sizeof buf, &key)
        || odp_key_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh),
                         &back, NULL, NULL)
        || !flow_key_equal(&key, &back)) {
        abort();
    }
    free(copy);
    return 0;
}
