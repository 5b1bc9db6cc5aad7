package io.ringcap.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UtcTimeTest {
    @Test
    void keepsAllNineFractionalDigits() {
        assertThat(UtcTime.format(1_795_617_000_123_456_789L)).isEqualTo("2026-11-25T14:30:00.123456789Z");
        assertThat(UtcTime.format(1_795_617_000_000_000_001L)).isEqualTo("2026-11-25T14:30:00.000000001Z");
    }

    @Test
    void timesBeforeTheEpochCountBackwards() {
        assertThat(UtcTime.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(UtcTime.format(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }
}
