package io.ringcap.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * One large off-heap buffer that writers fill with whole blocks and hand to a channel in big
 * sequential writes. Values are little-endian whatever the host, so files are identical
 * everywhere; every platform ringcap runs on is little-endian, so that is also host order.
 *
 * <p>Not thread-safe: one writer thread owns it.
 */
final class OutputBuffer implements AutoCloseable {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final WritableByteChannel channel;
    private final Arena arena;
    private final MemorySegment segment;
    // A view made once, so that a flush allocates nothing.
    private final ByteBuffer view;
    private int limit;
    private int flushedUpTo;
    private long flushedBytes;

    OutputBuffer(final WritableByteChannel channel, final int capacity) {
        this.channel = channel;
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(capacity, Long.BYTES);
        this.view = segment.asByteBuffer();
    }

    MemorySegment segment() {
        return segment;
    }

    int capacity() {
        return (int) segment.byteSize();
    }

    /**
     * Makes room for a block of {@code length} bytes, flushing what is buffered if it does not fit.
     *
     * @return the offset in {@link #segment()} where the block must be put.
     */
    int claim(final int length) throws IOException {
        if (length > capacity() - limit) {
            flush();
        }
        return limit;
    }

    /** Publishes a block written at the offset {@link #claim} returned. */
    void commit(final int length) {
        limit += length;
    }

    long bytesWritten() {
        return flushedBytes + (limit - flushedUpTo);
    }

    /**
     * Writes everything buffered. When the channel fails part way, what was not written stays
     * buffered and the next flush resumes from there.
     */
    void flush() throws IOException {
        view.limit(limit).position(flushedUpTo);
        try {
            while (view.hasRemaining()) {
                flushedBytes += channel.write(view);
            }
        } finally {
            flushedUpTo = view.position();
        }
        limit = 0;
        flushedUpTo = 0;
    }

    @Override
    public void close() {
        arena.close();
    }
}
