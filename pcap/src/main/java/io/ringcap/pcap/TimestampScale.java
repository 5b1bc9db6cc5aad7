package io.ringcap.pcap;

/**
 * Turns a pcapng interface's timestamp units ({@code if_tsresol}, {@code if_tsoffset}) into
 * nanoseconds since the Unix epoch, in exact integer arithmetic: decimal resolutions multiply or
 * divide by a power of ten, binary ones multiply by 10^9 in 128 bits and shift, so a microsecond
 * or nanosecond timestamp comes out exact and the others are truncated toward zero.
 */
final class TimestampScale {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** 10^0 to 10^18, every power of ten a long holds. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private static final int BINARY = 0x80;
    private static final int EXPONENT_MASK = 0x7F;

    private final int resolution;
    private final long offsetNanos;

    /**
     * @param resolution  the {@code if_tsresol} byte: 10^-n seconds, or 2^-n with the top bit set.
     * @param offsetNanos {@code if_tsoffset} in nanoseconds, added to every timestamp.
     */
    TimestampScale(final int resolution, final long offsetNanos) {
        this.resolution = resolution & 0xFF;
        this.offsetNanos = offsetNanos;
    }

    int resolution() {
        return resolution;
    }

    /**
     * @param ticks the timestamp as stored, an unsigned 64-bit count of units.
     * @return nanoseconds since the epoch, or {@link Long#MIN_VALUE} if that does not fit in a long.
     */
    long toNanos(final long ticks) {
        final int exponent = resolution & EXPONENT_MASK;
        final long nanos;
        if ((resolution & BINARY) != 0) {
            nanos = binaryToNanos(ticks, exponent);
        } else if (exponent <= 9) {
            final long factor = POWERS_OF_TEN[9 - exponent];
            nanos = Math.unsignedMultiplyHigh(ticks, factor) != 0 || ticks * factor < 0 ? Long.MIN_VALUE : ticks * factor;
        } else if (exponent - 9 < POWERS_OF_TEN.length) {
            nanos = Long.divideUnsigned(ticks, POWERS_OF_TEN[exponent - 9]);
        } else {
            // Past 10^18 only 10^19 still fits an unsigned 64-bit tick count, and it divides it at most once.
            nanos = exponent == 28 && Long.compareUnsigned(ticks, -8446744073709551616L) >= 0 ? 1 : 0;
        }
        if (nanos == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        final long shifted = nanos + offsetNanos;
        return ((nanos ^ shifted) & (offsetNanos ^ shifted)) < 0 || shifted == Long.MIN_VALUE ? Long.MIN_VALUE : shifted;
    }

    private static long binaryToNanos(final long ticks, final int exponent) {
        final long low = ticks * NANOS_PER_SECOND;
        final long high = Math.unsignedMultiplyHigh(ticks, NANOS_PER_SECOND);
        final long quotient;
        if (exponent == 0) {
            return high != 0 || low < 0 ? Long.MIN_VALUE : low;
        } else if (exponent < 64) {
            if ((high >>> exponent) != 0) {
                return Long.MIN_VALUE;
            }
            quotient = (high << (64 - exponent)) | (low >>> exponent);
        } else {
            quotient = exponent < 128 ? high >>> (exponent - 64) : 0;
        }
        return quotient < 0 ? Long.MIN_VALUE : quotient;
    }
}
