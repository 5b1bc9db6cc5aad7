package io.ringcap.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kernel's side of a TPACKET_V3 receive ring, played in plain memory: {@link #receive} places packets in the
 * open block as {@code tpacket_rcv} does (a {@code tpacket3_hdr}, the frame at the Ethernet frame's {@code tp_mac},
 * the next packet 8-byte aligned after it), closes a block that has no room for the next packet by filling in its
 * descriptor and storing {@code TP_STATUS_USER} with release semantics, and drops packets while the next block is
 * still the reader's. {@link #reader} reads it with the real receive loop. For that loop's tests and its benchmark:
 * no socket, no privilege.
 *
 * <pre>
 *  block:   0                  48                 48 + 82             48 + align8(82 + snaplen)
 *           +------------------+------------------+-------------------+----------------------------
 *           | block descriptor | tpacket3_hdr,    | frame             | next packet ...
 *           | (status, count)  | sockaddr_ll, pad | (snaplen bytes)   |
 *           +------------------+------------------+-------------------+----------------------------
 * </pre>
 */
final class InMemoryTpacketRing implements AutoCloseable {
    /** {@code BLK_PLUS_PRIV(0)}: the first packet follows the 48-byte block descriptor. */
    static final int FIRST_PACKET_OFFSET = 48;
    /** {@code tp_mac} of an Ethernet frame: TPACKET_ALIGN(TPACKET3_HDRLEN + 16) - 14, as tpacket_rcv puts it. */
    static final int MAC_OFFSET = (int) align(TPACKET3_HDRLEN + 16) - 14;
    private static final int PACKET_ALIGNMENT = 8;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Arena arena = Arena.ofShared();
    private final PacketRingGeometry geometry;
    private final MemorySegment ring;
    /** Block being filled, and where its next packet goes (offset in the block). */
    private int block;
    private long next = FIRST_PACKET_OFFSET;
    private int packetsInBlock;
    private long previousPacket = -1;
    /** Blocks handed over and not yet taken back by {@link #consumeAll}: the ones just before {@link #block}. */
    private int handedOver;
    private long blockSequence;
    private long dropped;

    InMemoryTpacketRing(PacketRingGeometry geometry) {
        this.geometry = geometry;
        this.ring = arena.allocate(geometry.ringSize(), 4096);
    }

    /** A reader over this ring whose records carry {@code sourceId}. */
    TpacketV3Reader reader(int sourceId) {
        return new TpacketV3Reader(ring, geometry, sourceId);
    }

    /**
     * Receives {@code count} packets: each the first {@code snapLength} bytes of {@code frame}, a packet of
     * {@code wireLength} bytes on the wire, stamped {@code timestampNanos}, with {@code status} as its
     * {@code tp_status} (e.g. {@code TP_STATUS_VLAN_VALID}, with {@code vlanTci} and {@code vlanTpid}). Returns
     * how many found room: the rest are dropped, as the kernel drops while the reader holds the next block.
     */
    int receive(int count, MemorySegment frame, int snapLength, int wireLength, long timestampNanos, int status,
        int vlanTci, int vlanTpid) {
        long length = align8(MAC_OFFSET + snapLength);
        if (FIRST_PACKET_OFFSET + length > geometry.blockSize()) {
            throw new IllegalArgumentException("a packet of " + snapLength + " bytes does not fit a block of "
                + geometry.blockSize());
        }
        for (int i = 0; i < count; i++) {
            if (next + length > geometry.blockSize()) {
                closeBlock();
            }
            if (openBlockHeldByReader()) {
                dropped += count - i;
                return i;
            }
            long packet = blockOffset() + next;
            ring.set(JAVA_INT, packet + TP_NEXT_OFFSET_OFFSET, 0);
            ring.set(JAVA_INT, packet + TP_SEC_OFFSET, (int) (timestampNanos / 1_000_000_000L));
            ring.set(JAVA_INT, packet + TP_NSEC_OFFSET, (int) (timestampNanos % 1_000_000_000L));
            ring.set(JAVA_INT, packet + TP_SNAPLEN_OFFSET, snapLength);
            ring.set(JAVA_INT, packet + TP_LEN_OFFSET, wireLength);
            ring.set(JAVA_INT, packet + TP_STATUS_OFFSET, status);
            ring.set(JAVA_SHORT, packet + TP_MAC_OFFSET, (short) MAC_OFFSET);
            ring.set(JAVA_SHORT, packet + TP_NET_OFFSET, (short) (MAC_OFFSET + 14));
            ring.set(JAVA_INT, packet + TP_VLAN_TCI_OFFSET, vlanTci);
            ring.set(JAVA_SHORT, packet + TP_VLAN_TPID_OFFSET, (short) vlanTpid);
            MemorySegment.copy(frame, 0, ring, packet + MAC_OFFSET, snapLength);
            if (previousPacket >= 0) {
                ring.set(JAVA_INT, previousPacket + TP_NEXT_OFFSET_OFFSET, (int) (packet - previousPacket));
            }
            previousPacket = packet;
            packetsInBlock++;
            next += length;
        }
        return count;
    }

    /**
     * Hands the open block over even if it has room left, as the kernel's retire timer does; an empty one too,
     * which the timer leaves open (it only refreshes itself) but a reader must survive all the same: the loop
     * hands such a block straight back.
     */
    void retire() {
        if (!openBlockHeldByReader()) {
            closeBlock();
        }
    }

    /** Takes back every block handed over, as a reader that read them all would hand them back. */
    void consumeAll() {
        for (; handedOver > 0; handedOver--) {
            releaseBlock(ring, (long) Math.floorMod(block - handedOver, geometry.blockCount()) * geometry.blockSize());
        }
    }

    /** Packets dropped for want of a block. */
    long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** The block to fill next is still the reader's: nothing can go in it (nor be handed over) until it is back. */
    private boolean openBlockHeldByReader() {
        return packetsInBlock == 0 && (blockStatusAcquire(ring, blockOffset()) & TP_STATUS_USER) != 0;
    }

    private long blockOffset() {
        return (long) block * geometry.blockSize();
    }

    private void closeBlock() {
        long blockOffset = blockOffset();
        ring.set(JAVA_INT, blockOffset + BLOCK_NUM_PKTS_OFFSET, packetsInBlock);
        ring.set(JAVA_INT, blockOffset + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET, FIRST_PACKET_OFFSET);
        ring.set(JAVA_INT, blockOffset + BLOCK_BLK_LEN_OFFSET, (int) next);
        ring.set(JAVA_LONG, blockOffset + BLOCK_SEQ_NUM_OFFSET, blockSequence++);
        // Release: every store of the block's packets is visible before the reader sees it as its own.
        INT.setRelease(ring, blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_USER);
        handedOver++;
        block = (block + 1) % geometry.blockCount();
        next = FIRST_PACKET_OFFSET;
        packetsInBlock = 0;
        previousPacket = -1;
    }

    private static long align8(long length) {
        return (length + PACKET_ALIGNMENT - 1) & -PACKET_ALIGNMENT;
    }
}
