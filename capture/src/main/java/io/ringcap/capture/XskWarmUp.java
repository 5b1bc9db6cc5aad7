package io.ringcap.capture;

import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the afxdp receive loop ({@link XskSocket#poll} into a {@link RingWriter}) over {@link InMemoryXskRings}
 * for a while before the real sockets see traffic, so that the JIT has compiled it by then. Without it the
 * first second of a capture started under load runs interpreted and then C1-compiled code at about a third
 * of the compiled speed: at 650k packets/s on veth the 64k-entry RX ring overflowed in that second in 2 of 5
 * runs (8,777 to 51,305 packets dropped). The scratch ring is a small file in /dev/shm (or the temporary
 * directory), deleted afterwards; nothing of the real capture is touched.
 */
final class XskWarmUp {
    /**
     * Long enough for C2 to compile the loop with the whole JVM on one CPU of a 2-core VM: it did so after
     * 0.6-0.76 s there (-XX:+PrintCompilation).
     */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(1);
    private static final int FRAMES = 4096;
    private static final int FRAME_SIZE = 2048;
    private static final int BATCH = 64;
    private static final long SCRATCH_RING_BYTES = 16L << 20;
    /** Frame lengths taken in turn, so the compiled copy is not specialised on one size. */
    private static final int[] LENGTHS = {60, 1514, 128, 512, 90, 1000};

    private XskWarmUp() {
    }

    /** Frames moved and time taken. */
    record Result(long frames, Duration took) {
    }

    /** Runs the receive loop on synthetic frames for {@code duration}. */
    static Result run(Duration duration) {
        Path ring = scratchRingPath();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long frames = 0;
        try {
            RingFile.create(ring, SCRATCH_RING_BYTES, true).close();
            try (InMemoryXskRings rings = new InMemoryXskRings(FRAMES, FRAME_SIZE, false);
                 XskSocket socket = rings.socket(0);
                 RingWriter writer = RingWriter.open(ring, TimestampSource.XDP_TAI, "ringcap warm-up")) {
                int turn = 0;
                long timestamp = 0;
                while (System.nanoTime() - deadline < 0) {
                    rings.receive(BATCH, LENGTHS[turn++ % LENGTHS.length], timestamp++, XdpMetadata.FLAG_TAI, true);
                    frames += socket.poll(writer, CaptureLoop.DEFAULT_POLL_LIMIT, 0);
                    writer.publish();
                }
            }
        } finally {
            try {
                Files.deleteIfExists(ring);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the warm-up's scratch ring " + ring, e);
            }
        }
        return new Result(frames, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Path scratchRingPath() {
        Path shm = Path.of("/dev/shm");
        Path directory = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
            : Path.of(System.getProperty("java.io.tmpdir"));
        return directory.resolve("ringcap-warm-up-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".ring");
    }
}
