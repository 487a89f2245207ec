#!/usr/bin/python3
"""vlan_host: a host on a trunk, one IPv4 address per VLAN, for
test_vlan.sh (the kernel under test may lack 802.1Q interfaces).

    vlan_host.py IFACE VID=ADDR [VID=ADDR...]

Answers ARP requests and ICMP echo requests for ADDR that arrive tagged
with VID, with replies tagged VID, from IFACE's own address; frames in
other VLANs, untagged ones, and requests for ADDR in another VLAN are
ignored, as a host with one 802.1Q interface per VLAN would.  Prints
"ready" once it listens, then a line per answer ("arp VID ADDR" or
"echo VID ADDR"), and runs until killed.

The kernel takes the tag out of a received frame before a packet socket
sees it and reports it in the auxiliary data (PACKET_AUXDATA); a tag
still in the frame (the outer of two) is read from the frame itself.
"""

import socket
import struct
import sys

ETH_P_ALL = 0x0003
ETH_P_8021Q = 0x8100
ETH_P_ARP = 0x0806
ETH_P_IP = 0x0800
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 1 << 4


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame_vlan(data, anc):
    """(vid or None, payload after the Ethernet addresses and tag)."""
    for level, kind, cdata in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= 20:
            status, _, _, _, _, tci, _ = struct.unpack('IIIHHHH', cdata[:20])
            if status & TP_STATUS_VLAN_VALID:
                return tci & 0xfff, data[12:]
    if len(data) >= 18 and struct.unpack('!H', data[12:14])[0] == ETH_P_8021Q:
        return struct.unpack('!H', data[14:16])[0] & 0xfff, data[16:]
    return None, data[12:]


def main():
    if len(sys.argv) < 3:
        print('usage: vlan_host.py IFACE VID=ADDR...', file=sys.stderr)
        return 2
    iface = sys.argv[1]
    addrs = {}
    for arg in sys.argv[2:]:
        vid, addr = arg.split('=')
        addrs[int(vid)] = socket.inet_aton(addr)

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((iface, 0))
    mac = s.getsockname()[4][:6]
    print('ready', flush=True)

    while True:
        data, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(32))
        if addr[2] == PACKET_OUTGOING or len(data) < 14:
            continue
        vid, rest = frame_vlan(data, anc)
        if vid is None or vid not in addrs:
            continue
        own_ip = addrs[vid]
        src_mac = data[6:12]
        ethertype = struct.unpack('!H', rest[:2])[0]
        body = rest[2:]
        reply = None
        if ethertype == ETH_P_ARP and len(body) >= 28:
            op = struct.unpack('!H', body[6:8])[0]
            sha, spa, tpa = body[8:14], body[14:18], body[24:28]
            if op == 1 and tpa == own_ip:
                reply = (ETH_P_ARP, body[:6] + struct.pack('!H', 2) + mac + own_ip + sha + spa)
                what = 'arp'
        elif ethertype == ETH_P_IP and len(body) >= 20:
            ihl = (body[0] & 0xf) * 4
            total = struct.unpack('!H', body[2:4])[0]
            proto, src, dst = body[9], body[12:16], body[16:20]
            icmp = body[ihl:total]
            if proto == 1 and dst == own_ip and len(icmp) >= 8 and icmp[0] == 8:
                icmp = b'\0\0\0\0' + icmp[4:]
                icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
                hdr = bytearray(body[:ihl])
                hdr[8] = 64
                hdr[10:12] = b'\0\0'
                hdr[12:16], hdr[16:20] = dst, src
                hdr[10:12] = struct.pack('!H', csum(bytes(hdr)))
                reply = (ETH_P_IP, bytes(hdr) + icmp)
                what = 'echo'
        if reply:
            ethertype, payload = reply
            s.send(src_mac + mac + struct.pack('!HHH', ETH_P_8021Q, vid, ethertype) + payload)
            print('%s %d %s' % (what, vid, socket.inet_ntoa(own_ip)), flush=True)


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
