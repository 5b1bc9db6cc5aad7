package io.ringcap.cli;

import io.ringcap.ring.ReaderStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReaderReportTest {
    private static final long RING_CREATED = 1_795_617_000_000_000_000L;

    @Test
    void aRecorderStatesWhatItWroteAndHowManyFilesItCompleted() {
        String line = ReaderReport.line(recorder(0), 4096, RING_CREATED);

        assertThat(line).startsWith("record pid 4242 alive LAPPED: delivered 990, lost 7 in 2 laps, 2 KiB behind")
            .contains("; wrote 990 (100 KiB), 0 files completed, 3 lost to disk (1 disk errors)");
    }

    @Test
    void oneCompletedFileIsSingular() {
        assertThat(ReaderReport.line(recorder(1), 4096, RING_CREATED)).contains("1 file completed,");
        assertThat(ReaderReport.line(recorder(2), 4096, RING_CREATED)).contains("2 files completed,");
    }

    @Test
    void aStatusLeftByAnEarlierRingAtThePathSaysSo() {
        assertThat(ReaderReport.line(recorder(1), 4096, RING_CREATED + 1))
            .contains("(of an earlier ring at this path)").doesNotContain("behind");
    }

    private static ReaderStatus recorder(long filesCompleted) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return new ReaderStatus(Path.of("/dev/shm/x.ring.readers/record-4242.status"), ReaderStatus.State.ALIVE, "",
            "record", 4242, now - 1_000_000_000L, now, RING_CREATED, 2048, 990, 99_000, 7, 700, 2, true, 990,
            102_400, filesCompleted, 3, 1);
    }
}
