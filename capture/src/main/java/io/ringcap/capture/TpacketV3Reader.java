package io.ringcap.capture;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingWriter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The capture thread's side of a TPACKET_V3 receive ring: takes the blocks the kernel has handed over, in ring
 * order, copies each of their packets into the packet ring as one record, and hands each block back once read.
 * No system call, no allocation. Which memory it reads does not matter to it: the mapping of an AF_PACKET socket
 * ({@link AfPacketSource}) or a ring the kernel's part is played in ({@link InMemoryTpacketRing}).
 *
 * <pre>
 *  block (blockSize bytes)                               packet (at offset_to_first_pkt, then tp_next_offset)
 *  +---------------------------------------------+       +------------------+--------------+-------------------+
 *  | tpacket_block_desc: block_status, num_pkts, |       | tpacket3_hdr:    | sockaddr_ll, | frame (tp_snaplen |
 *  | offset_to_first_pkt, ...                    |       | sec, nsec, len,  | padding      | bytes, at tp_mac) |
 *  +---------------------------------------------+       | status, mac, ... |              |                   |
 *  | packet | packet | ... | (unused)            |       +------------------+--------------+-------------------+
 *  +---------------------------------------------+
 * </pre>
 */
final class TpacketV3Reader {
    private static final int ETHERNET_ADDRESSES = 12;
    private static final int VLAN_TAG = 4;
    private static final ValueLayout.OfShort NET_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment ring;
    private final long blockSize;
    private final long ringSize;
    private final int sourceId;
    private long blockOffset;
    private int packetsLeftInBlock;
    private long packetOffset;

    /**
     * @param ring     the whole ring, {@code geometry.ringSize()} bytes
     * @param geometry its blocks
     * @param sourceId the source id its records carry (the interface index)
     */
    TpacketV3Reader(MemorySegment ring, PacketRingGeometry geometry, int sourceId) {
        if (ring.byteSize() != geometry.ringSize()) {
            throw new IllegalArgumentException("a ring of " + ring.byteSize() + " bytes is not the "
                + geometry.ringSize() + " bytes of " + geometry);
        }
        this.ring = ring;
        this.blockSize = geometry.blockSize();
        this.ringSize = geometry.ringSize();
        this.sourceId = sourceId;
    }

    /**
     * Copies up to {@code limit} packets into {@code writer} (unpublished: the caller publishes), handing back every
     * block it finishes; returns how many. Stops at the first block the kernel has not handed over yet.
     */
    int poll(RingWriter writer, int limit) {
        MemorySegment ring = this.ring;
        int moved = 0;
        while (moved < limit) {
            if (packetsLeftInBlock == 0) {
                // Acquire: the kernel's writes of the block's packets are visible once it shows TP_STATUS_USER.
                if ((blockStatusAcquire(ring, blockOffset) & TP_STATUS_USER) == 0) {
                    break;
                }
                packetsLeftInBlock = ring.get(JAVA_INT, blockOffset + BLOCK_NUM_PKTS_OFFSET);
                packetOffset = blockOffset + ring.get(JAVA_INT, blockOffset + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
                if (packetsLeftInBlock == 0) {
                    returnBlock(ring);
                    continue;
                }
            }
            copyPacket(writer, ring, packetOffset);
            moved++;
            if (--packetsLeftInBlock == 0) {
                returnBlock(ring);
            } else {
                packetOffset += ring.get(JAVA_INT, packetOffset + TP_NEXT_OFFSET_OFFSET);
            }
        }
        return moved;
    }

    /** Copies one packet into a ring record, putting back a VLAN tag the kernel took out of the frame. */
    private void copyPacket(RingWriter writer, MemorySegment ring, long packet) {
        int snapLength = ring.get(JAVA_INT, packet + TP_SNAPLEN_OFFSET);
        int wireLength = ring.get(JAVA_INT, packet + TP_LEN_OFFSET);
        int status = ring.get(JAVA_INT, packet + TP_STATUS_OFFSET);
        long frame = packet + Short.toUnsignedInt(ring.get(JAVA_SHORT, packet + TP_MAC_OFFSET));
        long timestamp = Integer.toUnsignedLong(ring.get(JAVA_INT, packet + TP_SEC_OFFSET)) * 1_000_000_000L
            + Integer.toUnsignedLong(ring.get(JAVA_INT, packet + TP_NSEC_OFFSET));
        boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0 && snapLength >= ETHERNET_ADDRESSES;
        int extra = tagged ? VLAN_TAG : 0;
        int flags = (status & TP_STATUS_TS_RAW_HARDWARE) != 0 ? RecordDescriptor.FLAG_HARDWARE_TIMESTAMP : 0;
        int captured = snapLength + extra;
        if (captured > writer.maxCapturedLength()) {
            captured = writer.maxCapturedLength();
        }
        if (captured < wireLength + extra) {
            flags |= RecordDescriptor.FLAG_TRUNCATED;
        }
        MemorySegment buffer = writer.buffer();
        long at = writer.claim(captured);
        if (tagged) {
            int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                ? Short.toUnsignedInt(ring.get(JAVA_SHORT, packet + TP_VLAN_TPID_OFFSET)) : GroupFilter.ETHERTYPE_VLAN;
            MemorySegment.copy(ring, frame, buffer, at, ETHERNET_ADDRESSES);
            buffer.set(NET_SHORT, at + ETHERNET_ADDRESSES, (short) tpid);
            buffer.set(NET_SHORT, at + ETHERNET_ADDRESSES + 2, (short) ring.get(JAVA_INT, packet + TP_VLAN_TCI_OFFSET));
            MemorySegment.copy(ring, frame + ETHERNET_ADDRESSES, buffer, at + ETHERNET_ADDRESSES + VLAN_TAG,
                captured - ETHERNET_ADDRESSES - VLAN_TAG);
        } else {
            MemorySegment.copy(ring, frame, buffer, at, captured);
        }
        writer.commit(captured, wireLength + extra, timestamp, sourceId, flags);
    }

    /** Release: every read of the block happens before the kernel may refill it. */
    private void returnBlock(MemorySegment ring) {
        releaseBlock(ring, blockOffset);
        blockOffset += blockSize;
        if (blockOffset == ringSize) {
            blockOffset = 0;
        }
    }
}
