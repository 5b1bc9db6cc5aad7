package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RingWriterReaderTest {
    private static final long CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    private final MemorySegment scratch = Arena.ofAuto().allocate(1 << 20, 8);

    private Path newRing(long capacity) {
        Path path = dir.resolve("ring");
        RingFile.create(path, capacity, true).close();
        return path;
    }

    private void writeFrame(RingWriter writer, long sequence, int length) {
        TestFrames.fill(scratch, sequence, length);
        writer.write(scratch, 0, length, length, 1_000L + sequence, (int) (sequence % 3), 0);
    }

    private static final class Collector implements RecordHandler {
        final List<Long> sequences = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        long lostRecords;
        long lostBytes;
        int restarts;
        int torn;

        @Override
        public void onRecord(RingRecord record) {
            long sequence = TestFrames.check(record.buffer(), record.frameOffset(), record.capturedLength());
            if (!record.isIntact()) {
                return;
            }
            if (sequence != record.sequence()) {
                torn++;
            }
            sequences.add(record.sequence());
            timestamps.add(record.timestampNanos());
        }

        @Override
        public void onLoss(long records, long ringBytes) {
            lostRecords += records;
            lostBytes += ringBytes;
        }

        @Override
        public void onWriterRestart(long previousEpoch, long epoch) {
            restarts++;
        }
    }

    @Test
    void recordsComeBackInOrderWithTheirMetadata() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.KERNEL, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            for (int i = 0; i < 100; i++) {
                writeFrame(writer, i, 16 + i);
            }
            writer.publish();
            List<String> seen = new ArrayList<>();
            reader.poll(record -> seen.add(record.sequence() + ":" + record.capturedLength() + ":"
                + record.originalLength() + ":" + record.timestampNanos() + ":" + record.sourceId()), 1000);
            assertThat(seen).hasSize(100);
            assertThat(seen.get(0)).isEqualTo("0:16:16:1000:0");
            assertThat(seen.get(99)).isEqualTo("99:115:115:1099:0");
            assertThat(reader.deliveredRecords()).isEqualTo(100);
            assertThat(reader.header().recordsWritten()).isEqualTo(100);
            assertThat(reader.header().timestampSource()).isEqualTo(TimestampSource.KERNEL);
            assertThat(reader.header().sourceDescription()).isEqualTo("test");
        }
    }

    @Test
    void recordsAreInvisibleUntilPublishedAndABatchPublishesAtOnce() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            Collector collector = new Collector();
            for (int i = 0; i < 32; i++) {
                writeFrame(writer, i, 64);
            }
            assertThat(reader.poll(collector, 100)).isZero();
            writer.publish();
            assertThat(reader.poll(collector, 100)).isEqualTo(32);
            assertThat(reader.poll(collector, 100)).isZero();
        }
    }

    @Test
    void pollDeliversAtMostTheLimit() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            for (int i = 0; i < 10; i++) {
                writeFrame(writer, i, 64);
            }
            writer.publish();
            Collector collector = new Collector();
            assertThat(reader.poll(collector, 4)).isEqualTo(4);
            assertThat(reader.poll(collector, 4)).isEqualTo(4);
            assertThat(reader.poll(collector, 4)).isEqualTo(2);
            assertThat(collector.sequences).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void recordsNeverWrapTheBufferEndIsPadded() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            Collector collector = new Collector();
            long sequence = 0;
            // 1000-byte frames take 1032 bytes: 63 fit in 64 KiB, the 64th needs padding before it.
            for (int lap = 0; lap < 5; lap++) {
                for (int i = 0; i < 50; i++) {
                    writeFrame(writer, sequence++, 1000);
                    writer.publish();
                    long offsetAfter = writer.position() & (CAPACITY - 1);
                    assertThat(offsetAfter == 0 || offsetAfter % 1032 == 0 || offsetAfter < 1032 * 63).isTrue();
                }
                reader.poll(collector, Integer.MAX_VALUE);
            }
            assertThat(collector.sequences).hasSize(250);
            assertThat(collector.lostRecords).isZero();
            assertThat(collector.torn).isZero();
            assertThat(reader.position()).isEqualTo(writer.position());
        }
    }

    @Test
    void paddingCanBeAsShortAsEightBytes() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            // 1364 records of 48 bytes and one of 56 end 8 bytes before the end of the 64 KiB buffer.
            // The reader keeps up so that the writer's intent lookahead never laps it.
            Collector collector = new Collector();
            long sequence = 0;
            for (int i = 0; i < 1364; i++) {
                writeFrame(writer, sequence++, 16);
                writer.publish();
                reader.poll(collector, Integer.MAX_VALUE);
            }
            writeFrame(writer, sequence++, 24);
            assertThat(writer.position()).isEqualTo(CAPACITY - 8);
            writer.publish();
            reader.poll(collector, Integer.MAX_VALUE);
            writeFrame(writer, sequence++, 16);
            writer.publish();
            assertThat(writer.position()).isEqualTo(CAPACITY + 48);
            reader.poll(collector, Integer.MAX_VALUE);
            assertThat(collector.sequences).hasSize((int) sequence);
            assertThat(collector.torn).isZero();
            assertThat(reader.position()).isEqualTo(CAPACITY + 48);
        }
    }

    @Test
    void framesLongerThanTheMaximumAreTruncatedAndFlagged() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            int max = writer.maxCapturedLength();
            writer.write(scratch, 0, max + 100, max + 100, 5, 0, 0);
            writer.write(scratch, 0, max, max, 6, 0, 0);
            writer.publish();
            List<int[]> seen = new ArrayList<>();
            reader.poll(r -> seen.add(new int[]{r.capturedLength(), r.originalLength(), r.flags()}), 10);
            assertThat(seen.get(0)).containsExactly(max, max + 100, RecordDescriptor.FLAG_TRUNCATED);
            assertThat(seen.get(1)).containsExactly(max, max, 0);
            assertThat(reader.header().truncatedRecords()).isEqualTo(1);
        }
    }

    @Test
    void claimAndCommitFillTheRingInPlace() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            for (int i = 0; i < 200; i++) {
                long offset = writer.claim(2000);
                TestFrames.fill(writer.buffer().asSlice(offset, 2000), i, 100 + i);
                writer.commit(100 + i, 100 + i, i, 0, RecordDescriptor.FLAG_HARDWARE_TIMESTAMP);
                writer.publish();
                Collector collector = new Collector();
                reader.poll(collector, 10);
                assertThat(collector.sequences).containsExactly((long) i);
                assertThat(collector.torn).isZero();
            }
        }
    }

    @Test
    void commitWithoutClaimOrBeyondItIsRefused() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            assertThatThrownBy(() -> writer.commit(10, 10, 0, 0, 0)).isInstanceOf(IllegalStateException.class);
            writer.claim(100);
            assertThatThrownBy(() -> writer.commit(101, 101, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.claim(writer.maxCapturedLength() + 1))
                .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.claim(-1)).isInstanceOf(IllegalArgumentException.class);
            writer.claim(10);
            writer.commit(10, 10, 0, 0, 0);
            assertThatThrownBy(() -> writer.commit(10, 10, 0, 0, 0)).as("a claim is committed once")
                .isInstanceOf(IllegalStateException.class);
            writer.claim(10);
            writer.write(MemorySegment.ofArray(new byte[10]), 0, 10, 10, 0, 0, 0);
            assertThatThrownBy(() -> writer.commit(10, 10, 0, 0, 0)).as("a write spends an open claim")
                .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void readerStartingAtNewestSeesOnlyLaterRecords() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            for (int i = 0; i < 10; i++) {
                writeFrame(writer, i, 64);
            }
            writer.publish();
            try (RingReader reader = RingReader.open(path, RingReader.Start.NEWEST)) {
                writeFrame(writer, 10, 64);
                writer.publish();
                Collector collector = new Collector();
                reader.poll(collector, 100);
                assertThat(collector.sequences).containsExactly(10L);
            }
        }
    }

    @Test
    void aRingWhoseRecordsAreZeroedIsRefusedWithoutHanging() throws Exception {
        Path path = newRing(CAPACITY);
        long tail;
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            for (int i = 0; i < 10; i++) {
                writeFrame(writer, i, 64);
            }
            writer.publish();
            tail = writer.position();
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) CAPACITY), RingDescriptor.dataOffset(CAPACITY, 4096));
        }
        // A record length of 0 once sent the walk back to the last record round the same position for ever.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (RingReader reader = RingReader.open(path, RingReader.Start.LAST)) {
                assertThat(reader.position()).isEqualTo(tail);
            }
            assertThatThrownBy(() -> RingWriter.open(path, TimestampSource.USER, "test"))
                .isInstanceOf(RingException.class)
                .hasMessageContaining("is damaged: no record found before its tail " + tail);
        });
    }

    @Test
    void readerStartingAtLastGetsTheLastPublishedRecordEvenAfterLaps() {
        Path path = newRing(CAPACITY);
        SplittableRandom random = new SplittableRandom(9);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            try (RingReader empty = RingReader.open(path, RingReader.Start.LAST)) {
                assertThat(empty.position()).isZero();
            }
            long written = 0;
            while (writer.position() < 5 * CAPACITY + 777) {
                writeFrame(writer, written++, random.nextInt(16, 5000));
            }
            writer.publish();
            try (RingReader reader = RingReader.open(path, RingReader.Start.LAST)) {
                Collector collector = new Collector();
                reader.poll(collector, 100);
                assertThat(collector.sequences).containsExactly(written - 1);
            }
        }
    }

    @Test
    void truncatedFlagOnACommitIsCounted() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            writer.claim(100);
            writer.commit(100, 9000, 0, 0, RecordDescriptor.FLAG_TRUNCATED);
            writer.publish();
            assertThat(writer.header().truncatedRecords()).isEqualTo(1);
        }
    }

    @Test
    void readerLappedReportsExactLossAndResumesAtOldestIntactRecord() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            Collector collector = new Collector();
            for (int i = 0; i < 5; i++) {
                writeFrame(writer, i, 100);
            }
            writer.publish();
            reader.poll(collector, 2);
            long written = 5;
            // Three laps' worth of writing while the reader sleeps.
            while (writer.position() < 3 * CAPACITY) {
                writeFrame(writer, written++, 100);
                writer.publish();
            }
            reader.poll(collector, Integer.MAX_VALUE);
            assertThat(collector.torn).isZero();
            assertThat(collector.sequences.size() + collector.lostRecords).isEqualTo(written);
            assertThat(collector.sequences).isSorted().doesNotHaveDuplicates();
            assertThat(collector.sequences.getLast()).isEqualTo(written - 1);
            // Resumed within one index chunk plus the intent lookahead of the oldest data still intact.
            long delivered = collector.sequences.size() - 2;
            assertThat(delivered * 136).isGreaterThan(CAPACITY - 4096 - writer.intentLookahead() - 136);
            assertThat(reader.lostRecords()).isEqualTo(collector.lostRecords);
            assertThat(reader.lostBytes()).isEqualTo(collector.lostBytes);
            // 481 records of 136 bytes fill a lap, then 120 bytes of padding.
            long firstAfterGap = collector.sequences.get(2);
            assertThat(collector.lostRecords).isEqualTo(firstAfterGap - 2);
            assertThat(collector.lostBytes).isEqualTo(positionOf(firstAfterGap) - positionOf(2));
            assertThat(reader.laps()).isEqualTo(1);
        }
    }

    private static long positionOf(long sequence) {
        return sequence / 481 * CAPACITY + sequence % 481 * 136;
    }

    @Test
    void recordOverwrittenWhileTheHandlerRunsIsCountedLostNotDelivered() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            long[] written = {0};
            for (; written[0] < 10; written[0]++) {
                writeFrame(writer, written[0], 200);
            }
            writer.publish();
            Collector collector = new Collector();
            boolean[] lapDone = {false};
            RecordHandler lappingHandler = new RecordHandler() {
                @Override
                public void onRecord(RingRecord record) {
                    if (!lapDone[0]) {
                        lapDone[0] = true;
                        while (writer.position() < record.position() + CAPACITY + 1000) {
                            writeFrame(writer, written[0]++, 200);
                        }
                        writer.publish();
                    }
                    collector.onRecord(record);
                }

                @Override
                public void onLoss(long records, long ringBytes) {
                    collector.onLoss(records, ringBytes);
                }
            };
            reader.poll(lappingHandler, Integer.MAX_VALUE);
            reader.poll(collector, Integer.MAX_VALUE);
            assertThat(collector.sequences).doesNotContain(0L);
            assertThat(collector.torn).isZero();
            assertThat(collector.sequences.size() + collector.lostRecords).isEqualTo(written[0]);
            assertThat(reader.deliveredRecords()).isEqualTo(collector.sequences.size());
        }
    }

    @Test
    void writerRestartContinuesSequencesInANewEpochThatReadersSee() {
        Path path = newRing(CAPACITY);
        Collector collector = new Collector();
        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            long epoch;
            try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "first")) {
                epoch = writer.epoch();
                for (int i = 0; i < 10; i++) {
                    writeFrame(writer, i, 64);
                }
                writer.publish();
            }
            reader.poll(collector, 100);
            try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "second")) {
                assertThat(writer.epoch()).isEqualTo(epoch + 1);
                assertThat(writer.nextSequence()).isEqualTo(10);
                for (int i = 10; i < 20; i++) {
                    writeFrame(writer, i, 64);
                }
                writer.publish();
                reader.poll(collector, 100);
            }
            assertThat(collector.restarts).isEqualTo(1);
            assertThat(collector.sequences).hasSize(20).isSorted();
            assertThat(collector.lostRecords).isZero();
            assertThat(reader.header().sourceDescription()).isEqualTo("second");
        }
    }

    @Test
    void restartedWriterFindsItsSequenceFromTheRecordsEvenAfterManyLaps() {
        Path path = newRing(CAPACITY);
        long written = 0;
        SplittableRandom random = new SplittableRandom(3);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "first")) {
            while (writer.position() < 7 * CAPACITY + 12345) {
                writeFrame(writer, written++, random.nextInt(16, 3000));
            }
            writer.publish();
        }
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "second")) {
            assertThat(writer.nextSequence()).isEqualTo(written);
        }
    }

    @Test
    void aRingHasOneWriterAtATime() {
        Path path = newRing(CAPACITY);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "first")) {
            assertThatThrownBy(() -> RingWriter.open(path, TimestampSource.USER, "second"))
                .isInstanceOf(RingException.class)
                .hasMessageContaining("already has a writer (pid " + ProcessHandle.current().pid() + ")");
            assertThat(writer.epoch()).isEqualTo(1);
        }
    }

    @Test
    void writerStatusTellsClosedNeverStartedAliveStaleAndDead() {
        Path path = newRing(CAPACITY);
        try (RingFile file = RingFile.openForReading(path)) {
            RingHeader header = file.header();
            long now = System.currentTimeMillis() * 1_000_000L;
            assertThat(WriterStatus.of(header, now, 1_000_000_000L)).isEqualTo(WriterStatus.NEVER_STARTED);
            try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
                writer.heartbeat(now);
                assertThat(WriterStatus.of(header, now + 1000, 1_000_000_000L)).isEqualTo(WriterStatus.ALIVE);
                assertThat(WriterStatus.of(header, now + 5_000_000_000L, 1_000_000_000L)).isEqualTo(WriterStatus.STALE);
            }
            assertThat(WriterStatus.of(header, now, 1_000_000_000L)).isEqualTo(WriterStatus.CLOSED);
        }
    }

    @Test
    void aWriterWhoseProcessIsGoneOrWhosePidWasReusedIsDead() throws Exception {
        Path path = newRing(CAPACITY);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long now = System.currentTimeMillis() * 1_000_000L;
        try (RingFile file = RingFile.openForReading(path);
             RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test")) {
            RingHeader header = file.header();
            long self = ProcessHandle.current().pid();
            long selfStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
            // As a writer killed with SIGKILL leaves it: open, with a fresh heartbeat, and its process gone.
            writer.header().writerStarted(header.epoch(), gone.pid(), selfStart, TimestampSource.USER, "test", now);
            assertThat(WriterStatus.of(header, now, 1_000_000_000L)).isEqualTo(WriterStatus.DEAD);
            // Its pid now used by another process, one that started at another time.
            writer.header().writerStarted(header.epoch(), self, selfStart - 60_000, TimestampSource.USER, "test", now);
            assertThat(WriterStatus.of(header, now, 1_000_000_000L)).isEqualTo(WriterStatus.DEAD);
            writer.header().writerStarted(header.epoch(), self, selfStart, TimestampSource.USER, "test", now);
            assertThat(WriterStatus.of(header, now, 1_000_000_000L)).isEqualTo(WriterStatus.ALIVE);
        }
    }

    @Test
    void randomWritesAndReadsKeepTheAccountingExact() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            Path path = newRing(CAPACITY << random.nextInt(3));
            try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
                 RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
                Collector collector = new Collector();
                long written = 0;
                for (int step = 0; step < 2000; step++) {
                    int batch = random.nextInt(1, 33);
                    for (int i = 0; i < batch; i++) {
                        writeFrame(writer, written++, random.nextInt(16, 2000));
                    }
                    writer.publish();
                    if (random.nextInt(4) == 0) {
                        reader.poll(collector, random.nextInt(1, 200));
                    }
                }
                while (reader.poll(collector, Integer.MAX_VALUE) > 0) {
                    assertThat(collector.torn).isZero();
                }
                assertThat(collector.torn).isZero();
                assertThat(collector.sequences).isSorted().doesNotHaveDuplicates();
                assertThat(collector.sequences.size() + collector.lostRecords).isEqualTo(written);
                assertThat(collector.sequences.getLast()).isEqualTo(written - 1);
            }
        }
    }

    @Test
    void writingAndPollingAllocateNothing() {
        Path path = newRing(1 << 20);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            MemorySegment frame = Arena.ofAuto().allocate(1500);
            long[] sum = {0};
            RecordHandler handler = record -> sum[0] += record.buffer().get(ValueLayout.JAVA_LONG_UNALIGNED,
                record.frameOffset()) + record.timestampNanos() + (record.isIntact() ? 1 : 0);
            for (int warm = 0; warm < 20_000; warm++) {
                exercise(writer, reader, frame, handler);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                exercise(writer, reader, frame, handler);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for 3.2M records written and read").isLessThan(1024);
            assertThat(sum[0]).isNotZero();
        }
    }

    private static void exercise(RingWriter writer, RingReader reader, MemorySegment frame, RecordHandler handler) {
        for (int i = 0; i < 32; i++) {
            writer.write(frame, 0, 64 + i * 40, 64 + i * 40, i, 0, 0);
        }
        writer.publish();
        reader.poll(handler, 64);
    }
}
