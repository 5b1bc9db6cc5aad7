package io.ringcap.capture;

/**
 * What the capture thread does when a poll found nothing. The loop calls {@link #idle(int)} after every
 * poll with the number of packets that poll moved; a strategy resets itself when that is positive, so a
 * burst after a quiet spell is taken at full speed. Called only from the capture thread; implementations
 * need not be thread-safe.
 *
 * <p>Only {@link BusySpinIdleStrategy} keeps the thread off system calls: yielding is sched_yield(2) and
 * parking is futex(2).
 */
public interface IdleStrategy {
    /** Called after each poll; {@code workCount} is how many packets it moved. */
    void idle(int workCount);

    /** Forget any back-off: the next idle starts from the shortest wait. */
    void reset();

    /**
     * The strategy for a {@code --idle} name: {@code busy}, {@code yield} or {@code park}. {@code park} neither
     * spins nor yields ({@link BatchingIdleStrategy}): the least CPU per packet, a packet waiting up to 10 ms,
     * about {@code parkedBatch} packets found per wake-up ({@link PacketSource#parkedBatch()}).
     */
    static IdleStrategy named(String name, int parkedBatch) {
        return switch (name) {
            case "busy" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            case "park" -> new BatchingIdleStrategy(parkedBatch, BatchingIdleStrategy.DEFAULT_MIN_PARK_NANOS,
                BatchingIdleStrategy.DEFAULT_MAX_PARK_NANOS);
            default -> throw new IllegalArgumentException("idle strategy '" + name + "' is not one of busy, yield, park");
        };
    }
}
