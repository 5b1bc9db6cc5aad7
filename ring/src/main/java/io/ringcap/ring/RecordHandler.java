package io.ringcap.ring;

/**
 * Receives records from {@link RingReader#poll}. All calls come on the polling thread, in ring order.
 *
 * <p>The {@link RingRecord} passed to {@link #onRecord} is a view into the shared ring, valid only during
 * the call. The reader checked before the call that the record was complete and not overwritten; a
 * handler that keeps or acts on what it read (copies it to disk, say) confirms with
 * {@link RingRecord#isIntact()} <em>after</em> reading that the writer did not lap it meanwhile: this is
 * the read-then-validate step of a seqlock. The handler's last {@code isIntact()} answer decides whether
 * the record counts as delivered (if it never asks, the reader checks when it returns); a record that was
 * overwritten counts as lost, not delivered, and is reported through {@link #onLoss} before the next one.
 */
@FunctionalInterface
public interface RecordHandler {
    /** One record; {@code record} is valid only until this method returns. */
    void onRecord(RingRecord record);

    /**
     * Records were overwritten before this reader got to them: {@code records} frames (exact, from the
     * sequence numbers) occupying {@code ringBytes} bytes of ring (headers and padding included). Called
     * before the first record after the gap.
     */
    default void onLoss(long records, long ringBytes) {
    }

    /**
     * The ring's writer restarted: positions and sequence numbers go on, in a new epoch. Not called for
     * the first writer of a ring (epoch 0 to 1).
     */
    default void onWriterRestart(long previousEpoch, long epoch) {
    }
}
