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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The afxdp receive loop alone ({@code XskSocket.poll}): from RX descriptor to published ring record and
 * recycled fill entry, on rings laid out exactly as the kernel lays them out (producer, consumer and flags on
 * their own cache lines, then the descriptors) but in plain memory, with no kernel. The benchmark thread plays
 * the kernel between polls ({@link InMemoryXskRings#receive}): for each of {@value #BATCH} frames it takes an
 * address from the fill ring, writes the frame's metadata (timestamp, flags, magic, as the XDP program does)
 * and an RX descriptor, then publishes both indices with release stores. {@link #kernelSideOnly} measures that
 * part alone, to subtract.
 *
 * <p>Frames are {@code frameSize} bytes already in the UMEM (the kernel's copy is not ours to count); the ring is
 * a file of {@code ringSize} bytes. {@code pages=normal}: UMEM in 4 KiB pages, ring in /dev/shm; {@code pages=huge}: as a
 * production capture has them when huge pages are reserved (UMEM from the huge page pool, as
 * {@code XskSocket} maps it; ring on the first hugetlbfs mount), which needs {@code sysctl vm.nr_hugepages}
 * of at least 40 and a hugetlbfs mount. Scores are ns per packet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class XskReceiveBenchmark {
    static final int BATCH = 64;
    private static final int FRAMES = 4096;
    private static final int FRAME_SIZE = 2048;

    @Param({"64", "1500"})
    public int frameSize;

    /** The ring's capacity: 64m is beyond this VM's last-level cache, as production rings are; 8m fits in it. */
    @Param("64m")
    public String ringSize;

    @Param("normal")
    public String pages;

    private InMemoryXskRings rings;
    private Path ringPath;
    private RingWriter writer;
    private XskSocket socket;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path directory = BenchmarkBacking.ringDirectory(pages);
        rings = new InMemoryXskRings(FRAMES, FRAME_SIZE, pages.equals("huge"));
        for (int i = 0; i < FRAMES; i++) {
            rings.umem().asSlice((long) i * FRAME_SIZE + InMemoryXskRings.HEADROOM, frameSize).fill((byte) 0x5A);
        }
        ringPath = directory.resolve("ringcap-bench-xsk-" + ProcessHandle.current().pid() + ".ring");
        RingFile.create(ringPath, Sizes.parse(ringSize), true).close();
        writer = RingWriter.open(ringPath, TimestampSource.XDP_TAI, "ringcap bench xsk");
        writer.prefault();
        socket = rings.socket(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        Files.deleteIfExists(ringPath);
        socket.close();
        rings.close();
    }

    /** The kernel's part, then one poll of the socket and one publication. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receive() {
        rings.receive(BATCH, frameSize, timestamp++, XdpMetadata.FLAG_TAI, true);
        int moved = socket.poll(writer, BATCH, 0);
        writer.publish();
        return moved;
    }

    /** The kernel's part alone, its consumer side faked by moving the indices as the socket would. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int kernelSideOnly() {
        int received = rings.receive(BATCH, frameSize, timestamp++, XdpMetadata.FLAG_TAI, true);
        rings.consumeAll();
        return received;
    }
}
