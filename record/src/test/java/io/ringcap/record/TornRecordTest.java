package io.ringcap.record;

import io.ringcap.pcap.PacketReader;
import io.ringcap.ring.RingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder checks a record only once, after copying its frame, on the common path; a record the ring's writer
 * overwrote meanwhile may carry any timestamp and source id, and those must not act before a check.
 */
class TornRecordTest {
    @TempDir
    Path dir;

    @Test
    void aRecordOverwrittenBeforeItIsCheckedNeitherRotatesNorDescribesASourceNorIsWritten() throws IOException {
        Path out = dir.resolve("out");
        RecorderStatus status;
        // Rotation by time, at a length no clock reaches while the test runs: the ring's timestamps are of a fixed
        // day, and a quiet recorder completes its file on time by the clock.
        long rotateNanos = 1_000L * 24 * 3600 * 1_000_000_000L;
        // A 64 KiB ring holds ~280 of these frames: writing 1,000 more overwrites the record being handled.
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 64 << 10, 200, 200, 1_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withRotation(0, rotateNanos),
                 e -> { });
             RingReader reader = RingReader.open(ring.path, RingReader.Start.OLDEST)) {
            ring.write(10);
            RecorderRoundTripTest.drain(recorder);
            assertThat(reader.poll(record -> {
                ring.write(1_000);
                // As torn fields could read: past the rotation, and from a source never seen.
                recorder.accept(record, TestRing.BASE_NANOS + 2 * rotateNanos, 200, 7);
            }, 1)).as("the reader finds the record overwritten too").isZero();
            status = recorder.status();
        }
        assertThat(status.packets()).isEqualTo(10);
        assertThat(status.files()).as("no rotation while recording").isZero();
        assertThat(status.lostToDisk()).isZero();
        List<Path> files = Recordings.files(out);
        assertThat(files).hasSize(1);
        assertThat(Recordings.read(files.getFirst())).hasSize(10);
        try (PacketReader file = PacketReader.open(files.getFirst())) {
            while (file.next()) {
                // read every block, so that every IDB is seen
            }
            assertThat(file.interfaces()).as("only ring source 0 described").hasSize(1);
        }
    }
}
