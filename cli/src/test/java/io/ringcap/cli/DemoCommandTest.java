package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.traffic.TestNetwork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoAccountsForEveryPacketOfBothLinesAndLeavesNothingBehind() throws Exception {
        requireTestNetwork();
        Set<String> namespacesBefore = ringcapNamespaces();
        Set<String> shmBefore = demoFiles(Path.of("/dev/shm"));

        CommandResult result = CommandResult.execute("demo", "--seconds", "3", "--rate", "20k", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("ringcap demo: source afxdp").contains("ringcap top");
        JsonNode summary = JSON.readTree(result.out());
        assertThat(summary.get("sent").asLong()).isBetween(59_000L, 60_000L);
        for (JsonNode line : summary.get("lines")) {
            long sent = line.get("sent").asLong();
            assertThat(sent).as("line %s", line.get("name")).isPositive();
            assertThat(line.get("captured").asLong()).as("captured on %s", line.get("name")).isEqualTo(sent);
            assertThat(line.get("recorded").asLong()).as("recorded on %s", line.get("name")).isEqualTo(sent);
            assertThat(line.get("missing").asLong()).isZero();
        }
        assertThat(summary.get("lost_on_every_line").asLong()).isZero();
        assertThat(summary.get("unexplained_loss").asLong()).isZero();
        assertThat(summary.get("timestamp_resolution_ns").asInt()).isEqualTo(1);
        assertThat(summary.get("files")).isNotEmpty();
        for (JsonNode file : summary.get("files")) {
            assertThat(Path.of(file.asText())).as("deleted without --keep").doesNotExist();
        }
        assertThat(ringcapNamespaces()).isEqualTo(namespacesBefore);
        assertThat(demoFiles(Path.of("/dev/shm"))).as("rings left in /dev/shm").isEqualTo(shmBefore);
        assertThat(Path.of("/sys/fs/bpf/ringcap-demo-" + ProcessHandle.current().pid())).doesNotExist();
    }

    @Test
    void keepLeavesTheRecordingsWhereTheSummarySays() throws Exception {
        requireTestNetwork();
        CommandResult result = CommandResult.execute("demo", "--seconds", "1", "--rate", "2k", "--keep");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("unexplained 0").contains("tshark -r ");
        List<Path> files = new ArrayList<>();
        for (String line : result.out().lines().toList()) {
            if (line.strip().startsWith("file ")) {
                files.add(Path.of(line.strip().substring("file ".length()).strip()));
            }
        }
        assertThat(files).isNotEmpty().allSatisfy(file -> assertThat(file).isRegularFile());
        for (Path file : files) {
            deleteTree(file.getParent());
        }
    }

    @Test
    void secondsOutsideOneToAnHourAreUsageErrors() {
        assertUsageError("--seconds -1 must be from 1 to 3600", "--seconds", "-1");
        assertUsageError("--seconds 0 must be from 1 to 3600", "--seconds", "0");
        assertUsageError("--seconds 3601 must be from 1 to 3600", "--seconds", "3601");
        assertUsageError("'x' is not an int", "--seconds", "x");
    }

    @Test
    void rateOfZeroOrMaxOrNonsenseIsAUsageError() {
        assertUsageError("from 1 to", "--rate", "0");
        assertUsageError("--rate max: the demo sends at a rate this machine sustains", "--rate", "max");
        assertUsageError("is not a packet rate", "--rate", "fast");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertUsageError("Unknown option: '--nope'", "--nope");
    }

    private static void assertUsageError(String message, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "demo";
        System.arraycopy(args, 0, full, 1, args.length);
        CommandResult result = CommandResult.execute(full);
        assertThat(result.exitCode()).as("exit code of %s", Arrays.toString(full)).isEqualTo(2);
        assertThat(result.err()).startsWith("ringcap: ").contains(message).contains("ringcap demo --help");
        assertThat(result.out()).isEmpty();
    }

    private static void requireTestNetwork() {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(),
            () -> "skipped: the demo's test network needs root: " + TestNetwork.whyUnavailable().orElse(""));
    }

    private static Set<String> ringcapNamespaces() throws IOException, InterruptedException {
        Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String listed = new String(ip.getInputStream().readAllBytes());
        assertThat(ip.waitFor()).isZero();
        return listed.lines().map(line -> line.split(" ")[0]).filter(name -> name.startsWith(TestNetwork.NAMESPACE_PREFIX))
            .collect(Collectors.toSet());
    }

    private static Set<String> demoFiles(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("ringcap-demo-"))
                .collect(Collectors.toSet());
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
