package io.ringcap.cli;

import io.ringcap.ring.RingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RingTailCommandTest {
    @TempDir
    Path directory;

    @Test
    void printsEveryRecordOfAClosedRingThenStops() {
        Path path = TestRings.closedRingWith(directory, 3);

        CommandResult result = CommandResult.execute("ring", "tail", path.toString(), "--from", "oldest");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
            2026-11-25T14:30:00.000000000Z seq=0 src=7 len=60/64 flags=- 00000000000000000000000000000000
            2026-11-25T14:30:00.001000000Z seq=1 src=7 len=60/64 flags=- 01010101010101010101010101010101
            2026-11-25T14:30:00.002000000Z seq=2 src=7 len=60/64 flags=- 02020202020202020202020202020202
            """);
        assertThat(result.err()).isEqualTo("-- 3 records printed, 0 lost in 0 laps\n");
    }

    @Test
    void stopsAfterCountAndPrintsTheAskedBytes() {
        Path path = TestRings.closedRingWith(directory, 10);

        CommandResult result = CommandResult.execute("ring", "tail", path.toString(), "--from=OLDEST", "--count", "2",
            "--bytes", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
            2026-11-25T14:30:00.000000000Z seq=0 src=7 len=60/64 flags=- 0000
            2026-11-25T14:30:00.001000000Z seq=1 src=7 len=60/64 flags=- 0101
            """);
    }

    @Test
    void waitsForRecordsTheWriterPublishesLater() throws Exception {
        Path path = TestRings.create(directory);
        try (RingWriter writer = TestRings.openWriter(path)) {
            CompletableFuture<CommandResult> tail = CompletableFuture.supplyAsync(
                () -> CommandResult.execute("ring", "tail", path.toString(), "--count", "2", "--bytes", "0"));
            while (!tail.isDone()) {
                TestRings.write(writer, 1);
                Thread.sleep(20);
            }

            CommandResult result = tail.get();

            assertThat(result.exitCode()).isZero();
            assertThat(result.out().lines()).hasSize(2).allMatch(line -> line.endsWith("len=60/64 flags=-"));
        }
    }

    @Test
    void closedRingFromNewestSaysThereIsNothingNew() {
        Path path = TestRings.closedRingWith(directory, 3);

        CommandResult result = CommandResult.execute("ring", "tail", path.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("use --from oldest to print what the ring holds");
    }

    @Test
    void reportsRecordsLostWhenTheWriterLapsTheReader() {
        Path path = TestRings.create(directory);
        RingWriter writer = TestRings.openWriter(path);
        TestRings.write(writer, 1);
        // After tail's first poll the writer goes round the 64 KiB ring about three times, then closes it.
        FirstFlushHook out = new FirstFlushHook(() -> {
            TestRings.write(writer, 2_000);
            writer.close();
        });

        CommandResult result = CommandResult.execute(out, "ring", "tail", path.toString(), "--from", "oldest",
            "--bytes", "0");

        assertThat(result.exitCode()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).contains(" seq=0 ");
        assertThat(lines[1]).matches("-- lost \\d+ records \\(\\d+ bytes\\): reader was lapped");
        long lost = Long.parseLong(lines[1].split(" ")[2]);
        assertThat(lost).isGreaterThan(1_000);
        assertThat(lines[2]).contains(" seq=" + (1 + lost) + " ");
        assertThat(lines[lines.length - 1]).contains(" seq=2000 ");
        assertThat(lines.length - 1).isEqualTo(2001 - lost);
        assertThat(result.err()).isEqualTo("-- " + (2001 - lost) + " records printed, " + lost + " lost in 1 laps\n");
    }

    @Test
    void reportsAWriterRestartWhereItHappened() {
        Path path = TestRings.create(directory);
        RingWriter first = TestRings.openWriter(path);
        TestRings.write(first, 1);
        FirstFlushHook out = new FirstFlushHook(() -> {
            first.close();
            try (RingWriter second = TestRings.openWriter(path)) {
                TestRings.write(second, 2);
            }
        });

        CommandResult result = CommandResult.execute(out, "ring", "tail", path.toString(), "--from", "oldest",
            "--bytes", "0");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).containsExactly(
            "2026-11-25T14:30:00.000000000Z seq=0 src=7 len=60/64 flags=-",
            "-- writer restarted: epoch 1 -> 2",
            "2026-11-25T14:30:00.001000000Z seq=1 src=7 len=60/64 flags=-",
            "2026-11-25T14:30:00.002000000Z seq=2 src=7 len=60/64 flags=-");
    }
}
