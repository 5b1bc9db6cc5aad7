package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {
    @Test
    void parsesBinaryUnits() {
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThat(Sizes.parse("64k")).isEqualTo(64 * 1024);
        assertThat(Sizes.parse("64KiB")).isEqualTo(64 * 1024);
        assertThat(Sizes.parse("1m")).isEqualTo(1 << 20);
        assertThat(Sizes.parse("8g")).isEqualTo(8L << 30);
        assertThat(Sizes.parse("8GB")).isEqualTo(8L << 30);
        assertThat(Sizes.parse("1.5m")).isEqualTo(3 << 19);
        assertThat(Sizes.parse("2t")).isEqualTo(2L << 40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "-1", "1x", "8gg", "1.3", "99999999999999999999", "9999999999t", "NaN", "1e3"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not a size");
    }

    @Test
    void formatsInTheLargestReadableUnit() {
        assertThat(Sizes.format(8L << 30)).isEqualTo("8 GiB");
        assertThat(Sizes.format(3 << 19)).isEqualTo("1.5 MiB");
        assertThat(Sizes.format(100)).isEqualTo("100 B");
    }
}
