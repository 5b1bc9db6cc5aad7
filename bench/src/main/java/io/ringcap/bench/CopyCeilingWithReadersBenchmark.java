package io.ringcap.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import io.ringcap.ring.RecordDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The copy ceiling with readers: {@link CopyCeilingBenchmark}'s bare copy of each frame, plus a count of frames
 * written, stored with release semantics in the {@link RingShapedBuffer#trailer} after every frame ({@link #copy})
 * or every 32 ({@link #copyBatch32}), while reader threads follow that count on their own read-only mappings and sum
 * every frame byte, as {@link RingPublishBenchmark}'s readers do. No record header, no tail intent, no check for
 * torn frames: the least a ring whose readers read every byte can cost its writer, so the figure to hold the
 * ring's rows with readers against. A reader that falls a lap behind jumps to the newest frame. Scores are ns per
 * frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class CopyCeilingWithReadersBenchmark extends RingShapedBuffer {
    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final int BATCH = 32;

    @Param({"1", "2"})
    public int readers;

    private ReaderThreads readerThreads;
    private long written;

    @Override
    protected void started() {
        readerThreads = ReaderThreads.start(readers, i -> new FollowingReader(file, target.byteSize(), stride(),
            frameSize));
    }

    @Override
    protected void stopping() {
        readerThreads.close();
        System.out.println("copy ceiling " + readerThreads.summary());
    }

    @Benchmark
    public void copy() {
        copyFrame();
        COUNT.setRelease(trailer, 0L, written);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void copyBatch32() {
        for (int i = 0; i < BATCH; i++) {
            copyFrame();
        }
        COUNT.setRelease(trailer, 0L, written);
    }

    private void copyFrame() {
        MemorySegment.copy(frame, 0, target, offset + RecordDescriptor.HEADER_LENGTH, frameSize);
        advance();
        written++;
    }

    /** A reader process's view: its own mapping, the frames up to the published count, every byte summed. */
    private static final class FollowingReader extends ReaderThreads.MappingReader {
        private static final int POLL_LIMIT = 256;

        private final MemorySegment data;
        private final MemorySegment trailer;
        private final long stride;
        private final long framesPerLap;
        private final int frameSize;
        private long next;
        private long offset;
        /** Where the sums go: a field store the JIT cannot drop, so the loads that feed it stay. */
        private long sum;

        FollowingReader(ShmFile file, long capacity, long stride, int frameSize) {
            MemorySegment mapping = file.mapReadOnly(arena);
            this.data = mapping.asSlice(0, capacity);
            this.trailer = mapping.asSlice(capacity, TRAILER_LENGTH);
            this.stride = stride;
            this.framesPerLap = capacity / stride;
            this.frameSize = frameSize;
            this.next = (long) COUNT.getAcquire(trailer, 0L);
            this.offset = next % framesPerLap * stride;
        }

        @Override
        public int poll() {
            long count = (long) COUNT.getAcquire(trailer, 0L);
            if (count - next > framesPerLap) {
                laps++;
                next = count;
                offset = next % framesPerLap * stride;
            }
            int read = 0;
            while (next < count && read < POLL_LIMIT) {
                sum += FrameSum.sum(data, offset + RecordDescriptor.HEADER_LENGTH, frameSize);
                offset = offsetAfter(offset, stride, data.byteSize());
                next++;
                read++;
            }
            records += read;
            return read;
        }
    }
}
