package io.ringcap.capture;

import io.ringcap.bench.BenchmarkBacking;
import io.ringcap.ring.RingFile;
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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The afpacket receive loop alone ({@link TpacketV3Reader#poll}, what {@code AfPacketSource.poll} runs): from a
 * handed-over TPACKET_V3 block to published ring records and the block handed back, on a ring laid out as the
 * kernel lays it out (the production geometry, 1024 blocks of 64 KiB) but in plain memory, with no socket. The
 * benchmark thread plays the kernel between polls ({@link InMemoryTpacketRing#receive}): {@value #BATCH} packets
 * a time, each a {@code tpacket3_hdr} and a copy of the frame, a block handed over when full;
 * {@link #kernelSideOnly} measures that part alone, to subtract. The counterpart of {@link XskReceiveBenchmark},
 * so that the two sources' loops compare on the same terms: frames of {@code frameSize} bytes, a ring of
 * {@code ringSize} (64m) on {@code pages}, ns per packet. As there, the kernel's part runs on the benchmark's own
 * core, so the loop finds the packets in its own cache, where a capture finds them in the cache of the core that
 * received them: the figure is the loop's work, not the cross-core misses a capture adds
 * (bench/capture-threads.sh measures those).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class AfPacketReceiveBenchmark {
    static final int BATCH = 64;

    @Param({"64", "1500"})
    public int frameSize;

    /** The ring's capacity: 64m is beyond this VM's last-level cache, as production rings are; 8m fits in it. */
    @Param("64m")
    public String ringSize;

    /**
     * The ring's pages: {@code normal} (/dev/shm) or {@code huge} (the first hugetlbfs mount, as production rings
     * run). The kernel's TPACKET_V3 ring is in normal pages either way, as the kernel maps it.
     */
    @Param("normal")
    public String pages;

    private final Arena arena = Arena.ofShared();
    private InMemoryTpacketRing kernel;
    private TpacketV3Reader reader;
    private MemorySegment frame;
    private Path ringPath;
    private RingWriter writer;
    private long timestamp = 1_700_000_000_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = new InMemoryTpacketRing(PacketRingGeometry.DEFAULT);
        reader = kernel.reader(1);
        frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        ringPath = BenchmarkBacking.ringDirectory(pages)
            .resolve("ringcap-bench-afpacket-" + ProcessHandle.current().pid() + ".ring");
        RingFile.create(ringPath, Sizes.parse(ringSize), true).close();
        writer = RingWriter.open(ringPath, TimestampSource.KERNEL, "ringcap bench afpacket");
        writer.prefault();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            if (kernel.dropped() > 0) {
                throw new IllegalStateException("the reader fell behind the in-memory kernel: " + kernel.dropped()
                    + " packets dropped, the figure would not be the loop's");
            }
        } finally {
            writer.close();
            Files.deleteIfExists(ringPath);
            kernel.close();
            arena.close();
        }
    }

    /** The kernel's part, then one poll (the capture loop's default limit) and one publication. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receive() {
        kernel.receive(BATCH, frame, frameSize, frameSize, timestamp++, 0, 0, 0);
        int moved = reader.poll(writer, CaptureLoop.DEFAULT_POLL_LIMIT);
        writer.publish();
        return moved;
    }

    /** The kernel's part alone, every block handed back unread. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int kernelSideOnly() {
        int received = kernel.receive(BATCH, frame, frameSize, frameSize, timestamp++, 0, 0, 0);
        kernel.consumeAll();
        return received;
    }
}
