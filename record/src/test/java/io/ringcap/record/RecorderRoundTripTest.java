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

    @Test
    void eachFilesIndexListsItsFlowsWithPacketsBytesAndFirstAndLastTimes() throws IOException {
        Path out = outputDirectory(false);
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 60, 1500, 1_001);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withRotation(1 << 20, 0), e -> { })) {
            ring.write(3000);
            drain(recorder);
        }
        List<Path> files = Recordings.files(out);
        assertThat(files).hasSizeGreaterThan(1);
        for (Path file : files) {
            // What the file holds, per destination: packets, bytes, first and last time.
            java.util.Map<Long, List<Long>> expected = new java.util.HashMap<>();
            for (Recordings.Packet packet : Recordings.read(file)) {
                long destination = UdpDestination.of(java.lang.foreign.MemorySegment.ofArray(packet.data()), 0,
                    packet.data().length);
                if (destination == UdpDestination.NONE) {
                    continue;
                }
                List<Long> flow = expected.computeIfAbsent(destination,
                    d -> new ArrayList<>(List.of(0L, 0L, Long.MAX_VALUE, Long.MIN_VALUE)));
                flow.set(0, flow.get(0) + 1);
                flow.set(1, flow.get(1) + packet.data().length);
                flow.set(2, Math.min(flow.get(2), packet.timestampNanos()));
                flow.set(3, Math.max(flow.get(3), packet.timestampNanos()));
            }
            RecordingIndex index = RecordingIndex.read(out.resolve(RecordingName.index(file.getFileName().toString())));
            java.util.Map<Long, List<Long>> listed = new java.util.HashMap<>();
            for (int i = 0; i < index.flows(); i++) {
                listed.put(index.flowDestination(i), List.of(index.flowPackets(i), index.flowBytes(i),
                    index.flowFirstNanos(i), index.flowLastNanos(i)));
            }
            assertThat(listed).as(file.getFileName().toString()).hasSize(TestFrames.GROUPS.length)
                .isEqualTo(expected);
        }
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

    @Test
    void withASizeAndATimeAFileEndsAtWhicheverComesFirst() throws IOException {
        Path out = dir.resolve("out");
        long rotateBytes = 80 << 10;
        long rotateNanos = Durations.parseNanos("100ms");
        // Frames of 60 to 1500 bytes 1 ms apart: 100 ms of them is about 80 KiB, so either limit can come first.
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 60, 1500, 1_000_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withRotation(rotateBytes, rotateNanos),
                 e -> { })) {
            ring.write(2000);
            drain(recorder);
        }
        List<Path> files = Recordings.files(out);
        int bySize = 0;
        int byTime = 0;
        long recorded = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long start = RecordingName.startNanos(file.getFileName().toString()).getAsLong();
            List<Recordings.Packet> packets = Recordings.read(file);
            recorded += packets.size();
            assertThat(packets.getLast().timestampNanos() - start).as(file.getFileName().toString())
                .isLessThan(rotateNanos);
            // A file ends before the packet that would have taken it past a limit: its last block may cross it.
            assertThat(Files.size(file)).isLessThan(rotateBytes + 2000);
            if (i < files.size() - 1) {
                long next = RecordingName.startNanos(files.get(i + 1).getFileName().toString()).getAsLong();
                if (Files.size(file) >= rotateBytes) {
                    bySize++;
                } else {
                    assertThat(next - start).as("ended by time").isGreaterThanOrEqualTo(rotateNanos);
                    byTime++;
                }
            }
        }
        assertThat(recorded).isEqualTo(2000);
        assertThat(bySize).as("files ended by size").isPositive();
        assertThat(byTime).as("files ended by time").isPositive();
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
