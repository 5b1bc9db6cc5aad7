package io.ringcap.capture;

import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.ringcap.capture.AfXdpCaptureTest.CAPTURED;
import static io.ringcap.capture.AfXdpCaptureTest.FIRST;
import static io.ringcap.capture.AfXdpCaptureTest.PAYLOAD;
import static io.ringcap.capture.AfXdpCaptureTest.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The afxdp source on a veth pair with two queues: a sender pinned to CPU i lands its packets on receive queue i
 * ({@link TestNetwork#create(int)}), so each test knows which socket should see what.
 */
class AfXdpQueuesTest {
    private static final int QUEUES = 2;
    private static final int PACKETS = 20_000;

    @RegisterExtension
    static final SharedTestNetwork NETWORK = new SharedTestNetwork(
        "needs root for network namespaces, XDP and AF_XDP", QUEUES);

    @BeforeAll
    static void checkMachine() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= QUEUES, "needs CPUs 0 and 1 to send on each queue");
    }

    @Test
    void everyQueueGetsASocketAndPacketsFromBothQueuesArriveWhole() throws Exception {
        AfXdpConfig everyQueue = config(List.of());
        AfXdpSource[] opened = new AfXdpSource[1];
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20, () -> opened[0] = open(everyQueue),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            assertThat(opened[0].description()).contains(" queues 0,1 ");
            assertThat(opened[0].hotMemory()).as("a UMEM and three rings per queue").hasSize(4 * QUEUES);
            NetworkCapture.Sent first = NetworkCapture.send(NETWORK.get(), plan(FIRST), 0);
            NetworkCapture.Sent second = NetworkCapture.send(NETWORK.get(), plan(SECOND), 1);
            capture.drainAndStop(2L * PACKETS);

            RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST, SECOND), PAYLOAD, first.startNanos(),
                second.endNanos());
            assertThat(audit.records).isEqualTo(2L * PACKETS);
            assertThat(audit.packets).containsExactly((long) PACKETS, (long) PACKETS);
            assertThat(audit.totalGaps()).isZero();
            assertThat(audit.badPayload).isZero();
            assertThat(capture.header().sourceDrops()).isZero();
        }
    }

    @Test
    void aSocketOnQueueOneAloneTakesQueueOnesPacketsAndQueueZerosGoToTheKernel() throws Exception {
        AfXdpConfig queueOne = config(List.of(1));
        AfXdpSource[] opened = new AfXdpSource[1];
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20, () -> opened[0] = open(queueOne),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            assertThat(opened[0].description()).contains(" queues 1 ");
            NetworkCapture.Sent onQueueOne = NetworkCapture.send(NETWORK.get(), plan(FIRST), 1);
            NetworkCapture.send(NETWORK.get(), plan(SECOND), 0);
            capture.drainAndStop(PACKETS);

            RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST, SECOND), PAYLOAD, onQueueOne.startNanos(),
                onQueueOne.endNanos());
            assertThat(audit.packets).as("queue 1's group whole, none of queue 0's").containsExactly((long) PACKETS, 0L);
            assertThat(audit.totalGaps()).isZero();
        }
    }

    /** Small UMEMs in normal pages, a pin directory of the test's own. */
    private static AfXdpConfig config(List<Integer> queues) {
        return new AfXdpConfig(XdpMode.AUTO, queues, 4096, 2048, false,
            AfXdpCaptureTest.config(XdpMode.AUTO).pinDirectory());
    }

    private static AfXdpSource open(AfXdpConfig config) {
        return AfXdpSource.open(TestNetwork.RECEIVER_INTERFACE, CAPTURED, List.of(), config);
    }

    private static TrafficPlan plan(GroupAddress group) {
        return TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(group), 50_000, PAYLOAD, PACKETS);
    }
}
