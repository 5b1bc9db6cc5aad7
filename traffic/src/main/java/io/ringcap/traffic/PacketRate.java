package io.ringcap.traffic;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Packet rates as users write them: {@code 500k}, {@code 1.5m}, {@code 2000}, or {@code max} for
 * as fast as the sender can. {@code k} is 1 000 and {@code m} 1 000 000 (rates are decimal).
 */
public final class PacketRate {
    /** The rate that means "no pacing": send as fast as the socket takes packets. */
    public static final long FLAT_OUT = Long.MAX_VALUE;

    private static final long KILO = 1_000;
    private static final long MEGA = 1_000_000;
    /** Far above what one socket can send; a larger number is a typo. */
    private static final long MAX_PACED = 1_000_000_000;

    private PacketRate() {
    }

    /** Packets per second for {@code text}, or {@link #FLAT_OUT} for {@code max}; rejects 0 and nonsense. */
    public static long parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("max")) {
            return FLAT_OUT;
        }
        long unit = 1;
        if (value.endsWith("k")) {
            unit = KILO;
        } else if (value.endsWith("m")) {
            unit = MEGA;
        }
        String number = unit == 1 ? value : value.substring(0, value.length() - 1);
        BigDecimal rate;
        try {
            rate = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "'" + text + "' is not a packet rate: write e.g. 500k, 1.5m, 2000 or max (packets per second)");
        }
        if (rate.signum() <= 0 || rate.compareTo(BigDecimal.valueOf(MAX_PACED)) > 0
            || rate.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("rate '" + text + "' must be a whole number of packets per second "
                + "from 1 to " + MAX_PACED + ", or max");
        }
        return rate.longValueExact();
    }

    /** The rate as {@link #parse} reads it: {@code max}, or packets per second. */
    public static String format(long packetsPerSecond) {
        return packetsPerSecond == FLAT_OUT ? "max" : Long.toString(packetsPerSecond);
    }
}
