package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampScaleTest {
    @Test
    void microsecondsAndNanosecondsAreExact() {
        assertThat(new TimestampScale(6, 0).toNanos(1_700_000_000_123_456L)).isEqualTo(1_700_000_000_123_456_000L);
        assertThat(new TimestampScale(9, 0).toNanos(1_700_000_000_123_456_789L)).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(new TimestampScale(3, 0).toNanos(1_700_000_000_123L)).isEqualTo(1_700_000_000_123_000_000L);
        // Picoseconds: truncated toward zero.
        assertThat(new TimestampScale(12, 0).toNanos(1_700_000_123_456_789_012L)).isEqualTo(1_700_000_123_456_789L);
    }

    @Test
    void binaryResolutionsAreTruncatedExactlyNotRoundedThroughDouble() {
        // 2^-8 s: 50 ticks are 0.1953125 s.
        assertThat(new TimestampScale(0x88, 0).toNanos(50)).isEqualTo(195_312_500L);
        // 2^-30 s: one tick is 0.931322574615478515625 ns, truncated to 0.
        assertThat(new TimestampScale(0x80 | 30, 0).toNanos(1)).isZero();
        assertThat(new TimestampScale(0x80 | 30, 0).toNanos(1L << 30)).isEqualTo(1_000_000_000L);
        assertThat(new TimestampScale(0x80, 0).toNanos(3)).isEqualTo(3_000_000_000L);
    }

    @Test
    void everyResolutionAgreesWithBigIntegerArithmetic() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int resolution = 0; resolution < 256; resolution++) {
            final TimestampScale scale = new TimestampScale(resolution, 0);
            for (int i = 0; i < 200; i++) {
                final long ticks = switch (i % 4) {
                    case 0 -> random.nextLong();
                    case 1 -> random.nextLong(1L << 40);
                    case 2 -> random.nextLong(1L << 62);
                    default -> -1L - random.nextLong(1000);
                };
                assertThat(scale.toNanos(ticks)).as("resolution 0x%x ticks %s", resolution, Long.toUnsignedString(ticks))
                    .isEqualTo(expected(resolution, ticks));
            }
        }
    }

    @Test
    void offsetIsAddedAndOverflowIsReported() {
        assertThat(new TimestampScale(6, -5_000_000_000L).toNanos(10_000_000L)).isEqualTo(5_000_000_000L);
        assertThat(new TimestampScale(9, 1).toNanos(Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(new TimestampScale(6, 0).toNanos(Long.MAX_VALUE / 999)).isEqualTo(Long.MIN_VALUE);
    }

    private static long expected(final int resolution, final long ticks) {
        final BigInteger unsigned = new BigInteger(Long.toUnsignedString(ticks));
        final int exponent = resolution & 0x7F;
        final BigInteger perSecond = (resolution & 0x80) != 0 ? BigInteger.TWO.pow(exponent) : BigInteger.TEN.pow(exponent);
        final BigInteger nanos = unsigned.multiply(BigInteger.valueOf(1_000_000_000L)).divide(perSecond);
        return nanos.bitLength() < 64 && nanos.longValue() != Long.MIN_VALUE ? nanos.longValue() : Long.MIN_VALUE;
    }
}
