package io.ringcap.record;

import io.ringcap.ring.ReaderStatusWriter;
import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingException;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * Records a ring into rotating, indexed pcapng files (see docs/recording.md). An ordinary unprivileged
 * reader: the ring's writer never knows it exists.
 *
 * <p>Nothing is lost or recorded twice across a kill: with every flush the recorder persists its ring
 * position together with the length of the file it is writing ({@link RecorderState}); a restarted recorder
 * cuts that file back to that length, completes it, and resumes reading at that position. Records the
 * ring's writer overwrote before the recorder read them, and records the disk refused, are counted exactly
 * and marked in the files where they are missing. A full disk is survived: records are counted as lost to
 * disk until a retry succeeds. Not thread-safe: one thread calls {@link #doWork()} or {@link #run}; any
 * thread may call {@link #status()}.
 *
 * <p>The recorder announces itself and its counters in a reader status file beside the ring (named
 * "record", see {@link ReaderStatusWriter}), updated once a second from {@link #doWork()}, so that
 * {@code ringcap status} and {@code top} show what it wrote and lost.
 */
public final class Recorder implements AutoCloseable {
    private static final int BATCH = 1024;
    /** The most time between two flushes while packets flow: also how much a killed recorder re-reads. */
    private static final long FLUSH_INTERVAL_NANOS = 20_000_000L;
    /** When idle, flush what is buffered once it is this old, so a quiet feed still reaches the disk. */
    private static final long IDLE_FLUSH_NANOS = 1_000_000L;
    private static final long DISK_RETRY_NANOS = 1_000_000_000L;
    private static final long STATUS_INTERVAL_NANOS = 50_000_000L;
    private static final long IDLE_PARK_NANOS = 100_000L;
    private static final String LOCK_NAME = ".ringcap-record.lock";

    private final RecorderOptions options;
    private final Path directory;
    private final Consumer<String> events;
    private final FileChannel lockChannel;
    private final RingReader reader;
    private final RingHeader ring;
    private final RecordHandler handler = new Handler();
    private final ReaderStatusWriter announcement;

    private RecordingFile file;
    private boolean unflushed;
    private boolean controlProblemReported;
    private boolean closed;
    private long lastFlushNanos;
    private long lastForceNanos;
    /** Under an interval policy: data flushed since the last force, to force once the interval is up. */
    private boolean unforced;
    /** The most time between two flushes while packets flow: {@link #FLUSH_INTERVAL_NANOS}, or a shorter fsync interval. */
    private final long flushIntervalNanos;
    private long lastStatusNanos;
    private boolean diskFailing;
    private long retryAtNanos;
    private long lastLapEventNanos = System.nanoTime() - DISK_RETRY_NANOS;
    private long pendingLapLoss;
    private long pendingDiskLoss;
    private String pendingNote;
    private long packets;
    private long bytes;
    private long files;
    private long lostToLaps;
    private long lostToDisk;
    private long diskErrors;
    private volatile RecorderStatus status = new RecorderStatus(0, 0, 0, 0, 0, 0, false);

    private Recorder(RecorderOptions options, Consumer<String> events, FileChannel lockChannel, RingReader reader) {
        this.options = options;
        this.flushIntervalNanos = options.fsync().mode() == FsyncPolicy.Mode.INTERVAL
            ? Math.min(FLUSH_INTERVAL_NANOS, options.fsync().intervalNanos()) : FLUSH_INTERVAL_NANOS;
        this.directory = options.directory();
        this.events = events;
        this.lockChannel = lockChannel;
        this.reader = reader;
        this.ring = reader.header();
        this.announcement = announce(options, events, ring);
    }

    /** Announcing is for monitoring only: a recorder that cannot write its status file records all the same. */
    private static ReaderStatusWriter announce(RecorderOptions options, Consumer<String> events, RingHeader ring) {
        try {
            return ReaderStatusWriter.open(options.ring(), ring, "record", true);
        } catch (RingException e) {
            events.accept(e.getMessage());
            return null;
        }
    }

    /**
     * Opens the ring, locks the directory against a second recorder, and resumes from the directory's
     * recorder state if there is one (completing the file a killed recorder left). {@code events} receives
     * one line per noteworthy event (resumed, lapped, disk full, ...).
     */
    public static Recorder open(RecorderOptions options, Consumer<String> events) throws IOException {
        Path directory = options.directory();
        Files.createDirectories(directory);
        FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_NAME), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        try {
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw new RecordingException("another recorder is recording into " + directory
                    + ": one recorder per directory");
            }
            RingReader reader = RingReader.open(options.ring(), options.start());
            Recorder recorder = new Recorder(options, events, lockChannel, reader);
            try {
                recorder.resume(RecorderState.read(directory));
                return recorder;
            } catch (IOException | RuntimeException e) {
                recorder.closeResources();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private void resume(RecorderState state) throws IOException {
        boolean force = options.fsync().forcesAtRotation();
        if (state != null && state.partName() != null) {
            if (Files.exists(directory.resolve(state.partName()))) {
                Path done = RecordingFile.recover(directory, state.partName(), state.fileOffset(), force, events);
                events.accept("completed " + (done == null ? state.partName() + " (empty, deleted)" : done.getFileName())
                    + ", left by a recorder that stopped at byte " + state.fileOffset());
                files += done == null ? 0 : 1;
            }
        }
        cleanUpParts(state != null);
        if (state != null && state.ringCreationNanos() == ring.creationTimeNanos()) {
            reader.seek(state.position(), state.expectedSequence());
            pendingLapLoss = state.pendingLapLoss();
            pendingDiskLoss = state.pendingDiskLoss();
            events.accept("resuming at ring position " + state.position() + " (sequence " + state.expectedSequence() + ")");
        } else if (state != null) {
            events.accept("the recorder state in " + directory + " is of another ring (created at "
                + state.ringCreationNanos() + " ns, this one at " + ring.creationTimeNanos() + "): starting at the "
                + options.start().name().toLowerCase(java.util.Locale.ROOT) + " record");
        }
        persistState();
    }

    /**
     * Part files not named by the state hold only records after the state's position, which will be read
     * again: they are deleted. Without a state nothing is known of them: they are completed as they are.
     */
    private void cleanUpParts(boolean haveState) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, ".*" + RecordingName.PART_SUFFIX)) {
            for (Path part : parts) {
                String partName = part.getFileName().toString();
                if (haveState || RecordingName.ofPart(partName) == null) {
                    Files.delete(part);
                } else {
                    Path done = RecordingFile.recover(directory, partName, Long.MAX_VALUE, false, events);
                    events.accept("completed " + (done == null ? partName + " (empty, deleted)" : done.getFileName())
                        + " as it was: no recorder state says how much of it is consistent");
                }
            }
        }
    }

    /** Records until {@code keepGoing} says stop (or, with {@code untilClosed}, the ring is closed and read). */
    public void run(BooleanSupplier keepGoing) {
        while (keepGoing.getAsBoolean()) {
            // Read the state before polling: a writer that closed published its last record first.
            boolean closed = options.untilClosed() && ring.writerState() == RingDescriptor.STATE_CLOSED;
            if (doWork() == 0) {
                if (closed && reader.position() >= ring.tail()) {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }

    /** One round: polls up to a batch of records, flushes, rotates, retries a failing disk. Returns records read. */
    public int doWork() {
        long now = System.nanoTime();
        if (diskFailing && now - retryAtNanos >= 0) {
            retryDisk(now);
        }
        int read = reader.poll(handler, BATCH);
        unflushed |= read > 0;
        if (!diskFailing && file != null) {
            long sinceFlush = now - lastFlushNanos;
            // A feed that went quiet still gets its last data forced when the fsync interval is up.
            boolean forceDue = unforced && now - lastForceNanos >= options.fsync().intervalNanos();
            if ((unflushed && (sinceFlush >= flushIntervalNanos || (read == 0 && sinceFlush >= IDLE_FLUSH_NANOS)))
                || forceDue) {
                flush(now);
            } else if (read == 0 && options.rotateNanos() > 0
                && System.currentTimeMillis() * 1_000_000L - file.startNanos() >= options.rotateNanos()) {
                // A quiet feed: complete the file on time rather than when the next packet comes.
                try {
                    completeFile();
                } catch (IOException e) {
                    diskFailed(e, now);
                }
            }
        }
        // Idle is the moment to publish what changed, so a caller that sees nothing left to read sees final counts.
        if (now - lastStatusNanos >= STATUS_INTERVAL_NANOS || (read == 0 && statusChanged())) {
            publishStatus();
            lastStatusNanos = now;
        }
        if (announcement != null && announcement.due(now)) {
            announcement.update(reader, packets, bytes, files, lostToDisk, diskErrors);
        }
        return read;
    }

    /**
     * Writes one record. Its fields may be torn (the writer lapping this reader): nothing read from it acts before
     * a check that it was intact, and the common path's one check comes after the frame is copied (see
     * RecordingFile). Rotating, opening a file, describing a new source and counting a loss to the disk are rare,
     * and check first. Package-private for the test that overwrites a record in the middle.
     */
    void accept(RingRecord record, long timestampNanos, int originalLength, int sourceId) {
        int capturedLength = record.capturedLength();
        if (diskFailing) {
            if (record.isIntact()) {
                lostToDisk++;
                pendingDiskLoss++;
            }
            return;
        }
        try {
            int interfaceId = file == null ? -1 : file.interfaceOf(sourceId);
            if (interfaceId < 0 || rotationDue(timestampNanos)) {
                if (!record.isIntact()) {
                    return;
                }
                if (file != null && rotationDue(timestampNanos)) {
                    completeFile();
                }
                if (file == null) {
                    file = RecordingFile.create(directory, timestampNanos, options.direct(), options.bufferBytes(),
                        ring.maxCapturedLength(), "ring " + options.ring(), ring.sourceDescription(),
                        ring.sourceDrops());
                }
                interfaceId = file.describe(sourceId);
            }
            long dropCount = -1;
            String comment = null;
            if (pendingLapLoss > 0 || pendingDiskLoss > 0 || pendingNote != null) {
                dropCount = pendingLapLoss + pendingDiskLoss;
                comment = gapComment();
            }
            if (!file.writePacket(record, timestampNanos, Math.max(originalLength, capturedLength), interfaceId,
                dropCount, comment)) {
                // Overwritten while copied: the reader counts it as lost to the lap and reports it through onLoss.
                return;
            }
            if (dropCount >= 0) {
                pendingLapLoss = 0;
                pendingDiskLoss = 0;
                pendingNote = null;
            }
            packets++;
            bytes += capturedLength;
        } catch (IOException e) {
            if (record.isIntact()) {
                lostToDisk++;
                pendingDiskLoss++;
            }
            diskFailed(e, System.nanoTime());
        }
    }

    private String gapComment() {
        StringBuilder comment = new StringBuilder("ringcap:");
        if (pendingNote != null) {
            comment.append(' ').append(pendingNote);
        }
        if (pendingLapLoss > 0) {
            comment.append(comment.length() > 8 ? ";" : "").append(" reader lapped, ").append(pendingLapLoss)
                .append(" packets lost");
        }
        if (pendingDiskLoss > 0) {
            comment.append(comment.length() > 8 ? ";" : "").append(" disk refused writes, ").append(pendingDiskLoss)
                .append(" packets lost to disk");
        }
        return comment.toString();
    }

    private boolean rotationDue(long timestampNanos) {
        return (options.rotateBytes() > 0 && file.bytesWritten() >= options.rotateBytes())
            || (options.rotateNanos() > 0 && timestampNanos - file.startNanos() >= options.rotateNanos());
    }

    /**
     * Completes the current file. The state is persisted naming the complete part before the rename, so a
     * recorder killed in between finds either the part (and completes it again) or the final file.
     */
    private void completeFile() throws IOException {
        boolean force = options.fsync().forcesAtRotation();
        file.complete(ring.sourceDrops(), force);
        persistState();
        file.rename(force, false, events);
        file = null;
        files++;
        unflushed = false;
        unforced = false;
        persistState();
    }

    /**
     * Flushes without waiting for the disk: the file's saving thread saves the state once the data it names is in
     * the file (see {@link FileOutput#flushThen}), so the recorder reads on meanwhile.
     */
    private void flush(long now) {
        if (file.flushing()) {
            // The last flush is still in flight: this one comes at a later round.
            return;
        }
        try {
            FsyncPolicy fsync = options.fsync();
            boolean force = fsync.mode() == FsyncPolicy.Mode.INTERVAL && now - lastForceNanos >= fsync.intervalNanos();
            // With an interval policy the state never runs ahead of forced data, so it holds after a power failure.
            RecorderState state = fsync.mode() != FsyncPolicy.Mode.INTERVAL || force ? state() : null;
            file.flushThen(force, () -> {
                if (state != null) {
                    state.write(directory, forcesState());
                }
            });
            if (force) {
                lastForceNanos = now;
            }
            unforced = fsync.mode() == FsyncPolicy.Mode.INTERVAL && !force;
            unflushed = false;
            lastFlushNanos = now;
            String problem = file.controlProblem();
            if (problem != null && !controlProblemReported) {
                controlProblemReported = true;
                events.accept("writing to " + directory + ": " + problem + "; recording goes on");
            }
        } catch (IOException e) {
            diskFailed(e, now);
        }
    }

    private void persistState() throws IOException {
        state().write(directory, forcesState());
    }

    private RecorderState state() {
        return new RecorderState(ring.creationTimeNanos(), reader.position(), reader.expectedSequence(), reader.epoch(),
            file == null ? null : file.partName(), file == null ? 0 : file.bytesWritten(), pendingLapLoss,
            pendingDiskLoss);
    }

    private boolean forcesState() {
        return options.fsync().mode() != FsyncPolicy.Mode.NONE;
    }

    private void diskFailed(IOException e, long now) {
        if (!diskFailing) {
            diskErrors++;
            events.accept("cannot write to " + directory + ": " + e.getMessage()
                + "; counting packets as lost to disk and retrying every second");
        }
        diskFailing = true;
        retryAtNanos = now + DISK_RETRY_NANOS;
    }

    private void retryDisk(long now) {
        try {
            if (file != null) {
                file.flush();
            }
            persistState();
            diskFailing = false;
            lastFlushNanos = now;
            events.accept("writing to " + directory + " again; " + lostToDisk + " packets lost to disk so far");
        } catch (IOException e) {
            retryAtNanos = now + DISK_RETRY_NANOS;
        }
    }

    /** The counters now (refreshed a few times a second while recording). */
    public RecorderStatus status() {
        return status;
    }

    private boolean statusChanged() {
        RecorderStatus published = status;
        return published.packets() != packets || published.lostToLaps() != lostToLaps
            || published.lostToDisk() != lostToDisk || published.files() != files || published.diskFailing() != diskFailing;
    }

    private void publishStatus() {
        status = new RecorderStatus(packets, bytes, files, lostToLaps, lostToDisk, diskErrors, diskFailing);
    }

    /**
     * Completes the current file and persists the position, so a later recorder resumes where this one
     * stopped. If the disk still refuses writes, the file is cut after its last successful flush (no block
     * is left half written) and what was cut is counted as lost to disk.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (file != null) {
                closeFile();
            }
            persistState();
        } catch (IOException e) {
            events.accept("cannot save the recorder state in " + directory + ": " + e.getMessage()
                + "; a restarted recorder resumes from the last state saved");
        } finally {
            publishStatus();
            closeResources();
        }
    }

    private void closeFile() throws IOException {
        if (!diskFailing) {
            try {
                completeFile();
                return;
            } catch (IOException e) {
                diskFailed(e, System.nanoTime());
            }
        }
        long cut = file.cutToDurable();
        packets -= cut;
        lostToDisk += cut;
        pendingDiskLoss += cut;
        Path done = file.rename(false, true, events);
        events.accept("completed " + done.getFileName() + " at its last complete block; " + cut
            + " packets cut off counted as lost to disk");
        file = null;
        files++;
    }

    private void closeResources() throws IOException {
        try {
            if (announcement != null) {
                announcement.close();
            }
            reader.close();
        } finally {
            lockChannel.close();
        }
    }

    /**
     * Writes each record, checking it was intact before anything read from it counts (see {@link #accept}); a record
     * found overwritten is counted by the reader as lost to the lap and reported through onLoss.
     */
    private final class Handler implements RecordHandler {
        @Override
        public void onRecord(RingRecord record) {
            accept(record, Math.max(record.timestampNanos(), 0), record.originalLength(), record.sourceId());
        }

        @Override
        public void onLoss(long records, long ringBytes) {
            lostToLaps += records;
            pendingLapLoss += records;
            // One line a second at most: a recorder lapped continuously must not flood stderr.
            long now = System.nanoTime();
            if (now - lastLapEventNanos >= DISK_RETRY_NANOS) {
                lastLapEventNanos = now;
                events.accept("reader lapped by the ring's writer: " + lostToLaps + " packets lost so far");
            }
        }

        @Override
        public void onWriterRestart(long previousEpoch, long epoch) {
            pendingNote = "ring writer restarted (epoch " + previousEpoch + " -> " + epoch + ")";
        }
    }
}
