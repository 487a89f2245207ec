#!/usr/bin/python3
"""l2send: sends crafted Ethernet frames with scapy, for the slow-path
integration tests (test_learning.sh, test_vlan.sh, test_aging.sh).

    l2send.py IFACE [--src MAC|random] [--dst MAC] [--vlan VID] [--count N]
              [--ip-src ADDR] [--ip-dst ADDR] [--dport PORT] [--seed N]

Each frame is Ether / [802.1Q VID] / IPv4 / UDP(4000 -> PORT) / "xsw-test",
so that a capture can pick the test's frames out by their UDP port.  With
--src random every frame has a source address of its own: distinct,
unicast, locally administered (06:...), never one of the tests' fixed
addresses (02:...).  Prints how many frames were sent.  Exit status 0, or 1
if scapy is missing or the interface does not exist.
"""

import argparse
import random
import sys


def random_macs(n, seed):
    rng = random.Random(seed)
    seen = set()
    while len(seen) < n:
        seen.add(rng.getrandbits(40))
    return ['06:' + ':'.join('%02x' % ((v >> s) & 0xff) for s in range(32, -8, -8))
            for v in sorted(seen)]


def main():
    ap = argparse.ArgumentParser(description='send crafted frames')
    ap.add_argument('iface')
    ap.add_argument('--src', default=None, help="source MAC, or 'random' "
                    "(default: the interface's own)")
    ap.add_argument('--dst', default='ff:ff:ff:ff:ff:ff')
    ap.add_argument('--vlan', type=int, default=None, help='802.1Q VID (none: untagged)')
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--ip-src', default='192.0.2.1')
    ap.add_argument('--ip-dst', default='192.0.2.2')
    ap.add_argument('--dport', type=int, default=9)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()

    try:
        from scapy.all import Dot1Q, Ether, IP, UDP, conf, get_if_hwaddr, sendp
    except ImportError as e:
        print('l2send: scapy: %s' % e, file=sys.stderr)
        return 1
    conf.verb = 0
    try:
        own = get_if_hwaddr(args.iface)
    except Exception as e:          # scapy raises several kinds here
        print('l2send: %s: %s' % (args.iface, e), file=sys.stderr)
        return 1

    if args.src == 'random':
        srcs = random_macs(args.count, args.seed)
    else:
        srcs = [args.src or own] * args.count

    frames = []
    for src in srcs:
        f = Ether(src=src, dst=args.dst)
        if args.vlan is not None:
            f = f / Dot1Q(vlan=args.vlan)
        f = f / IP(src=args.ip_src, dst=args.ip_dst) / UDP(sport=4000, dport=args.dport)
        frames.append(f / b'xsw-test')
    sendp(frames, iface=args.iface)
    print('sent %d' % len(frames))
    return 0


if __name__ == '__main__':
    sys.exit(main())
