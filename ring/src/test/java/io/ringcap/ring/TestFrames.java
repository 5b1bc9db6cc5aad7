package io.ringcap.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * Self-checking test frames: the sequence number in the first 8 bytes, a fill byte derived from it, and a
 * CRC32C of everything before it in the last 4 bytes, so any torn or misplaced byte is caught.
 */
final class TestFrames {
    static final int MIN_LENGTH = 16;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private TestFrames() {
    }

    static void fill(MemorySegment frame, long sequence, int length) {
        frame.asSlice(8, length - 12).fill(fillByte(sequence));
        frame.set(LONG, 0, sequence);
        frame.set(INT, length - 4, crc(frame, 0, length - 4));
    }

    /** The frame's sequence number if it is intact, else -1. */
    static long check(MemorySegment buffer, long offset, int length) {
        if (length < MIN_LENGTH) {
            return -1;
        }
        long sequence = buffer.get(LONG, offset);
        if (buffer.get(INT, offset + length - 4) != crc(buffer, offset, length - 4)) {
            return -1;
        }
        byte expected = fillByte(sequence);
        for (long i = offset + 8; i < offset + length - 4; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, i) != expected) {
                return -1;
            }
        }
        return sequence;
    }

    static byte fillByte(long sequence) {
        return (byte) ((sequence * 0x9E3779B97F4A7C15L) >>> 56);
    }

    private static int crc(MemorySegment segment, long offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
