package io.ringcap.traffic;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.ringcap.linux.LinuxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrafficGeneratorTest {
    private static final GroupAddress GROUP = GroupAddress.parse("239.1.1.1:5000");
    private static final GroupAddress OTHER_GROUP = GroupAddress.parse("239.1.1.2:5001");
    private static TestNetwork network;

    @BeforeAll
    static void createNetwork() {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(), () -> TestNetwork.whyUnavailable().orElseThrow());
        network = TestNetwork.create();
    }

    @AfterAll
    static void deleteNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void hundredThousandPacketsAt200kPerSecondAllArriveAtTheTargetRate() {
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(GROUP), 200_000, 64, 100_000);
        Received received = sendAndReceive(plan, GROUP);

        assertThat(received.report.failure()).isEmpty();
        assertThat(received.report.packets()).isEqualTo(100_000);
        assertThat(received.report.payloadBytes()).isEqualTo(6_400_000);
        assertThat(received.report.groups()).containsExactly(new GroupReport(GROUP, 100_000, 1, 100_000));
        assertThat(received.report.packetsPerSecond()).isCloseTo(200_000, within(200_000 * 0.03));
        assertThat(received.receiver.packets()).isEqualTo(100_000);
        assertThat(received.receiver.bytes()).isEqualTo(6_400_000);
        assertThat(received.receiver.sequences().cardinality()).isEqualTo(100_000);
        assertThat(received.receiver.sequences().nextClearBit(1)).as("first missing sequence number").isEqualTo(100_001);
    }

    @Test
    void groupsTakeTurnsEachWithItsOwnSequenceNumbers() throws Exception {
        TrafficPlan plan = TrafficPlan.ofCount(
            TestNetwork.SENDER_INTERFACE, List.of(GROUP, OTHER_GROUP), PacketRate.FLAT_OUT, 100, 10_001);
        NamespaceHost receiver = network.receiver();
        GroupReceiver first = receiver.call(() -> new GroupReceiver(GROUP.address(), GROUP.port(), receiver.interfaceIndex()));
        GroupReceiver second = receiver.call(
            () -> new GroupReceiver(OTHER_GROUP.address(), OTHER_GROUP.port(), receiver.interfaceIndex()));
        try {
            TrafficReport report = send(plan);
            first.receive(5_001, 1_000);
            second.receive(5_000, 1_000);

            assertThat(report.groups()).containsExactly(
                new GroupReport(GROUP, 5_001, 1, 5_001), new GroupReport(OTHER_GROUP, 5_000, 1, 5_000));
            assertThat(first.sequences().cardinality()).isEqualTo(5_001);
            assertThat(first.sequences().nextClearBit(1)).isEqualTo(5_002);
            assertThat(second.sequences().cardinality()).isEqualTo(5_000);
            assertThat(second.sequences().nextClearBit(1)).isEqualTo(5_001);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void pacingHoldsTheRateAtLowAndHighRates() {
        for (long rate : new long[] {2_000, 50_000, 400_000}) {
            long packets = rate / 5;
            TrafficReport report = send(TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(GROUP), rate, 64, packets));
            double expectedNanos = (packets - 1) * 1e9 / rate;
            assertThat(report.packets()).isEqualTo(packets);
            assertThat((double) report.durationNanos()).as("duration at %d packets/s", rate)
                .isCloseTo(expectedNanos, within(expectedNanos * 0.02));
        }
    }

    @Test
    void durationLimitStopsTheSender() {
        TrafficPlan plan = new TrafficPlan(TestNetwork.SENDER_INTERFACE, List.of(GROUP), 10_000, 64,
            TrafficPlan.NO_LIMIT, 100_000_000L, 0, "DURATION");
        TrafficReport report = send(plan);
        assertThat(report.packets()).isBetween(990L, 1_001L);
        assertThat(report.groups().getFirst().lastSequence()).isEqualTo(report.packets());
    }

    @Test
    void sendLoopAllocatesNothingPerPacket() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        send(TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(GROUP), PacketRate.FLAT_OUT, 64, 100_000));
        long fewest = Long.MAX_VALUE;
        // The best of a few rounds: a JIT compilation that lands inside one round allocates on its own account.
        for (int round = 0; round < 3; round++) {
            TrafficGenerator small = open(20_000);
            TrafficGenerator large = open(100_000);
            try {
                long before = threads.getCurrentThreadAllocatedBytes();
                small.run();
                long middle = threads.getCurrentThreadAllocatedBytes();
                large.run();
                long after = threads.getCurrentThreadAllocatedBytes();
                fewest = Math.min(fewest, Math.abs((after - middle) - (middle - before)));
            } finally {
                small.close();
                large.close();
            }
        }
        assertThat(fewest).as("bytes allocated by 80 000 more packets").isLessThan(256);
    }

    @Test
    void unknownInterfaceIsRefusedWhenOpening() {
        TrafficPlan plan = TrafficPlan.ofCount("veth-none", List.of(GROUP), 1_000, 64, 1);
        assertThatThrownBy(() -> network.sender().call(() -> TrafficGenerator.open(plan)))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("veth-none")
            .hasMessageContaining("ip link");
    }

    private static TrafficGenerator open(long packets) {
        TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(GROUP), PacketRate.FLAT_OUT, 64, packets);
        return network.sender().call(() -> TrafficGenerator.open(plan));
    }

    /** Opens the generator in the sender's namespace and runs it on the calling thread: the socket stays in tx. */
    private static TrafficReport send(TrafficPlan plan) {
        try (TrafficGenerator generator = network.sender().call(() -> TrafficGenerator.open(plan))) {
            return generator.run();
        }
    }

    private static Received sendAndReceive(TrafficPlan plan, GroupAddress group) {
        NamespaceHost receiver = network.receiver();
        GroupReceiver socket = receiver.call(() -> new GroupReceiver(group.address(), group.port(), receiver.interfaceIndex()));
        try {
            CompletableFuture<Void> receiving = CompletableFuture.runAsync(
                () -> socket.receive(plan.packetLimit(), 1_000), runnable -> Thread.ofPlatform().start(runnable));
            TrafficReport report = send(plan);
            receiving.join();
            return new Received(report, socket);
        } finally {
            socket.close();
        }
    }

    private record Received(TrafficReport report, GroupReceiver receiver) {
    }
}
