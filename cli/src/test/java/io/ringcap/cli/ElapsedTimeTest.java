package io.ringcap.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElapsedTimeTest {
    @Test
    void eachScaleHasItsUnit() {
        assertThat(ElapsedTime.format(850)).isEqualTo("850 ns");
        assertThat(ElapsedTime.format(12_345)).isEqualTo("12.345 us");
        assertThat(ElapsedTime.format(4_000_000)).isEqualTo("4.000 ms");
        assertThat(ElapsedTime.format(12_345_000_000L)).isEqualTo("12.345 s");
        assertThat(ElapsedTime.format(185_000_000_000L)).isEqualTo("3 min 05 s");
        assertThat(ElapsedTime.format(7_500_000_000_000L)).isEqualTo("2 h 05 min");
        assertThat(ElapsedTime.format(90_000_000_000_000L)).isEqualTo("1 d 01 h");
    }

    @Test
    void negativeDurationsKeepTheirSign() {
        assertThat(ElapsedTime.format(-4_000_000)).isEqualTo("-4.000 ms");
    }
}
