package io.ringcap.capture;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InterfaceStatisticsTest {
    private static final String NET_DEV = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:  123456     789    0    0    0     0          0         0   123456     789    0    0    0     0       0          0
          eth0: 9876543210 12345678    3   40    2     0          0      1000 111 222 0 0 0 0 0 0
         eth01:       5       6    0    7    8     0          0         0        0       0    0    0    0     0       0          0
        veth-rx: 1 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        """;

    @Test
    void readsPacketsAndDropPlusFifoOfTheNamedInterface() {
        assertThat(parse(NET_DEV, "eth0")).isEqualTo(new SourceCounters(12_345_678, 42));
        assertThat(parse(NET_DEV, "eth01")).isEqualTo(new SourceCounters(6, 15));
        assertThat(parse(NET_DEV, "veth-rx")).isEqualTo(new SourceCounters(2, 0));
        assertThat(parse(NET_DEV, "lo")).isEqualTo(new SourceCounters(789, 0));
    }

    @Test
    void anAbsentInterfaceOrAMangledLineGivesNothing() {
        assertThat(parse(NET_DEV, "eth")).isNull();
        assertThat(parse(NET_DEV, "face")).isNull();
        assertThat(parse("", "eth0")).isNull();
        assertThat(parse("  eth0: 1 2 3\n", "eth0")).isNull();
        assertThat(parse("  eth0: 1 x 3 4 5 6\n", "eth0")).isNull();
        assertThat(parse("  eth0: 1 -2 3 4 5 6\n", "eth0")).isNull();
        assertThat(parse("  eth0: 1 99999999999999999999 3 4 5 6\n", "eth0")).isNull();
        assertThat(parse("  eth0: 1 2x 3 4 5 6\n", "eth0")).isNull();
        assertThat(parse("  eth0:\n  eth1: 1 2 3 4 5 6\n", "eth0")).isNull();
        assertThat(parse("  eth0: 1 2 3 4 5", "eth0")).isEqualTo(new SourceCounters(2, 9));
    }

    private static SourceCounters parse(String text, String interfaceName) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return InterfaceStatistics.parse(bytes, bytes.length, interfaceName.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void loopbackOfThisNamespaceCountsFromWhenItWasOpened() {
        InterfaceStatistics statistics = InterfaceStatistics.open("lo");
        assertThat(statistics).isNotNull();
        try (statistics) {
            SourceCounters counters = statistics.read();
            assertThat(counters).isNotNull();
            assertThat(counters.received()).isGreaterThanOrEqualTo(0);
            assertThat(counters.dropped()).isGreaterThanOrEqualTo(0);
        }
        assertThat(InterfaceStatistics.open("ringcap-none0")).isNull();
    }
}
