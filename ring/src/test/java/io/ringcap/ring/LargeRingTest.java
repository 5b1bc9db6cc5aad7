package io.ringcap.ring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An 8 GiB ring, written and read back across the 2 GiB and 4 GiB boundaries of positions and offsets. */
class LargeRingTest {
    private static final long CAPACITY = 8L << 30;
    private static final long WRITE_UP_TO = (4L << 30) + (256L << 20);

    @Test
    void recordsCrossThe2GiBAnd4GiBBoundariesIntact() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() > WRITE_UP_TO + (1L << 30),
            "needs /dev/shm with more than 5.3 GiB free for a sparse 8 GiB ring");
        Path dir = Files.createTempDirectory(shm, "ringcap-large");
        Path path = dir.resolve("large.ring");
        try {
            RingFile.create(path, CAPACITY, false).close();
            MemorySegment frame = Arena.ofAuto().allocate(1 << 20, 8);
            long written = 0;
            List<Long> boundaryCrossers = new ArrayList<>();
            try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "large");
                 RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
                int length = writer.maxCapturedLength() - 1000;
                while (writer.position() < WRITE_UP_TO) {
                    long start = writer.position();
                    TestFrames.fill(frame, written, length);
                    writer.write(frame, 0, length, length, written, 0, 0);
                    long end = writer.position();
                    if (start < (2L << 30) && end > (2L << 30) || start < (4L << 30) && end > (4L << 30)) {
                        boundaryCrossers.add(written);
                    }
                    written++;
                    writer.publish();
                }
                assertThat(boundaryCrossers).hasSize(2);
                long[] checked = {0, 0};
                reader.poll(record -> {
                    long sequence = TestFrames.check(record.buffer(), record.frameOffset(), record.capturedLength());
                    checked[sequence == record.sequence() ? 0 : 1]++;
                }, Integer.MAX_VALUE);
                assertThat(checked[1]).as("records damaged").isZero();
                assertThat(checked[0]).isEqualTo(written);
                assertThat(reader.position()).isEqualTo(writer.position()).isGreaterThan(4L << 30);
                assertThat(reader.lostRecords()).isZero();
            }
            try (RingReader late = RingReader.open(path, RingReader.Start.OLDEST)) {
                assertThat(late.position()).isZero();
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }
}
