package io.ringcap.pcap;

/**
 * Layout of a classic pcap file: one file header followed by records, each a record header and
 * the captured bytes. All fields are in the byte order the magic number was written in.
 *
 * <pre>
 * File header (24 bytes)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         magic number                          |  0
 *  +-------------------------------+-------------------------------+
 *  |         major version         |         minor version         |  4
 *  +-------------------------------+-------------------------------+
 *  |                   this zone (always 0, ignored)               |  8
 *  +---------------------------------------------------------------+
 *  |                   sigfigs (always 0, ignored)                 | 12
 *  +---------------------------------------------------------------+
 *  |                           snap length                         | 16
 *  +---------------------------------------------------------------+
 *  |  FCS  |                   link type                           | 20
 *  +---------------------------------------------------------------+
 *
 * Record header (16 bytes; 24 in the modified format of magic 0xa1b2cd34)
 *  +---------------------------------------------------------------+
 *  |                      timestamp (seconds)                      |  0
 *  +---------------------------------------------------------------+
 *  |           timestamp (microseconds or nanoseconds)             |  4
 *  +---------------------------------------------------------------+
 *  |                        captured length                        |  8
 *  +---------------------------------------------------------------+
 *  |                        original length                        | 12
 *  +---------------------------------------------------------------+
 *  |   modified format only: ifindex (4), protocol (2), type, pad  | 16
 *  +---------------------------------------------------------------+
 *  |                     packet data ...                           |
 * </pre>
 */
public final class PcapDescriptor {
    /** Magic of a file whose timestamps carry microseconds. */
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    /** Magic of a file whose timestamps carry nanoseconds: the one {@link PcapWriter} writes. */
    public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    /** Magic of Alexey Kuznetzov's modified format: microseconds and 24-byte record headers. */
    public static final int MAGIC_MODIFIED = 0xA1B2CD34;

    /** The only major version in use since 1998. */
    public static final int VERSION_MAJOR = 2;
    /** The minor version written; readers accept any minor version of major 2. */
    public static final int VERSION_MINOR = 4;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_MAJOR_OFFSET = 4;
    public static final int VERSION_MINOR_OFFSET = 6;
    public static final int THIS_ZONE_OFFSET = 8;
    public static final int SIGFIGS_OFFSET = 12;
    public static final int SNAP_LENGTH_OFFSET = 16;
    public static final int LINK_TYPE_OFFSET = 20;
    public static final int FILE_HEADER_LENGTH = 24;

    /** The link type is the low 28 bits; the top 4 describe the FCS and are not part of it. */
    public static final int LINK_TYPE_MASK = 0x0FFF_FFFF;

    public static final int TIMESTAMP_SECONDS_OFFSET = 0;
    public static final int TIMESTAMP_FRACTION_OFFSET = 4;
    public static final int CAPTURED_LENGTH_OFFSET = 8;
    public static final int ORIGINAL_LENGTH_OFFSET = 12;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int MODIFIED_RECORD_HEADER_LENGTH = 24;

    private PcapDescriptor() {
    }
}
