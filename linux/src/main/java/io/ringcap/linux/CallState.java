package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * Where a downcall leaves {@code errno}: the native segment that
 * {@code Linker.Option.captureCallState("errno")} writes after every call.
 * <p>
 * A {@code CallState} is not thread-safe: give each thread its own, either one allocated once by
 * the caller ({@link #allocate(Arena)}, what a capture loop should hold) or the calling thread's
 * own ({@link #ofCurrentThread()}). Read {@link #errno()} right after a call that failed and
 * before the next call with the same state.
 */
public final class CallState {
    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final ThreadLocal<CallState> PER_THREAD =
        ThreadLocal.withInitial(() -> new CallState(Arena.ofAuto().allocate(LAYOUT)));

    private final MemorySegment segment;

    private CallState(MemorySegment segment) {
        this.segment = segment;
    }

    /** A state in memory owned by {@code arena}; allocate it once, before the hot loop. */
    public static CallState allocate(Arena arena) {
        return new CallState(arena.allocate(LAYOUT));
    }

    /** The calling thread's own state, created on its first use and reused afterwards. */
    public static CallState ofCurrentThread() {
        return PER_THREAD.get();
    }

    /** The {@code errno} the last failed call with this state left; meaningless after a success. */
    public int errno() {
        return (int) ERRNO.get(segment, 0L);
    }

    /**
     * {@code result}, or a {@link LinuxException} for {@code call} with this state's errno if it is
     * negative. Allocates only when it throws, provided {@code call} is a constant.
     */
    public int check(int result, String call) {
        if (result < 0) {
            throw LinuxException.of(call, errno());
        }
        return result;
    }

    /** As {@link #check(int, String)}, for calls returning {@code long}. */
    public long check(long result, String call) {
        if (result < 0) {
            throw LinuxException.of(call, errno());
        }
        return result;
    }

    MemorySegment segment() {
        return segment;
    }
}
