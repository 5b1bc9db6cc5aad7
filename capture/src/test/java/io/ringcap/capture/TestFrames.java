package io.ringcap.capture;

import java.nio.ByteBuffer;

/**
 * Hand-built Ethernet frames for running XDP programs on: Ethernet (with any VLAN tags) around IPv4 around
 * UDP or TCP. Checksums are left 0; nothing on the way checks them.
 */
final class TestFrames {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88a8;
    static final int PROTOCOL_TCP = 6;
    static final int PROTOCOL_UDP = 17;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FLAG_DONT_FRAGMENT = 0x4000;
    private static final int SOURCE = 10 << 24 | 1;

    private TestFrames() {
    }

    /** Ethernet → IPv4 (20 bytes) → UDP to {@code address:port} with 18 bytes of payload. */
    static byte[] udp(int address, int port) {
        return ethernet(ETHERTYPE_IPV4, ipv4(5, PROTOCOL_UDP, FLAG_DONT_FRAGMENT, address, transport(port, 18)));
    }

    /** An Ethernet frame with the given VLAN tag protocol ids before {@code etherType}. */
    static byte[] ethernet(int etherType, byte[] payload, int... tagProtocols) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 4 * tagProtocols.length + payload.length);
        frame.put(new byte[] {1, 0, 0x5e, 1, 1, 1, 2, 0, 0, 0, 0, 1});
        for (int tpid : tagProtocols) {
            frame.putShort((short) tpid).putShort((short) 42);
        }
        return frame.putShort((short) etherType).put(payload).array();
    }

    /**
     * An IPv4 packet with header length field {@code ihl} (the header holds max(ihl, 5) words, options NOP),
     * {@code fragment} the flags and fragment offset field.
     */
    static byte[] ipv4(int ihl, int protocol, int fragment, int destination, byte[] payload) {
        int headerBytes = Math.max(ihl, 5) * 4;
        ByteBuffer packet = ByteBuffer.allocate(headerBytes + payload.length);
        packet.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (headerBytes + payload.length))
            .putShort((short) 0x1234).putShort((short) fragment)
            .put((byte) 64).put((byte) protocol).putShort((short) 0)
            .putInt(SOURCE).putInt(destination);
        while (packet.position() < headerBytes) {
            packet.put((byte) 1);
        }
        return packet.put(payload).array();
    }

    /** A UDP header (or the first 8 bytes of a TCP one: ports in the same place) to {@code port}, then payload. */
    static byte[] transport(int port, int payloadBytes) {
        ByteBuffer segment = ByteBuffer.allocate(8 + payloadBytes);
        segment.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payloadBytes)).putShort((short) 0);
        while (segment.hasRemaining()) {
            segment.put((byte) 0x13);
        }
        return segment.array();
    }

    /** {@code a.b.c.d} as a host int. */
    static int address(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
