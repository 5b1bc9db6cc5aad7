package io.ringcap.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer JVM writes flat out into a 1 MiB ring, so laps happen constantly; three reader JVMs read it:
 * one fast, one slow, one killed with SIGKILL mid-run and restarted. Every reader must get only intact
 * records in strictly increasing order, and delivered + reported lost must equal what was written in
 * its window, exactly.
 */
class CrossProcessStressTest {
    private static final long WRITE_MILLIS = 12_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersInOtherProcessesGetEveryRecordIntactOrAnExactLossCount() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path ring = (Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "ringcap-stress") : dir)
            .resolve("stress.ring");
        try {
            RingFile.create(ring, 1 << 20, true).close();
            Process fast = startReader(ring, "fast", "OLDEST");
            Process slow = startReader(ring, "slow", "OLDEST");
            Process victim = startReader(ring, "victim", "OLDEST");
            awaitReady("fast", "slow", "victim");

            Process writer = start(StressWriter.class, ring.toString(), Long.toString(WRITE_MILLIS),
                dir.resolve("writer").toString(), "12345");
            Thread.sleep(WRITE_MILLIS / 3);
            victim.destroyForcibly().waitFor();
            assertThat(victim.exitValue()).isEqualTo(137);
            Process restarted = startReader(ring, "restarted", "NEWEST");

            assertThat(writer.waitFor(WRITE_MILLIS + 60_000, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(writer.exitValue()).isZero();
            for (Process reader : List.of(fast, slow, restarted)) {
                assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(reader.exitValue()).isZero();
            }

            long written = result("writer").get("written");
            System.out.printf("stress: ring 1 MiB, writer %d records in %d ms%n", written, WRITE_MILLIS);
            assertThat(written).isGreaterThan(10_000);
            for (String name : List.of("fast", "slow", "restarted")) {
                Map<String, Long> r = result(name);
                System.out.printf("stress: %-9s delivered %d, lost %d, laps %d, first %d, last %d, torn %d%n", name,
                    r.get("delivered"), r.get("lost"), r.get("laps"), r.get("first"), r.get("last"), r.get("torn"));
                assertThat(r.get("torn")).as(name + " torn records delivered").isZero();
                assertThat(r.get("outOfOrder")).as(name + " records out of order").isZero();
                assertThat(r.get("last")).as(name + " last sequence").isEqualTo(written - 1);
                assertThat(r.get("delivered")).isEqualTo(r.get("readerDelivered"));
                assertThat(r.get("lost")).isEqualTo(r.get("readerLost"));
                long window = name.equals("restarted") ? written - r.get("first") : written;
                assertThat(r.get("delivered") + r.get("lost")).as(name + " delivered + lost").isEqualTo(window);
                assertThat(r.get("delivered")).as(name + " delivered").isPositive();
            }
            assertThat(result("slow").get("laps")).as("the slow reader was lapped").isPositive();
        } finally {
            Files.deleteIfExists(ring);
            if (!ring.getParent().equals(dir)) {
                Files.deleteIfExists(ring.getParent());
            }
        }
    }

    private Process startReader(Path ring, String name, String start) throws IOException {
        return start(StressReader.class, ring.toString(), name.equals("slow") ? "slow" : "fast",
            dir.resolve(name).toString(), start);
    }

    private Process start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve(main.getSimpleName() + "-" + processes.size() + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private void awaitReady(String... names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String name : names) {
            while (!Files.exists(dir.resolve(name + ".ready"))) {
                assertThat(System.nanoTime()).as("reader " + name + " ready").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private Map<String, Long> result(String name) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String pair : Files.readString(dir.resolve(name)).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }
}
