package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.capture.AfXdpConfig;
import io.ringcap.capture.XdpFilterTable;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.WriterStatus;
import io.ringcap.traffic.TestNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * `ringcap capture` as its own process, the way users run it: a status line a second on stderr (JSON with
 * --json), and SIGTERM stops it cleanly: a last line with every packet, the ring marked closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptureProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PACKETS = 2000;

    private TestNetwork network;
    private Path ring;
    private Path errors;

    @BeforeEach
    void createNetwork() throws IOException {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(),
            () -> "needs root for the test network: " + TestNetwork.whyUnavailable().orElse(""));
        network = TestNetwork.create();
        ring = Path.of("/dev/shm", "ringcap-capture-process-test-" + ProcessHandle.current().pid() + ".ring");
        errors = Files.createTempFile("ringcap-capture-process-test", ".err");
    }

    @AfterEach
    void deleteNetwork() throws IOException {
        if (network != null) {
            network.close();
            Files.deleteIfExists(ring);
            Files.deleteIfExists(errors);
        }
    }

    @Test
    void statusLinesEverySecondAndSigtermStopsItCleanlyWithEveryPacketCounted() throws Exception {
        Process capture = new ProcessBuilder(javaCommand("capture", "--netns", network.receiver().namespace(),
            "--iface", TestNetwork.RECEIVER_INTERFACE, "--source", "afpacket", "--group", "239.1.1.1:5000",
            "--ring", ring.toString(), "--size", "64m", "--idle", "park", "--json"))
            .redirectError(errors.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitLine(capture, "ringcap: capturing");
            sendThenStop(capture);
        } finally {
            capture.destroyForcibly();
        }

        List<JsonNode> lines = statusLines();
        assertThat(lines).as(Files.readString(errors)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.has("time")).isTrue();
            assertThat(line.get("pps").asLong()).isNotNegative();
            assertThat(line.get("drops").asLong()).isZero();
        });
        JsonNode last = lines.getLast();
        assertThat(last.get("stopped").asBoolean()).as("the last line says it stopped").isTrue();
        assertThat(Files.readString(errors)).as("root without --user is told how to drop its privileges")
            .contains("ringcap: warning: the capture keeps its capabilities while it runs: --user nobody");
        assertThat(last.get("captured").asLong()).isEqualTo(PACKETS);
        try (RingFile file = RingFile.openForReading(ring)) {
            assertThat(WriterStatus.of(file.header(), System.currentTimeMillis() * 1_000_000L, 1_000_000_000L))
                .as("the ring is marked closed").isEqualTo(WriterStatus.CLOSED);
            assertThat(file.header().recordsWritten()).isEqualTo(PACKETS);
        }
    }

    @Test
    void userGivesUpEveryCapabilityOfEveryThreadAndAfxdpStillCapturesAndCleansUp() throws Exception {
        Path classes = Files.createTempDirectory("ringcap-capture-process-test-classes");
        Path pin = AfXdpConfig.defaultPinDirectory(network.receiver().namespace(), TestNetwork.RECEIVER_INTERFACE)
            .resolve(XdpFilterTable.PIN_NAME);
        try {
            // Classes still load after the switch to nobody: from copies nobody may read (the build's may be
            // under root's home).
            Process capture = new ProcessBuilder(javaCommandWith(readableByAll(classes), "capture", "--netns",
                network.receiver().namespace(), "--iface", TestNetwork.RECEIVER_INTERFACE, "--source", "afxdp",
                "--group", "239.1.1.1:5000", "--ring", ring.toString(), "--size", "64m", "--idle", "park",
                "--umem-frames", "4096", "--user", "nobody", "--json"))
                .redirectError(errors.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                awaitLine(capture, "ringcap: capturing");
                List<String> threads = threadStatus(capture.pid());
                assertThat(threads).as("threads of the running capture").hasSizeGreaterThan(5).allSatisfy(status -> {
                    assertThat(status).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000");
                    assertThat(status).containsPattern("\\nUid:\\t65534\\t65534\\t65534\\t65534\\n");
                });
                assertThat(pin).as("the filter, pinned for ringcap filter").exists();

                sendThenStop(capture);
            } finally {
                capture.destroyForcibly();
            }
            JsonNode last = statusLines().getLast();
            assertThat(last.get("stopped").asBoolean()).as(Files.readString(errors)).isTrue();
            assertThat(last.get("captured").asLong()).isEqualTo(PACKETS);
            assertThat(pin).as("unpinned at stop by nobody").doesNotExist();
            assertThat(Files.readString(errors)).doesNotContain("keeps its capabilities");
        } finally {
            DemoCommand.deleteTree(classes);
            // The namespace's directory: nobody cannot remove root's directories, and it is this test's alone.
            DemoCommand.deleteTree(pin.getParent().getParent());
        }
    }

    @Test
    void udpCapturesWithoutAnyPrivilege() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "needs setpriv (util-linux) to run the capture as nobody");
        Path classes = Files.createTempDirectory("ringcap-capture-process-test-classes");
        try {
            // ip netns exec (root) enters the receiver's namespace, setpriv becomes nobody with no capability
            // at all, and only then does the JVM start: the capture never had a privilege to drop.
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", network.receiver().namespace(),
                setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all"));
            command.addAll(javaCommandWith(readableByAll(classes), "capture", "--iface",
                TestNetwork.RECEIVER_INTERFACE, "--group", "239.1.1.1:5000", "--ring", ring.toString(), "--size", "64m",
                "--idle", "park", "--json"));
            Process capture = new ProcessBuilder(command).redirectError(errors.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                awaitLine(capture, "ringcap: capturing");
                assertThat(Files.readString(errors)).as("auto, without privilege")
                    .contains("ringcap: source udp: no CAP_NET_RAW");
                // ip and setpriv exec what follows them: the process is the JVM.
                assertThat(threadStatus(capture.pid()))
                    .allSatisfy(status -> assertThat(status).contains("CapEff:\t0000000000000000")
                        .containsPattern("\\nUid:\\t65534\\t"));
                sendThenStop(capture);
            } finally {
                capture.destroyForcibly();
            }
            JsonNode last = statusLines().getLast();
            assertThat(last.get("captured").asLong()).as(Files.readString(errors)).isEqualTo(PACKETS);
        } finally {
            DemoCommand.deleteTree(classes);
        }
    }

    @Test
    void ringcapFilterFromAnotherProcessChangesWhatARunningAfxdpCaptureTakes() throws Exception {
        String namespace = network.receiver().namespace();
        Process capture = new ProcessBuilder(javaCommand("capture", "--netns", namespace, "--iface",
            TestNetwork.RECEIVER_INTERFACE, "--source", "afxdp", "--group", "239.1.1.1:5000", "--ring", ring.toString(),
            "--size", "64m", "--idle", "park", "--umem-frames", "4096", "--json"))
            .redirectError(errors.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitLine(capture, "ringcap: capturing");
            send("239.1.1.2:5001");
            awaitCaptured(0);

            CommandResult added = CommandResult.execute("filter", "add", "--netns", namespace, "--iface",
                TestNetwork.RECEIVER_INTERFACE, "239.1.1.2:5001");
            assertThat(added.exitCode()).as(added.err()).isZero();
            send("239.1.1.2:5001");
            awaitCaptured(PACKETS);

            CommandResult listed = CommandResult.execute("filter", "list", "--netns", namespace, "--iface",
                TestNetwork.RECEIVER_INTERFACE);
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).contains("239.1.1.1:5000").contains("239.1.1.2:5001");

            CommandResult deleted = CommandResult.execute("filter", "del", "--netns", namespace, "--iface",
                TestNetwork.RECEIVER_INTERFACE, "239.1.1.2:5001");
            assertThat(deleted.exitCode()).as(deleted.err()).isZero();
            send("239.1.1.2:5001");
            send("239.1.1.1:5000");
            awaitCaptured(2 * PACKETS);
            capture.destroy();
            assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        } finally {
            capture.destroyForcibly();
        }
        try (RingFile file = RingFile.openForReading(ring)) {
            assertThat(file.header().recordsWritten())
                .as("nothing before the rule, all while it was there, none after it went, then the group's")
                .isEqualTo(2 * PACKETS);
        }
    }

    private void send(String group) throws Exception {
        CommandResult sent = CommandResult.execute("generate", "--netns", network.sender().namespace(), "--iface",
            TestNetwork.SENDER_INTERFACE, "--group", group, "--size", "64", "--rate", "10k", "--count",
            String.valueOf(PACKETS));
        assertThat(sent.exitCode()).as(sent.err()).isZero();
    }

    /** Waits for a status line (one a second) after the last send, and checks it counts {@code packets}. */
    private void awaitCaptured(long packets) throws Exception {
        int before = statusLines().size();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (statusLines().size() < before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(statusLines().getLast().get("captured").asLong()).as(Files.readString(errors)).isEqualTo(packets);
    }

    /** Sends {@value #PACKETS} packets, waits for a status line that counts them all, then stops it with SIGTERM. */
    private void sendThenStop(Process capture) throws Exception {
        CommandResult sent = CommandResult.execute("generate", "--netns", network.sender().namespace(), "--iface",
            TestNetwork.SENDER_INTERFACE, "--group", "239.1.1.1:5000", "--size", "64", "--rate", "10k", "--count",
            String.valueOf(PACKETS));
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (statusLines().stream().noneMatch(line -> line.get("captured").asLong() == PACKETS)
            && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        capture.destroy();
        assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        // 128 + SIGTERM: a JVM stopped by a signal exits so, after its shutdown hooks (docs/operations.md).
        assertThat(capture.exitValue()).as(Files.readString(errors)).isEqualTo(143);
    }

    /** /proc/PID/task/TID/status of every thread of {@code pid}. */
    private static List<String> threadStatus(long pid) throws IOException {
        List<String> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                threads.add(Files.readString(task.resolve("status")));
            }
        }
        return threads;
    }

    /** This JVM's class path copied under {@code directory}, every file and directory readable by every user. */
    private static String readableByAll(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = directory.resolve(n++ + (Files.isDirectory(from) ? "" : ".jar"));
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path copy = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                    Files.setPosixFilePermissions(copy,
                        PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            entries.add(to.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The JSON status lines on stderr so far. */
    private List<JsonNode> statusLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
            if (line.startsWith("{") && line.contains("\"captured\"")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private void awaitLine(Process process, String text) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(errors).contains(text)) {
            assertThat(process.isAlive()).as(Files.readString(errors)).isTrue();
            assertThat(System.nanoTime()).as("'" + text + "' within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** This JVM's java running ringcap's command line with the test's class path. */
    private static List<String> javaCommand(String... args) {
        return javaCommandWith(System.getProperty("java.class.path"), args);
    }

    private static List<String> javaCommandWith(String classPath, String... args) {
        List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
            "-cp", classPath, "io.ringcap.cli.Ringcap"));
        command.addAll(List.of(args));
        return command;
    }
}
