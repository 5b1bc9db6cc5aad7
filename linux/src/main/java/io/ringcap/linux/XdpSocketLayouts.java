package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * AF_XDP sockets: UMEM registration, the four rings and their descriptors (from
 * {@code <linux/if_xdp.h>}).
 * <p>
 * Each ring is mapped with mmap at its {@code XDP_*PGOFF*} offset; where its producer, consumer,
 * flags and descriptors lie inside the mapping comes from getsockopt(XDP_MMAP_OFFSETS). Producer
 * and consumer are {@code u32} indices that only grow (wrapping at 2^32); the side that owns an
 * index publishes it with {@link #storeRelease} and the other side reads it with
 * {@link #loadAcquire}.
 * <pre>
 * struct sockaddr_xdp (16)     struct xdp_umem_reg (32)    struct xdp_desc (16)   struct xdp_ring_offset (32)
 *  0 sxdp_family u16            0 addr u64 (UMEM start)     0 addr u64 (in UMEM)   0 producer u64
 *  2 sxdp_flags u16             8 len  u64                  8 len u32              8 consumer u64
 *  4 sxdp_ifindex u32          16 chunk_size u32           12 options u32         16 desc u64
 *  8 sxdp_queue_id u32         20 headroom u32                                    24 flags u64
 * 12 sxdp_shared_umem_fd u32   24 flags u32 (+4 pad)     fill/completion rings hold u64 UMEM addresses
 *
 * struct xdp_mmap_offsets (128): rx @0, tx @32, fr (fill) @64, cr (completion) @96
 * struct xdp_statistics (48): rx_dropped, rx_invalid_descs, tx_invalid_descs, rx_ring_full,
 *                             rx_fill_ring_empty_descs, tx_ring_empty_descs (u64 each)
 * </pre>
 */
public final class XdpSocketLayouts {
    public static final int SOL_XDP = 283;

    public static final int XDP_MMAP_OFFSETS = 1;
    public static final int XDP_RX_RING = 2;
    public static final int XDP_TX_RING = 3;
    public static final int XDP_UMEM_REG = 4;
    public static final int XDP_UMEM_FILL_RING = 5;
    public static final int XDP_UMEM_COMPLETION_RING = 6;
    public static final int XDP_STATISTICS = 7;
    public static final int XDP_OPTIONS = 8;

    /** sxdp_flags: share another socket's UMEM ({@code sxdp_shared_umem_fd}). */
    public static final short XDP_SHARED_UMEM = 1;
    /** sxdp_flags: force copy mode. */
    public static final short XDP_COPY = 1 << 1;
    /** sxdp_flags: force zero-copy mode (fails if the driver cannot). */
    public static final short XDP_ZEROCOPY = 1 << 2;
    /** sxdp_flags: the driver may sleep; wake it when {@link #XDP_RING_NEED_WAKEUP} is set. */
    public static final short XDP_USE_NEED_WAKEUP = 1 << 3;
    /** xdp_umem_reg flags: chunks need not be aligned to chunk_size. */
    public static final int XDP_UMEM_UNALIGNED_CHUNK_FLAG = 1;
    /** Ring flags word: the kernel waits for a poll/sendto before it continues. */
    public static final int XDP_RING_NEED_WAKEUP = 1;
    /** xdp_options flags: the socket runs in zero-copy mode. */
    public static final int XDP_OPTIONS_ZEROCOPY = 1;

    public static final long XDP_PGOFF_RX_RING = 0;
    public static final long XDP_PGOFF_TX_RING = 0x80000000L;
    public static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    public static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;

    /** {@code struct sockaddr_xdp}. */
    public static final StructLayout SOCKADDR_XDP = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sxdp_family"),
        JAVA_SHORT.withName("sxdp_flags"),
        JAVA_INT.withName("sxdp_ifindex"),
        JAVA_INT.withName("sxdp_queue_id"),
        JAVA_INT.withName("sxdp_shared_umem_fd"));
    public static final long SXDP_FAMILY_OFFSET = SOCKADDR_XDP.byteOffset(groupElement("sxdp_family"));
    public static final long SXDP_FLAGS_OFFSET = SOCKADDR_XDP.byteOffset(groupElement("sxdp_flags"));
    public static final long SXDP_IFINDEX_OFFSET = SOCKADDR_XDP.byteOffset(groupElement("sxdp_ifindex"));
    public static final long SXDP_QUEUE_ID_OFFSET = SOCKADDR_XDP.byteOffset(groupElement("sxdp_queue_id"));
    public static final long SXDP_SHARED_UMEM_FD_OFFSET =
        SOCKADDR_XDP.byteOffset(groupElement("sxdp_shared_umem_fd"));

    /** {@code struct xdp_umem_reg}. */
    public static final StructLayout XDP_UMEM_REG_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("addr"),
        JAVA_LONG.withName("len"),
        JAVA_INT.withName("chunk_size"),
        JAVA_INT.withName("headroom"),
        JAVA_INT.withName("flags"),
        MemoryLayout.paddingLayout(4));
    public static final long UMEM_ADDR_OFFSET = XDP_UMEM_REG_LAYOUT.byteOffset(groupElement("addr"));
    public static final long UMEM_LEN_OFFSET = XDP_UMEM_REG_LAYOUT.byteOffset(groupElement("len"));
    public static final long UMEM_CHUNK_SIZE_OFFSET = XDP_UMEM_REG_LAYOUT.byteOffset(groupElement("chunk_size"));
    public static final long UMEM_HEADROOM_OFFSET = XDP_UMEM_REG_LAYOUT.byteOffset(groupElement("headroom"));
    public static final long UMEM_FLAGS_OFFSET = XDP_UMEM_REG_LAYOUT.byteOffset(groupElement("flags"));

    /** {@code struct xdp_ring_offset}: where a ring's fields lie in its mapping. */
    public static final StructLayout XDP_RING_OFFSET = MemoryLayout.structLayout(
        JAVA_LONG.withName("producer"),
        JAVA_LONG.withName("consumer"),
        JAVA_LONG.withName("desc"),
        JAVA_LONG.withName("flags"));
    public static final long RING_PRODUCER_OFFSET = XDP_RING_OFFSET.byteOffset(groupElement("producer"));
    public static final long RING_CONSUMER_OFFSET = XDP_RING_OFFSET.byteOffset(groupElement("consumer"));
    public static final long RING_DESC_OFFSET = XDP_RING_OFFSET.byteOffset(groupElement("desc"));
    public static final long RING_FLAGS_OFFSET = XDP_RING_OFFSET.byteOffset(groupElement("flags"));

    /** {@code struct xdp_mmap_offsets}, from getsockopt(XDP_MMAP_OFFSETS). */
    public static final StructLayout XDP_MMAP_OFFSETS_LAYOUT = MemoryLayout.structLayout(
        XDP_RING_OFFSET.withName("rx"),
        XDP_RING_OFFSET.withName("tx"),
        XDP_RING_OFFSET.withName("fr"),
        XDP_RING_OFFSET.withName("cr"));
    public static final long MMAP_RX_OFFSET = XDP_MMAP_OFFSETS_LAYOUT.byteOffset(groupElement("rx"));
    public static final long MMAP_TX_OFFSET = XDP_MMAP_OFFSETS_LAYOUT.byteOffset(groupElement("tx"));
    public static final long MMAP_FILL_OFFSET = XDP_MMAP_OFFSETS_LAYOUT.byteOffset(groupElement("fr"));
    public static final long MMAP_COMPLETION_OFFSET = XDP_MMAP_OFFSETS_LAYOUT.byteOffset(groupElement("cr"));

    /** {@code struct xdp_desc}: an RX/TX ring entry. */
    public static final StructLayout XDP_DESC = MemoryLayout.structLayout(
        JAVA_LONG.withName("addr"),
        JAVA_INT.withName("len"),
        JAVA_INT.withName("options"));
    public static final long DESC_ADDR_OFFSET = XDP_DESC.byteOffset(groupElement("addr"));
    public static final long DESC_LEN_OFFSET = XDP_DESC.byteOffset(groupElement("len"));
    public static final long DESC_OPTIONS_OFFSET = XDP_DESC.byteOffset(groupElement("options"));
    /** Bytes of a fill or completion ring entry (a UMEM address). */
    public static final long UMEM_ADDRESS_SIZE = JAVA_LONG.byteSize();

    /** {@code struct xdp_statistics}, from getsockopt(XDP_STATISTICS). */
    public static final StructLayout XDP_STATISTICS_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("rx_dropped"),
        JAVA_LONG.withName("rx_invalid_descs"),
        JAVA_LONG.withName("tx_invalid_descs"),
        JAVA_LONG.withName("rx_ring_full"),
        JAVA_LONG.withName("rx_fill_ring_empty_descs"),
        JAVA_LONG.withName("tx_ring_empty_descs"));
    public static final long STATS_RX_DROPPED_OFFSET = XDP_STATISTICS_LAYOUT.byteOffset(groupElement("rx_dropped"));
    public static final long STATS_RX_INVALID_DESCS_OFFSET =
        XDP_STATISTICS_LAYOUT.byteOffset(groupElement("rx_invalid_descs"));
    public static final long STATS_TX_INVALID_DESCS_OFFSET =
        XDP_STATISTICS_LAYOUT.byteOffset(groupElement("tx_invalid_descs"));
    public static final long STATS_RX_RING_FULL_OFFSET = XDP_STATISTICS_LAYOUT.byteOffset(groupElement("rx_ring_full"));
    public static final long STATS_RX_FILL_RING_EMPTY_OFFSET =
        XDP_STATISTICS_LAYOUT.byteOffset(groupElement("rx_fill_ring_empty_descs"));
    public static final long STATS_TX_RING_EMPTY_OFFSET =
        XDP_STATISTICS_LAYOUT.byteOffset(groupElement("tx_ring_empty_descs"));

    /** {@code struct xdp_options}, from getsockopt(XDP_OPTIONS). */
    public static final StructLayout XDP_OPTIONS_LAYOUT = MemoryLayout.structLayout(JAVA_INT.withName("flags"));

    private static final VarHandle INT = JAVA_INT.varHandle();

    private XdpSocketLayouts() {
    }

    /** Fills a {@code sockaddr_xdp} to bind to queue {@code queueId} of an interface. */
    public static void writeSockaddrXdp(MemorySegment sockaddr, short flags, int interfaceIndex, int queueId) {
        sockaddr.fill((byte) 0);
        sockaddr.set(JAVA_SHORT, SXDP_FAMILY_OFFSET, (short) SocketLayouts.AF_XDP);
        sockaddr.set(JAVA_SHORT, SXDP_FLAGS_OFFSET, flags);
        sockaddr.set(JAVA_INT, SXDP_IFINDEX_OFFSET, interfaceIndex);
        sockaddr.set(JAVA_INT, SXDP_QUEUE_ID_OFFSET, queueId);
    }

    /** Fills an {@code xdp_umem_reg} for a UMEM at {@code umem} cut into {@code chunkSize}-byte frames. */
    public static void writeUmemReg(MemorySegment reg, MemorySegment umem, int chunkSize, int headroom, int flags) {
        reg.fill((byte) 0);
        reg.set(JAVA_LONG, UMEM_ADDR_OFFSET, umem.address());
        reg.set(JAVA_LONG, UMEM_LEN_OFFSET, umem.byteSize());
        reg.set(JAVA_INT, UMEM_CHUNK_SIZE_OFFSET, chunkSize);
        reg.set(JAVA_INT, UMEM_HEADROOM_OFFSET, headroom);
        reg.set(JAVA_INT, UMEM_FLAGS_OFFSET, flags);
    }

    /** Reads a ring's producer or consumer index (u32) with acquire semantics. */
    public static int loadAcquire(MemorySegment ring, long indexOffset) {
        return (int) INT.getAcquire(ring, indexOffset);
    }

    /** Publishes a ring's producer or consumer index (u32) with release semantics. */
    public static void storeRelease(MemorySegment ring, long indexOffset, int value) {
        INT.setRelease(ring, indexOffset, value);
    }
}
