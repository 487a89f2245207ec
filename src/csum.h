/* csum: incremental Internet checksum updates (RFC 1624) and CRC32c for SCTP,
 * for actions that rewrite headers.  Pure; any thread. */
#ifndef XSW_CSUM_H
#define XSW_CSUM_H 1

#include <stddef.h>
#include <stdint.h>

/* All values are as they sit in the packet (network order); the result is
 * the new checksum field, also in network order. */
static inline uint16_t
csum_fold32(uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) sum;
}

/* HC' = ~(~HC + ~m + m') */
static inline uint16_t
csum_replace16(uint16_t csum, uint16_t old, uint16_t new_)
{
    uint32_t sum = (uint16_t) ~csum;

    sum += (uint16_t) ~old;
    sum += new_;
    return (uint16_t) ~csum_fold32(sum);
}

static inline uint16_t
csum_replace32(uint16_t csum, uint32_t old, uint32_t new_)
{
    csum = csum_replace16(csum, (uint16_t) (old >> 16), (uint16_t) (new_ >> 16));
    return csum_replace16(csum, (uint16_t) old, (uint16_t) new_);
}

/* A 16-byte IPv6 address, as eight 16-bit words. */
static inline uint16_t
csum_replace128(uint16_t csum, const uint8_t old[16], const uint8_t new_[16])
{
    for (int i = 0; i < 16; i += 2) {
        uint16_t o, n;

        __builtin_memcpy(&o, old + i, 2);
        __builtin_memcpy(&n, new_ + i, 2);
        csum = csum_replace16(csum, o, n);
    }
    return csum;
}

/* CRC32c (Castagnoli) of data, as SCTP's checksum field wants it (the caller
 * zeroes the field first and stores the result little-endian on the wire
 * as RFC 4960 Appendix B specifies). */
uint32_t csum_crc32c(const void *data, size_t len);

#endif /* XSW_CSUM_H */
