package io.ringcap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import io.ringcap.ring.Hugetlbfs;

/**
 * A file on tmpfs mapped into memory, deleted on close. Every buffer a benchmark compares lives in such a
 * file, so the ring, Agrona's broadcast buffer and the copy ceiling all sit on the same kind of page. The
 * system property {@code ringcap.bench.dir} puts them elsewhere, e.g. on a hugetlbfs mount as production
 * rings are (64 MiB ring, 64-byte frames, batched by 32, 2 vCPU VM: 18.8 ns per record on 2 MiB pages
 * against 20.3 on 4 KiB pages).
 */
final class ShmFile implements AutoCloseable {
    /** The system property that names the directory, e.g. a hugetlbfs mount: see {@link BenchmarkBacking}. */
    static final String DIRECTORY_PROPERTY = "ringcap.bench.dir";
    private static final Path SHM = Path.of(System.getProperty(DIRECTORY_PROPERTY, "/dev/shm"));
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final Path path;
    private final long mappedLength;
    private final Arena arena;
    private final MemorySegment segment;

    private ShmFile(Path path, long mappedLength, Arena arena, MemorySegment segment) {
        this.path = path;
        this.mappedLength = mappedLength;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * A fresh path for a benchmark file of this {@code kind}, in {@code ringcap.bench.dir} if set, else in
     * /dev/shm where it exists (else the temporary directory); the pid keeps concurrent forks apart.
     */
    static Path newPath(String kind) {
        Path directory = orTemporaryDirectory(SHM);
        return directory.resolve("ringcap-bench-" + ProcessHandle.current().pid() + "-" + NEXT_ID.incrementAndGet()
            + "-" + kind);
    }

    /**
     * Creates and maps a file of {@code length} bytes, every page written once so no benchmark pays the faults. On
     * hugetlbfs the file and its mappings are whole huge pages long, the only lengths that mount accepts (for
     * growing the file, and for unmapping); the segments are still {@code length} bytes.
     */
    static ShmFile create(String kind, long length) {
        Path path = newPath(kind);
        long mappedLength = Hugetlbfs.mountHolding(path)
            .map(mount -> (length + mount.pageSize() - 1) / mount.pageSize() * mount.pageSize())
            .orElse(length);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, mappedLength, arena)
                .asSlice(0, length);
            segment.fill((byte) 0);
            return new ShmFile(path, mappedLength, arena, segment);
        } catch (IOException e) {
            discard(path, arena);
            throw new UncheckedIOException("cannot create benchmark file " + path, e);
        } catch (RuntimeException e) {
            discard(path, arena);
            throw e;
        }
    }

    private static void discard(Path path, Arena arena) {
        try {
            arena.close();
        } finally {
            delete(path);
        }
    }

    /** A second, read-only mapping of the same file, as a reader in another process would have. */
    MemorySegment mapReadOnly(Arena readerArena) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, mappedLength, readerArena)
                .asSlice(0, segment.byteSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map benchmark file " + path, e);
        }
    }

    MemorySegment segment() {
        return segment;
    }

    /** {@code directory} if it is one, else the JVM's temporary directory (a host without /dev/shm). */
    static Path orTemporaryDirectory(Path directory) {
        return Files.isDirectory(directory) ? directory : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Deletes {@code path} if it exists. */
    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete benchmark file " + path, e);
        }
    }

    @Override
    public void close() {
        discard(path, arena);
    }
}
