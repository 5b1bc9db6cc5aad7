package io.ringcap.ring;

import java.lang.foreign.MemorySegment;

import static io.ringcap.ring.RecordDescriptor.*;

/**
 * A reusable view of the record a {@link RingReader} is delivering. Accessors read the shared ring on
 * each call and allocate nothing (but {@link #frame()}); see {@link RecordHandler} for validity.
 */
public final class RingRecord {
    private static final int UNCHECKED = 0;
    private static final int INTACT = 1;
    private static final int OVERWRITTEN = 2;

    private final MemorySegment data;
    private final RingHeader header;
    private final long capacity;
    private long position;
    private long offset;
    private int length;
    private long sequence;
    private int verdict;

    RingRecord(MemorySegment data, RingHeader header) {
        this.data = data;
        this.header = header;
        this.capacity = data.byteSize();
    }

    void wrap(long position, long offset, int length, long sequence) {
        this.position = position;
        this.offset = offset;
        this.length = length;
        this.sequence = sequence;
        this.verdict = UNCHECKED;
    }

    /** Position of the record in the ring's byte stream. */
    public long position() {
        return position;
    }

    /** Sequence number of the record: 0 for the first record ever written to the ring. */
    public long sequence() {
        return sequence;
    }

    /** Nanoseconds since the Unix epoch (see the ring's timestamp source). */
    public long timestampNanos() {
        return data.get(FIELD_LONG, offset + TIMESTAMP_OFFSET);
    }

    /** Source or interface the frame came from. */
    public int sourceId() {
        return data.get(FIELD_INT, offset + SOURCE_ID_OFFSET);
    }

    /** {@link RecordDescriptor} FLAG_* bits. */
    public int flags() {
        return data.get(FIELD_SHORT, offset + FLAGS_OFFSET) & 0xFFFF;
    }

    /** Bytes of frame in the ring. */
    public int capturedLength() {
        return length - HEADER_LENGTH;
    }

    /** Bytes the frame had on the wire. */
    public int originalLength() {
        return data.get(FIELD_INT, offset + ORIGINAL_LENGTH_OFFSET);
    }

    /** The ring's data region; the frame is at {@link #frameOffset()} for {@link #capturedLength()} bytes. */
    public MemorySegment buffer() {
        return data;
    }

    /** Offset of the frame's first byte in {@link #buffer()}. */
    public long frameOffset() {
        return offset + HEADER_LENGTH;
    }

    /** The frame as its own segment; convenient, but allocates a view object on each call. */
    public MemorySegment frame() {
        return data.asSlice(frameOffset(), capturedLength());
    }

    /**
     * Whether everything read from this record so far was intact: the writer has not begun to overwrite
     * it. Call after reading, before trusting what was read.
     */
    public boolean isIntact() {
        // Orders every read of the record before the read of the intent (seqlock validation).
        java.lang.invoke.VarHandle.loadLoadFence();
        boolean intact = header.tailIntent() - capacity <= position;
        verdict = intact ? INTACT : OVERWRITTEN;
        return intact;
    }

    /**
     * Whether the record counts as delivered: the handler's last {@link #isIntact()} answer if it asked,
     * so that reader and handler agree on every record; otherwise a check made now.
     */
    boolean confirmIntact() {
        return verdict == UNCHECKED ? isIntact() : verdict == INTACT;
    }
}
