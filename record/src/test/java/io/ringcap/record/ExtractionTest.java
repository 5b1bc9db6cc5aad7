package io.ringcap.record;

import io.ringcap.pcap.PcapngWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractionTest {
    private static final long STEP_NANOS = 50_000;
    private static final int PACKETS = 20_000;

    @TempDir
    static Path shared;
    static Path recording;

    @TempDir
    Path dir;

    /** ~25 files of 256 KiB, each with several index entries (one per 10 ms = 200 packets). */
    @BeforeAll
    static void record() throws IOException {
        recording = shared.resolve("rec");
        try (TestRing ring = new TestRing(shared.resolve("r.ring"), 4 << 20, 60, 600, STEP_NANOS);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, recording).withRotation(256 << 10, 0),
                 e -> { })) {
            for (int i = 0; i < PACKETS / 1000; i++) {
                ring.write(1000);
                RecorderRoundTripTest.drain(recorder);
            }
        }
        assertThat(Recordings.files(recording)).hasSizeGreaterThan(20);
    }

    @Test
    void aRandomRangeAndGroupsEqualABruteForceFilterOfEveryFile() throws IOException {
        SplittableRandom random = new SplittableRandom(2026);
        List<Recordings.Packet> all = Recordings.readAll(recording);
        long first = TestRing.timestampOf(0, STEP_NANOS);
        long span = PACKETS * STEP_NANOS;
        for (int round = 0; round < 6; round++) {
            long from = first - span / 10 + random.nextLong(span);
            long to = from + random.nextLong(span / 3);
            long[] groups = round % 3 == 0 ? new long[0]
                : random.longs(1 + random.nextInt(2), 0, TestFrames.GROUPS.length).map(i -> TestFrames.GROUPS[(int) i]).toArray();
            Path out = dir.resolve("out-" + round + ".pcapng");
            List<String> messages = new ArrayList<>();
            Extraction.Result result = Extraction.run(recording, from, to, groups, out, messages::add);

            List<Recordings.Packet> expected = all.stream().filter(p -> p.timestampNanos() >= from && p.timestampNanos() < to
                && (groups.length == 0 || Arrays.stream(groups).anyMatch(g -> g == TestFrames.groupOf(p.sequence())))).toList();
            assertThat(Recordings.read(out).stream().map(Recordings.Packet::key).toList()).as("round %d", round)
                .isEqualTo(expected.stream().map(Recordings.Packet::key).toList());
            assertThat(result.packets()).isEqualTo(expected.size());
            assertThat(result.filesRead()).isLessThan(result.files());
            assertThat(result.scanned()).isZero();
            assertThat(messages).isEmpty();
        }
    }

    @Test
    void aLongExtractionSaysHowFarItGotFileByFile() throws IOException {
        Path out = dir.resolve("progress.pcapng");
        List<String> messages = new ArrayList<>();
        // Every packet past the interval (here none) brings a line; by default one comes once a second.
        Extraction.Result result = Extraction.run(recording, Long.MIN_VALUE, Long.MAX_VALUE, new long[0], out,
            messages::add, 0);
        assertThat(result.packets()).isEqualTo(PACKETS);
        assertThat(messages).hasSizeGreaterThanOrEqualTo(PACKETS);
        int files = Recordings.files(recording).size();
        assertThat(messages.getFirst()).startsWith("extract: file 1 of " + files + " (")
            .endsWith(" read, 1 packets written");
        assertThat(messages.getLast()).startsWith("extract: file " + files + " of " + files + " (")
            .endsWith(" read, " + PACKETS + " packets written");
    }

    @Test
    void readsOnlyTheFilesAndThePartOfAFileTheRangeNeeds() throws IOException {
        long from = TestRing.timestampOf(10_000, STEP_NANOS);
        long to = TestRing.timestampOf(10_050, STEP_NANOS);
        long total = Recordings.files(recording).stream().mapToLong(ExtractionTest::size).sum();
        Extraction.Result result = Extraction.run(recording, from, to, new long[0], dir.resolve("o.pcapng"), m -> { });
        assertThat(result.packets()).isEqualTo(50);
        assertThat(result.filesRead()).isBetween(1, 2);
        assertThat(result.bytesRead()).isLessThan(total / 20);
    }

    @Test
    void damagedStaleOrMissingIndexesAndForeignFilesAreScannedAndSaidSo() throws IOException {
        Path copy = dir.resolve("rec");
        Files.createDirectories(copy);
        try (var files = Files.list(recording)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        List<Path> recordings = Recordings.files(copy);
        Path corrupt = index(recordings.get(1));
        byte[] bytes = Files.readAllBytes(corrupt);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(corrupt, bytes);
        Path truncated = index(recordings.get(2));
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 40));
        Files.copy(index(recordings.get(4)), index(recordings.get(3)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(index(recordings.get(5)));
        Files.write(copy.resolve("garbage.pcapng"), "not a capture at all".getBytes());
        Files.write(copy.resolve("empty.idx"), new byte[0]);
        long foreignTime = TestRing.timestampOf(500, STEP_NANOS) + 1;
        writeForeignFile(copy.resolve("from-elsewhere.pcapng"), foreignTime);

        List<String> messages = new ArrayList<>();
        long from = TestRing.timestampOf(0, STEP_NANOS);
        long to = TestRing.timestampOf(PACKETS, STEP_NANOS);
        Extraction.Result result = Extraction.run(copy, from, to, new long[0], dir.resolve("o.pcapng"), messages::add);

        assertThat(messages.stream().collect(Collectors.joining("\n")))
            .contains("checksum does not match", "truncated or damaged", "is stale", "has no index: scanning it whole",
                "garbage.pcapng is not a valid capture file", "from-elsewhere.pcapng has no index");
        assertThat(result.scanned()).isEqualTo(6);
        List<Recordings.Packet> out = Recordings.read(dir.resolve("o.pcapng"));
        assertThat(out).hasSize(PACKETS + 1);
        assertThat(out).filteredOn(p -> p.timestampNanos() == foreignTime).hasSize(1);
    }

    @Test
    void anEmptyDirectoryOrAnInvertedRangeIsRefused() {
        assertThatThrownBy(() -> Extraction.run(dir, 0, 1, new long[0], dir.resolve("o.pcapng"), m -> { }))
            .isInstanceOf(RecordingException.class).hasMessageContaining("no capture files");
        assertThatThrownBy(() -> Extraction.run(recording, 2, 1, new long[0], dir.resolve("o.pcapng"), m -> { }))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static Path index(Path recording) {
        return recording.resolveSibling(RecordingName.index(recording.getFileName().toString()));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeForeignFile(Path path, long timestampNanos) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             PcapngWriter writer = new PcapngWriter(channel)) {
            MemorySegment frame = arena.allocate(100);
            TestFrames.fill(frame, 1_000_000, 100);
            writer.writeSectionHeader(null, null, "another tool", null);
            int id = writer.writeInterfaceDescription(1, 65535, "eth9", null, null);
            writer.writePacket(id, timestampNanos, frame, 0, 100, 100, 0);
        }
    }
}
