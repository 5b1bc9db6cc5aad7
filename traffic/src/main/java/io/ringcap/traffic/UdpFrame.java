package io.ringcap.traffic;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Finds the UDP payload in a captured Ethernet frame: Ethernet II, at most one 802.1Q tag, IPv4
 * with options, UDP. Enough for readers of the generator's traffic, not a general dissector.
 */
public final class UdpFrame {
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHER_TYPE_OFFSET = 12;
    private static final int VLAN_TAG = 4;
    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_VLAN = 0x8100;
    private static final int IPV4_PROTOCOL_OFFSET = 9;
    private static final int IPV4_FRAGMENT_OFFSET = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int UDP_HEADER = 8;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private UdpFrame() {
    }

    /**
     * Where the UDP payload of the frame at {@code offset} ({@code length} bytes captured) starts,
     * or -1 if it is not an unfragmented IPv4 UDP datagram or was cut off before its payload.
     * Allocation-free.
     */
    public static long payloadOffset(MemorySegment frame, long offset, int length) {
        long ip = offset + ETHERNET_HEADER;
        if (length < ETHERNET_HEADER) {
            return -1;
        }
        int etherType = Short.toUnsignedInt(frame.get(SHORT, offset + ETHER_TYPE_OFFSET));
        if (etherType == ETHER_TYPE_VLAN) {
            if (length < ETHERNET_HEADER + VLAN_TAG) {
                return -1;
            }
            etherType = Short.toUnsignedInt(frame.get(SHORT, offset + ETHER_TYPE_OFFSET + VLAN_TAG));
            ip += VLAN_TAG;
        }
        if (etherType != ETHER_TYPE_IPV4 || ip + 20 > offset + length) {
            return -1;
        }
        int versionAndLength = Byte.toUnsignedInt(frame.get(JAVA_BYTE, ip));
        int headerLength = (versionAndLength & 0x0f) * 4;
        boolean fragment = (frame.get(SHORT, ip + IPV4_FRAGMENT_OFFSET) & 0x3fff) != 0;
        if (versionAndLength >>> 4 != 4 || headerLength < 20 || fragment
            || Byte.toUnsignedInt(frame.get(JAVA_BYTE, ip + IPV4_PROTOCOL_OFFSET)) != PROTOCOL_UDP) {
            return -1;
        }
        long payload = ip + headerLength + UDP_HEADER;
        return payload <= offset + length ? payload : -1;
    }
}
