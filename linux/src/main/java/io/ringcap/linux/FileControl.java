package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * What a {@link java.nio.channels.FileChannel} does not offer for a file written as a stream, through a
 * descriptor of its own on the file (a channel does not give out its own):
 * <ul>
 *   <li>{@link #reserve}: disk space ahead of the writes, with {@code fallocate(FALLOC_FL_KEEP_SIZE)}. The
 *   file system allocates the blocks together, in few long extents however many files grow at once, and the
 *   file's size still says only what was written.</li>
 *   <li>{@link #truncate}: {@code ftruncate}, which also gives back what was reserved beyond the file's end.
 *   {@code FileChannel.truncate} leaves a file alone unless it gets shorter.</li>
 *   <li>{@link #startWriteBack} and {@link #awaitWriteBackAndDrop}: {@code sync_file_range} and
 *   {@code posix_fadvise(POSIX_FADV_DONTNEED)}, so a writer through the page cache sends each chunk to the
 *   disk as soon as it is written, and drops it from the cache once it is there. The dirty pages stay few,
 *   and the writer never meets the kernel's dirty-page throttling. The cache is not filled with data that
 *   nobody reads back.</li>
 * </ul>
 * Each call uses the calling thread's own {@link CallState}; calls must not overlap {@link #close}.
 */
public final class FileControl implements AutoCloseable {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    private static final int SYNC_FILE_RANGE_WRITE = 2;
    private static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;
    private static final int POSIX_FADV_DONTNEED = 4;

    /** What a reservation came to. */
    public enum Outcome {
        /** The space is the file's. */
        RESERVED,
        /** The file system has no room for it (or the quota none); the writes will say whether theirs fits. */
        NO_SPACE,
        /** The file system cannot reserve space (it has no fallocate): it never will for this file. */
        UNSUPPORTED
    }

    private final Path path;
    private final int fd;
    private volatile boolean closed;

    private FileControl(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path}, an existing regular file. */
    public static FileControl open(Path path) {
        CallState state = CallState.ofCurrentThread();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Syscalls.open(state, arena.allocateFrom(path.toString()), O_WRONLY | O_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw LinuxException.of("open(" + path + ", O_WRONLY)", state.errno());
        }
        return new FileControl(path, fd);
    }

    /**
     * Reserves {@code length} bytes of the file from {@code offset}; the file's size does not change. Throws
     * {@link LinuxException} for a failure other than those an {@link Outcome} names.
     */
    public Outcome reserve(long offset, long length) {
        requireOpen();
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.fallocate(state, fd, FALLOC_FL_KEEP_SIZE, offset, length) == 0) {
            return Outcome.RESERVED;
        }
        int errno = state.errno();
        return switch (errno) {
            case Errno.ENOSPC, Errno.EDQUOT -> Outcome.NO_SPACE;
            case Errno.EOPNOTSUPP -> Outcome.UNSUPPORTED;
            default -> throw LinuxException.of("fallocate(" + path + ", FALLOC_FL_KEEP_SIZE, " + offset + ", " + length
                + ")", errno);
        };
    }

    /** Makes the file {@code length} bytes long and gives back the space reserved beyond that. */
    public void truncate(long length) {
        requireOpen();
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.ftruncate(state, fd, length) < 0) {
            throw LinuxException.of("ftruncate(" + path + ", " + length + ")", state.errno());
        }
    }

    /** Starts writing {@code length} bytes from {@code offset} to the disk; returns without waiting for them. */
    public void startWriteBack(long offset, long length) {
        requireOpen();
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.syncFileRange(state, fd, offset, length, SYNC_FILE_RANGE_WRITE) < 0) {
            throw LinuxException.of("sync_file_range(" + path + ", " + offset + ", " + length
                + ", SYNC_FILE_RANGE_WRITE)", state.errno());
        }
    }

    /**
     * Waits until {@code length} bytes from {@code offset} are written to the disk (starting what has not
     * started), then drops them from the page cache. Not a durability guarantee: the file's metadata and the
     * disk's own cache are {@code fsync}'s business.
     */
    public void awaitWriteBackAndDrop(long offset, long length) {
        requireOpen();
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.syncFileRange(state, fd, offset, length,
            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) < 0) {
            throw LinuxException.of("sync_file_range(" + path + ", " + offset + ", " + length
                + ", WAIT_BEFORE | WRITE | WAIT_AFTER)", state.errno());
        }
        int error = Syscalls.posixFadvise(state, fd, offset, length, POSIX_FADV_DONTNEED);
        if (error != 0) {
            throw LinuxException.of("posix_fadvise(" + path + ", " + offset + ", " + length + ", POSIX_FADV_DONTNEED)",
                error);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the file control of " + path + " is closed");
        }
    }

    /** Closes this descriptor; space reserved stays the file's until it is truncated. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(CallState.ofCurrentThread(), fd);
        }
    }
}
