package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderOptions;
import io.ringcap.ring.ReaderStatusWriter;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drops provoked at every stage in turn: the source (counted as a capture would set them), a slow reader
 * lapped by the writer, and a recorder whose disk (a 256 KiB tmpfs) fills up. {@code ringcap status --json}
 * must state counts that add up: sent = captured + each stage's drops.
 */
class LossAccountingTest {
    private static final int SENT = 1000;
    private static final int SOURCE_DROPS = 50;

    @TempDir
    Path directory;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCountsOfEveryStageAddUp() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: cannot mount a tmpfs");
        Path disk = Files.createDirectory(directory.resolve("small"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString())
            .start().waitFor() == 0, "mount -t tmpfs failed");
        mounted = disk;
        Path ring = TestRings.create(directory);
        MemorySegment frame = Arena.ofAuto().allocate(1000);
        int captured = SENT - SOURCE_DROPS;

        try (RingWriter writer = TestRings.openWriter(ring);
             RingReader slow = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter slowStatus = ReaderStatusWriter.open(ring, slow.header(), "slow", false);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring, disk).withRotation(1 << 20, 0)
                 .withBufferBytes(128 << 10), event -> { })) {
            for (int i = 0; i < captured; i++) {
                writer.write(frame, 0, 1000, 1000, TestRings.FIRST_TIMESTAMP + i, 0, 0);
                if (i % 10 == 9) {
                    writer.publish();
                    recorder.doWork(); // keeps up: 10 KiB at a time in a 64 KiB ring
                }
            }
            writer.publish();
            writer.sourceCounters(captured, SOURCE_DROPS); // as a capture copies them from its source
            while (recorder.doWork() > 0) {
                // drain
            }
            slow.poll(record -> { }, Integer.MAX_VALUE); // far behind: lapped
            slowStatus.update(slow);
            Thread.sleep(ReaderStatusWriter.UPDATE_INTERVAL_NANOS / 1_000_000 + 50);
            recorder.doWork(); // its once-a-second announcement

            CommandResult result = CommandResult.execute("status", ring.toString(), "--json");
            assertThat(result.exitCode()).as(result.err()).isZero();
            JsonNode status = new ObjectMapper().readTree(result.out());
            System.out.println(result.out());

            long written = status.get("records_written").asLong();
            assertThat(written + status.get("source_drops").asLong()).as("source: sent = written + drops").isEqualTo(SENT);
            assertThat(status.get("source_received").asLong()).isEqualTo(written);

            JsonNode slowReader = reader(status, "slow");
            assertThat(slowReader.get("lapped").asBoolean()).isTrue();
            assertThat(slowReader.get("lost_records").asLong()).isPositive();
            assertThat(slowReader.get("delivered_records").asLong() + slowReader.get("lost_records").asLong())
                .as("slow reader: written = delivered + lost to laps").isEqualTo(written);

            JsonNode recorderReader = reader(status, "record");
            assertThat(recorderReader.get("lost_records").asLong()).isZero();
            long delivered = recorderReader.get("delivered_records").asLong();
            assertThat(delivered).isEqualTo(written);
            JsonNode disk1 = recorderReader.get("recorder");
            assertThat(disk1.get("lost_to_disk").asLong()).isPositive();
            assertThat(disk1.get("disk_errors").asLong()).isPositive();
            assertThat(disk1.get("packets_written").asLong() + disk1.get("lost_to_disk").asLong())
                .as("recorder: delivered = written to files + lost to disk").isEqualTo(delivered);
        }
    }

    private static JsonNode reader(JsonNode status, String name) {
        for (JsonNode reader : status.get("readers")) {
            if (name.equals(reader.path("name").asText())) {
                assertThat(reader.get("state").asText()).isEqualTo("alive");
                return reader;
            }
        }
        throw new AssertionError("no reader " + name + " in " + status.get("readers"));
    }
}
