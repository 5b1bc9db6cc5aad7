package io.ringcap.record;

import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A ring written with {@link TestFrames}: frame {@code n} has sequence {@code n} (the ring's own sequence
 * too), a length from a fixed pseudo-random series and timestamp {@code BASE + n * step}.
 */
final class TestRing implements AutoCloseable {
    static final long BASE_NANOS = 1_795_000_000_123_456_789L;

    final Path path;
    private final RingWriter writer;
    private final MemorySegment frame = Arena.ofAuto().allocate(9000, 8);
    private final SplittableRandom lengths = new SplittableRandom(42);
    private final int minLength;
    private final int maxLength;
    private final long stepNanos;
    private long next;
    private boolean closed;

    TestRing(Path path, long capacity, int minLength, int maxLength, long stepNanos) {
        this.path = path;
        RingFile.create(path, capacity, true).close();
        this.writer = RingWriter.open(path, TimestampSource.USER, "test frames");
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.stepNanos = stepNanos;
    }

    /** Writes and publishes {@code count} frames. */
    void write(int count) {
        for (int i = 0; i < count; i++) {
            int length = minLength == maxLength ? minLength : lengths.nextInt(minLength, maxLength + 1);
            TestFrames.fill(frame, next, length);
            writer.write(frame, 0, length, length, timestampOf(next), 0, 0);
            next++;
        }
        writer.publish();
    }

    static long timestampOf(long sequence, long stepNanos) {
        return BASE_NANOS + sequence * stepNanos;
    }

    long timestampOf(long sequence) {
        return timestampOf(sequence, stepNanos);
    }

    /** Frames written so far. */
    long written() {
        return next;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }
}
