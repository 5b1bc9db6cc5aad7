package io.ringcap.traffic;

import org.junit.jupiter.api.Test;

import io.ringcap.linux.SocketLayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupAddressTest {
    @Test
    void readsGroupAndPort() {
        GroupAddress group = GroupAddress.parse("239.1.1.1:5000");
        assertThat(group.address()).isEqualTo(SocketLayouts.ipv4("239.1.1.1"));
        assertThat(group.port()).isEqualTo(5000);
        assertThat(group).hasToString("239.1.1.1:5000");
    }

    @Test
    void acceptsTheWholeMulticastRangeOnly() {
        assertThat(GroupAddress.parse("224.0.0.0:1").port()).isEqualTo(1);
        assertThat(GroupAddress.parse("239.255.255.255:65535").port()).isEqualTo(65535);
        assertThatThrownBy(() -> GroupAddress.parse("240.0.0.1:5000")).hasMessageContaining("not a multicast address");
        assertThatThrownBy(() -> GroupAddress.parse("10.213.0.2:5000")).hasMessageContaining("multicast only");
    }

    @Test
    void groupWithoutPortSaysHowToWriteIt() {
        assertThatThrownBy(() -> GroupAddress.parse("239.1.1.1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'239.1.1.1' has no port: write GROUP:PORT, e.g. 239.1.1.1:5000");
    }

    @Test
    void portsOutsideUdpRangeAreRefused() {
        assertThatThrownBy(() -> GroupAddress.parse("239.1.1.1:0")).hasMessageContaining("port 0 is not a UDP port");
        assertThatThrownBy(() -> GroupAddress.parse("239.1.1.1:70000")).hasMessageContaining("port 70000");
        assertThatThrownBy(() -> GroupAddress.parse("239.1.1.1:http")).hasMessageContaining("'http'");
    }

    @Test
    void hostNamesAreNotAddresses() {
        assertThatThrownBy(() -> GroupAddress.parse("feed.example:5000")).hasMessageContaining("not an IPv4 address");
    }
}
