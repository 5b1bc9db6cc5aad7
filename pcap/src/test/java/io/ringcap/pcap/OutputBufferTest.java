package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writers on an {@link OutputSink}: the bytes that reach the sink are exactly those a channel would get. */
class OutputBufferTest {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frames = arena.allocate(4096);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void aSinkGetsTheSameBytesAsAChannelAcrossManySegments() throws IOException {
        for (int i = 0; i < frames.byteSize(); i++) {
            frames.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
        final TestSink sink = new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY);
        final MemoryChannel channel = new MemoryChannel();
        try (PcapngWriter onSink = new PcapngWriter(sink);
             PcapngWriter onChannel = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            final SplittableRandom random = new SplittableRandom(7);
            for (final PcapngWriter writer : List.of(onSink, onChannel)) {
                writer.writeSectionHeader("hw", "os", "test", null);
                writer.writeInterfaceDescription(1, 65535, "eth0", null, null);
            }
            for (int i = 0; i < 5_000; i++) {
                final int length = 1 + random.nextInt(3000);
                final int offset = random.nextInt(1000);
                final boolean flush = random.nextInt(500) == 0;
                for (final PcapngWriter writer : List.of(onSink, onChannel)) {
                    writer.writePacket(0, 1_000L + i, frames, offset, length, length, 0);
                    if (flush) {
                        writer.flush();
                    }
                }
                assertThat(onSink.bytesWritten()).isEqualTo(onChannel.bytesWritten());
            }
        }
        assertThat(sink.takes).as("segments handed back").isGreaterThan(50);
        assertThat(sink.bytes()).isEqualTo(channel.toByteArray());
        assertThat(PacketRecord.readAll(sink.bytes())).hasSize(5_000);
    }

    @Test
    void aFailedTakeKeepsTheSegmentWithTheWriterAndLosesNothing() throws IOException {
        final TestSink sink = new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY);
        final MemoryChannel channel = new MemoryChannel();
        final List<Integer> refused = new ArrayList<>();
        try (PcapngWriter onSink = new PcapngWriter(sink);
             PcapngWriter onChannel = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            startSection(onSink, onChannel);
            for (int i = 0; i < 2_000; i++) {
                if (i % 300 == 0) {
                    sink.failTakes = 2;
                }
                try {
                    onSink.writePacket(0, i, frames, 0, 1000, 1000, 0);
                } catch (IOException e) {
                    refused.add(i);
                    continue;
                }
                onChannel.writePacket(0, i, frames, 0, 1000, 1000, 0);
                if (i % 450 == 0) {
                    sink.failTakes = 1;
                    assertThatThrownBy(onSink::flush).hasMessageContaining("No space");
                }
            }
            assertThat(onSink.bytesWritten()).isEqualTo(onChannel.bytesWritten());
        }
        assertThat(refused).as("packets refused while the sink failed").isNotEmpty();
        assertThat(sink.bytes()).isEqualTo(channel.toByteArray());
    }

    @Test
    void aFailedLendLeavesTheWriterWithoutASegmentUntilItAsksAgain() throws IOException {
        final TestSink sink = new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY);
        try (PcapngWriter writer = new PcapngWriter(sink)) {
            sink.failLends = 1;
            assertThatThrownBy(() -> writer.writeSectionHeader(null, null, null, null)).hasMessageContaining("No space");
            assertThat(writer.bytesWritten()).isZero();
            startSection(writer);
            writer.writePacket(0, 5, MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3, 3, 0);
        }
        assertThat(PacketRecord.readAll(sink.bytes())).singleElement()
            .satisfies(packet -> assertThat(packet.data()).isEqualTo("010203"));
    }

    @Test
    void aBlockLargerThanALentSegmentIsRefusedAndWhatCameBeforeIsKept() throws IOException {
        final TestSink sink = new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY);
        final MemorySegment big = MemorySegment.ofArray(new byte[200_000]);
        try (PcapngWriter writer = new PcapngWriter(sink)) {
            startSection(writer);
            writer.writePacket(0, 5, big, 0, 100, 100, 0);
            assertThatThrownBy(() -> writer.writePacket(0, 6, big, 0, 200_000, 200_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
            writer.writePacket(0, 7, big, 0, 100, 100, 0);
        }
        assertThat(PacketRecord.readAll(sink.bytes())).extracting(PacketRecord::timestampNanos).containsExactly(5L, 7L);
    }

    @Test
    void aRetractedPacketLeavesNoTraceEvenJustAfterANewSegment() throws IOException {
        final TestSink sink = new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY);
        final MemoryChannel channel = new MemoryChannel();
        try (PcapngWriter onSink = new PcapngWriter(sink);
             PcapngWriter onChannel = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            startSection(onSink, onChannel);
            for (int i = 0; i < 1_000; i++) {
                final int takes = sink.takes;
                final long before = onSink.bytesWritten();
                onSink.writePacket(0, i, frames, 0, 1000, 1000, 0);
                if (i % 3 == 0 || sink.takes > takes) {
                    // Every third packet, and every one that was the first of a new segment, is taken back.
                    onSink.retract();
                    assertThat(onSink.bytesWritten()).isEqualTo(before);
                } else {
                    onChannel.writePacket(0, i, frames, 0, 1000, 1000, 0);
                }
            }
        }
        assertThat(sink.takes).isGreaterThan(2);
        assertThat(sink.bytes()).isEqualTo(channel.toByteArray());
    }

    @Test
    void onlyTheLastBlockCanBeRetractedAndOnlyBeforeAFlush() throws IOException {
        try (PcapngWriter writer = new PcapngWriter(new TestSink(PcapngWriter.MIN_BUFFER_CAPACITY))) {
            startSection(writer);
            writer.writePacket(0, 1, frames, 0, 10, 10, 0);
            writer.retract();
            assertThatThrownBy(writer::retract).isInstanceOf(IllegalStateException.class);
            writer.writePacket(0, 2, frames, 0, 10, 10, 0);
            writer.flush();
            assertThatThrownBy(writer::retract).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void writingAPacketToASinkAllocatesNothing() throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final MemorySegment reused = arena.allocate(1 << 20);
        final OutputSink discard = new OutputSink() {
            @Override
            public MemorySegment lend() {
                return reused;
            }

            @Override
            public void take(final MemorySegment segment, final int length) {
            }
        };
        try (PcapngWriter writer = new PcapngWriter(discard)) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 65535, "eth0", null, null);
            final int packets = 100_000;
            for (int round = 0; round < 3; round++) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < packets; i++) {
                    final int length = 60 + (i & 1023);
                    writer.writePacket(0, i, frames, i & 255, length, length, 0);
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 2) {
                    assertThat((double) allocated / packets).as("bytes allocated per packet").isLessThan(0.1);
                }
            }
        }
    }

    private static void startSection(final PcapngWriter... writers) throws IOException {
        for (final PcapngWriter writer : writers) {
            writer.writeSectionHeader(null, null, null, null);
            writer.writeInterfaceDescription(1, 0, null, null, null);
        }
    }

    /**
     * Lends a new segment each time (so a writer that kept using an old one would be caught), keeps what it takes
     * back, and fails on request the way a full disk would: refusing a take, or a lend.
     */
    private final class TestSink implements OutputSink {
        private final int size;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private MemorySegment lent;
        /** Bytes of the lent segment already kept when a take failed. */
        private int keptOfLent;
        int takes;
        int failTakes;
        int failLends;

        TestSink(final int size) {
            this.size = size;
        }

        @Override
        public MemorySegment lend() throws IOException {
            assertThat(lent).as("a writer asks for a segment only when it holds none").isNull();
            if (failLends > 0) {
                failLends--;
                throw new IOException("No space left on device");
            }
            lent = arena.allocate(size).fill((byte) 0x77);
            keptOfLent = 0;
            return lent;
        }

        @Override
        public void take(final MemorySegment segment, final int length) throws IOException {
            assertThat(segment).as("the segment taken back is the one lent").isSameAs(lent);
            assertThat(length).isBetween(keptOfLent, size);
            // Keeps some bytes before failing, like a write the kernel stops part way.
            final int upTo = failTakes > 0 ? keptOfLent + (length - keptOfLent) / 2 : length;
            kept.write(segment.asSlice(keptOfLent, upTo - keptOfLent).toArray(ValueLayout.JAVA_BYTE), 0,
                upTo - keptOfLent);
            keptOfLent = upTo;
            if (failTakes > 0) {
                failTakes--;
                throw new IOException("No space left on device");
            }
            takes++;
            lent = null;
        }

        byte[] bytes() {
            return kept.toByteArray();
        }
    }
}
