package io.ringcap.capture;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes the Ethernet, IPv4 and UDP headers in front of a datagram a socket delivered, so that a udp
 * source's records look like frames off the wire to every reader (flagged
 * {@link io.ringcap.ring.RecordDescriptor#FLAG_SYNTHESIZED}).
 *
 * <pre>
 *  0 dst MAC 01:00:5e + low 23 bits of the group   6 src MAC 00:00:00:00:00:00   12 ethertype 0x0800
 * 14 IPv4: version 4, IHL 5, TOS 0, total length, id 0, flags/fragment 0, TTL 1, protocol 17,
 *          header checksum (computed), source = the sender's address, destination = the group
 * 34 UDP: source port = the sender's, destination port = the group's, length, checksum 0 (none)
 * 42 payload
 * </pre>
 * What the socket API does not tell (source MAC, TOS, TTL, IP id, fragmentation) is written as the
 * constants above, never guessed. Allocation-free.
 */
public final class FrameSynthesizer {
    /** Bytes written in front of the payload. */
    public static final int HEADER_LENGTH = 42;
    public static final int IPV4_OFFSET = 14;
    public static final int UDP_OFFSET = 34;
    /** Largest UDP payload an IPv4 datagram can carry. */
    public static final int MAX_PAYLOAD = 65_507;
    static final int TTL = 1;

    private static final ValueLayout.OfShort NET_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IPV4_HEADER_LENGTH = 20;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int CHECKSUM_OFFSET = 10;

    private FrameSynthesizer() {
    }

    /**
     * Writes the 42 header bytes at {@code offset} for a datagram of {@code payloadLength} bytes (its full
     * length, even if fewer are kept) from {@code sourceAddress:sourcePort} to
     * {@code groupAddress:groupPort}. Addresses are host ints.
     */
    public static void writeHeaders(MemorySegment buffer, long offset, int sourceAddress, int sourcePort,
        int groupAddress, int groupPort, int payloadLength) {
        int ipv4Length = Math.min(IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH + payloadLength, 0xFFFF);
        long macAddress = 0x01005E000000L | (groupAddress & 0x7FFFFF);
        buffer.set(NET_SHORT, offset, (short) (macAddress >>> 32));
        buffer.set(NET_INT, offset + 2, (int) macAddress);
        buffer.set(NET_INT, offset + 6, 0);
        buffer.set(NET_SHORT, offset + 10, (short) 0);
        buffer.set(NET_SHORT, offset + 12, (short) GroupFilter.ETHERTYPE_IPV4);

        long ip = offset + IPV4_OFFSET;
        int versionAndLength = 0x4500;
        int ttlAndProtocol = TTL << 8 | GroupFilter.PROTOCOL_UDP;
        buffer.set(NET_SHORT, ip, (short) versionAndLength);
        buffer.set(NET_SHORT, ip + 2, (short) ipv4Length);
        buffer.set(NET_INT, ip + 4, 0);
        buffer.set(NET_SHORT, ip + 8, (short) ttlAndProtocol);
        buffer.set(NET_INT, ip + 12, sourceAddress);
        buffer.set(NET_INT, ip + 16, groupAddress);
        int sum = versionAndLength + ipv4Length + ttlAndProtocol
            + (sourceAddress >>> 16) + (sourceAddress & 0xFFFF) + (groupAddress >>> 16) + (groupAddress & 0xFFFF);
        buffer.set(NET_SHORT, ip + CHECKSUM_OFFSET, (short) ~foldOnesComplement(sum));

        long udp = offset + UDP_OFFSET;
        buffer.set(NET_SHORT, udp, (short) sourcePort);
        buffer.set(NET_SHORT, udp + 2, (short) groupPort);
        buffer.set(NET_SHORT, udp + 4, (short) Math.min(UDP_HEADER_LENGTH + payloadLength, 0xFFFF));
        buffer.set(NET_SHORT, udp + 6, (short) 0);
    }

    /** Folds the carries of a sum of 16-bit words back in (RFC 1071). */
    private static int foldOnesComplement(int sum) {
        int folded = (sum & 0xFFFF) + (sum >>> 16);
        return (folded & 0xFFFF) + (folded >>> 16);
    }
}
