/* libFuzzer target: odp_actions_validate() and odp_actions_are_simple() on
 * arbitrary bytes.  Neither may read outside the list or crash; a list the
 * validator accepts must also be accepted a second time with the same verdict
 * on simplicity (both walk it without state). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odp_actions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xsw_err err;
    uint32_t *copy;
    int r;

    /* Lists live in netlink messages, so they are 4-byte aligned: malloc
     * gives that, and exactly 'size' bytes, so ASan sees a read one byte
     * past the list. */
    copy = malloc(size ? size : 1);
    if (!copy) {
        return 0;
    }
    if (size) {
        memcpy(copy, data, size);
    }

    r = odp_actions_validate(copy, size, &err);
    if (r && !err.msg[0]) {
        abort();                /* every rejection must say why */
    }
    if (!r) {
        bool simple = odp_actions_are_simple(copy, size);

        if (odp_actions_validate(copy, size, NULL) != 0
            || odp_actions_are_simple(copy, size) != simple) {
            abort();
        }
    } else {
        (void) odp_actions_are_simple(copy, size);
    }

    free(copy);
    return 0;
}
