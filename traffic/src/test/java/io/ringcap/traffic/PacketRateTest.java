package io.ringcap.traffic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketRateTest {
    @Test
    void unitsAreDecimal() {
        assertThat(PacketRate.parse("500k")).isEqualTo(500_000);
        assertThat(PacketRate.parse("1.5m")).isEqualTo(1_500_000);
        assertThat(PacketRate.parse("2M")).isEqualTo(2_000_000);
        assertThat(PacketRate.parse("2000")).isEqualTo(2_000);
        assertThat(PacketRate.parse("0.5k")).isEqualTo(500);
    }

    @Test
    void maxMeansNoPacing() {
        assertThat(PacketRate.parse("max")).isEqualTo(PacketRate.FLAT_OUT);
        assertThat(PacketRate.format(PacketRate.FLAT_OUT)).isEqualTo("max");
        assertThat(PacketRate.format(200_000)).isEqualTo("200000");
    }

    @Test
    void zeroNegativeFractionalAndNonsenseAreRefused() {
        assertThatThrownBy(() -> PacketRate.parse("0")).hasMessageContaining("from 1 to");
        assertThatThrownBy(() -> PacketRate.parse("-5k")).hasMessageContaining("from 1 to");
        assertThatThrownBy(() -> PacketRate.parse("1.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> PacketRate.parse("2g")).hasMessageContaining("is not a packet rate");
        assertThatThrownBy(() -> PacketRate.parse("fast")).hasMessageContaining("is not a packet rate");
    }
}
