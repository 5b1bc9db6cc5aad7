package io.ringcap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import io.ringcap.ring.Sizes;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same job with Agrona's broadcast buffer, the design the ring's publication follows: cost of one
 * {@link BroadcastTransmitter#transmit} in ns per message, on a buffer of the ring's capacity (plus
 * Agrona's trailer) in a tmpfs file. Agrona publishes every message with its own release store, so it has
 * no batched variant; compare its figure with both of the ring's.
 *
 * <p>Readers are {@link CopyBroadcastReceiver}s, each on its own read-only mapping of the file, summing
 * every byte of the copy they get, run as in {@link RingPublishBenchmark}. A lapped receiver throws; the
 * reader counts the lap and carries on, as an Agrona user would have to. Agrona's bounds checks stay on,
 * as the ring's do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class BroadcastTransmitBenchmark {
    private static final int MSG_TYPE_ID = 1;

    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param({"0", "1", "2"})
    public int readers;

    @Param("64m")
    public String ringSize;

    private ShmFile file;
    private Arena arena;
    private UnsafeBuffer frame;
    private BroadcastTransmitter transmitter;
    private ReaderThreads readerThreads;

    @Setup(Level.Trial)
    public void setUp() {
        requireUnsafeAccess();
        file = ShmFile.create("broadcast", Sizes.parse(ringSize) + BroadcastBufferDescriptor.TRAILER_LENGTH);
        transmitter = new BroadcastTransmitter(bufferOver(file.segment()));
        arena = Arena.ofShared();
        MemorySegment frameBytes = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        frame = new UnsafeBuffer(frameBytes.address(), frameSize);
        readerThreads = ReaderThreads.start(readers, i -> new BroadcastPollingReader(file));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            readerThreads.close();
            if (readers > 0) {
                System.out.println("Agrona " + readerThreads.summary());
            }
        } finally {
            arena.close();
            file.close();
        }
    }

    @Benchmark
    public void transmit() {
        transmitter.transmit(MSG_TYPE_ID, frame, 0, frameSize);
    }

    /**
     * Agrona reaches its memory through jdk.internal.misc.Unsafe and fails on first use without the module opened;
     * checked before the buffer file exists, since JMH does not tear down a trial whose benchmark method threw, which
     * would leave the file in /dev/shm.
     */
    private static void requireUnsafeAccess() {
        try {
            new UnsafeBuffer(new byte[Long.BYTES]).getLong(0);
        } catch (LinkageError e) {
            throw new IllegalStateException("Agrona needs --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED: a"
                + " -jvmArgsAppend on the command line replaces the benchmark's own, so repeat it there", e);
        }
    }

    private static UnsafeBuffer bufferOver(MemorySegment segment) {
        return new UnsafeBuffer(segment.address(), Math.toIntExact(segment.byteSize()));
    }

    /** A reader process's view of the broadcast buffer: its own mapping, every byte of each copy summed. */
    private static final class BroadcastPollingReader extends ReaderThreads.MappingReader implements MessageHandler {
        private final CopyBroadcastReceiver receiver;
        /** Where the sums go: a field store the JIT cannot drop, so the loads that feed it stay. */
        private long sum;

        BroadcastPollingReader(ShmFile file) {
            this.receiver = new CopyBroadcastReceiver(new BroadcastReceiver(bufferOver(file.mapReadOnly(arena))));
        }

        @Override
        public int poll() {
            try {
                int received = receiver.receive(this);
                records += received;
                return received;
            } catch (IllegalStateException e) {
                // CopyBroadcastReceiver's way of saying the transmitter lapped it; the next receive carries on.
                laps++;
                return 1;
            }
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            sum += FrameSum.sum(buffer, index, length);
        }
    }
}
