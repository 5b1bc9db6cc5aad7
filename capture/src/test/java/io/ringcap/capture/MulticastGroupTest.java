package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MulticastGroupTest {
    @Test
    void addressAndPortParse() {
        MulticastGroup group = MulticastGroup.parse("239.1.2.3:5000");

        assertThat(group.address()).isEqualTo(0xEF010203);
        assertThat(group.port()).isEqualTo(5000);
        assertThat(group.anyPort()).isFalse();
        assertThat(group).hasToString("239.1.2.3:5000");
    }

    @Test
    void addressWithoutPortMeansEveryPort() {
        MulticastGroup group = MulticastGroup.parse(" 224.0.1.129 ");

        assertThat(group.anyPort()).isTrue();
        assertThat(group.port()).isEqualTo(MulticastGroup.ANY_PORT);
        assertThat(group).hasToString("224.0.1.129");
    }

    @Test
    void multicastMacKeepsTheLow23BitsOfTheGroup() {
        assertThat(MulticastGroup.parse("239.129.1.2:1").macAddress()).isEqualTo(0x01005E010102L);
        assertThat(MulticastGroup.parse("224.255.255.255:1").macAddress()).isEqualTo(0x01005E7FFFFFL);
    }

    @Test
    void unicastAddressIsRefusedWithTheMulticastRange() {
        assertThatThrownBy(() -> MulticastGroup.parse("10.0.0.1:5000"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("10.0.0.1 is not a multicast address (224.0.0.0 to 239.255.255.255)");
    }

    @Test
    void badPortsAreRefusedWithTheRange() {
        for (String text : new String[] {"239.1.1.1:", "239.1.1.1:0", "239.1.1.1:65536", "239.1.1.1:x", "239.1.1.1:-1"}) {
            assertThatThrownBy(() -> MulticastGroup.parse(text))
                .as(text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a number in 1..65535")
                .hasMessageContaining("leave the port out");
        }
    }

    @Test
    void malformedAddressesAreRefusedWithAnExample() {
        for (String text : new String[] {"239.1.1", "239.1.1.256:1", "group:5000", "", "239..1.1:5", "+239.1.1.1:5",
            "239.1.1.1.1:5"}) {
            assertThatThrownBy(() -> MulticastGroup.parse(text))
                .as(text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e.g. 239.1.1.1:5000");
        }
    }

    @Test
    void highestPortIsAccepted() {
        assertThat(MulticastGroup.parse("239.255.255.255:65535").port()).isEqualTo(65535);
    }
}
