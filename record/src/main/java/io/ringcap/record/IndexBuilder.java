package io.ringcap.record;

import io.ringcap.pcap.PacketReader;
import io.ringcap.pcap.PacketView;
import io.ringcap.pcap.PcapngDescriptor;
import io.ringcap.pcap.PcapngReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static io.ringcap.record.IndexDescriptor.ENTRY_BYTES;
import static io.ringcap.record.IndexDescriptor.ENTRY_NANOS;

/**
 * Builds a {@link RecordingIndex} from the blocks of a pcapng file in file order: while the recorder
 * writes it, or by scanning a file afterwards. Both see the same offsets and timestamps, so both build the
 * same index. Counting a packet allocates nothing but, rarely, a bigger entry array.
 */
final class IndexBuilder {
    private final FlowTable flows = new FlowTable();
    private long[] contextOffsets = new long[4];
    private long[] contextLengths = new long[4];
    private int contexts;
    private long[] entryOffsets = new long[256];
    private long[] entryPacketsBefore = new long[256];
    private long[] entryMaxBefore = new long[256];
    private long[] entryMinWithin = new long[256];
    private int entries;
    private long packets;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private long otherPackets;
    private long lastEntryOffset;
    private long lastEntryTimestamp;

    /** A block every reader of the file needs (SHB, IDB), at {@code offset}. */
    void contextBlock(long offset, long length) {
        if (contexts == contextOffsets.length) {
            contextOffsets = Arrays.copyOf(contextOffsets, contexts * 2);
            contextLengths = Arrays.copyOf(contextLengths, contexts * 2);
        }
        contextOffsets[contexts] = offset;
        contextLengths[contexts] = length;
        contexts++;
    }

    /** A packet whose block starts at {@code blockOffset}, sent to {@code destination} ({@link UdpDestination}). */
    void packet(long blockOffset, long timestampNanos, long destination, int length) {
        if (entries == 0 || blockOffset - lastEntryOffset >= ENTRY_BYTES
            || timestampNanos - lastEntryTimestamp >= ENTRY_NANOS) {
            addEntry(blockOffset, timestampNanos);
        }
        entryMinWithin[entries - 1] = Math.min(entryMinWithin[entries - 1], timestampNanos);
        packets++;
        minTimestamp = Math.min(minTimestamp, timestampNanos);
        maxTimestamp = Math.max(maxTimestamp, timestampNanos);
        if (destination == UdpDestination.NONE) {
            otherPackets++;
        } else {
            flows.count(destination, length, timestampNanos);
        }
    }

    private void addEntry(long blockOffset, long timestampNanos) {
        if (entries == entryOffsets.length) {
            int capacity = entries * 2;
            entryOffsets = Arrays.copyOf(entryOffsets, capacity);
            entryPacketsBefore = Arrays.copyOf(entryPacketsBefore, capacity);
            entryMaxBefore = Arrays.copyOf(entryMaxBefore, capacity);
            entryMinWithin = Arrays.copyOf(entryMinWithin, capacity);
        }
        entryOffsets[entries] = blockOffset;
        entryPacketsBefore[entries] = packets;
        entryMaxBefore[entries] = maxTimestamp;
        entryMinWithin[entries] = Long.MAX_VALUE;
        entries++;
        lastEntryOffset = blockOffset;
        lastEntryTimestamp = timestampNanos;
    }

    long packets() {
        return packets;
    }

    /** The index of a file of {@code fileLength} bytes holding what was counted. */
    RecordingIndex build(long fileLength) {
        long[] minFrom = new long[entries];
        long min = Long.MAX_VALUE;
        for (int i = entries - 1; i >= 0; i--) {
            min = Math.min(min, entryMinWithin[i]);
            minFrom[i] = min;
        }
        int n = flows.size();
        long[] destinations = new long[n];
        long[] flowPackets = new long[n];
        long[] bytes = new long[n];
        long[] first = new long[n];
        long[] last = new long[n];
        int[] i = {0};
        flows.forEach((destination, p, b, f, l) -> {
            destinations[i[0]] = destination;
            flowPackets[i[0]] = p;
            bytes[i[0]] = b;
            first[i[0]] = f;
            last[i[0]] = l;
            i[0]++;
        });
        return new RecordingIndex(fileLength, packets, minTimestamp, maxTimestamp, otherPackets, flows.overflowed(),
            Arrays.copyOf(contextOffsets, contexts), Arrays.copyOf(contextLengths, contexts),
            Arrays.copyOf(entryOffsets, entries), Arrays.copyOf(entryPacketsBefore, entries),
            Arrays.copyOf(entryMaxBefore, entries), minFrom, destinations, flowPackets, bytes, first, last);
    }

    /**
     * Scans a whole pcapng file. Throws {@link io.ringcap.pcap.PcapFormatException} for a damaged one and
     * {@link RecordingException} for a file that is not pcapng.
     */
    static IndexBuilder scan(Path file) throws IOException {
        IndexBuilder builder = new IndexBuilder();
        try (PacketReader reader = PacketReader.open(file)) {
            if (!(reader instanceof PcapngReader pcapng)) {
                throw new RecordingException(file + " is classic pcap: only pcapng recordings are indexed");
            }
            pcapng.blockObserver((type, offset, length) -> {
                if (type == PcapngDescriptor.SECTION_HEADER_BLOCK || type == PcapngDescriptor.INTERFACE_DESCRIPTION_BLOCK) {
                    builder.contextBlock(offset, length);
                }
            });
            while (reader.next()) {
                PacketView p = reader.packet();
                builder.packet(p.fileOffset(), p.timestampNanos(),
                    UdpDestination.of(p.buffer(), p.dataOffset(), p.capturedLength()), p.capturedLength());
            }
        }
        return builder;
    }
}
