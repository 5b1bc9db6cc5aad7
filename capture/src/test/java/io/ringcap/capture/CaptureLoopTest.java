package io.ringcap.capture;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop with a source made up here: no privilege, no network. */
class CaptureLoopTest {
    @TempDir
    Path directory;

    @Test
    void everyPacketTheSourceGivesIsPublishedInOrderAndTheRingIsClosedAtStop() throws Exception {
        Path path = ring();
        CountingSource source = new CountingSource(50_000);
        CaptureLoop loop = new CaptureLoop(source, RingWriter.open(path, TimestampSource.UNKNOWN, "test"),
            new BusySpinIdleStrategy(), -1, 64).start();
        awaitRecords(path, 50_000);

        loop.stop();

        assertThat(loop.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThat(source.closed).isTrue();
        List<Long> values = new ArrayList<>();
        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            RecordHandler handler = record -> values.add(record.buffer().get(ValueLayout.JAVA_LONG, record.frameOffset()));
            while (reader.poll(handler, 1000) > 0) {
                // drain
            }
        }
        assertThat(values).hasSize(50_000);
        for (int i = 0; i < values.size(); i++) {
            assertThat(values.get(i)).isEqualTo(i);
        }
        try (RingFile file = RingFile.openForReading(path)) {
            assertThat(file.header().writerState()).isEqualTo(RingDescriptor.STATE_CLOSED);
            assertThat(file.header().timestampSource()).isEqualTo(TimestampSource.USER);
            assertThat(file.header().sourceDescription()).isEqualTo("test");
        }
    }

    @Test
    void sourceCountersReachTheHeaderWhileRunningAndHeartbeatAdvances() throws Exception {
        Path path = ring();
        CountingSource source = new CountingSource(0);
        CaptureLoop loop = new CaptureLoop(source, RingWriter.open(path, TimestampSource.UNKNOWN, "test"),
            new BackoffIdleStrategy(), -1, 64).start();
        try (RingFile file = RingFile.openForReading(path)) {
            source.received = 1234;
            source.dropped = 56;
            long firstHeartbeat = file.header().heartbeatNanos();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((file.header().sourceReceived() != 1234 || file.header().heartbeatNanos() == firstHeartbeat)
                && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(file.header().sourceReceived()).isEqualTo(1234);
            assertThat(file.header().sourceDrops()).isEqualTo(56);
            assertThat(file.header().heartbeatNanos()).isGreaterThan(firstHeartbeat);
        } finally {
            loop.stop();
            loop.awaitStopped(Duration.ofSeconds(10));
        }
    }

    @Test
    void captureThreadIdIsAThreadOfThisProcess() throws Exception {
        CaptureLoop loop = new CaptureLoop(new CountingSource(0), RingWriter.open(ring(), TimestampSource.UNKNOWN, "t"),
            new BackoffIdleStrategy(), 0, 64).start();
        try {
            assertThat(loop.captureThreadId()).isPositive();
            assertThat(Path.of("/proc/self/task", Integer.toString(loop.captureThreadId()))).exists();
            String status = Files.readString(Path.of("/proc/self/task", Integer.toString(loop.captureThreadId()), "status"));
            assertThat(status).contains("Cpus_allowed_list:\t0\n");
        } finally {
            loop.stop();
            loop.awaitStopped(Duration.ofSeconds(10));
        }
    }

    @Test
    void aFailingSourceStopsTheLoopClosesTheRingAndReportsWhy() throws Exception {
        Path path = ring();
        CountingSource source = new CountingSource(10);
        source.failAfter = 10;
        CaptureLoop loop = new CaptureLoop(source, RingWriter.open(path, TimestampSource.UNKNOWN, "test"),
            new BusySpinIdleStrategy(), -1, 64).start();

        assertThatThrownBy(() -> loop.awaitStopped(Duration.ofSeconds(10)))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("source broke");
        assertThat(source.closed).isTrue();
        try (RingFile file = RingFile.openForReading(path)) {
            assertThat(file.header().writerState()).isEqualTo(RingDescriptor.STATE_CLOSED);
            assertThat(file.header().recordsWritten()).isEqualTo(10);
        }
    }

    private Path ring() {
        Path path = directory.resolve("test-" + System.nanoTime() + ".ring");
        RingFile.create(path, 16 << 20, false).close();
        return path;
    }

    private static void awaitRecords(Path path, long records) throws InterruptedException {
        try (RingFile file = RingFile.openForReading(path)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (file.header().recordsWritten() < records && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(file.header().recordsWritten()).isEqualTo(records);
        }
    }

    /** Gives {@code total} 8-byte packets holding 0, 1, 2, … and then nothing; counters set by the test. */
    private static final class CountingSource implements PacketSource {
        private final long total;
        private long next;
        volatile long received;
        volatile long dropped;
        volatile boolean closed;
        long failAfter = -1;
        private final AtomicBoolean failed = new AtomicBoolean();

        CountingSource(long total) {
            this.total = total;
        }

        @Override
        public int poll(RingWriter writer, int limit) {
            if (next == failAfter && !failed.getAndSet(true)) {
                throw new IllegalStateException("source broke");
            }
            int moved = 0;
            MemorySegment buffer = writer.buffer();
            while (moved < limit && next < total) {
                long at = writer.claim(Long.BYTES);
                buffer.set(ValueLayout.JAVA_LONG, at, next++);
                writer.commit(Long.BYTES, Long.BYTES, System.currentTimeMillis() * 1_000_000L, 1, 0);
                moved++;
            }
            return moved;
        }

        @Override
        public SourceCounters counters() {
            return new SourceCounters(received, dropped);
        }

        @Override
        public TimestampSource timestampSource() {
            return TimestampSource.USER;
        }

        @Override
        public String description() {
            return "counting";
        }

        @Override
        public List<MemorySegment> hotMemory() {
            return List.of();
        }

        @Override
        public List<String> warnings() {
            return List.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
