package io.ringcap.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A sink that owns one off-heap buffer, lends it over and over, and writes what it gets back to a channel. A
 * write the channel fails part way is resumed where the channel stopped at the next {@link #take}.
 */
final class ChannelSink implements OutputSink, AutoCloseable {
    private final WritableByteChannel channel;
    private final Arena arena;
    private final MemorySegment segment;
    // A view made once, so that a take allocates nothing.
    private final ByteBuffer view;
    /** Bytes of the segment the channel has already taken, when a take failed part way; else 0. */
    private int written;

    ChannelSink(final WritableByteChannel channel, final int capacity) {
        this.channel = channel;
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(capacity, Long.BYTES);
        this.view = segment.asByteBuffer();
    }

    @Override
    public MemorySegment lend() {
        return segment;
    }

    @Override
    public void take(final MemorySegment filled, final int length) throws IOException {
        view.limit(length).position(written);
        try {
            while (view.hasRemaining()) {
                channel.write(view);
            }
        } finally {
            written = view.position() == length ? 0 : view.position();
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
