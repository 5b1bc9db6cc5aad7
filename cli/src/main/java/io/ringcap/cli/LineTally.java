package io.ringcap.cli;

import io.ringcap.record.UdpDestination;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.MoldHeader;
import io.ringcap.traffic.UdpFrame;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;

/**
 * Counts the lines of one sequence-numbered (MoldUDP64) stream in captured frames: packets per line and
 * which sequence numbers each line delivered. Market-data feeds send every packet on two lines, A and B, so
 * that a packet lost on one is still there on the other; a sequence number counts as lost only if it is
 * missing on every line (A/B arbitration). Frames to other destinations are counted apart.
 */
final class LineTally {
    private final long[] destinations;
    private final long[] packets;
    private final BitSet[] sequences;
    private long otherFrames;

    LineTally(List<GroupAddress> lines) {
        int count = lines.size();
        destinations = new long[count];
        packets = new long[count];
        sequences = new BitSet[count];
        for (int line = 0; line < count; line++) {
            destinations[line] = UdpDestination.pack(Integer.toUnsignedLong(lines.get(line).address()),
                lines.get(line).port());
            sequences[line] = new BitSet();
        }
    }

    /** Counts the Ethernet frame of {@code length} bytes at {@code offset} in {@code buffer}. */
    void count(MemorySegment buffer, long offset, int length) {
        long destination = UdpDestination.of(buffer, offset, length);
        for (int line = 0; line < destinations.length; line++) {
            if (destination == destinations[line]) {
                packets[line]++;
                long payload = UdpFrame.payloadOffset(buffer, offset, length);
                if (payload >= 0 && payload + MoldHeader.LENGTH <= offset + length) {
                    long sequence = MoldHeader.sequence(buffer, payload);
                    // Sequence numbers start at 1; a BitSet holds up to Integer.MAX_VALUE, 6 hours at 100k pps.
                    if (sequence > 0 && sequence < Integer.MAX_VALUE) {
                        sequences[line].set((int) sequence);
                    }
                }
                return;
            }
        }
        otherFrames++;
    }

    /** Frames counted for {@code line} (an index into the lines given), duplicates included. */
    long packets(int line) {
        return packets[line];
    }

    /** Sequence numbers from 1 to {@code last} that {@code line} did not deliver. */
    long missing(int line, long last) {
        return last - sequences[line].get(1, (int) last + 1).cardinality();
    }

    /** Runs of consecutive sequence numbers from 1 to {@code last} that {@code line} did not deliver. */
    long gaps(int line, long last) {
        BitSet seen = sequences[line];
        int end = (int) last + 1;
        long gaps = 0;
        int missing = seen.nextClearBit(1);
        while (missing < end) {
            gaps++;
            int next = seen.nextSetBit(missing);
            if (next < 0) {
                break;
            }
            missing = seen.nextClearBit(next);
        }
        return gaps;
    }

    /** Sequence numbers from 1 to {@code last} that no line delivered: what A/B arbitration cannot recover. */
    long missingOnEveryLine(long last) {
        BitSet any = new BitSet();
        for (BitSet line : sequences) {
            any.or(line);
        }
        return last - any.get(1, (int) last + 1).cardinality();
    }

    /** Frames that went to none of the lines. */
    long otherFrames() {
        return otherFrames;
    }
}
