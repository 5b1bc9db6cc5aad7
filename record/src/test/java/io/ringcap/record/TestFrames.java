package io.ringcap.record;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Ethernet/IPv4/UDP frames to a chosen group whose payload starts with a sequence number, so a test can
 * tell every packet apart; every 50th frame is ARP (not IPv4/UDP), which no group selects.
 */
final class TestFrames {
    static final int MIN_LENGTH = 60;
    static final int PAYLOAD_OFFSET = 42;
    static final long[] GROUPS = {
        UdpDestination.parse("239.1.1.1:5000"), UdpDestination.parse("239.1.1.2:5000"),
        UdpDestination.parse("239.1.1.1:5001"), UdpDestination.parse("233.54.12.7:31103")};
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TestFrames() {
    }

    /** Writes frame {@code sequence} of {@code length} bytes into {@code frame} at 0. */
    static void fill(MemorySegment frame, long sequence, int length) {
        long group = GROUPS[(int) (sequence % GROUPS.length)];
        for (int i = 0; i < 6; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) (0x01 + i));
            frame.set(ValueLayout.JAVA_BYTE, 6 + i, (byte) (0x10 + i));
        }
        boolean arp = sequence % 50 == 49;
        frame.set(BE16, 12, (short) (arp ? 0x0806 : 0x0800));
        frame.set(ValueLayout.JAVA_BYTE, 14, (byte) 0x45);
        frame.set(ValueLayout.JAVA_BYTE, 15, (byte) 0);
        frame.set(BE16, 16, (short) (length - 14));
        frame.set(BE32, 18, 0);
        frame.set(ValueLayout.JAVA_BYTE, 22, (byte) 64);
        frame.set(ValueLayout.JAVA_BYTE, 23, (byte) 17);
        frame.set(BE16, 24, (short) 0);
        frame.set(BE32, 26, 0x0A00_0001);
        frame.set(BE32, 30, (int) UdpDestination.address(group));
        frame.set(BE16, 34, (short) 40000);
        frame.set(BE16, 36, (short) UdpDestination.port(group));
        frame.set(BE16, 38, (short) (length - 34));
        frame.set(BE16, 40, (short) 0);
        frame.set(LE64, PAYLOAD_OFFSET, sequence);
        for (int i = PAYLOAD_OFFSET + 8; i < length; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) (sequence * 31 + i));
        }
    }

    /** The sequence number in a frame {@link #fill} made. */
    static long sequence(MemorySegment buffer, long frameOffset) {
        return buffer.get(LE64, frameOffset + PAYLOAD_OFFSET);
    }

    static long sequence(byte[] frame) {
        return sequence(MemorySegment.ofArray(frame), 0);
    }

    /** The group frame {@code sequence} is sent to, or {@link UdpDestination#NONE} for ARP. */
    static long groupOf(long sequence) {
        return sequence % 50 == 49 ? UdpDestination.NONE : GROUPS[(int) (sequence % GROUPS.length)];
    }
}
