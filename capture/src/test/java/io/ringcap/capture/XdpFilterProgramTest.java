package io.ringcap.capture;

import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfFileSystem;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.Capabilities;
import io.ringcap.linux.Clocks;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringcap.capture.TestFrames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * ringcap's XDP program, loaded into the running kernel and run on hand-built frames with BPF_PROG_TEST_RUN.
 * No AF_XDP socket is in the socket map, so a match is passed on too; what tells a match from a miss is the
 * matching filter entry's counters (packets + 1, bytes + frame length).
 */
class XdpFilterProgramTest {
    private static final int GROUP = address(239, 1, 1, 1);
    private static final int PORT = 5000;
    private static final FilterRule EXACT = new FilterRule(GROUP, PORT);
    private static final FilterRule ANY_PORT = new FilterRule(GROUP, FilterRule.ANY_PORT);
    private static final FilterRule ANY_ADDRESS = new FilterRule(FilterRule.ANY_ADDRESS, PORT);
    /** Ethernet + IPv4 + UDP headers: the shortest frame the program can match. */
    private static final int WHOLE_ENOUGH = 14 + 20 + 8;

    private final Arena arena = Arena.ofAuto();
    private Path pinDirectory;
    private XdpFilterTable table;
    private int socketMap = -1;
    private int program = -1;

    @BeforeEach
    void loadProgram() {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_SYS_ADMIN),
            "needs root: bpf(2) maps, program load and test run, a pin in /sys/fs/bpf");
        pinDirectory = Path.of(BpfFileSystem.DEFAULT_MOUNT,
            "ringcap-xdp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        BpfFileSystem.ensureMounted(Path.of(BpfFileSystem.DEFAULT_MOUNT), pinDirectory);
        table = XdpFilterTable.create(pinDirectory);
        socketMap = Bpf.createMap(BpfLayouts.BPF_MAP_TYPE_XSKMAP, 4, 4, 64, 0, "t");
        byte[] code = XdpFilterProgram.generate(table.fd(), socketMap, OptionalInt.empty());
        program = Bpf.loadProgram(BpfLayouts.BPF_PROG_TYPE_XDP, BpfAssembler.toNative(code, arena), "GPL", "ringcap_test", BpfLayouts.BPF_XDP);
    }

    @AfterEach
    void unload() throws Exception {
        if (program >= 0) {
            Sockets.close(program);
        }
        if (socketMap >= 0) {
            Sockets.close(socketMap);
        }
        if (table != null) {
            table.close();
            table.unpin();
        }
        if (pinDirectory != null) {
            Files.deleteIfExists(pinDirectory);
        }
    }

    /**
     * Runs the program once on {@code frame}; every frame, matched or not, must be passed on unchanged. The
     * test run returns the packet from its metadata on: the {@link XdpMetadata} the program wrote, if any.
     */
    private MemorySegment run(byte[] frame) {
        MemorySegment in = arena.allocate(frame.length);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, in, 0, frame.length);
        MemorySegment out = arena.allocate(4096);
        Bpf.TestRun run = Bpf.testRun(program, in, out, 1);
        assertThat(run.result()).as("XDP action").isEqualTo(BpfLayouts.XDP_PASS);
        assertThat(run.dataSizeOut()).as("metadata and frame").isIn(frame.length, XdpMetadata.SIZE + frame.length);
        long metadata = run.dataSizeOut() - frame.length;
        assertThat(out.asSlice(metadata, frame.length).toArray(JAVA_BYTE)).as("frame after the run").isEqualTo(frame);
        return out.asSlice(0, metadata);
    }

    /** The counters of {@code rule}: packets and bytes. */
    private long[] counts(FilterRule rule) {
        for (XdpFilterTable.Entry entry : table.entries()) {
            if (entry.rule().equals(rule)) {
                return new long[] {entry.packets(), entry.bytes()};
            }
        }
        throw new AssertionError(rule + " is not in the table " + table.entries());
    }

    private void assertMatchedBy(FilterRule rule, byte[]... frames) {
        long bytes = Arrays.stream(frames).mapToLong(frame -> frame.length).sum();
        assertThat(counts(rule)).as("packets, bytes of " + rule).containsExactly(frames.length, bytes);
    }

    private void assertNothingMatched() {
        assertThat(table.packetsMatched()).as("packets matched by " + table.entries()).isZero();
    }

    @Test
    void exactRuleCountsEachMatchingFrameAndItsBytes() {
        table.add(EXACT);
        byte[] frame = udp(GROUP, PORT);
        run(frame);
        run(frame);
        run(udp(GROUP, PORT + 1));
        run(udp(GROUP + 1, PORT));
        run(udp(GROUP, Integer.reverseBytes(PORT) >>> 16));
        run(udp(Integer.reverseBytes(GROUP), PORT));
        assertMatchedBy(EXACT, frame, frame);
    }

    @Test
    void matchedFrameGetsMetadataWithTheTaiTimeAndUnmatchedNone() {
        table.add(EXACT);
        long before = Clocks.taiNanos();
        MemorySegment matched = run(udp(GROUP, PORT));
        long after = Clocks.taiNanos();
        MemorySegment unmatched = run(udp(GROUP, PORT + 1));

        assertThat(matched.byteSize()).isEqualTo(XdpMetadata.SIZE);
        assertThat(matched.get(JAVA_INT, XdpMetadata.MAGIC_OFFSET)).isEqualTo(XdpMetadata.MAGIC);
        assertThat(matched.get(JAVA_INT, XdpMetadata.FLAGS_OFFSET)).isEqualTo(XdpMetadata.FLAG_TAI);
        assertThat(matched.get(JAVA_LONG, XdpMetadata.TIMESTAMP_OFFSET)).isBetween(before, after);
        assertThat(unmatched.byteSize()).isZero();
    }

    @Test
    void addressRuleMatchesEveryPortOfThatAddressOnly() {
        table.add(ANY_PORT);
        byte[] first = udp(GROUP, PORT);
        byte[] second = udp(GROUP, 1);
        run(first);
        run(second);
        run(udp(GROUP + 1, PORT));
        assertMatchedBy(ANY_PORT, first, second);
    }

    @Test
    void portRuleMatchesThatPortOnEveryAddressOnly() {
        table.add(ANY_ADDRESS);
        byte[] first = udp(GROUP, PORT);
        byte[] second = udp(address(10, 0, 0, 1), PORT);
        run(first);
        run(second);
        run(udp(GROUP, PORT + 1));
        assertMatchedBy(ANY_ADDRESS, first, second);
    }

    @Test
    void exactRuleWinsOverAddressRuleWhichWinsOverPortRule() {
        table.add(EXACT);
        table.add(ANY_PORT);
        table.add(ANY_ADDRESS);
        byte[] exact = udp(GROUP, PORT);
        byte[] otherPort = udp(GROUP, PORT + 1);
        byte[] otherAddress = udp(GROUP + 1, PORT);
        run(exact);
        run(otherPort);
        run(otherAddress);
        assertMatchedBy(EXACT, exact);
        assertMatchedBy(ANY_PORT, otherPort);
        assertMatchedBy(ANY_ADDRESS, otherAddress);

        table.remove(EXACT);
        run(exact);
        assertMatchedBy(ANY_PORT, otherPort, exact);
        assertMatchedBy(ANY_ADDRESS, otherAddress);
    }

    @ParameterizedTest
    @ValueSource(ints = {TPID_8021Q, TPID_8021AD})
    void frameWithOneVlanTagIsMatched(int tagProtocol) {
        table.add(EXACT);
        byte[] tagged = ethernet(ETHERTYPE_IPV4,
            ipv4(5, PROTOCOL_UDP, 0, GROUP, transport(PORT, 18)), tagProtocol);
        run(tagged);
        assertMatchedBy(EXACT, tagged);
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void portIsFoundAfterIpv4Options(int ihl) {
        table.add(EXACT);
        byte[] frame = ethernet(ETHERTYPE_IPV4, ipv4(ihl, PROTOCOL_UDP, 0, GROUP, transport(PORT, 18)));
        run(frame);
        assertMatchedBy(EXACT, frame);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void headerLengthBelowFiveWordsIsNotMatched(int ihl) {
        table.add(EXACT);
        table.add(ANY_PORT);
        run(ethernet(ETHERTYPE_IPV4, ipv4(ihl, PROTOCOL_UDP, 0, GROUP, transport(PORT, 18))));
        assertNothingMatched();
    }

    @Test
    void firstFragmentIsMatchedAndLaterFragmentsAreNot() {
        table.add(EXACT);
        byte[] first = ethernet(ETHERTYPE_IPV4, ipv4(5, PROTOCOL_UDP, FLAG_MORE_FRAGMENTS, GROUP, transport(PORT, 18)));
        run(first);
        // Later fragments whose first payload bytes happen to look like a UDP header to the port.
        for (int fragment : new int[] {1, 185, FLAG_MORE_FRAGMENTS | 185, 0x0100, 0x1000, 0x1fff}) {
            run(ethernet(ETHERTYPE_IPV4, ipv4(5, PROTOCOL_UDP, fragment, GROUP, transport(PORT, 18))));
        }
        assertMatchedBy(EXACT, first);
    }

    @Test
    void tcpToTheSameAddressAndPortIsNotMatched() {
        table.add(EXACT);
        table.add(ANY_PORT);
        table.add(ANY_ADDRESS);
        run(ethernet(ETHERTYPE_IPV4, ipv4(5, PROTOCOL_TCP, 0, GROUP, transport(PORT, 12))));
        assertNothingMatched();
    }

    @ParameterizedTest
    @ValueSource(ints = {ETHERTYPE_IPV6, ETHERTYPE_ARP, 0x0000, 0x0008})
    void otherEthertypesAreNotMatchedEvenWithIpv4UdpBytes(int etherType) {
        table.add(EXACT);
        run(ethernet(etherType, ipv4(5, PROTOCOL_UDP, 0, GROUP, transport(PORT, 18))));
        run(ethernet(etherType, ipv4(5, PROTOCOL_UDP, 0, GROUP, transport(PORT, 18)), TPID_8021Q));
        assertNothingMatched();
    }

    @Test
    void frameCutShortIsMatchedOnlyOnceItsUdpHeaderIsWhole() {
        table.add(EXACT);
        byte[] whole = udp(GROUP, PORT);
        long packets = 0;
        long bytes = 0;
        for (int length = 0; length <= whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            if (length < 14) {
                // The kernel runs XDP programs only on frames with a whole Ethernet header.
                LinuxException refused = catchThrowableOfType(LinuxException.class, () -> run(cut));
                assertThat(refused.errno()).as("test run of %d bytes", length).isEqualTo(Errno.EINVAL);
                continue;
            }
            run(cut);
            if (length >= WHOLE_ENOUGH) {
                packets++;
                bytes += length;
            }
            assertThat(counts(EXACT)).as("after a frame of %d bytes", length).containsExactly(packets, bytes);
        }
        assertThat(packets).isEqualTo(whole.length - WHOLE_ENOUGH + 1);
    }

    @Test
    void taggedFrameCutShortIsMatchedOnlyOnceItsUdpHeaderIsWhole() {
        table.add(EXACT);
        byte[] whole = ethernet(ETHERTYPE_IPV4, ipv4(7, PROTOCOL_UDP, 0, GROUP, transport(PORT, 4)), TPID_8021Q);
        int wholeEnough = 18 + 28 + 8;
        for (int length = 14; length <= whole.length; length++) {
            run(Arrays.copyOf(whole, length));
            assertThat(counts(EXACT)[0]).as("after a frame of %d bytes", length)
                .isEqualTo(Math.max(0, length - wholeEnough + 1));
        }
    }

    @Test
    void addingARuleTwiceKeepsItsCounts() {
        assertThat(table.add(EXACT)).isTrue();
        byte[] frame = udp(GROUP, PORT);
        run(frame);
        assertThat(table.add(EXACT)).isFalse();
        assertMatchedBy(EXACT, frame);
        assertThat(table.entries()).hasSize(1);
    }

    @Test
    void removingAMissingRuleIsFalseAndARemovedRuleStopsMatching() {
        assertThat(table.remove(EXACT)).isFalse();
        table.add(EXACT);
        table.add(ANY_ADDRESS);
        assertThat(table.remove(EXACT)).isTrue();
        assertThat(table.remove(EXACT)).isFalse();
        assertThat(table.entries()).extracting(XdpFilterTable.Entry::rule).containsExactly(ANY_ADDRESS);
        byte[] frame = udp(GROUP, PORT);
        run(frame);
        assertMatchedBy(ANY_ADDRESS, frame);
    }

    @Test
    void entriesListEveryRuleWithItsOwnCounts() {
        table.add(EXACT);
        table.add(ANY_PORT);
        table.add(ANY_ADDRESS);
        assertThat(table.entries()).extracting(XdpFilterTable.Entry::rule)
            .containsExactlyInAnyOrder(EXACT, ANY_PORT, ANY_ADDRESS);
        assertThat(table.entries()).allSatisfy(entry -> {
            assertThat(entry.packets()).isZero();
            assertThat(entry.bytes()).isZero();
        });
    }

    @Test
    void openingTheTableFromItsPinSeesTheSameMap() {
        table.add(EXACT);
        try (XdpFilterTable other = XdpFilterTable.open(pinDirectory)) {
            assertThat(other.add(ANY_ADDRESS)).isTrue();
            byte[] frame = udp(GROUP + 1, PORT);
            run(frame);
            assertThat(other.entries()).extracting(XdpFilterTable.Entry::rule)
                .containsExactlyInAnyOrder(EXACT, ANY_ADDRESS);
            assertMatchedBy(ANY_ADDRESS, frame);
        }
    }

    @Test
    void openingADirectoryWithNothingPinnedAsksWhetherCaptureRuns() {
        assertThatThrownBy(() -> XdpFilterTable.open(pinDirectory.resolve("nothing-here")))
            .isExactlyInstanceOf(CaptureException.class)
            .hasMessageContaining("no XDP filter is pinned at " + pinDirectory.resolve("nothing-here/filter"))
            .hasMessageContaining("is 'ringcap capture --source afxdp' running");
        table.unpin();
        assertThatThrownBy(() -> XdpFilterTable.open(pinDirectory))
            .isExactlyInstanceOf(CaptureException.class)
            .hasMessageContaining("is 'ringcap capture --source afxdp' running");
    }

    @Test
    void unpinningANamespacesFilterLeavesNoEmptyDirectoryBelowTheRingcapRootButKeepsTheRoot() {
        Path root = Path.of(BpfFileSystem.DEFAULT_MOUNT, "ringcap");
        Path namespace = root.resolve("ringcap-test-ns-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path pins = namespace.resolve("veth-x");
        BpfFileSystem.ensureMounted(Path.of(BpfFileSystem.DEFAULT_MOUNT), pins);
        XdpFilterTable inNamespace = XdpFilterTable.create(pins);
        inNamespace.close();
        assertThat(pins.resolve("filter")).exists();

        inNamespace.unpin();

        assertThat(pins).doesNotExist();
        assertThat(namespace).doesNotExist();
        assertThat(root).isDirectory();
    }
}
