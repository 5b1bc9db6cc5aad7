package io.ringcap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.Sizes;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state of the ceiling benchmarks: a tmpfs file of the ring's capacity and a frame of {@code frameSize} bytes,
 * with the offset of the next record as the ring would place it (same stride, same alignment, wrapping at the
 * end). A benchmark writes at {@link #offset}, then calls {@link #advance}.
 */
@State(Scope.Thread)
public abstract class RingShapedBuffer {
    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param("64m")
    public String ringSize;

    private ShmFile file;
    private Arena arena;
    protected MemorySegment frame;
    protected MemorySegment target;
    protected long offset;
    private long stride;

    @Setup(Level.Trial)
    public void setUp() {
        file = ShmFile.create(getClass().getSimpleName(), Sizes.parse(ringSize));
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

    /** Moves {@link #offset} to where the ring would put the next record. */
    protected final void advance() {
        offset += stride;
        if (offset + stride > target.byteSize()) {
            offset = 0;
        }
    }

    /** The bytes from one record's start to the next one's. */
    protected final long stride() {
        return stride;
    }
}
