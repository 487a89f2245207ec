#!/usr/bin/python3
"""l2send: sends crafted Ethernet frames through a packet socket, for the
slow-path integration tests (test_learning.sh, test_vlan.sh,
test_aging.sh).

    l2send.py IFACE [--src MAC|random] [--dst MAC] [--vlan VID] [--count N]
              [--ip-src ADDR] [--ip-dst ADDR] [--dport PORT] [--seed N]

Each frame is Ethernet / [802.1Q VID] / IPv4 / UDP(4000 -> PORT) /
"xsw-test", so that a capture can pick the test's frames out by their UDP
port.  The source address defaults to IFACE's own.  With --src random
every frame has a source address of its own: distinct, unicast, locally
administered (06:...), never one of the tests' fixed addresses (02:...).
Prints how many frames were sent.  Exit status 0, 1 if IFACE cannot be
used, 2 for bad arguments.
"""

import argparse
import random
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_8021Q = 0x8100
ETH_P_IP = 0x0800
PAYLOAD = b'xsw-test'


def mac_bytes(text):
    b = bytes(int(x, 16) for x in text.split(':'))
    if len(b) != 6:
        raise ValueError('not a MAC address: %s' % text)
    return b


def random_macs(n, seed):
    rng = random.Random(seed)
    seen = set()
    while len(seen) < n:
        seen.add(rng.getrandbits(40))
    return [b'\x06' + v.to_bytes(5, 'big') for v in sorted(seen)]


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4_udp(src, dst, dport):
    udp = struct.pack('!HHHH', 4000, dport, 8 + len(PAYLOAD), 0) + PAYLOAD
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + udp


def main():
    ap = argparse.ArgumentParser(description='send crafted frames')
    ap.add_argument('iface')
    ap.add_argument('--src', default=None,
                    help="source MAC, or 'random' (default: the interface's own)")
    ap.add_argument('--dst', default='ff:ff:ff:ff:ff:ff')
    ap.add_argument('--vlan', type=int, default=None, help='802.1Q VID (none: untagged)')
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--ip-src', default='192.0.2.1')
    ap.add_argument('--ip-dst', default='192.0.2.2')
    ap.add_argument('--dport', type=int, default=9)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()

    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((args.iface, 0))
    except OSError as e:
        print('l2send: %s: %s' % (args.iface, e), file=sys.stderr)
        return 1
    try:
        dst = mac_bytes(args.dst)
        if args.src == 'random':
            srcs = random_macs(args.count, args.seed)
        else:
            own = s.getsockname()[4][:6]
            srcs = [mac_bytes(args.src) if args.src else own] * args.count
        body = ipv4_udp(args.ip_src, args.ip_dst, args.dport)
    except (ValueError, OSError) as e:
        print('l2send: %s' % e, file=sys.stderr)
        return 2
    tag = b''
    if args.vlan is not None:
        tag = struct.pack('!HH', ETH_P_8021Q, args.vlan & 0xfff)
    for i, src in enumerate(srcs):
        s.send(dst + src + tag + struct.pack('!H', ETH_P_IP) + body)
        if i % 32 == 31:
            time.sleep(0.001)       # let the receiving side's rings drain
    print('sent %d' % len(srcs))
    return 0


if __name__ == '__main__':
    sys.exit(main())
