package io.ringcap.capture;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The afxdp source on a veth pair between two network namespaces, with real multicast traffic. */
class AfXdpCaptureTest {
    static final int PACKETS = 1_000_000;
    static final long RATE = 150_000;
    static final int PAYLOAD = 64;
    static final GroupAddress FIRST = GroupAddress.parse("239.1.1.1:5000");
    static final GroupAddress SECOND = GroupAddress.parse("239.1.1.2:5001");
    static final List<MulticastGroup> CAPTURED = List.of(MulticastGroup.parse("239.1.1.1:5000"),
        MulticastGroup.parse("239.1.1.2:5001"));
    private static final AtomicInteger PINS = new AtomicInteger();

    private static TestNetwork network;

    @BeforeAll
    static void createNetwork() {
        Optional<String> why = TestNetwork.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "needs root for network namespaces, XDP and AF_XDP: " + why.orElse(""));
        network = TestNetwork.create();
    }

    @AfterAll
    static void deleteNetwork() {
        if (network != null) {
            network.close();
        }
    }

    /** A pin directory of this test's own, so that tests and other captures never share a filter. */
    static AfXdpConfig config(XdpMode mode) {
        return AfXdpConfig.DEFAULT.withMode(mode)
            .withPinDirectory(Path.of("/sys/fs/bpf/ringcap-test-" + ProcessHandle.current().pid() + "-"
                + PINS.incrementAndGet()));
    }

    static AfXdpSource open(List<MulticastGroup> groups, AfXdpConfig config) {
        return AfXdpSource.open(TestNetwork.RECEIVER_INTERFACE, groups, List.of(), config);
    }

    @ParameterizedTest
    @EnumSource(value = XdpMode.class, names = {"GENERIC", "NATIVE"})
    void aMillionSequencedPacketsArriveWholeInOrderWithNanosecondTimestamps(XdpMode mode) throws Exception {
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(FIRST, SECOND), RATE, PAYLOAD,
            PACKETS);
        AfXdpConfig config = config(mode);
        try (NetworkCapture capture = NetworkCapture.start(network, 256L << 20, () -> open(CAPTURED, config),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            NetworkCapture.Sent sent = NetworkCapture.send(network, plan);
            capture.drainAndStop(PACKETS);

            RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST, SECOND), PAYLOAD, sent.startNanos(),
                sent.endNanos());
            System.out.printf("afxdp %s: sent %d at %.0f pps; %s; XDP matched %d, dropped %d; %s%n", mode,
                sent.report().packets(), sent.report().packetsPerSecond(), audit, capture.header().sourceReceived(),
                capture.header().sourceDrops(), capture.header().sourceDescription());
            assertThat(sent.report().packets()).isEqualTo(PACKETS);
            assertThat(audit.records).isEqualTo(PACKETS);
            assertThat(audit.packets).containsExactly(PACKETS / 2, PACKETS / 2);
            assertThat(audit.totalGaps()).isZero();
            assertThat(audit.totalRepeats()).isZero();
            assertThat(audit.badPayload).isZero();
            assertThat(audit.unexpectedGroup).isZero();
            assertThat(audit.outsideWindow).isZero();
            assertThat(audit.backwards).isZero();
            assertThat(audit.wholeMicroseconds).as("timestamps that are whole microseconds").isLessThan(PACKETS / 100);
            assertThat(audit.flagsSeen & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).as("veth has no NIC clock").isZero();
            assertThat(capture.header().sourceDrops()).isZero();
            assertThat(capture.header().sourceReceived()).isEqualTo(PACKETS);
            assertThat(capture.header().sourceDescription()).contains("afxdp veth-rx " + mode.name().toLowerCase());
        }
    }

    @Test
    void anUnknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> network.receiver().call(() -> AfXdpSource.open("nosuch0", CAPTURED, List.of(),
                config(XdpMode.AUTO))))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("no network interface 'nosuch0'");
    }

    @Test
    void autoModeIsNativeOnVethAndTheTimestampSourceIsTai() {
        try (AfXdpSource source = network.receiver().call(() -> open(CAPTURED, config(XdpMode.AUTO)))) {
            assertThat(source.mode()).isEqualTo(XdpMode.NATIVE);
            assertThat(source.zeroCopy()).isFalse();
            assertThat(source.timestampSource()).isEqualTo(TimestampSource.XDP_TAI);
            assertThat(source.warnings()).anySatisfy(warning -> assertThat(warning).contains("copy mode"));
        }
    }
}
