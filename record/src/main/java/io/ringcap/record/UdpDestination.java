package io.ringcap.record;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The destination IPv4 address and UDP port of an Ethernet frame, packed in one {@code long}: address in
 * bits 16..47, port in bits 0..15. A market-data feed is a set of such groups, so they are what the index
 * counts and what extraction selects on. Parsing allocates nothing.
 */
public final class UdpDestination {
    /** Returned by {@link #of} for a frame that is not IPv4/UDP (or a later fragment, which has no UDP header). */
    public static final long NONE = -1L;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int VLAN_TAG = 4;
    private static final int PROTOCOL_UDP = 17;

    private UdpDestination() {
    }

    /** The destination of the Ethernet frame at {@code offset}, or {@link #NONE}. Up to two VLAN tags are skipped. */
    public static long of(MemorySegment buffer, long offset, int length) {
        int ip = ETHERNET_HEADER;
        if (length < ip) {
            return NONE;
        }
        int etherType = buffer.get(U16, offset + 12) & 0xFFFF;
        for (int tags = 0; tags < 2 && (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ); tags++) {
            if (length < ip + VLAN_TAG) {
                return NONE;
            }
            etherType = buffer.get(U16, offset + ip + 2) & 0xFFFF;
            ip += VLAN_TAG;
        }
        if (etherType != ETHERTYPE_IPV4 || length < ip + 20) {
            return NONE;
        }
        int versionAndLength = buffer.get(ValueLayout.JAVA_BYTE, offset + ip) & 0xFF;
        int headerLength = (versionAndLength & 0x0F) * 4;
        boolean laterFragment = (buffer.get(U16, offset + ip + 6) & 0x1FFF) != 0;
        if (versionAndLength >>> 4 != 4 || headerLength < 20 || laterFragment
            || (buffer.get(ValueLayout.JAVA_BYTE, offset + ip + 9) & 0xFF) != PROTOCOL_UDP
            || length < ip + headerLength + 4) {
            return NONE;
        }
        long address = buffer.get(U32, offset + ip + 16) & 0xFFFF_FFFFL;
        int port = buffer.get(U16, offset + ip + headerLength + 2) & 0xFFFF;
        return pack(address, port);
    }

    /** Packs an IPv4 address (as an unsigned 32-bit number) and a port. */
    public static long pack(long address, int port) {
        return address << 16 | port;
    }

    public static long address(long destination) {
        return destination >>> 16;
    }

    public static int port(long destination) {
        return (int) (destination & 0xFFFF);
    }

    /** Parses {@code 239.1.1.1:5000}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static long parse(String text) {
        int colon = text.lastIndexOf(':');
        String[] octets = colon < 0 ? new String[0] : text.substring(0, colon).split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not a group: write ADDRESS:PORT, e.g. 239.1.1.1:5000");
        }
        long address = 0;
        for (String octet : octets) {
            address = address << 8 | number(octet, 255, text, "address byte");
        }
        return pack(address, (int) number(text.substring(colon + 1), 65535, text, "port"));
    }

    private static long number(String digits, int max, String text, String what) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)
            || Integer.parseInt(digits) > max) {
            throw new IllegalArgumentException("'" + text + "' is not a group: " + what + " '" + digits
                + "' is not a number from 0 to " + max + " (write ADDRESS:PORT, e.g. 239.1.1.1:5000)");
        }
        return Integer.parseInt(digits);
    }

    /** {@code 239.1.1.1:5000}. */
    public static String format(long destination) {
        long a = address(destination);
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF) + ":" + port(destination);
    }
}
