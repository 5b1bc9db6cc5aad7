package io.ringcap.ring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static io.ringcap.ring.RecordDescriptor.*;

/**
 * Reads a ring from any process, with a read-only mapping; any number of readers may come and go without
 * the writer knowing. {@link #poll} delivers published records in order, zero-copy and without
 * allocating.
 *
 * <p>Torn reads: before handing a record over, the reader reads its header, then (after a load-load
 * fence) the writer's tail intent; if the intent shows the writer may already be overwriting the record,
 * the reader was lapped. It then resumes at the oldest record still intact, found through the ring's
 * index, and reports exactly what it lost: records from the sequence numbers, bytes from the positions.
 * Not thread-safe: one thread polls a reader.
 */
public final class RingReader implements AutoCloseable {
    /** Where a new reader begins. */
    public enum Start {
        /** At the oldest record still in the ring. */
        OLDEST,
        /** At the last record published so far (or the next one, in an empty ring). */
        LAST,
        /** At the next record the writer publishes. */
        NEWEST
    }

    private final RingFile file;
    private final RingHeader header;
    private final MemorySegment data;
    private final MemorySegment index;
    private final long capacity;
    private final long mask;
    private final int indexChunkShift;
    private final long indexMask;
    private final int maxRecordLength;
    private final RingRecord record;

    private long epoch;
    private long cursor;
    private long expectedSequence = -1;
    private long lossStartPosition = -1;
    private long deliveredRecords;
    private long deliveredBytes;
    private long lostRecords;
    private long lostBytes;
    private long laps;

    private RingReader(RingFile file, Start start) {
        this.file = file;
        this.header = file.header();
        this.data = file.data();
        this.index = file.index();
        this.capacity = header.capacity();
        this.mask = capacity - 1;
        this.indexChunkShift = header.indexChunkShift();
        this.indexMask = (capacity >>> indexChunkShift) - 1;
        this.maxRecordLength = HEADER_LENGTH + header.maxCapturedLength();
        this.record = new RingRecord(data, header);
        this.epoch = header.epoch();
        this.cursor = switch (start) {
            case OLDEST -> oldestRecordStart();
            case LAST -> lastRecordStart();
            case NEWEST -> header.tail();
        };
        // Position 0 always holds sequence 0 (positions and sequences go on across writer restarts), so a
        // reader starting there can count a loss even before its first record.
        this.expectedSequence = cursor == 0 ? 0 : -1;
    }

    /** Opens the ring at {@code path} read-only and positions the reader at {@code start}. */
    public static RingReader open(Path path, Start start) {
        RingFile file = RingFile.openForReading(path);
        try {
            return new RingReader(file, start);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** A reader of {@code file}, which stays open, for a ring in memory ({@link RingFile#inMemory}). */
    static RingReader over(RingFile file, Start start) {
        return new RingReader(file, start);
    }

    /**
     * Delivers up to {@code limit} published records to {@code handler}; returns how many were delivered
     * (0 when there is nothing new). Losses and writer restarts are reported to the handler as they are
     * found.
     */
    public int poll(RecordHandler handler, int limit) {
        long currentEpoch = header.epoch();
        if (currentEpoch != epoch) {
            if (epoch != 0) {
                handler.onWriterRestart(epoch, currentEpoch);
            }
            epoch = currentEpoch;
        }
        long tail = header.tail();
        int delivered = 0;
        while (delivered < limit && cursor < tail) {
            long offset = cursor & mask;
            int length = data.get(FIELD_INT, offset + LENGTH_OFFSET);
            short type = data.get(FIELD_SHORT, offset + TYPE_OFFSET);
            long sequence = type == TYPE_FRAME ? data.get(FIELD_LONG, offset + SEQUENCE_OFFSET) : -1;
            VarHandle.loadLoadFence();
            if (header.tailIntent() - capacity > cursor) {
                lapped();
                continue;
            }
            if (type == TYPE_PADDING && length > 0 && offset + length == capacity) {
                cursor += length;
                continue;
            }
            if (type != TYPE_FRAME || length < HEADER_LENGTH || length > maxRecordLength) {
                throw new RingException("ring " + file.path() + " holds a damaged record at position " + cursor
                    + " (type " + type + ", length " + length + "): recreate the ring");
            }
            if (expectedSequence >= 0 && sequence != expectedSequence) {
                reportLoss(handler, sequence);
            }
            lossStartPosition = -1;
            record.wrap(cursor, offset, length, sequence);
            handler.onRecord(record);
            if (!record.confirmIntact()) {
                lapped();
                continue;
            }
            cursor += align(length);
            expectedSequence = sequence + 1;
            deliveredRecords++;
            deliveredBytes += length - HEADER_LENGTH;
            delivered++;
        }
        return delivered;
    }

    private void lapped() {
        if (lossStartPosition < 0) {
            lossStartPosition = cursor;
        }
        laps++;
        cursor = oldestRecordStart();
    }

    private void reportLoss(RecordHandler handler, long sequence) {
        long records = sequence - expectedSequence;
        long bytes = cursor - (lossStartPosition >= 0 ? lossStartPosition : cursor);
        lostRecords += records;
        lostBytes += bytes;
        expectedSequence = sequence;
        lossStartPosition = -1;
        handler.onLoss(records, bytes);
    }

    private long lastRecordStart() {
        long tail = header.tail();
        long last = tail == 0 ? -1 : RingIndex.lastFrameRecordStart(index, data, tail, indexChunkShift, indexMask);
        return last >= 0 ? last : tail;
    }

    private long oldestRecordStart() {
        long tail = header.tail();
        return RingIndex.oldestRecordStart(index, header.tailIntent(), tail, capacity, indexChunkShift, indexMask);
    }

    /** Position of the next record this reader will read. */
    public long position() {
        return cursor;
    }

    /**
     * Moves the reader to {@code position}, which must be a record start this reader or another got from
     * {@link RingRecord#position()} (a recorder resuming after a restart). If that record is gone by the
     * next poll, the reader is lapped and reports the loss, counted from {@code expectedSequence}.
     */
    public void seek(long position, long expectedSequence) {
        if (position < 0 || position > header.tail() || (position & (ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("position " + position + " is not a published record start of this ring");
        }
        this.cursor = position;
        this.expectedSequence = expectedSequence;
        this.lossStartPosition = -1;
    }

    /** Sequence number the next record should have, or -1 before the first record. */
    public long expectedSequence() {
        return expectedSequence;
    }

    public long deliveredRecords() {
        return deliveredRecords;
    }

    /** Frame bytes delivered. */
    public long deliveredBytes() {
        return deliveredBytes;
    }

    /** Records lost to laps, exact. */
    public long lostRecords() {
        return lostRecords;
    }

    /** Ring bytes (headers and padding included) lost to laps, exact. */
    public long lostBytes() {
        return lostBytes;
    }

    /** Times the writer lapped this reader. */
    public long laps() {
        return laps;
    }

    /** The epoch this reader last saw. */
    public long epoch() {
        return epoch;
    }

    public RingHeader header() {
        return header;
    }

    @Override
    public void close() {
        file.close();
    }
}
