package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapngWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void blocksAreLaidOutAsPcapngSaysInLittleEndian() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader(null, null, "rc", null);
            writer.writeInterfaceDescription(1, 0, "e0", null, null);
            writer.writePacket(0, 0x0000_0001_0000_0002L, MemorySegment.ofArray(new byte[] {9, 8, 7, 6, 5}), 0, 5, 60,
                PcapngDescriptor.EPB_FLAG_INBOUND);
        }
        final String hex = HEX.formatHex(channel.toByteArray());
        assertThat(hex).isEqualTo(
            // SHB: type, length 40, byte-order magic, version 1.0, section length -1, shb_userappl "rc", end, length
            "0a0d0d0a" + "28000000" + "4d3c2b1a" + "01000000" + "ffffffffffffffff" + "04000200" + "72630000"
            + "00000000" + "28000000"
            // IDB: type, length 40, link type 1, reserved, snap 0, if_name "e0", if_tsresol 9, end, length
            + "01000000" + "28000000" + "0100" + "0000" + "00000000" + "02000200" + "65300000" + "09000100"
            + "09000000" + "00000000" + "28000000"
            // EPB: type, length 52, interface 0, ts high, ts low, captured 5, original 60, data padded, epb_flags 1
            + "06000000" + "34000000" + "00000000" + "01000000" + "02000000" + "05000000" + "3c000000"
            + "0908070605000000" + "02000400" + "01000000" + "00000000" + "34000000");
    }

    @Test
    void writingAPacketAllocatesNothing() throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final WritableByteChannel discard = new DiscardingChannel();
        try (Arena arena = Arena.ofConfined();
             PcapngWriter writer = new PcapngWriter(discard, 1 << 20)) {
            final MemorySegment frames = arena.allocate(4096);
            writer.writeSectionHeader("hw", "os", "ringcap test", null);
            writer.writeInterfaceDescription(1, 65535, "eth0", null, null);
            writer.writeInterfaceDescription(1, 65535, "eth1", null, null);
            final String comment = "gap: packets lost";
            final int packets = 100_000;
            for (int round = 0; round < 3; round++) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < packets; i++) {
                    final int length = 60 + (i & 1023);
                    writer.writePacket(i & 1, 1_700_000_000_000_000_000L + i, frames, i & 255, length, length + 4,
                        PcapngDescriptor.EPB_FLAG_INBOUND);
                    if ((i & 4095) == 0) {
                        writer.writePacket(i & 1, 1_700_000_000_000_000_000L + i, frames, 0, 60, 60, 0, 7, comment);
                        writer.writeInterfaceStatistics(0, 1_700_000_000_000_000_000L + i, 1, 2, i, 0, 7, null);
                    }
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 2) {
                    // After two warm-up rounds: at most a few stray objects from the JIT, not one per packet.
                    assertThat((double) allocated / packets).as("bytes allocated per packet").isLessThan(0.1);
                }
            }
        }
    }

    @Test
    void bytesWrittenIsTheOffsetOfTheNextBlock() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        final List<Long> offsets = new ArrayList<>();
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 0, null, null, null);
            final MemorySegment frame = MemorySegment.ofArray(new byte[1500]);
            for (int i = 0; i < 500; i++) {
                offsets.add(writer.bytesWritten());
                writer.writePacket(0, i, frame, 0, 100 + i, 1500, 0);
            }
            writer.flush();
            assertThat(writer.bytesWritten()).isEqualTo(channel.size());
        }
        try (PacketReader reader = PacketReader.open(new MemoryChannel(channel.toByteArray()))) {
            for (final long offset : offsets) {
                assertThat(reader.next()).isTrue();
                assertThat(reader.packet().fileOffset()).isEqualTo(offset);
            }
        }
    }

    @Test
    void bufferIsHandedToTheChannelInBigWrites() throws IOException {
        final List<Integer> writes = new ArrayList<>();
        final DiscardingChannel channel = new DiscardingChannel() {
            @Override
            public int write(final ByteBuffer source) throws IOException {
                writes.add(source.remaining());
                return super.write(source);
            }
        };
        try (PcapngWriter writer = new PcapngWriter(channel, 1 << 20)) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 0, null, null, null);
            final MemorySegment frame = MemorySegment.ofArray(new byte[1000]);
            for (int i = 0; i < 10_000; i++) {
                writer.writePacket(0, i, frame, 0, 1000, 1000, 0);
            }
        }
        assertThat(writes).hasSizeGreaterThan(5);
        assertThat(writes.subList(0, writes.size() - 1)).allSatisfy(size -> assertThat(size).isGreaterThan(1_040_000));
    }

    @Test
    void failedFlushKeepsWhatTheChannelDidNotTakeForTheNextFlush() throws IOException {
        final MemoryChannel file = new MemoryChannel();
        final boolean[] full = {true};
        final WritableByteChannel flaky = new DiscardingChannel() {
            @Override
            public int write(final ByteBuffer source) throws IOException {
                if (full[0]) {
                    full[0] = false;
                    final ByteBuffer part = source.slice(source.position(), 10);
                    source.position(source.position() + 10);
                    file.write(part);
                    throw new IOException("No space left on device");
                }
                return file.write(source);
            }
        };
        final PcapngWriter writer = new PcapngWriter(flaky, PcapngWriter.MIN_BUFFER_CAPACITY);
        writer.writeSectionHeader(null, null, null, null);
        writer.writeInterfaceDescription(1, 0, null, null, null);
        writer.writePacket(0, 5, MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3, 3, 0);
        assertThatThrownBy(writer::flush).hasMessageContaining("No space");
        writer.close();
        assertThat(PacketRecord.readAll(file.toByteArray())).singleElement()
            .satisfies(packet -> assertThat(packet.data()).isEqualTo("010203"));
    }

    @Test
    void misuseIsRefusedBeforeAnythingIsWritten() throws IOException {
        try (PcapngWriter writer = new PcapngWriter(new DiscardingChannel(), PcapngWriter.MIN_BUFFER_CAPACITY)) {
            final MemorySegment frame = MemorySegment.ofArray(new byte[256 * 1024]);
            assertThatThrownBy(() -> writer.writeInterfaceDescription(1, 0, null, null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("section header first");
            writer.writeSectionHeader(null, null, null, null);
            assertThatThrownBy(() -> writer.writePacket(0, 1, frame, 0, 10, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interface 0");
            writer.writeInterfaceDescription(1, 0, null, null, null);
            assertThatThrownBy(() -> writer.writePacket(0, -1, frame, 0, 10, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the Unix epoch");
            assertThatThrownBy(() -> writer.writePacket(0, 1, frame, 0, 11, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("original length");
            assertThatThrownBy(() -> writer.writePacket(0, 1, frame, 0, 200_000, 200_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
            assertThatThrownBy(() -> writer.writeInterfaceDescription(1 << 16, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bits");
            assertThat(writer.bytesWritten()).isEqualTo(28 + 32);
        }
    }

    /** Takes every byte and keeps none. */
    static class DiscardingChannel implements WritableByteChannel {
        @Override
        public int write(final ByteBuffer source) throws IOException {
            final int count = source.remaining();
            source.position(source.limit());
            return count;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
