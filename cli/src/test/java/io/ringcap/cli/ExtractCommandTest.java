package io.ringcap.cli;

import io.ringcap.pcap.PacketReader;
import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** `ringcap extract` from the command line: RFC 3339 times with nanoseconds and offsets, and bad input. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExtractCommandTest {
    @TempDir
    Path directory;

    private Path recordings;

    /** 300 frames 1 ms apart from 2026-11-25T14:30:00Z, recorded. */
    @BeforeEach
    void record() throws IOException {
        Path ring = TestRings.closedRingWith(directory, 300);
        recordings = directory.resolve("recordings");
        try (Recorder recorder = Recorder.open(RecorderOptions.of(ring, recordings), line -> { })) {
            while (recorder.doWork() > 0) {
                // reads the whole ring
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-25T14:30:00.100000000Z, 2026-11-25T14:30:00.200000000Z, 100, 100",
        "2026-11-25T15:30:00.1+01:00, 2026-11-25T09:30:00.2-05:00, 100, 100",
        "2026-11-25T14:30:00.099999999Z, 2026-11-25T14:30:00.100000001Z, 100, 1",
        "2026-11-25T14:29:00Z, 2026-11-25T14:31:00Z, 0, 300"})
    void extractsThePacketsFromTheStartTimeUpToTheEndTime(String from, String to, long firstMillis, int count)
        throws IOException {
        Path output = directory.resolve("out.pcapng");
        CommandResult result = CommandResult.execute("extract", "--dir", recordings.toString(), "--from", from, "--to",
            to, "-o", output.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("ringcap extract: " + count + " packets into " + output);
        List<Long> timestamps = timestamps(output);
        assertThat(timestamps).hasSize(count);
        assertThat(timestamps.getFirst()).isEqualTo(TestRings.FIRST_TIMESTAMP + firstMillis * TestRings.TIMESTAMP_STEP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--from|yesterday|--from 'yesterday' is not an RFC 3339 UTC time",
        "--to|2026-11-25 14:30|--to '2026-11-25 14:30' is not an RFC 3339 UTC time",
        "--from|2026-13-01T00:00:00Z|--from '2026-13-01T00:00:00Z' is not an RFC 3339 UTC time"})
    void aTimeThatIsNotRfc3339IsAUsageError(String option, String value, String expected) {
        List<String> args = new ArrayList<>(List.of("extract", "--dir", recordings.toString(), "--from",
            "2026-11-25T14:30:00Z", "--to", "2026-11-25T14:31:00Z", "-o", directory.resolve("out.pcapng").toString()));
        args.set(args.indexOf(option) + 1, value);
        CommandResult result = CommandResult.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(expected);
        assertThat(Files.exists(directory.resolve("out.pcapng"))).isFalse();
    }

    @Test
    void aDirectoryWithoutCaptureFilesIsAUsageError() throws IOException {
        Path empty = Files.createDirectory(directory.resolve("empty"));
        CommandResult result = CommandResult.execute("extract", "--dir", empty.toString(), "--from",
            "2026-11-25T14:30:00Z", "--to", "2026-11-25T14:31:00Z", "-o", directory.resolve("out.pcapng").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("holds no capture files");
    }

    private static List<Long> timestamps(Path file) throws IOException {
        List<Long> timestamps = new ArrayList<>();
        try (PacketReader reader = PacketReader.open(file)) {
            while (reader.next()) {
                timestamps.add(reader.packet().timestampNanos());
            }
        }
        return timestamps;
    }
}
