package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Clock readings in nanoseconds through clock_gettime (the vDSO, no system call). The readings
 * allocate nothing after a thread's first call and are hot-path-safe; they use a scratch
 * {@code timespec} per thread.
 */
public final class Clocks {
    private static final ThreadLocal<MemorySegment> TIMESPEC =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(TimeLayouts.TIMESPEC));

    private Clocks() {
    }

    /** Nanoseconds since the Unix epoch (UTC, leap seconds not counted). */
    public static long realtimeNanos() {
        return nanos(TimeLayouts.CLOCK_REALTIME);
    }

    /** Nanoseconds on the TAI scale: realtime plus {@link #taiOffsetSeconds()}. */
    public static long taiNanos() {
        return nanos(TimeLayouts.CLOCK_TAI);
    }

    /** Nanoseconds since an arbitrary start, never jumping: for durations. */
    public static long monotonicNanos() {
        return nanos(TimeLayouts.CLOCK_MONOTONIC);
    }

    /** Nanoseconds on the clock {@code clockId} ({@code TimeLayouts.CLOCK_*}). */
    public static long nanos(int clockId) {
        CallState state = CallState.ofCurrentThread();
        MemorySegment timespec = TIMESPEC.get();
        state.check(Syscalls.clockGettime(state, clockId, timespec), "clock_gettime");
        return TimeLayouts.timespecNanos(timespec, 0);
    }

    /**
     * TAI minus UTC in seconds as the kernel knows it (adjtimex); 0 until a time daemon (chrony,
     * ptp4l/phc2sys) sets it, in which case CLOCK_TAI equals CLOCK_REALTIME. Not hot-path-safe.
     */
    public static int taiOffsetSeconds() {
        return ClockHealth.read().taiOffsetSeconds();
    }
}
