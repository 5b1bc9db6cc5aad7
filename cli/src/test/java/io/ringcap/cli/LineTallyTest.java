package io.ringcap.cli;

import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.MoldHeader;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineTallyTest {
    private static final GroupAddress A = GroupAddress.parse("239.100.0.1:31001");
    private static final GroupAddress B = GroupAddress.parse("239.100.0.2:31002");
    private static final int FRAME = 14 + 20 + 8 + MoldHeader.LENGTH;

    @Test
    void aGapOnOneLineFilledByTheOtherIsNoLoss() {
        LineTally tally = new LineTally(List.of(A, B));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FRAME);
            for (long sequence : new long[] {1, 2, 5, 6, 9}) {
                count(tally, frame, A, sequence);
            }
            for (long sequence : new long[] {1, 3, 4, 6, 7}) {
                count(tally, frame, B, sequence);
            }
            count(tally, frame, GroupAddress.parse("239.9.9.9:9"), 1);
        }

        assertThat(tally.packets(0)).isEqualTo(5);
        assertThat(tally.missing(0, 10)).isEqualTo(5);
        assertThat(tally.gaps(0, 10)).as("3-4, 7-8, 10").isEqualTo(3);
        assertThat(tally.missing(1, 10)).isEqualTo(5);
        assertThat(tally.gaps(1, 10)).as("2, 5, 8-10").isEqualTo(3);
        assertThat(tally.missingOnEveryLine(10)).as("8 and 10").isEqualTo(2);
        assertThat(tally.otherFrames()).isEqualTo(1);
    }

    /** An Ethernet/IPv4/UDP frame to {@code group} whose payload is a MoldUDP64 header with {@code sequence}. */
    private static void count(LineTally tally, MemorySegment frame, GroupAddress group, long sequence) {
        frame.fill((byte) 0);
        ValueLayout.OfShort u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        ValueLayout.OfInt u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        frame.set(u16, 12, (short) 0x0800);
        frame.set(ValueLayout.JAVA_BYTE, 14, (byte) 0x45);
        frame.set(ValueLayout.JAVA_BYTE, 14 + 9, (byte) 17);
        frame.set(u32, 14 + 16, group.address());
        frame.set(u16, 14 + 20 + 2, (short) group.port());
        frame.set(u16, 14 + 20 + 4, (short) (8 + MoldHeader.LENGTH));
        MoldHeader.writeSequence(frame, 14 + 20 + 8, sequence);
        tally.count(frame, 0, FRAME);
    }
}
