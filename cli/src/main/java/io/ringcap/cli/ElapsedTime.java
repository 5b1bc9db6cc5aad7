package io.ringcap.cli;

import java.util.Locale;

/** Durations for people: as precise as useful at their scale, e.g. {@code 850 ns}, {@code 12.345 s}, {@code 2 h 05 min}. */
final class ElapsedTime {
    private static final long MICROSECOND = 1_000L;
    private static final long MILLISECOND = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private ElapsedTime() {
    }

    static String format(long nanos) {
        if (nanos < 0) {
            return "-" + format(-nanos);
        }
        if (nanos < MICROSECOND) {
            return nanos + " ns";
        }
        if (nanos < MILLISECOND) {
            return String.format(Locale.ROOT, "%.3f us", nanos / (double) MICROSECOND);
        }
        if (nanos < SECOND) {
            return String.format(Locale.ROOT, "%.3f ms", nanos / (double) MILLISECOND);
        }
        if (nanos < MINUTE) {
            return String.format(Locale.ROOT, "%.3f s", nanos / (double) SECOND);
        }
        if (nanos < HOUR) {
            return String.format(Locale.ROOT, "%d min %02d s", nanos / MINUTE, nanos % MINUTE / SECOND);
        }
        if (nanos < DAY) {
            return String.format(Locale.ROOT, "%d h %02d min", nanos / HOUR, nanos % HOUR / MINUTE);
        }
        return String.format(Locale.ROOT, "%d d %02d h", nanos / DAY, nanos % DAY / HOUR);
    }
}
