package io.ringcap.capture;

import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two afpacket captures, each with its own ring, sharing one interface's packets through a PACKET_FANOUT group. */
class AfPacketFanoutTest {
    private static final int PAYLOAD = 64;
    private static final List<GroupAddress> FLOWS = IntStream.rangeClosed(1, 8)
        .mapToObj(i -> GroupAddress.parse("239.1.2." + i + ":5000")).toList();
    private static final List<MulticastGroup> GROUPS = FLOWS.stream()
        .map(flow -> MulticastGroup.parse(flow.toString())).toList();

    @RegisterExtension
    static final SharedTestNetwork NETWORK = new SharedTestNetwork(
        "needs root for network namespaces and AF_PACKET");

    @Test
    void roundRobinSharesThePacketsOutNoneLostNoneTwice() throws Exception {
        Members members = sendToTwoMembers(FanoutGroup.parse("7701:lb"));
        RingAudit first = members.first;
        RingAudit second = members.second;
        assertThat(first.records + second.records).isEqualTo(40_000);
        assertThat(first.records).as("a share each").isBetween(10_000L, 30_000L);
        for (int flow = 0; flow < FLOWS.size(); flow++) {
            assertThat(first.packets[flow] + second.packets[flow]).as("flow %d", flow).isEqualTo(5_000);
        }
        assertThat(first.totalRepeats() + second.totalRepeats()).isZero();
        assertThat(first.badPayload + second.badPayload).isZero();
        assertThat(members.description).endsWith(", fanout 7701:lb");
    }

    @Test
    void byHashEveryFlowStaysWholeAndInOrderInOneMember() throws Exception {
        Members members = sendToTwoMembers(FanoutGroup.parse("7702"));
        RingAudit first = members.first;
        RingAudit second = members.second;
        for (int flow = 0; flow < FLOWS.size(); flow++) {
            assertThat(List.of(first.packets[flow], second.packets[flow])).as("flow %d: all here, none there", flow)
                .containsExactlyInAnyOrder(5_000L, 0L);
        }
        assertThat(first.totalGaps() + second.totalGaps()).isZero();
        assertThat(first.backwards + second.backwards).isZero();
        assertThat(members.description).endsWith(", fanout 7702:hash");
    }

    @Test
    void aMemberInAnotherModeIsRefusedSayingWhy() {
        try (AfPacketSource first = NETWORK.get().receiver().call(AfPacketFanoutTest::open);
             AfPacketSource second = NETWORK.get().receiver().call(AfPacketFanoutTest::open)) {
            first.joinFanout(FanoutGroup.parse("7703:hash"));
            assertThatThrownBy(() -> second.joinFanout(FanoutGroup.parse("7703:lb")))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("cannot join fanout group 7703:lb on veth-rx")
                .hasMessageContaining("another mode");
        }
    }

    /** What each of two members of {@code group} took of 40,000 packets over the 8 flows, and their description. */
    private record Members(RingAudit first, RingAudit second, String description) {
    }

    private static Members sendToTwoMembers(FanoutGroup group) throws InterruptedException {
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, FLOWS, 50_000, PAYLOAD, 40_000);
        try (NetworkCapture one = start(group); NetworkCapture two = start(group)) {
            NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (one.header().recordsWritten() + two.header().recordsWritten() < 40_000
                && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            one.drainAndStop(0);
            two.drainAndStop(0);
            return new Members(RingAudit.of(one.ring, FLOWS, PAYLOAD, sent.startNanos(), sent.endNanos()),
                RingAudit.of(two.ring, FLOWS, PAYLOAD, sent.startNanos(), sent.endNanos()),
                one.header().sourceDescription());
        }
    }

    private static NetworkCapture start(FanoutGroup group) {
        return NetworkCapture.start(NETWORK.get(), 64L << 20, () -> {
            AfPacketSource source = open();
            source.joinFanout(group);
            return source;
        }, new BackoffIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT);
    }

    private static AfPacketSource open() {
        return AfPacketSource.open(TestNetwork.RECEIVER_INTERFACE, GROUPS, PacketRingGeometry.DEFAULT,
            HardwareTimestamping.OFF);
    }
}
