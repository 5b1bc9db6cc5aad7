package io.ringcap.record;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.ringcap.record.IndexDescriptor.*;

/**
 * What one recording holds, for finding a time range or a group without reading the recording: its time
 * range, packet count, flows, where its context blocks (SHB, IDBs) are, and a time to file offset map with
 * an entry every {@link IndexDescriptor#ENTRY_BYTES} of file or {@link IndexDescriptor#ENTRY_NANOS} of
 * packet time. Layout in {@link IndexDescriptor}.
 */
public final class RecordingIndex {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** An index bigger than this is not one of ours: refused before anything is allocated. */
    private static final long MAX_LENGTH = 256L << 20;

    final long fileLength;
    final long packets;
    final long minTimestamp;
    final long maxTimestamp;
    final long otherPackets;
    final boolean flowsOverflowed;
    final long[] contextOffsets;
    final long[] contextLengths;
    final long[] entryOffsets;
    final long[] entryPacketsBefore;
    final long[] entryMaxBefore;
    final long[] entryMinFrom;
    final long[] flowDestinations;
    final long[] flowPackets;
    final long[] flowBytes;
    final long[] flowFirst;
    final long[] flowLast;

    RecordingIndex(long fileLength, long packets, long minTimestamp, long maxTimestamp, long otherPackets,
        boolean flowsOverflowed, long[] contextOffsets, long[] contextLengths, long[] entryOffsets,
        long[] entryPacketsBefore, long[] entryMaxBefore, long[] entryMinFrom, long[] flowDestinations,
        long[] flowPackets, long[] flowBytes, long[] flowFirst, long[] flowLast) {
        this.fileLength = fileLength;
        this.packets = packets;
        this.minTimestamp = minTimestamp;
        this.maxTimestamp = maxTimestamp;
        this.otherPackets = otherPackets;
        this.flowsOverflowed = flowsOverflowed;
        this.contextOffsets = contextOffsets;
        this.contextLengths = contextLengths;
        this.entryOffsets = entryOffsets;
        this.entryPacketsBefore = entryPacketsBefore;
        this.entryMaxBefore = entryMaxBefore;
        this.entryMinFrom = entryMinFrom;
        this.flowDestinations = flowDestinations;
        this.flowPackets = flowPackets;
        this.flowBytes = flowBytes;
        this.flowFirst = flowFirst;
        this.flowLast = flowLast;
    }

    /** Length of the pcapng file this index describes. */
    public long fileLength() {
        return fileLength;
    }

    public long packets() {
        return packets;
    }

    /** Smallest packet timestamp, or Long.MAX_VALUE for a file without packets. */
    public long minTimestampNanos() {
        return minTimestamp;
    }

    /** Largest packet timestamp, or Long.MIN_VALUE for a file without packets. */
    public long maxTimestampNanos() {
        return maxTimestamp;
    }

    /** Number of time entries. */
    public int entries() {
        return entryOffsets.length;
    }

    /** Number of flows listed. */
    public int flows() {
        return flowDestinations.length;
    }

    /** The {@code i}th flow's destination ({@link UdpDestination}). */
    public long flowDestination(int i) {
        return flowDestinations[i];
    }

    /** The {@code i}th flow's packets. */
    public long flowPackets(int i) {
        return flowPackets[i];
    }

    /** The {@code i}th flow's captured bytes. */
    public long flowBytes(int i) {
        return flowBytes[i];
    }

    /** The {@code i}th flow's first packet's time, ns since the epoch. */
    public long flowFirstNanos(int i) {
        return flowFirst[i];
    }

    /** The {@code i}th flow's last packet's time, ns since the epoch. */
    public long flowLastNanos(int i) {
        return flowLast[i];
    }

    /** Whether a packet in {@code [fromNanos, toNanos)} may be in the file. */
    public boolean overlaps(long fromNanos, long toNanos) {
        return packets > 0 && maxTimestamp >= fromNanos && minTimestamp < toNanos;
    }

    /**
     * Whether a packet of {@code destination} may be in the file: false only if the flow table is complete
     * and does not list it.
     */
    public boolean mayHold(long destination) {
        if (flowsOverflowed) {
            return true;
        }
        for (long d : flowDestinations) {
            if (d == destination) {
                return true;
            }
        }
        return false;
    }

    /** File offset before which every packet is earlier than {@code fromNanos}: where reading may start. */
    public long startOffset(long fromNanos) {
        long offset = -1;
        for (int i = 0; i < entryOffsets.length && entryMaxBefore[i] < fromNanos; i++) {
            offset = entryOffsets[i];
        }
        return offset;
    }

    /** File offset from which no packet is earlier than {@code toNanos}: where reading may stop. */
    public long stopOffset(long toNanos) {
        for (int i = 0; i < entryOffsets.length; i++) {
            if (entryMinFrom[i] >= toNanos) {
                return entryOffsets[i];
            }
        }
        return fileLength;
    }

    /** Context blocks (SHB, IDBs) that start before {@code offset}, as (offset, length) pairs. */
    long[] contextBefore(long offset) {
        int n = 0;
        while (n < contextOffsets.length && contextOffsets[n] < offset) {
            n++;
        }
        long[] ranges = new long[n * 2];
        for (int i = 0; i < n; i++) {
            ranges[2 * i] = contextOffsets[i];
            ranges[2 * i + 1] = contextLengths[i];
        }
        return ranges;
    }

    /** Writes the index to {@code path} (replacing it), forcing it to disk if {@code force}. */
    public void write(Path path, boolean force) throws IOException {
        long length = IndexDescriptor.length(contextOffsets.length, entryOffsets.length, flowDestinations.length);
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment s = arena.allocate(length);
            s.set(LONG, MAGIC_OFFSET, MAGIC);
            s.set(INT, VERSION_OFFSET, VERSION);
            s.set(INT, FLAGS_OFFSET, flowsOverflowed ? FLAG_FLOWS_OVERFLOWED : 0);
            s.set(LONG, FILE_LENGTH_OFFSET, fileLength);
            s.set(LONG, PACKETS_OFFSET, packets);
            s.set(LONG, MIN_TIMESTAMP_OFFSET, minTimestamp);
            s.set(LONG, MAX_TIMESTAMP_OFFSET, maxTimestamp);
            s.set(LONG, OTHER_PACKETS_OFFSET, otherPackets);
            s.set(INT, CONTEXT_COUNT_OFFSET, contextOffsets.length);
            s.set(INT, ENTRY_COUNT_OFFSET, entryOffsets.length);
            s.set(INT, FLOW_COUNT_OFFSET, flowDestinations.length);
            long at = HEADER_LENGTH;
            for (int i = 0; i < contextOffsets.length; i++, at += CONTEXT_LENGTH) {
                s.set(LONG, at, contextOffsets[i]);
                s.set(LONG, at + 8, contextLengths[i]);
            }
            for (int i = 0; i < entryOffsets.length; i++, at += ENTRY_LENGTH) {
                s.set(LONG, at, entryOffsets[i]);
                s.set(LONG, at + 8, entryPacketsBefore[i]);
                s.set(LONG, at + 16, entryMaxBefore[i]);
                s.set(LONG, at + 24, entryMinFrom[i]);
            }
            for (int i = 0; i < flowDestinations.length; i++, at += FLOW_LENGTH) {
                s.set(INT, at, (int) UdpDestination.address(flowDestinations[i]));
                s.set(INT, at + 4, UdpDestination.port(flowDestinations[i]));
                s.set(LONG, at + 8, flowPackets[i]);
                s.set(LONG, at + 16, flowBytes[i]);
                s.set(LONG, at + 24, flowFirst[i]);
                s.set(LONG, at + 32, flowLast[i]);
            }
            s.set(INT, at, crc(s.asByteBuffer().limit((int) at)));
            ByteBuffer bytes = s.asByteBuffer();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (force) {
                channel.force(true);
            }
        }
    }

    /**
     * Reads and checks an index. Throws {@link RecordingException} saying what is wrong with a file that
     * is not a complete, intact index (the caller then scans the recording instead).
     */
    public static RecordingIndex read(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < HEADER_LENGTH + TRAILER_LENGTH || length > MAX_LENGTH) {
                throw new RecordingException("index " + path + " has " + length + " bytes: not an index of this format");
            }
            MemorySegment s = arena.allocate(length);
            ByteBuffer buffer = s.asByteBuffer();
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads until full or end of file
            }
            if (buffer.hasRemaining()) {
                throw new RecordingException("index " + path + " shrank while it was read");
            }
            return parse(path, s);
        }
    }

    private static RecordingIndex parse(Path path, MemorySegment s) {
        long length = s.byteSize();
        if (s.get(LONG, MAGIC_OFFSET) != MAGIC) {
            throw new RecordingException("index " + path + " does not start with the magic RCAPIDX1");
        }
        if (s.get(INT, VERSION_OFFSET) != VERSION) {
            throw new RecordingException("index " + path + " has format version " + s.get(INT, VERSION_OFFSET)
                + ", this ringcap reads version " + VERSION);
        }
        int contexts = s.get(INT, CONTEXT_COUNT_OFFSET);
        int entries = s.get(INT, ENTRY_COUNT_OFFSET);
        int flows = s.get(INT, FLOW_COUNT_OFFSET);
        if (contexts < 0 || entries < 0 || flows < 0 || IndexDescriptor.length(contexts, entries, flows) != length) {
            throw new RecordingException("index " + path + " is truncated or damaged: it has " + length
                + " bytes but its counts (" + contexts + " context blocks, " + entries + " entries, " + flows
                + " flows) need " + IndexDescriptor.length(Math.max(contexts, 0), Math.max(entries, 0), Math.max(flows, 0)));
        }
        int stored = s.get(INT, length - TRAILER_LENGTH);
        if (stored != crc(s.asByteBuffer().limit((int) (length - TRAILER_LENGTH)))) {
            throw new RecordingException("index " + path + " is damaged: its checksum does not match");
        }
        long fileLength = s.get(LONG, FILE_LENGTH_OFFSET);
        long[] contextOffsets = new long[contexts];
        long[] contextLengths = new long[contexts];
        long at = HEADER_LENGTH;
        for (int i = 0; i < contexts; i++, at += CONTEXT_LENGTH) {
            contextOffsets[i] = s.get(LONG, at);
            contextLengths[i] = s.get(LONG, at + 8);
            boolean inOrder = i == 0 ? contextOffsets[0] == 0 : contextOffsets[i] >= contextOffsets[i - 1] + contextLengths[i - 1];
            if (!inOrder || contextLengths[i] < 12 || contextOffsets[i] + contextLengths[i] > fileLength) {
                throw new RecordingException("index " + path + " is damaged: context block " + i + " is out of place");
            }
        }
        long[] offsets = new long[entries];
        long[] before = new long[entries];
        long[] maxBefore = new long[entries];
        long[] minFrom = new long[entries];
        for (int i = 0; i < entries; i++, at += ENTRY_LENGTH) {
            offsets[i] = s.get(LONG, at);
            before[i] = s.get(LONG, at + 8);
            maxBefore[i] = s.get(LONG, at + 16);
            minFrom[i] = s.get(LONG, at + 24);
            if (offsets[i] < 0 || offsets[i] >= fileLength || (i > 0 && offsets[i] <= offsets[i - 1])) {
                throw new RecordingException("index " + path + " is damaged: entry " + i + " is out of place");
            }
        }
        long[] destinations = new long[flows];
        long[] packets = new long[flows];
        long[] bytes = new long[flows];
        long[] first = new long[flows];
        long[] last = new long[flows];
        for (int i = 0; i < flows; i++, at += FLOW_LENGTH) {
            destinations[i] = UdpDestination.pack(s.get(INT, at) & 0xFFFF_FFFFL, s.get(INT, at + 4) & 0xFFFF);
            packets[i] = s.get(LONG, at + 8);
            bytes[i] = s.get(LONG, at + 16);
            first[i] = s.get(LONG, at + 24);
            last[i] = s.get(LONG, at + 32);
        }
        return new RecordingIndex(fileLength, s.get(LONG, PACKETS_OFFSET), s.get(LONG, MIN_TIMESTAMP_OFFSET),
            s.get(LONG, MAX_TIMESTAMP_OFFSET), s.get(LONG, OTHER_PACKETS_OFFSET),
            (s.get(INT, FLAGS_OFFSET) & FLAG_FLOWS_OVERFLOWED) != 0, contextOffsets, contextLengths, offsets, before,
            maxBefore, minFrom, destinations, packets, bytes, first, last);
    }

    private static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
