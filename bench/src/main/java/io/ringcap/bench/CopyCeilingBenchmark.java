package io.ringcap.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import io.ringcap.ring.RecordDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
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
public class CopyCeilingBenchmark extends RingShapedBuffer {
    @Benchmark
    public void copy() {
        MemorySegment.copy(frame, 0, target, offset + RecordDescriptor.HEADER_LENGTH, frameSize);
        advance();
    }
}
