package io.ringcap.capture;

import io.ringcap.linux.CpuAffinity;
import io.ringcap.linux.Clocks;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficGenerator;
import io.ringcap.traffic.TrafficPlan;
import io.ringcap.traffic.TrafficReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A capture running in a {@link TestNetwork}'s receiver namespace into a ring in /dev/shm, and the traffic
 * sent at it from the sender namespace: the sender pinned to CPU 0, the capture thread to CPU 1, so the
 * two do not take turns on one core.
 */
final class NetworkCapture implements AutoCloseable {
    static final int SENDER_CPU = 0;
    static final int CAPTURE_CPU = Runtime.getRuntime().availableProcessors() > 1 ? 1 : 0;
    private static final AtomicInteger RINGS = new AtomicInteger();

    final Path ring;
    final CaptureLoop loop;
    private final RingFile view;

    private NetworkCapture(Path ring, CaptureLoop loop) {
        this.ring = ring;
        this.loop = loop;
        this.view = RingFile.openForReading(ring);
    }

    /** Creates a ring of {@code ringSize} bytes, opens the source in the receiver's namespace, starts the loop. */
    static NetworkCapture start(TestNetwork network, long ringSize, Callable<PacketSource> source, IdleStrategy idle,
        int pollLimit) {
        Path ring = Path.of("/dev/shm", "ringcap-capture-test-" + ProcessHandle.current().pid() + "-"
            + RINGS.incrementAndGet() + ".ring");
        RingFile.create(ring, ringSize, true).close();
        PacketSource opened = network.receiver().call(source);
        RingWriter writer = RingWriter.open(ring, TimestampSource.UNKNOWN, opened.description());
        CaptureLoop loop = new CaptureLoop(opened, writer, idle, CAPTURE_CPU, pollLimit);
        loop.lockMemory();
        return new NetworkCapture(ring, loop.start());
    }

    /** Sends {@code plan} from the sender namespace on a thread pinned to {@link #SENDER_CPU}; returns what it sent. */
    static Sent send(TestNetwork network, TrafficPlan plan) throws InterruptedException {
        return send(network, plan, SENDER_CPU);
    }

    /** Sends {@code plan} from the sender namespace on a thread pinned to {@code cpu}; returns what it sent. */
    static Sent send(TestNetwork network, TrafficPlan plan, int cpu) throws InterruptedException {
        AtomicReference<TrafficReport> report = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = network.sender().newThread("ringcap-test-sender", () -> {
            try (TrafficGenerator generator = TrafficGenerator.open(plan)) {
                CpuAffinity.pinCurrentThread(cpu);
                report.set(generator.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        long start = Clocks.realtimeNanos();
        sender.start();
        sender.join();
        long end = Clocks.realtimeNanos();
        if (failure.get() != null) {
            throw new AssertionError("sending failed", failure.get());
        }
        return new Sent(report.get(), start, end);
    }

    /** The ring's header as readers see it. */
    RingHeader header() {
        return view.header();
    }

    /**
     * Waits until the kernel's count (received, dropped) has been stable for a while and every packet it
     * kept is in the ring, then stops the loop; the final counters are in the header afterwards.
     */
    void drainAndStop(long expectedPackets) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            RingHeader header = header();
            if (header.recordsWritten() >= expectedPackets
                || header.sourceReceived() >= expectedPackets
                    && header.recordsWritten() + header.sourceDrops() >= header.sourceReceived()) {
                break;
            }
            Thread.sleep(20);
        }
        // Stragglers still in the kernel reach the ring; the counters are taken exactly when the loop stops.
        Thread.sleep(300);
        loop.stop();
        if (!loop.awaitStopped(Duration.ofSeconds(10))) {
            throw new AssertionError("the capture loop did not stop within 10 s");
        }
    }

    @Override
    public void close() {
        loop.stop();
        try {
            loop.awaitStopped(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            view.close();
            try {
                Files.deleteIfExists(ring);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the sender sent, between two clock readings taken before it started and after it finished. */
    record Sent(TrafficReport report, long startNanos, long endNanos) {
    }
}
