package io.ringcap.cli;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The stretch of time a ring still holds: from its oldest record to its newest. That is how far back a
 * recorder restarted now could still go, the figure an operator sizes a ring by.
 */
record RingWindow(long oldestNanos, long newestNanos, long oldestSequence, long newestSequence) {
    long durationNanos() {
        return newestNanos - oldestNanos;
    }

    /** Records in the window, from the sequence numbers (exact even when records were lost to a lap meanwhile). */
    long records() {
        return newestSequence - oldestSequence + 1;
    }

    /**
     * The oldest and the newest record of the ring at {@code path}, each read by a reader of its own (one
     * started at the oldest record, one at the last), so the cost does not grow with the ring; empty when the
     * ring holds no record.
     */
    static Optional<RingWindow> scan(Path path) {
        First oldest = first(path, RingReader.Start.OLDEST);
        First newest = first(path, RingReader.Start.LAST);
        if (!oldest.seen || !newest.seen) {
            return Optional.empty();
        }
        return Optional.of(new RingWindow(oldest.nanos, newest.nanos, oldest.sequence, newest.sequence));
    }

    private static First first(Path path, RingReader.Start start) {
        First first = new First();
        try (RingReader reader = RingReader.open(path, start)) {
            // A reader lapped before its first record resumes at the oldest intact one: poll until one arrives.
            for (int attempt = 0; attempt < 100 && !first.seen && reader.position() < reader.header().tail(); attempt++) {
                reader.poll(first, 1);
            }
        }
        return first;
    }

    /** Keeps the first intact record it is given. */
    private static final class First implements RecordHandler {
        boolean seen;
        long nanos;
        long sequence;

        @Override
        public void onRecord(RingRecord record) {
            long timestamp = record.timestampNanos();
            if (record.isIntact() && !seen) {
                nanos = timestamp;
                sequence = record.sequence();
                seen = true;
            }
        }
    }
}
