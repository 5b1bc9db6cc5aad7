package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct timespec}, {@code struct timex} (adjtimex) and the clock ids and status bits
 * (from {@code <linux/time.h>} and {@code <linux/timex.h>}).
 * <pre>
 * struct timespec (16 bytes)       struct timex (208 bytes), the fields read here
 *  0 +----------------------+        0 modes      u32          40 status    int
 *    | tv_sec   long        |        8 offset     long (us|ns) 56 precision long
 *  8 +----------------------+       16 freq       long         88 tick      long
 *    | tv_nsec  long        |       24 maxerror   long (us)   160 tai       int
 * 16 +----------------------+       32 esterror   long (us)   164..208 reserved
 * </pre>
 */
public final class TimeLayouts {
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_BOOTTIME = 7;
    /** International Atomic Time: CLOCK_REALTIME plus the kernel's TAI offset (0 until NTP/PTP sets it). */
    public static final int CLOCK_TAI = 11;

    /** adjtimex status: the PLL is updated. */
    public static final int STA_PLL = 0x0001;
    public static final int STA_PPSFREQ = 0x0002;
    public static final int STA_PPSTIME = 0x0004;
    public static final int STA_FLL = 0x0008;
    /** A leap second will be inserted at the end of the UTC day. */
    public static final int STA_INS = 0x0010;
    /** A leap second will be deleted at the end of the UTC day. */
    public static final int STA_DEL = 0x0020;
    /** No time daemon is disciplining the clock. */
    public static final int STA_UNSYNC = 0x0040;
    public static final int STA_FREQHOLD = 0x0080;
    public static final int STA_PPSSIGNAL = 0x0100;
    public static final int STA_PPSJITTER = 0x0200;
    public static final int STA_PPSWANDER = 0x0400;
    public static final int STA_PPSERROR = 0x0800;
    public static final int STA_CLOCKERR = 0x1000;
    /** timex.offset is in nanoseconds, not microseconds. */
    public static final int STA_NANO = 0x2000;

    /** adjtimex result: synchronised, no leap second pending. */
    public static final int TIME_OK = 0;
    public static final int TIME_INS = 1;
    public static final int TIME_DEL = 2;
    public static final int TIME_OOP = 3;
    public static final int TIME_WAIT = 4;
    /** adjtimex result: the clock is not synchronised. */
    public static final int TIME_ERROR = 5;

    /** {@code struct timespec} (64-bit time_t). */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
        JAVA_LONG.withName("tv_sec"),
        JAVA_LONG.withName("tv_nsec"));
    public static final long TV_SEC_OFFSET = TIMESPEC.byteOffset(groupElement("tv_sec"));
    public static final long TV_NSEC_OFFSET = TIMESPEC.byteOffset(groupElement("tv_nsec"));

    /** {@code struct timex}; modes 0 makes adjtimex read-only, which needs no privilege. */
    public static final StructLayout TIMEX = MemoryLayout.structLayout(
        JAVA_INT.withName("modes"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("offset"),
        JAVA_LONG.withName("freq"),
        JAVA_LONG.withName("maxerror"),
        JAVA_LONG.withName("esterror"),
        JAVA_INT.withName("status"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("constant"),
        JAVA_LONG.withName("precision"),
        JAVA_LONG.withName("tolerance"),
        MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec")).withName("time"),
        JAVA_LONG.withName("tick"),
        JAVA_LONG.withName("ppsfreq"),
        JAVA_LONG.withName("jitter"),
        JAVA_INT.withName("shift"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("stabil"),
        JAVA_LONG.withName("jitcnt"),
        JAVA_LONG.withName("calcnt"),
        JAVA_LONG.withName("errcnt"),
        JAVA_LONG.withName("stbcnt"),
        JAVA_INT.withName("tai"),
        MemoryLayout.paddingLayout(44));
    public static final long TIMEX_MODES_OFFSET = TIMEX.byteOffset(groupElement("modes"));
    public static final long TIMEX_OFFSET_OFFSET = TIMEX.byteOffset(groupElement("offset"));
    public static final long TIMEX_FREQ_OFFSET = TIMEX.byteOffset(groupElement("freq"));
    public static final long TIMEX_MAXERROR_OFFSET = TIMEX.byteOffset(groupElement("maxerror"));
    public static final long TIMEX_ESTERROR_OFFSET = TIMEX.byteOffset(groupElement("esterror"));
    public static final long TIMEX_STATUS_OFFSET = TIMEX.byteOffset(groupElement("status"));
    public static final long TIMEX_PRECISION_OFFSET = TIMEX.byteOffset(groupElement("precision"));
    public static final long TIMEX_TICK_OFFSET = TIMEX.byteOffset(groupElement("tick"));
    public static final long TIMEX_TAI_OFFSET = TIMEX.byteOffset(groupElement("tai"));

    private TimeLayouts() {
    }

    /** The {@code timespec} at {@code offset} as nanoseconds. */
    public static long timespecNanos(MemorySegment segment, long offset) {
        return segment.get(JAVA_LONG, offset + TV_SEC_OFFSET) * 1_000_000_000L
            + segment.get(JAVA_LONG, offset + TV_NSEC_OFFSET);
    }
}
