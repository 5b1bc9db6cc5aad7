package io.ringcap.ring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Reads the lap-recovery index. The data region is cut into chunks of {@code 1 << chunkShift} bytes; the
 * writer stores in each chunk's entry the position of the first record that starts in it, on every lap.
 * A reader that was lapped cannot follow record lengths through overwritten data, so it looks up the
 * oldest chunk that is still intact and resumes at the record the entry names.
 *
 * <p>Entries hold full 64-bit positions, so an entry left from an earlier lap, or already written by a
 * later one, is recognised: it lies outside the chunk asked for.
 */
final class RingIndex {
    private static final VarHandle LONG = RingHeader.LONG;

    private RingIndex() {
    }

    /**
     * Position of the first record that starts in absolute chunk {@code chunk} on the lap that chunk belongs
     * to, or -1 if the entry does not belong to that lap (no record started there, or it was overwritten).
     */
    static long recordStartIn(MemorySegment index, long chunk, int chunkShift, long indexMask) {
        long entry = (long) LONG.getOpaque(index, (chunk & indexMask) * Long.BYTES);
        return (entry >>> chunkShift) == chunk && entry >= 0 ? entry : -1;
    }

    /**
     * The oldest record start a reader can resume at: the first indexed record at or after
     * {@code tailIntent - capacity} that was published before {@code tail}; {@code tail} itself (always a
     * record boundary) when there is none.
     */
    static long oldestRecordStart(MemorySegment index, long tailIntent, long tail, long capacity, int chunkShift,
        long indexMask) {
        long oldest = tailIntent - capacity;
        if (oldest <= 0) {
            return 0;
        }
        long chunkSize = 1L << chunkShift;
        for (long chunk = (oldest + chunkSize - 1) >>> chunkShift; (chunk << chunkShift) < tail; chunk++) {
            long start = recordStartIn(index, chunk, chunkShift, indexMask);
            if (start >= 0) {
                return Math.min(start, tail);
            }
        }
        return tail;
    }

    /**
     * Position of the last frame record that starts before {@code tail}, or -1 if none is found within one
     * ring's length: walk forward from the last indexed record start before the tail, going back a chunk at
     * a time while the walk finds no frame (a chunk spanned by one big record has no entry of its own). Each
     * walk stops where the previous one began, which it found to hold no frame, and at a length no record can
     * have: a damaged ring or one being overwritten ends the walk instead of sending it round for ever.
     */
    static long lastFrameRecordStart(MemorySegment index, MemorySegment data, long tail, int chunkShift,
        long indexMask) {
        long capacity = data.byteSize();
        long mask = capacity - 1;
        long walkedFrom = tail;
        for (long chunk = (tail - 1) >>> chunkShift; chunk >= 0 && tail - (chunk << chunkShift) <= capacity; chunk--) {
            long start = recordStartIn(index, chunk, chunkShift, indexMask);
            if (start < 0) {
                continue;
            }
            long last = -1;
            for (long p = start; p < walkedFrom; ) {
                long offset = p & mask;
                if (data.get(RecordDescriptor.FIELD_SHORT, offset + RecordDescriptor.TYPE_OFFSET) == RecordDescriptor.TYPE_FRAME) {
                    last = p;
                }
                int length = data.get(RecordDescriptor.FIELD_INT, offset + RecordDescriptor.LENGTH_OFFSET);
                if (length < RecordDescriptor.ALIGNMENT) {
                    break;
                }
                p += RecordDescriptor.align(length);
            }
            if (last >= 0) {
                return last;
            }
            walkedFrom = start;
        }
        return -1;
    }
}
