package io.ringcap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bad capture options are usage errors (exit 2) that say what is wrong, found before anything is set up. */
class CaptureCommandTest {
    private static final Path NEVER_CREATED = Path.of("/dev/shm/ringcap-capture-command-test-never-created.ring");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--xdp-mode|sideways|Invalid value for option '--xdp-mode'",
        "--frame-size|1000|UMEM frame size must be 2048 or 4096 bytes, got 1000",
        "--umem-frames|100|UMEM frames must be a power of two of at least 64, got 100",
        "--queues|0,-1|queue -1 is outside 0..1023",
        "--queues|x|Invalid value for option '--queues'",
        "--source|dpdk|Invalid value for option '--source'",
        "--netns|ringcap-no-such-namespace|--netns ringcap-no-such-namespace",
        "--cpu|4096|--cpu 4096 is not a CPU this process may use (0",
        "--cpu|-2|--cpu -2 is not a CPU this process may use",
        "--fanout|7:sideways|fanout mode 'sideways' is none of hash, lb, cpu, rollover, rnd, qm",
        "--fanout|70000|fanout group 70000 is outside 0..65535",
        "--fanout|x|fanout group 'x' is not ID or ID:MODE",
        "--fanout|7|--fanout is for the afpacket source: add --source afpacket"})
    void badOptionIsAUsageErrorNamingIt(String option, String value, String expected) {
        CommandResult result = CommandResult.execute("capture", "--iface", "lo", "--group", "239.1.1.1:5000", "--ring",
            "/dev/shm/ringcap-capture-command-test-never-created.ring", option, value);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(expected);
        assertThat(Files.exists(Path.of("/dev/shm/ringcap-capture-command-test-never-created.ring"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringcapnosuch0|239.1.1.1:5000|afpacket|--iface ringcapnosuch0: there is no such interface",
        "lo|239.1.1.1:99999|afpacket|Invalid value for option '--group'",
        "lo|10.1.1.1:5000|afpacket|is not a multicast",
        "lo|nonsense|afpacket|Invalid value for option '--group'",
        "lo|239.1.1.1|udp|--group 239.1.1.1 has no port, which the udp source needs"})
    void aBadInterfaceOrGroupIsAUsageErrorAndNoRingIsCreated(String iface, String group, String source, String expected) {
        CommandResult result = CommandResult.execute("capture", "--iface", iface, "--group", group, "--source", source,
            "--ring", NEVER_CREATED.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(expected);
        assertThat(Files.exists(NEVER_CREATED)).isFalse();
    }

    @Test
    void aRingSizeThatIsNotAPowerOfTwoIsRefusedWithExit1() {
        CommandResult result = CommandResult.execute("capture", "--iface", "lo", "--group", "239.1.1.1:5000", "--ring",
            NEVER_CREATED.toString(), "--size", "3g");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("--size 3 GiB is not a power of two");
        assertThat(Files.exists(NEVER_CREATED)).isFalse();
    }

    @Test
    void aSourceThatCannotBeSetUpFailsWithExit1AndLeavesNoRingBehind() {
        // The loopback interface has no NIC clock: as root the source's set-up fails after the ring was created,
        // without root the privilege check fails before; either way nothing is left.
        CommandResult result = CommandResult.execute("capture", "--iface", "lo", "--group", "239.1.1.1:5000",
            "--source", "afpacket", "--hw-timestamps", "require", "--ring", NEVER_CREATED.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("ringcap: ").contains("timestamp");
        assertThat(Files.exists(NEVER_CREATED)).isFalse();
    }

    @Test
    void autoFallsBackFromAfxdpToAfpacketSayingWhyAndFailsWithTheLastReason() {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: auto would choose udp up front");
        // lo has neither an rx-timestamp kfunc for afxdp nor a NIC clock for afpacket.
        CommandResult result = CommandResult.execute("capture", "--iface", "lo", "--group", "239.1.1.1:5000",
            "--hw-timestamps", "require", "--ring", NEVER_CREATED.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err())
            .contains("ringcap: source afxdp: this process may load XDP programs")
            .contains("ringcap: source afpacket: afxdp could not be set up (--hw-timestamps=require: the XDP program"
                + " on lo cannot ask the NIC for timestamps")
            .contains("interface lo cannot timestamp packets in hardware");
        assertThat(Files.exists(NEVER_CREATED)).isFalse();
    }

    @Test
    void cpusAreListedAsTasksetListsThem() {
        assertThat(CaptureCommand.cpuList(BitSet.valueOf(new long[] {0b1011_1101L}))).isEqualTo("0,2-5,7");
        assertThat(CaptureCommand.cpuList(BitSet.valueOf(new long[] {0b10L}))).isEqualTo("1");
        assertThat(CaptureCommand.cpuList(new BitSet())).isEmpty();
    }
}
