package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static io.ringcap.cli.TestRings.FIRST_TIMESTAMP;
import static io.ringcap.cli.TestRings.TIMESTAMP_STEP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class StatusCommandTest {
    @TempDir
    Path directory;

    @Test
    void newRingHasNeverStartedWriterAndEmptyWindow() {
        Path path = TestRings.create(directory);

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
            .contains("ring       " + path)
            .contains("format     version 1, 64 KiB of records in 4 KiB pages")
            .contains("writer     never started")
            .contains("fill       0.0% (0 B of 64 KiB)")
            .contains("window     empty: no record in the ring")
            .contains("written    0 records");
    }

    @Test
    void liveWriterIsAliveAndItsRecordsMakeTheWindow() throws Exception {
        Path path = TestRings.create(directory);
        try (RingWriter writer = TestRings.openWriter(path)) {
            TestRings.write(writer, 5);
            writer.sourceCounters(1000, 3);
            writer.interfaceCounters(1500, 7);
            writer.heartbeat(System.currentTimeMillis() * 1_000_000L);

            CommandResult result = CommandResult.execute("status", path.toString());
            JsonNode json = new ObjectMapper().readTree(CommandResult.execute("status", path.toString(), "--json").out());

            assertThat(result.exitCode()).isZero();
            assertThat(result.out())
                .contains("writer     alive: pid " + ProcessHandle.current().pid() + ", heartbeat ")
                .contains("epoch 1")
                .contains("source     udp 239.1.1.1:5000 test")
                .contains("timestamps kernel")
                .contains("window     2026-11-25T14:30:00.000000000Z to 2026-11-25T14:30:00.004000000Z: 4.000 ms, 5 records")
                .contains("written    5 records, 300 B of frames (0 truncated)")
                .contains("interface  received 1500, dropped by driver or NIC 7 since the capture started")
                .contains("at source  received 1000, dropped 3 (0.300%)");
            assertThat(json.get("interface_received").asLong()).isEqualTo(1500);
            assertThat(json.get("interface_drops").asLong()).isEqualTo(7);
        }
    }

    @Test
    void closedWriterIsReportedClosed() {
        Path path = TestRings.closedRingWith(directory, 2);

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.out()).contains("writer     closed: the last writer (pid " + ProcessHandle.current().pid());
    }

    @Test
    void jsonHasStableSnakeCaseFields() throws Exception {
        Path path = TestRings.closedRingWith(directory, 3);

        CommandResult result = CommandResult.execute("status", path.toString(), "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("path").asText()).isEqualTo(path.toString());
        assertThat(json.get("format_version").asInt()).isEqualTo(RingDescriptor.FORMAT_VERSION);
        assertThat(json.get("capacity_bytes").asLong()).isEqualTo(TestRings.CAPACITY);
        assertThat(json.get("page_size_bytes").asInt()).isEqualTo(4096);
        assertThat(json.get("file_bytes").asLong()).isEqualTo(Files.size(path));
        assertThat(json.get("epoch").asLong()).isEqualTo(1);
        assertThat(json.get("writer").get("status").asText()).isEqualTo("closed");
        assertThat(json.get("writer").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.get("timestamp_source").asText()).isEqualTo("kernel");
        assertThat(json.get("source_description").asText()).isEqualTo("udp 239.1.1.1:5000 test");
        assertThat(json.get("records_written").asLong()).isEqualTo(3);
        assertThat(json.get("interface_received").isNull()).as("a writer that never reported interface counters")
            .isTrue();
        assertThat(json.get("bytes_written").asLong()).isEqualTo(180);
        assertThat(json.get("fill_bytes").asLong()).isEqualTo(json.get("tail").asLong()).isEqualTo(3 * 96);
        assertThat(json.get("fill_ratio").asDouble()).isEqualTo(3 * 96 / (double) TestRings.CAPACITY);
        JsonNode window = json.get("window");
        assertThat(window.get("oldest_nanos").asLong()).isEqualTo(FIRST_TIMESTAMP);
        assertThat(window.get("newest_nanos").asLong()).isEqualTo(FIRST_TIMESTAMP + 2 * TIMESTAMP_STEP);
        assertThat(window.get("duration_nanos").asLong()).isEqualTo(2 * TIMESTAMP_STEP);
        assertThat(window.get("oldest_at").asText()).isEqualTo("2026-11-25T14:30:00.000000000Z");
        assertThat(window.get("records").asLong()).isEqualTo(3);
        assertThat(json.fieldNames()).toIterable().allMatch(name -> name.matches("[a-z_]+"));
    }

    @Test
    void jsonOfANewRingHasNullsNotMissingFields() throws Exception {
        Path path = TestRings.create(directory);

        JsonNode json = new ObjectMapper().readTree(CommandResult.execute("status", "--json", path.toString()).out());

        assertThat(json.get("writer").get("status").asText()).isEqualTo("never_started");
        assertThat(json.get("writer").get("pid").isNull()).isTrue();
        assertThat(json.get("window").isNull()).isTrue();
    }

    @Test
    void windowOfAWrappedRingStartsAtTheOldestRecordStillThere() {
        Path path = TestRings.create(directory);
        try (RingWriter writer = TestRings.openWriter(path)) {
            TestRings.write(writer, 5_000); // 96-byte records: about 7 laps of a 64 KiB ring
        }

        CommandResult result = CommandResult.execute("status", path.toString(), "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"fill_ratio\" : 1.0").contains("\"newest_sequence\" : 4999");
        assertThat(result.out()).containsPattern("\"oldest_sequence\" : 4[0-9]{3},");
    }

    @Test
    void fileThatIsNotARingFails() throws Exception {
        Path path = directory.resolve("notes.txt");
        Files.write(path, new byte[8192]);

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("ringcap: " + path + " is not a ring: it does not start with the ring magic \"RINGCAP\"\n");
    }

    @Test
    void ringOfAnotherFormatVersionFails() throws Exception {
        Path path = TestRings.create(directory);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99), RingDescriptor.VERSION_OFFSET);
        }

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: ring " + path + " has format version 99 but this ringcap reads version 1");
    }

    @Test
    void truncatedRingFails() throws Exception {
        Path path = TestRings.create(directory);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: ring " + path + " is truncated or damaged").hasLineCount(1);
    }

    @Test
    void ringWhoseRecordsAreZeroedFailsAsDamaged() throws Exception {
        Path path = TestRings.closedRingWith(directory, 10);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) TestRings.CAPACITY), RingDescriptor.dataOffset(TestRings.CAPACITY, 4096));
        }

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: ring " + path + " holds a damaged record at position 0")
            .endsWith("recreate the ring\n").hasLineCount(1);
    }

    @Test
    void ringZeroedFromTheMiddleOnEndsItsWindowAtTheLastRecordBeforeTheDamage() throws Exception {
        Path path = TestRings.closedRingWith(directory, 500); // 96-byte records up to position 48,000
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(16 * 1024), RingDescriptor.dataOffset(TestRings.CAPACITY, 4096) + 32 * 1024);
        }

        // The walk to the newest record used to meet a length of 0 there and stay on it for ever.
        CommandResult result = assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> CommandResult.execute("status", path.toString(), "--json"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"oldest_sequence\" : 0,").contains("\"newest_sequence\" : 341");
    }

    @Test
    void missingRingFailsWithHowToCreateOne() {
        Path path = directory.resolve("missing.ring");

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("ringcap: no ring at " + path + ": create one with 'ringcap ring create "
            + path + " --size 1g'\n");
    }

    @Test
    void unreadableRingFails() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads a mode-000 file: nothing to refuse");
        Path path = TestRings.create(directory);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));

        CommandResult result = CommandResult.execute("status", path.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: cannot open ring " + path + " for reading: permission denied");
    }

    @Test
    void aTruncatedReaderStatusFileIsReportedUnreadableWithoutHidingTheRing() throws Exception {
        Path path = TestRings.closedRingWith(directory, 1);
        Path readers = Files.createDirectories(io.ringcap.ring.ReaderStatusDescriptor.directory(path));
        Files.write(readers.resolve("record-12.status"), new byte[] {1, 2, 3});

        CommandResult human = CommandResult.execute("status", path.toString());
        CommandResult json = CommandResult.execute("status", path.toString(), "--json");

        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("reader     record-12.status unreadable: it has 3 bytes, a reader status file has 256");
        JsonNode reader = new ObjectMapper().readTree(json.out()).get("readers").get(0);
        assertThat(reader.get("state").asText()).isEqualTo("corrupt");
        assertThat(reader.get("problem").asText()).startsWith("it has 3 bytes");
    }
}
