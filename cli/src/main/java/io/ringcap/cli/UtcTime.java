package io.ringcap.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Record timestamps as RFC 3339 UTC with all nine fractional digits: packets nanoseconds apart must differ. */
final class UtcTime {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final DateTimeFormatter RFC_3339_NANOS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private UtcTime() {
    }

    /** {@code nanos} since the Unix epoch as e.g. {@code 2026-11-25T14:30:00.123456789Z}. */
    static String format(long nanos) {
        return RFC_3339_NANOS.format(
            Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND)));
    }
}
