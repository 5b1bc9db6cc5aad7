package io.ringcap.cli;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingRecord;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One record as one line of text, e.g.
 * {@code 2026-11-25T14:30:00.123456789Z seq=42 src=0 len=60/60 flags=hw-timestamp 01005e010101...}:
 * grep-able, and sortable by time as plain text.
 */
final class RecordLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int[] FLAG_BITS = {
        RecordDescriptor.FLAG_HARDWARE_TIMESTAMP, RecordDescriptor.FLAG_TRUNCATED,
        RecordDescriptor.FLAG_CHECKSUM_BAD, RecordDescriptor.FLAG_SYNTHESIZED};
    private static final String[] FLAG_NAMES = {"hw-timestamp", "truncated", "checksum-bad", "synthesized"};

    private RecordLine() {
    }

    /** Appends {@code record}, with at most {@code hexBytes} of its frame in hex, to {@code line}. */
    static void append(StringBuilder line, RingRecord record, int hexBytes) {
        line.append(UtcTime.format(record.timestampNanos()))
            .append(" seq=").append(record.sequence())
            .append(" src=").append(record.sourceId())
            .append(" len=").append(record.capturedLength()).append('/').append(record.originalLength())
            .append(" flags=");
        appendFlags(line, record.flags());
        int count = Math.min(hexBytes, record.capturedLength());
        if (count > 0) {
            line.append(' ');
            MemorySegment buffer = record.buffer();
            long offset = record.frameOffset();
            for (int i = 0; i < count; i++) {
                int b = buffer.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
                line.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
            }
        }
    }

    static void appendFlags(StringBuilder line, int flags) {
        if (flags == 0) {
            line.append('-');
            return;
        }
        String separator = "";
        int unknown = flags;
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                line.append(separator).append(FLAG_NAMES[i]);
                separator = ",";
                unknown &= ~FLAG_BITS[i];
            }
        }
        if (unknown != 0) {
            // Flags a newer writer knows of: show the bits rather than hide them.
            line.append(separator).append("0x").append(Integer.toHexString(unknown));
        }
    }
}
