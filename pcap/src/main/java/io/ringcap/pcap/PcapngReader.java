package io.ringcap.pcap;

import static io.ringcap.pcap.PcapngDescriptor.*;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Streams a pcapng file block by block: several sections of either byte order, each resetting
 * the interfaces; Enhanced, Simple and (obsolete) Packet Blocks; interfaces of any link type and
 * {@code if_tsresol} (powers of ten and of two) with {@code if_tsoffset}; Interface Statistics;
 * Name Resolution ({@link #resolvedNames()}). Decryption Secrets, custom and unknown blocks are
 * framed, checked and skipped. Open one through {@link PacketReader#open}.
 *
 * <p>A section whose major version is not 1 cannot be interpreted, but the block frame is common
 * to every version: the reader skips the section's blocks up to the next Section Header Block,
 * counts it in {@link #skippedSections()}, adds a line to {@link #warnings()}, and goes on. A
 * frame that does not hold together (lengths too small, unaligned, over {@link #MAX_BLOCK_LENGTH},
 * or leading and trailing lengths that differ) ends the reading with a {@link PcapFormatException}.
 */
public final class PcapngReader implements PacketReader {
    /** The most interfaces one section may describe; far more than any capture has. */
    public static final int MAX_INTERFACES = 65_536;
    /** The most name resolution records kept per section; the rest are counted in a warning. */
    public static final int MAX_RESOLVED_NAMES = 100_000;
    private static final int MAX_WARNINGS = 64;
    private static final BlockObserver NO_OBSERVER = (type, offset, length) -> { };

    private final InputWindow input;
    private final Closeable owned;
    private final PacketView packet = new PacketView();
    private final OptionCursor options = new OptionCursor();
    private final List<CaptureInterface> interfaces = new ArrayList<>();
    private final List<TimestampScale> scales = new ArrayList<>();
    private final List<InterfaceStatistics> statistics = new ArrayList<>();
    private final List<ResolvedName> resolvedNames = new ArrayList<>();
    private long namesNotKept;
    private final List<String> warnings = new ArrayList<>();
    private BlockObserver observer = NO_OBSERVER;
    private ByteOrderLayouts layouts;
    private SectionHeader section;
    private boolean skippingSection;
    private int skippedSections;
    private int pendingAdvance;
    private long packetCount;

    PcapngReader(final InputWindow input, final Closeable owned) {
        this.input = input;
        this.owned = owned;
    }

    /**
     * Sets who is told of every block from now on; null to tell no one.
     *
     * @param observer called for each block framed, before it is interpreted.
     */
    public void blockObserver(final BlockObserver observer) {
        this.observer = observer == null ? NO_OBSERVER : observer;
    }

    @Override
    public boolean next() throws IOException {
        while (true) {
            input.advance(pendingAdvance);
            pendingAdvance = 0;
            final int length = frameBlock();
            if (length < 0) {
                return false;
            }
            pendingAdvance = length;
            final int type = input.segment().get(layouts.u32, input.start() + BLOCK_TYPE_OFFSET);
            observer.onBlock(type, input.offset(), length);
            if (type == SECTION_HEADER_BLOCK) {
                readSectionHeader(length);
            } else if (!skippingSection && readBlock(type, length)) {
                packetCount++;
                return true;
            }
        }
    }

    /** @return the block length, the whole block being in the window; -1 at the end of the input. */
    private int frameBlock() throws IOException {
        final long offset = input.offset();
        if (!input.request(BLOCK_BODY_OFFSET)) {
            if (input.available() == 0) {
                return -1;
            }
            throw new PcapTruncatedException(offset, "the input ends inside a block header",
                BLOCK_BODY_OFFSET - input.available());
        }
        final MemorySegment segment = input.segment();
        final int type = segment.get(ByteOrderLayouts.BIG_ENDIAN.u32, input.start() + BLOCK_TYPE_OFFSET);
        if (type == SECTION_HEADER_BLOCK) {
            layouts = sectionByteOrder(offset);
        } else if (layouts == null) {
            throw new PcapFormatException(offset, "the file does not start with a section header block");
        }
        final long length = Integer.toUnsignedLong(segment.get(layouts.u32, input.start() + BLOCK_LENGTH_OFFSET));
        if (length < BLOCK_FRAME_LENGTH || length % BLOCK_ALIGNMENT != 0) {
            throw new PcapFormatException(offset + BLOCK_LENGTH_OFFSET, "block length " + length
                + " is not a multiple of 4 of at least 12, the block's type and two lengths");
        }
        if (length > MAX_BLOCK_LENGTH) {
            throw new PcapFormatException(offset + BLOCK_LENGTH_OFFSET, "block length " + length
                + " exceeds the " + MAX_BLOCK_LENGTH + " bytes (16 MiB) this reader accepts");
        }
        if (length > input.remaining() || !input.request((int) length)) {
            final long present = Math.min(input.remaining(), input.available());
            throw new PcapTruncatedException(offset, "the block of " + length + " bytes is cut short: only "
                + present + " bytes remain", length - present);
        }
        final long trailing = Integer.toUnsignedLong(
            input.segment().get(layouts.u32, input.start() + trailingLengthOffset((int) length)));
        if (trailing != length) {
            throw new PcapFormatException(offset + trailingLengthOffset((int) length),
                "trailing block length " + trailing + " differs from the leading " + length);
        }
        return (int) length;
    }

    private ByteOrderLayouts sectionByteOrder(final long offset) throws IOException {
        if (!input.request(SHB_BYTE_ORDER_MAGIC_OFFSET + Integer.BYTES)) {
            throw new PcapTruncatedException(offset, "the input ends inside a section header block",
                SHB_BYTE_ORDER_MAGIC_OFFSET + Integer.BYTES - input.available());
        }
        final int magic = input.segment().get(ByteOrderLayouts.BIG_ENDIAN.u32, input.start() + SHB_BYTE_ORDER_MAGIC_OFFSET);
        if (magic == BYTE_ORDER_MAGIC) {
            return ByteOrderLayouts.BIG_ENDIAN;
        }
        if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            return ByteOrderLayouts.LITTLE_ENDIAN;
        }
        throw new PcapFormatException(offset + SHB_BYTE_ORDER_MAGIC_OFFSET, String.format(
            "byte-order magic 0x%08x is neither 1a2b3c4d nor 4d3c2b1a", magic));
    }

    private void readSectionHeader(final int length) throws PcapFormatException {
        requireLength(SECTION_HEADER_BLOCK, length, SHB_OPTIONS_OFFSET + Integer.BYTES);
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final int major = Short.toUnsignedInt(segment.get(layouts.u16, start + SHB_VERSION_MAJOR_OFFSET));
        final int minor = Short.toUnsignedInt(segment.get(layouts.u16, start + SHB_VERSION_MINOR_OFFSET));
        final long sectionLength = segment.get(layouts.u64, start + SHB_SECTION_LENGTH_OFFSET);
        interfaces.clear();
        scales.clear();
        statistics.clear();
        resolvedNames.clear();
        namesNotKept = 0;
        skippingSection = major != VERSION_MAJOR;
        if (skippingSection) {
            skippedSections++;
            warn("section at byte offset " + input.offset() + " has version " + major + "." + minor
                + "; only 1.x is understood, so its blocks were skipped up to the next section");
            section = new SectionHeader(input.offset(), layouts.order, major, minor, sectionLength, null, null, null,
                List.of());
            return;
        }
        String hardware = null;
        String os = null;
        String userApplication = null;
        final List<String> comments = new ArrayList<>(0);
        resetOptions(start + SHB_OPTIONS_OFFSET, length);
        while (options.next()) {
            switch (options.code()) {
                case OPT_COMMENT -> comments.add(options.text(0));
                case SHB_HARDWARE -> hardware = options.text(0);
                case SHB_OS -> os = options.text(0);
                case SHB_USERAPPL -> userApplication = options.text(0);
                default -> { }
            }
        }
        section = new SectionHeader(input.offset(), layouts.order, major, minor, sectionLength, hardware, os,
            userApplication, comments);
    }

    /** @return true if the block is a packet, now in {@link #packet}. */
    private boolean readBlock(final int type, final int length) throws PcapFormatException {
        return switch (type) {
            case INTERFACE_DESCRIPTION_BLOCK -> {
                readInterfaceDescription(length);
                yield false;
            }
            case ENHANCED_PACKET_BLOCK -> {
                readPacket(type, length, EPB_DATA_OFFSET);
                yield true;
            }
            case PACKET_BLOCK -> {
                readPacket(type, length, PB_DATA_OFFSET);
                yield true;
            }
            case SIMPLE_PACKET_BLOCK -> {
                readSimplePacket(length);
                yield true;
            }
            case INTERFACE_STATISTICS_BLOCK -> {
                readStatistics(length);
                yield false;
            }
            case NAME_RESOLUTION_BLOCK -> {
                readNameResolution(length);
                yield false;
            }
            default -> false;
        };
    }

    private void readInterfaceDescription(final int length) throws PcapFormatException {
        requireLength(INTERFACE_DESCRIPTION_BLOCK, length, IDB_OPTIONS_OFFSET + Integer.BYTES);
        if (interfaces.size() == MAX_INTERFACES) {
            throw new PcapFormatException(input.offset(), "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final int linkType = Short.toUnsignedInt(segment.get(layouts.u16, start + IDB_LINK_TYPE_OFFSET));
        final long snapLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + IDB_SNAP_LENGTH_OFFSET));
        String name = null;
        String description = null;
        String filter = null;
        String os = null;
        String hardware = null;
        int resolution = TSRESOL_DEFAULT;
        long offsetSeconds = 0;
        final List<String> comments = new ArrayList<>(0);
        resetOptions(start + IDB_OPTIONS_OFFSET, length);
        while (options.next()) {
            switch (options.code()) {
                case OPT_COMMENT -> comments.add(options.text(0));
                case IF_NAME -> name = options.text(0);
                case IF_DESCRIPTION -> description = options.text(0);
                case IF_FILTER -> filter = options.text(1);
                case IF_OS -> os = options.text(0);
                case IF_HARDWARE -> hardware = options.text(0);
                case IF_TSRESOL -> {
                    if (options.length() != 1) {
                        throw new PcapFormatException(options.fileOffset(),
                            "if_tsresol has " + options.length() + " bytes where it must have 1");
                    }
                    resolution = options.u8();
                }
                case IF_TSOFFSET -> offsetSeconds = options.u64();
                default -> { }
            }
        }
        if (Math.abs(offsetSeconds) > Long.MAX_VALUE / TimestampScale.NANOS_PER_SECOND) {
            throw new PcapFormatException(input.offset(), "if_tsoffset of " + offsetSeconds
                + " seconds is beyond the years 1677 to 2262 that nanoseconds in 64 bits can hold");
        }
        interfaces.add(new CaptureInterface(linkType, snapLength, name, description, filter, os, hardware, resolution,
            offsetSeconds, comments));
        scales.add(new TimestampScale(resolution, offsetSeconds * TimestampScale.NANOS_PER_SECOND));
        statistics.add(null);
    }

    /** Enhanced Packet Block and the obsolete Packet Block, which differ only in their interface id field. */
    private void readPacket(final int type, final int length, final int dataOffset) throws PcapFormatException {
        requireLength(type, length, dataOffset + Integer.BYTES);
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final long offset = input.offset();
        final boolean obsolete = type == PACKET_BLOCK;
        final int interfaceId = obsolete
            ? Short.toUnsignedInt(segment.get(layouts.u16, start + PB_INTERFACE_ID_OFFSET))
            : segment.get(layouts.u32, start + EPB_INTERFACE_ID_OFFSET);
        requireInterface(interfaceId, offset + EPB_INTERFACE_ID_OFFSET);
        final long ticks = (Integer.toUnsignedLong(segment.get(layouts.u32, start + EPB_TIMESTAMP_HIGH_OFFSET)) << 32)
            | Integer.toUnsignedLong(segment.get(layouts.u32, start + EPB_TIMESTAMP_LOW_OFFSET));
        final long capturedLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + EPB_CAPTURED_LENGTH_OFFSET));
        final long originalLength = Integer.toUnsignedLong(segment.get(layouts.u32, start + EPB_ORIGINAL_LENGTH_OFFSET));
        final int room = length - dataOffset - Integer.BYTES;
        if (capturedLength > room) {
            throw new PcapFormatException(offset + EPB_CAPTURED_LENGTH_OFFSET,
                "captured length " + capturedLength + " exceeds the " + room + " bytes the block holds for it");
        }
        final long timestampNanos = timestampNanos(interfaceId, ticks, offset + EPB_TIMESTAMP_HIGH_OFFSET);
        final int optionsStart = start + dataOffset + padded((int) capturedLength);
        final int optionsEnd = start + trailingLengthOffset(length);
        int flags = 0;
        long dropCount = PacketView.UNKNOWN;
        if (obsolete) {
            final int drops = Short.toUnsignedInt(segment.get(layouts.u16, start + PB_DROPS_COUNT_OFFSET));
            dropCount = drops == 0xFFFF ? PacketView.UNKNOWN : drops;
        }
        resetOptions(optionsStart, length);
        while (options.next()) {
            switch (options.code()) {
                case EPB_FLAGS -> flags = options.u32();
                case EPB_DROPCOUNT -> dropCount = obsolete ? dropCount : options.u64();
                default -> { }
            }
        }
        packet.set(segment, start + dataOffset, (int) capturedLength, originalLength, timestampNanos, interfaceId,
            interfaces.get(interfaceId), offset);
        packet.options(flags, dropCount, layouts, optionsStart, optionsEnd);
    }

    private void readSimplePacket(final int length) throws PcapFormatException {
        requireLength(SIMPLE_PACKET_BLOCK, length, SPB_DATA_OFFSET + Integer.BYTES);
        final long offset = input.offset();
        requireInterface(0, offset);
        final CaptureInterface captureInterface = interfaces.get(0);
        final long originalLength = Integer.toUnsignedLong(
            input.segment().get(layouts.u32, input.start() + SPB_ORIGINAL_LENGTH_OFFSET));
        final long snapLength = captureInterface.snapLength();
        // The block does not say how much it holds: the spec makes it min(original length, snap length).
        final long capturedLength = snapLength == 0 ? originalLength : Math.min(originalLength, snapLength);
        final int room = length - SPB_DATA_OFFSET - Integer.BYTES;
        if (capturedLength > room) {
            throw new PcapFormatException(offset + SPB_ORIGINAL_LENGTH_OFFSET, "simple packet block holds " + room
                + " bytes, short of the " + capturedLength + " its original length and snap length call for");
        }
        packet.set(input.segment(), input.start() + SPB_DATA_OFFSET, (int) capturedLength, originalLength,
            PacketView.NO_TIMESTAMP, 0, captureInterface, offset);
    }

    private void readStatistics(final int length) throws PcapFormatException {
        requireLength(INTERFACE_STATISTICS_BLOCK, length, ISB_OPTIONS_OFFSET + Integer.BYTES);
        final MemorySegment segment = input.segment();
        final int start = input.start();
        final long offset = input.offset();
        final int interfaceId = segment.get(layouts.u32, start + ISB_INTERFACE_ID_OFFSET);
        requireInterface(interfaceId, offset + ISB_INTERFACE_ID_OFFSET);
        final long ticks = (Integer.toUnsignedLong(segment.get(layouts.u32, start + ISB_TIMESTAMP_HIGH_OFFSET)) << 32)
            | Integer.toUnsignedLong(segment.get(layouts.u32, start + ISB_TIMESTAMP_LOW_OFFSET));
        final long timestampNanos = timestampNanos(interfaceId, ticks, offset + ISB_TIMESTAMP_HIGH_OFFSET);
        long startTime = -1;
        long endTime = -1;
        final long[] counts = {-1, -1, -1, -1, -1};
        final List<String> comments = new ArrayList<>(0);
        resetOptions(start + ISB_OPTIONS_OFFSET, length);
        while (options.next()) {
            switch (options.code()) {
                case OPT_COMMENT -> comments.add(options.text(0));
                case ISB_STARTTIME -> startTime = timestampNanos(interfaceId, options.timestampTicks(), options.fileOffset());
                case ISB_ENDTIME -> endTime = timestampNanos(interfaceId, options.timestampTicks(), options.fileOffset());
                case ISB_IFRECV, ISB_IFDROP, ISB_FILTERACCEPT, ISB_OSDROP, ISB_USRDELIV ->
                    counts[options.code() - ISB_IFRECV] = options.u64();
                default -> { }
            }
        }
        statistics.set(interfaceId, new InterfaceStatistics(interfaceId, timestampNanos, startTime, endTime,
            counts[0], counts[ISB_IFDROP - ISB_IFRECV], counts[ISB_FILTERACCEPT - ISB_IFRECV],
            counts[ISB_OSDROP - ISB_IFRECV], counts[ISB_USRDELIV - ISB_IFRECV], comments));
    }

    /**
     * Records are walked like options (type, length, padded value, a type-0 record at the end), then the
     * block's own options. Unknown record types are skipped, as the spec asks.
     */
    private void readNameResolution(final int length) throws PcapFormatException {
        requireLength(NAME_RESOLUTION_BLOCK, length, NRB_RECORDS_OFFSET + Integer.BYTES);
        resetOptions(input.start() + NRB_RECORDS_OFFSET, length);
        while (options.next()) {
            final ResolvedName.AddressType type = switch (options.code()) {
                case NRB_RECORD_IPV4 -> ResolvedName.AddressType.IPV4;
                case NRB_RECORD_IPV6 -> ResolvedName.AddressType.IPV6;
                case NRB_RECORD_EUI48 -> ResolvedName.AddressType.EUI48;
                case NRB_RECORD_EUI64 -> ResolvedName.AddressType.EUI64;
                default -> null;
            };
            if (type == null) {
                continue;
            }
            final List<String> names = names(type);
            if (names.isEmpty()) {
                throw new PcapFormatException(options.fileOffset(), "name resolution record of type " + options.code()
                    + " has " + options.length() + " bytes: its " + type.bytes + "-byte address and no name");
            }
            if (resolvedNames.size() < MAX_RESOLVED_NAMES) {
                resolvedNames.add(new ResolvedName(type, options.bytes(0, type.bytes), names));
            } else if (namesNotKept++ == 0) {
                warn("section at byte offset " + section.fileOffset() + " has more than " + MAX_RESOLVED_NAMES
                    + " name resolution records: the rest were not kept");
            }
        }
        final int optionsStart = (int) options.following();
        resetOptions(optionsStart, length);
        while (options.next()) {
            // ns_dnsname, ns_dnsIP4addr, ns_dnsIP6addr, comments: checked to lie within the block, not kept.
        }
    }

    /** The NUL-separated names after the record's address; empty names are left out. */
    private List<String> names(final ResolvedName.AddressType type) throws PcapFormatException {
        if (options.length() < type.bytes) {
            throw new PcapFormatException(options.fileOffset(), "name resolution record of type " + options.code()
                + " has " + options.length() + " bytes, too few for its " + type.bytes + "-byte address");
        }
        final List<String> names = new ArrayList<>(1);
        int nameStart = type.bytes;
        for (int i = type.bytes; i <= options.length(); i++) {
            if (i == options.length() || options.byteAt(i) == 0) {
                if (i > nameStart) {
                    names.add(new String(options.bytes(nameStart, i), StandardCharsets.UTF_8));
                }
                nameStart = i + 1;
            }
        }
        return names;
    }

    private long timestampNanos(final int interfaceId, final long ticks, final long fileOffset)
        throws PcapFormatException {
        final TimestampScale scale = scales.get(interfaceId);
        final long nanos = scale.toNanos(ticks);
        if (nanos == Long.MIN_VALUE) {
            throw new PcapFormatException(fileOffset, "timestamp " + Long.toUnsignedString(ticks) + " in units of if_tsresol 0x"
                + Integer.toHexString(scale.resolution()) + " is beyond the years 1677 to 2262 that nanoseconds in 64 bits can hold");
        }
        return nanos;
    }

    private void resetOptions(final int optionsStart, final int length) {
        options.reset(input.segment(), layouts, optionsStart, input.start() + trailingLengthOffset(length),
            input.offset() - input.start());
    }

    private void requireLength(final int type, final int length, final int minimum) throws PcapFormatException {
        if (length < minimum) {
            throw new PcapFormatException(input.offset() + BLOCK_LENGTH_OFFSET, String.format(
                "block of type 0x%08x is %d bytes long, less than its minimum of %d", type, length, minimum));
        }
    }

    private void requireInterface(final int interfaceId, final long fileOffset) throws PcapFormatException {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            throw new PcapFormatException(fileOffset, "block refers to interface " + Integer.toUnsignedString(interfaceId)
                + " but its section describes " + interfaces.size());
        }
    }

    private void warn(final String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        }
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
        return Collections.unmodifiableList(interfaces);
    }

    @Override
    public ByteOrder byteOrder() {
        return layouts == null ? null : layouts.order;
    }

    /** @return the header of the current section, or null before the first block is read. */
    public SectionHeader section() {
        return section;
    }

    /**
     * @param interfaceId an interface of the current section.
     * @return the latest statistics of that interface in this section, or null if none were read yet.
     */
    public InterfaceStatistics statistics(final int interfaceId) {
        return statistics.get(interfaceId);
    }

    /**
     * @return the Name Resolution records read so far in the current section, in file order (the first
     *         {@value #MAX_RESOLVED_NAMES}; a warning says if there were more).
     */
    public List<ResolvedName> resolvedNames() {
        return Collections.unmodifiableList(resolvedNames);
    }

    /** @return sections skipped because their major version is not 1. */
    public int skippedSections() {
        return skippedSections;
    }

    /** @return what was skipped and why, one line each; the first 64. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Closes the file if the reader opened it. */
    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }
}
