package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interval fsync policy: data is forced, and the state vouches for it, within the interval. Recorded to a
 * tmpfs, where a force costs nothing, so the cadence is the recorder's own and not the disk's.
 */
class RecorderFsyncTest {
    @TempDir
    Path dir;

    private Path out;

    @BeforeEach
    void createOutput() throws IOException {
        out = Files.createTempDirectory(Path.of("/dev/shm"), "ringcap-fsync-test");
    }

    @AfterEach
    void deleteOutput() throws IOException {
        Recordings.deleteTree(out);
    }

    @Test
    void aFeedThatGoesQuietIsForcedAndVouchedForByTheStateOnceTheIntervalIsUp() throws Exception {
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 60, 200, 1_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withFsync(FsyncPolicy.parse("50ms")),
                 event -> { })) {
            // The first flush forces (nothing was forced yet); the second batch comes too soon after it for that.
            ring.write(1000);
            RecorderRoundTripTest.drain(recorder);
            ring.write(1000);
            RecorderRoundTripTest.drain(recorder);
            long deadline = System.nanoTime() + 2_000_000_000L;
            RecorderState state = RecorderState.read(out);
            // Nothing more arrives: only the interval can make the recorder force and persist the state again.
            while ((state == null || state.expectedSequence() != 2000) && System.nanoTime() < deadline) {
                recorder.doWork();
                Thread.sleep(1);
                state = RecorderState.read(out);
            }
            assertThat(state).isNotNull();
            assertThat(state.expectedSequence()).as("the state names every record, forced").isEqualTo(2000);
        }
    }

    @Test
    void anIntervalShorterThanTheRecordersOwnFlushIntervalIsKept() throws Exception {
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 4 << 20, 60, 200, 1_000);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring.path, out).withFsync(FsyncPolicy.parse("2ms")),
                 event -> { })) {
            // A steady feed (never idle): forced flushes must come every 2 ms or so, not every 20 ms as without a policy.
            long start = System.nanoTime();
            long lastSequence = -1;
            int persisted = 0;
            while (System.nanoTime() - start < 1_000_000_000L) {
                ring.write(20);
                recorder.doWork();
                RecorderState state = RecorderState.read(out);
                if (state != null && state.expectedSequence() != lastSequence) {
                    lastSequence = state.expectedSequence();
                    persisted++;
                }
            }
            // Seen here: 316-331 (a force every ~3 ms); at one a 20 ms, the recorder's own cadence, at most 50.
            assertThat(persisted).as("states persisted after a force in 1 s").isGreaterThan(100);
        }
    }
}
