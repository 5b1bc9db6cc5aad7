package io.ringcap.capture;

import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where packets come from: a kernel ring, a socket, a file. An implementation is set up (sockets opened,
 * rings mapped, groups joined) by its {@code open} factory, which is where privilege is needed; after that
 * it only moves packets.
 *
 * <p>Threads: {@link #poll} is called by the capture thread only and must not allocate; {@link #counters}
 * is called by another (housekeeping) thread about once a second while {@code poll} runs, so that the
 * system call it may need never runs on the capture thread; {@link #close} is called once, after the last
 * {@code poll} and {@code counters}.
 */
public interface PacketSource extends AutoCloseable {
    /**
     * Moves up to {@code limit} packets into {@code writer} as committed but unpublished records (the
     * caller publishes once per poll), claiming room with {@link RingWriter#claim} and filling
     * {@link RingWriter#buffer()} directly so each byte is copied once; returns how many it moved, 0 when
     * none was waiting. Never blocks.
     */
    int poll(RingWriter writer, int limit);

    /** The source's counters now; may make a system call. */
    SourceCounters counters();

    /**
     * The capture interface's own counters since the source was opened (every packet it received, what its
     * driver or NIC dropped), or null where the source has no interface or cannot read them. Called by the
     * housekeeping thread with {@link #counters}.
     */
    default SourceCounters interfaceCounters() {
        return null;
    }

    /** Where the records' timestamps come from. */
    TimestampSource timestampSource();

    /**
     * How many packets a parked capture ({@code --idle park}) should find waiting when it wakes: few enough
     * that the source's own buffer never fills meanwhile (a wake-up may find twice as many before the park
     * shortens), many enough that wake-ups cost little per packet.
     */
    default int parkedBatch() {
        return BatchingIdleStrategy.DEFAULT_TARGET_BATCH;
    }

    /**
     * Called once set-up is done, just before the process gives up its privileges to become {@code user}
     * ({@code --user}): lets that user undo at {@link #close} what set-up did as root. Nothing by default.
     */
    default void entrustCloseTo(UnixUser user) {
    }

    /** One line for the ring header and the status output, e.g. "afpacket eth0 TPACKET_V3 …". */
    String description();

    /**
     * Memory the capture thread reads besides the packet ring (a kernel packet ring, a UMEM), already
     * locked and pre-faulted by the source; for the record and for tests.
     */
    List<MemorySegment> hotMemory();

    /** Things the user should know that did not stop set-up, e.g. a fallback to software timestamps. */
    List<String> warnings();

    /** Leaves the groups, unmaps and closes; the source is unusable afterwards. */
    @Override
    void close();
}
