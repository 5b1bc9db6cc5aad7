package io.ringcap.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterRuleTest {
    private static final int GROUP = 239 << 24 | 1 << 16 | 1 << 8 | 1;

    @Test
    void addressAndPortParseToHostOrderFields() {
        assertThat(FilterRule.parse("239.1.1.1:5000")).isEqualTo(new FilterRule(GROUP, 5000));
        assertThat(FilterRule.parse("255.255.255.255:65535")).isEqualTo(new FilterRule(0xffff_ffff, 65535));
        assertThat(FilterRule.parse("0.0.0.1:1")).isEqualTo(new FilterRule(1, 1));
    }

    @Test
    void addressAloneIsEveryPort() {
        FilterRule rule = FilterRule.parse("239.1.1.1");
        assertThat(rule).isEqualTo(new FilterRule(GROUP, FilterRule.ANY_PORT));
        assertThat(rule.port()).isZero();
    }

    @Test
    void starIsEveryAddress() {
        FilterRule rule = FilterRule.parse("*:5000");
        assertThat(rule).isEqualTo(new FilterRule(FilterRule.ANY_ADDRESS, 5000));
        assertThat(rule.address()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"239.1.1.1:5000", "239.1.1.1", "*:5000", "10.0.0.1:1", "255.255.255.255:65535", "*:65535",
        "1.2.3.4"})
    void formatThenParseIsTheSameRule(String text) {
        FilterRule rule = FilterRule.parse(text);
        assertThat(rule.toString()).isEqualTo(text);
        assertThat(FilterRule.parse(rule.toString())).isEqualTo(rule);
    }

    @Test
    void surroundingWhitespaceAndLeadingZerosAreAccepted() {
        assertThat(FilterRule.parse("  239.1.1.1:5000\n")).isEqualTo(new FilterRule(GROUP, 5000));
        assertThat(FilterRule.parse("239.001.01.1:05000").toString()).isEqualTo("239.1.1.1:5000");
    }

    @Test
    void ruleForAGroupKeepsItsAddressAndPort() {
        assertThat(FilterRule.of(MulticastGroup.parse("239.1.1.1:5000"))).isEqualTo(new FilterRule(GROUP, 5000));
        assertThat(FilterRule.of(MulticastGroup.parse("239.1.1.1"))).isEqualTo(new FilterRule(GROUP, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "1.2.3:5", "a.b.c.d", "1.2.3.4.5", "1..2.3", "256.1.1.1", "1.2.3.-4",
        "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:5:6", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:+5", "1.2.3.4:5000x",
        "1.2.3.4:99999999999", "1.2.3.4 :5000", ":5000", "**:5000"})
    void malformedRuleIsRefusedNamingTheInput(String text) {
        assertThatThrownBy(() -> FilterRule.parse(text))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("filter '" + text + "'");
    }

    @Test
    void zeroAddressIsRefusedPointingToStar() {
        assertThatThrownBy(() -> FilterRule.parse("0.0.0.0:5000"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("filter '0.0.0.0:5000': write * for every address, not 0.0.0.0");
    }

    @Test
    void starAloneIsRefusedNamingTheInput() {
        assertThatThrownBy(() -> FilterRule.parse("*"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("filter '*' names neither an address nor a port: write *:PORT for one port on every address");
    }

    @Test
    void starWithPortZeroIsRefusedWithoutSuggestingStarAlone() {
        assertThatThrownBy(() -> FilterRule.parse("*:0"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("filter '*:0': port '0' is not a number in 1..65535");
    }

    @Test
    void badPortOfAnAddressSuggestsLeavingItOut() {
        assertThatThrownBy(() -> FilterRule.parse("1.2.3.4:65536"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("filter '1.2.3.4:65536': port '65536' is not a number in 1..65535 (leave it out, as in 1.2.3.4,"
                + " for every port)");
    }

    @Test
    void badAddressSaysWhatAnAddressLooksLike() {
        assertThatThrownBy(() -> FilterRule.parse("1.2.3:5"))
            .hasMessageContaining("not ADDRESS:PORT, ADDRESS or *:PORT");
        assertThatThrownBy(() -> FilterRule.parse("a.b.c.d"))
            .hasMessage("filter 'a.b.c.d': 'a.b.c.d' is not an IPv4 address, e.g. 239.1.1.1:5000");
    }

    @Test
    void hugeInputIsRefusedQuicklyNotParsedAsANumber() {
        String digits = "9".repeat(1_000_000);
        for (String text : new String[] {digits, "1.2.3.4:" + digits, digits + ".1.1.1:5000", ".".repeat(1_000_000)}) {
            assertThatThrownBy(() -> FilterRule.parse(text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("filter '" + text.substring(0, 20));
        }
    }

    @Test
    void constructorRefusesPortsOutsideSixteenBitsAndTheEmptyRule() {
        assertThatThrownBy(() -> new FilterRule(GROUP, 65536)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("port 65536 is outside 1..65535");
        assertThatThrownBy(() -> new FilterRule(GROUP, -1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("port -1 is outside 1..65535");
        assertThatThrownBy(() -> new FilterRule(0, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("needs an address, a port, or both");
    }
}
