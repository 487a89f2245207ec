#include "csum.h"

/* Bitwise CRC32c: SCTP header rewrites are rare enough (set(sctp(...)))
 * that a table is not worth its cache footprint on the hot path. */
uint32_t
csum_crc32c(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xffffffff;

    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82f63b78 & (0U - (crc & 1)));
        }
    }
    return ~crc;
}
