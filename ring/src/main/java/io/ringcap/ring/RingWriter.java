package io.ringcap.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.ringcap.ring.RecordDescriptor.*;

/**
 * The single writer of a ring. It never waits for readers: it overwrites the oldest data, and readers that
 * were still on it learn that they were lapped.
 *
 * <p>Records are written with {@link #write} (copy a frame in) or {@link #claim} + {@link #commit} (let
 * a source fill the ring directly), and become visible to readers only at {@link #publish}, which
 * publishes every record committed since the last call with one release store. A record is written as:
 * <ol>
 *   <li>announce: if the record would end past the announced tail intent, store a new intent (release)
 *       followed by a store-store fence, so no byte of the record can become visible before the intent
 *       that tells readers the bytes it overwrites are going;</li>
 *   <li>write the header and frame with plain stores;</li>
 *   <li>publish: store the tail with release semantics.</li>
 * </ol>
 * The intent is announced {@link #intentLookahead} bytes ahead, so in the steady state there is one
 * intent store per lookahead, not per record. Not thread-safe: one thread writes a ring.
 *
 * <p>A receive loop should have {@link #write} inlined, as the capture sources' loops do. C2 declines to when it
 * compiled {@code write} on its own first ("already compiled into a big method": its 3.7 KB of machine code
 * is over {@code InlineSmallCode}), and a call costs a 256-byte record 22-32 ns instead of 18-19 (JMH, 64 MiB
 * ring). {@code -XX:+PrintInlining} shows which; {@code -XX:CompileCommand=inline,io.ringcap.ring.RingWriter::write}
 * settles it.
 */
public final class RingWriter implements AutoCloseable {
    static {
        // complete() writes header fields two at a time as little-endian longs.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("ringcap's ring needs a little-endian host (x86-64, arm64)");
        }
    }

    private static final VarHandle LONG = RingHeader.LONG;
    private static final long MAX_INTENT_LOOKAHEAD = 1L << 20;

    private final RingFile file;
    private final RingHeader header;
    private final MemorySegment data;
    private final MemorySegment index;
    private final long capacity;
    private final long mask;
    private final int indexChunkShift;
    private final long indexMask;
    private final int maxCapturedLength;
    private final long intentLookahead;
    private final long epoch;

    private long position;
    private long publishedPosition;
    private long announcedIntent;
    private long lastIndexedChunk = -1;
    private long nextSequence;
    private long bytesWritten;
    private long truncatedRecords;
    private long claimedPosition = -1;
    private int claimedLength;

    private RingWriter(RingFile file, TimestampSource timestampSource, String sourceDescription) {
        this.file = file;
        this.header = file.header();
        this.data = file.data();
        this.index = file.index();
        this.capacity = header.capacity();
        this.mask = capacity - 1;
        this.indexChunkShift = header.indexChunkShift();
        this.indexMask = (capacity >>> indexChunkShift) - 1;
        this.maxCapturedLength = header.maxCapturedLength();
        this.intentLookahead = Math.min(capacity >>> 6, MAX_INTENT_LOOKAHEAD);

        this.position = header.tail();
        this.publishedPosition = position;
        this.announcedIntent = Math.max(header.tailIntent(), position);
        this.nextSequence = sequenceAfterLastRecord(position);
        this.bytesWritten = header.bytesWritten();
        this.truncatedRecords = header.truncatedRecords();
        header.counters(nextSequence, bytesWritten, truncatedRecords);

        ProcessHandle self = ProcessHandle.current();
        long startMillis = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        this.epoch = header.epoch() + 1;
        header.writerStarted(epoch, self.pid(), startMillis, timestampSource, sourceDescription,
            System.currentTimeMillis() * 1_000_000L);
    }

    /**
     * Opens the ring at {@code path} for writing. A ring written before continues where its last writer
     * published (positions and sequence numbers go on) in a new epoch.
     */
    public static RingWriter open(Path path, TimestampSource timestampSource, String sourceDescription) {
        RingFile file = RingFile.openForWriting(path);
        try {
            return new RingWriter(file, timestampSource, sourceDescription);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** A writer of {@code file} as it is, for a ring in memory ({@link RingFile#inMemory}). */
    static RingWriter over(RingFile file, TimestampSource timestampSource, String sourceDescription) {
        return new RingWriter(file, timestampSource, sourceDescription);
    }

    /**
     * Claims room for a frame of up to {@code maxLength} bytes, for a source that fills the ring directly.
     * Returns the offset in {@link #buffer()} where the frame's bytes go; then call {@link #commit}. A claim
     * that is not committed is simply reused by the next claim.
     */
    public long claim(int maxLength) {
        if (maxLength < 0 || maxLength > maxCapturedLength) {
            throw new IllegalArgumentException("frame length " + maxLength + " is outside 0.." + maxCapturedLength);
        }
        long offset = reserve(alignedRecordLength(maxLength));
        claimedPosition = position;
        claimedLength = maxLength;
        return offset + HEADER_LENGTH;
    }

    /**
     * Completes the claimed record with {@code capturedLength} bytes (at most what was claimed) and its
     * metadata. It becomes visible at the next {@link #publish}.
     */
    public void commit(int capturedLength, int originalLength, long timestampNanos, int sourceId, int flags) {
        if (claimedPosition != position) {
            throw new IllegalStateException("commit without a claim");
        }
        if (capturedLength < 0 || capturedLength > claimedLength) {
            throw new IllegalArgumentException("captured length " + capturedLength + " exceeds the claim of "
                + claimedLength);
        }
        complete(position & mask, capturedLength, originalLength, timestampNanos, sourceId, flags);
    }

    /**
     * Copies a frame into the ring as one record (unpublished until {@link #publish}). A frame longer than
     * the ring's maximum is cut to it and flagged {@link RecordDescriptor#FLAG_TRUNCATED}.
     */
    public void write(MemorySegment frame, long frameOffset, int capturedLength, int originalLength,
        long timestampNanos, int sourceId, int flags) {
        int length = capturedLength;
        if (length > maxCapturedLength || length < 0) {
            length = cutToMax(length);
            flags |= FLAG_TRUNCATED;
        }
        long offset = reserve(alignedRecordLength(length));
        MemorySegment.copy(frame, frameOffset, data, offset + HEADER_LENGTH, length);
        complete(offset, length, originalLength, timestampNanos, sourceId, flags);
    }

    private int cutToMax(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("frame length " + length + " is negative");
        }
        return maxCapturedLength;
    }

    /**
     * Makes room for a record of {@code recordLength} bytes at the write position, first putting a padding
     * record at the end of the buffer if it would not fit there, and announces the bytes it will overwrite;
     * returns the record's offset in the buffer.
     */
    private long reserve(long recordLength) {
        long offset = position & mask;
        if (offset + recordLength > capacity) {
            return padToStart(offset, recordLength);
        }
        announce(position + recordLength);
        return offset;
    }

    /** Fills the end of the buffer from {@code offset} with a padding record; the record goes at offset 0. */
    private long padToStart(long offset, long recordLength) {
        long paddingLength = capacity - offset;
        announce(position + paddingLength + recordLength);
        data.set(FIELD_INT, offset + LENGTH_OFFSET, (int) paddingLength);
        data.set(FIELD_SHORT, offset + TYPE_OFFSET, TYPE_PADDING);
        indexRecordStart(position);
        position += paddingLength;
        return 0;
    }

    /** Writes the header of the record at {@code offset} (the write position) and moves past it. */
    private void complete(long offset, int capturedLength, int originalLength, long timestampNanos, int sourceId,
        int flags) {
        if ((flags & FLAG_TRUNCATED) != 0) {
            truncatedRecords++;
        }
        // Four 8-byte stores instead of seven: (length, type, flags) and (original length, source id) are each
        // one little-endian long, laid out as RecordDescriptor draws them. FIELD_LONG: see RecordDescriptor.
        data.set(FIELD_LONG, offset + LENGTH_OFFSET, Integer.toUnsignedLong(HEADER_LENGTH + capturedLength)
            | (long) TYPE_FRAME << 32 | (long) (flags & 0xFFFF) << 48);
        data.set(FIELD_LONG, offset + ORIGINAL_LENGTH_OFFSET, Integer.toUnsignedLong(originalLength)
            | (long) sourceId << 32);
        data.set(FIELD_LONG, offset + SEQUENCE_OFFSET, nextSequence);
        data.set(FIELD_LONG, offset + TIMESTAMP_OFFSET, timestampNanos);
        indexRecordStart(position);
        // The claim, if any, is spent: position moves past it, so commit's check fails until the next claim.
        position += alignedRecordLength(capturedLength);
        nextSequence++;
        bytesWritten += capturedLength;
    }

    /** Makes every record committed since the last call visible to readers, with one release store. */
    public void publish() {
        if (position != publishedPosition) {
            header.counters(nextSequence, bytesWritten, truncatedRecords);
            header.tail(position);
            publishedPosition = position;
        }
    }

    /** Records a sign of life for readers that watch the writer; call it about once a millisecond or more. */
    public void heartbeat(long nowNanos) {
        header.heartbeatNanos(nowNanos);
    }

    /**
     * Carries the source's own counters (NIC/kernel received and dropped) into the header. Unlike every
     * other method, this one may be called from another thread than the writing one (a housekeeping thread
     * that reads the kernel's counters): it stores only header fields nothing else writes.
     */
    public void sourceCounters(long received, long drops) {
        header.sourceCounters(received, drops);
    }

    /**
     * Carries the interface's own counters since the capture started (received, dropped by the driver or NIC)
     * into the header; like {@link #sourceCounters}, for the housekeeping thread.
     */
    public void interfaceCounters(long received, long drops) {
        header.interfaceCounters(received, drops);
    }

    /** States where the timestamps come from, once the source knows (e.g. after enabling hardware stamps). */
    public void timestampSource(TimestampSource source) {
        header.timestampSource(source);
    }

    /**
     * Touches every page of the data region (reading and writing back each page's first byte, so records
     * still in the ring survive), so the first lap does not pay for page faults.
     */
    public void prefault() {
        long pageSize = header.pageSize();
        for (long offset = 0; offset < capacity; offset += pageSize) {
            data.set(ValueLayout.JAVA_BYTE, offset, data.get(ValueLayout.JAVA_BYTE, offset));
        }
    }

    /** The data region, for sources that fill claimed records directly. */
    public MemorySegment buffer() {
        return data;
    }

    /** The header, for counters and status. */
    public RingHeader header() {
        return header;
    }

    /** Position at which the next record starts. */
    public long position() {
        return position;
    }

    /** Sequence number the next record gets. */
    public long nextSequence() {
        return nextSequence;
    }

    /** This writer's epoch. */
    public long epoch() {
        return epoch;
    }

    /** Largest frame a record can carry. */
    public int maxCapturedLength() {
        return maxCapturedLength;
    }

    /** Bytes the tail intent runs ahead of the write position. */
    public long intentLookahead() {
        return intentLookahead;
    }

    /** Publishes what is committed, marks the ring closed and unmaps it. */
    @Override
    public void close() {
        try {
            publish();
            header.writerState(RingDescriptor.STATE_CLOSED);
        } finally {
            file.close();
        }
    }

    private void announce(long end) {
        if (end > announcedIntent) {
            announceAhead(end);
        }
    }

    private void announceAhead(long end) {
        announcedIntent = end + intentLookahead;
        header.tailIntent(announcedIntent);
        // The record's bytes must not become visible before the intent that warns readers about them.
        VarHandle.storeStoreFence();
    }

    private void indexRecordStart(long recordPosition) {
        long chunk = recordPosition >>> indexChunkShift;
        if (chunk != lastIndexedChunk) {
            index(chunk, recordPosition);
        }
    }

    private void index(long chunk, long recordPosition) {
        LONG.setOpaque(index, (chunk & indexMask) * Long.BYTES, recordPosition);
        lastIndexedChunk = chunk;
    }

    /**
     * The sequence number after the last frame record before {@code tail}: the truth is in the records, not
     * in the counters, which a writer killed between two stores may have left ahead of the tail.
     */
    private long sequenceAfterLastRecord(long tail) {
        if (tail == 0) {
            return 0;
        }
        long last = RingIndex.lastFrameRecordStart(index, data, tail, indexChunkShift, indexMask);
        if (last < 0) {
            throw new RingException("ring " + file.path() + " is damaged: no record found before its tail " + tail
                + ": recreate the ring");
        }
        return data.get(FIELD_LONG, (last & mask) + SEQUENCE_OFFSET) + 1;
    }
}
