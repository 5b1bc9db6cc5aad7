package io.ringcap.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.DirectBuffer;

/**
 * Sums a frame a long at a time (and its last bytes one by one), so a benchmark reader loads every byte
 * it is handed: a reader that touches nothing would measure only the ring's bookkeeping.
 */
final class FrameSum {
    private FrameSum() {
    }

    static long sum(MemorySegment buffer, long offset, int length) {
        long sum = 0;
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            sum += buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + i);
        }
        for (; i < length; i++) {
            sum += buffer.get(ValueLayout.JAVA_BYTE, offset + i);
        }
        return sum;
    }

    static long sum(DirectBuffer buffer, int index, int length) {
        long sum = 0;
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            sum += buffer.getLong(index + i);
        }
        for (; i < length; i++) {
            sum += buffer.getByte(index + i);
        }
        return sum;
    }
}
