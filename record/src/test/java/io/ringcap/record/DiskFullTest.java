package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Records into a 4 MiB tmpfs that fills up, is partly emptied, and fills again. */
class DiskFullTest {
    @TempDir
    Path dir;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFullDiskIsReportedCountedAndSurvivedAndLeavesOnlyReadableFiles() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: cannot mount a tmpfs");
        Path out = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", out.toString()) == 0, "mount -t tmpfs failed");
        mounted = out;

        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long written;
        RecorderStatus status;
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 32 << 20, 60, 600, 1_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withRotation(1 << 20, 0)
                 .withBufferBytes(128 << 10), events::add)) {
            Thread recording = Thread.ofPlatform().start(() -> recorder.run(() -> !stop.get()));
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int milli = 0; milli < 3_000; milli++) {
                    ring.write(20);
                    LockSupport.parkNanos(1_000_000L);
                }
            });
            await(() -> recorder.status().diskFailing());
            long before = recorder.status().packets();
            // An operator frees space: the oldest two recordings go.
            for (Path old : Recordings.files(out).subList(0, 2)) {
                Files.delete(old);
                Files.deleteIfExists(old.resolveSibling(RecordingName.index(old.getFileName().toString())));
            }
            await(() -> !recorder.status().diskFailing() && recorder.status().packets() > before);
            writer.join();
            long quiet = System.nanoTime();
            await(() -> System.nanoTime() - quiet > 300_000_000L);
            stop.set(true);
            recording.join();
            recorder.close();
            written = ring.written();
            status = recorder.status();
        }
        System.out.println("disk full: " + status + ", written " + written + "\n" + String.join("\n", events));
        assertThat(events).anyMatch(e -> e.contains("No space left on device"));
        assertThat(events).anyMatch(e -> e.contains("writing to " + out + " again"));
        assertThat(status.diskErrors()).isGreaterThanOrEqualTo(1);
        assertThat(status.lostToDisk()).isPositive();
        assertThat(status.packets() + status.lostToDisk() + status.lostToLaps()).isEqualTo(written);

        List<Path> files = Recordings.files(out);
        assertThat(files).isNotEmpty();
        try (var all = Files.list(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(RecordingName.PART_SUFFIX));
        }
        boolean gapMarked = false;
        for (Path file : files) {
            List<Recordings.Packet> packets = Recordings.read(file); // throws if a block is cut or damaged
            gapMarked |= packets.stream().anyMatch(p -> p.comments().stream().anyMatch(c -> c.contains("lost to disk")));
            if (Wireshark.installed()) {
                Wireshark.Run tshark = Wireshark.run("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.number");
                assertThat(tshark.exitCode()).as(file + ": " + tshark.err()).isZero();
                // tshark warns about running as root; any other word on stderr (e.g. "cut short") is a failure.
                assertThat(tshark.err().lines().filter(l -> !l.startsWith("Running as user"))).as(file.toString()).isEmpty();
                assertThat(tshark.out().lines().count()).isEqualTo(packets.size());
            }
        }
        assertThat(gapMarked).as("a packet after the gap carries the disk loss").isTrue();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }
}
