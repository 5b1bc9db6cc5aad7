package io.ringcap.record;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * Names of the files a recorder writes, all in one directory:
 * <pre>
 *   ringcap-20261125T143000.123456789Z.pcapng        a complete recording; UTC time of its first packet
 *   ringcap-20261125T143000.123456789Z.pcapng.idx    its index
 *   .ringcap-20261125T143000.123456789Z.pcapng.part  the file being written, hidden until complete
 * </pre>
 * A name already taken (two files starting in the same nanosecond) gets {@code -2}, {@code -3}, ... before
 * {@code .pcapng}.
 */
public final class RecordingName {
    public static final String PREFIX = "ringcap-";
    public static final String EXTENSION = ".pcapng";
    public static final String INDEX_SUFFIX = ".idx";
    public static final String PART_SUFFIX = ".part";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private RecordingName() {
    }

    /** {@code ringcap-<UTC time>.pcapng}, or with {@code -n} when {@code n > 1}. */
    public static String of(long startNanos, int n) {
        Instant start = Instant.ofEpochSecond(Math.floorDiv(startNanos, NANOS_PER_SECOND),
            Math.floorMod(startNanos, NANOS_PER_SECOND));
        return PREFIX + TIME.format(start) + (n > 1 ? "-" + n : "") + EXTENSION;
    }

    /** The hidden name a file has while it is written. */
    public static String part(String name) {
        return "." + name + PART_SUFFIX;
    }

    /** The final name of a hidden part name, or null if {@code partName} is not one. */
    public static String ofPart(String partName) {
        if (!partName.startsWith("." + PREFIX) || !partName.endsWith(EXTENSION + PART_SUFFIX)) {
            return null;
        }
        return partName.substring(1, partName.length() - PART_SUFFIX.length());
    }

    /** The index file's name for a recording named {@code name}. */
    public static String index(String name) {
        return name + INDEX_SUFFIX;
    }

    /** The start time a recording's name states, if it is a ringcap name. */
    public static OptionalLong startNanos(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(EXTENSION)) {
            return OptionalLong.empty();
        }
        String time = name.substring(PREFIX.length(), name.length() - EXTENSION.length());
        int dash = time.indexOf('-');
        if (dash >= 0) {
            time = time.substring(0, dash);
        }
        try {
            Instant instant = TIME.parse(time, Instant::from);
            return OptionalLong.of(instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            return OptionalLong.empty();
        }
    }
}
