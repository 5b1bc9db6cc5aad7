package io.ringcap.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Every byte a record holds, stored and nothing else: the record header's {@value RecordDescriptor#HEADER_LENGTH}
 * bytes as four 8-byte stores, then a bare {@link MemorySegment#copy} of the frame, at the ring's stride in a tmpfs
 * file of the ring's capacity, wrapping at the end. No publication, no intent, no index, no readers. Where
 * {@link CopyCeilingBenchmark} is the ceiling for the frame's bytes, this is the floor under any ring that keeps
 * the header's fields: once the ring outgrows the last-level cache, every line written is first read from memory,
 * and this is what that costs. Scores are ns per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RecordStoreCeilingBenchmark extends RingShapedBuffer {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private long sequence;

    @Benchmark
    public void store() {
        header();
        MemorySegment.copy(frame, 0, target, offset + RecordDescriptor.HEADER_LENGTH, frameSize);
        advance();
    }

    /**
     * The header's four stores alone, at the same stride: {@link #store} less this is what the frame's copy adds,
     * a call to the JDK's copy stub with its checks, beyond the lines it fills.
     */
    @Benchmark
    public void storeHeader() {
        header();
        advance();
    }

    private void header() {
        sequence++;
        target.set(LONG, offset, stride() << 32 | frameSize);
        target.set(LONG, offset + 8, sequence);
        target.set(LONG, offset + 16, sequence);
        target.set(LONG, offset + 24, sequence);
    }
}
