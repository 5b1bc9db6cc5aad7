package io.ringcap.ring;

import java.util.Locale;

/** Byte sizes written the way people write them: {@code 64k}, {@code 8g}, {@code 1.5m}, {@code 4096}. */
public final class Sizes {
    private Sizes() {
    }

    /**
     * Parses a size with an optional binary unit suffix (k, m, g, t with optional "b" or "ib";
     * case-insensitive). Throws {@link IllegalArgumentException} with a message a user can act on.
     */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String number = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            if (number.contains(".")) {
                double value = Double.parseDouble(number) * (1L << shift);
                if (!(value >= 0 && value < 0x1p62) || value != Math.rint(value)) {
                    throw new NumberFormatException();
                }
                return (long) value;
            }
            long value = Long.parseLong(number);
            if (value < 0 || (shift > 0 && value > (Long.MAX_VALUE >>> shift))) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "'" + text + "' is not a size: write a whole number of bytes with an optional unit, e.g. 64k, 512m, 8g");
        }
    }

    /** A size in the largest binary unit that keeps it readable, e.g. {@code 8 GiB}, {@code 1.5 MiB}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int unit = 0;
        double value = bytes;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value)
            ? String.format(Locale.ROOT, "%d %s", (long) value, units[unit])
            : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
