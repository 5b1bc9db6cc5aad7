package io.ringcap.record;

/**
 * When the recorder forces written data to the disk ({@code fsync}), which decides what survives a power
 * failure (a killed recorder loses nothing either way: the kernel still holds what it was given).
 *
 * @param mode           what triggers a force.
 * @param intervalNanos  for {@link Mode#INTERVAL}, the most time between two forces.
 */
public record FsyncPolicy(Mode mode, long intervalNanos) {
    /** What triggers an fsync. */
    public enum Mode {
        /** Never: the kernel writes back when it likes. Fastest; a power failure loses what it had not written. */
        NONE,
        /** When a file is complete, before it becomes visible under its final name. */
        ROTATE,
        /** Every interval, and at every rotation. */
        INTERVAL
    }

    public static final FsyncPolicy NONE = new FsyncPolicy(Mode.NONE, 0);
    public static final FsyncPolicy ROTATE = new FsyncPolicy(Mode.ROTATE, 0);

    public FsyncPolicy {
        if (mode == Mode.INTERVAL && intervalNanos <= 0) {
            throw new IllegalArgumentException("an fsync interval must be positive");
        }
    }

    /** Parses {@code none}, {@code rotate} or an interval such as {@code 100ms} or {@code 1s}. */
    public static FsyncPolicy parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("none")) {
            return NONE;
        }
        if (s.equalsIgnoreCase("rotate")) {
            return ROTATE;
        }
        try {
            long nanos = Durations.parseNanos(s);
            if (nanos < 1_000_000L) {
                throw new IllegalArgumentException("an fsync interval of " + s + " is below 1ms");
            }
            return new FsyncPolicy(Mode.INTERVAL, nanos);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an fsync policy: use none, rotate, or an interval "
                + "such as 100ms (" + e.getMessage() + ")");
        }
    }

    /** Whether completed files are forced before they are renamed. */
    boolean forcesAtRotation() {
        return mode != Mode.NONE;
    }

    @Override
    public String toString() {
        return mode == Mode.INTERVAL ? (intervalNanos / 1_000_000L) + "ms" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
