package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * AF_PACKET with a TPACKET_V3 receive ring, and the classic BPF filter attached to it (from
 * {@code <linux/if_packet.h>}, {@code <linux/if_ether.h>}, {@code <linux/filter.h>}).
 * <p>
 * The ring is {@code tp_block_nr} blocks of {@code tp_block_size} bytes. The kernel fills a block
 * with packets, then hands it to user space by setting {@code block_status} to
 * {@link #TP_STATUS_USER}; user space reads it and hands it back by storing
 * {@link #TP_STATUS_KERNEL}. Read the status with {@link #blockStatusAcquire} and return the block
 * with {@link #releaseBlock} so that the packet reads happen between the two.
 * <pre>
 * block: struct tpacket_block_desc (48 bytes)      packet: struct tpacket3_hdr (48 bytes)
 *  0 version u32 | 4 offset_to_priv u32              0 tp_next_offset u32 (0 = last in block)
 *  8 hdr.bh1: struct tpacket_hdr_v1                  4 tp_sec u32     8 tp_nsec u32
 *      8 block_status u32                           12 tp_snaplen u32 16 tp_len u32
 *     12 num_pkts u32                               20 tp_status u32 (TP_STATUS_TS_*, _LOSING…)
 *     16 offset_to_first_pkt u32                    24 tp_mac u16    26 tp_net u16
 *     20 blk_len u32                                28 hv1: tp_rxhash u32, tp_vlan_tci u32,
 *     24 seq_num u64                                      tp_vlan_tpid u16, pad u16
 *     32 ts_first_pkt {sec u32, nsec u32}           40 tp_padding[8]
 *     40 ts_last_pkt  {sec u32, nsec u32}           frame at packet + tp_mac, tp_snaplen bytes
 *
 * struct sockaddr_ll (20 bytes)                    struct tpacket_req3 (28 bytes)
 *  0 sll_family u16 | 2 sll_protocol be16           0 tp_block_size  4 tp_block_nr
 *  4 sll_ifindex int                                8 tp_frame_size 12 tp_frame_nr
 *  8 sll_hatype u16 | 10 sll_pkttype u8 | 11 halen 16 tp_retire_blk_tov (ms)
 * 12 sll_addr[8]                                   20 tp_sizeof_priv 24 tp_feature_req_word
 * </pre>
 */
public final class PacketSocketLayouts {
    public static final int SOL_PACKET = 263;
    /** Every protocol; pass {@code Short.reverseBytes((short) ETH_P_ALL)} (network order) to socket/bind. */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_IP = 0x0800;

    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    public static final int PACKET_RX_RING = 5;
    /** getsockopt: {@code tpacket_stats_v3}; reading resets the kernel's counters. */
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_AUXDATA = 8;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_RESERVE = 12;
    public static final int PACKET_LOSS = 14;
    /** Which timestamps go into the ring: {@code SOF_TIMESTAMPING_*} flags. */
    public static final int PACKET_TIMESTAMP = 17;
    /** Join a fanout group: {@code group id | mode << 16}. */
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_ROLLOVER_STATS = 21;
    public static final int PACKET_FANOUT_DATA = 22;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    public static final int PACKET_FANOUT_HASH = 0;
    public static final int PACKET_FANOUT_LB = 1;
    public static final int PACKET_FANOUT_CPU = 2;
    public static final int PACKET_FANOUT_ROLLOVER = 3;
    public static final int PACKET_FANOUT_RND = 4;
    public static final int PACKET_FANOUT_QM = 5;
    public static final int PACKET_FANOUT_CBPF = 6;
    public static final int PACKET_FANOUT_EBPF = 7;
    public static final int PACKET_FANOUT_FLAG_ROLLOVER = 0x1000;
    public static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    public static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    public static final int PACKET_MR_MULTICAST = 0;
    public static final int PACKET_MR_PROMISC = 1;
    public static final int PACKET_MR_ALLMULTI = 2;

    public static final int TPACKET_V1 = 0;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;
    /** Blocks and packets are aligned to this many bytes. */
    public static final int TPACKET_ALIGNMENT = 16;

    /** Block (or packet) owned by the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** Block (or packet) handed to user space. */
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    /** Packets were dropped since the last time this bit was reported. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** The block was retired by its timeout rather than because it was full. */
    public static final int TP_STATUS_BLK_TMO = 1 << 5;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;
    /** tp_sec/tp_nsec is a software timestamp. */
    public static final int TP_STATUS_TS_SOFTWARE = 1 << 29;
    /** tp_sec/tp_nsec is the NIC's raw hardware timestamp. */
    public static final int TP_STATUS_TS_RAW_HARDWARE = 1 << 31;

    /** {@code struct sockaddr_ll}. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sll_family"),
        SocketLayouts.NET_SHORT.withName("sll_protocol"),
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));
    public static final long SLL_FAMILY_OFFSET = SOCKADDR_LL.byteOffset(groupElement("sll_family"));
    public static final long SLL_PROTOCOL_OFFSET = SOCKADDR_LL.byteOffset(groupElement("sll_protocol"));
    public static final long SLL_IFINDEX_OFFSET = SOCKADDR_LL.byteOffset(groupElement("sll_ifindex"));

    /** {@code struct tpacket_req3}, for PACKET_RX_RING with TPACKET_V3. */
    public static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"),
        JAVA_INT.withName("tp_retire_blk_tov"),
        JAVA_INT.withName("tp_sizeof_priv"),
        JAVA_INT.withName("tp_feature_req_word"));
    public static final long TP_BLOCK_SIZE_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_block_size"));
    public static final long TP_BLOCK_NR_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_block_nr"));
    public static final long TP_FRAME_SIZE_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_frame_size"));
    public static final long TP_FRAME_NR_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_frame_nr"));
    public static final long TP_RETIRE_BLK_TOV_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_retire_blk_tov"));
    public static final long TP_SIZEOF_PRIV_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_sizeof_priv"));
    public static final long TP_FEATURE_REQ_WORD_OFFSET = TPACKET_REQ3.byteOffset(groupElement("tp_feature_req_word"));

    private static final StructLayout TPACKET_BD_TS = MemoryLayout.structLayout(
        JAVA_INT.withName("ts_sec"),
        JAVA_INT.withName("ts_nsec"));

    /** {@code struct tpacket_hdr_v1}: the TPACKET_V3 block header. */
    public static final StructLayout TPACKET_HDR_V1 = MemoryLayout.structLayout(
        JAVA_INT.withName("block_status"),
        JAVA_INT.withName("num_pkts"),
        JAVA_INT.withName("offset_to_first_pkt"),
        JAVA_INT.withName("blk_len"),
        JAVA_LONG.withName("seq_num"),
        TPACKET_BD_TS.withName("ts_first_pkt"),
        TPACKET_BD_TS.withName("ts_last_pkt"));

    /** {@code struct tpacket_block_desc}. */
    public static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("offset_to_priv"),
        TPACKET_HDR_V1.withName("hdr"));
    public static final long BLOCK_VERSION_OFFSET = TPACKET_BLOCK_DESC.byteOffset(groupElement("version"));
    public static final long BLOCK_STATUS_OFFSET = blockField("block_status");
    public static final long BLOCK_NUM_PKTS_OFFSET = blockField("num_pkts");
    public static final long BLOCK_OFFSET_TO_FIRST_PKT_OFFSET = blockField("offset_to_first_pkt");
    public static final long BLOCK_BLK_LEN_OFFSET = blockField("blk_len");
    public static final long BLOCK_SEQ_NUM_OFFSET = blockField("seq_num");
    public static final long BLOCK_TS_FIRST_PKT_OFFSET = blockField("ts_first_pkt");
    public static final long BLOCK_TS_LAST_PKT_OFFSET = blockField("ts_last_pkt");

    /** {@code struct tpacket3_hdr}: the header before each packet in a block. */
    public static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_next_offset"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_status"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        MemoryLayout.structLayout(
            JAVA_INT.withName("tp_rxhash"),
            JAVA_INT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            JAVA_SHORT.withName("tp_padding")).withName("hv1"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding"));
    public static final long TP_NEXT_OFFSET_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_next_offset"));
    public static final long TP_SEC_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_sec"));
    public static final long TP_NSEC_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_nsec"));
    public static final long TP_SNAPLEN_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_snaplen"));
    public static final long TP_LEN_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_len"));
    public static final long TP_STATUS_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_status"));
    public static final long TP_MAC_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_mac"));
    public static final long TP_NET_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_net"));
    public static final long TP_RXHASH_OFFSET =
        TPACKET3_HDR.byteOffset(groupElement("hv1"), groupElement("tp_rxhash"));
    public static final long TP_VLAN_TCI_OFFSET =
        TPACKET3_HDR.byteOffset(groupElement("hv1"), groupElement("tp_vlan_tci"));
    public static final long TP_VLAN_TPID_OFFSET =
        TPACKET3_HDR.byteOffset(groupElement("hv1"), groupElement("tp_vlan_tpid"));
    /** {@code TPACKET3_HDRLEN}: the aligned packet header plus a {@code sockaddr_ll}. */
    public static final long TPACKET3_HDRLEN = align(TPACKET3_HDR.byteSize()) + SOCKADDR_LL.byteSize();

    /** {@code struct tpacket_stats_v3}, from getsockopt(PACKET_STATISTICS). */
    public static final StructLayout TPACKET_STATS_V3 = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_packets"),
        JAVA_INT.withName("tp_drops"),
        JAVA_INT.withName("tp_freeze_q_cnt"));
    public static final long STATS_PACKETS_OFFSET = TPACKET_STATS_V3.byteOffset(groupElement("tp_packets"));
    public static final long STATS_DROPS_OFFSET = TPACKET_STATS_V3.byteOffset(groupElement("tp_drops"));
    public static final long STATS_FREEZE_Q_CNT_OFFSET = TPACKET_STATS_V3.byteOffset(groupElement("tp_freeze_q_cnt"));

    /** {@code struct tpacket_auxdata}, the PACKET_AUXDATA control message of non-ring receives. */
    public static final StructLayout TPACKET_AUXDATA = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_status"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_SHORT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"));

    /** {@code struct sock_filter}: one classic BPF instruction. */
    public static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
        JAVA_SHORT.withName("code"),
        JAVA_BYTE.withName("jt"),
        JAVA_BYTE.withName("jf"),
        JAVA_INT.withName("k"));
    public static final long FILTER_CODE_OFFSET = SOCK_FILTER.byteOffset(groupElement("code"));
    public static final long FILTER_JT_OFFSET = SOCK_FILTER.byteOffset(groupElement("jt"));
    public static final long FILTER_JF_OFFSET = SOCK_FILTER.byteOffset(groupElement("jf"));
    public static final long FILTER_K_OFFSET = SOCK_FILTER.byteOffset(groupElement("k"));

    /** {@code struct sock_fprog}, for SO_ATTACH_FILTER. */
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
        JAVA_SHORT.withName("len"),
        MemoryLayout.paddingLayout(6),
        ADDRESS.withName("filter"));
    public static final long FPROG_LEN_OFFSET = SOCK_FPROG.byteOffset(groupElement("len"));
    public static final long FPROG_FILTER_OFFSET = SOCK_FPROG.byteOffset(groupElement("filter"));

    private static final VarHandle INT = JAVA_INT.varHandle();

    private PacketSocketLayouts() {
    }

    /** {@code TPACKET_ALIGN(length)}. */
    public static long align(long length) {
        return (length + TPACKET_ALIGNMENT - 1) & -TPACKET_ALIGNMENT;
    }

    /** Fills a {@code sockaddr_ll} to bind a packet socket to {@code protocol} (host order) on an interface. */
    public static void writeSockaddrLl(MemorySegment sockaddr, int protocol, int interfaceIndex) {
        sockaddr.fill((byte) 0);
        sockaddr.set(JAVA_SHORT, SLL_FAMILY_OFFSET, (short) SocketLayouts.AF_PACKET);
        sockaddr.set(SocketLayouts.NET_SHORT, SLL_PROTOCOL_OFFSET, (short) protocol);
        sockaddr.set(JAVA_INT, SLL_IFINDEX_OFFSET, interfaceIndex);
    }

    /**
     * The status of the block at {@code blockOffset} in the ring, read with acquire semantics:
     * once it shows {@link #TP_STATUS_USER}, the kernel's writes to the block are visible.
     */
    public static int blockStatusAcquire(MemorySegment ring, long blockOffset) {
        return (int) INT.getAcquire(ring, blockOffset + BLOCK_STATUS_OFFSET);
    }

    /** Hands the block back to the kernel with a release store, after every read of it. */
    public static void releaseBlock(MemorySegment ring, long blockOffset) {
        INT.setRelease(ring, blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
    }

    private static long blockField(String name) {
        return TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement(name));
    }
}
