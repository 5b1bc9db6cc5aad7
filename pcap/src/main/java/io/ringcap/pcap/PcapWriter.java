package io.ringcap.pcap;

import static io.ringcap.pcap.OutputBuffer.INT;
import static io.ringcap.pcap.OutputBuffer.SHORT;
import static io.ringcap.pcap.PcapDescriptor.*;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;

/**
 * Writes classic pcap with nanosecond timestamps (magic {@code 0xa1b23c4d}), for tools that do
 * not read pcapng. Same discipline as {@link PcapngWriter}: one reusable off-heap buffer, big
 * sequential writes, nothing allocated per packet, little-endian output. One file holds one link
 * type and no statistics or comments; prefer pcapng where the reader allows.
 *
 * <p>Not thread-safe. The channel stays the caller's: {@link #close()} does not close it.
 */
public final class PcapWriter implements Flushable, Closeable {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_TIMESTAMP_NANOS = (0xFFFF_FFFFL + 1) * NANOS_PER_SECOND - 1;

    private final OutputBuffer out;

    /**
     * Starts a file: buffers its header at once.
     *
     * @param channel        where the file goes; a blocking channel, positioned where the file starts.
     * @param linkType       the LINKTYPE_ value of every packet, e.g. 1 for Ethernet.
     * @param snapLength     the most bytes of a packet captured.
     * @param bufferCapacity bytes buffered between writes, at least {@link PcapngWriter#MIN_BUFFER_CAPACITY}.
     */
    public PcapWriter(
        final WritableByteChannel channel, final int linkType, final int snapLength, final int bufferCapacity) {
        if (bufferCapacity < PcapngWriter.MIN_BUFFER_CAPACITY) {
            throw new IllegalArgumentException(
                "buffer capacity " + bufferCapacity + " is below the minimum of " + PcapngWriter.MIN_BUFFER_CAPACITY);
        }
        this.out = new OutputBuffer(channel, bufferCapacity);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, MAGIC_OFFSET, MAGIC_NANOSECONDS);
        buffer.set(SHORT, VERSION_MAJOR_OFFSET, (short) VERSION_MAJOR);
        buffer.set(SHORT, VERSION_MINOR_OFFSET, (short) VERSION_MINOR);
        buffer.set(INT, THIS_ZONE_OFFSET, 0);
        buffer.set(INT, SIGFIGS_OFFSET, 0);
        buffer.set(INT, SNAP_LENGTH_OFFSET, snapLength);
        buffer.set(INT, LINK_TYPE_OFFSET, linkType);
        out.commit(FILE_HEADER_LENGTH);
    }

    /**
     * A writer with a {@link PcapngWriter#DEFAULT_BUFFER_CAPACITY} buffer.
     *
     * @see #PcapWriter(WritableByteChannel, int, int, int)
     */
    public PcapWriter(final WritableByteChannel channel, final int linkType, final int snapLength) {
        this(channel, linkType, snapLength, PcapngWriter.DEFAULT_BUFFER_CAPACITY);
    }

    /**
     * Writes one packet record. Allocates nothing.
     *
     * @param timestampNanos when the packet arrived, nanoseconds since the Unix epoch; from 1970 to 2106, which is
     *                       what 32-bit seconds hold.
     * @param frame          the segment holding the captured bytes.
     * @param offset         where in {@code frame} they start.
     * @param capturedLength how many bytes were captured.
     * @param originalLength how long the packet was on the wire, at least {@code capturedLength}.
     */
    public void writePacket(
        final long timestampNanos, final MemorySegment frame, final long offset, final int capturedLength,
        final int originalLength) throws IOException {
        if (timestampNanos < 0 || timestampNanos > MAX_TIMESTAMP_NANOS) {
            throw new IllegalArgumentException(
                "timestamp " + timestampNanos + " ns is outside the 32-bit seconds of classic pcap");
        }
        if (capturedLength < 0 || originalLength < capturedLength) {
            throw new IllegalArgumentException(
                "captured length " + capturedLength + " must be from 0 to the original length " + originalLength);
        }
        final int length = RECORD_HEADER_LENGTH + capturedLength;
        final int at = out.claim(length);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, at + TIMESTAMP_SECONDS_OFFSET, (int) (timestampNanos / NANOS_PER_SECOND));
        buffer.set(INT, at + TIMESTAMP_FRACTION_OFFSET, (int) (timestampNanos % NANOS_PER_SECOND));
        buffer.set(INT, at + CAPTURED_LENGTH_OFFSET, capturedLength);
        buffer.set(INT, at + ORIGINAL_LENGTH_OFFSET, originalLength);
        MemorySegment.copy(frame, offset, buffer, at + RECORD_HEADER_LENGTH, capturedLength);
        out.commit(length);
    }

    /** Bytes written so far, buffered ones included: the size of the file once flushed. */
    public long bytesWritten() {
        return out.bytesWritten();
    }

    /** Hands everything buffered to the channel; does not force it to disk. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes, then frees the buffer. The channel is left open. */
    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } finally {
            out.close();
        }
    }
}
