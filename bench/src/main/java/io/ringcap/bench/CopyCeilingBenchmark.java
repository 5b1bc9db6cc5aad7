package io.ringcap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.Sizes;
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
 * The ceiling for the ring's writer: a bare {@link MemorySegment#copy} of each frame into a tmpfs file of the
 * ring's capacity, at the offsets the ring would put it (same stride, same alignment, wrapping at the end),
 * with no record header, no publication and no readers. Scores are ns per frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class CopyCeilingBenchmark {
    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param("64m")
    public String ringSize;

    private ShmFile file;
    private Arena arena;
    private MemorySegment frame;
    private MemorySegment target;
    private long stride;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() {
        file = ShmFile.create("copy", Sizes.parse(ringSize));
        target = file.segment();
        arena = Arena.ofShared();
        frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        stride = RecordDescriptor.alignedRecordLength(frameSize);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        file.close();
    }

    @Benchmark
    public void copy() {
        MemorySegment.copy(frame, 0, target, offset + RecordDescriptor.HEADER_LENGTH, frameSize);
        offset += stride;
        if (offset + stride > target.byteSize()) {
            offset = 0;
        }
    }
}
