package io.ringcap.cli;

import io.ringcap.record.UdpDestination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packets and frame bytes per UDP destination (group:port) over one refresh of {@code top}, in an
 * open-addressing table allocated once: counting allocates nothing. Frames that are not IPv4/UDP are counted
 * under {@link UdpDestination#NONE}; flows beyond {@link #MAX_FLOWS} under {@link #OTHER}.
 */
final class FlowCounts {
    static final int MAX_FLOWS = 1024;
    /** Stands for the flows that did not fit in the table. */
    static final long OTHER = -2L;
    private static final int SLOTS = MAX_FLOWS * 2;
    private static final int MASK = SLOTS - 1;

    private final long[] keys = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final long[] packets = new long[SLOTS];
    private final long[] bytes = new long[SLOTS];
    private int size;
    private long otherPackets;
    private long otherBytes;

    /** One flow's counts. */
    record Flow(long destination, long packets, long bytes) {
    }

    void count(long destination, int length) {
        int slot = (int) (destination * 0x9E3779B97F4A7C15L >>> 40) & MASK;
        while (used[slot] && keys[slot] != destination) {
            slot = (slot + 1) & MASK;
        }
        if (!used[slot]) {
            if (size == MAX_FLOWS) {
                otherPackets++;
                otherBytes += length;
                return;
            }
            used[slot] = true;
            keys[slot] = destination;
            size++;
        }
        packets[slot]++;
        bytes[slot] += length;
    }

    /** The flows counted since the last call, most packets first; then starts counting afresh. */
    List<Flow> drain() {
        List<Flow> flows = new ArrayList<>(size + 1);
        for (int slot = 0; slot < SLOTS; slot++) {
            if (used[slot]) {
                flows.add(new Flow(keys[slot], packets[slot], bytes[slot]));
                used[slot] = false;
                packets[slot] = 0;
                bytes[slot] = 0;
            }
        }
        if (otherPackets > 0) {
            flows.add(new Flow(OTHER, otherPackets, otherBytes));
        }
        size = 0;
        otherPackets = 0;
        otherBytes = 0;
        flows.sort(Comparator.comparingLong(Flow::packets).reversed());
        return flows;
    }
}
