package io.ringcap.pcap;

import static io.ringcap.pcap.PcapngDescriptor.OPT_COMMENT;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The packet a {@link PacketReader} is on: one reusable view, valid until the reader's next
 * {@code next()}. Reading it allocates nothing, except {@link #data()} and {@link #comments()},
 * which make objects; a loop that must not allocate reads the frame through {@link #buffer()}
 * from {@link #dataOffset()}.
 */
public final class PacketView {
    /** {@link #timestampNanos()} of a packet without one: a pcapng Simple Packet Block. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;
    /** {@link #dropCount()} when the file does not say. */
    public static final long UNKNOWN = -1L;

    private final OptionCursor commentCursor = new OptionCursor();
    private MemorySegment buffer;
    private long dataOffset;
    private int capturedLength;
    private long originalLength;
    private long timestampNanos;
    private int interfaceId;
    private CaptureInterface captureInterface;
    private int flags;
    private long dropCount;
    private long fileOffset;
    private ByteOrderLayouts optionLayouts;
    private long optionsStart;
    private long optionsEnd;

    PacketView() {
    }

    void set(
        final MemorySegment buffer, final long dataOffset, final int capturedLength, final long originalLength,
        final long timestampNanos, final int interfaceId, final CaptureInterface captureInterface,
        final long fileOffset) {
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.timestampNanos = timestampNanos;
        this.interfaceId = interfaceId;
        this.captureInterface = captureInterface;
        this.fileOffset = fileOffset;
        this.flags = 0;
        this.dropCount = UNKNOWN;
        this.optionLayouts = null;
    }

    void options(final int flags, final long dropCount, final ByteOrderLayouts layouts, final long start, final long end) {
        this.flags = flags;
        this.dropCount = dropCount;
        this.optionLayouts = layouts;
        this.optionsStart = start;
        this.optionsEnd = end;
    }

    /** @return nanoseconds since the Unix epoch, {@code if_tsoffset} included, or {@link #NO_TIMESTAMP}. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return false for a packet stored without a timestamp. */
    public boolean hasTimestamp() {
        return timestampNanos != NO_TIMESTAMP;
    }

    /** @return bytes of the packet in the file. */
    public int capturedLength() {
        return capturedLength;
    }

    /** @return bytes the packet had on the wire; more than {@link #capturedLength()} when it was cut. */
    public long originalLength() {
        return originalLength;
    }

    /** @return the reader's window, holding the packet's bytes from {@link #dataOffset()}. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** @return where in {@link #buffer()} the packet's bytes start. */
    public long dataOffset() {
        return dataOffset;
    }

    /** @return a slice of {@link #buffer()} holding exactly the packet's bytes; allocates the slice. */
    public MemorySegment data() {
        return buffer.asSlice(dataOffset, capturedLength);
    }

    /** @return the interface id within the current section; 0 for classic pcap. */
    public int interfaceId() {
        return interfaceId;
    }

    /** @return the interface the packet came in on. */
    public CaptureInterface captureInterface() {
        return captureInterface;
    }

    /** @return the link type of the packet's interface, e.g. 1 for Ethernet. */
    public int linkType() {
        return captureInterface.linkType();
    }

    /** @return {@code epb_flags} (or the Packet Block's {@code pack_flags}); 0 when absent. */
    public int flags() {
        return flags;
    }

    /** @return {@code epb_dropcount} (or the Packet Block's drops count), or {@link #UNKNOWN}. */
    public long dropCount() {
        return dropCount;
    }

    /** @return byte offset in the file of the packet's block or record; for an index of the file. */
    public long fileOffset() {
        return fileOffset;
    }

    /** @return every {@code opt_comment} of the packet, decoded now; allocates. */
    public List<String> comments() {
        if (optionLayouts == null) {
            return List.of();
        }
        return commentCursor.reset(buffer, optionLayouts, optionsStart, optionsEnd, 0).texts(OPT_COMMENT);
    }

    @Override
    public String toString() {
        return "PacketView{timestampNanos=" + timestampNanos + ", capturedLength=" + capturedLength
            + ", originalLength=" + originalLength + ", interfaceId=" + interfaceId + ", flags=" + flags
            + ", dropCount=" + dropCount + ", fileOffset=" + fileOffset + '}';
    }
}
