package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcapWriterTest {
    @Test
    void fileIsNanosecondPcapInLittleEndian() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        try (PcapWriter writer = new PcapWriter(channel, 1, 65535, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writePacket(1_700_000_000_123_456_789L, MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3, 70);
        }
        assertThat(HexFormat.of().formatHex(channel.toByteArray())).isEqualTo(
            // magic a1b23c4d, version 2.4, thiszone, sigfigs, snaplen 65535, link type 1
            "4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000"
            // 1700000000 s, 123456789 ns, captured 3, original 70, data
            + "00f15365" + "15cd5b07" + "03000000" + "46000000" + "010203");
    }

    @Test
    void writingAPacketAllocatesNothing() throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined();
             PcapWriter writer = new PcapWriter(new PcapngWriterTest.DiscardingChannel(), 1, 65535, 1 << 20)) {
            final MemorySegment frames = arena.allocate(2048);
            final int packets = 100_000;
            for (int round = 0; round < 3; round++) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < packets; i++) {
                    writer.writePacket(1_700_000_000_000_000_000L + i, frames, i & 255, 60 + (i & 1023), 2000);
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 2) {
                    assertThat((double) allocated / packets).as("bytes allocated per packet").isLessThan(0.1);
                }
            }
        }
    }

    @Test
    void timestampsOutsideThirtyTwoBitSecondsAreRefused() throws IOException {
        try (PcapWriter writer = new PcapWriter(new MemoryChannel(), 1, 65535)) {
            final MemorySegment frame = MemorySegment.ofArray(new byte[4]);
            assertThatThrownBy(() -> writer.writePacket(-1, frame, 0, 4, 4))
                .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.writePacket(4_294_967_296_000_000_000L, frame, 0, 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-bit seconds");
            writer.writePacket(4_294_967_295_999_999_999L, frame, 0, 4, 4);
        }
    }
}
