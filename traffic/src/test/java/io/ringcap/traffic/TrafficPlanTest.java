package io.ringcap.traffic;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficPlanTest {
    private static final List<GroupAddress> GROUPS = List.of(GroupAddress.parse("239.1.1.1:5000"));

    @Test
    void payloadMustHoldTheHeaderAndFitInUdp() {
        assertThat(TrafficPlan.ofCount("eth0", GROUPS, 1, 20, 1).payloadSize()).isEqualTo(20);
        assertThat(TrafficPlan.ofCount("eth0", GROUPS, 1, 65_507, 1).payloadSize()).isEqualTo(65_507);
        assertThatThrownBy(() -> TrafficPlan.ofCount("eth0", GROUPS, 1, 19, 1)).hasMessageContaining("payload size 19");
        assertThatThrownBy(() -> TrafficPlan.ofCount("eth0", GROUPS, 1, 65_508, 1)).hasMessageContaining("65507");
    }

    @Test
    void somethingMustStopIt() {
        assertThatThrownBy(() -> new TrafficPlan("eth0", GROUPS, 1, 64, TrafficPlan.NO_LIMIT, TrafficPlan.NO_LIMIT, 0, "S"))
            .hasMessageContaining("never stops");
    }

    @Test
    void rateGroupsPortAndSessionAreChecked() {
        assertThatThrownBy(() -> TrafficPlan.ofCount("eth0", GROUPS, 0, 64, 1)).hasMessageContaining("at least 1 packet");
        assertThatThrownBy(() -> TrafficPlan.ofCount("eth0", List.of(), 1, 64, 1)).hasMessageContaining("at least one group");
        assertThatThrownBy(() -> TrafficPlan.ofCount("eth0", List.of(GROUPS.getFirst(), GROUPS.getFirst()), 1, 64, 1))
            .hasMessageContaining("twice");
        assertThatThrownBy(() -> new TrafficPlan("eth0", GROUPS, 1, 64, 1, TrafficPlan.NO_LIMIT, 70_000, "S"))
            .hasMessageContaining("source port 70000");
        assertThatThrownBy(() -> new TrafficPlan("eth0", GROUPS, 1, 64, 1, TrafficPlan.NO_LIMIT, 0, "ELEVENCHARS"))
            .hasMessageContaining("at most 10 ASCII");
    }

    @Test
    void packetsAreDueOneAtTheStartThenOnePerInterval() {
        assertThat(TrafficGenerator.packetsDue(0, 1_000)).isEqualTo(1);
        assertThat(TrafficGenerator.packetsDue(999_999, 1_000)).isEqualTo(1);
        assertThat(TrafficGenerator.packetsDue(1_000_000, 1_000)).isEqualTo(2);
        assertThat(TrafficGenerator.packetsDue(3_000_000_000L, 1_000)).isEqualTo(3_001);
        assertThat(TrafficGenerator.packetsDue(3_600_000_000_000_000L, 1_000_000_000)).as("no overflow in 1000 hours")
            .isEqualTo(3_600_000_000_000_000L + 1);
    }

    @Test
    void eachPacketIsScheduledAtTheFirstNanosecondItIsDue() {
        for (long rate : new long[] {1, 3, 7_000, 200_000, 1_000_000_000}) {
            for (long packet : new long[] {0, 1, 2, 999, 1_000_001, 123_456_789_012L}) {
                if (packet / rate > 1_000_000_000L) {
                    continue; // over 30 years: beyond the nanoseconds a long holds
                }
                long at = TrafficGenerator.scheduledNanos(packet, rate);
                assertThat(TrafficGenerator.packetsDue(at, rate)).as("%d at %d/s", packet, rate).isEqualTo(packet + 1);
                if (at > 0) {
                    assertThat(TrafficGenerator.packetsDue(at - 1, rate)).isEqualTo(packet);
                }
            }
        }
    }
}
