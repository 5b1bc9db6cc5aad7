package io.ringcap.record;

/**
 * Layout of a recording's index file ({@code <recording>.pcapng.idx}), little-endian, written once when the
 * recording is complete. Only {@link RecordingIndex} reads and writes it.
 *
 * <pre>
 *  offset  size
 *       0     8  magic "RCAPIDX1"
 *       8     4  format version (1)
 *      12     4  flags: bit 0 = flow table overflowed (some flows not listed)
 *      16     8  length of the pcapng file this index describes (an index for another length is stale)
 *      24     8  packets in the file
 *      32     8  smallest packet timestamp, ns since the Unix epoch (Long.MAX_VALUE when no packets)
 *      40     8  largest packet timestamp (Long.MIN_VALUE when no packets)
 *      48     8  packets that are not IPv4/UDP (not in any flow)
 *      56     4  C: context blocks
 *      60     4  E: time entries
 *      64     4  F: flows
 *      68     4  zero
 *      72        C x 16: context block (SHB, IDB): file offset (8), block length (8)
 *                E x 32: entry: file offset of an EPB (8), packets before it (8),
 *                        largest timestamp of the packets before it (8),
 *                        smallest timestamp of it and every packet after it (8)
 *                F x 40: flow: IPv4 destination (4), UDP port (4), packets (8), frame bytes (8),
 *                        first timestamp (8), last timestamp (8)
 *     end-4     4  CRC32C of every byte before it
 * </pre>
 *
 * The two timestamps of an entry make seeking exact even when timestamps are not in order: every packet
 * before an entry whose "largest before" is below {@code from} is too early, and no packet at or after an
 * entry whose "smallest from here" is above {@code to} is in range.
 */
final class IndexDescriptor {
    static final long MAGIC = 0x3158_4449_5041_4352L; // "RCAPIDX1" read as a little-endian long
    static final int VERSION = 1;
    static final int FLAG_FLOWS_OVERFLOWED = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 12;
    static final int FILE_LENGTH_OFFSET = 16;
    static final int PACKETS_OFFSET = 24;
    static final int MIN_TIMESTAMP_OFFSET = 32;
    static final int MAX_TIMESTAMP_OFFSET = 40;
    static final int OTHER_PACKETS_OFFSET = 48;
    static final int CONTEXT_COUNT_OFFSET = 56;
    static final int ENTRY_COUNT_OFFSET = 60;
    static final int FLOW_COUNT_OFFSET = 64;
    static final int HEADER_LENGTH = 72;

    static final int CONTEXT_LENGTH = 16;
    static final int ENTRY_LENGTH = 32;
    static final int FLOW_LENGTH = 40;
    static final int TRAILER_LENGTH = 4;

    /** A new entry at least every this many bytes of file... */
    static final long ENTRY_BYTES = 1L << 20;
    /** ...or this much packet time, whichever comes first. */
    static final long ENTRY_NANOS = 10_000_000L;

    private IndexDescriptor() {
    }

    static long length(int contexts, int entries, int flows) {
        return HEADER_LENGTH + (long) contexts * CONTEXT_LENGTH + (long) entries * ENTRY_LENGTH
            + (long) flows * FLOW_LENGTH + TRAILER_LENGTH;
    }
}
