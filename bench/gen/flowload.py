#!/usr/bin/env python3
"""flowload: install many exact flows into xswd at once, for the bench.

    flowload.py SOCKET DP_IFINDEX N MAC_TAG DST_MAC IN_PORT OUT_PORT

Installs N flows in_port(IN_PORT),eth(src=02:TAG:i,dst=DST_MAC) -> OUT_PORT
for i in 0..N-1: the flows xbgen -m mac -n N needs, one megaflow each, as
a learning switch would install them.  One xswctl add-flow per flow costs
a process and a connection each (about 5 ms); this sends OVS_FLOW_CMD_NEW
requests over the control socket, many to a datagram, and counts the
acknowledgements.  Prints the number installed and the time it took.
"""
import socket
import struct
import sys
import time

NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE = 0x1, 0x4, 0x400
NLMSG_ERROR, GENL_ID_CTRL = 2, 0x10
CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 3, 1, 2
OVS_FLOW_CMD_NEW, OVS_FLOW_VERSION = 1, 1
OVS_FLOW_ATTR_KEY, OVS_FLOW_ATTR_ACTIONS, OVS_FLOW_ATTR_MASK = 1, 2, 7
OVS_KEY_ATTR_IN_PORT, OVS_KEY_ATTR_ETHERNET = 3, 4
OVS_ACTION_ATTR_OUTPUT = 1
PER_DATAGRAM = 128          # requests packed into one datagram
IN_FLIGHT = 4               # datagrams sent before waiting for their acks


def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * pad


def nlmsg(kind, flags, seq, payload):
    return struct.pack("=IHHII", 16 + len(payload), kind, flags, seq, 0) + payload


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def resolve(sock, name):
    genl = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    sock.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST, 1,
                    genl + attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")))
    msg = sock.recv(65536)
    _, kind, _, _, _ = struct.unpack_from("=IHHII", msg)
    if kind == NLMSG_ERROR:
        raise SystemExit("flowload: family %s: error %d"
                         % (name, struct.unpack_from("=i", msg, 16)[0]))
    off = 20
    while off + 4 <= len(msg):
        alen, akind = struct.unpack_from("=HH", msg, off)
        if akind == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", msg, off + 4)[0]
        off += (alen + 3) & ~3
    raise SystemExit("flowload: family %s: no id in the answer" % name)


def count_acks(data, failures):
    """Returns the number of NLMSG_ERROR messages in one datagram."""
    acks, off = 0, 0
    while off + 16 <= len(data):
        mlen, kind = struct.unpack_from("=IH", data, off)
        if mlen < 16:
            break
        if kind == NLMSG_ERROR:
            acks += 1
            if struct.unpack_from("=i", data, off + 16)[0]:
                failures.append(struct.unpack_from("=i", data, off + 16)[0])
        off += (mlen + 3) & ~3
    return acks


def main():
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    path, dp_ifindex, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tag, dst = int(sys.argv[4], 0), mac_bytes(sys.argv[5])
    in_port, out_port = int(sys.argv[6]), int(sys.argv[7])

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect(path)
    sock.settimeout(10)
    family = resolve(sock, "ovs_flow")

    head = struct.pack("=BBHi", OVS_FLOW_CMD_NEW, OVS_FLOW_VERSION, 0, dp_ifindex)
    mask = attr(OVS_FLOW_ATTR_MASK,
                attr(OVS_KEY_ATTR_IN_PORT, b"\xff" * 4)
                + attr(OVS_KEY_ATTR_ETHERNET, b"\xff" * 12))
    actions = attr(OVS_FLOW_ATTR_ACTIONS,
                   attr(OVS_ACTION_ATTR_OUTPUT, struct.pack("=I", out_port)))
    port = attr(OVS_KEY_ATTR_IN_PORT, struct.pack("=I", in_port))
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE

    failures, pending, seq, t0 = [], 0, 2, time.monotonic()
    for first in range(0, n, PER_DATAGRAM):
        batch = []
        for i in range(first, min(n, first + PER_DATAGRAM)):
            src = bytes([0x02, tag]) + struct.pack(">I", i)
            key = attr(OVS_FLOW_ATTR_KEY,
                       port + attr(OVS_KEY_ATTR_ETHERNET, src + dst))
            batch.append(nlmsg(family, flags, seq, head + key + mask + actions))
            seq += 1
        sock.send(b"".join(batch))
        pending += len(batch)
        while pending > IN_FLIGHT * PER_DATAGRAM:
            pending -= count_acks(sock.recv(65536), failures)
    while pending > 0:
        pending -= count_acks(sock.recv(65536), failures)
    dt = time.monotonic() - t0
    print("flowload: %d flows installed, %d refused, in %.2f s"
          % (n - len(failures), len(failures), dt))
    if failures:
        print("flowload: first error %d" % failures[0], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
