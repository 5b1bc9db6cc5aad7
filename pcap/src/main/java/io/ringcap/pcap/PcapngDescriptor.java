package io.ringcap.pcap;

/**
 * Layout of pcapng blocks (draft-ietf-opsawg-pcapng). Every block has the same frame, so a reader
 * can walk blocks it does not understand:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          block type                           |  0
 *  +---------------------------------------------------------------+
 *  |                      block total length                       |  4
 *  +---------------------------------------------------------------+
 *  /                  block body (multiple of 4 bytes)             /  8
 *  +---------------------------------------------------------------+
 *  |                      block total length                       |  length - 4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The bodies this module reads or writes, offsets from the start of the block:
 *
 * <pre>
 *  Section Header Block      Interface Description     Enhanced Packet Block
 *   8 byte-order magic        8 link type (16 bits)     8 interface id
 *  12 major (16) minor (16)  10 reserved (16 bits)     12 timestamp, high 32 bits
 *  16 section length (64)    12 snap length            16 timestamp, low 32 bits
 *  24 options                16 options                20 captured length
 *                                                      24 original length
 *  Simple Packet Block       Packet Block (obsolete)   28 data, padded to 4; options
 *   8 original length         8 interface id (16)
 *  12 data, padded to 4      10 drops count (16)       Interface Statistics Block
 *                            12 timestamp high          8 interface id
 *                            16 timestamp low          12 timestamp, high 32 bits
 *                            20 captured length        16 timestamp, low 32 bits
 *                            24 original length        20 options
 *                            28 data; options
 *
 *  Name Resolution Block
 *   8 records, each like an option: type, length, value (an address, then NUL-terminated
 *     names), ended by a record of type 0; then options
 * </pre>
 *
 * Options are a list of (code: 16 bits, length: 16 bits, value padded to 4 bytes), ended by
 * {@link #OPT_ENDOFOPT} or by the end of the block. Timestamps count units of the interface's
 * {@code if_tsresol} since the Unix epoch, stored as two 32-bit words, high word first.
 */
public final class PcapngDescriptor {
    public static final int SECTION_HEADER_BLOCK = 0x0A0D_0D0A;
    public static final int INTERFACE_DESCRIPTION_BLOCK = 0x0000_0001;
    public static final int PACKET_BLOCK = 0x0000_0002;
    public static final int SIMPLE_PACKET_BLOCK = 0x0000_0003;
    public static final int NAME_RESOLUTION_BLOCK = 0x0000_0004;
    public static final int INTERFACE_STATISTICS_BLOCK = 0x0000_0005;
    public static final int ENHANCED_PACKET_BLOCK = 0x0000_0006;
    public static final int DECRYPTION_SECRETS_BLOCK = 0x0000_000A;
    public static final int CUSTOM_BLOCK = 0x0000_0BAD;
    /** A custom block that a rewriting tool must not copy. */
    public static final int CUSTOM_BLOCK_NO_COPY = 0x4000_0BAD;

    /** The byte-order magic as written; read in the wrong order it becomes 0x4D3C2B1A. */
    public static final int BYTE_ORDER_MAGIC = 0x1A2B_3C4D;
    public static final int VERSION_MAJOR = 1;
    public static final int VERSION_MINOR = 0;
    /** Section length meaning "not known", which is what a streaming writer puts there. */
    public static final long SECTION_LENGTH_UNKNOWN = -1L;

    public static final int BLOCK_TYPE_OFFSET = 0;
    public static final int BLOCK_LENGTH_OFFSET = 4;
    public static final int BLOCK_BODY_OFFSET = 8;
    /** Block type, leading length and trailing length. */
    public static final int BLOCK_FRAME_LENGTH = 12;
    public static final int BLOCK_ALIGNMENT = 4;

    public static final int SHB_BYTE_ORDER_MAGIC_OFFSET = 8;
    public static final int SHB_VERSION_MAJOR_OFFSET = 12;
    public static final int SHB_VERSION_MINOR_OFFSET = 14;
    public static final int SHB_SECTION_LENGTH_OFFSET = 16;
    public static final int SHB_OPTIONS_OFFSET = 24;

    public static final int IDB_LINK_TYPE_OFFSET = 8;
    public static final int IDB_RESERVED_OFFSET = 10;
    public static final int IDB_SNAP_LENGTH_OFFSET = 12;
    public static final int IDB_OPTIONS_OFFSET = 16;

    public static final int EPB_INTERFACE_ID_OFFSET = 8;
    public static final int EPB_TIMESTAMP_HIGH_OFFSET = 12;
    public static final int EPB_TIMESTAMP_LOW_OFFSET = 16;
    public static final int EPB_CAPTURED_LENGTH_OFFSET = 20;
    public static final int EPB_ORIGINAL_LENGTH_OFFSET = 24;
    public static final int EPB_DATA_OFFSET = 28;

    public static final int SPB_ORIGINAL_LENGTH_OFFSET = 8;
    public static final int SPB_DATA_OFFSET = 12;

    public static final int PB_INTERFACE_ID_OFFSET = 8;
    public static final int PB_DROPS_COUNT_OFFSET = 10;
    public static final int PB_TIMESTAMP_HIGH_OFFSET = 12;
    public static final int PB_TIMESTAMP_LOW_OFFSET = 16;
    public static final int PB_CAPTURED_LENGTH_OFFSET = 20;
    public static final int PB_ORIGINAL_LENGTH_OFFSET = 24;
    public static final int PB_DATA_OFFSET = 28;

    public static final int ISB_INTERFACE_ID_OFFSET = 8;
    public static final int ISB_TIMESTAMP_HIGH_OFFSET = 12;
    public static final int ISB_TIMESTAMP_LOW_OFFSET = 16;
    public static final int ISB_OPTIONS_OFFSET = 20;

    /** Option code and option length. */
    public static final int OPTION_HEADER_LENGTH = 4;

    public static final int OPT_ENDOFOPT = 0;
    public static final int OPT_COMMENT = 1;
    public static final int OPT_CUSTOM_UTF8 = 2988;
    public static final int OPT_CUSTOM_BINARY = 2989;
    public static final int OPT_CUSTOM_UTF8_NO_COPY = 19372;
    public static final int OPT_CUSTOM_BINARY_NO_COPY = 19373;

    public static final int SHB_HARDWARE = 2;
    public static final int SHB_OS = 3;
    public static final int SHB_USERAPPL = 4;

    public static final int IF_NAME = 2;
    public static final int IF_DESCRIPTION = 3;
    public static final int IF_SPEED = 8;
    public static final int IF_TSRESOL = 9;
    /** Value: one byte of filter type ({@link #IF_FILTER_LIBPCAP}) and the filter text. */
    public static final int IF_FILTER = 11;
    public static final int IF_OS = 12;
    public static final int IF_FCSLEN = 13;
    public static final int IF_TSOFFSET = 14;
    public static final int IF_HARDWARE = 15;
    public static final int IF_FILTER_LIBPCAP = 0;
    /** {@code if_tsresol} of nanoseconds: the resolution every interface written here uses. */
    public static final int TSRESOL_NANOSECONDS = 9;
    /** {@code if_tsresol} meant when the option is absent. */
    public static final int TSRESOL_DEFAULT = 6;
    /** Set in {@code if_tsresol} when the rest is a power of two, not of ten. */
    public static final int TSRESOL_BINARY_FLAG = 0x80;

    /** Name Resolution Block: records (type 16 bits, length 16 bits, value padded to 4) from offset 8, ended by this. */
    public static final int NRB_RECORD_END = 0;
    /** Value: an IPv4 address (4 bytes), then one or more NUL-terminated names. */
    public static final int NRB_RECORD_IPV4 = 1;
    /** Value: an IPv6 address (16 bytes), then one or more NUL-terminated names. */
    public static final int NRB_RECORD_IPV6 = 2;
    /** Value: an EUI-48 (MAC) address (6 bytes), then one or more NUL-terminated names. */
    public static final int NRB_RECORD_EUI48 = 3;
    /** Value: an EUI-64 address (8 bytes), then one or more NUL-terminated names. */
    public static final int NRB_RECORD_EUI64 = 4;
    public static final int NRB_RECORDS_OFFSET = 8;

    public static final int EPB_FLAGS = 2;
    public static final int EPB_HASH = 3;
    public static final int EPB_DROPCOUNT = 4;
    public static final int EPB_PACKETID = 5;
    public static final int EPB_QUEUE = 6;
    public static final int EPB_VERDICT = 7;
    /** The obsolete Packet Block's flags option, same value as {@code epb_flags}. */
    public static final int PACK_FLAGS = 2;

    /** {@code epb_flags} bits 0-1: direction. */
    public static final int EPB_FLAG_INBOUND = 0x1;
    public static final int EPB_FLAG_OUTBOUND = 0x2;
    /** {@code epb_flags} bits 2-4: reception type. */
    public static final int EPB_FLAG_UNICAST = 1 << 2;
    public static final int EPB_FLAG_MULTICAST = 2 << 2;
    public static final int EPB_FLAG_BROADCAST = 3 << 2;
    public static final int EPB_FLAG_PROMISCUOUS = 4 << 2;
    /** {@code epb_flags} bit 24: the frame's CRC was wrong. */
    public static final int EPB_FLAG_CRC_ERROR = 1 << 24;

    public static final int ISB_STARTTIME = 2;
    public static final int ISB_ENDTIME = 3;
    public static final int ISB_IFRECV = 4;
    public static final int ISB_IFDROP = 5;
    public static final int ISB_FILTERACCEPT = 6;
    public static final int ISB_OSDROP = 7;
    public static final int ISB_USRDELIV = 8;

    private PcapngDescriptor() {
    }

    /**
     * Length of a field once padded to the 4-byte alignment of blocks and options.
     *
     * @param length unpadded length in bytes, not negative.
     * @return {@code length} rounded up to a multiple of 4.
     */
    public static int padded(final int length) {
        return (length + BLOCK_ALIGNMENT - 1) & -BLOCK_ALIGNMENT;
    }

    /**
     * Offset of a block's trailing copy of its length.
     *
     * @param blockLength the block total length.
     * @return the offset of the trailing length from the start of the block.
     */
    public static int trailingLengthOffset(final int blockLength) {
        return blockLength - Integer.BYTES;
    }
}
