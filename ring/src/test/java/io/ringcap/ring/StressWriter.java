package io.ringcap.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child process of {@link CrossProcessStressTest}: writes self-checking frames of random length
 * (60..9000 bytes) in random batches (1..32 per publish), flat out, for a given time; then writes how
 * many it wrote to a result file and closes the ring.
 */
public final class StressWriter {
    private StressWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path ring = Path.of(args[0]);
        long durationNanos = Long.parseLong(args[1]) * 1_000_000L;
        Path result = Path.of(args[2]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
        MemorySegment frame = Arena.ofConfined().allocate(9000, 8);
        long written = 0;
        try (RingWriter writer = RingWriter.open(ring, TimestampSource.USER, "stress writer")) {
            long start = System.nanoTime();
            long now = start;
            while (now - start < durationNanos) {
                int batch = random.nextInt(1, 33);
                for (int i = 0; i < batch; i++) {
                    int length = random.nextInt(60, 9001);
                    TestFrames.fill(frame, written, length);
                    writer.write(frame, 0, length, length, now, 0, 0);
                    written++;
                }
                writer.publish();
                now = System.nanoTime();
                writer.heartbeat(System.currentTimeMillis() * 1_000_000L);
            }
        }
        StressReader.writeResult(result, "written=" + written);
    }
}
