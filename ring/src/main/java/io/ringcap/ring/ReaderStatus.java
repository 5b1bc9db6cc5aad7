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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static io.ringcap.ring.ReaderStatusDescriptor.*;

/**
 * What one reader of a ring last announced in its status file (see {@link ReaderStatusDescriptor}), read
 * consistently, and whether that reader still lives. A file that is not a valid status file (truncated,
 * foreign, damaged) is returned as {@link State#CORRUPT} with the reason in {@code problem}, never thrown
 * at the caller: one bad file must not hide the other readers.
 *
 * @param file             the status file.
 * @param state            alive, stale (runs but has not updated for {@link #STALE_AFTER_NANOS}), dead or corrupt.
 * @param problem          why the file is corrupt; empty otherwise.
 * @param name             the reader's name, e.g. "record", "tail".
 * @param recorder         whether the recorder fields hold a recorder's counters.
 * @param ringCreationNanos creation time of the ring it read, to tell a status left from an earlier ring.
 */
public record ReaderStatus(
    Path file,
    State state,
    String problem,
    String name,
    long pid,
    long startNanos,
    long updateNanos,
    long ringCreationNanos,
    long position,
    long deliveredRecords,
    long deliveredBytes,
    long lostRecords,
    long lostBytes,
    long laps,
    boolean recorder,
    long recordedPackets,
    long recordedBytes,
    long recordedFiles,
    long lostToDisk,
    long diskErrors) {

    /** A reader updates once a second; five seconds without an update means its poll loop is stuck. */
    public static final long STALE_AFTER_NANOS = 5_000_000_000L;
    private static final int READ_ATTEMPTS = 1000;

    /** Whether the reader was seen alive, stuck, gone, or its file cannot be read. */
    public enum State { ALIVE, STALE, DEAD, CORRUPT }

    /** Status of every reader of the ring at {@code ring}, by file name; empty if none ever announced itself. */
    public static List<ReaderStatus> list(Path ring) {
        Path directory = ReaderStatusDescriptor.directory(ring);
        List<ReaderStatus> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "[!.]*" + SUFFIX)) {
            for (Path file : files) {
                found.add(read(file));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RingException("cannot list reader status files in " + directory + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(status -> status.file().getFileName().toString()));
        return found;
    }

    /** Reads one status file. */
    public static ReaderStatus read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size != LENGTH) {
                return corrupt(file, "it has " + size + " bytes, a reader status file has " + LENGTH);
            }
            return read(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, LENGTH, arena));
        } catch (IOException e) {
            return corrupt(file, "cannot read it: " + e);
        }
    }

    private static ReaderStatus read(Path file, MemorySegment status) {
        if (status.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            return corrupt(file, "it does not start with the reader status magic \"RCREADER\"");
        }
        int version = (int) RingHeader.INT.getAcquire(status, (long) VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            return corrupt(file, "it has format version " + version + ", this ringcap reads version " + FORMAT_VERSION);
        }
        int nameLength = status.get(ValueLayout.JAVA_INT, NAME_LENGTH_OFFSET);
        if (nameLength < 1 || nameLength > NAME_MAX_LENGTH) {
            return corrupt(file, "its name length " + nameLength + " is not from 1 to " + NAME_MAX_LENGTH);
        }
        String name = new String(status.asSlice(NAME_OFFSET, nameLength).toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.UTF_8);
        long pid = status.get(ValueLayout.JAVA_LONG, PID_OFFSET);
        long processStartMillis = status.get(ValueLayout.JAVA_LONG, PROCESS_START_TIME_OFFSET);
        long[] counters = new long[DISK_ERRORS_OFFSET / Long.BYTES + 1];
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = (long) RingHeader.LONG.getAcquire(status, (long) CHANGE_COUNT_OFFSET);
            for (int offset = UPDATE_TIME_OFFSET; offset <= DISK_ERRORS_OFFSET; offset += Long.BYTES) {
                counters[offset / Long.BYTES] = status.get(ValueLayout.JAVA_LONG, offset);
            }
            // Seqlock reader side: the counters are read before the count is checked again.
            VarHandle.loadLoadFence();
            if ((before & 1) == 0 && before == (long) RingHeader.LONG.getOpaque(status, (long) CHANGE_COUNT_OFFSET)) {
                break;
            }
            Thread.onSpinWait();
        }
        long updateNanos = counters[UPDATE_TIME_OFFSET / Long.BYTES];
        return new ReaderStatus(file, state(pid, processStartMillis, updateNanos), "", name, pid,
            status.get(ValueLayout.JAVA_LONG, START_TIME_OFFSET), updateNanos,
            status.get(ValueLayout.JAVA_LONG, RING_CREATION_TIME_OFFSET),
            counters[POSITION_OFFSET / Long.BYTES], counters[DELIVERED_RECORDS_OFFSET / Long.BYTES],
            counters[DELIVERED_BYTES_OFFSET / Long.BYTES], counters[LOST_RECORDS_OFFSET / Long.BYTES],
            counters[LOST_BYTES_OFFSET / Long.BYTES], counters[LAPS_OFFSET / Long.BYTES],
            (status.get(ValueLayout.JAVA_INT, FLAGS_OFFSET) & FLAG_RECORDER) != 0,
            counters[RECORDED_PACKETS_OFFSET / Long.BYTES], counters[RECORDED_BYTES_OFFSET / Long.BYTES],
            counters[RECORDED_FILES_OFFSET / Long.BYTES], counters[LOST_TO_DISK_OFFSET / Long.BYTES],
            counters[DISK_ERRORS_OFFSET / Long.BYTES]);
    }

    /** A pid now used by a process that started at another time than the reader's counts as gone. */
    private static State state(long pid, long processStartMillis, long updateNanos) {
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        boolean running = process.isPresent() && process.get().isAlive()
            && process.get().info().startInstant().map(Instant::toEpochMilli)
                .map(start -> processStartMillis == 0 || start == processStartMillis).orElse(true);
        if (!running) {
            return State.DEAD;
        }
        return System.currentTimeMillis() * 1_000_000L - updateNanos > STALE_AFTER_NANOS ? State.STALE : State.ALIVE;
    }

    private static ReaderStatus corrupt(Path file, String problem) {
        return new ReaderStatus(file, State.CORRUPT, problem, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0, 0);
    }

    /** Records the reader saw: delivered plus lost to laps. */
    public long seenRecords() {
        return deliveredRecords + lostRecords;
    }
}
