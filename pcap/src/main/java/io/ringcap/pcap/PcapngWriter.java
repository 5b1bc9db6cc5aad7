package io.ringcap.pcap;

import static io.ringcap.pcap.OutputBuffer.INT;
import static io.ringcap.pcap.OutputBuffer.LONG;
import static io.ringcap.pcap.OutputBuffer.SHORT;
import static io.ringcap.pcap.PcapngDescriptor.*;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.WritableByteChannel;

/**
 * Writes pcapng into one large reusable off-heap buffer and hands it to a channel in big
 * sequential writes, or into the segments an {@link OutputSink} lends. Writing a packet allocates
 * nothing and copies the frame once, in bulk, from the caller's segment; so a ring can hand its
 * frames over directly.
 *
 * <p>What is written: a Section Header Block per {@link #writeSectionHeader}, an Interface
 * Description Block per source with {@code if_tsresol = 9} (timestamps are nanoseconds since the
 * Unix epoch, as ringcap keeps them, so nothing is rounded), Enhanced Packet Blocks and Interface
 * Statistics Blocks. Output is little-endian. A block is either wholly in the buffer or not at
 * all, so {@link #bytesWritten()} before a write is the file offset of the block it writes.
 *
 * <p>Not thread-safe: one thread writes. The channel or sink stays the caller's: {@link #close()}
 * flushes and frees the buffer but does not close the channel.
 */
public final class PcapngWriter implements Flushable, Closeable {
    /** Buffer capacity used when none is given: big enough for efficient sequential writes. */
    public static final int DEFAULT_BUFFER_CAPACITY = 4 * 1024 * 1024;
    /** Smallest buffer accepted: room for one block of a full 64 KiB frame and its options. */
    public static final int MIN_BUFFER_CAPACITY = 128 * 1024;
    /** Passed as a count or time that is not known: the option is left out. */
    public static final long UNKNOWN = -1L;

    private static final int MAX_OPTION_VALUE_LENGTH = 0xFFFF;

    private final OutputBuffer out;
    private int interfaceCount = -1;

    /**
     * A writer with a {@link #DEFAULT_BUFFER_CAPACITY} buffer.
     *
     * @param channel where the file goes; a blocking channel, positioned where the file starts.
     */
    public PcapngWriter(final WritableByteChannel channel) {
        this(channel, DEFAULT_BUFFER_CAPACITY);
    }

    /**
     * @param channel        where the file goes; a blocking channel, positioned where the file starts.
     * @param bufferCapacity bytes buffered between writes to the channel, at least {@link #MIN_BUFFER_CAPACITY}.
     */
    public PcapngWriter(final WritableByteChannel channel, final int bufferCapacity) {
        if (bufferCapacity < MIN_BUFFER_CAPACITY) {
            throw new IllegalArgumentException(
                "buffer capacity " + bufferCapacity + " is below the minimum of " + MIN_BUFFER_CAPACITY);
        }
        this.out = new OutputBuffer(channel, padded(bufferCapacity));
    }

    /**
     * A writer that encodes into segments {@code sink} lends, with no buffer of its own: for an owner of the
     * file that wants the bytes in memory of its choosing (e.g. aligned for {@code O_DIRECT}) without a copy.
     *
     * @param sink where the file goes, from its start; segments of at least {@link #MIN_BUFFER_CAPACITY} bytes.
     */
    public PcapngWriter(final OutputSink sink) {
        this.out = new OutputBuffer(sink);
    }

    /**
     * Starts a section; it must come first, and a later call starts a new section in which
     * interfaces are numbered from 0 again. Any text may be null to leave its option out.
     *
     * @param hardware        {@code shb_hardware}: the machine, e.g. the CPU model.
     * @param os              {@code shb_os}: the operating system, e.g. "Linux 6.12.0".
     * @param userApplication {@code shb_userappl}: the writing program, e.g. "ringcap 0.1.0".
     * @param comment         {@code opt_comment}.
     */
    public void writeSectionHeader(
        final CharSequence hardware, final CharSequence os, final CharSequence userApplication, final CharSequence comment)
        throws IOException {
        final int optionsLength = withEndOfOptions(
            textOptionLength(comment) + textOptionLength(hardware) + textOptionLength(os) + textOptionLength(userApplication));
        final int length = SHB_OPTIONS_OFFSET + optionsLength + Integer.BYTES;
        final int at = out.claim(length);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, at + BLOCK_TYPE_OFFSET, SECTION_HEADER_BLOCK);
        buffer.set(INT, at + BLOCK_LENGTH_OFFSET, length);
        buffer.set(INT, at + SHB_BYTE_ORDER_MAGIC_OFFSET, BYTE_ORDER_MAGIC);
        buffer.set(SHORT, at + SHB_VERSION_MAJOR_OFFSET, (short) VERSION_MAJOR);
        buffer.set(SHORT, at + SHB_VERSION_MINOR_OFFSET, (short) VERSION_MINOR);
        buffer.set(LONG, at + SHB_SECTION_LENGTH_OFFSET, SECTION_LENGTH_UNKNOWN);
        int option = at + SHB_OPTIONS_OFFSET;
        option = putTextOption(buffer, option, OPT_COMMENT, comment);
        option = putTextOption(buffer, option, SHB_HARDWARE, hardware);
        option = putTextOption(buffer, option, SHB_OS, os);
        option = putTextOption(buffer, option, SHB_USERAPPL, userApplication);
        option = putEndOfOptions(buffer, option, optionsLength);
        buffer.set(INT, option, length);
        out.commit(length);
        interfaceCount = 0;
    }

    /**
     * Describes a source of packets in the current section. Any text may be null to leave its
     * option out.
     *
     * @param linkType    the LINKTYPE_ value, e.g. 1 for Ethernet.
     * @param snapLength  the most bytes of a packet captured, 0 for no limit.
     * @param name        {@code if_name}, e.g. "eth0".
     * @param description {@code if_description}, e.g. "afxdp queue 3".
     * @param filter      {@code if_filter}, written as a libpcap filter expression.
     * @return the interface id to pass to {@link #writePacket}: 0 for the first of a section, then 1, ...
     */
    public int writeInterfaceDescription(
        final int linkType, final int snapLength, final CharSequence name, final CharSequence description,
        final CharSequence filter) throws IOException {
        requireSection();
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("link type " + linkType + " does not fit in 16 bits");
        }
        final int filterLength = filter == null ? 0 : Utf8Encoder.encodedLength(filter) + 1;
        final int optionsLength = withEndOfOptions(
            textOptionLength(name) + textOptionLength(description) + optionLength(filterLength, filter != null)
            + optionLength(Byte.BYTES, true));
        final int length = IDB_OPTIONS_OFFSET + optionsLength + Integer.BYTES;
        final int at = out.claim(length);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, at + BLOCK_TYPE_OFFSET, INTERFACE_DESCRIPTION_BLOCK);
        buffer.set(INT, at + BLOCK_LENGTH_OFFSET, length);
        buffer.set(SHORT, at + IDB_LINK_TYPE_OFFSET, (short) linkType);
        buffer.set(SHORT, at + IDB_RESERVED_OFFSET, (short) 0);
        buffer.set(INT, at + IDB_SNAP_LENGTH_OFFSET, snapLength);
        int option = at + IDB_OPTIONS_OFFSET;
        option = putTextOption(buffer, option, IF_NAME, name);
        option = putTextOption(buffer, option, IF_DESCRIPTION, description);
        if (filter != null) {
            checkOptionValueLength(filterLength);
            buffer.set(INT, option + OPTION_HEADER_LENGTH + padded(filterLength) - Integer.BYTES, 0);
            buffer.set(SHORT, option, (short) IF_FILTER);
            buffer.set(SHORT, option + Short.BYTES, (short) filterLength);
            buffer.set(ValueLayout.JAVA_BYTE, option + OPTION_HEADER_LENGTH, (byte) IF_FILTER_LIBPCAP);
            Utf8Encoder.encode(filter, buffer, option + OPTION_HEADER_LENGTH + 1);
            option += OPTION_HEADER_LENGTH + padded(filterLength);
        }
        buffer.set(SHORT, option, (short) IF_TSRESOL);
        buffer.set(SHORT, option + Short.BYTES, (short) 1);
        buffer.set(INT, option + OPTION_HEADER_LENGTH, TSRESOL_NANOSECONDS);
        option += OPTION_HEADER_LENGTH + BLOCK_ALIGNMENT;
        option = putEndOfOptions(buffer, option, optionsLength);
        buffer.set(INT, option, length);
        out.commit(length);
        return interfaceCount++;
    }

    /**
     * Writes one packet as an Enhanced Packet Block with no drop count and no comment.
     *
     * @see #writePacket(int, long, MemorySegment, long, int, int, int, long, CharSequence)
     */
    public void writePacket(
        final int interfaceId, final long timestampNanos, final MemorySegment frame, final long offset,
        final int capturedLength, final int originalLength, final int flags) throws IOException {
        writePacket(interfaceId, timestampNanos, frame, offset, capturedLength, originalLength, flags, UNKNOWN, null);
    }

    /**
     * Writes one packet as an Enhanced Packet Block. Allocates nothing.
     *
     * @param interfaceId    an id {@link #writeInterfaceDescription} returned in this section.
     * @param timestampNanos when the packet arrived, nanoseconds since the Unix epoch, not negative.
     * @param frame          the segment holding the captured bytes.
     * @param offset         where in {@code frame} they start.
     * @param capturedLength how many bytes were captured.
     * @param originalLength how long the packet was on the wire, at least {@code capturedLength}.
     * @param flags          {@code epb_flags} ({@code PcapngDescriptor.EPB_FLAG_*}); 0, meaning nothing known, leaves it out.
     * @param dropCount      {@code epb_dropcount}: packets lost between the previous packet of this interface and this
     *                       one, or {@link #UNKNOWN}.
     * @param comment        {@code opt_comment}, or null; e.g. to say why packets are missing before this one.
     */
    public void writePacket(
        final int interfaceId, final long timestampNanos, final MemorySegment frame, final long offset,
        final int capturedLength, final int originalLength, final int flags, final long dropCount,
        final CharSequence comment) throws IOException {
        checkInterface(interfaceId);
        checkTimestamp(timestampNanos);
        if (capturedLength < 0 || originalLength < capturedLength) {
            throw new IllegalArgumentException(
                "captured length " + capturedLength + " must be from 0 to the original length " + originalLength);
        }
        final int dataLength = padded(capturedLength);
        final int optionsLength = withEndOfOptions(
            optionLength(Integer.BYTES, flags != 0) + optionLength(Long.BYTES, dropCount >= 0) + textOptionLength(comment));
        final int length = EPB_DATA_OFFSET + dataLength + optionsLength + Integer.BYTES;
        final int at = out.claim(length);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, at + BLOCK_TYPE_OFFSET, ENHANCED_PACKET_BLOCK);
        buffer.set(INT, at + BLOCK_LENGTH_OFFSET, length);
        buffer.set(INT, at + EPB_INTERFACE_ID_OFFSET, interfaceId);
        buffer.set(INT, at + EPB_TIMESTAMP_HIGH_OFFSET, (int) (timestampNanos >>> 32));
        buffer.set(INT, at + EPB_TIMESTAMP_LOW_OFFSET, (int) timestampNanos);
        buffer.set(INT, at + EPB_CAPTURED_LENGTH_OFFSET, capturedLength);
        buffer.set(INT, at + EPB_ORIGINAL_LENGTH_OFFSET, originalLength);
        if (capturedLength > 0) {
            // Zero the last word first, so the padding after the frame is zero once the frame is copied over it.
            buffer.set(INT, at + EPB_DATA_OFFSET + dataLength - Integer.BYTES, 0);
            MemorySegment.copy(frame, offset, buffer, at + EPB_DATA_OFFSET, capturedLength);
        }
        int option = at + EPB_DATA_OFFSET + dataLength;
        if (flags != 0) {
            buffer.set(SHORT, option, (short) EPB_FLAGS);
            buffer.set(SHORT, option + Short.BYTES, (short) Integer.BYTES);
            buffer.set(INT, option + OPTION_HEADER_LENGTH, flags);
            option += OPTION_HEADER_LENGTH + Integer.BYTES;
        }
        if (dropCount >= 0) {
            buffer.set(SHORT, option, (short) EPB_DROPCOUNT);
            buffer.set(SHORT, option + Short.BYTES, (short) Long.BYTES);
            buffer.set(LONG, option + OPTION_HEADER_LENGTH, dropCount);
            option += OPTION_HEADER_LENGTH + Long.BYTES;
        }
        option = putTextOption(buffer, option, OPT_COMMENT, comment);
        option = putEndOfOptions(buffer, option, optionsLength);
        buffer.set(INT, option, length);
        out.commit(length);
    }

    /**
     * Takes back the block last written, as if it had never been: for a frame copied straight out of memory that
     * another thread may overwrite meanwhile, which can only be checked after the copy (a reader of a shared ring
     * that validates what it read). One block only, and only until the next flush.
     *
     * @throws IllegalStateException if the writer flushed since, or already retracted a block.
     */
    public void retract() {
        out.retract();
    }

    /**
     * Writes an Interface Statistics Block: counters since the capture on this interface began.
     * Any count or time may be {@link #UNKNOWN} to leave its option out.
     *
     * @param interfaceId      an id {@link #writeInterfaceDescription} returned in this section.
     * @param timestampNanos   when the counters were read, nanoseconds since the Unix epoch.
     * @param startTimeNanos   {@code isb_starttime}: when counting began.
     * @param endTimeNanos     {@code isb_endtime}: when counting ended.
     * @param received         {@code isb_ifrecv}: packets the interface received.
     * @param interfaceDropped {@code isb_ifdrop}: packets the interface (NIC, driver) dropped.
     * @param osDropped        {@code isb_osdrop}: packets dropped after the interface: by the kernel, or by ringcap
     *                         itself, e.g. a recorder lapped by the ring.
     * @param comment          {@code opt_comment}, or null.
     */
    public void writeInterfaceStatistics(
        final int interfaceId, final long timestampNanos, final long startTimeNanos, final long endTimeNanos,
        final long received, final long interfaceDropped, final long osDropped, final CharSequence comment)
        throws IOException {
        checkInterface(interfaceId);
        checkTimestamp(timestampNanos);
        final int optionsLength = withEndOfOptions(
            textOptionLength(comment)
            + optionLength(Long.BYTES, startTimeNanos >= 0) + optionLength(Long.BYTES, endTimeNanos >= 0)
            + optionLength(Long.BYTES, received >= 0) + optionLength(Long.BYTES, interfaceDropped >= 0)
            + optionLength(Long.BYTES, osDropped >= 0));
        final int length = ISB_OPTIONS_OFFSET + optionsLength + Integer.BYTES;
        final int at = out.claim(length);
        final MemorySegment buffer = out.segment();
        buffer.set(INT, at + BLOCK_TYPE_OFFSET, INTERFACE_STATISTICS_BLOCK);
        buffer.set(INT, at + BLOCK_LENGTH_OFFSET, length);
        buffer.set(INT, at + ISB_INTERFACE_ID_OFFSET, interfaceId);
        buffer.set(INT, at + ISB_TIMESTAMP_HIGH_OFFSET, (int) (timestampNanos >>> 32));
        buffer.set(INT, at + ISB_TIMESTAMP_LOW_OFFSET, (int) timestampNanos);
        int option = at + ISB_OPTIONS_OFFSET;
        option = putTextOption(buffer, option, OPT_COMMENT, comment);
        option = putTimestampOption(buffer, option, ISB_STARTTIME, startTimeNanos);
        option = putTimestampOption(buffer, option, ISB_ENDTIME, endTimeNanos);
        option = putCountOption(buffer, option, ISB_IFRECV, received);
        option = putCountOption(buffer, option, ISB_IFDROP, interfaceDropped);
        option = putCountOption(buffer, option, ISB_OSDROP, osDropped);
        option = putEndOfOptions(buffer, option, optionsLength);
        buffer.set(INT, option, length);
        out.commit(length);
    }

    /**
     * Writes a comment at this point of the file, e.g. where packets were lost and no packet
     * follows to carry the comment: an Interface Statistics Block holding only {@code opt_comment}.
     * To mark a gap before a packet, prefer the {@code dropCount} and {@code comment} of
     * {@link #writePacket(int, long, MemorySegment, long, int, int, int, long, CharSequence)},
     * which Wireshark shows on that packet.
     *
     * @param interfaceId    the interface the comment is about.
     * @param timestampNanos when, nanoseconds since the Unix epoch.
     * @param comment        the text.
     */
    public void writeComment(final int interfaceId, final long timestampNanos, final CharSequence comment)
        throws IOException {
        writeInterfaceStatistics(interfaceId, timestampNanos, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, comment);
    }

    /**
     * Bytes written so far, buffered ones included: the size the file has once flushed, and the
     * offset at which the next block starts. For rotating files by size.
     */
    public long bytesWritten() {
        return out.bytesWritten();
    }

    /**
     * Hands everything buffered to the channel, or the segment held back to the sink. Does not force
     * it to disk: that is the channel's owner's call ({@code FileChannel.force}). If the channel or
     * sink throws, what it did not take stays buffered for the next flush.
     */
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

    private void requireSection() {
        if (interfaceCount < 0) {
            throw new IllegalStateException("write a section header first");
        }
    }

    private void checkInterface(final int interfaceId) {
        if (interfaceId < 0 || interfaceId >= interfaceCount) {
            requireSection();
            throw new IllegalArgumentException(
                "interface " + interfaceId + " is not described in this section, which has " + interfaceCount);
        }
    }

    private static void checkTimestamp(final long timestampNanos) {
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("timestamp " + timestampNanos + " ns is before the Unix epoch");
        }
    }

    private static void checkOptionValueLength(final int length) {
        if (length > MAX_OPTION_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                "an option of " + length + " bytes is longer than the " + MAX_OPTION_VALUE_LENGTH + " pcapng allows");
        }
    }

    private static int optionLength(final int valueLength, final boolean present) {
        return present ? OPTION_HEADER_LENGTH + padded(valueLength) : 0;
    }

    private static int textOptionLength(final CharSequence text) {
        return text == null ? 0 : OPTION_HEADER_LENGTH + padded(Utf8Encoder.encodedLength(text));
    }

    private static int withEndOfOptions(final int optionsLength) {
        return optionsLength == 0 ? 0 : optionsLength + OPTION_HEADER_LENGTH;
    }

    private static int putTextOption(final MemorySegment buffer, final int at, final int code, final CharSequence text) {
        if (text == null) {
            return at;
        }
        final int length = Utf8Encoder.encodedLength(text);
        checkOptionValueLength(length);
        final int paddedLength = padded(length);
        if (length > 0) {
            buffer.set(INT, at + OPTION_HEADER_LENGTH + paddedLength - Integer.BYTES, 0);
        }
        buffer.set(SHORT, at, (short) code);
        buffer.set(SHORT, at + Short.BYTES, (short) length);
        Utf8Encoder.encode(text, buffer, at + OPTION_HEADER_LENGTH);
        return at + OPTION_HEADER_LENGTH + paddedLength;
    }

    private static int putCountOption(final MemorySegment buffer, final int at, final int code, final long value) {
        if (value < 0) {
            return at;
        }
        buffer.set(SHORT, at, (short) code);
        buffer.set(SHORT, at + Short.BYTES, (short) Long.BYTES);
        buffer.set(LONG, at + OPTION_HEADER_LENGTH, value);
        return at + OPTION_HEADER_LENGTH + Long.BYTES;
    }

    private static int putTimestampOption(final MemorySegment buffer, final int at, final int code, final long nanos) {
        if (nanos < 0) {
            return at;
        }
        buffer.set(SHORT, at, (short) code);
        buffer.set(SHORT, at + Short.BYTES, (short) Long.BYTES);
        buffer.set(INT, at + OPTION_HEADER_LENGTH, (int) (nanos >>> 32));
        buffer.set(INT, at + OPTION_HEADER_LENGTH + Integer.BYTES, (int) nanos);
        return at + OPTION_HEADER_LENGTH + Long.BYTES;
    }

    private static int putEndOfOptions(final MemorySegment buffer, final int at, final int optionsLength) {
        if (optionsLength == 0) {
            return at;
        }
        buffer.set(INT, at, 0);
        return at + OPTION_HEADER_LENGTH;
    }
}
