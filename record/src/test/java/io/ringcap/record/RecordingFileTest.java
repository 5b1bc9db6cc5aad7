package io.ringcap.record;

import io.ringcap.linux.FileControl;
import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Frames are copied straight out of the ring: one the ring's writer overwrites meanwhile leaves no trace. */
class RecordingFileTest {
    /** The interface id of the file's one IDB, which describes ring source 0. */
    private static final int INTERFACE = 0;

    @TempDir
    Path dir;

    @Test
    void aFrameOverwrittenWhileCopiedIsNotWrittenNorItsGapMark() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        List<Boolean> written = new ArrayList<>();
        Path recording;
        // A 64 KiB ring holds ~60 of these frames: writing 100 more laps the record being copied.
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 64 << 10, 1000, 1000, 1_000);
             RingReader reader = RingReader.open(ring.path, RingReader.Start.OLDEST)) {
            RecordingFile file = RecordingFile.create(out, TestRing.BASE_NANOS, false, 128 << 10, 1000, "ring", "test",
                0);
            assertThat(file.describe(0)).isEqualTo(INTERFACE);
            ring.write(10);
            // Calls 0 and 1 write intact records, the first marking a gap; calls 2 and 3 find their record
            // overwritten while they copy it, with a gap to mark and without; call 4 writes the oldest record left.
            long[] dropCounts = {5, -1, 5, -1, -1};
            RecordHandler handler = record -> {
                int call = written.size();
                if (call == 2 || call == 3) {
                    ring.write(100);
                }
                written.add(write(file, record, dropCounts[call]));
            };
            for (int call = 0; call < dropCounts.length; call++) {
                reader.poll(handler, 1);
            }
            file.complete(0, false);
            recording = file.rename(false, false, e -> { });
        }
        assertThat(written).containsExactly(true, true, false, false, true);
        List<Recordings.Packet> packets = Recordings.read(recording);
        assertThat(packets).extracting(Recordings.Packet::sequence).startsWith(0L, 1L).hasSize(3);
        assertThat(packets.get(2).sequence()).as("lapped: the oldest record left").isGreaterThan(100);
        assertThat(packets).extracting(Recordings.Packet::dropCount).containsExactly(5L, -1L, -1L);
        assertThat(Recordings.statistics(recording)).extracting(Recordings.Statistics::comment)
            .as("a gap ISB only with the packet that carries the gap, then the final one")
            .containsExactly("gap", "ringcap: 3 packets recorded, 5 lost");
    }

    @Test
    void diskSpaceIsReservedAheadOfTheWritesAndGivenBackWhenTheFileIsCompletedOrRecovered() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path recording;
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 1 << 20, 200, 200, 1_000);
             RingReader reader = RingReader.open(ring.path, RingReader.Start.OLDEST)) {
            RecordingFile file = RecordingFile.create(out, TestRing.BASE_NANOS, false, 128 << 10, 1000, "ring", "test",
                0);
            assertThat(file.describe(0)).isEqualTo(INTERFACE);
            ring.write(1000);
            while (reader.poll(record -> write(file, record, -1), 100) > 0) { }
            file.flush();
            Path part = out.resolve(file.partName());
            assumeTrue(file.controlProblem() == null, () -> "no space reserved: " + file.controlProblem());
            assertThat(Files.size(part)).as("the size says what was written").isEqualTo(file.bytesWritten());
            assertThat(Recordings.allocatedBytes(part)).as("reserved a step ahead")
                .isGreaterThanOrEqualTo(FileOutput.RESERVATION_STEP);
            file.complete(0, false);
            recording = file.rename(false, false, e -> { });
        }
        assertThat(Recordings.allocatedBytes(recording)).as("completed: the space not written is given back")
            .isLessThan(Files.size(recording) + (1 << 20));
        assertThat(Recordings.read(recording)).hasSize(1000);

        // As a killed recorder leaves it: a part file with space reserved past its end.
        String partName = RecordingName.part(RecordingName.of(TestRing.BASE_NANOS + 1, 1));
        Path part = out.resolve(partName);
        Files.copy(recording, part);
        try (FileControl space = FileControl.open(part)) {
            space.reserve(Files.size(part), FileOutput.RESERVATION_STEP);
        }
        assertThat(Recordings.allocatedBytes(part)).isGreaterThanOrEqualTo(FileOutput.RESERVATION_STEP);
        Path recovered = RecordingFile.recover(out, partName, Files.size(part), false, e -> { });
        assertThat(Recordings.allocatedBytes(recovered)).as("recovered: the space not written is given back")
            .isLessThan(Files.size(recovered) + (1 << 20));
        assertThat(Recordings.read(recovered)).hasSize(1000);
    }

    private static boolean write(RecordingFile file, RingRecord record, long dropCount) {
        try {
            return file.writePacket(record, record.timestampNanos(), record.capturedLength(), INTERFACE, dropCount,
                dropCount < 0 ? null : "gap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
