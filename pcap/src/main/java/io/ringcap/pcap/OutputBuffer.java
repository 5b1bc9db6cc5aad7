package io.ringcap.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The segment a writer fills with whole blocks: lent by an {@link OutputSink} and handed back to it when the
 * next block does not fit or on {@link #flush}. Values are little-endian whatever the host, so files are
 * identical everywhere; every platform ringcap runs on is little-endian, so that is also host order.
 *
 * <p>Not thread-safe: one writer thread owns it.
 */
final class OutputBuffer implements AutoCloseable {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final OutputSink sink;
    /** The sink this buffer made for itself, which it frees on close; null for a sink the caller gave. */
    private final ChannelSink ownSink;
    /** The lent segment, or {@link MemorySegment#NULL} (no room at all) when none is held. */
    private MemorySegment segment;
    private int capacity;
    private int limit;
    /** Length of the block last committed, while it can still be retracted; else 0. */
    private int lastLength;
    private long taken;

    /** Buffers for {@code channel} in a buffer of its own of {@code capacity} bytes, lent at once. */
    OutputBuffer(final WritableByteChannel channel, final int capacity) {
        this.ownSink = new ChannelSink(channel, capacity);
        this.sink = ownSink;
        hold(ownSink.lend());
    }

    /** Buffers in segments lent by {@code sink}; the first is asked for when the first block is claimed. */
    OutputBuffer(final OutputSink sink) {
        this.sink = sink;
        this.ownSink = null;
        hold(MemorySegment.NULL);
    }

    /** The segment to put blocks in; valid from a {@link #claim} to the next. */
    MemorySegment segment() {
        return segment;
    }

    /**
     * Makes room for a block of {@code length} bytes: hands the segment back to the sink and borrows the next
     * if the block does not fit in what is left of it.
     *
     * @return the offset in {@link #segment()} where the block must be put.
     * @throws IllegalArgumentException if the block is larger than a whole segment.
     */
    int claim(final int length) throws IOException {
        if (length > capacity - limit) {
            renew(length);
        }
        return limit;
    }

    private void renew(final int length) throws IOException {
        flush();
        hold(sink.lend());
        if (length > capacity) {
            throw new IllegalArgumentException(
                "a block of " + length + " bytes does not fit the writer's buffer of " + capacity + " bytes");
        }
    }

    private void hold(final MemorySegment lent) {
        segment = lent;
        capacity = (int) Math.min(lent.byteSize(), Integer.MAX_VALUE);
    }

    /** Publishes a block written at the offset {@link #claim} returned. */
    void commit(final int length) {
        limit += length;
        lastLength = length;
    }

    /** Takes back the block last committed; the segment still holds it, since only claim and flush hand it over. */
    void retract() {
        if (lastLength == 0) {
            throw new IllegalStateException("only the block last written, before a flush, can be retracted");
        }
        limit -= lastLength;
        lastLength = 0;
    }

    long bytesWritten() {
        return taken + limit;
    }

    /**
     * Hands the segment held, with everything in it, back to the sink. When the sink throws, the segment and its
     * bytes stay here and the next flush hands them over again.
     */
    void flush() throws IOException {
        lastLength = 0;
        if (segment == MemorySegment.NULL) {
            return;
        }
        sink.take(segment, limit);
        taken += limit;
        limit = 0;
        hold(MemorySegment.NULL);
    }

    /** Frees the buffer of a channel; a caller's sink is left as it is. */
    @Override
    public void close() {
        if (ownSink != null) {
            ownSink.close();
        }
    }
}
