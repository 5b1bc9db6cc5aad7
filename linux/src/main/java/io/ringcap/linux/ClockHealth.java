package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How well the system clock is disciplined, from a read-only adjtimex: what {@code ringcap status}
 * and {@code ringcap doctor} report next to the timestamps.
 *
 * @param clockState          adjtimex's result, {@code TimeLayouts.TIME_*}
 * @param status              {@code TimeLayouts.STA_*} bits
 * @param offsetNanos         the time daemon's last measured offset from its reference
 * @param frequencyPpm        the frequency correction applied, in parts per million
 * @param maxErrorMicros      the kernel's bound on the clock's error
 * @param estimatedErrorMicros the daemon's estimate of the clock's error
 * @param taiOffsetSeconds    TAI minus UTC (0 when no daemon has set it)
 */
public record ClockHealth(
    int clockState,
    int status,
    long offsetNanos,
    double frequencyPpm,
    long maxErrorMicros,
    long estimatedErrorMicros,
    int taiOffsetSeconds) {

    /** adjtimex's frequency is in ppm with a 16-bit binary fraction. */
    private static final double SCALED_PPM = 65536.0;

    /** Reads the kernel's clock state; needs no privilege. */
    public static ClockHealth read() {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timex = arena.allocate(TimeLayouts.TIMEX);
            int clockState = state.check(Syscalls.adjtimex(state, timex), "adjtimex(read)");
            int status = timex.get(JAVA_INT, TimeLayouts.TIMEX_STATUS_OFFSET);
            long offset = timex.get(JAVA_LONG, TimeLayouts.TIMEX_OFFSET_OFFSET);
            return new ClockHealth(
                clockState,
                status,
                (status & TimeLayouts.STA_NANO) != 0 ? offset : offset * 1000,
                timex.get(JAVA_LONG, TimeLayouts.TIMEX_FREQ_OFFSET) / SCALED_PPM,
                timex.get(JAVA_LONG, TimeLayouts.TIMEX_MAXERROR_OFFSET),
                timex.get(JAVA_LONG, TimeLayouts.TIMEX_ESTERROR_OFFSET),
                timex.get(JAVA_INT, TimeLayouts.TIMEX_TAI_OFFSET));
        }
    }

    /** Whether a time daemon is disciplining the clock (STA_UNSYNC clear and state not TIME_ERROR). */
    public boolean synchronised() {
        return (status & TimeLayouts.STA_UNSYNC) == 0 && clockState != TimeLayouts.TIME_ERROR;
    }

    /** Whether a leap second will be inserted or deleted at the end of this UTC day. */
    public boolean leapSecondPending() {
        return (status & (TimeLayouts.STA_INS | TimeLayouts.STA_DEL)) != 0;
    }

    /** One line for status output, e.g. {@code synchronised, offset 1200 ns, max error 15000 us, TAI-UTC 37 s}. */
    public String summary() {
        return (synchronised() ? "synchronised" : "NOT synchronised")
            + ", offset " + offsetNanos + " ns"
            + ", max error " + maxErrorMicros + " us"
            + ", TAI-UTC " + taiOffsetSeconds + " s"
            + (leapSecondPending() ? ", leap second pending" : "");
    }
}
