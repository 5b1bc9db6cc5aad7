package io.ringcap.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import static io.ringcap.ring.ReaderStatusDescriptor.*;

/**
 * Announces one reader of a ring in its status file (see {@link ReaderStatusDescriptor}). The reader's poll
 * loop calls {@link #due} with {@code System.nanoTime()} and, when it says so (once a second), one of the
 * {@code update} methods: a handful of stores into a shared mapping, no allocation, no system call. Closing
 * deletes the file: a reader that stopped cleanly is no longer listed; one that died leaves its file, which
 * status shows as dead and which the next reader of the same name removes. Not thread-safe: the polling
 * thread owns it.
 */
public final class ReaderStatusWriter implements AutoCloseable {
    /** How often a reader updates its status. */
    public static final long UPDATE_INTERVAL_NANOS = 1_000_000_000L;

    private final Path path;
    private final Arena arena;
    private final MemorySegment status;
    private long changeCount;
    private long lastUpdateNanoTime;
    private boolean closed;

    private ReaderStatusWriter(Path path, Arena arena, MemorySegment status) {
        this.path = path;
        this.arena = arena;
        this.status = status;
    }

    /**
     * Creates the status file of reader {@code name} of the ring at {@code ring} (whose header is
     * {@code header}) for this process, removing files of earlier readers of that name whose process is gone.
     *
     * @throws RingException if the directory or file cannot be written (the ring's directory is read-only to
     *                       this user, say): callers carry on without announcing
     */
    public static ReaderStatusWriter open(Path ring, RingHeader header, String name, boolean recorder) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("reader name '" + name + "' is not 1 to 32 letters, digits, '.', '_', '-'");
        }
        ProcessHandle self = ProcessHandle.current();
        Path path = file(ring, name, self.pid());
        Path hidden = path.resolveSibling("." + path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            removeDead(path.getParent(), name);
            Arena arena = Arena.ofShared();
            try (FileChannel channel = FileChannel.open(hidden, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                MemorySegment status = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, arena);
                ReaderStatusWriter writer = new ReaderStatusWriter(path, arena, status);
                writer.initialise(self, header.creationTimeNanos(), name, recorder);
                // Renamed only once complete: a reader of the directory never sees a half-written file.
                Files.move(hidden, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return writer;
            } catch (IOException | RuntimeException e) {
                arena.close();
                Files.deleteIfExists(hidden);
                throw e;
            }
        } catch (IOException e) {
            throw new RingException("cannot write reader status " + path + ": " + e
                + "; status and top will not list this reader", e);
        }
    }

    private static void removeDead(Path directory, String name) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, name + "-*" + SUFFIX)) {
            for (Path file : files) {
                ReaderStatus found = ReaderStatus.read(file);
                if (found.name().equals(name) && found.state() == ReaderStatus.State.DEAD) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void initialise(ProcessHandle self, long ringCreationNanos, String name, boolean recorder) {
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        status.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        status.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, recorder ? FLAG_RECORDER : 0);
        status.set(ValueLayout.JAVA_LONG, PID_OFFSET, self.pid());
        status.set(ValueLayout.JAVA_LONG, PROCESS_START_TIME_OFFSET,
            self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L));
        status.set(ValueLayout.JAVA_LONG, START_TIME_OFFSET, nowNanos);
        status.set(ValueLayout.JAVA_LONG, RING_CREATION_TIME_OFFSET, ringCreationNanos);
        status.set(ValueLayout.JAVA_LONG, UPDATE_TIME_OFFSET, nowNanos);
        status.set(ValueLayout.JAVA_INT, NAME_LENGTH_OFFSET, bytes.length);
        MemorySegment.copy(bytes, 0, status, ValueLayout.JAVA_BYTE, NAME_OFFSET, bytes.length);
        RingHeader.INT.setRelease(status, (long) VERSION_OFFSET, FORMAT_VERSION);
    }

    /** Whether an update is due at {@code nanoTime} ({@code System.nanoTime()}); if so, counts it as made. */
    public boolean due(long nanoTime) {
        if (nanoTime - lastUpdateNanoTime < UPDATE_INTERVAL_NANOS && lastUpdateNanoTime != 0) {
            return false;
        }
        lastUpdateNanoTime = nanoTime;
        return true;
    }

    /** Writes {@code reader}'s position and counters. */
    public void update(RingReader reader) {
        begin();
        readerCounters(reader);
        end();
    }

    /** Writes {@code reader}'s counters and a recorder's: what went to files and what the disk refused. */
    public void update(RingReader reader, long recordedPackets, long recordedBytes, long recordedFiles, long lostToDisk,
        long diskErrors) {
        begin();
        readerCounters(reader);
        status.set(ValueLayout.JAVA_LONG, RECORDED_PACKETS_OFFSET, recordedPackets);
        status.set(ValueLayout.JAVA_LONG, RECORDED_BYTES_OFFSET, recordedBytes);
        status.set(ValueLayout.JAVA_LONG, RECORDED_FILES_OFFSET, recordedFiles);
        status.set(ValueLayout.JAVA_LONG, LOST_TO_DISK_OFFSET, lostToDisk);
        status.set(ValueLayout.JAVA_LONG, DISK_ERRORS_OFFSET, diskErrors);
        end();
    }

    private void begin() {
        RingHeader.LONG.setOpaque(status, (long) CHANGE_COUNT_OFFSET, ++changeCount);
        // The odd count must be visible before any counter changes (seqlock writer side).
        VarHandle.storeStoreFence();
    }

    private void readerCounters(RingReader reader) {
        status.set(ValueLayout.JAVA_LONG, UPDATE_TIME_OFFSET, System.currentTimeMillis() * 1_000_000L);
        status.set(ValueLayout.JAVA_LONG, POSITION_OFFSET, reader.position());
        status.set(ValueLayout.JAVA_LONG, DELIVERED_RECORDS_OFFSET, reader.deliveredRecords());
        status.set(ValueLayout.JAVA_LONG, DELIVERED_BYTES_OFFSET, reader.deliveredBytes());
        status.set(ValueLayout.JAVA_LONG, LOST_RECORDS_OFFSET, reader.lostRecords());
        status.set(ValueLayout.JAVA_LONG, LOST_BYTES_OFFSET, reader.lostBytes());
        status.set(ValueLayout.JAVA_LONG, LAPS_OFFSET, reader.laps());
    }

    private void end() {
        // Release: every counter store above is visible before the even count that says they are consistent.
        RingHeader.LONG.setRelease(status, (long) CHANGE_COUNT_OFFSET, ++changeCount);
    }

    /** The status file. */
    public Path path() {
        return path;
    }

    /** Deletes the status file: this reader stopped cleanly. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new RingException("cannot delete reader status " + path + ": " + e.getMessage(), e);
        } finally {
            arena.close();
        }
    }
}
