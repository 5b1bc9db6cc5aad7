package io.ringcap.capture;

import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The afpacket source on a veth pair between two network namespaces, with real multicast traffic. */
class AfPacketCaptureTest {
    static final int PACKETS = 1_000_000;
    static final long RATE = 150_000;
    static final int PAYLOAD = 64;
    static final GroupAddress FIRST = GroupAddress.parse("239.1.1.1:5000");
    static final GroupAddress SECOND = GroupAddress.parse("239.1.1.2:5001");
    static final List<MulticastGroup> CAPTURED = List.of(MulticastGroup.parse("239.1.1.1:5000"),
        MulticastGroup.parse("239.1.1.2:5001"));

    @RegisterExtension
    static final SharedTestNetwork NETWORK = new SharedTestNetwork(
        "needs root for network namespaces and AF_PACKET");

    @Test
    void aMillionSequencedPacketsArriveWholeInOrderWithNanosecondKernelTimestamps() throws Exception {
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(FIRST, SECOND), RATE, PAYLOAD, PACKETS);
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 256L << 20, () -> open(PacketRingGeometry.DEFAULT),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
            capture.drainAndStop(PACKETS);

            RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST, SECOND), PAYLOAD, sent.startNanos(),
                sent.endNanos());
            System.out.printf("afpacket: sent %d at %.0f pps; %s; kernel received %d dropped %d%n",
                sent.report().packets(), sent.report().packetsPerSecond(), audit, capture.header().sourceReceived(),
                capture.header().sourceDrops());
            assertThat(sent.report().packets()).isEqualTo(PACKETS);
            assertThat(audit.records).isEqualTo(PACKETS);
            assertThat(audit.packets).containsExactly(PACKETS / 2, PACKETS / 2);
            assertThat(audit.lastSequence(0)).isEqualTo(PACKETS / 2);
            assertThat(audit.lastSequence(1)).isEqualTo(PACKETS / 2);
            assertThat(audit.totalGaps()).isZero();
            assertThat(audit.totalRepeats()).isZero();
            assertThat(audit.badPayload).isZero();
            assertThat(audit.unexpectedGroup).isZero();
            assertThat(audit.outsideWindow).isZero();
            assertThat(audit.backwards).isZero();
            assertThat(audit.wholeMicroseconds).as("timestamps that are whole microseconds")
                .isLessThan(PACKETS / 100);
            assertThat(audit.flagsSeen).isZero();
            assertThat(capture.header().sourceDrops()).isZero();
            assertThat(capture.header().sourceReceived()).isEqualTo(PACKETS);
            assertThat(capture.header().interfaceReceived()).as("veth-rx's own count, from /proc/net/dev")
                .isGreaterThanOrEqualTo(PACKETS);
            assertThat(capture.header().interfaceDrops()).isZero();
            assertThat(capture.header().timestampSource()).isEqualTo(TimestampSource.KERNEL);
        }
    }

    @Test
    void trafficToOtherGroupsAndOtherPortsIsNotCaptured() throws Exception {
        GroupAddress otherPort = GroupAddress.parse("239.1.1.1:5002");
        GroupAddress otherGroup = GroupAddress.parse("239.1.1.3:5000");
        List<GroupAddress> all = List.of(FIRST, otherPort, SECOND, otherGroup);
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, all, 100_000, PAYLOAD, 40_000);
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20,
            () -> open(PacketRingGeometry.DEFAULT), new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
            capture.drainAndStop(20_000);

            RingAudit audit = RingAudit.of(capture.ring, all, PAYLOAD, sent.startNanos(), sent.endNanos());
            assertThat(audit.packets).containsExactly(10_000, 0, 10_000, 0);
            assertThat(audit.records).isEqualTo(20_000);
            assertThat(audit.totalGaps()).isZero();
            assertThat(capture.header().sourceReceived()).as("what the filter let in").isEqualTo(20_000);
        }
    }

    @Test
    void anUndersizedKernelRingAndASlowLoopShowAsExactKernelDrops() throws Exception {
        PacketRingGeometry tiny = new PacketRingGeometry(4096, 2, 2048, 1);
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(FIRST), 50_000, PAYLOAD, 20_000);
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 16L << 20, () -> open(tiny),
            new SleepingIdleStrategy(), 4)) {
            NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
            capture.drainAndStop(20_000);

            RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST), PAYLOAD, sent.startNanos(), sent.endNanos());
            long drops = capture.header().sourceDrops();
            System.out.printf("afpacket undersized: sent %d, captured %d, kernel dropped %d, received %d%n",
                sent.report().packets(), audit.records, drops, capture.header().sourceReceived());
            assertThat(drops).isPositive();
            assertThat(capture.header().sourceReceived()).isEqualTo(20_000);
            assertThat(audit.records + drops).as("captured + dropped = sent").isEqualTo(20_000);
            assertThat(audit.totalGaps()).as("gaps in the sequence numbers = drops").isEqualTo(drops - tailDrops(audit));
            assertThat(audit.badPayload).isZero();
        }
    }

    @Test
    void hardwareTimestampsOnVethFailWhenRequiredAndFallBackWhenPreferred() {
        assertThatThrownBy(() -> NETWORK.get().receiver().call(() -> AfPacketSource.open(TestNetwork.RECEIVER_INTERFACE,
                CAPTURED, PacketRingGeometry.DEFAULT, HardwareTimestamping.REQUIRE)))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("interface veth-rx cannot timestamp packets in hardware")
            .hasMessageContaining("SIOCSHWTSTAMP")
            .hasMessageContaining("--hw-timestamps=prefer");

        try (AfPacketSource source = NETWORK.get().receiver().call(() -> AfPacketSource.open(
            TestNetwork.RECEIVER_INTERFACE, CAPTURED, PacketRingGeometry.DEFAULT, HardwareTimestamping.PREFER))) {
            assertThat(source.timestampSource()).isEqualTo(TimestampSource.KERNEL);
            assertThat(source.warnings()).anySatisfy(warning ->
                assertThat(warning).contains("cannot timestamp packets in hardware").contains("using kernel software"));
        }
    }

    @Test
    void anUnknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> NETWORK.get().receiver().call(() -> AfPacketSource.open("nosuch0", CAPTURED,
                PacketRingGeometry.DEFAULT, HardwareTimestamping.OFF)))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("no network interface 'nosuch0'");
    }

    /** Drops after the last packet that made it are not gaps between captured packets. */
    private static long tailDrops(RingAudit audit) {
        return 20_000 - audit.lastSequence(0);
    }

    @Test
    void theSourceJoinsEveryGroupOnTheInterfaceAndLeavesThemWhenClosed() {
        // 239.1.1.1 and 239.1.1.2 as /proc/net/igmp writes them: the address's bytes as one little-endian hex int.
        List<String> captured = List.of("010101EF", "020101EF");
        AfPacketSource source = NETWORK.get().receiver().call(() -> open(PacketRingGeometry.DEFAULT));
        try {
            assertThat(joinedGroups()).as("groups joined on " + TestNetwork.RECEIVER_INTERFACE)
                .containsAll(captured);
        } finally {
            source.close();
        }
        assertThat(joinedGroups()).as("after close").doesNotContainAnyElementsOf(captured);
    }

    /** The groups the receiver's interface has joined, from its namespace's /proc/net/igmp. */
    private static List<String> joinedGroups() {
        List<String> lines = NETWORK.get().receiver().call(() -> java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("/proc/thread-self/net/igmp")));
        List<String> groups = new java.util.ArrayList<>();
        boolean receiver = false;
        for (String line : lines) {
            if (!line.startsWith("\t")) {
                // A device line: "Idx\tDevice    : Count Querier", the header first.
                receiver = line.contains(TestNetwork.RECEIVER_INTERFACE);
            } else if (receiver) {
                groups.add(line.trim().split("\\s+")[0]);
            }
        }
        return groups;
    }

    private static AfPacketSource open(PacketRingGeometry geometry) {
        return AfPacketSource.open(TestNetwork.RECEIVER_INTERFACE, CAPTURED, geometry, HardwareTimestamping.OFF);
    }

    /** Parks a millisecond after every poll, work or not: a capture thread that cannot keep up. */
    private static final class SleepingIdleStrategy implements IdleStrategy {
        @Override
        public void idle(int workCount) {
            LockSupport.parkNanos(1_000_000);
        }

        @Override
        public void reset() {
        }
    }
}
