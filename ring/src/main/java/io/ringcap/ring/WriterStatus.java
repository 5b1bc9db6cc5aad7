package io.ringcap.ring;

import java.time.Instant;
import java.util.Optional;

/** Whether a ring's writer is there, judged from the header's state, heartbeat and pid. */
public enum WriterStatus {
    /** No writer has opened the ring since it was created. */
    NEVER_STARTED,
    /** The writer's process runs and its heartbeat is fresh. */
    ALIVE,
    /** The writer's process runs (or cannot be seen from here) but its heartbeat is older than allowed. */
    STALE,
    /** The writer's process is gone without closing the ring: it died. */
    DEAD,
    /** The last writer closed the ring cleanly. */
    CLOSED;

    /**
     * The status of {@code header}'s writer at {@code nowNanos} (ns since the epoch); a heartbeat older than
     * {@code staleAfterNanos} makes a running writer {@link #STALE}. A pid now used by a process that
     * started at another time than the writer counts as gone.
     */
    public static WriterStatus of(RingHeader header, long nowNanos, long staleAfterNanos) {
        int state = header.writerState();
        if (state == RingDescriptor.STATE_NEW) {
            return NEVER_STARTED;
        }
        if (state == RingDescriptor.STATE_CLOSED) {
            return CLOSED;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(header.writerPid());
        boolean running = process.isPresent() && process.get().isAlive()
            && process.get().info().startInstant().map(Instant::toEpochMilli)
                .map(start -> header.writerStartTimeMillis() == 0 || start == header.writerStartTimeMillis())
                .orElse(true);
        if (!running) {
            return DEAD;
        }
        return nowNanos - header.heartbeatNanos() > staleAfterNanos ? STALE : ALIVE;
    }
}
