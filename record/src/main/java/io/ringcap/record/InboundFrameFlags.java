package io.ringcap.record;

import io.ringcap.pcap.PcapngDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code epb_flags} ringcap knows for every frame it recorded: inbound (capture only receives), and the
 * reception type from the Ethernet destination address: broadcast (all ones), multicast (group bit set) or
 * unicast. Wireshark shows them as "Direction: Inbound, Reception type: Multicast".
 */
final class InboundFrameFlags {
    private static final int ETHERNET_ADDRESS = 6;
    private static final int ALL_ONES_INT = -1;
    private static final short ALL_ONES_SHORT = -1;

    private InboundFrameFlags() {
    }

    /** The flags of the Ethernet frame of {@code length} bytes at {@code offset}; inbound alone if it is too short. */
    static int of(MemorySegment frame, long offset, int length) {
        if (length < ETHERNET_ADDRESS) {
            return PcapngDescriptor.EPB_FLAG_INBOUND;
        }
        if (frame.get(ValueLayout.JAVA_INT_UNALIGNED, offset) == ALL_ONES_INT
            && frame.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + Integer.BYTES) == ALL_ONES_SHORT) {
            return PcapngDescriptor.EPB_FLAG_INBOUND | PcapngDescriptor.EPB_FLAG_BROADCAST;
        }
        return PcapngDescriptor.EPB_FLAG_INBOUND
            | ((frame.get(ValueLayout.JAVA_BYTE, offset) & 1) != 0
                ? PcapngDescriptor.EPB_FLAG_MULTICAST : PcapngDescriptor.EPB_FLAG_UNICAST);
    }
}
