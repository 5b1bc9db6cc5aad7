package io.ringcap.capture;

import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a source's receive loop over kernel rings played in plain memory, into a scratch ring, until the JIT has
 * compiled it, before the first real packet arrives. Interpreted, neither loop keeps up with a fast feed: at
 * 650k packets/s of 1000-byte payloads on veth, wire to disk with capture, recorder and both JVMs' compilers on
 * one CPU, the first second of traffic lost 47,000-215,000 packets with afxdp and 34,000-89,000 with afpacket
 * (whose 64 MiB kernel ring holds ~95 ms of it) while the loop was compiled under load; none once it was
 * compiled in advance.
 */
final class ReceiveLoopWarmUp {
    /**
     * Polls of {@value #PACKETS_PER_POLL} packets, each published: past C2's thresholds for the loop and for what
     * is called once a poll. With 4,000 polls of 64, {@code RingWriter.publish} and its header stores stayed below
     * C2's 5,000 calls, and were compiled 7-12 s into an afxdp capture of 100k packets/s; with these, 1.6-4.6 s
     * (C2 may drop the task if its queue is still busy when the warm-up ends).
     */
    static final int POLLS = 16_000;
    static final int PACKETS_PER_POLL = 16;
    private static final long RING_BYTES = 1 << 20;
    /** 64-byte UDP payloads, and 1000-byte ones: the copy takes another path for large frames. */
    private static final int[] FRAME_LENGTHS = {106, 1042};
    private static final Path SHM = Path.of("/dev/shm");
    private static final AtomicInteger RINGS = new AtomicInteger();
    private static final AtomicBoolean AFXDP_DONE = new AtomicBoolean();
    private static final AtomicBoolean AFPACKET_DONE = new AtomicBoolean();

    private ReceiveLoopWarmUp() {
    }

    /**
     * {@link #afxdp} the first time this process asks, since the compiled loop serves every source opened later;
     * returns whether it ran.
     */
    static boolean afxdpOnce() {
        if (!AFXDP_DONE.compareAndSet(false, true)) {
            return false;
        }
        afxdp();
        return true;
    }

    /** {@link #afpacket} the first time this process asks; returns whether it ran. */
    static boolean afpacketOnce() {
        if (!AFPACKET_DONE.compareAndSet(false, true)) {
            return false;
        }
        afpacket();
        return true;
    }

    /** Warms {@link XskSocket#poll} and the ring writer up; returns the packets it moved. */
    static long afxdp() {
        long moved = 0;
        try (ScratchRing ring = new ScratchRing();
             InMemoryXskRings rings = new InMemoryXskRings(4 * PACKETS_PER_POLL, 2048, false);
             XskSocket socket = rings.socket(0)) {
            for (int poll = 0; poll < POLLS; poll++) {
                rings.receive(PACKETS_PER_POLL, FRAME_LENGTHS[poll & 1], poll, XdpMetadata.FLAG_TAI, true);
                moved += socket.poll(ring.writer, PACKETS_PER_POLL, 0);
                ring.writer.publish();
                // An empty poll too, as a capture makes whenever it is idle: compiled without one, the loop met its
                // first idle poll in a trap, and was deoptimised and compiled again while the first packets came.
                moved += socket.poll(ring.writer, PACKETS_PER_POLL, 0);
            }
        }
        return moved;
    }

    /** Warms {@link TpacketV3Reader#poll} and the ring writer up; returns the packets it moved. */
    static long afpacket() {
        long moved = 0;
        try (ScratchRing ring = new ScratchRing();
             Arena arena = Arena.ofConfined();
             InMemoryTpacketRing kernel = new InMemoryTpacketRing(new PacketRingGeometry(64 << 10, 16, 2048, 1))) {
            MemorySegment frame = arena.allocate(FRAME_LENGTHS[1], Long.BYTES);
            TpacketV3Reader reader = kernel.reader(0);
            for (int poll = 0; poll < POLLS; poll++) {
                int length = FRAME_LENGTHS[poll & 1];
                kernel.receive(PACKETS_PER_POLL, frame, length, length, poll, 0, 0, 0);
                kernel.retire();
                moved += reader.poll(ring.writer, 2 * PACKETS_PER_POLL);
                ring.writer.publish();
            }
        }
        return moved;
    }

    /** A small ring in /dev/shm (else the temporary directory), deleted on close. */
    private static final class ScratchRing implements AutoCloseable {
        final Path path;
        final RingWriter writer;

        ScratchRing() {
            Path directory = Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
            path = directory.resolve("ringcap-warm-up-" + ProcessHandle.current().pid() + "-"
                + RINGS.incrementAndGet() + ".ring");
            RingFile.create(path, RING_BYTES, true).close();
            writer = RingWriter.open(path, TimestampSource.XDP_TAI, "receive loop warm-up");
        }

        @Override
        public void close() {
            try {
                writer.close();
            } finally {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the warm-up ring " + path, e);
                }
            }
        }
    }
}
