package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RecorderRoundTripTest {
    @TempDir
    Path dir;

    private Path onDisk;

    /** Polls until the recorder has read everything published. */
    static void drain(Recorder recorder) {
        while (recorder.doWork() > 0) {
            // keep going
        }
    }

    /** Where recordings go: a disk for O_DIRECT, which a tmpfs (as {@link #dir} may be) refuses. */
    private Path outputDirectory(boolean direct) throws IOException {
        if (!direct) {
            return dir.resolve("out");
        }
        onDisk = Recordings.directIoDirectory();
        return onDisk.resolve("out");
    }

    @AfterEach
    void deleteOnDisk() throws IOException {
        Recordings.deleteTree(onDisk);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {false, true})
    void everyPacketComesBackByteForByteWithItsNanosecondTimestamp(boolean direct) throws IOException {
        Path out = outputDirectory(direct);
        List<String> events = new ArrayList<>();
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 60, 1500, 1_001)) {
            try (Recorder recorder = Recorder.open(
                RecorderOptions.of(ring.path, out).withRotation(1 << 20, 0).withDirect(direct), events::add)) {
                for (int round = 0; round < 20; round++) {
                    ring.write(1000);
                    drain(recorder);
                }
                assertThat(recorder.status().packets()).isEqualTo(20_000);
            }
            List<Recordings.Packet> packets = Recordings.readAll(out);
            assertThat(packets).hasSize(20_000);
            byte[] expected = new byte[1500];
            var expectedSegment = java.lang.foreign.MemorySegment.ofArray(expected);
            java.util.SplittableRandom lengths = new java.util.SplittableRandom(42);
            for (int i = 0; i < packets.size(); i++) {
                int length = lengths.nextInt(60, 1501);
                TestFrames.fill(expectedSegment, i, length);
                assertThat(packets.get(i).timestampNanos()).isEqualTo(ring.timestampOf(i));
                assertThat(packets.get(i).data()).isEqualTo(java.util.Arrays.copyOf(expected, length));
                assertThat(packets.get(i).dropCount()).isEqualTo(-1);
            }
        }
        List<Path> files = Recordings.files(out);
        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThan((1 << 20) + 2000);
            assertThat(out.resolve(RecordingName.index(file.getFileName().toString()))).exists();
            assertThat(RecordingName.startNanos(file.getFileName().toString()))
                .hasValue(Recordings.read(file).getFirst().timestampNanos());
        }
        try (Stream<Path> all = Files.list(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(RecordingName.PART_SUFFIX));
        }
        assertThat(events).isEmpty();
    }

    @Test
    void filesRotateByPacketTimeAndAreNamedForTheirFirstPacket() throws IOException {
        Path out = dir.resolve("out");
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 1 << 20, 60, 60, 1_000_000)) {
            try (Recorder recorder = Recorder.open(
                RecorderOptions.of(ring.path, out).withRotation(0, Durations.parseNanos("100ms")), e -> { })) {
                ring.write(1000);
                drain(recorder);
            }
        }
        List<Path> files = Recordings.files(out);
        assertThat(files).hasSize(10);
        for (Path file : files) {
            OptionalLong start = RecordingName.startNanos(file.getFileName().toString());
            List<Recordings.Packet> packets = Recordings.read(file);
            assertThat(packets).hasSize(100);
            assertThat(packets).allSatisfy(p -> assertThat(p.timestampNanos() - start.getAsLong())
                .isBetween(0L, 99_999_999L));
        }
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {false, true})
    void aStoppedRecorderResumesWhereItStoppedWithoutDuplicates(boolean direct) throws IOException {
        Path out = outputDirectory(direct);
        RecorderOptions options = RecorderOptions.of(dir.resolve("r.ring"), out).withDirect(direct);
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 100, 100, 1_000)) {
            for (int run = 0; run < 3; run++) {
                try (Recorder recorder = Recorder.open(options, e -> { })) {
                    ring.write(3000);
                    drain(recorder);
                }
                ring.write(500); // written while no recorder runs
            }
            try (Recorder recorder = Recorder.open(options, e -> { })) {
                drain(recorder);
            }
        }
        List<Recordings.Packet> packets = Recordings.readAll(out);
        assertThat(packets).extracting(Recordings.Packet::sequence)
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 10_500).boxed().toList());
    }
}
