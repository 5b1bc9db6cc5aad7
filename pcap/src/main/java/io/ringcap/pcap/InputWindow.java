package io.ringcap.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A bounded window onto a channel, for readers that look at one block at a time. The window
 * starts at the current block and holds at least what {@link #request} asked for; it reads ahead
 * in big reads, and grows only as far as data actually arrives, never beyond {@code maxLength}.
 * So a length field claiming gigabytes costs nothing until the bytes are there, and a file of
 * any size is read in bounded memory.
 *
 * <p>Offsets into {@link #segment()} are from {@link #start()}; any {@link #request} may move
 * or replace the segment, invalidating earlier offsets and slices.
 */
final class InputWindow {
    private static final int INITIAL_CAPACITY = 1024 * 1024;
    private static final int SMALLEST_CAPACITY = 4096;

    private final ReadableByteChannel channel;
    private final long endOffset;
    private ByteBuffer buffer;
    private MemorySegment segment;
    private int start;
    private int limit;
    private long startOffset;
    private boolean endOfInput;

    /**
     * @param channel the input, read from its current position; a blocking channel.
     */
    InputWindow(final ReadableByteChannel channel) throws IOException {
        this.channel = channel;
        if (channel instanceof SeekableByteChannel seekable) {
            this.startOffset = seekable.position();
            this.endOffset = seekable.size();
        } else {
            this.endOffset = Long.MAX_VALUE;
        }
        final long expected = endOffset - startOffset;
        allocate((int) Math.max(SMALLEST_CAPACITY, Math.min(INITIAL_CAPACITY, expected)));
    }

    MemorySegment segment() {
        return segment;
    }

    /** Offset in {@link #segment()} of the current block. */
    int start() {
        return start;
    }

    /** File offset of the current block. */
    long offset() {
        return startOffset;
    }

    /** Bytes from the current block to the end of the input, or {@link Long#MAX_VALUE} if not known. */
    long remaining() {
        return endOffset == Long.MAX_VALUE ? Long.MAX_VALUE : endOffset - startOffset;
    }

    /** Bytes at and after the current block already in the window. */
    int available() {
        return limit - start;
    }

    /**
     * Makes the first {@code length} bytes of the current block available.
     *
     * @param length how many bytes are needed; the caller bounds it.
     * @return false if the input ends before that many bytes.
     */
    boolean request(final int length) throws IOException {
        while (limit - start < length) {
            if (endOfInput) {
                return false;
            }
            if (limit == buffer.capacity()) {
                makeRoom(length);
            }
            buffer.limit(buffer.capacity()).position(limit);
            final int read = channel.read(buffer);
            if (read < 0) {
                endOfInput = true;
            } else {
                limit += read;
            }
        }
        return true;
    }

    /** Moves past the current block, to the next. */
    void advance(final int length) {
        start += length;
        startOffset += length;
    }

    private void makeRoom(final int length) {
        if (start > 0) {
            buffer.limit(limit).position(start);
            buffer.compact();
            limit -= start;
            start = 0;
        } else {
            // Full from the block start on: grow, but only double, so memory follows the bytes that arrive.
            final ByteBuffer previous = buffer;
            allocate((int) Math.min(Math.max(length, 1), (long) previous.capacity() * 2));
            previous.limit(limit).position(0);
            buffer.put(previous);
        }
    }

    private void allocate(final int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity);
        segment = MemorySegment.ofBuffer(buffer);
    }
}
