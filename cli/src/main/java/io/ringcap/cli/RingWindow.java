package io.ringcap.cli;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;

import java.util.Optional;

/**
 * The stretch of time a ring still holds: from its oldest record to its newest. That is how far back a
 * recorder restarted now could still go, the figure an operator sizes a ring by.
 */
record RingWindow(long oldestNanos, long newestNanos, long oldestSequence, long newestSequence) {
    private static final int BATCH = 4096;

    long durationNanos() {
        return newestNanos - oldestNanos;
    }

    /** Records in the window, from the sequence numbers (exact even when records were lost to a lap meanwhile). */
    long records() {
        return newestSequence - oldestSequence + 1;
    }

    /**
     * Reads {@code reader}, which must start at the oldest record, up to the tail as it is now; empty when the
     * ring holds no record. The ring's index is not public API, so the newest record is found by reading
     * through the whole ring: a read-only pass over memory, under a second for several GiB.
     */
    static Optional<RingWindow> scan(RingReader reader) {
        long end = reader.header().tail();
        Bounds bounds = new Bounds();
        int delivered;
        do {
            delivered = reader.poll(bounds, BATCH);
        } while (delivered > 0 && reader.position() < end);
        return bounds.seen == 0
            ? Optional.empty()
            : Optional.of(new RingWindow(bounds.oldestNanos, bounds.newestNanos, bounds.oldestSequence,
                bounds.newestSequence));
    }

    private static final class Bounds implements RecordHandler {
        long seen;
        long oldestNanos;
        long oldestSequence;
        long newestNanos;
        long newestSequence;

        @Override
        public void onRecord(RingRecord record) {
            long timestamp = record.timestampNanos();
            if (!record.isIntact()) {
                return; // overwritten while read: the reader reports it lost and resumes at the oldest intact record
            }
            if (seen == 0) {
                oldestNanos = timestamp;
                oldestSequence = record.sequence();
            }
            newestNanos = timestamp;
            newestSequence = record.sequence();
            seen++;
        }

        @Override
        public void onLoss(long lostRecords, long ringBytes) {
            // The writer lapped the scan: what it saw first is gone, so the window starts at the next record.
            seen = 0;
        }
    }
}
