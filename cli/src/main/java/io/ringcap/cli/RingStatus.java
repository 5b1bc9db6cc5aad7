package io.ringcap.cli;

import io.ringcap.ring.ReaderStatus;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.TimestampSource;
import io.ringcap.ring.WriterStatus;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One ring's header, writer health, time window and announced readers, each header field read once so that
 * the human and the JSON rendering of {@code ringcap status} state the same figures. The counters of every
 * stage (source, ring writer, readers, recorder) are read together; readers' own figures are those of their
 * last update, at most about a second old (see {@code updated_at}).
 */
record RingStatus(
    Path path,
    long observedNanos,
    int formatVersion,
    long capacity,
    int pageSize,
    long fileLength,
    Backing backing,
    long creationTimeNanos,
    long epoch,
    WriterStatus writer,
    long writerPid,
    long heartbeatNanos,
    TimestampSource timestampSource,
    String sourceDescription,
    long tail,
    long tailIntent,
    long recordsWritten,
    long bytesWritten,
    long truncatedRecords,
    long sourceReceived,
    long sourceDrops,
    long interfaceReceived,
    long interfaceDrops,
    Optional<RingWindow> window,
    List<ReaderStatus> readers) {

    /**
     * A writer heartbeats about every millisecond; a whole second without one means its capture thread is
     * stuck (or the process stopped), long before any reader would notice from the data.
     */
    static final long STALE_AFTER_NANOS = 1_000_000_000L;

    static RingStatus read(Path path) {
        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            RingHeader header = reader.header();
            long now = System.currentTimeMillis() * 1_000_000L;
            long capacity = header.capacity();
            int pageSize = header.pageSize();
            return new RingStatus(path, now, header.version(), capacity, pageSize,
                RingDescriptor.fileLength(capacity, pageSize), Backing.of(path), header.creationTimeNanos(),
                header.epoch(), WriterStatus.of(header, now, STALE_AFTER_NANOS), header.writerPid(),
                header.heartbeatNanos(), header.timestampSource(), header.sourceDescription(), header.tail(),
                header.tailIntent(), header.recordsWritten(), header.bytesWritten(), header.truncatedRecords(),
                header.sourceReceived(), header.sourceDrops(), header.interfaceReceived(), header.interfaceDrops(),
                RingWindow.scan(path), ReaderStatus.list(path));
        }
    }

    /** Bytes of the ring that hold records: it fills once, then stays full as the writer overwrites. */
    long filledBytes() {
        return Math.min(tail, capacity);
    }

    double fillRatio() {
        return (double) filledBytes() / capacity;
    }

    boolean writerEverStarted() {
        return writer != WriterStatus.NEVER_STARTED;
    }

    long heartbeatAgeNanos() {
        return observedNanos - heartbeatNanos;
    }
}
