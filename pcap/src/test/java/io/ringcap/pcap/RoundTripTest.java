package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What our writers write, our readers read back: every byte, every nanosecond. */
class RoundTripTest {
    private static final long BASE_NANOS = 1_764_000_000_123_456_789L;

    @Test
    void pcapngWithSeveralInterfacesReadsBackExactly() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        final List<PacketRecord> written = new ArrayList<>();
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader("x86_64", "Linux", "ringcap test", "round trip ☃");
            assertThat(writer.writeInterfaceDescription(1, 65535, "eth0", "afxdp queue 0", "udp dst port 3000")).isZero();
            assertThat(writer.writeInterfaceDescription(101, 9000, "mc0", null, null)).isEqualTo(1);
            assertThat(writer.writeInterfaceDescription(228, 0, null, null, null)).isEqualTo(2);
            written.addAll(writeRandomPackets(writer, 3, 2_000, new SplittableRandom(7)));
            writer.writeInterfaceStatistics(1, BASE_NANOS + 99, BASE_NANOS, BASE_NANOS + 98, 2_000, 3, 17, "lapped once");
            writer.writeComment(2, BASE_NANOS + 100, "recorder lapped: 17 packets lost");
        }
        try (PcapngReader reader = (PcapngReader) PacketReader.open(new MemoryChannel(channel.toByteArray()))) {
            assertThat(PacketRecord.readAll(reader)).isEqualTo(written);
            assertThat(reader.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(reader.section().userApplication()).isEqualTo("ringcap test");
            assertThat(reader.section().hardware()).isEqualTo("x86_64");
            assertThat(reader.section().os()).isEqualTo("Linux");
            assertThat(reader.section().comments()).containsExactly("round trip ☃");
            assertThat(reader.interfaces()).extracting(CaptureInterface::linkType).containsExactly(1, 101, 228);
            final CaptureInterface eth0 = reader.interfaces().getFirst();
            assertThat(eth0.name()).isEqualTo("eth0");
            assertThat(eth0.description()).isEqualTo("afxdp queue 0");
            assertThat(eth0.filter()).isEqualTo("udp dst port 3000");
            assertThat(eth0.snapLength()).isEqualTo(65535);
            assertThat(reader.interfaces()).allSatisfy(i -> assertThat(i.timestampResolution()).isEqualTo(9));
            assertThat(reader.statistics(1)).isEqualTo(new InterfaceStatistics(
                1, BASE_NANOS + 99, BASE_NANOS, BASE_NANOS + 98, 2_000, 3, -1, 17, -1, List.of("lapped once")));
            assertThat(reader.statistics(2).comments()).containsExactly("recorder lapped: 17 packets lost");
            assertThat(reader.statistics(0)).isNull();
        }
    }

    @Test
    void everySectionStartsItsOwnInterfaces() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        final MemorySegment frame = MemorySegment.ofArray(new byte[] {1, 2, 3, 4});
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader(null, null, null, "first");
            writer.writeInterfaceDescription(1, 0, "a", null, null);
            writer.writeInterfaceDescription(1, 0, "b", null, null);
            writer.writePacket(1, 10, frame, 0, 4, 4, 0);
            writer.writeSectionHeader(null, null, null, "second");
            writer.writeInterfaceDescription(147, 0, "c", null, null);
            writer.writePacket(0, 20, frame, 1, 3, 4, 0);
        }
        try (PacketReader reader = PacketReader.open(new MemoryChannel(channel.toByteArray()))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.packet().captureInterface().name()).isEqualTo("b");
            assertThat(reader.next()).isTrue();
            assertThat(reader.packet().interfaceId()).isZero();
            assertThat(reader.packet().captureInterface().name()).isEqualTo("c");
            assertThat(reader.packet().linkType()).isEqualTo(147);
            assertThat(reader.interfaces()).hasSize(1);
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void pcapReadsBackExactly() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        final SplittableRandom random = new SplittableRandom(11);
        final List<PacketRecord> written = new ArrayList<>();
        try (PcapWriter writer = new PcapWriter(channel, 1, 262144, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            for (int i = 0; i < 2_000; i++) {
                final byte[] frame = randomFrame(random);
                final long timestamp = BASE_NANOS + random.nextLong(1_000_000_000_000L);
                final int original = frame.length + random.nextInt(3);
                writer.writePacket(timestamp, MemorySegment.ofArray(frame), 0, frame.length, original);
                written.add(new PacketRecord(0, timestamp, frame.length, original, 0, -1, List.of(),
                    HexFormat.of().formatHex(frame)));
            }
        }
        try (PacketReader reader = PacketReader.open(new MemoryChannel(channel.toByteArray()))) {
            assertThat(((PcapReader) reader).magic()).isEqualTo(PcapDescriptor.MAGIC_NANOSECONDS);
            assertThat(reader.interfaces().getFirst().timestampResolution()).isEqualTo(9);
            assertThat(PacketRecord.readAll(reader)).isEqualTo(written);
        }
    }

    @Test
    void fileBiggerThanTheReadWindowStreamsThroughIt(@TempDir final Path directory) throws IOException {
        final Path file = directory.resolve("big.pcapng");
        final List<PacketRecord> written;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             PcapngWriter writer = new PcapngWriter(channel)) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 0, null, null, null);
            written = writeRandomPackets(writer, 1, 8_000, new SplittableRandom(3));
        }
        try (PacketReader reader = PacketReader.open(file)) {
            assertThat(PacketRecord.readAll(reader)).isEqualTo(written);
        }
        // A pipe gives no size: the window must grow as the bytes of a block arrive.
        try (InputStream in = java.nio.file.Files.newInputStream(file);
             PacketReader reader = PacketReader.open(Channels.newChannel(in))) {
            assertThat(PacketRecord.readAll(reader)).isEqualTo(written);
        }
    }

    @Test
    void readingPacketsThroughTheViewAllocatesAlmostNothing(@TempDir final Path directory) throws IOException {
        final Path file = directory.resolve("many.pcapng");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             PcapngWriter writer = new PcapngWriter(channel)) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 0, null, null, null);
            final MemorySegment frame = MemorySegment.ofArray(new byte[200]);
            for (int i = 0; i < 100_000; i++) {
                writer.writePacket(0, BASE_NANOS + i, frame, 0, 200, 200, PcapngDescriptor.EPB_FLAG_INBOUND);
            }
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {
            try (PacketReader reader = PacketReader.open(file)) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                long sum = 0;
                while (reader.next()) {
                    final PacketView packet = reader.packet();
                    sum += packet.timestampNanos() + packet.buffer().get(java.lang.foreign.ValueLayout.JAVA_BYTE, packet.dataOffset());
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(sum).isNotZero();
                if (round == 2) {
                    assertThat((double) allocated / 100_000).as("bytes allocated per packet read").isLessThan(1);
                }
            }
        }
    }

    private static List<PacketRecord> writeRandomPackets(
        final PcapngWriter writer, final int interfaces, final int count, final SplittableRandom random)
        throws IOException {
        final List<PacketRecord> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final byte[] frame = randomFrame(random);
            final int offset = random.nextInt(8);
            final byte[] withLeadingBytes = new byte[frame.length + offset];
            System.arraycopy(frame, 0, withLeadingBytes, offset, frame.length);
            final int interfaceId = random.nextInt(interfaces);
            final long timestamp = BASE_NANOS + random.nextLong(1_000_000_000_000L);
            final int original = frame.length + (random.nextInt(4) == 0 ? random.nextInt(1000) : 0);
            final int flags = random.nextBoolean() ? 0 : PcapngDescriptor.EPB_FLAG_INBOUND | PcapngDescriptor.EPB_FLAG_MULTICAST;
            final long dropCount = random.nextInt(10) == 0 ? random.nextLong(1_000_000) : -1;
            final String comment = random.nextInt(10) == 0 ? "gap of " + dropCount + " packets — ñ" : null;
            writer.writePacket(interfaceId, timestamp, MemorySegment.ofArray(withLeadingBytes), offset, frame.length,
                original, flags, dropCount, comment);
            written.add(new PacketRecord(interfaceId, timestamp, frame.length, original, flags, dropCount,
                comment == null ? List.of() : List.of(comment), HexFormat.of().formatHex(frame)));
        }
        return written;
    }

    private static byte[] randomFrame(final SplittableRandom random) {
        final int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 9000 + random.nextInt(60_000);
            default -> 42 + random.nextInt(1500);
        };
        final byte[] frame = new byte[length];
        random.nextBytes(frame);
        return frame;
    }
}
