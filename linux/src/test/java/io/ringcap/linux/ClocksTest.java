package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClocksTest {
    @Test
    void monotonicClockNeverGoesBackwards() {
        long previous = Clocks.monotonicNanos();
        for (int i = 0; i < 10_000; i++) {
            long now = Clocks.monotonicNanos();
            assertThat(now).isGreaterThanOrEqualTo(previous);
            previous = now;
        }
    }

    @Test
    void realtimeAgreesWithTheJavaClock() {
        long javaMillis = System.currentTimeMillis();
        long nanos = Clocks.realtimeNanos();
        assertThat(nanos / 1_000_000).isBetween(javaMillis - 1_000, javaMillis + 1_000);
    }

    @Test
    void taiIsRealtimePlusTheKernelsTaiOffset() {
        int offset = Clocks.taiOffsetSeconds();
        long difference = Clocks.taiNanos() - Clocks.realtimeNanos();
        assertThat(difference).isBetween(offset * 1_000_000_000L - 100_000_000, offset * 1_000_000_000L + 1_000);
    }

    @Test
    void clockHealthIsReadableWithoutPrivilege() {
        ClockHealth health = ClockHealth.read();
        assertThat(health.clockState()).isBetween(TimeLayouts.TIME_OK, TimeLayouts.TIME_ERROR);
        assertThat(health.maxErrorMicros()).isNotNegative();
        assertThat(health.taiOffsetSeconds()).isBetween(0, 100);
        assertThat(health.synchronised()).isEqualTo((health.status() & TimeLayouts.STA_UNSYNC) == 0
            && health.clockState() != TimeLayouts.TIME_ERROR);
        assertThat(health.summary()).contains("synchronised").contains("TAI-UTC");
    }
}
