package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.traffic.TestNetwork;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GenerateCommandTest {
    /**
     * Valid arguments but for an interface that does not exist, which is checked last: a test whose
     * error went unnoticed fails on the interface instead of sending anything outside a test network.
     */
    private static final String[] VALID = {
        "--iface", "ringcap-none0", "--group", "239.1.1.1:5000", "--rate", "1k", "--size", "64", "--count", "1"};

    @Test
    void groupWithoutPortIsAUsageError() {
        assertUsageError("'239.1.1.1' has no port: write GROUP:PORT", "--group", "239.1.1.1");
    }

    @Test
    void portOutsideUdpRangeIsAUsageError() {
        assertUsageError("port 0 is not a UDP port", "--group", "239.1.1.1:0");
        assertUsageError("port 70000 is not a UDP port", "--group", "239.1.1.1:70000");
    }

    @Test
    void unicastGroupIsAUsageError() {
        assertUsageError("10.0.0.1 is not a multicast address", "--group", "10.0.0.1:5000");
    }

    @Test
    void zeroRateIsAUsageError() {
        assertUsageError("from 1 to", "--rate", "0");
        assertUsageError("is not a packet rate", "--rate", "fast");
    }

    @Test
    void payloadSizeOutsideHeaderAndUdpLimitIsAUsageError() {
        assertUsageError("payload size 19 is outside 20", "--size", "19");
        assertUsageError("payload size 65508 is outside 20", "--size", "65508");
    }

    @Test
    void unknownInterfaceIsAUsageError() {
        assertUsageError("--iface ringcap-none0: if_nametoindex(ringcap-none0) failed: ENODEV");
        assertUsageError("there is no network interface named 'ringcap-none0'");
    }

    @Test
    void countAndSecondsTogetherOrNeitherIsAUsageError() {
        CommandResult both = execute("--iface", "ringcap-none0", "--group", "239.1.1.1:5000", "--rate", "1k",
            "--count", "1", "--seconds", "1");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        CommandResult neither = execute("--iface", "ringcap-none0", "--group", "239.1.1.1:5000", "--rate", "1k");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument");
    }

    @Test
    void sendsOnTheTestNetworkAndReportsInJson() throws Exception {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(), () -> TestNetwork.whyUnavailable().orElseThrow());
        try (TestNetwork network = TestNetwork.create()) {
            CommandResult result = execute("--netns", network.sender().namespace(), "--iface", TestNetwork.SENDER_INTERFACE,
                "--group", "239.1.1.1:5000", "--group", "239.1.1.2:5000", "--rate", "50k", "--count", "5001",
                "--size", "100", "--cpu", "0", "--json");

            assertThat(result.exitCode()).as(result.err()).isZero();
            JsonNode report = new ObjectMapper().readTree(result.out());
            assertThat(report.get("packets").asLong()).isEqualTo(5001);
            assertThat(report.get("payload_bytes").asLong()).isEqualTo(500_100);
            assertThat(report.get("target_packets_per_second").asLong()).isEqualTo(50_000);
            // Never faster than asked; slower only when the report owns up to it (a busy 2-core host).
            double rate = report.get("packets_per_second").asDouble();
            assertThat(rate).isLessThanOrEqualTo(51_500.0);
            if (rate < 48_500.0) {
                assertThat(report.get("max_lateness_nanos").asLong()).as("a sender behind its pace says how far")
                    .isGreaterThan(1_000_000L);
            }
            assertThat(report.get("groups").get(0).get("last_sequence").asLong()).isEqualTo(2501);
            assertThat(report.get("groups").get(1).get("last_sequence").asLong()).isEqualTo(2500);
            assertThat(report.get("max_lateness_nanos").asLong()).isNotNegative();
            assertThat(report.get("retried_sends").get("ENOBUFS").asLong()).isZero();
            assertThat(report.get("failure").isNull()).isTrue();
        }
    }

    @Test
    void humanReportSaysWhatWasSent() {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(), () -> TestNetwork.whyUnavailable().orElseThrow());
        try (TestNetwork network = TestNetwork.create()) {
            CommandResult result = execute("--netns", network.sender().namespace(), "--iface", TestNetwork.SENDER_INTERFACE,
                "--group", "239.1.1.1:5000", "--rate", "max", "--seconds", "0.05");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out())
                .containsPattern("sent     \\d+ packets, \\d+ payload bytes in 0\\.0\\d\\d s from veth-tx")
                .contains("(target max)")
                .doesNotContain("behind schedule")
                .containsPattern("group    239.1.1.1:5000  \\d+ packets, sequence 1 to \\d+")
                .contains("retried  0 sends (ENOBUFS 0, EAGAIN 0, EINTR 0)");
        }
    }

    /** Runs {@link #VALID} with {@code option value} pairs replaced; it must fail with {@code message}, exit 2. */
    private static void assertUsageError(String message, String... replacements) {
        String[] args = VALID.clone();
        for (int i = 0; i < replacements.length; i += 2) {
            int option = Arrays.asList(args).indexOf(replacements[i]);
            assertThat(option).as("option %s is among the valid arguments", replacements[i]).isNotNegative();
            args[option + 1] = replacements[i + 1];
        }
        CommandResult result = execute(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message).contains("Try 'generate --help'");
        assertThat(result.out()).isEmpty();
    }

    /** The command on its own, with ringcap's error reporting, as the lead's registration will run it. */
    private static CommandResult execute(String... args) {
        ErrorReporter errors = new ErrorReporter();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new GenerateCommand())
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandResult(exitCode, out.toString(), err.toString());
    }
}
