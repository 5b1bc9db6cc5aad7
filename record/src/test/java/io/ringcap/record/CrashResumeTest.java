package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorder in a child JVM is killed with SIGKILL twice while a writer keeps writing, and restarted each
 * time; the union of its files must hold every record exactly once.
 */
class CrashResumeTest {
    private static final int FRAMES_PER_MILLI = 40;
    private static final long WRITE_MILLIS = 6_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRecorderKilledTwiceAndRestartedLosesAndDuplicatesNothing() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path ringDir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "ringcap-crash") : dir;
        Path out = dir.resolve("out");
        try (TestRing ring = new TestRing(ringDir.resolve("crash.ring"), 128 << 20, 60, 300, 1_000)) {
            Process recorder = startRecorder(ring.path, out);
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = Thread.ofPlatform().start(() -> {
                long start = System.nanoTime();
                while (System.nanoTime() - start < WRITE_MILLIS * 1_000_000L) {
                    ring.write(FRAMES_PER_MILLI);
                    LockSupport.parkNanos(1_000_000L);
                }
                writing.set(false);
            });
            for (int kill = 0; kill < 2; kill++) {
                Thread.sleep(1_500 + kill * 700);
                recorder.destroyForcibly().waitFor();
                assertThat(recorder.exitValue()).isEqualTo(137);
                recorder = startRecorder(ring.path, out);
            }
            writer.join();
            assertThat(writing).isFalse();
            long written = ring.written();
            ring.close();
            assertThat(recorder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String last = new String(recorder.getInputStream().readAllBytes()).trim();
            assertThat(recorder.exitValue()).as(last).isZero();

            BitSet seen = new BitSet();
            long recorded = 0;
            long duplicates = 0;
            for (Path file : Recordings.files(out)) {
                for (Recordings.Packet packet : Recordings.read(file)) {
                    assertThat(packet.dropCount()).isEqualTo(-1);
                    int sequence = (int) packet.sequence();
                    duplicates += seen.get(sequence) ? 1 : 0;
                    seen.set(sequence);
                    recorded++;
                }
            }
            System.out.println("crash-resume: written " + written + ", recorded " + recorded + ", duplicated "
                + duplicates + ", files " + Recordings.files(out).size());
            System.out.println(Files.readString(dir.resolve("recorder.err")));
            assertThat(duplicates).isZero();
            assertThat(seen.cardinality()).isEqualTo((int) written);
            assertThat(recorded).isEqualTo(written);
        } finally {
            if (!ringDir.equals(dir)) {
                try (var files = Files.list(ringDir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(ringDir);
            }
        }
    }

    private Process startRecorder(Path ring, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
            System.getProperty("java.class.path"), RecorderProcess.class.getName(), ring.toString(), out.toString(),
            Long.toString(4 << 20))
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("recorder.err").toFile()))
            .start();
        processes.add(process);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()));
        assertThat(lines.readLine()).isEqualTo("ready");
        return process;
    }
}
