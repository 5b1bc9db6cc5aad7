package io.ringcap.record;

import java.util.Locale;

/** Durations written the way people write them: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}. */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses a whole number followed by a unit: ns, us, ms, s, m (minutes), h, d. Returns nanoseconds;
     * throws {@link IllegalArgumentException} with a message a user can act on.
     */
    public static long parseNanos(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < s.length() && Character.isDigit(s.charAt(digits))) {
            digits++;
        }
        long unit = switch (s.substring(digits)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> -1L;
        };
        if (digits == 0 || unit < 0 || digits > 15) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a whole number with a unit "
                + "(ns, us, ms, s, m, h, d), e.g. 500ms, 60s, 5m");
        }
        long value = Long.parseLong(s.substring(0, digits));
        if (value > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return value * unit;
    }
}
