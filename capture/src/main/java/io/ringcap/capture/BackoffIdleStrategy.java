package io.ringcap.capture;

import java.util.concurrent.locks.LockSupport;

/**
 * Spins, then yields, then parks for a time that doubles from {@code minParkNanos} up to
 * {@code maxParkNanos} while polls keep finding nothing; any work starts it over. For shared machines and
 * quiet feeds: a packet that arrives during a park waits up to {@code maxParkNanos} (and the source's
 * buffer must hold what arrives meanwhile).
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    /** Defaults: 100 spins, 10 yields, then parks from 1 µs to 1 ms. */
    public static final int DEFAULT_SPINS = 100;
    public static final int DEFAULT_YIELDS = 10;
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int idlePolls;
    private long parkNanos;

    public BackoffIdleStrategy() {
        this(DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    public BackoffIdleStrategy(int spins, int yields, long minParkNanos, long maxParkNanos) {
        if (spins < 0 || yields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("back-off needs spins >= 0, yields >= 0 and 1 <= minParkNanos <= "
                + "maxParkNanos; got " + spins + ", " + yields + ", " + minParkNanos + ", " + maxParkNanos);
        }
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
            return;
        }
        if (idlePolls < spins) {
            idlePolls++;
            Thread.onSpinWait();
        } else if (idlePolls < spins + yields) {
            idlePolls++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        }
    }

    @Override
    public void reset() {
        idlePolls = 0;
        parkNanos = minParkNanos;
    }

    /** The park the next idle poll would take once past spinning and yielding; for tests. */
    long nextParkNanos() {
        return parkNanos;
    }

    /** Empty polls counted towards spinning and yielding; for tests. */
    int idlePolls() {
        return idlePolls;
    }
}
