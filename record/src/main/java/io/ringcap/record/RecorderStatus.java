package io.ringcap.record;

/**
 * A recorder's counters at one moment, for status lines and the final report. Every record the recorder
 * saw is in exactly one of {@code packets}, {@code lostToLaps} and {@code lostToDisk}.
 *
 * @param packets     packets written into files.
 * @param bytes       frame bytes of those packets.
 * @param files       files completed (renamed to their final names).
 * @param lostToLaps  records the ring's writer overwrote before the recorder read them (exact).
 * @param lostToDisk  records read but not written because the disk refused them (e.g. full).
 * @param diskErrors  times the disk started refusing writes.
 * @param diskFailing whether the disk refuses writes right now.
 */
public record RecorderStatus(long packets, long bytes, long files, long lostToLaps, long lostToDisk, long diskErrors,
    boolean diskFailing) {
}
