/* extract_cost: calls flow_extract() N times on one frame, for counting its
 * instructions under callgrind (see extract-cost.sh).
 *
 * usage: extract_cost {ipv4-tcp|vlan-ipv4-udp|ipv6-tcp|arp} N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_key.h"
#include "frames.h"

static const struct {
    const char *name;
    size_t (*build)(struct frames_buf *);
} frame_types[] = {
    { "ipv4-tcp", frames_eth_ipv4_tcp },
    { "vlan-ipv4-udp", frames_vlan_ipv4_udp },
    { "ipv6-tcp", frames_eth_ipv6_tcp },
    { "arp", frames_eth_arp },
};

int
main(int argc, char *argv[])
{
    static struct frames_buf frame;
    const struct flow_meta md = { .in_port = 1 };
    struct flow_offsets ofs;
    struct flow_key key;
    size_t len = 0;
    long n;

    if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: %s {ipv4-tcp|vlan-ipv4-udp|ipv6-tcp|arp} N\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof frame_types / sizeof frame_types[0]; i++) {
        if (!strcmp(argv[1], frame_types[i].name)) {
            len = frame_types[i].build(&frame);
        }
    }
    if (!len) {
        fprintf(stderr, "%s: unknown frame type %s\n", argv[0], argv[1]);
        return 2;
    }

    /* The key goes to memory the compiler cannot see through, so that
     * every call is made. */
    for (long i = 0; i < n; i++) {
        flow_extract(frame.data, len, &md, &key, &ofs);
        __asm__ volatile("" : : "r"(&key), "r"(&ofs) : "memory");
    }
    printf("%s len=%zu eth_type=0x%04x nw_proto=%u tp_src=%u l3=%u l4=%u\n",
           argv[1], len, ntohs(key.eth_type), key.nw_proto, ntohs(key.tp_src),
           ofs.l3, ofs.l4);
    return 0;
}
