package io.ringcap.capture;

import io.ringcap.linux.KernelBtf;
import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.util.List;
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

    @RegisterExtension
    static final SharedTestNetwork NETWORK = new SharedTestNetwork(
        "needs root for network namespaces, XDP and AF_XDP");

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
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 256L << 20, () -> open(CAPTURED, config),
            new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
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
            assertThat(capture.header().interfaceReceived()).as("veth-rx's own count, from /proc/net/dev")
                .isGreaterThanOrEqualTo(PACKETS);
            assertThat(capture.header().interfaceDrops()).isZero();
            assertThat(capture.header().sourceDescription()).contains("afxdp veth-rx " + mode.name().toLowerCase());
            if (mode == XdpMode.NATIVE && KernelBtf.functionId(XdpFilterProgram.RX_TIMESTAMP_KFUNC).isPresent()) {
                // veth offers the kfunc in native mode: the program that calls it ran for every packet, and with
                // no NIC time on veth each one fell back to TAI (no hardware flag, above).
                assertThat(capture.header().sourceDescription()).as("the program built with the rx-timestamp kfunc")
                    .contains("NIC timestamps else TAI");
            }
        }
    }

    @Test
    void filterRulesAddedAndRemovedWhileCapturingTakeEffectAtOnce() throws Exception {
        AfXdpConfig config = config(XdpMode.AUTO);
        TrafficPlan both = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(FIRST, SECOND), 50_000, PAYLOAD,
            10_000);
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20,
            () -> open(List.of(MulticastGroup.parse("239.1.1.1:5000")), config), new BusySpinIdleStrategy(),
            CaptureLoop.DEFAULT_POLL_LIMIT);
             XdpFilterTable filter = XdpFilterTable.open(config.pinDirectory())) {
            NetworkCapture.send(NETWORK.get(), both);
            awaitRecords(capture, 5_000);

            assertThat(filter.add(FilterRule.parse("239.1.1.2:5001"))).isTrue();
            NetworkCapture.send(NETWORK.get(), both);
            awaitRecords(capture, 15_000);

            assertThat(filter.remove(FilterRule.parse("239.1.1.1:5000"))).isTrue();
            NetworkCapture.send(NETWORK.get(), both);
            awaitRecords(capture, 20_000);
            Thread.sleep(200);

            assertThat(capture.header().recordsWritten()).as("5000 + 10000 + 5000").isEqualTo(20_000);
            assertThat(filter.entries()).containsExactly(
                new XdpFilterTable.Entry(FilterRule.parse("239.1.1.2:5001"), 10_000, 10_000L * frameLength()));
        }
    }

    @Test
    void theHostsOwnTrafficStillFlowsWhileCapturing() throws Exception {
        try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 16L << 20,
            () -> open(CAPTURED, config(XdpMode.AUTO)), new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            assertHostTrafficFlows();
            assertThat(capture.header().recordsWritten()).as("nothing of it captured").isZero();
        }
    }

    @Test
    void afterSigkillOfTheCaptureProcessTheProgramIsGoneAndTrafficFlows() throws Exception {
        Path pins = config(XdpMode.AUTO).pinDirectory();
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaCommand, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
            System.getProperty("java.class.path"), AfXdpCaptureChild.class.getName(),
            NETWORK.get().receiver().namespace(), pins.toString()).redirectErrorStream(true).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(child.getInputStream())).readLine();
            assertThat(ready).as("the child's first line").startsWith("ready afxdp veth-rx");
            assertThat(xdpOnReceiver()).as("ip link shows the program while the capture runs").contains("prog/xdp");

            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (xdpOnReceiver().contains("prog/xdp") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(xdpOnReceiver()).as("ip link after SIGKILL").doesNotContain("prog/xdp");
            assertHostTrafficFlows();
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(pins.resolve(XdpFilterTable.PIN_NAME));
            Files.deleteIfExists(pins);
        }
    }

    @Test
    void anUnknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> NETWORK.get().receiver().call(() -> AfXdpSource.open("nosuch0", CAPTURED, List.of(),
                config(XdpMode.AUTO))))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("no network interface 'nosuch0'");
    }

    /** A ping and a UDP datagram to a port nobody captures, both answered by the receiver's own stack. */
    private static void assertHostTrafficFlows() throws Exception {
        Process ping = NETWORK.get().sender().processBuilder("ping", "-c", "3", "-i", "0.2", "-W", "2",
            NETWORK.get().receiver().address().getHostAddress()).redirectErrorStream(true).start();
        String pingOutput = new String(ping.getInputStream().readAllBytes());
        assertThat(ping.waitFor()).as("ping from the sender: %s", pingOutput).isZero();

        DatagramChannel listener = NETWORK.get().receiver().call(() ->
            DatagramChannel.open().bind(new InetSocketAddress(NETWORK.get().receiver().address(),
                6000)));
        try (listener) {
            NETWORK.get().sender().run(() -> {
                try (DatagramChannel sender = DatagramChannel.open()) {
                    sender.send(ByteBuffer.wrap("still here".getBytes()),
                        new InetSocketAddress(NETWORK.get().receiver().address(), 6000));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ByteBuffer received = ByteBuffer.allocate(64);
            listener.configureBlocking(false);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (listener.receive(received) == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(new String(received.array(), 0, received.position())).isEqualTo("still here");
        }
    }

    private static String xdpOnReceiver() throws Exception {
        Process show = NETWORK.get().receiver().processBuilder("ip", "link", "show", TestNetwork.RECEIVER_INTERFACE)
            .redirectErrorStream(true).start();
        String output = new String(show.getInputStream().readAllBytes());
        show.waitFor();
        return output;
    }

    private static void awaitRecords(NetworkCapture capture, long records) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (capture.header().recordsWritten() < records && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
    }

    /** Ethernet + IPv4 + UDP headers and the payload. */
    private static long frameLength() {
        return 14 + 20 + 8 + PAYLOAD;
    }

    @Test
    void theUmemIsInHugePagesWhenThePoolHasThemAndPacketsStillArriveWhole() throws Exception {
        Path pool = Path.of("/proc/sys/vm/nr_hugepages");
        assumeTrue(Files.isWritable(pool), "needs a kernel with huge pages (/proc/sys/vm/nr_hugepages)");
        String before = Files.readString(pool).trim();
        Files.writeString(pool, Long.toString(Long.parseLong(before) + 8));
        try {
            // The kernel reserves what it can: memory too fragmented for 2 MiB pages leaves the pool short.
            assumeTrue(Long.parseLong(Files.readString(pool).trim()) >= Long.parseLong(before) + 4,
                "the kernel could not reserve 4 huge pages (memory too fragmented): nothing to map the UMEM on");
            AfXdpConfig config = new AfXdpConfig(XdpMode.AUTO, List.of(), 4096, 2048, true, null)
                .withPinDirectory(config(XdpMode.AUTO).pinDirectory());
            AfXdpSource[] opened = new AfXdpSource[1];
            TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE, List.of(FIRST), 50_000, PAYLOAD,
                10_000);
            try (NetworkCapture capture = NetworkCapture.start(NETWORK.get(), 64L << 20,
                () -> opened[0] = open(CAPTURED, config), new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
                MemorySegment umem = opened[0].hotMemory().getFirst();
                assertThat(opened[0].warnings()).noneSatisfy(warning -> assertThat(warning).contains("normal pages"));
                assertThat(kernelPageSize(umem)).as("the UMEM's mapping in /proc/self/smaps").isEqualTo("2048 kB");

                NetworkCapture.Sent sent = NetworkCapture.send(NETWORK.get(), plan);
                capture.drainAndStop(10_000);
                RingAudit audit = RingAudit.of(capture.ring, List.of(FIRST), PAYLOAD, sent.startNanos(),
                    sent.endNanos());
                assertThat(audit.records).isEqualTo(10_000);
                assertThat(audit.totalGaps()).isZero();
                assertThat(audit.badPayload).isZero();
            }
        } finally {
            Files.writeString(pool, before);
        }
    }

    /** The KernelPageSize of the mapping that starts at {@code segment}, from /proc/self/smaps. */
    private static String kernelPageSize(MemorySegment segment) throws IOException {
        String start = Long.toHexString(segment.address()) + "-";
        boolean inMapping = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("[0-9a-f]+-[0-9a-f]+ .*")) {
                inMapping = line.startsWith(start);
            } else if (line.startsWith("KernelPageSize:") && inMapping) {
                return line.substring("KernelPageSize:".length()).trim();
            }
        }
        throw new AssertionError("no mapping starts at " + start + " in /proc/self/smaps");
    }

    @Test
    void offloadModeIsRefusedOnVethSayingWhyAndLeavesNothingBehind() {
        AfXdpConfig config = config(XdpMode.OFFLOAD);
        assertThatThrownBy(() -> NETWORK.get().receiver().call(() -> open(CAPTURED, config)))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("veth-rx")
            .hasMessageContaining("offload mode runs XDP on the NIC: only NICs such as Netronome's do");
        assertThat(config.pinDirectory().resolve(XdpFilterTable.PIN_NAME)).doesNotExist();
        try (AfXdpSource source = NETWORK.get().receiver().call(() -> open(CAPTURED, config(XdpMode.NATIVE)))) {
            assertThat(source.mode()).as("nothing was left attached: native mode attaches").isEqualTo(XdpMode.NATIVE);
        }
    }

    @Test
    void autoModeIsNativeOnVethAndTheTimestampSourceIsTai() {
        try (AfXdpSource source = NETWORK.get().receiver().call(() -> open(CAPTURED, config(XdpMode.AUTO)))) {
            assertThat(source.mode()).isEqualTo(XdpMode.NATIVE);
            assertThat(source.zeroCopy()).isFalse();
            assertThat(source.timestampSource()).isEqualTo(TimestampSource.XDP_TAI);
            assertThat(source.warnings()).anySatisfy(warning -> assertThat(warning).contains("copy mode"));
            // One queue on veth: its UMEM, then the fill, RX and completion rings, each of 65536 entries or more.
            List<MemorySegment> memory = source.hotMemory();
            assertThat(memory).hasSize(4);
            long frames = memory.get(0).byteSize() / 2048;
            assertThat(frames).isGreaterThanOrEqualTo(AfXdpConfig.MIN_AUTO_FRAMES);
            assertThat(memory.get(1).byteSize()).as("fill: 8-byte UMEM addresses").isGreaterThan(frames * 8);
            assertThat(memory.get(2).byteSize()).as("rx: 16-byte descriptors").isGreaterThan(frames * 16);
            assertThat(memory.get(3).byteSize()).as("completion: 8-byte UMEM addresses").isGreaterThan(frames * 8);
        }
    }
}
