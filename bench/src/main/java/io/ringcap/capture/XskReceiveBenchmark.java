package io.ringcap.capture;

import io.ringcap.linux.VirtualMemory;
import io.ringcap.linux.XdpSocketLayouts;
import io.ringcap.ring.Hugetlbfs;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
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

import static io.ringcap.linux.XdpSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The afxdp receive loop alone ({@code XskSocket.poll}): from RX descriptor to published ring record and
 * recycled fill entry, on rings laid out exactly as the kernel lays them out (producer, consumer and flags on
 * their own cache lines, then the descriptors) but in plain memory, with no kernel. The benchmark thread plays
 * the kernel between polls: for each of {@value #BATCH} frames it takes an address from the fill ring, writes
 * the frame's metadata (timestamp, flags, magic, as the XDP program does) and an RX descriptor, then publishes
 * both indices with release stores. {@link #kernelSideOnly} measures that part alone, to subtract.
 *
 * <p>Frames are {@code frameSize} bytes already in the UMEM (the kernel's copy is not ours to count); the ring is
 * a 64 MiB file. {@code pages=normal}: UMEM in 4 KiB pages, ring in /dev/shm; {@code pages=huge}: as a
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
    /** Where copy-mode AF_XDP puts a frame's data in its chunk: XDP_PACKET_HEADROOM. */
    private static final int HEADROOM = 256;
    private static final long PRODUCER = 0;
    private static final long CONSUMER = 64;
    private static final long FLAGS = 128;
    private static final long DESCRIPTORS = 192;

    @Param({"64", "1500"})
    public int frameSize;

    @Param("normal")
    public String pages;

    private boolean huge;
    private Arena arena;
    private Path ringPath;
    private RingWriter writer;
    private XskSocket socket;
    private MemorySegment umem;
    private MemorySegment fill;
    private MemorySegment rx;
    private int fillConsumer;
    private int rxProducer;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        arena = Arena.ofShared();
        huge = switch (pages) {
            case "normal" -> false;
            case "huge" -> true;
            default -> throw new IllegalArgumentException("pages is normal or huge, not " + pages);
        };
        umem = huge ? VirtualMemory.mapAnonymous((long) FRAMES * FRAME_SIZE, true)
            : arena.allocate((long) FRAMES * FRAME_SIZE, 4096);
        fill = arena.allocate(DESCRIPTORS + FRAMES * UMEM_ADDRESS_SIZE, 4096);
        rx = arena.allocate(DESCRIPTORS + FRAMES * XDP_DESC.byteSize(), 4096);
        for (int i = 0; i < FRAMES; i++) {
            umem.asSlice((long) i * FRAME_SIZE + HEADROOM, frameSize).fill((byte) 0x5A);
            fill.set(JAVA_LONG, DESCRIPTORS + i * UMEM_ADDRESS_SIZE, (long) i * FRAME_SIZE);
        }
        XdpSocketLayouts.storeRelease(fill, PRODUCER, FRAMES);
        MemorySegment offsets = arena.allocate(XDP_MMAP_OFFSETS_LAYOUT);
        for (long ring : new long[] {MMAP_RX_OFFSET, MMAP_FILL_OFFSET}) {
            offsets.set(JAVA_LONG, ring + RING_PRODUCER_OFFSET, PRODUCER);
            offsets.set(JAVA_LONG, ring + RING_CONSUMER_OFFSET, CONSUMER);
            offsets.set(JAVA_LONG, ring + RING_FLAGS_OFFSET, FLAGS);
            offsets.set(JAVA_LONG, ring + RING_DESC_OFFSET, DESCRIPTORS);
        }
        Path directory = huge ? Hugetlbfs.mounts().stream().findFirst().map(Hugetlbfs.Mount::mountPoint)
            .orElseThrow(() -> new IllegalStateException("pages=huge needs a hugetlbfs mount, e.g. "
                + "'mount -t hugetlbfs none /dev/hugepages'"))
            : Path.of("/dev/shm");
        ringPath = directory.resolve("ringcap-bench-xsk-" + ProcessHandle.current().pid() + ".ring");
        RingFile.create(ringPath, 64L << 20, true).close();
        writer = RingWriter.open(ringPath, TimestampSource.XDP_TAI, "ringcap bench xsk");
        writer.prefault();
        socket = XskSocket.overMemory(umem, fill, rx, offsets, FRAMES, FRAME_SIZE, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        Files.deleteIfExists(ringPath);
        arena.close();
        if (huge) {
            VirtualMemory.unmap(umem);
        }
    }

    /** The kernel's part, then one poll of the socket and one publication. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receive() {
        produce();
        int moved = socket.poll(writer, BATCH, 0);
        writer.publish();
        return moved;
    }

    /** The kernel's part alone, its consumer side faked by moving the indices as the socket would. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int kernelSideOnly() {
        produce();
        XdpSocketLayouts.storeRelease(rx, CONSUMER, rxProducer);
        XdpSocketLayouts.storeRelease(fill, PRODUCER, fillConsumer + FRAMES);
        return rxProducer;
    }

    /** Takes BATCH fill addresses, writes each frame's metadata and an RX descriptor, publishes both indices. */
    private void produce() {
        int consumer = fillConsumer;
        int producer = rxProducer;
        for (int i = 0; i < BATCH; i++) {
            long address = fill.get(JAVA_LONG, DESCRIPTORS + ((consumer + i) & (FRAMES - 1)) * UMEM_ADDRESS_SIZE)
                + HEADROOM;
            long meta = address - XdpMetadata.SIZE;
            umem.set(JAVA_LONG, meta + XdpMetadata.TIMESTAMP_OFFSET, timestamp++);
            umem.set(JAVA_INT, meta + XdpMetadata.FLAGS_OFFSET, XdpMetadata.FLAG_TAI);
            umem.set(JAVA_INT, meta + XdpMetadata.MAGIC_OFFSET, XdpMetadata.MAGIC);
            long desc = DESCRIPTORS + ((producer + i) & (FRAMES - 1)) * XDP_DESC.byteSize();
            rx.set(JAVA_LONG, desc + DESC_ADDR_OFFSET, address);
            rx.set(JAVA_INT, desc + DESC_LEN_OFFSET, frameSize);
        }
        fillConsumer = consumer + BATCH;
        rxProducer = producer + BATCH;
        XdpSocketLayouts.storeRelease(fill, CONSUMER, fillConsumer);
        XdpSocketLayouts.storeRelease(rx, PRODUCER, rxProducer);
    }
}
