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
 * end). A benchmark writes at {@link #offset}, then calls {@link #advance}. One cache line past the capacity, the
 * {@link #trailer}, is where a benchmark with readers publishes how far it wrote.
 *
 * <pre>
 *  0                                                     capacity        capacity + 64
 *  +-------------------------------------------------------+---------------+
 *  | target: records at the ring's stride, wrapping         | trailer       |
 *  +-------------------------------------------------------+---------------+
 * </pre>
 */
@State(Scope.Thread)
public abstract class RingShapedBuffer {
    @Param({"64", "256", "1500"})
    public int frameSize;

    @Param("64m")
    public String ringSize;

    /** Bytes of the {@link #trailer}: a cache line of its own. */
    static final int TRAILER_LENGTH = 64;

    protected ShmFile file;
    private Arena arena;
    protected MemorySegment frame;
    protected MemorySegment target;
    protected MemorySegment trailer;
    protected long offset;
    private long stride;

    @Setup(Level.Trial)
    public void setUp() {
        long capacity = Sizes.parse(ringSize);
        file = ShmFile.create(getClass().getSimpleName(), capacity + TRAILER_LENGTH);
        target = file.segment().asSlice(0, capacity);
        trailer = file.segment().asSlice(capacity, TRAILER_LENGTH);
        arena = Arena.ofShared();
        frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        stride = RecordDescriptor.alignedRecordLength(frameSize);
        started();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            stopping();
        } finally {
            arena.close();
            file.close();
        }
    }

    /**
     * Called once the buffer is set up, e.g. to start readers of it: JMH does not promise to run a superclass's
     * {@code @Setup} before a subclass's own.
     */
    protected void started() {
    }

    /** Called before the buffer is torn down, e.g. to stop its readers. */
    protected void stopping() {
    }

    /** Moves {@link #offset} to where the ring would put the next record. */
    protected final void advance() {
        offset = offsetAfter(offset, stride, target.byteSize());
    }

    /** Where the record after the one at {@code offset} goes: the next stride, or 0 once a stride no longer fits. */
    static long offsetAfter(long offset, long stride, long capacity) {
        long next = offset + stride;
        return next + stride > capacity ? 0 : next;
    }

    /** The bytes from one record's start to the next one's. */
    protected final long stride() {
        return stride;
    }
}
