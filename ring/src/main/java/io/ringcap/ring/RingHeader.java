package io.ringcap.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static io.ringcap.ring.RingDescriptor.*;

/**
 * Typed access to a ring's header page. Readers use the getters; the single writer also uses the
 * package-private setters. Every read of a field the writer changes while running is an acquire (or
 * opaque) load, every write a release (or opaque) store, as noted per method.
 */
public final class RingHeader {
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment header;

    RingHeader(MemorySegment header) {
        this.header = header;
    }

    public long magic() {
        return header.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
    }

    /** The format version; 0 while the ring is still being created (it is written last). */
    public int version() {
        return (int) INT.getAcquire(header, (long) VERSION_OFFSET);
    }

    /** Page size of the memory backing the ring: 4096, or the huge page size on hugetlbfs. */
    public int pageSize() {
        return header.get(ValueLayout.JAVA_INT, PAGE_SIZE_OFFSET);
    }

    /** Bytes in the data region, a power of two. */
    public long capacity() {
        return header.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
    }

    public long dataOffset() {
        return header.get(ValueLayout.JAVA_LONG, DATA_OFFSET_OFFSET);
    }

    public long indexOffset() {
        return header.get(ValueLayout.JAVA_LONG, INDEX_OFFSET_OFFSET);
    }

    public int indexChunkShift() {
        return header.get(ValueLayout.JAVA_INT, INDEX_CHUNK_SHIFT_OFFSET);
    }

    /** Largest frame a record can carry; longer frames are truncated by the writer. */
    public int maxCapturedLength() {
        return header.get(ValueLayout.JAVA_INT, MAX_CAPTURED_LENGTH_OFFSET);
    }

    public long creationTimeNanos() {
        return header.get(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET);
    }

    /** Incremented by every writer start; a reader that sees it change knows the writer restarted. */
    public long epoch() {
        return (long) LONG.getAcquire(header, (long) EPOCH_OFFSET);
    }

    public long writerPid() {
        return (long) LONG.getOpaque(header, (long) WRITER_PID_OFFSET);
    }

    /** Start time of the writer process in ms since the epoch, to tell a reused pid from the writer. */
    public long writerStartTimeMillis() {
        return (long) LONG.getOpaque(header, (long) WRITER_START_TIME_OFFSET);
    }

    public TimestampSource timestampSource() {
        return TimestampSource.ofCode((int) INT.getOpaque(header, (long) TIMESTAMP_SOURCE_OFFSET));
    }

    /** One of {@link RingDescriptor#STATE_NEW}, {@code STATE_OPEN}, {@code STATE_CLOSED}. */
    public int writerState() {
        return (int) INT.getAcquire(header, (long) WRITER_STATE_OFFSET);
    }

    /** What the writer captures from, e.g. "afpacket eth0 239.1.1.1:5000". */
    public String sourceDescription() {
        int length = Math.clamp(header.get(ValueLayout.JAVA_INT, SOURCE_DESCRIPTION_LENGTH_OFFSET),
            0, SOURCE_DESCRIPTION_MAX_LENGTH);
        byte[] bytes = header.asSlice(SOURCE_DESCRIPTION_OFFSET, length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Last sign of life of the writer, ns since the epoch. */
    public long heartbeatNanos() {
        return (long) LONG.getOpaque(header, (long) HEARTBEAT_OFFSET);
    }

    /** Position up to which the writer may be writing; data before {@code tailIntent - capacity} is gone. */
    public long tailIntent() {
        return (long) LONG.getVolatile(header, (long) TAIL_INTENT_OFFSET);
    }

    /** Position up to which records are published. */
    public long tail() {
        return (long) LONG.getAcquire(header, (long) TAIL_OFFSET);
    }

    /** Frame records published since the ring was created. */
    public long recordsWritten() {
        return (long) LONG.getOpaque(header, (long) RECORDS_WRITTEN_OFFSET);
    }

    /** Captured frame bytes published since the ring was created. */
    public long bytesWritten() {
        return (long) LONG.getOpaque(header, (long) BYTES_WRITTEN_OFFSET);
    }

    /** Packets the source (NIC, kernel socket) reported dropped before they reached the writer. */
    public long sourceDrops() {
        return (long) LONG.getOpaque(header, (long) SOURCE_DROPS_OFFSET);
    }

    /** Packets the source reported received, where it counts them. */
    public long sourceReceived() {
        return (long) LONG.getOpaque(header, (long) SOURCE_RECEIVED_OFFSET);
    }

    /**
     * Packets the capture's interface received since the capture started, every packet on the wire and not
     * just the captured ones, or -1 where the source does not know (no interface, an older writer).
     */
    public long interfaceReceived() {
        return (long) LONG.getOpaque(header, (long) INTERFACE_RECEIVED_OFFSET);
    }

    /** Packets the interface's driver or NIC dropped since the capture started, or -1 where unknown. */
    public long interfaceDrops() {
        return (long) LONG.getOpaque(header, (long) INTERFACE_DROPS_OFFSET);
    }

    /** Records whose frame was longer than the ring's maximum and was cut. */
    public long truncatedRecords() {
        return (long) LONG.getOpaque(header, (long) TRUNCATED_RECORDS_OFFSET);
    }

    void initialise(long capacity, int pageSize, long dataOffset, long creationTimeNanos) {
        header.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        header.set(ValueLayout.JAVA_INT, PAGE_SIZE_OFFSET, pageSize);
        header.set(ValueLayout.JAVA_LONG, CAPACITY_OFFSET, capacity);
        header.set(ValueLayout.JAVA_LONG, DATA_OFFSET_OFFSET, dataOffset);
        header.set(ValueLayout.JAVA_LONG, INDEX_OFFSET_OFFSET, HEADER_LENGTH);
        header.set(ValueLayout.JAVA_INT, INDEX_CHUNK_SHIFT_OFFSET, RingDescriptor.indexChunkShift(capacity));
        header.set(ValueLayout.JAVA_INT, MAX_CAPTURED_LENGTH_OFFSET, RingDescriptor.maxCapturedLength(capacity));
        header.set(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET, creationTimeNanos);
        // Readers treat a ring without a version as "not ready": everything above must be visible first.
        INT.setRelease(header, (long) VERSION_OFFSET, FORMAT_VERSION);
    }

    void writerStarted(long epoch, long pid, long startTimeMillis, TimestampSource source, String description,
        long nowNanos) {
        byte[] bytes = description.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, SOURCE_DESCRIPTION_MAX_LENGTH);
        MemorySegment.copy(bytes, 0, header, ValueLayout.JAVA_BYTE, SOURCE_DESCRIPTION_OFFSET, length);
        header.set(ValueLayout.JAVA_INT, SOURCE_DESCRIPTION_LENGTH_OFFSET, length);
        LONG.setOpaque(header, (long) WRITER_PID_OFFSET, pid);
        LONG.setOpaque(header, (long) WRITER_START_TIME_OFFSET, startTimeMillis);
        INT.setOpaque(header, (long) TIMESTAMP_SOURCE_OFFSET, source.code());
        LONG.setOpaque(header, (long) HEARTBEAT_OFFSET, nowNanos);
        interfaceCounters(-1, -1);
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, STATE_OPEN);
        LONG.setRelease(header, (long) EPOCH_OFFSET, epoch);
    }

    void writerState(int state) {
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, state);
    }

    void timestampSource(TimestampSource source) {
        INT.setOpaque(header, (long) TIMESTAMP_SOURCE_OFFSET, source.code());
    }

    void heartbeatNanos(long nowNanos) {
        LONG.setOpaque(header, (long) HEARTBEAT_OFFSET, nowNanos);
    }

    void tailIntent(long position) {
        LONG.setRelease(header, (long) TAIL_INTENT_OFFSET, position);
    }

    void tail(long position) {
        LONG.setRelease(header, (long) TAIL_OFFSET, position);
    }

    /**
     * Plain stores: they are followed by the tail's release store, which orders them for readers, and
     * opaque stores measured 6-9 ns more per publish (JDK 25, x86-64). Aligned longs are written whole; the
     * fields are aligned by the layout, so the unaligned layout only spares the check of it.
     */
    void counters(long records, long bytes, long truncated) {
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, RECORDS_WRITTEN_OFFSET, records);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, BYTES_WRITTEN_OFFSET, bytes);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, TRUNCATED_RECORDS_OFFSET, truncated);
    }

    void sourceCounters(long received, long drops) {
        LONG.setOpaque(header, (long) SOURCE_RECEIVED_OFFSET, received);
        LONG.setOpaque(header, (long) SOURCE_DROPS_OFFSET, drops);
    }

    void interfaceCounters(long received, long drops) {
        LONG.setOpaque(header, (long) INTERFACE_RECEIVED_OFFSET, received);
        LONG.setOpaque(header, (long) INTERFACE_DROPS_OFFSET, drops);
    }
}
