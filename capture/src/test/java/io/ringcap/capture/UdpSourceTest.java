package io.ringcap.capture;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The udp source on the veth pair: synthesized frames, kernel timestamps, only the groups asked for. */
class UdpSourceTest {
    static final int PACKETS = 200_000;
    static final int PAYLOAD = 100;
    static final GroupAddress FIRST = GroupAddress.parse("239.2.2.1:6000");
    static final GroupAddress SECOND = GroupAddress.parse("239.2.2.2:6001");
    static final GroupAddress OTHER_PORT = GroupAddress.parse("239.2.2.1:6002");

    @RegisterExtension
    static final SharedTestNetwork NETWORK = new SharedTestNetwork(
        "needs root to create network namespaces");

    @Test
    void datagramsArriveAsSynthesizedFramesWithKernelNanosecondTimestamps() throws Exception {
        List<GroupAddress> sent = List.of(FIRST, OTHER_PORT, SECOND);
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, sent, 100_000, PAYLOAD, PACKETS * 3 / 2);
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20,
            () -> UdpSource.open(TestNetwork.RECEIVER_INTERFACE, List.of(MulticastGroup.parse("239.2.2.1:6000"),
                MulticastGroup.parse("239.2.2.2:6001")), HardwareTimestamping.OFF),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            NetworkCapture.Sent report = NetworkCapture.send(NETWORK.get(), plan);
            capture.drainAndStop(PACKETS);

            RingAudit audit = RingAudit.of(capture.ring, sent, PAYLOAD, report.startNanos(), report.endNanos());
            System.out.printf("udp: sent %d at %.0f pps; %s; socket drops %d%n", report.report().packets(),
                report.report().packetsPerSecond(), audit, capture.header().sourceDrops());
            long drops = capture.header().sourceDrops();
            assertThat(audit.records + drops).isEqualTo(PACKETS);
            assertThat(audit.totalGaps()).isEqualTo(drops);
            assertThat(audit.packets[1]).as("other port of a captured group").isZero();
            assertThat(audit.totalRepeats()).isZero();
            assertThat(audit.badPayload).isZero();
            assertThat(audit.badIpv4Checksum).isZero();
            assertThat(audit.unexpectedGroup).isZero();
            assertThat(audit.outsideWindow).isZero();
            assertThat(audit.wholeMicroseconds).isLessThan(PACKETS / 100);
            assertThat(audit.flagsSeen).isEqualTo(RecordDescriptor.FLAG_SYNTHESIZED);
            assertThat(audit.flagsMissing).as("flags every record has").isEqualTo(RecordDescriptor.FLAG_SYNTHESIZED);
            assertThat(capture.header().timestampSource()).isEqualTo(TimestampSource.KERNEL);
            assertThat(drops).as("socket drops at 100k pps").isLessThan(PACKETS / 100);
            assertThat(capture.loop.source().parkedBatch()).as("the 64 MiB buffers root gets hold the default batch")
                .isEqualTo(BatchingIdleStrategy.DEFAULT_TARGET_BATCH);
        }
    }

    @Test
    void groupsWithoutPortAreRefusedBeforeAnySocketOpens() {
        assertThatThrownBy(() -> UdpSource.open("lo", List.of(MulticastGroup.parse("239.2.2.1")), HardwareTimestamping.OFF))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the udp source needs a port for every group");
    }
}
