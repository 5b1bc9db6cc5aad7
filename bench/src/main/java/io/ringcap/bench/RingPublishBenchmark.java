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
 * Cost of publishing one record into a ring on tmpfs: {@link RingWriter#write} of a frame, then
 * {@link RingWriter#publish} after every record ({@link #publish}) or after 32 ({@link #publishBatch32}).
 * Scores are ns per record; frame bytes divided by that is GB/s.
 *
 * <p>Concurrent readers are plain threads started with the trial, each with its own {@link RingReader}
 * (its own read-only mapping, as a reader process has), polling from the newest record and summing every
 * frame byte, see {@link ReaderThreads}. They are threads rather than a JMH {@code @Group} so that one
 * benchmark covers 0, 1 and 2 readers, and so that the score is the writer's alone: a group's primary score
 * adds up every thread's operations, readers' polls included. Readers run from the start of warmup to the
 * end of measurement, so every measured iteration has them; the writer laps them when they fall a ring
 * behind, as it would in production.
 *
 * <p>The forks inline {@link RingWriter#write} into the benchmark method ({@link #INLINE_WRITE}), as C2 does in
 * the capture sources' receive loops (their benchmarks' {@code -XX:+PrintInlining} says "inline (hot)"). Left
 * to itself, C2 often compiles {@code write} on its own first, because the stub calls it 32 times a call, and
 * then, its 3.7 KB of machine code being over {@code InlineSmallCode} (2.5 KB), calls it from the stub ("already
 * compiled into a big method"). Which of the two happened differed from fork to fork, part of the up to 2x
 * between forks of one row: 256-byte writes cost 22-32 ns called against 18-19 inlined.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", RingPublishBenchmark.QUIET_COMPILE_COMMANDS,
    RingPublishBenchmark.INLINE_WRITE})
@State(Scope.Thread)
public class RingPublishBenchmark {
    /** Keeps the JVM from printing each compile command as it starts. */
    static final String QUIET_COMPILE_COMMANDS = "-XX:CompileCommand=quiet";
    /** Inlines the ring's write into its callers, as in production, whatever order C2 compiles them in. */
    static final String INLINE_WRITE = "-XX:CompileCommand=inline,io.ringcap.ring.RingWriter::write";

    private static final int BATCH = 32;

    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param({"0", "1", "2"})
    public int readers;

    @Param("64m")
    public String ringSize;

    private Path path;
    private Arena arena;
    private MemorySegment frame;
    private RingWriter writer;
    private ReaderThreads readerThreads;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        path = ShmFile.newPath("ring");
        RingFile.create(path, Sizes.parse(ringSize), true).close();
        writer = RingWriter.open(path, TimestampSource.USER, "ringcap bench");
        writer.prefault();
        arena = Arena.ofShared();
        frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        readerThreads = ReaderThreads.start(readers, i -> new RingPollingReader(path));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            readerThreads.close();
            if (readers > 0) {
                System.out.println("ringcap " + readerThreads.summary());
            }
        } finally {
            writer.close();
            arena.close();
            ShmFile.delete(path);
        }
    }

    @Benchmark
    public void publish() {
        writer.write(frame, 0, frameSize, frameSize, ++timestamp, 0, 0);
        writer.publish();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publishBatch32() {
        for (int i = 0; i < BATCH; i++) {
            writer.write(frame, 0, frameSize, frameSize, ++timestamp, 0, 0);
        }
        writer.publish();
    }

    /** A reader process's view of the ring: its own mapping, every frame byte summed. */
    private static final class RingPollingReader implements ReaderThreads.Reader, RecordHandler {
        private static final int POLL_LIMIT = 256;

        private final RingReader reader;
        /** Where the sums go: a field store the JIT cannot drop, so the loads that feed it stay. */
        private long sum;

        RingPollingReader(Path path) {
            this.reader = RingReader.open(path, RingReader.Start.NEWEST);
        }

        @Override
        public int poll() {
            return reader.poll(this, POLL_LIMIT);
        }

        @Override
        public void onRecord(RingRecord record) {
            // The reader validates the record after this returns; a lapped record is counted lost, not delivered.
            sum += FrameSum.sum(record.buffer(), record.frameOffset(), record.capturedLength());
        }

        @Override
        public long records() {
            return reader.deliveredRecords();
        }

        @Override
        public long laps() {
            return reader.laps();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
