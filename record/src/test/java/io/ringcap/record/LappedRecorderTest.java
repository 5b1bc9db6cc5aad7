package io.ringcap.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LappedRecorderTest {
    @TempDir
    Path dir;

    @Test
    void aRecorderLappedByTheWriterMarksEachGapWithItsExactCount() throws IOException {
        Path out = dir.resolve("out");
        long written;
        RecorderStatus status;
        SplittableRandom random = new SplittableRandom(7);
        // A 64 KiB ring holds ~280 of these frames; bursts of up to 1500 lap a recorder that reads only
        // now and then, which is what a slow disk makes of it.
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 64 << 10, 200, 200, 1_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withRotation(256 << 10, 0), e -> { })) {
            for (int burst = 0; burst < 200; burst++) {
                ring.write(random.nextInt(1, 1500));
                for (int polls = random.nextInt(0, 3); polls > 0; polls--) {
                    recorder.doWork();
                }
            }
            RecorderRoundTripTest.drain(recorder);
            written = ring.written();
            status = recorder.status();
        }
        assertThat(status.lostToLaps()).isPositive();
        assertThat(status.packets() + status.lostToLaps()).isEqualTo(written);

        long recorded = 0;
        long marked = 0;
        long previous = -1;
        for (Path file : Recordings.files(out)) {
            long markedInFile = 0;
            for (Recordings.Packet packet : Recordings.read(file)) {
                long gap = packet.sequence() - previous - 1;
                if (gap == 0) {
                    assertThat(packet.dropCount()).isEqualTo(-1);
                } else {
                    assertThat(packet.dropCount()).isEqualTo(gap);
                    assertThat(packet.comments()).containsExactly("ringcap: reader lapped, " + gap + " packets lost");
                    markedInFile += gap;
                }
                previous = packet.sequence();
                recorded++;
            }
            List<Recordings.Statistics> statistics = Recordings.statistics(file);
            assertThat(statistics.stream().filter(s -> s.comment() != null && s.comment().contains("reader lapped")))
                .hasSize((int) Recordings.read(file).stream().filter(p -> p.dropCount() > 0).count());
            assertThat(statistics.getLast().osDropped()).isEqualTo(markedInFile);
            marked += markedInFile;
        }
        assertThat(recorded).isEqualTo(status.packets());
        assertThat(marked).isEqualTo(status.lostToLaps());
        assertThat(previous).isEqualTo(written - 1);
    }
}
