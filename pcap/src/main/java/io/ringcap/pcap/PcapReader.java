package io.ringcap.pcap;

import static io.ringcap.pcap.PcapDescriptor.*;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Streams a classic pcap file: microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps,
 * Kuznetzov's modified format (0xa1b2cd34), either byte order, major version 2. The header's
 * {@code thiszone} is ignored, as libpcap ignores it. Open one through {@link PacketReader#open}.
 */
public final class PcapReader implements PacketReader {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final InputWindow input;
    private final Closeable owned;
    private final ByteOrderLayouts layouts;
    private final int magic;
    private final int versionMinor;
    private final int recordHeaderLength;
    private final long nanosPerFractionUnit;
    private final CaptureInterface captureInterface;
    private final List<CaptureInterface> interfaces;
    private final PacketView packet = new PacketView();
    private int pendingAdvance;
    private long packetCount;

    PcapReader(final InputWindow input, final Closeable owned) throws IOException {
        this.input = input;
        this.owned = owned;
        if (!input.request(FILE_HEADER_LENGTH)) {
            throw new PcapTruncatedException(input.offset(), "the input ends inside the 24-byte pcap file header",
                FILE_HEADER_LENGTH - input.available());
        }
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final int littleEndianMagic = segment.get(ByteOrderLayouts.LITTLE_ENDIAN.u32, start + MAGIC_OFFSET);
        this.layouts = isMagic(littleEndianMagic) ? ByteOrderLayouts.LITTLE_ENDIAN : ByteOrderLayouts.BIG_ENDIAN;
        this.magic = segment.get(layouts.u32, start + MAGIC_OFFSET);
        final int versionMajor = Short.toUnsignedInt(segment.get(layouts.u16, start + VERSION_MAJOR_OFFSET));
        this.versionMinor = Short.toUnsignedInt(segment.get(layouts.u16, start + VERSION_MINOR_OFFSET));
        if (versionMajor != VERSION_MAJOR) {
            throw new PcapFormatException(input.offset() + VERSION_MAJOR_OFFSET,
                "pcap version " + versionMajor + "." + versionMinor + " is not 2.x, the only version of the format");
        }
        final long snapLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + SNAP_LENGTH_OFFSET));
        final int linkType = segment.get(layouts.u32, start + LINK_TYPE_OFFSET) & LINK_TYPE_MASK;
        final boolean nanoseconds = magic == MAGIC_NANOSECONDS;
        this.nanosPerFractionUnit = nanoseconds ? 1 : 1_000;
        this.recordHeaderLength = magic == MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER_LENGTH : RECORD_HEADER_LENGTH;
        this.captureInterface = new CaptureInterface(
            linkType, snapLength, null, null, null, null, null, nanoseconds ? 9 : 6, 0, List.of());
        this.interfaces = List.of(captureInterface);
        input.advance(FILE_HEADER_LENGTH);
    }

    static boolean isMagic(final int magic) {
        return magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS || magic == MAGIC_MODIFIED;
    }

    @Override
    public boolean next() throws IOException {
        input.advance(pendingAdvance);
        pendingAdvance = 0;
        final long offset = input.offset();
        if (!input.request(recordHeaderLength)) {
            if (input.available() == 0) {
                return false;
            }
            throw new PcapTruncatedException(offset, "the input ends inside a " + recordHeaderLength
                + "-byte record header", recordHeaderLength - input.available());
        }
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final long seconds = Integer.toUnsignedLong(segment.get(layouts.u32, start + TIMESTAMP_SECONDS_OFFSET));
        final long fraction = Integer.toUnsignedLong(segment.get(layouts.u32, start + TIMESTAMP_FRACTION_OFFSET));
        final long capturedLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + CAPTURED_LENGTH_OFFSET));
        final long originalLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + ORIGINAL_LENGTH_OFFSET));
        if (capturedLength > MAX_BLOCK_LENGTH - recordHeaderLength) {
            throw new PcapFormatException(offset + CAPTURED_LENGTH_OFFSET, "captured length " + capturedLength
                + " exceeds the " + (MAX_BLOCK_LENGTH - recordHeaderLength) + " bytes (16 MiB record) this reader accepts");
        }
        final int recordLength = recordHeaderLength + (int) capturedLength;
        if (recordLength > input.remaining() || !input.request(recordLength)) {
            final long present = Math.min(input.remaining(), input.available());
            throw new PcapTruncatedException(offset, "the record of " + recordLength + " bytes is cut short: only "
                + present + " bytes remain", recordLength - present);
        }
        // Unsigned 32-bit seconds times 10^9 plus a 32-bit fraction times 10^3 stays below 2^63: exact.
        final long timestampNanos = seconds * NANOS_PER_SECOND + fraction * nanosPerFractionUnit;
        packet.set(input.segment(), input.start() + recordHeaderLength, (int) capturedLength, originalLength,
            timestampNanos, 0, captureInterface, offset);
        pendingAdvance = recordLength;
        packetCount++;
        return true;
    }

    @Override
    public PacketView packet() {
        return packet;
    }

    @Override
    public long packetCount() {
        return packetCount;
    }

    @Override
    public List<CaptureInterface> interfaces() {
        return interfaces;
    }

    @Override
    public ByteOrder byteOrder() {
        return layouts.order;
    }

    /** @return the magic number as read in the file's byte order, e.g. {@link PcapDescriptor#MAGIC_NANOSECONDS}. */
    public int magic() {
        return magic;
    }

    /** @return the minor version, 4 in files of the last 25 years. */
    public int versionMinor() {
        return versionMinor;
    }

    /** Closes the file if the reader opened it. */
    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }
}
