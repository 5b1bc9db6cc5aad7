package io.ringcap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.Sizes;
import io.ringcap.ring.TimestampSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of reading one record from a full ring: {@link RingReader#poll} with a handler that sums every frame
 * byte, in ns per record. Setup writes two laps and stops the writer, so the reader runs through a ring's
 * worth of records that nobody overwrites; at the tail it seeks back to the oldest record and goes round
 * again. A ring larger than the last-level cache makes this a read from memory, as a recorder's is.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RingReadBenchmark {
    private static final int BATCH = 32;

    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param("64m")
    public String ringSize;

    private Path path;
    private RingReader reader;
    private long oldestPosition;
    private long oldestSequence;
    private final SummingHandler handler = new SummingHandler();

    @Setup(Level.Trial)
    public void setUp() {
        path = ShmFile.newPath("ring");
        long capacity = Sizes.parse(ringSize);
        RingFile.create(path, capacity, true).close();
        try (Arena arena = Arena.ofConfined();
            RingWriter writer = RingWriter.open(path, TimestampSource.USER, "ringcap bench")) {
            MemorySegment frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
            for (long timestamp = 1; writer.position() < 2 * capacity; timestamp++) {
                writer.write(frame, 0, frameSize, frameSize, timestamp, 0, 0);
            }
        }
        reader = RingReader.open(path, RingReader.Start.OLDEST);
        oldestPosition = reader.position();
        reader.poll(handler, 1);
        oldestSequence = reader.expectedSequence() - 1;
        reader.seek(oldestPosition, oldestSequence);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (reader.lostRecords() != 0) {
                throw new IllegalStateException("the reader lost " + reader.lostRecords()
                    + " records of a ring nobody writes: the benchmark read less than it claims");
            }
        } finally {
            reader.close();
            ShmFile.delete(path);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long poll() {
        int delivered = 0;
        while (delivered < BATCH) {
            int polled = reader.poll(handler, BATCH - delivered);
            if (polled == 0) {
                reader.seek(oldestPosition, oldestSequence);
            }
            delivered += polled;
        }
        return handler.sum;
    }

    /** Sums every frame byte it is handed. */
    private static final class SummingHandler implements RecordHandler {
        private long sum;

        @Override
        public void onRecord(RingRecord record) {
            // The reader validates the record after this returns; a lapped record is counted lost, not delivered.
            sum += FrameSum.sum(record.buffer(), record.frameOffset(), record.capturedLength());
        }
    }
}
