package io.ringcap.cli;

import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/** Rings with known content for the command tests. */
final class TestRings {
    /** 2026-11-25T14:30:00Z in ns since the Unix epoch. */
    static final long FIRST_TIMESTAMP = 1_795_617_000_000_000_000L;
    static final long TIMESTAMP_STEP = 1_000_000L;
    static final long CAPACITY = 64 * 1024;

    private TestRings() {
    }

    static Path create(Path directory) {
        Path path = directory.resolve("test.ring");
        RingFile.create(path, CAPACITY, false).close();
        return path;
    }

    static RingWriter openWriter(Path path) {
        return RingWriter.open(path, TimestampSource.KERNEL, "udp 239.1.1.1:5000 test");
    }

    /** Writes and publishes {@code count} frames of 60 bytes, the i-th filled with byte value i and 1 ms apart. */
    static void write(RingWriter writer, int count) {
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[60];
            Arrays.fill(frame, (byte) writer.nextSequence());
            writer.write(MemorySegment.ofArray(frame), 0, frame.length, 64,
                FIRST_TIMESTAMP + writer.nextSequence() * TIMESTAMP_STEP, 7, 0);
        }
        writer.publish();
    }

    /** A ring whose writer wrote {@code count} records and closed it. */
    static Path closedRingWith(Path directory, int count) {
        Path path = create(directory);
        try (RingWriter writer = openWriter(path)) {
            write(writer, count);
        }
        return path;
    }
}
