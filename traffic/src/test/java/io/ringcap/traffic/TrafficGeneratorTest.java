package io.ringcap.traffic;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.ringcap.linux.CpuAffinity;
import io.ringcap.linux.LinuxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrafficGeneratorTest {
    private static final GroupAddress GROUP = GroupAddress.parse("239.1.1.1:5000");
    private static final GroupAddress OTHER_GROUP = GroupAddress.parse("239.1.1.2:5001");
    private static final int ATTEMPTS = 3;
    private static final double RATE_TOLERANCE = 0.03;
    /** Lateness beyond which the sender was not given its CPU: on time, it is late by one send call, microseconds. */
    private static final long STARVED_NANOS = 1_000_000;
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
        List<TrafficReport> reports = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS && !onRate(reports, 200_000); attempt++) {
            Received received = sendAndReceive(plan, GROUP);

            assertThat(received.report.failure()).isEmpty();
            assertThat(received.report.packets()).isEqualTo(100_000);
            assertThat(received.report.payloadBytes()).isEqualTo(6_400_000);
            assertThat(received.report.groups()).containsExactly(new GroupReport(GROUP, 100_000, 1, 100_000));
            assertThat(received.receiver.packets()).isEqualTo(100_000);
            assertThat(received.receiver.bytes()).isEqualTo(6_400_000);
            assertThat(received.receiver.sequences().cardinality()).isEqualTo(100_000);
            assertThat(received.receiver.sequences().nextClearBit(1)).as("first missing sequence number").isEqualTo(100_001);
            reports.add(received.report);
        }
        assertRate(reports, 200_000);
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
        for (long rate : new long[] {2_000, 50_000, 200_000}) {
            long packets = rate / 5;
            TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(GROUP), rate, 64, packets);
            List<TrafficReport> reports = new ArrayList<>();
            for (int attempt = 0; attempt < ATTEMPTS && !onRate(reports, rate); attempt++) {
                TrafficReport report = send(plan);
                assertThat(report.packets()).isEqualTo(packets);
                reports.add(report);
            }
            assertRate(reports, rate);
        }
    }

    @Test
    void durationLimitStopsTheSender() {
        TrafficPlan plan = new TrafficPlan(TestNetwork.SENDER_INTERFACE, List.of(GROUP), 10_000, 64,
            TrafficPlan.NO_LIMIT, 100_000_000L, 0, "DURATION");
        TrafficReport report = send(plan);
        assertThat(report.durationNanos()).isLessThan(100_000_000L);
        assertThat(report.packets()).isLessThanOrEqualTo(1_000L);
        assertThat(report.groups().getFirst().lastSequence()).isEqualTo(report.packets());
        if (report.maxLatenessNanos() < STARVED_NANOS) {
            assertThat(report.packets()).as("on schedule all the time").isGreaterThanOrEqualTo(990L);
        }
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

    private static boolean onRate(List<TrafficReport> reports, long rate) {
        return !reports.isEmpty() && Math.abs(reports.getLast().packetsPerSecond() - rate) <= rate * RATE_TOLERANCE;
    }

    /**
     * The rate of the last attempt is within {@link #RATE_TOLERANCE}, and never above it; an attempt
     * off the rate counts as the host's fault, not the generator's, only if the generator reports
     * having fallen behind its schedule (other work on the two cores took its CPU).
     */
    private static void assertRate(List<TrafficReport> reports, long rate) {
        for (TrafficReport report : reports) {
            assertThat(report.packetsPerSecond()).as("never faster than asked").isLessThan(rate * (1 + RATE_TOLERANCE));
        }
        if (onRate(reports, rate)) {
            return;
        }
        for (TrafficReport report : reports) {
            assertThat(report.maxLatenessNanos()).as("%.0f packets/s, not %d, though never behind schedule",
                report.packetsPerSecond(), rate).isGreaterThan(STARVED_NANOS);
        }
        abort("host too busy: the sender fell up to " + reports.getLast().maxLatenessNanos() / 1_000_000
            + " ms behind its schedule in each of " + reports.size() + " attempts at " + rate + " packets/s");
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

    /**
     * Sends on CPU 0 and receives on CPU 1, as the generator is meant to be run: unpinned, the two
     * busy threads and the softirq work of the veth can end up sharing one core.
     */
    private static Received sendAndReceive(TrafficPlan plan, GroupAddress group) {
        NamespaceHost receiver = network.receiver();
        GroupReceiver socket = receiver.call(() -> new GroupReceiver(group.address(), group.port(), receiver.interfaceIndex()));
        try (TrafficGenerator generator = network.sender().call(() -> TrafficGenerator.open(plan))) {
            CompletableFuture<Void> receiving = onCpu(1, () -> {
                socket.receive(plan.packetLimit(), 1_000);
                return null;
            });
            TrafficReport report = onCpu(0, generator::run).join();
            receiving.join();
            return new Received(report, socket);
        } finally {
            socket.close();
        }
    }

    private static <T> CompletableFuture<T> onCpu(int cpu, Supplier<T> task) {
        return CompletableFuture.supplyAsync(() -> {
            CpuAffinity.pinCurrentThread(cpu);
            return task.get();
        }, runnable -> Thread.ofPlatform().start(runnable));
    }

    private record Received(TrafficReport report, GroupReceiver receiver) {
    }
}
