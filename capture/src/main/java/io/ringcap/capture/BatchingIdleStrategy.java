package io.ringcap.capture;

import java.util.concurrent.locks.LockSupport;

/**
 * Parks whenever a poll finds nothing, for a time it adapts so that each wake-up finds about
 * {@code targetBatch} packets waiting: doubled (up to {@code maxParkNanos}) after a wake-up that found fewer
 * than half of that, halved (down to {@code minParkNanos}) after one that found more than twice. A parked
 * thread costs its wake-ups, not its packets (on the VMs here a 1 ms park costs ~14 µs of CPU), so a slow feed
 * is taken in a few large batches and a fast one in many; a packet waits up to {@code maxParkNanos}, which the
 * source's buffer must hold. For recording on shared machines; {@link BusySpinIdleStrategy} for latency.
 */
public final class BatchingIdleStrategy implements IdleStrategy {
    /**
     * Defaults: batches of 4096 packets (for sources whose buffers hold far more: a socket's holds fewer, see
     * {@link PacketSource#parkedBatch()}), parks from 50 µs to 10 ms. With 1024 an afpacket capture of 650k
     * packets/s on veth spent ~14 ns a packet on wake-ups alone (capture thread 70-105 ns a packet, 42 with 4096).
     */
    public static final int DEFAULT_TARGET_BATCH = 4096;
    public static final long DEFAULT_MIN_PARK_NANOS = 50_000;
    public static final long DEFAULT_MAX_PARK_NANOS = 10_000_000;

    private final int targetBatch;
    private final long minParkNanos;
    private final long maxParkNanos;
    private long parkNanos;
    private long sinceWake;

    public BatchingIdleStrategy() {
        this(DEFAULT_TARGET_BATCH, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    public BatchingIdleStrategy(int targetBatch, long minParkNanos, long maxParkNanos) {
        if (targetBatch < 1 || minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("batching needs targetBatch >= 1 and 1 <= minParkNanos <= maxParkNanos;"
                + " got " + targetBatch + ", " + minParkNanos + ", " + maxParkNanos);
        }
        this.targetBatch = targetBatch;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            sinceWake += workCount;
            return;
        }
        if (sinceWake < targetBatch / 2) {
            parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        } else if (sinceWake > 2L * targetBatch) {
            parkNanos = Math.max(parkNanos / 2, minParkNanos);
        }
        sinceWake = 0;
        LockSupport.parkNanos(parkNanos);
    }

    @Override
    public void reset() {
        parkNanos = minParkNanos;
        sinceWake = 0;
    }

    /** How long the next idle poll parks; for tests. */
    long parkNanos() {
        return parkNanos;
    }
}
