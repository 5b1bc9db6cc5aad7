package io.ringcap.ring;

/**
 * Layout of a ring file: a metadata region (header page, then the lap-recovery index) followed by the
 * data region of {@code capacity} bytes. All fields are in native byte order.
 *
 * <pre>
 *  file offset
 *  0            +------------------------------------------------------------+
 *               | header page (4096 bytes), fields below                      |
 *  4096         +------------------------------------------------------------+
 *               | index: one long per chunk of the data region, holding the   |
 *               | position of the first record that starts in that chunk      |
 *  dataOffset   +------------------------------------------------------------+  (multiple of the page size)
 *               | data: capacity bytes (a power of two) of 8-byte aligned     |
 *               | records, see RecordDescriptor                               |
 *  dataOffset + +------------------------------------------------------------+
 *  capacity
 *
 *  header page
 *   0 +---------------------------------------------------------------+
 *     | magic "RINGCAP\0" (long)                                      |
 *   8 +-------------------------------+-------------------------------+
 *     | format version (int) LAST     | page size of the backing (int)|
 *  16 +-------------------------------+-------------------------------+
 *     | capacity (long)                                               |
 *  24 +---------------------------------------------------------------+
 *     | data offset (long)                                            |
 *  32 +---------------------------------------------------------------+
 *     | index offset (long)                                           |
 *  40 +-------------------------------+-------------------------------+
 *     | index chunk shift (int)       | max captured length (int)     |
 *  48 +-------------------------------+-------------------------------+
 *     | creation time, ns since the Unix epoch (long)                 |
 *  56 +---------------------------------------------------------------+
 *     | epoch (long): incremented by every writer start               |
 *  64 +---------------------------------------------------------------+
 *     | writer pid (long)                                             |
 *  72 +---------------------------------------------------------------+
 *     | writer process start time, ms since the Unix epoch (long)     |
 *  80 +-------------------------------+-------------------------------+
 *     | timestamp source (int)        | writer state (int)            |
 *  88 +-------------------------------+-------------------------------+
 *     | reserved                                                      |
 * 128 +-------------------------------+-------------------------------+
 *     | source description length(int)| UTF-8 bytes ... (252 max)     |
 * 384 +---------------------------------------------------------------+
 *     | heartbeat, ns since the Unix epoch (long)    own cache line   |
 * 512 +---------------------------------------------------------------+
 *     | tail intent (long): writer will have written up to here       |
 * 640 +---------------------------------------------------------------+
 *     | tail (long): records before this position are published      |
 * 768 +---------------------------------------------------------------+
 *     | records written | bytes written | source drops |              |
 *     | source received | truncated records   (longs, own line)      |
 * 896 +---------------------------------------------------------------+
 *     | interface received | interface drops (longs, -1 = unknown)    |
 *1024 +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Hot fields sit 128 bytes apart so the adjacent-line prefetcher does not make them share a line.
 * Positions are byte counts that only grow; {@code position & (capacity - 1)} is the data offset.
 */
public final class RingDescriptor {
    /** "RINGCAP\0" read as a little-endian long. */
    public static final long MAGIC = 0x0050414347_4E4952L;
    /** The ring format this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public static final int HEADER_LENGTH = 4096;
    public static final int CACHE_LINE = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int PAGE_SIZE_OFFSET = 12;
    public static final int CAPACITY_OFFSET = 16;
    public static final int DATA_OFFSET_OFFSET = 24;
    public static final int INDEX_OFFSET_OFFSET = 32;
    public static final int INDEX_CHUNK_SHIFT_OFFSET = 40;
    public static final int MAX_CAPTURED_LENGTH_OFFSET = 44;
    public static final int CREATION_TIME_OFFSET = 48;
    public static final int EPOCH_OFFSET = 56;
    public static final int WRITER_PID_OFFSET = 64;
    public static final int WRITER_START_TIME_OFFSET = 72;
    public static final int TIMESTAMP_SOURCE_OFFSET = 80;
    public static final int WRITER_STATE_OFFSET = 84;
    public static final int SOURCE_DESCRIPTION_LENGTH_OFFSET = 128;
    public static final int SOURCE_DESCRIPTION_OFFSET = 132;
    public static final int SOURCE_DESCRIPTION_MAX_LENGTH = 252;
    public static final int HEARTBEAT_OFFSET = 384;
    public static final int TAIL_INTENT_OFFSET = 512;
    public static final int TAIL_OFFSET = 640;
    public static final int RECORDS_WRITTEN_OFFSET = 768;
    public static final int BYTES_WRITTEN_OFFSET = 776;
    public static final int SOURCE_DROPS_OFFSET = 784;
    public static final int SOURCE_RECEIVED_OFFSET = 792;
    public static final int TRUNCATED_RECORDS_OFFSET = 800;
    /** Packets the interface received since the capture started (/proc/net/dev), -1 where unknown. */
    public static final int INTERFACE_RECEIVED_OFFSET = 896;
    /** Packets the interface's driver or NIC dropped since the capture started, -1 where unknown. */
    public static final int INTERFACE_DROPS_OFFSET = 904;

    /** Writer state: ring created, no writer has opened it yet. */
    public static final int STATE_NEW = 0;
    /** Writer state: a writer has it open (check the heartbeat and pid to see if it still lives). */
    public static final int STATE_OPEN = 1;
    /** Writer state: the last writer closed it cleanly. */
    public static final int STATE_CLOSED = 2;

    /** Smallest ring capacity. */
    public static final long MIN_CAPACITY = 64L * 1024;
    /** Largest ring capacity (64 TiB): positions stay far below 2^63 for centuries at any line rate. */
    public static final long MAX_CAPACITY = 1L << 46;
    /** The index never has more entries than this, so it stays within 512 KiB. */
    public static final int MAX_INDEX_ENTRIES = 1 << 16;
    /** Smallest index chunk: 4 KiB. */
    public static final int MIN_INDEX_CHUNK_SHIFT = 12;

    private RingDescriptor() {
    }

    /** Whether {@code capacity} is a power of two within [MIN_CAPACITY, MAX_CAPACITY]. */
    public static boolean isValidCapacity(long capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    /**
     * Why a capacity {@link #isValidCapacity} refuses cannot be a ring, and what to give instead, after
     * {@code size} (how the caller names it, e.g. {@code --size 3 GiB}).
     */
    public static String invalidCapacity(String size) {
        return size + " is not a power of two between " + Sizes.format(MIN_CAPACITY) + " and "
            + Sizes.format(MAX_CAPACITY) + ": use e.g. 64m, 1g or 8g";
    }

    /** log2 of the index chunk size: chunks of at least 4 KiB, at most {@link #MAX_INDEX_ENTRIES} of them. */
    public static int indexChunkShift(long capacity) {
        int capacityShift = Long.numberOfTrailingZeros(capacity);
        return Math.max(MIN_INDEX_CHUNK_SHIFT, capacityShift - Integer.numberOfTrailingZeros(MAX_INDEX_ENTRIES));
    }

    /** Number of index entries for a ring of this capacity. */
    public static int indexEntries(long capacity) {
        return (int) (capacity >>> indexChunkShift(capacity));
    }

    /** Offset of the data region: header plus index, rounded up to {@code pageSize}. */
    public static long dataOffset(long capacity, int pageSize) {
        long metadata = HEADER_LENGTH + (long) indexEntries(capacity) * Long.BYTES;
        return (metadata + pageSize - 1) / pageSize * pageSize;
    }

    /** Total file length for a ring of this capacity on a backing with this page size. */
    public static long fileLength(long capacity, int pageSize) {
        return dataOffset(capacity, pageSize) + capacity;
    }

    /**
     * Largest frame a record may carry: an eighth of the ring (so a reader is never lapped by a single
     * record) and at most 1 MiB, less the record header.
     */
    public static int maxCapturedLength(long capacity) {
        return (int) Math.min(capacity / 8, 1 << 20) - RecordDescriptor.HEADER_LENGTH;
    }
}
