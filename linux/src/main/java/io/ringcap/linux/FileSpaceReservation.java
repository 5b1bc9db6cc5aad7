package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Disk space reserved for a file ahead of its writes, with {@code fallocate(FALLOC_FL_KEEP_SIZE)}: the file
 * system allocates the blocks together (few, long extents, however many files are written at once) and
 * refuses a reservation it has no room for, while the file's size still says only what was written. Works
 * through a descriptor of its own on the file, since a {@link java.nio.channels.FileChannel} does not give
 * out its descriptor. {@link #truncate} gives back what was reserved beyond the file's end, which
 * {@code FileChannel.truncate} does not: it leaves a file alone unless it gets shorter.
 *
 * <p>Each call uses the calling thread's own {@link CallState}; calls must not overlap {@link #close}.
 */
public final class FileSpaceReservation implements AutoCloseable {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;

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

    private FileSpaceReservation(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path}, an existing regular file, for reservations. */
    public static FileSpaceReservation open(Path path) {
        CallState state = CallState.ofCurrentThread();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Syscalls.open(state, arena.allocateFrom(path.toString()), O_WRONLY | O_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw LinuxException.of("open(" + path + ", O_WRONLY)", state.errno());
        }
        return new FileSpaceReservation(path, fd);
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

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the space reservation of " + path + " is closed");
        }
    }

    /** Closes the descriptor; the space reserved stays the file's until it is truncated. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(CallState.ofCurrentThread(), fd);
        }
    }
}
